/*
 * like.c - "more like this": the articles about the same story as one
 * article of the index (newsgrep --like PATH|URL).
 *
 * Omega's MORELIKE recipe: the article is the relevance set of Xapian's
 * query expansion (Enquire::get_eset), whose best LIKE_TERMS terms, OR'd,
 * are the query.  As Omega's decider does, it keeps only unprefixed terms
 * (the words of the title, excerpt and related items as written: no
 * field, stem (Z), filter or id term), no stopword, no short number, and
 * no term that no other article has.  Omega asks for a termfreq above 1;
 * here above the size of the relevance set, so that words only the
 * article and its duplicates share (which are left out) are no terms
 * either.
 *
 * Unlike Omega, the article itself and every article with its URL (its
 * duplicates: the same key in NG_SLOT_URL) are left out of the hits.
 * Omega replaces the query words with the MORELIKE terms and filters
 * them by its boolean terms and dates; here the caller's query (words
 * too) filters them: results.c combines the two with NGX_OP_FILTER, so
 * the hits are ranked by likeness alone.
 *
 * An article is named by the path of its file (the "Q" term, index.c) or
 * by its exact URL: the articles of its key (ng_url_query, lookup.c).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ng.h"
#include "ngx.h"
#include "schema.h"

/* The terms of the like query (Omega's MORELIKE asks for 40). */
#define LIKE_TERMS 40
/* An URL's articles (duplicates) taken as the relevance set, at most. */
#define LIKE_MAX_REL 16
/* Numbers shorter than this are no terms (Omega: "small numbers"). */
#define LIKE_MIN_NUMBER 4

static bool is_url(const char *like)
{
	return strstr(like, "://") != NULL;
}

char *ng_like_resolve(const char *like)
{
	if (is_url(like) || like[0] == '/') {
		char *copy = strdup(like);
		if (copy && !is_url(copy))
			copy[ng_path_tidy(copy, strlen(copy))] = '\0';
		return copy;
	}
	char cwd[PATH_MAX];
	if (!getcwd(cwd, sizeof(cwd)))
		return strdup(like); /* looked up as it is: not found */
	size_t n = strlen(cwd) + 1 + strlen(like) + 1;
	char *out = malloc(n);
	if (!out)
		return NULL;
	snprintf(out, n, "%s/%s", cwd, like);
	out[ng_path_tidy(out, strlen(out))] = '\0';
	return out;
}

/* Terms made and combined here; the first error is kept in *err. */
typedef struct like_build {
	const newsgrep_db_t *db;
	ng_error err;
	ngx_query **terms;
	size_t nterms, cap;
	bool nomem;
} like_build;

static ngx_query *shim_failed(like_build *b, const char *what, const ngx_error *x)
{
	if (b->err.status == NEWSGREP_OK)
		ng_error_from_ngx(&b->err, what, x);
	return NULL;
}

static ngx_query *term(like_build *b, const char *t, size_t len)
{
	ngx_query *q = NULL;
	ngx_error x;
	if (ngx_query_term(&q, t, len, 1, 0, &x) != NGX_OK)
		return shim_failed(b, "more like this", &x);
	return q;
}

static ngx_query *combine(like_build *b, ngx_op op, ngx_query *const *subs, size_t n)
{
	ngx_query *q = NULL;
	ngx_error x;
	if (b->err.status == NEWSGREP_OK && ngx_query_combine(&q, op, subs, n, 0, &x) != NGX_OK)
		return shim_failed(b, "more like this", &x);
	return q;
}

/* The articles with the URL `url` (exactly, up to its 64-bit key). */
static ngx_query *url_query(like_build *b, const char *url)
{
	ngx_query *q = NULL;
	ngx_error x;
	if (ng_url_query(b->db, url, &q, &x) != NGX_OK)
		return shim_failed(b, "more like this", &x);
	return q;
}

/* The article at `path`: its id term, and the id term of the path with
 * its links resolved, when that is another (the index keeps the paths it
 * walked, below roots that were resolved). */
static ngx_query *path_query(like_build *b, const char *path)
{
	ng_buf uid = {0};
	ngx_query *ids[2] = {NULL, NULL};
	size_t n = 0;
	char *real = realpath(path, NULL);
	const char *paths[2] = {path, real && strcmp(real, path) != 0 ? real : NULL};
	for (size_t i = 0; i < 2 && paths[i]; i++) {
		if (!ng_uid_term(paths[i], &uid)) {
			ng_error_nomem(&b->err);
			break;
		}
		if (!(ids[n] = term(b, uid.data, uid.len)))
			break;
		n++;
	}
	ngx_query *q = b->err.status == NEWSGREP_OK ? combine(b, NGX_OP_OR, ids, n) : NULL;
	for (size_t i = 0; i < n; i++)
		ngx_query_free(ids[i]);
	ng_buf_release(&uid);
	free(real);
	return q;
}

/* Omega's expand decider: no prefixed term (a capital first: field,
 * stem and filter terms), no stopword, no short number, no spaces. */
