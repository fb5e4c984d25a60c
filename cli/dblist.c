/*
 * dblist.c - the index folders $NEWSGREP_DB lists (dblist.h).
 */
#include "dblist.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Whether s, up to its end or the next ':', is a number (a port). */
static bool all_digits(const char *s)
{
	size_t n = strspn(s, "0123456789");
	return n > 0 && (s[n] == '\0' || s[n] == ':');
}

bool dblist_split(const char *list, char **copy, const char ***paths, size_t *n)
{
	*paths = NULL;
	*n = 0;
	if (!(*copy = strdup(list)))
		return false;
	size_t most = 1;
	for (const char *p = list; *p; p++)
		most += *p == ':';
	if (!(*paths = calloc(most, sizeof(**paths)))) {
		free(*copy);
		*copy = NULL;
		return false;
	}
	for (char *p = *copy, *next; p; p = next) {
		next = strchr(p, ':');
		/* HOST:PORT: the port stays with its host. */
		if (next && *p && all_digits(next + 1))
			next = strchr(next + 1, ':');
		if (next)
			*next++ = '\0';
		if (*p)
			(*paths)[(*n)++] = p;
	}
	return true;
}
