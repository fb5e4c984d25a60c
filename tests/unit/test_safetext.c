/*
 * test_safetext.c - what newsgrep and newsgrep-index show a person of text
 * they do not control (cli/safetext.c): controls and bytes that are not
 * UTF-8 as escapes, the rest as it is.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "safetext.h"

/* safetext_write(in[0..len), flags) into memory, compared with want. */
static void shows(const char *in, size_t len, unsigned flags, const char *want, int line)
{
	char *copy = exact_copy(in, len); /* ASan catches reads past len */
	char *got = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&got, &n);
	if (!f) {
		fprintf(stderr, "open_memstream failed\n");
		exit(2);
	}
	safetext_write(f, copy, len, flags);
	fclose(f);
	if (strcmp(got, want) != 0) {
		fprintf(stderr, "%s:%d: got '%s', want '%s'\n", __FILE__, line, got, want);
		failures++;
	}
	free(got);
	free(copy);
}
#define SHOWS(in, flags, want) shows(in, sizeof(in) - 1, flags, want, __LINE__)

static void test_escapes(void)
{
	SHOWS("", 0, "");
	SHOWS("plain text, \\ and é 华为 😀", 0, "plain text, \\ and é 华为 😀");
	/* C0, DEL */
	SHOWS("a\033[31mred\033[0m", 0, "a\\x1b[31mred\\x1b[0m");
	SHOWS("\033]0;title\a", 0, "\\x1b]0;title\\x07");
	SHOWS("tab\tnl\ncr\r", 0, "tab\\tnl\\ncr\\r");
	SHOWS("v\vf\fdel\x7f", 0, "v\\x0bf\\x0cdel\\x7f");
	SHOWS("nul\0end", 0, "nul\\x00end");
	/* C1 as UTF-8 (CSI is U+009B), and the bidirectional controls */
	SHOWS("\xc2\x9b"
	      "2J \xc2\x80 \xc2\x9f \xc2\xa0",
	      0, "\\u009b2J \\u0080 \\u009f \xc2\xa0");
	SHOWS("\xe2\x80\xae"
	      "exe.txt",
	      0, "\\u202eexe.txt");
	SHOWS("\xe2\x80\xaa\xe2\x80\xab\xe2\x80\xac\xe2\x80\xad", 0,
	      "\\u202a\\u202b\\u202c\\u202d");
	SHOWS("\xe2\x81\xa6\xe2\x81\xa7\xe2\x81\xa8\xe2\x81\xa9", 0,
	      "\\u2066\\u2067\\u2068\\u2069");
	SHOWS("\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c", 0, "\\u200e\\u200f\\u061c");
	SHOWS("\xe2\x80\xa8\xe2\x80\xa9", 0, "\\u2028\\u2029");
	/* neighbours that are not controls */
	SHOWS("\xe2\x80\x8d\xe2\x80\xaf\xe2\x81\xa5\xd8\x9b", 0,
	      "\xe2\x80\x8d\xe2\x80\xaf\xe2\x81\xa5\xd8\x9b");
	/* bytes that are not UTF-8: alone, C1 as Latin-1, overlong, surrogate,
	 * past U+10FFFF, cut short at the end */
	SHOWS("\xff\xfe", 0, "\\xff\\xfe");
	SHOWS("caf\xe9", 0, "caf\\xe9");
	SHOWS("\x9b"
	      "2J",
	      0, "\\x9b2J");
	SHOWS("\xc0\xaf", 0, "\\xc0\\xaf");
	SHOWS("\xed\xa0\x80", 0, "\\xed\\xa0\\x80");
	SHOWS("\xf4\x90\x80\x80", 0, "\\xf4\\x90\\x80\\x80");
	SHOWS("end\xe2\x80", 0, "end\\xe2\\x80");
}

static void test_flags(void)
{
	SHOWS("a\tb\nc\rd\ve\ff", SAFETEXT_SPACES, "a b c d e f");
	SHOWS("a\033b\xc2\x9b", SAFETEXT_SPACES, "a\\x1bb\\u009b");
	SHOWS("line\nnext\ttab\033", SAFETEXT_NEWLINES, "line\nnext\\ttab\\x1b");
}

static void test_line(void)
{
	char *got = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&got, &n);
	if (!f)
		exit(2);
	safetext_line(f, "p: '%s' %d", "x\ny\033", 7);
	/* longer than the first buffer */
	char big[3000];
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	big[2000] = '\033';
	safetext_line(f, "%s", big);
	fclose(f);
	CHECK(strncmp(got, "p: 'x\\ny\\x1b' 7\n", 16) == 0);
	CHECK(n == 16 + 2999 + 3 + 1);
	CHECK(strncmp(got + 16 + 2000, "\\x1b", 4) == 0);
	CHECK(got[n - 1] == '\n');
	free(got);
}

int main(void)
{
	test_escapes();
	test_flags();
	test_line();
	if (failures) {
		fprintf(stderr, "%d check(s) failed\n", failures);
		return 1;
	}
	printf("test_safetext: all checks passed\n");
	return 0;
}
