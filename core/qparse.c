/*
 * qparse.c - the query language, from text to a tree.
 *
 *   query    := or_expr
 *   or_expr  := and_expr ("OR" and_expr)*
 *   and_expr := unary (["AND"] unary | "NOT" unary)*
 *   unary    := ("NOT" | "-") unary | "+" unary | near
 *   near     := primary ("NEAR" | "NEAR/n" primary)*
 *   primary  := "(" or_expr ")" | field ":" value | field ":" "(" or_expr ")"
 *             | '"' phrase '"' | word | prefix* | "*"
 *
 * Operators are upper case, as in Xapian's and Google's syntax, so "or" is
 * a word.  Words are split and folded by the indexer's tokenizer; a bare
 * word that splits into several ("GPU-based", a CJK run) is a phrase.  An
 * AND group's excluded parts are collected so "a -b -c" is one AND_NOT,
 * and a group with nothing but exclusions excludes from every article.
 *
 * The parser never trusts the input: nesting is capped, every error names
 * the byte where it was found, and nothing is read past `len`.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ng.h"
#include "schema.h"

#define MAX_DEPTH 100 /* parentheses and NOT chains */

typedef enum tok_type {
	T_END,
	T_LPAREN,
	T_RPAREN,
	T_OR,
	T_AND,
	T_NOT,
	T_NEAR,
	T_MINUS, /* "-" glued to what follows */
	T_PLUS,
	T_QUOTED, /* val = the text between the quotes */
	T_FIELD,  /* field: ; what follows is its value */
	T_WORD    /* a bare word; val = its bytes */
} tok_type;

typedef struct tok {
	tok_type type;
	size_t start, end;         /* bytes of the whole token */
	size_t val_start, val_end; /* QUOTED, WORD: the text */
	ng_qfield field;           /* FIELD */
	unsigned distance;         /* NEAR */
} tok;

typedef struct parser {
	const char *s;
	size_t len, pos;
	tok cur;
	bool have_cur;
	bool glued; /* the next token follows a FIELD, MINUS or PLUS directly */
	ng_tokenizer *tokenizer;
	ng_arena *arena;
	int64_t now;
	unsigned depth;
	ng_qerror *err; /* its status says whether the parse failed */
} parser;

static bool failed(const parser *p)
{
	return p->err->status != NEWSGREP_OK;
}

__attribute__((format(printf, 3, 4))) static void *fail(parser *p, size_t offset, const char *fmt,
                                                        ...)
{
	if (failed(p))
		return NULL;
	p->err->status = NEWSGREP_BAD_QUERY;
	p->err->offset = offset;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(p->err->message, sizeof(p->err->message), fmt, ap);
	va_end(ap);
	return NULL;
}

static void *nomem(parser *p)
{
	if (!failed(p)) {
		fail(p, 0, "out of memory");
		p->err->status = NEWSGREP_NOMEM;
	}
	return NULL;
}

/* ---- lexing ---- */

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

/* The length of a quote mark at s[i]: '"' or a typographic one. */
static size_t quote_at(const parser *p, size_t i, bool closing)
{
	if (i >= p->len)
		return 0;
	if (p->s[i] == '"')
		return 1;
	/* U+201C and U+201D, as pasted from a word processor. */
	if (i + 2 < p->len && (unsigned char)p->s[i] == 0xE2 &&
	    (unsigned char)p->s[i + 1] == 0x80 &&
	    (unsigned char)p->s[i + 2] == (closing ? 0x9D : 0x9C))
		return 3;
	if (closing && i + 2 < p->len && (unsigned char)p->s[i] == 0xE2 &&
	    (unsigned char)p->s[i + 1] == 0x80 && (unsigned char)p->s[i + 2] == 0x9C)
		return 3;
	return 0;
}

static bool ends_word(const parser *p, size_t i)
{
	return i >= p->len || is_space(p->s[i]) || p->s[i] == '(' || p->s[i] == ')' ||
	       quote_at(p, i, false);
}

static bool word_is(const parser *p, size_t start, size_t end, const char *kw)
{
	size_t n = strlen(kw);
	return end - start == n && memcmp(p->s + start, kw, n) == 0;
}

