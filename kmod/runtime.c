// SPDX-License-Identifier: GPL-2.0
/*
 * runtime.c - one lua_State: creation, script loading, protected calls with
 * an instruction budget, locking and teardown.
 *
 * The budget is a count hook installed once on the main thread when the
 * state is created; coroutines inherit it from the thread that creates them
 * (lua_newthread copies the hook), so every thread of the state is covered.
 * The hook fires every LUNATIK_HOOK_STEP instructions and subtracts what it
 * was armed with from the runtime's budget for the current call. Once the
 * budget is gone the hook re-arms itself to fire on every instruction and
 * raises each time, so a script that catches the error with pcall still
 * cannot go on: the very next instruction raises again.
 */
#include <linux/fs.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <net/net_namespace.h>

#include "lunatik_internal.h"

enum lunatik_cut {
	LUNATIK_CUT_NONE,
	LUNATIK_CUT_BUDGET,
	LUNATIK_CUT_SIGNAL,
};

/* ------------------------------------------------------------- accessors */

struct lunatik_runtime *lunatik_toruntime(lua_State *L)
{
	return *(struct lunatik_runtime **)lua_getextraspace(L);
}

bool lunatik_cansleep(lua_State *L)
{
	return lunatik_toruntime(L)->ctx_sleep;
}

gfp_t lunatik_gfp(lua_State *L)
{
	return lunatik_toruntime(L)->gfp;
}

struct net *lunatik_net(lua_State *L)
{
	return lunatik_toruntime(L)->net;
}

int lunatik_cpu(lua_State *L)
{
	return lunatik_toruntime(L)->cpu;
}

struct lunatik_set *lunatik_set_of(lua_State *L)
{
	return lunatik_toruntime(L)->set;
}

/* ---------------------------------------------------------------- locking */

void lunatik_runtime_lock(struct lunatik_runtime *rt)
{
	if (rt->sleep)
		mutex_lock(&rt->mutex);
	else
		spin_lock_bh(&rt->spin);
}

/* Like lunatik_runtime_lock(), but a process waiting for a mutex may be
 * killed (Ctrl-C on a CLI waiting behind a long call). */
int lunatik_runtime_lock_killable(struct lunatik_runtime *rt)
{
	if (rt->sleep)
		return mutex_lock_killable(&rt->mutex);
	spin_lock_bh(&rt->spin);
	return 0;
}

void lunatik_runtime_unlock(struct lunatik_runtime *rt)
{
	if (rt->sleep)
		mutex_unlock(&rt->mutex);
	else
		spin_unlock_bh(&rt->spin);
}

/* ----------------------------------------------------------------- budget */

static int lunatik_hook_step(const struct lunatik_runtime *rt)
{
	if (rt->budget != LUNATIK_NO_BUDGET && rt->budget < LUNATIK_HOOK_STEP)
		return (int)rt->budget;
	return LUNATIK_HOOK_STEP;
}

static void lunatik_hook(lua_State *L, lua_Debug *ar);

static const char *lunatik_cut_msg(const struct lunatik_runtime *rt)
{
	return rt->cut == LUNATIK_CUT_SIGNAL ? "interrupted" :
	       "instruction budget exceeded";
}

/*
 * End a cut call from the hook: it fires at every instruction from now on,
 * so a pcall in the script cannot swallow the cut. Level 0 inside a hook is
 * the Lua function being run: the message names its line.
 */
static void lunatik_cut_raise(lua_State *L, struct lunatik_runtime *rt)
{
	lua_sethook(L, lunatik_hook, LUA_MASKCOUNT, 1);
	luaL_where(L, 0);
	lua_pushstring(L, lunatik_cut_msg(rt));
	lua_concat(L, 2);
	lua_error(L);
}

/*
 * Take @n instructions' worth of work from the running call's budget; with
 * @may_sleep, a process-context call also yields the CPU and notices a
 * fatal signal. Sets @rt->cut when the call must end.
 */
static void lunatik_spend(struct lunatik_runtime *rt, long n, bool may_sleep)
{
	if (rt->cut)
		return;
	if (may_sleep && rt->ctx_sleep) {
		/* long process-context calls must not starve the CPU */
		cond_resched();
		if (fatal_signal_pending(current)) {
			rt->cut = LUNATIK_CUT_SIGNAL;
			return;
		}
	}
	if (rt->budget != LUNATIK_NO_BUDGET) {
		rt->budget_left -= n;
		if (rt->budget_left <= 0)
			rt->cut = LUNATIK_CUT_BUDGET;
	}
}

