#!/usr/bin/env bash
# One archive split among indexes (newsgrep-index --shard K/N): corpus/ as
# three shards holds each article once, the two articles of one URL in one
# shard, and searched as a set answers as one index of it does; a run with
# nothing new changes nothing; an article whose URL moves moves between
# shards; another shard than the one recorded is refused until --rebuild;
# --check finds nothing wrong with a shard.
. "$(dirname "$0")/lib.sh"

N=$TMP/news
cp -r "$CORPUS" "$N"
# An article without a URL: keyed by its path below the folder.
printf -- '---\ntitle: "A note with no link"\nexcerpt: "Gaudi chips, offline."\npublishedDateTime: 2024-01-02T03:04:05Z\n---\n' \
	>"$N/ai/no-url.md"
DUP1=powerapps/2023-07-07-announcing-public-preview-of-ip-firewall-in-dataverse.md
DUP2=powerapps/2024-03-20-control-access-to-dataverse-with-ip-firewall-secure-your-data-with-ease.md
MOVED=ai/2023-12-15-intel-releases-its-own-ai-chip.md
FILES=31

S1=$TMP/s1 S2=$TMP/s2 S3=$TMP/s3
for k in 1 2 3; do
	expect_rc 0 "$NEWSGREP_INDEX" --db "$TMP/s$k" --shard "$k/3" "$N"
	expect_match "^newsgrep-index: [0-9]+ added, 0 updated, 0 deleted, 0 unchanged, 0 skipped in " \
		"$out" "shard $k/3: first run"
done
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$TMP/all" "$N"

# The files of a shard: its articles (-l --all-duplicates '*'), below $N.
files_of() { "$NEWSGREP" --db "$1" -l --all-duplicates '*' | sed "s|^$N/||" | sort; }
# Its records of files of other shards.
records_of() { xapian-metadata list "$1"/db.* | grep -c '^newsgrep\.elsewhere/'; }

# Every article in exactly one shard.
expect_eq "$(files_of "$TMP/all")" "$( (files_of "$S1" && files_of "$S2" && files_of "$S3") | sort)" \
	"the shards' articles are the archive's, each once"
sum=0 sum_collapsed=0
for k in 1 2 3; do
	n=$("$NEWSGREP" --db "$TMP/s$k" -c --all-duplicates '*')
	[[ $n -gt 0 ]] || die "shard $k/3 holds no article"
	sum=$((sum + n))
	sum_collapsed=$((sum_collapsed + $("$NEWSGREP" --db "$TMP/s$k" -c '*')))
	# Each shard records every other file, to pass over it unread.
	expect_eq "$FILES" "$((n + $(records_of "$TMP/s$k")))" "shard $k/3: articles and records"
done
expect_eq "$("$NEWSGREP" --db "$TMP/all" -c --all-duplicates '*')" "$sum" "articles in all shards"
expect_eq "$FILES" "$sum" "articles in all shards, counted"
# The two articles of one URL share a shard, so that it collapses them.
expect_eq "$("$NEWSGREP" --db "$TMP/all" -c '*')" "$sum_collapsed" "collapsed counts"
for k in 1 2 3; do
	in=$(files_of "$TMP/s$k" | grep -cxF -e "$DUP1" -e "$DUP2")
	[[ $in == 0 || $in == 2 ]] || die "shard $k/3 holds $in of the two articles of one URL"
	[[ $in == 2 ]] && dup_shard=$k
done
[[ -n ${dup_shard:-} ]] || die "the two articles of one URL are in no shard"
checks=$((checks + 1))

# The three shards as a set: one index's counts and top 10s (queries whose
# first eleven do not tie), and its scores (hits of one score, which a set
# may give in another order, by path).
set3() { "$NEWSGREP" --db "$S1" --db "$S2" --db "$S3" "$@" 2>&1; }
one() { "$NEWSGREP" --db "$TMP/all" "$@" 2>&1; }
scores() { jq -r 'select(.type == "hit") | "\(.score) \(.path)"' | sort -k1,1gr -k2,2; }
for q in 'sanctions GPU' 'chip' 'nvidia OR intel' 'dataverse firewall' \
	'"artificial intelligence"' 'title:ai' gaudi; do
	expect_eq "$(one -n 10 -l "$q")" "$(set3 -n 10 -l "$q")" "top 10: $q"
done
for q in 'power apps' 'microsoft NOT copilot' ai; do
	expect_eq "$(one --json -n 100 "$q" | scores)" "$(set3 --json -n 100 "$q" | scores)" "scores: $q"
done
for q in '*' ai chips gaudi dataverse 'date:2023' 'type:news OR gpu'; do
	expect_eq "$(one -c "$q")" "$(set3 -c "$q")" "-c $q"
done
expect_eq "$(one --facet year '*')" "$(set3 --facet year '*')" "--facet year"

