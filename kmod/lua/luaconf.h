/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * luaconf.h - configuration of the integer-only Lua 5.4 used by
 * lunatik-pipeline, in the kernel (lunatik.ko) and on the host (hostlua/).
 *
 * kmod/lua/port.sh installs this file in place of Lua's own luaconf.h.
 * Both builds use it unchanged so that a script behaves the same on the
 * host and in the kernel; the few differences are under __KERNEL__.
 *
 * The kernel forbids FPU use, so the Lua number type *is* the integer type
 * (lua_Number == lua_Integer == long long). Together with the patches in
 * kmod/lua/patches/ no value of the float subtype can ever be created:
 * the lexer rejects float literals, the parser rejects '^', '/' is floor
 * division on integers, and strings never convert to floats.
 */
#ifndef luaconf_h
#define luaconf_h

#include <limits.h>
#include <stddef.h>

/* ------------------------------------------------------------- platform */

#define LUAI_IS32INT	((UINT_MAX >> 30) >= 3)

#define LUA_API		extern
#define LUALIB_API	LUA_API
#define LUAMOD_API	LUA_API

#if defined(__GNUC__) && !defined(__KERNEL__)
/* keep the core's internals out of the host library's dynamic symbols */
#define LUAI_FUNC	__attribute__((visibility("internal"))) extern
#else
#define LUAI_FUNC	extern
#endif
#define LUAI_DDEC(dec)	LUAI_FUNC dec
#define LUAI_DDEF	/* empty */

/*
 * lua_error, luaL_error, luaL_argerror and luaL_typeerror never return
 * (lua.h, lauxlib.h patches). objtool needs to know: when it checks the
 * linked module (kernels with IBT or clang LTO: Debian's 6.12) it wants
 * the annotation. When it checks each object alone (Debian's 6.1), a call
 * to a noreturn function of *another* object looks like falling off the
 * end of the caller; so there the API is annotated only inside Lua's own
 * translation unit (lkonelua.c, which defines all of Lua at once).
 */
#if defined(__KERNEL__) && !defined(LUNATIK_LUA_ONE) && \
	!defined(CONFIG_X86_KERNEL_IBT) && !defined(CONFIG_LTO_CLANG)
#define LUAI_NORETURN	/* empty */
#else
#define LUAI_NORETURN	__attribute__((noreturn))
#endif

#define luai_likely(x)		(__builtin_expect(((x) != 0), 1))
#define luai_unlikely(x)	(__builtin_expect(((x) != 0), 0))
#if defined(LUA_CORE) || defined(LUA_LIB)
#define l_likely(x)	luai_likely(x)
#define l_unlikely(x)	luai_unlikely(x)
#endif

/* --------------------------------------------------------------- numbers */

#define LUA_INTEGER		long long
#define LUA_INTEGER_FRMLEN	"ll"
#define LUAI_UACINT		LUA_INTEGER
#define LUA_INTEGER_FMT		"%" LUA_INTEGER_FRMLEN "d"
#define LUA_MAXINTEGER		LLONG_MAX
#define LUA_MININTEGER		LLONG_MIN
#define LUA_UNSIGNED		unsigned LUAI_UACINT
#define LUA_MAXUNSIGNED		ULLONG_MAX
#define lua_integer2str(s,sz,n) \
	l_sprintf((s), sz, LUA_INTEGER_FMT, (LUAI_UACINT)(n))

/*
 * lua_Number is the integer type. The float subtype tag still exists in
 * the core (removing it would be a large patch) but nothing creates a
 * value with it; these definitions only keep its dead paths compiling
 * without any floating-point instruction.
 */
#define LUA_NUMBER		LUA_INTEGER
#define LUAI_UACNUMBER		LUAI_UACINT
#define LUA_NUMBER_FRMLEN	LUA_INTEGER_FRMLEN
#define LUA_NUMBER_FMT		LUA_INTEGER_FMT
#define lua_number2str(s,sz,n)	lua_integer2str(s,sz,n)
#define lua_numbertointeger(n,p)	((*(p) = (LUA_INTEGER)(n)), 1)
#define l_floor(x)		(x)

/*
 * Only the mantissa width is asked for (lvm.c, to decide that every
 * integer "fits" a number); any other float attribute is a compile error.
 */
#define LUAI_NUMATT_MANT_DIG	64
#define l_floatatt(n)		(LUAI_NUMATT_##n)

