/*
 * failmalloc.h - a program's own malloc, which fails on demand for blocks
 * of FAILMALLOC_BIG bytes or more (failmalloc_set): what runs out of
 * memory then is what asks for a big block first.  Include it in one file
 * of a test program.  Where it is not the malloc in use (a sanitizer's
 * runtime, valgrind's), failmalloc_works() is false: skip the test (exit
 * FAILMALLOC_SKIP, the test's SKIP_RETURN_CODE).
 */
#ifndef NEWSGREP_FAILMALLOC_H
#define NEWSGREP_FAILMALLOC_H

#include <errno.h>
#include <stdlib.h>

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define FAILMALLOC_OWN 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) ||                         \
    __has_feature(memory_sanitizer)
#define FAILMALLOC_OWN 0
#endif
#endif
#ifndef FAILMALLOC_OWN
#define FAILMALLOC_OWN 1
#endif

#define FAILMALLOC_SKIP 77

#if FAILMALLOC_OWN
/* glibc's allocator under its other names. */
extern void *__libc_malloc(size_t n);
extern void *__libc_calloc(size_t n, size_t size);
extern void *__libc_realloc(void *p, size_t n);
extern void __libc_free(void *p);

static volatile int failing;
#define FAILMALLOC_BIG (64u * 1024u)

void *malloc(size_t n)
{
	if (failing && n >= FAILMALLOC_BIG) {
		errno = ENOMEM;
		return NULL;
	}
	return __libc_malloc(n);
}

void *calloc(size_t n, size_t size)
{
	if (failing && (size && n >= FAILMALLOC_BIG / size)) {
		errno = ENOMEM;
		return NULL;
	}
	return __libc_calloc(n, size);
}

void *realloc(void *p, size_t n)
{
	if (failing && n >= FAILMALLOC_BIG) {
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
static int failmalloc_works(void)
{
#if FAILMALLOC_OWN
	void *(*volatile m)(size_t) = malloc;
	failing = 1;
	void *p = m(FAILMALLOC_BIG);
	failing = 0;
	free(p);
	return p == NULL;
#else
	return 0;
#endif
}

static void failmalloc_set(int on)
{
#if FAILMALLOC_OWN
	failing = on;
#else
	(void)on;
#endif
}

#endif