# --status shows the shard; --check finds nothing wrong.
expect_rc 0 "$NEWSGREP_INDEX" --db "$S2" --status
expect_match $'\nshard: 2/3 \\(the articles whose URL hashes to 2 of 3\\)\n' "$out" "--status"
expect_rc 0 "$NEWSGREP_INDEX" --db "$TMP/all" --status
[[ $out != *shard:* ]] || die "--status of a whole index shows a shard"
for k in 1 2 3; do
	expect_rc 0 "$NEWSGREP_INDEX" --db "$TMP/s$k" --check
	expect_match "^newsgrep-index: checked the index at '$TMP/s$k': [0-9]+ articles?, no problem found$" \
		"$out" "--check of shard $k/3"
done

# A second run: nothing added, updated or deleted, nothing read.
for k in 1 2 3; do
	n=$("$NEWSGREP" --db "$TMP/s$k" -c --all-duplicates '*')
	expect_rc 0 "$NEWSGREP_INDEX" --db "$TMP/s$k" --shard "$k/3"
	expect_match "^newsgrep-index: 0 added, 0 updated, 0 deleted, $n unchanged, 0 skipped in " \
		"$out" "shard $k/3: second run"
done

# Refused: forms that are no shard, another shard than the one recorded,
# and none on a shard (or one on a whole index): exit 2, nothing written.
# (The locks, newsgrep's and Xapian's, are taken by a writer: left out.)
listing() {
	find "$S1" "$S2" "$S3" "$TMP/all" -type f ! -name lock ! -name flintlock -printf '%p %s %T@\n' |
		sort
}
before=$(listing)
for bad in 0/3 4/3 1/0 3 /3 1/ 1/3/3 a/b -1/3 +1/3 ' 1/3' 1/1025 2000/2000; do
	expect_rc 2 "$NEWSGREP_INDEX" --db "$S1" --shard "$bad"
	expect_eq "newsgrep-index: --shard wants K/N, shard K of N (1 <= K <= N <= 1024), not '$bad'" \
		"$err" "--shard $bad"
done
expect_rc 2 "$NEWSGREP_INDEX" --db "$TMP/new" --shard 0/3 "$N"
[[ ! -e $TMP/new ]] || die "a refused --shard made an index"
expect_rc 2 "$NEWSGREP_INDEX" --db "$S1" --shard 2/3
expect_eq "newsgrep-index: the index at '$S1' holds shard 1/3 of an archive, not shard 2/3: update it with --shard 1/3, or make it shard 2/3 with newsgrep-index --rebuild --shard 2/3" \
	"$err" "another shard"
expect_rc 2 "$NEWSGREP_INDEX" --db "$S1" --shard 1/4 "$N"
expect_rc 2 "$NEWSGREP_INDEX" --db "$S1"
expect_eq "newsgrep-index: the index at '$S1' holds shard 1/3 of an archive, not the whole archive: update it with --shard 1/3, or make it hold the whole archive with newsgrep-index --rebuild --shard 1/1" \
	"$err" "no shard on a shard"
expect_rc 2 "$NEWSGREP_INDEX" --db "$TMP/all" --shard 1/3
expect_eq "newsgrep-index: the index at '$TMP/all' holds the whole archive, not shard 1/3: update it without --shard, or make it shard 1/3 with newsgrep-index --rebuild --shard 1/3" \
	"$err" "a shard on a whole index"
expect_rc 2 "$NEWSGREP_INDEX" --db "$S1" --rebuild
expect_eq "newsgrep-index: the index at '$S1' holds shard 1/3 of an archive: rebuild it with --shard 1/3 (or --shard 1/1 to make it hold the whole archive)" \
	"$err" "--rebuild of a shard without --shard"
for mode in --status --check --compact; do
	expect_rc 2 "$NEWSGREP_INDEX" --db "$S1" --shard 1/3 $mode
	expect_eq "newsgrep-index: --shard does not go with $mode" "$err" "--shard $mode"
done
expect_eq "$before" "$(listing)" "nothing written by a refused run"
# --shard 1/1 is the whole archive.
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$TMP/all" --shard 1/1

# An edit that gives an article another URL moves it to the URL's shard
# (whichever: URLs are tried until one hashes elsewhere).
from=$(for k in 1 2 3; do files_of "$TMP/s$k" | grep -qxF "$MOVED" && echo "$k"; done)
[[ $from == [123] ]] || die "$MOVED is in shard '$from'"
to=$from
for i in $(seq 1 30); do
	sed -i -E "s#^(originalUrl|webUrl): .*#\\1: \"https://example.com/moved-$i\"#" "$N/$MOVED"
	for k in 1 2 3; do
		run "$NEWSGREP_INDEX" --db "$TMP/s$k" --shard "$k/3"
		[[ $rc == 0 ]] || die "shard $k/3 after the edit: exit $rc: $err"
		summary[$k]=$out
	done
	to=$(for k in 1 2 3; do files_of "$TMP/s$k" | grep -qxF "$MOVED" && echo "$k"; done)
	[[ $to == [123] ]] || die "$MOVED is in shard '$to' after the edit"
	[[ $to == "$from" ]] || break
	expect_match "^newsgrep-index: 0 added, 1 updated, 0 deleted, " "${summary[$from]}" "edited in place"
