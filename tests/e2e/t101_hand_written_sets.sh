#!/usr/bin/env bash
# A stub that joins several databases by hand -- local ones, another
# index's, remote servers -- is refused by every command, --rebuild DIR
# included, and nothing is written: no rebuild of the folders named that
# sweeps the other members away (a rebuild mends a stub of one foreign line,
# t90).  Several indexes are searched as one with --db A --db B, never
# through a hand-edited stub.
. "$(dirname "$0")/lib.sh"

A=$TMP/a B=$TMP/b S=$TMP/set
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$A" "$CORPUS/seeds"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$B" "$CORPUS/ai"
# A set by hand: A's database and a copy of B's in one folder, both named.
cp -a "$A" "$S"
cp -a "$B/$(sed 's/^auto //' "$B/XAPIANDB")" "$S/db.7"

# snapshot: every file of the three folders, with its checksum.
snapshot() { (cd "$TMP" && find a b set -type f ! -name lock -print0 | sort -z | xargs -0 md5sum); }

stubs=(
	"auto db.1\nauto db.7\n"
	"# two archives\nauto db.1\n\nglass db.7\n"
	"auto db.1\nauto $B/db.1\n"
	"auto db.1\nremote 127.0.0.1:7001\n"
	"remote 127.0.0.1:7001\nremote 127.0.0.1:7002\n"
)
for stub in "${stubs[@]}"; do
	# shellcheck disable=SC2059 # the stubs are formats: \n
	printf "$stub" >"$S/XAPIANDB"
	before=$(snapshot)
	for cmd in "" "$CORPUS/seeds" "--rebuild" "--rebuild $CORPUS/seeds" "--compact" "--status" \
		"--check" "--forget $CORPUS/seeds"; do
		# shellcheck disable=SC2086 # cmd is words
		expect_rc 2 "$NEWSGREP_INDEX" -q --db "$S" $cmd
		expect_match "^newsgrep-index: .*index at '$S' is damaged: '$S/XAPIANDB' line [12]: .*: it joins databases by hand, which newsgrep neither reads nor rewrites: search several indexes as one with newsgrep --db A --db B" "$err" \
			"newsgrep-index $cmd on the stub '$stub'"
		expect_eq "$before" "$(snapshot)" "files after newsgrep-index $cmd on the stub '$stub'"
	done
	expect_rc 2 "$NEWSGREP" --db "$S" gpu
	expect_match "^newsgrep: index at '$S' is damaged: '$S/XAPIANDB' line [12]: " "$err" \
		"a search on the stub '$stub'"
	expect_eq "$before" "$(snapshot)" "files after a search on the stub '$stub'"
done

# The members themselves are untouched and whole.
expect_rc 0 "$NEWSGREP" --db "$A" -c '*'
expect_rc 0 "$NEWSGREP" --db "$B" -c '*'
echo "ok: $checks checks"
