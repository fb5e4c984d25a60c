/*
 * test_index_shard.c - an archive split among indexes (newsgrep_index_options_t
 * shard_index and shard_count, version 2; newsgrep_db_shard): each article
 * in exactly one shard, the shard recorded and kept, a run for another
 * refused until a rebuild, a caller of version 1 taken for the whole
 * archive, and the same shard written by one thread or several.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "newsgrep.h"

static char dir[256], corpus[600];

/* dir/name into a static buffer of its own (up to 4 at once). */
static const char *at(const char *name)
{
	static char buf[4][300];
	static int next;
	char *out = buf[next++ % 4];
	snprintf(out, sizeof(buf[0]), "%s/%s", dir, name);
	return out;
}

static newsgrep_index_options_t shard_opts(uint64_t index, uint64_t count)
{
	newsgrep_index_options_t o;
	newsgrep_index_options_init(&o, NEWSGREP_INDEX_OPTIONS_VERSION);
	o.shard_index = index;
	o.shard_count = count;
	return o;
}

/* Indexes corpus/ into `db` as shard index/count (threads: o.threads);
 * the status of the call. */
static newsgrep_status_t index_shard(const char *db, uint64_t index, uint64_t count,
                                     uint32_t threads, newsgrep_index_stats_t *stats)
{
	newsgrep_db_t *w = NULL;
	if (newsgrep_db_open(&w, db, NEWSGREP_DB_WRITE, NULL, NULL) != NEWSGREP_OK)
		return NEWSGREP_IO;
	newsgrep_index_options_t o = shard_opts(index, count);
	o.threads = threads;
	const char *paths[] = {corpus};
	newsgrep_status_t st = newsgrep_index_paths(w, paths, 1, &o, stats);
	newsgrep_db_close(w);
	return st;
}

/* The articles of `db` (not collapsed), or UINT64_MAX. */
static uint64_t articles(const char *db)
{
	newsgrep_db_t *r = NULL;
	uint64_t n = UINT64_MAX;
	if (newsgrep_db_open(&r, db, NEWSGREP_DB_READ, NULL, NULL) == NEWSGREP_OK)
		newsgrep_db_count(r, &n);
	newsgrep_db_close(r);
	return n;
}

/* The shard `db` records, as "K/N" ("0/0": the whole archive). */
static const char *shard_of(const char *db)
{
	static char out[32];
	newsgrep_db_t *r = NULL;
	uint64_t index = 99, count = 99;
	snprintf(out, sizeof(out), "unreadable");
	if (newsgrep_db_open(&r, db, NEWSGREP_DB_READ, NULL, NULL) == NEWSGREP_OK &&
	    newsgrep_db_shard(r, &index, &count) == NEWSGREP_OK)
		snprintf(out, sizeof(out), "%u/%u", (unsigned)index, (unsigned)count);
	newsgrep_db_close(r);
	return out;
}

static void test_split(void)
{
	uint64_t whole = articles(at("all"));
	CHECK(whole == 30);
	uint64_t sum = 0;
	for (uint32_t k = 1; k <= 3; k++) {
		char name[16];
		snprintf(name, sizeof(name), "s%u", (unsigned)k);
		newsgrep_index_stats_t stats = NEWSGREP_INDEX_STATS_INIT;
		CHECK(index_shard(at(name), k, 3, 0, &stats) == NEWSGREP_OK);
		uint64_t n = articles(at(name));
		CHECK(n == stats.added && n > 0 && n < whole);
		sum += n;
		char want[16];
		snprintf(want, sizeof(want), "%u/3", (unsigned)k);
		STR_IS(shard_of(at(name)), want);
		/* Nothing changed: nothing added or deleted, none read. */
		stats = (newsgrep_index_stats_t)NEWSGREP_INDEX_STATS_INIT;
		CHECK(index_shard(at(name), k, 3, 0, &stats) == NEWSGREP_OK);
		CHECK(stats.added == 0 && stats.updated == 0 && stats.deleted == 0 &&
		      stats.unchanged == n);
		/* Written on threads (segments merged): the same articles. */
		snprintf(name, sizeof(name), "t%u", (unsigned)k);
		CHECK(index_shard(at(name), k, 3, 2, NULL) == NEWSGREP_OK);
		CHECK(articles(at(name)) == n);
		STR_IS(shard_of(at(name)), want);
	}
	CHECK(sum == whole);
	STR_IS(shard_of(at("all")), "0/0");
}

