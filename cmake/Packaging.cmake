# The Debian package: `cpack -G DEB` in a build folder (or scripts/package,
# which configures a Release build for /usr and runs it) makes
# newsgrep_<version>_<arch>.deb of everything `cmake --install` installs:
# the programs, the shared and static library, the headers, newsgrep.pc, the
# CMake package files, the man pages, the completions and the contrib units.
# Included from the top CMakeLists.txt, after the install rules.

set(CPACK_PACKAGE_NAME newsgrep)
# project(VERSION) is the only copy of the number.
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "newsgrep")
set(CPACK_PACKAGE_CONTACT "newsgrep maintainers <maintainers@users.noreply.b-seed-3d136a18.example>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "full-text search over archives of news articles")
set(CPACK_GENERATOR DEB)

# Into /usr, whatever prefix the build folder was configured for (a build
# for /usr, as scripts/package makes, also puts the library in
# lib/<multiarch>). The DEB generator installs into a DESTDIR with this
# prefix, so the contrib units, written at install time from
# CMAKE_INSTALL_PREFIX (contrib/CMakeLists.txt), name /usr/bin/newsgrep-index.
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# The long description; the first line is the summary above.
set(CPACK_PACKAGE_DESCRIPTION "newsgrep-index turns a folder of news articles (one per file, YAML front
matter between --- lines) into a Xapian index; newsgrep answers ranked
keyword queries with date ranges, at the shell or as JSON for scripts.
The package holds both programs, libnewsgrep with its headers, pkg-config
file and CMake package, the man pages, completions for bash, zsh and fish,
and example cron and systemd units for a nightly update
(under /usr/share/newsgrep/contrib).")
# Depends from the libraries the programs and libnewsgrep link, as
# dpkg-shlibdeps (dpkg-dev) finds them: libxapian30, libyaml-0-2,
# libutf8proc2, libxxhash0, libstdc++6, libc6.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# A shlibs file for libnewsgrep.so.<major>, and ldconfig run on install.
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")
# Building against the static library, or with pkg-config --static, needs
# the dependencies' development files; the shared library needs none.
set(CPACK_DEBIAN_PACKAGE_SUGGESTS
  "pkg-config, libxapian-dev, libyaml-dev, libutf8proc-dev, libxxhash-dev")

include(CPack)
