/*
 * test_article.c - one article by its path or URL (newsgrep_article): every
 * field the index stores, its related articles (with their URL, date and
 * provider since format 8, without in an index of format 7), the
 * duplicates of its URL (the newest shown), what is not found, bad
 * arguments, a set of indexes, and an article that outlives its handle and
 * its file; the format an index reports (newsgrep_db_format).
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "check.h"
#include "newsgrep.h"

static char dir[256], adb[300], bdb[300], alldb[300];
static char corpus[600], powerapps[700], seeds[700], ai[700], s1[800], older[900], newer[900];

#define S1_URL "https://www.globaltimes.cn/page/202307/1293938.shtml"
#define DUP_URL                                                                                    \
	"https://powerapps.microsoft.com/en-us/blog/"                                              \
	"announcing-public-preview-of-ip-internet-protocol-firewall-for-dataverse/"

static void make_index(const char *db, const char *const *paths, size_t n)
{
	newsgrep_db_t *w = NULL;
	if (newsgrep_db_open(&w, db, NEWSGREP_DB_WRITE, NULL, NULL) != NEWSGREP_OK ||
	    newsgrep_index_paths(w, paths, n, NULL, NULL) != NEWSGREP_OK) {
		fprintf(stderr, "test_article: cannot index into %s: %s\n", db,
		        newsgrep_db_errmsg(w));
		exit(2);
	}
	newsgrep_db_close(w);
}

static int starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static newsgrep_db_t *open_db(const char *path)
{
	newsgrep_db_t *db = NULL;
	if (newsgrep_db_open(&db, path, NEWSGREP_DB_READ, NULL, NULL) != NEWSGREP_OK) {
		fprintf(stderr, "test_article: cannot open %s\n", path);
		exit(2);
	}
	return db;
}

/* Every field of seeds/001, found by its path and by its URL. */
static void test_fields(void)
{
	newsgrep_db_t *db = open_db(alldb);
	const char *keys[] = {s1, S1_URL};
	for (size_t k = 0; k < 2; k++) {
		newsgrep_article_t *a = NULL;
		CHECK(newsgrep_article(&a, db, keys[k]) == NEWSGREP_OK);
		if (!a)
			continue;
		STR_IS(a->path, s1);
		STR_IS(a->url, S1_URL);
		STR_IS(a->title,
		       "Chinese firms advance in AI chips amid possible looming US restrictions");
		CHECK(a->has_date && a->date == 1688728020); /* 2023-07-07T11:07:00Z */
		STR_IS(a->provider, "Global Times");
		STR_IS(a->provider_domain, "globaltimes.cn");
		CHECK(starts_with(a->excerpt, "Chinese companies showcased their latest advances"));
		/* The whole excerpt, not a snippet of it. */
		CHECK(strlen(a->excerpt) > 200 &&
		      strcmp(a->excerpt + strlen(a->excerpt) - 16, "language models,") == 0);
		CHECK(a->ntopics == 2);
		if (a->ntopics == 2) {
			STR_IS(a->topics[0], "AI Hardware");
			STR_IS(a->topics[1], "AI");
		}
		CHECK(a->nrelated >= 3);
		if (a->nrelated >= 3) {
			STR_IS(a->related[0]->title,
			       "Chinese AI-powered robot developer CloudMinds raises $138m");
			CHECK(
			    starts_with(a->related[0]->excerpt, "Chinese artificial intelligence"));
			STR_IS(a->related[1]->title,
			       "Chinese chipmakers rally behind initiative to "
			       "develop AI industry standard");
			/* Since 1.4 (format 8): each one's URL, date and provider. */
			STR_IS(a->related[0]->url,
			       "https://asia.nikkei.com/Spotlight/DealStreetAsia/"
			       "Chinese-AI-powered-robot-developer-CloudMinds-raises-138m");
			CHECK(a->related[0]->has_date &&
			      a->related[0]->date == 1688959620); /* 2023-07-10T03:27:00Z */
			STR_IS(a->related[0]->provider, "Nikkei Asia");
			STR_IS(a->related[0]->provider_domain, "nikkei.com");
			STR_IS(a->related[1]->url,
			       "https://www.digitimes.com/news/a20230710PD204/ai-chips-china.html");
			CHECK(a->related[1]->has_date && a->related[1]->date == 1689056100);
			STR_IS(a->related[1]->provider, "Digi Times");
			STR_IS(a->related[1]->provider_domain, "digitimes.com");
		}
		CHECK(a->nduplicates == 0);
		newsgrep_article_free(a);
	}
	newsgrep_db_close(db);
}