done
[[ $to != "$from" ]] || die "no URL tried moved $MOVED out of shard $from"
expect_match "^newsgrep-index: 0 added, 0 updated, 1 deleted, " "${summary[$from]}" "the shard it left"
expect_match "^newsgrep-index: 1 added, 0 updated, 0 deleted, " "${summary[$to]}" "the shard it joined"
for k in 1 2 3; do
	[[ $k == "$from" || $k == "$to" ]] && continue
	expect_match "^newsgrep-index: 0 added, 0 updated, 0 deleted, " "${summary[$k]}" "the other shard"
done
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$TMP/all" "$N"
expect_eq "$(files_of "$TMP/all")" "$( (files_of "$S1" && files_of "$S2" && files_of "$S3") | sort)" \
	"after the move: each article once"
expect_eq "$(one -n 10 -l intel)" "$(set3 -n 10 -l intel)" "after the move: top 10"

# A deleted file is forgotten by its shard, and its record by the others.
rm "$N/$DUP1"
for k in 1 2 3; do
	expect_rc 0 "$NEWSGREP_INDEX" --db "$TMP/s$k" --shard "$k/3"
	if [[ $k == "$dup_shard" ]]; then
		expect_match "^newsgrep-index: 0 added, 0 updated, 1 deleted, " "$out" "the shard of a deleted file"
	else
		expect_match "^newsgrep-index: 0 added, 0 updated, 0 deleted, " "$out" "another shard"
	fi
	n=$("$NEWSGREP" --db "$TMP/s$k" -c --all-duplicates '*')
	expect_eq "$((FILES - 1))" "$((n + $(records_of "$TMP/s$k")))" "shard $k/3: articles and records"
	expect_rc 0 "$NEWSGREP_INDEX" -q --db "$TMP/s$k" --check
done

expect_rc 0 "$NEWSGREP_INDEX" -q --db "$TMP/all"

# A file that is no article is reported by one shard of the three (the one
# its path is the key of), which exits 1; the others say nothing of it.
printf -- '---\ntitle: [broken\n---\n' >"$N/ai/broken.md"
reports=0 failed=0
for k in 1 2 3; do
	"$NEWSGREP_INDEX" -q --db "$TMP/s$k" --shard "$k/3" 2>"$TMP/err$k" && rc=0 || rc=$?
	n=$(grep -c "^$N/ai/broken.md:3:1: invalid YAML" "$TMP/err$k" || true)
	expect_eq "$n" "$(wc -l <"$TMP/err$k")" "shard $k/3 reports nothing else"
	reports=$((reports + n))
	[[ $rc -eq 0 ]] || { expect_eq 1 "$rc" "shard $k/3 exit status" && failed=$((failed + 1)); }
done
expect_eq 1 "$reports" "the bad file is reported once among the shards"
expect_eq 1 "$failed" "one shard exits 1"
rm "$N/ai/broken.md"

# --rebuild --shard changes the shard: 1/3 made 2/3 holds what 2/3 holds.
cp -a "$S1" "$TMP/r"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$TMP/r" --rebuild --shard 2/3
expect_rc 0 "$NEWSGREP_INDEX" --db "$TMP/r" --status
expect_match $'\nshard: 2/3 ' "$out" "rebuilt as 2/3"
expect_eq "$(files_of "$S2")" "$(files_of "$TMP/r")" "rebuilt as 2/3: its articles"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$TMP/r" --shard 2/3
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$TMP/r" --check
# ... and --rebuild --shard 1/1 makes it whole.
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$TMP/r" --rebuild --shard 1/1
expect_eq "$(files_of "$TMP/all")" "$(files_of "$TMP/r")" "rebuilt whole"
expect_eq 0 "$(records_of "$TMP/r")" "a whole index records no other shard's files"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$TMP/r"
# A shard written on threads (segments, merged) is the same shard.
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$TMP/j" --shard 3/3 -j 2 "$N"
expect_eq "$(files_of "$S3")" "$(files_of "$TMP/j")" "3/3 written on two threads"
expect_eq "$(records_of "$S3")" "$(records_of "$TMP/j")" "3/3 written on two threads: records"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$TMP/j" --check
# --forget needs no --shard.
expect_rc 0 "$NEWSGREP_INDEX" --db "$S3" --forget "$N"
expect_eq 0 "$(records_of "$S3")" "--forget drops the records too"
expect_eq 0 "$("$NEWSGREP" --db "$S3" -c --all-duplicates '*')" "--forget drops the articles"

done_testing
