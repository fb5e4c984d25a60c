/*
 * builder.c - a new index written on several threads, each writer into
 * segments of its own, merged at the end.
 *
 * A new index (no articles yet: a first build, a rebuild) of
 * SHARDS_MIN_FILES files or more, or with threads asked for, is built
 * here: Xapian's write path, not parsing, sets the pace, and it is one
 * thread per database.  Each thread runs a writer (writer.c) of its own,
 * with a docmaker and text tools of its own, on the update's plan, which
 * they share read only; the work list is cut into segments of about
 * SEGMENT_FILES files, each written into its own db.K of the index folder.
 * The merge (Xapian's compactor) also compacts, so it is worth doing even
 * for one thread; the merged database is then published (a first index)
 * or awaits the swap-in (a rebuild).  It needs about as much space again
 * as the segments take: when the disk fills up, what the segments
 * committed is kept as far as there is room to merge it (salvage).
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ngx.h"
#include "writer.h"

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
	newsgrep_db_t *db; /* the index's handle: its folder, settings and database */
	ng_writer *main;   /* the update's writer, on the handle's database */
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
	ng_writer w;
	ngx_db *x;                    /* the segment being written, or NULL */
	ng_steps steps;               /* its own count of writing steps (crash tests) */
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
	ng_writer *m = s->all->main;
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
	ng_writer *m = all->main;
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
static newsgrep_status_t segment_open(shard *s, size_t j)
{
	shards *all = s->all;
	char path[PATH_MAX];
	if (!shard_path(path, sizeof(path), all->db, all->number + (unsigned)j))
		return ng_error_too_long(&s->w.err, all->db->path, NG_LAYOUT_DB_PREFIX "N");
	ng_remove_tree(path); /* a leftover of a killed run; we hold the lock */
	ngx_error err;
	if (ngx_db_open_write(&s->x, path, 1, &err) != NGX_OK)
		return ng_writer_xfail(&s->w, "cannot create a database in the index folder", &err);
	pthread_mutex_lock(&all->lock);
	all->opened[j] = true; /* from here on, whatever it holds is merged */
	pthread_mutex_unlock(&all->lock);
	clock_gettime(CLOCK_MONOTONIC, &s->w.last_commit);
	return NEWSGREP_OK;
}

/* Closes the shard's segment, committing it unless a fatal error came
 * first (as a single-threaded update would not). */
static newsgrep_status_t segment_close(shard *s, newsgrep_status_t st)
{
	ngx_error err;
	if (st == NEWSGREP_OK)
		st = ng_writer_commit(&s->w);
	if (s->x && ngx_db_close(s->x, &err) != NGX_OK && st == NEWSGREP_OK)
		st = ng_writer_xfail(&s->w, "cannot commit to the index", &err);
	s->x = NULL;
	return st;
}

/* Writes the plan's items of segment j. */
static newsgrep_status_t write_segment(shard *s, size_t j)
{
	ng_writer *w = &s->w;
	size_t nitems = w->plan->nitems, nseg = s->all->nseg;
	size_t lo = nitems * j / nseg, hi = nitems * (j + 1) / nseg;
	newsgrep_status_t st = segment_open(s, j);
	for (size_t i = lo; st == NEWSGREP_OK && i < hi && !w->stop; i++) {
		st = ng_writer_index(w, &w->plan->items[i]);
		if (st == NEWSGREP_OK)
			st = ng_writer_next(w);
	}
	return segment_close(s, st);
}

static void *write_shard(void *arg)
{
	shard *s = arg;
	shards *all = s->all;
	for (;;) {
		pthread_mutex_lock(&all->lock);
		size_t j =
		    all->next < all->nseg && !all->stop && !all->full ? all->next++ : all->nseg;
		pthread_mutex_unlock(&all->lock);
		if (j == all->nseg || s->w.stop)
			break;
		newsgrep_status_t st = write_segment(s, j);
		if (s->w.full) {
			pthread_mutex_lock(&all->lock);
			all->full = true;
			pthread_mutex_unlock(&all->lock);
		}
		if (st != NEWSGREP_OK)
			break;
	}
	return NULL;
}

