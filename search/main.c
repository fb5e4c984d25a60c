/*
 * newsgrep - searches a newsgrep index and prints the best-ranked articles.
 *
 * Exit status, as grep's: 0 something matched, 1 nothing did, 2 error;
 * and 3 when an index of a set was missing from the results.
 * The command line is read in args.c; this file runs what it asks.
 */
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "args.h"
#include "closeout.h"
#include "dblist.h"
#include "newsgrep.h"
#include "printer.h"
#include "safetext.h"
#include "show.h"

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
		fprintf(stderr, "showing %llu-%llu of %s%s match%s\n",
		        (unsigned long long)o->offset + 1, (unsigned long long)(o->offset + shown),
		        approx, total, es);
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

/* The indexes of the set the hits are missing, if any: a warning each on
 * stderr (and a record with --json); the exit status becomes EXIT_PARTIAL,
 * or with --require-all an error. */
static int report_missing(const cli *c, const newsgrep_hits_t *hits, int status)
{
	size_t n = newsgrep_hits_missing_count(hits);
	for (size_t i = 0; i < n; i++) {
		const char *member, *why;
		if (newsgrep_hits_missing(hits, i, &member, &why) != NEWSGREP_OK)
			continue;
		if (c->require_all) {
			char msg[1200];
			snprintf(msg, sizeof(msg),
			         "index '%s' cannot be searched (--require-all): %s", member, why);
			return report(NEWSGREP_UNREACHABLE, msg);
		}
		safetext_line(stderr,
		              "newsgrep: warning: index '%s' is missing from the results: %s",
		              member, why);
		if (c->json)
			print_json_missing(stdout, member, why);
	}
	return n && status != EXIT_ERROR ? EXIT_PARTIAL : status;
}

/* -c and --facet: the number of matches, their facets, or both; returns
 * the exit status. */
static int count_and_facets(const cli *c, newsgrep_db_t *db, const char *query)
{
	newsgrep_search_options_t o = c->opts;
	o.limit = 0;
	o.exact_count = 1;
	newsgrep_hits_t *hits;
	newsgrep_status_t st;
	if ((st = newsgrep_search(&hits, db, query, &o)) != NEWSGREP_OK)
		return report(st, newsgrep_db_errmsg(db));
	int missing = report_missing(c, hits, EXIT_MATCH);
	if (missing == EXIT_ERROR) {
		newsgrep_hits_free(hits);
		return missing;
	}
	uint64_t n = newsgrep_hits_estimate(hits);
	/* (before the summary: with --json, that ends the output) */
	if (!n && !o.offset)
		did_you_mean(db, query, &c->opts, c->json);
	/* -c --facet: the count, then the facets (whose JSON has it). */
	if (c->count && !(o.facets && c->json))
		print_count(stdout, n, c->json);
	if (c->count && o.facets && !c->json)
		fputc('\n', stdout);
	if (o.facets)
		print_facets(stdout, hits, o.facets, c->json);
	newsgrep_hits_free(hits);
	return missing == EXIT_PARTIAL ? EXIT_PARTIAL : n ? EXIT_MATCH : EXIT_NO_MATCH;
}

/* The search and its list of hits, printed as `c` asks; returns the exit
 * status. */
