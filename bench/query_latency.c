/*
 * query_latency.c - in-process query latency through the public API.
 *
 *   query_latency [--runs R] [--raw] [--boost-recent] [--like] INDEX QUERIES
 *   query_latency [--runs R] [--raw] [--boost-recent] [--like] --db INDEX [--db INDEX ...] QUERIES
 *
 * Opens the index read-only once (with --db, every INDEX given as one
 * set, through newsgrep_db_open_set(): a folder, a HOST:PORT served by
 * xapian-tcpsrv or a set file, as `newsgrep --db` takes them), then runs
 * each query of the file QUERIES (one per line; empty lines and lines
 * starting with '#' are skipped) once to warm up and R times (default 20)
 * measured.  A run is what the newsgrep command does for a page of
 * results: newsgrep_search() with the default options (10 hits, snippets
 * on), newsgrep_hits_next() over every hit, newsgrep_hits_free().
 * --boost-recent sets the option of that name (newsgrep --boost-recent).
 * With --like, each line is an article (its file's path or its URL) and a
 * run is newsgrep --like LINE: opts.like set, no query words.
 *
 * Prints one JSON line per query, then one for all of them (every run of
 * every query pooled), times in milliseconds; percentiles are nearest-rank:
 *   {"query":"sanctions gpu","hits":1,"estimate":1,"runs":20,
 *    "p50_ms":0.41,"p95_ms":0.52,"min_ms":0.38,"max_ms":0.60}
 *   {"summary":true,"queries":30,"runs":20,"failed":0,"p50_ms":..,"p95_ms":..}
 * With --raw, each query's line also has every run's time, in order, as
 * "ms":[...] (bench/run pools them over subsets of the queries).
 * A query that fails is reported on stderr and left out; the exit status is
 * then 1.  So is one that a set answers without one of its members (a
 * server that could not be reached or failed).
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "newsgrep.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int by_value(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The nearest-rank percentile p (0..100) of v[0..n), sorted. */
static double percentile(const double *v, size_t n, double p)
{
	size_t rank = (size_t)ceil(p / 100.0 * (double)n);
	return v[rank ? rank - 1 : 0];
}

static void print_json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

/* One measured run; false (reported) when the search fails. */
static bool run_query(newsgrep_db_t *db, const char *query, const newsgrep_search_options_t *opts,
                      double *ms, size_t *nhits, uint64_t *estimate)
{
	double start = now_ms();
	newsgrep_hits_t *hits;
	if (newsgrep_search(&hits, db, query, opts) != NEWSGREP_OK) {
		fprintf(stderr, "query_latency: '%s': %s\n", query, newsgrep_db_errmsg(db));
		return false;
	}
	const newsgrep_hit_t *hit;
	newsgrep_status_t st;
	size_t n = 0;
	while ((st = newsgrep_hits_next(hits, &hit)) == NEWSGREP_OK)
		n++;
	*estimate = newsgrep_hits_estimate(hits);
	if (st != NEWSGREP_DONE)
		fprintf(stderr, "query_latency: '%s': %s\n", query, newsgrep_hits_errmsg(hits));
	/* A set that answered without a member measured less work: a failure. */
	size_t missing = newsgrep_hits_missing_count(hits);
	for (size_t i = 0; i < missing; i++) {
		const char *member, *why;
		if (newsgrep_hits_missing(hits, i, &member, &why) == NEWSGREP_OK)
			fprintf(stderr, "query_latency: '%s': %s left out: %s\n", query, member,
			        why);
	}
	newsgrep_hits_free(hits);
	*ms = now_ms() - start;
	*nhits = n;
	return st == NEWSGREP_DONE && !missing;
}

static int usage(void)
{
	fprintf(stderr,
	        "usage: query_latency [--runs R] [--raw] [--boost-recent] [--like] INDEX QUERIES\n"
	        "       query_latency [--runs R] [--raw] [--boost-recent] [--like] --db INDEX "
	        "[--db INDEX ...] QUERIES\n");
	return 2;
}

