#!/usr/bin/env bash
# The query language: every operator, field and date form, against the
# exact set of articles it must find in corpus/.
. "$(dirname "$0")/lib.sh"
index_corpus
ALTMAN=corpus/ai/2023-11-23-what-does-sam-altmans-firing-and-quick-reinstatement-mean-for-the-future-of-ai.md
NVIDIA=corpus/ai/2024-03-07-how-nvidia-leads-the-world-by-making-ai-user-friendly.md
FT=corpus/ai/2017-07-24-become-an-ft-subscriber-to-read.md
WAVE=corpus/powerapps/2019-08-26-microsoft-power-apps-portals-2019-release-wave-2-overview.md

# set QUERY-ARGS...: the hits as a sorted set; sorted LIST...: the same.
set_of() { hits "$DB" -n 100 "$@" | sort; }
sorted() { printf '%s\n' "$@" | sort; }

CHIPS=$(sorted "$S0" "$S1" "$S2" "$S3" "$S4" "$INTEL" "$ALTMAN")
expect_eq "$CHIPS" "$(set_of chips)" "chips"

# AND (implicit and explicit), OR, NOT and -word, parentheses.
expect_eq "$(sorted "$S1" "$S4")" "$(set_of chips china)" "implicit AND"
expect_eq "$(sorted "$S1" "$S4")" "$(set_of chips AND china)" "AND"
expect_eq "$(sorted "$S1" "$S4")" "$(set_of 'chips and china')" "and is a word here"
expect_eq "$(sorted "$S0" "$S2" "$S3" "$INTEL" "$ALTMAN")" "$(set_of chips -china)" "-word"
expect_eq "$(set_of chips -china)" "$(set_of chips NOT china)" "NOT"
expect_eq "$(sorted "$S1" "$S4" "$S0" "$S2" "$S3" "$INTEL" "$ALTMAN")" \
	"$(set_of '(chips china) OR (chips -china)')" "a partition"
expect_eq "$(sorted "$S1" "$INTEL")" "$(set_of '(chips OR gpu) nvidia')" "parentheses"
expect_eq "$(sorted "$S1" "$S4" "$S3" "$INTEL" "$S0" "$S2" "$ALTMAN")" \
	"$(set_of chips OR CloudMinds)" "OR"
# Excluding alone leaves everything else (29 articles: two files of
# corpus/powerapps have the same URL, see below).
ALL=$("$NEWSGREP" --db "$DB" -c '*')
expect_eq 29 "$ALL" "articles"
expect_eq "$((ALL - 7))" "$(hits "$DB" -n 100 -- -chips | wc -l)" "-chips alone"
expect_eq "$((ALL - 7))" "$(hits "$DB" -n 100 'NOT chips' | wc -l)" "NOT chips alone"

# Phrases are exact and ordered; NEAR/n is unordered, within n words.
expect_eq "$(sorted "$S3" "$S4")" "$(set_of '"advanced chips"')" "phrase"
expect_eq "" "$(set_of '"chips advanced"')" "phrase order"
expect_eq "" "$(set_of '"intelligence artificial"')" "reversed phrase"
AI_PHRASE=$(set_of '"artificial intelligence"')
expect_eq "$AI_PHRASE" "$(set_of 'intelligence NEAR/0 artificial')" "NEAR/0 either order"
# "sanctions against China": one word between.
expect_eq "$S4" "$(set_of 'sanctions NEAR/1 china')" "NEAR/1"
expect_eq "$S4" "$(set_of 'china NEAR/1 sanctions')" "NEAR/1 reversed"
expect_eq "" "$(set_of 'sanctions NEAR/0 china')" "NEAR/0 too close"
expect_eq "$S4" "$(set_of 'sanctions NEAR china')" "NEAR (10)"
# A quoted word is exact: no stemming.
expect_eq "" "$(set_of '"sanction"')" "quoted word"
# A hyphenated word is a phrase: GPU-based, not gpu and based anywhere.
expect_eq "$(sorted "$S0" "$S2")" "$(set_of GPU-based)" "hyphenated word (002 lists 000)"
expect_eq "" "$(set_of "based-GPU")" "hyphenated word order"

