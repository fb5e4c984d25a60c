// search.cc - running queries and reading hits.

#include "ngx_internal.h"

#include <algorithm>
#include <limits>
#include <memory>

extern "C" ngx_code ngx_search(ngx_mset **out, ngx_db *db, const ngx_query *q, unsigned long offset,
                               unsigned long limit, ngx_error *err)
{
	try {
		if (!out || !db || !q)
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_search: NULL argument");
		*out = nullptr;
		// Xapian counts in doccount (32 bits here): clamp rather than wrap.
		const unsigned long most = std::numeric_limits<Xapian::doccount>::max();
		auto m = std::make_unique<ngx_mset>();
		m->db = db->db();
		Xapian::Enquire enquire(m->db); // ranks with BM25Weight by default
		enquire.set_query(q->q);
		m->mset = enquire.get_mset(static_cast<Xapian::doccount>(std::min(offset, most)),
		                           static_cast<Xapian::doccount>(std::min(limit, most)));
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
		return m ? m->mset.get_matches_estimated() : 0;
	} catch (...) {
		return 0;
	}
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
