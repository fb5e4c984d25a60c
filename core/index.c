/*
 * index.c - turning article files into Xapian documents.
 *
 * The schema (each field's prefix, weight and flags: schema.c):
 * - every word of the title, excerpt and related items, unprefixed and with
 *   positions (for phrases), its wdf weighted by field so a title word
 *   counts more than an excerpt word, and that more than a related one;
 * - its stem, "Z" + stem, with the same weights and no positions, unless
 *   the word is its own stem (most are): the word's own term stands in for
 *   it, and a query looks for both, so every such word costs one posting
 *   per field instead of two; an acronym's plural ("GPUs") has the stem of
 *   its singular, and a marker term XA + singular ("XAgpu");
 * - each character of a CJK run alone too (beside its bigrams), with no
 *   positions, so a query of one character finds it;
 * - the word and its stem again under the field's prefix (S, XE, XR), with
 *   no positions, so a field can be searched alone; a phrase in one field
 *   is a phrase on the unprefixed terms filtered by the field's terms,
 *   which spares the index a second copy of every position;
 * - the provider's name as words with positions (XP), and filter terms for
 *   provider domain, URL host, topics, type, the date's year, month and
 *   day, and each folder the file is in (XF);
 * - values: date, URL, the file record (filestate.c), facets; data: what a
 *   hit shows.
 * A document's postings are collected in C and handed to Xapian in one
 * call, so there is no per-term traffic across the shim.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xxhash.h>

#include "ng.h"
#include "ngx.h"
#include "schema.h"

/* Positions between fields and between related items, so that a phrase
 * cannot match across the end of one and the start of the next. */
#define FIELD_GAP 100

struct ng_docmaker {
	/* The handle whose text rules and test settings it follows (read
	 * only), the database written (through the handle's pointer, which a
	 * merge may reopen) and the text tools of its thread. */
	const newsgrep_db_t *settings;
	ngx_db *const *x;
	ng_tokenizer *tok;
	ngx_stemmer *stemmer;
	bool own_tools;   /* tok and stemmer are its own (ng_docmaker_new_apart) */
	const char *path; /* the file being indexed */
	ng_error error;   /* a fatal error (NEWSGREP_OK: none) */

	ng_arena arena;
	ng_buf file;
	ng_buf pool; /* term bytes of the current document */
	ngx_posting *postings;
	size_t npostings, postings_cap;
	ng_buf scratch; /* folded values, document data */
	ng_buf uid;     /* the unique id term */
	ngx_doc *doc;
	uint64_t url_key; /* the hash in NG_SLOT_URL, when has_url_key */
	bool has_url_key;
	ng_article article; /* the file parsed last (in the arena), when parsed */
	bool parsed;

	/* state of add_text() */
	const char *prefix;
	size_t prefix_len;
	uint32_t wdf;
	unsigned flags; /* TEXT_* */
	uint32_t pos;
	bool nomem;
	/* A word in capitals ("CPU") waits for the word after it: it is marked
	 * as one only beside a word with a small letter, so that neither "NEW"
	 * in "NEW YORK" nor a headline in capitals is taken for an acronym. */
	bool prev_lower; /* the word before has a small letter */
	bool caps_pending, caps_prev_lower;
	char caps_term[NG_TERM_MAX + 1];
	size_t caps_len;

	/* words for the spelling dictionary ("did you mean") */
	ng_buf spell_pool;
	ngx_posting *spellings;
	size_t nspellings, spellings_cap;
	/* ... and those of a document to delete or replace (forgotten while
	 * the new one's wait to be added) */
	ng_buf old_pool;
	ngx_posting *olds;
	size_t nolds, olds_cap;

	/* Warnings wait until the file is known to be indexed: for a skipped
	 * file only the reason it was skipped is news. */
	ng_file_problem pending[8];
	size_t npending, dropped;
};

static void on_warning(void *ctx, const ng_file_problem *w)
{
	ng_docmaker *ix = ctx;
	if (ix->npending < sizeof(ix->pending) / sizeof(ix->pending[0]))
		ix->pending[ix->npending++] = *w;
	else
		ix->dropped++;
}

/* Fails the whole run with the shim's error. */
static void fatal(ng_docmaker *ix, const char *what, const ngx_error *err)
{
	ng_error_from_ngx(&ix->error, what, err);
}

/* A shim error while building the document: out of memory skips the
 * file (the document is the docmaker's own, the index untouched by it);
 * anything else fails the run. */
static void doc_error(ng_docmaker *ix, const char *what, const ngx_error *err)
{
	if (err->code == NGX_ERR_NOMEM)
		ix->nomem = true;
	else
		fatal(ix, what, err);
}

/* ---- what one article may cost ---- */

/* n bytes as a person reads them: "15.0 MiB", "300.5 KiB", "812 bytes". */
static void format_size(char *out, size_t cap, size_t n)
{
	if (n >= 1u << 20)
		snprintf(out, cap, "%.1f MiB", (double)n / (1u << 20));
	else if (n >= 1u << 10)
		snprintf(out, cap, "%.1f KiB", (double)n / (1u << 10));
	else
		snprintf(out, cap, "%zu bytes", n);
}

/* Where to cut s (longer than max bytes) to keep at most max: before a
 * space near the end, so that no word is cut in two, else at a character
 * boundary (CJK text has no spaces). */
static size_t cut_point(const char *s, size_t max)
{
	size_t cut = max;
	while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80)
		cut--;
	size_t floor = cut > 4 * NG_TERM_MAX ? cut - 4 * NG_TERM_MAX : 0;
	for (size_t i = cut; i > floor; i--)
		if (s[i] == ' ' || s[i] == '\n' || s[i] == '\t' || s[i] == '\r')
			return i;
	return cut;
}

