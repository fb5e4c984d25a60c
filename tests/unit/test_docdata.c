/*
 * test_docdata.c - unit tests for core/docdata.c (record versions 2 and
 * 3): ng_docdata_encode and ng_docdata_decode round-trip every field,
 * related items included (in version 3 with their URL, date and provider),
 * the bytes are laid out as documented, and decoding refuses damaged
 * records without reading past them (every buffer handed to the decoder is
 * a heap block of exactly its length, so AddressSanitizer catches any read
 * past the end).  The tests of version 2 come first, then those of 3.
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

static void encode_as(ng_buf *out, const char *path, const ng_article *a, unsigned version)
{
	if (!ng_docdata_encode(out, path, a, version)) {
		fprintf(stderr, "%s:%d: ng_docdata_encode failed\n", __FILE__, __LINE__);
		failures++;
	}
}

/* A record of version 2 (what an index of format 7 gets). */
static void encode(ng_buf *out, const char *path, const ng_article *a)
{
	encode_as(out, path, a, NG_DOCDATA_NO_RELATED_DETAILS);
}

/* A record of version 3 (format 8). */
static void encode3(ng_buf *out, const char *path, const ng_article *a)
{
	encode_as(out, path, a, NG_DOCDATA_VERSION);
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
	str_is(__FILE__, line, "path", d.path, path ? path : "");
	str_is(__FILE__, line, "title", d.title, a->title ? a->title : "");
	str_is(__FILE__, line, "url", d.url, ng_article_url(a));
	str_is(__FILE__, line, "provider", d.provider, a->provider_name ? a->provider_name : "");
	str_is(__FILE__, line, "provider_domain", d.provider_domain,
	       a->provider_domain ? a->provider_domain : "");
	str_is(__FILE__, line, "excerpt", d.excerpt, a->excerpt ? a->excerpt : "");
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
			str_is(__FILE__, line, "topic", d.topics[i],
			       a->topics[i] ? a->topics[i] : "");
	}
	if (d.nrelated != a->nrelated) {
		fprintf(stderr, "%s:%d: %zu related items, want %zu\n", __FILE__, line, d.nrelated,
		        a->nrelated);
		failures++;
	} else {
		for (size_t i = 0; i < a->nrelated; i++) {
			const ng_related *r = &a->related[i];
			str_is(__FILE__, line, "related title", d.related[i].title,
			       r->title ? r->title : "");
			str_is(__FILE__, line, "related excerpt", d.related[i].excerpt,
			       r->excerpt ? r->excerpt : "");
			/* version 2 keeps nothing else of it */
			if (d.related[i].url || d.related[i].provider ||
			    d.related[i].provider_domain || d.related[i].has_date) {
				fprintf(stderr, "%s:%d: related %zu has details in version 2\n",
				        __FILE__, line, i);
				failures++;
			}
		}
	}
	if (failures != before)
		fprintf(stderr, "%s:%d: (round trip of a %zu-byte record)\n", __FILE__, line,
		        b.len);
	ng_buf_release(&b);
}
#define ROUND_TRIP(path, a) round_trip(__LINE__, path, a)

static void test_round_trip(void)
{
	/* everything set, originalUrl preferred; related items with empty and
	 * NULL titles and excerpts, and non-ASCII text */
	const char *topics[] = {"AI Hardware", "AI"};
	ng_related related[] = {
	    {.title = "Moore Threads unveils MTT S4000",
	     .excerpt = "The new GPU \xe2\x80\x94 48 GB of memory",
	     .url = "https://example.com/r1",
	     .provider_name = "Example",
	     .has_date = true,
	     .date = 1703030340},
	    {.title = "", .excerpt = "an excerpt under an empty title"},
	    {.title = NULL, .excerpt = "an excerpt under a NULL title"},
	    {.title = "a title over an empty excerpt", .excerpt = ""},
	    {.title = "a title over a NULL excerpt", .excerpt = NULL},
	    {.title = NULL, .excerpt = NULL},
	    {.title = "", .excerpt = ""},
	    {.title = "\xe6\x91\xa9\xe5\xb0\x94\xe7\xba\xbf\xe7\xa8\x8b "
	              "caf\xc3\xa9 \xf0\x9f\x93\xb0",
	     .excerpt = "\xec\x95\x84\xed\x81\xac\xeb\xa1\x9c\xed\x8c\xac \"q\"\n\ttab"},
	};
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
	    .related = related,
	    .nrelated = sizeof related / sizeof related[0],
	};
	ROUND_TRIP("/archive/seeds/000_21fff29c15f39abc.txt", &a);

	/* one related item, and each prefix of the list */
	for (size_t n = 0; n <= sizeof related / sizeof related[0]; n++) {
		a.nrelated = n;
		ROUND_TRIP("/r.md", &a);
	}
	/* no related items, with a NULL array */
	a.related = NULL;
	a.nrelated = 0;
	ROUND_TRIP("/r.md", &a);
	a.related = related;
	a.nrelated = sizeof related / sizeof related[0];

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

	/* no topics, but related items; then neither */
	a.ntopics = 0;
	a.topics = NULL;
	ROUND_TRIP("/a.md", &a);
	a.nrelated = 0;
	ROUND_TRIP("/a.md", &a);
	a.nrelated = sizeof related / sizeof related[0];

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

	/* many related items (a two-byte count), some with empty and NULL
	 * strings, beside the many topics and alone */
	static ng_related many_related[MANY];
	for (int i = 0; i < MANY; i++) {
		many_related[i] =
		    (ng_related){.title = many[i], .excerpt = many[(i * 7 + 3) % MANY]};
	}
	many_related[10].title = NULL;
	many_related[11].excerpt = NULL;
	many_related[12].title = many_related[12].excerpt = "";
	a.related = many_related;
	a.nrelated = MANY;
	ROUND_TRIP("/many.md", &a);
	a.topics = NULL;
	a.ntopics = 0;
	ROUND_TRIP("/many.md", &a);
	a.topics = many;
	a.ntopics = MANY;

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
		ng_related lr[] = {{.title = s, .excerpt = "e"}, {.title = "t", .excerpt = s}};
		ng_article l = {.title = s,
		                .excerpt = s,
		                .web_url = s,
		                .provider_name = "p",
		                .has_date = true,
		                .date = 1,
		                .topics = (const char **)&s,
		                .ntopics = 1,
		                .related = lr,
		                .nrelated = 2};
		ROUND_TRIP(s, &l);
		free(s);
	}

	/* UTF-8 passes through untouched */
	const char *kor[] = {"\xec\x95\x84\xed\x81\xac\xeb\xa1\x9c\xed\x8c\xac"};
	ng_related ur[] = {{.title = kor[0], .excerpt = "\xc2\xad\xe2\x80\x8b\xef\xbb\xbf"}};
	ng_article u = {.title = "\xc2\xad\xc2\xad"
	                         "Dataverse \xf0\x9f\x93\xb0",
	                .provider_name = kor[0],
	                .topics = kor,
	                .ntopics = 1,
	                .related = ur,
	                .nrelated = 1};
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
	CHECK(d.ntopics == 0 && d.nrelated == 0);
	ng_buf_release(&b);
}

