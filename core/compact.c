/*
 * compact.c - newsgrep_db_compact: the live database copied into a compact
 * db.N+1 and swapped in, as a rebuild is, without reading an article.
 *
 * Updates leave Xapian's B-trees with free space in their blocks (after
 * every article of an index changed once, about half as much again as a
 * fresh build); Xapian's compactor writes the same content with full
 * blocks.  Searches go on throughout: they see the old database until the
 * stub names the new one.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "ng.h"
#include "ngx.h"

newsgrep_status_t newsgrep_db_compact(newsgrep_db_t *db, uint64_t *bytes_before,
                                      uint64_t *bytes_after)
{
	if (!db)
		return NEWSGREP_INVALID_ARG;
	if (!db->w || db->mode != NEWSGREP_DB_WRITE || db->w->building)
		return ng_db_fail(db, NEWSGREP_INVALID_ARG,
		                  "only a writer of the live index can compact it", NULL);
	char live[64], fresh[64], src[PATH_MAX], dest[PATH_MAX];
	if (!ng_layout_live_db(db->path, live, sizeof(live)))
		return ng_db_fail(db, NEWSGREP_CORRUPT,
		                  "the index's stub does not name one database of its own", NULL);
	unsigned last;
	if (!ng_layout_last_db(db->path, &last)) {
		char what[4400];
		snprintf(what, sizeof(what), "cannot read the index folder '%s'", db->path);
		return ng_db_fail(db, NEWSGREP_IO, what, strerror(errno));
	}
	unsigned number = last + 1;
	snprintf(fresh, sizeof(fresh), "%s%u", NG_LAYOUT_DB_PREFIX, number);
	if (!ng_path_join(src, sizeof(src), db->path, live))
		return ng_db_too_long(db, db->path, live);
	if (!ng_path_join(dest, sizeof(dest), db->path, fresh))
		return ng_db_too_long(db, db->path, fresh);

	ngx_error err;
	/* The compactor reads what is committed. */
	if (ngx_db_commit(db->x, &err) != NGX_OK)
		return ng_db_fail(db, ng_status_from_ngx(err.code), "cannot commit to the index",
		                  err.message);
	uint64_t before = ng_layout_db_bytes(src);
	ng_db_step(db);
	const char *srcs[] = {src};
	struct ngx_db *compact = NULL;
	if (ngx_db_merge(srcs, 1, dest, &err) != NGX_OK ||
	    ngx_db_open_write(&compact, dest, 0, &err) != NGX_OK) {
		ng_remove_tree(dest);
		return ng_db_fail(db, ng_status_from_ngx(err.code), "cannot compact the index",
		                  err.message);
	}
	newsgrep_status_t st = ng_layout_publish(db, number, compact);
	if (st != NEWSGREP_OK) {
		ngx_db_close(compact, &err);
		ng_remove_tree(dest);
		return st;
	}
	if (bytes_before)
		*bytes_before = before;
	if (bytes_after)
		*bytes_after = ng_layout_db_bytes(dest);
	return NEWSGREP_OK;
}