# Prefix wildcards, and their cap.
expect_eq "$S4" "$(set_of 'semicond*')" "wildcard"
expect_eq "$(sorted "$S4")" "$(set_of 'related:semicond*')" "wildcard in a field"
expect_eq "" "$(set_of 'title:semicond*')" "wildcard in another field"
expect_rc 2 "$NEWSGREP" --db "$DB" --max-expansion 10 'a*'
expect_eq "newsgrep: query:1:1: 'a*' matches more than 10 words: make it longer, or raise --max-expansion" "$err"
expect_rc 0 "$NEWSGREP" --db "$DB" --max-expansion 10000 'a*'

# Fields.
expect_eq "$(sorted "$S1" "$S3" "$S4" "$INTEL")" "$(set_of title:chips)" "title:"
expect_eq "$(sorted "$S0" "$S1" "$S3" "$S4" "$INTEL")" "$(set_of excerpt:chips)" "excerpt:"
expect_eq "$(sorted "$S1" "$S2" "$S3" "$S4" "$INTEL" "$ALTMAN")" "$(set_of related:chips)" "related:"
expect_eq "$S1" "$(set_of related:CloudMinds)" "related: word"
expect_eq "" "$(set_of title:CloudMinds)" "title: does not see related"
expect_eq "$(sorted "$S1" "$S4")" "$(set_of 'provider:"Global Times"')" "provider: phrase"
expect_eq "$(sorted "$S1" "$S4" "$FT")" "$(set_of provider:times)" "provider: word"
expect_eq "$(sorted "$S1" "$S4")" "$(set_of site:globaltimes.cn)" "site: domain"
expect_eq "$S3" "$(set_of site:WWW.WSJ.COM)" "site: host, www. and case ignored"
expect_eq "$S2" "$(set_of site:https://techcrunch.com/some/page)" "site: from a URL"
expect_eq "$(sorted "$NVIDIA" "$S0" "$S1" "$S3" "$S4" "$INTEL")" \
	"$(set_of 'topic:"AI Hardware"')" "topic: whole value"
expect_eq "$(set_of 'topic:"ai hardware"')" "$(set_of 'topic:"AI HARDWARE"')" "topic: case"
# Topics starting "ai": AI, AI Hardware, AI in Healthcare (not "AWS AI").
expect_eq "$(set_of 'topic:(ai OR "ai hardware" OR "ai in healthcare")')" "$(set_of 'topic:ai*')" \
	"topic: wildcard"
expect_eq 1 "$(set_of 'topic:"ai in healthcare"' | wc -l)" "one healthcare article"
expect_eq "$WAVE" "$(set_of type:video)" "type:"
expect_eq "$((ALL - 1))" "$(hits "$DB" -n 100 type:article | wc -l)" "type:article"
expect_eq "$S0" "$(set_of url:moore-threads)" "url: words"
expect_eq "$S2" "$(set_of 'url:"dp technology"')" "url: quoted"
expect_eq "$(sorted "$S1" "$S4")" "$(set_of 'Title:(chips OR cloudminds) site:globaltimes.cn')" \
	"field over a group"
expect_eq "$(sorted "$S0" "$S2" "$S3" "$INTEL" "$ALTMAN")" "$(set_of chips -site:globaltimes.cn)" \
	"excluded field"

# Dates in the query, alone and with --since/--until.
expect_eq "$(sorted "$S3" "$S4")" "$(set_of chips date:2023-05)" "date:month"
expect_eq "$(sorted "$S3" "$S4" "$S1")" "$(set_of chips date:2023-05..2023-07)" "date:range"
expect_eq "$(sorted "$S0" "$S2" "$INTEL" "$ALTMAN")" "$(set_of chips date:2023-11..)" "date:from.."
expect_eq "$(sorted "$S1" "$S3" "$S4")" "$(set_of chips date:..2023-07-31)" "date:..to"
expect_eq "$(sorted "$S0" "$INTEL" "$ALTMAN")" "$(set_of --until 2023-12-19 chips date:2023-11..)" \
	"date: with --until"
expect_eq "" "$(set_of --since 2023-07 chips date:..2023-06)" "disjoint ranges"

