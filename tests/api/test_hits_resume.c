/*
 * test_hits_resume.c - hits that survive commits: a reader walks the hits
 * of one search while a writer commits changes to every article, several
 * times, between its reads.  Xapian lets a writer reuse the blocks of a
 * revision two commits old, so the reader's revision is gone under it;
 * newsgrep_hits_next must go on by itself in the index as it is now (no
 * NEWSGREP_INDEX_CHANGED for the caller), give every article once and no
 * article twice, though the changes reorder the hits.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"
#include "newsgrep.h"

#define ARTICLES 120

static char dir[256], dbpath[300], archive[300];

/* Writes every article, the word "common" in it a number of times that
 * depends on `round`, so that its relevance, and the order, change. */
static void write_articles(int round)
{
	for (int i = 0; i < ARTICLES; i++) {
		char path[400];
		snprintf(path, sizeof(path), "%s/a%03d.md", archive, i);
		FILE *f = fopen(path, "w");
		if (!f) {
			fprintf(stderr, "test_hits_resume: cannot write '%s'\n", path);
			exit(2);
		}
		fprintf(f,
		        "---\ntitle: \"Article %d of round %d\"\n"
		        "publishedDateTime: 2023-01-01T00:%02d:%02dZ\n"
		        "originalUrl: \"https://example.com/%d\"\nexcerpt: \"",
		        i, round, i / 60, i % 60, i);
		int times = (i * 7 + round * 13) % 17 + 1;
		for (int k = 0; k < times; k++)
			fputs("common ", f);
		/* Enough text that the stored records span many blocks. */
		for (int k = 0; k < 30; k++)
			fprintf(f, "filler%d words of round %d ", (i + k) % 97, round);
		fputs("\"\n---\n", f);
		fclose(f);
	}
}

/* Rewrites every article and commits, `commits` times. */
static void churn(newsgrep_db_t *w, int *round, int commits)
{
	for (int c = 0; c < commits; c++) {
		write_articles(++*round);
		newsgrep_index_stats_t st = NEWSGREP_INDEX_STATS_INIT;
		CHECK(newsgrep_index_update(w, NULL, &st) == NEWSGREP_OK);
		CHECK(newsgrep_db_commit(w) == NEWSGREP_OK);
	}
}

static int by_string(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_resume(int sort)
{
	int round = 0;
	newsgrep_db_t *w = NULL, *r = NULL;
	CHECK(newsgrep_db_open(&w, dbpath, NEWSGREP_DB_WRITE, NULL, NULL) == NEWSGREP_OK);
	write_articles(round);
	const char *paths[] = {archive};
	CHECK(newsgrep_index_paths(w, paths, 1, NULL, NULL) == NEWSGREP_OK);
	CHECK(newsgrep_db_open(&r, dbpath, NEWSGREP_DB_READ, NULL, NULL) == NEWSGREP_OK);

	newsgrep_search_options_t o;
	newsgrep_search_options_init(&o, NEWSGREP_SEARCH_OPTIONS_VERSION);
	o.limit = 100000;
	o.sort = (newsgrep_sort_t)sort;
	newsgrep_hits_t *hits = NULL;
	CHECK(newsgrep_search(&hits, r, "common", &o) == NEWSGREP_OK);
	char *got[ARTICLES + 1];
	size_t n = 0;
	const newsgrep_hit_t *hit;
	newsgrep_status_t st;
	while ((st = newsgrep_hits_next(hits, &hit)) == NEWSGREP_OK && n <= ARTICLES) {
		CHECK(hit->rank == n + 1);
		got[n++] = strdup(hit->path);
		/* Three commits that change every article, now and then. */
		if (n == 1 || n == 40 || n == 41 || n == 80)
			churn(w, &round, 3);
	}
	CHECK(st == NEWSGREP_DONE);
	if (st != NEWSGREP_DONE)
		fprintf(stderr, "test_hits_resume: after %zu hits: %s: %s\n", n,
		        newsgrep_status_string(st), newsgrep_hits_errmsg(hits));
	CHECK(n == ARTICLES);
	qsort(got, n, sizeof(*got), by_string);
	for (size_t i = 1; i < n; i++)
		CHECK(strcmp(got[i - 1], got[i]) != 0);
	for (size_t i = 0; i < n; i++)
		free(got[i]);
	newsgrep_hits_free(hits);
	newsgrep_db_close(r);
	newsgrep_db_close(w);
}

int main(void)
{
	char tmpl[] = "/tmp/newsgrep-test-hits-resume-XXXXXX";
	if (!mkdtemp(tmpl))
		return 2;
	snprintf(dir, sizeof(dir), "%s", tmpl);
	snprintf(dbpath, sizeof(dbpath), "%s/db", dir);
	snprintf(archive, sizeof(archive), "%s/archive", dir);
	if (mkdir(archive, 0777) != 0)
		return 2;
	test_resume(NEWSGREP_SORT_RELEVANCE);
	test_resume(NEWSGREP_SORT_NEWEST);

	char cmd[400];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		failures++;
	if (failures) {
		fprintf(stderr, "test_hits_resume: %d failures\n", failures);
		return 1;
	}
	puts("test_hits_resume: all passed");
	return 0;
}
