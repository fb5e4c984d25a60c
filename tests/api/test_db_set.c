/*
 * test_db_set.c - several indexes searched as one (newsgrep_db_open_set):
 * one path is newsgrep_db_open; two count and rank as one index of their
 * articles, duplicates collapsed across them; a bad member is named; a
 * member rebuilt under a long-lived set is followed; hits survive commits.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "check.h"
#include "newsgrep.h"

static char dir[256], adb[300], bdb[300], alldb[300], cdb[300], archive[300];
static char ai[600], powerapps[600], seeds[600], corpus[600], dup[700];

/* Indexes `paths` into a new index at `db`; exits when it cannot. */
static void make_index(const char *db, const char *const *paths, size_t n)
{
	newsgrep_db_t *w = NULL;
	if (newsgrep_db_open(&w, db, NEWSGREP_DB_WRITE, NULL, NULL) != NEWSGREP_OK ||
	    newsgrep_index_paths(w, paths, n, NULL, NULL) != NEWSGREP_OK) {
		fprintf(stderr, "test_db_set: cannot index into %s: %s\n", db,
		        newsgrep_db_errmsg(w));
		exit(2);
	}
	newsgrep_db_close(w);
}

/* The exact number of articles `query` finds, duplicates collapsed. */
static uint64_t count(newsgrep_db_t *db, const char *query)
{
	newsgrep_search_options_t o;
	newsgrep_search_options_init(&o, NEWSGREP_SEARCH_OPTIONS_VERSION);
	o.exact_count = 1;
	o.limit = 0;
	newsgrep_hits_t *hits = NULL;
	uint64_t n = UINT64_MAX;
	CHECK(newsgrep_search(&hits, db, query, &o) == NEWSGREP_OK);
	if (hits && newsgrep_hits_estimate_is_exact(hits))
		n = newsgrep_hits_estimate(hits);
	newsgrep_hits_free(hits);
	return n;
}

/* The paths of the first `limit` hits of `query`, joined by newlines. */
static char *top(newsgrep_db_t *db, const char *query, newsgrep_sort_t sort, unsigned long limit)
{
	newsgrep_search_options_t o;
	newsgrep_search_options_init(&o, NEWSGREP_SEARCH_OPTIONS_VERSION);
	o.limit = limit;
	o.sort = sort;
	newsgrep_hits_t *hits = NULL;
	size_t cap = 1 << 16, len = 0;
	char *out = calloc(cap, 1);
	CHECK(newsgrep_search(&hits, db, query, &o) == NEWSGREP_OK);
	const newsgrep_hit_t *hit;
	while (hits && out && newsgrep_hits_next(hits, &hit) == NEWSGREP_OK)
		len += (size_t)snprintf(out + len, cap - len, "%s\n", hit->path);
	newsgrep_hits_free(hits);
	return out;
}

static void test_one_is_open(void)
{
	newsgrep_db_t *set = NULL, *one = NULL;
	const char *paths[] = {alldb};
	CHECK(newsgrep_db_open_set(&set, paths, 1, NULL, NULL) == NEWSGREP_OK);
	CHECK(newsgrep_db_open(&one, alldb, NEWSGREP_DB_READ, NULL, NULL) == NEWSGREP_OK);
	uint64_t a = 0, b = 1, ra = 0, rb = 1;
	CHECK(newsgrep_db_count(set, &a) == NEWSGREP_OK &&
	      newsgrep_db_count(one, &b) == NEWSGREP_OK);
	CHECK(a == 30 && a == b);
	/* One index has its one revision, as an open one does. */
	CHECK(newsgrep_db_revision(set, &ra) == NEWSGREP_OK &&
	      newsgrep_db_revision(one, &rb) == NEWSGREP_OK && ra == rb);
	char *x = top(set, "chips OR ai", NEWSGREP_SORT_AUTO, 30);
	char *y = top(one, "chips OR ai", NEWSGREP_SORT_AUTO, 30);
	CHECK(x && y && *x && strcmp(x, y) == 0);
	free(x);
	free(y);
	newsgrep_db_close(set);
	newsgrep_db_close(one);
	/* A missing index: the message newsgrep_db_open gives. */
	char *msg = NULL;
	paths[0] = cdb;
	CHECK(newsgrep_db_open_set(&set, paths, 1, NULL, &msg) == NEWSGREP_NO_INDEX);
	CHECK(set == NULL && msg && strstr(msg, "no index at") && strstr(msg, cdb));
	newsgrep_free(msg);
	/* An invalid path: as newsgrep_db_open says. */
	char *msg2 = NULL;
	paths[0] = "";
	CHECK(newsgrep_db_open_set(&set, paths, 1, NULL, &msg) == NEWSGREP_INVALID_ARG);
	CHECK(newsgrep_db_open(&one, "", NEWSGREP_DB_READ, NULL, &msg2) == NEWSGREP_INVALID_ARG);
	CHECK(msg && msg2 && strcmp(msg, msg2) == 0);
	newsgrep_free(msg);
	newsgrep_free(msg2);
}

