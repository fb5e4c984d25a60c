/*
 * db.c - finding, opening and checking an index.
 *
 * An index records the format and tokenizer that made it.  A reader refuses
 * an index whose terms were made differently (its searches would silently
 * miss), and a writer refuses to mix new documents into one.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ng.h"
#include "ngx.h"

newsgrep_status_t newsgrep_default_db_path(char **out)
{
	if (!out)
		return NEWSGREP_INVALID_ARG;
	*out = NULL;
	const char *env = getenv("NEWSGREP_DB");
	const char *xdg = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");
	const char *base, *tail;
	if (env && *env) {
		base = env;
		tail = "";
	} else if (xdg && *xdg) {
		base = xdg;
		tail = "/newsgrep";
	} else if (home && *home) {
		base = home;
		tail = "/.local/share/newsgrep";
	} else {
		return NEWSGREP_INVALID_ARG;
	}
	size_t n = strlen(base) + strlen(tail) + 1;
	*out = malloc(n);
	if (!*out)
		return NEWSGREP_NOMEM;
	snprintf(*out, n, "%s%s", base, tail);
	return NEWSGREP_OK;
}

newsgrep_status_t ng_status_from_ngx(int code)
{
	switch ((ngx_code)code) {
	case NGX_OK:
		return NEWSGREP_OK;
	case NGX_ERR_NOT_FOUND:
		return NEWSGREP_NO_INDEX;
	case NGX_ERR_OPENING:
		return NEWSGREP_CORRUPT;
	case NGX_ERR_VERSION:
		return NEWSGREP_INDEX_VERSION;
	case NGX_ERR_LOCK:
		return NEWSGREP_LOCKED;
	case NGX_ERR_MODIFIED:
		return NEWSGREP_INDEX_CHANGED;
	case NGX_ERR_CORRUPT:
		return NEWSGREP_CORRUPT;
	case NGX_ERR_DATABASE:
		return NEWSGREP_IO;
	case NGX_ERR_INVALID:
		return NEWSGREP_INVALID_ARG;
	case NGX_ERR_NOMEM:
		return NEWSGREP_NOMEM;
	case NGX_ERR_OTHER:
		return NEWSGREP_BACKEND;
	case NGX_ERR_WILDCARD:
		return NEWSGREP_BAD_QUERY;
	}
	return NEWSGREP_INTERNAL;
}

newsgrep_status_t ng_db_fail(newsgrep_db_t *db, newsgrep_status_t status, const char *what,
                             const char *detail)
{
	if (detail && *detail)
		ng_msg_set(db->errmsg, sizeof(db->errmsg), "%s: %s", what, detail);
	else
		ng_msg_set(db->errmsg, sizeof(db->errmsg), "%s", what);
	return status;
}

/* mkdir -p of the folders above `path`, so a first index can be made at
 * the default location on a new account. */
static int make_parents(const char *path)
{
	char *copy = strdup(path);
	if (!copy)
		return ENOMEM;
	int err = 0;
	for (char *p = copy + 1; *p && !err; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(copy, 0777) != 0 && errno != EEXIST)
			err = errno;
		*p = '/';
	}
	free(copy);
	return err;
}

/* Checks the index's recorded format; a fresh writer's index gets ours. */
static newsgrep_status_t check_format(newsgrep_db_t *db, bool writer)
{
	ngx_error err;
	char *format = NULL, *tokenizer = NULL;
	char what[1200];
	newsgrep_status_t st = NEWSGREP_OK;
	if (ngx_db_get_metadata(db->x, NG_META_FORMAT, &format, &err) ||
	    ngx_db_get_metadata(db->x, NG_META_TOKENIZER, &tokenizer, &err)) {
		snprintf(what, sizeof(what), "cannot read index at '%s'", db->path);
		st = ng_db_fail(db, ng_status_from_ngx(err.code), what, err.message);
		goto out;
	}
	uint64_t docs = 0;
	if (!*format && ngx_db_doccount(db->x, &docs, &err) == NGX_OK && docs == 0) {
		if (writer) {
			if (ngx_db_set_metadata(db->x, NG_META_FORMAT, NG_FORMAT_VERSION, &err) ||
			    ngx_db_set_metadata(db->x, NG_META_TOKENIZER, NG_TOKENIZER_ID, &err)) {
				snprintf(what, sizeof(what), "cannot write index at '%s'",
				         db->path);
				st =
				    ng_db_fail(db, ng_status_from_ngx(err.code), what, err.message);
			}
		} else {
			snprintf(what, sizeof(what),
			         "index at '%s' is empty: run newsgrep-index DIR first", db->path);
			st = ng_db_fail(db, NEWSGREP_NO_INDEX, what, NULL);
		}
		goto out;
	}
	if (strcmp(format, NG_FORMAT_VERSION) != 0 || strcmp(tokenizer, NG_TOKENIZER_ID) != 0) {
		snprintf(what, sizeof(what),
		         "index at '%s' was made by another version of newsgrep (format '%s', "
		         "tokenizer '%s'; this one uses format '%s', tokenizer '%s'): delete it "
		         "and run newsgrep-index DIR again",
		         db->path, format, tokenizer, NG_FORMAT_VERSION, NG_TOKENIZER_ID);
		st = ng_db_fail(db, NEWSGREP_INDEX_VERSION, what, NULL);
	}
out:
	free(format);
	free(tokenizer);
	return st;
}

