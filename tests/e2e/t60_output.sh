#!/usr/bin/env bash
# newsgrep's output modes: text with snippets and colour, JSON, paths,
# counts, facets, templates, paging, --explain, and a closed pipe.
. "$(dirname "$0")/lib.sh"
index_corpus
ng() { "$NEWSGREP" --db "$DB" "$@"; }

# Text: the snippet is the excerpt's matching part; plain when piped.
expect_eq "2023-05-07  Wall Street Journal  U.S. Sanctions Drive Chinese Firms to Advance AI Without Latest Chips
    https://www.wsj.com/articles/u-s-sanctions-drive-chinese-firms-to-advance-ai-without-latest-chips-f6aed67f
    Chinese companies racing to catch up with American AI leaders get creative as U.S. sanctions cut them off from the most advanced chips." "$(ng -n 1 site:wsj.com chips)" "text hit"
# A hit found through a related article says so.
expect_eq "    related: Chinese AI-powered robot developer CloudMinds raises \$138m" \
	"$(ng CloudMinds | sed -n 3p)" "related snippet"

# Colour: matches bold red, only when asked or on a terminal.
expect_match $'advancing its \e\\[1;31mGPU\e\\[0m development' "$(ng --color=always -n 1 GPU)" "--color=always"
expect_eq "$(ng -n 1 GPU)" "$(ng --color=never -n 1 GPU)" "--color=never"
expect_eq "$(ng --color=always -n 1 GPU)" "$(ng --color always -n 1 GPU)" "--color WHEN"
[[ $(ng -n 1 GPU) != *$'\e'* ]] || die "colour when piped"
# Stemming is shared: "sanction" highlights "sanctions".
expect_match $'U.S. \e\\[1;31msanctions\e\\[0m cut' "$(ng --color=always site:wsj.com sanction)" "stem highlight"
if command -v script >/dev/null; then
	# On a terminal (script(1) gives one): colour and a header on stderr.
	tty_out=$(script -qec "'$NEWSGREP' --db '$DB' -n 2 chips" /dev/null)
	# The header's count (exact when small: t34_cli_messages).
	expect_match $'^showing 2 of ~?[0-9]+ matches\r?\n' "$tty_out" "terminal header"
	expect_match $'\e\\[1;31m' "$tty_out" "colour on a terminal"
	tty_out=$(NO_COLOR=1 script -qec "'$NEWSGREP' --db '$DB' -n 2 chips" /dev/null)
	[[ $tty_out != *$'\e'* ]] || die "NO_COLOR ignored"
	checks=$((checks + 1))
	tty_out=$(NO_COLOR=1 script -qec "'$NEWSGREP' --db '$DB' --color=always -n 2 chips" /dev/null)
	expect_match $'\e\\[1;31m' "$tty_out" "--color=always beats NO_COLOR"
fi
expect_rc 2 ng --color=sometimes chips
expect_eq "newsgrep: --color: 'sometimes' is not one of auto, always, never" "$err"

# JSON: one object per hit with the documented fields.
json=$(ng --json -n 1 site:wsj.com chips | sed -n 1p)
expect_eq "2" "$(jq -r .format_version <<<"$json")" "format_version"
expect_eq "type format_version rank score path url title date provider provider_domain topics excerpt snippet matches snippet_from matched_in title_matches arrival change" \
	"$(jq -r 'keys_unsorted | join(" ")' <<<"$json")" "JSON keys"
expect_eq "$SRC/$S3" "$(jq -r .path <<<"$json")" "JSON path"
expect_eq "2023-05-07T13:00:00Z" "$(jq -r .date <<<"$json")" "JSON date"
expect_eq '["AI Hardware","AI"]' "$(jq -c .topics <<<"$json")" "JSON topics"
expect_eq '["title","excerpt","related[0]"]' "$(jq -c .matched_in <<<"$json")" "JSON matched_in"
expect_eq "excerpt" "$(jq -r .snippet_from <<<"$json")" "JSON snippet_from"
# Offsets are bytes of the snippet (ASCII here) and cover the words.
expect_eq "chips" "$(jq -r '.matches[0] as [$s,$e] | .snippet[$s:$e]' <<<"$json")" "JSON match offsets"
expect_eq '["related[0]"]' "$(ng --json CloudMinds | jq -c 'select(.type == "hit").matched_in')" "matched_in related"
expect_eq 8 "$(ng --json -n 50 chips | jq -s length)" "NDJSON lines"
expect_eq '{"type":"summary","format_version":2,"count":7,"count_exact":true}' "$(ng --json -c chips)" "--json -c"

