/*
 * test_qparse.c - the query language's parser.
 *
 * Each accepted query is checked against the exact tree it parses to (in
 * ng_qnode_describe's notation); each rejected one against the exact
 * message and position the user sees.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ng.h"

static ng_tokenizer *tok;
/* 2024-03-15T12:00:00Z: a fixed "now" for relative dates. */
static const int64_t NOW = 1710504000;

static void parses(const char *query, const char *want, int line)
{
	ng_arena arena;
	ng_arena_init(&arena);
	size_t len = strlen(query);
	char *copy = exact_copy(query, len); /* ASan catches reads past len */
	ng_qerror err;
	ng_qnode *root = ng_qparse(copy, len, tok, &arena, NOW, &err);
	ng_buf got = {0};
	if (!root) {
		fprintf(stderr, "%s:%d: '%s' failed: %s\n", __FILE__, line, query, err.message);
		failures++;
	} else if (!ng_qnode_describe(root, &got) || strcmp(got.data, want) != 0) {
		fprintf(stderr, "%s:%d: '%s'\n  got  %s\n  want %s\n", __FILE__, line, query,
		        got.data ? got.data : "(null)", want);
		failures++;
	}
	ng_buf_release(&got);
	free(copy);
	ng_arena_release(&arena);
}

static void rejects(const char *query, size_t len, const char *want, int line)
{
	ng_arena arena;
	ng_arena_init(&arena);
	char *copy = exact_copy(query, len);
	ng_qerror err;
	ng_qnode *root = ng_qparse(copy, len, tok, &arena, NOW, &err);
	char msg[300];
	if (root) {
		fprintf(stderr, "%s:%d: '%s' was accepted\n", __FILE__, line, query);
		failures++;
	} else {
		ng_qerror_format(copy, len, &err, msg, sizeof(msg));
		if (strcmp(msg, want) != 0) {
			fprintf(stderr, "%s:%d: '%s'\n  got  %s\n  want %s\n", __FILE__, line,
			        query, msg, want);
			failures++;
		}
	}
	free(copy);
	ng_arena_release(&arena);
}

#define PARSES(q, want) parses(q, want, __LINE__)
#define REJECTS(q, want) rejects(q, strlen(q), want, __LINE__)

static void test_words_and_operators(void)
{
	PARSES("sanctions", "sanctions");
	PARSES("Sanctions GPU", "(sanctions AND gpu)");
	PARSES("a AND b", "(a AND b)");
	PARSES("a OR b c", "(a OR (b AND c))");
	PARSES("a b OR c", "((a AND b) OR c)");
	PARSES("a or b", "(a AND or AND b)"); /* operators are upper case */
	PARSES("(a OR b) c", "((a OR b) AND c)");
	PARSES("a -b", "(a AND NOT b)");
	PARSES("a NOT b", "(a AND NOT b)");
	PARSES("a AND NOT b", "(a AND NOT b)");
	PARSES("a -b -c d", "((a AND d) AND NOT (b OR c))");
	PARSES("-b", "(* AND NOT b)");
	PARSES("NOT b", "(* AND NOT b)");
	PARSES("NOT NOT b", "b");
	PARSES("+a b", "(a AND b)");
	PARSES("a -(b OR c)", "(a AND NOT (b OR c))");
	PARSES("a -\"b c\"", "(a AND NOT \"b c\")");
	PARSES("((a))", "a");
	PARSES("*", "*");
	PARSES("a & b", "(a AND b)"); /* punctuation alone is skipped */
	PARSES("a-", "a");
}

static void test_phrases_and_words(void)
{
	PARSES("\"Global Times\"", "\"global times\"");
	PARSES("\"sanctions\"", "\"sanctions\"");
	PARSES("GPU-based", "\"gpu based\"");
	PARSES("U.S. chips", "(us AND chips)");
	PARSES("\xe2\x80\x9cGlobal Times\xe2\x80\x9d", "\"global times\""); /* “typographic” */
	PARSES("\xe4\xba\xba\xe5\xb7\xa5\xe6\x99\xba\xe8\x83\xbd",
	       "\"\xe4\xba\xba\xe5\xb7\xa5 \xe5\xb7\xa5\xe6\x99\xba \xe6\x99\xba\xe8\x83\xbd\"");
	PARSES("semicond*", "semicond*");
	PARSES("Semi\xc3\xa7*", "semic*");
	PARSES("chip NEAR export", "(chip NEAR/10 export)");
	PARSES("chip NEAR/3 export", "(chip NEAR/3 export)");
	PARSES("a NEAR/2 b NEAR/5 c", "(a NEAR/5 b NEAR/5 c)");
	PARSES("a b NEAR/2 c", "(a AND (b NEAR/2 c))");
	PARSES("10:30", "\"10 30\"");
	PARSES("https://example.com/x", "\"https example com x\"");
}

