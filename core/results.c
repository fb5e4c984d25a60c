/*
 * results.c - running a search and reading its hits.
 *
 * The hits own a copy of Xapian's match set (which keeps the database
 * alive), the query's highlight words, and a tokenizer and stemmer of
 * their own for snippets, so they outlive the handle that made them.  Each
 * hit's stored record is decoded into an arena that is reset at the next
 * hit.
 *
 * A reader's hits go on when writers commit under them: when the revision
 * they were read from is gone (NGX_ERR_MODIFIED), they search again, with
 * a reader of their own, from the page's first hit, and skip the articles
 * already given, known by their paths (a hash of each) and, while
 * duplicates are collapsed, their URLs.  So no article (nor URL) is given
 * twice, and none is passed over that the page holds in the index as it is
 * now.
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "ng.h"
#include "ngx.h"
#include "schema.h"

struct newsgrep_hits {
	ngx_mset *mset;
	ngx_facet *facets[NEWSGREP_FACET_COUNT];
	newsgrep_sort_t sort;
	bool exact_count;
	bool snippets;
	bool paths_only;          /* hits carry their paths only */
	uint64_t arrival, change; /* the numbers of the hit read last */
	ng_query query;           /* for its highlight words */
	ng_snippeter *snippeter;
	size_t next;
	unsigned long offset;
	/* Set when the hits came from a date window (window.c): the counts of
	 * the whole search, which the window's match set does not know. */
	bool windowed;
	uint64_t count_lo, count_est, count_hi;
	ng_arena arena;
	newsgrep_hit_t hit;
	unsigned long limit;    /* the page's size, as asked */
	unsigned long returned; /* hits given so far */
	size_t size;            /* newsgrep_hits_size */
	/* Resuming: the index folders (of a set, every member's; none for
	 * a writer's hits, which no commit disturbs), the query and options,
	 * the reader searched again with, and the path hashes of the hits
	 * given, the first nsorted sorted. */
	char **db_paths;
	size_t ndb_paths;
	char *query_text;
	newsgrep_search_options_t opts;
	newsgrep_db_t *reader;
	char *like; /* opts.like resolved (like.c), which opts.like points at */
	uint64_t *given;
	size_t ngiven, given_cap, nsorted;
	/* The members of a set the hits come without: "NAME\0WHY\0" each;
	 * whether some are servers, whose documents are read ahead. */
	ng_buf missing;
	size_t nmissing;
	bool remote;
	char errmsg[512];
};

/* A set of servers' documents are read this many hits ahead, from
 * every server at once (ngx_mset_fetch). */
#define FETCH_AHEAD 64

/* --boost-recent: the bonus of an article as new as the newest in the
 * index, and the age at which it halves.  Over a server it is made in
 * steps, each article's within RECENCY_STEP_ERROR of it. */
#define RECENCY_BONUS 1.0
#define RECENCY_HALF_LIFE (30 * 86400.0)
#define RECENCY_STEP_ERROR 0.01

static const struct {
	const char *name;
	ngx_facet_kind kind;
	ng_field_id field; /* the schema row whose value slot it counts */
} facet_defs[NEWSGREP_FACET_COUNT] = {
    [NEWSGREP_FACET_PROVIDER] = {"provider", NGX_FACET_STRING, NG_FIELD_PROVIDER},
    [NEWSGREP_FACET_SITE] = {"site", NGX_FACET_STRING, NG_FIELD_HOST},
    [NEWSGREP_FACET_TOPIC] = {"topic", NGX_FACET_LIST, NG_FIELD_TOPIC},
    [NEWSGREP_FACET_TYPE] = {"type", NGX_FACET_STRING, NG_FIELD_TYPE},
    [NEWSGREP_FACET_YEAR] = {"year", NGX_FACET_YEAR, NG_FIELD_DATE},
    [NEWSGREP_FACET_MONTH] = {"month", NGX_FACET_MONTH, NG_FIELD_DATE},
};

const char *newsgrep_facet_name(newsgrep_facet_t facet)
{
	return (unsigned)facet < NEWSGREP_FACET_COUNT ? facet_defs[facet].name : NULL;
}

newsgrep_status_t newsgrep_search_options_init(newsgrep_search_options_t *opts, uint32_t version)
{
	const newsgrep_search_options_t defaults = NEWSGREP_SEARCH_OPTIONS_INIT;
	return ng_api_struct_init(NG_SEARCH_OPTIONS, opts, version, &defaults);
}

