/*
 * Opening the index for the modes, and the messages and exit statuses of a
 * failure, shared by them all.
 */
#include <stdio.h>

#include "indexer.h"
#include "safetext.h"

int fatal_exit(newsgrep_status_t st)
{
	return st == NEWSGREP_LOCKED ? EXIT_LOCKED : EXIT_FATAL;
}

int fail_open(newsgrep_status_t st, char *msg)
{
	safetext_line(stderr, "newsgrep-index: %s", msg ? msg : newsgrep_status_string(st));
	newsgrep_free(msg);
	return fatal_exit(st);
}

int open_for_reading(newsgrep_db_t **out, const char *db_path)
{
	char *msg;
	newsgrep_status_t st = newsgrep_db_open(out, db_path, NEWSGREP_DB_READ, NULL, &msg);
	return st == NEWSGREP_OK ? 0 : fail_open(st, msg);
}

int fail_db(newsgrep_db_t *db)
{
	safetext_line(stderr, "newsgrep-index: %s", newsgrep_db_errmsg(db));
	newsgrep_db_close(db);
	return EXIT_FATAL;
}

const char *plural(uint64_t n)
{
	return n == 1 ? "" : "s";
}
