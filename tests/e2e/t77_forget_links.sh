#!/usr/bin/env bash
# --forget takes the path a folder was added by, symbolic link or not, even
# once the link is gone or leads elsewhere: the index records it beside the
# resolved folder, --status shows it, and the set rules, --rebuild and
# --compact keep or drop it with its folder.
. "$(dirname "$0")/lib.sh"

N=$TMP/data/news O=$TMP/data/other DBX=$TMP/db L=$TMP/link
mkdir -p "$N" "$O"
cp "$CORPUS"/seeds/000_*.txt "$CORPUS"/seeds/001_*.txt "$N/"
cp "$CORPUS"/seeds/002_*.txt "$O/"
folders() { "$NEWSGREP_INDEX" --db "$DBX" --status | sed -n '/^folders:/,$p' | tail -n +2 | sed 's/^  //'; }
articles() { "$NEWSGREP_INDEX" --db "$DBX" --status | sed -n 's/^articles: //p'; }
summary() { sed -E 's/^newsgrep-index: (.*) in [0-9.]+ s$/\1/' <<<"$out"; }
not_a_folder() { echo "newsgrep-index: '$1' is not one of the index's folders (newsgrep-index --status lists them)"; }

# Added through a link, which is then deleted: --forget by the link's path.
ln -s "$N" "$L"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$DBX" "$L" "$O"
expect_eq "$N (added as $L)
$O" "$(folders)" "--status shows the path added by"
rm "$L"
expect_rc 0 "$NEWSGREP_INDEX" --db "$DBX" --forget "$L"
expect_eq "0 added, 0 updated, 2 deleted, 0 unchanged, 0 skipped" "$(summary)" "--forget a deleted link"
expect_eq "$O" "$(folders)" "folders after --forget a deleted link"
expect_eq 1 "$(articles)" "its articles are dropped"
expect_rc 2 "$NEWSGREP_INDEX" --db "$DBX" --forget "$L"
expect_eq "$(not_a_folder "$L")" "$err" "forgotten with its folder"

# The link retargeted to another folder of the index: --forget by it drops
# the folder it was added as, not the one it leads to now.
ln -s "$N" "$L"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$DBX" "$L"
ln -sfn "$O" "$L"
expect_rc 0 "$NEWSGREP_INDEX" --db "$DBX" --forget "$L"
expect_eq "0 added, 0 updated, 2 deleted, 0 unchanged, 0 skipped" "$(summary)" "--forget a retargeted link"
expect_eq "$O" "$(folders)" "folders after --forget a retargeted link"
# Retargeted to a folder outside the index.
ln -sfn "$N" "$L"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$DBX" "$L"
mkdir "$TMP/elsewhere"
ln -sfn "$TMP/elsewhere" "$L"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$DBX" --forget "$L"
expect_eq "$O" "$(folders)" "--forget a link to a folder outside the index"

# The resolved path still works, and drops the path added by with it.
ln -sfn "$N" "$L"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$DBX" "$L"
expect_rc 0 "$NEWSGREP_INDEX" --db "$DBX" --forget "$N"
expect_eq "0 added, 0 updated, 2 deleted, 0 unchanged, 0 skipped" "$(summary)" "--forget the resolved path"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$DBX" "$N"
expect_eq "$O
$N" "$(folders)" "added again by its own path"

# A path never added is still an error, and changes nothing.
rm "$L"
expect_rc 2 "$NEWSGREP_INDEX" --db "$DBX" --forget "$L"
expect_eq "$(not_a_folder "$L")" "$err" "a path never added"
expect_rc 2 "$NEWSGREP_INDEX" --db "$DBX" --forget "$TMP/data"
expect_eq "$(not_a_folder "$TMP/data")" "$err" "a folder around the folders"
expect_eq 3 "$(articles)" "articles after the errors"

# Relative paths are made absolute and tidied; two paths to one folder are
# both known; the same path added again is known once.
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$DBX" --forget "$N"
ln -s "$N" "$L"
ln -s data/news "$TMP/link2"
expect_rc 0 bash -c "cd '$TMP/data' && '$NEWSGREP_INDEX' -q --db '$DBX' ../link/ ./../link2 ../link"
expect_eq "$O
$N (added as $L, $TMP/link2)" "$(folders)" "two paths to one folder"
rm "$L" "$TMP/link2"
expect_rc 0 bash -c "cd '$TMP' && '$NEWSGREP_INDEX' -q --db '$DBX' --forget link2/."
expect_eq "$O" "$(folders)" "--forget a relative path added by"
expect_rc 2 "$NEWSGREP_INDEX" --db "$DBX" --forget "$L"
expect_eq "$(not_a_folder "$L")" "$err" "the other path went with the folder"

# A path stands for the last folder it was added as.
ln -s "$N" "$L"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$DBX" "$L"
ln -sfn "$O" "$L"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$DBX" "$L"
expect_eq "$O (added as $L)
$N" "$(folders)" "a path added again, leading elsewhere"
# ... and for none once it was added inside a folder.
mkdir "$N/sub" && ln -sfn "$N/sub" "$L"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$DBX" "$L"
expect_eq "$O
$N" "$(folders)" "a path added inside a folder stands for none"
rmdir "$N/sub"

# A folder replaced by one around it takes its paths added by with it.
ln -sfn "$N" "$L"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$DBX" "$L"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$DBX" "$TMP/data"
expect_eq "$TMP/data" "$(folders)" "replaced by the folder around it"
rm "$L"
expect_rc 2 "$NEWSGREP_INDEX" --db "$DBX" --forget "$L"
expect_eq "$(not_a_folder "$L")" "$err" "the path added by of a folder replaced"

# --rebuild keeps the paths added by of the folders it keeps, --compact
# keeps them all.
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$DBX" --forget "$TMP/data"
ln -s "$N" "$L"
ln -s "$O" "$TMP/link2"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$DBX" "$L" "$TMP/link2"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$DBX" --rebuild
expect_eq "$N (added as $L)
$O (added as $TMP/link2)" "$(folders)" "folders after --rebuild"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$DBX" --compact
expect_eq "$N (added as $L)
$O (added as $TMP/link2)" "$(folders)" "folders after --compact"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$DBX" --rebuild "$N"
expect_eq "$N (added as $L)" "$(folders)" "folders after --rebuild naming one"
rm "$L" "$TMP/link2"
expect_rc 0 "$NEWSGREP_INDEX" --db "$DBX" --forget "$L"
expect_eq "0 added, 0 updated, 2 deleted, 0 unchanged, 0 skipped" "$(summary)" "--forget after --rebuild"
expect_eq "" "$(folders)" "no folders left"

done_testing
