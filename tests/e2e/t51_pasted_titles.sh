#!/usr/bin/env bash
# A pasted headline is a query: every title in corpus/ (each article's own
# and those of its related articles), pasted as it is, either finds
# something or nothing (exit 0 or 1), and is never refused (exit 2).
. "$(dirname "$0")/lib.sh"
index_corpus

# Each title: value in the files' front matter, one per line.  The corpus
# quotes every title, so a YAML double-quoted string is all there is to
# read (its escapes are JSON's, plus a few that titles do not use).
python3 - "$CORPUS" >"$TMP/titles" <<'EOF' || die "cannot read the titles"
import json, os, re, sys
key = re.compile(r'^\s*(?:-\s+)?title:\s*(.*?)\s*$')
for folder, dirs, files in os.walk(sys.argv[1]):
    dirs.sort()
    for name in sorted(files):
        with open(os.path.join(folder, name), encoding="utf-8") as f:
            lines = f.read().split("\n")
        if not lines or lines[0].strip() != "---":
            continue
        for line in lines[1:]:
            if line.strip() == "---":
                break
            m = key.match(line)
            if not m or not m.group(1):
                continue
            v = m.group(1)
            if v.startswith('"'):
                v = json.loads(v)
            elif v.startswith("'"):
                v = v[1:-1].replace("''", "'")
            if "\n" in v:
                sys.exit("a title with a newline: " + v)
            print(v)
EOF
ntitles=$(wc -l <"$TMP/titles")
((ntitles >= 100)) || die "only $ntitles titles found in corpus/"

refused=0
while IFS= read -r title; do
	"$NEWSGREP" --db "$DB" -c -- "$title" >/dev/null 2>"$TMP/stderr"
	rc=$?
	if ((rc != 0 && rc != 1)); then
		echo "refused ($rc): $title: $(cat "$TMP/stderr")" >&2
		refused=$((refused + 1))
	fi
	checks=$((checks + 1))
done <"$TMP/titles"
expect_eq 0 "$refused" "titles refused as queries (of $ntitles)"

# The two headlines of the issue that were refused.
expect_rc 0 "$NEWSGREP" --db "$DB" -l \
	'US sanctions force Chinese firms to strive for alternatives to AI chips: experts'
expect_eq "$S4" "$(rel <<<"$out")" "a headline with 'chips:'"
expect_rc 1 "$NEWSGREP" --db "$DB" -l 'Print() screens in your canvas app'
expect_eq "" "$err" "empty parentheses are nothing"
# An unknown name: is the name's words: "experts: chips" is "experts chips".
expect_eq "$("$NEWSGREP" --db "$DB" -l 'experts chips')" \
	"$("$NEWSGREP" --db "$DB" -l 'experts: chips')" "an unknown field is words"
expect_eq "$("$NEWSGREP" --db "$DB" -l 'chips (experts)')" \
	"$("$NEWSGREP" --db "$DB" -l 'chips () experts')" "() is nothing"

# Real mistakes in the operators stay errors, with where they are.
expect_rc 2 "$NEWSGREP" --db "$DB" '(chip'
expect_eq "newsgrep: query:1:1: unbalanced '('" "$err"
expect_rc 2 "$NEWSGREP" --db "$DB" 'chip OR'
expect_eq "newsgrep: query:1:6: 'OR' needs a word after it" "$err"
expect_rc 2 "$NEWSGREP" --db "$DB" 'chips title:'
expect_eq "newsgrep: query:1:7: 'title:' needs a value right after the colon" "$err"
expect_rc 2 "$NEWSGREP" --db "$DB" 'chips date:2023-13'
expect_eq "newsgrep: query:1:12: date: cannot read '2023-13' (use YYYY, YYYY-MM, YYYY-MM-DD, 7d, 2w, 3m, 1y, today or yesterday)" "$err"
expect_rc 2 "$NEWSGREP" --db "$DB" '()'
expect_eq "newsgrep: query:1:1: the query has no words to search for (only punctuation)" "$err"

done_testing
