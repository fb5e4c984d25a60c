/*
 * test_error.c - the one internal error (ng_error, status.c): the status
 * is kept beside the message, a long message (an ng_error's or
 * ng_msg_set's) is cut at a character boundary (still valid UTF-8), the
 * shim's errors map to statuses, and at the API boundary the message goes
 * to the handle.
 */
#include "ng.h"
#include "ngx.h"

#include <string.h>

#include "check.h"

/* Whether s is valid UTF-8 (utf8proc's rules would do; this is enough for
 * the two- to four-byte characters the test cuts). */
static int valid_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		size_t n = *p < 0x80 ? 1 : *p >= 0xF0 ? 4 : *p >= 0xE0 ? 3 : *p >= 0xC0 ? 2 : 0;
		if (!n)
			return 0;
		for (size_t i = 1; i < n; i++)
			if ((p[i] & 0xC0) != 0x80)
				return 0;
		p += n;
	}
	return 1;
}

/* A message of `pad` ASCII bytes and then `ch` repeated: one of them
 * straddles the end of the buffer for some `pad`. */
static void check_cut(const char *ch)
{
	size_t cap = sizeof(((ng_error *)0)->message), w = strlen(ch);
	char text[2048];
	for (size_t pad = 0; pad < w + 1; pad++) {
		size_t n = 0;
		memset(text, 'a', pad);
		n = pad;
		while (n + w < sizeof(text)) {
			memcpy(text + n, ch, w);
			n += w;
		}
		text[n] = '\0';
		ng_error e;
		CHECK(ng_error_set(&e, NEWSGREP_PARSE, "%s", text) == NEWSGREP_PARSE);
		CHECK(e.status == NEWSGREP_PARSE);
		size_t len = strlen(e.message);
		CHECK(len < cap);
		/* Cut only as far as it must: less than one character. */
		CHECK(len + w > cap - 1);
		CHECK(valid_utf8(e.message));
		CHECK(strncmp(e.message, text, len) == 0);
		/* The handle's buffers (ng_msg_set) are cut the same way. */
		char small[40];
		ng_msg_set(small, sizeof(small), "%s", text);
		len = strlen(small);
		CHECK(len < sizeof(small) && len + w > sizeof(small) - 1);
		CHECK(valid_utf8(small));
		CHECK(strncmp(small, text, len) == 0);
	}
}

int main(void)
{
	ng_error e;
	ng_error_clear(&e);
	CHECK(e.status == NEWSGREP_OK);
	STR_IS(e.message, "");

	CHECK(ng_error_set(&e, NEWSGREP_BAD_QUERY, "query:%d:%d: %s", 1, 9, "unbalanced ')'") ==
	      NEWSGREP_BAD_QUERY);
	CHECK(e.status == NEWSGREP_BAD_QUERY);
	STR_IS(e.message, "query:1:9: unbalanced ')'");

	/* Out of memory is a status: whatever the message says. */
	CHECK(ng_error_nomem(&e) == NEWSGREP_NOMEM);
	CHECK(e.status == NEWSGREP_NOMEM);
	STR_IS(e.message, "out of memory");
	CHECK(ng_error_set(&e, NEWSGREP_NOMEM, "out of memory (std::bad_alloc)") == NEWSGREP_NOMEM);
	CHECK(e.status == NEWSGREP_NOMEM);

	/* A message that fits exactly is kept whole. */
	char exact[sizeof(e.message)];
	memset(exact, 'x', sizeof(exact) - 1);
	exact[sizeof(exact) - 1] = '\0';
	ng_error_set(&e, NEWSGREP_IO, "%s", exact);
	STR_IS(e.message, exact);
	/* ... one byte more is cut by that byte (ASCII: any byte is a
	 * boundary). */
	ng_error_set(&e, NEWSGREP_IO, "%sy", exact);
	STR_IS(e.message, exact);
	CHECK(e.status == NEWSGREP_IO);

	/* Cut inside a character: the character goes whole. */
	check_cut("\xC3\xA9");         /* é */
	check_cut("\xE6\x96\xB0");     /* 新 */
	check_cut("\xF0\x9F\x93\xB0"); /* 📰 */

	/* The shim's error: "what: detail", its code mapped to a status. */
	ngx_error x = {.code = NGX_ERR_NOMEM};
	strcpy(x.message, "std::bad_alloc");
	CHECK(ng_error_from_ngx(&e, "cannot build a document", &x) == NEWSGREP_NOMEM);
	STR_IS(e.message, "cannot build a document: std::bad_alloc");
	x.code = NGX_ERR_CORRUPT;
	x.message[0] = '\0';
	CHECK(ng_error_from_ngx(&e, "cannot read", &x) == NEWSGREP_CORRUPT);
	STR_IS(e.message, "cannot read");

	/* At the boundary the handle gets the message, the caller the status. */
	static newsgrep_db_t db;
	ng_error_set(&e, NEWSGREP_LOCKED, "index '%s' is locked", "/x");
	CHECK(ng_db_error(&db, &e) == NEWSGREP_LOCKED);
	STR_IS(db.errmsg, "index '/x' is locked");

	return failures ? 1 : 0;
}
