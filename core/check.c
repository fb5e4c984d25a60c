/*
 * check.c - checking an index without changing it (newsgrep-index --check).
 *
 * Glass keeps no checksums: a changed byte in a term, a position or a
 * stored record reads back as something else, and Xapian's own check
 * (shim/check.cc), which looks at the tables' B-trees, sees only damage to
 * their structure.  So newsgrep checks what it can recompute: every
 * document is made again from its stored record (title, excerpt, URL, ...)
 * and compared, term by term and position by position, with what the index
 * holds; the postings lists are compared with the documents' term lists;
 * the spelling dictionary with the words of the articles; the file records
 * with the stored records; a shard's records of files of other shards
 * (known.c) with their keys and the articles.  What none of them covers is
 * a change that leaves a record still valid and consistent with itself (a
 * letter of a title changed together with the terms made of it), which no
 * check short of reading the articles' files again can tell.
 *
 * The check reads one revision; when a writer commits meanwhile and
 * something looked wrong, it starts again, since what it read may have been
 * the writer's blocks being reused rather than damage.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ng.h"
#include "ngx.h"
#include "schema.h"

/* Problems kept (and so reported) per check; more are only counted. */
#define MAX_KEPT 1000

typedef struct checker {
	newsgrep_db_t *db;
	char dbpath[PATH_MAX]; /* the database checked */
	bool remake;           /* the index is of the current format: remake documents */
	ng_docmaker *dm;
	ngx_tally *tally;
	ng_known_table paths;
	ng_arena arena;
	ng_buf type;
	uint64_t articles, problems;
	uint64_t remade;       /* articles made again and compared */
	ng_shard shard;        /* the shard of an archive the index holds */
	uint64_t elsewhere;    /* its records of files of other shards (known.c) */
	bool tables_unchecked; /* Xapian's check was left out */
	char **kept;           /* the messages of the first MAX_KEPT problems */
	size_t nkept;
	ng_error error; /* what ends the check: out of memory, a failure (or OK) */
} checker;

static void problem(checker *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void problem(checker *c, const char *fmt, ...)
{
	c->problems++;
	if (c->nkept >= MAX_KEPT)
		return;
	char msg[9000];
	int n = snprintf(msg, sizeof(msg), "%s: ", c->dbpath);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg + n, sizeof(msg) - (size_t)n, fmt, ap);
	va_end(ap);
	char *copy = strdup(msg);
	if (!copy) {
		ng_error_nomem(&c->error);
		return;
	}
	c->kept[c->nkept++] = copy;
}

/* A failed read of the shim: damage found by the reading (a problem), or
 * out of memory.  A block "modified" under the reader is damage too (a
 * block's revision number changed) unless the revision moved on, which
 * newsgrep_db_check tells afterwards. */
static void read_failed(checker *c, const char *what, const ngx_error *err)
{
	if (err->code == NGX_ERR_NOMEM)
		ng_error_nomem(&c->error);
	else
		problem(c, "%s: %s", what, err->message);
}

/* Xapian's check of the database's tables. */
static void check_tables(checker *c)
{
	char *text = NULL;
	uint64_t errors = 0;
	ngx_error err;
	/* Xapian 1.4 opens the tables for writing to check them (it writes
	 * nothing without DBCHECK_FIX): where the user may not, its check is
	 * left out, and the rest still runs. */
	const char *name;
	for (size_t i = 0; (name = ngx_glass_table_file(i)) != NULL; i++) {
		char file[PATH_MAX];
		if (!ng_path_join(file, sizeof(file), c->dbpath, name)) {
			problem(c, "cannot check the tables: the path of '%s' is too long", name);
			return;
		}
		if (access(file, F_OK) == 0 && access(file, W_OK) != 0) {
			c->tables_unchecked = true;
			return;
		}
	}
	if (ngx_check_tables(c->dbpath, &text, &errors, &err) != NGX_OK) {
		read_failed(c, "cannot check the tables", &err);
		return;
	}
	if (errors == 0) {
		free(text);
		return;
	}
	/* The report: "table:" then that table's lines.  Lines that only say
	 * a table is fine are left out. */
	char table[64] = "";
	uint64_t shown = 0;
	for (char *line = text, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		size_t n = strlen(line);
		if (n && n < sizeof(table) && line[n - 1] == ':' && !strchr(line, ' ')) {
			snprintf(table, sizeof(table), "%.*s", (int)(n - 1), line);
			continue;
		}
		if (!n || strstr(line, "checked OK") || strstr(line, "not yet used") ||
		    strstr(line, "check not implemented") || strncmp(line, "No errors", 9) == 0)
			continue;
		problem(c, "%s%s%s", table, *table ? " table: " : "", line);
		shown++;
	}
	if (shown == 0)
		problem(c, "Xapian's check found %llu problem%s", (unsigned long long)errors,
		        errors == 1 ? "" : "s");
	free(text);
}

