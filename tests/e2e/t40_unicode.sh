#!/usr/bin/env bash
# The tokenizer end to end: CJK bigrams, accents, odd characters in JSON.
. "$(dirname "$0")/lib.sh"

mkdir -p "$TMP/articles"
cat >"$TMP/articles/cjk.md" <<'ART'
---
title: "华为发布新的人工智能芯片"
excerpt: "ソフトバンクの新しいＡＩ戦略。한국어 뉴스도 있습니다."
publishedDateTime: 2024-03-01T09:00:00+09:00
provider:
  name: 新华社
  domain: xinhuanet.com
---
ART
cat >"$TMP/articles/accents.md" <<'ART'
---
title: "Café Société: naïve Straße façade"
excerpt: "He said \"quoted\" and a back\\slash, a tab\tand a bell\a."
publishedDateTime: 2024-03-02
---
ART
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$TMP/db" "$TMP/articles"
DB=$TMP/db
CJK=$TMP/articles/cjk.md
ACC=$TMP/articles/accents.md
h() { "$NEWSGREP" --db "$DB" --json "$@" | jq -r 'select(.type == "hit").path'; }

expect_eq "$CJK" "$(h 智能)" "a bigram inside a run"
expect_eq "$CJK" "$(h 人工智能)" "a whole run"
expect_eq "$CJK" "$(h 华为 芯片)" "two runs"
expect_eq "" "$(h 智芯)" "characters that are not adjacent"
expect_eq "$CJK" "$(h ソフトバンク)" "katakana"
expect_eq "$CJK" "$(h ai 戦略)" "fullwidth ＡＩ folds to ai"
expect_eq "$CJK" "$(h 뉴스)" "hangul"
expect_eq "$ACC" "$(h cafe societe)" "accents stripped"
expect_eq "$ACC" "$(h CAFÉ strasse)" "ß folds to ss"
# Dates with offsets are stored in UTC; bare dates are midnight UTC.
expect_eq "2024-03-01T00:00:00Z" "$("$NEWSGREP" --db "$DB" --json 人工智能 | jq -r 'select(.type == "hit").date')" "offset date"
expect_eq "2024-03-02T00:00:00Z" "$("$NEWSGREP" --db "$DB" --json cafe | jq -r 'select(.type == "hit").date')" "bare date"
# JSON escaping round-trips quotes, backslashes and control characters.
expect_eq $'He said "quoted" and a back\\slash, a tab\tand a bell\a.' \
	"$("$NEWSGREP" --db "$DB" --json cafe | jq -r 'select(.type == "hit").excerpt')" "escaped excerpt"

done_testing