/* Two files of one URL: by URL the newer, the older its duplicate; by
 * path, each shows itself with the other as its duplicate. */
static void test_duplicates(void)
{
	newsgrep_db_t *db = open_db(alldb);
	const char *keys[] = {DUP_URL, newer, older};
	const char *shown[] = {newer, newer, older};
	const char *other[] = {older, older, newer};
	for (size_t k = 0; k < 3; k++) {
		newsgrep_article_t *a = NULL;
		CHECK(newsgrep_article(&a, db, keys[k]) == NEWSGREP_OK);
		if (!a)
			continue;
		STR_IS(a->path, shown[k]);
		STR_IS(a->url, DUP_URL);
		CHECK(a->nduplicates == 1);
		if (a->nduplicates == 1)
			STR_IS(a->duplicates[0], other[k]);
		newsgrep_article_free(a);
	}
	newsgrep_db_close(db);
}

/* What the index lacks is NEWSGREP_DONE, with a message; bad arguments are
 * NEWSGREP_INVALID_ARG. */
static void test_not_found(void)
{
	newsgrep_db_t *db = open_db(alldb);
	newsgrep_article_t *a = (newsgrep_article_t *)1;
	CHECK(newsgrep_article(&a, db, "/no/such/file.md") == NEWSGREP_DONE && a == NULL);
	STR_IS(newsgrep_db_errmsg(db), "no article in the index has the path '/no/such/file.md'");
	CHECK(newsgrep_article(&a, db, "https://example.com/none") == NEWSGREP_DONE && !a);
	STR_IS(newsgrep_db_errmsg(db),
	       "no article in the index has the URL 'https://example.com/none'");
	/* URLs match exactly: another slash is another URL. */
	CHECK(newsgrep_article(&a, db, S1_URL "/") == NEWSGREP_DONE && !a);
	CHECK(newsgrep_article(&a, db, "HTTPS://www.globaltimes.cn/page/202307/1293938.shtml") ==
	          NEWSGREP_DONE &&
	      !a);
	/* A relative path is no path to the library. */
	CHECK(newsgrep_article(&a, db, "corpus/seeds/001_22cd2ad8bb3a4915.txt") == NEWSGREP_DONE &&
	      !a);
	/* A folder is no article. */
	CHECK(newsgrep_article(&a, db, seeds) == NEWSGREP_DONE && !a);
	CHECK(newsgrep_article(&a, db, "") == NEWSGREP_INVALID_ARG && !a);
	CHECK(newsgrep_article(&a, db, NULL) == NEWSGREP_INVALID_ARG && !a);
	CHECK(newsgrep_article(&a, NULL, s1) == NEWSGREP_INVALID_ARG && !a);
	CHECK(newsgrep_article(NULL, db, s1) == NEWSGREP_INVALID_ARG);
	newsgrep_article_free(NULL);
	newsgrep_db_close(db);
}

/* Over a set: found in whichever index holds it; a file two indexes hold
 * is listed once. */
static void test_set(void)
{
	newsgrep_db_t *set = NULL;
	const char *paths[] = {adb, bdb};
	CHECK(newsgrep_db_open_set(&set, paths, 2, NULL, NULL) == NEWSGREP_OK);
	if (!set)
		return;
	newsgrep_article_t *a = NULL;
	CHECK(newsgrep_article(&a, set, S1_URL) == NEWSGREP_OK && a);
	if (a)
		STR_IS(a->path, s1);
	newsgrep_article_free(a);
	/* a holds the older file, b both. */
	CHECK(newsgrep_article(&a, set, DUP_URL) == NEWSGREP_OK && a);
	if (a) {
		STR_IS(a->path, newer);
		CHECK(a->nduplicates == 1);
		if (a->nduplicates == 1)
			STR_IS(a->duplicates[0], older);
	}
	newsgrep_article_free(a);
	CHECK(newsgrep_article(&a, set, older) == NEWSGREP_OK && a);
	if (a) {
		STR_IS(a->path, older);
		CHECK(a->nduplicates == 1);
	}
	/* The article outlives the handle. */
	newsgrep_db_close(set);
	if (a)
		STR_IS(a->url, DUP_URL);
	newsgrep_article_free(a);
}

