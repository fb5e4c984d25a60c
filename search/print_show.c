/*
 * print_show.c - newsgrep --show for people: the article's fields, one a
 * line, then its whole excerpt and its related articles, wrapped:
 *
 *   title:     Chinese firms advance in AI chips amid possible looming US ...
 *   date:      2023-07-07 11:07 UTC
 *   provider:  Global Times (globaltimes.cn)
 *   url:       https://www.globaltimes.cn/page/202307/1293938.shtml
 *   path:      /news/seeds/001_22cd2ad8bb3a4915.txt
 *   topics:    AI Hardware, AI
 *   same url:  /news/other/copy.md          (each other file of its URL)
 *
 *   Chinese companies showcased their latest advances in the field of
 *   artificial intelligence (AI) at the ongoing World Artificial ...
 *
 *   related:
 *     Chinese AI-powered robot developer CloudMinds raises $138m
 *       date:      2023-07-10 03:27 UTC
 *       provider:  Nikkei Asia (nikkei.com)
 *       url:       https://asia.nikkei.com/Spotlight/DealStreetAsia/Chin...
 *       Chinese artificial intelligence-powered robot developer CloudMinds
 *       has raised over 1 billion yuan ($138.1 million) in a Series C ...
 *
 * A field the article lacks has no line (nor a related article's date,
 * provider and URL in an index made before format 8, which lacks them).  Whatever the article
 * holds, a terminal only shows it: its controls are escapes (safetext.h).
 */
#include <string.h>
#include <time.h>

#include "printer.h"
#include "safetext.h"

#define BOLD "\033[1m"
#define RESET "\033[0m"

#define WIDTH 76 /* columns of the wrapped text, indent included */

static bool is_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* The characters of s[0..n), roughly its columns. */
static size_t columns(const char *s, size_t n)
{
	size_t cols = 0;
	for (size_t i = 0; i < n; i++)
		cols += ((unsigned char)s[i] & 0xc0) != 0x80;
	return cols;
}

/* Writes s's words (white space runs between them as one space) in lines
 * of at most WIDTH columns, each `indent` spaces in; a word longer than a
 * line has one of its own. */
static void put_wrapped(FILE *out, const char *s, size_t indent)
{
	size_t col = 0;
	while (*s) {
		while (is_space(*s))
			s++;
		size_t n = 0;
		while (s[n] && !is_space(s[n]))
			n++;
		if (!n)
			break;
		size_t w = columns(s, n);
		if (col && col + 1 + w > WIDTH) {
			fputc('\n', out);
			col = 0;
		}
		if (!col) {
			fprintf(out, "%*s", (int)indent, "");
			col = indent;
		} else {
			fputc(' ', out);
			col++;
		}
		safetext_write(out, s, n, 0);
		col += w;
		s += n;
	}
	if (col)
		fputc('\n', out);
}

/* `indent` spaces, "label:" padded to the values' column, then the value
 * made safe. */
static void put_field_at(FILE *out, size_t indent, const char *label, const char *value)
{
	fprintf(out, "%*s%-11s", (int)indent, "", label);
	safetext_puts(out, value, SAFETEXT_SPACES);
	fputc('\n', out);
}

static void put_field(FILE *out, const char *label, const char *value)
{
	put_field_at(out, 0, label, value);
}

/* The date, provider and URL lines (those it has) of an article or a
 * related one, `indent` spaces in. */
static void put_source(FILE *out, size_t indent, int has_date, int64_t when, const char *provider,
                       const char *domain, const char *url)
{
	time_t t = (time_t)when;
	struct tm tm;
	char date[64];
	if (has_date && gmtime_r(&t, &tm) &&
	    strftime(date, sizeof(date), "%Y-%m-%d %H:%M UTC", &tm))
		put_field_at(out, indent, "date:", date);
	if ((provider && *provider) || (domain && *domain)) {
		fprintf(out, "%*s%-11s", (int)indent, "", "provider:");
		safetext_puts(out, provider ? provider : "", SAFETEXT_SPACES);
		if (domain && *domain) {
			fputs(provider && *provider ? " (" : "(", out);
			safetext_puts(out, domain, SAFETEXT_SPACES);
			fputc(')', out);
		}
		fputc('\n', out);
	}
	if (url && *url)
		put_field_at(out, indent, "url:", url);
}

void print_show_article(FILE *out, const newsgrep_article_t *a, const print_opts *o)
{
	if (*a->title) {
		fprintf(out, "%-11s%s", "title:", o->color ? BOLD : "");
		safetext_puts(out, a->title, SAFETEXT_SPACES);
		fprintf(out, "%s\n", o->color ? RESET : "");
	}
	put_source(out, 0, a->has_date, a->date, a->provider, a->provider_domain, a->url);
	put_field(out, "path:", a->path);
	if (a->ntopics) {
		fprintf(out, "%-11s", "topics:");
		for (size_t i = 0; i < a->ntopics; i++) {
			if (i)
				fputs(", ", out);
			safetext_puts(out, a->topics[i], SAFETEXT_SPACES);
		}
		fputc('\n', out);
	}
	for (size_t i = 0; i < a->nduplicates; i++)
		put_field(out, i ? "" : "same url:", a->duplicates[i]);
	if (*a->excerpt) {
		fputc('\n', out);
		put_wrapped(out, a->excerpt, 0);
	}
	if (a->nrelated)
		fputs("\nrelated:\n", out);
	for (size_t i = 0; i < a->nrelated; i++) {
		const newsgrep_related_t *r = a->related[i];
		if (i)
			fputc('\n', out);
		put_wrapped(out, *r->title ? r->title : "(no title)", 2);
		put_source(out, 4, r->has_date, r->date, r->provider, r->provider_domain, r->url);
		put_wrapped(out, r->excerpt, 4);
	}
}
