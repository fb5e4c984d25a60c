#!/usr/bin/env bash
# Text rules 2 (index format 6): ligatures and stroked letters are spelt
# out; an index of format 5 keeps its rules until --rebuild.
. "$(dirname "$0")/lib.sh"

mkdir -p "$TMP/a"
cat >"$TMP/a/lig.md" <<'ART'
---
title: "L'Œuvre complète: the ﬁnal œuvre of an Æsthete from Łódź"
excerpt: "Encyclopædia entries on Øresund."
publishedDateTime: 2024-03-06
---
ART
A=$TMP/a
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$TMP/adb" "$A"
# found QUERY-ARGS...: the file names of the hits, sorted, on one line.
found() {
	"$NEWSGREP" --db "$TMP/adb" -l "$@" | sed "s|^$A/||" | sort | tr '\n' ' ' | sed 's/ $//'
}

# Ligatures and stroked letters, typed either way.
for w in oeuvre œuvre Œuvre OEUVRE final ﬁnal aesthete æsthete encyclopaedia encyclopædia lodz \
	Łódź oresund Øresund; do
	expect_eq "lig.md" "$(found "$w")" "$w"
done
expect_eq '[[2,8],[31,37]]' "$("$NEWSGREP" --db "$TMP/adb" --json oeuvre | jq -c .matches)" "œuvre highlighted"

# An index of format 5 (text rules 1) is searched and updated by its own
# rules until --rebuild.
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$TMP/old" "$A"
live=$(echo "$TMP/old"/db.*)
meta() { xapian-metadata get "$(echo "$TMP/old"/db.*)" "newsgrep.$1"; }
expect_eq 6 "$(meta format)" "a new index's format"
xapian-metadata set "$live" newsgrep.format 5
ID1=utf8proc-nfkc-casefold-stripmark/cjk-bigram/apos/max64/stem-en/1
xapian-metadata set "$live" newsgrep.tokenizer "$ID1"
mkdir -p "$TMP/b"
sed 's/2024-03-06/2024-03-07/' "$A/lig.md" >"$TMP/b/lig5.md"
expect_rc 0 "$NEWSGREP_INDEX" --db "$TMP/old" "$TMP/b"
expect_eq "5 $ID1" "$(meta format) $(meta tokenizer)" "an update keeps format 5"
old() { "$NEWSGREP" --db "$TMP/old" -l "$@" | sed "s|^$TMP/||" | sort | tr '\n' ' ' | sed 's/ $//'; }
expect_eq "b/lig5.md" "$(old œuvre)" "format 5: œuvre as it was"
expect_eq "a/lig.md" "$(old oeuvre)" "format 5: oeuvre only where rules 2 made it"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$TMP/old" --rebuild
expect_eq "6" "$(meta format)" "rebuilt as format 6"
expect_eq "a/lig.md b/lig5.md" "$(old œuvre)" "format 6: œuvre"
expect_eq "a/lig.md b/lig5.md" "$(old oeuvre)" "format 6: oeuvre"
# A format and a tokenizer that do not go together: rebuild.
xapian-metadata set "$(echo "$TMP/old"/db.*)" newsgrep.tokenizer "$ID1"
expect_rc 2 "$NEWSGREP" --db "$TMP/old" oeuvre
expect_match "was made by another version of newsgrep \(format '6', tokenizer '$ID1'; .*\): rebuild it with newsgrep-index --rebuild$" "$err"

done_testing