static int keep_term(void *ctx, const char *t, size_t len)
{
	(void)ctx;
	if (!len || (t[0] >= 'A' && t[0] <= 'Z') || memchr(t, ' ', len))
		return 0;
	if (len < LIKE_MIN_NUMBER && t[0] >= '0' && t[0] <= '9')
		return 0;
	char word[NG_TERM_MAX + 1];
	if (len <= NG_TERM_MAX) {
		memcpy(word, t, len);
		word[len] = '\0';
		if (ng_stopword(word))
			return 0;
	}
	return 1;
}

static int add_term(void *ctx, const char *t, size_t len, double weight)
{
	(void)weight;
	like_build *b = ctx;
	ngx_query **more = ng_grow(b->terms, b->nterms, &b->cap, sizeof(*more), LIKE_TERMS);
	if (!more)
		return 1;
	b->terms = more;
	ngx_query *q = term(b, t, len);
	if (!q)
		return b->err.status == NEWSGREP_NOMEM;
	b->terms[b->nterms++] = q;
	return 0;
}

/* Finds the article(s) of `found` (ngx_search, up to LIKE_MAX_REL): path
 * lookups collapse on the URL, so the one hit's collapse key is its URL
 * key. */
static newsgrep_status_t find(newsgrep_db_t *db, const ngx_query *found, bool by_url,
                              ngx_mset **out, ng_error *err)
{
	ngx_search_opts so = {
	    .limit = by_url ? LIKE_MAX_REL : 1,
	    .sort = NGX_SORT_RELEVANCE,
	    .collapse = !by_url,
	    .collapse_slot = NG_SLOT_URL,
	};
	ngx_error x;
	ngx_code rc;
	for (int tries = 0; (rc = ngx_search(out, db->x, found, &so, NULL, 0, &x)) != NGX_OK &&
	                    rc == NGX_ERR_MODIFIED && ++tries < NG_READ_RETRIES;)
		ng_db_refresh(db);
	if (rc != NGX_OK)
		return ng_error_from_ngx(err, "more like this", &x);
	return NEWSGREP_OK;
}

/* What to leave out: the article (path) and every article of its URL. */
static ngx_query *excluded(like_build *b, ngx_query *found, ngx_mset *m, bool by_url,
                           const char *like)
{
	if (by_url)
		return url_query(b, like);
	const char *key;
	size_t len;
	ngx_error x;
	if (ngx_mset_hit_collapse_key(m, 0, &key, &len, &x) != NGX_OK)
		return shim_failed(b, "more like this", &x);
	if (len != 8) /* (no URL: no key) */
		return combine(b, NGX_OP_OR, &found, 1);
	uint64_t k = 0;
	for (int i = 0; i < 8; i++)
		k |= (uint64_t)(unsigned char)key[i] << (8 * i);
	ngx_query *same_url = NULL;
	if (ng_url_key_query(b->db, k, &same_url, &x) != NGX_OK)
		return shim_failed(b, "more like this", &x);
	ngx_query *both[2] = {found, same_url};
	ngx_query *q = combine(b, NGX_OP_OR, both, 2);
	ngx_query_free(same_url);
	return q;
}

newsgrep_status_t ng_like_query(newsgrep_db_t *db, const char *like, ngx_query **out)
{
	*out = NULL;
	like_build b = {.db = db};
	ng_error_clear(&b.err);
	bool by_url = is_url(like);
	ngx_query *found = by_url ? url_query(&b, like) : path_query(&b, like);
	ngx_mset *m = NULL;
	ngx_query *ors = NULL, *gone = NULL;
	if (found && find(db, found, by_url, &m, &b.err) == NEWSGREP_OK && !ngx_mset_size(m))
		ng_error_set(&b.err, NEWSGREP_INVALID_ARG,
		             "--like: the index has no article %s '%s'",
		             by_url ? "with the URL" : "at", like);
	size_t nrel = m ? ngx_mset_size(m) : 0;
	ngx_error x;
	if (b.err.status == NEWSGREP_OK &&
	    ngx_mset_expand(m, nrel, LIKE_TERMS, nrel + 1, keep_term, NULL, add_term, &b, &x) !=
	        NGX_OK &&
	    b.err.status == NEWSGREP_OK)
		ng_error_from_ngx(&b.err, "more like this", &x);
	if (b.err.status == NEWSGREP_OK)
		ors = combine(&b, NGX_OP_OR, b.terms, b.nterms);
	if (ors)
		gone = excluded(&b, found, m, by_url, like);
	if (gone) {
		ngx_query *both[2] = {ors, gone};
		*out = combine(&b, NGX_OP_AND_NOT, both, 2);
	}
	for (size_t i = 0; i < b.nterms; i++)
		ngx_query_free(b.terms[i]);
	free(b.terms);
	ngx_query_free(found);
	ngx_query_free(ors);
	ngx_query_free(gone);
	ngx_mset_free(m);
	if (b.err.status == NEWSGREP_OK && !*out)
		ng_error_set(&b.err, NEWSGREP_INTERNAL, "more like this: no query made");
	return b.err.status == NEWSGREP_OK ? NEWSGREP_OK : ng_db_error(db, &b.err);
}
