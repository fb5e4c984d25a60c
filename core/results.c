/*
 * results.c - running a search and reading its hits.
 *
 * The hits own a copy of Xapian's match set (which keeps the database
 * alive), so they outlive the handle that made them.  Each hit's stored
 * record is decoded into an arena that is reset at the next hit.
 */
#include <stdlib.h>
#include <string.h>

#include "ng.h"
#include "ngx.h"

struct newsgrep_hits {
	ngx_mset *mset;
	size_t next;
	unsigned long offset;
	ng_arena arena;
	newsgrep_hit_t hit;
	char errmsg[512];
};

/* How often a search is retried when a writer commits under it. */
#define SEARCH_RETRIES 3

void newsgrep_search_options_init(newsgrep_search_options_t *opts)
{
	if (!opts)
		return;
	memset(opts, 0, sizeof(*opts));
	opts->limit = 10;
}

newsgrep_status_t newsgrep_search(newsgrep_hits_t **out, newsgrep_db_t *db, const char *query,
                                  const newsgrep_search_options_t *opts)
{
	if (!out)
		return NEWSGREP_INVALID_ARG;
	*out = NULL;
	if (!db)
		return NEWSGREP_INVALID_ARG;
	if (!query)
		return ng_db_fail(db, NEWSGREP_INVALID_ARG, "no query given", NULL);
	newsgrep_search_options_t defaults;
	if (!opts) {
		newsgrep_search_options_init(&defaults);
		opts = &defaults;
	}
	if (opts->has_since && opts->has_until && opts->since > opts->until)
		return ng_db_fail(db, NEWSGREP_BAD_DATE,
		                  "the date range is empty: since is after until", NULL);
	ngx_query *q;
	newsgrep_status_t st = ng_query_build(&q, db, query, opts);
	if (st != NEWSGREP_OK)
		return st;
	newsgrep_hits_t *hits = calloc(1, sizeof(*hits));
	if (!hits) {
		ngx_query_free(q);
		return ng_db_fail(db, NEWSGREP_NOMEM, "out of memory", NULL);
	}
	ngx_error err;
	ngx_code rc;
	int tries = 0;
	ngx_search_opts so = {.offset = opts->offset, .limit = opts->limit};
	while ((rc = ngx_search(&hits->mset, db->x, q, &so, NULL, 0, &err)) ==
	           NGX_ERR_MODIFIED &&
	       ++tries < SEARCH_RETRIES)
		ngx_db_reopen(db->x, &err);
	ngx_query_free(q);
	if (rc != NGX_OK) {
		free(hits);
		return ng_db_fail(db, ng_status_from_ngx(rc), "search failed", err.message);
	}
	hits->offset = opts->offset;
	ng_arena_init(&hits->arena);
	*out = hits;
	return NEWSGREP_OK;
}

newsgrep_status_t newsgrep_hits_next(newsgrep_hits_t *hits, const newsgrep_hit_t **out)
{
	if (!hits || !out)
		return NEWSGREP_INVALID_ARG;
	*out = NULL;
	if (hits->next >= ngx_mset_size(hits->mset))
		return NEWSGREP_DONE;
	ng_arena_reset(&hits->arena);
	double weight;
	char *data;
	size_t len;
	ngx_error err;
	size_t i = hits->next++;
	if (ngx_mset_hit(hits->mset, i, &weight, &data, &len, &err) != NGX_OK) {
		ng_msg_set(hits->errmsg, sizeof(hits->errmsg), "cannot read hit %zu: %s", i + 1,
		           err.message);
		return ng_status_from_ngx(err.code);
	}
	ng_docdata d;
	bool ok = ng_docdata_decode(data, len, &hits->arena, &d);
	free(data);
	if (!ok) {
		ng_msg_set(hits->errmsg, sizeof(hits->errmsg),
		           "hit %zu has damaged stored data: rebuild the index", i + 1);
		return NEWSGREP_CORRUPT;
	}
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
	};
	*out = &hits->hit;
	return NEWSGREP_OK;
}

uint64_t newsgrep_hits_estimate(const newsgrep_hits_t *hits)
{
	return hits ? ngx_mset_estimate(hits->mset) : 0;
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
	ng_arena_release(&hits->arena);
	free(hits);
}