static void test_fields(void)
{
	PARSES("title:GPU", "title:gpu");
	PARSES("Title:GPU", "title:gpu");
	PARSES("excerpt:chips", "excerpt:chips");
	PARSES("related:CloudMinds", "related:cloudminds");
	PARSES("provider:\"Global Times\"", "provider:\"global times\"");
	PARSES("provider:gizmochina", "provider:gizmochina");
	PARSES("site:wsj.com", "site:wsj.com");
	PARSES("site:WWW.WSJ.com", "site:wsj.com");
	PARSES("site:https://www.wsj.com/articles/x", "site:wsj.com");
	PARSES("topic:\"AI Hardware\"", "topic:\"ai hardware\"");
	PARSES("topic:AI*", "topic:ai*");
	PARSES("type:Article", "type:article");
	PARSES("url:moore-threads", "url:\"moore threads\"");
	PARSES("title:(gpu OR chip) sanctions", "((title:gpu OR title:chip) AND sanctions)");
	PARSES("site:(wsj.com OR ft.com)", "(site:wsj.com OR site:ft.com)");
	PARSES("title:semi*", "title:semi*");
	PARSES("-site:wsj.com", "(* AND NOT site:wsj.com)");
	PARSES("title:\"GPU-based\" a", "(title:\"gpu based\" AND a)");
}

static void test_dates(void)
{
	PARSES("date:2023-05..2023-12", "date:2023-05-01T00:00:00Z..2023-12-31T23:59:59Z");
	PARSES("date:2023..", "date:2023-01-01T00:00:00Z..");
	PARSES("date:..2023-06-30", "date:..2023-06-30T23:59:59Z");
	PARSES("date:2023-02", "date:2023-02-01T00:00:00Z..2023-02-28T23:59:59Z");
	PARSES("date:7d..", "date:2024-03-08T12:00:00Z..");
	PARSES("date:yesterday", "date:2024-03-14T00:00:00Z..2024-03-14T23:59:59Z");
	PARSES("date:3m..1m", "date:2023-12-15T12:00:00Z..2024-02-15T12:00:00Z");
	PARSES("gpu date:2023", "(gpu AND date:2023-01-01T00:00:00Z..2023-12-31T23:59:59Z)");
}

static void test_errors(void)
{
	REJECTS("", "query:1:1: the query is empty");
	REJECTS("   ", "query:1:1: the query is empty");
	REJECTS("&&", "query:1:1: the query has no words to search for (only punctuation)");
	REJECTS("sanctions (GPU", "query:1:11: unbalanced '('");
	REJECTS("a)", "query:1:2: unbalanced ')'");
	REJECTS("a \"b c", "query:1:3: unbalanced '\"'");
	REJECTS("()", "query:1:1: the query has no words to search for (only punctuation)");
	REJECTS("title:()", "query:1:1: 'title:' has no word to search for");
	REJECTS("a title: b", "query:1:3: 'title:' needs a value right after the colon");
	REJECTS("title:&", "query:1:7: 'title:' has no word to search for");
	REJECTS("date:2023-13", "query:1:6: date: cannot read '2023-13' (use YYYY, YYYY-MM, "
	                        "YYYY-MM-DD, 7d, 2w, 3m, 1y, today or yesterday)");
	REJECTS("date:2023..soon", "query:1:12: date: cannot read 'soon' (use YYYY, YYYY-MM, "
	                           "YYYY-MM-DD, 7d, 2w, 3m, 1y, today or yesterday)");
	REJECTS("date:2024..2023", "query:1:6: date: the range is empty: it ends before it starts");
	REJECTS("date:..", "query:1:6: date: needs a date or a range, as in date:2023-05..2023-12");
	REJECTS("date:(2023)", "query:1:1: date: takes one range, not parentheses");
	REJECTS("OR a", "query:1:1: 'OR' needs a word before it");
	REJECTS("a OR", "query:1:3: 'OR' needs a word after it");
	REJECTS("a AND", "query:1:3: 'AND' needs a word after it");
	REJECTS("AND a", "query:1:1: 'AND' needs a word before it");
	REJECTS("a NOT", "query:1:3: 'NOT' needs a word after it");
	REJECTS("a NEAR/x b", "query:1:3: 'NEAR/' needs a number of words, as in NEAR/5");
	REJECTS("\"a b\" NEAR c", "query:1:1: NEAR joins single words, as in chip NEAR/3 export");
	REJECTS("a NEAR", "query:1:7: the query ends where a word was expected");
	REJECTS("semi-cond*",
	        "query:1:1: a wildcard needs one word before the '*', as in semicond*");
	REJECTS("title:*", "query:1:7: title:* is not supported; use '*' alone for every article");
	REJECTS("title:(excerpt:a)", "query:1:8: fields cannot be nested ('excerpt:' inside "
	                             "'title:(...)')");
	REJECTS("title:(site:(a))", "query:1:8: fields cannot be nested ('site:' inside "
	                            "'title:(...)')");
	REJECTS("site:", "query:1:1: 'site:' needs a value right after the colon");
	REJECTS("topic:\"  \"", "query:1:8: topic: needs a value");
	/* Columns count characters: the error is at the 4th character. */
	REJECTS("\xc3\xa9t\xc3\xa9 )", "query:1:5: unbalanced ')'");
	REJECTS("a\nb (", "query:2:3: unbalanced '('");
}

