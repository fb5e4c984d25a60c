#!/usr/bin/env bash
# A file with several names (hard links) is one article: it is indexed
# once, by the first of its names in walk order, and by the next one when
# that name is removed.  Nothing is lost or doubled across updates.
. "$(dirname "$0")/lib.sh"

N=$TMP/news D=$TMP/db
mkdir -p "$N/a" "$N/b"
cp "$CORPUS"/seeds/00[0-2]_*.txt "$N/b/"
s0=$(basename "$CORPUS"/seeds/000_*.txt)
ln "$N/b/$s0" "$N/a/moore.txt"
ln "$N/b/$s0" "$N/b/zz-moore.txt"
articles() { "$NEWSGREP_INDEX" --db "$D" --status | sed -n 's/^articles: //p'; }
paths() { "$NEWSGREP" --db "$D" -l -n 100 '*' | sed "s|$N/||" | sort | tr '\n' ' '; }

expect_rc 0 "$NEWSGREP_INDEX" -q --db "$D" "$N"
expect_eq 3 "$(articles)" "three files, one with three names"
expect_eq "a/moore.txt b/001_22cd2ad8bb3a4915.txt b/002_f20c2178ff692251.txt " "$(paths)" \
	"the article with three names, by the first"
expect_eq "$N/a/moore.txt" "$("$NEWSGREP" --db "$D" -l 'title:"Moore Threads Defies"')" "one hit for it"

# An update with nothing changed changes nothing.
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$D"
expect_eq 3 "$(articles)" "after an update with nothing changed"

# The first name removed: the article is found by the next one.
rm "$N/a/moore.txt"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$D"
expect_eq 3 "$(articles)" "after its first name was removed"
expect_eq "$N/b/$s0" "$("$NEWSGREP" --db "$D" -l 'title:"Moore Threads Defies"')" "found by its next name"

# A new name earlier in walk order takes over; still one article.
ln "$N/b/$s0" "$N/a/again.txt"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$D"
expect_eq 3 "$(articles)" "after a new first name"
expect_eq "$N/a/again.txt" "$("$NEWSGREP" --db "$D" -l 'title:"Moore Threads Defies"')" "found by the new first name"

# A rebuild agrees with the updates.
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$D" --rebuild
expect_eq 3 "$(articles)" "after a rebuild"
expect_eq "$N/a/again.txt" "$("$NEWSGREP" --db "$D" -l 'title:"Moore Threads Defies"')" "found by the first name after a rebuild"

done_testing
