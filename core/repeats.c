/*
 * repeats.c - how many articles share a URL with another.
 *
 * The count lives in the index's metadata (NG_META_REPEATED_URLS): a search
 * of an index with none skips collapsing, which reads every candidate's URL
 * key.  An update that adds, changes or deletes articles clears the count
 * at its first change and writes it again at its end.  Counting again is
 * as cheap as what changed allows:
 *
 * - an index with none stays with none after deletions, and after
 *   additions it can only have repeats among the added URLs: one pass over
 *   the URL keys looks for those alone;
 * - an index with some keeps some after additions (the number recorded is
 *   then a floor, which is all a search needs);
 * - otherwise (deletions from an index with some, a count never made, too
 *   many additions to remember) every key is counted.
 */
#include <stdlib.h>
#include <string.h>

#include "ng.h"
#include "ngx.h"

/* Beyond this many additions, count everything (the keys take 8 bytes). */
#define ADDED_MAX (1u << 16)

void ng_repeats_start(ng_repeats *r, ngx_db *x)
{
	memset(r, 0, sizeof(*r));
	r->before = NG_REPEATS_UNKNOWN;
	ngx_error err;
	char *text = NULL;
	if (ngx_db_get_metadata(x, NG_META_REPEATED_URLS, &text, &err) != NGX_OK)
		return;
	char *end;
	unsigned long long n = strtoull(text, &end, 10);
	if (*text >= '0' && *text <= '9' && !*end)
		r->before = n;
	free(text);
}

void ng_repeats_release(ng_repeats *r)
{
	free(r->added);
	r->added = NULL;
	r->nadded = r->cap = 0;
}

void ng_repeats_added(ng_repeats *r, uint64_t key)
{
	if (r->overflow)
		return;
	if (r->nadded == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 64;
		uint64_t *v = cap <= ADDED_MAX ? realloc(r->added, cap * sizeof(*v)) : NULL;
		if (!v) {
			r->overflow = true; /* count everything instead */
			ng_repeats_release(r);
			return;
		}
		r->added = v;
		r->cap = cap;
	}
	r->added[r->nadded++] = key;
}

static int compare_keys(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

typedef struct among {
	const uint64_t *keys; /* sorted, distinct */
	uint32_t *seen;       /* [n]: how many documents have keys[i] */
	size_t n;
} among;

static int see_key(void *ctx, uint32_t docid, const char *bytes, size_t len)
{
	(void)docid;
	among *a = ctx;
	if (len != 8)
		return 0;
	uint64_t key = 0;
	for (int i = 0; i < 8; i++)
		key |= (uint64_t)(unsigned char)bytes[i] << (8 * i);
	const uint64_t *hit = bsearch(&key, a->keys, a->n, sizeof(key), compare_keys);
	if (hit)
		a->seen[hit - a->keys]++;
	return 0;
}

/* The repeats among the added keys alone, in an index that had none. */
static ngx_code count_among_added(ng_repeats *r, ngx_db *x, uint64_t *out, ngx_error *err)
{
	*out = 0;
	if (!r->nadded)
		return NGX_OK;
	qsort(r->added, r->nadded, sizeof(*r->added), compare_keys);
	size_t n = 1;
	for (size_t i = 1; i < r->nadded; i++)
		if (r->added[i] != r->added[n - 1])
			r->added[n++] = r->added[i];
	among a = {r->added, calloc(n, sizeof(uint32_t)), n};
	if (!a.seen)
		return ngx_db_count_repeats(x, NG_SLOT_URL, out, err);
	ngx_code rc = ngx_db_value_stream(x, NG_SLOT_URL, see_key, &a, err);
	for (size_t i = 0; rc == NGX_OK && i < n; i++)
		if (a.seen[i] > 1)
			*out += a.seen[i] - 1;
	free(a.seen);
	return rc;
}

bool ng_repeats_count(ng_repeats *r, ngx_db *x, uint64_t *out, ngx_error *err)
{
	if (r->before == 0 && !r->overflow)
		return count_among_added(r, x, out, err) == NGX_OK;
	if (r->before != NG_REPEATS_UNKNOWN && r->before > 0 && !r->removed) {
		*out = r->before;
		return true;
	}
	return ngx_db_count_repeats(x, NG_SLOT_URL, out, err) == NGX_OK;
}
