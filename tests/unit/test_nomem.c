/*
 * test_nomem.c - what runs out of memory says so by its status
 * (NEWSGREP_NOMEM), which callers act on, whatever its message says: an
 * article's front matter and a query's parse, whose arenas ask for the
 * first big block (refused by failmalloc.h).  Bad input is
 * NEWSGREP_PARSE or NEWSGREP_BAD_QUERY, and a success NEWSGREP_OK.
 */
#include "ng.h"

#include <stdio.h>
#include <string.h>

#include "check.h"
#include "failmalloc.h"

static const char article[] = "---\ntitle: \"GPUs for all\"\nexcerpt: \"Cheaper chips\"\n---\n";

int main(void)
{
	if (!failmalloc_works()) {
		puts("test_nomem: skipped (malloc is not this program's)");
		return FAILMALLOC_SKIP;
	}

	ng_arena arena;
	ng_article a;
	ng_file_problem problem;
	ng_arena_init(&arena);
	CHECK(ng_frontmatter_parse(article, strlen(article), &arena, &a, &problem, NULL, NULL));
	CHECK(problem.status == NEWSGREP_OK);
	ng_arena_release(&arena);
	CHECK(!ng_frontmatter_parse("no front matter\n", 16, &arena, &a, &problem, NULL, NULL));
	CHECK(problem.status == NEWSGREP_PARSE);
	ng_arena_release(&arena);
	failmalloc_set(1);
	bool ok = ng_frontmatter_parse(article, strlen(article), &arena, &a, &problem, NULL, NULL);
	failmalloc_set(0);
	CHECK(!ok);
	CHECK(problem.status == NEWSGREP_NOMEM);
	STR_IS(problem.message, "out of memory");
	ng_arena_release(&arena);

	ng_tokenizer *tok = ng_tokenizer_new();
	CHECK(tok != NULL);
	if (!tok)
		return 1;
	ng_qerror qerr;
	CHECK(ng_qparse("gpu", 3, tok, &arena, 0, &qerr) != NULL);
	CHECK(qerr.status == NEWSGREP_OK);
	ng_arena_release(&arena);
	CHECK(ng_qparse("(gpu", 4, tok, &arena, 0, &qerr) == NULL);
	CHECK(qerr.status == NEWSGREP_BAD_QUERY);
	ng_arena_release(&arena);
	failmalloc_set(1);
	ng_qnode *root = ng_qparse("gpu", 3, tok, &arena, 0, &qerr);
	failmalloc_set(0);
	CHECK(root == NULL);
	CHECK(qerr.status == NEWSGREP_NOMEM);
	STR_IS(qerr.message, "out of memory");
	ng_arena_release(&arena);
	failmalloc_set(1);
	root = ng_qparse_fixed("gpu", 3, tok, &arena, &qerr);
	failmalloc_set(0);
	CHECK(root == NULL);
	CHECK(qerr.status == NEWSGREP_NOMEM);
	ng_arena_release(&arena);
	ng_tokenizer_free(tok);

	if (failures) {
		fprintf(stderr, "test_nomem: %d failures\n", failures);
		return 1;
	}
	return 0;
}
