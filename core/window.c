/*
 * window.c - dates by their terms: searches sorted by date, and date
 * ranges, without reading every match's date.
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
 *
 * A date range likewise becomes the terms of its whole years, months and
 * days, with the value range checked only on a day it cuts (as Omega
 * does): postings to merge instead of every candidate's date to read.
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
	period *v = ng_grow(p->v, p->n, &p->cap, sizeof(*v), 32);
	if (!v)
		return 1;
	p->v = v;
	memcpy(p->v[p->n].digits, digits, len);
	p->v[p->n].digits[len] = '\0';
	p->v[p->n].freq = freq;
	p->n++;
	return 0;
}

/* Queries to be ORed: the terms of a window, or of a date range. */
typedef struct qlist {
	ngx_query **v;
	size_t n, cap;
} qlist;

static ngx_code qlist_add(qlist *l, ngx_query *q, ngx_error *err)
{
	ngx_query **v = ng_grow(l->v, l->n, &l->cap, sizeof(*v), 16);
	if (!v) {
		ngx_query_free(q);
		err->code = NGX_ERR_NOMEM;
		snprintf(err->message, sizeof(err->message), "out of memory");
		return NGX_ERR_NOMEM;
	}
	l->v = v;
	l->v[l->n++] = q;
	return NGX_OK;
}

/* Adds the term of the year, month or day key[0..len) (4, 6 or 8 digits). */
static ngx_code qlist_add_period(qlist *l, const char *key, size_t len, ngx_error *err)
{
	char term[16];
	int level = len == level_digits[YEAR] ? YEAR : len == level_digits[MONTH] ? MONTH : DAY;
	int n = snprintf(term, sizeof(term), "%s%.*s", level_prefix[level], (int)len, key);
	ngx_query *q;
	ngx_code rc = ngx_query_term(&q, term, (size_t)n, 1, 0, err);
	return rc == NGX_OK ? qlist_add(l, q, err) : rc;
}

static void qlist_free(qlist *l)
{
	for (size_t i = 0; i < l->n; i++)
		ngx_query_free(l->v[i]);
	free(l->v);
	*l = (qlist){0};
}

/* ORs the list into *out (NULL when empty) and empties it. */
static ngx_code qlist_or(qlist *l, ngx_query **out, ngx_error *err)
{
	*out = NULL;
	ngx_code rc = l->n ? ngx_query_combine(out, NGX_OP_OR, l->v, l->n, 0, err) : NGX_OK;
	qlist_free(l);
	return rc;
}

typedef struct walker {
	struct ngx_db *x;
	bool newest;
	bool has_bound;
	char bound[9]; /* the day key of the bound */
	uint64_t want, have;
	qlist picked;
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
		if ((w->rc = qlist_add_period(&w->picked, key, len, w->err)) != NGX_OK)
			break;
		w->have += e->freq;
		done = w->have >= w->want;
	}
	free(p.v);
	return done || w->rc != NGX_OK;
}

/* Whether the index tells every article's date by its terms (*ok), and
 * the range of its dates: format 5 (of a set: every member, which set.c
 * checks agree), and no date whose UTC year is not 0000 to 9999, which
 * has no terms.  The bounds of a set are those of all its members. */
static ngx_code term_dates(newsgrep_db_t *db, bool *ok, int64_t *first, int64_t *last,
                           ngx_error *err)
{
	*ok = false;
	double lo, hi;
	int has_lo = 0, has_hi = 0;
	if (!db->date_terms)
		return NGX_OK;
	ngx_code rc = ngx_db_number_lower_bound(db->x, NG_SLOT_DATE, &lo, &has_lo, err);
	if (rc == NGX_OK && has_lo)
		rc = ngx_db_number_upper_bound(db->x, NG_SLOT_DATE, &hi, &has_hi, err);
	char key[9];
	*ok = rc == NGX_OK && has_lo && has_hi && lo >= -1e15 && hi <= 1e15 &&
	      ng_date_day_key((int64_t)lo, key) && ng_date_day_key((int64_t)hi, key);
	if (*ok) {
		*first = (int64_t)lo;
		*last = (int64_t)hi;
	}
	return rc;
}