/* Reads "NEAR" or "NEAR/n" at [start, end); false when it is neither. */
static bool lex_near(parser *p, size_t start, size_t end, tok *t)
{
	if (end - start < 4 || memcmp(p->s + start, "NEAR", 4) != 0)
		return false;
	if (end - start == 4) {
		t->distance = NG_NEAR_DEFAULT;
		return true;
	}
	if (p->s[start + 4] != '/')
		return false;
	unsigned long n = 0;
	size_t i = start + 5;
	if (i == end) {
		fail(p, start, "'NEAR/' needs a number of words, as in NEAR/5");
		return true;
	}
	for (; i < end; i++) {
		if (p->s[i] < '0' || p->s[i] > '9') {
			fail(p, start, "'NEAR/' needs a number of words, as in NEAR/5");
			return true;
		}
		n = n * 10 + (unsigned long)(p->s[i] - '0');
		if (n > 1000) {
			fail(p, start, "NEAR/n allows at most 1000 words between");
			return true;
		}
	}
	t->distance = (unsigned)n;
	return true;
}

/* A field name before ':' at [start, colon): true with a T_FIELD in *t,
 * or false when the word is not a field at all.  A name that is no field
 * ("experts:" in a pasted headline), a time or a URL is words. */
static bool lex_field(parser *p, size_t start, size_t colon, tok *t)
{
	for (size_t i = start; i < colon; i++) {
		char c = p->s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
			return false;
	}
	if (colon == start)
		return false;
	/* "https://..." is a URL to search for, not a field. */
	if (colon + 2 < p->len && p->s[colon + 1] == '/' && p->s[colon + 2] == '/')
		return false;
	const ng_schema_row *f = ng_schema_field_by_name(p->s + start, colon - start);
	if (!f)
		return false;
	t->type = T_FIELD;
	t->field = f->qfield;
	t->end = colon + 1;
	return true;
}

static tok lex(parser *p)
{
	bool glued = p->glued;
	p->glued = false;
	if (!glued)
		while (p->pos < p->len && is_space(p->s[p->pos]))
			p->pos++;
	tok t = {.type = T_END, .start = p->pos, .end = p->pos};
	if (p->pos >= p->len || (glued && is_space(p->s[p->pos])))
		return t;
	size_t i = p->pos;
	size_t q;
	if (p->s[i] == '(' || p->s[i] == ')') {
		t.type = p->s[i] == '(' ? T_LPAREN : T_RPAREN;
		t.end = i + 1;
	} else if ((q = quote_at(p, i, false)) != 0) {
		size_t j = i + q, close = 0;
		while (j < p->len && (close = quote_at(p, j, true)) == 0)
			j++;
		if (j >= p->len) {
			fail(p, i, "unbalanced '\"'");
			return t;
		}
		t.type = T_QUOTED;
		t.val_start = i + q;
		t.val_end = j;
		t.end = j + close;
	} else {
		size_t j = i;
		while (!ends_word(p, j))
			j++;
		t.type = T_WORD;
		t.val_start = i;
		t.val_end = t.end = j;
		const char *colon = memchr(p->s + i, ':', j - i);
		if (!glued && word_is(p, i, j, "OR")) {
			t.type = T_OR;
		} else if (!glued && word_is(p, i, j, "AND")) {
			t.type = T_AND;
		} else if (!glued && word_is(p, i, j, "NOT")) {
			t.type = T_NOT;
		} else if (!glued && lex_near(p, i, j, &t)) {
			t.type = T_NEAR;
		} else if ((p->s[i] == '-' || p->s[i] == '+') && !ends_word(p, i + 1) &&
		           !is_space(p->s[i + 1])) {
			t.type = p->s[i] == '-' ? T_MINUS : T_PLUS;
			t.end = i + 1;
		} else if ((p->s[i] == '-' || p->s[i] == '+') && j == i + 1 && i + 1 < p->len &&
		           !is_space(p->s[i + 1])) {
			/* "-(" and "-\"" */
			t.type = p->s[i] == '-' ? T_MINUS : T_PLUS;
		} else if (colon) {
			lex_field(p, i, (size_t)(colon - p->s), &t);
		}
	}
	if (failed(p))
		return t;
	p->pos = t.end;
	if (t.type == T_FIELD || t.type == T_MINUS || t.type == T_PLUS)
		p->glued = true;
	return t;
}

