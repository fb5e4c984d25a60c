/*
 * header_alone.c - newsgrep.h must compile on its own, first, in strict
 * C99 with -pedantic -Werror: it may lean on no header the user did not
 * include and on no compiler extension, and its _INIT macros initialise
 * every field (no -Wmissing-field-initializers).  Built, never run.
 */
#include <newsgrep.h>

newsgrep_status_t header_alone_c(void);

newsgrep_status_t header_alone_c(void)
{
	newsgrep_search_options_t opts = NEWSGREP_SEARCH_OPTIONS_INIT;
	newsgrep_index_options_t index_opts = NEWSGREP_INDEX_OPTIONS_INIT;
	newsgrep_open_options_t open_opts = NEWSGREP_OPEN_OPTIONS_INIT;
	newsgrep_index_stats_t stats = NEWSGREP_INDEX_STATS_INIT;
	newsgrep_check_stats_t check = NEWSGREP_CHECK_STATS_INIT;
	if (newsgrep_search_options_init(&opts, NEWSGREP_SEARCH_OPTIONS_VERSION) != NEWSGREP_OK)
		return NEWSGREP_INTERNAL;
	return opts.limit == 10 && index_opts.version && open_opts.version && stats.version &&
	               check.version
	           ? NEWSGREP_OK
	           : NEWSGREP_INTERNAL;
}
