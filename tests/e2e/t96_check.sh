#!/usr/bin/env bash
# newsgrep-index --check: a sound index passes (exit 0, one line; nothing
# with -q); a changed byte in the used part of a table's leaf blocks is found
# (exit 2, naming the database), as is a damaged stub; the check changes
# nothing, takes no lock, works on an index the user may only read, and runs
# beside searches and an update.
. "$(dirname "$0")/lib.sh"
index_corpus

# sums DIR: every file's path, size, time and contents, to see nothing changed.
sums() { (cd "$1" && find . -type f -printf '%p %s %T@\n' | sort && find . -type f -exec sha256sum {} + | sort); }

expect_rc 0 "$NEWSGREP_INDEX" --db "$DB" --check
expect_eq "newsgrep-index: checked the index at '$DB': 30 articles, no problem found" "$out" "the summary"
expect_eq "" "$err" "stderr of a sound index"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$DB" --check
expect_eq "" "$out$err" "-q"
expect_rc 2 "$NEWSGREP_INDEX" --db "$DB" --check --status
expect_eq "newsgrep-index: --check does not go with --status" "$err"
expect_rc 2 "$NEWSGREP_INDEX" --db "$DB" --check --compact
expect_rc 2 "$NEWSGREP_INDEX" --db "$DB" --check "$CORPUS"
expect_eq "newsgrep-index: --check takes no folders" "$err"

# flip TABLE SEED N: prints N offsets in the used bytes (block header, item
# directory, items) of the table's leaf blocks, as xapian-check lists them,
# drawn with a fixed seed.  Free space inside a block is left alone: a
# change there is no damage.
flip_offsets() {
	python3 - "$DB/db.1/$1.glass" "$2" "$3" <<'PY'
import random, re, subprocess, sys
path, seed, n = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
tree = subprocess.run(["xapian-check", path, "t"], capture_output=True, text=True).stdout
blocks = sorted({int(b) for b in re.findall(r"^\s*\[(\d+)\]", tree, re.M)})
data = open(path, "rb").read()
bs = 8192
used = []
for b in blocks:
    blk = data[b * bs:(b + 1) * bs]
    if blk[4] != 0:  # a branch block: a changed divider key may still sort right
        continue
    dir_end = int.from_bytes(blk[9:11], "big")
    items = [int.from_bytes(blk[i:i + 2], "big") for i in range(11, dir_end, 2)]
    low = min(items) if items else bs
    used += [b * bs + i for i in range(dir_end)] + [b * bs + i for i in range(low, bs)]
rng = random.Random(seed)
for _ in range(n):
    print(rng.choice(used), 1 << rng.randrange(8))
PY
}

# damaged_copy TABLE OFFSET MASK: a copy of the index in $TMP/bad with that
# byte of the table flipped.
damaged_copy() {
	rm -rf "$TMP/bad" && cp -a "$DB" "$TMP/bad" || die "cannot copy the index"
	python3 - "$TMP/bad/db.1/$1.glass" "$2" "$3" <<'PY' || die "cannot flip a byte"
import sys
path, off, mask = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(path, "r+b") as f:
    f.seek(off)
    b = f.read(1)[0]
    f.seek(off)
    f.write(bytes([b ^ mask]))
PY
}

# The flips are found, and the messages name the database and end with the
# verdict.  (Xapian's check alone misses most of these: 8 of 60 random
# flips in the docdata table, 46 of 60 in the termlist table; what newsgrep
# makes again from its records finds them.)  Where the bytes fall depends
# on the checkout's path, which the index stores, and a few used bytes
# carry nothing to check (a flip in them changes no term, value or
# record): so all but a few must be found, and each one missed is named.
found=0 missed=()
for table in docdata termlist postlist position; do
	while read -r off mask; do
		damaged_copy "$table" "$off" "$mask"
		before=$(sums "$TMP/bad")
		run "$NEWSGREP_INDEX" --db "$TMP/bad" --check
		if ((rc == 0)); then
			missed+=("$table byte $off mask $mask")
			expect_eq "$before" "$(sums "$TMP/bad")" "the index after --check ($table byte $off)"
			continue
		fi
		expect_status 2 "--check's status ($table byte $off)"
		if [[ $err == *"died of signal"* ]]; then
			# Xapian 1.4 crashes on some damage (xapian-check too):
			# the check runs in a child, whose death is the verdict.
			expect_match "^newsgrep-index: the check of the index at '$TMP/bad' died of signal [0-9]+ \(.*\) while reading it: the index is damaged \(Xapian crashes on some damage\): rebuild it with newsgrep-index --rebuild$" "$err" "$table byte $off"
		else
			[[ $err == *"newsgrep-index: $TMP/bad/db.1: "* ]] || die "$table byte $off: no problem names the database: $err"
			expect_match "newsgrep-index: the index at '$TMP/bad' is damaged: [0-9]+ problems?(, the first [0-9]+ reported)? \(rebuild it with newsgrep-index --rebuild\)$" "$err" "$table byte $off"
		fi
		expect_eq "$before" "$(sums "$TMP/bad")" "the damaged index after --check ($table byte $off)"
		found=$((found + 1))
	done < <(flip_offsets "$table" 96 6)
