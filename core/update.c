/*
 * update.c - bringing an index up to date with its folders: the API's
 * newsgrep_index_paths, newsgrep_index_update and newsgrep_index_forget.
 *
 * An update runs in two phases.  The scan walks the folders (walk.c) and
 * hands each file's stat to the planner (plan.c), which compares it with
 * the record the index keeps of it (filestate.c, loaded into a table by
 * known.c): an unchanged file costs a stat and a hash lookup, and anything
 * else goes on the plan.  Files the index knows but the walk no longer
 * finds are to be deleted, or are half of a move.
 *
 * The write phase then applies the plan: in place, in batches, by the
 * writer (writer.c); or, for a new index (no articles yet: a first build,
 * a rebuild) big enough or with threads asked for, by the builder
 * (builder.c), on several threads into segments merged at the end.  This
 * file also keeps the roots (roots.c) and the shard of an archive the index
 * holds (settle_shard; the writer passes over other shards' articles), and
 * writes the message of an update that filled the disk (disk_full).
 *
 * Errors go into the writer's ng_error and become the handle's message
 * once, in finish().  A file that cannot be read or parsed keeps the
 * version the index has.  So do the files under a folder that cannot be
 * read, under a root that is gone, or under a root that suddenly has no
 * files at all (a disk that is not mounted must not empty the index):
 * those are reported instead.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ngx.h"
#include "writer.h"

typedef struct update {
	newsgrep_db_t *db;
	ng_writer w;  /* on the handle's database; its err is the update's */
	ng_plan plan; /* what the index holds, and what is to change */
	newsgrep_index_stats_t own_stats;
	newsgrep_index_stats_t *caller_stats; /* given own_stats at the end */
	ng_roots roots;                       /* the index's roots, as they will be stored */
	ng_roots added;                       /* the paths they were added by (roots.c) */
	bool roots_changed;                   /* either changed */
	ng_sequence seq;                      /* the order of arrival (sequence.c) */
	bool seq_ready;                       /* ... initialised */
	ng_shard shard;                       /* the shard of the archive the index holds */
	bool shard_changed;                   /* a new one, to be recorded */
	uint64_t root_files;                  /* files the scan found under the current root */
	ng_disk_use disk;                     /* for the message of a full disk */
} update;

static newsgrep_status_t start_sequence(update *u);

/* A failure whose message a function of db.c or index.c put on the
 * handle: it becomes the update's error. */
static newsgrep_status_t from_handle(update *u, newsgrep_status_t st)
{
	return ng_error_set(&u->w.err, st, "%s", u->db->errmsg);
}

/* ---- the scan ---- */

static int load_known(void *ctx, uint32_t docid, const char *bytes, size_t len)
{
	update *u = ctx;
	ng_file_state fs;
	const char *path;
	size_t n;
	if (!ng_file_state_decode(bytes, len, &fs, &path, &n))
		return 0; /* not a record of ours: nothing to compare */
	return ng_known_add(&u->plan.known, path, n, docid, &fs) ? 0 : 1;
}

/* A record of a file of another shard's article (known.c). */
static int load_elsewhere(void *ctx, const char *key, size_t key_len, const char *bytes, size_t len)
{
	(void)key;
	(void)key_len;
	return load_known(ctx, 0, bytes, len);
}

static bool on_walk(void *ctx, ng_walk_event ev, const char *path, const struct stat *st,
                    const char *message, bool is_error)
{
	update *u = ctx;
	ng_writer *w = &u->w;
	if (ev == NG_WALK_PROBLEM) {
		ng_writer_report(w, is_error ? NEWSGREP_PROBLEM_SKIPPED : NEWSGREP_PROBLEM_WARNING,
		                 path, 0, 0, message);
		if (is_error)
			ng_plan_keep_under(&u->plan, path);
		return !ng_writer_progress(w, NEWSGREP_PHASE_SCAN);
	}
	w->progress.scanned++;
	u->root_files++;
	ng_file_state fs = {0};
	ng_file_state_from_stat(&fs, st);
	ng_plan_found found;
	if (ng_plan_file(&u->plan, path, &fs, &found, &w->err) != NEWSGREP_OK)
		return false;
	if (found == NG_PLAN_UNCHANGED) /* another shard's file is no article here */
		w->stats->unchanged++;
	return !ng_writer_progress(w, NEWSGREP_PHASE_SCAN);
}

/* Walks one root (an absolute, resolved path).  NEWSGREP_OK also when
 * the caller asked to stop (w.stop). */