/* The first XT (type) term's value, into c->type; false when out of memory. */
static int on_type_term(void *ctx, const char *term, size_t len, uint32_t wdf)
{
	(void)wdf;
	checker *c = ctx;
	if (c->type.len)
		return 0;
	return ng_buf_append(&c->type, term, len) && ng_buf_append(&c->type, "", 1) ? 0 : 1;
}

/* Makes the document again from its stored record and compares. */
static void remake(checker *c, const ngx_docview *v, const ng_docdata *d, const ng_file_state *fs,
                   const char *where)
{
	ng_article a;
	memset(&a, 0, sizeof(a));
	a.title = d->title;
	a.excerpt = d->excerpt;
	a.original_url = d->url;
	a.provider_name = d->provider;
	a.provider_domain = d->provider_domain;
	a.has_date = d->has_date;
	a.date = d->date;
	a.topics = d->topics;
	a.ntopics = d->ntopics;
	ng_related *rel = ng_arena_alloc(&c->arena, (d->nrelated ? d->nrelated : 1) * sizeof(*rel));
	if (!rel) {
		ng_error_nomem(&c->error);
		return;
	}
	for (size_t i = 0; i < d->nrelated; i++) {
		const ng_docdata_related *r = &d->related[i];
		rel[i] = (ng_related){.title = r->title,
		                      .excerpt = r->excerpt,
		                      .original_url = r->url,
		                      .provider_name = r->provider,
		                      .provider_domain = r->provider_domain,
		                      .has_date = r->has_date,
		                      .date = r->date};
	}
	a.related = rel;
	a.nrelated = d->nrelated;
	/* The type is stored only folded, as its term (and its value, when
	 * it is too long for a term); folding it again changes nothing. */
	ngx_error err;
	c->type.len = 0;
	const char *type = ng_schema_field(NG_FIELD_TYPE)->prefix;
	if (ngx_db_doc_terms(c->db->x, v->docid, type, strlen(type), on_type_term, c, &err) !=
	    NGX_OK) {
		read_failed(c, where, &err);
		return;
	}
	if (c->type.len)
		a.type = c->type.data;
	else if (v->type_len)
		a.type = ng_arena_strndup(&c->arena, v->type, v->type_len);
	if (ng_docmaker_remake(c->dm, d->path, &a, fs) != NEWSGREP_OK) {
		c->error = *ng_docmaker_error(c->dm);
		return;
	}
	/* Its numbers of arrival are the writer's, not its article's: the
	 * remade document takes the stored ones, whose terms must agree. */
	double arrival, change;
	int has_arrival, has_change;
	if (ngx_db_document_number(c->db->x, v->docid, NG_SLOT_ARRIVAL, &arrival, &has_arrival,
	                           &err) != NGX_OK ||
	    ngx_db_document_number(c->db->x, v->docid, NG_SLOT_CHANGE, &change, &has_change,
	                           &err) != NGX_OK) {
		read_failed(c, where, &err);
		return;
	}
	if (has_arrival && has_change &&
	    ng_sequence_stamp(ng_docmaker_doc(c->dm), (uint64_t)arrival, (uint64_t)change, &err) !=
	        NGX_OK) {
		ng_error_from_ngx(&c->error, "cannot remake a document", &err);
		return;
	}
	const char *pool;
	const ngx_posting *words;
	size_t nwords = ng_docmaker_spellings(c->dm, &pool, &words);
	if (ngx_tally_add(c->tally, pool, words, nwords, &err) != NGX_OK) {
		ng_error_nomem(&c->error);
		return;
	}
	c->remade++;
	char diff[1024];
	int same = 0;
	if (ngx_db_doc_compare(c->db->x, v->docid, ng_docmaker_doc(c->dm), diff, sizeof(diff),
	                       &same, &err) != NGX_OK)
		read_failed(c, where, &err);
	else if (!same)
		problem(c, "%s: %s", where, diff);
}

