/*
 * test_schema.c - the one table of fields (core/schema.c).
 *
 * Its invariants (unique names, prefixes and slots; every field the query
 * language names is in it), each row against the literal values the index
 * format has (a changed prefix, weight, flag or slot is a new index
 * format), and each row against the terms and values the indexer actually
 * writes for a small article whose every field has words of its own.
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "ng.h"
#include "ngx.h"
#include "schema.h"

/* The index format, row by row, as written down before the table was. */
static const struct {
	ng_field_id id;
	const char *name, *prefix;
	ng_qfield qfield;
	ng_query_syntax syntax;
	ng_index_how index;
	unsigned flags;
	uint32_t wdf;
	int slot;
} want[NG_FIELD_COUNT] = {
    {NG_FIELD_TEXT, "text", "", NG_QF_TEXT, NG_QS_NONE, NG_IX_OTHER,
     NG_SF_POSITIONS | NG_SF_STEMS | NG_SF_SHOWN | NG_SF_RANKS, 0, -1},
    {NG_FIELD_STEM, "stem", "Z", NG_QF_NONE, NG_QS_NONE, NG_IX_OTHER, 0, 0, -1},
    {NG_FIELD_TITLE, "title", "S", NG_QF_TITLE, NG_QS_WORDS, NG_IX_WORDS,
     NG_SF_UNPREFIXED | NG_SF_STEMS | NG_SF_SPELLING | NG_SF_SHOWN, 4, -1},
    {NG_FIELD_EXCERPT, "excerpt", "XE", NG_QF_EXCERPT, NG_QS_WORDS, NG_IX_WORDS,
     NG_SF_UNPREFIXED | NG_SF_STEMS | NG_SF_SPELLING | NG_SF_SHOWN, 2, -1},
    {NG_FIELD_RELATED, "related", "XR", NG_QF_RELATED, NG_QS_WORDS, NG_IX_WORDS,
     NG_SF_UNPREFIXED | NG_SF_STEMS | NG_SF_SHOWN, 1, -1},
    {NG_FIELD_PROVIDER, "provider", "XP", NG_QF_PROVIDER, NG_QS_WORDS, NG_IX_WORDS,
     NG_SF_POSITIONS | NG_SF_STEMS, 1, 3},
    {NG_FIELD_DOMAIN, "site", "XD", NG_QF_SITE, NG_QS_SITE, NG_IX_FOLDED, 0, 0, -1},
    {NG_FIELD_HOST, "host", "XH", NG_QF_SITE, NG_QS_NONE, NG_IX_AS_IS, 0, 0, 4},
    {NG_FIELD_URL, "url", "XU", NG_QF_URL, NG_QS_WORDS, NG_IX_WORDS, 0, 0, 1},
    {NG_FIELD_TOPIC, "topic", "K", NG_QF_TOPIC, NG_QS_FOLDED, NG_IX_FOLDED, 0, 0, 5},
    {NG_FIELD_TYPE, "type", "XT", NG_QF_TYPE, NG_QS_FOLDED, NG_IX_FOLDED, 0, 0, 6},
    {NG_FIELD_YEAR, "year", "Y", NG_QF_NONE, NG_QS_NONE, NG_IX_OTHER, 0, 0, -1},
    {NG_FIELD_MONTH, "month", "M", NG_QF_NONE, NG_QS_NONE, NG_IX_OTHER, 0, 0, -1},
    {NG_FIELD_DAY, "day", "D", NG_QF_NONE, NG_QS_NONE, NG_IX_OTHER, 0, 0, -1},
    {NG_FIELD_FOLDER, "path", "XF", NG_QF_PATH, NG_QS_PATH, NG_IX_OTHER, 0, 0, -1},
    {NG_FIELD_DATE, "date", "", NG_QF_DATE, NG_QS_DATE, NG_IX_OTHER, 0, 0, 0},
    {NG_FIELD_UID, "uid", "Q", NG_QF_NONE, NG_QS_NONE, NG_IX_OTHER, 0, 0, 2},
    {NG_FIELD_ACRONYM, "acronym", "XA", NG_QF_NONE, NG_QS_NONE, NG_IX_OTHER, 0, 0, -1},
    {NG_FIELD_CAPITALS, "capitals", "XC", NG_QF_NONE, NG_QS_NONE, NG_IX_OTHER, 0, 0, -1},
    {NG_FIELD_URL_KEY, "URL key", "XK", NG_QF_NONE, NG_QS_NONE, NG_IX_OTHER, 0, 0, -1},
    {NG_FIELD_ARRIVAL, "arrival", "XS", NG_QF_NONE, NG_QS_NONE, NG_IX_OTHER, 0, 0, 7},
    {NG_FIELD_CHANGE, "change", "XV", NG_QF_NONE, NG_QS_NONE, NG_IX_OTHER, 0, 0, 8},
};

