#!/usr/bin/env bash
# -F/--fixed-strings: the query is plain words, as grep -F reads a pattern;
# nothing in it is an operator, a field, a quote, a group or a wildcard.
. "$(dirname "$0")/lib.sh"
index_corpus

set_of() { hits "$DB" -n 100 "$@" | sort; }
count() { "$NEWSGREP" --db "$DB" -c "$@"; }

# Plain words behave as without -F.
expect_eq "$(set_of chips china)" "$(set_of -F chips china)" "-F plain words"
expect_eq "$(set_of GPU-based)" "$(set_of --fixed-strings GPU-based)" "a hyphenated word"
# Operators are words: "or" and "OR" must both be in the article.
expect_eq 7 "$(count 'chips OR china')" "OR without -F"
expect_eq 0 "$(count -F 'chips OR china')" "OR is a word with -F"
expect_eq "$(count 'chips or china')" "$(count -F 'chips OR china')" "-F OR is 'or'"
expect_eq "$(set_of chips china)" "$(set_of -F -- '-chips' '+china')" "-word is the word"
expect_eq "$(set_of chips china)" "$(set_of -F '(chips) "china')" "quotes and parentheses"
# Fields, wildcards and NEAR are their words.
expect_eq "$(set_of title chips)" "$(set_of -F 'title:chips')" "a field is its words"
expect_eq "$(set_of chip)" "$(set_of -F 'chip*')" "a wildcard is its word"
expect_rc 0 "$NEWSGREP" --db "$DB" -F -l 'US sanctions force Chinese firms to strive for alternatives to AI chips: experts'
expect_eq "$S4" "$(rel <<<"$out")" "a pasted headline with -F"
# Errors: nothing to search for.
expect_rc 2 "$NEWSGREP" --db "$DB" -F '*'
expect_eq "newsgrep: query:1:1: the query has no words to search for (only punctuation)" "$err"
expect_rc 2 "$NEWSGREP" --db "$DB" -F ' '
expect_eq "newsgrep: query:1:1: the query is empty" "$err"
# --explain shows the plain reading; -F goes with the other options.
expect_rc 0 "$NEWSGREP" --db "$DB" -F --explain 'NOT chips*'
expect_eq "parsed:     (not AND chips)" "$(sed -n 2p <<<"$out")" "--explain -F"
expect_eq "$(set_of --exact chips)" "$(set_of -F --exact chips)" "-F --exact"
# A spelling suggestion keeps -F's reading.
expect_rc 1 "$NEWSGREP" --db "$DB" -F 'sanctons "china'
expect_eq "newsgrep: no matches; did you mean: sanctions \"china" "$err"
# After the query it is an option given too late, as the others.
expect_rc 2 "$NEWSGREP" --db "$DB" chips -F
expect_eq "newsgrep: -F: options go before the query words" "$err"

done_testing
