/*
 * test_search.c - searching through the public API only: every field of a
 * hit, every search option, facets, explain, suggest, dates, the status
 * strings, and every function's answer to NULL and out-of-range arguments.
 * The index is built from corpus/ (30 files, one URL twice).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "newsgrep.h"

static char dbpath[512];

static newsgrep_db_t *open_reader(void)
{
	newsgrep_db_t *db = NULL;
	CHECK(newsgrep_db_open(&db, dbpath, NEWSGREP_DB_READ, NULL, NULL) == NEWSGREP_OK);
	CHECK(db && strcmp(newsgrep_db_errmsg(db), "") == 0);
	return db;
}

/* The number of hits a search yields, or -1 if it fails. */
static long count_hits(newsgrep_db_t *db, const char *query, const newsgrep_search_options_t *o)
{
	newsgrep_hits_t *hits = NULL;
	if (newsgrep_search(&hits, db, query, o) != NEWSGREP_OK)
		return -1;
	long n = 0;
	const newsgrep_hit_t *hit;
	while (newsgrep_hits_next(hits, &hit) == NEWSGREP_OK)
		n++;
	CHECK((size_t)n == newsgrep_hits_size(hits));
	newsgrep_hits_free(hits);
	return n;
}

static void test_hit_fields(void)
{
	newsgrep_db_t *db = open_reader();
	newsgrep_hits_t *hits = NULL;
	CHECK(newsgrep_search(&hits, db, "sanctions GPU", NULL) == NEWSGREP_OK);
	CHECK(newsgrep_hits_size(hits) == 3 && newsgrep_hits_estimate(hits) == 3);
	CHECK(newsgrep_hits_sort(hits) == NEWSGREP_SORT_RELEVANCE);
	CHECK(strcmp(newsgrep_hits_errmsg(hits), "") == 0);
	const newsgrep_hit_t *hit = NULL;
	CHECK(newsgrep_hits_next(hits, &hit) == NEWSGREP_OK && hit);
	if (hit) {
		CHECK(hit->rank == 1 && hit->score > 0);
		CHECK(strstr(hit->path, "/corpus/seeds/000_21fff29c15f39abc.txt") &&
		      hit->path[0] == '/');
		CHECK(strcmp(hit->title, "Chinese Startup Moore Threads Defies US Sanctions with "
		                         "New GPU-Based AI Center") == 0);
		CHECK(strncmp(hit->url, "https://", 8) == 0);
		CHECK(hit->has_date && hit->date == 1703030340);
		CHECK(strcmp(hit->provider, "Gizmochina") == 0 &&
		      strcmp(hit->provider_domain, "gizmochina.com") == 0);
		CHECK(hit->ntopics == 2 && strcmp(hit->topics[1], "AI") == 0);
		CHECK(hit->excerpt[0] != '\0');
		/* Spans are ordered, inside the snippet, and cover query words. */
		size_t len = strlen(hit->snippet);
		CHECK(len > 0 && hit->nspans >= 1);
		for (size_t i = 0; i < hit->nspans; i++) {
			CHECK(hit->spans[i].start < hit->spans[i].end && hit->spans[i].end <= len);
			CHECK(i == 0 || hit->spans[i - 1].end <= hit->spans[i].start);
		}
		CHECK(hit->nmatched_in >= 1 && strcmp(hit->matched_in[0], "title") == 0);
		CHECK(strcmp(hit->snippet_from, "title") == 0 ||
		      strcmp(hit->snippet_from, "excerpt") == 0 ||
		      strncmp(hit->snippet_from, "related[", 8) == 0);
	}
	CHECK(newsgrep_hits_next(hits, &hit) == NEWSGREP_OK && hit->rank == 2);
	CHECK(newsgrep_hits_next(hits, &hit) == NEWSGREP_OK && hit->rank == 3);
	CHECK(newsgrep_hits_next(hits, &hit) == NEWSGREP_DONE && hit == NULL);
	CHECK(newsgrep_hits_next(hits, &hit) == NEWSGREP_DONE);
	newsgrep_hits_free(hits);

	/* Snippets off: paths and fields only. */
	newsgrep_search_options_t o;
	newsgrep_search_options_init(&o, NEWSGREP_SEARCH_OPTIONS_VERSION);
	o.no_snippets = 1;
	CHECK(newsgrep_search(&hits, db, "sanctions", &o) == NEWSGREP_OK);
	CHECK(newsgrep_hits_next(hits, &hit) == NEWSGREP_OK);
	CHECK(strcmp(hit->snippet, "") == 0 && hit->nspans == 0 && hit->nmatched_in == 0 &&
	      hit->title[0] != '\0');
	newsgrep_hits_free(hits);
	newsgrep_db_close(db);
}

