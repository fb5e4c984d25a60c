#!/usr/bin/env bash
# Option words both programs refuse before getopt misreads them: a query that
# starts with an excluded word (-huawei is not -h -u -a ...), unknown and
# ambiguous options, missing values; one line and a pointer to --help.
. "$(dirname "$0")/lib.sh"
index_corpus
TRY="Try 'newsgrep --help' for more information."
ITRY="Try 'newsgrep-index --help' for more information."
HINT="to exclude a word, start the query after --"

# A leading -word is not a bundle of options, even one starting with -h.
expect_rc 2 "$NEWSGREP" -huawei chips
expect_eq "" "$out" "no help on stdout"
expect_eq "newsgrep: unknown option '-u' in '-huawei'; $HINT: newsgrep -- -huawei chips
$TRY" "$err"
expect_rc 2 "$NEWSGREP" --db "$DB" -china 'sanctions GPU'
expect_eq "newsgrep: unknown option '-i' in '-china'; $HINT: newsgrep --db $DB -- -china 'sanctions GPU'
$TRY" "$err"
expect_rc 2 "$NEWSGREP" -x chips
expect_eq "newsgrep: unknown option '-x'; $HINT: newsgrep -- -x chips
$TRY" "$err"
expect_rc 2 "$NEWSGREP" -éclair
expect_eq "newsgrep: unknown option '-é' in '-éclair'; $HINT: newsgrep -- -éclair
$TRY" "$err"
# -n takes a number: -nvidia is no limit.
expect_rc 2 "$NEWSGREP" -nvidia chips
expect_eq "newsgrep: unknown option '-nvidia' (-n takes a number, as in -n5); $HINT: newsgrep -- -nvidia chips
$TRY" "$err"
# -h and -V only alone; known options still bundle.
expect_rc 2 "$NEWSGREP" -ch chips
expect_eq "newsgrep: option '-h' goes alone, not in '-ch'; $HINT: newsgrep -- -ch chips
$TRY" "$err"
expect_rc 2 "$NEWSGREP" -Vl chips
expect_eq "newsgrep: option '-V' goes alone, not in '-Vl'; $HINT: newsgrep -- -Vl chips
$TRY" "$err"
expect_eq 2 "$("$NEWSGREP" --db "$DB" -l0n2 chips | tr -cd '\0' | wc -c)" "-l0n2: two paths"

# After --, the query may start with -word, and even look like an option.
expect_rc 0 "$NEWSGREP" --db "$DB" -l -- -huawei chips
expect_eq "$(hits "$DB" 'chips -huawei')" "$(rel <<<"$out")" "-- -huawei chips"
[[ -n $out ]] || die "-- -huawei chips found nothing"
expect_rc 0 "$NEWSGREP" --db "$DB" -l -- -c chips
expect_eq "$(hits "$DB" 'chips -c')" "$(rel <<<"$out")" "-- -c chips"
# ... without --, an option after the query is still refused.
expect_rc 2 "$NEWSGREP" --db "$DB" chips -c
expect_eq "newsgrep: -c: options go before the query words" "$err"

# Help only for -h and --help, on stdout.
expect_rc 0 "$NEWSGREP" -h
expect_match "^usage: newsgrep " "$out"
expect_eq "" "$err" "-h: stderr"
expect_rc 0 "$NEWSGREP" --help
expect_match "^usage: newsgrep " "$out"

# Long options: unknown, ambiguous, values missing or not wanted.
expect_rc 2 "$NEWSGREP" --huawei chips
expect_eq "newsgrep: unknown option '--huawei'
$TRY" "$err"
expect_rc 2 "$NEWSGREP" --s newest chips
expect_eq "newsgrep: option '--s' is ambiguous: --since --sort --show
$TRY" "$err"
expect_rc 0 "$NEWSGREP" --db "$DB" --colo=never -n1 chips # color and colour: one option
expect_rc 2 "$NEWSGREP" --json=yes chips
expect_eq "newsgrep: option '--json' takes no value
$TRY" "$err"
expect_rc 2 "$NEWSGREP" chips --db
expect_eq "newsgrep: --db: options go before the query words" "$err"
expect_rc 2 "$NEWSGREP" --db
expect_eq "newsgrep: option '--db' needs a value
$TRY" "$err"
expect_rc 2 "$NEWSGREP" -n
expect_eq "newsgrep: option '-n' needs a value
$TRY" "$err"
expect_rc 2 "$NEWSGREP" --db "$DB"
expect_eq "newsgrep: no query given (try '*' for every article)
$TRY" "$err"
# A value that looks like an option is still a value.
expect_rc 0 "$NEWSGREP" --db "$DB" --format -huawei -n1 chips
expect_eq "-huawei" "$out" "--format -huawei"

# newsgrep-index: the same rules, and no full help on a mistake.
expect_rc 2 "$NEWSGREP_INDEX" -huawei
expect_eq "" "$out" "newsgrep-index: no help on stdout"
expect_eq "newsgrep-index: unknown option '-u' in '-huawei'
$ITRY" "$err"
expect_rc 2 "$NEWSGREP_INDEX" --bogus "$CORPUS"
expect_eq "newsgrep-index: unknown option '--bogus'
$ITRY" "$err"
expect_rc 2 "$NEWSGREP_INDEX" "$CORPUS" -x
expect_eq "newsgrep-index: unknown option '-x'
$ITRY" "$err"
expect_rc 2 "$NEWSGREP_INDEX" -jobs 2
expect_eq "newsgrep-index: unknown option '-jobs' (-j takes a number, as in -j5)
$ITRY" "$err"
expect_rc 2 "$NEWSGREP_INDEX" -qh
expect_eq "newsgrep-index: option '-h' goes alone, not in '-qh'
$ITRY" "$err"
expect_rc 2 "$NEWSGREP_INDEX" --db
expect_eq "newsgrep-index: option '--db' needs a value
$ITRY" "$err"
expect_rc 2 "$NEWSGREP_INDEX" --status=yes
expect_eq "newsgrep-index: option '--status' takes no value
$ITRY" "$err"
expect_rc 0 "$NEWSGREP_INDEX" -h
expect_match "^usage: newsgrep-index " "$out"
# Options after the folders still count (newsgrep-index permutes).
expect_rc 0 "$NEWSGREP_INDEX" --db "$TMP/idx" "$CORPUS/seeds" -q
expect_eq "" "$out" "-q after the folder"

done_testing
