/*
 * index.c - turning article files into Xapian documents.
 *
 * The schema (prefixes in ng.h):
 * - every word of the title, excerpt and related items, unprefixed and with
 *   positions (for phrases), its wdf weighted by field so a title word
 *   counts more than an excerpt word, and that more than a related one;
 * - its stem, "Z" + stem, with the same weights and no positions;
 * - the word and its stem again under the field's prefix (S, XE, XR), with
 *   no positions, so a field can be searched alone; a phrase in one field
 *   is a phrase on the unprefixed terms filtered by the field's terms,
 *   which spares the index a second copy of every position;
 * - the provider's name as words with positions (XP), and filter terms for
 *   provider domain, URL host, topics and type;
 * - values: date, URL, content hash; data: what a hit shows.
 * A document's postings are collected in C and handed to Xapian in one
 * call, so there is no per-term traffic across the shim.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <xxhash.h>

#include "ng.h"
#include "ngx.h"

/* Positions between fields and between related items, so that a phrase
 * cannot match across the end of one and the start of the next. */
#define FIELD_GAP 100

typedef struct indexer {
	newsgrep_db_t *db;
	const newsgrep_index_options_t *opts;
	newsgrep_index_stats_t *stats;
	const char *path; /* the file being indexed */
	bool fresh;       /* the index was empty: add, don't replace */
	newsgrep_status_t fatal;

	ng_arena arena;
	ng_buf file;
	ng_buf pool; /* term bytes of the current document */
	ngx_posting *postings;
	size_t npostings, postings_cap;
	ng_buf scratch; /* folded values, document data */
	ng_buf uid;     /* the unique id term */
	ngx_doc *doc;

	/* state of add_text() */
	const char *prefix;
	size_t prefix_len;
	uint32_t wdf;
	unsigned flags; /* TEXT_* */
	uint32_t pos;
	bool nomem;

	/* words for the spelling dictionary ("did you mean") */
	ng_buf spell_pool;
	ngx_posting *spellings;
	size_t nspellings, spellings_cap;

	/* Warnings wait until the file is known to be indexed: for a skipped
	 * file only the reason it was skipped is news. */
	ng_file_problem pending[8];
	size_t npending, dropped;

	unsigned long since_commit;
	struct timespec last_commit;
} indexer;

static void report(indexer *ix, newsgrep_problem_kind_t kind, const char *path, unsigned long line,
                   unsigned long column, const char *message)
{
	if (kind == NEWSGREP_PROBLEM_SKIPPED)
		ix->stats->skipped++;
	else
		ix->stats->warnings++;
	if (!ix->opts->on_problem)
		return;
	newsgrep_problem_t p = {kind, path, line, column, message};
	ix->opts->on_problem(ix->opts->ctx, &p);
}

static void on_warning(void *ctx, const ng_file_problem *w)
{
	indexer *ix = ctx;
	if (ix->npending < sizeof(ix->pending) / sizeof(ix->pending[0]))
		ix->pending[ix->npending++] = *w;
	else
		ix->dropped++;
}

static void report_warnings(indexer *ix)
{
	for (size_t i = 0; i < ix->npending; i++)
		report(ix, NEWSGREP_PROBLEM_WARNING, ix->path, ix->pending[i].line,
		       ix->pending[i].column, ix->pending[i].message);
	if (ix->dropped) {
		char msg[64];
		ng_msg_set(msg, sizeof(msg), "%zu more warnings not shown", ix->dropped);
		report(ix, NEWSGREP_PROBLEM_WARNING, ix->path, 0, 0, msg);
		ix->stats->warnings += ix->dropped - 1;
	}
}

/* Fails the whole run with the shim's error. */
static newsgrep_status_t fatal(indexer *ix, const char *what, const ngx_error *err)
{
	ix->fatal = ng_db_fail(ix->db, ng_status_from_ngx(err->code), what, err->message);
	return ix->fatal;
}

/* ---- postings ---- */

/* How add_text() indexes a field's words. */
enum {
	TEXT_UNPREFIXED = 1,      /* also without prefix, with positions */
	TEXT_FIELD_POSITIONS = 2, /* the prefixed terms get positions too */
	TEXT_STEMS = 4,           /* also the stems ("Z" + prefix + stem) */
	TEXT_SPELLING = 8         /* words feed the spelling dictionary */
};

