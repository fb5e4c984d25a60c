/*
 * watch.c - standing searches: a named query that delivers the articles
 * that entered the index since it last ran, each exactly once.
 *
 * A watch is one metadata entry of the index, NG_META_WATCH + its name,
 * so that it travels with the index (a backup, a set's servers, a second
 * user); a rebuild carries the watches over (update.c), a compaction keeps
 * all metadata.  Its record is text, a line each, versioned by its first:
 *
 *   newsgrep.watch 1
 *   identity HEX          the index it follows (NG_META_IDENTITY)
 *   last N                the last arrival number it delivered
 *   since T / until T     (epoch seconds) and the flags exact,
 *   exact ...             all-duplicates, fixed-strings, changed,
 *   max-expansion N       as newsgrep_search_options_t has them
 *   query                 the rest of the record is the query
 *
 * Version 2 adds lines version 1 has not (a reader of version 1 calls
 * the record damaged rather than run a different search); a record that
 * needs none of them is still written as version 1:
 *
 *   like PATH|URL         the article it follows the story of (its path
 *                         made absolute when added: ng_like_resolve)
 *   since-text TEXT       a relative date as the user gave it ("7d",
 *   until-text TEXT       "yesterday"): taken from each run's time
 *
 * A run reads (a reader suffices) the index's last number L and identity
 * once, searches what arrived after the watch's last (ng_query's
 * arrived_after filter: sequence.c's block terms) and hands on only the
 * hits numbered up to L, so that what a commit adds meanwhile waits for
 * the next run; a rebuild swapped in before the search ran makes the run
 * resynchronise.  (Hits that resume by themselves, newsgrep_hits_next,
 * after two commits and a rebuild while they are read would be the new
 * index's: not guarded.)  Only newsgrep_watch_advance and the commit after
 * it, once the caller has written the hits, record L: a run killed or failed
 * before that delivers again.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ng.h"
#include "ngx.h"

#define RECORD_HEADER "newsgrep.watch 1\n"
#define RECORD_HEADER_2 "newsgrep.watch 2\n"
#define KEY_MAX (sizeof(NG_META_WATCH) + NEWSGREP_WATCH_NAME_MAX)

typedef struct watch {
	int version; /* of the record */
	char identity[NG_IDENTITY_HEX + 1];
	uint64_t last;
	newsgrep_search_options_t opts;
	const char *query; /* into the record's text */
	/* Relative dates as given, or NULL: into the text, or the caller's
	 * when adding.  (opts.like too.) */
	const char *since_text, *until_text;
	char *text;
} watch;

static bool name_ok(const char *name)
{
	size_t n = strlen(name);
	return n >= 1 && n <= NEWSGREP_WATCH_NAME_MAX &&
	       strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") ==
	           n;
}

/* Checks the handle and the name; fills key. */
static newsgrep_status_t check_args(newsgrep_db_t *db, const char *name, bool writer, char *key)
{
	if (!db)
		return NEWSGREP_INVALID_ARG;
	if (!name)
		return ng_db_fail(db, NEWSGREP_INVALID_ARG, "no watch name given", NULL);
	if (!name_ok(name)) {
		char msg[300];
		ng_msg_set(msg, sizeof(msg),
		           "bad watch name '%.80s': a name is 1 to %d letters, digits, '.', '_' "
		           "or '-'",
		           name, NEWSGREP_WATCH_NAME_MAX);
		return ng_db_fail(db, NEWSGREP_INVALID_ARG, msg, NULL);
	}
	if (writer && (!db->w || db->mode != NEWSGREP_DB_WRITE))
		return ng_db_fail(db, NEWSGREP_INVALID_ARG,
		                  "changing a watch needs a writer of the index (its lock)", NULL);
	if (db->members)
		return ng_db_fail(db, NEWSGREP_INVALID_ARG,
		                  "a set of indexes has no watches of its own: ask each index",
		                  NULL);
	snprintf(key, KEY_MAX, "%s%s", NG_META_WATCH, name);
	return NEWSGREP_OK;
}

static void watch_release(watch *w)
{
	free(w->text);
	w->text = NULL;
}

