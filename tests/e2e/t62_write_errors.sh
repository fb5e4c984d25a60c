#!/usr/bin/env bash
# Output that cannot be written (a full disk: /dev/full) is an error, exit
# status 2, in both programs and whatever they were printing.
. "$(dirname "$0")/lib.sh"
[[ -c /dev/full && -w /dev/full ]] || die "this test needs /dev/full"
index_corpus
full() { "$@" >/dev/full; }
ENOSPC="cannot write to standard output: No space left on device"

for args in --help --version "chips" "--json chips" "--json -n all *" "-l chips" "-c chips" \
	"--facet year chips" "--format {title} chips" "--explain chips" "--explain --json chips"; do
	# shellcheck disable=SC2086 # the words of $args are the arguments
	expect_rc 2 full "$NEWSGREP" --db "$DB" $args
	expect_eq "newsgrep: $ENOSPC" "$err" "newsgrep $args >/dev/full"
done
# Nothing to print is no write error.
expect_rc 1 full "$NEWSGREP" --db "$DB" zzqxv
expect_eq "" "$err" "nothing printed"

for args in --help --version --status; do
	expect_rc 2 full "$NEWSGREP_INDEX" --db "$DB" $args
	expect_eq "newsgrep-index: $ENOSPC" "$err" "newsgrep-index $args >/dev/full"
done
# The summary of a run that indexed: the index is built, the status says
# the summary was lost.
expect_rc 2 full "$NEWSGREP_INDEX" --db "$TMP/db" "$CORPUS/seeds"
expect_eq "newsgrep-index: $ENOSPC" "$err" "newsgrep-index DIR >/dev/full"
expect_eq 5 "$("$NEWSGREP" --db "$TMP/db" -c '*')" "indexed all the same"
expect_rc 0 full "$NEWSGREP_INDEX" -q --db "$TMP/db" "$CORPUS/seeds"
expect_eq "" "$err" "-q prints nothing"

done_testing
