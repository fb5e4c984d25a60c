/*
 * newsgrep.h - full-text search over archives of news articles.
 *
 * This header is the whole public API: what is not declared here is not API.
 * It is plain C, usable from C and C++ and through an FFI.
 *
 * Conventions
 * - Every fallible call returns a newsgrep_status_t; NEWSGREP_OK is 0.  A
 *   NULL where a handle or an out-parameter belongs is NEWSGREP_INVALID_ARG
 *   (getters return 0, NULL or "" instead); it never crashes.
 * - Out-parameters come first and are named `out`.  On failure they are
 *   set to NULL (or left alone, for numbers).
 * - The library never prints, exits or aborts, and has no global state.
 *   The message of the last failed call on a handle is kept on that handle
 *   (newsgrep_db_errmsg, newsgrep_hits_errmsg).
 * - Dates are seconds since the Unix epoch, UTC.  Strings are UTF-8.
 *
 * Compatibility (1.x)
 *   Within a major version the API and ABI only grow: a new function, a
 *   new status code or enum value at the end, a new field at the end of a
 *   struct.  Nothing declared here is changed or removed, so a program
 *   built against 1.N runs against any 1.M with M >= N.
 *   - Structs the caller allocates and the library reads or fills
 *     (newsgrep_*_options_t, newsgrep_*_stats_t) begin with a `version`:
 *     set it with the struct's _INIT macro or _init() function.  A new
 *     field comes with a new NEWSGREP_*_VERSION; the library reads and
 *     writes a struct only as far as the caller's version goes, and gives
 *     the fields a caller does not know their defaults.  A version the
 *     library does not know (0, or one from a newer header) is
 *     NEWSGREP_INVALID_ARG with a message saying so.
 *   - Structs the library allocates and the caller reads (newsgrep_hit_t,
 *     newsgrep_problem_t, newsgrep_progress_t, newsgrep_article_t,
 *     newsgrep_related_t) only grow at the end; a caller never allocates
 *     or copies one (so lists of them are arrays of pointers).
 *   - Sizes are fixed-width (uint32_t, uint64_t, int64_t); flags are int.
 *
 * Memory: who owns what
 *   newsgrep_db_t **out      newsgrep_db_close()
 *   newsgrep_hits_t **out    newsgrep_hits_free()
 *   newsgrep_article_t **out newsgrep_article_free()
 *   char ***roots            newsgrep_roots_free()
 *   char **out, **errmsg     newsgrep_free()
 *   const char * returned    borrowed: static storage, or valid until the
 *   const newsgrep_hit_t *   call or object named beside the function
 * Every release function accepts NULL.  Objects are independent once made:
 * hits stay valid after their index handle is closed.
 *
 * Threads
 *   A handle (newsgrep_db_t, newsgrep_hits_t) is used by one thread at a
 *   time; the library locks nothing for you.  Different handles may be used
 *   from different threads at once, with no locking: any number of
 *   read-only handles, in any threads or processes, on one index, beside
 *   one writer.  A second writer, in this process or another, gets
 *   NEWSGREP_LOCKED.  Functions without a handle are all thread-safe.
 *
 * Readers and writers
 *   A read handle sees the index as of its latest commit each time it
 *   searches or counts, so a long-lived reader sees new articles without
 *   reopening.  A writer's changes become visible to readers when they are
 *   committed: the indexing calls commit as they go (see
 *   newsgrep_index_options_t) and before they return, and
 *   newsgrep_db_commit() commits what is pending.  Closing commits nothing.
 */
#ifndef NEWSGREP_H
#define NEWSGREP_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* NEWSGREP_VERSION_MAJOR, _MINOR, _PATCH and NEWSGREP_VERSION_STRING ("0.1.0"):
 * the version of this header. */
#include "newsgrep_version.h"

/* The library's version at run time, e.g. "0.1.0".  Static storage. */
const char *newsgrep_version(void);

/* What the library is made of, for newsgrep_component_version().  Only
 * ever appended to. */
typedef enum newsgrep_component {
	NEWSGREP_COMPONENT_NEWSGREP,     /* newsgrep itself: newsgrep_version() */
	NEWSGREP_COMPONENT_INDEX_FORMAT, /* the format of the indexes it writes */
	NEWSGREP_COMPONENT_XAPIAN,       /* the search backend */
	NEWSGREP_COMPONENT_LIBYAML,      /* the front matter's parser */
	NEWSGREP_COMPONENT_UTF8PROC      /* Unicode normalization */
} newsgrep_component_t;

/* The version of a component as loaded at run time (not as compiled
 * against), e.g. "1.4.22" for NEWSGREP_COMPONENT_XAPIAN, "5" for
 * NEWSGREP_COMPONENT_INDEX_FORMAT; "" for an unknown component.  Static
 * storage. */
const char *newsgrep_component_version(newsgrep_component_t component);

/*
 * Status codes, named for what the caller should do.  Only ever appended to.
 */
typedef enum newsgrep_status {
	NEWSGREP_OK = 0,
	NEWSGREP_DONE,          /* an iteration has no more items */
	NEWSGREP_NO_INDEX,      /* no index at the path: build one first */
	NEWSGREP_LOCKED,        /* another writer holds the index */
	NEWSGREP_INDEX_CHANGED, /* the index changed under a reader: reopen, retry */
	NEWSGREP_INDEX_VERSION, /* index made by another format/tokenizer: reindex */
	NEWSGREP_CORRUPT,       /* the index is damaged: rebuild it */
	NEWSGREP_BAD_QUERY,     /* the query cannot be parsed */
	NEWSGREP_BAD_DATE,      /* a date cannot be parsed */
	NEWSGREP_PARSE,         /* an input file is not a valid article */
	NEWSGREP_IO,            /* reading or writing a file failed */
	NEWSGREP_NOMEM,         /* out of memory */
	NEWSGREP_INVALID_ARG,   /* the caller passed an invalid argument */
	NEWSGREP_BACKEND,       /* any other error from the search backend */
	NEWSGREP_INTERNAL,      /* a bug in newsgrep */
	NEWSGREP_STOPPED,       /* the caller's progress callback asked to stop */
	NEWSGREP_PERMISSION,    /* the user may not read (or, a writer, write)
	                           the index: a rebuild would not help; the
	                           index's owner must grant it, or use another */
	NEWSGREP_UNREACHABLE    /* (1.2) a remote index's server could not be
	                           reached or stopped answering: try again
	                           later; the index itself is not at fault */
} newsgrep_status_t;

/* A short English description of a status, e.g. "index is locked".
 * Static storage; never NULL. */
const char *newsgrep_status_string(newsgrep_status_t status);

/* Releases memory the library handed to the caller as a plain buffer
 * (strings returned through `char **`).  NULL is harmless. */
