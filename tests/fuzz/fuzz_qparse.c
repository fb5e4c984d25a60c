/*
 * fuzz_qparse.c - libFuzzer target for the query parser.
 *
 * Any bytes are a query, in the query language and as plain words (-F).
 * Each parser must either build a tree (which must describe itself) or
 * fail with a "query:LINE:COLUMN: ..." message whose offset lies inside
 * the query.  ASan and UBSan catch the rest.
 *
 *   scripts/fuzz          builds this and runs it on tests/fuzz/corpus/qparse
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ng.h"

/* 2024-03-15T12:00:00Z: a fixed "now", so runs are reproducible. */
static const int64_t NOW = 1710504000;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* Made once and reused, as newsgrep does with one per thread. */
	static ng_tokenizer *tok;
	if (!tok && !(tok = ng_tokenizer_new()))
		abort();

	/* A heap copy of exactly `size` bytes (no NUL after it), so ASan
	 * reports any read past the end of the query. */
	char *text = malloc(size);
	if (!text && size)
		abort();
	if (size)
		memcpy(text, data, size);

	ng_arena arena;
	ng_arena_init(&arena);
	/* The query language, then the same bytes as plain words (-F). */
	for (int fixed = 0; fixed < 2; fixed++) {
		ng_qerror err;
		ng_qnode *root = fixed ? ng_qparse_fixed(text, size, tok, &arena, &err)
		                       : ng_qparse(text, size, tok, &arena, NOW, &err);
		if (root) {
			/* Walk the whole tree; false only when out of memory. */
			ng_buf out = {0};
			(void)ng_qnode_describe(root, &out);
			ng_buf_release(&out);
		} else {
			char msg[300];
			ng_qerror_format(text, size, &err, msg, sizeof(msg));
			/* Every error is shown to the user as "query:LINE:COL:
			 * ...", pointing inside the query (or just past its end). */
			if (strncmp(msg, "query:", 6) != 0 || err.offset > size)
				abort();
		}
	}

	/* Release, not reset: freed chunks let ASan catch stale pointers. */
	ng_arena_release(&arena);
	free(text);
	return 0;
}
