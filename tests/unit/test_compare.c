/*
 * Unit tests of compare: a model against scenarios, each change split
 * into a budget effect and a share effect, the footing of both columns,
 * and the bytes of compare.csv and parameters.csv.  Each case writes its
 * model, headcount and scenarios to a mkdtemp folder and writes its
 * reports to another.
 *
 * The model has A 50, B 30 and C 20 persons and a pool of 1000.00:
 * 500.00, 300.00 and 200.00.  Every expected amount was worked out by
 * hand (largest remainder, ties to the lower code) and checked with
 * Python's fractions module.
 */
#include <CUnit/CUnit.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "compare.h"
#include "diag.h"
#include "model.h"
#include "suites.h"

#define COUNT(array) (sizeof(array) / sizeof((array)[0]))

#define MODEL_FORMAT                                                          \
    "[model]\n"                                                               \
    "name = unit-compare\n"                                                   \
    "kind = jfa\n"                                                            \
    "period = 2024\n"                                                         \
    "currency = USD\n"                                                        \
    "[headcount]\n"                                                           \
    "file = headcount.csv\n"                                                  \
    "[budget]\n"                                                              \
    "%s\n"                                                                    \
    "[rules]\n"                                                               \
    "basis = total\n"

static const char headcount[] = "organisation,country,headcount\n"
                                "A,KEN,50\n"
                                "B,KEN,30\n"
                                "C,KEN,20\n";

/* Pool 1100.00 and C at 40 persons: 1100.00 at 50:30:40 is 458.333,
 * 275.00 and 366.667. */
static const char grow_scenario[] = "[scenario]\n"
                                    "name = grow\n"
                                    "[budget]\n"
                                    "scale = * 110\n"
                                    "[headcount]\n"
                                    "set = C 40\n";
/* Pool 800.00: 400.00, 240.00 and 160.00. */
static const char cut_scenario[] = "[scenario]\n"
                                   "name = cut\n"
                                   "[budget]\n"
                                   "scale = * 80\n";

/* A mkdtemp folder with the files a case writes, and a folder for the
 * reports. */
struct compare_case {
    char dir[40];
    char out[40];
    char names[8][32];
    size_t nnames;
    int ok;
};

static void case_open(struct compare_case *c)
{
    memset(c, 0, sizeof *c);
    strcpy(c->dir, "/tmp/costshare-compare-XXXXXX");
    strcpy(c->out, "/tmp/costshare-reports-XXXXXX");
    c->ok = mkdtemp(c->dir) != NULL;
    if (c->ok)
        c->ok = mkdtemp(c->out) != NULL;
}

static const char *case_path(const struct compare_case *c, const char *name,
                             char *buf, size_t size)
{
    snprintf(buf, size, "%s/%s", c->dir, name);
    return buf;
}

static void case_write(struct compare_case *c, const char *name,
                       const char *text)
{
    char path[96];
    FILE *f;

    if (!c->ok || c->nnames == COUNT(c->names))
        return;
    f = fopen(case_path(c, name, path, sizeof path), "wb");
    if (f == NULL) {
        c->ok = 0;
        return;
    }
    fputs(text, f);
    if (fclose(f) != 0)
        c->ok = 0;
    snprintf(c->names[c->nnames++], sizeof c->names[0], "%s", name);
}

/* Write the model with the [budget] line BUDGET and the headcount. */
static void case_model(struct compare_case *c, const char *budget)
{
    char text[512];

    snprintf(text, sizeof text, MODEL_FORMAT, budget);
    case_write(c, "model.ini", text);
    case_write(c, "headcount.csv", headcount);
}

static void case_close(struct compare_case *c)
{
    static const char *const reports[] = {"compare.csv", "parameters.csv"};
    char path[96];

    for (size_t i = 0; i < c->nnames; i++)
        unlink(case_path(c, c->names[i], path, sizeof path));
    for (size_t i = 0; i < COUNT(reports); i++) {
        snprintf(path, sizeof path, "%s/%s", c->out, reports[i]);
        unlink(path);
    }
    rmdir(c->dir);
    rmdir(c->out);
}

/* Compare model.ini with the NSCENARIOS scenario files NAMES of the
 * case.  Returns what compare_run() returns, or -3. */
static int run_compare(struct comparison *cmp, struct compare_case *c,
                       const char *const *names, size_t nscenarios,
                       struct diag *d)
{
    char model[96], paths[4][96];
    char *scenarios[4];

