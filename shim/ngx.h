/*
 * ngx.h - the C face of the Xapian shim.
 *
 * No Xapian type and no C++ appears here.  Every function catches every
 * exception and reports it through an ngx_error the caller provides; none
 * ever throws.  Handles are opaque and freed with their _free/_close, which
 * accept NULL.
 */
#ifndef NGX_H
#define NGX_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum ngx_code {
	NGX_OK = 0,
	NGX_ERR_NOT_FOUND, /* DatabaseNotFoundError / opening a missing db */
	NGX_ERR_OPENING,   /* other DatabaseOpeningError */
	NGX_ERR_VERSION,   /* DatabaseVersionError */
	NGX_ERR_LOCK,      /* DatabaseLockError: another process holds the lock */
	NGX_ERR_MODIFIED,  /* DatabaseModifiedError: reopen and retry */
	NGX_ERR_CORRUPT,   /* DatabaseCorruptError */
	NGX_ERR_DATABASE,  /* any other DatabaseError (I/O, closed, ...) */
	NGX_ERR_INVALID,   /* InvalidArgumentError / InvalidOperationError */
	NGX_ERR_NOMEM,     /* std::bad_alloc */
	NGX_ERR_OTHER,     /* any other Xapian::Error or C++ exception */
	NGX_ERR_WILDCARD,  /* WildcardError: a wildcard expands to too many terms */
	NGX_ERR_RESOURCE,  /* out of file descriptors: a DatabaseLockError or
	                      DatabaseOpeningError that is no fault of the index */
	NGX_ERR_NOSPACE,   /* a DatabaseError for a full disk or a used-up quota
	                      (ENOSPC, EDQUOT): no fault of the index either */
	NGX_ERR_NETWORK    /* NetworkError (a timeout too): a remote database
	                      could not be reached or stopped answering */
} ngx_code;

/* Where a failed call leaves its code and a one-line message. */
typedef struct ngx_error {
	ngx_code code;
	char message[512];
} ngx_error;

typedef struct ngx_db ngx_db;
typedef struct ngx_doc ngx_doc;
typedef struct ngx_query ngx_query;
typedef struct ngx_mset ngx_mset;
typedef struct ngx_stemmer ngx_stemmer;
typedef struct ngx_facet ngx_facet;

/* One term occurrence handed over in bulk.  `pos` 0 means no position. */
typedef struct ngx_posting {
	uint32_t offset; /* of the term's bytes in the caller's pool */
	uint32_t len;
	uint32_t pos;
	uint32_t wdf;
} ngx_posting;

/* Xapian's version at run time, e.g. "1.4.22".  Static storage. */
const char *ngx_version(void);

/* ---- databases ---- */

/* Opens a database for reading.  Every path is a glass database itself:
 * Xapian never follows a stub file for us (one can name a remote command,
 * core/layout.c reads the index's own stub). */
ngx_code ngx_db_open_read(ngx_db **out, const char *path, ngx_error *err);
/* Opens the database a xapian-tcpsrv at host:port serves, for reading.
 * `timeout_ms` bounds each exchange with the server, `connect_ms` the
 * connection; they stay the handle's for its reopens and refreshes.  A
 * server that cannot be reached or does not answer in time is
 * NGX_ERR_NETWORK. */
ngx_code ngx_db_open_remote(ngx_db **out, const char *host, unsigned port, unsigned timeout_ms,
                            unsigned connect_ms, ngx_error *err);
/* Whether the database is remote or joins one that is: what a stock
 * xapian-tcpsrv can run is then all a search may use (ngx_search keeps to
 * it; ngx_query_recency or a spelling lookup cannot cross it). */
int ngx_db_has_remote(const ngx_db *db);
/* Asks a remote database's server whether it is still there, within the
 * handle's timeout (local databases always are). */
ngx_code ngx_db_ping(ngx_db *db, ngx_error *err);
/* Opens a glass database for writing; `create` makes a new one and
 * fails if there is one already. */
