#!/usr/bin/env bash
# A server of a set that fails while the hits are being read: killed, or
# stopped (SIGSTOP) with a short timeout, between two hits.  The listing
# goes on from the rest of the set (results.c, resume): the hits already
# given are as they were, every hit of the other members comes once, in
# their order, none lost and none twice (by path, nor by URL while
# duplicates are collapsed), and the member is reported missing with a
# reason; newsgrep exits 3 with its warning and "missing" record.
#
# No sleep races the listing: listing_faults (tests/api/listing_faults.c)
# reads K hits, then runs a command that asks this script to stop the
# server and waits for it to be done (two FIFOs); newsgrep is held by its
# output, a FIFO this script reads only the first hit of before stopping
# the server.  Where the listing meets the fault is Xapian's business (it
# may have read some documents ahead): the checks hold wherever it is.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tcpsrv.sh"
tcpsrv_require
[[ -x ${NEWSGREP_LISTING_FAULTS:-} ]] || die "NEWSGREP_LISTING_FAULTS is not set to listing_faults (tests/CMakeLists.txt)"

# More articles than a remote search asks documents for at a time
# (FETCH_BATCH, 200), over three members, their dates interleaved; two of
# one URL in members 2 and 3, the one of member 2 first when oldest first.
# Long excerpts make each JSON hit a few KB: a pipe holds few of them.
ARTICLES=600
make_corpus() {
	local i k words=('') filler
	for ((k = 0; k < 7; k++)); do words[k + 1]="${words[k]} common"; done
	filler=$(printf ' filler%d' {1..120})
	mkdir -p "$TMP/news/p1" "$TMP/news/p2" "$TMP/news/p3"
	for ((i = 0; i < ARTICLES; i++)); do
		printf -- '---\ntitle: "Report %d on the common theme"\npublishedDateTime: 2023-01-%02dT%02d:00:00Z\noriginalUrl: "https://example.com/report/%d"\nexcerpt: "Report %d covers the common theme.%s"\n---\nThe common theme, seen again in report %d.%s\n' \
			"$i" $((i / 24 + 1)) $((i % 24)) "$i" "$i" "$filler" "$i" "${words[i % 7]}" \
			>"$TMP/news/p$((i % 3 + 1))/r$(printf %04d "$i").md"
	done
	printf -- '---\ntitle: "The common report, first copy"\npublishedDateTime: 2022-12-31T00:00:00Z\noriginalUrl: "https://example.com/twice"\n---\ncommon\n' \
		>"$TMP/news/p2/twice-a.md"
	printf -- '---\ntitle: "The common report, second copy"\npublishedDateTime: 2023-01-10T00:30:00Z\noriginalUrl: "https://example.com/twice"\n---\ncommon\n' \
		>"$TMP/news/p3/twice-b.md"
}
make_corpus

declare -a port
# serve M: (again) a server of member M, at S[M].
serve() {
	tcpsrv_start "$TMP/m$1"
	port[$1]=$tcpsrv_port
	S[$1]=127.0.0.1:$tcpsrv_port
}
declare -a S
for m in 1 2 3; do
	expect_rc 0 "$NEWSGREP_INDEX" -q --db "$TMP/m$m" "$TMP/news/p$m"
	serve "$m"
done

# urls_paths FILE: the "URL<tab>PATH" of each hit listing_faults printed.
urls_paths() { awk -F'\t' '$1 == "before" || $1 == "after" { print $3 "\t" $4 }' "$1"; }

# reference NAME SORT MEMBER...: the listing, no fault, in $TMP/NAME.
reference() {
	local name=$1 sort=$2
	shift 2
	expect_rc 0 "$NEWSGREP_LISTING_FAULTS" 0 true common "$sort" "$@"
	urls_paths /dev/stdin <<<"$out" >"$TMP/$name"
	[[ -s $TMP/$name ]] || die "the listing $name is empty"
}