/* Appends a posting for prefix + a + b (b may be empty) to v[]/pool. */
static bool push_posting(ngx_posting **v, size_t *n, size_t *cap, ng_buf *pool, const char *prefix,
                         size_t plen, const char *a, size_t alen, const char *b, size_t blen,
                         uint32_t pos, uint32_t wdf)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 1024;
		ngx_posting *p = realloc(*v, c * sizeof(*p));
		if (!p)
			return false;
		*v = p;
		*cap = c;
	}
	size_t off = pool->len;
	if (off > UINT32_MAX - 512 || !ng_buf_append(pool, prefix, plen) ||
	    !ng_buf_append(pool, a, alen) || !ng_buf_append(pool, b, blen))
		return false;
	(*v)[(*n)++] = (ngx_posting){
	    .offset = (uint32_t)off,
	    .len = (uint32_t)(plen + alen + blen),
	    .pos = pos,
	    .wdf = wdf,
	};
	return true;
}

static bool add_posting(indexer *ix, const char *prefix, size_t plen, const char *a, size_t alen,
                        const char *b, size_t blen, uint32_t pos, uint32_t wdf)
{
	return push_posting(&ix->postings, &ix->npostings, &ix->postings_cap, &ix->pool, prefix,
	                    plen, a, alen, b, blen, pos, wdf);
}

/* Words shorter than this make poor spelling suggestions. */
#define SPELLING_MIN_LEN 3

static int on_token(void *ctx, const ng_token *tok)
{
	indexer *ix = ctx;
	uint32_t pos = ++ix->pos;
	bool unprefixed = ix->flags & TEXT_UNPREFIXED;
	/* Unprefixed terms carry the field weight; prefixed ones count plain
	 * occurrences unless they are the field's only copy. */
	uint32_t field_wdf = unprefixed ? 1 : ix->wdf;
	bool ok =
	    (!unprefixed || add_posting(ix, "", 0, tok->term, tok->len, "", 0, pos, ix->wdf)) &&
	    add_posting(ix, ix->prefix, ix->prefix_len, tok->term, tok->len, "", 0,
	                (ix->flags & TEXT_FIELD_POSITIONS) ? pos : 0, field_wdf);
	if (ok && (ix->flags & TEXT_SPELLING) && tok->stemmable && tok->kind == NG_TOKEN_WORD &&
	    tok->len >= SPELLING_MIN_LEN)
		ok = push_posting(&ix->spellings, &ix->nspellings, &ix->spellings_cap,
		                  &ix->spell_pool, "", 0, tok->term, tok->len, "", 0, 0, 1);
	if (ok && tok->stemmable && (ix->flags & TEXT_STEMS)) {
		char stem[NG_TERM_MAX * 4 + 1];
		size_t slen;
		ngx_error err;
		if (ngx_stem(ix->db->stemmer, tok->term, tok->len, stem, sizeof(stem), &slen,
		             &err) != NGX_OK) {
			fatal(ix, "cannot stem a word", &err);
			return 1;
		}
		ok = (!unprefixed ||
		      add_posting(ix, NG_PREFIX_STEM, 1, "", 0, stem, slen, 0, ix->wdf)) &&
		     add_posting(ix, NG_PREFIX_STEM, 1, ix->prefix, ix->prefix_len, stem, slen, 0,
		                 field_wdf);
	}
	if (!ok) {
		ix->nomem = true;
		return 1;
	}
	return 0;
}

/* Adds the words of `text` under `prefix`, weighted `wdf` per occurrence,
 * as `flags` (TEXT_*) say. */
static bool add_text(indexer *ix, const char *text, const char *prefix, uint32_t wdf,
                     unsigned flags)
{
	if (!text || !*text)
		return true;
	ix->prefix = prefix;
	ix->prefix_len = strlen(prefix);
	ix->wdf = wdf;
	ix->flags = flags;
	int rc = ng_tokenize(ix->db->tok, text, strlen(text), on_token, ix);
	if (rc < 0)
		ix->nomem = true;
	ix->pos += FIELD_GAP;
	return rc == 0;
}

/* Adds prefix + the folded value as a filter term. */
static bool add_boolean(indexer *ix, const char *prefix, const char *value, bool fold)
{
	if (!value || !*value)
		return true;
	ix->scratch.len = 0;
	if (!ng_buf_append(&ix->scratch, prefix, strlen(prefix)) ||
	    !(fold ? ng_fold_value(value, strlen(value), &ix->scratch)
	           : ng_buf_append(&ix->scratch, value, strlen(value)))) {
		ix->nomem = true;
		return false;
	}
	/* Xapian's limit is 245 bytes; a longer value is no useful filter. */
	if (ix->scratch.len > 240 || ix->scratch.len == strlen(prefix))
		return true;
	ngx_error err;
	if (ngx_doc_add_boolean_term(ix->doc, ix->scratch.data, ix->scratch.len, &err) != NGX_OK) {
		fatal(ix, "cannot build a document", &err);
		return false;
	}
	return true;
}