typedef struct budget {
	ng_docmaker *ix;
	size_t left; /* of NG_MAX_ARTICLE_TEXT */
	bool spent;  /* a field was cut for it: said once */
} budget;

/* Cuts the field *f (`name`, or name[i].sub, or name[i] when i >= 0) to
 * what it may cost, with a warning. */
static void bound_field(budget *b, const char **f, const char *name, long i, const char *sub)
{
	static const char empty[] = "";
	if (!*f || !**f)
		return;
	size_t n = strlen(*f);
	size_t max = n > NG_MAX_FIELD_TEXT ? NG_MAX_FIELD_TEXT : n;
	bool over = max > b->left; /* the article's budget cuts it */
	if (over)
		max = b->left;
	if (max == n) {
		b->left -= n;
		return;
	}
	size_t cut = max ? cut_point(*f, max) : 0;
	char label[80], size[32];
	if (i < 0)
		snprintf(label, sizeof(label), "%s", name);
	else
		snprintf(label, sizeof(label), "%s[%ld]%s%s", name, i, sub ? "." : "",
		         sub ? sub : "");
	format_size(size, sizeof(size), n);
	ng_file_problem w = {0};
	if (!over)
		ng_msg_set(w.message, sizeof(w.message),
		           "%s is %s: only its first %u KiB is indexed", label, size,
		           NG_MAX_FIELD_TEXT >> 10);
	else if (!b->spent)
		ng_msg_set(w.message, sizeof(w.message),
		           "the article's text passes %u MiB in %s: the rest is not indexed",
		           NG_MAX_ARTICLE_TEXT >> 20, label);
	if (w.message[0])
		on_warning(b->ix, &w);
	b->spent = b->spent || over;
	b->left -= cut;
	if (cut)
		((char *)*f)[cut] = '\0'; /* the arena's own copy (frontmatter.c) */
	else
		*f = empty;
}

/* Cuts what the article would cost past NG_MAX_FIELD_TEXT a field and
 * NG_MAX_ARTICLE_TEXT in all, in the order of what matters most: its own
 * title and excerpt, its provider, URLs, type and topics, then related
 * items.  The document's terms and stored data both come from the cut
 * fields, so the snippets of a hit stay bounded too. */
static void bound_article(ng_docmaker *ix, ng_article *a)
{
	budget b = {.ix = ix, .left = NG_MAX_ARTICLE_TEXT};
	bound_field(&b, &a->title, "title", -1, NULL);
	bound_field(&b, &a->excerpt, "excerpt", -1, NULL);
	bound_field(&b, &a->provider_name, "provider.name", -1, NULL);
	bound_field(&b, &a->provider_domain, "provider.domain", -1, NULL);
	/* Only the URL used counts (ng_article_url), and stays the one used. */
	if (a->original_url && *a->original_url)
		a->web_url = NULL;
	bound_field(&b, &a->original_url, "originalUrl", -1, NULL);
	bound_field(&b, &a->web_url, "webUrl", -1, NULL);
	bound_field(&b, &a->type, "type", -1, NULL);
	for (size_t i = 0; i < a->ntopics; i++)
		bound_field(&b, &a->topics[i], "topics", (long)i, NULL);
	for (size_t i = 0; i < a->nrelated; i++) {
		ng_related *r = &a->related[i];
		bound_field(&b, &r->title, "related", (long)i, "title");
		bound_field(&b, &r->excerpt, "related", (long)i, "excerpt");
		/* Stored only in a record of version 3 (format 8). */
		if (!ix->settings->related_details)
			continue;
		if (r->original_url && *r->original_url)
			r->url = NULL;
		bound_field(&b, &r->original_url, "related", (long)i, "originalUrl");
		bound_field(&b, &r->url, "related", (long)i, "webUrl");
		bound_field(&b, &r->provider_name, "related", (long)i, "provider.name");
		bound_field(&b, &r->provider_domain, "related", (long)i, "provider.domain");
	}
}

/* ---- postings ---- */

/* How add_text() indexes a field's words: its row's flags (schema.h). */
enum {
	TEXT_UNPREFIXED = NG_SF_UNPREFIXED,     /* also without prefix, with positions */
	TEXT_FIELD_POSITIONS = NG_SF_POSITIONS, /* the prefixed terms get positions too */
	TEXT_STEMS = NG_SF_STEMS,               /* also the stems ("Z" + prefix + stem) */
	TEXT_SPELLING = NG_SF_SPELLING          /* words feed the spelling dictionary */
};

/* Appends a posting for prefix + a + b (b may be empty) to v[]/pool. */
static bool push_posting(ngx_posting **v, size_t *n, size_t *cap, ng_buf *pool, const char *prefix,
                         size_t plen, const char *a, size_t alen, const char *b, size_t blen,
                         uint32_t pos, uint32_t wdf)
{
	ngx_posting *grown = ng_grow(*v, *n, cap, sizeof(*grown), 1024);
	if (!grown)
		return false;
	*v = grown;
	size_t off = pool->len;
	if (off > UINT32_MAX - 512 || !ng_buf_append(pool, prefix, plen) ||
	    !ng_buf_append(pool, a, alen) || !ng_buf_append(pool, b, blen))
		return false;
	(*v)[(*n)++] = (ngx_posting){
	    .offset = (uint32_t)off,
	    .len = (uint32_t)(plen + alen + blen),
	    .pos = pos,
	    .wdf = wdf,
	};
	return true;
}