static void rows_are_the_format(void)
{
	for (size_t i = 0; i < NG_FIELD_COUNT; i++) {
		const ng_schema_row *r = ng_schema_field(want[i].id);
		CHECK(r && r->id == want[i].id && (size_t)r->id == i);
		if (!r)
			continue;
		STR_IS(r->name, want[i].name);
		STR_IS(r->prefix, want[i].prefix);
		if (r->qfield != want[i].qfield || r->syntax != want[i].syntax ||
		    r->index != want[i].index || r->flags != want[i].flags ||
		    r->wdf != want[i].wdf || r->slot != want[i].slot) {
			fprintf(stderr, "%s:%d: row '%s' differs from the index format\n", __FILE__,
			        __LINE__, want[i].name);
			failures++;
		}
	}
	CHECK(ng_schema_field(NG_FIELD_COUNT) == NULL);
	CHECK(ng_schema_field((ng_field_id)-1) == NULL);
	/* The named constants other modules use are the table's. */
	STR_IS(ng_schema_field(NG_FIELD_STEM)->prefix, NG_PREFIX_STEM);
	STR_IS(ng_schema_field(NG_FIELD_UID)->prefix, NG_PREFIX_UID);
	STR_IS(ng_schema_field(NG_FIELD_FOLDER)->prefix, NG_PREFIX_FOLDER);
	STR_IS(ng_schema_field(NG_FIELD_YEAR)->prefix, NG_PREFIX_YEAR);
	STR_IS(ng_schema_field(NG_FIELD_MONTH)->prefix, NG_PREFIX_MONTH);
	STR_IS(ng_schema_field(NG_FIELD_DAY)->prefix, NG_PREFIX_DAY);
	STR_IS(ng_schema_field(NG_FIELD_ACRONYM)->prefix, NG_PREFIX_ACRONYM);
	STR_IS(ng_schema_field(NG_FIELD_CAPITALS)->prefix, NG_PREFIX_CAPITALS);
	CHECK(ng_schema_field(NG_FIELD_DATE)->slot == NG_SLOT_DATE);
	CHECK(ng_schema_field(NG_FIELD_UID)->slot == NG_SLOT_FILE);
	CHECK(ng_schema_field(NG_FIELD_URL)->slot == NG_SLOT_URL);
	/* The shim's check compares these slots (ngx.h). */
	CHECK(ng_schema_field(NG_FIELD_UID)->slot == NGX_CHECK_FILE_SLOT);
	CHECK(ng_schema_field(NG_FIELD_TYPE)->slot == NGX_CHECK_TYPE_SLOT);
}

