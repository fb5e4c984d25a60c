/*
 * test_nomem_status.c - running out of memory while a query is parsed is
 * NEWSGREP_NOMEM with the message "out of memory", for newsgrep_suggest as
 * for newsgrep_search: not a bad query ("query:1:1: out of memory", as
 * newsgrep_suggest said when out of memory was told by the message's
 * text).  This program's malloc fails on demand, for blocks of 64 KiB or
 * more: the first a query's parse asks for is such a block (the chunk of
 * its arena), which reading the index before it does not need.  Where this
 * malloc is not the one the process uses (a sanitizer's runtime,
 * valgrind's), the test is skipped.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "newsgrep.h"

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define OWN_MALLOC 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) ||                         \
    __has_feature(memory_sanitizer)
#define OWN_MALLOC 0
#endif
#endif
#ifndef OWN_MALLOC
#define OWN_MALLOC 1
#endif

#define SKIP 77

#if OWN_MALLOC
/* glibc's allocator under its other names. */
extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t n);
extern void __libc_free(void *p);

static volatile int failing;
#define BIG (64u * 1024u)

void *malloc(size_t n)
{
	if (failing && n >= BIG) {
		errno = ENOMEM;
		return NULL;
	}
	return __libc_malloc(n);
}

void *calloc(size_t n, size_t size)
{
	if (failing && (size && n >= BIG / size)) {
		errno = ENOMEM;
		return NULL;
	}
	return __libc_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
	if (failing && n >= BIG) {
		errno = ENOMEM;
		return NULL;
	}
	return __libc_realloc(p, n);
}

void free(void *p)
{
	__libc_free(p);
}
#endif

/* Whether this program's malloc is the one in use: it fails on demand. */
static int malloc_fails(void)
{
#if OWN_MALLOC
	void *(*volatile m)(size_t) = malloc;
	failing = 1;
	void *p = m(BIG);
	failing = 0;
	free(p);
	return p == NULL;
#else
	return 0;
#endif
}

static void set_failing(int on)
{
#if OWN_MALLOC
	failing = on;
#else
	(void)on;
#endif
}

int main(void)
{
	if (!malloc_fails()) {
		puts("test_nomem_status: skipped (malloc is not this program's)");
		return SKIP;
	}
	const char *src = getenv("NEWSGREP_SOURCE_DIR");
	if (!src) {
		fprintf(stderr, "test_nomem_status: set NEWSGREP_SOURCE_DIR\n");
		return 2;
	}
	char tmpl[] = "/tmp/newsgrep-test-nomem-XXXXXX";
	char dir[PATH_MAX];
	if (!mkdtemp(tmpl) || !realpath(tmpl, dir))
		return 2;
	char archive[PATH_MAX + 16], db_path[PATH_MAX + 16], cmd[3 * PATH_MAX];
	snprintf(archive, sizeof(archive), "%s/archive", dir);
	snprintf(db_path, sizeof(db_path), "%s/db", dir);
	snprintf(cmd, sizeof(cmd),
	         "mkdir '%s' && cp %s/corpus/seeds/000_21fff29c15f39abc.txt '%s/a.md'", archive,
	         src, archive);
	if (system(cmd) != 0)
		return 2;

	newsgrep_db_t *w = NULL;
	CHECK(newsgrep_db_open(&w, db_path, NEWSGREP_DB_WRITE, NULL) == NEWSGREP_OK);
	newsgrep_index_options_t iopts;
	newsgrep_index_options_init(&iopts);
	iopts.threads = 1;
	const char *paths[] = {archive};
	newsgrep_index_stats_t stats;
	CHECK(newsgrep_index_paths(w, paths, 1, &iopts, &stats) == NEWSGREP_OK);
	newsgrep_db_close(w);

	newsgrep_db_t *db = NULL;
	CHECK(newsgrep_db_open(&db, db_path, NEWSGREP_DB_READ, NULL) == NEWSGREP_OK);
	if (!db)
		return 1;
	/* With memory: the tokenizer and stemmer are made, the query fine. */
	char *fixed = NULL;
	newsgrep_status_t st = newsgrep_suggest(&fixed, db, "gpu", NULL);
	CHECK(st == NEWSGREP_OK || st == NEWSGREP_DONE);
	newsgrep_free(fixed);
	newsgrep_hits_t *hits = NULL;
	CHECK(newsgrep_search(&hits, db, "gpu", NULL) == NEWSGREP_OK);
	newsgrep_hits_free(hits);

	/* Without big blocks: the query's parse is the first to want one. */
	char message[300];
	fixed = NULL;
	set_failing(1);
	st = newsgrep_suggest(&fixed, db, "gpu", NULL);
	set_failing(0);
	snprintf(message, sizeof(message), "%s", newsgrep_db_errmsg(db));
	if (st != NEWSGREP_NOMEM || strcmp(message, "out of memory") != 0)
		fprintf(stderr, "newsgrep_suggest: status %d, \"%s\"\n", (int)st, message);
	CHECK(st == NEWSGREP_NOMEM);
	STR_IS(message, "out of memory");
	CHECK(fixed == NULL);

	hits = NULL;
	set_failing(1);
	st = newsgrep_search(&hits, db, "gpu", NULL);
	set_failing(0);
	snprintf(message, sizeof(message), "%s", newsgrep_db_errmsg(db));
	CHECK(st == NEWSGREP_NOMEM);
	STR_IS(message, "out of memory");
	newsgrep_hits_free(hits);

	/* And with memory again, all is as before. */
	CHECK(newsgrep_search(&hits, db, "gpu", NULL) == NEWSGREP_OK);
	newsgrep_hits_free(hits);
	newsgrep_db_close(db);

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		return 2;
	if (failures) {
		fprintf(stderr, "test_nomem_status: %d failures\n", failures);
		return 1;
	}
	puts("test_nomem_status: all passed");
	return 0;
}