static newsgrep_status_t scan_root(update *u, const char *root)
{
	char msg[512];
	struct stat st;
	if (stat(root, &st) != 0) {
		uint64_t kept = ng_plan_keep_under(&u->plan, root);
		if (kept)
			ng_msg_set(msg, sizeof(msg),
			           "cannot read (%s): its %llu article%s kept; "
			           "newsgrep-index --forget drops %s",
			           strerror(errno), (unsigned long long)kept,
			           kept == 1 ? " is" : "s are", kept == 1 ? "it" : "them");
		else
			ng_msg_set(msg, sizeof(msg), "cannot read: %s", strerror(errno));
		ng_writer_report(&u->w, NEWSGREP_PROBLEM_SKIPPED, root, 0, 0, msg);
		return NEWSGREP_OK;
	}
	u->root_files = 0;
	if (ng_walk(root, u->w.opts.follow != 0, (const char *const *)u->roots.v, u->roots.n,
	            on_walk, u) == NG_PASS_NOMEM)
		return ng_error_nomem(&u->w.err);
	if (u->w.err.status != NEWSGREP_OK || u->w.stop)
		return u->w.err.status;
	uint64_t indexed;
	if (u->root_files == 0 && S_ISDIR(st.st_mode) &&
	    (indexed = ng_plan_count_under(&u->plan, root)) > 0) {
		ng_plan_keep_under(&u->plan, root);
		bool one = indexed == 1;
		ng_msg_set(msg, sizeof(msg),
		           "folder has no articles now, but %llu %s indexed from it: keeping "
		           "%s (is a disk not mounted?); newsgrep-index --forget drops %s",
		           (unsigned long long)indexed, one ? "was" : "were", one ? "it" : "them",
		           one ? "it" : "them");
		ng_writer_report(&u->w, NEWSGREP_PROBLEM_SKIPPED, root, 0, 0, msg);
	}
	if (u->root_files == 0 && S_ISDIR(st.st_mode) && u->db->mode == NEWSGREP_DB_REBUILD) {
		/* Nothing to compare with: refuse rather than swap in an index
		 * that lost a folder's articles to an unmounted disk. */
		ng_msg_set(msg, sizeof(msg),
		           "folder '%s' has no articles: not rebuilding from it (is a disk not "
		           "mounted? --forget it first if it is meant to be empty)",
		           root);
		return ng_error_set(&u->w.err, NEWSGREP_IO, "%s", msg);
	}
	return NEWSGREP_OK;
}

/* ---- writing ---- */

/* The folder of the database this update writes into, into out (only
 * measured: "" when its path is too long, which names nothing). */
static void written_db(const update *u, char *out, size_t cap)
{
	char name[64] = "";
	unsigned building = u->db->w->building;
	if (building)
		snprintf(name, sizeof(name), "%s%u", NG_LAYOUT_DB_PREFIX, building);
	else
		ng_layout_live_db(u->db->path, name, sizeof(name));
	ng_path_join(out, cap, u->db->path, name);
}

uint64_t ng_disk_taken(const ng_disk_use *d, const char *dir, uint64_t fallback)
{
	uint64_t now = ng_layout_free_bytes(dir);
	if (d->start_free == UINT64_MAX || now == UINT64_MAX)
		return fallback;
	return d->start_free > now ? d->start_free - now : 0;
}

static newsgrep_status_t write_roots(update *u)
{
	newsgrep_status_t st = NEWSGREP_OK;
	if (u->shard_changed && (st = ng_writer_shard(&u->w, &u->shard)) == NEWSGREP_OK)
		u->shard_changed = false;
	if (st != NEWSGREP_OK || !u->roots_changed)
		return st;
	st = ng_writer_roots(&u->w, &u->roots, &u->added);
	if (st == NEWSGREP_OK)
		u->roots_changed = false;
	return st;
}

/* Writes the plan: in place, or (threads > 0: ng_build_threads) on that
 * many threads into segments, merged. */
static newsgrep_status_t write_plan(update *u, size_t threads)
{
	ng_writer *w = &u->w;
	if (threads) {
		w->progress.total = u->plan.nitems;
		u->disk.sharded = true;
	} else {
		char path[PATH_MAX];
		written_db(u, path, sizeof(path));
		u->disk.start_bytes = ng_layout_db_bytes(path);
		w->progress.total = u->plan.nitems + u->plan.ngone;
	}
	u->disk.start_free = ng_layout_free_bytes(u->db->path);
	if (write_roots(u) != NEWSGREP_OK)
		return w->err.status;
	if (!threads)
		return ng_writer_apply(w);
	if (ng_writer_commit(w) != NEWSGREP_OK)
		return w->err.status;
	return ng_build(u->db, w, threads, &u->disk);
}

