/*
 * test_shim.c - the Xapian shim through ngx.h only: term counts, value
 * bounds, spelling, wildcards, weight scaling, recency boosts (exact and
 * in steps), sorting, collapsing, match bounds, facets and the
 * NULL-argument errors.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "ngx.h"

enum { SLOT_DATE = 0, SLOT_PROVIDER = 1, SLOT_TOPICS = 2, SLOT_UNUSED = 3 };

#define SEP "\x1f" /* NGX_FACET_SEPARATOR, as a string */
#define DAY 86400.0
/* The dates of the documents, in seconds since the epoch (UTC). */
#define D1 1678881600.0 /* 2023-03-15 12:00:00 */
#define D2 1679301000.0 /* 2023-03-20 08:30:00 */
#define D3 1704412800.0 /* 2024-01-05 00:00:00 */
#define D5 1672531199.0 /* 2022-12-31 23:59:59: 2023 east of Greenwich */
#define D6 1622505600.0 /* 2021-06-01 00:00:00 */
#define D7 1717200000.0 /* 2024-06-01 00:00:00 */

static ngx_error err;
static char dbpath[600];

/* Adds a document whose data is `name`, with one posting per word of
 * `text` (positions from 1), a boolean term XP<provider>, and the values
 * that are given (NAN / NULL: not set). */
static void add_doc(ngx_db *w, const char *name, const char *text, double date,
                    const char *provider, const char *topics)
{
	ngx_doc *doc = NULL;
	CHECK(ngx_doc_new(&doc, &err) == NGX_OK);
	ngx_posting p[16];
	size_t n = 0, i = 0, len = strlen(text);
	while (i < len && n < 16) {
		size_t j = i;
		while (j < len && text[j] != ' ')
			j++;
		p[n] = (ngx_posting){.offset = i, .len = j - i, .pos = n + 1, .wdf = 1};
		n++;
		i = j + 1;
	}
	CHECK(ngx_doc_add_postings(doc, text, p, n, &err) == NGX_OK);
	if (!isnan(date))
		CHECK(ngx_doc_set_value_number(doc, SLOT_DATE, date, &err) == NGX_OK);
	if (provider) {
		char term[64];
		snprintf(term, sizeof(term), "XP%s", provider);
		for (char *c = term + 2; *c; c++)
			if (*c >= 'A' && *c <= 'Z')
				*c += 'a' - 'A';
		CHECK(ngx_doc_add_boolean_term(doc, term, strlen(term), &err) == NGX_OK);
		CHECK(ngx_doc_set_value(doc, SLOT_PROVIDER, provider, strlen(provider), &err) ==
		      NGX_OK);
	}
	if (topics)
		CHECK(ngx_doc_set_value(doc, SLOT_TOPICS, topics, strlen(topics), &err) == NGX_OK);
	CHECK(ngx_doc_set_data(doc, name, strlen(name), &err) == NGX_OK);
	CHECK(ngx_db_add_document(w, doc, &err) == NGX_OK);
	ngx_doc_free(doc);
}

static void build(void)
{
	ngx_db *w = NULL;
	CHECK(ngx_db_open_write(&w, dbpath, 1, &err) == NGX_OK);
	/* d4 and d6 have no provider: they must never collapse together.
	 * d6 and d7 have the same text: only recency can tell them apart. */
	add_doc(w, "d1", "economy election market", D1, "Reuters", "Politics" SEP "Economy");
	add_doc(w, "d2", "economy growth", D2, "AP", "Economy" SEP "Economy" SEP);
	add_doc(w, "d3", "election results", D3, "Reuters", "Politics");
	add_doc(w, "d4", "weather report", NAN, NULL, SEP "Sports");
	add_doc(w, "d5", "economy market", D5, "BBC", NULL);
	add_doc(w, "d6", "storm warning", D6, NULL, "Weather");
	add_doc(w, "d7", "storm warning", D7, "BBC", "Weather" SEP "Politics");

	/* The spelling dictionary; the word with wdf 0 is not added. */
	const char pool[] = "economyelectionelectionsghostword";
	const ngx_posting sp[] = {{0, 7, 0, 3}, {7, 8, 0, 2}, {15, 9, 0, 1}, {24, 9, 0, 0}};
	CHECK(ngx_db_add_spellings(w, pool, sp, 4, &err) == NGX_OK);
	CHECK(ngx_db_commit(w, &err) == NGX_OK);
	CHECK(ngx_db_close(w, &err) == NGX_OK);
}

static ngx_search_opts opts(unsigned long limit)
{
	return (ngx_search_opts){.limit = limit};
}

