/*
 * print_text.c - hits for people: one block per hit.
 *
 *   2023-12-19  Gizmochina  Chinese Startup Moore Threads Defies US ...
 *     https://www.gizmochina.com/2023/12/20/moore-threads-us-sanctions-gpu-based-ai/
 *     especially in sensitive areas like AI and chip manufacturing. ...
 */
#include <string.h>
#include <time.h>

#include "printer.h"

#define EXCERPT_WIDTH 240

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

/* Writes `s` with every run of white space made one space, stopping at a
 * word boundary before `width` bytes (never inside a UTF-8 sequence). */
static void put_flowing(FILE *out, const char *s, size_t width)
{
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	size_t written = 0;
	int space = 0;
	while (*s) {
		if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
			space = 1;
			s++;
			continue;
		}
		size_t word = strcspn(s, " \t\n\r");
		if (written + space + word > width) {
			if (written == 0) {
				/* One word longer than the line: cut it at a character. */
				size_t n = width;
				while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
					n--;
				fwrite(s, 1, n, out);
			}
			fputs(" …", out);
			return;
		}
		if (space && written)
			fputc(' ', out);
		fwrite(s, 1, word, out);
		written += space + word;
		space = 0;
		s += word;
	}
}

static void text_hit(FILE *out, const newsgrep_hit_t *hit)
{
	char date[32];
	format_date(hit, 1, date, sizeof(date));
	fprintf(out, "%s  %s  ", *date ? date : "(no date)  ",
	        *hit->provider ? hit->provider : "-");
	put_flowing(out, *hit->title ? hit->title : "(untitled)", 1000);
	fputc('\n', out);
	fprintf(out, "    %s\n", *hit->url ? hit->url : hit->path);
	if (*hit->excerpt) {
		fputs("    ", out);
		put_flowing(out, hit->excerpt, EXCERPT_WIDTH);
		fputc('\n', out);
	}
	fputc('\n', out);
}

const printer text_printer = {text_hit};
