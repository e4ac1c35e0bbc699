// SPDX-License-Identifier: GPL-2.0
/*
 * luanetfilter.c - the "netfilter" Lua library (Lunatik 3.6 API).
 *
 *   netfilter.register{pf = F, hooknum = H, priority = P, hook = fn
 *                      [, dev = "eth0"]}
 *   netfilter.family, action, inet_hooks, bridge_hooks, arp_hooks,
 *   netdev_hooks, ip_priority, bridge_priority      constant tables
 *
 * register() is called by the body of a softirq set's script; it records
 * the hook (hook core, kmod/hook.c) and the set registers one kernel hook
 * for all its instances once the script is loaded. The hook function gets
 * one argument, the packet as a data object (see kmod/hook_nf.c for its
 * layout), and returns a netfilter.action value. `dev` (NETDEV only) is an
 * extension over 3.6. register() returns a table describing the hook.
 */
#include <linux/netfilter.h>
#include <linux/netfilter_arp.h>
#include <linux/netfilter_bridge.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter/x_tables.h>
#include <linux/string.h>

#include "lunatik.h"
#include "lualibs.h"
#include "luadata.h"
#include "../hook_nf.h"

struct luanetfilter_const {
	const char *name;
	lua_Integer value;
};

static const struct luanetfilter_const luanetfilter_family[] = {
	{ "UNSPEC", NFPROTO_UNSPEC },
	{ "INET", NFPROTO_INET },
	{ "IPV4", NFPROTO_IPV4 },
	{ "IPV6", NFPROTO_IPV6 },
	{ "ARP", NFPROTO_ARP },
	{ "NETDEV", NFPROTO_NETDEV },
	{ "BRIDGE", NFPROTO_BRIDGE },
	{ NULL, 0 }
};

static const struct luanetfilter_const luanetfilter_action[] = {
	{ "DROP", NF_DROP },
	{ "ACCEPT", NF_ACCEPT },
	{ "STOLEN", NF_STOLEN },
	{ "QUEUE", NF_QUEUE },
	{ "REPEAT", NF_REPEAT },
	{ "STOP", NF_STOP },
	{ "CONTINUE", XT_CONTINUE },
	{ "RETURN", XT_RETURN },
	{ NULL, 0 }
};

static const struct luanetfilter_const luanetfilter_inet_hooks[] = {
	{ "PRE_ROUTING", NF_INET_PRE_ROUTING },
	{ "LOCAL_IN", NF_INET_LOCAL_IN },
	{ "FORWARD", NF_INET_FORWARD },
	{ "LOCAL_OUT", NF_INET_LOCAL_OUT },
	{ "POST_ROUTING", NF_INET_POST_ROUTING },
	{ NULL, 0 }
};

static const struct luanetfilter_const luanetfilter_bridge_hooks[] = {
	{ "PRE_ROUTING", NF_BR_PRE_ROUTING },
	{ "LOCAL_IN", NF_BR_LOCAL_IN },
	{ "FORWARD", NF_BR_FORWARD },
	{ "LOCAL_OUT", NF_BR_LOCAL_OUT },
	{ "POST_ROUTING", NF_BR_POST_ROUTING },
	{ NULL, 0 }
};

static const struct luanetfilter_const luanetfilter_arp_hooks[] = {
	{ "IN", NF_ARP_IN },
	{ "OUT", NF_ARP_OUT },
	{ "FORWARD", NF_ARP_FORWARD },
	{ NULL, 0 }
};

static const struct luanetfilter_const luanetfilter_netdev_hooks[] = {
	{ "INGRESS", NF_NETDEV_INGRESS },
	{ "EGRESS", NF_NETDEV_EGRESS },
	{ NULL, 0 }
};

static const struct luanetfilter_const luanetfilter_ip_priority[] = {
	{ "FIRST", NF_IP_PRI_FIRST },
	{ "RAW_BEFORE_DEFRAG", NF_IP_PRI_RAW_BEFORE_DEFRAG },
	{ "CONNTRACK_DEFRAG", NF_IP_PRI_CONNTRACK_DEFRAG },
	{ "RAW", NF_IP_PRI_RAW },
	{ "SELINUX_FIRST", NF_IP_PRI_SELINUX_FIRST },
	{ "CONNTRACK", NF_IP_PRI_CONNTRACK },
	{ "MANGLE", NF_IP_PRI_MANGLE },
	{ "NAT_DST", NF_IP_PRI_NAT_DST },
	{ "FILTER", NF_IP_PRI_FILTER },
	{ "SECURITY", NF_IP_PRI_SECURITY },
	{ "NAT_SRC", NF_IP_PRI_NAT_SRC },
	{ "SELINUX_LAST", NF_IP_PRI_SELINUX_LAST },
	{ "CONNTRACK_HELPER", NF_IP_PRI_CONNTRACK_HELPER },
	{ "LAST", NF_IP_PRI_LAST },
	{ NULL, 0 }
};

