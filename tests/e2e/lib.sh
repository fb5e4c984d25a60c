# lib.sh - helpers for the end-to-end tests, sourced by each t*.sh.
#
# The environment (set by ctest) gives the binaries under test:
#   NEWSGREP, NEWSGREP_INDEX, NEWSGREP_SOURCE_DIR, NEWSGREP_TEST_TMP
# and NEWSGREP_WATCH; for the tests of test hooks, NEWSGREP_INDEX_HOOKS and
# NEWSGREP_WATCH_HOOKS (the programs with core/testhooks.c's and
# cli/killstep.c's hooks), NEWSGREP_LIBRARY (the shared library) and
# NEWSGREP_LISTING_FAULTS (tests/api/listing_faults.c, for t26).
# Each test fails fast with the line that failed; `ok` counts checks.

set -uo pipefail

: "${NEWSGREP:?}" "${NEWSGREP_INDEX:?}" "${NEWSGREP_SOURCE_DIR:?}" "${NEWSGREP_TEST_TMP:?}"
SRC=$NEWSGREP_SOURCE_DIR
CORPUS=$SRC/corpus
BROKEN=$SRC/tests/fixtures/broken
TMP=$NEWSGREP_TEST_TMP
rm -rf "$TMP" && mkdir -p "$TMP"
# Never touch the user's real index, whatever a test forgets to pass.
export NEWSGREP_DB=$TMP/default-db
export HOME=$TMP/home
checks=0

# at_exit CMD: CMD (a string, run with eval) is run when the test exits,
# however it exits: passing, failing (die), or killed by SIGINT, SIGTERM or
# SIGHUP (bash runs the EXIT trap then too). Helpers add theirs; the latest
# runs first. Use it, never trap EXIT directly: a second trap would replace
# the first.
at_exit_cmds=()
at_exit() {
	at_exit_cmds=("$1" "${at_exit_cmds[@]}")
	trap run_at_exit EXIT
}
run_at_exit() {
	local cmd
	for cmd in "${at_exit_cmds[@]}"; do
		eval "$cmd"
	done
}

