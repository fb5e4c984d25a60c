/*
 * check.h - the little the unit tests share: a CHECK that counts failures
 * and reports file:line, and exact-size copies so AddressSanitizer catches
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