static bool add_posting(ng_docmaker *ix, const char *prefix, size_t plen, const char *a,
                        size_t alen, const char *b, size_t blen, uint32_t pos, uint32_t wdf)
{
	return push_posting(&ix->postings, &ix->npostings, &ix->postings_cap, &ix->pool, prefix,
	                    plen, a, alen, b, blen, pos, wdf);
}

/* Words shorter than this make poor spelling suggestions. */
#define SPELLING_MIN_LEN 3

/* Whether a title or excerpt word goes into the spelling dictionary. */
static bool is_spelling_word(const ng_token *tok)
{
	return tok->stemmable && tok->kind == NG_TOKEN_WORD && tok->len >= SPELLING_MIN_LEN;
}

/* The byte length of the UTF-8 character that starts with byte b. */
static size_t utf8_len(unsigned char b)
{
	return b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
}

/* A CJK bigram's characters alone, without positions: the first, and the
 * rest too at the end of the run, so that each character of the run is
 * indexed once and a query of one character finds it (text rules 2). */
static bool add_cjk_unigrams(ng_docmaker *ix, const ng_token *tok, bool unprefixed,
                             uint32_t field_wdf)
{
	size_t first = utf8_len((unsigned char)tok->term[0]);
	if (first >= tok->len)
		return true; /* one character: its own term already */
	size_t end = tok->run_end ? tok->len : first;
	for (size_t off = 0, n; off < end; off += n) {
		n = utf8_len((unsigned char)tok->term[off]);
		if (off + n > tok->len)
			break;
		if ((unprefixed &&
		     !add_posting(ix, "", 0, tok->term + off, n, "", 0, 0, ix->wdf)) ||
		    !add_posting(ix, ix->prefix, ix->prefix_len, tok->term + off, n, "", 0, 0,
		                 field_wdf))
			return false;
	}
	return true;
}

/* The stem terms of a word: "Z" + stem, unprefixed and in the field. */
static bool add_stems(ng_docmaker *ix, const ng_token *tok, bool unprefixed, uint32_t field_wdf)
{
	/* An acronym's plural ("GPUs") is stemmed as its singular ("gpu"),
	 * which the English stemmer cannot tell from a word ("llms" stays
	 * "llms", as "bus" stays "bus"); the marker terms let a query for
	 * "gpus" in lower case know that "gpu" is an acronym (query.c). */
	bool acronym = tok->acronym_plural && ix->settings->text_rules >= 2;
	size_t wlen = acronym ? tok->len - 1 : tok->len;
	char stem[NG_TERM_MAX * 4 + 1];
	size_t slen;
	ngx_error err;
	if (ngx_stem(ix->stemmer, tok->term, wlen, stem, sizeof(stem), &slen, &err) != NGX_OK) {
		doc_error(ix, "cannot stem a word", &err);
		return false;
	}
	if (acronym && !add_posting(ix, NG_PREFIX_ACRONYM, strlen(NG_PREFIX_ACRONYM), tok->term,
	                            wlen, "", 0, 0, 0)) {
		ix->nomem = true;
		return false;
	}

	/* A word that is its own stem has no stem term: the query
	 * looks for the word beside the stem (query.c). */
	bool own_stem = slen == tok->len && memcmp(stem, tok->term, slen) == 0;
	if (own_stem ||
	    ((!unprefixed || add_posting(ix, NG_PREFIX_STEM, 1, "", 0, stem, slen, 0, ix->wdf)) &&
	     add_posting(ix, NG_PREFIX_STEM, 1, ix->prefix, ix->prefix_len, stem, slen, 0,
	                 field_wdf)))
		return true;
	ix->nomem = true;
	return false;
}

static bool see_capitals(ng_docmaker *ix, const ng_token *tok);

static bool on_token(void *ctx, const ng_token *tok)
{
	ng_docmaker *ix = ctx;
	uint32_t pos = ++ix->pos;
	if (!see_capitals(ix, tok))
		return false;
	bool unprefixed = ix->flags & TEXT_UNPREFIXED;
	/* Unprefixed terms carry the field weight; prefixed ones count plain
	 * occurrences unless they are the field's only copy. */
	uint32_t field_wdf = unprefixed ? 1 : ix->wdf;
	bool ok =
	    (!unprefixed || add_posting(ix, "", 0, tok->term, tok->len, "", 0, pos, ix->wdf)) &&
	    add_posting(ix, ix->prefix, ix->prefix_len, tok->term, tok->len, "", 0,
	                (ix->flags & TEXT_FIELD_POSITIONS) ? pos : 0, field_wdf);
	if (ok && (ix->flags & TEXT_SPELLING) && is_spelling_word(tok))
		ok = push_posting(&ix->spellings, &ix->nspellings, &ix->spellings_cap,
		                  &ix->spell_pool, "", 0, tok->term, tok->len, "", 0, 0, 1);
	if (ok && tok->kind == NG_TOKEN_CJK && ix->settings->text_rules >= 2)
		ok = add_cjk_unigrams(ix, tok, unprefixed, field_wdf);
	if (!ok) {
		ix->nomem = true;
		return false;
	}
	if (tok->stemmable && (ix->flags & TEXT_STEMS) &&
	    !add_stems(ix, tok, unprefixed, field_wdf))
		return false;
	return true;
}

/* Marks the word in capitals that waits (XC + word, query.c) if a word
 * beside it has a small letter: the one before, or next_lower, the next. */
