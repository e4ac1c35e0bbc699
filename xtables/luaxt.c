/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/*
 * luaxt runtime: turns a Lua description (luaxt.match{...} / luaxt.target{...},
 * the Lunatik 3.6 API) into a registered iptables extension.
 *
 * One copy of this file is linked into every libxt_<name>.so made by
 * luaxt-build, with hidden visibility: each library has its own Lua state,
 * its own xtables_match/xtables_target and its own option table, even when
 * iptables loads several of them.
 *
 * Every call into Lua runs inside lua_pcall through a C function that does all
 * the table work (metamethods can raise anywhere); the outcome is acted on
 * after the protected call returns, so a Lua error is turned into an iptables
 * error (xtables_error exits the process) with the Lua stack already unwound.
 */
#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <getopt.h>

#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>
#include <xtables.h>

#include "luaxt.h"
#include "luaxtable.h"

/* flags are an unsigned int bitmap in iptables: one bit per option at most */
#define LUAXT_OPTIONS_MAX	32
#define LUAXT_OPTNAME_MAX	32

enum luaxt_kind {
	LUAXT_MATCH,
	LUAXT_TARGET,
	LUAXT_NKINDS,
};

struct luaxt_ext {
	const char *what;
	/*
	 * registry ref of { description = <the table given to luaxt.match>,
	 * <option name and help strings> }; LUA_NOREF until declared
	 */
	int ref;
	unsigned int nopts;
	/* getopt view of the declared options; names are anchored Lua strings */
	struct option opts[LUAXT_OPTIONS_MAX + 1];
	const char *opthelp[LUAXT_OPTIONS_MAX];
};

static lua_State *luaxt_L;
static const char *luaxt_name;
static struct luaxt_ext luaxt_ext[LUAXT_NKINDS] = {
	[LUAXT_MATCH] = { .what = "match", .ref = LUA_NOREF },
	[LUAXT_TARGET] = { .what = "target", .ref = LUA_NOREF },
};

/* One callback invocation: its inputs and what Lua handed back. */
struct luaxt_req {
	struct luaxt_ext *ext;
	const char *fn;
	luaxtable_info_t *info;		/* userargs read and (init, parse) written */
	const luaxtable_info_t *cinfo;	/* userargs read only (print, save) */
	int option;			/* parse: index into ext->opts */
	int invert;
	int numeric;
	unsigned int flags;		/* parse: in and out; final_check: in */
	bool consumed;			/* parse: the callback's verdict */
};

static const struct {
	const char *name;
	lua_Integer value;
} luaxt_families[] = {
	{ "UNSPEC", NFPROTO_UNSPEC },
	{ "INET", NFPROTO_INET },
	{ "IPV4", NFPROTO_IPV4 },
	{ "IPV6", NFPROTO_IPV6 },
	{ "ARP", NFPROTO_ARP },
	{ "NETDEV", NFPROTO_NETDEV },
	{ "BRIDGE", NFPROTO_BRIDGE },
};

static const char *const luaxt_callbacks[] = {
	"help", "init", "parse", "final_check", "print", "save",
};

/* ---- userargs <-> Lua ------------------------------------------------- */

/*
 * The 256 bytes without their zero padding: text arguments arrive as the
 * text, binary ones (string.pack) keep their inner zero bytes.
 */
static void luaxt_pushuserargs(lua_State *L, const luaxtable_info_t *info)
{
	size_t len = LUAXTABLE_USERDATA_SIZE;

	while (len > 0 && info->userargs[len - 1] == '\0')
		len--;
	lua_pushlstring(L, info->userargs, len);
}

/* par.userargs (at idx) into the 256 bytes: truncated, zero-padded (3.6). */
static void luaxt_touserargs(lua_State *L, int idx, luaxtable_info_t *info)
{
	const char *s;
	size_t len;

	if (lua_isnil(L, idx))
		return;
	if (!lua_isstring(L, idx))
		luaL_error(L, "par.userargs must be a string, got %s",
			   luaL_typename(L, idx));
	s = lua_tolstring(L, idx, &len);
	memset(info->userargs, 0, sizeof(info->userargs));
	memcpy(info->userargs, s,
	       len < sizeof(info->userargs) ? len : sizeof(info->userargs));
}

/* ---- protected callback bodies --------------------------------------- */

