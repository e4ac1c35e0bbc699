/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * <stdio.h> for Lua compiled with -nostdinc in the kernel:
 * snprintf and a read-only FILE over the kernel file API
 */
#ifndef LUNATIK_KLIBC_STDIO_H
#define LUNATIK_KLIBC_STDIO_H

#include <linux/kernel.h>

#define EOF	(-1)
/* luaL_loadfilex keeps a BUFSIZ buffer on the stack: keep it small */
#define BUFSIZ	256

typedef struct lunatik_lua_file FILE;

/* there is no standard input: reading it fails with EBADF */
#define stdin	((FILE *)NULL)

/*
 * Read-only files (loadfile, dofile and require's Lua searcher), opened
 * with filp_open in process context; in atomic context fopen fails with
 * EWOULDBLOCK instead of sleeping. Implemented in lklibc.c.
 */
FILE *fopen(const char *path, const char *mode);
FILE *freopen(const char *path, const char *mode, FILE *f);
int fclose(FILE *f);
int getc(FILE *f);
size_t fread(void *ptr, size_t size, size_t n, FILE *f);
int feof(FILE *f);
int ferror(FILE *f);

#endif
