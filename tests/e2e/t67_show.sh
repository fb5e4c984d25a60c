#!/usr/bin/env bash
# newsgrep --show PATH|URL: one article in full, from the index alone: by
# its path (absolute, relative, through ..), by its URL (exactly), the
# newest of a URL's files with the others named, its related articles with
# their date, provider and URL (format 8; an index of format 7 has only
# their titles and excerpts), --json as one record, not found (exit 1),
# over a set, an article whose file is gone, and titles that would drive a
# terminal shown as escapes.
. "$(dirname "$0")/lib.sh"
index_corpus
ng() { "$NEWSGREP" --db "$DB" "$@"; }
R=$(realpath "$CORPUS") # the paths the index keeps are resolved
P1=$R/seeds/001_22cd2ad8bb3a4915.txt
U1=https://www.globaltimes.cn/page/202307/1293938.shtml
OLDER=$R/powerapps/2023-07-07-announcing-public-preview-of-ip-firewall-in-dataverse.md
NEWER=$R/powerapps/2024-03-20-control-access-to-dataverse-with-ip-firewall-secure-your-data-with-ease.md
DUP_URL=https://powerapps.microsoft.com/en-us/blog/announcing-public-preview-of-ip-internet-protocol-firewall-for-dataverse/

# By path: the fields, the whole excerpt, the related articles.
expect_rc 0 ng --show "$P1"
expect_eq "title:     Chinese firms advance in AI chips amid possible looming US restrictions
date:      2023-07-07 11:07 UTC
provider:  Global Times (globaltimes.cn)
url:       $U1
path:      $P1
topics:    AI Hardware, AI

Chinese companies showcased their latest advances in the field of artificial
intelligence (AI) at the ongoing World Artificial Intelligence Conference
(WAIC) in Shanghai, particularly AI chip capacity and large language models,

related:
  Chinese AI-powered robot developer CloudMinds raises \$138m
    date:      2023-07-10 03:27 UTC
    provider:  Nikkei Asia (nikkei.com)
    url:       https://asia.nikkei.com/Spotlight/DealStreetAsia/Chinese-AI-powered-robot-developer-CloudMinds-raises-138m
    Chinese artificial intelligence-powered robot developer CloudMinds has
    raised over 1 billion yuan (\$138.1 million) in a Series C round of
    financing, as the firm is said to be weighing an initial public offering
    in Hong Kong.

  Chinese chipmakers rally behind initiative to develop AI industry standard
    date:      2023-07-11 06:15 UTC
    provider:  Digi Times (digitimes.com)
    url:       https://www.digitimes.com/news/a20230710PD204/ai-chips-china.html" "$(head -n 25 <<<"$out")" "--show by path"
expect_eq "" "$err" "stderr"
shown=$out
expect_eq 3 "$(grep -c '^  [^ ]' <<<"$shown")" "three related articles"
expect_eq 3 "$(grep -c '^    url:       https://' <<<"$shown")" "... each with its URL"
expect_eq "    provider:  Pakistan Today (pakistantoday.com.pk)" "$(grep '^    provider:' <<<"$shown" | tail -n 1)" "... and provider"

# The same by URL, by a relative path, and by one through . and ..
expect_rc 0 ng --show "$U1"
expect_eq "$shown" "$out" "--show by URL"
expect_rc 0 bash -c 'cd "$1/seeds" && shift && "$@"' - "$R" "$NEWSGREP" --db "$DB" --show 001_22cd2ad8bb3a4915.txt
expect_eq "$shown" "$out" "--show by a relative path"
expect_rc 0 bash -c 'cd "$1" && shift && "$@"' - "$R/ai" "$NEWSGREP" --db "$DB" --show ./../seeds//001_22cd2ad8bb3a4915.txt
expect_eq "$shown" "$out" "--show by a path with . and .."
# What -l prints, --show takes.
expect_eq "$shown" "$(ng --show "$(ng -l -n 1 CloudMinds)")" "--show of what -l prints"

