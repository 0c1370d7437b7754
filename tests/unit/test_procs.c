/*
 * Unit tests of procs: each task runs in a child process, the output of
 * the tasks comes in their order whatever order they end in, and the
 * status is that of the first task that failed.
 */
#include <CUnit/CUnit.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "procs.h"
#include "suites.h"
#include "util.h"

#define COUNT(array) (sizeof(array) / sizeof((array)[0]))

static char *names[] = {"first", "second", "third", "fourth"};

/* What task I does: sleep DELAY[I] ms, print, exit with STATUS[I] or,
 * where STATUS[I] is -1, kill itself. */
struct plan {
    int delay[4];
    int status[4];
};

static int planned(size_t i, void *context)
{
    const struct plan *p = context;
    struct timespec wait = {0, p->delay[i] * 1000000L};

    nanosleep(&wait, NULL);
    printf("out %zu\n", i);
    fprintf(stderr, "err %zu\n", i);
    if (p->status[i] < 0) {
        fflush(NULL);
        raise(SIGKILL);
    }
    return p->status[i];
}

/* Return the text written to F, and close F.  The caller frees the
 * text. */
static char *text_of(FILE *f)
{
    long size;
    char *text;

    fflush(f);
    size = ftell(f);
    text = xcalloc((size_t)size + 1, 1);
    rewind(f);
    CU_ASSERT_EQUAL(fread(text, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    return text;
}

static int run_plan(const struct plan *p, size_t n, unsigned max, char **out,
                    char **err)
{
    FILE *o = tmpfile(), *e = tmpfile();
    int status;

    CU_ASSERT_FATAL(o != NULL && e != NULL);
    status = procs_run(n, max, planned, (void *)p, names, o, e);
    *out = text_of(o);
    *err = text_of(e);
    return status;
}

static void test_output_in_task_order(void)
{
    /* The later tasks end first. */
    struct plan p = {{120, 80, 40, 0}, {0, 0, 0, 0}};
    char *out, *err;

    CU_ASSERT_EQUAL(run_plan(&p, 4, 4, &out, &err), 0);
    CU_ASSERT_STRING_EQUAL(out, "out 0\nout 1\nout 2\nout 3\n");
    CU_ASSERT_STRING_EQUAL(err, "err 0\nerr 1\nerr 2\nerr 3\n");
    free(out);
    free(err);
}

static void test_one_at_a_time(void)
{
    struct plan p = {{0, 0, 0, 0}, {0, 0, 0, 0}};
    char *out, *err;

    CU_ASSERT_EQUAL(run_plan(&p, 3, 1, &out, &err), 0);
    CU_ASSERT_STRING_EQUAL(out, "out 0\nout 1\nout 2\n");
    free(out);
    free(err);
    /* A MAX of 0 runs one task at a time. */
    CU_ASSERT_EQUAL(run_plan(&p, 2, 0, &out, &err), 0);
    CU_ASSERT_STRING_EQUAL(out, "out 0\nout 1\n");
    free(out);
    free(err);
}

static void test_first_failure_in_order(void)
{
    /* The third fails first in time, the second first in order. */
    struct plan p = {{60, 30, 0, 0}, {0, 1, 3, 0}};
    char *out, *err;

    CU_ASSERT_EQUAL(run_plan(&p, 4, 4, &out, &err), 1);
    CU_ASSERT_STRING_EQUAL(out, "out 0\nout 1\nout 2\nout 3\n");
    free(out);
    free(err);
}

static void test_killed_task(void)
{
    struct plan p = {{0, 20, 0, 0}, {0, -1, 0, 0}};
    char *out, *err;

    CU_ASSERT_EQUAL(run_plan(&p, 3, 2, &out, &err), EXIT_SYSTEM);
    CU_ASSERT_STRING_EQUAL(out, "out 0\nout 1\nout 2\n");
    CU_ASSERT_PTR_NOT_NULL(strstr(err, "err 1\ncostshare: second: "
                                       "the run was stopped by signal 9"));
    CU_ASSERT_PTR_NOT_NULL(strstr(err, ")\nerr 2\n"));
    free(out);
    free(err);
}

static void test_no_task(void)
{
    struct plan p = {{0, 0, 0, 0}, {0, 0, 0, 0}};
    char *out, *err;

    CU_ASSERT_EQUAL(run_plan(&p, 0, 2, &out, &err), 0);
    CU_ASSERT_STRING_EQUAL(out, "");
    CU_ASSERT_STRING_EQUAL(err, "");
    free(out);
    free(err);
}

int suite_procs(void)
{
    static const struct {
        const char *name;
        CU_TestFunc function;
    } tests[] = {
        {"output in task order", test_output_in_task_order},
        {"one at a time", test_one_at_a_time},
        {"first failure in order", test_first_failure_in_order},
        {"killed task", test_killed_task},
        {"no task", test_no_task},
    };
    CU_pSuite suite = CU_add_suite("procs", NULL, NULL);

    if (suite == NULL)
        return -1;
    for (size_t i = 0; i < COUNT(tests); i++) {
        if (CU_add_test(suite, tests[i].name, tests[i].function) == NULL)
            return -1;
    }
    return 0;
}