/* Reads one "word value" line of the record at *p. */
static bool parse_line(watch *w, char *line)
{
	char *value = strchr(line, ' ');
	if (value)
		*value++ = '\0';
	newsgrep_search_options_t *o = &w->opts;
	uint64_t n = 0;
	bool number = value && ng_sequence_parse(value, &n) && *value;
	if (strcmp(line, "identity") == 0 && value && strlen(value) == NG_IDENTITY_HEX)
		memcpy(w->identity, value, NG_IDENTITY_HEX + 1);
	else if (strcmp(line, "last") == 0 && number)
		w->last = n;
	else if (strcmp(line, "since") == 0 && value)
		o->has_since = sscanf(value, "%" SCNd64, &o->since) == 1;
	else if (strcmp(line, "until") == 0 && value)
		o->has_until = sscanf(value, "%" SCNd64, &o->until) == 1;
	else if (strcmp(line, "max-expansion") == 0 && number)
		o->max_expansion = n;
	else if (strcmp(line, "exact") == 0)
		o->exact = 1;
	else if (strcmp(line, "all-duplicates") == 0)
		o->all_duplicates = 1;
	else if (strcmp(line, "fixed-strings") == 0)
		o->fixed_strings = 1;
	else if (strcmp(line, "changed") == 0)
		o->has_changed_after = 1;
	else if (w->version >= 2 && strcmp(line, "like") == 0 && value && *value)
		o->like = value;
	else if (w->version >= 2 && strcmp(line, "since-text") == 0 && value && *value)
		w->since_text = value;
	else if (w->version >= 2 && strcmp(line, "until-text") == 0 && value && *value)
		w->until_text = value;
	else
		return false;
	return true;
}

/* A relative date of the record at `now`: false when it does not read
 * (the record is damaged). */
static bool resolve_text(const char *text, bool end, int64_t now, int *has, int64_t *t)
{
	if (!text)
		return true;
	*has = 1;
	return ng_date_parse_user(text, strlen(text), end, now, t);
}

/* w's options as a search at `now` takes them: its relative dates
 * resolved. */
static bool resolve_dates(watch *w, int64_t now)
{
	newsgrep_search_options_t *o = &w->opts;
	return resolve_text(w->since_text, false, now, &o->has_since, &o->since) &&
	       resolve_text(w->until_text, true, now, &o->has_until, &o->until);
}

static bool parse_record(watch *w)
{
	const newsgrep_search_options_t init = NEWSGREP_SEARCH_OPTIONS_INIT;
	w->opts = init;
	w->identity[0] = '\0';
	w->since_text = w->until_text = NULL;
	if (strncmp(w->text, RECORD_HEADER, strlen(RECORD_HEADER)) == 0)
		w->version = 1;
	else if (strncmp(w->text, RECORD_HEADER_2, strlen(RECORD_HEADER_2)) == 0)
		w->version = 2;
	else
		return false;
	char *p = w->text + strlen(RECORD_HEADER);
	while (*p) {
		char *end = strchr(p, '\n');
		if (strncmp(p, "query\n", 6) == 0) {
			w->query = p + 6;
			return w->identity[0] != '\0' && resolve_dates(w, (int64_t)time(NULL));
		}
		if (!end)
			return false;
		*end = '\0';
		if (!parse_line(w, p))
			return false;
		p = end + 1;
	}
	return false;
}

/* Reads watch `key` of db->x: NEWSGREP_DONE when there is none. */
static newsgrep_status_t read_watch(newsgrep_db_t *db, const char *key, const char *name, watch *w)
{
	memset(w, 0, sizeof(*w));
	ngx_error err;
	if (ngx_db_get_metadata(db->x, key, &w->text, &err) != NGX_OK)
		return ng_db_fail(db, ng_status_from_ngx(err.code), "cannot read the watch",
		                  err.message);
	if (!*w->text) {
		watch_release(w);
		char msg[200];
		ng_msg_set(msg, sizeof(msg), "no watch named '%s'", name);
		return ng_db_fail(db, NEWSGREP_DONE, msg, NULL);
	}
	if (!parse_record(w)) {
		watch_release(w);
		char msg[200];
		ng_msg_set(msg, sizeof(msg), "the record of watch '%s' (%s%s) is damaged", name,
		           NG_META_WATCH, name);
		return ng_db_fail(db, NEWSGREP_CORRUPT, msg, "remove it and add it again");
	}
	return NEWSGREP_OK;
}

/* Writes the record of watch `w` under `key` into the writer's batch, and
 * commits it when `commit`. */
