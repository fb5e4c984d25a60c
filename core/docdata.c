/*
 * docdata.c - the compact record stored as each document's data.
 *
 * Layout (version 3): the byte 0x03, then path, title, url, provider,
 * provider domain and excerpt as length-prefixed strings, then the date
 * (a flag byte, 0 or 1, and if 1 the date as 8 little-endian bytes), then
 * the topic count and the topics, then the related count and each related
 * item: its title, excerpt, URL, provider and provider domain as strings
 * and its date as the article's.  Version 2 (index formats 4 to 7, and
 * what a writer still writes into them, so that an older newsgrep can read
 * them) is the same with only the title and excerpt of each related item.
 * Lengths and counts are LEB128 varints.  Decoding checks every length
 * against the bytes left, so a damaged record is reported, not read past.
 */
#include <string.h>

#include "ng.h"

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

/* The flag byte and, when there is one, the date's 8 bytes. */
static bool put_date(ng_buf *b, bool has_date, int64_t date)
{
	unsigned char flag = has_date;
	if (!ng_buf_append(b, &flag, 1))
		return false;
	if (!has_date)
		return true;
	unsigned char le[8];
	uint64_t u = (uint64_t)date;
	for (int i = 0; i < 8; i++)
		le[i] = (unsigned char)(u >> (8 * i));
	return ng_buf_append(b, le, 8);
}

static bool put_related(ng_buf *b, const ng_related *r, unsigned version)
{
	if (!put_str(b, r->title) || !put_str(b, r->excerpt))
		return false;
	if (version < NG_DOCDATA_VERSION)
		return true;
	return put_str(b, ng_related_url(r)) && put_str(b, r->provider_name) &&
	       put_str(b, r->provider_domain) && put_date(b, r->has_date, r->date);
}

bool ng_docdata_encode(ng_buf *out, const char *path, const ng_article *a, unsigned version)
{
	out->len = 0;
	unsigned char v = (unsigned char)version;
	if (!ng_buf_append(out, &v, 1) || !put_str(out, path) || !put_str(out, a->title) ||
	    !put_str(out, ng_article_url(a)) || !put_str(out, a->provider_name) ||
	    !put_str(out, a->provider_domain) || !put_str(out, a->excerpt) ||
	    !put_date(out, a->has_date, a->date))
		return false;
	if (!put_varint(out, a->ntopics))
		return false;
	for (size_t i = 0; i < a->ntopics; i++)
		if (!put_str(out, a->topics[i]))
			return false;
	if (!put_varint(out, a->nrelated))
		return false;
	for (size_t i = 0; i < a->nrelated; i++)
		if (!put_related(out, &a->related[i], version))
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

/* The flag byte (0 or 1) and, after a 1, the date's 8 bytes. */
static bool get_date(reader *r, bool *has_date, int64_t *date)
{
	if (r->p == r->end || *r->p > 1)
		return false;
	*has_date = *r->p++ == 1;
	*date = 0;
	if (!*has_date)
		return true;
	if (r->end - r->p < 8)
		return false;
	uint64_t u = 0;
	for (int i = 0; i < 8; i++)
		u |= (uint64_t)r->p[i] << (8 * i);
	r->p += 8;
	*date = (int64_t)u;
	return true;
}

static bool get_related(reader *r, ng_arena *arena, unsigned version, ng_docdata_related *out)
{
	*out = (ng_docdata_related){0};
	if (!get_str(r, arena, &out->title) || !get_str(r, arena, &out->excerpt))
		return false;
	if (version < NG_DOCDATA_VERSION)
		return true;
	return get_str(r, arena, &out->url) && get_str(r, arena, &out->provider) &&
	       get_str(r, arena, &out->provider_domain) && get_date(r, &out->has_date, &out->date);
}

bool ng_docdata_decode(const char *data, size_t len, ng_arena *arena, ng_docdata *out)
{
	reader r = {(const unsigned char *)data, (const unsigned char *)data + len};
	memset(out, 0, sizeof(*out));
	if (r.p == r.end)
		return false;
	unsigned version = *r.p++;
	if (version != NG_DOCDATA_VERSION && version != NG_DOCDATA_NO_RELATED_DETAILS)
		return false;
	if (!get_str(&r, arena, &out->path) || !get_str(&r, arena, &out->title) ||
	    !get_str(&r, arena, &out->url) || !get_str(&r, arena, &out->provider) ||
	    !get_str(&r, arena, &out->provider_domain) || !get_str(&r, arena, &out->excerpt) ||
	    !get_date(&r, &out->has_date, &out->date))
		return false;
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
	/* Each related item takes at least its two length bytes, and in
	 * version 3 three more and its date's flag. */
	uint64_t least = version < NG_DOCDATA_VERSION ? 2 : 6;
	if (!get_varint(&r, &nrelated) || nrelated > (uint64_t)(r.end - r.p) / least)
		return false;
	out->related = ng_arena_alloc(arena, (nrelated ? nrelated : 1) * sizeof(*out->related));
	if (!out->related)
		return false;
	for (uint64_t i = 0; i < nrelated; i++)
		if (!get_related(&r, arena, version, &out->related[i]))
			return false;
	out->nrelated = (size_t)nrelated;
	return r.p == r.end;
}
