/*
 * test_glass.c - what the shim knows of Xapian's files (shim/glass.cc,
 * shim/glassver.cc): the names of a glass database's files, the syntax of
 * a stub, and the block numbers of a version file.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "ng.h"
#include "ngx.h"

/* Parses text[0..len) from a heap copy of exactly len bytes (ASan catches
 * any read past it). */
static ngx_stub_kind parse(const char *text, size_t len, char *name, size_t cap)
{
	char *copy = exact_copy(text, len);
	ngx_stub_kind kind = ngx_stub_parse(copy, len, name, cap);
	free(copy);
	return kind;
}
#define PARSE(lit, name, cap) parse(lit, sizeof(lit) - 1, name, cap)

static void test_stub_parse(void)
{
	char name[64];
	CHECK(PARSE("auto db.7\n", name, sizeof(name)) == NGX_STUB_ONE_LINE);
	STR_IS(name, "db.7");
	/* The syntax only: what the name may be is layout.c's to say. */
	CHECK(PARSE("auto /abs/db.1\n", name, sizeof(name)) == NGX_STUB_ONE_LINE);
	STR_IS(name, "/abs/db.1");
	CHECK(PARSE("auto ../x\n", name, sizeof(name)) == NGX_STUB_ONE_LINE);
	STR_IS(name, "../x");
	CHECK(PARSE("auto \n", name, sizeof(name)) == NGX_STUB_ONE_LINE);
	STR_IS(name, "");
	CHECK(PARSE("auto db.1\nauto db.2\n", name, sizeof(name)) == NGX_STUB_MORE);
	STR_IS(name, "db.1");
	CHECK(PARSE("auto db.1\n\n", name, sizeof(name)) == NGX_STUB_MORE);

	/* Not an "auto" line ended by a newline, or a NUL anywhere. */
	strcpy(name, "junk");
	CHECK(PARSE("remote ssh host xapian-progsrv /db\n", name, sizeof(name)) == NGX_STUB_BAD);
	STR_IS(name, "");
	CHECK(PARSE("remote :tcp host:1234\n", name, sizeof(name)) == NGX_STUB_BAD);
	CHECK(PARSE("glass db.1\n", name, sizeof(name)) == NGX_STUB_BAD);
	CHECK(PARSE("auto db.1", name, sizeof(name)) == NGX_STUB_BAD);
	CHECK(PARSE("auto db.1\0\n", name, sizeof(name)) == NGX_STUB_BAD);
	CHECK(PARSE("auto db.1\n\0", name, sizeof(name)) == NGX_STUB_BAD);
	CHECK(PARSE("", name, sizeof(name)) == NGX_STUB_BAD);
	CHECK(PARSE("auto", name, sizeof(name)) == NGX_STUB_BAD);
	CHECK(PARSE("auto\n", name, sizeof(name)) == NGX_STUB_BAD);
	CHECK(PARSE("auto\tdb.1\n", name, sizeof(name)) == NGX_STUB_BAD);
	CHECK(PARSE(" auto db.1\n", name, sizeof(name)) == NGX_STUB_BAD);
	CHECK(PARSE("AUTO db.1\n", name, sizeof(name)) == NGX_STUB_BAD);
	CHECK(PARSE("\nauto db.1\n", name, sizeof(name)) == NGX_STUB_BAD);

	/* A name that does not fit is never cut short. */
	char small[5];
	CHECK(PARSE("auto db.1234\n", small, sizeof(small)) == NGX_STUB_LONG_NAME);
	STR_IS(small, "");
	CHECK(PARSE("auto db.1\n", small, sizeof(small)) == NGX_STUB_ONE_LINE);
	STR_IS(small, "db.1");
	CHECK(ngx_stub_parse(NULL, 0, name, sizeof(name)) == NGX_STUB_BAD);
}

static void test_stub_format(void)
{
	char out[64], name[64];
	CHECK(ngx_stub_format(out, sizeof(out), "db.7") == 10);
	STR_IS(out, "auto db.7\n");
	/* What it writes, it reads back. */
	CHECK(ngx_stub_parse(out, strlen(out), name, sizeof(name)) == NGX_STUB_ONE_LINE);
	STR_IS(name, "db.7");
	CHECK(ngx_stub_format(out, 11, "db.7") == 10);
	CHECK(ngx_stub_format(out, 10, "db.7") == -1); /* no room for the NUL */
	CHECK(ngx_stub_format(out, sizeof(out), "db.1\nremote x") == -1);
	CHECK(ngx_stub_format(out, sizeof(out), NULL) == -1);
}

static void test_file_names(void)
{
	size_t n = 0;
	const char *t;
	bool postlist = false;
	for (; (t = ngx_glass_table_file(n)) != NULL; n++) {
		size_t len = strlen(t);
		CHECK(len > 6 && strcmp(t + len - 6, ".glass") == 0);
		CHECK(len <= strlen(NGX_GLASS_LONGEST_FILE));
		CHECK(ngx_glass_is_db_file(t));
		postlist = postlist || strcmp(t, NGX_GLASS_LONGEST_FILE) == 0;
	}
	CHECK(n == 6);
	CHECK(postlist);
	CHECK(ngx_glass_table_file(100) == NULL);
	CHECK(ngx_glass_is_db_file(NGX_GLASS_VERSION_FILE));
	CHECK(ngx_glass_is_db_file(NGX_GLASS_LOCK_FILE));
	CHECK(ngx_glass_is_db_file("postlist.glass"));
	CHECK(!ngx_glass_is_db_file(".glass"));
	CHECK(!ngx_glass_is_db_file("postlist.glass~"));
	CHECK(!ngx_glass_is_db_file("db.1"));
	CHECK(!ngx_glass_is_db_file(NG_LAYOUT_STUB));
	CHECK(!ngx_glass_is_db_file(NG_LAYOUT_LOCK));
	CHECK(!ngx_glass_is_db_file(""));
	CHECK(!ngx_glass_is_db_file(NULL));
}

