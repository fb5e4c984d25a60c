/*
 * test_update.c - updating an index through the public API: roots,
 * revisions, forgetting, stopping from the progress callback, rebuilding
 * beside a live index, compacting it, and a reader that outlives several
 * commits.
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "newsgrep.h"

static const char *src;
static char dir[256], dbpath[300], archive[300];

static void sh(const char *fmt, const char *arg)
{
	char cmd[1200];
	snprintf(cmd, sizeof(cmd), fmt, arg, arg);
	if (system(cmd) != 0) {
		fprintf(stderr, "test_update: '%s' failed\n", cmd);
		exit(2);
	}
}

static uint64_t count(newsgrep_db_t *db)
{
	uint64_t n = 0;
	CHECK(newsgrep_db_count(db, &n) == NEWSGREP_OK);
	return n;
}

static void test_roots_and_revisions(void)
{
	newsgrep_db_t *w = NULL;
	CHECK(newsgrep_db_open(&w, dbpath, NEWSGREP_DB_WRITE, NULL, NULL) == NEWSGREP_OK);
	newsgrep_index_stats_t st = NEWSGREP_INDEX_STATS_INIT;
	CHECK(newsgrep_index_update(w, NULL, &st) == NEWSGREP_INVALID_ARG);
	CHECK(strstr(newsgrep_db_errmsg(w), "the index has no folders yet"));
	char **roots = (char **)1;
	size_t n = 9;
	CHECK(newsgrep_db_roots(w, &roots, &n) == NEWSGREP_OK && roots == NULL && n == 0);

	const char *paths[] = {archive};
	CHECK(newsgrep_index_paths(w, paths, 1, NULL, &st) == NEWSGREP_OK);
	CHECK(st.added == 5 && st.unchanged == 0 && st.deleted == 0);
	CHECK(newsgrep_db_roots(w, &roots, &n) == NEWSGREP_OK && n == 1 &&
	      strcmp(roots[0], archive) == 0);
	newsgrep_roots_free(roots, n);
	uint64_t rev = 0, rev2 = 0;
	CHECK(newsgrep_db_revision(w, &rev) == NEWSGREP_OK && rev > 0);
	CHECK(newsgrep_index_update(w, NULL, &st) == NEWSGREP_OK && st.unchanged == 5 &&
	      st.added == 0);
	CHECK(newsgrep_db_revision(w, &rev2) == NEWSGREP_OK && rev2 == rev);

	sh("rm %s/001_*.txt", archive);
	CHECK(newsgrep_index_update(w, NULL, &st) == NEWSGREP_OK && st.deleted == 1 &&
	      st.unchanged == 4);
	CHECK(count(w) == 4);
	CHECK(newsgrep_index_forget(w, "/nowhere", NULL, &st) == NEWSGREP_INVALID_ARG);
	CHECK(strstr(newsgrep_db_errmsg(w), "'/nowhere' is not one of the index's folders"));
	CHECK(newsgrep_index_forget(w, NULL, NULL, &st) == NEWSGREP_INVALID_ARG);
	CHECK(newsgrep_index_forget(w, archive, NULL, &st) == NEWSGREP_OK && st.deleted == 4);
	CHECK(count(w) == 0);
	CHECK(newsgrep_db_roots(w, &roots, &n) == NEWSGREP_OK && n == 0);
	newsgrep_db_close(w);
	CHECK(newsgrep_index_update(NULL, NULL, NULL) == NEWSGREP_INVALID_ARG);
	CHECK(newsgrep_db_revision(NULL, &rev) == NEWSGREP_INVALID_ARG);
}

typedef struct seen {
	int scans, writes, stop_after;
} seen;

static int on_progress(void *ctx, const newsgrep_progress_t *p)
{
	seen *s = ctx;
	if (p->phase == NEWSGREP_PHASE_SCAN) {
		s->scans++;
		return 0;
	}
	s->writes++;
	CHECK(p->done <= p->total && p->stats);
	return s->writes == s->stop_after;
}

static void test_stop(void)
{
	newsgrep_db_t *w = NULL;
	CHECK(newsgrep_db_open(&w, dbpath, NEWSGREP_DB_WRITE, NULL, NULL) == NEWSGREP_OK);
	newsgrep_index_options_t opts;
	newsgrep_index_options_init(&opts, NEWSGREP_INDEX_OPTIONS_VERSION);
	seen s = {.stop_after = 2};
	opts.on_progress = on_progress;
	opts.ctx = &s;
	newsgrep_index_stats_t st = NEWSGREP_INDEX_STATS_INIT;
	const char *paths[] = {archive};
	CHECK(newsgrep_index_paths(w, paths, 1, &opts, &st) == NEWSGREP_STOPPED);
	CHECK(s.scans == 4 && s.writes == 2 && st.added == 2);
	CHECK(count(w) == 2);
	/* Stopped during the scan: nothing written. */
	s = (seen){.stop_after = 0};
	CHECK(newsgrep_index_update(w, &opts, &st) == NEWSGREP_OK && st.added == 2);
	newsgrep_db_close(w);
}

