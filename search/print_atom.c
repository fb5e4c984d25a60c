/*
 * print_atom.c - --format atom: the hits as one Atom 1.0 feed (RFC 4287),
 * for a feed reader subscribed to a query through a file or a CGI wrapper.
 *
 * <feed xmlns="http://www.w3.org/2005/Atom">
 *   <id>urn:uuid:...</id> <title>QUERY</title> <updated>...</updated>
 *   <author><name>newsgrep</name></author> <generator>newsgrep</generator>
 *   <entry> <id>URL</id> <title>...</title> <link rel="alternate" href="URL"/>
 *     <updated>DATE</updated> <published>DATE</published>
 *     <author><name>PROVIDER</name></author> <category term="TOPIC"/>
 *     <summary>SNIPPET or EXCERPT</summary> </entry> ...
 * </feed>
 *
 * Ids are stable, so that a reader shows an article once however often the
 * feed is fetched:
 * - the feed's is a name-based UUID (version 8, RFC 9562: XXH3_128bits of
 *   a text naming the indexes, the query's words and the options that
 *   choose the matches, not those that choose how many are shown or in
 *   what order; see atom_feed_id);
 * - an entry's is its article's URL when that is absolute (it has a
 *   scheme), with what an IRI may not hold percent-encoded; else a UUID of
 *   the URL's text, or without a URL of the article's path.  Files that
 *   share a URL (--all-duplicates) share an id: to Atom, one entry.
 * An entry must link to its article when it has no content: an article
 * without an absolute URL links to its file (file://).  An undated
 * article is "updated" at 1970-01-01T00:00:00Z, a date that does not change
 * from one fetch to the next (now would mark it as changed each time), and
 * has no <published>.  The feed's <updated> is its newest entry's, or now
 * when it has none.
 *
 * All text is valid XML 1.0 whatever the article holds: & < > " are
 * escaped, and what XML 1.0 forbids (C0 controls but tab, newline and
 * carriage return; U+FFFE, U+FFFF), what it discourages (DEL, C1
 * controls) and bytes that are not UTF-8 become U+FFFD, as in --json.
 *
 * Entries are kept in memory until the feed is written whole, because the
 * feed's <updated> comes before them: atom_feed_write() writes to any
 * FILE *, so a caller may write a temporary file and rename it into place.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xxhash.h>

#include "printer.h"
#include "safetext.h"

#define ATOM_NS "http://www.w3.org/2005/Atom"
#define REPLACEMENT "\xef\xbf\xbd" /* U+FFFD */

struct atom_feed {
	char *title;
	char id[ATOM_ID_SIZE];
	FILE *entries; /* the <entry> elements so far, in `buf` */
	char *buf;
	size_t len;
	size_t n;       /* entries */
	int64_t newest; /* the latest <updated> of an entry */
	bool failed;    /* out of memory: the feed cannot be written */
	bool marked;    /* each entry after its mark (atom_feed_set_marked) */
};

bool format_is_atom(const char *format)
{
	return format && strcmp(format, "atom") == 0;
}

/* Whether XML 1.0 text may hold `cp` as it is: not what it forbids, nor
 * DEL and the C1 controls, which it discourages. */
static bool xml_char_ok(uint32_t cp)
{
	if (cp < 0x20)
		return cp == '\t' || cp == '\n' || cp == '\r';
	return !(cp >= 0x7f && cp <= 0x9f) && cp != 0xfffe && cp != 0xffff;
}

/* s as XML character data, or in an attribute (`attr`: white space as
 * references too, which a parser would otherwise make spaces). */