static int on_document(void *ctx, const ngx_docview *v)
{
	checker *c = ctx;
	c->articles++;
	if (c->error.status != NEWSGREP_OK)
		return 0;
	ng_arena_reset(&c->arena);
	char where[4400];
	snprintf(where, sizeof(where), "article %lu", (unsigned long)v->docid);
	if (v->unreadable) {
		problem(c, "%s cannot be read: %s", where, v->why);
		return 0;
	}
	ng_file_state fs;
	const char *fpath = NULL;
	size_t flen = 0;
	bool file_ok = ng_file_state_decode(v->file, v->file_len, &fs, &fpath, &flen);
	ng_docdata d;
	bool data_ok = ng_docdata_decode(v->data, v->data_len, &c->arena, &d);
	if (file_ok)
		snprintf(where, sizeof(where), "article %lu ('%.*s')", (unsigned long)v->docid,
		         (int)(flen > 4000 ? 4000 : flen), fpath);
	else if (data_ok)
		snprintf(where, sizeof(where), "article %lu ('%.4000s')", (unsigned long)v->docid,
		         d.path);
	if (!file_ok)
		problem(c, "%s: its file record is damaged (%zu bytes)", where, v->file_len);
	if (!data_ok)
		problem(c, "%s: its stored record is damaged (%zu bytes)", where, v->data_len);
	if (!file_ok || !data_ok)
		return 0;
	if (strlen(d.path) != flen || memcmp(d.path, fpath, flen) != 0) {
		problem(c, "%s: its stored record names another file, '%.4000s'", where, d.path);
		return 0;
	}
	if (d.path[0] != '/')
		problem(c, "%s: its path is not absolute", where);
	if (*d.url && !ng_shard_holds(&c->shard, ng_shard_url_key(d.url, strlen(d.url))))
		problem(c, "%s: its URL is another shard's, not this one's (%u/%u)", where,
		        (unsigned)c->shard.index, (unsigned)c->shard.count);
	ng_known *other = ng_known_find(&c->paths, d.path, flen);
	if (other)
		problem(c, "%s: the file is indexed twice, also as article %lu", where,
		        (unsigned long)other->docid);
	else if (!ng_known_add(&c->paths, d.path, flen, v->docid, &fs))
		ng_error_nomem(&c->error);
	if (c->remake)
		remake(c, v, &d, &fs, where);
	return c->error.status != NEWSGREP_OK;
}

/* A record of a file of another shard (known.c): it parses, is under its
 * path's key, and the file is no article here. */
static int on_elsewhere(void *ctx, const char *key, size_t key_len, const char *bytes, size_t len)
{
	checker *c = ctx;
	c->elsewhere++;
	ng_file_state fs;
	const char *path;
	size_t n;
	int klen = (int)(key_len > 200 ? 200 : key_len);
	if (!ng_file_state_decode(bytes, len, &fs, &path, &n)) {
		problem(c, "its record %.*s of a file of another shard is damaged (%zu bytes)",
		        klen, key, len);
		return 0;
	}
	int plen = (int)(n > 4000 ? 4000 : n);
	char want[NG_ELSEWHERE_KEY_SIZE];
	ng_known_elsewhere_key(path, n, want, sizeof(want));
	if (key_len != strlen(want) || memcmp(key, want, key_len) != 0)
		problem(c, "its record %.*s of a file of another shard names another file, '%.*s'",
		        klen, key, plen, path);
	else if (path[0] != '/')
		problem(c,
		        "its record of '%.*s', a file of another shard, is not of an absolute "
		        "path",
		        plen, path);
	ng_known *doc = ng_known_find(&c->paths, path, n);
	if (doc)
		problem(c, "'%.*s' is both article %lu and a file of another shard", plen, path,
		        (unsigned long)doc->docid);
	return 0;
}

/* The shard the index holds, into c->shard (the whole archive when it is
 * damaged, which is said). */
static void read_shard(checker *c)
{
	ngx_error err;
	char *text = NULL;
	c->shard = (ng_shard){0, 0};
	if (ngx_db_get_metadata(c->db->x, NG_META_SHARD, &text, &err) != NGX_OK) {
		read_failed(c, "cannot read its shard", &err);
		return;
	}
	if (!ng_shard_parse(text, &c->shard))
		problem(c, "its shard (%s) is damaged", NG_META_SHARD);
	free(text);
}

static int on_cross_problem(void *ctx, uint32_t docid, const char *message)
{
	checker *c = ctx;
	if (docid)
		problem(c, "article %lu: %s", (unsigned long)docid, message);
	else
		problem(c, "%s", message);
	return c->error.status != NEWSGREP_OK;
}

