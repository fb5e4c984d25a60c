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

// Counts the same with Xapian's own spy, which a xapian-tcpsrv can run (and
// whose counts of the members of a set add up): each distinct key once,
// and each document the spy saw without one.
class builtin_counter
{
      public:
	explicit builtin_counter(Xapian::valueno slot) : spy(slot)
	{
	}

	uint64_t count() const
	{
		uint64_t keys = 0, keyed = 0;
		for (auto v = spy.values_begin(); v != spy.values_end(); ++v) {
			++keys;
			keyed += v.get_termfreq();
		}
		return keys + (spy.get_total() - keyed);
	}

	Xapian::ValueCountMatchSpy spy;
};

// The spies of one ngx_search, whichever kind the database allows, added
// to each Enquire it runs.
struct search_spies {
	std::unique_ptr<ngx_facet_spy> facets;
	std::unique_ptr<collapsed_counter> counter;
	std::unique_ptr<builtin_counter> remote_counter;
	bool remote = false;

	void add_to(Xapian::Enquire &enquire)
	{
		if (facets && remote)
			facets->add_builtin(enquire);
		else if (facets)
			enquire.add_matchspy(facets.get());
		if (counter)
			enquire.add_matchspy(counter.get());
		if (remote_counter)
			enquire.add_matchspy(&remote_counter->spy);
	}

	uint64_t count() const
	{
		return counter ? counter->count() : remote_counter->count();
	}
};

// The sort and collapse of opts on an Enquire; `remote`: only what a
// xapian-tcpsrv can run (no KeyMaker of ours).
ngx_code set_order(Xapian::Enquire &enquire, const ngx_search_opts *opts, bool remote,
                   ngx_error *err)
{
	switch (ngx_enum_value(opts->sort)) {
	case NGX_SORT_RELEVANCE:
		break;
	case NGX_SORT_VALUE_DESC:
		// reverse = true is largest first; documents without the
		// value (the empty string) then come last.
		enquire.set_sort_by_value_then_relevance(opts->sort_slot, true);
		break;
	case NGX_SORT_VALUE_ASC:
		if (remote) // the caller searches for the valueless apart
			enquire.set_sort_by_value_then_relevance(opts->sort_slot, false);
		else
			enquire.set_sort_by_key_then_relevance(
			    (new missing_last(opts->sort_slot))->release(), false);
		break;
	default:
		return ngx_fail(err, NGX_ERR_INVALID, "ngx_search: unknown sort %lld",
		                static_cast<long long>(ngx_enum_value(opts->sort)));
	}
	if (opts->collapse) // Xapian never collapses empty values
		enquire.set_collapse_key(opts->collapse_slot);
	return NGX_OK;
}

// An ascending sort with the valueless last, as two searches a
// xapian-tcpsrv can run: the matches with the value, by it, then those
// without, by relevance (as missing_last orders them).  The page runs on
// from the first into the second; the counts are their sum.  (Unlike one
// search, a URL one copy of which has a date and another none is not
// collapsed across the two.)
void search_in_two(ngx_mset &m, const Xapian::Query &q, const ngx_search_opts *opts,
                   search_spies &spies, ngx_error *err)
{
	const Xapian::Query has_value(Xapian::Query::OP_VALUE_GE, opts->sort_slot, std::string());
	const Xapian::doccount first = clamp(opts->offset), limit = clamp(opts->limit);
	const Xapian::doccount check = clamp(opts->check_at_least);
	Xapian::Enquire dated(m.db);
	dated.set_query(Xapian::Query(Xapian::Query::OP_FILTER, q, has_value));
	set_order(dated, opts, true, err);
	spies.add_to(dated);
	m.mset = dated.get_mset(first, limit, check);
	// A page the dated did not fill saw them all: their count is exact.
	const Xapian::doccount got = m.mset.size();
	const uint64_t ndated = got < limit ? m.mset.get_matches_lower_bound() : 0;
	Xapian::Enquire undated(m.db);
	undated.set_query(Xapian::Query(Xapian::Query::OP_AND_NOT, q, has_value));
	if (opts->collapse)
		undated.set_collapse_key(opts->collapse_slot);
	spies.add_to(undated);
	const Xapian::doccount skip =
	    got < limit && opts->offset > ndated ? clamp(opts->offset - ndated) : 0;
	m.rest = undated.get_mset(skip, limit - got, check);
}

// Whether to read the hits' values in one more search rather than a
// document per exchange: when the page is a good part of the matches (that
// search sends one value per match).
bool values_at_once(const ngx_mset &m)
{
	const uint64_t page = uint64_t{m.mset.size()} + m.rest.size();
	const uint64_t matches =
	    uint64_t{m.mset.get_matches_upper_bound()} + m.rest.get_matches_upper_bound();
	return page && page * 16 >= matches;
}

