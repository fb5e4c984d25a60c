#!/usr/bin/env bash
# An index folder whose files' paths would pass the system's limit
# (PATH_MAX, 4096 bytes with the NUL) is refused at once with "path too
# long", naming the path, before anything is made; one just short of it
# works.  (Paths are joined by ng_path_join, which never cuts one short.)
. "$(dirname "$0")/lib.sh"
cd "$TMP" || die "cannot enter $TMP"

# long_path LEN: a relative path of exactly LEN bytes under long/, of
# 100-byte folder names.
long_path() {
	local len=$1 p=long name
	name=$(printf 'n%.0s' $(seq 100))
	while ((${#p} + 1 + 100 + 1 + 100 <= len)); do
		p+=/$name
	done
	local rest=$((len - ${#p} - 1))
	p+=/$(printf 'e%.0s' $(seq "$rest"))
	printf '%s' "$p"
}

# A database's files below the index folder: "/db.1/postlist.glass" is 20
# bytes, so 4076 bytes of index folder make a 4096-byte path.
p=$(long_path 4076)
expect_eq 4076 "${#p}" "the path's length"
expect_rc 2 "$NEWSGREP_INDEX" -q --db "$p" "$CORPUS/seeds"
# (The message keeps what is wrong first: its end, the path's, is cut.)
expect_match "^newsgrep-index: path too long \(4096 bytes; the system names at most 4095\): 'long/n{100}/n{100}/" "${err:0:400}" "a writer"
expect_eq "" "$out" "a writer: stdout"
[[ ! -e long ]] || die "the refused index's folders were made"

# 4075 bytes: every path fits, and the index is made and searched.
p=$(long_path 4075)
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$p" "$CORPUS/seeds"
expect_eq "" "$err" "the longest index folder: stderr"
expect_rc 0 "$NEWSGREP" --db "$p" -c chips
expect_match '^[1-9][0-9]*$' "$out" "a search of the longest index folder"
rm -rf long

# A reader: a folder too long for its stub's path ("/XAPIANDB", 9 bytes).
p=$(long_path 4090)
mkdir -p "$p" || die "cannot make the folder"
expect_rc 2 "$NEWSGREP" --db "$p" chips
expect_match "^newsgrep: path too long \(4099 bytes; the system names at most 4095\): 'long/n{100}/n{100}/" "${err:0:400}" "a reader"
rm -rf long

done_testing
