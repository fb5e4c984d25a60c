/*
 * test_window.c - searches sorted by date through date windows (window.c):
 * on a generated archive whose file order is not its date order, every
 * page of every query, newest and oldest first, is the page the plain
 * search gives (exact_count turns windows off); the windows are the whole
 * years, months and days they should be; and date ranges made of date
 * terms match what value ranges match.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "ng.h"
#include "ngx.h"

#define DAY 86400
#define ARTICLES 600
#define START 1546300800 /* 2019-01-01T00:00:00Z */

static char dir[64], archive[128], dbpath[128];

/* Article i: dated in scattered order over about three years (some days
 * hold several; every 40th has no date), topics alpha and beta, "gpu" in
 * some titles, and every 97th a copy of the URL of the one before.  Every
 * 11th is "vintage", from 2019 but for one: a first window of the newest
 * days holds fewer of them than a page. */
static void write_articles(void)
{
	for (int i = 0; i < ARTICLES; i++) {
		char path[256], date[40];
		snprintf(path, sizeof(path), "%s/%04d.md", archive, i);
		FILE *f = fopen(path, "w");
		if (!f) {
			perror(path);
			exit(2);
		}
		bool vintage = i % 11 == 0;
		fprintf(f, "---\ntitle: \"Article %d%s%s%s\"\n", i, i % 7 == 0 ? " gpu" : "",
		        i % 2 == 0 ? " chips" : "", vintage ? " vintage" : "");
		if (i % 40 != 39) {
			int64_t day = vintage && i != 506 ? i % 200 : (i * 389) % 1100;
			int64_t t = START + day * DAY + (i % 24) * 3600;
			ng_date_format_iso8601(t, date, sizeof(date));
			fprintf(f, "publishedDateTime: %s\n", date);
		}
		fprintf(f, "originalUrl: \"https://example.com/%d\"\n",
		        i % 97 == 0 && i ? i - 1 : i);
		fprintf(f, "topics:\n%s%s", i % 3 == 0 ? "  - alpha\n" : "",
		        i % 5 == 0 ? "  - beta\n" : "");
		fprintf(f, "---\n");
		fclose(f);
	}
}

static void build_index(void)
{
	newsgrep_db_t *w = NULL;
	CHECK(newsgrep_db_open(&w, dbpath, NEWSGREP_DB_WRITE, NULL, NULL) == NEWSGREP_OK);
	const char *paths[] = {archive};
	newsgrep_index_stats_t st = NEWSGREP_INDEX_STATS_INIT;
	CHECK(newsgrep_index_paths(w, paths, 1, NULL, &st) == NEWSGREP_OK && st.added == ARTICLES);
	newsgrep_db_close(w);
}

/* The page as the plain search and as the windowed one give it. */
static int windowed_pages, pages;

static void same_page(newsgrep_db_t *db, const char *query, newsgrep_sort_t sort,
                      unsigned long offset, unsigned long limit)
{
	newsgrep_search_options_t o;
	newsgrep_search_options_init(&o, NEWSGREP_SEARCH_OPTIONS_VERSION);
	o.sort = sort;
	o.offset = offset;
	o.limit = limit;
	o.no_snippets = 1;
	newsgrep_hits_t *windowed = NULL, *plain = NULL;
	CHECK(newsgrep_search(&windowed, db, query, &o) == NEWSGREP_OK);
	o.exact_count = 1;
	CHECK(newsgrep_search(&plain, db, query, &o) == NEWSGREP_OK);
	CHECK(!ng_hits_windowed(plain));
	windowed_pages += ng_hits_windowed(windowed);
	pages++;
	const newsgrep_hit_t *a, *b;
	size_t n = 0;
	while (newsgrep_hits_next(plain, &a) == NEWSGREP_OK) {
		char want[300];
		snprintf(want, sizeof(want), "%s", a->path);
		if (newsgrep_hits_next(windowed, &b) != NEWSGREP_OK || strcmp(want, b->path) != 0) {
			fprintf(stderr, "'%s' %s [%lu, +%lu): hit %zu is %s, want %s\n", query,
			        sort == NEWSGREP_SORT_NEWEST ? "newest" : "oldest", offset, limit,
			        n + 1, b ? b->path : "(none)", want);
			failures++;
			break;
		}
		n++;
	}
	CHECK(newsgrep_hits_next(windowed, &b) == NEWSGREP_DONE);
	/* The count is the whole search's, not the window's. */
	CHECK(newsgrep_hits_estimate(windowed) >= newsgrep_hits_size(plain));
	newsgrep_hits_free(windowed);
	newsgrep_hits_free(plain);
}

