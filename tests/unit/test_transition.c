/*
 * Unit tests of transition: phase in, max change and hold harmless run
 * through jfa_run() between hand-chosen previous and new shares, the
 * previous pool, organisations phased out and invalid previous files.
 * Each case writes its model, headcount and previous shares to a mkdtemp
 * folder.
 *
 * The usual model is on the field basis with a pool of 1000.00.  A 50,
 * B 30 and C 20 persons in the field pay 500.00, 300.00 and 200.00.  D,
 * with 10 persons at headquarters only, pays nothing before the
 * transition.  Every expected amount was worked out by hand and checked
 * with Python's fractions module.
 */
#include <CUnit/CUnit.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "allocate.h"
#include "diag.h"
#include "jfa.h"
#include "lcssb.h"
#include "model.h"
#include "suites.h"

#define COUNT(array) (sizeof(array) / sizeof((array)[0]))

static const char field_headcount[] =
    "organisation,country,duty_station,headcount\n"
    "A,KEN,Nairobi,50\n"
    "B,KEN,Nairobi,30\n"
    "C,KEN,Nairobi,20\n"
    "D,USA,New York,10\n";
static const char headquarters[] = "organisation,country,duty_station\n"
                                   "*,USA,New York\n";

/* The model written by run_transition(): the [transition] keys it is
 * given come before "file = previous.csv". */
static const char model_format[] = "[model]\n"
                                   "name = unit-transition\n"
                                   "kind = jfa\n"
                                   "period = 2024\n"
                                   "currency = USD\n"
                                   "[headcount]\n"
                                   "file = headcount.csv\n"
                                   "[headquarters]\n"
                                   "file = headquarters.csv\n"
                                   "[budget]\n"
                                   "amount = %s\n"
                                   "[rules]\n"
                                   "basis = field\n"
                                   "[transition]\n"
                                   "%s"
                                   "file = previous.csv\n";

/* A mkdtemp folder with the model, headcount, headquarters list and
 * previous shares of one case. */
struct transition_case {
    char dir[40];
    char model[80];
    char previous[80];
    int written;
};

static int write_text(const char *dir, const char *name, const char *text)
{
    char path[96];
    FILE *f;

    snprintf(path, sizeof path, "%s/%s", dir, name);
    f = fopen(path, "wb");
    if (f == NULL)
        return -1;
    fputs(text, f);
    return fclose(f);
}

static void case_close(struct transition_case *c)
{
    static const char *const names[] = {"model.ini", "headcount.csv",
                                        "headquarters.csv", "previous.csv"};
    char path[96];

    if (!c->written)
        return;
    for (size_t i = 0; i < COUNT(names); i++) {
        snprintf(path, sizeof path, "%s/%s", c->dir, names[i]);
        unlink(path);
    }
    rmdir(c->dir);
}

/*
 * Write a case (HEADCOUNT, a pool of AMOUNT, the [transition] keys
 * METHOD and the PREVIOUS shares), load it into M and run it into R.
 * Returns what jfa_run() returns, or -3 when the case cannot be written
 * or the model does not load.  Close the case with case_close().
 */
static int run_transition(struct transition_case *c, const char *headcount,
                          const char *amount, const char *method,
                          const char *previous, struct model *m,
                          struct jfa_result *r, struct diag *d)
{
    char text[1024];

    memset(c, 0, sizeof *c);
    memset(m, 0, sizeof *m);
    memset(r, 0, sizeof *r);
    strcpy(c->dir, "/tmp/costshare-transition-XXXXXX");
    if (mkdtemp(c->dir) == NULL)
        return -3;
    c->written = 1;
    snprintf(c->model, sizeof c->model, "%s/model.ini", c->dir);
    snprintf(c->previous, sizeof c->previous, "%s/previous.csv", c->dir);
    snprintf(text, sizeof text, model_format, amount, method);
    if (write_text(c->dir, "model.ini", text) != 0 ||
        write_text(c->dir, "headcount.csv", headcount) != 0 ||
        write_text(c->dir, "headquarters.csv", headquarters) != 0 ||
        write_text(c->dir, "previous.csv", previous) != 0)
        return -3;
    if (model_load(m, c->model, d) != 0)
        return -3;
    return jfa_run(r, m, d);
}

