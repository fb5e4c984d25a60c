/*
 * ngx_internal.h - what the shim's C++ files share: the structs behind the
 * opaque handles of ngx.h and the error helpers.  Never included from C.
 */
#ifndef NGX_INTERNAL_H
#define NGX_INTERNAL_H

#include <xapian.h>

#include <cstdint>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "ngx.h"

struct ngx_db {
	bool writable = false;
	bool in_batch = false;           /* a writer's unflushed transaction is open */
	std::string path;                /* as opened, for a reader's reopen */
	Xapian::Database reader;         /* used when !writable */
	Xapian::WritableDatabase writer; /* used when writable */
	/* A remote reader (ngx_db_open_remote): where its server is, for a
	 * fresh connection.  has_remote: it is, or joins, a remote one. */
	bool remote = false, has_remote = false;
	std::string host;
	unsigned port = 0, timeout_ms = 0, connect_ms = 0;
	/* A join (ngx_db_join): its databases, in order, and which are
	 * remote, to read documents from several servers at once. */
	std::vector<Xapian::Database> parts;
	std::vector<bool> part_remote;

	Xapian::Database &db()
	{
		return writable ? writer : reader;
	}
};

struct ngx_doc {
	Xapian::Document doc;
};

struct ngx_query {
	Xapian::Query q;
};

struct ngx_mset {
	Xapian::Database db; /* a handle of its own, so the hits outlive ngx_db */
	Xapian::MSet mset;
	/* A search in two parts (search.cc: an ascending sort over a remote
	 * database): mset's hits, then these; the counts are their sum. */
	Xapian::MSet rest;
	/* Collapsed searches that looked at every match: their exact count
	 * (Xapian's own is an estimate unless every match is kept). */
	bool counted = false;
	uint64_t count = 0;
	/* ngx_search_opts.read_value: the slot, and (over a server, when
	 * read in one search) each hit's value by docid; value is the last
	 * one ngx_mset_hit_value gave. */
	bool read_value = false;
	Xapian::valueno read_slot = 0;
	bool values_read = false;
	std::unordered_map<Xapian::docid, std::string> values;
	std::string value, collapse_key;
	/* The joined databases of the search's (ngx_db.parts), and the
	 * stored data of the hits ngx_mset_fetch read ahead, by docid. */
	std::vector<Xapian::Database> parts;
	std::vector<bool> part_remote;
	std::unordered_map<Xapian::docid, Xapian::Document> fetched;
	/* The document of the hit ngx_mset_hit read last, and its index. */
	Xapian::Document current;
	size_t current_hit = SIZE_MAX;
};

struct ngx_facet {
	ngx_facet_kind kind;
	unsigned slot;
	/* (value, count), count descending, then value in byte order; set by
	 * each ngx_search. */
	std::vector<std::pair<std::string, uint64_t>> items;
};

/* Counts the facets of one ngx_search (facet.cc): give it to the Enquire
 * with add_matchspy, run the match, then call finish().  A search that a
 * xapian-tcpsrv may run uses Xapian's own ValueCountMatchSpy instead, one
 * per facet (add_builtin, as often as there are Enquires), and finish()
 * counts what they saw the same way. */
class ngx_facet_spy : public Xapian::MatchSpy
{
      public:
	ngx_facet_spy(ngx_facet *const *facets, size_t n);
	void operator()(const Xapian::Document &doc, double wt) override;
	void add_builtin(Xapian::Enquire &enquire);
	/* Hands the counts, sorted, to the facets. */
	void finish();

      private:
	/* Counts `value` of facet i, n documents' worth. */
	void tally(size_t i, const std::string &value, uint64_t n);
	std::vector<std::unique_ptr<Xapian::ValueCountMatchSpy>> builtin;
	/* less<> so that a string_view finds a key without a copy */
	using counts = std::map<std::string, uint64_t, std::less<>>;
	std::vector<ngx_facet *> facets;
	std::vector<counts> tallies;     /* tallies[i] counts for facets[i] */
	std::vector<std::string> pieces; /* reused: one document's list items */
};

struct ngx_stemmer {
	Xapian::Stem stem;
	std::string word; /* reused input buffer */
};

/* Maps the exception being handled to a code and message in `err`.  Call it
 * only from inside a catch block: it rethrows the current exception. */
ngx_code ngx_translate(ngx_error *err) noexcept;

/* Records success. */
ngx_code ngx_ok(ngx_error *err) noexcept;

/* Records failure `code` with a printf-style message. */
ngx_code ngx_fail(ngx_error *err, ngx_code code, const char *fmt, ...) noexcept
    __attribute__((format(printf, 3, 4)));

/* A malloc'd copy of `s` plus a trailing NUL; throws std::bad_alloc. */
char *ngx_dup(const std::string &s);

/* True when `p` cannot stand for `len` bytes. */
inline bool ngx_bad_bytes(const char *p, size_t len)
{
	return p == nullptr && len != 0;
}

/* The integer in an enum that came from C.  C lets it hold any value of its
 * integer type, C++ only those of its enumerators: to check it, copy it out
 * rather than read it as the enum (which UBSan rightly reports). */
template <typename E> inline std::underlying_type_t<E> ngx_enum_value(const E &e)
{
	std::underlying_type_t<E> v;
	std::memcpy(&v, &e, sizeof v);
	return v;
}

/* `len` bytes at `p` (NULL allowed when len is 0). */
inline std::string ngx_bytes(const char *p, size_t len)
{
	return len ? std::string(p, len) : std::string();
}

/* Runs work(k) for each k of `parts` at once: a thread each but the last,
 * which runs on the calling thread (all in turn when no thread can be
 * had).  For exchanges with several servers, each of which answers one
 * request at a time: work must not throw, and must touch only what is
 * k's. */
template <typename Work> void ngx_at_once(const std::vector<size_t> &parts, Work work)
{
	std::vector<std::thread> threads;
	size_t started = 0;
	try {
		for (; started + 1 < parts.size(); ++started)
			threads.emplace_back(work, parts[started]);
	} catch (...) {
		// No thread to be had: the rest run here.
	}
	for (size_t i = started; i < parts.size(); ++i)
		work(parts[i]);
	for (std::thread &t : threads)
		t.join();
}

#endif /* NGX_INTERNAL_H */