/* The documented layout, by hand: version 2; path, title, url, provider,
 * provider domain, excerpt as varint-length strings; a date flag (0 or 1)
 * and, if 1, 8 little-endian bytes; a varint topic count and the topics; a
 * varint related count and each related item's title and excerpt. */
static void test_layout(void)
{
	ng_docdata d;

	static const unsigned char minimal[] = {2, 0, 0, 0, 0, 0, 0, 0, 0, 0};
	ng_arena_reset(&arena);
	CHECK(decode(minimal, sizeof minimal, &d));
	CHECK(d.path && d.title && d.url && d.provider && d.provider_domain && d.excerpt);
	CHECK(d.path && *d.path == '\0' && d.excerpt && *d.excerpt == '\0');
	CHECK(!d.has_date && d.ntopics == 0 && d.nrelated == 0);

	/* the encoder writes exactly that for an empty article */
	ng_buf b = {0};
	ng_article empty = {0};
	encode(&b, NULL, &empty);
	CHECK(b.len == sizeof minimal && memcmp(b.data, minimal, sizeof minimal) == 0);

	static const unsigned char full[] = {
	    2,   2,   '/', 'p', 1, 'T',  3,    'u',  'r',  'l', 2, 'P', 'N', 3,
	    'd', '.', 'c', 0,   1, 0x44, 0x2e, 0x82, 0x65, 0,   0, 0,   0, /* 1703030340 =
	                                                                      0x65822e44 */
	    2,   2,   'A', 'I', 0,                                         /* topics "AI", "" */
	    0,                                                             /* no related items */
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
	CHECK(d.nrelated == 0);

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
	encode(&b, "/p", &a);
	CHECK(b.len == sizeof full && memcmp(b.data, full, sizeof full) == 0);

	/* a negative date is two's complement, little-endian */
	a.date = -1;
	encode(&b, "/p", &a);
	static const unsigned char minus_one[8] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	CHECK(b.len == sizeof full && memcmp(b.data + 19, minus_one, 8) == 0);
	a.date = 1703030340;

	/* related items: the count, then each title and excerpt; NULL is empty,
	 * and nothing else of a related article is stored */
	static const unsigned char with_related[] =
	    {
	        2,    2,    '/',  'p',  1,   'T',  3,    'u',  'r',  'l',  2,
	        'P',  'N',  3,    'd',  '.', 'c',  0,    1,    0x44, 0x2e, 0x82,
	        0x65, 0,    0,    0,    0,   2,    2,    'A',  'I',  0, /* topics */
	        4,                                                      /* 4 related items */
	        2,    'R',  '1',  1,    'e',                            /* "R1", "e" */
	        0,    0,                                                /* NULL, "" */
	        2,    0xc3, 0xa9, 0,                                    /* "\xc3\xa9", NULL */
	        3,    0xe2, 0x80, 0x94, 4,   0xf0, 0x9f, 0x93, 0xb0,    /* em dash, newspaper */
	    };
	ng_related rel[] = {
	    {.title = "R1",
	     .excerpt = "e",
	     .url = "https://ignored.example/",
	     .provider_name = "ignored",
	     .provider_domain = "ignored.example",
	     .has_date = true,
	     .date = 42},
	    {.title = NULL, .excerpt = ""},
	    {.title = "\xc3\xa9", .excerpt = NULL},
	    {.title = "\xe2\x80\x94", .excerpt = "\xf0\x9f\x93\xb0"},
	};
	a.related = rel;
	a.nrelated = 4;
	encode(&b, "/p", &a);
	CHECK(b.len == sizeof with_related &&
	      memcmp(b.data, with_related, sizeof with_related) == 0);
	ng_arena_reset(&arena);
	CHECK(decode(with_related, sizeof with_related, &d));
	STR_IS(d.path, "/p");
	CHECK(d.has_date && d.date == 1703030340);
	CHECK(d.ntopics == 2);
	CHECK(d.nrelated == 4);
	if (d.nrelated == 4) {
		STR_IS(d.related[0].title, "R1");
		STR_IS(d.related[0].excerpt, "e");
		STR_IS(d.related[1].title, "");
		STR_IS(d.related[1].excerpt, "");
		STR_IS(d.related[2].title, "\xc3\xa9");
		STR_IS(d.related[2].excerpt, "");
		STR_IS(d.related[3].title, "\xe2\x80\x94");
		STR_IS(d.related[3].excerpt, "\xf0\x9f\x93\xb0");
	}

	/* without a date the flag is 0 and no date bytes follow; related
	 * items follow the topics all the same */
	static const unsigned char no_date[] = {
	    2, 0, 0,   0,   0, 0, 0, /* strings */
	    0,                       /* no date */
	    1, 1, 'x',               /* topic "x" */
	    1, 0, 1,   'y',          /* related "", "y" */
	};
	ng_related rel_y[] = {{.excerpt = "y"}};
	const char *topic_x[] = {"x"};
	ng_article nd = {.has_date = false,
	                 .date = 99, /* not stored */
	                 .topics = topic_x,
	                 .ntopics = 1,
	                 .related = rel_y,
	                 .nrelated = 1};
	encode(&b, "", &nd);
	CHECK(b.len == sizeof no_date && memcmp(b.data, no_date, sizeof no_date) == 0);
	ng_arena_reset(&arena);
	CHECK(decode(no_date, sizeof no_date, &d));
	CHECK(!d.has_date && d.ntopics == 1 && d.nrelated == 1);
	if (d.ntopics == 1 && d.nrelated == 1) {
		STR_IS(d.topics[0], "x");
		STR_IS(d.related[0].title, "");
		STR_IS(d.related[0].excerpt, "y");
	}

	/* 128 related items have the count varint 0x80 0x01 */
	static ng_related blank128[128];
	ng_article r128 = {.related = blank128, .nrelated = 128};
	encode(&b, NULL, &r128);
	CHECK(b.len == 9 + 2 + 2 * 128);
	CHECK((unsigned char)b.data[9] == 0x80 && (unsigned char)b.data[10] == 0x01);
	{
		size_t zeros = 0;
		for (size_t i = 11; i < b.len; i++)
			zeros += b.data[i] == 0;
		CHECK(zeros == 2 * 128);
	}
	ng_arena_reset(&arena);
	CHECK(decode(b.data, b.len, &d));
	CHECK(d.nrelated == 128);

	/* a 128-byte string has the length varint 0x80 0x01 */
	char s128[129];
	memset(s128, 'x', 128);
	s128[128] = '\0';
	ng_article l = {0};
	encode(&b, s128, &l);
	CHECK(b.len == 1 + 2 + 128 + 5 + 1 + 1 + 1);
	CHECK((unsigned char)b.data[1] == 0x80 && (unsigned char)b.data[2] == 0x01);
	/* ... also as a related title */
	ng_related r_s128[] = {{.title = s128, .excerpt = "z"}};
	l.related = r_s128;
	l.nrelated = 1;
	encode(&b, NULL, &l);
	CHECK(b.len == 10 + 2 + 128 + 2);
	CHECK((unsigned char)b.data[9] == 1 && (unsigned char)b.data[10] == 0x80 &&
	      (unsigned char)b.data[11] == 0x01 && b.data[b.len - 2] == 1 &&
	      b.data[b.len - 1] == 'z');
	ng_buf_release(&b);
}

/* The parts of valid_record, for finding its bytes. */
static const char vr_path[] = "/archive/ai/a.md";
static const char *const vr_strings[] = {"Title", "https://example.com/a", "Example News",
                                         "example.com", "An excerpt \xe2\x80\x94 long enough"};
/* Where valid_record's date flag is: after the version byte and six
 * strings, each shorter than 128 bytes (a one-byte length). */
static size_t vr_flag_at(void)
{
	size_t at = 1 + 1 + strlen(vr_path);
	for (size_t i = 0; i < sizeof vr_strings / sizeof vr_strings[0]; i++)
		at += 1 + strlen(vr_strings[i]);
	return at;
}
/* The bytes of valid_record's related part: the count 2, then "Related",
 * "Its excerpt", "Caf\xc3\xa9", "\xe2\x80\x94 more", each after its length. */
#define VR_RELATED_BYTES (1 + (1 + 7) + (1 + 11) + (1 + 5) + (1 + 8))
/* ... and of its topics: the count 3, then "AI Hardware", "AI", "Chips". */
#define VR_TOPIC_BYTES (1 + (1 + 11) + (1 + 2) + (1 + 5))

/* A record with every part present, for damaging. */
static void valid_record(ng_buf *b)
{
	const char *topics[] = {"AI Hardware", "AI", "Chips"};
	ng_related related[] = {{.title = "Related", .excerpt = "Its excerpt"},
	                        {.title = "Caf\xc3\xa9", .excerpt = "\xe2\x80\x94 more"}};
	ng_article a = {.title = vr_strings[0],
	                .original_url = vr_strings[1],
	                .provider_name = vr_strings[2],
	                .provider_domain = vr_strings[3],
	                .excerpt = vr_strings[4],
	                .has_date = true,
	                .date = -14182940,
	                .topics = topics,
	                .ntopics = 3,
	                .related = related,
	                .nrelated = 2};
	b->len = 0;
	encode(b, vr_path, &a);
}

/* Decodes an exact-size copy of the record with byte `at` set to `v`. */
static bool decode_with(const ng_buf *b, size_t at, unsigned char v, ng_docdata *d)
{
	char *p = exact_copy(b->data, b->len);
	p[at] = (char)v;
	ng_arena_reset(&arena);
	bool ok = ng_docdata_decode(p, b->len, &arena, d);
	free(p);
	return ok;
}

/* Every proper prefix of each of the n records `recs` is refused (each
 * cut copied to a block of its own size), and each whole one read. */
static void check_cuts(const ng_buf *recs, int n, const char *what)
{
	ng_docdata d;
	for (int k = 0; k < n; k++) {
		for (size_t len = 0; len < recs[k].len; len++) {
			ng_arena_reset(&arena);
			if (decode(recs[k].data, len, &d)) {
				fprintf(stderr, "%s:%d: %s %d cut to %zu of %zu bytes accepted\n",
				        __FILE__, __LINE__, what, k, len, recs[k].len);
				failures++;
			}
		}
		ng_arena_reset(&arena);
		CHECK(decode(recs[k].data, recs[k].len, &d));
	}
}

/* The record b followed by 1 to `most` more bytes (a 0, then `fill`s) is
 * refused. */
static void check_trailing(const ng_buf *b, size_t most, char fill)
{
	ng_docdata d;
	for (size_t extra = 1; extra <= most; extra++) {
		size_t n = b->len + extra;
		char *p = exact_copy(b->data, b->len);
		p = realloc(p, n);
		if (p == NULL) {
			fprintf(stderr, "out of memory\n");
			exit(2);
		}
		memset(p + b->len, extra == 1 ? 0 : fill, extra);
		ng_arena_reset(&arena);
		if (decode(p, n, &d)) {
			fprintf(stderr, "%s:%d: %zu trailing byte(s) accepted\n", __FILE__,
			        __LINE__, extra);
			failures++;
		}
		free(p);
	}
}

static void test_rejects(void)
{
	ng_docdata d;
	ng_buf b = {0};
	valid_record(&b);
	ng_arena_reset(&arena);
	CHECK(decode(b.data, b.len, &d));
	CHECK(b.len == vr_flag_at() + 1 + 8 + VR_TOPIC_BYTES + VR_RELATED_BYTES);
	CHECK(d.ntopics == 3 && d.nrelated == 2);
	if (d.nrelated == 2) {
		STR_IS(d.related[0].title, "Related");
		STR_IS(d.related[0].excerpt, "Its excerpt");
		STR_IS(d.related[1].title, "Caf\xc3\xa9");
		STR_IS(d.related[1].excerpt, "\xe2\x80\x94 more");
	}

	/* empty input */
	CHECK(!decode("", 0, &d));

	/* wrong version byte: only 2 is accepted */
	CHECK((unsigned char)b.data[0] == 2);
	for (int v = 0; v < 256; v++) {
		if (v == 2)
			continue;
		if (decode_with(&b, 0, (unsigned char)v, &d)) {
			fprintf(stderr, "%s:%d: version byte %d accepted\n", __FILE__, __LINE__, v);
			failures++;
		}
	}
	static const unsigned char version_only[] = {2};
	CHECK(!decode(version_only, 1, &d));
	/* a version 1 record is refused, whether its layout is version 1's
	 * (no related count) or version 2's */
	static const unsigned char version1[] = {1, 0, 0, 0, 0, 0, 0, 0, 0};
	CHECK(!decode(version1, sizeof version1, &d));
	static const unsigned char version1_v2_layout[] = {1, 0, 0, 0, 0, 0, 0, 0, 0, 0};
	CHECK(!decode(version1_v2_layout, sizeof version1_v2_layout, &d));
	/* version 2 in a version 1 layout: the related count is missing */
	static const unsigned char v1_layout[] = {2, 0, 0, 0, 0, 0, 0, 0, 0};
	CHECK(!decode(v1_layout, sizeof v1_layout, &d));
	static const unsigned char v1_layout_full[] = {
	    2,   2, '/', 'p',  1,    'T',  3,    'u', 'r', 'l', 2, 'P', 'N', 3,   'd', '.',
	    'c', 0, 1,   0x44, 0x2e, 0x82, 0x65, 0,   0,   0,   0, 2,   2,   'A', 'I', 0};
	CHECK(!decode(v1_layout_full, sizeof v1_layout_full, &d));

	/* the date flag is 0 or 1, nothing else */
	size_t flag_at = vr_flag_at();
	CHECK((unsigned char)b.data[flag_at] == 1);
	for (int v = 2; v < 256; v++) {
		if (decode_with(&b, flag_at, (unsigned char)v, &d)) {
			fprintf(stderr, "%s:%d: date flag %d accepted\n", __FILE__, __LINE__, v);
			failures++;
		}
	}
	static const unsigned char flag0[] = {2, 0, 0, 0, 0, 0, 0, 0, 0, 0};
	static const unsigned char flag2[] = {2, 0, 0, 0, 0, 0, 0, 2, 0, 0};
	static const unsigned char flagff[] = {2, 0, 0, 0, 0, 0, 0, 0xff, 0, 0};
	ng_arena_reset(&arena);
	CHECK(decode(flag0, sizeof flag0, &d) && !d.has_date);
	CHECK(!decode(flag2, sizeof flag2, &d));
	CHECK(!decode(flagff, sizeof flagff, &d));
	/* ... even when 8 date bytes follow, as they would for 1 */
	static const unsigned char flag1_date[] = {2, 0, 0, 0, 0, 0, 0, 1, 7,
	                                           0, 0, 0, 0, 0, 0, 0, 0, 0};
	static const unsigned char flag2_date[] = {2, 0, 0, 0, 0, 0, 0, 2, 7,
	                                           0, 0, 0, 0, 0, 0, 0, 0, 0};
	static const unsigned char flagff_date[] = {2, 0, 0, 0, 0, 0, 0, 0xff, 7,
	                                            0, 0, 0, 0, 0, 0, 0, 0,    0};
	ng_arena_reset(&arena);
	CHECK(decode(flag1_date, sizeof flag1_date, &d) && d.has_date && d.date == 7);
	CHECK(!decode(flag2_date, sizeof flag2_date, &d));
	CHECK(!decode(flagff_date, sizeof flagff_date, &d));

	/* every proper prefix of valid records, each in an exact-size block */
	enum { NRECS = 5 };
	ng_buf recs[NRECS] = {{0}};
	valid_record(&recs[0]);
	ng_article none = {0};
	encode(&recs[1], NULL, &none);
	char s200[201];
	memset(s200, 'q', 200);
	s200[200] = '\0';
	const char *t2[] = {s200, "x"};
	ng_related r2[] = {{.title = s200, .excerpt = s200}, {.title = "", .excerpt = "y"}};
	ng_article longish = {.title = s200,
	                      .has_date = true,
	                      .date = 5,
	                      .topics = t2,
	                      .ntopics = 2,
	                      .related = r2,
	                      .nrelated = 2};
	encode(&recs[2], s200, &longish);
	/* related items whose strings are all empty: the shortest items */
	static ng_related blanks[3];
	ng_article only_blank_related = {.related = blanks, .nrelated = 3};
	encode(&recs[3], NULL, &only_blank_related);
	/* many related items: a two-byte count */
	static ng_related many[130];
	for (size_t i = 0; i < 130; i++)
		many[i] = (ng_related){.title = i % 2 ? "t" : NULL, .excerpt = i % 3 ? "" : "e"};
	ng_article many_related = {.related = many, .nrelated = 130};
	encode(&recs[4], "/m", &many_related);
	check_cuts(recs, NRECS, "record");

	/* trailing garbage after the related items: one byte, many, a whole
	 * second record */
	check_trailing(&b, 16, 'z');
	{
		ng_buf two = {0};
		ng_buf_append(&two, b.data, b.len);
		ng_buf_append(&two, b.data, b.len);
		ng_arena_reset(&arena);
		CHECK(!decode(two.data, two.len, &d));
		ng_buf_release(&two);
	}
	/* ... by hand: after no related items, and after some */
	static const unsigned char trail0[] = {2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
	CHECK(!decode(trail0, sizeof trail0, &d));
	static const unsigned char rel_ok[] = {2, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 'a', 1, 'b'};
	static const unsigned char rel_trail[] = {2, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 'a', 1, 'b', 0};
	static const unsigned char rel_trail2[] = {2, 0, 0, 0,   0, 0,   0, 0,
	                                           0, 1, 1, 'a', 1, 'b', 1, 'c'};
	ng_arena_reset(&arena);
	CHECK(decode(rel_ok, sizeof rel_ok, &d) && d.nrelated == 1);
	CHECK(!decode(rel_trail, sizeof rel_trail, &d));
	CHECK(!decode(rel_trail2, sizeof rel_trail2, &d));

	/* a length claiming more bytes than remain */
	static const unsigned char long_path[] = {2, 5, 'a', 'b', 'c', 'd'};
	CHECK(!decode(long_path, sizeof long_path, &d));
	static const unsigned char long_excerpt[] = {2, 0, 0, 0, 0, 0, 5, 'a', 0, 0, 0};
	CHECK(!decode(long_excerpt, sizeof long_excerpt, &d));
	static const unsigned char huge_len[] = {2,    0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	                                         0xff, 0xff, 0xff, 0x01, 'a',  0,    0,
	                                         0,    0,    0,    0,    0,    0};
	CHECK(!decode(huge_len, sizeof huge_len, &d));
	static const unsigned char long_topic[] = {2, 0, 0, 0, 0, 0, 0, 0, 1, 3, 'a', 'b', 0};
	CHECK(!decode(long_topic, sizeof long_topic, &d));
	/* bump the last topic's length by one in the real record: it then
	 * swallows the related count */
	{
		size_t at = b.len - VR_RELATED_BYTES - 6; /* the length of "Chips" */
		CHECK(b.data[at] == 5);
		CHECK(!decode_with(&b, at, 6, &d));
		CHECK(!decode_with(&b, at, 4, &d));
	}

	/* a truncated related item: its title or excerpt runs past the end,
	 * or the excerpt is missing */
	static const unsigned char rel_long_title[] = {2, 0, 0, 0, 0, 0, 0, 0, 0, 1, 3, 'a', 'b'};
	CHECK(!decode(rel_long_title, sizeof rel_long_title, &d));
	static const unsigned char rel_no_excerpt[] = {2, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 'a', 'b'};
	CHECK(!decode(rel_no_excerpt, sizeof rel_no_excerpt, &d));
	static const unsigned char rel_long_excerpt[] = {2, 0, 0, 0,   0, 0,   0,  0,
	                                                 0, 1, 1, 'a', 3, 'x', 'y'};
	CHECK(!decode(rel_long_excerpt, sizeof rel_long_excerpt, &d));
	static const unsigned char rel_huge_excerpt[] = {2,    0,    0,    0,    0,    0,    0,
	                                                 0,    0,    1,    0,    0xff, 0xff, 0xff,
	                                                 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01};
	CHECK(!decode(rel_huge_excerpt, sizeof rel_huge_excerpt, &d));
	static const unsigned char rel_endless[] = {2, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x80, 0x80};
	CHECK(!decode(rel_endless, sizeof rel_endless, &d));
	/* the second of two items cut short */
	static const unsigned char rel_second_cut[] = {2, 0, 0, 0,   0, 0,   0, 0,
	                                               0, 2, 1, 'a', 1, 'b', 1, 'c'};
	CHECK(!decode(rel_second_cut, sizeof rel_second_cut, &d));
	/* in the real record: the last excerpt one byte longer than is left,
	 * and the first title long enough to swallow the rest */
	{
		size_t last = b.len - (1 + 8); /* the length of "\xe2\x80\x94 more" */
		CHECK(b.data[last] == 8);
		CHECK(!decode_with(&b, last, 9, &d));
		size_t first = b.len - VR_RELATED_BYTES + 1; /* the length of "Related" */
		CHECK(b.data[first] == 7);
		CHECK(!decode_with(&b, first, VR_RELATED_BYTES - 2, &d));
		CHECK(!decode_with(&b, first, VR_RELATED_BYTES - 1, &d));
		CHECK(!decode_with(&b, first, 8, &d));
	}

	/* a related count larger than the bytes left allow: every item takes
	 * at least two bytes */
	static const unsigned char rel1_of_0[] = {2, 0, 0, 0, 0, 0, 0, 0, 0, 1};
	CHECK(!decode(rel1_of_0, sizeof rel1_of_0, &d));
	static const unsigned char rel1_of_1[] = {2, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0};
	CHECK(!decode(rel1_of_1, sizeof rel1_of_1, &d));
	static const unsigned char rel2_of_3[] = {2, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0};
	CHECK(!decode(rel2_of_3, sizeof rel2_of_3, &d));
	static const unsigned char rel3_of_6[] = {2, 0, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0};
	ng_arena_reset(&arena);
	CHECK(decode(rel3_of_6, sizeof rel3_of_6, &d) && d.nrelated == 3);
	static const unsigned char rel4_of_6[] = {2, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0};
	CHECK(!decode(rel4_of_6, sizeof rel4_of_6, &d));
	static const unsigned char rel4_of_7[] = {2, 0, 0, 0, 0, 0, 0, 0, 0,
	                                          4, 0, 0, 0, 0, 0, 0, 0};
	CHECK(!decode(rel4_of_7, sizeof rel4_of_7, &d));
	/* more items claimed than there are, though the bytes would allow it */
	static const unsigned char rel3_of_2[] = {2, 0, 0, 0,   0, 0,   0, 0,
	                                          0, 3, 1, 'a', 1, 'b', 0, 0};
	CHECK(!decode(rel3_of_2, sizeof rel3_of_2, &d));
	static const unsigned char rel_max[] = {2,    0,    0,    0,    0,    0,    0,
	                                        0,    0,    0xff, 0xff, 0xff, 0xff, 0xff,
	                                        0xff, 0xff, 0xff, 0xff, 0x01, 0,    0};
	CHECK(!decode(rel_max, sizeof rel_max, &d));
	static const unsigned char rel_2p32[] = {2,    0,    0,    0,    0,    0, 0, 0, 0,
	                                         0x80, 0x80, 0x80, 0x80, 0x10, 0, 0, 0, 0};
	CHECK(!decode(rel_2p32, sizeof rel_2p32, &d));
	static const unsigned char rel_2p63[] = {2,    0,    0,    0,    0,    0,    0,    0,
	                                         0,    0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
	                                         0x80, 0x80, 0x01, 0,    0,    0,    0};
	CHECK(!decode(rel_2p63, sizeof rel_2p63, &d));
	/* the real record with its related count changed: more claimed than
	 * there are bytes for, one more than present, and fewer (the last item
	 * is then trailing garbage) */
	{
		size_t at = b.len - VR_RELATED_BYTES;
		CHECK(b.data[at] == 2);
		CHECK(!decode_with(&b, at, 0x7f, &d));
		CHECK(!decode_with(&b, at, 3, &d));
		CHECK(!decode_with(&b, at, 1, &d));
		CHECK(!decode_with(&b, at, 0, &d));
		CHECK(decode_with(&b, at, 2, &d) && d.nrelated == 2);
	}

	/* a varint that never ends, or is longer than 10 bytes */
	static const unsigned char endless[] = {2, 0x80, 0x80, 0x80};
	CHECK(!decode(endless, sizeof endless, &d));
	static const unsigned char eleven[] = {2,    0x80, 0x80, 0x80, 0x80, 0x80, 0x80,
	                                       0x80, 0x80, 0x80, 0x80, 0x00, 0,    0,
	                                       0,    0,    0,    0,    0,    0};
	CHECK(!decode(eleven, sizeof eleven, &d));
	static const unsigned char rel_eleven[] = {2,    0,    0,    0,    0,    0,    0,
	                                           0,    0,    0x80, 0x80, 0x80, 0x80, 0x80,
	                                           0x80, 0x80, 0x80, 0x80, 0x80, 0x00};
	CHECK(!decode(rel_eleven, sizeof rel_eleven, &d));
	static const unsigned char rel_endless_count[] = {2, 0, 0, 0, 0, 0, 0, 0, 0, 0x80, 0x80};
	CHECK(!decode(rel_endless_count, sizeof rel_endless_count, &d));

	/* a date flag without its 8 bytes */
	static const unsigned char short_date[] = {2, 0, 0, 0, 0, 0, 0, 1, 1, 2, 3, 4, 5, 6, 7};
	CHECK(!decode(short_date, sizeof short_date, &d));

	/* absurd topic counts */
	static const unsigned char topics_max[] = {
	    2, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0};
	CHECK(!decode(topics_max, sizeof topics_max, &d));
	static const unsigned char topics_2p32[] = {2,    0,    0,    0,    0, 0, 0, 0, 0x80,
	                                            0x80, 0x80, 0x80, 0x10, 0, 0, 0, 0};
	CHECK(!decode(topics_2p32, sizeof topics_2p32, &d));
	/* one more topic than there are bytes, and more than there are topics */
	static const unsigned char topics_5[] = {2, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0};
	CHECK(!decode(topics_5, sizeof topics_5, &d));
	static const unsigned char topics_3of2[] = {2, 0, 0, 0, 0, 0, 0, 0, 3, 1, 'a', 0, 0};
	CHECK(!decode(topics_3of2, sizeof topics_3of2, &d));
	/* the real record with its topic count bumped: 4 claimed, 3 present
	 * (the related count is read as a fourth topic) */
	{
		size_t at = b.len - VR_RELATED_BYTES - VR_TOPIC_BYTES;
		CHECK(b.data[at] == 3);
		CHECK(!decode_with(&b, at, 4, &d));
		/* fewer claimed: the last topic is read as the related count */
		CHECK(!decode_with(&b, at, 2, &d));
	}

	/* every single-byte corruption of a record either decodes or is
	 * refused, without reading out of bounds */
	for (size_t i = 0; i < b.len; i++) {
		static const unsigned char vals[] = {0x00, 0x01, 0x02, 0x7f, 0x80, 0xff};
		for (size_t v = 0; v < sizeof vals; v++) {
			if (decode_with(&b, i, vals[v], &d)) {
				/* then it is self-consistent */
				CHECK(d.path && d.title && d.url && d.provider &&
				      d.provider_domain && d.excerpt &&
				      (d.ntopics == 0 || d.topics != NULL) &&
				      (d.nrelated == 0 || d.related != NULL));
				for (size_t t = 0; t < d.ntopics; t++)
					CHECK(d.topics[t] != NULL);
				for (size_t r = 0; r < d.nrelated; r++)
					CHECK(d.related[r].title && d.related[r].excerpt);
			}
		}
	}

	for (int k = 0; k < NRECS; k++)
		ng_buf_release(&recs[k]);
	ng_buf_release(&b);
}

/* ---- version 3: related items with their URL, date and provider ---- */

static bool str_eq(const char *a, const char *b)
{
	return a && b && strcmp(a, b) == 0;
}

/* Encodes as version 3, decodes and compares every related item's fields
 * (the rest is version 2's, which round_trip checks). */
static void round_trip3(int line, const char *path, const ng_article *a)
{
	ng_buf b = {0};
	encode3(&b, path, a);
	ng_docdata d;
	ng_arena_reset(&arena);
	if (b.len == 0 || (unsigned char)b.data[0] != 3 || !decode(b.data, b.len, &d)) {
		fprintf(stderr, "%s:%d: a version 3 record does not decode\n", __FILE__, line);
		failures++;
		ng_buf_release(&b);
		return;
	}
	int before = failures;
	str_is(__FILE__, line, "path", d.path, path ? path : "");
	str_is(__FILE__, line, "title", d.title, a->title ? a->title : "");
	str_is(__FILE__, line, "url", d.url, ng_article_url(a));
	if (d.has_date != a->has_date || (a->has_date && d.date != a->date)) {
		fprintf(stderr, "%s:%d: date %d/%lld, want %d/%lld\n", __FILE__, line, d.has_date,
		        (long long)d.date, a->has_date, (long long)a->date);
		failures++;
	}
	if (d.ntopics != a->ntopics || d.nrelated != a->nrelated) {
		fprintf(stderr, "%s:%d: %zu topics, %zu related items, want %zu, %zu\n", __FILE__,
		        line, d.ntopics, d.nrelated, a->ntopics, a->nrelated);
		failures++;
	} else {
		for (size_t i = 0; i < a->nrelated; i++) {
			const ng_related *r = &a->related[i];
			const ng_docdata_related *got = &d.related[i];
			str_is(__FILE__, line, "related title", got->title,
			       r->title ? r->title : "");
			str_is(__FILE__, line, "related excerpt", got->excerpt,
			       r->excerpt ? r->excerpt : "");
			str_is(__FILE__, line, "related url", got->url, ng_related_url(r));
			str_is(__FILE__, line, "related provider", got->provider,
			       r->provider_name ? r->provider_name : "");
			str_is(__FILE__, line, "related provider domain", got->provider_domain,
			       r->provider_domain ? r->provider_domain : "");
			if (got->has_date != r->has_date ||
			    got->date != (r->has_date ? r->date : 0)) {
				fprintf(stderr, "%s:%d: related %zu date %d/%lld, want %d/%lld\n",
				        __FILE__, line, i, got->has_date, (long long)got->date,
				        r->has_date, (long long)r->date);
				failures++;
			}
		}
	}
	if (failures != before)
		fprintf(stderr, "%s:%d: (round trip of a %zu-byte version 3 record)\n", __FILE__,
		        line, b.len);
	ng_buf_release(&b);
}
#define ROUND_TRIP3(path, a) round_trip3(__LINE__, path, a)

static void test_v3_round_trip(void)
{
	ng_related related[] = {
	    /* originalUrl preferred over webUrl */
	    {.title = "Chinese AI-powered robot developer CloudMinds raises $138m",
	     .excerpt = "Chinese artificial intelligence-powered robot developer",
	     .original_url = "https://asia.nikkei.com/a",
	     .url = "https://web.example/ignored",
	     .provider_name = "Nikkei Asia",
	     .provider_domain = "nikkei.com",
	     .has_date = true,
	     .date = 1688959620},
	    /* webUrl when originalUrl is missing or empty */
	    {.title = "w", .url = "https://w.example/", .has_date = true, .date = -1},
	    {.title = "e", .original_url = "", .url = "https://e.example/"},
	    /* nothing but a provider's name, or its domain */
	    {.provider_name = "\xe6\x96\xb0\xe5\x8d\x8e\xe7\xbd\x91"},
	    {.provider_domain = "xinhuanet.com", .has_date = true, .date = INT64_MIN},
	    /* nothing at all; a date ignored without has_date */
	    {0},
	    {.has_date = false, .date = 77},
	    {.title = "max", .has_date = true, .date = INT64_MAX},
	};
	const char *topics[] = {"AI"};
	ng_article a = {.title = "T",
	                .excerpt = "E",
	                .original_url = "https://example.com/a",
	                .provider_name = "P",
	                .provider_domain = "p.com",
	                .has_date = true,
	                .date = 1703030340,
	                .topics = topics,
	                .ntopics = 1,
	                .related = related,
	                .nrelated = sizeof related / sizeof related[0]};
	ROUND_TRIP3("/a.md", &a);
	for (size_t n = 0; n <= sizeof related / sizeof related[0]; n++) {
		a.nrelated = n;
		ROUND_TRIP3("/a.md", &a);
	}
	a.related = NULL;
	a.nrelated = 0;
	ROUND_TRIP3("/a.md", &a);
	ng_article empty = {0};
	ROUND_TRIP3(NULL, &empty);

	/* many related items with every field (a two-byte count), long
	 * strings (two- and three-byte lengths) */
	enum { MANY = 200 };
	static ng_related many[MANY];
	static char urls[MANY][32];
	for (int i = 0; i < MANY; i++) {
		snprintf(urls[i], sizeof urls[i], "https://r.example/%d", i);
		many[i] = (ng_related){.title = "t",
		                       .excerpt = i % 3 ? "x" : NULL,
		                       .url = urls[i],
		                       .provider_name = i % 2 ? "P" : NULL,
		                       .provider_domain = i % 5 ? "d" : "",
		                       .has_date = i % 4 != 0,
		                       .date = (int64_t)i * 86400};
	}
	ng_article m = {.related = many, .nrelated = MANY};
	ROUND_TRIP3("/many.md", &m);
	size_t lens[] = {127, 128, 16384, 70000};
	for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++) {
		char *s = malloc(lens[i] + 1);
		if (s == NULL) {
			fprintf(stderr, "out of memory\n");
			exit(2);
		}
		memset(s, 'u', lens[i]);
		s[lens[i]] = '\0';
		ng_related lr[] = {{.original_url = s, .provider_name = s, .provider_domain = s}};
		ng_article l = {.related = lr, .nrelated = 1};
		ROUND_TRIP3("/long.md", &l);
		free(s);
	}
}

/* The layout of a related item in version 3, by hand: title, excerpt, URL,
 * provider, provider domain as varint-length strings, then the date as
 * the article's (a flag, and after a 1 its 8 little-endian bytes). */
static void test_v3_layout(void)
{
	static const unsigned char rec[] = {
	    3, 0,    0,    0,    0,    0,   0, /* path, title, url, provider, domain, excerpt */
	    0,                                 /* no date */
	    0,                                 /* no topics */
	    2,                                 /* two related items */
	    1, 'T',  1,    'E',  3,    'u', ':', '/', 2, 'P', 'N', 3, 'd', '.', 'c', /* strings */
	    1, 0x84, 0x7b, 0xab, 0x64, 0,   0,   0,   0, /* 1688959876 = 0x64ab7b84 */
	    0, 0,    0,    0,    0,    0,                /* all empty, no date */
	};
	ng_related rel[] = {{.title = "T",
	                     .excerpt = "E",
	                     .url = "u:/",
	                     .provider_name = "PN",
	                     .provider_domain = "d.c",
	                     .has_date = true,
	                     .date = 1688959876},
	                    {.date = 5}};
	ng_article a = {.related = rel, .nrelated = 2};
	ng_buf b = {0};
	encode3(&b, NULL, &a);
	CHECK(b.len == sizeof rec && memcmp(b.data, rec, sizeof rec) == 0);
	ng_docdata d;
	ng_arena_reset(&arena);
	CHECK(decode(rec, sizeof rec, &d));
	CHECK(d.nrelated == 2);
	if (d.nrelated == 2) {
		STR_IS(d.related[0].title, "T");
		STR_IS(d.related[0].excerpt, "E");
		STR_IS(d.related[0].url, "u:/");
		STR_IS(d.related[0].provider, "PN");
		STR_IS(d.related[0].provider_domain, "d.c");
		CHECK(d.related[0].has_date && d.related[0].date == 1688959876);
		CHECK(str_eq(d.related[1].url, "") && str_eq(d.related[1].provider, "") &&
		      str_eq(d.related[1].provider_domain, "") && !d.related[1].has_date &&
		      d.related[1].date == 0);
	}
	/* the same article as version 2: the related items' details are not
	 * written, and come back NULL */
	encode(&b, NULL, &a);
	static const unsigned char rec2[] = {2, 0, 0, 0, 0, 0, 0, 0, 0, 2, 1, 'T', 1, 'E', 0, 0};
	CHECK(b.len == sizeof rec2 && memcmp(b.data, rec2, sizeof rec2) == 0);
	ng_arena_reset(&arena);
	CHECK(decode(rec2, sizeof rec2, &d) && d.nrelated == 2);
	if (d.nrelated == 2)
		CHECK(!d.related[0].url && !d.related[0].provider &&
		      !d.related[0].provider_domain && !d.related[0].has_date);
	/* ... and with no related items the two versions differ only in
	 * their first byte */
	ng_article none = {.title = "x"};
	ng_buf b3 = {0};
	encode(&b, "/p", &none);
	encode3(&b3, "/p", &none);
	CHECK(b.len == b3.len && b.data[0] == 2 && b3.data[0] == 3 &&
	      memcmp(b.data + 1, b3.data + 1, b.len - 1) == 0);
	ng_buf_release(&b3);
	ng_buf_release(&b);
}

/* A version 3 record with every part present, for damaging. */
static void valid_record3(ng_buf *b)
{
	const char *topics[] = {"AI Hardware", "AI"};
	ng_related related[] = {
	    {.title = "Related",
	     .excerpt = "Its excerpt",
	     .original_url = "https://r.example/1",
	     .provider_name = "R News",
	     .provider_domain = "r.example",
	     .has_date = true,
	     .date = 1688959620},
	    {.title = "Caf\xc3\xa9", .excerpt = "\xe2\x80\x94 more", .url = "https://r.example/2"},
	    {.title = "Dated", .has_date = true, .date = -1}};
	ng_article a = {.title = "Title",
	                .original_url = "https://example.com/a",
	                .provider_name = "Example News",
	                .provider_domain = "example.com",
	                .excerpt = "An excerpt",
	                .has_date = true,
	                .date = -14182940,
	                .topics = topics,
	                .ntopics = 2,
	                .related = related,
	                .nrelated = 3};
	encode3(b, "/archive/ai/a.md", &a);
}

static void test_v3_rejects(void)
{
	ng_docdata d;
	ng_buf b = {0};
	valid_record3(&b);
	ng_arena_reset(&arena);
	CHECK(decode(b.data, b.len, &d) && d.nrelated == 3);

	/* every proper prefix of version 3 records, each in an exact-size
	 * block: cut inside a related item's URL, provider, domain, date flag
	 * or date bytes as much as anywhere */
	enum { NRECS = 4 };
	ng_buf recs[NRECS] = {{0}};
	valid_record3(&recs[0]);
	static ng_related blanks[3];
	ng_article only_blank = {.related = blanks, .nrelated = 3};
	encode3(&recs[1], NULL, &only_blank);
	static ng_related dated[130];
	for (size_t i = 0; i < 130; i++)
		dated[i] = (ng_related){.url = i % 2 ? "u" : NULL,
		                        .provider_name = i % 3 ? "p" : NULL,
		                        .has_date = i % 2 == 0,
		                        .date = (int64_t)i};
	ng_article many = {.related = dated, .nrelated = 130};
	encode3(&recs[2], "/m", &many);
	ng_article none = {0};
	encode3(&recs[3], NULL, &none);
	check_cuts(recs, NRECS, "version 3 record");

	/* trailing bytes */
	check_trailing(&b, 9, 1);

	/* a version 2 record's related items under the byte 3, and a
	 * version 3 record's under the byte 2: neither reads */
	static const unsigned char v2_as_3[] = {3, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 'a', 1, 'b'};
	CHECK(!decode(v2_as_3, sizeof v2_as_3, &d));
	CHECK(!decode_with(&b, 0, 2, &d));
	/* ... though with no related items they are the same */
	static const unsigned char v3_none[] = {3, 0, 0, 0, 0, 0, 0, 0, 0, 0};
	ng_arena_reset(&arena);
	CHECK(decode(v3_none, sizeof v3_none, &d) && d.nrelated == 0);
	/* only 2 and 3 are versions */
	for (int v = 0; v < 256; v++)
		if (v != 3 && decode_with(&recs[3], 0, (unsigned char)v, &d) != (v == 2)) {
			fprintf(stderr, "%s:%d: version byte %d misread\n", __FILE__, __LINE__, v);
			failures++;
		}

	/* every related item takes at least six bytes, which bounds the count */
	static const unsigned char one_of_5[] = {3, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0};
	CHECK(!decode(one_of_5, sizeof one_of_5, &d));
	static const unsigned char one_of_6[] = {3, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0};
	ng_arena_reset(&arena);
	CHECK(decode(one_of_6, sizeof one_of_6, &d) && d.nrelated == 1);
	static const unsigned char two_of_11[] = {3, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0,
	                                          0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
	CHECK(!decode(two_of_11, sizeof two_of_11, &d));
	static const unsigned char huge_count[] = {
	    3,    0,    0,    0,    0,    0,    0, 0, 0, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0, 0, 0, 0,    0,    0};
	CHECK(!decode(huge_count, sizeof huge_count, &d));

	/* a related item's date flag is 0 or 1; after a 1, 8 bytes follow */
	static const unsigned char flag2[] = {3, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 2};
	CHECK(!decode(flag2, sizeof flag2, &d));
	static const unsigned char flag1_short[] = {3, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0,
	                                            0, 0, 0, 1, 1, 2, 3, 4, 5, 6, 7};
	CHECK(!decode(flag1_short, sizeof flag1_short, &d));
	static const unsigned char flag1_ok[] = {3, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0,
	                                         0, 0, 0, 1, 1, 2, 3, 4, 5, 6, 7, 8};
	ng_arena_reset(&arena);
	CHECK(decode(flag1_ok, sizeof flag1_ok, &d) && d.nrelated == 1 && d.related[0].has_date &&
	      d.related[0].date == 0x0807060504030201);
	/* a related URL, provider or domain longer than what is left */
	static const unsigned char long_url[] = {3, 0, 0, 0, 0,   0, 0, 0, 0,
	                                         1, 0, 0, 9, 'u', 0, 0, 0};
	CHECK(!decode(long_url, sizeof long_url, &d));
	static const unsigned char long_domain[] = {3, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 5, 0};
	CHECK(!decode(long_domain, sizeof long_domain, &d));
	static const unsigned char endless_provider[] = {3, 0, 0, 0, 0, 0,    0,    0,
	                                                 0, 1, 0, 0, 0, 0x80, 0x80, 0x80};
	CHECK(!decode(endless_provider, sizeof endless_provider, &d));

	/* every single-byte corruption of the record either decodes into a
	 * consistent record or is refused, without reading out of bounds */
	for (size_t i = 0; i < b.len; i++) {
		static const unsigned char vals[] = {0x00, 0x01, 0x02, 0x03, 0x7f, 0x80, 0xff};
		for (size_t v = 0; v < sizeof vals; v++) {
			if (!decode_with(&b, i, vals[v], &d))
				continue;
			CHECK(d.path && d.title && d.url && d.provider && d.provider_domain &&
			      d.excerpt && (d.nrelated == 0 || d.related != NULL));
			for (size_t r = 0; r < d.nrelated; r++)
				CHECK(d.related[r].title && d.related[r].excerpt &&
				      d.related[r].url && d.related[r].provider &&
				      d.related[r].provider_domain);
		}
	}

	for (int k = 0; k < NRECS; k++)
		ng_buf_release(&recs[k]);
	ng_buf_release(&b);
}

int main(void)
{
	ng_arena_init(&arena);
	test_round_trip();
	test_layout();
	test_rejects();
	test_v3_round_trip();
	test_v3_layout();
	test_v3_rejects();
	ng_arena_release(&arena);
	if (failures != 0) {
		fprintf(stderr, "test_docdata: %d failure(s)\n", failures);
		return 1;
	}
	printf("test_docdata: all passed\n");
	return 0;
}
