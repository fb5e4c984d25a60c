/*
 * caller_1_0.c - a program written against newsgrep 1.0, compiled with
 * the header 1.0 installed (a frozen copy in tests/abi/newsgrep-1.0/),
 * run against the library of today: what 1.x promises (newsgrep.h,
 * "Compatibility").  It indexes, searches and checks with the 1.0 structs,
 * each on the heap at its 1.0 size, so a library that reads or writes
 * past one (a field appended without a new version) is caught by valgrind
 * and ASan, as the tests run it.
 */
#include <newsgrep.h>

#include "check.h"

/* A struct of exactly `size` bytes on the heap, copied from `init`. */
static void *heap_copy(const void *init, size_t size)
{
	void *p = malloc(size);
	if (!p)
		exit(2);
	memcpy(p, init, size);
	return p;
}

int main(void)
{
	const char *src = getenv("NEWSGREP_SOURCE_DIR");
	if (!src) {
		fprintf(stderr, "caller_1_0: set NEWSGREP_SOURCE_DIR\n");
		return 2;
	}
	/* Built against 1.0, run against 1.x. */
	CHECK(NEWSGREP_VERSION_MAJOR == 1 && NEWSGREP_VERSION_MINOR == 0);
	CHECK(strncmp(newsgrep_version(), "1.", 2) == 0);

	char tmpl[] = "/tmp/newsgrep-caller-1-0-XXXXXX", db_path[300], corpus[600];
	if (!mkdtemp(tmpl))
		return 2;
	snprintf(db_path, sizeof(db_path), "%s/db", tmpl);
	snprintf(corpus, sizeof(corpus), "%s/corpus", src);

	const newsgrep_open_options_t open_init = NEWSGREP_OPEN_OPTIONS_INIT;
	newsgrep_open_options_t *oo = heap_copy(&open_init, sizeof(open_init));
	oo->lock_wait = 1;
	newsgrep_db_t *w = NULL;
	char *msg = NULL;
	CHECK(newsgrep_db_open(&w, db_path, NEWSGREP_DB_WRITE, oo, &msg) == NEWSGREP_OK);
	newsgrep_free(msg);

	newsgrep_index_options_t *io = malloc(sizeof(*io));
	newsgrep_index_stats_t *stats = malloc(sizeof(*stats));
	if (!io || !stats)
		return 2;
	CHECK(newsgrep_index_options_init(io, NEWSGREP_INDEX_OPTIONS_VERSION) == NEWSGREP_OK);
	CHECK(io->commit_docs == 10000);
	io->threads = 1;
	const newsgrep_index_stats_t stats_init = NEWSGREP_INDEX_STATS_INIT;
	memcpy(stats, &stats_init, sizeof(*stats));
	const char *paths[] = {corpus};
	CHECK(newsgrep_index_paths(w, paths, 1, io, stats) == NEWSGREP_OK);
	CHECK(stats->version == 1 && stats->added > 10 && stats->skipped == 0);
	CHECK(newsgrep_db_commit(w) == NEWSGREP_OK);
	newsgrep_db_close(w);

	newsgrep_db_t *db = NULL;
	CHECK(newsgrep_db_open(&db, db_path, NEWSGREP_DB_READ, NULL, NULL) == NEWSGREP_OK);
	newsgrep_search_options_t *so = malloc(sizeof(*so));
	if (!so)
		return 2;
	CHECK(newsgrep_search_options_init(so, NEWSGREP_SEARCH_OPTIONS_VERSION) == NEWSGREP_OK);
	so->limit = 3;
	so->facets = NEWSGREP_FACET_BIT(NEWSGREP_FACET_PROVIDER);
	newsgrep_hits_t *hits = NULL;
	const newsgrep_hit_t *hit;
	CHECK(newsgrep_search(&hits, db, "sanctions GPU", so) == NEWSGREP_OK);
	uint64_t n = 0;
	while (hits && newsgrep_hits_next(hits, &hit) == NEWSGREP_OK) {
		n++;
		CHECK(hit->rank == n && *hit->path == '/' && *hit->title);
	}
	CHECK(n == 3 && newsgrep_hits_estimate(hits) >= 3);
	CHECK(newsgrep_hits_facet_size(hits, NEWSGREP_FACET_PROVIDER) > 0);
	newsgrep_hits_free(hits);

	char *text = NULL;
	CHECK(newsgrep_explain(&text, db, "sanctions", so) == NEWSGREP_OK && text);
	newsgrep_free(text);

	newsgrep_check_stats_t *cs = malloc(sizeof(*cs));
	if (!cs)
		return 2;
	const newsgrep_check_stats_t check_init = NEWSGREP_CHECK_STATS_INIT;
	memcpy(cs, &check_init, sizeof(*cs));
	CHECK(newsgrep_db_check(db, NULL, NULL, cs) == NEWSGREP_OK);
	CHECK(cs->articles == stats->added && cs->problems == 0);
	newsgrep_db_close(db);

	free(oo);
	free(io);
	free(stats);
	free(so);
	free(cs);
	char cmd[400];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpl);
	if (system(cmd) != 0)
		failures++;
	if (failures) {
		fprintf(stderr, "caller_1_0: %d failures\n", failures);
		return 1;
	}
	puts("caller_1_0: all passed");
	return 0;
}
