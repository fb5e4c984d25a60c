/*
 * The modes that write the index: update (the default), --rebuild,
 * --forget and --compact.  Each opens the index for writing in a writer,
 * does its one thing, and leaves the writer to report and close.
 *
 * SIGINT and SIGTERM stop a writer after committing what is done; it then
 * dies of the same signal, as a shell expects.
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "indexer.h"
#include "safetext.h"

static volatile sig_atomic_t stop_signal;

static void on_signal(int sig)
{
	stop_signal = sig;
}

static double now_seconds(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

typedef struct ui {
	int bar;        /* draw a progress bar on stderr */
	int drawn;      /* a bar is on the screen */
	double start;   /* of the run */
	double started; /* of the index phase */
	double last;    /* last draw */
} ui;

static void clear_bar(ui *u)
{
	if (u->drawn) {
		fputs("\r\033[K", stderr);
		u->drawn = 0;
	}
}

static void print_problem(void *ctx, const newsgrep_problem_t *p)
{
	clear_bar(ctx);
	const char *kind = p->kind == NEWSGREP_PROBLEM_WARNING ? "warning: " : "";
	if (p->line)
		safetext_line(stderr, "%s:%" PRIu32 ":%" PRIu32 ": %s%s", p->path, p->line,
		              p->column, kind, p->message);
	else
		safetext_line(stderr, "%s: %s%s", p->path, kind, p->message);
}

static int on_progress(void *ctx, const newsgrep_progress_t *p)
{
	ui *u = ctx;
	if (stop_signal)
		return 1;
	if (!u->bar)
		return 0;
	double now = now_seconds();
	bool first = p->phase == NEWSGREP_PHASE_INDEX && !u->started;
	if (first)
		u->started = now;
	if (now - u->last < 0.1 && !first)
		return 0;
	u->last = now;
	if (p->phase == NEWSGREP_PHASE_SCAN) {
		fprintf(stderr, "\r\033[Kscanning: %llu file%s", (unsigned long long)p->scanned,
		        plural(p->scanned));
	} else {
		double frac = p->total ? (double)p->done / (double)p->total : 1;
		double rate = now > u->started ? (double)p->done / (now - u->started) : 0;
		long eta = rate > 0 ? (long)((double)(p->total - p->done) / rate) : 0;
		char bar[31];
		int fill = (int)(frac * 30);
		for (int i = 0; i < 30; i++)
			bar[i] = i < fill ? '=' : i == fill ? '>' : ' ';
		bar[30] = '\0';
		fprintf(stderr,
		        "\r\033[K[%s] %3.0f%% %llu/%llu file%s  %.0f files/s  ETA %ld:%02ld", bar,
		        frac * 100, (unsigned long long)p->done, (unsigned long long)p->total,
		        plural(p->total), rate, eta / 60, eta % 60);
	}
	u->drawn = 1;
	return 0;
}

/* The folders of the index being rebuilt, read from the old index. */
static int old_roots(const char *db_path, char ***roots, size_t *n)
{
	newsgrep_db_t *old;
	char *msg;
	newsgrep_status_t st = newsgrep_db_open(&old, db_path, NEWSGREP_DB_READ, NULL, &msg);
	if (st == NEWSGREP_OK) {
		st = newsgrep_db_roots(old, roots, n);
		if (st != NEWSGREP_OK)
			msg = strdup(newsgrep_db_errmsg(old));
		newsgrep_db_close(old);
	}
	if (st == NEWSGREP_OK && *n == 0) {
		fprintf(stderr, "newsgrep-index: the index has no folders to rebuild from: name "
		                "them (newsgrep-index --rebuild DIR...)\n");
		return -1;
	}
	if (st != NEWSGREP_OK) {
		safetext_line(
		    stderr,
		    "newsgrep-index: cannot read the folders of the index to rebuild (%s): "
		    "name them (newsgrep-index --rebuild DIR...)",
		    msg ? msg : newsgrep_status_string(st));
		newsgrep_free(msg);
		return -1;
	}
	return 0;
}

