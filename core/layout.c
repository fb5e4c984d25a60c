/*
 * layout.c - the index folder: its lock, its stub and its databases
 * (the layout is described in ng.h).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#include "ng.h"
#include "ngx.h"

static void sleep_seconds(double s)
{
	struct timespec t = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};
	while (nanosleep(&t, &t) != 0 && errno == EINTR)
		;
}

static double monotonic(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

newsgrep_status_t ng_layout_lock(newsgrep_db_t *db, double wait)
{
	if (!db->w)
		return ng_db_fail(db, NEWSGREP_INVALID_ARG, "only a writer locks the index", NULL);
	char path[PATH_MAX], what[4400];
	if (!ng_path_join(path, sizeof(path), db->path, NG_LAYOUT_LOCK))
		return ng_db_too_long(db, db->path, NG_LAYOUT_LOCK);
	/* Never through a link: the lock file is truncated below. */
	int fd =
	    open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOCTTY | O_NOFOLLOW | O_NONBLOCK, 0666);
	if (fd < 0 && (errno == EACCES || errno == EPERM))
		return ng_db_denied(db, path);
	struct stat st;
	if ((fd < 0 && errno == ELOOP) ||
	    (fd >= 0 && fstat(fd, &st) == 0 && !S_ISREG(st.st_mode))) {
		if (fd >= 0)
			close(fd);
		snprintf(what, sizeof(what),
		         "index at '%s' is damaged: its lock file '%s' is %s, not a plain file: "
		         "remove it",
		         db->path, path, fd < 0 ? "a symbolic link" : "something else");
		return ng_db_fail(db, NEWSGREP_CORRUPT, what, NULL);
	}
	if (fd < 0) {
		snprintf(what, sizeof(what), "cannot open the lock file '%s'", path);
		return ng_db_fail(db, NEWSGREP_IO, what, strerror(errno));
	}
	/* Poll rather than block: a bounded wait, and no signal games. */
	double deadline = monotonic() + (wait > 0 ? wait : 0);
	while (flock(fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK) {
			snprintf(what, sizeof(what), "cannot lock '%s'", path);
			close(fd);
			return ng_db_fail(db, NEWSGREP_IO, what, strerror(errno));
		}
		if (monotonic() >= deadline) {
			char pid[32] = "";
			ssize_t got = pread(fd, pid, sizeof(pid) - 1, 0);
			pid[got > 0 ? got : 0] = '\0';
			pid[strcspn(pid, "\n")] = '\0';
			close(fd);
			if (wait > 0)
				snprintf(what, sizeof(what),
				         "index at '%s' is still locked after %g s by another "
				         "newsgrep-index (pid %s; lock file '%s')",
				         db->path, wait, *pid ? pid : "unknown", path);
			else
				snprintf(what, sizeof(what),
				         "index at '%s' is locked by another newsgrep-index (pid "
				         "%s; lock file '%s')",
				         db->path, *pid ? pid : "unknown", path);
			return ng_db_fail(db, NEWSGREP_LOCKED, what, NULL);
		}
		sleep_seconds(0.05);
	}
	/* The pid is only for the message above; the lock is the flock,
	 * which the kernel drops when the holder dies however it dies. */
	char pid[32];
	int n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(fd, 0) != 0 || pwrite(fd, pid, (size_t)n, 0) != n) {
		/* Harmless: the message would say "pid unknown". */
	}
	db->w->lock_fd = fd;
	return NEWSGREP_OK;
}

/* N of a "db.N" name, or 0 when it is no such name. */
static unsigned long db_number(const char *name)
{
	size_t plen = strlen(NG_LAYOUT_DB_PREFIX);
	if (strncmp(name, NG_LAYOUT_DB_PREFIX, plen) != 0 || !name[plen])
		return 0;
	char *end;
	errno = 0;
	unsigned long n = strtoul(name + plen, &end, 10);
	return *end || errno || name[plen] < '1' || name[plen] > '9' ? 0 : n;
}

bool ng_layout_last_db(const char *dir, unsigned *last)
{
	DIR *d = opendir(dir);
	if (!d)
		return false;
	unsigned long max = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		unsigned long n = db_number(e->d_name);
		if (n > max)
			max = n;
	}
	closedir(d);
	if (max >= 1000000000ul) /* no db.N+1 to make after it */
		return errno = EOVERFLOW, false;
	*last = (unsigned)max;
	return true;
}

