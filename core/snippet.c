/*
 * snippet.c - the passage of a hit that best matches the query.
 *
 * Every text of the hit (title, excerpt, each related item's title and
 * excerpt) is tokenized with the indexer's tokenizer and each word is
 * compared with the query's highlight words as the search compared them:
 * by stem, as folded, or as a prefix.  So "sanction" highlights
 * "Sanctions", "gpu" highlights "GPUs", "semicond*" highlights
 * "Semiconductors", and "人" the "人" of the bigram "人工".
 *
 * The excerpt wins when it has a query word; else the related text with
 * the most distinct query words; else the title.  A long text is cut to the
 * window of SNIPPET_BYTES with the most distinct query words, starting a
 * few words before the first of them.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ng.h"
#include "ngx.h"
#include "schema.h"

#define SNIPPET_BYTES 240
#define CONTEXT_BYTES 40        /* shown before the first match of a window */
#define MAX_MATCHES 4096        /* per text; more add nothing to a snippet */
#define ELLIPSIS "\xe2\x80\xa6" /* … */

/* Stems remembered by word: a page of hits repeats words (related items
 * share a vocabulary), and stemming each word again cost more than
 * everything else in making its snippet.  Direct-mapped, by hash. */
#define MEMO_SLOTS 1024
#define MEMO_BYTES 30 /* longer words and stems are stemmed every time */

typedef struct match {
	size_t start, end;
	unsigned word; /* index of the highlight word */
} match;

typedef struct memo_slot {
	unsigned char word_len, stem_len; /* word_len 0: empty */
	char word[MEMO_BYTES], stem[MEMO_BYTES];
} memo_slot;

/* The highlight words by word (NG_HL_WORD, NG_HL_STEM): a hash table of
 * their indexes, so that each word of a text is looked up once instead of
 * compared with every query word (a 10,000-word query made that the most
 * of its time).  Prefixes stay a list: they are few, and capped. */
typedef struct hl_index {
	const ng_hlterm *hl; /* the words it was built for */
	size_t nhl;
	unsigned *slots; /* index into hl, or EMPTY; size mask + 1 */
	size_t mask;
	unsigned *prefixes; /* the NG_HL_PREFIX words, in order */
	size_t nprefixes;
	bool stems; /* some word is looked up by its stem */
} hl_index;

#define EMPTY UINT32_MAX

struct ng_snippeter {
	ng_tokenizer *tok;
	unsigned rules; /* the index's text rules */
	struct ngx_stemmer *stemmer;
	match m[MAX_MATCHES], best_m[MAX_MATCHES]; /* reused hit after hit */
	memo_slot memo[MEMO_SLOTS];
	hl_index index; /* a snippeter serves the hits of one query */
};

typedef struct scan {
	const char *text; /* the text being scanned */
	const ng_hlterm *hl;
	size_t nhl;
	const hl_index *index;
	ng_qfield field;
	ng_snippeter *sn;
	match *m;
	size_t n;
	uint64_t seen; /* bit i: highlight word i (mod 64) matched */
} scan;

ng_snippeter *ng_snippeter_new(unsigned rules)
{
	ng_snippeter *sn = calloc(1, sizeof(*sn));
	ngx_error err;
	if (!sn || !(sn->tok = ng_tokenizer_new()) ||
	    ngx_stemmer_new(&sn->stemmer, "english", &err) != NGX_OK) {
		ng_snippeter_free(sn);
		return NULL;
	}
	sn->rules = rules;
	ng_tokenizer_set_rules(sn->tok, rules);
	return sn;
}

void ng_snippeter_free(ng_snippeter *sn)
{
	if (!sn)
		return;
	ng_tokenizer_free(sn->tok);
	ngx_stemmer_free(sn->stemmer);
	free(sn->index.slots);
	free(sn->index.prefixes);
	free(sn);
}

/* FNV-1a: words are short, and the search program need not load a
 * hashing library for them. */
