/*
 * newsgrep - searches a newsgrep index and prints the best-ranked articles.
 *
 * Exit status, as grep's: 0 something matched, 1 nothing did, 2 error.
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "newsgrep.h"
#include "printer.h"

enum { EXIT_MATCH = 0, EXIT_NO_MATCH = 1, EXIT_ERROR = 2 };

static const char usage[] =
    "usage: newsgrep [OPTIONS] QUERY...\n"
    "\n"
    "Prints the news articles that contain every word of QUERY, best first.\n"
    "Words match in titles, excerpts and related articles, in any letter case\n"
    "and accent, and in other English forms (sanction finds sanctions).\n"
    "\n"
    "  --db PATH       the index (default: $NEWSGREP_DB, else\n"
    "                  $XDG_DATA_HOME/newsgrep, else ~/.local/share/newsgrep)\n"
    "  --since DATE    only articles published on or after DATE\n"
    "  --until DATE    only articles published on or before DATE\n"
    "                  DATE is YYYY, YYYY-MM, YYYY-MM-DD or an ISO 8601 time,\n"
    "                  in UTC; --until 2023-12 includes all of December\n"
    "  -n, --limit N   show at most N articles (default 10)\n"
    "  --json          one JSON object per article and line\n"
    "  -h, --help      show this help\n"
    "  -V, --version   show the version\n"
    "\n"
    "Dates are shown in UTC.  Exit status: 0 found, 1 not found, 2 error.\n";

/* Prints "newsgrep: <message>" on stderr; returns the error exit status. */
__attribute__((format(printf, 1, 2))) static int fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("newsgrep: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	return EXIT_ERROR;
}

static int parse_date(const char *opt, const char *text, newsgrep_date_bound_t bound, int64_t *out)
{
	if (newsgrep_date_parse(out, text, bound) == NEWSGREP_OK)
		return 0;
	return fail("%s: cannot read date '%s' (use YYYY, YYYY-MM, YYYY-MM-DD or "
	            "YYYY-MM-DDTHH:MM:SSZ)",
	            opt, text);
}

static int parse_limit(const char *text, unsigned long *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(text, &end, 10);
	if (errno || end == text || *end || v == 0 || text[0] == '-')
		return fail("--limit: '%s' is not a positive whole number", text);
	*out = v;
	return 0;
}

/* Joins the query words with spaces.  The caller frees the result. */
static char *join_words(char **words, int n)
{
	size_t len = 1;
	for (int i = 0; i < n; i++)
		len += strlen(words[i]) + 1;
	char *q = malloc(len), *p = q;
	if (!q)
		return NULL;
	for (int i = 0; i < n; i++) {
		size_t w = strlen(words[i]);
		memcpy(p, words[i], w);
		p += w;
		*p++ = ' ';
	}
	*(p > q ? p - 1 : p) = '\0';
	return q;
}

int main(int argc, char **argv)
{
	enum { OPT_SINCE = 256, OPT_UNTIL, OPT_JSON, OPT_DB };
	static const struct option longopts[] = {
	    {"db", required_argument, NULL, OPT_DB},
	    {"since", required_argument, NULL, OPT_SINCE},
	    {"until", required_argument, NULL, OPT_UNTIL},
	    {"limit", required_argument, NULL, 'n'},
	    {"json", no_argument, NULL, OPT_JSON},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	newsgrep_search_options_t opts;
	newsgrep_search_options_init(&opts);
	const printer *out = &text_printer;
	const char *db_path = NULL;
	int c;
	while ((c = getopt_long(argc, argv, "n:hV", longopts, NULL)) != -1) {
		switch (c) {
		case OPT_DB:
			db_path = optarg;
			break;
		case OPT_SINCE:
			if (parse_date("--since", optarg, NEWSGREP_DATE_START, &opts.since))
				return EXIT_ERROR;
			opts.has_since = 1;
			break;
		case OPT_UNTIL:
			if (parse_date("--until", optarg, NEWSGREP_DATE_END, &opts.until))
				return EXIT_ERROR;
			opts.has_until = 1;
			break;
		case 'n':
			if (parse_limit(optarg, &opts.limit))
				return EXIT_ERROR;
			break;
		case OPT_JSON:
			out = &json_printer;
			break;
		case 'h':
			fputs(usage, stdout);
			return EXIT_MATCH;
		case 'V':
			printf("newsgrep %s\n", newsgrep_version());
			return EXIT_MATCH;
		default:
			fputs(usage, stderr);
			return EXIT_ERROR;
		}
	}
	if (optind == argc) {
		fputs("newsgrep: no query given\n", stderr);
		fputs(usage, stderr);
		return EXIT_ERROR;
	}

	char *default_path = NULL;
	if (!db_path) {
		if (newsgrep_default_db_path(&default_path) != NEWSGREP_OK)
			return fail("cannot tell where the index is: set HOME or NEWSGREP_DB, "
			            "or use --db PATH");
		db_path = default_path;
	}
	char *query = join_words(argv + optind, argc - optind);
	newsgrep_db_t *db = NULL;
	newsgrep_hits_t *hits = NULL;
	char *msg = NULL;
	int status = EXIT_NO_MATCH;
	newsgrep_status_t st;
	if (!query) {
		status = fail("out of memory");
	} else if ((st = newsgrep_db_open(&db, db_path, NEWSGREP_DB_READ, &msg)) != NEWSGREP_OK) {
		status = fail("%s", msg ? msg : newsgrep_status_string(st));
	} else if ((st = newsgrep_search(&hits, db, query, &opts)) != NEWSGREP_OK) {
		status = fail("%s", newsgrep_db_errmsg(db));
	} else {
		const newsgrep_hit_t *hit;
		while ((st = newsgrep_hits_next(hits, &hit)) == NEWSGREP_OK) {
			out->hit(stdout, hit);
			status = EXIT_MATCH;
		}
		if (st != NEWSGREP_DONE)
			status = fail("%s", newsgrep_hits_errmsg(hits));
	}
	newsgrep_hits_free(hits);
	newsgrep_db_close(db);
	newsgrep_free(msg);
	free(query);
	newsgrep_free(default_path);
	if (fflush(stdout) != 0 || ferror(stdout))
		status = fail("cannot write the results: %s", strerror(errno));
	return status;
}
