/*
 * walk.c - finding the article files under a folder.
 *
 * Every name is looked up relative to its folder's descriptor (openat,
 * fstatat) rather than by its full path: the kernel then resolves one
 * component per file instead of the whole path, which was about half of a
 * no-change reindex with fts(3) and FTS_NOCHDIR (chdir is not an option in
 * a library whose callers may run threads).
 *
 * Only regular files are ever opened for reading (a pipe would wait for a
 * writer forever); an article name on anything else is reported.
 *
 * Symbolic links, as find and rg users expect: the root itself is resolved
 * (a link named on the command line is followed), links to files are
 * followed, and links to folders only when asked (`follow`, --follow);
 * a link to a folder that is not followed is reported.  Even then nothing
 * is walked or indexed twice and nothing leads out of the root's reach:
 * a link is passed over when it leads to what an update finds as itself
 * anyway (inside the root or another of the index's roots, nothing on the
 * way hidden or ignored) or to what a link already led to (by device and
 * inode), and a link to a folder that holds the root or another of the
 * index's roots, or to a folder being walked, is reported and never
 * followed.  Entries are visited in name order so runs
 * are reproducible.  Names starting with '.' are not walked.  Regular files
 * whose names are not article names are not even stat'ed.
 *
 * A folder being walked may hold a .newsgrepignore file: one glob pattern
 * per line ('#' starts a comment).  A pattern without '/' matches a file or
 * folder name anywhere below; one with '/' matches the path relative to
 * that folder.  It keeps documentation such as a README.md out of an
 * archive without renaming anything.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ng.h"

static bool is_article_name(const char *name)
{
	static const char *const exts[] = {".md", ".markdown", ".txt", ".yaml", ".yml"};
	const char *dot = strrchr(name, '.');
	if (!dot || dot == name)
		return false;
	for (size_t i = 0; i < sizeof(exts) / sizeof(exts[0]); i++)
		if (strcmp(dot, exts[i]) == 0)
			return true;
	return false;
}

#define IGNORE_FILE ".newsgrepignore"

typedef struct ignore_list {
	char **patterns;
	size_t n;
} ignore_list;

static void ignore_release(ignore_list *ig)
{
	for (size_t i = 0; i < ig->n; i++)
		free(ig->patterns[i]);
	free(ig->patterns);
}

/* Opens the root folder's .newsgrepignore as a stream, if there is one
 * and it is a regular file (never a pipe, which would wait for a writer
 * forever).  Sets *not_regular when it is something else. */
static FILE *ignore_open(int root_fd, bool *not_regular)
{
	*not_regular = false;
	int fd = openat(root_fd, IGNORE_FILE, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	struct stat st;
	int fl;
	FILE *f = NULL;
	if (fstat(fd, &st) == 0 && !(*not_regular = !S_ISREG(st.st_mode)) &&
	    (fl = fcntl(fd, F_GETFL)) >= 0 && fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) == 0)
		f = fdopen(fd, "r");
	if (!f)
		close(fd);
	return f;
}

/* Reads the patterns of the ignore file open as `f` (closed).  False when
 * out of memory. */
static bool ignore_load(ignore_list *ig, FILE *f)
{
	ig->patterns = NULL;
	ig->n = 0;
	if (!f)
		return true;
	char line[1024];
	bool ok = true;
	while (ok && fgets(line, sizeof(line), f)) {
		size_t len = strcspn(line, "\r\n");
		while (len > 0 && (line[len - 1] == ' ' || line[len - 1] == '\t'))
			len--;
		line[len] = '\0';
		if (len == 0 || line[0] == '#')
			continue;
		char **p = realloc(ig->patterns, (ig->n + 1) * sizeof(*p));
		ok = p != NULL;
		if (ok) {
			ig->patterns = p;
			ok = (p[ig->n] = strdup(line)) != NULL;
			ig->n += ok;
		}
	}
	fclose(f);
	return ok;
}

/* True when the entry at `rel` (relative to the root) named `name` is
 * ignored. */
static bool ignored(const ignore_list *ig, const char *rel, const char *name)
{
	for (size_t i = 0; i < ig->n; i++) {
		const char *pat = ig->patterns[i];
		if (strchr(pat, '/') ? fnmatch(pat, rel, FNM_PATHNAME) == 0
		                     : fnmatch(pat, name, 0) == 0)
			return true;
	}
	return false;
}

