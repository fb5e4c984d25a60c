#!/usr/bin/env bash
# What one article may cost: each field's first 256 KiB and 1 MiB of an
# article's text in all are indexed and stored, with a warning naming the
# file and the field (a 15 MiB title of distinct words took 3 GB and
# minutes); and running out of memory on one article skips that file,
# named, while the others are indexed (it ended the run, naming no file).
. "$(dirname "$0")/lib.sh"
: "${NEWSGREP_INDEX_HOOKS:?}"

# words TAG BYTES: BYTES of distinct words TAGa TAGb ... TAGzz ...
words() {
	awk -v tag="$1" -v bytes="$2" 'BEGIN {
		for (n = i = 0; n < bytes; i++) {
			w = ""; x = i
			do { w = w sprintf("%c", 97 + x % 26); x = int(x / 26) } while (x > 0)
			printf "%s ", tag w; n += length(tag w) + 1
		}
	}'
}

mkdir -p "$TMP/news/a" "$TMP/news/z"
cp "$CORPUS"/ai/*.md "$TMP/news/a/"
ai=$(ls "$CORPUS"/ai/*.md | wc -l)

# A 1 MiB title of distinct words, with an excerpt after it.
big=$TMP/news/m-big.md
{
	printf -- '---\ntitle: "zebrafirst %s"\n' "$(words q $((1 << 20)))"
	printf 'excerpt: "an ordinary excerpt about walruses"\n---\n'
} >"$big"
# An article whose related excerpts pass 1 MiB in all.
rel=$TMP/news/m-related.md
{
	printf -- '---\ntitle: "An article with many long related items, %s"\n' \
		"every one of them longer than a field may be"
	printf 'excerpt: "narwhals"\nrelated:\n'
	# (Few distinct words, which cost far less than as many new ones.)
	for r in a b c d e; do
		printf '  - excerpt: "r%szq %s"\n' "$r" "$(yes 'more of the same' | head -c $((300 << 10)) | tr '\n' ' ')"
	done
	printf -- '---\n'
} >"$rel"
cp "$CORPUS/ai/2023-12-15-intel-releases-its-own-ai-chip.md" "$TMP/news/z/after.md"

expect_rc 0 "$NEWSGREP_INDEX" -j1 --db "$TMP/db" "$TMP/news"
expect_eq "$big: warning: title is 1.0 MiB: only its first 256 KiB is indexed
$rel: warning: related[0].excerpt is 300.0 KiB: only its first 256 KiB is indexed
$rel: warning: related[1].excerpt is 300.0 KiB: only its first 256 KiB is indexed
$rel: warning: related[2].excerpt is 300.0 KiB: only its first 256 KiB is indexed
$rel: warning: the article's text passes 1 MiB in related[3].excerpt: the rest is not indexed" \
	"$(grep -v '^newsgrep-index: ' <<<"$err")" "the warnings"
expect_match "^newsgrep-index: $((ai + 3)) added, .* 5 warnings in " "$out$err" "the summary"
# What fits is indexed: the first words, the field after the cut one; the
# words past the cut are not.
expect_eq "$big" "$("$NEWSGREP" --db "$TMP/db" -l zebrafirst)" "the title's first word"
expect_eq "$big" "$("$NEWSGREP" --db "$TMP/db" -l qzb)" "an early word of the title"
expect_eq "$big" "$("$NEWSGREP" --db "$TMP/db" -l walruses)" "the excerpt after the title"
expect_eq 0 "$("$NEWSGREP" --db "$TMP/db" -c qaaaf 2>/dev/null)" "a word past the cut"
expect_eq "$rel" "$("$NEWSGREP" --db "$TMP/db" -l razq)" "related[0]"
expect_eq 0 "$("$NEWSGREP" --db "$TMP/db" -c rezq 2>/dev/null)" "related[4], past 1 MiB"
expect_eq "$TMP/news/z/after.md" "$("$NEWSGREP" --db "$TMP/db" -l path:"$TMP/news/z")" \
	"the file after them"
# What a hit shows is cut alike: the stored title is 256 KiB at most.
len=$("$NEWSGREP" --db "$TMP/db" --json zebrafirst | jq -r 'select(.type == "hit").title | length')
((len > 250000 && len <= 262144)) || die "the stored title is $len bytes"
checks=$((checks + 1))

# Out of memory building one article (the test hook, as Xapian's
# std::bad_alloc reads) skips that file, named; the later ones are indexed.
NEWSGREP_TEST_NOMEM_FILE=m-big expect_rc 1 "$NEWSGREP_INDEX_HOOKS" -j1 --db "$TMP/db2" "$TMP/news"
expect_eq "$big: out of memory building the article; skipped" \
	"$(grep -v -e '^newsgrep-index: ' -e ': warning: ' <<<"$err")" "the file skipped"
expect_match "^newsgrep-index: $((ai + 2)) added, .* 1 skipped, 4 warnings in " "$out$err" \
	"the summary"
expect_eq "$TMP/news/z/after.md" "$("$NEWSGREP" --db "$TMP/db2" -l path:"$TMP/news/z")" \
	"the file after it"
# In an update, the file keeps the version the index has.
printf -- '---\ntitle: "zebrafirst zebrachanged"\n---\n' >"$big"
NEWSGREP_TEST_NOMEM_FILE=m-big expect_rc 1 "$NEWSGREP_INDEX_HOOKS" --db "$TMP/db" "$TMP/news"
expect_eq "$big: out of memory building the article; skipped" "$(grep -v '^newsgrep-index: ' <<<"$err")" \
	"the file skipped in an update"
expect_eq 0 "$("$NEWSGREP" --db "$TMP/db" -c zebrachanged)" "the new version"
expect_eq 1 "$("$NEWSGREP" --db "$TMP/db" -c walruses)" "the version kept"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$TMP/db" "$TMP/news"
expect_eq 1 "$("$NEWSGREP" --db "$TMP/db" -c zebrafirst zebrachanged)" "the new version, memory back"

# For real, under a limit of address space that indexes real articles but
# not 1 MiB of distinct words (about 220 MB): the file is skipped, named,
# wherever the memory ran out (building or adding it), and the others are
# indexed.  A sanitizer's runtime cannot start under such a limit: then
# the probe fails and this part is left out.
worst=$TMP/worst/a/m-worst.md
mkdir -p "$TMP/worst/a" && cp "$CORPUS"/ai/*.md "$TMP/worst/a/"
limit=150000
rc=0
(ulimit -v $limit && exec "$NEWSGREP_INDEX" -q -j1 --db "$TMP/probe-db" "$TMP/worst") \
	>/dev/null 2>&1 || rc=$?
if [[ $rc == 0 ]]; then
	{
		printf -- '---\ntitle: "%s"\nexcerpt: "%s"\nrelated:\n' \
			"$(words t $((300 << 10)))" "$(words e $((300 << 10)))"
		printf '  - title: "%s"\n    excerpt: "%s"\n' \
			"$(words rt $((300 << 10)))" "$(words re $((300 << 10)))"
		printf -- '---\n'
	} >"$worst"
	printf -- '---\ntitle: "The okapi after it"\n---\n' >"$TMP/worst/a/z-after.md"
	rm -rf "$TMP/probe-db"
	rc=0
	(ulimit -v $limit && exec "$NEWSGREP_INDEX" -j1 --db "$TMP/db3" "$TMP/worst") \
		>"$TMP/out" 2>"$TMP/stderr" || rc=$?
	err=$(grep -v -e '^newsgrep-index: ' -e ': warning: ' "$TMP/stderr")
	[[ $rc == 1 ]] || die "under ulimit -v $limit: exit $rc, want 1: $(cat "$TMP/stderr")"
	expect_match "^$worst: out of memory (building|adding) the article( to the index)?; skipped\$" \
		"$err" "the file skipped"
	expect_eq $((ai + 1)) "$(doc_count "$TMP/db3")" "the others"
	expect_eq "$TMP/worst/a/z-after.md" "$("$NEWSGREP" --db "$TMP/db3" -l okapi)" "the file after it"
	# An update (a batch of one new file after the others) alike.
	touch "$TMP/worst/a/z-after.md"
	printf -- '---\ntitle: "A quokka, new"\n---\n' >"$TMP/worst/a/z-new.md"
	rc=0
	(ulimit -v $limit && exec "$NEWSGREP_INDEX" -j1 --db "$TMP/db3" "$TMP/worst") \
		>"$TMP/out" 2>"$TMP/stderr" || rc=$?
	err=$(grep -v -e '^newsgrep-index: ' -e ': warning: ' "$TMP/stderr")
	[[ $rc == 1 ]] || die "update under ulimit -v $limit: exit $rc, want 1: $(cat "$TMP/stderr")"
	expect_match "^$worst: out of memory (building|adding) the article( to the index)?; skipped\$" \
		"$err" "the file skipped in an update"
	expect_eq $((ai + 2)) "$(doc_count "$TMP/db3")" "the others after the update"
	expect_eq "$TMP/worst/a/z-new.md" "$("$NEWSGREP" --db "$TMP/db3" -l quokka)" "the new file"
else
	echo "skipped the ulimit -v part: the indexer cannot run under ulimit -v $limit (a sanitizer?)"
fi

done_testing
