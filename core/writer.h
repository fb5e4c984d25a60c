/*
 * writer.h - what an update's parts share (update.c, writer.c, builder.c):
 * the writer, which applies a plan (plan.c) to one database in batches,
 * and the parallel builder, which runs writers on threads for a new index.
 * Not API, and not for the rest of core.
 */
#ifndef NG_WRITER_H
#define NG_WRITER_H

#include <time.h>

#include "ng.h"

struct ngx_db;

/*
 * A writer: one database, written on one thread.  Its calls return
 * NEWSGREP_OK or the status of an error that ends the update, whose
 * message is then in `err` (converted at the API boundary, update.c).
 */
typedef struct ng_writer {
	/* The database written: a handle's (reopened after a merge) or a
	 * segment's. */
	struct ngx_db **x;
	ng_steps *steps;               /* where its writing steps are counted (ng_step) */
	ng_docmaker *dm;               /* owned; made by the caller */
	const ng_plan *plan;           /* what to write; the builder's threads share the update's */
	newsgrep_index_options_t opts; /* the caller's callbacks and commit policy */
	/* The shard of the archive the index holds, and the roots its
	 * articles without a URL are keyed under (shard.c): the update's.
	 * The files of other shards' articles are recorded as such (known.c). */
	const ng_shard *shard;
	const ng_roots *roots;
	newsgrep_index_stats_t *stats; /* what is counted */
	/* The caller's stats (its own struct version), brought up to date
	 * before each of its callbacks: the update's writer only. */
	newsgrep_index_stats_t *caller_stats;
	newsgrep_progress_t progress;
	bool stop;    /* the caller asked to stop */
	ng_error err; /* what ended the update (status NEWSGREP_OK: nothing) */
	bool full;    /* the disk filled up (or the quota ran out) */

	/* The order of arrival (sequence.c): the update's counter (the
	 * builder's threads share it), and the arrival of the article of a
	 * file being moved, read before its old document goes. */
	ng_sequence *seq;
	uint64_t moved_arrival;
	bool has_moved_arrival;

	ng_repeats repeats;   /* articles sharing a URL (repeats.c) */
	bool repeats_cleared; /* this update cleared the count: it writes it again */
	ng_buf scratch;

	bool batch_open; /* changes not yet committed */
	unsigned long batch_changes;
	size_t batch_bytes; /* their estimated cost in writer memory */
	size_t doc_bytes;   /* the last document's, standing in for a deletion's */
	struct timespec last_commit;
} ng_writer;

/* Zeroes the writer but for what it is given; no batch open. */
void ng_writer_init(ng_writer *w, struct ngx_db **x, ng_steps *steps, const ng_plan *plan);
/* Frees what it holds (its docmaker too). */
void ng_writer_release(ng_writer *w);

/* Counts a problem with a file and hands it to the caller's on_problem. */
void ng_writer_report(ng_writer *w, newsgrep_problem_kind_t kind, const char *path,
                      unsigned long line, unsigned long column, const char *message);
/* Tells the caller where we are; true when it asks to stop. */
bool ng_writer_progress(ng_writer *w, newsgrep_index_phase_t phase);

/* Fails with the shim's error, noting a full disk. */
newsgrep_status_t ng_writer_xfail(ng_writer *w, const char *what, const struct ngx_error *x);

/* Commits the open batch, if any. */
newsgrep_status_t ng_writer_commit(ng_writer *w);
/* After each change of the plan (never inside a move): commits the batch
 * if it is full by the options' commit_docs, commit_mib or commit_seconds,
 * then tells the caller the progress. */
newsgrep_status_t ng_writer_next(ng_writer *w);
/* After an error: commits what the open batch holds, which was good. */
void ng_writer_keep_batch(ng_writer *w);

/* Records the roots and the paths they were added by (NG_META_ROOTS,
 * NG_META_ROOTS_ADDED) in the open batch. */
newsgrep_status_t ng_writer_roots(ng_writer *w, const ng_roots *roots, const ng_roots *added);
/* Records the shard of the archive the index holds (NG_META_SHARD) in the
 * open batch. */
newsgrep_status_t ng_writer_shard(ng_writer *w, const ng_shard *shard);
/* Reads, and unless its bytes are the index's, indexes one item of the
 * plan; a file that cannot be read or parsed is reported and skipped. */
newsgrep_status_t ng_writer_index(ng_writer *w, const ng_plan_item *it);
/* Writes the count of articles sharing a URL, when this update cleared
 * it or it was never made. */
newsgrep_status_t ng_writer_record_repeats(ng_writer *w);
/* Applies the whole plan in place: moves (each deletion beside its
 * addition), deletions, new and changed files, in batches; then the URL
 * count, and the last commit. */
newsgrep_status_t ng_writer_apply(ng_writer *w);

/* What writing took of the disk, for the message of a full disk
 * (disk_full in update.c). */
typedef struct ng_disk_use {
	uint64_t start_free;            /* the disk's free bytes at the start */
	uint64_t start_bytes;           /* the database written in place, at the start */
	bool sharded;                   /* written in segments (builder.c) */
	bool segments_done;             /* ... and all of them were (the merge failed) */
	uint64_t written, written_done; /* bytes written for `written_done` files */
} ng_disk_use;

/* What this update's writes took of the disk so far: the free space it
 * started with less what is left on the disk of `dir`, or `fallback` when
 * that is unknown. */
uint64_t ng_disk_taken(const ng_disk_use *d, const char *dir, uint64_t fallback);

/* ---- builder.c: a new index on several threads ---- */

/* How many threads should write the plan into segments to be merged; 0
 * when one writes in place (an index that has articles, or a small new
 * one).  `threads` is the caller's option (0: one a core). */
size_t ng_build_threads(const ng_plan *plan, unsigned threads);
/*
 * Writes the plan (new files only) on n threads, each writer into
 * segments of its own, and merges them into a new database of `db`'s
 * folder that `main` then writes (published at once for a first index,
 * at the swap-in for a rebuild); then the URL count.  Fills `disk`.  The
 * roots must be committed first.
 */
newsgrep_status_t ng_build(newsgrep_db_t *db, ng_writer *main, size_t n, ng_disk_use *disk);

#endif /* NG_WRITER_H */