static void release_case(struct transition_case *c, struct model *m,
                         struct jfa_result *r, struct diag *d)
{
    jfa_result_release(r);
    model_release(m);
    diag_release(d);
    case_close(c);
}

/* One organisation of an expected result. */
struct expected {
    const char *code;
    int64_t headcount;
    int64_t amount; /* cents */
    enum allocate_rule rule;
};

/* Check R against the N rows of WANT, in order, and that the amounts
 * and percentages foot. */
static void check_result(const struct jfa_result *r,
                         const struct expected *want, size_t n)
{
    const struct allocation *a = &r->allocation;
    int64_t amounts = 0, percents = 0;

    CU_ASSERT_EQUAL_FATAL(r->n, n);
    CU_ASSERT_EQUAL_FATAL(a->n, n);
    for (size_t k = 0; k < n; k++) {
        CU_ASSERT_STRING_EQUAL(r->headcount.organisations[r->organisations[k]],
                               want[k].code);
        CU_ASSERT_EQUAL(r->weights[k], want[k].headcount);
        CU_ASSERT_EQUAL(a->amount[k], want[k].amount);
        CU_ASSERT_EQUAL(a->rule[k], want[k].rule);
        amounts += a->amount[k];
        percents += a->percent[k];
    }
    CU_ASSERT_EQUAL(amounts, a->pool);
    CU_ASSERT_EQUAL(a->total, a->pool);
    CU_ASSERT_EQUAL(percents, ALLOCATE_PERCENT_WHOLE);
    CU_ASSERT_EQUAL(a->percent_total, ALLOCATE_PERCENT_WHOLE);
}

#define PHASE_IN_1_OF_2 "method = phase_in\nyears = 2\nyear = 1\n"

/* Year 1 of 2 is halfway: A (333.33 + 500)/2 = 416.665, B 316.665 and
 * C 266.67.  A and B tie at half a cent, and the cent goes to A. */
static void test_phase_in_halfway(void)
{
    static const struct expected want[] = {
        {"A", 50, 41667, ALLOCATE_PHASE_IN},
        {"B", 30, 31666, ALLOCATE_PHASE_IN},
        {"C", 20, 26667, ALLOCATE_PHASE_IN},
    };
    struct transition_case c;
    struct model m;
    struct jfa_result r;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(run_transition(&c, field_headcount, "1000.00",
                                         PHASE_IN_1_OF_2,
                                         "organisation,amount\n"
                                         "A,333.33\n"
                                         "B,333.33\n"
                                         "C,333.34\n",
                                         &m, &r, &d),
                          0);
    CU_ASSERT_EQUAL(d.count, 0);
    check_result(&r, want, COUNT(want));
    release_case(&c, &m, &r, &d);
}

/* Year 1 of 3 moves a third of the way: A 300 + 200/3 = 366.67,
 * B 500 - 200/3 = 433.33. */
static void test_phase_in_first_third(void)
{
    static const struct expected want[] = {
        {"A", 50, 36667, ALLOCATE_PHASE_IN},
        {"B", 30, 43333, ALLOCATE_PHASE_IN},
        {"C", 20, 20000, ALLOCATE_PHASE_IN},
    };
    struct transition_case c;
    struct model m;
    struct jfa_result r;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(run_transition(&c, field_headcount, "1000.00",
                                         "method = phase_in\n"
                                         "years = 3\n"
                                         "year = 1\n",
                                         "organisation,amount\n"
                                         "A,300.00\n"
                                         "B,500.00\n"
                                         "C,200.00\n",
                                         &m, &r, &d),
                          0);
    check_result(&r, want, COUNT(want));
    release_case(&c, &m, &r, &d);
}

