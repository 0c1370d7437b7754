/*
 * allocate: one pool shared among parties by weight (headcount), under
 * the rules of a model: fixed shares, flat bands, a floor and a cap.
 *
 * Fixed shares and bands are set aside first.  The others share the rest
 * at one rate per unit of weight, each amount held between the floor
 * and the cap; the rate is the one at which they take exactly the rest,
 * found in exact fractions.  Finally the parts of the pool set as shares
 * (fixed, cap) are apportioned together, and what remains is apportioned
 * pro rata by weight, each through money_apportion().
 */
#ifndef COSTSHARE_ALLOCATE_H
#define COSTSHARE_ALLOCATE_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

enum allocate_rule {
    ALLOCATE_PRO_RATA,
    ALLOCATE_FLOOR,
    ALLOCATE_BAND,
    ALLOCATE_CAP,
    ALLOCATE_FIXED,
    /* Set by a transition rule after the allocation. */
    ALLOCATE_PHASE_IN,
    ALLOCATE_MAX_CHANGE,
    ALLOCATE_HOLD_HARMLESS
};

/* Per cent shown with this many decimals; the column totals 100. */
#define ALLOCATE_PERCENT_DECIMALS 4
#define ALLOCATE_PERCENT_WHOLE INT64_C(1000000) /* 100.0000 */

struct allocate_rules {
    int64_t floor; /* minor units; 0: none */
    const struct model_band *bands;
    size_t nbands;
    int64_t cap;          /* SHARE_SCALE units; 0: none */
    const int64_t *fixed; /* per party: SHARE_SCALE units, or -1 */
};

enum allocate_status {
    ALLOCATE_OK,
    ALLOCATE_ZERO_WEIGHTS,  /* no party with weight for a non-zero pool */
    ALLOCATE_UNSHARED_REST, /* every party with weight was set aside, but
                               part of the pool is left (a cap too low) */
    ALLOCATE_NEGATIVE_WEIGHT,
    ALLOCATE_RULES_NEED_POSITIVE_POOL, /* floor, band or cap on pool <= 0 */
    ALLOCATE_FIXED_OVER_WHOLE,         /* fixed shares above 100 per cent */
    ALLOCATE_OVERCOMMITTED,            /* set-aside amounts exceed the pool */
    ALLOCATE_OVERFLOW
};

struct allocation {
    size_t n;
    int64_t pool;             /* minor units */
    int64_t *amount;          /* minor units, per party */
    enum allocate_rule *rule; /* what set each amount */
    int64_t *percent;         /* 10^-4 per cent, total 1,000,000 */
    int64_t total;            /* sum of AMOUNT, for the footing check */
    int64_t percent_total;    /* sum of PERCENT */
};

/*
 * Share POOL among N parties with WEIGHTS under RULES.  Parties must be in
 * byte order of their codes (ties in money_apportion() go to the lower
 * index).  Returns ALLOCATE_OK with A filled (release with
 * allocation_release()), or an error status with A empty.
 */
enum allocate_status allocate_pool(struct allocation *a, int64_t pool,
                                   const int64_t *weights, size_t n,
                                   const struct allocate_rules *rules);

void allocation_release(struct allocation *a);

/* Return the name of RULE as written in reports ("pro_rata", ...). */
const char *allocate_rule_name(enum allocate_rule rule);

#endif