static tok *peek(parser *p)
{
	if (!p->have_cur) {
		p->cur = lex(p);
		p->have_cur = true;
	}
	return &p->cur;
}

static tok next(parser *p)
{
	tok t = *peek(p);
	p->have_cur = false;
	return t;
}

/* ---- nodes ---- */

static ng_qnode *node(parser *p, ng_qkind kind, ng_qfield field, size_t start, size_t end)
{
	ng_qnode *n = ng_arena_alloc(p->arena, sizeof(*n));
	if (!n)
		return nomem(p);
	memset(n, 0, sizeof(*n));
	n->kind = kind;
	n->field = field;
	n->start = start;
	n->end = end;
	return n;
}

static ng_qnode *with_kids(parser *p, ng_qnode *n, ng_qnode **kids, size_t nkids)
{
	if (!n)
		return NULL;
	n->kids = ng_arena_alloc(p->arena, nkids * sizeof(*kids));
	if (!n->kids)
		return nomem(p);
	memcpy(n->kids, kids, nkids * sizeof(*kids));
	n->nkids = nkids;
	return n;
}

/* Collects tokens into an arena array. */
typedef struct term_list {
	parser *p;
	ng_qterm *v;
	size_t n, cap;
} term_list;

static bool on_token(void *ctx, const ng_token *tok)
{
	term_list *l = ctx;
	ng_qterm *v = ng_arena_grow(l->p->arena, l->v, l->n, &l->cap, sizeof(*v), 8);
	if (!v)
		return false;
	l->v = v;
	char *text = ng_arena_strndup(l->p->arena, tok->term, tok->len);
	if (!text)
		return false;
	l->v[l->n++] = (ng_qterm){text, tok->len, tok->stemmable, tok->kind == NG_TOKEN_CJK,
	                          tok->acronym_plural};
	return true;
}

static bool tokenize(parser *p, size_t start, size_t end, term_list *out)
{
	*out = (term_list){.p = p};
	if (ng_tokenize(p->tokenizer, p->s + start, end - start, on_token, out) != NG_PASS_DONE) {
		nomem(p);
		return false;
	}
	return true;
}

/* ---- field values ---- */

/* site: a host, or a URL whose host is taken: lower case, no "www.". */
static ng_qnode *site_value(parser *p, size_t start, size_t end)
{
	size_t n = end - start;
	char buf[300];
	if (n >= sizeof(buf) - 10)
		return fail(p, start, "site: value is too long");
	memcpy(buf, p->s + start, n);
	buf[n] = '\0';
	char host[256];
	const char *h = buf;
	if (!strstr(buf, "://")) {
		/* ng_url_host wants a URL: make the host one. */
		char url[sizeof(buf) + 10];
		snprintf(url, sizeof(url), "http://%s", buf);
		if (!ng_url_host(url, host, sizeof(host)))
			return fail(p, start, "site: needs a domain, as in site:wsj.com");
	} else if (!ng_url_host(h, host, sizeof(host))) {
		return fail(p, start, "site: needs a domain, as in site:wsj.com");
	}
	ng_qnode *v = node(p, NG_Q_VALUE, NG_QF_SITE, start, end);
	if (v && !(v->value = ng_arena_strndup(p->arena, host, strlen(host))))
		return nomem(p);
	return v;
}

/* topic:, type: the whole value folded; a trailing '*' makes a wildcard. */
static ng_qnode *folded_value(parser *p, ng_qfield field, size_t start, size_t end, bool quoted)
{
	bool wildcard = !quoted && end > start && p->s[end - 1] == '*';
	ng_buf folded = {0};
	if (!ng_fold_value(p->s + start, end - start - wildcard, &folded)) {
		ng_buf_release(&folded);
		return nomem(p);
	}
	/* Trim: values are indexed trimmed. */
	const char *v = folded.data;
	size_t n = folded.len;
	while (n && is_space(*v))
		v++, n--;
	while (n && is_space(v[n - 1]))
		n--;
	ng_qnode *q = NULL;
	if (n == 0) {
		fail(p, start, "%s: needs a value", ng_qfield_name(field));
	} else if ((q = node(p, wildcard ? NG_Q_WILDCARD : NG_Q_VALUE, field, start, end))) {
		char *copy = ng_arena_strndup(p->arena, v, n);
		if (!copy) {
			q = nomem(p);
		} else if (wildcard) {
			q->terms = ng_arena_alloc(p->arena, sizeof(*q->terms));
			if (!q->terms)
				q = nomem(p);
			else
				q->terms[0] = (ng_qterm){copy, n, false, false, false},
				q->nterms = 1;
		} else {
			q->value = copy;
		}
	}
	ng_buf_release(&folded);
	return q;
}

