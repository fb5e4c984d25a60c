#!/usr/bin/env bash
# A writer that meets an impossible block number stops with a clear error
# instead of writing (one damaged index grew a 10 TB sparse postlist.glass in
# an update). Two places name the blocks Xapian writes to:
# - the version file (iamglass): the postlist table's first unused block made
#   2^30 (8 TiB into the file) is refused when the writer opens the index;
# - a free list block inside the table: an entry made 2^30 is met only when
#   Xapian allocates it, and newsgrep-index's bound on the size of its files
#   (twice the index and the disk's free space, + 1 GiB) stops the write.
# Either way the file keeps its size, --check names the damage and a rebuild
# mends it. Output appended to a file larger than the bound is still written.
. "$(dirname "$0")/lib.sh"

mkdir -p "$TMP/news" && cp -r "$CORPUS"/. "$TMP/news/"
D=$TMP/idx
"$NEWSGREP_INDEX" -q --db "$D" "$TMP/news" || die "indexing failed"

# glass FILE TABLE ACTION [N]: reads or rewrites table TABLE's free list in
# the glass version file FILE (Xapian 1.4, glass format 2016-03-14).
#   first N  its first unused block becomes N, the list emptied, so that N is
#            the next block the table allocates;
#   entry    prints "OFFSET" of the free list's next entry in the table's
#            file (big-endian, 4 bytes), or nothing when the list is empty.
glass() {
	python3 - "$@" <<'PY' || die "cannot read or patch $1"
import sys
path, table, action = sys.argv[1], int(sys.argv[2]), sys.argv[3]
d = open(path, "rb").read()
assert d[:14] == b"\x0f\x0dXapian Glass", "not a glass version file"
def unpack(b, p):
    v = shift = 0
    while True:
        c = b[p]
        p += 1
        v |= (c & 0x7f) << shift
        shift += 7
        if not c & 0x80:
            return v, p
def pack(v):
    out = bytearray()
    while v >= 128:
        out.append(v & 0x7f | 0x80)
        v >>= 7
    out.append(v)
    return bytes(out)
p = 32                      # magic and version, uuid
_, p = unpack(d, p)         # revision
for t in range(6):          # root infos: postlist first
    info = []
    for _ in range(5):      # root, level and flags, entries, block size / 2048, compress_min
        v, p = unpack(d, p)
        info.append(v)
    n, q = unpack(d, p)     # the free list, a string
    if t == table:
        fl, r = [], q
        while r < q + n:
            v, r = unpack(d, r)
            fl.append(v)
        rev, _, fn, fc, wn, wc = fl  # revision, first unused, start, end (block, offset / 4)
        if action == "entry":
            if (fn, fc) != (wn, wc):
                print(fn * (info[3] << 11) + fc * 4)
            sys.exit(0)
        first = int(sys.argv[4])
        new = pack(rev) + pack(first) + pack(wn) + pack(wc) + pack(wn) + pack(wc)
        open(path, "wb").write(d[:p] + pack(len(new)) + new + d[q + n:])
        sys.exit(0)
    p = q + n
sys.exit("no such table")
PY
}

base=$("$NEWSGREP" --db "$D" -c 'title:changed') || die "cannot search"
table=$D/db.1/postlist.glass
size_before=$(stat -c %s "$table")
cp -a "$D" "$TMP/pristine"
glass "$D/db.1/iamglass" 0 first $((1 << 30))
xapian-check "$D/db.1" >/dev/null 2>&1 && die "the patched index passes xapian-check"

# The bound newsgrep-index sets: twice the index and the free space, + 1 GiB.
free=$(df -B1 --output=avail "$D" | tail -1)
index_bytes=$(find "$D" -type f -printf '%s\n' | awk '{s += $1} END {print s}')
bound=$((2 * (free + index_bytes) + (1 << 30)))
if ((bound >= (1 << 43))); then
	echo "t97: the disk has more than 4 TiB free: an 8 TiB block is no impossible one here; skipped"
	done_testing
fi

for f in "$TMP"/news/seeds/00[0-2]_*.txt; do sed -i 's/^title: /title: Changed /' "$f"; done
expect_rc 2 "$NEWSGREP_INDEX" --db "$D"
expect_eq "newsgrep-index: index at '$D' is damaged: its version file names block 1073741824 as the postlist table's first unused block, but '$table' holds $((size_before / 8192)) blocks of 8192 bytes, a block Xapian would write to; nothing was written (check it with newsgrep-index --check, rebuild it with newsgrep-index --rebuild)" "$err"
expect_eq "$size_before" "$(stat -c %s "$table")" "postlist.glass's size after the update"
expect_rc 2 "$NEWSGREP_INDEX" --db "$D" --forget "$TMP/news"
expect_match "is damaged: its version file names block 1073741824" "$err" "--forget"
expect_rc 2 "$NEWSGREP_INDEX" --db "$D" --compact
expect_match "is damaged: its version file names block 1073741824" "$err" "--compact"

# A free list entry of 2^30, in the table: the file size bound stops it.
rm -rf "$D" && cp -a "$TMP/pristine" "$D"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$D" # a commit that frees blocks: a free list
entry=$(glass "$D/db.1/iamglass" 0 entry)
[[ $entry ]] || die "the postlist table has an empty free list"
printf '\x40\x00\x00\x00' | dd of="$table" bs=1 seek="$entry" conv=notrunc status=none || die "cannot patch the free list"
size_before=$(stat -c %s "$table")
sed -i 's/^title: Changed /title: Changed twice /' "$TMP"/news/seeds/000_*.txt
expect_rc 2 "$NEWSGREP_INDEX" --db "$D"
expect_match "^newsgrep-index: index at '$D' is damaged: one of its files would grow past [0-9]+ bytes \(twice the index and the disk's free space\), which means an impossible block number; stopped before writing it \(check the index with newsgrep-index --check, rebuild it with newsgrep-index --rebuild\)$" "$err"
expect_eq "$size_before" "$(stat -c %s "$table")" "postlist.glass's size after the update"
(($(du -k "$table" | cut -f1) < 10240)) || die "postlist.glass takes $(du -k "$table" | cut -f1) KiB"
# The same with threads.
expect_rc 2 "$NEWSGREP_INDEX" -j2 --db "$D" "$TMP/news"
expect_match "is damaged: one of its files would grow past" "$err" "a second run"
expect_eq "$size_before" "$(stat -c %s "$table")" "postlist.glass's size after a second run"

# --check says what is wrong, and --rebuild mends it.
expect_rc 2 "$NEWSGREP_INDEX" --db "$D" --check
expect_match "newsgrep-index: $D/db.1: postlist table: " "$err" "--check"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$D" --rebuild
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$D" --check
expect_rc 0 "$NEWSGREP" --db "$D" -c 'title:changed'
expect_eq $((base + 3)) "$out" "the rebuilt index"
expect_rc 0 "$NEWSGREP" --db "$D" -c 'title:twice'
expect_eq 1 "$out" "the rebuilt index has the last change"

# Output appended to a (sparse) log larger than the bound is still written.
truncate -s $((bound + (1 << 40))) "$TMP/log" || die "cannot make a sparse log"
sed -i 's/^title: Changed /title: Changed again /' "$TMP"/news/seeds/000_*.txt
"$NEWSGREP_INDEX" --db "$D" >>"$TMP/log" 2>"$TMP/stderr" || die "appending to a large log: exit $?: $(cat "$TMP/stderr")"
expect_match "1 updated" "$(tail -c 200 "$TMP/log")" "the summary at the end of the log"
rm -f "$TMP/log"
done_testing
