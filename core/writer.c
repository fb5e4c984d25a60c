/*
 * writer.c - an update's writes into one database: applying a plan
 * (plan.c) and the commit policy.
 *
 * The writer owns when changes are committed: in batches (Xapian
 * transactions, so nothing flushes in between), ended by a count
 * (commit_docs), a time (commit_seconds) or an estimate of the writer
 * memory they hold (commit_mib); a batch never ends between the two
 * halves of a move, and a big article gets a batch of its own.  It applies
 * a plan in that order: first every move (its deletion and its addition
 * side by side), then the other deletions, then new and changed files.  A
 * changed file is read and hashed first and indexed again only when its
 * bytes changed; a touched file just gets its record refreshed.  A file
 * that cannot be read or parsed keeps the version the index has.
 *
 * A shard of an archive (shard.c) makes the document of only its own
 * articles: a file whose article is another shard's is parsed (for its
 * URL), then recorded as such (known.c), its document deleted if it had
 * one; a file whose article turns out to be the shard's loses that record.
 *
 * It also keeps the count of articles sharing a URL (repeats.c) true, and
 * gives the caller its problems, progress and counts.  The same writer
 * writes an index in place (update.c) and each segment of a new index
 * (builder.c).
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "ngx.h"
#include "writer.h"

void ng_writer_init(ng_writer *w, ngx_db **x, ng_steps *steps, const ng_plan *plan)
{
	memset(w, 0, sizeof(*w));
	w->x = x;
	w->steps = steps;
	w->plan = plan;
	ng_error_clear(&w->err);
	w->doc_bytes = 24 << 10; /* a typical article's, until one is indexed */
	clock_gettime(CLOCK_MONOTONIC, &w->last_commit);
}

void ng_writer_release(ng_writer *w)
{
	ng_docmaker_free(w->dm);
	w->dm = NULL;
	ng_repeats_release(&w->repeats);
	ng_buf_release(&w->scratch);
}

/* ---- the caller's callbacks ---- */

/* A callback may read the caller's stats: they are counted live. */
static void share_stats(ng_writer *w)
{
	if (w->caller_stats)
		ng_api_struct_write(NG_INDEX_STATS, w->caller_stats, w->stats);
}

void ng_writer_report(ng_writer *w, newsgrep_problem_kind_t kind, const char *path,
                      unsigned long line, unsigned long column, const char *message)
{
	if (kind == NEWSGREP_PROBLEM_SKIPPED)
		w->stats->skipped++;
	else
		w->stats->warnings++;
	if (!w->opts.on_problem)
		return;
	newsgrep_problem_t p = {kind, path, (uint32_t)line, (uint32_t)column, message};
	share_stats(w);
	w->opts.on_problem(w->opts.ctx, &p);
}

static void report_warnings(ng_writer *w, const char *path)
{
	const ng_file_problem *p;
	size_t dropped, n = ng_docmaker_warnings(w->dm, &p, &dropped);
	for (size_t i = 0; i < n; i++)
		ng_writer_report(w, NEWSGREP_PROBLEM_WARNING, path, p[i].line, p[i].column,
		                 p[i].message);
	if (dropped) {
		char msg[64];
		ng_msg_set(msg, sizeof(msg), "%zu more warning%s not shown", dropped,
		           dropped == 1 ? "" : "s");
		ng_writer_report(w, NEWSGREP_PROBLEM_WARNING, path, 0, 0, msg);
		w->stats->warnings += dropped - 1;
	}
}

bool ng_writer_progress(ng_writer *w, newsgrep_index_phase_t phase)
{
	if (!w->opts.on_progress || w->stop)
		return w->stop;
	w->progress.phase = phase;
	w->progress.stats = w->stats;
	share_stats(w);
	w->stop = w->opts.on_progress(w->opts.ctx, &w->progress) != 0;
	return w->stop;
}

/* ---- errors ---- */

newsgrep_status_t ng_writer_xfail(ng_writer *w, const char *what, const ngx_error *x)
{
	if (x->code == NGX_ERR_NOSPACE)
		w->full = true;
	return ng_error_from_ngx(&w->err, what, x);
}