/* From the index alone: an article whose file is gone is still shown. */
static void test_file_gone(void)
{
	char folder[400], file[500], db_path[400], cmd[2000];
	snprintf(folder, sizeof(folder), "%s/gone", dir);
	snprintf(file, sizeof(file), "%s/one.md", folder);
	snprintf(db_path, sizeof(db_path), "%s/gone-db", dir);
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s' && cp '%s' '%s'", folder, s1, file);
	if (system(cmd) != 0) {
		failures++;
		return;
	}
	make_index(db_path, (const char *const[]){folder}, 1);
	CHECK(remove(file) == 0);
	newsgrep_db_t *db = open_db(db_path);
	newsgrep_article_t *a = NULL;
	CHECK(newsgrep_article(&a, db, file) == NEWSGREP_OK && a);
	if (a)
		STR_IS(a->url, S1_URL);
	newsgrep_article_free(a);
	newsgrep_db_close(db);
}

static uint32_t format_of(const char *path)
{
	newsgrep_db_t *db = open_db(path);
	uint32_t format = 0;
	CHECK(newsgrep_db_format(db, &format) == NEWSGREP_OK);
	newsgrep_db_close(db);
	return format;
}

/* An index of format 7 (made here as a newsgrep of format 7 would leave
 * it: its recorded format set back, and every article written again by an
 * update) shows its related articles' titles and excerpts, and no URL,
 * date or provider; a rebuild makes it format 8, which has them. */
static void test_format_7(void)
{
	char folder[400], file[500], db_path[400], cmd[2400];
	snprintf(folder, sizeof(folder), "%s/f7", dir);
	snprintf(file, sizeof(file), "%s/one.txt", folder);
	snprintf(db_path, sizeof(db_path), "%s/f7-db", dir);
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s' && cp '%s' '%s'", folder, s1, file);
	if (system(cmd) != 0) {
		failures++;
		return;
	}
	make_index(db_path, (const char *const[]){folder}, 1);
	CHECK(format_of(db_path) == 8);
	snprintf(cmd, sizeof(cmd),
	         "command -v xapian-metadata >/dev/null || exit 77; "
	         "xapian-metadata set '%s'/db.* newsgrep.format 7 && echo >> '%s'",
	         db_path, file);
	int rc = system(cmd);
	if (WIFEXITED(rc) && WEXITSTATUS(rc) == 77) {
		printf("test_article: no xapian-metadata: format 7 not tested\n");
		return;
	}
	CHECK(rc == 0);
	CHECK(format_of(db_path) == 7);
	make_index(db_path, (const char *const[]){folder}, 1); /* the update */
	CHECK(format_of(db_path) == 7);
	newsgrep_db_t *db = open_db(db_path);
	newsgrep_article_t *a = NULL;
	CHECK(newsgrep_article(&a, db, file) == NEWSGREP_OK && a);
	if (a) {
		CHECK(a->nrelated == 3);
		for (size_t i = 0; i < a->nrelated; i++) {
			const newsgrep_related_t *r = a->related[i];
			CHECK(*r->title && *r->excerpt);
			CHECK(!r->url && !r->has_date && r->date == 0 && !r->provider &&
			      !r->provider_domain);
		}
		STR_IS(a->url, S1_URL);
	}
	newsgrep_article_free(a);
	newsgrep_db_close(db);

	newsgrep_db_t *w = NULL;
	CHECK(newsgrep_db_open(&w, db_path, NEWSGREP_DB_REBUILD, NULL, NULL) == NEWSGREP_OK);
	uint32_t format = 0;
	CHECK(w && newsgrep_db_format(w, &format) == NEWSGREP_OK && format == 8);
	CHECK(w &&
	      newsgrep_index_paths(w, (const char *const[]){folder}, 1, NULL, NULL) == NEWSGREP_OK);
	CHECK(w && newsgrep_db_swap_in(w) == NEWSGREP_OK);
	newsgrep_db_close(w);
	CHECK(format_of(db_path) == 8);
	db = open_db(db_path);
	CHECK(newsgrep_article(&a, db, file) == NEWSGREP_OK && a);
	if (a && a->nrelated == 3)
		STR_IS(a->related[2]->provider, "Pakistan Today");
	newsgrep_article_free(a);
	newsgrep_db_close(db);
}