# Two files of one URL: by URL the newest, the other named; by path each
# shows itself.
expect_rc 0 ng --show "$DUP_URL"
expect_eq "path:      $NEWER" "$(grep '^path:' <<<"$out")" "the newest of a URL"
expect_eq "same url:  $OLDER" "$(grep '^same url:' <<<"$out")" "its duplicate"
expect_match '^title: +Control Access to Dataverse' "$out" "the newest's title"
expect_rc 0 ng --show "$OLDER"
expect_eq "path:      $OLDER" "$(grep '^path:' <<<"$out")" "a duplicate by path"
expect_eq "same url:  $NEWER" "$(grep '^same url:' <<<"$out")" "... names the newest"
# An article alone has no such line.
expect_eq "" "$(ng --show "$P1" | grep '^same url:')" "no duplicates"

# --json: one record, every field.
expect_rc 0 ng --json --show "$DUP_URL"
expect_eq 1 "$(wc -l <<<"$out")" "one line"
expect_eq "article 2 $NEWER $DUP_URL 2024-03-20T22:58:21Z Microsoft microsoft.com Power Apps $OLDER 0" \
	"$(jq -r '[.type, .format_version, .path, .url, .date, .provider, .provider_domain, (.topics | join(",")), (.duplicates[0].path), (.related | length)] | join(" ")' <<<"$out")" \
	"the article record"
expect_rc 0 ng --json --show "$P1"
expect_eq "3 Chinese AI-powered robot developer CloudMinds raises \$138m 0" \
	"$(jq -r '"\(.related | length) \(.related[0].title) \(.duplicates | length)"' <<<"$out")" "related in JSON"
expect_eq "$(jq -r .excerpt <<<"$out")" "$(sed -n '8,10p' <<<"$shown" | tr '\n' ' ' | sed 's/ $//')" "the whole excerpt"
expect_eq "https://asia.nikkei.com/Spotlight/DealStreetAsia/Chinese-AI-powered-robot-developer-CloudMinds-raises-138m 2023-07-10T03:27:00Z Nikkei Asia nikkei.com" \
	"$(jq -r '.related[0] | "\(.url) \(.date) \(.provider) \(.provider_domain)"' <<<"$out")" "a related article's URL, date, provider in JSON"
expect_eq "title excerpt url date provider provider_domain" "$(jq -r '.related[2] | keys_unsorted | join(" ")' <<<"$out")" "a related article's fields"

# A related item with originalUrl (preferred to webUrl), and one with no
# date, provider or URL: no lines for what it lacks, and null or "" in JSON.
mkdir -p "$TMP/rel"
cat >"$TMP/rel/r.md" <<'YAML'
---
title: Zorblax main
related:
  - title: Zorblax first
    excerpt: first excerpt
    webUrl: https://web.example/1
    originalUrl: https://original.example/1
    provider:
      domain: example.org
  - title: Zorblax bare
    excerpt: bare excerpt
---
YAML
"$NEWSGREP_INDEX" -q --db "$TMP/rel-db" "$TMP/rel" || die "indexing rel"
REL=$(realpath "$TMP/rel")/r.md
expect_rc 0 "$NEWSGREP" --db "$TMP/rel-db" --show "$REL"
expect_eq "related:
  Zorblax first
    provider:  (example.org)
    url:       https://original.example/1
    first excerpt

  Zorblax bare
    bare excerpt" "$(sed -n '/^related:/,$p' <<<"$out")" "related items' fields as they have them"
expect_rc 0 "$NEWSGREP" --db "$TMP/rel-db" --json --show "$REL"
expect_eq '{"title":"Zorblax bare","excerpt":"bare excerpt","url":"","date":null,"provider":"","provider_domain":""}' \
	"$(jq -c '.related[1]' <<<"$out")" "a bare related item in JSON"

# A related item's URL and provider count towards what an article may cost
# (t94), as its own do: only the URL used (originalUrl here, not webUrl).
long=$(head -c $((300 << 10)) /dev/zero | tr '\0' 'u')
mkdir -p "$TMP/long"
printf -- '---\ntitle: Zorblax long\nrelated:\n  - title: long\n    originalUrl: "https://x.example/%s"\n    webUrl: "https://w.example/%s"\n---\n' \
	"$long" "$long" >"$TMP/long/l.md"
expect_rc 0 "$NEWSGREP_INDEX" --db "$TMP/long-db" "$TMP/long"
expect_eq "$TMP/long/l.md: warning: related[0].originalUrl is 300.0 KiB: only its first 256 KiB is indexed" \
	"$(grep -v '^newsgrep-index: ' <<<"$err")" "a related URL's cost"
