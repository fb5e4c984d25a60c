/*
 * roots.c - the folders an index covers, kept in its metadata.
 *
 * Stored as absolute paths, one per line.  The set never holds a folder
 * and another inside it: adding a folder inside a root changes nothing,
 * and adding one around roots replaces them, so no file is walked twice.
 *
 * Beside them (NG_META_ROOTS_ADDED), the paths a root was added by where
 * they differ from it: through a symbolic link, absolute but not resolved,
 * so that --forget still knows them once the link is gone or leads
 * elsewhere.  Pairs of lines, the root then the path; a path is the
 * added-by path of one root at most, the last one it was added as.  An
 * index from before the key simply knows none.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "ng.h"

bool ng_path_under(const char *path, size_t len, const char *root)
{
	size_t n = strlen(root);
	if (n == 1 && root[0] == '/')
		return len > 0 && path[0] == '/';
	return len >= n && memcmp(path, root, n) == 0 && (len == n || path[n] == '/');
}

bool ng_folder_term(const char *folder, size_t len, ng_buf *out)
{
	size_t plen = strlen(NG_PREFIX_FOLDER);
	out->len = 0;
	/* Xapian's limit is 245 bytes. */
	if (plen + len <= 240)
		return ng_buf_append(out, NG_PREFIX_FOLDER, plen) &&
		       ng_buf_append(out, folder, len);
	XXH128_hash_t h = XXH3_128bits(folder, len);
	char hex[40];
	snprintf(hex, sizeof(hex), "#%016llx%016llx", (unsigned long long)h.high64,
	         (unsigned long long)h.low64);
	return ng_buf_append(out, NG_PREFIX_FOLDER, plen) && ng_buf_append(out, folder, 160) &&
	       ng_buf_append(out, hex, strlen(hex));
}

size_t ng_path_tidy(char *p, size_t len)
{
	bool abs = len && p[0] == '/';
	size_t base = abs ? 1 : 0; /* where the parts start */
	size_t w = base;           /* p[0..w) is the tidy path so far */
	size_t r = 0;
	while (r < len) {
		while (r < len && p[r] == '/')
			r++;
		size_t e = r;
		while (e < len && p[e] != '/')
			e++;
		size_t n = e - r;
		if (n == 0)
			break;
		if (n == 1 && p[r] == '.') {
			r = e;
			continue;
		}
		if (n == 2 && p[r] == '.' && p[r + 1] == '.') {
			size_t last = w; /* the start of the last part kept */
			while (last > base && p[last - 1] != '/')
				last--;
			bool up = w - last == 2 && p[last] == '.' && p[last + 1] == '.';
			if (w > base && !up) {
				w = last > base ? last - 1 : base;
				r = e;
				continue;
			}
			if (abs) { /* "/.." is "/" */
				r = e;
				continue;
			}
		}
		/* Output never runs ahead of input: w <= r. */
		if (w > base)
			p[w++] = '/';
		memmove(p + w, p + r, n);
		w += n;
		r = e;
	}
	return w;
}

void ng_roots_release(ng_roots *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->v[i]);
	free(r->v);
	r->v = NULL;
	r->n = 0;
}

static bool push(ng_roots *r, const char *s, size_t len)
{
	char **v = realloc(r->v, (r->n + 1) * sizeof(*v));
	if (!v)
		return false;
	r->v = v;
	if (!(v[r->n] = malloc(len + 1)))
		return false;
	memcpy(v[r->n], s, len);
	v[r->n++][len] = '\0';
	return true;
}

bool ng_roots_parse(const char *text, ng_roots *out)
{
	out->v = NULL;
	out->n = 0;
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (len && !push(out, p, len)) {
			ng_roots_release(out);
			return false;
		}
		p += len + (nl != NULL);
	}
	return true;
}

