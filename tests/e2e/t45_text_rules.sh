#!/usr/bin/env bash
# Text rules 2 (index format 6): an acronym's plural matches its singular
# both ways, one CJK character finds the articles that have it, ligatures
# and stroked letters are spelt out; an index of format 5 keeps its rules
# until --rebuild.
. "$(dirname "$0")/lib.sh"

DB=$TMP/db
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$DB" "$CORPUS"
# sorted QUERY-ARGS...: the relative paths of the hits, sorted.
sorted() { "$NEWSGREP" --db "$DB" -l "$@" | rel | sort; }

# Acronyms on the corpus: "GPU" in three articles, "GPUs" in a fourth
# (seed 001's related item); "LLMs" in one, "LLM" in none.
GPU_ALL="corpus/ai/2023-12-15-intel-releases-its-own-ai-chip.md
$S0
$S1
corpus/seeds/002_f20c2178ff692251.txt"
expect_eq "$GPU_ALL" "$(sorted gpu)" "gpu finds GPUs"
expect_eq "$GPU_ALL" "$(sorted gpus)" "gpus finds GPU"
expect_eq "$GPU_ALL" "$(sorted GPUs)" "GPUs finds GPU"
expect_eq "$S1" "$(sorted --exact gpus)" "--exact gpus: the plural alone"
# An OR of many words is scored a term at a time (query.c): the same rule.
many=$(for i in $(seq 70); do printf 'zzqx%d OR ' "$i"; done)
expect_eq "$GPU_ALL" "$(sorted -n all "${many}gpus")" "gpus in an OR of 71 words"
IBM=corpus/ai/2023-05-09-ibm-remember-watson-its-still-around-ready-to-give-your-business-an-ai-upgrade.md
expect_rc 0 "$NEWSGREP" --db "$DB" -l llm
expect_eq "$IBM" "$(rel <<<"$out")" "llm finds LLMs"
expect_eq "" "$err" "llm: no did-you-mean"
expect_eq "$IBM" "$(sorted llms)" "llms"
expect_eq "$IBM" "$(sorted related:llm)" "related:llm"
expect_rc 1 "$NEWSGREP" --db "$DB" -l title:llm
# "gpu" highlights "GPUs" in seed 001's related item.
expect_eq '["related[1]",[[68,72]]]' \
	"$("$NEWSGREP" --db "$DB" --json gpu | jq -c "select(.type == \"hit\") | select(.path | endswith(\"$S1\")) | [.snippet_from, .matches]")" \
	"GPUs highlighted for gpu"

# Ordinary English words keep their stems, whatever is written in capitals.
mkdir -p "$TMP/a"
cat >"$TMP/a/words.md" <<'ART'
---
title: "The bus and the gas station"
excerpt: "A series of news analysis on chips."
publishedDateTime: 2024-03-01
---
ART
cat >"$TMP/a/caps.md" <<'ART'
---
title: "NEW YORK: BU and GA release a CHIP"
excerpt: "The new SDK and the CPU. Notes on SDKs, CPUs and APIs."
publishedDateTime: 2024-03-02
---
ART
cat >"$TMP/a/single.md" <<'ART'
---
title: "One SDK for every CPU"
excerpt: "Its API."
publishedDateTime: 2024-03-03
---
ART
cat >"$TMP/a/lower.md" <<'ART'
---
title: "sdks and cpus, in lower case"
publishedDateTime: 2024-03-04
---
ART
cat >"$TMP/a/cjk.md" <<'ART'
---
title: "华为发布新的人工智能芯片"
excerpt: "ソフトバンクの新しいＡＩ戦略。한국어 뉴스도 있습니다. 他是好人"
publishedDateTime: 2024-03-05
---
ART
cat >"$TMP/a/lig.md" <<'ART'
---
title: "L'Œuvre complète: the ﬁnal œuvre of an Æsthete from Łódź"
excerpt: "Encyclopædia entries on Øresund."
publishedDateTime: 2024-03-06
---
ART
# An acronym only ever written in the singular, and a headline in capitals.
cat >"$TMP/a/tpu.md" <<'ART'
---
title: "A TPU for every lab"
publishedDateTime: 2024-03-07
---
ART
cat >"$TMP/a/shout.md" <<'ART'
---
title: "NEW TARIFFS ANNOUNCED"
publishedDateTime: 2024-03-08
---
ART
A=$TMP/a
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$TMP/adb" "$A"
# found QUERY-ARGS...: the file names of the hits, sorted, on one line.
found() {
	"$NEWSGREP" --db "$TMP/adb" -l "$@" | sed "s|^$A/||" | sort | tr '\n' ' ' | sed 's/ $//'
}
for w in bus gas news series analysis; do
	expect_eq "words.md" "$(found "$w")" "$w"