static ngx_query *term(const char *t)
{
	ngx_query *q = NULL;
	CHECK(ngx_query_term(&q, t, strlen(t), 1, 1, &err) == NGX_OK);
	return q;
}

static ngx_query *all(void)
{
	ngx_query *q = NULL;
	CHECK(ngx_query_match_all(&q, &err) == NGX_OK);
	return q;
}

/* The hits' data, space separated ("?" if the search failed). */
static const char *names(ngx_mset *m)
{
	static char buf[256];
	buf[0] = '\0';
	if (!m)
		return "?";
	for (size_t i = 0; i < ngx_mset_size(m); i++) {
		double wt;
		char *data = NULL;
		size_t len;
		CHECK(ngx_mset_hit(m, i, &wt, &data, &len, &err) == NGX_OK);
		if (data && strlen(buf) + len + 2 < sizeof(buf)) {
			if (i)
				strcat(buf, " ");
			strncat(buf, data, len);
		}
		free(data);
	}
	return buf;
}

static double weight(ngx_mset *m, size_t i)
{
	double wt = -1;
	char *data = NULL;
	size_t len;
	CHECK(ngx_mset_hit(m, i, &wt, &data, &len, &err) == NGX_OK);
	free(data);
	return wt;
}

/* "value=count ..." of a facet, in its order. */
static const char *items(const ngx_facet *f)
{
	static char buf[256];
	buf[0] = '\0';
	for (size_t i = 0; i < ngx_facet_size(f); i++) {
		const char *v = NULL;
		size_t len = 0;
		uint64_t count = 0;
		CHECK(ngx_facet_item(f, i, &v, &len, &count, &err) == NGX_OK);
		size_t used = strlen(buf);
		snprintf(buf + used, sizeof(buf) - used, "%s%.*s=%llu", i ? " " : "", (int)len, v,
		         (unsigned long long)count);
	}
	return buf;
}

#define CHECK_STR(got, want)                                                                       \
	do {                                                                                       \
		const char *got_ = (got);                                                          \
		if (strcmp(got_, (want)) != 0) {                                                   \
			fprintf(stderr, "%s:%d: got \"%s\", want \"%s\"\n", __FILE__, __LINE__,    \
			        got_, (want));                                                     \
			failures++;                                                                \
		}                                                                                  \
	} while (0)

/* Runs q and returns its hits' names; frees q. */
static const char *search(ngx_db *db, ngx_query *q, ngx_search_opts o)
{
	ngx_mset *m = NULL;
	ngx_code rc = ngx_search(&m, db, q, &o, NULL, 0, &err);
	if (rc != NGX_OK)
		fprintf(stderr, "search failed: %d %s\n", rc, err.message);
	CHECK(rc == NGX_OK);
	const char *r = names(m);
	ngx_mset_free(m);
	ngx_query_free(q);
	return r;
}

static void test_count_prefix(ngx_db *db)
{
	uint64_t n = 99;
	CHECK(ngx_db_count_prefix(db, "e", 1, 10, &n, &err) == NGX_OK && n == 2);
	CHECK(ngx_db_count_prefix(db, "XP", 2, 10, &n, &err) == NGX_OK && n == 3);
	CHECK(ngx_db_count_prefix(db, "XP", 2, 3, &n, &err) == NGX_OK && n == 3);
	/* More than max: stops at max + 1. */
	CHECK(ngx_db_count_prefix(db, "XP", 2, 2, &n, &err) == NGX_OK && n == 3);
	CHECK(ngx_db_count_prefix(db, "XP", 2, 1, &n, &err) == NGX_OK && n == 2);
	CHECK(ngx_db_count_prefix(db, "XP", 2, 0, &n, &err) == NGX_OK && n == 1);
	CHECK(ngx_db_count_prefix(db, "zz", 2, 10, &n, &err) == NGX_OK && n == 0);
	/* Only len bytes of the prefix count. */
	CHECK(ngx_db_count_prefix(db, "economyX", 3, 10, &n, &err) == NGX_OK && n == 1);
	/* The empty prefix: all 12 terms (9 words, 3 XP terms). */
	CHECK(ngx_db_count_prefix(db, NULL, 0, 100, &n, &err) == NGX_OK && n == 12);
	CHECK(ngx_db_count_prefix(db, "", 0, 5, &n, &err) == NGX_OK && n == 6);
	CHECK(ngx_db_count_prefix(db, "", 0, UINT64_MAX, &n, &err) == NGX_OK && n == 12);
}

