/*
 * schema.c - the one table of what a field is (schema.h).
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "schema.h"

/* ---- the texts of an article, as the indexer reads them ---- */

static size_t one(const ng_article *a)
{
	(void)a;
	return 1;
}

static const char *title(const ng_article *a, size_t i, char *buf, size_t cap)
{
	(void)i, (void)buf, (void)cap;
	return a->title;
}

static const char *excerpt(const ng_article *a, size_t i, char *buf, size_t cap)
{
	(void)i, (void)buf, (void)cap;
	return a->excerpt;
}

/* Each related item's title, then its excerpt. */
static size_t related_count(const ng_article *a)
{
	return a->nrelated * 2;
}

static const char *related(const ng_article *a, size_t i, char *buf, size_t cap)
{
	(void)buf, (void)cap;
	return i % 2 ? a->related[i / 2].excerpt : a->related[i / 2].title;
}

static const char *provider(const ng_article *a, size_t i, char *buf, size_t cap)
{
	(void)i, (void)buf, (void)cap;
	return a->provider_name;
}

static const char *domain(const ng_article *a, size_t i, char *buf, size_t cap)
{
	(void)i, (void)buf, (void)cap;
	return a->provider_domain;
}

static const char *host(const ng_article *a, size_t i, char *buf, size_t cap)
{
	(void)i;
	return ng_url_host(ng_article_url(a), buf, cap) ? buf : NULL;
}

static const char *url(const ng_article *a, size_t i, char *buf, size_t cap)
{
	(void)i, (void)buf, (void)cap;
	return ng_article_url(a);
}

static size_t topic_count(const ng_article *a)
{
	return a->ntopics;
}

static const char *topic(const ng_article *a, size_t i, char *buf, size_t cap)
{
	(void)buf, (void)cap;
	return a->topics[i];
}

static const char *type(const ng_article *a, size_t i, char *buf, size_t cap)
{
	(void)i, (void)buf, (void)cap;
	return a->type;
}

/* ---- the table ---- */

#define ARTICLE_TEXT (NG_SF_UNPREFIXED | NG_SF_STEMS | NG_SF_SHOWN)

/* Columns: id, name, query field, alias, query syntax, prefix, how it is
 * indexed, flags, wdf, value slot, what --explain calls it, and the
 * article's texts of it (schema.h). */
