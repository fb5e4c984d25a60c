#!/usr/bin/env bash
# The library from Python: examples/search.py (ctypes, standard library only)
# loads the built libnewsgrep.so.1 and must print what examples/search.c does.
#   NEWSGREP_LIBRARY  the shared library to load (not an ASan build: ctypes
#                     cannot load one into a python3 without the ASan runtime)
. "$(dirname "$0")/../e2e/lib.sh"
: "${NEWSGREP_LIBRARY:?}"
[[ -f $NEWSGREP_LIBRARY ]] || die "no library at $NEWSGREP_LIBRARY"
export NEWSGREP_LIBRARY
if [[ -x /usr/bin/python3 ]]; then PY=/usr/bin/python3; else PY=python3; fi
"$PY" -c 'import sys; sys.exit(sys.version_info < (3, 7))' || die "$PY is not Python >= 3.7"
# No bytecode left in the source tree.
export PYTHONDONTWRITEBYTECODE=1
EX=$SRC/examples/search.py

index_corpus
# The --format that prints what examples/search.c prints (dated hits).
want=$("$NEWSGREP" --db "$DB" --format '{date}  {title}\n    {path}' 'sanctions GPU')
expect_eq 3 "$(grep -c '^20' <<<"$want")" "hits to compare"

# Query words are joined with spaces, as one QUERY argument would be.
expect_rc 0 "$PY" "$EX" "$DB" sanctions GPU
expect_eq "$want" "$out" "search.py sanctions GPU"
expect_eq "" "$err" "stderr of search.py sanctions GPU"
expect_rc 0 "$PY" "$EX" "$DB" 'sanctions GPU'
expect_eq "$want" "$out" "search.py 'sanctions GPU'"

# Nothing found: no output at all and status 0, as examples/search.c.
expect_rc 0 "$PY" "$EX" "$DB" zzyzxqwv
expect_eq "" "$out" "stdout with no hits"
expect_eq "" "$err" "stderr with no hits"

# A bad query: the library's message, with where it is, from the handle.
expect_rc 2 "$PY" "$EX" "$DB" '('
expect_eq "" "$out" "stdout for a bad query"
expect_match "^search\.py: query:1:[0-9]+: " "$err" "bad query message"
[[ $(wc -l <<<"$err") == 1 ]] || die "bad query: more than one line on stderr: $err"

# No index: newsgrep_db_open's message names the path.
expect_rc 2 "$PY" "$EX" "$TMP/no-such-index" x
expect_eq "search.py: no index at '$TMP/no-such-index': run newsgrep-index DIR first" "$err"
expect_eq "" "$out" "stdout for a missing index"

# No query: usage.
expect_rc 2 "$PY" "$EX" "$DB"
expect_match "^usage: search\.py INDEX QUERY" "$err" "usage"

# A path that is not UTF-8 comes back byte for byte.
odd=$TMP/odd/$'caf\xe9'
mkdir -p "$odd" && cp "$SRC/$INTEL" "$odd/" || die "cannot copy an article"
"$NEWSGREP_INDEX" -q --db "$TMP/odd-db" "$TMP/odd" || die "indexing $TMP/odd failed"
want=$("$NEWSGREP" --db "$TMP/odd-db" --format '{date}  {title}\n    {path}' intel)
[[ $want == *$'caf\xe9/'* ]] || die "the CLI does not print the non-UTF-8 path: $want"
expect_rc 0 "$PY" "$EX" "$TMP/odd-db" intel
expect_eq "$want" "$out" "search.py with a non-UTF-8 path"

done_testing
