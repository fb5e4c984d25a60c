/*
 * test_sequence.c - the order in which articles entered the index
 * (sequence.c, format 7): a new article takes the next number, a change
 * keeps the article's arrival and takes a new change number, a moved file
 * keeps its article's arrival, a duplicate URL takes its article's; the
 * last number is recorded; a rebuild is a new identity, a compaction is
 * not; the block terms agree with the values; a new index written on
 * threads numbers every article once.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "ng.h"
#include "ngx.h"

static char dir[200];

static const char *at(const char *name)
{
	static char buf[4][700];
	static int next;
	char *out = buf[next++ % 4];
	snprintf(out, sizeof(buf[0]), "%s/%s", dir, name);
	return out;
}

static void article(const char *name, const char *title, const char *url)
{
	FILE *f = fopen(at(name), "w");
	CHECK(f != NULL);
	if (!f)
		return;
	fprintf(f, "---\ntitle: \"%s\"\nexcerpt: \"About %s.\"\n", title, title);
	if (url)
		fprintf(f, "originalUrl: \"%s\"\n", url);
	fprintf(f, "publishedDateTime: 2024-05-01T10:00:00Z\n---\n");
	fclose(f);
}

static newsgrep_status_t update(const char *how)
{
	newsgrep_db_t *w = NULL;
	newsgrep_db_mode_t mode =
	    strcmp(how, "rebuild") == 0 ? NEWSGREP_DB_REBUILD : NEWSGREP_DB_WRITE;
	newsgrep_status_t st = newsgrep_db_open(&w, at("index"), mode, NULL, NULL);
	if (st != NEWSGREP_OK)
		return st;
	const char *paths[] = {at("news")};
	newsgrep_index_options_t o;
	newsgrep_index_options_init(&o, NEWSGREP_INDEX_OPTIONS_VERSION);
	if (strcmp(how, "threads") == 0)
		o.threads = 2;
	st = newsgrep_index_paths(w, paths, 1, &o, NULL);
	if (st == NEWSGREP_OK && mode == NEWSGREP_DB_REBUILD)
		st = newsgrep_db_swap_in(w);
	if (st == NEWSGREP_OK && strcmp(how, "compact") == 0)
		st = newsgrep_db_compact(w, NULL, NULL);
	newsgrep_db_close(w);
	return st;
}

typedef struct numbers {
	uint64_t arrival, change;
	bool found;
} numbers;

/* The numbers of the article of file news/name. */
static numbers of(const char *name)
{
	numbers n = {0};
	newsgrep_db_t *r = NULL;
	if (newsgrep_db_open(&r, at("index"), NEWSGREP_DB_READ, NULL, NULL) != NEWSGREP_OK)
		return n;
	char path[400], term[500];
	snprintf(path, sizeof(path), "news/%s", name);
	int len = snprintf(term, sizeof(term), "%s%s", NG_PREFIX_UID, at(path));
	ngx_error err;
	double a, c;
	int has_a = 0, has_c = 0;
	if (ngx_db_term_least_number(r->x, term, (size_t)len, NG_SLOT_ARRIVAL, 0, &a, &has_a,
	                             &err) == NGX_OK &&
	    ngx_db_term_least_number(r->x, term, (size_t)len, NG_SLOT_CHANGE, 0, &c, &has_c,
	                             &err) == NGX_OK &&
	    has_a && has_c) {
		n = (numbers){(uint64_t)a, (uint64_t)c, true};
		/* Its block terms are there too. */
		char block[64];
		uint64_t freq = 0;
		size_t blen = ng_sequence_term(block, sizeof(block), NG_PREFIX_ARRIVAL, n.arrival);
		CHECK(ngx_db_term_freq(r->x, block, blen, &freq, &err) == NGX_OK && freq > 0);
		blen = ng_sequence_term(block, sizeof(block), NG_PREFIX_CHANGE, n.change);
		CHECK(ngx_db_term_freq(r->x, block, blen, &freq, &err) == NGX_OK && freq > 0);
	}
	newsgrep_db_close(r);
	return n;
}

static char *meta(const char *key)
{
	newsgrep_db_t *r = NULL;
	char *text = NULL;
	ngx_error err;
	if (newsgrep_db_open(&r, at("index"), NEWSGREP_DB_READ, NULL, NULL) == NEWSGREP_OK &&
	    ngx_db_get_metadata(r->x, key, &text, &err) != NGX_OK)
		text = NULL;
	newsgrep_db_close(r);
	return text ? text : strdup("?");
}

static uint64_t last_number(void)
{
	char *text = meta(NG_META_SEQUENCE);
	uint64_t n = strtoull(text, NULL, 10);
	free(text);
	return n;
}