static void test_upper_bound(ngx_db *db)
{
	double v = -1;
	int has = -1;
	CHECK(ngx_db_number_upper_bound(db, SLOT_DATE, &v, &has, &err) == NGX_OK);
	CHECK(has == 1 && v == D7);
	CHECK(ngx_db_number_upper_bound(db, SLOT_UNUSED, &v, &has, &err) == NGX_OK);
	CHECK(has == 0 && v == 0);
}

static void test_spelling(ngx_db *db)
{
	char *s = NULL;
	CHECK(ngx_db_spelling_suggestion(db, "econmy", 6, 2, &s, &err) == NGX_OK);
	CHECK_STR(s ? s : "(null)", "economy");
	free(s);
	CHECK(ngx_db_spelling_suggestion(db, "electons", 8, 2, &s, &err) == NGX_OK);
	CHECK_STR(s ? s : "(null)", "elections");
	free(s);
	/* Nothing close. */
	CHECK(ngx_db_spelling_suggestion(db, "zzzzzz", 6, 2, &s, &err) == NGX_OK);
	CHECK_STR(s ? s : "(null)", "");
	free(s);
	/* Two edits away, but only one allowed. */
	CHECK(ngx_db_spelling_suggestion(db, "ecnmy", 5, 1, &s, &err) == NGX_OK);
	CHECK_STR(s ? s : "(null)", "");
	free(s);
	/* Xapian suggests nothing for a word that is in the dictionary. */
	CHECK(ngx_db_spelling_suggestion(db, "economy", 7, 2, &s, &err) == NGX_OK);
	CHECK_STR(s ? s : "(null)", "");
	free(s);
	/* A wdf of 0 added nothing. */
	CHECK(ngx_db_spelling_suggestion(db, "ghostwrd", 8, 2, &s, &err) == NGX_OK);
	CHECK_STR(s ? s : "(null)", "");
	free(s);
	/* Readers have no dictionary to add to. */
	const ngx_posting p = {0, 5, 0, 1};
	CHECK(ngx_db_add_spellings(db, "hello", &p, 1, &err) == NGX_ERR_INVALID);
	CHECK(strstr(err.message, "read-only") != NULL);
}

static void test_wildcard(ngx_db *db)
{
	ngx_query *q = NULL;
	/* "e*" is economy and election. */
	CHECK(ngx_query_wildcard(&q, "e", 1, 2, &err) == NGX_OK);
	CHECK_STR(search(db, q, opts(10)), "d1 d2 d3 d5");
	/* Ranked: d3 is the shorter document. */
	CHECK(ngx_query_wildcard(&q, "elect", 5, 2, &err) == NGX_OK);
	CHECK_STR(search(db, q, opts(10)), "d3 d1");
	CHECK(ngx_query_wildcard(&q, "nothing", 7, 2, &err) == NGX_OK);
	CHECK_STR(search(db, q, opts(10)), "");
	/* Over the cap: the search fails. */
	CHECK(ngx_query_wildcard(&q, "e", 1, 1, &err) == NGX_OK);
	ngx_mset *m = (ngx_mset *)1;
	ngx_search_opts o = opts(10);
	CHECK(ngx_search(&m, db, q, &o, NULL, 0, &err) == NGX_ERR_WILDCARD);
	CHECK(m == NULL && err.code == NGX_ERR_WILDCARD);
	CHECK(strstr(err.message, "WildcardError") != NULL);
	ngx_query_free(q);
	/* Xapian reads a max of 0 as no limit. */
	CHECK(ngx_query_wildcard(&q, "e", 1, 0, &err) == NGX_OK);
	CHECK_STR(search(db, q, opts(10)), "d1 d2 d3 d5");
	/* An empty prefix is refused. */
	q = (ngx_query *)1;
	CHECK(ngx_query_wildcard(&q, "e", 0, 10, &err) == NGX_ERR_INVALID && q == NULL);
	CHECK(ngx_query_wildcard(&q, NULL, 0, 10, &err) == NGX_ERR_INVALID);
}