void newsgrep_free(void *ptr);

/*
 * The default index location: $NEWSGREP_DB if set and not empty, else
 * $XDG_DATA_HOME/newsgrep, else $HOME/.local/share/newsgrep.
 * On success *out is a string the caller frees with newsgrep_free().
 * Returns NEWSGREP_INVALID_ARG when none of those variables is set.
 */
newsgrep_status_t newsgrep_default_db_path(char **out);

/* ------------------------------------------------------------------ */
/* Opening an index                                                    */

typedef struct newsgrep_db newsgrep_db_t;

typedef enum newsgrep_db_mode {
	NEWSGREP_DB_READ = 0,   /* search only; NEWSGREP_NO_INDEX if missing */
	NEWSGREP_DB_WRITE = 1,  /* index; creates the index (and its parent
	                           folders) when missing */
	NEWSGREP_DB_REBUILD = 2 /* index into a new, empty index built beside
	                           the one at `path`, which searches keep
	                           seeing (and which need not even open) until
	                           newsgrep_db_swap_in() replaces it */
} newsgrep_db_mode_t;

typedef struct newsgrep_open_options {
	uint32_t version; /* NEWSGREP_OPEN_OPTIONS_VERSION */
	/* Writers: seconds to wait for another writer to finish before giving
	 * up with NEWSGREP_LOCKED; 0 (the default) gives up at once. */
	double lock_wait;
} newsgrep_open_options_t;

#define NEWSGREP_OPEN_OPTIONS_VERSION 1
#define NEWSGREP_OPEN_OPTIONS_INIT                                                                 \
	{                                                                                          \
		NEWSGREP_OPEN_OPTIONS_VERSION, 0.0                                                 \
	}

/* Fills `opts` with the defaults of `version` (NEWSGREP_OPEN_OPTIONS_VERSION).
 * NEWSGREP_INVALID_ARG for NULL or a version the library does not know. */
newsgrep_status_t newsgrep_open_options_init(newsgrep_open_options_t *opts, uint32_t version);

/*
 * Opens the index at `path` (a folder).  A writer (WRITE or REBUILD) holds
 * the index's lock until it is closed: there is one writer at a time.
 * On success *out is a handle the caller closes with newsgrep_db_close().
 *
 * Returns NEWSGREP_OK, or NEWSGREP_NO_INDEX (read mode, nothing at path;
 * any mode, what is at path is not an index, such as a file),
 * NEWSGREP_PERMISSION (the user may not read the index, or a writer may
 * not write it or create it; the message names the file refused),
 * NEWSGREP_LOCKED (a writer, and another writer holds it),
 * NEWSGREP_INDEX_VERSION (made by an incompatible newsgrep),
 * NEWSGREP_CORRUPT, NEWSGREP_IO, NEWSGREP_NOMEM.
 * `opts` may be NULL for the defaults.
 * On failure *out is NULL and, when `errmsg` is not NULL, *errmsg is a
 * one-line message for the user that the caller frees with newsgrep_free().
 */
newsgrep_status_t newsgrep_db_open(newsgrep_db_t **out, const char *path, newsgrep_db_mode_t mode,
                                   const newsgrep_open_options_t *opts, char **errmsg);

/*
 * Opens the indexes at paths[0..npaths) (index folders, as
 * newsgrep_db_open() takes) as one index, read-only (since 1.1): a set.
 * A search of a set ranks its hits as one index of all their articles
 * would, and collapses duplicate URLs across them; counts, facets, date
 * sorts and date windows are those of all the articles.  Each member is
 * opened and checked as newsgrep_db_open() opens a READ handle, and
 * follows its index as one does (a member rebuilt meanwhile is opened
 * again); the members must be of one index format, and no folder may be
 * named twice.  npaths == 1 is newsgrep_db_open(out, paths[0],
 * NEWSGREP_DB_READ, opts, errmsg) exactly.
 *
 * A set is a READ handle: it cannot be written, newsgrep_db_revision()
 * and newsgrep_db_check() refuse it (NEWSGREP_INVALID_ARG: ask each
 * index), newsgrep_db_roots() gives the roots of all its members and
 * newsgrep_db_root_added_by() their paths.
 *
 * Returns what newsgrep_db_open() returns for the first member that
 * fails, or NEWSGREP_INDEX_VERSION (members of different formats),
 * NEWSGREP_INVALID_ARG (no paths, an empty one, or one index named
 * twice).  Every message about a member, from opening it or from any later
 * call on the set, names the member's folder.  *out and *errmsg as for
 * newsgrep_db_open().
 */
newsgrep_status_t newsgrep_db_open_set(newsgrep_db_t **out, const char *const *paths, size_t npaths,
                                       const newsgrep_open_options_t *opts, char **errmsg);

/*
 * REBUILD handles: commits the new index and makes it the live one in one
 * atomic step (a search sees either the old index or the whole new one),
 * then removes the old.  The handle goes on as a writer of the live index.
 */
newsgrep_status_t newsgrep_db_swap_in(newsgrep_db_t *db);

/*
 * WRITE handles: commits, copies the live index into a compact one (full
 * B-tree blocks: updates leave them part empty) and swaps it in as
 * newsgrep_db_swap_in does; searches go on throughout.  No article is
 * read.  The sizes of the old and the new database in bytes go to
 * *bytes_before and *bytes_after when not NULL.  The handle goes on as a
 * writer of the compact index.
 */
newsgrep_status_t newsgrep_db_compact(newsgrep_db_t *db, uint64_t *bytes_before,
                                      uint64_t *bytes_after);

/* Closes the index and releases the handle (and a writer's lock).  Close
 * writes nothing, so it cannot fail: a writer's changes not yet committed
 * are discarded, as a transaction's are, and the index stays as of its last
 * commit.  Every indexing call commits before it returns (on a failure,
 * what it did before it, when that commit can be made), so only a failed
 * call can leave anything uncommitted; newsgrep_db_commit() commits it, or
 * says why it cannot.  A REBUILD handle not swapped in is thrown away, leaving the
 * old index as it was.  NULL is harmless.  Objects obtained from the
 * handle (hits) stay valid. */
void newsgrep_db_close(newsgrep_db_t *db);

/* The message of the last failed call on `db`, or "" if none.  Borrowed:
 * valid until the next call on `db`. */
const char *newsgrep_db_errmsg(const newsgrep_db_t *db);

/* The number of articles in the index (a reader: at its latest commit). */
newsgrep_status_t newsgrep_db_count(newsgrep_db_t *db, uint64_t *out);

/* The index's revision: it changes with every commit that changes
 * something, and only then. */
newsgrep_status_t newsgrep_db_revision(newsgrep_db_t *db, uint64_t *out);