ngx_code ngx_db_open_write(ngx_db **out, const char *path, int create, ngx_error *err);
/* Commits (writers) and closes.  Errors on the final commit are reported. */
ngx_code ngx_db_close(ngx_db *db, ngx_error *err);
/* Closes a writer, throwing away what was not committed. */
ngx_code ngx_db_discard(ngx_db *db, ngx_error *err);
/* Merges the databases at srcs[0..n) into a new, compact database at
 * `dest` (their documents renumbered one after the other; metadata from
 * the first that has each key). */
ngx_code ngx_db_merge(const char *const *srcs, size_t n, const char *dest, ngx_error *err);
/* Starts a batch: what a writer does until the next ngx_db_commit is
 * committed together, with no flush of Xapian's own in between. */
ngx_code ngx_db_begin_batch(ngx_db *db, ngx_error *err);
/* Ends any batch and commits.  No changes, no new revision. */
ngx_code ngx_db_commit(ngx_db *db, ngx_error *err);
/* Ends any batch, dropping what it changed: the writer is as it was at its
 * last commit.  (Xapian has already dropped it when adding or replacing a
 * document failed.) */
ngx_code ngx_db_cancel_batch(ngx_db *db, ngx_error *err);
ngx_code ngx_db_doccount(ngx_db *db, uint64_t *out, ngx_error *err);
/* The revision the handle sees: each commit with changes makes a new one. */
ngx_code ngx_db_revision(ngx_db *db, uint64_t *out, ngx_error *err);
/* Opens a reader again at the latest committed revision, of the database
 * at `path` (NULL: the one it has open, which then stays its path). */
ngx_code ngx_db_reopen(ngx_db *db, const char *path, ngx_error *err);
/* Moves a reader to the latest revision of the database it has open: cheap
 * when nothing changed.  Writers always see their own state.  A remote
 * reader whose server lost the database (a rebuild swapped in another)
 * connects afresh.  *changed (unless NULL): whether it may now read
 * another revision, or another database. */
ngx_code ngx_db_refresh(ngx_db *db, int *changed, ngx_error *err);
/* A reader of the databases of readers parts[0..n) as one (Xapian's
 * add_database: global statistics, docids interleaved), into *out: it
 * shares their databases as they are open now, so a part's refresh moves
 * it too, but one reopened elsewhere (ngx_db_reopen) is not seen until it
 * is joined again.  Only the first part's metadata is read through it.
 * Neither reopen nor refresh it: join the parts again. */
ngx_code ngx_db_join(ngx_db **out, ngx_db *const *parts, size_t n, ngx_error *err);

/* *out is a malloc'd NUL-terminated copy of the value ("" if unset). */
ngx_code ngx_db_get_metadata(ngx_db *db, const char *key, char **out, ngx_error *err);
ngx_code ngx_db_set_metadata(ngx_db *db, const char *key, const char *value, ngx_error *err);
/* Sets metadata `key` to bytes[0..len) (which may hold NULs); len 0
 * removes the key. */
ngx_code ngx_db_set_metadata_bytes(ngx_db *db, const char *key, const char *bytes, size_t len,
                                   ngx_error *err);
/* Receives one metadata entry; return non-zero only when out of memory. */
typedef int (*ngx_metadata_fn)(void *ctx, const char *key, size_t key_len, const char *value,
                               size_t len);
/* Calls `fn` for each metadata key that starts with `prefix`, in byte
 * order, with its value. */
ngx_code ngx_db_metadata_stream(ngx_db *db, const char *prefix, ngx_metadata_fn fn, void *ctx,
                                ngx_error *err);

/* Counts the distinct terms that start with prefix[0..len), stopping early:
 * *count is the number of such terms, or max + 1 when there are more. */