bool ng_roots_format(const ng_roots *r, ng_buf *out)
{
	out->len = 0;
	for (size_t i = 0; i < r->n; i++)
		if (!ng_buf_append(out, r->v[i], strlen(r->v[i])) || !ng_buf_append(out, "\n", 1))
			return false;
	return ng_buf_append(out, "", 1);
}

newsgrep_status_t ng_roots_add(ng_roots *r, const char *root, bool *changed)
{
	bool ignored;
	changed = changed ? changed : &ignored;
	*changed = false;
	for (size_t i = 0; i < r->n; i++)
		if (ng_path_under(root, strlen(root), r->v[i]))
			return NEWSGREP_OK; /* already covered */
	/* Drop the roots the new one covers. */
	size_t kept = 0;
	for (size_t i = 0; i < r->n; i++) {
		if (ng_path_under(r->v[i], strlen(r->v[i]), root))
			free(r->v[i]);
		else
			r->v[kept++] = r->v[i];
	}
	r->n = kept;
	if (!push(r, root, strlen(root)))
		return NEWSGREP_NOMEM;
	*changed = true;
	return NEWSGREP_OK;
}

bool ng_roots_remove(ng_roots *r, const char *root)
{
	for (size_t i = 0; i < r->n; i++) {
		if (strcmp(r->v[i], root) == 0) {
			free(r->v[i]);
			memmove(&r->v[i], &r->v[i + 1], (r->n - i - 1) * sizeof(r->v[0]));
			r->n--;
			return true;
		}
	}
	return false;
}

/* Removes the pair at v[i], v[i + 1]. */
static void drop_pair(ng_roots *added, size_t i)
{
	free(added->v[i]);
	free(added->v[i + 1]);
	memmove(&added->v[i], &added->v[i + 2], (added->n - i - 2) * sizeof(added->v[0]));
	added->n -= 2;
}

newsgrep_status_t ng_added_note(ng_roots *added, const char *root, const char *path, bool *changed)
{
	*changed = false;
	for (size_t i = 0; i + 1 < added->n;) {
		if (strcmp(added->v[i + 1], path) != 0) {
			i += 2;
			continue;
		}
		if (strcmp(added->v[i], root) == 0)
			return NEWSGREP_OK; /* known already */
		drop_pair(added, i);
		*changed = true;
	}
	if (strcmp(root, path) == 0 || strchr(path, '\n'))
		return NEWSGREP_OK;
	if (!push(added, root, strlen(root)))
		return NEWSGREP_NOMEM;
	if (!push(added, path, strlen(path))) {
		free(added->v[--added->n]);
		return NEWSGREP_NOMEM;
	}
	*changed = true;
	return NEWSGREP_OK;
}

const char *ng_added_root(const ng_roots *added, const char *path)
{
	for (size_t i = 0; i + 1 < added->n; i += 2)
		if (strcmp(added->v[i + 1], path) == 0)
			return added->v[i];
	return NULL;
}

bool ng_added_format(const ng_roots *added, const ng_roots *roots, ng_buf *out)
{
	out->len = 0;
	for (size_t i = 0; i + 1 < added->n; i += 2) {
		bool kept = false;
		for (size_t r = 0; r < roots->n && !kept; r++)
			kept = strcmp(roots->v[r], added->v[i]) == 0;
		if (kept && !(ng_buf_append(out, added->v[i], strlen(added->v[i])) &&
		              ng_buf_append(out, "\n", 1) &&
		              ng_buf_append(out, added->v[i + 1], strlen(added->v[i + 1])) &&
		              ng_buf_append(out, "\n", 1)))
			return false;
	}
	return ng_buf_append(out, "", 1);
}

bool ng_path_join(char *out, size_t cap, const char *dir, const char *name)
{
	int n = cap ? snprintf(out, cap, "%s/%s", dir, name) : -1;
	if (n >= 0 && (size_t)n < cap && n < PATH_MAX)
		return true;
	if (cap)
		out[0] = '\0';
	errno = ENAMETOOLONG;
	return false;
}
