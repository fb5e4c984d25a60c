/*
 * schema.h - the one table of what a field is.
 *
 * Each row of the schema (schema.c) is one family of terms, or of values,
 * that the index holds: its prefix, how the indexer writes it, how a
 * query names and reads it, how --explain, snippets and facets call it.
 * The indexer (index.c), the query parser and compiler (qparse.c,
 * query.c), snippets (snippet.c), spelling suggestions (suggest.c),
 * facets (results.c) and --explain (explain.c) all read it.  Adding a
 * field is one row here and its tests; changing a row's prefix, flags or
 * weight changes the index format (NG_INDEX_FORMAT, ng.h).
 *
 * The stemming contract: a row with NG_SF_STEMS has, for each word that
 * is not its own stem, the term NG_PREFIX_STEM + prefix + stem (and
 * NG_PREFIX_STEM + stem too when it has NG_SF_UNPREFIXED); a query word in
 * that field is looked up by NG_PREFIX_STEM + prefix + its stem, beside
 * prefix + stem for the words that are their own stem.
 */
#ifndef NG_SCHEMA_H
#define NG_SCHEMA_H

#include "ng.h"

/* The rows, in the order of the table (which is the order the indexer
 * adds words in, so positions do not change, and the order --explain
 * lists prefixes in). */
typedef enum ng_field_id {
	NG_FIELD_TEXT, /* the unprefixed words of title, excerpt and related */
	NG_FIELD_STEM,
	NG_FIELD_TITLE,
	NG_FIELD_EXCERPT,
	NG_FIELD_RELATED,
	NG_FIELD_PROVIDER,
	NG_FIELD_DOMAIN,
	NG_FIELD_HOST,
	NG_FIELD_URL,
	NG_FIELD_TOPIC,
	NG_FIELD_TYPE,
	NG_FIELD_YEAR,
	NG_FIELD_MONTH,
	NG_FIELD_DAY,
	NG_FIELD_FOLDER,
	NG_FIELD_DATE,
	NG_FIELD_UID,
	NG_FIELD_ACRONYM,
	NG_FIELD_CAPITALS,
	NG_FIELD_URL_KEY,
	NG_FIELD_ARRIVAL,
	NG_FIELD_CHANGE,
	NG_FIELD_COUNT
} ng_field_id;

/* How the indexer writes a row. */
typedef enum ng_index_how {
	NG_IX_OTHER,  /* by code of its own (index.c, roots.c), or not at all */
	NG_IX_WORDS,  /* the words of each text, as the flags say */
	NG_IX_FOLDED, /* each whole value, folded (ng_fold_value), a filter term */
	NG_IX_AS_IS   /* each whole value as it is, a filter term */
} ng_index_how;

/* How a query reads the value after "name:" (qparse.c). */
typedef enum ng_query_syntax {
	NG_QS_NONE,   /* a query cannot name it */
	NG_QS_WORDS,  /* words, phrases, wildcards */
	NG_QS_FOLDED, /* the whole value, folded; a trailing '*' is a wildcard */
	NG_QS_SITE,   /* a domain or URL: every row of the field is looked up */
	NG_QS_DATE,   /* a date range */
	NG_QS_PATH    /* a folder as typed */
} ng_query_syntax;

/* Flags of NG_IX_WORDS rows (and of NG_FIELD_TEXT, which they feed). */
enum {
	NG_SF_UNPREFIXED = 1, /* its words also go unprefixed, with positions */
	NG_SF_POSITIONS = 2,  /* its own prefixed terms have positions */
	NG_SF_STEMS = 4,      /* stem terms (the contract above) */
	NG_SF_SPELLING = 8,   /* its words feed the spelling dictionary */
	NG_SF_SHOWN = 16,     /* the text a hit shows: highlighted, suggested */
	NG_SF_RANKS = 32      /* a query's words in it rank (else they filter) */
};

typedef struct ng_schema_row {
	ng_field_id id;
	/* The row's name: for the first row of a field a query names, the
	 * query language's ("title", "site"); a label for the others ("host",
	 * "stem").  Snippets list a match in "title", "excerpt" or
	 * "related[N]" by it. */
	const char *name;
	/* The query field that looks it up (NG_QF_NONE: none).  Its first
	 * row names it and has its syntax; any other row of the field (the
	 * URL's host, beside the provider's domain, for site:) has
	 * NG_QS_NONE and is looked up with it. */
	ng_qfield qfield;
	const char *alias; /* another name a query may give, or NULL */
	ng_query_syntax syntax;
	const char *prefix; /* "" for none */
	ng_index_how index;
	unsigned flags;   /* NG_SF_* */
	uint32_t wdf;     /* how much a word counts per occurrence */
	int slot;         /* the value slot it keeps, or -1 */
	const char *what; /* for --explain's list of prefixes; NULL: not listed */
	/* For NG_IX_* rows other than OTHER: the number of texts of the
	 * article, and the i-th one (NULL or "" for none), which may be put
	 * in buf (cap bytes). */
	size_t (*count)(const ng_article *a);
	const char *(*text)(const ng_article *a, size_t i, char *buf, size_t cap);
} ng_schema_row;

/* The row `id`; NULL for an id out of range. */
const ng_schema_row *ng_schema_field(ng_field_id id);
/* The row a query names name[0..len) (case-insensitive; its name or
 * alias), or NULL when no field has that name. */
const ng_schema_row *ng_schema_field_by_name(const char *name, size_t len);
/* The first row of query field f: the one that names it (NG_FIELD_TEXT
 * for NG_QF_TEXT). */
const ng_schema_row *ng_schema_query_field(ng_qfield f);
/* The prefix of the terms with positions that a phrase in query field f
 * is matched on ("" for the unprefixed words), or NULL when its words
 * have no positions at all. */
const char *ng_schema_positional_prefix(ng_qfield f);
/* --explain's list of prefixes: "Z stem, S title, ..., VALUE_RANGE 0
 * date", each line after the first indented by `indent` spaces and none
 * longer than `width` bytes.  False when out of memory. */
bool ng_schema_legend(ng_buf *out, size_t indent, size_t width);

#endif /* NG_SCHEMA_H */