static void test_scale(ngx_db *db)
{
	ngx_query *t = term("economy"), *q = NULL;
	ngx_search_opts o = opts(10);
	ngx_mset *plain = NULL, *m = NULL;
	CHECK(ngx_search(&plain, db, t, &o, NULL, 0, &err) == NGX_OK);
	/* d2 and d5 tie (same length), ahead of the longer d1. */
	CHECK_STR(names(plain), "d2 d5 d1");
	/* 0 keeps the matches, weighs them all 0 (so docid order). */
	CHECK(ngx_query_scale(&q, t, 0, &err) == NGX_OK);
	CHECK(ngx_search(&m, db, q, &o, NULL, 0, &err) == NGX_OK);
	CHECK_STR(names(m), "d1 d2 d5");
	CHECK(weight(m, 0) == 0 && weight(m, 1) == 0 && weight(m, 2) == 0);
	ngx_mset_free(m);
	ngx_query_free(q);
	CHECK(ngx_query_scale(&q, t, 2.5, &err) == NGX_OK);
	CHECK(ngx_search(&m, db, q, &o, NULL, 0, &err) == NGX_OK);
	CHECK_STR(names(m), "d2 d5 d1");
	CHECK(fabs(weight(m, 0) - 2.5 * weight(plain, 0)) < 1e-9);
	ngx_mset_free(m);
	ngx_query_free(q);
	ngx_mset_free(plain);
	q = (ngx_query *)1;
	CHECK(ngx_query_scale(&q, t, -1, &err) == NGX_ERR_INVALID && q == NULL);
	CHECK(ngx_query_scale(&q, t, NAN, &err) == NGX_ERR_INVALID);
	CHECK(ngx_query_scale(&q, t, INFINITY, &err) == NGX_ERR_INVALID);
	ngx_query_free(t);
}

/* "storm" AND_MAYBE recency(reference, a half life of a year, max 1). */
static ngx_mset *storm(ngx_db *db, double reference)
{
	ngx_query *parts[2] = {term("storm"), NULL}, *q = NULL;
	CHECK(ngx_query_recency(&parts[1], SLOT_DATE, reference, 365 * DAY, 1.0, &err) == NGX_OK);
	CHECK(ngx_query_combine(&q, NGX_OP_AND_MAYBE, parts, 2, 0, &err) == NGX_OK);
	ngx_search_opts o = opts(10);
	ngx_mset *m = NULL;
	CHECK(ngx_search(&m, db, q, &o, NULL, 0, &err) == NGX_OK);
	ngx_query_free(parts[0]);
	ngx_query_free(parts[1]);
	ngx_query_free(q);
	return m;
}

static void test_recency(ngx_db *db)
{
	/* Same text: equal weights, so docid order. */
	ngx_query *t = term("storm");
	ngx_search_opts o = opts(10);
	ngx_mset *plain = NULL;
	CHECK(ngx_search(&plain, db, t, &o, NULL, 0, &err) == NGX_OK);
	CHECK_STR(names(plain), "d6 d7");
	const double base = weight(plain, 0);
	CHECK(base > 0 && weight(plain, 1) == base);
	ngx_mset_free(plain);
	ngx_query_free(t);

	/* The newer one wins: d7 is at the reference (full boost), d6 three
	 * years before it (1096 days, with 2024's 29 February). */
	ngx_mset *m = storm(db, D7);
	CHECK_STR(names(m), "d7 d6");
	CHECK(fabs(weight(m, 0) - (base + 1.0)) < 1e-9);
	CHECK(fabs(weight(m, 1) - (base + pow(0.5, (D7 - D6) / (365 * DAY)))) < 1e-9);
	ngx_mset_free(m);
	/* Values after the reference get max_weight, no more: a tie again. */
	m = storm(db, D6);
	CHECK_STR(names(m), "d6 d7");
	CHECK(fabs(weight(m, 0) - (base + 1.0)) < 1e-9 && weight(m, 1) == weight(m, 0));
	ngx_mset_free(m);
	/* Alone, it matches the documents that have a date. */
	ngx_query *r = NULL;
	CHECK(ngx_query_recency(&r, SLOT_DATE, D7, 30 * DAY, 2.0, &err) == NGX_OK);
	CHECK_STR(search(db, r, opts(10)), "d7 d3 d2 d1 d5 d6");

	r = (ngx_query *)1;
	CHECK(ngx_query_recency(&r, SLOT_DATE, D7, 0, 1, &err) == NGX_ERR_INVALID && r == NULL);
	CHECK(ngx_query_recency(&r, SLOT_DATE, D7, -DAY, 1, &err) == NGX_ERR_INVALID);
	CHECK(ngx_query_recency(&r, SLOT_DATE, D7, NAN, 1, &err) == NGX_ERR_INVALID);
	CHECK(ngx_query_recency(&r, SLOT_DATE, D7, DAY, -1, &err) == NGX_ERR_INVALID);
	CHECK(ngx_query_recency(&r, SLOT_DATE, NAN, DAY, 1, &err) == NGX_ERR_INVALID);
	CHECK(strstr(err.message, "ngx_query_recency") != NULL);
}

/* "storm" AND_MAYBE recency in steps (a half life of 30 days, max 1,
 * within 0.01): the bonus of `name` (d6 or d7) over "storm" alone. */