static void test_pages(newsgrep_db_t *db)
{
	static const char *const queries[] = {
	    "*",
	    "topic:alpha",
	    "title:gpu",
	    "topic:beta -title:chips",
	    "chips",
	    "topic:alpha date:2020-03..2020-09",
	    "(topic:alpha OR topic:beta) date:..2019-06",
	    "topic:beta date:2021-01..",
	    "title:gpu OR topic:beta",
	    "title:vintage",
	};
	static const unsigned long pagings[][2] = {{0, 10}, {0, 1}, {5, 10}, {30, 20}, {0, 200}};
	for (size_t q = 0; q < sizeof(queries) / sizeof(queries[0]); q++)
		for (size_t p = 0; p < sizeof(pagings) / sizeof(pagings[0]); p++) {
			same_page(db, queries[q], NEWSGREP_SORT_NEWEST, pagings[p][0],
			          pagings[p][1]);
			same_page(db, queries[q], NEWSGREP_SORT_OLDEST, pagings[p][0],
			          pagings[p][1]);
		}
	/* Most pages came from a window (the others need most of the archive). */
	fprintf(stderr, "test_window: %d of %d pages from a window\n", windowed_pages, pages);
	CHECK(windowed_pages >= pages / 2);
}

/* The window's terms, as Xapian describes the query. */
static char *window(newsgrep_db_t *db, bool newest, bool has_bound, int64_t bound, uint64_t want)
{
	ngx_query *q = NULL;
	ngx_error err;
	CHECK(ng_window_query(db, newest, has_bound, bound, want, &q, &err) == NEWSGREP_OK);
	if (!q)
		return NULL;
	char *text = NULL;
	CHECK(ngx_query_describe(q, &text, &err) == NGX_OK);
	ngx_query_free(q);
	return text;
}

static void test_windows(newsgrep_db_t *db)
{
	/* The dates run from 2019-01-01 to 2022-01-04: one article is on
	 * the newest day, and the few of 2022 make a whole year. */
	char *w = window(db, true, false, 0, 1);
	CHECK(w && strcmp(w, "Query(D20220104)") == 0);
	free(w);
	w = window(db, true, false, 0, 3);
	CHECK(w && strcmp(w, "Query(Y2022)") == 0);
	free(w);
	w = window(db, false, false, 0, 1);
	CHECK(w && strcmp(w, "Query(D20190101)") == 0);
	free(w);
	/* Whole years while they fit, then whole months, then the days of
	 * the month that does not fit, newest first; or oldest first. */
	w = window(db, true, false, 0, 200);
	const char *newest = "Query((Y2022 OR Y2021 OR M202012 OR D20201130 OR D20201128";
	CHECK(w && strncmp(w, newest, strlen(newest)) == 0 && !strstr(w, "Y2020"));
	free(w);
	w = window(db, false, false, 0, 200);
	const char *oldest = "Query((M201901 OR M201902 OR M201903";
	CHECK(w && strncmp(w, oldest, strlen(oldest)) == 0 && strstr(w, "OR D20191102") &&
	      !strstr(w, "Y2019"));
	free(w);
	/* Past a bound: nothing after 2020-06-15, and that month split. */
	int64_t bound;
	CHECK(ng_date_parse_bound("2020-06-15", 10, true, &bound));
	w = window(db, true, true, bound, 5);
	CHECK(w && strstr(w, "D202006") && !strstr(w, "D202007") && !strstr(w, "Y2021") &&
	      !strstr(w, "D20200616"));
	free(w);
	/* Every dated article: no window. */
	CHECK(window(db, true, false, 0, ARTICLES) == NULL);
}

/* The paths of a search's hits, in order, one per line. */
static char *paths(newsgrep_db_t *db, const char *query, const newsgrep_search_options_t *o)
{
	newsgrep_hits_t *hits = NULL;
	CHECK(newsgrep_search(&hits, db, query, o) == NEWSGREP_OK);
	size_t len = 0, cap = 1;
	char *all = calloc(1, cap);
	const newsgrep_hit_t *h;
	while (hits && newsgrep_hits_next(hits, &h) == NEWSGREP_OK) {
		size_t n = strlen(h->path) + 1;
		char *more = realloc(all, cap += n);
		if (!more)
			exit(2);
		all = more;
		memcpy(all + len, h->path, n - 1);
		all[len + n - 1] = '\n';
		len += n;
		all[len] = '\0';
	}
	newsgrep_hits_free(hits);
	return all;
}

/* A date range gives the same hits as the date terms of its days as it
 * does as a value range (the index told to have no date terms). */