# Relative dates: articles made now, 3 days ago and 40 days ago.
FRESH=$TMP/fresh
mkdir -p "$FRESH"
article() { # article NAME ISO-DATE
	printf -- '---\ntitle: "Freshness test %s"\nexcerpt: "zebrafish %s"\npublishedDateTime: %s\noriginalUrl: "https://example.org/%s"\n---\n' \
		"$1" "$1" "$2" "$1" >"$FRESH/$1.md"
}
article today "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
article days3 "$(date -u -d '3 days ago' +%Y-%m-%dT%H:%M:%SZ)"
article days40 "$(date -u -d '40 days ago' +%Y-%m-%dT%H:%M:%SZ)"
article yesterday "$(date -u -d 'yesterday 12:00' +%Y-%m-%dT%H:%M:%SZ)"
"$NEWSGREP_INDEX" -q --db "$TMP/fresh-db" "$FRESH" || die "indexing fresh articles failed"
fresh() { "$NEWSGREP" --db "$TMP/fresh-db" --json -n 100 "$@" | jq -r 'select(.type == "hit").path' | sed "s|$FRESH/||" | sort; }
expect_eq "$(sorted days3.md today.md yesterday.md)" "$(fresh --since 7d zebrafish)" "--since 7d"
expect_eq "$(sorted days3.md today.md yesterday.md)" "$(fresh --since 1w zebrafish)" "--since 1w"
expect_eq "$(sorted days3.md days40.md today.md yesterday.md)" "$(fresh --since 2m zebrafish)" "--since 2m"
expect_eq "yesterday.md" "$(fresh --since yesterday --until yesterday zebrafish)" "yesterday"
expect_eq "$(sorted days40.md days3.md)" "$(fresh --until 2d --since 1y zebrafish)" "--until 2d"
expect_eq "$(sorted days3.md today.md yesterday.md)" "$(fresh 'date:7d..')" "date:7d.."

# --exact turns stemming off.
expect_eq "" "$(set_of --exact sanction)" "--exact"
expect_eq "$(set_of '"sanctions"')" "$(set_of --no-stem sanctions)" "--no-stem"

# Order: relevance for words, newest first for filters; --sort overrides.
expect_eq "$NVIDIA
$S0
$INTEL
$S1
$S4
$S3" "$(hits "$DB" 'topic:"AI Hardware"')" "filters only: newest first"
expect_eq "$S3
$S4
$S1
$ALTMAN
$INTEL
$S0
$S2" "$(hits "$DB" --sort oldest chips)" "--sort oldest"
expect_eq "$(hits "$DB" -n 30 --sort newest '*')" "$(hits "$DB" -n 30 '*')" "* is newest first"
expect_eq "$ALL" "$(hits "$DB" -n 100 '*' | wc -l)" "* matches everything"
expect_eq "$(doc_count "$DB")" "$(hits "$DB" -n 100 --all-duplicates '*' | wc -l)" \
	"* with duplicates"
expect_eq "$(hits "$DB" -n 100 '*' | tail -n 1)" "$(hits "$DB" -n 100 --sort oldest '*' | head -n 1)" \
	"oldest is the reverse"
# Relevance is the default for words and can be asked for by name.
expect_eq "$(hits "$DB" chips)" "$(hits "$DB" --sort relevance chips)" "--sort relevance"
# --boost-recent lifts the freshest of equally good matches: without it
# they tie and come in index order.
ranked() { "$NEWSGREP" --db "$TMP/fresh-db" --json "$@" zebrafish | jq -r 'select(.type == "hit").path' | sed "s|$FRESH/||"; }
expect_eq "days3.md" "$(ranked | head -n 1)" "a tie without the boost"
expect_eq "today.md
yesterday.md
days3.md
days40.md" "$(ranked --boost-recent)" "--boost-recent"