len=$("$NEWSGREP" --db "$TMP/long-db" --json --show "$(realpath "$TMP/long")/l.md" | jq -r '.related[0].url | length')
((len > 250000 && len <= 262144)) || die "the stored related URL is $len bytes"
checks=$((checks + 1))

# An index of format 7, as a newsgrep of format 7 leaves it (its format
# set back and every article written again by an update, which keeps
# format 7): the related articles' titles and excerpts, no date, provider
# or URL, and null in JSON; --status and --check take it; --rebuild makes
# it format 8, which has them.
mkdir -p "$TMP/f7" && cp "$P1" "$TMP/f7/one.txt" || die "copy"
"$NEWSGREP_INDEX" -q --db "$TMP/f7-db" "$TMP/f7" || die "indexing f7"
xapian-metadata set "$(echo "$TMP"/f7-db/db.*)" newsgrep.format 7
echo >>"$TMP/f7/one.txt"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$TMP/f7-db" "$TMP/f7"
expect_eq 7 "$(xapian-metadata get "$(echo "$TMP"/f7-db/db.*)" newsgrep.format)" "an update keeps format 7"
F7=$(realpath "$TMP/f7")/one.txt
expect_rc 0 "$NEWSGREP" --db "$TMP/f7-db" --show "$F7"
expect_eq "$(sed -n '/^related:/,$p' <<<"$shown" | grep -v '^    \(date\|provider\|url\): ')" \
	"$(sed -n '/^related:/,$p' <<<"$out")" "format 7: related titles and excerpts only"
expect_eq "url:       $U1" "$(grep '^url:' <<<"$out")" "format 7: the article's own URL"
expect_rc 0 "$NEWSGREP" --db "$TMP/f7-db" --json --show "$F7"
expect_eq "3 Chinese AI-powered robot developer CloudMinds raises \$138m null null null null" \
	"$(jq -r '"\(.related | length) \(.related[0].title) \(.related[0].url) \(.related[0].date) \(.related[0].provider) \(.related[0].provider_domain)"' <<<"$out")" "format 7 in JSON"
expect_rc 0 "$NEWSGREP_INDEX" --db "$TMP/f7-db" --status
expect_match $'\nformat: 7 \\(newsgrep-index --rebuild makes it format 8\\)\n' "$out" "--status of format 7"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$TMP/f7-db" --check
expect_rc 0 "$NEWSGREP" --db "$TMP/f7-db" --db "$DB" -c CloudMinds
expect_rc 0 "$NEWSGREP" --db "$TMP/f7-db" --db "$DB" --show "$P1"
expect_eq "$shown" "$(grep -v '^same url:' <<<"$out")" "a set of formats 7 and 8"
expect_eq "same url:  $F7" "$(grep '^same url:' <<<"$out")" "... with the copy in the index of format 7"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$TMP/f7-db" --compact
expect_eq 7 "$(xapian-metadata get "$(echo "$TMP"/f7-db/db.*)" newsgrep.format)" "--compact keeps format 7"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$TMP/f7-db" --rebuild
expect_rc 0 "$NEWSGREP_INDEX" --db "$TMP/f7-db" --status
expect_match $'\nformat: 8\n' "$out" "--status after --rebuild"
expect_rc 0 "$NEWSGREP" --db "$TMP/f7-db" --show "$F7"
expect_eq "$(sed -n '/^related:/,$p' <<<"$shown")" "$(sed -n '/^related:/,$p' <<<"$out")" "rebuilt as format 8: related dates, providers, URLs"

# Not found: exit status 1, a message, nothing on stdout (--json too).
expect_rc 1 ng --show "$R/seeds/nope.txt"
expect_eq "" "$out" "stdout, not found"
expect_eq "newsgrep: no article in the index has the path '$R/seeds/nope.txt'" "$err" "a path not found"
expect_rc 1 ng --show "$U1/"
expect_eq "newsgrep: no article in the index has the URL '$U1/'" "$err" "URLs match exactly"
expect_rc 1 ng --json --show "https://example.com/none"
expect_eq "" "$out" "--json, not found"
expect_rc 1 bash -c 'cd "$1" && shift && "$@"' - "$R" "$NEWSGREP" --db "$DB" --show seeds/nope.txt
expect_eq "newsgrep: no article in the index has the path '$R/seeds/nope.txt'" "$err" "a relative path not found"

