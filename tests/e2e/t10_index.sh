#!/usr/bin/env bash
# newsgrep-index: what gets indexed, what is reported, exit statuses.
. "$(dirname "$0")/lib.sh"

# The bundled corpus indexes cleanly (README.md is in .newsgrepignore).
expect_rc 0 "$NEWSGREP_INDEX" --db "$TMP/db" "$CORPUS"
expect_match '^newsgrep-index: 30 added, 0 updated, 0 deleted, 0 unchanged, 0 skipped in [0-9.]+ s$' "$out" summary
expect_eq "" "$err" "stderr of a clean run"

# Indexing again (a folder inside a root, a file twice) adds no copies.
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$TMP/db" "$CORPUS/seeds" "$CORPUS/seeds/000_21fff29c15f39abc.txt" "$CORPUS/seeds/000_21fff29c15f39abc.txt"
expect_eq "" "$out" "output of -q"
expect_eq 30 "$(doc_count "$TMP/db")" "documents after reindexing"
expect_rc 0 "$NEWSGREP" --db "$TMP/db" --json -n 50 moore threads
expect_eq 2 "$(jq -c 'select(.type == "hit")' <<<"$out" | wc -l)" "hits for 'moore threads' after reindexing"

# Bad files: each reported once as path:line:column, the rest indexed, exit 1.
expect_rc 1 "$NEWSGREP_INDEX" --db "$TMP/broken-db" "$BROKEN"
expect_match '^newsgrep-index: 8 added, 0 updated, 0 deleted, 0 unchanged, 8 skipped, 5 warnings in ' "$out" summary
expect_eq "tests/fixtures/broken/bad-date.md:5:20: warning: publishedDateTime: cannot read date 'next tuesday' (expected ISO 8601); indexed without a date
tests/fixtures/broken/binary-garbage.md:2:1: invalid UTF-8 (byte 0xc0): the file must be UTF-8
tests/fixtures/broken/empty.md:1:1: file is empty
tests/fixtures/broken/invalid-yaml-indentation.md:8:3: invalid YAML: did not find expected key while parsing a block mapping
tests/fixtures/broken/invalid-yaml-unclosed-flow.md:4:8: invalid YAML: did not find expected ',' or ']' while parsing a flow sequence
tests/fixtures/broken/latin1-title.md:3:12: invalid UTF-8 (byte 0xe9): the file must be UTF-8
tests/fixtures/broken/list-front-matter.md:2:1: front matter is a list, not a mapping of fields
tests/fixtures/broken/no-front-matter.md:1:1: no front matter: the file does not start with a '---' line
tests/fixtures/broken/truncated-yaml.md:1:1: front matter is not closed: no '---' line after the opening one
tests/fixtures/broken/wrong-type-excerpt.md:5:3: warning: excerpt: expected a string, found a mapping; field ignored
tests/fixtures/broken/wrong-type-related.md:13:10: warning: related: expected a list, found a string; field ignored
tests/fixtures/broken/wrong-type-title.md:4:3: warning: title: expected a string, found a list; field ignored
tests/fixtures/broken/wrong-type-topics.md:11:9: warning: topics: expected a list, found a string; field ignored" \
	"$(printf '%s\n' "$err" | rel)" "problems reported"

# The articles that were indexed, warnings or not, are searchable.
expect_eq "tests/fixtures/broken/bad-date.md" "$(hits "$TMP/broken-db" dugongflax)" "bad date"
expect_eq "tests/fixtures/broken/bom.md" "$(hits "$TMP/broken-db" marmotwhisk)" "BOM"
expect_eq "tests/fixtures/broken/crlf.md" "$(hits "$TMP/broken-db" gibbonquay)" "CRLF"
expect_eq "tests/fixtures/broken/alias-bomb.md" "$(hits "$TMP/broken-db" capybarn)" "alias bomb"
expect_eq "" "$(hits "$TMP/broken-db" zebracorn)" "truncated file not indexed"

