#!/usr/bin/env bash
# newsgrep-index run again and again, as cron would: new, changed, touched,
# deleted, moved and broken files; roots; the lock; --rebuild; damage.
. "$(dirname "$0")/lib.sh"

W=$TMP/archive # the archive the index follows
DBX=$TMP/db
mkdir -p "$W/seeds" "$W/ai"
cp "$CORPUS"/seeds/00[0-3]_*.txt "$W/seeds/"
cp "$CORPUS/$(basename "$INTEL" | sed 's|^|ai/|')" "$W/ai/intel.md"

# summary: the counts of the last run's summary line, without the time.
summary() { sed -E 's/^newsgrep-index: (.*) in [0-9.]+ s$/\1/' <<<"$out"; }
# docs: the indexed files, relative to the archive, sorted.
docs() { "$NEWSGREP" --db "$DBX" --all-duplicates -l '*' | sed "s|^$W/||" | sort; }
revision() { "$NEWSGREP_INDEX" --db "$DBX" --status | sed -n 's/^revision: //p'; }
# update [ARGS]: a run with no folder named, as cron runs it.
update() { expect_rc "${want_rc:-0}" "$NEWSGREP_INDEX" --db "$DBX" "$@"; }

expect_rc 0 "$NEWSGREP_INDEX" --db "$DBX" "$W"
expect_eq "5 added, 0 updated, 0 deleted, 0 unchanged, 0 skipped" "$(summary)"
expect_eq "ai/intel.md
seeds/000_21fff29c15f39abc.txt
seeds/001_22cd2ad8bb3a4915.txt
seeds/002_f20c2178ff692251.txt
seeds/003_c8f0aaa0abab2964.txt" "$(docs)" "first index"
expect_rc 0 "$NEWSGREP_INDEX" --db "$DBX" --status
expect_eq "index: $DBX
articles: 5
revision: 2
format: 8
folders:
  $W" "$(grep -v '^size: ' <<<"$out")" "--status (its size: t34_cli_messages)"

# Nothing changed: nothing written, not even a new revision.
update
expect_eq "0 added, 0 updated, 0 deleted, 5 unchanged, 0 skipped" "$(summary)"
expect_eq 2 "$(revision)" "revision after a run with nothing to do"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$DBX"
expect_eq "" "$out$err" "-q with nothing to do"

# Touched: stat changed, bytes did not: not indexed again.
touch "$W/seeds/000_21fff29c15f39abc.txt"
update
expect_eq "0 added, 0 updated, 0 deleted, 5 unchanged, 0 skipped" "$(summary)" "touch"
rev=$(revision)
update
expect_eq "$rev" "$(revision)" "a touched file's record is refreshed once"

# Changed in place with the size and mtime kept (as cp -p, rsync -t or tar
# -x leave files): the ctime gives it away, the hash confirms it.
f=$W/seeds/000_21fff29c15f39abc.txt
cp -p "$f" "$TMP/stamp"
sed -i 's/Moore Threads Defies/Moore Threads Defyes/' "$f"
touch -r "$TMP/stamp" "$f"
[[ $(stat -c %s "$f") == $(stat -c %s "$TMP/stamp") ]] || die "size changed"
update
expect_eq "0 added, 1 updated, 0 deleted, 4 unchanged, 0 skipped" "$(summary)" "changed in place"
expect_eq "seeds/000_21fff29c15f39abc.txt" "$("$NEWSGREP" --db "$DBX" -l --exact defyes | sed "s|^$W/||")"
expect_rc 1 "$NEWSGREP" --db "$DBX" -l --exact title:defies

# New, deleted, moved and moved-out-of-sight files, all in one run.
cp "$CORPUS/seeds/004_c60ec760bb7e258f.txt" "$W/seeds/"
cp "$CORPUS/powerapps/2023-10-20-copilot-in-power-apps-commercially-released.md" "$W/copilot.md"
rm "$W/seeds/001_22cd2ad8bb3a4915.txt"
mkdir "$W/2023"
mv "$W/ai/intel.md" "$W/2023/intel-chip.md"
mkdir "$W/.trash"
mv "$W/seeds/002_f20c2178ff692251.txt" "$W/.trash/"
update
expect_eq "3 added, 0 updated, 3 deleted, 2 unchanged, 0 skipped" "$(summary)" "mixed changes"
expect_eq "2023/intel-chip.md
copilot.md
seeds/000_21fff29c15f39abc.txt
seeds/003_c8f0aaa0abab2964.txt
seeds/004_c60ec760bb7e258f.txt" "$(docs)" "after mixed changes"
expect_eq 5 "$(doc_count "$DBX")" "no stale documents"

