// db.cc - opening, closing and writing databases.

#include "ngx_internal.h"

#include <exception>
#include <memory>
#include <unordered_set>

namespace
{

ngx_code not_writable(ngx_error *err)
{
	return ngx_fail(err, NGX_ERR_INVALID, "database is open read-only");
}

} // namespace

extern "C" const char *ngx_version(void)
{
	try {
		return Xapian::version_string();
	} catch (...) {
		return "";
	}
}

extern "C" ngx_code ngx_db_open_read(ngx_db **out, const char *path, ngx_error *err)
{
	try {
		if (!out || !path)
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_db_open_read: NULL argument");
		*out = nullptr;
		auto db = std::make_unique<ngx_db>();
		db->path = path;
		db->reader = Xapian::Database(path, Xapian::DB_BACKEND_GLASS);
		*out = db.release();
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

namespace
{

Xapian::Database connect(const ngx_db &db)
{
	return Xapian::Remote::open(db.host, db.port, db.timeout_ms, db.connect_ms);
}

} // namespace

extern "C" ngx_code ngx_db_open_remote(ngx_db **out, const char *host, unsigned port,
                                       unsigned timeout_ms, unsigned connect_ms, ngx_error *err)
{
	try {
		if (!out || !host)
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_db_open_remote: NULL argument");
		*out = nullptr;
		auto db = std::make_unique<ngx_db>();
		db->remote = db->has_remote = true;
		db->host = host;
		db->port = port;
		db->timeout_ms = timeout_ms;
		db->connect_ms = connect_ms;
		db->path = db->host + ":" + std::to_string(port);
		db->reader = connect(*db);
		*out = db.release();
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" int ngx_db_has_remote(const ngx_db *db)
{
	return db && db->has_remote;
}

extern "C" ngx_code ngx_db_ping(ngx_db *db, ngx_error *err)
{
	try {
		if (!db)
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_db_ping: NULL database");
		db->db().keep_alive();
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" ngx_code ngx_db_open_write(ngx_db **out, const char *path, int create, ngx_error *err)
{
	try {
		if (!out || !path)
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_db_open_write: NULL argument");
		*out = nullptr;
		auto db = std::make_unique<ngx_db>();
		db->path = path;
		db->writer =
		    Xapian::WritableDatabase(path, (create ? Xapian::DB_CREATE : Xapian::DB_OPEN) |
		                                       Xapian::DB_BACKEND_GLASS);
		db->writable = true;
		*out = db.release();
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" ngx_code ngx_db_close(ngx_db *db, ngx_error *err)
{
	std::unique_ptr<ngx_db> owner(db); // freed whatever happens below
	try {
		// close() rather than just dropping our handle: an mset may still
		// share the database, and the write lock must go now.
		if (db && db->writable) {
			if (db->in_batch)
				db->writer.commit_transaction();
			db->writer.commit();
			db->writer.close();
		}
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" ngx_code ngx_db_commit(ngx_db *db, ngx_error *err)
{
	try {
		if (!db)
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_db_commit: NULL database");
		if (!db->writable)
			return not_writable(err);
		if (db->in_batch) {
			db->in_batch = false;
			db->writer.commit_transaction();
		}
		db->writer.commit();
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" ngx_code ngx_db_cancel_batch(ngx_db *db, ngx_error *err)
{
	try {
		if (!db)
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_db_cancel_batch: NULL database");
		if (!db->writable)
			return not_writable(err);
		if (db->in_batch) {
			db->in_batch = false;
			db->writer.cancel_transaction();
		}
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" ngx_code ngx_db_doccount(ngx_db *db, uint64_t *out, ngx_error *err)
{
	try {
		if (!db || !out)
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_db_doccount: NULL argument");
		*out = db->db().get_doccount();
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" ngx_code ngx_db_reopen(ngx_db *db, const char *path, ngx_error *err)
{
	try {
		if (!db)
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_db_reopen: NULL database");
		// A writer always sees its own latest state.  A reader opens the
		// path afresh rather than reopen(): a rebuild may have pointed the
		// index's stub at another database and deleted the old one.
		if (db->remote) {
			db->reader = connect(*db);
		} else if (!db->writable) {
			std::string where = path ? path : db->path;
			db->reader = Xapian::Database(where, Xapian::DB_BACKEND_GLASS);
			db->path = where;
		}
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" ngx_code ngx_db_merge(const char *const *srcs, size_t n, const char *dest,
                                 ngx_error *err)
{
	try {
		if (!srcs || !n || !dest)
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_db_merge: no databases");
		Xapian::Database all;
		for (size_t i = 0; i < n; ++i)
			all.add_database(Xapian::Database(srcs[i], Xapian::DB_BACKEND_GLASS));
		all.compact(dest);
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" ngx_code ngx_db_refresh(ngx_db *db, int *changed, ngx_error *err)
{
	try {
		if (changed)
			*changed = 0;
		if (!db)
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_db_refresh: NULL database");
		bool moved = false; // reopen() is false when nothing changed
		if (db->remote) {
			// The server's database may be gone (a rebuild deleted
			// it): a new connection opens the one its stub names now.
			try {
				moved = db->reader.reopen();
			} catch (const Xapian::DatabaseError &) {
				db->reader = connect(*db);
				moved = true;
			}
		} else if (!db->writable) {
			moved = db->reader.reopen();
		}
		if (changed)
			*changed = moved;
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" ngx_code ngx_db_join(ngx_db **out, ngx_db *const *parts, size_t n, ngx_error *err)
{
	try {
		if (!out || !parts || !n)
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_db_join: no databases");
		*out = nullptr;
		auto db = std::make_unique<ngx_db>();
		for (size_t i = 0; i < n; ++i) {
			if (!parts[i] || parts[i]->writable)
				return ngx_fail(err, NGX_ERR_INVALID, "ngx_db_join: not a reader");
			db->reader.add_database(parts[i]->reader);
			db->has_remote = db->has_remote || parts[i]->has_remote;
			db->parts.push_back(parts[i]->reader);
			db->part_remote.push_back(parts[i]->remote);
		}
		*out = db.release();
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" ngx_code ngx_db_get_metadata(ngx_db *db, const char *key, char **out, ngx_error *err)
{
	try {
		if (!db || !key || !out)
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_db_get_metadata: NULL argument");
		*out = nullptr;
		*out = ngx_dup(db->db().get_metadata(key));
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" ngx_code ngx_db_set_metadata(ngx_db *db, const char *key, const char *value,
                                        ngx_error *err)
{
	try {
		if (!db || !key || !value)
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_db_set_metadata: NULL argument");
		if (!db->writable)
			return not_writable(err);
		db->writer.set_metadata(key, value);
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" ngx_code ngx_db_set_metadata_bytes(ngx_db *db, const char *key, const char *bytes,
                                              size_t len, ngx_error *err)
{
	try {
		if (!db || !key || ngx_bad_bytes(bytes, len))
			return ngx_fail(err, NGX_ERR_INVALID,
			                "ngx_db_set_metadata_bytes: NULL argument");
		if (!db->writable)
			return not_writable(err);
		db->writer.set_metadata(key, ngx_bytes(bytes, len));
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" ngx_code ngx_db_metadata_stream(ngx_db *db, const char *prefix, ngx_metadata_fn fn,
                                           void *ctx, ngx_error *err)
{
	try {
		if (!db || !prefix || !fn)
			return ngx_fail(err, NGX_ERR_INVALID,
			                "ngx_db_metadata_stream: NULL argument");
		Xapian::Database &d = db->db();
		for (Xapian::TermIterator k = d.metadata_keys_begin(prefix);
		     k != d.metadata_keys_end(prefix); ++k) {
			const std::string key = *k;
			const std::string value = d.get_metadata(key);
			if (fn(ctx, key.data(), key.size(), value.data(), value.size()) != 0)
				return ngx_fail(err, NGX_ERR_NOMEM, "out of memory");
		}
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" ngx_code ngx_db_add_document(ngx_db *db, const ngx_doc *doc, ngx_error *err)
{
	try {
		if (!db || !doc)
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_db_add_document: NULL argument");
		if (!db->writable)
			return not_writable(err);
		db->writer.add_document(doc->doc);
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" ngx_code ngx_db_count_prefix(ngx_db *db, const char *prefix, size_t len, uint64_t max,
                                        uint64_t *count, ngx_error *err)
{
	try {
		if (!db || !count || ngx_bad_bytes(prefix, len))
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_db_count_prefix: NULL argument");
		*count = 0;
		const std::string p = ngx_bytes(prefix, len);
		Xapian::Database &d = db->db();
		uint64_t n = 0;
		// Stops on the (max + 1)-th term; with max at UINT64_MAX the
		// test never fires, and the terms run out long before n wraps.
		for (Xapian::TermIterator t = d.allterms_begin(p); t != d.allterms_end(p); ++t)
			if (++n > max)
				break;
		*count = n;
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" ngx_code ngx_db_term_freq(ngx_db *db, const char *term, size_t len, uint64_t *freq,
                                     ngx_error *err)
{
	try {
		if (!db || !freq || ngx_bad_bytes(term, len))
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_db_term_freq: NULL argument");
		*freq = 0;
		const std::string t = ngx_bytes(term, len);
		if (!db->has_remote || db->parts.size() < 2) {
			*freq = db->db().get_termfreq(t);
			return ngx_ok(err);
		}
		// A join's is the sum of its databases': the servers asked at
		// once, not in turn.
		const size_t n = db->parts.size();
		std::vector<Xapian::doccount> freqs(n);
		std::vector<std::exception_ptr> failed(n);
		std::vector<size_t> all(n);
		for (size_t k = 0; k < n; ++k)
			all[k] = k;
		ngx_at_once(all, [&](size_t k) {
			try {
				freqs[k] = db->parts[k].get_termfreq(t);
			} catch (...) {
				failed[k] = std::current_exception();
			}
		});
		for (size_t k = 0; k < n; ++k) {
			if (failed[k])
				std::rethrow_exception(failed[k]);
			*freq += freqs[k];
		}
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

// The number a value slot's bound (upper or lower) holds, if any.
static ngx_code number_bound(ngx_db *db, unsigned slot, bool upper, double *out, int *has,
                             ngx_error *err, const char *fn)
{
	try {
		if (!db || !out || !has)
			return ngx_fail(err, NGX_ERR_INVALID, "%s: NULL argument", fn);
		*out = 0;
		*has = 0;
		Xapian::Database &d = db->db();
		const std::string bound =
		    upper ? d.get_value_upper_bound(slot) : d.get_value_lower_bound(slot);
		if (!bound.empty()) {
			*out = Xapian::sortable_unserialise(bound);
			*has = 1;
		}
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" ngx_code ngx_db_number_upper_bound(ngx_db *db, unsigned slot, double *out, int *has,
                                              ngx_error *err)
{
	return number_bound(db, slot, true, out, has, err, "ngx_db_number_upper_bound");
}

extern "C" ngx_code ngx_db_number_lower_bound(ngx_db *db, unsigned slot, double *out, int *has,
                                              ngx_error *err)
{
	return number_bound(db, slot, false, out, has, err, "ngx_db_number_lower_bound");
}

extern "C" ngx_code ngx_db_discard(ngx_db *db, ngx_error *err)
{
	std::unique_ptr<ngx_db> owner(db);
	try {
		if (db && db->writable) {
			// close() commits what is pending outside a transaction: put
			// it in one first, so that cancelling drops it.
			if (!db->in_batch)
				db->writer.begin_transaction(false);
			db->writer.cancel_transaction();
			db->writer.close();
		}
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" ngx_code ngx_db_begin_batch(ngx_db *db, ngx_error *err)
{
	try {
		if (!db)
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_db_begin_batch: NULL database");
		if (!db->writable)
			return not_writable(err);
		if (!db->in_batch) {
			// Unflushed: Xapian's own autoflush stays out of it, so the
			// batch is committed whole or not at all.
			db->writer.begin_transaction(false);
			db->in_batch = true;
		}
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" ngx_code ngx_db_revision(ngx_db *db, uint64_t *out, ngx_error *err)
{
	try {
		if (!db || !out)
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_db_revision: NULL argument");
		*out = db->db().get_revision();
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" ngx_code ngx_db_add_document_id(ngx_db *db, const ngx_doc *doc, uint32_t *docid,
                                           ngx_error *err)
{
	try {
		if (!db || !doc || !docid)
			return ngx_fail(err, NGX_ERR_INVALID,
			                "ngx_db_add_document_id: NULL argument");
		if (!db->writable)
			return not_writable(err);
		*docid = db->writer.add_document(doc->doc);
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" ngx_code ngx_db_replace_document_id(ngx_db *db, uint32_t docid, const ngx_doc *doc,
                                               ngx_error *err)
{
	try {
		if (!db || !doc || !docid)
			return ngx_fail(err, NGX_ERR_INVALID,
			                "ngx_db_replace_document_id: bad argument");
		if (!db->writable)
			return not_writable(err);
		db->writer.replace_document(docid, doc->doc);
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" ngx_code ngx_db_delete_document(ngx_db *db, uint32_t docid, ngx_error *err)
{
	try {
		if (!db || !docid)
			return ngx_fail(err, NGX_ERR_INVALID,
			                "ngx_db_delete_document: bad argument");
		if (!db->writable)
			return not_writable(err);
		db->writer.delete_document(docid);
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" ngx_code ngx_db_document_number(ngx_db *db, uint32_t docid, unsigned slot, double *out,
                                           int *has, ngx_error *err)
{
	try {
		if (!db || !docid || !out || !has)
			return ngx_fail(err, NGX_ERR_INVALID,
			                "ngx_db_document_number: bad argument");
		*out = 0;
		*has = 0;
		const std::string v = db->db().get_document(docid).get_value(slot);
		if (!v.empty()) {
			*out = Xapian::sortable_unserialise(v);
			*has = 1;
		}
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" ngx_code ngx_db_term_least_number(ngx_db *db, const char *term, size_t len,
                                             unsigned slot, uint32_t except, double *out, int *has,
                                             ngx_error *err)
{
	try {
		if (!db || !out || !has || ngx_bad_bytes(term, len))
			return ngx_fail(err, NGX_ERR_INVALID,
			                "ngx_db_term_least_number: bad argument");
		*out = 0;
		*has = 0;
		Xapian::Database &d = db->db();
		const std::string t = ngx_bytes(term, len);
		for (Xapian::PostingIterator p = d.postlist_begin(t); p != d.postlist_end(t); ++p) {
			if (*p == except)
				continue;
			const std::string v = d.get_document(*p).get_value(slot);
			if (v.empty())
				continue;
			const double n = Xapian::sortable_unserialise(v);
			if (!*has || n < *out)
				*out = n;
			*has = 1;
		}
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" ngx_code ngx_db_set_document_value(ngx_db *db, uint32_t docid, unsigned slot,
                                              const char *bytes, size_t len, ngx_error *err)
{
	try {
		if (!db || !docid || ngx_bad_bytes(bytes, len))
			return ngx_fail(err, NGX_ERR_INVALID,
			                "ngx_db_set_document_value: bad argument");
		if (!db->writable)
			return not_writable(err);
		// A document read from the database and given back with only a
		// value changed keeps its postings: Xapian rewrites the value alone.
		Xapian::Document doc = db->writer.get_document(docid);
		doc.add_value(slot, ngx_bytes(bytes, len));
		db->writer.replace_document(docid, doc);
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" ngx_code ngx_db_value_stream(ngx_db *db, unsigned slot, ngx_value_fn fn, void *ctx,
                                        ngx_error *err)
{
	try {
		if (!db || !fn)
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_db_value_stream: NULL argument");
		Xapian::Database &d = db->db();
		for (Xapian::ValueIterator v = d.valuestream_begin(slot);
		     v != d.valuestream_end(slot); ++v) {
			const std::string value = *v;
			if (fn(ctx, v.get_docid(), value.data(), value.size()) != 0)
				return ngx_fail(err, NGX_ERR_NOMEM, "out of memory");
		}
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" ngx_code ngx_db_doc_terms(ngx_db *db, uint32_t docid, const char *prefix, size_t len,
                                     ngx_term_fn fn, void *ctx, ngx_error *err)
{
	try {
		if (!db || !fn || ngx_bad_bytes(prefix, len))
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_db_doc_terms: NULL argument");
		Xapian::Database &d = db->db();
		const std::string want = ngx_bytes(prefix, len);
		Xapian::TermIterator t = d.termlist_begin(docid);
		for (t.skip_to(want); t != d.termlist_end(docid); ++t) {
			const std::string term = *t;
			if (term.compare(0, want.size(), want) != 0)
				break;
			if (fn(ctx, term.data() + want.size(), term.size() - want.size(),
			       t.get_wdf()) != 0)
				return ngx_fail(err, NGX_ERR_NOMEM, "out of memory");
		}
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" ngx_code ngx_db_all_terms(ngx_db *db, const char *prefix, size_t len, ngx_termfreq_fn fn,
                                     void *ctx, ngx_error *err)
{
	try {
		if (!db || !fn || ngx_bad_bytes(prefix, len))
			return ngx_fail(err, NGX_ERR_INVALID, "ngx_db_all_terms: NULL argument");
		Xapian::Database &d = db->db();
		const std::string want = ngx_bytes(prefix, len);
		for (Xapian::TermIterator t = d.allterms_begin(want); t != d.allterms_end(want);
		     ++t) {
			const std::string term = *t;
			if (fn(ctx, term.data() + want.size(), term.size() - want.size(),
			       t.get_termfreq()) != 0)
				return ngx_fail(err, NGX_ERR_NOMEM, "out of memory");
		}
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}

extern "C" ngx_code ngx_db_count_repeats(ngx_db *db, unsigned slot, uint64_t *out, ngx_error *err)
{
	try {
		if (!db || !out)
			return ngx_fail(err, NGX_ERR_INVALID,
			                "ngx_db_count_repeats: NULL argument");
		*out = 0;
		Xapian::Database &d = db->db();
		std::unordered_set<std::string> seen;
		seen.reserve(d.get_value_freq(slot));
		uint64_t repeats = 0;
		for (Xapian::ValueIterator v = d.valuestream_begin(slot);
		     v != d.valuestream_end(slot); ++v)
			if (!seen.insert(*v).second)
				++repeats;
		*out = repeats;
		return ngx_ok(err);
	} catch (...) {
		return ngx_translate(err);
	}
}
