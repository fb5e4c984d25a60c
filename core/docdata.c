/*
 * docdata.c - the compact record stored as each document's data.
 *
 * Layout (version 2): the byte 0x02, then path, title, url, provider,
 * provider domain and excerpt as length-prefixed strings, then a flag byte
 * (0 or 1) and, if 1, the date as 8 little-endian bytes, then the topic
 * count and the topics, then the related count and each related item's
 * title and excerpt (for snippets from related text).  Lengths and counts
 * are LEB128 varints.  Decoding checks every length against the bytes
 * left, so a damaged record is reported, not read past.
 */
#include <string.h>

#include "ng.h"

#define DOCDATA_VERSION 2

static bool put_varint(ng_buf *b, uint64_t v)
{
	unsigned char tmp[10];
	size_t n = 0;
	do {
		unsigned char byte = v & 0x7f;
		v >>= 7;
		tmp[n++] = byte | (v ? 0x80 : 0);
	} while (v);
	return ng_buf_append(b, tmp, n);
}

static bool put_str(ng_buf *b, const char *s)
{
	size_t n = s ? strlen(s) : 0;
	return put_varint(b, n) && ng_buf_append(b, s ? s : "", n);
}

bool ng_docdata_encode(ng_buf *out, const char *path, const ng_article *a)
{
	out->len = 0;
	unsigned char version = DOCDATA_VERSION;
	if (!ng_buf_append(out, &version, 1) || !put_str(out, path) || !put_str(out, a->title) ||
	    !put_str(out, ng_article_url(a)) || !put_str(out, a->provider_name) ||
	    !put_str(out, a->provider_domain) || !put_str(out, a->excerpt))
		return false;
	unsigned char flag = a->has_date;
	if (!ng_buf_append(out, &flag, 1))
		return false;
	if (a->has_date) {
		unsigned char le[8];
		uint64_t u = (uint64_t)a->date;
		for (int i = 0; i < 8; i++)
			le[i] = (unsigned char)(u >> (8 * i));
		if (!ng_buf_append(out, le, 8))
			return false;
	}
	if (!put_varint(out, a->ntopics))
		return false;
	for (size_t i = 0; i < a->ntopics; i++)
		if (!put_str(out, a->topics[i]))
			return false;
	if (!put_varint(out, a->nrelated))
		return false;
	for (size_t i = 0; i < a->nrelated; i++)
		if (!put_str(out, a->related[i].title) || !put_str(out, a->related[i].excerpt))
			return false;
	return true;
}

typedef struct reader {
	const unsigned char *p, *end;
} reader;

static bool get_varint(reader *r, uint64_t *out)
{
	uint64_t v = 0;
	for (unsigned shift = 0; shift < 64; shift += 7) {
		if (r->p == r->end)
			return false;
		unsigned char byte = *r->p++;
		v |= (uint64_t)(byte & 0x7f) << shift;
		if (!(byte & 0x80)) {
			*out = v;
			return true;
		}
	}
	return false;
}

static bool get_str(reader *r, ng_arena *arena, const char **out)
{
	uint64_t n;
	if (!get_varint(r, &n) || n > (uint64_t)(r->end - r->p))
		return false;
	*out = ng_arena_strndup(arena, (const char *)r->p, (size_t)n);
	r->p += n;
	return *out != NULL;
}

bool ng_docdata_decode(const char *data, size_t len, ng_arena *arena, ng_docdata *out)
{
	reader r = {(const unsigned char *)data, (const unsigned char *)data + len};
	memset(out, 0, sizeof(*out));
	if (r.p == r.end || *r.p++ != DOCDATA_VERSION)
		return false;
	if (!get_str(&r, arena, &out->path) || !get_str(&r, arena, &out->title) ||
	    !get_str(&r, arena, &out->url) || !get_str(&r, arena, &out->provider) ||
	    !get_str(&r, arena, &out->provider_domain) || !get_str(&r, arena, &out->excerpt))
		return false;
	if (r.p == r.end)
		return false;
	if (*r.p > 1)
		return false;
	out->has_date = *r.p++ == 1;
	if (out->has_date) {
		if (r.end - r.p < 8)
			return false;
		uint64_t u = 0;
		for (int i = 0; i < 8; i++)
			u |= (uint64_t)r.p[i] << (8 * i);
		r.p += 8;
		out->date = (int64_t)u;
	}
	uint64_t ntopics;
	/* Every topic takes at least its length byte, which bounds the count. */
	if (!get_varint(&r, &ntopics) || ntopics > (uint64_t)(r.end - r.p))
		return false;
	out->topics = ng_arena_alloc(arena, (ntopics ? ntopics : 1) * sizeof(*out->topics));
	if (!out->topics)
		return false;
	for (uint64_t i = 0; i < ntopics; i++)
		if (!get_str(&r, arena, &out->topics[i]))
			return false;
	out->ntopics = (size_t)ntopics;
	uint64_t nrelated;
	/* Each related item takes at least its two length bytes. */
	if (!get_varint(&r, &nrelated) || nrelated > (uint64_t)(r.end - r.p) / 2)
		return false;
	out->related = ng_arena_alloc(arena, (nrelated ? nrelated : 1) * sizeof(*out->related));
	if (!out->related)
		return false;
	for (uint64_t i = 0; i < nrelated; i++)
		if (!get_str(&r, arena, &out->related[i].title) ||
		    !get_str(&r, arena, &out->related[i].excerpt))
			return false;
	out->nrelated = (size_t)nrelated;
	return r.p == r.end;
}
