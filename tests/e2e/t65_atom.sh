#!/usr/bin/env bash
# --format atom: an Atom 1.0 feed (RFC 4287) for any search, checked by an XML
# parser (xmllint) and the Atom RELAX NG schema (tests/fixtures/atom/atom.rng),
# over corpus/ and over articles whose text XML could not hold as it is:
# & < > " ]]>, control characters, bytes that are not UTF-8, an article
# without URL, one without date; an empty result; ids stable from run to run.
. "$(dirname "$0")/lib.sh"

if ! command -v xmllint >/dev/null; then
	echo "skipped: xmllint is missing (Debian: libxml2-utils; scripts/install-deps installs it)"
	exit 77
fi
RNG=$SRC/tests/fixtures/atom/atom.rng

# valid FILE: well-formed XML 1.0, and an Atom feed by the schema.
valid() {
	xmllint --noout "$1" 2>"$TMP/xmllint.err" || die "$1 is not XML: $(cat "$TMP/xmllint.err")"
	xmllint --noout --relaxng "$RNG" "$1" 2>"$TMP/xmllint.err" ||
		die "$1 is not an Atom feed: $(cat "$TMP/xmllint.err")"
	checks=$((checks + 2))
}

# fields FILE [FROM [TO]]: the feed as lines, values as JSON strings: "feed", its
# id, title, updated, authors, generator; then for each entry "entry", its
# id, alternate link, title, updated, published (null: none), authors,
# categories, summary (or only the FROMth to the TOth of these).  Also checks what the schema cannot: RFC 4287's rules
# that an entry has an author (its own or the feed's) and, without content,
# a link rel=alternate; that ids are absolute IRIs.
fields() {
	python3 - "$1" "${2:-1}" "${3:-8}" <<'PY'
import json, re, sys
import xml.etree.ElementTree as ET
A = "{http://www.w3.org/2005/Atom}"
feed = ET.parse(sys.argv[1]).getroot()
assert feed.tag == A + "feed", feed.tag
def text(e, name):
    x = e.find(A + name)
    return None if x is None else (x.text or "")
def authors(e):
    return [a.find(A + "name").text for a in e.findall(A + "author")]
def absolute(iri):
    return re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", iri) is not None
j = lambda v: json.dumps(v, ensure_ascii=False)
assert absolute(text(feed, "id")), text(feed, "id")
g = feed.find(A + "generator")
print("feed", j(text(feed, "id")), j(text(feed, "title")), j(text(feed, "updated")),
      j(authors(feed)), j(g.text))
for e in feed.findall(A + "entry"):
    alt = [l.get("href") for l in e.findall(A + "link") if l.get("rel", "alternate") == "alternate"]
    assert len(alt) == 1 or e.find(A + "content") is not None, "no alternate link"
    assert authors(e) or authors(feed), "no author"
    assert absolute(text(e, "id")), text(e, "id")
    values = [text(e, "id"), alt[0] if alt else None, text(e, "title"), text(e, "updated"),
              text(e, "published"), authors(e), [c.get("term") for c in e.findall(A + "category")],
              text(e, "summary")]
    print("entry", *map(j, values[int(sys.argv[2]) - 1:int(sys.argv[3])]))
PY
	[[ $? == 0 ]] || die "fields $1 failed"
}

index_corpus
ng() { "$NEWSGREP" --db "$DB" "$@"; }

# The whole corpus: one entry per article (one per URL), newest first.
ng --format atom -n all '*' >"$TMP/all.xml"
expect_eq 0 "$?" "exit status"
valid "$TMP/all.xml"
fields "$TMP/all.xml" >"$TMP/all.fields"
fields "$TMP/all.xml" 1 6 | grep '^entry ' >"$TMP/all.some"
expect_eq "$(ng -c '*')" "$(grep -c '^entry ' "$TMP/all.fields")" "one entry per article"
expect_eq "feed" "$(head -n 1 "$TMP/all.fields" | cut -d' ' -f1)" "the feed comes first"
expect_match '^feed "urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}" "\*" "2024-04-11T08:00:16Z" \["newsgrep"\] "newsgrep"$' \
	"$(head -n 1 "$TMP/all.fields")" "the feed: a UUID, the query, the newest entry's date"
# Each entry's id and link are its URL, as --json gives it; its dates the
# article's; its author the provider; newest first.
ng --json --sort newest -n all '*' | jq -r 'select(.type == "hit") |
	"entry \(.url | tojson) \(.url | tojson) \(.title | tojson) \(.date | tojson) \(.date | tojson) \([.provider] | tojson)"' \
	| sed 's/","/", "/g' >"$TMP/all.want"
