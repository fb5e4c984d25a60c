/*
 * newsgrep - searches a newsgrep index and prints the best-ranked articles.
 *
 * Exit status, as grep's: 0 something matched, 1 nothing did, 2 error.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cliopt.h"
#include "closeout.h"
#include "newsgrep.h"
#include "printer.h"
#include "safetext.h"

enum { EXIT_MATCH = 0, EXIT_NO_MATCH = 1, EXIT_ERROR = 2 };

static const char usage[] =
    "usage: newsgrep [OPTIONS] QUERY...   or   newsgrep [OPTIONS] -f FILE\n"
    "Prints the news articles that match QUERY, best first.  QUERY has words (all\n"
    "must match, in any form: sanction finds Sanctions), OR, NOT, -word, (...),\n"
    "\"a phrase\", a NEAR/5 b, semicond*, '*' (everything), and the fields title:\n"
    "excerpt: related: provider: site: topic: type: url: path: date:2023-05..2023-12\n"
    "\n"
    "  --db PATH           the index (default: $NEWSGREP_DB, else\n"
    "                      $XDG_DATA_HOME/newsgrep, else ~/.local/share/newsgrep)\n"
    "  --since DATE        published on or after DATE   (2023, 2023-05, 2023-05-17,\n"
    "  --until DATE        published on or before DATE   7d, 2w, 3m, 1y, yesterday)\n"
    "  --sort ORDER        relevance, newest or oldest (default: relevance when the\n"
    "                      query has words, else newest)\n"
    "  --boost-recent      in relevance order, favour fresher articles a little\n"
    "  --exact             no stemming (also --no-stem)\n"
    "  -F, --fixed-strings the query is plain words: no operators, fields, quotes\n"
    "  --all-duplicates    show every file of an article, not one per URL\n"
    "  -n, --limit N       show N articles, or all (default 10; all with -l)\n"
    "  --offset N          skip the first N\n"
    "  --json              one JSON record per article per line, then a summary\n"
    "  -l, --files-with-matches  only the files' paths   -0, --null  end with NUL\n"
    "  -c, --count         the number of matching articles\n"
    "  --facet FIELD       counts per provider, site, topic, type, year or month\n"
    "  --format TEMPLATE   e.g. '{date}\\t{title}\\t{url}' (see newsgrep(1))\n"
    "  --color WHEN        auto, always or never (NO_COLOR is honoured)\n"
    "  --max-expansion N   words a wildcard may stand for (default 1000)\n"
    "  -f, --file FILE     read the query from FILE (- for standard input)\n"
    "  --explain           show how the query is understood, without searching\n"
    "  -h, --help          this help       -V, --version   the version\n"
    "Exit status: 0 found, 1 not found, 2 error.  More in newsgrep(1).\n";

/* With --json, errors found once the options are read are error records
 * on stdout too, so that a script need not read stderr. */
static bool json_errors;

/* Prints "newsgrep: <message>" on stderr; returns the error exit status. */
static int report(newsgrep_status_t st, const char *msg)
{
	safetext_line(stderr, "newsgrep: %s", msg);
	if (json_errors)
		print_json_error(stdout, st, msg);
	return EXIT_ERROR;
}

/* report() for a mistake in what the command line asks. */
__attribute__((format(printf, 1, 2))) static int fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *msg = n >= 0 ? malloc((size_t)n + 1) : NULL;
	if (!msg)
		return report(NEWSGREP_NOMEM, "out of memory");
	va_start(ap, fmt);
	vsnprintf(msg, (size_t)n + 1, fmt, ap);
	va_end(ap);
	report(NEWSGREP_INVALID_ARG, msg);
	free(msg);
	return EXIT_ERROR;
}

static int parse_date(const char *opt, const char *text, newsgrep_date_bound_t bound, int64_t *out)
{
	if (newsgrep_date_parse(out, text, bound) == NEWSGREP_OK)
		return 0;
	return fail("%s: cannot read date '%s' (use YYYY, YYYY-MM, YYYY-MM-DD, an ISO 8601 "
	            "time, or 7d, 2w, 3m, 1y, today, yesterday)",
	            opt, text);
}

static int parse_number(const char *opt, const char *text, bool zero_ok, unsigned long *out)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(text, &end, 10);
	if (errno || end == text || *end || (v == 0 && !zero_ok) || text[0] == '-' ||
	    text[0] == ' ')
		return fail("%s: '%s' is not a %s whole number", opt, text,
		            zero_ok ? "non-negative" : "positive");
	*out = v;
	return 0;
}