/* ---- the calls ---- */

static int carry_watch(void *ctx, const char *key, size_t key_len, const char *value, size_t len)
{
	char name[sizeof(NG_META_WATCH) + 128];
	ngx_error err;
	if (key_len >= sizeof(name))
		return 0; /* no watch's key */
	memcpy(name, key, key_len);
	name[key_len] = '\0';
	return ngx_db_set_metadata_bytes(ctx, name, value, len, &err) != NGX_OK;
}

/* A rebuild's new database takes the live index's watches (watch.c): they
 * resynchronise with its new identity rather than vanish. */
static newsgrep_status_t carry_watches(update *u, ngx_db *live)
{
	ngx_error err;
	if (ngx_db_metadata_stream(live, NG_META_WATCH, carry_watch, u->db->x, &err) != NGX_OK)
		return ng_error_from_ngx(&u->w.err, "cannot carry the index's watches over", &err);
	return NEWSGREP_OK;
}

/* The paths the roots were added by, into u->added.  A rebuild's new
 * database has none yet: the live index's are carried over (those of the
 * roots that stay roots are written), or none when it cannot say; and so
 * are its watches. */
static newsgrep_status_t read_added(update *u)
{
	newsgrep_db_t *db = u->db;
	ngx_db *from = db->x, *live = NULL;
	ngx_error err;
	if (db->mode == NEWSGREP_DB_REBUILD && db->w->building) {
		char name[64], path[PATH_MAX];
		if (!ng_layout_live_db(db->path, name, sizeof(name)))
			return NEWSGREP_OK;
		if (!ng_path_join(path, sizeof(path), db->path, name))
			return ng_error_too_long(&u->w.err, db->path, name);
		if (ngx_db_open_read(&live, path, &err) != NGX_OK)
			return NEWSGREP_OK;
		from = live;
	}
	char *text = NULL;
	newsgrep_status_t st = NEWSGREP_OK;
	if (ngx_db_get_metadata(from, NG_META_ROOTS_ADDED, &text, &err) != NGX_OK) {
		if (!live)
			st = ng_error_from_ngx(
			    &u->w.err, "cannot read the paths the index's roots were added by",
			    &err);
	} else if (!ng_roots_parse(text, &u->added)) {
		st = ng_error_nomem(&u->w.err);
	}
	free(text);
	if (live && st == NEWSGREP_OK)
		st = carry_watches(u, live);
	if (live)
		ngx_db_close(live, &err);
	return st;
}

/* "shard K/N of an archive" or "the whole archive", for messages. */
static const char *shard_name(const ng_shard *s, char *out, size_t cap)
{
	if (ng_shard_whole(s))
		ng_msg_set(out, cap, "the whole archive");
	else
		ng_msg_set(out, cap, "shard %u/%u of an archive", (unsigned)s->index,
		           (unsigned)s->count);
	return out;
}

/*
 * The shard of the archive the index holds (shard.c), into u->shard: the
 * one asked (the options') for a new index (no roots yet: a first build,
 * a rebuild's new database), to be recorded; for any other, the one it
 * records, which must be the one asked (`any`: or none asked, for a call
 * that indexes nothing).  A refusal says how to change it.
 */
static newsgrep_status_t settle_shard(update *u, const ng_shard *asked, bool any)
{
	newsgrep_db_t *db = u->db;
	ng_error *err = &u->w.err;
	ngx_error x;
	char *text = NULL;
	if (ngx_db_get_metadata(db->x, NG_META_SHARD, &text, &x) != NGX_OK)
		return ng_error_from_ngx(err, "cannot read the index's shard", &x);
	ng_shard stored;
	bool ok = ng_shard_parse(text, &stored);
	free(text);
	if (!ok)
		return ng_error_set(err, NEWSGREP_CORRUPT,
		                    "the index's shard (%s) is damaged: rebuild it with "
		                    "newsgrep-index --rebuild --shard K/N",
		                    NG_META_SHARD);
	u->shard = stored;
	if (db->mode == NEWSGREP_DB_REBUILD || u->roots.n == 0) {
		u->shard_changed = !ng_shard_same(&stored, asked);
		if (u->shard_changed)
			u->shard = ng_shard_whole(asked) ? (ng_shard){0, 0} : *asked;
		return NEWSGREP_OK;
	}
	if (ng_shard_same(&stored, asked) || (any && ng_shard_whole(asked)))
		return NEWSGREP_OK;
	char is[64], keep[32];
	shard_name(&stored, is, sizeof(is));
	if (ng_shard_whole(&stored))
		ng_msg_set(keep, sizeof(keep), "without --shard");
	else
		ng_msg_set(keep, sizeof(keep), "with --shard %u/%u", (unsigned)stored.index,
		           (unsigned)stored.count);
	if (ng_shard_whole(asked))
		return ng_error_set(err, NEWSGREP_INVALID_ARG,
		                    "the index at '%s' holds %s, not the whole archive: update "
		                    "it %s, or make it hold the whole archive with "
		                    "newsgrep-index --rebuild --shard 1/1",
		                    db->path, is, keep);
	return ng_error_set(err, NEWSGREP_INVALID_ARG,
	                    "the index at '%s' holds %s, not shard %u/%u: update it %s, or "
	                    "make it shard %u/%u with newsgrep-index --rebuild --shard %u/%u",
	                    db->path, is, (unsigned)asked->index, (unsigned)asked->count, keep,
	                    (unsigned)asked->index, (unsigned)asked->count, (unsigned)asked->index,
	                    (unsigned)asked->count);
}