/*
 * Whether every entry of the database folder is a plain file.  Xapian
 * opens its tables by name and follows links, so a table someone replaced
 * with a link would be read, or written, in another file's place, and a
 * FIFO would hang the open.  0, or EINVAL with why written to whybuf, or
 * ENAMETOOLONG.
 */
static int plain_entry(const char *db, const char *name, char *whybuf, size_t whycap)
{
	char path[PATH_MAX];
	struct stat st;
	if (!ng_path_join(path, sizeof(path), db, name))
		return ENAMETOOLONG;
	if (lstat(path, &st) != 0)
		return 0; /* gone (a commit removed it) or unreachable: Xapian says which */
	if (S_ISREG(st.st_mode))
		return 0;
	snprintf(whybuf, whycap, "the database it names holds '%s', which is %s", name,
	         S_ISLNK(st.st_mode) ? "a symbolic link" : "not a regular file");
	return EINVAL;
}

static int plain_tables(const char *db, char *whybuf, size_t whycap)
{
	DIR *d = opendir(db);
	if (!d) {
		/* A folder that cannot be listed may still be searchable: the
		 * names Xapian opens are looked at one by one; a permission
		 * problem is left to the open to report. */
		int err = plain_entry(db, NGX_GLASS_VERSION_FILE, whybuf, whycap);
		if (!err)
			err = plain_entry(db, NGX_GLASS_LOCK_FILE, whybuf, whycap);
		const char *table;
		for (size_t i = 0; !err && (table = ngx_glass_table_file(i)) != NULL; i++)
			err = plain_entry(db, table, whybuf, whycap);
		return err;
	}
	int err = 0;
	struct dirent *e;
	while (!err && (e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			err = plain_entry(db, e->d_name, whybuf, whycap);
	closedir(d);
	return err;
}

/*
 * Reads up to cap - 1 bytes of the stub into text, as a regular file that
 * is no link, without waiting on a FIFO: 0 with *got; ENOENT when there
 * is none; EINVAL with *why when it is not a plain file; another errno.
 */
static int read_stub_text(const char *dir, char *text, size_t cap, ssize_t *got, const char **why)
{
	char path[PATH_MAX];
	*got = 0;
	if (!ng_path_join(path, sizeof(path), dir, NG_LAYOUT_STUB))
		return ENAMETOOLONG;
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0 && errno == ELOOP)
		return *why = "it is a symbolic link", EINVAL;
	if (fd < 0)
		return errno;
	struct stat st;
	int err = 0;
	if (fstat(fd, &st) != 0)
		err = errno;
	else if (!S_ISREG(st.st_mode))
		*why = "it is not a regular file", err = EINVAL;
	else if ((*got = read(fd, text, cap - 1)) < 0)
		err = errno;
	close(fd);
	return err;
}

/*
 * Whether the stub joins several databases by hand.  Such a stub is not
 * newsgrep's, and not mere damage either: it stands for a set of indexes,
 * which no writer may cut down to one by rebuilding or sweeping over it.
 * (A single line of someone else's is damage, which a rebuild from named
 * folders mends.)
 */
bool ng_layout_stub_joins(const char *dir)
{
	char text[4096];
	ssize_t got;
	const char *why;
	if (read_stub_text(dir, text, sizeof(text), &got, &why) != 0)
		return false;
	int remote;
	return ngx_stub_databases(text, (size_t)got, &remote) > 1;
}

/*
 * Reads the stub itself, never through Xapian: a stub may name a remote
 * command to run, or a database anywhere.  Only what switch_stub writes
 * is accepted: one line "auto db.N" naming a folder (not a link) of the
 * index.  0 with the name in out; ENOENT when there is no stub;
 * another errno when it cannot be read; EINVAL when it is not ours, with
 * the line at fault (0: the file itself) and why.
 */
static int read_stub(const char *dir, char *out, size_t cap, unsigned *line, const char **why,
                     char *whybuf, size_t whycap)
{
	char path[PATH_MAX], text[128], name[sizeof(text)];
	*line = 0;
	*why = NULL;
	ssize_t got;
	int err = read_stub_text(dir, text, sizeof(text), &got, why);
	if (err)
		return err;
	struct stat st;
	/* Xapian's syntax is the shim's; what the line may name is ours. */
	ngx_stub_kind kind = ngx_stub_parse(text, (size_t)got, name, sizeof(name));
	*line = 1;
	if (kind == NGX_STUB_BAD)
		return *why = "it is not 'auto db.N'", EINVAL;
	if (kind == NGX_STUB_LONG_NAME || !db_number(name) || strlen(name) >= cap)
		return *why = "it does not name a database of the index folder ('auto db.N')",
		       EINVAL;
	if (kind == NGX_STUB_MORE || got == (ssize_t)sizeof(text) - 1)
		return *line = 2, *why = "newsgrep writes one line only", EINVAL;
	if (!ng_path_join(path, sizeof(path), dir, name))
		return ENAMETOOLONG;
	if (lstat(path, &st) != 0)
		return errno == ENOENT ? (*why = "the database it names does not exist", EINVAL)
		                       : errno;
	if (S_ISLNK(st.st_mode))
		return *why = "the database it names is a symbolic link", EINVAL;
	if (!S_ISDIR(st.st_mode))
		return *why = "the database it names is not a folder", EINVAL;
	if ((err = plain_tables(path, whybuf, whycap)) != 0)
		return err == ENAMETOOLONG ? err : (*why = whybuf, EINVAL);
	strcpy(out, name);
	return 0;
}

bool ng_layout_live_db(const char *dir, char *out, size_t cap)
{
	unsigned line;
	const char *why;
	char whybuf[512];
	return read_stub(dir, out, cap, &line, &why, whybuf, sizeof(whybuf)) == 0;
}

/* Whether any db.N of the folder holds articles, or may: one that is a
 * database yet cannot be read counts.  Without a stub, none does only
 * when a first index was stopped before its stub was written. */
static bool any_articles(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return true;
	bool found = false;
	struct dirent *e;
	char path[PATH_MAX], glass[PATH_MAX];
	struct stat st;
	while (!found && (e = readdir(d)) != NULL) {
		if (!db_number(e->d_name))
			continue;
		if (!ng_path_join(path, sizeof(path), dir, e->d_name) ||
		    !ng_path_join(glass, sizeof(glass), path, NGX_GLASS_VERSION_FILE) ||
		    lstat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
			found = true; /* not ours: let a person look */
			continue;
		}
		if (lstat(glass, &st) != 0 && errno == ENOENT)
			continue; /* not a database yet */
		char why[512];
		if (plain_tables(path, why, sizeof(why)) != 0) {
			found = true; /* never opened: a planted FIFO would hang us */
			continue;
		}
		ngx_db *x = NULL;
		ngx_error err;
		uint64_t docs = 1;
		if (ngx_db_open_read(&x, path, &err) != NGX_OK ||
		    ngx_db_doccount(x, &docs, &err) != NGX_OK)
			docs = 1;
		if (x)
			ngx_db_close(x, &err);
		found = docs > 0;
	}
	closedir(d);
	return found;
}

/* How to mend an index whose stub is damaged or lost. */
static void mend_advice(const char *dir, char *out, size_t cap)
{
	unsigned last;
	if (ng_layout_last_db(dir, &last) && last > 0)
		snprintf(out, cap,
		         "if %s%u is the index, write its stub with: printf 'auto %s%u\\n' > "
		         "'%s/%s' (or rebuild it with newsgrep-index --rebuild DIR...)",
		         NG_LAYOUT_DB_PREFIX, last, NG_LAYOUT_DB_PREFIX, last, dir, NG_LAYOUT_STUB);
	else
		snprintf(out, cap, "rebuild it with newsgrep-index --rebuild DIR...");
}

newsgrep_status_t ng_layout_stub(newsgrep_db_t *db, char *out, size_t cap)
{
	unsigned line;
	const char *why;
	char what[9000], advice[4400];
	char whybuf[512];
	int err = read_stub(db->path, out, cap, &line, &why, whybuf, sizeof(whybuf));
	if (!err)
		return NEWSGREP_OK;
	if (err == ENOENT) {
		unsigned last;
		if (!ng_layout_last_db(db->path, &last) || last == 0 || !any_articles(db->path))
			return ng_db_fail(db, NEWSGREP_NO_INDEX, "the index has no stub", NULL);
		mend_advice(db->path, advice, sizeof(advice));
		snprintf(what, sizeof(what),
		         "index at '%s' is damaged: its %s is missing, so which database is the "
		         "index is unknown; nothing was changed: %s",
		         db->path, NG_LAYOUT_STUB, advice);
		return ng_db_fail(db, NEWSGREP_CORRUPT, what, NULL);
	}
	if (err == ENAMETOOLONG)
		return ng_db_too_long(db, db->path, NG_LAYOUT_STUB);
	if (err == EACCES || err == EPERM) {
		/* (a message: cut short, it only shows less) */
		snprintf(what, sizeof(what), "%s/%s", db->path, NG_LAYOUT_STUB);
		return ng_db_denied(db, what);
	}
	if (err != EINVAL) {
		snprintf(what, sizeof(what), "cannot read '%s/%s'", db->path, NG_LAYOUT_STUB);
		return ng_db_fail(db, NEWSGREP_IO, what, strerror(err));
	}
	/* A stub that names a database that is not a folder of the index
	 * needs more than a new stub; one that joins other indexes is left
	 * to them. */
	if (ng_layout_stub_joins(db->path))
		snprintf(advice, sizeof(advice),
		         "it joins databases by hand, which newsgrep neither reads nor rewrites: "
		         "search several indexes as one with newsgrep --db A --db B");
	else if (strncmp(why, "the database", 12) == 0)
		snprintf(advice, sizeof(advice), "rebuild it with newsgrep-index --rebuild DIR...");
	else
		mend_advice(db->path, advice, sizeof(advice));
	if (line)
		snprintf(what, sizeof(what),
		         "index at '%s' is damaged: '%s/%s' line %u: %s; newsgrep reads only "
		         "the stub it writes: %s",
		         db->path, db->path, NG_LAYOUT_STUB, line, why, advice);
	else
		snprintf(what, sizeof(what),
		         "index at '%s' is damaged: '%s/%s': %s; newsgrep reads only the stub "
		         "it writes: %s",
		         db->path, db->path, NG_LAYOUT_STUB, why, advice);
	return ng_db_fail(db, NEWSGREP_CORRUPT, what, NULL);
}

static int fsync_path(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);
	if (fd < 0)
		return errno;
	int rc = fsync(fd) == 0 ? 0 : errno;
	close(fd);
	return rc;
}

