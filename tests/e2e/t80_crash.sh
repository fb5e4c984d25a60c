#!/usr/bin/env bash
# newsgrep-index killed at every step that writes, stopped by SIGINT and
# SIGTERM, and searched while it writes.
#
# NEWSGREP_TEST_KILL_AT=N makes the indexer send itself a signal
# (NEWSGREP_TEST_KILL_SIGNAL, default SIGKILL) at its N-th writing step:
# before every document written or deleted, every commit, and each step of
# swapping a rebuilt index in.  N runs from 1 until a run finishes.
. "$(dirname "$0")/lib.sh"
# Only the test copy of newsgrep-index has the hooks (core/testhooks.c).
NEWSGREP_INDEX=${NEWSGREP_INDEX_HOOKS:?}
export LC_ALL=C # one sort order for sort and comm

W=$TMP/archive
DBX=$TMP/db
mkdir -p "$W/a" "$W/b"
cp "$CORPUS"/seeds/*.txt "$W/a/"
cp "$CORPUS"/ai/2023-*.md "$W/b/"

docs() { "$NEWSGREP" --db "$1" --all-duplicates -l '*' | sed "s|^$W/||" | sort; }
files() { (cd "$W" && find . -name '*.md' -o -name '*.txt' | sed 's|^\./||' | sort); }

expect_rc 0 "$NEWSGREP_INDEX" -q --batch 2 --db "$DBX" "$W"
before=$(docs "$DBX")
expect_eq "$(files)" "$before" "first index"
cp -a "$DBX" "$TMP/snapshot"

# Every kind of change at once.
mkdir "$W/c"
cp "$CORPUS"/powerapps/2023-*.md "$W/c/"
rm "$W"/a/001_*.txt "$W"/b/2023-03-*.md
mv "$W"/a/002_*.txt "$W/c/moved.txt"
mv "$W"/b/2023-05-*.md "$W/a/moved.md"
sed -i 's/^title: "Chinese Startup/title: "A Chinese Startup/' "$W"/a/000_*.txt
echo "changed" >>"$W"/b/2023-12-*.md
touch "$W"/a/003_*.txt
after=$(files)

# within A B: every line of A is a line of B.
within() { [[ -z $(comm -23 <(printf '%s\n' "$1" | sort) <(printf '%s\n' "$2" | sort -u)) ]]; }

kill_loop() { # kill_loop NAME ARGS...: kills `newsgrep-index ARGS` at each step in turn
	local name=$1 n=0   # with fresh=1, from no index at all
	shift
	while :; do
		n=$((n + 1))
		rm -rf "$DBX"
		[[ ${fresh:-} ]] || cp -a "$TMP/snapshot" "$DBX"
		NEWSGREP_TEST_KILL_AT=$n run "$NEWSGREP_INDEX" -q --batch 2 --db "$DBX" "$@"
		[[ $rc == 0 ]] && break
		[[ $rc == 137 ]] || die "$name, killed at step $n: exit $rc, want 137: $err"
		# The index opens and answers with a state it had committed.
		run "$NEWSGREP" --db "$DBX" --all-duplicates -l '*'
		# (A first index killed early is no index yet, or an empty one.)
		[[ ${fresh:-} && ($rc == 1 || ($rc == 2 && $err =~ (no\ index\ at|is\ empty))) ]] &&
			rc=0 out=
		[[ $rc == 0 ]] || die "$name, killed at step $n: search exited $rc: $err"
		within "$(sed "s|^$W/||" <<<"$out")" "$before"$'\n'"$after" ||
			die "$name, killed at step $n: documents from no committed state: $out"
		# The next run finishes the work.
		expect_rc 0 "$NEWSGREP_INDEX" -q --db "$DBX" "$@"
		expect_eq "$after" "$(docs "$DBX")" "$name, killed at step $n, then run again"
		expect_eq "$(wc -l <<<"$after")" "$(doc_count "$DBX")" "$name: no duplicates after step $n"
	done
	expect_eq "$after" "$(docs "$DBX")" "$name, not killed"
	kill_points=$((kill_points + n - 1))
	echo "$name: killed at each of $((n - 1)) steps"
}
kill_points=0
kill_loop update
kill_loop rebuild --rebuild
# A new index is written by two threads into two databases, then merged.
kill_loop "rebuild on two threads" --rebuild -j2
fresh=1 kill_loop "first index on two threads" -j2 "$W"
# ... and in segments of 4 files, a few for each thread, merged.
export NEWSGREP_TEST_SEGMENT_FILES=4
fresh=1 kill_loop "first index on two threads in segments" -j2 "$W"
unset NEWSGREP_TEST_SEGMENT_FILES
[[ $kill_points -ge 20 ]] || die "only $kill_points kill points"
echo "kill points tried: $kill_points"

# --compact killed at each step: searches see the whole index throughout,
# and the next writer leaves one database.
cp -a "$DBX" "$TMP/updated"
n=0
while :; do
	n=$((n + 1))
	rm -rf "$DBX" && cp -a "$TMP/updated" "$DBX"
	NEWSGREP_TEST_KILL_AT=$n run "$NEWSGREP_INDEX" -q --db "$DBX" --compact
	[[ $rc == 0 ]] && break
	[[ $rc == 137 ]] || die "compact, killed at step $n: exit $rc, want 137: $err"
	expect_eq "$after" "$(docs "$DBX")" "compact, killed at step $n"
	expect_rc 0 "$NEWSGREP_INDEX" -q --db "$DBX"
	expect_eq 1 "$(ls -d "$DBX"/db.* | wc -l)" "compact, killed at step $n: one database after the next run"
done
expect_eq "$after" "$(docs "$DBX")" "compact, not killed"
[[ $n -ge 4 ]] || die "compact: only $((n - 1)) kill points"
echo "compact: killed at each of $((n - 1)) steps"

# A rebuild killed leaves the old index as it was, and no debris once the
# next writer has run.
rm -rf "$DBX" && cp -a "$TMP/snapshot" "$DBX"
NEWSGREP_TEST_KILL_AT=3 run "$NEWSGREP_INDEX" -q --db "$DBX" --rebuild
expect_status 137 "rebuild killed"
expect_eq "$before" "$(docs "$DBX")" "old index intact after a killed rebuild"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$DBX"
expect_eq "XAPIANDB db.1 lock" "$(ls "$DBX" | tr '\n' ' ' | sed 's/ $//')" "leftovers swept"

# SIGINT and SIGTERM: stop after committing what is done, die of the signal.
rm -rf "$DBX" && cp -a "$TMP/snapshot" "$DBX"
NEWSGREP_TEST_KILL_AT=4 NEWSGREP_TEST_KILL_SIGNAL=2 run "$NEWSGREP_INDEX" --batch 2 --db "$DBX"
expect_status 130 "SIGINT exit"
expect_eq "newsgrep-index: stopped by a signal; what was done is committed, a next run finishes it" "$err"
expect_match "^newsgrep-index: [0-9]+ added, [0-9]+ updated, [0-9]+ deleted" "$out" "summary after SIGINT"
partial=$(docs "$DBX")
[[ $partial != "$before" && $partial != "$after" ]] || die "SIGINT: nothing or everything was done"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$DBX"
expect_eq "$after" "$(docs "$DBX")" "after SIGINT, run again"

rm -rf "$DBX" && cp -a "$TMP/snapshot" "$DBX"
NEWSGREP_TEST_KILL_AT=4 NEWSGREP_TEST_KILL_SIGNAL=15 run "$NEWSGREP_INDEX" -q --db "$DBX" --rebuild
expect_status 143 "SIGTERM exit"
expect_eq "newsgrep-index: stopped by a signal; the old index is left as it was" "$err"
expect_eq "$before" "$(docs "$DBX")" "old index after a stopped rebuild"
expect_eq "XAPIANDB db.1 lock" "$(ls "$DBX" | tr '\n' ' ' | sed 's/ $//')" "stopped rebuild cleaned up"

# A second indexer while one is writing: status 75, naming the holder.  The
# first one stops itself (SIGSTOP) at its first write, lock in hand.
rm -rf "$DBX" && cp -a "$TMP/snapshot" "$DBX"
NEWSGREP_TEST_KILL_AT=1 NEWSGREP_TEST_KILL_SIGNAL=19 "$NEWSGREP_INDEX" -q --db "$DBX" &
first=$!
for _ in $(seq 100); do [[ $(ps -o stat= -p $first) == T* ]] && break; sleep 0.05; done
expect_rc 75 "$NEWSGREP_INDEX" --db "$DBX"
expect_eq "newsgrep-index: index at '$DBX' is locked by another newsgrep-index (pid $first; lock file '$DBX/lock')" "$err"
expect_rc 75 "$NEWSGREP_INDEX" --db "$DBX" --rebuild
expect_rc 0 "$NEWSGREP" --db "$DBX" -c '*'
kill -CONT $first
wait $first || die "the first indexer failed after it was continued"
expect_eq "$after" "$(docs "$DBX")" "first indexer finished"

# Searching while the index is rebuilt and updated: every search succeeds
# and sees a whole committed state.
mkdir -p "$TMP/big"
for i in $(seq 1 40); do
	mkdir "$TMP/big/$i"
	cp "$CORPUS"/seeds/*.txt "$CORPUS"/ai/*.md "$TMP/big/$i/"
done
BIG=$TMP/big-db
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$BIG" "$TMP/big"
expect_rc 0 "$NEWSGREP" --db "$BIG" --all-duplicates -c title:sanctions
want=$out
expect_eq 120 "$want" "matches before"

search_while() { # search_while PID: searches until PID exits
	local searches=0
	while kill -0 "$1" 2>/dev/null; do
		run "$NEWSGREP" --db "$BIG" --all-duplicates -c title:sanctions
		[[ $rc == 0 && $out == "$want" ]] || die "search during a write: exit $rc, count '$out': $err"
		searches=$((searches + 1))
	done
	wait "$1" || die "indexer failed"
	echo "$searches searches while it ran"
	checks=$((checks + 1))
}
"$NEWSGREP_INDEX" -q --batch 50 --db "$BIG" --rebuild &
search_while $!
# Change every AI article (not the seeds the query finds), 50 per commit.
for f in "$TMP"/big/*/20*.md; do echo "updated" >>"$f"; done
"$NEWSGREP_INDEX" -q --batch 50 --db "$BIG" &
search_while $!
expect_rc 0 "$NEWSGREP_INDEX" --db "$BIG"
expect_match "^newsgrep-index: 0 added, 0 updated, 0 deleted, 720 unchanged" "$out"
"$NEWSGREP_INDEX" -q --db "$BIG" --compact &
search_while $!

done_testing
