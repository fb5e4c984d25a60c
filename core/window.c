/*
 * window.c - newest (or oldest) first without reading every match's date.
 *
 * Sorting by date reads the date of every match, and a date is read from
 * a chunk of the date column: a filter that matches a fifth of a million
 * articles reads the whole column.  So every dated article also has terms
 * for its UTC year, month and day (Y2024, M202406, D20240615), and a
 * search sorted by date first asks for the articles of the newest days
 * alone: the fewest whole years, months and days, newest first, that hold
 * as many articles as the page needs at the query's rate of matching
 * (results.c).  Every article outside the window is older than every one
 * inside it, so when the window fills the page, the page is exact.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ng.h"
#include "ngx.h"

enum { YEAR, MONTH, DAY };
static const char *const level_prefix[] = {NG_PREFIX_YEAR, NG_PREFIX_MONTH, NG_PREFIX_DAY};
static const size_t level_digits[] = {4, 6, 8}; /* of the key YYYY[MM[DD]] */

typedef struct period {
	char digits[9]; /* what the term adds to its parent's key */
	uint64_t freq;  /* articles in it */
} period;

typedef struct periods {
	period *v;
	size_t n, cap;
	size_t want_len; /* digits a term of this level adds */
} periods;

static int collect(void *ctx, const char *digits, size_t len, uint64_t freq)
{
	periods *p = ctx;
	if (len != p->want_len || strspn(digits, "0123456789") < len)
		return 0; /* no date term */
	if (p->n == p->cap) {
		size_t cap = p->cap ? 2 * p->cap : 32;
		period *v = realloc(p->v, cap * sizeof(*v));
		if (!v)
			return 1;
		p->v = v;
		p->cap = cap;
	}
	memcpy(p->v[p->n].digits, digits, len);
	p->v[p->n].digits[len] = '\0';
	p->v[p->n].freq = freq;
	p->n++;
	return 0;
}

typedef struct walker {
	struct ngx_db *x;
	bool newest;
	bool has_bound;
	char bound[9]; /* the day key of the bound */
	uint64_t want, have;
	ngx_query **picked;
	size_t npicked, cap;
	ngx_error *err;
	ngx_code rc;
} walker;

/* Whether the period `key` (len digits) lies wholly past the bound: after
 * it when newest first, before it when oldest first. */
static bool past_bound(const walker *w, const char *key, size_t len)
{
	if (!w->has_bound)
		return false;
	int c = memcmp(key, w->bound, len);
	return w->newest ? c > 0 : c < 0;
}

/* Whether a year or month holds the bound's day, and so days past it. */
static bool holds_bound(const walker *w, const char *key, size_t len)
{
	return w->has_bound && len < 8 && memcmp(key, w->bound, len) == 0;
}

static void out_of_memory(walker *w)
{
	w->rc = w->err->code = NGX_ERR_NOMEM;
	snprintf(w->err->message, sizeof(w->err->message), "out of memory");
}

/* Adds the period's term to the window; false on an error (w->rc). */
static bool pick(walker *w, int level, const char *key, size_t len)
{
	if (w->npicked == w->cap) {
		size_t cap = w->cap ? 2 * w->cap : 16;
		ngx_query **v = realloc(w->picked, cap * sizeof(*v));
		if (!v) {
			out_of_memory(w);
			return false;
		}
		w->picked = v;
		w->cap = cap;
	}
	char term[16];
	int n = snprintf(term, sizeof(term), "%s%.*s", level_prefix[level], (int)len, key);
	ngx_code rc = ngx_query_term(&w->picked[w->npicked], term, (size_t)n, 1, 0, w->err);
	if (rc != NGX_OK) {
		w->rc = rc;
		return false;
	}
	w->npicked++;
	return true;
}

/* Picks the periods of `level` within `parent` (a year or month; "" for
 * the years), newest first (or oldest): whole while they fit in what is
 * still wanted, else split into the next level.  True once enough
 * articles are picked, or on an error (w->rc). */
static bool walk(walker *w, int level, const char *parent, size_t plen)
{
	char prefix[16];
	int n = snprintf(prefix, sizeof(prefix), "%s%.*s", level_prefix[level], (int)plen, parent);
	periods p = {.want_len = level_digits[level] - plen};
	ngx_code rc = ngx_db_all_terms(w->x, prefix, (size_t)n, collect, &p, w->err);
	if (rc != NGX_OK) {
		w->rc = rc;
		free(p.v);
		return true;
	}
	bool done = false;
	for (size_t i = 0; i < p.n && !done; i++) {
		const period *e = &p.v[w->newest ? p.n - 1 - i : i];
		char key[9];
		size_t len = level_digits[level];
		memcpy(key, parent, plen);
		memcpy(key + plen, e->digits, len - plen);
		key[len] = '\0';
		if (past_bound(w, key, len))
			continue;
		if (level < DAY && (holds_bound(w, key, len) || w->have + e->freq > w->want)) {
			done = walk(w, level + 1, key, len);
			continue;
		}
		if (!pick(w, level, key, len))
			break;
		w->have += e->freq;
		done = w->have >= w->want;
	}
	free(p.v);
	return done || w->rc != NGX_OK;
}

/* Whether every dated article has date terms: a date whose year is not
 * 0000 to 9999 in UTC has none, and must not be left out of a window. */
static ngx_code dates_have_terms(struct ngx_db *x, bool *ok, ngx_error *err)
{
	double lo, hi;
	int has_lo, has_hi;
	ngx_code rc = ngx_db_number_lower_bound(x, NG_SLOT_DATE, &lo, &has_lo, err);
	if (rc == NGX_OK)
		rc = ngx_db_number_upper_bound(x, NG_SLOT_DATE, &hi, &has_hi, err);
	char key[9];
	*ok = rc == NGX_OK && has_lo && has_hi && lo >= -1e15 && hi <= 1e15 &&
	      ng_date_day_key((int64_t)lo, key) && ng_date_day_key((int64_t)hi, key);
	return rc;
}

bool ng_window_query(newsgrep_db_t *db, bool newest, bool has_bound, int64_t bound, uint64_t want,
                     ngx_query **out, ngx_error *err)
{
	*out = NULL;
	if (!db->date_terms)
		return true;
	/* A stub's shards may be of different formats, and the format read is
	 * the first one's. */
	size_t shards;
	bool ok;
	ngx_code rc = ngx_db_shards(db->x, &shards, err);
	if (rc == NGX_OK && shards == 1)
		rc = dates_have_terms(db->x, &ok, err);
	else
		ok = false;
	if (rc != NGX_OK || !ok)
		return rc == NGX_OK;
	walker w = {.x = db->x, .newest = newest, .want = want, .err = err, .rc = NGX_OK};
	w.has_bound = has_bound && ng_date_day_key(bound, w.bound);
	bool enough = walk(&w, YEAR, "", 0);
	if (w.rc == NGX_OK && enough && w.npicked)
		w.rc = ngx_query_combine(out, NGX_OP_OR, w.picked, w.npicked, 0, err);
	for (size_t i = 0; i < w.npicked; i++)
		ngx_query_free(w.picked[i]);
	free(w.picked);
	return w.rc == NGX_OK;
}