static void test_rebuild(void)
{
	newsgrep_db_t *r = NULL, *b = NULL, *w = NULL;
	CHECK(newsgrep_db_open(&r, dbpath, NEWSGREP_DB_READ, NULL, NULL) == NEWSGREP_OK);
	CHECK(count(r) == 4);
	CHECK(newsgrep_db_open(&b, dbpath, NEWSGREP_DB_REBUILD, NULL, NULL) == NEWSGREP_OK);
	/* The rebuild holds the lock. */
	char *msg = NULL;
	newsgrep_open_options_t oo = NEWSGREP_OPEN_OPTIONS_INIT;
	oo.lock_wait = 0.1;
	CHECK(newsgrep_db_open(&w, dbpath, NEWSGREP_DB_WRITE, &oo, &msg) == NEWSGREP_LOCKED);
	CHECK(msg && strstr(msg, "is still locked after 0.1 s"));
	newsgrep_free(msg);
	oo.lock_wait = -1;
	CHECK(newsgrep_db_open(&w, dbpath, NEWSGREP_DB_WRITE, &oo, NULL) == NEWSGREP_INVALID_ARG);
	const char *paths[] = {dir}; /* holds the archive; a root of its own */
	sh("cp %s/archive/000_*.txt %s/extra.md", dir);
	newsgrep_index_stats_t st = NEWSGREP_INDEX_STATS_INIT;
	CHECK(newsgrep_index_paths(b, paths, 1, NULL, &st) == NEWSGREP_OK && st.added == 5);
	newsgrep_db_close(b); /* not swapped in: thrown away */
	newsgrep_db_t *r2 = NULL;
	CHECK(newsgrep_db_open(&r2, dbpath, NEWSGREP_DB_READ, NULL, NULL) == NEWSGREP_OK);
	CHECK(count(r2) == 4);
	newsgrep_db_close(r2);

	CHECK(newsgrep_db_open(&b, dbpath, NEWSGREP_DB_REBUILD, NULL, NULL) == NEWSGREP_OK);
	CHECK(newsgrep_index_paths(b, paths, 1, NULL, &st) == NEWSGREP_OK && st.added == 5);
	CHECK(newsgrep_db_swap_in(b) == NEWSGREP_OK);
	CHECK(newsgrep_db_swap_in(b) == NEWSGREP_INVALID_ARG);
	/* Still a writer, now of the live index. */
	CHECK(newsgrep_index_update(b, NULL, &st) == NEWSGREP_OK && st.unchanged == 5);
	newsgrep_db_close(b);
	CHECK(newsgrep_db_open(&r2, dbpath, NEWSGREP_DB_READ, NULL, NULL) == NEWSGREP_OK);
	CHECK(count(r2) == 5);
	char **roots;
	size_t n;
	CHECK(newsgrep_db_roots(r2, &roots, &n) == NEWSGREP_OK && n == 1 &&
	      strcmp(roots[0], dir) == 0);
	newsgrep_roots_free(roots, n);
	newsgrep_db_close(r2);
	/* The reader opened before the swap searches on: the old database's
	 * files are gone, but it reopens the index and finds the new one. */
	newsgrep_hits_t *hits = NULL;
	CHECK(newsgrep_search(&hits, r, "moore threads", NULL) == NEWSGREP_OK);
	newsgrep_hits_free(hits);
	CHECK(newsgrep_db_swap_in(r) == NEWSGREP_INVALID_ARG);
	newsgrep_db_close(r);
}

