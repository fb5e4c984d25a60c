/*
 * plan.c - what an update is to change, decided in memory.
 *
 * The planner owns the decisions of an update and nothing else: no
 * Xapian, no file system, no writes.  Its inputs are the files the index
 * holds (the known table, known.c) and the files a walk finds, one call
 * each with the stat the walk saw; its output is the plan: the files to
 * read (new ones, and known ones whose stat changed), the entries that
 * vanished (to delete), and the moves among them (a vanished file whose
 * inode and size turn up under a new name), whose two halves the writer
 * must commit together (writer.c).  Whether a changed file's bytes
 * changed too is decided once they are read (ng_plan_same_content).
 */
#include <stdlib.h>
#include <string.h>

#include "ng.h"

void ng_plan_release(ng_plan *p)
{
	ng_known_release(&p->known);
	free(p->items);
	free(p->gone);
	ng_buf_release(&p->paths);
	memset(p, 0, sizeof(*p));
}

const char *ng_plan_path(const ng_plan *p, const ng_plan_item *it)
{
	return p->paths.data + it->path_off;
}

static bool push_item(ng_plan *p, const char *path, const ng_file_state *fs, ng_plan_kind kind,
                      uint32_t known)
{
	ng_plan_item *v = ng_grow(p->items, p->nitems, &p->items_cap, sizeof(*v), 1024);
	if (!v)
		return false;
	p->items = v;
	p->items[p->nitems++] =
	    (ng_plan_item){p->paths.len, kind, known, NG_PLAN_NONE, fs->ino, fs->size};
	return ng_buf_append(&p->paths, path, strlen(path) + 1);
}

newsgrep_status_t ng_plan_file(ng_plan *p, const char *path, const ng_file_state *fs,
                               ng_plan_found *found, ng_error *err)
{
	ng_known *k = ng_known_find(&p->known, path, strlen(path));
	bool ok = true;
	*found = NG_PLAN_QUEUED;
	if (!k)
		ok = push_item(p, path, fs, NG_PLAN_NEW, NG_PLAN_NONE);
	else if (k->seen)
		*found = NG_PLAN_AGAIN;
	else {
		k->seen = true;
		if (ng_file_state_same_stat(fs, &k->state))
			*found = k->docid ? NG_PLAN_UNCHANGED : NG_PLAN_ELSEWHERE;
		else
			ok = push_item(p, path, fs, NG_PLAN_CHECK, (uint32_t)(k - p->known.items));
	}
	return ok ? NEWSGREP_OK : ng_error_nomem(err);
}

uint64_t ng_plan_keep_under(ng_plan *p, const char *path)
{
	size_t len = strlen(path);
	ng_known *k = ng_known_find(&p->known, path, len);
	if (k) {
		k->seen = true;
		return 1;
	}
	uint64_t n = 0;
	for (size_t i = 0; i < p->known.n; i++) {
		ng_known *e = &p->known.items[i];
		if (ng_path_under(ng_known_path(&p->known, e), e->path_len, path)) {
			e->seen = true;
			n++;
		}
	}
	return n;
}

uint64_t ng_plan_count_under(const ng_plan *p, const char *root)
{
	uint64_t n = 0;
	for (size_t i = 0; i < p->known.n; i++)
		n += ng_path_under(ng_known_path(&p->known, &p->known.items[i]),
		                   p->known.items[i].path_len, root);
	return n;
}

/* Whether known entry `k`, not seen, is to go: it is under a walked root,
 * or (when every root was walked) under none of the roots. */
static bool vanished(const ng_plan *p, const ng_known *k, const ng_roots *walked,
                     const ng_roots *all_roots)
{
	const char *path = ng_known_path(&p->known, k);
	for (size_t r = 0; r < walked->n; r++)
		if (ng_path_under(path, k->path_len, walked->v[r]))
			return true;
	if (!all_roots)
		return false;
	for (size_t r = 0; r < all_roots->n; r++)
		if (ng_path_under(path, k->path_len, all_roots->v[r]))
			return false;
	return true;
}

newsgrep_status_t ng_plan_find_gone(ng_plan *p, const ng_roots *walked, const ng_roots *all_roots,
                                    ng_error *err)
{
	for (size_t i = 0; i < p->known.n; i++) {
		ng_known *k = &p->known.items[i];
		if (k->seen || !vanished(p, k, walked, all_roots))
			continue;
		uint32_t *v = ng_grow(p->gone, p->ngone, &p->gone_cap, sizeof(*v), 256);
		if (!v)
			return ng_error_nomem(err);
		p->gone = v;
		p->gone[p->ngone++] = (uint32_t)i;
	}
	return NEWSGREP_OK;
}

typedef struct by_inode {
	uint64_t ino;
	uint32_t known;
} by_inode;

/* By inode, then by entry: of vanished files sharing an inode, the first
 * in the table is taken first. */
static int cmp_inode(const void *a, const void *b)
{
	const by_inode *x = a, *y = b;
	if (x->ino != y->ino)
		return x->ino < y->ino ? -1 : 1;
	return x->known < y->known ? -1 : x->known > y->known;
}

/* The first of v[0..n) with inode `ino` (n when none). */
static size_t first_with_inode(const by_inode *v, size_t n, uint64_t ino)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (v[mid].ino < ino)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

newsgrep_status_t ng_plan_pair_moves(ng_plan *p, ng_error *err)
{
	if (!p->ngone)
		return NEWSGREP_OK;
	by_inode *v = malloc(p->ngone * sizeof(*v));
	if (!v)
		return ng_error_nomem(err);
	for (size_t i = 0; i < p->ngone; i++)
		v[i] = (by_inode){p->known.items[p->gone[i]].state.ino, p->gone[i]};
	qsort(v, p->ngone, sizeof(*v), cmp_inode);
	for (size_t i = 0; i < p->nitems; i++) {
		ng_plan_item *it = &p->items[i];
		if (it->kind != NG_PLAN_NEW)
			continue;
		for (size_t j = first_with_inode(v, p->ngone, it->ino);
		     j < p->ngone && v[j].ino == it->ino; j++) {
			ng_known *k = &p->known.items[v[j].known];
			if (!k->seen && k->state.size == it->size) {
				k->seen = true; /* taken: deleted with its move */
				it->moved_from = v[j].known;
				break;
			}
		}
	}
	free(v);
	return NEWSGREP_OK;
}

bool ng_plan_deletes(const ng_plan *p, size_t i)
{
	/* Entries taken by a move are marked seen. */
	return !p->known.items[p->gone[i]].seen;
}

bool ng_plan_same_content(const ng_plan *p, const ng_plan_item *it, const ng_file_state *read)
{
	return it->kind == NG_PLAN_CHECK && read->hash == p->known.items[it->known].state.hash;
}