/* The docmaker's error ends the update. */
static newsgrep_status_t docmaker_failed(ng_writer *w)
{
	w->err = *ng_docmaker_error(w->dm);
	return w->err.status;
}

/* ---- batches ---- */

static double seconds_since(const struct timespec *t)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t->tv_sec) + (double)(now.tv_nsec - t->tv_nsec) / 1e9;
}

/* Before every write: opens a batch if none is open. */
static newsgrep_status_t begin_write(ng_writer *w)
{
	ngx_error err;
	if (!w->batch_open && ngx_db_begin_batch(*w->x, &err) != NGX_OK)
		return ng_writer_xfail(w, "cannot write to the index", &err);
	w->batch_open = true;
	w->batch_changes++;
	ng_step(w->steps);
	return NEWSGREP_OK;
}

/* The batch is gone (committed or dropped): the next write opens another. */
static void batch_ended(ng_writer *w)
{
	w->batch_open = false;
	w->batch_changes = 0;
	w->batch_bytes = 0;
}

/* The last number given goes into the batch of the documents it
 * numbered (sequence.c). */
static ngx_code save_sequence(ng_writer *w, ngx_error *err)
{
	if (!w->seq)
		return NGX_OK;
	char last[24];
	snprintf(last, sizeof(last), "%llu", (unsigned long long)ng_sequence_last(w->seq));
	return ngx_db_set_metadata(*w->x, NG_META_SEQUENCE, last, err);
}

newsgrep_status_t ng_writer_commit(ng_writer *w)
{
	if (!w->batch_open)
		return NEWSGREP_OK;
	ngx_error err;
	if (save_sequence(w, &err) != NGX_OK)
		return ng_writer_xfail(w, "cannot write to the index", &err);
	ng_step(w->steps);
	if (ngx_db_commit(*w->x, &err) != NGX_OK)
		return ng_writer_xfail(w, "cannot commit to the index", &err);
	batch_ended(w);
	clock_gettime(CLOCK_MONOTONIC, &w->last_commit);
	return NEWSGREP_OK;
}

/* Between changes (never inside a move): commits a batch that is full by
 * the options' commit_docs, commit_mib or commit_seconds. */
static newsgrep_status_t maybe_commit(ng_writer *w)
{
	if (w->batch_changes >= w->opts.commit_docs ||
	    w->batch_bytes >= (size_t)w->opts.commit_mib << 20 ||
	    (w->batch_open && seconds_since(&w->last_commit) >= w->opts.commit_seconds))
		return ng_writer_commit(w);
	return NEWSGREP_OK;
}

void ng_writer_keep_batch(ng_writer *w)
{
	ngx_error err;
	if (w->batch_open && save_sequence(w, &err) == NGX_OK)
		ngx_db_commit(*w->x, &err);
}

/* ---- the count of repeated URLs ---- */

/* Before a change that can add or remove a URL: the recorded count of
 * repeated URLs no longer holds, so it goes (in the same batch) until
 * ng_writer_record_repeats() counts again.  Searches collapse meanwhile. */
static newsgrep_status_t forget_repeats(ng_writer *w)
{
	if (w->repeats_cleared)
		return NEWSGREP_OK;
	ngx_error err;
	if (w->repeats.before != NG_REPEATS_UNKNOWN &&
	    ngx_db_set_metadata(*w->x, NG_META_REPEATED_URLS, "", &err) != NGX_OK)
		return ng_writer_xfail(w, "cannot write to the index", &err);
	w->repeats_cleared = true;
	return NEWSGREP_OK;
}

