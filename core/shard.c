/*
 * shard.c - which articles a shard of an archive holds (newsgrep-index
 * --shard K/N), decided alone: no Xapian, no file system.
 *
 * One archive on a shared file system is split among N indexes, each
 * written by its own newsgrep-index on its own machine: shard K of N holds
 * the articles whose key, taken modulo N, is K - 1.  The key is the one
 * duplicate collapsing uses (index.c, NG_SLOT_URL): XXH3_64bits of the
 * article's URL as the indexer reads it (ng_article_url, after the cuts of
 * bound_article), so articles of one URL share a shard, where a search
 * collapses them.  An article without a URL is keyed by XXH3_64bits of its
 * file's path relative to the root it is under, so that machines that
 * mount the archive at different places agree (they must name the same
 * folders).
 *
 * The choice must never change, or N machines would disagree about which
 * of them holds an article: XXH3_64bits (xxHash's 64-bit XXH3, seed 0, as
 * its specification fixes it for every platform and version) of the
 * bytes, its remainder by N.  tests/unit/test_shard.c pins known values.
 */
#include <string.h>
#include <xxhash.h>

#include "ng.h"

bool ng_shard_valid(const ng_shard *s)
{
	if (s->count == 0)
		return s->index == 0;
	return s->count <= NEWSGREP_SHARD_MAX && s->index >= 1 && s->index <= s->count;
}

bool ng_shard_whole(const ng_shard *s)
{
	return s->count <= 1;
}

bool ng_shard_same(const ng_shard *a, const ng_shard *b)
{
	if (ng_shard_whole(a) || ng_shard_whole(b))
		return ng_shard_whole(a) && ng_shard_whole(b);
	return a->index == b->index && a->count == b->count;
}

/* The number at *p (decimal digits only, no sign, no leading zero, at
 * most NEWSGREP_SHARD_MAX), moving *p past it. */
static bool parse_number(const char **p, uint32_t *out)
{
	const char *s = *p;
	uint32_t n = 0;
	size_t digits = 0;
	while (s[digits] >= '0' && s[digits] <= '9') {
		n = n * 10 + (uint32_t)(s[digits] - '0');
		if (++digits > 4 || n > NEWSGREP_SHARD_MAX)
			return false;
	}
	if (digits == 0 || (digits > 1 && s[0] == '0'))
		return false;
	*out = n;
	*p = s + digits;
	return true;
}

bool ng_shard_parse(const char *text, ng_shard *out)
{
	*out = (ng_shard){0, 0};
	if (!text || !*text)
		return true; /* no shard recorded: the whole archive */
	ng_shard s;
	const char *p = text;
	if (!parse_number(&p, &s.index) || *p++ != '/' || !parse_number(&p, &s.count) || *p ||
	    s.count == 0 || !ng_shard_valid(&s))
		return false;
	if (!ng_shard_whole(&s))
		*out = s;
	return true;
}

void ng_shard_format(const ng_shard *s, char *out, size_t cap)
{
	if (ng_shard_whole(s))
		ng_msg_set(out, cap, "%s", "");
	else
		ng_msg_set(out, cap, "%u/%u", (unsigned)s->index, (unsigned)s->count);
}

uint64_t ng_shard_url_key(const char *url, size_t len)
{
	return XXH3_64bits(url, len);
}

uint64_t ng_shard_path_key(const char *path, const ng_roots *roots)
{
	size_t len = strlen(path);
	for (size_t i = 0; i < roots->n; i++) {
		const char *root = roots->v[i];
		if (!ng_path_under(path, len, root))
			continue;
		size_t rlen = strlen(root);
		const char *rel;
		if (rlen == len) { /* the root is the file itself: its name */
			const char *slash = strrchr(path, '/');
			rel = slash ? slash + 1 : path;
		} else {
			rel = path + rlen;
			while (*rel == '/')
				rel++;
		}
		return XXH3_64bits(rel, strlen(rel));
	}
	return XXH3_64bits(path, len); /* under no root: as it is */
}

bool ng_shard_holds(const ng_shard *s, uint64_t key)
{
	return ng_shard_whole(s) || key % s->count == s->index - 1;
}
