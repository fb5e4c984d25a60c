#!/usr/bin/env bash
# Small things both programs say: what --help promises, conflicting
# options, and one or many in every count.
. "$(dirname "$0")/lib.sh"

# newsgrep --help names every place the index may be, as newsgrep-index's does.
expect_rc 0 "$NEWSGREP" --help
expect_match '\(default: \$NEWSGREP_DB, else
 +\$XDG_DATA_HOME/newsgrep, else ~/\.local/share/newsgrep\)' "$out" "newsgrep --help: --db"
expect_rc 0 "$NEWSGREP_INDEX" --help
expect_match '\$XDG_DATA_HOME/newsgrep' "$out" "newsgrep-index --help: --db"

# --status shows the size its help promises: the bytes of the index's files.
W=$TMP/one
mkdir -p "$W"
cp "$CORPUS/seeds/000_21fff29c15f39abc.txt" "$W/a.md"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$TMP/db" "$W"
expect_match "--status +show the index's folders, size, revision and format" "$("$NEWSGREP_INDEX" --help)" "help"
expect_rc 0 "$NEWSGREP_INDEX" --db "$TMP/db" --status
bytes=$(find "$TMP/db" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
expect_eq "index: $TMP/db
articles: 1
revision: 2
format: 8
size: $(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1e6 }') MB
folders:
  $W" "$out" "--status"
# ... and goes with no other action.
for action in --rebuild --compact "--forget=$W"; do
	expect_rc 2 "$NEWSGREP_INDEX" --db "$TMP/db" --status "$action"
	expect_eq "newsgrep-index: --status does not go with ${action%%=*}" "$err"
	expect_eq "" "$out" "--status $action: stdout"
done
expect_eq 1 "$(doc_count "$TMP/db")" "nothing rebuilt, compacted or forgotten"

# One warning, one file, one more warning not shown: singular.
cp "$BROKEN/bad-date.md" "$W/b.md"
expect_rc 0 "$NEWSGREP_INDEX" --db "$TMP/db" "$W"
expect_match '^newsgrep-index: 1 added, 0 updated, 0 deleted, 1 unchanged, 0 skipped, 1 warning in [0-9.]+ s$' "$out" "one warning"
M=$TMP/many
mkdir -p "$M"
{
	printf -- '---\ntitle: "Nine related entries that are not mappings"\nrelated:\n'
	printf -- '  - 42\n%.0s' 1 2 3 4 5 6 7 8 9
	printf -- '---\n'
} >"$M/nine.md"
expect_rc 0 "$NEWSGREP_INDEX" --db "$TMP/many-db" "$M"
expect_eq "$M/nine.md: warning: 1 more warning not shown" "$(tail -n 1 <<<"$err")" "one more warning"
expect_match ', 9 warnings in ' "$out" "nine warnings"
# The progress on a terminal: one file.
rm "$W/b.md"
script -qec "'$NEWSGREP_INDEX' --db '$TMP/tty-db' '$W'" "$TMP/typescript" >/dev/null
typescript=$(tr '\r' '\n' <"$TMP/typescript")
expect_match $'scanning: 1 file\n' "$typescript" "scanning, one file"
expect_match '\] +[0-9]+% [01]/1 file +[0-9]+ files/s' "$typescript" "progress, one file"
# A missing folder with one article kept.
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$TMP/db"
mv "$W" "$TMP/gone"
expect_rc 1 "$NEWSGREP_INDEX" -q --db "$TMP/db"
expect_eq "$W: cannot read (No such file or directory): its 1 article is kept; newsgrep-index --forget drops it" "$err"
mv "$TMP/gone" "$W"

# Dates that leave no day are an error naming both ends, as --since after
# --until is, not a search that finds nothing.
index_corpus
EMPTY="newsgrep: the date range is empty:"
expect_rc 2 "$NEWSGREP" --db "$DB" --since 2023 'date:..2022' chips
expect_eq "$EMPTY since 2023-01-01 and the query's date:..2022-12-31 have no day in common" "$err"
expect_eq "" "$out" "stdout"
expect_rc 2 "$NEWSGREP" --db "$DB" --until 2022-06 'date:2022-07..'
expect_eq "$EMPTY until 2022-06-30 and the query's date:2022-07-01.. have no day in common" "$err"
expect_rc 2 "$NEWSGREP" --db "$DB" -c 'date:2023 chips date:2021'
expect_eq "$EMPTY the query's date:2023-01-01.. and date:..2021-12-31 have no day in common" "$err"
expect_rc 2 "$NEWSGREP" --db "$DB" --since 2023-05-17T12:00:00Z 'date:..2023-05-16'
expect_eq "$EMPTY since 2023-05-17T12:00:00Z and the query's date:..2023-05-16 have no day in common" "$err"
expect_rc 2 "$NEWSGREP" --db "$DB" --explain --since 2023 'date:..2022'
expect_eq "$EMPTY since 2023-01-01 and the query's date:..2022-12-31 have no day in common" "$err"
expect_rc 2 "$NEWSGREP" --db "$DB" --since 2024 --until 2023 chips
expect_eq "$EMPTY since is after until" "$err"
# Ranges that meet, or an OR of them, still search.
expect_rc 0 "$NEWSGREP" --db "$DB" -c --since 2023-05-08 'date:..2023-05-08'
expect_eq 1 "$out" "one day in common"
expect_rc 0 "$NEWSGREP" --db "$DB" -c '(date:2023 OR date:2021) chips'
expect_eq "$("$NEWSGREP" --db "$DB" -c 'date:2021..2023 chips')" "$out" "an OR of dates"
expect_rc 1 "$NEWSGREP" --db "$DB" -c --since 2023 'date:..2023-01-01 sanctions'

# The terminal header counts exactly when there are few matches: what -c
# says, not Xapian's estimate (which said ~10 for chips' 7).
header() { script -qec "$(printf '%q ' "$NEWSGREP" --db "$DB" "$@")" /dev/null | head -n 1 | tr -d '\r'; }
expect_eq 7 "$("$NEWSGREP" --db "$DB" -c chips)" "-c chips"
expect_eq "showing 2 of 7 matches" "$(header -n 2 chips)" "header"
expect_eq "showing 3-4 of 7 matches" "$(header -n 2 --offset 2 chips)" "header, --offset"
expect_eq "showing 2 of 7 matches" "$(header -n 2 --sort newest chips)" "header, newest first"
expect_eq "showing 1 of 1 match" "$(header 'intel chip')" "header, one match"
expect_eq "$("$NEWSGREP" --db "$DB" -c '*')" "$(header -n 1 '*' | sed 's/^showing 1 of \([0-9]*\) matches$/\1/')" "header, every article"

done_testing