/* The metadata newsgrep keeps: each parses, and says what is so. */
static void check_metadata(checker *c)
{
	ngx_error err;
	char *text = NULL;
	if (ngx_db_get_metadata(c->db->x, NG_META_ROOTS, &text, &err) != NGX_OK) {
		read_failed(c, "cannot read its folders", &err);
		return;
	}
	ng_roots roots;
	if (!ng_roots_parse(text, &roots)) {
		free(text);
		ng_error_nomem(&c->error);
		return;
	}
	free(text);
	for (size_t i = 0; i < roots.n; i++)
		if (roots.v[i][0] != '/')
			problem(c, "its folder '%.4000s' is not an absolute path", roots.v[i]);
	if (roots.n == 0 && c->articles)
		problem(c, "it has articles but no folders");
	ng_roots_release(&roots);
	if (ngx_db_get_metadata(c->db->x, NG_META_ROOTS_ADDED, &text, &err) != NGX_OK) {
		read_failed(c, "cannot read the paths its folders were added by", &err);
		return;
	}
	bool ok = ng_roots_parse(text, &roots);
	free(text);
	if (!ok) {
		ng_error_nomem(&c->error);
		return;
	}
	if (roots.n % 2)
		problem(c, "the paths its folders were added by (%s) are damaged",
		        NG_META_ROOTS_ADDED);
	ng_roots_release(&roots);
	if (ngx_db_get_metadata(c->db->x, NG_META_REPEATED_URLS, &text, &err) != NGX_OK) {
		read_failed(c, "cannot read its count of repeated URLs", &err);
		return;
	}
	char *end = text;
	unsigned long long said = *text ? strtoull(text, &end, 10) : 0;
	if (*end || (*text && (*text < '0' || *text > '9'))) {
		problem(c, "its count of repeated URLs (%s) is damaged", NG_META_REPEATED_URLS);
	} else if (*text && said == 0) {
		/* "0" lets searches skip collapsing repeats: it must be so. */
		uint64_t repeats = 0;
		if (ngx_db_count_repeats(c->db->x, NG_SLOT_URL, &repeats, &err) != NGX_OK)
			read_failed(c, "cannot count repeated URLs", &err);
		else if (repeats)
			problem(c, "it records no repeated URLs, but %llu articles repeat one",
			        (unsigned long long)repeats);
	}
	free(text);
}

/* One pass over the revision the handle sees. */
static void check_once(checker *c)
{
	ngx_error err;
	check_tables(c);
	read_shard(c);
	if (ngx_db_each_document(c->db->x, on_document, c, &err) != NGX_OK &&
	    c->error.status == NEWSGREP_OK)
		read_failed(c, "cannot read its articles", &err);
	if (c->error.status != NEWSGREP_OK)
		return;
	if (ngx_db_metadata_stream(c->db->x, NG_META_ELSEWHERE, on_elsewhere, c, &err) != NGX_OK &&
	    c->error.status == NEWSGREP_OK)
		read_failed(c, "cannot read its records of files of other shards", &err);
	if (c->elsewhere && ng_shard_whole(&c->shard))
		problem(c, "it holds the whole archive, but records %llu file%s of other shards",
		        (unsigned long long)c->elsewhere, c->elsewhere == 1 ? "" : "s");
	if (ngx_db_cross_check(c->db->x, on_cross_problem, c, &err) != NGX_OK &&
	    c->error.status == NEWSGREP_OK)
		read_failed(c, "cannot compare its postings with its articles", &err);
	/* Only a tally of every article's words is the dictionary's (what
	 * could not be made again is reported already). */
	if (c->remake && c->error.status == NEWSGREP_OK && c->remade == c->articles &&
	    ngx_db_spelling_compare(c->db->x, c->tally, on_cross_problem, c, &err) != NGX_OK &&
	    c->error.status == NEWSGREP_OK)
		read_failed(c, "cannot read its spelling dictionary", &err);
	uint64_t count = 0;
	if (ngx_db_doccount(c->db->x, &count, &err) != NGX_OK)
		read_failed(c, "cannot count its articles", &err);
	else if (count != c->articles)
		problem(c, "it counts %llu articles but holds %llu", (unsigned long long)count,
		        (unsigned long long)c->articles);
	if (c->error.status == NEWSGREP_OK)
		check_metadata(c);
}

static void reset(checker *c)
{
	for (size_t i = 0; i < c->nkept; i++)
		free(c->kept[i]);
	c->nkept = 0;
	c->articles = c->problems = c->remade = c->elsewhere = 0;
	c->tables_unchecked = false;
	ng_known_release(&c->paths);
	ngx_tally_free(c->tally);
	c->tally = NULL;
}