/*
 * String -> number conversion never produces a float: this "strtod"
 * consumes nothing, so 'l_str2d' fails and only integer numerals convert.
 * Hence tonumber("1.5") is nil and "1.5" + 1 is an arithmetic error.
 */
#define lua_str2number(s,p)	((void)(s), *(p) = (char *)(s), (lua_Number)0)
#define lua_strx2number(s,p)	lua_str2number(s,p)

/* floats never exist: hash what would be one like an integer */
#define l_hashfloat(n)		((int)(l_castS2U(n) & (unsigned int)INT_MAX))

/*
 * The float-operation hooks of llimits.h, redirected to the integer
 * operations. They are only reached if a float existed, but if one ever
 * did, division and modulo still check for zero (an x86 idiv trap would
 * be an oops in the kernel) and '^' still raises an error.
 */
#define luai_numdiv(L,a,b)	luaV_idiv(L,a,b)
#define luai_numidiv(L,a,b)	luaV_idiv(L,a,b)
#define luai_nummod(L,a,b,m)	{ (m) = luaV_mod(L,a,b); }
#define luai_numpow(L,a,b) \
	((void)(a), (void)(b), \
	 luaG_runerror(L, "exponentiation is not supported"), (lua_Number)0)

#define lua_getlocaledecpoint()	'.'
/* integer and %c conversions as C has them, not as the kernel (lkfmt.c) */
int lunatik_lua_sprintf(char *buf, size_t size, const char *fmt, ...);
#define l_sprintf(s,sz,f,i)	lunatik_lua_sprintf(s,sz,f,i)
#define lua_pointer2str(buff,sz,p)	l_sprintf(buff,sz,"%p",p)

#define LUA_KCONTEXT	ptrdiff_t

/* ----------------------------------------------------------------- paths */

/* Lunatik's script root; the runtime replaces package.path per set. */
#define LUA_ROOT		"/lib/modules/lua/"
#define LUA_PATH_DEFAULT	LUA_ROOT "?.lua;" LUA_ROOT "?/init.lua"
#define LUA_DIRSEP		"/"
#define LUA_PATH_SEP		";"
#define LUA_PATH_MARK		"?"
#define LUA_EXEC_DIR		"!"

/* ---------------------------------------------------------------- limits */

/*
 * C-stack budget (kernel stack: 16 KiB; hooks run in softirq). Measured
 * with -fstack-usage/-fcallgraph-info on the 6.12 kernel build (gcc 12),
 * see kmod/lua/STACK.md. Lua-to-Lua calls use no C stack; a nested C level
 * (a C function calling Lua, a metamethod, pcall, resume, a parser level)
 * costs 96-850 bytes, so a count alone cannot bound the bytes. The lstate.h
 * patch measures them from where C entered Lua: past luai_cstacklimit(),
 * taken at that entry, "C stack overflow" is raised; past it plus
 * LUAI_CSTACKGAP (while handling that error) LUA_ERRERR is thrown with
 * nothing run. The gap exceeds the longest stretch between two checks,
 * so the ordinary error always comes first. Worst case below the entry
 * point: limit + gap + that stretch and what a leaf adds there (~2.3 KiB):
 * ~8 KiB in softirq, ~10 KiB on a task stack.
 */
#define LUAI_CSTACKGAP		1536
#ifdef __KERNEL__
/* 4 KiB in softirq/irq (under the network stack), 6 KiB on a task stack */
#define LUAI_CSTACKSOFTIRQ	4096
#define LUAI_CSTACKTASK		6144
/*
 * ... and never more than the kernel stack has left below the entry point
 * minus this: the gap, the longest stretch between two checks and a leaf
 * below it (an error raised, an allocation). Runtimes resume runtimes on
 * the same kernel stack; each entry's budget shrinks with what is left
 * (lkstack.c).
 */
#define LUAI_CSTACKRESERVE	6144
size_t lunatik_lua_cstacklimit(size_t base);
#define luai_cstacklimit(base)	lunatik_lua_cstacklimit(base)
#else
/* the host's luaL_loadfilex alone keeps BUFSIZ (8 KiB with glibc) there */
#define luai_cstacklimit(base)	((void)(base), (size_t)(6144 + 8192))
#endif

/*
 * Work done in C loops the VM's count hook never sees (pattern matching,
 * table.move/insert/remove/concat/unpack, table.sort's comparisons, long
 * string creation and comparison, lexing, metamethod chains, next() and
 * rehash walks, collections, printk) is charged to the running call's
 * instruction budget, in batches: luai_work(L, n) raises "instruction
 * budget exceeded" once it is spent, like the hook. In the kernel it is
 * the runtime's budget (runtime.c); the host library has a no-op that a
 * program with a budget of its own (the fuzzer) replaces.
 */
