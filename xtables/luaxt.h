/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/*
 * The contract between an extension library made by luaxt-build and the
 * luaxt runtime (libluaxt.a) linked into it.
 *
 * luaxt-build generates one small C file per extension: the extension's name
 * and its Lua description embedded as bytes, and a constructor that hands
 * both to luaxt_load() when iptables dlopen()s libxt_<name>.so. Every symbol
 * of the runtime is hidden, so several such libraries loaded into one
 * iptables process each keep their own Lua state and registrations.
 */
#ifndef LUAXT_H
#define LUAXT_H

#include <stddef.h>

/* longest extension name x_tables accepts, without the terminating NUL */
#define LUAXT_NAME_MAX	28

/*
 * Creates the extension's Lua state, runs the embedded description (which
 * calls luaxt.match{} and/or luaxt.target{}) and registers what it declared
 * with libxtables. Failures are reported on stderr and leave nothing
 * registered: iptables then says it cannot load the extension.
 */
void luaxt_load(const char *name, const char *source, size_t len);

#endif /* LUAXT_H */
