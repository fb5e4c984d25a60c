/*
 * update.c - bringing an index up to date with its folders.
 *
 * An update runs in two phases.  The scan walks the folders and compares
 * each file's stat with the record the index keeps of it (filestate.c,
 * loaded into a table by known.c): an unchanged file costs a stat and a
 * hash lookup, and anything else goes on a work list.  Files the index
 * knows but the walk no longer finds are to be deleted.
 *
 * The index phase then writes: first every moved file (a vanished file
 * whose inode turns up under a new name) as its deletion and its addition
 * side by side, then the other deletions, then new and changed files.
 * Changes are committed in batches (Xapian transactions, so nothing
 * flushes in between), ended by a count, a time or an estimate of the
 * memory they hold; a batch never ends between the two halves of a
 * move.  A changed file is read and hashed first and indexed again only
 * when its bytes changed; a touched file just gets its record refreshed.
 *
 * A new index (no articles yet: a first build, a rebuild) is written on
 * several threads, each into a database of its own, merged at the end:
 * Xapian's write path, not parsing, sets the pace, and it is one thread
 * per database.  The merge also compacts, so it is worth doing even for
 * one thread.  It needs about as much space again as the segments take:
 * when the disk fills up, what the segments committed is kept as far as
 * there is room to merge it, and the message says about how much space
 * the whole needs (disk_full).
 *
 * A file that cannot be read or parsed keeps the version the index has.
 * So do the files under a folder that cannot be read, under a root that
 * is gone, or under a root that suddenly has no files at all (a disk that
 * is not mounted must not empty the index): those are reported instead.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ng.h"
#include "ngx.h"

typedef struct update {
	newsgrep_db_t *db;
	newsgrep_index_options_t opts;
	newsgrep_index_stats_t *stats; /* what is counted: own_stats, or a shard's */
	newsgrep_index_stats_t own_stats;
	newsgrep_index_stats_t *caller_stats; /* given own_stats at the end */
	ng_plan plan; /* what the index holds, and what is to change (plan.c) */
	ng_docmaker *dm;
	ng_roots roots;       /* the index's roots, as they will be stored */
	ng_roots added;       /* the paths they were added by (roots.c) */
	bool roots_changed;   /* either changed */
	ng_repeats repeats;   /* articles sharing a URL (repeats.c) */
	bool repeats_cleared; /* this update cleared the count: it writes it again */
	ng_buf scratch;
	uint64_t root_files; /* files the scan found under the current root */

	newsgrep_progress_t progress;
	bool stop;
	newsgrep_status_t fatal;
	/* The disk filled up (or the quota ran out): the message says what
	 * was kept and, from what was written (`written` bytes for `done`
	 * files), about how much the whole needs. */
	bool full;
	bool sharded;       /* written in segments */
	bool segments_done; /* ... and all of them were (the merge failed) */
	uint64_t written, written_done;
	uint64_t start_bytes; /* the database written in place, at the start */
	uint64_t start_free;  /* the disk's free bytes at the start */

	bool batch_open; /* changes not yet committed */
	unsigned long batch_changes;
	size_t batch_bytes; /* their estimated cost in writer memory */
	size_t doc_bytes;   /* the last document's, standing in for a deletion's */
	struct timespec last_commit;
} update;

/* ---- reporting ---- */

static void report(update *u, newsgrep_problem_kind_t kind, const char *path, unsigned long line,
                   unsigned long column, const char *message)
{
	if (kind == NEWSGREP_PROBLEM_SKIPPED)
		u->stats->skipped++;
	else
		u->stats->warnings++;
	if (!u->opts.on_problem)
		return;
	newsgrep_problem_t p = {kind, path, (uint32_t)line, (uint32_t)column, message};
	u->opts.on_problem(u->opts.ctx, &p);
}

static void report_warnings(update *u, const char *path)
{
	const ng_file_problem *w;
	size_t dropped, n = ng_docmaker_warnings(u->dm, &w, &dropped);
	for (size_t i = 0; i < n; i++)
		report(u, NEWSGREP_PROBLEM_WARNING, path, w[i].line, w[i].column, w[i].message);
	if (dropped) {
		char msg[64];
		ng_msg_set(msg, sizeof(msg), "%zu more warning%s not shown", dropped,
		           dropped == 1 ? "" : "s");
		report(u, NEWSGREP_PROBLEM_WARNING, path, 0, 0, msg);
		u->stats->warnings += dropped - 1;
	}
}

/* Tells the caller where we are; true when it asks to stop. */
static bool progress(update *u, newsgrep_index_phase_t phase)
{
	if (!u->opts.on_progress || u->stop)
		return u->stop;
	u->progress.phase = phase;
	u->progress.stats = u->stats;
	u->stop = u->opts.on_progress(u->opts.ctx, &u->progress) != 0;
	return u->stop;
}

static bool fail(update *u, newsgrep_status_t status, const char *what, const char *detail)
{
	u->fatal = ng_db_fail(u->db, status, what, detail);
	return false;
}

static bool nomem(update *u)
{
	return fail(u, NEWSGREP_NOMEM, "out of memory", NULL);
}

/* A path below `dir` too long to name (ng_path_join failed). */
static bool too_long(update *u, const char *dir, const char *name)
{
	u->fatal = ng_db_too_long(u->db, dir, name);
	return false;
}

/* An error of the planner's or the docmaker's. */
static bool failed(update *u, const ng_error *err)
{
	u->fatal = ng_db_error(u->db, err);
	return false;
}

static bool xfail(update *u, const char *what, const ngx_error *err)
{
	if (err->code == NGX_ERR_NOSPACE)
		u->full = true;
	return fail(u, ng_status_from_ngx(err->code), what, err->message);
}

/* ---- batches ---- */

