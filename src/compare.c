/*
 * compare: run a model and its scenarios, and explain every change.
 *
 * The budget effect of an organisation is the change of the pool
 * apportioned by the baseline amounts (largest remainder, so the column
 * sums to the pool change); the share effect is the rest of its change.
 * Both columns therefore foot.
 */
#include "compare.h"

#include <stdlib.h>
#include <string.h>

#include "jfa.h"
#include "lcssb.h"
#include "report.h"
#include "util.h"

/* Name and value pairs that describe one run, for parameters.csv. */
struct description {
    char **names;
    char **values;
    size_t n;
};

static void describe(struct description *x, const char *name,
                     const char *value)
{
    x->names = xreallocarray(x->names, x->n + 1, sizeof *x->names);
    x->values = xreallocarray(x->values, x->n + 1, sizeof *x->values);
    x->names[x->n] = xstrdup(name);
    x->values[x->n] = xstrdup(value);
    x->n++;
}

static void description_release(struct description *x)
{
    for (size_t i = 0; i < x->n; i++) {
        free(x->names[i]);
        free(x->values[i]);
    }
    free(x->names);
    free(x->values);
    memset(x, 0, sizeof *x);
}

static char *percent_text(int64_t share)
{
    char buf[MONEY_FORMAT_MAX];

    return xasprintf("%s%%", report_percent_text(buf, share));
}