/* What people paste: headlines with a "name:" that is no field, "()" */
static void test_pasted_text(void)
{
	PARSES("alternatives to AI chips: experts",
	       "(alternatives AND to AND ai AND chips AND experts)");
	PARSES("foo:bar", "\"foo bar\"");
	PARSES("Update: chips", "(update AND chips)");
	PARSES("TITLE:GPU", "title:gpu"); /* a field's name in any case */
	PARSES("Print() screens", "(print AND screens)");
	PARSES("a () b", "(a AND b)");
	PARSES("a OR () b", "(a OR b)");
	PARSES("a -() b", "(a AND b)");
	PARSES("(()) a", "a");
	PARSES("a (&) b", "(a AND b)");
	/* A headline's lone dash and ampersand are punctuation. */
	PARSES("Chips - and more & less", "(chips AND and AND more AND less)");
	/* Operator mistakes stay errors. */
	REJECTS("(chip", "query:1:1: unbalanced '('");
	REJECTS("chip OR", "query:1:6: 'OR' needs a word after it");
	REJECTS("chip title:", "query:1:6: 'title:' needs a value right after the colon");
	REJECTS("a NEAR ()", "query:1:8: NEAR joins single words, as in chip NEAR/3 export");
}

/* The rewrites that used to be silent are errors with a place. */
static void test_stars_and_long_words(void)
{
	REJECTS("ch*ps", "query:1:3: '*' is a wildcard only at the end of a word, as in "
	                 "semicond*; put the word in quotes to search for its letters");
	REJECTS("gpu *chips", "query:1:5: '*' is a wildcard only at the end of a word, as in "
	                      "semicond*; put the word in quotes to search for its letters");
	REJECTS("title:a*b", "query:1:8: '*' is a wildcard only at the end of a word, as in "
	                     "semicond*; put the word in quotes to search for its letters");
	REJECTS("semi**", "query:1:5: '*' is a wildcard only at the end of a word, as in "
	                  "semicond*; put the word in quotes to search for its letters");
	PARSES("\"ch*ps\"", "\"ch ps\""); /* quoted, '*' is punctuation */
	PARSES("\"*chips\"", "\"chips\"");
	PARSES("a * b", "(a AND * AND b)");
	PARSES("topic:a*b", "topic:a*b"); /* a whole value, not words */

	char q[300];
	memset(q, 'x', 200);
	strcpy(q + 200, " chips");
	REJECTS(q, "query:1:1: the word 'xxxxxxxxxxxxxxxxxxxx...' is too long to search for: "
	           "the index leaves out words of more than 64 bytes");
	strcpy(q, "chips \"a ");
	memset(q + 9, 'y', 65);
	strcpy(q + 74, "\"");
	REJECTS(q, "query:1:10: the word 'yyyyyyyyyyyyyyyyyyyy...' is too long to search for: "
	           "the index leaves out words of more than 64 bytes");
	/* 64 bytes is a word; 33 two-byte letters (alpha) are 66 bytes. */
	memset(q, 'z', 64);
	q[64] = '\0';
	PARSES(q, q);
	q[0] = '\0';
	for (int i = 0; i < 33; i++)
		strcat(q, "\xce\xb1");
#define ALPHA10 "\xce\xb1\xce\xb1\xce\xb1\xce\xb1\xce\xb1\xce\xb1\xce\xb1\xce\xb1\xce\xb1\xce\xb1"
	REJECTS(q, "query:1:1: the word '" ALPHA10 "...' is too long to search for: the index "
	           "leaves out words of more than 64 bytes");
	/* Lower-case operators are words (newsgrep hints on a terminal). */
	PARSES("a or b not c and d", "(a AND or AND b AND not AND c AND and AND d)");
}

