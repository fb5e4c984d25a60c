/*
 * test_disk_full.c - a full disk through the public API: a first build
 * that does not fit fails with NEWSGREP_IO and a message that says so,
 * keeps what it committed as an index a reader opens, and a next update
 * adds only the rest; a rebuild that does not fit leaves the old index.
 *
 * The small disk is the test hook NEWSGREP_TEST_DISK_BYTES, so this links
 * the test copy of the library (libnewsgrep_hooks), statically: the hook
 * replaces write(2) and pwrite(2) for libxapian, which a shared library
 * exporting only newsgrep_* could not do.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "newsgrep.h"

static char dbpath[300], corpus[600];

static uint64_t count_of(const char *path)
{
	newsgrep_db_t *r = NULL;
	uint64_t n = 0;
	CHECK(newsgrep_db_open(&r, path, NEWSGREP_DB_READ, NULL, NULL) == NEWSGREP_OK);
	CHECK(newsgrep_db_count(r, &n) == NEWSGREP_OK);
	newsgrep_db_close(r);
	return n;
}

/* The entries of the index folder but . and .. */
static int entries(const char *path)
{
	DIR *d = opendir(path);
	int n = 0;
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL)
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	if (d)
		closedir(d);
	return n;
}

/* Opens a writer on a disk of `bytes` bytes (0: the real one). */
static newsgrep_db_t *writer(newsgrep_db_mode_t mode, const char *bytes)
{
	newsgrep_db_t *w = NULL;
	if (bytes) {
		setenv("NEWSGREP_TEST_DISK_BYTES", bytes, 1);
		setenv("NEWSGREP_TEST_SEGMENT_FILES", "4", 1);
	}
	CHECK(newsgrep_db_open(&w, dbpath, mode, NULL, NULL) == NEWSGREP_OK);
	unsetenv("NEWSGREP_TEST_DISK_BYTES");
	unsetenv("NEWSGREP_TEST_SEGMENT_FILES");
	return w;
}

int main(void)
{
	const char *src = getenv("NEWSGREP_SOURCE_DIR");
	if (!src) {
		fprintf(stderr, "test_disk_full: set NEWSGREP_SOURCE_DIR\n");
		return 2;
	}
	char tmpl[] = "/tmp/newsgrep-test-disk-full-XXXXXX";
	if (!mkdtemp(tmpl))
		return 2;
	snprintf(dbpath, sizeof(dbpath), "%s/db", tmpl);
	snprintf(corpus, sizeof(corpus), "%s/corpus", src);
	const char *paths[] = {corpus};
	newsgrep_index_options_t opts;
	newsgrep_index_options_init(&opts, NEWSGREP_INDEX_OPTIONS_VERSION);
	opts.threads = 2;
	newsgrep_index_stats_t st = NEWSGREP_INDEX_STATS_INIT;

	/* A first build on a disk of 1 MB, which it does not fit. */
	newsgrep_db_t *w = writer(NEWSGREP_DB_WRITE, "1000000");
	CHECK(newsgrep_index_paths(w, paths, 1, &opts, &st) == NEWSGREP_IO);
	const char *msg = newsgrep_db_errmsg(w);
	CHECK(strstr(msg, dbpath) && strstr(msg, "the disk is full") &&
	      strstr(msg, "committed so far are kept as the index") &&
	      strstr(msg, "(an estimate: "));
	newsgrep_db_close(w);
	uint64_t kept = count_of(dbpath);
	CHECK(kept > 0 && kept < 30);
	CHECK(entries(dbpath) == 3); /* stub, lock, one database */

	/* More space: the rest, and only the rest. */
	w = writer(NEWSGREP_DB_WRITE, NULL);
	CHECK(newsgrep_index_update(w, &opts, &st) == NEWSGREP_OK);
	CHECK(st.added == 30 - kept && st.unchanged == kept && st.updated == 0);
	newsgrep_db_close(w);
	CHECK(count_of(dbpath) == 30);

	/* A rebuild on a disk that has no room for it beside the old one. */
	w = writer(NEWSGREP_DB_REBUILD, "1000000");
	CHECK(newsgrep_index_paths(w, paths, 1, &opts, &st) == NEWSGREP_IO);
	CHECK(strstr(newsgrep_db_errmsg(w), "the old index is left as it was"));
	newsgrep_db_close(w);
	CHECK(count_of(dbpath) == 30);
	CHECK(entries(dbpath) == 3);

	char cmd[400];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpl);
	if (system(cmd) != 0)
		failures++;
	if (failures) {
		fprintf(stderr, "test_disk_full: %d failures\n", failures);
		return 1;
	}
	puts("test_disk_full: all passed");
	return 0;
}
