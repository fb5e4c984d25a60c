/*
 * frontmatter.c - extracting an article from a file's YAML front matter.
 *
 * The file must be UTF-8 and start with a '---' line; the front matter runs
 * to the next '---' (or '...') line and is read with libyaml's event API.
 * Events never expand aliases, so an alias bomb costs no more than its own
 * bytes; aliases are simply not values we accept.  Fields of the wrong
 * shape (a list where a string belongs, a date that cannot be read) are
 * warnings: the article is still indexed without them.  Anything that stops
 * the file from being an article is an error with its line and column.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>
#include <yaml.h>

#include "ng.h"

typedef struct parser {
	yaml_parser_t yaml;
	yaml_event_t ev;
	bool have_event;
	ng_arena *arena;
	ng_file_problem *err;
	ng_warn_fn warn;
	void *warn_ctx;
	bool nomem;
	const char *input; /* what libyaml reads, for positions it gives as offsets */
	size_t input_len;
	int depth; /* of nested sequences and mappings */
} parser;

/* ---- locating the front matter ---- */

/* Reports the first byte that is not UTF-8 (or is NUL); false if there is
 * none. */
static bool find_bad_utf8(const char *buf, size_t len, ng_file_problem *err)
{
	size_t i = 0;
	while (i < len) {
		unsigned char b = (unsigned char)buf[i];
		size_t n = 1;
		if (b == 0) {
			ng_text_position(buf, i, &err->line, &err->column);
			ng_msg_set(err->message, sizeof(err->message),
			           "file contains a NUL byte: not a text file");
			return true;
		}
		if (b >= 0x80) {
			utf8proc_int32_t cp;
			utf8proc_ssize_t got = utf8proc_iterate((const utf8proc_uint8_t *)buf + i,
			                                        (utf8proc_ssize_t)(len - i), &cp);
			if (got <= 0) {
				ng_text_position(buf, i, &err->line, &err->column);
				ng_msg_set(err->message, sizeof(err->message),
				           "invalid UTF-8 (byte 0x%02x): the file must be UTF-8",
				           b);
				return true;
			}
			n = (size_t)got;
		}
		i += n;
	}
	return false;
}

/* True when buf[start..end) (one line, without its '\n') is `mark` followed
 * only by spaces, tabs or a '\r'. */
