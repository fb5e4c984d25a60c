#!/usr/bin/env bash
# --version names newsgrep's version, the index format it writes and the
# versions of the libraries it runs with, in both programs.
. "$(dirname "$0")/lib.sh"

version=$(sed -n 's/^project(newsgrep VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt")
format=$(sed -n 's/^#define NG_FORMAT_VERSION "\(.*\)"/\1/p' "$SRC/core/ng.h")
xapian=$(pkg-config --modversion xapian-core)
yaml=$(pkg-config --modversion yaml-0.1)
# (libutf8proc.pc gives the soname's version: ask the header.)
utf8proc=$(printf '#include <utf8proc.h>\nUTF8PROC_VERSION_MAJOR.UTF8PROC_VERSION_MINOR.UTF8PROC_VERSION_PATCH\n' |
	cpp -P $(pkg-config --cflags libutf8proc) | tr -d ' ' | tail -n 1)
[[ $version && $format && $xapian && $yaml && $utf8proc =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] ||
	die "cannot tell the expected versions: '$version' '$format' '$xapian' '$yaml' '$utf8proc'"

for prog in "$NEWSGREP" "$NEWSGREP_INDEX"; do
	name=${prog##*/}
	for opt in -V --version; do
		expect_rc 0 "$prog" "$opt"
		expect_eq "$name $version (index format $format)
Xapian $xapian, libyaml $yaml, utf8proc $utf8proc" "$out" "$name $opt"
		expect_eq "" "$err" "$name $opt: stderr"
	done
done

# The format named is the one an index is written in.
expect_rc 0 "$NEWSGREP_INDEX" -q --db "$TMP/db" "$CORPUS/seeds"
expect_eq "$format" "$(xapian-metadata get "$TMP/db" newsgrep.format)" "the format written"

done_testing
