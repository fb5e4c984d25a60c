#!/usr/bin/env bash
# A build that runs out of disk keeps what it committed as a usable index,
# leaves no partial database behind, exits 2 saying how much space it
# needed (an estimate) and how much is free, and a next run with more
# space reads only the rest. A rebuild that runs out leaves the old index.
#
# The small disk is the test hook NEWSGREP_TEST_DISK_BYTES (in
# newsgrep-index-hooks only): the index folder's files may take that many
# bytes in all, and Xapian's writes past it fail with ENOSPC. No root is
# needed. As root, a real small tmpfs is tried too.
. "$(dirname "$0")/lib.sh"
: "${NEWSGREP_INDEX_HOOKS:?}"
# Xapian leaks what a merge that fails had allocated (not newsgrep's).
export LSAN_OPTIONS=suppressions=$SRC/tests/suppressions/xapian-compact.lsan:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}

# The whole corpus, for the counts below.
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$TMP/whole" "$CORPUS"
total=$(doc_count "$TMP/whole")
((total > 20)) || die "the corpus has $total articles"

# small BYTES CMD-ARGS...: newsgrep-index-hooks with segments of 4 files, on a
# disk of BYTES bytes.
small() {
	local bytes=$1
	shift
	run env NEWSGREP_TEST_SEGMENT_FILES=4 NEWSGREP_TEST_DISK_BYTES="$bytes" \
		"$NEWSGREP_INDEX_HOOKS" "$@"
}

