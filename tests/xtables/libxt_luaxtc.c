/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/*
 * An iptables extension in C the way Lunatik 3.6 users wrote them: its
 * per-rule data is luaxtable_info_t from <luaxtable.h>, sized with
 * XT_ALIGN(sizeof(luaxtable_info_t)). It must build unchanged against our
 * header (this file is compiled as is by the host tests) and its size must
 * be what the kernel module registers.
 */
#include <stdio.h>
#include <string.h>
#include <xtables.h>
#include <linux/netfilter.h>

#include "luaxtable.h"

static void luaxtc_help(void)
{
	printf("luaxtc match: no options, userargs \"c-extension\"\n");
}

static void luaxtc_init(struct xt_entry_match *match)
{
	luaxtable_info_t *info = (luaxtable_info_t *)match->data;

	strncpy(info->userargs, "c-extension", LUAXTABLE_USERDATA_SIZE);
}

static int luaxtc_parse(int c, char **argv, int invert, unsigned int *flags,
			const void *entry, struct xt_entry_match **match)
{
	return 0;
}

static void luaxtc_final_check(unsigned int flags)
{
}

static void luaxtc_print(const void *entry, const struct xt_entry_match *match,
			 int numeric)
{
	const luaxtable_info_t *info = (const luaxtable_info_t *)match->data;

	printf(" luaxtc %s", info->userargs);
}

static void luaxtc_save(const void *entry, const struct xt_entry_match *match)
{
}

static struct xtables_match luaxtc_mt_reg = {
	.version	= XTABLES_VERSION,
	.name		= "luaxtc",
	.revision	= 1,
	.family		= NFPROTO_UNSPEC,
	.size		= XT_ALIGN(sizeof(luaxtable_info_t)),
	.userspacesize	= 0,
	.help		= luaxtc_help,
	.init		= luaxtc_init,
	.parse		= luaxtc_parse,
	.final_check	= luaxtc_final_check,
	.print		= luaxtc_print,
	.save		= luaxtc_save,
};

static void __attribute__((constructor)) _init(void)
{
	xtables_register_match(&luaxtc_mt_reg);
}