static void test_two_as_one(void)
{
	newsgrep_db_t *set = NULL, *all = NULL;
	const char *paths[] = {adb, bdb};
	CHECK(newsgrep_db_open_set(&set, paths, 2, NULL, NULL) == NEWSGREP_OK);
	CHECK(newsgrep_db_open(&all, alldb, NEWSGREP_DB_READ, NULL, NULL) == NEWSGREP_OK);
	/* 14 + 17 articles; the file in both members and the corpus's own
	 * pair of one URL (one of them in each member) are one article. */
	uint64_t n = 0;
	CHECK(newsgrep_db_count(set, &n) == NEWSGREP_OK && n == 31);
	CHECK(count(set, "*") == 29 && count(all, "*") == 29);
	CHECK(count(set, "ai") == count(all, "ai"));
	CHECK(count(set, "dataverse") == count(all, "dataverse"));
	const char *queries[] = {"nvidia", "power apps", "chips", "*"};
	for (size_t i = 0; i < sizeof(queries) / sizeof(*queries); i++) {
		char *x = top(set, queries[i], NEWSGREP_SORT_NEWEST, 10);
		char *y = top(all, queries[i], NEWSGREP_SORT_NEWEST, 10);
		CHECK(x && y && *x && strcmp(x, y) == 0);
		if (x && y && strcmp(x, y) != 0)
			fprintf(stderr, "%s:\n%s---\n%s", queries[i], x, y);
		free(x);
		free(y);
	}
	/* The roots of both members. */
	char **roots = NULL;
	size_t nroots = 0;
	CHECK(newsgrep_db_roots(set, &roots, &nroots) == NEWSGREP_OK && nroots == 4);
	newsgrep_roots_free(roots, nroots);
	/* No one revision, no check: each index by itself. */
	CHECK(newsgrep_db_revision(set, &n) == NEWSGREP_INVALID_ARG);
	CHECK(strstr(newsgrep_db_errmsg(set), "set of indexes"));
	CHECK(newsgrep_db_check(set, NULL, NULL, NULL) == NEWSGREP_INVALID_ARG);
	const char *one[] = {dup};
	CHECK(newsgrep_index_paths(set, one, 1, NULL, NULL) == NEWSGREP_INVALID_ARG);
	newsgrep_db_close(set);
	newsgrep_db_close(all);
}