newsgrep_status_t ng_search_args(newsgrep_db_t *db, const char *query,
                                 const newsgrep_search_options_t **opts,
                                 newsgrep_search_options_t *defaults)
{
	if (!db)
		return NEWSGREP_INVALID_ARG;
	if (!query)
		return ng_db_fail(db, NEWSGREP_INVALID_ARG, "no query given", NULL);
	/* The caller's options, read as far as their version goes. */
	const newsgrep_search_options_t init = NEWSGREP_SEARCH_OPTIONS_INIT;
	*defaults = init;
	if (*opts) {
		char msg[256];
		newsgrep_status_t st =
		    ng_api_struct_read(NG_SEARCH_OPTIONS, defaults, *opts, msg, sizeof(msg));
		if (st != NEWSGREP_OK)
			return ng_db_fail(db, st, msg, NULL);
	}
	*opts = defaults;
	const newsgrep_search_options_t *o = *opts;
	if (o->has_since && o->has_until && o->since > o->until)
		return ng_db_fail(db, NEWSGREP_BAD_DATE,
		                  "the date range is empty: since is after until", NULL);
	if ((unsigned)o->sort > NEWSGREP_SORT_OLDEST)
		return ng_db_fail(db, NEWSGREP_INVALID_ARG, "unknown sort order", NULL);
	if (o->facets >> NEWSGREP_FACET_COUNT)
		return ng_db_fail(db, NEWSGREP_INVALID_ARG, "unknown facet", NULL);
	if ((unsigned)o->group > NEWSGREP_GROUP_SITE)
		return ng_db_fail(db, NEWSGREP_INVALID_ARG, "unknown group", NULL);
	return ng_db_refresh(db);
}

/* Adds the gentle bonus of fresh articles to a relevance query.  A
 * xapian-tcpsrv runs only Xapian's own classes: a set with a server gets
 * the bonus in steps made of them, which cost 3 to 10 times the exact
 * bonus of our own posting source (bench/README.md); a set ranks as one
 * index would, searched through a server. */
static ngx_code boost_recent(newsgrep_db_t *db, ngx_query **q, ngx_error *err)
{
	double newest;
	int has;
	ngx_code rc = ngx_db_number_upper_bound(db->x, NG_SLOT_DATE, &newest, &has, err);
	if (rc != NGX_OK || !has)
		return rc;
	ngx_query *boost, *boosted;
	if (ngx_db_has_remote(db->x))
		rc = ngx_query_recency_steps(&boost, NG_SLOT_DATE, newest, RECENCY_HALF_LIFE,
		                             RECENCY_BONUS, RECENCY_STEP_ERROR, err);
	else
		rc = ngx_query_recency(&boost, NG_SLOT_DATE, newest, RECENCY_HALF_LIFE,
		                       RECENCY_BONUS, err);
	if (rc != NGX_OK)
		return rc;
	ngx_query *both[2] = {*q, boost};
	rc = ngx_query_combine(&boosted, NGX_OP_AND_MAYBE, both, 2, 0, err);
	ngx_query_free(boost);
	if (rc == NGX_OK) {
		ngx_query_free(*q);
		*q = boosted;
	}
	return rc;
}

/* Whether two articles of the index can share a URL.  The indexer counts
 * them (repeats.c); with none, collapsing would only cost time: it reads
 * every candidate's URL key.  The members of a set are counted each on
 * its own, so a set always collapses. */
static bool urls_may_repeat(newsgrep_db_t *db)
{
	ngx_error err;
	char *text;
	if (db->members || ngx_db_get_metadata(db->x, NG_META_REPEATED_URLS, &text, &err) != NGX_OK)
		return true;
	bool none = strcmp(text, "0") == 0;
	free(text);
	return !none;
}

/* A search sorted by date first looks at a window of the newest (or
 * oldest) days (window.c) that holds WINDOW_MARGIN times the articles the
 * page needs at the query's estimated rate of matching; if the page does
 * not fill, a window WINDOW_GROWTH times larger, WINDOW_TRIES times, and
 * then the plain search. */
#define WINDOW_MARGIN 2.0
#define WINDOW_GROWTH 8.0
#define WINDOW_TRIES 3

