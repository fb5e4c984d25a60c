#!/usr/bin/env bash
# newsgrep-watch: standing searches deliver what entered the index since
# their last run, exactly once, through adds, edits, renames, duplicates,
# back-dated articles, deletions, compaction and a rebuild (which
# resynchronises); a run whose output cannot be written (/dev/full) or that
# is killed (SIGKILL while it waits for the index's lock to record) is
# delivered again; two watches go on each at its own pace; names are checked;
# a dry run (-n) records nothing.
source "$(dirname "$0")/lib.sh"
: "${NEWSGREP_WATCH:?}"
WATCH=$NEWSGREP_WATCH
NEWS=$TMP/news
DB=$TMP/db
mkdir -p "$NEWS"
cp "$CORPUS"/ai/*.md "$NEWS"/

# article FILE TITLE URL [DATE]
article() {
	printf -- '---\ntitle: "%s"\nexcerpt: "%s, in a few words."\noriginalUrl: "%s"\npublishedDateTime: %s\n---\n' \
		"$2" "$2" "$3" "${4:-2024-06-01T10:00:00Z}" >"$NEWS/$1"
}
reindex() { "$NEWSGREP_INDEX" -q --db "$DB" "$@" "$NEWS" || die "indexing failed"; }
# delivered [NAME...]: the titles a run delivers, one a line, sorted, in
# $got ($rc: its exit status)
delivered() {
	run "$WATCH" --db "$DB" run --json "$@"
	got=$(printf '%s\n' "$out" | jq -r 'select(.type == "hit").title' | sort)
}

reindex
expect_rc 0 "$WATCH" --db "$DB" add follow zebrafinch
expect_eq "" "$out" "add prints nothing"
expect_rc 0 "$WATCH" --db "$DB" add others -F giraffe
expect_rc 0 "$WATCH" --db "$DB" list
expect_eq "follow	13	zebrafinch
others	13	giraffe -F" "$out" "list"

# Nothing yet: -q prints nothing (exit 1), else each says so.
expect_rc 1 "$WATCH" --db "$DB" run -q
expect_eq "" "$out" "run -q with nothing new"
expect_rc 1 "$WATCH" --db "$DB" run
expect_eq "follow: nothing new
others: nothing new" "$out" "run with nothing new"

# New articles: exactly the new matching ones, then nothing.
article one.md "Zebrafinch one" https://example.com/one
article two.md "Zebrafinch two" https://example.com/two
article three.md "Unrelated three" https://example.com/three
reindex
delivered follow
expect_eq "Zebrafinch one
Zebrafinch two" "$got" "new articles"
expect_status 0
delivered follow
expect_eq "" "$got" "delivered once"
expect_status 1
run "$WATCH" --db "$DB" run -q
expect_status 1 "others has nothing"
expect_eq "" "$out"

# Text output: a header per watch, then the hits as newsgrep prints them.
# A dry run (-n) prints the same and records nothing, and writes no feed.
article four.md "Zebrafinch four" https://example.com/four
reindex
expect_rc 0 "$WATCH" --db "$DB" run -q -n
dry=$out
expect_rc 0 "$WATCH" --db "$DB" run --dry-run -q
expect_eq "$dry" "$out" "a second dry run"
mkdir "$TMP/dry-feeds"
expect_rc 0 "$WATCH" --db "$DB" run -n -q --atom "$TMP/dry-feeds" follow
expect_eq "follow: 1 new for $TMP/dry-feeds/follow.atom (a dry run: not written)" "$out" \
	"a dry run to a feed"
expect_rc 0 "$WATCH" --db "$DB" run -n -q --json --atom "$TMP/dry-feeds" follow
expect_eq '{"type":"watch","name":"follow","new":1,"atom":"'"$TMP"'/dry-feeds/follow.atom","written":false}' \
	"$out" "a dry run to a feed, JSON"
expect_eq "" "$(ls "$TMP/dry-feeds")" "a dry run writes no feed"
expect_rc 0 "$WATCH" --db "$DB" run -q
expect_eq "$dry" "$out" "the run after dry runs"
expect_match "^== follow ==
.*Zebrafinch four" "$out" "text output"
expect_eq 1 "$(grep -c '==' <<<"$out")" "only the watch with news"

# An edit, a rename and a duplicate URL are no news; a back-dated article is.
article one.md "Zebrafinch one, edited" https://example.com/one
mv "$NEWS/two.md" "$NEWS/two-moved.md"
article dup.md "Zebrafinch one again" https://example.com/one
article old.md "Zebrafinch of 1999" https://example.com/old 1999-01-01T00:00:00Z
reindex
delivered follow
expect_eq "Zebrafinch of 1999" "$got" "only the back-dated one"
expect_status 0
rm "$NEWS/four.md"
reindex
delivered
expect_eq "" "$got" "a deletion is no news"

# Output that cannot be written: exit 2, and delivered again.
article five.md "Zebrafinch five" https://example.com/five
reindex
"$WATCH" --db "$DB" run >/dev/full 2>"$TMP/full.err"
expect_eq 2 "$?" "stdout on /dev/full"
expect_eq "newsgrep-watch: watch 'follow' is not recorded (No space left on device): its next run delivers the same articles again
newsgrep-watch: cannot write to standard output" "$(cat "$TMP/full.err")"
delivered follow
expect_eq "Zebrafinch five" "$got" "delivered again after /dev/full"
delivered follow
expect_eq "" "$got" "then once"

# Killed after printing, before recording (it waits for the lock another
# writer holds): delivered again.
article six.md "Zebrafinch six" https://example.com/six
reindex
exec 9>"$DB/lock"
flock 9 || die "cannot take the index's lock"
"$WATCH" --db "$DB" run --json follow >"$TMP/killed.out" 2>/dev/null &
pid=$!
for _ in $(seq 100); do
	grep -q "Zebrafinch six" "$TMP/killed.out" && break
	sleep 0.1
done
expect_match "Zebrafinch six" "$(cat "$TMP/killed.out")" "printed before it records"
kill -9 $pid
wait $pid 2>/dev/null
exec 9>&-
delivered follow
expect_eq "Zebrafinch six" "$got" "delivered again after SIGKILL"
delivered follow
expect_eq "" "$got" "then once"

# Compaction keeps the numbers: nothing lost, nothing repeated.
article seven.md "Zebrafinch seven" https://example.com/seven
reindex
"$NEWSGREP_INDEX" -q --db "$DB" --compact || die "compact failed"
delivered follow
expect_eq "Zebrafinch seven" "$got" "after --compact"
delivered follow
expect_eq "" "$got" "then once"

# A rebuild: a new identity; each watch resynchronises, delivering nothing.
"$NEWSGREP_INDEX" -q --db "$DB" --rebuild || die "rebuild failed"
expect_rc 1 "$WATCH" --db "$DB" run -q
expect_eq "follow: the index was rebuilt: resynchronised, following the new index from now on
others: the index was rebuilt: resynchronised, following the new index from now on" "$out" \
	"resynchronised"
expect_rc 1 "$WATCH" --db "$DB" run -q
expect_eq "" "$out" "then quiet"
article eight.md "Zebrafinch eight and a giraffe" https://example.com/eight
reindex
delivered others
expect_eq "Zebrafinch eight and a giraffe" "$got" "others, on its own"
delivered
expect_eq "Zebrafinch eight and a giraffe" "$got" "follow had not run yet"
delivered
expect_eq "" "$got" "both once"

# --changed: an edited article is delivered again, to that watch only;
# --json starts each watch's hits with a record naming it.
expect_rc 0 "$WATCH" --db "$DB" add edits --changed zebrafinch
expect_rc 0 "$WATCH" --db "$DB" list
expect_match "edits	[0-9]+	zebrafinch --changed" "$out"
article eight.md "Zebrafinch eight, edited" https://example.com/eight
reindex
run "$WATCH" --db "$DB" run --json -q
expect_status 0
expect_eq '{"type":"watch","name":"edits"}
hit Zebrafinch eight, edited' "$(jq -r 'if .type == "hit" then "hit " + .title else tojson end' <<<"$out")" \
	"only edits delivers it"
expect_rc 0 "$WATCH" --db "$DB" rm edits

# rm, and bad names.
expect_rc 0 "$WATCH" --db "$DB" rm others
expect_rc 0 "$WATCH" --db "$DB" list
expect_match "^follow	" "$out"
expect_eq 1 "$(wc -l <<<"$out")" "one watch left"
expect_rc 2 "$WATCH" --db "$DB" rm others
expect_eq "newsgrep-watch: no watch named 'others'" "$err"
expect_rc 2 "$WATCH" --db "$DB" add 'a/b' zebrafinch
expect_eq "newsgrep-watch: bad watch name 'a/b': a name is 1 to 64 letters, digits, '.', '_' or '-'" "$err"
expect_rc 2 "$WATCH" --db "$DB" add "$(printf 'x%.0s' {1..65})" zebrafinch
expect_rc 0 "$WATCH" --db "$DB" add "$(printf 'x%.0s' {1..64})" zebrafinch
expect_rc 2 "$WATCH" --db "$DB" add follow zebrafinch
expect_eq "newsgrep-watch: a watch named 'follow' is there already: remove it first" "$err"
expect_rc 2 "$WATCH" --db "$DB" add q '(zebrafinch'
expect_match "query:1:1" "$err"
expect_rc 2 "$WATCH" --db "$DB" run nosuch
expect_eq "newsgrep-watch: no watch named 'nosuch'" "$err"
expect_rc 2 "$WATCH" --db "$TMP/none" list
expect_rc 2 "$WATCH" --db "$DB" frobnicate

# --like: a watch follows an article's story; its path is kept absolute
# (a run from another folder finds it), and the record is of version 2.
cd "$NEWS" || die "cd"
seed=$(ls "$NEWS" | grep -m1 pegasystems)
expect_rc 0 "$WATCH" --db "$DB" add story --like "$seed"
cd "$TMP" || die "cd"
expect_rc 0 "$WATCH" --db "$DB" list
expect_match "^story	[0-9]+	--like $NEWS/$seed\$" "$(grep '^story	' <<<"$out")"
expect_match "^newsgrep.watch 2
identity [0-9a-f]{32}
last [0-9]+
like $NEWS/$seed
query\$" "$(xapian-metadata get "$(echo "$DB"/db.*)" newsgrep.watch/story)" "the record"
article pega.md "Pegasystems rules engine wins Fortune 500 customers" https://example.com/pega
article giraffe.md "A giraffe in the zoo" https://example.com/giraffe
reindex
delivered story
expect_eq "Pegasystems rules engine wins Fortune 500 customers" "$got" "the same story only"
delivered story
expect_eq "" "$got" "then once"
expect_rc 0 "$WATCH" --db "$DB" add story-words --like "https://example.com/pega" giraffe
expect_rc 0 "$WATCH" --db "$DB" list
expect_match "story-words	[0-9]+	giraffe --like https://example.com/pega" "$out"
expect_rc 2 "$WATCH" --db "$DB" add nostory --like "$TMP/no-such.md"
expect_rc 2 "$WATCH" --db "$DB" add nostory
expect_match "add needs a NAME and a QUERY" "$err"
expect_rc 2 "$WATCH" --db "$DB" add nostory --like ""

# --since/--until: absolute dates as before (a record of version 1);
# relative ones kept as given and taken from each run's time.
expect_rc 0 "$WATCH" --db "$DB" add fixed --since 2024-01 --until 2024-12-31 zebrafinch
expect_match "^newsgrep.watch 1
identity [0-9a-f]{32}
last [0-9]+
since 1704067200
until 1735689599
query
zebrafinch\$" "$(xapian-metadata get "$(echo "$DB"/db.*)" newsgrep.watch/fixed)" "an absolute date's record"
expect_rc 0 "$WATCH" --db "$DB" add week --since 7d --until now zebrafinch
expect_match "^newsgrep.watch 2
identity [0-9a-f]{32}
last [0-9]+
since-text 7d
until-text now
query
zebrafinch\$" "$(xapian-metadata get "$(echo "$DB"/db.*)" newsgrep.watch/week)" "a relative date's record"
expect_rc 0 "$WATCH" --db "$DB" list
expect_match "^fixed	[0-9]+	zebrafinch --since 2024-01-01 --until 2024-12-31\$" "$(grep '^fixed' <<<"$out")"
expect_match "^week	[0-9]+	zebrafinch --since 7d --until now\$" "$(grep '^week' <<<"$out")"
article recent.md "Zebrafinch recent" https://example.com/recent "$(date -u -d '3 days ago' +%Y-%m-%dT%H:%M:%SZ)"
article month.md "Zebrafinch a month ago" https://example.com/month "$(date -u -d '30 days ago' +%Y-%m-%dT%H:%M:%SZ)"
article y2024.md "Zebrafinch of 2024" https://example.com/y2024 2024-03-01T00:00:00Z
reindex
delivered week
expect_eq "Zebrafinch recent" "$got" "--since 7d: the last week's"
delivered fixed
expect_eq "Zebrafinch of 2024" "$got" "--since 2024-01"
expect_rc 2 "$WATCH" --db "$DB" add bad --since 7x zebrafinch
expect_match "since: cannot read date '7x'" "$err"
expect_rc 2 "$WATCH" --db "$DB" add bad --until "$(printf '7d\nx')" zebrafinch
expect_rc 2 "$WATCH" --db "$DB" add bad --since 2024-02 --until 2024-01 zebrafinch
expect_match "the date range is empty" "$err"

# Records: one of version 1 written by the first newsgrep-watch still
# reads; a damaged relative date, an unknown version or a version 2 line
# in a version 1 record is damage, said as such.
V=$(echo "$DB"/db.*)
id=$(xapian-metadata get "$V" newsgrep.watch/fixed | sed -n 's/^identity //p')
xapian-metadata set "$V" newsgrep.watch/old "$(printf 'newsgrep.watch 1\nidentity %s\nlast 1\nsince 0\nexact\nquery\nzebrafinch' "$id")"
expect_rc 0 "$WATCH" --db "$DB" list
expect_eq "old	1	zebrafinch --since 1970-01-01 --exact" "$(grep '^old' <<<"$out")"
for record in "newsgrep.watch 2\nidentity $id\nlast 1\nsince-text 7x\nquery\nz" \
	"newsgrep.watch 3\nidentity $id\nlast 1\nquery\nz" \
	"newsgrep.watch 1\nidentity $id\nlast 1\nlike /x\nquery\nz"; do
	xapian-metadata set "$V" newsgrep.watch/damaged "$(printf "$record")"
	expect_rc 2 "$WATCH" --db "$DB" run damaged
	expect_eq "newsgrep-watch: the record of watch 'damaged' (newsgrep.watch/damaged) is damaged: remove it and add it again" "$err"
done
expect_rc 0 "$WATCH" --db "$DB" rm damaged

# A watch that fails (the article of its story left the index) says why
# and makes the run exit 2; the watches after it still deliver, and are
# recorded.
expect_rc 0 "$WATCH" --db "$DB" add a-gone-story --like "$NEWS/pega.md"
expect_rc 0 "$WATCH" --db "$DB" add zoo giraffe
rm "$NEWS/pega.md"
article zoo.md "Another giraffe at the zoo" https://example.com/zoo
reindex
delivered a-gone-story zoo
expect_eq 2 "$rc" "a failing watch: exit 2"
expect_match "a-gone-story" "$err" "the failing watch is named"
expect_eq "Another giraffe at the zoo" "$got" "the next watch still delivers"
delivered zoo
expect_eq "" "$got" "... and was recorded"

# An index without the order of arrival (format 6) is refused.
cp -r "$DB" "$TMP/old"
xapian-metadata set "$(echo "$TMP"/old/db.*)" newsgrep.format 6
expect_rc 2 "$WATCH" --db "$TMP/old" add z zebrafinch
expect_match "rebuild it with newsgrep-index --rebuild to follow new articles" "$err"

done_testing
