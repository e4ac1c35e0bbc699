// SPDX-License-Identifier: GPL-2.0
/*
 * fmt_host.c - the kernel's l_sprintf (kmod/lua/lkfmt.c) against the C
 * library's snprintf over every flag combination, widths, precisions and
 * edge values of the integer and %c conversions string.format can build
 * (issue 6 item 13: the kernel's vsnprintf gave "0x0" for "%#x" of 0).
 * Also checks truncation to the buffer size and the returned length.
 */
#include <limits.h>
#include <stdio.h>
#include <string.h>

int lunatik_lua_sprintf(char *buf, size_t size, const char *fmt, ...);

static const long long values[] = {
	0, 1, -1, 7, 8, 9, 10, 15, 16, 255, -255, 4096, 0x7fffffff,
	-2147483648LL, 1234567890123LL, LLONG_MAX, LLONG_MIN, LLONG_MIN + 1,
};
static const char *const widths[] = { "", "1", "2", "5", "12", "25", "99" };
static const char *const precs[] = { "", ".", ".0", ".1", ".2", ".5", ".20", ".99" };
static const char flagchars[] = "-+ #0";

int main(void)
{
	char fmt[64], flags[8], want[256], got[256];
	const char *conv;
	unsigned int mask, i, w, p, v, checked = 0, failed = 0;

	for (conv = "diuoxXc"; *conv; conv++) {
		for (mask = 0; mask < 32; mask++) {
			int nf = 0;

			for (i = 0; i < 5; i++)
				if (mask & (1u << i))
					flags[nf++] = flagchars[i];
			flags[nf] = '\0';
			/* C leaves these undefined: Lua's checkformat refuses them */
			if (*conv == 'c' && strcspn(flags, "+ #0") != (size_t)nf)
				continue;
			if (strchr("diu", *conv) && strchr(flags, '#'))
				continue;
			for (w = 0; w < sizeof(widths) / sizeof(*widths); w++) {
				for (p = 0; p < sizeof(precs) / sizeof(*precs); p++) {
					if (*conv == 'c' && *precs[p])
						continue;
					snprintf(fmt, sizeof(fmt), "%%%s%s%s%s%c", flags,
						 widths[w], precs[p],
						 *conv == 'c' ? "" : "ll", *conv);
					for (v = 0; v < sizeof(values) / sizeof(*values); v++) {
						long long x = values[v];
						int nw, ng, size;

						if (*conv == 'c')
							x = (x & 0x7f) | 0x20;
						for (size = 0; size <= 256; size += size < 4 ? 1 : 252) {
							memset(want, 'W', sizeof(want));
							memset(got, 'G', sizeof(got));
							if (*conv == 'c') {
								nw = snprintf(want, size, fmt, (int)x);
								ng = lunatik_lua_sprintf(got, size, fmt, (int)x);
							} else {
								nw = snprintf(want, size, fmt, x);
								ng = lunatik_lua_sprintf(got, size, fmt, x);
							}
							checked++;
							if (nw != ng || (size > 0 && memcmp(want, got, size < nw + 1 ? size : nw + 1)) ||
							    (size < 256 && got[size] != 'G')) {
								if (failed++ < 20)
									printf("FAIL %s of %lld (size %d): C \"%.*s\" (%d), ours \"%.*s\" (%d)\n",
									       fmt, x, size, nw, want, nw, ng, got, ng);
							}
						}
					}
				}
			}
		}
	}
	/* what the kernel's vsnprintf got wrong, spelled out */
	lunatik_lua_sprintf(got, sizeof(got), "%#llx", 0LL);
	if (strcmp(got, "0") != 0)
		failed++, printf("FAIL %%#x of 0: %s\n", got);
	lunatik_lua_sprintf(got, sizeof(got), "%.0lld", 0LL);
	if (strcmp(got, "") != 0)
		failed++, printf("FAIL %%.0d of 0: %s\n", got);
	printf("%u conversions checked, %u differ from the C library\n", checked, failed);
	return failed != 0;
}
