// header_alone.cc - newsgrep.h compiles on its own as C++11 too, with
// -pedantic -Werror, its declarations have C linkage, and its _INIT
// macros are valid C++.  Built, never run.
#include <newsgrep.h>

extern "C" newsgrep_status_t header_alone_cxx(void);

newsgrep_status_t header_alone_cxx(void)
{
	newsgrep_search_options_t opts = NEWSGREP_SEARCH_OPTIONS_INIT;
	newsgrep_index_options_t index_opts = NEWSGREP_INDEX_OPTIONS_INIT;
	newsgrep_open_options_t open_opts = NEWSGREP_OPEN_OPTIONS_INIT;
	newsgrep_index_stats_t stats = NEWSGREP_INDEX_STATS_INIT;
	newsgrep_check_stats_t check = NEWSGREP_CHECK_STATS_INIT;
	if (opts.limit != 10 || !index_opts.version || !stats.version || !check.version)
		return NEWSGREP_INTERNAL;
	newsgrep_db_t *db = nullptr;
	return newsgrep_db_open(&db, "", NEWSGREP_DB_READ, &open_opts, nullptr);
}