static void same_range(newsgrep_db_t *db, const char *query, const newsgrep_search_options_t *o)
{
	db->date_terms = true;
	char *terms = paths(db, query, o);
	db->date_terms = false;
	char *values = paths(db, query, o);
	db->date_terms = true;
	if (strcmp(terms, values) != 0) {
		fprintf(stderr, "'%s' since %lld (%d) until %lld (%d): the date terms differ\n",
		        query, (long long)o->since, o->has_since, (long long)o->until,
		        o->has_until);
		failures++;
	}
	free(terms);
	free(values);
}

static void test_ranges(newsgrep_db_t *db)
{
	/* Whole years, whole months, and a day cut in two. */
	ngx_query *q = NULL;
	ngx_error err;
	char *text = NULL;
	int64_t lo, hi;
	CHECK(ng_date_parse_bound("2019", 4, false, &lo) &&
	      ng_date_parse_bound("2020", 4, true, &hi));
	CHECK(ng_date_range_query(db, true, lo, true, hi, &q, &err) == NEWSGREP_OK && q);
	CHECK(q && ngx_query_describe(q, &text, &err) == NGX_OK &&
	      strcmp(text, "Query((Y2019 OR Y2020))") == 0);
	ngx_query_free(q);
	free(text);
	CHECK(ng_date_parse_bound("2019-11", 7, false, &lo) &&
	      ng_date_parse_bound("2020-02-03", 10, true, &hi));
	CHECK(ng_date_range_query(db, true, lo + 3600, true, hi, &q, &err) == NEWSGREP_OK && q);
	CHECK(q && ngx_query_describe(q, &text, &err) == NGX_OK && strstr(text, "D20191101") &&
	      strstr(text, "VALUE_RANGE") && strstr(text, "D20191102 OR") &&
	      strstr(text, "M201912 OR M202001 OR D20200201 OR D20200202 OR D20200203") &&
	      !strstr(text, "Y"));
	ngx_query_free(q);
	free(text);

	static const char *const queries[] = {
	    "*",
	    "chips",
	    "topic:alpha date:2019-03..2020-02",
	    "date:2020",
	    "title:gpu date:..2019-01-15",
	    "chips date:2021-06..",
	    "topic:beta date:2019-12-31",
	    "date:2018..2019-01-01 OR date:2021-12-31..2030",
	};
	newsgrep_search_options_t o;
	newsgrep_search_options_init(&o, NEWSGREP_SEARCH_OPTIONS_VERSION);
	o.limit = 1000;
	o.no_snippets = 1;
	o.sort = NEWSGREP_SORT_OLDEST;
	for (size_t i = 2; i < sizeof(queries) / sizeof(queries[0]); i++)
		same_range(db, queries[i], &o);
	/* Ranges of every shape over the archive's dates and past them. */
	unsigned seed = 7;
	for (int i = 0; i < 120; i++) {
		seed = seed * 1103515245 + 12345;
		int64_t a = START - 40 * DAY + (int64_t)(seed >> 8) % (1200LL * DAY);
		seed = seed * 1103515245 + 12345;
		int64_t len = (int64_t)(seed >> 8) % (i % 3 == 0 ? 3 * DAY : 400LL * DAY);
		o.has_since = i % 5 != 1;
		o.has_until = i % 5 != 2;
		o.since = a;
		o.until = a + len;
		if (i % 4 == 0) { /* whole days */
			o.since -= ((o.since % DAY) + DAY) % DAY;
			o.until += DAY - 1 - ((o.until % DAY) + DAY) % DAY;
		}
		o.sort = i % 2 ? NEWSGREP_SORT_OLDEST : NEWSGREP_SORT_RELEVANCE;
		same_range(db, queries[i % 2], &o);
	}
}

int main(void)
{
	char tmpl[] = "/tmp/newsgrep-test-window-XXXXXX";
	if (!mkdtemp(tmpl))
		return 2;
	snprintf(dir, sizeof(dir), "%s", tmpl);
	snprintf(archive, sizeof(archive), "%s/archive", dir);
	snprintf(dbpath, sizeof(dbpath), "%s/db", dir);
	char cmd[200];
	snprintf(cmd, sizeof(cmd), "mkdir '%s'", archive);
	if (system(cmd) != 0)
		return 2;
	write_articles();
	build_index();
	newsgrep_db_t *db = NULL;
	CHECK(newsgrep_db_open(&db, dbpath, NEWSGREP_DB_READ, NULL, NULL) == NEWSGREP_OK);
	if (db) {
		test_windows(db);
		test_pages(db);
		test_ranges(db);
	}
	newsgrep_db_close(db);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return 2;
	if (failures) {
		fprintf(stderr, "test_window: %d failures\n", failures);
		return 1;
	}
	puts("test_window: all passed");
	return 0;
}