static uint32_t word_hash(const char *w, size_t len)
{
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < len; i++)
		h = (h ^ (unsigned char)w[i]) * 16777619u;
	return h;
}

static bool field_applies(ng_qfield hl, ng_qfield text)
{
	return hl == NG_QF_TEXT || hl == text;
}

static size_t slot_of(const hl_index *x, ng_hl_match how, const char *w, size_t len)
{
	return (word_hash(w, len) ^ (uint32_t)how * 0x9e3779b9u) & x->mask;
}

/* Builds (or keeps) the index of hl[0..nhl). */
static bool index_words(hl_index *x, const ng_hlterm *hl, size_t nhl)
{
	if (x->hl == hl && x->nhl == nhl && x->slots)
		return true;
	free(x->slots);
	free(x->prefixes);
	memset(x, 0, sizeof(*x));
	size_t size = 16;
	while (size < 2 * nhl)
		size *= 2;
	x->slots = malloc(size * sizeof(*x->slots));
	x->prefixes = malloc(nhl * sizeof(*x->prefixes));
	if (!x->slots || !x->prefixes || nhl >= EMPTY) {
		free(x->slots);
		free(x->prefixes);
		x->slots = x->prefixes = NULL;
		return false;
	}
	x->mask = size - 1;
	for (size_t i = 0; i < size; i++)
		x->slots[i] = EMPTY;
	for (size_t i = 0; i < nhl; i++) {
		if (hl[i].how == NG_HL_PREFIX) {
			x->prefixes[x->nprefixes++] = (unsigned)i;
			continue;
		}
		x->stems |= hl[i].how == NG_HL_STEM;
		size_t j = slot_of(x, hl[i].how, hl[i].term, hl[i].len);
		while (x->slots[j] != EMPTY)
			j = (j + 1) & x->mask;
		x->slots[j] = (unsigned)i;
	}
	x->hl = hl;
	x->nhl = nhl;
	return true;
}

/* The first highlight word (lowest index, *best) that is w, looked up
 * `how`, and applies to text of `field`. */
static void look_up(const scan *s, ng_hl_match how, const char *w, size_t len, unsigned *best)
{
	const hl_index *x = s->index;
	for (size_t j = slot_of(x, how, w, len); x->slots[j] != EMPTY; j = (j + 1) & x->mask) {
		const ng_hlterm *h = &s->hl[x->slots[j]];
		if (x->slots[j] < *best && h->how == how && h->len == len &&
		    memcmp(h->term, w, len) == 0 && field_applies(h->field, s->field))
			*best = x->slots[j];
	}
}

/* The stem of word[0..len) into out (cap bytes); *out_len 0 when it has
 * none (the stemmer failed). */
static void stem_word(ng_snippeter *sn, const char *word, size_t len, char *out, size_t cap,
                      size_t *out_len)
{
	memo_slot *slot = NULL;
	if (len < MEMO_BYTES) {
		slot = &sn->memo[word_hash(word, len) % MEMO_SLOTS];
		if (slot->word_len == len && memcmp(slot->word, word, len) == 0) {
			memcpy(out, slot->stem, slot->stem_len);
			*out_len = slot->stem_len;
			return;
		}
	}
	ngx_error err;
	if (ngx_stem(sn->stemmer, word, len, out, cap, out_len, &err) != NGX_OK)
		*out_len = 0;
	if (slot && *out_len < MEMO_BYTES) {
		slot->word_len = (unsigned char)len;
		memcpy(slot->word, word, len);
		slot->stem_len = (unsigned char)*out_len;
		memcpy(slot->stem, out, *out_len);
	}
}

static void add_match(scan *s, size_t start, size_t end, unsigned word)
{
	if (s->n < MAX_MATCHES)
		s->m[s->n++] = (match){start, end, word};
	s->seen |= (uint64_t)1 << (word % 64);
}