static bool line_is(const char *buf, size_t start, size_t end, const char *mark)
{
	size_t n = strlen(mark);
	if (end - start < n || memcmp(buf + start, mark, n) != 0)
		return false;
	for (size_t i = start + n; i < end; i++)
		if (buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\r')
			return false;
	return true;
}

static size_t line_end(const char *buf, size_t len, size_t start)
{
	const char *nl = memchr(buf + start, '\n', len - start);
	return nl ? (size_t)(nl - buf) : len;
}

/* Finds the front matter: *from is where YAML starts (the opening '---'),
 * *to where the closing line starts. */
static bool locate(const char *buf, size_t len, size_t *from, size_t *to, ng_file_problem *err)
{
	size_t start = 0;
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		start = 3; /* a UTF-8 byte order mark */
	size_t end = line_end(buf, len, start);
	if (!line_is(buf, start, end, "---")) {
		err->line = err->column = 1;
		ng_msg_set(err->message, sizeof(err->message),
		           "no front matter: the file does not start with a '---' line");
		return false;
	}
	size_t pos = end < len ? end + 1 : len;
	while (pos < len) {
		end = line_end(buf, len, pos);
		if (line_is(buf, pos, end, "---") || line_is(buf, pos, end, "...")) {
			*from = start;
			*to = pos;
			return true;
		}
		pos = end < len ? end + 1 : len;
	}
	err->line = err->column = 1;
	ng_msg_set(err->message, sizeof(err->message),
	           "front matter is not closed: no '---' line after the opening one");
	return false;
}

/* ---- events ---- */

static bool yaml_failed(parser *p)
{
	yaml_parser_t *y = &p->yaml;
	if (y->error == YAML_MEMORY_ERROR) {
		p->nomem = true;
		ng_msg_set(p->err->message, sizeof(p->err->message), "out of memory");
		return false;
	}
	if (y->error == YAML_READER_ERROR) {
		/* The reader (e.g. on a control character) gives only a byte
		 * offset; count lines and characters up to it. */
		size_t end = y->problem_offset < p->input_len ? y->problem_offset : p->input_len;
		ng_text_position(p->input, end, &p->err->line, &p->err->column);
	} else {
		p->err->line = (unsigned long)y->problem_mark.line + 1;
		p->err->column = (unsigned long)y->problem_mark.column + 1;
	}
	if (y->context)
		ng_msg_set(p->err->message, sizeof(p->err->message), "invalid YAML: %s %s",
		           y->problem ? y->problem : "syntax error", y->context);
	else
		ng_msg_set(p->err->message, sizeof(p->err->message), "invalid YAML: %s",
		           y->problem ? y->problem : "syntax error");
	return false;
}

/* Moves to the next event (p->ev). */
static bool next(parser *p)
{
	if (p->have_event) {
		yaml_event_delete(&p->ev);
		p->have_event = false;
	}
	if (!yaml_parser_parse(&p->yaml, &p->ev))
		return yaml_failed(p);
	p->have_event = true;
	switch (p->ev.type) {
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT:
		/* libyaml's time grows with the square of the nesting depth, so
		 * a file of brackets could stall the indexer: stop early. */
		if (++p->depth > NG_MAX_YAML_DEPTH) {
			p->err->line = (unsigned long)p->ev.start_mark.line + 1;
			p->err->column = (unsigned long)p->ev.start_mark.column + 1;
			ng_msg_set(p->err->message, sizeof(p->err->message),
			           "YAML nested more than %d levels deep", NG_MAX_YAML_DEPTH);
			return false;
		}
		break;
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		p->depth--;
		break;
	default:
		break;
	}
	return true;
}

static void warn_at(parser *p, const yaml_mark_t *mark, const char *fmt, const char *a,
                    const char *b)
{
	if (!p->warn)
		return;
	ng_file_problem w = {.line = mark->line + 1, .column = mark->column + 1};
	ng_msg_set(w.message, sizeof(w.message), fmt, a, b);
	p->warn(p->warn_ctx, &w);
}

static const char *node_kind(yaml_event_type_t t)
{
	switch (t) {
	case YAML_SEQUENCE_START_EVENT:
		return "a list";
	case YAML_MAPPING_START_EVENT:
		return "a mapping";
	case YAML_ALIAS_EVENT:
		return "an alias";
	default:
		return "a string";
	}
}

/* Skips the node whose first event is current. */
static bool skip_node(parser *p)
{
	int depth = 0;
	do {
		switch (p->ev.type) {
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			depth++;
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			depth--;
			break;
		default:
			break;
		}
		if (depth == 0)
			return true;
	} while (next(p));
	return false;
}

/* Reads the next node as a string: *out stays NULL (with a warning) when it
 * is not a scalar, and for null values. */
static bool read_string(parser *p, const char *field, const char **out)
{
	*out = NULL; /* the last value of a repeated key wins, even a null one */
	if (!next(p))
		return false;
	if (p->ev.type != YAML_SCALAR_EVENT) {
		warn_at(p, &p->ev.start_mark, "%s: expected a string, found %s; field ignored",
		        field, node_kind(p->ev.type));
		return skip_node(p);
	}
	const char *v = (const char *)p->ev.data.scalar.value;
	size_t n = p->ev.data.scalar.length;
	bool plain = p->ev.data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	if (plain && (n == 0 || (n == 1 && v[0] == '~') || (n == 4 && memcmp(v, "null", 4) == 0)))
		return true;
	if (memchr(v, '\0', n)) {
		/* An escaped "\0": C strings would silently cut it short. */
		warn_at(p, &p->ev.start_mark, "%s: contains a NUL character (\\0); %s", field,
		        "field ignored");
		return true;
	}
	*out = ng_arena_strndup(p->arena, v, n);
	if (!*out) {
		p->nomem = true;
		return false;
	}
	return true;
}

static bool read_date(parser *p, const char *field, bool *has, int64_t *out)
{
	const char *s = NULL;
	*has = false;
	if (!read_string(p, field, &s))
		return false;
	if (!s)
		return true;
	*has = ng_date_parse_iso8601(s, strlen(s), out);
	if (!*has)
		warn_at(p, &p->ev.start_mark,
		        "%s: cannot read date '%.80s' (expected ISO 8601); indexed without a date",
		        field, s);
	return true;
}

static bool read_integer(parser *p, const char *field, bool *has, int64_t *out)
{
	*has = false;
	const char *s = NULL;
	if (!read_string(p, field, &s))
		return false;
	if (!s)
		return true;
	char *end;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	*has = errno == 0 && end != s && *end == '\0';
	if (*has)
		*out = v;
	else
		warn_at(p, &p->ev.start_mark,
		        "%s: expected a whole number, found '%.80s'; field ignored", field, s);
	return true;
}

static bool read_bool(parser *p, const char *field, bool *has, bool *out)
{
	*has = false;
	const char *s = NULL;
	if (!read_string(p, field, &s))
		return false;
	if (!s)
		return true;
	static const char *const yes[] = {"true", "True", "TRUE", "yes", "Yes", "YES", "on", "On"};
	static const char *const no[] = {"false", "False", "FALSE", "no", "No", "NO", "off", "Off"};
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (strcmp(s, yes[i]) == 0) {
			*has = *out = true;
			return true;
		}
		if (strcmp(s, no[i]) == 0) {
			*has = true;
			*out = false;
			return true;
		}
	}
	warn_at(p, &p->ev.start_mark, "%s: expected true or false, found '%.80s'; field ignored",
	        field, s);
	return true;
}

