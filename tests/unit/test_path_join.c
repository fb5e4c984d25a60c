/*
 * test_path_join.c - ng_path_join never cuts a path short.
 */
#include "ng.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

int main(void)
{
	char out[PATH_MAX + 64];
	CHECK(ng_path_join(out, sizeof(out), "/index", "XAPIANDB"));
	STR_IS(out, "/index/XAPIANDB");
	/* Exactly the room it needs, and one byte less. */
	CHECK(ng_path_join(out, 5, "ab", "c"));
	STR_IS(out, "ab/c");
	errno = 0;
	CHECK(!ng_path_join(out, 4, "ab", "c"));
	CHECK(errno == ENAMETOOLONG);
	STR_IS(out, "");
	/* Nothing the kernel would refuse, whatever the buffer: PATH_MAX - 1
	 * bytes are the most. */
	char dir[PATH_MAX];
	memset(dir, 'd', sizeof(dir));
	dir[PATH_MAX - 3] = '\0'; /* + "/x" is PATH_MAX - 1 bytes */
	CHECK(ng_path_join(out, sizeof(out), dir, "x"));
	CHECK(strlen(out) == PATH_MAX - 1);
	errno = 0;
	CHECK(!ng_path_join(out, sizeof(out), dir, "xy"));
	CHECK(errno == ENAMETOOLONG);
	STR_IS(out, "");
	CHECK(!ng_path_join(out, 0, "a", "b"));
	return failures != 0;
}
