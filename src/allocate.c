/*
 * allocate: the engine that turns a pool and weights into amounts.
 *
 * Every comparison with a floor or cap is made on exact quotas in 128-bit
 * integers; the only rounding is the largest-remainder apportionment at
 * the end.
 */
#include "allocate.h"

#include <stdlib.h>
#include <string.h>

#include "money.h"
#include "util.h"

__extension__ typedef __int128 i128;

/* Per-party working state. */
struct party {
    enum allocate_rule rule;
    int64_t amount; /* FLOOR, BAND: minor units */
    int64_t share;  /* FIXED, CAP: SHARE_SCALE units */
};

static int mul(i128 a, i128 b, i128 *out)
{
    return __builtin_mul_overflow(a, b, out) ? -1 : 0;
}

/* Fixed shares from the rules, then flat bands by headcount share. */
static enum allocate_status
set_fixed_and_bands(struct party *p, const int64_t *w, size_t n,
                    const struct allocate_rules *rules)
{
    i128 all = 0, share = 0;

    for (size_t i = 0; i < n; i++) {
        all += w[i];
        if (rules->fixed && rules->fixed[i] >= 0) {
            p[i].rule = ALLOCATE_FIXED;
            p[i].share = rules->fixed[i];
            share += rules->fixed[i];
        }
    }
    if (share > SHARE_SCALE)
        return ALLOCATE_FIXED_OVER_WHOLE;

    for (size_t i = 0; i < n && rules->nbands > 0 && all > 0; i++) {
        if (p[i].rule != ALLOCATE_PRO_RATA || w[i] == 0)
            continue;
        for (size_t k = 0; k < rules->nbands; k++) {
            /* Headcount share w / all below the band's upper share. */
            if ((i128)w[i] * SHARE_SCALE < (i128)rules->bands[k].upper * all) {
                p[i].rule = ALLOCATE_BAND;
                p[i].amount = rules->bands[k].amount;
                break;
            }
        }
    }
    return ALLOCATE_OK;
}

/* A breakpoint of the clamped shares: the rate NUM / DEN (minor units
 * times SHARE_SCALE per unit of weight) at which a party reaches its
 * floor or its cap. */
struct rate {
    i128 num, den;
};

static int rate_less(struct rate x, struct rate y)
{
    return x.num * y.den < y.num * x.den;
}

static int compare_rates(const void *a, const void *b)
{
    const struct rate *x = a, *y = b;

    return rate_less(*x, *y) ? -1 : rate_less(*y, *x);
}

/* The pro-rata parties and what floor and cap mean for them, scaled by
 * SHARE_SCALE so that a capped share of the pool is an integer. */
struct clamp {
    const struct party *p;
    const int64_t *w;
    size_t n;
    i128 rest;  /* the pool left for them */
    i128 floor; /* 0: none */
    i128 cap;   /* 0: none */
};

static int is_free(const struct clamp *c, size_t i)
{
    return c->p[i].rule == ALLOCATE_PRO_RATA && c->w[i] > 0;
}

/*
 * Return the sign of g(rate) - rest, where g is what the parties take at
 * RATE, each clamp(rate * w, floor, cap): g never decreases with the
 * rate.  Sets *OVERFLOW when the sums do not fit.
 */
static int compare_take(const struct clamp *c, struct rate r, int *overflow)
{
    i128 total = 0, x, rest;

    for (size_t i = 0; i < c->n; i++) {
        if (!is_free(c, i))
            continue;
        if (mul(r.num, c->w[i], &x) != 0) {
            *overflow = 1;
            return 0;
        }
        if (c->floor > 0 && x < c->floor * r.den)
            x = c->floor * r.den;
        if (c->cap > 0 && x > c->cap * r.den)
            x = c->cap * r.den;
        if (__builtin_add_overflow(total, x, &total)) {
            *overflow = 1;
            return 0;
        }
    }
    if (mul(c->rest, r.den, &rest) != 0) {
        *overflow = 1;
        return 0;
    }
    return total < rest ? -1 : total > rest;
}