static void put_xml(FILE *out, const char *str, bool attr)
{
	const unsigned char *s = (const unsigned char *)str;
	while (*s) {
		uint32_t cp;
		size_t n = safetext_utf8(s, strnlen((const char *)s, 4), &cp);
		if (n == 0 || !xml_char_ok(cp)) {
			fputs(REPLACEMENT, out);
			s += n ? n : 1;
			continue;
		}
		switch (cp) {
		case '&':
			fputs("&amp;", out);
			break;
		case '<':
			fputs("&lt;", out);
			break;
		case '>': /* (needed only after "]]", always safe) */
			fputs("&gt;", out);
			break;
		case '"':
			fputs("&quot;", out);
			break;
		case '\r': /* a parser makes a bare CR a newline */
			fputs("&#13;", out);
			break;
		case '\t':
		case '\n':
			if (attr)
				fprintf(out, "&#%u;", (unsigned)cp);
			else
				fputc((int)cp, out);
			break;
		default:
			fwrite(s, 1, n, out);
		}
		s += n;
	}
}

/* <name>text</name> */
static void put_element(FILE *out, const char *indent, const char *name, const char *text)
{
	fprintf(out, "%s<%s>", indent, name);
	put_xml(out, text, false);
	fprintf(out, "</%s>\n", name);
}

/* "2023-12-19T23:59:00Z" (RFC 3339, as xsd:dateTime reads it: years 1 to
 * 9999); false for a time outside them. */
