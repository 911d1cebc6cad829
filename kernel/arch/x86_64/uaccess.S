/*
 * kernel/arch/x86_64/uaccess.S - the only instructions that touch user
 * memory. Each fault-prone instruction range has an entry in .ex_table
 * (start, end, fixup); the page-fault handler first tries to resolve a fault
 * there like a user fault (demand paging, copy-on-write) and otherwise
 * resumes at the fixup, which returns -EFAULT.
 */
#define EFAULT 14

.macro EX_ENTRY start, end, fixup
	.pushsection .ex_table, "a"
	.quad \start, \end, \fixup
	.popsection
.endm

	.text
/* int __copy_user(void *dst, const void *src, size_t n) */
	.globl __copy_user
__copy_user:
	movq %rdx, %rcx
1:	rep movsb
2:	xorl %eax, %eax
	ret
3:	movl $-EFAULT, %eax
	ret
	EX_ENTRY 1b, 2b, 3b

/* int __clear_user(void *dst, size_t n) */
	.globl __clear_user
__clear_user:
	movq %rsi, %rcx
	xorl %eax, %eax
1:	rep stosb
2:	xorl %eax, %eax
	ret
3:	movl $-EFAULT, %eax
	ret
	EX_ENTRY 1b, 2b, 3b

/* long __strncpy_user(char *dst, const char *src, size_t max):
 * copies up to and including the NUL; returns the length without the NUL,
 * max if there was no NUL in max bytes, or -EFAULT. */
	.globl __strncpy_user
__strncpy_user:
	xorl %eax, %eax
	testq %rdx, %rdx
	jz 5f
1:	movb (%rsi,%rax), %cl
2:	movb %cl, (%rdi,%rax)
	testb %cl, %cl
	jz 5f
	incq %rax
	cmpq %rdx, %rax
	jb 1b
5:	ret
3:	movq $-EFAULT, %rax
	ret
	EX_ENTRY 1b, 2b, 3b