done
((${#missed[@]} == 0)) || printf 'note: --check found nothing wrong after a flip of %s\n' "${missed[@]}"
((found >= 20)) || die "only $found of 24 flips were found"
expect_eq 24 "$((found + ${#missed[@]}))" "flips made"

# A damaged block header names its table.
damaged_copy termlist $((2 * 8192 + 1)) 16
expect_rc 2 "$NEWSGREP_INDEX" --db "$TMP/bad" --check
expect_match "newsgrep-index: $TMP/bad/db.1: termlist table: " "$err" "a termlist block's revision"
# A spelling table's structure (Xapian) and a word's count (newsgrep).
sp_root=$(xapian-check "$DB/db.1/spelling.glass" t | sed -n 's/^\[\([0-9]*\)\].*/\1/p' | head -1)
damaged_copy spelling $((sp_root * 8192 + 10)) 64
expect_rc 2 "$NEWSGREP_INDEX" --db "$TMP/bad" --check
expect_match "newsgrep-index: $TMP/bad/db.1: spelling table: " "$err" "the spelling root's directory"

# A tampered or missing stub is an error too, never followed.
rm -rf "$TMP/bad" && cp -a "$DB" "$TMP/bad"
printf 'remote :/bin/sh -c id>%s\n' "$TMP/pwned" >"$TMP/bad/XAPIANDB"
expect_rc 2 "$NEWSGREP_INDEX" --db "$TMP/bad" --check
expect_match "XAPIANDB" "$err" "a tampered stub"
[[ ! -e $TMP/pwned ]] || die "--check ran the stub's command"
rm "$TMP/bad/XAPIANDB"
expect_rc 2 "$NEWSGREP_INDEX" --db "$TMP/bad" --check
expect_match "XAPIANDB" "$err" "a missing stub"
expect_rc 2 "$NEWSGREP_INDEX" --db "$TMP/nothing" --check
expect_eq "newsgrep-index: no index at '$TMP/nothing': run newsgrep-index DIR first" "$err"

# No lock: it runs while a writer holds the index, beside a search; and the
# sound index is unchanged by it.
before=$(sums "$DB")
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$DB" --check
expect_eq "$before" "$(sums "$DB")" "the index after --check"
exec 9>>"$DB/lock"
flock -n 9 || die "cannot take the index's lock"
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$DB" --check
expect_rc 0 "$NEWSGREP" --db "$DB" -c chips
expect_eq 7 "$out" "a search beside the check"
exec 9>&-
# Beside an update that commits every few files: it may have to look again,
# never reports damage that is not there.
mkdir -p "$TMP/news" && cp "$CORPUS"/seeds/*.txt "$TMP/news/"
rm -rf "$TMP/live" && "$NEWSGREP_INDEX" -q --db "$TMP/live" "$TMP/news" || die "indexing failed"
for i in $(seq 1 40); do sed "s/^title: /title: v$i /" "$CORPUS/seeds/000_21fff29c15f39abc.txt" >"$TMP/news/v$i.txt"; done
"$NEWSGREP_INDEX" -q --batch 2 --db "$TMP/live" "$TMP/news" &
writer=$!
for i in 1 2 3; do
	run "$NEWSGREP_INDEX" -q --db "$TMP/live" --check
	[[ $rc == 0 || ($rc == 2 && $err == *"kept changing while it was checked"*) ]] ||
		die "--check beside an update: exit $rc: $err"
	checks=$((checks + 1))
done
wait "$writer" || die "the update beside --check failed"
expect_rc 0 "$NEWSGREP_INDEX" --db "$TMP/live" --check
expect_eq "newsgrep-index: checked the index at '$TMP/live': 45 articles, no problem found" "$out"

# An index the user may only read (as root: another user, whom the modes
# refuse).
other_user
"$NEWSGREP_INDEX" -q --db "$OTHER/ro" "$CORPUS" || die "indexing failed"
chmod -R a-w "$OTHER/ro"
before=$(sums "$OTHER/ro")
expect_rc 0 as_other_user "$OTHER_NEWSGREP_INDEX" --db "$OTHER/ro" --check
# Xapian 1.4 opens the tables for writing to check them: that is left out.
expect_eq "newsgrep-index: checked the index at '$OTHER/ro': 30 articles, no problem found (without Xapian's check of its tables, which opens them for writing: you may not)" "$out"
expect_eq "$before" "$(sums "$OTHER/ro")" "the read-only index after --check"
done_testing