/* Pushes the description's callback; false (nothing pushed) if it has none. */
static bool luaxt_pushcallback(lua_State *L, const struct luaxt_req *req)
{
	lua_rawgeti(L, LUA_REGISTRYINDEX, req->ext->ref);
	lua_getfield(L, -1, "description");
	lua_getfield(L, -1, req->fn);
	lua_replace(L, -3);
	lua_pop(L, 1);
	if (lua_isfunction(L, -1))
		return true;
	if (!lua_isnil(L, -1))
		luaL_error(L, "'%s' is a %s, not a function", req->fn,
			   luaL_typename(L, -1));
	lua_pop(L, 1);
	return false;
}

/* A returned string is the output: one leading space, as iptables expects. */
static void luaxt_emit(lua_State *L, int idx)
{
	const char *s;
	size_t len;

	if (lua_isnoneornil(L, idx))
		return;
	if (lua_type(L, idx) != LUA_TSTRING)
		luaL_error(L, "must return a string or nothing, got %s",
			   luaL_typename(L, idx));
	s = lua_tolstring(L, idx, &len);
	if (len == 0)
		return;
	if (s[0] != ' ')
		putchar(' ');
	fwrite(s, 1, len, stdout);
}

static int luaxt_p_help(lua_State *L)
{
	const struct luaxt_req *req = lua_touserdata(L, 1);
	const struct luaxt_ext *ext = req->ext;
	unsigned int i;

	if (luaxt_pushcallback(L, req)) {
		lua_call(L, 0, 1);
		if (lua_type(L, -1) == LUA_TSTRING)
			fputs(lua_tostring(L, -1), stdout);
		return 0;
	}
	/* no help(): list the declared options */
	printf("%s %s options:\n", luaxt_name, ext->what);
	for (i = 0; i < ext->nopts; i++) {
		const struct option *o = &ext->opts[i];
		const char *arg = o->has_arg == required_argument ? " VALUE" :
				  o->has_arg == optional_argument ? " [VALUE]" : "";

		printf("  --%s%s%s%s\n", o->name, arg, ext->opthelp[i] ? "\t" : "",
		       ext->opthelp[i] ? ext->opthelp[i] : "");
	}
	return 0;
}

static int luaxt_p_init(lua_State *L)
{
	struct luaxt_req *req = lua_touserdata(L, 1);

	if (!luaxt_pushcallback(L, req))
		return 0;
	lua_createtable(L, 0, 1);
	luaxt_pushuserargs(L, req->info);
	lua_setfield(L, -2, "userargs");
	lua_pushvalue(L, -1);
	lua_insert(L, -3);		/* par, fn, par */
	lua_call(L, 1, 0);
	lua_getfield(L, -1, "userargs");
	luaxt_touserargs(L, -1, req->info);
	return 0;
}

static int luaxt_p_parse(lua_State *L)
{
	struct luaxt_req *req = lua_touserdata(L, 1);
	const struct option *o = &req->ext->opts[req->option];
	lua_Integer flags;
	int isint;

	if (!luaxt_pushcallback(L, req))
		return luaL_error(L, "the description has no parse() for --%s",
				  o->name);
	lua_createtable(L, 0, 5);
	lua_pushstring(L, o->name);
	lua_setfield(L, -2, "option");
	if (optarg != NULL) {
		lua_pushstring(L, optarg);
		lua_setfield(L, -2, "arg");
	}
	lua_pushboolean(L, req->invert);
	lua_setfield(L, -2, "invert");
	lua_pushinteger(L, req->flags);
	lua_setfield(L, -2, "flags");
	luaxt_pushuserargs(L, req->info);
	lua_setfield(L, -2, "userargs");
	lua_pushvalue(L, -1);
	lua_insert(L, -3);		/* par, fn, par */
	lua_call(L, 1, 1);
	req->consumed = lua_toboolean(L, -1);
	lua_pop(L, 1);

	if (lua_getfield(L, -1, "flags") != LUA_TNIL) {
		flags = lua_tointegerx(L, -1, &isint);
		if (!isint || flags < 0 || flags > UINT_MAX)
			return luaL_error(L, "par.flags must be an integer in "
					  "0..4294967295");
		req->flags = (unsigned int)flags;
	}
	lua_pop(L, 1);
	lua_getfield(L, -1, "userargs");
	luaxt_touserargs(L, -1, req->info);
	return 0;
}

