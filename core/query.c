/*
 * query.c - from the query tree to a Xapian query.
 *
 * How each part of the tree meets the schema (index.c):
 * - a word is looked up by its stem ("Z" + field prefix + stem), as
 *   Xapian's own query parser does, so "sanction" finds "sanctions"; a
 *   document with a word that is its own stem has no stem term for it
 *   (index.c), so the stem term is paired with that word's term as a
 *   synonym when the stem is its own stem; an acronym's plural ("GPUs",
 *   or "gpus" where the index has "GPUs") is looked for as its singular
 *   too, and a singular the index knows as an acronym as its plural; the
 *   word as typed is added AND_MAYBE, so the articles that have it rank
 *   above those that only share its stem, and the matches stay those of
 *   the stem;
 *   numbers, CJK and --exact use the word as it is;
 * - a phrase or NEAR group uses the unprefixed words, which alone carry
 *   positions; a phrase in one field is that phrase filtered by the
 *   field's (positionless) terms;
 * - a wildcard expands over the field's words, at most max_expansion of
 *   them, counted first so the error can point at the wildcard;
 * - site:, topic:, type:, date: and "*" filter without ranking.
 * Alongside the Xapian query it collects the words a hit's text should
 * highlight, and whether there are words to rank by at all.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ng.h"
#include "ngx.h"
#include "schema.h"

typedef struct compiler {
	newsgrep_db_t *db;
	ng_query *q;
	const char *text;
	size_t len;
	bool exact;
	unsigned long max_expansion;
	unsigned qpos;
	unsigned excluding; /* inside the excluded side of an AND_NOT */
	ngx_error err;
	ng_error error; /* the first failure (NEWSGREP_OK: none yet) */
} compiler;

/* Both record the failure on c and return NULL (false, where a bool is
 * returned: "return nomem(c) != NULL;"). */
static ngx_query *backend_failed(compiler *c)
{
	if (c->error.status == NEWSGREP_OK)
		ng_error_set(&c->error, ng_status_from_ngx(c->err.code),
		             "cannot build the query: %s", c->err.message);
	return NULL;
}

static ngx_query *nomem(compiler *c)
{
	if (c->error.status == NEWSGREP_OK)
		ng_error_nomem(&c->error);
	return NULL;
}

/* Remembers a word to highlight in hits. */
static bool highlight(compiler *c, ng_qfield field, const char *term, size_t len, ng_hl_match how)
{
	if (c->excluding || !(ng_schema_query_field(field)->flags & NG_SF_SHOWN))
		return true;
	ng_query *q = c->q;
	ng_hlterm *v = ng_arena_grow(&q->arena, q->hl, q->nhl, &q->hl_cap, sizeof(*v), 16);
	if (!v)
		return false;
	q->hl = v;
	char *copy = ng_arena_strndup(&q->arena, term, len);
	if (!copy)
		return false;
	q->hl[q->nhl++] = (ng_hlterm){copy, len, how, field};
	return true;
}

/* A term query for prefix + a + b. */
static ngx_query *term(compiler *c, const char *prefix, const char *a, size_t alen, unsigned pos)
{
	char buf[NG_TERM_MAX * 4 + 16];
	size_t plen = strlen(prefix);
	if (plen + alen >= sizeof(buf))
		alen = sizeof(buf) - plen - 1; /* longer than any indexed term */
	memcpy(buf, prefix, plen);
	memcpy(buf + plen, a, alen);
	ngx_query *q;
	if (ngx_query_term(&q, buf, plen + alen, 1, pos, &c->err) != NGX_OK)
		return backend_failed(c);
	return q;
}

static ngx_query *combine(compiler *c, ngx_op op, ngx_query **subs, size_t n, unsigned window)
{
	ngx_query *q = NULL;
	for (size_t i = 0; i < n; i++)
		if (!subs[i])
			goto out;
	if (n == 1 && op != NGX_OP_PHRASE && op != NGX_OP_NEAR) {
		q = subs[0];
		subs[0] = NULL;
	} else if (ngx_query_combine(&q, op, subs, n, window, &c->err) != NGX_OK) {
		q = backend_failed(c);
	}
out:
	for (size_t i = 0; i < n; i++)
		ngx_query_free(subs[i]);
	return q;
}

/* q, matching the same articles without adding to their weight. */
static ngx_query *unranked(compiler *c, ngx_query *q)
{
	if (!q)
		return NULL;
	ngx_query *scaled;
	ngx_code rc = ngx_query_scale(&scaled, q, 0, &c->err);
	ngx_query_free(q);
	return rc == NGX_OK ? scaled : backend_failed(c);
}

