#!/usr/bin/env bash
# newsgrep: ranking, stemming, related items, date ranges, output formats.
. "$(dirname "$0")/lib.sh"
index_corpus

# The demo query: Moore Threads first (both words in its own title); seeds
# 002 and 001 have both only in related items ("GPUs" in 001), so follow.
expect_eq "$S0
$S2
$S1" "$(hits "$DB" sanctions GPU)" "sanctions GPU"
# Letter case, word order and punctuation do not matter.
expect_eq "$S0
$S2
$S1" "$(hits "$DB" 'gpu, SANCTIONS!')" "gpu, SANCTIONS!"

# Stemming: the singular finds every form; all five seeds mention sanctions.
expect_eq "$(printf '%s\n' "$S0" "$S1" "$S2" "$S3" "$S4" | sort)" \
	"$(hits "$DB" -n 50 sanction | sort)" "sanction"
expect_eq "$(hits "$DB" -n 50 sanctions | sort)" "$(hits "$DB" -n 50 sanctioned | sort)" "sanctioned"

# A word found only in a related item finds the article that lists it.
expect_eq "$S1" "$(hits "$DB" CloudMinds)" "related-only word"

# Accents and case fold: Pokémon is found as pokemon and POKEMON.
POKE=corpus/powerapps/2021-10-09-october-power-apps-community-call-pokemon-bubbles-microsoft-certification-and-patterns-and-practices-samples.md
expect_eq "$POKE" "$(hits "$DB" pokemon)" "pokemon"
expect_eq "$POKE" "$(hits "$DB" POKÉMON)" "POKÉMON"

# Date ranges: whole months, inclusive, UTC.
expect_eq "$(printf '%s\n' "$INTEL" "$S0" "$S2" | sort)" \
	"$(hits "$DB" --since 2023-12 --until 2023-12 chip | sort)" "December 2023 chip"
expect_eq "$(printf '%s\n' "$S3" "$S4" | sort)" \
	"$(hits "$DB" --until 2023-06 chips | sort)" "chips until June 2023"
expect_eq "$S2" "$(hits "$DB" --since 2023-12-20 chip)" "since a day"
expect_eq "$S0" "$(hits "$DB" --since 2023-12-19T23:59:00Z --until 2023-12-19T23:59:00Z chip)" \
	"an exact second is inclusive"
expect_eq "$S0" "$(hits "$DB" --since 2023-12-20T07:58:00+08:00 --until 2023-12-19T23:59:00Z chip)" \
	"offsets are converted to UTC"
expect_rc 1 "$NEWSGREP" --db "$DB" --since 2025 chip
expect_eq "" "$out" "no output when nothing matches"
expect_eq "" "$err" "no error when nothing matches"

# --limit
expect_eq "$S0" "$(hits "$DB" -n 1 sanctions GPU)" "-n 1"
expect_eq 3 "$(hits "$DB" --limit 3 ai | wc -l)" "--limit 3"

# Human output: date, provider, title; URL; the start of the excerpt.
expect_rc 0 "$NEWSGREP" --db "$DB" -n 1 sanctions GPU
expect_eq "2023-12-19  Gizmochina  Chinese Startup Moore Threads Defies US Sanctions with New GPU-Based AI Center
    https://www.gizmochina.com/2023/12/20/moore-threads-us-sanctions-gpu-based-ai/
    especially in sensitive areas like AI and chip manufacturing. Despite these hurdles, Moore Threads has shown remarkable agility. After a round of layoffs, the company has refocused its resources on advancing its GPU development, a move that …" \
	"$out" "text output"

# JSON: one valid object per line with every field.
expect_rc 0 "$NEWSGREP" --db "$DB" --json -n 1 sanctions GPU
expect_eq 2 "$(printf '%s\n' "$out" | wc -l)" "one line per hit, then the summary"
out=$(head -n 1 <<<"$out")
expect_eq "1
$SRC/$S0
https://www.gizmochina.com/2023/12/20/moore-threads-us-sanctions-gpu-based-ai/
Chinese Startup Moore Threads Defies US Sanctions with New GPU-Based AI Center
2023-12-19T23:59:00Z
Gizmochina
gizmochina.com
[\"AI Hardware\",\"AI\"]
true" "$(printf '%s\n' "$out" | jq -r '.rank, .path, .url, .title, .date, .provider, .provider_domain, (.topics | tojson), (.score > 0 and (.excerpt | startswith("especially in sensitive areas")))')" "JSON fields"
expect_eq 6 "$("$NEWSGREP" --db "$DB" --json -n 50 sanction | jq -s length)" "all lines parse as JSON"

done_testing