static newsgrep_status_t start(update *u, newsgrep_db_t *db, const newsgrep_index_options_t *opts,
                               newsgrep_index_stats_t *stats, bool any_shard)
{
	memset(u, 0, sizeof(*u));
	u->db = db;
	const newsgrep_index_stats_t zero = NEWSGREP_INDEX_STATS_INIT;
	u->own_stats = zero;
	ng_writer *w = &u->w;
	/* Its steps are the handle's, once it is known to be a writer's. */
	ng_writer_init(w, &db->x, NULL, &u->plan);
	w->stats = &u->own_stats;
	newsgrep_index_options_init(&w->opts, NEWSGREP_INDEX_OPTIONS_VERSION);
	char msg[256];
	if (stats && ng_api_struct_check(NG_INDEX_STATS, stats, msg, sizeof(msg)) != NEWSGREP_OK)
		return ng_error_set(&w->err, NEWSGREP_INVALID_ARG, "%s", msg);
	/* Zeroed now, counted live for the callbacks, complete at the end. */
	u->caller_stats = w->caller_stats = stats;
	if (stats)
		ng_api_struct_write(NG_INDEX_STATS, stats, &u->own_stats);
	if (opts) {
		newsgrep_index_options_t o = NEWSGREP_INDEX_OPTIONS_INIT;
		if (ng_api_struct_read(NG_INDEX_OPTIONS, &o, opts, msg, sizeof(msg)) != NEWSGREP_OK)
			return ng_error_set(&w->err, NEWSGREP_INVALID_ARG, "%s", msg);
		w->opts.on_problem = o.on_problem;
		w->opts.on_progress = o.on_progress;
		w->opts.ctx = o.ctx;
		if (o.commit_docs)
			w->opts.commit_docs = o.commit_docs;
		if (o.commit_seconds > 0)
			w->opts.commit_seconds = o.commit_seconds;
		if (o.commit_mib)
			w->opts.commit_mib = o.commit_mib;
		w->opts.threads = o.threads;
		w->opts.follow = o.follow;
		w->opts.shard_index = o.shard_index;
		w->opts.shard_count = o.shard_count;
	}
	/* Beyond NEWSGREP_SHARD_MAX, the numbers are no shard either. */
	uint64_t index = w->opts.shard_index, count = w->opts.shard_count;
	ng_shard asked = {index > NEWSGREP_SHARD_MAX ? UINT32_MAX : (uint32_t)index,
	                  count > NEWSGREP_SHARD_MAX ? UINT32_MAX : (uint32_t)count};
	if (!ng_shard_valid(&asked))
		return ng_error_set(
		    &w->err, NEWSGREP_INVALID_ARG,
		    "shard %llu of %llu is no shard: a shard K of N has 1 <= K <= N "
		    "<= %u",
		    (unsigned long long)index, (unsigned long long)count,
		    (unsigned)NEWSGREP_SHARD_MAX);
	if (!db->w)
		return ng_error_set(&w->err, NEWSGREP_INVALID_ARG, "index is open read-only");
	w->steps = &db->w->steps;

	ngx_error err;
	char *text = NULL;
	if (ngx_db_get_metadata(db->x, NG_META_ROOTS, &text, &err) != NGX_OK)
		return ng_error_from_ngx(&w->err, "cannot read the index's roots", &err);
	bool ok = ng_roots_parse(text, &u->roots);
	free(text);
	/* Unknown (an index from before the count): this update counts. */
	ng_repeats_start(&w->repeats, db->x);
	if (!ok)
		return ng_error_nomem(&w->err);
	newsgrep_status_t st = read_added(u);
	if (st == NEWSGREP_OK)
		st = settle_shard(u, &asked, any_shard);
	if (st != NEWSGREP_OK)
		return st;
	w->shard = &u->shard;
	w->roots = &u->roots;
	if ((st = start_sequence(u)) != NEWSGREP_OK)
		return st;
	if (ngx_db_value_stream(db->x, NG_SLOT_FILE, load_known, u, &err) != NGX_OK ||
	    ngx_db_metadata_stream(db->x, NG_META_ELSEWHERE, load_elsewhere, u, &err) != NGX_OK)
		return ng_error_from_ngx(&w->err, "cannot read what the index holds", &err);
	return NEWSGREP_OK;
}

