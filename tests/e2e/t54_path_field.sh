#!/usr/bin/env bash
# path: (or folder:) keeps the articles under one folder: relative to the
# index's roots, absolute, or as the current directory resolves it.  An
# index made before the folder terms says to rebuild it.
. "$(dirname "$0")/lib.sh"
index_corpus

# set QUERY-ARGS...: the hits as a sorted set.
set_of() { hits "$DB" -n 100 "$@" | sort; }
sorted() { printf '%s\n' "$@" | sort; }
under() { (cd "$SRC" && find "corpus/$1" -type f \( -name '*.md' -o -name '*.txt' \) | sort); }
SEEDS=$(under seeds)
expect_eq 5 "$(wc -l <<<"$SEEDS")" "articles in corpus/seeds"

# A folder under the root, alone (newest first) and with words.
expect_eq "$SEEDS" "$(set_of path:seeds)" "path:seeds"
expect_eq "$SEEDS" "$(set_of folder:seeds)" "folder: is path:"
expect_eq "$(set_of chips | grep '^corpus/ai/')" "$(set_of 'path:ai chips')" "path:ai chips"
# It filters: the order is that of the words alone.
expect_eq "$(hits "$DB" -n 100 chips | grep '^corpus/ai/')" "$(hits "$DB" 'path:ai chips')" \
	"path: does not change the ranking"
expect_eq "$(set_of chips | grep -v '^corpus/seeds/')" "$(set_of chips -path:seeds)" "-path:"
expect_eq "$(sorted $SEEDS $(under ai))" \
	"$(set_of 'path:(ai OR seeds)')" "path:(a OR b)"
# Lexically tidied, and absolute.
expect_eq "$SEEDS" "$(set_of path:seeds/)" "a trailing slash"
expect_eq "$SEEDS" "$(set_of 'path:./ai/../seeds')" ". and .."
expect_eq "$SEEDS" "$(set_of "path:$CORPUS/seeds")" "an absolute folder"
expect_eq "$SEEDS" "$(set_of "path:$CORPUS//seeds///")" "an absolute folder, untidy"
expect_eq 29 "$("$NEWSGREP" --db "$DB" -c path:/)" "path:/ is every article"
expect_eq 29 "$("$NEWSGREP" --db "$DB" -c "path:$CORPUS")" "the root itself"
# Relative to the current directory, when it names a folder here.
expect_eq "$SEEDS" "$(cd "$SRC" && set_of path:corpus/seeds)" "from the current directory"
# A folder with spaces, through a symbolic link.
mkdir -p "$TMP/news/my folder/deep" "$TMP/elsewhere"
cp "$SRC/$S0" "$TMP/news/my folder/deep/a.txt"
cp "$SRC/$S1" "$TMP/news/b.txt"
ln -s "$TMP/news/my folder" "$TMP/elsewhere/link"
"$NEWSGREP_INDEX" -q --db "$TMP/news-db" "$TMP/news" || die "indexing news/ failed"
news() { "$NEWSGREP" --db "$TMP/news-db" -l "$@" | sed "s|$TMP/||"; }
expect_eq "news/my folder/deep/a.txt" "$(news 'path:"my folder"')" "a quoted folder"
expect_eq "news/my folder/deep/a.txt" "$(news 'path:"my folder/deep"')" "a deeper one"
expect_eq "news/my folder/deep/a.txt" "$(news "path:$TMP/elsewhere/link")" "through a link"
expect_rc 1 "$NEWSGREP" --db "$TMP/news-db" -l 'path:deep'
expect_eq "" "$out" "a folder name is not looked for at any depth"
expect_rc 1 "$NEWSGREP" --db "$TMP/news-db" -l 'path:my'
expect_eq "" "$out" "no partial folder names"
# A folder path too long to be a term still works (a hash stands in).
long=$TMP/news/$(printf 'd%.0s' {1..120})/$(printf 'e%.0s' {1..120})
mkdir -p "$long" && cp "$SRC/$S2" "$long/c.txt"
"$NEWSGREP_INDEX" -q --db "$TMP/news-db" || die "updating news/ failed"
expect_eq "${long#"$TMP/"}/c.txt" "$(news "path:$long")" "a long folder"
expect_eq "${long#"$TMP/"}/c.txt" "$(news "path:${long#"$TMP/news/"}")" "a long relative folder"

# Errors: no folder; an index from before the folder terms.
expect_rc 2 "$NEWSGREP" --db "$DB" 'chips path:'
expect_eq "newsgrep: query:1:7: 'path:' needs a value right after the colon" "$err"
expect_rc 2 "$NEWSGREP" --db "$DB" 'chips path:""'
expect_eq "newsgrep: query:1:12: 'path:' needs a folder, as in path:ai" "$err"
cp -a "$DB" "$TMP/old-db"
# Format 5 is also text rules 1 (t45), its tokenizer says so.
xapian-metadata set "$(echo "$TMP"/old-db/db.*)" newsgrep.format 5
xapian-metadata set "$(echo "$TMP"/old-db/db.*)" newsgrep.tokenizer \
	utf8proc-nfkc-casefold-stripmark/cjk-bigram/apos/max64/stem-en/1
expect_rc 0 "$NEWSGREP" --db "$TMP/old-db" -l chips
expect_rc 2 "$NEWSGREP" --db "$TMP/old-db" -l 'path:ai chips'
expect_eq "newsgrep: path: the index was made by an older newsgrep, which did not record the folders of the articles: rebuild it with newsgrep-index --rebuild" "$err"
"$NEWSGREP_INDEX" -q --db "$TMP/old-db" --rebuild || die "rebuilding failed"
expect_eq 8 "$(xapian-metadata get "$(echo "$TMP"/old-db/db.*)" newsgrep.format)" "rebuilt"
expect_eq "$SEEDS" "$(hits "$TMP/old-db" -n 100 path:seeds | sort)" "path: after the rebuild"

done_testing
