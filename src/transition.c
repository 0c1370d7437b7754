/*
 * transition: previous shares against new ones, compared and combined as
 * exact fractions; the pool is then apportioned once more, so the result
 * foots like any other.
 */
#include "transition.h"

#include <stdlib.h>
#include <string.h>

#include "store.h"
#include "table.h"
#include "util.h"

__extension__ typedef __int128 i128;

/* Denominator of the percentage points of max_change and hold_harmless:
 * 1 per cent of the pool is 10,000, so points keep 4 decimals. */
#define POINT_SCALE INT64_C(1000000)

/* The organisations of the new and previous shares, by headcount id. */
struct shares {
    size_t n;
    size_t *ids;
    int64_t *now;         /* new amounts, minor units */
    int64_t *previous;    /* previous amounts, minor units */
    unsigned char *named; /* the previous shares named it */
    int64_t pool, previous_pool;
};

/* Add organisation ID's previous amount; -1 when the previous shares
 * named it already. */
static int add_previous(struct shares *s, long id, int64_t amount)
{
    size_t k = 0;

    while (k < s->n && s->ids[k] != (size_t)id)
        k++;
    if (k == s->n) {
        s->ids[k] = (size_t)id;
        s->now[k] = 0;
        s->n++;
    } else if (s->named[k]) {
        return -1;
    }
    s->previous[k] = amount;
    s->named[k] = 1;
    return 0;
}

/* Take the previous shares from the store's run of the period before. */
static int read_previous_run(struct shares *s, const struct jfa_result *r,
                             struct diag *d)
{
    const struct model *m = r->model;
    const char *name = m->model_name ? m->model_name : m->name;
    struct store *st = NULL;
    struct store_totals t;
    int status, found;

    if (m->store_path == NULL) {
        diag_error(d, m->display, 0, 0,
                   "previous = store needs the run history; run the "
                   "model with run or statement");
        return -1;
    }
    status = store_open(&st, m->store_path, d);
    if (status != 0)
        return status;
    found = store_previous(st, name, m->currency, m->period, &t, d);
    store_close(st);
    if (found < 0)
        return found;
    if (found == 0) {
        diag_error(d, m->store_path, 0, 0,
                   "no run of model %s for a period before %s, so there "
                   "are no previous shares to phase from",
                   name, m->period);
        return -1;
    }
    status = 0;
    for (size_t i = 0; i < t.n; i++) {
        long id = headcount_find_organisation(&r->headcount, t.codes[i]);

        if (id < 0) {
            diag_error(d, m->store_path, 0, 0,
                       "organisation \"%s\" of the stored run %ld is not in "
                       "the headcount table",
                       t.codes[i], t.run_id);
            status = -1;
            continue;
        }
        add_previous(s, id, t.amounts[i]);
    }
    s->previous_pool = t.pool;
    store_totals_release(&t);
    if (status == 0 && s->previous_pool <= 0) {
        diag_error(d, m->store_path, 0, 0,
                   "the previous pool must be positive for a transition");
        status = -1;
    }
    return status;
}

/* Read the previous shares file into S. */
static int read_previous(struct shares *s, const struct jfa_result *r,
                         struct diag *d)
{
    const struct model_input *in = &r->model->transition.previous;
    struct table_spec spec;
    struct table t;
    int status, ok = 1, pool_seen = 0;
    int64_t sum = 0;

    model_input_spec(in, &spec);
    status = table_read(&t, &spec, d);
    if (status != 0) {
        table_release(&t);
        return status;
    }
    for (size_t i = 0; i < t.nrows; i++) {
        const char *code;
        int64_t amount, pool;
        long id;

        if (table_cell_code(&t, i, 0, "organisation", &code, d) != 0 ||
            table_cell_amount(&t, i, 1, &amount, d) != 0) {
            ok = 0;
            continue;
        }
        id = headcount_find_organisation(&r->headcount, code);
        if (id < 0) {
            diag_error(d, t.display, t.rows[i].line, table_cell_field(&t, 0),
                       "organisation \"%s\" of the previous shares is not "
                       "in the headcount table",
                       code);
            ok = 0;
            continue;
        }
        if (add_previous(s, id, amount) != 0) {
            diag_error(d, t.display, t.rows[i].line, table_cell_field(&t, 0),
                       "organisation \"%s\" appears twice in the previous "
                       "shares",
                       code);
            ok = 0;
            continue;
        }
        if (amount < 0) {
            diag_error(d, t.display, t.rows[i].line, table_cell_field(&t, 1),
                       "previous amount of %s is negative; a share cannot "
                       "phase from below zero",
                       code);
            ok = 0;
            continue;
        }
        sum += amount;
        if (t.field_of[2] != 0 && table_cell_amount(&t, i, 2, &pool, d) != 0)
            ok = 0;
        else if (t.field_of[2] != 0 && pool_seen && pool != s->previous_pool) {
            diag_error(d, t.display, t.rows[i].line, table_cell_field(&t, 2),
                       "pool differs from the pool on earlier rows; every "
                       "row names the same previous pool");
            ok = 0;
        } else if (t.field_of[2] != 0) {
            s->previous_pool = pool;
            pool_seen = 1;
        }
    }
    if (ok && !pool_seen)
        s->previous_pool = sum;
    if (ok && s->previous_pool <= 0) {
        diag_error(d, t.display, 0, 0,
                   "the previous pool must be positive for a transition");
        ok = 0;
    }
    table_release(&t);
    return ok ? 0 : -1;
}