expect_eq "$(cat "$TMP/all.want")" "$(cat "$TMP/all.some")" \
	"entries against --json"
expect_eq "" "$(sort "$TMP/all.fields" | cut -d' ' -f2 | uniq -d)" "ids are unique"

# Topics are categories; the summary is the passage that matched.
ng --format atom -n 1 title:moore >"$TMP/moore.xml"
valid "$TMP/moore.xml"
expect_eq 'entry "https://www.gizmochina.com/2023/12/20/moore-threads-us-sanctions-gpu-based-ai/" "https://www.gizmochina.com/2023/12/20/moore-threads-us-sanctions-gpu-based-ai/" "Chinese Startup Moore Threads Defies US Sanctions with New GPU-Based AI Center" "2023-12-19T23:59:00Z" "2023-12-19T23:59:00Z" ["Gizmochina"] ["AI Hardware", "AI"]' \
	"$(fields "$TMP/moore.xml" 1 7 | sed -n 2p)" "an entry"
# summary FILE: the first entry's summary.
summary() { fields "$1" 8 8 | sed -n 2p | sed 's/^entry //' | jq -r .; }
expect_eq "$(ng --json -n 1 title:moore | jq -r 'select(.type == "hit").excerpt')" \
	"$(summary "$TMP/moore.xml")" "the summary: the excerpt, when the title matched"
ng --format atom --sort relevance -n 1 remarkable agility >"$TMP/agility.xml"
expect_eq "$(ng --json --sort relevance -n 1 remarkable agility | jq -r 'select(.type == "hit").snippet')" \
	"$(summary "$TMP/agility.xml")" "the summary: the passage of the excerpt that matched"

# Ids are stable: the same search twice, and after a rebuild of the index,
# gives the same feed, byte for byte.
ng --format atom -n all '*' >"$TMP/again.xml"
cmp -s "$TMP/all.xml" "$TMP/again.xml" || die "a second run gives another feed"
"$NEWSGREP_INDEX" -q --db "$DB" --rebuild "$CORPUS" || die "rebuild"
ng --format atom -n all '*' >"$TMP/rebuilt.xml"
cmp -s "$TMP/all.xml" "$TMP/rebuilt.xml" || die "the feed changed with a rebuild"
checks=$((checks + 2))
# The feed's id names the indexes, the query and what chooses the matches,
# not how many are shown or in what order.
feed_id() { ng --format atom "$@" | xmllint --xpath 'string(/*/*[local-name()="id"])' -; }
ID=$(feed_id sanctions)
expect_eq "$ID" "$(feed_id -n 3 --sort relevance --offset 1 sanctions)" "the feed's id with -n, --sort, --offset"
for other in "sanctions GPU" "--since 2023-06 sanctions" "--until 2023 sanctions" "--exact sanctions" \
	"-F sanctions" "--all-duplicates sanctions"; do
	# shellcheck disable=SC2086 # the words are options and the query
	[[ $(feed_id $other) != "$ID" ]] || die "the feed's id is the same with $other"
	checks=$((checks + 1))
done
expect_eq "$ID" "$(echo sanctions | ng --format atom -f - | xmllint --xpath 'string(/*/*[local-name()="id"])' -)" \
	"the feed's id with the query from -f"
expect_eq "$ID" "$(feed_id --color=always sanctions)" "the feed's id with --color"

# Nothing found: exit status 1 and a feed without entries, updated now.
expect_rc 1 ng --format atom zzqxv
printf '%s\n' "$out" >"$TMP/empty.xml"
valid "$TMP/empty.xml"
fields "$TMP/empty.xml" >"$TMP/empty.fields"
expect_eq 1 "$(wc -l <"$TMP/empty.fields")" "no entries"
updated=$(head -n 1 "$TMP/empty.fields" | cut -d' ' -f4 | tr -d '"')
expect_match '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$' "$updated" "updated"
now=$(date -u +%s) then=$(date -u -d "$updated" +%s)
((now - then >= 0 && now - then < 600)) || die "an empty feed's updated is $updated, not now"

# Articles whose text XML cannot hold as it is.  The folder's name has a
# space and an é, one file's name a byte that is not UTF-8.
DIR="$TMP/news é"
mkdir -p "$DIR" || die mkdir
cat >"$DIR/hostile.md" <<'YAML'
---
title: "Zorblax <b>&amp;</b> \"quoted\" & 'single' \x01ctl\x08 \e[31m \x7f \u009b \uFFFF Pokémon 中文 🙂"
excerpt: "Zorblax excerpt ]]> <script>alert(1)</script> & \x0b vt\r\nline2\ttab"
publishedDateTime: 2024-05-01T12:00:00Z
originalUrl: "https://example.com/a b?x=1&y=\"2\"<3>#frag%zz%41é"
provider:
  name: "Prov & <Co> \x02"
  domain: example.com