static int parse_sort(const char *text, newsgrep_sort_t *out)
{
	static const char *const names[] = {"relevance", "newest", "oldest"};
	for (int i = 0; i < 3; i++)
		if (strcmp(text, names[i]) == 0) {
			*out = (newsgrep_sort_t)(NEWSGREP_SORT_RELEVANCE + i);
			return 0;
		}
	return fail("--sort: '%s' is not one of relevance, newest, oldest", text);
}

/* --facet provider,year (and repeated) into a set of facet bits. */
static int parse_facets(const char *text, unsigned *out)
{
	const char *p = text;
	while (*p) {
		size_t n = strcspn(p, ",");
		int found = -1;
		for (int f = 0; f < NEWSGREP_FACET_COUNT; f++) {
			const char *name = newsgrep_facet_name((newsgrep_facet_t)f);
			if (strlen(name) == n && strncmp(name, p, n) == 0)
				found = f;
		}
		if (found < 0)
			return fail("--facet: '%.*s' is not one of provider, site, topic, type, "
			            "year, month",
			            (int)n, p);
		*out |= NEWSGREP_FACET_BIT(found);
		p += n;
		if (*p == ',')
			p++;
	}
	if (!*out)
		return fail("--facet: name a field: provider, site, topic, type, year or month");
	return 0;
}

enum color_when { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER };

static int parse_color(const char *text, enum color_when *out)
{
	if (strcmp(text, "always") == 0)
		*out = COLOR_ALWAYS;
	else if (strcmp(text, "never") == 0)
		*out = COLOR_NEVER;
	else if (strcmp(text, "auto") == 0)
		*out = COLOR_AUTO;
	else
		return fail("--color: '%s' is not one of auto, always, never", text);
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

/* The query in file `path` ("-": standard input), its line breaks made
 * spaces: argv has a size limit, a file does not.  NULL with a message
 * on stderr when it cannot be read.  The caller frees the result. */
static char *read_query(const char *path)
{
	bool in = strcmp(path, "-") == 0;
	const char *name = in ? "standard input" : path;
	FILE *f = in ? stdin : fopen(path, "rb");
	if (!f) {
		fail("-f: cannot open '%s': %s", path, strerror(errno));
		return NULL;
	}
	size_t len = 0, cap = 4096;
	char *q = malloc(cap);
	size_t got;
	while (q && (got = fread(q + len, 1, cap - len - 1, f)) > 0) {
		len += got;
		if (cap - len - 1 == 0) {
			char *bigger = realloc(q, cap *= 2);
			if (!bigger)
				free(q);
			q = bigger;
		}
	}
	bool bad = ferror(f);
	int read_errno = errno;
	if (!in)
		fclose(f);
	if (!q) {
		fail("out of memory");
		return NULL;
	}
	q[len] = '\0';
	if (bad) {
		fail("-f: cannot read %s%s%s: %s", in ? "" : "'", name, in ? "" : "'",
		     strerror(read_errno));
	} else if (strlen(q) != len) {
		fail("-f: %s%s%s has a NUL byte: a query is text", in ? "" : "'", name,
		     in ? "" : "'");
	} else {
		for (size_t i = 0; i < len; i++)
			if (q[i] == '\n' || q[i] == '\r')
				q[i] = ' ';
		return q;
	}
	free(q);
	return NULL;
}

typedef struct cli {
	newsgrep_search_options_t opts;
	const char *db_path;
	const char *query_file; /* -f: the query is in this file ("-": stdin) */
	bool json, files, null, count, explain, limit_given;
	enum color_when color;
	const char *format;
} cli;

/* Options that choose what to print cannot be mixed. */
static int check_modes(const cli *c)
{
	if (c->files && (c->json || c->format || c->count || c->opts.facets))
		return fail("-l prints paths only: it does not go with --json, --format, -c or "
		            "--facet");
	if (c->format && (c->json || c->count || c->opts.facets))
		return fail("--format does not go with --json, -c or --facet");
	if (c->null && !c->files && !c->format)
		return fail("-0 goes with -l or --format");
	return 0;
}

static int parse_args(cli *c, int argc, char **argv)
{
	enum {
		OPT_SINCE = 256,
		OPT_UNTIL,
		OPT_JSON,
		OPT_DB,
		OPT_SORT,
		OPT_BOOST,
		OPT_EXACT,
		OPT_ALL_DUPS,
		OPT_OFFSET,
		OPT_FACET,
		OPT_FORMAT,
		OPT_COLOR,
		OPT_MAX_EXPANSION,
		OPT_EXPLAIN
	};
	/* getopt's short options, which cliopt_check checks too. */
#define SHORT_OPTIONS "n:l0chVFf:"
	static const struct option longopts[] = {
	    {"db", required_argument, NULL, OPT_DB},
	    {"since", required_argument, NULL, OPT_SINCE},
	    {"until", required_argument, NULL, OPT_UNTIL},
	    {"sort", required_argument, NULL, OPT_SORT},
	    {"boost-recent", no_argument, NULL, OPT_BOOST},
	    {"exact", no_argument, NULL, OPT_EXACT},
	    {"no-stem", no_argument, NULL, OPT_EXACT},
	    {"fixed-strings", no_argument, NULL, 'F'},
	    {"all-duplicates", no_argument, NULL, OPT_ALL_DUPS},
	    {"limit", required_argument, NULL, 'n'},
	    {"offset", required_argument, NULL, OPT_OFFSET},
	    {"json", no_argument, NULL, OPT_JSON},
	    {"files-with-matches", no_argument, NULL, 'l'},
	    {"null", no_argument, NULL, '0'},
	    {"count", no_argument, NULL, 'c'},
	    {"facet", required_argument, NULL, OPT_FACET},
	    {"format", required_argument, NULL, OPT_FORMAT},
	    {"color", required_argument, NULL, OPT_COLOR},
	    {"colour", required_argument, NULL, OPT_COLOR},
	    {"max-expansion", required_argument, NULL, OPT_MAX_EXPANSION},
	    {"file", required_argument, NULL, 'f'},
	    {"explain", no_argument, NULL, OPT_EXPLAIN},
	    {"help", no_argument, NULL, 'h'},
	    {"version", no_argument, NULL, 'V'},
	    {NULL, 0, NULL, 0},
	};
	newsgrep_search_options_t *o = &c->opts;
	/* In order: options end at the first word of the query, so that
	 * "-china" after it is an exclusion, not the options -c -h -i -n -a.
	 * Before it, "-china" is an error that says how to start the query
	 * with an exclusion (cliopt.h). */
	const cliopt co = {.prog = "newsgrep",
	                   .shorts = SHORT_OPTIONS,
	                   .longopts = longopts,
	                   .numeric = "n",
	                   .in_order = true,
	                   .query_hint = true};
	if (cliopt_check(&co, argc, argv))
		return EXIT_ERROR;
	int opt;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+" SHORT_OPTIONS, longopts, NULL)) != -1) {
		int bad = 0;
		switch (opt) {
		case OPT_DB:
			c->db_path = optarg;
			break;
		case OPT_SINCE:
			bad = parse_date("--since", optarg, NEWSGREP_DATE_START, &o->since);
			o->has_since = 1;
			break;
		case OPT_UNTIL:
			bad = parse_date("--until", optarg, NEWSGREP_DATE_END, &o->until);
			o->has_until = 1;
			break;
		case OPT_SORT:
			bad = parse_sort(optarg, &o->sort);
			break;
		case OPT_BOOST:
			o->boost_recent = 1;
			break;
		case OPT_EXACT:
			o->exact = 1;
			break;
		case 'F':
			o->fixed_strings = 1;
			break;
		case OPT_ALL_DUPS:
			o->all_duplicates = 1;
			break;
		case 'n':
			if (strcmp(optarg, "all") == 0)
				o->limit = ULONG_MAX;
			else
				bad = parse_number("--limit", optarg, false, &o->limit);
			c->limit_given = true;
			break;
		case OPT_OFFSET:
			bad = parse_number("--offset", optarg, true, &o->offset);
			break;
		case OPT_JSON:
			c->json = true;
			break;
		case 'l':
			c->files = true;
			break;
		case '0':
			c->null = true;
			break;
		case 'c':
			c->count = true;
			break;
		case OPT_FACET:
			bad = parse_facets(optarg, &o->facets);
			break;
		case OPT_FORMAT:
			c->format = optarg;
			break;
		case OPT_COLOR:
			bad = parse_color(optarg, &c->color);
			break;
		case OPT_MAX_EXPANSION:
			bad = parse_number("--max-expansion", optarg, false, &o->max_expansion);
			break;
		case OPT_EXPLAIN:
			c->explain = true;
			break;
		case 'f':
			c->query_file = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			return -1;
		case 'V':
			cliopt_print_version(&co);
			return -1;
		default: /* cliopt_check let nothing else through */
			cliopt_fail(&co, "cannot read option '%s'", argv[optind - 1]);
			return EXIT_ERROR;
		}
		if (bad)
			return EXIT_ERROR;
	}
	if (c->query_file && optind < argc)
		return fail("-f reads the query from '%s': give no query words as well",
		            c->query_file);
	if (optind == argc && !c->query_file) {
		cliopt_fail(&co, "no query given (try '*' for every article)");
		return EXIT_ERROR;
	}
	/* An option after the query was surely meant as one: a long option,
	 * or a short one standing alone ("-n 5"; "-n5").  Other "-word"s
	 * exclude words, and so does every word after "--". */
	for (int i = optind; i < argc && strcmp(argv[optind - 1], "--") != 0; i++) {
		const char *a = argv[i];
		bool option =
		    a[0] == '-' && a[1] && strchr("nl0chVFf", a[1]) &&
		    (a[2] == '\0' || (a[1] == 'n' && strspn(a + 2, "0123456789") == strlen(a + 2)));
		for (const struct option *lo = longopts; lo->name && !option; lo++) {
			size_t n = strlen(lo->name);
			option = a[0] == '-' && a[1] == '-' && strncmp(a + 2, lo->name, n) == 0 &&
			         (a[2 + n] == '\0' || a[2 + n] == '=');
		}
		if (option)
			return fail("%s: options go before the query words", a);
	}
	return check_modes(c);
}