newsgrep_status_t newsgrep_db_check(newsgrep_db_t *db, newsgrep_check_fn fn, void *ctx,
                                    newsgrep_check_stats_t *stats)
{
	if (!db)
		return NEWSGREP_INVALID_ARG;
	char msg[256];
	if (stats && ng_api_struct_check(NG_CHECK_STATS, stats, msg, sizeof(msg)) != NEWSGREP_OK)
		return ng_db_fail(db, NEWSGREP_INVALID_ARG, msg, NULL);
	newsgrep_check_stats_t counted = NEWSGREP_CHECK_STATS_INIT;
	if (stats)
		ng_api_struct_write(NG_CHECK_STATS, stats, &counted);
	if (db->mode != NEWSGREP_DB_READ)
		return ng_db_fail(db, NEWSGREP_INVALID_ARG, "only a reader checks an index", NULL);
	if (db->members)
		return ng_db_fail(db, NEWSGREP_INVALID_ARG,
		                  "a set of indexes is checked one index at a time", NULL);
	checker c;
	memset(&c, 0, sizeof(c));
	c.db = db;
	ng_arena_init(&c.arena);
	newsgrep_status_t st = ng_db_text_tools(db);
	if (st == NEWSGREP_OK)
		st = ng_docmaker_new(&c.dm, db);
	c.kept = st == NEWSGREP_OK ? calloc(MAX_KEPT, sizeof(*c.kept)) : NULL;
	if (st == NEWSGREP_OK && !c.kept)
		st = ng_db_fail(db, NEWSGREP_NOMEM, "out of memory", NULL);
	uint64_t before = 0, after = 0;
	ngx_error err;
	for (int tries = 0; st == NEWSGREP_OK; tries++) {
		reset(&c);
		if ((st = ng_db_refresh(db)) != NEWSGREP_OK ||
		    (st = ng_db_reader_path(db, c.dbpath, sizeof(c.dbpath))) != NEWSGREP_OK)
			break;
		if (ngx_db_revision(db->x, &before, &err) != NGX_OK) {
			st = ng_db_fail(db, ng_status_from_ngx(err.code),
			                "cannot read the revision", err.message);
			break;
		}
		/* Documents can be made again only by the rules they were made
		 * with: those of this version's format. */
		/* (An older format's articles lack what this one's docmaker
		 * makes.) */
		c.remake = db->sequence && db->text_rules == NG_TEXT_RULES;
		if (ngx_tally_new(&c.tally, &err) != NGX_OK) {
			st = ng_db_fail(db, NEWSGREP_NOMEM, "out of memory", NULL);
			break;
		}
		check_once(&c);
		if (c.error.status != NEWSGREP_OK) {
			st = ng_db_error(db, &c.error);
			break;
		}
		/* What looked wrong while a writer committed may have been its
		 * blocks: look again at the new revision. */
		char now[PATH_MAX] = "";
		bool moved = ng_db_refresh(db) != NEWSGREP_OK ||
		             ng_db_reader_path(db, now, sizeof(now)) != NEWSGREP_OK ||
		             strcmp(now, c.dbpath) != 0 ||
		             ngx_db_revision(db->x, &after, &err) != NGX_OK || after != before;
		if (!moved || !c.problems)
			break;
		if (tries >= NG_READ_RETRIES) {
			char what[4400];
			snprintf(what, sizeof(what),
			         "the index at '%s' kept changing while it was checked: check it "
			         "again when newsgrep-index is done",
			         db->path);
			st = ng_db_fail(db, NEWSGREP_INDEX_CHANGED, what, NULL);
		}
	}
	if (st == NEWSGREP_OK) {
		for (size_t i = 0; fn && i < c.nkept; i++)
			fn(ctx, c.kept[i]);
		counted.articles = c.articles;
		counted.problems = c.problems;
		counted.tables_unchecked = c.tables_unchecked;
		if (stats)
			ng_api_struct_write(NG_CHECK_STATS, stats, &counted);
		if (c.problems) {
			char what[4400], shown[64] = "";
			if (c.problems > c.nkept)
				snprintf(shown, sizeof(shown), ", the first %zu reported",
				         (size_t)c.nkept);
			snprintf(what, sizeof(what),
			         "the index at '%s' is damaged: %llu problem%s%s (rebuild it with "
			         "newsgrep-index --rebuild)",
			         db->path, (unsigned long long)c.problems,
			         c.problems == 1 ? "" : "s", shown);
			st = ng_db_fail(db, NEWSGREP_CORRUPT, what, NULL);
		}
	}
	reset(&c);
	free(c.kept);
	ng_docmaker_free(c.dm);
	ng_arena_release(&c.arena);
	ng_buf_release(&c.type);
	return st;
}