/* The counter of the order of arrival (sequence.c): the last number the
 * index recorded, or a larger one an article has (a merge may have kept
 * the record of an older batch). */
static newsgrep_status_t start_sequence(update *u)
{
	ngx_error err;
	char *text = NULL;
	uint64_t last;
	double most = 0;
	int has = 0;
	if (ngx_db_get_metadata(u->db->x, NG_META_SEQUENCE, &text, &err) != NGX_OK ||
	    ngx_db_number_upper_bound(u->db->x, NG_SLOT_CHANGE, &most, &has, &err) != NGX_OK) {
		free(text);
		return ng_error_from_ngx(&u->w.err, "cannot read the index's order of arrival",
		                         &err);
	}
	bool ok = ng_sequence_parse(text, &last);
	free(text);
	if (!ok)
		return ng_error_set(&u->w.err, NEWSGREP_CORRUPT,
		                    "the index's order of arrival (%s) is damaged: rebuild it with "
		                    "newsgrep-index --rebuild",
		                    NG_META_SEQUENCE);
	if (has && most > (double)last && most < 1e18)
		last = (uint64_t)most;
	ng_sequence_init(&u->seq, last);
	u->seq_ready = true;
	u->w.seq = &u->seq;
	return NEWSGREP_OK;
}

/*
 * The message of an update that filled the disk: the index folder, what
 * was kept, about how much space the whole needs and how much is free.
 * The need is an estimate from what the writing took of the disk for how
 * many files.  A new index written in segments needs them and, while they
 * are merged, about as much again (Xapian's compactor writes what it
 * reads); one written in place needs the rest of its files' share.  When
 * the disk filled up at the last files, that share is unknown: the need
 * is then only "more than" what there was.
 */
