/*
 * parse_baseline.c - what reading articles costs without Xapian: the
 * baselines under newsgrep-index's time (bench/run's build step).
 *
 *   parse_baseline [--fold | --frontend] DIR...
 *
 * Every mode walks the folders with fts(3) (hidden entries skipped, regular
 * files only) and reads each file whole.  Then:
 *   (default)   finds the YAML front matter (from the leading '---' line to
 *               the next '---' line) and parses it with libyaml's event
 *               parser to the end of the stream, and nothing else;
 *   --fold      the same, and every scalar value (not the keys) goes through
 *               utf8proc_map with the options newsgrep folds text with
 *               (NFKC, case folding, marks stripped): the "parse + fold"
 *               limit.  It folds every value, URLs and base64 blobs too,
 *               with no ASCII fast path, so it can cost more than
 *               newsgrep's front end, which only tokenizes the text fields;
 *   --frontend  newsgrep's own front end: its front-matter parser
 *               (UTF-8 check, field extraction) and its tokenizer over the
 *               title, excerpt and related items' titles and excerpts,
 *               counting tokens.  No stemming, no documents, no Xapian.
 *
 * Prints one JSON line on stdout:
 *   {"mode":"parse","files":N,"bytes":B,"errors":E,"seconds":S}
 * with "tokens" (--frontend) or "folded_bytes" (--fold) before "seconds".
 * A file that cannot be read or parsed is named on stderr and counted in
 * "errors"; the exit status is then 1 (2 when a folder cannot be walked).
 */
#include <errno.h>
#include <fcntl.h>
#include <fts.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <utf8proc.h>
#include <yaml.h>

#include "ng.h"

enum mode { MODE_PARSE, MODE_FOLD, MODE_FRONTEND };

static const char *const mode_names[] = {"parse", "fold", "frontend"};

struct run {
	enum mode mode;
	unsigned long long files, bytes, errors, tokens, folded;
	ng_buf file;
	ng_arena arena;
	ng_tokenizer *tok;
};

/* The fold newsgrep applies to words and field values (tokenize.c). */
static const utf8proc_option_t fold_options =
    UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK;

/* Reads the whole file into r->file.  False (reported) when it cannot. */
static bool read_file(struct run *r, const char *path)
{
	r->file.len = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		fprintf(stderr, "%s: cannot open: %s\n", path, strerror(errno));
		return false;
	}
	for (;;) {
		if (!ng_buf_reserve(&r->file, 64 * 1024)) {
			fprintf(stderr, "%s: out of memory\n", path);
			close(fd);
			return false;
		}
		ssize_t got = read(fd, r->file.data + r->file.len, r->file.cap - r->file.len);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			fprintf(stderr, "%s: cannot read: %s\n", path, strerror(errno));
			close(fd);
			return false;
		}
		if (got == 0)
			break;
		r->file.len += (size_t)got;
	}
	close(fd);
	return true;
}

/* True when buf[start..end) is a '---' line (trailing blanks or '\r' allowed). */
static bool is_marker(const char *buf, size_t start, size_t end)
{
	if (end - start < 3 || memcmp(buf + start, "---", 3) != 0)
		return false;
	for (size_t i = start + 3; i < end; i++)
		if (buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\r')
			return false;
	return true;
}

/* The front matter's byte range: after the first line, up to the next
 * '---' line.  False when the file has none. */
static bool front_matter(const char *buf, size_t len, size_t *from, size_t *to)
{
	const char *nl = memchr(buf, '\n', len);
	if (!nl || !is_marker(buf, 0, (size_t)(nl - buf)))
		return false;
	size_t start = (size_t)(nl - buf) + 1;
	*from = start;
	while (start < len) {
		nl = memchr(buf + start, '\n', len - start);
		size_t end = nl ? (size_t)(nl - buf) : len;
		if (is_marker(buf, start, end)) {
			*to = start;
			return true;
		}
		start = end + 1;
	}
	return false;
}

/* Where the next scalar stands: a mapping's key or anything else. */
struct level {
	bool mapping, expect_key;
};

static bool fold(struct run *r, const yaml_event_t *ev)
{
	utf8proc_uint8_t *out = NULL;
	utf8proc_ssize_t n = utf8proc_map(
	    ev->data.scalar.value, (utf8proc_ssize_t)ev->data.scalar.length, &out, fold_options);
	free(out);
	if (n < 0)
		return false;
	r->folded += (unsigned long long)n;
	return true;
}

/* Parses buf[from..to) with libyaml to the end of the stream, folding the
 * scalar values in MODE_FOLD.  False (reported) on invalid YAML. */
static bool parse_yaml(struct run *r, const char *path, const char *text, size_t len)
{
	yaml_parser_t parser;
	if (!yaml_parser_initialize(&parser)) {
		fprintf(stderr, "%s: out of memory\n", path);
		return false;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
	struct level stack[NG_MAX_YAML_DEPTH + 1] = {{false, false}};
	int depth = 0;
	bool ok = true, done = false;
	while (ok && !done) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&parser, &ev)) {
			fprintf(stderr, "%s:%lu:%lu: invalid YAML: %s\n", path,
			        (unsigned long)parser.problem_mark.line + 2,
			        (unsigned long)parser.problem_mark.column + 1,
			        parser.problem ? parser.problem : "unknown error");
			ok = false;
			break;
		}
		struct level *top = &stack[depth];
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_MAPPING_START_EVENT:
		case YAML_SEQUENCE_START_EVENT:
			if (top->mapping)
				top->expect_key = true; /* the container was a value */
			if (depth == NG_MAX_YAML_DEPTH) {
				fprintf(stderr, "%s: YAML nested too deeply\n", path);
				ok = false;
				break;
			}
			stack[++depth] = (struct level){ev.type == YAML_MAPPING_START_EVENT, true};
			break;
		case YAML_MAPPING_END_EVENT:
		case YAML_SEQUENCE_END_EVENT:
			if (depth > 0)
				depth--;
			break;
		case YAML_SCALAR_EVENT:
		case YAML_ALIAS_EVENT: {
			bool is_key = top->mapping && top->expect_key;
			if (top->mapping)
				top->expect_key = !top->expect_key;
			if (ev.type == YAML_SCALAR_EVENT && !is_key && r->mode == MODE_FOLD &&
			    !fold(r, &ev)) {
				fprintf(stderr, "%s:%lu: cannot fold a value: not UTF-8\n", path,
				        (unsigned long)ev.start_mark.line + 2);
				ok = false;
			}
			break;
		}
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&parser);
	return ok;
}

