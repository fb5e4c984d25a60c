#!/usr/bin/env python3
"""search.py - libnewsgrep from Python through ctypes, standard library only:
the twin of search.c.  Prints the date, title and path of the best matches.

    NEWSGREP_LIBRARY=/path/to/libnewsgrep.so.1 python3 search.py INDEX sanctions GPU

It shows how to load the library, declare each function's types, mirror the
public structs field for field (their layout is only stable within a major
version, hence the version check), and release what the library hands out.
"""
import ctypes
import ctypes.util
import os
import sys
import time
from ctypes import (POINTER, Structure, byref, c_char_p, c_double, c_int, c_int64,
                    c_size_t, c_uint32, c_uint64, c_void_p)

MAJOR = 1  # the major version these struct mirrors were written for
NEWSGREP_OK, NEWSGREP_DB_READ = 0, 0


# newsgrep_search_options_t at NEWSGREP_SEARCH_OPTIONS_VERSION 1: the
# library reads it only as far as version 1 goes, so this mirror keeps
# working when later versions append fields.
SEARCH_OPTIONS_VERSION = 1


class SearchOptions(Structure):
    _fields_ = [("version", c_uint32),
                ("limit", c_uint64), ("offset", c_uint64),
                ("sort", c_int),  # newsgrep_sort_t
                ("has_since", c_int), ("since", c_int64),
                ("has_until", c_int), ("until", c_int64),
                ("exact", c_int), ("all_duplicates", c_int), ("boost_recent", c_int),
                ("exact_count", c_int), ("facets", c_uint32),
                ("max_expansion", c_uint64), ("no_snippets", c_int),
                ("fixed_strings", c_int)]


class Span(Structure):  # newsgrep_span_t: bytes [start, end) of the snippet or title
    _fields_ = [("start", c_size_t), ("end", c_size_t)]


class Hit(Structure):  # newsgrep_hit_t; lists are (count, pointer) pairs
    _fields_ = [("rank", c_uint64), ("score", c_double),
                ("path", c_char_p), ("url", c_char_p), ("title", c_char_p),
                ("has_date", c_int), ("date", c_int64),
                ("provider", c_char_p), ("provider_domain", c_char_p),
                ("excerpt", c_char_p),
                ("ntopics", c_size_t), ("topics", POINTER(c_char_p)),
                ("snippet", c_char_p),
                ("nspans", c_size_t), ("spans", POINTER(Span)),
                ("nmatched_in", c_size_t), ("matched_in", POINTER(c_char_p)),
                ("snippet_from", c_char_p),
                ("ntitle_spans", c_size_t), ("title_spans", POINTER(Span))]


def text(b):
    """A string from the library: UTF-8, but a path may be any bytes."""
    return b.decode("utf-8", errors="surrogateescape")


def load():
    lib = ctypes.CDLL(os.environ.get("NEWSGREP_LIBRARY")
                      or ctypes.util.find_library("newsgrep") or "libnewsgrep.so.1")
    for name, restype, argtypes in [
            ("newsgrep_version", c_char_p, []),
            ("newsgrep_free", None, [c_void_p]),
            ("newsgrep_db_open", c_int,
             [POINTER(c_void_p), c_char_p, c_int, c_void_p, POINTER(c_char_p)]),
            ("newsgrep_db_close", None, [c_void_p]),
            ("newsgrep_db_errmsg", c_char_p, [c_void_p]),
            ("newsgrep_search_options_init", c_int, [POINTER(SearchOptions), c_uint32]),
            ("newsgrep_search", c_int, [POINTER(c_void_p), c_void_p, c_char_p,
                                        POINTER(SearchOptions)]),
            ("newsgrep_hits_next", c_int, [c_void_p, POINTER(POINTER(Hit))]),
            ("newsgrep_hits_free", None, [c_void_p])]:
        fn = getattr(lib, name)
        fn.restype, fn.argtypes = restype, argtypes
    return lib


def main(argv):
    # Print paths byte for byte, whatever the locale says.
    sys.stdout.reconfigure(encoding="utf-8", errors="surrogateescape")
    sys.stderr.reconfigure(encoding="utf-8", errors="surrogateescape")
    if len(argv) < 3:
        sys.stderr.write("usage: search.py INDEX QUERY...\n")
        return 2
    lib = load()
    version = text(lib.newsgrep_version())
    if int(version.split(".")[0]) != MAJOR:
        sys.stderr.write("search.py: libnewsgrep %s is not version %d.x, which this "
                         "example was written for\n" % (version, MAJOR))
        return 2

    db, msg = c_void_p(), c_char_p()
    if lib.newsgrep_db_open(byref(db), os.fsencode(argv[1]), NEWSGREP_DB_READ, None,
                            byref(msg)) != NEWSGREP_OK:
        sys.stderr.write("search.py: %s\n" % text(msg.value or b"cannot open the index"))
        lib.newsgrep_free(msg)
        return 2
    opts = SearchOptions()
    lib.newsgrep_search_options_init(byref(opts), SEARCH_OPTIONS_VERSION)  # then e.g. opts.limit = 20
    hits = c_void_p()
    if lib.newsgrep_search(byref(hits), db, os.fsencode(" ".join(argv[2:])),
                           byref(opts)) != NEWSGREP_OK:
        sys.stderr.write("search.py: %s\n" % text(lib.newsgrep_db_errmsg(db)))
        lib.newsgrep_db_close(db)
        return 2
    hit = POINTER(Hit)()
    while lib.newsgrep_hits_next(hits, byref(hit)) == NEWSGREP_OK:
        h = hit.contents  # valid until the next newsgrep_hits_next
        day = time.strftime("%Y-%m-%d", time.gmtime(h.date)) if h.has_date else "(no date)"
        print("%s  %s\n    %s" % (day, text(h.title), text(h.path)))
    lib.newsgrep_hits_free(hits)
    lib.newsgrep_db_close(db)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