newsgrep_status_t ng_writer_record_repeats(ng_writer *w)
{
	if (!w->repeats_cleared && w->repeats.before != NG_REPEATS_UNKNOWN)
		return NEWSGREP_OK;
	ngx_error err;
	uint64_t n;
	char text[24];
	if (!ng_repeats_count(&w->repeats, *w->x, &n, &err))
		return ng_writer_xfail(w, "cannot read the index's URLs", &err);
	snprintf(text, sizeof(text), "%llu", (unsigned long long)n);
	if (begin_write(w) != NEWSGREP_OK)
		return w->err.status;
	if (ngx_db_set_metadata(*w->x, NG_META_REPEATED_URLS, text, &err) != NGX_OK)
		return ng_writer_xfail(w, "cannot write to the index", &err);
	w->repeats_cleared = false;
	w->repeats.before = n;
	return NEWSGREP_OK;
}

/* ---- changes ---- */

/* Opens a batch for a change that adds or removes a URL. */
static newsgrep_status_t begin_change(ng_writer *w)
{
	if (begin_write(w) != NEWSGREP_OK || forget_repeats(w) != NEWSGREP_OK)
		return w->err.status;
	return NEWSGREP_OK;
}

/* Deletes the article of document `docid`. */
static newsgrep_status_t delete_document(ng_writer *w, uint32_t docid)
{
	ngx_error err;
	if (begin_change(w) != NEWSGREP_OK)
		return w->err.status;
	w->repeats.removed = true;
	if (ng_docmaker_forget_spellings(w->dm, docid) != NEWSGREP_OK)
		return docmaker_failed(w);
	if (ngx_db_delete_document(*w->x, docid, &err) != NGX_OK)
		return ng_writer_xfail(w, "cannot delete a document", &err);
	/* Its size is unknown without reading it: guess the last one's. */
	w->batch_bytes += w->doc_bytes;
	w->stats->deleted++;
	return NEWSGREP_OK;
}

/* ---- the files of other shards' articles (known.c) ---- */

/* Records file path[0..len), whose article is another shard's, as `fs`
 * says; with fs NULL, drops its record. */
static newsgrep_status_t record_elsewhere(ng_writer *w, const char *path, size_t len,
                                          const ng_file_state *fs)
{
	char key[NG_ELSEWHERE_KEY_SIZE];
	ng_known_elsewhere_key(path, len, key, sizeof(key));
	w->scratch.len = 0;
	if (fs && !ng_file_state_encode(&w->scratch, fs, path, len))
		return ng_error_nomem(&w->err);
	if (begin_write(w) != NEWSGREP_OK)
		return w->err.status;
	ngx_error err;
	if (ngx_db_set_metadata_bytes(*w->x, key, w->scratch.data, w->scratch.len, &err) != NGX_OK)
		return ng_writer_xfail(w, "cannot record a file of another shard", &err);
	w->batch_bytes += sizeof(key) + w->scratch.len;
	return NEWSGREP_OK;
}

/* Whether the article just parsed, of the file at `path`, is the
 * shard's (shard.c). */
static bool ours(const ng_writer *w, const char *path)
{
	if (!w->shard || ng_shard_whole(w->shard))
		return true;
	uint64_t key;
	if (!ng_docmaker_url_key(w->dm, &key))
		key = ng_shard_path_key(path, w->roots);
	return ng_shard_holds(w->shard, key);
}

/* Whether the shard reports the file at `path`, which is no article: the
 * one its path is the key of, as for an article without a URL (its URL,
 * if it has one, cannot be read), so that N shards report it once. */
static bool reports_bad(const ng_writer *w, const char *path)
{
	return !w->shard || ng_shard_whole(w->shard) ||
	       ng_shard_holds(w->shard, ng_shard_path_key(path, w->roots));
}

/* The article just parsed is another shard's: its file is recorded as
 * one, and its document goes if the index had one (k's, unless k is
 * NULL or a record already).  Its warnings are its shard's to tell. */
static newsgrep_status_t elsewhere(ng_writer *w, const char *path, const ng_known *k,
                                   const ng_file_state *fs)
{
	if (k && k->docid && delete_document(w, k->docid) != NEWSGREP_OK)
		return w->err.status;
	return record_elsewhere(w, path, strlen(path), fs);
}

/* Deletes known entry i of the plan: its article, or its record of a file
 * of another shard. */
