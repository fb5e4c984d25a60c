/*
 * arena.c - a bump allocator for one article's strings.
 *
 * An article's fields are many small strings that all die together when the
 * next file is read, so they come from chunks that are reset, not freed.
 */
#include <stdlib.h>
#include <string.h>

#include "ng.h"

struct ng_arena_chunk {
	ng_arena_chunk *next;
	size_t used, cap;
	max_align_t data[];
};

#define NG_ARENA_CHUNK (64u * 1024u)

void ng_arena_init(ng_arena *a)
{
	a->head = NULL;
}

void ng_arena_reset(ng_arena *a)
{
	if (!a->head)
		return;
	/* Keep the last chunk in the list (the first allocated): it is the
	 * default size and serves most articles alone. */
	ng_arena_chunk *c = a->head;
	while (c->next) {
		ng_arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	c->used = 0;
	a->head = c;
}

void ng_arena_release(ng_arena *a)
{
	ng_arena_chunk *c = a->head;
	while (c) {
		ng_arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	a->head = NULL;
}

void *ng_arena_alloc(ng_arena *a, size_t n)
{
	const size_t align = sizeof(max_align_t);
	if (n > SIZE_MAX / 2)
		return NULL;
	n = (n + align - 1) / align * align;
	ng_arena_chunk *c = a->head;
	if (!c || c->cap - c->used < n) {
		size_t cap = n > NG_ARENA_CHUNK ? n : NG_ARENA_CHUNK;
		ng_arena_chunk *fresh = malloc(sizeof(*fresh) + cap);
		if (!fresh)
			return NULL;
		fresh->used = 0;
		fresh->cap = cap;
		fresh->next = c;
		a->head = c = fresh;
	}
	void *p = (char *)c->data + c->used;
	c->used += n;
	return p;
}

char *ng_arena_strndup(ng_arena *a, const char *s, size_t n)
{
	char *p = ng_arena_alloc(a, n + 1);
	if (!p)
		return NULL;
	if (n)
		memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

void *ng_arena_grow(ng_arena *a, void *v, size_t n, size_t *cap, size_t size, size_t first)
{
	if (n < *cap)
		return v;
	size_t c = ng_grown_cap(*cap, size, first);
	void *grown = c ? ng_arena_alloc(a, c * size) : NULL;
	if (!grown)
		return NULL;
	if (n)
		memcpy(grown, v, n * size);
	*cap = c;
	return grown;
}
