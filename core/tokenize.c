/*
 * tokenize.c - the one tokenizer behind both indexing and querying.
 *
 * Text is scanned in its original bytes so every token knows the byte range
 * it came from (for snippets); each word is then normalised on its own:
 * NFKC, case folding and diacritics stripped (utf8proc), keeping only
 * letters and digits; then (text rules 2) the ligatures and the letters with
 * a stroke that Unicode does not decompose are spelt out the way people
 * type them: "œ" -> "oe", "æ" -> "ae", "ø" -> "o", "ł" -> "l", "đ" -> "d"
 * ("ß" -> "ss" and "ﬁ" -> "fi" are already casefolding and NFKC).
 * Pure-ASCII words, the bulk of news text, take a fast path that only
 * lower-cases.
 *
 * Word rules, in the order they matter:
 * - a word is a run of letters and digits (Unicode categories L and N);
 *   combining marks inside a word belong to it, invisible joiners (soft
 *   hyphen, ZWJ, ZWNJ, word joiner) are dropped from it;
 * - single letters joined by dots are one word: "U.S." -> "us";
 * - an apostrophe between letters ends the word, and a possessive "s"
 *   right after it is dropped: "China's" -> "china", "don't" -> "don" "t";
 * - a word written as an upper-case acronym with a lower-case plural "s"
 *   ("GPUs", "LLMs", "H100s") is marked acronym_plural: its singular is the
 *   term without the final "s" (the indexer and the query stem that);
 * - Han, Hiragana, Katakana and Hangul have no spaces between words, so
 *   each run of them becomes overlapping bigrams ("人工智能" -> "人工",
 *   "工智", "智能"); a run of one character is that character.  The last
 *   bigram of a run is marked run_end, so that the indexer can add every
 *   character of the run as a unigram (index.c).
 * Bytes that are not valid UTF-8 separate words.
 */
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "ng.h"

enum char_class { C_SEP, C_WORD, C_MARK, C_JOINER, C_CJK };

struct ng_tokenizer {
	utf8proc_int32_t *raw; /* the current word's code points */
	size_t raw_len, raw_cap;
	utf8proc_int32_t *norm; /* decomposition scratch */
	size_t norm_cap;
	char *term; /* the normalised term */
	size_t term_cap;
	/* The first word the last ng_tokenize() left out for its length. */
	bool long_word;
	size_t long_start, long_end;
	unsigned rules; /* NG_TEXT_RULES, or 1 for an older index */
};

ng_tokenizer *ng_tokenizer_new(void)
{
	ng_tokenizer *t = calloc(1, sizeof(ng_tokenizer));
	if (t)
		t->rules = NG_TEXT_RULES;
	return t;
}

void ng_tokenizer_set_rules(ng_tokenizer *t, unsigned rules)
{
	t->rules = rules;
}

void ng_tokenizer_free(ng_tokenizer *t)
{
	if (!t)
		return;
	free(t->raw);
	free(t->norm);
	free(t->term);
	free(t);
}

static bool is_cjk(utf8proc_int32_t c)
{
	return (c >= 0x1100 && c <= 0x11FF) || /* Hangul Jamo */
	       (c >= 0x2E80 && c <= 0x2FDF) || /* CJK and Kangxi radicals */
	       (c >= 0x3005 && c <= 0x3007) || /* 々 〆 〇 */
	       (c >= 0x3021 && c <= 0x3029) || /* Hangzhou numerals */
	       (c >= 0x3040 && c <= 0x30FF) || /* Hiragana, Katakana */
	       (c >= 0x3130 && c <= 0x318F) || /* Hangul compatibility Jamo */
	       (c >= 0x31F0 && c <= 0x31FF) || /* Katakana extensions */
	       (c >= 0x3400 && c <= 0x4DBF) || /* CJK extension A */
	       (c >= 0x4E00 && c <= 0x9FFF) || /* CJK unified ideographs */
	       (c >= 0xA960 && c <= 0xA97F) || /* Hangul Jamo extended A */
	       (c >= 0xAC00 && c <= 0xD7FF) || /* Hangul syllables, Jamo ext B */
	       (c >= 0xF900 && c <= 0xFAFF) || /* CJK compatibility ideographs */
	       (c >= 0xFF66 && c <= 0xFFDC) || /* halfwidth Katakana, Hangul */
	       (c >= 0x20000 && c <= 0x3FFFF); /* CJK extensions B and later */
}

