/*
 * args.h - newsgrep's command line: what it asks for (struct cli), the
 * query it gives, and the messages about a command line that cannot be
 * run.
 */
#ifndef NEWSGREP_ARGS_H
#define NEWSGREP_ARGS_H

#include <stdbool.h>

#include "newsgrep.h"

/* EXIT_PARTIAL: an index of the set was missing (a server unreachable),
 * and the results are those of the rest. */
enum { EXIT_MATCH = 0, EXIT_NO_MATCH = 1, EXIT_ERROR = 2, EXIT_PARTIAL = 3 };

enum color_when { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

typedef struct cli {
	newsgrep_search_options_t opts;
	/* Each --db, in order (several: searched as one); NULL, 0 when none
	 * was given.  The array is the caller's to free. */
	const char **db_paths;
	size_t ndb_paths;
	const char *query_file; /* -f: the query is in this file ("-": stdin) */
	bool json, files, null, count, explain, limit_given;
	bool require_all; /* a missing index of the set is an error */
	enum color_when color;
	const char *format;
	const char *since_arg, *until_arg; /* as given: a feed's id has them */
	const char *show;                  /* --show PATH|URL: that article, not a search */
} cli;

/* Reads the options in argv into *c, whose opts the caller has set with
 * newsgrep_search_options_init.  Returns 0 when the query words start at
 * argv[optind] (or the query is in c->query_file); -1 when --help or
 * --version has been printed; else the exit status, the problem said on
 * stderr. */
int parse_args(cli *c, int argc, char **argv);

/* Joins the query words with spaces.  The caller frees the result. */
char *join_words(char **words, int n);

/* The query in file `path` ("-": standard input), its line breaks made
 * spaces: argv has a size limit, a file does not.  NULL with a message
 * on stderr when it cannot be read.  The caller frees the result. */
char *read_query(const char *path);

/* With --json, errors found once the options are read are error records
 * on stdout too, so that a script need not read stderr. */
extern bool json_errors;

/* Prints "newsgrep: <message>" on stderr; returns the error exit status. */
int report(newsgrep_status_t st, const char *msg);

/* report() for a mistake in what the command line asks. */
__attribute__((format(printf, 1, 2))) int fail(const char *fmt, ...);

#endif
