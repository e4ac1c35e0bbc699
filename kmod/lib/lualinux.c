// SPDX-License-Identifier: GPL-2.0
/*
 * lualinux.c - the "linux" Lua library: random numbers, time, sleeping,
 * byte order and the constant tables (stat, task, errno) of Lunatik 3.6.
 *
 * Extension over Lunatik: linux.cpu() returns the CPU the caller runs on
 * (the instance CPU in a softirq set; a hint only in process context, where
 * the task may migrate right after the call).
 */
#include <linux/errno.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/random.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/smp.h>
#include <linux/stat.h>
#include <linux/timekeeping.h>
#include <asm/byteorder.h>

#include "lunatik.h"
#include "lualibs.h"

/*
 * Uniform integer in [0, lim]: draw masked 64-bit values until one falls in
 * range (at most two draws on average, no modulo bias).
 */
static u64 lualinux_project(u64 lim)
{
	u64 mask = lim;
	u64 r;

	if ((lim & (lim + 1)) == 0)	/* lim + 1 is a power of 2 (or 2^64) */
		return get_random_u64() & lim;
	mask |= mask >> 1;
	mask |= mask >> 2;
	mask |= mask >> 4;
	mask |= mask >> 8;
	mask |= mask >> 16;
	mask |= mask >> 32;
	do {
		r = get_random_u64() & mask;
	} while (r > lim);
	return r;
}

/* linux.random([m [, n]]) - as math.random, on the kernel's CSPRNG */
static int lualinux_random(lua_State *L)
{
	lua_Integer low, up;

	switch (lua_gettop(L)) {
	case 0:
		lua_pushinteger(L, (lua_Integer)get_random_u64());
		return 1;
	case 1:
		low = 1;
		up = luaL_checkinteger(L, 1);
		break;
	case 2:
		low = luaL_checkinteger(L, 1);
		up = luaL_checkinteger(L, 2);
		break;
	default:
		return luaL_error(L, "wrong number of arguments");
	}
	luaL_argcheck(L, low <= up, lua_gettop(L), "interval is empty");
	lua_pushinteger(L, (lua_Integer)((u64)low +
					  lualinux_project((u64)up - (u64)low)));
	return 1;
}

static bool lualinux_validstate(lua_Integer state)
{
	switch (state) {
	case TASK_RUNNING:
	case TASK_INTERRUPTIBLE:
	case TASK_UNINTERRUPTIBLE:
	case TASK_KILLABLE:
	case TASK_IDLE:
		return true;
	}
	return false;
}

/*
 * Whether the caller is being stopped: a thread after thrd:stop(), or any
 * task with SIGKILL pending (thrd:stop()'s grace kill, or the CLI killed).
 */
static bool lualinux_stopping(void)
{
	return fatal_signal_pending(current) ||
	       ((current->flags & PF_KTHREAD) && kthread_should_stop());
}

/*
 * linux.schedule([timeout [, state]]) - sleep up to @timeout ms (default:
 * until woken) in @state (default INTERRUPTIBLE). Returns the milliseconds
 * left when woken early. Only runtimes that may sleep can call it: in a
 * softirq set it raises instead of scheduling in atomic context.
 *
 * Every sleep is killable: UNINTERRUPTIBLE sleeps as KILLABLE and IDLE as
 * IDLE | WAKEKILL (still out of the load average). A script cannot put a
 * task beyond SIGKILL's reach: an EXEC caller killed with Ctrl-C/SIGKILL,
 * thrd:stop()'s grace kill and module unload must all end the sleep. The
 * fatal signal then ends the Lua call at the next hook.
 *
 * A task being stopped does not sleep: kthread_stop() wakes a sleeping
 * thread once and SIGKILL wakes only killable sleeps, so a loop sleeping
 * UNINTERRUPTIBLE would otherwise make thrd:stop() (and module unload, which
 * stops threads) wait forever. The state is set before the check, so a stop
 * that comes after it wakes the sleep instead.
 */
