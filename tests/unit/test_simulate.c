/*
 * Unit tests of simulate: draws without headcount error, the same and
 * another seed, the order of the percentiles, the sensitivity to one
 * more person, and the models it rejects.  Each case writes its model
 * and headcount to a mkdtemp folder.
 *
 * The model has A 50, B 30 and C 20 persons and a pool of 1000.00:
 * 500.00, 300.00 and 200.00.  The sensitivity amounts were worked out by
 * hand (largest remainder) and checked with Python's fractions module.
 */
#include <CUnit/CUnit.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "model.h"
#include "simulate.h"
#include "suites.h"

#define COUNT(array) (sizeof(array) / sizeof((array)[0]))

/* The model.  The text a case adds goes at the end, in [rules]. */
#define MODEL_HEAD                                                            \
    "[model]\n"                                                               \
    "name = unit-simulate\n"                                                  \
    "kind = jfa\n"                                                            \
    "period = 2024\n"                                                         \
    "currency = USD\n"                                                        \
    "[headcount]\n"                                                           \
    "file = headcount.csv\n"                                                  \
    "[budget]\n"                                                              \
    "amount = 1000.00\n"                                                      \
    "[rules]\n"                                                               \
    "basis = total\n"

/* A mkdtemp folder with model.ini and headcount.csv. */
struct simulate_case {
    char dir[40];
    char model[80];
    char headcount[80];
};

static int write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");

    if (f == NULL)
        return -1;
    fputs(text, f);
    return fclose(f);
}

/* Write the model, with EXTRA after its rules, and load it into M.
 * Returns what model_load() returns, or -3 when a file cannot be
 * written.  Close the case with case_close(). */
static int load_case(struct simulate_case *c, const char *extra,
                     struct model *m, struct diag *d)
{
    char text[1024];

    memset(m, 0, sizeof *m);
    strcpy(c->dir, "/tmp/costshare-simulate-XXXXXX");
    c->model[0] = '\0';
    if (mkdtemp(c->dir) == NULL)
        return -3;
    snprintf(c->model, sizeof c->model, "%s/model.ini", c->dir);
    snprintf(c->headcount, sizeof c->headcount, "%s/headcount.csv", c->dir);
    snprintf(text, sizeof text, "%s%s", MODEL_HEAD, extra);
    if (write_text(c->model, text) != 0 ||
        write_text(c->headcount, "organisation,country,headcount\n"
                                 "A,KEN,50\n"
                                 "B,KEN,30\n"
                                 "C,KEN,20\n") != 0)
        return -3;
    return model_load(m, c->model, d);
}

static void case_close(struct simulate_case *c)
{
    if (c->model[0] == '\0')
        return;
    unlink(c->model);
    unlink(c->headcount);
    rmdir(c->dir);
}

static struct simulate_options options_of(size_t draws, unsigned long seed,
                                          int64_t error)
{
    struct simulate_options o;

    memset(&o, 0, sizeof o);
    o.draws = draws;
    o.seed = seed;
    o.error = error;
    o.progress = 0;
    return o;
}

/* 1 % of headcount error in SHARE_SCALE units. */
#define ONE_PERCENT (SHARE_SCALE / 100)

/* Every draw without error is the run itself. */
static void test_zero_error_equals_run(void)
{
    struct simulate_case c;
    struct simulate_options o = options_of(7, 1, 0);
    struct simulation s;
    struct model m;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(load_case(&c, "", &m, &d), 0);
    CU_ASSERT_EQUAL_FATAL(simulate_run(&s, &m, &o, &d), 0);
    CU_ASSERT_EQUAL_FATAL(s.base.n, 3);
    CU_ASSERT_EQUAL(s.base.allocation.amount[0], 50000);
    CU_ASSERT_EQUAL(s.base.allocation.amount[1], 30000);
    CU_ASSERT_EQUAL(s.base.allocation.amount[2], 20000);
    for (size_t k = 0; k < s.base.n; k++) {
        int64_t amount = s.base.allocation.amount[k];
        int64_t percent = s.base.allocation.percent[k];

        CU_ASSERT_EQUAL(s.amount[k].p5, amount);
        CU_ASSERT_EQUAL(s.amount[k].p50, amount);
        CU_ASSERT_EQUAL(s.amount[k].p95, amount);
        CU_ASSERT_DOUBLE_EQUAL(s.amount[k].mean, (double)amount, 1e-9);
        CU_ASSERT_DOUBLE_EQUAL(s.amount[k].sd, 0.0, 1e-9);
        CU_ASSERT_EQUAL(s.percent[k].p5, percent);
        CU_ASSERT_EQUAL(s.percent[k].p50, percent);
        CU_ASSERT_EQUAL(s.percent[k].p95, percent);
        CU_ASSERT_DOUBLE_EQUAL(s.percent[k].sd, 0.0, 1e-9);
    }
    simulation_release(&s);
    model_release(&m);
    diag_release(&d);
    case_close(&c);
}