/*
 * The index's order of arrival (since 1.3): the last number it gave an
 * article into *last (0 when none yet), and its identity into
 * identity[0..33) (32 hex digits; a rebuilt index has another, and its
 * numbers do not compare with the old one's), as of its latest commit.
 * Either may be NULL.  NEWSGREP_INDEX_VERSION for an index made before
 * format 7 (rebuild it with newsgrep-index --rebuild), NEWSGREP_INVALID_ARG
 * for a set (each member numbers its own), NEWSGREP_CORRUPT when what the
 * index records is damaged.
 */
newsgrep_status_t newsgrep_db_sequence(newsgrep_db_t *db, uint64_t *last, char identity[33]);

/* The shard of an archive the index holds (since 1.2): *index of *count,
 * as newsgrep_index_options_t's shard_index and shard_count say; 0 and 0
 * for the whole archive.  A REBUILD handle's is its new index's.
 * NEWSGREP_INVALID_ARG for a set (ask each index), NEWSGREP_CORRUPT when
 * what the index records is no shard. */
newsgrep_status_t newsgrep_db_shard(newsgrep_db_t *db, uint64_t *index, uint64_t *count);

/* The index's format (since 1.4) into *out: the number newsgrep-index
 * --status shows, as of its latest commit.  A new index, or one rebuilt,
 * is of the format this library writes (newsgrep_component_version's
 * NEWSGREP_COMPONENT_INDEX_FORMAT); an older index keeps its own through
 * updates, until it is rebuilt.  A REBUILD handle's is its new index's.
 * NEWSGREP_INVALID_ARG for a set (ask each index). */
newsgrep_status_t newsgrep_db_format(newsgrep_db_t *db, uint32_t *out);

/*
 * The folders (or files) the index covers, as absolute paths: what
 * newsgrep_index_update() walks.  On success *out is an array of *count
 * strings, released with newsgrep_roots_free(); *out is NULL when there
 * are none.
 */
newsgrep_status_t newsgrep_db_roots(newsgrep_db_t *db, char ***out, size_t *count);
/* Releases what newsgrep_db_roots() or newsgrep_db_root_added_by()
 * returned.  NULL is harmless. */
void newsgrep_roots_free(char **roots, size_t count);
/*
 * The paths root `root` (one of newsgrep_db_roots()) was added by, where
 * they differ from it: absolute but not resolved, as given to
 * newsgrep_index_paths() (through a symbolic link, say).
 * newsgrep_index_forget() takes them even once the link is gone or leads
 * elsewhere.  A path stands for the last root it was added as.  On success
 * *out is an array of *count strings, released with newsgrep_roots_free();
 * *out is NULL when there are none (always, for an index written before
 * newsgrep recorded them, or for a path that is not a root).
 */
newsgrep_status_t newsgrep_db_root_added_by(newsgrep_db_t *db, const char *root, char ***out,
                                            size_t *count);

/*
 * Writers: commits what the handle changed since its last commit, making
 * it durable and visible to readers (a REBUILD handle's new index: durable,
 * and seen once swapped in).  Nothing to commit is NEWSGREP_OK and writes
 * nothing.  Returns NEWSGREP_OK, NEWSGREP_INVALID_ARG (a READ handle),
 * NEWSGREP_IO (the disk is full, or a write failed), NEWSGREP_BACKEND,
 * NEWSGREP_CORRUPT or NEWSGREP_NOMEM, with the message on the handle
 * (newsgrep_db_errmsg).  A commit that fails discards the changes it was
 * to commit (the index stays as of its last commit): the handle goes on,
 * and the next indexing call writes them again.  Call it before
 * newsgrep_db_close() to learn whether anything was lost.
 */
newsgrep_status_t newsgrep_db_commit(newsgrep_db_t *db);

/* ------------------------------------------------------------------ */
/* Indexing                                                            */

/* How serious a problem with one input file is. */
typedef enum newsgrep_problem_kind {
	NEWSGREP_PROBLEM_WARNING = 0, /* the file was indexed anyway */
	NEWSGREP_PROBLEM_SKIPPED = 1  /* the file was not indexed */
} newsgrep_problem_kind_t;

/* One problem with one input file.  All pointers are borrowed for the
 * duration of the callback.  `line` and `column` are 1-based; 0 when
 * unknown. */
typedef struct newsgrep_problem {
	newsgrep_problem_kind_t kind;
	const char *path;
	uint32_t line;
	uint32_t column;
	const char *message;
} newsgrep_problem_t;

typedef void (*newsgrep_problem_fn)(void *ctx, const newsgrep_problem_t *problem);

typedef struct newsgrep_index_stats {
	uint32_t version;   /* NEWSGREP_INDEX_STATS_VERSION */
	uint64_t added;     /* new files indexed */
	uint64_t updated;   /* changed files indexed again */
	uint64_t deleted;   /* articles whose file is gone */
	uint64_t unchanged; /* files found as they were (touched files too) */
	uint64_t skipped;   /* files not indexed because of bad input */
	uint64_t warnings;  /* problems in files that were indexed anyway */
} newsgrep_index_stats_t;

#define NEWSGREP_INDEX_STATS_VERSION 1
#define NEWSGREP_INDEX_STATS_INIT                                                                  \
	{                                                                                          \
		NEWSGREP_INDEX_STATS_VERSION, 0, 0, 0, 0, 0, 0                                     \
	}

typedef enum newsgrep_index_phase {
	NEWSGREP_PHASE_SCAN = 0, /* walking the folders, comparing files */
	NEWSGREP_PHASE_INDEX = 1 /* writing the changes */
} newsgrep_index_phase_t;

/* Where an update is.  Borrowed for the duration of the callback. */
typedef struct newsgrep_progress {
	newsgrep_index_phase_t phase;
	uint64_t scanned; /* files looked at so far */
	uint64_t done;    /* INDEX: changes written so far ... */
	uint64_t total;   /* ... out of this many */
	const newsgrep_index_stats_t *stats;
} newsgrep_progress_t;

/* Return 0 to go on; anything else stops the update after committing what
 * is done (the call then returns NEWSGREP_STOPPED). */
typedef int (*newsgrep_progress_fn)(void *ctx, const newsgrep_progress_t *progress);

