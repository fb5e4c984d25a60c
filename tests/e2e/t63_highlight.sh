#!/usr/bin/env bash
# Matched words are highlighted in titles as in snippets, in the text
# output and in --format, as --color says.
. "$(dirname "$0")/lib.sh"
index_corpus
ng() { "$NEWSGREP" --db "$DB" "$@"; }
B=$'\e[1m' M=$'\e[1;31m' R=$'\e[0m'

# The title line: bold, its matched words bold red, then bold again.
expect_eq "2023-05-07  Wall Street Journal  ${B}U.S. ${M}Sanctions${R}${B} Drive Chinese Firms to Advance AI Without Latest ${M}Chips${R}${R}" \
	"$(ng --color=always -n 1 site:wsj.com sanction chips | head -n 1)" "title highlight"
expect_eq "2023-05-07  Wall Street Journal  U.S. Sanctions Drive Chinese Firms to Advance AI Without Latest Chips" \
	"$(ng --color=never -n 1 site:wsj.com sanction chips | head -n 1)" "--color=never"
expect_eq "$(ng --color=never -n 1 site:wsj.com sanction chips)" "$(ng -n 1 site:wsj.com sanction chips)" "no colour when piped"

# --format honours --color in {title} and {snippet}, and only there.
expect_eq "U.S. ${M}Sanctions${R} Drive Chinese Firms to Advance AI Without Latest Chips | Chinese companies racing to catch up with American AI leaders get creative as U.S. ${M}sanctions${R} cut them off from the most advanced chips. | https://www.wsj.com/articles/u-s-sanctions-drive-chinese-firms-to-advance-ai-without-latest-chips-f6aed67f" \
	"$(ng --color=always --format '{title} | {snippet} | {url}' site:wsj.com sanction)" "--format --color=always"
expect_eq "U.S. Sanctions Drive Chinese Firms to Advance AI Without Latest Chips | Chinese companies racing to catch up with American AI leaders get creative as U.S. sanctions cut them off from the most advanced chips." \
	"$(ng --color=never --format '{title} | {snippet}' site:wsj.com sanction)" "--format --color=never"
expect_eq "$(ng --color=never --format '{title} | {snippet}' site:wsj.com sanction)" \
	"$(ng --format '{title} | {snippet}' site:wsj.com sanction)" "--format piped"
if command -v script >/dev/null; then
	tty_out=$(script -qec "'$NEWSGREP' --db '$DB' --format '{snippet}' site:wsj.com sanction" /dev/null)
	expect_match "as U.S. ${M//[/\\[}sanctions${R//[/\\[} cut" "$tty_out" "--format on a terminal"
fi

# JSON: the title's matches as byte offsets into "title".
expect_eq '[[5,14]]' "$(ng --json site:wsj.com sanction | jq -c 'select(.type == "hit").title_matches')" "title_matches"
expect_eq "Sanctions" "$(ng --json site:wsj.com sanction | jq -r 'select(.type == "hit") | .title_matches[0] as [$s, $e] | .title[$s:$e]')" "title_matches offsets"
expect_eq '[]' "$(ng --json -n 1 CloudMinds | jq -c 'select(.type == "hit").title_matches')" "no title match"

# CJK words are overlapping pairs: their matches merge into one span.
mkdir -p "$TMP/cjk"
printf -- '---\ntitle: "华为发布新的人工智能芯片"\n---\n' >"$TMP/cjk/a.md"
"$NEWSGREP_INDEX" -q --db "$TMP/cjk-db" "$TMP/cjk" || die "cannot index $TMP/cjk"
expect_eq '[[18,30]]' "$("$NEWSGREP" --db "$TMP/cjk-db" --json 人工智能 | jq -c 'select(.type == "hit").title_matches')" "one CJK span (bytes)"
expect_eq "华为发布新的${M}人工智能${R}${B}芯片" "$("$NEWSGREP" --db "$TMP/cjk-db" --color=always 人工智能 | head -n 1 | sed 's/.*  \x1b\[1m//; s/\x1b\[0m$//')" "CJK title highlight"

done_testing