/* The terms of one word: those that find it (its term, or its stem's, and
 * beside that the word itself when the stem is its own stem; the same for
 * an acronym's other number), and the one that ranks an article with the
 * word as typed higher. */
#define MAX_FIND 4
typedef struct word_terms {
	char find[MAX_FIND][NG_TERM_MAX * 4 + 16];
	size_t find_len[MAX_FIND], nfind;
	char exact[NG_TERM_MAX * 4 + 16];
	size_t exact_len; /* 0: none */
} word_terms;

static size_t cat_term(char *out, size_t cap, const char *a, const char *b, size_t blen)
{
	size_t alen = strlen(a);
	if (alen + blen >= cap)
		blen = cap - alen - 1; /* longer than any indexed term */
	memcpy(out, a, alen);
	memcpy(out + alen, b, blen);
	return alen + blen;
}

/* Adds to *w the terms that find word[0..len) in the field of n by its
 * stem, which it highlights: "Z" + prefix + stem, and beside it the stem's
 * own term when the stem is its own stem (documents with that word have no
 * stem term for it, index.c). */
static bool add_stem_terms(compiler *c, const ng_qnode *n, const char *word, size_t len,
                           word_terms *w)
{
	const char *prefix = ng_qfield_prefix(n->field);
	char s[NG_TERM_MAX * 4 + 16];
	size_t slen;
	size_t plen = strlen(prefix);
	memcpy(s, prefix, plen);
	if (ngx_stem(c->db->stemmer, word, len, s + plen, sizeof(s) - plen, &slen, &c->err) !=
	    NGX_OK)
		return backend_failed(c) != NULL;
	if (!highlight(c, n->field, s + plen, slen, NG_HL_STEM))
		return nomem(c) != NULL;
	char again[sizeof(s)];
	size_t alen;
	if (ngx_stem(c->db->stemmer, s + plen, slen, again, sizeof(again), &alen, &c->err) !=
	    NGX_OK)
		return backend_failed(c) != NULL;
	size_t k = w->nfind++;
	w->find_len[k] = cat_term(w->find[k], sizeof(w->find[k]), NG_PREFIX_STEM, s, plen + slen);
	if (alen == slen && memcmp(again, s + plen, slen) == 0) {
		k = w->nfind++;
		w->find_len[k] = cat_term(w->find[k], sizeof(w->find[k]), "", s, plen + slen);
	}
	return true;
}

/* The number of articles with the term prefix + word[0..len); false on a
 * backend error. */
static bool term_freq(compiler *c, const char *prefix, const char *word, size_t len, uint64_t *freq)
{
	char t[NG_TERM_MAX * 4 + 16];
	size_t plen = strlen(prefix);
	*freq = 0;
	if (plen + len > sizeof(t))
		return true;
	memcpy(t, prefix, plen);
	memcpy(t + plen, word, len);
	if (ngx_db_term_freq(c->db->x, t, plen + len, freq, &c->err) != NGX_OK) {
		backend_failed(c);
		return false;
	}
	return true;
}

/* Whether the index knows word[0..len) as an acronym: some article writes
 * its plural in capitals ("GPUs": the marker XA + "gpu", index.c), or most
 * articles with the word write it in capitals ("CPU": XC + "cpu"; not
 * "new", though some headline says "NEW").  False on a backend error. */
static bool known_acronym(compiler *c, const char *word, size_t len, bool *out)
{
	uint64_t plural, capitals, all;
	*out = false;
	if (!term_freq(c, NG_PREFIX_ACRONYM, word, len, &plural))
		return false;
	if (plural > 0) {
		*out = true;
		return true;
	}
	if (len < 3 || !term_freq(c, NG_PREFIX_CAPITALS, word, len, &capitals))
		return len < 3;
	if (capitals == 0 || !term_freq(c, "", word, len, &all))
		return capitals == 0;
	*out = capitals * 2 >= all;
	return true;
}

/*
 * The other number of a query word that is an acronym (text rules 2), into
 * alt (*alt_len 0 for other words): the singular of a plural written so
 * ("GPUs"), or of one in lower case ("gpus") when the index knows the
 * singular as an acronym; the plural of a singular it knows so ("gpu" ->
 * "gpus", for articles that write "gpus").  Only the index's own acronyms
 * have one: "bus", "gas" and "news" stay themselves.  False on a backend
 * error.
 */