static void lunatik_hook(lua_State *L, lua_Debug *ar)
{
	struct lunatik_runtime *rt = lunatik_toruntime(L);
	int count = lua_gethookcount(L);

	lunatik_spend(rt, count, true);
	if (rt->cut) {
		lunatik_cut_raise(L, rt);
		return;
	}
	/* a coroutine left at step 1 by an earlier cut call */
	if (count != lunatik_hook_step(rt))
		lua_sethook(L, lunatik_hook, LUA_MASKCOUNT, lunatik_hook_step(rt));
}

/**
 * lunatik_lua_workdefer - lunatik_lua_work() where nothing may be raised
 *
 * Marks the call cut once the budget is spent; the count hook raises at its
 * next firing (LUNATIK_HOOK_STEP instructions at most).
 */
void lunatik_lua_workdefer(lua_State *L, long n)
{
	lunatik_spend(lunatik_toruntime(L), n, false);
}

/**
 * lunatik_lua_work - charge @n units of work done in a C loop (luaconf.h)
 *
 * The same accounting as the hook, for work in Lua's C code that runs no VM
 * instruction (the list is in luaconf.h, the places in kmod/lua/patches).
 */
void lunatik_lua_work(lua_State *L, long n)
{
	struct lunatik_runtime *rt = lunatik_toruntime(L);

	lunatik_spend(rt, n, true);
	if (rt->cut) {
		/* as the hook does: every instruction from now on raises */
		lua_sethook(L, lunatik_hook, LUA_MASKCOUNT, 1);
		/* not the C API: this may run inside the VM or the parser */
		lunatik_lua_workerror(L, lunatik_cut_msg(rt));
	}
}

/* ---------------------------------------------------------- protected call */

struct lunatik_tramp {
	lunatik_handler_t fn;
	void *arg;
	int ret;
};

static int lunatik_trampoline(lua_State *L)
{
	struct lunatik_tramp *t = lua_touserdata(L, 1);

	lua_settop(L, 0);
	t->ret = t->fn(L, t->arg);
	return 0;
}

static int lunatik_errno(const struct lunatik_runtime *rt, int status)
{
	if (rt->cut == LUNATIK_CUT_BUDGET)
		return ETIME;
	if (rt->cut == LUNATIK_CUT_SIGNAL)
		return EINTR;
	switch (status) {
	case LUA_ERRMEM:
		return ENOMEM;
	case LUA_ERRSYNTAX:
		return ENOEXEC;
	default:
		return EINVAL;
	}
}

static void lunatik_seterr(struct lunatik_runtime *rt, int status,
			   struct lunatik_err *err)
{
	lua_State *L = rt->L;
	int eno = lunatik_errno(rt, status);
	char other[64];
	const char *msg;

	/*
	 * Outside the protected call nothing may allocate (an allocation
	 * failure would have no handler to unwind to): take strings as they
	 * are, never let lua_tostring() convert a number in place.
	 */
	if (lua_type(L, -1) == LUA_TSTRING) {
		msg = lua_tostring(L, -1);
	} else {
		snprintf(other, sizeof(other), "(error object is a %s value)",
			 luaL_typename(L, -1));
		msg = other;
	}
	if (err) {
		err->errno_ = eno;
		strscpy(err->msg, msg, sizeof(err->msg));
	} else {
		pr_err_ratelimited("lunatik: %s: %s\n",
				   rt->set ? rt->set->name : "runtime", msg);
	}
}

static int __lunatik_runtime_call(struct lunatik_runtime *rt, u64 budget,
				  lunatik_handler_t fn, void *arg, int *ret,
				  struct lunatik_err *err)
{
	struct lunatik_tramp t = { .fn = fn, .arg = arg };
	lua_State *L = rt->L;
	int top, status;

	if (!L || rt->stopped)
		return -ENXIO;
	top = lua_gettop(L);
	rt->budget_left = budget;
	rt->cut = LUNATIK_CUT_NONE;
	lua_sethook(L, lunatik_hook, LUA_MASKCOUNT, lunatik_hook_step(rt));