/* The unique id term: "Q" + path, or for a path too long to be a term, a
 * prefix of it plus a hash of the whole. */
static bool uid_term(const char *path, ng_buf *out)
{
	size_t n = strlen(path);
	out->len = 0;
	if (n <= 200)
		return ng_buf_append(out, NG_PREFIX_UID, 1) && ng_buf_append(out, path, n);
	XXH128_hash_t h = XXH3_128bits(path, n);
	char hex[40];
	snprintf(hex, sizeof(hex), "#%016llx%016llx", (unsigned long long)h.high64,
	         (unsigned long long)h.low64);
	return ng_buf_append(out, NG_PREFIX_UID, 1) && ng_buf_append(out, path, 160) &&
	       ng_buf_append(out, hex, strlen(hex));
}

/* Sets value `slot` to s (trimmed); nothing when it is empty. */
static bool set_string_value(indexer *ix, unsigned slot, const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	ngx_error err;
	if (n && ngx_doc_set_value(ix->doc, slot, s, n, &err) != NGX_OK) {
		fatal(ix, "cannot build a document", &err);
		return false;
	}
	return true;
}

/* The values --facet counts: provider, site, topics and type. */
static bool set_facet_values(indexer *ix, const ng_article *a, const char *host)
{
	const char *p = a->provider_name ? a->provider_name : "";
	if (!set_string_value(ix, NG_SLOT_PROVIDER, p, strlen(p)))
		return false;
	ix->scratch.len = 0;
	if (host) {
		if (!ng_buf_append(&ix->scratch, host, strlen(host)))
			goto nomem;
	} else if (a->provider_domain &&
	           !ng_fold_value(a->provider_domain, strlen(a->provider_domain), &ix->scratch)) {
		goto nomem;
	}
	if (!set_string_value(ix, NG_SLOT_SITE, ix->scratch.data, ix->scratch.len))
		return false;
	ix->scratch.len = 0;
	for (size_t i = 0; i < a->ntopics; i++) {
		char sep = NGX_FACET_SEPARATOR;
		if ((i && !ng_buf_append(&ix->scratch, &sep, 1)) ||
		    !ng_buf_append(&ix->scratch, a->topics[i], strlen(a->topics[i])))
			goto nomem;
	}
	if (!set_string_value(ix, NG_SLOT_TOPICS, ix->scratch.data, ix->scratch.len))
		return false;
	ix->scratch.len = 0;
	if (a->type && !ng_fold_value(a->type, strlen(a->type), &ix->scratch))
		goto nomem;
	return set_string_value(ix, NG_SLOT_TYPE, ix->scratch.data, ix->scratch.len);
nomem:
	ix->nomem = true;
	return false;
}

static bool build_document(indexer *ix, const ng_article *a)
{
	ngx_error err;
	if (ngx_doc_clear(ix->doc, &err) != NGX_OK) {
		fatal(ix, "cannot build a document", &err);
		return false;
	}
	ix->pool.len = 0;
	ix->npostings = 0;
	ix->pos = 0;
	ix->spell_pool.len = 0;
	ix->nspellings = 0;
	const unsigned own_text = TEXT_UNPREFIXED | TEXT_STEMS | TEXT_SPELLING;
	const char *url = ng_article_url(a);
	bool ok = add_text(ix, a->title, NG_PREFIX_TITLE, NG_WDF_TITLE, own_text) &&
	          add_text(ix, a->excerpt, NG_PREFIX_EXCERPT, NG_WDF_EXCERPT, own_text);
	for (size_t i = 0; ok && i < a->nrelated; i++)
		ok = add_text(ix, a->related[i].title, NG_PREFIX_RELATED, NG_WDF_RELATED,
		              TEXT_UNPREFIXED | TEXT_STEMS) &&
		     add_text(ix, a->related[i].excerpt, NG_PREFIX_RELATED, NG_WDF_RELATED,
		              TEXT_UNPREFIXED | TEXT_STEMS);
	ok = ok &&
	     add_text(ix, a->provider_name, NG_PREFIX_PROVIDER, 1,
	              TEXT_FIELD_POSITIONS | TEXT_STEMS) &&
	     add_text(ix, url, NG_PREFIX_URL, 0, 0);
	if (!ok)
		return false;
	if (ngx_doc_add_postings(ix->doc, ix->pool.data, ix->postings, ix->npostings, &err) !=
	        NGX_OK ||
	    (ix->nspellings && ngx_db_add_spellings(ix->db->x, ix->spell_pool.data, ix->spellings,
	                                            ix->nspellings, &err) != NGX_OK)) {
		fatal(ix, "cannot build a document", &err);
		return false;
	}

	char host[256];
	bool has_host = ng_url_host(url, host, sizeof(host));
	ok = add_boolean(ix, NG_PREFIX_DOMAIN, a->provider_domain, true) &&
	     add_boolean(ix, NG_PREFIX_TYPE, a->type, true) &&
	     (!has_host || add_boolean(ix, NG_PREFIX_HOST, host, false));
	for (size_t i = 0; ok && i < a->ntopics; i++)
		ok = add_boolean(ix, NG_PREFIX_TOPIC, a->topics[i], true);
	if (!ok)
		return false;

	char hash[17];
	snprintf(hash, sizeof(hash), "%016llx",
	         (unsigned long long)XXH3_64bits(ix->file.data, ix->file.len));
	if ((a->has_date &&
	     ngx_doc_set_value_number(ix->doc, NG_SLOT_DATE, (double)a->date, &err) != NGX_OK) ||
	    (*url && ngx_doc_set_value(ix->doc, NG_SLOT_URL, url, strlen(url), &err) != NGX_OK) ||
	    ngx_doc_set_value(ix->doc, NG_SLOT_HASH, hash, 16, &err) != NGX_OK) {
		fatal(ix, "cannot build a document", &err);
		return false;
	}
	if (!set_facet_values(ix, a, has_host ? host : NULL))
		return false;
	if (!ng_docdata_encode(&ix->scratch, ix->path, a)) {
		ix->nomem = true;
		return false;
	}
	if (ngx_doc_set_data(ix->doc, ix->scratch.data, ix->scratch.len, &err) != NGX_OK) {
		fatal(ix, "cannot build a document", &err);
		return false;
	}
	return true;
}

