// words.cc - an OR of many words as one posting source.
//
// Xapian's OR of n subqueries is a tree of n - 1 binary ORs, and every time
// one of its posting lists ends (or, ranking, can no longer reach the
// lowest weight kept) the matcher recomputes the maximum weight of the
// whole tree: n times n.  An OR of 10,000 words took most of a minute.
// Here the words are scored a term at a time instead, into one array
// indexed by document, and the matcher sees a single leaf that lists the
// documents in order with their sums: the work grows with the postings
// read.  The score is Xapian's BM25Weight with its defaults, word by word:
// a word's finding terms count as one (a synonym: their wdfs added, the
// documents that have any of them its frequency), and its boost term adds
// its own BM25 weight to the documents the word already found.  With
// several databases (a stub file), Xapian gives each a clone of the source,
// which scores that database's documents with that database's statistics.

#include "ngx_internal.h"

#include <algorithm>
#include <cmath>
#include <memory>

namespace
{

struct word_spec {
	std::vector<std::string> find;
	std::string boost; // empty: none
};

// BM25Weight() as Xapian 1.4 computes it: k1 1, k2 0, k3 1, b 0.5,
// min_normlen 0.5, each word's wqf 1.
struct bm25 {
	double len_factor = 0; // 1 / average document length
	double collection = 0;

	double termweight(double tf) const
	{
		double tw = (collection - tf + 0.5) / (tf + 0.5);
		if (tw < 2)
			tw = tw * 0.5 + 1;
		return std::log(tw) * 2; // * (k1 + 1)
	}

	double part(double termweight, double wdf, double len) const
	{
		double normlen = std::max(len * len_factor, 0.5);
		return termweight * (wdf / ((normlen * 0.5 + 0.5) + wdf));
	}
};

class words_source : public Xapian::PostingSource
{
	std::shared_ptr<const std::vector<word_spec>> words;
	std::vector<Xapian::docid> dids; // ascending
	std::vector<double> weights;
	size_t pos = 0;
	bool started = false;

      public:
	explicit words_source(std::shared_ptr<const std::vector<word_spec>> w) : words(std::move(w))
	{
	}

	words_source *clone() const override
	{
		return new words_source(words);
	}

	std::string name() const override
	{
		return "newsgrep::words";
	}

	void init(const Xapian::Database &db) override
	{
		dids.clear();
		weights.clear();
		pos = 0;
		started = false;
		bm25 w;
		w.collection = db.get_doccount();
		double avlen = db.get_avlength();
		w.len_factor = avlen > 0 ? 1 / avlen : 0;
		size_t size = size_t(db.get_lastdocid()) + 1;
		std::vector<double> score(size, 0);
		// A document's length is read once: a posting iterator reads it
		// from the length list, and that cost as much as all the rest.
		const uint32_t unknown = UINT32_MAX;
		std::vector<uint32_t> wdf(size, 0), len(size, unknown), word_of(size, 0);
		std::vector<bool> matched(size, false);
		std::vector<Xapian::docid> found; // the current word's documents
		uint32_t word = 0;
		for (const word_spec &spec : *words) {
			++word; // word_of[d] == word: d has the current word
			found.clear();
			for (const std::string &t : spec.find)
				for (auto it = db.postlist_begin(t); it != db.postlist_end(t);
				     ++it) {
					Xapian::docid d = *it;
					if (word_of[d] != word) {
						word_of[d] = word;
						wdf[d] = 0;
						if (len[d] == unknown)
							len[d] = it.get_doclength();
						found.push_back(d);
					}
					wdf[d] += it.get_wdf();
				}
			if (found.empty())
				continue;
			double tw = w.termweight(double(found.size()));
			for (Xapian::docid d : found) {
				score[d] += w.part(tw, wdf[d], len[d]);
				if (!matched[d]) {
					matched[d] = true;
					dids.push_back(d);
				}
			}
			if (spec.boost.empty())
				continue;
			tw = w.termweight(db.get_termfreq(spec.boost));
			for (auto it = db.postlist_begin(spec.boost);
			     it != db.postlist_end(spec.boost); ++it)
				if (word_of[*it] == word) // only where the word matched
					score[*it] += w.part(tw, it.get_wdf(), len[*it]);
		}
		std::sort(dids.begin(), dids.end());
		weights.reserve(dids.size());
		double max = 0;
		for (Xapian::docid d : dids) {
			weights.push_back(score[d]);
			max = std::max(max, score[d]);
		}
		set_maxweight(max);
	}

	Xapian::doccount get_termfreq_min() const override
	{
		return Xapian::doccount(dids.size());
	}
	Xapian::doccount get_termfreq_est() const override
	{
		return Xapian::doccount(dids.size());
	}
	Xapian::doccount get_termfreq_max() const override
	{
		return Xapian::doccount(dids.size());
	}

	void next(double) override
	{
		if (started)
			++pos;
		started = true;
	}

	void skip_to(Xapian::docid did, double) override
	{
		size_t from = started ? pos : 0;
		started = true;
		pos = size_t(
		    std::lower_bound(dids.begin() + std::min(from, dids.size()), dids.end(), did) -
		    dids.begin());
	}

	bool at_end() const override
	{
		return started && pos >= dids.size();
	}

	Xapian::docid get_docid() const override
	{
		return dids[pos];
	}

	double get_weight() const override
	{
		return weights[pos];
	}

	std::string get_description() const override
	{
		return "newsgrep::words(" + std::to_string(words->size()) + " words)";
	}
};

} // namespace

extern "C" ngx_code ngx_query_words(ngx_query **out, const char *pool, const ngx_word_term *t,
                                    size_t n, ngx_error *err)
{
	try {
		if (!out || (n && (!pool || !t)))
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_query_words: NULL argument");
		*out = nullptr;
		auto words = std::make_shared<std::vector<word_spec>>();
		for (size_t i = 0; i < n; ++i) {
			if (i == 0 || t[i].word != t[i - 1].word)
				words->emplace_back();
			std::string term = ngx_bytes(pool + t[i].offset, t[i].len);
			if (t[i].boost)
				words->back().boost = std::move(term);
			else
				words->back().find.push_back(std::move(term));
		}
		Xapian::Query q((new words_source(std::move(words)))->release());
		*out = new ngx_query{std::move(q)};
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}
