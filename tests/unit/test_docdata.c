/*
 * test_docdata.c - unit tests for core/docdata.c: ng_docdata_encode and
 * ng_docdata_decode round-trip every field, and decoding refuses damaged
 * records without reading past them (every buffer handed to the decoder is
 * a heap block of exactly its length, so AddressSanitizer catches any read
 * past the end).
 */
#include "ng.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

static ng_arena arena;

/* Decodes an exact-size copy of data[0..len); the copy is freed before
 * returning, so the decoded strings must not point into it. */
static bool decode(const void *data, size_t len, ng_docdata *out)
{
	char *copy = exact_copy(data, len);
	bool ok = ng_docdata_decode(copy, len, &arena, out);
	free(copy);
	return ok;
}

static void str_is(int line, const char *what, const char *got, const char *want)
{
	if (got == NULL || strcmp(got, want) != 0) {
		fprintf(stderr, "%s:%d: %s is %s%s%s, want \"%s\"\n", __FILE__, line, what,
		        got ? "\"" : "", got ? got : "NULL", got ? "\"" : "", want);
		failures++;
	}
}
#define STR_IS(got, want) str_is(__LINE__, #got, got, want)

static void encode(ng_buf *out, const char *path, const ng_article *a)
{
	if (!ng_docdata_encode(out, path, a)) {
		fprintf(stderr, "%s:%d: ng_docdata_encode failed\n", __FILE__, __LINE__);
		failures++;
	}
}

/* Encodes, decodes and compares every field; NULL strings come back "". */
static void round_trip(int line, const char *path, const ng_article *a)
{
	ng_buf b = {0};
	encode(&b, path, a);
	ng_docdata d;
	ng_arena_reset(&arena);
	if (!decode(b.data, b.len, &d)) {
		fprintf(stderr, "%s:%d: decoding an encoded record failed\n", __FILE__, line);
		failures++;
		ng_buf_release(&b);
		return;
	}
	int before = failures;
	str_is(line, "path", d.path, path ? path : "");
	str_is(line, "title", d.title, a->title ? a->title : "");
	str_is(line, "url", d.url, ng_article_url(a));
	str_is(line, "provider", d.provider, a->provider_name ? a->provider_name : "");
	str_is(line, "provider_domain", d.provider_domain,
	       a->provider_domain ? a->provider_domain : "");
	str_is(line, "excerpt", d.excerpt, a->excerpt ? a->excerpt : "");
	if (d.has_date != a->has_date || (a->has_date && d.date != a->date)) {
		fprintf(stderr, "%s:%d: date %d/%lld, want %d/%lld\n", __FILE__, line, d.has_date,
		        (long long)d.date, a->has_date, (long long)a->date);
		failures++;
	}
	if (d.ntopics != a->ntopics) {
		fprintf(stderr, "%s:%d: %zu topics, want %zu\n", __FILE__, line, d.ntopics,
		        a->ntopics);
		failures++;
	} else {
		for (size_t i = 0; i < a->ntopics; i++)
			str_is(line, "topic", d.topics[i], a->topics[i] ? a->topics[i] : "");
	}
	if (failures != before)
		fprintf(stderr, "%s:%d: (round trip of a %zu-byte record)\n", __FILE__, line,
		        b.len);
	ng_buf_release(&b);
}
#define ROUND_TRIP(path, a) round_trip(__LINE__, path, a)

