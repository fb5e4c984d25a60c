/*
 * test_grow.c - growable arrays (buf.c's ng_grow, arena.c's ng_arena_grow):
 * room for one more, doubling from `first`, contents kept, and a size
 * that would overflow refused with the array left as it was.
 */
#include <stdint.h>

#include "check.h"
#include "ng.h"

static void test_malloc_array(void)
{
	int *v = NULL;
	size_t n = 0, cap = 0;
	size_t caps[5] = {0};
	int grew = 0;
	for (int i = 0; i < 37; i++) {
		size_t before = cap;
		int *more = ng_grow(v, n, &cap, sizeof(*more), 4);
		CHECK(more != NULL);
		if (!more)
			break;
		if (cap != before && grew < 5)
			caps[grew++] = cap;
		CHECK(cap > n);
		if (before > n) /* room: the same array */
			CHECK(more == v && cap == before);
		v = more;
		v[n++] = i * 7;
	}
	CHECK(grew == 5 && caps[0] == 4 && caps[1] == 8 && caps[2] == 16 && caps[3] == 32 &&
	      caps[4] == 64);
	for (size_t i = 0; i < n; i++)
		CHECK(v[i] == (int)i * 7);
	free(v);
}

static void test_overflow(void)
{
	/* The next capacity's bytes would not fit in a size_t. */
	char *v = malloc(4);
	CHECK(v != NULL);
	size_t cap = 4;
	CHECK(ng_grow(v, 4, &cap, SIZE_MAX / 5, 1) == NULL);
	CHECK(cap == 4); /* v is still the caller's, unchanged */
	/* Doubling the count itself would overflow. */
	CHECK(ng_grown_cap(SIZE_MAX / 2 + 1, 1, 1) == 0);
	CHECK(ng_grown_cap(SIZE_MAX / 4, 2, 1) == SIZE_MAX / 4 * 2);
	CHECK(ng_grown_cap(SIZE_MAX / 4, 4, 1) == 0);
	CHECK(ng_grown_cap(0, 0, 8) == 0);
	CHECK(ng_grown_cap(0, 8, 16) == 16);
	free(v);
}

static void test_arena_array(void)
{
	ng_arena a;
	ng_arena_init(&a);
	const char **v = NULL;
	size_t n = 0, cap = 0;
	static const char *const words[] = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j"};
	for (size_t i = 0; i < 10; i++) {
		const char **more = ng_arena_grow(&a, v, n, &cap, sizeof(*more), 2);
		CHECK(more != NULL);
		if (!more)
			break;
		v = more;
		v[n++] = words[i];
	}
	CHECK(n == 10 && cap == 16);
	for (size_t i = 0; i < n; i++)
		STR_IS(v[i], words[i]);
	size_t full = 16;
	CHECK(ng_arena_grow(&a, v, 16, &full, SIZE_MAX / 20, 1) == NULL && full == 16);
	ng_arena_release(&a);
}

int main(void)
{
	test_malloc_array();
	test_overflow();
	test_arena_array();
	if (failures) {
		fprintf(stderr, "test_grow: %d failure(s)\n", failures);
		return 1;
	}
	printf("test_grow: all passed\n");
	return 0;
}