static bool caps_flush(ng_docmaker *ix, bool next_lower)
{
	bool mark = ix->caps_pending && (ix->caps_prev_lower || next_lower);
	ix->caps_pending = false;
	if (mark && !add_posting(ix, NG_PREFIX_CAPITALS, strlen(NG_PREFIX_CAPITALS), ix->caps_term,
	                         ix->caps_len, "", 0, 0, 0)) {
		ix->nomem = true;
		return false;
	}
	return true;
}

/* Keeps track of words in capitals and their neighbours (text rules 2). */
static bool see_capitals(ng_docmaker *ix, const ng_token *tok)
{
	if (ix->settings->text_rules < 2 || !(ix->flags & TEXT_STEMS))
		return true;
	if (!caps_flush(ix, tok->lower))
		return false;
	if (tok->capitals && tok->len <= NG_TERM_MAX) {
		memcpy(ix->caps_term, tok->term, tok->len);
		ix->caps_len = tok->len;
		ix->caps_pending = true;
		ix->caps_prev_lower = ix->prev_lower;
	}
	ix->prev_lower = tok->lower;
	return true;
}

/* Adds the words of `text` under `prefix`, weighted `wdf` per occurrence,
 * as `flags` (TEXT_*) say. */
static bool add_text(ng_docmaker *ix, const char *text, const char *prefix, uint32_t wdf,
                     unsigned flags)
{
	if (!text || !*text)
		return true;
	ix->prefix = prefix;
	ix->prefix_len = strlen(prefix);
	ix->wdf = wdf;
	ix->flags = flags;
	ix->prev_lower = ix->caps_pending = false;
	ng_pass rc = ng_tokenize(ix->tok, text, strlen(text), on_token, ix);
	if (rc == NG_PASS_NOMEM)
		ix->nomem = true;
	else if (rc == NG_PASS_DONE && !caps_flush(ix, false))
		rc = NG_PASS_STOPPED;
	ix->pos += FIELD_GAP;
	return rc == NG_PASS_DONE;
}

/* Adds prefix + the folded value as a filter term. */
static bool add_boolean(ng_docmaker *ix, const char *prefix, const char *value, bool fold)
{
	if (!value || !*value)
		return true;
	ix->scratch.len = 0;
	if (!ng_buf_append(&ix->scratch, prefix, strlen(prefix)) ||
	    !(fold ? ng_fold_value(value, strlen(value), &ix->scratch)
	           : ng_buf_append(&ix->scratch, value, strlen(value)))) {
		ix->nomem = true;
		return false;
	}
	/* Xapian's limit is 245 bytes; a longer value is no useful filter. */
	if (ix->scratch.len > 240 || ix->scratch.len == strlen(prefix))
		return true;
	ngx_error err;
	if (ngx_doc_add_boolean_term(ix->doc, ix->scratch.data, ix->scratch.len, &err) != NGX_OK) {
		doc_error(ix, "cannot build a document", &err);
		return false;
	}
	return true;
}

/* The article's UTC year, month and day as filter terms (Y2024, M202406,
 * D20240615), which let a newest-first search look at the newest days
 * alone (window.c). */
static bool add_date_terms(ng_docmaker *ix, int64_t date)
{
	char key[9];
	if (!ng_date_day_key(date, key))
		return true; /* no key sorts right; window.c checks the dates' range */
	const struct {
		const char *prefix;
		size_t digits;
	} levels[] = {{ng_schema_field(NG_FIELD_YEAR)->prefix, 4},
	              {ng_schema_field(NG_FIELD_MONTH)->prefix, 6},
	              {ng_schema_field(NG_FIELD_DAY)->prefix, 8}};
	for (size_t i = 0; i < sizeof(levels) / sizeof(levels[0]); i++) {
		char term[16];
		int n = snprintf(term, sizeof(term), "%s%.*s", levels[i].prefix,
		                 (int)levels[i].digits, key);
		ngx_error err;
		if (ngx_doc_add_boolean_term(ix->doc, term, (size_t)n, &err) != NGX_OK) {
			doc_error(ix, "cannot build a document", &err);
			return false;
		}
	}
	return true;
}

/* A filter term for each folder the file is in, from the top ("/srv",
 * "/srv/news", "/srv/news/ai"), so that path: finds a folder's articles
 * with one term, wherever the index's roots are (query.c). */
static bool add_folder_terms(ng_docmaker *ix, const char *path)
{
	size_t n = strlen(path);
	for (size_t k = 1; k < n; k++) {
		if (path[k] != '/')
			continue;
		if (!ng_folder_term(path, k, &ix->scratch)) {
			ix->nomem = true;
			return false;
		}
		ngx_error err;
		if (ngx_doc_add_boolean_term(ix->doc, ix->scratch.data, ix->scratch.len, &err) !=
		    NGX_OK) {
			doc_error(ix, "cannot build a document", &err);
			return false;
		}
	}
	return true;
}

/* The unique id term: "Q" + path, or for a path too long to be a term, a
 * prefix of it plus a hash of the whole. */
bool ng_uid_term(const char *path, ng_buf *out)
{
	size_t n = strlen(path);
	out->len = 0;
	if (n <= 200)
		return ng_buf_append(out, NG_PREFIX_UID, 1) && ng_buf_append(out, path, n);
	XXH128_hash_t h = XXH3_128bits(path, n);
	char hex[40];
	snprintf(hex, sizeof(hex), "#%016llx%016llx", (unsigned long long)h.high64,
	         (unsigned long long)h.low64);
	return ng_buf_append(out, NG_PREFIX_UID, 1) && ng_buf_append(out, path, 160) &&
	       ng_buf_append(out, hex, strlen(hex));
}

