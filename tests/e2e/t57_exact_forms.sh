#!/usr/bin/env bash
# With stemming, an article with the words exactly as typed ranks above the
# articles that only share their stems, and the set of matches stays that of
# the stems.
. "$(dirname "$0")/lib.sh"
FX=$SRC/tests/fixtures/exact-forms
"$NEWSGREP_INDEX" -q --db "$TMP/db" "$FX" || die "indexing $FX failed"
DB=$TMP/db
F=tests/fixtures/exact-forms
EXACT=$F/2021-08-24-misconfigured-microsoft-power-apps-applications-found-to-expose-38m-records.md
PORTALS=$F/2021-08-25-misconfigured-microsoft-power-apps-portals-exposed-millions-of-records.md
PLURAL=$F/2021-08-24-microsoft-power-apps-misconfigurations-expose-38-million-records.md
VIA=$F/2021-08-24-38m-records-exposed-via-microsoft-power-apps-misconfiguration.md
EXPOSES=$F/2021-08-24-microsoft-power-apps-misconfiguration-exposes-38m-records.md
sorted() { printf '%s\n' "$@" | sort; }
ALL5=$(sorted "$EXACT" "$PORTALS" "$PLURAL" "$VIA" "$EXPOSES")

# Both words exact first; then one exact word (misconfigured, expose), then
# the stems alone.
expect_eq "$EXACT
$PORTALS
$PLURAL" "$(hits "$DB" 'expose misconfigured' | head -3)" "exact forms first"
expect_eq "$ALL5" "$(hits "$DB" 'expose misconfigured' | sort)" "the stems' matches"
expect_eq 5 "$("$NEWSGREP" --db "$DB" -c 'expose misconfigured')" "count"
# One word: the two titles that say "expose" first.
expect_eq "$(sorted "$EXACT" "$PLURAL")" "$(hits "$DB" expose | head -2 | sort)" "one word"
expect_eq "$ALL5" "$(hits "$DB" expose | sort)" "one word's matches"
# In a field, too (fields alone sort newest first unless told).
expect_eq "$EXACT" "$(hits "$DB" --sort relevance 'title:expose title:misconfigured' | head -1)" "in the title"
expect_eq "$ALL5" "$(hits "$DB" 'title:expose title:misconfigured' | sort)" "title matches"
# A word that is its own stem: the word and the words of its stem match.
expect_eq "$ALL5" "$(hits "$DB" 'misconfiguration OR misconfigured' | sort)" "OR"
# --exact still finds only the word as typed.
expect_eq "$(sorted "$EXACT" "$PLURAL")" "$(hits "$DB" --exact expose | sort)" "--exact"
# --explain shows the exact word beside its stem.
expect_rc 0 "$NEWSGREP" --db "$DB" --explain 'expose -records'
expect_match "xapian:     Query\(\(\(Zexpos@1 AND_MAYBE expose@1\) AND_NOT \(Zrecord@2 SYNONYM record@2\)\)\)" "$out"
done_testing