static double seconds_since(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

/* Before every write: opens a batch if none is open. */
static bool begin_write(update *u)
{
	ngx_error err;
	if (!u->batch_open && ngx_db_begin_batch(u->db->x, &err) != NGX_OK)
		return xfail(u, "cannot write to the index", &err);
	u->batch_open = true;
	u->batch_changes++;
	ng_db_step(u->db);
	return true;
}

/* Before a change that can add or remove a URL: the recorded count of
 * repeated URLs no longer holds, so it goes (in the same batch) until
 * record_repeats() counts again.  Searches collapse meanwhile. */
static bool forget_repeats(update *u)
{
	if (u->repeats_cleared)
		return true;
	ngx_error err;
	if (u->repeats.before != NG_REPEATS_UNKNOWN &&
	    ngx_db_set_metadata(u->db->x, NG_META_REPEATED_URLS, "", &err) != NGX_OK)
		return xfail(u, "cannot write to the index", &err);
	u->repeats_cleared = true;
	return true;
}

/* Writes the count of articles that share a URL with another into the
 * open batch, when this update cleared it or it was never made. */
static bool record_repeats(update *u)
{
	if (!u->repeats_cleared && u->repeats.before != NG_REPEATS_UNKNOWN)
		return true;
	ngx_error err;
	uint64_t n;
	char text[24];
	if (!ng_repeats_count(&u->repeats, u->db->x, &n, &err))
		return xfail(u, "cannot read the index's URLs", &err);
	snprintf(text, sizeof(text), "%llu", (unsigned long long)n);
	if (!begin_write(u))
		return false;
	if (ngx_db_set_metadata(u->db->x, NG_META_REPEATED_URLS, text, &err) != NGX_OK)
		return xfail(u, "cannot write to the index", &err);
	u->repeats_cleared = false;
	u->repeats.before = n;
	return true;
}

static bool commit(update *u)
{
	if (!u->batch_open)
		return true;
	ngx_error err;
	ng_db_step(u->db);
	if (ngx_db_commit(u->db->x, &err) != NGX_OK)
		return xfail(u, "cannot commit to the index", &err);
	u->batch_open = false;
	u->batch_changes = 0;
	u->batch_bytes = 0;
	clock_gettime(CLOCK_MONOTONIC, &u->last_commit);
	return true;
}

/* Between changes (never inside a move): commits a full batch. */
static bool maybe_commit(update *u)
{
	if (u->batch_changes >= u->opts.commit_docs ||
	    u->batch_bytes >= (size_t)u->opts.commit_mib << 20 ||
	    (u->batch_open && seconds_since(&u->last_commit) >= u->opts.commit_seconds))
		return commit(u);
	return true;
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

static int on_walk(void *ctx, ng_walk_event ev, const char *path, const struct stat *st,
                   const char *message, bool is_error)
{
	update *u = ctx;
	if (ev == NG_WALK_PROBLEM) {
		report(u, is_error ? NEWSGREP_PROBLEM_SKIPPED : NEWSGREP_PROBLEM_WARNING, path, 0,
		       0, message);
		if (is_error)
			ng_plan_keep_under(&u->plan, path);
		return progress(u, NEWSGREP_PHASE_SCAN);
	}
	u->progress.scanned++;
	u->root_files++;
	ng_file_state fs = {0};
	ng_file_state_from_stat(&fs, st);
	ng_plan_found found;
	ng_error err;
	if (ng_plan_file(&u->plan, path, &fs, &found, &err) != NEWSGREP_OK)
		return failed(u, &err), 1;
	if (found == NG_PLAN_UNCHANGED)
		u->stats->unchanged++;
	return progress(u, NEWSGREP_PHASE_SCAN);
}

/* Walks one root (an absolute, resolved path). */
static bool scan_root(update *u, const char *root)
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
		report(u, NEWSGREP_PROBLEM_SKIPPED, root, 0, 0, msg);
		return true;
	}
	u->root_files = 0;
	if (ng_walk(root, u->opts.follow != 0, (const char *const *)u->roots.v, u->roots.n, on_walk,
	            u) < 0)
		return nomem(u);
	if (u->fatal || u->stop)
		return false;
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
		report(u, NEWSGREP_PROBLEM_SKIPPED, root, 0, 0, msg);
	}
	if (u->root_files == 0 && S_ISDIR(st.st_mode) && u->db->mode == NEWSGREP_DB_REBUILD) {
		/* Nothing to compare with: refuse rather than swap in an index
		 * that lost a folder's articles to an unmounted disk. */
		ng_msg_set(msg, sizeof(msg),
		           "folder '%s' has no articles: not rebuilding from it (is a disk not "
		           "mounted? --forget it first if it is meant to be empty)",
		           root);
		return fail(u, NEWSGREP_IO, msg, NULL);
	}
	return true;
}

/* ---- writing ---- */

static bool delete_known(update *u, uint32_t i)
{
	ngx_error err;
	if (!begin_write(u) || !forget_repeats(u))
		return false;
	u->repeats.removed = true;
	uint32_t docid = u->plan.known.items[i].docid;
	if (ng_docmaker_forget_spellings(u->dm, docid) != NEWSGREP_OK)
		return failed(u, ng_docmaker_error(u->dm));
	if (ngx_db_delete_document(u->db->x, docid, &err) != NGX_OK)
		return xfail(u, "cannot delete a document", &err);
	/* Its size is unknown without reading it: guess the last one's. */
	u->batch_bytes += u->doc_bytes;
	u->stats->deleted++;
	u->progress.done++;
	return true;
}

static bool write_roots(update *u)
{
	if (!u->roots_changed)
		return true;
	ngx_error err;
	if (!ng_roots_format(&u->roots, &u->scratch))
		return nomem(u);
	if (!begin_write(u))
		return false;
	if (ngx_db_set_metadata(u->db->x, NG_META_ROOTS, u->scratch.data, &err) != NGX_OK)
		return xfail(u, "cannot record the index's roots", &err);
	if (!ng_added_format(&u->added, &u->roots, &u->scratch))
		return nomem(u);
	if (ngx_db_set_metadata(u->db->x, NG_META_ROOTS_ADDED, u->scratch.data, &err) != NGX_OK)
		return xfail(u, "cannot record the paths the index's roots were added by", &err);
	u->roots_changed = false;
	return true;
}