static void invariants(void)
{
	for (size_t i = 0; i < NG_FIELD_COUNT; i++) {
		const ng_schema_row *a = ng_schema_field((ng_field_id)i);
		CHECK(a->name && *a->name);
		/* Prefixes are capitals, so a prefix and a (folded) word never
		 * run together ambiguously. */
		for (const char *p = a->prefix; *p; p++)
			CHECK(isupper((unsigned char)*p));
		/* Only words are counted, stemmed, positioned or shown. */
		if (a->index != NG_IX_WORDS && a->id != NG_FIELD_TEXT)
			CHECK(a->flags == 0 && a->wdf == 0);
		/* What the indexer reads from the article, it can read. */
		CHECK((a->index == NG_IX_OTHER) == (a->count == NULL && a->text == NULL));
		/* A field whose own terms carry positions has a prefix of them,
		 * or is the unprefixed text itself. */
		if (a->flags & NG_SF_UNPREFIXED)
			CHECK(!(a->flags & NG_SF_POSITIONS) && (a->flags & NG_SF_STEMS));
		/* --check compares every slot an article makes; the numbers
		 * of arrival are the writer's (checked by their terms). */
		if (a->slot >= 0 && a->id != NG_FIELD_ARRIVAL && a->id != NG_FIELD_CHANGE)
			CHECK(a->slot < NGX_CHECK_SLOTS);
		for (size_t j = i + 1; j < NG_FIELD_COUNT; j++) {
			const ng_schema_row *b = ng_schema_field((ng_field_id)j);
			CHECK(strcmp(a->name, b->name) != 0);
			CHECK(!a->alias || strcmp(a->alias, b->name) != 0);
			CHECK(!b->alias || strcmp(b->alias, a->name) != 0);
			CHECK(a->slot < 0 || a->slot != b->slot);
			if (!*a->prefix || !*b->prefix)
				continue;
			/* Unique, and none the start of another (nor of a stem
			 * term's "Z" + prefix). */
			size_t la = strlen(a->prefix), lb = strlen(b->prefix);
			CHECK(strncmp(a->prefix, b->prefix, la < lb ? la : lb) != 0);
		}
	}
	/* The unprefixed words are those of the fields indexed unprefixed,
	 * which rank. */
	CHECK(ng_schema_field(NG_FIELD_TEXT)->flags & NG_SF_RANKS);
}

/* Every field the query language has, by each of its names. */
static void query_names(void)
{
	static const struct {
		const char *typed;
		ng_qfield field;
		const char *name, *prefix;
	} names[] = {
	    {"title", NG_QF_TITLE, "title", "S"},
	    {"excerpt", NG_QF_EXCERPT, "excerpt", "XE"},
	    {"related", NG_QF_RELATED, "related", "XR"},
	    {"provider", NG_QF_PROVIDER, "provider", "XP"},
	    {"site", NG_QF_SITE, "site", ""},
	    {"topic", NG_QF_TOPIC, "topic", "K"},
	    {"type", NG_QF_TYPE, "type", "XT"},
	    {"url", NG_QF_URL, "url", "XU"},
	    {"date", NG_QF_DATE, "date", ""},
	    {"path", NG_QF_PATH, "path", "XF"},
	    {"folder", NG_QF_PATH, "path", "XF"},
	    {"TITLE", NG_QF_TITLE, "title", "S"},
	    {"Folder", NG_QF_PATH, "path", "XF"},
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		const ng_schema_row *r =
		    ng_schema_field_by_name(names[i].typed, strlen(names[i].typed));
		CHECK(r && r->qfield == names[i].field);
		STR_IS(ng_qfield_name(names[i].field), names[i].name);
		STR_IS(ng_qfield_prefix(names[i].field), names[i].prefix);
	}
	/* Rows no query names, and a name's prefix of a field. */
	static const char *const not_fields[] = {"text", "stem",    "host", "domain", "year",
	                                         "uid",  "acronym", "titl", "titles", ""};
	for (size_t i = 0; i < sizeof(not_fields) / sizeof(not_fields[0]); i++)
		CHECK(ng_schema_field_by_name(not_fields[i], strlen(not_fields[i])) == NULL);
	STR_IS(ng_qfield_name(NG_QF_TEXT), "text");
	STR_IS(ng_qfield_prefix(NG_QF_TEXT), "");
	/* Every query field has a row, and the row says it; only the
	 * field's first row has a syntax (its name is the field's). */
	for (ng_qfield f = NG_QF_TEXT; f < NG_QF_NONE; f++) {
		const ng_schema_row *first = ng_schema_query_field(f);
		CHECK(first->qfield == f && (f == NG_QF_TEXT) == (first->syntax == NG_QS_NONE));
		for (size_t i = 0; i < NG_FIELD_COUNT; i++) {
			const ng_schema_row *r = ng_schema_field((ng_field_id)i);
			if (r != first && r->qfield == f)
				CHECK(r->syntax == NG_QS_NONE && r > first);
		}
	}
	/* Phrases: the unprefixed words with positions, the provider's own,
	 * and none for URL words. */
	STR_IS(ng_schema_positional_prefix(NG_QF_TEXT), "");
	STR_IS(ng_schema_positional_prefix(NG_QF_TITLE), "");
	STR_IS(ng_schema_positional_prefix(NG_QF_RELATED), "");
	STR_IS(ng_schema_positional_prefix(NG_QF_PROVIDER), "XP");
	CHECK(ng_schema_positional_prefix(NG_QF_URL) == NULL);
}