// Reads the value in read_slot of every hit of m in one search of q: a
// search sorted by a value sends each hit's value along with it (its sort
// key), where a xapian-tcpsrv sends a document per request.
void read_values_at_once(ngx_mset &m, const Xapian::Query &q)
{
	std::unordered_set<Xapian::docid> page;
	for (const Xapian::MSet *part : {&m.mset, &m.rest})
		for (auto hit = part->begin(); hit != part->end(); ++hit)
			page.insert(*hit);
	Xapian::Enquire enquire(m.db);
	enquire.set_query(q);
	enquire.set_weighting_scheme(Xapian::BoolWeight());
	enquire.set_sort_by_value(m.read_slot, false);
	const Xapian::MSet all = enquire.get_mset(0, m.db.get_doccount());
	for (auto hit = all.begin(); hit != all.end(); ++hit)
		if (page.count(*hit))
			m.values.emplace(*hit, hit.get_sort_key());
	m.values_read = true;
}

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
		m->parts = db->parts;
		m->part_remote = db->part_remote;
		search_spies spies;
		spies.remote = db->has_remote;
		if (nfacets)
			spies.facets = std::make_unique<ngx_facet_spy>(facets, nfacets);
		// Looking at every match: count what collapsing leaves exactly.
		Xapian::doccount all = m->db.get_doccount();
		if (opts->collapse && all && opts->check_at_least >= all) {
			if (spies.remote)
				spies.remote_counter =
				    std::make_unique<builtin_counter>(opts->collapse_slot);
			else
				spies.counter =
				    std::make_unique<collapsed_counter>(opts->collapse_slot);
		}
		if (spies.remote && ngx_enum_value(opts->sort) == NGX_SORT_VALUE_ASC) {
			search_in_two(*m, q->q, opts, spies, err);
		} else {
			Xapian::Enquire enquire(m->db); // ranks with BM25Weight by default
			enquire.set_query(q->q);
			if (set_order(enquire, opts, spies.remote, err) != NGX_OK)
				return err->code;
			spies.add_to(enquire);
			m->mset = enquire.get_mset(clamp(opts->offset), clamp(opts->limit),
			                           clamp(opts->check_at_least));
		}
		if (spies.counter || spies.remote_counter) {
			m->counted = true;
			m->count = spies.count();
		}
		if (spies.facets)
			spies.facets->finish();
		m->read_value = opts->read_value != 0;
		m->read_slot = opts->read_slot;
		if (m->read_value && spies.remote && values_at_once(*m))
			read_values_at_once(*m, q->q);
		*out = m.release();
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" size_t ngx_mset_size(const ngx_mset *m)
{
	try {
		return m ? size_t{m->mset.size()} + m->rest.size() : 0;
	} catch (...) {
		return 0;
	}
}

extern "C" uint64_t ngx_mset_estimate(const ngx_mset *m)
{
	try {
		return !m           ? 0
		       : m->counted ? m->count
		                    : uint64_t{m->mset.get_matches_estimated()} +
		                          m->rest.get_matches_estimated();
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
			lo = uint64_t{m->mset.get_matches_lower_bound()} +
			     m->rest.get_matches_lower_bound();
			hi = uint64_t{m->mset.get_matches_upper_bound()} +
			     m->rest.get_matches_upper_bound();
		}
	} catch (...) {
		lo = hi = 0;
	}
	if (lower)
		*lower = lo;
	if (upper)
		*upper = hi;
}

// The i-th hit of m, of its two parts.
static Xapian::MSetIterator nth_hit(ngx_mset &m, size_t i)
{
	const size_t first = m.mset.size();
	return i < first ? m.mset[static_cast<Xapian::doccount>(i)]
	                 : m.rest[static_cast<Xapian::doccount>(i - first)];
}

