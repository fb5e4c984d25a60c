// facet.cc - counting the values of the matches, by string, list item,
// year or month.

#include "ngx_internal.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <limits>
#include <memory>
#include <string_view>

namespace
{

// Formats a date number (seconds since the Unix epoch) as "YYYY" or
// "YYYY-MM" in UTC; false when it is not a date gmtime_r can place.
bool date_key(const std::string &value, bool month, char *buf, size_t cap, size_t *len)
{
	const double s = std::floor(Xapian::sortable_unserialise(value));
	// The comparisons are false for NaN too.
	if (!(s >= static_cast<double>(std::numeric_limits<time_t>::min()) &&
	      s < static_cast<double>(std::numeric_limits<time_t>::max())))
		return false;
	const time_t t = static_cast<time_t>(s);
	struct tm tm;
	if (!gmtime_r(&t, &tm))
		return false;
	const long long year = tm.tm_year + 1900LL;
	const int n = month ? std::snprintf(buf, cap, "%04lld-%02d", year, tm.tm_mon + 1)
	                    : std::snprintf(buf, cap, "%04lld", year);
	if (n < 0 || static_cast<size_t>(n) >= cap)
		return false;
	*len = static_cast<size_t>(n);
	return true;
}

void bump(std::map<std::string, uint64_t, std::less<>> &counts, std::string_view key, uint64_t n)
{
	auto it = counts.find(key);
	if (it != counts.end())
		it->second += n;
	else
		counts.emplace(std::string(key), n);
}

} // namespace

ngx_facet_spy::ngx_facet_spy(ngx_facet *const *f, size_t n) : facets(f, f + n), tallies(n)
{
}

void ngx_facet_spy::operator()(const Xapian::Document &doc, double)
{
	for (size_t i = 0; i < facets.size(); ++i)
		tally(i, doc.get_value(facets[i]->slot), 1);
}

void ngx_facet_spy::tally(size_t i, const std::string &value, uint64_t n)
{
	if (value.empty())
		return;
	counts &c = tallies[i];
	switch (facets[i]->kind) {
	case NGX_FACET_STRING:
		bump(c, value, n);
		break;
	case NGX_FACET_LIST: {
		// Each item once per document, however often it repeats.
		pieces.clear();
		size_t start = 0;
		for (;;) {
			const size_t end = value.find(NGX_FACET_SEPARATOR, start);
			const size_t stop = end == std::string::npos ? value.size() : end;
			if (stop > start)
				pieces.emplace_back(value, start, stop - start);
			if (end == std::string::npos)
				break;
			start = end + 1;
		}
		std::sort(pieces.begin(), pieces.end());
		pieces.erase(std::unique(pieces.begin(), pieces.end()), pieces.end());
		for (const std::string &p : pieces)
			bump(c, p, n);
		break;
	}
	case NGX_FACET_YEAR:
	case NGX_FACET_MONTH: {
		char buf[64];
		size_t len;
		if (date_key(value, facets[i]->kind == NGX_FACET_MONTH, buf, sizeof buf, &len))
			bump(c, std::string_view(buf, len), n);
		break;
	}
	}
}

void ngx_facet_spy::add_builtin(Xapian::Enquire &enquire)
{
	if (builtin.empty())
		for (const ngx_facet *f : facets)
			builtin.push_back(std::make_unique<Xapian::ValueCountMatchSpy>(f->slot));
	for (auto &spy : builtin)
		enquire.add_matchspy(spy.get());
}

void ngx_facet_spy::finish()
{
	// What the built-in spies saw, each distinct value once with its
	// count, is tallied as this spy would have tallied each document.
	for (size_t i = 0; i < builtin.size(); ++i)
		for (auto v = builtin[i]->values_begin(); v != builtin[i]->values_end(); ++v)
			tally(i, *v, v.get_termfreq());
	using item = std::pair<std::string, uint64_t>;
	// Build everything first, so that a bad_alloc leaves the facets as
	// they were (cleared by ngx_search) rather than half filled.
	std::vector<std::vector<item>> sorted(facets.size());
	for (size_t i = 0; i < facets.size(); ++i) {
		sorted[i].reserve(tallies[i].size());
		for (auto &kv : tallies[i])
			sorted[i].emplace_back(kv.first, kv.second);
		std::sort(sorted[i].begin(), sorted[i].end(), [](const item &a, const item &b) {
			if (a.second != b.second)
				return a.second > b.second;
			return a.first < b.first; // char_traits: unsigned byte order
		});
	}
	for (size_t i = 0; i < facets.size(); ++i)
		facets[i]->items.swap(sorted[i]);
}

extern "C" ngx_code ngx_facet_new(ngx_facet **out, ngx_facet_kind kind, unsigned slot,
                                  ngx_error *err)
{
	try {
		if (!out)
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_facet_new: NULL argument");
		*out = nullptr;
		switch (ngx_enum_value(kind)) {
		case NGX_FACET_STRING:
		case NGX_FACET_LIST:
		case NGX_FACET_YEAR:
		case NGX_FACET_MONTH:
			break;
		default:
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_facet_new: unknown kind %lld",
			                static_cast<long long>(ngx_enum_value(kind)));
		}
		*out = new ngx_facet{kind, slot, {}};
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" void ngx_facet_free(ngx_facet *f)
{
	delete f;
}

extern "C" size_t ngx_facet_size(const ngx_facet *f)
{
	return f ? f->items.size() : 0;
}

extern "C" ngx_code ngx_facet_item(const ngx_facet *f, size_t i, const char **value, size_t *len,
                                   uint64_t *count, ngx_error *err)
{
	try {
		if (!f || !value || !len || !count)
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_facet_item: NULL argument");
		if (i >= f->items.size())
			return ngx_fail(err, NGX_ERR_INVALID,
			                "ngx_facet_item: item %zu out of range (%zu items)", i,
			                f->items.size());
		*value = f->items[i].first.c_str();
		*len = f->items[i].first.size();
		*count = f->items[i].second;
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}