/* Fills hits->mset from date windows when one fills the page; leaves it
 * NULL when the plain search should run. */
static ngx_code run_windowed(newsgrep_hits_t *hits, newsgrep_db_t *db, const ngx_search_opts *so,
                             ngx_error *err)
{
	ngx_search_opts count_only = *so;
	count_only.offset = count_only.limit = 0;
	ngx_mset *counts;
	ngx_code rc = ngx_search(&counts, db->x, hits->query.xq, &count_only, NULL, 0, err);
	if (rc != NGX_OK)
		return rc;
	uint64_t lo, est = ngx_mset_estimate(counts), hi, docs;
	ngx_mset_bounds(counts, &lo, &hi);
	ngx_mset_free(counts);
	if ((rc = ngx_db_doccount(db->x, &docs, err)) != NGX_OK || hi == 0 || docs == 0)
		return rc;
	bool newest = hits->sort == NEWSGREP_SORT_NEWEST;
	double need = (double)so->offset + (double)so->limit;
	double want = WINDOW_MARGIN * need * (double)docs / (double)(est ? est : 1);
	for (int t = 0; t < WINDOW_TRIES && want < (double)docs; t++, want *= WINDOW_GROWTH) {
		ngx_query *window, *q;
		if (ng_window_query(db, newest, newest ? hits->query.has_hi : hits->query.has_lo,
		                    newest ? hits->query.hi : hits->query.lo, (uint64_t)want,
		                    &window, err) != NEWSGREP_OK)
			return err->code;
		if (!window)
			return NGX_OK;
		ngx_query *both[2] = {hits->query.xq, window};
		rc = ngx_query_combine(&q, NGX_OP_FILTER, both, 2, 0, err);
		ngx_query_free(window);
		if (rc != NGX_OK)
			return rc;
		ngx_mset *m;
		rc = ngx_search(&m, db->x, q, so, NULL, 0, err);
		ngx_query_free(q);
		if (rc != NGX_OK)
			return rc;
		if (ngx_mset_size(m) == so->limit) {
			hits->mset = m;
			hits->windowed = true;
			hits->count_lo = lo;
			hits->count_est = est;
			hits->count_hi = hi;
			return NGX_OK;
		}
		ngx_mset_free(m);
	}
	return NGX_OK;
}

/* The value slot hits are collapsed on: the group's, or the URL's. */
static unsigned collapse_slot(newsgrep_group_t group)
{
	ng_field_id f = group == NEWSGREP_GROUP_PROVIDER ? NG_FIELD_PROVIDER
	                : group == NEWSGREP_GROUP_SITE   ? NG_FIELD_HOST
	                                                 : NG_FIELD_URL;
	return (unsigned)ng_schema_field(f)->slot;
}