	lua_pushcfunction(L, lunatik_trampoline);
	lua_pushlightuserdata(L, &t);
	status = lua_pcall(L, 1, 0, 0);
	rt->calls++;
	if (status != LUA_OK) {
		rt->errors++;
		if (rt->cut == LUNATIK_CUT_BUDGET)
			rt->budget_hits++;
		lunatik_seterr(rt, status, err);
		status = -lunatik_errno(rt, status);
	}
	lua_settop(L, top);
	rt->cut = LUNATIK_CUT_NONE;
	if (ret && status == 0)
		*ret = t.ret;
	return status;
}

/**
 * lunatik_runtime_call - run @fn(L, @arg) protected, with the call budget
 * @rt:  the runtime, locked by the caller (or not yet published)
 * @ret: where @fn's return value goes (may be NULL)
 * @err: receives the error message; NULL logs it rate-limited instead
 *
 * Counts the call, its error and its budget hit.
 * Return: 0, or -errno describing the Lua error (-ETIME: budget exhausted,
 * -EINTR: fatal signal, -ENOMEM: memory cap, -EINVAL: other error,
 * -ENXIO: the runtime was stopped).
 */
int lunatik_runtime_call(struct lunatik_runtime *rt, lunatik_handler_t fn,
			 void *arg, int *ret, struct lunatik_err *err)
{
	return __lunatik_runtime_call(rt, rt->budget, fn, arg, ret, err);
}

/**
 * lunatik_runtime_call_budget - lunatik_runtime_call() with @budget
 * instructions instead of the runtime's (hooks: a packet-sized budget)
 */
int lunatik_runtime_call_budget(struct lunatik_runtime *rt, u64 budget,
				lunatik_handler_t fn, void *arg, int *ret,
				struct lunatik_err *err)
{
	return __lunatik_runtime_call(rt, budget, fn, arg, ret, err);
}

/**
 * lunatik_runtime_call_from - a call made as part of another runtime's call
 * @caller: the runtime whose call this is (runtime:resume)
 * @used:   receives the instructions @rt ran, to be charged to @caller
 *
 * @rt runs with no more than what is left of @caller's budget (or its own,
 * if smaller): resuming another runtime cannot multiply a hook call's
 * budget. Locking and counting as lunatik_runtime_call().
 */
int lunatik_runtime_call_from(struct lunatik_runtime *rt,
			      const struct lunatik_runtime *caller,
			      lunatik_handler_t fn, void *arg,
			      struct lunatik_err *err, u64 *used)
{
	u64 budget = rt->budget;
	int ret;

	if (caller->budget != LUNATIK_NO_BUDGET) {
		u64 left = max_t(s64, caller->budget_left, 1);

		if (budget == LUNATIK_NO_BUDGET || budget > left)
			budget = left;
	}
	ret = __lunatik_runtime_call(rt, budget, fn, arg, NULL, err);
	*used = budget == LUNATIK_NO_BUDGET ? 0 :
		budget - clamp_t(s64, rt->budget_left, 0, budget);
	return ret;
}

/* ------------------------------------------------------------ script file */

/**
 * lunatik_read_script - read a whole script file (process context only)
 * @path: file to read
 * @buf:  receives a NUL-terminated lunatik_malloc() block
 * @len:  receives its length
 */
int lunatik_read_script(const char *path, char **buf, size_t *len)
{
	struct file *f;
	loff_t size, pos = 0;
	char *b;
	int ret;

	f = filp_open(path, O_RDONLY, 0);
	if (IS_ERR(f))
		return PTR_ERR(f);
	if (!S_ISREG(file_inode(f)->i_mode)) {
		ret = S_ISDIR(file_inode(f)->i_mode) ? -EISDIR : -EINVAL;
		goto out_close;
	}
	size = i_size_read(file_inode(f));
	if (size > LUNATIK_SCRIPT_MAX) {
		ret = -EFBIG;
		goto out_close;
	}
	b = lunatik_malloc(size + 1, GFP_KERNEL);
	if (!b) {
		ret = -ENOMEM;
		goto out_close;
	}
	while (pos < size) {
		ssize_t n = kernel_read(f, b + pos, size - pos, &pos);

		if (n < 0) {
			ret = n;
			goto out_free;
		}
		if (n == 0)
			break;
	}
	b[pos] = '\0';
	*buf = b;
	*len = pos;
	ret = 0;
	goto out_close;
out_free:
	lunatik_free(b);
out_close:
	filp_close(f, NULL);
	return ret;
}

