/*
 * print_format.c - --format templates: "{date}\t{title}\t{url}".
 *
 * A template is compiled once into literal pieces and fields, so a typo
 * is an error before the search, not a blank column after it.  Values
 * have tabs and newlines made spaces, so TSV stays one record per line.  On
 * a terminal (and without -0), what the terminal would obey is shown as
 * escapes (safetext.h); piped, values are exact but for those spaces.
 * With colour, the matched words of {title} and {snippet} are bold red.
 */
#include <stdlib.h>
#include <string.h>

#include "printer.h"
#include "safetext.h"

typedef enum field {
	F_LITERAL,
	F_RANK,
	F_SCORE,
	F_DATE,
	F_DATETIME,
	F_TITLE,
	F_URL,
	F_PATH,
	F_PROVIDER,
	F_DOMAIN,
	F_TOPICS,
	F_EXCERPT,
	F_SNIPPET,
	F_MATCHED_IN
} field;

static const char *const field_names[] = {
    [F_RANK] = "rank",
    [F_SCORE] = "score",
    [F_DATE] = "date",
    [F_DATETIME] = "datetime",
    [F_TITLE] = "title",
    [F_URL] = "url",
    [F_PATH] = "path",
    [F_PROVIDER] = "provider",
    [F_DOMAIN] = "domain",
    [F_TOPICS] = "topics",
    [F_EXCERPT] = "excerpt",
    [F_SNIPPET] = "snippet",
    [F_MATCHED_IN] = "matched_in",
};

typedef struct piece {
	field field;
	size_t start, len; /* F_LITERAL: bytes of struct template.text */
} piece;

struct template
{
	char *text; /* the literal bytes, escapes resolved */
	piece *pieces;
	size_t n;
};

void template_free(template *t)
{
	if (!t)
		return;
	free(t->text);
	free(t->pieces);
	free(t);
}

template *template_compile(const char *src, char *err, size_t cap)
{
	size_t len = strlen(src);
	template *t = calloc(1, sizeof(*t));
	if (!t || !(t->text = malloc(len + 1)) || !(t->pieces = calloc(len + 1, sizeof(piece)))) {
		snprintf(err, cap, "out of memory");
		template_free(t);
		return NULL;
	}
	size_t o = 0;
	for (size_t i = 0; i < len;) {
		char c = src[i];
		if (c == '{' && src[i + 1] == '{') {
			c = '{';
			i += 2;
		} else if (c == '}' && src[i + 1] == '}') {
			c = '}';
			i += 2;
		} else if (c == '{') {
			const char *close = strchr(src + i, '}');
			size_t n = close ? (size_t)(close - src - i - 1) : 0;
			field f = F_LITERAL;
			for (size_t k = F_RANK; close && k <= F_MATCHED_IN; k++)
				if (strlen(field_names[k]) == n &&
				    strncmp(field_names[k], src + i + 1, n) == 0)
					f = (field)k;
			if (f == F_LITERAL) {
				if (close)
					snprintf(
					    err, cap,
					    "--format: unknown field '{%.*s}' (fields: {rank} "
					    "{score} "
					    "{date} {datetime} {title} {url} {path} {provider} "
					    "{domain} {topics} {excerpt} {snippet} {matched_in}; "
					    "'{{' is a brace)",
					    (int)(n > 40 ? 40 : n), src + i + 1);
				else
					snprintf(err, cap,
					         "--format: '{' at byte %zu is not closed (write "
					         "'{{' for "
					         "a brace)",
					         i + 1);
				template_free(t);
				return NULL;
			}
			t->pieces[t->n++] = (piece){f, 0, 0};
			i += n + 2;
			continue;
		} else if (c == '}') {
			snprintf(err, cap,
			         "--format: '}' at byte %zu has no '{' (write '}}' for a "
			         "brace)",
			         i + 1);
			template_free(t);
			return NULL;
		} else if (c == '\\' && i + 1 < len && strchr("tn0\\", src[i + 1])) {
			c = src[i + 1] == 't'   ? '\t'
			    : src[i + 1] == 'n' ? '\n'
			    : src[i + 1] == '0' ? '\0'
			                        : '\\';
			i += 2;
		} else {
			i++;
		}
		/* Adjacent literal bytes share one piece. */
		if (t->n && t->pieces[t->n - 1].field == F_LITERAL &&
		    t->pieces[t->n - 1].start + t->pieces[t->n - 1].len == o)
			t->pieces[t->n - 1].len++;
		else
			t->pieces[t->n++] = (piece){F_LITERAL, o, 1};
		t->text[o++] = c;
	}
	return t;
}

/* A value with tabs, newlines and other control characters as spaces, and
 * on a terminal what it would obey as escapes (safetext.h). */
static void put_value(FILE *out, const char *s, const print_opts *o)
{
	if (o->tty)
		safetext_puts(out, s, SAFETEXT_SPACES);
	else
		put_spaced(out, s, strlen(s));
}

static void put_list(FILE *out, const char *const *v, size_t n, const print_opts *o)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			fputs(", ", out);
		put_value(out, v[i], o);
	}
}

void print_format_hit(FILE *out, const newsgrep_hit_t *hit, const print_opts *o)
{
	char buf[64];
	for (size_t i = 0; i < o->tmpl->n; i++) {
		const piece *p = &o->tmpl->pieces[i];
		switch (p->field) {
		case F_LITERAL:
			fwrite(o->tmpl->text + p->start, 1, p->len, out);
			break;
		case F_RANK:
			fprintf(out, "%llu", (unsigned long long)hit->rank);
			break;
		case F_SCORE:
			fprintf(out, "%.4f", hit->score);
			break;
		case F_DATE:
		case F_DATETIME:
			format_date(hit, p->field == F_DATE, buf, sizeof(buf));
			fputs(buf, out);
			break;
		case F_TITLE:
			put_highlighted(out, hit->title, hit->title_spans, hit->ntitle_spans,
			                o->color, "", o->tty);
			break;
		case F_URL:
			put_value(out, hit->url, o);
			break;
		case F_PATH:
			put_value(out, hit->path, o);
			break;
		case F_PROVIDER:
			put_value(out, hit->provider, o);
			break;
		case F_DOMAIN:
			put_value(out, hit->provider_domain, o);
			break;
		case F_TOPICS:
			put_list(out, hit->topics, hit->ntopics, o);
			break;
		case F_EXCERPT:
			put_value(out, hit->excerpt, o);
			break;
		case F_SNIPPET:
			put_highlighted(out, hit->snippet, hit->spans, hit->nspans, o->color, "",
			                o->tty);
			break;
		case F_MATCHED_IN:
			put_list(out, hit->matched_in, hit->nmatched_in, o);
			break;
		}
	}
	fputc(o->end, out);
}
