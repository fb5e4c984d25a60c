/*
 * print_text.c - hits for people: one block per hit.
 *
 *   2023-12-19  Gizmochina  Chinese Startup Moore Threads Defies US ...
 *       https://www.gizmochina.com/2023/12/20/moore-threads-us-sanctions-gpu-based-ai/
 *       especially in sensitive areas like AI and chip manufacturing. ...
 *
 * With colour, the title is bold and the matched words of the title and the
 * snippet bold red (as grep and ripgrep show matches).  Whatever an article
 * holds, a terminal only shows it: its controls are escapes (safetext.h).
 */
#include <string.h>
#include <time.h>

#include "printer.h"
#include "safetext.h"

#define BOLD "\033[1m"
#define MATCH "\033[1;31m"
#define DIM "\033[2m"
#define RESET "\033[0m"

#define EXCERPT_WIDTH 240 /* as the library's snippets */

void format_date(const newsgrep_hit_t *hit, int day_only, char *buf, size_t cap)
{
	buf[0] = '\0';
	if (!hit->has_date)
		return;
	time_t t = (time_t)hit->date;
	struct tm tm;
	if (gmtime_r(&t, &tm))
		strftime(buf, cap, day_only ? "%Y-%m-%d" : "%Y-%m-%dT%H:%M:%SZ", &tm);
}

void format_count(uint64_t n, char *buf, size_t cap)
{
	char digits[32];
	int len = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)n);
	size_t o = 0;
	for (int i = 0; i < len && o + 2 < cap; i++) {
		if (i && (len - i) % 3 == 0)
			buf[o++] = ',';
		buf[o++] = digits[i];
	}
	buf[o] = '\0';
}

void put_spaced(FILE *out, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		fputc(c < 0x20 || c == 0x7f ? ' ' : c, out);
	}
}

/* Writes s for a person: white space (a newline in a title) as a space, so
 * that one hit is one block, and what a terminal would obey as escapes. */
static void put_clean(FILE *out, const char *s, size_t n)
{
	safetext_write(out, s, n, SAFETEXT_SPACES);
}

static bool is_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

/* Writes s with white space runs as one space, stopping at a word boundary
 * before `width` bytes (never inside a UTF-8 sequence), then " …"; the words
 * as put_clean() writes them. */
static void put_flowing(FILE *out, const char *s, size_t width)
{
	size_t written = 0;
	int space = 0;
	while (*s) {
		if (is_space(*s)) {
			space = 1;
			s++;
			continue;
		}
		size_t word = 0;
		while (s[word] && !is_space(s[word]))
			word++;
		if (written + (space && written) + word > width) {
			if (written == 0) {
				size_t n = width;
				while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
					n--;
				put_clean(out, s, n);
			}
			fputs(" \xe2\x80\xa6", out);
			return;
		}
		if (space && written) {
			fputc(' ', out);
			written++;
		}
		put_clean(out, s, word);
		written += word;
		space = 0;
		s += word;
	}
}

void put_highlighted(FILE *out, const char *s, const newsgrep_span_t *spans, size_t n, bool color,
                     const char *base, bool safe)
{
	void (*put)(FILE *, const char *, size_t) = safe ? put_clean : put_spaced;
	size_t len = strlen(s), at = 0;
	for (size_t i = 0; color && i < n; i++) {
		const newsgrep_span_t *sp = &spans[i];
		if (sp->start < at || sp->end > len || sp->start > sp->end)
			continue;
		put(out, s + at, sp->start - at);
		fputs(MATCH, out);
		put(out, s + sp->start, sp->end - sp->start);
		fputs(RESET, out);
		if (sp->end < len)
			fputs(base, out);
		at = sp->end;
	}
	put(out, s + at, len - at);
}

void print_text_hit(FILE *out, const newsgrep_hit_t *hit, const print_opts *o)
{
	char date[32];
	format_date(hit, 1, date, sizeof(date));
	fprintf(out, "%s  ", *date ? date : "(no date)  ");
	const char *provider = *hit->provider ? hit->provider : "-";
	put_clean(out, provider, strlen(provider));
	if (o->grouped && hit->group_others)
		fprintf(out, " (+%llu more)", (unsigned long long)hit->group_others);
	fputs("  ", out);
	if (o->color)
		fputs(BOLD, out);
	if (*hit->title)
		put_highlighted(out, hit->title, hit->title_spans, hit->ntitle_spans, o->color,
		                BOLD, true);
	else
		fputs("(untitled)", out);
	if (o->color)
		fputs(RESET, out);
	fputs("\n    ", out);
	if (o->color)
		fputs(DIM, out);
	const char *where = *hit->url ? hit->url : hit->path;
	put_clean(out, where, strlen(where));
	if (o->color)
		fputs(RESET, out);
	fputc('\n', out);
	if (strcmp(hit->snippet_from, "title") == 0) {
		/* The title is on the first line already: show the excerpt. */
		if (*hit->excerpt) {
			fputs("    ", out);
			put_flowing(out, hit->excerpt, EXCERPT_WIDTH);
			fputc('\n', out);
		}
	} else if (*hit->snippet) {
		fputs("    ", out);
		if (strncmp(hit->snippet_from, "related", 7) == 0)
			fputs("related: ", out);
		put_highlighted(out, hit->snippet, hit->spans, hit->nspans, o->color, "", true);
		fputc('\n', out);
	}
	fputc('\n', out);
}
