/*
 * glassver.cc - the block numbers in a glass database's version file,
 * looked at before a writer opens it (C in a .cc: no Xapian call, no
 * allocation, guarded all the same).
 *
 * Xapian writes a table's new blocks at its "first unused block" and at
 * the blocks of its free list, both named in the version file (iamglass),
 * and believes them: one damaged index grew a 10 TB sparse postlist.glass
 * in an update.  No table honestly names a block far past the end of its
 * file, so a writer refuses such a database before Xapian writes to it.
 * (Block numbers inside the free list's own blocks are not read here:
 * newsgrep-index's bound on the size of its files stops those.)
 *
 * The layout read is glass's as of format 2016-03-14 (Xapian 1.4): magic
 * "\x0f\x0dXapian Glass" and two bytes of version, a 16-byte UUID, the
 * revision, then for each table (postlist, docdata, termlist, position,
 * spelling, synonym) its root block, level and flags, entry count, block
 * size / 2048, compress_min and its free list as a string: revision, first
 * unused block, and two cursors (block, offset / 4).  Numbers are
 * little-endian base-128 varints.  A file of another version is not judged.
 */
#include "ngx_internal.h"

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace
{

const char magic[] = "\x0f\x0dXapian Glass"; // (14 bytes and a NUL)
#define GLASS_VERSION ((2016u - 2014u) << 9 | 3u << 5 | 14u)

/* A table may name this many blocks past its file's end, and twice as many
 * as it holds (blocks allocated but not yet written): far more than any
 * commit leaves, far less than a damaged number. */
#define SLACK_BLOCKS 1024

typedef struct reader {
	const unsigned char *p, *end;
} reader;

bool varint(reader *r, uint64_t *out)
{
	uint64_t v = 0;
	for (unsigned shift = 0; shift < 64 && r->p < r->end; shift += 7) {
		unsigned char c = *r->p++;
		v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80)) {
			*out = v;
			return true;
		}
	}
	return false;
}

// dir/name into out; false when it is too long (never cut short).
bool join(char *out, size_t cap, const char *dir, const char *name)
{
	int n = std::snprintf(out, cap, "%s/%s", dir, name);
	return n >= 0 && (size_t)n < cap;
}

bool blocks_sane(const char *dir, char *why, size_t cap)
{
	// In the version file's order.
	static const char *const tables[] = {"postlist", "docdata",  "termlist",
	                                     "position", "spelling", "synonym"};
	char path[PATH_MAX], name[64];
	int fd = join(path, sizeof(path), dir, NGX_GLASS_VERSION_FILE)
	             ? open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
	             : -1;
	if (fd < 0)
		return true; /* Xapian says what is wrong with that */
	unsigned char buf[1024];
	ssize_t n;
	while ((n = read(fd, buf, sizeof(buf))) < 0 && errno == EINTR)
		;
	close(fd);
	if (n < 34 || std::memcmp(buf, magic, sizeof(magic) - 1) != 0 ||
	    (unsigned)(buf[14] << 8 | buf[15]) != GLASS_VERSION)
		return true;
	reader r = {buf + 32, buf + n};
	uint64_t rev;
	if (!varint(&r, &rev))
		return true;
	for (size_t t = 0; t < sizeof(tables) / sizeof(tables[0]); t++) {
		uint64_t root, flags, entries, bs, compress_min, len;
		if (!varint(&r, &root) || !varint(&r, &flags) || !varint(&r, &entries) ||
		    !varint(&r, &bs) || !varint(&r, &compress_min) || !varint(&r, &len) ||
		    len > (uint64_t)(r.end - r.p))
			return true;
		reader fl = {r.p, r.p + len};
		r.p += len;
		uint64_t fl_rev, first_unused, fl_n, fl_c, flw_n, flw_c;
		if (!len || !varint(&fl, &fl_rev) || !varint(&fl, &first_unused) ||
		    !varint(&fl, &fl_n) || !varint(&fl, &fl_c) || !varint(&fl, &flw_n) ||
		    !varint(&fl, &flw_c) || bs == 0 || bs > (1u << 10))
			continue; /* a table not yet made (lazy), or not ours to read */
		uint64_t block_size = bs << 11;
		std::snprintf(name, sizeof(name), "%s.glass", tables[t]);
		struct stat st;
		uint64_t blocks = 0;
		if (!join(path, sizeof(path), dir, name))
			return true; /* (as unreadable: Xapian says what is wrong) */
		if (stat(path, &st) == 0 && st.st_size > 0)
			blocks = ((uint64_t)st.st_size + block_size - 1) / block_size;
		uint64_t limit = 2 * blocks + SLACK_BLOCKS;
		const char *what = NULL;
		uint64_t block = 0;
		if (first_unused > limit) {
			what = "first unused block";
			block = first_unused;
		} else if (!(flags & 1) && root >= first_unused) {
			what = "root block"; /* (flags & 1: no root yet) */
			block = root;
		} else if ((fl_n != flw_n || fl_c != flw_c) &&
		           (fl_n >= first_unused || flw_n >= first_unused)) {
			what = "free list";
			block = fl_n >= first_unused ? fl_n : flw_n;
		}
		if (what) {
			std::snprintf(why, cap,
			              "its version file names block %llu as the %s table's %s, but "
			              "'%s' holds %llu blocks of %llu bytes",
			              (unsigned long long)block, tables[t], what, path,
			              (unsigned long long)blocks, (unsigned long long)block_size);
			return false;
		}
	}
	return true;
}

} // namespace

extern "C" int ngx_glass_blocks_sane(const char *dir, char *why, size_t cap)
{
	try {
		return !dir || !why || blocks_sane(dir, why, cap);
	} catch (...) {
		return 1; // (as what it cannot judge: Xapian says what is wrong)
	}
}