/*
 * Set aside at the floor or the cap exactly the parties that the
 * balanced allocation clamps: the one rate at which floors, caps and
 * pro-rata amounts together take the whole rest.  It lies between two
 * consecutive breakpoints, found by binary search since the amounts
 * taken never decrease with the rate, and within it every party is
 * floored, capped or pro rata throughout.
 */
static enum allocate_status clamp_parties(struct party *p, const int64_t *w,
                                          size_t n, int64_t pool,
                                          const struct allocate_rules *rules)
{
    struct clamp c = {p, w, n, 0, 0, 0};
    i128 amounts = 0, shares = 0;
    struct rate *rates = xcalloc(2 * n + 1, sizeof *rates), lower, upper;
    size_t count = 0, low, high, free_count = 0;
    int overflow = 0;

    for (size_t i = 0; i < n; i++) {
        if (p[i].rule == ALLOCATE_BAND)
            amounts += p[i].amount;
        else if (p[i].rule == ALLOCATE_FIXED)
            shares += p[i].share;
        free_count += (size_t)is_free(&c, i);
    }
    c.rest = (i128)pool * (SHARE_SCALE - shares) - amounts * SHARE_SCALE;
    c.floor = (i128)rules->floor * SHARE_SCALE;
    c.cap = (i128)rules->cap * pool;
    if (free_count == 0 || (c.floor == 0 && c.cap == 0)) {
        free(rates);
        return ALLOCATE_OK;
    }
    if (c.floor > 0 && c.floor * (i128)free_count > c.rest) {
        free(rates);
        return ALLOCATE_OVERCOMMITTED;
    }
    if (c.cap > 0 && c.cap * (i128)free_count < c.rest) {
        free(rates);
        return ALLOCATE_UNSHARED_REST;
    }

    for (size_t i = 0; i < n; i++) {
        if (!is_free(&c, i))
            continue;
        if (c.floor > 0)
            rates[count++] = (struct rate){c.floor, w[i]};
        if (c.cap > 0)
            rates[count++] = (struct rate){c.cap, w[i]};
    }
    qsort(rates, count, sizeof *rates, compare_rates);

    /* The first breakpoint at which the parties take the rest or more. */
    low = 0;
    high = count;
    while (low < high) {
        size_t middle = low + (high - low) / 2;

        if (compare_take(&c, rates[middle], &overflow) >= 0)
            high = middle;
        else
            low = middle + 1;
    }
    lower = low > 0 ? rates[low - 1] : (struct rate){0, 1};
    upper = low < count ? rates[low] : (struct rate){1, 0}; /* infinity */

    /* Within (lower, upper]: floored if the floor breakpoint is at or
     * above upper, capped if the cap breakpoint is at or below lower. */
    for (size_t i = 0; i < n && !overflow; i++) {
        struct rate f = {c.floor, w[i]}, k = {c.cap, w[i]};
        int floored = c.floor > 0 && upper.den != 0 && !rate_less(f, upper);
        int capped = c.cap > 0 && !rate_less(lower, k);

        if (!is_free(&c, i))
            continue;
        if (floored) {
            p[i].rule = ALLOCATE_FLOOR;
            p[i].amount = rules->floor;
        } else if (capped) {
            p[i].rule = ALLOCATE_CAP;
            p[i].share = rules->cap;
        }
    }
    free(rates);
    return overflow ? ALLOCATE_OVERFLOW : ALLOCATE_OK;
}

static enum allocate_status
apportion_status(enum money_apportion_status status)
{
    switch (status) {
    case MONEY_APPORTION_OK:
        return ALLOCATE_OK;
    case MONEY_APPORTION_NEGATIVE_WEIGHT:
        return ALLOCATE_NEGATIVE_WEIGHT;
    case MONEY_APPORTION_ZERO_WEIGHTS:
        return ALLOCATE_ZERO_WEIGHTS;
    case MONEY_APPORTION_OVERFLOW:
        break;
    }
    return ALLOCATE_OVERFLOW;
}