static void test_round_trip(void)
{
	/* everything set, originalUrl preferred */
	const char *topics[] = {"AI Hardware", "AI"};
	ng_article a = {
	    .title =
	        "Chinese Startup Moore Threads Defies US Sanctions with New GPU-Based AI Center",
	    .excerpt =
	        "especially in sensitive areas like AI \xe2\x80\x94 \"quoted\"\nand a newline",
	    .original_url = "https://www.gizmochina.com/2023/12/20/moore-threads/",
	    .web_url = "https://web.example/other",
	    .type = "article",
	    .provider_name = "Gizmochina",
	    .provider_domain = "gizmochina.com",
	    .has_date = true,
	    .date = 1703030340,
	    .topics = topics,
	    .ntopics = 2,
	};
	ROUND_TRIP("/archive/seeds/000_21fff29c15f39abc.txt", &a);

	/* url falls back to webUrl, when originalUrl is missing or empty */
	a.original_url = NULL;
	ROUND_TRIP("/a.md", &a);
	a.original_url = "";
	ROUND_TRIP("/a.md", &a);
	a.web_url = NULL;
	ROUND_TRIP("/a.md", &a); /* neither: "" */

	/* dates: absent, zero, negative, extremes */
	a.has_date = false;
	a.date = 12345; /* ignored when has_date is false */
	ROUND_TRIP("/a.md", &a);
	a.has_date = true;
	a.date = 0;
	ROUND_TRIP("/a.md", &a);
	a.date = -1;
	ROUND_TRIP("/a.md", &a);
	a.date = -14182940; /* 1969-07-20T20:17:40Z */
	ROUND_TRIP("/a.md", &a);
	a.date = -62167219200; /* 0000-01-01 */
	ROUND_TRIP("/a.md", &a);
	a.date = INT64_MIN;
	ROUND_TRIP("/a.md", &a);
	a.date = INT64_MAX;
	ROUND_TRIP("/a.md", &a);

	/* no topics */
	a.ntopics = 0;
	a.topics = NULL;
	ROUND_TRIP("/a.md", &a);

	/* many topics (a two-byte count), empty and NULL topics */
	enum { MANY = 300 };
	static char names[MANY][16];
	static const char *many[MANY];
	for (int i = 0; i < MANY; i++) {
		snprintf(names[i], sizeof names[i], "topic %d", i);
		many[i] = names[i];
	}
	many[7] = "";
	many[8] = NULL;
	a.topics = many;
	a.ntopics = MANY;
	ROUND_TRIP("/many.md", &a);

	/* everything empty or NULL, NULL path */
	ng_article empty = {0};
	ROUND_TRIP(NULL, &empty);
	ROUND_TRIP("", &empty);
	ng_article blanks = {.title = "",
	                     .excerpt = "",
	                     .original_url = "",
	                     .web_url = "",
	                     .provider_name = "",
	                     .provider_domain = ""};
	ROUND_TRIP("", &blanks);

	/* long strings: two- and three-byte length varints */
	size_t lens[] = {127, 128, 129, 300, 16383, 16384, 70000};
	for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
		char *s = malloc(lens[i] + 1);
		if (s == NULL) {
			fprintf(stderr, "out of memory\n");
			exit(2);
		}
		for (size_t j = 0; j < lens[i]; j++)
			s[j] = (char)('a' + j % 26);
		s[lens[i]] = '\0';
		ng_article l = {.title = s,
		                .excerpt = s,
		                .web_url = s,
		                .provider_name = "p",
		                .has_date = true,
		                .date = 1,
		                .topics = (const char **)&s,
		                .ntopics = 1};
		ROUND_TRIP(s, &l);
		free(s);
	}

	/* UTF-8 passes through untouched */
	const char *kor[] = {"\xec\x95\x84\xed\x81\xac\xeb\xa1\x9c\xed\x8c\xac"};
	ng_article u = {.title = "\xc2\xad\xc2\xad"
	                         "Dataverse \xf0\x9f\x93\xb0",
	                .provider_name = kor[0],
	                .topics = kor,
	                .ntopics = 1};
	ROUND_TRIP("/caf\xc3\xa9.md", &u);

	/* encoding reuses the buffer: out->len starts again at 0 */
	ng_buf b = {0};
	encode(&b, "/first/path/that/is/long.md", &a);
	size_t first = b.len;
	encode(&b, "/x", &empty);
	CHECK(b.len < first);
	ng_docdata d;
	ng_arena_reset(&arena);
	CHECK(decode(b.data, b.len, &d));
	STR_IS(d.path, "/x");
	ng_buf_release(&b);
}

/* The documented layout, by hand: version 1; path, title, url, provider,
 * provider domain, excerpt as varint-length strings; a date flag and 8
 * little-endian bytes; a varint topic count and the topics. */
static void test_layout(void)
{
	ng_docdata d;

	static const unsigned char minimal[] = {1, 0, 0, 0, 0, 0, 0, 0, 0};
	ng_arena_reset(&arena);
	CHECK(decode(minimal, sizeof minimal, &d));
	CHECK(d.path && d.title && d.url && d.provider && d.provider_domain && d.excerpt);
	CHECK(d.path && *d.path == '\0' && d.excerpt && *d.excerpt == '\0');
	CHECK(!d.has_date && d.ntopics == 0);

	static const unsigned char full[] = {
	    1,   2,   '/', 'p', 1, 'T',  3,    'u',  'r',  'l', 2, 'P', 'N', 3,
	    'd', '.', 'c', 0,   1, 0x44, 0x2e, 0x82, 0x65, 0,   0, 0,   0, /* 1703030340 =
	                                                                      0x65822e44 */
	    2,   2,   'A', 'I', 0,
	};
	ng_arena_reset(&arena);
	CHECK(decode(full, sizeof full, &d));
	STR_IS(d.path, "/p");
	STR_IS(d.title, "T");
	STR_IS(d.url, "url");
	STR_IS(d.provider, "PN");
	STR_IS(d.provider_domain, "d.c");
	STR_IS(d.excerpt, "");
	CHECK(d.has_date && d.date == 1703030340);
	CHECK(d.ntopics == 2);
	if (d.ntopics == 2) {
		STR_IS(d.topics[0], "AI");
		STR_IS(d.topics[1], "");
	}

	/* the encoder writes exactly that */
	const char *topics[] = {"AI", ""};
	ng_article a = {.title = "T",
	                .original_url = "url",
	                .provider_name = "PN",
	                .provider_domain = "d.c",
	                .has_date = true,
	                .date = 1703030340,
	                .topics = topics,
	                .ntopics = 2};
	ng_buf b = {0};
	encode(&b, "/p", &a);
	CHECK(b.len == sizeof full && memcmp(b.data, full, sizeof full) == 0);

	/* a negative date is two's complement, little-endian */
	a.date = -1;
	encode(&b, "/p", &a);
	static const unsigned char minus_one[8] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	CHECK(b.len == sizeof full && memcmp(b.data + 19, minus_one, 8) == 0);

	/* a 128-byte string has the length varint 0x80 0x01 */
	char s128[129];
	memset(s128, 'x', 128);
	s128[128] = '\0';
	ng_article l = {0};
	encode(&b, s128, &l);
	CHECK(b.len == 1 + 2 + 128 + 5 + 1 + 1);
	CHECK((unsigned char)b.data[1] == 0x80 && (unsigned char)b.data[2] == 0x01);
	ng_buf_release(&b);
}

