#!/usr/bin/env bash
# The library as another tool gets it: installed into a prefix of its own,
# examples/search.c built against the installed tree only (via pkg-config,
# and via find_package as a CMake project of its own), and run on corpus/.
#   NEWSGREP_BUILD_DIR  the build tree to install;  CMAKE  the cmake to use
. "$(dirname "$0")/../e2e/lib.sh"
: "${NEWSGREP_BUILD_DIR:?}" "${CMAKE:?}"

P=$TMP/prefix
"$CMAKE" --install "$NEWSGREP_BUILD_DIR" --prefix "$P" >/dev/null || die "install failed"
lib=$(echo "$P"/lib*/libnewsgrep.so.1)
[[ -f $lib ]] || die "no libnewsgrep.so.1 installed"
expect_match "SONAME +libnewsgrep\.so\.1$" "$(objdump -p "$lib" | grep SONAME)" "SONAME"
expect_eq "" "$(nm -D --defined-only "$lib" | awk '$3 !~ /^newsgrep_/ && $3 !~ /^NEWSGREP_1\.[0-9]+$/ {print $3}')" \
	"symbols exported besides the API"

# The contrib units run the newsgrep-index of the prefix installed to (made
# at install time: the build was configured for another prefix).
C=$P/share/newsgrep/contrib
[[ -x $P/bin/newsgrep-index ]] || die "no $P/bin/newsgrep-index installed"
expect_eq "30   2  *   *   *    newsgrep  umask 022; nice -n 19 ionice -c 3 $P/bin/newsgrep-index -q --wait=3600
45   3  *   *   0    newsgrep  umask 022; nice -n 19 ionice -c 3 $P/bin/newsgrep-index -q --wait=3600 --compact" \
	"$(grep -v '^#' "$C/cron/newsgrep-index" | grep newsgrep-index)" "cron jobs"
expect_eq "ExecStart=$P/bin/newsgrep-index -q --wait=3600" "$(grep '^ExecStart=' "$C/systemd/newsgrep-index.service")"
expect_eq "" "$(grep -E '/usr/local|@[A-Z_]+@' "$C/cron/newsgrep-index" "$C/systemd/newsgrep-index.service")" \
	"/usr/local or a placeholder left in the units"
[[ -f $C/systemd/newsgrep-tcpsrv@.service ]] || die "newsgrep-tcpsrv@.service not installed"
# The units as systemd reads them (keys, values, the programs and man pages
# they name), where systemd-analyze is; the xapian-tcpsrv one where xapian-tools is.
if command -v systemd-analyze >/dev/null; then
	units=("$C"/systemd/newsgrep-index.*)
	command -v xapian-tcpsrv >/dev/null && units+=("$C/systemd/newsgrep-tcpsrv@.service")
	run env MANPATH="$P/share/man:" systemd-analyze verify "${units[@]}"
	expect_status 0 "systemd-analyze verify"
	expect_eq "" "$out$err" "what systemd-analyze verify says of ${units[*]##*/}"
else
	echo "install.sh: not checking the systemd units: no systemd-analyze"
fi

index_corpus
want=$("$NEWSGREP" --db "$DB" --format '{date}  {title}\n    {path}' 'sanctions GPU')
expect_eq 3 "$(grep -c '^20' <<<"$want")" "hits to compare"

# pkg-config, the installed .pc file only.
pc=$(echo "$P"/lib*/pkgconfig)
flags=$(PKG_CONFIG_PATH=$pc pkg-config --cflags --libs newsgrep) || die "pkg-config newsgrep failed"
expect_match "^-I$P/lib[^ ]*/\.\./\.\./include .*-L$P/lib[^ ]*/\.\./\.\./lib[^ ]* -lnewsgrep *$" "$flags" "pkg-config flags"
# Only the include folder: no dependency's own flags (-DUTF8PROC_EXPORTS).
for static in "" --static; do
	expect_match "^-I$P/lib[^ ]*/\.\./\.\./include *$" \
		"$(PKG_CONFIG_PATH=$pc pkg-config $static --cflags newsgrep)" "pkg-config $static --cflags"
done
expect_match " -lutf8proc " "$(PKG_CONFIG_PATH=$pc pkg-config --static --libs newsgrep)" \
	"pkg-config --static --libs"
cc -Wall -Wextra -Werror "$SRC/examples/search.c" $flags -Wl,-rpath,"$(dirname "$lib")" \
	-o "$TMP/search-pc" || die "cannot build the example with pkg-config"
expect_rc 0 "$TMP/search-pc" "$DB" 'sanctions GPU'
expect_eq "$want" "$out" "example built with pkg-config"
expect_rc 2 "$TMP/search-pc" "$TMP/no-such-index" 'x'
expect_eq "search: no index at '$TMP/no-such-index': run newsgrep-index DIR first" "$err"

# The README's embedding example, as printed there.
sed -n '/^#include <newsgrep.h>$/,/^}$/p' "$SRC/README.md" >"$TMP/top.c"
expect_eq 15 "$(wc -l <"$TMP/top.c")" "lines of the README's example"
cc -Wall -Wextra -Werror "$TMP/top.c" $flags -Wl,-rpath,"$(dirname "$lib")" -o "$TMP/top" ||
	die "cannot build the README's example"
expect_rc 0 "$TMP/top" "$DB" 'sanctions GPU'
expect_eq "$(grep -v '^20' <<<"$want" | sed 's/^    /   /' | head -1)" "$(sed -n 2p <<<"$out")" \
	"README example's first path"
expect_match "^1\. Chinese Startup Moore Threads" "$out" "README example's first title"

# find_package(newsgrep), shared and static.
"$CMAKE" -S "$SRC/examples" -B "$TMP/examples" -DCMAKE_PREFIX_PATH="$P" >/dev/null &&
	"$CMAKE" --build "$TMP/examples" >/dev/null || die "cannot build the examples with find_package"
expect_rc 0 "$TMP/examples/search" "$DB" 'sanctions GPU'
expect_eq "$want" "$out" "example built with find_package"
expect_rc 0 "$TMP/examples/search_static" "$DB" 'sanctions GPU'
expect_eq "$want" "$out" "example linked statically with find_package"
[[ -z $(ldd "$TMP/examples/search_static" | grep newsgrep) ]] || die "search_static links the shared library"
checks=$((checks + 1))

done_testing
