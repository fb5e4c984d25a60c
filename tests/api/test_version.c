/*
 * test_version.c - newsgrep_component_version(), through the public API only.
 */
#include <string.h>

#include "check.h"
#include "newsgrep.h"

/* "1.4.22": numbers joined by dots, at least two of them. */
static int looks_like_version(const char *v)
{
	int numbers = 0;
	for (const char *p = v; *p;) {
		size_t digits = strspn(p, "0123456789");
		if (!digits)
			return 0;
		numbers++;
		p += digits;
		if (*p == '.' && p[1])
			p++;
		else if (*p)
			return 0;
	}
	return numbers >= 2;
}

int main(void)
{
	CHECK(strcmp(newsgrep_component_version(NEWSGREP_COMPONENT_NEWSGREP),
	             NEWSGREP_VERSION_STRING) == 0);
	CHECK(strcmp(newsgrep_component_version(NEWSGREP_COMPONENT_NEWSGREP), newsgrep_version()) ==
	      0);
	const char *format = newsgrep_component_version(NEWSGREP_COMPONENT_INDEX_FORMAT);
	CHECK(*format && strspn(format, "0123456789") == strlen(format));
	CHECK(looks_like_version(newsgrep_component_version(NEWSGREP_COMPONENT_XAPIAN)));
	CHECK(looks_like_version(newsgrep_component_version(NEWSGREP_COMPONENT_LIBYAML)));
	CHECK(looks_like_version(newsgrep_component_version(NEWSGREP_COMPONENT_UTF8PROC)));
	CHECK(!looks_like_version("1.") && !looks_like_version("5") && !looks_like_version(""));
	/* An unknown component, say from a newer header: "", never NULL. */
	const char *unknown = newsgrep_component_version((newsgrep_component_t)99);
	CHECK(unknown && strcmp(unknown, "") == 0);
	return failures != 0;
}