/*
 * Iterates over a mapping: expects the next event to start one (otherwise
 * warns and skips the node) and calls `field` for each key, which must read
 * or skip the key's value.
 */
typedef bool (*field_fn)(parser *p, const char *key, void *target);

/* Calls `field` for each key of the mapping whose start event is current;
 * `field` must read or skip the key's value. */
static bool mapping_body(parser *p, field_fn field, void *target)
{
	for (;;) {
		if (!next(p))
			return false;
		if (p->ev.type == YAML_MAPPING_END_EVENT)
			return true;
		char key[64];
		size_t n = p->ev.type == YAML_SCALAR_EVENT ? p->ev.data.scalar.length : sizeof(key);
		if (n >= sizeof(key) || memchr(p->ev.data.scalar.value, '\0', n)) {
			/* A complex or overlong key is none of ours: skip it and its value. */
			if (!skip_node(p) || !next(p) || !skip_node(p))
				return false;
			continue;
		}
		memcpy(key, p->ev.data.scalar.value, n);
		key[n] = '\0';
		if (!field(p, key, target))
			return false;
	}
}

/* Reads the next node as a mapping; warns and skips it when it is not one. */
static bool read_mapping(parser *p, const char *what, field_fn field, void *target)
{
	if (!next(p))
		return false;
	if (p->ev.type != YAML_MAPPING_START_EVENT) {
		if (p->ev.type == YAML_SCALAR_EVENT && p->ev.data.scalar.length == 0)
			return true; /* an empty value */
		warn_at(p, &p->ev.start_mark, "%s: expected a mapping, found %s; field ignored",
		        what, node_kind(p->ev.type));
		return skip_node(p);
	}
	return mapping_body(p, field, target);
}

/* A value that is not one of ours. */
static bool skip_value(parser *p)
{
	return next(p) && skip_node(p);
}

/* ---- the fields ---- */

typedef struct provider {
	const char **name, **domain;
} provider;

static bool provider_field(parser *p, const char *key, void *target)
{
	provider *pv = target;
	if (strcmp(key, "name") == 0)
		return read_string(p, "provider.name", pv->name);
	if (strcmp(key, "domain") == 0)
		return read_string(p, "provider.domain", pv->domain);
	return skip_value(p);
}