struct lua_State;
void lunatik_lua_work(struct lua_State *L, long n);
/* where nothing may be raised (an allocation retry): the count hook
   raises once the charge has spent the budget */
void lunatik_lua_workdefer(struct lua_State *L, long n);
#define luai_workdefer(L,n)	lunatik_lua_workdefer(L, n)
/* raises msg from anywhere luai_work is called (lkwork.c) */
LUAI_NORETURN void lunatik_lua_workerror(struct lua_State *L, const char *msg);
#define luai_work(L,n)		lunatik_lua_work(L, n)
#define LUAI_WORKBATCH		256
/* a printk (print, warn) costs far more than an instruction */
#define LUAI_PRINTWORK		64
/* so does a file lookup (require tries one per path template; a miss on
   the 9p root of the test VM took ~5 ms) */
#define LUAI_OPENWORK		1024
/*
 * Longest string arithmetic and integer arguments convert to a number
 * (blanks and leading zeros make a valid numeral of any length, scanned at
 * each coercion; lvm.c's conversion has no state to charge it to).
 * tonumber() converts any length and charges the scan.
 */
#define LUAI_MAXSTR2NUM		200

/* nested C levels, as in stock Lua; the byte budget is usually first */
#define LUAI_MAXCCALLS		200

/* recursion depth of the pattern matcher (lstrlib.c 'match', 56 bytes) */
#define MAXCCALLS		24

/* pattern captures live on the C stack in gsub/gmatch/find */
#define LUA_MAXCAPTURES		16

/* initial luaL_Buffer on the C stack; longer strings move to the heap */
#define LUAL_BUFFERSIZE		128

/*
 * Lua stack slots per thread: deep Lua recursion ends in "stack overflow"
 * at ~1.6 MiB of slots, well under the runtime's default memory cap.
 */
#define LUAI_MAXSTACK		100000

#define LUA_EXTRASPACE		(sizeof(void *))
#define LUA_IDSIZE		60

/* no double in the kernel: align to the widest integer or pointer */
#define LUAI_MAXALIGN	lua_Integer i_; void *s_; long l_

/* ------------------------------------------------------------ randomness */

#ifdef __KERNEL__
/* string-hash seed and sort pivots from the kernel RNG (hash flooding);
   declared here: <linux/random.h> would define 'current' (llex.h field) */
unsigned int get_random_u32(void);
#define luai_makeseed(L)	((void)(L), get_random_u32())
#define l_randomizePivot()	get_random_u32()
/*
 * Integer table keys: a keyed hsiphash (lklibc.c; key drawn at module
 * load, lunatik_lua_hashinit), so keys chosen by traffic cannot collide
 * on purpose (the ltable.c patch).
 */
unsigned int lunatik_lua_hashint(unsigned long long u);
void lunatik_lua_hashinit(void);
#define luai_hashint(u)		lunatik_lua_hashint(u)
/*
 * luaV_execute dispatches with a switch: a computed-goto table is an
 * indirect jump objtool cannot follow (and a retpoline per opcode).
 */
#define LUA_USE_JUMPTABLE	0
/* type of the hook mask, which lua_sethook may set from another context */
#define l_signalT		int
#else
/* the host keeps Lua's own integer hash (the key itself) */
#define luai_hashint(u)		(u)
#endif

/* ---------------------------------------------------------------- output */

#ifdef __KERNEL__
/*
 * print() hands one whole line to lua_writestring (see the lbaselib
 * patch); the kernel logs it with one printk per line at KERN_INFO.
 */
#include <linux/printk.h>
void lunatik_lua_writestring(const char *s, size_t l);
#define lua_writestring(s,l)		lunatik_lua_writestring((s), (l))
#define lua_writeline()			((void)0)
/* warnings (warn("@on")) and the panic message; 's' is always a literal;
   rate-limited and deferred with print's output (lklibc.c) */
bool lunatik_lua_printallowed(void);
__printf(1, 2) void lunatik_lua_printk(const char *fmt, ...);
#define lua_writestringerror(s,p) \
	do { if (lunatik_lua_printallowed()) lunatik_lua_printk(KERN_WARNING s, p); } while (0)
#endif

#endif /* luaconf_h */