static bool format_rfc3339(int64_t t, char *buf, size_t cap)
{
	time_t tt = (time_t)t;
	struct tm tm;
	if ((int64_t)tt != t || !gmtime_r(&tt, &tm) || tm.tm_year < 1 - 1900 ||
	    tm.tm_year > 9999 - 1900)
		return false;
	snprintf(buf, cap, "%04d-%02d-%02dT%02d:%02d:%02dZ", tm.tm_year + 1900, tm.tm_mon + 1,
	         tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
	return true;
}

/* What a UUID names, the seed of its hash: a name of one kind never
 * gives another's UUID. */
enum { NAME_FEED, NAME_URL, NAME_PATH };

/* "urn:uuid:..." from XXH3_128bits of `name` with the seed `kind`: a
 * name-based UUID, version 8 (RFC 9562: the bits but the version and
 * variant are the hash's). */
static void uuid_urn(const char *name, size_t len, int kind, char out[ATOM_ID_SIZE])
{
	XXH128_hash_t h = XXH3_128bits_withSeed(name, len, (XXH64_hash_t)kind);
	unsigned char b[16];
	for (int i = 0; i < 8; i++) {
		b[i] = (unsigned char)(h.high64 >> (56 - 8 * i));
		b[8 + i] = (unsigned char)(h.low64 >> (56 - 8 * i));
	}
	b[6] = (unsigned char)((b[6] & 0x0f) | 0x80);
	b[8] = (unsigned char)((b[8] & 0x3f) | 0x80);
	char *p = out + sprintf(out, "urn:uuid:");
	for (int i = 0; i < 16; i++)
		p += sprintf(p, "%s%02x", i == 4 || i == 6 || i == 8 || i == 10 ? "-" : "", b[i]);
}

/* Whether `url` starts with a scheme (RFC 3986: ALPHA *( ALPHA / DIGIT /
 * "+" / "-" / "." ) ":"), which makes it absolute. */
static bool has_scheme(const char *url)
{
	if (!((*url >= 'a' && *url <= 'z') || (*url >= 'A' && *url <= 'Z')))
		return false;
	size_t n = strspn(url, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.");
	return url[n] == ':';
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Whether an IRI (RFC 3987) may hold the character `cp` as it is:
 * ASCII but controls, space and "<>\"\\^`{|}", a '%' only as the start of
 * a percent-encoded byte; beyond ASCII its ucschar, without the
 * bidirectional controls it forbids. */
static bool iri_char_ok(uint32_t cp, const unsigned char *s)
{
	if (cp < 0x80)
		return cp > 0x20 && cp != 0x7f && !strchr("<>\"\\^`{|}", (int)cp) &&
		       (cp != '%' || (is_hex((char)s[1]) && is_hex((char)s[2])));
	return cp >= 0xa0 && !safetext_is_control(cp) && !(cp >= 0xd800 && cp <= 0xf8ff) &&
	       !(cp >= 0xfdd0 && cp <= 0xfdef) && (cp & 0xfffe) != 0xfffe;
}

/* s as an IRI in an attribute or element: what an IRI may not hold
 * (iri_char_ok), or only in a file name (`path`: all but unreserved
 * characters and '/'), percent-encoded, byte by byte; '&' as "&amp;". */
static void put_iri(FILE *out, const char *str, bool path)
{
	const unsigned char *s = (const unsigned char *)str;
	while (*s) {
		uint32_t cp;
		size_t n = safetext_utf8(s, strnlen((const char *)s, 4), &cp);
		bool plain = n && (path ? cp < 0x80 && (strchr("-._~/", (int)cp) ||
		                                        (cp >= '0' && cp <= '9') ||
		                                        ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z'))
		                        : iri_char_ok(cp, s));
		if (!plain) {
			for (size_t i = 0; i < (n ? n : 1); i++)
				fprintf(out, "%%%02X", s[i]);
		} else if (cp == '&') {
			fputs("&amp;", out);
		} else {
			fwrite(s, 1, n, out);
		}
		s += n ? n : 1;
	}
}

/* The query's words with one space between them: white space means the
 * same however much of it there is ("-f" makes line breaks spaces). */
static void put_words(FILE *out, const char *q)
{
	const char *space = " \t\n\r\v\f";
	for (q += strspn(q, space); *q; q += strspn(q, space)) {
		size_t n = strcspn(q, space);
		fwrite(q, 1, n, out);
		q += n;
		if (q[strspn(q, space)])
			fputc(' ', out);
	}
}

void atom_name_id(const char *name, char out[ATOM_ID_SIZE])
{
	uuid_urn(name, strlen(name), NAME_FEED, out);
}

bool atom_feed_id(const atom_feed_key *k, char out[ATOM_ID_SIZE])
{
	/* One line a field, with a version: the same search names the same
	 * feed for as long as this text is written the same way. */
	char *key = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&key, &len);
	if (f) {
		fputs("newsgrep atom feed 1\n", f);
		for (size_t i = 0; i < k->nindexes; i++)
			fprintf(f, "index %s\n", k->indexes[i]);
		const newsgrep_search_options_t *o = k->opts;
		fputs("query ", f);
		put_words(f, k->query);
		fprintf(f, "\nfixed %d\nexact %d\nall-duplicates %d\nmax-expansion %llu\n",
		        o->fixed_strings, o->exact, o->all_duplicates,
		        (unsigned long long)o->max_expansion);
		if (o->has_since)
			fprintf(f, "since %s\n", k->since ? k->since : "");
		if (o->has_until)
			fprintf(f, "until %s\n", k->until ? k->until : "");
	}
	bool made = f && !ferror(f);
	if (f && fclose(f) != 0)
		made = false;
	if (made)
		uuid_urn(key, len, NAME_FEED, out);
	free(key);
	return made;
}

atom_feed *atom_feed_new(const char *title, const char *id)
{
	atom_feed *f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->title = strdup(title);
	f->entries = open_memstream(&f->buf, &f->len);
	if (!f->title || !f->entries) {
		atom_feed_free(f);
		return NULL;
	}
	snprintf(f->id, sizeof(f->id), "%s", id);
	return f;
}

void atom_feed_free(atom_feed *f)
{
	if (!f)
		return;
	if (f->entries)
		fclose(f->entries);
	free(f->buf);
	free(f->title);
	free(f);
}

/* The entry's <id> and <link rel="alternate">. */
static void put_entry_links(FILE *out, const newsgrep_hit_t *hit)
{
	bool absolute = has_scheme(hit->url);
	char id[ATOM_ID_SIZE];
	if (absolute) {
		fputs("    <id>", out);
		put_iri(out, hit->url, false);
		fputs("</id>\n    <link rel=\"alternate\" href=\"", out);
		put_iri(out, hit->url, false);
		fputs("\"/>\n", out);
		return;
	}
	if (*hit->url)
		uuid_urn(hit->url, strlen(hit->url), NAME_URL, id);
	else
		uuid_urn(hit->path, strlen(hit->path), NAME_PATH, id);
	fprintf(out, "    <id>%s</id>\n    <link rel=\"alternate\" href=\"file://", id);
	put_iri(out, hit->path, true);
	fputs("\"/>\n", out);
}

/* The hit's <entry> element into out; the time of its <updated>. */
static int64_t put_entry(FILE *out, const newsgrep_hit_t *hit)
{
	char date[32];
	bool dated = hit->has_date && format_rfc3339(hit->date, date, sizeof(date));
	if (!dated)
		format_rfc3339(0, date, sizeof(date));
	fputs("  <entry>\n", out);
	put_entry_links(out, hit);
	put_element(out, "    ", "title", *hit->title ? hit->title : "(untitled)");
	put_element(out, "    ", "updated", date);
	if (dated)
		put_element(out, "    ", "published", date);
	if (*hit->provider) {
		fputs("    <author>\n", out);
		put_element(out, "      ", "name", hit->provider);
		fputs("    </author>\n", out);
	}
	for (size_t i = 0; i < hit->ntopics; i++) {
		if (!*hit->topics[i])
			continue;
		fputs("    <category term=\"", out);
		put_xml(out, hit->topics[i], true);
		fputs("\"/>\n", out);
	}
	/* The passage that matched when it is the article's own (a related
	 * article's would be a wrong summary), else its excerpt. */
	bool own = *hit->snippet && strcmp(hit->snippet_from, "excerpt") == 0;
	const char *summary = own ? hit->snippet : hit->excerpt;
	if (*summary)
		put_element(out, "    ", "summary", summary);
	fputs("  </entry>\n", out);
	return dated ? hit->date : 0;
}

/* Counts an entry updated at `updated` into the feed's newest. */
static void count_entry(atom_feed *f, int64_t updated)
{
	if (ferror(f->entries))
		f->failed = true;
	if (!f->n++ || updated > f->newest)
		f->newest = updated;
}

bool atom_feed_add(atom_feed *f, const newsgrep_hit_t *hit)
{
	if (!f->marked) {
		count_entry(f, put_entry(f->entries, hit));
		return !f->failed;
	}
	char *xml;
	size_t len;
	int64_t updated;
	if (!(xml = atom_entry_xml(hit, &len, &updated))) {
		f->failed = true;
		return false;
	}
	bool ok = atom_feed_add_xml(f, xml, len, updated);
	free(xml);
	return ok;
}

char *atom_entry_xml(const newsgrep_hit_t *hit, size_t *len, int64_t *updated)
{
	char *buf = NULL;
	FILE *out = open_memstream(&buf, len);
	if (!out)
		return NULL;
	*updated = put_entry(out, hit);
	bool ok = !ferror(out);
	if (fclose(out) != 0 || !ok) {
		free(buf);
		return NULL;
	}
	return buf;
}

/* The first `needle` in s[0..len), or NULL (memmem is not C or POSIX). */
static const char *find(const char *s, size_t len, const char *needle)
{
	size_t n = strlen(needle);
	for (const char *p = s; n <= len && (size_t)(p - s) <= len - n; p++) {
		p = memchr(p, needle[0], len - n + 1 - (size_t)(p - s));
		if (!p)
			return NULL;
		if (memcmp(p, needle, n) == 0)
			return p;
	}
	return NULL;
}

/* The comment before an entry of a marked feed: "<!-- newsgrep-entry 1
 * UPDATED LENGTH XXH64 -->", then the entry's LENGTH bytes. */
#define MARK_START "<!-- newsgrep-entry 1 "
#define MARK_END " -->\n"

void atom_feed_set_marked(atom_feed *f)
{
	f->marked = true;
}

bool atom_feed_add_xml(atom_feed *f, const char *xml, size_t len, int64_t updated)
{
	if (f->marked)
		fprintf(f->entries, MARK_START "%lld %zu %016llx" MARK_END, (long long)updated, len,
		        (unsigned long long)XXH3_64bits(xml, len));
	fwrite(xml, 1, len, f->entries);
	count_entry(f, updated);
	return !f->failed;
}

/* Whether xml[0..len) may be an entry this file wrote: the element,
 * whole, with no other element of the feed's level, comment, CDATA or
 * processing instruction in it, and only text XML 1.0 may hold. */
static bool entry_plausible(const char *xml, size_t len)
{
	static const char open[] = "  <entry>\n", close[] = "  </entry>\n";
	if (len < sizeof(open) + sizeof(close) || memcmp(xml, open, sizeof(open) - 1) != 0 ||
	    memcmp(xml + len - (sizeof(close) - 1), close, sizeof(close) - 1) != 0)
		return false;
	const unsigned char *s = (const unsigned char *)xml, *end = s + len;
	for (const unsigned char *p = s; p < end;) {
		uint32_t cp;
		size_t n = safetext_utf8(p, (size_t)(end - p), &cp);
		if (n == 0 || !xml_char_ok(cp))
			return false;
		p += n;
	}
	const char *inner = xml + sizeof(open) - 1;
	size_t inner_len = len - (sizeof(open) - 1) - (sizeof(close) - 1);
	static const char *const banned[] = {"<entry", "</entry", "<!", "<?", "</feed", "<feed"};
	for (size_t i = 0; i < sizeof(banned) / sizeof(*banned); i++)
		if (find(inner, inner_len, banned[i]))
			return false;
	return true;
}

size_t atom_feed_read_marked(const char *doc, size_t len, atom_entry_fn fn, void *ctx)
{
	size_t found = 0;
	const char *p = doc, *end = doc + len;
	while ((p = find(p, (size_t)(end - p), MARK_START))) {
		p += strlen(MARK_START);
		char head[96];
		size_t n =
		    (size_t)(end - p) < sizeof(head) - 1 ? (size_t)(end - p) : sizeof(head) - 1;
		memcpy(head, p, n);
		head[n] = '\0';
		long long updated;
		unsigned long long hash;
		size_t xml_len;
		int used = 0;
		if (sscanf(head, "%lld %zu %16llx -->%n", &updated, &xml_len, &hash, &used) != 3 ||
		    used == 0 || head[used] != '\n')
			continue;
		const char *xml = p + used + 1;
		if (xml_len > (size_t)(end - xml) || XXH3_64bits(xml, xml_len) != hash ||
		    !entry_plausible(xml, xml_len))
			continue;
		found++;
		if (fn(ctx, xml, xml_len, (int64_t)updated))
			break;
		p = xml + xml_len;
	}
	return found;
}

bool atom_feed_write(const atom_feed *f, FILE *out, int64_t now)
{
	if (f->failed || fflush(f->entries) != 0)
		return false;
	char updated[32];
	if (!format_rfc3339(f->n ? f->newest : now, updated, sizeof(updated)))
		format_rfc3339(0, updated, sizeof(updated));
	fputs("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"" ATOM_NS "\">\n", out);
	put_element(out, "  ", "id", f->id);
	put_element(out, "  ", "title", f->title);
	put_element(out, "  ", "updated", updated);
	fputs("  <author>\n    <name>newsgrep</name>\n  </author>\n", out);
	fputs("  <generator version=\"", out);
	put_xml(out, newsgrep_version(), true);
	fputs("\">newsgrep</generator>\n", out);
	fwrite(f->buf, 1, f->len, out);
	fputs("</feed>\n", out);
	return true;
}

void print_atom_hit(FILE *out, const newsgrep_hit_t *hit, const print_opts *o)
{
	(void)out; /* the feed is written whole, at the end */
	atom_feed_add(o->feed, hit);
}