static bool related_field(parser *p, const char *key, void *target)
{
	ng_related *r = target;
	if (strcmp(key, "title") == 0)
		return read_string(p, "related.title", &r->title);
	if (strcmp(key, "excerpt") == 0)
		return read_string(p, "related.excerpt", &r->excerpt);
	if (strcmp(key, "originalUrl") == 0)
		return read_string(p, "related.originalUrl", &r->original_url);
	if (strcmp(key, "webUrl") == 0)
		return read_string(p, "related.webUrl", &r->url);
	if (strcmp(key, "publishedDateTime") == 0)
		return read_date(p, "related.publishedDateTime", &r->has_date, &r->date);
	if (strcmp(key, "provider") == 0) {
		provider pv = {&r->provider_name, &r->provider_domain};
		return read_mapping(p, "related.provider", provider_field, &pv);
	}
	return skip_value(p);
}

/* Grows an arena array of `elem`-sized items to hold n + 1. */
static void *arena_grow(parser *p, void *items, size_t n, size_t *cap, size_t elem)
{
	void *grown = ng_arena_grow(p->arena, items, n, cap, elem, 8);
	if (!grown)
		p->nomem = true;
	return grown;
}

/* Reads a list; `item` reads each element (whose first event is current). */
typedef bool (*item_fn)(parser *p, ng_article *a, size_t *cap);

static bool read_list(parser *p, const char *field, ng_article *a, item_fn item)
{
	if (!next(p))
		return false;
	if (p->ev.type != YAML_SEQUENCE_START_EVENT) {
		if (p->ev.type == YAML_SCALAR_EVENT && p->ev.data.scalar.length == 0)
			return true;
		warn_at(p, &p->ev.start_mark, "%s: expected a list, found %s; field ignored", field,
		        node_kind(p->ev.type));
		return skip_node(p);
	}
	size_t cap = 0;
	for (;;) {
		if (!next(p))
			return false;
		if (p->ev.type == YAML_SEQUENCE_END_EVENT)
			return true;
		if (!item(p, a, &cap))
			return false;
	}
}

static bool topic_item(parser *p, ng_article *a, size_t *cap)
{
	if (p->ev.type != YAML_SCALAR_EVENT || a->ntopics >= NG_MAX_TOPICS) {
		if (p->ev.type != YAML_SCALAR_EVENT)
			warn_at(p, &p->ev.start_mark,
			        "%s: expected a string, found %s; item ignored", "topics",
			        node_kind(p->ev.type));
		return skip_node(p);
	}
	if (p->ev.data.scalar.length == 0)
		return true;
	const char **t = arena_grow(p, a->topics, a->ntopics, cap, sizeof(*a->topics));
	if (!t)
		return false;
	a->topics = t;
	t[a->ntopics] = ng_arena_strndup(p->arena, (const char *)p->ev.data.scalar.value,
	                                 p->ev.data.scalar.length);
	if (!t[a->ntopics]) {
		p->nomem = true;
		return false;
	}
	a->ntopics++;
	return true;
}

static bool related_item(parser *p, ng_article *a, size_t *cap)
{
	if (p->ev.type != YAML_MAPPING_START_EVENT || a->nrelated >= NG_MAX_RELATED) {
		if (p->ev.type != YAML_MAPPING_START_EVENT)
			warn_at(p, &p->ev.start_mark,
			        "%s: expected a mapping, found %s; item ignored", "related",
			        node_kind(p->ev.type));
		return skip_node(p);
	}
	ng_related *r = arena_grow(p, a->related, a->nrelated, cap, sizeof(*a->related));
	if (!r)
		return false;
	a->related = r;
	r += a->nrelated;
	memset(r, 0, sizeof(*r));
	if (!mapping_body(p, related_field, r))
		return false;
	a->nrelated++;
	return true;
}

