#!/usr/bin/env bash
# More like this (--like PATH|URL) and --group: the seed articles about one
# story find each other; the article and its duplicates (same URL) are never
# hits; the query, fields and dates filter; an unknown article is an error
# naming it; --group provider gives one line per provider with the count of
# the others; over a set of indexes (and a server's) the same story comes first.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sets.sh"
index_corpus

DUP1=corpus/powerapps/2023-07-07-announcing-public-preview-of-ip-firewall-in-dataverse.md
DUP2=corpus/powerapps/2024-03-20-control-access-to-dataverse-with-ip-firewall-secure-your-data-with-ease.md
DUP_URL=https://powerapps.microsoft.com/en-us/blog/announcing-public-preview-of-ip-internet-protocol-firewall-for-dataverse/

# like ARGS...: the relative paths of the hits of --like ARGS.
like() { hits "$DB" -n 40 --like "$@"; }
# first_of LIST: its first line.
first_of() { head -n 1 <<<"$1"; }
lacks() { ! grep -qxF "$2" <<<"$1" || die "$3: $2 is a hit"; checks=$((checks + 1)); }

# The two articles on US sanctions pushing Chinese firms to their own AI
# chips (WSJ, Global Times, May 2023) find each other first; Moore Threads
# and DP Technology (each the other's related item) too.
got=$(like "$SRC/$S3")
expect_eq "$S4" "$(first_of "$got")" "like S3"
lacks "$got" "$S3" "like S3"
expect_eq "$S3" "$(first_of "$(like "$SRC/$S4")")" "like S4"
expect_eq "$S2" "$(first_of "$(like "$SRC/$S0")")" "like S0"
expect_eq "$S0" "$(first_of "$(like "$SRC/$S2")")" "like S2"
# A path relative to the working folder; query words are optional.
got=$(cd "$SRC/corpus" && "$NEWSGREP" --db "$DB" -l --like "seeds/${S3##*/}")
expect_eq "$SRC/$S4" "$(first_of "$got")" "relative path"

# Never the article nor the other file of its URL, by path or by URL.
for what in "$SRC/$DUP1" "$SRC/$DUP2" "$DUP_URL"; do
	got=$(like "$what" --all-duplicates)
	[[ -n $got ]] || die "like $what: no hits"
	lacks "$got" "$DUP1" "like $what"
	lacks "$got" "$DUP2" "like $what"
done

# The query filters: fields, words, dates.
got=$(like "$SRC/$S3" 'provider:"global times"')
expect_eq "$S4
$S1" "$got" "like S3 provider:"
expect_rc 1 "$NEWSGREP" --db "$DB" --like "$SRC/$S3" nosuchwordanywhere
got=$(like "$SRC/$S3" --since 2023-06)
lacks "$got" "$S4" "--since"
expect_eq "$S1" "$(first_of "$got")" "like S3 --since 2023-06"
run "$NEWSGREP" --db "$DB" --json -n 40 --like "$SRC/$S3" --since 2023-06
expect_status 0
expect_eq "" "$(jq -r 'select(.type == "hit") | select(.date < "2023-06") | .path' <<<"$out")" \
	"--since: no older hit"

# Not found: an error naming it.
expect_rc 2 "$NEWSGREP" --db "$DB" --like "$SRC/corpus/seeds/nope.txt"
expect_match "newsgrep: --like: the index has no article at '$SRC/corpus/seeds/nope.txt'" \
	"$err" "not found"
expect_rc 2 "$NEWSGREP" --db "$DB" --like "${DUP_URL}x"
expect_match "no article with the URL '${DUP_URL}x'" "$err" "URL not found"
expect_rc 2 "$NEWSGREP" --db "$DB" --like ""
expect_rc 2 "$NEWSGREP" --db "$DB" --group outlet --like "$SRC/$S3"
expect_match "--group: 'outlet' is not one of provider, site" "$err" "--group"

# --group provider: one line per provider; Global Times's best stands for
# its other article.
run "$NEWSGREP" --db "$DB" -n 40 --group provider --like "$SRC/$S3" --color never
expect_status 0
expect_match "^2023-05-08  Global Times \(\+1 more\)  US sanctions force" "$out" "--group text"
run "$NEWSGREP" --db "$DB" -n 40 --json --group provider --like "$SRC/$S3"
expect_status 0
expect_eq "" "$(jq -r 'select(.type == "hit").provider' <<<"$out" | sort | uniq -d)" \
	"--group: each provider once"
expect_eq "1" "$(jq -r 'select(.type == "hit" and .provider == "Global Times").group_others' \
	<<<"$out")" "--group: group_others"
# Without --group, no such field.
run "$NEWSGREP" --db "$DB" --json --like "$SRC/$S3"
expect_eq "" "$(jq -r 'select(.type == "hit") | select(has("group_others")).path' <<<"$out")" \
	"group_others only with --group"

# A set of indexes (the two files of one URL in different members): the
# same story first, and neither duplicate.
N=$TMP/news
split_corpus "$N"
for m in 1 2 3; do
	expect_rc 0 "$NEWSGREP_INDEX" -q --db "$TMP/m$m" "$N/p$m"
done
set3() { "$NEWSGREP" --db "$TMP/m1" --db "$TMP/m2" --db "$TMP/m3" -l -n 40 "$@"; }
expect_eq "$N/p3/${S4##*/}" "$(first_of "$(set3 --like "$N/p3/${S3##*/}")")" "set: like S3"
got=$(set3 --like "$N/p3/$DUP" --all-duplicates)
lacks "$got" "$N/p3/$DUP" "set: like DUP"
lacks "$got" "$N/p2/${DUP2##*/}" "set: like DUP"

# Over a server: the same, when xapian-tcpsrv is there.
if command -v xapian-tcpsrv >/dev/null && command -v setsid >/dev/null; then
	. "$(dirname "$0")/tcpsrv.sh"
	tcpsrv_start "$TMP/m3"
	remote() { "$NEWSGREP" --db "$TMP/m1" --db "$TMP/m2" --db "127.0.0.1:$tcpsrv_port" -l -n 40 "$@"; }
	expect_eq "$N/p3/${S4##*/}" "$(first_of "$(remote --like "$N/p3/${S3##*/}")")" \
		"server: like S3"
	got=$(remote --like "$DUP_URL" --all-duplicates)
	[[ -n $got ]] || die "server: like URL: no hits"
	lacks "$got" "$N/p3/$DUP" "server: like URL"
	lacks "$got" "$N/p2/${DUP2##*/}" "server: like URL"
fi

# --explain shows the article and the words it is like by; with query
# words, both.
run "$NEWSGREP" --db "$DB" --explain --like "$SRC/$S3"
expect_status 0 "--explain --like"
[[ $out == *"like:       $SRC/$S3"* ]] || die "--explain --like: no like line: $out"
xq=$(sed -n 's/^xapian: *//p' <<<"$out")
[[ $xq == *" OR sanctions OR "* || $xq == *"(sanctions OR "* || $xq == *" OR sanctions)"* ]] ||
	die "--explain --like: 'sanctions' is not among the words: $xq"
[[ $xq == *"AND_NOT (Q$SRC/$S3"* ]] || die "--explain --like: the article is not left out: $xq"
run "$NEWSGREP" --db "$DB" --explain --like "$SRC/$S3" --since 2023-05-01 nvidia
expect_status 0 "--explain --like with words"
[[ $out == *"parsed:     nvidia"* && $out == *"since:      2023-05-01"* && $out == *"like:"* ]] ||
	die "--explain --like with words and a date: $out"
checks=$((checks + 3))

done_testing