static bool acronym_other(compiler *c, const ng_qterm *t, char *alt, size_t cap, size_t *alt_len)
{
	*alt_len = 0;
	if (c->db->text_rules < 2 || t->len + 2 > cap)
		return true;
	bool known = false;
	if (t->len >= 3 && t->text[t->len - 1] == 's') {
		if (!t->acronym_plural && !known_acronym(c, t->text, t->len - 1, &known))
			return false;
		if (t->acronym_plural || known) {
			memcpy(alt, t->text, t->len - 1);
			*alt_len = t->len - 1;
			return true;
		}
	}
	if (!known_acronym(c, t->text, t->len, &known))
		return false;
	if (known) {
		memcpy(alt, t->text, t->len);
		alt[t->len] = 's';
		*alt_len = t->len + 1;
	}
	return true;
}

/* Fills *w for word t of node n, and remembers the words to highlight. */
static bool terms_of(compiler *c, const ng_qnode *n, const ng_qterm *t, word_terms *w)
{
	const char *prefix = ng_qfield_prefix(n->field);
	bool stem = t->stemmable && !c->exact && n->kind == NG_Q_WORDS &&
	            (ng_schema_query_field(n->field)->flags & NG_SF_STEMS);
	w->nfind = 0;
	w->exact_len = 0;
	if (!stem) {
		w->nfind = 1;
		w->find_len[0] = cat_term(w->find[0], sizeof(w->find[0]), prefix, t->text, t->len);
		return highlight(c, n->field, t->text, t->len, NG_HL_WORD) || nomem(c) != NULL;
	}
	char alt[NG_TERM_MAX * 4 + 2];
	size_t alt_len;
	if (!acronym_other(c, t, alt, sizeof(alt), &alt_len) ||
	    !add_stem_terms(c, n, t->text, t->len, w))
		return false;
	/* "gpu" and "gpus": either finds "GPU", "GPUs" and "gpus". */
	if (alt_len && !add_stem_terms(c, n, alt, alt_len, w))
		return false;
	/* The word as typed ranks above the other words of its stem.  Every
	 * document with the word has one of its finding terms: it only adds
	 * weight to documents the word finds anyway. */
	if (!c->excluding)
		w->exact_len = cat_term(w->exact, sizeof(w->exact), prefix, t->text, t->len);
	return true;
}

static ngx_query *one_word(compiler *c, const ng_qnode *n, const ng_qterm *t)
{
	word_terms w;
	unsigned pos = ++c->qpos;
	if (!terms_of(c, n, t, &w))
		return NULL;
	ngx_query *find[MAX_FIND];
	for (size_t i = 0; i < w.nfind; i++)
		find[i] = term(c, "", w.find[i], w.find_len[i], pos);
	ngx_query *q = combine(c, NGX_OP_SYNONYM, find, w.nfind, 0);
	if (!q || !w.exact_len)
		return q;
	/* AND_MAYBE: the matches stay the word's. */
	ngx_query *maybe[2] = {q, term(c, "", w.exact, w.exact_len, pos)};
	return combine(c, NGX_OP_AND_MAYBE, maybe, 2, 0);
}

/* An OR of this many plain words or more is scored term at a time
 * (ngx_query_words): Xapian's OR of as many subqueries costs the square
 * of their number. */
#define MANY_WORDS 64

static bool is_plain_word(const ng_qnode *k)
{
	return k->kind == NG_Q_WORDS && k->nterms == 1;
}

/* The plain words among n's children, as one query. */
static ngx_query *many_words(compiler *c, const ng_qnode *n)
{
	ng_buf pool = {0};
	ngx_word_term *v = malloc(n->nkids * (MAX_FIND + 1) * sizeof(*v));
	size_t nv = 0;
	word_terms w;
	ngx_query *q = NULL;
	if (!v) {
		nomem(c);
		goto out;
	}
	for (size_t i = 0; i < n->nkids; i++) {
		if (!is_plain_word(n->kids[i]))
			continue;
		++c->qpos;
		if (!terms_of(c, n->kids[i], &n->kids[i]->terms[0], &w))
			goto out;
		for (size_t j = 0; j <= w.nfind; j++) {
			const char *text = j < w.nfind ? w.find[j] : w.exact;
			size_t len = j < w.nfind ? w.find_len[j] : w.exact_len;
			if (!len)
				continue;
			if (pool.len > UINT32_MAX - len || !ng_buf_append(&pool, text, len)) {
				nomem(c);
				goto out;
			}
			v[nv++] = (ngx_word_term){(uint32_t)(pool.len - len), (uint32_t)len,
			                          (uint32_t)i, j == w.nfind};
		}
	}
	if (ngx_query_words(&q, pool.data, v, nv, &c->err) != NGX_OK)
		q = backend_failed(c);
out:
	free(v);
	ng_buf_release(&pool);
	return q;
}

