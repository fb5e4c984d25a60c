// recency.cc - weighing documents by how recent the date number in a value
// slot is: exactly, with a posting source of our own, or by steps made of
// Xapian's own classes, which a xapian-tcpsrv can run too.

#include "ngx_internal.h"

#include <algorithm>
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

// The staircase that stands for max_weight * 0.5^((reference - value) /
// half_life) with Xapian's own classes, which a xapian-tcpsrv runs too.
// The curve's range [0, 1] (in units of max_weight) is cut at the levels
// c_k = (2k + 1) e, k = 0 .. n - 1, e = max_error / max_weight: a value at
// or after the date where the curve falls to c_k (t_k) passes threshold k,
// and a document that passes thresholds 0 .. k, not k + 1, gets the middle
// of [c_k, c_k+1] (c_n = 1), none that passes none: within e of the curve.
// Each threshold is FILTER(FixedWeight(step), VALUE_GE(slot, t_k)), whose
// weight is its left side's; the thresholds are nested, each the AND_MAYBE
// of the next, so that a document too old for one is not checked against
// the newer ones (the sets nest: t_k < t_k+1).
class recency_steps
{
      public:
	recency_steps(unsigned slot, double reference, double half_life, double max_weight,
	              double max_error)
	    : slot(slot), reference(reference), half_life(half_life), max_weight(max_weight),
	      rel_error(max_error / max_weight)
	{
	}

	Xapian::Query build() const
	{
		if (!(max_weight > 0) || rel_error >= 1)
			return Xapian::Query();
		const unsigned n = levels();
		Xapian::Query q;
		for (unsigned k = n; k-- > 0;) {
			Xapian::Query step = threshold(k);
			q = q.empty() ? step : Xapian::Query(Xapian::Query::OP_AND_MAYBE, step, q);
		}
		return q;
	}

      private:
	// n: the levels (2k + 1) e below 1.
	unsigned levels() const
	{
		return static_cast<unsigned>(std::ceil((1 - rel_error) / (2 * rel_error)));
	}

	double level(unsigned k) const
	{
		return std::min(1.0, (2.0 * k + 1) * rel_error);
	}

	// The middle of [c_k, c_k+1]: a document's bonus, over max_weight.
	double middle(unsigned k) const
	{
		return (level(k) + level(k + 1)) / 2;
	}

	Xapian::Query threshold(unsigned k) const
	{
		const double since = reference - half_life * std::log2(1 / level(k));
		const double step = max_weight * (k ? middle(k) - middle(k - 1) : middle(0));
		Xapian::Query weight((new Xapian::FixedWeightPostingSource(step))->release());
		Xapian::Query dated(Xapian::Query::OP_VALUE_GE, slot,
		                    Xapian::sortable_serialise(since));
		return Xapian::Query(Xapian::Query::OP_FILTER, weight, dated);
	}

	unsigned slot;
	double reference, half_life, max_weight, rel_error;
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

extern "C" ngx_code ngx_query_recency_steps(ngx_query **out, unsigned slot, double reference,
                                            double half_life, double max_weight, double max_error,
                                            ngx_error *err)
{
	try {
		if (!out)
			return ngx_fail(err, NGX_ERR_INVALID,
			                "ngx_query_recency_steps: NULL argument");
		*out = nullptr;
		// Written so that NaN fails each test; max_error bounds the
		// number of steps (max_weight / (2 max_error)).
		if (!std::isfinite(reference) || !(half_life > 0) || !std::isfinite(half_life) ||
		    !(max_weight >= 0) || !std::isfinite(max_weight) || !(max_error > 0) ||
		    !(max_error >= max_weight / 10000) || !std::isfinite(max_error))
			return ngx_fail(
			    err, NGX_ERR_INVALID,
			    "ngx_query_recency_steps: need a finite reference, half_life "
			    "> 0, max_weight >= 0 and max_error >= max_weight / 10000, "
			    "> 0 (got %g, %g, %g, %g)",
			    reference, half_life, max_weight, max_error);
		recency_steps steps(slot, reference, half_life, max_weight, max_error);
		*out = new ngx_query{steps.build()};
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}
