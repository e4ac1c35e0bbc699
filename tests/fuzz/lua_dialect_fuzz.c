// SPDX-License-Identifier: GPL-2.0
/*
 * lua_dialect_fuzz.c - libFuzzer target for the kernel's integer-only Lua.
 *
 * Each input is a Lua chunk (text only, as in the kernel) run in a fresh
 * state set up like a Lunatik runtime: the same libraries, a memory cap
 * enforced by the allocator, an instruction budget enforced by a count
 * hook, and lua_close() given a fresh budget for the finalizers. Lua
 * errors are the expected outcome and are ignored; what counts is a crash,
 * a sanitizer report, a leak (libFuzzer runs LeakSanitizer after an input
 * whose mallocs and frees differ), a Lua assertion (built with
 * LUAI_ASSERT), an allocator whose books do not balance after lua_close,
 * or an input that never ends (libFuzzer -timeout): the budget must stop
 * every script, so time spent in C without running Lua instructions is a
 * bug too.
 *
 * Build and run: tests/fuzz/build.sh, tests/fuzz/run.sh.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "lua.h"
#include "lauxlib.h"
#include "lualib.h"

/* a runtime's cap is 16 MiB by default; smaller reaches OOM paths sooner */
#define FUZZ_MEM_LIMIT	((size_t)8 << 20)
/* plenty for the seeds' loops; endless loops end within milliseconds */
#define FUZZ_BUDGET	200000L
/* as LUNATIK_HOOK_STEP: the hook is armed with this count */
#define FUZZ_HOOK_STEP	1000

struct fuzz {
	size_t used;		/* bytes Lua holds */
	long budget_left;	/* instructions left for the current call */
	int cut;		/* budget gone: raise on every instruction */
};

static struct fuzz *fuzz_of(lua_State *L)
{
	/* the extra space is copied into every new thread (coroutine) */
	return *(struct fuzz **)lua_getextraspace(L);
}

/*
 * Like lunatik_lua_alloc(): growing past the cap fails (Lua then collects
 * and raises "not enough memory"); freeing and shrinking never fail, as
 * Lua requires. osize is the block's size when ptr is not NULL, so the
 * books balance only if Lua passes every size back right.
 */
static void *fuzz_alloc(void *ud, void *ptr, size_t osize, size_t nsize)
{
	struct fuzz *f = ud;
	void *p;

	if (ptr == NULL)
		osize = 0;	/* osize is then the type of the new object */
	if (nsize == 0) {
		free(ptr);
		f->used -= osize;
		return NULL;
	}
	if (nsize > osize && nsize - osize > FUZZ_MEM_LIMIT - f->used)
		return NULL;
	p = realloc(ptr, nsize);
	if (p == NULL)
		return NULL;
	f->used = f->used - osize + nsize;
	return p;
}

/*
 * The runtime's budget hook (kmod/runtime.c): every FUZZ_HOOK_STEP
 * instructions it takes what it was armed with from the budget; once the
 * budget is gone it re-arms itself for every instruction and raises each
 * time, so a script that catches the error with pcall cannot go on.
 */
/* take n from the budget; the call is cut once it is spent */
static void fuzz_spend(struct fuzz *f, long n)
{
	if (f->cut)
		return;
	f->budget_left -= n;
	if (f->budget_left <= 0)
		f->cut = 1;
}

static void fuzz_hook(lua_State *L, lua_Debug *ar)
{
	struct fuzz *f = fuzz_of(L);
	int count = lua_gethookcount(L);

	(void)ar;
	fuzz_spend(f, count);
	if (!f->cut) {
		/* a coroutine left at step 1 by an earlier cut */
		if (count != FUZZ_HOOK_STEP)
			lua_sethook(L, fuzz_hook, LUA_MASKCOUNT,
				    FUZZ_HOOK_STEP);
		return;
	}
	lua_sethook(L, fuzz_hook, LUA_MASKCOUNT, 1);
	luaL_where(L, 0);
	lua_pushstring(L, "instruction budget exceeded");
	lua_concat(L, 2);
	lua_error(L);
}