static bool count_token(void *ctx, const ng_token *tok)
{
	(void)tok;
	((struct run *)ctx)->tokens++;
	return true;
}

static bool tokenize(struct run *r, const char *text)
{
	return !text || ng_tokenize(r->tok, text, strlen(text), count_token, r) == NG_PASS_DONE;
}

static void ignore_warning(void *ctx, const ng_file_problem *p)
{
	(void)ctx;
	(void)p;
}

/* newsgrep's front end over the file in r->file.  False (reported) when
 * the file is no article. */
static bool frontend(struct run *r, const char *path)
{
	ng_arena_reset(&r->arena);
	ng_article a;
	ng_file_problem err;
	if (!ng_frontmatter_parse(r->file.data, r->file.len, &r->arena, &a, &err, ignore_warning,
	                          NULL)) {
		fprintf(stderr, "%s:%lu:%lu: %s\n", path, err.line, err.column, err.message);
		return false;
	}
	bool ok = tokenize(r, a.title) && tokenize(r, a.excerpt);
	for (size_t i = 0; ok && i < a.nrelated; i++)
		ok = tokenize(r, a.related[i].title) && tokenize(r, a.related[i].excerpt);
	if (!ok)
		fprintf(stderr, "%s: out of memory\n", path);
	return ok;
}

static bool process(struct run *r, const char *path)
{
	if (!read_file(r, path))
		return false;
	r->bytes += r->file.len;
	if (r->mode == MODE_FRONTEND)
		return frontend(r, path);
	size_t from, to;
	if (!front_matter(r->file.data, r->file.len, &from, &to)) {
		fprintf(stderr, "%s:1:1: no front matter between '---' lines\n", path);
		return false;
	}
	return parse_yaml(r, path, r->file.data + from, to - from);
}

static bool walk(struct run *r, char *root)
{
	char *roots[] = {root, NULL};
	FTS *fts = fts_open(roots, FTS_PHYSICAL | FTS_NOCHDIR, NULL);
	if (!fts) {
		fprintf(stderr, "%s: cannot walk: %s\n", root, strerror(errno));
		return false;
	}
	for (;;) {
		errno = 0; /* fts_read says the walk is over with NULL and errno 0 */
		FTSENT *e = fts_read(fts);
		if (!e)
			break;
		bool hidden = e->fts_level > 0 && e->fts_name[0] == '.';
		switch (e->fts_info) {
		case FTS_D:
			if (hidden)
				fts_set(fts, e, FTS_SKIP);
			break;
		case FTS_F:
			if (hidden)
				break;
			r->files++;
			if (!process(r, e->fts_path))
				r->errors++;
			break;
		case FTS_DNR:
		case FTS_ERR:
		case FTS_NS:
			fprintf(stderr, "%s: cannot walk: %s\n", e->fts_path,
			        strerror(e->fts_errno));
			r->errors++;
			break;
		default:
			break;
		}
	}
	bool ok = errno == 0;
	if (!ok)
		fprintf(stderr, "%s: cannot walk: %s\n", root, strerror(errno));
	fts_close(fts);
	return ok;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int usage(void)
{
	fprintf(stderr, "usage: parse_baseline [--fold | --frontend] DIR...\n");
	return 2;
}

int main(int argc, char **argv)
{
	struct run r = {.mode = MODE_PARSE};
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--fold") == 0)
			r.mode = MODE_FOLD;
		else if (strcmp(argv[i], "--frontend") == 0)
			r.mode = MODE_FRONTEND;
		else if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else
			return usage();
	}
	if (i == argc)
		return usage();
	ng_arena_init(&r.arena);
	if (r.mode == MODE_FRONTEND && !(r.tok = ng_tokenizer_new())) {
		fprintf(stderr, "parse_baseline: out of memory\n");
		return 2;
	}

	double start = now();
	bool walked = true;
	for (; i < argc; i++)
		walked = walk(&r, argv[i]) && walked;
	double seconds = now() - start;

	printf("{\"mode\":\"%s\",\"files\":%llu,\"bytes\":%llu,\"errors\":%llu", mode_names[r.mode],
	       r.files, r.bytes, r.errors);
	if (r.mode == MODE_FRONTEND)
		printf(",\"tokens\":%llu", r.tokens);
	if (r.mode == MODE_FOLD)
		printf(",\"folded_bytes\":%llu", r.folded);
	printf(",\"seconds\":%.6f}\n", seconds);

	ng_tokenizer_free(r.tok);
	ng_arena_release(&r.arena);
	ng_buf_release(&r.file);
	return !walked ? 2 : r.errors ? 1 : 0;
}
