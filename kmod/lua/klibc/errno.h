/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * <errno.h> for Lua compiled with -nostdinc in the kernel:
 * errno: the error of the last failed FILE call, for messages only
 */
#ifndef LUNATIK_KLIBC_ERRNO_H
#define LUNATIK_KLIBC_ERRNO_H

#include <linux/errno.h>

/*
 * Only ever read, to format "cannot open x: <reason>". One global is
 * enough: files are opened in process context at script load time; a
 * concurrent load may report the other one's reason, nothing worse.
 */
int lunatik_lua_errno(void);
#define errno	lunatik_lua_errno()

#endif
