#!/usr/bin/env bash
# Exactly once across crashes of newsgrep-watch run itself: the run killed
# (SIGKILL) at each of its writing steps, to standard output and to Atom
# feeds.  Whatever it wrote before it died, the next run delivers all of it
# again, as a run without a crash delivers it (nothing is recorded until
# the last step, one commit), and the run after that has nothing new; a
# feed is always the old one or the new one, never a part, and ends as
# without the crash.
#
# The test copy newsgrep-watch-hooks dies at the N-th step of its own
# (NEWSGREP_TEST_PROGRAM_KILL_AT, cli/killstep.c: before each hit printed,
# and before each step of replacing a feed: create, write, fsync, rename,
# folder sync) or of the index's (NEWSGREP_TEST_KILL_AT, core/testhooks.c:
# before each watch's record is written and before the commit).
. "$(dirname "$0")/lib.sh"
: "${NEWSGREP_WATCH_HOOKS:?}"
WATCH=$NEWSGREP_WATCH_HOOKS
export LC_ALL=C
have_xmllint=0
command -v xmllint >/dev/null && have_xmllint=1

W=$TMP/news
mkdir -p "$W/a"
cp "$CORPUS"/seeds/*.txt "$W/a/"

# article FILE TITLE URL DATE
article() {
	printf -- '---\ntitle: "%s"\nexcerpt: "%s, chips and sanctions."\noriginalUrl: "%s"\npublishedDateTime: %s\n---\n' \
		"$2" "$2" "$3" "$4" >"$W/$1"
}

# The state before the run under test: watches that ran once (their feeds
# hold entries), then an update with new articles.
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$TMP/db" "$W"
expect_rc 0 "$WATCH" --db "$TMP/db" add all '*'
expect_rc 0 "$WATCH" --db "$TMP/db" add chips chips
expect_rc 0 "$WATCH" --db "$TMP/db" add none zebrafinch
article a/early.md "An early story on chips" https://example.com/early 2024-05-01T08:00:00Z
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$TMP/db" "$W"
cp -a "$TMP/db" "$TMP/db-atom"
mkdir "$TMP/feeds"
run "$WATCH" --db "$TMP/db" run -q
[[ $rc == 0 ]] || die "the first run: exit $rc: $err"
run "$WATCH" --db "$TMP/db-atom" run -q --atom "$TMP/feeds"
[[ $rc == 0 ]] || die "the first run to feeds: exit $rc: $err"
mkdir "$W/b"
for i in 1 2 3; do
	article "b/new$i.md" "Fresh story $i" "https://example.com/fresh/$i" "2024-0$i-01T08:00:00Z"
done
article b/old.md "An old story found late" https://example.com/late 1999-03-04T05:06:07Z
cp "$CORPUS"/powerapps/2023-1*.md "$W/b/"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$TMP/db" "$W"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$TMP/db-atom" "$W"
mkdir "$TMP/snapshot"
cp -a "$TMP/db" "$TMP/db-atom" "$TMP/feeds" "$TMP/snapshot/"

restore() {
	rm -rf "$TMP/db" "$TMP/db-atom" "$TMP/feeds"
	cp -a "$TMP/snapshot/db" "$TMP/snapshot/db-atom" "$TMP/snapshot/feeds" "$TMP/"
}
to_stdout() { run "$WATCH" --db "$TMP/db" run --json; }
to_feeds() { run "$WATCH" --db "$TMP/db-atom" run --atom "$TMP/feeds"; }
# feeds: each feed's entries (id, updated, title), the feed's own <updated>
# (the time of its run) left out.
feeds() {
	python3 - "$TMP/feeds" <<'PY'
import os, sys
import xml.etree.ElementTree as ET
A = "{http://www.w3.org/2005/Atom}"
d = sys.argv[1]
for name in sorted(os.listdir(d)):
    print("==", name)
    if not name.endswith(".atom"):
        continue
    for e in ET.parse(os.path.join(d, name)).getroot().findall(A + "entry"):
        print(e.find(A + "id").text, e.find(A + "updated").text, e.find(A + "title").text)
PY
}
# whole_feeds: each feed is XML and an Atom feed, never a part of one.
whole_feeds() {
	local f
	((have_xmllint)) || return 0
	for f in "$TMP"/feeds/*.atom; do
		xmllint --noout --relaxng "$SRC/tests/fixtures/atom/atom.rng" "$f" 2>"$TMP/xmllint.err" ||
			die "$1: $f is not a whole feed: $(cat "$TMP/xmllint.err")"
	done
}

# The reference: the run without a crash.
restore
to_stdout
[[ $rc == 0 ]] || die "the reference run: exit $rc: $err"
want_stdout=$out
hits=$(grep -c '"type":"hit"' <<<"$want_stdout")
[[ $hits -ge 8 ]] || die "the update brought too few articles ($hits): $want_stdout"
to_feeds
[[ $rc == 0 ]] || die "the reference run to feeds: exit $rc: $err"
want_feeds_out=$out
want_feeds=$(feeds)
[[ $(grep -c fresh <<<"$want_feeds") == 6 ]] ||
	die "the new articles are not in the feeds of all and chips: $want_feeds"

# kill_loop VARIABLE OUTPUT: kills the run (to_stdout or to_feeds) at step
# 1, 2, ... of the steps VARIABLE counts, until a run ends by itself; each
# time, checks what the killed run left and the two runs after it.
kill_loop() {
	local var=$1 output=$2 n=0 killed_out
	while :; do
		n=$((n + 1))
		restore
		if [[ $output == stdout ]]; then
			out=$(env "$var=$n" "$WATCH" --db "$TMP/db" run --json 2>"$TMP/stderr")
		else
			out=$(env "$var=$n" "$WATCH" --db "$TMP/db-atom" run --atom "$TMP/feeds" 2>"$TMP/stderr")
		fi
		rc=$?
		killed_out=$out
		if [[ $rc == 0 ]]; then
			# Past the last step: the run as without a crash.
			[[ $output == stdout ]] && expect_eq "$want_stdout" "$out" "$var=$n, not killed"
			[[ $output == feeds ]] && expect_eq "$want_feeds" "$(feeds)" "$var=$n, not killed"
			break
		fi
		[[ $rc == 137 ]] || die "$var=$n: exit $rc: $(cat "$TMP/stderr")"
		# What it printed, it printed as the whole run does.
		local want=$want_stdout
		[[ $output == feeds ]] && want=$want_feeds_out && whole_feeds "$var=$n, killed"
		[[ $want == "$killed_out"* ]] ||
			die "$var=$n: the killed run printed what the run does not: $killed_out"
		# The next run delivers everything again, as without the crash.
		if [[ $output == stdout ]]; then
			to_stdout
			expect_status 0 "$var=$n: the run after the crash"
			expect_eq "$want_stdout" "$out" "$var=$n: the run after the crash"
		else
			to_feeds
			expect_status 0 "$var=$n: the run after the crash"
			expect_eq "$want_feeds_out" "$out" "$var=$n: the run after the crash"
			expect_eq "$want_feeds" "$(feeds)" "$var=$n: the feeds after the crash"
			whole_feeds "$var=$n, after"
		fi
		# And then nothing is new.
		if [[ $output == stdout ]]; then
			to_stdout
		else
			to_feeds
			expect_eq "$want_feeds" "$(feeds)" "$var=$n: the feeds of the run after"
		fi
		expect_status 1 "$var=$n: the second run after the crash: nothing new"
	done
	[[ $n -ge $3 ]] || die "$var, $output: only $((n - 1)) steps: the kill points were not reached"
	echo "$output: killed at each of $((n - 1)) steps of $var"
}

# The program's steps: each hit printed; each feed's replacement.
kill_loop NEWSGREP_TEST_PROGRAM_KILL_AT stdout "$hits"
kill_loop NEWSGREP_TEST_PROGRAM_KILL_AT feeds 10
# The index's steps: the watches' records and the commit.
kill_loop NEWSGREP_TEST_KILL_AT stdout 4
kill_loop NEWSGREP_TEST_KILL_AT feeds 4

done_testing