static const ng_schema_row rows[NG_FIELD_COUNT] = {
    [NG_FIELD_TEXT] = {NG_FIELD_TEXT, "text", NG_QF_TEXT, NULL, NG_QS_NONE, "", NG_IX_OTHER,
                       NG_SF_POSITIONS | NG_SF_STEMS | NG_SF_SHOWN | NG_SF_RANKS, 0, -1, NULL, NULL,
                       NULL},
    [NG_FIELD_STEM] = {NG_FIELD_STEM, "stem", NG_QF_NONE, NULL, NG_QS_NONE, NG_PREFIX_STEM,
                       NG_IX_OTHER, 0, 0, -1, "stem", NULL, NULL},
    [NG_FIELD_TITLE] = {NG_FIELD_TITLE, "title", NG_QF_TITLE, NULL, NG_QS_WORDS, "S", NG_IX_WORDS,
                        ARTICLE_TEXT | NG_SF_SPELLING, 4, -1, "title", one, title},
    [NG_FIELD_EXCERPT] = {NG_FIELD_EXCERPT, "excerpt", NG_QF_EXCERPT, NULL, NG_QS_WORDS, "XE",
                          NG_IX_WORDS, ARTICLE_TEXT | NG_SF_SPELLING, 2, -1, "excerpt", one,
                          excerpt},
    [NG_FIELD_RELATED] = {NG_FIELD_RELATED, "related", NG_QF_RELATED, NULL, NG_QS_WORDS, "XR",
                          NG_IX_WORDS, ARTICLE_TEXT, 1, -1, "related", related_count, related},
    /* The provider's name: words with positions of their own (NEAR). */
    [NG_FIELD_PROVIDER] = {NG_FIELD_PROVIDER, "provider", NG_QF_PROVIDER, NULL, NG_QS_WORDS, "XP",
                           NG_IX_WORDS, NG_SF_POSITIONS | NG_SF_STEMS, 1, 3, "provider", one,
                           provider},
    /* site: is the provider's domain or the host of the article's URL
     * (the field's first row names it); its facet is the host, else the
     * provider's domain (index.c). */
    [NG_FIELD_DOMAIN] = {NG_FIELD_DOMAIN, "site", NG_QF_SITE, NULL, NG_QS_SITE, "XD", NG_IX_FOLDED,
                         0, 0, -1, "provider domain", one, domain},
    [NG_FIELD_HOST] = {NG_FIELD_HOST, "host", NG_QF_SITE, NULL, NG_QS_NONE, "XH", NG_IX_AS_IS, 0, 0,
                       4, "URL host", one, host},
    /* The URL's words, without positions or weight; its slot holds a
     * hash of it, for collapsing duplicates. */
    [NG_FIELD_URL] = {NG_FIELD_URL, "url", NG_QF_URL, NULL, NG_QS_WORDS, "XU", NG_IX_WORDS, 0, 0,
                      NG_SLOT_URL, "URL word", one, url},
    /* Topics: each a filter term; the facet value is all of them. */
    [NG_FIELD_TOPIC] = {NG_FIELD_TOPIC, "topic", NG_QF_TOPIC, NULL, NG_QS_FOLDED, "K", NG_IX_FOLDED,
                        0, 0, 5, "topic", topic_count, topic},
    [NG_FIELD_TYPE] = {NG_FIELD_TYPE, "type", NG_QF_TYPE, NULL, NG_QS_FOLDED, "XT", NG_IX_FOLDED, 0,
                       0, 6, "type", one, type},
    /* The UTC year, month and day of a dated article (index.c, window.c). */
    [NG_FIELD_YEAR] = {NG_FIELD_YEAR, "year", NG_QF_NONE, NULL, NG_QS_NONE, NG_PREFIX_YEAR,
                       NG_IX_OTHER, 0, 0, -1, "year", NULL, NULL},
    [NG_FIELD_MONTH] = {NG_FIELD_MONTH, "month", NG_QF_NONE, NULL, NG_QS_NONE, NG_PREFIX_MONTH,
                        NG_IX_OTHER, 0, 0, -1, "month", NULL, NULL},
    [NG_FIELD_DAY] = {NG_FIELD_DAY, "day", NG_QF_NONE, NULL, NG_QS_NONE, NG_PREFIX_DAY, NG_IX_OTHER,
                      0, 0, -1, "day", NULL, NULL},
    /* Each folder the file is in (index.c, roots.c). */
    [NG_FIELD_FOLDER] = {NG_FIELD_FOLDER, "path", NG_QF_PATH, "folder", NG_QS_PATH,
                         NG_PREFIX_FOLDER, NG_IX_OTHER, 0, 0, -1, "folder", NULL, NULL},
    /* The publication time, a sortable number (date: beside Y, M, D). */
    [NG_FIELD_DATE] = {NG_FIELD_DATE, "date", NG_QF_DATE, NULL, NG_QS_DATE, "", NG_IX_OTHER, 0, 0,
                       NG_SLOT_DATE, "date", NULL, NULL},
    /* The file's path, and in its slot the file's state (filestate.c). */
    [NG_FIELD_UID] = {NG_FIELD_UID, "uid", NG_QF_NONE, NULL, NG_QS_NONE, NG_PREFIX_UID, NG_IX_OTHER,
                      0, 0, NG_SLOT_FILE, NULL, NULL, NULL},
    [NG_FIELD_ACRONYM] = {NG_FIELD_ACRONYM, "acronym", NG_QF_NONE, NULL, NG_QS_NONE,
                          NG_PREFIX_ACRONYM, NG_IX_OTHER, 0, 0, -1, NULL, NULL, NULL},
    [NG_FIELD_CAPITALS] = {NG_FIELD_CAPITALS, "capitals", NG_QF_NONE, NULL, NG_QS_NONE,
                           NG_PREFIX_CAPITALS, NG_IX_OTHER, 0, 0, -1, NULL, NULL, NULL},
    /* The order of arrival (sequence.c; format 7): the URL's key, which
     * finds its duplicates, and the blocks of the article's numbers, which
     * are in the slots. */
    [NG_FIELD_URL_KEY] = {NG_FIELD_URL_KEY, "URL key", NG_QF_NONE, NULL, NG_QS_NONE,
                          NG_PREFIX_URL_KEY, NG_IX_OTHER, 0, 0, -1, NULL, NULL, NULL},
    [NG_FIELD_ARRIVAL] = {NG_FIELD_ARRIVAL, "arrival", NG_QF_NONE, NULL, NG_QS_NONE,
                          NG_PREFIX_ARRIVAL, NG_IX_OTHER, 0, 0, NG_SLOT_ARRIVAL, NULL, NULL, NULL},
    [NG_FIELD_CHANGE] = {NG_FIELD_CHANGE, "change", NG_QF_NONE, NULL, NG_QS_NONE, NG_PREFIX_CHANGE,
                         NG_IX_OTHER, 0, 0, NG_SLOT_CHANGE, NULL, NULL, NULL},
};

