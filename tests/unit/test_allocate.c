/*
 * Unit tests of allocate: pro rata shares, floors, bands, caps and fixed
 * shares, the errors of impossible rules, and the per-cent column.  Every
 * expected amount was worked out by hand and checked with an exact
 * computation in Python's fractions module.
 */
#include <CUnit/CUnit.h>
#include <stdint.h>
#include <string.h>

#include "allocate.h"
#include "model.h"
#include "suites.h"

#define COUNT(array) (sizeof(array) / sizeof((array)[0]))

/* Shares in SHARE_SCALE units from whole per cent. */
#define PERCENT(p) ((int64_t)(p) * (SHARE_SCALE / 100))

static const struct allocate_rules no_rules = {0, NULL, 0, 0, NULL};

/*
 * Check the footing every successful allocation keeps: the amounts and
 * TOTAL equal the pool, and the per-cent column totals exactly 100 when
 * the pool is not 0.
 */
static void check_footing(const struct allocation *a)
{
    int64_t amounts = 0, percents = 0;

    for (size_t i = 0; i < a->n; i++) {
        amounts += a->amount[i];
        percents += a->percent[i];
    }
    CU_ASSERT_EQUAL(amounts, a->pool);
    CU_ASSERT_EQUAL(a->total, a->pool);
    CU_ASSERT_EQUAL(percents, a->percent_total);
    if (a->pool != 0)
        CU_ASSERT_EQUAL(a->percent_total, ALLOCATE_PERCENT_WHOLE);
}

/* Check each amount against EXPECTED (N of them). */
static void check_amounts(const struct allocation *a, const int64_t *expected,
                          size_t n)
{
    CU_ASSERT_EQUAL_FATAL(a->n, n);
    for (size_t i = 0; i < n; i++)
        CU_ASSERT_EQUAL(a->amount[i], expected[i]);
}

static void check_rules(const struct allocation *a,
                        const enum allocate_rule *expected, size_t n)
{
    CU_ASSERT_EQUAL_FATAL(a->n, n);
    for (size_t i = 0; i < n; i++)
        CU_ASSERT_EQUAL(a->rule[i], expected[i]);
}

static void check_percents(const struct allocation *a, const int64_t *expected,
                           size_t n)
{
    CU_ASSERT_EQUAL_FATAL(a->n, n);
    for (size_t i = 0; i < n; i++)
        CU_ASSERT_EQUAL(a->percent[i], expected[i]);
}

/* 61300 * w / 605 gives remainders .42 .65 .42 .97 .88 .65, so the four
 * cents left go to the .97, the .88 and both .65. */
static void test_pro_rata_known_result(void)
{
    static const int64_t weights[] = {98, 92, 98, 123, 102, 92};
    static const int64_t expected[] = {9929, 9322, 9929, 12463, 10335, 9322};
    struct allocation a;

    CU_ASSERT_EQUAL_FATAL(
        allocate_pool(&a, 61300, weights, COUNT(weights), &no_rules),
        ALLOCATE_OK);
    check_amounts(&a, expected, COUNT(expected));
    check_footing(&a);
    for (size_t i = 0; i < a.n; i++)
        CU_ASSERT_EQUAL(a.rule[i], ALLOCATE_PRO_RATA);
    allocation_release(&a);
}

/*
 * Pools of more than 64 parties keep their working state on the heap,
 * smaller ones on the stack.  Equal weights split n * 100 + 50 cents as
 * 101 for the first 50 parties (ties go to the lower index) and 100 for
 * the rest.
 */
static void test_many_parties(void)
{
    static const size_t sizes[] = {64, 65, 100};
    int64_t weights[100];

    for (size_t i = 0; i < COUNT(weights); i++)
        weights[i] = 7;
    for (size_t s = 0; s < COUNT(sizes); s++) {
        size_t n = sizes[s];
        struct allocation a;

        CU_ASSERT_EQUAL_FATAL(
            allocate_pool(&a, (int64_t)n * 100 + 50, weights, n, &no_rules),
            ALLOCATE_OK);
        CU_ASSERT_EQUAL_FATAL(a.n, n);
        for (size_t i = 0; i < n; i++) {
            CU_ASSERT_EQUAL(a.amount[i], i < 50 ? 101 : 100);
            CU_ASSERT_EQUAL(a.rule[i], ALLOCATE_PRO_RATA);
        }
        check_footing(&a);
        allocation_release(&a);
    }
}