/* date:LO..HI, date:LO.., date:..HI or date:D (the whole of D). */
static ng_qnode *date_value(parser *p, size_t start, size_t end)
{
	const char *s = p->s + start;
	size_t n = end - start;
	const char *dots = NULL;
	for (size_t i = 0; i + 1 < n; i++)
		if (s[i] == '.' && s[i + 1] == '.') {
			dots = s + i;
			break;
		}
	ng_qnode *d = node(p, NG_Q_DATE, NG_QF_DATE, start, end);
	if (!d)
		return NULL;
	size_t lo_len = dots ? (size_t)(dots - s) : n;
	const char *hi = dots ? dots + 2 : s;
	size_t hi_len = dots ? n - lo_len - 2 : n;
	if (lo_len) {
		if (!ng_date_parse_user(s, lo_len, false, p->now, &d->lo))
			return fail(p, start,
			            "date: cannot read '%.*s' (use YYYY, YYYY-MM, YYYY-MM-DD, "
			            "7d, 2w, 3m, 1y, today or yesterday)",
			            (int)(lo_len > 40 ? 40 : lo_len), s);
		d->has_lo = true;
	}
	if (hi_len) {
		if (!ng_date_parse_user(hi, hi_len, true, p->now, &d->hi))
			return fail(p, (size_t)(hi - p->s),
			            "date: cannot read '%.*s' (use YYYY, YYYY-MM, YYYY-MM-DD, "
			            "7d, 2w, 3m, 1y, today or yesterday)",
			            (int)(hi_len > 40 ? 40 : hi_len), hi);
		d->has_hi = true;
	}
	if (!d->has_lo && !d->has_hi)
		return fail(p, start, "date: needs a date or a range, as in date:2023-05..2023-12");
	if (d->has_lo && d->has_hi && d->lo > d->hi)
		return fail(p, start, "date: the range is empty: it ends before it starts");
	return d;
}

/* The words of [start, end) into *l; an error for a word the index
 * cannot have, so that a query is never quietly one that matches nothing. */
static bool words_of(parser *p, size_t start, size_t end, term_list *l)
{
	if (!tokenize(p, start, end, l))
		return false;
	size_t ls, le;
	if (ng_tokenizer_long_word(p->tokenizer, &ls, &le)) {
		/* Show its start, cut at a character boundary. */
		size_t show = le - ls > 20 ? 20 : le - ls;
		while (show < le - ls && ((unsigned char)p->s[start + ls + show] & 0xC0) == 0x80)
			show--;
		fail(p, start + ls,
		     "the word '%.*s%s' is too long to search for: the index leaves out words of "
		     "more than %d bytes",
		     (int)show, p->s + start + ls, show < le - ls ? "..." : "", NG_TERM_MAX);
		return false;
	}
	return true;
}

/* A word or phrase of text in `field`; NULL without error when it has no
 * words at all (punctuation alone), which the caller skips. */
static ng_qnode *text_value(parser *p, ng_qfield field, size_t start, size_t end, bool quoted,
                            bool *empty)
{
	*empty = false;
	bool wildcard = !quoted && end > start && p->s[end - 1] == '*';
	if (wildcard && end - 1 == start) {
		if (field != NG_QF_TEXT)
			return fail(p, start,
			            "%s:* is not supported; use '*' alone for every article",
			            ng_qfield_name(field));
		return node(p, NG_Q_ALL, field, start, end);
	}
	/* "ch*ps" and "*chips" would otherwise quietly become other words. */
	for (size_t i = start; !quoted && i < end - wildcard; i++)
		if (p->s[i] == '*')
			return fail(p, i,
			            "'*' is a wildcard only at the end of a word, as in semicond*; "
			            "put the word in quotes to search for its letters");
	term_list l;
	if (!words_of(p, start, end - wildcard, &l))
		return NULL;
	if (wildcard) {
		if (l.n != 1 || l.v[0].cjk)
			return fail(p, start,
			            "a wildcard needs one word before the '*', as in semicond*");
		ng_qnode *w = node(p, NG_Q_WILDCARD, field, start, end);
		if (w)
			w->terms = l.v, w->nterms = 1;
		return w;
	}
	if (l.n == 0) {
		*empty = true;
		return NULL;
	}
	ng_qnode *w = node(p, quoted ? NG_Q_PHRASE : NG_Q_WORDS, field, start, end);
	if (w)
		w->terms = l.v, w->nterms = l.n;
	return w;
}