/* Compacting: a writer's handle only; readers opened before search on. */
static void test_compact(void)
{
	newsgrep_db_t *r = NULL, *w = NULL, *b = NULL;
	CHECK(newsgrep_db_open(&r, dbpath, NEWSGREP_DB_READ, NULL, NULL) == NEWSGREP_OK);
	CHECK(newsgrep_db_compact(NULL, NULL, NULL) == NEWSGREP_INVALID_ARG);
	CHECK(newsgrep_db_compact(r, NULL, NULL) == NEWSGREP_INVALID_ARG);
	CHECK(strstr(newsgrep_db_errmsg(r), "only a writer of the live index can compact it"));
	CHECK(newsgrep_db_open(&b, dbpath, NEWSGREP_DB_REBUILD, NULL, NULL) == NEWSGREP_OK);
	CHECK(newsgrep_db_compact(b, NULL, NULL) == NEWSGREP_INVALID_ARG);
	newsgrep_db_close(b);

	CHECK(newsgrep_db_open(&w, dbpath, NEWSGREP_DB_WRITE, NULL, NULL) == NEWSGREP_OK);
	uint64_t before = 0, after = 0;
	CHECK(newsgrep_db_compact(w, &before, &after) == NEWSGREP_OK);
	CHECK(before > 0 && after > 0 && after <= before);
	CHECK(count(w) == 5);
	/* Still a writer, of the compact index. */
	newsgrep_index_stats_t st = NEWSGREP_INDEX_STATS_INIT;
	CHECK(newsgrep_index_update(w, NULL, &st) == NEWSGREP_OK && st.unchanged == 5);
	CHECK(newsgrep_db_compact(w, NULL, NULL) == NEWSGREP_OK);
	newsgrep_db_close(w);
	newsgrep_hits_t *hits = NULL;
	CHECK(newsgrep_search(&hits, r, "moore threads", NULL) == NEWSGREP_OK);
	CHECK(newsgrep_hits_size(hits) > 0);
	newsgrep_hits_free(hits);
	CHECK(count(r) == 5);
	newsgrep_db_close(r);
}

/* A reader kept open while a writer commits again and again: Xapian reuses
 * the blocks of old revisions, so its searches see DatabaseModifiedError;
 * newsgrep reopens and retries instead of failing. */
static void test_reader_outlives_commits(void)
{
	newsgrep_db_t *r = NULL, *w = NULL;
	CHECK(newsgrep_db_open(&r, dbpath, NEWSGREP_DB_READ, NULL, NULL) == NEWSGREP_OK);
	newsgrep_hits_t *hits = NULL;
	CHECK(newsgrep_search(&hits, r, "moore", NULL) == NEWSGREP_OK);
	newsgrep_hits_free(hits);
	CHECK(newsgrep_db_open(&w, dbpath, NEWSGREP_DB_WRITE, NULL, NULL) == NEWSGREP_OK);
	newsgrep_index_options_t opts;
	newsgrep_index_options_init(&opts, NEWSGREP_INDEX_OPTIONS_VERSION);
	opts.commit_docs = 1;
	for (int round = 0; round < 4; round++) {
		sh("for f in %s/archive/*; do echo changed >> $f; done", dir);
		newsgrep_index_stats_t st = NEWSGREP_INDEX_STATS_INIT;
		CHECK(newsgrep_index_update(w, &opts, &st) == NEWSGREP_OK && st.updated == 4);
	}
	newsgrep_db_close(w);
	const char *queries[] = {"moore", "sanctions", "*", "chip OR gpu"};
	for (size_t i = 0; i < sizeof(queries) / sizeof(queries[0]); i++) {
		CHECK(newsgrep_search(&hits, r, queries[i], NULL) == NEWSGREP_OK);
		const newsgrep_hit_t *hit;
		while (newsgrep_hits_next(hits, &hit) == NEWSGREP_OK)
			CHECK(hit->path && hit->title);
		newsgrep_hits_free(hits);
	}
	newsgrep_db_close(r);
}

