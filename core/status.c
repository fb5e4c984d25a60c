/*
 * status.c - status names and the small helpers behind error messages.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
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
