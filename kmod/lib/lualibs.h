/* SPDX-License-Identifier: GPL-2.0 */
/*
 * lualibs.h - entry points of the Lua libraries in kmod/lib/ (other than
 * lualunatik.c), for kmod/libs.c and the libraries' own files.
 */
#ifndef LUNATIK_LUALIBS_H
#define LUNATIK_LUALIBS_H

#include "lunatik.h"

int luaopen_lunatik(lua_State *L);	/* lualunatik.c (runtime core) */
int luaopen_data(lua_State *L);
int luaopen_linux(lua_State *L);
int luaopen_rcu(lua_State *L);
int luaopen_thread(lua_State *L);
void lunatik_thread_exit(void);
/* stop the threads started by, or running a runtime of, quota @q's tree */
void lunatik_thread_stop_tree(struct lunatik_quota *q);
int luaopen_completion(lua_State *L);
int luaopen_netfilter(lua_State *L);
int lunatik_netfilter_init(void);
void lunatik_netfilter_exit(void);
int luaopen_xtable(lua_State *L);

int lunatik_rcu_init(void);
void lunatik_rcu_exit(void);

#endif /* LUNATIK_LUALIBS_H */
