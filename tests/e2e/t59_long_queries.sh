#!/usr/bin/env bash
# Long queries: -f FILE and -f - read the query (argv caps one argument at
# 128 KiB), and an OR of many words (scored term at a time from 64 words
# on) finds and ranks what the same words find in smaller ORs.
. "$(dirname "$0")/lib.sh"
index_corpus
ng() { "$NEWSGREP" --db "$DB" "$@"; }

# -f: the file's text is the query, line breaks are spaces.
printf 'sanctions\nGPU\n' >"$TMP/q"
expect_rc 0 ng -f "$TMP/q"
expect_eq "$(ng 'sanctions GPU')" "$out" "-f FILE"
expect_eq "$S0
$S2
$S1" "$(hits "$DB" -f "$TMP/q")" "-f FILE, the hits"
run ng -f - <"$TMP/q"
expect_status 0 "-f - exit"
expect_eq "$(ng 'sanctions GPU')" "$out" "-f -"
expect_eq 2 "$(printf 'chips china' | ng -c -f -)" "-f - with -c"
expect_eq 2 "$(printf 'chips\r\nchina\r\n' | ng -c --file=-)" "CRLF, --file="
# Mistakes.
expect_rc 2 ng -f "$TMP/none"
expect_eq "newsgrep: -f: cannot open '$TMP/none': No such file or directory" "$err"
expect_rc 2 ng -f "$TMP/q" chips
expect_eq "newsgrep: -f reads the query from '$TMP/q': give no query words as well" "$err"
expect_rc 2 ng chips -f "$TMP/q"
expect_eq "newsgrep: -f: options go before the query words" "$err"
printf 'chips\0china' >"$TMP/nul"
expect_rc 2 ng -f "$TMP/nul"
expect_eq "newsgrep: -f: '$TMP/nul' has a NUL byte: a query is text" "$err"
expect_rc 2 ng -f
expect_eq "newsgrep: option '-f' needs a value
Try 'newsgrep --help' for more information." "$err"

# A query longer than one argument may be: 15,000 times "chips OR".
yes 'chips OR' | head -n 15000 >"$TMP/long"
echo chips >>"$TMP/long"
(($(wc -c <"$TMP/long") > 131072)) || die "the long query is too short"
expect_eq 7 "$(ng -c -f "$TMP/long")" "a query of 135 KB"
expect_eq "$(hits "$DB" chips)" "$(hits "$DB" -f "$TMP/long")" "the same hits as chips"

# An OR of 70 words finds what the words find one by one, and ranks as the
# same words in two ORs of 35 (Xapian's own OR): exactly with --exact, in
# the same order with stems.
mapfile -t V < <(xapian-delve -a -1 "$DB" | grep -E '^[a-z]{4,}$' | awk 'NR % 7 == 0' | head -n 70)
((${#V[@]} == 70)) || die "the corpus has too few words"
join_or() { local IFS='|'; sed 's/|/ OR /g' <<<"$*"; }
FLAT=$(join_or "${V[@]}")
SPLIT="($(join_or "${V[@]:0:35}")) OR ($(join_or "${V[@]:35}"))"
union=$(for w in "${V[@]}"; do hits "$DB" --all-duplicates -n 100 "$w"; done | sort -u)
expect_eq "$union" "$(hits "$DB" --all-duplicates -n 100 -f <(echo "$FLAT") | sort)" "70 words: the union"
expect_eq "$union" "$(hits "$DB" --all-duplicates -n 100 "$SPLIT" | sort)" "two ORs of 35: the union"
expect_eq "$(hits "$DB" --all-duplicates -n 100 "$SPLIT" | grep -v -x -F "$(hits "$DB" --all-duplicates -n 100 chips)")" \
	"$(hits "$DB" --all-duplicates -n 100 "($FLAT) -chips")" "70 words, one excluded"
expect_eq "$(ng --exact -n 30 --format '{score} {path}' "$SPLIT")" \
	"$(ng --exact -n 30 --format '{score} {path}' "$FLAT")" "--exact: the same scores"
expect_eq "$(hits "$DB" -n 30 "$SPLIT")" "$(hits "$DB" -n 30 "$FLAT")" "stems: the same order"
expect_match "newsgrep::words\(70 words\)" "$(ng --explain "$FLAT")"
done_testing