newsgrep_status_t ng_window_query(newsgrep_db_t *db, bool newest, bool has_bound, int64_t bound,
                                  uint64_t want, ngx_query **out, ngx_error *err)
{
	*out = NULL;
	bool ok;
	int64_t first, last;
	ngx_code rc = term_dates(db, &ok, &first, &last, err);
	if (rc != NGX_OK || !ok)
		return ng_status_from_ngx(rc);
	walker w = {.x = db->x, .newest = newest, .want = want, .err = err, .rc = NGX_OK};
	w.has_bound = has_bound && ng_date_day_key(bound, w.bound);
	bool enough = walk(&w, YEAR, "", 0);
	if (w.rc != NGX_OK || !enough) { /* !enough: the window would hold them all */
		qlist_free(&w.picked);
		return ng_status_from_ngx(w.rc);
	}
	return ng_status_from_ngx(qlist_or(&w.picked, out, err));
}

/* ---- date ranges ---- */

#define DAY_SECONDS 86400
/* More terms than this, and the value range is cheaper. */
#define RANGE_MAX_TERMS 400

static int64_t day_of(int64_t t)
{
	return t / DAY_SECONDS - (t % DAY_SECONDS < 0);
}

/* Adds the term of `day` filtered by the value range from..to: a day the
 * range takes only part of. */
static ngx_code add_part_day(qlist *l, int64_t day, int64_t from, int64_t to, ngx_error *err)
{
	char key[9];
	ng_date_day_key(day * DAY_SECONDS, key);
	qlist one = {0};
	ngx_query *term = NULL, *range = NULL, *both = NULL;
	ngx_code rc = qlist_add_period(&one, key, 8, err);
	if (rc == NGX_OK)
		rc = qlist_or(&one, &term, err); /* the term alone */
	if (rc == NGX_OK)
		rc = ngx_query_number_range(&range, NG_SLOT_DATE, (double)from, (double)to, err);
	if (rc == NGX_OK) {
		ngx_query *pair[2] = {term, range};
		rc = ngx_query_combine(&both, NGX_OP_FILTER, pair, 2, 0, err);
	}
	ngx_query_free(term);
	ngx_query_free(range);
	return rc == NGX_OK ? qlist_add(l, both, err) : rc;
}

newsgrep_status_t ng_date_range_query(newsgrep_db_t *db, bool has_lo, int64_t lo, bool has_hi,
                                      int64_t hi, ngx_query **out, ngx_error *err)
{
	*out = NULL;
	bool ok;
	int64_t first, last;
	ngx_code rc = term_dates(db, &ok, &first, &last, err);
	if (rc != NGX_OK || !ok)
		return ng_status_from_ngx(rc);
	/* An end at or past the index's dates cuts nothing. */
	bool cut_lo = has_lo && lo > first, cut_hi = has_hi && hi < last;
	int64_t from = cut_lo ? lo : first, to = cut_hi ? hi : last;
	if (from > to)
		return NEWSGREP_OK; /* nothing: the value range says so as cheaply */
	int64_t d0 = day_of(from), d1 = day_of(to);
	bool part0 = cut_lo && from != d0 * DAY_SECONDS;
	bool part1 = cut_hi && to != d1 * DAY_SECONDS + DAY_SECONDS - 1;
	qlist l = {0};
	if (part0 || (part1 && d0 == d1))
		rc = add_part_day(&l, d0, from, to, err);
	if (rc == NGX_OK && part1 && d1 != d0)
		rc = add_part_day(&l, d1, from, to, err);
	/* The whole days between: whole years and months where they fit. */
	int64_t b = d1 - part1;
	for (int64_t d = d0 + part0; rc == NGX_OK && d <= b && l.n <= RANGE_MAX_TERMS;) {
		int64_t y;
		int m, dd;
		ng_date_civil(d, &y, &m, &dd);
		int64_t month_end = ng_date_day_number(y, m, ng_date_days_in_month(y, m));
		int64_t year_end = ng_date_day_number(y, 12, 31);
		char key[9];
		ng_date_day_key(d * DAY_SECONDS, key);
		if (m == 1 && dd == 1 && year_end <= b) {
			rc = qlist_add_period(&l, key, 4, err);
			d = year_end + 1;
		} else if (dd == 1 && month_end <= b) {
			rc = qlist_add_period(&l, key, 6, err);
			d = month_end + 1;
		} else {
			rc = qlist_add_period(&l, key, 8, err);
			d++;
		}
	}
	if (rc != NGX_OK || l.n > RANGE_MAX_TERMS) {
		qlist_free(&l);
		return ng_status_from_ngx(rc);
	}
	return ng_status_from_ngx(qlist_or(&l, out, err));
}