topics:
  - "R&D \"quoted\" <t>\ttab\nnl"
  - AI
---
YAML
cat >"$DIR/nourl.md" <<'YAML'
---
title: "Zorblax without URL or date"
excerpt: "Zorblax no url"
---
YAML
cat >"$DIR/relative.md" <<'YAML'
---
title: "Zorblax relative URL"
publishedDateTime: 2024-05-02T00:00:00Z
originalUrl: "www.example.com/relative"
provider:
  name: Relative
---
YAML
printf -- '---\ntitle: "Zorblax latin"\n---\n' >"$DIR/caf"$'\xe9'".md"
"$NEWSGREP_INDEX" -q --db "$TMP/hostile-db" "$DIR" || die "indexing the articles failed"
hostile() { "$NEWSGREP" --db "$TMP/hostile-db" --format atom "$@"; }
hostile zorblax >"$TMP/hostile.xml"
valid "$TMP/hostile.xml"
fields "$TMP/hostile.xml" >"$TMP/hostile.fields"
# C0 controls (but tab, newline, carriage return), DEL, C1 and U+FFFF
# become U+FFFD; & < > " are themselves once parsed; the URL's characters
# that an IRI cannot hold are percent-encoded.  Without an absolute URL an
# entry's id is a UUID and it links to its file; without a date it is
# updated at the epoch and has no <published>.
R=$'\xef\xbf\xbd'
expect_eq "entry \"urn:uuid:UUID\" \"file://$TMP/news%20%C3%A9/relative.md\" \"Zorblax relative URL\" \"2024-05-02T00:00:00Z\" \"2024-05-02T00:00:00Z\" [\"Relative\"] [] null
entry \"https://example.com/a%20b?x=1&y=%222%22%3C3%3E#frag%25zz%41é\" \"https://example.com/a%20b?x=1&y=%222%22%3C3%3E#frag%25zz%41é\" \"Zorblax <b>&amp;</b> \\\"quoted\\\" & 'single' ${R}ctl$R $R[31m $R $R $R Pokémon 中文 🙂\" \"2024-05-01T12:00:00Z\" \"2024-05-01T12:00:00Z\" [\"Prov & <Co> $R\"] [\"R&D \\\"quoted\\\" <t>\\ttab\\nnl\", \"AI\"] \"Zorblax excerpt ]]> <script>alert(1)</script> & vt line2 tab\"
entry \"urn:uuid:UUID\" \"file://$TMP/news%20%C3%A9/nourl.md\" \"Zorblax without URL or date\" \"1970-01-01T00:00:00Z\" null [] [] \"Zorblax no url\"
entry \"urn:uuid:UUID\" \"file://$TMP/news%20%C3%A9/caf%E9.md\" \"Zorblax latin\" \"1970-01-01T00:00:00Z\" null [] [] null" \
	"$(sed 1d "$TMP/hostile.fields" | sed -E 's/urn:uuid:[0-9a-f-]{36}/urn:uuid:UUID/')" "the hostile entries"
# The whole excerpt, when the snippet is not from it: white space as it is,
# a carriage return kept (as "&#13;": a parser makes a bare one a newline).
hostile title:single >"$TMP/single.xml"
expect_eq "Zorblax excerpt ]]> <script>alert(1)</script> & $R vt"$'\r\nline2\ttab' \
	"$(summary "$TMP/single.xml")" "the excerpt as the summary"
# The UUIDs are stable and distinct.
hostile zorblax >"$TMP/hostile2.xml"
cmp -s "$TMP/hostile.xml" "$TMP/hostile2.xml" || die "a second run gives other ids"
expect_eq 3 "$(grep -o 'urn:uuid:[0-9a-f-]*' "$TMP/hostile.fields" | sed 1d | sort -u | wc -l)" "distinct entry UUIDs"

# The feed's title is the query, escaped too.
hostile 'zorblax <b> & "x"' >"$TMP/title.xml"
valid "$TMP/title.xml"
expect_eq 'zorblax <b> & "x"' "$(xmllint --xpath 'string(/*/*[local-name()="title"])' "$TMP/title.xml")" "the feed's title"

# Messages: -0 makes no sense for one document; a template that only
# contains "atom" is still a template.
expect_rc 2 ng --format atom -0 sanctions
expect_eq "newsgrep: -0 does not go with --format atom: a feed is one document" "$err" "-0"
expect_rc 2 ng --format atom --json sanctions
expect_rc 0 ng --format 'atom:{rank}' -n 2 sanctions
expect_eq $'atom:1\natom:2' "$out" "a template with atom in it"

done_testing