    memset(cmp, 0, sizeof *cmp);
    if (!c->ok || nscenarios > COUNT(scenarios))
        return -3;
    for (size_t i = 0; i < nscenarios; i++) {
        case_path(c, names[i], paths[i], sizeof paths[i]);
        scenarios[i] = paths[i];
    }
    return compare_run(cmp, case_path(c, "model.ini", model, sizeof model),
                       scenarios, nscenarios, d);
}

/* Return the content of NAME in the report folder, to free, or NULL. */
static char *read_report(const struct compare_case *c, const char *name)
{
    char path[96];
    FILE *f;
    char *text;
    long size;

    snprintf(path, sizeof path, "%s/%s", c->out, name);
    f = fopen(path, "rb");
    if (f == NULL)
        return NULL;
    if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
        fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return NULL;
    }
    text = malloc((size_t)size + 1);
    if (text != NULL && fread(text, 1, (size_t)size, f) != (size_t)size) {
        free(text);
        text = NULL;
    }
    if (text != NULL)
        text[size] = '\0';
    fclose(f);
    return text;
}

/* Write the reports of CMP and check that NAME contains exactly WANT. */
static void check_report(const struct compare_case *c,
                         const struct comparison *cmp, const char *name,
                         const char *want)
{
    struct diag d;
    char *text;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(compare_write_reports(c->out, cmp, &d), 0);
    text = read_report(c, name);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    CU_ASSERT_STRING_EQUAL(text, want);
    free(text);
    diag_release(&d);
}

/* The index of organisation CODE in CMP, or CMP->n. */
static size_t index_of(const struct comparison *cmp, const char *code)
{
    for (size_t i = 0; i < cmp->n; i++)
        if (strcmp(cmp->codes[i], code) == 0)
            return i;
    return cmp->n;
}

/* One organisation of a scenario: amount and the three effects. */
struct expected {
    const char *code;
    int64_t baseline, amount, change, budget_effect, share_effect;
};

/* Check run RUN of CMP against WANT, and that its columns foot: changes
 * and budget effects sum to the pool change POOL_CHANGE, share effects
 * to 0. */
static void check_run(const struct comparison *cmp, size_t run,
                      const struct expected *want, size_t n,
                      int64_t pool_change)
{
    int64_t change = 0, budget = 0, share = 0;
    struct diag d;

    CU_ASSERT_EQUAL_FATAL(cmp->n, n);
    for (size_t k = 0; k < n; k++) {
        size_t i = index_of(cmp, want[k].code);
        size_t at = run * cmp->n + i;

        CU_ASSERT_EQUAL_FATAL(i, k);
        CU_ASSERT_EQUAL(cmp->amount[i], want[k].baseline);
        CU_ASSERT_EQUAL(cmp->amount[at], want[k].amount);
        CU_ASSERT_EQUAL(cmp->change[at], want[k].change);
        CU_ASSERT_EQUAL(cmp->budget_effect[at], want[k].budget_effect);
        CU_ASSERT_EQUAL(cmp->share_effect[at], want[k].share_effect);
        change += cmp->change[at];
        budget += cmp->budget_effect[at];
        share += cmp->share_effect[at];
    }
    CU_ASSERT_EQUAL(cmp->runs[run].pool - cmp->runs[0].pool, pool_change);
    CU_ASSERT_EQUAL(change, pool_change);
    CU_ASSERT_EQUAL(budget, pool_change);
    CU_ASSERT_EQUAL(share, 0);
    diag_init(&d);
    CU_ASSERT_EQUAL(compare_check(cmp, &d), 0);
    CU_ASSERT_EQUAL(d.count, 0);
    diag_release(&d);
}