/* D had 20 % and has no field headcount: halfway it pays 10 %. */
static void test_phase_out_joins_result(void)
{
    static const struct expected want[] = {
        {"A", 50, 40000, ALLOCATE_PHASE_IN},
        {"B", 30, 30000, ALLOCATE_PHASE_IN},
        {"C", 20, 20000, ALLOCATE_PHASE_IN},
        {"D", 0, 10000, ALLOCATE_PHASE_IN},
    };
    struct transition_case c;
    struct model m;
    struct jfa_result r;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(run_transition(&c, field_headcount, "1000.00",
                                         PHASE_IN_1_OF_2,
                                         "organisation,amount\n"
                                         "A,300.00\n"
                                         "B,300.00\n"
                                         "C,200.00\n"
                                         "D,200.00\n",
                                         &m, &r, &d),
                          0);
    check_result(&r, want, COUNT(want));
    release_case(&c, &m, &r, &d);
}

/* An organisation charged by the transition is no longer listed among
 * those not charged. */
static void test_phased_out_is_charged(void)
{
    struct transition_case c;
    struct model m;
    struct jfa_result r;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(run_transition(&c, field_headcount, "1000.00",
                                         PHASE_IN_1_OF_2,
                                         "organisation,amount\n"
                                         "A,300.00\n"
                                         "B,300.00\n"
                                         "C,200.00\n"
                                         "D,200.00\n",
                                         &m, &r, &d),
                          0);
    CU_ASSERT_EQUAL(r.nuncharged, 0);
    release_case(&c, &m, &r, &d);
}

/* A, at headquarters only, had 0.41 of 1.00.  B has 41 persons and C 59
 * in the field.  Halfway A and B take 20.5 cents each, and the leftover
 * cent goes to A, whose code sorts first. */
static void test_phase_out_tie_by_code(void)
{
    static const struct expected want[] = {
        {"A", 0, 21, ALLOCATE_PHASE_IN},
        {"B", 41, 20, ALLOCATE_PHASE_IN},
        {"C", 59, 59, ALLOCATE_PHASE_IN},
    };
    struct transition_case c;
    struct model m;
    struct jfa_result r;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(
        run_transition(&c,
                       "organisation,country,duty_station,headcount\n"
                       "A,USA,New York,10\n"
                       "B,KEN,Nairobi,41\n"
                       "C,KEN,Nairobi,59\n",
                       "1.00", PHASE_IN_1_OF_2,
                       "organisation,amount\n"
                       "A,0.41\n"
                       "C,0.59\n",
                       &m, &r, &d),
        0);
    check_result(&r, want, COUNT(want));
    release_case(&c, &m, &r, &d);
}

/* Previous 40/30/20/10 per cent, new 50/30/20/0, 5 points: A is held at
 * 45 %, D at 5 %, and B and C keep their new shares. */
static void test_max_change_one_round(void)
{
    static const struct expected want[] = {
        {"A", 50, 45000, ALLOCATE_MAX_CHANGE},
        {"B", 30, 30000, ALLOCATE_PRO_RATA},
        {"C", 20, 20000, ALLOCATE_PRO_RATA},
        {"D", 0, 5000, ALLOCATE_MAX_CHANGE},
    };
    struct transition_case c;
    struct model m;
    struct jfa_result r;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(run_transition(&c, field_headcount, "1000.00",
                                         "method = max_change\n"
                                         "points = 5\n",
                                         "organisation,amount\n"
                                         "A,400.00\n"
                                         "B,300.00\n"
                                         "C,200.00\n"
                                         "D,100.00\n",
                                         &m, &r, &d),
                          0);
    check_result(&r, want, COUNT(want));
    release_case(&c, &m, &r, &d);
}

/*
 * New 40/24/12/12/12 per cent against previous 30/20/16.6/16.7/16.7,
 * 5 points.  Round 1 sets A to its bound of 35 % and leaves B (24 %)
 * alone.  The 65 % left, shared by 24:12:12:12, gives B 26 %, so round 2
 * sets B to its bound of 25 %.  C, D and E share the last 40 % equally:
 * 133.333 each, with the leftover cent to C.  One round alone would give
 * B 260.00.
 */
