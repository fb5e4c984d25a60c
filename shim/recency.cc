// recency.cc - a posting source that weighs documents by how recent the
// date number in a value slot is.

#include "ngx_internal.h"

#include <cmath>
#include <cstdio>

namespace
{

// max_weight * 0.5^((reference - value) / half_life), and max_weight for
// values at or after reference.  Matches every document with the value set.
class recency_source : public Xapian::ValuePostingSource
{
      public:
	recency_source(Xapian::valueno slot, double reference, double half_life, double max_weight)
	    : Xapian::ValuePostingSource(slot), reference(reference), half_life(half_life),
	      max_weight(max_weight)
	{
	}

	double get_weight() const override
	{
		const double value = Xapian::sortable_unserialise(get_value());
		if (value >= reference)
			return max_weight;
		// The exponent is > 0 (the arguments are finite, checked by
		// ngx_query_recency), so the weight lies in [0, max_weight];
		// a value of -inf gives 0.
		return max_weight * std::pow(0.5, (reference - value) / half_life);
	}

	recency_source *clone() const override
	{
		return new recency_source(get_slot(), reference, half_life, max_weight);
	}

	std::string name() const override
	{
		return "newsgrep::recency_source";
	}

	void init(const Xapian::Database &db) override
	{
		Xapian::ValuePostingSource::init(db); // sets the max weight to DBL_MAX
		set_maxweight(max_weight);
	}

	std::string get_description() const override
	{
		char buf[256];
		std::snprintf(buf, sizeof buf,
		              "newsgrep::recency_source(slot=%u, reference=%.17g, half_life=%.17g, "
		              "max_weight=%.17g)",
		              static_cast<unsigned>(get_slot()), reference, half_life, max_weight);
		return buf;
	}

      private:
	double reference, half_life, max_weight;
};

} // namespace

extern "C" ngx_code ngx_query_recency(ngx_query **out, unsigned slot, double reference,
                                      double half_life, double max_weight, ngx_error *err)
{
	try {
		if (!out)
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_query_recency: NULL argument");
		*out = nullptr;
		// Written so that NaN fails each test.
		if (!std::isfinite(reference) || !(half_life > 0) || !std::isfinite(half_life) ||
		    !(max_weight >= 0) || !std::isfinite(max_weight))
			return ngx_fail(err, NGX_ERR_INVALID,
			                "ngx_query_recency: need a finite reference, half_life > 0 "
			                "and max_weight >= 0 (got %g, %g, %g)",
			                reference, half_life, max_weight);
		// release(): the query, and every copy of it, owns the source.
		Xapian::Query q(
		    (new recency_source(slot, reference, half_life, max_weight))->release());
		*out = new ngx_query{std::move(q)};
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}
