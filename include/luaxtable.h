/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/*
 * Per-rule data of a Lua xtables extension, shared by the kernel module and
 * the iptables extension libraries (both the ones luaxt-build makes from a
 * Lua description and C extensions written for Lunatik 3.6).
 *
 * The layout is an ABI: iptables sends XT_ALIGN(sizeof(luaxtable_info_t))
 * bytes per match or target and the kernel refuses a rule whose size differs
 * from the one the extension registered. 256 bytes of arguments, then one
 * 8-byte-aligned pointer-sized slot that belongs to the kernel (3.6 kept its
 * extension pointer there; this module does not read it, userspace should
 * leave it zero). 264 bytes on every ABI, 32- and 64-bit alike.
 */
#ifndef LUAXTABLE_H
#define LUAXTABLE_H

#define LUAXTABLE_USERDATA_SIZE	256

struct luaxtable_s;

typedef struct luaxtable_info_s {
	/* what the extension's parse/init produced; zero-padded */
	char userargs[LUAXTABLE_USERDATA_SIZE];
	/* kernel-owned; never interpreted by userspace */
	struct luaxtable_s *data __attribute__((aligned(8)));
} luaxtable_info_t;

#if defined(__STDC_VERSION__) && __STDC_VERSION__ >= 201112L
_Static_assert(sizeof(luaxtable_info_t) == 264, "luaxtable_info_t is 264 bytes");
#endif

#endif /* LUAXTABLE_H */
