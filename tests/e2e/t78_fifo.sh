#!/usr/bin/env bash
# Nothing but a regular file is ever read: a pipe named .newsgrepignore, or
# named like an article, is reported and passed over, never opened for a
# read that would wait for a writer forever.  (A file swapped for a pipe
# between the scan and the read: tests/api/test_fifo.c.)  Each run has a
# timeout, so a hang fails the test instead of the suite.
. "$(dirname "$0")/lib.sh"

summary() { sed -E 's/^newsgrep-index: (.*) in [0-9.]+ s$/\1/' <<<"$out"; }

# A pipe as the root's ignore file: a warning, and the files are indexed.
R=$TMP/ignore
mkdir -p "$R"
cp "$CORPUS/seeds/000_21fff29c15f39abc.txt" "$R/a.md"
mkfifo "$R/.newsgrepignore"
expect_rc 0 timeout 20 "$NEWSGREP_INDEX" --db "$TMP/ignore-db" "$R"
expect_eq "$R/.newsgrepignore: warning: not a regular file" "$err" "pipe as .newsgrepignore"
expect_eq "1 added, 0 updated, 0 deleted, 0 unchanged, 0 skipped, 1 warning" "$(summary)"
# And on every update after.
expect_rc 0 timeout 20 "$NEWSGREP_INDEX" --db "$TMP/ignore-db"
expect_eq "$R/.newsgrepignore: warning: not a regular file" "$err" "pipe as .newsgrepignore, update"
expect_eq "0 added, 0 updated, 0 deleted, 1 unchanged, 0 skipped, 1 warning" "$(summary)"

# A pipe named like an article, and a link to it: skipped, each named.
R=$TMP/pipes
mkdir -p "$R"
cp "$CORPUS/seeds/000_21fff29c15f39abc.txt" "$R/a.md"
mkfifo "$R/x.md" "$R/pipe"
ln -s pipe "$R/y.md"
expect_rc 1 timeout 20 "$NEWSGREP_INDEX" --db "$TMP/pipes-db" "$R"
expect_eq "$R/x.md: not a regular file
$R/y.md: not a regular file" "$err" "pipes named like articles"
expect_eq "1 added, 0 updated, 0 deleted, 0 unchanged, 2 skipped" "$(summary)"
expect_eq "$R/a.md" "$("$NEWSGREP" --db "$TMP/pipes-db" -l '*')" "indexed"

# An article that becomes a pipe: reported, and the index keeps it.
rm "$R/x.md" "$R/y.md"
cp "$CORPUS/seeds/001_22cd2ad8bb3a4915.txt" "$R/b.md"
expect_rc 0 timeout 20 "$NEWSGREP_INDEX" -q --db "$TMP/pipes-db"
rm "$R/b.md" && mkfifo "$R/b.md"
expect_rc 1 timeout 20 "$NEWSGREP_INDEX" --db "$TMP/pipes-db"
expect_eq "$R/b.md: not a regular file" "$err" "an article become a pipe"
expect_eq "0 added, 0 updated, 0 deleted, 1 unchanged, 1 skipped" "$(summary)"
expect_eq "$R/a.md
$R/b.md" "$("$NEWSGREP" --db "$TMP/pipes-db" -l '*' | sort)" "its last version kept"

# A pipe named on the command line.
expect_rc 1 timeout 20 "$NEWSGREP_INDEX" --db "$TMP/named-db" "$R/b.md"
expect_eq "$R/b.md: not a regular file" "$err" "a pipe named"

done_testing