/* Indexes one new or changed file.  False only on a fatal error. */
static bool index_work(update *u, const ng_plan_item *w)
{
	const char *path = ng_plan_path(&u->plan, w);
	ng_known *k = w->kind == NG_PLAN_CHECK ? &u->plan.known.items[w->known] : NULL;
	ng_file_state fs;
	ng_file_problem problem;
	ngx_error err;
	u->progress.done++;
	newsgrep_status_t st = ng_docmaker_read(u->dm, path, &fs, &problem);
	if (st == NEWSGREP_OK && problem.status == NEWSGREP_OK &&
	    ng_plan_same_content(&u->plan, w, &fs)) {
		/* Touched, not changed: refresh the record only. */
		if (!ng_file_state_encode(&u->scratch, &fs, path, strlen(path)))
			return nomem(u);
		if (!begin_write(u))
			return false;
		if (ngx_db_set_document_value(u->db->x, k->docid, NG_SLOT_FILE, u->scratch.data,
		                              u->scratch.len, &err) != NGX_OK)
			return xfail(u, "cannot update a document", &err);
		u->stats->unchanged++;
		return true;
	}
	if (st == NEWSGREP_OK && problem.status == NEWSGREP_OK)
		st = ng_docmaker_build(u->dm, path, &fs, &problem);
	if (st != NEWSGREP_OK) {
		u->fatal = ng_db_error(u->db, ng_docmaker_error(u->dm));
		return false;
	}
	if (problem.status != NEWSGREP_OK) {
		/* Bad input: the index keeps the version it has, if any. */
		report(u, NEWSGREP_PROBLEM_SKIPPED, path, problem.line, problem.column,
		       problem.message);
		return true;
	}
	/* A big article gets a batch of its own (never half a move's): were
	 * adding it to run out of memory, Xapian drops only its changes. */
	size_t cost = ng_docmaker_cost(u->dm);
	if (w->moved_from == NG_PLAN_NONE && cost >= ((size_t)u->opts.commit_mib << 20) / 4 &&
	    !commit(u))
		return false;
	bool was_cleared = u->repeats_cleared;
	if (!begin_write(u) || !forget_repeats(u))
		return false;
	bool alone = u->batch_changes == 1; /* nothing else in the batch */
	if (k && ng_docmaker_forget_spellings(u->dm, k->docid) != NEWSGREP_OK) {
		u->fatal = ng_db_error(u->db, ng_docmaker_error(u->dm));
		return false;
	}
	ngx_doc *doc = ng_docmaker_doc(u->dm);
	uint32_t docid;
	ngx_code rc = k ? ngx_db_replace_document_id(u->db->x, k->docid, doc, &err)
	                : ngx_db_add_document_id(u->db->x, doc, &docid, &err);
	if (rc != NGX_OK && err.code == NGX_ERR_NOMEM && alone) {
		/* Xapian dropped the batch, which held this article's changes
		 * alone: end it, skip the file, and go on. */
		if (ngx_db_cancel_batch(u->db->x, &err) != NGX_OK)
			return xfail(u, "cannot write to the index", &err);
		u->batch_open = false;
		u->batch_changes = 0;
		u->batch_bytes = 0;
		u->repeats_cleared = was_cleared;
		ng_docmaker_give_back(u->dm);
		report(u, NEWSGREP_PROBLEM_SKIPPED, path, 0, 0,
		       "out of memory adding the article to the index; skipped");
		return true;
	}
	if (rc != NGX_OK) {
		char what[600];
		ng_msg_set(what, sizeof(what), "cannot add '%s' to the index", path);
		return xfail(u, what, &err);
	}
	if (ng_docmaker_add_spellings(u->dm, &problem) != NEWSGREP_OK) {
		u->fatal = ng_db_error(u->db, ng_docmaker_error(u->dm));
		return false;
	}
	if (problem.status != NEWSGREP_OK)
		report(u, NEWSGREP_PROBLEM_WARNING, path, 0, 0, problem.message);
	uint64_t url_key;
	if (ng_docmaker_url_key(u->dm, &url_key))
		ng_repeats_added(&u->repeats, url_key);
	if (k)
		u->repeats.removed = true;
	/* A replacement also removes the old version's postings. */
	u->doc_bytes = ng_docmaker_cost(u->dm);
	u->batch_bytes += k ? 2 * u->doc_bytes : u->doc_bytes;
	if (k)
		u->stats->updated++;
	else
		u->stats->added++;
	report_warnings(u, path);
	return true;
}

/* The folder of the database this update writes into, into out (only
 * measured: "" when its path is too long, which names nothing). */
static void written_db(const update *u, char *out, size_t cap)
{
	char name[64] = "";
	if (u->db->building)
		snprintf(name, sizeof(name), "%s%u", NG_LAYOUT_DB_PREFIX, u->db->building);
	else
		ng_layout_live_db(u->db->path, name, sizeof(name));
	ng_path_join(out, cap, u->db->path, name);
}

/* What this update's writes took of the disk so far: the free space it
 * started with less what is left, or `fallback` when that is unknown. */
static uint64_t disk_taken(const update *u, uint64_t fallback)
{
	uint64_t now = ng_layout_free_bytes(u->db->path);
	if (u->start_free == UINT64_MAX || now == UINT64_MAX)
		return fallback;
	return u->start_free > now ? u->start_free - now : 0;
}

static bool write_changes(update *u)
{
	char path[PATH_MAX];
	written_db(u, path, sizeof(path));
	u->start_bytes = ng_layout_db_bytes(path);
	u->start_free = ng_layout_free_bytes(u->db->path);
	const ng_plan *p = &u->plan;
	u->progress.total = p->nitems + p->ngone;
	if (!write_roots(u))
		return false;
	/* Moves first, each deletion beside its addition. */
	for (size_t i = 0; i < p->nitems && !u->stop; i++) {
		const ng_plan_item *w = &p->items[i];
		if (w->moved_from == NG_PLAN_NONE)
			continue;
		if (!delete_known(u, w->moved_from) || !index_work(u, w) || !maybe_commit(u))
			return false;
		progress(u, NEWSGREP_PHASE_INDEX);
	}
	for (size_t i = 0; i < p->ngone && !u->stop; i++) {
		if (!ng_plan_deletes(p, i))
			continue;
		if (!delete_known(u, p->gone[i]) || !maybe_commit(u))
			return false;
		progress(u, NEWSGREP_PHASE_INDEX);
	}
	for (size_t i = 0; i < p->nitems && !u->stop; i++) {
		const ng_plan_item *w = &p->items[i];
		if (w->moved_from != NG_PLAN_NONE)
			continue;
		if (!index_work(u, w) || !maybe_commit(u))
			return false;
		progress(u, NEWSGREP_PHASE_INDEX);
	}
	return record_repeats(u) && commit(u);
}

