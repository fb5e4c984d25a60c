/*
 * show.c - newsgrep --show PATH|URL: the article a path or a URL names,
 * from the index alone (newsgrep_article: the file is never read).
 *
 * What is asked for is tried as, in turn:
 * - a URL, when it has "://" in it;
 * - else a path: absolute as given, or relative to the working folder
 *   (newsgrep -l prints absolute paths, but a person types relative
 *   ones), "." and ".." taken away; then, when the file is there and
 *   its real path (symbolic links resolved, as the indexer resolves its
 *   folders) is another, that one;
 * - and a relative path that names no article as a URL without a scheme
 *   ("example.com/a"), as the front matter may have written it.
 */
#include "show.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "safetext.h"

/* `path` made absolute against the working folder, its "." and ".."
 * and repeated slashes taken away, as text (no link is followed); NULL
 * when out of memory (errno ENOMEM) or the working folder is unknown.
 * Freed by the caller. */
static char *absolute(const char *path)
{
	char cwd[PATH_MAX];
	if (path[0] != '/' && !getcwd(cwd, sizeof(cwd)))
		return NULL;
	size_t n = (path[0] == '/' ? 0 : strlen(cwd) + 1) + strlen(path) + 2;
	char *joined = malloc(n), *out = malloc(n);
	if (!joined || !out) {
		free(joined);
		free(out);
		return NULL;
	}
	snprintf(joined, n, "%s/%s", path[0] == '/' ? "" : cwd, path);
	size_t len = 0;
	for (char *p = joined; *p;) {
		size_t seg = strcspn(p, "/");
		if (seg == 2 && p[0] == '.' && p[1] == '.') {
			while (len && out[len - 1] != '/')
				len--;
			len -= len > 0; /* the slash before it */
		} else if (seg && !(seg == 1 && p[0] == '.')) {
			out[len++] = '/';
			memcpy(out + len, p, seg);
			len += seg;
		}
		p += seg + (p[seg] == '/');
	}
	if (!len)
		out[len++] = '/';
	out[len] = '\0';
	free(joined);
	return out;
}

/* What c->show may stand for, in the order tried (above), into keys[],
 * some of them malloc'd into owned[]; returns how many. */
static size_t candidates(const char *arg, const char *keys[3], char *owned[2], bool *nomem)
{
	if (strstr(arg, "://")) {
		keys[0] = arg;
		return 1;
	}
	size_t n = 0;
	errno = 0;
	if ((owned[0] = absolute(arg)))
		keys[n++] = owned[0];
	else
		*nomem = errno == ENOMEM; /* else no working folder: a URL, then */
	if (n && (owned[1] = realpath(owned[0], NULL)) && strcmp(owned[1], owned[0]) != 0)
		keys[n++] = owned[1];
	if (arg[0] != '/')
		keys[n++] = arg;
	return n;
}

int show(const cli *c, newsgrep_db_t *db, const print_opts *po)
{
	const char *keys[3];
	char *owned[2] = {NULL, NULL};
	bool nomem = false;
	size_t n = candidates(c->show, keys, owned, &nomem);
	newsgrep_article_t *a = NULL;
	newsgrep_status_t st = NEWSGREP_DONE;
	/* (The first's message says what was not found.) */
	char first[1100] = "";
	for (size_t i = 0; i < n && st == NEWSGREP_DONE; i++) {
		st = newsgrep_article(&a, db, keys[i]);
		if (st == NEWSGREP_DONE && !i)
			snprintf(first, sizeof(first), "%s", newsgrep_db_errmsg(db));
	}
	int status = EXIT_MATCH;
	if (nomem && st == NEWSGREP_DONE) {
		status = report(NEWSGREP_NOMEM, "out of memory");
	} else if (st == NEWSGREP_DONE) {
		safetext_line(stderr, "newsgrep: %s", first);
		status = EXIT_NO_MATCH;
	} else if (st != NEWSGREP_OK) {
		status = report(st, newsgrep_db_errmsg(db));
	} else if (c->json) {
		print_json_article(stdout, a);
	} else {
		print_show_article(stdout, a, po);
	}
	newsgrep_article_free(a);
	free(owned[0]);
	free(owned[1]);
	return status;
}
