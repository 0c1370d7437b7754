/*
 * statement: what one organisation pays and why, in plain text.
 */
#include "statement.h"

#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "util.h"

/* Persons of organisation ID per country on the basis, and the
 * headquarters persons left out. */
static void countries_of(const struct headcount *h, size_t id,
                         enum model_basis basis, int64_t *per_country,
                         int64_t *headquarters)
{
    *headquarters = 0;
    for (size_t i = 0; i < h->ncells; i++) {
        const struct headcount_cell *c = &h->cells[i];

        if (c->organisation != id)
            continue;
        if (basis == MODEL_BASIS_FIELD && c->headquarters)
            *headquarters += c->count;
        else
            per_country[c->country] += c->count;
    }
}

/* Print the five countries with the most persons. */
static void print_top_countries(FILE *out, const struct headcount *h,
                                const int64_t *per_country)
{
    unsigned char *shown = xcalloc(h->ncountries, 1);
    char persons[MONEY_FORMAT_MAX];

    fprintf(out, "where:");
    for (int k = 0; k < 5; k++) {
        size_t best = h->ncountries;

        for (size_t c = 0; c < h->ncountries; c++)
            if (!shown[c] && per_country[c] > 0 &&
                (best == h->ncountries || per_country[c] > per_country[best]))
                best = c;
        if (best == h->ncountries)
            break;
        shown[best] = 1;
        fprintf(out, "%s %s %s", k ? "," : "", h->countries[best],
                money_format(persons, per_country[best], 0, 1));
    }
    fprintf(out, "\n");
    free(shown);
}

static void print_headcount(FILE *out, const struct model *m,
                            const struct headcount *h, size_t id)
{
    int64_t *per_country = xcalloc(h->ncountries, sizeof *per_country);
    int64_t hq;
    char a[MONEY_FORMAT_MAX], b[MONEY_FORMAT_MAX], c[MONEY_FORMAT_MAX];

    countries_of(h, id, m->basis, per_country, &hq);
    fprintf(out, "headcount: %s persons on the %s basis",
            money_format(a, h->basis[id], 0, 1), model_basis_name(m->basis));
    if (m->basis == MODEL_BASIS_FIELD)
        fprintf(out,
                " (of %s; %s at headquarters duty stations not "
                "counted)",
                money_format(b, h->all[id], 0, 1), money_format(c, hq, 0, 1));
    fprintf(out, "\n");
    print_top_countries(out, h, per_country);
    free(per_country);
}

static const char *rule_meaning(enum allocate_rule rule)
{
    switch (rule) {
    case ALLOCATE_FLOOR:
        return "pays the floor, its pro-rata amount being below it";
    case ALLOCATE_BAND:
        return "pays a flat band amount for its headcount share";
    case ALLOCATE_CAP:
        return "is capped at the maximum share";
    case ALLOCATE_FIXED:
        return "pays its negotiated fixed share";
    case ALLOCATE_PHASE_IN:
        return "moves toward its new share by the phase-in";
    case ALLOCATE_MAX_CHANGE:
        return "is held at the maximum change from its previous share";
    case ALLOCATE_HOLD_HARMLESS:
        return "keeps its previous share, the change being below the "
               "threshold";
    case ALLOCATE_PRO_RATA:
        break;
    }
    return "pays in proportion to its headcount";
}

static void print_change(FILE *out, const struct comparison *yoy,
                         const char *code, unsigned decimals)
{
    char a[MONEY_FORMAT_MAX], b[MONEY_FORMAT_MAX], c[MONEY_FORMAT_MAX];
    char e[MONEY_FORMAT_MAX];

    for (size_t i = 0; yoy != NULL && i < yoy->n; i++) {
        if (strcmp(yoy->codes[i], code) != 0)
            continue;
        fprintf(out,
                "change from the previous period: %s (from %s), of which "
                "budget effect %s and share effect %s\n",
                money_format(a, yoy->change[yoy->n + i], decimals, 1),
                money_format(b, yoy->amount[i], decimals, 1),
                money_format(c, yoy->budget_effect[yoy->n + i], decimals, 1),
                money_format(e, yoy->share_effect[yoy->n + i], decimals, 1));
        return;
    }
    fprintf(out, "change from the previous period: no previous run in the "
                 "store\n");
}