static size_t utf8_len(unsigned char b)
{
	return b < 0x80 ? 1 : b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
}

/* A query word of one CJK character in a bigram (text rules 2 index each
 * character alone too): its first character, or at the end of a run its
 * second.  Whether one matched. */
static bool cjk_char_match(scan *s, const ng_token *tok)
{
	if (s->sn->rules < 2 || tok->kind != NG_TOKEN_CJK)
		return false;
	size_t first = utf8_len((unsigned char)tok->term[0]);
	if (first >= tok->len)
		return false;
	/* The source's characters, which NFKC may have changed but not
	 * merged: a bigram that became one character is never here. */
	size_t src_first = utf8_len((unsigned char)s->text[tok->start]);
	bool hit = false;
	unsigned i = EMPTY;
	look_up(s, NG_HL_WORD, tok->term, first, &i);
	if (i != EMPTY) {
		add_match(s, tok->start, tok->start + src_first, i);
		hit = true;
	}
	i = EMPTY;
	if (tok->run_end)
		look_up(s, NG_HL_WORD, tok->term + first, tok->len - first, &i);
	if (i != EMPTY) {
		add_match(s, tok->start + src_first, tok->end, i);
		hit = true;
	}
	return hit;
}

static bool on_token(void *ctx, const ng_token *tok)
{
	scan *s = ctx;
	unsigned i = EMPTY;
	look_up(s, NG_HL_WORD, tok->term, tok->len, &i);
	if (i == EMPTY && cjk_char_match(s, tok))
		return true;
	if (s->index->stems && tok->stemmable) {
		char stem[NG_TERM_MAX * 4 + 2];
		size_t stem_len;
		/* An acronym's plural has its singular's stem (index.c). */
		size_t len = tok->acronym_plural && s->sn->rules >= 2 ? tok->len - 1 : tok->len;
		stem_word(s->sn, tok->term, len, stem, sizeof(stem), &stem_len);
		look_up(s, NG_HL_STEM, stem, stem_len, &i);
	}
	for (size_t k = 0; k < s->index->nprefixes && s->index->prefixes[k] < i; k++) {
		const ng_hlterm *h = &s->hl[s->index->prefixes[k]];
		if (field_applies(h->field, s->field) && tok->len >= h->len &&
		    memcmp(tok->term, h->term, h->len) == 0)
			i = s->index->prefixes[k];
	}
	if (i != EMPTY)
		add_match(s, tok->start, tok->end, i);
	return true;
}

static unsigned popcount(uint64_t v)
{
	unsigned n = 0;
	for (; v; v &= v - 1)
		n++;
	return n;
}