ngx_code ngx_db_count_prefix(ngx_db *db, const char *prefix, size_t len, uint64_t max,
                             uint64_t *count, ngx_error *err);
/* *freq is the number of documents that have term[0..len) (0: none). */
ngx_code ngx_db_term_freq(ngx_db *db, const char *term, size_t len, uint64_t *freq, ngx_error *err);
/* The largest number stored in value `slot` of any document (numbers as set
 * by ngx_doc_set_value_number); *has is 0 when no document has one. */
ngx_code ngx_db_number_upper_bound(ngx_db *db, unsigned slot, double *out, int *has,
                                   ngx_error *err);
/* The smallest, likewise. */
ngx_code ngx_db_number_lower_bound(ngx_db *db, unsigned slot, double *out, int *has,
                                   ngx_error *err);

/* Adds `n` words to the spelling dictionary of a writer, each word's
 * frequency raised by its posting's `wdf` (positions are ignored).  The
 * words' bytes live in `pool`, as for ngx_doc_add_postings. */
ngx_code ngx_db_add_spellings(ngx_db *db, const char *pool, const ngx_posting *p, size_t n,
                              ngx_error *err);
/* Lowers the frequency of `n` words in a writer's spelling dictionary, each
 * by its posting's `wdf`; a word whose frequency reaches 0 leaves it, and
 * a word it does not hold is passed over. */
ngx_code ngx_db_remove_spellings(ngx_db *db, const char *pool, const ngx_posting *p, size_t n,
                                 ngx_error *err);
/* The closest word in the spelling dictionary to word[0..len), at most
 * `max_edits` edits away, as a malloc'd string in *out ("" when none, or
 * when the index has the word itself as a term). */
ngx_code ngx_db_spelling_suggestion(ngx_db *db, const char *word, size_t len, unsigned max_edits,
                                    char **out, ngx_error *err);

/* A correction of a word: the word, how many edits away (a transposition
 * counts one), and how often the dictionary has it. */
typedef struct ngx_spelling {
	char *word;
	unsigned edits;
	uint64_t freq;
} ngx_spelling;

/* The corrections of word[0..len) in the spelling dictionary, best first
 * (fewest edits, then most frequent), at most `max`: every word one edit
 * away, and Xapian's own suggestion at most max_edits away.  None for a
 * word the index has.  *out (*n of them) is freed with ngx_spellings_free. */
ngx_code ngx_db_spelling_candidates(ngx_db *db, const char *word, size_t len, unsigned max_edits,
                                    size_t max, ngx_spelling **out, size_t *n, ngx_error *err);
void ngx_spellings_free(ngx_spelling *v, size_t n);

/* Adds a document (fresh builds: no lookup of an existing one). */
ngx_code ngx_db_add_document(ngx_db *db, const ngx_doc *doc, ngx_error *err);
/* Adds a document and says which id it got. */
ngx_code ngx_db_add_document_id(ngx_db *db, const ngx_doc *doc, uint32_t *docid, ngx_error *err);
/* Replaces document `docid` (adds it under that id if there is none). */
ngx_code ngx_db_replace_document_id(ngx_db *db, uint32_t docid, const ngx_doc *doc, ngx_error *err);
ngx_code ngx_db_delete_document(ngx_db *db, uint32_t docid, ngx_error *err);
/* The number in value `slot` of stored document `docid` (*has 0 when it
 * has none). */
ngx_code ngx_db_document_number(ngx_db *db, uint32_t docid, unsigned slot, double *out, int *has,
                                ngx_error *err);
/* The smallest number in value `slot` of the documents with term
 * term[0..len), but document `except` (*has 0 when none has one). */
ngx_code ngx_db_term_least_number(ngx_db *db, const char *term, size_t len, unsigned slot,
                                  uint32_t except, double *out, int *has, ngx_error *err);
/* Sets value `slot` of stored document `docid`, leaving the rest of it be. */
ngx_code ngx_db_set_document_value(ngx_db *db, uint32_t docid, unsigned slot, const char *bytes,
                                   size_t len, ngx_error *err);

