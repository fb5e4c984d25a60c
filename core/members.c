/*
 * members.c - what each name given for a set of indexes stands for.
 *
 * A name is an index folder, a set file, or HOST:PORT, a xapian-tcpsrv
 * serving an index.  What exists on disk decides first: a folder is an
 * index, a regular file a set file; a name that is neither and reads as
 * HOST:PORT is a server (so a folder called "news:2024" is still that
 * folder, and "./host:1" can always name one).
 *
 * A set file starts with the line "# newsgrep set" (so that no other file
 * is ever read as one, nor its lines quoted in a message) and lists
 * members, one a line: an index folder (relative to the set file's folder)
 * or HOST:PORT, a server's with its own timeouts:
 *
 *     # newsgrep set
 *     # the archive and this year's articles, served by two machines
 *     /srv/news/archive
 *     127.0.0.1:7001  timeout=2  connect-timeout=0.5
 *
 * '#' starts a comment; blank lines are ignored.  A set file names no
 * other set file (so none can include itself).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ng.h"

/* A set file is a short list: one longer than this is not one. */
#define SET_FILE_MAX (64 * 1024)
/* The longest timeout a set file may ask for, in seconds. */
#define TIMEOUT_MAX 3600.0

void ng_members_release(ng_members *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->v[i].name);
		free(m->v[i].host);
	}
	free(m->v);
	*m = (ng_members){0};
}

bool ng_member_remote_parse(const char *text, char *host, size_t cap, unsigned *port)
{
	const char *colon = strrchr(text, ':');
	if (!colon || colon == text || !colon[1])
		return false;
	const char *h = text, *hend = colon;
	if (*h == '[') { /* [IPv6]:PORT */
		if (hend[-1] != ']' || hend - h < 3)
			return false;
		h++, hend--;
	} else if (memchr(h, ':', (size_t)(hend - h))) {
		return false; /* a bare IPv6 address is ambiguous: bracket it */
	}
	for (const char *c = h; c < hend; c++)
		if (!(isalnum((unsigned char)*c) || strchr(".-_:", *c)))
			return false;
	unsigned long p = 0;
	for (const char *c = colon + 1; *c; c++) {
		if (!isdigit((unsigned char)*c) || (p = p * 10 + (unsigned)(*c - '0')) > 65535)
			return false;
	}
	if (p == 0 || (size_t)(hend - h) >= cap)
		return false;
	memcpy(host, h, (size_t)(hend - h));
	host[hend - h] = '\0';
	*port = (unsigned)p;
	return true;
}

static bool push(ng_members *m, const ng_member *member, ng_error *err)
{
	ng_member *v = realloc(m->v, (m->n + 1) * sizeof(*v));
	if (!v)
		return ng_error_nomem(err), false;
	m->v = v;
	m->v[m->n++] = *member;
	return true;
}

/* Whether the regular file `path` starts with NG_SET_FILE_HEADER. */
static bool is_set_file(const char *path)
{
	char line[sizeof(NG_SET_FILE_HEADER) + 1];
	FILE *f = fopen(path, "r");
	if (!f)
		return true; /* reading it says why it cannot be read */
	size_t n = fread(line, 1, sizeof(line) - 1, f);
	fclose(f);
	size_t want = sizeof(NG_SET_FILE_HEADER) - 1;
	return n >= want && memcmp(line, NG_SET_FILE_HEADER, want) == 0 &&
	       (n == want || line[want] == '\n' || line[want] == '\r' || line[want] == ' ');
}

/* Adds the member `name` (a folder or HOST:PORT): *isfile says it is a
 * set file instead, which is not added (any other file is added as a
 * folder, which opening it will say it is not). */
static bool add_name(ng_members *m, const char *name, unsigned timeout_ms, unsigned connect_ms,
                     bool *isfile, ng_error *err)
{
	struct stat st;
	bool exists = stat(name, &st) == 0;
	*isfile = exists && S_ISREG(st.st_mode) && is_set_file(name);
	if (*isfile)
		return true;
	char host[256];
	ng_member member = {.timeout_ms = timeout_ms, .connect_ms = connect_ms};
	if (!exists && ng_member_remote_parse(name, host, sizeof(host), &member.port)) {
		member.remote = true;
		if (!(member.host = strdup(host)))
			return ng_error_nomem(err), false;
	}
	if (!(member.name = strdup(name))) {
		free(member.host);
		return ng_error_nomem(err), false;
	}
	if (!push(m, &member, err)) {
		free(member.name);
		free(member.host);
		return false;
	}
	return true;
}

/* "timeout=SECONDS" or "connect-timeout=SECONDS" at word[0..len) into
 * *ms; false when it is neither, or the number is not one. */
static bool read_timeout(const char *word, size_t len, const char *key, unsigned *ms)
{
	size_t klen = strlen(key);
	if (len <= klen + 1 || strncmp(word, key, klen) != 0 || word[klen] != '=')
		return false;
	char num[32];
	if (len - klen - 1 >= sizeof(num))
		return false;
	memcpy(num, word + klen + 1, len - klen - 1);
	num[len - klen - 1] = '\0';
	char *end;
	errno = 0;
	double s = strtod(num, &end);
	if (*end || errno || !(s > 0) || s > TIMEOUT_MAX || !isdigit((unsigned char)num[0]))
		return false;
	*ms = (unsigned)ceil(s * 1000);
	return true;
}

