/*
 * What the index takes on disk, and the bound on the files this process
 * writes that follows from it.
 */
#include <ftw.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "indexer.h"

static uint64_t folder_bytes; /* folder_size's sum, for its nftw callback */

static int add_file_size(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)path;
	(void)ftw;
	if (type == FTW_F && S_ISREG(st->st_mode))
		folder_bytes += (uint64_t)st->st_size;
	return 0;
}

uint64_t folder_size(const char *path)
{
	folder_bytes = 0;
	nftw(path, add_file_size, 16, FTW_PHYS);
	return folder_bytes;
}

/*
 * Bounds the size of every file this process writes, so that a damaged
 * index whose tables name an impossible block (one index grew a 10 TB
 * sparse postlist.glass, a block number in it far past its end) stops the
 * run at the first write past the bound, with a message, instead of making
 * a huge sparse file.  No table can honestly grow past what the disk holds:
 * the bound is twice the index's bytes and the disk's free space
 * (compressing file systems), plus 1 GiB, and past the files standard
 * output and error append to.  A lower limit already set is kept.
 *
 * The write past it raises SIGXFSZ, whose handler says so and exits at
 * once: the index stays as of its last commit, as after a kill.  (Letting
 * the write fail with EFBIG instead is no better: Xapian 1.4 calls
 * std::terminate on a failed write in some paths, valuestream_begin's
 * flush among them.)
 */
static char too_big_msg[9000];
static size_t too_big_len;

static void on_too_big(int sig)
{
	(void)sig;
	if (write(STDERR_FILENO, too_big_msg, too_big_len) < 0) {
		/* nothing more to do */
	}
	_exit(EXIT_FATAL);
}

void bound_file_size(const char *db_path)
{
	char *dir = strdup(db_path);
	struct statvfs vfs;
	bool known = false;
	/* The index's file system: of the nearest folder that exists. */
	while (dir && !(known = statvfs(dir, &vfs) == 0)) {
		char *slash = strrchr(dir, '/');
		if (slash && slash != dir)
			*slash = '\0';
		else if (slash && dir[1])
			dir[1] = '\0';
		else if (!slash && strcmp(dir, ".") != 0)
			strcpy(dir, "."); /* (dir is not "": db_path never is) */
		else
			break;
	}
	free(dir);
	const uint64_t gib = 1ull << 30;
	uint64_t free_bytes = known ? (uint64_t)vfs.f_bavail * vfs.f_frsize : 0;
	uint64_t room = folder_size(db_path) + free_bytes;
	uint64_t bound = room > (UINT64_MAX - gib) / 2 ? UINT64_MAX : 2 * room + gib;
	for (int fd = 1; fd <= 2; fd++) {
		struct stat st;
		if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
		    (uint64_t)st.st_size > bound - gib)
			bound = (uint64_t)st.st_size + gib;
	}
	struct rlimit lim;
	if (getrlimit(RLIMIT_FSIZE, &lim) != 0 ||
	    (lim.rlim_cur != RLIM_INFINITY && lim.rlim_cur <= bound))
		return;
	if (lim.rlim_max != RLIM_INFINITY && lim.rlim_max < bound)
		bound = lim.rlim_max;
	int n = snprintf(too_big_msg, sizeof(too_big_msg),
	                 "newsgrep-index: index at '%s' is damaged: one of its files would grow "
	                 "past %llu bytes (twice the index and the disk's free space), which "
	                 "means an impossible block number; stopped before writing it (check "
	                 "the index with newsgrep-index --check, rebuild it with "
	                 "newsgrep-index --rebuild)\n",
	                 db_path, (unsigned long long)bound);
	too_big_len = n < 0 ? 0 : (size_t)n < sizeof(too_big_msg) ? (size_t)n : sizeof(too_big_msg);
	struct sigaction sa = {.sa_handler = on_too_big};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGXFSZ, &sa, NULL);
	lim.rlim_cur = (rlim_t)bound;
	setrlimit(RLIMIT_FSIZE, &lim);
}