/* path: a folder as typed; query.c finds where it is (the index's
 * roots, the current directory). */
static ng_qnode *path_value(parser *p, size_t start, size_t end)
{
	if (memchr(p->s + start, '\0', end - start))
		return fail(p, start, "path: cannot hold a NUL byte");
	ng_qnode *v = node(p, NG_Q_VALUE, NG_QF_PATH, start, end);
	if (v && !(v->value = ng_arena_strndup(p->arena, p->s + start, end - start)))
		return nomem(p);
	return v;
}

/* The value after "field:" (already consumed as `ft`); "field:(" is
 * handled by primary(). */
static ng_qnode *field_value(parser *p, const tok *ft, ng_qfield outer)
{
	ng_qfield f = ft->field;
	if (outer != NG_QF_TEXT)
		return fail(p, ft->start, "fields cannot be nested ('%s:' inside '%s:(...)')",
		            ng_qfield_name(f), ng_qfield_name(outer));
	tok *t = peek(p);
	if (failed(p))
		return NULL;
	if (t->type != T_WORD && t->type != T_QUOTED)
		return fail(p, ft->start, "'%s:' needs a value right after the colon",
		            ng_qfield_name(f));
	tok v = next(p);
	bool quoted = v.type == T_QUOTED;
	bool empty;
	ng_qnode *n;
	switch (ng_schema_query_field(f)->syntax) {
	case NG_QS_SITE:
		return site_value(p, v.val_start, v.val_end);
	case NG_QS_FOLDED:
		return folded_value(p, f, v.val_start, v.val_end, quoted);
	case NG_QS_DATE:
		return date_value(p, v.val_start, v.val_end);
	case NG_QS_PATH:
		if (v.val_start == v.val_end)
			return fail(p, v.start, "'%s:' needs a folder, as in path:ai",
			            ng_qfield_name(f));
		return path_value(p, v.val_start, v.val_end);
	default:
		n = text_value(p, f, v.val_start, v.val_end, quoted, &empty);
		if (empty)
			return fail(p, v.start, "'%s:' has no word to search for",
			            ng_qfield_name(f));
		return n;
	}
}

/* ---- grammar ---- */

static ng_qnode *or_expr(parser *p, ng_qfield field);

/* The rest of a group whose '(' is `open`, every word in `field`. */
static ng_qnode *group(parser *p, const tok *open, ng_qfield field)
{
	if (++p->depth > MAX_DEPTH)
		return fail(p, open->start, "too many nested parentheses");
	ng_qnode *inner = or_expr(p, field);
	p->depth--;
	if (failed(p))
		return NULL;
	tok close = next(p);
	if (failed(p))
		return NULL;
	if (close.type != T_RPAREN)
		return fail(p, open->start, "unbalanced '('");
	/* "()" (as in a pasted "Print() screens") is nothing: NULL. */
	return inner;
}

/* Returns NULL with failed(p) for errors, NULL without it for a part that
 * has nothing to search for (punctuation), which the callers skip. */
