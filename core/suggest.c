/*
 * suggest.c - "did you mean": a query with its misspelt words corrected
 * from the index's spelling dictionary (filled by the indexer from titles
 * and excerpts), offered only when the corrected query finds something.
 */
#include <stdlib.h>
#include <string.h>

#include "ng.h"
#include "ngx.h"

#define MAX_EDITS 2

typedef struct corrector {
	newsgrep_db_t *db;
	const char *text;
	ng_buf out;
	size_t copied; /* text[0..copied) is in out */
	bool changed, failed;
	ngx_error err;
} corrector;

/* Replaces a plain word with its correction, if there is one. */
static void correct(corrector *c, const ng_qnode *n)
{
	if (n->kind != NG_Q_WORDS || n->nterms != 1 || !n->terms[0].stemmable || n->terms[0].cjk ||
	    (n->field != NG_QF_TEXT && n->field != NG_QF_TITLE && n->field != NG_QF_EXCERPT &&
	     n->field != NG_QF_RELATED))
		return;
	char *fix = NULL;
	if (ngx_db_spelling_suggestion(c->db->x, n->terms[0].text, n->terms[0].len, MAX_EDITS, &fix,
	                               &c->err) != NGX_OK) {
		c->failed = true;
		return;
	}
	if (*fix && strcmp(fix, n->terms[0].text) != 0 && n->start >= c->copied) {
		if (!ng_buf_append(&c->out, c->text + c->copied, n->start - c->copied) ||
		    !ng_buf_append(&c->out, fix, strlen(fix)))
			c->failed = true;
		c->copied = n->end;
		c->changed = true;
	}
	free(fix);
}

static void walk(corrector *c, const ng_qnode *n)
{
	for (size_t i = 0; i < n->nkids && !c->failed; i++)
		if (n->kind != NG_Q_NEAR)
			walk(c, n->kids[i]);
	if (!c->failed)
		correct(c, n);
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
	corrector c = {.db = db, .text = query};
	ng_qnode *root = opts->fixed_strings ? ng_qparse_fixed(query, len, db->tok, &arena, &perr)
	                                     : ng_qparse(query, len, db->tok, &arena, 0, &perr);
	if (!root) {
		ng_arena_release(&arena);
		char msg[300];
		ng_qerror_format(query, len, &perr, msg, sizeof(msg));
		return ng_db_fail(db, NEWSGREP_BAD_QUERY, msg, NULL);
	}
	walk(&c, root);
	ng_arena_release(&arena);
	if (!c.failed && c.changed &&
	    !(ng_buf_append(&c.out, query + c.copied, len - c.copied) &&
	      ng_buf_append(&c.out, "", 1)))
		c.failed = true;
	if (c.failed) {
		ng_buf_release(&c.out);
		return c.err.code != NGX_OK ? ng_db_fail(db, ng_status_from_ngx(c.err.code),
		                                         "cannot look up spellings", c.err.message)
		                            : ng_db_fail(db, NEWSGREP_NOMEM, "out of memory", NULL);
	}
	if (!c.changed)
		return NEWSGREP_DONE;
	/* Only worth saying when the corrected query finds something. */
	newsgrep_search_options_t o = *opts;
	o.limit = 1;
	o.offset = 0;
	o.no_snippets = 1;
	o.facets = 0;
	newsgrep_hits_t *hits;
	st = newsgrep_search(&hits, db, c.out.data, &o);
	const newsgrep_hit_t *hit;
	bool found = st == NEWSGREP_OK && newsgrep_hits_next(hits, &hit) == NEWSGREP_OK;
	if (st == NEWSGREP_OK)
		newsgrep_hits_free(hits);
	if (!found) {
		ng_buf_release(&c.out);
		return NEWSGREP_DONE;
	}
	*out = c.out.data;
	return NEWSGREP_OK;
}
