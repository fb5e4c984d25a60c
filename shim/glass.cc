// glass.cc - what Xapian's files are called and how a stub is written:
// the names of a glass database's files and the syntax of a stub file
// (Xapian's "auto PATH" lines), without any of newsgrep's rules about
// them, which are core/layout.c's.  No Xapian call and no allocation:
// nothing here throws, and what could is guarded all the same.

#include "ngx_internal.h"

#include <cstdio>
#include <cstring>

namespace
{

// In the order layout.c looks at them in a folder it cannot list.
const char *const tables[] = {"postlist.glass", "termlist.glass", "position.glass",
                              "docdata.glass",  "spelling.glass", "synonym.glass"};

const char auto_type[] = "auto ";

} // namespace

extern "C" const char *ngx_glass_table_file(size_t i)
{
	return i < sizeof(tables) / sizeof(tables[0]) ? tables[i] : nullptr;
}

extern "C" int ngx_glass_is_db_file(const char *name)
{
	try {
		if (!name)
			return 0;
		size_t n = std::strlen(name);
		return std::strcmp(name, NGX_GLASS_VERSION_FILE) == 0 ||
		       std::strcmp(name, NGX_GLASS_LOCK_FILE) == 0 ||
		       (n > 6 && std::strcmp(name + n - 6, ".glass") == 0);
	} catch (...) {
		return 0;
	}
}

extern "C" int ngx_stub_format(char *out, size_t cap, const char *name)
{
	try {
		if (!out || !name || std::strchr(name, '\n'))
			return -1;
		int len = std::snprintf(out, cap, "%s%s\n", auto_type, name);
		return len < 0 || (size_t)len >= cap ? -1 : len;
	} catch (...) {
		return -1;
	}
}

extern "C" ngx_stub_kind ngx_stub_parse(const char *text, size_t len, char *name, size_t cap)
{
	try {
		if (name && cap)
			name[0] = '\0';
		if (!text || !name)
			return NGX_STUB_BAD;
		const size_t tlen = sizeof(auto_type) - 1;
		const char *nl = static_cast<const char *>(std::memchr(text, '\n', len));
		if (!nl || std::memchr(text, '\0', len) || len < tlen ||
		    std::strncmp(text, auto_type, tlen) != 0)
			return NGX_STUB_BAD;
		size_t n = (size_t)(nl - text) - tlen; // ("auto " holds no newline)
		if (n >= cap)
			return NGX_STUB_LONG_NAME;
		std::memcpy(name, text + tlen, n);
		name[n] = '\0';
		return nl + 1 == text + len ? NGX_STUB_ONE_LINE : NGX_STUB_MORE;
	} catch (...) {
		return NGX_STUB_BAD;
	}
}

extern "C" unsigned ngx_stub_databases(const char *text, size_t len, int *remote)
{
	try {
		// Xapian 1.4's stub: a line per database, "TYPE PATH"; blank
		// lines and lines starting with '#' are skipped.
		static const char *const types[] = {"auto", "glass", "chert", "inmemory", "remote"};
		unsigned n = 0;
		*remote = 0;
		for (size_t at = 0; text && at < len;) {
			const char *line = text + at;
			const char *nl =
			    static_cast<const char *>(std::memchr(line, '\n', len - at));
			size_t llen = nl ? (size_t)(nl - line) : len - at;
			at += llen + 1;
			for (size_t t = 0; t < sizeof(types) / sizeof(*types); t++) {
				size_t tl = std::strlen(types[t]);
				if (llen > tl && std::strncmp(line, types[t], tl) == 0 &&
				    (line[tl] == ' ' || line[tl] == '\t')) {
					n++;
					*remote = *remote || t == 4;
					break;
				}
			}
		}
		return n;
	} catch (...) {
		return 0;
	}
}
