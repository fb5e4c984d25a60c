#!/usr/bin/env bash
# --json as a script sees it: typed records, a summary that says how many
# matched and whether the list was cut, every hit with -n all.
. "$(dirname "$0")/lib.sh"
index_corpus
ng() { "$NEWSGREP" --db "$DB" "$@"; }
summary() { ng --json "$@" | tail -n 1; }

# Every record has a type; the hits come first, the summary last.
expect_eq "hit hit hit hit hit hit hit summary" "$(ng --json chips | jq -r .type | tr '\n' ' ' | sed 's/ $//')" "record types"
expect_eq '{"type":"summary","format_version":2,"count":7,"count_exact":true,"shown":7,"offset":0,"limit":10,"truncated":false}' \
	"$(summary chips)" "a list that was not cut"
# Cut by -n: the summary says so, and its count is at least one more.
expect_eq "2 2 true true" "$(summary -n 2 chips | jq -r '"\(.shown) \(.limit) \(.truncated) \(.count >= 3)"')" "a list cut by -n"
# Exactly -n matches: not cut (newsgrep looked one further).
expect_eq '{"type":"summary","format_version":2,"count":7,"count_exact":true,"shown":7,"offset":0,"limit":7,"truncated":false}' \
	"$(summary -n 7 chips)" "-n as many as match"
expect_eq '{"type":"summary","format_version":2,"count":7,"count_exact":true,"shown":2,"offset":5,"limit":10,"truncated":false}' \
	"$(summary --offset 5 chips)" "the last page"
expect_eq '{"type":"summary","format_version":2,"count":7,"count_exact":true,"shown":0,"offset":100,"limit":10,"truncated":false}' \
	"$(summary --offset 100 chips)" "past the end"
expect_rc 1 ng --json zzqxv
expect_eq '{"type":"summary","format_version":2,"count":0,"count_exact":true,"shown":0,"offset":0,"limit":10,"truncated":false}' "$out" "nothing found"
# Sorted by date (searched in date windows) the same holds.
expect_eq "3 true" "$(summary --sort newest -n 3 chips | jq -r '"\(.shown) \(.truncated)"')" "newest first, cut"
expect_eq "7 false" "$(summary --sort newest -n 7 chips | jq -r '"\(.shown) \(.truncated)"')" "newest first, all"

# -n all: every match, in every mode.
all=$(ng -c '*')
[[ $all -gt 10 ]] || die "the corpus has only $all articles"
expect_eq "$all" "$(ng --json -n all '*' | jq -c 'select(.type == "hit")' | wc -l)" "--json -n all"
expect_eq "{\"type\":\"summary\",\"format_version\":2,\"count\":$all,\"count_exact\":true,\"shown\":$all,\"offset\":0,\"limit\":null,\"truncated\":false}" \
	"$(summary -n all '*')" "the summary of -n all"
expect_eq "$all" "$(ng -n all --format '{rank}' '*' | tail -n 1)" "--format -n all"
expect_eq "$all" "$(ng --limit all '*' | grep -c '^[^ ]')" "text -n all"
expect_eq "$all" "$(ng -l -n all '*' | wc -l)" "-l -n all"
expect_rc 2 ng -n most chips
expect_eq "newsgrep: --limit: 'most' is not a positive whole number" "$err"

# A path that is not UTF-8 round-trips: "path" has U+FFFD for display,
# "path_bytes" its exact bytes in base64; a UTF-8 path has no path_bytes.
mkdir -p "$TMP/latin"
for name in $'lat\xe9.md' $'x\xff\xfe.md' $'ok\xc3\xa9.md'; do
	printf -- '---\ntitle: "Latin"\n---\n' >"$TMP/latin/$name"
done
"$NEWSGREP_INDEX" -q --db "$TMP/latin-db" "$TMP/latin" || die "cannot index $TMP/latin"
json=$("$NEWSGREP" --db "$TMP/latin-db" --json --sort oldest -n all latin | jq -c 'select(.type == "hit")')
expect_eq 3 "$(wc -l <<<"$json")" "three files"
for name in $'lat\xe9.md' $'x\xff\xfe.md'; do
	line=$(grep -F "\"path\":\"$TMP/latin/${name:0:1}" <<<"$json")
	expect_eq "$(printf '%s' "$TMP/latin/$name" | od -An -tx1)" \
		"$(jq -j .path_bytes <<<"$line" | base64 -d | od -An -tx1)" "path_bytes of a Latin-1 name"
	expect_eq "$TMP/latin/${name%%[$'\x80'-$'\xff']*}"$'\xef\xbf\xbd' \
		"$(jq -r .path <<<"$line" | sed 's/\xef\xbf\xbd.*/\xef\xbf\xbd/')" "path for display"
	expect_match '^---' "$(cat "$(jq -j .path_bytes <<<"$line" | base64 -d)")" "the file opens"