static void test_paths(void)
{
	PARSES("path:ai chips", "(path:ai AND chips)");
	PARSES("folder:ai", "path:ai");
	PARSES("path:/srv/News/AI/", "path:/srv/News/AI/"); /* as typed: query.c finds it */
	PARSES("path:\"my news\"", "path:\"my news\"");
	PARSES("path:(ai OR seeds)", "(path:ai OR path:seeds)");
	PARSES("-path:ai", "(* AND NOT path:ai)");
	REJECTS("path:", "query:1:1: 'path:' needs a value right after the colon");
	REJECTS("path:\"\"", "query:1:6: 'path:' needs a folder, as in path:ai");
	REJECTS("path:()", "query:1:1: 'path:' has no word to search for");
}

static void fixed(const char *query, const char *want, int line)
{
	ng_arena arena;
	ng_arena_init(&arena);
	size_t len = strlen(query);
	char *copy = exact_copy(query, len);
	ng_qerror err;
	ng_qnode *root = ng_qparse_fixed(copy, len, tok, &arena, &err);
	ng_buf got = {0};
	char msg[300] = "";
	if (!root)
		ng_qerror_format(copy, len, &err, msg, sizeof(msg));
	else if (!ng_qnode_describe(root, &got))
		strcpy(msg, "out of memory");
	const char *g = root ? got.data : msg;
	if (strcmp(g, want) != 0) {
		fprintf(stderr, "%s:%d: -F '%s'\n  got  %s\n  want %s\n", __FILE__, line, query, g,
		        want);
		failures++;
	}
	ng_buf_release(&got);
	free(copy);
	ng_arena_release(&arena);
}
#define FIXED(q, want) fixed(q, want, __LINE__)

/* -F: every character is text. */
static void test_fixed_strings(void)
{
	FIXED("chips", "chips");
	FIXED("a OR b", "(a AND or AND b)");
	FIXED("title:gpu (x) -y \"z", "(\"title gpu\" AND x AND y AND z)");
	FIXED("semi* ch*ps *", "(semi AND \"ch ps\")");
	FIXED("GPU-based NEAR/3", "(\"gpu based\" AND \"near 3\")");
	FIXED("  ", "query:1:1: the query is empty");
	FIXED("", "query:1:1: the query is empty");
	FIXED(" () & ", "query:1:2: the query has no words to search for (only punctuation)");
	char q[100];
	memset(q, 'w', 70);
	strcpy(q + 70, " a");
	FIXED(q, "query:1:1: the word 'wwwwwwwwwwwwwwwwwwww...' is too long to search for: the "
	         "index leaves out words of more than 64 bytes");
	/* Bytes, not a C string: a NUL is a separator like any punctuation. */
	ng_arena arena;
	ng_arena_init(&arena);
	char *copy = exact_copy("a\0b", 3);
	ng_qerror err;
	ng_qnode *root = ng_qparse_fixed(copy, 3, tok, &arena, &err);
	ng_buf got = {0};
	if (!root || !ng_qnode_describe(root, &got) || strcmp(got.data, "\"a b\"") != 0) {
		fprintf(stderr, "%s:%d: -F 'a\\0b' did not parse as \"a b\"\n", __FILE__, __LINE__);
		failures++;
	}
	ng_buf_release(&got);
	free(copy);
	ng_arena_release(&arena);
}

static void test_hostile_input(void)
{
	/* Deep nesting is refused, not a stack overflow. */
	char deep[1000];
	memset(deep, '(', sizeof(deep) - 1);
	deep[sizeof(deep) - 1] = '\0';
	REJECTS(deep, "query:1:101: too many nested parentheses");
	char nots[4000] = "";
	for (int i = 0; i < 500; i++)
		strcat(nots, "NOT ");
	strcat(nots, "a");
	REJECTS(nots, "query:1:401: too many nested operators");
	/* Embedded NULs and invalid UTF-8 are only bytes. */
	rejects("a\0(", 3, "query:1:3: unbalanced '('", __LINE__);
	PARSES("\xff\xfe gpu \xc3", "gpu");
}

int main(void)
{
	tok = ng_tokenizer_new();
	if (!tok)
		return 2;
	test_words_and_operators();
	test_phrases_and_words();
	test_fields();
	test_dates();
	test_errors();
	test_pasted_text();
	test_stars_and_long_words();
	test_paths();
	test_fixed_strings();
	test_hostile_input();
	ng_tokenizer_free(tok);
	if (failures) {
		fprintf(stderr, "%d check(s) failed\n", failures);
		return 1;
	}
	printf("test_qparse: all checks passed\n");
	return 0;
}