static enum char_class classify(utf8proc_int32_t c)
{
	if (c < 0x80) {
		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
			return C_WORD;
		return C_SEP;
	}
	if (is_cjk(c))
		return C_CJK;
	switch (utf8proc_category(c)) {
	case UTF8PROC_CATEGORY_LU:
	case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
	case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_NL:
	case UTF8PROC_CATEGORY_NO:
		return C_WORD;
	case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_MC:
	case UTF8PROC_CATEGORY_ME:
		return C_MARK;
	default:
		break;
	}
	if (c == 0x00AD || c == 0x200C || c == 0x200D || c == 0x2060)
		return C_JOINER;
	return C_SEP;
}

static bool is_apostrophe(utf8proc_int32_t c)
{
	return c == '\'' || c == 0x2019 || c == 0x02BC;
}

/* Decodes the code point at text[i]; returns its length, with *cp < 0 for
 * an invalid sequence (whose length is then 1). */
static size_t decode(const char *text, size_t len, size_t i, utf8proc_int32_t *cp)
{
	unsigned char b = (unsigned char)text[i];
	if (b < 0x80) {
		*cp = b;
		return 1;
	}
	utf8proc_ssize_t n =
	    utf8proc_iterate((const utf8proc_uint8_t *)text + i, (utf8proc_ssize_t)(len - i), cp);
	if (n <= 0) {
		*cp = -1;
		return 1;
	}
	return (size_t)n;
}

static bool grow(void **p, size_t *cap, size_t need, size_t elem)
{
	if (need <= *cap)
		return true;
	size_t n = *cap ? *cap : 64;
	while (n < need)
		n *= 2;
	void *q = realloc(*p, n * elem);
	if (!q)
		return false;
	*p = q;
	*cap = n;
	return true;
}

static bool push_raw(ng_tokenizer *t, utf8proc_int32_t c)
{
	if (!grow((void **)&t->raw, &t->raw_cap, t->raw_len + 1, sizeof(*t->raw)))
		return false;
	t->raw[t->raw_len++] = c;
	return true;
}

/*
 * The ASCII a folded letter is written as when Unicode gives it no
 * decomposition to strip: the ligatures and the letters with a stroke.
 * NULL for any other code point.  Only lower case comes here (casefolded).
 */
static const char *spelt_out(utf8proc_int32_t c)
{
	switch (c) {
	case 0x00E6: /* æ */
		return "ae";
	case 0x0153: /* œ */
		return "oe";
	case 0x00F8: /* ø */
		return "o";
	case 0x0142: /* ł */
		return "l";
	case 0x0111: /* đ */
		return "d";
	default:
		return NULL;
	}
}

/*
 * Normalises t->raw[0..raw_len) into t->term.  Returns the term's length
 * (0 when nothing is left, e.g. a word of only marks), or -1 on ENOMEM.
 */
