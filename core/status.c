/*
 * status.c - status names and the small helpers behind error messages.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include <yaml.h>

#include "ng.h"
#include "ngx.h"

const char *newsgrep_version(void)
{
	return NEWSGREP_VERSION_STRING;
}

const char *newsgrep_component_version(newsgrep_component_t component)
{
	switch (component) {
	case NEWSGREP_COMPONENT_NEWSGREP:
		return NEWSGREP_VERSION_STRING;
	case NEWSGREP_COMPONENT_INDEX_FORMAT:
		return NG_FORMAT_VERSION;
	case NEWSGREP_COMPONENT_XAPIAN:
		return ngx_version();
	case NEWSGREP_COMPONENT_LIBYAML:
		return yaml_get_version_string();
	case NEWSGREP_COMPONENT_UTF8PROC:
		return utf8proc_version();
	}
	return "";
}

const char *newsgrep_status_string(newsgrep_status_t status)
{
	switch (status) {
	case NEWSGREP_OK:
		return "success";
	case NEWSGREP_DONE:
		return "no more items";
	case NEWSGREP_NO_INDEX:
		return "no index";
	case NEWSGREP_LOCKED:
		return "index is locked by another writer";
	case NEWSGREP_INDEX_CHANGED:
		return "index changed while reading";
	case NEWSGREP_INDEX_VERSION:
		return "index was made by an incompatible version";
	case NEWSGREP_CORRUPT:
		return "index is corrupt";
	case NEWSGREP_BAD_QUERY:
		return "bad query";
	case NEWSGREP_BAD_DATE:
		return "bad date";
	case NEWSGREP_PARSE:
		return "not a valid article";
	case NEWSGREP_IO:
		return "input/output error";
	case NEWSGREP_NOMEM:
		return "out of memory";
	case NEWSGREP_INVALID_ARG:
		return "invalid argument";
	case NEWSGREP_BACKEND:
		return "search backend error";
	case NEWSGREP_INTERNAL:
		return "internal error";
	case NEWSGREP_STOPPED:
		return "stopped";
	case NEWSGREP_PERMISSION:
		return "permission denied";
	case NEWSGREP_UNREACHABLE:
		return "index server unreachable";
	}
	return "unknown status";
}

void newsgrep_free(void *ptr)
{
	free(ptr);
}

void ng_text_position(const char *text, size_t offset, unsigned long *line, unsigned long *column)
{
	*line = *column = 1;
	for (size_t i = 0; i < offset; i++) {
		if (text[i] == '\n') {
			++*line;
			*column = 1;
		} else if (((unsigned char)text[i] & 0xC0) != 0x80) {
			++*column;
		}
	}
}

/* A message cut at the end of buf[0..cap) by vsnprintf may end inside a
 * character: drop that character's first bytes too, so that the message
 * stays valid UTF-8. */
static void cut_at_character(char *buf, size_t cap)
{
	size_t end = cap - 1, lead = end;
	while (lead > 0 && ((unsigned char)buf[lead - 1] & 0xC0) == 0x80)
		lead--;
	if (lead == 0)
		return;
	unsigned char c = (unsigned char)buf[--lead];
	size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
	if (lead + need > end)
		buf[lead] = '\0';
}

void ng_msg_set(char *buf, size_t cap, const char *fmt, ...)
{
	if (!cap)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, cap, fmt, ap);
	va_end(ap);
	if (n < 0)
		buf[0] = '\0';
	else if ((size_t)n >= cap)
		cut_at_character(buf, cap);
}

void ng_error_clear(ng_error *err)
{
	err->status = NEWSGREP_OK;
	err->message[0] = '\0';
}

newsgrep_status_t ng_error_set(ng_error *err, newsgrep_status_t status, const char *fmt, ...)
{
	err->status = status;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(err->message, sizeof(err->message), fmt, ap);
	va_end(ap);
	if (n < 0)
		err->message[0] = '\0';
	else if ((size_t)n >= sizeof(err->message))
		cut_at_character(err->message, sizeof(err->message));
	return status;
}

newsgrep_status_t ng_error_nomem(ng_error *err)
{
	return ng_error_set(err, NEWSGREP_NOMEM, "out of memory");
}

newsgrep_status_t ng_error_from_ngx(ng_error *err, const char *what, const ngx_error *x)
{
	if (*x->message)
		return ng_error_set(err, ng_status_from_ngx(x->code), "%s: %s", what, x->message);
	return ng_error_set(err, ng_status_from_ngx(x->code), "%s", what);
}

newsgrep_status_t ng_error_too_long(ng_error *err, const char *dir, const char *name)
{
	/* The problem first: a path longer than the message loses its end
	 * there, never what is wrong with it. */
	ng_error_set(err, NEWSGREP_IO,
	             "path too long (%zu bytes; the system names at most %d): '%s/%s'",
	             strlen(dir) + 1 + strlen(name), PATH_MAX - 1, dir, name);
	errno = ENAMETOOLONG;
	return NEWSGREP_IO;
}

newsgrep_status_t ng_db_error(newsgrep_db_t *db, const ng_error *err)
{
	ng_msg_set(db->errmsg, sizeof(db->errmsg), "%s", err->message);
	return err->status;
}

const char *ng_msg_bytes(char *out, size_t cap, uint64_t n)
{
	if (n < 1000000)
		snprintf(out, cap, "%.0f kB", (double)n / 1e3);
	else if (n < 1000000000)
		snprintf(out, cap, "%.1f MB", (double)n / 1e6);
	else
		snprintf(out, cap, "%.1f GB", (double)n / 1e9);
	return out;
}
