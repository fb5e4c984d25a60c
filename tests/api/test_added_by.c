/*
 * test_added_by.c - the paths an index's roots were added by, through the
 * public API: recorded for a root added through a symbolic link (also when
 * threads write the new index into segments merged after), and taken by
 * newsgrep_index_forget once the link is gone.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "newsgrep.h"

static void sh(const char *fmt, const char *arg)
{
	char cmd[1200];
	snprintf(cmd, sizeof(cmd), fmt, arg, arg);
	if (system(cmd) != 0) {
		fprintf(stderr, "test_added_by: '%s' failed\n", cmd);
		exit(2);
	}
}

/* Whether root `root` of the index at `db` was added as `want` alone (NULL:
 * as no other path). */
static int added_as(newsgrep_db_t *db, const char *root, const char *want)
{
	char **paths = (char **)1;
	size_t n = 9;
	int ok = newsgrep_db_root_added_by(db, root, &paths, &n) == NEWSGREP_OK &&
	         (want ? n == 1 && strcmp(paths[0], want) == 0 : n == 0 && paths == NULL);
	newsgrep_roots_free(paths, n);
	return ok;
}

static void test_added_by(const char *dir, unsigned threads)
{
	char db_path[PATH_MAX + 16], archive[PATH_MAX + 16], link[PATH_MAX + 16];
	snprintf(db_path, sizeof(db_path), "%s/db%u", dir, threads);
	snprintf(archive, sizeof(archive), "%s/archive", dir);
	snprintf(link, sizeof(link), "%s/link", dir);
	sh("ln -s archive '%s/link'", dir);

	newsgrep_db_t *w = NULL;
	CHECK(newsgrep_db_open(&w, db_path, NEWSGREP_DB_WRITE, NULL, NULL) == NEWSGREP_OK);
	newsgrep_index_options_t opts;
	newsgrep_index_options_init(&opts, NEWSGREP_INDEX_OPTIONS_VERSION);
	opts.threads = threads;
	newsgrep_index_stats_t st = NEWSGREP_INDEX_STATS_INIT;
	const char *paths[] = {link};
	CHECK(newsgrep_index_paths(w, paths, 1, &opts, &st) == NEWSGREP_OK && st.added == 5);
	CHECK(added_as(w, archive, link));
	CHECK(added_as(w, link, NULL)); /* not a root */
	char **out = (char **)1;
	size_t n = 9;
	CHECK(newsgrep_db_root_added_by(NULL, archive, &out, &n) == NEWSGREP_INVALID_ARG &&
	      out == NULL && n == 0);
	CHECK(newsgrep_db_root_added_by(w, NULL, &out, &n) == NEWSGREP_INVALID_ARG);
	CHECK(newsgrep_db_root_added_by(w, archive, NULL, &n) == NEWSGREP_INVALID_ARG);
	CHECK(newsgrep_db_root_added_by(w, archive, &out, NULL) == NEWSGREP_INVALID_ARG);

	/* A reader sees them too. */
	newsgrep_db_t *r = NULL;
	CHECK(newsgrep_db_open(&r, db_path, NEWSGREP_DB_READ, NULL, NULL) == NEWSGREP_OK);
	CHECK(added_as(r, archive, link));
	newsgrep_db_close(r);

	sh("rm '%s/link'", dir);
	CHECK(newsgrep_index_forget(w, link, NULL, &st) == NEWSGREP_OK && st.deleted == 5);
	CHECK(newsgrep_db_roots(w, &out, &n) == NEWSGREP_OK && n == 0 && out == NULL);
	CHECK(added_as(w, archive, NULL));
	CHECK(newsgrep_index_forget(w, link, NULL, &st) == NEWSGREP_INVALID_ARG);
	newsgrep_db_close(w);
}

int main(void)
{
	const char *src = getenv("NEWSGREP_SOURCE_DIR");
	if (!src) {
		fprintf(stderr, "test_added_by: set NEWSGREP_SOURCE_DIR\n");
		return 2;
	}
	char tmpl[] = "/tmp/newsgrep-test-added-by-XXXXXX";
	char dir[PATH_MAX];
	if (!mkdtemp(tmpl) || !realpath(tmpl, dir))
		return 2;
	sh("mkdir '%s/archive'", dir);
	char cmd[PATH_MAX + 100];
	snprintf(cmd, sizeof(cmd), "cp %s/corpus/seeds/*.txt '%%s/archive'", src);
	sh(cmd, dir);
	test_added_by(dir, 1);
	test_added_by(dir, 4); /* segments, then a merge */
	sh("rm -rf '%s'", dir);
	if (failures) {
		fprintf(stderr, "test_added_by: %d failures\n", failures);
		return 1;
	}
	puts("test_added_by: all passed");
	return 0;
}