/* Distinct words among matches [from, to). */
static unsigned distinct(const match *m, size_t from, size_t to)
{
	uint64_t seen = 0;
	for (size_t i = from; i < to; i++)
		seen |= (uint64_t)1 << (m[i].word % 64);
	return popcount(seen);
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* Moves i back to the start of a UTF-8 character. */
static size_t char_start(const char *t, size_t i)
{
	while (i > 0 && ((unsigned char)t[i] & 0xC0) == 0x80)
		i--;
	return i;
}

/* Picks [*from, *to) of text[0..len) around the best window of matches. */
static void choose_window(const char *t, size_t len, const match *m, size_t n, size_t *from,
                          size_t *to)
{
	*from = 0;
	*to = len;
	if (len <= SNIPPET_BYTES)
		return;
	size_t best = 0;
	unsigned best_words = 0;
	size_t best_count = 0;
	for (size_t i = 0, j = 0; i < n; i++) {
		if (j < i)
			j = i;
		while (j < n && m[j].end <= m[i].start + SNIPPET_BYTES - CONTEXT_BYTES)
			j++;
		unsigned words = distinct(m, i, j);
		if (words > best_words || (words == best_words && j - i > best_count)) {
			best = i;
			best_words = words;
			best_count = j - i;
		}
	}
	size_t start = n ? m[best].start : 0;
	size_t last_end = !n ? 0 : best_count ? m[best + best_count - 1].end : m[best].end;
	/* From the beginning when the window's matches fit there; else some
	 * words of context before the first match, from a word start. */
	size_t s = start > CONTEXT_BYTES ? start - CONTEXT_BYTES : 0;
	if (last_end + CONTEXT_BYTES / 2 <= SNIPPET_BYTES)
		s = 0;
	while (s > 0 && s < start && !is_space(t[s - 1]))
		s++;
	/* Keep the window at its full width when it runs into the end. */
	if (len - s < SNIPPET_BYTES) {
		s = char_start(t, len - SNIPPET_BYTES);
		while (s > 0 && s < start && !is_space(t[s - 1]))
			s++;
	}
	size_t e = s + SNIPPET_BYTES < len ? s + SNIPPET_BYTES : len;
	if (e < len) {
		size_t cut = e;
		while (cut > s && !is_space(t[cut]))
			cut--;
		e = cut > s + SNIPPET_BYTES / 2 ? cut : char_start(t, e);
	}
	*from = s;
	*to = e;
}

/* Copies text[from, to) into a snippet with white space runs made one
 * space, "… " and " …" at cuts, and the matches as spans in it. */
static bool render(const char *t, size_t len, size_t from, size_t to, const match *m, size_t n,
                   ng_arena *arena, ng_snippet *out)
{
	size_t cap = (to - from) + 2 * sizeof(ELLIPSIS) + 4;
	char *buf = ng_arena_alloc(arena, cap);
	newsgrep_span_t *spans = ng_arena_alloc(arena, (n ? n : 1) * sizeof(*spans));
	if (!buf || !spans)
		return false;
	size_t o = 0, ns = 0;
	while (from < to && is_space(t[from]))
		from++;
	while (to > from && is_space(t[to - 1]))
		to--;
	if (from > 0) {
		memcpy(buf, ELLIPSIS " ", sizeof(ELLIPSIS));
		o = sizeof(ELLIPSIS);
	}
	size_t k = 0;
	while (k < n && m[k].start < from)
		k++;
	bool space = false;
	for (size_t i = from; i < to; i++) {
		if (is_space(t[i])) {
			space = true;
			continue;
		}
		if (space) {
			buf[o++] = ' ';
			space = false;
		}
		/* Spans open here; overlapping ones (CJK bigrams) merge. */
		while (k < n && m[k].start == i) {
			if (m[k].end <= to) {
				if (ns && spans[ns - 1].end >= o)
					spans[ns - 1].end = o + (m[k].end - i);
				else
					spans[ns++] = (newsgrep_span_t){o, o + (m[k].end - i)};
			}
			k++;
		}
		buf[o++] = t[i];
	}
	if (to < len) {
		memcpy(buf + o, " " ELLIPSIS, sizeof(ELLIPSIS));
		o += sizeof(ELLIPSIS);
	}
	buf[o] = '\0';
	/* Span ends were computed in source bytes: clamp to the text. */
	for (size_t i = 0; i < ns; i++)
		if (spans[i].end > o)
			spans[i].end = o;
	out->text = buf;
	out->spans = spans;
	out->nspans = ns;
	return true;
}

/* The i-th text of a hit in document order: title, excerpt, then each
 * related item's title and excerpt.  NULL past the end. */
static const char *text_at(const ng_docdata *d, size_t i, ng_qfield *field, size_t *item)
{
	*item = 0;
	if (i < 2) {
		*field = i == 0 ? NG_QF_TITLE : NG_QF_EXCERPT;
		return i == 0 ? d->title : d->excerpt;
	}
	*item = (i - 2) / 2;
	if (*item >= d->nrelated)
		return NULL;
	*field = NG_QF_RELATED;
	return (i - 2) % 2 ? d->related[*item].excerpt : d->related[*item].title;
}

/* Whether text i (with `words` distinct query words in `n` matches) makes
 * a better snippet than the best so far, text best_i.  The excerpt wins
 * whenever a query word is in it (it describes the article, and the title
 * is shown anyway); then the related text with the most query words; the
 * title last.  Texts come in the order of text_at(). */
static bool better(size_t i, unsigned words, size_t n, size_t best_i, unsigned best_words,
                   size_t best_n)
{
	if (best_n == 0 || i == 1)
		return true;
	if (best_i == 1)
		return false;
	if (best_i == 0)
		return true;
	return words > best_words || (words == best_words && n > best_n);
}

/* The title's matches as spans of the title itself (for highlighting it
 * where it is shown whole); overlapping ones (CJK bigrams) merge. */
static bool title_spans(ng_snippet *out, const match *m, size_t n, ng_arena *arena)
{
	newsgrep_span_t *spans = ng_arena_alloc(arena, n * sizeof(*spans));
	if (!spans)
		return false;
	size_t ns = 0;
	for (size_t k = 0; k < n; k++) {
		if (ns && m[k].start <= spans[ns - 1].end) {
			if (m[k].end > spans[ns - 1].end)
				spans[ns - 1].end = m[k].end;
		} else {
			spans[ns++] = (newsgrep_span_t){m[k].start, m[k].end};
		}
	}
	out->title_spans = spans;
	out->ntitle_spans = ns;
	return true;
}

bool ng_snippet_make(ng_snippeter *sn, ng_snippet *out, const ng_docdata *d, const ng_hlterm *hl,
                     size_t nhl, ng_arena *arena)
{
	memset(out, 0, sizeof(*out));
	const char **labels = ng_arena_alloc(arena, (d->nrelated + 2) * sizeof(*labels));
	match *m = sn->m, *best_m = sn->best_m;
	if (!labels)
		return false;
	out->matched_in = labels;
	const char *best_text = d->excerpt ? d->excerpt : "";
	char best_label[32] = "excerpt";
	size_t best_n = 0, best_i = 0, last_item = SIZE_MAX;
	unsigned best_words = 0;
	const char *text;
	ng_qfield field;
	size_t item;
	if (nhl && !index_words(&sn->index, hl, nhl))
		return false;
	for (size_t i = 0; nhl && (text = text_at(d, i, &field, &item)) != NULL; i++) {
		if (!*text)
			continue;
		scan s = {.text = text,
		          .hl = hl,
		          .nhl = nhl,
		          .index = &sn->index,
		          .field = field,
		          .sn = sn,
		          .m = m};
		if (ng_tokenize(sn->tok, text, strlen(text), on_token, &s) == NG_PASS_NOMEM)
			return false;
		if (s.n == 0)
			continue;
		if (i == 0 && !title_spans(out, m, s.n, arena))
			return false;
		char label[32];
		if (i < 2)
			ng_msg_set(label, sizeof(label), "%s", ng_qfield_name(field));
		else
			ng_msg_set(label, sizeof(label), "%s[%zu]", ng_qfield_name(field), item);
		unsigned words = popcount(s.seen);
		if (better(i, words, s.n, best_i, best_words, best_n)) {
			best_i = i;
			best_words = words;
			best_n = s.n;
			best_text = text;
			memcpy(best_label, label, sizeof(label));
			memcpy(best_m, m, s.n * sizeof(*m));
		}
		/* A related item is listed once, even when both its texts match. */
		if (i >= 2 && item == last_item)
			continue;
		last_item = i >= 2 ? item : SIZE_MAX;
		if (!(labels[out->nmatched_in++] = ng_arena_strndup(arena, label, strlen(label))))
			return false;
	}
	if (!(out->from = ng_arena_strndup(arena, best_label, strlen(best_label))))
		return false;
	size_t len = strlen(best_text), from, to;
	choose_window(best_text, len, best_m, best_n, &from, &to);
	return render(best_text, len, from, to, best_m, best_n, arena, out);
}