/* Weights in proportion give the same split. */
static void test_pro_rata_scaled_weights(void)
{
    static const int64_t weights[] = {98000,  92000,  98000,
                                      123000, 102000, 92000};
    static const int64_t expected[] = {9929, 9322, 9929, 12463, 10335, 9322};
    struct allocation a;

    CU_ASSERT_EQUAL_FATAL(
        allocate_pool(&a, 61300, weights, COUNT(weights), &no_rules),
        ALLOCATE_OK);
    check_amounts(&a, expected, COUNT(expected));
    allocation_release(&a);
}

static void test_negative_pool_mirrored(void)
{
    static const int64_t weights[] = {2, 1};
    static const int64_t expected[] = {-667, -333};
    static const int64_t percents[] = {667000, 333000};
    struct allocation a;

    CU_ASSERT_EQUAL_FATAL(
        allocate_pool(&a, -1000, weights, COUNT(weights), &no_rules),
        ALLOCATE_OK);
    check_amounts(&a, expected, COUNT(expected));
    check_percents(&a, percents, COUNT(percents));
    check_footing(&a);
    allocation_release(&a);
}

static void test_zero_weight_gets_nothing(void)
{
    static const int64_t weights[] = {3, 0, 1};
    static const int64_t expected[] = {750, 0, 250};
    static const int64_t percents[] = {750000, 0, 250000};
    struct allocation a;

    CU_ASSERT_EQUAL_FATAL(
        allocate_pool(&a, 1000, weights, COUNT(weights), &no_rules),
        ALLOCATE_OK);
    check_amounts(&a, expected, COUNT(expected));
    check_percents(&a, percents, COUNT(percents));
    check_footing(&a);
    allocation_release(&a);
}

static void test_zero_weights_rejected(void)
{
    static const int64_t weights[] = {0, 0, 0};
    struct allocation a;

    CU_ASSERT_EQUAL(
        allocate_pool(&a, 1000, weights, COUNT(weights), &no_rules),
        ALLOCATE_ZERO_WEIGHTS);
    CU_ASSERT_PTR_NULL(a.amount);
    CU_ASSERT_EQUAL(a.n, 0);
    allocation_release(&a);
}

static void test_negative_weight_rejected(void)
{
    static const int64_t weights[] = {3, -1, 1};
    struct allocation a;

    CU_ASSERT_EQUAL(
        allocate_pool(&a, 1000, weights, COUNT(weights), &no_rules),
        ALLOCATE_NEGATIVE_WEIGHT);
    CU_ASSERT_PTR_NULL(a.amount);
    allocation_release(&a);
}

/* Quotas 90000, 9000 and 1000: the third is lifted to the floor of 5000,
 * and 95000 is shared 90:9, giving 86363.64 and 8636.36. */
static void test_floor_lifts_small_party(void)
{
    static const int64_t weights[] = {90, 9, 1};
    static const int64_t expected[] = {86364, 8636, 5000};
    static const enum allocate_rule rules[] = {
        ALLOCATE_PRO_RATA, ALLOCATE_PRO_RATA, ALLOCATE_FLOOR};
    static const int64_t percents[] = {863640, 86360, 50000};
    struct allocate_rules floor = no_rules;
    struct allocation a;

    floor.floor = 5000;
    CU_ASSERT_EQUAL_FATAL(
        allocate_pool(&a, 100000, weights, COUNT(weights), &floor),
        ALLOCATE_OK);
    check_amounts(&a, expected, COUNT(expected));
    check_rules(&a, rules, COUNT(rules));
    check_percents(&a, percents, COUNT(percents));
    check_footing(&a);
    allocation_release(&a);
}

/* Quotas 70000, 21000 and 9000 with a floor of 20000: the third goes to
 * the floor, which leaves the second 80000 * 21 / 91 = 18461.54, below
 * the floor too, so the first pays the remaining 60000. */
static void test_floor_cascades(void)
{
    static const int64_t weights[] = {70, 21, 9};
    static const int64_t expected[] = {60000, 20000, 20000};
    static const enum allocate_rule rules[] = {ALLOCATE_PRO_RATA,
                                               ALLOCATE_FLOOR, ALLOCATE_FLOOR};
    struct allocate_rules floor = no_rules;
    struct allocation a;

    floor.floor = 20000;
    CU_ASSERT_EQUAL_FATAL(
        allocate_pool(&a, 100000, weights, COUNT(weights), &floor),
        ALLOCATE_OK);
    check_amounts(&a, expected, COUNT(expected));
    check_rules(&a, rules, COUNT(rules));
    check_footing(&a);
    allocation_release(&a);
}

