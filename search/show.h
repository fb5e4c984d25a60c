/*
 * show.h - newsgrep --show PATH|URL: one article, as the index holds it.
 */
#ifndef NEWSGREP_SHOW_H
#define NEWSGREP_SHOW_H

#include "args.h"
#include "newsgrep.h"
#include "printer.h"

/* Finds the article c->show names in `db` and prints it, for people or
 * (--json) as one record; returns the exit status: EXIT_MATCH, or
 * EXIT_NO_MATCH (the index has no such article), or EXIT_ERROR. */
int show(const cli *c, newsgrep_db_t *db, const print_opts *po);

#endif
