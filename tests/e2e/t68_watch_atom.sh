#!/usr/bin/env bash
# newsgrep-watch run --atom DIR: each watch's Atom feed DIR/NAME.atom, valid
# by xmllint and the Atom RELAX NG schema, holding the newest entries
# (--atom-entries) of this run and the feed's earlier ones, one per URL, ids
# stable from run to run; a feed that cannot be replaced (its temporary file
# a folder, a planted link, a folder that is a file) leaves the old feed whole
# and the watch not advanced; a damaged feed (cut, edited, foreign, binary)
# costs its old entries only.
source "$(dirname "$0")/lib.sh"
: "${NEWSGREP_WATCH:?}"
if ! command -v xmllint >/dev/null; then
	echo "skipped: xmllint is missing (Debian: libxml2-utils)"
	exit 77
fi
RNG=$SRC/tests/fixtures/atom/atom.rng
WATCH=$NEWSGREP_WATCH
NEWS=$TMP/news
DB=$TMP/db
FEEDS=$TMP/feeds
mkdir -p "$NEWS" "$FEEDS"
cp "$CORPUS"/ai/*.md "$NEWS"/

# article FILE TITLE URL [DATE]
article() {
	printf -- '---\ntitle: "%s"\nexcerpt: "%s, in a few words."\noriginalUrl: "%s"\npublishedDateTime: %s\n---\n' \
		"$2" "$2" "$3" "${4:-2024-06-01T10:00:00Z}" >"$NEWS/$1"
}
reindex() { "$NEWSGREP_INDEX" -q --db "$DB" "$NEWS" || die "indexing failed"; }
valid() {
	xmllint --noout "$1" 2>"$TMP/xmllint.err" || die "$1 is not XML: $(cat "$TMP/xmllint.err")"
	xmllint --noout --relaxng "$RNG" "$1" 2>"$TMP/xmllint.err" ||
		die "$1 is not an Atom feed: $(cat "$TMP/xmllint.err")"
	checks=$((checks + 2))
}
# entries FILE: "ID TITLE" of each entry, in order.
entries() {
	python3 - "$1" <<'PY'
import sys
import xml.etree.ElementTree as ET
A = "{http://www.w3.org/2005/Atom}"
for e in ET.parse(sys.argv[1]).getroot().findall(A + "entry"):
    print(e.find(A + "id").text, e.find(A + "title").text)
PY
}
feed_id() { python3 -c 'import sys, xml.etree.ElementTree as ET
print(ET.parse(sys.argv[1]).getroot().find("{http://www.w3.org/2005/Atom}id").text)' "$1"; }
atom() { run "$WATCH" --db "$DB" run --atom "$FEEDS" "$@"; }

reindex
expect_rc 0 "$WATCH" --db "$DB" add z zebrafinch
expect_rc 0 "$WATCH" --db "$DB" add g giraffe

# Nothing new: each feed is made, empty and valid.
atom
expect_status 1
expect_eq "g: nothing new
z: nothing new" "$out"
valid "$FEEDS/z.atom"
valid "$FEEDS/g.atom"
expect_eq "" "$(entries "$FEEDS/z.atom")" "an empty feed"
id=$(feed_id "$FEEDS/z.atom")
expect_match '^urn:uuid:' "$id"
[[ $id != "$(feed_id "$FEEDS/g.atom")" ]] || die "two watches share a feed id"

# New articles go to the feed, not to stdout; the entries' ids are the URLs.
article one.md "Zebrafinch & <one>" https://example.com/one
article two.md "Zebrafinch two" https://example.com/two 2024-06-02T10:00:00Z
reindex
atom -q
expect_status 0
expect_eq "z: 2 new in $FEEDS/z.atom" "$out"
valid "$FEEDS/z.atom"
expect_eq "https://example.com/two Zebrafinch two
https://example.com/one Zebrafinch & <one>" "$(entries "$FEEDS/z.atom")" "the first entries"
expect_eq "$id" "$(feed_id "$FEEDS/z.atom")" "the feed's id is stable"
atom -q
expect_status 1
expect_eq "" "$out" "delivered once"

# The next run's entries come first, the old ones stay; --json says where.
article three.md "Zebrafinch three" https://example.com/three 2020-01-01T00:00:00Z
reindex
atom --json -q
expect_status 0
expect_eq "{\"type\":\"watch\",\"name\":\"z\",\"new\":1,\"atom\":\"$FEEDS/z.atom\"}" "$out"
valid "$FEEDS/z.atom"
expect_eq "https://example.com/three Zebrafinch three
https://example.com/two Zebrafinch two
https://example.com/one Zebrafinch & <one>" "$(entries "$FEEDS/z.atom")" "old entries kept"

# --changed: an edited article replaces its entry (one per id).
expect_rc 0 "$WATCH" --db "$DB" add c --changed zebrafinch
article one.md "Zebrafinch one" https://example.com/one
reindex
atom -q c
expect_status 0
article one.md "Zebrafinch one, edited" https://example.com/one
reindex
atom -q c
expect_eq "https://example.com/one Zebrafinch one, edited" "$(entries "$FEEDS/c.atom")" \
	"one entry per id"
valid "$FEEDS/c.atom"

# --atom-entries: the newest N.
article four.md "Zebrafinch four" https://example.com/four
reindex
atom -q --atom-entries 2 z
expect_status 0
expect_eq "https://example.com/four Zebrafinch four
https://example.com/three Zebrafinch three" "$(entries "$FEEDS/z.atom")" "the newest 2"
valid "$FEEDS/z.atom"
expect_rc 2 "$WATCH" --db "$DB" run --atom-entries 0
expect_rc 2 "$WATCH" --db "$DB" run --atom-entries x
expect_rc 2 "$WATCH" --db "$DB" run --atom ""

# A feed that cannot be replaced: exit 2, the old feed as it was, no
# temporary file left, and the watch not advanced.
cp "$FEEDS/z.atom" "$TMP/z.before"
article five.md "Zebrafinch five" https://example.com/five
reindex
mkdir "$FEEDS/z.atom.tmp"
atom -q z
expect_status 2
expect_match "cannot write the feed $FEEDS/z.atom.tmp: Is a directory: watch 'z' is not recorded" "$err"
cmp -s "$TMP/z.before" "$FEEDS/z.atom" || die "the old feed changed"
rmdir "$FEEDS/z.atom.tmp"
ln -s "$TMP/elsewhere" "$FEEDS/z.atom.tmp"
atom -q z
expect_status 2
cmp -s "$TMP/z.before" "$FEEDS/z.atom" || die "the old feed changed"
[[ ! -e $TMP/elsewhere ]] || die "a planted link was followed"
rm "$FEEDS/z.atom.tmp"
touch "$TMP/file"
expect_rc 2 "$WATCH" --db "$DB" run -q --atom "$TMP/file" z
expect_rc 2 "$WATCH" --db "$DB" run -q --atom "$TMP/nowhere" z
atom -q z
expect_status 0
expect_eq "https://example.com/five Zebrafinch five
https://example.com/four Zebrafinch four
https://example.com/three Zebrafinch three" "$(entries "$FEEDS/z.atom")" \
	"delivered once it could be written (the 2 it held, and the new)"
valid "$FEEDS/z.atom"
[[ ! -e $FEEDS/z.atom.tmp ]] || die "a temporary file is left"

# Damaged feeds: cut in the middle, an entry edited, another program's feed,
# random bytes: the damaged entries are dropped, the new feed is valid.
article six.md "Zebrafinch six" https://example.com/six
reindex
cp "$FEEDS/z.atom" "$TMP/z.good"
damage() {
	case $1 in
	cut) head -c 900 "$TMP/z.good" >"$FEEDS/z.atom" ;;
	edit) sed 's/Zebrafinch four/Zebrafinch 4<\/title>/' "$TMP/z.good" >"$FEEDS/z.atom" ;;
	foreign) printf '<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><entry><id>x</id></entry></feed>' >"$FEEDS/z.atom" ;;
	bytes) head -c 20000 /dev/urandom >"$FEEDS/z.atom" ;;
	empty) : >"$FEEDS/z.atom" ;;
	esac
}
for how in cut edit foreign bytes empty; do
	damage $how
	rm -rf "$TMP/$how-db"
	cp -r "$DB" "$TMP/$how-db"
	run "$WATCH" --db "$TMP/$how-db" run -q --atom "$FEEDS" z
	expect_status 0 "$how"
	valid "$FEEDS/z.atom"
	got=$(entries "$FEEDS/z.atom")
	expect_match "^https://example.com/six Zebrafinch six" "$got" "$how: the new entry"
	[[ $how != edit ]] || expect_eq "https://example.com/six Zebrafinch six
https://example.com/five Zebrafinch five
https://example.com/three Zebrafinch three" "$got" "edit: only the edited entry is lost"
	[[ $how == edit || $how == cut ]] || expect_eq "https://example.com/six Zebrafinch six" "$got" \
		"$how: only the new entry"
done

# A feed that is no regular file is not overwritten.
rm "$FEEDS/z.atom"
mkfifo "$FEEDS/z.atom"
run "$WATCH" --db "$DB" run -q --atom "$FEEDS" z
expect_status 2
expect_eq "newsgrep-watch: cannot read the feed $FEEDS/z.atom: not a regular file" "$err"
[[ -p $FEEDS/z.atom ]] || die "the FIFO was replaced"

done_testing
