/*
 * test_layout.c - the index folder's rules (core/layout.c): which stub
 * newsgrep accepts (issue 16: only "auto db.N" naming a folder of its
 * own), publishing a database (ng_layout_publish), and that only a
 * writer's handle (db->w) may lock or publish.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "ng.h"
#include "ngx.h"

static char dir[] = "/tmp/test_layout_XXXXXX";

static void put(const char *name, const void *bytes, size_t len)
{
	char path[PATH_MAX];
	CHECK(ng_path_join(path, sizeof(path), dir, name));
	unlink(path);
	FILE *f = fopen(path, "wb");
	CHECK(f && fwrite(bytes, 1, len, f) == len);
	if (f)
		fclose(f);
}

static void make_folder(const char *name)
{
	char path[PATH_MAX];
	CHECK(ng_path_join(path, sizeof(path), dir, name));
	CHECK(mkdir(path, 0777) == 0);
}

static bool exists(const char *name)
{
	char path[PATH_MAX];
	struct stat st;
	return ng_path_join(path, sizeof(path), dir, name) && lstat(path, &st) == 0;
}

/* The stub holds text[0..len): ng_layout_stub's status, with its message
 * holding `says` when the stub is refused. */
static void stub_is(const char *text, size_t len, newsgrep_status_t want, const char *says,
                    int line)
{
	put(NG_LAYOUT_STUB, text, len);
	newsgrep_db_t db = {.path = dir};
	char live[64] = "";
	newsgrep_status_t st = ng_layout_stub(&db, live, sizeof(live));
	bool ok = st == want && (st != NEWSGREP_OK || strcmp(live, says) == 0) &&
	          (st == NEWSGREP_OK || strstr(db.errmsg, says) != NULL);
	if (!ok) {
		fprintf(stderr, "%s:%d: stub '%.*s': status %d, want %d; '%s' '%s', want '%s'\n",
		        __FILE__, line, (int)len, text, (int)st, (int)want, live, db.errmsg, says);
		failures++;
	}
	/* ng_layout_live_db agrees. */
	CHECK(ng_layout_live_db(dir, live, sizeof(live)) == (want == NEWSGREP_OK));
}
#define ACCEPTS(lit, name) stub_is(lit, sizeof(lit) - 1, NEWSGREP_OK, name, __LINE__)
#define REFUSES(lit, says) stub_is(lit, sizeof(lit) - 1, NEWSGREP_CORRUPT, says, __LINE__)

static void test_stub(void)
{
	make_folder("db.1");
	make_folder("db.7");
	ACCEPTS("auto db.7\n", "db.7");
	ACCEPTS("auto db.1\n", "db.1");

	const char *not_auto = "line 1: it is not 'auto db.N'";
	REFUSES("remote ssh host xapian-progsrv /srv/db\n", not_auto);
	REFUSES("remote :tcp host:33333\n", not_auto);
	REFUSES("auto db.1", not_auto); /* no newline */
	REFUSES("auto db.1\0\n", not_auto);
	REFUSES("auto db.1\n\0", not_auto);
	REFUSES("", not_auto);
	REFUSES("glass db.1\n", not_auto);

	const char *not_ours = "line 1: it does not name a database of the index folder";
	REFUSES("auto /abs/db.1\n", not_ours);
	REFUSES("auto ../x\n", not_ours);
	REFUSES("auto ../db.1\n", not_ours);
	REFUSES("auto db.1/../db.7\n", not_ours);
	REFUSES("auto db.01\n", not_ours);
	REFUSES("auto db.0\n", not_ours);
	REFUSES("auto db.\n", not_ours);
	REFUSES("auto db.1 \n", not_ours);
	REFUSES("auto db.1\r\n", not_ours);
	REFUSES("auto \n", not_ours);
	REFUSES("auto db.99999999999999999999999\n", not_ours);
	REFUSES("auto db.1111111111111111111111111111111111111111111111111111111111111111\n",
	        not_ours);
	/* The name is judged before what follows it. */
	REFUSES("auto ../x\nauto db.1\n", not_ours);

	REFUSES("auto db.1\nauto db.7\n", "line 2: newsgrep writes one line only");
	REFUSES("auto db.1\n\n", "line 2: newsgrep writes one line only");

	REFUSES("auto db.9\n", "the database it names does not exist");
	put("db.2", "x", 1);
	REFUSES("auto db.2\n", "the database it names is not a folder");
	char target[PATH_MAX];
	CHECK(ng_path_join(target, sizeof(target), dir, "db.7"));
	char link[PATH_MAX];
	CHECK(ng_path_join(link, sizeof(link), dir, "db.3"));
	CHECK(symlink(target, link) == 0);
	REFUSES("auto db.3\n", "the database it names is a symbolic link");
	/* A planted link among its files. */
	CHECK(ng_path_join(link, sizeof(link), dir, "db.7/postlist.glass"));
	CHECK(symlink("/etc/passwd", link) == 0);
	REFUSES("auto db.7\n", "holds 'postlist.glass', which is a symbolic link");

	/* The stub itself a link: never followed. */
	char stub[PATH_MAX];
	CHECK(ng_path_join(stub, sizeof(stub), dir, NG_LAYOUT_STUB));
	unlink(stub);
	CHECK(ng_path_join(target, sizeof(target), dir, "elsewhere"));
	CHECK(symlink(target, stub) == 0);
	put("elsewhere", "auto db.1\n", 10);
	newsgrep_db_t db = {.path = dir};
	char live[64];
	CHECK(ng_layout_stub(&db, live, sizeof(live)) == NEWSGREP_CORRUPT);
	CHECK(strstr(db.errmsg, "it is a symbolic link") != NULL);
	unlink(stub);

	/* Too small a buffer is a refusal, never a name cut short. */
	put(NG_LAYOUT_STUB, "auto db.1\n", 10);
	CHECK(!ng_layout_live_db(dir, live, 4));
	CHECK(ng_layout_live_db(dir, live, 5));
	STR_IS(live, "db.1");
}