/*
 * The kernel's lunatik_lua_work() (luaconf.h luai_work): work done in C
 * loops the hook cannot see (pattern matching, table.move, table.sort)
 * comes off the same budget. Replaces the host library's no-op.
 */
void lunatik_lua_work(lua_State *L, long n);

void lunatik_lua_work(lua_State *L, long n)
{
	struct fuzz *f = fuzz_of(L);

	fuzz_spend(f, n);
	if (!f->cut)
		return;
	lua_sethook(L, fuzz_hook, LUA_MASKCOUNT, 1);
	/* not the C API: this may run inside the VM or the parser */
	lunatik_lua_workerror(L, "instruction budget exceeded");
}

/* the kernel's lunatik_lua_workdefer(): charged now, raised by the hook */
void lunatik_lua_workdefer(lua_State *L, long n);

void lunatik_lua_workdefer(lua_State *L, long n)
{
	fuzz_spend(fuzz_of(L), n);
}

/* a fresh budget, as __lunatik_runtime_call() gives each call */
static void fuzz_arm(lua_State *L, struct fuzz *f)
{
	f->budget_left = FUZZ_BUDGET;
	f->cut = 0;
	lua_sethook(L, fuzz_hook, LUA_MASKCOUNT, FUZZ_HOOK_STEP);
}

/* only reachable if Lua raises outside any protected call: a bug */
static int fuzz_panic(lua_State *L)
{
	const char *msg = lua_tostring(L, -1);

	fprintf(stderr, "lua_dialect_fuzz: PANIC: %s\n",
		msg ? msg : "(error object is not a string)");
	abort();
	return 0;
}

/*
 * The host interpreter's libraries (luaL_openlibs, lkinit.c), without the
 * host's files: the kernel opens files through lklibc.c, which the host
 * build does not have, and here a script could read the fuzzer's stdin or
 * block opening /dev/tty or a FIFO. load() with a string or a reader
 * function, the parser's other entry points, stay.
 */
static int fuzz_setup(lua_State *L)
{
	luaL_openlibs(L);
	lua_pushnil(L);
	lua_setglobal(L, "loadfile");
	lua_pushnil(L);
	lua_setglobal(L, "dofile");
	lua_getglobal(L, "package");
	lua_pushnil(L);
	lua_setfield(L, -2, "searchpath");
	lua_getfield(L, -1, "searchers");
	lua_pushnil(L);
	lua_rawseti(L, -2, 2);	/* searcher_Lua (loadlib.c); 1 is preload */
	lua_pop(L, 2);
	return 0;
}

struct chunk {
	const char *data;
	size_t size;
};

/* load and run the input inside one protected call, as the runtime does */
static int fuzz_run(lua_State *L)
{
	const struct chunk *c = lua_touserdata(L, 1);

	/* "t": binary chunks are refused anyway (ldo.c patch) */
	if (luaL_loadbufferx(L, c->data, c->size, "=fuzz", "t") != LUA_OK)
		return lua_error(L);
	lua_call(L, 0, 0);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fuzz f = { 0 };
	struct chunk c = { (const char *)data, size };
	lua_State *L = lua_newstate(fuzz_alloc, &f);

	if (L == NULL)
		return 0;
	*(struct fuzz **)lua_getextraspace(L) = &f;
	lua_atpanic(L, fuzz_panic);

	fuzz_arm(L, &f);
	lua_pushcfunction(L, fuzz_setup);
	if (lua_pcall(L, 0, 0, 0) == LUA_OK) {
		fuzz_arm(L, &f);
		lua_pushcfunction(L, fuzz_run);
		lua_pushlightuserdata(L, &c);
		lua_pcall(L, 1, 0, 0);	/* an error is a normal outcome */
	}
	lua_settop(L, 0);

	/* finalizers run in lua_close: a fresh budget, as runtime_close */
	fuzz_arm(L, &f);
	lua_close(L);
	if (f.used != 0) {
		fprintf(stderr, "lua_dialect_fuzz: %zu bytes unaccounted "
			"after lua_close\n", f.used);
		abort();
	}
	return 0;
}