/* The documents whose value in `slot` another document (of a lower docid)
 * also has: what collapsing on that slot could remove.  Documents without
 * the value are never counted (Xapian does not collapse them). */
ngx_code ngx_db_count_repeats(ngx_db *db, unsigned slot, uint64_t *out, ngx_error *err);

/* Receives one document's value; return non-zero only when out of memory. */
typedef int (*ngx_value_fn)(void *ctx, uint32_t docid, const char *bytes, size_t len);
/* Calls `fn` for every document with a value in `slot`, in docid order. */
ngx_code ngx_db_value_stream(ngx_db *db, unsigned slot, ngx_value_fn fn, void *ctx, ngx_error *err);

/* Receives one of a document's terms, prefix removed; return non-zero only
 * when out of memory. */
typedef int (*ngx_term_fn)(void *ctx, const char *term, size_t len, uint32_t wdf);
/* Calls `fn` for each term of document `docid` that starts with
 * prefix[0..len), in byte order. */
ngx_code ngx_db_doc_terms(ngx_db *db, uint32_t docid, const char *prefix, size_t len,
                          ngx_term_fn fn, void *ctx, ngx_error *err);

/* Receives one term of the database, prefix removed, and how many
 * documents have it; return non-zero only when out of memory. */
typedef int (*ngx_termfreq_fn)(void *ctx, const char *term, size_t len, uint64_t freq);
/* Calls `fn` for each term of the database that starts with
 * prefix[0..len), in byte order. */
ngx_code ngx_db_all_terms(ngx_db *db, const char *prefix, size_t len, ngx_termfreq_fn fn, void *ctx,
                          ngx_error *err);

/* ---- checking a database (check.cc) ---- */

/* Runs Xapian's own check of the glass database at `path` (its tables'
 * B-trees, and what the tables say of each other); never changes it.
 * *errors is the number of problems found (damage that stops the check
 * counts one), *out a malloc'd report of them, one per line (with a
 * verdict line per table).  Fails only when the check cannot be run. */
ngx_code ngx_check_tables(const char *path, char **out, uint64_t *errors, ngx_error *err);

/* The slots ngx_db_each_document hands over, and those ngx_db_doc_compare
 * compares (0 to NGX_CHECK_SLOTS - 1): ng.h's NG_SLOT_* */
#define NGX_CHECK_FILE_SLOT 2
#define NGX_CHECK_TYPE_SLOT 6
#define NGX_CHECK_SLOTS 7

/* One stored document, borrowed for the callback. */
typedef struct ngx_docview {
	uint32_t docid;
	const char *data, *file, *type; /* its data, file record and type values */
	size_t data_len, file_len, type_len;
	int unreadable; /* it could not be read (why says why) */
	char why[400];
} ngx_docview;
/* Return non-zero only when out of memory. */
typedef int (*ngx_docview_fn)(void *ctx, const ngx_docview *v);
/* Calls `fn` for each document, in docid order. */
ngx_code ngx_db_each_document(ngx_db *db, ngx_docview_fn fn, void *ctx, ngx_error *err);

/* Compares stored document `docid` with `want`, as made again from its
 * article: data, values, terms, their wdf and positions.  *same is 1 when
 * they agree, else 0 with the first difference in diff[0..cap). */
ngx_code ngx_db_doc_compare(ngx_db *db, uint32_t docid, const ngx_doc *want, char *diff, size_t cap,
                            int *same, ngx_error *err);

/* Receives a problem of document `docid` (0: of the database); return
 * non-zero only when out of memory. */
typedef int (*ngx_problem_fn)(void *ctx, uint32_t docid, const char *problem);
/* Checks that the postings lists and the documents' term lists hold the
 * same postings, and the counts of documents and terms agree. */
