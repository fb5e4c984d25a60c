// error.cc - the one place C++ exceptions become ngx_error codes.

#include "ngx_internal.h"

#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <stdexcept>

ngx_code ngx_fail(ngx_error *err, ngx_code code, const char *fmt, ...) noexcept
{
	if (!err)
		return code;
	err->code = code;
	va_list ap;
	va_start(ap, fmt);
	std::vsnprintf(err->message, sizeof err->message, fmt, ap);
	va_end(ap);
	for (char *c = err->message; *c; ++c) // one line
		if (*c == '\n' || *c == '\r')
			*c = ' ';
	return code;
}

ngx_code ngx_ok(ngx_error *err) noexcept
{
	if (err) {
		err->code = NGX_OK;
		err->message[0] = '\0';
	}
	return NGX_OK;
}

namespace
{

// Same text as Error::get_description(), without building a std::string:
// the translator must not throw.
ngx_code fail_xapian(ngx_error *err, ngx_code code, const Xapian::Error &e) noexcept
{
	const char *errstr = nullptr;
	try {
		errstr = e.get_error_string(); // may allocate on first call
	} catch (...) {
	}
	const std::string &context = e.get_context();
	return ngx_fail(err, code, "%s: %s%s%s%s%s%s%s", e.get_type(), e.get_msg().c_str(),
	                context.empty() ? "" : " (context: ", context.c_str(),
	                context.empty() ? "" : ")", errstr ? " (" : "", errstr ? errstr : "",
	                errstr ? ")" : "");
}

// Whether e says the process or the system may open no more files. Xapian
// 1.4 gives no errno for a lock it could not take, only the words of its
// reason (FlintLock::FDLIMIT), and an opening error's errno only as text.
bool out_of_files(const Xapian::Error &e) noexcept
{
	try {
		const std::string &msg = e.get_msg();
		static const char fdlimit[] = ": too many open files";
		size_t n = sizeof(fdlimit) - 1;
		if (msg.size() >= n && msg.compare(msg.size() - n, n, fdlimit) == 0)
			return true;
		const char *errstr = e.get_error_string();
		return errstr && (std::strcmp(errstr, std::strerror(EMFILE)) == 0 ||
		                  std::strcmp(errstr, std::strerror(ENFILE)) == 0);
	} catch (...) {
		return false;
	}
}

// Whether e says the disk is full or the user's quota used up. Xapian
// gives a failed write's errno only as text.
bool out_of_space(const Xapian::Error &e) noexcept
{
	try {
		const char *errstr = e.get_error_string();
		if (errstr && (std::strcmp(errstr, std::strerror(ENOSPC)) == 0 ||
		               std::strcmp(errstr, std::strerror(EDQUOT)) == 0))
			return true;
		// A failed commit that could not go back either quotes the
		// first error in its message: "Modifications failed (...)".
		const std::string &msg = e.get_msg();
		return msg.find(std::strerror(ENOSPC)) != std::string::npos ||
		       msg.find(std::strerror(EDQUOT)) != std::string::npos;
	} catch (...) {
		return false;
	}
}

// A DatabaseError's code: a full disk first, whatever the class.
ngx_code database_code(const Xapian::Error &e, ngx_code code) noexcept
{
	return out_of_space(e) ? NGX_ERR_NOSPACE : code;
}

} // namespace

ngx_code ngx_translate(ngx_error *err) noexcept
{
	try {
		throw;
	} catch (const Xapian::DatabaseNotFoundError &e) {
		return fail_xapian(err, NGX_ERR_NOT_FOUND, e);
	} catch (const Xapian::DatabaseVersionError &e) {
		return fail_xapian(err, NGX_ERR_VERSION, e);
	} catch (const Xapian::DatabaseOpeningError &e) {
		return fail_xapian(
		    err, out_of_files(e) ? NGX_ERR_RESOURCE : database_code(e, NGX_ERR_OPENING), e);
	} catch (const Xapian::DatabaseLockError &e) {
		return fail_xapian(err, out_of_files(e) ? NGX_ERR_RESOURCE : NGX_ERR_LOCK, e);
	} catch (const Xapian::DatabaseModifiedError &e) {
		return fail_xapian(err, NGX_ERR_MODIFIED, e);
	} catch (const Xapian::DatabaseCorruptError &e) {
		return fail_xapian(err, NGX_ERR_CORRUPT, e);
	} catch (const Xapian::DatabaseError &e) {
		return fail_xapian(err, database_code(e, NGX_ERR_DATABASE), e);
	} catch (const Xapian::InvalidArgumentError &e) {
		return fail_xapian(err, NGX_ERR_INVALID, e);
	} catch (const Xapian::InvalidOperationError &e) {
		return fail_xapian(err, NGX_ERR_INVALID, e);
	} catch (const Xapian::NetworkError &e) { // timeouts too
		return fail_xapian(err, NGX_ERR_NETWORK, e);
	} catch (const Xapian::WildcardError &e) { // a RuntimeError: before Xapian::Error
		return fail_xapian(err, NGX_ERR_WILDCARD, e);
	} catch (const Xapian::Error &e) {
		return fail_xapian(err, NGX_ERR_OTHER, e);
	} catch (const std::bad_alloc &e) {
		return ngx_fail(err, NGX_ERR_NOMEM, "out of memory (%s)", e.what());
	} catch (const std::exception &e) {
		return ngx_fail(err, NGX_ERR_OTHER, "%s", e.what());
	} catch (...) {
		return ngx_fail(err, NGX_ERR_OTHER, "unknown C++ exception");
	}
}

char *ngx_dup(const std::string &s)
{
	char *p = static_cast<char *>(std::malloc(s.size() + 1));
	if (!p)
		throw std::bad_alloc();
	std::memcpy(p, s.data(), s.size());
	p[s.size()] = '\0';
	return p;
}
