// document.cc - building documents for indexing.

#include "ngx_internal.h"

extern "C" ngx_code ngx_doc_new(ngx_doc **out, ngx_error *err)
{
	try {
		if (!out)
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_doc_new: NULL argument");
		*out = nullptr;
		*out = new ngx_doc;
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" void ngx_doc_free(ngx_doc *doc)
{
	delete doc;
}

extern "C" ngx_code ngx_doc_clear(ngx_doc *doc, ngx_error *err)
{
	try {
		if (!doc)
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_doc_clear: NULL document");
		doc->doc = Xapian::Document();
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" ngx_code ngx_doc_add_postings(ngx_doc *doc, const char *pool, const ngx_posting *p,
                                         size_t n, ngx_error *err)
{
	try {
		if (!doc || (n && (!pool || !p)))
			return ngx_fail(err, NGX_ERR_INVALID,
			                "ngx_doc_add_postings: NULL argument");
		std::string term;
		for (size_t i = 0; i < n; ++i) {
			term.assign(pool + p[i].offset, p[i].len);
			if (p[i].pos)
				doc->doc.add_posting(term, p[i].pos, p[i].wdf);
			else
				doc->doc.add_term(term, p[i].wdf);
		}
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" ngx_code ngx_doc_add_boolean_term(ngx_doc *doc, const char *term, size_t len,
                                             ngx_error *err)
{
	try {
		if (!doc || ngx_bad_bytes(term, len))
			return ngx_fail(err, NGX_ERR_INVALID,
			                "ngx_doc_add_boolean_term: NULL argument");
		doc->doc.add_boolean_term(ngx_bytes(term, len));
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" ngx_code ngx_doc_set_value(ngx_doc *doc, unsigned slot, const char *bytes, size_t len,
                                      ngx_error *err)
{
	try {
		if (!doc || ngx_bad_bytes(bytes, len))
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_doc_set_value: NULL argument");
		doc->doc.add_value(slot, ngx_bytes(bytes, len));
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" ngx_code ngx_doc_set_value_number(ngx_doc *doc, unsigned slot, double value,
                                             ngx_error *err)
{
	try {
		if (!doc)
			return ngx_fail(err, NGX_ERR_INVALID,
			                "ngx_doc_set_value_number: NULL document");
		doc->doc.add_value(slot, Xapian::sortable_serialise(value));
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" ngx_code ngx_doc_set_data(ngx_doc *doc, const char *bytes, size_t len, ngx_error *err)
{
	try {
		if (!doc || ngx_bad_bytes(bytes, len))
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_doc_set_data: NULL argument");
		doc->doc.set_data(ngx_bytes(bytes, len));
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}