ngx_code ngx_db_cross_check(ngx_db *db, ngx_problem_fn fn, void *ctx, ngx_error *err);

/* Word counts, to compare with the spelling dictionary. */
typedef struct ngx_tally ngx_tally;
ngx_code ngx_tally_new(ngx_tally **out, ngx_error *err);
void ngx_tally_free(ngx_tally *t);
/* Counts `n` words (each `wdf` times) whose bytes live in `pool`. */
ngx_code ngx_tally_add(ngx_tally *t, const char *pool, const ngx_posting *p, size_t n,
                       ngx_error *err);
/* Reports each word whose count in the spelling dictionary is not the
 * tally's. */
ngx_code ngx_db_spelling_compare(ngx_db *db, ngx_tally *t, ngx_problem_fn fn, void *ctx,
                                 ngx_error *err);

/* ---- documents ---- */

ngx_code ngx_doc_new(ngx_doc **out, ngx_error *err);
void ngx_doc_free(ngx_doc *doc);
/* Empties a document for reuse. */
ngx_code ngx_doc_clear(ngx_doc *doc, ngx_error *err);
/* Adds `n` postings whose term bytes live in `pool`. */
ngx_code ngx_doc_add_postings(ngx_doc *doc, const char *pool, const ngx_posting *p, size_t n,
                              ngx_error *err);
/* Adds a term with no position and wdf 0 (a filter term). */
ngx_code ngx_doc_add_boolean_term(ngx_doc *doc, const char *term, size_t len, ngx_error *err);
/* Sets value `slot` to raw bytes, or to a number serialised so that byte
 * order sorts like numeric order (for ranges and sorting). */
ngx_code ngx_doc_set_value(ngx_doc *doc, unsigned slot, const char *bytes, size_t len,
                           ngx_error *err);
ngx_code ngx_doc_set_value_number(ngx_doc *doc, unsigned slot, double value, ngx_error *err);
ngx_code ngx_doc_set_data(ngx_doc *doc, const char *bytes, size_t len, ngx_error *err);

/* ---- queries ---- */

typedef enum ngx_op {
	NGX_OP_AND,
	NGX_OP_OR,
	NGX_OP_AND_NOT,
	NGX_OP_FILTER,    /* first subquery ranked, the rest only filter */
	NGX_OP_PHRASE,    /* terms in order, within `window` positions */
	NGX_OP_NEAR,      /* terms in any order, within `window` positions */
	NGX_OP_AND_MAYBE, /* first subquery must match; the rest only add weight */
	NGX_OP_SYNONYM    /* any of the terms, weighted as if they were one */
} ngx_op;

/* A query for one term; `wqf` weighs repeated query terms, `pos` is the
 * term's position in the query (1-based). */
ngx_code ngx_query_term(ngx_query **out, const char *term, size_t len, unsigned wqf, unsigned pos,
                        ngx_error *err);
/* Combines `n` subqueries; the subqueries stay owned by the caller.
 * `window` must be 0 except for NGX_OP_PHRASE and NGX_OP_NEAR. */
ngx_code ngx_query_combine(ngx_query **out, ngx_op op, ngx_query *const *subs, size_t n,
                           unsigned window, ngx_error *err);
/* Documents whose numeric value in `slot` lies in [lo, hi]. */
ngx_code ngx_query_number_range(ngx_query **out, unsigned slot, double lo, double hi,
                                ngx_error *err);
/* Documents whose value in `slot` is exactly bytes[0..len) (len > 0). */
ngx_code ngx_query_value_is(ngx_query **out, unsigned slot, const char *bytes, size_t len,
                            ngx_error *err);
/* Documents whose numeric value in `slot` is >= lo, or <= hi. */
ngx_code ngx_query_number_ge(ngx_query **out, unsigned slot, double lo, ngx_error *err);
ngx_code ngx_query_number_le(ngx_query **out, unsigned slot, double hi, ngx_error *err);
/* Documents with any term that starts with prefix[0..len) (an empty
 * prefix is an error).  Searching fails with NGX_ERR_WILDCARD when more
 * than `max` terms start with it. */