static double step_bonus(ngx_db *db, double reference, const char *name)
{
	ngx_query *parts[2] = {term("storm"), NULL}, *q = NULL;
	CHECK(ngx_query_recency_steps(&parts[1], SLOT_DATE, reference, 30 * DAY, 1.0, 0.01, &err) ==
	      NGX_OK);
	CHECK(ngx_query_combine(&q, NGX_OP_AND_MAYBE, parts, 2, 0, &err) == NGX_OK);
	ngx_search_opts o = opts(10);
	ngx_mset *m = NULL, *plain = NULL;
	CHECK(ngx_search(&m, db, q, &o, NULL, 0, &err) == NGX_OK);
	CHECK(ngx_search(&plain, db, parts[0], &o, NULL, 0, &err) == NGX_OK);
	double bonus = NAN;
	for (size_t i = 0; m && plain && i < ngx_mset_size(m); i++) {
		char *data = NULL;
		size_t len;
		double wt;
		CHECK(ngx_mset_hit(m, i, &wt, &data, &len, &err) == NGX_OK);
		if (data && len == strlen(name) && memcmp(data, name, len) == 0)
			bonus = wt - weight(plain, 0); /* same text: the same base */
		free(data);
	}
	ngx_mset_free(m);
	ngx_mset_free(plain);
	for (size_t i = 0; i < 2; i++)
		ngx_query_free(parts[i]);
	ngx_query_free(q);
	return bonus;
}

static void test_recency_steps(ngx_db *db)
{
	/* As new as the newest: ~1; 30 days older: ~0.5. */
	CHECK(fabs(step_bonus(db, D7, "d7") - 1.0) <= 0.01);
	CHECK(fabs(step_bonus(db, D6 + 30 * DAY, "d6") - 0.5) <= 0.01);
	/* Newer than the reference: the full bonus, no more. */
	CHECK(fabs(step_bonus(db, D6, "d7") - 1.0) <= 0.01);
	/* Every age, a day and an hour apart up to a year (where the curve is
	 * below the bound, no bonus): within 0.01 of the curve. */
	double worst = 0;
	for (double age = 0; age < 365 * DAY; age += DAY + 3600) {
		double got = step_bonus(db, D6 + age, "d6");
		if (isnan(got))
			got = 0; /* not matched: no bonus */
		double off = fabs(got - pow(0.5, age / (30 * DAY)));
		worst = off > worst ? off : worst;
	}
	CHECK(worst <= 0.01 + 1e-9 && worst > 0.001);

	/* Only Xapian's own classes, which a xapian-tcpsrv can unserialise. */
	ngx_query *r = NULL;
	char *text = NULL;
	CHECK(ngx_query_recency_steps(&r, SLOT_DATE, D7, 30 * DAY, 1.0, 0.01, &err) == NGX_OK);
	CHECK(ngx_query_describe(r, &text, &err) == NGX_OK);
	CHECK(text && strstr(text, "FixedWeightPostingSource") && strstr(text, "VALUE_GE") &&
	      !strstr(text, "newsgrep"));
	free(text);
	/* Alone, it matches the dated documents young enough for a bonus. */
	CHECK_STR(search(db, r, opts(10)), "d7 d3");
	/* A bonus of 0: nothing to add. */
	CHECK(ngx_query_recency_steps(&r, SLOT_DATE, D7, 30 * DAY, 0, 0.01, &err) == NGX_OK);
	CHECK_STR(search(db, r, opts(10)), "");

	r = (ngx_query *)1;
	CHECK(ngx_query_recency_steps(&r, SLOT_DATE, D7, 30 * DAY, 1, 0, &err) == NGX_ERR_INVALID &&
	      r == NULL);
	CHECK(ngx_query_recency_steps(&r, SLOT_DATE, D7, 30 * DAY, 1, 1e-5, &err) ==
	      NGX_ERR_INVALID);
	CHECK(ngx_query_recency_steps(&r, SLOT_DATE, D7, 30 * DAY, 1, NAN, &err) ==
	      NGX_ERR_INVALID);
	CHECK(ngx_query_recency_steps(&r, SLOT_DATE, D7, 0, 1, 0.01, &err) == NGX_ERR_INVALID);
	CHECK(ngx_query_recency_steps(&r, SLOT_DATE, NAN, DAY, 1, 0.01, &err) == NGX_ERR_INVALID);
	CHECK(strstr(err.message, "ngx_query_recency_steps") != NULL);
	CHECK(ngx_query_recency_steps(NULL, 0, 0, 1, 1, 0.01, &err) == NGX_ERR_INVALID);
}

