/*
 * test_tokenize.c - the tokenizer shared by indexing and querying.
 *
 * Each case lists the exact terms expected, space-separated; CJK bigrams
 * and byte ranges are checked where they matter.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "ng.h"

typedef struct collected {
	char terms[4096];
	size_t starts[64], ends[64];
	bool stemmable[64], run_start[64], run_end[64], acronym_plural[64], capitals[64], lower[64];
	ng_token_kind kinds[64];
	size_t n;
} collected;

static bool collect(void *ctx, const ng_token *tok)
{
	collected *c = ctx;
	if (c->n < 64) {
		c->starts[c->n] = tok->start;
		c->ends[c->n] = tok->end;
		c->stemmable[c->n] = tok->stemmable;
		c->run_start[c->n] = tok->run_start;
		c->run_end[c->n] = tok->run_end;
		c->acronym_plural[c->n] = tok->acronym_plural;
		c->capitals[c->n] = tok->capitals;
		c->lower[c->n] = tok->lower;
		c->kinds[c->n] = tok->kind;
	}
	c->n++;
	size_t used = strlen(c->terms);
	snprintf(c->terms + used, sizeof(c->terms) - used, "%s%.*s", used ? " " : "", (int)tok->len,
	         tok->term);
	return true;
}

static ng_tokenizer *tok;

/* Tokenizes text[0..len) from an exactly-sized heap copy, so reading past
 * the end is caught by AddressSanitizer. */
static void run(const char *text, size_t len, collected *c)
{
	memset(c, 0, sizeof(*c));
	char *copy = exact_copy(text, len);
	if (ng_tokenize(tok, copy, len, collect, c) != NG_PASS_DONE) {
		fprintf(stderr, "ng_tokenize failed on '%.*s'\n", (int)len, text);
		failures++;
	}
	free(copy);
}

#define EXPECT(text, want) expect_terms(__FILE__, __LINE__, text, strlen(text), want)
#define EXPECT_N(text, len, want) expect_terms(__FILE__, __LINE__, text, len, want)

static void expect_terms(const char *file, int line, const char *text, size_t len, const char *want)
{
	collected c;
	run(text, len, &c);
	if (strcmp(c.terms, want) != 0) {
		fprintf(stderr, "%s:%d: tokenize('%.*s') = '%s', want '%s'\n", file, line, (int)len,
		        text, c.terms, want);
		failures++;
	}
}

static void test_ascii(void)
{
	EXPECT("", "");
	EXPECT("   \t\n ", "");
	EXPECT("Chinese Startup Moore Threads", "chinese startup moore threads");
	EXPECT("GPU-Based AI Center", "gpu based ai center");
	EXPECT("sanctions,GPU;chips.", "sanctions gpu chips");
	EXPECT("Huawei's Ascend 910B in 2023", "huawei ascend 910b in 2023");
	EXPECT("3.5 billion, 1,000 units", "3 5 billion 1 000 units");
	EXPECT("snake_case and CamelCase", "snake case and camelcase");
	EXPECT("e-mail: a@b.com", "e mail a b com");
	EXPECT("C++ and C#", "c and c");
}

static void test_acronyms(void)
{
	EXPECT("U.S. sanctions", "us sanctions");
	EXPECT("U.S sanctions", "us sanctions");
	EXPECT("the U.S.A.", "the usa");
	EXPECT("e.g. this", "eg this");
	EXPECT("U.S.-China talks", "us china talks");
	EXPECT("J. Smith", "j smith");
	/* Longer segments are separate words, not an acronym. */
	EXPECT("node.js and example.com", "node js and example com");
	EXPECT("A.I.-driven", "ai driven");
	EXPECT("v1.2", "v1 2");
}

static void test_apostrophes(void)
{
	EXPECT("China's chips", "china chips");
	EXPECT("China\xE2\x80\x99s chips", "china chips"); /* ’ */
	EXPECT("CHINA'S", "china");
	EXPECT("don't stop", "don t stop");
	EXPECT("O'Brien said", "o brien said");
	EXPECT("rock 'n' roll", "rock n roll");
	EXPECT("the '90s", "the 90s");
	EXPECT("users' data", "users data");
	EXPECT("it's", "it");
}

static void test_unicode(void)
{
	EXPECT("café CAFÉ Cafe\xCC\x81", "cafe cafe cafe"); /* precomposed, upper, combining */
	EXPECT("Ångström naïve façade", "angstrom naive facade");
	EXPECT("Straße", "strasse");
	EXPECT("ＧＰＵ ｃｈｉｐ", "gpu chip"); /* fullwidth: NFKC */
	EXPECT("ﬁnance", "finance");           /* ligature: NFKC */
	EXPECT("Москва ΑΘΗΝΑ", "москва αθηνα");
	EXPECT("soft\xC2\xADhyphen", "softhyphen");
	EXPECT("no\xC2\xA0"
	       "break space",
	       "no break space"); /* NBSP separates */
	EXPECT("emoji 🚀 rocket", "emoji rocket");
	EXPECT("İstanbul", "istanbul");
	EXPECT("x²", "x2");
}