/* A phrase: the words in order, on the terms that carry positions. */
static ngx_query *phrase(compiler *c, const ng_qnode *n)
{
	if (n->nterms == 1)
		return one_word(c, n, &n->terms[0]);
	ngx_query **subs = calloc(n->nterms, sizeof(*subs));
	if (!subs)
		return nomem(c);
	const char *prefix = ng_qfield_prefix(n->field);
	const char *positional = ng_schema_positional_prefix(n->field);
	bool positionless = !positional; /* as URL words */
	for (size_t i = 0; i < n->nterms; i++) {
		const ng_qterm *t = &n->terms[i];
		subs[i] = term(c, positionless ? prefix : positional, t->text, t->len, ++c->qpos);
		if (!highlight(c, n->field, t->text, t->len, NG_HL_WORD))
			nomem(c);
	}
	/* URL words have no positions: all of them is as close as it gets. */
	ngx_query *q = combine(c, positionless ? NGX_OP_AND : NGX_OP_PHRASE, subs, n->nterms,
	                       positionless ? 0 : n->nterms);
	if (q && *prefix && !positionless && !*positional) {
		/* In one field: the phrase, where the field has every word. */
		ngx_query *in_field[2] = {q, NULL};
		for (size_t i = 0; i < n->nterms; i++)
			subs[i] = term(c, prefix, n->terms[i].text, n->terms[i].len, 0);
		in_field[1] = combine(c, NGX_OP_AND, subs, n->nterms, 0);
		q = combine(c, NGX_OP_FILTER, in_field, 2, 0);
	}
	free(subs);
	return q;
}

static ngx_query *wildcard(compiler *c, const ng_qnode *n)
{
	const ng_qterm *t = &n->terms[0];
	char prefix[NG_TERM_MAX * 4 + 16];
	const char *fp = ng_qfield_prefix(n->field);
	size_t plen = strlen(fp);
	if (plen + t->len >= sizeof(prefix)) {
		c->error.status = NEWSGREP_BAD_QUERY;
		ng_qerror e = {.offset = n->start};
		ng_msg_set(e.message, sizeof(e.message), "the wildcard's word is too long");
		ng_qerror_format(c->text, c->len, &e, c->error.message, sizeof(c->error.message));
		return NULL;
	}
	memcpy(prefix, fp, plen);
	memcpy(prefix + plen, t->text, t->len);
	uint64_t count;
	if (ngx_db_count_prefix(c->db->x, prefix, plen + t->len, c->max_expansion, &count,
	                        &c->err) != NGX_OK)
		return backend_failed(c);
	if (count > c->max_expansion) {
		c->error.status = NEWSGREP_BAD_QUERY;
		ng_qerror e = {.offset = n->start};
		ng_msg_set(e.message, sizeof(e.message),
		           "'%.*s*' matches more than %lu word%s: make it longer, or raise "
		           "--max-expansion",
		           (int)(t->len > 40 ? 40 : t->len), t->text, c->max_expansion,
		           c->max_expansion == 1 ? "" : "s");
		ng_qerror_format(c->text, c->len, &e, c->error.message, sizeof(c->error.message));
		return NULL;
	}
	if (!highlight(c, n->field, t->text, t->len, NG_HL_PREFIX))
		return nomem(c);
	ngx_query *q;
	if (ngx_query_wildcard(&q, prefix, plen + t->len, (unsigned)c->max_expansion, &c->err) !=
	    NGX_OK)
		return backend_failed(c);
	/* Boolean fields filter; text fields rank. */
	return ng_schema_query_field(n->field)->syntax == NG_QS_FOLDED ? unranked(c, q) : q;
}

static ngx_query *everything(compiler *c)
{
	ngx_query *q;
	if (ngx_query_match_all(&q, &c->err) != NGX_OK)
		return backend_failed(c);
	return unranked(c, q);
}

/* The folders a path: value may name, tidied, each once. */
typedef struct folders {
	char **v;
	size_t n;
} folders;