static newsgrep_status_t write_watch(newsgrep_db_t *db, const char *key, const watch *w,
                                     bool commit)
{
	const newsgrep_search_options_t *o = &w->opts;
	ng_buf b = {0};
	char line[128];
	bool v2 = o->like || w->since_text || w->until_text;
	const char *header = v2 ? RECORD_HEADER_2 : RECORD_HEADER;
	bool ok = ng_buf_append(&b, header, strlen(header));
#define LINE(...)                                                                                  \
	(snprintf(line, sizeof(line), __VA_ARGS__),                                                \
	 ok = ok && ng_buf_append(&b, line, strlen(line)))
	LINE("identity %s\n", w->identity);
	LINE("last %" PRIu64 "\n", w->last);
	if (o->has_since && !w->since_text)
		LINE("since %" PRId64 "\n", o->since);
	if (o->has_until && !w->until_text)
		LINE("until %" PRId64 "\n", o->until);
	if (o->max_expansion)
		LINE("max-expansion %" PRIu64 "\n", o->max_expansion);
	if (o->exact)
		LINE("exact\n");
	if (o->all_duplicates)
		LINE("all-duplicates\n");
	if (o->fixed_strings)
		LINE("fixed-strings\n");
	if (o->has_changed_after)
		LINE("changed\n");
#undef LINE
	/* Texts of any length: "word value\n". */
	const char *texts[][2] = {
	    {"like", o->like}, {"since-text", w->since_text}, {"until-text", w->until_text}};
	for (size_t i = 0; i < sizeof(texts) / sizeof(*texts); i++) {
		if (!texts[i][1])
			continue;
		ok = ok && ng_buf_append(&b, texts[i][0], strlen(texts[i][0])) &&
		     ng_buf_append(&b, " ", 1) &&
		     ng_buf_append(&b, texts[i][1], strlen(texts[i][1])) &&
		     ng_buf_append(&b, "\n", 1);
	}
	ok = ok && ng_buf_append(&b, "query\n", 6);
	ok = ok && ng_buf_append(&b, w->query, strlen(w->query));
	if (!ok) {
		ng_buf_release(&b);
		return ng_db_fail(db, NEWSGREP_NOMEM, "out of memory", NULL);
	}
	ngx_error err;
	ng_db_step(db);
	ngx_code rc = ngx_db_set_metadata_bytes(db->x, key, b.data, b.len, &err);
	ng_buf_release(&b);
	if (rc != NGX_OK)
		return ng_db_fail(db, ng_status_from_ngx(rc), "cannot record the watch",
		                  err.message);
	return commit ? newsgrep_db_commit(db) : NEWSGREP_OK;
}

/* The options of `opts` a watch keeps (the rest are the defaults). */
static newsgrep_search_options_t kept_options(const newsgrep_search_options_t *opts)
{
	const newsgrep_search_options_t init = NEWSGREP_SEARCH_OPTIONS_INIT;
	newsgrep_search_options_t o = init;
	o.has_since = opts->has_since != 0;
	o.since = o.has_since ? opts->since : 0;
	o.has_until = opts->has_until != 0;
	o.until = o.has_until ? opts->until : 0;
	o.exact = opts->exact != 0;
	o.all_duplicates = opts->all_duplicates != 0;
	o.fixed_strings = opts->fixed_strings != 0;
	o.max_expansion = opts->max_expansion;
	o.has_changed_after = opts->has_changed_after != 0;
	o.like = opts->like;
	return o;
}

/* A date given as text to newsgrep_watch_add_dates: an absolute one into
 * *has and *t, a relative one kept as *kept (and resolved now into *t, for
 * checking the search). */
static newsgrep_status_t date_arg(newsgrep_db_t *db, const char *what, const char *text, bool end,
                                  int *has, int64_t *t, const char **kept)
{
	*kept = NULL;
	if (!text)
		return NEWSGREP_OK;
	size_t len = strlen(text);
	if (!strpbrk(text, "\n\r") && ng_date_parse_bound(text, len, end, t)) {
		*has = 1;
		return NEWSGREP_OK;
	}
	if (!strpbrk(text, "\n\r") &&
	    ng_date_parse_relative(text, len, end, (int64_t)time(NULL), t)) {
		*has = 1;
		*kept = text;
		return NEWSGREP_OK;
	}
	char msg[200];
	ng_msg_set(msg, sizeof(msg), "%s: cannot read date '%.80s'", what, text);
	return ng_db_fail(db, NEWSGREP_BAD_DATE, msg,
	                  "use YYYY, YYYY-MM, YYYY-MM-DD, an ISO 8601 date-time, or a relative "
	                  "date: 7d, 2w, 3m, 1y, today, yesterday");
}

/* The article a watch follows (opts.like): an absolute path or a URL on
 * one line, into *like (freed by the caller). */