static newsgrep_status_t delete_known(ng_writer *w, uint32_t i)
{
	const ng_known *k = &w->plan->known.items[i];
	newsgrep_status_t st =
	    k->docid ? delete_document(w, k->docid)
	             : record_elsewhere(w, ng_known_path(&w->plan->known, k), k->path_len, NULL);
	if (st == NEWSGREP_OK)
		w->progress.done++;
	return st;
}

newsgrep_status_t ng_writer_roots(ng_writer *w, const ng_roots *roots, const ng_roots *added)
{
	ngx_error err;
	if (!ng_roots_format(roots, &w->scratch))
		return ng_error_nomem(&w->err);
	if (begin_write(w) != NEWSGREP_OK)
		return w->err.status;
	if (ngx_db_set_metadata(*w->x, NG_META_ROOTS, w->scratch.data, &err) != NGX_OK)
		return ng_writer_xfail(w, "cannot record the index's roots", &err);
	if (!ng_added_format(added, roots, &w->scratch))
		return ng_error_nomem(&w->err);
	if (ngx_db_set_metadata(*w->x, NG_META_ROOTS_ADDED, w->scratch.data, &err) != NGX_OK)
		return ng_writer_xfail(w, "cannot record the paths the index's roots were added by",
		                       &err);
	return NEWSGREP_OK;
}

newsgrep_status_t ng_writer_shard(ng_writer *w, const ng_shard *shard)
{
	char text[32];
	ng_shard_format(shard, text, sizeof(text));
	if (begin_write(w) != NEWSGREP_OK)
		return w->err.status;
	ngx_error err;
	if (ngx_db_set_metadata(*w->x, NG_META_SHARD, text, &err) != NGX_OK)
		return ng_writer_xfail(w, "cannot record the index's shard", &err);
	return NEWSGREP_OK;
}

/* A touched file, not changed: refreshes its record only. */
static newsgrep_status_t refresh_record(ng_writer *w, const char *path, const ng_known *k,
                                        const ng_file_state *fs)
{
	if (!k->docid)
		return record_elsewhere(w, path, strlen(path), fs);
	ngx_error err;
	if (!ng_file_state_encode(&w->scratch, fs, path, strlen(path)))
		return ng_error_nomem(&w->err);
	if (begin_write(w) != NEWSGREP_OK)
		return w->err.status;
	if (ngx_db_set_document_value(*w->x, k->docid, NG_SLOT_FILE, w->scratch.data,
	                              w->scratch.len, &err) != NGX_OK)
		return ng_writer_xfail(w, "cannot update a document", &err);
	w->stats->unchanged++;
	return NEWSGREP_OK;
}

/* Xapian ran out of memory adding an article alone in its batch, and
 * dropped the batch: ends it, skips the file, and goes on. */
static newsgrep_status_t skip_dropped(ng_writer *w, const char *path, bool was_cleared)
{
	ngx_error err;
	if (ngx_db_cancel_batch(*w->x, &err) != NGX_OK)
		return ng_writer_xfail(w, "cannot write to the index", &err);
	batch_ended(w);
	w->repeats_cleared = was_cleared;
	ng_docmaker_give_back(w->dm);
	ng_writer_report(w, NEWSGREP_PROBLEM_SKIPPED, path, 0, 0,
	                 "out of memory adding the article to the index; skipped");
	return NEWSGREP_OK;
}

/* The document just added (replacing k's, unless NULL): its spellings,
 * URL, cost and counts. */
static newsgrep_status_t added(ng_writer *w, const char *path, const ng_known *k)
{
	ng_file_problem problem;
	if (ng_docmaker_add_spellings(w->dm, &problem) != NEWSGREP_OK)
		return docmaker_failed(w);
	if (problem.status != NEWSGREP_OK)
		ng_writer_report(w, NEWSGREP_PROBLEM_WARNING, path, 0, 0, problem.message);
	uint64_t url_key;
	if (ng_docmaker_url_key(w->dm, &url_key))
		ng_repeats_added(&w->repeats, url_key);
	if (k)
		w->repeats.removed = true;
	/* A replacement also removes the old version's postings. */
	w->doc_bytes = ng_docmaker_cost(w->dm);
	w->batch_bytes += k ? 2 * w->doc_bytes : w->doc_bytes;
	if (k)
		w->stats->updated++;
	else
		w->stats->added++;
	report_warnings(w, path);
	return NEWSGREP_OK;
}

