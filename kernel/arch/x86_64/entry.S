/*
 * kernel/arch/x86_64/entry.S - every way into and out of the kernel.
 *
 *  _start            first instruction after the boot manager's jump
 *  isr_stub_N        one stub per IDT vector; all meet in isr_common
 *  syscall_entry     the SYSCALL instruction's target (LSTAR)
 *  trap_return       leave through a struct trap_frame (interrupts, syscalls,
 *                    new tasks all go out the same way, with iretq)
 *
 * All entries build the same struct trap_frame (kernel/include/arch.h), so
 * fork, signal delivery and exec just edit a frame. GS: in the kernel the GS
 * base is the per-CPU block; on every entry from ring 3 we swapgs, and on
 * every exit to ring 3 we swapgs back.
 */
#define USER_CS 0x2b
#define USER_DS 0x23

	.section .text.entry, "ax"
	.globl _start
_start:
	/* rdi = struct rayos_bootinfo * (direct-map address) */
	cli
	leaq boot_stack_top(%rip), %rsp
	xorl %ebp, %ebp
	call kmain
1:	hlt
	jmp 1b

	.text
/* Save the general registers in struct trap_frame order (r15 lowest). */
.macro SAVE_REGS
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
.endm

.macro ISR_NOERR n
	.align 16
isr_stub_\n:
	pushq $0
	pushq $\n
	jmp isr_common
.endm
.macro ISR_ERR n
	.align 16
isr_stub_\n:
	pushq $\n
	jmp isr_common
.endm

/* Vectors whose exceptions push an error code. */
.irp n, 0,1,2,3,4,5,6,7,9,15,16,18,19,20,22,23,24,25,26,27,28,31
	ISR_NOERR \n
.endr
.irp n, 8,10,11,12,13,14,17,21,29,30
	ISR_ERR \n
.endr
.altmacro
.set i, 32
.rept 224
	ISR_NOERR %i
	.set i, i+1
.endr
.noaltmacro

isr_common:
	cld
	testb $3, 24(%rsp)          /* CS of the interrupted context */
	jz 1f
	swapgs
1:	SAVE_REGS
	movq %rsp, %rdi
	call trap_dispatch
	jmp restore_frame

/* SYSCALL: rcx = user rip, r11 = user rflags, IF cleared by FMASK. */
	.globl syscall_entry
syscall_entry:
	swapgs
	movq %rsp, %gs:16           /* cpu->user_rsp */
	movq %gs:8, %rsp            /* cpu->kernel_rsp */
	pushq $USER_DS
	pushq %gs:16
	pushq %r11
	pushq $USER_CS
	pushq %rcx
	pushq $0                    /* error */
	pushq $0x100                /* VECTOR_SYSCALL */
	cld
	SAVE_REGS
	movq %rsp, %rdi
	call syscall_dispatch
	jmp restore_frame

/* trap_return(struct trap_frame *tf): leave the kernel through tf. */
	.globl trap_return
trap_return:
	movq %rdi, %rsp
restore_frame:
	cli
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	addq $16, %rsp              /* vector, error */
	testb $3, 8(%rsp)           /* CS we return to */
	jz 2f
	swapgs
2:	iretq

/*
 * context_switch(uint64_t *old_rsp, uint64_t new_rsp): the callee-saved
 * registers are the whole kernel context of a task that called schedule().
 */
	.globl context_switch
context_switch:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, (%rdi)
	movq %rsi, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret

/* First run of a user task: its stack holds a trap frame right here. */
	.globl task_entry_trampoline
task_entry_trampoline:
	call sched_task_started
	jmp restore_frame

/* First run of a kernel thread: r12 = function, r13 = argument. */
	.globl kthread_trampoline
kthread_trampoline:
	call sched_task_started
	sti
	movq %r13, %rdi
	call *%r12
	xorl %edi, %edi
	call do_exit

	.section .rodata
	.globl isr_stub_table
	.align 8
isr_stub_table:
.altmacro
.macro STUB_ADDR n
	.quad isr_stub_\n
.endm
.set i, 0
.rept 256
	STUB_ADDR %i
	.set i, i+1
.endr
.noaltmacro

	.bss
	.align 16
boot_stack:
	.skip 32768
boot_stack_top:
