/*
 * jfa: load the inputs of a JFA model, pick the organisations charged and
 * share the pool among them.
 */
#include "jfa.h"

#include <stdlib.h>
#include <string.h>

#include "transition.h"
#include "util.h"

/* Look up every organisation with a fixed share; set FIXED per party. */
static int fixed_shares(struct jfa_result *r, int64_t *fixed, struct diag *d)
{
    const struct model *m = r->model;
    int ok = 1;

    for (size_t i = 0; i < m->nfixed; i++) {
        long id = headcount_find_organisation(&r->headcount,
                                              m->fixed[i].organisation);

        if (id < 0) {
            diag_error(d, m->display, m->fixed[i].line, 0,
                       "fixed share for organisation \"%s\", which is not "
                       "in the headcount table %s",
                       m->fixed[i].organisation, model_headcount_file(m));
            ok = 0;
            continue;
        }
        for (size_t k = 0; k < r->n; k++)
            if (r->organisations[k] == (size_t)id)
                fixed[k] = m->fixed[i].share;
    }
    return ok ? 0 : -1;
}

/* List the organisations charged: on the basis, or with a fixed share. */
static void pick_organisations(struct jfa_result *r)
{
    const struct headcount *h = &r->headcount;
    const struct model *m = r->model;

    r->organisations = xcalloc(h->norganisations, sizeof *r->organisations);
    r->weights = xcalloc(h->norganisations, sizeof *r->weights);
    r->uncharged = xcalloc(h->norganisations, sizeof *r->uncharged);
    for (size_t i = 0; i < h->norganisations; i++) {
        int fixed = 0;

        for (size_t k = 0; k < m->nfixed; k++)
            fixed |=
                strcmp(m->fixed[k].organisation, h->organisations[i]) == 0;
        if (h->in_basis[i] || fixed) {
            r->organisations[r->n] = i;
            r->weights[r->n] = h->basis[i];
            r->n++;
        } else {
            r->uncharged[r->nuncharged++] = i;
        }
    }
}

static void report_allocate_error(const struct jfa_result *r,
                                  enum allocate_status status, struct diag *d)
{
    const struct model *m = r->model;
    char pool[MONEY_FORMAT_MAX];

    money_format(pool, r->budget.total, m->decimals, 1);
    switch (status) {
    case ALLOCATE_ZERO_WEIGHTS:
        diag_error(d, model_headcount_file(m), 0, 0,
                   "%s headcount is 0 -- cannot apportion %s",
                   m->basis == MODEL_BASIS_FIELD ? "field" : "total", pool);
        break;
    case ALLOCATE_UNSHARED_REST:
        diag_error(d, m->display, 0, 0,
                   "every organisation is at a %s, and part of the pool of "
                   "%s is left unshared; %s",
                   m->cap ? "cap, band, floor or fixed share"
                          : "band or fixed share",
                   pool,
                   m->cap ? "raise the cap"
                          : "leave an organisation to share the rest");
        break;
    case ALLOCATE_RULES_NEED_POSITIVE_POOL:
        diag_error(d, m->display, 0, 0,
                   "a floor, band or cap needs a positive pool, but the "
                   "budget is %s",
                   pool);
        break;
    case ALLOCATE_OVERCOMMITTED:
        diag_error(d, m->display, 0, 0,
                   "floors, bands and fixed or capped shares take more than "
                   "the pool of %s; lower them or raise the budget",
                   pool);
        break;
    case ALLOCATE_FIXED_OVER_WHOLE:
        diag_error(d, m->display, 0, 0,
                   "fixed shares add up to more than 100 per cent");
        break;
    case ALLOCATE_NEGATIVE_WEIGHT:
    case ALLOCATE_OVERFLOW:
    case ALLOCATE_OK:
        diag_error(d, m->display, 0, 0,
                   "the pool of %s cannot be shared without overflow", pool);
        break;
    }
}

int jfa_run(struct jfa_result *r, const struct model *m, struct diag *d)
{
    struct allocate_rules rules = {m->floor, m->bands, m->nbands, m->cap,
                                   NULL};
    enum allocate_status status;
    int64_t *fixed;
    int rc, brc;

    memset(r, 0, sizeof *r);
    r->model = m;

    /* Read every input before failing, so one run reports them all. */
    rc = headcount_load(&r->headcount, m, d);
    brc = budget_load(&r->budget, m, d);
    if (rc == 0 && headcount_apply_changes(&r->headcount, m, d) != 0)
        rc = -1;
    if (brc == 0 && budget_apply_changes(&r->budget, m, d) != 0)
        brc = -1;
    if (rc == -2 || brc == -2)
        rc = -2;
    else if (rc != 0 || brc != 0)
        rc = -1;
    if (rc != 0) {
        jfa_result_release(r);
        return rc;
    }

    pick_organisations(r);
    fixed = xcalloc(r->n, sizeof *fixed);
    for (size_t k = 0; k < r->n; k++)
        fixed[k] = -1;
    rules.fixed = fixed;
    if (fixed_shares(r, fixed, d) != 0) {
        free(fixed);
        jfa_result_release(r);
        return -1;
    }

    status = allocate_pool(&r->allocation, r->budget.total, r->weights, r->n,
                           &rules);
    free(fixed);
    if (status != ALLOCATE_OK) {
        report_allocate_error(r, status, d);
        jfa_result_release(r);
        return -1;
    }
    rc = transition_apply(r, d);
    if (rc != 0)
        jfa_result_release(r);
    return rc;
}

void jfa_result_release(struct jfa_result *r)
{
    headcount_release(&r->headcount);
    budget_release(&r->budget);
    allocation_release(&r->allocation);
    free(r->organisations);
    free(r->weights);
    free(r->uncharged);
    memset(r, 0, sizeof *r);
}