/* Put the parties of S in id order, the byte order of their codes, so
 * that ties in the apportionment go to the code that sorts first. */
static void sort_by_id(struct shares *s)
{
    for (size_t i = 1; i < s->n; i++) {
        size_t id = s->ids[i];
        int64_t now = s->now[i], previous = s->previous[i];
        size_t j = i;

        for (; j > 0 && s->ids[j - 1] > id; j--) {
            s->ids[j] = s->ids[j - 1];
            s->now[j] = s->now[j - 1];
            s->previous[j] = s->previous[j - 1];
        }
        s->ids[j] = id;
        s->now[j] = now;
        s->previous[j] = previous;
    }
}

/* Build S from the new result, then the previous shares. */
static int gather(struct shares *s, const struct jfa_result *r, struct diag *d)
{
    size_t cap = r->n + r->headcount.norganisations;
    int status;

    memset(s, 0, sizeof *s);
    s->ids = xcalloc(cap, sizeof *s->ids);
    s->now = xcalloc(cap, sizeof *s->now);
    s->previous = xcalloc(cap, sizeof *s->previous);
    s->named = xcalloc(cap, 1);
    s->pool = r->allocation.pool;
    for (size_t k = 0; k < r->n; k++) {
        s->ids[s->n] = r->organisations[k];
        s->now[s->n] = r->allocation.amount[k];
        s->n++;
    }
    status = r->model->transition.from_store ? read_previous_run(s, r, d)
                                             : read_previous(s, r, d);
    if (status == 0)
        sort_by_id(s);
    return status;
}

static void shares_release(struct shares *s)
{
    free(s->ids);
    free(s->now);
    free(s->previous);
    free(s->named);
}

/*
 * Phase in: year K of N takes the share previous + (new - previous) * K/N.
 * Over the common denominator P * Q * N / g the weights are integers.
 */
static int phase_in(const struct shares *s, const struct model_transition *t,
                    int64_t *weights)
{
    int64_t p = s->pool, q = s->previous_pool, a = p, b = q;

    while (b != 0) {
        int64_t tmp = a % b;

        a = b;
        b = tmp;
    }
    for (size_t k = 0; k < s->n; k++) {
        i128 w = (i128)s->previous[k] * (p / a) * (t->years - t->year) +
                 (i128)s->now[k] * (q / a) * t->year;

        if (w < 0 || w > INT64_MAX)
            return -1;
        weights[k] = (int64_t)w;
    }
    return 0;
}

/*
 * Split POOL: the parties marked in HELD get the shares HELD_NUM[k] / DEN
 * of it, apportioned together with the rest as one more part; the rest
 * goes pro rata to the others by FREE_WEIGHTS.  Returns 0, or -1.
 */
static int split_held(const struct shares *s, const unsigned char *held,
                      const int64_t *held_num, int64_t den,
                      const int64_t *free_weights, int64_t *amounts)
{
    int64_t *w = xcalloc(s->n + 1, sizeof *w), *parts;
    int64_t rest = den;
    int status = 0;

    parts = xcalloc(s->n + 1, sizeof *parts);
    for (size_t k = 0; k < s->n; k++) {
        if (held[k]) {
            w[k] = held_num[k];
            rest -= held_num[k];
        }
    }
    w[s->n] = rest < 0 ? 0 : rest;
    if (rest < 0 ||
        money_apportion(s->pool, w, s->n + 1, parts) != MONEY_APPORTION_OK)
        status = -1;
    for (size_t k = 0; k < s->n && status == 0; k++) {
        amounts[k] = held[k] ? parts[k] : 0;
        w[k] = held[k] ? 0 : free_weights[k];
    }
    if (status == 0 && parts[s->n] != 0) {
        int64_t *free_parts = xcalloc(s->n, sizeof *free_parts);

        if (money_apportion(parts[s->n], w, s->n, free_parts) !=
            MONEY_APPORTION_OK)
            status = -1;
        for (size_t k = 0; k < s->n && status == 0; k++)
            if (!held[k])
                amounts[k] = free_parts[k];
        free(free_parts);
    }
    free(w);
    free(parts);
    return status;
}