/* Scratch space of allocate_pool(): N + 1 weights and as many parts. */
struct scratch {
    int64_t *weights;
    int64_t *parts;
};

/*
 * Apportion the pool among the parties set as shares (fixed, cap) and
 * the rest, taken as one last part.  Sets their amounts and *REST.
 */
static enum allocate_status apportion_shares(struct allocation *a,
                                             const struct party *p,
                                             const struct scratch *scratch,
                                             int64_t *rest)
{
    int64_t *weights = scratch->weights;
    int64_t *parts = scratch->parts;
    int64_t others = SHARE_SCALE;
    enum money_apportion_status status;

    memset(weights, 0, (a->n + 1) * sizeof *weights);
    for (size_t i = 0; i < a->n; i++) {
        if (p[i].rule == ALLOCATE_FIXED || p[i].rule == ALLOCATE_CAP) {
            weights[i] = p[i].share;
            others -= p[i].share;
        }
    }
    weights[a->n] = others;
    status = money_apportion(a->pool, weights, a->n + 1, parts);
    if (status == MONEY_APPORTION_OK) {
        for (size_t i = 0; i < a->n; i++)
            if (weights[i] > 0)
                a->amount[i] = parts[i];
        *rest = parts[a->n];
    }
    return status == MONEY_APPORTION_ZERO_WEIGHTS ? ALLOCATE_OK
                                                  : apportion_status(status);
}

/* Apportion REST pro rata among the parties not set aside. */
static enum allocate_status
apportion_rest(struct allocation *a, const struct party *p, const int64_t *w,
               const struct scratch *scratch, int64_t rest)
{
    int64_t *weights = scratch->weights;
    int64_t *parts = scratch->parts;
    enum money_apportion_status status;
    int any = 0, set_aside = 0;

    memset(weights, 0, a->n * sizeof *weights);
    for (size_t i = 0; i < a->n; i++) {
        if (p[i].rule == ALLOCATE_PRO_RATA && w[i] > 0) {
            weights[i] = w[i];
            any = 1;
        }
        set_aside |= p[i].rule != ALLOCATE_PRO_RATA;
    }
    if (!any) {
        if (rest == 0)
            return ALLOCATE_OK;
        return set_aside ? ALLOCATE_UNSHARED_REST : ALLOCATE_ZERO_WEIGHTS;
    }
    status = money_apportion(rest, weights, a->n, parts);
    if (status == MONEY_APPORTION_OK)
        for (size_t i = 0; i < a->n; i++)
            if (weights[i] > 0)
                a->amount[i] = parts[i];
    return apportion_status(status);
}

/* Shares in per cent with ALLOCATE_PERCENT_DECIMALS decimals, apportioned
 * so that they total exactly 100: by amount, or by weight for a zero
 * pool. */
static void set_percent(struct allocation *a, const int64_t *w,
                        const struct scratch *scratch)
{
    int64_t *weights = scratch->weights;

    for (size_t i = 0; i < a->n; i++) {
        if (a->pool > 0)
            weights[i] = a->amount[i];
        else if (a->pool < 0)
            weights[i] = -a->amount[i];
        else
            weights[i] = w[i];
    }
    if (money_apportion(ALLOCATE_PERCENT_WHOLE, weights, a->n, a->percent) !=
        MONEY_APPORTION_OK)
        memset(a->percent, 0, a->n * sizeof *a->percent);
}

static int uses_amount_rules(const struct allocate_rules *rules)
{
    return rules->floor > 0 || rules->nbands > 0 || rules->cap > 0;
}

