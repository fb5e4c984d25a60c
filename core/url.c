/*
 * url.c - the little URL handling newsgrep needs: a URL's host.
 */
#include <string.h>
#include <strings.h>

#include "ng.h"

bool ng_url_host(const char *url, char *out, size_t cap)
{
	const char *p = strstr(url, "://");
	p = p ? p + 3 : url;
	/* Skip credentials: everything up to an '@' before the path. */
	size_t span = strcspn(p, "/?#");
	const char *at = memchr(p, '@', span);
	if (at) {
		span -= (size_t)(at + 1 - p);
		p = at + 1;
	}
	size_t n = strcspn(p, ":/?#");
	if (n > span)
		n = span;
	if (n >= 4 && strncasecmp(p, "www.", 4) == 0) {
		p += 4;
		n -= 4;
	}
	if (n == 0 || n >= cap)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = p[i];
		out[i] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	out[n] = '\0';
	return true;
}