# A broken file keeps its previous version until it is fixed or deleted.
cp "$W/copilot.md" "$TMP/copilot.good"
printf -- '---\ntitle: [unclosed\n---\n' >"$W/copilot.md"
want_rc=1 update
expect_eq "$W/copilot.md:3:1: invalid YAML: did not find expected ',' or ']' while parsing a flow sequence" "$err"
expect_eq "0 added, 0 updated, 0 deleted, 4 unchanged, 1 skipped" "$(summary)" "broken file"
expect_eq "copilot.md" "$("$NEWSGREP" --db "$DBX" -l copilot | sed "s|^$W/||")" "previous version kept"
want_rc=1 update
cp "$TMP/copilot.good" "$W/copilot.md"
update
expect_eq "0 added, 0 updated, 0 deleted, 5 unchanged, 0 skipped" "$(summary)" "fixed file (same bytes as indexed)"

# Unreadable files and folders keep their articles too (checked as an
# ordinary user: root reads everything).
other_user
U=$OTHER/user && mkdir -p "$U/a/sub" && cp "$CORPUS"/seeds/00[01]_*.txt "$U/a/" &&
	cp "$CORPUS/seeds/003_c8f0aaa0abab2964.txt" "$U/a/sub/" && chmod -R a+rwX "$U"
expect_rc 0 as_other_user "$OTHER_NEWSGREP_INDEX" -q --db "$U/db" "$U/a"
chmod 000 "$U/a/000_21fff29c15f39abc.txt" "$U/a/sub"
expect_rc 1 as_other_user "$OTHER_NEWSGREP_INDEX" --db "$U/db"
expect_eq "$U/a/sub: cannot read: Permission denied
$U/a/000_21fff29c15f39abc.txt: cannot read: Permission denied" "$err" "unreadable"
expect_eq 3 "$(doc_count "$U/db")" "unreadable file and folder keep their articles"
chmod 755 "$U/a/sub" && chmod 644 "$U/a/000_21fff29c15f39abc.txt"

# A second root; one that vanishes (or is suddenly empty, as an unmounted
# disk would be) keeps its articles until it is forgotten.
mkdir -p "$TMP/more"
cp "$CORPUS/ai/2024-03-07-how-nvidia-leads-the-world-by-making-ai-user-friendly.md" "$TMP/more/"
expect_rc 0 "$NEWSGREP_INDEX" --db "$DBX" "$TMP/more"
expect_eq "1 added, 0 updated, 0 deleted, 0 unchanged, 0 skipped" "$(summary)" "second root"
expect_eq "folders:
  $W
  $TMP/more" "$("$NEWSGREP_INDEX" --db "$DBX" --status | sed -n '/^folders:/,$p')"