/* Whether `path` is `root` or inside it. */
static bool path_under(const char *path, const char *root)
{
	size_t n = strlen(root);
	if (n == 1 && root[0] == '/')
		return true;
	return strncmp(path, root, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/*
 * A rebuild from the paths named leaves out the index's other folders:
 * says so, naming each, before it starts (a stop then keeps the old index
 * whole).  Nothing to say when the old index's folders cannot be read.
 */
static void warn_dropped(const char *db_path, char **paths, size_t npaths)
{
	newsgrep_db_t *old;
	char **roots = NULL;
	size_t nroots = 0;
	if (newsgrep_db_open(&old, db_path, NEWSGREP_DB_READ, NULL, NULL) != NEWSGREP_OK)
		return;
	newsgrep_status_t st = newsgrep_db_roots(old, &roots, &nroots);
	newsgrep_db_close(old);
	if (st != NEWSGREP_OK)
		return;
	char **named = calloc(npaths ? npaths : 1, sizeof(*named));
	for (size_t i = 0; named && i < npaths; i++)
		named[i] = realpath(paths[i], NULL); /* as the index records them */
	for (size_t r = 0; named && r < nroots; r++) {
		bool kept = false;
		for (size_t i = 0; i < npaths && !kept; i++)
			kept = named[i] && path_under(roots[r], named[i]);
		if (!kept)
			safetext_line(
			    stderr,
			    "newsgrep-index: warning: --rebuild leaves out the index's folder "
			    "'%s' and its articles (name it too to keep it)",
			    roots[r]);
	}
	for (size_t i = 0; named && i < npaths; i++)
		free(named[i]);
	free(named);
	newsgrep_roots_free(roots, nroots);
}

/* When none of the paths named can be found, says why for each and returns
 * false: nothing is done (a first index would be made empty).  When some
 * can, the others are reported as files skipped. */
static bool some_path_found(char **paths, size_t npaths)
{
	struct stat st;
	for (size_t i = 0; i < npaths; i++)
		if (stat(paths[i], &st) == 0)
			return true;
	for (size_t i = 0; i < npaths; i++) {
		int err = stat(paths[i], &st) == 0 ? 0 : errno;
		if (err == ENOENT || err == ENOTDIR)
			safetext_line(stderr, "newsgrep-index: '%s' does not exist", paths[i]);
		else
			safetext_line(stderr, "newsgrep-index: cannot read '%s': %s", paths[i],
			              strerror(err));
	}
	return false;
}

/* One run that writes the index: its progress, handle and counts. */
typedef struct writer {
	const struct index_args *a;
	ui u;
	newsgrep_db_t *db;
	newsgrep_index_options_t opts;
	newsgrep_index_stats_t stats;
	char **roots; /* a rebuild's folders, read from the old index */
	size_t nroots;
	uint64_t bytes_before, bytes_after; /* of a compaction */
} writer;

/* Begins a run: from now on a signal stops it (after a commit). */
static void writer_start(writer *w, const struct index_args *a)
{
	struct sigaction sa = {.sa_handler = on_signal};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	*w = (writer){.a = a,
	              .stats = NEWSGREP_INDEX_STATS_INIT,
	              .u = {.bar = !a->quiet && isatty(STDERR_FILENO), .start = now_seconds()}};
}

/* Opens the index in `flags` mode; 0, or the exit status of a failure (said). */
static int writer_open(writer *w, newsgrep_db_mode_t flags)
{
	const struct index_args *a = w->a;
	newsgrep_open_options_t oo = NEWSGREP_OPEN_OPTIONS_INIT;
	oo.lock_wait = a->wait;
	char *msg;
	bound_file_size(a->db_path);
	newsgrep_status_t st = newsgrep_db_open(&w->db, a->db_path, flags, &oo, &msg);
	if (st != NEWSGREP_OK) {
		newsgrep_roots_free(w->roots, w->nroots);
		return fail_open(st, msg);
	}
	newsgrep_index_options_init(&w->opts, NEWSGREP_INDEX_OPTIONS_VERSION);
	w->opts.on_problem = print_problem;
	w->opts.on_progress = on_progress;
	w->opts.ctx = &w->u;
	if (a->batch)
		w->opts.commit_docs = a->batch;
	w->opts.threads = (unsigned)a->jobs;
	w->opts.commit_mib = a->memory;
	w->opts.follow = a->follow;
	w->opts.shard_index = a->shard_index;
	w->opts.shard_count = a->shard_count;
	return 0;
}

/* Ends a run whose work returned `st`: says how it went, closes the index,
 * and returns the exit status (or dies of the signal that stopped it). */
static int writer_finish(writer *w, newsgrep_status_t st)
{
	const struct index_args *a = w->a;
	bool rebuild = a->mode == MODE_REBUILD;
	/* Closing commits nothing: whatever is pending is committed here,
	 * where a failure is reported (each call before commits its own). */
	if (st == NEWSGREP_OK && a->mode != MODE_COMPACT)
		st = newsgrep_db_commit(w->db);
	clear_bar(&w->u);

	int status = w->stats.skipped ? EXIT_SOME_SKIPPED : EXIT_ALL_INDEXED;
	if (st == NEWSGREP_STOPPED) {
		fprintf(stderr, "newsgrep-index: stopped by a signal; %s\n",
		        rebuild ? "the old index is left as it was"
		                : "what was done is committed, a next run finishes it");
	} else if (st != NEWSGREP_OK) {
		safetext_line(stderr, "newsgrep-index: %s", newsgrep_db_errmsg(w->db));
		status = fatal_exit(st);
	}
	newsgrep_db_close(w->db);
	newsgrep_roots_free(w->roots, w->nroots);

	double secs = now_seconds() - w->u.start;
	const newsgrep_index_stats_t *s = &w->stats;
	/* A stopped rebuild kept nothing: no summary of what it had done. */
	if (!a->quiet && st == NEWSGREP_OK && a->mode == MODE_COMPACT) {
		printf("newsgrep-index: compacted the index from %.1f MB to %.1f MB in %.2f s\n",
		       (double)w->bytes_before / 1e6, (double)w->bytes_after / 1e6, secs);
	} else if (!a->quiet && (st == NEWSGREP_OK || (st == NEWSGREP_STOPPED && !rebuild))) {
		printf("newsgrep-index: %llu added, %llu updated, %llu deleted, %llu unchanged, "
		       "%llu skipped",
		       (unsigned long long)s->added, (unsigned long long)s->updated,
		       (unsigned long long)s->deleted, (unsigned long long)s->unchanged,
		       (unsigned long long)s->skipped);
		if (s->warnings)
			printf(", %llu warning%s", (unsigned long long)s->warnings,
			       plural(s->warnings));
		printf(" in %.2f s\n", secs);
	}
	if (st == NEWSGREP_STOPPED && stop_signal) {
		/* Die of the signal, so that the caller knows (after the summary). */
		fflush(stdout);
		signal(stop_signal, SIG_DFL);
		raise(stop_signal);
	}
	return status;
}

/* The default: brings the index up to date with its folders, or with the
 * paths named (which become folders of it). */
int mode_update(const struct index_args *a)
{
	writer w;
	writer_start(&w, a);
	if (a->npaths && !some_path_found(a->paths, a->npaths))
		return EXIT_FATAL;
	int rc = writer_open(&w, NEWSGREP_DB_WRITE);
	if (rc)
		return rc;
	newsgrep_status_t st;
	if (a->npaths)
		st = newsgrep_index_paths(w.db, (const char *const *)a->paths, a->npaths, &w.opts,
		                          &w.stats);
	else
		st = newsgrep_index_update(w.db, &w.opts, &w.stats);
	return writer_finish(&w, st);
}

/* A rebuild without --shard of an index that holds a shard of an archive
 * would make it hold the whole archive: refused, saying how to choose
 * (false).  True when --shard is given, or the old index is whole or
 * cannot be read (the rebuild then says what it finds). */
static bool shard_kept(const struct index_args *a)
{
	if (a->shard_count)
		return true;
	newsgrep_db_t *old;
	uint64_t index = 0, count = 0;
	if (newsgrep_db_open(&old, a->db_path, NEWSGREP_DB_READ, NULL, NULL) != NEWSGREP_OK)
		return true;
	newsgrep_status_t st = newsgrep_db_shard(old, &index, &count);
	newsgrep_db_close(old);
	if (st != NEWSGREP_OK || count <= 1)
		return true;
	safetext_line(stderr,
	              "newsgrep-index: the index at '%s' holds shard %" PRIu64 "/%" PRIu64
	              " of an archive: rebuild it with --shard %" PRIu64 "/%" PRIu64
	              " (or --shard 1/1 to make it hold the whole archive)",
	              a->db_path, index, count, index, count);
	return false;
}

/* --rebuild: a new index beside the old one, from the paths named or the
 * old one's folders, swapped in once whole. */
int mode_rebuild(const struct index_args *a)
{
	writer w;
	writer_start(&w, a);
	if (!shard_kept(a))
		return EXIT_FATAL;
	/* A rebuild of the index's own folders reads them before it makes a
	 * database beside the old one (which a message may then name). */
	if (!a->npaths && old_roots(a->db_path, &w.roots, &w.nroots) != 0)
		return EXIT_FATAL;
	int rc = writer_open(&w, NEWSGREP_DB_REBUILD);
	if (rc)
		return rc;
	newsgrep_status_t st;
	if (a->npaths) {
		warn_dropped(a->db_path, a->paths, a->npaths);
		st = newsgrep_index_paths(w.db, (const char *const *)a->paths, a->npaths, &w.opts,
		                          &w.stats);
	} else {
		st = newsgrep_index_paths(w.db, (const char *const *)w.roots, w.nroots, &w.opts,
		                          &w.stats);
	}
	if (st == NEWSGREP_OK)
		st = newsgrep_db_swap_in(w.db);
	return writer_finish(&w, st);
}

/* --forget DIR: drops a folder and its articles. */
int mode_forget(const struct index_args *a)
{
	writer w;
	writer_start(&w, a);
	int rc = writer_open(&w, NEWSGREP_DB_WRITE);
	if (rc)
		return rc;
	return writer_finish(&w, newsgrep_index_forget(w.db, a->forget, &w.opts, &w.stats));
}

/* --compact: the index copied into a compact one and swapped in. */
int mode_compact(const struct index_args *a)
{
	writer w;
	writer_start(&w, a);
	/* Compacting an index that is not there must not make an empty one. */
	newsgrep_db_t *db;
	int rc = open_for_reading(&db, a->db_path);
	if (rc)
		return rc;
	newsgrep_db_close(db);
	if ((rc = writer_open(&w, NEWSGREP_DB_WRITE)) != 0)
		return rc;
	return writer_finish(&w, newsgrep_db_compact(w.db, &w.bytes_before, &w.bytes_after));
}
