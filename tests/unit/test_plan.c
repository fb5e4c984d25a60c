/*
 * test_plan.c - the planner (plan.c): from what the index holds and what
 * a walk finds, the files to read, the entries to delete and the moves,
 * all in memory.  Each case writes the plan out as text and compares it
 * whole.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "ng.h"

static ng_file_state state(uint64_t ino, uint64_t size, int64_t mtime, uint64_t hash)
{
	return (ng_file_state){
	    .size = size, .ino = ino, .hash = hash, .mtime_sec = mtime, .ctime_sec = mtime};
}

/* The index holds `path` as document `docid`. */
static void know(ng_plan *p, const char *path, uint32_t docid, ng_file_state fs)
{
	if (!ng_known_add(&p->known, path, strlen(path), docid, &fs)) {
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
}

/* The walk finds `path` with stat `fs` (no hash, as a walk sees it). */
static ng_plan_found found(ng_plan *p, const char *path, ng_file_state fs)
{
	ng_plan_found f = NG_PLAN_AGAIN;
	ng_error err;
	fs.hash = 0;
	if (ng_plan_file(p, path, &fs, &f, &err) != NEWSGREP_OK) {
		fprintf(stderr, "%s\n", err.message);
		exit(2);
	}
	return f;
}

static const char *known_path(const ng_plan *p, uint32_t i, char *out, size_t cap)
{
	const ng_known *k = &p->known.items[i];
	snprintf(out, cap, "%.*s #%u", (int)k->path_len, ng_known_path(&p->known, k), k->docid);
	return out;
}

/* Ends the scan: what vanished under `walked` (or outside `all`, unless
 * NULL) goes, and the moves are paired. */
static void settle(ng_plan *p, const char *walked, const char *all)
{
	ng_roots w = {0}, r = {0};
	ng_error err;
	if (!ng_roots_parse(walked, &w) || (all && !ng_roots_parse(all, &r)) ||
	    ng_plan_find_gone(p, &w, all ? &r : NULL, &err) != NEWSGREP_OK ||
	    ng_plan_pair_moves(p, &err) != NEWSGREP_OK) {
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	ng_roots_release(&w);
	ng_roots_release(&r);
}

/* settle(), then the plan as lines: "new PATH", "check PATH #DOCID",
 * "move OLD #DOCID -> NEW", then "delete PATH #DOCID". */
static const char *plan_text(ng_plan *p, const char *walked, const char *all)
{
	static char out[8192];
	char a[600];
	settle(p, walked, all);
	size_t n = 0;
	out[0] = '\0';
	for (size_t i = 0; i < p->nitems; i++) {
		const ng_plan_item *it = &p->items[i];
		const char *path = ng_plan_path(p, it);
		if (it->moved_from != NG_PLAN_NONE)
			n += (size_t)snprintf(out + n, sizeof(out) - n, "move %s -> %s\n",
			                      known_path(p, it->moved_from, a, sizeof(a)), path);
		else if (it->kind == NG_PLAN_NEW)
			n += (size_t)snprintf(out + n, sizeof(out) - n, "new %s\n", path);
		else
			n += (size_t)snprintf(out + n, sizeof(out) - n, "check %s\n",
			                      known_path(p, it->known, a, sizeof(a)));
	}
	for (size_t i = 0; i < p->ngone; i++)
		if (ng_plan_deletes(p, i))
			n += (size_t)snprintf(out + n, sizeof(out) - n, "delete %s\n",
			                      known_path(p, p->gone[i], a, sizeof(a)));
	return out;
}

static void test_empty(void)
{
	ng_plan p = {0};
	STR_IS(plan_text(&p, "", NULL), "");
	CHECK(p.nitems == 0 && p.ngone == 0);
	ng_plan_release(&p);

	/* A root walked with no file in it and nothing known. */
	STR_IS(plan_text(&p, "/r", "/r"), "");
	ng_plan_release(&p);

	/* Nothing walked: nothing known goes. */
	know(&p, "/r/a", 1, state(1, 10, 100, 7));
	STR_IS(plan_text(&p, "", NULL), "");
	ng_plan_release(&p);
}

static void test_new_and_unchanged(void)
{
	ng_plan p = {0};
	know(&p, "/r/same", 1, state(1, 10, 100, 7));
	CHECK(found(&p, "/r/b", state(2, 20, 100, 0)) == NG_PLAN_QUEUED);
	CHECK(found(&p, "/r/same", state(1, 10, 100, 0)) == NG_PLAN_UNCHANGED);
	CHECK(found(&p, "/r/a", state(3, 30, 100, 0)) == NG_PLAN_QUEUED);
	/* In the order found, not sorted. */
	STR_IS(plan_text(&p, "/r", NULL), "new /r/b\nnew /r/a\n");
	CHECK(p.items[0].ino == 2 && p.items[0].size == 20);
	CHECK(p.items[1].kind == NG_PLAN_NEW && p.items[1].known == NG_PLAN_NONE);
	/* A new file's bytes are never the index's. */
	ng_file_state read = state(3, 30, 100, 7);
	CHECK(!ng_plan_same_content(&p, &p.items[1], &read));
	ng_plan_release(&p);
}

/* A shard's files of other shards' articles (docid 0): planned as any
 * file, only found unchanged as such. */
static void test_elsewhere(void)
{
	ng_plan p = {0};
	know(&p, "/r/here", 1, state(1, 10, 100, 7));
	know(&p, "/r/there", 0, state(2, 10, 100, 8));
	know(&p, "/r/touched", 0, state(3, 10, 100, 9));
	know(&p, "/r/gone", 0, state(4, 10, 100, 9));
	CHECK(found(&p, "/r/here", state(1, 10, 100, 0)) == NG_PLAN_UNCHANGED);
	CHECK(found(&p, "/r/there", state(2, 10, 100, 0)) == NG_PLAN_ELSEWHERE);
	CHECK(found(&p, "/r/touched", state(3, 10, 101, 0)) == NG_PLAN_QUEUED);
	STR_IS(plan_text(&p, "/r", NULL), "check /r/touched #0\ndelete /r/gone #0\n");
	ng_file_state read = state(3, 10, 101, 9);
	CHECK(ng_plan_same_content(&p, &p.items[0], &read));
	ng_plan_release(&p);
}

static void test_changed(void)
{
	ng_plan p = {0};
	know(&p, "/r/mtime", 1, state(1, 10, 100, 11));
	know(&p, "/r/size", 2, state(2, 10, 100, 22));
	know(&p, "/r/inode", 3, state(3, 10, 100, 33));
	know(&p, "/r/ctime", 4, state(4, 10, 100, 44));
	know(&p, "/r/nsec", 5, state(5, 10, 100, 55));
	CHECK(found(&p, "/r/mtime", state(1, 10, 101, 0)) == NG_PLAN_QUEUED);
	CHECK(found(&p, "/r/size", state(2, 11, 100, 0)) == NG_PLAN_QUEUED);
	CHECK(found(&p, "/r/inode", state(9, 10, 100, 0)) == NG_PLAN_QUEUED);
	ng_file_state ctime = state(4, 10, 100, 0);
	ctime.ctime_sec = 200;
	CHECK(found(&p, "/r/ctime", ctime) == NG_PLAN_QUEUED);
	ng_file_state nsec = state(5, 10, 100, 0);
	nsec.mtime_nsec = 1;
	CHECK(found(&p, "/r/nsec", nsec) == NG_PLAN_QUEUED);
	STR_IS(plan_text(&p, "/r", NULL), "check /r/mtime #1\n"
	                                  "check /r/size #2\n"
	                                  "check /r/inode #3\n"
	                                  "check /r/ctime #4\n"
	                                  "check /r/nsec #5\n");
	CHECK(p.items[2].known == 2 && p.items[2].moved_from == NG_PLAN_NONE);
	/* Once read: the same hash is a touch (the record is refreshed),
	 * another is a change (the document is replaced). */
	ng_file_state touched = state(1, 10, 101, 11), edited = state(2, 11, 100, 99);
	CHECK(ng_plan_same_content(&p, &p.items[0], &touched));
	CHECK(!ng_plan_same_content(&p, &p.items[1], &edited));
	ng_plan_release(&p);
}

static void test_deleted(void)
{
	ng_plan p = {0};
	know(&p, "/r/gone", 1, state(1, 10, 100, 0));
	know(&p, "/r/stays", 2, state(2, 10, 100, 0));
	know(&p, "/rx/other", 3, state(3, 10, 100, 0)); /* not under /r */
	know(&p, "/s/unwalked", 4, state(4, 10, 100, 0));
	know(&p, "/r/sub/gone", 5, state(5, 10, 100, 0));
	CHECK(found(&p, "/r/stays", state(2, 10, 100, 0)) == NG_PLAN_UNCHANGED);
	/* Only /r walked: only what was under it goes. */
	STR_IS(plan_text(&p, "/r", NULL), "delete /r/gone #1\ndelete /r/sub/gone #5\n");
	CHECK(p.ngone == 2 && p.gone[0] == 0 && p.gone[1] == 4);
	ng_plan_release(&p);

	/* Every root walked (/r and /s): what is under none of them goes too,
	 * and what is under /s but was not found. */
	know(&p, "/r/gone", 1, state(1, 10, 100, 0));
	know(&p, "/rx/other", 3, state(3, 10, 100, 0));
	know(&p, "/s/kept", 4, state(4, 10, 100, 0));
	CHECK(found(&p, "/s/kept", state(4, 10, 100, 0)) == NG_PLAN_UNCHANGED);
	STR_IS(plan_text(&p, "/r\n/s", "/r\n/s"), "delete /r/gone #1\ndelete /rx/other #3\n");
	ng_plan_release(&p);
}

static void test_kept(void)
{
	ng_plan p = {0};
	know(&p, "/r/bad/a", 1, state(1, 10, 100, 0));
	know(&p, "/r/bad/b/c", 2, state(2, 10, 100, 0));
	know(&p, "/r/badly", 3, state(3, 10, 100, 0));
	know(&p, "/r/file", 4, state(4, 10, 100, 0));
	CHECK(ng_plan_count_under(&p, "/r") == 4);
	CHECK(ng_plan_count_under(&p, "/r/bad") == 2);
	CHECK(ng_plan_count_under(&p, "/q") == 0);
	/* A folder that could not be read, and a file: kept, not deleted. */
	CHECK(ng_plan_keep_under(&p, "/r/bad") == 2);
	CHECK(ng_plan_keep_under(&p, "/r/file") == 1);
	CHECK(ng_plan_keep_under(&p, "/r/none") == 0);
	/* A kept file found after all: nothing more to do with it. */
	CHECK(found(&p, "/r/file", state(4, 99, 100, 0)) == NG_PLAN_AGAIN);
	STR_IS(plan_text(&p, "/r", NULL), "delete /r/badly #3\n");
	ng_plan_release(&p);
}

static void test_found_twice(void)
{
	ng_plan p = {0};
	know(&p, "/r/k", 1, state(1, 10, 100, 0));
	CHECK(found(&p, "/r/k", state(1, 11, 100, 0)) == NG_PLAN_QUEUED);
	CHECK(found(&p, "/r/k", state(1, 11, 100, 0)) == NG_PLAN_AGAIN);
	/* A file the index does not have is queued each time it is found. */
	CHECK(found(&p, "/r/n", state(2, 10, 100, 0)) == NG_PLAN_QUEUED);
	CHECK(found(&p, "/r/n", state(2, 10, 100, 0)) == NG_PLAN_QUEUED);
	STR_IS(plan_text(&p, "/r", NULL), "check /r/k #1\nnew /r/n\nnew /r/n\n");
	ng_plan_release(&p);
}

static void test_moves(void)
{
	ng_plan p = {0};
	know(&p, "/r/old", 1, state(7, 100, 100, 5));
	know(&p, "/r/resized", 2, state(8, 100, 100, 5));
	know(&p, "/r/other", 3, state(9, 100, 100, 5));
	/* Same inode and size under a new name: a move (the stat's times
	 * may differ: a rename changes the ctime). */
	CHECK(found(&p, "/r/new", state(7, 100, 300, 0)) == NG_PLAN_QUEUED);
	/* Same inode, other size: a new file and a deletion. */
	CHECK(found(&p, "/r/grown", state(8, 101, 100, 0)) == NG_PLAN_QUEUED);
	/* Same size, other inode (a copy): the same. */
	CHECK(found(&p, "/r/copy", state(10, 100, 100, 0)) == NG_PLAN_QUEUED);
	STR_IS(plan_text(&p, "/r", NULL), "move /r/old #1 -> /r/new\n"
	                                  "new /r/grown\n"
	                                  "new /r/copy\n"
	                                  "delete /r/resized #2\n"
	                                  "delete /r/other #3\n");
	CHECK(p.ngone == 3 && p.items[0].moved_from == 0 && p.items[0].kind == NG_PLAN_NEW);
	ng_plan_release(&p);

	/* A move out of the walked root is no move: the file found is new,
	 * the one gone from elsewhere is kept (not walked). */
	know(&p, "/s/old", 1, state(7, 100, 100, 5));
	CHECK(found(&p, "/r/new", state(7, 100, 100, 0)) == NG_PLAN_QUEUED);
	STR_IS(plan_text(&p, "/r", NULL), "new /r/new\n");
	ng_plan_release(&p);

	/* A changed file is never half of a move. */
	know(&p, "/r/a", 1, state(7, 100, 100, 5));
	know(&p, "/r/b", 2, state(8, 100, 100, 5));
	CHECK(found(&p, "/r/b", state(7, 100, 100, 0)) == NG_PLAN_QUEUED);
	STR_IS(plan_text(&p, "/r", NULL), "check /r/b #2\ndelete /r/a #1\n");
	ng_plan_release(&p);
}

static void test_ambiguous_moves(void)
{
	ng_plan p = {0};
	/* Two new names of one inode (hard links): the first found takes
	 * the vanished file, the second is new. */
	know(&p, "/r/old", 1, state(7, 100, 100, 5));
	found(&p, "/r/link1", state(7, 100, 100, 0));
	found(&p, "/r/link2", state(7, 100, 100, 0));
	STR_IS(plan_text(&p, "/r", NULL), "move /r/old #1 -> /r/link1\nnew /r/link2\n");
	ng_plan_release(&p);

	/* Two vanished files of one inode and size: the first in the table
	 * goes with the move, the other is deleted; inodes sorted in another
	 * order than the table's do not change that. */
	know(&p, "/r/z", 1, state(9, 100, 100, 5));
	know(&p, "/r/y", 2, state(7, 100, 100, 5));
	know(&p, "/r/x", 3, state(7, 100, 100, 5));
	know(&p, "/r/w", 4, state(3, 100, 100, 5));
	found(&p, "/r/new", state(7, 100, 100, 0));
	STR_IS(plan_text(&p, "/r", NULL), "move /r/y #2 -> /r/new\n"
	                                  "delete /r/z #1\n"
	                                  "delete /r/x #3\n"
	                                  "delete /r/w #4\n");
	ng_plan_release(&p);

	/* One inode, several sizes: each new file takes the first vanished
	 * one of its own size not taken yet. */
	know(&p, "/r/a", 1, state(7, 100, 100, 5));
	know(&p, "/r/b", 2, state(7, 200, 100, 5));
	know(&p, "/r/c", 3, state(7, 200, 100, 5));
	found(&p, "/r/n1", state(7, 200, 100, 0));
	found(&p, "/r/n2", state(7, 200, 100, 0));
	found(&p, "/r/n3", state(7, 200, 100, 0));
	found(&p, "/r/n4", state(7, 100, 100, 0));
	STR_IS(plan_text(&p, "/r", NULL), "move /r/b #2 -> /r/n1\n"
	                                  "move /r/c #3 -> /r/n2\n"
	                                  "new /r/n3\n"
	                                  "move /r/a #1 -> /r/n4\n");
	CHECK(p.ngone == 3);
	ng_plan_release(&p);
}

/* 20000 files in 100 folders: every 10th gone, every 7th (of the rest)
 * changed, every 13th (of the rest) renamed, and 500 new. */
static void test_many(void)
{
	enum { FILES = 20000, FOLDERS = 100, NEW = 500 };
	ng_plan p = {0};
	char path[64];
	for (uint32_t i = 0; i < FILES; i++) {
		snprintf(path, sizeof(path), "/r/d%u/f%u", i % FOLDERS, i);
		know(&p, path, i + 1, state(1000 + i, 100 + i % 50, 100, i));
	}
	size_t unchanged = 0, changed = 0, gone = 0, moved = 0, again = 0;
	for (uint32_t i = 0; i < FILES; i++) {
		ng_file_state fs = state(1000 + i, 100 + i % 50, 100, 0);
		if (i % 10 == 0) {
			gone++;
			continue;
		}
		if (i % 7 == 0) {
			fs.mtime_sec++;
			changed++;
		} else if (i % 13 == 0) {
			moved++;
			snprintf(path, sizeof(path), "/r/moved/f%u", i);
			again += found(&p, path, fs) != NG_PLAN_QUEUED;
			continue;
		} else
			unchanged++;
		snprintf(path, sizeof(path), "/r/d%u/f%u", i % FOLDERS, i);
		ng_plan_found f = found(&p, path, fs);
		again += f != (i % 7 == 0 ? NG_PLAN_QUEUED : NG_PLAN_UNCHANGED);
	}
	for (uint32_t i = 0; i < NEW; i++) {
		snprintf(path, sizeof(path), "/r/new/f%u", i);
		found(&p, path, state(900000 + i, 100, 100, 0));
	}
	CHECK(again == 0);
	settle(&p, "/r", NULL);
	CHECK(p.nitems == changed + moved + NEW);
	CHECK(p.ngone == gone + moved);
	size_t moves = 0, news = 0, checks = 0, deletes = 0, wrong = 0;
	for (size_t i = 0; i < p.nitems; i++) {
		const ng_plan_item *it = &p.items[i];
		if (it->moved_from != NG_PLAN_NONE) {
			moves++;
			/* "/r/moved/fN" came from "/r/dM/fN". */
			const ng_known *k = &p.known.items[it->moved_from];
			const char *name = strrchr(ng_plan_path(&p, it), '/');
			const char *was = ng_known_path(&p.known, k);
			wrong += k->docid != it->moved_from + 1 ||
			         strncmp(was + k->path_len - strlen(name), name, strlen(name)) != 0;
		} else if (it->kind == NG_PLAN_NEW)
			news++;
		else
			checks++;
	}
	for (size_t i = 0; i < p.ngone; i++) {
		deletes += ng_plan_deletes(&p, i);
		wrong += p.known.items[p.gone[i]].docid % 10 != 1 && ng_plan_deletes(&p, i);
	}
	CHECK(moves == moved && news == NEW && checks == changed && deletes == gone);
	CHECK(wrong == 0);
	CHECK(unchanged == FILES - gone - changed - moved);
	CHECK(moved == 1187 && changed == 2572 && gone == 2000);
	ng_plan_release(&p);
}

int main(void)
{
	test_empty();
	test_new_and_unchanged();
	test_changed();
	test_elsewhere();
	test_deleted();
	test_kept();
	test_found_twice();
	test_moves();
	test_ambiguous_moves();
	test_many();
	if (failures)
		fprintf(stderr, "%d failure(s)\n", failures);
	return failures ? 1 : 0;
}
