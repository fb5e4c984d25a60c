#!/usr/bin/env bash
# The Debian packages (cmake/Packaging.cmake, scripts/package), built from
# this source tree in a Release build folder of its own: newsgrep (the
# programs), libnewsgrep<major> (the shared library) and libnewsgrep-dev.
# Every installed piece is in one of them, their Depends name the libraries
# their files link, and what they hold works where it is unpacked: the
# programs run and search, and a C program builds against the header
# through the pkg-config file and through the CMake package.  Installing
# them on a fresh Debian 12 with apt is scripts/package-check (not run by
# ctest: it needs a chroot).
# Skipped (exit 77) without cpack, dpkg-deb, dpkg-shlibdeps (dpkg-dev) and
# file, which scripts/install-deps installs.
. "$(dirname "$0")/../e2e/lib.sh"

for tool in cpack dpkg-deb dpkg-shlibdeps dpkg-architecture file pkg-config cc; do
	if ! command -v "$tool" >/dev/null; then
		echo "package/deb: $tool not found; skipped"
		exit 77
	fi
done

# Two jobs at most: the machine may be shared.
BUILD_DIR=$TMP/build JOBS=2 "$SRC/scripts/package" >"$TMP/package.out" 2>"$TMP/package.log" ||
	die "scripts/package failed: $(tail -20 "$TMP/package.log")"
version=$(sed -n 's/^#define NEWSGREP_VERSION_STRING "\(.*\)"$/\1/p' "$TMP/build/include/newsgrep_version.h")
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "no version in the build's newsgrep_version.h: '$version'"
major=${version%%.*}
arch=$(dpkg --print-architecture)
ma=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
lib=libnewsgrep$major
prog_deb=$TMP/build/newsgrep_${version}_$arch.deb
lib_deb=$TMP/build/${lib}_${version}_$arch.deb
dev_deb=$TMP/build/libnewsgrep-dev_${version}_$arch.deb
expect_eq "$(printf '%s\n' "$dev_deb" "$lib_deb" "$prog_deb")" "$(cat "$TMP/package.out")" \
	"the .deb files scripts/package prints"

# The control fields.
field() { dpkg-deb -f "$1" "$2"; }
for deb in "$prog_deb" "$lib_deb" "$dev_deb"; do
	expect_eq "$version" "$(field "$deb" Version)" "Version (project()'s) of $deb"
	expect_eq "$arch" "$(field "$deb" Architecture)" "Architecture of $deb"
	expect_match "^[^<]+ <[^>]+@[^>]+>$" "$(field "$deb" Maintainer)" "Maintainer of $deb"
	expect_match "^full-text search over archives of news articles" "$(field "$deb" Description)" \
		"Description of $deb"
done
expect_eq "newsgrep utils" "$(field "$prog_deb" Package) $(field "$prog_deb" Section)" "the programs' package"
expect_eq "$lib libs" "$(field "$lib_deb" Package) $(field "$lib_deb" Section)" "the library's package"
expect_eq "libnewsgrep-dev libdevel" "$(field "$dev_deb" Package) $(field "$dev_deb" Section)" \
	"the development package"
# The programs link libnewsgrep statically: they need the libraries it
# links, not the library's package.
for deb in "$prog_deb" "$lib_deb"; do
	depends=$(field "$deb" Depends)
	for dep in libc6 libstdc\\+\\+6 libxapian30 libyaml-0-2 libutf8proc2 libxxhash0; do
		expect_match "(^|, )$dep( \\(>= [^)]*\\))?(,|$)" "$depends" "Depends of $deb ($dep)"
	done
	[[ $depends != *newsgrep* ]] || die "$deb depends on a package of its own: $depends"
done
expect_eq "$lib (= $version), libxapian-dev, libyaml-dev, libutf8proc-dev, libxxhash-dev" \
	"$(field "$dev_deb" Depends)" "the development package's Depends (newsgrep.pc's Requires.private)"
