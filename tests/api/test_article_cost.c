/*
 * test_article_cost.c - what one article may cost, through the public API:
 * a title over 256 KiB is indexed cut short, with a warning naming the
 * file and the field; running out of memory building one article (the
 * test hook NEWSGREP_TEST_NOMEM_FILE, as Xapian's std::bad_alloc reads)
 * skips that file, named, with NEWSGREP_OK for the run and the other file
 * indexed; the next run, with memory, indexes it.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "newsgrep.h"

typedef struct ctx {
	int problems;
	char path[PATH_MAX + 16], message[300];
} ctx;

static void on_problem(void *p, const newsgrep_problem_t *pr)
{
	ctx *c = p;
	c->problems++;
	snprintf(c->path, sizeof(c->path), "%s", pr->path);
	snprintf(c->message, sizeof(c->message), "%s%s",
	         pr->kind == NEWSGREP_PROBLEM_SKIPPED ? "skipped: " : "warning: ", pr->message);
}

/* Indexes `dir` into the index at `db_path`; the problems go to *c. */
static newsgrep_status_t index_dir(const char *db_path, const char *dir, ctx *c,
                                   newsgrep_index_stats_t *st)
{
	newsgrep_db_t *w = NULL;
	newsgrep_status_t s = newsgrep_db_open(&w, db_path, NEWSGREP_DB_WRITE, NULL, NULL);
	if (s != NEWSGREP_OK)
		return s;
	newsgrep_index_options_t opts;
	newsgrep_index_options_init(&opts, NEWSGREP_INDEX_OPTIONS_VERSION);
	opts.on_problem = on_problem;
	opts.ctx = c;
	opts.threads = 1;
	memset(c, 0, sizeof(*c));
	const char *paths[] = {dir};
	s = newsgrep_index_paths(w, paths, 1, &opts, st);
	newsgrep_db_close(w);
	return s;
}

int main(void)
{
	const char *src = getenv("NEWSGREP_SOURCE_DIR");
	if (!src) {
		fprintf(stderr, "test_article_cost: set NEWSGREP_SOURCE_DIR\n");
		return 2;
	}
	char tmpl[] = "/tmp/newsgrep-test-cost-XXXXXX";
	char dir[PATH_MAX];
	if (!mkdtemp(tmpl) || !realpath(tmpl, dir))
		return 2;
	char archive[PATH_MAX + 16], big[PATH_MAX + 32], db1[PATH_MAX + 16], db2[PATH_MAX + 16];
	char cmd[3 * PATH_MAX];
	snprintf(archive, sizeof(archive), "%s/archive", dir);
	snprintf(big, sizeof(big), "%s/archive/big.md", dir);
	snprintf(db1, sizeof(db1), "%s/db1", dir);
	snprintf(db2, sizeof(db2), "%s/db2", dir);
	snprintf(cmd, sizeof(cmd),
	         "mkdir '%s' && cp %s/corpus/seeds/000_21fff29c15f39abc.txt '%s/a.md'", archive,
	         src, archive);
	if (system(cmd) != 0)
		return 2;
	/* A title of 300 KiB (of few distinct words: they cost far more). */
	FILE *f = fopen(big, "w");
	if (!f)
		return 2;
	fputs("---\ntitle: \"", f);
	for (unsigned i = 0, n = 0; n < 300u << 10; i++)
		n += (unsigned)fprintf(f, "w%x ", i % 4096);
	fputs("\"\n---\n", f);
	fclose(f);

	ctx c;
	newsgrep_index_stats_t st = NEWSGREP_INDEX_STATS_INIT;
	CHECK(index_dir(db1, archive, &c, &st) == NEWSGREP_OK);
	CHECK(st.added == 2 && st.skipped == 0 && st.warnings == 1);
	CHECK(c.problems == 1 && strcmp(c.path, big) == 0);
	CHECK(strcmp(c.message, "warning: title is 300.0 KiB: only its first 256 KiB is indexed") ==
	      0);

	setenv("NEWSGREP_TEST_NOMEM_FILE", "big.md", 1);
	CHECK(index_dir(db2, archive, &c, &st) == NEWSGREP_OK);
	CHECK(st.added == 1 && st.skipped == 1);
	CHECK(c.problems == 1 && strcmp(c.path, big) == 0);
	CHECK(strcmp(c.message, "skipped: out of memory building the article; skipped") == 0);
	unsetenv("NEWSGREP_TEST_NOMEM_FILE");
	CHECK(index_dir(db2, archive, &c, &st) == NEWSGREP_OK);
	CHECK(st.added == 1 && st.unchanged == 1 && st.skipped == 0 && st.warnings == 1);

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return 2;
	if (failures) {
		fprintf(stderr, "test_article_cost: %d failures\n", failures);
		return 1;
	}
	puts("test_article_cost: all passed");
	return 0;
}