static newsgrep_status_t run(newsgrep_hits_t *hits, newsgrep_db_t *db,
                             const newsgrep_search_options_t *opts)
{
	ngx_error err;
	ngx_search_opts so = {
	    .offset = opts->offset,
	    .limit = opts->limit,
	    .sort = hits->sort == NEWSGREP_SORT_NEWEST   ? NGX_SORT_VALUE_DESC
	            : hits->sort == NEWSGREP_SORT_OLDEST ? NGX_SORT_VALUE_ASC
	                                                 : NGX_SORT_RELEVANCE,
	    .sort_slot = NG_SLOT_DATE,
	    .collapse = opts->group || (!opts->all_duplicates && urls_may_repeat(db)),
	    .collapse_slot = collapse_slot(opts->group),
	    /* Looking at every document makes the count (and facets) exact. */
	    .check_at_least = hits->exact_count ? UINT64_MAX : 0,
	    /* Paths only: from the file record each document keeps. */
	    .read_value = hits->paths_only,
	    .read_slot = NG_SLOT_FILE,
	};
	ngx_facet *wanted[NEWSGREP_FACET_COUNT];
	size_t nwanted = 0;
	for (int f = 0; f < NEWSGREP_FACET_COUNT; f++) {
		if (!(opts->facets & NEWSGREP_FACET_BIT(f)))
			continue;
		if (ngx_facet_new(&hits->facets[f], facet_defs[f].kind,
		                  (unsigned)ng_schema_field(facet_defs[f].field)->slot,
		                  &err) != NGX_OK)
			return ng_db_fail(db, ng_status_from_ngx(err.code), "search failed",
			                  err.message);
		wanted[nwanted++] = hits->facets[f];
	}
	/* Facets and exact counts look at every match anyway. */
	ngx_code rc = NGX_OK;
	if (hits->sort != NEWSGREP_SORT_RELEVANCE && !hits->exact_count && !nwanted && so.limit)
		rc = run_windowed(hits, db, &so, &err);
	/* What can be read again, the plain search reads (a wildcard's error
	 * it says too). */
	newsgrep_status_t st = NEWSGREP_OK;
	if (rc != NGX_OK && !ng_read_again(db, rc, &err, &st) && st == NEWSGREP_OK &&
	    rc != NGX_ERR_WILDCARD)
		return ng_db_fail(db, ng_status_from_ngx(rc), "search failed", err.message);
	if (st != NEWSGREP_OK)
		return st;
	if (hits->mset)
		return NEWSGREP_OK;
	for (int tries = 0; (rc = ngx_search(&hits->mset, db->x, hits->query.xq, &so, wanted,
	                                     nwanted, &err)) != NGX_OK &&
	                    ++tries < NG_READ_RETRIES && ng_read_again(db, rc, &err, &st);)
		;
	if (st != NEWSGREP_OK)
		return st;
	if (rc == NGX_ERR_WILDCARD)
		return ng_db_fail(db, NEWSGREP_BAD_QUERY,
		                  "a wildcard matches too many words: make it longer, or raise "
		                  "--max-expansion",
		                  NULL);
	if (rc != NGX_OK)
		return ng_db_fail(db, ng_status_from_ngx(rc), "search failed", err.message);
	return NEWSGREP_OK;
}

/* Copies the folder of the index (of a set, the names it was opened with)
 * into the hits, to resume in; false when out of memory. */
static bool keep_paths(newsgrep_hits_t *hits, const newsgrep_db_t *db)
{
	size_t n = db->members ? db->nset_names : 1;
	if (!(hits->db_paths = calloc(n, sizeof(*hits->db_paths))))
		return false;
	for (size_t i = 0; i < n; i++) {
		const char *path = db->members ? db->set_names[i] : db->path;
		if (!(hits->db_paths[i] = strdup(path)))
			return false;
		hits->ndb_paths = i + 1;
	}
	return true;
}

/* Notes the members of set `db` left out of the hits (each name once). */
static bool note_missing(newsgrep_hits_t *hits, const newsgrep_db_t *db)
{
	for (size_t i = 0; db->members && i < db->nmembers; i++) {
		const newsgrep_db_t *m = db->members[i];
		if (!m->missing)
			continue;
		bool noted = false;
		const char *name, *why;
		for (size_t k = 0; !noted && k < hits->nmissing; k++)
			noted = newsgrep_hits_missing(hits, k, &name, &why) == NEWSGREP_OK &&
			        strcmp(name, m->path) == 0;
		if (noted)
			continue;
		if (!ng_buf_append(&hits->missing, m->path, strlen(m->path) + 1) ||
		    !ng_buf_append(&hits->missing, m->missing, strlen(m->missing) + 1))
			return false;
		hits->nmissing++;
	}
	return true;
}

static newsgrep_status_t like_filtered(newsgrep_db_t *db, const char *like, ngx_query **q)
{
	ngx_query *liked, *both[2];
	newsgrep_status_t st = ng_like_query(db, like, &liked);
	if (st != NEWSGREP_OK)
		return st;
	both[0] = liked;
	both[1] = *q;
	ngx_query *filtered;
	ngx_error err;
	ngx_code rc = ngx_query_combine(&filtered, NGX_OP_FILTER, both, 2, 0, &err);
	ngx_query_free(liked);
	if (rc != NGX_OK)
		return ng_db_fail(db, ng_status_from_ngx(rc), "search failed", err.message);
	ngx_query_free(*q);
	*q = filtered;
	return NEWSGREP_OK;
}