static int luaxt_p_final_check(lua_State *L)
{
	struct luaxt_req *req = lua_touserdata(L, 1);

	if (!luaxt_pushcallback(L, req))
		return 0;
	lua_pushinteger(L, req->flags);
	lua_call(L, 1, 0);
	return 0;
}

/* print(userargs, numeric) and save(userargs): output returned or written */
static int luaxt_p_show(lua_State *L)
{
	struct luaxt_req *req = lua_touserdata(L, 1);

	if (!luaxt_pushcallback(L, req))
		return 0;
	luaxt_pushuserargs(L, req->cinfo);
	lua_pushboolean(L, req->numeric);
	lua_call(L, 2, 1);
	luaxt_emit(L, -1);
	return 0;
}

/*
 * Error objects that are not strings still need a message; runs as the
 * message handler, so it must not raise itself on ordinary values.
 */
static int luaxt_msgh(lua_State *L)
{
	if (lua_type(L, 1) == LUA_TSTRING || lua_type(L, 1) == LUA_TNUMBER)
		return 1;
	if (luaL_getmetafield(L, 1, "__tostring") != LUA_TNIL) {
		luaL_tolstring(L, 1, NULL);
		return 1;
	}
	lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, 1));
	return 1;
}

static void luaxt_run(lua_CFunction body, struct luaxt_req *req)
{
	lua_State *L = luaxt_L;
	int top = lua_gettop(L);
	char msg[512];

	lua_pushcfunction(L, luaxt_msgh);
	lua_pushcfunction(L, body);
	lua_pushlightuserdata(L, req);
	if (lua_pcall(L, 1, 0, top + 1) == LUA_OK) {
		lua_settop(L, top);
		return;
	}
	snprintf(msg, sizeof(msg), "%s",
		 lua_tostring(L, -1) ? lua_tostring(L, -1) : "unknown error");
	lua_settop(L, top);
	fflush(stdout);
	xtables_error(PARAMETER_PROBLEM, "%s %s: %s(): %s", luaxt_name,
		      req->ext->what, req->fn, msg);
	exit(PARAMETER_PROBLEM);	/* exit_err never returns; be sure */
}

/* ---- xtables callbacks ------------------------------------------------ */

static void luaxt_help(enum luaxt_kind kind)
{
	struct luaxt_req req = { .ext = &luaxt_ext[kind], .fn = "help" };

	luaxt_run(luaxt_p_help, &req);
}

static void luaxt_init(enum luaxt_kind kind, void *data)
{
	struct luaxt_req req = { .ext = &luaxt_ext[kind], .fn = "init",
				 .info = data };

	luaxt_run(luaxt_p_init, &req);
}

static int luaxt_parse(enum luaxt_kind kind, int c, int invert,
		       unsigned int *flags, void *data)
{
	struct luaxt_ext *ext = &luaxt_ext[kind];
	struct luaxt_req req = { .ext = ext, .fn = "parse", .info = data,
				 .option = c, .invert = invert,
				 .flags = *flags };

	if (c < 0 || (unsigned int)c >= ext->nopts)
		return 0;
	luaxt_run(luaxt_p_parse, &req);
	if (!req.consumed)
		xtables_error(PARAMETER_PROBLEM, "%s %s: invalid use of --%s%s%s",
			      luaxt_name, ext->what, ext->opts[c].name,
			      optarg ? " " : "", optarg ? optarg : "");
	*flags = req.flags;
	return 1;
}

static void luaxt_final_check(enum luaxt_kind kind, unsigned int flags)
{
	struct luaxt_req req = { .ext = &luaxt_ext[kind], .fn = "final_check",
				 .flags = flags };

	luaxt_run(luaxt_p_final_check, &req);
}

static void luaxt_show(enum luaxt_kind kind, const char *fn, const void *data,
		       int numeric)
{
	struct luaxt_req req = { .ext = &luaxt_ext[kind], .fn = fn,
				 .cinfo = data, .numeric = numeric };

	luaxt_run(luaxt_p_show, &req);
}

static void luaxt_mt_help(void)
{
	luaxt_help(LUAXT_MATCH);
}

static void luaxt_mt_init(struct xt_entry_match *m)
{
	luaxt_init(LUAXT_MATCH, m->data);
}