static ng_qnode *primary(parser *p, ng_qfield field)
{
	tok t = next(p);
	if (failed(p))
		return NULL;
	switch (t.type) {
	case T_LPAREN:
		return group(p, &t, field);
	case T_FIELD: {
		tok *after = peek(p);
		if (failed(p))
			return NULL;
		if (after->type == T_LPAREN) {
			tok open = next(p);
			if (field != NG_QF_TEXT)
				return fail(p, t.start,
				            "fields cannot be nested ('%s:' inside '%s:(...)')",
				            ng_qfield_name(t.field), ng_qfield_name(field));
			if (ng_schema_query_field(t.field)->syntax == NG_QS_DATE)
				return fail(p, t.start, "date: takes one range, not parentheses");
			ng_qnode *inner = group(p, &open, t.field);
			if (!inner && !failed(p))
				return fail(p, t.start, "'%s:' has no word to search for",
				            ng_qfield_name(t.field));
			return inner;
		}
		return field_value(p, &t, field);
	}
	case T_QUOTED:
	case T_WORD: {
		bool empty;
		size_t s = t.type == T_QUOTED ? t.val_start : t.start;
		size_t e = t.type == T_QUOTED ? t.val_end : t.end;
		switch (ng_schema_query_field(field)->syntax) {
		case NG_QS_SITE:
			return site_value(p, s, e);
		case NG_QS_FOLDED:
			return folded_value(p, field, s, e, t.type == T_QUOTED);
		case NG_QS_DATE:
			return date_value(p, s, e);
		case NG_QS_PATH:
			return s == e ? fail(p, t.start, "path: needs a folder, as in path:ai")
			              : path_value(p, s, e);
		default:
			return text_value(p, field, s, e, t.type == T_QUOTED, &empty);
		}
	}
	case T_END:
		return fail(p, t.start, "the query ends where a word was expected");
	case T_RPAREN:
		return fail(p, t.start, "unbalanced ')'");
	default:
		return fail(p, t.start, "'%.*s' needs a word before it", (int)(t.end - t.start),
		            p->s + t.start);
	}
}

static ng_qnode *near_expr(parser *p, ng_qfield field)
{
	size_t start = peek(p)->start;
	ng_qnode *first = primary(p, field);
	if (failed(p) || peek(p)->type != T_NEAR || failed(p))
		return first;
	ng_qnode *kids[64];
	size_t n = 0;
	unsigned distance = 0;
	ng_qnode *cur = first;
	size_t cur_start = start;
	for (;;) {
		/* Only a field whose own terms have positions. */
		if (!cur || cur->kind != NG_Q_WORDS || cur->nterms != 1 || cur->terms[0].cjk ||
		    !(ng_schema_query_field(cur->field)->flags & NG_SF_POSITIONS))
			return fail(p, cur_start,
			            "NEAR joins single words, as in chip NEAR/3 export");
		if (n && cur->field != kids[0]->field)
			return fail(p, cur_start, "NEAR joins words of one field");
		if (n == sizeof(kids) / sizeof(kids[0]))
			return fail(p, cur_start, "NEAR joins at most 64 words");
		kids[n++] = cur;
		tok *t = peek(p);
		if (failed(p))
			return NULL;
		if (t->type != T_NEAR)
			break;
		tok op = next(p);
		if (op.distance > distance)
			distance = op.distance;
		cur_start = peek(p)->start;
		if (failed(p))
			return NULL;
		cur = primary(p, field);
		if (failed(p))
			return NULL;
	}
	ng_qnode *near = node(p, NG_Q_NEAR, kids[0]->field, start, kids[n - 1]->end);
	if (near)
		near->distance = distance;
	return with_kids(p, near, kids, n);
}

/* Parses one unary; *negated says whether it is excluded. */
static ng_qnode *unary(parser *p, ng_qfield field, bool *negated)
{
	tok *t = peek(p);
	if (failed(p))
		return NULL;
	if (t->type == T_NOT || t->type == T_MINUS || t->type == T_PLUS) {
		tok op = next(p);
		if (++p->depth > MAX_DEPTH)
			return fail(p, op.start, "too many nested operators");
		tok *after = peek(p);
		if (failed(p))
			return NULL;
		if (after->type == T_END || after->type == T_RPAREN || after->type == T_OR ||
		    after->type == T_AND)
			return fail(p, op.start, "'%.*s' needs a word after it",
			            (int)(op.end - op.start), p->s + op.start);
		bool inner_negated = false;
		ng_qnode *n = unary(p, field, &inner_negated);
		p->depth--;
		*negated = (op.type != T_PLUS) != inner_negated;
		return n;
	}
	*negated = false;
	return near_expr(p, field);
}

static ng_qnode *collect(parser *p, ng_qkind kind, ng_qnode **v, size_t n, size_t start, size_t end)
{
	if (n == 1)
		return v[0];
	return with_kids(p, node(p, kind, NG_QF_TEXT, start, end), v, n);
}

/* A growable array of nodes in the arena. */
typedef struct node_list {
	ng_qnode **v;
	size_t n, cap;
} node_list;

