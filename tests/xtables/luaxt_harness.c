/* SPDX-License-Identifier: MIT OR GPL-2.0-only */
/*
 * Drives an iptables extension library through libxtables the way iptables
 * does, without a kernel: load it from XTABLES_LIBDIR, init, parse options
 * with getopt over the extension's own option table, final_check, then save
 * and print. The save output is parsed again into a fresh rule to prove it
 * round-trips (what iptables-save | iptables-restore relies on).
 *
 *   luaxt-harness [-6] {match|target} NAME info
 *   luaxt-harness [-6] {match|target} NAME help
 *   luaxt-harness [-6] {match|target} NAME parse [ARG...]
 *   luaxt-harness [-6] both MATCH TARGET     (two libraries, one process)
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xtables.h>

#define HARNESS_ARGS_MAX	64

static void __attribute__((noreturn, format(printf, 2, 3)))
harness_exit_err(enum xtables_exittype status, const char *msg, ...)
{
	va_list ap;

	fflush(stdout);
	va_start(ap, msg);
	fputs("error: ", stderr);
	vfprintf(stderr, msg, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(status);
}

/* no kernel here: every revision is acceptable */
static int harness_compat_rev(const char *name, uint8_t rev, int opt)
{
	return 1;
}

static struct option harness_orig_opts[] = { { NULL } };

static struct xtables_globals harness_globals = {
	.program_name = "luaxt-harness",
	.program_version = "0",
	.orig_opts = harness_orig_opts,
	.exit_err = harness_exit_err,
	.compat_rev = harness_compat_rev,
};

/* One extension of either kind behind a common face. */
struct ext {
	bool is_match;
	struct xtables_match *m;
	struct xtables_target *t;
};

static size_t ext_size(const struct ext *e)
{
	return e->is_match ? e->m->size : e->t->size;
}

static size_t ext_hdrsize(const struct ext *e)
{
	return e->is_match ? XT_ALIGN(sizeof(struct xt_entry_match)) :
			     XT_ALIGN(sizeof(struct xt_entry_target));
}

static const struct option *ext_opts(const struct ext *e)
{
	return e->is_match ? e->m->extra_opts : e->t->extra_opts;
}

static void *ext_newentry(const struct ext *e)
{
	size_t total = ext_hdrsize(e) + ext_size(e);
	void *p = calloc(1, total);

	if (p == NULL) {
		perror("calloc");
		exit(1);
	}
	if (e->is_match) {
		struct xt_entry_match *em = p;

		em->u.match_size = total;
		snprintf(em->u.user.name, sizeof(em->u.user.name), "%s", e->m->name);
		em->u.user.revision = e->m->revision;
		e->m->m = em;
		if (e->m->init)
			e->m->init(em);
	} else {
		struct xt_entry_target *et = p;

		et->u.target_size = total;
		snprintf(et->u.user.name, sizeof(et->u.user.name), "%s", e->t->name);
		et->u.user.revision = e->t->revision;
		e->t->t = et;
		if (e->t->init)
			e->t->init(et);
	}
	return p;
}

static unsigned char *ext_data(const struct ext *e, void *entry)
{
	return (unsigned char *)entry + ext_hdrsize(e);
}

/* iptables' order: "!" before an option inverts it; unknown options fail */
static void ext_parse(const struct ext *e, void *entry, int argc, char **argv)
{
	unsigned int flags = 0;
	int invert = 0, c;

	optind = 0;
	opterr = 1;
	for (;;) {
		if (optind == 0)
			optind = 1;
		if (optind < argc && strcmp(argv[optind], "!") == 0) {
			invert = 1;
			optind++;
			continue;
		}
		c = getopt_long(argc, argv, "+", ext_opts(e), NULL);
		if (c == -1)
			break;
		if (c == '?') {
			fprintf(stderr, "error: unknown option\n");
			exit(2);
		}
		if (e->is_match) {
			struct xt_entry_match *em = entry;

			e->m->parse(c, argv, invert, &flags, NULL, &em);
		} else {
			struct xt_entry_target *et = entry;

			e->t->parse(c, argv, invert, &flags, NULL, &et);
		}
		invert = 0;
	}
	if (optind < argc) {
		fprintf(stderr, "error: unexpected argument %s\n", argv[optind]);
		exit(2);
	}
	if (e->is_match ? e->m->final_check != NULL : e->t->final_check != NULL) {
		if (e->is_match)
			e->m->final_check(flags);
		else
			e->t->final_check(flags);
	}
}

