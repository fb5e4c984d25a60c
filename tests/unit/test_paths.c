/*
 * test_paths.c - the path rules behind path: (roots.c): tidying a folder as
 * typed, and the folder term an article's folders are indexed under.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "ng.h"

static void tidies(const char *in, const char *want, int line)
{
	size_t len = strlen(in);
	char *p = exact_copy(in, len); /* ASan catches writes past len */
	size_t n = ng_path_tidy(p, len);
	if (n > len || n != strlen(want) || memcmp(p, want, n) != 0) {
		fprintf(stderr, "%s:%d: tidy '%s'\n  got  '%.*s'\n  want '%s'\n", __FILE__, line,
		        in, (int)(n > len ? len : n), p, want);
		failures++;
	}
	free(p);
}
#define TIDIES(in, want) tidies(in, want, __LINE__)

static void test_tidy(void)
{
	TIDIES("", "");
	TIDIES("ai", "ai");
	TIDIES("ai/", "ai");
	TIDIES("./ai//2024/./", "ai/2024");
	TIDIES("ai/../seeds", "seeds");
	TIDIES("ai/..", "");
	TIDIES("../ai", "../ai"); /* above where it starts: kept */
	TIDIES("a/../../b", "../b");
	TIDIES("../../a/..", "../..");
	TIDIES("/", "/");
	TIDIES("//", "/");
	TIDIES("/..", "/");
	TIDIES("/../srv/./news//", "/srv/news");
	TIDIES("/srv/news/../../..", "/");
	TIDIES("/srv/news/ai/..", "/srv/news");
	TIDIES("/srv/...", "/srv/..."); /* a name, not a step up */
	TIDIES("/srv/.x/..y", "/srv/.x/..y");
}

static void test_folder_term(void)
{
	ng_buf b = {0};
	CHECK(ng_folder_term("/srv/news", 9, &b));
	CHECK(b.len == 11 && memcmp(b.data, "XF/srv/news", 11) == 0);
	/* Too long for a term (Xapian's limit is 245 bytes): a prefix of it and
	 * a hash of the whole, so that two long folders differ. */
	char a[300], c[300];
	memset(a, 'a', sizeof(a));
	memcpy(c, a, sizeof(c));
	a[0] = c[0] = '/';
	c[299] = 'c';
	CHECK(ng_folder_term(a, 238, &b));
	CHECK(b.len == 240 && memcmp(b.data, "XF/aaa", 6) == 0);
	CHECK(ng_folder_term(a, 239, &b));
	CHECK(b.len == 2 + 160 + 33 && b.data[162] == '#');
	char first[300];
	CHECK(ng_folder_term(a, sizeof(a), &b));
	memcpy(first, b.data, b.len);
	size_t first_len = b.len;
	CHECK(ng_folder_term(c, sizeof(c), &b));
	CHECK(b.len == first_len && memcmp(first, b.data, 162) == 0 &&
	      memcmp(first, b.data, b.len) != 0);
	ng_buf_release(&b);
}

int main(void)
{
	test_tidy();
	test_folder_term();
	if (failures) {
		fprintf(stderr, "%d check(s) failed\n", failures);
		return 1;
	}
	printf("test_paths: all checks passed\n");
	return 0;
}