# --show is no search.
expect_rc 2 ng --show "$P1" chips
expect_eq "newsgrep: --show shows one article: give no query" "$err" "query words"
expect_rc 2 ng -l --show "$P1"
expect_eq "newsgrep: --show does not go with -l, -c, --facet, --format, --explain or -0" "$err" "-l"
expect_rc 2 "$NEWSGREP" --db "$TMP/none" --show "$P1"
expect_match "^newsgrep: .*none" "$err" "no index"

# Over a set: whichever index holds it.
"$NEWSGREP_INDEX" -q --db "$TMP/a" "$R/ai" "$OLDER" || die "indexing a"
"$NEWSGREP_INDEX" -q --db "$TMP/b" "$R/powerapps" "$R/seeds" || die "indexing b"
expect_rc 0 "$NEWSGREP" --db "$TMP/a" --db "$TMP/b" --show "$P1"
expect_eq "$shown" "$out" "over a set"
expect_rc 0 "$NEWSGREP" --db "$TMP/a" --db "$TMP/b" --json --show "$DUP_URL"
expect_eq "$NEWER $OLDER 1" "$(jq -r '"\(.path) \(.duplicates[0].path) \(.duplicates | length)"' <<<"$out")" "duplicates over a set, each once"

# From the index alone: the file may be gone.
mkdir -p "$TMP/gone" && cp "$P1" "$TMP/gone/one.txt" || die "copy"
"$NEWSGREP_INDEX" -q --db "$TMP/gone-db" "$TMP/gone" || die "indexing gone"
G=$(realpath "$TMP/gone")/one.txt
rm "$TMP/gone/one.txt"
expect_rc 0 "$NEWSGREP" --db "$TMP/gone-db" --show "$G"
expect_eq "path:      $G" "$(grep '^path:' <<<"$out")" "a file that is gone"

# A title, provider and related text that would drive a terminal are shown
# as escapes; --json keeps their exact characters.
mkdir -p "$TMP/evil"
cat >"$TMP/evil/e.md" <<'YAML'
---
title: "Zorblax \e[31mred\e]0;pwned\a title \u009b2J \u202egnp.exe"
excerpt: "Zorblax excerpt \e[31m here \u009b1m and \u202e reversed"
provider:
  name: "Prov\e[31mider"
  domain: example.com
originalUrl: "https://example.com/\u009bx"
topics:
  - "to\e[2Jpic"
related:
  - title: "Rel \e[31m title"
    excerpt: "Rel \e]0;x\a excerpt"
---
YAML
"$NEWSGREP_INDEX" -q --db "$TMP/evil-db" "$TMP/evil" || die "indexing evil"
E=$(realpath "$TMP/evil")/e.md
expect_rc 0 "$NEWSGREP" --db "$TMP/evil-db" --show "$E"
printf '%s' "$out" >"$TMP/evil.out"
expect_eq "" "$(LC_ALL=C grep -naP '[\x00-\x09\x0b-\x1f\x7f\x9b]|\xc2[\x80-\x9f]|\xe2\x80\xae' "$TMP/evil.out")" "raw controls in --show"
expect_eq 'title:     Zorblax \x1b[31mred\x1b]0;pwned\x07 title \u009b2J \u202egnp.exe' "$(head -n 1 <<<"$out")" "the title, escaped"
expect_match 'provider:  Prov\\x1b\[31mider \(example\.com\)' "$out" "the provider, escaped"
expect_match 'Rel \\x1b\]0;x\\x07 excerpt' "$out" "a related excerpt, escaped"
expect_rc 0 "$NEWSGREP" --db "$TMP/evil-db" --json --show "https://example.com/"$'\xc2\x9b'"x"
expect_eq $'Zorblax \e[31mred\e]0;pwned\a title \xc2\x9b2J \xe2\x80\xaegnp.exe' "$(jq -j .title <<<"$out")" "--json keeps the title"
expect_match '\\u001b\[31m' "$out" "--json escapes ESC"

done_testing