/* ---- a new index on several threads ---- */

#define MAX_SHARDS 4
/* Below this many files, one thread is done before more would start. */
#define SHARDS_MIN_FILES 1000
/* A segment's files.  Xapian's commits slow down as a database grows (each
 * batch is merged into bigger B-trees), so a new index is written as
 * segments of bounded size, merged once at the end: docs/s then holds from
 * 100k to 1M articles.  The merge opens every segment at once, hence the
 * cap on their number (segments grow past SEGMENT_FILES to stay under it). */
#define SEGMENT_FILES 50000
#define MAX_SEGMENTS 64

typedef struct shard shard;

/* What the threads share, under `lock`. */
typedef struct shards {
	pthread_mutex_t lock;
	update *main;
	shard *v;
	size_t n;        /* threads */
	size_t nseg;     /* segments: contiguous runs of the work list */
	size_t next;     /* the next segment to write */
	bool *opened;    /* [nseg]: the segment's database exists */
	unsigned number; /* segment j is db.<number + j> */
	bool stop;
	bool full; /* a thread found the disk full: the others stop too */
} shards;

/* One thread: it takes the next segment, writes its files into a database
 * of its own with the same code as a single-threaded update, and so on.
 * The merge puts the segments one after the other, so documents are
 * numbered as one thread would have (and ties rank alike). */
struct shard {
	update u;
	newsgrep_db_t db;             /* a writer of the segment, without the folder's lock */
	newsgrep_index_stats_t stats; /* the thread's own */
	/* Its progress as last published, under the lock, for the others. */
	newsgrep_index_stats_t published;
	uint64_t published_done;
	shards *all;
	pthread_t thread;
	bool started;
};

/* Adds what a shard did (it only ever adds files) to `sum`. */
static void add_shard_stats(newsgrep_index_stats_t *sum, const newsgrep_index_stats_t *st)
{
	sum->added += st->added;
	sum->skipped += st->skipped;
	sum->warnings += st->warnings;
}

static void shard_problem(void *ctx, const newsgrep_problem_t *p)
{
	shard *s = ctx;
	update *m = s->all->main;
	pthread_mutex_lock(&s->all->lock);
	if (m->opts.on_problem)
		m->opts.on_problem(m->opts.ctx, p);
	pthread_mutex_unlock(&s->all->lock);
}

/* The caller sees one update: every shard's progress summed. */
static int shard_progress(void *ctx, const newsgrep_progress_t *p)
{
	shard *s = ctx;
	shards *all = s->all;
	update *m = all->main;
	pthread_mutex_lock(&all->lock);
	s->published_done = p->done;
	s->published = *p->stats;
	newsgrep_index_stats_t sum = *m->stats;
	newsgrep_progress_t total = m->progress;
	total.phase = NEWSGREP_PHASE_INDEX;
	for (size_t i = 0; i < all->n; i++) {
		total.done += all->v[i].published_done;
		add_shard_stats(&sum, &all->v[i].published);
	}
	total.stats = &sum;
	if (!all->stop && m->opts.on_progress)
		all->stop = m->opts.on_progress(m->opts.ctx, &total) != 0;
	int stop = all->stop || all->full;
	pthread_mutex_unlock(&all->lock);
	return stop;
}

/* db.<number> of the index folder, into out; false (out "") when its
 * path is too long. */
static bool shard_path(char *out, size_t cap, const newsgrep_db_t *db, unsigned number)
{
	char name[64];
	snprintf(name, sizeof(name), "%s%u", NG_LAYOUT_DB_PREFIX, number);
	return ng_path_join(out, cap, db->path, name);
}

/* Creates segment j's database for the shard to write. */
static bool segment_open(shard *s, size_t j)
{
	shards *all = s->all;
	char path[PATH_MAX];
	if (!shard_path(path, sizeof(path), all->main->db, all->number + (unsigned)j))
		return too_long(&s->u, all->main->db->path, NG_LAYOUT_DB_PREFIX "N");
	ng_remove_tree(path); /* a leftover of a killed run; we hold the lock */
	ngx_error err;
	if (ngx_db_open_write(&s->db.x, path, 1, &err) != NGX_OK)
		return xfail(&s->u, "cannot create a database in the index folder", &err);
	pthread_mutex_lock(&all->lock);
	all->opened[j] = true; /* from here on, whatever it holds is merged */
	pthread_mutex_unlock(&all->lock);
	clock_gettime(CLOCK_MONOTONIC, &s->u.last_commit);
	return true;
}

/* Closes the shard's segment, committing it unless a fatal error came
 * first (as a single-threaded update would not). */
static bool segment_close(shard *s, bool ok)
{
	ngx_error err;
	ok = ok && commit(&s->u);
	if (s->db.x && ngx_db_close(s->db.x, &err) != NGX_OK && ok)
		ok = xfail(&s->u, "cannot commit to the index", &err);
	s->db.x = NULL;
	return ok;
}

static void *write_shard(void *arg)
{
	shard *s = arg;
	shards *all = s->all;
	update *u = &s->u;
	for (;;) {
		pthread_mutex_lock(&all->lock);
		size_t j =
		    all->next < all->nseg && !all->stop && !all->full ? all->next++ : all->nseg;
		pthread_mutex_unlock(&all->lock);
		if (j == all->nseg || u->stop)
			break;
		size_t nitems = u->plan.nitems;
		size_t lo = nitems * j / all->nseg, hi = nitems * (j + 1) / all->nseg;
		bool ok = segment_open(s, j);
		for (size_t i = lo; ok && i < hi && !u->stop; i++) {
			ok = index_work(u, &u->plan.items[i]) && maybe_commit(u);
			if (ok)
				progress(u, NEWSGREP_PHASE_INDEX);
		}
		ok = segment_close(s, ok);
		if (u->full) {
			pthread_mutex_lock(&all->lock);
			all->full = true;
			pthread_mutex_unlock(&all->lock);
		}
		if (!ok)
			break;
	}
	return NULL;
}