static newsgrep_status_t disk_full(update *u)
{
	newsgrep_db_t *db = u->db;
	ng_disk_use *d = &u->disk;
	char kept[256], need[512], a[32], b[32], c[32], path[PATH_MAX];
	uint64_t total = u->w.progress.total, docs = 0;
	ngx_error err;
	bool have = db->x && ngx_db_doccount(db->x, &docs, &err) == NGX_OK;
	if (db->mode == NEWSGREP_DB_REBUILD)
		snprintf(kept, sizeof(kept), "the old index is left as it was");
	else if (have && docs > 0 && d->sharded)
		snprintf(kept, sizeof(kept),
		         "the %llu articles committed so far are kept as the index (a next run "
		         "with more space reads only the rest)",
		         (unsigned long long)docs);
	else if (have && docs > 0)
		snprintf(kept, sizeof(kept),
		         "what was committed is kept, %llu article%s in all (a next run with more "
		         "space goes on from there)",
		         (unsigned long long)docs, docs == 1 ? "" : "s");
	else
		snprintf(kept, sizeof(kept),
		         "no article could be kept (a next run with more space starts again)");
	if (!d->sharded) {
		written_db(u, path, sizeof(path));
		uint64_t now = ng_layout_db_bytes(path);
		d->written =
		    ng_disk_taken(d, db->path, now > d->start_bytes ? now - d->start_bytes : 0);
		d->written_done = u->w.progress.done;
	}
	uint64_t done = d->written_done, took = d->written;
	/* Segments all written (the merge failed) are known whole. */
	bool scaled = done > 0 && done < total;
	bool known = scaled || (d->sharded && d->segments_done);
	uint64_t whole = scaled ? took / done * total : took;
	const char *build = db->mode == NEWSGREP_DB_REBUILD ? "a rebuild of its folders"
	                                                    : "a first build of its folders";
	ng_msg_bytes(b, sizeof(b), whole);
	if (d->sharded && known)
		snprintf(need, sizeof(need),
		         "%s needs about %s free (an estimate: about %s for the segments of its "
		         "%llu files, then as much again while they are merged)",
		         build, ng_msg_bytes(a, sizeof(a), 2 * whole), b,
		         (unsigned long long)total);
	else if (took == 0 || done == 0) {
		/* Nothing to go by but the files: an index takes about as much. */
		uint64_t files = 0;
		for (size_t i = 0; i < u->plan.nitems; i++)
			files += u->plan.items[i].size;
		ng_msg_bytes(b, sizeof(b), files);
		if (!files)
			snprintf(need, sizeof(need), "how much it needs is unknown");
		else
			snprintf(need, sizeof(need),
			         "%s needs more than %s free (a rough estimate: its %llu files "
			         "take %s, an index about as much%s)",
			         d->sharded ? build : "it",
			         ng_msg_bytes(a, sizeof(a), d->sharded ? 2 * files : files),
			         (unsigned long long)u->plan.nitems, b,
			         d->sharded ? ", and merging it as much again" : "");
	} else if (d->sharded)
		snprintf(need, sizeof(need),
		         "%s needs more than %s free (its segments took all of the %s there was, "
		         "and merging them takes about as much again)",
		         build, ng_msg_bytes(a, sizeof(a), 2 * whole), b);
	else if (known)
		snprintf(need, sizeof(need),
		         "it needs about %s more (an estimate from the %s written for %llu of "
		         "its %llu files)",
		         ng_msg_bytes(a, sizeof(a), whole - took), ng_msg_bytes(b, sizeof(b), took),
		         (unsigned long long)done, (unsigned long long)total);
	else
		snprintf(need, sizeof(need),
		         "it needs more than the %s there was for its %llu files", b,
		         (unsigned long long)total);
	uint64_t room = ng_layout_free_bytes(db->path);
	if (room != UINT64_MAX)
		ng_msg_bytes(c, sizeof(c), room);
	return ng_error_set(&u->w.err, NEWSGREP_IO,
	                    "index at '%s': the disk is full: %s; %s; %s free", db->path, kept,
	                    need, room != UINT64_MAX ? c : "unknown");
}

/* Ends an update: keeps what was committed, makes the message of a full
 * disk or a stop, frees everything, fills the caller's stats, and turns
 * the update's error into the handle's message (the one place it does). */
static newsgrep_status_t finish(update *u, newsgrep_status_t st)
{
	ng_writer *w = &u->w;
	if (st == NEWSGREP_OK)
		st = w->err.status;
	if (st != NEWSGREP_OK)
		ng_writer_keep_batch(w); /* what was written before the error was good */
	if (st != NEWSGREP_OK && w->full)
		st = disk_full(u);
	if (st == NEWSGREP_OK && w->stop)
		st = ng_error_set(&w->err, NEWSGREP_STOPPED, "stopped");
	if (st != NEWSGREP_OK)
		ng_db_error(u->db, &w->err);
	ng_writer_release(w);
	ng_plan_release(&u->plan);
	if (u->seq_ready)
		ng_sequence_release(&u->seq);
	u->seq_ready = false;
	u->w.seq = NULL;
	ng_roots_release(&u->roots);
	ng_roots_release(&u->added);
	if (u->caller_stats)
		ng_api_struct_write(NG_INDEX_STATS, u->caller_stats, &u->own_stats);
	return st;
}

/* Scans `walked`, then writes what changed. */
static newsgrep_status_t run(update *u, const ng_roots *walked, bool all_roots)
{
	ng_writer *w = &u->w;
	newsgrep_status_t st = ng_docmaker_new(&w->dm, u->db);
	if (st != NEWSGREP_OK)
		return from_handle(u, st);
	for (size_t i = 0; i < walked->n && !w->stop; i++)
		if (scan_root(u, walked->v[i]) != NEWSGREP_OK)
			return w->err.status;
	if (w->stop)
		return NEWSGREP_OK; /* nothing written yet: stop at once */
	if (ng_plan_find_gone(&u->plan, walked, all_roots ? &u->roots : NULL, &w->err) !=
	        NEWSGREP_OK ||
	    ng_plan_pair_moves(&u->plan, &w->err) != NEWSGREP_OK)
		return w->err.status;
	return write_plan(u, ng_build_threads(&u->plan, w->opts.threads));
}

newsgrep_status_t newsgrep_index_options_init(newsgrep_index_options_t *opts, uint32_t version)
{
	newsgrep_index_options_t defaults = NEWSGREP_INDEX_OPTIONS_INIT;
	defaults.commit_docs = 10000;
	defaults.commit_seconds = 30;
	defaults.commit_mib = 64;
	return ng_api_struct_init(NG_INDEX_OPTIONS, opts, version, &defaults);
}

