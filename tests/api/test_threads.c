/*
 * test_threads.c - the threading contract of newsgrep.h: one handle per
 * thread, any number of readers at once beside one writer.  Four threads
 * search through handles of their own while a fifth keeps committing
 * changes to articles none of the queries match; every search must give
 * exactly the answer it gives when nothing else runs.  A search that meets
 * NEWSGREP_INDEX_CHANGED is retried, as the header says to.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "newsgrep.h"

#define READERS 4
#define ROUNDS 8
#define WRITES 12

static char dbpath[512], extra[512];
static const char *queries[] = {"sanctions GPU",  "chips OR gpu",
                                "\"power apps\"", "date:2020..2030",
                                "title:copilot",  "provider:techcrunch date:2023"};
#define NQUERIES (sizeof(queries) / sizeof(queries[0]))
static char *expected[NQUERIES];

/* The ranks and paths of a query's hits, one per line; NULL on failure.
 * Sets *changed when the index changed under the reader. */
static char *answer(newsgrep_db_t *db, const char *query, int *changed)
{
	newsgrep_search_options_t o;
	newsgrep_search_options_init(&o, NEWSGREP_SEARCH_OPTIONS_VERSION);
	o.limit = 50;
	newsgrep_hits_t *hits = NULL;
	newsgrep_status_t st = newsgrep_search(&hits, db, query, &o);
	if (st != NEWSGREP_OK) {
		*changed = st == NEWSGREP_INDEX_CHANGED;
		if (!*changed)
			fprintf(stderr, "search '%s': %s\n", query, newsgrep_db_errmsg(db));
		return NULL;
	}
	size_t cap = 64 * 1024, len = 0;
	char *out = calloc(1, cap);
	const newsgrep_hit_t *hit;
	while (out && len < cap && (st = newsgrep_hits_next(hits, &hit)) == NEWSGREP_OK)
		len += (size_t)snprintf(out + len, cap - len, "%lu %s %s\n", hit->rank, hit->path,
		                        hit->snippet);
	if (st != NEWSGREP_DONE) {
		*changed = st == NEWSGREP_INDEX_CHANGED;
		if (!*changed)
			fprintf(stderr, "next '%s': %s\n", query, newsgrep_hits_errmsg(hits));
		free(out);
		out = NULL;
	}
	newsgrep_hits_free(hits);
	return out;
}

static char *answer_retrying(newsgrep_db_t *db, const char *query)
{
	for (int attempt = 0; attempt < 100; attempt++) {
		int changed = 0;
		char *a = answer(db, query, &changed);
		if (a || !changed)
			return a;
	}
	return NULL;
}

static void *reader(void *arg)
{
	(void)arg;
	newsgrep_db_t *db = NULL;
	char *msg = NULL;
	if (newsgrep_db_open(&db, dbpath, NEWSGREP_DB_READ, NULL, &msg) != NEWSGREP_OK) {
		fprintf(stderr, "test_threads: %s\n", msg);
		newsgrep_free(msg);
		return "cannot open";
	}
	const char *wrong = NULL;
	for (int round = 0; round < ROUNDS && !wrong; round++) {
		for (size_t q = 0; q < NQUERIES && !wrong; q++) {
			char *a = answer_retrying(db, queries[q]);
			if (!a || strcmp(a, expected[q]) != 0) {
				wrong = queries[q];
				fprintf(stderr, "got:\n%s\nexpected:\n%s\n", a ? a : "(failed)",
				        expected[q]);
			}
			free(a);
		}
	}
	newsgrep_db_close(db);
	return (void *)wrong;
}