static void test_max_change_two_rounds(void)
{
    static const struct expected want[] = {
        {"A", 40, 35000, ALLOCATE_MAX_CHANGE},
        {"B", 24, 25000, ALLOCATE_MAX_CHANGE},
        {"C", 12, 13334, ALLOCATE_PRO_RATA},
        {"D", 12, 13333, ALLOCATE_PRO_RATA},
        {"E", 12, 13333, ALLOCATE_PRO_RATA},
    };
    struct transition_case c;
    struct model m;
    struct jfa_result r;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(
        run_transition(&c,
                       "organisation,country,duty_station,headcount\n"
                       "A,KEN,Nairobi,40\n"
                       "B,KEN,Nairobi,24\n"
                       "C,KEN,Nairobi,12\n"
                       "D,KEN,Nairobi,12\n"
                       "E,KEN,Nairobi,12\n",
                       "1000.00",
                       "method = max_change\n"
                       "points = 5\n",
                       "organisation,amount\n"
                       "A,300.00\n"
                       "B,200.00\n"
                       "C,166.00\n"
                       "D,167.00\n"
                       "E,167.00\n",
                       &m, &r, &d),
        0);
    check_result(&r, want, COUNT(want));
    release_case(&c, &m, &r, &d);
}

/* Previous 47/38/15 per cent, new 50/30/20, 5 points.  A would move 3
 * points, so it keeps 47 %.  C would move exactly 5, which is not below
 * 5, so B and C share the other 53 % by 30:20. */
static void test_hold_harmless_boundary(void)
{
    static const struct expected want[] = {
        {"A", 50, 47000, ALLOCATE_HOLD_HARMLESS},
        {"B", 30, 31800, ALLOCATE_PRO_RATA},
        {"C", 20, 21200, ALLOCATE_PRO_RATA},
    };
    struct transition_case c;
    struct model m;
    struct jfa_result r;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(run_transition(&c, field_headcount, "1000.00",
                                         "method = hold_harmless\n"
                                         "points = 5\n",
                                         "organisation,amount\n"
                                         "A,470.00\n"
                                         "B,380.00\n"
                                         "C,150.00\n",
                                         &m, &r, &d),
                          0);
    check_result(&r, want, COUNT(want));
    release_case(&c, &m, &r, &d);
}

/* Without a pool column the previous pool is the sum, 1000.00, so the
 * shares were 30/50/20 and halfway they are 40/40/20. */
static void test_previous_pool_from_sum(void)
{
    static const struct expected want[] = {
        {"A", 50, 40000, ALLOCATE_PHASE_IN},
        {"B", 30, 40000, ALLOCATE_PHASE_IN},
        {"C", 20, 20000, ALLOCATE_PHASE_IN},
    };
    struct transition_case c;
    struct model m;
    struct jfa_result r;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(run_transition(&c, field_headcount, "1000.00",
                                         PHASE_IN_1_OF_2,
                                         "organisation,amount\n"
                                         "A,300.00\n"
                                         "B,500.00\n"
                                         "C,200.00\n",
                                         &m, &r, &d),
                          0);
    check_result(&r, want, COUNT(want));
    release_case(&c, &m, &r, &d);
}

/* The same amounts of a pool of 2000.00 were 15/25/10 per cent.  Halfway
 * to 50/30/20 they are 32.5/27.5/15, and the pool is shared in that
 * proportion: 433.333, 366.667 and 200.00. */
