// search.cc - running queries and reading hits.

#include "ngx_internal.h"

#include <algorithm>
#include <functional>
#include <limits>
#include <memory>
#include <unordered_set>

namespace
{

// Xapian counts in doccount (32 bits here): clamp rather than wrap.
Xapian::doccount clamp(uint64_t n)
{
	return static_cast<Xapian::doccount>(
	    std::min<uint64_t>(n, std::numeric_limits<Xapian::doccount>::max()));
}

// Sorts by a value, smallest first, but documents without it last (an
// empty value is the smallest string, so a plain ascending sort by value
// would put them first).
class missing_last : public Xapian::KeyMaker
{
      public:
	explicit missing_last(Xapian::valueno slot) : slot(slot)
	{
	}

	std::string operator()(const Xapian::Document &doc) const override
	{
		const std::string value = doc.get_value(slot);
		if (value.empty())
			return std::string(1, '\x01');
		std::string key(1, '\0');
		return key.append(value);
	}

      private:
	Xapian::valueno slot;
};

// Counts what a collapsed search returns when it looks at every match: one
// per distinct collapse key, and each document without one.  Keys are kept
// as 64-bit hashes, so the memory is 8 bytes or so per distinct key.
class collapsed_counter : public Xapian::MatchSpy
{
      public:
	explicit collapsed_counter(Xapian::valueno slot) : slot(slot)
	{
	}

	void operator()(const Xapian::Document &doc, double) override
	{
		const std::string key = doc.get_value(slot);
		if (key.empty())
			++keyless;
		else
			keys.insert(std::hash<std::string>{}(key));
	}

	uint64_t count() const
	{
		return keyless + keys.size();
	}

      private:
	Xapian::valueno slot;
	uint64_t keyless = 0;
	std::unordered_set<size_t> keys;
};

} // namespace

extern "C" ngx_code ngx_search(ngx_mset **out, ngx_db *db, const ngx_query *q,
                               const ngx_search_opts *opts, ngx_facet *const *facets,
                               size_t nfacets, ngx_error *err)
{
	try {
		if (!out || !db || !q || !opts || (nfacets && !facets))
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_search: NULL argument");
		*out = nullptr;
		for (size_t i = 0; i < nfacets; ++i)
			if (!facets[i])
				return ngx_fail(err, NGX_ERR_INVALID,
				                "ngx_search: facet %zu is NULL", i);
		for (size_t i = 0; i < nfacets; ++i) // reset even if the search fails
			facets[i]->items.clear();
		auto m = std::make_unique<ngx_mset>();
		m->db = db->db();
		Xapian::Enquire enquire(m->db); // ranks with BM25Weight by default
		enquire.set_query(q->q);
		switch (ngx_enum_value(opts->sort)) {
		case NGX_SORT_RELEVANCE:
			break;
		case NGX_SORT_VALUE_DESC:
			// reverse = true is largest first; documents without the
			// value (the empty string) then come last.
			enquire.set_sort_by_value_then_relevance(opts->sort_slot, true);
			break;
		case NGX_SORT_VALUE_ASC:
			enquire.set_sort_by_key_then_relevance(
			    (new missing_last(opts->sort_slot))->release(), false);
			break;
		default:
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_search: unknown sort %lld",
			                static_cast<long long>(ngx_enum_value(opts->sort)));
		}
		if (opts->collapse) // Xapian never collapses empty values
			enquire.set_collapse_key(opts->collapse_slot);
		ngx_facet_spy *spy = nullptr; // owned by the Enquire once added
		if (nfacets) {
			spy = new ngx_facet_spy(facets, nfacets);
			enquire.add_matchspy(spy->release());
		}
		// Looking at every match: count what collapsing leaves exactly.
		collapsed_counter *counter = nullptr; // owned by the Enquire too
		Xapian::doccount all = m->db.get_doccount();
		if (opts->collapse && all && opts->check_at_least >= all) {
			counter = new collapsed_counter(opts->collapse_slot);
			enquire.add_matchspy(counter->release());
		}
		m->mset = enquire.get_mset(clamp(opts->offset), clamp(opts->limit),
		                           clamp(opts->check_at_least));
		if (counter) {
			m->counted = true;
			m->count = counter->count();
		}
		if (spy)
			spy->finish();
		// The MSet keeps the Enquire's internals alive: let the spies
		// and their counts go now.
		if (spy || counter)
			enquire.clear_matchspies();
		*out = m.release();
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" size_t ngx_mset_size(const ngx_mset *m)
{
	try {
		return m ? m->mset.size() : 0;
	} catch (...) {
		return 0;
	}
}

extern "C" uint64_t ngx_mset_estimate(const ngx_mset *m)
{
	try {
		return !m ? 0 : m->counted ? m->count : m->mset.get_matches_estimated();
	} catch (...) {
		return 0;
	}
}

extern "C" void ngx_mset_bounds(const ngx_mset *m, uint64_t *lower, uint64_t *upper)
{
	uint64_t lo = 0, hi = 0;
	try {
		if (m && m->counted) {
			lo = hi = m->count;
		} else if (m) {
			lo = m->mset.get_matches_lower_bound();
			hi = m->mset.get_matches_upper_bound();
		}
	} catch (...) {
		lo = hi = 0;
	}
	if (lower)
		*lower = lo;
	if (upper)
		*upper = hi;
}

extern "C" ngx_code ngx_mset_hit(ngx_mset *m, size_t i, double *weight, char **data, size_t *len,
                                 ngx_error *err)
{
	try {
		if (!m || !weight || !data || !len)
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_mset_hit: NULL argument");
		*data = nullptr;
		*len = 0;
		if (i >= m->mset.size())
			return ngx_fail(err, NGX_ERR_INVALID,
			                "ngx_mset_hit: hit %zu out of range (%zu hits)", i,
			                static_cast<size_t>(m->mset.size()));
		Xapian::MSetIterator hit = m->mset[static_cast<Xapian::doccount>(i)];
		const std::string bytes = hit.get_document().get_data();
		*data = ngx_dup(bytes);
		*len = bytes.size();
		*weight = hit.get_weight();
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" void ngx_mset_free(ngx_mset *m)
{
	delete m;
}