typedef struct problems {
	int skipped, warnings, invalid_yaml_at_4_8;
} problems;

static void on_problem(void *ctx, const newsgrep_problem_t *p)
{
	problems *seen = ctx;
	CHECK(p->path && p->message && *p->message);
	CHECK(strstr(p->path, "/tests/fixtures/broken/") != NULL);
	if (p->kind == NEWSGREP_PROBLEM_SKIPPED)
		seen->skipped++;
	else
		seen->warnings++;
	if (strstr(p->path, "invalid-yaml-unclosed-flow.md") && p->line == 4 && p->column == 8)
		seen->invalid_yaml_at_4_8++;
}

static void on_problem_anywhere(void *ctx, const newsgrep_problem_t *p)
{
	problems *seen = ctx;
	if (p->kind == NEWSGREP_PROBLEM_SKIPPED)
		seen->skipped++;
	else
		seen->warnings++;
}

/* Bad files are reported through the callback, with their line and column,
 * and the rest are indexed; the call itself succeeds. */
static void test_problems(void)
{
	char broken[600], path[700];
	snprintf(broken, sizeof(broken), "%s/tests/fixtures/broken", src);
	snprintf(path, sizeof(path), "%s/problems-db", dir);
	newsgrep_db_t *w = NULL;
	CHECK(newsgrep_db_open(&w, path, NEWSGREP_DB_WRITE, NULL, NULL) == NEWSGREP_OK);
	newsgrep_index_options_t opts;
	newsgrep_index_options_init(&opts, NEWSGREP_INDEX_OPTIONS_VERSION);
	CHECK(opts.commit_docs == 10000 && opts.commit_seconds == 30 && opts.commit_mib == 64 &&
	      !opts.on_problem);
	problems seen = {0};
	opts.on_problem = on_problem;
	opts.ctx = &seen;
	newsgrep_index_stats_t st = NEWSGREP_INDEX_STATS_INIT;
	const char *paths[] = {broken};
	CHECK(newsgrep_index_paths(w, paths, 1, &opts, &st) == NEWSGREP_OK);
	CHECK(st.skipped > 0 && st.skipped == (uint64_t)seen.skipped);
	CHECK(st.warnings > 0 && st.warnings == (uint64_t)seen.warnings);
	CHECK(st.added > 0 && seen.invalid_yaml_at_4_8 == 1);
	uint64_t n = 0;
	CHECK(newsgrep_db_count(w, &n) == NEWSGREP_OK && n == st.added);
	/* An empty path is the caller's mistake, not a file to skip. */
	const char *empty[] = {""};
	CHECK(newsgrep_index_paths(w, empty, 1, &opts, &st) == NEWSGREP_INVALID_ARG);
	CHECK(newsgrep_index_paths(w, NULL, 1, &opts, &st) == NEWSGREP_INVALID_ARG);
	newsgrep_db_close(w);
}

/* A new index written by several threads: the same articles, problems and
 * ranking as one thread, a stop keeps what was committed, and the merged
 * index is an ordinary one that updates go on writing.  With `segment`
 * set, the threads write segments of that many files (a handful each). */
