/*
 * procs: independent tasks, each in a child process of its own, a few at
 * once, with what each prints passed on in the order of the tasks.
 */
#ifndef COSTSHARE_PROCS_H
#define COSTSHARE_PROCS_H

#include <stddef.h>
#include <stdio.h>

/* A task: called in a child process with its index and the context
 * given to procs_run(), and returns the child's exit status. */
typedef int (*procs_task)(size_t index, void *context);

/*
 * Run TASK for every index from 0 to N - 1, each in a child process, at
 * most MAX at once (at least one), and wait for them all.  What a child
 * writes to standard output and standard error is held until it and
 * every child before it are done.  It is then copied to OUT and ERR,
 * task by task in order, so the output does not depend on which child
 * ended first.  NAMES[I] names task I in messages.
 *
 * Returns the exit status of the first task, in order, that did not exit
 * with 0, or 0.  A child stopped by a signal, or one that cannot be
 * started, counts as EXIT_SYSTEM, with a message on ERR.
 */
int procs_run(size_t n, unsigned max, procs_task task, void *context,
              char *const *names, FILE *out, FILE *err);

#endif