static int lualinux_schedule(lua_State *L)
{
	lua_Integer ms = luaL_optinteger(L, 1, -1);
	lua_Integer state = luaL_optinteger(L, 2, TASK_INTERRUPTIBLE);
	long timeout = MAX_SCHEDULE_TIMEOUT;

	if (!lunatik_cansleep(L))
		return luaL_error(L, "linux.schedule: cannot sleep in this context");
	luaL_argcheck(L, lua_isnoneornil(L, 1) || ms >= 0, 1,
		      "timeout must be non-negative");
	luaL_argcheck(L, lualinux_validstate(state), 2, "invalid task state");

	/* msecs_to_jiffies() takes an unsigned int; longer is "forever" */
	if (ms >= 0 && ms < (lua_Integer)UINT_MAX / 2)
		timeout = (long)msecs_to_jiffies((unsigned int)ms);

	if (state != TASK_RUNNING)
		state |= TASK_WAKEKILL;
	set_current_state((unsigned int)state);
	if (!lualinux_stopping())
		timeout = schedule_timeout(timeout);
	__set_current_state(TASK_RUNNING);

	lua_pushinteger(L, timeout == MAX_SCHEDULE_TIMEOUT ? 0 :
			(lua_Integer)jiffies_to_msecs(timeout));
	return 1;
}

/* linux.time() - wall-clock nanoseconds since the epoch */
static int lualinux_time(lua_State *L)
{
	lua_pushinteger(L, (lua_Integer)ktime_get_real_ns());
	return 1;
}

/* linux.cpu() - the CPU the caller runs on (see the header comment) */
static int lualinux_cpu(lua_State *L)
{
	lua_pushinteger(L, (lua_Integer)raw_smp_processor_id());
	return 1;
}

/*
 * Byte-order helpers. The argument is truncated to the width first, so
 * hton16(0x12345678) converts 0x5678; 16- and 32-bit results are unsigned.
 */
#define LUALINUX_BYTEORDER(name, conv, type)			\
static int lualinux_##name(lua_State *L)			\
{								\
	type x = (type)luaL_checkinteger(L, 1);			\
								\
	lua_pushinteger(L, (lua_Integer)(type)conv(x));		\
	return 1;						\
}

LUALINUX_BYTEORDER(hton16, cpu_to_be16, u16)
LUALINUX_BYTEORDER(hton32, cpu_to_be32, u32)
LUALINUX_BYTEORDER(hton64, cpu_to_be64, u64)
LUALINUX_BYTEORDER(ntoh16, be16_to_cpu, u16)
LUALINUX_BYTEORDER(ntoh32, be32_to_cpu, u32)
LUALINUX_BYTEORDER(ntoh64, be64_to_cpu, u64)
LUALINUX_BYTEORDER(htole16, cpu_to_le16, u16)
LUALINUX_BYTEORDER(htole32, cpu_to_le32, u32)
LUALINUX_BYTEORDER(htole64, cpu_to_le64, u64)
LUALINUX_BYTEORDER(le16toh, le16_to_cpu, u16)
LUALINUX_BYTEORDER(le32toh, le32_to_cpu, u32)
LUALINUX_BYTEORDER(le64toh, le64_to_cpu, u64)

struct lualinux_const {
	const char *name;
	lua_Integer value;
};

static const struct lualinux_const lualinux_stat[] = {
	{"IRWXUGO", S_IRWXUGO},
	{"IRUGO", S_IRUGO},
	{"IWUGO", S_IWUGO},
	{"IXUGO", S_IXUGO},
	{"IRWXU", S_IRWXU},
	{"IRUSR", S_IRUSR},
	{"IWUSR", S_IWUSR},
	{"IXUSR", S_IXUSR},
	{"IRWXG", S_IRWXG},
	{"IRGRP", S_IRGRP},
	{"IWGRP", S_IWGRP},
	{"IXGRP", S_IXGRP},
	{"IRWXO", S_IRWXO},
	{"IROTH", S_IROTH},
	{"IWOTH", S_IWOTH},
	{"IXOTH", S_IXOTH},
	{NULL, 0}
};

