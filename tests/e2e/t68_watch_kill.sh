#!/usr/bin/env bash
# Exactly once across crashes: newsgrep-index killed (SIGKILL) at every
# step that writes, a watch run after each kill, then a whole update and
# another run: together the two runs deliver exactly the articles the
# update brought in, none twice, none missed, as one update and one run
# without a crash deliver them.
#
# NEWSGREP_TEST_KILL_AT=N (core/testhooks.c, t80_crash) kills the test copy
# of newsgrep-index at its N-th writing step: before each document written
# or deleted and each commit.
. "$(dirname "$0")/lib.sh"
: "${NEWSGREP_WATCH:?}"
NEWSGREP_INDEX=${NEWSGREP_INDEX_HOOKS:?}
export LC_ALL=C

W=$TMP/news
DBX=$TMP/db
mkdir -p "$W/a" "$W/b"
cp "$CORPUS"/seeds/*.txt "$W/a/"
cp "$CORPUS"/ai/2023-*.md "$W/b/"

# article FILE TITLE URL DATE
article() {
	printf -- '---\ntitle: "%s"\nexcerpt: "%s, chips and sanctions."\noriginalUrl: "%s"\npublishedDateTime: %s\n---\n' \
		"$2" "$2" "$3" "$4" >"$W/$1"
}

expect_rc 0 "$NEWSGREP_INDEX" -q --batch 2 --db "$DBX" "$W"
expect_rc 0 "$NEWSGREP_WATCH" --db "$DBX" add all '*'
expect_rc 0 "$NEWSGREP_WATCH" --db "$DBX" add chips chips
cp -a "$DBX" "$TMP/snapshot"

# An update of every kind: new articles (one back-dated, one a duplicate
# of an indexed URL, which is no new article), edits, moves, deletions.
mkdir "$W/c"
for i in 1 2 3 4 5; do
	article "c/new$i.md" "Fresh story $i" "https://example.com/fresh/$i" "2024-0$i-01T08:00:00Z"
done
article c/old.md "An old story found late" https://example.com/late 1999-03-04T05:06:07Z
url=$(sed -n 's/^originalUrl: *"\{0,1\}\([^"]*\)"\{0,1\}$/\1/p' "$W"/b/2023-12-*.md | head -1)
[[ -n $url ]] || die "no URL in the corpus file to copy"
article c/dup.md "The same story, copied" "$url" 2024-07-01T00:00:00Z
cp "$CORPUS"/powerapps/2023-*.md "$W/c/"
rm "$W"/a/001_*.txt
mv "$W"/a/002_*.txt "$W/c/moved.txt"
sed -i 's/^title: "Chinese Startup/title: "A Chinese Startup/' "$W"/a/000_*.txt

# urls NAME: the URLs a watch run delivers (hits), one a line, in $got.
urls() {
	run "$NEWSGREP_WATCH" --db "$DBX" run --json "$1"
	[[ $rc == 0 || $rc == 1 ]] || die "watch run $1: exit $rc: $err"
	got=$(printf '%s\n' "$out" | jq -r 'select(.type == "hit").url')
}

# The reference: one whole update, one run each.
rm -rf "$DBX" && cp -a "$TMP/snapshot" "$DBX"
expect_rc 0 "$NEWSGREP_INDEX" -q --batch 2 --db "$DBX" "$W"
urls all
want_all=$(sort <<<"$got")
urls chips
want_chips=$(sort <<<"$got")
[[ $(wc -l <<<"$want_all") -ge 7 ]] || die "the update brought too few articles: $want_all"
[[ $want_all != *"$url"* ]] || die "a duplicate of an indexed URL was delivered as new"
[[ $want_all == *example.com/late* ]] || die "the back-dated article was not delivered"

declare -A first
n=0
while :; do
	n=$((n + 1))
	rm -rf "$DBX" && cp -a "$TMP/snapshot" "$DBX"
	NEWSGREP_TEST_KILL_AT=$n run "$NEWSGREP_INDEX" -q --batch 2 --db "$DBX" "$W"
	finished=$rc
	[[ $rc == 0 || $rc == 137 ]] || die "killed at step $n: exit $rc: $err"
	for w in all chips; do
		urls "$w"
		first[$w]=$got
	done
	expect_rc 0 "$NEWSGREP_INDEX" -q --batch 2 --db "$DBX" "$W"
	for w in all chips; do
		urls "$w"
		both=$(printf '%s\n%s\n' "${first[$w]}" "$got" | sed '/^$/d' | sort)
		want=want_$w
		expect_eq "${!want}" "$both" "watch $w, indexer killed at step $n: each new article once"
	done
	[[ $finished == 0 ]] && break
done
[[ $n -ge 5 ]] || die "only $n writing steps: the kill points were not reached"
echo "killed at each of $((n - 1)) writing steps"

done_testing
