/*
 * boot/handoff.S - the last instructions of the boot manager.
 *
 *   void rayos_handoff(u64 pml4, u64 stack_top, u64 entry, u64 bootinfo_virt)
 *   (SysV: rdi, rsi, rdx, rcx)
 *
 * In assembly because C cannot switch stacks and page tables safely: after
 * the CR3 load this code keeps running at its identity-mapped address, which
 * the new tables map too, and the old stack is not used again. Paging, PAE
 * and long mode stay on (UEFI x64 guarantees them), so only CR3 changes.
 */
	.text
	.globl rayos_handoff
	.type rayos_handoff, @function
rayos_handoff:
	cli
	cld
	mov	%rdi, %cr3
	mov	%rsi, %rsp	/* 16-byte aligned top of the kernel stack */
	mov	%rcx, %rdi	/* first argument: struct rayos_bootinfo * */
	xor	%ebp, %ebp	/* terminate frame-pointer backtraces */
	xor	%esi, %esi
	jmp	*%rdx
	.size rayos_handoff, . - rayos_handoff

	.section .note.GNU-stack,"",@progbits