/* Sets up a thread's update, writing no database yet. */
static bool shard_init(shard *s, shards *all)
{
	update *m = all->main;
	newsgrep_db_t *db = &s->db;
	s->all = all;
	db->path = m->db->path; /* borrowed */
	db->mode = NEWSGREP_DB_WRITE;
	db->lock_fd = -1;
	db->kill_at = m->db->kill_at;
	db->kill_signal = m->db->kill_signal;
	db->nomem_file = m->db->nomem_file;
	db->text_rules = m->db->text_rules;

	update *u = &s->u;
	u->db = db;
	u->opts = m->opts;
	u->opts.on_problem = shard_problem;
	u->opts.on_progress = shard_progress;
	u->opts.ctx = s;
	u->opts.commit_docs = m->opts.commit_docs / all->n ? m->opts.commit_docs / all->n : 1;
	u->opts.commit_mib = m->opts.commit_mib / all->n ? m->opts.commit_mib / all->n : 1;
	u->stats = &s->stats;
	u->plan.items = m->plan.items; /* borrowed, read only */
	u->plan.nitems = m->plan.nitems;
	u->plan.paths = m->plan.paths;
	u->doc_bytes = m->doc_bytes;
	/* The merged index is counted whole (write_shards): a segment keeps
	 * no count and no keys. */
	u->repeats.before = NG_REPEATS_UNKNOWN;
	u->repeats.overflow = true;
	newsgrep_status_t st = ng_docmaker_new(&u->dm, db);
	if (st != NEWSGREP_OK)
		return fail(m, st, db->errmsg, NULL);
	return true;
}

/* Frees what a shard's thread used. */
static void shard_free(shard *s)
{
	ng_docmaker_free(s->u.dm);
	ng_repeats_release(&s->u.repeats);
	ng_buf_release(&s->u.scratch);
	ngx_stemmer_free(s->db.stemmer);
	ng_tokenizer_free(s->db.tok);
}

/*
 * Merges the main database (metadata, roots) and the segments written into
 * a new compact db.<number>, which the handle then writes.  A first index's
 * stub switches to it at once; a rebuild's waits for newsgrep_db_swap_in.
 * *no_space tells a merge that failed for want of space.
 */
static bool merge_shards(update *u, shards *all, unsigned number, bool *no_space)
{
	newsgrep_db_t *db = u->db;
	char live[64];
	if (db->building)
		snprintf(live, sizeof(live), "%s%u", NG_LAYOUT_DB_PREFIX, db->building);
	else if (!ng_layout_live_db(db->path, live, sizeof(live)))
		return fail(u, NEWSGREP_CORRUPT, "the index's stub changed while it was written",
		            NULL);
	char(*paths)[PATH_MAX] = malloc((all->nseg + 1) * sizeof(*paths));
	const char **srcs = malloc((all->nseg + 1) * sizeof(*srcs));
	if (!paths || !srcs) {
		free(paths);
		free(srcs);
		return nomem(u);
	}
	char dest[PATH_MAX];
	bool named = ng_path_join(paths[0], sizeof(paths[0]), db->path, live) &&
	             shard_path(dest, sizeof(dest), db, number);
	size_t nsrcs = 0;
	srcs[nsrcs++] = paths[0];
	for (size_t j = 0; named && j < all->nseg; j++)
		if (all->opened[j]) {
			named = shard_path(paths[nsrcs], sizeof(paths[nsrcs]), db,
			                   all->number + (unsigned)j);
			srcs[nsrcs] = paths[nsrcs];
			nsrcs++;
		}
	if (!named) {
		free(paths);
		free(srcs);
		return too_long(u, db->path, NG_LAYOUT_DB_PREFIX "N");
	}
	ngx_error err;
	ng_db_step(db);
	bool ok = false;
	*no_space = false;
	if (ngx_db_merge(srcs, nsrcs, dest, &err) != NGX_OK) {
		*no_space = err.code == NGX_ERR_NOSPACE;
		xfail(u, "cannot merge the new index", &err);
	} else if (ngx_db_close(db->x, &err) != NGX_OK)
		db->x = NULL, xfail(u, "cannot close the index", &err);
	else if (ngx_db_open_write(&db->x, dest, 0, &err) != NGX_OK)
		db->x = NULL, xfail(u, "cannot open the merged index", &err);
	else
		ok = true;
	/* What a failed merge wrote is of no use: it goes at once (it may
	 * well be what filled the disk). */
	if (!ok)
		ng_remove_tree(dest);
	/* A rebuild's sources are its own; a first index's live database
	 * goes only once the stub names the merged one (the sweep below). */
	if (ok && db->building)
		for (size_t i = 0; i < nsrcs; i++)
			ng_remove_tree(paths[i]);
	newsgrep_status_t st = NEWSGREP_OK;
	if (ok && !db->building) {
		st = ng_layout_publish(db, number, NULL);
		/* No room even for the stub: the segments, merged, make some. */
		if (st != NEWSGREP_OK && (errno == ENOSPC || errno == EDQUOT)) {
			u->full = true;
			for (size_t i = 1; i < nsrcs; i++)
				ng_remove_tree(paths[i]);
			st = ng_layout_publish(db, number, NULL);
		}
	}
	free(paths);
	free(srcs);
	if (!ok)
		return false;
	if (db->building) {
		db->building = number;
		return true;
	}
	if (st != NEWSGREP_OK) {
		u->fatal = st;
		return false;
	}
	return true;
}