static void test_sort_collapse(ngx_db *db)
{
	ngx_search_opts o = opts(10);
	o.sort = NGX_SORT_VALUE_DESC;
	o.sort_slot = SLOT_DATE;
	/* Newest first; d4 has no date and comes last (Xapian sorts the
	 * empty value as the smallest, so last when reversed). */
	CHECK_STR(search(db, all(), o), "d7 d3 d2 d1 d5 d6 d4");
	/* Oldest first: a plain Xapian ascending sort would put d4 first;
	 * the shim keeps documents without the value last, as ngx.h says. */
	o.sort = NGX_SORT_VALUE_ASC;
	CHECK_STR(search(db, all(), o), "d6 d5 d1 d2 d3 d7 d4");
	/* Offset and limit apply to the sorted order. */
	o.offset = 5;
	o.limit = 5;
	CHECK_STR(search(db, all(), o), "d7 d4");
	o = opts(10);
	o.sort = NGX_SORT_VALUE_ASC;
	o.sort_slot = SLOT_DATE;
	CHECK_STR(search(db, term("economy"), o), "d5 d1 d2");
	o.sort = (ngx_sort)42;
	ngx_query *q = all();
	ngx_mset *m = NULL;
	CHECK(ngx_search(&m, db, q, &o, NULL, 0, &err) == NGX_ERR_INVALID && m == NULL);
	CHECK(strstr(err.message, "unknown sort 42") != NULL);
	ngx_query_free(q);

	/* Collapse on the provider: d3 goes (Reuters, like d1), d7 goes
	 * (BBC, like d5); d4 and d6 have none and both stay. */
	o = opts(10);
	o.collapse = 1;
	o.collapse_slot = SLOT_PROVIDER;
	CHECK_STR(search(db, all(), o), "d1 d2 d4 d5 d6");
	/* The best of each: sorted newest first, d3 beats d1, d7 beats d5. */
	o.sort = NGX_SORT_VALUE_DESC;
	o.sort_slot = SLOT_DATE;
	CHECK_STR(search(db, all(), o), "d7 d3 d2 d6 d4");
}

static void test_bounds(ngx_db *db)
{
	/* An OR that Xapian, asked for one hit, stops early on and estimates. */
	ngx_query *parts[2] = {term("economy"), term("market")}, *q = NULL;
	CHECK(ngx_query_combine(&q, NGX_OP_OR, parts, 2, 0, &err) == NGX_OK);
	ngx_search_opts o = opts(1);
	ngx_mset *m = NULL;
	uint64_t lo = 99, hi = 99;
	CHECK(ngx_search(&m, db, q, &o, NULL, 0, &err) == NGX_OK);
	ngx_mset_bounds(m, &lo, &hi);
	/* (Xapian 1.4.22 says 3 <= 4 <= 5.) */
	CHECK(lo < hi && lo <= ngx_mset_estimate(m) && ngx_mset_estimate(m) <= hi);
	ngx_mset_free(m);
	/* With check_at_least covering the index, the counts are exact. */
	o.check_at_least = 100;
	CHECK(ngx_search(&m, db, q, &o, NULL, 0, &err) == NGX_OK);
	ngx_mset_bounds(m, &lo, &hi);
	CHECK(ngx_mset_size(m) == 1 && lo == 3 && hi == 3 && ngx_mset_estimate(m) == 3);
	ngx_mset_free(m);
	ngx_query_free(q);
	ngx_query_free(parts[0]);
	ngx_query_free(parts[1]);
	lo = hi = 99;
	ngx_mset_bounds(NULL, &lo, &hi);
	CHECK(lo == 0 && hi == 0);
	ngx_mset_bounds(NULL, NULL, NULL);
}

