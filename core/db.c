/*
 * db.c - finding, opening and checking an index.
 *
 * An index records the format and tokenizer that made it.  A reader refuses
 * an index whose terms were made differently (its searches would silently
 * miss), and a writer refuses to mix new documents into one.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

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
	case NGX_ERR_RESOURCE:
		return NEWSGREP_IO;
	case NGX_ERR_NOSPACE:
		return NEWSGREP_IO;
	case NGX_ERR_NETWORK:
		return NEWSGREP_UNREACHABLE;
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

newsgrep_status_t ng_db_denied(newsgrep_db_t *db, const char *refused)
{
	char what[9000];
	if (db->mode == NEWSGREP_DB_READ)
		snprintf(what, sizeof(what),
		         "permission denied reading '%s': the index must be readable by you "
		         "(its owner can run chmod -R a+rX '%s')",
		         refused, db->path);
	else
		snprintf(what, sizeof(what),
		         "permission denied writing '%s': update the index as the user who owns "
		         "it",
		         refused);
	return ng_db_fail(db, NEWSGREP_PERMISSION, what, NULL);
}

newsgrep_status_t ng_db_too_long(newsgrep_db_t *db, const char *dir, const char *name)
{
	/* The problem first: a path longer than the handle's message loses
	 * its end there, never what is wrong with it. */
	ng_msg_set(db->errmsg, sizeof(db->errmsg),
	           "path too long (%zu bytes; the system names at most %d): '%s/%s'",
	           strlen(dir) + 1 + strlen(name), PATH_MAX - 1, dir, name);
	errno = ENAMETOOLONG;
	return NEWSGREP_IO;
}

/* The index cannot be reached: names the folder above it that may not be
 * entered (the index's own permissions are not the problem). */
static newsgrep_status_t unreachable(newsgrep_db_t *db)
{
	char what[9000], *copy = strdup(db->path);
	if (!copy)
		return ng_db_fail(db, NEWSGREP_NOMEM, "out of memory", NULL);
	char *slash = copy[0] == '/' ? copy + 1 : copy;
	while ((slash = strchr(slash, '/')) != NULL) {
		*slash = '\0';
		if (faccessat(AT_FDCWD, copy, X_OK, AT_EACCESS) != 0 &&
		    (errno == EACCES || errno == EPERM))
			break;
		*slash++ = '/';
	}
	const char *verb = db->mode == NEWSGREP_DB_READ ? "reading" : "writing";
	if (slash)
		snprintf(what, sizeof(what),
		         "permission denied %s '%s': you may not enter the folder '%s' above it",
		         verb, db->path, copy);
	else
		snprintf(what, sizeof(what), "permission denied %s '%s'", verb, db->path);
	free(copy);
	return ng_db_fail(db, NEWSGREP_PERMISSION, what, NULL);
}