static void test_cjk(void)
{
	collected c;
	EXPECT("人工智能", "人工 工智 智能");
	EXPECT("智", "智");
	EXPECT("AI芯片 chips", "ai 芯片 chips");
	EXPECT("華為と日本", "華為 為と と日 日本");
	EXPECT("カタカナ", "カタ タカ カナ");
	EXPECT("ｶﾀｶﾅ", "カタ タカ カナ"); /* halfwidth katakana: NFKC */
	EXPECT("한국어 뉴스", "한국 국어 뉴스");
	EXPECT("中 国", "中 国");

	run("华为AI芯片", strlen("华为AI芯片"), &c);
	CHECK(c.n == 3);
	CHECK(c.kinds[0] == NG_TOKEN_CJK && c.kinds[1] == NG_TOKEN_WORD);
	CHECK(c.run_start[0] && c.run_start[2]);
	CHECK(!c.stemmable[0] && c.stemmable[1]);

	run("人工智能", strlen("人工智能"), &c);
	CHECK(c.run_start[0] && !c.run_start[1] && !c.run_start[2]);
	/* Each bigram spans its two characters (3 bytes each). */
	CHECK(c.starts[0] == 0 && c.ends[0] == 6);
	CHECK(c.starts[2] == 6 && c.ends[2] == 12);
}

/* Which tokens of `text` are acronym plurals, as a string of 0 and 1. */
static void expect_plurals(const char *file, int line, const char *text, const char *want)
{
	collected c;
	run(text, strlen(text), &c);
	char got[65] = "";
	for (size_t i = 0; i < c.n && i < 64; i++)
		got[i] = c.acronym_plural[i] ? '1' : '0';
	if (strcmp(got, want) != 0) {
		fprintf(stderr, "%s:%d: acronym plurals of '%s' = '%s', want '%s'\n", file, line,
		        text, got, want);
		failures++;
	}
}
#define EXPECT_PLURALS(text, want) expect_plurals(__FILE__, __LINE__, text, want)

static void test_acronym_plurals(void)
{
	/* The term is as ever; only the mark says the singular is "gpu". */
	EXPECT("GPUs LLMs", "gpus llms");
	EXPECT_PLURALS("GPUs LLMs CPUs SDKs APIs H100s PCs", "1111111");
	/* Words, all-caps words, and one letter with an s are not. */
	EXPECT_PLURALS("gpus bus Bus BUS GPUS NEWS news As Ms series", "0000000000");
	EXPECT_PLURALS("GPU GPUS GPUses GPUs's GPUs'", "00011");
	EXPECT_PLURALS("iOS GPUS GpUs 100s U.S. GPU's", "000000");
	EXPECT("GPU's", "gpu");
	EXPECT_PLURALS("ÉTATs", "1");
}

/* Which tokens of `text` are written in capitals (C), have a small letter
 * (l), or neither (-). */
static void expect_case(const char *file, int line, const char *text, const char *want)
{
	collected c;
	run(text, strlen(text), &c);
	char got[65] = "";
	for (size_t i = 0; i < c.n && i < 64; i++)
		got[i] = c.capitals[i] ? (c.lower[i] ? '?' : 'C') : c.lower[i] ? 'l' : '-';
	if (strcmp(got, want) != 0) {
		fprintf(stderr, "%s:%d: the case of '%s' = '%s', want '%s'\n", file, line, text,
		        got, want);
		failures++;
	}
}
#define EXPECT_CASE(text, want) expect_case(__FILE__, __LINE__, text, want)

static void test_capitals(void)
{
	/* Three characters or more, a capital first, capitals and digits. */
	EXPECT_CASE("CPU H100 AI US Cpu cpu GPUs 100 ÉTAT", "CC--lll-C");
	EXPECT_CASE("人工 NEW york", "-Cl");
}

static void test_cjk_runs(void)
{
	collected c;
	run("人工智能 AI 人", strlen("人工智能 AI 人"), &c);
	CHECK(c.n == 5);
	CHECK(!c.run_end[0] && !c.run_end[1] && c.run_end[2]);
	CHECK(!c.run_end[3]);                  /* a word */
	CHECK(c.run_start[4] && c.run_end[4]); /* a lone character */
	run("他是好人。", strlen("他是好人。"), &c);
	CHECK(c.n == 3 && c.run_end[2] && !c.run_end[1]);
}

