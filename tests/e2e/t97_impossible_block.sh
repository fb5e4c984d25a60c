#!/usr/bin/env bash
# A writer that meets an impossible block number stops with a clear error
# instead of writing: here the postlist table's first unused block, in the
# version file (iamglass), is made 2^30, so the next block Xapian allocates
# is 8 TiB into postlist.glass (one damaged index grew a 10 TB sparse file
# so). newsgrep-index bounds the size of its files by the disk's room, so
# the write stops there, the file keeps its size, and --check names the
# damage; a rebuild mends it. Output appended to a file larger than the bound
# is still written.
. "$(dirname "$0")/lib.sh"

mkdir -p "$TMP/news" && cp -r "$CORPUS"/. "$TMP/news/"
D=$TMP/idx
"$NEWSGREP_INDEX" -q --db "$D" "$TMP/news" || die "indexing failed"

# set_first_unused FILE TABLE N: rewrites table TABLE's free list in the
# glass version file FILE (Xapian 1.4, glass format 2016-03-14): its first
# unused block becomes N, and the list is emptied, so that N is the next
# block the table allocates.
set_first_unused() {
	python3 - "$@" <<'PY' || die "cannot patch $1"
import sys
path, table, first = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
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
    for _ in range(5):      # root, level and flags, entries, block size, compress_min
        _, p = unpack(d, p)
    n, q = unpack(d, p)     # the free list, a string
    if t == table:
        fl, r = [], q
        while r < q + n:
            v, r = unpack(d, r)
            fl.append(v)
        rev, _, _, _, wn, wc = fl  # revision, first unused, start, end
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
set_first_unused "$D/db.1/iamglass" 0 $((1 << 30))
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
expect_match "^newsgrep-index: index at '$D' is damaged: one of its files would grow past [0-9]+ bytes \(twice the index and the disk's free space\), which means an impossible block number; stopped before writing it \(check the index with newsgrep-index --check, rebuild it with newsgrep-index --rebuild\)$" "$err"
expect_eq "$size_before" "$(stat -c %s "$table")" "postlist.glass's size after the update"
(($(du -k "$table" | cut -f1) < 10240)) || die "postlist.glass takes $(du -k "$table" | cut -f1) KiB"
# The same with threads, and with a rebuild's first writes elsewhere.
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

# Output appended to a (sparse) log larger than the bound is still written.
truncate -s $((bound + (1 << 40))) "$TMP/log" || die "cannot make a sparse log"
sed -i 's/^title: Changed /title: Changed again /' "$TMP"/news/seeds/000_*.txt
"$NEWSGREP_INDEX" --db "$D" >>"$TMP/log" 2>"$TMP/stderr" || die "appending to a large log: exit $?: $(cat "$TMP/stderr")"
expect_match "1 updated" "$(tail -c 200 "$TMP/log")" "the summary at the end of the log"
rm -f "$TMP/log"
done_testing
