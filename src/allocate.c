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

/*
 * One round: mark every pro-rata party whose exact quota of what remains
 * is below the floor or above the cap.  Returns the number marked, or -1
 * on overflow.
 */
static long set_aside_round(struct party *p, const int64_t *w, size_t n,
                            int64_t pool, const struct allocate_rules *rules)
{
    i128 amounts = 0, shares = 0, weights = 0, rest, floor_side, cap_side;
    long marked = 0;

    for (size_t i = 0; i < n; i++) {
        if (p[i].rule == ALLOCATE_FLOOR || p[i].rule == ALLOCATE_BAND)
            amounts += p[i].amount;
        else if (p[i].rule == ALLOCATE_FIXED || p[i].rule == ALLOCATE_CAP)
            shares += p[i].share;
        else
            weights += w[i];
    }
    if (weights == 0)
        return 0;

    /* What remains, scaled by SHARE_SCALE: pool * (1 - shares) - amounts.
     * A party's quota is rest * w / (SHARE_SCALE * weights). */
    rest = (i128)pool * (SHARE_SCALE - shares) - amounts * SHARE_SCALE;
    if (mul((i128)rules->floor * SHARE_SCALE, weights, &floor_side) != 0 ||
        mul((i128)pool * rules->cap, weights, &cap_side) != 0)
        return -1;

    for (size_t i = 0; i < n; i++) {
        i128 quota_side;

        if (p[i].rule != ALLOCATE_PRO_RATA || w[i] == 0)
            continue;
        if (mul(rest, w[i], &quota_side) != 0)
            return -1;
        if (rules->floor > 0 && quota_side < floor_side) {
            p[i].rule = ALLOCATE_FLOOR;
            p[i].amount = rules->floor;
            marked++;
        } else if (rules->cap > 0 && quota_side > cap_side) {
            p[i].rule = ALLOCATE_CAP;
            p[i].share = rules->cap;
            marked++;
        }
    }
    return marked;
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

/*
 * Apportion the pool among the parties set as shares (fixed, cap) and
 * the rest, taken as one last part.  Sets their amounts and *REST.
 */
static enum allocate_status
apportion_shares(struct allocation *a, const struct party *p, int64_t *rest)
{
    int64_t *weights = xcalloc(a->n + 1, sizeof *weights);
    int64_t *parts = xcalloc(a->n + 1, sizeof *parts);
    int64_t others = SHARE_SCALE;
    enum money_apportion_status status;

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
    free(weights);
    free(parts);
    return status == MONEY_APPORTION_ZERO_WEIGHTS ? ALLOCATE_OK
                                                  : apportion_status(status);
}

/* Apportion REST pro rata among the parties not set aside. */
static enum allocate_status apportion_rest(struct allocation *a,
                                           const struct party *p,
                                           const int64_t *w, int64_t rest)
{
    int64_t *weights = xcalloc(a->n, sizeof *weights);
    int64_t *parts = xcalloc(a->n, sizeof *parts);
    enum money_apportion_status status;
    int any = 0, set_aside = 0;

    for (size_t i = 0; i < a->n; i++) {
        if (p[i].rule == ALLOCATE_PRO_RATA && w[i] > 0) {
            weights[i] = w[i];
            any = 1;
        }
        set_aside |= p[i].rule != ALLOCATE_PRO_RATA;
    }
    if (!any) {
        free(weights);
        free(parts);
        if (rest == 0)
            return ALLOCATE_OK;
        return set_aside ? ALLOCATE_UNSHARED_REST : ALLOCATE_ZERO_WEIGHTS;
    }
    status = money_apportion(rest, weights, a->n, parts);
    if (status == MONEY_APPORTION_OK)
        for (size_t i = 0; i < a->n; i++)
            if (weights[i] > 0)
                a->amount[i] = parts[i];
    free(weights);
    free(parts);
    return apportion_status(status);
}

/* Shares in per cent with ALLOCATE_PERCENT_DECIMALS decimals, apportioned
 * so that they total exactly 100: by amount, or by weight for a zero
 * pool. */
static void set_percent(struct allocation *a, const int64_t *w)
{
    int64_t *weights = xcalloc(a->n, sizeof *weights);

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
    free(weights);
}

static int uses_amount_rules(const struct allocate_rules *rules)
{
    return rules->floor > 0 || rules->nbands > 0 || rules->cap > 0;
}

static enum allocate_status share_pool(struct allocation *a, struct party *p,
                                       const int64_t *w)
{
    enum allocate_status status;
    int64_t rest = a->pool, amounts = 0;

    status = apportion_shares(a, p, &rest);
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
    return apportion_rest(a, p, w, rest - amounts);
}

enum allocate_status allocate_pool(struct allocation *a, int64_t pool,
                                   const int64_t *weights, size_t n,
                                   const struct allocate_rules *rules)
{
    struct party *p = xcalloc(n, sizeof *p);
    enum allocate_status status = ALLOCATE_OK;
    long marked;

    memset(a, 0, sizeof *a);
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

    /* Set aside until stable; each round marks at least one party. */
    while (status == ALLOCATE_OK && a->rounds <= n) {
        marked = set_aside_round(p, weights, n, pool, rules);
        if (marked < 0)
            status = ALLOCATE_OVERFLOW;
        if (marked <= 0)
            break;
        a->rounds++;
    }
    if (status == ALLOCATE_OK)
        status = share_pool(a, p, weights);
    if (status != ALLOCATE_OK) {
        free(p);
        allocation_release(a);
        return status;
    }

    for (size_t i = 0; i < n; i++) {
        a->rule[i] = p[i].rule;
        a->total += a->amount[i];
    }
    set_percent(a, weights);
    for (size_t i = 0; i < n; i++)
        a->percent_total += a->percent[i];
    free(p);
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
