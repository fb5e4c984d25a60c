#!/usr/bin/env bash
# A lost stub (XAPIANDB) beside a database with articles: no writer starts
# an empty database in its place or removes the one there; readers and
# writers say it is damaged and how to mend it (exit 2).  A first index
# stopped before its stub was written (no articles) is no index yet: that
# case is t80's.
. "$(dirname "$0")/lib.sh"

N=$TMP/news D=$TMP/db
mkdir -p "$N"
cp "$CORPUS"/seeds/00[0-3]_*.txt "$N/"
"$NEWSGREP_INDEX" -q --db "$D" "$N" || die "indexing failed"
"$NEWSGREP_INDEX" -q --db "$D" --rebuild "$N" || die "rebuilding failed"
articles() { "$NEWSGREP_INDEX" --db "$D" --status | sed -n 's/^articles: //p'; }
folders() { "$NEWSGREP_INDEX" --db "$D" --status | sed -n '/^folders:/,$p' | tail -n +2 | sed 's/^  //'; }
expect_eq 4 "$(articles)" "articles indexed"

# A lost stub: the writer refuses, the database and its folders stay.
rm "$D/XAPIANDB"
lost="index at '$D' is damaged: its XAPIANDB is missing, so which database is the index is unknown; nothing was changed: if db.2 is the index, write its stub with: printf 'auto db.2\\n' > '$D/XAPIANDB' (or rebuild it with newsgrep-index --rebuild DIR...)"
expect_rc 2 "$NEWSGREP_INDEX" --db "$D"
expect_eq "newsgrep-index: $lost" "$err" "update without a stub"
expect_rc 2 "$NEWSGREP_INDEX" --db "$D" "$N"
expect_eq "newsgrep-index: $lost" "$err" "update of a folder without a stub"
expect_rc 2 "$NEWSGREP_INDEX" --db "$D" --compact
expect_eq "newsgrep-index: $lost" "$err" "--compact without a stub"
expect_rc 2 "$NEWSGREP" --db "$D" chips
expect_eq "newsgrep: $lost" "$err" "search without a stub"
expect_eq "db.2 lock" "$(cd "$D" && echo *)" "nothing made, nothing removed"
expect_rc 2 "$NEWSGREP_INDEX" --db "$D" --rebuild
expect_eq "newsgrep-index: cannot read the folders of the index to rebuild ($lost): name them (newsgrep-index --rebuild DIR...)" "$err" "--rebuild without a stub"
expect_eq "db.2 lock" "$(cd "$D" && echo *)" "nothing made, nothing removed by --rebuild"
expect_eq 4 "$(doc_count "$D/db.2")" "the database kept its articles"
printf 'auto db.2\n' >"$D/XAPIANDB"
expect_eq 4 "$(articles)" "articles once the stub is written"
expect_eq "$N" "$(folders)" "folders once the stub is written"

# A rebuild from folders named makes a complete new index, then swaps it in.
rm "$D/XAPIANDB"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$D" --rebuild "$N"
expect_eq "auto db.3" "$(cat "$D/XAPIANDB")" "the stub after a rebuild"
expect_eq "db.3 lock XAPIANDB" "$(cd "$D" && echo db.* lock XAPIANDB)" "the old database goes once the new one is in"
expect_eq 4 "$(articles)" "articles after the rebuild"

done_testing