# only_db DB: the index folder holds its stub, its lock and the one database
# the stub names, nothing left over.
only_db() {
	local stub
	stub=$(cat "$1/XAPIANDB") || die "no stub in $1"
	expect_eq "$(printf '%s\n' XAPIANDB "${stub#auto }" lock | sort)" "$(ls "$1" | sort)" \
		"the files of $1"
}

# searchable DB N: newsgrep finds the N articles of DB, all of the corpus.
searchable() {
	local paths
	paths=$("$NEWSGREP" --db "$1" -l --all-duplicates '*' | sort)
	expect_eq "$2" "$(grep -c . <<<"$paths")" "articles newsgrep finds in $1"
	expect_eq "" "$(grep -v "^$CORPUS/" <<<"$paths")" "paths outside the corpus"
}

full_re="^newsgrep-index: index at '([^']*)': the disk is full: "
size_re="[0-9.]+ [kMG]B"

# A first build on two threads whose merge does not fit: the segments it
# committed are merged as far as the space goes, and that is the index.
small 1000000 -q -j2 --db "$TMP/db" "$CORPUS"
expect_status 2 "exit status of a build on a full disk"
expect_match "${full_re}the ([0-9]+) articles committed so far are kept as the index \(a next run with more space reads only the rest\); a first build of its folders needs about ($size_re) free \(an estimate: about $size_re for the segments of its $total files, then as much again while they are merged\); $size_re free$" "$err" "message"
expect_eq "$TMP/db" "${BASH_REMATCH[1]}" "the index folder named"
kept=${BASH_REMATCH[2]}
needed=${BASH_REMATCH[3]}
((kept > 0 && kept < total)) || die "kept $kept of $total articles"
expect_eq "$kept" "$(doc_count "$TMP/db")" "articles in the index after the full disk"
only_db "$TMP/db"
searchable "$TMP/db" "$kept"
# It needed more than the disk it failed on had.
[[ $needed == *MB ]] && awk -v n="${needed% MB}" 'BEGIN { exit !(n > 1.0) }' ||
	die "estimated $needed for a build that did not fit in 1.0 MB"
checks=$((checks + 1))

# With more space, a next run reads only the rest.
expect_rc 0 "$NEWSGREP_INDEX" --db "$TMP/db"
expect_match "^newsgrep-index: $((total - kept)) added, 0 updated, 0 deleted, $kept unchanged, 0 skipped in " "$out" "summary of the next run"
expect_eq "$total" "$(doc_count "$TMP/db")" "articles after the next run"
only_db "$TMP/db"
searchable "$TMP/db" "$total"

# A disk that fills up while the segments are written: the threads stop,
# and what fits of what they committed is kept (maybe nothing).
rm -rf "$TMP/db"
small 600000 -q -j2 --db "$TMP/db" "$CORPUS"
if [[ $rc == 134 && $err == "terminate called without an active exception" ]]; then
	# Xapian 1.4 itself sometimes calls std::terminate when a write of a
	# segment's commit fails (seen about once in 150 runs, under ASan, with
	# two threads).  Then the index must be as after a kill: a next run
	# with room finishes it and leaves nothing behind.
	echo "note: Xapian aborted the build on the full disk; checking the index as after a kill" >&2
	expect_rc 0 "$NEWSGREP_INDEX" -q --db "$TMP/db" "$CORPUS"
else
	expect_status 2 "exit status of a build that fills the disk"
	expect_match "${full_re}(the ([0-9]+) articles committed so far are kept as the index \(a next run with more space reads only the rest\)|no article could be kept \(a next run with more space starts again\)); a first build of its folders needs (about|more than) $size_re free \(.*\); $size_re free$" "$err" "message"
	kept=${BASH_REMATCH[3]:-0}
	expect_eq "$kept" "$(doc_count "$TMP/db")" "articles kept"
	only_db "$TMP/db"
	expect_rc 0 "$NEWSGREP_INDEX" --db "$TMP/db"
	expect_match "^newsgrep-index: $((total - kept)) added, 0 updated, 0 deleted, $kept unchanged, " "$out" "summary of the next run"
fi
expect_eq "$total" "$(doc_count "$TMP/db")" "articles after the next run"

# A rebuild that does not fit leaves the old index as it was, and nothing
# of its own.
only_db "$TMP/db"
live=$(cat "$TMP/db/XAPIANDB")
small 1000000 -q -j2 --db "$TMP/db" --rebuild
expect_status 2 "exit status of a rebuild on a full disk"
expect_match "${full_re}the old index is left as it was; a rebuild of its folders needs (about|more than) $size_re free \(.*\); $size_re free$" "$err" "message"
only_db "$TMP/db"
expect_eq "$live" "$(cat "$TMP/db/XAPIANDB")" "the stub after the rebuild"
expect_eq "$total" "$(doc_count "$TMP/db")" "articles after the rebuild"
searchable "$TMP/db" "$total"

# One thread writing in place, committing every 3 files: the batches
# committed are the index.
rm -rf "$TMP/db"
small 300000 -q -j1 --batch 3 --db "$TMP/db" "$CORPUS"
expect_status 2 "exit status of an in-place build on a full disk"
expect_match "${full_re}what was committed is kept, ([0-9]+) articles in all \(a next run with more space goes on from there\); it needs about $size_re more \(an estimate from the $size_re written for [0-9]+ of its $total files\); $size_re free$" "$err" "message"
kept=${BASH_REMATCH[2]}
((kept > 0 && kept < total)) || die "kept $kept of $total articles"
expect_eq "$kept" "$(doc_count "$TMP/db")" "articles kept"
only_db "$TMP/db"
searchable "$TMP/db" "$kept"
expect_rc 0 "$NEWSGREP_INDEX" --db "$TMP/db"
expect_match "^newsgrep-index: $((total - kept)) added, 0 updated, 0 deleted, $kept unchanged, " "$out" "summary of the next run"

# A disk too small for the new index's first commit: no database is left,
# and a later run makes the index.
rm -rf "$TMP/db"
small 1000 -q --db "$TMP/db" "$CORPUS"
expect_status 2 "exit status of a build with no room for a database"
expect_match "${full_re}cannot commit to a new database; $size_re free$" "$err" "message"
expect_eq "lock" "$(ls "$TMP/db")" "the index folder after it"
# Room for that, none for an article: the estimate goes by the files.
small 20000 -q -j2 --db "$TMP/db" "$CORPUS"
expect_status 2 "exit status of a build with no room for an article"
expect_match "${full_re}no article could be kept \(a next run with more space starts again\); a first build of its folders needs more than $size_re free \(a rough estimate: its $total files take $size_re, an index about as much, and merging it as much again\); $size_re free$" "$err" "message"
only_db "$TMP/db"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$TMP/db" "$CORPUS"
expect_eq "$total" "$(doc_count "$TMP/db")" "articles after the next run"

# A real full disk: a 1 MB tmpfs, when this runs as root and may mount.
mnt=$TMP/tmpfs
mkdir -p "$mnt"
if [[ $(id -u) != 0 ]]; then
	echo "t95_disk_full: skipping the tmpfs part: not root (the hook's part ran)"
elif ! mount -t tmpfs -o size=1m tmpfs "$mnt" 2>"$TMP/mount.err"; then
	echo "t95_disk_full: skipping the tmpfs part: cannot mount a tmpfs ($(cat "$TMP/mount.err"))"
else
	at_exit 'umount "$mnt"'
	run env NEWSGREP_TEST_SEGMENT_FILES=4 "$NEWSGREP_INDEX_HOOKS" -q -j2 --db "$mnt/db" "$CORPUS"
	expect_status 2 "exit status on a full tmpfs"
	expect_match "${full_re}.*; a first build of its folders needs (about|more than) $size_re free \(.*\); $size_re free$" "$err" "message on a full tmpfs"
	expect_eq "$mnt/db" "${BASH_REMATCH[1]}" "the index folder named"
	kept=$(doc_count "$mnt/db")
	only_db "$mnt/db"
	# More space: the same disk, grown.
	mount -o remount,size=4m "$mnt"
	expect_rc 0 "$NEWSGREP_INDEX" --db "$mnt/db"
	expect_match "^newsgrep-index: $((total - kept)) added, 0 updated, 0 deleted, $kept unchanged, " "$out" "summary of the next run"
	expect_eq "$total" "$(doc_count "$mnt/db")" "articles after the next run"
fi
done_testing