static void test_facets(ngx_db *db)
{
	ngx_facet *f[4] = {NULL};
	CHECK(ngx_facet_new(&f[0], NGX_FACET_STRING, SLOT_PROVIDER, &err) == NGX_OK);
	CHECK(ngx_facet_new(&f[1], NGX_FACET_LIST, SLOT_TOPICS, &err) == NGX_OK);
	CHECK(ngx_facet_new(&f[2], NGX_FACET_YEAR, SLOT_DATE, &err) == NGX_OK);
	CHECK(ngx_facet_new(&f[3], NGX_FACET_MONTH, SLOT_DATE, &err) == NGX_OK);
	CHECK(ngx_facet_size(f[0]) == 0);

	ngx_search_opts o = opts(2);
	o.check_at_least = 100;
	ngx_query *q = all();
	ngx_mset *m = NULL;
	CHECK(ngx_search(&m, db, q, &o, f, 4, &err) == NGX_OK);
	CHECK(ngx_mset_size(m) == 2);
	ngx_mset_free(m);
	ngx_query_free(q);
	/* Ties in byte order; no empty values. */
	CHECK_STR(items(f[0]), "BBC=2 Reuters=2 AP=1");
	/* d2's repeated Economy counts once; empty pieces are skipped. */
	CHECK_STR(items(f[1]), "Politics=3 Economy=2 Weather=2 Sports=1");
	/* In UTC, whatever TZ says (set to Tokyo in main): d5 is 2022. */
	CHECK_STR(items(f[2]), "2023=2 2024=2 2021=1 2022=1");
	CHECK_STR(items(f[3]), "2023-03=2 2021-06=1 2022-12=1 2024-01=1 2024-06=1");
	CHECK(ngx_facet_size(f[3]) == 5);

	/* A new search resets the counts. */
	q = term("economy");
	CHECK(ngx_search(&m, db, q, &o, f, 2, &err) == NGX_OK);
	ngx_mset_free(m);
	CHECK_STR(items(f[0]), "AP=1 BBC=1 Reuters=1");
	CHECK_STR(items(f[1]), "Economy=2 Politics=1");
	/* Facets left out of that search kept their counts. */
	CHECK(ngx_facet_size(f[2]) == 4);
	/* A failing search leaves them empty. */
	ngx_query *w = NULL;
	CHECK(ngx_query_wildcard(&w, "e", 1, 1, &err) == NGX_OK);
	CHECK(ngx_search(&m, db, w, &o, f, 4, &err) == NGX_ERR_WILDCARD);
	ngx_query_free(w);
	CHECK(ngx_facet_size(f[0]) == 0 && ngx_facet_size(f[3]) == 0);

	/* Xapian shows the match spy the documents that collapsing then
	 * drops: facets count d3 and d7 though the hits leave them out. */
	o.collapse = 1;
	o.collapse_slot = SLOT_PROVIDER;
	o.limit = 10;
	ngx_query_free(q);
	q = all();
	CHECK(ngx_search(&m, db, q, &o, f, 1, &err) == NGX_OK);
	CHECK_STR(names(m), "d1 d2 d4 d5 d6");
	ngx_mset_free(m);
	CHECK_STR(items(f[0]), "BBC=2 Reuters=2 AP=1");

	/* Item errors. */
	const char *v = "x";
	size_t len = 9;
	uint64_t count = 9;
	CHECK(ngx_facet_item(f[0], 3, &v, &len, &count, &err) == NGX_ERR_INVALID);
	CHECK(strstr(err.message, "out of range") != NULL);
	CHECK(ngx_facet_item(NULL, 0, &v, &len, &count, &err) == NGX_ERR_INVALID);
	CHECK(ngx_facet_item(f[0], 0, NULL, &len, &count, &err) == NGX_ERR_INVALID);
	CHECK(ngx_facet_item(f[0], 0, &v, NULL, &count, &err) == NGX_ERR_INVALID);
	CHECK(ngx_facet_item(f[0], 0, &v, &len, NULL, &err) == NGX_ERR_INVALID);
	CHECK(strstr(err.message, "ngx_facet_item") != NULL);
	CHECK(ngx_facet_size(NULL) == 0);

	/* Search errors. */
	ngx_facet *nulls[2] = {f[0], NULL};
	m = (ngx_mset *)1;
	CHECK(ngx_search(&m, db, q, &o, nulls, 2, &err) == NGX_ERR_INVALID && m == NULL);
	CHECK(strstr(err.message, "ngx_search") != NULL);
	CHECK(ngx_search(&m, db, q, &o, NULL, 1, &err) == NGX_ERR_INVALID);
	CHECK(ngx_search(&m, db, q, NULL, NULL, 0, &err) == NGX_ERR_INVALID);
	CHECK(ngx_search(&m, db, NULL, &o, NULL, 0, &err) == NGX_ERR_INVALID);
	CHECK(ngx_search(&m, NULL, q, &o, NULL, 0, &err) == NGX_ERR_INVALID);
	CHECK(ngx_search(NULL, db, q, &o, NULL, 0, &err) == NGX_ERR_INVALID);
	ngx_query_free(q);

	ngx_facet *g = (ngx_facet *)1;
	CHECK(ngx_facet_new(&g, (ngx_facet_kind)9, 0, &err) == NGX_ERR_INVALID && g == NULL);
	CHECK(ngx_facet_new(NULL, NGX_FACET_STRING, 0, &err) == NGX_ERR_INVALID);
	CHECK(strstr(err.message, "ngx_facet_new") != NULL);
	for (int i = 0; i < 4; i++)
		ngx_facet_free(f[i]);
	ngx_facet_free(NULL);
}