/*
 * The disk filled up while a first index was written or merged: keeps as
 * many of the segments' committed articles as the space left allows as
 * the index, so that the next run, with more space, reads only the rest.
 * The segments left out go first, making room to merge the others (a
 * merge writes about what it reads); when a merge still runs out of
 * space, one segment fewer is tried.  With none, the index stays as its
 * first commit made it: its folders and no article.
 */
static void salvage(update *u, shards *all, unsigned number)
{
	uint64_t room = ng_layout_free_bytes(u->db->path), *bytes;
	size_t *seg = malloc(all->nseg * sizeof(*seg)), n = 0, keep = 0;
	if (!seg || !(bytes = malloc(all->nseg * sizeof(*bytes)))) {
		free(seg);
		nomem(u);
		return;
	}
	for (size_t j = 0; j < all->nseg; j++)
		if (all->opened[j]) {
			char path[PATH_MAX];
			bytes[n] = shard_path(path, sizeof(path), u->db, all->number + (unsigned)j)
			               ? ng_layout_db_bytes(path)
			               : 0;
			seg[n++] = j;
		}
	/* The most segments whose merge fits in the free space and theirs
	 * of those left out: reading k, it writes about as much again. */
	uint64_t kept = 0, left = 0;
	for (size_t i = 0; i < n; i++)
		left += bytes[i];
	if (room != UINT64_MAX)
		for (keep = 0; keep < n && kept + bytes[keep] <= room + left - bytes[keep];
		     keep++) {
			kept += bytes[keep];
			left -= bytes[keep];
		}
	else
		keep = n;
	for (;;) {
		for (size_t i = keep; i < n; i++) {
			char path[PATH_MAX];
			size_t j = seg[i];
			if (shard_path(path, sizeof(path), u->db, all->number + (unsigned)j))
				ng_remove_tree(path);
			all->opened[j] = false;
		}
		n = keep;
		bool no_space = false;
		if (keep == 0 || merge_shards(u, all, number, &no_space) || !no_space)
			break;
		keep--;
	}
	free(seg);
	free(bytes);
}

/* How many threads should write this update into segments to be merged;
 * 0 when one thread writes in place (an index that has articles, or a
 * small new one).  A new index of SHARDS_MIN_FILES files or more goes
 * through a merge even on one thread: the merge compacts it, about 10%
 * smaller for a few per cent of the time. */
static size_t shards_wanted(const update *u)
{
	if (u->plan.known.n || u->plan.ngone)
		return 0;
	size_t n = u->opts.threads;
	if (n <= 1 && u->plan.nitems < SHARDS_MIN_FILES)
		return 0;
	if (n == 0) {
		long cores = sysconf(_SC_NPROCESSORS_ONLN);
		n = cores > 1 ? (size_t)cores : 1;
	}
	return n < MAX_SHARDS ? n : MAX_SHARDS;
}

/* How many segments n threads write: segments of about SEGMENT_FILES
 * files, as many for every thread (a last round for one thread would leave
 * the others idle), at most MAX_SEGMENTS. */
static size_t segments_wanted(const update *u, size_t n)
{
	size_t per = u->db->segment_files ? u->db->segment_files : SEGMENT_FILES;
	size_t rounds = (u->plan.nitems + per * n - 1) / (per * n);
	if (rounds * n > MAX_SEGMENTS)
		rounds = MAX_SEGMENTS / n;
	return (rounds ? rounds : 1) * n;
}

/* write_changes() for a new index, on n threads. */
static bool write_shards(update *u, size_t n)
{
	u->progress.total = u->plan.nitems;
	u->sharded = true;
	u->start_free = ng_layout_free_bytes(u->db->path);
	if (!write_roots(u) || !commit(u))
		return false;
	long last = ng_layout_last_db(u->db->path);
	if (last < 0)
		return fail(u, NEWSGREP_IO, "cannot read the index folder", strerror(errno));
	shard v[MAX_SHARDS];
	memset(v, 0, sizeof(v));
	shards all = {.main = u, .v = v, .n = n, .number = (unsigned)last + 1};
	all.nseg = segments_wanted(u, n);
	all.opened = calloc(all.nseg, sizeof(*all.opened));
	if (!all.opened)
		return nomem(u);
	pthread_mutex_init(&all.lock, NULL);
	bool ok = true;
	for (size_t k = 0; k < n && ok; k++)
		ok = shard_init(&v[k], &all);
	/* The caller's thread writes too. */
	for (size_t k = 1; k < n && ok; k++)
		v[k].started = pthread_create(&v[k].thread, NULL, write_shard, &v[k]) == 0;
	if (ok)
		write_shard(&v[0]); /* it also takes what threads not to be had left */
	for (size_t k = 1; k < n; k++)
		if (v[k].started)
			pthread_join(v[k].thread, NULL);
	for (size_t k = 0; k < n; k++) {
		shard_free(&v[k]);
		if (v[k].u.fatal != NEWSGREP_OK && u->fatal == NEWSGREP_OK)
			u->fatal = ng_db_fail(u->db, v[k].u.fatal, v[k].db.errmsg, NULL);
		add_shard_stats(u->stats, &v[k].stats);
		u->progress.done += v[k].u.progress.done;
		u->full = u->full || v[k].u.full;
	}
	u->stop = u->stop || all.stop;
	pthread_mutex_destroy(&all.lock);
	/* For the message of a full disk: what the segments took. */
	u->segments_done = !u->full;
	u->written_done = u->progress.done;
	uint64_t segment_bytes = 0;
	for (size_t j = 0; j < all.nseg; j++)
		if (all.opened[j]) {
			char path[PATH_MAX];
			if (shard_path(path, sizeof(path), u->db, all.number + (unsigned)j))
				segment_bytes += ng_layout_db_bytes(path);
		}
	u->written = u->full ? disk_taken(u, segment_bytes) : segment_bytes;
	/* What the segments committed is kept even after a stop or an error;
	 * after a full disk, as much of it as there is room for. */
	unsigned dest = all.number + (unsigned)all.nseg;
	bool no_space = u->full;
	if (ok && !u->full && !merge_shards(u, &all, dest, &no_space))
		ok = false;
	if (no_space && !u->db->building) {
		ok = false;
		salvage(u, &all, dest);
	}
	u->repeats.before = NG_REPEATS_UNKNOWN; /* a new index: count all */
	if (ok && u->fatal == NEWSGREP_OK && !(record_repeats(u) && commit(u)))
		ok = false;
	for (size_t j = 0; j < all.nseg; j++) {
		char path[PATH_MAX];
		if (shard_path(path, sizeof(path), u->db, all.number + (unsigned)j))
			ng_remove_tree(path);
	}
	free(all.opened);
	return ok && u->fatal == NEWSGREP_OK;
}