/* Reads the file into ix->file; false (reported) when it cannot be. */
static bool read_file(indexer *ix, const char *path)
{
	ix->file.len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	struct stat st;
	char msg[300];
	if (fd < 0 || fstat(fd, &st) != 0) {
		ng_msg_set(msg, sizeof(msg), "cannot read: %s", strerror(errno));
		if (fd >= 0)
			close(fd);
		report(ix, NEWSGREP_PROBLEM_SKIPPED, path, 0, 0, msg);
		return false;
	}
	if (!S_ISREG(st.st_mode) || st.st_size > (off_t)NG_MAX_FILE_SIZE) {
		if (S_ISREG(st.st_mode))
			ng_msg_set(msg, sizeof(msg),
			           "file is too large (%lld bytes; the limit is %u MiB)",
			           (long long)st.st_size, NG_MAX_FILE_SIZE >> 20);
		else
			ng_msg_set(msg, sizeof(msg), "not a regular file");
		close(fd);
		report(ix, NEWSGREP_PROBLEM_SKIPPED, path, 0, 0, msg);
		return false;
	}
	/* Read to the end, not to st_size: the file may be growing. */
	for (;;) {
		if (!ng_buf_reserve(&ix->file, 64 * 1024)) {
			close(fd);
			ix->nomem = true;
			return false;
		}
		ssize_t got = read(fd, ix->file.data + ix->file.len, ix->file.cap - ix->file.len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			ng_msg_set(msg, sizeof(msg), "cannot read: %s", strerror(errno));
			close(fd);
			report(ix, NEWSGREP_PROBLEM_SKIPPED, path, 0, 0, msg);
			return false;
		}
		if (got == 0)
			break;
		ix->file.len += (size_t)got;
		if (ix->file.len > NG_MAX_FILE_SIZE)
			break; /* ng_frontmatter_parse reports it */
	}
	close(fd);
	return true;
}

