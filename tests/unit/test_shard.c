/*
 * test_shard.c - which articles a shard holds (shard.c): "K/N" read and
 * written, and the choice itself, pinned to fixed values, since machines
 * of different versions must agree on it forever.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "ng.h"

static bool parses(const char *text, uint32_t index, uint32_t count)
{
	ng_shard s = {99, 99};
	return ng_shard_parse(text, &s) && s.index == index && s.count == count;
}

static bool refused(const char *text)
{
	ng_shard s;
	return !ng_shard_parse(text, &s);
}

static void test_parse(void)
{
	CHECK(parses("1/3", 1, 3));
	CHECK(parses("3/3", 3, 3));
	CHECK(parses("1024/1024", 1024, 1024));
	/* The whole archive: nothing recorded, or 1/1. */
	CHECK(parses("", 0, 0));
	CHECK(parses(NULL, 0, 0));
	CHECK(parses("1/1", 0, 0));
	const char *bad[] = {"0/3",
	                     "4/3",
	                     "1/0",
	                     "0/0",
	                     "1/1025",
	                     "-1/3",
	                     "+1/3",
	                     "1/+3",
	                     " 1/3",
	                     "1/3 ",
	                     "1 / 3",
	                     "1/3/3",
	                     "1",
	                     "/3",
	                     "1/",
	                     "01/3",
	                     "1/03",
	                     "a/b",
	                     "1/3x",
	                     "99999999999/3",
	                     "1/18446744073709551617"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (!refused(bad[i])) {
			fprintf(stderr, "'%s' was taken for a shard\n", bad[i]);
			failures++;
		}
}

static void test_format(void)
{
	char out[32];
	ng_shard s = {2, 3};
	ng_shard_format(&s, out, sizeof(out));
	STR_IS(out, "2/3");
	s = (ng_shard){0, 0};
	ng_shard_format(&s, out, sizeof(out));
	STR_IS(out, "");
	s = (ng_shard){1, 1};
	ng_shard_format(&s, out, sizeof(out));
	STR_IS(out, "");
}

static void test_valid_same(void)
{
	CHECK(ng_shard_valid(&(ng_shard){0, 0}));
	CHECK(ng_shard_valid(&(ng_shard){1, 1}));
	CHECK(ng_shard_valid(&(ng_shard){5, 1024}));
	CHECK(!ng_shard_valid(&(ng_shard){1, 0}));
	CHECK(!ng_shard_valid(&(ng_shard){0, 3}));
	CHECK(!ng_shard_valid(&(ng_shard){4, 3}));
	CHECK(!ng_shard_valid(&(ng_shard){1, 1025}));
	CHECK(ng_shard_same(&(ng_shard){0, 0}, &(ng_shard){1, 1}));
	CHECK(ng_shard_same(&(ng_shard){2, 3}, &(ng_shard){2, 3}));
	CHECK(!ng_shard_same(&(ng_shard){2, 3}, &(ng_shard){1, 3}));
	CHECK(!ng_shard_same(&(ng_shard){1, 3}, &(ng_shard){1, 4}));
	CHECK(!ng_shard_same(&(ng_shard){0, 0}, &(ng_shard){1, 3}));
}

/* The keys and choices pinned: XXH3_64bits, seed 0 (xxHash's own test
 * vector for "" is 0x2d06800538d394c2), and its remainder by N.  Were any
 * of these to change, shards written before would hold the wrong
 * articles. */
static void test_fixed_values(void)
{
	CHECK(ng_shard_url_key("", 0) == 0x2d06800538d394c2ull);
	const char *a = "https://example.com/a";
	CHECK(ng_shard_url_key(a, strlen(a)) == 0x139891b52b3701c7ull);
	const char *dup =
	    "https://powerapps.microsoft.com/en-us/blog/"
	    "announcing-public-preview-of-ip-internet-protocol-firewall-for-dataverse/";
	uint64_t k = ng_shard_url_key(dup, strlen(dup));
	CHECK(k == 0x1af8b13470a6c57eull);
	/* 0x1af8b13470a6c57e % 3 == 0: shard 1 of 3; % 1024 == 382: shard 383. */
	CHECK(ng_shard_holds(&(ng_shard){1, 3}, k));
	CHECK(!ng_shard_holds(&(ng_shard){2, 3}, k));
	CHECK(!ng_shard_holds(&(ng_shard){3, 3}, k));
	CHECK(ng_shard_holds(&(ng_shard){383, 1024}, k));
	CHECK(!ng_shard_holds(&(ng_shard){382, 1024}, k));
	/* The whole archive holds everything. */
	CHECK(ng_shard_holds(&(ng_shard){0, 0}, k));
	CHECK(ng_shard_holds(&(ng_shard){1, 1}, k));
	/* Each key is in exactly one shard of N. */
	for (uint32_t n = 1; n <= 7; n++)
		for (uint64_t key = 0; key < 50; key++) {
			unsigned in = 0;
			for (uint32_t i = 1; i <= n; i++)
				in +=
				    ng_shard_holds(&(ng_shard){i, n}, key * 0x9e3779b97f4a7c15ull);
			CHECK(in == 1);
		}
}

/* An article without a URL: its path below its root, wherever the root is. */
static void test_path_key(void)
{
	char *here_v[] = {"/srv/news", "/other"};
	char *there_v[] = {"/mnt/archive/news"};
	ng_roots here = {here_v, 2}, there = {there_v, 1};
	uint64_t k = ng_shard_path_key("/srv/news/a/b.md", &here);
	CHECK(k == 0x07a92aea65318bd7ull); /* XXH3_64bits("a/b.md") */
	CHECK(k == ng_shard_path_key("/mnt/archive/news/a/b.md", &there));
	CHECK(k != ng_shard_path_key("/srv/news/a/c.md", &here));
	/* A root that is the file itself: its name. */
	char *file_v[] = {"/srv/news/a/b.md"};
	ng_roots file = {file_v, 1};
	CHECK(ng_shard_path_key("/srv/news/a/b.md", &file) == 0x70983971a67fafd4ull); /* "b.md" */
	/* The root "/". */
	char *top_v[] = {"/"};
	ng_roots top = {top_v, 1};
	CHECK(ng_shard_path_key("/a/b.md", &top) == k);
	/* Under no root: the path as it is. */
	ng_roots none = {NULL, 0};
	CHECK(ng_shard_path_key("a/b.md", &none) == k);
}

int main(void)
{
	test_parse();
	test_format();
	test_valid_same();
	test_fixed_values();
	test_path_key();
	if (failures) {
		fprintf(stderr, "%d check(s) failed\n", failures);
		return 1;
	}
	printf("test_shard: all checks passed\n");
	return 0;
}