static long normalise(ng_tokenizer *t)
{
	bool ascii = true;
	for (size_t i = 0; i < t->raw_len && ascii; i++)
		ascii = t->raw[i] < 0x80;
	if (ascii) {
		if (!grow((void **)&t->term, &t->term_cap, t->raw_len + 1, 1))
			return -1;
		for (size_t i = 0; i < t->raw_len; i++) {
			int c = t->raw[i];
			t->term[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
		}
		t->term[t->raw_len] = '\0';
		return (long)t->raw_len;
	}

	const utf8proc_option_t opts = UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
	                               UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK;
	size_t n = 0;
	for (size_t i = 0; i < t->raw_len; i++) {
		for (;;) {
			int boundclass = UTF8PROC_BOUNDCLASS_START;
			utf8proc_ssize_t got = utf8proc_decompose_char(
			    t->raw[i], t->norm ? t->norm + n : NULL,
			    (utf8proc_ssize_t)(t->norm_cap - n), opts, &boundclass);
			if (got < 0)
				break; /* an unassigned code point: dropped */
			if ((size_t)got <= t->norm_cap - n) {
				n += (size_t)got;
				break;
			}
			if (!grow((void **)&t->norm, &t->norm_cap, n + (size_t)got,
			          sizeof(*t->norm)))
				return -1;
		}
	}
	utf8proc_ssize_t m = utf8proc_normalize_utf32(t->norm, (utf8proc_ssize_t)n,
	                                              UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	if (m < 0)
		m = (utf8proc_ssize_t)n;
	if (!grow((void **)&t->term, &t->term_cap, (size_t)m * 4 + 1, 1))
		return -1;
	size_t out = 0;
	for (utf8proc_ssize_t i = 0; i < m; i++) {
		/* NFKC can turn a letter into punctuation ("½" -> "1⁄2"); keep the
		 * term to letters and digits so it stays one searchable word. */
		enum char_class cls = classify(t->norm[i]);
		if (cls != C_WORD && cls != C_CJK)
			continue;
		const char *spelt = t->rules >= 2 ? spelt_out(t->norm[i]) : NULL;
		if (spelt) { /* never longer than the letter in UTF-8 */
			memcpy(t->term + out, spelt, strlen(spelt));
			out += strlen(spelt);
			continue;
		}
		out += (size_t)utf8proc_encode_char(t->norm[i], (utf8proc_uint8_t *)t->term + out);
	}
	t->term[out] = '\0';
	return (long)out;
}

static bool is_upper(utf8proc_int32_t c)
{
	if (c < 0x80)
		return c >= 'A' && c <= 'Z';
	utf8proc_category_t cat = utf8proc_category(c);
	return cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT;
}

/* Whether the collected word is an upper-case acronym with a lower-case
 * plural "s": "GPUs", "LLMs", "H100s"; not "As", "Ms" or "GPUS". */
static bool is_acronym_plural(const ng_tokenizer *t)
{
	size_t n = t->raw_len;
	if (n < 3 || t->raw[n - 1] != 's' || !is_upper(t->raw[0]))
		return false;
	for (size_t i = 1; i < n - 1; i++) {
		utf8proc_int32_t c = t->raw[i];
		if (is_upper(c) || (c >= '0' && c <= '9'))
			continue;
		utf8proc_category_t cat = c < 0x80 ? UTF8PROC_CATEGORY_CN : utf8proc_category(c);
		if (cat != UTF8PROC_CATEGORY_ND && cat != UTF8PROC_CATEGORY_MN &&
		    cat != UTF8PROC_CATEGORY_MC && cat != UTF8PROC_CATEGORY_ME)
			return false;
	}
	return true;
}

/* Whether the collected word is written in capitals: "CPU", "H100"; not
 * "AI" (too short to tell from "IT" or "US"), "GPUs" or "Cpu". */
static bool is_capitals(const ng_tokenizer *t)
{
	if (t->raw_len < 3 || !is_upper(t->raw[0]))
		return false;
	for (size_t i = 1; i < t->raw_len; i++)
		if (!is_upper(t->raw[i]) && !(t->raw[i] >= '0' && t->raw[i] <= '9'))
			return false;
	return true;
}

/* Whether the collected word has a small letter. */
static bool has_lower(const ng_tokenizer *t)
{
	for (size_t i = 0; i < t->raw_len; i++) {
		utf8proc_int32_t c = t->raw[i];
		if (c < 0x80 ? c >= 'a' && c <= 'z' : utf8proc_category(c) == UTF8PROC_CATEGORY_LL)
			return true;
	}
	return false;
}

/* Normalises the collected code points and hands the term over. */
static ng_pass emit(ng_tokenizer *t, ng_token_kind kind, size_t start, size_t end, bool run_start,
                    bool run_end, ng_token_fn fn, void *ctx)
{
	bool acronym_plural = kind == NG_TOKEN_WORD && is_acronym_plural(t);
	bool capitals = kind == NG_TOKEN_WORD && is_capitals(t);
	bool lower = kind == NG_TOKEN_WORD && has_lower(t);
	long n = normalise(t);
	t->raw_len = 0;
	if (n < 0)
		return NG_PASS_NOMEM;
	if (n > NG_TERM_MAX && !t->long_word) {
		t->long_word = true;
		t->long_start = start;
		t->long_end = end;
	}
	if (n == 0 || n > NG_TERM_MAX)
		return NG_PASS_DONE;
	unsigned char first = (unsigned char)t->term[0];
	bool stemmable = kind == NG_TOKEN_WORD && !(first >= '0' && first <= '9');
	ng_token tok = {
	    .term = t->term,
	    .len = (size_t)n,
	    .start = start,
	    .end = end,
	    .kind = kind,
	    .stemmable = stemmable,
	    .acronym_plural = acronym_plural && stemmable && n >= 2 && t->term[n - 1] == 's',
	    .capitals = capitals && stemmable,
	    .lower = lower,
	    .run_start = run_start,
	    .run_end = run_end,
	};
	return fn(ctx, &tok) ? NG_PASS_DONE : NG_PASS_STOPPED;
}

/* The class of the code point at text[i], or C_SEP at the end. */
static enum char_class class_at(const char *text, size_t len, size_t i, utf8proc_int32_t *cp,
                                size_t *n)
{
	if (i >= len) {
		*cp = -1;
		*n = 0;
		return C_SEP;
	}
	*n = decode(text, len, i, cp);
	return *cp < 0 ? C_SEP : classify(*cp);
}

static bool is_letter(utf8proc_int32_t c)
{
	return c >= 0 && classify(c) == C_WORD &&
	       !(c < 0x80 ? (c >= '0' && c <= '9')
	                  : utf8proc_category(c) >= UTF8PROC_CATEGORY_ND &&
	                        utf8proc_category(c) <= UTF8PROC_CATEGORY_NO);
}

/* Scans the word starting at *pos; emits it (and any parts an apostrophe
 * split off). */
static ng_pass scan_word(ng_tokenizer *t, const char *text, size_t len, size_t *pos, ng_token_fn fn,
                         void *ctx)
{
	size_t i = *pos, start = i, end = i;
	size_t seg_letters = 0; /* letters in the current dot-separated segment */
	bool acronym = true;    /* every segment so far is a single letter */
	ng_pass rc = NG_PASS_DONE;
	for (;;) {
		utf8proc_int32_t c;
		size_t n;
		enum char_class cls = class_at(text, len, i, &c, &n);
		if (cls == C_WORD || cls == C_MARK) {
			if (!push_raw(t, c))
				return NG_PASS_NOMEM;
			if (cls == C_WORD && ++seg_letters > 1)
				acronym = false;
			if (cls == C_WORD && !is_letter(c))
				acronym = false;
			i += n;
			end = i;
			continue;
		}
		if (cls == C_JOINER) {
			i += n;
			continue;
		}
		utf8proc_int32_t c1, c2;
		size_t n1, n2;
		enum char_class cls1 = class_at(text, len, i + n, &c1, &n1);
		if (c == '.' && acronym && seg_letters == 1 && is_letter(c1)) {
			enum char_class cls2 = class_at(text, len, i + n + n1, &c2, &n2);
			if (cls2 != C_WORD && cls2 != C_MARK) {
				i += n; /* "U.S": the dot joins single letters */
				seg_letters = 0;
				continue;
			}
		}
		if (is_apostrophe(c) && cls1 == C_WORD && t->raw_len > 0) {
			rc = emit(t, NG_TOKEN_WORD, start, end, true, false, fn, ctx);
			if (rc)
				return rc;
			size_t after = i + n;
			enum char_class cls2 = class_at(text, len, after + n1, &c2, &n2);
			if ((c1 == 's' || c1 == 'S') && cls2 != C_WORD && cls2 != C_MARK) {
				i = after + n1; /* a possessive 's: dropped */
				break;
			}
			i = start = end = after;
			seg_letters = 0;
			acronym = true;
			continue;
		}
		break;
	}
	*pos = i;
	if (t->raw_len == 0)
		return NG_PASS_DONE;
	return emit(t, NG_TOKEN_WORD, start, end, true, false, fn, ctx);
}

/* Scans a run of CJK characters at *pos into bigrams. */
static ng_pass scan_cjk(ng_tokenizer *t, const char *text, size_t len, size_t *pos, ng_token_fn fn,
                        void *ctx)
{
	size_t i = *pos;
	utf8proc_int32_t prev = -1;
	size_t prev_start = i;
	bool first = true;
	ng_pass rc = NG_PASS_DONE;
	for (;;) {
		utf8proc_int32_t c, next;
		size_t n, nn;
		if (class_at(text, len, i, &c, &n) != C_CJK)
			break;
		if (prev >= 0) {
			if (!push_raw(t, prev) || !push_raw(t, c))
				return NG_PASS_NOMEM;
			bool last = class_at(text, len, i + n, &next, &nn) != C_CJK;
			rc = emit(t, NG_TOKEN_CJK, prev_start, i + n, first, last, fn, ctx);
			if (rc)
				return rc;
			first = false;
		}
		prev = c;
		prev_start = i;
		i += n;
	}
	if (first && prev >= 0) {
		if (!push_raw(t, prev))
			return NG_PASS_NOMEM;
		rc = emit(t, NG_TOKEN_CJK, prev_start, i, true, true, fn, ctx);
	}
	*pos = i;
	return rc;
}

ng_pass ng_tokenize(ng_tokenizer *t, const char *text, size_t len, ng_token_fn fn, void *ctx)
{
	size_t i = 0;
	t->raw_len = 0;
	t->long_word = false;
	while (i < len) {
		utf8proc_int32_t c;
		size_t n = decode(text, len, i, &c);
		enum char_class cls = c < 0 ? C_SEP : classify(c);
		ng_pass rc = NG_PASS_DONE;
		if (cls == C_WORD)
			rc = scan_word(t, text, len, &i, fn, ctx);
		else if (cls == C_CJK)
			rc = scan_cjk(t, text, len, &i, fn, ctx);
		else
			i += n;
		if (rc)
			return rc;
	}
	return NG_PASS_DONE;
}

bool ng_tokenizer_long_word(const ng_tokenizer *t, size_t *start, size_t *end)
{
	if (t->long_word) {
		*start = t->long_start;
		*end = t->long_end;
	}
	return t->long_word;
}

/* NUL-terminates `out` without counting the NUL in its length. */
static bool terminate(ng_buf *out)
{
	if (!ng_buf_append(out, "", 1))
		return false;
	out->len--;
	return true;
}

bool ng_fold_value(const char *s, size_t len, ng_buf *out)
{
	utf8proc_uint8_t *folded = NULL;
	utf8proc_ssize_t n =
	    utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &folded,
	                 UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD |
	                     UTF8PROC_STRIPMARK);
	if (n < 0) /* not valid UTF-8: keep the bytes as they are */
		return ng_buf_append(out, s, len) && terminate(out);
	/* Trim, and collapse runs of white space to one space.  `out` may
	 * already hold a prefix: spaces count from where this value starts. */
	size_t start = out->len;
	bool ok = true, space = false;
	for (utf8proc_ssize_t i = 0; i < n && ok; i++) {
		char c = (char)folded[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			space = true;
			continue;
		}
		if (space && out->len > start)
			ok = ng_buf_append(out, " ", 1);
		space = false;
		ok = ok && ng_buf_append(out, &c, 1);
	}
	free(folded);
	return ok && terminate(out);
}
