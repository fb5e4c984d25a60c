/*
 * feed.c - newsgrep-watch run --atom DIR: each watch's Atom feed,
 * DIR/NAME.atom, holding the newest entries it delivered.
 *
 * A run's entries come first, then those the feed had, one per id (an
 * article delivered again, --changed, replaces its old entry), cut to the
 * newest `max` in the order of delivery.  The old entries are read back
 * from the feed itself: each follows a comment with its length and hash
 * (atom_feed_set_marked, print_atom.c), so that nothing but XML this
 * program wrote is carried over and a damaged or foreign file costs its
 * old entries, never the new feed's validity.  (A sidecar file would be
 * a second file to keep in step with the feed; the feed's own XML would
 * need a parser.)
 *
 * The feed is replaced whole: written to DIR/NAME.atom.tmp, flushed to
 * the disk (fsync), renamed over DIR/NAME.atom and the folder fsynced; a
 * failure removes the temporary file and leaves the old feed as it was,
 * and the caller then does not advance the watch.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "feed.h"
#include "killstep.h"
#include "printer.h"

/* A feed bigger than this is not read back (its entries are lost). */
#define FEED_READ_MAX (64u << 20)

typedef struct entry {
	char *xml;
	size_t len;
	int64_t updated;
} entry;

typedef struct entries {
	entry *v;
	size_t n, cap;
	bool failed; /* out of memory */
} entries;

struct watch_feed {
	char *path, *tmp;
	char *title;
	char id[ATOM_ID_SIZE];
	size_t max;
	bool missing; /* no feed file yet */
	entries fresh, old;
};

/* The text of the entry's <id>, for comparing ids: [*s, *s + *n). */
static void entry_id(const entry *e, const char **s, size_t *n)
{
	*s = "";
	*n = 0;
	const char *open = strstr(e->xml, "<id>");
	const char *close = open ? strstr(open, "</id>") : NULL;
	if (close) {
		*s = open + 4;
		*n = (size_t)(close - *s);
	}
}

static bool same_id(const entry *a, const entry *b)
{
	const char *s, *t;
	size_t n, m;
	entry_id(a, &s, &n);
	entry_id(b, &t, &m);
	return n == m && memcmp(s, t, n) == 0;
}

static bool holds(const entries *es, const entry *e)
{
	for (size_t i = 0; i < es->n; i++)
		if (same_id(&es->v[i], e))
			return true;
	return false;
}

/* Appends a copy of xml[0..len) (NUL-terminated), unless an entry of its
 * id is there already or `max` are. */
static void push(entries *es, const char *xml, size_t len, int64_t updated, size_t max)
{
	if (es->failed || es->n >= max)
		return;
	entry e = {.xml = malloc(len + 1), .len = len, .updated = updated};
	if (!e.xml) {
		es->failed = true;
		return;
	}
	memcpy(e.xml, xml, len);
	e.xml[len] = '\0';
	if (holds(es, &e)) {
		free(e.xml);
		return;
	}
	if (es->n == es->cap) {
		size_t cap = es->cap ? 2 * es->cap : 16;
		entry *v = realloc(es->v, cap * sizeof(*v));
		if (!v) {
			free(e.xml);
			es->failed = true;
			return;
		}
		es->v = v;
		es->cap = cap;
	}
	es->v[es->n++] = e;
}

static void entries_release(entries *es)
{
	for (size_t i = 0; i < es->n; i++)
		free(es->v[i].xml);
	free(es->v);
	memset(es, 0, sizeof(*es));
}

static int take_old(void *ctx, const char *xml, size_t len, int64_t updated)
{
	watch_feed *f = ctx;
	push(&f->old, xml, len, updated, f->max);
	return f->old.failed || f->old.n >= f->max;
}

/* Reads the entries of the feed there is; false (errno) when it cannot be
 * read, which is not the same as a damaged one. */
static bool read_old(watch_feed *f)
{
	int fd = open(f->path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		f->missing = errno == ENOENT;
		return f->missing;
	}
	struct stat st;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		errno = EINVAL;
		return false;
	}
	size_t cap = st.st_size > FEED_READ_MAX ? FEED_READ_MAX : (size_t)st.st_size;
	char *doc = malloc(cap ? cap : 1);
	size_t len = 0;
	ssize_t got = 1;
	while (doc && len < cap && (got = read(fd, doc + len, cap - len)) > 0)
		len += (size_t)got;
	int saved = errno;
	close(fd);
	if (!doc || got < 0) {
		free(doc);
		errno = doc ? saved : ENOMEM;
		return false;
	}
	atom_feed_read_marked(doc, len, take_old, f);
	free(doc);
	if (f->old.failed)
		errno = ENOMEM;
	return !f->old.failed;
}

static char *concat(const char *a, const char *b, const char *c)
{
	size_t n = strlen(a) + strlen(b) + strlen(c) + 1;
	char *s = malloc(n);
	if (s)
		snprintf(s, n, "%s%s%s", a, b, c);
	return s;
}