/* Return whether two statistics are the same in every field. */
static int same_stats(const struct simulate_stats *x,
                      const struct simulate_stats *y)
{
    return x->mean == y->mean && x->sd == y->sd && x->p5 == y->p5 &&
           x->p50 == y->p50 && x->p95 == y->p95;
}

static void test_same_seed_same_statistics(void)
{
    struct simulate_case c;
    struct simulate_options o = options_of(100, 42, 5 * ONE_PERCENT);
    struct simulation first, second;
    struct model m;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(load_case(&c, "", &m, &d), 0);
    CU_ASSERT_EQUAL_FATAL(simulate_run(&first, &m, &o, &d), 0);
    CU_ASSERT_EQUAL_FATAL(simulate_run(&second, &m, &o, &d), 0);
    CU_ASSERT_EQUAL_FATAL(second.base.n, first.base.n);
    for (size_t k = 0; k < first.base.n; k++) {
        CU_ASSERT(same_stats(&first.amount[k], &second.amount[k]));
        CU_ASSERT(same_stats(&first.percent[k], &second.percent[k]));
        CU_ASSERT_EQUAL(first.plus_one[k], second.plus_one[k]);
    }
    simulation_release(&first);
    simulation_release(&second);
    model_release(&m);
    diag_release(&d);
    case_close(&c);
}

static void test_other_seed_other_draws(void)
{
    struct simulate_case c;
    struct simulate_options o = options_of(100, 42, 5 * ONE_PERCENT);
    struct simulation first, second;
    struct model m;
    struct diag d;
    int differ = 0;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(load_case(&c, "", &m, &d), 0);
    CU_ASSERT_EQUAL_FATAL(simulate_run(&first, &m, &o, &d), 0);
    o.seed = 43;
    CU_ASSERT_EQUAL_FATAL(simulate_run(&second, &m, &o, &d), 0);
    for (size_t k = 0; k < first.base.n; k++)
        differ |= !same_stats(&first.amount[k], &second.amount[k]);
    CU_ASSERT(differ);
    simulation_release(&first);
    simulation_release(&second);
    model_release(&m);
    diag_release(&d);
    case_close(&c);
}

/* Every draw shares the whole pool, so the means sum to it.  The
 * percentiles are ranks of the same draws, so they are in order. */
static void test_percentiles_in_order(void)
{
    struct simulate_case c;
    struct simulate_options o = options_of(200, 7, 10 * ONE_PERCENT);
    struct simulation s;
    struct model m;
    struct diag d;
    double means = 0.0;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(load_case(&c, "", &m, &d), 0);
    CU_ASSERT_EQUAL_FATAL(simulate_run(&s, &m, &o, &d), 0);
    for (size_t k = 0; k < s.base.n; k++) {
        CU_ASSERT(s.amount[k].p5 <= s.amount[k].p50);
        CU_ASSERT(s.amount[k].p50 <= s.amount[k].p95);
        CU_ASSERT(s.amount[k].p5 < s.amount[k].p95);
        CU_ASSERT(s.amount[k].sd > 0.0);
        CU_ASSERT(s.percent[k].p5 <= s.percent[k].p50);
        CU_ASSERT(s.percent[k].p50 <= s.percent[k].p95);
        means += s.amount[k].mean;
    }
    CU_ASSERT_DOUBLE_EQUAL(means, 100000.0, 1e-6);
    simulation_release(&s);
    model_release(&m);
    diag_release(&d);
    case_close(&c);
}

/* One more person for A: 1000.00 at 51:30:20 gives A 504.9505, so
 * 504.95.  For B, 50:31:20 gives 306.9307.  For C, 50:30:21 gives
 * 207.9208. */