mv "$TMP/more" "$TMP/more.away"
want_rc=1 update
expect_eq "$TMP/more: cannot read (No such file or directory): its 1 article is kept; newsgrep-index --forget drops it" "$err"
expect_eq 6 "$(doc_count "$DBX")" "vanished root's articles kept"
mv "$TMP/more.away" "$TMP/more"
mv "$TMP/more"/*.md "$TMP/"
want_rc=1 update
expect_eq "$TMP/more: folder has no articles now, but 1 was indexed from it: keeping it (is a disk not mounted?); newsgrep-index --forget drops it" "$err"
expect_eq 6 "$(doc_count "$DBX")" "emptied root's articles kept"
expect_rc 0 "$NEWSGREP_INDEX" --db "$DBX" --forget "$TMP/more/"
expect_eq "0 added, 0 updated, 1 deleted, 0 unchanged, 0 skipped" "$(summary)" "--forget"
expect_eq "folders:
  $W" "$("$NEWSGREP_INDEX" --db "$DBX" --status | sed -n '/^folders:/,$p')"
expect_rc 2 "$NEWSGREP_INDEX" --db "$DBX" --forget "$W/seeds"
expect_eq "newsgrep-index: '$W/seeds' is not one of the index's folders (newsgrep-index --status lists them)" "$err"
# A folder inside a root is updated alone; its neighbours are left be.
rm "$W/copilot.md"
expect_rc 0 "$NEWSGREP_INDEX" --db "$DBX" "$W/seeds"
expect_eq "0 added, 0 updated, 0 deleted, 3 unchanged, 0 skipped" "$(summary)" "sub-folder"
expect_eq 5 "$(doc_count "$DBX")" "file outside the folder updated is kept"
update
expect_eq "0 added, 0 updated, 1 deleted, 4 unchanged, 0 skipped" "$(summary)"

# One writer at a time: 75 and the lock's name, or --wait for it.
flock "$DBX/lock" sleep 3 &
holder=$!
sleep 0.3
expect_rc 75 "$NEWSGREP_INDEX" --db "$DBX"
expect_eq "newsgrep-index: index at '$DBX' is locked by another newsgrep-index (pid unknown; lock file '$DBX/lock')" "$err"
expect_rc 75 "$NEWSGREP_INDEX" --db "$DBX" --wait=0.2
expect_match "is still locked after 0.2 s by another newsgrep-index" "$err"
expect_rc 0 "$NEWSGREP" --db "$DBX" -c '*' # searching needs no lock
expect_rc 0 "$NEWSGREP_INDEX" --db "$DBX" --wait
expect_eq "0 added, 0 updated, 0 deleted, 4 unchanged, 0 skipped" "$(summary)" "after --wait"
wait "$holder"
expect_rc 2 "$NEWSGREP_INDEX" --db "$DBX" --wait=soon
expect_rc 2 "$NEWSGREP_INDEX" --db "$DBX" --batch 0

# --rebuild: a fresh index from the same folders, swapped in whole.
before=$(docs)
expect_rc 0 "$NEWSGREP_INDEX" --db "$DBX" --rebuild
expect_eq "4 added, 0 updated, 0 deleted, 0 unchanged, 0 skipped" "$(summary)" "--rebuild"
expect_eq "$before" "$(docs)" "rebuilt index"
expect_eq "XAPIANDB db.2 lock" "$(ls "$DBX" | tr '\n' ' ' | sed 's/ $//')" "old database removed"
# A rebuild that would lose a folder's articles is refused; the old stays.
mkdir "$TMP/empty"
expect_rc 2 "$NEWSGREP_INDEX" --db "$DBX" --rebuild "$W" "$TMP/empty"
expect_eq "newsgrep-index: folder '$TMP/empty' has no articles: not rebuilding from it (is a disk not mounted? --forget it first if it is meant to be empty)" "$err"
expect_rc 2 "$NEWSGREP_INDEX" --db "$DBX" --rebuild "$TMP/gone" "$W"
expect_eq "newsgrep-index: cannot rebuild from '$TMP/gone': No such file or directory" "$err"
expect_eq "$before" "$(docs)" "index after refused rebuilds"
expect_eq "XAPIANDB db.2 lock" "$(ls "$DBX" | tr '\n' ' ' | sed 's/ $//')" "refused rebuilds left nothing"

# --compact: the same index with full B-tree blocks, swapped in whole,
# reading no file. Changing every article leaves blocks part empty.
for f in "$W"/*/*; do sed -i '0,/^title: "/s//title: "Again: /' "$f"; done
update -q
hits_before=$("$NEWSGREP" --db "$DBX" --all-duplicates again)
json_before=$("$NEWSGREP" --db "$DBX" --json chips)
update --compact
expect_match "^newsgrep-index: compacted the index from [0-9.]+ MB to [0-9.]+ MB in [0-9.]+ s$" "$out"
read -r from to < <(sed -E 's/.* from ([0-9.]+) MB to ([0-9.]+) MB .*/\1 \2/' <<<"$out")
awk -v a="$from" -v b="$to" 'BEGIN { exit !(b < a) }' || die "--compact: $from MB to $to MB"
expect_eq "XAPIANDB db.3 lock" "$(ls "$DBX" | tr '\n' ' ' | sed 's/ $//')" "compacted: old database removed"
expect_eq "$hits_before" "$("$NEWSGREP" --db "$DBX" --all-duplicates again)" "hits after --compact"
expect_eq "$json_before" "$("$NEWSGREP" --db "$DBX" --json chips)" "JSON after --compact"
update
expect_eq "0 added, 0 updated, 0 deleted, 4 unchanged, 0 skipped" "$(summary)" "after --compact"
expect_rc 2 "$NEWSGREP_INDEX" --db "$DBX" --compact "$W"
expect_eq "newsgrep-index: --compact takes no folders" "$err"
expect_rc 2 "$NEWSGREP_INDEX" --db "$DBX" --compact --rebuild
expect_eq "newsgrep-index: --rebuild, --forget and --compact do not go together" "$err"
expect_rc 2 "$NEWSGREP_INDEX" --db "$TMP/none" --compact
expect_match "^newsgrep-index: no index at '$TMP/none'" "$err"
[[ ! -e $TMP/none ]] || die "--compact made an index where there was none"
before=$(docs)

