#!/usr/bin/env bash
# The index folder's own files are never written through a link: a lock
# that is a link is refused (its target left as it was), and a leftover
# XAPIANDB.new that is a link is replaced, not written through.
. "$(dirname "$0")/lib.sh"

N=$TMP/news D=$TMP/db
mkdir -p "$N"
cp "$CORPUS"/seeds/00[0-3]_*.txt "$N/"
"$NEWSGREP_INDEX" -q --db "$D" "$N" || die "indexing failed"
articles() { "$NEWSGREP_INDEX" --db "$D" --status | sed -n 's/^articles: //p'; }

# The lock, a link to a file outside: its content stays.
printf 'precious\n' >"$TMP/precious"
rm "$D/lock" && ln -s "$TMP/precious" "$D/lock"
expect_rc 2 "$NEWSGREP_INDEX" --db "$D"
expect_eq "newsgrep-index: index at '$D' is damaged: its lock file '$D/lock' is a symbolic link, not a plain file: remove it" "$err" "a lock that is a link"
expect_eq precious "$(cat "$TMP/precious")" "the lock's target is intact"
rm "$D/lock"

# A leftover XAPIANDB.new, a link to a file outside: replaced, not written
# through, when the stub is switched.
ln -s "$TMP/precious" "$D/XAPIANDB.new"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$D" --compact
expect_eq precious "$(cat "$TMP/precious")" "the target of XAPIANDB.new is intact"
expect_eq "auto db.2" "$(cat "$D/XAPIANDB")" "the stub after --compact"
[[ -f $D/XAPIANDB && ! -L $D/XAPIANDB && ! -e $D/XAPIANDB.new ]] || die "the stub is not a plain file"
expect_eq 4 "$(articles)" "articles after --compact"

done_testing