/* ------------------------------------------------------------------ setup */

/**
 * lunatik_chunkname - the Lua chunk name for a user-given @name
 *
 * Names without Lua's '@' (file) or '=' (verbatim) prefix get '@', so
 * errors read "name:LINE: message" rather than [string "name"]:LINE:.
 * May raise (memory); the result lives on L's stack.
 */
const char *lunatik_chunkname(lua_State *L, const char *name, const char *dflt)
{
	if (!name || !*name)
		return dflt;
	if (name[0] == '@' || name[0] == '=')
		return name;
	return lua_pushfstring(L, "@%s", name);
}

struct lunatik_load {
	const char *script;
	const char *chunkname;
	const char *buf;
	size_t len;
	int status;
};

static int lunatik_load_handler(lua_State *L, void *arg)
{
	struct lunatik_runtime *rt = lunatik_toruntime(L);
	struct lunatik_load *ld = arg;
	const char *root = lunatik_script_root();
	const char *chunkname = ld->chunkname;

	/* binary chunks are refused by the Lua port itself (ldo.c) */
	luaL_openlibs(L);

	lua_getglobal(L, "package");
	if (lua_istable(L, -1)) {
		lua_pushfstring(L, "%s/?.lua;%s/?/init.lua", root, root);
		lua_setfield(L, -2, "path");
	}
	lua_pop(L, 1);
	lunatik_libs_preload(L);
	/* "lunatik" is also a global, so a REPL line can use lunatik.cpu() */
	luaL_requiref(L, "lunatik", luaopen_lunatik, 1);
	lua_pop(L, 1);

	if (!ld->script)
		return 0;
	chunkname = chunkname ? lunatik_chunkname(L, chunkname, NULL) :
		    lua_pushfstring(L, "@%s", ld->script);
	ld->status = luaL_loadbufferx(L, ld->buf, ld->len, chunkname, "t");
	if (ld->status != LUA_OK)
		return lua_error(L);
	lua_call(L, 0, 1);
	if (lua_isfunction(L, -1))
		rt->entry = luaL_ref(L, LUA_REGISTRYINDEX);
	return 0;
}

static void lunatik_err_printf(struct lunatik_err *err, int eno,
			       const char *fmt, const char *arg)
{
	if (!err)
		return;
	err->errno_ = eno;
	snprintf(err->msg, sizeof(err->msg), fmt, arg);
}

/**
 * lunatik_runtime_new - create a runtime and run its script body
 * @cfg: what to build
 * @err: receives the load error (may be NULL)
 *
 * Process context only: the body always runs here, with GFP_KERNEL, may
 * sleep, and gets LUNATIK_LOAD_BUDGET_MULT times the call budget.
 * Return: the runtime or ERR_PTR(-errno).
 */
struct lunatik_runtime *lunatik_runtime_new(const struct lunatik_runtime_cfg *cfg,
					    struct lunatik_err *err)
{
	struct lunatik_load ld = {
		.script = cfg->script,
		.chunkname = cfg->chunkname,
	};
	struct lunatik_runtime *rt;
	char *buf = NULL;
	u64 budget;
	int ret;

	might_sleep();
	rt = lunatik_zalloc(sizeof(*rt), GFP_KERNEL);
	if (!rt) {
		lunatik_err_printf(err, ENOMEM, "%snot enough memory", "");
		return ERR_PTR(-ENOMEM);
	}
	rt->set = cfg->set;
	rt->net = cfg->net;
	rt->cpu = cfg->cpu;
	rt->sleep = cfg->sleep;
	rt->budget = cfg->budget;
	rt->nest = cfg->nest;
	rt->entry = LUA_NOREF;
	rt->co = LUA_NOREF;
	INIT_LIST_HEAD(&rt->tree_node);
	rt->ctx_sleep = true;
	rt->gfp = GFP_KERNEL;
	/*
	 * Separate init sites give set instances and Lua-made runtimes
	 * separate lockdep classes: an instance may lock a Lua-made runtime
	 * (resume) while holding its own lock, never the reverse.
	 */
	if (rt->sleep && rt->set)
		mutex_init(&rt->mutex);
	else if (rt->sleep)
		mutex_init(&rt->mutex);
	else if (rt->set)
		spin_lock_init(&rt->spin);
	else
		spin_lock_init(&rt->spin);