# faulted K ACTION PORT SORT NAME...: listing_faults over the set of NAMEs,
# ACTION PORT (tcpsrv_stop, tcpsrv_pause) run when it has read K hits;
# its output in $out, $err, its status in $rc.  It runs in a process group
# of its own (setsid, as tcpsrv.sh starts servers), which a test that dies
# meanwhile kills, rather than leave it waiting on a FIFO.
faulted_pgid=''
at_exit '[[ -z $faulted_pgid ]] || kill -KILL -- "-$faulted_pgid" 2>/dev/null'
faulted() {
	local k=$1 action=$2 port=$3 sort=$4 line
	shift 4
	rm -f "$TMP/ctl" "$TMP/ack" && mkfifo "$TMP/ctl" "$TMP/ack" || die "cannot make FIFOs"
	setsid bash -c '"${@:4}" >"$1" 2>"$2"; echo "exit $?" >"$3"' _ \
		"$TMP/listing.out" "$TMP/listing.err" "$TMP/ctl" "$NEWSGREP_LISTING_FAULTS" "$k" \
		"echo fault >'$TMP/ctl' && read ack <'$TMP/ack'" common "$sort" "$@" &
	faulted_pgid=$!
	rc=''
	while [[ -z $rc ]] && IFS= read -r line <"$TMP/ctl"; do
		case $line in
		fault) "$action" "$port" && echo done >"$TMP/ack" ;;
		"exit "*) rc=${line#exit } ;;
		esac
	done
	wait "$faulted_pgid"
	faulted_pgid=''
	out=$(<"$TMP/listing.out") err=$(<"$TMP/listing.err")
}