/* Headcount shares 99.0, 0.5, 0.3 and 0.2 per cent.  A share of exactly
 * 0.5 is not below the 0.5 band, so the second party pays pro rata: the
 * 9970000 left is shared 990:5, giving 9919899.4975 and 50100.5025, so
 * the cent left goes to the second party. */
static void test_bands_by_headcount_share(void)
{
    static const struct model_band bands[] = {
        {250000, 10000}, /* below 0.25 per cent */
        {500000, 20000}, /* below 0.5 per cent */
    };
    static const int64_t weights[] = {990, 5, 3, 2};
    static const int64_t expected[] = {9919899, 50101, 20000, 10000};
    static const enum allocate_rule rules[] = {
        ALLOCATE_PRO_RATA, ALLOCATE_PRO_RATA, ALLOCATE_BAND, ALLOCATE_BAND};
    struct allocate_rules banded = no_rules;
    struct allocation a;

    banded.bands = bands;
    banded.nbands = COUNT(bands);
    CU_ASSERT_EQUAL_FATAL(
        allocate_pool(&a, 10000000, weights, COUNT(weights), &banded),
        ALLOCATE_OK);
    check_amounts(&a, expected, COUNT(expected));
    check_rules(&a, rules, COUNT(rules));
    check_footing(&a);
    allocation_release(&a);
}

static void test_cap_reshares_excess(void)
{
    static const int64_t weights[] = {80, 10, 10};
    static const int64_t expected[] = {50000, 25000, 25000};
    static const enum allocate_rule rules[] = {ALLOCATE_CAP, ALLOCATE_PRO_RATA,
                                               ALLOCATE_PRO_RATA};
    struct allocate_rules cap = no_rules;
    struct allocation a;

    cap.cap = PERCENT(50);
    CU_ASSERT_EQUAL_FATAL(
        allocate_pool(&a, 100000, weights, COUNT(weights), &cap), ALLOCATE_OK);
    check_amounts(&a, expected, COUNT(expected));
    check_rules(&a, rules, COUNT(rules));
    check_footing(&a);
    allocation_release(&a);
}

/* With a cap of 40 per cent the first party is capped, and the 60000
 * left, shared 30:10, puts the second above the cap too. */
static void test_cap_cascades(void)
{
    static const int64_t weights[] = {60, 30, 10};
    static const int64_t expected[] = {40000, 40000, 20000};
    static const enum allocate_rule rules[] = {ALLOCATE_CAP, ALLOCATE_CAP,
                                               ALLOCATE_PRO_RATA};
    struct allocate_rules cap = no_rules;
    struct allocation a;

    cap.cap = PERCENT(40);
    CU_ASSERT_EQUAL_FATAL(
        allocate_pool(&a, 100000, weights, COUNT(weights), &cap), ALLOCATE_OK);
    check_amounts(&a, expected, COUNT(expected));
    check_rules(&a, rules, COUNT(rules));
    check_footing(&a);
    allocation_release(&a);
}

/* The first party is capped at 50000; the other 50000 shared 15:5 gives
 * 37500 and 12500, and 12500 is above the floor of 10000, so the floor,
 * which the third party's plain quota of 5000 would hit, does not apply
 * once the cap is taken out. */
static void test_floor_and_cap_together(void)
{
    static const int64_t weights[] = {80, 15, 5};
    static const int64_t expected[] = {50000, 37500, 12500};
    static const enum allocate_rule rules[] = {ALLOCATE_CAP, ALLOCATE_PRO_RATA,
                                               ALLOCATE_PRO_RATA};
    struct allocate_rules both = no_rules;
    struct allocation a;

    both.floor = 10000;
    both.cap = PERCENT(50);
    CU_ASSERT_EQUAL_FATAL(
        allocate_pool(&a, 100000, weights, COUNT(weights), &both),
        ALLOCATE_OK);
    check_amounts(&a, expected, COUNT(expected));
    check_rules(&a, rules, COUNT(rules));
    check_footing(&a);
    allocation_release(&a);
}

