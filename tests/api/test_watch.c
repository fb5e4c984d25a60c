/*
 * test_watch.c - standing searches through the public API: the search
 * options arrived_after and changed_after, newsgrep_db_sequence, and
 * watches (add, list, get, run, advance, remove): a watch delivers what
 * arrived after it, once, and only once advanced; a rebuild resynchronises
 * it; names and handles are checked; a watch of an article's story
 * (like) and of relative dates, taken from each run's time.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "newsgrep.h"

static char dir[200];

static const char *at(const char *name)
{
	static char buf[4][400];
	static int next;
	char *out = buf[next++ % 4];
	snprintf(out, sizeof(buf[0]), "%s/%s", dir, name);
	return out;
}

static void article(const char *name, const char *title, const char *url, const char *date)
{
	FILE *f = fopen(at(name), "w");
	CHECK(f != NULL);
	if (!f)
		return;
	fprintf(f, "---\ntitle: \"%s\"\nexcerpt: \"About %s.\"\noriginalUrl: \"%s\"\n", title,
	        title, url);
	fprintf(f, "publishedDateTime: %s\n---\n", date);
	fclose(f);
}

static newsgrep_status_t update(newsgrep_db_mode_t mode)
{
	newsgrep_db_t *w = NULL;
	newsgrep_status_t st = newsgrep_db_open(&w, at("index"), mode, NULL, NULL);
	if (st != NEWSGREP_OK)
		return st;
	const char *paths[] = {at("news")};
	st = newsgrep_index_paths(w, paths, 1, NULL, NULL);
	if (st == NEWSGREP_OK && mode == NEWSGREP_DB_REBUILD)
		st = newsgrep_db_swap_in(w);
	newsgrep_db_close(w);
	return st;
}

static newsgrep_db_t *open_db(newsgrep_db_mode_t mode)
{
	newsgrep_db_t *db = NULL;
	CHECK(newsgrep_db_open(&db, at("index"), mode, NULL, NULL) == NEWSGREP_OK);
	return db;
}

/* The hits of `query` numbered after `n` (arrival, or change). */
static long after(newsgrep_db_t *db, const char *query, uint64_t n, bool change)
{
	newsgrep_search_options_t o = NEWSGREP_SEARCH_OPTIONS_INIT;
	o.limit = 5000;
	o.no_snippets = 1;
	if (change) {
		o.has_changed_after = 1;
		o.changed_after = n;
	} else {
		o.has_arrived_after = 1;
		o.arrived_after = n;
	}
	newsgrep_hits_t *hits = NULL;
	if (newsgrep_search(&hits, db, query, &o) != NEWSGREP_OK)
		return -1;
	long count = 0;
	const newsgrep_hit_t *hit;
	while (newsgrep_hits_next(hits, &hit) == NEWSGREP_OK) {
		CHECK(change ? hit->change > n : hit->arrival > n);
		count++;
	}
	newsgrep_hits_free(hits);
	return count;
}

static void search_after(void)
{
	newsgrep_db_t *db = open_db(NEWSGREP_DB_READ);
	uint64_t last = 99;
	char id[33] = "";
	CHECK(newsgrep_db_sequence(db, &last, id) == NEWSGREP_OK);
	CHECK(last == 3 && strlen(id) == 32);
	CHECK(newsgrep_db_sequence(db, NULL, NULL) == NEWSGREP_OK);
	CHECK(after(db, "*", 0, false) == 3);
	CHECK(after(db, "*", 1, false) == 2);
	CHECK(after(db, "*", 3, false) == 0);
	CHECK(after(db, "gpu", 0, false) == 2);
	CHECK(after(db, "*", 100000, false) == 0);
	CHECK(after(db, "*", 2, true) == 1);

	article("news/d.md", "GPU news four", "https://example.com/d", "2020-01-01T00:00:00Z");
	article("news/b.md", "GPU news two, changed", "https://example.com/b",
	        "2024-05-02T10:00:00Z");
	CHECK(update(NEWSGREP_DB_WRITE) == NEWSGREP_OK);
	uint64_t now;
	char id2[33];
	CHECK(newsgrep_db_sequence(db, &now, id2) == NEWSGREP_OK);
	CHECK(now == 5 && strcmp(id, id2) == 0);
	CHECK(after(db, "*", 3, false) == 1); /* the new one, back-dated */
	CHECK(after(db, "*", 3, true) == 2);  /* and the changed one */
	newsgrep_db_close(db);
}

typedef struct seen {
	long n;
	char titles[512];
} seen;

static int note(void *ctx, const newsgrep_hit_t *hit)
{
	seen *s = ctx;
	s->n++;
	strncat(s->titles, hit->title, sizeof(s->titles) - strlen(s->titles) - 2);
	strcat(s->titles, ";");
	return 0;
}