/* A folder on the way down, to recognise a link back to it. */
typedef struct ancestor {
	dev_t dev;
	ino_t ino;
} ancestor;

/* Files and folders reached through links, to reach each once: an
 * open-addressing hash set. */
typedef struct node {
	dev_t dev;
	ino_t ino;
	bool used;
} node;

typedef struct node_set {
	node *v;
	size_t n, cap; /* cap: 0 or a power of two */
} node_set;

static size_t node_hash(dev_t dev, ino_t ino)
{
	uint64_t h = ((uint64_t)dev * 0x9E3779B97F4A7C15u) ^ (uint64_t)ino;
	h ^= h >> 29;
	h *= 0xBF58476D1CE4E5B9u;
	return (size_t)(h ^ (h >> 32));
}

/* Adds the node `st` names: 1 when it is new, 0 when it was there, -1
 * when out of memory. */
static int node_add(node_set *set, const struct stat *st)
{
	if (2 * (set->n + 1) > set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 64;
		node *v = calloc(cap, sizeof(*v));
		if (!v)
			return -1;
		for (size_t i = 0; i < set->cap; i++) {
			if (!set->v[i].used)
				continue;
			size_t j = node_hash(set->v[i].dev, set->v[i].ino) & (cap - 1);
			while (v[j].used)
				j = (j + 1) & (cap - 1);
			v[j] = set->v[i];
		}
		free(set->v);
		set->v = v;
		set->cap = cap;
	}
	size_t j = node_hash(st->st_dev, st->st_ino) & (set->cap - 1);
	for (; set->v[j].used; j = (j + 1) & (set->cap - 1))
		if (set->v[j].dev == st->st_dev && set->v[j].ino == st->st_ino)
			return 0;
	set->v[j] = (node){st->st_dev, st->st_ino, true};
	set->n++;
	return 1;
}

typedef struct walker {
	ng_walk_fn fn;
	void *ctx;
	ignore_list ig;
	ng_buf path;     /* the current path, NUL-terminated */
	size_t root_len; /* of the root's path in `path` */
	ancestor *up;    /* the folders being walked, root first */
	size_t depth, up_cap;
	const char *const *roots; /* the index's roots: links stay out of them */
	size_t nroots;
	bool follow;    /* follow links to folders */
	unsigned links; /* followed links to folders on the current path */
	node_set seen;  /* what links led to, and all below them */
} walker;

static ng_pass problem(walker *w, bool is_error, const char *what, int err)
{
	char msg[512];
	if (err)
		ng_msg_set(msg, sizeof(msg), "%s: %s", what, strerror(err));
	else
		ng_msg_set(msg, sizeof(msg), "%s", what);
	return w->fn(w->ctx, NG_WALK_PROBLEM, w->path.data, NULL, msg, is_error) ? NG_PASS_DONE
	                                                                         : NG_PASS_STOPPED;
}

static ng_pass cannot_read(walker *w, int err)
{
	return err == ENOMEM ? NG_PASS_NOMEM : problem(w, true, "cannot read", err);
}

/* One folder's entries, hidden names left out, sorted by name.  The names
 * live in one pool; `name` is an offset into it while the folder is read,
 * then a pointer. */
typedef struct entry {
	union {
		size_t off;
		const char *ptr;
	} name;
	unsigned char type; /* d_type */
} entry;

typedef struct listing {
	ng_buf pool;
	entry *v;
	size_t n, cap;
} listing;

static void listing_release(listing *ls)
{
	ng_buf_release(&ls->pool);
	free(ls->v);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const entry *)a)->name.ptr, ((const entry *)b)->name.ptr);
}