# An index of format 4 (before the date terms and text rules 2) is still
# searched, newest first without date windows, and updated; --rebuild makes
# it format 8 (t45 tests format 5's text rules).
format() { xapian-metadata get "$(echo "$DBX"/db.*)" newsgrep.format; }
expect_eq 8 "$(format)" "a new index's format"
newest_before=$("$NEWSGREP" --db "$DBX" -n 3 -l '*')
xapian-metadata set "$(echo "$DBX"/db.*)" newsgrep.format 4
xapian-metadata set "$(echo "$DBX"/db.*)" newsgrep.tokenizer \
	utf8proc-nfkc-casefold-stripmark/cjk-bigram/apos/max64/stem-en/1
expect_eq "$newest_before" "$("$NEWSGREP" --db "$DBX" -n 3 -l '*')" "format 4, newest first"
update
expect_eq "0 added, 0 updated, 0 deleted, 4 unchanged, 0 skipped" "$(summary)" "format 4 updated"
expect_eq 4 "$(format)" "an update keeps format 4"
update -q --rebuild
expect_eq 8 "$(format)" "rebuilt as format 8"
expect_eq "$newest_before" "$("$NEWSGREP" --db "$DBX" -n 3 -l '*')" "format 8, newest first"

# Damage: clean errors (status 2, never a crash), and --rebuild repairs it
# even though the old index cannot be read.
head -c 30000 /dev/urandom >"$(echo "$DBX"/db.*/postlist.glass)"
expect_rc 2 "$NEWSGREP" --db "$DBX" chip
expect_match "^newsgrep: " "$err"
expect_rc 2 "$NEWSGREP_INDEX" --db "$DBX"
expect_match "^newsgrep-index: .*(rebuild it with newsgrep-index --rebuild)" "$err"
expect_rc 2 "$NEWSGREP_INDEX" --db "$DBX" --rebuild
expect_match "^newsgrep-index: cannot read the folders of the index to rebuild \(.*\): name them \(newsgrep-index --rebuild DIR...\)$" "$err"
expect_rc 0 "$NEWSGREP_INDEX" --db "$DBX" --rebuild "$W"
expect_eq "$before" "$(docs)" "index rebuilt from a damaged one"
: >"$DBX/XAPIANDB"
expect_rc 2 "$NEWSGREP" --db "$DBX" chip
expect_rc 2 "$NEWSGREP_INDEX" --db "$DBX" "$W"
live=$(cd "$DBX" && echo db.*)
expect_eq "newsgrep-index: index at '$DBX' is damaged: '$DBX/XAPIANDB' line 1: it is not 'auto db.N'; newsgrep reads only the stub it writes: if $live is the index, write its stub with: printf 'auto $live\\n' > '$DBX/XAPIANDB' (or rebuild it with newsgrep-index --rebuild DIR...)" "$err" "broken stub"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$DBX" --rebuild "$W"
expect_eq "$before" "$(docs)" "index rebuilt from a broken stub"

# Each table truncated to nothing: a clean status 2 from both programs.
for t in iamglass postlist.glass termlist.glass docdata.glass position.glass; do
	rm -rf "$TMP/trunc" && cp -a "$DBX" "$TMP/trunc"
	truncate -s 0 "$TMP"/trunc/db.*/"$t"
	expect_rc 2 "$NEWSGREP" --db "$TMP/trunc" sanctions
	expect_match "^newsgrep: cannot open index at '$TMP/trunc' \(rebuild it with newsgrep-index --rebuild\): Database" "$err" "$t truncated"
	expect_rc 2 "$NEWSGREP_INDEX" --db "$TMP/trunc"
done

# An index from before format 3 (Xapian's files straight in the folder).
OLD=$TMP/old
xapian-metadata set "$OLD" newsgrep.format 2
expect_rc 2 "$NEWSGREP_INDEX" --db "$OLD" "$W"
expect_eq "newsgrep-index: index at '$OLD' was made by an older newsgrep: rebuild it with newsgrep-index --rebuild" "$err"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$OLD" --rebuild "$W"
expect_eq 4 "$(doc_count "$OLD")" "old index rebuilt"
[[ ! -e $OLD/iamglass ]] || die "old database's files left behind"

# On a terminal: a progress bar on stderr (and never otherwise: the runs
# above all checked for an empty stderr or exact problems).
script -qec "'$NEWSGREP_INDEX' --db '$TMP/tty-db' '$W'" "$TMP/typescript" >/dev/null
expect_match "scanning: [0-9]+ files?" "$(cat "$TMP/typescript")" "tty scan"
expect_match "\[=+> *\] +[0-9]+% [0-9]+/[0-9]+ files +[0-9]+ files/s +ETA [0-9]+:[0-9]{2}" "$(cat "$TMP/typescript")" "tty progress bar"

done_testing
