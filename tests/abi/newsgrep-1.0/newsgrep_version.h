/* newsgrep_version.h as newsgrep 1.0.0 installed it (tests/abi/README.md). */
#ifndef NEWSGREP_VERSION_H
#define NEWSGREP_VERSION_H

#define NEWSGREP_VERSION_MAJOR 1
#define NEWSGREP_VERSION_MINOR 0
#define NEWSGREP_VERSION_PATCH 0
#define NEWSGREP_VERSION_STRING "1.0.0"

#endif
