/*
 * test_versions.c - the versioned structs of the public API (newsgrep.h,
 * "Compatibility"): a struct with no version or one the library does not
 * know is refused with NEWSGREP_INVALID_ARG and a message naming it, and
 * the library never writes past the end of a caller's struct of the
 * version it gave (bytes beyond it are a canary here).
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "newsgrep.h"

static char dbpath[300], corpus[600];

#define CANARY 0xA5

/* A caller's struct followed by bytes that must stay CANARY. */
typedef struct guarded {
	unsigned char bytes[512];
} guarded;

static void guard(guarded *g)
{
	memset(g->bytes, CANARY, sizeof(g->bytes));
}

/* Whether bytes [from, end) are untouched. */
static int intact(const guarded *g, size_t from)
{
	for (size_t i = from; i < sizeof(g->bytes); i++)
		if (g->bytes[i] != CANARY)
			return 0;
	return 1;
}

static void set_version(guarded *g, uint32_t v)
{
	memcpy(g->bytes, &v, sizeof(v));
}

static void test_init(void)
{
	guarded g;
	guard(&g);
	CHECK(newsgrep_search_options_init((newsgrep_search_options_t *)(void *)&g,
	                                   NEWSGREP_SEARCH_OPTIONS_VERSION) == NEWSGREP_OK);
	CHECK(intact(&g, sizeof(newsgrep_search_options_t)));
	newsgrep_search_options_t so;
	memcpy(&so, &g, sizeof(so));
	CHECK(so.version == NEWSGREP_SEARCH_OPTIONS_VERSION && so.limit == 10 && so.offset == 0);

	guard(&g);
	CHECK(newsgrep_index_options_init((newsgrep_index_options_t *)(void *)&g,
	                                  NEWSGREP_INDEX_OPTIONS_VERSION) == NEWSGREP_OK);
	CHECK(intact(&g, sizeof(newsgrep_index_options_t)));
	newsgrep_index_options_t io;
	memcpy(&io, &g, sizeof(io));
	CHECK(io.version == NEWSGREP_INDEX_OPTIONS_VERSION && io.commit_docs == 10000 &&
	      io.commit_seconds == 30 && io.commit_mib == 64 && !io.threads && !io.follow);

	newsgrep_open_options_t oo;
	CHECK(newsgrep_open_options_init(&oo, NEWSGREP_OPEN_OPTIONS_VERSION) == NEWSGREP_OK);
	CHECK(oo.version == NEWSGREP_OPEN_OPTIONS_VERSION && oo.lock_wait == 0);

	/* Versions this library does not know: nothing written. */
	guard(&g);
	CHECK(newsgrep_search_options_init((newsgrep_search_options_t *)(void *)&g, 0) ==
	      NEWSGREP_INVALID_ARG);
	CHECK(newsgrep_index_options_init((newsgrep_index_options_t *)(void *)&g,
	                                  NEWSGREP_INDEX_OPTIONS_VERSION + 1) ==
	      NEWSGREP_INVALID_ARG);
	CHECK(newsgrep_open_options_init((newsgrep_open_options_t *)(void *)&g, 99) ==
	      NEWSGREP_INVALID_ARG);
	CHECK(intact(&g, 0));

	/* The _INIT macro gives what the _init function does. */
	newsgrep_search_options_t macro = NEWSGREP_SEARCH_OPTIONS_INIT;
	CHECK(macro.version == so.version && macro.limit == so.limit && macro.offset == so.offset &&
	      macro.sort == so.sort && macro.max_expansion == so.max_expansion &&
	      macro.facets == so.facets);
}

static void test_open(void)
{
	newsgrep_db_t *db = NULL;
	char *msg = NULL;
	newsgrep_open_options_t oo = NEWSGREP_OPEN_OPTIONS_INIT;
	oo.version = 0;
	CHECK(newsgrep_db_open(&db, dbpath, NEWSGREP_DB_WRITE, &oo, &msg) == NEWSGREP_INVALID_ARG);
	CHECK(!db && msg && strstr(msg, "newsgrep_open_options_t has no version") &&
	      strstr(msg, "NEWSGREP_OPEN_OPTIONS_INIT"));
	newsgrep_free(msg);
	msg = NULL;
	oo.version = NEWSGREP_OPEN_OPTIONS_VERSION + 1;
	CHECK(newsgrep_db_open(&db, dbpath, NEWSGREP_DB_WRITE, &oo, &msg) == NEWSGREP_INVALID_ARG);
	CHECK(!db && msg && strstr(msg, "newsgrep_open_options_t has version") &&
	      strstr(msg, "does not know"));
	newsgrep_free(msg);
	/* Refused before anything was made. */
	CHECK(newsgrep_db_open(&db, dbpath, NEWSGREP_DB_READ, NULL, NULL) == NEWSGREP_NO_INDEX);
}