typedef struct newsgrep_index_options {
	uint32_t version; /* NEWSGREP_INDEX_OPTIONS_VERSION */
	/* Called for every bad file and every warning; may be NULL. */
	newsgrep_problem_fn on_problem;
	/* Called after every file scanned and every change written; may be
	 * NULL.  Cheap callbacks only: it is called very often. */
	newsgrep_progress_fn on_progress;
	void *ctx; /* passed to both */
	/* Commit after this many changes (0: the default, 10000) ... */
	uint64_t commit_docs;
	/* ... or this many seconds since the last commit (0: default, 30). */
	double commit_seconds;
	/* Threads that write a new index (one with no articles yet, as in a
	 * first build or a rebuild); 0: one per core, up to 4, when there are
	 * at least 1000 files.  Each writes a database of its own, and the
	 * end merges them into one compact database, so its articles appear
	 * all at once (a new index of 1000 files or more is merged even when
	 * written by one thread).  commit_docs and commit_mib are then shared
	 * among them.  The callbacks are then called from these threads,
	 * never two at once. */
	uint32_t threads;
	/* Commit, too, when the changes not yet committed are estimated to
	 * take this many MiB of the writer's memory (0: the default, 64).  It
	 * bounds the memory an update uses beyond its list of files (about
	 * 100 bytes a file). */
	uint64_t commit_mib;
	/* Non-zero: follow symbolic links to folders below the paths walked
	 * (as find -L, rg --follow).  Links to files are followed either way.
	 * Never followed, even so: a link to a folder that holds the path
	 * walked or one of the index's roots, or to what is indexed under its
	 * own path anyway (inside one of the roots, nothing on the way hidden
	 * or ignored), or to what another link led to already (no file is
	 * indexed twice).  0, the default: a link to a folder is reported
	 * and passed over. */
	int follow;
	/* Version 2 (since 1.2).  The index is shard `shard_index` of
	 * `shard_count` of an archive split among several indexes (1 <=
	 * shard_index <= shard_count <= NEWSGREP_SHARD_MAX): it holds only the
	 * articles whose key, an xxHash (XXH3, 64 bits) of the article's URL,
	 * leaves shard_index - 1 when divided by shard_count, so articles of
	 * one URL share a shard.  An article with no URL is keyed by its
	 * file's path relative to the folder of the index it is under.  The
	 * files of other shards are recorded too, to be passed over while
	 * unchanged, but are no articles of this index.  0 and 0, the
	 * default, or 1 and 1: the whole archive.
	 * The index records its shard (newsgrep_db_shard): a new index (no
	 * folders yet) and a REBUILD handle's take the one given, and an update
	 * of any other is refused (NEWSGREP_INVALID_ARG) unless it is the one
	 * recorded (newsgrep_index_forget takes 0 and 0 for any). */
	uint64_t shard_index;
	uint64_t shard_count;
} newsgrep_index_options_t;

#define NEWSGREP_INDEX_OPTIONS_VERSION 2
/* The defaults: a 0 commit field means its default. */
#define NEWSGREP_INDEX_OPTIONS_INIT                                                                \
	{                                                                                          \
		NEWSGREP_INDEX_OPTIONS_VERSION, 0, 0, 0, 0, 0.0, 0, 0, 0, 0, 0                     \
	}
/* The most shards an archive may be split into. */
#define NEWSGREP_SHARD_MAX 1024

/* Fills `opts` with the defaults of `version` (NEWSGREP_INDEX_OPTIONS_VERSION):
 * commit_docs 10000, commit_seconds 30, commit_mib 64, the rest 0.
 * NEWSGREP_INVALID_ARG for NULL or a version the library does not know. */
newsgrep_status_t newsgrep_index_options_init(newsgrep_index_options_t *opts, uint32_t version);

/*
 * Brings the index up to date with the article files under `paths`
 * (folders are walked recursively; hidden files and folders are skipped;
 * files named on their own are indexed whatever their extension), and
 * adds them to the index's roots (newsgrep_db_roots).  Each file is one
 * document, keyed by its absolute path.  New files are added, changed ones
 * indexed again, and articles whose file is gone from under `paths` are
 * deleted.  A file is compared with what the index recorded of it (size,
 * inode, mtime, ctime; then a hash of its bytes), so a file whose bytes did
 * not change is not indexed again, and a run with nothing to do writes
 * nothing.  A moved file's deletion and addition are committed together.
 *
 * Bad or unreadable files are reported through opts->on_problem, counted
 * in stats->skipped, and keep the version the index already has; they do
 * not make the call fail.  Returns NEWSGREP_OK even when files were
 * skipped, NEWSGREP_STOPPED when on_progress asked to stop, or a fatal
 * error (NEWSGREP_INVALID_ARG for a read-only handle, NEWSGREP_BACKEND,
 * NEWSGREP_IO, NEWSGREP_CORRUPT, NEWSGREP_NOMEM).  What was committed
 * before a stop or a fatal error stays in the index, and the next call
 * finishes the work.  `stats` (its version set) may be NULL; it is zeroed
 * when the call starts and counted as it goes, so the callbacks may read
 * it (as they may progress->stats).  `opts` may be NULL for the defaults.
 */
newsgrep_status_t newsgrep_index_paths(newsgrep_db_t *db, const char *const *paths, size_t npaths,
                                       const newsgrep_index_options_t *opts,
                                       newsgrep_index_stats_t *stats);

/* newsgrep_index_paths over all the index's roots.  A root that no longer
 * exists is reported and its articles are kept (see _forget).
 * NEWSGREP_INVALID_ARG when the index has no roots yet. */
newsgrep_status_t newsgrep_index_update(newsgrep_db_t *db, const newsgrep_index_options_t *opts,
                                        newsgrep_index_stats_t *stats);

/* Drops root `path` and deletes its articles.  `path` is the root as
 * listed by newsgrep_db_roots, a path it was added by
 * (newsgrep_db_root_added_by: even once a link in it is gone or leads
 * elsewhere), or a path that leads to it through the symbolic links that
 * exist now.  NEWSGREP_INVALID_ARG when it is none of these. */
newsgrep_status_t newsgrep_index_forget(newsgrep_db_t *db, const char *path,
                                        const newsgrep_index_options_t *opts,
                                        newsgrep_index_stats_t *stats);

/* ------------------------------------------------------------------ */
/* Dates                                                               */

/* Which end of a date range a partial date stands for. */
typedef enum newsgrep_date_bound {
	NEWSGREP_DATE_START = 0, /* "2023-12" is 2023-12-01T00:00:00Z */
	NEWSGREP_DATE_END = 1    /* "2023-12" is 2023-12-31T23:59:59Z */
} newsgrep_date_bound_t;

/*
 * Parses a date given by a user: YYYY, YYYY-MM, YYYY-MM-DD (a whole year,
 * month or day, taken at its start or end as `bound` says), or a full
 * ISO 8601 date-time.  UTC.  Returns NEWSGREP_OK or NEWSGREP_BAD_DATE.
 */
newsgrep_status_t newsgrep_date_parse(int64_t *out, const char *text, newsgrep_date_bound_t bound);

/* ------------------------------------------------------------------ */
/* Searching                                                           */

