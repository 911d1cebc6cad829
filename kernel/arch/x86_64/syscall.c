/*
 * kernel/arch/x86_64/syscall.c - the system-call dispatcher.
 *
 * Linux x86-64 convention: number in rax, arguments in rdi, rsi, rdx, r10,
 * r8, r9; result (or -errno) in rax. The table is generated from Linux's
 * own list (tools/gen-syscall-table.sh); calls we don't implement resolve to
 * sys_ni_syscall, and the first use of each is logged by name.
 */
#include "arch.h"
#include "kernel.h"
#include "syscall.h"
#include "task.h"

static uint8_t logged_missing[512 / 8];

void syscall_dispatch(struct trap_frame *tf)
{
	struct task *t = current;
	t->frame = tf;
	t->syscall_nr = tf->rax;
	irq_enable();
	uint64_t nr = tf->rax;
	long ret;
	if (nr < syscall_count && syscall_table[nr] != (syscall_fn)(void *)sys_ni_syscall) {
		ret = syscall_table[nr](tf->rdi, tf->rsi, tf->rdx, tf->r10, tf->r8, tf->r9);
	} else {
		if (nr < sizeof(logged_missing) * 8 && !(logged_missing[nr / 8] & (1 << (nr % 8)))) {
			logged_missing[nr / 8] |= 1 << (nr % 8);
			const char *name = nr < syscall_count && syscall_names[nr] ? syscall_names[nr] : "?";
			kprintf(KERN_NOTICE "syscall %s (%lu) is not implemented (first use by %s[%d])\n",
			        name, (unsigned long)nr, t->comm, t->tgid);
		}
		ret = -ENOSYS;
	}
	/* rt_sigreturn and execve rewrite the whole frame; the value they
	 * return is already the right rax. */
	tf->rax = ret;
	return_to_user_work(tf);
}

void return_to_user_work(struct trap_frame *tf)
{
	struct task *t = current;
	for (;;) {
		irq_disable();
		if (t->need_resched) {
			irq_enable();
			schedule();
			continue;
		}
		if (t->pending & ~t->blocked) {
			irq_enable();
			do_signal(tf);
			irq_disable();
			if (!(t->pending & ~t->blocked) && !t->need_resched)
				break;
			continue;
		}
		if (((int64_t)tf->rax == -ERESTARTSYS || (int64_t)tf->rax == -ERESTARTNOHAND) &&
		    tf->vector == VECTOR_SYSCALL) {
			/* Interrupted with nothing to deliver (e.g. the signal
			 * went to another thread): just restart. */
			tf->rax = t->syscall_nr;
			tf->rip -= 2;
		}
		break;
	}
	/* Interrupts stay off until iretq restores the user's flags. */
}