/* A rate NUM / DEN at which a party reaches one of its bounds. */
struct bound_rate {
    i128 num, den;
};

static int rate_below(struct bound_rate x, struct bound_rate y)
{
    return x.num * y.den < y.num * x.den;
}

static int compare_bound_rates(const void *a, const void *b)
{
    const struct bound_rate *x = a, *y = b;

    return rate_below(*x, *y) ? -1 : rate_below(*y, *x);
}

/* Sign of sum(clamp(rate * now, low, high)) - TOTAL, all over D. */
static int compare_sum(const struct shares *s, const i128 *low,
                       const i128 *high, i128 total, struct bound_rate r)
{
    i128 sum = 0;

    for (size_t k = 0; k < s->n; k++) {
        i128 x = r.num * s->now[k];

        if (x < low[k] * r.den)
            x = low[k] * r.den;
        if (x > high[k] * r.den)
            x = high[k] * r.den;
        sum += x;
    }
    return sum < total * r.den ? -1 : sum > total * r.den;
}

/*
 * Max change: no share moves more than X points from the previous one.
 * Shares are numerators over D = Q * POINT_SCALE.  Each party's share is
 * rate * new amount held between its bounds, at the one rate at which
 * the shares take the whole, found between two breakpoints by binary
 * search; parties at a bound are held there and the others share the
 * rest by their new amounts.
 */
static int max_change(const struct shares *s, int64_t points, int64_t *amounts,
                      enum allocate_rule *rules)
{
    i128 d = (i128)s->previous_pool * POINT_SCALE;
    i128 x = (i128)(points / (SHARE_SCALE / POINT_SCALE)) * s->previous_pool;
    i128 *low = xcalloc(s->n, sizeof *low),
         *high = xcalloc(s->n, sizeof *high);
    struct bound_rate *rates = xcalloc(2 * s->n + 1, sizeof *rates);
    struct bound_rate lower, upper;
    unsigned char *held = xcalloc(s->n, 1);
    int64_t *bound = xcalloc(s->n, sizeof *bound);
    i128 low_sum = 0, high_sum = 0;
    size_t count = 0, lo = 0, hi;
    int status = d > INT64_MAX ? -1 : 0;

    for (size_t k = 0; k < s->n; k++) {
        i128 base = (i128)s->previous[k] * POINT_SCALE;

        low[k] = base - x < 0 ? 0 : base - x;
        high[k] = base + x > d ? d : base + x;
        low_sum += low[k];
        high_sum += high[k];
        if (s->now[k] > 0) {
            rates[count++] = (struct bound_rate){low[k], s->now[k]};
            rates[count++] = (struct bound_rate){high[k], s->now[k]};
        }
    }
    if (low_sum > d || high_sum < d)
        status = -1; /* no shares within the bounds take the whole */
    qsort(rates, count, sizeof *rates, compare_bound_rates);
    hi = count;
    while (status == 0 && lo < hi) {
        size_t middle = lo + (hi - lo) / 2;

        if (compare_sum(s, low, high, d, rates[middle]) >= 0)
            hi = middle;
        else
            lo = middle + 1;
    }
    lower = lo > 0 ? rates[lo - 1] : (struct bound_rate){0, 1};
    upper = lo < count ? rates[lo] : (struct bound_rate){1, 0};
    for (size_t k = 0; k < s->n && status == 0; k++) {
        struct bound_rate l = {low[k], s->now[k] > 0 ? s->now[k] : 1};
        struct bound_rate h = {high[k], s->now[k] > 0 ? s->now[k] : 1};

        if (s->now[k] == 0 || (upper.den != 0 && !rate_below(l, upper))) {
            held[k] = 1;
            bound[k] = (int64_t)low[k];
        } else if (!rate_below(lower, h)) {
            held[k] = 1;
            bound[k] = (int64_t)high[k];
        }
    }
    if (status == 0)
        status = split_held(s, held, bound, (int64_t)d, s->now, amounts);
    for (size_t k = 0; k < s->n; k++)
        if (held[k])
            rules[k] = ALLOCATE_MAX_CHANGE;
    free(low);
    free(high);
    free(rates);
    free(held);
    free(bound);
    return status;
}

/* Hold harmless: a share that would move less than X points keeps its
 * previous value; the others share the rest by their new amounts. */