/* Up to this many matches (by Xapian's estimate), the terminal header
 * counts them exactly: a few milliseconds at most. */
#define CHEAP_COUNT 10000

/* The number of matches for the terminal header, into *out; false when it
 * is Xapian's estimate.  Exact when the search knew it, or when there are
 * few enough to count all (a second search, counting only). */
static bool count_matches(newsgrep_db_t *db, const char *query, const newsgrep_hits_t *hits,
                          const newsgrep_search_options_t *o, uint64_t *out)
{
	*out = newsgrep_hits_estimate(hits);
	if (newsgrep_hits_estimate_is_exact(hits))
		return true;
	if (*out > CHEAP_COUNT)
		return false;
	newsgrep_search_options_t counting = *o;
	counting.offset = counting.limit = 0;
	counting.exact_count = counting.no_snippets = 1;
	newsgrep_hits_t *counted;
	if (newsgrep_search(&counted, db, query, &counting) != NEWSGREP_OK)
		return false;
	*out = newsgrep_hits_estimate(counted);
	newsgrep_hits_free(counted);
	return true;
}

/* The terminal header: "showing 10 of 27 matches", "of ~1,234" when the
 * count is an estimate. */
static void print_header(newsgrep_db_t *db, const char *query, const newsgrep_hits_t *hits,
                         const newsgrep_search_options_t *o)
{
	uint64_t n;
	const char *approx = count_matches(db, query, hits, o, &n) ? "" : "~";
	char total[32];
	format_count(n, total, sizeof(total));
	const char *es = n == 1 && !*approx ? "" : "es";
	size_t shown = newsgrep_hits_size(hits);
	if (o->offset && shown)
		fprintf(stderr, "showing %lu-%lu of %s%s match%s\n", o->offset + 1,
		        o->offset + (unsigned long)shown, approx, total, es);
	else
		fprintf(stderr, "showing %zu of %s%s match%s\n", shown, approx, total, es);
}

static void print_path(FILE *out, const newsgrep_hit_t *hit, const print_opts *o)
{
	if (o->tty)
		safetext_puts(out, hit->path, 0);
	else
		fputs(hit->path, out);
	fputc(o->end, out);
}

/* The first lower-case "or", "and" or "not" standing alone outside
 * quotes: a word to the query language, though maybe meant as its
 * operator.  NULL when there is none. */
static const char *lowercase_operator(const char *q)
{
	static const char *const ops[] = {"or", "and", "not"};
	bool quoted = false;
	for (const char *p = q; *p;) {
		if (*p == '"') {
			quoted = !quoted;
			p++;
			continue;
		}
		size_t n = strcspn(p, " \t\n\r\"()");
		for (size_t i = 0; !quoted && n && i < 3; i++)
			if (strlen(ops[i]) == n && strncmp(p, ops[i], n) == 0)
				return ops[i];
		p += n ? n : 1;
	}
	return NULL;
}