/* Points the stub at db.N, atomically and durably.  NEWSGREP_IO leaves
 * errno saying why (ENOSPC: the disk is full). */
static newsgrep_status_t switch_stub(newsgrep_db_t *db, unsigned n)
{
	char tmp[PATH_MAX], stub[PATH_MAX], what[4400], name[32], text[64];
	if (!ng_path_join(tmp, sizeof(tmp), db->path, NG_LAYOUT_STUB ".new") ||
	    !ng_path_join(stub, sizeof(stub), db->path, NG_LAYOUT_STUB))
		return ng_db_too_long(db, db->path, NG_LAYOUT_STUB ".new"); /* (errno set) */
	snprintf(name, sizeof(name), "%s%u", NG_LAYOUT_DB_PREFIX, n);
	int len = ngx_stub_format(text, sizeof(text), name); /* (it fits) */
	/* A leftover (of a killed run, or a link planted there) goes first:
	 * the new stub is a new file, never written through a link. */
	int err = unlink(tmp) != 0 && errno != ENOENT ? errno : 0;
	int fd = err ? -1 : open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
	if (fd < 0 && !err)
		err = errno;
	else if (fd >= 0 && (write(fd, text, (size_t)len) != len || fsync(fd) != 0))
		err = errno ? errno : EIO;
	if (fd >= 0 && close(fd) != 0 && !err)
		err = errno;
	/* The rename is the switch: readers see the old stub or the new. */
	ng_db_step(db);
	if (!err && rename(tmp, stub) != 0)
		err = errno;
	if (err) {
		unlink(tmp);
		snprintf(what, sizeof(what), "cannot write '%s'", stub);
		ng_db_fail(db, NEWSGREP_IO, what, strerror(err));
		errno = err;
		return NEWSGREP_IO;
	}
	fsync_path(db->path, O_RDONLY | O_DIRECTORY);
	ng_db_step(db);
	return NEWSGREP_OK;
}