# Duplicates: one article reachable from two files shows once.  corpus/
# has a real pair: the same Dataverse announcement saved twice.
FW1=corpus/powerapps/2023-07-07-announcing-public-preview-of-ip-firewall-in-dataverse.md
FW2=corpus/powerapps/2024-03-20-control-access-to-dataverse-with-ip-firewall-secure-your-data-with-ease.md
expect_eq 1 "$(hits "$DB" firewall dataverse | wc -l)" "the pair collapsed"
expect_eq "$(sorted "$FW1" "$FW2")" "$(set_of --all-duplicates firewall dataverse)" "the pair"
# The indexer counts the articles that share a URL, and a search of an
# index with none skips collapsing.  Each update that adds or removes an
# article must count again, or a copy added later would show twice.
mkdir -p "$TMP/dups/a" "$TMP/dups/b"
cp "$SRC/$S0" "$TMP/dups/a/moore.md"
cp "$SRC/$S3" "$TMP/dups/a/wsj.md"
"$NEWSGREP_INDEX" -q --db "$TMP/dups-db" "$TMP/dups" || die "indexing duplicates failed"
dups() { "$NEWSGREP" --db "$TMP/dups-db" "$@" | sed "s|$TMP/dups/||"; }
expect_eq "2" "$(dups -c chips)" "no duplicates yet"
cp "$SRC/$S0" "$TMP/dups/b/moore-copy.md"
"$NEWSGREP_INDEX" -q --db "$TMP/dups-db" || die "updating duplicates failed"
expect_eq "1" "$(dups -l moore | wc -l)" "collapsed"
expect_eq "$(printf '%s\n' a/moore.md b/moore-copy.md)" "$(dups -l --all-duplicates moore | sort)" \
	"--all-duplicates"
expect_eq "2" "$(dups -c chips)" "count collapses"
expect_eq "3" "$(dups -c --all-duplicates chips)" "count with --all-duplicates"
cp "$SRC/$S3" "$TMP/dups/b/wsj-copy.md" # additions keep an index's repeats
"$NEWSGREP_INDEX" -q --db "$TMP/dups-db" || die "updating duplicates failed"
expect_eq "1" "$(dups -l moore | wc -l)" "still collapsed"
expect_eq "2" "$(dups -c chips)" "both pairs collapsed"
rm "$TMP/dups/a/moore.md"
"$NEWSGREP_INDEX" -q --db "$TMP/dups-db" || die "updating duplicates failed"
expect_eq "b/moore-copy.md" "$(dups -l moore)" "the copy left"
cp "$SRC/$S0" "$TMP/dups/a/moore.md"
"$NEWSGREP_INDEX" -q --db "$TMP/dups-db" || die "updating duplicates failed"
expect_eq "1" "$(dups -l moore | wc -l)" "collapsed again"
# Copies in different segments of a new index, written by two threads.
NEWSGREP_TEST_SEGMENT_FILES=1 "$NEWSGREP_INDEX_HOOKS" -q -j2 --db "$TMP/dups-seg-db" "$TMP/dups" ||
	die "indexing duplicates in segments failed"
expect_eq "1" "$("$NEWSGREP" --db "$TMP/dups-seg-db" -l moore | wc -l)" "collapsed across segments"

# Malformed queries: exit 2, the position and the problem.
bad() { # bad MESSAGE QUERY
	expect_rc 2 "$NEWSGREP" --db "$DB" "$2"
	expect_eq "newsgrep: $1" "$err" "error for $2"
}
bad "query:1:11: unbalanced '('" 'sanctions (GPU'
bad "query:1:4: unbalanced ')'" 'gpu) chips'
bad "query:1:5: unbalanced '\"'" 'gpu "sanctions'
bad "query:1:6: date: cannot read 'May' (use YYYY, YYYY-MM, YYYY-MM-DD, 7d, 2w, 3m, 1y, today or yesterday)" 'date:May'
bad "query:1:1: the query is empty" '   '
bad "query:1:1: the query has no words to search for (only punctuation)" '?!'
bad "query:1:5: 'OR' needs a word after it" 'gpu OR'
bad "query:1:1: the query has no words to search for (only punctuation)" '()'
# Options go before the query; a long one after it is an error, a short
# one a word to exclude.
expect_rc 2 "$NEWSGREP" --db "$DB" chips --json
expect_eq "newsgrep: --json: options go before the query words" "$err"
expect_rc 2 "$NEWSGREP" --db "$DB" chips -n 5
expect_eq "newsgrep: -n: options go before the query words" "$err"
expect_eq "$(set_of chips -china)" "$(hits "$DB" -n 100 chips -china | sort)" "-china after words"
# Arbitrary bytes and hostile nesting are errors or searches, never crashes.
expect_rc 2 "$NEWSGREP" --db "$DB" "$(printf '(%.0s' {1..5000})"
expect_match "too many nested parentheses" "$err"
expect_rc 1 "$NEWSGREP" --db "$DB" $'\x01\x02 \xf0\x9f zzqx \xed\xa0\x80'

done_testing
