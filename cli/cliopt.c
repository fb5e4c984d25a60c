/*
 * cliopt.c - the command line checked before getopt_long reads it
 * (see cliopt.h).
 */
#include "cliopt.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "newsgrep.h"
#include "safetext.h"

/* The short options that only stand alone: -h and -V, in both programs. */
#define ALONE "hV"

static void print_try(const cliopt *p)
{
	fprintf(stderr, "Try '%s --help' for more information.\n", p->prog);
}

void cliopt_fail(const cliopt *p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "%s: ", p->prog);
	safetext_vprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	print_try(p);
}

void cliopt_print_version(const cliopt *p)
{
	printf("%s %s (index format %s)\nXapian %s, libyaml %s, utf8proc %s\n", p->prog,
	       newsgrep_component_version(NEWSGREP_COMPONENT_NEWSGREP),
	       newsgrep_component_version(NEWSGREP_COMPONENT_INDEX_FORMAT),
	       newsgrep_component_version(NEWSGREP_COMPONENT_XAPIAN),
	       newsgrep_component_version(NEWSGREP_COMPONENT_LIBYAML),
	       newsgrep_component_version(NEWSGREP_COMPONENT_UTF8PROC));
}

/* Prints a word as a shell reads it back: quoted unless plainly safe. */
static void print_shell_word(const char *w)
{
	bool plain = *w != '\0';
	for (const unsigned char *c = (const unsigned char *)w; *c && plain; c++)
		plain = *c >= 0x80 || strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		                             "0123456789-_./:=@%+,",
		                             *c);
	if (plain) {
		fputs(w, stderr);
		return;
	}
	fputc('\'', stderr);
	for (; *w; w++)
		if (*w == '\'')
			fputs("'\\''", stderr);
		else
			fputc(*w, stderr);
	fputc('\'', stderr);
}

/* Prints the problem with argv[i]; a "-word" that may be meant as an
 * excluded word gets the command line that says so. */
__attribute__((format(printf, 6, 7))) static int report(const cliopt *p, int argc, char **argv,
                                                        int i, bool hint, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "%s: ", p->prog);
	safetext_vprintf(stderr, fmt, ap);
	va_end(ap);
	if (hint && p->query_hint && argv[i][1] != '-') {
		fprintf(stderr, "; to exclude a word, start the query after --: %s", p->prog);
		for (int k = 1; k < argc; k++) {
			if (k == i)
				fputs(" --", stderr);
			fputc(' ', stderr);
			print_shell_word(argv[k]);
		}
	}
	fputc('\n', stderr);
	print_try(p);
	return -1;
}

/* The bytes of the UTF-8 character at s (1 for anything else). */
static int char_len(const char *s)
{
	int n = 1;
	if ((unsigned char)s[0] >= 0xC0)
		while (n < 4 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n++;
	return n;
}

/* A word of short options: -l, -lc, -n5, -n 5. */
static int check_short(const cliopt *p, int argc, char **argv, int i, bool *value_next)
{
	const char *a = argv[i];
	size_t len = strlen(a);
	int alone = 0;
	for (size_t k = 1; a[k]; k++) {
		const char *s = a[k] != ':' ? strchr(p->shorts, a[k]) : NULL;
		if (!s && len == 2)
			return report(p, argc, argv, i, true, "unknown option '%s'", a);
		if (!s)
			return report(p, argc, argv, i, true, "unknown option '-%.*s' in '%s'",
			              char_len(a + k), a + k, a);
		if (strchr(ALONE, a[k]) && len > 2 && !alone)
			alone = (int)k;
		if (s[1] != ':')
			continue;
		const char *value = a + k + 1;
		if (!*value)
			*value_next = true;
		else if (p->numeric && strchr(p->numeric, a[k]) &&
		         strspn(value, "0123456789") != strlen(value))
			return report(p, argc, argv, i, true,
			              "unknown option '%s' (-%c takes a number, as in -%c5)", a,
			              a[k], a[k]);
		break;
	}
	if (alone)
		return report(p, argc, argv, i, true, "option '-%c' goes alone, not in '%s'",
		              a[alone], a);
	if (*value_next && i + 1 == argc)
		return report(p, argc, argv, i, false, "option '-%c' needs a value", a[len - 1]);
	return 0;
}

/* A long option, maybe abbreviated, as getopt_long reads it: an exact
 * name, else the one option that all names starting so stand for. */
static int check_long(const cliopt *p, int argc, char **argv, int i, bool *value_next)
{
	const char *a = argv[i], *name = a + 2, *eq = strchr(name, '=');
	int len = eq ? (int)(eq - name) : (int)strlen(name);
	const struct option *found = NULL;
	bool ambiguous = false;
	for (const struct option *o = p->longopts; o->name && len; o++) {
		if (strncmp(o->name, name, (size_t)len) != 0)
			continue;
		if (o->name[len] == '\0') {
			found = o, ambiguous = false;
			break;
		}
		if (found && (found->has_arg != o->has_arg || found->flag != o->flag ||
		              found->val != o->val))
			ambiguous = true;
		if (!found)
			found = o;
	}
	if (!found)
		return report(p, argc, argv, i, false, "unknown option '--%.*s'", len, name);
	if (ambiguous) {
		fprintf(stderr, "%s: option '--%.*s' is ambiguous:", p->prog, len, name);
		for (const struct option *o = p->longopts; o->name; o++)
			if (strncmp(o->name, name, (size_t)len) == 0)
				fprintf(stderr, " --%s", o->name);
		fputc('\n', stderr);
		print_try(p);
		return -1;
	}
	if (eq && found->has_arg == no_argument)
		return report(p, argc, argv, i, false, "option '--%s' takes no value", found->name);
	if (!eq && found->has_arg == required_argument) {
		if (i + 1 == argc)
			return report(p, argc, argv, i, false, "option '--%s' needs a value",
			              found->name);
		*value_next = true;
	}
	return 0;
}

int cliopt_check(const cliopt *p, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0)
			return 0;
		if (a[0] != '-' || a[1] == '\0') {
			if (p->in_order)
				return 0;
			continue;
		}
		bool value_next = false;
		int rc = a[1] == '-' ? check_long(p, argc, argv, i, &value_next)
		                     : check_short(p, argc, argv, i, &value_next);
		if (rc)
			return rc;
		i += value_next; /* the option's value, whatever it looks like */
	}
	return 0;
}