static void test_options(void)
{
	newsgrep_db_t *db = open_reader();
	newsgrep_search_options_t o;
	newsgrep_search_options_init(&o, NEWSGREP_SEARCH_OPTIONS_VERSION);
	CHECK(o.limit == 10 && o.offset == 0 && o.sort == NEWSGREP_SORT_AUTO && !o.exact &&
	      !o.facets && !o.no_snippets && !o.has_since && !o.has_until);
	CHECK(newsgrep_search_options_init(NULL, NEWSGREP_SEARCH_OPTIONS_VERSION) ==
	      NEWSGREP_INVALID_ARG);

	/* Limit and offset page through the ranking. */
	o.limit = 2;
	CHECK(count_hits(db, "sanctions", &o) == 2);
	o.offset = 4;
	CHECK(count_hits(db, "sanctions", &o) == 1);
	o.limit = 0;
	o.offset = 0;
	CHECK(count_hits(db, "sanctions", &o) == 0);

	/* Stemming, and exact words only. */
	newsgrep_search_options_init(&o, NEWSGREP_SEARCH_OPTIONS_VERSION);
	CHECK(count_hits(db, "sanction", &o) == 5);
	o.exact = 1;
	CHECK(count_hits(db, "sanction", &o) == 0);
	CHECK(count_hits(db, "sanctions", &o) == 5);

	/* Duplicates: one URL is in the corpus twice. */
	newsgrep_search_options_init(&o, NEWSGREP_SEARCH_OPTIONS_VERSION);
	o.limit = 100;
	CHECK(count_hits(db, "*", &o) == 29);
	o.all_duplicates = 1;
	CHECK(count_hits(db, "*", &o) == 30);

	/* Date order, either way; a filter-only query sorts newest first. */
	newsgrep_search_options_init(&o, NEWSGREP_SEARCH_OPTIONS_VERSION);
	newsgrep_hits_t *hits = NULL;
	const newsgrep_hit_t *hit;
	for (int sort = NEWSGREP_SORT_NEWEST; sort <= NEWSGREP_SORT_OLDEST; sort++) {
		o.sort = (newsgrep_sort_t)sort;
		CHECK(newsgrep_search(&hits, db, "sanctions", &o) == NEWSGREP_OK);
		CHECK(newsgrep_hits_sort(hits) == o.sort);
		int64_t last = sort == NEWSGREP_SORT_NEWEST ? INT64_MAX : INT64_MIN;
		while (newsgrep_hits_next(hits, &hit) == NEWSGREP_OK) {
			CHECK(hit->has_date);
			CHECK(sort == NEWSGREP_SORT_NEWEST ? hit->date <= last : hit->date >= last);
			last = hit->date;
		}
		newsgrep_hits_free(hits);
	}
	newsgrep_search_options_init(&o, NEWSGREP_SEARCH_OPTIONS_VERSION);
	CHECK(newsgrep_search(&hits, db, "provider:gizmochina", &o) == NEWSGREP_OK);
	CHECK(newsgrep_hits_sort(hits) == NEWSGREP_SORT_NEWEST);
	newsgrep_hits_free(hits);

	/* A date range: the first sanctions articles are from May 2023. */
	o.has_since = o.has_until = 1;
	CHECK(newsgrep_date_parse(&o.since, "2023-05", NEWSGREP_DATE_START) == NEWSGREP_OK);
	CHECK(newsgrep_date_parse(&o.until, "2023-05", NEWSGREP_DATE_END) == NEWSGREP_OK);
	CHECK(count_hits(db, "sanctions", &o) == 2);
	o.has_until = 0;
	CHECK(count_hits(db, "sanctions", &o) == 5);

	/* A fresher article gets a bonus, never a penalty. */
	newsgrep_search_options_init(&o, NEWSGREP_SEARCH_OPTIONS_VERSION);
	o.boost_recent = 1;
	CHECK(count_hits(db, "sanctions", &o) == 5);

	/* Wildcards stop at max_expansion words. */
	newsgrep_search_options_init(&o, NEWSGREP_SEARCH_OPTIONS_VERSION);
	o.max_expansion = 1;
	CHECK(count_hits(db, "c*", &o) == -1);
	CHECK(strstr(newsgrep_db_errmsg(db), "max-expansion") != NULL);
	o.max_expansion = 0;
	CHECK(count_hits(db, "c*", &o) > 0);

	/* Bad queries say where the problem is; the handle stays usable. */
	CHECK(newsgrep_search(&hits, db, "(sanctions", NULL) == NEWSGREP_BAD_QUERY && !hits);
	CHECK(strncmp(newsgrep_db_errmsg(db), "query:1:", 8) == 0);
	CHECK(newsgrep_search(&hits, db, "date:2023-13", NULL) == NEWSGREP_BAD_QUERY && !hits);
	CHECK(strstr(newsgrep_db_errmsg(db), "query:1:6: date: cannot read '2023-13'"));
	CHECK(count_hits(db, "sanctions", NULL) == 5);
	newsgrep_db_close(db);
}