/* Adds a + "/" + b (b may be empty). False when out of memory. */
static bool folder_add(folders *f, const char *a, size_t alen, const char *b, size_t blen)
{
	char *s = malloc(alen + blen + 2);
	if (!s)
		return false;
	memcpy(s, a, alen);
	size_t n = alen;
	if (blen) {
		if (n && s[n - 1] != '/')
			s[n++] = '/';
		memcpy(s + n, b, blen);
		n += blen;
	}
	n = ng_path_tidy(s, n);
	s[n] = '\0';
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i], s) == 0) {
			free(s);
			return true;
		}
	char **v = realloc(f->v, (f->n + 1) * sizeof(*v));
	if (!v) {
		free(s);
		return false;
	}
	f->v = v;
	f->v[f->n++] = s;
	return true;
}

/*
 * path:FOLDER, the articles whose file is under FOLDER: an absolute one as
 * it is, a relative one under each of the index's roots; either, when it
 * exists here, also as the file system resolves it (symbolic links, the
 * current directory).  Each is one folder term (index.c).
 */
static ngx_query *folder(compiler *c, const ng_qnode *n)
{
	if (!c->db->folder_terms) {
		ng_error_set(
		    &c->error, NEWSGREP_INDEX_VERSION,
		    "path: the index was made by an older newsgrep, which did not record "
		    "the folders of the articles: rebuild it with newsgrep-index --rebuild");
		return NULL;
	}
	const char *v = n->value;
	size_t vlen = strlen(v);
	folders f = {0};
	bool ok = true;
	if (v[0] == '/') {
		ok = folder_add(&f, v, vlen, "", 0);
	} else {
		ng_roots roots;
		if (ng_db_read_roots(c->db, &roots, &c->err) != NGX_OK)
			return c->err.code == NGX_ERR_NOMEM ? nomem(c) : backend_failed(c);
		for (size_t i = 0; ok && i < roots.n; i++)
			ok = folder_add(&f, roots.v[i], strlen(roots.v[i]), v, vlen);
		ng_roots_release(&roots);
	}
	char *real = ok ? realpath(v, NULL) : NULL;
	if (real) {
		ok = folder_add(&f, real, strlen(real), "", 0);
		free(real);
	}
	/* Nowhere: a term no article has, so that it finds nothing. */
	if (ok && f.n == 0)
		ok = folder_add(&f, v, vlen, "", 0);
	ngx_query **subs = ok ? calloc(f.n, sizeof(*subs)) : NULL;
	ngx_query *q = NULL;
	if (subs) {
		ng_buf t = {0};
		for (size_t i = 0; i < f.n; i++) {
			if (strcmp(f.v[i], "/") == 0)
				subs[i] = everything(c);
			else if (ng_folder_term(f.v[i], strlen(f.v[i]), &t))
				subs[i] = term(c, "", t.data, t.len, 0);
			else
				subs[i] = nomem(c);
		}
		ng_buf_release(&t);
		q = unranked(c, combine(c, NGX_OP_OR, subs, f.n, 0));
		free(subs);
	} else {
		nomem(c);
	}
	for (size_t i = 0; i < f.n; i++)
		free(f.v[i]);
	free(f.v);
	return q;
}

static ngx_query *value(compiler *c, const ng_qnode *n)
{
	size_t vlen = strlen(n->value);
	ng_query_syntax syntax = ng_schema_query_field(n->field)->syntax;
	if (syntax == NG_QS_PATH)
		return folder(c, n);
	if (syntax != NG_QS_SITE)
		return unranked(c, term(c, ng_qfield_prefix(n->field), n->value, vlen, 0));
	/* Any row of the field: the provider's domain or the host of the
	 * article's URL. */
	ngx_query *either[NG_FIELD_COUNT];
	size_t k = 0;
	for (ng_field_id f = 0; f < NG_FIELD_COUNT; f++)
		if (ng_schema_field(f)->qfield == n->field)
			either[k++] = term(c, ng_schema_field(f)->prefix, n->value, vlen, 0);
	return unranked(c, combine(c, NGX_OP_OR, either, k, 0));
}

static ngx_query *date_range(compiler *c, bool has_lo, int64_t lo, bool has_hi, int64_t hi)
{
	ngx_query *q = NULL;
	/* The date terms of its days, when the index has them: postings to
	 * merge instead of every candidate's date to read (window.c). */
	if (ng_date_range_query(c->db, has_lo, lo, has_hi, hi, &q, &c->err) != NEWSGREP_OK)
		return backend_failed(c);
	if (q)
		return unranked(c, q);
	ngx_code rc;
	if (has_lo && has_hi)
		rc = ngx_query_number_range(&q, NG_SLOT_DATE, (double)lo, (double)hi, &c->err);
	else if (has_lo)
		rc = ngx_query_number_ge(&q, NG_SLOT_DATE, (double)lo, &c->err);
	else
		rc = ngx_query_number_le(&q, NG_SLOT_DATE, (double)hi, &c->err);
	return rc == NGX_OK ? q : backend_failed(c);
}

