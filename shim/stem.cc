// stem.cc - stemming words the way the index does.

#include "ngx_internal.h"

#include <cstring>

extern "C" ngx_code ngx_stemmer_new(ngx_stemmer **out, const char *language, ngx_error *err)
{
	try {
		if (!out || !language)
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_stemmer_new: NULL argument");
		*out = nullptr;
		*out = new ngx_stemmer{Xapian::Stem(language), std::string()};
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" void ngx_stemmer_free(ngx_stemmer *s)
{
	delete s;
}

extern "C" ngx_code ngx_stem(ngx_stemmer *s, const char *word, size_t len, char *out, size_t cap,
                             size_t *outlen, ngx_error *err)
{
	try {
		if (!s || !outlen || ngx_bad_bytes(word, len) || (!out && cap))
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_stem: NULL argument");
		s->word.assign(word ? word : "", len);
		const std::string stem = s->stem(s->word);
		*outlen = stem.size();
		if (stem.size() >= cap) // the NUL needs a byte too
			return ngx_fail(err, NGX_ERR_INVALID,
			                "ngx_stem: stem of %zu bytes does not fit in %zu",
			                stem.size(), cap);
		std::memcpy(out, stem.data(), stem.size());
		out[stem.size()] = '\0';
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}