/* A record with every part present, for damaging. */
static void valid_record(ng_buf *b)
{
	const char *topics[] = {"AI Hardware", "AI", "Chips"};
	ng_article a = {.title = "Title",
	                .excerpt = "An excerpt \xe2\x80\x94 long enough",
	                .original_url = "https://example.com/a",
	                .provider_name = "Example News",
	                .provider_domain = "example.com",
	                .has_date = true,
	                .date = -14182940,
	                .topics = topics,
	                .ntopics = 3};
	b->len = 0;
	encode(b, "/archive/ai/a.md", &a);
}

static void test_rejects(void)
{
	ng_docdata d;
	ng_buf b = {0};
	valid_record(&b);
	ng_arena_reset(&arena);
	CHECK(decode(b.data, b.len, &d));

	/* empty input */
	CHECK(!decode("", 0, &d));

	/* wrong version byte */
	for (int v = 0; v < 256; v++) {
		if (v == 1)
			continue;
		char *copy = exact_copy(b.data, b.len);
		copy[0] = (char)v;
		ng_arena_reset(&arena);
		if (ng_docdata_decode(copy, b.len, &arena, &d)) {
			fprintf(stderr, "%s:%d: version byte %d accepted\n", __FILE__, __LINE__, v);
			failures++;
		}
		free(copy);
	}
	static const unsigned char version_only[] = {1};
	CHECK(!decode(version_only, 1, &d));
	static const unsigned char version2[] = {2, 0, 0, 0, 0, 0, 0, 0, 0};
	CHECK(!decode(version2, sizeof version2, &d));

	/* every proper prefix of valid records, each in an exact-size block */
	ng_buf recs[3] = {{0}, {0}, {0}};
	valid_record(&recs[0]);
	ng_article none = {0};
	encode(&recs[1], NULL, &none);
	char s200[201];
	memset(s200, 'q', 200);
	s200[200] = '\0';
	const char *t2[] = {s200, "x"};
	ng_article longish = {
	    .title = s200, .has_date = true, .date = 5, .topics = t2, .ntopics = 2};
	encode(&recs[2], s200, &longish);
	for (int k = 0; k < 3; k++) {
		for (size_t n = 0; n < recs[k].len; n++) {
			ng_arena_reset(&arena);
			if (decode(recs[k].data, n, &d)) {
				fprintf(stderr,
				        "%s:%d: record %d cut to %zu of %zu bytes accepted\n",
				        __FILE__, __LINE__, k, n, recs[k].len);
				failures++;
			}
		}
		ng_arena_reset(&arena);
		CHECK(decode(recs[k].data, recs[k].len, &d));
	}

	/* trailing garbage: one byte, many, a whole second record */
	for (size_t extra = 1; extra <= 16; extra++) {
		size_t n = b.len + extra;
		char *p = exact_copy(b.data, b.len);
		p = realloc(p, n);
		if (p == NULL) {
			fprintf(stderr, "out of memory\n");
			exit(2);
		}
		memset(p + b.len, extra == 1 ? 0 : 'z', extra);
		ng_arena_reset(&arena);
		if (decode(p, n, &d)) {
			fprintf(stderr, "%s:%d: %zu trailing byte(s) accepted\n", __FILE__,
			        __LINE__, extra);
			failures++;
		}
		free(p);
	}
	{
		ng_buf two = {0};
		ng_buf_append(&two, b.data, b.len);
		ng_buf_append(&two, b.data, b.len);
		ng_arena_reset(&arena);
		CHECK(!decode(two.data, two.len, &d));
		ng_buf_release(&two);
	}

	/* a length claiming more bytes than remain */
	static const unsigned char long_path[] = {1, 5, 'a', 'b', 'c', 'd'};
	CHECK(!decode(long_path, sizeof long_path, &d));
	static const unsigned char long_excerpt[] = {1, 0, 0, 0, 0, 0, 9, 'a', 0, 0};
	CHECK(!decode(long_excerpt, sizeof long_excerpt, &d));
	static const unsigned char huge_len[] = {1,    0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	                                         0xff, 0xff, 0xff, 0x01, 'a',  0,    0,
	                                         0,    0,    0,    0,    0};
	CHECK(!decode(huge_len, sizeof huge_len, &d));
	static const unsigned char long_topic[] = {1, 0, 0, 0, 0, 0, 0, 0, 1, 3, 'a', 'b'};
	CHECK(!decode(long_topic, sizeof long_topic, &d));
	/* the last byte of a record is its last topic's; bump that topic's
	 * length by one in the real record */
	{
		char *p = exact_copy(b.data, b.len);
		/* the last topic is "Chips": its length byte is 6 from the end */
		CHECK(p[b.len - 6] == 5);
		p[b.len - 6] = 6;
		ng_arena_reset(&arena);
		CHECK(!ng_docdata_decode(p, b.len, &arena, &d));
		free(p);
	}

	/* a varint that never ends, or is longer than 10 bytes */
	static const unsigned char endless[] = {1, 0x80, 0x80, 0x80};
	CHECK(!decode(endless, sizeof endless, &d));
	static const unsigned char eleven[] = {1,    0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
	                                       0x80, 0x80, 0x80, 0x80, 0x00, 0,    0,
	                                       0,    0,    0,    0,    0};
	CHECK(!decode(eleven, sizeof eleven, &d));

	/* a date flag without its 8 bytes */
	static const unsigned char short_date[] = {1, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4, 5, 6, 7};
	CHECK(!decode(short_date, sizeof short_date, &d));

	/* absurd topic counts */
	static const unsigned char topics_max[] = {
	    1, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
	CHECK(!decode(topics_max, sizeof topics_max, &d));
	static const unsigned char topics_2p32[] = {1,    0,    0,    0,    0,    0, 0, 0,
	                                            0x80, 0x80, 0x80, 0x80, 0x10, 0, 0, 0};
	CHECK(!decode(topics_2p32, sizeof topics_2p32, &d));
	/* one more topic than there are bytes, and more than there are topics */
	static const unsigned char topics_4[] = {1, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0};
	CHECK(!decode(topics_4, sizeof topics_4, &d));
	static const unsigned char topics_3of2[] = {1, 0, 0, 0, 0, 0, 0, 0, 3, 1, 'a', 0};
	CHECK(!decode(topics_3of2, sizeof topics_3of2, &d));
	/* the real record with its topic count bumped: 4 claimed, 3 present */
	{
		char *p = exact_copy(b.data, b.len);
		size_t at = b.len - (1 + 11 + 1 + 2 + 1 + 5) - 1;
		CHECK(p[at] == 3);
		p[at] = 4;
		ng_arena_reset(&arena);
		CHECK(!ng_docdata_decode(p, b.len, &arena, &d));
		p[at] = 2; /* fewer claimed: the last topic is trailing garbage */
		ng_arena_reset(&arena);
		CHECK(!ng_docdata_decode(p, b.len, &arena, &d));
		free(p);
	}

	/* every single-byte corruption of a record either decodes or is
	 * refused, without reading out of bounds */
	for (size_t i = 0; i < b.len; i++) {
		static const unsigned char vals[] = {0x00, 0x01, 0x7f, 0x80, 0xff};
		for (size_t v = 0; v < sizeof vals; v++) {
			char *p = exact_copy(b.data, b.len);
			p[i] = (char)vals[v];
			ng_arena_reset(&arena);
			if (ng_docdata_decode(p, b.len, &arena, &d)) {
				/* then it is self-consistent */
				CHECK(d.path && d.title && d.url && d.provider &&
				      d.provider_domain && d.excerpt &&
				      (d.ntopics == 0 || d.topics != NULL));
			}
			free(p);
		}
	}

	for (int k = 0; k < 3; k++)
		ng_buf_release(&recs[k]);
	ng_buf_release(&b);
}

int main(void)
{
	ng_arena_init(&arena);
	test_round_trip();
	test_layout();
	test_rejects();
	ng_arena_release(&arena);
	if (failures != 0) {
		fprintf(stderr, "test_docdata: %d failure(s)\n", failures);
		return 1;
	}
	printf("test_docdata: all passed\n");
	return 0;
}