/* Reads one line of a set file (NUL-terminated, comment removed). */
static bool set_file_line(ng_members *m, const char *file, const char *dir, unsigned lineno,
                          char *line, ng_error *err)
{
	char *words[4];
	size_t nwords = 0;
	for (char *p = line; *p;) {
		while (*p == ' ' || *p == '\t' || *p == '\r')
			p++;
		if (!*p)
			break;
		if (nwords == 3)
			return ng_error_set(err, NEWSGREP_INVALID_ARG,
			                    "set file '%s', line %u: too many words (a member and "
			                    "at most timeout=SECONDS and connect-timeout=SECONDS)",
			                    file, lineno),
			       false;
		words[nwords++] = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\r')
			p++;
		if (*p)
			*p++ = '\0';
	}
	if (nwords == 0)
		return true;
	unsigned timeout_ms = NG_REMOTE_TIMEOUT_MS, connect_ms = NG_REMOTE_CONNECT_MS;
	for (size_t i = 1; i < nwords; i++) {
		size_t len = strlen(words[i]);
		if (!read_timeout(words[i], len, "timeout", &timeout_ms) &&
		    !read_timeout(words[i], len, "connect-timeout", &connect_ms))
			return ng_error_set(err, NEWSGREP_INVALID_ARG,
			                    "set file '%s', line %u, column %zu: '%s' is not "
			                    "timeout=SECONDS or connect-timeout=SECONDS (seconds "
			                    "above 0, at most %.0f)",
			                    file, lineno, (size_t)(words[i] - line) + 1, words[i],
			                    TIMEOUT_MAX),
			       false;
	}
	/* A relative folder is the set file's neighbour. */
	char path[PATH_MAX];
	const char *name = words[0];
	char host[256];
	unsigned port;
	struct stat st;
	if (name[0] != '/') {
		if (!ng_path_join(path, sizeof(path), dir, name))
			return ng_error_too_long(err, dir, name), false;
		if (stat(path, &st) == 0 ||
		    !ng_member_remote_parse(name, host, sizeof(host), &port))
			name = path;
	}
	size_t before = m->n;
	bool isfile;
	if (!add_name(m, name, timeout_ms, connect_ms, &isfile, err))
		return false;
	if (isfile)
		return ng_error_set(err, NEWSGREP_INVALID_ARG,
		                    "set file '%s', line %u: '%s' is a set file: a set file lists "
		                    "index folders and HOST:PORT servers, not other set files",
		                    file, lineno, words[0]),
		       false;
	if (nwords > 1 && !m->v[before].remote)
		return ng_error_set(err, NEWSGREP_INVALID_ARG,
		                    "set file '%s', line %u: timeouts are for a HOST:PORT server, "
		                    "and '%s' is an index folder",
		                    file, lineno, words[0]),
		       false;
	return true;
}

/* Adds the members set file `file` lists. */
static bool read_set_file(ng_members *m, const char *file, ng_error *err)
{
	FILE *f = fopen(file, "r");
	if (!f)
		return ng_error_set(err, errno == EACCES ? NEWSGREP_PERMISSION : NEWSGREP_IO,
		                    "cannot read set file '%s': %s", file, strerror(errno)),
		       false;
	char *text = malloc(SET_FILE_MAX + 1);
	size_t len = text ? fread(text, 1, SET_FILE_MAX + 1, f) : 0;
	bool failed = text && ferror(f);
	fclose(f);
	if (!text)
		return ng_error_nomem(err), false;
	if (failed || len > SET_FILE_MAX || memchr(text, '\0', len)) {
		ng_error_set(err, failed ? NEWSGREP_IO : NEWSGREP_INVALID_ARG,
		             failed ? "cannot read set file '%s'"
		                    : "'%s' is not a set file: a set file is a short text (at "
		                      "most 64 KiB), a member a line",
		             file);
		free(text);
		return false;
	}
	text[len] = '\0';
	char dir[PATH_MAX];
	const char *slash = strrchr(file, '/');
	if (!slash)
		snprintf(dir, sizeof(dir), ".");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(slash == file ? 1 : slash - file), file);
	size_t before = m->n;
	bool ok = true;
	unsigned lineno = 1;
	for (char *line = text, *next; ok && line; line = next, lineno++) {
		if ((next = strchr(line, '\n')))
			*next++ = '\0';
		char *hash = strchr(line, '#');
		if (hash)
			*hash = '\0';
		ok = set_file_line(m, file, dir, lineno, line, err);
	}
	free(text);
	if (ok && m->n == before)
		return ng_error_set(err, NEWSGREP_INVALID_ARG, "set file '%s' names no index",
		                    file),
		       false;
	return ok;
}

newsgrep_status_t ng_members_parse(ng_members *out, const char *const *names, size_t n,
                                   ng_error *err)
{
	*out = (ng_members){0};
	for (size_t i = 0; i < n; i++) {
		bool isfile;
		if (!add_name(out, names[i], NG_REMOTE_TIMEOUT_MS, NG_REMOTE_CONNECT_MS, &isfile,
		              err) ||
		    (isfile && !read_set_file(out, names[i], err))) {
			ng_members_release(out);
			return err->status;
		}
	}
	return NEWSGREP_OK;
}