newsgrep_status_t ng_search_query(ng_query *q, newsgrep_sort_t *sort, newsgrep_db_t *db,
                                  const char *query, const newsgrep_search_options_t **opts,
                                  newsgrep_search_options_t *own, char **like)
{
	*like = NULL;
	memset(q, 0, sizeof(*q)); /* (released by the caller, however this ends) */
	ng_arena_init(&q->arena);
	if ((*opts)->like) {
		*own = **opts;
		if (!(*like = ng_like_resolve((*opts)->like)))
			return ng_db_fail(db, NEWSGREP_NOMEM, "out of memory", NULL);
		own->like = *like;
		*opts = own;
		/* More like this alone: every article is like it or not. */
		if (!query[strspn(query, " \t\n\r")])
			query = "*";
	}
	newsgrep_status_t st = ng_query_build(q, db, query, *opts);
	if (st == NEWSGREP_OK && *like)
		st = like_filtered(db, *like, &q->xq);
	*sort = (*opts)->sort != NEWSGREP_SORT_AUTO ? (*opts)->sort
	        : q->ranked || *like                ? NEWSGREP_SORT_RELEVANCE
	                                            : NEWSGREP_SORT_NEWEST;
	return st;
}

newsgrep_status_t newsgrep_search(newsgrep_hits_t **out, newsgrep_db_t *db, const char *query,
                                  const newsgrep_search_options_t *opts)
{
	if (!out)
		return NEWSGREP_INVALID_ARG;
	*out = NULL;
	newsgrep_search_options_t defaults;
	newsgrep_status_t st = ng_search_args(db, query, &opts, &defaults);
	if (st != NEWSGREP_OK)
		return st;
	newsgrep_hits_t *hits = calloc(1, sizeof(*hits));
	if (!hits)
		return ng_db_fail(db, NEWSGREP_NOMEM, "out of memory", NULL);
	ng_arena_init(&hits->arena);
	hits->offset = opts->offset;
	hits->exact_count = opts->exact_count || opts->facets;
	hits->paths_only = opts->paths_only;
	hits->snippets = !opts->no_snippets && !opts->paths_only;
	st = ng_search_query(&hits->query, &hits->sort, db, query, &opts, &hits->opts, &hits->like);
	if (st == NEWSGREP_OK) {
		ngx_error err;
		bool boost = opts->boost_recent && hits->sort == NEWSGREP_SORT_RELEVANCE;
		if (boost && boost_recent(db, &hits->query.xq, &err) != NGX_OK)
			st = ng_db_fail(db, ng_status_from_ngx(err.code), "search failed",
			                err.message);
	}
	if (st == NEWSGREP_OK)
		st = run(hits, db, opts);
	if (st == NEWSGREP_OK && !note_missing(hits, db))
		st = ng_db_fail(db, NEWSGREP_NOMEM, "out of memory", NULL);
	hits->remote = ngx_db_has_remote(db->x);
	if (st == NEWSGREP_OK && db->mode == NEWSGREP_DB_READ) {
		hits->opts = *opts; /* (opts.like: hits->like) */
		if (!keep_paths(hits, db) || !(hits->query_text = strdup(query)))
			st = ng_db_fail(db, NEWSGREP_NOMEM, "out of memory", NULL);
	}
	if (st != NEWSGREP_OK) {
		newsgrep_hits_free(hits);
		return st;
	}
	/* The counts of the search: a resumed search only finds hits. */
	if (!hits->windowed) {
		hits->count_est = ngx_mset_estimate(hits->mset);
		ngx_mset_bounds(hits->mset, &hits->count_lo, &hits->count_hi);
	}
	hits->limit = opts->limit;
	hits->size = ngx_mset_size(hits->mset);
	*out = hits;
	return NEWSGREP_OK;
}

