/*
 * fuzz_frontmatter.c - libFuzzer target for the file -> article path.
 *
 * Any bytes are a file's content.  They are read as the indexer reads an
 * article (core/index.c: ng_docmaker_build): the front matter is parsed
 * (YAML, dates, numbers, lists), the stored record is encoded and must
 * decode to exactly the article's fields, every text field is tokenized
 * and stemmed (under the current text rules, or one input in four under
 * rules 1, as an older index is updated), and every filter value is folded.
 * No database is opened: the internal functions are called directly.
 * The same bytes are also decoded as a stored record, as a search reads a
 * damaged index.  Any broken promise aborts (a finding); ASan, UBSan and
 * libFuzzer's leak check catch the rest.
 *
 *   scripts/fuzz frontmatter   builds this and runs it on
 *                              tests/fuzz/corpus/frontmatter
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "ng.h"
#include "ngx.h"

/* Where the article is "stored": the record keeps the path. */
static const char PATH[] = "/srv/news/ai/2024-03-15-article.md";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken promise: say which, then abort so libFuzzer keeps the input. */
static void fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_frontmatter: %s%s%s\n", what, detail ? ": " : "",
	        detail ? detail : "");
	abort();
}

static bool valid_utf8(const char *s, size_t len)
{
	for (size_t i = 0; i < len;) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t n = utf8proc_iterate((const utf8proc_uint8_t *)s + i,
		                                      (utf8proc_ssize_t)(len - i), &cp);
		if (n <= 0)
			return false;
		i += (size_t)n;
	}
	return true;
}

/* A message for a person: non-empty and NUL-terminated inside its array. */
static void check_problem(const ng_file_problem *p, const char *what)
{
	if (!memchr(p->message, '\0', sizeof(p->message)) || !p->message[0])
		fail(what, "empty or unterminated message");
}

static void on_warning(void *ctx, const ng_file_problem *w)
{
	(void)ctx;
	check_problem(w, "warning");
	/* Warnings come from libyaml's marks: they always have a place. */
	if (w->line == 0 || w->column == 0)
		fail("warning without a line and column", w->message);
}

typedef struct tokens {
	const char *text;
	size_t len;
	ngx_stemmer *stemmer;
	unsigned rules;
	size_t count;
} tokens;

/* What index.c's on_token() and add_stems() rely on. */
static bool on_token(void *ctx, const ng_token *tok)
{
	tokens *t = ctx;
	if (tok->len == 0 || tok->len > NG_TERM_MAX || strlen(tok->term) != tok->len)
		fail("a term of the wrong length", tok->term);
	if (tok->start >= tok->end || tok->end > t->len)
		fail("a token outside its text", tok->term);
	if (!valid_utf8(tok->term, tok->len))
		fail("a term that is not UTF-8", tok->term);
	if (tok->acronym_plural && (tok->len < 2 || tok->term[tok->len - 1] != 's'))
		fail("an acronym plural without its 's'", tok->term);
	if (tok->stemmable) {
		bool acronym = tok->acronym_plural && t->rules >= 2;
		size_t wlen = acronym ? tok->len - 1 : tok->len;
		char stem[NG_TERM_MAX * 4 + 1];
		size_t slen;
		ngx_error err;
		/* A failure here ends the indexer's run ("cannot stem a word"). */
		if (ngx_stem(t->stemmer, tok->term, wlen, stem, sizeof(stem), &slen, &err) !=
		        NGX_OK ||
		    slen != strlen(stem))
			fail("cannot stem a word", tok->term);
	}
	t->count++;
	return true;
}

/* Tokenizes one field as add_text() does, under text rules `rules`. */
static void tokenize_field(ng_tokenizer *tok, ngx_stemmer *stemmer, unsigned rules,
                           const char *text)
{
	if (!text || !*text)
		return;
	size_t len = strlen(text);
	ng_tokenizer_set_rules(tok, rules);
	tokens t = {.text = text, .len = len, .stemmer = stemmer, .rules = rules};
	if (ng_tokenize(tok, text, len, on_token, &t) != NG_PASS_DONE)
		fail("ng_tokenize failed", NULL);
	size_t start, end;
	if (ng_tokenizer_long_word(tok, &start, &end) && !(start < end && end <= len))
		fail("a long word outside its text", NULL);
}

/* Folds a filter value (topic, type, domain) as add_boolean() does. */
static void fold_field(const char *value)
{
	if (!value || !*value)
		return;
	ng_buf out = {0};
	if (!ng_fold_value(value, strlen(value), &out))
		fail("ng_fold_value failed", value);
	if (out.len && strlen(out.data) != out.len)
		fail("a folded value with a NUL inside", value);
	ng_buf_release(&out);
}

/* A parsed date prints and parses back to itself. */
static void check_date(int64_t t)
{
	char key[9], day[11], iso[21];
	if (!ng_date_day_key(t, key))
		return; /* outside 0000-9999: no date terms, by design */
	ng_date_format_day(t, day, sizeof(day));
	ng_date_format_iso8601(t, iso, sizeof(iso));
	int64_t back;
	if (!ng_date_parse_iso8601(iso, strlen(iso), &back) || back != t)
		fail("a date does not print and parse back to itself", iso);
	if (strlen(key) != 8 || memcmp(key, day, 4) || memcmp(key + 4, day + 5, 2) ||
	    memcmp(key + 6, day + 8, 2))
		fail("a day key that is not the day", day);
}

static bool same(const char *stored, const char *field)
{
	return strcmp(stored, field ? field : "") == 0;
}

