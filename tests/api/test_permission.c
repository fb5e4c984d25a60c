/*
 * test_permission.c - an index the user may not read or write is
 * NEWSGREP_PERMISSION, and a path that holds something else is
 * NEWSGREP_NO_INDEX, each with a message that says so (public API only).
 *
 * Root may read everything, so as root the checks run in a child that is
 * user nobody (65534), on an index in a folder of /tmp that user can
 * reach; as anyone else they run as that user, refused by modes that
 * refuse the owner too.
 */
#include <grp.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "newsgrep.h"

static char dir[64], dbpath[128];

/* Opens dbpath in `mode`, expects `want` and a message containing `text`. */
static void expect_open(newsgrep_db_mode_t mode, const char *path, newsgrep_status_t want,
                        const char *text)
{
	newsgrep_db_t *db = (newsgrep_db_t *)1;
	char *msg = NULL;
	newsgrep_status_t st = newsgrep_db_open(&db, path, mode, NULL, &msg);
	CHECK(st == want);
	CHECK(db == NULL);
	CHECK(msg && strstr(msg, text));
	CHECK(!msg || !strstr(msg, "rebuild"));
	if (st != want || !msg || !strstr(msg, text))
		fprintf(stderr, "  status %d, message: %s\n", (int)st, msg ? msg : "(none)");
	newsgrep_free(msg);
}

/* Runs `fn` as the other user: in a child that is nobody when we are root,
 * else in this process.  Only the owner (the parent) changes modes. */
static void as_other_user(void (*fn)(void))
{
	if (geteuid() != 0) {
		fn();
		return;
	}
	fflush(stderr);
	pid_t pid = fork();
	if (pid == 0) {
		if (setgroups(0, NULL) != 0 || setgid(65534) != 0 || setuid(65534) != 0) {
			fprintf(stderr, "test_permission: cannot become user 65534\n");
			_exit(2);
		}
		fn();
		fflush(stderr);
		_exit(failures ? 1 : 0);
	}
	int status = 0;
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	      WEXITSTATUS(status) == 0);
}

static void read_refused(void)
{
	char text[256];
	snprintf(text, sizeof(text), "permission denied reading '%s': ", dbpath);
	expect_open(NEWSGREP_DB_READ, dbpath, NEWSGREP_PERMISSION, text);
}

static void write_refused(void)
{
	char text[256];
	snprintf(text, sizeof(text), "permission denied writing '%s/lock': ", dbpath);
	expect_open(NEWSGREP_DB_WRITE, dbpath, NEWSGREP_PERMISSION, text);
	expect_open(NEWSGREP_DB_REBUILD, dbpath, NEWSGREP_PERMISSION, text);
	newsgrep_db_t *db = NULL;
	CHECK(newsgrep_db_open(&db, dbpath, NEWSGREP_DB_READ, NULL, NULL) == NEWSGREP_OK);
	newsgrep_db_close(db);
}

static void not_an_index(void)
{
	char file[128], text[256];
	snprintf(file, sizeof(file), "%s/file", dir);
	snprintf(text, sizeof(text), "'%s' is not a newsgrep index (it is a file", file);
	expect_open(NEWSGREP_DB_READ, file, NEWSGREP_NO_INDEX, text);
	expect_open(NEWSGREP_DB_WRITE, file, NEWSGREP_NO_INDEX, text);
}

static void checks(void)
{
	char lock[160];
	snprintf(lock, sizeof(lock), "%s/lock", dbpath);
	chmod(dbpath, 0);
	as_other_user(read_refused);
	chmod(dbpath, 0755);
	chmod(lock, 0444);
	chmod(dbpath, 0555);
	as_other_user(write_refused);
	chmod(dbpath, 0755);
	chmod(lock, 0644);
	as_other_user(not_an_index);
}

int main(void)
{
	/* Appended after the last status, never renumbered; a name of its own. */
	CHECK(NEWSGREP_PERMISSION == NEWSGREP_STOPPED + 1);
	CHECK(strcmp(newsgrep_status_string(NEWSGREP_PERMISSION), "permission denied") == 0);
	for (int s = NEWSGREP_OK; s < NEWSGREP_PERMISSION; s++)
		CHECK(strcmp(newsgrep_status_string((newsgrep_status_t)s), "permission denied") !=
		      0);

	strcpy(dir, "/tmp/newsgrep-user.XXXXXX");
	if (!mkdtemp(dir) || chmod(dir, 0755) != 0)
		return 2;
	snprintf(dbpath, sizeof(dbpath), "%s/db", dir);
	newsgrep_db_t *w = NULL;
	CHECK(newsgrep_db_open(&w, dbpath, NEWSGREP_DB_WRITE, NULL, NULL) == NEWSGREP_OK);
	newsgrep_db_close(w);
	char file[128];
	snprintf(file, sizeof(file), "%s/file", dir);
	FILE *f = fopen(file, "w");
	if (!f)
		return 2;
	fputs("not an index\n", f);
	fclose(f);

	checks();

	char cmd[128];
	snprintf(cmd, sizeof(cmd), "chmod -R u+rwX '%s'; rm -rf '%s'", dir, dir);
	if (system(cmd) != 0)
		failures++;
	if (failures) {
		fprintf(stderr, "test_permission: %d failures\n", failures);
		return 1;
	}
	puts("test_permission: all passed");
	return 0;
}