static int luaxt_mt_parse(int c, char **argv, int invert, unsigned int *flags,
			  const void *entry, struct xt_entry_match **m)
{
	return luaxt_parse(LUAXT_MATCH, c, invert, flags, (*m)->data);
}

static void luaxt_mt_final_check(unsigned int flags)
{
	luaxt_final_check(LUAXT_MATCH, flags);
}

static void luaxt_mt_print(const void *ip, const struct xt_entry_match *m,
			   int numeric)
{
	luaxt_show(LUAXT_MATCH, "print", m->data, numeric);
}

static void luaxt_mt_save(const void *ip, const struct xt_entry_match *m)
{
	luaxt_show(LUAXT_MATCH, "save", m->data, 0);
}

static void luaxt_tg_help(void)
{
	luaxt_help(LUAXT_TARGET);
}

static void luaxt_tg_init(struct xt_entry_target *t)
{
	luaxt_init(LUAXT_TARGET, t->data);
}

static int luaxt_tg_parse(int c, char **argv, int invert, unsigned int *flags,
			  const void *entry, struct xt_entry_target **t)
{
	return luaxt_parse(LUAXT_TARGET, c, invert, flags, (*t)->data);
}

static void luaxt_tg_final_check(unsigned int flags)
{
	luaxt_final_check(LUAXT_TARGET, flags);
}

static void luaxt_tg_print(const void *ip, const struct xt_entry_target *t,
			   int numeric)
{
	luaxt_show(LUAXT_TARGET, "print", t->data, numeric);
}

static void luaxt_tg_save(const void *ip, const struct xt_entry_target *t)
{
	luaxt_show(LUAXT_TARGET, "save", t->data, 0);
}

/*
 * userspacesize covers the arguments only: iptables -D compares rules on
 * these bytes, never on the kernel-owned slot behind them.
 */
static struct xtables_match luaxt_mt_reg = {
	.version	= XTABLES_VERSION,
	.size		= XT_ALIGN(sizeof(luaxtable_info_t)),
	.userspacesize	= offsetof(luaxtable_info_t, data),
	.help		= luaxt_mt_help,
	.init		= luaxt_mt_init,
	.parse		= luaxt_mt_parse,
	.final_check	= luaxt_mt_final_check,
	.print		= luaxt_mt_print,
	.save		= luaxt_mt_save,
};

static struct xtables_target luaxt_tg_reg = {
	.version	= XTABLES_VERSION,
	.size		= XT_ALIGN(sizeof(luaxtable_info_t)),
	.userspacesize	= offsetof(luaxtable_info_t, data),
	.help		= luaxt_tg_help,
	.init		= luaxt_tg_init,
	.parse		= luaxt_tg_parse,
	.final_check	= luaxt_tg_final_check,
	.print		= luaxt_tg_print,
	.save		= luaxt_tg_save,
};

/* ---- the luaxt library ------------------------------------------------ */

static bool luaxt_validoptname(const char *s, size_t len)
{
	size_t i;

	if (len == 0 || len > LUAXT_OPTNAME_MAX || s[0] == '-')
		return false;
	for (i = 0; i < len; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
		      (s[i] >= '0' && s[i] <= '9') || s[i] == '-' || s[i] == '_'))
			return false;
	return true;
}

/*
 * opts.options = { { name = "list", arg = true, help = "..." }, ... }
 * arg: nil/false (a flag), true (required value) or "optional".
 * The option names and help strings are kept alive by the anchor table at
 * index `anchor`, so the getopt table can point into them.
 */