extern "C" ngx_code ngx_mset_hit(ngx_mset *m, size_t i, double *weight, char **data, size_t *len,
                                 ngx_error *err)
{
	try {
		if (!m || !weight || !data || !len)
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_mset_hit: NULL argument");
		*data = nullptr;
		*len = 0;
		const size_t n = ngx_mset_size(m);
		if (i >= n)
			return ngx_fail(err, NGX_ERR_INVALID,
			                "ngx_mset_hit: hit %zu out of range (%zu hits)", i, n);
		Xapian::MSetIterator hit = nth_hit(*m, i);
		auto ahead = m->fetched.find(*hit);
		if (ahead != m->fetched.end()) {
			m->current = std::move(ahead->second);
			m->fetched.erase(ahead);
		} else {
			m->current = hit.get_document();
		}
		m->current_hit = i;
		const std::string bytes = m->current.get_data();
		*data = ngx_dup(bytes);
		*len = bytes.size();
		*weight = hit.get_weight();
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" ngx_code ngx_mset_hit_number(ngx_mset *m, size_t i, unsigned slot, double *out, int *has,
                                        ngx_error *err)
{
	try {
		if (!m || !out || !has)
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_mset_hit_number: NULL argument");
		*out = 0;
		*has = 0;
		if (m->current_hit != i)
			return ngx_fail(err, NGX_ERR_INVALID,
			                "ngx_mset_hit_number: hit %zu is not the one last read", i);
		const std::string v = m->current.get_value(slot);
		if (!v.empty()) {
			*out = Xapian::sortable_unserialise(v);
			*has = 1;
		}
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" ngx_code ngx_mset_hit_collapse_key(ngx_mset *m, size_t i, const char **key, size_t *len,
                                              ngx_error *err)
{
	try {
		if (!m || !key || !len)
			return ngx_fail(err, NGX_ERR_INVALID,
			                "ngx_mset_hit_collapse_key: NULL argument");
		if (i >= ngx_mset_size(m))
			return ngx_fail(err, NGX_ERR_INVALID,
			                "ngx_mset_hit_collapse_key: hit %zu out of range", i);
		m->collapse_key = nth_hit(*m, i).get_collapse_key();
		*key = m->collapse_key.data();
		*len = m->collapse_key.size();
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" ngx_code ngx_mset_hit_collapse_count(ngx_mset *m, size_t i, uint64_t *count,
                                                ngx_error *err)
{
	try {
		if (!m || !count)
			return ngx_fail(err, NGX_ERR_INVALID,
			                "ngx_mset_hit_collapse_count: NULL argument");
		*count = 0;
		if (i >= ngx_mset_size(m))
			return ngx_fail(err, NGX_ERR_INVALID,
			                "ngx_mset_hit_collapse_count: hit %zu out of range", i);
		*count = nth_hit(*m, i).get_collapse_count();
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" ngx_code ngx_mset_hit_value(ngx_mset *m, size_t i, double *weight, const char **value,
                                       size_t *len, ngx_error *err)
{
	try {
		if (!m || !weight || !value || !len)
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_mset_hit_value: NULL argument");
		*value = "";
		*len = 0;
		const size_t n = ngx_mset_size(m);
		if (i >= n || !m->read_value)
			return ngx_fail(err, NGX_ERR_INVALID,
			                "ngx_mset_hit_value: hit %zu of %zu hits (values %s)", i, n,
			                m->read_value ? "asked for" : "not asked for");
		Xapian::MSetIterator hit = nth_hit(*m, i);
		if (!m->values_read) {
			m->value = hit.get_document().get_value(m->read_slot);
		} else {
			auto found = m->values.find(*hit);
			m->value = found == m->values.end() ? std::string() : found->second;
		}
		*value = m->value.data();
		*len = m->value.size();
		*weight = hit.get_weight();
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

namespace
{

// Documents dids[0..) of one database, read on a thread of their own (a
// remote database's come whole: data and values); a failure leaves them
// for ngx_mset_hit to read (and meet the error) in turn.
struct part_fetch {
	Xapian::Database db;
	std::vector<Xapian::docid> dids;   // the part's own docids
	std::vector<Xapian::docid> joined; // ... and the join's
	std::vector<Xapian::Document> docs;
	bool ok = false;

	void run()
	{
		try {
			for (Xapian::docid did : dids)
				docs.push_back(db.get_document(did));
			ok = true;
		} catch (...) {
			docs.clear();
		}
	}
};

} // namespace

extern "C" ngx_code ngx_mset_fetch(ngx_mset *m, size_t first, size_t n, ngx_error *err)
{
	try {
		if (!m)
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_mset_fetch: NULL argument");
		const size_t nparts = m->parts.size(), size = ngx_mset_size(m);
		if (nparts < 2)
			return ngx_ok(err);
		// A join numbers the documents of its databases in turn: its
		// docid d is docid (d - 1) / nparts + 1 of part (d - 1) % nparts.
		std::vector<part_fetch> parts(nparts);
		for (size_t i = first; i < size && i - first < n; ++i) {
			const Xapian::docid did = *nth_hit(*m, i);
			const size_t k = (did - 1) % nparts;
			if (!m->part_remote[k] || m->fetched.count(did))
				continue;
			parts[k].dids.push_back((did - 1) / static_cast<Xapian::docid>(nparts) + 1);
			parts[k].joined.push_back(did);
		}
		std::vector<size_t> busy;
		for (size_t k = 0; k < nparts; ++k) {
			if (parts[k].dids.empty())
				continue;
			parts[k].db = m->parts[k];
			busy.push_back(k);
		}
		ngx_at_once(busy, [&parts](size_t k) { parts[k].run(); });
		for (part_fetch &p : parts)
			for (size_t j = 0; p.ok && j < p.dids.size(); ++j)
				m->fetched[p.joined[j]] = std::move(p.docs[j]);
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" void ngx_mset_free(ngx_mset *m)
{
	delete m;
}
