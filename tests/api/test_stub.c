/*
 * test_stub.c - an index folder someone else wrote in (public API only).
 *
 * The stub (XAPIANDB) is read by newsgrep, never by Xapian: one that names
 * a remote command, another folder or a link is NEWSGREP_CORRUPT for
 * readers and writers, and the command never runs.  A lost stub is
 * NEWSGREP_CORRUPT too: a writer never starts an empty database over the
 * one that is there.  The lock is never opened through a link.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "newsgrep.h"

static char dir[64], dbpath[128], stub[160], marker[128];

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	CHECK(f && fputs(text, f) >= 0);
	if (f)
		fclose(f);
}

static bool exists(const char *path)
{
	struct stat st;
	return lstat(path, &st) == 0;
}

/* Opens dbpath in `mode`: `want`, with a message containing `text`. */
static void expect_open(newsgrep_db_mode_t mode, newsgrep_status_t want, const char *text)
{
	newsgrep_db_t *db = (newsgrep_db_t *)1;
	char *msg = NULL;
	newsgrep_status_t st = newsgrep_db_open(&db, dbpath, mode, NULL, &msg);
	CHECK(st == want);
	CHECK(db == NULL);
	CHECK(msg && strstr(msg, text));
	if (st != want || !msg || !strstr(msg, text))
		fprintf(stderr, "  mode %d: status %d, message: %s\n", (int)mode, (int)st,
		        msg ? msg : "(none)");
	newsgrep_free(msg);
	if (st == NEWSGREP_OK)
		newsgrep_db_close(db);
}

static uint64_t count(void)
{
	newsgrep_db_t *db = NULL;
	uint64_t n = 0;
	CHECK(newsgrep_db_open(&db, dbpath, NEWSGREP_DB_READ, NULL, NULL) == NEWSGREP_OK);
	CHECK(db && newsgrep_db_count(db, &n) == NEWSGREP_OK);
	newsgrep_db_close(db);
	return n;
}

/* A stub newsgrep did not write is refused by readers and writers alike. */
static void expect_refused(const char *text, const char *line)
{
	char want[256];
	write_file(stub, text);
	snprintf(want, sizeof(want), "is damaged: '%s' line %s: ", stub, line);
	expect_open(NEWSGREP_DB_READ, NEWSGREP_CORRUPT, want);
	expect_open(NEWSGREP_DB_WRITE, NEWSGREP_CORRUPT, want);
	CHECK(!exists(marker));
}

int main(void)
{
	const char *src = getenv("NEWSGREP_SOURCE_DIR");
	if (!src) {
		fprintf(stderr, "test_stub: set NEWSGREP_SOURCE_DIR\n");
		return 2;
	}
	snprintf(dir, sizeof(dir), "/tmp/newsgrep-stub-XXXXXX");
	if (!mkdtemp(dir))
		return 2;
	snprintf(dbpath, sizeof(dbpath), "%s/idx", dir);
	snprintf(stub, sizeof(stub), "%s/XAPIANDB", dbpath);
	snprintf(marker, sizeof(marker), "%s/PWNED", dir);

	char seeds[4200];
	snprintf(seeds, sizeof(seeds), "%s/corpus/seeds", src);
	const char *paths[] = {seeds};
	newsgrep_db_t *w = NULL;
	CHECK(newsgrep_db_open(&w, dbpath, NEWSGREP_DB_WRITE, NULL, NULL) == NEWSGREP_OK);
	CHECK(w && newsgrep_index_paths(w, paths, 1, NULL, NULL) == NEWSGREP_OK);
	newsgrep_db_close(w);
	uint64_t docs = count();
	CHECK(docs == 5);

	char text[256];
	snprintf(text, sizeof(text), "remote :/bin/sh -c 'touch %s'\n", marker);
	expect_refused(text, "1");
	snprintf(text, sizeof(text), "auto %s/db.1\n", dbpath);
	expect_refused(text, "1");
	expect_refused("remote 127.0.0.1:1\n", "1");
	expect_refused("auto ../db.1\n", "1");
	expect_refused("auto db.1\nremote :/bin/sh -c true\n", "2");

	/* Ours again: nothing was lost. */
	write_file(stub, "auto db.1\n");
	CHECK(count() == docs);

	/* A lost stub: never an empty database in place of db.1. */
	CHECK(unlink(stub) == 0);
	expect_open(NEWSGREP_DB_WRITE, NEWSGREP_CORRUPT, "its XAPIANDB is missing");
	expect_open(NEWSGREP_DB_READ, NEWSGREP_CORRUPT, "printf 'auto db.1\\n'");
	char db1[200], db2[200];
	snprintf(db1, sizeof(db1), "%s/db.1", dbpath);
	snprintf(db2, sizeof(db2), "%s/db.2", dbpath);
	CHECK(exists(db1) && !exists(db2) && !exists(stub));
	write_file(stub, "auto db.1\n");
	CHECK(count() == docs);

	/* A lock that is a link: its target is never truncated. */
	char lock[200], outside[128], buf[64] = "";
	snprintf(lock, sizeof(lock), "%s/lock", dbpath);
	snprintf(outside, sizeof(outside), "%s/precious", dir);
	write_file(outside, "keep me\n");
	CHECK(unlink(lock) == 0 && symlink(outside, lock) == 0);
	expect_open(NEWSGREP_DB_WRITE, NEWSGREP_CORRUPT, "is a symbolic link");
	FILE *f = fopen(outside, "r");
	CHECK(f && fgets(buf, sizeof(buf), f) && strcmp(buf, "keep me\n") == 0);
	if (f)
		fclose(f);
	CHECK(unlink(lock) == 0);
	CHECK(count() == docs);

	char cmd[200];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "test_stub: could not remove %s\n", dir);
	if (failures)
		fprintf(stderr, "test_stub: %d failure(s)\n", failures);
	return failures ? 1 : 0;
}
