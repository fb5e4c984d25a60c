/*
 * dblist.h - the index folders $NEWSGREP_DB lists.
 *
 * $NEWSGREP_DB may name several indexes, ':' between them, which newsgrep
 * searches as one; a folder whose name holds ':' is given with --db.
 */
#ifndef NEWSGREP_DBLIST_H
#define NEWSGREP_DBLIST_H

#include <stdbool.h>
#include <stddef.h>

/* The folders `list` names, ':' between them, empty ones skipped: *paths
 * (*n of them) point into *copy, a copy of `list`; the caller frees both.
 * False when out of memory. */
bool dblist_split(const char *list, char **copy, const char ***paths, size_t *n);

#endif
