/*
 * test_commit.c - newsgrep_db_commit through the public API: it commits
 * what a writer has pending and says OK (a new reader sees it); a commit
 * that fails (a full disk) says so with a status and a message instead of
 * being dropped, and closing the handle after it neither crashes nor
 * leaks, leaving the index as of its last commit.
 *
 * The full disk is the test hook NEWSGREP_TEST_DISK_BYTES, so this links
 * the static test copy of the library, as test_disk_full does.
 */
#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

/* The bytes of the regular files under `path`. */
static uint64_t tree_bytes(const char *path)
{
	DIR *d = opendir(path);
	uint64_t total = 0;
	struct dirent *e;
	while (d && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		char sub[900];
		struct stat st;
		snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
		if (lstat(sub, &st) != 0)
			continue;
		if (S_ISREG(st.st_mode))
			total += (uint64_t)st.st_size;
		else if (S_ISDIR(st.st_mode))
			total += tree_bytes(sub);
	}
	if (d)
		closedir(d);
	return total;
}

static void test_commit_ok(void)
{
	newsgrep_db_t *w = NULL, *r = NULL;
	CHECK(newsgrep_db_commit(NULL) == NEWSGREP_INVALID_ARG);
	CHECK(newsgrep_db_open(&w, dbpath, NEWSGREP_DB_WRITE, NULL, NULL) == NEWSGREP_OK);
	/* Nothing pending: OK, and nothing written. */
	CHECK(newsgrep_db_commit(w) == NEWSGREP_OK);
	const char *paths[] = {corpus};
	newsgrep_index_stats_t st = NEWSGREP_INDEX_STATS_INIT;
	CHECK(newsgrep_index_paths(w, paths, 1, NULL, &st) == NEWSGREP_OK && st.added == 30);
	uint64_t rev = 0, rev2 = 0;
	CHECK(newsgrep_db_revision(w, &rev) == NEWSGREP_OK);
	CHECK(newsgrep_db_commit(w) == NEWSGREP_OK);
	CHECK(newsgrep_db_revision(w, &rev2) == NEWSGREP_OK && rev2 == rev);
	CHECK(count_of(dbpath) == 30); /* a new reader, the writer still open */
	newsgrep_db_close(w);
	CHECK(count_of(dbpath) == 30);

	CHECK(newsgrep_db_open(&r, dbpath, NEWSGREP_DB_READ, NULL, NULL) == NEWSGREP_OK);
	CHECK(newsgrep_db_commit(r) == NEWSGREP_INVALID_ARG);
	CHECK(strstr(newsgrep_db_errmsg(r), "nothing to commit"));
	newsgrep_db_close(r);
}

/* A REBUILD handle has its new index's records pending from the start:
 * on a disk with room for the new database but not for a commit, the
 * commit fails, and says so. */
static void test_commit_fails(void)
{
	newsgrep_db_t *w = NULL;
	CHECK(newsgrep_db_open(&w, dbpath, NEWSGREP_DB_REBUILD, NULL, NULL) == NEWSGREP_OK);
	uint64_t opened = tree_bytes(dbpath);
	newsgrep_db_close(w);
	int failed = 0;
	for (uint64_t slack = 0; slack <= 4096 && !failed; slack += 512) {
		char bytes[32];
		snprintf(bytes, sizeof(bytes), "%llu", (unsigned long long)(opened + slack));
		setenv("NEWSGREP_TEST_DISK_BYTES", bytes, 1);
		newsgrep_status_t s = newsgrep_db_open(&w, dbpath, NEWSGREP_DB_REBUILD, NULL, NULL);
		unsetenv("NEWSGREP_TEST_DISK_BYTES");
		if (s != NEWSGREP_OK)
			continue;
		s = newsgrep_db_commit(w);
		if (s != NEWSGREP_OK) {
			failed = 1;
			CHECK(s == NEWSGREP_IO);
			const char *msg = newsgrep_db_errmsg(w);
			CHECK(strstr(msg, dbpath) && strstr(msg, "the disk is full") &&
			      strstr(msg, "cannot commit"));
			/* The handle goes on: a second try fails as plainly. */
			CHECK(newsgrep_db_commit(w) != NEWSGREP_INTERNAL);
		}
		newsgrep_db_close(w); /* after a failed commit: no crash, no leak */
	}
	CHECK(failed);
	CHECK(count_of(dbpath) == 30); /* the live index as it was */
}

int main(void)
{
	const char *src = getenv("NEWSGREP_SOURCE_DIR");
	if (!src) {
		fprintf(stderr, "test_commit: set NEWSGREP_SOURCE_DIR\n");
		return 2;
	}
	char tmpl[] = "/tmp/newsgrep-test-commit-XXXXXX";
	if (!mkdtemp(tmpl))
		return 2;
	snprintf(dbpath, sizeof(dbpath), "%s/db", tmpl);
	snprintf(corpus, sizeof(corpus), "%s/corpus", src);
	test_commit_ok();
	test_commit_fails();

	char cmd[400];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpl);
	if (system(cmd) != 0)
		failures++;
	if (failures) {
		fprintf(stderr, "test_commit: %d failures\n", failures);
		return 1;
	}
	puts("test_commit: all passed");
	return 0;
}
