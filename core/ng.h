/*
 * ng.h - internals shared by the core library's files.  Not API.
 */
#ifndef NG_H
#define NG_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "newsgrep.h"

/* ---- status.c: messages on handles ---- */

/* printf into a fixed message buffer, truncating safely. */
void ng_msg_set(char *buf, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The versioned structs of the public API (apistruct.c).  Each begins
 * with a uint32_t version that says how much of it the caller has. */
typedef enum ng_api_struct {
	NG_OPEN_OPTIONS,
	NG_INDEX_OPTIONS,
	NG_SEARCH_OPTIONS,
	NG_INDEX_STATS,
	NG_CHECK_STATS,
	NG_API_STRUCTS
} ng_api_struct;
/* The bytes of a caller's struct of `version`; 0 for a version this
 * library does not know. */
size_t ng_api_struct_size(ng_api_struct which, uint32_t version);
/* NEWSGREP_OK when the library knows the version of `caller`, else
 * NEWSGREP_INVALID_ARG with a message in msg[cap]. */
newsgrep_status_t ng_api_struct_check(ng_api_struct which, const void *caller, char *msg,
                                      size_t cap);
/* Reads a caller's struct into `full`, a struct of the current version
 * holding the defaults: the fields the caller knows replace them.  Fails
 * as ng_api_struct_check. */
newsgrep_status_t ng_api_struct_read(ng_api_struct which, void *full, const void *caller, char *msg,
                                     size_t cap);
/* Writes `full` (the current version) into a caller's struct, as far as
 * its version (checked before) goes. */
void ng_api_struct_write(ng_api_struct which, void *caller, const void *full);
/* The public _init(): `defaults` (the current version) into `caller`, as
 * far as `version` goes. */
newsgrep_status_t ng_api_struct_init(ng_api_struct which, void *caller, uint32_t version,
                                     const void *defaults);
/* The line and column (from 1; columns count UTF-8 characters, not bytes)
 * of text[offset], for messages that point into a file or a query. */
void ng_text_position(const char *text, size_t offset, unsigned long *line, unsigned long *column);
/* n bytes for people ("12 kB", "3.4 MB", as --status gives sizes), into
 * out; returns out. */
const char *ng_msg_bytes(char *out, size_t cap, uint64_t n);

/*
 * The one internal error: what failed, as the status a caller acts on
 * (NEWSGREP_OK: nothing did) and a one-line message.  A function that can
 * fail takes an ng_error * and returns its status; the function of the API
 * that was called converts it once (ng_db_error) into the handle's message
 * and the status it returns.  Running out of memory is NEWSGREP_NOMEM,
 * told by the status, never by the message.
 */
typedef struct ng_error {
	newsgrep_status_t status;
	char message[1024]; /* as long as the handle's (newsgrep_db errmsg) */
} ng_error;

struct ngx_error;
/* No error: NEWSGREP_OK and "". */
void ng_error_clear(ng_error *err);
/* Sets the status and the printf-formatted message (cut at a character
 * boundary when it is too long); returns `status`. */
newsgrep_status_t ng_error_set(ng_error *err, newsgrep_status_t status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* NEWSGREP_NOMEM, "out of memory". */
newsgrep_status_t ng_error_nomem(ng_error *err);
/* The shim's error as "what: its message", with the status its code maps
 * to (ng_status_from_ngx). */
newsgrep_status_t ng_error_from_ngx(ng_error *err, const char *what, const struct ngx_error *x);
/* A path below `dir` would be too long (ng_path_join failed): NEWSGREP_IO,
 * naming it, errno ENAMETOOLONG (as ng_db_too_long). */
newsgrep_status_t ng_error_too_long(ng_error *err, const char *dir, const char *name);
/* At the API boundary: the error's message becomes the handle's; returns
 * its status. */
newsgrep_status_t ng_db_error(newsgrep_db_t *db, const ng_error *err);
/* The caller's open options (NULL: the defaults) read into *o, at their
 * version; a refusal's message goes to *errmsg (malloc'd), if given. */
newsgrep_status_t ng_open_options_read(newsgrep_open_options_t *o,
                                       const newsgrep_open_options_t *opts, char **errmsg);

/* ---- buf.c: a growable byte buffer, growable arrays ---- */

typedef struct ng_buf {
	char *data;
	size_t len, cap;
} ng_buf;

bool ng_buf_reserve(ng_buf *b, size_t extra);
bool ng_buf_append(ng_buf *b, const void *p, size_t n);
void ng_buf_release(ng_buf *b);

/* ng_grow when the array is full (buf.c). */
void *ng_grow_full(void *v, size_t *cap, size_t size, size_t first);
/* The malloc'd array v of n items of `size` bytes, *cap of them allocated,
 * with room for one more: v itself while there is, else v reallocated to
 * twice as many (`first` at first) and *cap updated.  NULL when out of
 * memory or the size would overflow; v is then still valid:
 *     item *more = ng_grow(l->v, l->n, &l->cap, sizeof(*more), 16);
 *     if (!more) ...; l->v = more; l->v[l->n++] = x;
 * Inline, for the hot paths (a posting each). */
static inline void *ng_grow(void *v, size_t n, size_t *cap, size_t size, size_t first)
{
	return n < *cap ? v : ng_grow_full(v, cap, size, first);
}
/* The capacity an array of `cap` grows to (`first` at first); 0 when its
 * size would overflow. */
size_t ng_grown_cap(size_t cap, size_t size, size_t first);

/* ---- arena.c: per-article bump allocator ---- */

typedef struct ng_arena_chunk ng_arena_chunk;
typedef struct ng_arena {
	ng_arena_chunk *head;
} ng_arena;

void ng_arena_init(ng_arena *a);
/* Frees everything but the first chunk, for reuse. */
void ng_arena_reset(ng_arena *a);
void ng_arena_release(ng_arena *a);
/* NULL when out of memory. */
void *ng_arena_alloc(ng_arena *a, size_t n);
/* A NUL-terminated copy of s[0..n). */
char *ng_arena_strndup(ng_arena *a, const char *s, size_t n);
/* As ng_grow, for an array in the arena: a larger one is a copy (the old
 * one stays in the arena until it is reset). */
void *ng_arena_grow(ng_arena *a, void *v, size_t n, size_t *cap, size_t size, size_t first);

/* ---- date.c: ISO 8601 ---- */

/*
 * Parses an ISO 8601 date or date-time as found in articles:
 * "2023-12-19T23:59:00Z", "2023-12-19T23:59:00+08:00", "...00.123Z",
 * "2023-12-19 23:59:00Z", "2023-12-19T23:59Z", "2023-12-19" (midnight UTC).
 * A date-time without a zone is taken as UTC.  The text must be exactly
 * the date (no trailing characters besides whitespace).  Returns true and
 * sets *out to seconds since the epoch, UTC, or returns false.
 */
bool ng_date_parse_iso8601(const char *s, size_t len, int64_t *out);

/*
 * Parses a user's date bound: YYYY, YYYY-MM, YYYY-MM-DD or a full ISO 8601
 * date-time.  A partial date stands for its first second when `end` is
 * false and its last second when `end` is true ("2023-02" with end is
 * 2023-02-28T23:59:59Z).
 */
bool ng_date_parse_bound(const char *s, size_t len, bool end, int64_t *out);

/*
 * Parses a date relative to `now`: "Nh", "Nd", "Nw", "Nm", "Ny" (that many
 * hours, days, weeks, calendar months or years before now), "now", "today"
 * and "yesterday" (a whole UTC day, its start or its end as `end` says).
 */
bool ng_date_parse_relative(const char *s, size_t len, bool end, int64_t now, int64_t *out);
/* A date as a user may type it: ng_date_parse_bound or ng_date_parse_relative. */
bool ng_date_parse_user(const char *s, size_t len, bool end, int64_t now, int64_t *out);

/* Formats t as "YYYY-MM-DDTHH:MM:SSZ" into buf (at least 21 bytes). */
void ng_date_format_iso8601(int64_t t, char *buf, size_t cap);
/* Days since 1970-01-01 of y-m-d, and back; the days of a month. */
int64_t ng_date_day_number(int64_t y, int m, int d);
void ng_date_civil(int64_t day, int64_t *y, int *m, int *d);
int ng_date_days_in_month(int64_t y, int m);
/* The UTC day of t as "YYYYMMDD" (so that the byte order of keys is their
 * date order); false when its year is not 0000 to 9999. */
bool ng_date_day_key(int64_t t, char out[9]);
/* Formats t as "YYYY-MM-DD" into buf (at least 11 bytes). */
void ng_date_format_day(int64_t t, char *buf, size_t cap);

/* ---- tokenize.c: one tokenizer for indexing and querying ---- */

/* Recorded in the index; change it whenever terms would come out
 * differently, so that old indexes are detected. */
#define NG_TOKENIZER_ID                                                                            \
	"utf8proc-nfkc-casefold-stripmark-spelt/cjk-bigram-unigram/apos/acronym-plural-caps/"      \
	"max64/"                                                                                   \
	"stem-en/2"
/* The tokenizer of formats 4 and 5 (text rules 1). */
#define NG_TOKENIZER_ID_1 "utf8proc-nfkc-casefold-stripmark/cjk-bigram/apos/max64/stem-en/1"
#define NG_TERM_MAX 64 /* longer words are not indexed */

/*
 * Text rules: how words become terms, which an index keeps for its life.
 * 1 (formats 4 and 5): the rules before 2.
 * 2 (format 6): ligatures and letters with a stroke spelt out ("œ" -> "oe");
 *   an acronym's plural ("GPUs") stemmed as its singular, with a marker
 *   term for the singular, and a marker for a word written in capitals
 *   ("CPU"); every CJK character also indexed alone.
 * An index is searched and updated by the rules it was made with, so that
 * its terms and its queries' terms agree until --rebuild.
 */
#define NG_TEXT_RULES 2

typedef enum ng_token_kind {
	NG_TOKEN_WORD, /* a run of letters and digits */
	NG_TOKEN_CJK   /* a CJK bigram, or a lone CJK character */
} ng_token_kind;

typedef struct ng_token {
	const char *term; /* normalised, NUL-terminated; borrowed for the callback */
	size_t len;
	size_t start, end; /* byte range of the source text it came from */
	ng_token_kind kind;
	bool stemmable; /* a word starting with a letter */
	/* "GPUs": an upper-case acronym with a lower-case plural "s"; the
	 * singular is the term without its last byte (which is "s") */
	bool acronym_plural;
	/* "CPU", "H100": three characters or more, a capital first, and only
	 * capitals and digits */
	bool capitals;
	bool lower;     /* has a small letter: "CPUs", "Cpu", "new" */
	bool run_start; /* first token of a CJK run (bigram phrases restart) */
	bool run_end;   /* last token of a CJK run */
} ng_token;

/*
 * How a pass that hands items to a callback (ng_tokenize, ng_walk) ended.
 * Its callbacks return true to go on, false to stop.
 */
typedef enum ng_pass {
	NG_PASS_DONE = 0,    /* every item was handed over */
	NG_PASS_STOPPED = 1, /* the callback returned false */
	NG_PASS_NOMEM = -1   /* out of memory */
} ng_pass;

/* True to go on, false to stop. */
typedef bool (*ng_token_fn)(void *ctx, const ng_token *tok);

typedef struct ng_tokenizer ng_tokenizer;
/* A tokenizer owns scratch buffers; reuse one per thread. NULL on ENOMEM. */
ng_tokenizer *ng_tokenizer_new(void);
void ng_tokenizer_free(ng_tokenizer *t);
/* Sets the text rules (NG_TEXT_RULES, or 1 for an older index's). */
void ng_tokenizer_set_rules(ng_tokenizer *t, unsigned rules);
/*
 * Splits text[0..len) into tokens: NFKC + case folding + diacritics
 * stripped (rules 2: ligatures and stroked letters spelt out, "œ" -> "oe");
 * words are runs of letters and digits; "U.S." is one word; an
 * apostrophe ends a word and a possessive 's after it is dropped; Han,
 * Hiragana, Katakana and Hangul runs become overlapping bigrams (a lone
 * character stays a unigram).  Invalid UTF-8 bytes separate words.
 */
ng_pass ng_tokenize(ng_tokenizer *t, const char *text, size_t len, ng_token_fn fn, void *ctx);
/* Whether the last ng_tokenize() on `t` left out a word longer than
 * NG_TERM_MAX bytes (which the index never has); the first such word's
 * byte range in its text goes to *start, *end. */
bool ng_tokenizer_long_word(const ng_tokenizer *t, size_t *start, size_t *end);

/*
 * Folds a whole field value (a topic, a type, a domain) the way words are
 * folded, keeping spaces and punctuation: "AI Hardware" -> "ai hardware".
 * Appends to `out` (NUL-terminated).  False when out of memory.
 */
bool ng_fold_value(const char *s, size_t len, ng_buf *out);

/* ---- prefixes and slots beyond the one table (schema.h) ----
 * The table (schema.c) says what each field is; these name the prefixes
 * and slots that modules other than the indexer and the query compiler
 * read too. */

#define NG_PREFIX_UID "Q"     /* unique id: the file's path */
#define NG_PREFIX_STEM "Z"    /* Z + field prefix + stem */
#define NG_PREFIX_FOLDER "XF" /* each folder of the file's path, boolean */
/* XA + an acronym's singular ("XAgpu"), boolean: the article has the
 * acronym's plural ("GPUs"), so a query for "gpus" knows "gpu" is one
 * (text rules 2) */
#define NG_PREFIX_ACRONYM "XA"
/* XC + a word of three letters or more written in capitals ("XCcpu" for
 * "CPU"), boolean: where most articles with the word write it so, a query
 * for "cpus" knows "cpu" is an acronym (text rules 2) */
#define NG_PREFIX_CAPITALS "XC"
/* The UTC year, month and day of a dated article, boolean (window.c) */
#define NG_PREFIX_YEAR "Y"  /* Y + YYYY */
#define NG_PREFIX_MONTH "M" /* M + YYYYMM */
#define NG_PREFIX_DAY "D"   /* D + YYYYMMDD */

#define NG_SLOT_DATE 0 /* publication time, sortable number */
#define NG_SLOT_URL 1  /* a hash of the article's URL, for collapsing duplicates */
#define NG_SLOT_FILE 2 /* the file's stat, hash and path (filestate.c) */
/* Facet values (the text as shown; NGX_FACET_SEPARATOR between topics)
 * are in the slots of the table's rows. */

/* The order of arrival (sequence.c; format 7). */
#define NG_SLOT_ARRIVAL 7      /* when the article's URL entered the index */
#define NG_SLOT_CHANGE 8       /* when the article was last written */
#define NG_PREFIX_ARRIVAL "XS" /* XS + arrival / NG_SEQ_BLOCK, boolean */
#define NG_PREFIX_CHANGE "XV"  /* XV + change / NG_SEQ_BLOCK, boolean */
#define NG_PREFIX_URL_KEY "XK" /* XK + NG_SLOT_URL's key in 16 hex digits */
#define NG_SEQ_BLOCK 1024
/* The last number given, in decimal ("" or absent: none yet). */
#define NG_META_SEQUENCE "newsgrep.sequence"
/* The index's identity: 32 hex digits, new with each new database. */
#define NG_META_IDENTITY "newsgrep.identity"
#define NG_IDENTITY_HEX 32
/* A standing search: this prefix and its name, holding its record
 * (watch.c).  A rebuild carries them over (update.c). */
#define NG_META_WATCH "newsgrep.watch/"

/* Index format: bump when documents are laid out differently.  Older
 * formats are still read and updated, each as it was made: format 7 is
 * format 8 with stored records of version 2 (docdata.c: a related item
 * without its URL, date and provider), which an update keeps writing, so
 * that a newsgrep of format 7 can still read the index; format 6 is
 * format 7 without the order of arrival (sequence.c: numbers, their terms
 * and the URL key terms; an update numbers what it writes, but the older
 * articles have none, so standing searches want a rebuild); format 5 has
 * text rules 1 (NG_TOKENIZER_ID_1) and lacks the folder terms (XF), so a
 * path: query on it asks for a rebuild (query.c); format 4 is format 5
 * without the date terms (Y, M, D) too, so it is searched without date
 * windows (window.c). */
#define NG_FORMAT_VERSION "8"
#define NG_FORMAT_NO_RELATED_DETAILS "7"
#define NG_FORMAT_NO_SEQUENCE "6"
/* The first format that numbers articles in the order they arrived. */
#define NG_FORMAT_FIRST_SEQUENCE NG_FORMAT_NO_RELATED_DETAILS
#define NG_FORMAT_TEXT_RULES_1 "5"
#define NG_FORMAT_NO_DATE_TERMS "4"
#define NG_META_FORMAT "newsgrep.format"
#define NG_META_TOKENIZER "newsgrep.tokenizer"
#define NG_META_ROOTS "newsgrep.roots" /* roots.c */
/* The paths roots were added by (roots.c); absent in older indexes. */
#define NG_META_ROOTS_ADDED "newsgrep.roots_added"
/* How many articles have the URL of another (repeats.c): "0" lets a search
 * skip collapsing; another number is at least 1 (a floor after updates
 * that only added); absent (an update under way, an older index) means
 * unknown. */
#define NG_META_REPEATED_URLS "newsgrep.repeated_urls"
/* The shard of an archive the index holds, "K/N" (shard.c); absent or ""
 * means the whole archive. */
#define NG_META_SHARD "newsgrep.shard"
/* A shard's record of a file whose article is another shard's: this prefix
 * and the 16 hex digits of XXH3_64bits of its path, holding its file
 * record (filestate.c, as NG_SLOT_FILE does).  See known.c. */
#define NG_META_ELSEWHERE "newsgrep.elsewhere/"

/* ---- sequence.c: the order in which articles entered the index ---- */

typedef struct ng_sequence {
	pthread_mutex_t lock; /* the builder's threads share one */
	uint64_t last;        /* the last number given */
} ng_sequence;

void ng_sequence_init(ng_sequence *s, uint64_t last);
void ng_sequence_release(ng_sequence *s);
/* The next number (thread-safe). */
uint64_t ng_sequence_next(ng_sequence *s);
uint64_t ng_sequence_last(ng_sequence *s);
/* Reads NG_META_SEQUENCE's text ("" is 0); false when it is no number. */
bool ng_sequence_parse(const char *text, uint64_t *out);
/* The block term of number n under `prefix`, NUL-terminated in
 * out[0..cap); its length, 0 when it does not fit. */
size_t ng_sequence_term(char *out, size_t cap, const char *prefix, uint64_t n);
/* The URL key term of `key` (NG_SLOT_URL's), as above. */
size_t ng_url_key_term(char *out, size_t cap, uint64_t key);
struct ngx_doc;
/* Gives document `doc` its numbers: values and block terms. */
int ng_sequence_stamp(struct ngx_doc *doc, uint64_t arrival, uint64_t change,
                      struct ngx_error *err);
/* A new identity (32 hex digits and a NUL) into out[0..cap); false when
 * no random bytes can be had. */
bool ng_identity_make(char *out, size_t cap);

/* ---- repeats.c: how many articles share a URL with another ---- */

#define NG_REPEATS_UNKNOWN UINT64_MAX

struct ngx_db;
struct ngx_error;

/* What an update knows of the count, and what it changed. */
typedef struct ng_repeats {
	uint64_t before; /* as recorded when the update began, or NG_REPEATS_UNKNOWN */
	bool removed;    /* an article was deleted or replaced */
	uint64_t *added; /* URL keys of the articles added or replaced */
	size_t nadded, cap;
	bool overflow; /* too many to remember: count them all */
} ng_repeats;

void ng_repeats_start(ng_repeats *r, struct ngx_db *x);
void ng_repeats_added(ng_repeats *r, uint64_t key);
void ng_repeats_release(ng_repeats *r);
/* The count after the update's changes, as cheaply as they allow; false
 * with *err set when the index cannot be read. */
bool ng_repeats_count(ng_repeats *r, struct ngx_db *x, uint64_t *out, struct ngx_error *err);

/* ---- article.c / frontmatter.c: the document model ---- */

typedef struct ng_related {
	const char *title, *excerpt;
	const char *url;          /* its webUrl */
	const char *original_url; /* preferred where it has one (ng_related_url) */
	const char *provider_name, *provider_domain;
	bool has_date;
	int64_t date;
} ng_related;

typedef struct ng_article {
	const char *title, *excerpt, *original_url, *web_url, *type;
	const char *provider_name, *provider_domain;
	bool has_date;
	int64_t date;
	bool has_quality, has_heat, has_published;
	int64_t quality, heat;
	bool published;
	const char **topics;
	size_t ntopics;
	ng_related *related;
	size_t nrelated;
} ng_article;

/* The article's URL: originalUrl, else webUrl, else "". */
const char *ng_article_url(const ng_article *a);
/* The same of a related item. */
const char *ng_related_url(const ng_related *r);

/* A problem found while reading one file: an ng_error with its place. */
typedef struct ng_file_problem {
	/* Why a file is not read (ng_frontmatter_parse): NEWSGREP_PARSE, not
	 * an article, or NEWSGREP_NOMEM (the docmaker's: NEWSGREP_IO too);
	 * NEWSGREP_OK in a warning. */
	newsgrep_status_t status;
	unsigned long line, column; /* 1-based; 0 when unknown */
	char message[256];
} ng_file_problem;

/* Receives warnings (the article is still usable). */
typedef void (*ng_warn_fn)(void *ctx, const ng_file_problem *p);

#define NG_MAX_FILE_SIZE (16u << 20)
/* What one article may cost the indexer: each string field's first
 * NG_MAX_FIELD_TEXT bytes are indexed and stored, and NG_MAX_ARTICLE_TEXT
 * bytes of them in all (index.c).  Each distinct word costs Xapian up to
 * a kilobyte or so until the commit: a 15 MiB title of them took 3.4 GB
 * and 150 s; within these an article takes at most about 220 MB (350 MB
 * of CJK text) and a few seconds, and a real one (a few KB) is never cut. */
#define NG_MAX_FIELD_TEXT (256u << 10)
#define NG_MAX_ARTICLE_TEXT (1u << 20)
#define NG_MAX_YAML_DEPTH 64
#define NG_MAX_RELATED 1000
#define NG_MAX_TOPICS 1000

/*
 * Extracts the article from a file's bytes (the whole file, `len` bytes).
 * Strings are allocated in `arena` and valid until it is reset.  Returns
 * true on success (warnings went to `warn`); false when the file is not an
 * article (err->status NEWSGREP_PARSE) or there was not memory enough to
 * read it (NEWSGREP_NOMEM), with the reason and place in *err.
 */
bool ng_frontmatter_parse(const char *buf, size_t len, ng_arena *arena, ng_article *out,
                          ng_file_problem *err, ng_warn_fn warn, void *warn_ctx);

/* ---- docdata.c: what a hit shows, stored compactly in the document ---- */

/* The versions of the record: 3 (format 8) keeps each related item's
 * URL, date and provider, 2 (formats 4 to 7) only its title and excerpt. */
#define NG_DOCDATA_VERSION 3
#define NG_DOCDATA_NO_RELATED_DETAILS 2

/* Encodes what the result list shows about `a` stored at `path`, as a
 * record of `version` (NG_DOCDATA_VERSION or NG_DOCDATA_NO_RELATED_DETAILS).
 * False when out of memory. */
bool ng_docdata_encode(ng_buf *out, const char *path, const ng_article *a, unsigned version);

typedef struct ng_docdata_related {
	const char *title, *excerpt;
	/* Version 3: the URL (originalUrl, else webUrl), the provider's name
	 * and domain ("" when it has none) and the date.  Version 2: NULL and
	 * no date. */
	const char *url, *provider, *provider_domain;
	bool has_date;
	int64_t date;
} ng_docdata_related;

typedef struct ng_docdata {
	const char *path, *title, *url, *provider, *provider_domain, *excerpt;
	bool has_date;
	int64_t date;
	size_t ntopics;
	const char **topics;
	size_t nrelated;
	ng_docdata_related *related;
} ng_docdata;

/* Decodes data[0..len) in place into `out`, allocating in `arena`.
 * False when the bytes are not valid document data. */
bool ng_docdata_decode(const char *data, size_t len, ng_arena *arena, ng_docdata *out);

/* ---- walk.c: finding article files ---- */

typedef enum ng_walk_event {
	NG_WALK_FILE,   /* an article file to index */
	NG_WALK_PROBLEM /* a path that cannot be walked (message set) */
} ng_walk_event;

struct stat;
/* `path` is absolute; `st` (NG_WALK_FILE) is the file's stat, links
 * followed; `message` is set for NG_WALK_PROBLEM.  `is_error` marks
 * problems that mean a file was skipped.  True to go on, false to stop. */
typedef bool (*ng_walk_fn)(void *ctx, ng_walk_event ev, const char *path, const struct stat *st,
                           const char *message, bool is_error);

/* Walks `root` (a folder or a file), following symbolic links to folders
 * when `follow`; no link leads into or above roots[0..nroots) (the index's
 * roots, resolved; walk.c tells the rules). */
ng_pass ng_walk(const char *root, bool follow, const char *const *roots, size_t nroots,
                ng_walk_fn fn, void *ctx);

/* ---- url.c ---- */

/* The host of `url` ("https://www.WSJ.com/x" -> "wsj.com"), lower-cased,
 * without "www." and port, into out[0..cap).  False when there is none. */
bool ng_url_host(const char *url, char *out, size_t cap);

/* ---- filestate.c: a file's record, to spot changes ---- */

typedef struct ng_file_state {
	uint64_t size, ino, hash; /* hash: xxh3 of the file's bytes */
	int64_t mtime_sec, ctime_sec;
	uint32_t mtime_nsec, ctime_nsec;
} ng_file_state;

#define NG_FILE_STATE_SIZE 48 /* bytes before the path */

/* Sets everything but the hash from `st`. */
void ng_file_state_from_stat(ng_file_state *fs, const struct stat *st);
/* Size, inode, mtime and ctime all equal (the hash is not compared). */
bool ng_file_state_same_stat(const ng_file_state *a, const ng_file_state *b);
/* The value stored in NG_SLOT_FILE: the state, then path[0..len). */
bool ng_file_state_encode(ng_buf *out, const ng_file_state *fs, const char *path, size_t len);
/* False when the bytes are no file record.  *path points into `bytes`. */
bool ng_file_state_decode(const char *bytes, size_t len, ng_file_state *fs, const char **path,
                          size_t *path_len);

/* ---- index.c: an article file made into a Xapian document ---- */

/* The unique id term of the article file at absolute `path`: "Q" + path,
 * or for a path too long to be a term, a prefix of it and a hash of the
 * whole, into `out` (emptied first).  False when out of memory. */
bool ng_uid_term(const char *path, ng_buf *out);

typedef struct ng_docmaker ng_docmaker;
struct ngx_doc;

/* A docmaker for the handle's database, with its text tools. */
newsgrep_status_t ng_docmaker_new(ng_docmaker **out, newsgrep_db_t *db);
/* A docmaker for another thread, writing into *x (builder.c): its own
 * text tools, the text rules and test settings of `like`. */
newsgrep_status_t ng_docmaker_new_apart(ng_docmaker **out, const newsgrep_db_t *like,
                                        struct ngx_db *const *x, ng_error *err);
void ng_docmaker_free(ng_docmaker *dm);
/*
 * The docmaker's calls return NEWSGREP_OK, or the status of an error that
 * ends the run, the error in ng_docmaker_error() (for the caller to
 * convert: ng_db_error).  A file that cannot be made into a document is
 * no such error: NEWSGREP_OK with problem->status saying why it is
 * skipped (NEWSGREP_PARSE, NEWSGREP_IO, or NEWSGREP_NOMEM: not memory
 * enough for it, the index untouched) and the message in *problem.
 */
/* Reads the file and records its stat and hash in *fs. */
newsgrep_status_t ng_docmaker_read(ng_docmaker *dm, const char *path, ng_file_state *fs,
                                   ng_file_problem *problem);
/* Makes the document of the file just read (kept until the next call):
 * ng_docmaker_parse, then ng_docmaker_make. */
newsgrep_status_t ng_docmaker_build(ng_docmaker *dm, const char *path, const ng_file_state *fs,
                                    ng_file_problem *problem);
/* Reads the article of the file just read, at `path` (borrowed until the
 * next call), and notes its URL key (ng_docmaker_url_key), so that a shard
 * knows whether to make its document at all. */
newsgrep_status_t ng_docmaker_parse(ng_docmaker *dm, const char *path, ng_file_problem *problem);
/* Makes the document of the article just parsed, with file record `fs`. */
newsgrep_status_t ng_docmaker_make(ng_docmaker *dm, const ng_file_state *fs,
                                   ng_file_problem *problem);
struct ngx_doc *ng_docmaker_doc(ng_docmaker *dm);
/* Makes the document article `a` at `path` with file record `fs` is
 * stored as, to compare with what the index holds (check.c): as
 * ng_docmaker_build, but from the article, and with its words for the
 * spelling dictionary kept for ng_docmaker_spellings rather than added.
 * Running out of memory is an error (NEWSGREP_NOMEM) here. */
newsgrep_status_t ng_docmaker_remake(ng_docmaker *dm, const char *path, const ng_article *a,
                                     const ng_file_state *fs);
/* The spelling words of the document made last: *pool holds their bytes. */
struct ngx_posting;
size_t ng_docmaker_spellings(const ng_docmaker *dm, const char **pool,
                             const struct ngx_posting **words);
/* Feeds the words of the document just added to the index to its spelling
 * dictionary (a write of the batch).  Out of memory is a warning
 * (problem->status NEWSGREP_NOMEM, with NEWSGREP_OK): the document stays,
 * some of its words unsuggested. */
newsgrep_status_t ng_docmaker_add_spellings(ng_docmaker *dm, ng_file_problem *problem);
/* Frees what the docmaker holds for one document (after running out of
 * memory, for the next files). */
void ng_docmaker_give_back(ng_docmaker *dm);
/* Takes the words document `docid` gave the spelling dictionary back out
 * of it, before the document is deleted or replaced. */
newsgrep_status_t ng_docmaker_forget_spellings(ng_docmaker *dm, uint32_t docid);
/* An estimate of the writer memory the document built last takes until
 * the next commit, in bytes. */
size_t ng_docmaker_cost(const ng_docmaker *dm);
/* The URL key of the article just parsed or document just built (what
 * NG_SLOT_URL holds, as a little-endian number); false when it has no
 * URL. */
bool ng_docmaker_url_key(const ng_docmaker *dm, uint64_t *key);
/* The error a call failed with (status NEWSGREP_OK: none); borrowed from
 * the docmaker. */
const ng_error *ng_docmaker_error(const ng_docmaker *dm);
/* The warnings about the file just built, and how many more were dropped. */
size_t ng_docmaker_warnings(const ng_docmaker *dm, const ng_file_problem **out, size_t *dropped);

/* ---- known.c: the files an index holds, by path ---- */

typedef struct ng_known {
	size_t path_off, path_len; /* in the table's pool */
	uint64_t hash;             /* of the path: XXH3_64bits */
	/* Its article's document, or 0: a file of another shard, recorded in
	 * the metadata (NG_META_ELSEWHERE + hash) */
	uint32_t docid;
	bool seen; /* still there (or must be kept): not to be deleted */
	ng_file_state state;
} ng_known;

typedef struct ng_known_table {
	ng_known *items;
	size_t n, cap;
	uint32_t *slots; /* open addressing: indexes into items, or UINT32_MAX */
	size_t nslots;
	ng_buf pool;
} ng_known_table;

/* False when out of memory.  Zero-initialise the table first.  docid 0:
 * a file of another shard. */
bool ng_known_add(ng_known_table *t, const char *path, size_t len, uint32_t docid,
                  const ng_file_state *state);
/* The metadata key of the record of a file of another shard at
 * path[0..len) (NG_META_ELSEWHERE and the 16 hex digits of the path's
 * XXH3_64bits), into out[cap] (NG_ELSEWHERE_KEY_SIZE bytes will do). */
#define NG_ELSEWHERE_KEY_SIZE (sizeof(NG_META_ELSEWHERE) + 16)
void ng_known_elsewhere_key(const char *path, size_t len, char *out, size_t cap);
ng_known *ng_known_find(ng_known_table *t, const char *path, size_t len);
/* The entry's path; not NUL-terminated (k->path_len bytes). */
const char *ng_known_path(const ng_known_table *t, const ng_known *k);
void ng_known_release(ng_known_table *t);

/* ---- roots.c: the folders an index covers ---- */

typedef struct ng_roots {
	char **v;
	size_t n;
} ng_roots;

/* path[0..len) is `root` or inside it. */
bool ng_path_under(const char *path, size_t len, const char *root);
/* The folder term of absolute folder `folder` (len bytes) into `out`:
 * NG_PREFIX_FOLDER + the folder, or for one too long to be a term, a
 * prefix of it and a hash of the whole.  False when out of memory. */
bool ng_folder_term(const char *folder, size_t len, ng_buf *out);
/* Tidies a path in place, as the file system would read it but without
 * asking it: "a//b/./c/" is "a/b/c", "a/../b" is "b", "/.." is "/".  A
 * relative path that climbs above its start keeps its leading "..".
 * Returns the new length; "" stays "". */
size_t ng_path_tidy(char *path, size_t len);
/*
 * dir + "/" + name into out[cap]: every path newsgrep builds in a fixed
 * buffer is made here.  False, with errno ENAMETOOLONG and out "", when
 * it does not fit or is PATH_MAX bytes or more (which the kernel refuses):
 * a path is never cut short, since the shorter one may name another file.
 */
bool ng_path_join(char *out, size_t cap, const char *dir, const char *name);
/* From the metadata value (one path per line).  False when out of memory. */
bool ng_roots_parse(const char *text, ng_roots *out);
/* Into the metadata value, NUL-terminated (out->len counts the NUL). */
bool ng_roots_format(const ng_roots *r, ng_buf *out);
/* Adds `root`: NEWSGREP_OK, with *changed (unless NULL) false when a root
 * already covers it, or NEWSGREP_NOMEM.  Roots inside the new one are
 * dropped. */
newsgrep_status_t ng_roots_add(ng_roots *r, const char *root, bool *changed);
/* False when `root` is not one of the roots. */
bool ng_roots_remove(ng_roots *r, const char *root);
void ng_roots_release(ng_roots *r);
/* The paths roots were added by (NG_META_ROOTS_ADDED), in an ng_roots read
 * with ng_roots_parse: v[2i] a root, v[2i + 1] a path it was added by.
 * Notes that `root` was added as `path` (absolute, not resolved), which is
 * then no other root's: NEWSGREP_OK, with *changed false when that changed
 * nothing known (the pair was known, or `path` is `root`), or
 * NEWSGREP_NOMEM. */
newsgrep_status_t ng_added_note(ng_roots *added, const char *root, const char *path, bool *changed);
/* The root added as `path`, borrowed from `added`, or NULL. */
const char *ng_added_root(const ng_roots *added, const char *path);
/* Into the metadata value, NUL-terminated, keeping only the pairs of roots
 * still in `roots`.  False when out of memory. */
bool ng_added_format(const ng_roots *added, const ng_roots *roots, ng_buf *out);

/* ---- shard.c: which articles a shard of an archive holds ---- */

/* Shard `index` of `count` (1 <= index <= count <= NEWSGREP_SHARD_MAX), or
 * the whole archive (count 0 or 1; index 0 with count 0). */
typedef struct ng_shard {
	uint32_t index, count;
} ng_shard;

/* Whether the numbers are a shard or the whole archive, as above. */
bool ng_shard_valid(const ng_shard *s);
/* Whether it is the whole archive (no shard, or 1/1). */
bool ng_shard_whole(const ng_shard *s);
/* Whether they hold the same articles (every whole is the same). */
bool ng_shard_same(const ng_shard *a, const ng_shard *b);
/* "K/N" (the metadata NG_META_SHARD), or "" for the whole archive, into
 * *out ("1/1" too is the whole); false when it is neither. */
bool ng_shard_parse(const char *text, ng_shard *out);
/* Its "K/N" into out, or "" for the whole archive. */
void ng_shard_format(const ng_shard *s, char *out, size_t cap);
/* The key of an article with a URL: what NG_SLOT_URL holds (index.c). */
uint64_t ng_shard_url_key(const char *url, size_t len);
/* The key of an article without one: its path relative to the root of
 * `roots` it is under (a root that is the file: its name). */
uint64_t ng_shard_path_key(const char *path, const ng_roots *roots);
/* Whether the shard holds the article of `key` (the whole holds all). */
bool ng_shard_holds(const ng_shard *s, uint64_t key);

/* ---- plan.c: what an update is to change, decided in memory ---- */

#define NG_PLAN_NONE UINT32_MAX

typedef enum ng_plan_kind {
	NG_PLAN_NEW,  /* a file the index does not have */
	NG_PLAN_CHECK /* a file whose stat differs from the index's record */
} ng_plan_kind;

/* A file to read, and maybe index. */
typedef struct ng_plan_item {
	size_t path_off; /* in the plan's paths, NUL-terminated */
	ng_plan_kind kind;
	uint32_t known;      /* NG_PLAN_CHECK: its entry in the known table */
	uint32_t moved_from; /* NG_PLAN_NEW: the vanished entry it replaces, or NG_PLAN_NONE */
	uint64_t ino, size;  /* as the walk saw the file, to pair moves */
} ng_plan_item;

/* Zero-initialise, fill `known` (ng_known_add), then give it the walk's
 * files (ng_plan_file), the vanished ones (ng_plan_find_gone) and the
 * moves (ng_plan_pair_moves). */
typedef struct ng_plan {
	ng_known_table known; /* what the index holds; `seen`: not to be deleted */
	ng_plan_item *items;  /* the files to read, in the order found */
	size_t nitems, items_cap;
	ng_buf paths;
	uint32_t *gone; /* entries of `known` that vanished, those moved included */
	size_t ngone, gone_cap;
} ng_plan;

/* What ng_plan_file made of a file. */
typedef enum ng_plan_found {
	NG_PLAN_UNCHANGED, /* the index's record of it holds: nothing to do */
	NG_PLAN_ELSEWHERE, /* the same, for the file of another shard's article */
	NG_PLAN_QUEUED,    /* an item to read: new, or its stat changed */
	NG_PLAN_AGAIN      /* a known file already seen or kept: nothing more */
} ng_plan_found;

/* A file the walk found, with the stat it saw (no hash): NEWSGREP_OK and
 * what became of it in *found, or NEWSGREP_NOMEM. */
newsgrep_status_t ng_plan_file(ng_plan *p, const char *path, const ng_file_state *fs,
                               ng_plan_found *found, ng_error *err);
/* Keeps every entry at or under `path` (it could not be looked at);
 * returns how many. */
uint64_t ng_plan_keep_under(ng_plan *p, const char *path);
/* How many entries are at or under `root`. */
uint64_t ng_plan_count_under(const ng_plan *p, const char *root);
/* Lists in `gone` the entries not seen that are under a root of `walked`
 * or, when every root was walked (`all_roots` the index's roots, else
 * NULL), under none of `all_roots`.  NEWSGREP_OK or NEWSGREP_NOMEM. */
newsgrep_status_t ng_plan_find_gone(ng_plan *p, const ng_roots *walked, const ng_roots *all_roots,
                                    ng_error *err);
/* Pairs each new item, in order, with the first vanished entry (in table
 * order) of the same inode and size not yet taken: a move.  The entry
 * taken is marked seen.  NEWSGREP_OK or NEWSGREP_NOMEM. */
newsgrep_status_t ng_plan_pair_moves(ng_plan *p, ng_error *err);
/* Whether gone[i] is deleted alone (not the first half of a move). */
bool ng_plan_deletes(const ng_plan *p, size_t i);
/* The item's path. */
const char *ng_plan_path(const ng_plan *p, const ng_plan_item *it);
/* Once the item's file is read (`read` has its hash): whether its bytes
 * are the index's, so that only its record is refreshed. */
bool ng_plan_same_content(const ng_plan *p, const ng_plan_item *it, const ng_file_state *read);
void ng_plan_release(ng_plan *p);

/* ---- db.c / layout.c: the index folder ---- */

/*
 * An index is a folder holding
 *   lock      the writers' lock (flock), with the holder's pid in it;
 *   XAPIANDB  a Xapian stub naming the live database, "auto db.N";
 *   db.N      the live Xapian database.
 * newsgrep reads the stub itself and accepts only what it writes: one line
 * naming a db.N folder (not a link) of the index; anything else is a
 * damaged index.  Xapian is only ever handed a database folder (glass),
 * never a stub, which could name a remote command to run.  The folder's
 * own files are made and opened without following links.  A rebuild makes
 * db.N+1 beside the live one and swaps it in by renaming a new stub over
 * the old: one atomic step, after which db.N is removed.
 */
#define NG_LAYOUT_LOCK "lock"
#define NG_LAYOUT_STUB "XAPIANDB"
#define NG_LAYOUT_DB_PREFIX "db."
/* What a writer always makes below the index folder, the longest name
 * first: an index folder longer than PATH_MAX less this cannot hold one.
 * (Where it is used, ngx.h is included too.) */
#define NG_LAYOUT_LONGEST_TAIL "/" NG_LAYOUT_DB_PREFIX "1/" NGX_GLASS_LONGEST_FILE

/* Crash tests: NEWSGREP_TEST_KILL_AT=N sends the process signal
 * NEWSGREP_TEST_KILL_SIGNAL (default SIGKILL) at the N-th step that a
 * writer counts here (ng_step): a handle's writes, or a segment's
 * (builder.c).  Only the test copies of the library read them
 * (testhooks.c); in the shipped one they stay 0. */
typedef struct ng_steps {
	unsigned long kill_at, n;
	int kill_signal;
} ng_steps;

/* What only a writer has: a handle's db->w, which a reader's is NULL, so
 * that a reader cannot reach it.  Made by open_writer (db.c), freed by
 * newsgrep_db_close. */
typedef struct ng_db_writer {
	int lock_fd;       /* the held lock, else -1 */
	unsigned building; /* a rebuild's db.N not yet swapped in, else 0 */
	/* Crash tests: its steps that write (ng_db_step). */
	ng_steps steps;
	/* Tests: NEWSGREP_TEST_SEGMENT_FILES=N makes a new index's segments
	 * (builder.c) N files long, so that small corpora have many. */
	unsigned long segment_files;
	/* Tests: NEWSGREP_TEST_NOMEM_FILE=TEXT makes building the document of
	 * a file whose path holds TEXT run out of memory, as Xapian would. */
	const char *nomem_file;
} ng_db_writer;

/* ---- the members of a set (members.c) ---- */

/* A remote member's timeouts unless its set file says otherwise: of each
 * exchange with its server, and of the connection. */
#define NG_REMOTE_TIMEOUT_MS 3000
#define NG_REMOTE_CONNECT_MS 2000
/* The first line of a set file. */
#define NG_SET_FILE_HEADER "# newsgrep set"

/* One index of a set: a folder, or a server's (remote). */
typedef struct ng_member {
	char *name; /* the folder, or HOST:PORT, as the user wrote it */
	bool remote;
	char *host; /* remote: the host, without an IPv6 address's brackets */
	unsigned port;
	unsigned timeout_ms, connect_ms;
} ng_member;

typedef struct ng_members {
	ng_member *v;
	size_t n;
} ng_members;

/* The members names[0..n) stand for: folders, servers and the members of
 * set files, in order; a bad set file names itself and the line. */
newsgrep_status_t ng_members_parse(ng_members *out, const char *const *names, size_t n,
                                   ng_error *err);
void ng_members_release(ng_members *m);
/* Reads `text` as HOST:PORT ([IPV6]:PORT too): the host into
 * host[0..cap), the port (1 to 65535) into *port. */
bool ng_member_remote_parse(const char *text, char *host, size_t cap, unsigned *port);

struct ngx_db;
struct ngx_stemmer;
struct newsgrep_db {
	struct ngx_db *x;
	char *path;
	newsgrep_db_mode_t mode;
	ng_tokenizer *tok;
	struct ngx_stemmer *stemmer;
	/* Readers: the stub as it was when the database was opened; another
	 * one means a rebuild swapped a new database in. */
	dev_t stub_dev;
	ino_t stub_ino;
	/* Every dated article has its date terms (format 5; window.c). */
	bool date_terms;
	/* Every article has its folder terms (format 6; query.c). */
	bool folder_terms;
	/* Every article has its numbers of arrival (format 7; sequence.c). */
	bool sequence;
	/* The documents written get records of version 3 (format 8: related
	 * items with their URL, date and provider; docdata.c); else of
	 * version 2, which a newsgrep of format 7 reads. */
	bool related_details;
	/* The index's text rules (NG_TEXT_RULES, or 1 for formats 4 and 5):
	 * its tokenizer, indexer and queries follow them. */
	unsigned text_rules;
	/* Writers only (NEWSGREP_DB_WRITE, NEWSGREP_DB_REBUILD): NULL in a
	 * reader. */
	ng_db_writer *w;
	/* A set of indexes (newsgrep_db_open_set, more than one): each
	 * member's own reader handle, which follows its index folder; x joins
	 * their databases and path is the first one's (set.c).  NULL and 0
	 * for one index. */
	struct newsgrep_db **members;
	size_t nmembers;
	/* A set: the names it was opened with (folders, servers, set files),
	 * to open it again (results.c). */
	char **set_names;
	size_t nset_names;
	/* A set's member: what it is (members.c); a remote one's database is
	 * a xapian-tcpsrv's, and path its HOST:PORT. */
	ng_member spec;
	/* A set's remote member left out of its searches for now: why (NULL
	 * while it is in), and when it was last tried (CLOCK_MONOTONIC
	 * seconds; it is tried again NG_REMOTE_RETRY_S later). */
	char *missing;
	double missing_at;
	/* The article the watch newsgrep_watch_get last read follows: its
	 * opts.like (watch.c). */
	char *watch_like;
	char errmsg[1024];
};

/* How long a set leaves out a member it could not reach before it tries
 * that member again, in seconds: a dead server costs a search its timeout
 * at most once in that time. */
#define NG_REMOTE_RETRY_S 10.0

/* How often a reader retries what a writer's commits disturbed
 * (DatabaseModifiedError) before it gives up with NEWSGREP_INDEX_CHANGED. */
#define NG_READ_RETRIES 5

/* Moves a reader to the index's latest commit (a writer sees its own). */
newsgrep_status_t ng_db_refresh(newsgrep_db_t *db);

/* ng_db_refresh of a set (set.c): refreshes each member (a rebuilt one
 * is opened again and checked), checks that they still agree and joins
 * them again; a failure names the member. */
newsgrep_status_t ng_set_refresh(newsgrep_db_t *db);
/* A search of set `db` failed with the network error `x`: leaves out the
 * remote members it names (or, when it names none, those that do not
 * answer), connects the others afresh and joins what is left.  NEWSGREP_OK
 * when the search can be run again; else the error's status, with the
 * message on the handle. */
newsgrep_status_t ng_set_lost(newsgrep_db_t *db, const struct ngx_error *x);
/* A read of `db` failed with `rc`: whether to read again, after what makes
 * that worth it: a commit under the reader (NGX_ERR_MODIFIED) refreshes
 * it, a server of a set that stops answering (NGX_ERR_NETWORK) is left
 * out (ng_set_lost; when that fails, false with its status in *st).  False
 * for any other error, *st untouched. */
bool ng_read_again(newsgrep_db_t *db, int rc, const struct ngx_error *err, newsgrep_status_t *st);
/* Checks a reader's recorded format (as newsgrep_db_open does): the flags
 * it implies go on the handle. */
newsgrep_status_t ng_db_check_format(newsgrep_db_t *db);
/* The format (NG_FORMAT_*) a handle's flags stand for: of one index, its
 * recorded one. */
const char *ng_db_format(const newsgrep_db_t *db);
/* The roots of the index, or the roots of every member of a set, each
 * once, into *out (release it with ng_roots_release): NGX_OK, or the
 * shim's error in *err (NGX_ERR_NOMEM when out of memory). */
int ng_db_read_roots(newsgrep_db_t *db, ng_roots *out, struct ngx_error *err);

/* The database a reader opens, into out: the db.N the stub names, or the
 * folder itself for an index made before format 3; a failure with its
 * message on the handle. */
newsgrep_status_t ng_db_reader_path(newsgrep_db_t *db, char *out, size_t cap);

/* Counts a writing step; under NEWSGREP_TEST_KILL_AT, dies at the chosen one
 * (in the test copies of the library only: testhooks.c). */
void ng_step(ng_steps *s);
/* The same for the handle's steps (a writer's; a reader has none). */
void ng_db_step(newsgrep_db_t *db);
/* Reads the NEWSGREP_TEST_* variables into the writer of the index at
 * `path` (test copies only). */
void ng_test_hooks_open(ng_db_writer *w, const char *path);
/* Under NEWSGREP_TEST_DISK_BYTES, the simulated disk's free bytes (true);
 * false when the disk is real (always, in the shipped library). */
bool ng_test_disk_free(const char *dir, uint64_t *out);

/* Takes the index folder's lock, waiting up to `wait` seconds; the fd is
 * in db->w->lock_fd.  NEWSGREP_LOCKED names the lock and its holder;
 * NEWSGREP_INVALID_ARG for a reader. */
newsgrep_status_t ng_layout_lock(newsgrep_db_t *db, double wait);
/* The highest N of the folder's db.N into *last (0 when none); false on
 * error (errno). */
bool ng_layout_last_db(const char *dir, unsigned *last);
/* Whether the stub joins several databases by hand: a writer refuses it,
 * even to rebuild. */
bool ng_layout_stub_joins(const char *dir);
/* The db.N the stub names, into out; false when there is no valid stub. */
bool ng_layout_live_db(const char *dir, char *out, size_t cap);
/* The same, with a message on the handle: NEWSGREP_NO_INDEX when there is
 * no stub and no database with articles (a first index stopped before its
 * stub was written), NEWSGREP_CORRUPT (naming the stub, its line and how
 * to mend it) for a stub newsgrep did not write or a lost stub beside a
 * db.N that has articles, NEWSGREP_PERMISSION or NEWSGREP_IO when it
 * cannot be read. */
newsgrep_status_t ng_layout_stub(newsgrep_db_t *db, char *out, size_t cap);
/*
 * Publishes db.N, a complete, committed database: points the stub at it
 * (atomically and durably: readers see the old database or the new), then
 * makes it the handle's (db->w->building 0; with a `writer` of db.N, that
 * becomes db->x and the old writer is closed) and removes every other
 * db.* (ng_layout_sweep).  On failure (the message on the handle)
 * nothing changed: `writer` is still the caller's, and NEWSGREP_IO leaves
 * errno saying why (ENOSPC, EDQUOT: the disk is full).  A writer's only:
 * NEWSGREP_INVALID_ARG for a reader.
 */
newsgrep_status_t ng_layout_publish(newsgrep_db_t *db, unsigned n, struct ngx_db *writer);
/* The bytes of the files in database folder `path` (0 if unreadable). */
uint64_t ng_layout_db_bytes(const char *path);
/* The bytes the user may still write on the index folder's disk (statvfs's
 * f_bavail), UINT64_MAX when unknown. */
uint64_t ng_layout_free_bytes(const char *dir);
/* The first of the index folder's files (the folder, its lock, stub, live
 * database and that database's files) this process may not read, or a
 * `writer` not write, into out: for a message that names it.  False when
 * nothing is refused (a missing file is not refused). */
bool ng_layout_denied(const char *dir, bool writer, char *out, size_t cap);
/* Whether the folder holds anything but what an index holds (its lock,
 * stub and databases): it is not an index. */
bool ng_layout_foreign(const char *dir);
/* Removes every db.* but `keep` (NULL: all), and a pre-3 database's files. */
void ng_layout_sweep(const char *dir, const char *keep);
/* rm -r path; 0 or an errno. */
int ng_remove_tree(const char *path);

/* Maps a shim error code (ngx_code) to the status a caller acts on. */
newsgrep_status_t ng_status_from_ngx(int ngx_code_value);
/* Makes the handle's tokenizer and stemmer if it has none yet. */
newsgrep_status_t ng_db_text_tools(newsgrep_db_t *db);
/* NEWSGREP_PERMISSION, with a message naming the file refused. */
newsgrep_status_t ng_db_denied(newsgrep_db_t *db, const char *refused);
/* A path below `dir` would be too long (ng_path_join failed): says so,
 * naming it (NEWSGREP_IO, as the kernel's ENAMETOOLONG). */
newsgrep_status_t ng_db_too_long(newsgrep_db_t *db, const char *dir, const char *name);
/* Stores "what: detail" as the handle's message and returns `status`. */
newsgrep_status_t ng_db_fail(newsgrep_db_t *db, newsgrep_status_t status, const char *what,
                             const char *detail);

/* ---- qparse.c: the query language, parsed into a tree ---- */

/* Where a query word is looked for. */
typedef enum ng_qfield {
	NG_QF_TEXT, /* title, excerpt and related text together (no field) */
	NG_QF_TITLE,
	NG_QF_EXCERPT,
	NG_QF_RELATED,
	NG_QF_PROVIDER,
	NG_QF_SITE,
	NG_QF_TOPIC,
	NG_QF_TYPE,
	NG_QF_URL,
	NG_QF_DATE,
	NG_QF_PATH, /* path: or folder:, a folder the article's file is in */
	NG_QF_NONE  /* what no query names (schema.h) */
} ng_qfield;

typedef enum ng_qkind {
	NG_Q_WORDS,    /* a bare word; several tokens ("GPU-based") make a phrase */
	NG_Q_PHRASE,   /* "quoted": exact words in order */
	NG_Q_WILDCARD, /* prefix*: terms[0] is the folded prefix */
	NG_Q_ALL,      /* "*": every article */
	NG_Q_VALUE,    /* site:, topic:, type: the whole folded value; path: as typed */
	NG_Q_DATE,     /* date:LO..HI */
	NG_Q_NEAR,     /* kids are one-word NG_Q_WORDS, within `distance` */
	NG_Q_AND,
	NG_Q_OR,
	NG_Q_AND_NOT /* kids[0] but not kids[1] */
} ng_qkind;

typedef struct ng_qterm {
	const char *text; /* folded, NUL-terminated */
	size_t len;
	bool stemmable;
	bool cjk;
	bool acronym_plural; /* written as "GPUs" (ng_token) */
} ng_qterm;

typedef struct ng_qnode ng_qnode;
struct ng_qnode {
	ng_qkind kind;
	ng_qfield field;
	size_t start, end; /* byte range in the query text */
	ng_qterm *terms;   /* WORDS, PHRASE, WILDCARD */
	size_t nterms;
	const char *value;   /* VALUE: folded, NUL-terminated */
	bool has_lo, has_hi; /* DATE */
	int64_t lo, hi;
	unsigned distance; /* NEAR: most words allowed between two of them */
	ng_qnode **kids;   /* NEAR, AND, OR, AND_NOT */
	size_t nkids;
};

/* A parse error: an ng_error with its byte offset into the query. */
typedef struct ng_qerror {
	newsgrep_status_t status; /* NEWSGREP_BAD_QUERY, or NEWSGREP_NOMEM */
	size_t offset;
	char message[200];
} ng_qerror;

#define NG_NEAR_DEFAULT 10

/*
 * Parses `text` (len bytes) with tokenizer `tok` into a tree allocated in
 * `arena`.  `now` anchors relative dates in date:.  Returns the root, or
 * NULL with *err set (err->offset is where the problem is; err->status
 * NEWSGREP_NOMEM when out of memory, else NEWSGREP_BAD_QUERY).
 */
ng_qnode *ng_qparse(const char *text, size_t len, ng_tokenizer *tok, ng_arena *arena, int64_t now,
                    ng_qerror *err);

/*
 * Parses `text` as plain words (newsgrep -F): nothing in it is an
 * operator, field, quote, group or wildcard.  Each run of characters
 * between spaces is what a bare word is in ng_qparse (its words as a
 * phrase when it has several), and all of them must match.  Returns the
 * root, or NULL with *err set, as ng_qparse.
 */
ng_qnode *ng_qparse_fixed(const char *text, size_t len, ng_tokenizer *tok, ng_arena *arena,
                          ng_qerror *err);

/* Formats "query:LINE:COLUMN: message" for an error in `text`, counting
 * columns in characters. */
void ng_qerror_format(const char *text, size_t len, const ng_qerror *err, char *buf, size_t cap);

/* The tree in the query language's own terms, fully parenthesised:
 * (title:gpu AND NOT "global times").  NUL-terminated in `out`. */
bool ng_qnode_describe(const ng_qnode *n, ng_buf *out);

/* The field's name as typed in queries ("text" for NG_QF_TEXT). */
const char *ng_qfield_name(ng_qfield f);
/* The prefix of the terms a field's words or values are looked up by ("":
 * unprefixed, or looked up otherwise, as site: and date: are). */
const char *ng_qfield_prefix(ng_qfield f);

/* ---- snippet.c ---- */

typedef struct ng_snippet {
	const char *text;
	newsgrep_span_t *spans;
	size_t nspans;
	const char **matched_in; /* "title", "excerpt", "related[N]" */
	size_t nmatched_in;
	const char *from;             /* the label of the text the snippet is from */
	newsgrep_span_t *title_spans; /* the matches in the title as it is */
	size_t ntitle_spans;
} ng_snippet;

/* What making snippets reuses from hit to hit: a tokenizer, a stemmer
 * (with the stems of words seen so far) and room for matches, for an
 * index of text rules `rules` (NG_TEXT_RULES, or 1).  NULL when out of
 * memory. */
typedef struct ng_snippeter ng_snippeter;
ng_snippeter *ng_snippeter_new(unsigned rules);
void ng_snippeter_free(ng_snippeter *sn);

struct ng_hlterm;
/* Finds the passage of `d` that best matches the highlight words and
 * where they matched; what it returns is allocated in `arena`.  False
 * when out of memory. */
bool ng_snippet_make(ng_snippeter *sn, ng_snippet *out, const ng_docdata *d,
                     const struct ng_hlterm *hl, size_t nhl, ng_arena *arena);

/* ---- query.c ---- */

#define NG_MAX_EXPANSION 1000 /* words a wildcard may stand for, by default */

/* How a highlighted query word matches a word of a hit's text. */
typedef enum ng_hl_match {
	NG_HL_WORD,  /* the folded word itself */
	NG_HL_STEM,  /* the word's stem */
	NG_HL_PREFIX /* the folded word starts with it */
} ng_hl_match;

typedef struct ng_hlterm {
	const char *term;
	size_t len;
	ng_hl_match how;
	ng_qfield field; /* NG_QF_TEXT, _TITLE, _EXCERPT or _RELATED */
} ng_hlterm;

struct ngx_query;
typedef struct ng_query {
	ng_arena arena; /* the tree and the highlight words */
	ng_qnode *root;
	struct ngx_query *xq;
	bool ranked;         /* there are words to rank by (else sort newest first) */
	unsigned text_rules; /* the index's, when the query was built */
	/* The dates it can match at all, as far as its date: parts and the
	 * options' range tell (an end without has_ is open). */
	bool has_lo, has_hi;
	int64_t lo, hi;
	ng_hlterm *hl;
	size_t nhl, hl_cap;
} ng_query;

/* Parses `text` and builds its Xapian query, with the options' date range
 * and stemming.  On failure the message ("query:1:9: ...") is on `db`;
 * release `out` either way. */
newsgrep_status_t ng_query_build(ng_query *out, newsgrep_db_t *db, const char *text,
                                 const newsgrep_search_options_t *opts);
void ng_query_release(ng_query *q);

/* ---- window.c: a search sorted by date, from its newest days ---- */

/*
 * The articles of the newest days (oldest, when !newest) as a filter query
 * in *out: the fewest whole years, months and days that hold `want`
 * articles.  With has_bound, periods wholly past `bound` (after it, or
 * before it when oldest first) are left out.  *out is NULL when the window
 * would hold every dated article, or the index cannot tell every date by
 * its terms (format 4, dates outside the years 0000 to 9999): then the
 * plain search.  Returns NEWSGREP_OK (*out a query or NULL), or the
 * status of the shim's error in *err (*out NULL).
 */
newsgrep_status_t ng_window_query(newsgrep_db_t *db, bool newest, bool has_bound, int64_t bound,
                                  uint64_t want, struct ngx_query **out, struct ngx_error *err);

/*
 * The articles dated lo..hi (seconds, inclusive; an end without has_ is
 * open) as the date terms of the whole days in it, whole years and months
 * where they fit, with the value range checked only on a partial first or
 * last day.  *out is NULL when the index cannot tell every date by its
 * terms, or the range would take too many: then a plain value range.
 * Returns NEWSGREP_OK or an error, as ng_window_query.
 */
newsgrep_status_t ng_date_range_query(newsgrep_db_t *db, bool has_lo, int64_t lo, bool has_hi,
                                      int64_t hi, struct ngx_query **out, struct ngx_error *err);

/* ---- suggest.c ---- */

/* Whether `w` (folded) is an English stopword ("the", "from"). */
bool ng_stopword(const char *w);

/* ---- like.c: "more like this" ---- */

/* The article opts->like names, as a search keeps it: a URL as given, a
 * path made absolute (against the working folder) and tidied.  malloc'd,
 * or NULL when out of memory. */
char *ng_like_resolve(const char *like);
/*
 * The query of the articles most like the one `like` (resolved) names:
 * the best terms of its words (Xapian's expansion of it as the relevance
 * set, as Omega's MORELIKE does) OR'd, without the article itself and
 * every article with its URL.  NEWSGREP_OK with *out set, or an error on
 * `db`: NEWSGREP_INVALID_ARG, naming it, when the index has no such
 * article.
 */
newsgrep_status_t ng_like_query(newsgrep_db_t *db, const char *like, struct ngx_query **out);
/* The documents whose URL is `url` (lookup.c): format 7's term of its key,
 * or its key in NG_SLOT_URL among the articles of its host.  A key
 * stands for its URL: a caller that must be exact compares the stored
 * URLs. */
int ng_url_query(const newsgrep_db_t *db, const char *url, struct ngx_query **out,
                 struct ngx_error *err);
/* The documents whose URL key (NG_SLOT_URL's) is `key`: the term of the
 * key, or before format 7 the value. */
int ng_url_key_query(const newsgrep_db_t *db, uint64_t key, struct ngx_query **out,
                     struct ngx_error *err);

/* ---- results.c ---- */

/* Checks the arguments every query call takes (the message goes on `db`)
 * and reads the caller's options (as far as their version goes; NULL: the
 * defaults) into `defaults`, to which *opts then points. */
newsgrep_status_t ng_search_args(newsgrep_db_t *db, const char *query,
                                 const newsgrep_search_options_t **opts,
                                 newsgrep_search_options_t *defaults);
/*
 * The query a search of `query` with *opts runs, into *q (release it with
 * ng_query_release), and the order of its hits into *sort (newsgrep_search,
 * newsgrep_explain).  With (*opts)->like, the article is resolved into
 * *like (malloc'd; else NULL), *opts then points at a copy in `own` that
 * has it, and the query ranks the articles like it, filtered by `query`
 * (an empty one: all of them).  An error is on `db`.
 */
newsgrep_status_t ng_search_query(ng_query *q, newsgrep_sort_t *sort, newsgrep_db_t *db,
                                  const char *query, const newsgrep_search_options_t **opts,
                                  newsgrep_search_options_t *own, char **like);
/* Whether the hits came from a date window (window.c); for the tests. */
bool ng_hits_windowed(const newsgrep_hits_t *hits);

#endif /* NG_H */