# Bad files next to good ones: good ones are all still indexed.
expect_rc 1 "$NEWSGREP_INDEX" --db "$TMP/mixed-db" "$CORPUS" "$BROKEN"
expect_match '^newsgrep-index: 38 added, 0 updated, 0 deleted, 0 unchanged, 8 skipped, 5 warnings in ' "$out" summary

# A file over 16 MiB is skipped without being read; a missing folder is
# reported; hidden files and folders are not indexed; a file named on the
# command line is indexed whatever its extension.
mkdir -p "$TMP/tree/.hidden" "$TMP/tree/sub"
cp "$CORPUS/seeds/000_21fff29c15f39abc.txt" "$TMP/tree/.hidden/a.md"
cp "$CORPUS/seeds/000_21fff29c15f39abc.txt" "$TMP/tree/.dot.md"
cp "$CORPUS/seeds/001_22cd2ad8bb3a4915.txt" "$TMP/tree/sub/b.md"
cp "$CORPUS/seeds/003_c8f0aaa0abab2964.txt" "$TMP/tree/sub/c.json"
{ printf -- '---\ntitle: huge\n---\n'; head -c $((17 * 1024 * 1024)) /dev/zero | tr '\0' 'x'; } >"$TMP/tree/huge.md"
ln -s .. "$TMP/tree/sub/loop"
expect_rc 1 "$NEWSGREP_INDEX" --db "$TMP/tree-db" "$TMP/tree" "$TMP/missing" "$CORPUS/seeds/003_c8f0aaa0abab2964.txt"
expect_match '^newsgrep-index: 2 added, 0 updated, 0 deleted, 0 unchanged, 2 skipped, 1 warning in ' "$out" summary
# Named paths are checked first, then the folders walked, then files read.
expect_eq "$TMP/missing: cannot read: No such file or directory
$TMP/tree/sub/loop: warning: symbolic link loops back to a parent folder; not followed
$TMP/tree/huge.md: file is too large (17825812 bytes; the limit is 16 MiB)" "$err" "problems"
expect_eq "$TMP/tree/sub/b.md" "$(hits "$TMP/tree-db" cloudminds | sed "s|^|$SRC/|;s|^$SRC/$TMP|$TMP|")" "walked file"

# Links to files are followed; a broken link with an article's name is
# reported; so is a pipe, never opened (no hang, see t78); an ignore
# pattern with a '/' matches the path below the root, one without matches
# a name at any depth; entries come in name order.
mkdir -p "$TMP/links/x/drafts" "$TMP/links/y/drafts" "$TMP/elsewhere"
printf '# local\nx/drafts\n*.skip.md\n' >"$TMP/links/.newsgrepignore"
cp "$CORPUS/seeds/000_21fff29c15f39abc.txt" "$TMP/elsewhere/target.md"
ln -s "$TMP/elsewhere/target.md" "$TMP/links/y/linked.md"
ln -s "$TMP/elsewhere/gone.md" "$TMP/links/x/broken.md"
ln -s "$TMP/elsewhere/gone.json" "$TMP/links/x/broken.json"
mkfifo "$TMP/links/x/pipe.md"
cp "$CORPUS/seeds/001_22cd2ad8bb3a4915.txt" "$TMP/links/x/drafts/b.md"
cp "$CORPUS/seeds/001_22cd2ad8bb3a4915.txt" "$TMP/links/y/drafts/b.md"
cp "$CORPUS/seeds/003_c8f0aaa0abab2964.txt" "$TMP/links/y/c.skip.md"
cp "$CORPUS/seeds/003_c8f0aaa0abab2964.txt" "$TMP/links/a.md"
expect_rc 1 timeout 20 "$NEWSGREP_INDEX" --db "$TMP/links-db" "$TMP/links"
expect_match '^newsgrep-index: 3 added, 0 updated, 0 deleted, 0 unchanged, 2 skipped in ' "$out" summary
expect_eq "$TMP/links/x/broken.md: broken symbolic link: its target does not exist
$TMP/links/x/pipe.md: not a regular file" "$err" "broken link"
expect_eq "$TMP/links/a.md
$TMP/links/y/drafts/b.md
$TMP/links/y/linked.md" "$("$NEWSGREP" --db "$TMP/links-db" -l '*' | sort)" "walked files"