ngx_code ngx_query_wildcard(ngx_query **out, const char *prefix, size_t len, unsigned max,
                            ngx_error *err);
/* `q` with its weights multiplied by `factor` (>= 0); 0 makes a filter that
 * matches the same documents but does not rank them. */
ngx_code ngx_query_scale(ngx_query **out, const ngx_query *q, double factor, ngx_error *err);
/* Matches the documents with a number in value `slot` and weighs them by how
 * recent it is: max_weight * 0.5^((reference - value) / half_life), capped
 * at max_weight for values after `reference`.  Meant as the second
 * subquery of NGX_OP_AND_MAYBE, for a gentle boost of fresh articles. */
ngx_code ngx_query_recency(ngx_query **out, unsigned slot, double reference, double half_life,
                           double max_weight, ngx_error *err);
/* The same weights by steps, made of Xapian's own classes only, so that a
 * xapian-tcpsrv runs it too: each document's weight is within `max_error`
 * of the curve's (max_error >= max_weight / 10000; it takes about
 * max_weight / (2 max_error) steps, each a value range).  Documents whose
 * weight would be below max_error do not match. */
ngx_code ngx_query_recency_steps(ngx_query **out, unsigned slot, double reference, double half_life,
                                 double max_weight, double max_error, ngx_error *err);
/* Matches every document. */
ngx_code ngx_query_match_all(ngx_query **out, ngx_error *err);

/* One term of an OR of many words (ngx_query_words). */
typedef struct ngx_word_term {
	uint32_t offset, len; /* the term, in the pool */
	uint32_t word;        /* the word it belongs to: a word's terms are adjacent */
	int boost;            /* 0: finds the word; else only ranks its matches higher */
} ngx_word_term;

/* An OR of words, each found by any of its terms (a synonym) and ranked
 * higher by its boost term, scored as BM25 scores them, term at a time
 * (words.cc): for an OR of thousands of words, where Xapian's own OR costs
 * the square of their number.  Terms are pool[offset, offset + len). */
ngx_code ngx_query_words(ngx_query **out, const char *pool, const ngx_word_term *t, size_t n,
                         ngx_error *err);
/* *out is a malloc'd description of the query, as Xapian prints it. */
ngx_code ngx_query_describe(const ngx_query *q, char **out, ngx_error *err);
void ngx_query_free(ngx_query *q);

/* ---- searching ---- */

typedef enum ngx_sort {
	NGX_SORT_RELEVANCE,  /* BM25, best first */
	NGX_SORT_VALUE_DESC, /* by the number in `sort_slot`, largest first */
	NGX_SORT_VALUE_ASC   /* ... smallest first */
} ngx_sort;

typedef struct ngx_search_opts {
	unsigned long offset, limit; /* keep hits [offset, offset + limit) */
	ngx_sort sort;
	unsigned sort_slot;     /* documents without the value sort last */
	int collapse;           /* non-zero: at most one hit per value of ... */
	unsigned collapse_slot; /* (documents with an empty value never collapse) */
	/* Look at least this many matches, so the counts (and facets) are exact
	 * up to it; 0 lets Xapian stop early and estimate.  When it covers the
	 * index, a collapsed search's count is exact too. */
	uint64_t check_at_least;
	/* Non-zero: the hits' values in `read_slot` are wanted
	 * (ngx_mset_hit_value).  Over a server, which sends a document per
	 * exchange, a page that is a good part of the matches then has them
	 * all read in one more search. */
	int read_value;
	unsigned read_slot;
} ngx_search_opts;

