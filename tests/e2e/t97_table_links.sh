#!/usr/bin/env bash
# Xapian opens the tables inside db.N by name and follows links, so every
# entry there must be a plain file: a table replaced by a link is never
# read or written in another file's place, and a FIFO never hangs an open.
# The index is refused as damaged, and nothing is changed.
. "$(dirname "$0")/lib.sh"

N=$TMP/news D=$TMP/db
mkdir -p "$N"
cp "$CORPUS"/seeds/00[0-3]_*.txt "$N/"
"$NEWSGREP_INDEX" -q --db "$D" "$N" || die "indexing failed"
expect_eq "auto db.1" "$(cat "$D/XAPIANDB")" "the stub"
articles() { "$NEWSGREP_INDEX" --db "$D" --status | sed -n 's/^articles: //p'; }
damaged() { echo "index at '$D' is damaged: '$D/XAPIANDB' line 1: the database it names holds '$1', which is $2; newsgrep reads only the stub it writes: rebuild it with newsgrep-index --rebuild DIR..."; }

# A table that is a link to a copy of itself elsewhere: it would be read
# and, by a writer, written through.  Every reader and writer refuses it.
cp "$D/db.1/termlist.glass" "$TMP/termlist.copy"
mv "$D/db.1/termlist.glass" "$TMP/termlist.glass"
ln -s "$TMP/termlist.glass" "$D/db.1/termlist.glass"
before=$(md5sum <"$TMP/termlist.glass")
want=$(damaged termlist.glass "a symbolic link")
expect_rc 2 timeout 20 "$NEWSGREP" --db "$D" chips
expect_eq "newsgrep: $want" "$err" "a search over a table that is a link"
expect_rc 2 timeout 20 "$NEWSGREP_INDEX" --db "$D" --status
expect_eq "newsgrep-index: $want" "$err" "--status over a table that is a link"
touch "$N"/*.txt
expect_rc 2 timeout 20 "$NEWSGREP_INDEX" --db "$D"
expect_eq "newsgrep-index: $want" "$err" "an update over a table that is a link"
expect_rc 2 timeout 20 "$NEWSGREP_INDEX" --db "$D" --compact
expect_eq "newsgrep-index: $want" "$err" "--compact over a table that is a link"
expect_eq "$before" "$(md5sum <"$TMP/termlist.glass")" "the link's target is unchanged"
expect_eq "db.1 lock XAPIANDB" "$(cd "$D" && echo db.* lock XAPIANDB)" "the index folder is as it was"
rm "$D/db.1/termlist.glass" && mv "$TMP/termlist.glass" "$D/db.1/termlist.glass"
expect_eq 4 "$(articles)" "articles once the table is back"

# A table that is a FIFO: refused at once, never opened.
mv "$D/db.1/postlist.glass" "$TMP/postlist.glass"
mkfifo "$D/db.1/postlist.glass"
want=$(damaged postlist.glass "not a regular file")
expect_rc 2 timeout 20 "$NEWSGREP" --db "$D" chips
expect_eq "newsgrep: $want" "$err" "a search over a table that is a FIFO"
expect_rc 2 timeout 20 "$NEWSGREP_INDEX" --db "$D"
expect_eq "newsgrep-index: $want" "$err" "an update over a table that is a FIFO"

# The same with the stub lost: the writer, looking for a database with
# articles, must not open that one either (it would hang); it refuses.
mv "$D/XAPIANDB" "$TMP/XAPIANDB"
expect_rc 2 timeout 20 "$NEWSGREP_INDEX" --db "$D" "$N"
expect_match "its XAPIANDB is missing" "$err" "a lost stub beside a FIFO table"
expect_eq "db.1 lock" "$(cd "$D" && echo db.* lock)" "nothing created or removed"
mv "$TMP/XAPIANDB" "$D/XAPIANDB"
rm "$D/db.1/postlist.glass" && mv "$TMP/postlist.glass" "$D/db.1/postlist.glass"
expect_eq 4 "$(articles)" "articles once the table is back"
expect_rc 0 "$NEWSGREP" --db "$D" -c chips

done_testing
