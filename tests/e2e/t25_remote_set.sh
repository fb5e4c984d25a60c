#!/usr/bin/env bash
# Indexes served by xapian-tcpsrv, searched as one (--db HOST:PORT, set
# files): the corpus split into three members answers as one index of it
# does in every output mode; a server that is gone, or stops answering,
# is left out with a warning, exit status 3 and a "missing" record
# (--require-all: an error); a rebuilt member is searched as it is now;
# --boost-recent over servers ranks as over one index served.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sets.sh"
. "$(dirname "$0")/tcpsrv.sh"
tcpsrv_require

# The same files as t22: three members, the two articles of one URL in
# different ones, and one index of all.
N=$TMP/news
split_corpus "$N"
for m in 1 2 3; do
	expect_rc 0 "$NEWSGREP_INDEX" -q --db "$TMP/m$m" "$N/p$m"
	tcpsrv_start "$TMP/m$m"
	port[m]=$tcpsrv_port
done
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$TMP/all" "$N"
S1=127.0.0.1:${port[1]} S2=127.0.0.1:${port[2]} S3=127.0.0.1:${port[3]}

remote() { "$NEWSGREP" --db "$S1" --db "$S2" --db "$S3" "$@" 2>&1; }
mixed() { "$NEWSGREP" --db "$TMP/m1" --db "$S2" --db "$S3" "$@" 2>&1; }
one() { "$NEWSGREP" --db "$TMP/all" "$@" 2>&1; }
# same WHAT ARGS...: both sets print what the one index prints.
same() {
	local what=$1
	shift
	local b
	b=$(one "$@" | unnumbered)
	[[ -n $b ]] || die "$what: the one index printed nothing"
	expect_eq "$b" "$(remote "$@" | unnumbered)" "$what (servers)"
	expect_eq "$b" "$(mixed "$@" | unnumbered)" "$what (a folder and servers)"
}

for q in "${set_ranked_queries[@]}"; do
	same "top 10: $q" -n 10 -l "$q"
done
# Wildcards are ranked with each database's statistics (as for folders):
# the same matches.
expect_eq "$(one -l 'model*' | sort)" "$(remote -l 'model*' | sort)" "the matches of model*"
# Exact counts, duplicates collapsed across servers: Xapian's own spies.
expect_eq 29 "$(remote -c '*')" "-c '*' over servers"
expect_eq 30 "$(remote -c --all-duplicates '*')" "-c --all-duplicates"
for q in "${set_count_queries[@]}"; do
	same "-c $q" -c "$q"
done
for f in "${set_facets[@]}"; do
	same "--facet $f" --facet "$f" '*'
done
same "--facet topic ai" --facet topic --facet year ai
# Date order: oldest first with undated articles last, in two searches.
same "--sort newest" --sort newest -n 10 -l '*'
same "--sort oldest" --sort oldest -l '*'
same "--sort oldest, a page" --sort oldest --offset 25 -n 3 -l '*'
# -l reads a long list's paths in one more search, a short one's (a page
# of less than a sixteenth of the matches) a document at a time.
same "-l, one path of many" --offset 4 -n 1 -l '*'
same "-l, a page by relevance" --offset 2 -n 5 -l 'ai OR chips'
same "--sort newest chips" --sort newest -n 3 -l chips
same "date: window" -n 5 -l 'date:2023-01..2024-12'
same "--since --until" --since 2023-06 --until 2024-01 -l '*'
same "--json" --json -n 10 'sanctions GPU'
same "--json newest" --json -n 5 --sort newest dataverse
same "text output" -n 10 chips
same "-l everything" -l '*'
same "path:" -l "path:$N/p2"
# --boost-recent: a set with a server adds the bonus in steps of Xapian's
# own classes (within 0.01 of the exact bonus a folder alone gets), so the
# servers and the folder with servers rank as the one index served does.
tcpsrv_start "$TMP/all"
ALL=127.0.0.1:$tcpsrv_port
for q in "${set_ranked_queries[@]}"; do
	b=$("$NEWSGREP" --db "$ALL" --boost-recent -n 10 -l "$q" 2>&1)
	[[ -n $b ]] || die "--boost-recent $q: the one index printed nothing"
	expect_eq "$b" "$(remote --boost-recent -n 10 -l "$q")" "--boost-recent $q (servers)"
	expect_eq "$b" "$(mixed --boost-recent -n 10 -l "$q")" \
		"--boost-recent $q (a folder and servers)"