static double seconds_since(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

static bool commit(indexer *ix)
{
	ngx_error err;
	if (ngx_db_commit(ix->db->x, &err) != NGX_OK) {
		fatal(ix, "cannot commit to the index", &err);
		return false;
	}
	ix->since_commit = 0;
	clock_gettime(CLOCK_MONOTONIC, &ix->last_commit);
	return true;
}

static void index_file(indexer *ix, const char *path)
{
	ix->path = path;
	if (!read_file(ix, path))
		return;
	ng_arena_reset(&ix->arena);
	ix->npending = ix->dropped = 0;
	ng_article a;
	ng_file_problem err;
	if (!ng_frontmatter_parse(ix->file.data, ix->file.len, &ix->arena, &a, &err, on_warning,
	                          ix)) {
		if (strcmp(err.message, "out of memory") == 0)
			ix->nomem = true;
		else
			report(ix, NEWSGREP_PROBLEM_SKIPPED, path, err.line, err.column,
			       err.message);
		return;
	}
	if (!build_document(ix, &a))
		return;
	if (!uid_term(path, &ix->uid)) {
		ix->nomem = true;
		return;
	}
	ngx_error xerr;
	ngx_code rc = ngx_doc_add_boolean_term(ix->doc, ix->uid.data, ix->uid.len, &xerr);
	if (rc == NGX_OK)
		rc = ix->fresh ? ngx_db_add_document(ix->db->x, ix->doc, &xerr)
		               : ngx_db_replace_document(ix->db->x, ix->uid.data, ix->uid.len,
		                                         ix->doc, &xerr);
	if (rc != NGX_OK) {
		fatal(ix, "cannot add a document to the index", &xerr);
		return;
	}
	ix->stats->indexed++;
	report_warnings(ix);
	if (++ix->since_commit >= ix->opts->commit_docs ||
	    seconds_since(&ix->last_commit) >= ix->opts->commit_seconds)
		commit(ix);
}

static int on_walk(void *ctx, ng_walk_event ev, const char *path, const char *message,
                   bool is_error)
{
	indexer *ix = ctx;
	if (ev == NG_WALK_FILE)
		index_file(ix, path);
	else
		report(ix, is_error ? NEWSGREP_PROBLEM_SKIPPED : NEWSGREP_PROBLEM_WARNING, path, 0,
		       0, message);
	return ix->fatal != NEWSGREP_OK || ix->nomem;
}

void newsgrep_index_options_init(newsgrep_index_options_t *opts)
{
	if (!opts)
		return;
	memset(opts, 0, sizeof(*opts));
	opts->commit_docs = 10000;
	opts->commit_seconds = 30;
}

newsgrep_status_t newsgrep_index_paths(newsgrep_db_t *db, const char *const *paths, size_t npaths,
                                       const newsgrep_index_options_t *opts,
                                       newsgrep_index_stats_t *stats)
{
	if (!db)
		return NEWSGREP_INVALID_ARG;
	if (db->mode != NEWSGREP_DB_WRITE || (!paths && npaths))
		return ng_db_fail(db, NEWSGREP_INVALID_ARG,
		                  db->mode != NEWSGREP_DB_WRITE ? "index is open read-only"
		                                                : "no paths given",
		                  NULL);
	newsgrep_index_options_t defaults;
	newsgrep_index_options_init(&defaults);
	if (opts) {
		defaults.on_problem = opts->on_problem;
		defaults.ctx = opts->ctx;
		if (opts->commit_docs)
			defaults.commit_docs = opts->commit_docs;
		if (opts->commit_seconds > 0)
			defaults.commit_seconds = opts->commit_seconds;
	}
	newsgrep_index_stats_t local;
	if (!stats)
		stats = &local;
	memset(stats, 0, sizeof(*stats));
	newsgrep_status_t st = ng_db_text_tools(db);
	if (st != NEWSGREP_OK)
		return st;

	indexer ix = {.db = db, .opts = &defaults, .stats = stats};
	ng_arena_init(&ix.arena);
	clock_gettime(CLOCK_MONOTONIC, &ix.last_commit);
	ngx_error err;
	uint64_t docs = 0;
	if (ngx_db_doccount(db->x, &docs, &err) != NGX_OK || ngx_doc_new(&ix.doc, &err) != NGX_OK) {
		fatal(&ix, "cannot prepare the index", &err);
		goto out;
	}
	/* Into an empty index every file is new, and adding skips the lookup
	 * replacing costs.  Two roots may overlap, so only for one. */
	ix.fresh = docs == 0 && npaths == 1;

	for (size_t i = 0; i < npaths && !ix.fatal && !ix.nomem; i++) {
		if (!paths[i] || !*paths[i])
			continue;
		if (ng_walk(paths[i], on_walk, &ix) < 0)
			ix.nomem = true;
	}
	/* Commit what was done even after a fatal error: it was all good. */
	if (!ix.fatal)
		commit(&ix);
	else
		ngx_db_commit(db->x, &err);
out:
	if (ix.nomem && !ix.fatal)
		ix.fatal = ng_db_fail(db, NEWSGREP_NOMEM, "out of memory", NULL);
	ngx_doc_free(ix.doc);
	free(ix.postings);
	free(ix.spellings);
	ng_buf_release(&ix.spell_pool);
	ng_buf_release(&ix.file);
	ng_buf_release(&ix.pool);
	ng_buf_release(&ix.scratch);
	ng_buf_release(&ix.uid);
	ng_arena_release(&ix.arena);
	return ix.fatal;
}