static void stub_text_is(const char *want)
{
	char path[PATH_MAX], text[64] = "";
	CHECK(ng_path_join(path, sizeof(path), dir, NG_LAYOUT_STUB));
	FILE *f = fopen(path, "rb");
	CHECK(f != NULL);
	if (f) {
		size_t n = fread(text, 1, sizeof(text) - 1, f);
		text[n] = '\0';
		fclose(f);
	}
	STR_IS(text, want);
}

/* A new database db.N, with its writer. */
static ngx_db *new_database(unsigned n)
{
	char name[32], path[PATH_MAX];
	snprintf(name, sizeof(name), "%s%u", NG_LAYOUT_DB_PREFIX, n);
	CHECK(ng_path_join(path, sizeof(path), dir, name));
	ngx_db *x = NULL;
	ngx_error err;
	CHECK(ngx_db_open_write(&x, path, 1, &err) == NGX_OK);
	return x;
}

static void test_publish(void)
{
	newsgrep_db_t *db = NULL;
	char *msg = NULL;
	CHECK(newsgrep_db_open(&db, dir, NEWSGREP_DB_WRITE, NULL, &msg) == NEWSGREP_OK);
	free(msg);
	if (!db)
		return;
	stub_text_is("auto db.1\n");

	/* Published with its writer: the stub names it, the handle writes
	 * it, and the other databases are gone. */
	ngx_db *x2 = new_database(2);
	CHECK(exists("db.1"));
	CHECK(ng_layout_publish(db, 2, x2) == NEWSGREP_OK);
	stub_text_is("auto db.2\n");
	CHECK(db->x == x2);
	CHECK(db->w->building == 0);
	CHECK(!exists("db.1"));
	CHECK(exists("db.2"));
	CHECK(!exists(NG_LAYOUT_STUB ".new"));

	/* A stub that cannot be written: nothing changes, errno says why,
	 * the writer is still the caller's. */
	ngx_db *x3 = new_database(3);
	make_folder(NG_LAYOUT_STUB ".new");
	errno = 0;
	CHECK(ng_layout_publish(db, 3, x3) == NEWSGREP_IO);
	CHECK(errno != 0);
	CHECK(strstr(db->errmsg, "cannot write") != NULL);
	stub_text_is("auto db.2\n");
	CHECK(db->x == x2);
	CHECK(exists("db.2") && exists("db.3"));

	/* Without a writer: the handle's already writes db.N (as after the
	 * merge of a first index's segments). */
	char stale[PATH_MAX];
	CHECK(ng_path_join(stale, sizeof(stale), dir, NG_LAYOUT_STUB ".new"));
	CHECK(rmdir(stale) == 0);
	ngx_error err;
	CHECK(ngx_db_close(db->x, &err) == NGX_OK);
	db->x = x3;
	db->w->building = 3;
	CHECK(ng_layout_publish(db, 3, NULL) == NEWSGREP_OK);
	stub_text_is("auto db.3\n");
	CHECK(db->w->building == 0);
	CHECK(db->x == x3);
	CHECK(!exists("db.2"));
	CHECK(exists("db.3"));
	newsgrep_db_close(db);
}

/* A reader's handle has no writer part: what only a writer does refuses
 * it, and changes nothing. */
static void test_reader_refused(void)
{
	newsgrep_db_t reader = {.path = dir, .mode = NEWSGREP_DB_READ};
	CHECK(ng_layout_lock(&reader, 0) == NEWSGREP_INVALID_ARG);
	CHECK(strstr(reader.errmsg, "only a writer") != NULL);
	CHECK(!exists(NG_LAYOUT_LOCK));
	reader.errmsg[0] = '\0';
	CHECK(ng_layout_publish(&reader, 1, NULL) == NEWSGREP_INVALID_ARG);
	CHECK(strstr(reader.errmsg, "only a writer") != NULL);
	CHECK(!exists(NG_LAYOUT_STUB));
	ng_db_step(&reader); /* counts nothing, and does not crash */
	CHECK(reader.w == NULL);
}

int main(void)
{
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 2;
	}
	test_stub();
	CHECK(ng_remove_tree(dir) == 0);
	CHECK(mkdir(dir, 0777) == 0);
	test_publish();
	CHECK(ng_remove_tree(dir) == 0);
	CHECK(mkdir(dir, 0777) == 0);
	test_reader_refused();
	CHECK(ng_remove_tree(dir) == 0);
	if (failures)
		fprintf(stderr, "%d check(s) failed\n", failures);
	return failures ? 1 : 0;
}
