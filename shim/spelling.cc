// spelling.cc - the spelling dictionary: filling it and asking it.

#include "ngx_internal.h"

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
