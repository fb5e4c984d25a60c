/*
 * listing_faults.c - a listing of a set's hits with a fault in its middle,
 * for tests/e2e/t26_remote_listing_faults.sh (not a test by itself):
 *
 *     listing_faults K COMMAND QUERY SORT NAME...
 *
 * opens the set of NAMEs (folders, HOST:PORT, set files), searches QUERY
 * for every hit, sorted by SORT (relevance, newest or oldest), with
 * snippets (a full listing, each hit's stored record read from its member
 * as it is given), reads K hits, runs COMMAND (system(3): stopping or
 * pausing a server, say), reads the rest and prints
 *
 *     before\tRANK\tURL\tPATH   each of the first K hits
 *     after\tRANK\tURL\tPATH    each hit read after COMMAND
 *     missing\tNAME\tWHY        each member the hits say they are missing
 *     done                     the listing ended (NEWSGREP_DONE)
 *
 * Exit status: 0 when the listing ended, 1 when a call failed (said on
 * stderr), 2 on a usage error or when COMMAND failed.  So the fault lands
 * between two given hits however fast the machine, with no sleep; where
 * the listing meets it (Xapian may have read some of the next hits'
 * documents already) is left to the library.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "newsgrep.h"

static int usage(void)
{
	fputs("usage: listing_faults K COMMAND QUERY relevance|newest|oldest NAME...\n", stderr);
	return 2;
}

static int sort_named(const char *name, newsgrep_sort_t *sort)
{
	static const struct {
		const char *name;
		newsgrep_sort_t sort;
	} sorts[] = {{"relevance", NEWSGREP_SORT_RELEVANCE},
	             {"newest", NEWSGREP_SORT_NEWEST},
	             {"oldest", NEWSGREP_SORT_OLDEST}};
	for (size_t i = 0; i < sizeof(sorts) / sizeof(sorts[0]); i++)
		if (strcmp(name, sorts[i].name) == 0)
			return *sort = sorts[i].sort, 1;
	return 0;
}

/* Reads hits until `k` were given (or the listing ends), each printed after
 * `label`; the status of the last newsgrep_hits_next. */
static newsgrep_status_t read_hits(newsgrep_hits_t *hits, unsigned long k, const char *label)
{
	newsgrep_status_t st = NEWSGREP_OK;
	const newsgrep_hit_t *hit;
	for (unsigned long i = 0; i < k && (st = newsgrep_hits_next(hits, &hit)) == NEWSGREP_OK;
	     i++)
		printf("%s\t%llu\t%s\t%s\n", label, (unsigned long long)hit->rank, hit->url,
		       hit->path);
	return st;
}

int main(int argc, char **argv)
{
	if (argc < 6)
		return usage();
	char *end;
	unsigned long k = strtoul(argv[1], &end, 10);
	newsgrep_sort_t sort;
	if (*end || !*argv[1] || !sort_named(argv[4], &sort))
		return usage();
	const char *command = argv[2], *query = argv[3];

	newsgrep_db_t *db = NULL;
	char *msg = NULL;
	newsgrep_status_t st =
	    newsgrep_db_open_set(&db, (const char *const *)argv + 5, (size_t)argc - 5, NULL, &msg);
	if (st != NEWSGREP_OK) {
		fprintf(stderr, "listing_faults: cannot open the set: %s\n",
		        msg ? msg : newsgrep_status_string(st));
		newsgrep_free(msg);
		return 1;
	}
	newsgrep_search_options_t o;
	newsgrep_search_options_init(&o, NEWSGREP_SEARCH_OPTIONS_VERSION);
	o.limit = UINT64_MAX;
	o.sort = sort;
	newsgrep_hits_t *hits = NULL;
	if ((st = newsgrep_search(&hits, db, query, &o)) != NEWSGREP_OK) {
		fprintf(stderr, "listing_faults: search failed: %s\n", newsgrep_db_errmsg(db));
		newsgrep_db_close(db);
		return 1;
	}
	int status = 0;
	st = read_hits(hits, k, "before");
	fflush(stdout);
	if (st == NEWSGREP_OK && system(command) != 0) {
		fprintf(stderr, "listing_faults: '%s' failed\n", command);
		status = 2;
	}
	if (st == NEWSGREP_OK && status == 0)
		st = read_hits(hits, (unsigned long)-1, "after");
	for (size_t i = 0; i < newsgrep_hits_missing_count(hits); i++) {
		const char *member, *why;
		if (newsgrep_hits_missing(hits, i, &member, &why) == NEWSGREP_OK)
			printf("missing\t%s\t%s\n", member, why);
	}
	if (st == NEWSGREP_DONE) {
		puts("done");
	} else if (status == 0) {
		fprintf(stderr, "listing_faults: %s: %s\n", newsgrep_status_string(st),
		        newsgrep_hits_errmsg(hits));
		status = 1;
	}
	newsgrep_hits_free(hits);
	newsgrep_db_close(db);
	return status;
}