/* Suggests a spelling when nothing matched: on stderr, or with --json as
 * a record. */
static void did_you_mean(newsgrep_db_t *db, const char *query, const newsgrep_search_options_t *o,
                         bool json)
{
	char *fixed = NULL;
	if (newsgrep_suggest(&fixed, db, query, o) == NEWSGREP_OK) {
		if (json)
			print_json_suggestion(stdout, fixed);
		else
			safetext_line(stderr, "newsgrep: no matches; did you mean: %s", fixed);
	}
	newsgrep_free(fixed);
}

/* The --json summary of `shown` hits listed from `hits`. */
static json_summary summarize(const newsgrep_hits_t *hits, const newsgrep_search_options_t *o,
                              size_t shown, bool truncated)
{
	json_summary sum = {
	    .count = newsgrep_hits_estimate(hits),
	    .count_exact = newsgrep_hits_estimate_is_exact(hits),
	    .shown = shown,
	    .offset = o->offset,
	    .limit = o->limit,
	    .truncated = truncated,
	};
	/* A list that ran out before its limit saw every match. */
	if (!truncated && (shown || !o->offset)) {
		sum.count = o->offset + shown;
		sum.count_exact = true;
	} else if (shown && sum.count < o->offset + shown + truncated) {
		sum.count = o->offset + shown + truncated;
	}
	return sum;
}

/* -c and --facet: the number of matches, their facets, or both (of
 * `hits`, searched with `o`); returns the exit status. */
static int count_and_facets(const cli *c, newsgrep_db_t *db, const char *query,
                            const newsgrep_hits_t *hits, const newsgrep_search_options_t *o)
{
	uint64_t n = newsgrep_hits_estimate(hits);
	/* (before the summary: with --json, that ends the output) */
	if (!n && !o->offset)
		did_you_mean(db, query, &c->opts, c->json);
	/* -c --facet: the count, then the facets (whose JSON has it). */
	if (c->count && !(o->facets && c->json))
		print_count(stdout, n, c->json);
	if (c->count && o->facets && !c->json)
		fputc('\n', stdout);
	if (o->facets)
		print_facets(stdout, hits, o->facets, c->json);
	return n ? EXIT_MATCH : EXIT_NO_MATCH;
}

/* The search and its list of hits (or, with -c or --facet, their
 * summary), printed as `c` asks; returns the exit status. */
static int search(const cli *c, newsgrep_db_t *db, const char *query, const print_opts *po)
{
	newsgrep_search_options_t o = c->opts;
	bool summary = c->count || o.facets;
	if (summary) {
		o.limit = 0;
		o.exact_count = 1;
	} else if (c->files && !c->limit_given) {
		o.limit = ULONG_MAX; /* grep -l lists every file */
	}
	o.no_snippets = c->files;
	/* --json asks for one hit more than it prints, to tell in its summary
	 * whether the list was cut. */
	unsigned long left = o.limit; /* hits still to print */
	if (c->json && !summary && o.limit != ULONG_MAX)
		o.limit++;
	size_t shown = 0; /* printed */
	bool truncated = false;
	newsgrep_hits_t *hits;
	newsgrep_status_t st;
	if ((st = newsgrep_search(&hits, db, query, &o)) != NEWSGREP_OK)
		return report(st, newsgrep_db_errmsg(db));
	int status = EXIT_NO_MATCH;
	if (summary) {
		status = count_and_facets(c, db, query, hits, &o);
	} else {
		print_hit_fn print = c->files    ? print_path
		                     : c->format ? print_format_hit
		                     : c->json   ? print_json_hit
		                                 : print_text_hit;
		if (print == print_text_hit && isatty(STDOUT_FILENO) && isatty(STDERR_FILENO))
			print_header(db, query, hits, &o);
		/* (The hits go on by themselves when writers commit under
		 * them: newsgrep_hits_next.) */
		const newsgrep_hit_t *hit;
		st = NEWSGREP_DONE;
		while (left && (st = newsgrep_hits_next(hits, &hit)) == NEWSGREP_OK) {
			print(stdout, hit, po);
			status = EXIT_MATCH;
			shown++;
			left -= left != ULONG_MAX;
		}
		if (!left)
			st = NEWSGREP_DONE;
		if (st != NEWSGREP_DONE)
			status = report(st, newsgrep_hits_errmsg(hits));
		truncated = left == 0 && newsgrep_hits_size(hits) > shown;
	}
	json_summary sum = summarize(hits, &c->opts, shown, truncated);
	newsgrep_hits_free(hits);
	if (status == EXIT_NO_MATCH && o.offset == 0 && !summary)
		did_you_mean(db, query, &c->opts, c->json);
	if (c->json && !summary && status != EXIT_ERROR)
		print_json_summary(stdout, &sum);
	return status;
}

