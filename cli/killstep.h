/*
 * killstep.h - crash tests of a program's own writing steps.
 *
 * In a test copy of a program (built with NEWSGREP_TEST_HOOKS, as
 * newsgrep-watch-hooks is), NEWSGREP_TEST_PROGRAM_KILL_AT=N makes the N-th
 * call of kill_step() send the process SIGKILL (or
 * NEWSGREP_TEST_KILL_SIGNAL): a program marks each step that writes
 * somewhere (standard output, a file) with it.  The index's own steps are
 * the library's (NEWSGREP_TEST_KILL_AT, core/testhooks.c), counted apart.
 * In the shipped programs kill_step() does nothing.
 */
#ifndef NEWSGREP_KILLSTEP_H
#define NEWSGREP_KILLSTEP_H

void kill_step(void);

#endif
