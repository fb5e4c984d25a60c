/*
 * test_like.c - "more like this" (opts.like) and grouping (opts.group)
 * through the public API: the seed articles about one story find each
 * other, the article and its duplicates (same URL) are never hits, a path
 * relative to the working folder and a URL name it too, the query and
 * dates filter it, an unknown article is an error naming it, and a group
 * gives one hit per provider with the count of the others.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "newsgrep.h"

static char dbpath[512], corpus[600];

#define S0 "seeds/000_21fff29c15f39abc.txt"
#define S2 "seeds/002_f20c2178ff692251.txt"
#define S3 "seeds/003_c8f0aaa0abab2964.txt"
#define S4 "seeds/004_c60ec760bb7e258f.txt"
#define DUP1 "powerapps/2023-07-07-announcing-public-preview-of-ip-firewall-in-dataverse.md"
#define DUP2                                                                                       \
	"powerapps/2024-03-20-control-access-to-dataverse-with-ip-firewall-secure-your-data-with-" \
	"ease.md"
#define DUP_URL                                                                                    \
	"https://powerapps.microsoft.com/en-us/blog/"                                              \
	"announcing-public-preview-of-ip-internet-protocol-firewall-for-dataverse/"

/* The hits of a search (at most 40), their paths relative to corpus/ in
 * paths[], their providers and dates; -1 when it fails. */
typedef struct found {
	char paths[40][300];
	char providers[40][100];
	int64_t dates[40];
	uint64_t others[40];
	long n;
} found;

static long search(newsgrep_db_t *db, const char *query, const newsgrep_search_options_t *o,
                   found *f)
{
	newsgrep_hits_t *hits = NULL;
	f->n = 0;
	if (newsgrep_search(&hits, db, query, o) != NEWSGREP_OK)
		return f->n = -1;
	const newsgrep_hit_t *hit;
	size_t skip = strlen(corpus) + 1;
	while (f->n < 40 && newsgrep_hits_next(hits, &hit) == NEWSGREP_OK) {
		CHECK(strncmp(hit->path, corpus, skip - 1) == 0);
		snprintf(f->paths[f->n], sizeof(f->paths[0]), "%s", hit->path + skip);
		snprintf(f->providers[f->n], sizeof(f->providers[0]), "%s", hit->provider);
		f->dates[f->n] = hit->has_date ? hit->date : 0;
		f->others[f->n] = hit->group_others;
		f->n++;
	}
	newsgrep_hits_free(hits);
	return f->n;
}

static bool has(const found *f, const char *path)
{
	for (long i = 0; i < f->n; i++)
		if (strcmp(f->paths[i], path) == 0)
			return true;
	return false;
}

static newsgrep_search_options_t like(const char *what)
{
	newsgrep_search_options_t o = NEWSGREP_SEARCH_OPTIONS_INIT;
	o.like = what;
	o.limit = 40;
	return o;
}

static void test_same_story(newsgrep_db_t *db)
{
	char path[800];
	found f;
	/* The two articles on US sanctions driving Chinese firms to their
	 * own AI chips (May 2023) find each other first. */
	snprintf(path, sizeof(path), "%s/" S3, corpus);
	newsgrep_search_options_t o = like(path);
	CHECK(search(db, "", &o, &f) > 1 && strcmp(f.paths[0], S4) == 0 && !has(&f, S3));
	snprintf(path, sizeof(path), "%s/" S4, corpus);
	o = like(path);
	CHECK(search(db, "", &o, &f) > 1 && strcmp(f.paths[0], S3) == 0 && !has(&f, S4));
	/* Moore Threads and DP Technology: each is the other's related item. */
	snprintf(path, sizeof(path), "%s/" S0, corpus);
	o = like(path);
	CHECK(search(db, "", &o, &f) > 1 && strcmp(f.paths[0], S2) == 0);
	/* Ranked by likeness, unless asked otherwise. */
	newsgrep_hits_t *hits = NULL;
	CHECK(newsgrep_search(&hits, db, "", &o) == NEWSGREP_OK &&
	      newsgrep_hits_sort(hits) == NEWSGREP_SORT_RELEVANCE);
	newsgrep_hits_free(hits);
	/* A path relative to the working folder, untidy too. */
	char cwd[600];
	CHECK(getcwd(cwd, sizeof(cwd)) != NULL);
	CHECK(chdir(corpus) == 0);
	o = like("./seeds/../" S3);
	CHECK(search(db, "  ", &o, &f) > 1 && strcmp(f.paths[0], S4) == 0 && !has(&f, S3));
	CHECK(chdir(cwd) == 0);
}

static void test_duplicates(newsgrep_db_t *db)
{
	char path[800];
	found f;
	/* Neither the article nor the other file of its URL. */
	snprintf(path, sizeof(path), "%s/" DUP1, corpus);
	newsgrep_search_options_t o = like(path);
	o.all_duplicates = 1;
	CHECK(search(db, "", &o, &f) > 0 && !has(&f, DUP1) && !has(&f, DUP2));
	/* By its URL: the same left out. */
	o = like(DUP_URL);
	CHECK(search(db, "", &o, &f) > 0 && !has(&f, DUP1) && !has(&f, DUP2));
	/* A URL is matched exactly. */
	o = like(DUP_URL "x");
	newsgrep_hits_t *hits = NULL;
	newsgrep_db_t *reader = NULL;
	CHECK(newsgrep_db_open(&reader, dbpath, NEWSGREP_DB_READ, NULL, NULL) == NEWSGREP_OK);
	CHECK(newsgrep_search(&hits, reader, "", &o) == NEWSGREP_INVALID_ARG && !hits);
	CHECK(strstr(newsgrep_db_errmsg(reader), "no article with the URL") &&
	      strstr(newsgrep_db_errmsg(reader), DUP_URL "x"));
	newsgrep_db_close(reader);
}

