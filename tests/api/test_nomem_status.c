/*
 * test_nomem_status.c - running out of memory while a query is parsed is
 * NEWSGREP_NOMEM with the message "out of memory", for newsgrep_suggest as
 * for newsgrep_search: not a bad query ("query:1:1: out of memory", as
 * newsgrep_suggest said when out of memory was told by the message's
 * text).  Blocks of 64 KiB or more are refused (failmalloc.h): the first
 * a query's parse asks for is such a block (the chunk of its arena), which
 * reading the index before it does not need.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "failmalloc.h"
#include "newsgrep.h"

int main(void)
{
	if (!failmalloc_works()) {
		puts("test_nomem_status: skipped (malloc is not this program's)");
		return FAILMALLOC_SKIP;
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
	CHECK(newsgrep_db_open(&w, db_path, NEWSGREP_DB_WRITE, NULL, NULL) == NEWSGREP_OK);
	newsgrep_index_options_t iopts;
	newsgrep_index_options_init(&iopts, NEWSGREP_INDEX_OPTIONS_VERSION);
	iopts.threads = 1;
	const char *paths[] = {archive};
	newsgrep_index_stats_t stats = NEWSGREP_INDEX_STATS_INIT;
	CHECK(newsgrep_index_paths(w, paths, 1, &iopts, &stats) == NEWSGREP_OK);
	newsgrep_db_close(w);

	newsgrep_db_t *db = NULL;
	CHECK(newsgrep_db_open(&db, db_path, NEWSGREP_DB_READ, NULL, NULL) == NEWSGREP_OK);
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
	failmalloc_set(1);
	st = newsgrep_suggest(&fixed, db, "gpu", NULL);
	failmalloc_set(0);
	snprintf(message, sizeof(message), "%s", newsgrep_db_errmsg(db));
	if (st != NEWSGREP_NOMEM || strcmp(message, "out of memory") != 0)
		fprintf(stderr, "newsgrep_suggest: status %d, \"%s\"\n", (int)st, message);
	CHECK(st == NEWSGREP_NOMEM);
	STR_IS(message, "out of memory");
	CHECK(fixed == NULL);

	hits = NULL;
	failmalloc_set(1);
	st = newsgrep_search(&hits, db, "gpu", NULL);
	failmalloc_set(0);
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
