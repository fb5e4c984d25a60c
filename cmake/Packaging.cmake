# The Debian packages: `cpack -G DEB` in a build folder (or scripts/package,
# which configures a Release build for /usr and runs it) makes, as Debian
# splits a library and its programs, one package per install component
# (the top CMakeLists.txt):
#   newsgrep_<version>_<arch>.deb         the programs (which link libnewsgrep
#                                         statically), man pages, completions
#                                         and contrib units;
#   libnewsgrep<major>_<version>_<arch>.deb  the shared library;
#   libnewsgrep-dev_<version>_<arch>.deb  the headers, the static library, the
#                                         .so link, newsgrep.pc and the CMake
#                                         package files.
# Included from the top CMakeLists.txt, after the install rules.

set(CPACK_PACKAGE_NAME newsgrep)
# project(VERSION) is the only copy of the number.
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "newsgrep")
set(CPACK_PACKAGE_CONTACT "newsgrep maintainers <maintainers@users.noreply.b-seed-3d136a18.example>")
set(CPACK_GENERATOR DEB)

# Into /usr, whatever prefix the build folder was configured for (a build
# for /usr, as scripts/package makes, also puts the library in
# lib/<multiarch>). The DEB generator installs into a DESTDIR with this
# prefix, so the contrib units, written at install time from
# CMAKE_INSTALL_PREFIX (contrib/CMakeLists.txt), name /usr/bin/newsgrep-index.
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)

# One package per component, named and described as Debian would.
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL programs library development)
set(newsgrep_lib_package libnewsgrep${PROJECT_VERSION_MAJOR})
set(CPACK_DEBIAN_PROGRAMS_PACKAGE_NAME newsgrep)
set(CPACK_DEBIAN_LIBRARY_PACKAGE_NAME ${newsgrep_lib_package})
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_NAME libnewsgrep-dev)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PROGRAMS_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_LIBRARY_PACKAGE_SECTION libs)
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_SECTION libdevel)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)

# The descriptions; the first line is the summary.  (No
# CPACK_PACKAGE_DESCRIPTION_SUMMARY: CPack would put that one line above
# each package's own.)
set(CPACK_DEBIAN_PROGRAMS_DESCRIPTION "full-text search over archives of news articles
newsgrep-index turns a folder of news articles (one per file, YAML front
matter between --- lines) into a Xapian index; newsgrep answers ranked
keyword queries with date ranges, at the shell or as JSON for scripts;
newsgrep-watch prints what is new for standing searches.
The package holds the three programs, the man pages, completions for bash, zsh
and fish, and example cron and systemd units for a nightly update
(under /usr/share/newsgrep/contrib).")
set(CPACK_DEBIAN_LIBRARY_DESCRIPTION "full-text search over archives of news articles (library)
libnewsgrep indexes and searches archives of news articles (one per file,
YAML front matter) through Xapian: the engine of newsgrep and
newsgrep-index, for other programs. This package holds the shared library.")
set(CPACK_DEBIAN_DEVELOPMENT_DESCRIPTION "full-text search over archives of news articles (development files)
libnewsgrep indexes and searches archives of news articles (one per file,
YAML front matter) through Xapian. This package holds its header, the
static library, the pkg-config file and the CMake package.")

# Depends from the libraries each package's files link, as dpkg-shlibdeps
# (dpkg-dev) finds them: libxapian30, libyaml-0-2, libutf8proc2, libxxhash0,
# libstdc++6, libc6.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# A shlibs file for libnewsgrep.so.<major>, and ldconfig run on install.
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS ON)
set(CPACK_DEBIAN_PACKAGE_GENERATE_SHLIBS_POLICY ">=")
# The .so link and the headers belong to one build of the library.  The
# dependencies' development files too: newsgrep.pc requires their .pc files
# (Requires.private: pkg-config reads them even for a shared build), and
# the static library links them.
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_DEPENDS "${newsgrep_lib_package} (= ${PROJECT_VERSION}), \
libxapian-dev, libyaml-dev, libutf8proc-dev, libxxhash-dev")
set(CPACK_DEBIAN_DEVELOPMENT_PACKAGE_SUGGESTS "pkg-config")

include(CPack)