static int hold_harmless(const struct shares *s, int64_t points,
                         int64_t *amounts, enum allocate_rule *rules)
{
    unsigned char *held = xcalloc(s->n, 1);
    i128 limit;
    int status;

    if (__builtin_mul_overflow((i128)points * s->pool, s->previous_pool,
                               &limit)) {
        free(held);
        return -1;
    }

    for (size_t k = 0; k < s->n; k++) {
        /* |now / P - previous / Q| < points / SHARE_SCALE */
        i128 gap = (i128)s->now[k] * s->previous_pool -
                   (i128)s->previous[k] * s->pool;

        i128 scaled;

        if (__builtin_mul_overflow(gap < 0 ? -gap : gap, SHARE_SCALE,
                                   &scaled)) {
            free(held);
            return -1;
        }
        held[k] = scaled < limit;
        if (held[k])
            rules[k] = ALLOCATE_HOLD_HARMLESS;
    }
    status =
        split_held(s, held, s->previous, s->previous_pool, s->now, amounts);
    free(held);
    return status;
}

/* Put the transition's amounts back into R, organisations by code. */
static void store(struct jfa_result *r, const struct shares *s,
                  const int64_t *amounts, const enum allocate_rule *rules)
{
    struct allocation *a = &r->allocation;
    size_t n = s->n, kept;
    unsigned char *taken = xcalloc(n, 1);

    r->organisations =
        xreallocarray(r->organisations, n, sizeof *r->organisations);
    r->weights = xreallocarray(r->weights, n, sizeof *r->weights);
    a->amount = xreallocarray(a->amount, n, sizeof *a->amount);
    a->rule = xreallocarray(a->rule, n, sizeof *a->rule);
    a->percent = xreallocarray(a->percent, n, sizeof *a->percent);

    /* Ids are in byte order of the codes: list them in id order. */
    for (size_t k = 0; k < n; k++) {
        size_t best = n;

        for (size_t j = 0; j < n; j++)
            if (!taken[j] && (best == n || s->ids[j] < s->ids[best]))
                best = j;
        taken[best] = 1;
        r->organisations[k] = s->ids[best];
        r->weights[k] = r->headcount.basis[s->ids[best]];
        a->amount[k] = amounts[best];
        a->rule[k] = rules[best];
    }
    r->n = n;
    a->n = n;

    /* An organisation that joined with its previous share is charged. */
    kept = 0;
    for (size_t i = 0; i < r->nuncharged; i++) {
        int charged = 0;

        for (size_t k = 0; k < n; k++)
            charged |= r->organisations[k] == r->uncharged[i];
        if (!charged)
            r->uncharged[kept++] = r->uncharged[i];
    }
    r->nuncharged = kept;
    a->total = 0;
    for (size_t k = 0; k < n; k++)
        a->total += a->amount[k];
    if (money_apportion(ALLOCATE_PERCENT_WHOLE, a->amount, n, a->percent) !=
        MONEY_APPORTION_OK)
        memset(a->percent, 0, n * sizeof *a->percent);
    a->percent_total = 0;
    for (size_t k = 0; k < n; k++)
        a->percent_total += a->percent[k];
    free(taken);
}

/* Rules of the result before the transition, indexed like S. */
static enum allocate_rule *rules_before(const struct jfa_result *r,
                                        const struct shares *s)
{
    enum allocate_rule *rules = xcalloc(s->n, sizeof *rules);

    for (size_t k = 0; k < s->n; k++) {
        rules[k] = ALLOCATE_PRO_RATA;
        for (size_t j = 0; j < r->n; j++)
            if (r->organisations[j] == s->ids[k])
                rules[k] = r->allocation.rule[j];
    }
    return rules;
}

int transition_apply(struct jfa_result *r, struct diag *d)
{
    const struct model *m = r->model;
    const struct model_transition *t = &m->transition;
    struct shares s;
    int64_t *amounts, *weights;
    enum allocate_rule *rules;
    int status;

    if (t->kind == MODEL_TRANSITION_NONE)
        return 0;
    if (r->allocation.pool <= 0) {
        diag_error(d, m->display, 0, 0, "a transition needs a positive pool");
        return -1;
    }
    status = gather(&s, r, d);
    if (status != 0) {
        shares_release(&s);
        return status;
    }

    amounts = xcalloc(s.n, sizeof *amounts);
    weights = xcalloc(s.n, sizeof *weights);
    rules = rules_before(r, &s);
    if (t->kind == MODEL_PHASE_IN) {
        status = phase_in(&s, t, weights);
        if (status == 0 && money_apportion(s.pool, weights, s.n, amounts) !=
                               MONEY_APPORTION_OK)
            status = -1;
        for (size_t k = 0; k < s.n; k++)
            rules[k] = ALLOCATE_PHASE_IN;
    } else if (t->kind == MODEL_MAX_CHANGE) {
        status = max_change(&s, t->points, amounts, rules);
    } else {
        status = hold_harmless(&s, t->points, amounts, rules);
    }
    if (status == 0)
        store(r, &s, amounts, rules);
    else
        diag_error(d, m->display, 0, 0,
                   "the transition cannot be computed exactly: the previous "
                   "and new pools are too large or too different");
    free(amounts);
    free(weights);
    free(rules);
    shares_release(&s);
    return status;
}