int main(int argc, char **argv)
{
	long runs = 20;
	bool raw = false, boost = false, like = false;
	/* The --db arguments, at most argc of them; argv outlives them. */
	const char **dbs = malloc((size_t)argc * sizeof(*dbs));
	size_t ndbs = 0;
	if (!dbs) {
		fprintf(stderr, "query_latency: out of memory\n");
		return 2;
	}
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--raw") == 0) {
			raw = true;
		} else if (strcmp(argv[i], "--db") == 0 && i + 1 < argc) {
			dbs[ndbs++] = argv[++i];
		} else if (strcmp(argv[i], "--boost-recent") == 0) {
			boost = true;
		} else if (strcmp(argv[i], "--like") == 0) {
			like = true;
		} else if (strcmp(argv[i], "--runs") == 0 && i + 1 < argc) {
			char *end;
			runs = strtol(argv[++i], &end, 10);
			if (*end || runs < 1 || runs > 1000000)
				return free(dbs), usage();
		} else {
			return free(dbs), usage();
		}
	}
	if (argc - i != (ndbs ? 1 : 2))
		return free(dbs), usage();
	if (!ndbs)
		dbs[ndbs++] = argv[i++];
	const char *queries = argv[i];

	FILE *f = fopen(queries, "r");
	if (!f) {
		perror(queries);
		free(dbs);
		return 2;
	}
	/* One path is newsgrep_db_open() of a READ handle exactly. */
	newsgrep_db_t *db;
	char *msg;
	newsgrep_status_t st = newsgrep_db_open_set(&db, dbs, ndbs, NULL, &msg);
	free(dbs);
	if (st != NEWSGREP_OK) {
		fprintf(stderr, "query_latency: %s\n", msg ? msg : newsgrep_status_string(st));
		newsgrep_free(msg);
		fclose(f);
		return 2;
	}
	newsgrep_search_options_t opts;
	newsgrep_search_options_init(&opts, NEWSGREP_SEARCH_OPTIONS_VERSION);
	opts.boost_recent = boost;

	double *one = malloc((size_t)runs * sizeof(*one));
	double *all = NULL;
	size_t nall = 0, cap = 0, nqueries = 0, failed = 0;
	bool nomem = !one;
	char line[4096];
	while (!nomem && fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] == '\0' || line[0] == '#')
			continue;
		size_t nhits;
		uint64_t estimate;
		double ms;
		const char *query = like ? "" : line;
		opts.like = like ? line : NULL;
		bool ok = run_query(db, query, &opts, &ms, &nhits, &estimate); /* warm-up */
		for (long r = 0; ok && r < runs; r++)
			ok = run_query(db, query, &opts, &one[r], &nhits, &estimate);
		if (!ok) {
			failed++;
			continue;
		}
		if (nall + (size_t)runs > cap) {
			cap = (nall + (size_t)runs) * 2;
			double *p = realloc(all, cap * sizeof(*all));
			if (!p) {
				nomem = true;
				break;
			}
			all = p;
		}
		memcpy(all + nall, one, (size_t)runs * sizeof(*one));
		nall += (size_t)runs;
		nqueries++;
		printf("{\"query\":");
		print_json_string(line);
		if (raw)
			for (long r = 0; r < runs; r++)
				printf("%s%.4f", r ? "," : ",\"ms\":[", one[r]);
		if (raw)
			putchar(']');
		qsort(one, (size_t)runs, sizeof(*one), by_value);
		printf(
		    ",\"hits\":%zu,\"estimate\":%llu,\"runs\":%ld,\"p50_ms\":%.4f,\"p95_ms\":%.4f,"
		    "\"min_ms\":%.4f,\"max_ms\":%.4f}\n",
		    nhits, (unsigned long long)estimate, runs, percentile(one, (size_t)runs, 50),
		    percentile(one, (size_t)runs, 95), one[0], one[runs - 1]);
		fflush(stdout);
	}
	bool unread = ferror(f);
	fclose(f);
	newsgrep_db_close(db);
	free(one);
	if (nomem) {
		fprintf(stderr, "query_latency: out of memory\n");
		free(all);
		return 2;
	}
	if (unread)
		fprintf(stderr, "query_latency: %s: cannot read\n", queries);
	printf("{\"summary\":true,\"queries\":%zu,\"runs\":%ld,\"failed\":%zu", nqueries, runs,
	       failed);
	if (nall) {
		qsort(all, nall, sizeof(*all), by_value);
		printf(",\"p50_ms\":%.4f,\"p95_ms\":%.4f", percentile(all, nall, 50),
		       percentile(all, nall, 95));
	}
	printf("}\n");
	free(all);
	return failed || unread ? 1 : 0;
}