/* What a facet counts, read from value `slot` of each match. */
typedef enum ngx_facet_kind {
	NGX_FACET_STRING, /* the value is one string */
	NGX_FACET_LIST,   /* the value is strings separated by NGX_FACET_SEPARATOR */
	NGX_FACET_YEAR,   /* the value is a date number: counted as "YYYY" */
	NGX_FACET_MONTH   /* ... as "YYYY-MM" (UTC) */
} ngx_facet_kind;
#define NGX_FACET_SEPARATOR '\x1f'

/* A facet collects counts during ngx_search; reusable, reset by each search. */
ngx_code ngx_facet_new(ngx_facet **out, ngx_facet_kind kind, unsigned slot, ngx_error *err);
void ngx_facet_free(ngx_facet *f);
/* The number of distinct values counted (empty values are not counted). */
size_t ngx_facet_size(const ngx_facet *f);
/* The i-th value, most frequent first, ties in byte order of the value.
 * *value is borrowed until the facet's next search or free. */
ngx_code ngx_facet_item(const ngx_facet *f, size_t i, const char **value, size_t *len,
                        uint64_t *count, ngx_error *err);

/* Runs `q` with `opts`; each facet in facets[0..nfacets) counts over the
 * matches Xapian looks at (all of them when check_at_least covers the
 * index).  A DatabaseModifiedError comes back as NGX_ERR_MODIFIED. */
ngx_code ngx_search(ngx_mset **out, ngx_db *db, const ngx_query *q, const ngx_search_opts *opts,
                    ngx_facet *const *facets, size_t nfacets, ngx_error *err);
size_t ngx_mset_size(const ngx_mset *m);
/* The number of matches (after collapsing): exact when the search looked
 * at every match, else Xapian's estimate; and its bounds. */
uint64_t ngx_mset_estimate(const ngx_mset *m);
void ngx_mset_bounds(const ngx_mset *m, uint64_t *lower, uint64_t *upper);
/* The i-th hit's weight and stored data.  *data is malloc'd. */
ngx_code ngx_mset_hit(ngx_mset *m, size_t i, double *weight, char **data, size_t *len,
                      ngx_error *err);
/* The number in value `slot` of hit i, the one ngx_mset_hit read last
 * (*has 0 when it has none). */
ngx_code ngx_mset_hit_number(ngx_mset *m, size_t i, unsigned slot, double *out, int *has,
                             ngx_error *err);
/* Reads the stored data of hits [first, first + n) ahead, for
 * ngx_mset_hit: over a set of servers, each of which answers one request
 * for a document at a time, on a thread per server, at once.  A document
 * it cannot read is left for ngx_mset_hit to read, and to fail. */
ngx_code ngx_mset_fetch(ngx_mset *m, size_t first, size_t n, ngx_error *err);
/* The i-th hit's collapse key (its value in collapse_slot; empty when the
 * search did not collapse), borrowed until the next call on `m`: it comes
 * with the hit, with no document read. */
ngx_code ngx_mset_hit_collapse_key(ngx_mset *m, size_t i, const char **key, size_t *len,
                                   ngx_error *err);
/* The i-th hit's weight and its value in the search's read_slot (the
 * search had read_value set), borrowed until the next call on `m`. */
ngx_code ngx_mset_hit_value(ngx_mset *m, size_t i, double *weight, const char **value, size_t *len,
                            ngx_error *err);
void ngx_mset_free(ngx_mset *m);
/* The number of other matches collapsing folded into the i-th hit (those
 * of its collapse key; 0 when the search did not collapse). */
ngx_code ngx_mset_hit_collapse_count(ngx_mset *m, size_t i, uint64_t *count, ngx_error *err);

/* "More like this" (expand.cc).  Whether a term may describe the
 * documents; non-zero to keep it. */
typedef int (*ngx_keep_term_fn)(void *ctx, const char *term, size_t len);
/* Receives one term of an expansion and its weight, best first; return
 * non-zero only when out of memory. */