static void test_index(void)
{
	newsgrep_db_t *w = NULL;
	CHECK(newsgrep_db_open(&w, dbpath, NEWSGREP_DB_WRITE, NULL, NULL) == NEWSGREP_OK);
	const char *paths[] = {corpus};

	/* Options and stats without a version: refused, nothing indexed. */
	newsgrep_index_options_t io = NEWSGREP_INDEX_OPTIONS_INIT;
	io.version = 0;
	CHECK(newsgrep_index_paths(w, paths, 1, &io, NULL) == NEWSGREP_INVALID_ARG);
	CHECK(strstr(newsgrep_db_errmsg(w), "newsgrep_index_options_t has no version"));
	guarded g;
	guard(&g);
	set_version(&g, 0);
	CHECK(newsgrep_index_paths(w, paths, 1, NULL, (newsgrep_index_stats_t *)(void *)&g) ==
	      NEWSGREP_INVALID_ARG);
	CHECK(strstr(newsgrep_db_errmsg(w), "newsgrep_index_stats_t has no version") &&
	      strstr(newsgrep_db_errmsg(w), "NEWSGREP_INDEX_STATS_INIT"));
	CHECK(intact(&g, sizeof(uint32_t)));
	uint64_t n = 1;
	CHECK(newsgrep_db_count(w, &n) == NEWSGREP_OK && n == 0);

	/* Stats of the current version: filled, and not a byte past them. */
	guard(&g);
	set_version(&g, NEWSGREP_INDEX_STATS_VERSION);
	io.version = NEWSGREP_INDEX_OPTIONS_VERSION;
	CHECK(newsgrep_index_paths(w, paths, 1, &io, (newsgrep_index_stats_t *)(void *)&g) ==
	      NEWSGREP_OK);
	CHECK(intact(&g, sizeof(newsgrep_index_stats_t)));
	newsgrep_index_stats_t st;
	memcpy(&st, &g, sizeof(st));
	CHECK(st.version == NEWSGREP_INDEX_STATS_VERSION && st.added > 10);
	CHECK(newsgrep_db_count(w, &n) == NEWSGREP_OK && n == st.added);
	newsgrep_db_close(w);
}

static void test_search_and_check(void)
{
	newsgrep_db_t *db = NULL;
	CHECK(newsgrep_db_open(&db, dbpath, NEWSGREP_DB_READ, NULL, NULL) == NEWSGREP_OK);
	newsgrep_search_options_t so = NEWSGREP_SEARCH_OPTIONS_INIT;
	newsgrep_hits_t *hits = NULL;
	CHECK(newsgrep_search(&hits, db, "sanctions", &so) == NEWSGREP_OK && hits);
	newsgrep_hits_free(hits);
	hits = NULL;
	so.version = 9;
	CHECK(newsgrep_search(&hits, db, "sanctions", &so) == NEWSGREP_INVALID_ARG && !hits);
	CHECK(strstr(newsgrep_db_errmsg(db), "newsgrep_search_options_t has version 9"));
	so.version = NEWSGREP_SEARCH_OPTIONS_VERSION;

	/* Version 1 of the search options ends before paths_only: the canary
	 * where it would be is not read, so the hits are whole. */
	guarded g;
	guard(&g);
	memcpy(g.bytes, &so, offsetof(newsgrep_search_options_t, paths_only));
	set_version(&g, 1);
	const newsgrep_hit_t *hit = NULL;
	CHECK(newsgrep_search(&hits, db, "sanctions", (newsgrep_search_options_t *)(void *)&g) ==
	      NEWSGREP_OK);
	CHECK(newsgrep_hits_next(hits, &hit) == NEWSGREP_OK && *hit->title && *hit->url);
	newsgrep_hits_free(hits);
	/* Version 2's paths_only: only the path. */
	so.paths_only = 1;
	CHECK(newsgrep_search(&hits, db, "sanctions", &so) == NEWSGREP_OK);
	CHECK(newsgrep_hits_next(hits, &hit) == NEWSGREP_OK && hit->path[0] == '/' &&
	      !*hit->title && !*hit->url && !*hit->snippet && !hit->ntopics);
	newsgrep_hits_free(hits);
	hits = NULL;
	so.paths_only = 0;
	char *text = NULL;
	so.version = 9;
	CHECK(newsgrep_explain(&text, db, "sanctions", &so) == NEWSGREP_INVALID_ARG && !text);
	CHECK(newsgrep_suggest(&text, db, "sanctoins", &so) == NEWSGREP_INVALID_ARG && !text);

	guard(&g);
	set_version(&g, 0);
	CHECK(newsgrep_db_check(db, NULL, NULL, (newsgrep_check_stats_t *)(void *)&g) ==
	      NEWSGREP_INVALID_ARG);
	CHECK(strstr(newsgrep_db_errmsg(db), "newsgrep_check_stats_t has no version"));
	CHECK(intact(&g, sizeof(uint32_t)));
	guard(&g);
	set_version(&g, NEWSGREP_CHECK_STATS_VERSION);
	CHECK(newsgrep_db_check(db, NULL, NULL, (newsgrep_check_stats_t *)(void *)&g) ==
	      NEWSGREP_OK);
	CHECK(intact(&g, sizeof(newsgrep_check_stats_t)));
	newsgrep_check_stats_t cs;
	memcpy(&cs, &g, sizeof(cs));
	CHECK(cs.version == NEWSGREP_CHECK_STATS_VERSION && cs.articles > 10 && cs.problems == 0);
	newsgrep_db_close(db);
}

int main(void)
{
	const char *src = getenv("NEWSGREP_SOURCE_DIR");
	if (!src) {
		fprintf(stderr, "test_versions: set NEWSGREP_SOURCE_DIR\n");
		return 2;
	}
	char tmpl[] = "/tmp/newsgrep-test-versions-XXXXXX";
	if (!mkdtemp(tmpl))
		return 2;
	snprintf(dbpath, sizeof(dbpath), "%s/db", tmpl);
	snprintf(corpus, sizeof(corpus), "%s/corpus", src);
	test_init();
	test_open();
	test_index();
	test_search_and_check();

	char cmd[400];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpl);
	if (system(cmd) != 0)
		failures++;
	if (failures) {
		fprintf(stderr, "test_versions: %d failures\n", failures);
		return 1;
	}
	puts("test_versions: all passed");
	return 0;
}