static void test_previous_pool_column(void)
{
    static const struct expected want[] = {
        {"A", 50, 43333, ALLOCATE_PHASE_IN},
        {"B", 30, 36667, ALLOCATE_PHASE_IN},
        {"C", 20, 20000, ALLOCATE_PHASE_IN},
    };
    struct transition_case c;
    struct model m;
    struct jfa_result r;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(run_transition(&c, field_headcount, "1000.00",
                                         PHASE_IN_1_OF_2,
                                         "organisation,amount,pool\n"
                                         "A,300.00,2000.00\n"
                                         "B,500.00,2000.00\n"
                                         "C,200.00,2000.00\n",
                                         &m, &r, &d),
                          0);
    check_result(&r, want, COUNT(want));
    release_case(&c, &m, &r, &d);
}

static void test_previous_unknown_organisation(void)
{
    struct transition_case c;
    struct model m;
    struct jfa_result r;
    struct diag d;
    struct diag_entry e;

    diag_init(&d);
    CU_ASSERT_EQUAL(run_transition(&c, field_headcount, "1000.00",
                                   PHASE_IN_1_OF_2,
                                   "organisation,amount\n"
                                   "A,500.00\n"
                                   "Z,500.00\n",
                                   &m, &r, &d),
                    -1);
    CU_ASSERT_EQUAL_FATAL(d.count, 1);
    e = d.entries[0];
    CU_ASSERT_EQUAL(e.level, DIAG_ERROR);
    CU_ASSERT_STRING_EQUAL(e.file != NULL ? e.file : "", c.previous);
    CU_ASSERT_EQUAL(e.line, 3);
    CU_ASSERT_EQUAL(e.column, 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.message, "\"Z\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(e.message, "not in the headcount table"));
    release_case(&c, &m, &r, &d);
}

/* A run that reports an error must fail, so an empty pool cell cannot
 * leave jfa_run() returning 0. */
static void test_empty_pool_cell(void)
{
    struct transition_case c;
    struct model m;
    struct jfa_result r;
    struct diag d;
    int status;

    diag_init(&d);
    status = run_transition(&c, field_headcount, "1000.00", PHASE_IN_1_OF_2,
                            "organisation,amount,pool\n"
                            "A,300.00,\n"
                            "B,500.00,1000.00\n"
                            "C,200.00,1000.00\n",
                            &m, &r, &d);
    CU_ASSERT(d.errors > 0);
    CU_ASSERT_EQUAL(status, -1);
    release_case(&c, &m, &r, &d);
}

/* [transition] applies to the JFA pool only: an lcssb model with one
 * must fail to load or to run, not run without it. */
static void test_lcssb_transition_rejected(void)
{
    struct model m;
    struct lcssb_result r;
    struct diag d;
    int rejected = 1;

    diag_init(&d);
    memset(&r, 0, sizeof r);
    if (model_load(&m, "tests/unit/data/lcssb-transition.ini", &d) == 0) {
        rejected = lcssb_run(&r, &m, &d) != 0;
        lcssb_result_release(&r);
        model_release(&m);
    }
    CU_ASSERT(rejected);
    diag_release(&d);
}

int suite_transition(void)
{
    static const struct {
        const char *name;
        CU_TestFunc function;
    } tests[] = {
        {"phase in halfway", test_phase_in_halfway},
        {"phase in first third", test_phase_in_first_third},
        {"phase out joins result", test_phase_out_joins_result},
        {"phased out is charged", test_phased_out_is_charged},
        {"phase out tie by code", test_phase_out_tie_by_code},
        {"max change one round", test_max_change_one_round},
        {"max change two rounds", test_max_change_two_rounds},
        {"hold harmless boundary", test_hold_harmless_boundary},
        {"previous pool from sum", test_previous_pool_from_sum},
        {"previous pool column", test_previous_pool_column},
        {"previous unknown organisation", test_previous_unknown_organisation},
        {"empty pool cell", test_empty_pool_cell},
        {"lcssb transition rejected", test_lcssb_transition_rejected},
    };
    CU_pSuite suite = CU_add_suite("transition", NULL, NULL);

    if (suite == NULL)
        return -1;
    for (size_t i = 0; i < COUNT(tests); i++) {
        if (CU_add_test(suite, tests[i].name, tests[i].function) == NULL)
            return -1;
    }
    return 0;
}