watch_feed *watch_feed_open(const char *dir, const char *name, const char *title, size_t max,
                            char *err, size_t cap)
{
	watch_feed *f = calloc(1, sizeof(*f));
	if (!f || !(f->path = concat(dir, "/", name)) ||
	    !(f->tmp = concat(f->path, ".atom.tmp", "")) || !(f->title = strdup(title))) {
		snprintf(err, cap, "out of memory");
		watch_feed_free(f);
		return NULL;
	}
	char *path = concat(f->path, ".atom", "");
	if (!path) {
		snprintf(err, cap, "out of memory");
		watch_feed_free(f);
		return NULL;
	}
	free(f->path);
	f->path = path;
	f->max = max;
	/* The feed is named by where it is: a subscriber knows it by that. */
	char *where = realpath(dir, NULL);
	char *key = concat("newsgrep watch feed 1\nfile ", where ? where : dir, "/");
	char *full = key ? concat(key, name, ".atom\n") : NULL;
	free(where);
	free(key);
	if (!full) {
		snprintf(err, cap, "out of memory");
		watch_feed_free(f);
		return NULL;
	}
	atom_name_id(full, f->id);
	free(full);
	if (!read_old(f)) {
		snprintf(err, cap, "cannot read the feed %s: %s", f->path,
		         errno == EINVAL ? "not a regular file" : strerror(errno));
		watch_feed_free(f);
		return NULL;
	}
	return f;
}

bool watch_feed_add(watch_feed *f, const newsgrep_hit_t *hit)
{
	size_t len;
	int64_t updated;
	char *xml = atom_entry_xml(hit, &len, &updated);
	if (!xml)
		return false;
	push(&f->fresh, xml, len, updated, f->max);
	free(xml);
	return !f->fresh.failed;
}

size_t watch_feed_fresh(const watch_feed *f)
{
	return f->fresh.n;
}

const char *watch_feed_path(const watch_feed *f)
{
	return f->path;
}

/* The feed document into `out`; false when memory ran out. */
static bool write_feed(const watch_feed *f, FILE *out)
{
	atom_feed *feed = atom_feed_new(f->title, f->id);
	if (!feed)
		return false;
	atom_feed_set_marked(feed);
	bool ok = true;
	size_t n = 0;
	for (size_t i = 0; ok && i < f->fresh.n && n < f->max; i++, n++)
		ok = atom_feed_add_xml(feed, f->fresh.v[i].xml, f->fresh.v[i].len,
		                       f->fresh.v[i].updated);
	for (size_t i = 0; ok && i < f->old.n && n < f->max; i++) {
		if (holds(&f->fresh, &f->old.v[i]))
			continue;
		ok = atom_feed_add_xml(feed, f->old.v[i].xml, f->old.v[i].len, f->old.v[i].updated);
		n++;
	}
	ok = ok && atom_feed_write(feed, out, (int64_t)time(NULL));
	atom_feed_free(feed);
	return ok;
}

/* fsyncs the folder of `path`, so that the rename lasts. */
static bool sync_folder(const char *path)
{
	char *dir = strdup(path);
	if (!dir)
		return false;
	char *slash = strrchr(dir, '/');
	if (slash == dir)
		slash[1] = '\0';
	else if (slash)
		*slash = '\0';
	int fd = open(slash ? dir : ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(dir);
	if (fd < 0)
		return false;
	bool ok = fsync(fd) == 0 || errno == EINVAL;
	close(fd);
	return ok;
}

int watch_feed_commit(watch_feed *f, char *err, size_t cap)
{
	if (f->fresh.failed) {
		snprintf(err, cap, "cannot make the feed %s: out of memory", f->path);
		return -1;
	}
	if (!f->fresh.n && !f->missing)
		return 0; /* nothing new: the feed stays as it is */
	/* (kill_step: the crash tests' points, between the writes.) */
	kill_step();
	int fd = open(f->tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0666);
	FILE *out = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (!out) {
		snprintf(err, cap, "cannot write the feed %s: %s", f->tmp, strerror(errno));
		if (fd >= 0) {
			close(fd);
			unlink(f->tmp);
		}
		return -1;
	}
	kill_step();
	bool made = write_feed(f, out);
	errno = made ? 0 : ENOMEM;
	bool ok = made && fflush(out) == 0 && !ferror(out);
	if (ok)
		kill_step();
	ok = ok && fsync(fd) == 0;
	int saved = errno;
	if (fclose(out) != 0 && ok) {
		ok = false;
		saved = errno;
	}
	if (ok)
		kill_step();
	if (ok && rename(f->tmp, f->path) != 0) {
		ok = false;
		saved = errno;
	}
	if (!ok) {
		unlink(f->tmp);
		snprintf(err, cap, "cannot write the feed %s: %s", f->path,
		         strerror(saved ? saved : EIO));
		return -1;
	}
	kill_step();
	if (!sync_folder(f->path)) {
		snprintf(err, cap, "cannot sync the folder of the feed %s: %s", f->path,
		         strerror(errno));
		return -1;
	}
	return 0;
}

void watch_feed_free(watch_feed *f)
{
	if (!f)
		return;
	entries_release(&f->fresh);
	entries_release(&f->old);
	free(f->path);
	free(f->tmp);
	free(f->title);
	free(f);
}