static void test_counts_and_facets(void)
{
	newsgrep_db_t *db = open_reader();
	newsgrep_search_options_t o;
	newsgrep_search_options_init(&o, NEWSGREP_SEARCH_OPTIONS_VERSION);
	o.limit = 1;
	newsgrep_hits_t *hits = NULL;
	CHECK(newsgrep_search(&hits, db, "sanctions", &o) == NEWSGREP_OK);
	CHECK(newsgrep_hits_size(hits) == 1);
	/* Not asked for: no facets, and the count may be an estimate. */
	CHECK(newsgrep_hits_facet_size(hits, NEWSGREP_FACET_PROVIDER) == 0);
	newsgrep_hits_free(hits);

	o.exact_count = 1;
	CHECK(newsgrep_search(&hits, db, "sanctions", &o) == NEWSGREP_OK);
	CHECK(newsgrep_hits_estimate(hits) == 5 && newsgrep_hits_estimate_is_exact(hits));
	newsgrep_hits_free(hits);

	o.exact_count = 0;
	o.limit = 0;
	o.facets = NEWSGREP_FACET_BIT(NEWSGREP_FACET_PROVIDER) |
	           NEWSGREP_FACET_BIT(NEWSGREP_FACET_YEAR) |
	           NEWSGREP_FACET_BIT(NEWSGREP_FACET_TOPIC);
	CHECK(newsgrep_search(&hits, db, "sanctions", &o) == NEWSGREP_OK);
	CHECK(newsgrep_hits_size(hits) == 0 && newsgrep_hits_estimate(hits) == 5 &&
	      newsgrep_hits_estimate_is_exact(hits));
	CHECK(newsgrep_hits_facet_size(hits, NEWSGREP_FACET_PROVIDER) == 4);
	const char *value = NULL;
	uint64_t n = 0;
	CHECK(newsgrep_hits_facet(hits, NEWSGREP_FACET_PROVIDER, 0, &value, &n) == NEWSGREP_OK &&
	      strcmp(value, "Global Times") == 0 && n == 2);
	/* Ties in byte order. */
	CHECK(newsgrep_hits_facet(hits, NEWSGREP_FACET_PROVIDER, 1, &value, &n) == NEWSGREP_OK &&
	      strcmp(value, "Gizmochina") == 0 && n == 1);
	CHECK(newsgrep_hits_facet(hits, NEWSGREP_FACET_PROVIDER, 4, &value, &n) == NEWSGREP_DONE);
	CHECK(newsgrep_hits_facet(hits, NEWSGREP_FACET_YEAR, 0, &value, &n) == NEWSGREP_OK &&
	      strcmp(value, "2023") == 0 && n == 5);
	CHECK(newsgrep_hits_facet(hits, NEWSGREP_FACET_TOPIC, 0, &value, &n) == NEWSGREP_OK &&
	      strcmp(value, "AI") == 0 && n == 5);
	CHECK(newsgrep_hits_facet_size(hits, NEWSGREP_FACET_SITE) == 0);
	CHECK(newsgrep_hits_facet_size(hits, NEWSGREP_FACET_COUNT) == 0);
	CHECK(newsgrep_hits_facet(hits, NEWSGREP_FACET_COUNT, 0, &value, &n) ==
	      NEWSGREP_INVALID_ARG);
	CHECK(newsgrep_hits_facet(hits, NEWSGREP_FACET_YEAR, 0, NULL, &n) == NEWSGREP_INVALID_ARG);
	CHECK(newsgrep_hits_facet(hits, NEWSGREP_FACET_YEAR, 0, &value, NULL) ==
	      NEWSGREP_INVALID_ARG);
	newsgrep_hits_free(hits);

	const char *names[] = {"provider", "site", "topic", "type", "year", "month"};
	for (int f = 0; f < NEWSGREP_FACET_COUNT; f++)
		CHECK(strcmp(newsgrep_facet_name((newsgrep_facet_t)f), names[f]) == 0);
	CHECK(newsgrep_facet_name(NEWSGREP_FACET_COUNT) == NULL);
	CHECK(newsgrep_facet_name((newsgrep_facet_t)-1) == NULL);
	newsgrep_db_close(db);
}

