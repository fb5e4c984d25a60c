/*
 * buf.c - a growable byte buffer, and growable arrays.
 */
#include <stdlib.h>
#include <string.h>

#include "ng.h"

bool ng_buf_reserve(ng_buf *b, size_t extra)
{
	if (extra <= b->cap - b->len)
		return true;
	if (extra > SIZE_MAX / 2 - b->len)
		return false;
	size_t cap = b->cap ? b->cap : 256;
	while (cap - b->len < extra)
		cap *= 2;
	char *p = realloc(b->data, cap);
	if (!p)
		return false;
	b->data = p;
	b->cap = cap;
	return true;
}

bool ng_buf_append(ng_buf *b, const void *p, size_t n)
{
	if (!ng_buf_reserve(b, n))
		return false;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	return true;
}

void ng_buf_release(ng_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

/* The capacity after `cap` (`first` at first), or 0 when `size` bytes
 * each would overflow. */
size_t ng_grown_cap(size_t cap, size_t size, size_t first)
{
	size_t c = cap ? cap * 2 : first;
	if (c < cap || !size || c > SIZE_MAX / size)
		return 0;
	return c;
}

/* ng_grow (ng.h) when the array is full. */
void *ng_grow_full(void *v, size_t *cap, size_t size, size_t first)
{
	size_t c = ng_grown_cap(*cap, size, first);
	void *grown = c ? realloc(v, c * size) : NULL;
	if (grown)
		*cap = c;
	return grown;
}