static int by_key(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

/* Fills the hit's snippet fields from its stored record. */
static newsgrep_status_t make_snippet(newsgrep_hits_t *hits, const ng_docdata *d)
{
	hits->hit.snippet = "";
	hits->hit.snippet_from = "";
	if (!hits->snippets)
		return NEWSGREP_OK;
	if (!hits->snippeter && !(hits->snippeter = ng_snippeter_new(hits->query.text_rules)))
		return NEWSGREP_NOMEM;
	ng_snippet s;
	if (!ng_snippet_make(hits->snippeter, &s, d, hits->query.hl, hits->query.nhl, &hits->arena))
		return NEWSGREP_NOMEM;
	hits->hit.snippet = s.text;
	hits->hit.nspans = s.nspans;
	hits->hit.spans = s.spans;
	hits->hit.nmatched_in = s.nmatched_in;
	hits->hit.matched_in = s.matched_in;
	hits->hit.snippet_from = s.from;
	hits->hit.ntitle_spans = s.ntitle_spans;
	hits->hit.title_spans = s.title_spans;
	return NEWSGREP_OK;
}

/* Searches again in the index as it is now, for the hits of the page not
 * yet given: from the page's first hit, as many more as were given. */
static newsgrep_status_t resume(newsgrep_hits_t *hits)
{
	newsgrep_status_t st;
	char *msg = NULL;
	if (!hits->reader &&
	    (st = newsgrep_db_open_set(&hits->reader, (const char *const *)hits->db_paths,
	                               hits->ndb_paths, NULL, &msg)) != NEWSGREP_OK) {
		ng_msg_set(
		    hits->errmsg, sizeof(hits->errmsg),
		    "the index changed while reading hit %lu, and cannot be opened again: %s",
		    hits->returned + 1, msg ? msg : newsgrep_status_string(st));
		newsgrep_free(msg);
		return st;
	}
	newsgrep_search_options_t o = hits->opts;
	o.limit =
	    hits->limit > ULONG_MAX - hits->returned ? ULONG_MAX : hits->limit + hits->returned;
	o.facets = 0; /* the counts stay those of the first search */
	o.exact_count = 0;
	newsgrep_hits_t *fresh;
	st = newsgrep_search(&fresh, hits->reader, hits->query_text, &o);
	if (st != NEWSGREP_OK) {
		ng_msg_set(hits->errmsg, sizeof(hits->errmsg),
		           "the index changed while reading hit %lu, and searching it again "
		           "failed: %s",
		           hits->returned + 1, newsgrep_db_errmsg(hits->reader));
		return st;
	}
	if (!note_missing(hits, hits->reader)) {
		newsgrep_hits_free(fresh);
		ng_msg_set(hits->errmsg, sizeof(hits->errmsg), "out of memory");
		return NEWSGREP_NOMEM;
	}
	ngx_mset *mset = hits->mset;
	hits->mset = fresh->mset;
	fresh->mset = mset;
	ng_query query = hits->query;
	hits->query = fresh->query;
	fresh->query = query;
	ng_snippeter *snippeter = hits->snippeter;
	hits->snippeter = fresh->snippeter;
	fresh->snippeter = snippeter;
	newsgrep_hits_free(fresh);
	hits->next = 0;
	if (hits->ngiven) /* (none given yet: no array, and qsort takes none) */
		qsort(hits->given, hits->ngiven, sizeof(*hits->given), by_key);
	hits->nsorted = hits->ngiven;
	size_t size = ngx_mset_size(hits->mset);
	hits->size = size < hits->limit ? size : hits->limit;
	return NEWSGREP_OK;
}

/* The seed of a URL's key among the given, so that none is a path's. */
#define URL_KEY_SEED 1

/* Whether `key` was given before the last resume. */
static bool given_key(const newsgrep_hits_t *hits, uint64_t key)
{
	return hits->nsorted &&
	       bsearch(&key, hits->given, hits->nsorted, sizeof(*hits->given), by_key);
}

/* Notes `key` as given; false when out of memory. */
static bool note_given(newsgrep_hits_t *hits, uint64_t key)
{
	uint64_t *more = ng_grow(hits->given, hits->ngiven, &hits->given_cap, sizeof(*more), 64);
	if (!more)
		return false;
	hits->given = more;
	hits->given[hits->ngiven++] = key;
	return true;
}

/* Whether the article at `path`, hit i of the match set, was given before
 * the last resume: its path, or its URL key (the hit's collapse key, empty
 * when duplicates are not collapsed), as a set that lost the member of an
 * article given finds the other articles of its URL; else notes both
 * (false, with *nomem set, when out of memory). */
static bool given_before(newsgrep_hits_t *hits, size_t i, const char *path, bool *nomem)
{
	*nomem = false;
	if (!hits->ndb_paths)
		return false;
	uint64_t path_key = XXH3_64bits(path, strlen(path));
	const char *url;
	size_t url_len;
	ngx_error err;
	bool by_url =
	    ngx_mset_hit_collapse_key(hits->mset, i, &url, &url_len, &err) == NGX_OK && url_len;
	uint64_t url_key = by_url ? XXH3_64bits_withSeed(url, url_len, URL_KEY_SEED) : 0;
	if (given_key(hits, path_key) || (by_url && given_key(hits, url_key)))
		return true;
	*nomem = !note_given(hits, path_key) || (by_url && !note_given(hits, url_key));
	return false;
}

/* Reads hit hits->next (and moves past it) into *d: its stored record,
 * or for paths_only its path alone, from the file record the hit's
 * search read.  *damaged when its bytes are no such thing. */
static ngx_code read_hit(newsgrep_hits_t *hits, ng_docdata *d, double *weight, bool *damaged,
                         ngx_error *err)
{
	*damaged = false;
	size_t i = hits->next++;
	hits->arrival = hits->change = 0;
	if (hits->paths_only) {
		const char *value, *path;
		size_t len, path_len;
		ng_file_state fs;
		ngx_code rc = ngx_mset_hit_value(hits->mset, i, weight, &value, &len, err);
		if (rc != NGX_OK)
			return rc;
		*d = (ng_docdata){
		    .title = "", .url = "", .provider = "", .provider_domain = "", .excerpt = ""};
		*damaged = !ng_file_state_decode(value, len, &fs, &path, &path_len);
		if (!*damaged && !(d->path = ng_arena_strndup(&hits->arena, path, path_len))) {
			err->code = NGX_ERR_NOMEM;
			snprintf(err->message, sizeof(err->message), "out of memory");
			return NGX_ERR_NOMEM;
		}
		return NGX_OK;
	}
	ngx_code rc = NGX_OK;
	if (hits->remote && i % FETCH_AHEAD == 0)
		rc = ngx_mset_fetch(hits->mset, i, FETCH_AHEAD, err);
	char *data;
	size_t len;
	if (rc == NGX_OK)
		rc = ngx_mset_hit(hits->mset, i, weight, &data, &len, err);
	if (rc != NGX_OK)
		return rc;
	double arrival, change;
	int has_arrival, has_change;
	if (ngx_mset_hit_number(hits->mset, i, NG_SLOT_ARRIVAL, &arrival, &has_arrival, err) !=
	        NGX_OK ||
	    ngx_mset_hit_number(hits->mset, i, NG_SLOT_CHANGE, &change, &has_change, err) !=
	        NGX_OK) {
		free(data);
		return err->code;
	}
	hits->arrival = has_arrival && arrival >= 0 ? (uint64_t)arrival : 0;
	hits->change = has_change && change >= 0 ? (uint64_t)change : 0;
	*damaged = !ng_docdata_decode(data, len, &hits->arena, d);
	free(data);
	return NGX_OK;
}

newsgrep_status_t newsgrep_hits_next(newsgrep_hits_t *hits, const newsgrep_hit_t **out)
{
	if (!hits || !out)
		return NEWSGREP_INVALID_ARG;
	*out = NULL;
	ng_docdata d;
	double weight;
	for (int resumes = 0;;) {
		if (hits->returned >= hits->limit || hits->next >= ngx_mset_size(hits->mset))
			return NEWSGREP_DONE;
		ng_arena_reset(&hits->arena);
		ngx_error err;
		bool damaged;
		ngx_code rc = read_hit(hits, &d, &weight, &damaged, &err);
		if (rc == NGX_OK && damaged) {
			ng_msg_set(hits->errmsg, sizeof(hits->errmsg),
			           "hit %lu has damaged stored data: rebuild the index",
			           hits->returned + 1);
			return NEWSGREP_CORRUPT;
		}
		if (rc != NGX_OK) {
			/* Two commits landed since the search, or a server
			 * failed: go on from the next hit, in the index as it is
			 * now (without that server). */
			if ((err.code == NGX_ERR_MODIFIED || err.code == NGX_ERR_NETWORK) &&
			    hits->ndb_paths && resumes++ < NG_READ_RETRIES) {
				newsgrep_status_t st = resume(hits);
				if (st != NEWSGREP_OK)
					return st;
				continue;
			}
			ng_msg_set(hits->errmsg, sizeof(hits->errmsg), "cannot read hit %lu: %s",
			           hits->returned + 1, err.message);
			return ng_status_from_ngx(err.code);
		}
		bool nomem;
		if (given_before(hits, hits->next - 1, d.path, &nomem))
			continue;
		if (nomem) {
			ng_msg_set(hits->errmsg, sizeof(hits->errmsg), "out of memory");
			return NEWSGREP_NOMEM;
		}
		break;
	}
	unsigned long i = hits->returned++;
	hits->hit = (newsgrep_hit_t){
	    .rank = hits->offset + i + 1,
	    .score = weight,
	    .path = d.path,
	    .url = d.url,
	    .title = d.title,
	    .has_date = d.has_date,
	    .date = d.date,
	    .provider = d.provider,
	    .provider_domain = d.provider_domain,
	    .excerpt = d.excerpt,
	    .ntopics = d.ntopics,
	    .topics = d.topics,
	    .arrival = hits->arrival,
	    .change = hits->change,
	};
	ngx_error err;
	if (ngx_mset_hit_collapse_count(hits->mset, hits->next - 1, &hits->hit.group_others,
	                                &err) != NGX_OK)
		hits->hit.group_others = 0;
	newsgrep_status_t st = make_snippet(hits, &d);
	if (st != NEWSGREP_OK) {
		ng_msg_set(hits->errmsg, sizeof(hits->errmsg), "cannot make the snippet of hit %lu",
		           i + 1);
		return st;
	}
	*out = &hits->hit;
	return NEWSGREP_OK;
}

uint64_t newsgrep_hits_estimate(const newsgrep_hits_t *hits)
{
	return hits ? hits->count_est : 0;
}

size_t newsgrep_hits_size(const newsgrep_hits_t *hits)
{
	return hits ? hits->size : 0;
}

int newsgrep_hits_estimate_is_exact(const newsgrep_hits_t *hits)
{
	return hits && hits->count_lo == hits->count_hi;
}

bool ng_hits_windowed(const newsgrep_hits_t *hits)
{
	return hits && hits->windowed;
}

size_t newsgrep_hits_missing_count(const newsgrep_hits_t *hits)
{
	return hits ? hits->nmissing : 0;
}

newsgrep_status_t newsgrep_hits_missing(const newsgrep_hits_t *hits, size_t i, const char **member,
                                        const char **why)
{
	if (!hits || !member || !why || i >= hits->nmissing)
		return NEWSGREP_INVALID_ARG;
	const char *p = hits->missing.data;
	for (size_t k = 0; k < i; k++) {
		p += strlen(p) + 1;
		p += strlen(p) + 1;
	}
	*member = p;
	*why = p + strlen(p) + 1;
	return NEWSGREP_OK;
}

newsgrep_sort_t newsgrep_hits_sort(const newsgrep_hits_t *hits)
{
	return hits ? hits->sort : NEWSGREP_SORT_AUTO;
}

size_t newsgrep_hits_facet_size(const newsgrep_hits_t *hits, newsgrep_facet_t facet)
{
	if (!hits || (unsigned)facet >= NEWSGREP_FACET_COUNT)
		return 0;
	return ngx_facet_size(hits->facets[facet]);
}

newsgrep_status_t newsgrep_hits_facet(const newsgrep_hits_t *hits, newsgrep_facet_t facet, size_t i,
                                      const char **value, uint64_t *count)
{
	if (!hits || !value || !count || (unsigned)facet >= NEWSGREP_FACET_COUNT)
		return NEWSGREP_INVALID_ARG;
	if (i >= ngx_facet_size(hits->facets[facet]))
		return NEWSGREP_DONE;
	size_t len;
	ngx_error err;
	if (ngx_facet_item(hits->facets[facet], i, value, &len, count, &err) != NGX_OK)
		return ng_status_from_ngx(err.code);
	return NEWSGREP_OK;
}

const char *newsgrep_hits_errmsg(const newsgrep_hits_t *hits)
{
	return hits ? hits->errmsg : "no hits handle";
}

void newsgrep_hits_free(newsgrep_hits_t *hits)
{
	if (!hits)
		return;
	ngx_mset_free(hits->mset);
	for (int f = 0; f < NEWSGREP_FACET_COUNT; f++)
		ngx_facet_free(hits->facets[f]);
	ng_query_release(&hits->query);
	ng_snippeter_free(hits->snippeter);
	ng_arena_release(&hits->arena);
	newsgrep_db_close(hits->reader);
	for (size_t i = 0; i < hits->ndb_paths; i++)
		free(hits->db_paths[i]);
	free(hits->db_paths);
	free(hits->query_text);
	free(hits->like);
	free(hits->given);
	ng_buf_release(&hits->missing);
	free(hits);
}