static bool push(parser *p, node_list *l, ng_qnode *n)
{
	ng_qnode **v = ng_arena_grow(p->arena, l->v, l->n, &l->cap, sizeof(*v), 8);
	if (!v) {
		nomem(p);
		return false;
	}
	l->v = v;
	l->v[l->n++] = n;
	return true;
}

static bool starts_unary(tok_type t)
{
	return t != T_END && t != T_RPAREN && t != T_OR;
}

static ng_qnode *and_expr(parser *p, ng_qfield field)
{
	node_list pos = {0}, neg = {0};
	size_t start = peek(p)->start, end = start;
	bool first = true;
	for (;;) {
		tok *t = peek(p);
		if (failed(p))
			return NULL;
		if (!starts_unary(t->type))
			break;
		if (t->type == T_AND) {
			tok op = next(p);
			if (first)
				return fail(p, op.start, "'AND' needs a word before it");
			tok *after = peek(p);
			if (failed(p))
				return NULL;
			if (!starts_unary(after->type) || after->type == T_AND)
				return fail(p, op.start, "'AND' needs a word after it");
			continue;
		}
		bool negated;
		ng_qnode *n = unary(p, field, &negated);
		if (failed(p))
			return NULL;
		first = false;
		end = p->pos;
		if (n && !push(p, negated ? &neg : &pos, n))
			return NULL;
	}
	if (pos.n == 0 && neg.n == 0)
		return NULL;
	ng_qnode *yes = pos.n ? collect(p, NG_Q_AND, pos.v, pos.n, start, end)
	                      : node(p, NG_Q_ALL, NG_QF_TEXT, start, start);
	if (!yes || neg.n == 0)
		return yes;
	ng_qnode *no = collect(p, NG_Q_OR, neg.v, neg.n, start, end);
	ng_qnode *both[2] = {yes, no};
	return no ? with_kids(p, node(p, NG_Q_AND_NOT, NG_QF_TEXT, start, end), both, 2) : NULL;
}

static ng_qnode *or_expr(parser *p, ng_qfield field)
{
	node_list alts = {0};
	size_t start = peek(p)->start;
	if (failed(p))
		return NULL;
	if (peek(p)->type == T_OR)
		return fail(p, start, "'OR' needs a word before it");
	for (;;) {
		ng_qnode *n = and_expr(p, field);
		if (failed(p))
			return NULL;
		if (n && !push(p, &alts, n))
			return NULL;
		tok *t = peek(p);
		if (failed(p))
			return NULL;
		if (t->type != T_OR)
			break;
		tok op = next(p);
		tok *after = peek(p);
		if (failed(p))
			return NULL;
		if (!starts_unary(after->type) || after->type == T_AND)
			return fail(p, op.start, "'OR' needs a word after it");
	}
	if (alts.n == 0)
		return NULL;
	return collect(p, NG_Q_OR, alts.v, alts.n, start, p->pos);
}

ng_qnode *ng_qparse(const char *text, size_t len, ng_tokenizer *tokenizer, ng_arena *arena,
                    int64_t now, ng_qerror *err)
{
	parser p = {
	    .s = text, .len = len, .tokenizer = tokenizer, .arena = arena, .now = now, .err = err};
	err->status = NEWSGREP_OK;
	err->offset = 0;
	err->message[0] = '\0';
	size_t i = 0;
	while (i < len && is_space(text[i]))
		i++;
	if (i == len)
		return fail(&p, 0, "the query is empty");
	ng_qnode *root = or_expr(&p, NG_QF_TEXT);
	if (failed(&p))
		return NULL;
	tok t = next(&p);
	if (failed(&p))
		return NULL;
	if (t.type == T_RPAREN)
		return fail(&p, t.start, "unbalanced ')'");
	if (t.type != T_END)
		return fail(&p, t.start, "unexpected '%.*s'", (int)(t.end - t.start),
		            text + t.start);
	if (!root)
		return fail(&p, i, "the query has no words to search for (only punctuation)");
	return root;
}