done
expect_eq "caps.md words.md" "$(found chips)" "chips: CHIP and chips"
expect_eq "caps.md words.md" "$(found chip)" "chip: CHIP and chips"
expect_eq "caps.md" "$(found york)" "york"
expect_eq "caps.md shout.md" "$(found new)" "new: NEW and new, not news"
# "TPU" written beside small letters is an acronym: tpus finds it too.
for w in tpu tpus TPUs; do
	expect_eq "tpu.md" "$(found "$w")" "$w"
done
# A word in capitals among words in capitals is not: tariff's plural is
# its stem's business, and "news" does not find "NEW".
expect_eq "shout.md" "$(found tariff)" "tariff"
# Both ways, lower case and as written, for acronyms in capitals.
for w in sdk sdks SDKs cpu cpus CPUs; do
	expect_eq "caps.md lower.md single.md" "$(found "$w")" "$w"
done
expect_eq "caps.md lower.md" "$(found --exact sdks)" "--exact sdks"
expect_eq "caps.md single.md" "$(found api)" "api"

# One CJK character, wherever it is in a run: first, inside, last.
for c in 华 人 能 片 略 ソ ト 한 다 好; do
	expect_eq "cjk.md" "$(found "$c")" "one character: $c"
done
expect_eq "cjk.md" "$(found title:人)" "title:人"
expect_rc 1 "$NEWSGREP" --db "$TMP/adb" -l excerpt:华
expect_rc 1 "$NEWSGREP" --db "$TMP/adb" -l 猫
expect_eq "cjk.md" "$(found 人工)" "a bigram still"
expect_rc 1 "$NEWSGREP" --db "$TMP/adb" -l 智芯
# The character alone is highlighted, not the bigram it is in.
expect_eq '[[85,88]]' "$("$NEWSGREP" --db "$TMP/adb" --json 好 | jq -c 'select(.type == "hit") | .matches')" "好 highlighted"
expect_eq '[[88,91]]' "$("$NEWSGREP" --db "$TMP/adb" --json 人 | jq -c 'select(.type == "hit") | .matches')" "人 at a run's end"

# Ligatures and stroked letters, typed either way.
for w in oeuvre œuvre Œuvre OEUVRE final ﬁnal aesthete æsthete encyclopaedia encyclopædia lodz \
	Łódź oresund Øresund; do
	expect_eq "lig.md" "$(found "$w")" "$w"
done
expect_eq '[[2,8],[31,37]]' "$("$NEWSGREP" --db "$TMP/adb" --json oeuvre | jq -c 'select(.type == "hit") | .matches')" "œuvre highlighted"

# An index of format 5 (text rules 1) is searched and updated by its own
# rules until --rebuild.
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$TMP/old" "$A"
live=$(echo "$TMP/old"/db.*)
meta() { xapian-metadata get "$(echo "$TMP/old"/db.*)" "newsgrep.$1"; }
expect_eq 8 "$(meta format)" "a new index's format"
xapian-metadata set "$live" newsgrep.format 5
ID1=utf8proc-nfkc-casefold-stripmark/cjk-bigram/apos/max64/stem-en/1
xapian-metadata set "$live" newsgrep.tokenizer "$ID1"
mkdir -p "$TMP/b"
sed 's/2024-03-06/2024-03-07/' "$A/lig.md" >"$TMP/b/lig5.md"
cp "$A/cjk.md" "$TMP/b/cjk5.md"
expect_rc 0 "$NEWSGREP_INDEX" --db "$TMP/old" "$TMP/b"
expect_eq "5 $ID1" "$(meta format) $(meta tokenizer)" "an update keeps format 5"
old() { "$NEWSGREP" --db "$TMP/old" -l "$@" | sed "s|^$TMP/||" | sort | tr '\n' ' ' | sed 's/ $//'; }
expect_eq "b/lig5.md" "$(old œuvre)" "format 5: œuvre as it was"
expect_eq "a/lig.md" "$(old oeuvre)" "format 5: oeuvre only where rules 2 made it"
expect_eq "a/cjk.md" "$(old 人)" "format 5: no unigrams in what it added"
expect_eq "a/caps.md a/lower.md" "$(old sdks)" "format 5: sdks as it was"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$TMP/old" --rebuild
expect_eq "8" "$(meta format)" "rebuilt as format 8"
expect_eq "a/lig.md b/lig5.md" "$(old œuvre)" "format 8: œuvre"
expect_eq "a/lig.md b/lig5.md" "$(old oeuvre)" "format 8: oeuvre"
expect_eq "a/cjk.md b/cjk5.md" "$(old 人)" "format 8: 人"
# A format and a tokenizer that do not go together: rebuild.
xapian-metadata set "$(echo "$TMP/old"/db.*)" newsgrep.tokenizer "$ID1"
expect_rc 2 "$NEWSGREP" --db "$TMP/old" oeuvre
expect_match "was made by another version of newsgrep \(format '8', tokenizer '$ID1'; .*\): rebuild it with newsgrep-index --rebuild$" "$err"

done_testing
