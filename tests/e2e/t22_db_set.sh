#!/usr/bin/env bash
# Several indexes searched as one (--db A --db B, $NEWSGREP_DB=A:B): the
# corpus split into three members answers as one index of it does, in
# every output mode; a bad member is named; newsgrep-index writes one.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sets.sh"

# The same files, in three folders: one index of each, and one of all.
# The corpus's two articles of one URL go to different members.
N=$TMP/news
split_corpus "$N"
for m in 1 2 3; do
	expect_rc 0 "$NEWSGREP_INDEX" -q --db "$TMP/m$m" "$N/p$m"
done
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$TMP/all" "$N"

set3() { "$NEWSGREP" --db "$TMP/m1" --db "$TMP/m2" --db "$TMP/m3" "$@" 2>&1; }
one() { "$NEWSGREP" --db "$TMP/all" "$@" 2>&1; }
# same WHAT ARGS...: the set and the one index print the same.
same() {
	local what=$1
	shift
	local a b
	a=$(set3 "$@" | unnumbered)
	b=$(one "$@" | unnumbered)
	[[ -n $b ]] || die "$what: the one index printed nothing"
	expect_eq "$b" "$a" "$what"
}

# Ranked top 10s: global statistics, so the same order (queries without
# ties in the first ten).
for q in "${set_ranked_queries[@]}"; do
	same "top 10: $q" -n 10 -l "$q"
done
# Queries whose matches tie (one score for all): the same matches (of
# duplicates that tie, either may be shown: all of them here).
for q in 'model*' 'site:theverge.com OR provider:techcrunch' dataverse; do
	expect_eq "$(one -l --all-duplicates "$q" | sort)" "$(set3 -l --all-duplicates "$q" | sort)" \
		"the matches of $q"
done
same "--boost-recent" --boost-recent -l chips
# Exact counts, duplicates collapsed across members (29 articles, not 30).
expect_eq 29 "$(set3 -c '*')" "-c '*' over the set"
expect_eq 30 "$(set3 -c --all-duplicates '*')" "-c --all-duplicates"
for q in "${set_count_queries[@]}"; do
	same "-c $q" -c "$q"
done
# Facets.
for f in "${set_facets[@]}"; do
	same "--facet $f" --facet "$f" '*'
done
same "--facet topic ai" --facet topic --facet year ai
# Date order, and date windows (the newest or oldest days first).
same "--sort newest" --sort newest -n 10 -l '*'
same "--sort oldest" --sort oldest -n 10 -l '*'
same "--sort newest chips" --sort newest -n 3 -l chips
same "date: window" -n 5 -l 'date:2023-01..2024-12'
same "--since --until" --since 2023-06 --until 2024-01 -l '*'
same "--sort oldest --since" --sort oldest --since 2022 -n 4 -l '*'
# JSON (scores, snippets, matched_in and the summary), the text output, -l.
same "--json" --json -n 10 'sanctions GPU'
same "--json newest" --json -n 5 --sort newest dataverse
same "text output" -n 10 chips
same "-l everything" -l '*'
same "did you mean" chpis
same "path:" -l "path:$N/p2"

# $NEWSGREP_DB lists them with ':' between.
expect_eq "$(set3 -n 10 -l chip)" "$(NEWSGREP_DB="$TMP/m1:$TMP/m2::$TMP/m3" "$NEWSGREP" -n 10 -l chip)" \
	"NEWSGREP_DB=A:B:C"
# One --db is one index, as always.
expect_eq "$(one -c '*')" "$("$NEWSGREP" --db "$TMP/all" -c '*')" "one --db"

# A bad member: exit 2, naming it.
expect_rc 2 "$NEWSGREP" --db "$TMP/m1" --db "$TMP/nowhere" chips
expect_match "no index at '$TMP/nowhere'" "$err" "a missing member"
expect_rc 2 "$NEWSGREP" --db "$TMP/m1" --db "$TMP/m1" chips
expect_match "'$TMP/m1' and '$TMP/m1' are the same index" "$err" "one member twice"
cp -a "$TMP/m3" "$TMP/old"
live=$(echo "$TMP/old"/db.*)
xapian-metadata set "$live" newsgrep.format 5
xapian-metadata set "$live" newsgrep.tokenizer utf8proc-nfkc-casefold-stripmark/cjk-bigram/apos/max64/stem-en/1
expect_rc 0 "$NEWSGREP" --db "$TMP/old" -c '*' # alone, it is searched
expect_rc 2 "$NEWSGREP" --db "$TMP/m1" --db "$TMP/old" chips
expect_match "index at '$TMP/old' \(format 5\) cannot be searched with the index at '$TMP/m1' \(format 8\)" \
	"$err" "members of two formats"
xapian-metadata set "$live" newsgrep.format 3
expect_rc 2 "$NEWSGREP" --db "$TMP/m1" --db "$TMP/old" chips
expect_match "index at '$TMP/old' was made by another version" "$err" "a member too old"
expect_rc 2 "$NEWSGREP" --json --db "$TMP/m1" --db "$TMP/nowhere" chips
expect_match '"type":"error"' "$out" "--json: the error as a record"

# A member rebuilt with other articles is searched as it is now.
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$TMP/m3" --rebuild "$N/p3"
same "after a member's rebuild" -c '*'

# newsgrep-index writes one index: never several, whatever it is given.
before=$(cd "$TMP/m1" && ls -l --time-style=full-iso . db.*)
expect_rc 2 "$NEWSGREP_INDEX" --db "$TMP/m1" --db "$TMP/m2" "$N/p1"
expect_match "^newsgrep-index: --db is given more than once: newsgrep-index writes one index at a time" \
	"$err" "two --db"
for mode in --rebuild --compact --status --check; do
	expect_rc 2 "$NEWSGREP_INDEX" --db "$TMP/m1" --db "$TMP/m2" $mode
done
expect_rc 2 env NEWSGREP_DB="$TMP/m1:$TMP/m2" "$NEWSGREP_INDEX" "$N/p1"
expect_eq "newsgrep-index: \$NEWSGREP_DB lists 2 indexes, and newsgrep-index writes one at a time: name it with --db PATH" \
	"$err" "NEWSGREP_DB with two"
expect_rc 2 env NEWSGREP_DB="$TMP/m1:$TMP/m2" "$NEWSGREP_INDEX" --rebuild
expect_rc 2 env NEWSGREP_DB=":" "$NEWSGREP_INDEX" --status
expect_match "NEWSGREP_DB names no index" "$err" "NEWSGREP_DB of no index"
expect_eq "$before" "$(cd "$TMP/m1" && ls -l --time-style=full-iso . db.*)" "nothing written"
# With --db, the list in $NEWSGREP_DB is not used.
expect_rc 0 env NEWSGREP_DB="$TMP/m1:$TMP/m2" "$NEWSGREP_INDEX" --db "$TMP/m1" --status
# One entry in a list is that index.
expect_rc 0 env NEWSGREP_DB="$TMP/m1:" "$NEWSGREP_INDEX" --status
expect_match "$TMP/m1" "$out" "NEWSGREP_DB=A:"

done_testing