static void test_threads(const char *segment)
{
	char corpus[600], broken[600], one[700], three[700];
	snprintf(corpus, sizeof(corpus), "%s/corpus", src);
	snprintf(broken, sizeof(broken), "%s/tests/fixtures/broken", src);
	snprintf(one, sizeof(one), "%s/threads-1-%s", dir, segment ? segment : "");
	snprintf(three, sizeof(three), "%s/threads-3-%s", dir, segment ? segment : "");
	const char *paths[] = {corpus, broken};
	newsgrep_index_stats_t st1 = NEWSGREP_INDEX_STATS_INIT, st3 = NEWSGREP_INDEX_STATS_INIT;
	problems seen1 = {0}, seen3 = {0};
	newsgrep_index_options_t opts;
	newsgrep_index_options_init(&opts, NEWSGREP_INDEX_OPTIONS_VERSION);
	CHECK(opts.threads == 0);
	opts.on_problem = on_problem_anywhere;
	newsgrep_db_t *w = NULL;
	opts.threads = 1;
	opts.ctx = &seen1;
	CHECK(newsgrep_db_open(&w, one, NEWSGREP_DB_WRITE, NULL, NULL) == NEWSGREP_OK);
	CHECK(newsgrep_index_paths(w, paths, 2, &opts, &st1) == NEWSGREP_OK);
	newsgrep_db_close(w);
	opts.threads = 3;
	opts.ctx = &seen3;
	if (segment)
		setenv("NEWSGREP_TEST_SEGMENT_FILES", segment, 1);
	CHECK(newsgrep_db_open(&w, three, NEWSGREP_DB_WRITE, NULL, NULL) == NEWSGREP_OK);
	unsetenv("NEWSGREP_TEST_SEGMENT_FILES");
	CHECK(newsgrep_index_paths(w, paths, 2, &opts, &st3) == NEWSGREP_OK);
	CHECK(st3.added == st1.added && st3.skipped == st1.skipped &&
	      st3.warnings == st1.warnings && st1.added > 30);
	CHECK(seen3.skipped == seen1.skipped && seen3.warnings == seen1.warnings);
	CHECK(count(w) == st1.added);
	/* Still a writer, of the merged database. */
	CHECK(newsgrep_index_update(w, &opts, &st3) == NEWSGREP_OK && st3.unchanged == st1.added);
	newsgrep_db_close(w);

	newsgrep_db_t *r1 = NULL, *r3 = NULL;
	CHECK(newsgrep_db_open(&r1, one, NEWSGREP_DB_READ, NULL, NULL) == NEWSGREP_OK);
	CHECK(newsgrep_db_open(&r3, three, NEWSGREP_DB_READ, NULL, NULL) == NEWSGREP_OK);
	const char *queries[] = {"*", "power apps", "sanctions OR chips", "sanctoins"};
	for (size_t q = 0; q < sizeof(queries) / sizeof(queries[0]); q++) {
		newsgrep_hits_t *h1 = NULL, *h3 = NULL;
		newsgrep_search_options_t so;
		newsgrep_search_options_init(&so, NEWSGREP_SEARCH_OPTIONS_VERSION);
		so.limit = 100;
		CHECK(newsgrep_search(&h1, r1, queries[q], &so) == NEWSGREP_OK);
		CHECK(newsgrep_search(&h3, r3, queries[q], &so) == NEWSGREP_OK);
		const newsgrep_hit_t *a, *b;
		while (newsgrep_hits_next(h1, &a) == NEWSGREP_OK) {
			CHECK(newsgrep_hits_next(h3, &b) == NEWSGREP_OK &&
			      strcmp(a->path, b->path) == 0 && a->score == b->score);
		}
		CHECK(newsgrep_hits_next(h3, &b) == NEWSGREP_DONE);
		newsgrep_hits_free(h1);
		newsgrep_hits_free(h3);
		char *s1 = NULL, *s3 = NULL;
		CHECK(newsgrep_suggest(&s1, r1, queries[q], NULL) ==
		      newsgrep_suggest(&s3, r3, queries[q], NULL));
		CHECK((!s1 && !s3) || (s1 && s3 && strcmp(s1, s3) == 0));
		newsgrep_free(s1);
		newsgrep_free(s3);
	}
	newsgrep_db_close(r1);
	newsgrep_db_close(r3);

	/* Stopped half way by the callback: what was committed is merged in. */
	if (segment)
		setenv("NEWSGREP_TEST_SEGMENT_FILES", segment, 1);
	CHECK(newsgrep_db_open(&w, three, NEWSGREP_DB_REBUILD, NULL, NULL) == NEWSGREP_OK);
	unsetenv("NEWSGREP_TEST_SEGMENT_FILES");
	seen s = {.stop_after = 6};
	opts.on_progress = on_progress;
	opts.ctx = &s;
	opts.on_problem = NULL;
	opts.commit_docs = 3;
	CHECK(newsgrep_index_paths(w, paths, 1, &opts, &st3) == NEWSGREP_STOPPED);
	CHECK(st3.added >= 1 && st3.added < 30 && count(w) == st3.added);
	CHECK(newsgrep_db_swap_in(w) == NEWSGREP_OK);
	opts.on_progress = NULL;
	CHECK(newsgrep_index_update(w, &opts, &st3) == NEWSGREP_OK);
	CHECK(count(w) == 30);
	newsgrep_db_close(w);
}