/* Runs watch `name` and advances it when `advance`; its hits. */
static seen run(const char *name, bool advance, int *resynced)
{
	seen s = {0};
	newsgrep_db_t *db = open_db(NEWSGREP_DB_READ);
	char id[33];
	uint64_t upto = 0;
	int resync = -1;
	CHECK(newsgrep_watch_run(db, name, NULL, note, &s, id, &upto, &resync) == NEWSGREP_OK);
	newsgrep_db_close(db);
	if (resynced)
		*resynced = resync;
	if (advance) {
		newsgrep_db_t *w = open_db(NEWSGREP_DB_WRITE);
		CHECK(newsgrep_watch_advance(w, name, id, upto) == NEWSGREP_OK);
		CHECK(newsgrep_db_commit(w) == NEWSGREP_OK);
		newsgrep_db_close(w);
	}
	return s;
}

static void watches(void)
{
	newsgrep_db_t *r = open_db(NEWSGREP_DB_READ);
	newsgrep_db_t *w = open_db(NEWSGREP_DB_WRITE);
	CHECK(newsgrep_watch_add(r, "gpu", "gpu", NULL) == NEWSGREP_INVALID_ARG);
	CHECK(strstr(newsgrep_db_errmsg(r), "writer"));
	CHECK(newsgrep_watch_add(w, "gpu", "gpu", NULL) == NEWSGREP_OK);
	CHECK(newsgrep_watch_add(w, "gpu", "gpu", NULL) == NEWSGREP_INVALID_ARG);
	CHECK(strstr(newsgrep_db_errmsg(w), "already"));
	CHECK(newsgrep_watch_add(w, "bad/name", "gpu", NULL) == NEWSGREP_INVALID_ARG);
	CHECK(strstr(newsgrep_db_errmsg(w), "bad watch name 'bad/name'"));
	CHECK(newsgrep_watch_add(w, "", "gpu", NULL) == NEWSGREP_INVALID_ARG);
	char longname[70];
	memset(longname, 'a', 65);
	longname[65] = '\0';
	CHECK(newsgrep_watch_add(w, longname, "gpu", NULL) == NEWSGREP_INVALID_ARG);
	longname[64] = '\0';
	CHECK(newsgrep_watch_add(w, longname, "gpu", NULL) == NEWSGREP_OK);
	CHECK(newsgrep_watch_remove(w, longname) == NEWSGREP_OK);
	CHECK(newsgrep_watch_remove(w, longname) == NEWSGREP_DONE);
	CHECK(newsgrep_watch_add(w, "q", "(gpu", NULL) == NEWSGREP_BAD_QUERY);
	newsgrep_search_options_t o = NEWSGREP_SEARCH_OPTIONS_INIT;
	o.exact = 1;
	o.has_changed_after = 1;
	CHECK(newsgrep_watch_add(w, "All.news-2", "*", &o) == NEWSGREP_OK);
	newsgrep_db_close(w);

	char **names = NULL;
	size_t n = 0;
	CHECK(newsgrep_watch_list(r, &names, &n) == NEWSGREP_OK);
	CHECK(n == 2 && strcmp(names[0], "All.news-2") == 0 && strcmp(names[1], "gpu") == 0);
	newsgrep_roots_free(names, n);
	char *query = NULL, id[33];
	uint64_t last = 0;
	newsgrep_search_options_t got = NEWSGREP_SEARCH_OPTIONS_INIT;
	CHECK(newsgrep_watch_get(r, "All.news-2", &query, &got, id, &last) == NEWSGREP_OK);
	CHECK(query && strcmp(query, "*") == 0 && got.exact && got.has_changed_after &&
	      !got.fixed_strings && last == 5 && strlen(id) == 32);
	newsgrep_free(query);
	CHECK(newsgrep_watch_get(r, "none", NULL, NULL, NULL, NULL) == NEWSGREP_DONE);
	CHECK(strstr(newsgrep_db_errmsg(r), "no watch named 'none'"));
	newsgrep_db_close(r);

	/* Nothing yet; then what arrives, once advanced. */
	CHECK(run("gpu", true, NULL).n == 0);
	article("news/e.md", "GPU news five", "https://example.com/e", "2024-06-01T00:00:00Z");
	article("news/f.md", "Other news six", "https://example.com/f", "2024-06-01T00:00:00Z");
	CHECK(update(NEWSGREP_DB_WRITE) == NEWSGREP_OK);
	seen s = run("gpu", false, NULL);
	CHECK(s.n == 1 && strcmp(s.titles, "GPU news five;") == 0);
	/* Advanced but not committed: again. */
	{
		newsgrep_db_t *rd = open_db(NEWSGREP_DB_READ), *w = NULL;
		char id[33];
		uint64_t upto = 0;
		int resync = 0;
		seen t = {0};
		CHECK(newsgrep_watch_run(rd, "gpu", NULL, note, &t, id, &upto, &resync) ==
		      NEWSGREP_OK);
		newsgrep_db_close(rd);
		w = open_db(NEWSGREP_DB_WRITE);
		CHECK(newsgrep_watch_advance(w, "gpu", id, upto) == NEWSGREP_OK);
		newsgrep_db_close(w);
	}
	CHECK(run("gpu", true, NULL).n == 1); /* not advanced: again */
	CHECK(run("gpu", true, NULL).n == 0);
	CHECK(run("All.news-2", true, NULL).n == 2);
	/* A change: not again, but for a watch of changes. */
	article("news/e.md", "GPU news five, changed", "https://example.com/e",
	        "2024-06-01T00:00:00Z");
	CHECK(update(NEWSGREP_DB_WRITE) == NEWSGREP_OK);
	CHECK(run("gpu", true, NULL).n == 0);
	CHECK(run("All.news-2", true, NULL).n == 1);

	/* A rebuild keeps the watches, which resynchronise. */
	CHECK(update(NEWSGREP_DB_REBUILD) == NEWSGREP_OK);
	int resynced = 0;
	CHECK(run("gpu", true, &resynced).n == 0 && resynced == 1);
	CHECK(run("gpu", true, &resynced).n == 0 && resynced == 0);
	article("news/g.md", "GPU news seven", "https://example.com/g", "2001-06-01T00:00:00Z");
	CHECK(update(NEWSGREP_DB_WRITE) == NEWSGREP_OK);
	CHECK(run("gpu", true, &resynced).n == 1 && resynced == 0);

	w = open_db(NEWSGREP_DB_WRITE);
	CHECK(newsgrep_watch_remove(w, "gpu") == NEWSGREP_OK);
	CHECK(newsgrep_watch_advance(w, "gpu", id, 1) == NEWSGREP_DONE);
	newsgrep_db_close(w);
	r = open_db(NEWSGREP_DB_READ);
	CHECK(newsgrep_watch_list(r, &names, &n) == NEWSGREP_OK);
	CHECK(n == 1);
	newsgrep_roots_free(names, n);
	newsgrep_db_close(r);
}