/* Numbers the document built for `it` (sequence.c): a change keeps its
 * article's arrival, as a move does; a new article takes its duplicates'
 * (the least, should they differ), or the change's number. */
static newsgrep_status_t number_document(ng_writer *w, const ng_plan_item *it, const ng_known *k)
{
	uint64_t change = ng_sequence_next(w->seq), arrival = change;
	double n = 0;
	int has = 0;
	ngx_error err;
	ngx_code rc = NGX_OK;
	uint64_t key;
	char term[32];
	size_t len;
	if (k && k->docid)
		rc = ngx_db_document_number(*w->x, k->docid, NG_SLOT_ARRIVAL, &n, &has, &err);
	else if (it->moved_from != NG_PLAN_NONE && w->has_moved_arrival)
		n = (double)w->moved_arrival, has = 1;
	else if (ng_docmaker_url_key(w->dm, &key) &&
	         (len = ng_url_key_term(term, sizeof(term), key)))
		rc = ngx_db_term_least_number(*w->x, term, len, NG_SLOT_ARRIVAL, 0, &n, &has, &err);
	if (rc == NGX_OK && has && n >= 1 && n < (double)change)
		arrival = (uint64_t)n;
	if (rc == NGX_OK)
		rc = ng_sequence_stamp(ng_docmaker_doc(w->dm), arrival, change, &err);
	if (rc != NGX_OK)
		return ng_writer_xfail(w, "cannot number an article", &err);
	return NEWSGREP_OK;
}

/* Adds the document built for `path` (replacing k's, unless NULL). */
static newsgrep_status_t add_document(ng_writer *w, const ng_plan_item *it, const char *path,
                                      const ng_known *k)
{
	/* A big article gets a batch of its own (never half a move's): were
	 * adding it to run out of memory, Xapian drops only its changes. */
	size_t cost = ng_docmaker_cost(w->dm);
	if (it->moved_from == NG_PLAN_NONE && cost >= ((size_t)w->opts.commit_mib << 20) / 4 &&
	    ng_writer_commit(w) != NEWSGREP_OK)
		return w->err.status;
	bool was_cleared = w->repeats_cleared;
	if (begin_change(w) != NEWSGREP_OK)
		return w->err.status;
	bool alone = w->batch_changes == 1; /* nothing else in the batch */
	if (k && !k->docid) {
		/* The file's article was another shard's: new to this one. */
		if (record_elsewhere(w, path, strlen(path), NULL) != NEWSGREP_OK)
			return w->err.status;
		k = NULL;
	}
	if (k && ng_docmaker_forget_spellings(w->dm, k->docid) != NEWSGREP_OK)
		return docmaker_failed(w);
	if (w->seq && number_document(w, it, k) != NEWSGREP_OK)
		return w->err.status;
	ngx_doc *doc = ng_docmaker_doc(w->dm);
	uint32_t docid;
	ngx_error err;
	ngx_code rc = k ? ngx_db_replace_document_id(*w->x, k->docid, doc, &err)
	                : ngx_db_add_document_id(*w->x, doc, &docid, &err);
	if (rc != NGX_OK && err.code == NGX_ERR_NOMEM && alone)
		return skip_dropped(w, path, was_cleared);
	if (rc != NGX_OK) {
		char what[600];
		ng_msg_set(what, sizeof(what), "cannot add '%s' to the index", path);
		return ng_writer_xfail(w, what, &err);
	}
	return added(w, path, k);
}

