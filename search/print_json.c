/*
 * print_json.c - what newsgrep found, for scripts: one JSON object per line
 * (NDJSON), each a record with a "type": "hit" for each article, then one
 * "summary" (or an "error") that ends the output.  The schema is in
 * newsgrep(1), JSON OUTPUT.
 *
 * {"type":"hit","format_version":2,"rank":1,"score":2.53,"path":"...","url":"...",
 *  "title":"...","date":"2023-12-19T23:59:00Z","provider":"...",
 *  "provider_domain":"...","topics":["..."],"excerpt":"...",
 *  "snippet":"...","matches":[[12,21]],"snippet_from":"excerpt",
 *  "matched_in":["title","excerpt"],"title_matches":[[0,7]],"arrival":412,"change":977}
 * "date" is null when the article has none; "matches" are byte offsets
 * [start, end) into "snippet".  format_version changes only when a field
 * changes meaning or goes away, or when a record may come that an older
 * reader would take for a hit (2: the "type" and the summary record); fields
 * and record types may be added.  Strings are valid JSON for any input: bytes
 * that are not UTF-8 (possible in paths) become U+FFFD; a path that has
 * such bytes comes with "path_bytes", its bytes in base64.
 */
#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "printer.h"
#include "safetext.h"

/* The length of the valid UTF-8 sequence at s, or 0. */
static size_t utf8_len(const unsigned char *s, uint32_t *cp)
{
	return safetext_utf8(s, strnlen((const char *)s, 4), cp);
}

void put_json_string(FILE *out, const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	fputc('"', out);
	while (*s) {
		unsigned char c = *s;
		if (c == '"' || c == '\\') {
			fputc('\\', out);
			fputc(c, out);
			s++;
		} else if (c < 0x20) {
			switch (c) {
			case '\n':
				fputs("\\n", out);
				break;
			case '\t':
				fputs("\\t", out);
				break;
			case '\r':
				fputs("\\r", out);
				break;
			default:
				fprintf(out, "\\u%04x", c);
				break;
			}
			s++;
		} else {
			uint32_t cp;
			size_t n = utf8_len(s, &cp);
			if (n == 0) {
				fputs("\\ufffd", out);
				n = 1;
			} else if (safetext_is_control(cp)) {
				/* The same string, but safe on a terminal and in
				 * JavaScript (U+2028). */
				fprintf(out, "\\u%04x", (unsigned)cp);
			} else {
				fwrite(s, 1, n, out);
			}
			s += n;
		}
	}
	fputc('"', out);
}

static bool is_utf8(const char *str)
{
	for (const unsigned char *s = (const unsigned char *)str; *s;) {
		uint32_t cp;
		size_t n = utf8_len(s, &cp);
		if (n == 0)
			return false;
		s += n;
	}
	return true;
}

/* The bytes of s in base64 (RFC 4648, with padding), as a JSON string. */
static void put_base64(FILE *out, const char *str)
{
	static const char digits[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *s = (const unsigned char *)str;
	size_t len = strlen(str);
	fputc('"', out);
	for (size_t i = 0; i < len; i += 3) {
		uint32_t v = (uint32_t)s[i] << 16 | (i + 1 < len ? (uint32_t)s[i + 1] << 8 : 0) |
		             (i + 2 < len ? s[i + 2] : 0);
		fputc(digits[v >> 18 & 63], out);
		fputc(digits[v >> 12 & 63], out);
		fputc(i + 1 < len ? digits[v >> 6 & 63] : '=', out);
		fputc(i + 2 < len ? digits[v & 63] : '=', out);
	}
	fputc('"', out);
}

static void json_field(FILE *out, const char *name, const char *value)
{
	fprintf(out, ",\"%s\":", name);
	put_json_string(out, value);
}

/* A string field, or null when the index does not keep it. */
static void json_field_or_null(FILE *out, const char *name, const char *value)
{
	if (value) {
		json_field(out, name, value);
		return;
	}
	fputc(',', out);
	put_json_string(out, name);
	fputs(":null", out);
}

/* "date": the time as newsgrep prints it in JSON, or null. */
static void json_date(FILE *out, int has_date, int64_t t)
{
	newsgrep_hit_t dated = {.has_date = has_date, .date = t};
	char date[32];
	format_date(&dated, 0, date, sizeof(date));
	json_field_or_null(out, "date", *date ? date : NULL);
}

static void json_array(FILE *out, const char *name, const char *const *v, size_t n)
{
	fprintf(out, ",\"%s\":[", name);
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputc(',', out);
		put_json_string(out, v[i]);
	}
	fputc(']', out);
}

void print_json_hit(FILE *out, const newsgrep_hit_t *hit, const print_opts *o)
{
	fprintf(out, "{\"type\":\"hit\",\"format_version\":%d,\"rank\":%llu,\"score\":%.6g",
	        JSON_FORMAT_VERSION, (unsigned long long)hit->rank, hit->score);
	json_field(out, "path", hit->path);
	/* A path that is not UTF-8 cannot be a JSON string as it is: its
	 * exact bytes too, so that a script can open the file. */
	if (!is_utf8(hit->path)) {
		fputs(",\"path_bytes\":", out);
		put_base64(out, hit->path);
	}
	json_field(out, "url", hit->url);
	json_field(out, "title", hit->title);
	json_date(out, hit->has_date, hit->date);
	json_field(out, "provider", hit->provider);
	json_field(out, "provider_domain", hit->provider_domain);
	json_array(out, "topics", hit->topics, hit->ntopics);
	json_field(out, "excerpt", hit->excerpt);
	json_field(out, "snippet", hit->snippet);
	fputs(",\"matches\":[", out);
	for (size_t i = 0; i < hit->nspans; i++)
		fprintf(out, "%s[%zu,%zu]", i ? "," : "", hit->spans[i].start, hit->spans[i].end);
	fputc(']', out);
	json_field(out, "snippet_from", hit->snippet_from);
	json_array(out, "matched_in", hit->matched_in, hit->nmatched_in);
	fputs(",\"title_matches\":[", out);
	for (size_t i = 0; i < hit->ntitle_spans; i++)
		fprintf(out, "%s[%zu,%zu]", i ? "," : "", hit->title_spans[i].start,
		        hit->title_spans[i].end);
	fprintf(out, "],\"arrival\":%llu,\"change\":%llu", (unsigned long long)hit->arrival,
	        (unsigned long long)hit->change);
	if (o->grouped)
		fprintf(out, ",\"group_others\":%llu", (unsigned long long)hit->group_others);
	fputs("}\n", out);
}