/* The order of hits. */
typedef enum newsgrep_sort {
	NEWSGREP_SORT_AUTO = 0,  /* relevance when the query has words to rank
	                            by, newest first when it only filters */
	NEWSGREP_SORT_RELEVANCE, /* best match first (BM25) */
	NEWSGREP_SORT_NEWEST,    /* newest first; undated articles last */
	NEWSGREP_SORT_OLDEST     /* oldest first; undated articles last */
} newsgrep_sort_t;

/* What facets count: one value per article, or each of its topics. */
typedef enum newsgrep_facet {
	NEWSGREP_FACET_PROVIDER = 0, /* the provider's name */
	NEWSGREP_FACET_SITE,         /* the URL's host (no "www."), else the
	                                provider's domain */
	NEWSGREP_FACET_TOPIC,
	NEWSGREP_FACET_TYPE,  /* folded: "article" */
	NEWSGREP_FACET_YEAR,  /* "2023", UTC */
	NEWSGREP_FACET_MONTH, /* "2023-12", UTC */
	NEWSGREP_FACET_COUNT  /* the number of facets, not a facet */
} newsgrep_facet_t;

/* (1.3) What a search's hits are grouped by: the best hit of each group
 * stands for the others of its group (newsgrep_hit_t.group_others). */
typedef enum newsgrep_group {
	NEWSGREP_GROUP_NONE = 0, /* one hit per URL (as all_duplicates says) */
	NEWSGREP_GROUP_PROVIDER, /* one hit per provider (name) */
	NEWSGREP_GROUP_SITE      /* one hit per site (as the site facet) */
} newsgrep_group_t;

/* The bit of a facet in newsgrep_search_options_t.facets. */
#define NEWSGREP_FACET_BIT(f) (1u << (f))

typedef struct newsgrep_search_options {
	uint32_t version; /* NEWSGREP_SEARCH_OPTIONS_VERSION */
	uint64_t limit;   /* at most this many hits (default 10; 0 for none,
	                     e.g. when only counting) */
	uint64_t offset;  /* skip this many hits (default 0) */
	newsgrep_sort_t sort;
	int has_since; /* when non-zero, only articles dated >= since */
	int64_t since;
	int has_until; /* when non-zero, only articles dated <= until */
	int64_t until;
	int exact;              /* non-zero: no stemming; "sanction" only finds
	                           "sanction" */
	int all_duplicates;     /* non-zero: keep every article with the same
	                           URL (by default only the best one is a hit) */
	int boost_recent;       /* non-zero: in relevance order, fresher articles
	                           get a gentle boost (see newsgrep_search) */
	int exact_count;        /* non-zero: newsgrep_hits_estimate() is exact */
	uint32_t facets;        /* NEWSGREP_FACET_BITs to count over all matches
	                           (implies exact_count) */
	uint64_t max_expansion; /* a wildcard may stand for at most this
	                           many words (0: the default, 1000) */
	int no_snippets;        /* non-zero: leave snippet, spans and matched_in
	                           empty (faster when only paths are wanted) */
	int fixed_strings;      /* non-zero: the query is plain text, as
	                           grep -F reads a pattern: no operators,
	                           fields, quotes, groups or wildcards, only
	                           words, all of which must match */
	/* Version 2 (since 1.3). */
	int paths_only; /* non-zero: hits have only their rank, score and
	                   path (every other string ""): a list of paths, read
	                   without the articles' stored records; over
	                   servers, a long one comes in one exchange rather
	                   than one per hit */
	/* "More like this": the path of an indexed article file (absolute,
	 * or relative to the working folder) or its exact URL; NULL for
	 * none.  The hits are then the articles most like it, ranked by its
	 * best words (see newsgrep_search), without it and its duplicates. */
	const char *like;
	newsgrep_group_t group; /* one hit per provider or site (see
	                           newsgrep_search); NEWSGREP_GROUP_NONE */
	/* Only the articles that entered the index after number N of its
	 * order of arrival (newsgrep_hit_t's `arrival` > arrived_after),
	 * when has_arrived_after: what a standing search follows.  It costs
	 * what the newer articles cost, not the archive.  An index without
	 * the order of arrival (made before format 7) refuses it with
	 * NEWSGREP_INDEX_VERSION: rebuild it.  Numbers compare only within
	 * one identity (newsgrep_db_sequence). */
	int has_arrived_after;
	uint64_t arrived_after;
	/* The same for the articles written (added or changed) after number
	 * N (newsgrep_hit_t's `change` > changed_after). */
	int has_changed_after;
	uint64_t changed_after;
} newsgrep_search_options_t;

#define NEWSGREP_SEARCH_OPTIONS_VERSION 2
/* The defaults, as newsgrep_search_options_init() gives them. */
#define NEWSGREP_SEARCH_OPTIONS_INIT                                                               \
	{                                                                                          \
		NEWSGREP_SEARCH_OPTIONS_VERSION, 10, 0, NEWSGREP_SORT_AUTO, 0, 0, 0, 0, 0, 0, 0,   \
		    0, 0, 0, 0, 0, 0, NULL, NEWSGREP_GROUP_NONE, 0, 0, 0, 0                        \
	}

/* Fills `opts` with the defaults of `version` (NEWSGREP_SEARCH_OPTIONS_VERSION).
 * NEWSGREP_INVALID_ARG for NULL or a version the library does not know. */
newsgrep_status_t newsgrep_search_options_init(newsgrep_search_options_t *opts, uint32_t version);

/* A byte range [start, end) of a string. */
typedef struct newsgrep_span {
	size_t start, end;
} newsgrep_span_t;

/* One search result.  Owned by the hits object; every pointer is valid
 * until the next newsgrep_hits_next() or newsgrep_hits_free() on it.
 * Strings are UTF-8 (the path is whatever bytes the file system gave) and
 * never NULL; a missing field is "".  New fields are only appended. */
typedef struct newsgrep_hit {
	uint64_t rank;    /* 1-based, counting from the first hit overall */
	double score;     /* relevance; larger is better (0 when the query
	                     only filters) */
	const char *path; /* absolute path of the article file */
	const char *url;
	const char *title;
	int has_date;
	int64_t date; /* publication time, when has_date */
	const char *provider;
	const char *provider_domain;
	const char *excerpt;
	size_t ntopics;
	const char *const *topics;
	/* The passage that best matches the query: from the excerpt, the
	 * title or a related article's text, white space made single spaces,
	 * cut to about 240 bytes at word boundaries ("…" marks a cut).
	 * `spans` are the matched words in it, in order. */
	const char *snippet;
	size_t nspans;
	const newsgrep_span_t *spans;
	/* Where query words matched: "title", "excerpt", "related[N]"
	 * (0-based), in that order. */
	size_t nmatched_in;
	const char *const *matched_in;
	/* Which text the snippet comes from: "title", "excerpt" or
	 * "related[N]"; "excerpt" when no query word matched any. */
	const char *snippet_from;
	/* The query words matched in `title`, as byte ranges [start, end) of
	 * `title` itself (for highlighting it), in order. */
	size_t ntitle_spans;
	const newsgrep_span_t *title_spans;
	/* Since 1.3: the article's place in the order in which the index
	 * took articles in (index format 7; 0 for an article of an older
	 * index, and in paths_only hits).  `arrival` is when its URL first
	 * entered the index: a changed or moved file keeps it, a duplicate
	 * takes its article's; `change` is when it was last written.  Both
	 * only grow, and compare only within one index (one identity: a
	 * rebuilt index numbers afresh; each member of a set numbers its
	 * own). */
	uint64_t arrival;
	uint64_t change;
	/* Since 1.3: how many other matches this hit stands for: those of its
	 * group (opts->group), else the other articles with its URL (none
	 * with all_duplicates).  At least that many; exact with
	 * exact_count. */
	uint64_t group_others;
} newsgrep_hit_t;

