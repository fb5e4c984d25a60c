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
 *
 * A member may also be a server's (xapian-tcpsrv, members.c), opened
 * with Xapian's remote backend and its timeouts.  A server that cannot be
 * reached, or fails during a search (ng_set_lost), is left out rather
 * than failing the set: the set searches the rest and says which are
 * missing and why; a refresh tries the server again NG_REMOTE_RETRY_S
 * later.  A folder that cannot be opened is an error, as for one index.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "ng.h"
#include "ngx.h"

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

static newsgrep_status_t unreachable(newsgrep_db_t *db);

/* Every member was made by the same rules as the first (searched by one
 * query, they must agree); the set takes them. */
static newsgrep_status_t check_members(newsgrep_db_t *db)
{
	const newsgrep_db_t *first = NULL;
	for (size_t i = 0; i < db->nmembers; i++) {
		const newsgrep_db_t *m = db->members[i];
		if (m->missing)
			continue;
		if (!first) {
			first = m;
			continue;
		}
		if (m->text_rules == first->text_rules && m->date_terms == first->date_terms &&
		    m->folder_terms == first->folder_terms)
			continue;
		ng_msg_set(db->errmsg, sizeof(db->errmsg),
		           "index at '%s' (format %s) cannot be searched with the index at '%s' "
		           "(format %s): the indexes searched together must be of one format "
		           "(rebuild the older with newsgrep-index --rebuild)",
		           m->path, ng_db_format(m), first->path, ng_db_format(first));
		return NEWSGREP_INDEX_VERSION;
	}
	if (!first)
		return unreachable(db);
	db->text_rules = first->text_rules;
	db->date_terms = first->date_terms;
	db->folder_terms = first->folder_terms;
	/* (Formats 6, 7 and 8 search alike: the order of arrival is the
	 * set's when every member has it, and so are the related items'
	 * details, which records of both versions may carry.) */
	db->sequence = true;
	db->related_details = true;
	for (size_t i = 0; i < db->nmembers; i++) {
		const newsgrep_db_t *m = db->members[i];
		if (!m->missing && !m->sequence)
			db->sequence = false;
		if (!m->missing && !m->related_details)
			db->related_details = false;
	}
	if (db->tok)
		ng_tokenizer_set_rules(db->tok, db->text_rules);
	return NEWSGREP_OK;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Leaves remote member m out, for the reason in `why`: a network error's
 * message is said in words, without Xapian's class and context. */
static void leave_out(newsgrep_db_t *m, const char *why)
{
	char said[600];
	static const char timeout[] = "NetworkTimeoutError: ", network[] = "NetworkError: ";
	bool timed_out = strncmp(why, timeout, sizeof(timeout) - 1) == 0;
	if (timed_out || strncmp(why, network, sizeof(network) - 1) == 0) {
		const char *text = why + (timed_out ? sizeof(timeout) : sizeof(network)) - 1;
		const char *context = strstr(text, " (context: remote:");
		const char *after = context ? strchr(context + 1, ')') : NULL;
		after = after && after[1] == ')' ? after + 2 : after ? after + 1 : "";
		int len = context ? (int)(context - text) : (int)strlen(text);
		if (timed_out)
			snprintf(
			    said, sizeof(said), "no answer within %.1f s (%.*s%s)",
			    (strstr(text, "connect") ? m->spec.connect_ms : m->spec.timeout_ms) /
			        1000.0,
			    len, text, after);
		else
			snprintf(said, sizeof(said), "cannot reach the server: %.*s%s", len, text,
			         after);
		why = said;
	}
	char *copy = strdup(why);
	if (!copy) /* (the member is out all the same) */
		copy = strdup("?");
	free(m->missing);
	m->missing = copy;
	m->missing_at = now();
}

/* Connects remote member m (again), and checks what it serves.  A server
 * that cannot be reached leaves the member out (NEWSGREP_OK); one that
 * serves no newsgrep index, or one of another format, is an error. */
static newsgrep_status_t connect_remote(newsgrep_db_t *m)
{
	ngx_error err;
	ngx_code rc = m->x ? ngx_db_reopen(m->x, NULL, &err)
	                   : ngx_db_open_remote(&m->x, m->spec.host, m->spec.port,
	                                        m->spec.timeout_ms, m->spec.connect_ms, &err);
	if (rc == NGX_OK) {
		newsgrep_status_t st = ng_db_check_format(m);
		if (st == NEWSGREP_OK) {
			free(m->missing);
			m->missing = NULL;
			return st;
		}
		if (st != NEWSGREP_UNREACHABLE)
			return st;
		leave_out(m, m->errmsg);
		return NEWSGREP_OK;
	}
	if (rc == NGX_ERR_NETWORK) { /* the server, not the index */
		leave_out(m, err.message);
		return NEWSGREP_OK;
	}
	return ng_db_fail(m, ng_status_from_ngx(rc), "cannot open the index the server serves",
	                  err.message);
}

/* A remote member's refresh: one left out is tried again once
 * NG_REMOTE_RETRY_S have passed; one whose refresh or check fails
 * connects afresh (which leaves it out when its server is gone, and says
 * what else is wrong). */
static newsgrep_status_t refresh_remote(newsgrep_db_t *m)
{
	if (m->missing && now() - m->missing_at < NG_REMOTE_RETRY_S)
		return NEWSGREP_OK;
	ngx_error err;
	int changed;
	if (m->missing || ngx_db_refresh(m->x, &changed, &err) != NGX_OK)
		return connect_remote(m);
	if (!changed) /* (its format was checked when it last changed) */
		return NEWSGREP_OK;
	newsgrep_status_t st = ng_db_check_format(m);
	return st == NEWSGREP_UNREACHABLE ? connect_remote(m) : st;
}

/* No member of the set could be reached: says which and why. */
static newsgrep_status_t unreachable(newsgrep_db_t *db)
{
	char what[sizeof(db->errmsg)];
	size_t used = (size_t)snprintf(what, sizeof(what), "no index of the set can be searched");
	for (size_t i = 0; i < db->nmembers && used < sizeof(what); i++)
		used += (size_t)snprintf(what + used, sizeof(what) - used, "%s %s: %s",
		                         i ? ";" : ":", db->members[i]->path,
		                         db->members[i]->missing ? db->members[i]->missing : "?");
	return ng_db_fail(db, NEWSGREP_UNREACHABLE, what, NULL);
}

/* The set's database: the members' joined anew. */
static newsgrep_status_t join(newsgrep_db_t *db)
{
	ngx_db **parts = malloc(db->nmembers * sizeof(*parts));
	if (!parts)
		return ng_db_fail(db, NEWSGREP_NOMEM, "out of memory", NULL);
	size_t n = 0;
	for (size_t i = 0; i < db->nmembers; i++)
		if (!db->members[i]->missing)
			parts[n++] = db->members[i]->x;
	ngx_error err;
	ngx_db *joined;
	ngx_code rc = ngx_db_join(&joined, parts, n, &err);
	free(parts);
	if (rc != NGX_OK)
		return ng_db_fail(db, ng_status_from_ngx(rc), "cannot open the indexes as one",
		                  err.message);
	ngx_db_close(db->x, &err); /* (a reader's close cannot fail) */
	db->x = joined;
	return NEWSGREP_OK;
}

/* A remote member's refresh on a thread of its own: it touches only the
 * member. */
typedef struct remote_refresh {
	newsgrep_db_t *m;
	newsgrep_status_t st;
	pthread_t thread;
	bool started;
} remote_refresh;

static void *refresh_remote_thread(void *arg)
{
	remote_refresh *r = arg;
	r->st = refresh_remote(r->m);
	return NULL;
}

newsgrep_status_t ng_set_refresh(newsgrep_db_t *db)
{
	/* Each exchange with a server waits for its answer: the servers are
	 * asked at once, each on a thread (or in turn, when there is none to
	 * be had), while the folders are refreshed here. */
	remote_refresh *remote = calloc(db->nmembers, sizeof(*remote));
	if (!remote)
		return ng_db_fail(db, NEWSGREP_NOMEM, "out of memory", NULL);
	for (size_t i = 0; i < db->nmembers; i++) {
		remote_refresh *r = &remote[i];
		r->m = db->members[i];
		if (r->m->spec.remote)
			r->started =
			    pthread_create(&r->thread, NULL, refresh_remote_thread, r) == 0;
	}
	for (size_t i = 0; i < db->nmembers; i++) {
		remote_refresh *r = &remote[i];
		if (r->started)
			pthread_join(r->thread, NULL);
		else
			r->st = r->m->spec.remote ? refresh_remote(r->m) : ng_db_refresh(r->m);
	}
	newsgrep_status_t st = NEWSGREP_OK;
	for (size_t i = 0; i < db->nmembers && st == NEWSGREP_OK; i++)
		if (remote[i].st != NEWSGREP_OK)
			st =
			    member_failed(db, remote[i].m->path, remote[i].m->errmsg, remote[i].st);
	free(remote);
	if (st == NEWSGREP_OK)
		st = check_members(db);
	return st == NEWSGREP_OK ? join(db) : st;
}

/* Two members that are one index folder, or one server, would count each
 * article twice. */
static newsgrep_status_t check_distinct(newsgrep_db_t *db)
{
	struct stat a, b;
	for (size_t i = 1; i < db->nmembers; i++) {
		const newsgrep_db_t *m = db->members[i];
		bool local = !m->spec.remote && stat(m->path, &a) == 0;
		for (size_t j = 0; j < i; j++) {
			const newsgrep_db_t *o = db->members[j];
			bool same = m->spec.remote
			                ? o->spec.remote && o->spec.port == m->spec.port &&
			                      strcmp(o->spec.host, m->spec.host) == 0
			                : local && !o->spec.remote && stat(o->path, &b) == 0 &&
			                      a.st_dev == b.st_dev && a.st_ino == b.st_ino;
			if (!same)
				continue;
			ng_msg_set(db->errmsg, sizeof(db->errmsg),
			           "'%s' and '%s' are the same index: name it once", o->path,
			           m->path);
			return NEWSGREP_INVALID_ARG;
		}
	}
	return NEWSGREP_OK;
}

/* Copies what `spec` says into member m (its names are duplicated). */
static bool take_spec(newsgrep_db_t *m, const ng_member *spec)
{
	m->spec = *spec;
	m->spec.name = strdup(spec->name);
	m->spec.host = spec->host ? strdup(spec->host) : NULL;
	return m->spec.name && (!spec->host || m->spec.host);
}

/* Opens the member `spec` stands for into db->members[i]. */
static newsgrep_status_t open_member(newsgrep_db_t *db, size_t i, const ng_member *spec,
                                     const newsgrep_open_options_t *opts)
{
	newsgrep_db_t *m;
	if (!spec->remote) {
		char *msg = NULL;
		newsgrep_status_t st =
		    newsgrep_db_open(&m, spec->name, NEWSGREP_DB_READ, opts, &msg);
		if (st != NEWSGREP_OK) {
			member_failed(db, spec->name, msg ? msg : newsgrep_status_string(st), st);
			newsgrep_free(msg);
			return st;
		}
	} else if (!(m = calloc(1, sizeof(*m))) || !(m->path = strdup(spec->name))) {
		free(m);
		return ng_db_fail(db, NEWSGREP_NOMEM, "out of memory", NULL);
	}
	db->members[i] = m;
	if (!take_spec(m, spec))
		return ng_db_fail(db, NEWSGREP_NOMEM, "out of memory", NULL);
	if (!spec->remote)
		return NEWSGREP_OK;
	m->mode = NEWSGREP_DB_READ;
	newsgrep_status_t st = connect_remote(m);
	return st == NEWSGREP_OK ? st : member_failed(db, m->path, m->errmsg, st);
}

static newsgrep_status_t open_members(newsgrep_db_t *db, const ng_members *specs,
                                      const newsgrep_open_options_t *opts)
{
	for (size_t i = 0; i < specs->n; i++) {
		newsgrep_status_t st = open_member(db, i, &specs->v[i], opts);
		if (st != NEWSGREP_OK)
			return st;
	}
	newsgrep_status_t st = check_distinct(db);
	if (st == NEWSGREP_OK)
		st = check_members(db);
	return st == NEWSGREP_OK ? join(db) : st;
}

/* The set's own copy of the names it was opened with. */
static bool keep_names(newsgrep_db_t *db, const char *const *names, size_t n)
{
	if (!(db->set_names = calloc(n, sizeof(*db->set_names))))
		return false;
	for (size_t i = 0; i < n; i++, db->nset_names++)
		if (!(db->set_names[i] = strdup(names[i])))
			return false;
	return true;
}

newsgrep_status_t newsgrep_db_open_set(newsgrep_db_t **out, const char *const *paths, size_t npaths,
                                       const newsgrep_open_options_t *opts, char **errmsg)
{
	if (errmsg)
		*errmsg = NULL;
	if (!out)
		return NEWSGREP_INVALID_ARG;
	*out = NULL;
	if (paths && npaths == 1 && (!paths[0] || !*paths[0])) /* as for one index */
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
	ng_members specs;
	ng_error err;
	if ((st = ng_members_parse(&specs, paths, npaths, &err)) != NEWSGREP_OK) {
		if (errmsg)
			*errmsg = strdup(err.message);
		return st;
	}
	/* One folder is one index: exactly that, its messages too. */
	if (specs.n == 1 && !specs.v[0].remote) {
		st = newsgrep_db_open(out, specs.v[0].name, NEWSGREP_DB_READ, opts, errmsg);
		ng_members_release(&specs);
		return st;
	}
	newsgrep_db_t *db = calloc(1, sizeof(*db));
	if (db) {
		db->mode = NEWSGREP_DB_READ;
		db->nmembers = specs.n;
		db->members = calloc(specs.n, sizeof(*db->members));
		/* The set's path is its first member's, for what names one
		 * index; what the set says names the member concerned. */
		db->path = strdup(specs.v[0].name);
	}
	if (!db || !db->members || !db->path || !keep_names(db, paths, npaths)) {
		ng_members_release(&specs);
		newsgrep_db_close(db);
		if (errmsg)
			*errmsg = strdup("out of memory");
		return NEWSGREP_NOMEM;
	}
	st = open_members(db, &specs, &o);
	ng_members_release(&specs);
	if (st != NEWSGREP_OK) {
		if (errmsg)
			*errmsg = strdup(db->errmsg);
		newsgrep_db_close(db);
		return st;
	}
	*out = db;
	return NEWSGREP_OK;
}

/* Whether the network error `x` names remote member m: Xapian gives the
 * server as its context, "remote:tcp(HOST:PORT)". */
static bool names_member(const ngx_error *x, const newsgrep_db_t *m)
{
	char context[300];
	snprintf(context, sizeof(context), "remote:tcp(%s:%u)", m->spec.host, m->spec.port);
	return strstr(x->message, context) != NULL;
}

newsgrep_status_t ng_set_lost(newsgrep_db_t *db, const ngx_error *x)
{
	if (!db->members || x->code != NGX_ERR_NETWORK)
		return ng_db_fail(db, ng_status_from_ngx(x->code), "search failed", x->message);
	size_t lost = 0;
	for (size_t i = 0; i < db->nmembers; i++) {
		newsgrep_db_t *m = db->members[i];
		if (m->spec.remote && !m->missing && names_member(x, m)) {
			leave_out(m, x->message);
			lost++;
		}
	}
	/* The others' connections may be in the middle of the failed
	 * exchange: each connects afresh, and one that cannot is out too. */
	for (size_t i = 0; i < db->nmembers; i++) {
		newsgrep_db_t *m = db->members[i];
		if (!m->spec.remote || m->missing)
			continue;
		newsgrep_status_t st = connect_remote(m);
		if (st != NEWSGREP_OK)
			return member_failed(db, m->path, m->errmsg, st);
		lost += m->missing != NULL;
	}
	if (!lost)
		return ng_db_fail(db, NEWSGREP_UNREACHABLE, "search failed", x->message);
	newsgrep_status_t st = check_members(db);
	return st == NEWSGREP_OK ? join(db) : st;
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
		if (db->members && db->members[i]->missing)
			continue;
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

bool ng_read_again(newsgrep_db_t *db, int rc, const ngx_error *err, newsgrep_status_t *st)
{
	if (rc == NGX_ERR_MODIFIED) {
		ng_db_refresh(db);
		return true;
	}
	if (rc != NGX_ERR_NETWORK)
		return false;
	*st = ng_set_lost(db, err);
	return *st == NEWSGREP_OK;
}