static void test_explain_and_suggest(void)
{
	newsgrep_db_t *db = open_reader();
	char *text = NULL;
	CHECK(newsgrep_explain(&text, db, "sanctions GPU", NULL) == NEWSGREP_OK && text);
	CHECK(text && strstr(text, "parsed:     (sanctions AND gpu)\n") &&
	      strstr(text, "stem sanction in title, excerpt, related") &&
	      strstr(text, "order:      relevance"));
	newsgrep_free(text);
	text = (char *)1;
	CHECK(newsgrep_explain(&text, db, "a)", NULL) == NEWSGREP_BAD_QUERY && text == NULL);
	CHECK(strncmp(newsgrep_db_errmsg(db), "query:1:", 8) == 0);

	CHECK(newsgrep_suggest(&text, db, "sanctoins", NULL) == NEWSGREP_OK);
	CHECK(text && strcmp(text, "sanctions") == 0);
	newsgrep_free(text);
	CHECK(newsgrep_suggest(&text, db, "sanctions", NULL) == NEWSGREP_DONE && text == NULL);
	CHECK(newsgrep_suggest(&text, db, "(", NULL) == NEWSGREP_BAD_QUERY && text == NULL);
	newsgrep_db_close(db);
}

static void test_dates(void)
{
	int64_t t = 0;
	CHECK(newsgrep_date_parse(&t, "2023-12", NEWSGREP_DATE_START) == NEWSGREP_OK &&
	      t == 1701388800);
	CHECK(newsgrep_date_parse(&t, "2023-12", NEWSGREP_DATE_END) == NEWSGREP_OK &&
	      t == 1704067199);
	CHECK(newsgrep_date_parse(&t, "2023-12-19T23:59:00Z", NEWSGREP_DATE_START) == NEWSGREP_OK &&
	      t == 1703030340);
	t = 42;
	CHECK(newsgrep_date_parse(&t, "2023-02-30", NEWSGREP_DATE_START) == NEWSGREP_BAD_DATE &&
	      t == 42);
	CHECK(newsgrep_date_parse(&t, "", NEWSGREP_DATE_START) == NEWSGREP_BAD_DATE);
	CHECK(newsgrep_date_parse(NULL, "2023", NEWSGREP_DATE_START) == NEWSGREP_INVALID_ARG);
	CHECK(newsgrep_date_parse(&t, NULL, NEWSGREP_DATE_START) == NEWSGREP_INVALID_ARG);
	CHECK(newsgrep_date_parse(&t, "2023", (newsgrep_date_bound_t)2) == NEWSGREP_INVALID_ARG);
}

