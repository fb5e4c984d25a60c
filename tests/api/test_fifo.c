/*
 * test_fifo.c - an article file swapped for a pipe between the scan and
 * the read, through the public API: the pipe is never read (opening one
 * for reading would wait for a writer forever), the file is reported as
 * not a regular file and skipped, and the other files are indexed.  An
 * alarm fails the test rather than hang it.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "newsgrep.h"

static void sh(const char *fmt, const char *arg)
{
	char cmd[1200];
	snprintf(cmd, sizeof(cmd), fmt, arg, arg);
	if (system(cmd) != 0) {
		fprintf(stderr, "test_fifo: '%s' failed\n", cmd);
		exit(2);
	}
}

typedef struct ctx {
	char victim[PATH_MAX + 16]; /* swapped for a pipe once scanned */
	int swapped;
	int problems;
	char path[PATH_MAX + 16], message[256];
} ctx;

static int on_progress(void *p, const newsgrep_progress_t *pr)
{
	ctx *c = p;
	/* a.md comes first in name order: once one file is scanned, it was. */
	if (pr->phase == NEWSGREP_PHASE_SCAN && pr->scanned == 1 && !c->swapped)
		c->swapped = unlink(c->victim) == 0 && mkfifo(c->victim, 0600) == 0 ? 1 : -1;
	return 0;
}

static void on_problem(void *p, const newsgrep_problem_t *pr)
{
	ctx *c = p;
	c->problems++;
	snprintf(c->path, sizeof(c->path), "%s", pr->path);
	snprintf(c->message, sizeof(c->message), "%s%s",
	         pr->kind == NEWSGREP_PROBLEM_SKIPPED ? "skipped: " : "warning: ", pr->message);
}

int main(void)
{
	const char *src = getenv("NEWSGREP_SOURCE_DIR");
	if (!src) {
		fprintf(stderr, "test_fifo: set NEWSGREP_SOURCE_DIR\n");
		return 2;
	}
	alarm(60); /* a hang is a failure */
	char tmpl[] = "/tmp/newsgrep-test-fifo-XXXXXX";
	char dir[PATH_MAX];
	if (!mkdtemp(tmpl) || !realpath(tmpl, dir))
		return 2;
	sh("mkdir '%s/archive'", dir);
	char cmd[PATH_MAX + 200];
	snprintf(cmd, sizeof(cmd),
	         "cp %s/corpus/seeds/000_21fff29c15f39abc.txt '%%s/archive/a.md' && "
	         "cp %s/corpus/seeds/001_22cd2ad8bb3a4915.txt '%%s/archive/b.md'",
	         src, src);
	sh(cmd, dir); /* `dir` for both %s */

	ctx c = {0};
	snprintf(c.victim, sizeof(c.victim), "%s/archive/a.md", dir);
	char db_path[PATH_MAX + 16], archive[PATH_MAX + 16];
	snprintf(db_path, sizeof(db_path), "%s/db", dir);
	snprintf(archive, sizeof(archive), "%s/archive", dir);
	newsgrep_db_t *w = NULL;
	CHECK(newsgrep_db_open(&w, db_path, NEWSGREP_DB_WRITE, NULL, NULL) == NEWSGREP_OK);
	newsgrep_index_options_t opts;
	newsgrep_index_options_init(&opts, NEWSGREP_INDEX_OPTIONS_VERSION);
	opts.on_progress = on_progress;
	opts.on_problem = on_problem;
	opts.ctx = &c;
	opts.threads = 1;
	newsgrep_index_stats_t st = NEWSGREP_INDEX_STATS_INIT;
	const char *paths[] = {archive};
	CHECK(newsgrep_index_paths(w, paths, 1, &opts, &st) == NEWSGREP_OK);
	CHECK(c.swapped == 1);
	CHECK(st.added == 1 && st.skipped == 1 && st.warnings == 0);
	CHECK(c.problems == 1 && strcmp(c.path, c.victim) == 0);
	CHECK(strcmp(c.message, "skipped: not a regular file") == 0);
	newsgrep_db_close(w);
	sh("rm -rf '%s'", dir);
	if (failures) {
		fprintf(stderr, "test_fifo: %d failures\n", failures);
		return 1;
	}
	puts("test_fifo: all passed");
	return 0;
}
