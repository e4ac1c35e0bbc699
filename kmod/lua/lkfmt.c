// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * lkfmt.c - l_sprintf for the kernel's Lua: string.format's integer and
 * character conversions as C (and so stock Lua) defines them.
 *
 * The kernel's vsnprintf is not C's: "%#x" of 0 gives "0x0" (C: "0"),
 * "%.0d" of 0 gives "0" (C: nothing), and a '0' flag still pads when a
 * precision is given (C ignores it). Scripts written against Lua must get
 * Lua's results, so %d %i %u %o %x %X and %c are formatted here, with the
 * flags, width and precision Lua's checkformat lets through (width and
 * precision at most two digits). Other conversions (%s, %p) go to
 * vsnprintf: %s behaves as in C, and the kernel's %p hashes the address,
 * which is what a kernel should print. Plain C, no kernel headers: the host
 * tests compare it with the C library (tests/libs/fmt_host.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

int lunatik_lua_sprintf(char *buf, size_t size, const char *fmt, ...);

struct lkfmt_out {
	char *buf;
	size_t size;
	size_t n;	/* length of the whole result, written or not */
};

static void lkfmt_put(struct lkfmt_out *o, char c, size_t count)
{
	while (count-- > 0) {
		if (o->n + 1 < o->size)
			o->buf[o->n] = c;
		o->n++;
	}
}

static void lkfmt_puts(struct lkfmt_out *o, const char *s, size_t len)
{
	while (len-- > 0)
		lkfmt_put(o, *s++, 1);
}

/* one conversion of an integer (or %c), C99 7.19.6.1 */
static int lkfmt_int(char *buf, size_t size, const char *flags, size_t nflags,
		     int width, int prec, char conv, long long v)
{
	struct lkfmt_out o = { buf, size, 0 };
	const char *digitset = conv == 'X' ? "0123456789ABCDEF" : "0123456789abcdef";
	int left = memchr(flags, '-', nflags) != NULL;
	int plus = memchr(flags, '+', nflags) != NULL;
	int space = memchr(flags, ' ', nflags) != NULL;
	int alt = memchr(flags, '#', nflags) != NULL;
	int zero = memchr(flags, '0', nflags) != NULL;
	char digits[32];	/* 22 octal digits for 64 bits, reversed */
	const char *prefix = "";
	unsigned long long u;
	unsigned int base;
	int nd = 0, nzeros, len;
	char sign = 0;

	if (conv == 'c') {
		len = 1;
		if (!left && width > len)
			lkfmt_put(&o, ' ', width - len);
		lkfmt_put(&o, (char)(unsigned char)v, 1);
		if (left && width > len)
			lkfmt_put(&o, ' ', width - len);
		goto out;
	}
	if (conv == 'd' || conv == 'i') {
		base = 10;
		u = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
		sign = v < 0 ? '-' : plus ? '+' : space ? ' ' : 0;
	} else {
		base = conv == 'o' ? 8 : conv == 'u' ? 10 : 16;
		u = (unsigned long long)v;
	}
	while (u != 0) {
		digits[nd++] = digitset[u % base];
		u /= base;
	}
	if (prec < 0) {
		if (nd == 0)
			digits[nd++] = '0';	/* default precision 1 */
		nzeros = 0;
	} else {
		nzeros = prec > nd ? prec - nd : 0;
		zero = 0;	/* a precision overrides the 0 flag */
	}
	if (alt && conv == 'o' && nzeros == 0 && (nd == 0 || digits[nd - 1] != '0'))
		nzeros = 1;	/* '#': the first digit is a 0 */
	if (alt && (conv == 'x' || conv == 'X') && v != 0)
		prefix = conv == 'x' ? "0x" : "0X";
	len = (sign != 0) + (int)strlen(prefix) + nzeros + nd;
	if (zero && !left && width > len) {
		nzeros += width - len;
		len = width;
	}
	if (!left && width > len)
		lkfmt_put(&o, ' ', width - len);
	if (sign)
		lkfmt_put(&o, sign, 1);
	lkfmt_puts(&o, prefix, strlen(prefix));
	lkfmt_put(&o, '0', nzeros);
	while (nd > 0)
		lkfmt_put(&o, digits[--nd], 1);
	if (left && width > len)
		lkfmt_put(&o, ' ', width - len);
out:
	if (size > 0)
		buf[o.n < size ? o.n : size - 1] = '\0';
	return (int)o.n;
}

/**
 * lunatik_lua_sprintf - l_sprintf (luaconf.h): snprintf of @fmt, one
 * conversion of one argument, as string.format and lua_integer2str build it
 */
int lunatik_lua_sprintf(char *buf, size_t size, const char *fmt, ...)
{
	const char *p = fmt, *flags;
	int width = 0, prec = -1, ret;
	size_t nflags;
	long long v;
	va_list ap;

	va_start(ap, fmt);
	if (*p++ != '%')
		goto other;
	flags = p;
	p += strspn(p, "-+ #0");
	nflags = (size_t)(p - flags);
	while (*p >= '0' && *p <= '9')
		width = width * 10 + (*p++ - '0');
	if (*p == '.') {
		p++;
		prec = 0;
		while (*p >= '0' && *p <= '9')
			prec = prec * 10 + (*p++ - '0');
	}
	if (width > 99 || prec > 99)
		goto other;	/* never made by Lua */
	if (*p == 'c' && p[1] == '\0') {
		v = va_arg(ap, int);
	} else {
		if (p[0] != 'l' || p[1] != 'l' || p[2] == '\0' || p[3] != '\0' ||
		    !strchr("diuoxX", p[2]))
			goto other;
		p += 2;
		v = va_arg(ap, long long);
	}
	ret = lkfmt_int(buf, size, flags, nflags, width, prec, *p, v);
	va_end(ap);
	return ret;
other:
	va_end(ap);
	va_start(ap, fmt);
	ret = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return ret;
}