static enum allocate_status share_pool(struct allocation *a, struct party *p,
                                       const int64_t *w,
                                       const struct scratch *scratch)
{
    enum allocate_status status;
    int64_t rest = a->pool, amounts = 0;

    status = apportion_shares(a, p, scratch, &rest);
    if (status != ALLOCATE_OK)
        return status;
    for (size_t i = 0; i < a->n; i++) {
        if (p[i].rule == ALLOCATE_FLOOR || p[i].rule == ALLOCATE_BAND) {
            a->amount[i] = p[i].amount;
            if (money_add(amounts, p[i].amount, &amounts) != 0)
                return ALLOCATE_OVERFLOW;
        }
    }
    if (a->pool > 0 && amounts > rest)
        return ALLOCATE_OVERCOMMITTED;
    return apportion_rest(a, p, w, scratch, rest - amounts);
}

/* Pools of up to this many parties keep their working state on the
 * stack. */
#define ALLOCATE_STACK_PARTIES 64

static void release_scratch(struct party *p, const struct scratch *scratch,
                            int small)
{
    if (small)
        return;
    free(p);
    free(scratch->weights);
}

enum allocate_status allocate_pool(struct allocation *a, int64_t pool,
                                   const int64_t *weights, size_t n,
                                   const struct allocate_rules *rules)
{
    struct party party_stack[ALLOCATE_STACK_PARTIES];
    int64_t scratch_stack[2 * (ALLOCATE_STACK_PARTIES + 1)];
    int small = n <= ALLOCATE_STACK_PARTIES;
    struct party *p = small ? party_stack : xcalloc(n, sizeof *p);
    struct scratch scratch;
    enum allocate_status status = ALLOCATE_OK;

    memset(a, 0, sizeof *a);
    if (small)
        memset(p, 0, n * sizeof *p); /* as xcalloc leaves it */
    for (size_t i = 0; i < n; i++)
        if (weights[i] < 0)
            status = ALLOCATE_NEGATIVE_WEIGHT;
    if (status == ALLOCATE_OK && uses_amount_rules(rules) && pool <= 0)
        status = ALLOCATE_RULES_NEED_POSITIVE_POOL;
    if (status == ALLOCATE_OK)
        status = set_fixed_and_bands(p, weights, n, rules);

    a->n = n;
    a->pool = pool;
    a->amount = xcalloc(n, sizeof *a->amount);
    a->rule = xcalloc(n, sizeof *a->rule);
    a->percent = xcalloc(n, sizeof *a->percent);
    /* One array serves every apportionment of this pool. */
    scratch.weights =
        small ? scratch_stack : xcalloc(2 * (n + 1), sizeof *scratch.weights);
    scratch.parts = scratch.weights + n + 1;

    if (status == ALLOCATE_OK)
        status = clamp_parties(p, weights, n, pool, rules);
    if (status == ALLOCATE_OK)
        status = share_pool(a, p, weights, &scratch);
    if (status != ALLOCATE_OK) {
        release_scratch(p, &scratch, small);
        allocation_release(a);
        return status;
    }

    for (size_t i = 0; i < n; i++) {
        a->rule[i] = p[i].rule;
        a->total += a->amount[i];
    }
    set_percent(a, weights, &scratch);
    for (size_t i = 0; i < n; i++)
        a->percent_total += a->percent[i];
    release_scratch(p, &scratch, small);
    return ALLOCATE_OK;
}

void allocation_release(struct allocation *a)
{
    free(a->amount);
    free(a->rule);
    free(a->percent);
    memset(a, 0, sizeof *a);
}

const char *allocate_rule_name(enum allocate_rule rule)
{
    switch (rule) {
    case ALLOCATE_FLOOR:
        return "floor";
    case ALLOCATE_BAND:
        return "band";
    case ALLOCATE_CAP:
        return "cap";
    case ALLOCATE_FIXED:
        return "fixed";
    case ALLOCATE_PHASE_IN:
        return "phase_in";
    case ALLOCATE_MAX_CHANGE:
        return "max_change";
    case ALLOCATE_HOLD_HARMLESS:
        return "hold_harmless";
    case ALLOCATE_PRO_RATA:
        break;
    }
    return "pro_rata";
}
