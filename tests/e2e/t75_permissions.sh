#!/usr/bin/env bash
# An index the user may not read or write, and paths that are no index: each
# says what is true (never "rebuild it", which would not help), exit 2.
. "$(dirname "$0")/lib.sh"

# The other user is refused by the modes below: as root (who may read
# everything) that is nobody; as anyone else the user, whom 000, 444 and 555
# refuse too.
other_user
U=$OTHER NG=$OTHER_NEWSGREP NGI=$OTHER_NEWSGREP_INDEX

D=$U/db
mkdir -p "$U/news" && cp "$CORPUS"/seeds/00[0-2]_*.txt "$U/news/" && chmod -R a+rX "$U/news"
"$NEWSGREP_INDEX" -q --db "$D" "$U/news" || die "indexing failed"
expect_rc 0 as_other_user "$NG" --db "$D" -c chips
expect_eq 3 "$out" "the index is readable as it was made"
read_fix="the index must be readable by you (its owner can run chmod -R a+rX '$D')"

# The index folder, its stub, its database folder, one of its files.
chmod 000 "$D"
expect_rc 2 as_other_user "$NG" --db "$D" chips
expect_eq "newsgrep: permission denied reading '$D': $read_fix" "$err" "folder"
expect_rc 2 as_other_user "$NG" --db "$D" --json chips
expect_eq "permission" "$(jq -r 'select(.type == "error") | .code' <<<"$out")" "--json error code"
expect_rc 2 as_other_user "$NGI" --db "$D" --status
expect_eq "newsgrep-index: permission denied reading '$D': $read_fix" "$err" "--status"
chmod 755 "$D"
chmod 000 "$D/XAPIANDB"
expect_rc 2 as_other_user "$NG" --db "$D" chips
expect_eq "newsgrep: permission denied reading '$D/XAPIANDB': $read_fix" "$err" "stub"
chmod 644 "$D/XAPIANDB"
live=$(echo "$D"/db.*)
chmod 000 "$live"
expect_rc 2 as_other_user "$NG" --db "$D" chips
expect_eq "newsgrep: permission denied reading '$live': $read_fix" "$err" "database folder"
chmod 755 "$live"
chmod 000 "$live/postlist.glass"
expect_rc 2 as_other_user "$NG" --db "$D" chips
expect_eq "newsgrep: permission denied reading '$live/postlist.glass': $read_fix" "$err" "table"
chmod 644 "$live/postlist.glass"

# A folder above the index that may not be entered.
mkdir "$U/private" && "$NEWSGREP_INDEX" -q --db "$U/private/db" "$U/news" || die "indexing failed"
chmod 000 "$U/private"
expect_rc 2 as_other_user "$NG" --db "$U/private/db" chips
expect_eq "newsgrep: permission denied reading '$U/private/db': you may not enter the folder '$U/private' above it" "$err"
expect_rc 2 as_other_user "$NGI" --db "$U/private/db" "$U/news"
expect_eq "newsgrep-index: permission denied writing '$U/private/db': you may not enter the folder '$U/private' above it" "$err"
chmod 755 "$U/private"

# Updating an index the user may read but not write: the lock is refused.
chmod 444 "$D/lock" && chmod 555 "$D"
for args in "" "--rebuild" "--compact" "--forget $U/news" "$U/news"; do
	expect_rc 2 as_other_user "$NGI" --db "$D" $args
	expect_eq "newsgrep-index: permission denied writing '$D/lock': update the index as the user who owns it" "$err" "newsgrep-index $args"
done
expect_rc 0 as_other_user "$NG" --db "$D" -c chips # searching needs no lock
chmod 755 "$D" && chmod 644 "$D/lock"
# ... or, the lock granted to all, the database.
chmod 777 "$D" && chmod 666 "$D/lock" && chmod 555 "$live" && chmod 444 "$live"/*
expect_rc 2 as_other_user "$NGI" --db "$D" "$U/news"
expect_eq "newsgrep-index: permission denied writing '$live': update the index as the user who owns it" "$err" "read-only database"
chmod 755 "$D" "$live" && chmod 644 "$D/lock" "$live"/*
# A first index where the user may not write.
mkdir "$U/ro" && chmod 555 "$U/ro"
expect_rc 2 as_other_user "$NGI" --db "$U/ro/db" "$U/news"
expect_eq "newsgrep-index: cannot create the index folder '$U/ro/db': Permission denied" "$err" "folder not writable"
[[ ! -e $U/ro/db ]] || die "an index was made where it may not be"

# Paths that are not an index: a file, a file on the way, a folder of other
# things. An empty folder is simply no index yet.
echo 'root:x:0:0' >"$U/passwd"
expect_rc 2 "$NEWSGREP" --db "$U/passwd" chips
expect_eq "newsgrep: '$U/passwd' is not a newsgrep index (it is a file; an index is a folder)" "$err" "a file"
expect_rc 2 "$NEWSGREP_INDEX" --db "$U/passwd" --status
expect_eq "newsgrep-index: '$U/passwd' is not a newsgrep index (it is a file; an index is a folder)" "$err"
expect_rc 2 "$NEWSGREP_INDEX" --db "$U/passwd" "$U/news"
expect_eq "newsgrep-index: '$U/passwd' is not a newsgrep index (it is a file; an index is a folder)" "$err"
expect_eq "root:x:0:0" "$(cat "$U/passwd")" "the file is left alone"
expect_rc 2 "$NEWSGREP" --db "$U/passwd/db" chips
expect_eq "newsgrep: '$U/passwd/db' is not a newsgrep index (a file is in its path)" "$err"
expect_rc 2 "$NEWSGREP" --db "$U/news" chips
expect_eq "newsgrep: '$U/news' is not a newsgrep index (a folder without the XAPIANDB of one)" "$err"
mkdir "$U/empty"
expect_rc 2 "$NEWSGREP" --db "$U/empty" chips
expect_eq "newsgrep: no index at '$U/empty': run newsgrep-index DIR first" "$err"

# Nothing above advised a rebuild.
expect_rc 0 "$NEWSGREP" --db "$D" -c chips
expect_eq 3 "$out" "the index after all that"

done_testing