static newsgrep_status_t like_arg(newsgrep_db_t *db, const char *given, char **like)
{
	*like = NULL;
	if (!given)
		return NEWSGREP_OK;
	if (!*given || strpbrk(given, "\n\r"))
		return ng_db_fail(db, NEWSGREP_INVALID_ARG,
		                  "like: name an article by its path or URL, on one line", NULL);
	if (!(*like = ng_like_resolve(given)))
		return ng_db_fail(db, NEWSGREP_NOMEM, "out of memory", NULL);
	return NEWSGREP_OK;
}

newsgrep_status_t newsgrep_watch_add_dates(newsgrep_db_t *db, const char *name, const char *query,
                                           const newsgrep_search_options_t *opts, const char *since,
                                           const char *until)
{
	char key[KEY_MAX];
	newsgrep_status_t st = check_args(db, name, true, key);
	if (st != NEWSGREP_OK)
		return st;
	if (!query)
		return ng_db_fail(db, NEWSGREP_INVALID_ARG, "no query given", NULL);
	newsgrep_search_options_t given;
	if ((st = ng_search_args(db, query, &opts, &given)) != NEWSGREP_OK)
		return st;
	watch w = {.opts = kept_options(opts), .query = query};
	newsgrep_search_options_t *o = &w.opts;
	char *like = NULL;
	if ((st = date_arg(db, "since", since, false, &o->has_since, &o->since, &w.since_text)) !=
	        NEWSGREP_OK ||
	    (st = date_arg(db, "until", until, true, &o->has_until, &o->until, &w.until_text)) !=
	        NEWSGREP_OK ||
	    (st = like_arg(db, opts->like, &like)) != NEWSGREP_OK)
		return st;
	o->like = like;
	if (o->has_since && o->has_until && o->since > o->until && !w.since_text && !w.until_text) {
		free(like);
		return ng_db_fail(db, NEWSGREP_BAD_DATE,
		                  "the date range is empty: since is after until", NULL);
	}
	/* The query as a search would take it, and the index able to follow
	 * it (format 7). */
	newsgrep_search_options_t check = w.opts;
	check.limit = 0;
	check.has_arrived_after = 1;
	newsgrep_hits_t *hits;
	/* (A relative range empty now may not be later: not refused.) */
	if (check.has_since && check.has_until && check.since > check.until)
		check.has_until = 0;
	if ((st = newsgrep_search(&hits, db, query, &check)) == NEWSGREP_OK) {
		newsgrep_hits_free(hits);
		st = newsgrep_db_sequence(db, &w.last, w.identity);
	}
	char *old = NULL;
	ngx_error err;
	if (st == NEWSGREP_OK && ngx_db_get_metadata(db->x, key, &old, &err) != NGX_OK)
		st = ng_db_fail(db, ng_status_from_ngx(err.code), "cannot read the watches",
		                err.message);
	if (st == NEWSGREP_OK && *old) {
		char msg[200];
		ng_msg_set(msg, sizeof(msg), "a watch named '%s' is there already: remove it first",
		           name);
		st = ng_db_fail(db, NEWSGREP_INVALID_ARG, msg, NULL);
	}
	free(old);
	if (st == NEWSGREP_OK)
		st = write_watch(db, key, &w, true);
	free(like);
	return st;
}

newsgrep_status_t newsgrep_watch_add(newsgrep_db_t *db, const char *name, const char *query,
                                     const newsgrep_search_options_t *opts)
{
	return newsgrep_watch_add_dates(db, name, query, opts, NULL, NULL);
}

newsgrep_status_t newsgrep_watch_remove(newsgrep_db_t *db, const char *name)
{
	char key[KEY_MAX];
	newsgrep_status_t st = check_args(db, name, true, key);
	watch w;
	if (st == NEWSGREP_OK)
		st = read_watch(db, key, name, &w);
	if (st == NEWSGREP_CORRUPT)
		st = NEWSGREP_OK; /* a damaged record is removed too */
	else if (st == NEWSGREP_OK)
		watch_release(&w);
	if (st != NEWSGREP_OK)
		return st;
	ngx_error err;
	ng_db_step(db);
	if (ngx_db_set_metadata(db->x, key, "", &err) != NGX_OK)
		return ng_db_fail(db, ng_status_from_ngx(err.code), "cannot remove the watch",
		                  err.message);
	return newsgrep_db_commit(db);
}

typedef struct names {
	char **v;
	size_t n, cap;
} names;