static void test_statuses(void)
{
	/* Every status has its own message. */
	for (int a = NEWSGREP_OK; a <= NEWSGREP_STOPPED; a++) {
		const char *sa = newsgrep_status_string((newsgrep_status_t)a);
		CHECK(sa && *sa && strcmp(sa, "unknown status") != 0);
		for (int b = NEWSGREP_OK; b < a; b++)
			CHECK(strcmp(sa, newsgrep_status_string((newsgrep_status_t)b)) != 0);
	}
	CHECK(strcmp(newsgrep_status_string((newsgrep_status_t)-1), "unknown status") == 0);
	char expect[32];
	snprintf(expect, sizeof(expect), "%d.%d.%d", NEWSGREP_VERSION_MAJOR, NEWSGREP_VERSION_MINOR,
	         NEWSGREP_VERSION_PATCH);
	CHECK(strcmp(newsgrep_version(), expect) == 0 &&
	      strcmp(NEWSGREP_VERSION_STRING, expect) == 0);
	newsgrep_free(NULL);
}

/* What every function does with NULL where an object or out-parameter
 * belongs: NEWSGREP_INVALID_ARG, or nothing at all for the _free and
 * _close functions and the getters, never a crash. */
static void test_null_arguments(void)
{
	newsgrep_db_t *db = open_reader();
	newsgrep_hits_t *hits = NULL;
	const newsgrep_hit_t *hit = NULL;
	char *text = NULL;
	uint64_t n = 0;
	char **roots = NULL;
	size_t nroots = 0;

	CHECK(newsgrep_default_db_path(NULL) == NEWSGREP_INVALID_ARG);
	CHECK(newsgrep_db_open(NULL, dbpath, NEWSGREP_DB_READ, NULL, NULL) ==
	      NEWSGREP_INVALID_ARG);
	newsgrep_db_t *other = (newsgrep_db_t *)1;
	CHECK(newsgrep_db_open(&other, "", NEWSGREP_DB_READ, NULL, &text) == NEWSGREP_INVALID_ARG &&
	      other == NULL && text && *text);
	newsgrep_free(text);
	CHECK(newsgrep_db_swap_in(NULL) == NEWSGREP_INVALID_ARG);
	CHECK(newsgrep_db_count(NULL, &n) == NEWSGREP_INVALID_ARG);
	CHECK(newsgrep_db_count(db, NULL) == NEWSGREP_INVALID_ARG);
	CHECK(newsgrep_db_revision(NULL, &n) == NEWSGREP_INVALID_ARG);
	CHECK(newsgrep_db_revision(db, NULL) == NEWSGREP_INVALID_ARG);
	CHECK(newsgrep_db_roots(NULL, &roots, &nroots) == NEWSGREP_INVALID_ARG);
	CHECK(newsgrep_db_roots(db, NULL, &nroots) == NEWSGREP_INVALID_ARG);
	CHECK(newsgrep_db_roots(db, &roots, NULL) == NEWSGREP_INVALID_ARG && roots == NULL);
	CHECK(strcmp(newsgrep_db_errmsg(NULL), "no index handle") == 0);
	newsgrep_roots_free(NULL, 0);

	const char *paths[] = {"x"};
	CHECK(newsgrep_index_options_init(NULL, NEWSGREP_INDEX_OPTIONS_VERSION) ==
	      NEWSGREP_INVALID_ARG);
	CHECK(newsgrep_index_paths(NULL, paths, 1, NULL, NULL) == NEWSGREP_INVALID_ARG);
	CHECK(newsgrep_index_update(NULL, NULL, NULL) == NEWSGREP_INVALID_ARG);
	CHECK(newsgrep_index_forget(NULL, "x", NULL, NULL) == NEWSGREP_INVALID_ARG);

	CHECK(newsgrep_search(NULL, db, "x", NULL) == NEWSGREP_INVALID_ARG);
	CHECK(newsgrep_search(&hits, NULL, "x", NULL) == NEWSGREP_INVALID_ARG && !hits);
	CHECK(newsgrep_search(&hits, db, NULL, NULL) == NEWSGREP_INVALID_ARG && !hits);
	CHECK(newsgrep_explain(NULL, db, "x", NULL) == NEWSGREP_INVALID_ARG);
	CHECK(newsgrep_explain(&text, NULL, "x", NULL) == NEWSGREP_INVALID_ARG && !text);
	CHECK(newsgrep_explain(&text, db, NULL, NULL) == NEWSGREP_INVALID_ARG && !text);
	CHECK(newsgrep_suggest(NULL, db, "x", NULL) == NEWSGREP_INVALID_ARG);
	CHECK(newsgrep_suggest(&text, NULL, "x", NULL) == NEWSGREP_INVALID_ARG && !text);
	CHECK(newsgrep_suggest(&text, db, NULL, NULL) == NEWSGREP_INVALID_ARG && !text);

	CHECK(newsgrep_hits_next(NULL, &hit) == NEWSGREP_INVALID_ARG);
	CHECK(newsgrep_search(&hits, db, "sanctions", NULL) == NEWSGREP_OK);
	CHECK(newsgrep_hits_next(hits, NULL) == NEWSGREP_INVALID_ARG);
	newsgrep_hits_free(hits);
	CHECK(newsgrep_hits_estimate(NULL) == 0 && newsgrep_hits_size(NULL) == 0 &&
	      newsgrep_hits_estimate_is_exact(NULL) == 0 &&
	      newsgrep_hits_sort(NULL) == NEWSGREP_SORT_AUTO &&
	      newsgrep_hits_facet_size(NULL, NEWSGREP_FACET_YEAR) == 0);
	const char *value;
	CHECK(newsgrep_hits_facet(NULL, NEWSGREP_FACET_YEAR, 0, &value, &n) ==
	      NEWSGREP_INVALID_ARG);
	CHECK(strcmp(newsgrep_hits_errmsg(NULL), "no hits handle") == 0);
	newsgrep_hits_free(NULL);
	newsgrep_db_close(NULL);
	newsgrep_db_close(db);
}