/* Reads the folder into `ls`.  Returns 0 or an errno value. */
static int list_folder(DIR *dir, listing *ls)
{
	struct dirent *d;
	errno = 0;
	while ((d = readdir(dir)) != NULL) {
		if (d->d_name[0] == '.')
			continue; /* hidden, and "." and ".." */
		entry *v = ng_grow(ls->v, ls->n, &ls->cap, sizeof(*v), 64);
		if (!v)
			return ENOMEM;
		ls->v = v;
		ls->v[ls->n++] = (entry){{.off = ls->pool.len}, d->d_type};
		if (!ng_buf_append(&ls->pool, d->d_name, strlen(d->d_name) + 1))
			return ENOMEM;
		errno = 0;
	}
	if (errno)
		return errno;
	for (size_t i = 0; i < ls->n; i++)
		ls->v[i].name.ptr = ls->pool.data + ls->v[i].name.off;
	if (ls->n > 1)
		qsort(ls->v, ls->n, sizeof(*ls->v), by_name);
	return 0;
}

/* Appends "/name" to the path in `b`, keeping it NUL-terminated (the NUL
 * not counted in b->len). */
static bool path_add(ng_buf *b, const char *name)
{
	size_t n = strlen(name);
	if (!ng_buf_reserve(b, n + 2))
		return false;
	b->data[b->len++] = '/';
	memcpy(b->data + b->len, name, n + 1);
	b->len += n;
	return true;
}

static ng_pass walk_folder(walker *w, int fd, const struct stat *st);

/* Notes the folder `st` as being walked.  0, or -1 when out of memory. */
static ng_pass push_ancestor(walker *w, const struct stat *st)
{
	ancestor *up = ng_grow(w->up, w->depth, &w->up_cap, sizeof(*up), 16);
	if (!up)
		return NG_PASS_NOMEM;
	w->up = up;
	w->up[w->depth++] = (ancestor){st->st_dev, st->st_ino};
	return NG_PASS_DONE;
}

#define LOOP "symbolic link loops back to a parent folder; not followed"

/* Whether the resolved path `real` is the folder `root` (`len` bytes, 0 for
 * "/") or holds it. */
static bool holds(const char *real, const char *root, size_t len)
{
	size_t n = strlen(real);
	if (n == 1)
		return true; /* "/" */
	return n <= len && memcmp(real, root, n) == 0 && (n == len || root[n] == '/');
}

/* Whether the resolved path `real` is strictly below the root walked or
 * (tried after it) one of the index's roots; sets *root and *len to that
 * root and its length (0 for "/", as w->root_len). */
static bool below_root(const walker *w, const char *real, const char **root, size_t *len)
{
	for (size_t i = 0; i <= w->nroots; i++) {
		const char *r = i ? w->roots[i - 1] : w->path.data;
		size_t n = i ? strlen(r) : w->root_len;
		if (n == 1)
			n = 0; /* "/" */
		if (strncmp(real, r, n) == 0 && real[n] == '/' && real[n + 1]) {
			*root = r;
			*len = n;
			return true;
		}
	}
	return false;
}

/* Whether the resolved path `real` is (or holds) the root walked or one of
 * the index's roots: a link to it is never followed. */
static bool holds_a_root(const walker *w, const char *real)
{
	if (holds(real, w->path.data, w->root_len))
		return true;
	for (size_t i = 0; i < w->nroots; i++)
		if (holds(real, w->roots[i], strlen(w->roots[i])))
			return true;
	return false;
}

/* Whether an update finds the resolved path `real` (of an article file
 * when `file`, else of a folder) as itself: it is below the root walked
 * or one of the index's roots, and nothing on the way there is hidden or
 * ignored (by the patterns of the root walked: those of other roots are
 * not read).  `real` is changed, then restored. */
static bool walked_as_itself(const walker *w, char *real, bool file)
{
	const char *root;
	size_t rl;
	if (!below_root(w, real, &root, &rl))
		return false;
	bool own = root == w->path.data; /* its ignore patterns are loaded */
	char *rel = real + rl + 1;
	for (char *name = rel;;) {
		char *slash = strchr(name, '/');
		if (slash)
			*slash = '\0';
		bool skipped = name[0] == '.' || (own && ignored(&w->ig, rel, name)) ||
		               (!slash && file && !is_article_name(name));
		if (slash)
			*slash = '/';
		if (skipped)
			return false;
		if (!slash)
			return true;
		name = slash + 1;
	}
}

/* The folder open as `fd` (taken over and closed), whose stat is `st`,
 * reached as an entry of the folder being walked (`link`: through a
 * symbolic link to it); w->path is its path. */