static void numbers_follow_articles(void)
{
	CHECK(mkdir(at("news"), 0755) == 0);
	article("news/a.md", "Alpha", "https://example.com/one");
	article("news/b.md", "Beta", "https://example.com/two");
	article("news/c.md", "Copy of alpha", "https://example.com/one");
	CHECK(update("write") == NEWSGREP_OK);
	numbers a = of("a.md"), b = of("b.md"), c = of("c.md");
	CHECK(a.found && b.found && c.found);
	CHECK(a.arrival == c.arrival); /* one URL: one arrival */
	CHECK(a.arrival != b.arrival);
	CHECK(a.change != c.change && a.change != b.change && b.change != c.change);
	CHECK(last_number() == 3);
	char *identity = meta(NG_META_IDENTITY);
	CHECK(strlen(identity) == 32);
	char *format = meta(NG_META_FORMAT);
	CHECK(strcmp(format, "8") == 0);
	free(format);

	/* Nothing changed: nothing numbered. */
	CHECK(update("write") == NEWSGREP_OK);
	CHECK(last_number() == 3);

	/* A change keeps the arrival; a move too; a new URL is new. */
	sleep(1); /* (a new mtime) */
	article("news/b.md", "Beta, revised", "https://example.com/two");
	CHECK(rename(at("news/a.md"), at("news/moved.md")) == 0);
	article("news/d.md", "Delta", "https://example.com/four");
	CHECK(update("write") == NEWSGREP_OK);
	numbers b2 = of("b.md"), moved = of("moved.md"), d = of("d.md");
	CHECK(!of("a.md").found);
	CHECK(b2.arrival == b.arrival && b2.change > 3);
	CHECK(moved.found && moved.arrival == a.arrival);
	CHECK(d.found && d.arrival > 3 && d.arrival == d.change);
	CHECK(last_number() >= 6 && last_number() >= d.change && last_number() >= b2.change);

	/* A hit carries its numbers; paths only, none. */
	newsgrep_db_t *r = NULL;
	CHECK(newsgrep_db_open(&r, at("index"), NEWSGREP_DB_READ, NULL, NULL) == NEWSGREP_OK);
	newsgrep_search_options_t so;
	newsgrep_search_options_init(&so, NEWSGREP_SEARCH_OPTIONS_VERSION);
	for (int paths_only = 0; r && paths_only < 2; paths_only++) {
		so.paths_only = paths_only;
		newsgrep_hits_t *hits = NULL;
		const newsgrep_hit_t *hit = NULL;
		CHECK(newsgrep_search(&hits, r, "title:revised", &so) == NEWSGREP_OK);
		CHECK(newsgrep_hits_next(hits, &hit) == NEWSGREP_OK);
		if (hit && !paths_only)
			CHECK(hit->arrival == b2.arrival && hit->change == b2.change);
		if (hit && paths_only)
			CHECK(hit->arrival == 0 && hit->change == 0);
		newsgrep_hits_free(hits);
	}
	newsgrep_db_close(r);

	/* A deleted article's number is not given again. */
	uint64_t before = last_number();
	CHECK(unlink(at("news/d.md")) == 0);
	CHECK(update("write") == NEWSGREP_OK);
	article("news/e.md", "Epsilon", "https://example.com/five");
	CHECK(update("write") == NEWSGREP_OK);
	numbers e = of("e.md");
	CHECK(e.found && e.arrival > before && e.arrival > d.arrival);

	/* Compacting keeps numbers and identity; rebuilding is a new index. */
	CHECK(update("compact") == NEWSGREP_OK);
	char *same = meta(NG_META_IDENTITY);
	CHECK(strcmp(same, identity) == 0);
	CHECK(of("e.md").arrival == e.arrival && of("e.md").change == e.change);
	CHECK(last_number() == before + 1);
	CHECK(update("rebuild") == NEWSGREP_OK);
	char *other = meta(NG_META_IDENTITY);
	CHECK(strlen(other) == 32 && strcmp(other, identity) != 0);
	free(identity);
	free(same);
	free(other);
}

/* A new index written on two threads, in segments merged: every article
 * numbered, each URL's own number, the last one recorded. */
static void threads_number_once(void)
{
	char cmd[700];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s' '%s'", at("index"), at("news"));
	CHECK(system(cmd) == 0);
	CHECK(mkdir(at("news"), 0755) == 0);
	enum { N = 40 };
	for (int i = 0; i < N; i++) {
		char name[64], title[64], url[64];
		snprintf(name, sizeof(name), "news/n%02d.md", i);
		snprintf(title, sizeof(title), "Story %d", i);
		snprintf(url, sizeof(url), "https://example.com/%d", i);
		article(name, title, url);
	}
	CHECK(update("threads") == NEWSGREP_OK);
	uint64_t seen[N];
	for (int i = 0; i < N; i++) {
		char name[64];
		snprintf(name, sizeof(name), "n%02d.md", i);
		numbers n = of(name);
		CHECK(n.found && n.arrival >= 1 && n.arrival <= N);
		seen[i] = n.arrival;
		for (int j = 0; j < i; j++)
			CHECK(seen[j] != seen[i]);
	}
	CHECK(last_number() == N);
}

int main(void)
{
	const char *tmp = getenv("TMPDIR");
	snprintf(dir, sizeof(dir), "%s/newsgrep-seq-XXXXXX", tmp ? tmp : "/tmp");
	CHECK(mkdtemp(dir) != NULL);
	numbers_follow_articles();
	threads_number_once();
	char cmd[400];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CHECK(system(cmd) == 0);
	if (failures)
		fprintf(stderr, "%d failure(s)\n", failures);
	return failures != 0;
}