static void test_bad_members(void)
{
	newsgrep_db_t *set = (newsgrep_db_t *)1;
	char *msg = NULL;
	const char *missing[] = {adb, cdb};
	CHECK(newsgrep_db_open_set(&set, missing, 2, NULL, &msg) == NEWSGREP_NO_INDEX);
	CHECK(set == NULL && msg && strstr(msg, cdb));
	newsgrep_free(msg);
	const char *file[] = {adb, ai};
	CHECK(newsgrep_db_open_set(&set, file, 2, NULL, &msg) == NEWSGREP_NO_INDEX);
	CHECK(msg && strstr(msg, ai));
	newsgrep_free(msg);
	const char *twice[] = {adb, bdb, adb};
	CHECK(newsgrep_db_open_set(&set, twice, 3, NULL, &msg) == NEWSGREP_INVALID_ARG);
	CHECK(msg && strstr(msg, "same index"));
	newsgrep_free(msg);
	const char *empty[] = {adb, ""};
	CHECK(newsgrep_db_open_set(&set, empty, 2, NULL, NULL) == NEWSGREP_INVALID_ARG);
	CHECK(newsgrep_db_open_set(&set, empty, 0, NULL, NULL) == NEWSGREP_INVALID_ARG);
	CHECK(newsgrep_db_open_set(&set, NULL, 2, NULL, NULL) == NEWSGREP_INVALID_ARG);
	CHECK(newsgrep_db_open_set(NULL, empty, 1, NULL, NULL) == NEWSGREP_INVALID_ARG);
	newsgrep_open_options_t bad = NEWSGREP_OPEN_OPTIONS_INIT;
	bad.version = 999;
	const char *two[] = {adb, bdb};
	CHECK(newsgrep_db_open_set(&set, two, 2, &bad, NULL) == NEWSGREP_INVALID_ARG);
}

/* A member rebuilt (another database swapped in) under a set that stays
 * open: the set follows it. */
static void test_member_rebuilt(void)
{
	newsgrep_db_t *set = NULL, *w = NULL;
	make_index(cdb, (const char *const[]){seeds}, 1);
	const char *paths[] = {adb, cdb};
	CHECK(newsgrep_db_open_set(&set, paths, 2, NULL, NULL) == NEWSGREP_OK);
	CHECK(count(set, "*") == 14 + 5);
	CHECK(newsgrep_db_open(&w, cdb, NEWSGREP_DB_REBUILD, NULL, NULL) == NEWSGREP_OK);
	CHECK(newsgrep_index_paths(w, (const char *const[]){powerapps}, 1, NULL, NULL) ==
	      NEWSGREP_OK);
	CHECK(newsgrep_db_swap_in(w) == NEWSGREP_OK);
	newsgrep_db_close(w);
	/* The file in both and the pair of one URL collapse. */
	CHECK(count(set, "*") == 14 + 12 - 2);
	char *x = top(set, "dataverse", NEWSGREP_SORT_NEWEST, 10);
	CHECK(x && strstr(x, "/powerapps/"));
	free(x);
	newsgrep_db_close(set);
}

#define ARTICLES 60

static void write_articles(int round)
{
	for (int i = 0; i < ARTICLES; i++) {
		char path[400];
		snprintf(path, sizeof(path), "%s/a%03d.md", archive, i);
		FILE *f = fopen(path, "w");
		if (!f)
			exit(2);
		fprintf(f,
		        "---\ntitle: \"Article %d of round %d\"\n"
		        "publishedDateTime: 2023-01-01T00:%02d:%02dZ\n"
		        "originalUrl: \"https://example.com/%d\"\nexcerpt: \"",
		        i, round, i / 60, i % 60, i);
		for (int k = 0; k < (i * 7 + round * 13) % 17 + 1; k++)
			fputs("common ", f);
		for (int k = 0; k < 30; k++)
			fprintf(f, "filler%d words of round %d ", (i + k) % 97, round);
		fputs("\"\n---\n", f);
		fclose(f);
	}
}

/* Hits of a set go on when commits to a member take their revision away,
 * giving each article once. */