/* Sets value `slot` to s (trimmed); nothing when it is empty. */
static bool set_string_value(ng_docmaker *ix, unsigned slot, const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	ngx_error err;
	if (n && ngx_doc_set_value(ix->doc, slot, s, n, &err) != NGX_OK) {
		doc_error(ix, "cannot build a document", &err);
		return false;
	}
	return true;
}

static unsigned facet_slot(ng_field_id id)
{
	return (unsigned)ng_schema_field(id)->slot;
}

/* The values --facet counts: provider, site, topics and type. */
static bool set_facet_values(ng_docmaker *ix, const ng_article *a, const char *host)
{
	const char *p = a->provider_name ? a->provider_name : "";
	if (!set_string_value(ix, facet_slot(NG_FIELD_PROVIDER), p, strlen(p)))
		return false;
	ix->scratch.len = 0;
	if (host) {
		if (!ng_buf_append(&ix->scratch, host, strlen(host)))
			goto nomem;
	} else if (a->provider_domain &&
	           !ng_fold_value(a->provider_domain, strlen(a->provider_domain), &ix->scratch)) {
		goto nomem;
	}
	if (!set_string_value(ix, facet_slot(NG_FIELD_HOST), ix->scratch.data, ix->scratch.len))
		return false;
	ix->scratch.len = 0;
	for (size_t i = 0; i < a->ntopics; i++) {
		char sep = NGX_FACET_SEPARATOR;
		if ((i && !ng_buf_append(&ix->scratch, &sep, 1)) ||
		    !ng_buf_append(&ix->scratch, a->topics[i], strlen(a->topics[i])))
			goto nomem;
	}
	if (!set_string_value(ix, facet_slot(NG_FIELD_TOPIC), ix->scratch.data, ix->scratch.len))
		return false;
	ix->scratch.len = 0;
	if (a->type && !ng_fold_value(a->type, strlen(a->type), &ix->scratch))
		goto nomem;
	return set_string_value(ix, facet_slot(NG_FIELD_TYPE), ix->scratch.data, ix->scratch.len);
nomem:
	ix->nomem = true;
	return false;
}

/* Notes the URL key of article `a` (NG_SLOT_URL; ng_shard_url_key);
 * returns its URL. */
static const char *note_url_key(ng_docmaker *ix, const ng_article *a)
{
	const char *url = ng_article_url(a);
	ix->url_key = ng_shard_url_key(url, strlen(url));
	ix->has_url_key = *url != '\0';
	return url;
}

/* The URL key as a filter term (sequence.c): an article's duplicates are
 * the other documents with it. */
static bool add_url_key_term(ng_docmaker *ix)
{
	char term[32];
	size_t len;
	ngx_error err;
	if (!ix->has_url_key || !(len = ng_url_key_term(term, sizeof(term), ix->url_key)))
		return true;
	if (ngx_doc_add_boolean_term(ix->doc, term, len, &err) != NGX_OK) {
		doc_error(ix, "cannot build a document", &err);
		return false;
	}
	return true;
}

static bool build_document(ng_docmaker *ix, const ng_article *a, const ng_file_state *fs)
{
	ngx_error err;
	if (ngx_doc_clear(ix->doc, &err) != NGX_OK) {
		doc_error(ix, "cannot build a document", &err);
		return false;
	}
	ix->pool.len = 0;
	ix->npostings = 0;
	ix->pos = 0;
	ix->spell_pool.len = 0;
	ix->nspellings = 0;
	const char *url = note_url_key(ix, a);
	char buf[256];
	bool ok = true;
	/* The words of each text field, in the table's order (positions). */
	for (ng_field_id f = 0; ok && f < NG_FIELD_COUNT; f++) {
		const ng_schema_row *r = ng_schema_field(f);
		size_t n = r->index == NG_IX_WORDS ? r->count(a) : 0;
		for (size_t i = 0; ok && i < n; i++)
			ok = add_text(ix, r->text(a, i, buf, sizeof(buf)), r->prefix, r->wdf,
			              r->flags & (TEXT_UNPREFIXED | TEXT_FIELD_POSITIONS |
			                          TEXT_STEMS | TEXT_SPELLING));
	}
	if (!ok)
		return false;
	/* The test hook of a writer (testhooks.c): as Xapian's std::bad_alloc
	 * reads. */
	const ng_db_writer *hooks = ix->settings->w;
	if (hooks && hooks->nomem_file && strstr(ix->path, hooks->nomem_file)) {
		err.code = NGX_ERR_NOMEM;
		snprintf(err.message, sizeof(err.message), "out of memory (std::bad_alloc)");
		doc_error(ix, "cannot build a document", &err);
		return false;
	}
	if (ngx_doc_add_postings(ix->doc, ix->pool.data, ix->postings, ix->npostings, &err) !=
	    NGX_OK) {
		doc_error(ix, "cannot build a document", &err);
		return false;
	}

	char host[256];
	bool has_host = ng_url_host(url, host, sizeof(host));
	/* The filter terms of each whole value. */
	for (ng_field_id f = 0; ok && f < NG_FIELD_COUNT; f++) {
		const ng_schema_row *r = ng_schema_field(f);
		bool fold = r->index == NG_IX_FOLDED;
		size_t n = fold || r->index == NG_IX_AS_IS ? r->count(a) : 0;
		for (size_t i = 0; ok && i < n; i++)
			ok = add_boolean(ix, r->prefix, r->text(a, i, buf, sizeof(buf)), fold);
	}
	if (ok && a->has_date)
		ok = add_date_terms(ix, a->date);
	ok = ok && add_folder_terms(ix, ix->path) && add_url_key_term(ix);
	if (!ok)
		return false;

	if (!ng_file_state_encode(&ix->scratch, fs, ix->path, strlen(ix->path))) {
		ix->nomem = true;
		return false;
	}
	/* Collapsing reads the key of every candidate hit: 8 bytes read
	 * faster than a whole URL (a 64-bit hash: a collision among a
	 * million URLs has odds of about 1 in 30 billion). */
	unsigned char url_key[8];
	for (int i = 0; i < 8; i++)
		url_key[i] = (unsigned char)(ix->url_key >> (8 * i));
	if ((a->has_date &&
	     ngx_doc_set_value_number(ix->doc, NG_SLOT_DATE, (double)a->date, &err) != NGX_OK) ||
	    (*url && ngx_doc_set_value(ix->doc, NG_SLOT_URL, (const char *)url_key, sizeof(url_key),
	                               &err) != NGX_OK) ||
	    ngx_doc_set_value(ix->doc, NG_SLOT_FILE, ix->scratch.data, ix->scratch.len, &err) !=
	        NGX_OK) {
		doc_error(ix, "cannot build a document", &err);
		return false;
	}
	if (!set_facet_values(ix, a, has_host ? host : NULL))
		return false;
	unsigned version =
	    ix->settings->related_details ? NG_DOCDATA_VERSION : NG_DOCDATA_NO_RELATED_DETAILS;
	if (!ng_docdata_encode(&ix->scratch, ix->path, a, version)) {
		ix->nomem = true;
		return false;
	}
	if (ngx_doc_set_data(ix->doc, ix->scratch.data, ix->scratch.len, &err) != NGX_OK) {
		doc_error(ix, "cannot build a document", &err);
		return false;
	}
	return true;
}

