/*
 * dblist.c - the index folders $NEWSGREP_DB lists (dblist.h).
 */
#include "dblist.h"

#include <stdlib.h>
#include <string.h>

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
		if (next)
			*next++ = '\0';
		if (*p)
			(*paths)[(*n)++] = p;
	}
	return true;
}
