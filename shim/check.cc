// check.cc - what newsgrep-index --check asks of Xapian: its own check of a
// database's tables, and the comparisons of what one table says with what
// another says, which is all that can catch a changed byte in a table
// (glass keeps no checksums).

#include "ngx_internal.h"

#include <xxhash.h>

#include <cstdarg>
#include <cstdio>
#include <sstream>
#include <unistd.h>
#include <unordered_map>

namespace
{

// A report of a problem as a printf-style message.
int report(ngx_problem_fn fn, void *ctx, uint32_t docid, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

int report(ngx_problem_fn fn, void *ctx, uint32_t docid, const char *fmt, ...)
{
	char msg[600];
	va_list ap;
	va_start(ap, fmt);
	std::vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return fn(ctx, docid, msg);
}

// A term quoted for a message: printable ASCII as it is, other bytes as
// \xNN (a damaged term may hold anything), at most 80 bytes of it.
std::string quoted(const std::string &s)
{
	std::string out = "'";
	char hex[8];
	for (size_t i = 0; i < s.size() && i < 80; ++i) {
		unsigned char c = static_cast<unsigned char>(s[i]);
		if (c >= 0x20 && c < 0x7f && c != '\\' && c != '\'') {
			out += static_cast<char>(c);
		} else {
			std::snprintf(hex, sizeof hex, "\\x%02x", c);
			out += hex;
		}
	}
	if (s.size() > 80)
		out += "...";
	return out + "'";
}

// Xapian's check of `path` (a database or one table) into `text`; false
// when damage stopped it (said in `text`, and counted).
bool check_one(const std::string &path, std::ostringstream &text, uint64_t *errors)
{
	try {
		*errors += Xapian::Database::check(path, 0, &text);
		return true;
	} catch (const Xapian::Error &e) {
		// Corrupt, opening, "modified" (a block's revision number
		// beyond the database's own), I/O errors: whatever a damaged
		// table makes Xapian say.
		text << e.get_description() << '\n';
	}
	++*errors;
	return false;
}

uint64_t posting_hash(const std::string &term, Xapian::termcount wdf)
{
	return XXH3_64bits_withSeed(term.data(), term.size(), wdf);
}

} // namespace

extern "C" ngx_code ngx_check_tables(const char *path, char **out, uint64_t *errors, ngx_error *err)
{
	try {
		if (!path || !out || !errors)
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_check_tables: NULL argument");
		*out = nullptr;
		*errors = 0;
		std::ostringstream whole;
		// No DBCHECK_FIX: a check never writes.  Without options only
		// problems and each table's verdict are printed.
		if (check_one(path, whole, errors)) {
			*out = ngx_dup(whole.str());
			return ngx_ok(err);
		}
		// Damage bad enough to stop the check: the tables are checked
		// one by one, to say which are damaged (without the checks
		// across tables, which the whole check reports when it is they
		// that stopped it).
		std::ostringstream text;
		uint64_t found = 0;
		static const char *const tables[] = {"docdata",  "termlist", "postlist",
		                                     "position", "spelling", "synonym"};
		for (const char *t : tables) {
			std::string file = std::string(path) + "/" + t + ".glass";
			if (access(file.c_str(), F_OK) == 0)
				check_one(file, text, &found);
		}
		if (found)
			*errors = found;
		else
			text.str(whole.str());
		*out = ngx_dup(text.str());
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" ngx_code ngx_db_each_document(ngx_db *db, ngx_docview_fn fn, void *ctx, ngx_error *err)
{
	try {
		if (!db || !fn)
			return ngx_fail(err, NGX_ERR_INVALID,
			                "ngx_db_each_document: NULL argument");
		Xapian::Database &d = db->db();
		std::string data, file, type;
		for (Xapian::PostingIterator p = d.postlist_begin(""); p != d.postlist_end("");
		     ++p) {
			const Xapian::docid id = *p;
			ngx_docview v{};
			v.docid = id;
			try {
				Xapian::Document doc = d.get_document(id);
				data = doc.get_data();
				file = doc.get_value(NGX_CHECK_FILE_SLOT);
				type = doc.get_value(NGX_CHECK_TYPE_SLOT);
				v.data = data.data();
				v.data_len = data.size();
				v.file = file.data();
				v.file_len = file.size();
				v.type = type.data();
				v.type_len = type.size();
			} catch (const Xapian::DatabaseCorruptError &e) {
				// One document that cannot be read is reported
				// with its id; the others are still checked.
				v.unreadable = 1;
				std::snprintf(v.why, sizeof v.why, "%s",
				              e.get_description().c_str());
			}
			if (fn(ctx, &v) != 0)
				return ngx_fail(err, NGX_ERR_NOMEM, "out of memory");
		}
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" ngx_code ngx_db_doc_compare(ngx_db *db, uint32_t docid, const ngx_doc *want, char *diff,
                                       size_t cap, int *same, ngx_error *err)
{
	try {
		if (!db || !want || !diff || !cap || !same)
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_db_doc_compare: NULL argument");
		*same = 0;
		diff[0] = '\0';
		Xapian::Database &d = db->db();
		Xapian::Document have = d.get_document(docid);
		const Xapian::Document &w = want->doc;
		auto differ = [&](const std::string &what) {
			std::snprintf(diff, cap, "%s", what.c_str());
			return ngx_ok(err);
		};
		if (have.get_data() != w.get_data())
			return differ("its stored record is not what its article makes");
		for (unsigned slot = 0; slot < NGX_CHECK_SLOTS; ++slot)
			if (have.get_value(slot) != w.get_value(slot))
				return differ("its value " + std::to_string(slot) +
				              " is not what its article makes");
		Xapian::TermIterator a = have.termlist_begin(), ae = have.termlist_end();
		Xapian::TermIterator b = w.termlist_begin(), be = w.termlist_end();
		for (; a != ae || b != be;) {
			if (b == be || (a != ae && *a < *b))
				return differ("it has the term " + quoted(*a) +
				              ", which its article does not make");
			if (a == ae || *b < *a)
				return differ("it lacks the term " + quoted(*b) +
				              " of its article");
			if (a.get_wdf() != b.get_wdf())
				return differ("its term " + quoted(*a) + " counts " +
				              std::to_string(a.get_wdf()) + ", its article " +
				              std::to_string(b.get_wdf()));
			if (b.positionlist_count() || a.positionlist_count()) {
				Xapian::PositionIterator pa = a.positionlist_begin(),
				                         pae = a.positionlist_end();
				Xapian::PositionIterator pb = b.positionlist_begin(),
				                         pbe = b.positionlist_end();
				for (; pa != pae && pb != pbe && *pa == *pb; ++pa, ++pb) {
				}
				if (pa != pae || pb != pbe)
					return differ("the positions of its term " + quoted(*a) +
					              " are not those of its article");
			}
			++a;
			++b;
		}
		*same = 1;
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" ngx_code ngx_db_cross_check(ngx_db *db, ngx_problem_fn fn, void *ctx, ngx_error *err)
{
	try {
		if (!db || !fn)
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_db_cross_check: NULL argument");
		Xapian::Database &d = db->db();
		// Per document: a sum of hashes of its (term, wdf) pairs and the
		// sum of its wdfs, once from the postings lists, once from its
		// term list.  Every posting is in both, so the sums agree.
		struct sums {
			uint64_t from_postings = 0, from_terms = 0;
			uint64_t len_postings = 0;
			bool listed = false; // in the list of all documents
		};
		std::unordered_map<Xapian::docid, sums> docs;
		docs.reserve(d.get_doccount());
		uint64_t ndocs = 0;
		for (Xapian::PostingIterator p = d.postlist_begin(""); p != d.postlist_end("");
		     ++p) {
			docs[*p].listed = true;
			++ndocs;
		}
		if (ndocs != d.get_doccount() &&
		    report(fn, ctx, 0, "it counts %llu articles but lists %llu",
		           (unsigned long long)d.get_doccount(), (unsigned long long)ndocs))
			return ngx_fail(err, NGX_ERR_NOMEM, "out of memory");
		for (Xapian::TermIterator t = d.allterms_begin(); t != d.allterms_end(); ++t) {
			const std::string term = *t;
			uint64_t n = 0, coll = 0;
			for (Xapian::PostingIterator p = d.postlist_begin(term);
			     p != d.postlist_end(term); ++p) {
				sums &s = docs[*p];
				s.from_postings += posting_hash(term, p.get_wdf());
				s.len_postings += p.get_wdf();
				coll += p.get_wdf();
				++n;
			}
			if ((n != t.get_termfreq() || coll != d.get_collection_freq(term)) &&
			    report(fn, ctx, 0,
			           "the term %s is counted in %llu articles (%llu times) but "
			           "listed in %llu (%llu times)",
			           quoted(term).c_str(), (unsigned long long)t.get_termfreq(),
			           (unsigned long long)d.get_collection_freq(term),
			           (unsigned long long)n, (unsigned long long)coll))
				return ngx_fail(err, NGX_ERR_NOMEM, "out of memory");
		}
		for (auto &entry : docs) {
			const Xapian::docid id = entry.first;
			sums &s = entry.second;
			if (!s.listed) {
				if (report(
				        fn, ctx, id,
				        "postings name article %u, which the index does not list",
				        id))
					return ngx_fail(err, NGX_ERR_NOMEM, "out of memory");
				continue;
			}
			uint64_t len = 0;
			for (Xapian::TermIterator t = d.termlist_begin(id); t != d.termlist_end(id);
			     ++t) {
				s.from_terms += posting_hash(*t, t.get_wdf());
				len += t.get_wdf();
			}
			if (s.from_terms != s.from_postings &&
			    report(fn, ctx, id,
			           "its terms are not those the postings lists give it"))
				return ngx_fail(err, NGX_ERR_NOMEM, "out of memory");
			else if (s.from_terms == s.from_postings &&
			         (len != s.len_postings || len != d.get_doclength(id)) &&
			         report(fn, ctx, id,
			                "its length is recorded as %llu, its terms count %llu",
			                (unsigned long long)d.get_doclength(id),
			                (unsigned long long)len))
				return ngx_fail(err, NGX_ERR_NOMEM, "out of memory");
		}
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

struct ngx_tally {
	struct count {
		uint64_t n = 0;
		bool in_dictionary = false;
	};
	std::unordered_map<std::string, count> words;
};

extern "C" ngx_code ngx_tally_new(ngx_tally **out, ngx_error *err)
{
	try {
		if (!out)
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_tally_new: NULL argument");
		*out = nullptr;
		*out = new ngx_tally;
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" void ngx_tally_free(ngx_tally *t)
{
	delete t;
}

extern "C" ngx_code ngx_tally_add(ngx_tally *t, const char *pool, const ngx_posting *p, size_t n,
                                  ngx_error *err)
{
	try {
		if (!t || (n && (!pool || !p)))
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_tally_add: NULL argument");
		std::string word;
		for (size_t i = 0; i < n; ++i) {
			word.assign(pool + p[i].offset, p[i].len);
			t->words[word].n += p[i].wdf;
		}
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" ngx_code ngx_db_spelling_compare(ngx_db *db, ngx_tally *t, ngx_problem_fn fn, void *ctx,
                                            ngx_error *err)
{
	try {
		if (!db || !t || !fn)
			return ngx_fail(err, NGX_ERR_INVALID,
			                "ngx_db_spelling_compare: NULL argument");
		Xapian::Database &d = db->db();
		size_t seen = 0;
		for (Xapian::TermIterator s = d.spellings_begin(); s != d.spellings_end(); ++s) {
			const std::string word = *s;
			auto it = t->words.find(word);
			int stop = 0;
			if (it == t->words.end())
				stop = report(fn, ctx, 0,
				              "the spelling dictionary has the word %s, which no "
				              "article has",
				              quoted(word).c_str());
			else if (it->second.n != s.get_termfreq())
				stop = report(fn, ctx, 0,
				              "the spelling dictionary counts the word %s %llu "
				              "times, the articles %llu",
				              quoted(word).c_str(),
				              (unsigned long long)s.get_termfreq(),
				              (unsigned long long)it->second.n);
			if (it != t->words.end()) {
				it->second.in_dictionary = true;
				++seen;
			}
			if (stop)
				return ngx_fail(err, NGX_ERR_NOMEM, "out of memory");
		}
		if (seen != t->words.size()) {
			for (const auto &w : t->words) {
				if (!w.second.in_dictionary &&
				    report(fn, ctx, 0,
				           "the spelling dictionary lacks the word %s of the "
				           "articles",
				           quoted(w.first).c_str()))
					return ngx_fail(err, NGX_ERR_NOMEM, "out of memory");
			}
		}
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}