static int compare_texts(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Return the N ITEMS sorted and joined by ", ", or EMPTY when there are
 * none, so that one list in two orders reads alike. */
static char *joined(char **items, size_t n, const char *empty)
{
    char **sorted = xcalloc(n + 1, sizeof *sorted), *text = xstrdup("");

    memcpy(sorted, items, n * sizeof *items);
    qsort(sorted, n, sizeof *sorted, compare_texts);
    for (size_t i = 0; i < n; i++) {
        char *next = xasprintf("%s%s%s", text, i ? ", " : "", sorted[i]);

        free(text);
        text = next;
    }
    free(sorted);
    if (n == 0) {
        free(text);
        text = xstrdup(empty);
    }
    return text;
}

/* Describe who in the roster of M counts, when M reads one. */
static void describe_eligibility(struct description *x, const struct model *m)
{
    const struct model_eligibility *g = &m->eligibility;
    char date[11], *text, **entities;

    if (!m->roster.present)
        return;
    date_format(g->as_at, date);
    describe(x, "roster", m->roster.display);
    describe(x, "as_at", date);
    text = joined(g->contract_types, g->ncontract_types, "any");
    describe(x, "contract_types", text);
    free(text);
    text = xasprintf("%ld", g->min_months);
    describe(x, "min_months", text);
    free(text);
    entities = xcalloc(g->nexcluded + 1, sizeof *entities);
    for (size_t i = 0; i < g->nexcluded; i++)
        entities[i] = xasprintf("%s%s%s", g->excluded[i].organisation,
                                g->excluded[i].organisation[0] ? ":" : "",
                                g->excluded[i].entity);
    text = joined(entities, g->nexcluded, "none");
    describe(x, "excluded_entities", text);
    free(text);
    for (size_t i = 0; i < g->nexcluded; i++)
        free(entities[i]);
    free(entities);
}

/* Describe the rules of model M. */
static void describe_rules(struct description *x, const struct model *m)
{
    char amount[MONEY_FORMAT_MAX], *text = xstrdup(""), *part;

    describe_eligibility(x, m);
    describe(x, "basis", model_basis_name(m->basis));
    describe(x, "headquarters",
             m->basis == MODEL_BASIS_FIELD ? m->headquarters.display : "");
    describe(x, "floor",
             m->floor ? money_format(amount, m->floor, m->decimals, 0) : "");
    part = m->cap ? percent_text(m->cap) : xstrdup("");
    describe(x, "cap", part);
    free(part);
    for (size_t i = 0; i < m->nbands; i++) {
        char *upper = percent_text(m->bands[i].upper);
        char *next = xasprintf(
            "%s%sbelow %s %s", text, i ? "; " : "", upper,
            money_format(amount, m->bands[i].amount, m->decimals, 0));

        free(upper);
        free(text);
        text = next;
    }
    describe(x, "bands", text);
    free(text);
    text = xstrdup("");
    for (size_t i = 0; i < m->nfixed; i++) {
        char *share = percent_text(m->fixed[i].share);
        char *next = xasprintf("%s%s%s %s", text, i ? "; " : "",
                               m->fixed[i].organisation, share);

        free(share);
        free(text);
        text = next;
    }
    describe(x, "fixed", text);
    free(text);
}

/* Describe the budget lines and the pool. */
static void describe_budget(struct description *x, const struct budget *b,
                            unsigned decimals)
{
    char amount[MONEY_FORMAT_MAX];

    describe(x, "pool", money_format(amount, b->total, decimals, 0));
    for (size_t i = 0; i < b->nlines; i++) {
        const struct budget_line *l = &b->lines[i];
        char *name = *l->country
                         ? xasprintf("budget line %s/%s", l->country, l->code)
                         : xasprintf("budget line %s", l->code);

        describe(x, name, money_format(amount, l->amount, decimals, 0));
        free(name);
    }
}

static void describe_headcount(struct description *x,
                               const struct headcount *h)
{
    for (size_t i = 0; i < h->norganisations; i++) {
        char *name = xasprintf("headcount %s", h->organisations[i]);
        char *value = xasprintf("%lld", (long long)h->basis[i]);

        describe(x, name, value);
        free(name);
        free(value);
    }
}

/* Run a JFA model and keep what it charged. */
static int run_jfa_outcome(const struct model *m, struct outcome *o,
                           struct description *x, struct diag *d)
{
    struct jfa_result r;
    int status = jfa_run(&r, m, d);

    if (status != 0)
        return status;
    status = report_check(&r, d);
    o->n = r.n;
    o->pool = r.allocation.pool;
    o->codes = xcalloc(r.n, sizeof *o->codes);
    o->amounts = xcalloc(r.n, sizeof *o->amounts);
    for (size_t k = 0; k < r.n; k++) {
        o->codes[k] = xstrdup(r.headcount.organisations[r.organisations[k]]);
        o->amounts[k] = r.allocation.amount[k];
    }
    describe_budget(x, &r.budget, m->decimals);
    describe_headcount(x, &r.headcount);
    jfa_result_release(&r);
    return status;
}

/* Run an LCSSB model and keep the organisation totals. */
static int run_lcssb_outcome(const struct model *m, struct outcome *o,
                             struct description *x, struct diag *d)
{
    struct lcssb_result r;
    int status = lcssb_run(&r, m, d);

    if (status != 0)
        return status;
    status = lcssb_check(&r, d);
    o->pool = r.budget.total;
    o->codes = xcalloc(r.headcount.norganisations, sizeof *o->codes);
    o->amounts = xcalloc(r.headcount.norganisations, sizeof *o->amounts);
    for (size_t i = 0; i < r.headcount.norganisations; i++) {
        if (r.organisation_countries[i] == 0)
            continue;
        o->codes[o->n] = xstrdup(r.headcount.organisations[i]);
        o->amounts[o->n++] = r.organisation_amount[i];
    }
    describe_budget(x, &r.budget, m->decimals);
    describe_headcount(x, &r.headcount);
    lcssb_result_release(&r);
    return status;
}

/* Load and run one model, with SCENARIO laid on it unless NULL. */
static int run_one(const char *path, char *scenario, struct outcome *o,
                   struct description *x, struct model *keep, int *kept,
                   struct diag *d)
{
    struct model m;
    char *list[1] = {scenario};
    int status = model_load_stack(&m, path, list, scenario ? 1 : 0, d);

    if (status != 0)
        return status;
    o->name = xstrdup(scenario ? m.name : "baseline");
    describe_rules(x, &m);
    if (m.kind == MODEL_LCSSB)
        status = run_lcssb_outcome(&m, o, x, d);
    else
        status = run_jfa_outcome(&m, o, x, d);
    if (keep != NULL) {
        *keep = m;
        *kept = 1;
    } else {
        model_release(&m);
    }
    return status;
}

static int compare_codes(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Gather the organisations of every run and each run's amounts. */
static void merge_runs(struct comparison *c)
{
    size_t total = 0, kept = 0;

    for (size_t r = 0; r < c->nruns; r++)
        total += c->runs[r].n;
    c->codes = xcalloc(total, sizeof *c->codes);
    for (size_t r = 0; r < c->nruns; r++)
        for (size_t k = 0; k < c->runs[r].n; k++)
            c->codes[c->n++] = c->runs[r].codes[k];
    qsort(c->codes, c->n, sizeof *c->codes, compare_codes);
    for (size_t i = 0; i < c->n; i++)
        if (kept == 0 || strcmp(c->codes[kept - 1], c->codes[i]) != 0)
            c->codes[kept++] = c->codes[i];
    c->n = kept;
    for (size_t i = 0; i < c->n; i++)
        c->codes[i] = xstrdup(c->codes[i]);

    c->amount = xcalloc(c->nruns * c->n, sizeof *c->amount);
    for (size_t r = 0; r < c->nruns; r++) {
        for (size_t k = 0; k < c->runs[r].n; k++) {
            char **at = bsearch(&c->runs[r].codes[k], c->codes, c->n,
                                sizeof *c->codes, compare_codes);

            c->amount[r * c->n + (size_t)(at - c->codes)] =
                c->runs[r].amounts[k];
        }
    }
}

/* Split each scenario's changes into budget and share effects. */
static int split_effects(struct comparison *c, struct diag *d)
{
    size_t n = c->n;
    int64_t *weights = xcalloc(n, sizeof *weights);

    /* The baseline amounts, positive whatever the sign of the pool. */
    for (size_t i = 0; i < n; i++)
        weights[i] = c->runs[0].pool < 0 ? -c->amount[i] : c->amount[i];
    c->change = xcalloc(c->nruns * n, sizeof *c->change);
    c->budget_effect = xcalloc(c->nruns * n, sizeof *c->budget_effect);
    c->share_effect = xcalloc(c->nruns * n, sizeof *c->share_effect);
    for (size_t r = 1; r < c->nruns; r++) {
        int64_t delta = c->runs[r].pool - c->runs[0].pool;
        enum money_apportion_status status =
            money_apportion(delta, weights, n, c->budget_effect + r * n);

        if (status == MONEY_APPORTION_ZERO_WEIGHTS && delta == 0)
            memset(c->budget_effect + r * n, 0, n * sizeof *c->change);
        else if (status != MONEY_APPORTION_OK) {
            diag_error(d, NULL, 0, 0,
                       "cannot split the pool change of %s by the baseline "
                       "amounts (the baseline charges nothing, or an amount "
                       "is negative)",
                       c->runs[r].name);
            free(weights);
            return -1;
        }
        for (size_t i = 0; i < n; i++) {
            c->change[r * n + i] = c->amount[r * n + i] - c->amount[i];
            c->share_effect[r * n + i] =
                c->change[r * n + i] - c->budget_effect[r * n + i];
        }
    }
    free(weights);
    return 0;
}

/* Return the value of NAME in description X, or "" when absent. */
static const char *value_of(const struct description *x, const char *name)
{
    for (size_t j = 0; j < x->n; j++)
        if (strcmp(x->names[j], name) == 0)
            return x->values[j];
    return "";
}

static int has_parameter(const struct comparison *c, const char *name)
{
    for (size_t k = 0; k < c->nparameters; k++)
        if (strcmp(c->parameters[k].name, name) == 0)
            return 1;
    return 0;
}

/*
 * Keep the parameters whose values differ between the runs: the
 * baseline's names in its order, then names only a scenario has.
 */
static void find_differences(struct comparison *c, const struct description *x)
{
    for (size_t r = 0; r < c->nruns; r++) {
        for (size_t i = 0; i < x[r].n; i++) {
            const char *name = x[r].names[i];
            struct compare_parameter *p;
            int differ = 0;

            if (has_parameter(c, name))
                continue;
            for (size_t s = 1; s < c->nruns; s++)
                differ |=
                    strcmp(value_of(&x[s], name), value_of(&x[0], name)) != 0;
            if (!differ)
                continue;
            c->parameters = xreallocarray(c->parameters, c->nparameters + 1,
                                          sizeof *c->parameters);
            p = &c->parameters[c->nparameters++];
            p->name = xstrdup(name);
            p->values = xcalloc(c->nruns, sizeof *p->values);
            for (size_t s = 0; s < c->nruns; s++)
                p->values[s] = xstrdup(value_of(&x[s], name));
        }
    }
}

int compare_run(struct comparison *c, const char *path, char *const *scenarios,
                size_t nscenarios, struct diag *d)
{
    struct description *x = xcalloc(nscenarios + 1, sizeof *x);
    int status = 0;

    memset(c, 0, sizeof *c);
    c->nruns = nscenarios + 1;
    c->runs = xcalloc(c->nruns, sizeof *c->runs);
    c->baseline = xcalloc(1, sizeof *c->baseline);
    /* A baseline that fails would fail every scenario the same way, so
     * the scenarios run only after it succeeds. */
    for (size_t r = 0; r < c->nruns && (r == 0 || status == 0); r++) {
        int rc =
            run_one(path, r == 0 ? NULL : scenarios[r - 1], &c->runs[r], &x[r],
                    r == 0 ? c->baseline : NULL, &c->has_baseline, d);

        if (rc != 0 && status != -2)
            status = rc;
    }
    if (status == 0) {
        merge_runs(c);
        status = split_effects(c, d);
    }
    if (status == 0)
        find_differences(c, x);
    for (size_t r = 0; r < c->nruns; r++)
        description_release(&x[r]);
    free(x);
    if (status != 0)
        comparison_release(c);
    return status;
}

int compare_outcomes(struct comparison *c, struct outcome *runs, size_t nruns,
                     const struct model *m, struct diag *d)
{
    int status;

    memset(c, 0, sizeof *c);
    c->baseline = (struct model *)m;
    c->borrowed = 1;
    c->nruns = nruns;
    c->runs = xcalloc(nruns, sizeof *c->runs);
    memcpy(c->runs, runs, nruns * sizeof *runs);
    memset(runs, 0, nruns * sizeof *runs);
    merge_runs(c);
    status = split_effects(c, d);
    if (status != 0)
        comparison_release(c);
    return status;
}

void comparison_release(struct comparison *c)
{
    for (size_t r = 0; r < c->nruns; r++) {
        for (size_t k = 0; k < c->runs[r].n; k++)
            free(c->runs[r].codes[k]);
        free(c->runs[r].codes);
        free(c->runs[r].amounts);
        free(c->runs[r].name);
    }
    free(c->runs);
    for (size_t i = 0; i < c->n; i++)
        free(c->codes[i]);
    free(c->codes);
    free(c->amount);
    free(c->change);
    free(c->budget_effect);
    free(c->share_effect);
    for (size_t i = 0; i < c->nparameters; i++) {
        for (size_t r = 0; r < c->nruns; r++)
            free(c->parameters[i].values[r]);
        free(c->parameters[i].values);
        free(c->parameters[i].name);
    }
    free(c->parameters);
    if (c->has_baseline)
        model_release(c->baseline);
    if (!c->borrowed)
        free(c->baseline);
    memset(c, 0, sizeof *c);
}
