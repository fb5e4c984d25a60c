#!/usr/bin/env bash
# The index's folders as people name them: --rebuild DIR names the folders
# it leaves out; --forget takes any path that leads to a folder, through
# symbolic links, even once the folder is gone; a path that does not exist
# makes no index.
. "$(dirname "$0")/lib.sh"

A=$TMP/all/a B=$TMP/all/b R=$TMP/real DBX=$TMP/db
mkdir -p "$A" "$B" "$R" "$TMP/sub"
cp "$CORPUS"/seeds/000_*.txt "$A/"
cp "$CORPUS"/seeds/001_*.txt "$B/"
cp "$CORPUS"/seeds/002_*.txt "$R/"
ln -s "$R" "$TMP/link"        # the folder is added through this link
ln -s ../link "$TMP/sub/rel"  # and a relative link to that link
folders() { "$NEWSGREP_INDEX" --db "$DBX" --status | sed -n '/^folders:/,$p' | tail -n +2 | sed 's/^  //'; }
summary() { sed -E 's/^newsgrep-index: (.*) in [0-9.]+ s$/\1/' <<<"$out"; }

# Folders are recorded resolved, with the path added by (t77).
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$DBX" "$A" "$B" "$TMP/link"
expect_eq "$A
$B
$R (added as $TMP/link)" "$(folders)" "folders recorded"

# --rebuild with folders named: the others are named before it starts.
expect_rc 0 "$NEWSGREP_INDEX" --db "$DBX" --rebuild "$A"
expect_eq "newsgrep-index: warning: --rebuild leaves out the index's folder '$B' and its articles (name it too to keep it)
newsgrep-index: warning: --rebuild leaves out the index's folder '$R' and its articles (name it too to keep it)" "$err"
expect_eq "1 added, 0 updated, 0 deleted, 0 unchanged, 0 skipped" "$(summary)"
expect_eq "$A" "$(folders)" "folders after --rebuild A"
# ... and none when they are all named, or covered, or not named at all.
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$DBX" "$B" "$TMP/link"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$DBX" --rebuild "$TMP/link" "$B" "$A"
expect_eq "" "$err" "--rebuild naming every folder"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$DBX" --rebuild
expect_eq "" "$err" "--rebuild from the index's folders"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$DBX" --rebuild "$TMP/all" "$R"
expect_eq "" "$err" "--rebuild naming a folder around the others"
expect_eq "$TMP/all
$R (added as $TMP/link)" "$(folders)" "folders after --rebuild all"

# --forget through the link it was added by, through another link, and
# through a relative path with '..' after a link (resolved as the kernel
# does: '..' of where the link leads).
expect_rc 0 "$NEWSGREP_INDEX" --db "$DBX" --forget "$TMP/link"
expect_eq "0 added, 0 updated, 1 deleted, 0 unchanged, 0 skipped" "$(summary)" "--forget LINK"
expect_eq "$TMP/all" "$(folders)"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$DBX" "$R"
expect_rc 0 "$NEWSGREP_INDEX" --db "$DBX" --forget "$TMP/sub/rel/"
expect_eq "0 added, 0 updated, 1 deleted, 0 unchanged, 0 skipped" "$(summary)" "--forget LINK-TO-LINK/"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$DBX" "$TMP/link"
expect_rc 0 bash -c "cd '$TMP/sub' && '$NEWSGREP_INDEX' -q --db '$DBX' --forget rel/../real"
expect_eq "$TMP/all" "$(folders)" "--forget rel/../real"
# The folder gone (a disk not mounted): the link still leads to it.
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$DBX" "$TMP/link"
mv "$R" "$TMP/real.away"
expect_rc 1 "$NEWSGREP_INDEX" -q --db "$DBX"
expect_rc 0 "$NEWSGREP_INDEX" --db "$DBX" --forget "$TMP/link"
expect_eq "0 added, 0 updated, 1 deleted, 0 unchanged, 0 skipped" "$(summary)" "--forget a link to a folder gone"
expect_rc 2 "$NEWSGREP_INDEX" -q --db "$DBX" "$TMP/link"
expect_eq "newsgrep-index: '$TMP/link' does not exist" "$err" "a dangling link"
expect_eq "$TMP/all" "$(folders)" "a dangling link is no folder"
mv "$TMP/real.away" "$R"
expect_rc 2 "$NEWSGREP_INDEX" --db "$DBX" --forget "$TMP/sub"
expect_eq "newsgrep-index: '$TMP/sub' is not one of the index's folders (newsgrep-index --status lists them)" "$err"

# A path that does not exist makes no index, and changes none.
expect_rc 2 "$NEWSGREP_INDEX" --db "$TMP/new/db" "$TMP/nonexistent"
expect_eq "newsgrep-index: '$TMP/nonexistent' does not exist" "$err"
expect_eq "" "$out" "stdout"
[[ ! -e $TMP/new ]] || die "an index was made for a path that does not exist"
expect_rc 2 "$NEWSGREP_INDEX" --db "$TMP/new" "$TMP/nonexistent" "$A/none.md" "$TMP/link/x/y"
expect_eq "newsgrep-index: '$TMP/nonexistent' does not exist
newsgrep-index: '$A/none.md' does not exist
newsgrep-index: '$TMP/link/x/y' does not exist" "$err"
[[ ! -e $TMP/new ]] || die "an index was made for paths that do not exist"
rev=$("$NEWSGREP_INDEX" --db "$DBX" --status | sed -n 's/^revision: //p')
expect_rc 2 "$NEWSGREP_INDEX" --db "$DBX" "$TMP/nonexistent"
expect_eq "$rev" "$("$NEWSGREP_INDEX" --db "$DBX" --status | sed -n 's/^revision: //p')" "revision"
expect_eq "$TMP/all" "$(folders)" "folders after a path that does not exist"
# One that exists among them: it is indexed, the others are skipped.
expect_rc 1 "$NEWSGREP_INDEX" --db "$TMP/new" "$TMP/nonexistent" "$A"
expect_eq "$TMP/nonexistent: cannot read: No such file or directory" "$err"

done_testing