/* A docmaker following `db`'s settings, writing into *x, with no text
 * tools yet. */
static newsgrep_status_t make(ng_docmaker **out, const newsgrep_db_t *db, ngx_db *const *x,
                              ng_error *error)
{
	*out = NULL;
	ng_docmaker *dm = calloc(1, sizeof(*dm));
	if (!dm)
		return ng_error_nomem(error);
	dm->settings = db;
	dm->x = x;
	ng_arena_init(&dm->arena);
	ngx_error err;
	if (ngx_doc_new(&dm->doc, &err) != NGX_OK) {
		free(dm);
		return ng_error_from_ngx(error, "cannot prepare a document", &err);
	}
	*out = dm;
	return NEWSGREP_OK;
}

newsgrep_status_t ng_docmaker_new(ng_docmaker **out, newsgrep_db_t *db)
{
	*out = NULL;
	newsgrep_status_t st = ng_db_text_tools(db);
	if (st != NEWSGREP_OK)
		return st;
	ng_error error;
	if (make(out, db, &db->x, &error) != NEWSGREP_OK)
		return ng_db_error(db, &error);
	(*out)->tok = db->tok;
	(*out)->stemmer = db->stemmer;
	return NEWSGREP_OK;
}

newsgrep_status_t ng_docmaker_new_apart(ng_docmaker **out, const newsgrep_db_t *like,
                                        ngx_db *const *x, ng_error *error)
{
	if (make(out, like, x, error) != NEWSGREP_OK)
		return error->status;
	ng_docmaker *dm = *out;
	dm->own_tools = true;
	if (!(dm->tok = ng_tokenizer_new())) {
		ng_docmaker_free(dm);
		*out = NULL;
		return ng_error_nomem(error);
	}
	ng_tokenizer_set_rules(dm->tok, like->text_rules ? like->text_rules : NG_TEXT_RULES);
	ngx_error err;
	if (ngx_stemmer_new(&dm->stemmer, "english", &err) != NGX_OK) {
		ng_docmaker_free(dm);
		*out = NULL;
		return ng_error_from_ngx(error, "cannot make the stemmer", &err);
	}
	return NEWSGREP_OK;
}

void ng_docmaker_free(ng_docmaker *dm)
{
	if (!dm)
		return;
	ngx_doc_free(dm->doc);
	free(dm->postings);
	free(dm->spellings);
	ng_buf_release(&dm->spell_pool);
	free(dm->olds);
	ng_buf_release(&dm->old_pool);
	ng_buf_release(&dm->file);
	ng_buf_release(&dm->pool);
	ng_buf_release(&dm->scratch);
	ng_buf_release(&dm->uid);
	ng_arena_release(&dm->arena);
	if (dm->own_tools) {
		ngx_stemmer_free(dm->stemmer);
		ng_tokenizer_free(dm->tok);
	}
	free(dm);
}

