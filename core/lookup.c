/*
 * lookup.c - one article by its path or its URL (newsgrep_article), from
 * the index alone: the stored record (docdata.c) of the document, never
 * the article file.
 *
 * A path is its unique id term (ng_uid_term).  A URL is found by its key,
 * a 64-bit hash of it (ng_shard_url_key): in format 7 the term of the key
 * (sequence.c); before, its value in NG_SLOT_URL, filtered first by the
 * boolean term of its host (XH) where it has one, so Xapian compares the
 * value of that site's articles only.  Then each candidate's stored URL
 * is compared with the one asked for (a hash may collide).
 * Both searches list newest first, as a filter-only search does, so the
 * article shown for a URL is the one such a search keeps of its
 * duplicates.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ng.h"
#include "ngx.h"
#include "schema.h"

/* The public struct first, so that the caller's pointer is the object. */
typedef struct article_obj {
	newsgrep_article_t pub;
	ng_arena arena;
} article_obj;

/* The records of the articles a search found, newest first. */
typedef struct found {
	ng_docdata *v;
	size_t n, cap;
} found;

static ngx_code nomem(ngx_error *err)
{
	err->code = NGX_ERR_NOMEM;
	snprintf(err->message, sizeof(err->message), "out of memory");
	return NGX_ERR_NOMEM;
}

static void found_release(found *f)
{
	free(f->v);
	*f = (found){0};
}

static bool found_add(found *f, const ng_docdata *d)
{
	ng_docdata *v = ng_grow(f->v, f->n, &f->cap, sizeof(*v), 4);
	if (!v)
		return false;
	f->v = v;
	f->v[f->n++] = *d;
	return true;
}

/* Runs `q` over the whole index, newest first, and decodes every hit's
 * stored record into `arena`, keeping those `keep` accepts. */
static ngx_code collect(newsgrep_db_t *db, const ngx_query *q, ng_arena *arena,
                        bool (*keep)(const ng_docdata *d, const char *want), const char *want,
                        found *f, bool *damaged, ngx_error *err)
{
	ngx_search_opts so = {
	    .offset = 0,
	    .limit = (unsigned long)-1,
	    .sort = NGX_SORT_VALUE_DESC,
	    .sort_slot = NG_SLOT_DATE,
	};
	ngx_mset *m = NULL;
	ngx_code rc = ngx_search(&m, db->x, q, &so, NULL, 0, err);
	for (size_t i = 0; rc == NGX_OK && i < ngx_mset_size(m); i++) {
		double weight;
		char *data = NULL;
		size_t len;
		if ((rc = ngx_mset_hit(m, i, &weight, &data, &len, err)) != NGX_OK)
			break;
		ng_docdata d;
		bool ok = ng_docdata_decode(data, len, arena, &d);
		free(data);
		if (!ok) {
			*damaged = true;
			break;
		}
		if (keep(&d, want) && !found_add(f, &d))
			rc = nomem(err);
	}
	ngx_mset_free(m);
	return rc;
}

static bool path_is(const ng_docdata *d, const char *path)
{
	return strcmp(d->path, path) == 0;
}

static bool url_is(const ng_docdata *d, const char *url)
{
	return strcmp(d->url, url) == 0;
}

/* The article at `path` (its unique id term; in a set, every member's). */
static ngx_code by_path(newsgrep_db_t *db, const char *path, ng_arena *arena, found *f,
                        bool *damaged, ngx_error *err)
{
	ng_buf term = {0};
	if (!ng_uid_term(path, &term)) {
		ng_buf_release(&term);
		return nomem(err);
	}
	ngx_query *q = NULL;
	ngx_code rc = ngx_query_term(&q, term.data, term.len, 1, 1, err);
	ng_buf_release(&term);
	if (rc == NGX_OK)
		rc = collect(db, q, arena, path_is, path, f, damaged, err);
	ngx_query_free(q);
	return rc;
}

