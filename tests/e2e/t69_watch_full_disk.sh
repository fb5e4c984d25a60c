#!/usr/bin/env bash
# newsgrep-watch run on a real full disk (a small tmpfs, mounted in a
# mount namespace of the test's own): a feed that cannot be written, in
# part or at all, standard output to a full disk, and an index that cannot
# take the watches' records.  Each time the run says so (the file and "No
# space left on device") and exits 2; the old feed stays byte for byte, no
# temporary file is left, the watch is not advanced, and once there is room
# again the next run delivers the same articles and records them.
#
# Needs `unshare -rm` (user and mount namespaces); skipped (77) without.
if [[ -z ${NEWSGREP_TEST_IN_NAMESPACE:-} ]]; then
	if ! unshare -rm true 2>/dev/null; then
		echo "skipped: cannot mount a small disk (unshare -rm fails here)"
		exit 77
	fi
	NEWSGREP_TEST_IN_NAMESPACE=1 exec unshare -rm bash "$0" "$@"
fi
. "$(dirname "$0")/lib.sh"
: "${NEWSGREP_WATCH:?}"
WATCH=$NEWSGREP_WATCH
export LC_ALL=C

DISK=$TMP/disk
mkdir -p "$DISK" "$TMP/news/a"
mount -t tmpfs -o size=4m tmpfs "$DISK" || die "cannot mount a tmpfs in the namespace"
cp "$CORPUS"/seeds/*.txt "$TMP/news/a/"

# fill [BYTES]: fills the disk, or leaves BYTES of it free.
fill() {
	rm -f "$DISK/filler" "$DISK/filler2"
	dd if=/dev/zero of="$DISK/filler" bs=4k 2>/dev/null
	[[ -z ${1:-} ]] && return
	# Give back BYTES (whole pages: tmpfs counts pages).
	truncate -s "-$1" "$DISK/filler" || die "cannot give back $1 bytes"
}
room() { rm -f "$DISK/filler" "$DISK/filler2"; }
# same_again WHAT: the watch `all` was not advanced: it delivers all $want.
same_again() {
	run "$WATCH" --db "$DB" run --json all
	expect_status 0 "$1: the next run"
	expect_eq "$want" "$(grep -c '"type":"hit"' <<<"$out")" "$1: the next run delivers again"
}

# An index outside the small disk, a watch that delivered once to its feed.
DB=$TMP/db
FEEDS=$DISK/feeds
mkdir "$FEEDS"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$DB" "$TMP/news"
expect_rc 0 "$WATCH" --db "$DB" add all '*'
printf -- '---\ntitle: "First"\nexcerpt: "The first."\noriginalUrl: "https://example.com/first"\npublishedDateTime: 2024-01-01T00:00:00Z\n---\n' >"$TMP/news/a/first.md"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$DB" "$TMP/news"
expect_rc 0 "$WATCH" --db "$DB" run -q --atom "$FEEDS"
cp "$FEEDS/all.atom" "$TMP/old.atom"

# Then many new articles, so that the new feed is larger than the room
# left in the second case.
mkdir "$TMP/news/b"
cp "$CORPUS"/ai/*.md "$CORPUS"/powerapps/*.md "$TMP/news/b/"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$DB" "$TMP/news"
cp -a "$DB" "$TMP/db-before"
# What the run delivers: a run on a copy.
cp -a "$DB" "$TMP/db-copy"
run "$WATCH" --db "$TMP/db-copy" run --json all
want=$(grep -c '"type":"hit"' <<<"$out")
[[ $want -ge 20 ]] || die "too few new articles: $want"

# feed_fails WHAT: the run to the feed fails for want of room.
feed_fails() {
	run "$WATCH" --db "$DB" run --atom "$FEEDS"
	expect_status 2 "$1"
	[[ $err == *"$FEEDS/all.atom"*"No space left on device"* ]] ||
		die "$1: the error does not say which feed and why: $err"
	[[ $err == *"watch 'all' is not recorded"* ]] || die "$1: does not say 'not recorded': $err"
	cmp -s "$TMP/old.atom" "$FEEDS/all.atom" || die "$1: the old feed was changed"
	[[ ! -e $FEEDS/all.atom.tmp ]] || die "$1: the temporary file was left"
	checks=$((checks + 3))
}

# The disk full: the temporary file is made, not one byte written.
fill
feed_fails "a full disk"
# Room for a part of the feed (it is more than 16 KiB): cut while written.
fill 8192
[[ $(stat -c %s "$TMP/old.atom") -lt 8192 ]] || die "the old feed does not fit in the room"
feed_fails "a disk that fills while the feed is written"

# Standard output to a file on the full disk.
fill
out=$("$WATCH" --db "$DB" run --json all 2>"$TMP/stderr" >"$DISK/out")
rc=$?
err=$(cat "$TMP/stderr")
expect_status 2 "standard output to a full disk"
[[ $err == *"No space left on device"* && $err == *"not recorded"* ]] ||
	die "standard output to a full disk: $err"

# Room again: the same articles, to the feed, recorded once.
room
same_again "after the full disk"
run "$WATCH" --db "$DB" run --json all
expect_status 1 "the run after: nothing new"

# The index itself on the full disk: the records cannot be committed.
rm -rf "$DB"
cp -a "$TMP/db-before" "$DISK/db"
DB=$DISK/db
fill
run "$WATCH" --db "$DB" run --json all
expect_status 2 "the index on a full disk"
[[ $err == *"disk is full"*"what was delivered is not recorded"* ]] ||
	die "the index on a full disk: the error does not say so: $err"
[[ $(grep -c '"type":"hit"' <<<"$out") == "$want" ]] ||
	die "the index on a full disk: the articles were not printed: $out"
room
expect_rc 0 "$NEWSGREP_INDEX" --check --db "$DB"
same_again "after the index's full disk"
run "$WATCH" --db "$DB" run --json all
expect_status 1 "the run after the index's full disk: nothing new"

done_testing