static void *writer(void *arg)
{
	(void)arg;
	newsgrep_db_t *db = NULL;
	if (newsgrep_db_open(&db, dbpath, NEWSGREP_DB_WRITE, NULL, NULL) != NEWSGREP_OK)
		return "cannot open";
	const char *paths[] = {extra};
	const char *wrong = NULL;
	char file[600];
	snprintf(file, sizeof(file), "%s/zz.md", extra);
	for (int i = 0; i < WRITES && !wrong; i++) {
		FILE *f = fopen(file, "w");
		if (!f)
			return "cannot write";
		fprintf(f, "---\ntitle: Quokka census number %d\nexcerpt: Wombats counted.\n---\n",
		        i);
		fclose(f);
		newsgrep_index_stats_t st = NEWSGREP_INDEX_STATS_INIT;
		if (newsgrep_index_paths(db, paths, 1, NULL, &st) != NEWSGREP_OK ||
		    st.added + st.updated != 1)
			wrong = "update failed";
	}
	newsgrep_db_close(db);
	return (void *)wrong;
}

int main(void)
{
	const char *src = getenv("NEWSGREP_SOURCE_DIR");
	if (!src) {
		fprintf(stderr, "test_threads: set NEWSGREP_SOURCE_DIR\n");
		return 2;
	}
	char tmpl[] = "/tmp/newsgrep-test-threads-XXXXXX";
	if (!mkdtemp(tmpl))
		return 2;
	snprintf(dbpath, sizeof(dbpath), "%s/db", tmpl);
	snprintf(extra, sizeof(extra), "%s/extra", tmpl);
	char corpus[600];
	snprintf(corpus, sizeof(corpus), "%s/corpus", src);
	newsgrep_db_t *db = NULL;
	const char *paths[] = {corpus};
	if (mkdir(extra, 0700) != 0 ||
	    newsgrep_db_open(&db, dbpath, NEWSGREP_DB_WRITE, NULL, NULL) != NEWSGREP_OK ||
	    newsgrep_index_paths(db, paths, 1, NULL, NULL) != NEWSGREP_OK) {
		fprintf(stderr, "test_threads: cannot index %s\n", corpus);
		return 2;
	}
	newsgrep_db_close(db);

	/* The answers with nothing else running. */
	CHECK(newsgrep_db_open(&db, dbpath, NEWSGREP_DB_READ, NULL, NULL) == NEWSGREP_OK);
	for (size_t q = 0; q < NQUERIES; q++) {
		expected[q] = answer_retrying(db, queries[q]);
		CHECK(expected[q] && strchr(expected[q], '\n'));
	}
	newsgrep_db_close(db);

	pthread_t readers[READERS], w;
	CHECK(pthread_create(&w, NULL, writer, NULL) == 0);
	for (int i = 0; i < READERS; i++)
		CHECK(pthread_create(&readers[i], NULL, reader, NULL) == 0);
	for (int i = 0; i < READERS; i++) {
		void *wrong = NULL;
		pthread_join(readers[i], &wrong);
		if (wrong)
			fprintf(stderr, "test_threads: reader %d: wrong answer to '%s'\n", i,
			        (const char *)wrong);
		CHECK(wrong == NULL);
	}
	void *wrong = NULL;
	pthread_join(w, &wrong);
	if (wrong)
		fprintf(stderr, "test_threads: writer: %s\n", (const char *)wrong);
	CHECK(wrong == NULL);

	/* The writer's work is all there. */
	CHECK(newsgrep_db_open(&db, dbpath, NEWSGREP_DB_READ, NULL, NULL) == NEWSGREP_OK);
	newsgrep_hits_t *hits = NULL;
	const newsgrep_hit_t *hit;
	CHECK(newsgrep_search(&hits, db, "quokka", NULL) == NEWSGREP_OK);
	CHECK(newsgrep_hits_next(hits, &hit) == NEWSGREP_OK &&
	      strstr(hit->title, "number 11") != NULL);
	newsgrep_hits_free(hits);
	newsgrep_db_close(db);

	for (size_t q = 0; q < NQUERIES; q++)
		free(expected[q]);
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpl);
	if (system(cmd) != 0)
		failures++;
	if (failures)
		fprintf(stderr, "test_threads: %d check(s) failed\n", failures);
	return failures ? 1 : 0;
}
