/*
 * test_members.c - what the names given for a set stand for (members.c):
 * HOST:PORT forms, folders before servers, set files with their comments,
 * relative folders and timeouts, and the errors that name the line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "ng.h"

static bool remote(const char *text, const char *host, unsigned port)
{
	char h[64];
	unsigned p = 0;
	if (!ng_member_remote_parse(text, h, sizeof(h), &p))
		return host == NULL;
	return host && strcmp(h, host) == 0 && p == port;
}

static void test_remote_forms(void)
{
	CHECK(remote("127.0.0.1:7001", "127.0.0.1", 7001));
	CHECK(remote("news.example.org:1", "news.example.org", 1));
	CHECK(remote("[::1]:7001", "::1", 7001));
	CHECK(remote("::1:7001", NULL, 0)); /* bare IPv6: ambiguous */
	CHECK(remote("host:0", NULL, 0));
	CHECK(remote("host:65536", NULL, 0));
	CHECK(remote("host:", NULL, 0));
	CHECK(remote(":7001", NULL, 0));
	CHECK(remote("host:70a", NULL, 0));
	CHECK(remote("/srv/news", NULL, 0));
	CHECK(remote("a/b:7001", NULL, 0)); /* a path, not a host */
	CHECK(remote("[]:7001", NULL, 0));
	char small[4];
	unsigned p;
	CHECK(!ng_member_remote_parse("longhost:1", small, sizeof(small), &p));
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	CHECK(f != NULL);
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

/* Parses names[0..n) into *m; the status. */
static newsgrep_status_t parse(ng_members *m, ng_error *err, const char *a, const char *b)
{
	const char *names[2] = {a, b};
	return ng_members_parse(m, names, b ? 2 : 1, err);
}

static void test_set_files(const char *dir)
{
	char set[512], idx[512], other[512];
	snprintf(set, sizeof(set), "%s/news.set", dir);
	snprintf(idx, sizeof(idx), "%s/archive", dir);
	snprintf(other, sizeof(other), "%s/other.set", dir);
	CHECK(mkdir(idx, 0700) == 0);
	write_file(set, "# newsgrep set\n"
	                "# the archive, and two servers\n"
	                "archive\n"
	                "\n"
	                "  127.0.0.1:7001  timeout=2 connect-timeout=0.25  # this year\n"
	                "[::1]:7002\r\n"
	                "missing-folder\n");
	ng_members m;
	ng_error err;
	CHECK(parse(&m, &err, set, "10.0.0.1:7003") == NEWSGREP_OK);
	CHECK(m.n == 5);
	if (m.n == 5) {
		STR_IS(m.v[0].name, idx);
		CHECK(!m.v[0].remote);
		STR_IS(m.v[1].name, "127.0.0.1:7001");
		CHECK(m.v[1].remote && m.v[1].port == 7001);
		STR_IS(m.v[1].host, "127.0.0.1");
		CHECK(m.v[1].timeout_ms == 2000 && m.v[1].connect_ms == 250);
		STR_IS(m.v[2].host, "::1");
		CHECK(m.v[2].timeout_ms == NG_REMOTE_TIMEOUT_MS &&
		      m.v[2].connect_ms == NG_REMOTE_CONNECT_MS);
		CHECK(!m.v[3].remote); /* a folder, though missing: opening says so */
		CHECK(strstr(m.v[3].name, "/missing-folder") != NULL);
		CHECK(m.v[4].remote && m.v[4].port == 7003);
	}
	ng_members_release(&m);

	/* A folder that exists is a folder, whatever its name. */
	char odd[512];
	snprintf(odd, sizeof(odd), "%s/host:7001", dir);
	CHECK(mkdir(odd, 0700) == 0);
	CHECK(parse(&m, &err, odd, NULL) == NEWSGREP_OK && m.n == 1 && !m.v[0].remote);
	ng_members_release(&m);

	/* Errors name the set file and the line. */
	static const struct {
		const char *text, *want;
	} bad[] = {
	    {"# newsgrep set\narchive timeout=3\n", "line 2: timeouts are for a HOST:PORT server"},
	    {"# newsgrep set\n\n127.0.0.1:1 timeout=0\n", "line 3, column 13: 'timeout=0' is not"},
	    {"# newsgrep set\n127.0.0.1:1 timeout=9999\n", "is not timeout=SECONDS"},
	    {"# newsgrep set\n127.0.0.1:1 speed=3\n", "'speed=3' is not"},
	    {"# newsgrep set\n127.0.0.1:1 timeout=1 timeout=2 timeout=3\n",
	     "line 2: too many words"},
	    {"# newsgrep set\n# nothing\n\n", "names no index"},
	    {"# newsgrep set\nother.set\n", "'other.set' is a set file: a set file lists index"},
	};
	write_file(other, "# newsgrep set\narchive\n");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		write_file(set, bad[i].text);
		CHECK(parse(&m, &err, set, NULL) == NEWSGREP_INVALID_ARG);
		if (!strstr(err.message, bad[i].want) || !strstr(err.message, set)) {
			fprintf(stderr, "bad set file %zu: got '%s', want '%s'\n", i, err.message,
			        bad[i].want);
			failures++;
		}
		CHECK(m.n == 0 && m.v == NULL);
	}
	/* Not text: refused, not read as members. */
	FILE *f = fopen(set, "w");
	if (f) {
		fwrite("# newsgrep set\narchive\0\n", 1, 24, f);
		fclose(f);
	}
	CHECK(parse(&m, &err, set, NULL) == NEWSGREP_INVALID_ARG);
	CHECK(strstr(err.message, "is not a set file") != NULL);
	/* A file without the first line is no set file: it is named as a
	 * member (which opening it refuses), and never read. */
	write_file(set, "root:x:0:0:root:/root:/bin/bash\n");
	CHECK(parse(&m, &err, set, NULL) == NEWSGREP_OK && m.n == 1 && !m.v[0].remote);
	if (m.n == 1)
		STR_IS(m.v[0].name, set);
	ng_members_release(&m);
}

int main(void)
{
	char dir[] = "/tmp/test_members.XXXXXX";
	if (!mkdtemp(dir))
		return 1;
	test_remote_forms();
	test_set_files(dir);
	char cmd[600];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		failures++;
	if (failures)
		fprintf(stderr, "%d failures\n", failures);
	return failures != 0;
}