static bool article_field(parser *p, const char *key, void *target)
{
	ng_article *a = target;
	if (strcmp(key, "title") == 0)
		return read_string(p, key, &a->title);
	if (strcmp(key, "excerpt") == 0)
		return read_string(p, key, &a->excerpt);
	if (strcmp(key, "publishedDateTime") == 0)
		return read_date(p, key, &a->has_date, &a->date);
	if (strcmp(key, "originalUrl") == 0)
		return read_string(p, key, &a->original_url);
	if (strcmp(key, "webUrl") == 0)
		return read_string(p, key, &a->web_url);
	if (strcmp(key, "type") == 0)
		return read_string(p, key, &a->type);
	if (strcmp(key, "quality") == 0)
		return read_integer(p, key, &a->has_quality, &a->quality);
	if (strcmp(key, "heat") == 0)
		return read_integer(p, key, &a->has_heat, &a->heat);
	if (strcmp(key, "published") == 0)
		return read_bool(p, key, &a->has_published, &a->published);
	if (strcmp(key, "provider") == 0) {
		provider pv = {&a->provider_name, &a->provider_domain};
		return read_mapping(p, key, provider_field, &pv);
	}
	/* A repeated list replaces the earlier one, as any repeated key does. */
	if (strcmp(key, "topics") == 0) {
		a->topics = NULL;
		a->ntopics = 0;
		return read_list(p, key, a, topic_item);
	}
	if (strcmp(key, "related") == 0) {
		a->related = NULL;
		a->nrelated = 0;
		return read_list(p, key, a, related_item);
	}
	return skip_value(p); /* secured, images and anything unknown */
}

static bool parse_events(parser *p, ng_article *a)
{
	if (!next(p) || p->ev.type != YAML_STREAM_START_EVENT)
		return false;
	if (!next(p))
		return false;
	if (p->ev.type != YAML_DOCUMENT_START_EVENT) {
		p->err->line = p->err->column = 1;
		ng_msg_set(p->err->message, sizeof(p->err->message), "front matter is empty");
		return false;
	}
	yaml_mark_t root_mark = p->ev.end_mark;
	if (!next(p))
		return false;
	if (p->ev.type != YAML_MAPPING_START_EVENT) {
		bool empty = p->ev.type == YAML_SCALAR_EVENT && p->ev.data.scalar.length == 0;
		p->err->line = (empty ? root_mark : p->ev.start_mark).line + 1;
		p->err->column = (empty ? root_mark : p->ev.start_mark).column + 1;
		ng_msg_set(p->err->message, sizeof(p->err->message),
		           empty ? "front matter is empty"
		                 : "front matter is %s, not a mapping of fields",
		           node_kind(p->ev.type));
		return false;
	}
	if (!mapping_body(p, article_field, a))
		return false;
	/* Read to the end so errors after the mapping are still reported. */
	do {
		if (!next(p))
			return false;
	} while (p->ev.type != YAML_STREAM_END_EVENT);
	return true;
}

bool ng_frontmatter_parse(const char *buf, size_t len, ng_arena *arena, ng_article *out,
                          ng_file_problem *err, ng_warn_fn warn, void *warn_ctx)
{
	memset(out, 0, sizeof(*out));
	memset(err, 0, sizeof(*err));
	err->status = NEWSGREP_PARSE; /* until it is read */
	if (len == 0) {
		err->line = err->column = 1;
		ng_msg_set(err->message, sizeof(err->message), "file is empty");
		return false;
	}
	if (len > NG_MAX_FILE_SIZE) {
		ng_msg_set(err->message, sizeof(err->message),
		           "file is too large (%zu bytes; the limit is %u MiB)", len,
		           NG_MAX_FILE_SIZE >> 20);
		return false;
	}
	if (find_bad_utf8(buf, len, err))
		return false;
	size_t from, to;
	if (!locate(buf, len, &from, &to, err))
		return false;

	parser p = {.arena = arena,
	            .err = err,
	            .warn = warn,
	            .warn_ctx = warn_ctx,
	            .input = buf + from,
	            .input_len = to - from};
	if (!yaml_parser_initialize(&p.yaml)) {
		err->status = NEWSGREP_NOMEM;
		ng_msg_set(err->message, sizeof(err->message), "out of memory");
		return false;
	}
	yaml_parser_set_input_string(&p.yaml, (const unsigned char *)buf + from, to - from);
	yaml_parser_set_encoding(&p.yaml, YAML_UTF8_ENCODING);
	bool ok = parse_events(&p, out);
	if (p.have_event)
		yaml_event_delete(&p.ev);
	yaml_parser_delete(&p.yaml);
	if (!ok && p.nomem)
		ng_msg_set(err->message, sizeof(err->message), "out of memory");
	err->status = ok ? NEWSGREP_OK : p.nomem ? NEWSGREP_NOMEM : NEWSGREP_PARSE;
	return ok;
}
