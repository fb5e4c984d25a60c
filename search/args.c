/*
 * args.c - newsgrep's command line: the options, the query words or
 * file, and the messages about a command line that cannot be run.
 */
#include "args.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cliopt.h"
#include "printer.h"
#include "safetext.h"

static const char usage[] =
    "usage: newsgrep [OPTIONS] QUERY...   or   newsgrep [OPTIONS] -f FILE\n"
    "Prints the news articles that match QUERY, best first.  QUERY has words (all\n"
    "must match, in any form: sanction finds Sanctions), OR, NOT, -word, (...),\n"
    "\"a phrase\", a NEAR/5 b, semicond*, '*' (everything), and the fields title:\n"
    "excerpt: related: provider: site: topic: type: url: path: date:2023-05..2023-12\n"
    "\n"
    "  --db PATH           an index: a folder, HOST:PORT (xapian-tcpsrv) or a set\n"
    "                      file; several as one: repeat --db, or list them in\n"
    "                      $NEWSGREP_DB with ':' (default: $NEWSGREP_DB, else\n"
    "                      $XDG_DATA_HOME/newsgrep, else ~/.local/share/newsgrep)\n"
    "  --since DATE        published on or after DATE   (2023, 2023-05, 2023-05-17,\n"
    "  --until DATE        published on or before DATE   7d, 2w, 3m, 1y, yesterday)\n"
    "  --sort ORDER        relevance, newest or oldest (default: relevance if words)\n"
    "  --like PATH|URL     the same story   --group provider|site  one hit each\n"
    "  --boost-recent      in relevance order, favour fresher articles a little\n"
    "  --exact, --no-stem  no stemming    --require-all  every index must answer\n"
    "  -F, --fixed-strings the query is plain words: no operators, fields, quotes\n"
    "  --all-duplicates    show every file of an article, not one per URL\n"
    "  -n, --limit N       show N articles, or all (default 10; all with -l)\n"
    "  --offset N          skip the first N      -c, --count   count the matches\n"
    "  --json              one JSON record per article per line, then a summary\n"
    "  -l, --files-with-matches  only the files' paths   -0, --null  end with NUL\n"
    "  --facet FIELD       counts per provider, site, topic, type, year or month\n"
    "  --format TEMPLATE   e.g. '{date}\\t{title}\\t{url}', or atom: an Atom feed\n"
    "  --color WHEN        auto, always or never (NO_COLOR is honoured)\n"
    "  --max-expansion N   words a wildcard may stand for (default 1000)\n"
    "  -f, --file FILE     read the query from FILE (- for standard input)\n"
    "  --explain           show how the query is understood, without searching\n"
    "  --show PATH|URL     one article in full     -h, --help  -V, --version\n"
    "Exit status: 0 found, 1 not found, 2 error, 3 partial.  More in newsgrep(1).\n";

bool json_errors;

/* Prints "newsgrep: <message>" on stderr; returns the error exit status. */
int report(newsgrep_status_t st, const char *msg)
{
	safetext_line(stderr, "newsgrep: %s", msg);
	if (json_errors)
		print_json_error(stdout, st, msg);
	return EXIT_ERROR;
}

/* report() for a mistake in what the command line asks. */
int fail(const char *fmt, ...)
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

static int parse_number(const char *opt, const char *text, bool zero_ok, uint64_t *out)
{
	char *end;
	errno = 0;
	unsigned long long v = strtoull(text, &end, 10);
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

static int parse_group(const char *text, newsgrep_group_t *out)
{
	if (strcmp(text, "provider") == 0)
		*out = NEWSGREP_GROUP_PROVIDER;
	else if (strcmp(text, "site") == 0)
		*out = NEWSGREP_GROUP_SITE;
	else
		return fail("--group: '%s' is not one of provider, site", text);
	return 0;
}

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
char *join_words(char **words, int n)
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
char *read_query(const char *path)
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
	if (c->null && format_is_atom(c->format))
		return fail("-0 does not go with --format atom: a feed is one document");
	return 0;
}

/* --show is no search: no query, nothing that shapes a list. */
static int check_show(const cli *c, bool words)
{
	if (words || c->query_file)
		return fail("--show shows one article: give no query");
	if (c->files || c->count || c->opts.facets || c->format || c->explain || c->null)
		return fail("--show does not go with -l, -c, --facet, --format, --explain or -0");
	return 0;
}

int parse_args(cli *c, int argc, char **argv)
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
		OPT_EXPLAIN,
		OPT_REQUIRE_ALL,
		OPT_LIKE,
		OPT_GROUP,
		OPT_SHOW
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
	    {"require-all", no_argument, NULL, OPT_REQUIRE_ALL},
	    {"like", required_argument, NULL, OPT_LIKE},
	    {"group", required_argument, NULL, OPT_GROUP},
	    {"show", required_argument, NULL, OPT_SHOW},
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
			/* (At most argc of them.) */
			if (!c->db_paths && !(c->db_paths = calloc((size_t)argc, sizeof(char *))))
				return report(NEWSGREP_NOMEM, "out of memory");
			c->db_paths[c->ndb_paths++] = optarg;
			break;
		case OPT_SINCE:
			bad = parse_date("--since", optarg, NEWSGREP_DATE_START, &o->since);
			c->since_arg = optarg;
			o->has_since = 1;
			break;
		case OPT_UNTIL:
			bad = parse_date("--until", optarg, NEWSGREP_DATE_END, &o->until);
			c->until_arg = optarg;
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
		case OPT_REQUIRE_ALL:
			c->require_all = true;
			break;
		case OPT_LIKE:
			if (!*optarg)
				return fail("--like: name an article: its file or its URL");
			o->like = optarg;
			break;
		case OPT_GROUP:
			bad = parse_group(optarg, &o->group);
			break;
		case 'n':
			if (strcmp(optarg, "all") == 0)
				o->limit = UINT64_MAX;
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
		case OPT_SHOW:
			c->show = optarg;
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
	if (c->show)
		return check_show(c, optind < argc);
	if (c->query_file && optind < argc)
		return fail("-f reads the query from '%s': give no query words as well",
		            c->query_file);
	if (optind == argc && !c->query_file && !c->opts.like) {
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