/* `path` behind the current folder unless it is absolute, as written
 * (malloc'd).  NULL when out of memory or the current folder cannot be
 * named. */
static char *absolute(const char *path)
{
	char cwd[PATH_MAX] = "";
	if (path[0] != '/' && !getcwd(cwd, sizeof(cwd)))
		return NULL;
	size_t n = strlen(cwd) + strlen(path) + 2;
	char *out = malloc(n);
	if (out)
		snprintf(out, n, "%s/%s", cwd, path);
	return out;
}

/* `path` made absolute and tidied (ng_path_tidy), without asking the file
 * system (the folder may be gone, its links changed).  NULL as absolute(). */
static char *lexical_absolute(const char *path)
{
	char *out = absolute(path);
	if (out)
		out[ng_path_tidy(out, strlen(out))] = '\0';
	return out;
}

newsgrep_status_t newsgrep_index_paths(newsgrep_db_t *db, const char *const *paths, size_t npaths,
                                       const newsgrep_index_options_t *opts,
                                       newsgrep_index_stats_t *stats)
{
	if (!db)
		return NEWSGREP_INVALID_ARG;
	if (!paths && npaths)
		return ng_db_fail(db, NEWSGREP_INVALID_ARG, "no paths given", NULL);
	for (size_t i = 0; i < npaths; i++)
		if (!paths[i] || !*paths[i])
			return ng_db_fail(db, NEWSGREP_INVALID_ARG, "an empty path was given",
			                  NULL);
	update u;
	newsgrep_status_t st = start(&u, db, opts, stats, false);
	ng_error *err = &u.w.err;
	ng_roots walked = {0};
	for (size_t i = 0; st == NEWSGREP_OK && i < npaths; i++) {
		/* Absolute and resolved: paths are the documents' identities. */
		char *abs = realpath(paths[i], NULL);
		if (!abs) {
			char msg[4400];
			if (errno == ENOMEM) {
				st = ng_error_nomem(err);
				break;
			}
			if (db->mode == NEWSGREP_DB_REBUILD) {
				/* A rebuild without one of the folders would lose its
				 * articles: the old index stays instead. */
				st = ng_error_set(err, NEWSGREP_IO, "cannot rebuild from '%s': %s",
				                  paths[i], strerror(errno));
				break;
			}
			ng_msg_set(msg, sizeof(msg), "cannot read: %s", strerror(errno));
			ng_writer_report(&u.w, NEWSGREP_PROBLEM_SKIPPED, paths[i], 0, 0, msg);
			continue;
		}
		if (strchr(abs, '\n')) {
			ng_writer_report(&u.w, NEWSGREP_PROBLEM_SKIPPED, paths[i], 0, 0,
			                 "a folder whose path has a newline cannot be a root");
			free(abs);
			continue;
		}
		bool added;
		if (ng_roots_add(&u.roots, abs, &added) != NEWSGREP_OK ||
		    ng_roots_add(&walked, abs, NULL) != NEWSGREP_OK)
			st = ng_error_nomem(err);
		else if (added)
			u.roots_changed = true;
		/* The path as given, for --forget once its links changed; one
		 * inside a root stands for no root. */
		char *given = st == NEWSGREP_OK ? lexical_absolute(paths[i]) : NULL;
		if (given) {
			bool is_root = false;
			for (size_t r = 0; r < u.roots.n && !is_root; r++)
				is_root = strcmp(u.roots.v[r], abs) == 0;
			bool noted;
			if (ng_added_note(&u.added, is_root ? abs : given, given, &noted) !=
			    NEWSGREP_OK)
				st = ng_error_nomem(err);
			else if (noted)
				u.roots_changed = true;
		}
		free(given);
		free(abs);
	}
	if (st == NEWSGREP_OK)
		st = run(&u, &walked, false);
	ng_roots_release(&walked);
	return finish(&u, st);
}

newsgrep_status_t newsgrep_index_update(newsgrep_db_t *db, const newsgrep_index_options_t *opts,
                                        newsgrep_index_stats_t *stats)
{
	if (!db)
		return NEWSGREP_INVALID_ARG;
	update u;
	newsgrep_status_t st = start(&u, db, opts, stats, false);
	if (st == NEWSGREP_OK && u.roots.n == 0)
		st = ng_error_set(&u.w.err, NEWSGREP_INVALID_ARG,
		                  "the index has no folders yet: name one (newsgrep-index DIR)");
	if (st == NEWSGREP_OK)
		st = run(&u, &u.roots, true);
	return finish(&u, st);
}