typedef struct newsgrep_hits newsgrep_hits_t;

/*
 * Runs `query`, written in the query language (README, newsgrep(1)):
 * words that must all occur in an article's title, excerpt or related
 * articles, OR, AND, NOT, -word, (groups), "phrases", NEAR/n, prefix*,
 * fields (title: excerpt: related: provider: site: topic: type: url:),
 * date:FROM..TO and path:FOLDER (alias folder:; a folder relative to the
 * index's roots, or absolute).  A "name:" that is no field is its words and
 * "()" is nothing, so a pasted headline is a query; with
 * opts->fixed_strings the whole query is plain words.  English words also
 * match their other forms ("sanction" finds "sanctions") unless
 * opts->exact.  Articles with the same URL are collapsed into the best one
 * unless opts->all_duplicates.
 *
 * With opts->boost_recent (relevance order only), each article's score
 * gains a bonus for freshness: 1.0 for one as new as the newest article in
 * the index, halving for every 30 days older (0.5 at 30 days, 0.25 at 60).
 * A matching word weighs about 1 to 10, so the bonus decides between
 * similar matches without burying a much better old one.  Over a set with
 * an index served by xapian-tcpsrv the bonus is made in steps of Xapian's
 * own weighting, each article's within 0.01 of it (none below 0.01).
 *
 * Returns NEWSGREP_OK with *out set (free it with newsgrep_hits_free), or
 * NEWSGREP_BAD_QUERY (the message says where: "query:1:9: unbalanced
 * '('"), NEWSGREP_BAD_DATE, NEWSGREP_INVALID_ARG, NEWSGREP_INDEX_CHANGED,
 * NEWSGREP_INDEX_VERSION (path: on an index made before it: rebuild it),
 * NEWSGREP_CORRUPT, NEWSGREP_BACKEND, NEWSGREP_NOMEM; the message is on
 * `db`.  The hits stay valid after `db` is closed.
 */
newsgrep_status_t newsgrep_search(newsgrep_hits_t **out, newsgrep_db_t *db, const char *query,
                                  const newsgrep_search_options_t *opts);

/*
 * Moves to the next hit.  Returns NEWSGREP_OK with *out pointing at it
 * (borrowed from `hits`: valid until the next newsgrep_hits_next() or
 * newsgrep_hits_free() on it), NEWSGREP_DONE when there are no more,
 * NEWSGREP_CORRUPT when a stored document cannot be read, or an error as
 * newsgrep_search() has.  newsgrep_hits_errmsg() says what went wrong.
 *
 * Hits survive commits.  When writers committed twice since the search
 * (the revision the hits were read from is gone), the hits of a READ
 * handle go on by themselves in the index as it is now: they search it
 * again, through a reader of their own (so `db` may be closed by then),
 * for the same page, and give what they have not given yet.  An article
 * is never given twice (articles are known by their paths), ranks go on
 * counting, and the page holds no more hits than its limit; an article
 * the commits added or moved up may come after ones it now outranks, and
 * one given before may have been deleted since.  The estimate and facets
 * stay those of the first search.  NEWSGREP_INDEX_CHANGED only when the
 * index kept changing through several searches in a row.
 */
newsgrep_status_t newsgrep_hits_next(newsgrep_hits_t *hits, const newsgrep_hit_t **out);

/* How many articles match in all (not just the page asked for): exact
 * when the search asked for exact_count or facets, else Xapian's estimate. */
uint64_t newsgrep_hits_estimate(const newsgrep_hits_t *hits);

/* The number of hits in this page (at most the limit asked for).  After
 * newsgrep_hits_next() went on in a changed index: the number of hits the
 * page has there (counting those given before, unless commits deleted
 * them). */
size_t newsgrep_hits_size(const newsgrep_hits_t *hits);

/* Whether newsgrep_hits_estimate() is exact. */
int newsgrep_hits_estimate_is_exact(const newsgrep_hits_t *hits);

/* (1.2) How many members of a set of indexes the hits are missing: remote
 * members whose server could not be reached, or failed during the search
 * or while its hits were read (they are left out, and the hits and counts
 * are those of the rest).  0 for one index, or when none is missing; it
 * may grow while newsgrep_hits_next() goes on. */
size_t newsgrep_hits_missing_count(const newsgrep_hits_t *hits);

/* (1.2) The i-th missing member: its name as given (HOST:PORT) and why it
 * is missing, borrowed until the hits are freed.  NEWSGREP_INVALID_ARG
 * when there is no i-th. */
newsgrep_status_t newsgrep_hits_missing(const newsgrep_hits_t *hits, size_t i, const char **member,
                                        const char **why);

/* The order the hits are in (NEWSGREP_SORT_AUTO resolved). */
newsgrep_sort_t newsgrep_hits_sort(const newsgrep_hits_t *hits);

/* The number of distinct values of `facet` over all matches; 0 when the
 * search did not ask for it. */
size_t newsgrep_hits_facet_size(const newsgrep_hits_t *hits, newsgrep_facet_t facet);

/* The i-th value of `facet`, most frequent first (ties in byte order) and
 * how many matching articles have it.  *value is borrowed from `hits`.
 * NEWSGREP_DONE when i is past the end. */
newsgrep_status_t newsgrep_hits_facet(const newsgrep_hits_t *hits, newsgrep_facet_t facet, size_t i,
                                      const char **value, uint64_t *count);

/* The name of a facet as the command line takes it ("provider"), or NULL.
 * Static storage. */
const char *newsgrep_facet_name(newsgrep_facet_t facet);

/* The message of the last failed newsgrep_hits_next(), or "".  Borrowed:
 * valid until the next call on `hits`. */
const char *newsgrep_hits_errmsg(const newsgrep_hits_t *hits);

/* Releases the hits and everything borrowed from them.  NULL is harmless. */
void newsgrep_hits_free(newsgrep_hits_t *hits);

