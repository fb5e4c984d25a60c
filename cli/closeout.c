/*
 * closeout.c - standard output checked at exit (see closeout.h).
 */
#include "closeout.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *closeout_prog;

static void close_stdout(void)
{
	bool failed = ferror(stdout) != 0;
	int err = 0;
	errno = 0;
	if (fflush(stdout) != 0) {
		failed = true;
		err = errno;
	}
	if (fclose(stdout) != 0 && !failed) {
		failed = true;
		err = errno;
	}
	if (!failed || err == EPIPE)
		return;
	fprintf(stderr, "%s: cannot write to standard output%s%s\n", closeout_prog, err ? ": " : "",
	        err ? strerror(err) : "");
	_exit(2);
}

void closeout_at_exit(const char *prog)
{
	closeout_prog = prog;
	atexit(close_stdout);
}