static ng_pass enter_folder(walker *w, int fd, const struct stat *st, bool link)
{
	for (size_t i = 0; link && i < w->depth; i++)
		if (w->up[i].dev == st->st_dev && w->up[i].ino == st->st_ino) {
			close(fd);
			return problem(w, false, LOOP, 0);
		}
	if (link || w->links) {
		int added = node_add(&w->seen, st);
		if (added <= 0) {
			close(fd);
			/* walked already, or out of memory */
			return added < 0 ? NG_PASS_NOMEM : NG_PASS_DONE;
		}
	}
	w->links += link;
	ng_pass rc = walk_folder(w, fd, st);
	w->links -= link;
	return rc;
}

/* Whether to follow the symbolic link to a folder or an article file that
 * w->path is (`st`: its target's stat): sets *follow. */
static ng_pass follow_link(walker *w, const struct stat *st, bool *follow)
{
	*follow = false;
	char *real = realpath(w->path.data, NULL);
	if (!real)
		return errno == ENOENT ? NG_PASS_DONE : cannot_read(w, errno); /* gone since */
	bool folder = S_ISDIR(st->st_mode);
	ng_pass rc = NG_PASS_DONE;
	if (folder && holds(real, w->path.data, w->root_len))
		rc = problem(w, false, LOOP, 0);
	else if (folder && holds_a_root(w, real))
		rc = problem(w, false,
		             "symbolic link to a folder that holds one of the index's folders; "
		             "not followed",
		             0);
	else if (walked_as_itself(w, real, !folder))
		; /* found as itself */
	else if (folder && !w->follow)
		rc = problem(w, false,
		             "symbolic link to a folder: not followed (--follow follows it)", 0);
	else
		*follow = true;
	free(real);
	return rc;
}

/* Visits the entry `e` of the folder open as `dir_fd`; w->path is its
 * path. */
