/*
 * closeout.h - standard output checked at exit, for newsgrep and
 * newsgrep-index alike.
 */
#ifndef NEWSGREP_CLOSEOUT_H
#define NEWSGREP_CLOSEOUT_H

/* Registers (atexit) a check that everything printed reached standard
 * output: if not, "PROG: cannot write to standard output: REASON" on stderr
 * and exit status 2 (so that --help >/dev/full fails, and cron hears of a
 * full disk).  A closed pipe is the reader's choice, and is quiet.  prog
 * must live until exit. */
void closeout_at_exit(const char *prog);

#endif