static void test_sensitivity_one_person(void)
{
    static const int64_t plus_one[] = {50495, 30693, 20792};
    struct simulate_case c;
    struct simulate_options o = options_of(3, 1, 0);
    struct simulation s;
    struct model m;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(load_case(&c, "", &m, &d), 0);
    CU_ASSERT_EQUAL_FATAL(simulate_run(&s, &m, &o, &d), 0);
    CU_ASSERT_EQUAL_FATAL(s.base.n, COUNT(plus_one));
    for (size_t k = 0; k < COUNT(plus_one); k++)
        CU_ASSERT_EQUAL(s.plus_one[k], plus_one[k]);
    simulation_release(&s);
    model_release(&m);
    diag_release(&d);
    case_close(&c);
}

/*
 * With a floor of 250.00, C (200.00 pro rata) pays the floor, and A and
 * B share 750.00 by 50:30: 468.75 and 281.25.  One more person for A
 * shares 750.00 at 51:30, so A pays 472.2222.  For B, 50:31 gives
 * 287.037, rounded up by its larger remainder to 287.04.  C stays at the
 * floor.
 */
static void test_sensitivity_at_floor(void)
{
    static const int64_t amounts[] = {46875, 28125, 25000};
    static const int64_t plus_one[] = {47222, 28704, 25000};
    struct simulate_case c;
    struct simulate_options o = options_of(3, 1, 0);
    struct simulation s;
    struct model m;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(load_case(&c, "floor = 250.00\n", &m, &d), 0);
    CU_ASSERT_EQUAL_FATAL(simulate_run(&s, &m, &o, &d), 0);
    CU_ASSERT_EQUAL_FATAL(s.base.n, COUNT(plus_one));
    for (size_t k = 0; k < COUNT(plus_one); k++) {
        CU_ASSERT_EQUAL(s.base.allocation.amount[k], amounts[k]);
        CU_ASSERT_EQUAL(s.plus_one[k], plus_one[k]);
    }
    CU_ASSERT_EQUAL(s.base.allocation.rule[2], ALLOCATE_FLOOR);
    simulation_release(&s);
    model_release(&m);
    diag_release(&d);
    case_close(&c);
}

static void test_transition_model_rejected(void)
{
    struct simulate_case c;
    struct simulate_options o = options_of(3, 1, 0);
    struct simulation s;
    struct model m;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(load_case(&c,
                                    "[transition]\n"
                                    "method = phase_in\n"
                                    "years = 2\n"
                                    "year = 1\n"
                                    "file = previous.csv\n",
                                    &m, &d),
                          0);
    CU_ASSERT_EQUAL(simulate_run(&s, &m, &o, &d), -1);
    CU_ASSERT_EQUAL_FATAL(d.count, 1);
    CU_ASSERT_EQUAL(d.entries[0].level, DIAG_ERROR);
    CU_ASSERT_STRING_EQUAL(d.entries[0].file != NULL ? d.entries[0].file : "",
                           c.model);
    CU_ASSERT_PTR_NOT_NULL(
        strstr(d.entries[0].message, "jfa model without a transition"));
    model_release(&m);
    diag_release(&d);
    case_close(&c);
}

static void test_lcssb_model_rejected(void)
{
    struct simulate_options o = options_of(3, 1, 0);
    struct simulation s;
    struct model m;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(model_load(&m, "tests/unit/data/lcssb.ini", &d), 0);
    CU_ASSERT_EQUAL(simulate_run(&s, &m, &o, &d), -1);
    CU_ASSERT_EQUAL_FATAL(d.count, 1);
    CU_ASSERT_EQUAL(d.entries[0].level, DIAG_ERROR);
    CU_ASSERT_PTR_NOT_NULL(
        strstr(d.entries[0].message, "jfa model without a transition"));
    model_release(&m);
    diag_release(&d);
}

int suite_simulate(void)
{
    static const struct {
        const char *name;
        CU_TestFunc function;
    } tests[] = {
        {"zero error equals run", test_zero_error_equals_run},
        {"same seed same statistics", test_same_seed_same_statistics},
        {"other seed other draws", test_other_seed_other_draws},
        {"percentiles in order", test_percentiles_in_order},
        {"sensitivity one person", test_sensitivity_one_person},
        {"sensitivity at floor", test_sensitivity_at_floor},
        {"transition model rejected", test_transition_model_rejected},
        {"lcssb model rejected", test_lcssb_model_rejected},
    };
    CU_pSuite suite = CU_add_suite("simulate", NULL, NULL);

    if (suite == NULL)
        return -1;
    for (size_t i = 0; i < COUNT(tests); i++) {
        if (CU_add_test(suite, tests[i].name, tests[i].function) == NULL)
            return -1;
    }
    return 0;
}