static bool want_color(enum color_when when)
{
	if (when != COLOR_AUTO)
		return when == COLOR_ALWAYS;
	const char *no_color = getenv("NO_COLOR");
	return isatty(STDOUT_FILENO) && !(no_color && *no_color);
}

/* --explain: how the query is read, without searching it. */
static int explain(const cli *c, newsgrep_db_t *db, const char *query)
{
	char *explained = NULL;
	int status = EXIT_MATCH;
	newsgrep_status_t st = newsgrep_explain(&explained, db, query, &c->opts);
	if (st != NEWSGREP_OK)
		status = report(st, newsgrep_db_errmsg(db));
	else if (c->json)
		print_json_explain(stdout, query, explained);
	else
		safetext_puts(stdout, explained, SAFETEXT_NEWLINES);
	newsgrep_free(explained);
	return status;
}

/* Opens the index at `db_path` and runs on `query` what `c` asks: an
 * explanation or a search.  Returns the exit status. */
static int run(const cli *c, const char *db_path, const char *query, const print_opts *po)
{
	newsgrep_db_t *db = NULL;
	char *msg = NULL;
	int status;
	newsgrep_status_t st = newsgrep_db_open(&db, db_path, NEWSGREP_DB_READ, NULL, &msg);
	if (st != NEWSGREP_OK)
		status = report(st, msg ? msg : newsgrep_status_string(st));
	else if (c->explain)
		status = explain(c, db, query);
	else
		status = search(c, db, query, po);
	newsgrep_db_close(db);
	newsgrep_free(msg);
	return status;
}

/* Someone at a terminal may have meant an operator: says which. */
static void hint_operator(const cli *c, const char *query)
{
	const char *op = query && !c->opts.fixed_strings && isatty(STDERR_FILENO)
	                     ? lowercase_operator(query)
	                     : NULL;
	if (!op)
		return;
	char upper[4] = {0};
	for (size_t i = 0; op[i]; i++)
		upper[i] = (char)(op[i] - 'a' + 'A');
	fprintf(stderr,
	        "newsgrep: hint: '%s' is searched for as a word; the operator is %s, in "
	        "capitals\n",
	        op, upper);
}

int main(int argc, char **argv)
{
	/* A closed pipe (newsgrep ... | head) ends the program quietly, as
	 * it does grep, even when the parent ignored SIGPIPE. */
	signal(SIGPIPE, SIG_DFL);
	closeout_at_exit("newsgrep");
	cli c = {0};
	newsgrep_search_options_init(&c.opts, NEWSGREP_SEARCH_OPTIONS_VERSION);
	int rc = parse_args(&c, argc, argv);
	if (rc)
		return rc < 0 ? EXIT_MATCH : rc;
	json_errors = c.json;

	char errbuf[300];
	template *tmpl = NULL;
	if (c.format && !(tmpl = template_compile(c.format, errbuf, sizeof(errbuf))))
		return fail("%s", errbuf);
	print_opts po = {
	    .color = want_color(c.color),
	    .end = c.null ? '\0' : '\n',
	    .tmpl = tmpl,
	    .tty = !c.null && isatty(STDOUT_FILENO),
	};

	char *default_path = NULL;
	const char *db_path = c.db_path;
	if (!db_path) {
		if (newsgrep_default_db_path(&default_path) != NEWSGREP_OK) {
			template_free(tmpl);
			return fail("cannot tell where the index is: set HOME or NEWSGREP_DB, "
			            "or use --db PATH");
		}
		db_path = default_path;
	}
	char *query =
	    c.query_file ? read_query(c.query_file) : join_words(argv + optind, argc - optind);
	hint_operator(&c, query);
	int status;
	if (query)
		status = run(&c, db_path, query, &po);
	else
		status = c.query_file ? EXIT_ERROR : report(NEWSGREP_NOMEM, "out of memory");
	free(query);
	newsgrep_free(default_path);
	template_free(tmpl);
	return status;
}
