/*
 * test_db.c - opening, locking, indexing and searching through the public
 * API only (newsgrep.h), including the error paths.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "newsgrep.h"

static const char *src;
static char dbpath[512];

static void test_open_errors(void)
{
	newsgrep_db_t *db = (newsgrep_db_t *)1;
	char *msg = NULL;
	CHECK(newsgrep_db_open(&db, dbpath, NEWSGREP_DB_READ, NULL, &msg) == NEWSGREP_NO_INDEX);
	CHECK(db == NULL);
	CHECK(msg && strstr(msg, "no index at") && strstr(msg, "run newsgrep-index DIR first"));
	newsgrep_free(msg);
	CHECK(newsgrep_db_open(NULL, dbpath, NEWSGREP_DB_READ, NULL, NULL) == NEWSGREP_INVALID_ARG);
	CHECK(newsgrep_db_open(&db, NULL, NEWSGREP_DB_READ, NULL, NULL) == NEWSGREP_INVALID_ARG);
	CHECK(newsgrep_db_open(&db, dbpath, (newsgrep_db_mode_t)7, NULL, NULL) == NEWSGREP_INVALID_ARG);
	newsgrep_db_close(NULL); /* harmless */
}

static void test_index_and_lock(void)
{
	newsgrep_db_t *w = NULL, *w2 = NULL;
	char *msg = NULL;
	CHECK(newsgrep_db_open(&w, dbpath, NEWSGREP_DB_WRITE, NULL, NULL) == NEWSGREP_OK);
	/* A second writer is refused while the first holds the index. */
	CHECK(newsgrep_db_open(&w2, dbpath, NEWSGREP_DB_WRITE, NULL, &msg) == NEWSGREP_LOCKED);
	CHECK(w2 == NULL && msg && strstr(msg, "is locked by another newsgrep-index (pid ") &&
	      strstr(msg, "/lock')"));
	newsgrep_free(msg);

	char seeds[600];
	snprintf(seeds, sizeof(seeds), "%s/corpus/seeds", src);
	const char *paths[] = {seeds};
	newsgrep_index_stats_t stats = NEWSGREP_INDEX_STATS_INIT;
	CHECK(newsgrep_index_paths(w, paths, 1, NULL, &stats) == NEWSGREP_OK);
	CHECK(stats.added == 5 && stats.updated == 0 && stats.deleted == 0 && stats.skipped == 0 &&
	      stats.warnings == 0);
	uint64_t n = 0;
	CHECK(newsgrep_db_count(w, &n) == NEWSGREP_OK && n == 5);
	newsgrep_db_close(w);

	/* Once closed, another writer may open it; a reader may not index. */
	CHECK(newsgrep_db_open(&w2, dbpath, NEWSGREP_DB_WRITE, NULL, NULL) == NEWSGREP_OK);
	newsgrep_db_close(w2);
	newsgrep_db_t *r = NULL;
	CHECK(newsgrep_db_open(&r, dbpath, NEWSGREP_DB_READ, NULL, NULL) == NEWSGREP_OK);
	CHECK(newsgrep_index_paths(r, paths, 1, NULL, NULL) == NEWSGREP_INVALID_ARG);
	CHECK(strcmp(newsgrep_db_errmsg(r), "index is open read-only") == 0);
	newsgrep_db_close(r);
}