static ng_pass visit(walker *w, int dir_fd, const entry *e)
{
	const char *name = e->name.ptr;
	if (ignored(&w->ig, w->path.data + w->root_len + 1, name))
		return NG_PASS_DONE;
	bool article = is_article_name(name);
	if (e->type == DT_REG && !article)
		return NG_PASS_DONE; /* the common case: no stat needed to know */
	if (e->type == DT_DIR) {
		int fd = openat(dir_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		struct stat st;
		if (fd < 0 || fstat(fd, &st) != 0) {
			int err = errno;
			if (fd >= 0)
				close(fd);
			return cannot_read(w, err);
		}
		return enter_folder(w, fd, &st, false);
	}
	if (e->type != DT_REG && e->type != DT_LNK && e->type != DT_UNKNOWN)
		/* Devices, pipes, sockets: never opened, a pipe would hang. */
		return article ? problem(w, true, "not a regular file", 0) : NG_PASS_DONE;
	/* A file, or a link (followed), or a file system without d_type. */
	struct stat st;
	if (fstatat(dir_fd, name, &st, 0) != 0) {
		int err = errno;
		struct stat lst;
		if (err == ENOENT && fstatat(dir_fd, name, &lst, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISLNK(lst.st_mode))
			return article
			           ? problem(w, true,
			                     "broken symbolic link: its target does not exist", 0)
			           : NG_PASS_DONE;
		if (err == ENOENT)
			return NG_PASS_DONE; /* deleted since the folder was read */
		return article ? cannot_read(w, err) : NG_PASS_DONE;
	}
	bool is_file = S_ISREG(st.st_mode);
	if (!is_file && !S_ISDIR(st.st_mode))
		return article ? problem(w, true, "not a regular file", 0) : NG_PASS_DONE;
	if (is_file && !article)
		return NG_PASS_DONE;
	bool link = e->type == DT_LNK;
	if (e->type == DT_UNKNOWN) {
		struct stat lst;
		link =
		    fstatat(dir_fd, name, &lst, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(lst.st_mode);
	}
	bool follow = true;
	int rc = link ? follow_link(w, &st, &follow) : NG_PASS_DONE;
	if (!follow)
		return rc;
	if (is_file) {
		/* Once, however many links lead to it: hard links too, by the
		 * first of their names in walk order (the next one once that
		 * is gone). */
		if (link || w->links || st.st_nlink > 1) {
			int added = node_add(&w->seen, &st);
			if (added <= 0)
				return added < 0 ? NG_PASS_NOMEM : NG_PASS_DONE;
		}
		return w->fn(w->ctx, NG_WALK_FILE, w->path.data, &st, NULL, false)
		           ? NG_PASS_DONE
		           : NG_PASS_STOPPED;
	}
	int fd = openat(dir_fd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return cannot_read(w, errno);
	return enter_folder(w, fd, &st, link);
}

/* Walks the folder open as `fd` (taken over and closed), whose stat is
 * `st`; w->path is its path. */
static ng_pass walk_folder(walker *w, int fd, const struct stat *st)
{
	DIR *dir = fdopendir(fd);
	if (!dir) {
		int err = errno;
		close(fd);
		return cannot_read(w, err);
	}
	listing ls = {0};
	int err = list_folder(dir, &ls);
	ng_pass rc = err ? cannot_read(w, err) : push_ancestor(w, st);
	if (rc == NG_PASS_DONE && !err) {
		size_t len = w->path.len;
		for (size_t i = 0; rc == NG_PASS_DONE && i < ls.n; i++) {
			w->path.len = len;
			rc = path_add(&w->path, ls.v[i].name.ptr) ? visit(w, dirfd(dir), &ls.v[i])
			                                          : NG_PASS_NOMEM;
		}
		w->path.len = len;
		w->path.data[len] = '\0';
		w->depth--;
	}
	closedir(dir);
	listing_release(&ls);
	return rc;
}

/* Opens the root's ignore file into *f, reporting one that is not a
 * regular file (its patterns are then not applied). */
static ng_pass ignore_check(walker *w, int root_fd, FILE **f)
{
	bool not_regular;
	*f = ignore_open(root_fd, &not_regular);
	if (!not_regular)
		return NG_PASS_DONE;
	size_t len = w->path.len;
	if (len == 1)
		w->path.len = 0; /* "/": "/.newsgrepignore" */
	ng_pass rc = path_add(&w->path, IGNORE_FILE) ? problem(w, false, "not a regular file", 0)
	                                             : NG_PASS_NOMEM;
	w->path.len = len;
	w->path.data[len] = '\0';
	return rc;
}

ng_pass ng_walk(const char *root, bool follow, const char *const *roots, size_t nroots,
                ng_walk_fn fn, void *ctx)
{
	walker w = {.fn = fn, .ctx = ctx, .roots = roots, .nroots = nroots, .follow = follow};
	/* Absolute paths: they are the documents' identities.  A path that
	 * cannot be resolved is named as given. */
	char *abs = realpath(root, NULL);
	int err = errno;
	bool resolved = abs != NULL;
	bool ok = ng_buf_append(&w.path, resolved ? abs : root, strlen(resolved ? abs : root) + 1);
	free(abs);
	if (!ok)
		return NG_PASS_NOMEM;
	w.path.len--; /* NUL-terminated, the NUL not counted */
	w.root_len = w.path.len;
	ng_pass rc = NG_PASS_DONE;
	struct stat st;
	int fd;
	FILE *f = NULL;
	if (!resolved || stat(w.path.data, &st) != 0)
		rc = cannot_read(&w, resolved ? errno : err);
	else if (S_ISREG(st.st_mode))
		/* A file named on its own is indexed whatever its name. */
		rc = fn(ctx, NG_WALK_FILE, w.path.data, &st, NULL, false) ? NG_PASS_DONE
		                                                          : NG_PASS_STOPPED;
	else if (!S_ISDIR(st.st_mode))
		rc = problem(&w, true, "not a regular file", 0); /* devices, pipes, sockets */
	else if ((fd = open(w.path.data, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		rc = cannot_read(&w, errno);
	else if ((rc = ignore_check(&w, fd, &f)) != NG_PASS_DONE)
		close(fd);
	else if (!ignore_load(&w.ig, f))
		rc = (close(fd), NG_PASS_NOMEM);
	else {
		if (w.root_len == 1)
			w.root_len = w.path.len = 0; /* "/": its entries are "/name" */
		rc = walk_folder(&w, fd, &st);
	}
	ignore_release(&w.ig);
	free(w.seen.v);
	free(w.up);
	ng_buf_release(&w.path);
	return rc;
}
