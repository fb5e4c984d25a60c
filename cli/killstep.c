/*
 * killstep.c - kill_step(): see killstep.h.
 */
#include "killstep.h"

#ifdef NEWSGREP_TEST_HOOKS
#include <signal.h>
#include <stdlib.h>

void kill_step(void)
{
	static unsigned long kill_at, n;
	static int kill_signal, read;
	if (!read) {
		read = 1;
		const char *at = getenv("NEWSGREP_TEST_PROGRAM_KILL_AT");
		const char *sig = getenv("NEWSGREP_TEST_KILL_SIGNAL");
		kill_at = at ? strtoul(at, NULL, 10) : 0;
		kill_signal = sig ? atoi(sig) : SIGKILL;
	}
	if (kill_at && ++n == kill_at)
		raise(kill_signal);
}

#else

void kill_step(void)
{
}

#endif