/*
 * Explains `query` without running it: how it was parsed, the words and
 * stems looked up in which fields, the date range, the order, and the
 * Xapian query.  *out is several lines of text the caller frees with
 * newsgrep_free().  Fails as newsgrep_search() does for a bad query.
 */
newsgrep_status_t newsgrep_explain(char **out, newsgrep_db_t *db, const char *query,
                                   const newsgrep_search_options_t *opts);

/*
 * "Did you mean": `query` with each misspelt word (one the index lacks)
 * replaced by a close word of the index's titles and excerpts, never a
 * stopword ("from", "more"), choosing for the whole query: of the
 * combinations of corrections, the one with the fewest edits that finds
 * something.  Queries of more than 32 words, or with more than 8 misspelt
 * words, get no suggestion.  *out is freed with newsgrep_free().
 * Returns NEWSGREP_OK, NEWSGREP_DONE when there is nothing to suggest, or
 * an error as newsgrep_search() does.
 */
newsgrep_status_t newsgrep_suggest(char **out, newsgrep_db_t *db, const char *query,
                                   const newsgrep_search_options_t *opts);

/* ------------------------------------------------------------------ */
/* Showing one article (since 1.3)                                     */

/* A related article, as the index stores it: its title and excerpt, and
 * (since 1.4, in an index of format 8) its URL, date and provider.  Only
 * grows at the end, as newsgrep_hit_t does. */
typedef struct newsgrep_related {
	const char *title;
	const char *excerpt;
	/* Since 1.4.  Its URL (originalUrl, else webUrl) and provider's name
	 * and domain: "" when the front matter has none, NULL when the index
	 * does not keep them (made before format 8, or an index of format 7
	 * updated since: newsgrep-index --rebuild makes it format 8). */
	const char *url;
	int has_date;
	int64_t date; /* publication time, when has_date (0 when not kept) */
	const char *provider;
	const char *provider_domain;
} newsgrep_related_t;

/* One article, as the index holds it.  Owned by the article object:
 * every pointer is valid until newsgrep_article_free().  Strings are
 * UTF-8 (paths: whatever bytes the file system gave) and never NULL; a
 * missing field is "".  New fields are only appended. */
typedef struct newsgrep_article {
	const char *path; /* absolute path of the article file */
	const char *url;
	const char *title;
	int has_date;
	int64_t date; /* publication time, when has_date */
	const char *provider;
	const char *provider_domain;
	const char *excerpt; /* the whole excerpt */
	size_t ntopics;
	const char *const *topics;
	size_t nrelated; /* related articles, in the article's order */
	const newsgrep_related_t *const *related;
	/* The paths of the index's other articles with the same URL (files of
	 * one article: duplicates), newest first, each path once. */
	size_t nduplicates;
	const char *const *duplicates;
} newsgrep_article_t;

/*
 * Finds one article in the index (or set) `db` from the index alone: the
 * article file is not read, so it may be gone or changed since it was
 * indexed.  `path_or_url` is either an absolute path, matched exactly
 * against the paths the index keeps (as hits give them: no symbolic link
 * is resolved, no "." or ".." removed), or anything else, matched exactly
 * against the articles' URLs (originalUrl, else webUrl; bytes as written,
 * so "http://x.com/a" is not "http://x.com/a/").  Of several articles
 * with that URL, *out is the newest (undated ones last; as a search
 * listing newest first keeps one per URL), and the others' paths are its
 * `duplicates`; found by path, *out is the article at that path, and
 * every other article with its URL is a duplicate.
 *
 * Returns NEWSGREP_OK with *out set (free it with newsgrep_article_free),
 * NEWSGREP_DONE when the index has no such article (a message on `db`
 * says so), NEWSGREP_INVALID_ARG (NULL, or an empty path_or_url),
 * NEWSGREP_CORRUPT (its stored record is damaged), or what
 * newsgrep_search() returns for an index it cannot read; the message is
 * on `db`.  The article stays valid after `db` is closed.
 */
newsgrep_status_t newsgrep_article(newsgrep_article_t **out, newsgrep_db_t *db,
                                   const char *path_or_url);

/* Releases an article and everything borrowed from it.  NULL is harmless. */
void newsgrep_article_free(newsgrep_article_t *article);
/* Standing searches (since 1.3)                                       */

/*
 * A watch is a named search kept in the index itself (its metadata, key
 * "newsgrep.watch/NAME"), so that a backup, a set of servers' owner or a
 * second user sees it: running it gives the articles that entered the
 * index since it last delivered, each exactly once, whatever its date (the
 * order of arrival, newsgrep_db_sequence, not clock time).  Changing a
 * watch (add, remove, advance) needs a WRITE handle, which holds the
 * index's lock: the one the indexer takes, so it waits for or fails with
 * NEWSGREP_LOCKED while an update runs.  Reading watches (list, get, run)
 * needs only a reader.  A rebuilt index keeps its watches, but numbers
 * afresh under a new identity: each watch's next run resynchronises
 * (delivers nothing, and follows the new index from then).
 *
 * Names are 1 to NEWSGREP_WATCH_NAME_MAX characters of A-Z a-z 0-9 . _ -
 * (NEWSGREP_INVALID_ARG, with a message, otherwise).
 */
#define NEWSGREP_WATCH_NAME_MAX 64

/*
 * Adds watch `name` of `query` with the options of `opts` (may be NULL)
 * that choose which articles match: since, until, exact, all_duplicates,
 * fixed_strings, max_expansion, like (the story of an article: a path is
 * made absolute, as the working folder gives it now, and kept with a URL
 * as given; the article must be in the index), and has_changed_after
 * (non-zero: an article changed after it was delivered is delivered
 * again; the number itself is ignored).  Order, limits, offsets, facets
 * and the arrival numbers are not kept.  The query is checked as newsgrep_search() would
 * check it.  The watch starts at the index's last number: it delivers
 * what arrives after it was added.  Commits.  NEWSGREP_INVALID_ARG for a
 * bad name, a watch of that name already there, or a READ handle;
 * NEWSGREP_INDEX_VERSION for an index made before format 7; a search's
 * statuses for the query.
 */
newsgrep_status_t newsgrep_watch_add(newsgrep_db_t *db, const char *name, const char *query,
                                     const newsgrep_search_options_t *opts);

/*
 * As newsgrep_watch_add(), with the dates `since` and `until` (each may
 * be NULL) as a user wrote them, in the forms of newsgrep_date_parse()
 * and the relative ones newsgrep takes: "7d", "2w", "3m", "1y" (hours,
 * days, weeks, months, years back), "today", "yesterday", "now".  A
 * relative date is kept as written and taken from the time of each run
 * ("--since 7d": the articles published in the week before the run); an
 * absolute one as opts' since and until are.  Each replaces opts' own.
 * NEWSGREP_BAD_DATE for a date that does not read.
 */
