/*
 * dblist.h - the index folders $NEWSGREP_DB lists.
 *
 * $NEWSGREP_DB may name several indexes, ':' between them, which newsgrep
 * searches as one; a folder whose name holds ':' is given with --db.  A
 * server's HOST:PORT keeps its port: a piece that is all digits belongs to
 * the piece before it ("news:127.0.0.1:7001" is news and 127.0.0.1:7001;
 * a folder named by digits alone is written ./7001).  An IPv6 server is
 * given with --db, or in a set file.
 */
#ifndef NEWSGREP_DBLIST_H
#define NEWSGREP_DBLIST_H

#include <stdbool.h>
#include <stddef.h>

/* The folders and servers `list` names, ':' between them, empty ones skipped: *paths
 * (*n of them) point into *copy, a copy of `list`; the caller frees both.
 * False when out of memory. */
bool dblist_split(const char *list, char **copy, const char ***paths, size_t *n);

#endif