/* The caller's stats are zeroed when an update starts and counted live:
 * its callbacks may read them. */
typedef struct live {
	const newsgrep_index_stats_t *st;
	uint64_t first_added, last_added;
	unsigned calls;
} live;

static int on_progress_live(void *ctx, const newsgrep_progress_t *p)
{
	live *l = ctx;
	if (l->calls++ == 0)
		l->first_added = l->st->added;
	l->last_added = l->st->added;
	CHECK(l->st->added == p->stats->added && l->st->unchanged == p->stats->unchanged);
	return 0;
}

static void test_live_stats(void)
{
	char path[400];
	snprintf(path, sizeof(path), "%s/live-db", dir);
	newsgrep_db_t *w = NULL;
	CHECK(newsgrep_db_open(&w, path, NEWSGREP_DB_WRITE, NULL, NULL) == NEWSGREP_OK);
	newsgrep_index_stats_t st = NEWSGREP_INDEX_STATS_INIT;
	st.added = 99;
	live l = {.st = &st};
	newsgrep_index_options_t opts = NEWSGREP_INDEX_OPTIONS_INIT;
	opts.on_progress = on_progress_live;
	opts.ctx = &l;
	const char *paths[] = {archive};
	CHECK(newsgrep_index_paths(w, paths, 1, &opts, &st) == NEWSGREP_OK);
	CHECK(l.calls > 1 && l.first_added == 0 && l.last_added >= 1);
	CHECK(st.added == count(w) && st.added >= l.last_added);
	newsgrep_db_close(w);
}

int main(void)
{
	src = getenv("NEWSGREP_SOURCE_DIR");
	if (!src) {
		fprintf(stderr, "test_update: set NEWSGREP_SOURCE_DIR\n");
		return 2;
	}
	char tmpl[] = "/tmp/newsgrep-test-update-XXXXXX";
	if (!mkdtemp(tmpl))
		return 2;
	snprintf(dir, sizeof(dir), "%s", tmpl);
	snprintf(dbpath, sizeof(dbpath), "%s/db", tmpl);
	snprintf(archive, sizeof(archive), "%s/archive", tmpl);
	sh("mkdir %s/archive", dir);
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "cp %s/corpus/seeds/*.txt '%%s'", src);
	sh(cmd, archive);
	test_roots_and_revisions();
	test_live_stats();
	test_stop();
	test_rebuild();
	test_compact();
	test_reader_outlives_commits();
	test_problems();
	test_threads(NULL);
	test_threads("4");
	sh("rm -rf '%s'", tmpl);
	if (failures) {
		fprintf(stderr, "test_update: %d failures\n", failures);
		return 1;
	}
	puts("test_update: all passed");
	return 0;
}