static void test_refused(void)
{
	/* No shard: refused before anything is written. */
	/* (A number past NEWSGREP_SHARD_MAX is not cut to 32 bits: 2^32 + 3 is no 3.) */
	const uint64_t bad[][2] = {{0, 3},
	                           {4, 3},
	                           {1, 0},
	                           {1025, 1025},
	                           {1, NEWSGREP_SHARD_MAX + 1},
	                           {1, (1ull << 32) + 3},
	                           {(1ull << 32) + 1, 3}};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK(index_shard(at("bad"), bad[i][0], bad[i][1], 0, NULL) ==
		      NEWSGREP_INVALID_ARG);
		CHECK(articles(at("bad")) == 0);
	}

	/* Another shard, or none, on a shard: refused, saying how to change. */
	newsgrep_db_t *w = NULL;
	CHECK(newsgrep_db_open(&w, at("s1"), NEWSGREP_DB_WRITE, NULL, NULL) == NEWSGREP_OK);
	newsgrep_index_options_t o = shard_opts(2, 3);
	CHECK(newsgrep_index_update(w, &o, NULL) == NEWSGREP_INVALID_ARG);
	CHECK(strstr(newsgrep_db_errmsg(w), "holds shard 1/3 of an archive, not shard 2/3") &&
	      strstr(newsgrep_db_errmsg(w), "--rebuild --shard 2/3"));
	CHECK(newsgrep_index_update(w, NULL, NULL) == NEWSGREP_INVALID_ARG);
	CHECK(strstr(newsgrep_db_errmsg(w), "not the whole archive") &&
	      strstr(newsgrep_db_errmsg(w), "--rebuild --shard 1/1"));
	/* 1/1 is the whole archive. */
	o = shard_opts(1, 1);
	CHECK(newsgrep_index_update(w, &o, NULL) == NEWSGREP_INVALID_ARG);
	/* Its own: fine. */
	o = shard_opts(1, 3);
	CHECK(newsgrep_index_update(w, &o, NULL) == NEWSGREP_OK);
	/* A REBUILD handle's shard is its new index's: not yet written. */
	newsgrep_db_close(w);

	/* A whole index refuses a shard; 1/1 is the whole archive. */
	CHECK(newsgrep_db_open(&w, at("all"), NEWSGREP_DB_WRITE, NULL, NULL) == NEWSGREP_OK);
	o = shard_opts(1, 3);
	CHECK(newsgrep_index_update(w, &o, NULL) == NEWSGREP_INVALID_ARG);
	CHECK(strstr(newsgrep_db_errmsg(w), "holds the whole archive, not shard 1/3"));
	o = shard_opts(1, 1);
	CHECK(newsgrep_index_update(w, &o, NULL) == NEWSGREP_OK);
	newsgrep_db_close(w);
	CHECK(articles(at("all")) == 30);
	STR_IS(shard_of(at("s1")), "1/3");
}

/* A caller of version 1 knows no shard: the whole archive, whatever lies
 * beyond its struct. */
static void test_version_1(void)
{
	size_t v1 = offsetof(newsgrep_index_options_t, shard_index);
	unsigned char *mem = malloc(sizeof(newsgrep_index_options_t));
	newsgrep_index_options_t o = shard_opts(0, 0);
	o.version = 1;
	memset(mem, 0xA5, sizeof(newsgrep_index_options_t)); /* not a shard */
	memcpy(mem, &o, v1);
	newsgrep_db_t *w = NULL;
	CHECK(newsgrep_db_open(&w, at("s2"), NEWSGREP_DB_WRITE, NULL, NULL) == NEWSGREP_OK);
	CHECK(newsgrep_index_update(w, (const newsgrep_index_options_t *)(void *)mem, NULL) ==
	      NEWSGREP_INVALID_ARG);
	CHECK(strstr(newsgrep_db_errmsg(w), "not the whole archive"));
	newsgrep_db_close(w);
	CHECK(newsgrep_db_open(&w, at("v1"), NEWSGREP_DB_WRITE, NULL, NULL) == NEWSGREP_OK);
	const char *paths[] = {corpus};
	CHECK(newsgrep_index_paths(w, paths, 1, (const newsgrep_index_options_t *)(void *)mem,
	                           NULL) == NEWSGREP_OK);
	newsgrep_db_close(w);
	CHECK(articles(at("v1")) == 30);
	STR_IS(shard_of(at("v1")), "0/0");
	free(mem);
}