/* The articles of `block` (a block term's query, taken) numbered after
 * `after` in `slot`. */
static ngx_query *not_numbered_up_to(compiler *c, ngx_query *block, unsigned slot, uint64_t after)
{
	ngx_query *old;
	if (ngx_query_number_le(&old, slot, (double)after, &c->err) != NGX_OK) {
		ngx_query_free(block);
		return backend_failed(c);
	}
	ngx_query *both[2] = {block, old};
	return combine(c, NGX_OP_AND_NOT, both, 2, 0);
}

/*
 * The articles numbered after `after` in `slot` (sequence.c): the block
 * terms of `prefix` from after's next number's block to the newest block
 * any article has, OR'd, the first block without its articles numbered
 * up to `after` (AND_NOT a value range), when it has any.  Xapian reads
 * the postings of the newest blocks only, and the values of the first
 * block's articles alone, so the cost follows the new articles.
 *
 * Not (blocks) AND (value >= after + 1): Xapian estimates a value range's
 * size as if the values were spread evenly, so for a few new articles
 * the range looks the smallest part of the AND and drives the match, and
 * its first step reads the value of every article from the first docid
 * until it finds one numbered after `after`: the whole archive.  The
 * right side of an AND_NOT is only ever skipped to where the left is.
 */
static ngx_query *numbered_after(compiler *c, unsigned slot, const char *prefix, uint64_t after)
{
	if (!c->db->sequence) {
		ng_error_set(&c->error, NEWSGREP_INDEX_VERSION,
		             "the index does not number its articles in the order they arrived "
		             "(it was made before format %s): rebuild it with newsgrep-index "
		             "--rebuild to follow new articles",
		             NG_FORMAT_FIRST_SEQUENCE);
		return NULL;
	}
	if (after >= UINT64_MAX / 2) {
		ng_error_set(&c->error, NEWSGREP_INVALID_ARG,
		             "no article of an index is numbered after %" PRIu64, after);
		return NULL;
	}
	double most = 0;
	int has = 0;
	if (ngx_db_number_upper_bound(c->db->x, slot, &most, &has, &c->err) != NGX_OK)
		return backend_failed(c);
	uint64_t first = (after + 1) / NG_SEQ_BLOCK;
	uint64_t last = has && most > 0 && most < 1e18 ? (uint64_t)most / NG_SEQ_BLOCK : first;
	if (last < first)
		last = first;
	size_t n = (size_t)(last - first + 1), k = 0;
	ngx_query **blocks = calloc(n, sizeof(*blocks));
	if (!blocks)
		return nomem(c);
	for (uint64_t b = first; b <= last && c->error.status == NEWSGREP_OK; b++) {
		char text[64];
		size_t len = ng_sequence_term(text, sizeof(text), prefix, b * NG_SEQ_BLOCK);
		blocks[k++] = len ? term(c, "", text, len, 0) : backend_failed(c);
	}
	if (k && blocks[0] && (after + 1) % NG_SEQ_BLOCK != 0)
		blocks[0] = not_numbered_up_to(c, blocks[0], slot, after);
	ngx_query *any = combine(c, NGX_OP_OR, blocks, k, 0); /* (frees blocks[0..k)) */
	free(blocks);
	return unranked(c, any);
}

