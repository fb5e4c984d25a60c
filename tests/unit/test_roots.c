/*
 * test_roots.c - the paths an index's roots were added by (roots.c): one
 * root per path, the last it was added as; a path that is its root is no
 * pair; what is written keeps only the pairs of roots still there.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "ng.h"

/* The metadata value `added` is written as, for roots `roots` (one a line). */
static void formats(const ng_roots *added, const char *roots, const char *want, int line)
{
	ng_roots r;
	ng_buf b = {0};
	if (!ng_roots_parse(roots, &r) || !ng_added_format(added, &r, &b)) {
		fprintf(stderr, "%s:%d: out of memory\n", __FILE__, line);
		failures++;
	} else if (strcmp(b.data, want) != 0) {
		fprintf(stderr, "%s:%d: format\n  got  '%s'\n  want '%s'\n", __FILE__, line, b.data,
		        want);
		failures++;
	}
	ng_roots_release(&r);
	ng_buf_release(&b);
}
#define FORMATS(added, roots, want) formats(added, roots, want, __LINE__)

/* ng_added_note as 1 (changed), 0 (not) or -1 (out of memory). */
static int note(ng_roots *a, const char *root, const char *path)
{
	bool changed;
	return ng_added_note(a, root, path, &changed) != NEWSGREP_OK ? -1 : changed;
}

static void test_added(void)
{
	ng_roots a;
	CHECK(ng_roots_parse("", &a) && a.n == 0);
	CHECK(ng_added_root(&a, "/home/ann/news") == NULL);
	/* A path that is its root is no pair. */
	CHECK(note(&a, "/data/news", "/data/news") == 0 && a.n == 0);
	CHECK(note(&a, "/data/news", "/home/ann/news") == 1 && a.n == 2);
	CHECK(note(&a, "/data/news", "/home/ann/news") == 0 && a.n == 2);
	CHECK(note(&a, "/data/news", "/home/ann/n2") == 1 && a.n == 4);
	CHECK(strcmp(ng_added_root(&a, "/home/ann/news"), "/data/news") == 0);
	CHECK(ng_added_root(&a, "/data/news") == NULL);
	/* A path with a newline cannot be written: it is no pair. */
	CHECK(note(&a, "/data/news", "/home/ann/a\nb") == 0 && a.n == 4);
	FORMATS(&a, "/data/news\n", "/data/news\n/home/ann/news\n/data/news\n/home/ann/n2\n");
	FORMATS(&a, "/data/other\n", "");
	/* The path added again, leading elsewhere: the last root only. */
	CHECK(note(&a, "/data/other", "/home/ann/news") == 1 && a.n == 4);
	CHECK(strcmp(ng_added_root(&a, "/home/ann/news"), "/data/other") == 0);
	FORMATS(&a, "/data/news\n/data/other\n",
	        "/data/news\n/home/ann/n2\n/data/other\n/home/ann/news\n");
	FORMATS(&a, "/data/other\n", "/data/other\n/home/ann/news\n");
	/* ... inside a root, or as a root itself: no root's. */
	CHECK(note(&a, "/home/ann/news", "/home/ann/news") == 1 && a.n == 2);
	CHECK(ng_added_root(&a, "/home/ann/news") == NULL);
	CHECK(note(&a, "/home/ann/news", "/home/ann/news") == 0 && a.n == 2);
	ng_roots_release(&a);

	/* Read back as written. */
	CHECK(ng_roots_parse("/data/news\n/home/ann/news\n", &a) && a.n == 2);
	CHECK(strcmp(ng_added_root(&a, "/home/ann/news"), "/data/news") == 0);
	ng_roots_release(&a);
}

/* ng_roots_add says whether the set changed, beside its status. */
static void test_add(void)
{
	ng_roots r = {0};
	bool changed = false;
	CHECK(ng_roots_add(&r, "/data/news", &changed) == NEWSGREP_OK && changed && r.n == 1);
	CHECK(ng_roots_add(&r, "/data/news/2024", &changed) == NEWSGREP_OK && !changed && r.n == 1);
	CHECK(ng_roots_add(&r, "/data/blogs", NULL) == NEWSGREP_OK && r.n == 2);
	/* A root over both replaces them. */
	CHECK(ng_roots_add(&r, "/data", &changed) == NEWSGREP_OK && changed && r.n == 1);
	CHECK(strcmp(r.v[0], "/data") == 0);
	ng_roots_release(&r);
}

int main(void)
{
	test_add();
	test_added();
	if (failures) {
		fprintf(stderr, "%d check(s) failed\n", failures);
		return 1;
	}
	printf("test_roots: all checks passed\n");
	return 0;
}