static void luaxt_checkoptions(lua_State *L, struct luaxt_ext *ext, int anchor)
{
	lua_Integer i, n;

	if (lua_getfield(L, 1, "options") == LUA_TNIL) {
		lua_pop(L, 1);
		return;
	}
	luaL_argexpected(L, lua_istable(L, -1), 1, "options as a table");
	n = luaL_len(L, -1);
	if (n > LUAXT_OPTIONS_MAX)
		luaL_error(L, "at most %d options", LUAXT_OPTIONS_MAX);
	for (i = 1; i <= n; i++) {
		struct option *o = &ext->opts[i - 1];
		const char *name;
		size_t len;
		lua_Integer j;

		if (lua_geti(L, -1, i) != LUA_TTABLE)
			luaL_error(L, "options[%d] must be a table", (int)i);
		if (lua_getfield(L, -1, "name") != LUA_TSTRING)
			luaL_error(L, "options[%d].name must be a string", (int)i);
		name = lua_tolstring(L, -1, &len);
		if (!luaxt_validoptname(name, len))
			luaL_error(L, "options[%d].name '%s' is not a valid option name",
				   (int)i, name);
		for (j = 0; j < i - 1; j++)
			if (strcmp(ext->opts[j].name, name) == 0)
				luaL_error(L, "option --%s declared twice", name);
		o->name = name;
		lua_rawseti(L, anchor, luaL_len(L, anchor) + 1);

		lua_getfield(L, -1, "arg");
		if (lua_isnil(L, -1) || (lua_isboolean(L, -1) && !lua_toboolean(L, -1)))
			o->has_arg = no_argument;
		else if (lua_isboolean(L, -1))
			o->has_arg = required_argument;
		else if (lua_type(L, -1) == LUA_TSTRING &&
			 strcmp(lua_tostring(L, -1), "optional") == 0)
			o->has_arg = optional_argument;
		else
			luaL_error(L, "options[%d].arg must be a boolean or \"optional\"",
				   (int)i);
		lua_pop(L, 1);

		switch (lua_getfield(L, -1, "help")) {
		case LUA_TNIL:
			lua_pop(L, 1);
			break;
		case LUA_TSTRING:
			ext->opthelp[i - 1] = lua_tostring(L, -1);
			lua_rawseti(L, anchor, luaL_len(L, anchor) + 1);
			break;
		default:
			luaL_error(L, "options[%d].help must be a string", (int)i);
		}
		o->flag = NULL;
		o->val = (int)(i - 1);
		lua_pop(L, 1);
		ext->nopts = (unsigned int)i;
	}
	lua_pop(L, 1);
}

static lua_Integer luaxt_checkfamily(lua_State *L)
{
	lua_Integer family;
	size_t i;
	int isint;

	lua_getfield(L, 1, "family");
	family = lua_tointegerx(L, -1, &isint);
	if (!isint)
		luaL_error(L, "family must be one of luaxt.family");
	for (i = 0; i < sizeof(luaxt_families) / sizeof(luaxt_families[0]); i++)
		if (luaxt_families[i].value == family) {
			lua_pop(L, 1);
			return family;
		}
	return luaL_error(L, "family %d is not one of luaxt.family", (int)family);
}

static int luaxt_declare(lua_State *L, enum luaxt_kind kind)
{
	struct luaxt_ext *ext = &luaxt_ext[kind];
	lua_Integer revision, family;
	int isint, anchor;
	size_t i;

	luaL_checktype(L, 1, LUA_TTABLE);
	if (ext->ref != LUA_NOREF)
		return luaL_error(L, "luaxt.%s declared twice", ext->what);

	lua_getfield(L, 1, "revision");
	revision = lua_tointegerx(L, -1, &isint);
	if (!isint || revision < 0 || revision > UINT8_MAX)
		return luaL_error(L, "revision must be an integer in 0..255");
	lua_pop(L, 1);
	family = luaxt_checkfamily(L);
	for (i = 0; i < sizeof(luaxt_callbacks) / sizeof(luaxt_callbacks[0]); i++) {
		int t = lua_getfield(L, 1, luaxt_callbacks[i]);

		if (t != LUA_TNIL && t != LUA_TFUNCTION)
			return luaL_error(L, "%s must be a function", luaxt_callbacks[i]);
		lua_pop(L, 1);
	}

	lua_newtable(L);
	anchor = lua_gettop(L);
	memset(ext->opts, 0, sizeof(ext->opts));
	memset(ext->opthelp, 0, sizeof(ext->opthelp));
	ext->nopts = 0;
	luaxt_checkoptions(L, ext, anchor);
	/* the description and the strings the option table points into */
	lua_pushvalue(L, 1);
	lua_setfield(L, anchor, "description");
	ext->ref = luaL_ref(L, LUA_REGISTRYINDEX);

	if (kind == LUAXT_MATCH) {
		luaxt_mt_reg.revision = (uint8_t)revision;
		luaxt_mt_reg.family = (uint16_t)family;
	} else {
		luaxt_tg_reg.revision = (uint8_t)revision;
		luaxt_tg_reg.family = (uint16_t)family;
	}
	return 0;
}

