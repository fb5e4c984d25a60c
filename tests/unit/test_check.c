/*
 * test_check.c - newsgrep_db_check on an index of corpus/ damaged through
 * the shim, one record at a time: each kind of damage is reported with the
 * article and what is wrong, and a sound index passes.  (Byte flips in the
 * tables are the e2e test t96_check.sh.)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "ng.h"
#include "ngx.h"

static char problems[64][1024];
static size_t nproblems;

static void on_problem(void *ctx, const char *problem)
{
	(void)ctx;
	if (nproblems < 64)
		snprintf(problems[nproblems++], sizeof(problems[0]), "%s", problem);
}

/* Checks the index; the status, with the problems in problems[]. */
static newsgrep_status_t check(const char *idx, newsgrep_check_stats_t *stats)
{
	newsgrep_db_t *db = NULL;
	CHECK(newsgrep_db_open(&db, idx, NEWSGREP_DB_READ, NULL, NULL) == NEWSGREP_OK);
	nproblems = 0;
	newsgrep_status_t st = newsgrep_db_check(db, on_problem, NULL, stats);
	if (st == NEWSGREP_CORRUPT)
		CHECK(strstr(newsgrep_db_errmsg(db), "is damaged") != NULL);
	newsgrep_db_close(db);
	return st;
}

/* Whether a problem reported has `part` in it. */
static bool reported(const char *part)
{
	for (size_t i = 0; i < nproblems; i++)
		if (strstr(problems[i], part))
			return true;
	fprintf(stderr, "not reported: %s; reported:\n", part);
	for (size_t i = 0; i < nproblems; i++)
		fprintf(stderr, "  %s\n", problems[i]);
	return false;
}

int main(void)
{
	const char *src = getenv("NEWSGREP_SOURCE_DIR");
	char tmpl[] = "/tmp/newsgrep-check-XXXXXX", idx[600], live[700], corpus[600];
	if (!src || !mkdtemp(tmpl)) {
		fprintf(stderr, "need NEWSGREP_SOURCE_DIR and a temporary folder\n");
		return 2;
	}
	snprintf(idx, sizeof(idx), "%s/idx", tmpl);
	snprintf(live, sizeof(live), "%s/db.1", idx);
	snprintf(corpus, sizeof(corpus), "%s/corpus", src);

	newsgrep_db_t *w = NULL;
	CHECK(newsgrep_db_open(&w, idx, NEWSGREP_DB_WRITE, NULL, NULL) == NEWSGREP_OK);
	const char *paths[] = {corpus};
	CHECK(newsgrep_index_paths(w, paths, 1, NULL, NULL) == NEWSGREP_OK);
	/* Only readers check. */
	CHECK(newsgrep_db_check(w, NULL, NULL, NULL) == NEWSGREP_INVALID_ARG);
	newsgrep_db_close(w);
	CHECK(newsgrep_db_check(NULL, NULL, NULL, NULL) == NEWSGREP_INVALID_ARG);

	newsgrep_check_stats_t stats = NEWSGREP_CHECK_STATS_INIT;
	CHECK(check(idx, &stats) == NEWSGREP_OK);
	CHECK(stats.articles == 30 && stats.problems == 0 && nproblems == 0);

	ngx_error err;
	ngx_db *x = NULL;
	/* A file record that does not parse. */
	CHECK(ngx_db_open_write(&x, live, 0, &err) == NGX_OK);
	CHECK(ngx_db_set_document_value(x, 1, NG_SLOT_FILE, "junk", 4, &err) == NGX_OK);
	CHECK(ngx_db_close(x, &err) == NGX_OK);
	CHECK(check(idx, &stats) == NEWSGREP_CORRUPT);
	CHECK(stats.problems == 1);
	CHECK(reported("/db.1: article 1 ('/"));
	CHECK(reported("'): its file record is damaged (4 bytes)"));

	/* A value that is not what the article makes (its date). */
	CHECK(ngx_db_open_write(&x, live, 0, &err) == NGX_OK);
	CHECK(ngx_db_set_document_value(x, 2, NG_SLOT_DATE, "\x80", 1, &err) == NGX_OK);
	CHECK(ngx_db_close(x, &err) == NGX_OK);
	CHECK(check(idx, &stats) == NEWSGREP_CORRUPT);
	CHECK(stats.problems == 2);
	CHECK(reported("/db.1: article 2 ('/"));
	CHECK(reported("'): its value 0 is not what its article makes"));

	/* A document whose stored record does not parse, and has nothing
	 * else (no file record, no terms). */
	ngx_doc *doc = NULL;
	CHECK(ngx_db_open_write(&x, live, 0, &err) == NGX_OK);
	CHECK(ngx_doc_new(&doc, &err) == NGX_OK);
	CHECK(ngx_doc_set_data(doc, "\x02junk", 5, &err) == NGX_OK);
	CHECK(ngx_db_replace_document_id(x, 3, doc, &err) == NGX_OK);
	ngx_doc_free(doc);
	/* A word in the spelling dictionary that no article has. */
	ngx_posting word = {.offset = 0, .len = 5, .wdf = 1};
	CHECK(ngx_db_add_spellings(x, "zqxjv", &word, 1, &err) == NGX_OK);
	/* A count of repeated URLs that is no number. */
	CHECK(ngx_db_set_metadata(x, NG_META_REPEATED_URLS, "lots", &err) == NGX_OK);
	CHECK(ngx_db_close(x, &err) == NGX_OK);
	CHECK(check(idx, &stats) == NEWSGREP_CORRUPT);
	CHECK(reported("/db.1: article 3: its file record is damaged (0 bytes)"));
	CHECK(reported("/db.1: article 3: its stored record is damaged (5 bytes)"));
	CHECK(reported("its count of repeated URLs (newsgrep.repeated_urls) is damaged"));

	/* The spelling dictionary alone. */
	char cmd[1400];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", idx);
	CHECK(system(cmd) == 0);
	CHECK(newsgrep_db_open(&w, idx, NEWSGREP_DB_WRITE, NULL, NULL) == NEWSGREP_OK);
	CHECK(newsgrep_index_paths(w, paths, 1, NULL, NULL) == NEWSGREP_OK);
	newsgrep_db_close(w);
	CHECK(ngx_db_open_write(&x, live, 0, &err) == NGX_OK);
	CHECK(ngx_db_add_spellings(x, "zqxjv", &word, 1, &err) == NGX_OK);
	word.len = 3;
	CHECK(ngx_db_add_spellings(x, "the", &word, 1, &err) == NGX_OK);
	CHECK(ngx_db_close(x, &err) == NGX_OK);
	CHECK(check(idx, &stats) == NEWSGREP_CORRUPT);
	CHECK(stats.problems == 2);
	CHECK(
	    reported("/db.1: the spelling dictionary has the word 'zqxjv', which no article has"));
	CHECK(reported("/db.1: the spelling dictionary counts the word 'the' "));

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpl);
	CHECK(system(cmd) == 0);
	if (failures)
		fprintf(stderr, "%d failure(s)\n", failures);
	return failures ? 1 : 0;
}
