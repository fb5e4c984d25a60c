/*
 * sequence.c - the order in which articles entered the index (format 7):
 * what standing searches follow, never clock time.
 *
 * Each article has two numbers of one counter the index keeps
 * (NG_META_SEQUENCE, committed in the batch whose documents it numbered,
 * so a crash loses both or neither):
 *
 *   arrival (NG_SLOT_ARRIVAL): when its URL first entered the index.  A
 *     new article takes the next number; a changed file, or one moved to
 *     another path, keeps its article's; a new file whose URL an article
 *     of the index has already (a duplicate) takes that article's.
 *   change (NG_SLOT_CHANGE): when it was last written: the next number at
 *     each add or change.
 *
 * Each number is also a filter term of its block of NG_SEQ_BLOCK numbers
 * (NG_PREFIX_ARRIVAL or NG_PREFIX_CHANGE + the block in decimal), so "what
 * arrived after N" reads the postings of the few newest blocks, not the
 * value of every article.  A duplicate is found by its URL key term
 * (NG_PREFIX_URL_KEY + the 16 hex digits of NG_SLOT_URL's key, index.c).
 *
 * A new index (and a rebuilt one, which is new) gets an identity of its
 * own (NG_META_IDENTITY): numbers of one identity are comparable, those of
 * another are not.  Compacting keeps both.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "ng.h"
#include "ngx.h"

void ng_sequence_init(ng_sequence *s, uint64_t last)
{
	pthread_mutex_init(&s->lock, NULL);
	s->last = last;
}

void ng_sequence_release(ng_sequence *s)
{
	pthread_mutex_destroy(&s->lock);
}

uint64_t ng_sequence_next(ng_sequence *s)
{
	pthread_mutex_lock(&s->lock);
	uint64_t n = ++s->last;
	pthread_mutex_unlock(&s->lock);
	return n;
}

uint64_t ng_sequence_last(ng_sequence *s)
{
	pthread_mutex_lock(&s->lock);
	uint64_t n = s->last;
	pthread_mutex_unlock(&s->lock);
	return n;
}

bool ng_sequence_parse(const char *text, uint64_t *out)
{
	*out = 0;
	if (!*text)
		return true; /* none given yet */
	if (text[0] < '0' || text[0] > '9')
		return false;
	char *end;
	errno = 0;
	unsigned long long n = strtoull(text, &end, 10);
	if (errno || *end)
		return false;
	*out = n;
	return true;
}

size_t ng_sequence_term(char *out, size_t cap, const char *prefix, uint64_t n)
{
	int len = snprintf(out, cap, "%s%" PRIu64, prefix, n / NG_SEQ_BLOCK);
	return len < 0 || (size_t)len >= cap ? 0 : (size_t)len;
}

size_t ng_url_key_term(char *out, size_t cap, uint64_t key)
{
	int len = snprintf(out, cap, "%s%016" PRIx64, NG_PREFIX_URL_KEY, key);
	return len < 0 || (size_t)len >= cap ? 0 : (size_t)len;
}

int ng_sequence_stamp(struct ngx_doc *doc, uint64_t arrival, uint64_t change, ngx_error *err)
{
	char term[64];
	size_t len;
	ngx_code rc = ngx_doc_set_value_number(doc, NG_SLOT_ARRIVAL, (double)arrival, err);
	if (rc == NGX_OK)
		rc = ngx_doc_set_value_number(doc, NG_SLOT_CHANGE, (double)change, err);
	if (rc == NGX_OK &&
	    (len = ng_sequence_term(term, sizeof(term), NG_PREFIX_ARRIVAL, arrival)))
		rc = ngx_doc_add_boolean_term(doc, term, len, err);
	if (rc == NGX_OK && (len = ng_sequence_term(term, sizeof(term), NG_PREFIX_CHANGE, change)))
		rc = ngx_doc_add_boolean_term(doc, term, len, err);
	return rc;
}

bool ng_identity_make(char *out, size_t cap)
{
	unsigned char bytes[16];
	if (cap < 2 * sizeof(bytes) + 1 ||
	    getrandom(bytes, sizeof(bytes), 0) != (ssize_t)sizeof(bytes))
		return false;
	for (size_t i = 0; i < sizeof(bytes); i++)
		snprintf(out + 2 * i, 3, "%02x", bytes[i]);
	return true;
}

/* The last number and the identity of one index, from db->x as it is. */
static newsgrep_status_t read_sequence(newsgrep_db_t *db, uint64_t *last, char *identity,
                                       ngx_error *err)
{
	char *text = NULL, *id = NULL;
	double most = 0;
	int has = 0;
	if (ngx_db_get_metadata(db->x, NG_META_SEQUENCE, &text, err) != NGX_OK ||
	    ngx_db_get_metadata(db->x, NG_META_IDENTITY, &id, err) != NGX_OK ||
	    ngx_db_number_upper_bound(db->x, NG_SLOT_CHANGE, &most, &has, err) != NGX_OK) {
		free(text);
		free(id);
		return ng_status_from_ngx(err->code);
	}
	bool ok = ng_sequence_parse(text, last) && strlen(id) == NG_IDENTITY_HEX &&
	          strspn(id, "0123456789abcdef") == NG_IDENTITY_HEX;
	if (ok) {
		/* A merge may have kept the record of an older batch
		 * (start_sequence in update.c reads it so too). */
		if (has && most > (double)*last && most < 1e18)
			*last = (uint64_t)most;
		memcpy(identity, id, NG_IDENTITY_HEX + 1);
	}
	free(text);
	free(id);
	return ok ? NEWSGREP_OK : NEWSGREP_CORRUPT;
}

newsgrep_status_t newsgrep_db_sequence(newsgrep_db_t *db, uint64_t *last, char identity[33])
{
	if (!db)
		return NEWSGREP_INVALID_ARG;
	if (db->members)
		return ng_db_fail(db, NEWSGREP_INVALID_ARG,
		                  "a set of indexes has no one order of arrival: ask each index",
		                  NULL);
	if (!db->sequence)
		return ng_db_fail(
		    db, NEWSGREP_INDEX_VERSION,
		    "the index does not number its articles in the order they arrived "
		    "(it was made before format " NG_FORMAT_FIRST_SEQUENCE ")",
		    "rebuild it with newsgrep-index --rebuild to follow new articles");
	uint64_t n = 0;
	char id[NG_IDENTITY_HEX + 1];
	ngx_error err;
	newsgrep_status_t st = NEWSGREP_OK;
	for (int tries = 0; tries < NG_READ_RETRIES; tries++) {
		if ((st = ng_db_refresh(db)) != NEWSGREP_OK)
			return st;
		st = read_sequence(db, &n, id, &err);
		if (st != NEWSGREP_INDEX_CHANGED)
			break;
	}
	if (st == NEWSGREP_CORRUPT)
		return ng_db_fail(db, st, "the index's order of arrival is damaged",
		                  "rebuild it with newsgrep-index --rebuild");
	if (st != NEWSGREP_OK)
		return ng_db_fail(db, st, "cannot read the index's order of arrival", err.message);
	if (last)
		*last = n;
	if (identity)
		memcpy(identity, id, sizeof(id));
	return NEWSGREP_OK;
}