static const struct lualinux_const lualinux_task[] = {
	{"RUNNING", TASK_RUNNING},
	{"INTERRUPTIBLE", TASK_INTERRUPTIBLE},
	{"UNINTERRUPTIBLE", TASK_UNINTERRUPTIBLE},
	{"KILLABLE", TASK_KILLABLE},
	{"IDLE", TASK_IDLE},
	{NULL, 0}
};

static const struct lualinux_const lualinux_errno[] = {
	{"PERM", EPERM},
	{"NOENT", ENOENT},
	{"SRCH", ESRCH},
	{"INTR", EINTR},
	{"IO", EIO},
	{"NXIO", ENXIO},
	{"2BIG", E2BIG},
	{"NOEXEC", ENOEXEC},
	{"BADF", EBADF},
	{"CHILD", ECHILD},
	{"AGAIN", EAGAIN},
	{"NOMEM", ENOMEM},
	{"ACCES", EACCES},
	{"FAULT", EFAULT},
	{"NOTBLK", ENOTBLK},
	{"BUSY", EBUSY},
	{"EXIST", EEXIST},
	{"XDEV", EXDEV},
	{"NODEV", ENODEV},
	{"NOTDIR", ENOTDIR},
	{"ISDIR", EISDIR},
	{"INVAL", EINVAL},
	{"NFILE", ENFILE},
	{"MFILE", EMFILE},
	{"NOTTY", ENOTTY},
	{"TXTBSY", ETXTBSY},
	{"FBIG", EFBIG},
	{"NOSPC", ENOSPC},
	{"SPIPE", ESPIPE},
	{"ROFS", EROFS},
	{"MLINK", EMLINK},
	{"PIPE", EPIPE},
	{"DOM", EDOM},
	{"RANGE", ERANGE},
	{NULL, 0}
};

static void lualinux_newconsts(lua_State *L, const char *field,
			       const struct lualinux_const *c)
{
	lua_newtable(L);
	for (; c->name != NULL; c++) {
		lua_pushinteger(L, c->value);
		lua_setfield(L, -2, c->name);
	}
	lua_setfield(L, -2, field);
}

static const luaL_Reg lualinux_lib[] = {
	{"random", lualinux_random},
	{"schedule", lualinux_schedule},
	{"time", lualinux_time},
	{"cpu", lualinux_cpu},
	{"hton16", lualinux_hton16},
	{"hton32", lualinux_hton32},
	{"hton64", lualinux_hton64},
	{"ntoh16", lualinux_ntoh16},
	{"ntoh32", lualinux_ntoh32},
	{"ntoh64", lualinux_ntoh64},
	{"htobe16", lualinux_hton16},
	{"htobe32", lualinux_hton32},
	{"htobe64", lualinux_hton64},
	{"be16toh", lualinux_ntoh16},
	{"be32toh", lualinux_ntoh32},
	{"be64toh", lualinux_ntoh64},
	{"htole16", lualinux_htole16},
	{"htole32", lualinux_htole32},
	{"htole64", lualinux_htole64},
	{"le16toh", lualinux_le16toh},
	{"le32toh", lualinux_le32toh},
	{"le64toh", lualinux_le64toh},
	{NULL, NULL}
};

/**
 * luaopen_linux - open the "linux" library
 * @L: the Lua state requiring it
 *
 * Return: 1 (the library table).
 */
int luaopen_linux(lua_State *L)
{
	luaL_newlib(L, lualinux_lib);
	lualinux_newconsts(L, "stat", lualinux_stat);
	lualinux_newconsts(L, "task", lualinux_task);
	lualinux_newconsts(L, "errno", lualinux_errno);
	return 1;
}