newsgrep_status_t ng_writer_index(ng_writer *w, const ng_plan_item *it)
{
	const char *path = ng_plan_path(w->plan, it);
	const ng_known *k = it->kind == NG_PLAN_CHECK ? &w->plan->known.items[it->known] : NULL;
	ng_file_state fs;
	ng_file_problem problem;
	w->progress.done++;
	newsgrep_status_t st = ng_docmaker_read(w->dm, path, &fs, &problem);
	if (st == NEWSGREP_OK && problem.status == NEWSGREP_OK &&
	    ng_plan_same_content(w->plan, it, &fs))
		return refresh_record(w, path, k, &fs);
	if (st == NEWSGREP_OK && problem.status == NEWSGREP_OK)
		st = ng_docmaker_parse(w->dm, path, &problem);
	if (st == NEWSGREP_OK && problem.status == NEWSGREP_OK && !ours(w, path))
		return elsewhere(w, path, k, &fs);
	if (st == NEWSGREP_OK && problem.status == NEWSGREP_OK)
		st = ng_docmaker_make(w->dm, &fs, &problem);
	if (st != NEWSGREP_OK)
		return docmaker_failed(w);
	if (problem.status != NEWSGREP_OK) {
		/* Bad input: the index keeps the version it has, if any.  A
		 * file every shard reads alike is reported by one of them. */
		if (problem.status != NEWSGREP_PARSE || reports_bad(w, path))
			ng_writer_report(w, NEWSGREP_PROBLEM_SKIPPED, path, problem.line,
			                 problem.column, problem.message);
		return NEWSGREP_OK;
	}
	return add_document(w, it, path, k);
}

newsgrep_status_t ng_writer_next(ng_writer *w)
{
	if (maybe_commit(w) != NEWSGREP_OK)
		return w->err.status;
	ng_writer_progress(w, NEWSGREP_PHASE_INDEX);
	return NEWSGREP_OK;
}

/* Before the old document of a moved file goes: its article's arrival,
 * which the new one keeps. */
static newsgrep_status_t note_moved_arrival(ng_writer *w, uint32_t known)
{
	const ng_known *k = &w->plan->known.items[known];
	double n;
	int has = 0;
	ngx_error err;
	w->has_moved_arrival = false;
	if (!w->seq || !k->docid)
		return NEWSGREP_OK;
	if (ngx_db_document_number(*w->x, k->docid, NG_SLOT_ARRIVAL, &n, &has, &err) != NGX_OK)
		return ng_writer_xfail(w, "cannot read an article's number", &err);
	w->has_moved_arrival = has && n >= 1;
	w->moved_arrival = has ? (uint64_t)n : 0;
	return NEWSGREP_OK;
}

newsgrep_status_t ng_writer_apply(ng_writer *w)
{
	const ng_plan *p = w->plan;
	/* Moves first, each deletion beside its addition. */
	for (size_t i = 0; i < p->nitems && !w->stop; i++) {
		const ng_plan_item *it = &p->items[i];
		if (it->moved_from == NG_PLAN_NONE)
			continue;
		if (note_moved_arrival(w, it->moved_from) != NEWSGREP_OK ||
		    delete_known(w, it->moved_from) != NEWSGREP_OK ||
		    ng_writer_index(w, it) != NEWSGREP_OK || ng_writer_next(w) != NEWSGREP_OK)
			return w->err.status;
	}
	for (size_t i = 0; i < p->ngone && !w->stop; i++) {
		if (!ng_plan_deletes(p, i))
			continue;
		if (delete_known(w, p->gone[i]) != NEWSGREP_OK || ng_writer_next(w) != NEWSGREP_OK)
			return w->err.status;
	}
	for (size_t i = 0; i < p->nitems && !w->stop; i++) {
		const ng_plan_item *it = &p->items[i];
		if (it->moved_from != NG_PLAN_NONE)
			continue;
		if (ng_writer_index(w, it) != NEWSGREP_OK || ng_writer_next(w) != NEWSGREP_OK)
			return w->err.status;
	}
	if (ng_writer_record_repeats(w) != NEWSGREP_OK)
		return w->err.status;
	return ng_writer_commit(w);
}