static int add_name(void *ctx, const char *key, size_t key_len, const char *value, size_t value_len)
{
	(void)value;
	names *ns = ctx;
	if (!value_len)
		return 0;
	char **v = ng_grow(ns->v, ns->n, &ns->cap, sizeof(*v), 8);
	if (!v)
		return 1;
	ns->v = v;
	size_t skip = strlen(NG_META_WATCH);
	if (!(ns->v[ns->n] = strndup(key + skip, key_len - skip)))
		return 1;
	ns->n++;
	return 0;
}

newsgrep_status_t newsgrep_watch_list(newsgrep_db_t *db, char ***out, size_t *count)
{
	if (out)
		*out = NULL;
	if (count)
		*count = 0;
	if (!db || !out || !count)
		return NEWSGREP_INVALID_ARG;
	if (db->members)
		return ng_db_fail(db, NEWSGREP_INVALID_ARG,
		                  "a set of indexes has no watches of its own: ask each index",
		                  NULL);
	newsgrep_status_t st = ng_db_refresh(db);
	if (st != NEWSGREP_OK)
		return st;
	names ns = {0};
	ngx_error err;
	if (ngx_db_metadata_stream(db->x, NG_META_WATCH, add_name, &ns, &err) != NGX_OK) {
		newsgrep_roots_free(ns.v, ns.n);
		return ng_db_fail(db, ng_status_from_ngx(err.code), "cannot read the watches",
		                  err.message);
	}
	*out = ns.v;
	*count = ns.n;
	return NEWSGREP_OK;
}

/* Reads watch `name` of the index as it is now into *w (any handle). */
static newsgrep_status_t load_watch(newsgrep_db_t *db, const char *name, watch *w)
{
	char key[KEY_MAX];
	newsgrep_status_t st = check_args(db, name, false, key);
	if (st == NEWSGREP_OK)
		st = ng_db_refresh(db);
	if (st == NEWSGREP_OK)
		st = read_watch(db, key, name, w);
	return st;
}

newsgrep_status_t newsgrep_watch_get(newsgrep_db_t *db, const char *name, char **query,
                                     newsgrep_search_options_t *opts, char identity[33],
                                     uint64_t *last)
{
	if (query)
		*query = NULL;
	char msg[256];
	newsgrep_status_t st;
	if (db && name && opts &&
	    (st = ng_api_struct_check(NG_SEARCH_OPTIONS, opts, msg, sizeof(msg))) != NEWSGREP_OK)
		return ng_db_fail(db, st, msg, NULL);
	watch w;
	if ((st = load_watch(db, name, &w)) != NEWSGREP_OK)
		return st;
	free(db->watch_like);
	db->watch_like = NULL;
	if ((query && !(*query = strdup(w.query))) ||
	    (w.opts.like && !(db->watch_like = strdup(w.opts.like)))) {
		watch_release(&w);
		if (query) {
			free(*query);
			*query = NULL;
		}
		return ng_db_fail(db, NEWSGREP_NOMEM, "out of memory", NULL);
	}
	w.opts.like = db->watch_like;
	if (opts)
		ng_api_struct_write(NG_SEARCH_OPTIONS, opts, &w.opts);
	if (identity)
		memcpy(identity, w.identity, NG_IDENTITY_HEX + 1);
	if (last)
		*last = w.last;
	watch_release(&w);
	return NEWSGREP_OK;
}

/* A copy of text (NULL for none) into *out; false when memory runs out. */
static bool copy_text(const char *text, char **out)
{
	if (!out)
		return true;
	*out = text ? strdup(text) : NULL;
	return !text || *out;
}

newsgrep_status_t newsgrep_watch_dates(newsgrep_db_t *db, const char *name, char **since,
                                       char **until)
{
	if (since)
		*since = NULL;
	if (until)
		*until = NULL;
	watch w;
	newsgrep_status_t st = load_watch(db, name, &w);
	if (st != NEWSGREP_OK)
		return st;
	bool ok = copy_text(w.since_text, since) && copy_text(w.until_text, until);
	watch_release(&w);
	if (ok)
		return NEWSGREP_OK;
	if (since) {
		free(*since);
		*since = NULL;
	}
	return ng_db_fail(db, NEWSGREP_NOMEM, "out of memory", NULL);
}

