/*
 * test_docmaker.c - how the docmaker (index.c) tells a file it skips from
 * an error that ends the run: each call returns NEWSGREP_OK for a file
 * that cannot be indexed, with why in the problem's status: NEWSGREP_IO
 * (cannot read it), NEWSGREP_PARSE (not an article), NEWSGREP_NOMEM (not
 * memory enough for it, whether the front matter's parse or the document
 * ran out, told by status and not by the message) and the message the
 * user sees.
 */
#include "ng.h"
#include "ngx.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "failmalloc.h"

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
		fprintf(stderr, "cannot write %s\n", path);
		exit(2);
	}
}

/* Reads and builds `path`; returns the call's status, the problem in *p. */
static newsgrep_status_t make(ng_docmaker *dm, const char *path, ng_file_problem *p)
{
	ng_file_state fs;
	newsgrep_status_t st = ng_docmaker_read(dm, path, &fs, p);
	if (st == NEWSGREP_OK && p->status == NEWSGREP_OK)
		st = ng_docmaker_build(dm, path, &fs, p);
	return st;
}

int main(void)
{
	int own_malloc = failmalloc_works();
	char tmpl[] = "/tmp/newsgrep-test-docmaker-XXXXXX";
	if (!mkdtemp(tmpl))
		return 2;
	char good[PATH_MAX], bad[PATH_MAX], big[PATH_MAX], missing[PATH_MAX];
	snprintf(good, sizeof(good), "%s/good.md", tmpl);
	snprintf(bad, sizeof(bad), "%s/bad.md", tmpl);
	snprintf(big, sizeof(big), "%s/nomem.md", tmpl);
	snprintf(missing, sizeof(missing), "%s/missing.md", tmpl);
	const char *article = "---\ntitle: \"GPUs for all\"\nexcerpt: \"Cheaper chips\"\n---\n";
	write_file(good, article);
	write_file(big, article);
	write_file(bad, "no front matter\n");

	/* A writer's handle, for the test hook below. */
	static ng_db_writer writer = {.lock_fd = -1};
	static newsgrep_db_t db = {.w = &writer};
	db.text_rules = NG_TEXT_RULES;
	ng_docmaker *dm = NULL;
	CHECK(ng_docmaker_new(&dm, &db) == NEWSGREP_OK);
	if (!dm)
		return 1;
	ng_file_problem p;

	/* Out of memory in the front matter's parse (its arena's first
	 * chunk): skipped, as out of memory. */
	if (own_malloc) {
		ng_file_state fs;
		CHECK(ng_docmaker_read(dm, good, &fs, &p) == NEWSGREP_OK);
		CHECK(p.status == NEWSGREP_OK);
		failmalloc_set(1);
		newsgrep_status_t st = ng_docmaker_build(dm, good, &fs, &p);
		failmalloc_set(0);
		CHECK(st == NEWSGREP_OK);
		CHECK(p.status == NEWSGREP_NOMEM);
		STR_IS(p.message, "out of memory building the article; skipped");
		CHECK(ng_docmaker_error(dm)->status == NEWSGREP_OK);
	} else {
		puts("test_docmaker: out of memory in the parse not tested (malloc is not ours)");
	}

	CHECK(make(dm, good, &p) == NEWSGREP_OK);
	CHECK(p.status == NEWSGREP_OK);
	CHECK(ng_docmaker_doc(dm) != NULL);

	CHECK(make(dm, bad, &p) == NEWSGREP_OK);
	CHECK(p.status == NEWSGREP_PARSE);
	CHECK(p.message[0] != '\0');

	CHECK(make(dm, missing, &p) == NEWSGREP_OK);
	CHECK(p.status == NEWSGREP_IO);
	STR_IS(p.message, "cannot read: No such file or directory");

	/* Out of memory building the document (the test hook's, with the
	 * message Xapian's std::bad_alloc has): skipped too. */
	writer.nomem_file = "nomem.md";
	CHECK(make(dm, big, &p) == NEWSGREP_OK);
	CHECK(p.status == NEWSGREP_NOMEM);
	STR_IS(p.message, "out of memory building the article; skipped");
	writer.nomem_file = NULL;

	/* And the next file is made as ever. */
	CHECK(make(dm, good, &p) == NEWSGREP_OK);
	CHECK(p.status == NEWSGREP_OK);
	CHECK(ng_docmaker_error(dm)->status == NEWSGREP_OK);

	ng_docmaker_free(dm);
	ngx_stemmer_free(db.stemmer);
	ng_tokenizer_free(db.tok);
	unlink(good);
	unlink(bad);
	unlink(big);
	rmdir(tmpl);
	if (failures) {
		fprintf(stderr, "test_docmaker: %d failures\n", failures);
		return 1;
	}
	return 0;
}
