/*
 * jobs: a helper thread that takes jobs from a list beside the caller.
 */
#include "jobs.h"

#include <string.h>

/* Take the next job of J's list, or return NULL when none is left.
 * Called with J's lock held. */
static struct job *take(struct jobs *j)
{
    if (j->list == NULL || j->next == j->n)
        return NULL;
    return &j->list[j->next++];
}

/* Run jobs from J's list until none is left.  Called with J's lock
 * held, which is released while a job runs. */
static void run_jobs(struct jobs *j)
{
    struct job *job;

    while ((job = take(j)) != NULL) {
        pthread_mutex_unlock(&j->lock);
        diag_init(&job->diag);
        job->status = job->run(job->arg, &job->diag);
        pthread_mutex_lock(&j->lock);
        j->finished++;
        pthread_cond_broadcast(&j->changed);
    }
}

static void *helper(void *arg)
{
    struct jobs *j = arg;

    pthread_mutex_lock(&j->lock);
    while (!j->stopping) {
        run_jobs(j);
        if (!j->stopping)
            pthread_cond_wait(&j->changed, &j->lock);
    }
    pthread_mutex_unlock(&j->lock);
    return NULL;
}

void jobs_start(struct jobs *j)
{
    memset(j, 0, sizeof *j);
    pthread_mutex_init(&j->lock, NULL);
    pthread_cond_init(&j->changed, NULL);
    j->started = pthread_create(&j->thread, NULL, helper, j) == 0;
}

/* Put LIST in J's list.  Called with J's lock held, when no list is
 * being run. */
static void set_list(struct jobs *j, struct job *list, size_t n)
{
    j->list = list;
    j->n = n;
    j->next = 0;
    j->finished = 0;
    pthread_cond_broadcast(&j->changed);
}

/* Wait until every job of J's list is done, and forget the list.  Called
 * with J's lock held. */
static void wait_list(struct jobs *j)
{
    while (j->list != NULL && j->finished < j->n)
        pthread_cond_wait(&j->changed, &j->lock);
    j->list = NULL;
}

void jobs_run(struct jobs *j, struct job *list, size_t n)
{
    if (j == NULL) {
        for (size_t i = 0; i < n; i++) {
            diag_init(&list[i].diag);
            list[i].status = list[i].run(list[i].arg, &list[i].diag);
        }
        return;
    }
    pthread_mutex_lock(&j->lock);
    wait_list(j);
    set_list(j, list, n);
    run_jobs(j);
    wait_list(j);
    pthread_mutex_unlock(&j->lock);
}

void jobs_hand(struct jobs *j, struct job *list, size_t n)
{
    pthread_mutex_lock(&j->lock);
    wait_list(j);
    set_list(j, list, n);
    if (!j->started)
        run_jobs(j);
    pthread_mutex_unlock(&j->lock);
}

void jobs_wait(struct jobs *j)
{
    pthread_mutex_lock(&j->lock);
    wait_list(j);
    pthread_mutex_unlock(&j->lock);
}

void jobs_stop(struct jobs *j)
{
    pthread_mutex_lock(&j->lock);
    wait_list(j);
    j->stopping = 1;
    pthread_cond_broadcast(&j->changed);
    pthread_mutex_unlock(&j->lock);
    if (j->started)
        pthread_join(j->thread, NULL);
    pthread_mutex_destroy(&j->lock);
    pthread_cond_destroy(&j->changed);
}
