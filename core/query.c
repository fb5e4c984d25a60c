/*
 * query.c - from the user's words to a Xapian query.
 *
 * The query is tokenized by the indexer's own tokenizer, so it always
 * splits and folds the way the text did.  Each word is looked up by its
 * stem ("Z" + stem), as Xapian's query parser does, so "sanction" finds
 * "sanctions"; numbers are looked up as they are; a CJK run must match as
 * a phrase of its bigrams.  All words must match; a date range filters
 * without changing the ranking.
 */
#include <stdlib.h>
#include <string.h>

#include "ng.h"
#include "ngx.h"

typedef struct builder {
	newsgrep_db_t *db;
	ngx_query **words; /* one query per word (or CJK run) */
	size_t nwords, cap;
	ngx_query **run; /* the bigrams of the current CJK run */
	size_t nrun, run_cap;
	unsigned qpos;
	ngx_error err;
	bool failed, nomem;
} builder;

static bool push(ngx_query ***v, size_t *n, size_t *cap, ngx_query *q)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 16;
		ngx_query **p = realloc(*v, c * sizeof(*p));
		if (!p)
			return false;
		*v = p;
		*cap = c;
	}
	(*v)[(*n)++] = q;
	return true;
}

static void free_all(ngx_query **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ngx_query_free(v[i]);
}

/* Ends the current CJK run: its bigrams become one phrase. */
static bool close_run(builder *b)
{
	if (b->nrun == 0)
		return true;
	ngx_query *q = b->run[0];
	if (b->nrun > 1) {
		if (ngx_query_combine(&q, NGX_OP_PHRASE, b->run, b->nrun, (unsigned)b->nrun,
		                      &b->err) != NGX_OK) {
			b->failed = true;
			return false;
		}
		free_all(b->run, b->nrun);
	}
	b->nrun = 0;
	if (!push(&b->words, &b->nwords, &b->cap, q)) {
		ngx_query_free(q);
		b->nomem = true;
		return false;
	}
	return true;
}

static int on_token(void *ctx, const ng_token *tok)
{
	builder *b = ctx;
	unsigned pos = ++b->qpos;
	if (tok->kind != NG_TOKEN_CJK || tok->run_start)
		if (!close_run(b))
			return 1;
	char term[NG_TERM_MAX * 4 + 2];
	size_t len = tok->len;
	if (tok->stemmable) {
		term[0] = NG_PREFIX_STEM[0];
		if (ngx_stem(b->db->stemmer, tok->term, tok->len, term + 1, sizeof(term) - 1, &len,
		             &b->err) != NGX_OK) {
			b->failed = true;
			return 1;
		}
		len++;
	} else {
		memcpy(term, tok->term, len);
	}
	ngx_query *q;
	if (ngx_query_term(&q, term, len, 1, pos, &b->err) != NGX_OK) {
		b->failed = true;
		return 1;
	}
	bool ok = tok->kind == NG_TOKEN_CJK ? push(&b->run, &b->nrun, &b->run_cap, q)
	                                    : push(&b->words, &b->nwords, &b->cap, q);
	if (!ok) {
		ngx_query_free(q);
		b->nomem = true;
		return 1;
	}
	return 0;
}

/* Adds the date range of `opts` to *q as a filter. */
static ngx_code add_date_filter(ngx_query **q, const newsgrep_search_options_t *opts,
                                ngx_error *err)
{
	ngx_query *range = NULL;
	ngx_code rc = NGX_OK;
	if (opts->has_since && opts->has_until)
		rc = ngx_query_number_range(&range, NG_SLOT_DATE, (double)opts->since,
		                            (double)opts->until, err);
	else if (opts->has_since)
		rc = ngx_query_number_ge(&range, NG_SLOT_DATE, (double)opts->since, err);
	else if (opts->has_until)
		rc = ngx_query_number_le(&range, NG_SLOT_DATE, (double)opts->until, err);
	if (rc != NGX_OK || !range)
		return rc;
	ngx_query *both[2] = {*q, range}, *filtered;
	rc = ngx_query_combine(&filtered, NGX_OP_FILTER, both, 2, 0, err);
	ngx_query_free(range);
	if (rc == NGX_OK) {
		ngx_query_free(*q);
		*q = filtered;
	}
	return rc;
}

newsgrep_status_t ng_query_build(ngx_query **out, newsgrep_db_t *db, const char *text,
                                 const newsgrep_search_options_t *opts)
{
	*out = NULL;
	newsgrep_status_t st = ng_db_text_tools(db);
	if (st != NEWSGREP_OK)
		return st;
	builder b = {.db = db};
	int rc = ng_tokenize(db->tok, text, strlen(text), on_token, &b);
	if (rc < 0)
		b.nomem = true;
	if (!b.failed && !b.nomem)
		close_run(&b);
	ngx_query *q = NULL;
	if (!b.failed && !b.nomem && b.nwords > 0) {
		if (b.nwords == 1) {
			q = b.words[0];
			b.nwords = 0;
		} else if (ngx_query_combine(&q, NGX_OP_AND, b.words, b.nwords, 0, &b.err) !=
		           NGX_OK) {
			b.failed = true;
		}
	}
	if (q && add_date_filter(&q, opts, &b.err) != NGX_OK)
		b.failed = true;
	free_all(b.words, b.nwords);
	free_all(b.run, b.nrun);
	free(b.words);
	free(b.run);
	if (b.failed || b.nomem) {
		ngx_query_free(q);
		return b.nomem ? ng_db_fail(db, NEWSGREP_NOMEM, "out of memory", NULL)
		               : ng_db_fail(db, ng_status_from_ngx(b.err.code),
		                            "cannot build the query", b.err.message);
	}
	if (!q)
		return ng_db_fail(
		    db, NEWSGREP_BAD_QUERY,
		    "the query has no words to search for (only punctuation or symbols)", NULL);
	*out = q;
	return NEWSGREP_OK;
}