done
expect_eq "$TMP/latin/ok"$'\xc3\xa9'".md null" "$(grep -F "\"path\":\"$TMP/latin/ok" <<<"$json" | jq -r '"\(.path) \(.path_bytes)"')" "a UTF-8 path"

# Did you mean: a record before the summary, nothing on stderr.
expect_rc 1 ng --json 'sanctons GPU'
expect_eq '{"type":"suggestion","format_version":2,"query":"sanctions GPU"}
{"type":"summary","format_version":2,"count":0,"count_exact":true,"shown":0,"offset":0,"limit":10,"truncated":false}' "$out" "--json suggestion"
expect_eq "" "$err" "--json suggestion: stderr"
expect_rc 1 ng --json -c 'sanctons GPU'
expect_eq '{"type":"suggestion","format_version":2,"query":"sanctions GPU"}
{"type":"summary","format_version":2,"count":0,"count_exact":true}' "$out" "--json -c suggestion"
# Errors: a record on stdout that ends the output (and the message on
# stderr, as always).
expect_rc 2 ng --json 'chips ('
expect_eq '{"type":"error","format_version":2,"code":"bad_query","message":"query:1:7: unbalanced '"'('"'"}' "$out" "--json bad query"
expect_eq "newsgrep: query:1:7: unbalanced '('" "$err" "--json bad query: stderr"
expect_rc 2 ng --json --since 2024 --until 2023 chips
expect_eq '{"type":"error","format_version":2,"code":"bad_date","message":"the date range is empty: since is after until"}' "$out" "--json bad date range"
expect_rc 2 "$NEWSGREP" --db "$TMP/nowhere" --json chips
expect_eq "{\"type\":\"error\",\"format_version\":2,\"code\":\"no_index\",\"message\":\"no index at '$TMP/nowhere': run newsgrep-index DIR first\"}" "$out" "--json no index"
expect_rc 2 ng --json --explain 'a OR'
expect_eq "bad_query" "$(jq -r 'select(.type == "error").code' <<<"$out")" "--json --explain error"
# Mistakes in the options themselves stay text on stderr only.
expect_rc 2 ng --json --sort sideways chips
expect_eq "" "$out" "--json option error: stdout"
expect_eq "newsgrep: --sort: 'sideways' is not one of relevance, newest, oldest" "$err"

# --explain --json: one record with the explanation's parts as fields.
expect_rc 0 ng --explain --json --since 2023 --until 2023 'title:GPU "Global Times" -wsj semi*'
expect_eq '{"type":"explain","format_version":2,"query":"title:GPU \"Global Times\" -wsj semi*","parsed":"((title:gpu AND \"global times\" AND semi*) AND NOT wsj)","since":"2023-01-01T00:00:00Z","until":"2023-12-31T23:59:59Z","order":"relevance","duplicates":"one per URL","matches":[{"how":"stem","term":"gpu","fields":["title"]},{"how":"stem","term":"gpus","fields":["title"]},{"how":"word","term":"global","fields":["title","excerpt","related"]},{"how":"word","term":"times","fields":["title","excerpt","related"]},{"how":"prefix","term":"semi","fields":["title","excerpt","related"]}]}' \
	"$(jq -c 'del(.xapian)' <<<"$out")" "--explain --json"
expect_match '^Query\(.*Sgpu.*Y2023.*\)$' "$(jq -r .xapian <<<"$out")" "--explain --json: xapian"
expect_eq '{"type":"explain","format_version":2,"query":"*","parsed":"*","since":null,"until":null,"order":"newest first","duplicates":"one per URL","matches":[],"xapian":"Query(0 * <alldocuments>)"}' \
	"$(ng --explain --json '*')" "--explain --json, no words"

# -c with --facet keeps the count: first, as -c alone prints it.
expect_eq "7

year:
  7  2023" "$(ng -c --facet year chips)" "-c --facet"
expect_eq '{"type":"summary","format_version":2,"count":7,"count_exact":true,"facets":{"year":[{"value":"2023","count":7}]}}' \
	"$(ng --json -c --facet year chips)" "--json -c --facet"

done_testing
