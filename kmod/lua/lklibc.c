// SPDX-License-Identifier: GPL-2.0
/*
 * lklibc.c - the few C library services Lua needs in the kernel, behind
 * the klibc/ shim headers: print's line output, a read-only FILE for
 * loadfile/dofile/require, strerror/errno for their messages, and abort.
 */
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/preempt.h>
#include <linux/printk.h>
#include <linux/ratelimit.h>
#include <linux/atomic.h>
#include <linux/slab.h>
#include <linux/irqflags.h>
#include <linux/random.h>
#include <linux/siphash.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

#include "luaconf.h"

/* luaconf.h declares this for lua_writestring */
void lunatik_lua_writestring(const char *s, size_t l);
/* runtime.c: open regular files only, never a FIFO or device */
struct file *lunatik_file_open(const char *path, const char *beneath);

static hsiphash_key_t lunatik_lua_hashkey __read_mostly;

/**
 * lunatik_lua_hashinit - draw the integer-key hash key (module init, before
 * any Lua state exists: a table's layout depends on it)
 */
void lunatik_lua_hashinit(void)
{
	get_random_bytes(&lunatik_lua_hashkey, sizeof(lunatik_lua_hashkey));
}

/**
 * lunatik_lua_hashint - luai_hashint: the hash of an integer table key
 */
unsigned int lunatik_lua_hashint(unsigned long long u)
{
	return hsiphash_2u32((u32)u, (u32)(u >> 32), &lunatik_lua_hashkey);
}

/*
 * One print() emits at most this many records of at most this many bytes
 * (a printk record holds ~1 KiB anyway): a 16 MiB string of newlines must
 * not become millions of printk calls in one Lua instruction.
 */
#define LUNATIK_PRINT_LINES	16
#define LUNATIK_PRINT_LINE_MAX	1024

/*
 * All runtimes together log at most LUNATIK_PRINT_BURST records per
 * LUNATIK_PRINT_INTERVAL; the rest are dropped and counted, and the count
 * is logged with the next record let through. Records are emitted as
 * printk_deferred does: the console is written later, from irq_work, not inside
 * the Lua call (which holds its instance lock, with BH off in softirq
 * sets). Measured before: 300 prints of one softirq exec with the console
 * at loglevel 8 kept BH off for 24 s.
 */
#define LUNATIK_PRINT_INTERVAL	(5 * HZ)
#define LUNATIK_PRINT_BURST	50

static struct ratelimit_state lunatik_print_rs =
	RATELIMIT_STATE_INIT_FLAGS(lunatik_print_rs, LUNATIK_PRINT_INTERVAL,
				   LUNATIK_PRINT_BURST, RATELIMIT_MSG_ON_RELEASE);
static atomic_long_t lunatik_print_dropped = ATOMIC_LONG_INIT(0);

/**
 * lunatik_lua_printk - printk_deferred for the module (not exported): the
 * record is stored now, the console written later from irq_work
 */
void lunatik_lua_printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk_emit(0, LOGLEVEL_SCHED, NULL, fmt, ap);
	va_end(ap);
}

/* May one more record be logged now? Reports what was dropped before. */
bool lunatik_lua_printallowed(void)
{
	long dropped;

	if (!__ratelimit(&lunatik_print_rs)) {
		atomic_long_inc(&lunatik_print_dropped);
		return false;
	}
	dropped = atomic_long_xchg(&lunatik_print_dropped, 0);
	if (dropped)
		lunatik_lua_printk(KERN_WARNING
				"lunatik: print: %ld lines dropped (rate limit)\n",
				dropped);
	return true;
}

/**
 * lunatik_lua_writestring - print() output: one printk per line
 * @s: the text, not NUL-terminated, may hold several lines
 * @l: its length
 *
 * print() passes one whole line (see the lbaselib patch); embedded
 * newlines split it so that every printk record is one line. Past
 * LUNATIK_PRINT_LINES lines the rest is dropped, with a note. Rate-limited
 * and deferred (above).
 */
void lunatik_lua_writestring(const char *s, size_t l)
{
	int lines = 0;

	do {
		const char *nl;
		size_t n;

		if (lines++ == LUNATIK_PRINT_LINES) {
			if (lunatik_lua_printallowed())
				lunatik_lua_printk(KERN_INFO "(print: output truncated)\n");
			break;
		}
		nl = memchr(s, '\n', l);
		n = nl ? (size_t)(nl - s) : l;
		if (lunatik_lua_printallowed())
			lunatik_lua_printk(KERN_INFO "%.*s\n",
					(int)min_t(size_t, n, LUNATIK_PRINT_LINE_MAX), s);
		if (!nl)
			break;
		l -= n + 1;
		s = nl + 1;
	} while (l > 0);
}