static int luaxt_match(lua_State *L)
{
	return luaxt_declare(L, LUAXT_MATCH);
}

static int luaxt_target(lua_State *L)
{
	return luaxt_declare(L, LUAXT_TARGET);
}

static int luaxt_open(lua_State *L)
{
	static const luaL_Reg funcs[] = {
		{ "match", luaxt_match },
		{ "target", luaxt_target },
		{ NULL, NULL },
	};
	size_t i;

	luaL_newlib(L, funcs);
	lua_createtable(L, 0, sizeof(luaxt_families) / sizeof(luaxt_families[0]));
	for (i = 0; i < sizeof(luaxt_families) / sizeof(luaxt_families[0]); i++) {
		lua_pushinteger(L, luaxt_families[i].value);
		lua_setfield(L, -2, luaxt_families[i].name);
	}
	lua_setfield(L, -2, "family");
	return 1;
}

/* ---- loading ---------------------------------------------------------- */

/*
 * require() must never look in iptables' working directory (3.6 loaded the
 * description itself from there): keep only absolute search path entries.
 */
static const char luaxt_pathfix[] =
	"local package = ...\n"
	"for _, k in ipairs{'path', 'cpath'} do\n"
	"  local kept = {}\n"
	"  for e in package[k]:gmatch('[^;]+') do\n"
	"    if e:sub(1, 1) == '/' then kept[#kept + 1] = e end\n"
	"  end\n"
	"  package[k] = table.concat(kept, ';')\n"
	"end\n";

struct luaxt_chunk {
	const char *source;
	size_t len;
};

static int luaxt_p_load(lua_State *L)
{
	const struct luaxt_chunk *chunk = lua_touserdata(L, 1);
	char chunkname[LUAXT_NAME_MAX + 16];

	luaL_openlibs(L);
	if (luaL_loadbufferx(L, luaxt_pathfix, sizeof(luaxt_pathfix) - 1,
			     "=luaxt", "t") != LUA_OK)
		return lua_error(L);
	lua_getglobal(L, "package");
	lua_call(L, 1, 0);
	luaL_requiref(L, "luaxt", luaxt_open, 1);
	lua_pop(L, 1);

	snprintf(chunkname, sizeof(chunkname), "=libxt_%s.lua", luaxt_name);
	if (luaL_loadbufferx(L, chunk->source, chunk->len, chunkname, "t") != LUA_OK)
		return lua_error(L);
	lua_call(L, 0, 0);
	if (luaxt_ext[LUAXT_MATCH].ref == LUA_NOREF &&
	    luaxt_ext[LUAXT_TARGET].ref == LUA_NOREF)
		return luaL_error(L, "the description declares neither luaxt.match "
				  "nor luaxt.target");
	return 0;
}

void luaxt_load(const char *name, const char *source, size_t len)
{
	struct luaxt_chunk chunk = { .source = source, .len = len };
	lua_State *L;

	if (luaxt_L != NULL)
		return;
	L = luaL_newstate();
	if (L == NULL) {
		fprintf(stderr, "libxt_%s: cannot create a Lua state\n", name);
		return;
	}
	luaxt_name = name;
	lua_pushcfunction(L, luaxt_msgh);
	lua_pushcfunction(L, luaxt_p_load);
	lua_pushlightuserdata(L, &chunk);
	if (lua_pcall(L, 1, 0, 1) != LUA_OK) {
		fprintf(stderr, "libxt_%s: %s\n", name, lua_tostring(L, -1));
		lua_close(L);
		return;
	}
	lua_settop(L, 0);
	luaxt_L = L;

	/* registered only once the whole description ran without error */
	if (luaxt_ext[LUAXT_MATCH].ref != LUA_NOREF) {
		luaxt_mt_reg.name = name;
		if (luaxt_ext[LUAXT_MATCH].nopts > 0)
			luaxt_mt_reg.extra_opts = luaxt_ext[LUAXT_MATCH].opts;
		xtables_register_match(&luaxt_mt_reg);
	}
	if (luaxt_ext[LUAXT_TARGET].ref != LUA_NOREF) {
		luaxt_tg_reg.name = name;
		if (luaxt_ext[LUAXT_TARGET].nopts > 0)
			luaxt_tg_reg.extra_opts = luaxt_ext[LUAXT_TARGET].opts;
		xtables_register_target(&luaxt_tg_reg);
	}
}
