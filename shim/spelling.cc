// spelling.cc - the spelling dictionary: filling it and asking it.

#include "ngx_internal.h"

#include <algorithm>
#include <cstdlib>
#include <set>

// Raises (add) or lowers each word's frequency by its posting's wdf.
static ngx_code change_spellings(ngx_db *db, const char *pool, const ngx_posting *p, size_t n,
                                 bool add, const char *fn, ngx_error *err)
{
	try {
		if (!db || (n && (!pool || !p)))
			return ngx_fail(err, NGX_ERR_INVALID, "%s: NULL argument", fn);
		if (!db->writable)
			return ngx_fail(err, NGX_ERR_INVALID, "%s: database is open read-only", fn);
		std::string word;
		for (size_t i = 0; i < n; ++i) {
			// A change by 0 changes nothing; and glass would index the
			// trigrams of a new word it then drops for its 0 frequency.
			if (!p[i].wdf)
				continue;
			word.assign(pool + p[i].offset, p[i].len);
			if (add)
				db->writer.add_spelling(word, p[i].wdf);
			else
				db->writer.remove_spelling(word, p[i].wdf);
		}
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" ngx_code ngx_db_add_spellings(ngx_db *db, const char *pool, const ngx_posting *p,
                                         size_t n, ngx_error *err)
{
	return change_spellings(db, pool, p, n, true, "ngx_db_add_spellings", err);
}

extern "C" ngx_code ngx_db_remove_spellings(ngx_db *db, const char *pool, const ngx_posting *p,
                                            size_t n, ngx_error *err)
{
	return change_spellings(db, pool, p, n, false, "ngx_db_remove_spellings", err);
}

extern "C" ngx_code ngx_db_spelling_suggestion(ngx_db *db, const char *word, size_t len,
                                               unsigned max_edits, char **out, ngx_error *err)
{
	try {
		if (!db || !out || ngx_bad_bytes(word, len))
			return ngx_fail(err, NGX_ERR_INVALID,
			                "ngx_db_spelling_suggestion: NULL argument");
		*out = nullptr;
		const std::string w = ngx_bytes(word, len);
		// The dictionary holds title and excerpt words only: a word that
		// only related items have is no misspelling.
		Xapian::Database &d = db->db();
		*out = ngx_dup(d.term_exists(w) ? std::string()
		                                : d.get_spelling_suggestion(w, max_edits));
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

namespace
{

using codes = std::vector<unsigned>;

codes decode(const std::string &s)
{
	codes v;
	for (Xapian::Utf8Iterator it(s); it != Xapian::Utf8Iterator(); ++it)
		v.push_back(*it);
	return v;
}

std::string encode(const codes &v)
{
	std::string s;
	for (unsigned c : v)
		Xapian::Unicode::append_utf8(s, c);
	return s;
}

// Edits between a and b, a transposition of neighbours counting one (the
// "optimal string alignment" distance, as Xapian counts them).
unsigned edit_distance(const codes &a, const codes &b)
{
	size_t n = a.size(), m = b.size();
	std::vector<std::vector<unsigned>> d(n + 1, std::vector<unsigned>(m + 1));
	for (size_t i = 0; i <= n; ++i)
		d[i][0] = unsigned(i);
	for (size_t j = 0; j <= m; ++j)
		d[0][j] = unsigned(j);
	for (size_t i = 1; i <= n; ++i)
		for (size_t j = 1; j <= m; ++j) {
			unsigned cost = a[i - 1] != b[j - 1];
			d[i][j] =
			    std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
				d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
		}
	return d[n][m];
}

// Every word one edit from w: a letter deleted, two neighbours swapped, a
// letter replaced or inserted, the letters being a-z, 0-9 and w's own.
std::set<std::string> one_edit(const codes &w)
{
	std::set<unsigned> alphabet(w.begin(), w.end());
	for (unsigned c = 'a'; c <= 'z'; ++c)
		alphabet.insert(c);
	for (unsigned c = '0'; c <= '9'; ++c)
		alphabet.insert(c);
	std::set<std::string> out;
	for (size_t i = 0; i < w.size(); ++i) {
		codes v = w;
		v.erase(v.begin() + long(i));
		out.insert(encode(v));
		if (i + 1 < w.size()) {
			v = w;
			std::swap(v[i], v[i + 1]);
			out.insert(encode(v));
		}
		for (unsigned c : alphabet) {
			v = w;
			v[i] = c;
			out.insert(encode(v));
		}
	}
	for (size_t i = 0; i <= w.size(); ++i)
		for (unsigned c : alphabet) {
			codes v = w;
			v.insert(v.begin() + long(i), c);
			out.insert(encode(v));
		}
	out.erase(encode(w));
	return out;
}

} // namespace

extern "C" ngx_code ngx_db_spelling_candidates(ngx_db *db, const char *word, size_t len,
                                               unsigned max_edits, size_t max, ngx_spelling **out,
                                               size_t *n, ngx_error *err)
{
	try {
		if (!db || !out || !n || ngx_bad_bytes(word, len))
			return ngx_fail(err, NGX_ERR_INVALID,
			                "ngx_db_spelling_candidates: NULL argument");
		*out = nullptr;
		*n = 0;
		const std::string w = ngx_bytes(word, len);
		Xapian::Database &d = db->db();
		if (d.term_exists(w) || max == 0)
			return ngx_ok(err);
		const codes wc = decode(w);
		std::set<std::string> tries = one_edit(wc);
		std::string best = d.get_spelling_suggestion(w, max_edits);
		if (!best.empty())
			tries.insert(best);
		// One pass over the dictionary, in order, for all of them.
		struct found_word {
			std::string word;
			unsigned edits;
			uint64_t freq;
		};
		std::vector<found_word> found;
		Xapian::TermIterator it = d.spellings_begin(), end = d.spellings_end();
		for (const std::string &t : tries) {
			it.skip_to(t);
			if (it == end)
				break;
			if (*it == t)
				found.push_back(
				    {t, edit_distance(wc, decode(t)), it.get_termfreq()});
		}
		std::stable_sort(
		    found.begin(), found.end(), [](const found_word &a, const found_word &b) {
			    return a.edits != b.edits ? a.edits < b.edits : a.freq > b.freq;
		    });
		if (found.size() > max)
			found.resize(max);
		if (found.empty())
			return ngx_ok(err);
		auto *v = static_cast<ngx_spelling *>(calloc(found.size(), sizeof(ngx_spelling)));
		if (!v)
			throw std::bad_alloc();
		try {
			for (size_t i = 0; i < found.size(); ++i)
				v[i] = {ngx_dup(found[i].word), found[i].edits, found[i].freq};
		} catch (...) {
			ngx_spellings_free(v, found.size());
			throw;
		}
		*out = v;
		*n = found.size();
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" void ngx_spellings_free(ngx_spelling *v, size_t n)
{
	for (size_t i = 0; v && i < n; ++i)
		free(v[i].word);
	free(v);
}
