/*
 * test_frontmatter.c - unit tests for core/frontmatter.c (ng_frontmatter_parse).
 *
 * Three parts: every article in corpus/ (with values checked against the
 * files, computed independently with PyYAML), every fixture in
 * tests/fixtures/broken/ as its README describes it, and hand-made buffers.
 * Every input is parsed twice: from a malloc'd block of exactly its length
 * (for AddressSanitizer) and from a copy that ends exactly at an
 * inaccessible page, so a read past it faults even inside libyaml or
 * utf8proc, which AddressSanitizer does not instrument.  Both are freed
 * before the article is looked at, so a field pointing into the input is
 * caught too.
 */
#include "ng.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"

/* ---- helpers ---- */

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (p == NULL) {
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	return p;
}

/* Reads a whole file into a heap block of exactly its size; NULL on error. */
static char *read_whole(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	struct stat st;
	if (fstat(fileno(f), &st) != 0 || st.st_size < 0) {
		fclose(f);
		return NULL;
	}
	size_t n = (size_t)st.st_size;
	char *buf = xmalloc(n);
	size_t got = n ? fread(buf, 1, n, f) : 0;
	fclose(f);
	if (got != n) {
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

static const char *source_dir(void)
{
	const char *d = getenv("NEWSGREP_SOURCE_DIR");
	if (d == NULL || *d == '\0') {
		fprintf(stderr, "NEWSGREP_SOURCE_DIR is not set\n");
		exit(2);
	}
	return d;
}

#define MAX_WARNINGS 16

typedef struct warnings {
	size_t n;
	ng_file_problem w[MAX_WARNINGS];
} warnings;

static void collect(void *ctx, const ng_file_problem *p)
{
	warnings *ws = ctx;
	if (ws->n < MAX_WARNINGS)
		ws->w[ws->n] = *p;
	ws->n++;
}

/* One parse: the result, the error and the warnings. */
typedef struct parsed {
	bool ok;
	ng_article a;
	ng_file_problem err;
	warnings ws;
} parsed;

static ng_arena arena;

/* A copy of s[0..len) that ends right where an inaccessible page starts:
 * AddressSanitizer only sees reads made by instrumented code, and libyaml
 * and utf8proc are not, so a read past the end by them faults here. */
typedef struct guarded {
	char *data;
	void *base;
	size_t size;
} guarded;

static guarded guarded_copy(const char *s, size_t len)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	guarded g;
	g.size = (len + page - 1) / page * page + page;
	g.base = mmap(NULL, g.size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (g.base == MAP_FAILED ||
	    mprotect((char *)g.base + g.size - page, page, PROT_NONE) != 0) {
		fprintf(stderr, "cannot map a guarded buffer\n");
		exit(2);
	}
	g.data = (char *)g.base + g.size - page - len;
	if (len)
		memcpy(g.data, s, len);
	return g;
}

/* Parses buf[0..len) twice: from a malloc'd block of exactly len bytes
 * (AddressSanitizer sees reads before or after it by core code), then from
 * a copy that ends at a guard page, which gives *r.  Both copies are gone
 * before returning (the article's strings live in `arena`, so a pointer
 * into the input would be caught when the fields are checked). */
static void parse_buf(parsed *r, const char *buf, size_t len)
{
	static parsed first;
	char *copy = exact_copy(buf, len);
	memset(&first, 0, sizeof(first));
	ng_arena_reset(&arena);
	first.ok =
	    ng_frontmatter_parse(copy, len, &arena, &first.a, &first.err, collect, &first.ws);
	free(copy);

	guarded g = guarded_copy(buf, len);
	memset(r, 0, sizeof(*r));
	ng_arena_reset(&arena);
	r->ok = ng_frontmatter_parse(g.data, len, &arena, &r->a, &r->err, collect, &r->ws);
	munmap(g.base, g.size);

	if (first.ok != r->ok || first.ws.n != r->ws.n || first.err.line != r->err.line ||
	    first.err.column != r->err.column || strcmp(first.err.message, r->err.message) != 0) {
		fprintf(stderr, "%s:%d: two parses of the same %zu bytes differ\n", __FILE__,
		        __LINE__, len);
		failures++;
	}
}

#define PARSE(r, lit) parse_buf(r, lit, sizeof(lit) - 1)

/* Parses the file at source_dir()/rel; false when it cannot be read. */
static bool parse_file(parsed *r, const char *rel)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", source_dir(), rel);
	size_t len = 0;
	char *buf = read_whole(path, &len);
	if (buf == NULL) {
		fprintf(stderr, "cannot read %s\n", path);
		failures++;
		memset(r, 0, sizeof(*r));
		return false;
	}
	parse_buf(r, buf, len);
	free(buf);
	return true;
}

static void int_is(int line, const char *what, long long got, long long want)
{
	if (got != want) {
		fprintf(stderr, "%s:%d: %s is %lld, want %lld\n", __FILE__, line, what, got, want);
		failures++;
	}
}
#define INT_IS(got, want) int_is(__LINE__, #got, (long long)(got), (long long)(want))

/* The parse succeeded with exactly `nwarn` warnings. */
static void ok_with(int line, const char *name, const parsed *r, size_t nwarn)
{
	if (!r->ok) {
		fprintf(stderr, "%s:%d: %s: parse failed at %lu:%lu: %s\n", __FILE__, line, name,
		        r->err.line, r->err.column, r->err.message);
		failures++;
		return;
	}
	if (r->ws.n != nwarn) {
		fprintf(stderr, "%s:%d: %s: %zu warning(s), want %zu\n", __FILE__, line, name,
		        r->ws.n, nwarn);
		for (size_t i = 0; i < r->ws.n && i < MAX_WARNINGS; i++)
			fprintf(stderr, "    %lu:%lu: %s\n", r->ws.w[i].line, r->ws.w[i].column,
			        r->ws.w[i].message);
		failures++;
	}
}
#define OK_WITH(name, r, nwarn) ok_with(__LINE__, name, r, nwarn)

/* Warning i is at line:col (0 = do not check) and mentions every phrase. */
static void warning_is(int line, const char *name, const parsed *r, size_t i, unsigned long wl,
                       unsigned long wc, const char *phrase1, const char *phrase2)
{
	if (i >= r->ws.n || i >= MAX_WARNINGS) {
		fprintf(stderr, "%s:%d: %s: no warning #%zu\n", __FILE__, line, name, i);
		failures++;
		return;
	}
	const ng_file_problem *w = &r->ws.w[i];
	if ((wl && w->line != wl) || (wc && w->column != wc) ||
	    (phrase1 && strstr(w->message, phrase1) == NULL) ||
	    (phrase2 && strstr(w->message, phrase2) == NULL)) {
		fprintf(stderr,
		        "%s:%d: %s: warning %lu:%lu \"%s\", want %lu:%lu with \"%s\"%s%s%s\n",
		        __FILE__, line, name, w->line, w->column, w->message, wl, wc, phrase1,
		        phrase2 ? " and \"" : "", phrase2 ? phrase2 : "", phrase2 ? "\"" : "");
		failures++;
	}
}
#define WARNING_IS(name, r, i, l, c, p1, p2) warning_is(__LINE__, name, r, i, l, c, p1, p2)

/* The parse failed at line:col (0 = do not check) with `phrase` in the message. */
static void fails_with(int line, const char *name, const parsed *r, unsigned long el,
                       unsigned long ec, const char *phrase)
{
	if (r->ok) {
		fprintf(stderr, "%s:%d: %s: parse succeeded, want an error with \"%s\"\n", __FILE__,
		        line, name, phrase);
		failures++;
		return;
	}
	if ((el && r->err.line != el) || (ec && r->err.column != ec) ||
	    strstr(r->err.message, phrase) == NULL) {
		fprintf(stderr, "%s:%d: %s: error %lu:%lu \"%s\", want %lu:%lu with \"%s\"\n",
		        __FILE__, line, name, r->err.line, r->err.column, r->err.message, el, ec,
		        phrase);
		failures++;
	}
	/* Warnings may come before the error (the indexer drops them then). */
}
#define FAILS_WITH(name, r, l, c, phrase) fails_with(__LINE__, name, r, l, c, phrase)

/* No '\r' anywhere in s (NULL is fine). */
static bool no_cr(const char *s)
{
	return s == NULL || strchr(s, '\r') == NULL;
}

static double now_seconds(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- corpus/ ---- */

/* Facts about every corpus file, computed with PyYAML (safe_load) and
 * `date -u`: the publication time, the numbers of related items and
 * topics, and the lengths in bytes of the decoded title and excerpt. */
static const struct corpus_file {
	const char *path;
	long long date;
	size_t nrelated, ntopics, title_len, excerpt_len;
} corpus_files[] = {
    {"ai/2013-07-04-from-chess-to-ping-pong-how-pegasystems-is-capturing-the-fortune-500.md",
     1372955760LL, 0, 1, 69, 196},
    {"ai/2014-10-20-beckers-health-it-and-cio-report-e-newsletter.md", 1413757080LL, 0, 1, 46, 198},
    {"ai/2016-02-23-trolls-vs-pirates-halostryker-oral-arguments.md", 1456244220LL, 0, 1, 46, 255},
    {"ai/2017-07-24-become-an-ft-subscriber-to-read.md", 1500840240LL, 0, 1, 32, 195},
    {"ai/2019-06-28-police-body-camera-maker-decides-against-using-facial-recognition.md",
     1561660560LL, 0, 2, 65, 191},
    {"ai/"
     "2021-03-11-worldwide-ai-in-computer-vision-industry-to-2027-rise-in-demand-for-automating-"
     "processes-across-industries-presents-opportunities-researchandmarke.md",
     1615460280LL, 0, 2, 150, 255},
    {"ai/2022-03-04-prescription-for-advancing-healthcare-artificial-intelligence.md", 1646332620LL,
     2, 2, 62, 65},
    {"ai/2022-05-20-deepminds-alphafold-2-is-half-of-the-story.md", 1653022920LL, 9, 2, 45, 143},
    {"ai/"
     "2023-03-10-using-amazon-sagemaker-with-point-clouds-part-1-ground-truth-for-3d-labeling.md",
     1678472454LL, 4, 2, 78, 302},
    {"ai/"
     "2023-05-09-ibm-remember-watson-its-still-around-ready-to-give-your-business-an-ai-upgrade.md",
     1683637380LL, 19, 2, 82, 179},
    {"ai/"
     "2023-11-23-what-does-sam-altmans-firing-and-quick-reinstatement-mean-for-the-future-of-ai.md",
     1700752200LL, 32, 1, 90, 198},
    {"ai/2023-12-15-intel-releases-its-own-ai-chip.md", 1702635840LL, 8, 2, 30, 219},
    {"ai/2024-03-07-how-nvidia-leads-the-world-by-making-ai-user-friendly.md", 1709752440LL, 3, 2,
     53, 132},
    {"powerapps/2019-08-26-microsoft-power-apps-portals-2019-release-wave-2-overview.md",
     1566831616LL, 0, 2, 59, 306},
    {"powerapps/"
     "2020-09-22-now-in-preview-customize-teams-with-built-in-power-platform-capabilities.md",
     1600761600LL, 0, 2, 73, 305},
    {"powerapps/2020-11-09-planar-transformers-settle-into-poe-48-v-network-power-apps.md",
     1604880000LL, 0, 1, 63, 193},
    {"powerapps/2021-08-24-38m-records-exposed-via-microsoft-power-apps-misconfiguration.md",
     1629750420LL, 0, 1, 61, 224},
    {"powerapps/"
     "2021-08-27-microsoft-makes-power-apps-changes-following-asensitive-dataa-exposure-upguard.md",
     1629997500LL, 0, 1, 92, 259},
    {"powerapps/2021-08-28-38m-records-exposed-via-microsoft-power-apps-misconfiguration.md",
     1630108020LL, 0, 1, 61, 193},
    {"powerapps/"
     "2021-10-09-october-power-apps-community-call-pokemon-bubbles-microsoft-certification-and-"
     "patterns-and-practices-samples.md",
     1633770021LL, 0, 1, 111, 325},
    {"powerapps/2023-07-07-announcing-public-preview-of-ip-firewall-in-dataverse.md", 1688691600LL,
     0, 1, 53, 300},
    {"powerapps/2023-10-10-dataverse-low-code-plug-ins-now-in-public-preview.md", 1696966260LL, 0,
     1, 53, 303},
    {"powerapps/2023-10-20-copilot-in-power-apps-commercially-released.md", 1697745060LL, 0, 1, 43,
     117},
    {"powerapps/"
     "2024-03-20-control-access-to-dataverse-with-ip-firewall-secure-your-data-with-ease.md",
     1710975501LL, 0, 1, 72, 300},
    {"powerapps/2024-04-11-april-2024-alm-blog-whats-new-and-what-it-means-for-you.md",
     1712822416LL, 0, 1, 59, 280},
    {"seeds/000_21fff29c15f39abc.txt", 1703030340LL, 1, 2, 78, 256},
    {"seeds/001_22cd2ad8bb3a4915.txt", 1688728020LL, 3, 2, 71, 227},
    {"seeds/002_f20c2178ff692251.txt", 1703184180LL, 1, 1, 81, 251},
    {"seeds/003_c8f0aaa0abab2964.txt", 1683464400LL, 2, 2, 69, 135},
    {"seeds/004_c60ec760bb7e258f.txt", 1683556560LL, 11, 2, 80, 284},
};
#define NCORPUS (sizeof(corpus_files) / sizeof(corpus_files[0]))

typedef struct path_list {
	char **items;
	size_t n, cap;
} path_list;

/* Collects the paths (relative to the walk's root) of all regular files
 * below dir, skipping dotfiles and README.md. */
static void list_files(const char *root, const char *rel, path_list *out)
{
	char dir[4096];
	snprintf(dir, sizeof dir, "%s%s%s", root, *rel ? "/" : "", rel);
	DIR *d = opendir(dir);
	if (d == NULL) {
		fprintf(stderr, "cannot open folder %s\n", dir);
		failures++;
		return;
	}
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || strcmp(e->d_name, "README.md") == 0)
			continue;
		char sub[4096], full[8192];
		snprintf(sub, sizeof sub, "%s%s%s", rel, *rel ? "/" : "", e->d_name);
		snprintf(full, sizeof full, "%s/%s", root, sub);
		struct stat st;
		if (stat(full, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			list_files(root, sub, out);
		} else if (S_ISREG(st.st_mode)) {
			if (out->n == out->cap) {
				out->cap = out->cap ? out->cap * 2 : 64;
				out->items = realloc(out->items, out->cap * sizeof(*out->items));
				if (out->items == NULL) {
					fprintf(stderr, "out of memory\n");
					exit(2);
				}
			}
			out->items[out->n++] = strdup(sub);
		}
	}
	closedir(d);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static const struct corpus_file *corpus_fact(const char *rel)
{
	for (size_t i = 0; i < NCORPUS; i++)
		if (strcmp(corpus_files[i].path, rel) == 0)
			return &corpus_files[i];
	return NULL;
}

/* Every file in corpus/ parses cleanly and agrees with the table. */
static void test_corpus_all(void)
{
	char root[4096];
	snprintf(root, sizeof root, "%s/corpus", source_dir());
	path_list files = {0};
	list_files(root, "", &files);
	qsort(files.items, files.n, sizeof(*files.items), cmp_str);
	INT_IS(files.n, NCORPUS);

	for (size_t i = 0; i < files.n; i++) {
		const char *rel = files.items[i];
		char where[4200];
		snprintf(where, sizeof where, "corpus/%s", rel);
		const struct corpus_file *want = corpus_fact(rel);
		if (want == NULL) {
			fprintf(stderr, "%s:%d: %s is not in the table of corpus files\n", __FILE__,
			        __LINE__, where);
			failures++;
		}
		parsed r;
		if (!parse_file(&r, where))
			continue;
		ok_with(__LINE__, where, &r, 0);
		if (!r.ok)
			continue;
		const ng_article *a = &r.a;
		bool good = a->title != NULL && a->title[0] != '\0' && a->has_date &&
		            a->excerpt != NULL && a->provider_name != NULL && a->type != NULL &&
		            ng_article_url(a)[0] != '\0' && no_cr(a->title) &&
		            no_cr(a->provider_name);
		if (want != NULL)
			good = good && a->date == want->date && a->nrelated == want->nrelated &&
			       a->ntopics == want->ntopics && strlen(a->title) == want->title_len &&
			       a->excerpt != NULL && strlen(a->excerpt) == want->excerpt_len;
		for (size_t t = 0; t < a->ntopics; t++)
			good = good && a->topics[t] != NULL && a->topics[t][0] != '\0';
		/* every related item in the corpus has these */
		for (size_t k = 0; k < a->nrelated; k++) {
			const ng_related *rel_item = &a->related[k];
			good = good && rel_item->title != NULL && rel_item->url != NULL &&
			       rel_item->has_date && rel_item->provider_name != NULL;
		}
		if (!good) {
			fprintf(
			    stderr,
			    "%s:%d: %s: title=%s (%zu bytes) has_date=%d date=%lld nrelated=%zu "
			    "ntopics=%zu excerpt %zu bytes; want date=%lld nrelated=%zu "
			    "ntopics=%zu "
			    "title %zu bytes excerpt %zu bytes\n",
			    __FILE__, __LINE__, where, a->title ? a->title : "NULL",
			    a->title ? strlen(a->title) : 0, a->has_date, (long long)a->date,
			    a->nrelated, a->ntopics, a->excerpt ? strlen(a->excerpt) : 0,
			    want ? want->date : 0, want ? want->nrelated : 0,
			    want ? want->ntopics : 0, want ? want->title_len : 0,
			    want ? want->excerpt_len : 0);
			failures++;
		}
	}
	for (size_t i = 0; i < files.n; i++)
		free(files.items[i]);
	free(files.items);
}

static void test_corpus_seed000(void)
{
	parsed r;
	const char *name = "corpus/seeds/000_21fff29c15f39abc.txt";
	if (!parse_file(&r, name))
		return;
	OK_WITH(name, &r, 0);
	if (!r.ok)
		return;
	const ng_article *a = &r.a;
	STR_IS(a->title,
	       "Chinese Startup Moore Threads Defies US Sanctions with New GPU-Based AI Center");
	CHECK(a->has_date);
	INT_IS(a->date, 1703030340); /* 2023-12-19T23:59:00Z */
	STR_IS(a->provider_name, "Gizmochina");
	STR_IS(a->provider_domain, "gizmochina.com");
	STR_IS(a->type, "article");
	STR_IS(a->original_url,
	       "https://www.gizmochina.com/2023/12/20/moore-threads-us-sanctions-gpu-based-ai/");
	STR_IS(a->web_url,
	       "https://www.gizmochina.com/2023/12/20/moore-threads-us-sanctions-gpu-based-ai/");
	STR_IS(ng_article_url(a),
	       "https://www.gizmochina.com/2023/12/20/moore-threads-us-sanctions-gpu-based-ai/");
	CHECK(a->excerpt != NULL &&
	      strncmp(a->excerpt, "especially in sensitive areas like AI and chip manufacturing.",
	              61) == 0);
	CHECK(a->excerpt != NULL && strlen(a->excerpt) == 256);
	CHECK(a->has_quality);
	INT_IS(a->quality, 60);
	CHECK(a->has_heat);
	INT_IS(a->heat, -1);
	CHECK(a->has_published);
	CHECK(!a->published);
	INT_IS(a->ntopics, 2);
	if (a->ntopics == 2) {
		STR_IS(a->topics[0], "AI Hardware");
		STR_IS(a->topics[1], "AI");
	}
	INT_IS(a->nrelated, 1);
	if (a->nrelated == 1) {
		const ng_related *rel = &a->related[0];
		STR_IS(rel->title,
		       "Propelled by \xe2\x80\x98science for humanity,\xe2\x80\x99 this Chinese AI "
		       "startup sets sight on US");
		STR_IS(rel->provider_name, "TechCrunch");
		STR_IS(rel->provider_domain, "techcrunch.com");
		/* webUrl, not ampWebUrl or cdnAmpWebUrl */
		STR_IS(rel->url, "https://techcrunch.com/2023/12/21/ai-for-science-dp-technology/");
		CHECK(rel->has_date);
		INT_IS(rel->date, 1703184180); /* 2023-12-21T18:43:00Z */
		CHECK(rel->excerpt != NULL &&
		      strncmp(rel->excerpt, "One bold startup called DP", 26) == 0);
	}
}

static void test_corpus_other_files(void)
{
	parsed r;
	const char *name;

	/* the long one */
	name = "corpus/ai/"
	       "2023-11-23-what-does-sam-altmans-firing-and-quick-reinstatement-mean-for-the-"
	       "future-of-ai.md";
	if (parse_file(&r, name)) {
		OK_WITH(name, &r, 0);
		STR_IS(r.a.title, "What does Sam Altman\xe2\x80\x99s firing \xe2\x80\x94 and quick "
		                  "reinstatement \xe2\x80\x94 mean for the future of AI?");
		INT_IS(r.a.nrelated, 32);
		INT_IS(r.a.date, 1700752200);
		if (r.a.nrelated == 32) {
			STR_IS(r.a.related[0].title, "Sam Altman returns as OpenAI CEO after days "
			                             "of infighting at AI startup");
			STR_IS(r.a.related[1].title, "AI Wizard Sam Altman Shows What Real "
			                             "Leadership Is. His Bosses Were Clueless");
		}
	}

	/* a video with no related items and no webUrl */
	name = "corpus/powerapps/"
	       "2019-08-26-microsoft-power-apps-portals-2019-release-wave-2-overview.md";
	if (parse_file(&r, name)) {
		OK_WITH(name, &r, 0);
		STR_IS(r.a.title, "Microsoft Power Apps Portals | 2019 release wave 2 overview");
		STR_IS(r.a.type, "video");
		INT_IS(r.a.nrelated, 0);
		CHECK(r.a.web_url == NULL);
		CHECK(r.a.original_url != NULL && ng_article_url(&r.a) == r.a.original_url);
		CHECK(r.a.has_quality);
		INT_IS(r.a.quality, 154);
		INT_IS(r.a.date, 1566831616);
		INT_IS(r.a.ntopics, 2);
		if (r.a.ntopics == 2) {
			STR_IS(r.a.topics[0], "Power Apps");
			STR_IS(r.a.topics[1], "Portals");
		}
	}

	/* no originalUrl: the URL is the webUrl */
	name = "corpus/ai/"
	       "2013-07-04-from-chess-to-ping-pong-how-pegasystems-is-capturing-the-fortune-500.md";
	if (parse_file(&r, name)) {
		OK_WITH(name, &r, 0);
		CHECK(r.a.original_url == NULL);
		CHECK(r.a.web_url != NULL && ng_article_url(&r.a) == r.a.web_url);
		CHECK(r.a.has_quality);
		INT_IS(r.a.quality, 142);
	}

	/* no quality, heat or published */
	name = "corpus/ai/2014-10-20-beckers-health-it-and-cio-report-e-newsletter.md";
	if (parse_file(&r, name)) {
		OK_WITH(name, &r, 0);
		STR_IS(r.a.title, "Becker's Health IT and CIO Report E-Newsletter");
		CHECK(!r.a.has_quality && !r.a.has_heat && !r.a.has_published);
	}

	/* \n escape: the excerpt ends with a real newline */
	name = "corpus/powerapps/"
	       "2024-04-11-april-2024-alm-blog-whats-new-and-what-it-means-for-you.md";
	if (parse_file(&r, name)) {
		OK_WITH(name, &r, 0);
		const char *e = r.a.excerpt;
		CHECK(e != NULL && strlen(e) == 280);
		CHECK(e != NULL && strlen(e) > 9 && strcmp(e + strlen(e) - 9, "growth.\n\n") != 0 &&
		      strcmp(e + strlen(e) - 8, "growth.\n") == 0);
		CHECK(e != NULL && strchr(e, '\\') == NULL);
		/* the curly apostrophe stays as UTF-8 */
		CHECK(e != NULL && strstr(e, "organization\xe2\x80\x99s ALM") != NULL);
		STR_IS(r.a.title,
		       "April 2024 ALM blog: What\xe2\x80\x99s new and what it means for you");
	}

	/* \n escapes in the middle of an excerpt */
	name =
	    "corpus/powerapps/"
	    "2024-03-20-control-access-to-dataverse-with-ip-firewall-secure-your-data-with-ease.md";
	if (parse_file(&r, name)) {
		OK_WITH(name, &r, 0);
		const char *e = r.a.excerpt;
		CHECK(e != NULL &&
		      strncmp(e, "Key Benefits:\nAccess Control: With the IP firewall", 50) == 0);
		CHECK(e != NULL && strstr(e, "secure.\nRisk Mitigation:") != NULL);
		CHECK(e != NULL && strchr(e, '\\') == NULL);
	}

	/* \" escapes */
	name = "corpus/ai/"
	       "2021-03-11-worldwide-ai-in-computer-vision-industry-to-2027-rise-in-demand-for-"
	       "automating-processes-across-industries-presents-opportunities-researchandmarke.md";
	if (parse_file(&r, name)) {
		OK_WITH(name, &r, 0);
		const char *e = r.a.excerpt;
		CHECK(e != NULL &&
		      strncmp(
		          e, "DUBLIN--(BUSINESS WIRE)--The \"AI in Computer Vision Market Forecast",
		          67) == 0);
		CHECK(e != NULL && strstr(e, "End-User\" report has been added") != NULL);
		CHECK(e != NULL && strchr(e, '\\') == NULL);
		STR_IS(r.a.provider_name,
		       "\xec\x95\x84\xed\x81\xac\xeb\xa1\x9c\xed\x8c\xac"); /* 아크로팬 */
	}

	/* \r\n escapes become a real CR LF inside the excerpt (after a NBSP) */
	name = "corpus/powerapps/"
	       "2020-09-22-now-in-preview-customize-teams-with-built-in-power-platform-"
	       "capabilities.md";
	if (parse_file(&r, name)) {
		OK_WITH(name, &r, 0);
		const char *e = r.a.excerpt;
		CHECK(e != NULL && strstr(e, "Power Platform.\xc2\xa0\r\n\r\nAs the") != NULL);
		CHECK(e != NULL && strcmp(e + strlen(e) - 6, "\r\nAs the") != 0);
		CHECK(e != NULL && strlen(e) >= 6 && strcmp(e + strlen(e) - 6, "As the") == 0);
	}

	/* HTML entities are text, not decoded */
	name =
	    "corpus/powerapps/2023-07-07-announcing-public-preview-of-ip-firewall-in-dataverse.md";
	if (parse_file(&r, name)) {
		OK_WITH(name, &r, 0);
		CHECK(r.a.excerpt != NULL &&
		      strncmp(r.a.excerpt, "During the BUILD&#8217;23, we", 29) == 0);
	}

	/* two soft hyphens (U+00AD) start the title */
	name = "corpus/powerapps/2023-10-10-dataverse-low-code-plug-ins-now-in-public-preview.md";
	if (parse_file(&r, name)) {
		OK_WITH(name, &r, 0);
		STR_IS(r.a.title, "\xc2\xad\xc2\xad"
		                  "Dataverse Low Code Plug-ins now in public preview");
	}

	/* seed 004: 11 related items, heat -1 */
	name = "corpus/seeds/004_c60ec760bb7e258f.txt";
	if (parse_file(&r, name)) {
		OK_WITH(name, &r, 0);
		INT_IS(r.a.nrelated, 11);
		CHECK(r.a.has_heat);
		INT_IS(r.a.heat, -1);
	}
}

/* ---- tests/fixtures/broken/ ---- */

/* The fixtures this test knows; a new fixture must be added here. */
static const char *const fixture_names[] = {
    "alias-bomb.md",
    "bad-date.md",
    "binary-garbage.md",
    "bom.md",
    "crlf.md",
    "empty.md",
    "invalid-yaml-indentation.md",
    "invalid-yaml-unclosed-flow.md",
    "latin1-title.md",
    "list-front-matter.md",
    "no-front-matter.md",
    "truncated-yaml.md",
    "wrong-type-excerpt.md",
    "wrong-type-related.md",
    "wrong-type-title.md",
    "wrong-type-topics.md",
};

static void test_fixture_list(void)
{
	char root[4096];
	snprintf(root, sizeof root, "%s/tests/fixtures/broken", source_dir());
	path_list files = {0};
	list_files(root, "", &files);
	size_t n = sizeof(fixture_names) / sizeof(fixture_names[0]);
	INT_IS(files.n, n);
	for (size_t i = 0; i < files.n; i++) {
		bool known = false;
		for (size_t j = 0; j < n; j++)
			known = known || strcmp(files.items[i], fixture_names[j]) == 0;
		if (!known) {
			fprintf(stderr, "%s:%d: fixture %s is not tested here\n", __FILE__,
			        __LINE__, files.items[i]);
			failures++;
		}
		free(files.items[i]);
	}
	free(files.items);
}

#define FIX "tests/fixtures/broken/"

/* The fields every warned-about fixture still has: the article minus the
 * field in question. */
static void common_fields(int line, const char *name, const ng_article *a, long long date,
                          const char *url)
{
	bool good = a->excerpt != NULL && a->has_date && a->date == date && a->type != NULL &&
	            strcmp(a->type, "article") == 0 && a->provider_name != NULL &&
	            strcmp(a->provider_name, "Example News") == 0 && a->provider_domain != NULL &&
	            strcmp(a->provider_domain, "example.com") == 0 && a->ntopics == 1 &&
	            strcmp(a->topics[0], "AI") == 0 && a->original_url != NULL &&
	            strcmp(a->original_url, url) == 0;
	if (!good) {
		fprintf(stderr, "%s:%d: %s: some of the other fields are missing or wrong\n",
		        __FILE__, line, name);
		failures++;
	}
}

static void test_fixtures_skipped(void)
{
	parsed r;
	const char *name;

	name = FIX "truncated-yaml.md";
	if (parse_file(&r, name))
		FAILS_WITH(name, &r, 1, 1, "not closed");

	/* libyaml: "did not find expected ',' or ']'" at 4:8 "while parsing a flow
	 * sequence" (started at 3:8) */
	name = FIX "invalid-yaml-unclosed-flow.md";
	if (parse_file(&r, name)) {
		FAILS_WITH(name, &r, 4, 8, "invalid YAML");
		FAILS_WITH(name, &r, 4, 8, "did not find expected ',' or ']'");
		FAILS_WITH(name, &r, 4, 8, "while parsing a flow sequence");
	}

	name = FIX "invalid-yaml-indentation.md";
	if (parse_file(&r, name)) {
		FAILS_WITH(name, &r, 8, 3, "invalid YAML");
		FAILS_WITH(name, &r, 8, 3, "did not find expected key");
		FAILS_WITH(name, &r, 8, 3, "while parsing a block mapping");
	}

	name = FIX "no-front-matter.md";
	if (parse_file(&r, name))
		FAILS_WITH(name, &r, 1, 1, "no front matter");

	name = FIX "empty.md";
	if (parse_file(&r, name))
		FAILS_WITH(name, &r, 1, 1, "file is empty");

	/* invalid UTF-8 at 2:1 comes before the NUL at offset 149 and before the
	 * missing closing line */
	name = FIX "binary-garbage.md";
	if (parse_file(&r, name))
		FAILS_WITH(name, &r, 2, 1, "invalid UTF-8");

	name = FIX "latin1-title.md";
	if (parse_file(&r, name)) {
		FAILS_WITH(name, &r, 3, 12, "invalid UTF-8");
		FAILS_WITH(name, &r, 3, 12, "0xe9");
	}

	name = FIX "list-front-matter.md";
	if (parse_file(&r, name)) {
		FAILS_WITH(name, &r, 2, 1, "not a mapping");
		FAILS_WITH(name, &r, 2, 1, "a list");
	}
}

static void test_fixtures_warned(void)
{
	parsed r;
	const char *name;

	name = FIX "wrong-type-title.md";
	if (parse_file(&r, name)) {
		OK_WITH(name, &r, 1);
		WARNING_IS(name, &r, 0, 4, 3, "title", "expected a string, found a list");
		CHECK(r.a.title == NULL);
		common_fields(__LINE__, name, &r.a, 1646474400, "https://example.com/okapivot");
		CHECK(r.a.excerpt && strncmp(r.a.excerpt, "Okapivot:", 9) == 0);
	}

	name = FIX "wrong-type-excerpt.md";
	if (parse_file(&r, name)) {
		OK_WITH(name, &r, 1);
		WARNING_IS(name, &r, 0, 5, 3, "excerpt", "expected a string, found a mapping");
		CHECK(r.a.excerpt == NULL);
		STR_IS(r.a.title, "Tapirglow article whose excerpt is a mapping");
		/* everything after the skipped mapping is still read */
		CHECK(r.a.has_date && r.a.date == 1646560800);
		STR_IS(r.a.original_url, "https://example.com/tapirglow");
		STR_IS(r.a.provider_name, "Example News");
		INT_IS(r.a.ntopics, 1);
	}

	name = FIX "wrong-type-topics.md";
	if (parse_file(&r, name)) {
		OK_WITH(name, &r, 1);
		WARNING_IS(name, &r, 0, 11, 9, "topics", "expected a list, found a string");
		INT_IS(r.a.ntopics, 0);
		STR_IS(r.a.title, "Lemurquill article whose topics field is a plain string");
		CHECK(r.a.has_date && r.a.date == 1646647200);
		STR_IS(r.a.provider_domain, "example.com");
	}

	name = FIX "wrong-type-related.md";
	if (parse_file(&r, name)) {
		OK_WITH(name, &r, 1);
		WARNING_IS(name, &r, 0, 13, 10, "related", "expected a list, found a string");
		INT_IS(r.a.nrelated, 0);
		STR_IS(r.a.title, "Ibexton article whose related field is a scalar");
		common_fields(__LINE__, name, &r.a, 1646733600, "https://example.com/ibexton");
	}

	name = FIX "bad-date.md";
	if (parse_file(&r, name)) {
		OK_WITH(name, &r, 1);
		WARNING_IS(name, &r, 0, 5, 20, "publishedDateTime",
		           "cannot read date 'next tuesday'");
		CHECK(!r.a.has_date);
		STR_IS(r.a.title, "Dugongflax article published next tuesday");
		STR_IS(r.a.original_url, "https://example.com/dugongflax");
		STR_IS(r.a.provider_name, "Example News");
		INT_IS(r.a.ntopics, 1);
	}

	/* aliases under unknown keys are skipped as events, never expanded */
	name = FIX "alias-bomb.md";
	double t0 = now_seconds();
	bool read = parse_file(&r, name);
	double took = now_seconds() - t0;
	if (read) {
		OK_WITH(name, &r, 0);
		STR_IS(r.a.title, "Capybarn survives a billion laughs");
		CHECK(r.a.has_date && r.a.date == 1646388000);
		INT_IS(r.a.ntopics, 1);
		if (took > 1.0) {
			fprintf(stderr, "%s:%d: %s took %.2f s\n", __FILE__, __LINE__, name, took);
			failures++;
		}
	}

	name = FIX "bom.md";
	if (parse_file(&r, name)) {
		OK_WITH(name, &r, 0);
		STR_IS(r.a.title, "Marmotwhisk article that starts with a UTF-8 byte order mark");
		CHECK(r.a.has_date && r.a.date == 1646906400);
		CHECK(r.a.has_quality && r.a.quality == 50);
		CHECK(r.a.has_published && r.a.published);
		STR_IS(r.a.provider_domain, "example.com");
		INT_IS(r.a.ntopics, 1);
	}

	name = FIX "crlf.md";
	if (parse_file(&r, name)) {
		OK_WITH(name, &r, 0);
		const ng_article *a = &r.a;
		STR_IS(a->title, "Gibbonquay article with Windows line endings");
		STR_IS(a->excerpt,
		       "Every line of this file ends with CR LF; otherwise the file is valid.");
		STR_IS(a->original_url, "https://example.com/gibbonquay");
		STR_IS(a->web_url, "https://example.com/gibbonquay");
		STR_IS(a->type, "article");
		STR_IS(a->provider_name, "Example News");
		STR_IS(a->provider_domain, "example.com");
		CHECK(a->has_date && a->date == 1646992800);
		CHECK(a->has_quality && a->quality == 50);
		CHECK(a->has_heat && a->heat == 50);
		CHECK(a->has_published && a->published);
		INT_IS(a->ntopics, 1);
		if (a->ntopics == 1)
			STR_IS(a->topics[0], "AI");
		INT_IS(a->nrelated, 1);
		if (a->nrelated == 1) {
			const ng_related *rel = &a->related[0];
			STR_IS(rel->title, "A related article in a CRLF file");
			STR_IS(rel->url, "https://example.com/related");
			STR_IS(rel->provider_name, "Example News");
			STR_IS(rel->provider_domain, "example.com");
			CHECK(rel->has_date && rel->date == 1647079200);
		}
	}
}

/* ---- hand-made buffers ---- */

static void test_mem_not_articles(void)
{
	parsed r;

	PARSE(&r, "");
	FAILS_WITH("empty", &r, 1, 1, "file is empty");
	PARSE(&r, "---\n");
	FAILS_WITH("only ---", &r, 1, 1, "not closed");
	PARSE(&r, "---");
	FAILS_WITH("--- without newline", &r, 1, 1, "not closed");
	PARSE(&r, "---\ntitle: T\n");
	FAILS_WITH("no closing line", &r, 1, 1, "not closed");
	PARSE(&r, "---\ntitle: T\n-- -\n");
	FAILS_WITH("no closing line", &r, 1, 1, "not closed");
	PARSE(&r, "---\ntitle: T\n ---\n");
	FAILS_WITH("indented closing line", &r, 1, 1, "not closed");
	PARSE(&r, "---\n---\n");
	FAILS_WITH("empty front matter", &r, 1, 0, "front matter is empty");
	PARSE(&r, "---\n\n\n---\n");
	FAILS_WITH("blank front matter", &r, 1, 0, "front matter is empty");
	PARSE(&r, "---\n# only a comment\n---\n");
	FAILS_WITH("comment-only front matter", &r, 1, 0, "front matter is empty");
	PARSE(&r, "\n---\ntitle: T\n---\n");
	FAILS_WITH("blank first line", &r, 1, 1, "no front matter");
	PARSE(&r, "----\ntitle: T\n---\n");
	FAILS_WITH("four dashes", &r, 1, 1, "no front matter");
	PARSE(&r, "---x\ntitle: T\n---\n");
	FAILS_WITH("--- and more", &r, 1, 1, "no front matter");
	PARSE(&r, "title: T\n");
	FAILS_WITH("bare YAML", &r, 1, 1, "no front matter");
	PARSE(&r, "\xef\xbb\xbf");
	FAILS_WITH("only a BOM", &r, 1, 1, "no front matter");

	/* not a mapping */
	PARSE(&r, "---\njust a string\n---\n");
	FAILS_WITH("scalar front matter", &r, 2, 1, "not a mapping");
	PARSE(&r, "---\n[a, b]\n---\n");
	FAILS_WITH("flow list front matter", &r, 2, 1, "not a mapping");

	/* YAML errors */
	PARSE(&r, "---\ntitle: \"unclosed\n---\n");
	FAILS_WITH("unclosed quote", &r, 3, 1, "invalid YAML");
	FAILS_WITH("unclosed quote", &r, 3, 1, "end of stream");
	PARSE(&r, "---\ntitle: T\n  bad: indentation\n---\n");
	FAILS_WITH("bad indentation", &r, 3, 0, "invalid YAML");
	/* an undefined alias is not an error for the event parser: a warning */
	PARSE(&r, "---\ntitle: *nosuchanchor\n---\n");
	OK_WITH("undefined alias", &r, 1);
	WARNING_IS("undefined alias", &r, 0, 2, 8, "title", "found an alias");
	CHECK(r.a.title == NULL);
	PARSE(&r, "---\ntitle: T\n\tquality: 3\n---\n");
	FAILS_WITH("tab indentation", &r, 3, 1, "invalid YAML");
	FAILS_WITH("tab indentation", &r, 3, 1, "tab");
}

static void test_mem_encoding(void)
{
	parsed r;

	/* NUL bytes and invalid UTF-8 anywhere in the file, with their place */
	PARSE(&r, "---\ntitle: a\0b\n---\n");
	FAILS_WITH("NUL in title", &r, 2, 9, "NUL byte");
	PARSE(&r, "\0");
	FAILS_WITH("lone NUL", &r, 1, 1, "NUL byte");
	PARSE(&r, "---\ntitle: T\n---\nbody\0\n");
	FAILS_WITH("NUL in body", &r, 4, 5, "NUL byte");
	PARSE(&r, "\xff");
	FAILS_WITH("lone 0xFF", &r, 1, 1, "invalid UTF-8");
	PARSE(&r, "\xff");
	FAILS_WITH("lone 0xFF", &r, 1, 1, "0xff");
	PARSE(&r, "---\ntitle: caf\xff\n---\n");
	FAILS_WITH("0xFF in title", &r, 2, 11, "invalid UTF-8");
	/* columns count characters: "é" and "€" are one column each */
	PARSE(&r, "---\ntitle: \xc3\xa9\xe2\x82\xac\xff\n---\n");
	FAILS_WITH("0xFF after multibyte", &r, 2, 10, "invalid UTF-8");
	PARSE(&r, "---\ntitle: T\n---\n\xe2\x82");
	FAILS_WITH("truncated sequence at the end", &r, 4, 1, "invalid UTF-8");
	PARSE(&r, "---\ntitle: \xc0\xaf\n---\n");
	FAILS_WITH("overlong /", &r, 2, 8, "invalid UTF-8");
	PARSE(&r, "---\ntitle: \xed\xa0\x80\n---\n");
	FAILS_WITH("UTF-16 surrogate", &r, 2, 8, "invalid UTF-8");
	PARSE(&r, "---\ntitle: \xf4\x90\x80\x80\n---\n");
	FAILS_WITH("beyond U+10FFFF", &r, 2, 8, "invalid UTF-8");
	PARSE(&r, "---\ntitle: \x80\n---\n");
	FAILS_WITH("lone continuation byte", &r, 2, 8, "invalid UTF-8");

	/* control characters that libyaml refuses: an error at their place
	 * (test_fixed_bugs checks the exact position) */
	PARSE(&r, "---\ntitle: a\x01"
	          "b\n---\n");
	FAILS_WITH("control character", &r, 2, 9, "control characters");

	/* a 4-byte character is fine */
	PARSE(&r, "---\ntitle: \"\xf0\x9f\x93\xb0 news\"\n---\n");
	OK_WITH("emoji", &r, 0);
	STR_IS(r.a.title, "\xf0\x9f\x93\xb0 news");
}

static void test_mem_delimiters(void)
{
	parsed r;

	/* the body after the closing line is never read as YAML */
	PARSE(&r, "---\ntitle: With a body\n---\n# Heading\n\nSome text: [unclosed {\n---\n"
	          "- not: yaml: at all\n\t\x01 control chars? fine, not front matter\n...\n");
	/* (the \x01 is in the body; UTF-8 is checked everywhere but control
	 * characters only matter to YAML) */
	OK_WITH("body after ---", &r, 0);
	STR_IS(r.a.title, "With a body");

	PARSE(&r, "---\ntitle: Dots\npublishedDateTime: 2023-12-19\n...\nbody\n");
	OK_WITH("... closing line", &r, 0);
	STR_IS(r.a.title, "Dots");
	CHECK(r.a.has_date && r.a.date == 1702944000);

	PARSE(&r, "---\ntitle: No final newline\n---");
	OK_WITH("closing line at EOF", &r, 0);
	STR_IS(r.a.title, "No final newline");

	PARSE(&r, "---  \t\ntitle: Spaces\n--- \n");
	OK_WITH("trailing blanks on --- lines", &r, 0);
	STR_IS(r.a.title, "Spaces");

	PARSE(&r, "---\r\ntitle: CR\r\n---\r\n");
	OK_WITH("CRLF", &r, 0);
	STR_IS(r.a.title, "CR");

	PARSE(&r, "\xef\xbb\xbf---\ntitle: BOM\n---\n");
	OK_WITH("BOM", &r, 0);
	STR_IS(r.a.title, "BOM");

	/* the first closing line wins, even inside a block scalar */
	PARSE(&r, "---\ntitle: First\nexcerpt: |\n  line one\n---\n  line two\n---\n");
	OK_WITH("first closing line", &r, 0);
	STR_IS(r.a.excerpt, "line one\n");
}

/* Parses pre + `open` '[' + `close` ']' + post. */
static void parse_nested(parsed *r, const char *pre, size_t open, size_t close, const char *post)
{
	size_t lp = strlen(pre), lq = strlen(post), n = lp + open + close + lq;
	char *text = xmalloc(n);
	memcpy(text, pre, lp);
	memset(text + lp, '[', open);
	memset(text + lp + open, ']', close);
	memcpy(text + lp + open + close, post, lq);
	parse_buf(r, text, n);
	free(text);
}

static void test_mem_size_and_depth(void)
{
	parsed r;

	/* over the limit: refused before anything is read (NUL bytes would be
	 * reported otherwise) */
	size_t big = (size_t)17 << 20;
	char *huge = malloc(big);
	if (huge == NULL) {
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	memset(huge, 0, big);
	memset(&r, 0, sizeof r);
	ng_arena_reset(&arena);
	r.ok = ng_frontmatter_parse(huge, big, &arena, &r.a, &r.err, collect, &r.ws);
	FAILS_WITH("17 MiB", &r, 0, 0, "too large");
	/* one byte over */
	r.ok = ng_frontmatter_parse(huge, (size_t)NG_MAX_FILE_SIZE + 1, &arena, &r.a, &r.err,
	                            collect, &r.ws);
	FAILS_WITH("16 MiB + 1", &r, 0, 0, "too large");
	free(huge);

	/* exactly the limit is read */
	size_t limit = NG_MAX_FILE_SIZE;
	const char *head = "---\ntitle: Exactly the limit\nexcerpt: \"";
	const char *tail = "\"\n---\n";
	char *max = malloc(limit);
	if (max == NULL) {
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	memset(max, 'a', limit);
	memcpy(max, head, strlen(head));
	memcpy(max + limit - strlen(tail), tail, strlen(tail));
	memset(&r, 0, sizeof r);
	ng_arena_reset(&arena);
	r.ok = ng_frontmatter_parse(max, limit, &arena, &r.a, &r.err, collect, &r.ws);
	free(max);
	OK_WITH("16 MiB", &r, 0);
	STR_IS(r.a.title, "Exactly the limit");
	CHECK(r.a.excerpt != NULL && strlen(r.a.excerpt) == limit - strlen(head) - strlen(tail));

	/* [[[[...]]]] 10,000 deep under an unknown key: parses (the event
	 * parser keeps no recursion) or fails cleanly; never crashes */
	parse_nested(&r, "---\ntitle: Deep\njunk: ", 10000, 10000, "\nquality: 7\n---\n");
	if (r.ok) {
		OK_WITH("deep unknown", &r, 0);
		STR_IS(r.a.title, "Deep");
		CHECK(r.a.has_quality && r.a.quality == 7);
	} else {
		CHECK(r.err.message[0] != '\0');
	}

	/* the same under known keys: a warning, the field ignored */
	parse_nested(&r, "---\ntitle: Deep\nexcerpt: ", 10000, 10000, "\nquality: 7\n---\n");
	if (r.ok) {
		OK_WITH("deep excerpt", &r, 1);
		WARNING_IS("deep excerpt", &r, 0, 3, 10, "excerpt", "found a list");
		CHECK(r.a.excerpt == NULL);
		STR_IS(r.a.title, "Deep");
		CHECK(r.a.has_quality && r.a.quality == 7);
	} else {
		CHECK(r.err.message[0] != '\0');
	}
	parse_nested(&r, "---\ntitle: Deep\ntopics: [a, ", 10000, 10001, "\nheat: 7\n---\n");
	if (r.ok) {
		OK_WITH("deep topic", &r, 1);
		WARNING_IS("deep topic", &r, 0, 3, 13, "topics", "found a list");
		INT_IS(r.a.ntopics, 1);
		CHECK(r.a.has_heat && r.a.heat == 7);
	} else {
		CHECK(r.err.message[0] != '\0');
	}
	/* unbalanced, then unclosed: the depth cap stops both first */
	parse_nested(&r, "---\ntitle: Deep\njunk: ", 10000, 9999, "\n---\n");
	FAILS_WITH("deep unbalanced", &r, 3, 70, "nested more than 64 levels");
	parse_nested(&r, "---\ntitle: Deep\ntopics: ", 10000, 0, "\n---\n");
	FAILS_WITH("deep unclosed", &r, 3, 72, "nested more than 64 levels");

	/* a deep block structure */
	ng_buf b = {0};
	const char *start = "---\ntitle: Block\nnest:\n";
	ng_buf_append(&b, start, strlen(start));
	for (int i = 0; i < 2000; i++) {
		for (int j = 0; j <= i; j++)
			ng_buf_append(&b, " ", 1);
		ng_buf_append(&b, "k:\n", 3);
	}
	ng_buf_append(&b, "heat: 1\n---\n", 12);
	parse_buf(&r, b.data, b.len);
	if (r.ok) {
		OK_WITH("deep block", &r, 0);
		STR_IS(r.a.title, "Block");
		CHECK(r.a.has_heat && r.a.heat == 1);
	} else {
		CHECK(r.err.message[0] != '\0');
	}
	ng_buf_release(&b);
}

static void test_mem_strings(void)
{
	parsed r;

	PARSE(&r, "---\ntitle: \"\"\n---\n");
	OK_WITH("empty quoted title", &r, 0);
	CHECK(r.a.title != NULL && r.a.title[0] == '\0');
	PARSE(&r, "---\ntitle: ''\n---\n");
	OK_WITH("empty single-quoted title", &r, 0);
	CHECK(r.a.title != NULL && r.a.title[0] == '\0');
	PARSE(&r, "---\ntitle: null\n---\n");
	OK_WITH("null title", &r, 0);
	CHECK(r.a.title == NULL);
	PARSE(&r, "---\ntitle: ~\n---\n");
	OK_WITH("~ title", &r, 0);
	CHECK(r.a.title == NULL);
	PARSE(&r, "---\ntitle:\nexcerpt: E\n---\n");
	OK_WITH("empty title", &r, 0);
	CHECK(r.a.title == NULL);
	STR_IS(r.a.excerpt, "E");
	PARSE(&r, "---\ntitle: \"null\"\nexcerpt: '~'\n---\n");
	OK_WITH("quoted null", &r, 0);
	STR_IS(r.a.title, "null");
	STR_IS(r.a.excerpt, "~");

	/* duplicate keys: the last one wins */
	PARSE(&r, "---\ntitle: First\nexcerpt: E\ntitle: Second\n---\n");
	OK_WITH("duplicate title", &r, 0);
	STR_IS(r.a.title, "Second");
	STR_IS(r.a.excerpt, "E");
	PARSE(&r, "---\nquality: 1\nquality: 2\n---\n");
	OK_WITH("duplicate quality", &r, 0);
	CHECK(r.a.has_quality && r.a.quality == 2);

	/* escapes, folding and block scalars */
	PARSE(&r, "---\ntitle: \"Tab\\there \\\"q\\\" \\u00e9 \\\\ end\"\n"
	          "excerpt: 'it''s'\n---\n");
	OK_WITH("escapes", &r, 0);
	STR_IS(r.a.title, "Tab\there \"q\" \xc3\xa9 \\ end");
	STR_IS(r.a.excerpt, "it's");
	PARSE(&r,
	      "---\ntitle: plain words\n  folded on\n  three lines\nexcerpt: >\n  a\n  b\n---\n");
	OK_WITH("folding", &r, 0);
	STR_IS(r.a.title, "plain words folded on three lines");
	STR_IS(r.a.excerpt, "a b\n");
	PARSE(&r, "---\ntitle: 'Trailing spaces are not kept'   \n---\n");
	OK_WITH("trailing spaces", &r, 0);
	STR_IS(r.a.title, "Trailing spaces are not kept");

	/* numbers and booleans are strings where a string is wanted */
	PARSE(&r, "---\ntitle: 2024\nexcerpt: true\ntype: 1.5\n---\n");
	OK_WITH("scalars as strings", &r, 0);
	STR_IS(r.a.title, "2024");
	STR_IS(r.a.excerpt, "true");
	STR_IS(r.a.type, "1.5");

	/* anchors are fine; aliases are never followed */
	PARSE(&r, "---\nbase: &t \"Anchored\"\ntitle: *t\nexcerpt: &e Kept\n---\n");
	OK_WITH("alias title", &r, 1);
	WARNING_IS("alias title", &r, 0, 3, 8, "title", "an alias");
	CHECK(r.a.title == NULL);
	STR_IS(r.a.excerpt, "Kept");

	/* keys that are none of ours: long, complex, or not strings */
	/* an alias as a key (to no anchor): skipped with its value */
	PARSE(&r, "---\n*anchorless: {title: no}\ntitle: After an alias key\n---\n");
	OK_WITH("alias key", &r, 0);
	STR_IS(r.a.title, "After an alias key");
	PARSE(&r,
	      "---\n"
	      "a_key_that_is_much_longer_than_sixty_four_bytes_and_so_cannot_be_ours_at_all: [1]\n"
	      "? [complex, key]\n: {title: not this}\n"
	      "? {k: v}\n: x\n"
	      "title: After odd keys\n"
	      "images: {title: nested, not ours}\n"
	      "Title: wrong case\n"
	      "123: number key\n"
	      "---\n");
	OK_WITH("odd keys", &r, 0);
	STR_IS(r.a.title, "After odd keys");
	/* a 63-byte key is compared, a 64-byte one skipped: neither is ours */
	PARSE(&r, "---\n"
	          "title_______________________________________________________x63: a\n"
	          "title________________________________________________________x64: b\n"
	          "title: ok\n---\n");
	OK_WITH("63/64-byte keys", &r, 0);
	STR_IS(r.a.title, "ok");

	/* provider */
	PARSE(&r,
	      "---\nprovider: {name: N, domain: d.com, images: [{url: u}], extra: {a: b}}\n---\n");
	OK_WITH("flow provider", &r, 0);
	STR_IS(r.a.provider_name, "N");
	STR_IS(r.a.provider_domain, "d.com");
	PARSE(&r, "---\nprovider: Plain Name\ntitle: T\n---\n");
	OK_WITH("scalar provider", &r, 1);
	WARNING_IS("scalar provider", &r, 0, 2, 11, "provider", "expected a mapping");
	CHECK(r.a.provider_name == NULL);
	STR_IS(r.a.title, "T");
	PARSE(&r, "---\nprovider:\ntitle: T\n---\n");
	OK_WITH("empty provider", &r, 0);
	CHECK(r.a.provider_name == NULL);
	PARSE(&r, "---\nprovider:\n  name: [a, b]\n  domain: d\n---\n");
	OK_WITH("list provider name", &r, 1);
	WARNING_IS("list provider name", &r, 0, 3, 9, "provider.name", "found a list");
	CHECK(r.a.provider_name == NULL);
	STR_IS(r.a.provider_domain, "d");

	/* NULL warning callback: warnings are dropped, the article is kept */
	const char text[] = "---\ntitle: [a]\nexcerpt: E\n---\n";
	char *copy = exact_copy(text, sizeof text - 1);
	ng_article a;
	ng_file_problem err;
	ng_arena_reset(&arena);
	CHECK(ng_frontmatter_parse(copy, sizeof text - 1, &arena, &a, &err, NULL, NULL));
	free(copy);
	CHECK(a.title == NULL);
	STR_IS(a.excerpt, "E");
}

static void test_mem_lists(void)
{
	parsed r;

	/* a related item that is a scalar: warned about, skipped, others kept */
	PARSE(&r, "---\ntitle: T\nrelated:\n"
	          "  - title: R1\n    webUrl: https://example.com/1\n"
	          "  - just a string\n"
	          "  - [a, list]\n"
	          "  - title: R2\n    publishedDateTime: 2023-12-20T07:59:00+08:00\n"
	          "    provider:\n      name: P2\n      domain: p2.com\n"
	          "  -\n"
	          "  - {title: R3, excerpt: X3, unknown: {deep: [1, 2]}}\n"
	          "---\n");
	OK_WITH("related items", &r, 3);
	WARNING_IS("related items", &r, 0, 6, 5, "related", "expected a mapping, found a string");
	WARNING_IS("related items", &r, 1, 7, 5, "related", "found a list");
	WARNING_IS("related items", &r, 2, 13, 4, "related", "found a string");
	INT_IS(r.a.nrelated, 3);
	if (r.a.nrelated == 3) {
		STR_IS(r.a.related[0].title, "R1");
		STR_IS(r.a.related[0].url, "https://example.com/1");
		CHECK(!r.a.related[0].has_date);
		STR_IS(r.a.related[1].title, "R2");
		CHECK(r.a.related[1].has_date && r.a.related[1].date == 1703030340);
		STR_IS(r.a.related[1].provider_name, "P2");
		STR_IS(r.a.related[1].provider_domain, "p2.com");
		CHECK(r.a.related[1].url == NULL);
		STR_IS(r.a.related[2].title, "R3");
		STR_IS(r.a.related[2].excerpt, "X3");
	}
	STR_IS(r.a.title, "T");

	/* many related items (the array grows) */
	ng_buf b = {0};
	ng_buf_append(&b, "---\nrelated:\n", 13);
	for (int i = 0; i < 100; i++) {
		char item[64];
		int n = snprintf(item, sizeof item, "  - title: \"Item %d\"\n", i);
		ng_buf_append(&b, item, (size_t)n);
	}
	ng_buf_append(&b, "title: Many\n---\n", 16);
	parse_buf(&r, b.data, b.len);
	OK_WITH("100 related", &r, 0);
	INT_IS(r.a.nrelated, 100);
	bool all = r.a.nrelated == 100;
	for (size_t i = 0; all && i < 100; i++) {
		char want[32];
		snprintf(want, sizeof want, "Item %zu", i);
		all = r.a.related[i].title && strcmp(r.a.related[i].title, want) == 0;
	}
	CHECK(all);
	ng_buf_release(&b);

	/* more than NG_MAX_RELATED: the rest are dropped */
	memset(&b, 0, sizeof b);
	ng_buf_append(&b, "---\nrelated:\n", 13);
	for (int i = 0; i < NG_MAX_RELATED + 5; i++)
		ng_buf_append(&b, "  - {title: x}\n", 15);
	ng_buf_append(&b, "title: Capped\n---\n", 18);
	parse_buf(&r, b.data, b.len);
	OK_WITH("capped related", &r, 0);
	INT_IS(r.a.nrelated, NG_MAX_RELATED);
	STR_IS(r.a.title, "Capped");
	ng_buf_release(&b);

	/* topics with a nested list: warned about, skipped, others kept */
	PARSE(&r, "---\ntopics:\n  - AI\n  - [nested, list]\n  - {a: b}\n  - Chips\n  -\n  - ''\n"
	          "  - 42\n---\n");
	OK_WITH("topics", &r, 2);
	WARNING_IS("topics", &r, 0, 4, 5, "topics", "expected a string, found a list");
	WARNING_IS("topics", &r, 1, 5, 5, "topics", "found a mapping");
	INT_IS(r.a.ntopics, 3);
	if (r.a.ntopics == 3) {
		STR_IS(r.a.topics[0], "AI");
		STR_IS(r.a.topics[1], "Chips");
		STR_IS(r.a.topics[2], "42");
	}
	PARSE(&r, "---\ntopics: [AI Hardware, \"AI\", [x]]\n---\n");
	OK_WITH("flow topics", &r, 1);
	WARNING_IS("flow topics", &r, 0, 2, 29, "topics", "found a list");
	INT_IS(r.a.ntopics, 2);
	PARSE(&r, "---\ntopics: []\nrelated: []\n---\n");
	OK_WITH("empty lists", &r, 0);
	INT_IS(r.a.ntopics, 0);
	INT_IS(r.a.nrelated, 0);
	PARSE(&r, "---\ntopics:\nrelated:\n---\n");
	OK_WITH("empty list values", &r, 0);
	INT_IS(r.a.ntopics, 0);
	INT_IS(r.a.nrelated, 0);
	PARSE(&r, "---\ntopics: {a: b}\n---\n");
	OK_WITH("mapping topics", &r, 1);
	WARNING_IS("mapping topics", &r, 0, 2, 9, "topics", "expected a list, found a mapping");

	/* more than NG_MAX_TOPICS: the rest are dropped */
	memset(&b, 0, sizeof b);
	ng_buf_append(&b, "---\ntopics:\n", 12);
	for (int i = 0; i < NG_MAX_TOPICS + 5; i++)
		ng_buf_append(&b, "  - t\n", 6);
	ng_buf_append(&b, "title: Capped\n---\n", 18);
	parse_buf(&r, b.data, b.len);
	OK_WITH("capped topics", &r, 0);
	INT_IS(r.a.ntopics, NG_MAX_TOPICS);
	STR_IS(r.a.title, "Capped");
	ng_buf_release(&b);
}

static void test_mem_numbers_and_bools(void)
{
	parsed r;

	PARSE(&r, "---\npublished: yes\n---\n");
	OK_WITH("published: yes", &r, 0);
	CHECK(r.a.has_published && r.a.published);
	PARSE(&r, "---\npublished: No\n---\n");
	OK_WITH("published: No", &r, 0);
	CHECK(r.a.has_published && !r.a.published);
	PARSE(&r, "---\npublished: \"true\"\n---\n");
	OK_WITH("published: \"true\"", &r, 0);
	CHECK(r.a.has_published && r.a.published);
	PARSE(&r, "---\ntitle: T\npublished: maybe\n---\n");
	OK_WITH("published: maybe", &r, 1);
	WARNING_IS("published: maybe", &r, 0, 3, 12, "published",
	           "expected true or false, found 'maybe'");
	CHECK(!r.a.has_published && !r.a.published);
	STR_IS(r.a.title, "T");
	PARSE(&r, "---\npublished: 1\n---\n");
	OK_WITH("published: 1", &r, 1);
	CHECK(!r.a.has_published);
	PARSE(&r, "---\npublished: [true]\n---\n");
	OK_WITH("published: [true]", &r, 1);
	WARNING_IS("published: [true]", &r, 0, 2, 12, "published", "found a list");
	CHECK(!r.a.has_published);
	PARSE(&r, "---\npublished:\n---\n");
	OK_WITH("published: (empty)", &r, 0);
	CHECK(!r.a.has_published);

	PARSE(&r, "---\nquality: 12abc\nheat: 5\n---\n");
	OK_WITH("quality: 12abc", &r, 1);
	WARNING_IS("quality: 12abc", &r, 0, 2, 10, "quality",
	           "expected a whole number, found '12abc'");
	CHECK(!r.a.has_quality);
	CHECK(r.a.has_heat && r.a.heat == 5);
	PARSE(&r, "---\nquality: -42\nheat: \"17\"\n---\n");
	OK_WITH("quality: -42", &r, 0);
	CHECK(r.a.has_quality && r.a.quality == -42);
	CHECK(r.a.has_heat && r.a.heat == 17);
	PARSE(&r, "---\nquality: 9223372036854775807\nheat: -9223372036854775808\n---\n");
	OK_WITH("int64 range", &r, 0);
	CHECK(r.a.has_quality && r.a.quality == INT64_MAX);
	CHECK(r.a.has_heat && r.a.heat == INT64_MIN);
	PARSE(&r, "---\nquality: 9223372036854775808\n---\n");
	OK_WITH("int64 overflow", &r, 1);
	CHECK(!r.a.has_quality);
	PARSE(&r, "---\nquality: 1.5\nheat: ''\n---\n");
	OK_WITH("quality: 1.5", &r, 2);
	WARNING_IS("quality: 1.5", &r, 1, 3, 7, "heat", "found ''");
	CHECK(!r.a.has_quality && !r.a.has_heat);

	/* dates */
	PARSE(&r, "---\npublishedDateTime: 2023-12-20T07:59:00+08:00\n---\n");
	OK_WITH("date +08:00", &r, 0);
	CHECK(r.a.has_date);
	INT_IS(r.a.date, 1703030340); /* 2023-12-19T23:59:00Z */
	PARSE(&r, "---\npublishedDateTime: 2023-12-19T23:59:00+08:00\n---\n");
	OK_WITH("date +08:00 (2)", &r, 0);
	INT_IS(r.a.date, 1703001540);
	PARSE(&r, "---\npublishedDateTime: \"2023-12-19T23:59:00-05:00\"\n---\n");
	OK_WITH("quoted date -05:00", &r, 0);
	INT_IS(r.a.date, 1703048340);
	PARSE(&r, "---\npublishedDateTime: 2023-12-19\n---\n");
	OK_WITH("bare date", &r, 0);
	CHECK(r.a.has_date);
	INT_IS(r.a.date, 1702944000);
	PARSE(&r, "---\npublishedDateTime: 1969-07-20T20:17:40Z\n---\n");
	OK_WITH("date before 1970", &r, 0);
	CHECK(r.a.has_date && r.a.date == -14182940);
	PARSE(&r, "---\npublishedDateTime: 2023-02-29\n---\n");
	OK_WITH("no such day", &r, 1);
	CHECK(!r.a.has_date);
	PARSE(&r, "---\npublishedDateTime:\n---\n");
	OK_WITH("empty date", &r, 0);
	CHECK(!r.a.has_date);
	PARSE(&r, "---\npublishedDateTime: [2023-12-19]\n---\n");
	OK_WITH("list date", &r, 1);
	WARNING_IS("list date", &r, 0, 2, 20, "publishedDateTime", "found a list");
	CHECK(!r.a.has_date);
	PARSE(&r, "---\nrelated:\n  - publishedDateTime: soon\n---\n");
	OK_WITH("bad related date", &r, 1);
	WARNING_IS("bad related date", &r, 0, 3, 24, "related.publishedDateTime", "'soon'");
	CHECK(r.a.nrelated == 1 && !r.a.related[0].has_date);
	/* a long bad value is cut in the message */
	PARSE(&r, "---\npublishedDateTime: "
	          "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	          "aaaaaaaaaaaa"
	          "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	          "aaaaaaaaaaaa"
	          "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	          "aaaaaaaaaaaa\n"
	          "---\n");
	OK_WITH("long bad date", &r, 1);
	CHECK(r.ws.n == 1 && strlen(r.ws.w[0].message) < sizeof(r.ws.w[0].message));
}

/* An article that sets everything, and the arena reused across parses. */
static void test_mem_full_article(void)
{
	parsed r;
	PARSE(&r, "---\n"
	          "category: news\n"
	          "title: \"Full\"\n"
	          "excerpt: \"Line one\\nLine two\"\n"
	          "publishedDateTime: 2024-02-29T12:00:00Z\n"
	          "originalUrl: \"https://o.example/a\"\n"
	          "webUrl: \"https://w.example/a\"\n"
	          "type: article\n"
	          "quality: 84\n"
	          "heat: 84\n"
	          "published: true\n"
	          "provider:\n  name: Prov\n  domain: prov.example\n"
	          "topics:\n  - One\n  - Two\n  - Three\n"
	          "related:\n  - title: Rel\n    excerpt: RelEx\n    webUrl: https://r.example\n"
	          "    publishedDateTime: 2024-03-01T00:00:00+00:01\n"
	          "    provider: {name: RP, domain: rp.example}\n"
	          "secured: \"b64/gpu+==\"\n"
	          "images:\n  - url: x\n"
	          "---\n");
	OK_WITH("full", &r, 0);
	const ng_article *a = &r.a;
	STR_IS(a->title, "Full");
	STR_IS(a->excerpt, "Line one\nLine two");
	CHECK(a->has_date && a->date == 1709208000);
	STR_IS(a->original_url, "https://o.example/a");
	STR_IS(a->web_url, "https://w.example/a");
	STR_IS(ng_article_url(a), "https://o.example/a");
	STR_IS(a->type, "article");
	CHECK(a->has_quality && a->quality == 84 && a->has_heat && a->heat == 84);
	CHECK(a->has_published && a->published);
	STR_IS(a->provider_name, "Prov");
	STR_IS(a->provider_domain, "prov.example");
	INT_IS(a->ntopics, 3);
	if (a->ntopics == 3) {
		STR_IS(a->topics[0], "One");
		STR_IS(a->topics[2], "Three");
	}
	INT_IS(a->nrelated, 1);
	if (a->nrelated == 1) {
		STR_IS(a->related[0].title, "Rel");
		STR_IS(a->related[0].excerpt, "RelEx");
		STR_IS(a->related[0].url, "https://r.example");
		CHECK(a->related[0].has_date && a->related[0].date == 1709251140);
		STR_IS(a->related[0].provider_name, "RP");
		STR_IS(a->related[0].provider_domain, "rp.example");
	}

	/* a failed parse leaves the article zeroed */
	PARSE(&r, "---\ntitle: T\n");
	CHECK(!r.ok && r.a.title == NULL && r.a.ntopics == 0 && !r.a.has_date);
	/* and a successful one clears the error */
	ng_file_problem err = {.line = 9, .column = 9, .message = "stale"};
	ng_article art;
	char *copy = exact_copy("---\ntitle: T\n---\n", 17);
	ng_arena_reset(&arena);
	CHECK(ng_frontmatter_parse(copy, 17, &arena, &art, &err, NULL, NULL));
	free(copy);
	CHECK(err.line == 0 && err.column == 0 && err.message[0] == '\0');
}

/*
 * Bugs this test found in core, kept as regression tests.
 */
static void test_fixed_bugs(void)
{
	parsed r;

	/* 1. A repeated `topics:` or `related:` key after a list of more than 8
	 * items overflows the arena array (read_list starts with cap = 0 while
	 * ntopics/nrelated is already 9): topics[8] becomes a wild pointer.
	 * Whether the last list wins or lists add up, the result must be sane. */
	PARSE(&r, "---\ntopics: [a, b, c, d, e, f, g, h, i]\ntopics: [j, k]\n---\n");
	OK_WITH("repeated topics", &r, 0);
	if (r.a.ntopics == 2) {
		STR_IS(r.a.topics[0], "j");
		STR_IS(r.a.topics[1], "k");
	} else if (r.a.ntopics == 11) {
		/* concatenated: every pointer must still be one of our strings */
		static const char *const want[] = {"a", "b", "c", "d", "e", "f",
		                                   "g", "h", "i", "j", "k"};
		for (size_t i = 0; i < 11; i++)
			STR_IS(r.a.topics[i], want[i]);
	} else {
		INT_IS(r.a.ntopics, 2);
	}
	PARSE(&r, "---\nrelated: [{title: a}, {title: b}, {title: c}, {title: d}, {title: e},"
	          " {title: f}, {title: g}, {title: h}, {title: i}]\n"
	          "related: [{title: j}]\n---\n");
	OK_WITH("repeated related", &r, 0);
	if (r.a.nrelated == 1) {
		STR_IS(r.a.related[0].title, "j");
	} else if (r.a.nrelated == 10) {
		static const char *const want[] = {"a", "b", "c", "d", "e",
		                                   "f", "g", "h", "i", "j"};
		for (size_t i = 0; i < 10; i++)
			STR_IS(r.a.related[i].title, want[i]);
	} else {
		INT_IS(r.a.nrelated, 1);
	}

	/* 2. libyaml's reader errors (control characters) carry no mark, so
	 * the error is put at 1:1 instead of the character's place (2:9). */
	PARSE(&r, "---\ntitle: a\x01"
	          "b\n---\n");
	FAILS_WITH("control character", &r, 2, 9, "control characters");
	PARSE(&r, "---\ncategory: news\ntitle: \"x\x7f\"\n---\n");
	FAILS_WITH("DEL", &r, 3, 10, "control characters");

	/* 3. A null value after a real one does not clear it: "last wins" keeps
	 * the first title. */
	PARSE(&r, "---\ntitle: A\ntitle: null\n---\n");
	OK_WITH("title then null", &r, 0);
	CHECK(r.a.title == NULL);

	/* 4. Escaped NUL (\0 in a double-quoted string) cuts keys and values
	 * short: "title\0zzz" is taken for title and a date with junk after
	 * \0 is accepted. */
	PARSE(&r, "---\ntitle: Real\n\"title\\0zzz\": Hijack\n---\n");
	OK_WITH("NUL in key", &r, 0);
	STR_IS(r.a.title, "Real");
	PARSE(&r, "---\npublishedDateTime: \"2023-12-19\\0junk\"\n---\n");
	OK_WITH("NUL in date", &r, 1);
	CHECK(!r.a.has_date);

	/* 5. NG_MAX_YAML_DEPTH is never enforced, and libyaml 0.2.5 takes time
	 * quadratic in the nesting depth (about 47 s for 160,000 '[' without
	 * sanitizers): a 120 KB file must not stall the indexer.  libyaml
	 * reaches depth 64 within a millisecond, so stopping there bounds it. */
	double t0 = now_seconds();
	parse_nested(&r, "---\ntitle: Deep\njunk: ", 60000, 60000, "\n---\n");
	double took = now_seconds() - t0;
	if (took > 2.0) {
		fprintf(stderr, "%s:%d: 60,000-deep flow sequence took %.1f s\n", __FILE__,
		        __LINE__, took);
		failures++;
	}
	CHECK(!r.ok && r.err.line == 3 && strstr(r.err.message, "nested more than 64 levels"));
}

int main(void)
{
	ng_arena_init(&arena);
	test_corpus_all();
	test_corpus_seed000();
	test_corpus_other_files();
	test_fixture_list();
	test_fixtures_skipped();
	test_fixtures_warned();
	test_mem_not_articles();
	test_mem_encoding();
	test_mem_delimiters();
	test_mem_size_and_depth();
	test_mem_strings();
	test_mem_lists();
	test_mem_numbers_and_bools();
	test_mem_full_article();
	test_fixed_bugs();
	ng_arena_release(&arena);
	if (failures != 0) {
		fprintf(stderr, "test_frontmatter: %d failure(s)\n", failures);
		return 1;
	}
	printf("test_frontmatter: all passed\n");
	return 0;
}