static void test_null_args(ngx_db *db)
{
	uint64_t n;
	double v;
	int has;
	char *s;
	ngx_query *q = NULL, *t = term("economy");
	const ngx_posting p = {0, 5, 0, 1};

	CHECK(ngx_db_count_prefix(NULL, "e", 1, 1, &n, &err) == NGX_ERR_INVALID);
	CHECK(strstr(err.message, "ngx_db_count_prefix") != NULL);
	CHECK(ngx_db_count_prefix(db, NULL, 1, 1, &n, &err) == NGX_ERR_INVALID);
	CHECK(ngx_db_count_prefix(db, "e", 1, 1, NULL, &err) == NGX_ERR_INVALID);

	CHECK(ngx_db_number_upper_bound(NULL, 0, &v, &has, &err) == NGX_ERR_INVALID);
	CHECK(strstr(err.message, "ngx_db_number_upper_bound") != NULL);
	CHECK(ngx_db_number_upper_bound(db, 0, NULL, &has, &err) == NGX_ERR_INVALID);
	CHECK(ngx_db_number_upper_bound(db, 0, &v, NULL, &err) == NGX_ERR_INVALID);

	CHECK(ngx_db_add_spellings(NULL, "hello", &p, 1, &err) == NGX_ERR_INVALID);
	CHECK(strstr(err.message, "ngx_db_add_spellings") != NULL);
	CHECK(ngx_db_add_spellings(db, NULL, &p, 1, &err) == NGX_ERR_INVALID);
	CHECK(ngx_db_add_spellings(db, "hello", NULL, 1, &err) == NGX_ERR_INVALID);

	CHECK(ngx_db_spelling_suggestion(NULL, "x", 1, 2, &s, &err) == NGX_ERR_INVALID);
	CHECK(strstr(err.message, "ngx_db_spelling_suggestion") != NULL);
	CHECK(ngx_db_spelling_suggestion(db, NULL, 1, 2, &s, &err) == NGX_ERR_INVALID);
	CHECK(ngx_db_spelling_suggestion(db, "x", 1, 2, NULL, &err) == NGX_ERR_INVALID);

	CHECK(ngx_query_wildcard(NULL, "e", 1, 1, &err) == NGX_ERR_INVALID);
	CHECK(strstr(err.message, "ngx_query_wildcard") != NULL);
	CHECK(ngx_query_scale(NULL, t, 1, &err) == NGX_ERR_INVALID);
	CHECK(ngx_query_scale(&q, NULL, 1, &err) == NGX_ERR_INVALID);
	CHECK(strstr(err.message, "ngx_query_scale") != NULL);
	CHECK(ngx_query_recency(NULL, 0, 0, 1, 1, &err) == NGX_ERR_INVALID);
	CHECK(strstr(err.message, "ngx_query_recency") != NULL);
	ngx_query *subs[2] = {t, NULL};
	CHECK(ngx_query_combine(&q, NGX_OP_AND_MAYBE, subs, 2, 0, &err) == NGX_ERR_INVALID);
	CHECK(q == NULL);
	CHECK(ngx_query_combine(&q, (ngx_op)99, subs, 1, 0, &err) == NGX_ERR_INVALID);
	CHECK(strstr(err.message, "unknown op 99") != NULL);
	/* A NULL ngx_error is fine too. */
	CHECK(ngx_db_count_prefix(NULL, "e", 1, 1, &n, NULL) == NGX_ERR_INVALID);
	ngx_query_free(t);
}

int main(void)
{
	/* Far from UTC, so that a local-time facet would show. */
	setenv("TZ", "JST-9", 1);
	tzset();
	const char *tmp = getenv("TMPDIR");
	char tmpl[512];
	snprintf(tmpl, sizeof(tmpl), "%s/newsgrep-test-shim-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(tmpl)) {
		perror("mkdtemp");
		return 2;
	}
	snprintf(dbpath, sizeof(dbpath), "%s/db", tmpl);
	build();
	ngx_db *db = NULL;
	CHECK(ngx_db_open_read(&db, dbpath, &err) == NGX_OK);
	if (db) {
		uint64_t n = 0;
		CHECK(ngx_db_doccount(db, &n, &err) == NGX_OK && n == 7);
		test_count_prefix(db);
		test_upper_bound(db);
		test_spelling(db);
		test_wildcard(db);
		test_scale(db);
		test_recency(db);
		test_recency_steps(db);
		test_sort_collapse(db);
		test_bounds(db);
		test_facets(db);
		test_null_args(db);
	}
	CHECK(ngx_db_close(db, &err) == NGX_OK);
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpl);
	if (system(cmd) != 0)
		failures++;
	if (failures) {
		fprintf(stderr, "test_shim: %d failures\n", failures);
		return 1;
	}
	puts("test_shim: all passed");
	return 0;
}