void *realloc(void *ptr, size_t size)
{
	return krealloc(ptr, size, GFP_KERNEL | __GFP_NOWARN);
}

void free(void *ptr)
{
	kfree(ptr);
}

static int lunatik_lua_lasterr;

int lunatik_lua_errno(void)
{
	return READ_ONCE(lunatik_lua_lasterr);
}

static void lunatik_lua_seterr(int err)
{
	WRITE_ONCE(lunatik_lua_lasterr, err);
}

const char *lunatik_lua_strerror(int err)
{
	switch (err) {
	case 0:
		return "success";
	case ENOENT:
		return "no such file or directory";
	case EACCES:
	case EPERM:
		return "permission denied";
	case EISDIR:
		return "is a directory";
	case ENOTDIR:
		return "not a directory";
	case ENOMEM:
		return "out of memory";
	case EBADF:
		return "bad file descriptor";
	case EINVAL:
		return "invalid argument";
	case ENAMETOOLONG:
		return "file name too long";
	case ELOOP:
		return "too many levels of symbolic links";
	case EWOULDBLOCK:
		return "cannot open files in atomic context";
	default:
		return "input/output error";
	}
}

/**
 * struct lunatik_lua_file - a FILE open for reading
 * @filp: the open kernel file
 * @pos:  read position
 * @eof:  end of file was reached
 * @err:  a read failed (its errno), 0 otherwise
 */
struct lunatik_lua_file {
	struct file *filp;
	loff_t pos;
	bool eof;
	int err;
};

/* Opening may sleep: refuse in atomic context rather than splat. */
static bool lunatik_lua_cansleep(void)
{
	return in_task() && !in_atomic() && !irqs_disabled();
}

static struct file *lunatik_lua_filp_open(const char *path, const char *mode)
{
	struct file *filp;

	if (mode[0] != 'r' || strchr(mode, '+')) {
		lunatik_lua_seterr(EINVAL);
		return NULL;
	}
	if (!lunatik_lua_cansleep()) {
		lunatik_lua_seterr(EWOULDBLOCK);
		return NULL;
	}
	filp = lunatik_file_open(path, NULL);
	if (IS_ERR(filp)) {
		lunatik_lua_seterr(-PTR_ERR(filp));
		return NULL;
	}
	return filp;
}

FILE *fopen(const char *path, const char *mode)
{
	FILE *f;

	if (!lunatik_lua_cansleep()) {
		lunatik_lua_seterr(EWOULDBLOCK);
		return NULL;
	}
	f = kzalloc(sizeof(*f), GFP_KERNEL);
	if (!f) {
		lunatik_lua_seterr(ENOMEM);
		return NULL;
	}
	f->filp = lunatik_lua_filp_open(path, mode);
	if (!f->filp) {
		kfree(f);
		return NULL;
	}
	return f;
}

/* Like C's freopen: on failure the old stream is closed and NULL returned. */
FILE *freopen(const char *path, const char *mode, FILE *f)
{
	if (!f)
		return fopen(path, mode);
	filp_close(f->filp, NULL);
	f->filp = lunatik_lua_filp_open(path, mode);
	if (!f->filp) {
		kfree(f);
		return NULL;
	}
	f->pos = 0;
	f->eof = false;
	f->err = 0;
	return f;
}

int fclose(FILE *f)
{
	if (!f)
		return EOF;
	filp_close(f->filp, NULL);
	kfree(f);
	return 0;
}

size_t fread(void *ptr, size_t size, size_t n, FILE *f)
{
	size_t want, got = 0;

	if (!f) {
		lunatik_lua_seterr(EBADF);
		return 0;
	}
	if (size == 0 || n == 0 || f->eof || f->err)
		return 0;
	if (check_mul_overflow(size, n, &want))
		want = SIZE_MAX;
	while (got < want) {
		ssize_t r = kernel_read(f->filp, (char *)ptr + got,
					want - got, &f->pos);
		if (r < 0) {
			f->err = (int)-r;
			lunatik_lua_seterr(f->err);
			break;
		}
		if (r == 0) {
			f->eof = true;
			break;
		}
		got += r;
	}
	return got / size;
}

int getc(FILE *f)
{
	unsigned char c;

	return fread(&c, 1, 1, f) == 1 ? c : EOF;
}

int feof(FILE *f)
{
	return f ? f->eof : 1;
}

int ferror(FILE *f)
{
	return f ? f->err != 0 : 1;
}
