#!/usr/bin/env bash
# newsgrep's version has one source, project() in CMakeLists.txt: the
# public header's macros are made from it (newsgrep_version.h.in), the
# SONAME follows its major number, and the man pages, which are installed
# as written, must name the same version.
. "$(dirname "$0")/lib.sh"

version=$(sed -n 's/^project(newsgrep VERSION \([0-9.]*\).*/\1/p' "$SRC/CMakeLists.txt")
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "no version in project(): '$version'"

expect_rc 0 "$NEWSGREP" --version
expect_match "^newsgrep $version " "$out" "newsgrep --version"

for page in newsgrep newsgrep-index newsgrep-watch; do
	th=$(sed -n 's/^\.TH .* "newsgrep \([0-9.]*\)" .*/\1/p' "$SRC/doc/$page.1")
	expect_eq "$version" "$th" "the version on $page.1's .TH line"
done

soname=$(readelf -d "${NEWSGREP_LIBRARY:?}" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
expect_eq "libnewsgrep.so.${version%%.*}" "$soname" "the SONAME"

# No copy of the number is kept by hand in the header.
if grep -n "#define NEWSGREP_VERSION_[A-Z]* *[\"0-9]" "$SRC/include/newsgrep.h"; then
	die "include/newsgrep.h keeps its own version number"
fi
checks=$((checks + 1))

done_testing