/* `path` as realpath(3) resolves it, but going on where it stops: the
 * symbolic links that still exist are followed, even when what they lead
 * to is gone, and the missing rest is taken as written.  So a folder added
 * through a link resolves to what was recorded after the disk it was on
 * is gone.  NULL when out of memory. */
static char *resolve_missing(const char *path)
{
	/* What is left to resolve, absolute ("a/../b" is resolved as the
	 * kernel does: ".." of what "a" leads to). */
	char *todo = absolute(path);
	char *out = todo ? malloc(strlen(todo) + 2) : NULL;
	char *link = malloc(PATH_MAX);
	size_t len = 0, links = 0;
	char *rest = todo;
	while (out && link && rest && *rest) {
		while (*rest == '/')
			rest++;
		size_t n = strcspn(rest, "/");
		if (n == 0)
			break;
		if ((n == 1 && rest[0] == '.') || (n == 2 && rest[0] == '.' && rest[1] == '.')) {
			if (n == 2)
				while (len > 0 && out[--len] != '/')
					;
			rest += n;
			continue;
		}
		size_t had = len;
		char *grown = realloc(out, len + n + 2);
		if (!grown) {
			free(out);
			out = NULL;
			break;
		}
		out = grown;
		out[len++] = '/';
		memcpy(out + len, rest, n);
		len += n;
		out[len] = '\0';
		rest += n;
		ssize_t got = links < 40 ? readlink(out, link, PATH_MAX - 1) : -1;
		if (got <= 0)
			continue; /* not a link, or gone: as written */
		/* The link's target, then what was left after it. */
		link[got] = '\0';
		links++;
		len = link[0] == '/' ? 0 : had;
		size_t tlen = strlen(link) + strlen(rest) + 2;
		char *next = malloc(tlen);
		if (!next) {
			free(out);
			out = NULL;
			break;
		}
		snprintf(next, tlen, "%s/%s", link, rest);
		free(todo);
		todo = rest = next;
	}
	free(link);
	free(todo);
	if (out && len == 0)
		out[len++] = '/';
	if (out)
		out[len] = '\0';
	return out;
}

newsgrep_status_t newsgrep_index_forget(newsgrep_db_t *db, const char *path,
                                        const newsgrep_index_options_t *opts,
                                        newsgrep_index_stats_t *stats)
{
	if (!db)
		return NEWSGREP_INVALID_ARG;
	if (!path || !*path)
		return ng_db_fail(db, NEWSGREP_INVALID_ARG, "no folder given", NULL);
	update u;
	newsgrep_status_t st = start(&u, db, opts, stats, true);
	ng_error *err = &u.w.err;
	char *resolved = NULL, *lexical = NULL;
	/* It takes the forgotten articles' words back. */
	if (st == NEWSGREP_OK && (st = ng_docmaker_new(&u.w.dm, db)) != NEWSGREP_OK)
		st = from_handle(&u, st);
	if (st == NEWSGREP_OK) {
		/* As the root was recorded (resolved, through the links that
		 * still exist), or as typed, or as added. */
		resolved = resolve_missing(path);
		lexical = lexical_absolute(path);
		if (!resolved || !lexical)
			st = ng_error_nomem(err);
	}
	const char *root = NULL;
	if (st == NEWSGREP_OK) {
		/* A root as typed; the root added by that path, wherever its
		 * links lead now; the root it leads to. */
		const char *added_as = ng_added_root(&u.added, lexical);
		if (ng_roots_remove(&u.roots, lexical))
			root = lexical;
		else if (added_as && ng_roots_remove(&u.roots, added_as))
			root = added_as;
		else if (ng_roots_remove(&u.roots, resolved))
			root = resolved;
		else
			st = ng_error_set(err, NEWSGREP_INVALID_ARG,
			                  "'%s' is not one of the index's folders (newsgrep-index "
			                  "--status lists them)",
			                  path);
	}
	if (st == NEWSGREP_OK) {
		u.roots_changed = true;
		ng_roots forgotten = {0};
		if (ng_roots_add(&forgotten, root, NULL) != NEWSGREP_OK)
			st = ng_error_nomem(err);
		else if (ng_plan_find_gone(&u.plan, &forgotten, NULL, err) == NEWSGREP_OK)
			st = write_plan(&u, 0);
		else
			st = err->status;
		ng_roots_release(&forgotten);
	}
	free(resolved);
	free(lexical);
	return finish(&u, st);
}
