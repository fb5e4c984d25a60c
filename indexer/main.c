/*
 * newsgrep-index - builds or updates a newsgrep index from article files.
 *
 * Exit status: 0 every file was indexed, 1 some files were skipped as bad
 * input (each reported on stderr), 2 a fatal error.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "newsgrep.h"

enum { EXIT_ALL_INDEXED = 0, EXIT_SOME_SKIPPED = 1, EXIT_FATAL = 2 };

static const char usage[] =
    "usage: newsgrep-index [--db PATH] [-q] DIR|FILE...\n"
    "\n"
    "Indexes the news articles (YAML front matter) under each DIR, recursively:\n"
    "*.md *.markdown *.txt *.yaml *.yml files, hidden files and folders skipped.\n"
    "A file indexed again replaces its earlier version.\n"
    "\n"
    "  --db PATH      the index (default: $NEWSGREP_DB, else $XDG_DATA_HOME/newsgrep,\n"
    "                 else ~/.local/share/newsgrep); created when missing\n"
    "  -q, --quiet    print no summary, only problems\n"
    "  -h, --help     show this help\n"
    "  -V, --version  show the version\n"
    "\n"
    "Bad files are reported as 'path:line:column: problem' and skipped.\n"
    "Exit status: 0 all files indexed, 1 some skipped as bad input, 2 fatal error.\n";

static void print_problem(void *ctx, const newsgrep_problem_t *p)
{
	(void)ctx;
	const char *kind = p->kind == NEWSGREP_PROBLEM_WARNING ? "warning: " : "";
	if (p->line)
		fprintf(stderr, "%s:%lu:%lu: %s%s\n", p->path, p->line, p->column, kind,
		        p->message);
	else
		fprintf(stderr, "%s: %s%s\n", p->path, kind, p->message);
}

static double now_seconds(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
	    {"db", required_argument, NULL, 'd'},
	    {"quiet", no_argument, NULL, 'q'},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	const char *db_path = NULL;
	int quiet = 0, c;
	while ((c = getopt_long(argc, argv, "d:qhV", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			db_path = optarg;
			break;
		case 'q':
			quiet = 1;
			break;
		case 'h':
			fputs(usage, stdout);
			return 0;
		case 'V':
			printf("newsgrep-index %s\n", newsgrep_version());
			return 0;
		default:
			fputs(usage, stderr);
			return EXIT_FATAL;
		}
	}
	if (optind == argc) {
		fprintf(stderr, "newsgrep-index: no folder given\n%s", usage);
		return EXIT_FATAL;
	}

	char *default_path = NULL;
	if (!db_path) {
		if (newsgrep_default_db_path(&default_path) != NEWSGREP_OK) {
			fprintf(stderr, "newsgrep-index: cannot tell where the index goes: "
			                "set HOME or NEWSGREP_DB, or use --db PATH\n");
			return EXIT_FATAL;
		}
		db_path = default_path;
	}

	double start = now_seconds();
	newsgrep_db_t *db;
	char *msg;
	newsgrep_status_t st = newsgrep_db_open(&db, db_path, NEWSGREP_DB_WRITE, &msg);
	if (st != NEWSGREP_OK) {
		fprintf(stderr, "newsgrep-index: %s\n", msg ? msg : newsgrep_status_string(st));
		newsgrep_free(msg);
		newsgrep_free(default_path);
		return EXIT_FATAL;
	}

	newsgrep_index_options_t opts;
	newsgrep_index_options_init(&opts);
	opts.on_problem = print_problem;
	newsgrep_index_stats_t stats;
	st = newsgrep_index_paths(db, (const char *const *)argv + optind, (size_t)(argc - optind),
	                          &opts, &stats);
	int status = stats.skipped ? EXIT_SOME_SKIPPED : EXIT_ALL_INDEXED;
	if (st != NEWSGREP_OK) {
		fprintf(stderr, "newsgrep-index: %s (%llu articles indexed before it)\n",
		        newsgrep_db_errmsg(db), (unsigned long long)stats.indexed);
		status = EXIT_FATAL;
	}
	newsgrep_db_close(db);

	double secs = now_seconds() - start;
	if (!quiet && status != EXIT_FATAL)
		printf("newsgrep-index: %llu indexed, %llu skipped, %llu warnings in %.2f s "
		       "(%.0f articles/s) into '%s'\n",
		       (unsigned long long)stats.indexed, (unsigned long long)stats.skipped,
		       (unsigned long long)stats.warnings, secs,
		       secs > 0 ? (double)stats.indexed / secs : 0.0, db_path);
	newsgrep_free(default_path);
	if (fflush(stdout) != 0 && status == EXIT_ALL_INDEXED)
		status = EXIT_FATAL;
	return status;
}
