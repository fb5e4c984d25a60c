#!/usr/bin/env bash
# newsgrep: exit statuses and messages for everything that can go wrong.
. "$(dirname "$0")/lib.sh"
index_corpus

# No index: status 2 and what to do about it.
expect_rc 2 "$NEWSGREP" --db "$TMP/nowhere" chip
expect_eq "newsgrep: no index at '$TMP/nowhere': run newsgrep-index DIR first" "$err"
expect_eq "" "$out" "stdout on error"
expect_rc 2 "$NEWSGREP" chip # the default ($NEWSGREP_DB) does not exist either
expect_match "no index at '$TMP/default-db'" "$err"

# Bad dates and options.
expect_rc 2 "$NEWSGREP" --db "$DB" --since 2023-13 chip
expect_eq "newsgrep: --since: cannot read date '2023-13' (use YYYY, YYYY-MM, YYYY-MM-DD, an ISO 8601 time, or 7d, 2w, 3m, 1y, today, yesterday)" "$err"
expect_rc 2 "$NEWSGREP" --db "$DB" --until yesterday-ish chip
expect_rc 2 "$NEWSGREP" --db "$DB" --since 2024 --until 2023 chip
expect_eq "newsgrep: the date range is empty: since is after until" "$err"
expect_rc 2 "$NEWSGREP" --db "$DB" -n 0 chip
expect_eq "newsgrep: --limit: '0' is not a positive whole number" "$err"
expect_rc 2 "$NEWSGREP" --db "$DB" -n -3 chip
expect_rc 2 "$NEWSGREP" --db "$DB" --no-such-option chip
expect_eq "newsgrep: unknown option '--no-such-option'
Try 'newsgrep --help' for more information." "$err"

# Queries with nothing to search for.
expect_rc 2 "$NEWSGREP" --db "$DB"
expect_match "^newsgrep: no query given" "$err"
expect_rc 2 "$NEWSGREP" --db "$DB" ''
expect_eq "newsgrep: query:1:1: the query is empty" "$err"
expect_rc 2 "$NEWSGREP" --db "$DB" '!!! ---'
# Arbitrary bytes are safe: invalid UTF-8 only separates words.
expect_rc 1 "$NEWSGREP" --db "$DB" $'\xff\xfe zzqx\xc3'
expect_rc 0 "$NEWSGREP" --db "$DB" $'\xffmoore\xfe'

# An index made with other tokenizer settings is refused, with advice.
cp -r "$DB" "$TMP/old-db"
xapian-metadata set "$TMP/old-db" newsgrep.tokenizer "ascii-only/0"
expect_rc 2 "$NEWSGREP" --db "$TMP/old-db" chip
expect_match "^newsgrep: index at '$TMP/old-db' was made by another version of newsgrep \(format '[0-9]+', tokenizer 'ascii-only/0'; .*\): rebuild it with newsgrep-index --rebuild$" "$err"
expect_rc 2 "$NEWSGREP_INDEX" --db "$TMP/old-db" "$CORPUS/seeds"
expect_match "was made by another version" "$err"

# A folder that is not an index, and a damaged index: status 2, no crash.
mkdir -p "$TMP/not-an-index"
expect_rc 2 "$NEWSGREP" --db "$TMP/not-an-index" chip
expect_eq "newsgrep: no index at '$TMP/not-an-index': run newsgrep-index DIR first" "$err"
cp -r "$DB" "$TMP/damaged-db"
head -c 20000 /dev/urandom >"$(echo "$TMP"/damaged-db/db.*/postlist.glass)"
run "$NEWSGREP" --db "$TMP/damaged-db" chip
[[ $rc == 2 ]] || die "damaged index: exit $rc, want 2"
expect_match "^newsgrep: " "$err" "damaged index message"

# Articles without a date are left out when a date range is given.
"$NEWSGREP_INDEX" -q --db "$TMP/broken-db" "$BROKEN/bad-date.md"
expect_rc 0 "$NEWSGREP" --db "$TMP/broken-db" dugongflax
expect_match "^\(no date\)  " "$out" "undated article"
expect_rc 1 "$NEWSGREP" --db "$TMP/broken-db" --since 1900 dugongflax
expect_rc 1 "$NEWSGREP" --db "$TMP/broken-db" --until 9999 dugongflax

# Output to a closed pipe ends quietly.
"$NEWSGREP" --db "$DB" -n 50 ai 2>"$TMP/pipe-err" | head -c 1 >/dev/null
expect_eq "" "$(cat "$TMP/pipe-err")" "stderr when the reader goes away"

done_testing