static ngx_query *compile(compiler *c, const ng_qnode *n)
{
	ngx_query **subs;
	ngx_query *q;
	switch (n->kind) {
	case NG_Q_WORDS:
		return n->nterms == 1 ? one_word(c, n, &n->terms[0]) : phrase(c, n);
	case NG_Q_PHRASE:
		return phrase(c, n);
	case NG_Q_WILDCARD:
		return wildcard(c, n);
	case NG_Q_ALL:
		return everything(c);
	case NG_Q_VALUE:
		return value(c, n);
	case NG_Q_DATE:
		return date_range(c, n->has_lo, n->lo, n->has_hi, n->hi);
	case NG_Q_NEAR:
	case NG_Q_AND:
	case NG_Q_OR:
	case NG_Q_AND_NOT:
		break;
	}
	size_t plain = 0;
	for (size_t i = 0; n->kind == NG_Q_OR && i < n->nkids; i++)
		plain += is_plain_word(n->kids[i]);
	bool many = plain >= MANY_WORDS;
	subs = calloc(n->nkids + 1, sizeof(*subs));
	if (!subs)
		return nomem(c);
	size_t nsubs = 0;
	if (many)
		subs[nsubs++] = many_words(c, n);
	for (size_t i = 0; i < n->nkids && c->error.status == NEWSGREP_OK; i++) {
		const ng_qnode *k = n->kids[i];
		if (many && is_plain_word(k))
			continue;
		if (n->kind == NG_Q_NEAR) {
			const ng_qterm *t = &k->terms[0];
			subs[nsubs++] = term(c, ng_schema_positional_prefix(k->field), t->text,
			                     t->len, ++c->qpos);
			if (!highlight(c, k->field, t->text, t->len, NG_HL_WORD))
				nomem(c);
		} else {
			/* An excluded word is never in a hit: nothing to highlight. */
			bool excluded = n->kind == NG_Q_AND_NOT && i == 1;
			c->excluding += excluded;
			subs[nsubs++] = compile(c, k);
			c->excluding -= excluded;
		}
	}
	if (c->error.status != NEWSGREP_OK) {
		for (size_t i = 0; i < nsubs; i++)
			ngx_query_free(subs[i]);
		free(subs);
		return NULL;
	}
	switch (n->kind) {
	case NG_Q_NEAR:
		/* NEAR/n: at most n other words between them. */
		q = combine(c, NGX_OP_NEAR, subs, nsubs, n->distance + (unsigned)n->nkids);
		break;
	case NG_Q_OR:
		q = combine(c, NGX_OP_OR, subs, nsubs, 0);
		break;
	case NG_Q_AND_NOT:
		q = combine(c, NGX_OP_AND_NOT, subs, nsubs, 0);
		break;
	default:
		q = combine(c, NGX_OP_AND, subs, nsubs, 0);
		break;
	}
	free(subs);
	return q;
}

/* Whether the tree has words to rank by: plain text that is not excluded.
 * Fields and dates alone only filter, and are listed newest first. */
static bool ranks(const ng_qnode *n)
{
	switch (n->kind) {
	case NG_Q_WORDS:
	case NG_Q_PHRASE:
	case NG_Q_WILDCARD:
	case NG_Q_NEAR:
		return ng_schema_query_field(n->field)->flags & NG_SF_RANKS;
	case NG_Q_AND:
	case NG_Q_OR:
		for (size_t i = 0; i < n->nkids; i++)
			if (ranks(n->kids[i]))
				return true;
		return false;
	case NG_Q_AND_NOT:
		return ranks(n->kids[0]);
	default:
		return false;
	}
}

typedef struct date_limits {
	bool has_lo, has_hi;
	int64_t lo, hi;
} date_limits;

/* The dates a tree can match, from its date: parts: an AND keeps the
 * narrowest ends, an OR the widest (open if any part is open). */
static date_limits limits_of(const ng_qnode *n)
{
	date_limits d = {0};
	switch (n->kind) {
	case NG_Q_DATE:
		return (date_limits){n->has_lo, n->has_hi, n->lo, n->hi};
	case NG_Q_AND_NOT:
		return limits_of(n->kids[0]);
	case NG_Q_AND:
		for (size_t i = 0; i < n->nkids; i++) {
			date_limits k = limits_of(n->kids[i]);
			if (k.has_lo && (!d.has_lo || k.lo > d.lo))
				d.has_lo = true, d.lo = k.lo;
			if (k.has_hi && (!d.has_hi || k.hi < d.hi))
				d.has_hi = true, d.hi = k.hi;
		}
		return d;
	case NG_Q_OR:
		for (size_t i = 0; i < n->nkids; i++) {
			date_limits k = limits_of(n->kids[i]);
			d.has_lo = (i == 0 || d.has_lo) && k.has_lo;
			d.has_hi = (i == 0 || d.has_hi) && k.has_hi;
			d.lo = i == 0 || k.lo < d.lo ? k.lo : d.lo;
			d.hi = i == 0 || k.hi > d.hi ? k.hi : d.hi;
		}
		return d;
	default:
		return d;
	}
}

/* A bound as a user would write it: its day, when it is a whole day's
 * start (lo) or end (hi), else its ISO 8601 time. */
static void format_bound(int64_t t, bool hi, char *buf, size_t cap)
{
	int64_t second = ((t % 86400) + 86400) % 86400;
	if (second == (hi ? 86399 : 0))
		ng_date_format_day(t, buf, cap);
	else
		ng_date_format_iso8601(t, buf, cap);
}