/* The pool grows by 100.00, apportioned 50:30:20 by the baseline. */
static void test_grow_effects(void)
{
    static const struct expected want[] = {
        {"A", 50000, 45833, -4167, 5000, -9167},
        {"B", 30000, 27500, -2500, 3000, -5500},
        {"C", 20000, 36667, 16667, 2000, 14667},
    };
    static const char *const scenarios[] = {"grow.ini"};
    struct compare_case c;
    struct comparison cmp;
    struct diag d;

    diag_init(&d);
    case_open(&c);
    case_model(&c, "amount = 1000.00");
    case_write(&c, "grow.ini", grow_scenario);
    CU_ASSERT_EQUAL_FATAL(run_compare(&cmp, &c, scenarios, 1, &d), 0);
    CU_ASSERT_EQUAL(d.count, 0);
    CU_ASSERT_EQUAL_FATAL(cmp.nruns, 2);
    CU_ASSERT_STRING_EQUAL(cmp.runs[0].name, "baseline");
    CU_ASSERT_STRING_EQUAL(cmp.runs[1].name, "grow");
    CU_ASSERT_EQUAL(cmp.runs[0].pool, 100000);
    CU_ASSERT_EQUAL(cmp.runs[1].pool, 110000);
    CU_ASSERT_STRING_EQUAL(cmp.baseline->name, "unit-compare");
    check_run(&cmp, 1, want, COUNT(want), 10000);
    comparison_release(&cmp);
    diag_release(&d);
    case_close(&c);
}

/* The scenario's headcount adds D with 100 persons and its pool is
 * 1200.00: 300.00, 180.00, 120.00 and 600.00.  D has no baseline amount,
 * so no part of the 200.00 more. */
static void test_organisation_only_in_scenario(void)
{
    static const struct expected want[] = {
        {"A", 50000, 30000, -20000, 10000, -30000},
        {"B", 30000, 18000, -12000, 6000, -18000},
        {"C", 20000, 12000, -8000, 4000, -12000},
        {"D", 0, 60000, 60000, 0, 60000},
    };
    static const char *const scenarios[] = {"newcomer.ini"};
    struct compare_case c;
    struct comparison cmp;
    struct diag d;

    diag_init(&d);
    case_open(&c);
    case_model(&c, "amount = 1000.00");
    case_write(&c, "more-staff.csv",
               "organisation,country,headcount\n"
               "A,KEN,50\n"
               "B,KEN,30\n"
               "C,KEN,20\n"
               "D,KEN,100\n");
    case_write(&c, "newcomer.ini",
               "[scenario]\n"
               "name = newcomer\n"
               "[headcount]\n"
               "file = more-staff.csv\n"
               "[budget]\n"
               "scale = * 120\n");
    CU_ASSERT_EQUAL_FATAL(run_compare(&cmp, &c, scenarios, 1, &d), 0);
    CU_ASSERT_EQUAL(cmp.runs[0].n, 3);
    CU_ASSERT_EQUAL(cmp.runs[1].n, 4);
    check_run(&cmp, 1, want, COUNT(want), 20000);
    comparison_release(&cmp);
    diag_release(&d);
    case_close(&c);
}

/* A baseline of -1000.00 is split by its absolute amounts: the pool
 * change of +100.00 gives 50.00, 30.00 and 20.00.  The scenario's
 * -900.00 at 50:30:40 is -375.00, -225.00 and -300.00. */
static void test_negative_pool_effects(void)
{
    static const struct expected want[] = {
        {"A", -50000, -37500, 12500, 5000, 7500},
        {"B", -30000, -22500, 7500, 3000, 4500},
        {"C", -20000, -30000, -10000, 2000, -12000},
    };
    static const char *const scenarios[] = {"refund.ini"};
    struct compare_case c;
    struct comparison cmp;
    struct diag d;

    diag_init(&d);
    case_open(&c);
    case_model(&c, "amount = -1000.00");
    case_write(&c, "refund.ini",
               "[scenario]\n"
               "name = refund\n"
               "[budget]\n"
               "scale = * 90\n"
               "[headcount]\n"
               "set = C 40\n");
    CU_ASSERT_EQUAL_FATAL(run_compare(&cmp, &c, scenarios, 1, &d), 0);
    check_run(&cmp, 1, want, COUNT(want), 10000);
    comparison_release(&cmp);
    diag_release(&d);
    case_close(&c);
}

static void test_two_scenarios_foot(void)
{
    static const struct expected grow[] = {
        {"A", 50000, 45833, -4167, 5000, -9167},
        {"B", 30000, 27500, -2500, 3000, -5500},
        {"C", 20000, 36667, 16667, 2000, 14667},
    };
    static const struct expected cut[] = {
        {"A", 50000, 40000, -10000, -10000, 0},
        {"B", 30000, 24000, -6000, -6000, 0},
        {"C", 20000, 16000, -4000, -4000, 0},
    };
    static const char *const scenarios[] = {"grow.ini", "cut.ini"};
    struct compare_case c;
    struct comparison cmp;
    struct diag d;

    diag_init(&d);
    case_open(&c);
    case_model(&c, "amount = 1000.00");
    case_write(&c, "grow.ini", grow_scenario);
    case_write(&c, "cut.ini", cut_scenario);
    CU_ASSERT_EQUAL_FATAL(run_compare(&cmp, &c, scenarios, 2, &d), 0);
    CU_ASSERT_EQUAL_FATAL(cmp.nruns, 3);
    CU_ASSERT_STRING_EQUAL(cmp.runs[2].name, "cut");
    check_run(&cmp, 1, grow, COUNT(grow), 10000);
    check_run(&cmp, 2, cut, COUNT(cut), -20000);
    comparison_release(&cmp);
    diag_release(&d);
    case_close(&c);
}

