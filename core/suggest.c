/*
 * suggest.c - "did you mean": a query with its misspelt words corrected
 * from the index's spelling dictionary (filled by the indexer from titles
 * and excerpts), offered only when the corrected query finds something.
 *
 * The corrections are chosen for the whole query: each word the index
 * lacks has several (spelling.cc: every dictionary word one edit away, and
 * Xapian's best within two), and the combinations are searched, fewest
 * edits first, until one finds something.  So "explained caos" becomes
 * "explained chaos", not a closer word that finds nothing beside
 * "explained".  A stopword is never a correction ("froum" is not "from").
 */
#include <stdlib.h>
#include <string.h>

#include "ng.h"
#include "ngx.h"
#include "schema.h"

#define MAX_EDITS 2
/* Corrections weighed per misspelt word. */
#define CANDIDATES 6
/* Queries with more words than this get no suggestion: it would cost a
 * dictionary walk per word, and a line nobody reads. */
#define MAX_WORDS 32
/* Misspelt words corrected together, at most. */
#define MAX_MISSPELT 8
/* Corrected queries searched, at most, before giving up. */
#define MAX_TRIES 40

/* Words too common to be what someone meant by a misspelling ("froum" is
 * not "from"): a correction to one of them is never offered.  The English
 * stopwords of Snowball's list, and a few more as common.  Sorted. */
static const char *const stopwords[] = {
    "a",      "about",  "above", "after", "again",   "against",  "all",        "am",
    "an",     "and",    "any",   "are",   "as",      "at",       "be",         "because",
    "been",   "before", "being", "below", "between", "both",     "but",        "by",
    "can",    "could",  "did",   "do",    "does",    "doing",    "down",       "during",
    "each",   "few",    "for",   "from",  "further", "had",      "has",        "have",
    "having", "he",     "her",   "here",  "hers",    "herself",  "him",        "himself",
    "his",    "how",    "i",     "if",    "in",      "into",     "is",         "it",
    "its",    "itself", "just",  "me",    "more",    "most",     "my",         "myself",
    "no",     "nor",    "not",   "now",   "of",      "off",      "on",         "once",
    "only",   "or",     "other", "ought", "our",     "ours",     "ourselves",  "out",
    "over",   "own",    "same",  "she",   "should",  "so",       "some",       "such",
    "than",   "that",   "the",   "their", "theirs",  "them",     "themselves", "then",
    "there",  "these",  "they",  "this",  "those",   "through",  "to",         "too",
    "under",  "until",  "up",    "very",  "was",     "we",       "were",       "what",
    "when",   "where",  "which", "while", "who",     "whom",     "why",        "will",
    "with",   "would",  "you",   "your",  "yours",   "yourself", "yourselves",
};