die() {
	# Called from a helper (expect_*) or straight from the test.
	if ((${#BASH_SOURCE[@]} > 2)); then
		echo "FAIL (${BASH_SOURCE[2]##*/}:${BASH_LINENO[1]}): $*" >&2
	else
		echo "FAIL (${BASH_SOURCE[1]##*/}:${BASH_LINENO[0]}): $*" >&2
	fi
	exit 1
}

# run CMD...: runs it, keeping stdout in $out, stderr in $err, status in $rc.
run() {
	out=$("$@" 2>"$TMP/stderr")
	rc=$?
	err=$(cat "$TMP/stderr")
}

# expect_rc N CMD...: runs CMD and checks its exit status.
expect_rc() {
	local want=$1
	shift
	run "$@"
	[[ $rc == "$want" ]] || die "$* exited $rc, want $want; stderr: $err"
	checks=$((checks + 1))
}

# expect_status N [what]: the status of the last run is N; when it is not,
# its stderr is shown (a crash under the sanitizers reports there).
expect_status() {
	[[ $rc == "$1" ]] || die "${2:-exit status}: got $rc, want $1; stderr: $err"
	checks=$((checks + 1))
}

# expect_eq WANT GOT [what]
expect_eq() {
	[[ $2 == "$1" ]] || die "${3:-value}: got
---
$2
---
want
---
$1
---"
	checks=$((checks + 1))
}

# expect_match REGEX TEXT [what]
expect_match() {
	[[ $2 =~ $1 ]] || die "${3:-text} does not match /$1/: $2"
	checks=$((checks + 1))
}

# Paths relative to the source tree, so expectations are readable.
rel() { sed "s|$SRC/||g"; }

# hits DB QUERY-ARGS...: the relative paths of the hits, one per line, ranked.
hits() {
	local db=$1
	shift
	"$NEWSGREP" --db "$db" --json "$@" | jq -r 'select(.type == "hit").path' | rel
}

# doc_count DB: the number of documents in the index.
doc_count() { xapian-delve "$1" | sed -n 's/^number of documents = //p'; }

# The corpus articles the search tests name (paths as rel prints them).
S0=corpus/seeds/000_21fff29c15f39abc.txt # Moore Threads, Gizmochina
S1=corpus/seeds/001_22cd2ad8bb3a4915.txt # Global Times; CloudMinds in related
S2=corpus/seeds/002_f20c2178ff692251.txt # DP Technology, TechCrunch
S3=corpus/seeds/003_c8f0aaa0abab2964.txt # Wall Street Journal
S4=corpus/seeds/004_c60ec760bb7e258f.txt # Global Times
INTEL=corpus/ai/2023-12-15-intel-releases-its-own-ai-chip.md

# index_corpus: builds $TMP/corpus-db from corpus/ once per test.
index_corpus() {
	"$NEWSGREP_INDEX" -q --db "$TMP/corpus-db" "$CORPUS" || die "indexing corpus/ failed"
	DB=$TMP/corpus-db
}

# other_user: sets up running the programs as a user without privileges, for
# checks that root would pass (unreadable files). As root it is uid 65534, in a
# folder of its own under the temporary directory: the checkout may sit where
# that user cannot go (/root is mode 0700 on Debian), so the programs are
# copied there too. Otherwise it is ourselves. Sets
#   OTHER                a folder that user owns (for its files and indexes)
#   OTHER_NEWSGREP       the search program it can run
#   OTHER_NEWSGREP_INDEX the indexer it can run
# and defines as_other_user CMD... . Never skips: a missing piece fails the test.
other_user() {
	if [[ $(id -u) != 0 ]]; then
		as_other_user() { "$@"; }
		OTHER=$TMP/other && mkdir -p "$OTHER" || die "cannot create $OTHER"
		at_exit 'chmod -R u+rwX "$OTHER"' # tests take modes away
		OTHER_NEWSGREP=$NEWSGREP OTHER_NEWSGREP_INDEX=$NEWSGREP_INDEX
		return
	fi
	command -v setpriv >/dev/null || die "running as root needs setpriv (util-linux) to test as another user"
	as_other_user() { setpriv --reuid=65534 --regid=65534 --clear-groups "$@"; }
	OTHER=$(mktemp -d "${TMPDIR:-/tmp}/newsgrep-test.XXXXXX") || die "cannot create a folder for another user"
	at_exit 'chmod -R u+rwX "$OTHER"; rm -rf "$OTHER"'
	cp "$NEWSGREP" "$NEWSGREP_INDEX" "$OTHER/" && chmod 755 "$OTHER" && chown 65534:65534 "$OTHER" ||
		die "cannot prepare $OTHER for uid 65534"
	OTHER_NEWSGREP=$OTHER/${NEWSGREP##*/} OTHER_NEWSGREP_INDEX=$OTHER/${NEWSGREP_INDEX##*/}
	as_other_user test -x "$OTHER_NEWSGREP_INDEX" -a -w "$OTHER" ||
		die "uid 65534 cannot use $OTHER (is ${TMPDIR:-/tmp} reachable by every user?)"
}

# on_tty CMD...: CMD with a terminal as stdin, stdout and stderr; its output
# as bytes, the terminal's \r\n as \n.
on_tty() {
	python3 - "$@" <<'PY'
import os, pty, sys
pid, fd = pty.fork()
if pid == 0:
    os.execvp(sys.argv[1], sys.argv[1:])
out = b""
while True:
    try:
        data = os.read(fd, 4096)
    except OSError:
        break
    if not data:
        break
    out += data
_, status = os.waitpid(pid, 0)
sys.stdout.buffer.write(out.replace(b"\r\n", b"\n"))
sys.exit(os.waitstatus_to_exitcode(status))
PY
}

done_testing() {
	echo "${BASH_SOURCE[1]##*/}: $checks checks passed"
	exit 0
}
