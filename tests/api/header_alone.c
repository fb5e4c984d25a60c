/*
 * header_alone.c - newsgrep.h must compile on its own, first, in strict
 * C99 with -pedantic -Werror: it may lean on no header the user did not
 * include and on no compiler extension.  Built, never run.
 */
#include <newsgrep.h>

newsgrep_status_t header_alone_c(void);

newsgrep_status_t header_alone_c(void)
{
	newsgrep_search_options_t opts;
	newsgrep_search_options_init(&opts);
	return opts.limit == 10 ? NEWSGREP_OK : NEWSGREP_INTERNAL;
}