int ng_url_key_query(const newsgrep_db_t *db, uint64_t key, ngx_query **out, ngx_error *err)
{
	char term[32];
	size_t len;
	/* Format 7 has a term of the key (sequence.c). */
	if (db->sequence && (len = ng_url_key_term(term, sizeof(term), key)))
		return ngx_query_term(out, term, len, 1, 1, err);
	unsigned char bytes[8];
	for (int i = 0; i < 8; i++)
		bytes[i] = (unsigned char)(key >> (8 * i));
	return ngx_query_value_is(out, NG_SLOT_URL, (const char *)bytes, 8, err);
}

int ng_url_query(const newsgrep_db_t *db, const char *url, ngx_query **out, ngx_error *err)
{
	ngx_query *value = NULL, *host = NULL;
	ngx_code rc = ng_url_key_query(db, ng_shard_url_key(url, strlen(url)), &value, err);
	/* A value is read for each candidate: those of the URL's host only. */
	const char *prefix = ng_schema_field(NG_FIELD_HOST)->prefix;
	char term[256];
	size_t plen = strlen(prefix);
	memcpy(term, prefix, plen);
	if (rc != NGX_OK || db->sequence || !ng_url_host(url, term + plen, sizeof(term) - plen) ||
	    strlen(term) > 240) {
		*out = value;
		return rc;
	}
	rc = ngx_query_term(&host, term, strlen(term), 1, 1, err);
	if (rc == NGX_OK)
		rc = ngx_query_combine(out, NGX_OP_FILTER, (ngx_query *const[]){host, value}, 2, 0,
		                       err);
	ngx_query_free(host);
	ngx_query_free(value);
	return rc;
}

/* The articles whose URL is `url`, newest first. */
static ngx_code by_url(newsgrep_db_t *db, const char *url, ng_arena *arena, found *f, bool *damaged,
                       ngx_error *err)
{
	ngx_query *q = NULL;
	ngx_code rc = ng_url_query(db, url, &q, err);
	if (rc == NGX_OK)
		rc = collect(db, q, arena, url_is, url, f, damaged, err);
	ngx_query_free(q);
	return rc;
}

/* Leaves in `dups` the first article of each path but `path`'s: the
 * article shown is no duplicate of itself, and a set may hold one file
 * in several of its indexes. */
static void drop_repeats(found *dups, const char *path)
{
	size_t kept = 0;
	for (size_t i = 0; i < dups->n; i++) {
		bool repeat = path_is(&dups->v[i], path);
		for (size_t k = 0; !repeat && k < kept; k++)
			repeat = path_is(&dups->v[i], dups->v[k].path);
		if (!repeat)
			dups->v[kept++] = dups->v[i];
	}
	dups->n = kept;
}

/* Finds the article `key` names into shown->v[0] and the other articles
 * of its URL into `dups`; *damaged when a stored record cannot be read. */
static ngx_code find(newsgrep_db_t *db, const char *key, ng_arena *arena, found *shown, found *dups,
                     bool *damaged, ngx_error *err)
{
	bool is_path = key[0] == '/';
	const char *url = key;
	if (is_path) {
		ngx_code rc = by_path(db, key, arena, shown, damaged, err);
		if (rc != NGX_OK || *damaged || !shown->n || !*shown->v[0].url)
			return rc;
		url = shown->v[0].url;
	}
	ngx_code rc = by_url(db, url, arena, dups, damaged, err);
	if (rc != NGX_OK || *damaged)
		return rc;
	if (!is_path && dups->n && !found_add(shown, &dups->v[0]))
		return nomem(err);
	if (shown->n)
		drop_repeats(dups, shown->v[0].path);
	return NGX_OK;
}

