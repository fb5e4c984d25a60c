/*
 * testhooks.c - what the crash, segment and disk-full tests make a writer
 * do, built only into the test copies of the library (NEWSGREP_TEST_HOOKS
 * defined: libnewsgrep_hooks and newsgrep-index-hooks, in test builds,
 * never installed).  In the shipped library these functions do nothing:
 * it reads no NEWSGREP_TEST_* variable, never kills its process and
 * leaves write(2) alone.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ng.h"

#ifdef NEWSGREP_TEST_HOOKS

/*
 * NEWSGREP_TEST_DISK_BYTES=N: the index folder is on a disk of N bytes
 * that holds nothing else.  A write that would grow its files past N in
 * all fails with ENOSPC, as on a full disk; removing files frees their
 * space.  Xapian writes with write(2) and pwrite(2), which this copy of
 * the library defines over the C library's (a program linking it exports
 * them to libxapian), so no root and no mount are needed.  Process-wide,
 * as a disk is: the first writer opened names the folder.
 */
static char disk_dir[PATH_MAX];
static uint64_t disk_bytes;

/* The bytes of the regular files under the folder open as `fd` (closed). */
static uint64_t tree_bytes(int fd)
{
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return 0;
	}
	uint64_t total = 0;
	struct dirent *e;
	struct stat st;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
		    fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0)
			continue;
		if (S_ISREG(st.st_mode))
			total += (uint64_t)st.st_size;
		else if (S_ISDIR(st.st_mode)) {
			int sub = openat(dirfd(d), e->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
			if (sub >= 0)
				total += tree_bytes(sub);
		}
	}
	closedir(d);
	return total;
}

static uint64_t disk_used(void)
{
	int fd = open(disk_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return fd < 0 ? 0 : tree_bytes(fd);
}

/* Whether writing n bytes at `off` of fd (-1: where it is) would
 * overfill the disk. */
static bool disk_full(int fd, size_t n, off_t off)
{
	if (!disk_bytes || !*disk_dir)
		return false;
	struct stat st;
	char link[64], target[PATH_MAX];
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		return false;
	if (off < 0 && (off = lseek(fd, 0, SEEK_CUR)) < 0)
		return false;
	uint64_t end = (uint64_t)off + n, size = (uint64_t)st.st_size;
	if (end <= size)
		return false; /* overwrites: no new space */
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	ssize_t got = readlink(link, target, sizeof(target) - 1);
	size_t dlen = strlen(disk_dir);
	if (got < 0)
		return false;
	target[got] = '\0';
	if (strncmp(target, disk_dir, dlen) != 0 || target[dlen] != '/')
		return false;
	return disk_used() + (end - size) > disk_bytes;
}

ssize_t write(int fd, const void *buf, size_t n)
{
	if (disk_full(fd, n, -1)) {
		errno = ENOSPC;
		return -1;
	}
	return syscall(SYS_write, fd, buf, n);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
	if (disk_full(fd, n, off)) {
		errno = ENOSPC;
		return -1;
	}
	return syscall(SYS_pwrite64, fd, buf, n, off);
}

bool ng_test_disk_free(const char *dir, uint64_t *out)
{
	(void)dir;
	if (!disk_bytes || !*disk_dir)
		return false;
	uint64_t used = disk_used();
	*out = used < disk_bytes ? disk_bytes - used : 0;
	return true;
}

void ng_test_hooks_open(ng_db_writer *w, const char *path)
{
	const char *kill_at = getenv("NEWSGREP_TEST_KILL_AT");
	const char *kill_signal = getenv("NEWSGREP_TEST_KILL_SIGNAL");
	if (kill_at) {
		w->steps.kill_at = strtoul(kill_at, NULL, 10);
		w->steps.kill_signal = kill_signal ? atoi(kill_signal) : SIGKILL;
	}
	const char *segment_files = getenv("NEWSGREP_TEST_SEGMENT_FILES");
	if (segment_files)
		w->segment_files = strtoul(segment_files, NULL, 10);
	const char *bytes = getenv("NEWSGREP_TEST_DISK_BYTES");
	disk_bytes = bytes ? strtoull(bytes, NULL, 10) : 0;
	*disk_dir = '\0';
	/* The folder may not exist yet: its parent resolves (as /proc names
	 * files), and the folder's name is added. */
	char *copy = disk_bytes ? strdup(path) : NULL;
	if (copy) {
		for (size_t n = strlen(copy); n > 1 && copy[n - 1] == '/'; n--)
			copy[n - 1] = '\0';
		char *slash = strrchr(copy, '/'), parent[PATH_MAX];
		const char *name = slash ? slash + 1 : copy;
		if (slash)
			*slash = '\0';
		int n = -1;
		if (realpath(slash ? (*copy ? copy : "/") : ".", parent))
			n = snprintf(disk_dir, sizeof(disk_dir), "%s/%s",
			             strcmp(parent, "/") == 0 ? "" : parent, name);
		if (n < 0 || (size_t)n >= sizeof(disk_dir))
			*disk_dir = '\0'; /* no simulated disk rather than another */
		free(copy);
	}
	const char *nomem_file = getenv("NEWSGREP_TEST_NOMEM_FILE");
	if (nomem_file && *nomem_file)
		w->nomem_file = nomem_file;
}

void ng_step(ng_steps *s)
{
	if (s->kill_at && ++s->n == s->kill_at)
		raise(s->kill_signal);
}

#else

bool ng_test_disk_free(const char *dir, uint64_t *out)
{
	(void)dir;
	(void)out;
	return false;
}

void ng_test_hooks_open(ng_db_writer *w, const char *path)
{
	(void)w;
	(void)path;
}

void ng_step(ng_steps *s)
{
	(void)s;
}

#endif

void ng_db_step(newsgrep_db_t *db)
{
	if (db->w)
		ng_step(&db->w->steps);
}