/* The query's dates and the options' since and until leave no day: an
 * error that names the two ends, as since after until is, rather than a
 * search that silently finds nothing. */
static newsgrep_status_t empty_dates(newsgrep_db_t *db, const date_limits *d, const ng_query *q)
{
	char lo[32], hi[32], msg[200];
	format_bound(q->lo, false, lo, sizeof(lo));
	format_bound(q->hi, true, hi, sizeof(hi));
	bool lo_query = d->has_lo && q->lo == d->lo, hi_query = d->has_hi && q->hi == d->hi;
	if (lo_query && hi_query)
		ng_msg_set(msg, sizeof(msg), "the query's date:%s.. and date:..%s", lo, hi);
	else if (hi_query)
		ng_msg_set(msg, sizeof(msg), "since %s and the query's date:..%s", lo, hi);
	else if (lo_query)
		ng_msg_set(msg, sizeof(msg), "until %s and the query's date:%s..", hi, lo);
	else
		ng_msg_set(msg, sizeof(msg), "since %s and until %s", lo, hi);
	char full[300];
	ng_msg_set(full, sizeof(full), "the date range is empty: %s have no day in common", msg);
	return ng_db_fail(db, NEWSGREP_BAD_DATE, full, NULL);
}

void ng_query_release(ng_query *q)
{
	if (!q)
		return;
	ngx_query_free(q->xq);
	q->xq = NULL;
	ng_arena_release(&q->arena);
}

newsgrep_status_t ng_query_build(ng_query *out, newsgrep_db_t *db, const char *text,
                                 const newsgrep_search_options_t *opts)
{
	memset(out, 0, sizeof(*out));
	ng_arena_init(&out->arena);
	newsgrep_status_t st = ng_db_text_tools(db);
	if (st != NEWSGREP_OK)
		return st;
	size_t len = strlen(text);
	ng_qerror perr;
	out->root = opts->fixed_strings
	                ? ng_qparse_fixed(text, len, db->tok, &out->arena, &perr)
	                : ng_qparse(text, len, db->tok, &out->arena, (int64_t)time(NULL), &perr);
	if (!out->root) {
		char msg[300];
		if (perr.status == NEWSGREP_NOMEM)
			return ng_db_fail(db, NEWSGREP_NOMEM, "out of memory", NULL);
		ng_qerror_format(text, len, &perr, msg, sizeof(msg));
		return ng_db_fail(db, NEWSGREP_BAD_QUERY, msg, NULL);
	}
	compiler c = {
	    .db = db,
	    .q = out,
	    .text = text,
	    .len = len,
	    .exact = opts->exact,
	    .max_expansion = opts->max_expansion ? opts->max_expansion : NG_MAX_EXPANSION,
	};
	ngx_query *q = compile(&c, out->root);
	if (q && (opts->has_since || opts->has_until)) {
		ngx_query *both[2] = {
		    q, date_range(&c, opts->has_since, opts->since, opts->has_until, opts->until)};
		q = combine(&c, NGX_OP_FILTER, both, 2, 0);
	}
	if (q && opts->has_arrived_after) {
		ngx_query *both[2] = {
		    q, numbered_after(&c, NG_SLOT_ARRIVAL, NG_PREFIX_ARRIVAL, opts->arrived_after)};
		q = combine(&c, NGX_OP_FILTER, both, 2, 0);
	}
	if (q && opts->has_changed_after) {
		ngx_query *both[2] = {
		    q, numbered_after(&c, NG_SLOT_CHANGE, NG_PREFIX_CHANGE, opts->changed_after)};
		q = combine(&c, NGX_OP_FILTER, both, 2, 0);
	}
	if (c.error.status != NEWSGREP_OK || !q) {
		ngx_query_free(q);
		if (c.error.status == NEWSGREP_OK)
			c.error.status = NEWSGREP_INTERNAL;
		return ng_db_error(db, &c.error);
	}
	out->xq = q;
	out->text_rules = db->text_rules;
	out->ranked = ranks(out->root);
	date_limits d = limits_of(out->root);
	out->has_lo = d.has_lo || opts->has_since;
	out->lo = d.has_lo && (!opts->has_since || d.lo > opts->since) ? d.lo : opts->since;
	out->has_hi = d.has_hi || opts->has_until;
	out->hi = d.has_hi && (!opts->has_until || d.hi < opts->until) ? d.hi : opts->until;
	if (out->has_lo && out->has_hi && out->lo > out->hi)
		return empty_dates(db, &d, out);
	return NEWSGREP_OK;
}