static void test_filters(newsgrep_db_t *db)
{
	char path[800];
	found f;
	snprintf(path, sizeof(path), "%s/" S3, corpus);
	newsgrep_search_options_t o = like(path);
	/* The query filters: a field, words. */
	CHECK(search(db, "provider:\"global times\"", &o, &f) == 2);
	for (long i = 0; i < f.n; i++)
		CHECK(strcmp(f.providers[i], "Global Times") == 0);
	CHECK(strcmp(f.paths[0], S4) == 0);
	CHECK(search(db, "nosuchwordanywhere", &o, &f) == 0);
	/* Dates filter. */
	o.has_since = 1;
	o.since = 1685577600; /* 2023-06-01 */
	CHECK(search(db, "", &o, &f) > 0 && !has(&f, S4));
	for (long i = 0; i < f.n; i++)
		CHECK(f.dates[i] >= o.since);
	/* Not found: the error names it. */
	o = like("/nowhere/at/all.md");
	newsgrep_hits_t *hits = NULL;
	CHECK(newsgrep_search(&hits, db, "", &o) == NEWSGREP_INVALID_ARG && !hits);
	CHECK(strstr(newsgrep_db_errmsg(db), "'/nowhere/at/all.md'") != NULL);
	/* A bad query is still a bad query. */
	snprintf(path, sizeof(path), "%s/" S3, corpus);
	o = like(path);
	CHECK(newsgrep_search(&hits, db, "(", &o) == NEWSGREP_BAD_QUERY && !hits);
}

static void test_group(newsgrep_db_t *db)
{
	char path[800];
	found f;
	snprintf(path, sizeof(path), "%s/" S3, corpus);
	newsgrep_search_options_t o = like(path);
	o.group = NEWSGREP_GROUP_PROVIDER;
	o.exact_count = 1;
	CHECK(search(db, "", &o, &f) > 2);
	/* One hit per provider: Global Times's best (S4) stands for S1. */
	for (long i = 0; i < f.n; i++)
		for (long k = 0; k < i; k++)
			CHECK(strcmp(f.providers[i], f.providers[k]) != 0);
	CHECK(strcmp(f.paths[0], S4) == 0 && f.others[0] == 1);
	/* Without grouping, others are copies of the URL. */
	o.group = NEWSGREP_GROUP_NONE;
	CHECK(search(db, "", &o, &f) > 2 && f.others[0] == 0);
	/* Any search groups, by site too. */
	newsgrep_search_options_t g = NEWSGREP_SEARCH_OPTIONS_INIT;
	g.group = NEWSGREP_GROUP_SITE;
	g.limit = 40;
	g.exact_count = 1;
	uint64_t all = 0;
	CHECK(search(db, "*", &g, &f) > 1);
	for (long i = 0; i < f.n; i++)
		all += 1 + f.others[i];
	CHECK(all == 30);
	g.group = (newsgrep_group_t)7;
	newsgrep_hits_t *hits = NULL;
	CHECK(newsgrep_search(&hits, db, "*", &g) == NEWSGREP_INVALID_ARG && !hits);
}

int main(void)
{
	const char *src = getenv("NEWSGREP_SOURCE_DIR");
	if (!src) {
		fprintf(stderr, "test_like: set NEWSGREP_SOURCE_DIR\n");
		return 2;
	}
	char tmpl[] = "/tmp/newsgrep-test-like-XXXXXX";
	if (!mkdtemp(tmpl))
		return 2;
	snprintf(dbpath, sizeof(dbpath), "%s/db", tmpl);
	char *real = realpath(src, NULL);
	snprintf(corpus, sizeof(corpus), "%s/corpus", real ? real : src);
	free(real);
	newsgrep_db_t *w = NULL;
	const char *paths[] = {corpus};
	newsgrep_index_stats_t st = NEWSGREP_INDEX_STATS_INIT;
	if (newsgrep_db_open(&w, dbpath, NEWSGREP_DB_WRITE, NULL, NULL) != NEWSGREP_OK ||
	    newsgrep_index_paths(w, paths, 1, NULL, &st) != NEWSGREP_OK || st.added != 30) {
		fprintf(stderr, "test_like: cannot index %s: %s\n", corpus, newsgrep_db_errmsg(w));
		return 2;
	}
	newsgrep_db_close(w);
	newsgrep_search_options_t init = NEWSGREP_SEARCH_OPTIONS_INIT, got;
	CHECK(newsgrep_search_options_init(&got, NEWSGREP_SEARCH_OPTIONS_VERSION) == NEWSGREP_OK);
	CHECK(init.like == NULL && got.like == NULL && init.group == NEWSGREP_GROUP_NONE &&
	      got.group == NEWSGREP_GROUP_NONE);

	newsgrep_db_t *db = NULL;
	CHECK(newsgrep_db_open(&db, dbpath, NEWSGREP_DB_READ, NULL, NULL) == NEWSGREP_OK);
	test_same_story(db);
	test_duplicates(db);
	test_filters(db);
	test_group(db);
	newsgrep_db_close(db);

	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpl);
	if (system(cmd) != 0)
		failures++;
	if (failures)
		fprintf(stderr, "test_like: %d check(s) failed\n", failures);
	return failures ? 1 : 0;
}
