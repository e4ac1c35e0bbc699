/* SPDX-License-Identifier: GPL-2.0 */
/*
 * setjmp_x86_64.S - setjmp/longjmp for Lua's error handling in the kernel
 * (LUAI_TRY/LUAI_THROW in ldo.c, through klibc/setjmp.h).
 *
 * jmp_buf (unsigned long[8]): the SysV callee-saved registers rbx, rbp,
 * r12-r15, then the caller's stack pointer after the return and the
 * return address. Nothing else: the kernel has no FPU/SSE state here.
 *
 * longjmp does not jump indirectly: it reloads the stack pointer one
 * slot below the caller's, stores the return address there and
 * returns, so the landing site needs no ENDBR under IBT and there is no
 * indirect branch for retpoline builds. objtool cannot follow a stack
 * pointer loaded from memory, which is why longjmp is marked
 * STACK_FRAME_NON_STANDARD (it is never on the stack of a sleeping or
 * interrupted task in a state the unwinder must understand: it is a
 * leaf that leaves through its return).
 */
#include <linux/linkage.h>
#include <linux/objtool.h>
#include <asm/nospec-branch.h>

#define JB_RBX	0
#define JB_RBP	8
#define JB_R12	16
#define JB_R13	24
#define JB_R14	32
#define JB_R15	40
#define JB_RSP	48
#define JB_RIP	56

	.text

/* int lunatik_setjmp(jmp_buf env): 0 now, the longjmp value later */
SYM_FUNC_START(lunatik_setjmp)
	movq	%rbx, JB_RBX(%rdi)
	movq	%rbp, JB_RBP(%rdi)
	movq	%r12, JB_R12(%rdi)
	movq	%r13, JB_R13(%rdi)
	movq	%r14, JB_R14(%rdi)
	movq	%r15, JB_R15(%rdi)
	leaq	8(%rsp), %rdx		/* the caller's rsp after we return */
	movq	%rdx, JB_RSP(%rdi)
	movq	(%rsp), %rdx		/* our return address */
	movq	%rdx, JB_RIP(%rdi)
	xorl	%eax, %eax
	RET
SYM_FUNC_END(lunatik_setjmp)

/* void lunatik_longjmp(jmp_buf env, int val): setjmp returns val (or 1) */
SYM_FUNC_START(lunatik_longjmp)
	movl	%esi, %eax
	testl	%eax, %eax
	jnz	1f
	movl	$1, %eax		/* setjmp must not return 0 twice */
1:
	movq	JB_RBX(%rdi), %rbx
	movq	JB_RBP(%rdi), %rbp
	movq	JB_R12(%rdi), %r12
	movq	JB_R13(%rdi), %r13
	movq	JB_R14(%rdi), %r14
	movq	JB_R15(%rdi), %r15
	movq	JB_RSP(%rdi), %rdx
	leaq	-8(%rdx), %rsp		/* the slot setjmp's return used */
	movq	JB_RIP(%rdi), %rdx
	movq	%rdx, (%rsp)
	RET
SYM_FUNC_END(lunatik_longjmp)
STACK_FRAME_NON_STANDARD lunatik_longjmp