static void legend(void)
{
	ng_buf b = {0};
	CHECK(ng_buf_append(&b, "            ", 12) && ng_schema_legend(&b, 13, 90) &&
	      ng_buf_append(&b, "", 1));
	STR_IS(b.data, "            (Z stem, S title, XE excerpt, XR related, XP provider, XD "
	               "provider domain,\n             XH URL host, XU URL word, K topic, XT type, "
	               "Y year, M month, D day,\n             XF folder, VALUE_RANGE 0 date)");
	ng_buf_release(&b);
}

/* ---- what the indexer writes ---- */

#define MAX_TERMS 400
static struct {
	char term[256];
	uint32_t wdf;
} terms[MAX_TERMS];
static size_t nterms;

static int on_term(void *ctx, const char *term, size_t len, uint32_t wdf)
{
	(void)ctx;
	if (nterms < MAX_TERMS && len < sizeof(terms[0].term)) {
		memcpy(terms[nterms].term, term, len);
		terms[nterms].term[len] = '\0';
		terms[nterms++].wdf = wdf;
	}
	return 0;
}

/* The wdf of `prefix` + `word` in the document, or -1 when it lacks it. */
static long wdf_of(const char *prefix, const char *word)
{
	char t[300];
	snprintf(t, sizeof(t), "%s%s", prefix, word);
	for (size_t i = 0; i < nterms; i++)
		if (strcmp(terms[i].term, t) == 0)
			return terms[i].wdf;
	return -1;
}

static bool has_prefix(const char *prefix)
{
	for (size_t i = 0; i < nterms; i++)
		if (strncmp(terms[i].term, prefix, strlen(prefix)) == 0)
			return true;
	return false;
}

static char values[NGX_CHECK_SLOTS][256];

static int on_value(void *ctx, uint32_t docid, const char *bytes, size_t len)
{
	char *v = ctx;
	(void)docid;
	snprintf(v, 256, "%.*s", (int)len, bytes);
	return 0;
}

static const char article[] = "---\n"
                              "title: \"Zebras grazing\"\n"
                              "excerpt: \"Walrus colonies\"\n"
                              "publishedDateTime: 2024-06-15T12:00:00Z\n"
                              "originalUrl: \"https://news.example.org/ocelot-story\"\n"
                              "type: Feature Story\n"
                              "provider:\n"
                              "  name: Herons Post\n"
                              "  domain: Heron.example.COM\n"
                              "topics:\n"
                              "  - Big Cats\n"
                              "related:\n"
                              "  - title: \"Lynx sightings\"\n"
                              "    excerpt: \"Panda cubs\"\n"
                              "---\n";

/* A word of each row's own in the article above (its value, for a
 * whole-value row), and the facet value of the rows with one. */
static const struct {
	ng_field_id id;
	const char *word, *value;
} sample[] = {
    {NG_FIELD_TITLE, "zebras", NULL},
    {NG_FIELD_EXCERPT, "walrus", NULL},
    {NG_FIELD_RELATED, "lynx", NULL},
    {NG_FIELD_PROVIDER, "herons", "Herons Post"},
    {NG_FIELD_DOMAIN, "heron.example.com", NULL},
    {NG_FIELD_HOST, "news.example.org", "news.example.org"},
    {NG_FIELD_URL, "ocelot", NULL},
    {NG_FIELD_TOPIC, "big cats", "Big Cats"},
    {NG_FIELD_TYPE, "feature story", "feature story"},
    {NG_FIELD_YEAR, "2024", NULL},
    {NG_FIELD_MONTH, "202406", NULL},
    {NG_FIELD_DAY, "20240615", NULL},
};