# libnewsgrep's shlibs entry, and ldconfig when it is installed.
dpkg-deb -e "$lib_deb" "$TMP/control" || die "dpkg-deb -e failed"
expect_eq "libnewsgrep $major $lib (>= $version)" "$(cat "$TMP/control/shlibs")" "shlibs"
grep -q ldconfig "$TMP/control/postinst" || die "postinst does not run ldconfig"
checks=$((checks + 1))

# The files of each: "TYPE PATH" for each, symbolic links as
# "l PATH -> TARGET".
contents() {
	dpkg-deb -c "$1" | awk '{ t = substr($1, 1, 1); $1 = $2 = $3 = $4 = $5 = ""; sub(/^ +/, ""); sub(/^\.\//, ""); print t " " $0 }'
}
prog_files=$(contents "$prog_deb") && lib_files=$(contents "$lib_deb") && dev_files=$(contents "$dev_deb") ||
	die "dpkg-deb -c failed"
# has WHICH ENTRY: the package WHICH (prog, lib, dev) holds ENTRY.
has() {
	local -n in=${1}_files
	grep -qxF -- "$2" <<<"$in" || die "not in the $1 package: '$2'; it holds:
$in"
	checks=$((checks + 1))
}
L=usr/lib/$ma
has prog "- usr/bin/newsgrep"
has prog "- usr/bin/newsgrep-index"
has prog "- usr/bin/newsgrep-watch"
has lib "- $L/libnewsgrep.so.$version"
has lib "l $L/libnewsgrep.so.$major -> libnewsgrep.so.$version"
has dev "l $L/libnewsgrep.so -> libnewsgrep.so.$major"
has dev "- $L/libnewsgrep.a"
has dev "- usr/include/newsgrep.h"
has dev "- usr/include/newsgrep_version.h"
has dev "- $L/pkgconfig/newsgrep.pc"
for f in newsgrepConfig.cmake newsgrepConfigVersion.cmake newsgrepTargets.cmake newsgrepTargets-release.cmake; do
	has dev "- $L/cmake/newsgrep/$f"
done
for page in "$SRC"/doc/*.1; do
	has prog "- usr/share/man/man1/${page##*/}"
done
has prog "- usr/share/bash-completion/completions/newsgrep"
has prog "- usr/share/bash-completion/completions/newsgrep-index"
has prog "- usr/share/bash-completion/completions/newsgrep-watch"
has prog "- usr/share/zsh/vendor-completions/_newsgrep"
for f in "$SRC"/completions/*.fish; do
	has prog "- usr/share/fish/vendor_completions.d/${f##*/}"