/* Floor and cap found together, not one after the other: with weights
 * 120/19/61 on 1000.00, a cap of 50 % and a floor of 100.00, the first
 * party is capped at 500.00 and the rest shared 19:61 gives 118.75 and
 * 381.25, above the floor. */
static void test_floor_not_before_cap(void)
{
    static const int64_t weights[] = {120, 19, 61};
    static const int64_t expected[] = {50000, 11875, 38125};
    static const enum allocate_rule rules[] = {ALLOCATE_CAP, ALLOCATE_PRO_RATA,
                                               ALLOCATE_PRO_RATA};
    struct allocate_rules both = no_rules;
    struct allocation a;

    both.floor = 10000;
    both.cap = PERCENT(50);
    CU_ASSERT_EQUAL_FATAL(
        allocate_pool(&a, 100000, weights, COUNT(weights), &both),
        ALLOCATE_OK);
    check_amounts(&a, expected, COUNT(expected));
    check_rules(&a, rules, COUNT(rules));
    check_footing(&a);
    allocation_release(&a);
}

/* With weights 1/48/26/25, a floor of 100.00 and a cap of 45 %, the
 * first party is floored and the other 900.00 shared 48:26:25 gives the
 * second party about 436.36, below the cap of 450.00, so no cap
 * applies. */
static void test_cap_not_before_floor(void)
{
    static const int64_t weights[] = {1, 48, 26, 25};
    struct allocate_rules both = no_rules;
    struct allocation a;

    both.floor = 10000;
    both.cap = PERCENT(45);
    CU_ASSERT_EQUAL_FATAL(
        allocate_pool(&a, 100000, weights, COUNT(weights), &both),
        ALLOCATE_OK);
    CU_ASSERT_EQUAL(a.amount[0], 10000);
    CU_ASSERT_EQUAL(a.rule[0], ALLOCATE_FLOOR);
    CU_ASSERT_EQUAL(a.rule[1], ALLOCATE_PRO_RATA);
    CU_ASSERT(a.amount[1] < 45000);
    check_footing(&a);
    allocation_release(&a);
}

/* Weights 1/51/48 with a floor of 200.00 and a cap of 45 % can be met:
 * 200.00, then 800.00 shared 51:48 gives 412.12 and 387.88, both below
 * 450.00. */
static void test_floor_and_cap_feasible(void)
{
    static const int64_t weights[] = {1, 51, 48};
    struct allocate_rules both = no_rules;
    struct allocation a;

    both.floor = 20000;
    both.cap = PERCENT(45);
    CU_ASSERT_EQUAL_FATAL(
        allocate_pool(&a, 100000, weights, COUNT(weights), &both),
        ALLOCATE_OK);
    CU_ASSERT_EQUAL(a.amount[0], 20000);
    CU_ASSERT_EQUAL(a.amount[1], 41212);
    CU_ASSERT_EQUAL(a.amount[2], 38788);
    check_footing(&a);
    allocation_release(&a);
}

/* Half of 1000 is fixed for the second party.  The other 500 is shared
 * 5:2, giving 357.14 and 142.86. */
static void test_fixed_share_set_aside(void)
{
    static const int64_t weights[] = {5, 3, 2};
    static const int64_t fixed[] = {-1, PERCENT(50), -1};
    static const int64_t expected[] = {357, 500, 143};
    static const enum allocate_rule rules[] = {
        ALLOCATE_PRO_RATA, ALLOCATE_FIXED, ALLOCATE_PRO_RATA};
    struct allocate_rules shares = no_rules;
    struct allocation a;

    shares.fixed = fixed;
    CU_ASSERT_EQUAL_FATAL(
        allocate_pool(&a, 1000, weights, COUNT(weights), &shares),
        ALLOCATE_OK);
    check_amounts(&a, expected, COUNT(expected));
    check_rules(&a, rules, COUNT(rules));
    check_footing(&a);
    allocation_release(&a);
}

