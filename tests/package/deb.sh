#!/usr/bin/env bash
# The Debian package (cmake/Packaging.cmake, scripts/package), built from
# this source tree in a Release build folder of its own: every installed
# piece is in it, its Depends name the libraries the programs link, and
# what it holds works where it is unpacked: the programs run and search,
# and a C program builds against its header through its pkg-config file and
# through its CMake package.  Installing it on a fresh Debian 12 with apt is
# scripts/package-check (not run by ctest: it needs a chroot).
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
deb=$(cat "$TMP/package.out")
version=$(sed -n 's/^#define NEWSGREP_VERSION_STRING "\(.*\)"$/\1/p' "$TMP/build/include/newsgrep_version.h")
[[ $version =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "no version in the build's newsgrep_version.h: '$version'"
major=${version%%.*}
arch=$(dpkg --print-architecture)
ma=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
expect_eq "$TMP/build/newsgrep_${version}_$arch.deb" "$deb" "the .deb scripts/package prints"
[[ -s $deb ]] || die "no $deb"

# The control fields.
field() { dpkg-deb -f "$deb" "$1"; }
expect_eq newsgrep "$(field Package)" "Package"
expect_eq "$version" "$(field Version)" "Version (project()'s)"
expect_eq "$arch" "$(field Architecture)" "Architecture"
expect_eq utils "$(field Section)" "Section"
expect_match "^[^<]+ <[^>]+@[^>]+>$" "$(field Maintainer)" "Maintainer"
expect_match "^full-text search" "$(field Description)" "Description"
depends=$(field Depends)
for lib in libc6 libstdc\\+\\+6 libxapian30 libyaml-0-2 libutf8proc2 libxxhash0; do
	expect_match "(^|, )$lib( \\(>= [^)]*\\))?(,|$)" "$depends" "Depends ($lib)"
done
[[ $depends != *newsgrep* ]] || die "the package depends on itself: $depends"
# libnewsgrep's shlibs entry, and ldconfig when it is installed.
dpkg-deb -e "$deb" "$TMP/control" || die "dpkg-deb -e failed"
expect_eq "libnewsgrep $major newsgrep (>= $version)" "$(cat "$TMP/control/shlibs")" "shlibs"
grep -q ldconfig "$TMP/control/postinst" || die "postinst does not run ldconfig"
checks=$((checks + 1))

# The files: "TYPE PATH" for each, symbolic links as "l PATH -> TARGET".
dpkg-deb -c "$deb" >"$TMP/contents" || die "dpkg-deb -c failed"
files=$(awk '{ t = substr($1, 1, 1); $1 = $2 = $3 = $4 = $5 = ""; sub(/^ +/, ""); sub(/^\.\//, ""); print t " " $0 }' \
	"$TMP/contents")
has() {
	grep -qxF -- "$1" <<<"$files" || die "not in the package: '$1'; it holds:
$files"
	checks=$((checks + 1))
}
L=usr/lib/$ma
has "- usr/bin/newsgrep"
has "- usr/bin/newsgrep-index"
has "- $L/libnewsgrep.so.$version"
has "l $L/libnewsgrep.so.$major -> libnewsgrep.so.$version"
has "l $L/libnewsgrep.so -> libnewsgrep.so.$major"
has "- $L/libnewsgrep.a"
has "- usr/include/newsgrep.h"
has "- usr/include/newsgrep_version.h"
has "- $L/pkgconfig/newsgrep.pc"
for f in newsgrepConfig.cmake newsgrepConfigVersion.cmake newsgrepTargets.cmake newsgrepTargets-release.cmake; do
	has "- $L/cmake/newsgrep/$f"
done
for page in "$SRC"/doc/*.1; do
	has "- usr/share/man/man1/${page##*/}"
done
has "- usr/share/bash-completion/completions/newsgrep"
has "- usr/share/bash-completion/completions/newsgrep-index"
has "- usr/share/zsh/vendor-completions/_newsgrep"
for f in "$SRC"/completions/*.fish; do
	has "- usr/share/fish/vendor_completions.d/${f##*/}"
done
has "- usr/share/newsgrep/contrib/README.md"
for f in "$SRC"/contrib/cron/* "$SRC"/contrib/systemd/*; do
	f=${f#"$SRC/contrib/"}
	has "- usr/share/newsgrep/contrib/${f%.in}"
done
# Nothing else: no test program, no test copy of the library.
expect_eq "" "$(grep -E 'hooks|test' <<<"$files")" "test files in the package"

# Unpacked: the units name the installed program, not the build's prefix
# or CPack's staging folder.
R=$TMP/root
dpkg-deb -x "$deb" "$R" || die "dpkg-deb -x failed"
expect_eq "ExecStart=/usr/bin/newsgrep-index -q --wait=3600" \
	"$(grep '^ExecStart=' "$R/usr/share/newsgrep/contrib/systemd/newsgrep-index.service")" "the service's ExecStart"
expect_eq 2 "$(grep -c ' /usr/bin/newsgrep-index -q --wait=3600' "$R/usr/share/newsgrep/contrib/cron/newsgrep-index")" \
	"cron jobs running /usr/bin/newsgrep-index"
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