static newsgrep_status_t skip(ng_file_problem *p, newsgrep_status_t why, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

void ng_docmaker_give_back(ng_docmaker *dm)
{
	free(dm->postings);
	free(dm->spellings);
	dm->postings = dm->spellings = NULL;
	dm->npostings = dm->postings_cap = dm->nspellings = dm->spellings_cap = 0;
	ng_buf_release(&dm->spell_pool);
	ng_buf_release(&dm->file);
	ng_buf_release(&dm->pool);
	ng_buf_release(&dm->scratch);
	ng_arena_release(&dm->arena);
	ng_arena_init(&dm->arena);
	dm->parsed = false; /* its article was in the arena */
	ngx_error err;
	ngx_doc_clear(dm->doc, &err); /* on failure the old one stays: no matter */
}

/* What a call of the docmaker comes to, from how it left `dm`.  Out of
 * memory skips the file, and what its document took is given back so
 * that the next files find memory again: the index is untouched. */
static newsgrep_status_t outcome(ng_docmaker *dm, ng_file_problem *problem)
{
	if (dm->error.status != NEWSGREP_OK)
		return dm->error.status;
	if (dm->nomem) {
		dm->nomem = false;
		ng_docmaker_give_back(dm);
		return skip(problem, NEWSGREP_NOMEM, "out of memory building the article; skipped");
	}
	return NEWSGREP_OK;
}

/* The file is skipped, for reason `why`: no error of the call. */
static newsgrep_status_t skip(ng_file_problem *p, newsgrep_status_t why, const char *fmt, ...)
{
	p->status = why;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->message, sizeof(p->message), fmt, ap);
	va_end(ap);
	p->line = p->column = 0;
	return NEWSGREP_OK;
}

newsgrep_status_t ng_docmaker_read(ng_docmaker *dm, const char *path, ng_file_state *fs,
                                   ng_file_problem *problem)
{
	problem->status = NEWSGREP_OK;
	dm->file.len = 0;
	/* O_NONBLOCK: were the file swapped for a pipe since the walk, the
	 * open must not wait for a writer; what was opened is checked below,
	 * and only a regular file is read. */
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		return skip(problem, NEWSGREP_IO, "cannot read: %s", strerror(e));
	}
	if (!S_ISREG(st.st_mode) || st.st_size > (off_t)NG_MAX_FILE_SIZE) {
		close(fd);
		if (S_ISREG(st.st_mode))
			return skip(problem, NEWSGREP_PARSE,
			            "file is too large (%lld bytes; the limit is %u MiB)",
			            (long long)st.st_size, NG_MAX_FILE_SIZE >> 20);
		return skip(problem, NEWSGREP_PARSE, "not a regular file");
	}
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0) {
		int e = errno;
		close(fd);
		return skip(problem, NEWSGREP_IO, "cannot read: %s", strerror(e));
	}
	/* The record is of the file as it is read: were it to change after
	 * the walk looked at it, the next run sees the difference. */
	ng_file_state_from_stat(fs, &st);
	/* Read to the end, not to st_size: the file may be growing. */
	for (;;) {
		if (!ng_buf_reserve(&dm->file, 64 * 1024)) {
			close(fd);
			dm->nomem = true;
			return outcome(dm, problem);
		}
		ssize_t got = read(fd, dm->file.data + dm->file.len, dm->file.cap - dm->file.len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			int e = errno;
			close(fd);
			return skip(problem, NEWSGREP_IO, "cannot read: %s", strerror(e));
		}
		if (got == 0)
			break;
		dm->file.len += (size_t)got;
		if (dm->file.len > NG_MAX_FILE_SIZE)
			break; /* ng_frontmatter_parse reports it */
	}
	close(fd);
	fs->hash = XXH3_64bits(dm->file.data, dm->file.len);
	return NEWSGREP_OK;
}

/* The document of article `a` at `path`, with its unique id term. */
static bool make_document(ng_docmaker *dm, const char *path, const ng_article *a,
                          const ng_file_state *fs)
{
	if (!build_document(dm, a, fs))
		return false;
	if (!ng_uid_term(path, &dm->uid)) {
		dm->nomem = true;
		return false;
	}
	ngx_error err;
	if (ngx_doc_add_boolean_term(dm->doc, dm->uid.data, dm->uid.len, &err) != NGX_OK) {
		doc_error(dm, "cannot build a document", &err);
		return false;
	}
	return true;
}

newsgrep_status_t ng_docmaker_parse(ng_docmaker *dm, const char *path, ng_file_problem *problem)
{
	problem->status = NEWSGREP_OK;
	dm->path = path;
	dm->parsed = false;
	ng_arena_reset(&dm->arena);
	dm->npending = dm->dropped = 0;
	if (!ng_frontmatter_parse(dm->file.data, dm->file.len, &dm->arena, &dm->article, problem,
	                          on_warning, dm)) {
		if (problem->status == NEWSGREP_NOMEM)
			dm->nomem = true;
		return outcome(dm, problem);
	}
	bound_article(dm, &dm->article);
	note_url_key(dm, &dm->article);
	dm->parsed = true;
	return NEWSGREP_OK;
}

newsgrep_status_t ng_docmaker_make(ng_docmaker *dm, const ng_file_state *fs,
                                   ng_file_problem *problem)
{
	problem->status = NEWSGREP_OK;
	if (!dm->parsed)
		return ng_error_set(&dm->error, NEWSGREP_INTERNAL, "no article to build");
	if (!make_document(dm, dm->path, &dm->article, fs) && !dm->nomem &&
	    dm->error.status == NEWSGREP_OK)
		ng_error_set(&dm->error, NEWSGREP_INTERNAL, "cannot build a document");
	return outcome(dm, problem);
}

newsgrep_status_t ng_docmaker_build(ng_docmaker *dm, const char *path, const ng_file_state *fs,
                                    ng_file_problem *problem)
{
	newsgrep_status_t st = ng_docmaker_parse(dm, path, problem);
	if (st != NEWSGREP_OK || problem->status != NEWSGREP_OK)
		return st;
	return ng_docmaker_make(dm, fs, problem);
}