/* A glass version file (format 2016-03-14) whose postlist table has its
 * root at block `root`, its first unused block at `first_unused`, and
 * whose other tables are not made yet. */
static size_t version_file(unsigned char *out, unsigned root, unsigned first_unused)
{
	/* the magic, and the version (2016 - 2014) << 9 | 3 << 5 | 14 */
	static const char head[] = "\x0f\x0dXapian Glass\x04\x6e";
	memcpy(out, head, 16);
	memset(out + 16, 0, 16); /* the UUID */
	size_t n = 32;
	out[n++] = 1; /* revision */
	/* postlist: root, flags, entries, block size / 2048, compress_min,
	 * then its free list as a string of six varints */
	const unsigned char first[] = {(unsigned char)(root & 0x7f),
	                               0,
	                               1,
	                               4,
	                               4,
	                               7,
	                               1,
	                               (unsigned char)(0x80 | (first_unused & 0x7f)),
	                               (unsigned char)(first_unused >> 7),
	                               0,
	                               0,
	                               0,
	                               0};
	memcpy(out + n, first, sizeof(first));
	n += sizeof(first);
	for (int t = 1; t < 6; t++) {
		/* root 0, flags 1 (no root), entries 0, 4, 4, an empty free list */
		const unsigned char lazy[] = {0, 1, 0, 4, 4, 0};
		memcpy(out + n, lazy, sizeof(lazy));
		n += sizeof(lazy);
	}
	return n;
}

static void write_file(const char *dir, const char *name, const void *bytes, size_t len)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	CHECK(f && fwrite(bytes, 1, len, f) == len);
	if (f)
		fclose(f);
}

static void test_blocks(void)
{
	char dir[] = "/tmp/test_glass_XXXXXX", why[600] = "";
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		failures++;
		return;
	}
	CHECK(ngx_glass_blocks_sane(dir, why, sizeof(why))); /* no version file */
	static unsigned char table[8192];
	write_file(dir, "postlist.glass", table, sizeof(table)); /* one block */
	unsigned char v[256];
	size_t n = version_file(v, 0, 2);
	write_file(dir, NGX_GLASS_VERSION_FILE, v, n);
	CHECK(ngx_glass_blocks_sane(dir, why, sizeof(why)));
	/* 1 block: 2 * 1 + 1024 more may be named, not one past. */
	n = version_file(v, 0, 1026);
	write_file(dir, NGX_GLASS_VERSION_FILE, v, n);
	CHECK(ngx_glass_blocks_sane(dir, why, sizeof(why)));
	n = version_file(v, 0, 1027);
	write_file(dir, NGX_GLASS_VERSION_FILE, v, n);
	CHECK(!ngx_glass_blocks_sane(dir, why, sizeof(why)));
	CHECK(strstr(why, "block 1027 as the postlist table's first unused block") != NULL);
	n = version_file(v, 5, 3);
	write_file(dir, NGX_GLASS_VERSION_FILE, v, n);
	CHECK(!ngx_glass_blocks_sane(dir, why, sizeof(why)));
	CHECK(strstr(why, "block 5 as the postlist table's root block") != NULL);
	/* Another format is not judged. */
	v[15] ^= 1;
	write_file(dir, NGX_GLASS_VERSION_FILE, v, n);
	CHECK(ngx_glass_blocks_sane(dir, why, sizeof(why)));
	CHECK(ng_remove_tree(dir) == 0);

	/* A database Xapian made is sane. */
	CHECK(mkdtemp(strcpy(dir, "/tmp/test_glass_XXXXXX")) != NULL);
	char db[4200];
	snprintf(db, sizeof(db), "%s/db.1", dir);
	ngx_db *x = NULL;
	ngx_error err;
	CHECK(ngx_db_open_write(&x, db, 1, &err) == NGX_OK);
	CHECK(ngx_db_set_metadata(x, "k", "v", &err) == NGX_OK);
	CHECK(ngx_db_close(x, &err) == NGX_OK);
	CHECK(ngx_glass_blocks_sane(db, why, sizeof(why)));
	CHECK(ng_remove_tree(dir) == 0);
}

/* What a stub someone else wrote would have Xapian open. */
static void test_stub_databases(void)
{
	static const struct {
		const char *text;
		unsigned n;
		int remote;
	} cases[] = {
	    {"auto db.1\n", 1, 0},
	    {"auto db.1\nauto db.7\n", 2, 0},
	    {"auto /srv/news/db.3", 1, 0},
	    {"# joined\n\nglass /a\nchert /b\ninmemory\tx\n", 3, 0},
	    {"remote 127.0.0.1:7001\n", 1, 1},
	    {"auto db.1\nremote :/bin/sh -c id\n", 2, 1},
	    {"autodb.1\nremote\nremotely x\n", 0, 0},
	    {"", 0, 0},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		int remote = -1;
		unsigned n = ngx_stub_databases(cases[i].text, strlen(cases[i].text), &remote);
		if (n != cases[i].n || remote != cases[i].remote) {
			fprintf(stderr, "stub '%s': %u databases, remote %d\n", cases[i].text, n,
			        remote);
			failures++;
		}
	}
}

int main(void)
{
	test_stub_parse();
	test_stub_format();
	test_stub_databases();
	test_file_names();
	test_blocks();
	if (failures)
		fprintf(stderr, "%d check(s) failed\n", failures);
	return failures ? 1 : 0;
}
