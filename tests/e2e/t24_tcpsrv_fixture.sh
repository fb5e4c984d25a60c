#!/usr/bin/env bash
# The xapian-tcpsrv fixture (tcpsrv.sh) itself: servers of index folders on
# free ports that answer, pause and stop with their connections, in process
# groups of their own, and are stopped when a test fails; and what a server
# of an index folder serves after newsgrep-index updates or rebuilds it.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/tcpsrv.sh"
tcpsrv_require
command -v quest >/dev/null || {
	echo "t24_tcpsrv_fixture: skipped: needs quest (xapian-tools)"
	exit 77
}

# all_docs STUB: how many documents quest finds in the database STUB names.
all_docs() {
	quest -d "$1" -f boolean,pure_not -m 0 -c 1000000 'NOT zzzznotaword' |
		sed -n 's/^Exactly \([0-9]*\) matches$/\1/p'
}

# stopped PGID: whether every process of the group is stopped (waits up to
# 5 s for SIGSTOP to land).
stopped() {
	local i pid
	for ((i = 0; i < 100; i++)); do
		for pid in $(tcpsrv_group "$1"); do
			[[ $(ps -o stat= -p "$pid") == T* ]] || {
				sleep 0.05
				continue 2
			}
		done
		return 0
	done
	return 1
}

# A process in the test's own group, which stopping a server must not reach.
sleep 600 &
sentinel=$!
at_exit "kill $sentinel 2>/dev/null"
own_pgid=$(ps -o pgid= -p $$ | tr -d ' ')

index_corpus
mkdir -p "$TMP/seeds"
cp "$CORPUS"/seeds/00[0-2]_* "$TMP/seeds/" || die "cannot copy the seeds"
"$NEWSGREP_INDEX" -q --db "$TMP/seeds-db" "$TMP/seeds" || die "indexing the seeds failed"

# Two servers, each of its own index folder (served through its stub), in
# a session and process group of its own.
tcpsrv_start "$DB"
p1=$tcpsrv_port g1=$(tcpsrv_pgid "$tcpsrv_port")
tcpsrv_start "$TMP/seeds-db"
p2=$tcpsrv_port g2=$(tcpsrv_pgid "$tcpsrv_port")
[[ $p1 != "$p2" ]] || die "two servers on port $p1"
for g in "$g1" "$g2"; do
	expect_eq "$g" "$(ps -o sid= -p "$g" | tr -d ' ')" "session of the server $g"
	[[ $g != "$own_pgid" ]] || die "a server in the test's process group"
done
tcpsrv_stub "$p1" "$TMP/remote1"
tcpsrv_stub "$p2" "$TMP/remote2"
expect_eq "$(doc_count "$DB")" "$(all_docs "$TMP/remote1")" "documents served on port $p1"
expect_eq 3 "$(all_docs "$TMP/remote2")" "documents served on port $p2"
quest -d "$DB" -s none nvidia >"$TMP/local.out" || die "quest on $DB failed"
quest -d "$TMP/remote1" -s none nvidia >"$TMP/remote.out" || die "quest on port $p1 failed"
grep -aq '^Exactly [1-9][0-9]* matches$' "$TMP/local.out" || die "quest found no nvidia in $DB"
cmp -s "$TMP/local.out" "$TMP/remote.out" || die "quest answers otherwise through the server"
checks=$((checks + 1))

# A port taken is left for another.
tcpsrv_try_ports=("$p1")
tcpsrv_start "$TMP/seeds-db"
tcpsrv_try_ports=()
[[ $tcpsrv_port != "$p1" ]] || die "a second server on port $p1"
expect_match "already in use" "$(cat "$TMP/tcpsrv-$p1-3.log")" "the log of the try on port $p1"
tcpsrv_stub "$tcpsrv_port" "$TMP/remote3"
expect_eq 3 "$(all_docs "$TMP/remote3")" "documents served by the server moved on"
tcpsrv_stop "$tcpsrv_port"

# A connection kept open has a child of the server's, in its group.
exec {held}<>"/dev/tcp/127.0.0.1/$p1" || die "cannot connect to port $p1"
head -c 1 <&"$held" >/dev/null # the greeting: the child is up
expect_eq 2 "$(tcpsrv_group "$g1" | wc -l)" "processes of the server on port $p1, with a connection open"

# Paused, the server and its child: a client that waits 2 s gets nothing,
# and the other server still answers. Continued, it answers again.
tcpsrv_pause "$p1"
stopped "$g1" || die "the group $g1 is not all stopped"
tcpsrv_greets "$p1" 1 && die "a paused server greeted"
SECONDS=0
run timeout 2 quest -d "$TMP/remote1" -s none nvidia
expect_status 124 "quest on a paused server"
((SECONDS < 8)) || die "quest with a 2 s timeout took $SECONDS s"
tcpsrv_greets "$p2" 5 || die "the server on port $p2 does not greet while the other is paused"
tcpsrv_resume "$p1"
tcpsrv_greets "$p1" 5 || die "the server on port $p1 does not greet once continued"
expect_eq "$(doc_count "$DB")" "$(all_docs "$TMP/remote1")" "documents served on port $p1, continued"

# Each connection opens the index folder's stub anew: it sees an update,
# and a rebuild (db.2 swapped in, db.1 removed).
cp "$CORPUS"/seeds/003_* "$TMP/seeds/"
"$NEWSGREP_INDEX" -q --db "$TMP/seeds-db" || die "updating the seeds failed"
expect_eq 4 "$(all_docs "$TMP/remote2")" "documents served after an update"
cp "$CORPUS"/seeds/004_* "$TMP/seeds/"
"$NEWSGREP_INDEX" -q --db "$TMP/seeds-db" --rebuild || die "rebuilding the seeds failed"
expect_eq "auto db.2" "$(cat "$TMP/seeds-db/XAPIANDB")" "the stub after the rebuild"
[[ ! -e $TMP/seeds-db/db.1 ]] || die "db.1 left after the rebuild"
expect_eq 5 "$(all_docs "$TMP/remote2")" "documents served after a rebuild"

# Stopped: nothing left of either group, the open connection's child
# included; the test's own group untouched.
tcpsrv_stop "$p1"
tcpsrv_stop "$p2"
for g in "$g1" "$g2"; do
	expect_eq "" "$(tcpsrv_group "$g")" "processes left in the group $g"
done
exec {held}>&-
tcpsrv_alive "$sentinel" || die "stopping the servers killed the test's process group"
expect_eq "$own_pgid" "$(ps -o pgid= -p $$ | tr -d ' ')" "the test's process group"
tcpsrv_greets "$p1" 1 && die "port $p1 still answers"

# A test that fails, or is killed, leaves no server behind.
cat >"$TMP/child.sh" <<'EOF'
. "$1/lib.sh"
. "$1/tcpsrv.sh"
tcpsrv_start "$2"
tcpsrv_pgid "$tcpsrv_port" >"$TMP/pgid"
[[ $3 == die ]] && die "on purpose"
kill -TERM $$
sleep 10
EOF
for how in die TERM; do
	NEWSGREP_TEST_TMP=$TMP/child-$how bash "$TMP/child.sh" "$SRC/tests/e2e" "$DB" "$how" 2>"$TMP/child-$how.err"
	rc=$? err=$(cat "$TMP/child-$how.err")
	if [[ $how == die ]]; then
		expect_status 1 "a test that dies"
	else
		expect_status 143 "a test killed"
	fi
	g=$(cat "$TMP/child-$how/pgid") || die "no process group written"
	expect_eq "" "$(tcpsrv_group "$g")" "processes left in the group $g of a test ended by $how"
done
done_testing