static void test_spelt_out(void)
{
	/* Ligatures and letters with a stroke have no decomposition to strip:
	 * they are spelt out (text rules 2), upper case too. */
	EXPECT("œuvre Œuvre ŒUVRE", "oeuvre oeuvre oeuvre");
	EXPECT("Æsthete encyclopædia", "aesthete encyclopaedia");
	EXPECT("Łódź Øresund Đorđe", "lodz oresund dorde");
	EXPECT("ǽ", "ae"); /* æ with an acute */
	EXPECT("ﬁnal ﬂow", "final flow");
	EXPECT("Straße", "strasse");
	/* Text rules 1, an older index's, keep them. */
	ng_tokenizer_set_rules(tok, 1);
	EXPECT("œuvre Æsthete Łódź", "œuvre æsthete łodz");
	EXPECT("ﬁnal Straße", "final strasse");
	ng_tokenizer_set_rules(tok, NG_TEXT_RULES);
	EXPECT("œuvre", "oeuvre");
}

static void test_offsets(void)
{
	collected c;
	const char *t = "  U.S. chip's café";
	run(t, strlen(t), &c);
	CHECK(c.n == 3);
	CHECK(c.starts[0] == 2 && c.ends[0] == 5);   /* "U.S" */
	CHECK(c.starts[1] == 7 && c.ends[1] == 11);  /* "chip" */
	CHECK(c.starts[2] == 14 && c.ends[2] == 19); /* "café": é is two bytes */
	CHECK(c.stemmable[1]);

	run("2023 910b", 9, &c);
	CHECK(c.n == 2 && !c.stemmable[0] && !c.stemmable[1]);
}

static void test_invalid_utf8(void)
{
	EXPECT("abc\xFF"
	       "def",
	       "abc def");
	EXPECT("\xC3", ""); /* truncated sequence at the end */
	EXPECT("ab\xC3", "ab");
	EXPECT("\xE4\xBA", "");       /* truncated CJK */
	EXPECT("\xED\xA0\x80x", "x"); /* a UTF-16 surrogate */
	EXPECT("\xC0\xAF"
	       "ok",
	       "ok"); /* overlong */
	EXPECT_N("nul\0byte", 8, "nul byte");
	/* Every byte value, alone and after a letter: no crash, no over-read. */
	for (int b = 0; b < 256; b++) {
		char s[2] = {'a', (char)b};
		collected c;
		run(s + 1, 1, &c);
		run(s, 2, &c);
	}
}

static void test_limits(void)
{
	char longword[200];
	memset(longword, 'a', sizeof(longword));
	/* Words longer than NG_TERM_MAX bytes are not terms. */
	EXPECT_N(longword, NG_TERM_MAX + 1, "");
	char buf[NG_TERM_MAX + 8];
	memset(buf, 'b', NG_TERM_MAX);
	memcpy(buf + NG_TERM_MAX, " ok", 3);
	collected c;
	run(buf, NG_TERM_MAX + 3, &c);
	CHECK(c.n == 2);
	run(longword, sizeof(longword), &c);
	CHECK(c.n == 0);
}

static bool stop_after_one(void *ctx, const ng_token *t)
{
	(void)t;
	++*(int *)ctx;
	return false;
}

static void test_stop_value(void)
{
	int calls = 0;
	CHECK(ng_tokenize(tok, "one two three", 13, stop_after_one, &calls) == NG_PASS_STOPPED);
	CHECK(calls == 1);
}

static void test_fold_value(void)
{
	ng_buf b = {0};
	CHECK(ng_fold_value("  AI   Hardware ", 16, &b));
	CHECK(strcmp(b.data, "ai hardware") == 0);
	b.len = 0;
	CHECK(ng_fold_value("Café Société", strlen("Café Société"), &b));
	CHECK(strcmp(b.data, "cafe societe") == 0);
	/* After a term prefix already in the buffer, leading space is still
	 * trimmed: the indexer writes "K" first, then the topic. */
	b.len = 0;
	CHECK(ng_buf_append(&b, "K", 1));
	CHECK(ng_fold_value("  AI  Chips", 11, &b));
	CHECK(b.len == 9 && strcmp(b.data, "Kai chips") == 0);
	b.len = 0;
	CHECK(ng_buf_append(&b, "K", 1));
	CHECK(ng_fold_value("\xff Raw", 5, &b)); /* not UTF-8: kept as it is */
	CHECK(b.len == 6 && memcmp(b.data, "K\xff Raw", 7) == 0);
	ng_buf_release(&b);
}

int main(void)
{
	tok = ng_tokenizer_new();
	if (!tok)
		return 1;
	test_ascii();
	test_acronyms();
	test_apostrophes();
	test_unicode();
	test_cjk();
	test_acronym_plurals();
	test_capitals();
	test_cjk_runs();
	test_spelt_out();
	test_offsets();
	test_invalid_utf8();
	test_limits();
	test_stop_value();
	test_fold_value();
	ng_tokenizer_free(tok);
	if (failures) {
		fprintf(stderr, "test_tokenize: %d failures\n", failures);
		return 1;
	}
	puts("test_tokenize: all passed");
	return 0;
}