/* Print entry K of the true-up of X. */
static void print_trueup(FILE *out, const struct expenditure *x, size_t k,
                         unsigned decimals)
{
    char a[MONEY_FORMAT_MAX], b[MONEY_FORMAT_MAX], c[MONEY_FORMAT_MAX];

    fprintf(out,
            "true-up: billed %s, final %s on actual expenditure, "
            "difference %s (positive is a credit)\n",
            money_format(a, x->billed[k], decimals, 1),
            money_format(b, x->final[k], decimals, 1),
            money_format(c, x->billed[k] - x->final[k], decimals, 1));
}

int statement_print_jfa(FILE *out, const struct jfa_result *r,
                        const char *code, const struct comparison *yoy,
                        const struct expenditure *x)
{
    const struct model *m = r->model;
    char a[MONEY_FORMAT_MAX], b[MONEY_FORMAT_MAX], c[MONEY_FORMAT_MAX];
    long id = headcount_find_organisation(&r->headcount, code);
    size_t k = r->n;

    for (size_t j = 0; id >= 0 && j < r->n; j++)
        if (r->organisations[j] == (size_t)id)
            k = j;
    if (k == r->n)
        return -1;

    fprintf(out, "statement for %s: model %s, period %s, %s\n\n", code,
            m->name, m->period, m->currency);
    fprintf(out, "amount: %s, %s %% of the pool of %s\n",
            money_format(a, r->allocation.amount[k], m->decimals, 1),
            money_format(b, r->allocation.percent[k],
                         ALLOCATE_PERCENT_DECIMALS, 0),
            money_format(c, r->allocation.pool, m->decimals, 1));
    fprintf(out, "rule: %s (%s)\n", allocate_rule_name(r->allocation.rule[k]),
            rule_meaning(r->allocation.rule[k]));
    print_headcount(out, m, &r->headcount, (size_t)id);
    print_change(out, yoy, code, m->decimals);
    if (x != NULL && x->has_trueup)
        print_trueup(out, x, k, m->decimals);
    return 0;
}

int statement_print_lcssb(FILE *out, const struct lcssb_result *r,
                          const char *code, const struct comparison *yoy,
                          const struct expenditure *x)
{
    const struct model *m = r->model;
    size_t n = r->headcount.norganisations;
    char a[MONEY_FORMAT_MAX], b[MONEY_FORMAT_MAX];
    long id = headcount_find_organisation(&r->headcount, code);

    if (id < 0 || r->organisation_countries[id] == 0)
        return -1;
    fprintf(out, "statement for %s: model %s (lcssb), period %s, %s\n\n", code,
            m->name, m->period, m->currency);
    fprintf(out, "amount: %s in %zu countr%s, of a budget of %s\n",
            money_format(a, r->organisation_amount[id], m->decimals, 1),
            r->organisation_countries[id],
            r->organisation_countries[id] == 1 ? "y" : "ies",
            money_format(b, r->budget.total, m->decimals, 1));
    print_headcount(out, m, &r->headcount, (size_t)id);
    fprintf(out, "contributions by country:\n");
    for (size_t c = 0; c < r->headcount.ncountries; c++) {
        int64_t amount = r->country_amount[c * n + (size_t)id];

        if (!r->takes_part[c * n + (size_t)id])
            continue;
        fprintf(out, "  %-4s %16s  owed to %s\n", r->headcount.countries[c],
                money_format(a, amount, m->decimals, 1), r->agency[c]);
    }
    print_change(out, yoy, code, m->decimals);
    for (size_t k = 0; x != NULL && x->has_trueup && k < x->ntrueup; k++)
        if (strcmp(x->trueup_codes[k], code) == 0)
            print_trueup(out, x, k, m->decimals);
    return 0;
}