static void test_rebuild(void)
{
	/* A rebuild takes the shard it is given. */
	newsgrep_db_t *w = NULL;
	CHECK(newsgrep_db_open(&w, at("t1"), NEWSGREP_DB_REBUILD, NULL, NULL) == NEWSGREP_OK);
	newsgrep_index_options_t o = shard_opts(3, 3);
	const char *paths[] = {corpus};
	CHECK(newsgrep_index_paths(w, paths, 1, &o, NULL) == NEWSGREP_OK);
	uint64_t index = 0, count = 0;
	CHECK(newsgrep_db_shard(w, &index, &count) == NEWSGREP_OK && index == 3 && count == 3);
	STR_IS(shard_of(at("t1")), "1/3"); /* until it is swapped in */
	CHECK(newsgrep_db_swap_in(w) == NEWSGREP_OK);
	newsgrep_db_close(w);
	STR_IS(shard_of(at("t1")), "3/3");
	CHECK(articles(at("t1")) == articles(at("s3")));
	/* ... and the whole archive, when given none. */
	CHECK(newsgrep_db_open(&w, at("t1"), NEWSGREP_DB_REBUILD, NULL, NULL) == NEWSGREP_OK);
	CHECK(newsgrep_index_paths(w, paths, 1, NULL, NULL) == NEWSGREP_OK);
	CHECK(newsgrep_db_swap_in(w) == NEWSGREP_OK);
	newsgrep_db_close(w);
	STR_IS(shard_of(at("t1")), "0/0");
	CHECK(articles(at("t1")) == 30);

	/* Forgetting a folder needs no shard. */
	CHECK(newsgrep_db_open(&w, at("s3"), NEWSGREP_DB_WRITE, NULL, NULL) == NEWSGREP_OK);
	CHECK(newsgrep_index_forget(w, corpus, NULL, NULL) == NEWSGREP_OK);
	newsgrep_db_close(w);
	CHECK(articles(at("s3")) == 0);
	STR_IS(shard_of(at("s3")), "3/3");
}

static void test_getter(void)
{
	uint64_t index, count;
	CHECK(newsgrep_db_shard(NULL, &index, &count) == NEWSGREP_INVALID_ARG);
	newsgrep_db_t *set = NULL;
	const char *members[] = {at("s1"), at("s2")};
	CHECK(newsgrep_db_open_set(&set, members, 2, NULL, NULL) == NEWSGREP_OK);
	CHECK(newsgrep_db_shard(set, &index, &count) == NEWSGREP_INVALID_ARG);
	CHECK(strstr(newsgrep_db_errmsg(set), "ask each index"));
	CHECK(newsgrep_db_shard(set, NULL, &count) == NEWSGREP_INVALID_ARG);
	newsgrep_db_close(set);
}

int main(void)
{
	const char *src = getenv("NEWSGREP_SOURCE_DIR");
	if (!src) {
		fprintf(stderr, "test_index_shard: set NEWSGREP_SOURCE_DIR\n");
		return 2;
	}
	char tmpl[] = "/tmp/newsgrep-test-index-shard-XXXXXX";
	if (!mkdtemp(tmpl))
		return 2;
	snprintf(dir, sizeof(dir), "%s", tmpl);
	snprintf(corpus, sizeof(corpus), "%s/corpus", src);
	if (index_shard(at("all"), 0, 0, 0, NULL) != NEWSGREP_OK)
		return 2;

	test_split();
	test_refused();
	test_version_1();
	test_rebuild();
	test_getter();

	char cmd[400];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		failures++;
	if (failures) {
		fprintf(stderr, "test_index_shard: %d failures\n", failures);
		return 1;
	}
	puts("test_index_shard: all passed");
	return 0;
}
