#!/usr/bin/env bash
# Out of file descriptors is not "locked" (exit 75, for another writer) and
# not damage (never "rebuild it"): exit 2 with the real cause. Each limit
# below runs out at another step of a build, a rebuild or a search.
. "$(dirname "$0")/lib.sh"
index_corpus

# limited N CMD...: CMD under ulimit -n N, its stderr in $err, status in $rc.
limited() {
	local n=$1
	shift
	rc=0
	(ulimit -n "$n" && exec "$@") >/dev/null 2>"$TMP/stderr" || rc=$?
	err=$(cat "$TMP/stderr")
}

ran_out=0
for n in $(seq 5 24); do
	rm -rf "$TMP/fd-db"
	for what in build rebuild search; do
		case $what in
		build) limited "$n" "$NEWSGREP_INDEX" -q -j2 --db "$TMP/fd-db" "$CORPUS" ;;
		rebuild) limited "$n" "$NEWSGREP_INDEX" -q --db "$DB" --rebuild "$CORPUS" ;;
		search) limited "$n" "$NEWSGREP" --db "$DB" -c chips ;;
		esac
		[[ $rc != 75 ]] || die "ulimit -n $n, $what: exit 75 (locked): $err"
		[[ $err != *rebuild* ]] || die "ulimit -n $n, $what: advises a rebuild: $err"
		if [[ $rc == 2 && $err == *[Oo]pen\ files* ]]; then
			ran_out=$((ran_out + 1))
		fi
		checks=$((checks + 2))
	done
done
# The limits above do run out, and say so (a Xapian lock, a table, the stub).
((ran_out >= 10)) || die "only $ran_out runs ran out of files and said so"
# The index is whole after all that.
expect_eq 7 "$("$NEWSGREP" --db "$DB" -c chips)" "the index after the failed rebuilds"
done_testing
