#!/usr/bin/env bash
# The test hooks (NEWSGREP_TEST_KILL_AT and the like) are only in the test
# copy of newsgrep-index: the shipped programs and library ignore the
# variables, and do not even name them.
. "$(dirname "$0")/lib.sh"
: "${NEWSGREP_INDEX_HOOKS:?}" "${NEWSGREP_LIBRARY:?}"
seeds=$(ls "$CORPUS"/seeds/*.txt | wc -l)

# The shipped indexer indexes everything, unkilled.
NEWSGREP_TEST_KILL_AT=1 NEWSGREP_TEST_KILL_SIGNAL=9 expect_rc 0 "$NEWSGREP_INDEX" --db "$TMP/db" "$CORPUS/seeds"
expect_match "^newsgrep-index: $seeds added, " "$out" "summary"
expect_eq "$seeds" "$(doc_count "$TMP/db")" "documents"
NEWSGREP_TEST_KILL_AT=1 expect_rc 0 "$NEWSGREP_INDEX" -q --db "$TMP/db" --rebuild
NEWSGREP_TEST_KILL_AT=1 expect_rc 0 "$NEWSGREP_INDEX" -q --db "$TMP/db" --compact
expect_eq "$seeds" "$(doc_count "$TMP/db")" "documents after --rebuild and --compact"

# The test copy is killed at the first step that writes (so the test above
# would see a kill switch, were there one).
NEWSGREP_TEST_KILL_AT=1 expect_rc 137 "$NEWSGREP_INDEX_HOOKS" -q --db "$TMP/db2" "$CORPUS/seeds"

# No NEWSGREP_TEST_ string in what is installed.
for f in "$NEWSGREP" "$NEWSGREP_INDEX" "$NEWSGREP_LIBRARY"; do
	if grep -aq NEWSGREP_TEST_ "$f"; then
		die "${f##*/} names a test hook: $(grep -ao 'NEWSGREP_TEST_[A-Z_]*' "$f" | sort -u)"
	fi
	checks=$((checks + 1))
done
grep -aq NEWSGREP_TEST_KILL_AT "$NEWSGREP_INDEX_HOOKS" || die "the test copy has no hooks"

done_testing