newsgrep_status_t ng_layout_publish(newsgrep_db_t *db, unsigned n, struct ngx_db *writer)
{
	if (!db->w) {
		errno = EINVAL; /* callers look at errno for a full disk */
		return ng_db_fail(db, NEWSGREP_INVALID_ARG, "only a writer publishes a database",
		                  NULL);
	}
	newsgrep_status_t st = switch_stub(db, n);
	if (st != NEWSGREP_OK)
		return st;
	if (writer) {
		/* Nothing is pending on the old writer: closing it writes
		 * nothing.  It goes before the sweep removes its folder. */
		ngx_error err;
		ngx_db_close(db->x, &err);
		db->x = writer;
	}
	db->w->building = 0;
	char name[64];
	snprintf(name, sizeof(name), "%s%u", NG_LAYOUT_DB_PREFIX, n);
	ng_layout_sweep(db->path, name);
	return NEWSGREP_OK;
}

uint64_t ng_layout_db_bytes(const char *path)
{
	DIR *d = opendir(path);
	if (!d)
		return 0;
	uint64_t total = 0;
	struct dirent *e;
	struct stat st;
	while ((e = readdir(d)) != NULL)
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISREG(st.st_mode))
			total += (uint64_t)st.st_size;
	closedir(d);
	return total;
}

