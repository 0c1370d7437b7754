/*
 * jobs: independent steps of a run shared between the calling thread and
 * one helper thread, started early so that it is ready when needed.
 */
#ifndef COSTSHARE_JOBS_H
#define COSTSHARE_JOBS_H

#include <pthread.h>
#include <stddef.h>

#include "diag.h"

/* One step: RUN is called once with ARG and a diagnostics list of its
 * own, and its return value kept in STATUS. */
struct job {
    int (*run)(void *arg, struct diag *d);
    void *arg;
    struct diag diag;
    int status;
};

/* The helper thread and the list it shares with the caller. */
struct jobs {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t changed;
    int started;      /* whether the helper thread runs */
    int stopping;     /* set by jobs_stop() */
    struct job *list; /* the list being run, or NULL */
    size_t n;
    size_t next;     /* the first job not taken yet */
    size_t finished; /* jobs of LIST done */
};

/* Start the helper thread, which waits for jobs_run().  When it cannot
 * be started, jobs_run() runs every job in the calling thread. */
void jobs_start(struct jobs *j);

/*
 * Run the N jobs of LIST, each once, in the calling thread and the
 * helper thread, and return when all are done.  The two take the jobs
 * in the order of LIST, so the longest should come first.  With J NULL,
 * the calling thread runs them all, in order.
 */
void jobs_run(struct jobs *j, struct job *list, size_t n);

/*
 * Hand the N jobs of LIST to the helper thread alone and return at once,
 * or run them before returning when the helper thread is not running.
 * LIST must stay valid until jobs_wait(), and a later jobs_run() or
 * jobs_hand() first waits for it.
 */
void jobs_hand(struct jobs *j, struct job *list, size_t n);

/* Wait until the jobs handed over by jobs_hand() are done. */
void jobs_wait(struct jobs *j);

/* Wait for the jobs handed over, end the helper thread and release J. */
void jobs_stop(struct jobs *j);

#endif
