#!/usr/bin/env bash
# The index folder's stub (XAPIANDB) is read by newsgrep, never by Xapian:
# only "auto db.N" naming a folder of the index is followed.  A stub that
# names a remote command, another index, a server, a path out of the folder
# or a link is a damaged index (exit 2, the stub and line named), for the
# searcher and for every mode of the indexer, and nothing it names is run.
. "$(dirname "$0")/lib.sh"

N=$TMP/news D=$TMP/db O=$TMP/other PWNED=$TMP/PWNED
mkdir -p "$N" "$O/news"
cp "$CORPUS"/seeds/00[0-3]_*.txt "$N/"
cp "$CORPUS"/seeds/004_*.txt "$O/news/"
"$NEWSGREP_INDEX" -q --db "$D" "$N" || die "indexing failed"
"$NEWSGREP_INDEX" -q --db "$O/db" "$O/news" || die "indexing the other index failed"
expect_eq "auto db.1" "$(cat "$D/XAPIANDB")" "the stub newsgrep writes"
articles() { "$NEWSGREP_INDEX" --db "$D" --status | sed -n 's/^articles: //p'; }
folders() { "$NEWSGREP_INDEX" --db "$D" --status | sed -n '/^folders:/,$p' | tail -n +2 | sed 's/^  //'; }
expect_eq 4 "$(articles)" "articles indexed"
mend="if db.1 is the index, write its stub with: printf 'auto db.1\\n' > '$D/XAPIANDB' (or rebuild it with newsgrep-index --rebuild DIR...)"
damaged() { echo "index at '$D' is damaged: '$D/XAPIANDB' line ${2:-1}: $1; newsgrep reads only the stub it writes: ${3:-$mend}"; }

# refused STUB-TEXT WHY [LINE [ADVICE]]: every reader and writer refuses it.
refused() {
	printf '%s' "$1" >"$D/XAPIANDB"
	local want
	want=$(damaged "$2" "${3:-1}" "${4:-$mend}")
	expect_rc 2 "$NEWSGREP" --db "$D" chips
	expect_eq "newsgrep: $want" "$err" "newsgrep: $2"
	expect_rc 2 "$NEWSGREP_INDEX" --db "$D" --status
	expect_eq "newsgrep-index: $want" "$err" "--status: $2"
	expect_rc 2 "$NEWSGREP_INDEX" --db "$D"
	expect_eq "newsgrep-index: $want" "$err" "update: $2"
	expect_rc 2 "$NEWSGREP_INDEX" --db "$D" --compact
	expect_eq "newsgrep-index: $want" "$err" "--compact: $2"
	expect_rc 2 "$NEWSGREP_INDEX" --db "$D" --rebuild
	expect_eq "newsgrep-index: cannot read the folders of the index to rebuild ($want): name them (newsgrep-index --rebuild DIR...)" "$err" "--rebuild: $2"
	[[ ! -e $PWNED ]] || die "the stub's command ran: $1"
	expect_eq "db.1 lock XAPIANDB" "$(cd "$D" && echo db.* lock XAPIANDB)" "the index folder is as it was"
	printf 'auto db.1\n' >"$D/XAPIANDB"
	[[ -L $D/db.1 ]] || expect_eq 4 "$(articles)" "articles after: $2"
}

not_ours="it is not 'auto db.N'"
refused "remote :/bin/sh -c 'id >$PWNED'
" "$not_ours"
refused "remote 127.0.0.1:9
" "$not_ours"
refused "auto $O/db/db.1
" "it does not name a database of the index folder ('auto db.N')"
refused "auto ../x
" "it does not name a database of the index folder ('auto db.N')"
refused "auto db.1
remote :/bin/sh -c 'id >$PWNED'
" "newsgrep writes one line only" 2 \
	"it joins databases by hand, which newsgrep neither reads nor rewrites: search several indexes as one with newsgrep --db A --db B"
refused "auto db.1" "$not_ours"
refused "auto db.7
" "the database it names does not exist" 1 "rebuild it with newsgrep-index --rebuild DIR..."

# The database it names, a link to a database elsewhere.
mv "$D/db.1" "$TMP/db.1" && ln -s "$TMP/db.1" "$D/db.1"
refused "auto db.1
" "the database it names is a symbolic link" 1 "rebuild it with newsgrep-index --rebuild DIR..."
rm "$D/db.1" && mv "$TMP/db.1" "$D/db.1"
# The stub itself a link, even to a stub of ours.
printf 'auto db.1\n' >"$TMP/stub" && ln -sfn "$TMP/stub" "$D/XAPIANDB"
expect_rc 2 "$NEWSGREP" --db "$D" chips
expect_eq "newsgrep: index at '$D' is damaged: '$D/XAPIANDB': it is a symbolic link; newsgrep reads only the stub it writes: $mend" "$err" "a stub that is a link"
rm "$D/XAPIANDB" && printf 'auto db.1\n' >"$D/XAPIANDB"

# A rebuild from folders named mends a damaged stub: the new database is
# complete before it is swapped in.
printf 'remote :/bin/sh -c "id >%s"\n' "$PWNED" >"$D/XAPIANDB"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$D" --rebuild "$N"
[[ ! -e $PWNED ]] || die "the stub's command ran in a rebuild"
expect_eq "auto db.2" "$(cat "$D/XAPIANDB")" "the rebuilt stub"
expect_eq 4 "$(articles)" "articles after a rebuild over a damaged stub"

done_testing
