/*
 * cliopt.h - what newsgrep and newsgrep-index check of their command line
 * before getopt_long reads it.
 *
 * getopt reads any word after one dash as a bundle of short options:
 * "newsgrep -huawei chips" would be -h -u -a ..., and print the help.  Here
 * a word is options only when every letter is one, -h and -V stand alone,
 * and every problem is one line on stderr followed by
 * "Try 'PROG --help' for more information.".
 */
#ifndef NEWSGREP_CLIOPT_H
#define NEWSGREP_CLIOPT_H

#include <getopt.h>
#include <stdbool.h>

typedef struct cliopt {
	const char *prog;   /* "newsgrep", for the messages */
	const char *shorts; /* getopt's short options, without '+' or ':' */
	const struct option *longopts;
	const char *numeric; /* short options whose value is a number */
	bool in_order;       /* options end at the first other word ('+') */
	/* A "-word" may be meant as an excluded word of the query: say how
	 * to start the query after "--". */
	bool query_hint;
} cliopt;

/* Checks the options in argv as getopt_long will read them.  Returns 0 when
 * getopt_long may read them; else prints the problem and returns -1. */
int cliopt_check(const cliopt *p, int argc, char **argv);

/* Prints -V's answer on stdout: newsgrep's version, the format of the
 * indexes it writes and the versions of the libraries it runs with. */
void cliopt_print_version(const cliopt *p);

/* Prints "PROG: <message>" and the line pointing to --help on stderr. */
__attribute__((format(printf, 2, 3))) void cliopt_fail(const cliopt *p, const char *fmt, ...);

#endif