# --memory bounds a batch by its estimated memory: 90 articles (about
# 3 MiB of postings) in batches of 1 MiB take several commits, where the
# default takes one.
mkdir -p "$TMP/many"
for i in $(seq 1 5); do
	for f in "$CORPUS"/seeds/*.txt "$CORPUS"/ai/*.md; do cp "$f" "$TMP/many/$i-${f##*/}"; done
done
expect_rc 0 "$NEWSGREP_INDEX" -q -j1 --db "$TMP/many-one" "$TMP/many"
expect_rc 0 "$NEWSGREP_INDEX" -q -j1 --memory 1 --db "$TMP/many-small" "$TMP/many"
revision() { "$NEWSGREP_INDEX" --status --db "$1" | sed -n 's/^revision: //p'; }
expect_eq 2 "$(revision "$TMP/many-one")" "one batch"
(($(revision "$TMP/many-small") > 3)) || die "--memory 1: revision $(revision "$TMP/many-small"), want more than 3"
expect_eq "$(doc_count "$TMP/many-one")" "$(doc_count "$TMP/many-small")" "--memory: same articles"
expect_rc 2 "$NEWSGREP_INDEX" --memory 0 "$CORPUS"
expect_eq "newsgrep-index: --memory wants a number of MiB from 1 to 1048576, not '0'" "$err" "--memory 0"

# A new index of 1000 files or more is merged, which compacts it, even on
# one thread: a quarter smaller here than the same articles written in
# place by an update (a first build written in place is 7% smaller).
mkdir -p "$TMP/thousand"
for i in $(seq 1 12); do
	for f in "$TMP"/many/*; do cp "$f" "$TMP/thousand/$i-${f##*/}"; done
done
expect_rc 0 "$NEWSGREP_INDEX" -q -j1 --db "$TMP/merged" "$TMP/thousand"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$TMP/in-place" "$TMP/thousand/1-1-000_21fff29c15f39abc.txt"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$TMP/in-place" "$TMP/thousand"
expect_eq 1080 "$(doc_count "$TMP/merged")" "merged: articles"
expect_eq 1080 "$(doc_count "$TMP/in-place")" "in place: articles"
merged=$(du -sk "$TMP/merged" | cut -f1) in_place=$(du -sk "$TMP/in-place" | cut -f1)
((merged * 100 < in_place * 85)) || die "a merged first index takes $merged KiB, in place $in_place KiB"

# Fatal errors: exit 2 with a message, nothing half-done.
expect_rc 2 "$NEWSGREP_INDEX" --db "$TMP/tree/sub/b.md/db" "$CORPUS"
expect_eq "newsgrep-index: cannot create the index folder '$TMP/tree/sub/b.md/db': Not a directory" "$err" "unwritable db"
expect_rc 2 "$NEWSGREP_INDEX" --db "$TMP/new-db"
expect_eq "newsgrep-index: the index has no folders yet: name one (newsgrep-index DIR)" "$err" "no folder"
expect_rc 2 "$NEWSGREP_INDEX" --bogus "$CORPUS"

# The default location: $NEWSGREP_DB, then $XDG_DATA_HOME, then ~/.local/share.
NEWSGREP_DB= XDG_DATA_HOME=$TMP/xdg expect_rc 0 "$NEWSGREP_INDEX" -q "$CORPUS/seeds"
[[ -f $TMP/xdg/newsgrep/XAPIANDB ]] || die "no index under XDG_DATA_HOME"
NEWSGREP_DB= XDG_DATA_HOME= expect_rc 0 "$NEWSGREP_INDEX" -q "$CORPUS/seeds"
[[ -f $HOME/.local/share/newsgrep/XAPIANDB ]] || die "no index under ~/.local/share"
expect_rc 0 "$NEWSGREP_INDEX" -q "$CORPUS/seeds"
[[ -f $NEWSGREP_DB/XAPIANDB ]] || die "no index at \$NEWSGREP_DB"

done_testing