newsgrep_status_t newsgrep_watch_add_dates(newsgrep_db_t *db, const char *name, const char *query,
                                           const newsgrep_search_options_t *opts, const char *since,
                                           const char *until);

/* The relative dates of watch `name` as they were given (*since, *until:
 * freed with newsgrep_free(); NULL when it has none, or an absolute one,
 * which newsgrep_watch_get() gives; either pointer may be NULL).
 * NEWSGREP_DONE when there is no such watch. */
newsgrep_status_t newsgrep_watch_dates(newsgrep_db_t *db, const char *name, char **since,
                                       char **until);

/* Removes watch `name` and commits (a WRITE handle).  NEWSGREP_DONE when
 * there is no such watch. */
newsgrep_status_t newsgrep_watch_remove(newsgrep_db_t *db, const char *name);

/* The names of the index's watches in byte order: *out is an array of
 * *count strings released with newsgrep_roots_free() (NULL when none). */
newsgrep_status_t newsgrep_watch_list(newsgrep_db_t *db, char ***out, size_t *count);

/*
 * What watch `name` is: its query (*query, freed with newsgrep_free()),
 * its options into *opts (when not NULL; its version set, as
 * newsgrep_search_options_init() gives them otherwise: relative dates
 * taken from the time of the call; opts->like, when it follows an
 * article, a string of the handle's, valid until its next
 * newsgrep_watch_get() or its close), the identity of
 * the index it follows and the last arrival number it delivered (each may
 * be NULL).  NEWSGREP_DONE when there is no such watch, NEWSGREP_CORRUPT
 * when its record cannot be read.
 */
newsgrep_status_t newsgrep_watch_get(newsgrep_db_t *db, const char *name, char **query,
                                     newsgrep_search_options_t *opts, char identity[33],
                                     uint64_t *last);

/* Receives one hit of a watch's run; returns 0 to go on, anything else to
 * stop (newsgrep_watch_run then returns NEWSGREP_STOPPED). */
typedef int (*newsgrep_watch_hit_fn)(void *ctx, const newsgrep_hit_t *hit);

/*
 * Runs watch `name` (any handle; a reader is enough): hands `fn` each
 * article that arrived after the watch's last number, up to the index's
 * last number at the start of the run, which goes to *upto with the
 * index's identity (`identity`).  Nothing is recorded: once the caller has
 * written what it was given, newsgrep_watch_advance(writer, name,
 * identity, *upto) and newsgrep_db_commit() record it; a run not advanced (killed, or its output
 * lost) delivers the same articles again, never skips one.  When the index
 * has another identity than the watch's (it was rebuilt), nothing is
 * delivered and *resynchronised is 1: advancing then makes the watch
 * follow the new index.  `opts` (may be NULL) sets how hits look
 * (no_snippets); the watch's own options choose them.  They come newest
 * publication date first.  Returns NEWSGREP_OK, NEWSGREP_DONE (no such watch),
 * NEWSGREP_STOPPED, or a search's statuses.
 */
newsgrep_status_t newsgrep_watch_run(newsgrep_db_t *db, const char *name,
                                     const newsgrep_search_options_t *opts,
                                     newsgrep_watch_hit_fn fn, void *ctx, char identity[33],
                                     uint64_t *upto, int *resynchronised);

/* Records that watch `name` delivered up to number `upto` of the index of
 * `identity` (what newsgrep_watch_run() gave), in a WRITE handle's batch:
 * newsgrep_db_commit() makes it last, for as many watches as were
 * advanced (one commit for them all: each costs the disk's syncs).  A
 * watch never goes back: an older mark of the same identity changes
 * nothing.  NEWSGREP_DONE when the watch was removed meanwhile. */
newsgrep_status_t newsgrep_watch_advance(newsgrep_db_t *db, const char *name,
                                         const char identity[33], uint64_t upto);

/* ------------------------------------------------------------------ */
/* Checking an index                                                   */

/* Receives one problem newsgrep_db_check() found: a line for the user
 * that names the database and, for an article, its number and file
 * ("/idx/db.3: article 12 ('/news/a.md'): it lacks the term 'Sgpu' of its
 * article").  Borrowed for the call.  Its bytes come from the damaged
 * index: make them safe before printing them to a terminal. */
typedef void (*newsgrep_check_fn)(void *ctx, const char *problem);

typedef struct newsgrep_check_stats {
	uint32_t version;  /* NEWSGREP_CHECK_STATS_VERSION */
	uint64_t articles; /* articles looked at */
	uint64_t problems; /* problems found (the first 1000 are reported) */
	/* Xapian's check of the tables was left out: Xapian 1.4 opens them
	 * for writing to check them (writing nothing), which the user may
	 * not; newsgrep's own checks still ran. */
	int tables_unchecked;
} newsgrep_check_stats_t;

#define NEWSGREP_CHECK_STATS_VERSION 1
#define NEWSGREP_CHECK_STATS_INIT                                                                  \
	{                                                                                          \
		NEWSGREP_CHECK_STATS_VERSION, 0, 0, 0                                              \
	}

/*
 * Checks the index `db` (a READ handle) without changing anything and
 * without taking the writers' lock, so searches and an update may run
 * meanwhile: Xapian's check of the database's tables, then newsgrep's own
 * records (every article's stored record and file record parse and agree;
 * every article has the terms, positions and values its record makes, and
 * no other; the postings lists, the spelling dictionary and the counts
 * agree with the articles; the index's metadata parses).  Glass keeps no
 * checksums: a changed byte is found when it breaks a table's structure
 * or makes one of these records disagree with another.  Documents of an
 * older format (4, 5) are only checked as records.  `fn` (may be NULL)
 * receives each problem; `stats` (may be NULL; its version set) the counts.
 *
 * Xapian 1.4 crashes reading some damaged tables (xapian-check does
 * too): a program that must outlive a damaged index runs the check in a
 * child process, as newsgrep-index does.
 *
 * Returns NEWSGREP_OK when nothing is wrong; NEWSGREP_CORRUPT when
 * something is (a summary on the handle: rebuild the index);
 * NEWSGREP_INDEX_CHANGED when writers kept committing while it looked;
 * NEWSGREP_INVALID_ARG for a writer's handle; NEWSGREP_NOMEM; or what
 * opening the latest revision fails with.  Takes as long as reading the
 * whole index, and memory for each article's path and each word of the
 * spelling dictionary.
 */
newsgrep_status_t newsgrep_db_check(newsgrep_db_t *db, newsgrep_check_fn fn, void *ctx,
                                    newsgrep_check_stats_t *stats);

#ifdef __cplusplus
}
#endif
#endif /* NEWSGREP_H */