static newsgrep_status_t open_backend(newsgrep_db_t *db)
{
	ngx_error err;
	char what[1200];
	if (db->mode == NEWSGREP_DB_READ) {
		struct stat st;
		if (stat(db->path, &st) != 0 && errno == ENOENT) {
			snprintf(what, sizeof(what),
			         "no index at '%s': run newsgrep-index DIR first", db->path);
			return ng_db_fail(db, NEWSGREP_NO_INDEX, what, NULL);
		}
		if (ngx_db_open_read(&db->x, db->path, &err) == NGX_OK)
			return NEWSGREP_OK;
		newsgrep_status_t status = ng_status_from_ngx(err.code);
		if (status == NEWSGREP_NO_INDEX)
			snprintf(what, sizeof(what),
			         "no index at '%s': run newsgrep-index DIR first", db->path);
		else
			snprintf(what, sizeof(what), "cannot open index at '%s'", db->path);
		return ng_db_fail(db, status, what,
		                  status == NEWSGREP_NO_INDEX ? NULL : err.message);
	}

	int perr = make_parents(db->path);
	if (perr) {
		snprintf(what, sizeof(what), "cannot create the folders for '%s'", db->path);
		return ng_db_fail(db, perr == ENOMEM ? NEWSGREP_NOMEM : NEWSGREP_IO, what,
		                  strerror(perr));
	}
	if (ngx_db_open_write(&db->x, db->path, &err) == NGX_OK)
		return NEWSGREP_OK;
	newsgrep_status_t status = ng_status_from_ngx(err.code);
	if (status == NEWSGREP_LOCKED)
		snprintf(what, sizeof(what),
		         "index at '%s' is locked: another newsgrep-index is writing to it",
		         db->path);
	else
		snprintf(what, sizeof(what), "cannot open index at '%s' for writing", db->path);
	return ng_db_fail(db, status == NEWSGREP_NO_INDEX ? NEWSGREP_IO : status, what,
	                  status == NEWSGREP_LOCKED ? NULL : err.message);
}

newsgrep_status_t newsgrep_db_open(newsgrep_db_t **out, const char *path, newsgrep_db_mode_t mode,
                                   char **errmsg)
{
	if (errmsg)
		*errmsg = NULL;
	if (!out)
		return NEWSGREP_INVALID_ARG;
	*out = NULL;
	newsgrep_status_t st = NEWSGREP_OK;
	newsgrep_db_t *db = calloc(1, sizeof(*db));
	if (!db || !path || !*path || (mode != NEWSGREP_DB_READ && mode != NEWSGREP_DB_WRITE)) {
		st = db ? NEWSGREP_INVALID_ARG : NEWSGREP_NOMEM;
		if (errmsg)
			*errmsg = strdup(db ? "invalid index path or mode" : "out of memory");
		free(db);
		return st;
	}
	db->mode = mode;
	db->path = strdup(path);
	if (!db->path) {
		st = ng_db_fail(db, NEWSGREP_NOMEM, "out of memory", NULL);
	} else {
		st = open_backend(db);
		if (st == NEWSGREP_OK)
			st = check_format(db, mode == NEWSGREP_DB_WRITE);
	}
	if (st != NEWSGREP_OK) {
		if (errmsg)
			*errmsg = strdup(db->errmsg);
		newsgrep_db_close(db);
		return st;
	}
	*out = db;
	return NEWSGREP_OK;
}

void newsgrep_db_close(newsgrep_db_t *db)
{
	if (!db)
		return;
	ngx_error err;
	ngx_db_close(db->x, &err);
	ngx_stemmer_free(db->stemmer);
	ng_tokenizer_free(db->tok);
	free(db->path);
	free(db);
}

const char *newsgrep_db_errmsg(const newsgrep_db_t *db)
{
	return db ? db->errmsg : "no index handle";
}

newsgrep_status_t newsgrep_db_count(newsgrep_db_t *db, uint64_t *out)
{
	if (!db || !out)
		return NEWSGREP_INVALID_ARG;
	ngx_error err;
	if (ngx_db_doccount(db->x, out, &err) != NGX_OK)
		return ng_db_fail(db, ng_status_from_ngx(err.code), "cannot count documents",
		                  err.message);
	return NEWSGREP_OK;
}

/* The tokenizer and stemmer are made on first use: a reader that never
 * searches needs neither. */
newsgrep_status_t ng_db_text_tools(newsgrep_db_t *db)
{
	if (!db->tok && !(db->tok = ng_tokenizer_new()))
		return ng_db_fail(db, NEWSGREP_NOMEM, "out of memory", NULL);
	ngx_error err;
	if (!db->stemmer && ngx_stemmer_new(&db->stemmer, "english", &err) != NGX_OK)
		return ng_db_fail(db, ng_status_from_ngx(err.code), "cannot make the stemmer",
		                  err.message);
	return NEWSGREP_OK;
}