typedef int (*ngx_expand_term_fn)(void *ctx, const char *term, size_t len, double weight);
/* The at most `max_terms` terms that best tell the first `nrel` hits of `m`
 * (the relevance set; of a search in one part) from the rest of its
 * database, as Xapian's Enquire::get_eset ranks them, handed to `give`:
 * only those `keep` (may be NULL) accepts and that at least `min_docs`
 * documents have.  No hits, no terms. */
ngx_code ngx_mset_expand(ngx_mset *m, size_t nrel, size_t max_terms, uint64_t min_docs,
                         ngx_keep_term_fn keep, void *keep_ctx, ngx_expand_term_fn give,
                         void *give_ctx, ngx_error *err);

/* ---- glass's files and Xapian's stub: names and syntax (glass.cc) ----
 *
 * What Xapian's files are called and how they are written; what newsgrep
 * accepts of them (which database is live, what may be removed, what a
 * stub may name) is core's (core/layout.c).  None of these opens a
 * database. */

/* A glass database's version file: there once the database exists. */
#define NGX_GLASS_VERSION_FILE "iamglass"
/* The file Xapian's writers lock. */
#define NGX_GLASS_LOCK_FILE "flintlock"
/* The longest name of a file a glass database always has. */
#define NGX_GLASS_LONGEST_FILE "postlist.glass"
/* The i-th of glass's table files ("postlist.glass", ...), NULL past the
 * last. */
const char *ngx_glass_table_file(size_t i);
/* Whether `name` is one of the files of a glass database: its version
 * file, its lock or a table. */
int ngx_glass_is_db_file(const char *name);
/* Whether the block numbers glass database `dir`'s version file names for
 * its tables (first unused block, root, free list) lie within reach of
 * their files: Xapian would write at them, and believe them.  0 with the
 * reason in why[0..cap); 1 for what it cannot read or judge (a version
 * file of another format, or none). */
int ngx_glass_blocks_sane(const char *dir, char *why, size_t cap);

/* A stub names databases, one "TYPE PATH" line each.  The only one newsgrep
 * writes or reads is "auto NAME\n" (NAME relative to the stub's folder). */
/* That stub for database `name`, NUL-terminated in out[0..cap); its
 * length, or -1 when it does not fit or `name` holds a newline. */
int ngx_stub_format(char *out, size_t cap, const char *name);
typedef enum ngx_stub_kind {
	NGX_STUB_BAD,       /* no first line "auto NAME" ended by a newline, or a
	                       NUL somewhere */
	NGX_STUB_LONG_NAME, /* "auto NAME\n", NAME of cap bytes or more */
	NGX_STUB_ONE_LINE,  /* exactly "auto NAME\n" */
	NGX_STUB_MORE       /* "auto NAME\n" with more after it */
} ngx_stub_kind;
/* Reads text[0..len) as an "auto" stub: NAME, its first line's, goes into
 * name[0..cap), NUL-terminated, unless the stub is BAD or the name LONG
 * (then name is ""). */
ngx_stub_kind ngx_stub_parse(const char *text, size_t len, char *name, size_t cap);
/* How many databases a stub someone else wrote, text[0..len), would have
 * Xapian open: its lines of a database type (auto, glass, chert,
 * inmemory, remote); *remote is non-zero when one of them is remote. */
unsigned ngx_stub_databases(const char *text, size_t len, int *remote);

/* ---- stemming ---- */

ngx_code ngx_stemmer_new(ngx_stemmer **out, const char *language, ngx_error *err);
void ngx_stemmer_free(ngx_stemmer *s);
/* Stems `word` into out[0..cap), NUL-terminated; *outlen is the stem's
 * length.  A stem of `cap` bytes or more is reported as NGX_ERR_INVALID. */
ngx_code ngx_stem(ngx_stemmer *s, const char *word, size_t len, char *out, size_t cap,
                  size_t *outlen, ngx_error *err);

#ifdef __cplusplus
}
#endif
#endif /* NGX_H */
