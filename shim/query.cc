// query.cc - building queries.

#include "ngx_internal.h"

#include <cmath>
#include <string>
#include <utility>
#include <vector>

namespace
{

// Takes ownership of a freshly built query.
ngx_code give(ngx_query **out, Xapian::Query q, ngx_error *err)
{
	*out = new ngx_query{std::move(q)};
	return ngx_ok(err);
}

// Whether q is MatchAll (scaled or not): as a filter it leaves every
// match, but Xapian would still walk a posting list of every document
// beside the query's.
bool matches_all(const Xapian::Query &q)
{
	if (q.get_type() == Xapian::Query::LEAF_MATCH_ALL)
		return true;
	return q.get_type() == Xapian::Query::OP_SCALE_WEIGHT && q.get_num_subqueries() == 1 &&
	       q.get_subquery(0).get_type() == Xapian::Query::LEAF_MATCH_ALL;
}

} // namespace

extern "C" ngx_code ngx_query_term(ngx_query **out, const char *term, size_t len, unsigned wqf,
                                   unsigned pos, ngx_error *err)
{
	try {
		if (!out || ngx_bad_bytes(term, len))
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_query_term: NULL argument");
		*out = nullptr;
		return give(out, Xapian::Query(ngx_bytes(term, len), wqf, pos), err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" ngx_code ngx_query_combine(ngx_query **out, ngx_op op, ngx_query *const *subs, size_t n,
                                      unsigned window, ngx_error *err)
{
	try {
		if (!out || (n && !subs))
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_query_combine: NULL argument");
		*out = nullptr;
		Xapian::Query::op xop;
		switch (ngx_enum_value(op)) {
		case NGX_OP_AND:
			xop = Xapian::Query::OP_AND;
			break;
		case NGX_OP_OR:
			xop = Xapian::Query::OP_OR;
			break;
		case NGX_OP_AND_NOT:
			xop = Xapian::Query::OP_AND_NOT;
			break;
		case NGX_OP_FILTER:
			xop = Xapian::Query::OP_FILTER;
			break;
		case NGX_OP_PHRASE:
			xop = Xapian::Query::OP_PHRASE;
			break;
		case NGX_OP_NEAR:
			xop = Xapian::Query::OP_NEAR;
			break;
		case NGX_OP_AND_MAYBE:
			xop = Xapian::Query::OP_AND_MAYBE;
			break;
		case NGX_OP_SYNONYM:
			xop = Xapian::Query::OP_SYNONYM;
			break;
		default:
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_query_combine: unknown op %lld",
			                static_cast<long long>(ngx_enum_value(op)));
		}
		std::vector<Xapian::Query> parts;
		parts.reserve(n);
		for (size_t i = 0; i < n; ++i) {
			if (!subs[i])
				return ngx_fail(err, NGX_ERR_INVALID,
				                "ngx_query_combine: subquery %zu is NULL", i);
			// FILTER(q, everything) is q.
			if (xop == Xapian::Query::OP_FILTER && i > 0 && matches_all(subs[i]->q))
				continue;
			parts.push_back(subs[i]->q);
		}
		return give(out, Xapian::Query(xop, parts.begin(), parts.end(), window), err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" ngx_code ngx_query_number_range(ngx_query **out, unsigned slot, double lo, double hi,
                                           ngx_error *err)
{
	try {
		if (!out)
			return ngx_fail(err, NGX_ERR_INVALID,
			                "ngx_query_number_range: NULL argument");
		*out = nullptr;
		return give(out,
		            Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot,
		                          Xapian::sortable_serialise(lo),
		                          Xapian::sortable_serialise(hi)),
		            err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" ngx_code ngx_query_value_is(ngx_query **out, unsigned slot, const char *bytes,
                                       size_t len, ngx_error *err)
{
	try {
		if (!out || !bytes || !len)
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_query_value_is: no value");
		*out = nullptr;
		const std::string value(bytes, len);
		return give(out, Xapian::Query(Xapian::Query::OP_VALUE_RANGE, slot, value, value),
		            err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" ngx_code ngx_query_number_ge(ngx_query **out, unsigned slot, double lo, ngx_error *err)
{
	try {
		if (!out)
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_query_number_ge: NULL argument");
		*out = nullptr;
		return give(
		    out,
		    Xapian::Query(Xapian::Query::OP_VALUE_GE, slot, Xapian::sortable_serialise(lo)),
		    err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" ngx_code ngx_query_number_le(ngx_query **out, unsigned slot, double hi, ngx_error *err)
{
	try {
		if (!out)
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_query_number_le: NULL argument");
		*out = nullptr;
		return give(
		    out,
		    Xapian::Query(Xapian::Query::OP_VALUE_LE, slot, Xapian::sortable_serialise(hi)),
		    err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" ngx_code ngx_query_wildcard(ngx_query **out, const char *prefix, size_t len,
                                       unsigned max, ngx_error *err)
{
	try {
		if (!out || ngx_bad_bytes(prefix, len))
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_query_wildcard: NULL argument");
		*out = nullptr;
		if (len == 0)
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_query_wildcard: empty prefix");
		// The limit is checked when the query runs: Xapian then throws
		// WildcardError.  Xapian reads a max of 0 as no limit.
		return give(out,
		            Xapian::Query(Xapian::Query::OP_WILDCARD, ngx_bytes(prefix, len), max,
		                          Xapian::Query::WILDCARD_LIMIT_ERROR),
		            err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" ngx_code ngx_query_scale(ngx_query **out, const ngx_query *q, double factor,
                                    ngx_error *err)
{
	try {
		if (!out || !q)
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_query_scale: NULL argument");
		*out = nullptr;
		if (!(factor >= 0) || !std::isfinite(factor)) // NaN fails both
			return ngx_fail(err, NGX_ERR_INVALID,
			                "ngx_query_scale: factor %g is not a finite number >= 0",
			                factor);
		return give(out, Xapian::Query(Xapian::Query::OP_SCALE_WEIGHT, q->q, factor), err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" ngx_code ngx_query_match_all(ngx_query **out, ngx_error *err)
{
	try {
		if (!out)
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_query_match_all: NULL argument");
		*out = nullptr;
		return give(out, Xapian::Query::MatchAll, err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" ngx_code ngx_query_describe(const ngx_query *q, char **out, ngx_error *err)
{
	try {
		if (!q || !out)
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_query_describe: NULL argument");
		*out = nullptr;
		*out = ngx_dup(q->q.get_description());
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" void ngx_query_free(ngx_query *q)
{
	delete q;
}
