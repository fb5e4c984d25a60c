#!/usr/bin/env bash
# What the query language used to rewrite silently: a '*' inside or before
# a word, a word too long for the index, and lower-case or/and/not.
. "$(dirname "$0")/lib.sh"
index_corpus

STAR="'*' is a wildcard only at the end of a word, as in semicond*; put the word in quotes to search for its letters"
expect_rc 2 "$NEWSGREP" --db "$DB" 'ch*ps'
expect_eq "newsgrep: query:1:3: $STAR" "$err" "ch*ps"
expect_rc 2 "$NEWSGREP" --db "$DB" 'gpu *chips'
expect_eq "newsgrep: query:1:5: $STAR" "$err" "*chips"
expect_rc 2 "$NEWSGREP" --db "$DB" 'title:(gpu ch*ps)'
expect_eq "newsgrep: query:1:14: $STAR" "$err" "in a field"
# Quoted, a '*' is punctuation; a trailing one is still a wildcard.
expect_rc 0 "$NEWSGREP" --db "$DB" -c '"*chips"'
expect_eq "$("$NEWSGREP" --db "$DB" -c '"chips"')" "$out" '"*chips" is "chips"'
expect_rc 0 "$NEWSGREP" --db "$DB" -c 'semicond*'

# A word longer than the index keeps (64 bytes) is an error, not "only
# punctuation", and not a search that cannot find anything.
long=$(printf 'a%.0s' {1..200})
expect_rc 2 "$NEWSGREP" --db "$DB" "$long"
expect_eq "newsgrep: query:1:1: the word 'aaaaaaaaaaaaaaaaaaaa...' is too long to search for: the index leaves out words of more than 64 bytes" "$err"
expect_rc 2 "$NEWSGREP" --db "$DB" "chips \"$long\""
expect_eq "newsgrep: query:1:8: the word 'aaaaaaaaaaaaaaaaaaaa...' is too long to search for: the index leaves out words of more than 64 bytes" "$err"
expect_rc 1 "$NEWSGREP" --db "$DB" "$(printf 'b%.0s' {1..64})"

# Lower-case or, and, not are words; at a terminal newsgrep says how to
# write the operator, elsewhere (scripts) it keeps quiet.
expect_rc 1 "$NEWSGREP" --db "$DB" -c 'chips or china'
expect_eq "0" "$out" "or is a word"
expect_eq "" "$err" "no hint off a terminal"
HINT="newsgrep: hint: 'or' is searched for as a word; the operator is OR, in capitals"
expect_rc 1 on_tty "$NEWSGREP" --db "$DB" -c 'chips or china'
expect_eq "$HINT
0" "$out" "the hint at a terminal"
expect_rc 0 on_tty "$NEWSGREP" --db "$DB" -c 'chips and china'
expect_eq "newsgrep: hint: 'and' is searched for as a word; the operator is AND, in capitals
2" "$out" "and"
expect_rc 1 on_tty "$NEWSGREP" --db "$DB" -c 'chips (not china)'
expect_eq "newsgrep: hint: 'not' is searched for as a word; the operator is NOT, in capitals
0" "$out" "not"
expect_rc 0 on_tty "$NEWSGREP" --db "$DB" -c 'chips OR china'
expect_eq "7" "$out" "no hint for OR"
expect_rc 1 on_tty "$NEWSGREP" --db "$DB" -c '"chips or china" oregon'
expect_eq "0" "$out" "no hint inside quotes or words"
expect_rc 1 on_tty "$NEWSGREP" --db "$DB" -F -c 'chips or china'
expect_eq "0" "$out" "no hint with -F"

done_testing