/* Sets up a thread's writer, writing no database yet. */
static newsgrep_status_t shard_init(shard *s, shards *all)
{
	ng_writer *m = all->main, *w = &s->w;
	s->all = all;
	const ng_steps *hooks = &all->db->w->steps;
	s->steps = (ng_steps){.kill_at = hooks->kill_at, .kill_signal = hooks->kill_signal};
	ng_writer_init(w, &s->x, &s->steps, m->plan);
	w->opts = m->opts;
	w->shard = m->shard;
	w->roots = m->roots;
	w->opts.on_problem = shard_problem;
	w->opts.on_progress = shard_progress;
	w->opts.ctx = s;
	w->opts.commit_docs = m->opts.commit_docs / all->n ? m->opts.commit_docs / all->n : 1;
	w->opts.commit_mib = m->opts.commit_mib / all->n ? m->opts.commit_mib / all->n : 1;
	w->stats = &s->stats;
	w->doc_bytes = m->doc_bytes;
	w->seq = m->seq; /* one counter for all: numbers are the index's */
	/* The merged index is counted whole (ng_build): a segment keeps no
	 * count and no keys. */
	w->repeats.before = NG_REPEATS_UNKNOWN;
	w->repeats.overflow = true;
	return ng_docmaker_new_apart(&w->dm, all->db, &s->x, &m->err);
}

/*
 * Merges the main database (metadata, roots) and the segments written into
 * a new compact db.<number>, which the handle then writes.  A first index's
 * stub switches to it at once; a rebuild's waits for newsgrep_db_swap_in.
 * *no_space tells a merge that failed for want of space.
 */
static newsgrep_status_t merge_shards(shards *all, unsigned number, bool *no_space)
{
	newsgrep_db_t *db = all->db;
	ng_db_writer *dw = db->w;
	ng_writer *m = all->main;
	char live[64];
	if (dw->building)
		snprintf(live, sizeof(live), "%s%u", NG_LAYOUT_DB_PREFIX, dw->building);
	else if (!ng_layout_live_db(db->path, live, sizeof(live)))
		return ng_error_set(&m->err, NEWSGREP_CORRUPT,
		                    "the index's stub changed while it was written");
	char(*paths)[PATH_MAX] = malloc((all->nseg + 1) * sizeof(*paths));
	const char **srcs = malloc((all->nseg + 1) * sizeof(*srcs));
	if (!paths || !srcs) {
		free(paths);
		free(srcs);
		return ng_error_nomem(&m->err);
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
		return ng_error_too_long(&m->err, db->path, NG_LAYOUT_DB_PREFIX "N");
	}
	ngx_error err;
	ng_db_step(db);
	bool ok = false;
	*no_space = false;
	if (ngx_db_merge(srcs, nsrcs, dest, &err) != NGX_OK) {
		*no_space = err.code == NGX_ERR_NOSPACE;
		ng_writer_xfail(m, "cannot merge the new index", &err);
	} else if (ngx_db_close(db->x, &err) != NGX_OK)
		db->x = NULL, ng_writer_xfail(m, "cannot close the index", &err);
	else if (ngx_db_open_write(&db->x, dest, 0, &err) != NGX_OK)
		db->x = NULL, ng_writer_xfail(m, "cannot open the merged index", &err);
	else
		ok = true;
	/* What a failed merge wrote is of no use: it goes at once (it may
	 * well be what filled the disk). */
	if (!ok)
		ng_remove_tree(dest);
	/* A rebuild's sources are its own; a first index's live database
	 * goes only once the stub names the merged one (publishing sweeps it). */
	if (ok && dw->building)
		for (size_t i = 0; i < nsrcs; i++)
			ng_remove_tree(paths[i]);
	newsgrep_status_t st = NEWSGREP_OK;
	if (ok && !dw->building) {
		st = ng_layout_publish(db, number, NULL);
		/* No room even for the stub: the segments, merged, make some. */
		if (st != NEWSGREP_OK && (errno == ENOSPC || errno == EDQUOT)) {
			m->full = true;
			for (size_t i = 1; i < nsrcs; i++)
				ng_remove_tree(paths[i]);
			st = ng_layout_publish(db, number, NULL);
		}
	}
	free(paths);
	free(srcs);
	if (!ok)
		return m->err.status;
	if (dw->building) {
		dw->building = number;
		return NEWSGREP_OK;
	}
	if (st != NEWSGREP_OK) /* the message is on the handle */
		return ng_error_set(&m->err, st, "%s", db->errmsg);
	return NEWSGREP_OK;
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
static void salvage(shards *all, unsigned number)
{
	uint64_t room = ng_layout_free_bytes(all->db->path), *bytes;
	size_t *seg = malloc(all->nseg * sizeof(*seg)), n = 0, keep = 0;
	if (!seg || !(bytes = malloc(all->nseg * sizeof(*bytes)))) {
		free(seg);
		ng_error_nomem(&all->main->err);
		return;
	}
	for (size_t j = 0; j < all->nseg; j++)
		if (all->opened[j]) {
			char path[PATH_MAX];
			bytes[n] =
			    shard_path(path, sizeof(path), all->db, all->number + (unsigned)j)
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
			if (shard_path(path, sizeof(path), all->db, all->number + (unsigned)j))
				ng_remove_tree(path);
			all->opened[j] = false;
		}
		n = keep;
		bool no_space = false;
		if (keep == 0 || merge_shards(all, number, &no_space) == NEWSGREP_OK || !no_space)
			break;
		keep--;
	}
	free(seg);
	free(bytes);
}