done
# The bonus does reach the servers: it changes this order.
[[ $(remote -n 10 -l 'power apps') != "$(remote --boost-recent -n 10 -l 'power apps')" ]] ||
	die "--boost-recent over servers changes nothing"
tcpsrv_stop "${ALL#*:}"

# A set file: members a line, folders relative to it, servers' timeouts.
cat >"$TMP/news.set" <<SET
# newsgrep set
# the archive here, the rest on servers
m1
$S2  timeout=2 connect-timeout=1
$S3
SET
expect_eq "$(one -n 10 -l chips)" "$("$NEWSGREP" --db "$TMP/news.set" -n 10 -l chips)" "a set file"
# $NEWSGREP_DB: a server's port stays with its host.
expect_eq "$(one -c chips)" "$(NEWSGREP_DB="$TMP/m1:$S2:$S3" "$NEWSGREP" -c chips)" \
	"NEWSGREP_DB with servers"

# A server of another format: an error naming it.
cp -a "$TMP/m3" "$TMP/old"
xapian-metadata set "$(echo "$TMP/old"/db.*)" newsgrep.format 5
tcpsrv_start "$TMP/old"
OLD=127.0.0.1:$tcpsrv_port
expect_rc 2 "$NEWSGREP" --db "$TMP/m1" --db "$OLD" chips
expect_match "index at '$OLD' was made by another version of newsgrep \(format '5'" "$err" \
	"a server of another format"
tcpsrv_stop "${OLD#*:}"

# A rebuilt member: the server serves the new database to the next search.
before=$(remote -c '*')
rm "$N/p3/003_"*
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$TMP/m3" --rebuild "$N/p3"
expect_eq $((before - 1)) "$(remote -c '*')" "after a member's rebuild"
cp "$CORPUS"/seeds/003_* "$N/p3/"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$TMP/m3" "$N/p3"
expect_eq "$before" "$(remote -c '*')" "after a member's update"

# A server that is gone: the rest answer, exit status 3, a warning on
# stderr, a "missing" record with --json; --require-all makes it an error.
tcpsrv_stop "${port[2]}"
expect_rc 3 "$NEWSGREP" --db "$S1" --db "$S2" --db "$S3" -c '*'
expect_eq "$(( $("$NEWSGREP" --db "$TMP/m1" -c '*') + $("$NEWSGREP" --db "$TMP/m3" -c '*') ))" "$out" \
	"the count of the rest"
expect_match "^newsgrep: warning: index '$S2' is missing from the results: cannot reach the server: .*Connection refused" \
	"$err" "the warning"
expect_rc 3 "$NEWSGREP" --db "$S1" --db "$S2" --db "$S3" --json -n 3 chips
expect_match "\{\"type\":\"missing\",\"format_version\":2,\"index\":\"$S2\",\"reason\":\"cannot reach the server" \
	"$out" "the missing record"
expect_match '"type":"summary"' "$(tail -1 <<<"$out")" "the summary still ends the output"
expect_rc 3 "$NEWSGREP" --db "$S1" --db "$S2" --db "$S3" -l --all-duplicates '*'
expect_eq "$(one -l --all-duplicates '*' | grep -v "/p2/" | sort)" "$(sort <<<"$out")" \
	"-l without the member"
expect_rc 2 "$NEWSGREP" --db "$S1" --db "$S2" --db "$S3" --require-all -n 3 chips
expect_eq "" "$out" "--require-all prints no hit"
expect_match "index '$S2' cannot be searched \(--require-all\)" "$err" "--require-all"
# None at all: an error that says why, never advice to rebuild.
expect_rc 2 "$NEWSGREP" --db "$S2" chips
expect_match "no index of the set can be searched: $S2: cannot reach the server" "$err" \
	"no member reachable"
[[ $err != *rebuild* ]] || die "a network error advises a rebuild: $err"

# A server that stops answering costs its timeout, once: the rest answer.
tcpsrv_pause "${port[3]}"
printf '# newsgrep set\n%s\n%s timeout=0.5 connect-timeout=0.5\n' "$TMP/m1" "$S3" >"$TMP/slow.set"
expect_rc 3 "$NEWSGREP" --db "$TMP/slow.set" -c '*'
expect_eq "$("$NEWSGREP" --db "$TMP/m1" -c '*')" "$out" "the count without the stopped server"
expect_match "index '$S3' is missing from the results: no answer within 0.5 s" "$err" \
	"a stopped server"
tcpsrv_resume "${port[3]}"

done_testing