void print_json_summary(FILE *out, const json_summary *sum)
{
	fprintf(out,
	        "{\"type\":\"summary\",\"format_version\":%d,\"count\":%llu,"
	        "\"count_exact\":%s,\"shown\":%zu,\"offset\":%llu,\"limit\":",
	        JSON_FORMAT_VERSION, (unsigned long long)sum->count,
	        sum->count_exact ? "true" : "false", sum->shown, (unsigned long long)sum->offset);
	if (sum->limit == UINT64_MAX)
		fputs("null", out);
	else
		fprintf(out, "%llu", (unsigned long long)sum->limit);
	fprintf(out, ",\"truncated\":%s}\n", sum->truncated ? "true" : "false");
}

void print_json_missing(FILE *out, const char *member, const char *why)
{
	fprintf(out, "{\"type\":\"missing\",\"format_version\":%d", JSON_FORMAT_VERSION);
	json_field(out, "index", member);
	json_field(out, "reason", why);
	fputs("}\n", out);
}

void print_json_suggestion(FILE *out, const char *query)
{
	fprintf(out, "{\"type\":\"suggestion\",\"format_version\":%d", JSON_FORMAT_VERSION);
	json_field(out, "query", query);
	fputs("}\n", out);
}

/* A status as the "code" of an error record: stable, for scripts. */
static const char *error_code(newsgrep_status_t st)
{
	switch (st) {
	case NEWSGREP_NO_INDEX:
		return "no_index";
	case NEWSGREP_LOCKED:
		return "locked";
	case NEWSGREP_INDEX_CHANGED:
		return "index_changed";
	case NEWSGREP_INDEX_VERSION:
		return "index_version";
	case NEWSGREP_CORRUPT:
		return "corrupt";
	case NEWSGREP_BAD_QUERY:
		return "bad_query";
	case NEWSGREP_BAD_DATE:
		return "bad_date";
	case NEWSGREP_IO:
		return "io";
	case NEWSGREP_NOMEM:
		return "nomem";
	case NEWSGREP_INVALID_ARG:
		return "invalid_arg";
	case NEWSGREP_BACKEND:
		return "backend";
	case NEWSGREP_PERMISSION:
		return "permission";
	default:
		return "error";
	}
}

void print_json_error(FILE *out, newsgrep_status_t st, const char *message)
{
	fprintf(out, "{\"type\":\"error\",\"format_version\":%d", JSON_FORMAT_VERSION);
	json_field(out, "code", error_code(st));
	json_field(out, "message", message);
	fputs("}\n", out);
}

/* ,"NAME":PATH, and its bytes as NAME_bytes when it is not UTF-8. */
static void json_path(FILE *out, const char *name, const char *path)
{
	json_field(out, name, path);
	if (!is_utf8(path)) {
		fprintf(out, ",\"%s_bytes\":", name);
		put_base64(out, path);
	}
}

/* A related article's URL, date and provider (null when the index does
 * not keep them: made before format 8). */
static void json_related_details(FILE *out, const newsgrep_related_t *r)
{
	json_field_or_null(out, "url", r->url);
	json_date(out, r->has_date, r->date);
	json_field_or_null(out, "provider", r->provider);
	json_field_or_null(out, "provider_domain", r->provider_domain);
}

void print_json_article(FILE *out, const newsgrep_article_t *a)
{
	fprintf(out, "{\"type\":\"article\",\"format_version\":%d", JSON_FORMAT_VERSION);
	json_path(out, "path", a->path);
	json_field(out, "url", a->url);
	json_field(out, "title", a->title);
	json_date(out, a->has_date, a->date);
	json_field(out, "provider", a->provider);
	json_field(out, "provider_domain", a->provider_domain);
	json_array(out, "topics", a->topics, a->ntopics);
	json_field(out, "excerpt", a->excerpt);
	fputs(",\"related\":[", out);
	for (size_t i = 0; i < a->nrelated; i++) {
		fputs(i ? ",{" : "{", out);
		put_json_string(out, "title");
		fputc(':', out);
		put_json_string(out, a->related[i]->title);
		json_field(out, "excerpt", a->related[i]->excerpt);
		json_related_details(out, a->related[i]);
		fputc('}', out);
	}
	fputs("],\"duplicates\":[", out);
	for (size_t i = 0; i < a->nduplicates; i++) {
		fputs(i ? ",{" : "{", out);
		put_json_string(out, "path");
		fputc(':', out);
		put_json_string(out, a->duplicates[i]);
		if (!is_utf8(a->duplicates[i])) {
			fputs(",\"path_bytes\":", out);
			put_base64(out, a->duplicates[i]);
		}
		fputc('}', out);
	}
	fputs("]}\n", out);
}