done
has prog "- usr/share/newsgrep/contrib/README.md"
for f in "$SRC"/contrib/cron/* "$SRC"/contrib/systemd/*; do
	f=${f#"$SRC/contrib/"}
	has prog "- usr/share/newsgrep/contrib/${f%.in}"
done
# The library's package holds the library and nothing else.
expect_eq "" "$(grep -v '^d ' <<<"$lib_files" | grep -v " $L/libnewsgrep\.so\.")" "other files in $lib"
# No test program, no test copy of the library.
expect_eq "" "$(grep -E 'hooks|test' <<<"$prog_files$lib_files$dev_files")" "test files in the packages"

# Unpacked: the units name the installed program, not the build's prefix
# or CPack's staging folder.
R=$TMP/root
for deb in "$prog_deb" "$lib_deb" "$dev_deb"; do
	dpkg-deb -x "$deb" "$R" || die "dpkg-deb -x $deb failed"
done
expect_eq "ExecStart=/usr/bin/newsgrep-index -q --wait=3600" \
	"$(grep '^ExecStart=' "$R/usr/share/newsgrep/contrib/systemd/newsgrep-index.service")" "the service's ExecStart"
expect_eq 2 "$(grep -c ' /usr/bin/newsgrep-index -q --wait=3600' "$R/usr/share/newsgrep/contrib/cron/newsgrep-index")" \
	"cron jobs running /usr/bin/newsgrep-index"
expect_eq "ExecStart=/usr/bin/newsgrep-watch run -q" \
	"$(grep '^ExecStart=' "$R/usr/share/newsgrep/contrib/systemd/newsgrep-watch.service")" "the watch service's ExecStart"
expect_eq 1 "$(grep -c ' /usr/bin/newsgrep-index -q --wait=3600 && nice -n 19 /usr/bin/newsgrep-watch run -q$' \
	"$R/usr/share/newsgrep/contrib/cron/newsgrep-watch")" "cron jobs running /usr/bin/newsgrep-watch after the update"
expect_eq "" "$(grep -rlE "$TMP|_CPack_Packages|/usr/local" "$R/usr/share/newsgrep/contrib/cron" \
	"$R/usr/share/newsgrep/contrib/systemd" "$R/$L/pkgconfig" "$R/$L/cmake")" \
	"build paths in the unpacked text files"

# The programs, run from where they are unpacked.
export LD_LIBRARY_PATH=$R/$L
expect_rc 0 "$R/usr/bin/newsgrep" --version
expect_match "^newsgrep $version " "$out" "the packaged newsgrep --version"
expect_rc 0 "$R/usr/bin/newsgrep-index" --version
expect_match "^newsgrep-index $version " "$out" "the packaged newsgrep-index --version"
expect_rc 0 "$R/usr/bin/newsgrep-index" -q --db "$TMP/db" "$CORPUS"
expect_rc 0 "$R/usr/bin/newsgrep" --db "$TMP/db" --format '{path}\n' 'sanctions GPU'
got=$out
expect_match "^$CORPUS/" "$got" "a hit of the packaged newsgrep"
expect_rc 0 "$NEWSGREP" --db "$TMP/db" --format '{path}\n' 'sanctions GPU'
expect_eq "$out" "$got" "the packaged newsgrep's hits against the build's"

# The development files: a C program built against the unpacked header and
# library only, through the unpacked newsgrep.pc (which finds its prefix
# from where it lies, so no PKG_CONFIG_SYSROOT_DIR) ...
cat >"$TMP/v.c" <<'C'
#include <newsgrep.h>
#include <stdio.h>
#include <string.h>
int main(void)
{
	printf("%s %s\n", NEWSGREP_VERSION_STRING, newsgrep_version());
	return strcmp(NEWSGREP_VERSION_STRING, newsgrep_version()) != 0;
}
C
flags=$(PKG_CONFIG_PATH=$R/$L/pkgconfig pkg-config --cflags --libs newsgrep) || die "pkg-config newsgrep failed"
expect_match "^-I$R/[^ ]*include +-L$R/[^ ]* -lnewsgrep *$" "$flags" "pkg-config flags"
cc -Wall -Wextra -Werror "$TMP/v.c" $flags -o "$TMP/v-pc" || die "cannot build against the package with pkg-config"
expect_rc 0 "$TMP/v-pc"
expect_eq "$version $version" "$out" "header and library versions (pkg-config)"
expect_match "libnewsgrep\\.so\\.$major => $R/$L/libnewsgrep\\.so\\.$major " "$(ldd "$TMP/v-pc")" \
	"the library the program loads"
# ... and through its CMake package.
mkdir -p "$TMP/cmake-use" && cp "$TMP/v.c" "$TMP/cmake-use/" && cat >"$TMP/cmake-use/CMakeLists.txt" <<'CM'
cmake_minimum_required(VERSION 3.18)
project(use_newsgrep LANGUAGES C)
find_package(newsgrep REQUIRED)
add_executable(v v.c)
target_link_libraries(v PRIVATE newsgrep::newsgrep)
CM
"${CMAKE:-cmake}" -S "$TMP/cmake-use" -B "$TMP/cmake-use/build" -DCMAKE_PREFIX_PATH="$R/usr" \
	>"$TMP/cmake-use.log" 2>&1 &&
	"${CMAKE:-cmake}" --build "$TMP/cmake-use/build" >>"$TMP/cmake-use.log" 2>&1 ||
	die "cannot build against the package with find_package: $(tail -20 "$TMP/cmake-use.log")"
expect_rc 0 "$TMP/cmake-use/build/v"
expect_eq "$version $version" "$out" "header and library versions (find_package)"
expect_match "$R/$L/cmake/newsgrep" "$(grep '^newsgrep_DIR' "$TMP/cmake-use/build/CMakeCache.txt")" \
	"the CMake package found"

done_testing
