/*
 * newsgrep-index's own declarations: its options parsed into one struct,
 * its exit statuses, and the functions of its modes (one mode a run), as
 * main.c dispatches to them.
 */
#ifndef NEWSGREP_INDEXER_H
#define NEWSGREP_INDEXER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "newsgrep.h"

enum {
	EXIT_ALL_INDEXED = 0,
	EXIT_SOME_SKIPPED = 1,
	EXIT_FATAL = 2,
	EXIT_LOCKED = 75 /* EX_TEMPFAIL: try again later */
};

/* What a run does: one of these, chosen by the options. */
typedef enum index_mode {
	MODE_UPDATE,
	MODE_REBUILD,
	MODE_FORGET,
	MODE_COMPACT,
	MODE_STATUS,
	MODE_CHECK
} index_mode;

/* The command line, parsed.  The strings borrow from argv. */
struct index_args {
	index_mode mode;
	const char *db_path; /* never NULL once main has resolved the default */
	const char *forget;  /* --forget's folder */
	char **paths;        /* the DIRs and FILEs named */
	size_t npaths;
	bool quiet;
	bool follow;
	double wait;          /* seconds to wait for the lock; 0 not at all */
	unsigned long batch;  /* commit every this many changes; 0 the default */
	unsigned long jobs;   /* threads; 0 the default */
	unsigned long memory; /* MiB of changes before a commit; 0 the default */
	/* --shard K/N (shard_count 0: not given; 1/1 is the whole archive) */
	uint32_t shard_index, shard_count;
};

/* The modes, each returning the program's exit status. */
int mode_update(const struct index_args *a);  /* write.c */
int mode_rebuild(const struct index_args *a); /* write.c */
int mode_forget(const struct index_args *a);  /* write.c */
int mode_compact(const struct index_args *a); /* write.c */
int mode_status(const struct index_args *a);  /* inspect.c */
int mode_check(const struct index_args *a);   /* inspect.c */

/* open.c: opening the index and saying why it failed. */

/* The exit status for a failed call's status. */
int fatal_exit(newsgrep_status_t st);
/* Says why an open failed (`msg`, which it frees, else `st`'s text). */
int fail_open(newsgrep_status_t st, char *msg);
/* Opens the index for reading into *out; on failure says why and returns
 * the exit status, else 0. */
int open_for_reading(newsgrep_db_t **out, const char *db_path);
/* Says the handle's last error, closes it, returns EXIT_FATAL. */
int fail_db(newsgrep_db_t *db);

/* The ending of a plural noun: "1 file", "2 files". */
const char *plural(uint64_t n);

/* disk.c */

/* The bytes of the files under `path`: what the index takes on disk. */
uint64_t folder_size(const char *path);
/* Bounds the size of every file this process writes (see disk.c). */
void bound_file_size(const char *db_path);

#endif
