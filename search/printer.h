/*
 * printer.h - how newsgrep writes what it found; one file per format.
 */
#ifndef NEWSGREP_PRINTER_H
#define NEWSGREP_PRINTER_H

#include <stdbool.h>
#include <stdio.h>

#include "newsgrep.h"

struct template;
struct atom_feed;

/* What every printer may need to know. */
typedef struct print_opts {
	bool color;                  /* ANSI colours and bold */
	char end;                    /* ends a record of -l and --format: '\n' or '\0' */
	const struct template *tmpl; /* --format */
	/* Standard output is a terminal, not -0: -l and --format show what a
	 * terminal would obey as escapes (safetext.h), as ls quotes names. */
	bool tty;
	struct atom_feed *feed; /* --format atom: where the hits go */
	/* --group: a hit stands for others of its provider (or site). */
	bool grouped;
} print_opts;

typedef void (*print_hit_fn)(FILE *out, const newsgrep_hit_t *hit, const print_opts *o);

/* print_text.c: for people, with the snippet's matches highlighted. */
void print_text_hit(FILE *out, const newsgrep_hit_t *hit, const print_opts *o);
/* s with, when `safe`, white space as spaces and what a terminal would obey
 * as escapes (safetext.h), else control characters as spaces; with colour,
 * its byte ranges `spans` in bold red; `base` is the colour to go back to
 * after each. */
void put_highlighted(FILE *out, const char *s, const newsgrep_span_t *spans, size_t n, bool color,
                     const char *base, bool safe);
/* s[0..n) with control characters as spaces, the rest as it is. */
void put_spaced(FILE *out, const char *s, size_t n);
/* "1,234": n with thousands separators, into buf (at least 32 bytes). */
void format_count(uint64_t n, char *buf, size_t cap);

/* print_json.c: one JSON record per line (NDJSON), format_version 2. */
#define JSON_FORMAT_VERSION 2
void print_json_hit(FILE *out, const newsgrep_hit_t *hit, const print_opts *o);

/* The record that ends a list of hits. */
typedef struct json_summary {
	uint64_t count;   /* articles that match in all */
	bool count_exact; /* else an estimate */
	size_t shown;     /* hit records printed */
	uint64_t offset;  /* --offset */
	uint64_t limit;   /* -n; UINT64_MAX for all */
	bool truncated;   /* more matches follow the last hit shown */
} json_summary;
void print_json_summary(FILE *out, const json_summary *sum);
/* A "missing" record: an index of the set left out, and why. */
void print_json_missing(FILE *out, const char *member, const char *why);
/* {"type":"suggestion",...,"query":...}: a query that would match. */
void print_json_suggestion(FILE *out, const char *query);
/* {"type":"error",...,"code":...,"message":...}: what went wrong. */
void print_json_error(FILE *out, newsgrep_status_t st, const char *message);
/* A JSON string for any bytes: invalid UTF-8 becomes U+FFFD. */
void put_json_string(FILE *out, const char *s);

/* {"type":"article",...}: newsgrep --show's record. */
void print_json_article(FILE *out, const newsgrep_article_t *a);

/* print_show.c: newsgrep --show for people. */
void print_show_article(FILE *out, const newsgrep_article_t *a, const print_opts *o);

/* print_explain.c: {"type":"explain",...}, newsgrep_explain()'s text as
 * fields. */
void print_json_explain(FILE *out, const char *query, const char *text);

/* print_format.c: --format templates. */
typedef struct template template;
/* Compiles `src`; NULL with a message in err[0..cap) when it is invalid or
 * memory runs out. */
template *template_compile(const char *src, char *err, size_t cap);
void template_free(template *t);
void print_format_hit(FILE *out, const newsgrep_hit_t *hit, const print_opts *o);

/* print_atom.c: --format atom, the hits as one Atom 1.0 feed. */
typedef struct atom_feed atom_feed;
/* "urn:uuid:" and a UUID, with its NUL. */
#define ATOM_ID_SIZE 48
/* What names a feed: its id is the same for the same search. */
typedef struct atom_feed_key {
	const char *const *indexes; /* as given */
	size_t nindexes;
	const char *query;
	const newsgrep_search_options_t *opts;
	const char *since, *until; /* --since, --until as given, or NULL */
} atom_feed_key;
/* Whether the --format template is "atom", the feed. */
bool format_is_atom(const char *format);
/* The feed's id, "urn:uuid:..."; false when memory runs out. */
bool atom_feed_id(const atom_feed_key *key, char out[ATOM_ID_SIZE]);
/* A feed's id named by a text of the caller's (a name-based UUID, as
 * atom_feed_id's): give each kind of feed a text of its own. */
void atom_name_id(const char *name, char out[ATOM_ID_SIZE]);
/* A feed entitled `title` with the id `id`; NULL when memory runs out. */
atom_feed *atom_feed_new(const char *title, const char *id);
void atom_feed_free(atom_feed *f);
/* Adds the hit's entry; false when memory ran out (the feed is lost). */
bool atom_feed_add(atom_feed *f, const newsgrep_hit_t *hit);
/* Writes the whole feed document to `out`, `now` its <updated> when it has
 * no entry; false (nothing written) when memory ran out while it was
 * made.  Whether `out` took it is the caller's to check (ferror). */
bool atom_feed_write(const atom_feed *f, FILE *out, int64_t now);
/* The hit's <entry> element alone (freed with free(), its length in
 * *len, its <updated> time in *updated); NULL when memory runs out. */
char *atom_entry_xml(const newsgrep_hit_t *hit, size_t *len, int64_t *updated);
/* From now on, each entry of the feed is written after a comment that
 * marks it (its <updated>, length and hash), so that the next writer of
 * the same file can read its entries back (atom_feed_read_marked). */
void atom_feed_set_marked(atom_feed *f);
/* Adds an entry element as atom_entry_xml() or atom_feed_read_marked()
 * gave it; false when memory ran out. */
bool atom_feed_add_xml(atom_feed *f, const char *xml, size_t len, int64_t updated);
/* Receives one entry read back; non-zero stops. */
typedef int (*atom_entry_fn)(void *ctx, const char *xml, size_t len, int64_t updated);
/* Hands fn the marked entries of doc[0..len), a feed a marked atom_feed
 * wrote, in their order; what is damaged (a mark, a length or hash that
 * does not agree, an entry that is not one element) is skipped.  Any
 * bytes are safe to give.  Returns how many it handed on. */
size_t atom_feed_read_marked(const char *doc, size_t len, atom_entry_fn fn, void *ctx);
/* A print_hit_fn: adds the hit to o->feed. */
void print_atom_hit(FILE *out, const newsgrep_hit_t *hit, const print_opts *o);

/* print_summary.c: -c and --facet, for people or as one JSON object. */
void print_count(FILE *out, uint64_t count, bool json);
void print_facets(FILE *out, const newsgrep_hits_t *hits, unsigned facets, bool json);

/* "YYYY-MM-DD" when `day_only`, else ISO 8601 UTC; "" without a date. */
void format_date(const newsgrep_hit_t *hit, int day_only, char *buf, size_t cap);

#endif
