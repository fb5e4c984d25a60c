/*
 * set.c - several indexes searched as one (newsgrep_db_open_set).
 *
 * Each member is an ordinary reader handle of its own index folder, opened
 * and checked as newsgrep_db_open opens one: newsgrep reads its stub, and
 * Xapian only ever gets a member's db.N.  The set's own database (db->x)
 * joins the members' (Xapian's add_database, ngx_db_join), so a search
 * ranks with the statistics of them all and collapses duplicate URLs
 * across them.
 *
 * Through a joined database Xapian reads only the first member's metadata:
 * what core keeps in metadata is read here from each member (the roots),
 * and what it records about the format is checked to agree (check_members)
 * and kept on the set's handle.  A refresh refreshes each member (which
 * reopens one that was rebuilt) and joins them again.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ng.h"
#include "ngx.h"

/* The format a member's flags stand for, for messages. */
static const char *format_of(const newsgrep_db_t *m)
{
	return m->folder_terms ? NG_FORMAT_VERSION
	       : m->date_terms ? NG_FORMAT_TEXT_RULES_1
	                       : NG_FORMAT_NO_DATE_TERMS;
}

/* The failure `status` of the member at `path`, whose message is `msg`,
 * as the set's: its message names the member. */
static newsgrep_status_t member_failed(newsgrep_db_t *db, const char *path, const char *msg,
                                       newsgrep_status_t status)
{
	if (strstr(msg, path))
		ng_msg_set(db->errmsg, sizeof(db->errmsg), "%s", msg);
	else
		ng_msg_set(db->errmsg, sizeof(db->errmsg), "index at '%s': %s", path, msg);
	return status;
}

/* Every member was made by the same rules as the first (searched by one
 * query, they must agree); the set takes them. */
static newsgrep_status_t check_members(newsgrep_db_t *db)
{
	const newsgrep_db_t *first = db->members[0];
	for (size_t i = 1; i < db->nmembers; i++) {
		const newsgrep_db_t *m = db->members[i];
		if (m->text_rules == first->text_rules && m->date_terms == first->date_terms &&
		    m->folder_terms == first->folder_terms)
			continue;
		ng_msg_set(db->errmsg, sizeof(db->errmsg),
		           "index at '%s' (format %s) cannot be searched with the index at '%s' "
		           "(format %s): the indexes searched together must be of one format "
		           "(rebuild the older with newsgrep-index --rebuild)",
		           m->path, format_of(m), first->path, format_of(first));
		return NEWSGREP_INDEX_VERSION;
	}
	db->text_rules = first->text_rules;
	db->date_terms = first->date_terms;
	db->folder_terms = first->folder_terms;
	if (db->tok)
		ng_tokenizer_set_rules(db->tok, db->text_rules);
	return NEWSGREP_OK;
}

/* The set's database: the members' joined anew. */
static newsgrep_status_t join(newsgrep_db_t *db)
{
	ngx_db **parts = malloc(db->nmembers * sizeof(*parts));
	if (!parts)
		return ng_db_fail(db, NEWSGREP_NOMEM, "out of memory", NULL);
	for (size_t i = 0; i < db->nmembers; i++)
		parts[i] = db->members[i]->x;
	ngx_error err;
	ngx_db *joined;
	ngx_code rc = ngx_db_join(&joined, parts, db->nmembers, &err);
	free(parts);
	if (rc != NGX_OK)
		return ng_db_fail(db, ng_status_from_ngx(rc), "cannot open the indexes as one",
		                  err.message);
	ngx_db_close(db->x, &err); /* (a reader's close cannot fail) */
	db->x = joined;
	return NEWSGREP_OK;
}

newsgrep_status_t ng_set_refresh(newsgrep_db_t *db)
{
	for (size_t i = 0; i < db->nmembers; i++) {
		newsgrep_status_t st = ng_db_refresh(db->members[i]);
		if (st != NEWSGREP_OK)
			return member_failed(db, db->members[i]->path, db->members[i]->errmsg, st);
	}
	newsgrep_status_t st = check_members(db);
	return st == NEWSGREP_OK ? join(db) : st;
}

/* Two members that are one index folder would count each article twice. */
static newsgrep_status_t check_distinct(newsgrep_db_t *db)
{
	struct stat a, b;
	for (size_t i = 1; i < db->nmembers; i++) {
		if (stat(db->members[i]->path, &a) != 0)
			continue;
		for (size_t j = 0; j < i; j++) {
			if (stat(db->members[j]->path, &b) != 0 || a.st_dev != b.st_dev ||
			    a.st_ino != b.st_ino)
				continue;
			ng_msg_set(db->errmsg, sizeof(db->errmsg),
			           "'%s' and '%s' are the same index: name it once",
			           db->members[j]->path, db->members[i]->path);
			return NEWSGREP_INVALID_ARG;
		}
	}
	return NEWSGREP_OK;
}