const ng_schema_row *ng_schema_field(ng_field_id id)
{
	return (unsigned)id < NG_FIELD_COUNT ? &rows[id] : NULL;
}

static bool name_is(const char *name, const char *s, size_t len)
{
	return name && strlen(name) == len && strncasecmp(name, s, len) == 0;
}

const ng_schema_row *ng_schema_field_by_name(const char *name, size_t len)
{
	for (size_t i = 0; i < NG_FIELD_COUNT; i++)
		if (rows[i].syntax != NG_QS_NONE &&
		    (name_is(rows[i].name, name, len) || name_is(rows[i].alias, name, len)))
			return &rows[i];
	return NULL;
}

const ng_schema_row *ng_schema_query_field(ng_qfield f)
{
	for (size_t i = 0; i < NG_FIELD_COUNT; i++)
		if (rows[i].qfield == f && f != NG_QF_NONE)
			return &rows[i];
	return &rows[NG_FIELD_TEXT];
}

const char *ng_schema_positional_prefix(ng_qfield f)
{
	const ng_schema_row *r = ng_schema_query_field(f);
	return r->flags & NG_SF_POSITIONS ? r->prefix : r->flags & NG_SF_UNPREFIXED ? "" : NULL;
}

const char *ng_qfield_name(ng_qfield f)
{
	return ng_schema_query_field(f)->name;
}

const char *ng_qfield_prefix(ng_qfield f)
{
	/* site: looks up several rows, date: a range (query.c). */
	const ng_schema_row *r = ng_schema_query_field(f);
	return r->syntax == NG_QS_SITE || r->syntax == NG_QS_DATE ? "" : r->prefix;
}

bool ng_schema_legend(ng_buf *out, size_t indent, size_t width)
{
	size_t col = indent;
	bool first = true;
	if (!ng_buf_append(out, "(", 1))
		return false;
	for (size_t i = 0; i < NG_FIELD_COUNT; i++) {
		if (!rows[i].what)
			continue;
		char item[64];
		int n = *rows[i].prefix
		            ? snprintf(item, sizeof(item), "%s %s", rows[i].prefix, rows[i].what)
		            : snprintf(item, sizeof(item), "VALUE_RANGE %d %s", rows[i].slot,
		                       rows[i].what);
		size_t len = (size_t)n + 1; /* and its ',' or ')' */
		if (!first && col + 1 + len > width) {
			if (!ng_buf_append(out, ",\n", 2))
				return false;
			for (col = 0; col < indent; col++)
				if (!ng_buf_append(out, " ", 1))
					return false;
		} else if (!first) {
			if (!ng_buf_append(out, ", ", 2))
				return false;
			col++;
		}
		if (!ng_buf_append(out, item, (size_t)n))
			return false;
		col += len;
		first = false;
	}
	return ng_buf_append(out, ")", 1);
}
