/*
 * testhooks.c - what the crash and segment tests make a writer do, built
 * only into the test copies of the library (NEWSGREP_TEST_HOOKS defined:
 * libnewsgrep_hooks and newsgrep-index-hooks, in test builds, never
 * installed).  In the shipped library both functions do nothing: it reads
 * no NEWSGREP_TEST_* variable and never kills its process.
 */
#include <signal.h>
#include <stdlib.h>

#include "ng.h"

#ifdef NEWSGREP_TEST_HOOKS

void ng_test_hooks_open(newsgrep_db_t *db)
{
	const char *kill_at = getenv("NEWSGREP_TEST_KILL_AT");
	const char *kill_signal = getenv("NEWSGREP_TEST_KILL_SIGNAL");
	if (kill_at) {
		db->kill_at = strtoul(kill_at, NULL, 10);
		db->kill_signal = kill_signal ? atoi(kill_signal) : SIGKILL;
	}
	const char *segment_files = getenv("NEWSGREP_TEST_SEGMENT_FILES");
	if (segment_files)
		db->segment_files = strtoul(segment_files, NULL, 10);
}

void ng_db_step(newsgrep_db_t *db)
{
	if (db->kill_at && ++db->steps == db->kill_at)
		raise(db->kill_signal);
}

#else

void ng_test_hooks_open(newsgrep_db_t *db)
{
	(void)db;
}

void ng_db_step(newsgrep_db_t *db)
{
	(void)db;
}

#endif
