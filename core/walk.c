/*
 * walk.c - finding the article files under a folder with fts(3).
 *
 * Symbolic links are followed (FTS_LOGICAL) so an archive may be assembled
 * from linked folders; fts reports a link back to an ancestor as a cycle,
 * which is skipped with a warning instead of walked forever.  Entries are
 * visited in name order so runs are reproducible.
 *
 * A folder being walked may hold a .newsgrepignore file: one glob pattern
 * per line ('#' starts a comment).  A pattern without '/' matches a file or
 * folder name anywhere below; one with '/' matches the path relative to
 * that folder.  It keeps documentation such as a README.md out of an
 * archive without renaming anything.
 */
#include <errno.h>
#include <fnmatch.h>
#include <fts.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

/* Reads root/.newsgrepignore, if there is one.  False when out of memory. */
static bool ignore_load(ignore_list *ig, const char *root)
{
	ig->patterns = NULL;
	ig->n = 0;
	size_t n = strlen(root) + sizeof("/" IGNORE_FILE);
	char *path = malloc(n);
	if (!path)
		return false;
	snprintf(path, n, "%s/%s", root, IGNORE_FILE);
	FILE *f = fopen(path, "r");
	free(path);
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

static int by_name(const FTSENT **a, const FTSENT **b)
{
	return strcmp((*a)->fts_name, (*b)->fts_name);
}

static int problem(ng_walk_fn fn, void *ctx, const char *path, bool is_error, const char *what,
                   int err)
{
	char msg[512];
	if (err)
		ng_msg_set(msg, sizeof(msg), "%s: %s", what, strerror(err));
	else
		ng_msg_set(msg, sizeof(msg), "%s", what);
	return fn(ctx, NG_WALK_PROBLEM, path, NULL, msg, is_error);
}

int ng_walk(const char *root, ng_walk_fn fn, void *ctx)
{
	/* Absolute paths: they are the documents' identities. */
	char *abs = realpath(root, NULL);
	if (!abs) {
		if (errno == ENOMEM)
			return -1;
		return problem(fn, ctx, root, true, "cannot read", errno);
	}
	char *argv[] = {abs, NULL};
	FTS *fts = fts_open(argv, FTS_LOGICAL | FTS_NOCHDIR, by_name);
	if (!fts) {
		int rc = errno == ENOMEM ? -1 : problem(fn, ctx, root, true, "cannot read", errno);
		free(abs);
		return rc;
	}
	ignore_list ig;
	if (!ignore_load(&ig, abs)) {
		fts_close(fts);
		free(abs);
		return -1;
	}
	size_t root_len = strlen(abs);
	int rc = 0;
	FTSENT *e;
	errno = 0;
	while (rc == 0 && (e = fts_read(fts)) != NULL) {
		bool is_root = e->fts_level == FTS_ROOTLEVEL;
		bool hidden = !is_root && (e->fts_name[0] == '.' ||
		                           ignored(&ig, e->fts_path + root_len + 1, e->fts_name));
		switch (e->fts_info) {
		case FTS_D:
			if (hidden)
				fts_set(fts, e, FTS_SKIP);
			break;
		case FTS_F:
			/* A file named on its own is indexed whatever its name. */
			if (is_root || (!hidden && is_article_name(e->fts_name)))
				rc = fn(ctx, NG_WALK_FILE, e->fts_path, e->fts_statp, NULL, false);
			break;
		case FTS_DC:
			rc =
			    problem(fn, ctx, e->fts_path, false,
			            "symbolic link loops back to a parent folder; not followed", 0);
			break;
		case FTS_DNR:
		case FTS_ERR:
			if (!hidden)
				rc = problem(fn, ctx, e->fts_path, true, "cannot read",
				             e->fts_errno);
			break;
		case FTS_SLNONE:
			if (!hidden && is_article_name(e->fts_name))
				rc = problem(fn, ctx, e->fts_path, true,
				             "broken symbolic link: its target does not exist", 0);
			break;
		default:
			break; /* FTS_DP, special files, ... */
		}
	}
	/* fts_read() ends with NULL and errno 0; anything else is a failure. */
	if (rc == 0 && errno != 0)
		rc = errno == ENOMEM ? -1 : problem(fn, ctx, root, true, "cannot walk", errno);
	fts_close(fts);
	ignore_release(&ig);
	free(abs);
	return rc;
}
