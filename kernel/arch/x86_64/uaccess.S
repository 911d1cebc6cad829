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
/* int __copy_user(void *dst, const void *src, size_t n)
 * Eight bytes per iteration, then the tail bytewise: "rep movsb" runs one
 * byte per translated-block iteration under QEMU's TCG (see
 * kernel/lib/string.c). x86 allows the unaligned 8-byte accesses. */
	.globl __copy_user
__copy_user:
	movq %rdx, %rcx
	shrq $3, %rcx
	jz 2f
1:	movq (%rsi), %rax
	movq %rax, (%rdi)
	addq $8, %rsi
	addq $8, %rdi
	decq %rcx
	jnz 1b
2:	andl $7, %edx
	jz 4f
3:	movb (%rsi), %al
	movb %al, (%rdi)
	incq %rsi
	incq %rdi
	decl %edx
	jnz 3b
4:	xorl %eax, %eax
	ret
5:	movl $-EFAULT, %eax
	ret
	EX_ENTRY 1b, 4b, 5b

/* int __clear_user(void *dst, size_t n) */
	.globl __clear_user
__clear_user:
	movq %rsi, %rcx
	shrq $3, %rcx
	xorl %eax, %eax
	jz 2f
1:	movq %rax, (%rdi)
	addq $8, %rdi
	decq %rcx
	jnz 1b
2:	andl $7, %esi
	jz 4f
3:	movb %al, (%rdi)
	incq %rdi
	decl %esi
	jnz 3b
4:	xorl %eax, %eax
	ret
5:	movl $-EFAULT, %eax
	ret
	EX_ENTRY 1b, 4b, 5b

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