newsgrep_status_t ng_docmaker_remake(ng_docmaker *dm, const char *path, const ng_article *a,
                                     const ng_file_state *fs)
{
	/* The stored record was bounded when it was indexed: not again. */
	dm->path = path;
	dm->npending = dm->dropped = 0;
	bool ok = make_document(dm, path, a, fs);
	if (dm->nomem && dm->error.status == NEWSGREP_OK) {
		dm->nomem = false;
		ng_error_nomem(&dm->error);
	}
	if (!ok && dm->error.status == NEWSGREP_OK)
		ng_error_set(&dm->error, NEWSGREP_INTERNAL, "cannot build a document");
	return dm->error.status;
}

size_t ng_docmaker_spellings(const ng_docmaker *dm, const char **pool,
                             const struct ngx_posting **words)
{
	*pool = dm->spell_pool.data;
	*words = dm->spellings;
	return dm->nspellings;
}

newsgrep_status_t ng_docmaker_add_spellings(ng_docmaker *dm, ng_file_problem *problem)
{
	ngx_error err;
	problem->status = NEWSGREP_OK;
	if (!dm->nspellings || ngx_db_add_spellings(*dm->x, dm->spell_pool.data, dm->spellings,
	                                            dm->nspellings, &err) == NGX_OK)
		return NEWSGREP_OK;
	if (err.code != NGX_ERR_NOMEM) {
		fatal(dm, "cannot update the spelling dictionary", &err);
		return dm->error.status;
	}
	/* The words added before it stay; the others are not suggested. */
	ng_docmaker_give_back(dm);
	return skip(problem, NEWSGREP_NOMEM,
	            "out of memory adding its words to the spelling dictionary: "
	            "they are not suggested");
}

/* ---- forgetting a document's spellings ---- */

/* A term of the old document, tokenized again: it fed the dictionary if it
 * comes out as one spelling word, itself. */
typedef struct spelling_check {
	const char *term;
	size_t len;
	unsigned ntokens;
	bool keep;
} spelling_check;

static bool on_check_token(void *ctx, const ng_token *tok)
{
	spelling_check *c = ctx;
	c->keep = ++c->ntokens == 1 && is_spelling_word(tok) && tok->len == c->len &&
	          memcmp(tok->term, c->term, c->len) == 0;
	return c->keep;
}

static int on_old_term(void *ctx, const char *term, size_t len, uint32_t wdf)
{
	ng_docmaker *dm = ctx;
	spelling_check c = {.term = term, .len = len};
	if (ng_tokenize(dm->tok, term, len, on_check_token, &c) == NG_PASS_NOMEM)
		return 1;
	if (!c.keep)
		return 0;
	return push_posting(&dm->olds, &dm->nolds, &dm->olds_cap, &dm->old_pool, "", 0, term, len,
	                    "", 0, 0, wdf)
	           ? 0
	           : 1;
}

newsgrep_status_t ng_docmaker_forget_spellings(ng_docmaker *dm, uint32_t docid)
{
	/* Each word of a spelling field (title, excerpt) was added once per
	 * occurrence, and its field term (S, XE) counts the same occurrences
	 * in its wdf. */
	ngx_error err;
	dm->old_pool.len = 0;
	dm->nolds = 0;
	for (ng_field_id f = 0; f < NG_FIELD_COUNT; f++) {
		const char *prefix = ng_schema_field(f)->prefix;
		if (!(ng_schema_field(f)->flags & NG_SF_SPELLING))
			continue;
		if (ngx_db_doc_terms(*dm->x, docid, prefix, strlen(prefix), on_old_term, dm,
		                     &err) != NGX_OK) {
			fatal(dm, "cannot read a document's terms", &err);
			return dm->error.status;
		}
	}
	if (dm->nolds && ngx_db_remove_spellings(*dm->x, dm->old_pool.data, dm->olds, dm->nolds,
	                                         &err) != NGX_OK) {
		fatal(dm, "cannot update the spelling dictionary", &err);
		return dm->error.status;
	}
	return NEWSGREP_OK;
}

const ng_error *ng_docmaker_error(const ng_docmaker *dm)
{
	return &dm->error;
}

ngx_doc *ng_docmaker_doc(ng_docmaker *dm)
{
	return dm->doc;
}

/* Xapian keeps what a document adds in maps until the commit: about 48
 * bytes a posting beside the term's bytes, with the document's data and
 * values, as measured on gencorpus articles (10k of them in one batch:
 * 24 KiB of RSS each, for 453 postings and 3.3 KB of term bytes), whose
 * words other articles of the batch mostly have too.  An article with far
 * more postings than any real one has (a 50 KB article has about 20,000)
 * has mostly words of its own, each a map entry and spelling fragments of
 * its own: a title of 256 KiB of distinct words took 100 MB for 95,000
 * postings, CJK text 350 MB for 1.4 million. */
#define POSTING_COST 48
#define BIG_POSTINGS 20000
#define BIG_POSTING_COST 450

bool ng_docmaker_url_key(const ng_docmaker *dm, uint64_t *key)
{
	*key = dm->url_key;
	return dm->has_url_key;
}

size_t ng_docmaker_cost(const ng_docmaker *dm)
{
	size_t cost = dm->pool.len + dm->npostings * POSTING_COST;
	if (dm->npostings > BIG_POSTINGS)
		cost += (dm->npostings - BIG_POSTINGS) * BIG_POSTING_COST;
	return cost;
}

size_t ng_docmaker_warnings(const ng_docmaker *dm, const ng_file_problem **out, size_t *dropped)
{
	*out = dm->pending;
	*dropped = dm->dropped;
	return dm->npending;
}