static int compare_words(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

bool ng_stopword(const char *w)
{
	return bsearch(&w, stopwords, sizeof(stopwords) / sizeof(*stopwords), sizeof(*stopwords),
	               compare_words) != NULL;
}

/* A misspelt word of the query and what it could have meant. */
typedef struct misspelt {
	size_t start, end; /* in the query's text */
	char *fix[CANDIDATES];
	unsigned edits[CANDIDATES];
	size_t nfix;
} misspelt;

typedef struct corrector {
	newsgrep_db_t *db;
	misspelt words[MAX_MISSPELT];
	size_t nwords;
	bool too_many;
	ngx_error err;
	ng_error error; /* NEWSGREP_OK: none */
} corrector;

/* Collects a plain word the index lacks, with its corrections. */
static void collect(corrector *c, const ng_qnode *n)
{
	if (n->kind != NG_Q_WORDS || n->nterms != 1 || !n->terms[0].stemmable || n->terms[0].cjk ||
	    !(ng_schema_query_field(n->field)->flags & NG_SF_SHOWN))
		return;
	ngx_spelling *v;
	size_t nv;
	if (ngx_db_spelling_candidates(c->db->x, n->terms[0].text, n->terms[0].len, MAX_EDITS,
	                               CANDIDATES * 2, &v, &nv, &c->err) != NGX_OK) {
		ng_error_from_ngx(&c->error, "cannot look up spellings", &c->err);
		return;
	}
	if (nv && c->nwords == MAX_MISSPELT)
		c->too_many = true;
	misspelt *m = nv && !c->too_many ? &c->words[c->nwords] : NULL;
	for (size_t i = 0; m && i < nv && m->nfix < CANDIDATES; i++) {
		if (ng_stopword(v[i].word))
			continue;
		m->edits[m->nfix] = v[i].edits;
		m->fix[m->nfix++] = v[i].word;
		v[i].word = NULL; /* now m's */
	}
	if (m && m->nfix) {
		m->start = n->start;
		m->end = n->end;
		c->nwords++;
	}
	ngx_spellings_free(v, nv);
}

static void walk(corrector *c, const ng_qnode *n)
{
	for (size_t i = 0; i < n->nkids && c->error.status == NEWSGREP_OK; i++)
		if (n->kind != NG_Q_NEAR)
			walk(c, n->kids[i]);
	if (c->error.status == NEWSGREP_OK && n->nkids == 0)
		collect(c, n);
}

/* Adds up the words of the tree. */
static void count_words(const ng_qnode *n, size_t *words)
{
	*words += n->nterms;
	for (size_t i = 0; i < n->nkids; i++)
		count_words(n->kids[i], words);
}

/* A combination: which correction of each misspelt word (pick[i] indexes
 * words[i].fix), and from which word on its successors may change. */
typedef struct combo {
	unsigned char pick[MAX_MISSPELT];
	unsigned char from;
	unsigned cost;
} combo;

/* Fewest edits in all first, then the corrections ranked best. */
static unsigned cost_of(const corrector *c, const unsigned char *pick)
{
	unsigned edits = 0, ranks = 0;
	for (size_t i = 0; i < c->nwords; i++) {
		edits += c->words[i].edits[pick[i]];
		ranks += pick[i];
	}
	return edits * 64 + ranks;
}

/* `query` with the combination's corrections, or false out of memory. */
static bool spell(const corrector *c, const char *query, size_t len, const combo *k, ng_buf *out)
{
	out->len = 0;
	size_t copied = 0;
	for (size_t i = 0; i < c->nwords; i++) {
		const misspelt *m = &c->words[i];
		const char *fix = m->fix[k->pick[i]];
		if (!ng_buf_append(out, query + copied, m->start - copied) ||
		    !ng_buf_append(out, fix, strlen(fix)))
			return false;
		copied = m->end;
	}
	return ng_buf_append(out, query + copied, len - copied) && ng_buf_append(out, "", 1);
}

/* Whether `query` finds anything. */
static newsgrep_status_t finds(newsgrep_db_t *db, const char *query,
                               const newsgrep_search_options_t *opts, bool *found)
{
	newsgrep_search_options_t o = *opts;
	o.limit = 1;
	o.offset = 0;
	o.no_snippets = 1;
	o.facets = 0;
	newsgrep_hits_t *hits;
	newsgrep_status_t st = newsgrep_search(&hits, db, query, &o);
	if (st != NEWSGREP_OK)
		return st;
	const newsgrep_hit_t *hit;
	st = newsgrep_hits_next(hits, &hit);
	newsgrep_hits_free(hits);
	*found = st == NEWSGREP_OK;
	return st == NEWSGREP_OK || st == NEWSGREP_DONE ? NEWSGREP_OK : st;
}

/* Tries the combinations cheapest first, each once (a combination's
 * successors each take the next correction of one word, at or after the
 * word its parent changed), until one finds something. */
static newsgrep_status_t search_combos(const corrector *c, newsgrep_db_t *db, const char *query,
                                       const newsgrep_search_options_t *opts, ng_buf *out)
{
	combo frontier[MAX_TRIES * MAX_MISSPELT + 1];
	size_t nfront = 1;
	size_t len = strlen(query);
	frontier[0] = (combo){.from = 0};
	frontier[0].cost = cost_of(c, frontier[0].pick);
	for (int tries = 0; tries < MAX_TRIES && nfront; tries++) {
		size_t best = 0;
		for (size_t i = 1; i < nfront; i++)
			if (frontier[i].cost < frontier[best].cost)
				best = i;
		combo k = frontier[best];
		frontier[best] = frontier[--nfront];
		if (!spell(c, query, len, &k, out))
			return NEWSGREP_NOMEM;
		bool found;
		newsgrep_status_t st = finds(db, out->data, opts, &found);
		if (st != NEWSGREP_OK && st != NEWSGREP_BAD_QUERY)
			return st;
		if (st == NEWSGREP_OK && found)
			return NEWSGREP_OK;
		for (size_t i = k.from; i < c->nwords; i++) {
			if (k.pick[i] + 1u >= c->words[i].nfix)
				continue;
			combo next = k;
			next.pick[i]++;
			next.from = (unsigned char)i;
			next.cost = cost_of(c, next.pick);
			frontier[nfront++] = next;
		}
	}
	return NEWSGREP_DONE;
}

newsgrep_status_t newsgrep_suggest(char **out, newsgrep_db_t *db, const char *query,
                                   const newsgrep_search_options_t *opts)
{
	if (!out)
		return NEWSGREP_INVALID_ARG;
	*out = NULL;
	newsgrep_search_options_t defaults;
	newsgrep_status_t st = ng_search_args(db, query, &opts, &defaults);
	if (st != NEWSGREP_OK)
		return st;
	st = ng_db_text_tools(db);
	if (st != NEWSGREP_OK)
		return st;
	ng_arena arena;
	ng_arena_init(&arena);
	ng_qerror perr;
	size_t len = strlen(query);
	ng_qnode *root = opts->fixed_strings ? ng_qparse_fixed(query, len, db->tok, &arena, &perr)
	                                     : ng_qparse(query, len, db->tok, &arena, 0, &perr);
	if (!root) {
		ng_arena_release(&arena);
		if (perr.status == NEWSGREP_NOMEM)
			return ng_db_fail(db, NEWSGREP_NOMEM, "out of memory", NULL);
		char msg[300];
		ng_qerror_format(query, len, &perr, msg, sizeof(msg));
		return ng_db_fail(db, NEWSGREP_BAD_QUERY, msg, NULL);
	}
	corrector c = {.db = db};
	size_t words = 0;
	count_words(root, &words);
	if (words <= MAX_WORDS)
		walk(&c, root);
	ng_arena_release(&arena);
	ng_buf fixed = {0};
	if (c.error.status != NEWSGREP_OK) {
		st = ng_db_error(db, &c.error);
	} else if (c.nwords == 0 || c.too_many) {
		st = NEWSGREP_DONE;
	} else {
		st = search_combos(&c, db, query, opts, &fixed);
		if (st == NEWSGREP_NOMEM)
			st = ng_db_fail(db, NEWSGREP_NOMEM, "out of memory", NULL);
	}
	for (size_t i = 0; i < c.nwords; i++)
		for (size_t j = 0; j < c.words[i].nfix; j++)
			free(c.words[i].fix[j]);
	if (st != NEWSGREP_OK) {
		ng_buf_release(&fixed);
		return st;
	}
	*out = fixed.data;
	return NEWSGREP_OK;
}
