/*
 * safetext.h - text from articles, file names and the command line, made
 * safe to show a person, for newsgrep and newsgrep-index alike.
 *
 * A terminal obeys more than the bytes a person sees: ESC and the C1
 * controls (U+0080..U+009F; CSI is U+009B) start sequences that move the
 * cursor, retitle the window or rewrite what the screen shows, and the
 * bidirectional controls (U+202E) reorder it.  What is printed for a person
 * shows each of these, and each byte that is not UTF-8, as a visible escape,
 * as GNU ls and ripgrep do: "\x1b", "\n", "\u202e", "\xff".  A backslash
 * stays itself: the escapes are for reading, not for copying back (-0 and
 * --json give the exact bytes).
 */
#ifndef NEWSGREP_SAFETEXT_H
#define NEWSGREP_SAFETEXT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

enum {
	/* Tab, newline, carriage return, vertical tab and form feed as one
	 * space each: one hit is one block, one TSV record one line. */
	SAFETEXT_SPACES = 1,
	/* A newline stays one: the text is lines (--explain). */
	SAFETEXT_NEWLINES = 2,
};

/* Whether the character `cp` is one a terminal may obey rather than show:
 * C0 controls, DEL, C1 controls, the bidirectional controls (U+061C,
 * U+200E, U+200F, U+202A..U+202E, U+2066..U+2069) and the line and
 * paragraph separators (U+2028, U+2029). */
bool safetext_is_control(uint32_t cp);

/* The length (1 to 4) of the valid UTF-8 character at s[0..n), with its
 * code point in *cp; 0 when s does not start with one. */
size_t safetext_utf8(const unsigned char *s, size_t n, uint32_t *cp);

/* Writes s[0..n) to out with every control character (safetext_is_control)
 * and every byte that is not UTF-8 as a visible escape, but for what
 * `flags` (SAFETEXT_*) lets through. */
void safetext_write(FILE *out, const char *s, size_t n, unsigned flags);

/* safetext_write() of the string s. */
void safetext_puts(FILE *out, const char *s, unsigned flags);

/* Writes what fmt formats, made safe: no flags, so that it stays one line
 * whatever its arguments hold. */
void safetext_vprintf(FILE *out, const char *fmt, va_list ap);

/* Prints the message fmt formats, made safe (no flags: it is one line
 * whatever its arguments hold), then a newline. */
__attribute__((format(printf, 2, 3))) void safetext_line(FILE *out, const char *fmt, ...);

#endif