static void test_resume(void)
{
	char churned[400];
	snprintf(churned, sizeof(churned), "%s/churned", dir);
	int round = 0;
	write_articles(round);
	newsgrep_db_t *w = NULL, *set = NULL;
	CHECK(newsgrep_db_open(&w, churned, NEWSGREP_DB_WRITE, NULL, NULL) == NEWSGREP_OK);
	CHECK(newsgrep_index_paths(w, (const char *const[]){archive}, 1, NULL, NULL) ==
	      NEWSGREP_OK);
	const char *paths[] = {churned, adb};
	CHECK(newsgrep_db_open_set(&set, paths, 2, NULL, NULL) == NEWSGREP_OK);
	newsgrep_search_options_t o;
	newsgrep_search_options_init(&o, NEWSGREP_SEARCH_OPTIONS_VERSION);
	o.limit = 1000;
	newsgrep_hits_t *hits = NULL;
	CHECK(newsgrep_search(&hits, set, "common OR chip", &o) == NEWSGREP_OK);
	newsgrep_db_close(set); /* the hits outlive the handle */
	const newsgrep_hit_t *hit;
	newsgrep_status_t st;
	size_t n = 0, fromcorpus = 0;
	char *seen[ARTICLES + 40];
	while (n < ARTICLES + 40 && (st = newsgrep_hits_next(hits, &hit)) == NEWSGREP_OK) {
		seen[n++] = strdup(hit->path);
		fromcorpus += strstr(hit->path, "/corpus/") != NULL;
		if (n == 1 || n == 20) {
			for (int c = 0; c < 3; c++) {
				write_articles(++round);
				CHECK(newsgrep_index_update(w, NULL, NULL) == NEWSGREP_OK);
				CHECK(newsgrep_db_commit(w) == NEWSGREP_OK);
			}
		}
	}
	CHECK(st == NEWSGREP_DONE);
	if (st != NEWSGREP_DONE)
		fprintf(stderr, "test_db_set: after %zu hits: %s\n", n, newsgrep_hits_errmsg(hits));
	CHECK(n - fromcorpus == ARTICLES && fromcorpus > 0);
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < i; j++)
			CHECK(strcmp(seen[i], seen[j]) != 0);
	for (size_t i = 0; i < n; i++)
		free(seen[i]);
	newsgrep_hits_free(hits);
	newsgrep_db_close(w);
}

int main(void)
{
	const char *src = getenv("NEWSGREP_SOURCE_DIR");
	if (!src) {
		fprintf(stderr, "test_db_set: set NEWSGREP_SOURCE_DIR\n");
		return 2;
	}
	char tmpl[] = "/tmp/newsgrep-test-db-set-XXXXXX";
	if (!mkdtemp(tmpl))
		return 2;
	snprintf(dir, sizeof(dir), "%s", tmpl);
	snprintf(adb, sizeof(adb), "%s/a", dir);
	snprintf(bdb, sizeof(bdb), "%s/b", dir);
	snprintf(cdb, sizeof(cdb), "%s/c", dir);
	snprintf(alldb, sizeof(alldb), "%s/all", dir);
	snprintf(archive, sizeof(archive), "%s/archive", dir);
	snprintf(corpus, sizeof(corpus), "%s/corpus", src);
	snprintf(ai, sizeof(ai), "%s/corpus/ai", src);
	snprintf(powerapps, sizeof(powerapps), "%s/corpus/powerapps", src);
	snprintf(seeds, sizeof(seeds), "%s/corpus/seeds", src);
	/* One of the corpus's two articles of one URL. */
	snprintf(dup, sizeof(dup),
	         "%s/2023-07-07-announcing-public-preview-of-ip-firewall-in-dataverse.md",
	         powerapps);
	if (mkdir(archive, 0777) != 0)
		return 2;
	/* a: ai/ and one powerapps file (also in b); b: powerapps/, seeds/. */
	make_index(adb, (const char *const[]){ai, dup}, 2);
	make_index(bdb, (const char *const[]){powerapps, seeds}, 2);
	make_index(alldb, (const char *const[]){corpus}, 1);

	test_one_is_open();
	test_two_as_one();
	test_bad_members();
	test_member_rebuilt();
	test_resume();

	char cmd[400];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		failures++;
	if (failures) {
		fprintf(stderr, "test_db_set: %d failures\n", failures);
		return 1;
	}
	puts("test_db_set: all passed");
	return 0;
}