static void test_format_args(void)
{
	uint32_t format = 0;
	CHECK(newsgrep_db_format(NULL, &format) == NEWSGREP_INVALID_ARG);
	newsgrep_db_t *db = open_db(alldb);
	CHECK(newsgrep_db_format(db, NULL) == NEWSGREP_INVALID_ARG);
	CHECK(newsgrep_db_format(db, &format) == NEWSGREP_OK && format == 8);
	char want[16];
	snprintf(want, sizeof(want), "%u", (unsigned)format);
	STR_IS(newsgrep_component_version(NEWSGREP_COMPONENT_INDEX_FORMAT), want);
	newsgrep_db_close(db);
	newsgrep_db_t *set = NULL;
	const char *paths[] = {adb, bdb};
	CHECK(newsgrep_db_open_set(&set, paths, 2, NULL, NULL) == NEWSGREP_OK);
	CHECK(set && newsgrep_db_format(set, &format) == NEWSGREP_INVALID_ARG);
	if (set)
		STR_IS(newsgrep_db_errmsg(set),
		       "a set of indexes has no one format: ask each index");
	newsgrep_db_close(set);
}

int main(void)
{
	const char *src = getenv("NEWSGREP_SOURCE_DIR");
	if (!src) {
		fprintf(stderr, "test_article: set NEWSGREP_SOURCE_DIR\n");
		return 2;
	}
	char tmpl[] = "/tmp/newsgrep-test-article-XXXXXX";
	char *made = mkdtemp(tmpl), *real_dir = made ? realpath(made, NULL) : NULL;
	if (!real_dir)
		return 2;
	snprintf(dir, sizeof(dir), "%s", real_dir);
	free(real_dir);
	snprintf(adb, sizeof(adb), "%s/a", dir);
	snprintf(bdb, sizeof(bdb), "%s/b", dir);
	snprintf(alldb, sizeof(alldb), "%s/all", dir);
	/* The paths the index keeps are resolved: so are ours. */
	snprintf(corpus, sizeof(corpus), "%s/corpus", src);
	char *real = realpath(corpus, NULL);
	if (!real)
		return 2;
	snprintf(corpus, sizeof(corpus), "%s", real);
	free(real);
	snprintf(ai, sizeof(ai), "%s/ai", corpus);
	snprintf(powerapps, sizeof(powerapps), "%s/powerapps", corpus);
	snprintf(seeds, sizeof(seeds), "%s/seeds", corpus);
	snprintf(s1, sizeof(s1), "%s/001_22cd2ad8bb3a4915.txt", seeds);
	snprintf(older, sizeof(older),
	         "%s/2023-07-07-announcing-public-preview-of-ip-firewall-in-dataverse.md",
	         powerapps);
	snprintf(newer, sizeof(newer),
	         "%s/2024-03-20-control-access-to-dataverse-with-ip-firewall-secure-your-data-with-"
	         "ease.md",
	         powerapps);
	make_index(alldb, (const char *const[]){corpus}, 1);
	make_index(adb, (const char *const[]){ai, older}, 2);
	make_index(bdb, (const char *const[]){powerapps, seeds}, 2);

	test_fields();
	test_duplicates();
	test_not_found();
	test_set();
	test_file_gone();
	test_format_7();
	test_format_args();

	char cmd[400];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		failures++;
	if (failures) {
		fprintf(stderr, "test_article: %d failures\n", failures);
		return 1;
	}
	printf("test_article: ok\n");
	return 0;
}
