/*
 * Unit tests of jobs: every job runs once, in either thread, and its
 * status and messages are kept.
 */
#include <CUnit/CUnit.h>
#include <stdatomic.h>

#include "jobs.h"
#include "suites.h"

#define COUNT(array) (sizeof(array) / sizeof((array)[0]))

static atomic_int calls[8];

static int count_call(void *arg, struct diag *d)
{
    int k = *(const int *)arg;

    atomic_fetch_add(&calls[k], 1);
    diag_warning(d, NULL, 0, 0, "job %d", k);
    return k % 2 == 0 ? 0 : -k;
}

static void test_each_job_runs_once(void)
{
    static int ids[8] = {0, 1, 2, 3, 4, 5, 6, 7};
    struct job list[8];
    struct jobs j;

    for (int k = 0; k < 8; k++) {
        atomic_store(&calls[k], 0);
        list[k].run = count_call;
        list[k].arg = &ids[k];
    }
    jobs_start(&j);
    jobs_run(&j, list, 8);
    for (int k = 0; k < 8; k++) {
        CU_ASSERT_EQUAL(atomic_load(&calls[k]), 1);
        CU_ASSERT_EQUAL(list[k].status, k % 2 == 0 ? 0 : -k);
        CU_ASSERT_EQUAL(list[k].diag.count, 1);
        diag_release(&list[k].diag);
    }
    jobs_stop(&j);
}

static void test_run_without_helper(void)
{
    static int ids[3] = {0, 1, 2};
    struct job list[3];

    for (int k = 0; k < 3; k++) {
        atomic_store(&calls[k], 0);
        list[k].run = count_call;
        list[k].arg = &ids[k];
    }
    jobs_run(NULL, list, 3);
    for (int k = 0; k < 3; k++) {
        CU_ASSERT_EQUAL(atomic_load(&calls[k]), 1);
        CU_ASSERT_EQUAL(list[k].status, k % 2 == 0 ? 0 : -k);
        CU_ASSERT_EQUAL(list[k].diag.count, 1);
        diag_release(&list[k].diag);
    }
}

static void test_run_twice_then_none(void)
{
    static int ids[2] = {0, 1};
    struct job list[2];
    struct jobs j;

    jobs_start(&j);
    for (int round = 0; round < 2; round++) {
        for (int k = 0; k < 2; k++) {
            atomic_store(&calls[k], 0);
            list[k].run = count_call;
            list[k].arg = &ids[k];
        }
        jobs_run(&j, list, 2);
        CU_ASSERT_EQUAL(atomic_load(&calls[0]), 1);
        CU_ASSERT_EQUAL(atomic_load(&calls[1]), 1);
        diag_release(&list[0].diag);
        diag_release(&list[1].diag);
    }
    jobs_run(&j, list, 0);
    jobs_stop(&j);
}

static pthread_t ran_on;

static int note_thread(void *arg, struct diag *d)
{
    (void)d;
    ran_on = pthread_self();
    atomic_fetch_add(&calls[*(const int *)arg], 1);
    return 0;
}

static void test_handed_jobs_run_on_helper(void)
{
    static int id = 3;
    struct job job = {note_thread, &id, {0}, -1};
    struct jobs j;

    atomic_store(&calls[3], 0);
    jobs_start(&j);
    jobs_hand(&j, &job, 1);
    jobs_wait(&j);
    CU_ASSERT_EQUAL(atomic_load(&calls[3]), 1);
    CU_ASSERT_EQUAL(job.status, 0);
    CU_ASSERT(pthread_equal(ran_on, j.thread));
    diag_release(&job.diag);
    /* A second wait has nothing to wait for. */
    jobs_wait(&j);
    jobs_stop(&j);
}

static void test_stop_waits_for_handed_jobs(void)
{
    static int ids[4] = {0, 1, 2, 3};
    struct job list[4];
    struct jobs j;

    for (int k = 0; k < 4; k++) {
        atomic_store(&calls[k], 0);
        list[k].run = count_call;
        list[k].arg = &ids[k];
    }
    jobs_start(&j);
    jobs_hand(&j, list, 4);
    jobs_stop(&j);
    for (int k = 0; k < 4; k++) {
        CU_ASSERT_EQUAL(atomic_load(&calls[k]), 1);
        diag_release(&list[k].diag);
    }
}

static void test_run_waits_for_handed_jobs(void)
{
    static int ids[4] = {0, 1, 2, 3};
    struct job handed[2], run[2];
    struct jobs j;

    for (int k = 0; k < 4; k++)
        atomic_store(&calls[k], 0);
    for (int k = 0; k < 2; k++) {
        handed[k].run = count_call;
        handed[k].arg = &ids[k];
        run[k].run = count_call;
        run[k].arg = &ids[k + 2];
    }
    jobs_start(&j);
    jobs_hand(&j, handed, 2);
    jobs_run(&j, run, 2);
    for (int k = 0; k < 4; k++)
        CU_ASSERT_EQUAL(atomic_load(&calls[k]), 1);
    for (int k = 0; k < 2; k++) {
        CU_ASSERT_EQUAL(handed[k].diag.count, 1);
        diag_release(&handed[k].diag);
        diag_release(&run[k].diag);
    }
    jobs_stop(&j);
}

static void test_stop_without_jobs(void)
{
    struct jobs j;

    jobs_start(&j);
    CU_ASSERT_EQUAL(j.started, 1);
    jobs_stop(&j);
}

int suite_jobs(void)
{
    static const struct {
        const char *name;
        CU_TestFunc function;
    } tests[] = {
        {"each job runs once", test_each_job_runs_once},
        {"run without a helper", test_run_without_helper},
        {"run twice then none", test_run_twice_then_none},
        {"handed jobs run on the helper", test_handed_jobs_run_on_helper},
        {"stop waits for handed jobs", test_stop_waits_for_handed_jobs},
        {"run waits for handed jobs", test_run_waits_for_handed_jobs},
        {"stop without jobs", test_stop_without_jobs},
    };
    CU_pSuite suite = CU_add_suite("jobs", NULL, NULL);

    if (suite == NULL)
        return -1;
    for (size_t i = 0; i < COUNT(tests); i++) {
        if (CU_add_test(suite, tests[i].name, tests[i].function) == NULL)
            return -1;
    }
    return 0;
}
