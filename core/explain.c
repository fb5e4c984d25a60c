/*
 * explain.c - how a query was understood, for people who wonder why
 * something did or did not match (newsgrep --explain).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ng.h"
#include "ngx.h"
#include "schema.h"

static bool put(ng_buf *b, const char *s)
{
	return ng_buf_append(b, s, strlen(s));
}

static bool put_date(ng_buf *b, const char *label, bool has, int64_t t)
{
	if (!has)
		return true;
	char date[32];
	ng_date_format_iso8601(t, date, sizeof(date));
	return put(b, label) && put(b, date) && put(b, "\n");
}

static const char *sort_name(newsgrep_sort_t s)
{
	switch (s) {
	case NEWSGREP_SORT_NEWEST:
		return "newest first";
	case NEWSGREP_SORT_OLDEST:
		return "oldest first";
	default:
		return "relevance";
	}
}

static const char *how_name(ng_hl_match how)
{
	return how == NG_HL_STEM ? "stem" : how == NG_HL_PREFIX ? "prefix" : "word";
}

/* Where a query word is looked for: its field, or for words without one
 * the fields whose words are also indexed unprefixed ("title, excerpt,
 * related"). */
static void field_names(ng_qfield f, char *out, size_t cap)
{
	if (f != NG_QF_TEXT) {
		ng_msg_set(out, cap, "%s", ng_qfield_name(f));
		return;
	}
	size_t n = 0;
	out[0] = '\0';
	for (ng_field_id id = 0; id < NG_FIELD_COUNT; id++) {
		const ng_schema_row *r = ng_schema_field(id);
		if (r->flags & NG_SF_UNPREFIXED && n < cap)
			n += (size_t)snprintf(out + n, cap - n, "%s%s", n ? ", " : "", r->name);
	}
}

/* The list of prefixes under the Xapian query: each line after the first
 * indented as far as its text, none longer than this. */
#define LEGEND_INDENT 13
#define LEGEND_WIDTH 90

newsgrep_status_t newsgrep_explain(char **out, newsgrep_db_t *db, const char *query,
                                   const newsgrep_search_options_t *opts)
{
	if (!out)
		return NEWSGREP_INVALID_ARG;
	*out = NULL;
	newsgrep_search_options_t defaults;
	newsgrep_status_t st = ng_search_args(db, query, &opts, &defaults);
	if (st != NEWSGREP_OK)
		return st;
	/* The query as newsgrep_search runs it (with --like too). */
	newsgrep_search_options_t with_like;
	char *like;
	ng_query q;
	newsgrep_sort_t sort;
	st = ng_search_query(&q, &sort, db, query, &opts, &with_like, &like);
	ng_buf b = {0}, tree = {0};
	char *xapian = NULL;
	ngx_error err;
	if (st != NEWSGREP_OK)
		goto out;
	if (ngx_query_describe(q.xq, &xapian, &err) != NGX_OK) {
		st = ng_db_fail(db, ng_status_from_ngx(err.code), "cannot describe the query",
		                err.message);
		goto out;
	}
	bool ok = ng_qnode_describe(q.root, &tree) && put(&b, "query:      ") && put(&b, query) &&
	          put(&b, "\nparsed:     ") && put(&b, tree.data) && put(&b, "\n");
	for (size_t i = 0; ok && i < q.nhl; i++) {
		char line[400], where[100];
		field_names(q.hl[i].field, where, sizeof(where));
		ng_msg_set(line, sizeof(line), "%s%s %.*s in %s\n",
		           i ? "            " : "matches:    ", how_name(q.hl[i].how),
		           (int)q.hl[i].len, q.hl[i].term, where);
		ok = put(&b, line);
	}
	if (like)
		ok = ok && put(&b, "like:       ") && put(&b, like) &&
		     put(&b, "\n            its best words OR'd (the unprefixed terms below), less "
		             "it and its duplicates\n");
	ok = ok && put_date(&b, "since:      ", opts->has_since, opts->since) &&
	     put_date(&b, "until:      ", opts->has_until, opts->until) &&
	     put(&b, "order:      ") && put(&b, sort_name(sort)) &&
	     put(&b, opts->boost_recent && sort == NEWSGREP_SORT_RELEVANCE ? ", fresher boosted"
	                                                                   : "") &&
	     put(&b, opts->all_duplicates ? "\nduplicates: all shown\n"
	                                  : "\nduplicates: one per URL\n") &&
	     put(&b, "xapian:     ") && put(&b, xapian) && put(&b, "\n            ") &&
	     ng_schema_legend(&b, LEGEND_INDENT, LEGEND_WIDTH) && put(&b, "\n") &&
	     ng_buf_append(&b, "", 1);
	if (!ok) {
		st = ng_db_fail(db, NEWSGREP_NOMEM, "out of memory", NULL);
		goto out;
	}
	*out = b.data;
	b.data = NULL;
out:
	free(like);
	free(xapian);
	ng_buf_release(&b);
	ng_buf_release(&tree);
	ng_query_release(&q);
	return st;
}