static void test_fixed_shares_whole_pool(void)
{
    static const int64_t weights[] = {1, 2, 3};
    static const int64_t fixed[] = {20100000, 44200000, 35700000};
    static const int64_t expected[] = {20100, 44200, 35700};
    static const int64_t percents[] = {201000, 442000, 357000};
    struct allocate_rules shares = no_rules;
    struct allocation a;

    shares.fixed = fixed;
    CU_ASSERT_EQUAL_FATAL(
        allocate_pool(&a, 100000, weights, COUNT(weights), &shares),
        ALLOCATE_OK);
    check_amounts(&a, expected, COUNT(expected));
    check_percents(&a, percents, COUNT(percents));
    check_footing(&a);
    for (size_t i = 0; i < a.n; i++)
        CU_ASSERT_EQUAL(a.rule[i], ALLOCATE_FIXED);
    allocation_release(&a);
}

static void test_fixed_over_whole(void)
{
    static const int64_t weights[] = {1, 1, 1};
    static const int64_t fixed[] = {PERCENT(60), -1, PERCENT(50)};
    struct allocate_rules shares = no_rules;
    struct allocation a;

    shares.fixed = fixed;
    CU_ASSERT_EQUAL(
        allocate_pool(&a, 100000, weights, COUNT(weights), &shares),
        ALLOCATE_FIXED_OVER_WHOLE);
    CU_ASSERT_PTR_NULL(a.amount);
    allocation_release(&a);
}

static void test_rules_need_positive_pool(void)
{
    static const struct model_band bands[] = {{500000, 20000}};
    static const int64_t weights[] = {90, 9, 1};
    static const int64_t pools[] = {0, -100000};
    struct allocation a;

    for (size_t i = 0; i < COUNT(pools); i++) {
        struct allocate_rules floor = no_rules, banded = no_rules,
                              cap = no_rules;

        floor.floor = 5000;
        banded.bands = bands;
        banded.nbands = COUNT(bands);
        cap.cap = PERCENT(50);
        CU_ASSERT_EQUAL(
            allocate_pool(&a, pools[i], weights, COUNT(weights), &floor),
            ALLOCATE_RULES_NEED_POSITIVE_POOL);
        allocation_release(&a);
        CU_ASSERT_EQUAL(
            allocate_pool(&a, pools[i], weights, COUNT(weights), &banded),
            ALLOCATE_RULES_NEED_POSITIVE_POOL);
        allocation_release(&a);
        CU_ASSERT_EQUAL(
            allocate_pool(&a, pools[i], weights, COUNT(weights), &cap),
            ALLOCATE_RULES_NEED_POSITIVE_POOL);
        allocation_release(&a);
    }
}

static void test_floors_over_pool(void)
{
    static const int64_t weights[] = {1, 1, 1};
    static const struct model_band bands[] = {{PERCENT(50), 2000}};
    static const int64_t banded_weights[] = {100, 1};
    struct allocate_rules floor = no_rules, banded = no_rules;
    struct allocation a;

    /* Every quota, 3333.33, is below the floor, so the floors need 15000
     * of a pool of 10000. */
    floor.floor = 5000;
    CU_ASSERT_EQUAL(allocate_pool(&a, 10000, weights, COUNT(weights), &floor),
                    ALLOCATE_OVERCOMMITTED);
    CU_ASSERT_PTR_NULL(a.amount);
    allocation_release(&a);

    /* A flat band of 2000 in a pool of 1000. */
    banded.bands = bands;
    banded.nbands = COUNT(bands);
    CU_ASSERT_EQUAL(allocate_pool(&a, 1000, banded_weights,
                                  COUNT(banded_weights), &banded),
                    ALLOCATE_OVERCOMMITTED);
    allocation_release(&a);
}

/* Equal remainders go to the lower index, whatever the weights. */
static void test_ties_to_lower_index(void)
{
    static const int64_t rising[] = {1, 1, 2, 2};
    static const int64_t falling[] = {2, 2, 1, 1};
    static const int64_t rising_expected[] = {1, 0, 1, 1};
    static const int64_t falling_expected[] = {1, 1, 1, 0};
    struct allocation a;

    CU_ASSERT_EQUAL_FATAL(
        allocate_pool(&a, 3, rising, COUNT(rising), &no_rules), ALLOCATE_OK);
    check_amounts(&a, rising_expected, COUNT(rising_expected));
    allocation_release(&a);

    CU_ASSERT_EQUAL_FATAL(
        allocate_pool(&a, 3, falling, COUNT(falling), &no_rules), ALLOCATE_OK);
    check_amounts(&a, falling_expected, COUNT(falling_expected));
    allocation_release(&a);
}

/* Without ties, reversing the parties reverses the amounts, and the same
 * call twice gives the same result. */