static newsgrep_status_t open_members(newsgrep_db_t *db, const char *const *paths,
                                      const newsgrep_open_options_t *opts)
{
	for (size_t i = 0; i < db->nmembers; i++) {
		char *msg = NULL;
		newsgrep_status_t st =
		    newsgrep_db_open(&db->members[i], paths[i], NEWSGREP_DB_READ, opts, &msg);
		if (st != NEWSGREP_OK) {
			member_failed(db, paths[i], msg ? msg : newsgrep_status_string(st), st);
			newsgrep_free(msg);
			return st;
		}
	}
	newsgrep_status_t st = check_distinct(db);
	if (st == NEWSGREP_OK)
		st = check_members(db);
	return st == NEWSGREP_OK ? join(db) : st;
}

newsgrep_status_t newsgrep_db_open_set(newsgrep_db_t **out, const char *const *paths, size_t npaths,
                                       const newsgrep_open_options_t *opts, char **errmsg)
{
	if (errmsg)
		*errmsg = NULL;
	if (!out)
		return NEWSGREP_INVALID_ARG;
	*out = NULL;
	if (paths && npaths == 1) /* exactly that, its messages too */
		return newsgrep_db_open(out, paths[0], NEWSGREP_DB_READ, opts, errmsg);
	bool valid = paths && npaths > 0;
	for (size_t i = 0; valid && i < npaths; i++)
		valid = paths[i] && *paths[i];
	if (!valid) {
		if (errmsg)
			*errmsg = strdup("invalid list of index paths");
		return NEWSGREP_INVALID_ARG;
	}
	newsgrep_open_options_t o;
	newsgrep_status_t st = ng_open_options_read(&o, opts, errmsg);
	if (st != NEWSGREP_OK)
		return st;
	newsgrep_db_t *db = calloc(1, sizeof(*db));
	if (db) {
		db->mode = NEWSGREP_DB_READ;
		db->nmembers = npaths;
		db->members = calloc(npaths, sizeof(*db->members));
		/* The set's path is its first member's, for what names one
		 * index; what the set says names the member concerned. */
		db->path = strdup(paths[0]);
	}
	if (!db || !db->members || !db->path) {
		newsgrep_db_close(db);
		if (errmsg)
			*errmsg = strdup("out of memory");
		return NEWSGREP_NOMEM;
	}
	st = open_members(db, paths, &o);
	if (st != NEWSGREP_OK) {
		if (errmsg)
			*errmsg = strdup(db->errmsg);
		newsgrep_db_close(db);
		return st;
	}
	*out = db;
	return NEWSGREP_OK;
}

/* Adds the roots in `text` not yet in *all. */
static bool add_roots(ng_roots *all, const char *text)
{
	ng_roots r;
	if (!ng_roots_parse(text, &r))
		return false;
	bool ok = true;
	for (size_t i = 0; ok && i < r.n; i++) {
		bool known = false;
		for (size_t j = 0; !known && j < all->n; j++)
			known = strcmp(all->v[j], r.v[i]) == 0;
		if (known)
			continue;
		char **v = realloc(all->v, (all->n + 1) * sizeof(*v));
		if (!(ok = v != NULL))
			break;
		all->v = v;
		all->v[all->n++] = r.v[i];
		r.v[i] = NULL;
	}
	ng_roots_release(&r);
	return ok;
}

int ng_db_read_roots(newsgrep_db_t *db, ng_roots *out, ngx_error *err)
{
	*out = (ng_roots){0};
	size_t n = db->members ? db->nmembers : 1;
	for (size_t i = 0; i < n; i++) {
		ngx_db *x = db->members ? db->members[i]->x : db->x;
		char *text = NULL;
		if (ngx_db_get_metadata(x, NG_META_ROOTS, &text, err) != NGX_OK) {
			ng_roots_release(out);
			return err->code;
		}
		bool ok = add_roots(out, text);
		free(text);
		if (!ok) {
			ng_roots_release(out);
			err->code = NGX_ERR_NOMEM;
			snprintf(err->message, sizeof(err->message), "out of memory");
			return NGX_ERR_NOMEM;
		}
	}
	return NGX_OK;
}
