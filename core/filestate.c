/*
 * filestate.c - what the index remembers about each file, to tell on the
 * next run whether it changed.
 *
 * Each document keeps, in value NG_SLOT_FILE, the file's size, inode,
 * mtime and ctime (with nanoseconds) and an xxh3 hash of its bytes,
 * followed by its path.  A file whose stat matches is unchanged without
 * being read; a file whose stat differs is read and hashed, and only a
 * different hash makes it indexed again.  Comparing each file with its own
 * record, rather than with the time of the last run, catches files copied
 * with their old times kept (cp -p, rsync -t, tar -x).
 *
 * Layout: little-endian size u64, ino u64, hash u64, mtime s i64, ctime
 * s i64, mtime ns u32, ctime ns u32, then the path's bytes.
 */
#include <string.h>
#include <sys/stat.h>

#include "ng.h"

static void put64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void put32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static uint64_t get64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static uint32_t get32(const unsigned char *p)
{
	uint32_t v = 0;
	for (int i = 3; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

void ng_file_state_from_stat(ng_file_state *fs, const struct stat *st)
{
	fs->size = (uint64_t)st->st_size;
	fs->ino = (uint64_t)st->st_ino;
	fs->mtime_sec = (int64_t)st->st_mtim.tv_sec;
	fs->mtime_nsec = (uint32_t)st->st_mtim.tv_nsec;
	fs->ctime_sec = (int64_t)st->st_ctim.tv_sec;
	fs->ctime_nsec = (uint32_t)st->st_ctim.tv_nsec;
}

bool ng_file_state_same_stat(const ng_file_state *a, const ng_file_state *b)
{
	return a->size == b->size && a->ino == b->ino && a->mtime_sec == b->mtime_sec &&
	       a->mtime_nsec == b->mtime_nsec && a->ctime_sec == b->ctime_sec &&
	       a->ctime_nsec == b->ctime_nsec;
}

bool ng_file_state_encode(ng_buf *out, const ng_file_state *fs, const char *path, size_t len)
{
	unsigned char head[NG_FILE_STATE_SIZE];
	put64(head, fs->size);
	put64(head + 8, fs->ino);
	put64(head + 16, fs->hash);
	put64(head + 24, (uint64_t)fs->mtime_sec);
	put64(head + 32, (uint64_t)fs->ctime_sec);
	put32(head + 40, fs->mtime_nsec);
	put32(head + 44, fs->ctime_nsec);
	out->len = 0;
	return ng_buf_append(out, head, sizeof(head)) && ng_buf_append(out, path, len);
}

bool ng_file_state_decode(const char *bytes, size_t len, ng_file_state *fs, const char **path,
                          size_t *path_len)
{
	if (len <= NG_FILE_STATE_SIZE)
		return false;
	const unsigned char *p = (const unsigned char *)bytes;
	fs->size = get64(p);
	fs->ino = get64(p + 8);
	fs->hash = get64(p + 16);
	fs->mtime_sec = (int64_t)get64(p + 24);
	fs->ctime_sec = (int64_t)get64(p + 32);
	fs->mtime_nsec = get32(p + 40);
	fs->ctime_nsec = get32(p + 44);
	*path = bytes + NG_FILE_STATE_SIZE;
	*path_len = len - NG_FILE_STATE_SIZE;
	return true;
}
