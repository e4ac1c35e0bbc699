/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * <setjmp.h> for Lua compiled with -nostdinc in the kernel:
 * our own setjmp/longjmp, used by LUAI_TRY/LUAI_THROW in ldo.c
 */
#ifndef LUNATIK_KLIBC_SETJMP_H
#define LUNATIK_KLIBC_SETJMP_H

#include <linux/compiler.h>

/* rbx, rbp, r12-r15, the caller's stack pointer and return address */
typedef unsigned long jmp_buf[8];

int lunatik_setjmp(jmp_buf env) __attribute__((returns_twice));
void __noreturn lunatik_longjmp(jmp_buf env, int val);

#define setjmp(env)		lunatik_setjmp(env)
#define longjmp(env, val)	lunatik_longjmp((env), (val))

#endif
