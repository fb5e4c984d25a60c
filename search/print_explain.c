/*
 * print_explain.c - --explain --json: the explanation as one JSON record,
 *
 * {"type":"explain","format_version":2,"query":"title:GPU -wsj",
 *  "parsed":"(title:gpu AND NOT wsj)","since":null,"until":null,
 *  "order":"relevance","duplicates":"one per URL",
 *  "matches":[{"how":"stem","term":"gpu","fields":["title"]},...],
 *  "xapian":"Query(...)"}
 *
 * read from the lines of newsgrep_explain()'s text.
 */
#include <stdlib.h>
#include <string.h>

#include "printer.h"

/* --explain's text is lines of "label:" and a value from column 12, a long
 * value going on in lines that start with 12 spaces.  EXPLAIN_COLUMN is that
 * column. */
#define EXPLAIN_COLUMN 12

static bool explain_continues(const char *line)
{
	return strncmp(line, "            ", EXPLAIN_COLUMN) == 0;
}

/* The line after `line`, or NULL at the end. */
static const char *next_line(const char *line)
{
	const char *nl = strchr(line, '\n');
	return nl && nl[1] ? nl + 1 : NULL;
}

/* Bytes [s, s + n) as a JSON string. */
static void put_json_n(FILE *out, const char *s, size_t n)
{
	char *copy = strndup(s, n);
	put_json_string(out, copy ? copy : "");
	free(copy);
}

/* The length of the line at s, without its newline. */
static size_t line_len(const char *s)
{
	return strcspn(s, "\n");
}

/* The line of `text` that starts with `label`, or NULL. */
static const char *explain_line(const char *text, const char *label)
{
	size_t n = strlen(label);
	for (const char *l = text; l; l = next_line(l))
		if (!explain_continues(l) && strncmp(l, label, n) == 0 && l[n] == ':' &&
		    line_len(l) >= EXPLAIN_COLUMN)
			return l;
	return NULL;
}

/* The value of a line of `text`, or null. */
static void put_explain_value(FILE *out, const char *line)
{
	if (line)
		put_json_n(out, line + EXPLAIN_COLUMN, line_len(line) - EXPLAIN_COLUMN);
	else
		fputs("null", out);
}

/* "stem gpu in title, excerpt" as {"how":"stem","term":"gpu",
 * "fields":["title","excerpt"]}. */
static void put_explain_match(FILE *out, const char *s, size_t len)
{
	const char *end = s + len, *sp = memchr(s, ' ', len);
	const char *in = sp ? strstr(sp, " in ") : NULL;
	if (!sp || !in || in >= end) {
		put_json_n(out, s, len);
		return;
	}
	fputs("{\"how\":", out);
	put_json_n(out, s, (size_t)(sp - s));
	fputs(",\"term\":", out);
	put_json_n(out, sp + 1, (size_t)(in - sp - 1));
	fputs(",\"fields\":[", out);
	for (const char *f = in + 4; f < end;) {
		const char *comma = strstr(f, ", ");
		const char *fe = comma && comma < end ? comma : end;
		if (f != in + 4)
			fputc(',', out);
		put_json_n(out, f, (size_t)(fe - f));
		f = fe == end ? end : fe + 2;
	}
	fputs("]}", out);
}

void print_json_explain(FILE *out, const char *query, const char *text)
{
	fprintf(out, "{\"type\":\"explain\",\"format_version\":%d,\"query\":", JSON_FORMAT_VERSION);
	put_json_string(out, query);
	static const char *const strings[] = {"parsed", "since", "until", "order", "duplicates"};
	for (size_t i = 0; i < sizeof(strings) / sizeof(*strings); i++) {
		fprintf(out, ",\"%s\":", strings[i]);
		put_explain_value(out, explain_line(text, strings[i]));
	}
	fputs(",\"matches\":[", out);
	const char *m = explain_line(text, "matches");
	for (const char *l = m; l; l = next_line(l)) {
		if (l != m && !explain_continues(l))
			break;
		if (l != m)
			fputc(',', out);
		put_explain_match(out, l + EXPLAIN_COLUMN, line_len(l) - EXPLAIN_COLUMN);
	}
	fputc(']', out);
	/* The Xapian query, without the legend of prefixes after it. */
	fputs(",\"xapian\":", out);
	put_explain_value(out, explain_line(text, "xapian"));
	fputs("}\n", out);
}