/* What save()/print() write to stdout, as a string. */
static char *ext_capture(const struct ext *e, void *entry, bool save)
{
	static char buf[4096];
	FILE *tmp = tmpfile();
	int saved;
	size_t n;

	if (tmp == NULL) {
		perror("tmpfile");
		exit(1);
	}
	fflush(stdout);
	saved = dup(STDOUT_FILENO);
	dup2(fileno(tmp), STDOUT_FILENO);
	if (e->is_match) {
		if (save && e->m->save)
			e->m->save(NULL, entry);
		else if (!save && e->m->print)
			e->m->print(NULL, entry, 0);
	} else {
		if (save && e->t->save)
			e->t->save(NULL, entry);
		else if (!save && e->t->print)
			e->t->print(NULL, entry, 0);
	}
	fflush(stdout);
	dup2(saved, STDOUT_FILENO);
	close(saved);
	rewind(tmp);
	n = fread(buf, 1, sizeof(buf) - 1, tmp);
	buf[n] = '\0';
	fclose(tmp);
	return buf;
}

static void print_hex(const char *label, const unsigned char *p, size_t len)
{
	size_t used = len, i;

	while (used > 0 && p[used - 1] == 0)
		used--;
	printf("%s=", label);
	for (i = 0; i < used; i++)
		printf("%02x", p[i]);
	putchar('\n');
}

static int cmd_parse(const struct ext *e, int argc, char **argv)
{
	char *args[HARNESS_ARGS_MAX + 2], *save, *copy, *tok;
	void *entry = ext_newentry(e), *again;
	int n = 0;

	/* argv[0] is the program name for getopt */
	ext_parse(e, entry, argc, argv);
	print_hex("userargs", ext_data(e, entry), ext_size(e));
	save = strdup(ext_capture(e, entry, true));
	printf("save=%s\n", save);
	printf("print=%s\n", ext_capture(e, entry, false));

	copy = strdup(save);
	args[n++] = argv[0];
	for (tok = strtok(copy, " \t\n"); tok && n <= HARNESS_ARGS_MAX;
	     tok = strtok(NULL, " \t\n"))
		args[n++] = tok;
	args[n] = NULL;
	again = ext_newentry(e);
	ext_parse(e, again, n, args);
	printf("roundtrip=%s\n",
	       memcmp(ext_data(e, entry), ext_data(e, again), ext_size(e)) == 0 ?
	       "ok" : "differs");
	free(copy);
	free(save);
	free(again);
	free(entry);
	return 0;
}

static bool ext_find(struct ext *e, bool is_match, const char *name)
{
	e->is_match = is_match;
	if (is_match)
		e->m = xtables_find_match(name, XTF_TRY_LOAD, NULL);
	else
		e->t = xtables_find_target(name, XTF_TRY_LOAD);
	return is_match ? e->m != NULL : e->t != NULL;
}

int main(int argc, char **argv)
{
	uint8_t family = NFPROTO_IPV4;
	struct ext e = { 0 }, e2 = { 0 };
	const char *kind, *name, *cmd;

	if (argc > 1 && strcmp(argv[1], "-6") == 0) {
		family = NFPROTO_IPV6;
		argv++;
		argc--;
	}
	if (argc < 4) {
		fprintf(stderr, "usage: luaxt-harness [-6] {match|target} NAME "
			"{info|help|parse ARG...} | both MATCH TARGET\n");
		return 2;
	}
	kind = argv[1];
	name = argv[2];
	cmd = argv[3];
	if (xtables_init_all(&harness_globals, family) < 0) {
		fprintf(stderr, "error: xtables_init_all failed\n");
		return 1;
	}

	if (strcmp(kind, "both") == 0) {
		if (!ext_find(&e, true, name) || !ext_find(&e2, false, cmd)) {
			printf("missing\n");
			return 3;
		}
		e.m->help();
		e2.t->help();
		return 0;
	}
	if (!ext_find(&e, strcmp(kind, "match") == 0, name)) {
		printf("missing\n");
		return 3;
	}
	if (strcmp(cmd, "info") == 0) {
		printf("name=%s revision=%u family=%u size=%zu userspacesize=%zu\n",
		       e.is_match ? e.m->name : e.t->name,
		       e.is_match ? e.m->revision : e.t->revision,
		       e.is_match ? e.m->family : e.t->family, ext_size(&e),
		       e.is_match ? e.m->userspacesize : e.t->userspacesize);
		return 0;
	}
	if (strcmp(cmd, "help") == 0) {
		if (e.is_match)
			e.m->help();
		else
			e.t->help();
		return 0;
	}
	if (strcmp(cmd, "parse") == 0) {
		argv[3] = argv[0];
		return cmd_parse(&e, argc - 3, argv + 3);
	}
	fprintf(stderr, "unknown command %s\n", cmd);
	return 2;
}