/* The stored record must give back exactly what the article had. */
static void round_trip(const ng_article *a)
{
	ng_buf rec = {0};
	if (!ng_docdata_encode(&rec, PATH, a, NG_DOCDATA_VERSION))
		fail("ng_docdata_encode failed", NULL);
	/* An exact-size copy, so ASan sees any read past the record. */
	size_t len = rec.len;
	char *copy = malloc(len);
	if (!copy)
		abort();
	memcpy(copy, rec.data, len);
	ng_buf_release(&rec);

	ng_arena arena;
	ng_arena_init(&arena);
	ng_docdata d;
	if (!ng_docdata_decode(copy, len, &arena, &d))
		fail("a stored record does not decode", NULL);
	free(copy); /* the decoded strings must not point into it */
	if (!same(d.path, PATH) || !same(d.title, a->title) || !same(d.url, ng_article_url(a)) ||
	    !same(d.provider, a->provider_name) || !same(d.provider_domain, a->provider_domain) ||
	    !same(d.excerpt, a->excerpt))
		fail("a stored string differs from the article's", NULL);
	if (d.has_date != a->has_date || (a->has_date && d.date != a->date))
		fail("the stored date differs from the article's", NULL);
	if (d.ntopics != a->ntopics || d.nrelated != a->nrelated)
		fail("the stored topics or related items differ in number", NULL);
	for (size_t i = 0; i < a->ntopics; i++)
		if (!same(d.topics[i], a->topics[i]))
			fail("a stored topic differs", a->topics[i]);
	for (size_t i = 0; i < a->nrelated; i++)
		if (!same(d.related[i].title, a->related[i].title) ||
		    !same(d.related[i].excerpt, a->related[i].excerpt) ||
		    !same(d.related[i].url, ng_related_url(&a->related[i])) ||
		    !same(d.related[i].provider, a->related[i].provider_name) ||
		    !same(d.related[i].provider_domain, a->related[i].provider_domain) ||
		    d.related[i].has_date != a->related[i].has_date ||
		    (a->related[i].has_date && d.related[i].date != a->related[i].date))
			fail("a stored related item differs", NULL);
	ng_arena_release(&arena);
}

/* The bytes as a damaged stored record: refused or read, never past. */
static void decode_raw(const char *bytes, size_t size)
{
	ng_arena arena;
	ng_arena_init(&arena);
	ng_docdata d;
	if (ng_docdata_decode(bytes, size, &arena, &d)) {
		size_t total = strlen(d.path) + strlen(d.title) + strlen(d.url) +
		               strlen(d.provider) + strlen(d.provider_domain) + strlen(d.excerpt);
		for (size_t i = 0; i < d.ntopics; i++)
			total += strlen(d.topics[i]);
		for (size_t i = 0; i < d.nrelated; i++) {
			const ng_docdata_related *r = &d.related[i];
			total += strlen(r->title) + strlen(r->excerpt);
			if (r->url) /* (version 3) */
				total += strlen(r->url) + strlen(r->provider) +
				         strlen(r->provider_domain);
		}
		if (total > size)
			fail("a decoded record longer than its bytes", NULL);
	}
	ng_arena_release(&arena);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Made once and reused, as the indexer does with one per handle. */
	static ng_tokenizer *tok;
	static ngx_stemmer *stemmer;
	if (!tok && !(tok = ng_tokenizer_new()))
		abort();
	ngx_error err;
	if (!stemmer && ngx_stemmer_new(&stemmer, "english", &err) != NGX_OK)
		abort();

	/* A heap copy of exactly `size` bytes (no NUL after it), so ASan
	 * reports any read past the end of the file. */
	char *file = malloc(size ? size : 1);
	if (!file)
		abort();
	if (size)
		memcpy(file, data, size);

	ng_arena arena;
	ng_arena_init(&arena);
	ng_article a;
	ng_file_problem problem;
	if (!ng_frontmatter_parse(file, size, &arena, &a, &problem, on_warning, NULL)) {
		check_problem(&problem, "error");
	} else {
		round_trip(&a);
		if (a.has_date)
			check_date(a.date);
		/* The text fields, as build_document() adds them.  An index
		 * keeps its text rules for life: one input in four is read as
		 * by an index of formats 4 and 5 (rules 1), which is cheaper
		 * than tokenizing every input twice. */
		unsigned rules = size % 4 == 3 ? 1 : NG_TEXT_RULES;
		tokenize_field(tok, stemmer, rules, a.title);
		tokenize_field(tok, stemmer, rules, a.excerpt);
		for (size_t i = 0; i < a.nrelated; i++) {
			tokenize_field(tok, stemmer, rules, a.related[i].title);
			tokenize_field(tok, stemmer, rules, a.related[i].excerpt);
			if (a.related[i].has_date)
				check_date(a.related[i].date);
		}
		tokenize_field(tok, stemmer, rules, a.provider_name);
		const char *url = ng_article_url(&a);
		tokenize_field(tok, stemmer, rules, url);
		/* The filter terms and facet values. */
		char host[256];
		if (ng_url_host(url, host, sizeof(host)) && !memchr(host, '\0', sizeof(host)))
			fail("an unterminated URL host", url);
		fold_field(a.provider_domain);
		fold_field(a.type);
		for (size_t i = 0; i < a.ntopics; i++)
			fold_field(a.topics[i]);
	}
	/* Release, not reset: freed chunks let ASan catch stale pointers. */
	ng_arena_release(&arena);

	decode_raw(file, size);
	free(file);
	return 0;
}