static const struct luanetfilter_const luanetfilter_bridge_priority[] = {
	{ "FIRST", NF_BR_PRI_FIRST },
	{ "NAT_DST_BRIDGED", NF_BR_PRI_NAT_DST_BRIDGED },
	{ "FILTER_BRIDGED", NF_BR_PRI_FILTER_BRIDGED },
	{ "BRNF", NF_BR_PRI_BRNF },
	{ "NAT_DST_OTHER", NF_BR_PRI_NAT_DST_OTHER },
	{ "FILTER_OTHER", NF_BR_PRI_FILTER_OTHER },
	{ "NAT_SRC", NF_BR_PRI_NAT_SRC },
	{ "LAST", NF_BR_PRI_LAST },
	{ NULL, 0 }
};

static const struct {
	const char *name;
	const struct luanetfilter_const *consts;
} luanetfilter_tables[] = {
	{ "family", luanetfilter_family },
	{ "action", luanetfilter_action },
	{ "inet_hooks", luanetfilter_inet_hooks },
	{ "bridge_hooks", luanetfilter_bridge_hooks },
	{ "arp_hooks", luanetfilter_arp_hooks },
	{ "netdev_hooks", luanetfilter_netdev_hooks },
	{ "ip_priority", luanetfilter_ip_priority },
	{ "bridge_priority", luanetfilter_bridge_priority },
};

/* ops[field] as an int, or a Lua error naming the field. */
static s32 luanetfilter_int(lua_State *L, const char *field)
{
	lua_Integer v;
	int isnum;

	lua_getfield(L, 1, field);
	v = lua_tointegerx(L, -1, &isnum);
	if (!isnum)
		luaL_error(L, "netfilter.register: '%s' must be an integer",
			   field);
	if (v < S32_MIN || v > S32_MAX)
		luaL_error(L, "netfilter.register: '%s' out of range", field);
	lua_pop(L, 1);
	return (s32)v;
}

static int luanetfilter_register(lua_State *L)
{
	struct lunatik_nf_spec spec;
	const char *msg;

	luaL_checktype(L, 1, LUA_TTABLE);
	memset(&spec, 0, sizeof(spec));
	spec.pf = luanetfilter_int(L, "pf");
	spec.hooknum = luanetfilter_int(L, "hooknum");
	spec.priority = luanetfilter_int(L, "priority");
	if (lua_getfield(L, 1, "dev") != LUA_TNIL) {
		size_t len;
		const char *dev = lua_tolstring(L, -1, &len);

		if (!dev || len == 0 || len >= IFNAMSIZ || strlen(dev) != len)
			return luaL_error(L, "netfilter.register: 'dev' must be "
					  "a device name (1 to %d bytes)",
					  IFNAMSIZ - 1);
		memcpy(spec.dev, dev, len);
	}
	lua_pop(L, 1);
	msg = lunatik_nf_check(&spec);
	if (msg)
		return luaL_error(L, "netfilter.register: %s", msg);
	if (lua_getfield(L, 1, "hook") != LUA_TFUNCTION)
		return luaL_error(L, "netfilter.register: 'hook' must be a function");

	/* the recorded value: {hook, packet data object} */
	lua_createtable(L, 2, 0);
	lua_insert(L, -2);
	lua_rawseti(L, -2, 1);
	luadata_new(L, NULL, 0, LUADATA_READONLY);
	lua_rawseti(L, -2, 2);
	lunatik_hook_record(L, &lunatik_hook_nf, &spec, -1);

	lua_createtable(L, 0, 4);
	lua_pushinteger(L, spec.pf);
	lua_setfield(L, -2, "pf");
	lua_pushinteger(L, spec.hooknum);
	lua_setfield(L, -2, "hooknum");
	lua_pushinteger(L, spec.priority);
	lua_setfield(L, -2, "priority");
	if (spec.dev[0]) {
		lua_pushstring(L, spec.dev);
		lua_setfield(L, -2, "dev");
	}
	return 1;
}

int luaopen_netfilter(lua_State *L)
{
	unsigned int i;

	lua_createtable(L, 0, ARRAY_SIZE(luanetfilter_tables) + 1);
	lua_pushcfunction(L, luanetfilter_register);
	lua_setfield(L, -2, "register");
	for (i = 0; i < ARRAY_SIZE(luanetfilter_tables); i++) {
		const struct luanetfilter_const *c;

		lua_newtable(L);
		for (c = luanetfilter_tables[i].consts; c->name; c++) {
			lua_pushinteger(L, c->value);
			lua_setfield(L, -2, c->name);
		}
		lua_setfield(L, -2, luanetfilter_tables[i].name);
	}
	return 1;
}

int lunatik_netfilter_init(void)
{
	return lunatik_hook_nf_init();
}

void lunatik_netfilter_exit(void)
{
	lunatik_hook_nf_exit();
}