static newsgrep_status_t not_an_index(newsgrep_db_t *db, const char *why)
{
	char what[4400];
	snprintf(what, sizeof(what), "'%s' is not a newsgrep index (%s)", db->path, why);
	return ng_db_fail(db, NEWSGREP_NO_INDEX, what, NULL);
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
			db->date_terms = true;
			db->folder_terms = true;
			db->sequence = true;
			db->related_details = true;
			db->text_rules = NG_TEXT_RULES;
			char identity[40];
			if (!ng_identity_make(identity, sizeof(identity))) {
				snprintf(what, sizeof(what),
				         "cannot make an identity for the index at '%s': no random "
				         "bytes to be had",
				         db->path);
				st = ng_db_fail(db, NEWSGREP_IO, what, NULL);
			} else if (ngx_db_set_metadata(db->x, NG_META_FORMAT, NG_FORMAT_VERSION,
			                               &err) ||
			           ngx_db_set_metadata(db->x, NG_META_TOKENIZER, NG_TOKENIZER_ID,
			                               &err) ||
			           ngx_db_set_metadata(db->x, NG_META_IDENTITY, identity, &err)) {
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
	bool rules_2 = strcmp(tokenizer, NG_TOKENIZER_ID) == 0;
	bool current = strcmp(format, NG_FORMAT_VERSION) == 0 && rules_2;
	/* (Format 7: an update keeps writing records of version 2 into it.) */
	bool no_details = strcmp(format, NG_FORMAT_NO_RELATED_DETAILS) == 0 && rules_2;
	bool no_sequence = strcmp(format, NG_FORMAT_NO_SEQUENCE) == 0 && rules_2;
	bool rules_1 = (strcmp(format, NG_FORMAT_TEXT_RULES_1) == 0 ||
	                strcmp(format, NG_FORMAT_NO_DATE_TERMS) == 0) &&
	               strcmp(tokenizer, NG_TOKENIZER_ID_1) == 0;
	db->related_details = current;
	db->sequence = current || no_details;
	db->folder_terms = db->sequence || no_sequence;
	db->date_terms = db->folder_terms || strcmp(format, NG_FORMAT_TEXT_RULES_1) == 0;
	db->text_rules = db->folder_terms ? NG_TEXT_RULES : 1;
	if (db->tok)
		ng_tokenizer_set_rules(db->tok, db->text_rules);
	if (!current && !no_details && !no_sequence && !rules_1) {
		snprintf(what, sizeof(what),
		         "index at '%s' was made by another version of newsgrep (format '%s', "
		         "tokenizer '%s'; this one uses format '%s', tokenizer '%s'): rebuild it "
		         "with newsgrep-index --rebuild",
		         db->path, format, tokenizer, NG_FORMAT_VERSION, NG_TOKENIZER_ID);
		st = ng_db_fail(db, NEWSGREP_INDEX_VERSION, what, NULL);
	}
out:
	free(format);
	free(tokenizer);
	return st;
}

newsgrep_status_t ng_db_check_format(newsgrep_db_t *db)
{
	return check_format(db, false);
}

const char *ng_db_format(const newsgrep_db_t *db)
{
	return db->related_details ? NG_FORMAT_VERSION
	       : db->sequence      ? NG_FORMAT_NO_RELATED_DETAILS
	       : db->folder_terms  ? NG_FORMAT_NO_SEQUENCE
	       : db->date_terms    ? NG_FORMAT_TEXT_RULES_1
	                           : NG_FORMAT_NO_DATE_TERMS;
}

/* Records which stub the reader follows (none: an old-layout index). */
static bool remember_stub(newsgrep_db_t *db)
{
	char path[PATH_MAX];
	struct stat st;
	if (!ng_path_join(path, sizeof(path), db->path, NG_LAYOUT_STUB) || stat(path, &st) != 0)
		st.st_dev = 0, st.st_ino = 0;
	bool same = st.st_dev == db->stub_dev && st.st_ino == db->stub_ino;
	db->stub_dev = st.st_dev;
	db->stub_ino = st.st_ino;
	return same;
}

/* The database a reader opens, into out: the db.N the index's stub names
 * (read by newsgrep, never by Xapian), or the folder itself for an index
 * made before format 3, which has no stub. */
newsgrep_status_t ng_db_reader_path(newsgrep_db_t *db, char *out, size_t cap)
{
	char name[64], what[4400];
	struct stat st;
	newsgrep_status_t status = ng_layout_stub(db, name, sizeof(name));
	if (status == NEWSGREP_OK) {
		if (!ng_path_join(out, cap, db->path, name))
			return ng_db_too_long(db, db->path, name);
		return NEWSGREP_OK;
	}
	if (status == NEWSGREP_CORRUPT)
		return status;
	if (status == NEWSGREP_NO_INDEX &&
	    !ng_path_join(what, sizeof(what), db->path, NGX_GLASS_VERSION_FILE))
		return ng_db_too_long(db, db->path, NGX_GLASS_VERSION_FILE);
	if (status == NEWSGREP_NO_INDEX && lstat(what, &st) == 0 && S_ISREG(st.st_mode)) {
		size_t n = strlen(db->path);
		if (n >= cap) /* (not for the callers' PATH_MAX buffers) */
			return ng_db_too_long(db, db->path, NGX_GLASS_VERSION_FILE);
		memcpy(out, db->path, n + 1);
		return NEWSGREP_OK;
	}
	/* What cannot be read may be what the user may not read: say so,
	 * rather than that the index is missing. */
	if (ng_layout_denied(db->path, false, what, sizeof(what)))
		return ng_db_denied(db, what);
	if (status != NEWSGREP_NO_INDEX)
		return status;
	if (ng_layout_foreign(db->path))
		return not_an_index(db, "a folder without the XAPIANDB of one");
	snprintf(what, sizeof(what), "no index at '%s': run newsgrep-index DIR first", db->path);
	return ng_db_fail(db, NEWSGREP_NO_INDEX, what, NULL);
}

/* What to do after a failed open of code `code`: a rebuild, when asked
 * (damage = rebuildable), unless the process only ran out of files. */
static const char *advice(int code, bool damage)
{
	if (code == NGX_ERR_RESOURCE)
		return " (newsgrep may open no more files: raise the limit, ulimit -n)";
	return damage ? " (rebuild it with newsgrep-index --rebuild)" : "";
}

/*
 * A reader sees the revision it opened until it moves on, and Xapian lets
 * a writer reuse the blocks of a revision two commits old.  So each search
 * (and count) starts at the latest commit: a long-lived reader sees new
 * articles, and its reads meet DatabaseModifiedError only when two commits
 * land while it reads.  A swapped stub means a new database: open it.
 */
newsgrep_status_t ng_db_refresh(newsgrep_db_t *db)
{
	if (db->w) /* a writer sees its own */
		return NEWSGREP_OK;
	if (db->members)
		return ng_set_refresh(db);
	ngx_error err;
	if (remember_stub(db) && ngx_db_refresh(db->x, NULL, &err) == NGX_OK)
		return NEWSGREP_OK;
	/* Another database may be of another format (with or without date
	 * terms, or too new): read it again. */
	char path[PATH_MAX];
	newsgrep_status_t st = ng_db_reader_path(db, path, sizeof(path));
	if (st != NEWSGREP_OK)
		return st;
	if (ngx_db_reopen(db->x, path, &err) == NGX_OK)
		return check_format(db, false);
	return ng_db_fail(db, ng_status_from_ngx(err.code), "cannot reopen the index", err.message);
}

static newsgrep_status_t open_reader(newsgrep_db_t *db)
{
	ngx_error err;
	char what[4400], path[PATH_MAX];
	struct stat st;
	if (stat(db->path, &st) != 0) {
		if (errno == EACCES)
			return unreachable(db);
		if (errno == ENOTDIR)
			return not_an_index(db, "a file is in its path");
		if (errno == ENOENT) {
			snprintf(what, sizeof(what),
			         "no index at '%s': run newsgrep-index DIR first", db->path);
			return ng_db_fail(db, NEWSGREP_NO_INDEX, what, NULL);
		}
	} else if (!S_ISDIR(st.st_mode)) {
		return not_an_index(db, "it is a file; an index is a folder");
	}
	/* The stub is looked at first: if a swap comes in between, the next
	 * refresh merely opens the new database once more.  A swap while it
	 * is read (the database it named removed) means a try again. */
	newsgrep_status_t status;
	ngx_code rc = NGX_OK;
	for (int tries = 0;; tries++) {
		remember_stub(db);
		status = ng_db_reader_path(db, path, sizeof(path));
		rc = status == NEWSGREP_OK ? ngx_db_open_read(&db->x, path, &err) : NGX_OK;
		if (status == NEWSGREP_OK && rc == NGX_OK)
			return NEWSGREP_OK;
		bool swapped = !remember_stub(db);
		if (tries >= NG_READ_RETRIES || !(swapped || rc == NGX_ERR_MODIFIED))
			break;
	}
	if (status != NEWSGREP_OK)
		return status;
	/* What Xapian could not open may be what the user may not read: say
	 * so, rather than that the index is missing or damaged. */
	if (ng_layout_denied(db->path, false, what, sizeof(what)))
		return ng_db_denied(db, what);
	status = ng_status_from_ngx(rc);
	snprintf(what, sizeof(what), "cannot open index at '%s'%s", db->path, advice(rc, true));
	return ng_db_fail(db, status == NEWSGREP_NO_INDEX ? NEWSGREP_CORRUPT : status, what,
	                  err.message);
}

/* A writer that found the disk full while `doing`: says so, with the free
 * space (a new database: nothing of the index was lost). */
static newsgrep_status_t no_space(newsgrep_db_t *db, const char *doing)
{
	char what[4400], room[32] = "unknown";
	uint64_t n = ng_layout_free_bytes(db->path);
	if (n != UINT64_MAX)
		ng_msg_bytes(room, sizeof(room), n);
	snprintf(what, sizeof(what), "index at '%s': the disk is full: cannot %s%s; %s free",
	         db->path, doing,
	         db->mode == NEWSGREP_DB_REBUILD ? " (the old index is left as it was)" : "", room);
	return ng_db_fail(db, NEWSGREP_IO, what, NULL);
}

/* Opens db.N of the index folder for writing (creating it when asked). */
static newsgrep_status_t open_database(newsgrep_db_t *db, const char *name, bool create)
{
	char path[PATH_MAX], what[9800];
	if (!ng_path_join(path, sizeof(path), db->path, name))
		return ng_db_too_long(db, db->path, name);
	if (create)
		ng_remove_tree(path); /* a leftover of a killed run; we hold the lock */
	char why[4800];
	if (!create && !ngx_glass_blocks_sane(path, why, sizeof(why))) {
		snprintf(what, sizeof(what),
		         "index at '%s' is damaged: %s, a block Xapian would write to; nothing "
		         "was written (check it with newsgrep-index --check, rebuild it with "
		         "newsgrep-index --rebuild)",
		         db->path, why);
		return ng_db_fail(db, NEWSGREP_CORRUPT, what, NULL);
	}
	ngx_error err;
	if (ngx_db_open_write(&db->x, path, create, &err) == NGX_OK)
		return NEWSGREP_OK;
	if (err.code == NGX_ERR_NOSPACE) {
		if (create)
			ng_remove_tree(path);
		return no_space(db, create ? "create a database" : "open the index");
	}
	if (ng_layout_denied(db->path, true, what, sizeof(what)))
		return ng_db_denied(db, what);
	newsgrep_status_t status = ng_status_from_ngx(err.code);
	snprintf(what, sizeof(what), "cannot open index at '%s' for writing%s", db->path,
	         advice(err.code, !create));
	return ng_db_fail(db, status == NEWSGREP_NO_INDEX ? NEWSGREP_CORRUPT : status, what,
	                  err.message);
}

/* Writers: their own part of the handle, the folder, its lock, then the
 * live database (or a new one). */
static newsgrep_status_t open_writer(newsgrep_db_t *db, double lock_wait)
{
	if (!(db->w = calloc(1, sizeof(*db->w))))
		return ng_db_fail(db, NEWSGREP_NOMEM, "out of memory", NULL);
	db->w->lock_fd = -1;
	ng_test_hooks_open(db->w, db->path);
	char what[4400];
	/* Before anything is made: a folder the files of whose database the
	 * system would refuse to name is not made at all. */
	if (strlen(db->path) + strlen(NG_LAYOUT_LONGEST_TAIL) >= PATH_MAX)
		return ng_db_too_long(db, db->path, NG_LAYOUT_LONGEST_TAIL + 1);
	int perr = make_parents(db->path);
	if (!perr && mkdir(db->path, 0777) != 0 && errno != EEXIST)
		perr = errno;
	struct stat st;
	if (!perr && stat(db->path, &st) == 0 && !S_ISDIR(st.st_mode))
		return not_an_index(db, "it is a file; an index is a folder");
	/* The index may well exist, beyond a folder we may not enter. */
	if ((perr == EACCES || perr == EPERM) && stat(db->path, &st) != 0 && errno == EACCES)
		return unreachable(db);
	if (perr) {
		snprintf(what, sizeof(what), "cannot create the index folder '%s'", db->path);
		return ng_db_fail(db,
		                  perr == ENOMEM                    ? NEWSGREP_NOMEM
		                  : perr == EACCES || perr == EPERM ? NEWSGREP_PERMISSION
		                                                    : NEWSGREP_IO,
		                  what, strerror(perr));
	}
	newsgrep_status_t status = ng_layout_lock(db, lock_wait);
	if (status != NEWSGREP_OK)
		return status;

	/* The stub, read as readers read it: a writer never opens what a
	 * stub newsgrep did not write names, and never starts an empty
	 * database over one that has lost its stub. */
	char live[64], path[PATH_MAX];
	status = ng_layout_stub(db, live, sizeof(live));
	if (status == NEWSGREP_OK && db->mode == NEWSGREP_DB_WRITE) {
		/* Leftovers of a rebuild that was killed are swept first. */
		ng_layout_sweep(db->path, live);
		return open_database(db, live, false);
	}
	/* A rebuild makes a complete new database whatever the stub says
	 * (the old ones go only once it is swapped in), unless the stub joins
	 * several databases by hand: it would drop all but its own. */
	if (status != NEWSGREP_OK && status != NEWSGREP_NO_INDEX &&
	    (db->mode == NEWSGREP_DB_WRITE || status != NEWSGREP_CORRUPT ||
	     ng_layout_stub_joins(db->path))) {
		if (status != NEWSGREP_CORRUPT &&
		    ng_layout_denied(db->path, true, path, sizeof(path)))
			return ng_db_denied(db, path);
		return status;
	}
	db->errmsg[0] = '\0'; /* what the stub's refusal said is not an error */
	if (!ng_path_join(path, sizeof(path), db->path, NGX_GLASS_VERSION_FILE))
		return ng_db_too_long(db, db->path, NGX_GLASS_VERSION_FILE);
	if (db->mode == NEWSGREP_DB_WRITE && lstat(path, &st) == 0) {
		snprintf(what, sizeof(what),
		         "index at '%s' was made by an older newsgrep: rebuild it with "
		         "newsgrep-index --rebuild",
		         db->path);
		return ng_db_fail(db, NEWSGREP_INDEX_VERSION, what, NULL);
	}
	/* A new database: for a first index or a rebuild. */
	unsigned last;
	if (!ng_layout_last_db(db->path, &last)) {
		snprintf(what, sizeof(what), "cannot read the index folder '%s'", db->path);
		return ng_db_fail(db, NEWSGREP_IO, what, strerror(errno));
	}
	unsigned n = last + 1;
	char name[64];
	snprintf(name, sizeof(name), "%s%u", NG_LAYOUT_DB_PREFIX, n);
	status = open_database(db, name, true);
	if (status != NEWSGREP_OK)
		return status;
	db->w->building = n;
	return NEWSGREP_OK;
}

/* Commits a new database and publishes it. */
static newsgrep_status_t install(newsgrep_db_t *db)
{
	ngx_error err;
	ng_db_step(db);
	if (ngx_db_commit(db->x, &err) != NGX_OK)
		return err.code == NGX_ERR_NOSPACE
		           ? no_space(db, "commit to a new database")
		           : ng_db_fail(db, ng_status_from_ngx(err.code),
		                        "cannot commit to the index", err.message);
	newsgrep_status_t st = ng_layout_publish(db, db->w->building, NULL);
	if (st != NEWSGREP_OK && (errno == ENOSPC || errno == EDQUOT))
		return no_space(db, "write its stub");
	return st;
}

newsgrep_status_t ng_open_options_read(newsgrep_open_options_t *o,
                                       const newsgrep_open_options_t *opts, char **errmsg)
{
	const newsgrep_open_options_t defaults = NEWSGREP_OPEN_OPTIONS_INIT;
	*o = defaults;
	char msg[256];
	newsgrep_status_t st =
	    opts ? ng_api_struct_read(NG_OPEN_OPTIONS, o, opts, msg, sizeof(msg)) : NEWSGREP_OK;
	if (st != NEWSGREP_OK && errmsg)
		*errmsg = strdup(msg);
	return st;
}

newsgrep_status_t newsgrep_db_open(newsgrep_db_t **out, const char *path, newsgrep_db_mode_t mode,
                                   const newsgrep_open_options_t *opts, char **errmsg)
{
	if (errmsg)
		*errmsg = NULL;
	if (!out)
		return NEWSGREP_INVALID_ARG;
	*out = NULL;
	newsgrep_open_options_t o;
	newsgrep_status_t st = ng_open_options_read(&o, opts, errmsg);
	if (st != NEWSGREP_OK)
		return st;
	newsgrep_db_t *db = calloc(1, sizeof(*db));
	if (!db || !path || !*path ||
	    (mode != NEWSGREP_DB_READ && mode != NEWSGREP_DB_WRITE &&
	     mode != NEWSGREP_DB_REBUILD) ||
	    !(o.lock_wait >= 0)) {
		st = db ? NEWSGREP_INVALID_ARG : NEWSGREP_NOMEM;
		if (errmsg)
			*errmsg =
			    strdup(db ? "invalid index path, mode or options" : "out of memory");
		free(db);
		return st;
	}
	db->mode = mode;
	db->path = strdup(path);
	if (!db->path) {
		st = ng_db_fail(db, NEWSGREP_NOMEM, "out of memory", NULL);
	} else {
		st = mode == NEWSGREP_DB_READ ? open_reader(db) : open_writer(db, o.lock_wait);
		if (st == NEWSGREP_OK)
			st = check_format(db, mode != NEWSGREP_DB_READ);
		/* A reader whose first reads a commit disturbed starts again. */
		for (int tries = 0; st == NEWSGREP_INDEX_CHANGED && mode == NEWSGREP_DB_READ &&
		                    tries < NG_READ_RETRIES;
		     tries++) {
			st = ng_db_refresh(db);
			if (st == NEWSGREP_OK)
				st = check_format(db, false);
		}
		/* A first index is live as soon as it exists, empty; a rebuild
		 * waits for newsgrep_db_swap_in. */
		if (st == NEWSGREP_OK && mode == NEWSGREP_DB_WRITE && db->w->building)
			st = install(db);
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

newsgrep_status_t newsgrep_db_swap_in(newsgrep_db_t *db)
{
	if (!db)
		return NEWSGREP_INVALID_ARG;
	if (!db->w || db->mode != NEWSGREP_DB_REBUILD || !db->w->building)
		return ng_db_fail(db, NEWSGREP_INVALID_ARG,
		                  "only a rebuild not yet swapped in can be swapped in", NULL);
	return install(db);
}

newsgrep_status_t newsgrep_db_commit(newsgrep_db_t *db)
{
	if (!db)
		return NEWSGREP_INVALID_ARG;
	if (!db->w)
		return ng_db_fail(db, NEWSGREP_INVALID_ARG,
		                  "a read-only handle has nothing to commit", NULL);
	ngx_error err;
	ng_db_step(db);
	if (ngx_db_commit(db->x, &err) == NGX_OK)
		return NEWSGREP_OK;
	if (err.code == NGX_ERR_NOSPACE)
		return no_space(db, "commit (what was not committed is lost)");
	char what[4400];
	snprintf(what, sizeof(what),
	         "cannot commit to the index at '%s' (what was not committed is lost)", db->path);
	return ng_db_fail(db, ng_status_from_ngx(err.code), what, err.message);
}

/* What a writer's handle holds beyond a reader's: a rebuild not swapped
 * in, and the lock. */
static void close_writer(newsgrep_db_t *db)
{
	ng_db_writer *w = db->w;
	if (w->building) {
		/* A rebuild never swapped in (or a first index that failed to
		 * be set up): throw it away, the live index stays. */
		char name[64], path[PATH_MAX];
		snprintf(name, sizeof(name), "%s%u", NG_LAYOUT_DB_PREFIX, w->building);
		if (ng_path_join(path, sizeof(path), db->path, name))
			ng_remove_tree(path);
	}
	if (w->lock_fd >= 0) {
		/* The pid goes with the lock, so a stale one never names the
		 * holder of a later lock. */
		if (ftruncate(w->lock_fd, 0) != 0) {
			/* harmless: the next holder overwrites it */
		}
		close(w->lock_fd);
	}
	free(w);
	db->w = NULL;
}

void newsgrep_db_close(newsgrep_db_t *db)
{
	if (!db)
		return;
	ngx_error err;
	/* Close writes nothing, so it cannot fail: what is not committed
	 * (newsgrep_db_commit) is discarded. */
	if (db->w) {
		ngx_db_discard(db->x, &err);
		close_writer(db);
	} else {
		ngx_db_close(db->x, &err);
	}
	for (size_t i = 0; db->members && i < db->nmembers; i++)
		newsgrep_db_close(db->members[i]);
	free(db->members);
	for (size_t i = 0; i < db->nset_names; i++)
		free(db->set_names[i]);
	free(db->set_names);
	free(db->spec.name);
	free(db->spec.host);
	free(db->missing);
	free(db->watch_like);
	ngx_stemmer_free(db->stemmer);
	ng_tokenizer_free(db->tok);
	free(db->path);
	free(db);
}

const char *newsgrep_db_errmsg(const newsgrep_db_t *db)
{
	return db ? db->errmsg : "no index handle";
}

newsgrep_status_t newsgrep_db_revision(newsgrep_db_t *db, uint64_t *out)
{
	if (!db || !out)
		return NEWSGREP_INVALID_ARG;
	if (db->members)
		return ng_db_fail(db, NEWSGREP_INVALID_ARG,
		                  "a set of indexes has no one revision: ask each index", NULL);
	newsgrep_status_t st = ng_db_refresh(db);
	if (st != NEWSGREP_OK)
		return st;
	ngx_error err;
	if (ngx_db_revision(db->x, out, &err) != NGX_OK)
		return ng_db_fail(db, ng_status_from_ngx(err.code), "cannot read the revision",
		                  err.message);
	return NEWSGREP_OK;
}

/* The metadata `key` of the index as it is now, into *text (malloc'd),
 * or a failure that says `what`.  Of a set: every member's, a line apart
 * (a joined database would give only the first's), for values of lines. */
static newsgrep_status_t read_metadata(newsgrep_db_t *db, const char *key, const char *what,
                                       char **text)
{
	*text = NULL;
	newsgrep_status_t st = ng_db_refresh(db);
	if (st != NEWSGREP_OK)
		return st;
	ngx_error err;
	ng_buf all = {0};
	size_t n = db->members ? db->nmembers : 1;
	for (size_t i = 0; i < n; i++) {
		char *one;
		if (ngx_db_get_metadata(db->members ? db->members[i]->x : db->x, key, &one, &err) !=
		    NGX_OK) {
			ng_buf_release(&all);
			return ng_db_fail(db, ng_status_from_ngx(err.code), what, err.message);
		}
		bool ok = ng_buf_append(&all, one, strlen(one)) && ng_buf_append(&all, "\n", 1);
		free(one);
		if (!ok) {
			ng_buf_release(&all);
			return ng_db_fail(db, NEWSGREP_NOMEM, "out of memory", NULL);
		}
	}
	all.data[all.len - 1] = '\0';
	*text = all.data;
	return NEWSGREP_OK;
}

newsgrep_status_t newsgrep_db_shard(newsgrep_db_t *db, uint64_t *index, uint64_t *count)
{
	if (!db || !index || !count)
		return NEWSGREP_INVALID_ARG;
	if (db->members)
		return ng_db_fail(db, NEWSGREP_INVALID_ARG,
		                  "a set of indexes has no one shard: ask each index", NULL);
	char *text;
	newsgrep_status_t st =
	    read_metadata(db, NG_META_SHARD, "cannot read the index's shard", &text);
	if (st != NEWSGREP_OK)
		return st;
	ng_shard s;
	bool ok = ng_shard_parse(text, &s);
	free(text);
	if (!ok)
		return ng_db_fail(db, NEWSGREP_CORRUPT, "the index's shard is damaged",
		                  "rebuild it with newsgrep-index --rebuild --shard K/N");
	*index = s.index;
	*count = s.count;
	return NEWSGREP_OK;
}

newsgrep_status_t newsgrep_db_format(newsgrep_db_t *db, uint32_t *out)
{
	if (!db || !out)
		return NEWSGREP_INVALID_ARG;
	if (db->members)
		return ng_db_fail(db, NEWSGREP_INVALID_ARG,
		                  "a set of indexes has no one format: ask each index", NULL);
	/* (A reader follows a rebuild swapped in, which may change it.) */
	newsgrep_status_t st = ng_db_refresh(db);
	if (st != NEWSGREP_OK)
		return st;
	*out = (uint32_t)strtoul(ng_db_format(db), NULL, 10);
	return NEWSGREP_OK;
}

newsgrep_status_t newsgrep_db_roots(newsgrep_db_t *db, char ***out, size_t *count)
{
	if (out)
		*out = NULL;
	if (count)
		*count = 0;
	if (!db || !out || !count)
		return NEWSGREP_INVALID_ARG;
	newsgrep_status_t st = ng_db_refresh(db);
	if (st != NEWSGREP_OK)
		return st;
	ngx_error err;
	ng_roots r;
	if (ng_db_read_roots(db, &r, &err) != NGX_OK)
		return ng_db_fail(db, ng_status_from_ngx(err.code),
		                  err.code == NGX_ERR_NOMEM ? "out of memory"
		                                            : "cannot read the index's roots",
		                  err.code == NGX_ERR_NOMEM ? NULL : err.message);
	*out = r.v;
	*count = r.n;
	return NEWSGREP_OK;
}

newsgrep_status_t newsgrep_db_root_added_by(newsgrep_db_t *db, const char *root, char ***out,
                                            size_t *count)
{
	if (out)
		*out = NULL;
	if (count)
		*count = 0;
	if (!db || !root || !out || !count)
		return NEWSGREP_INVALID_ARG;
	char *text;
	newsgrep_status_t st =
	    read_metadata(db, NG_META_ROOTS_ADDED,
	                  "cannot read the paths the index's roots were added by", &text);
	if (st != NEWSGREP_OK)
		return st;
	ng_roots pairs, paths = {0};
	bool ok = ng_roots_parse(text, &pairs);
	free(text);
	/* The pairs' strings move to `paths` or are freed. */
	for (size_t i = 1; ok && i < pairs.n; i += 2) {
		if (strcmp(pairs.v[i - 1], root) != 0)
			continue;
		char **v = realloc(paths.v, (paths.n + 1) * sizeof(*v));
		if (!(ok = v != NULL))
			break;
		paths.v = v;
		paths.v[paths.n++] = pairs.v[i];
		pairs.v[i] = NULL;
	}
	ng_roots_release(&pairs);
	if (!ok) {
		ng_roots_release(&paths);
		return ng_db_fail(db, NEWSGREP_NOMEM, "out of memory", NULL);
	}
	*out = paths.v;
	*count = paths.n;
	return NEWSGREP_OK;
}

void newsgrep_roots_free(char **roots, size_t count)
{
	ng_roots r = {roots, count};
	ng_roots_release(&r);
}

newsgrep_status_t newsgrep_db_count(newsgrep_db_t *db, uint64_t *out)
{
	if (!db || !out)
		return NEWSGREP_INVALID_ARG;
	newsgrep_status_t st = ng_db_refresh(db);
	if (st != NEWSGREP_OK)
		return st;
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
	ng_tokenizer_set_rules(db->tok, db->text_rules ? db->text_rules : NG_TEXT_RULES);
	ngx_error err;
	if (!db->stemmer && ngx_stemmer_new(&db->stemmer, "english", &err) != NGX_OK)
		return ng_db_fail(db, ng_status_from_ngx(err.code), "cannot make the stemmer",
		                  err.message);
	return NEWSGREP_OK;
}
