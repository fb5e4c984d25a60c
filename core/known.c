/*
 * known.c - the files an index already holds, looked up by path.
 *
 * An update loads every document's file record (filestate.c) once, in one
 * pass over a value stream, into this open-addressing table; the walk then
 * looks each file up here instead of asking Xapian file by file.
 *
 * A shard of an archive (shard.c) also knows the files whose articles are
 * other shards', so that a nightly run passes over them unread while their
 * stat holds.  Their file records are kept in the metadata, one key each
 * (NG_META_ELSEWHERE and the hash of the path), not as documents: a
 * document, even one with no terms, would be counted by Xapian in every
 * statistic a search ranks by (the number of documents, their average
 * length), in `*` and in every count, so a set of shards would neither
 * rank nor count as one index of the archive does, and every reader of
 * documents (search, counts, facets, --check) would have to pass over
 * them.  Metadata is read by nothing but the writer and --check.  The
 * table holds them with docid 0.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "ng.h"

#define EMPTY UINT32_MAX

static bool grow_slots(ng_known_table *t)
{
	size_t n = t->nslots ? t->nslots * 2 : 1024;
	uint32_t *slots = malloc(n * sizeof(*slots));
	if (!slots)
		return false;
	memset(slots, 0xff, n * sizeof(*slots));
	for (size_t i = 0; i < t->n; i++) {
		size_t s = t->items[i].hash & (n - 1);
		while (slots[s] != EMPTY)
			s = (s + 1) & (n - 1);
		slots[s] = (uint32_t)i;
	}
	free(t->slots);
	t->slots = slots;
	t->nslots = n;
	return true;
}

bool ng_known_add(ng_known_table *t, const char *path, size_t len, uint32_t docid,
                  const ng_file_state *state)
{
	/* Keep the table at most half full. */
	if ((t->n + 1) * 2 > t->nslots && !grow_slots(t))
		return false;
	ng_known *items = ng_grow(t->items, t->n, &t->cap, sizeof(*items), 1024);
	if (!items)
		return false;
	t->items = items;
	if (t->n >= EMPTY - 1 || t->pool.len > SIZE_MAX - len)
		return false;
	ng_known *k = &t->items[t->n];
	*k = (ng_known){
	    .path_off = t->pool.len,
	    .path_len = len,
	    .hash = XXH3_64bits(path, len),
	    .docid = docid,
	    .state = *state,
	};
	if (!ng_buf_append(&t->pool, path, len))
		return false;
	size_t s = k->hash & (t->nslots - 1);
	while (t->slots[s] != EMPTY)
		s = (s + 1) & (t->nslots - 1);
	t->slots[s] = (uint32_t)t->n++;
	return true;
}

ng_known *ng_known_find(ng_known_table *t, const char *path, size_t len)
{
	if (!t->nslots)
		return NULL;
	uint64_t h = XXH3_64bits(path, len);
	for (size_t s = h & (t->nslots - 1); t->slots[s] != EMPTY; s = (s + 1) & (t->nslots - 1)) {
		ng_known *k = &t->items[t->slots[s]];
		if (k->hash == h && k->path_len == len &&
		    memcmp(t->pool.data + k->path_off, path, len) == 0)
			return k;
	}
	return NULL;
}

const char *ng_known_path(const ng_known_table *t, const ng_known *k)
{
	return t->pool.data + k->path_off;
}

void ng_known_release(ng_known_table *t)
{
	free(t->items);
	free(t->slots);
	ng_buf_release(&t->pool);
	memset(t, 0, sizeof(*t));
}

void ng_known_elsewhere_key(const char *path, size_t len, char *out, size_t cap)
{
	/* Two paths of one hash would share a key: each would in turn be
	 * taken for a new file and recorded again, costing a read a run, no
	 * more (about once in 10^7 archives of a million files). */
	snprintf(out, cap, "%s%016llx", NG_META_ELSEWHERE,
	         (unsigned long long)XXH3_64bits(path, len));
}