# -l, -0, -c, --offset.
expect_eq "$SRC/$S4
$SRC/$S3" "$(ng -l -n 2 chips)" "-l"
expect_eq 7 "$(ng -l chips | wc -l)" "-l lists every match"
expect_eq "$(ng -l chips | tr '\n' '\0' | od -c)" "$(ng -l -0 chips | od -c)" "-0"
expect_eq "$(ng -l chips | sed -n 3,4p)" "$(ng -l -n 2 --offset 2 chips)" "--offset"
expect_eq "" "$(ng -l --offset 100 chips)" "--offset past the end"
expect_eq 7 "$(ng -c chips)" "-c"
# -c counts what a search lists, duplicates collapsed or not (Xapian's own
# collapsed count is only an estimate: it said 2000 for 550 on 10k articles).
for q in '*' chips '"power apps"' 'ai -microsoft' 'date:2023' 'title:ai OR excerpt:chips'; do
	expect_eq "$(ng -l "$q" | wc -l)" "$(ng -c "$q")" "-c $q"
	expect_eq "$(ng -l --all-duplicates "$q" | wc -l)" "$(ng -c --all-duplicates "$q")" \
		"-c --all-duplicates $q"
done
expect_rc 1 ng -c zzqxv
expect_eq 0 "$out" "-c with nothing"

# --facet: over all matches, most frequent first, human and JSON.
expect_eq "provider:
  2  Global Times
  1  Fudzilla
  1  Gizmochina
  1  TechCrunch
  1  The Baltimore Sun
  1  Wall Street Journal

year:
  7  2023" "$(ng --facet provider --facet year chips)" "--facet"
expect_eq '{"type":"summary","format_version":2,"count":7,"count_exact":true,"facets":{"site":[{"value":"globaltimes.cn","count":2},{"value":"baltimoresun.com","count":1},{"value":"fudzilla.com","count":1},{"value":"gizmochina.com","count":1},{"value":"techcrunch.com","count":1},{"value":"wsj.com","count":1}]}}' \
	"$(ng --json --facet site chips)" "--json --facet"
# Each topic of an article counts: all seven also have "AI".
expect_eq "topic:
  7  AI
  6  AI Hardware
  1  Google AI" "$(ng --facet topic 'topic:"ai hardware" OR topic:"google ai"')" "topic facet"
expect_eq "month:
  2  2023-05" "$(ng --facet month chips date:2023-05)" "month facet"
expect_rc 2 ng --facet author chips
expect_eq "newsgrep: --facet: 'author' is not one of provider, site, topic, type, year, month" "$err"

# --format templates.
expect_eq "2023-05-07	Wall Street Journal	https://www.wsj.com/articles/u-s-sanctions-drive-chinese-firms-to-advance-ai-without-latest-chips-f6aed67f" \
	"$(ng --format '{date}\t{provider}\t{url}' site:wsj.com)" "--format TSV"
expect_eq "1 {AI Hardware, AI} title, excerpt, related[0]" "$(ng --format '{rank} {{{topics}}} {matched_in}' site:wsj.com chips)" "--format braces"
expect_eq "$(printf '%s\0' "$SRC/$S4" "$SRC/$S3" | od -c)" "$(ng --format '{path}' -0 -n 2 chips | od -c)" "--format -0"
expect_rc 2 ng --format '{date} {headline}' chips
expect_match "^newsgrep: --format: unknown field '\{headline\}'" "$err"
expect_rc 2 ng --format '{date' chips
expect_eq "newsgrep: --format: '{' at byte 1 is not closed (write '{{' for a brace)" "$err"

# Modes that cannot be mixed.
expect_rc 2 ng -l --json chips
expect_eq "newsgrep: -l prints paths only: it does not go with --json, --format, -c or --facet" "$err"
expect_rc 2 ng -0 chips
expect_eq "newsgrep: -0 goes with -l or --format" "$err"

# Did you mean: on stderr, only when nothing matched.
expect_rc 1 ng 'sanctons GPU'
expect_eq "newsgrep: no matches; did you mean: sanctions GPU" "$err"
expect_rc 0 ng sanctions
expect_eq "" "$err" "no suggestion when something matched"
expect_rc 1 ng zzqxvw
expect_eq "" "$err" "no suggestion when nothing is close"
# A word only related items have is in the index, not a misspelling,
# though the spelling dictionary (titles, excerpts) lacks it.
mkdir -p "$TMP/spell"
printf -- '---\ntitle: "Alpha report"\nrelated:\n  - title: "New sanctions"\n---\n' >"$TMP/spell/a.md"
printf -- '---\ntitle: "Functions of quokkas"\n---\n' >"$TMP/spell/b.md"
"$NEWSGREP_INDEX" -q --db "$TMP/spell-db" "$TMP/spell" || die "cannot index $TMP/spell"
expect_rc 1 "$NEWSGREP" --db "$TMP/spell-db" 'sanctions quokkas'
expect_eq "" "$err" "no suggestion for a word of related items"
expect_rc 1 "$NEWSGREP" --db "$TMP/spell-db" 'functoins quokkas'
expect_eq "newsgrep: no matches; did you mean: functions quokkas" "$err" "a real misspelling"
# The dictionary follows the articles: a deleted or changed article's words
# leave it, each as many times as the article had it. A word left behind
# would be the closest and match nothing, and hide the suggestion that does.
printf -- '---\ntitle: "Quokkas and quokkas at dawn"\nexcerpt: "Marsupials"\n---\n' \
	>"$TMP/spell/c.md"