/* An ISO 8601 date-time `days` before now. */
static const char *days_ago(int days)
{
	static char buf[2][32];
	static int next;
	char *out = buf[next++ % 2];
	time_t t = time(NULL) - (time_t)days * 86400;
	strftime(out, sizeof(buf[0]), "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
	return out;
}

/* A watch of an article's story (opts.like, its path made absolute) and
 * watches of dates as text: a relative one kept and taken from each
 * run's time. */
static void like_and_dates(void)
{
	newsgrep_db_t *w = open_db(NEWSGREP_DB_WRITE);
	newsgrep_search_options_t o = NEWSGREP_SEARCH_OPTIONS_INIT;
	char cwd[300];
	CHECK(getcwd(cwd, sizeof(cwd)) != NULL);
	CHECK(chdir(dir) == 0);
	o.like = "news/e.md";
	CHECK(newsgrep_watch_add(w, "story", "", &o) == NEWSGREP_OK);
	CHECK(chdir(cwd) == 0);
	o.like = at("news/none.md");
	CHECK(newsgrep_watch_add(w, "nostory", "", &o) != NEWSGREP_OK);
	o.like = "a\nb";
	CHECK(newsgrep_watch_add(w, "nostory", "", &o) == NEWSGREP_INVALID_ARG);
	o.like = NULL;
	CHECK(newsgrep_watch_add_dates(w, "week", "gpu", &o, "7d", NULL) == NEWSGREP_OK);
	CHECK(newsgrep_watch_add_dates(w, "may", "gpu", &o, "2024-05", "2024-05") == NEWSGREP_OK);
	CHECK(newsgrep_watch_add_dates(w, "bad", "gpu", &o, "7x", NULL) == NEWSGREP_BAD_DATE);
	CHECK(strstr(newsgrep_db_errmsg(w), "since: cannot read date '7x'"));
	CHECK(newsgrep_watch_add_dates(w, "bad", "gpu", &o, NULL, "2024\n") == NEWSGREP_BAD_DATE);
	newsgrep_db_close(w);

	newsgrep_db_t *r = open_db(NEWSGREP_DB_READ);
	newsgrep_search_options_t got = NEWSGREP_SEARCH_OPTIONS_INIT;
	char *query = NULL, *since = NULL, *until = NULL;
	CHECK(newsgrep_watch_get(r, "story", &query, &got, NULL, NULL) == NEWSGREP_OK);
	CHECK(query && !*query && got.like && strcmp(got.like, at("news/e.md")) == 0);
	newsgrep_free(query);
	CHECK(newsgrep_watch_get(r, "week", NULL, &got, NULL, NULL) == NEWSGREP_OK);
	int64_t week = (int64_t)time(NULL) - 7 * 86400;
	CHECK(!got.like && got.has_since && got.since >= week - 5 && got.since <= week + 5 &&
	      !got.has_until);
	CHECK(newsgrep_watch_dates(r, "week", &since, &until) == NEWSGREP_OK);
	CHECK(since && strcmp(since, "7d") == 0 && !until);
	newsgrep_free(since);
	CHECK(newsgrep_watch_get(r, "may", NULL, &got, NULL, NULL) == NEWSGREP_OK);
	CHECK(got.has_since && got.since == 1714521600 && got.has_until && got.until == 1717199999);
	CHECK(newsgrep_watch_dates(r, "may", &since, &until) == NEWSGREP_OK);
	CHECK(!since && !until);
	CHECK(newsgrep_watch_dates(r, "none", &since, NULL) == NEWSGREP_DONE && !since);
	newsgrep_db_close(r);

	article("news/h.md", "GPU news eight", "https://example.com/h", days_ago(2));
	article("news/i.md", "GPU news nine", "https://example.com/i", days_ago(20));
	article("news/j.md", "GPU news ten", "https://example.com/j", "2024-05-20T00:00:00Z");
	article("news/k.md", "Zoo giraffe", "https://example.com/k", days_ago(1));
	CHECK(update(NEWSGREP_DB_WRITE) == NEWSGREP_OK);
	seen s = run("week", true, NULL);
	CHECK(s.n == 1 && strcmp(s.titles, "GPU news eight;") == 0);
	s = run("may", true, NULL);
	CHECK(s.n == 1 && strcmp(s.titles, "GPU news ten;") == 0);
	s = run("story", true, NULL);
	CHECK(s.n == 3 && !strstr(s.titles, "giraffe"));

	w = open_db(NEWSGREP_DB_WRITE);
	const char *names[] = {"story", "week", "may"};
	for (size_t i = 0; i < 3; i++)
		CHECK(newsgrep_watch_remove(w, names[i]) == NEWSGREP_OK);
	newsgrep_db_close(w);
}

/* Numbers across several blocks of the filter's terms (1024 each): each
 * mark finds exactly the articles after it. */
static void blocks(void)
{
	mkdir(at("many"), 0755);
	char name[64], title[64], url[64];
	for (int i = 0; i < 2100; i++) {
		snprintf(name, sizeof(name), "many/%04d.md", i);
		snprintf(title, sizeof(title), "Block test %d", i);
		snprintf(url, sizeof(url), "https://example.com/many/%d", i);
		article(name, title, url, "2024-01-01T00:00:00Z");
	}
	newsgrep_db_t *w = NULL;
	CHECK(newsgrep_db_open(&w, at("many-index"), NEWSGREP_DB_WRITE, NULL, NULL) == NEWSGREP_OK);
	const char *paths[] = {at("many")};
	CHECK(newsgrep_index_paths(w, paths, 1, NULL, NULL) == NEWSGREP_OK);
	newsgrep_db_close(w);
	newsgrep_db_t *db = NULL;
	CHECK(newsgrep_db_open(&db, at("many-index"), NEWSGREP_DB_READ, NULL, NULL) == NEWSGREP_OK);
	uint64_t last = 0;
	CHECK(newsgrep_db_sequence(db, &last, NULL) == NEWSGREP_OK && last == 2100);
	const uint64_t marks[] = {0, 1, 1022, 1023, 1024, 1025, 2047, 2048, 2049, 2099, 2100};
	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
		long got = after(db, "block", marks[i], false);
		if (got != (long)(2100 - marks[i]))
			fprintf(stderr, "after %llu: %ld hits\n", (unsigned long long)marks[i],
			        got);
		CHECK(got == (long)(2100 - marks[i]));
	}
	newsgrep_db_close(db);
}

int main(void)
{
	snprintf(dir, sizeof(dir), "/tmp/ng_api_watch_XXXXXX");
	if (!mkdtemp(dir))
		return 1;
	mkdir(at("news"), 0755);
	article("news/a.md", "GPU news one", "https://example.com/a", "2024-05-01T10:00:00Z");
	article("news/b.md", "GPU news two", "https://example.com/b", "2024-05-02T10:00:00Z");
	article("news/c.md", "Other news three", "https://example.com/c", "2024-05-03T10:00:00Z");
	CHECK(update(NEWSGREP_DB_WRITE) == NEWSGREP_OK);
	search_after();
	watches();
	like_and_dates();
	blocks();
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		failures++;
	return failures ? 1 : 0;
}