/* change_pct is the change in per cent of the baseline, rounded half
 * away from zero: 166.67 of 200.00 is 83.335 %. */
static void test_compare_csv_bytes(void)
{
    static const char *const scenarios[] = {"grow.ini"};
    struct compare_case c;
    struct comparison cmp;
    struct diag d;

    diag_init(&d);
    case_open(&c);
    case_model(&c, "amount = 1000.00");
    case_write(&c, "grow.ini", grow_scenario);
    CU_ASSERT_EQUAL_FATAL(run_compare(&cmp, &c, scenarios, 1, &d), 0);
    check_report(&c, &cmp, "compare.csv",
                 "organisation,baseline,grow,change,change_pct,budget_effect,"
                 "share_effect\n"
                 "A,500.00,458.33,-41.67,-8.33,50.00,-91.67\n"
                 "B,300.00,275.00,-25.00,-8.33,30.00,-55.00\n"
                 "C,200.00,366.67,166.67,83.34,20.00,146.67\n");
    comparison_release(&cmp);
    diag_release(&d);
    case_close(&c);
}

static void test_two_scenarios_prefix_columns(void)
{
    static const char *const scenarios[] = {"grow.ini", "cut.ini"};
    struct compare_case c;
    struct comparison cmp;
    struct diag d;

    diag_init(&d);
    case_open(&c);
    case_model(&c, "amount = 1000.00");
    case_write(&c, "grow.ini", grow_scenario);
    case_write(&c, "cut.ini", cut_scenario);
    CU_ASSERT_EQUAL_FATAL(run_compare(&cmp, &c, scenarios, 2, &d), 0);
    check_report(&c, &cmp, "compare.csv",
                 "organisation,baseline,"
                 "grow,grow_change,grow_change_pct,grow_budget_effect,"
                 "grow_share_effect,"
                 "cut,cut_change,cut_change_pct,cut_budget_effect,"
                 "cut_share_effect\n"
                 "A,500.00,458.33,-41.67,-8.33,50.00,-91.67,"
                 "400.00,-100.00,-20.00,-100.00,0.00\n"
                 "B,300.00,275.00,-25.00,-8.33,30.00,-55.00,"
                 "240.00,-60.00,-20.00,-60.00,0.00\n"
                 "C,200.00,366.67,166.67,83.34,20.00,146.67,"
                 "160.00,-40.00,-20.00,-40.00,0.00\n");
    check_report(&c, &cmp, "parameters.csv",
                 "parameter,baseline,grow,cut\n"
                 "pool,1000.00,1100.00,800.00\n"
                 "headcount C,20,40,20\n");
    comparison_release(&cmp);
    diag_release(&d);
    case_close(&c);
}

static void test_parameters_of_grow(void)
{
    static const char *const scenarios[] = {"grow.ini"};
    struct compare_case c;
    struct comparison cmp;
    struct diag d;

    diag_init(&d);
    case_open(&c);
    case_model(&c, "amount = 1000.00");
    case_write(&c, "grow.ini", grow_scenario);
    CU_ASSERT_EQUAL_FATAL(run_compare(&cmp, &c, scenarios, 1, &d), 0);
    CU_ASSERT_EQUAL(cmp.nparameters, 2);
    check_report(&c, &cmp, "parameters.csv",
                 "parameter,baseline,grow\n"
                 "pool,1000.00,1100.00\n"
                 "headcount C,20,40\n");
    comparison_release(&cmp);
    diag_release(&d);
    case_close(&c);
}

/* A floor, cap and band that bind no organisation change no amount, but
 * they are parameters that differ. */
