/*
 * kernel/include/syscall.h - the system-call dispatcher
 * (kernel/arch/x86_64/syscall.c) and the generated table.
 *
 * A system call is implemented by defining
 *     long sys_NAME(<up to six integer or pointer arguments>)
 * anywhere in the kernel, with NAME as in Linux's unistd_64.h. The generated
 * table picks it up at link time; nothing else needs editing.
 */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#include "kernel.h"

typedef long (*syscall_fn)(uint64_t, uint64_t, uint64_t, uint64_t, uint64_t,
                           uint64_t);
extern const unsigned syscall_count;
extern const syscall_fn syscall_table[];
extern const char *const syscall_names[];
long sys_ni_syscall(void);

#endif
