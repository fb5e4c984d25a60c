#!/usr/bin/env bash
# Symbolic links, as find and rg users expect: links to files are followed,
# links to folders only with --follow, and even then nothing is walked or
# indexed twice, and a link to a folder that holds the root (loop -> ..) is
# never followed (it once indexed the whole parent tree).
. "$(dirname "$0")/lib.sh"

summary() { sed -E 's/^newsgrep-index: (.*) in [0-9.]+ s$/\1/' <<<"$out"; }
listed() { "$NEWSGREP" --db "$1" -l '*' | sed "s|^$T/||" | sort; }

T=$TMP/top R=$TMP/top/root
mkdir -p "$R/sub" "$R/.store" "$T/sibling"
cp "$CORPUS/seeds/000_21fff29c15f39abc.txt" "$R/a.md"
cp "$CORPUS/seeds/001_22cd2ad8bb3a4915.txt" "$R/sub/b.md"
cp "$CORPUS/seeds/002_f20c2178ff692251.txt" "$R/.store/h.md"
cp "$CORPUS/seeds/003_c8f0aaa0abab2964.txt" "$T/sibling/s.md"
cp "$CORPUS/seeds/004_c60ec760bb7e258f.txt" "$T/other.md"
cp "$CORPUS/seeds/004_c60ec760bb7e258f.txt" "$T/top.md"
ln -s .. "$R/loop"              # the folder above the root
ln -s . "$R/self"               # the root itself
ln -s sub "$R/inside"           # a folder walked anyway
ln -s sub/b.md "$R/c.md"        # a file indexed anyway (the link comes first)
ln -s .store "$R/stored"        # a hidden folder, reached only through the link
ln -s ../sibling "$R/out"       # a folder beside the root
ln -s ../sibling "$R/out2"      # the same again
ln -s ../other.md "$R/o.md"     # a file outside the root
ln -s ../other.md "$R/p.md"     # the same again
ln -s ../root "$T/sibling/back" # from beside the root back into it
ln -s s.md "$T/sibling/t.md"    # a file reached already

LOOP="warning: symbolic link loops back to a parent folder; not followed"
NOTFOLLOWED="warning: symbolic link to a folder: not followed (--follow follows it)"

# Without --follow: links to files only, each file once.
expect_rc 0 timeout 20 "$NEWSGREP_INDEX" --db "$TMP/db" "$R"
expect_eq "$R/loop: $LOOP
$R/out: $NOTFOLLOWED
$R/out2: $NOTFOLLOWED
$R/self: $LOOP
$R/stored: $NOTFOLLOWED" "$err" "without --follow"
expect_eq "3 added, 0 updated, 0 deleted, 0 unchanged, 0 skipped, 5 warnings" "$(summary)"
expect_eq "root/a.md
root/o.md
root/sub/b.md" "$(listed "$TMP/db")" "without --follow"

# With --follow: links to folders too, but never above the root, never
# into what is walked anyway, never twice.
expect_rc 0 timeout 20 "$NEWSGREP_INDEX" --follow --db "$TMP/follow-db" "$R"
expect_eq "$R/loop: $LOOP
$R/out/back: $LOOP
$R/self: $LOOP" "$err" "with --follow"
expect_eq "5 added, 0 updated, 0 deleted, 0 unchanged, 0 skipped, 3 warnings" "$(summary)"
expect_eq "root/a.md
root/o.md
root/out/s.md
root/stored/h.md
root/sub/b.md" "$(listed "$TMP/follow-db")" "with --follow"
# An update finds the same.
expect_rc 0 timeout 20 "$NEWSGREP_INDEX" --follow --db "$TMP/follow-db"
expect_eq "0 added, 0 updated, 0 deleted, 5 unchanged, 0 skipped, 3 warnings" "$(summary)"
# One without --follow drops what only a link to a folder led to.
expect_rc 0 timeout 20 "$NEWSGREP_INDEX" --db "$TMP/follow-db"
expect_eq "0 added, 0 updated, 2 deleted, 3 unchanged, 0 skipped, 5 warnings" "$(summary)"

# A loop below a followed link: walked once, reported.
mkdir -p "$T/ring/deep"
cp "$CORPUS/seeds/000_21fff29c15f39abc.txt" "$T/ring/deep/r.md"
ln -s .. "$T/ring/deep/up"
R2=$TMP/top/root2
mkdir -p "$R2" && ln -s ../ring "$R2/ring"
expect_rc 0 timeout 20 "$NEWSGREP_INDEX" --follow --db "$TMP/ring-db" "$R2"
expect_eq "$R2/ring/deep/up: $LOOP" "$err" "a loop below a link"
expect_eq "root2/ring/deep/r.md" "$(listed "$TMP/ring-db")" "a loop below a link"

# Links into, or to a folder above, another of the index's folders: what
# they lead to is indexed there, once, also when only one folder is walked.
A=$TMP/two/a Z=$TMP/two/z B=$TMP/two/z/b
mkdir -p "$A" "$B/d"
cp "$CORPUS/seeds/000_21fff29c15f39abc.txt" "$A/own.md"
cp "$CORPUS/seeds/001_22cd2ad8bb3a4915.txt" "$B/f.md"
cp "$CORPUS/seeds/002_f20c2178ff692251.txt" "$B/d/g.md"
ln -s "$B/f.md" "$A/fl.md"
ln -s "$B/d" "$A/dl"
ln -s "$Z" "$A/zl"
HOLDS="warning: symbolic link to a folder that holds one of the index's folders; not followed"
expect_rc 0 timeout 20 "$NEWSGREP_INDEX" --follow --db "$TMP/two-db" "$A" "$B"
expect_eq "$A/zl: $HOLDS" "$err" "two folders"
expect_eq "3 added, 0 updated, 0 deleted, 0 unchanged, 0 skipped, 1 warning" "$(summary)"
expect_eq "$A/own.md
$B/d/g.md
$B/f.md" "$("$NEWSGREP" --db "$TMP/two-db" -l '*' | sort)" "two folders"
expect_rc 0 timeout 20 "$NEWSGREP_INDEX" --follow --db "$TMP/two-db" "$A"
expect_eq "$A/zl: $HOLDS" "$err" "one of two folders"
expect_eq "0 added, 0 updated, 0 deleted, 1 unchanged, 0 skipped, 1 warning" "$(summary)"

# A root named through a link is followed (as find -H does).
ln -s root "$T/root-link"
expect_rc 0 timeout 20 "$NEWSGREP_INDEX" -q --db "$TMP/named-db" "$T/root-link/sub"
expect_eq "root/sub/b.md" "$(listed "$TMP/named-db")" "a root named through a link"

done_testing