/* ---- the calls ---- */

/* The paths the roots were added by, into u->added.  A rebuild's new
 * database has none yet: the live index's are carried over (those of the
 * roots that stay roots are written), or none when it cannot say. */
static newsgrep_status_t read_added(update *u)
{
	newsgrep_db_t *db = u->db;
	ngx_db *from = db->x, *live = NULL;
	ngx_error err;
	if (db->mode == NEWSGREP_DB_REBUILD && db->building) {
		char name[64], path[PATH_MAX];
		if (!ng_layout_live_db(db->path, name, sizeof(name)))
			return NEWSGREP_OK;
		if (!ng_path_join(path, sizeof(path), db->path, name))
			return ng_db_too_long(db, db->path, name);
		if (ngx_db_open_read(&live, path, &err) != NGX_OK)
			return NEWSGREP_OK;
		from = live;
	}
	char *text = NULL;
	newsgrep_status_t st = NEWSGREP_OK;
	if (ngx_db_get_metadata(from, NG_META_ROOTS_ADDED, &text, &err) != NGX_OK) {
		if (!live)
			st = ng_db_fail(db, ng_status_from_ngx(err.code),
			                "cannot read the paths the index's roots were added by",
			                err.message);
	} else if (!ng_roots_parse(text, &u->added)) {
		st = ng_db_fail(db, NEWSGREP_NOMEM, "out of memory", NULL);
	}
	free(text);
	if (live)
		ngx_db_close(live, &err);
	return st;
}

static newsgrep_status_t start(update *u, newsgrep_db_t *db, const newsgrep_index_options_t *opts,
                               newsgrep_index_stats_t *stats)
{
	memset(u, 0, sizeof(*u));
	u->db = db;
	const newsgrep_index_stats_t zero = NEWSGREP_INDEX_STATS_INIT;
	u->own_stats = zero;
	u->stats = &u->own_stats;
	u->doc_bytes = 24 << 10; /* a typical article's, until one is indexed */
	clock_gettime(CLOCK_MONOTONIC, &u->last_commit);
	newsgrep_index_options_init(&u->opts, NEWSGREP_INDEX_OPTIONS_VERSION);
	char msg[256];
	if (stats && ng_api_struct_check(NG_INDEX_STATS, stats, msg, sizeof(msg)) != NEWSGREP_OK)
		return ng_db_fail(db, NEWSGREP_INVALID_ARG, msg, NULL);
	u->caller_stats = stats;
	if (opts) {
		newsgrep_index_options_t o = NEWSGREP_INDEX_OPTIONS_INIT;
		if (ng_api_struct_read(NG_INDEX_OPTIONS, &o, opts, msg, sizeof(msg)) != NEWSGREP_OK)
			return ng_db_fail(db, NEWSGREP_INVALID_ARG, msg, NULL);
		u->opts.on_problem = o.on_problem;
		u->opts.on_progress = o.on_progress;
		u->opts.ctx = o.ctx;
		if (o.commit_docs)
			u->opts.commit_docs = o.commit_docs;
		if (o.commit_seconds > 0)
			u->opts.commit_seconds = o.commit_seconds;
		if (o.commit_mib)
			u->opts.commit_mib = o.commit_mib;
		u->opts.threads = o.threads;
		u->opts.follow = o.follow;
	}
	if (db->mode == NEWSGREP_DB_READ)
		return ng_db_fail(db, NEWSGREP_INVALID_ARG, "index is open read-only", NULL);

	ngx_error err;
	char *text = NULL;
	if (ngx_db_get_metadata(db->x, NG_META_ROOTS, &text, &err) != NGX_OK)
		return ng_db_fail(db, ng_status_from_ngx(err.code), "cannot read the index's roots",
		                  err.message);
	bool ok = ng_roots_parse(text, &u->roots);
	free(text);
	/* Unknown (an index from before the count): this update counts. */
	ng_repeats_start(&u->repeats, db->x);
	if (!ok)
		return ng_db_fail(db, NEWSGREP_NOMEM, "out of memory", NULL);
	newsgrep_status_t st = read_added(u);
	if (st != NEWSGREP_OK)
		return st;
	if (ngx_db_value_stream(db->x, NG_SLOT_FILE, load_known, u, &err) != NGX_OK)
		return ng_db_fail(db, ng_status_from_ngx(err.code),
		                  "cannot read what the index holds", err.message);
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
	char kept[256], need[512], a[32], b[32], c[32], path[PATH_MAX];
	uint64_t total = u->progress.total, docs = 0;
	ngx_error err;
	bool have = db->x && ngx_db_doccount(db->x, &docs, &err) == NGX_OK;
	if (db->mode == NEWSGREP_DB_REBUILD)
		snprintf(kept, sizeof(kept), "the old index is left as it was");
	else if (have && docs > 0 && u->sharded)
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
	if (!u->sharded) {
		written_db(u, path, sizeof(path));
		uint64_t now = ng_layout_db_bytes(path);
		u->written = disk_taken(u, now > u->start_bytes ? now - u->start_bytes : 0);
		u->written_done = u->progress.done;
	}
	uint64_t done = u->written_done, took = u->written;
	/* Segments all written (the merge failed) are known whole. */
	bool scaled = done > 0 && done < total;
	bool known = scaled || (u->sharded && u->segments_done);
	uint64_t whole = scaled ? took / done * total : took;
	const char *build = db->mode == NEWSGREP_DB_REBUILD ? "a rebuild of its folders"
	                                                    : "a first build of its folders";
	ng_msg_bytes(b, sizeof(b), whole);
	if (u->sharded && known)
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
			         u->sharded ? build : "it",
			         ng_msg_bytes(a, sizeof(a), u->sharded ? 2 * files : files),
			         (unsigned long long)u->plan.nitems, b,
			         u->sharded ? ", and merging it as much again" : "");
	} else if (u->sharded)
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
	char what[1024];
	ng_msg_set(what, sizeof(what), "index at '%s': the disk is full: %s; %s; %s free", db->path,
	           kept, need, room != UINT64_MAX ? c : "unknown");
	return ng_db_fail(db, NEWSGREP_IO, what, NULL);
}