static void test_search(void)
{
	newsgrep_db_t *db = NULL;
	CHECK(newsgrep_db_open(&db, dbpath, NEWSGREP_DB_READ, NULL, NULL) == NEWSGREP_OK);
	newsgrep_hits_t *hits = NULL;
	newsgrep_search_options_t opts;
	newsgrep_search_options_init(&opts, NEWSGREP_SEARCH_OPTIONS_VERSION);
	CHECK(opts.limit == 10 && opts.offset == 0 && !opts.has_since && !opts.has_until);
	CHECK(newsgrep_search(&hits, db, "Moore Threads", &opts) == NEWSGREP_OK);
	/* Hits stay valid after the handle is closed. */
	newsgrep_db_close(db);
	CHECK(newsgrep_hits_estimate(hits) == 2);
	const newsgrep_hit_t *hit = NULL;
	CHECK(newsgrep_hits_next(hits, &hit) == NEWSGREP_OK);
	CHECK(hit && hit->rank == 1 && hit->has_date && hit->date == 1703030340);
	CHECK(hit && strcmp(hit->provider, "Gizmochina") == 0 && hit->ntopics == 2 &&
	      strcmp(hit->topics[0], "AI Hardware") == 0);
	CHECK(hit && strstr(hit->path, "/corpus/seeds/000_21fff29c15f39abc.txt"));
	CHECK(newsgrep_hits_next(hits, &hit) == NEWSGREP_OK && hit->rank == 2);
	CHECK(newsgrep_hits_next(hits, &hit) == NEWSGREP_DONE && hit == NULL);
	CHECK(newsgrep_hits_next(hits, &hit) == NEWSGREP_DONE);
	newsgrep_hits_free(hits);
	newsgrep_hits_free(NULL);

	CHECK(newsgrep_db_open(&db, dbpath, NEWSGREP_DB_READ, NULL, NULL) == NEWSGREP_OK);
	/* Offsets page through the ranking; ranks count from the first hit. */
	opts.offset = 1;
	CHECK(newsgrep_search(&hits, db, "moore threads", &opts) == NEWSGREP_OK);
	CHECK(newsgrep_hits_next(hits, &hit) == NEWSGREP_OK && hit->rank == 2);
	newsgrep_hits_free(hits);
	CHECK(newsgrep_search(&hits, db, " ?! ", NULL) == NEWSGREP_BAD_QUERY && hits == NULL);
	CHECK(strstr(newsgrep_db_errmsg(db), "no words") != NULL);
	CHECK(newsgrep_search(&hits, db, NULL, NULL) == NEWSGREP_INVALID_ARG);
	CHECK(newsgrep_search(NULL, db, "x", NULL) == NEWSGREP_INVALID_ARG);
	newsgrep_search_options_init(&opts, NEWSGREP_SEARCH_OPTIONS_VERSION);
	opts.has_since = opts.has_until = 1;
	CHECK(newsgrep_date_parse(&opts.since, "2024", NEWSGREP_DATE_START) == NEWSGREP_OK);
	CHECK(newsgrep_date_parse(&opts.until, "2023", NEWSGREP_DATE_END) == NEWSGREP_OK);
	CHECK(newsgrep_search(&hits, db, "chips", &opts) == NEWSGREP_BAD_DATE);
	newsgrep_db_close(db);
}

static void test_misc(void)
{
	CHECK(strcmp(newsgrep_version(), NEWSGREP_VERSION_STRING) == 0);
	CHECK(strcmp(newsgrep_status_string(NEWSGREP_LOCKED),
	             "index is locked by another writer") == 0);
	CHECK(strcmp(newsgrep_status_string((newsgrep_status_t)999), "unknown status") == 0);
	char *path = NULL;
	setenv("NEWSGREP_DB", "/x/y", 1);
	CHECK(newsgrep_default_db_path(&path) == NEWSGREP_OK && strcmp(path, "/x/y") == 0);
	newsgrep_free(path);
	setenv("NEWSGREP_DB", "", 1);
	setenv("XDG_DATA_HOME", "/data", 1);
	CHECK(newsgrep_default_db_path(&path) == NEWSGREP_OK &&
	      strcmp(path, "/data/newsgrep") == 0);
	newsgrep_free(path);
	unsetenv("XDG_DATA_HOME");
	setenv("HOME", "/home/u", 1);
	CHECK(newsgrep_default_db_path(&path) == NEWSGREP_OK &&
	      strcmp(path, "/home/u/.local/share/newsgrep") == 0);
	newsgrep_free(path);
	unsetenv("HOME");
	unsetenv("NEWSGREP_DB");
	CHECK(newsgrep_default_db_path(&path) == NEWSGREP_INVALID_ARG && path == NULL);
}

int main(void)
{
	src = getenv("NEWSGREP_SOURCE_DIR");
	if (!src) {
		fprintf(stderr, "test_db: set NEWSGREP_SOURCE_DIR\n");
		return 2;
	}
	char tmpl[] = "/tmp/newsgrep-test-db-XXXXXX";
	if (!mkdtemp(tmpl))
		return 2;
	snprintf(dbpath, sizeof(dbpath), "%s/db", tmpl);
	test_open_errors();
	test_index_and_lock();
	test_search();
	test_misc();
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpl);
	if (system(cmd) != 0)
		failures++;
	if (failures) {
		fprintf(stderr, "test_db: %d failures\n", failures);
		return 1;
	}
	puts("test_db: all passed");
	return 0;
}