ng_qnode *ng_qparse_fixed(const char *text, size_t len, ng_tokenizer *tokenizer, ng_arena *arena,
                          ng_qerror *err)
{
	parser p = {.s = text, .len = len, .tokenizer = tokenizer, .arena = arena, .err = err};
	err->status = NEWSGREP_OK;
	err->offset = 0;
	err->message[0] = '\0';
	node_list words = {0};
	size_t i = 0, first = len;
	while (i < len) {
		while (i < len && is_space(text[i]))
			i++;
		size_t j = i;
		while (j < len && !is_space(text[j]))
			j++;
		if (j == i)
			break;
		first = first < i ? first : i;
		/* Each part between spaces is what a bare word is, but for its
		 * punctuation: several words in it ("GPU-based") are a phrase. */
		term_list l;
		if (!words_of(&p, i, j, &l))
			return NULL;
		ng_qnode *w = l.n ? node(&p, NG_Q_WORDS, NG_QF_TEXT, i, j) : NULL;
		if (w)
			w->terms = l.v, w->nterms = l.n;
		if (failed(&p) || (w && !push(&p, &words, w)))
			return NULL;
		i = j;
	}
	if (first == len)
		return fail(&p, 0, "the query is empty");
	if (words.n == 0)
		return fail(&p, first, "the query has no words to search for (only punctuation)");
	return collect(&p, NG_Q_AND, words.v, words.n, first, i);
}

void ng_qerror_format(const char *text, size_t len, const ng_qerror *err, char *buf, size_t cap)
{
	unsigned long line, column;
	ng_text_position(text, err->offset < len ? err->offset : len, &line, &column);
	ng_msg_set(buf, cap, "query:%lu:%lu: %s", line, column, err->message);
}

/* ---- the tree as text, for --explain and the tests ---- */

static bool put(ng_buf *b, const char *s)
{
	return ng_buf_append(b, s, strlen(s));
}

static bool put_terms(ng_buf *b, const ng_qnode *n, bool quote)
{
	bool ok = !quote || put(b, "\"");
	for (size_t i = 0; ok && i < n->nterms; i++)
		ok = (i == 0 || put(b, " ")) && ng_buf_append(b, n->terms[i].text, n->terms[i].len);
	return ok && (!quote || put(b, "\""));
}

static bool describe(const ng_qnode *n, ng_buf *b)
{
	char date[32];
	bool ok = true;
	if (n->field != NG_QF_TEXT && n->kind != NG_Q_AND && n->kind != NG_Q_OR &&
	    n->kind != NG_Q_AND_NOT && n->kind != NG_Q_NEAR && n->kind != NG_Q_ALL)
		ok = put(b, ng_qfield_name(n->field)) && put(b, ":");
	switch (n->kind) {
	case NG_Q_WORDS:
		return ok && put_terms(b, n, n->nterms > 1);
	case NG_Q_PHRASE:
		return ok && put_terms(b, n, true);
	case NG_Q_WILDCARD:
		return ok && put_terms(b, n, false) && put(b, "*");
	case NG_Q_ALL:
		return put(b, "*");
	case NG_Q_VALUE:
		if (strchr(n->value, ' '))
			return ok && put(b, "\"") && put(b, n->value) && put(b, "\"");
		return ok && put(b, n->value);
	case NG_Q_DATE:
		if (ok && n->has_lo) {
			ng_date_format_iso8601(n->lo, date, sizeof(date));
			ok = put(b, date);
		}
		ok = ok && put(b, "..");
		if (ok && n->has_hi) {
			ng_date_format_iso8601(n->hi, date, sizeof(date));
			ok = put(b, date);
		}
		return ok;
	case NG_Q_NEAR:
	case NG_Q_AND:
	case NG_Q_OR:
	case NG_Q_AND_NOT:
		break;
	}
	char op[32];
	snprintf(op, sizeof(op), " %s ",
	         n->kind == NG_Q_AND       ? "AND"
	         : n->kind == NG_Q_OR      ? "OR"
	         : n->kind == NG_Q_AND_NOT ? "AND NOT"
	                                   : "NEAR/");
	if (n->kind == NG_Q_NEAR)
		snprintf(op, sizeof(op), " NEAR/%u ", n->distance);
	ok = put(b, "(");
	for (size_t i = 0; ok && i < n->nkids; i++)
		ok = (i == 0 || put(b, op)) && describe(n->kids[i], b);
	return ok && put(b, ")");
}

bool ng_qnode_describe(const ng_qnode *n, ng_buf *out)
{
	out->len = 0;
	return describe(n, out) && ng_buf_append(out, "", 1) && (out->len--, true);
}