static newsgrep_status_t finish(update *u, newsgrep_status_t st)
{
	if (st == NEWSGREP_OK)
		st = u->fatal;
	if (st != NEWSGREP_OK && u->batch_open) {
		/* What was written before the error was good: keep it. */
		ngx_error err;
		ngx_db_commit(u->db->x, &err);
	}
	if (st != NEWSGREP_OK && u->full)
		st = disk_full(u);
	if (st == NEWSGREP_OK && u->stop)
		st = ng_db_fail(u->db, NEWSGREP_STOPPED, "stopped", NULL);
	ng_docmaker_free(u->dm);
	ng_repeats_release(&u->repeats);
	ng_plan_release(&u->plan);
	ng_buf_release(&u->scratch);
	ng_roots_release(&u->roots);
	ng_roots_release(&u->added);
	if (u->caller_stats)
		ng_api_struct_write(NG_INDEX_STATS, u->caller_stats, &u->own_stats);
	return st;
}

/* Scans `walked`, then writes what changed. */
static newsgrep_status_t run(update *u, const ng_roots *walked, bool all_roots)
{
	newsgrep_status_t st = ng_docmaker_new(&u->dm, u->db);
	if (st != NEWSGREP_OK)
		return st;
	for (size_t i = 0; i < walked->n; i++)
		if (!scan_root(u, walked->v[i]))
			return u->fatal;
	if (u->stop)
		return NEWSGREP_OK; /* nothing written yet: stop at once */
	ng_error err;
	if (ng_plan_find_gone(&u->plan, walked, all_roots ? &u->roots : NULL, &err) !=
	        NEWSGREP_OK ||
	    ng_plan_pair_moves(&u->plan, &err) != NEWSGREP_OK)
		return failed(u, &err), u->fatal;
	size_t n = shards_wanted(u);
	if (n > 0)
		write_shards(u, n);
	else
		write_changes(u);
	return u->fatal;
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
	newsgrep_status_t st = start(&u, db, opts, stats);
	ng_roots walked = {0};
	for (size_t i = 0; st == NEWSGREP_OK && i < npaths; i++) {
		/* Absolute and resolved: paths are the documents' identities. */
		char *abs = realpath(paths[i], NULL);
		if (!abs) {
			char msg[4400];
			if (errno == ENOMEM) {
				st = ng_db_fail(db, NEWSGREP_NOMEM, "out of memory", NULL);
				break;
			}
			if (db->mode == NEWSGREP_DB_REBUILD) {
				/* A rebuild without one of the folders would lose its
				 * articles: the old index stays instead. */
				ng_msg_set(msg, sizeof(msg), "cannot rebuild from '%s': %s",
				           paths[i], strerror(errno));
				st = ng_db_fail(db, NEWSGREP_IO, msg, NULL);
				break;
			}
			ng_msg_set(msg, sizeof(msg), "cannot read: %s", strerror(errno));
			report(&u, NEWSGREP_PROBLEM_SKIPPED, paths[i], 0, 0, msg);
			continue;
		}
		if (strchr(abs, '\n')) {
			report(&u, NEWSGREP_PROBLEM_SKIPPED, paths[i], 0, 0,
			       "a folder whose path has a newline cannot be a root");
			free(abs);
			continue;
		}
		bool added;
		if (ng_roots_add(&u.roots, abs, &added) != NEWSGREP_OK ||
		    ng_roots_add(&walked, abs, NULL) != NEWSGREP_OK)
			st = ng_db_fail(db, NEWSGREP_NOMEM, "out of memory", NULL);
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
				st = ng_db_fail(db, NEWSGREP_NOMEM, "out of memory", NULL);
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
	newsgrep_status_t st = start(&u, db, opts, stats);
	if (st == NEWSGREP_OK && u.roots.n == 0)
		st =
		    ng_db_fail(db, NEWSGREP_INVALID_ARG,
		               "the index has no folders yet: name one (newsgrep-index DIR)", NULL);
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
	newsgrep_status_t st = start(&u, db, opts, stats);
	char *resolved = NULL, *lexical = NULL;
	if (st == NEWSGREP_OK) /* it takes the forgotten articles' words back */
		st = ng_docmaker_new(&u.dm, db);
	if (st == NEWSGREP_OK) {
		/* As the root was recorded (resolved, through the links that
		 * still exist), or as typed, or as added. */
		resolved = resolve_missing(path);
		lexical = lexical_absolute(path);
		if (!resolved || !lexical)
			st = ng_db_fail(db, NEWSGREP_NOMEM, "out of memory", NULL);
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
		else {
			char what[4400];
			snprintf(what, sizeof(what),
			         "'%s' is not one of the index's folders (newsgrep-index --status "
			         "lists them)",
			         path);
			st = ng_db_fail(db, NEWSGREP_INVALID_ARG, what, NULL);
		}
	}
	if (st == NEWSGREP_OK) {
		u.roots_changed = true;
		ng_roots forgotten = {0};
		ng_error err;
		if (ng_roots_add(&forgotten, root, NULL) != NEWSGREP_OK)
			st = ng_db_fail(db, NEWSGREP_NOMEM, "out of memory", NULL);
		else if (ng_plan_find_gone(&u.plan, &forgotten, NULL, &err) != NEWSGREP_OK)
			st = ng_db_error(db, &err);
		else
			write_changes(&u);
		ng_roots_release(&forgotten);
	}
	free(resolved);
	free(lexical);
	return finish(&u, st);
}