static void test_order_only_input(void)
{
    static const int64_t weights[] = {98, 92, 98, 123, 102, 92};
    int64_t reversed[COUNT(weights)];
    int64_t first[COUNT(weights)];
    struct allocation a;

    for (size_t i = 0; i < COUNT(weights); i++)
        reversed[i] = weights[COUNT(weights) - 1 - i];
    CU_ASSERT_EQUAL_FATAL(
        allocate_pool(&a, 61300, weights, COUNT(weights), &no_rules),
        ALLOCATE_OK);
    memcpy(first, a.amount, sizeof first);
    allocation_release(&a);

    CU_ASSERT_EQUAL_FATAL(
        allocate_pool(&a, 61300, reversed, COUNT(reversed), &no_rules),
        ALLOCATE_OK);
    for (size_t i = 0; i < COUNT(weights); i++)
        CU_ASSERT_EQUAL(a.amount[i], first[COUNT(weights) - 1 - i]);
    allocation_release(&a);

    CU_ASSERT_EQUAL_FATAL(
        allocate_pool(&a, 61300, weights, COUNT(weights), &no_rules),
        ALLOCATE_OK);
    for (size_t i = 0; i < COUNT(weights); i++)
        CU_ASSERT_EQUAL(a.amount[i], first[i]);
    allocation_release(&a);
}

static uint64_t next_random(uint64_t *state)
{
    /* xorshift64: a fixed sequence, so the cases are the same each run. */
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    return *state;
}

/* Pools of either sign, with and without a floor: the per-cent column
 * always totals exactly 100. */
static void test_percent_totals_whole(void)
{
    uint64_t state = 2020;
    int64_t weights[40];
    size_t ok = 0;

    for (int round = 0; round < 300; round++) {
        size_t n = (size_t)(next_random(&state) % COUNT(weights)) + 1;
        int64_t pool = (int64_t)(next_random(&state) % 100000000) + 1;
        struct allocate_rules rules = no_rules;
        struct allocation a;

        for (size_t i = 0; i < n; i++)
            weights[i] = (int64_t)(next_random(&state) % 5000);
        weights[0] += 1;
        if (round % 3 == 1)
            pool = -pool;
        if (round % 3 == 2)
            rules.floor = pool / (int64_t)(4 * n);
        if (allocate_pool(&a, pool, weights, n, &rules) != ALLOCATE_OK)
            continue;
        ok++;
        check_footing(&a);
        allocation_release(&a);
    }
    CU_ASSERT_EQUAL(ok, 300);
}

int suite_allocate(void)
{
    static const struct {
        const char *name;
        CU_TestFunc function;
    } tests[] = {
        {"pro rata known result", test_pro_rata_known_result},
        {"pro rata scaled weights", test_pro_rata_scaled_weights},
        {"many parties", test_many_parties},
        {"negative pool mirrored", test_negative_pool_mirrored},
        {"zero weight gets nothing", test_zero_weight_gets_nothing},
        {"zero weights rejected", test_zero_weights_rejected},
        {"negative weight rejected", test_negative_weight_rejected},
        {"floor lifts small party", test_floor_lifts_small_party},
        {"floor cascades", test_floor_cascades},
        {"bands by headcount share", test_bands_by_headcount_share},
        {"cap re-shares excess", test_cap_reshares_excess},
        {"cap cascades", test_cap_cascades},
        {"floor and cap together", test_floor_and_cap_together},
        {"floor not before cap", test_floor_not_before_cap},
        {"cap not before floor", test_cap_not_before_floor},
        {"floor and cap feasible", test_floor_and_cap_feasible},
        {"fixed share set aside", test_fixed_share_set_aside},
        {"fixed shares whole pool", test_fixed_shares_whole_pool},
        {"fixed over whole", test_fixed_over_whole},
        {"rules need positive pool", test_rules_need_positive_pool},
        {"floors over pool", test_floors_over_pool},
        {"ties to lower index", test_ties_to_lower_index},
        {"order only input", test_order_only_input},
        {"percent totals whole", test_percent_totals_whole},
    };
    CU_pSuite suite = CU_add_suite("allocate", NULL, NULL);

    if (suite == NULL)
        return -1;
    for (size_t i = 0; i < COUNT(tests); i++) {
        if (CU_add_test(suite, tests[i].name, tests[i].function) == NULL)
            return -1;
    }
    return 0;
}
