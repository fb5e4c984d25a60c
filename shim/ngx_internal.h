/*
 * ngx_internal.h - what the shim's C++ files share: the structs behind the
 * opaque handles of ngx.h and the error helpers.  Never included from C.
 */
#ifndef NGX_INTERNAL_H
#define NGX_INTERNAL_H

#include <xapian.h>

#include <string>

#include "ngx.h"

struct ngx_db {
	bool writable = false;
	Xapian::Database reader;         /* used when !writable */
	Xapian::WritableDatabase writer; /* used when writable */

	Xapian::Database &db()
	{
		return writable ? writer : reader;
	}
};

struct ngx_doc {
	Xapian::Document doc;
};

struct ngx_query {
	Xapian::Query q;
};

struct ngx_mset {
	Xapian::Database db; /* a handle of its own, so the hits outlive ngx_db */
	Xapian::MSet mset;
};

struct ngx_stemmer {
	Xapian::Stem stem;
	std::string word; /* reused input buffer */
};

/* Maps the exception being handled to a code and message in `err`.  Call it
 * only from inside a catch block: it rethrows the current exception. */
ngx_code ngx_translate(ngx_error *err) noexcept;

/* Records success. */
ngx_code ngx_ok(ngx_error *err) noexcept;

/* Records failure `code` with a printf-style message. */
ngx_code ngx_fail(ngx_error *err, ngx_code code, const char *fmt, ...) noexcept
    __attribute__((format(printf, 3, 4)));

/* A malloc'd copy of `s` plus a trailing NUL; throws std::bad_alloc. */
char *ngx_dup(const std::string &s);

/* True when `p` cannot stand for `len` bytes. */
inline bool ngx_bad_bytes(const char *p, size_t len)
{
	return p == nullptr && len != 0;
}

/* `len` bytes at `p` (NULL allowed when len is 0). */
inline std::string ngx_bytes(const char *p, size_t len)
{
	return len ? std::string(p, len) : std::string();
}

#endif /* NGX_INTERNAL_H */