# check_hits WHAT GOT ALL REST K: the hits GOT ("URL<tab>PATH" a line) are
# the first J >= K of the listing ALL, then those of the listing REST
# (the set without the member) that are neither a path nor (when not
# empty) a URL of the first J, in REST's order: no hit lost, none twice.
# Prints J.
check_hits() {
	local what=$1 got=$2 all=$3 rest=$4 k=$5 msg
	[[ -z $(cut -f2 "$got" | sort | uniq -d) ]] ||
		die "$what: a path given twice: $(cut -f2 "$got" | sort | uniq -d | head -3)"
	msg=$(awk -F'\t' -v k="$k" '
		FILENAME == ARGV[1] { all[++na] = $0; next }
		FILENAME == ARGV[2] { rest[++nr] = $0; next }
		{ got[++ng] = $0 }
		END {
			for (j = 0; j < ng && j < na && got[j + 1] == all[j + 1]; j++)
				;
			if (j < k) {
				printf "hit %d changed: %s, was %s\n", j + 1, got[j + 1], all[j + 1]
				exit 1
			}
			for (i = 1; i <= j; i++) {
				split(got[i], f, "\t")
				url[f[1]] = path[f[2]] = 1
			}
			n = j
			for (i = 1; i <= nr; i++) {
				split(rest[i], f, "\t")
				if (f[2] in path || (f[1] != "" && f[1] in url))
					continue
				if (got[++n] != rest[i]) {
					printf "hit %d is %s, want %s\n", n, got[n], rest[i]
					exit 1
				}
			}
			if (n != ng) {
				printf "%d hits too many, from hit %d: %s\n", ng - n, n + 1, got[n + 1]
				exit 1
			}
			print j
		}' "$all" "$rest" "$got")
	[[ $? == 0 ]] || die "$what: $msg"
	checks=$((checks + 1))
	echo "$msg"
}

# check_faulted WHAT K ALL REST MEMBER REASON: the last faulted listing
# ended, its ranks run from 1, its hits are as check_hits says, and MEMBER,
# alone, is missing for REASON (a regex).
check_faulted() {
	local what=$1 k=$2 all=$3 rest=$4 member=$5 reason=$6 j
	expect_status 0 "$what"
	expect_eq done "$(tail -1 <<<"$out")" "$what: the listing's end"
	expect_eq "$(seq "$(grep -c -E '^(before|after)' <<<"$out")")" \
		"$(awk -F'\t' '$1 == "before" || $1 == "after" { print $2 }' <<<"$out")" \
		"$what: the ranks"
	expect_eq "$k" "$(grep -c '^before' <<<"$out")" "$what: the hits before the fault"
	urls_paths /dev/stdin <<<"$out" >"$TMP/got"
	j=$(check_hits "$what" "$TMP/got" "$TMP/$all" "$TMP/$rest" "$k") || exit 1
	echo "$what: the first $j hits are those of the whole set"
	expect_eq 1 "$(grep -c '^missing' <<<"$out")" "$what: one member missing"
	expect_match "^missing	$member	$reason" "$(grep '^missing' <<<"$out")" "$what: the missing member"
}

# A server killed after 3 hits, oldest first: the first hit is member 2's
# copy of the URL twice, so member 3's must not follow it.
reference all-oldest oldest "${S[@]}"
reference rest2-oldest oldest "${S[1]}" "${S[3]}"
[[ $(head -1 "$TMP/all-oldest") == *twice-a.md ]] || die "the first hit oldest first is not twice-a.md"
grep -q twice-b.md "$TMP/rest2-oldest" || die "twice-b.md is not a hit of members 1 and 3"
faulted 3 tcpsrv_stop "${port[2]}" oldest "${S[@]}"
check_faulted "killed after 3 hits" 3 all-oldest rest2-oldest "${S[2]}" \
	'cannot reach the server: .*Connection refused'

# Past the first FETCH_BATCH of documents, by relevance.
serve 2
reference all-relevance relevance "${S[@]}"
reference rest2-relevance relevance "${S[1]}" "${S[3]}"
faulted 250 tcpsrv_stop "${port[2]}" relevance "${S[@]}"
check_faulted "killed after 250 hits" 250 all-relevance rest2-relevance "${S[2]}" \
	'cannot reach the server'

# A server stopped (SIGSTOP) after 3 hits, newest first, in a set file
# that gives it half a second.
serve 2
printf '# newsgrep set\n%s\n%s\n%s timeout=0.5 connect-timeout=0.5\n' "${S[@]}" >"$TMP/slow.set"
reference all-newest newest "$TMP/slow.set"
reference rest3-newest newest "${S[1]}" "${S[2]}"
faulted 3 tcpsrv_pause "${port[3]}" newest "$TMP/slow.set"
check_faulted "stopped after 3 hits" 3 all-newest rest3-newest "${S[3]}" \
	'no answer within 0\.5 s'
tcpsrv_resume "${port[3]}"

# newsgrep --json: its output is a FIFO, of which the first hit is read
# before the server stops; newsgrep cannot be further ahead than the
# pipe's capacity (64 KiB) and its stdout's buffer, far from the end.
# json_faulted ACTION PORT ARG...: newsgrep ARG... so; $out, $err, $rc.
json_faulted() {
	local action=$1 port=$2 fd first pid
	shift 2
	rm -f "$TMP/pipe" && mkfifo "$TMP/pipe" || die "cannot make a FIFO"
	"$NEWSGREP" "$@" >"$TMP/pipe" 2>"$TMP/newsgrep.err" &
	pid=$!
	exec {fd}<"$TMP/pipe"
	IFS= read -r -u "$fd" first || die "newsgrep $* printed nothing"
	"$action" "$port"
	out=$first$'\n'$(cat <&"$fd")
	exec {fd}<&-
	wait "$pid"
	rc=$?
	err=$(<"$TMP/newsgrep.err")
}
# json_hits: the "URL<tab>PATH" of each hit of $out.
json_hits() { jq -r 'select(.type == "hit") | "\(.url)\t\(.path)"' <<<"$out"; }
# check_json WHAT ALL REST MEMBER REASON: as check_faulted, for newsgrep.
check_json() {
	local what=$1 all=$2 rest=$3 member=$4 reason=$5 j
	expect_status 3 "$what: exit status"
	((${#out} > 4 * 65536)) || die "$what: the output is too short for the pipe to hold newsgrep back"
	expect_eq "$(seq "$(json_hits | wc -l)")" "$(jq -r 'select(.type == "hit").rank' <<<"$out")" \
		"$what: the ranks"
	json_hits >"$TMP/got"
	j=$(check_hits "$what" "$TMP/got" "$TMP/$all" "$TMP/$rest" 1) || exit 1
	echo "$what: the first $j hits are those of the whole set"
	expect_match "^newsgrep: warning: index '$member' is missing from the results: $reason" \
		"$err" "$what: the warning"
	expect_eq 1 "$(jq -c 'select(.type == "missing")' <<<"$out" | wc -l)" "$what: one missing record"
	expect_match "^\{\"type\":\"missing\",\"format_version\":2,\"index\":\"$member\",\"reason\":\"$reason" \
		"$(jq -c 'select(.type == "missing")' <<<"$out")" "$what: the missing record"
	expect_match '"type":"summary"' "$(tail -1 <<<"$out")" "$what: the summary ends the output"
}

serve 2
json_faulted tcpsrv_stop "${port[2]}" --db "${S[1]}" --db "${S[2]}" --db "${S[3]}" \
	--json --sort oldest -n 100000 common
check_json "newsgrep, a server killed" all-oldest rest2-oldest "${S[2]}" \
	'cannot reach the server: .*Connection refused'

serve 2
printf '# newsgrep set\n%s\n%s\n%s timeout=0.5 connect-timeout=0.5\n' "${S[@]}" >"$TMP/slow.set"
json_faulted tcpsrv_pause "${port[3]}" --db "$TMP/slow.set" --json --sort newest -n 100000 common
check_json "newsgrep, a server stopped" all-newest rest3-newest "${S[3]}" \
	'no answer within 0\.5 s'
tcpsrv_resume "${port[3]}"

done_testing