size_t ng_build_threads(const ng_plan *plan, unsigned threads)
{
	/* A new index of SHARDS_MIN_FILES files or more goes through a merge
	 * even on one thread: the merge compacts it, about 10% smaller for a
	 * few per cent of the time. */
	if (plan->known.n || plan->ngone)
		return 0;
	size_t n = threads;
	if (n <= 1 && plan->nitems < SHARDS_MIN_FILES)
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
static size_t segments_wanted(const newsgrep_db_t *db, const ng_plan *plan, size_t n)
{
	size_t per = db->w->segment_files ? db->w->segment_files : SEGMENT_FILES;
	size_t rounds = (plan->nitems + per * n - 1) / (per * n);
	if (rounds * n > MAX_SEGMENTS)
		rounds = MAX_SEGMENTS / n;
	return (rounds ? rounds : 1) * n;
}

/* Runs the n threads (the caller's is one of them), then adds up what
 * they did into the main writer; false when one could not be set up. */
static bool run_shards(shards *all)
{
	ng_writer *m = all->main;
	shard *v = all->v;
	bool ok = true;
	for (size_t k = 0; k < all->n && ok; k++)
		ok = shard_init(&v[k], all) == NEWSGREP_OK;
	/* The caller's thread writes too. */
	for (size_t k = 1; k < all->n && ok; k++)
		v[k].started = pthread_create(&v[k].thread, NULL, write_shard, &v[k]) == 0;
	if (ok)
		write_shard(&v[0]); /* it also takes what threads not to be had left */
	for (size_t k = 1; k < all->n; k++)
		if (v[k].started)
			pthread_join(v[k].thread, NULL);
	for (size_t k = 0; k < all->n; k++) {
		ng_writer_release(&v[k].w);
		if (v[k].w.err.status != NEWSGREP_OK && m->err.status == NEWSGREP_OK)
			m->err = v[k].w.err;
		add_shard_stats(m->stats, &v[k].stats);
		m->progress.done += v[k].w.progress.done;
		m->full = m->full || v[k].w.full;
	}
	m->stop = m->stop || all->stop;
	return ok;
}

/* The bytes of the segments written. */
static uint64_t segments_bytes(const shards *all)
{
	uint64_t bytes = 0;
	for (size_t j = 0; j < all->nseg; j++)
		if (all->opened[j]) {
			char path[PATH_MAX];
			if (shard_path(path, sizeof(path), all->db, all->number + (unsigned)j))
				bytes += ng_layout_db_bytes(path);
		}
	return bytes;
}

newsgrep_status_t ng_build(newsgrep_db_t *db, ng_writer *main, size_t n, ng_disk_use *disk)
{
	unsigned last;
	if (!ng_layout_last_db(db->path, &last))
		return ng_error_set(&main->err, NEWSGREP_IO, "cannot read the index folder: %s",
		                    strerror(errno));
	shard v[MAX_SHARDS];
	memset(v, 0, sizeof(v));
	shards all = {.db = db, .main = main, .v = v, .n = n, .number = last + 1};
	all.nseg = segments_wanted(db, main->plan, n);
	all.opened = calloc(all.nseg, sizeof(*all.opened));
	if (!all.opened)
		return ng_error_nomem(&main->err);
	pthread_mutex_init(&all.lock, NULL);
	bool ok = run_shards(&all);
	pthread_mutex_destroy(&all.lock);
	/* For the message of a full disk: what the segments took. */
	disk->segments_done = !main->full;
	disk->written_done = main->progress.done;
	uint64_t segment_bytes = segments_bytes(&all);
	disk->written = main->full ? ng_disk_taken(disk, db->path, segment_bytes) : segment_bytes;
	/* What the segments committed is kept even after a stop or an error;
	 * after a full disk, as much of it as there is room for. */
	unsigned dest = all.number + (unsigned)all.nseg;
	bool no_space = main->full;
	if (ok && !main->full && merge_shards(&all, dest, &no_space) != NEWSGREP_OK)
		ok = false;
	if (no_space && !db->w->building) {
		ok = false;
		salvage(&all, dest);
	}
	main->repeats.before = NG_REPEATS_UNKNOWN; /* a new index: count all */
	if (ok && main->err.status == NEWSGREP_OK && ng_writer_record_repeats(main) == NEWSGREP_OK)
		ng_writer_commit(main);
	for (size_t j = 0; j < all.nseg; j++) {
		char path[PATH_MAX];
		if (shard_path(path, sizeof(path), db, all.number + (unsigned)j))
			ng_remove_tree(path);
	}
	free(all.opened);
	return main->err.status;
}