	if (cfg->quota) {
		rt->quota = cfg->quota;
		lunatik_quota_get(rt->quota);
	} else {
		rt->quota = lunatik_quota_new(cfg->mem_limit);
		if (!rt->quota) {
			ret = -ENOMEM;
			lunatik_err_printf(err, ENOMEM, "%snot enough memory", "");
			goto out_free;
		}
	}

	if (cfg->script) {
		ret = lunatik_read_script(cfg->script, &buf, &ld.len);
		if (ret) {
			lunatik_err_printf(err, -ret, "cannot read %s", cfg->script);
			goto out_quota;
		}
		ld.buf = buf;
	}

	rt->L = lua_newstate(lunatik_lua_alloc, rt);
	if (!rt->L) {
		ret = -ENOMEM;
		lunatik_err_printf(err, ENOMEM, "%snot enough memory", "");
		goto out_buf;
	}
	*(struct lunatik_runtime **)lua_getextraspace(rt->L) = rt;
	lunatik_stats_runtime(1);

	budget = rt->budget * LUNATIK_LOAD_BUDGET_MULT;
	ret = __lunatik_runtime_call(rt, budget, lunatik_load_handler, &ld,
				     NULL, err);
	if (ret) {
		/* lua_error() turned the load status into LUA_ERRRUN */
		if (ret == -EINVAL && ld.status == LUA_ERRSYNTAX)
			ret = -ENOEXEC;
		else if (ret == -EINVAL && ld.status == LUA_ERRMEM)
			ret = -ENOMEM;
		if (err)
			err->errno_ = -ret;
		goto out_close;
	}
	lunatik_free(buf);

	/* the body is done: calls from now on run in the set's context */
	rt->calls = 0;
	rt->errors = 0;
	rt->budget_hits = 0;
	rt->ctx_sleep = rt->sleep;
	rt->gfp = rt->sleep ? GFP_KERNEL : GFP_ATOMIC;
	return rt;

out_close:
	lunatik_runtime_close(rt);
out_buf:
	lunatik_free(buf);
out_quota:
	lunatik_quota_put(rt->quota);
out_free:
	lunatik_free(rt);
	return ERR_PTR(ret);
}

/**
 * lunatik_runtime_close - close the lua_State (process context only)
 *
 * Finalizers run here and may sleep and allocate with GFP_KERNEL, whatever
 * the runtime's context. The runtime memory stays: lunatik_runtime_free().
 */
void lunatik_runtime_close(struct lunatik_runtime *rt)
{
	lua_State *L = rt->L;

	might_sleep();
	if (!L)
		return;
	rt->ctx_sleep = true;
	rt->gfp = GFP_KERNEL;
	/*
	 * Lua finalizers run inside lua_close(): give them one fresh call's
	 * budget (what the last call left is arbitrary), and a budget even to
	 * a runtime that has none, so an endless __gc cannot pin this worker
	 * (and with it stop, reload and module unload) forever.
	 */
	if (rt->budget == LUNATIK_NO_BUDGET)
		rt->budget = LUNATIK_DEFAULT_BUDGET;
	rt->budget_left = rt->budget;
	rt->cut = LUNATIK_CUT_NONE;
	lua_sethook(L, lunatik_hook, LUA_MASKCOUNT, lunatik_hook_step(rt));
	lua_close(L);
	rt->L = NULL;
	lunatik_stats_runtime(-1);
	/*
	 * A set instance (nest 0) owns its tree: what it made and what holds
	 * itself alive through a reference cycle (a runtime keeping its own
	 * thread or runtime object) stops with it.
	 */
	if (!rt->nest)
		lunatik_runtime_tree_stop(rt->quota);
}

/**
 * lunatik_runtime_free - free a closed runtime
 */
void lunatik_runtime_free(struct lunatik_runtime *rt)
{
	WARN_ON_ONCE(rt->L);
	if (rt->sleep)
		mutex_destroy(&rt->mutex);
	lunatik_quota_put(rt->quota);
	lunatik_free(rt);
}
