#!/usr/bin/env bash
# "Did you mean" corrects the whole query: each misspelt word has several
# corrections, and the first combination (fewest edits) that finds
# something is offered; a stopword is never a correction.
. "$(dirname "$0")/lib.sh"
A=$TMP/articles
mkdir -p "$A"
printf -- '---\ntitle: "OpenAI chaos explained"\nexcerpt: "What the board did and what comes next."\n---\n' >"$A/a.md"
printf -- '---\ntitle: "Cars, cars and more cars"\nexcerpt: "More cars than ever, more and more from the factory, from everywhere."\n---\n' >"$A/b.md"
printf -- '---\ntitle: "Moore Threads builds a GPU"\nexcerpt: "Made in Beijing."\n---\n' >"$A/c.md"
"$NEWSGREP_INDEX" -q --db "$TMP/db" "$A" || die "cannot index $A"
ng() { "$NEWSGREP" --db "$TMP/db" "$@"; }

# "cars" is closer to "caos" than "chaos" is (as close, and more frequent),
# but "explained cars" finds nothing.
expect_rc 1 ng 'explained caos'
expect_eq "newsgrep: no matches; did you mean: explained chaos" "$err" "the combination that finds"
expect_rc 0 ng 'explained chaos'
expect_rc 1 ng 'explaned caos'
expect_eq "newsgrep: no matches; did you mean: explained chaos" "$err" "two misspelt words"
expect_rc 1 ng caos
expect_eq "newsgrep: no matches; did you mean: cars" "$err" "alone, the most frequent"
# Never a stopword: "from" and "more" are one edit away, and frequent.
expect_rc 1 ng froum
expect_eq "" "$err" "froum is not from"
expect_rc 1 ng miore
expect_eq "newsgrep: no matches; did you mean: moore" "$err" "miore is not more"
# Only the words, in the query as typed.
expect_rc 1 ng 'title:explained AND (caos OR zzqxvw)'
expect_eq "newsgrep: no matches; did you mean: title:explained AND (chaos OR zzqxvw)" "$err" \
	"operators kept"
# A long query gets no suggestion: at most 32 words.
words31=$(printf 'explained %.0s' {1..31})
expect_rc 1 ng "${words31}caos"
expect_eq "newsgrep: no matches; did you mean: ${words31}chaos" "$err" "32 words"
expect_rc 1 ng "explained ${words31}caos"
expect_eq "" "$err" "33 words"
# The library says the same.
expect_rc 1 ng --json 'explained caos'
expect_eq '{"type":"suggestion","format_version":2,"query":"explained chaos"}' \
	"$(jq -c 'select(.type == "suggestion")' <<<"$out")" "--json"
expect_eq "" "$err" "--json: nothing on stderr"
done_testing