uint64_t ng_layout_free_bytes(const char *dir)
{
	uint64_t free_bytes;
	if (ng_test_disk_free(dir, &free_bytes))
		return free_bytes;
	struct statvfs vfs;
	if (statvfs(dir, &vfs) != 0)
		return UINT64_MAX;
	return (uint64_t)vfs.f_bavail * (uint64_t)vfs.f_frsize;
}

static int remove_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st;
	(void)ftw;
	if ((type == FTW_DP ? rmdir(path) : unlink(path)) != 0 && errno != ENOENT)
		return errno;
	return 0;
}

int ng_remove_tree(const char *path)
{
	int rc = nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
	return rc == -1 ? (errno == ENOENT ? 0 : errno) : rc;
}

/* The files of a database made by newsgrep before format 3, which kept
 * Xapian's files straight in the index folder. */
static bool old_layout_file(const char *name)
{
	return ngx_glass_is_db_file(name);
}

/* Only a refusal counts: a file that is missing is another story. */
static bool denied(const char *path, int mode)
{
	return faccessat(AT_FDCWD, path, mode, AT_EACCESS) != 0 &&
	       (errno == EACCES || errno == EPERM);
}

/* Some entry of `dir` refused (only a pre-3 database's files if old_only). */
static bool denied_entry(const char *dir, int mode, bool old_only, char *out, size_t cap)
{
	DIR *d = opendir(dir);
	if (!d)
		return false;
	bool found = false;
	struct dirent *e;
	while (!found && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || (old_only && !old_layout_file(e->d_name)))
			continue;
		found = ng_path_join(out, cap, dir, e->d_name) && denied(out, mode);
	}
	closedir(d);
	return found;
}

/* A reader enters the folders and reads the files Xapian names; a writer
 * also lists the folders, makes files in them and writes the files. */
bool ng_layout_denied(const char *dir, bool writer, char *out, size_t cap)
{
	int w = writer ? W_OK : 0, folder = X_OK | (writer ? R_OK | W_OK : 0);
	char live[64], db[PATH_MAX];
	/* (out names what was refused, for a message) */
	snprintf(out, cap, "%s", dir);
	if (denied(dir, folder))
		return true;
	if (writer && ng_path_join(out, cap, dir, NG_LAYOUT_LOCK) && denied(out, R_OK | W_OK))
		return true;
	if (ng_path_join(out, cap, dir, NG_LAYOUT_STUB) && denied(out, R_OK))
		return true;
	if (!ng_layout_live_db(dir, live, sizeof(live)))
		return denied_entry(dir, R_OK | w, true, out, cap);
	if (!ng_path_join(db, sizeof(db), dir, live))
		return false;
	snprintf(out, cap, "%s", db);
	return denied(db, folder) || denied_entry(db, R_OK | w, false, out, cap);
}

bool ng_layout_foreign(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return false;
	bool found = false;
	struct dirent *e;
	while (!found && (e = readdir(d)) != NULL) {
		const char *n = e->d_name;
		found = strcmp(n, ".") != 0 && strcmp(n, "..") != 0 &&
		        strcmp(n, NG_LAYOUT_LOCK) != 0 && strcmp(n, NG_LAYOUT_STUB ".new") != 0 &&
		        !db_number(n);
	}
	closedir(d);
	return found;
}

void ng_layout_sweep(const char *dir, const char *keep)
{
	char path[PATH_MAX];
	/* A pre-3 database's version file first: once it is gone, readers
	 * follow the stub.  (A path too long to name is never cut short into
	 * another's.) */
	if (ng_path_join(path, sizeof(path), dir, NGX_GLASS_VERSION_FILE))
		unlink(path);
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		bool old_db = db_number(e->d_name) && (!keep || strcmp(e->d_name, keep) != 0);
		if (!old_db && !old_layout_file(e->d_name))
			continue;
		if (ng_path_join(path, sizeof(path), dir, e->d_name))
			ng_remove_tree(path);
	}
	closedir(d);
}
