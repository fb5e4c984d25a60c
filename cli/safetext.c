/*
 * safetext.c - text made safe to show a person (see safetext.h).
 */
#include "safetext.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

bool safetext_is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x061c || cp == 0x200e ||
	       cp == 0x200f || (cp >= 0x2028 && cp <= 0x202e) || (cp >= 0x2066 && cp <= 0x2069);
}

size_t safetext_utf8(const unsigned char *s, size_t n, uint32_t *cp)
{
	if (n == 0)
		return 0;
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	size_t len = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;
	if (len == 0 || s[0] > 0xf4 || len > n)
		return 0;
	uint32_t c = s[0] & (0x7f >> len);
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	/* Overlong forms, surrogates and what is past U+10FFFF are not UTF-8. */
	if ((len == 3 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))) ||
	    (len == 4 && (c < 0x10000 || c > 0x10ffff)))
		return 0;
	*cp = c;
	return len;
}

void safetext_write(FILE *out, const char *str, size_t n, unsigned flags)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t plain = 0; /* bytes before s[i] still to write as they are */
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		size_t len = safetext_utf8(s + i, n - i, &cp);
		if (len && !safetext_is_control(cp)) {
			i += len;
			continue;
		}
		fwrite(s + plain, 1, i - plain, out);
		if (len == 0)
			fprintf(out, "\\x%02x", s[i]);
		else if (cp == '\n' && (flags & SAFETEXT_NEWLINES))
			fputc('\n', out);
		else if (cp >= '\t' && cp <= '\r' && (flags & SAFETEXT_SPACES))
			fputc(' ', out);
		else if (cp == '\t' || cp == '\n' || cp == '\r')
			fputs(cp == '\t' ? "\\t" : cp == '\n' ? "\\n" : "\\r", out);
		else if (cp < 0x80)
			fprintf(out, "\\x%02x", (unsigned)cp);
		else
			fprintf(out, "\\u%04x", (unsigned)cp);
		i += len ? len : 1;
		plain = i;
	}
	fwrite(s + plain, 1, n - plain, out);
}

void safetext_puts(FILE *out, const char *s, unsigned flags)
{
	safetext_write(out, s, strlen(s), flags);
}

void safetext_vprintf(FILE *out, const char *fmt, va_list ap)
{
	char buf[1024], *msg = buf;
	va_list again;
	va_copy(again, ap);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (n < 0)
		n = 0;
	if ((size_t)n >= sizeof(buf)) {
		msg = malloc((size_t)n + 1);
		if (msg)
			vsnprintf(msg, (size_t)n + 1, fmt, again);
		else
			n = sizeof(buf) - 1; /* the beginning is better than nothing */
	}
	va_end(again);
	safetext_write(out, msg ? msg : buf, (size_t)n, 0);
	if (msg != buf)
		free(msg);
}

void safetext_line(FILE *out, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	safetext_vprintf(out, fmt, ap);
	va_end(ap);
	fputc('\n', out);
}