int main(void)
{
	const char *src = getenv("NEWSGREP_SOURCE_DIR");
	if (!src) {
		fprintf(stderr, "test_search: set NEWSGREP_SOURCE_DIR\n");
		return 2;
	}
	char tmpl[] = "/tmp/newsgrep-test-search-XXXXXX";
	if (!mkdtemp(tmpl))
		return 2;
	snprintf(dbpath, sizeof(dbpath), "%s/db", tmpl);
	char corpus[600];
	snprintf(corpus, sizeof(corpus), "%s/corpus", src);
	newsgrep_db_t *w = NULL;
	const char *paths[] = {corpus};
	newsgrep_index_stats_t st = NEWSGREP_INDEX_STATS_INIT;
	if (newsgrep_db_open(&w, dbpath, NEWSGREP_DB_WRITE, NULL, NULL) != NEWSGREP_OK ||
	    newsgrep_index_paths(w, paths, 1, NULL, &st) != NEWSGREP_OK || st.added != 30) {
		fprintf(stderr, "test_search: cannot index %s: %s\n", corpus,
		        newsgrep_db_errmsg(w));
		return 2;
	}
	newsgrep_db_close(w);

	test_hit_fields();
	test_options();
	test_counts_and_facets();
	test_explain_and_suggest();
	test_dates();
	test_statuses();
	test_null_arguments();

	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpl);
	if (system(cmd) != 0)
		failures++;
	if (failures)
		fprintf(stderr, "test_search: %d check(s) failed\n", failures);
	return failures ? 1 : 0;
}