printf -- '---\ntitle: "Quotes of the day"\nexcerpt: "Marshals"\n---\n' >"$TMP/spell/d.md"
"$NEWSGREP_INDEX" -q --db "$TMP/spell-db" || die "cannot reindex $TMP/spell"
expect_rc 1 "$NEWSGREP" --db "$TMP/spell-db" 'marsupals'
expect_eq "newsgrep: no matches; did you mean: marsupials" "$err" "the closest word"
rm "$TMP/spell/c.md"
"$NEWSGREP_INDEX" -q --db "$TMP/spell-db" || die "cannot reindex $TMP/spell"
expect_rc 1 "$NEWSGREP" --db "$TMP/spell-db" 'marsupals'
expect_eq "newsgrep: no matches; did you mean: marshals" "$err" "a deleted article's word"
expect_rc 1 "$NEWSGREP" --db "$TMP/spell-db" 'quokas'
expect_eq "newsgrep: no matches; did you mean: quokkas" "$err" "a word another article has"
printf -- '---\ntitle: "Functions of wombats"\n---\n' >"$TMP/spell/b.md"
"$NEWSGREP_INDEX" -q --db "$TMP/spell-db" || die "cannot reindex $TMP/spell"
expect_rc 1 "$NEWSGREP" --db "$TMP/spell-db" 'quokas'
expect_eq "newsgrep: no matches; did you mean: quotes" "$err" "a changed article's old word"
expect_rc 1 "$NEWSGREP" --db "$TMP/spell-db" 'wombts'
expect_eq "newsgrep: no matches; did you mean: wombats" "$err" "a changed article's new word"

# --explain shows the parse and does not search.
expect_rc 0 ng --explain 'title:GPU "Global Times" -wsj'
expect_eq "query:      title:GPU \"Global Times\" -wsj
parsed:     ((title:gpu AND \"global times\") AND NOT wsj)
matches:    stem gpu in title
            stem gpus in title
            word global in title, excerpt, related
            word times in title, excerpt, related
order:      relevance" "$(sed -n 1,7p <<<"$out")" "--explain"
expect_match "xapian:     Query\(\(\(\(\(ZSgpu@1 SYNONYM Sgpu@1 SYNONYM ZSgpus@1 SYNONYM Sgpus@1\) AND_MAYBE Sgpu@1\) AND \(global@2 PHRASE 2 times@3\)\) AND_NOT \(Zwsj@4 SYNONYM wsj@4\)\)\)" "$out"
expect_rc 2 ng --explain --since 2024 --until 2023 chips
expect_eq "newsgrep: the date range is empty: since is after until" "$err"
expect_rc 2 ng --explain 'a ('
expect_eq "newsgrep: query:1:3: unbalanced '('" "$err"

# A closed pipe ends newsgrep quietly: killed by SIGPIPE, nothing on
# stderr, even when the parent ignores SIGPIPE.
for ignore in "" "trap '' PIPE;"; do
	status=$(bash -c "$ignore"'{ sleep 0.3; "$0" --db "$1" -n 100 "*"; echo "rc=$?" >&2; } 2>"$2" | head -c 0' \
		"$NEWSGREP" "$DB" "$TMP/pipe-err"; cat "$TMP/pipe-err")
	expect_match "^rc=(141|0)$" "$status" "closed pipe ${ignore:+(SIGPIPE ignored)}"
done

# --help fits a screen; --version.
expect_rc 0 "$NEWSGREP" --help
[[ $(wc -l <<<"$out") -le 30 ]] || die "--help is $(wc -l <<<"$out") lines"
[[ $(awk '{ if (length($0) > m) m = length($0) } END { print m }' <<<"$out") -le 80 ]] || die "--help is wider than 80"
checks=$((checks + 1))
expect_rc 0 "$NEWSGREP" --version
expect_match "^newsgrep [0-9]+\.[0-9]+\.[0-9]+ \(index format [0-9]+\)"$'\n'"Xapian " "$out" # more in t32_cli_version

done_testing