newsgrep_status_t newsgrep_watch_run(newsgrep_db_t *db, const char *name,
                                     const newsgrep_search_options_t *opts,
                                     newsgrep_watch_hit_fn fn, void *ctx, char identity[33],
                                     uint64_t *upto, int *resynchronised)
{
	char key[KEY_MAX];
	newsgrep_status_t st = check_args(db, name, false, key);
	if (st != NEWSGREP_OK)
		return st;
	if (!fn || !identity || !upto || !resynchronised)
		return ng_db_fail(db, NEWSGREP_INVALID_ARG, "a watch's run needs fn and its marks",
		                  NULL);
	const newsgrep_search_options_t init = NEWSGREP_SEARCH_OPTIONS_INIT;
	newsgrep_search_options_t how = init;
	if (opts) {
		char msg[256];
		if ((st = ng_api_struct_read(NG_SEARCH_OPTIONS, &how, opts, msg, sizeof(msg))) !=
		    NEWSGREP_OK)
			return ng_db_fail(db, st, msg, NULL);
	}
	uint64_t last;
	char now[NG_IDENTITY_HEX + 1];
	/* The index's number and identity first, then the watch as of the
	 * same revision (newsgrep_db_sequence refreshed it). */
	if ((st = newsgrep_db_sequence(db, &last, now)) != NEWSGREP_OK)
		return st;
	watch w;
	if ((st = read_watch(db, key, name, &w)) != NEWSGREP_OK)
		return st;
	memcpy(identity, now, sizeof(now));
	*upto = last;
	*resynchronised = strcmp(now, w.identity) != 0;
	if (*resynchronised || w.last >= last) {
		watch_release(&w);
		return NEWSGREP_OK;
	}
	newsgrep_search_options_t o = w.opts;
	o.limit = UINT64_MAX;
	o.sort = NEWSGREP_SORT_NEWEST;
	o.no_snippets = how.no_snippets;
	o.has_arrived_after = 1;
	o.arrived_after = w.last;
	if (o.has_changed_after) /* delivered again when changed since */
		o.changed_after = w.last;
	/* With --changed, the articles new or changed after the mark: those
	 * changed are a superset of those arrived. */
	if (o.has_changed_after)
		o.has_arrived_after = 0;
	newsgrep_hits_t *hits;
	st = newsgrep_search(&hits, db, w.query, &o);
	watch_release(&w);
	if (st != NEWSGREP_OK)
		return st;
	/* A rebuild swapped in between (the search moved to it): its numbers
	 * are another index's, so resynchronise as the next run would. */
	uint64_t again;
	if ((st = newsgrep_db_sequence(db, &again, now)) != NEWSGREP_OK ||
	    strcmp(now, identity) != 0) {
		newsgrep_hits_free(hits);
		if (st == NEWSGREP_OK) {
			memcpy(identity, now, sizeof(now));
			*upto = again;
			*resynchronised = 1;
		}
		return st;
	}
	const newsgrep_hit_t *hit;
	while ((st = newsgrep_hits_next(hits, &hit)) == NEWSGREP_OK) {
		/* What commits added since the run began waits for the next. */
		uint64_t n = o.has_changed_after ? hit->change : hit->arrival;
		if (n > last)
			continue;
		if (fn(ctx, hit)) {
			st = NEWSGREP_STOPPED;
			break;
		}
	}
	if (st == NEWSGREP_DONE)
		st = NEWSGREP_OK;
	else if (st != NEWSGREP_STOPPED)
		ng_msg_set(db->errmsg, sizeof(db->errmsg), "%s", newsgrep_hits_errmsg(hits));
	else
		ng_msg_set(db->errmsg, sizeof(db->errmsg), "stopped by the caller");
	newsgrep_hits_free(hits);
	return st;
}

newsgrep_status_t newsgrep_watch_advance(newsgrep_db_t *db, const char *name,
                                         const char identity[33], uint64_t upto)
{
	char key[KEY_MAX];
	newsgrep_status_t st = check_args(db, name, true, key);
	if (st != NEWSGREP_OK)
		return st;
	if (!identity || strlen(identity) != NG_IDENTITY_HEX)
		return ng_db_fail(db, NEWSGREP_INVALID_ARG, "no identity given", NULL);
	watch w;
	if ((st = read_watch(db, key, name, &w)) != NEWSGREP_OK)
		return st;
	if (strcmp(w.identity, identity) == 0 && w.last >= upto) {
		watch_release(&w);
		return NEWSGREP_OK;
	}
	memcpy(w.identity, identity, NG_IDENTITY_HEX + 1);
	w.last = upto;
	/* (Many watches are recorded in one commit: the caller's.) */
	st = write_watch(db, key, &w, false);
	watch_release(&w);
	return st;
}