/* The public struct of `d` and the paths of `dups`, in a's arena. */
static bool fill(article_obj *a, const ng_docdata *d, const found *dups)
{
	newsgrep_article_t *p = &a->pub;
	*p = (newsgrep_article_t){
	    .path = d->path,
	    .url = d->url,
	    .title = d->title,
	    .has_date = d->has_date,
	    .date = d->date,
	    .provider = d->provider,
	    .provider_domain = d->provider_domain,
	    .excerpt = d->excerpt,
	    .ntopics = d->ntopics,
	    .topics = d->topics,
	};
	newsgrep_related_t *rel = ng_arena_alloc(&a->arena, (d->nrelated + 1) * sizeof(*rel));
	const newsgrep_related_t **rels =
	    ng_arena_alloc(&a->arena, (d->nrelated + 1) * sizeof(*rels));
	const char **paths = ng_arena_alloc(&a->arena, (dups->n + 1) * sizeof(*paths));
	if (!rel || !rels || !paths)
		return false;
	for (size_t i = 0; i < d->nrelated; i++) {
		const ng_docdata_related *r = &d->related[i];
		rel[i] = (newsgrep_related_t){
		    .title = r->title,
		    .excerpt = r->excerpt,
		    .url = r->url,
		    .has_date = r->has_date,
		    .date = r->date,
		    .provider = r->provider,
		    .provider_domain = r->provider_domain,
		};
		rels[i] = &rel[i];
	}
	for (size_t i = 0; i < dups->n; i++)
		paths[i] = dups->v[i].path;
	p->nrelated = d->nrelated;
	p->related = rels;
	p->nduplicates = dups->n;
	p->duplicates = paths;
	return true;
}

/* One try at finding `key`: NGX_OK with *out set, or with *out NULL when
 * there is no such article; *damaged when a record is no record. */
static ngx_code lookup(newsgrep_db_t *db, const char *key, article_obj **out, bool *damaged,
                       ngx_error *err)
{
	*out = NULL;
	*damaged = false;
	article_obj *a = calloc(1, sizeof(*a));
	if (!a)
		return nomem(err);
	ng_arena_init(&a->arena);
	found shown = {0}, dups = {0};
	ngx_code rc = find(db, key, &a->arena, &shown, &dups, damaged, err);
	if (rc == NGX_OK && !*damaged && shown.n && !fill(a, &shown.v[0], &dups))
		rc = nomem(err);
	if (rc == NGX_OK && !*damaged && shown.n)
		*out = a;
	else
		newsgrep_article_free(&a->pub);
	found_release(&shown);
	found_release(&dups);
	return rc;
}

newsgrep_status_t newsgrep_article(newsgrep_article_t **out, newsgrep_db_t *db,
                                   const char *path_or_url)
{
	if (!out)
		return NEWSGREP_INVALID_ARG;
	*out = NULL;
	if (!db)
		return NEWSGREP_INVALID_ARG;
	if (!path_or_url || !*path_or_url)
		return ng_db_fail(db, NEWSGREP_INVALID_ARG, "no path or URL given", NULL);
	newsgrep_status_t st = ng_db_refresh(db);
	if (st != NEWSGREP_OK)
		return st;
	ngx_error err;
	ngx_code rc;
	article_obj *a = NULL;
	bool damaged = false;
	/* As a search does: a commit under the reader is read again, a
	 * server of a set that stops answering is left out. */
	for (int tries = 0; (rc = lookup(db, path_or_url, &a, &damaged, &err)) != NGX_OK &&
	                    ++tries < NG_READ_RETRIES && ng_read_again(db, rc, &err, &st);)
		;
	if (st != NEWSGREP_OK)
		return st;
	if (rc != NGX_OK)
		return ng_db_fail(db, ng_status_from_ngx(rc), "cannot read the article",
		                  err.message);
	if (damaged)
		return ng_db_fail(db, NEWSGREP_CORRUPT,
		                  "an article's stored data is damaged: rebuild the index", NULL);
	if (!a) {
		ng_error e;
		ng_error_set(&e, NEWSGREP_DONE, "no article in the index has the %s '%s'",
		             path_or_url[0] == '/' ? "path" : "URL", path_or_url);
		return ng_db_error(db, &e);
	}
	*out = &a->pub;
	return NEWSGREP_OK;
}

void newsgrep_article_free(newsgrep_article_t *article)
{
	if (!article)
		return;
	article_obj *a = (article_obj *)article;
	ng_arena_release(&a->arena);
	free(a);
}