static void test_parameters_of_rules(void)
{
    static const char *const scenarios[] = {"rules.ini"};
    struct compare_case c;
    struct comparison cmp;
    struct diag d;

    diag_init(&d);
    case_open(&c);
    case_model(&c, "amount = 1000.00");
    case_write(&c, "rules.ini",
               "[scenario]\n"
               "name = rules\n"
               "[rules]\n"
               "floor = 50.00\n"
               "cap = 60\n"
               "band = 0.5 10.00\n");
    CU_ASSERT_EQUAL_FATAL(run_compare(&cmp, &c, scenarios, 1, &d), 0);
    check_report(&c, &cmp, "parameters.csv",
                 "parameter,baseline,rules\n"
                 "floor,,50.00\n"
                 "cap,,60%\n"
                 "bands,,below 0.5% 10.00\n");
    check_report(&c, &cmp, "compare.csv",
                 "organisation,baseline,rules,change,change_pct,"
                 "budget_effect,share_effect\n"
                 "A,500.00,500.00,0.00,0.00,0.00,0.00\n"
                 "B,300.00,300.00,0.00,0.00,0.00,0.00\n"
                 "C,200.00,200.00,0.00,0.00,0.00,0.00\n");
    comparison_release(&cmp);
    diag_release(&d);
    case_close(&c);
}

/* A removed budget line has no value in the scenario. */
static void test_parameters_removed_line(void)
{
    static const char *const scenarios[] = {"no-radios.ini"};
    struct compare_case c;
    struct comparison cmp;
    struct diag d;

    diag_init(&d);
    case_open(&c);
    case_model(&c, "file = budget.csv");
    case_write(&c, "budget.csv",
               "line,description,amount\n"
               "L1,Guards,600.00\n"
               "L2,Radios,400.00\n");
    case_write(&c, "no-radios.ini",
               "[scenario]\n"
               "name = no-radios\n"
               "[budget]\n"
               "remove = L2\n");
    CU_ASSERT_EQUAL_FATAL(run_compare(&cmp, &c, scenarios, 1, &d), 0);
    check_report(&c, &cmp, "parameters.csv",
                 "parameter,baseline,no-radios\n"
                 "pool,1000.00,600.00\n"
                 "budget line L2,400.00,\n");
    comparison_release(&cmp);
    diag_release(&d);
    case_close(&c);
}

static void test_failing_scenario_fails(void)
{
    static const char *const scenarios[] = {"grow.ini", "broken.ini"};
    struct compare_case c;
    struct comparison cmp;
    struct diag d;
    char path[96];
    int found = 0;

    diag_init(&d);
    case_open(&c);
    case_model(&c, "amount = 1000.00");
    case_write(&c, "grow.ini", grow_scenario);
    case_write(&c, "broken.ini",
               "[scenario]\n"
               "name = broken\n"
               "[headcount]\n"
               "set = ZZZ 10\n");
    CU_ASSERT_EQUAL(run_compare(&cmp, &c, scenarios, 2, &d), -1);
    CU_ASSERT_EQUAL(d.errors, 1);
    case_path(&c, "broken.ini", path, sizeof path);
    for (size_t i = 0; i < d.count; i++)
        found |= d.entries[i].file != NULL &&
                 strcmp(d.entries[i].file, path) == 0 &&
                 d.entries[i].line == 4;
    CU_ASSERT(found);
    CU_ASSERT_EQUAL(cmp.nruns, 0);
    CU_ASSERT_PTR_NULL(cmp.baseline);
    comparison_release(&cmp);
    diag_release(&d);
    case_close(&c);
}

int suite_compare(void)
{
    static const struct {
        const char *name;
        CU_TestFunc function;
    } tests[] = {
        {"grow effects", test_grow_effects},
        {"organisation only in scenario", test_organisation_only_in_scenario},
        {"negative pool effects", test_negative_pool_effects},
        {"two scenarios foot", test_two_scenarios_foot},
        {"compare.csv bytes", test_compare_csv_bytes},
        {"two scenarios prefix columns", test_two_scenarios_prefix_columns},
        {"parameters of grow", test_parameters_of_grow},
        {"parameters of rules", test_parameters_of_rules},
        {"parameters removed line", test_parameters_removed_line},
        {"failing scenario fails", test_failing_scenario_fails},
    };
    CU_pSuite suite = CU_add_suite("compare", NULL, NULL);

    if (suite == NULL)
        return -1;
    for (size_t i = 0; i < COUNT(tests); i++) {
        if (CU_add_test(suite, tests[i].name, tests[i].function) == NULL)
            return -1;
    }
    return 0;
}