static void indexed(void)
{
	char tmpl[] = "/tmp/newsgrep-schema-XXXXXX", dir[600], file[700], idx[600], live[700];
	if (!mkdtemp(tmpl)) {
		fprintf(stderr, "need a temporary folder\n");
		exit(2);
	}
	snprintf(dir, sizeof(dir), "%s/news", tmpl);
	snprintf(file, sizeof(file), "%s/a.md", dir);
	snprintf(idx, sizeof(idx), "%s/idx", tmpl);
	snprintf(live, sizeof(live), "%s/db.1", idx);
	char cmd[1400];
	snprintf(cmd, sizeof(cmd), "mkdir -p '%s'", dir);
	CHECK(system(cmd) == 0);
	FILE *f = fopen(file, "w");
	CHECK(f && fputs(article, f) >= 0 && fclose(f) == 0);

	newsgrep_db_t *w = NULL;
	CHECK(newsgrep_db_open(&w, idx, NEWSGREP_DB_WRITE, NULL, NULL) == NEWSGREP_OK);
	const char *paths[] = {dir};
	CHECK(newsgrep_index_paths(w, paths, 1, NULL, NULL) == NEWSGREP_OK);
	newsgrep_db_close(w);

	ngx_error err;
	ngx_db *x = NULL;
	CHECK(ngx_db_open_read(&x, live, &err) == NGX_OK);
	CHECK(x && ngx_db_doc_terms(x, 1, "", 0, on_term, NULL, &err) == NGX_OK);
	for (int s = 0; x && s < NGX_CHECK_SLOTS; s++)
		CHECK(ngx_db_value_stream(x, (unsigned)s, on_value, values[s], &err) == NGX_OK);
	if (x)
		ngx_db_close(x, &err);
	CHECK(nterms > 0 && nterms < MAX_TERMS);

	for (size_t i = 0; i < sizeof(sample) / sizeof(sample[0]); i++) {
		const ng_schema_row *r = ng_schema_field(sample[i].id);
		const char *w = sample[i].word;
		long wdf = wdf_of(r->prefix, w), plain = wdf_of("", w);
		char stem_prefix[16];
		snprintf(stem_prefix, sizeof(stem_prefix), "%s%s", NG_PREFIX_STEM, r->prefix);
		if (wdf < 0 || (r->index == NG_IX_WORDS &&
		                has_prefix(stem_prefix) != !!(r->flags & NG_SF_STEMS))) {
			fprintf(stderr,
			        "%s:%d: row '%s': no term %s%s, or stems where it has none\n",
			        __FILE__, __LINE__, r->name, r->prefix, w);
			failures++;
			continue;
		}
		/* The field's terms count each occurrence once where the
		 * unprefixed terms carry the field's weight, else its weight;
		 * filter terms have none. */
		if (r->flags & NG_SF_UNPREFIXED)
			CHECK(plain == (long)r->wdf && wdf == 1);
		else
			CHECK(plain == -1 && wdf == (long)r->wdf);
		if (sample[i].value)
			STR_IS(values[r->slot], sample[i].value);
	}
	/* The stems of the title: "Z" + stem and "Z" + "S" + stem. */
	CHECK(wdf_of("Z", "zebra") == 4 && wdf_of("ZS", "zebra") == 1);
	/* The file's own terms: its path, and each folder it is in. */
	CHECK(wdf_of(ng_schema_field(NG_FIELD_UID)->prefix, file) == 0);
	CHECK(wdf_of(ng_schema_field(NG_FIELD_FOLDER)->prefix, dir) == 0);
	/* Every term of the document is one of a row's (prefixes are
	 * capitals, words are not). */
	for (size_t i = 0; i < nterms; i++) {
		const char *t = terms[i].term;
		bool known = !isupper((unsigned char)t[0]);
		for (size_t r = 0; !known && r < NG_FIELD_COUNT; r++) {
			const char *p = ng_schema_field((ng_field_id)r)->prefix;
			known = *p && strncmp(t, p, strlen(p)) == 0;
		}
		if (!known) {
			fprintf(stderr, "%s:%d: term '%s' has no row\n", __FILE__, __LINE__, t);
			failures++;
		}
	}
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpl);
	CHECK(system(cmd) == 0);
}

int main(void)
{
	rows_are_the_format();
	invariants();
	query_names();
	legend();
	indexed();
	if (failures)
		fprintf(stderr, "%d failure(s)\n", failures);
	return failures != 0;
}
