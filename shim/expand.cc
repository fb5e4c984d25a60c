// expand.cc - "more like this": the terms that best describe a few
// documents (Xapian's query expansion over a relevance set).

#include "ngx_internal.h"

#include <algorithm>

namespace
{

// Keeps the terms the caller's `keep` accepts that at least `min_docs`
// documents of the database have (a word of one article alone finds no
// other).  The cheap test first: each termfreq may cost a server an
// exchange.
class keep_decider : public Xapian::ExpandDecider
{
      public:
	keep_decider(const Xapian::Database &db, uint64_t min_docs, ngx_keep_term_fn keep,
	             void *ctx)
	    : db(db), min_docs(min_docs), keep(keep), ctx(ctx)
	{
	}

	bool operator()(const std::string &term) const override
	{
		if (keep && !keep(ctx, term.data(), term.size()))
			return false;
		return min_docs <= 1 || db.get_termfreq(term) >= min_docs;
	}

      private:
	Xapian::Database db;
	uint64_t min_docs;
	ngx_keep_term_fn keep;
	void *ctx;
};

} // namespace

extern "C" ngx_code ngx_mset_expand(ngx_mset *m, size_t nrel, size_t max_terms, uint64_t min_docs,
                                    ngx_keep_term_fn keep, void *keep_ctx, ngx_expand_term_fn give,
                                    void *give_ctx, ngx_error *err)
{
	try {
		if (!m || !give)
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_mset_expand: NULL argument");
		Xapian::RSet rset;
		const size_t n = std::min<size_t>(nrel, m->mset.size());
		for (size_t i = 0; i < n; ++i)
			rset.add_document(*m->mset[static_cast<Xapian::doccount>(i)]);
		if (rset.empty() || max_terms == 0)
			return ngx_ok(err);
		Xapian::Enquire enquire(m->db);
		keep_decider decider(m->db, min_docs, keep, keep_ctx);
		const Xapian::termcount most =
		    static_cast<Xapian::termcount>(std::min<size_t>(max_terms, 100000));
		Xapian::ESet eset = enquire.get_eset(most, rset, &decider);
		for (Xapian::ESetIterator t = eset.begin(); t != eset.end(); ++t) {
			const std::string term = *t;
			if (give(give_ctx, term.data(), term.size(), t.get_weight()))
				return ngx_fail(err, NGX_ERR_NOMEM, "out of memory");
		}
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}
