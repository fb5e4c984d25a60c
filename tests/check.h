/*
 * check.h - the little the unit tests share: a CHECK that counts failures
 * and reports file:line, STR_IS for strings, and exact-size copies so AddressSanitizer catches
 * any read past the end of an input.
 */
#ifndef NEWSGREP_CHECK_H
#define NEWSGREP_CHECK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

#define CHECK(cond)                                                                                \
	do {                                                                                       \
		if (!(cond)) {                                                                     \
			fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond);   \
			failures++;                                                                \
		}                                                                                  \
	} while (0)

/* A string is what it should be (NULL only when NULL is wanted). */
static inline void str_is(const char *file, int line, const char *what, const char *got,
                          const char *want)
{
	if (got == NULL && want == NULL)
		return;
	if (got == NULL || want == NULL || strcmp(got, want) != 0) {
		fprintf(stderr, "%s:%d: %s is %s%s%s, want %s%s%s\n", file, line, what,
		        got ? "\"" : "", got ? got : "NULL", got ? "\"" : "", want ? "\"" : "",
		        want ? want : "NULL", want ? "\"" : "");
		failures++;
	}
}
#define STR_IS(got, want) str_is(__FILE__, __LINE__, #got, got, want)

/* A heap copy of s[0..len) of exactly len bytes; the caller frees it. */
static inline char *exact_copy(const void *s, size_t len)
{
	char *p = malloc(len ? len : 1);
	if (!p) {
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	if (len)
		memcpy(p, s, len);
	return p;
}

#endif