static int search(const cli *c, newsgrep_db_t *db, const char *query, const print_opts *po)
{
	newsgrep_search_options_t o = c->opts;
	if (c->files && !c->limit_given)
		o.limit = UINT64_MAX; /* grep -l lists every file */
	o.no_snippets = c->files;
	o.paths_only = c->files;
	/* --json asks for one hit more than it prints, to tell in its summary
	 * whether the list was cut. */
	uint64_t left = o.limit; /* hits still to print */
	if (c->json && o.limit != UINT64_MAX)
		o.limit++;
	size_t shown = 0; /* printed */
	newsgrep_hits_t *hits;
	newsgrep_status_t st;
	if ((st = newsgrep_search(&hits, db, query, &o)) != NEWSGREP_OK)
		return report(st, newsgrep_db_errmsg(db));
	/* --require-all: before any hit is printed, when it can be. */
	if (c->require_all && newsgrep_hits_missing_count(hits)) {
		int status = report_missing(c, hits, EXIT_MATCH);
		newsgrep_hits_free(hits);
		return status;
	}
	int status = EXIT_NO_MATCH;
	print_hit_fn print = c->files    ? print_path
	                     : po->feed  ? print_atom_hit
	                     : c->format ? print_format_hit
	                     : c->json   ? print_json_hit
	                                 : print_text_hit;
	if (print == print_text_hit && isatty(STDOUT_FILENO) && isatty(STDERR_FILENO))
		print_header(db, query, hits, &o);
	/* (The hits go on by themselves when writers commit under them:
	 * newsgrep_hits_next.) */
	const newsgrep_hit_t *hit;
	st = NEWSGREP_DONE;
	while (left && (st = newsgrep_hits_next(hits, &hit)) == NEWSGREP_OK) {
		print(stdout, hit, po);
		status = EXIT_MATCH;
		shown++;
		left -= left != UINT64_MAX;
	}
	if (!left)
		st = NEWSGREP_DONE;
	if (st != NEWSGREP_DONE)
		status = report(st, newsgrep_hits_errmsg(hits));
	bool truncated = left == 0 && newsgrep_hits_size(hits) > shown;
	json_summary sum = summarize(hits, &c->opts, shown, truncated);
	bool none = status == EXIT_NO_MATCH;
	status = report_missing(c, hits, status);
	newsgrep_hits_free(hits);
	if (none && o.offset == 0)
		did_you_mean(db, query, &c->opts, c->json);
	if (c->json && status != EXIT_ERROR)
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

/* --format atom: the hits as one feed, printed once the search went well.
 * A feed lists the newest matches unless --sort says otherwise. */
static int search_feed(const cli *c, newsgrep_db_t *db, const char *const *paths, size_t n,
                       const char *query, const print_opts *po)
{
	atom_feed_key key = {paths, n, query, &c->opts, c->since_arg, c->until_arg};
	char id[ATOM_ID_SIZE];
	print_opts fo = *po;
	if (!atom_feed_id(&key, id) || !(fo.feed = atom_feed_new(query, id)))
		return report(NEWSGREP_NOMEM, "out of memory");
	cli newest = *c;
	if (newest.opts.sort == NEWSGREP_SORT_AUTO)
		newest.opts.sort = NEWSGREP_SORT_NEWEST;
	int status = search(&newest, db, query, &fo);
	if (status != EXIT_ERROR && !atom_feed_write(fo.feed, stdout, (int64_t)time(NULL)))
		status = report(NEWSGREP_NOMEM, "out of memory");
	atom_feed_free(fo.feed);
	return status;
}

/* Opens the indexes at paths[0..n) as one and runs on `query` what `c`
 * asks: an explanation, a count and facets, or a list of hits.  Returns
 * the exit status. */
static int run(const cli *c, const char *const *paths, size_t n, const char *query,
               const print_opts *po)
{
	newsgrep_db_t *db = NULL;
	char *msg = NULL;
	int status;
	newsgrep_status_t st = newsgrep_db_open_set(&db, paths, n, NULL, &msg);
	if (st != NEWSGREP_OK)
		status = report(st, msg ? msg : newsgrep_status_string(st));
	else if (c->show)
		status = show(c, db, po);
	else if (c->explain)
		status = explain(c, db, query);
	else if (c->count || c->opts.facets)
		status = count_and_facets(c, db, query);
	else if (format_is_atom(c->format))
		status = search_feed(c, db, paths, n, query, po);
	else
		status = search(c, db, query, po);
	newsgrep_db_close(db);
	newsgrep_free(msg);
	return status;
}

/* The indexes searched when no --db is given. */
typedef struct indexes {
	const char **paths;
	size_t n;
	char *copy;         /* what paths point into (a list in $NEWSGREP_DB) */
	char *default_path; /* or the one default index */
	bool nomem;
} indexes;

/* The folders $NEWSGREP_DB lists (':' between them), else the one default
 * index, into *w.  NULL, or the problem (w->nomem: out of memory). */
static const char *default_indexes(indexes *w)
{
	const char *env = getenv("NEWSGREP_DB");
	if (env && strchr(env, ':')) {
		if (!dblist_split(env, &w->copy, &w->paths, &w->n))
			return w->nomem = true, "out of memory";
		return w->n ? NULL : "NEWSGREP_DB names no index: set it, or use --db PATH";
	}
	if (newsgrep_default_db_path(&w->default_path) != NEWSGREP_OK)
		return "cannot tell where the index is: set HOME or NEWSGREP_DB, or use --db PATH";
	if (!(w->paths = malloc(sizeof(*w->paths))))
		return w->nomem = true, "out of memory";
	w->paths[0] = w->default_path;
	w->n = 1;
	return NULL;
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
	if (rc) {
		free(c.db_paths);
		return rc < 0 ? EXIT_MATCH : rc;
	}
	json_errors = c.json;

	char errbuf[300];
	template *tmpl = NULL;
	if (c.format && !format_is_atom(c.format) &&
	    !(tmpl = template_compile(c.format, errbuf, sizeof(errbuf)))) {
		free(c.db_paths);
		return fail("%s", errbuf);
	}
	print_opts po = {
	    .color = want_color(c.color),
	    .end = c.null ? '\0' : '\n',
	    .tmpl = tmpl,
	    .tty = !c.null && isatty(STDOUT_FILENO),
	    .grouped = c.opts.group != NEWSGREP_GROUP_NONE,
	};

	indexes where = {0};
	const char *problem = c.ndb_paths ? NULL : default_indexes(&where);
	if (problem) {
		free(c.db_paths);
		template_free(tmpl);
		return where.nomem ? report(NEWSGREP_NOMEM, problem) : fail("%s", problem);
	}
	char *query =
	    c.query_file ? read_query(c.query_file) : join_words(argv + optind, argc - optind);
	hint_operator(&c, query);
	int status;
	if (query)
		status = c.ndb_paths ? run(&c, c.db_paths, c.ndb_paths, query, &po)
		                     : run(&c, where.paths, where.n, query, &po);
	else
		status = c.query_file ? EXIT_ERROR : report(NEWSGREP_NOMEM, "out of memory");
	free(query);
	free(c.db_paths);
	free(where.paths);
	free(where.copy);
	newsgrep_free(where.default_path);
	template_free(tmpl);
	return status;
}
