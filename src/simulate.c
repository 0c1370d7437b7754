/*
 * simulate: how uncertain headcounts move each organisation's amount.
 *
 * Each draw takes every headcount row on the basis as
 * round(count * (1 + e)), e drawn from a normal distribution with mean 0
 * and standard deviation the headcount error, floored at 0 persons, and
 * shares the pool again under the model's rules.  The draws use GSL's
 * MT19937 generator from the seed, so a seed gives the same bytes.
 */
#include "simulate.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "util.h"

/* The rows each organisation's draw is made of. */
struct draw_rows {
    size_t n;
    size_t *party;  /* index into the result's organisations */
    int64_t *count; /* persons */
};

static void collect_rows(struct draw_rows *rows, const struct jfa_result *r)
{
    const struct headcount *h = &r->headcount;
    long *party_of = xcalloc(h->norganisations, sizeof *party_of);

    for (size_t i = 0; i < h->norganisations; i++)
        party_of[i] = -1;
    for (size_t k = 0; k < r->n; k++)
        party_of[r->organisations[k]] = (long)k;
    rows->n = 0;
    rows->party = xcalloc(h->ncells, sizeof *rows->party);
    rows->count = xcalloc(h->ncells, sizeof *rows->count);
    for (size_t i = 0; i < h->ncells; i++) {
        const struct headcount_cell *c = &h->cells[i];

        if (party_of[c->organisation] < 0 ||
            (r->model->basis == MODEL_BASIS_FIELD && c->headquarters))
            continue;
        rows->party[rows->n] = (size_t)party_of[c->organisation];
        rows->count[rows->n] = c->count;
        rows->n++;
    }
    free(party_of);
}

/* The model's rules with its fixed shares placed per party. */
static int64_t *fixed_shares(const struct jfa_result *r)
{
    int64_t *fixed = xcalloc(r->n, sizeof *fixed);

    for (size_t k = 0; k < r->n; k++) {
        const char *code = r->headcount.organisations[r->organisations[k]];

        fixed[k] = -1;
        for (size_t i = 0; i < r->model->nfixed; i++)
            if (strcmp(r->model->fixed[i].organisation, code) == 0)
                fixed[k] = r->model->fixed[i].share;
    }
    return fixed;
}

static int compare_values(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

    return x < y ? -1 : x > y;
}

/* Nearest-rank percentile P of the sorted VALUES. */
static int64_t percentile(const int64_t *values, size_t n, unsigned p)
{
    size_t rank = (n * p + 99) / 100;

    return values[rank > 0 ? rank - 1 : 0];
}

static void stats_of(int64_t *values, size_t n, struct simulate_stats *out)
{
    double *x = xcalloc(n, sizeof *x);

    for (size_t i = 0; i < n; i++)
        x[i] = (double)values[i];
    out->mean = gsl_stats_mean(x, 1, n);
    out->sd = n > 1 ? gsl_stats_sd(x, 1, n) : 0.0;
    qsort(values, n, sizeof *values, compare_values);
    out->p5 = percentile(values, n, 5);
    out->p50 = percentile(values, n, 50);
    out->p95 = percentile(values, n, 95);
    free(x);
}

static void show_progress(const struct simulate_options *o, size_t done)
{
    if (!o->progress || (done % (o->draws / 100 + 1) != 0 && done != o->draws))
        return;
    fprintf(stderr, "\rsimulate: %zu of %zu draws (%zu %%)", done, o->draws,
            done * 100 / o->draws);
    if (done == o->draws)
        fputc('\n', stderr);
}

/* Run the draws, keeping every amount and percentage. */
static int run_draws(struct simulation *s, const struct draw_rows *rows,
                     const struct allocate_rules *rules, int64_t *amounts,
                     int64_t *percents, struct diag *d)
{
    const struct jfa_result *r = &s->base;
    size_t n = r->n, draws = s->options.draws;
    double sd = (double)s->options.error / (double)SHARE_SCALE;
    int64_t *weights = xcalloc(n, sizeof *weights);
    gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
    int status = 0;

    gsl_rng_set(rng, s->options.seed);
    for (size_t t = 0; t < draws && status == 0; t++) {
        struct allocation a;

        memset(weights, 0, n * sizeof *weights);
        for (size_t i = 0; i < rows->n; i++) {
            double e = gsl_ran_gaussian_ziggurat(rng, sd);
            double persons = (double)rows->count[i] * (1.0 + e);

            weights[rows->party[i]] += persons > 0 ? llround(persons) : 0;
        }
        if (allocate_pool(&a, r->allocation.pool, weights, n, rules) !=
            ALLOCATE_OK) {
            diag_error(d, r->model->display, 0, 0,
                       "draw %zu cannot be shared under the model's rules "
                       "(every headcount drawn as 0?)",
                       t + 1);
            status = -1;
            break;
        }
        for (size_t k = 0; k < n; k++) {
            amounts[k * draws + t] = a.amount[k];
            percents[k * draws + t] = a.percent[k];
        }
        allocation_release(&a);
        show_progress(&s->options, t + 1);
    }
    gsl_rng_free(rng);
    free(weights);
    return status;
}

/* Each organisation's amount with one more person on its headcount. */
static int sensitivity(struct simulation *s,
                       const struct allocate_rules *rules)
{
    const struct jfa_result *r = &s->base;
    int64_t *weights = xcalloc(r->n, sizeof *weights);
    int status = 0;

    s->plus_one = xcalloc(r->n, sizeof *s->plus_one);
    for (size_t k = 0; k < r->n && status == 0; k++) {
        struct allocation a;

        memcpy(weights, r->weights, r->n * sizeof *weights);
        weights[k]++;
        if (allocate_pool(&a, r->allocation.pool, weights, r->n, rules) !=
            ALLOCATE_OK) {
            status = -1;
            break;
        }
        s->plus_one[k] = a.amount[k];
        allocation_release(&a);
    }
    free(weights);
    return status;
}

int simulate_run(struct simulation *s, const struct model *m,
                 const struct simulate_options *options, struct diag *d)
{
    struct allocate_rules rules = {m->floor, m->bands, m->nbands, m->cap,
                                   NULL};
    struct draw_rows rows;
    int64_t *amounts, *percents, *fixed;
    size_t n;
    int status;

    memset(s, 0, sizeof *s);
    s->options = *options;
    if (m->kind != MODEL_JFA || m->transition.kind != MODEL_TRANSITION_NONE) {
        diag_error(d, m->display, 0, 0,
                   "simulate works on a jfa model without a transition");
        return -1;
    }
    status = jfa_run(&s->base, m, d);
    if (status != 0)
        return status;

    gsl_set_error_handler_off();
    n = s->base.n;
    collect_rows(&rows, &s->base);
    fixed = fixed_shares(&s->base);
    rules.fixed = fixed;
    amounts = xcalloc(n * options->draws, sizeof *amounts);
    percents = xcalloc(n * options->draws, sizeof *percents);
    status = run_draws(s, &rows, &rules, amounts, percents, d);
    if (status == 0 && sensitivity(s, &rules) != 0) {
        diag_error(d, m->display, 0, 0,
                   "one more person cannot be shared under the rules");
        status = -1;
    }
    if (status == 0) {
        s->amount = xcalloc(n, sizeof *s->amount);
        s->percent = xcalloc(n, sizeof *s->percent);
        for (size_t k = 0; k < n; k++) {
            stats_of(amounts + k * options->draws, options->draws,
                     &s->amount[k]);
            stats_of(percents + k * options->draws, options->draws,
                     &s->percent[k]);
        }
    }
    free(amounts);
    free(percents);
    free(fixed);
    free(rows.party);
    free(rows.count);
    if (status != 0)
        simulation_release(s);
    return status;
}

void simulation_release(struct simulation *s)
{
    jfa_result_release(&s->base);
    free(s->amount);
    free(s->percent);
    free(s->plus_one);
    memset(s, 0, sizeof *s);
}

/* Write a statistic of minor units with DECIMALS, rounded half away from
 * zero in the last place. */
static void write_mean(FILE *f, double value, unsigned decimals)
{
    fprintf(f, ",%.*f", (int)decimals, value / pow(10.0, decimals));
}

static void write_stats(FILE *f, const struct simulate_stats *st,
                        unsigned decimals)
{
    char text[MONEY_FORMAT_MAX];

    write_mean(f, st->mean, decimals);
    write_mean(f, st->sd, decimals);
    fprintf(f, ",%s", money_format(text, st->p5, decimals, 0));
    fprintf(f, ",%s", money_format(text, st->p50, decimals, 0));
    fprintf(f, ",%s", money_format(text, st->p95, decimals, 0));
}

static void write_simulation(FILE *f, const void *data)
{
    const struct simulation *s = data;
    const struct jfa_result *r = &s->base;
    char text[MONEY_FORMAT_MAX];

    fputs("organisation,headcount,amount,amount_mean,amount_sd,amount_p5,"
          "amount_p50,amount_p95,share_mean,share_sd,share_p5,share_p50,"
          "share_p95\n",
          f);
    for (size_t k = 0; k < r->n; k++) {
        report_csv_text(f, r->headcount.organisations[r->organisations[k]]);
        fprintf(f, ",%lld,%s", (long long)r->weights[k],
                money_format(text, r->allocation.amount[k], r->model->decimals,
                             0));
        write_stats(f, &s->amount[k], r->model->decimals);
        write_stats(f, &s->percent[k], ALLOCATE_PERCENT_DECIMALS);
        fputc('\n', f);
    }
}

static void write_sensitivity(FILE *f, const void *data)
{
    const struct simulation *s = data;
    const struct jfa_result *r = &s->base;
    char a[MONEY_FORMAT_MAX], b[MONEY_FORMAT_MAX], c[MONEY_FORMAT_MAX];
    unsigned decimals = r->model->decimals;

    fputs("organisation,headcount,amount,amount_plus_one,change\n", f);
    for (size_t k = 0; k < r->n; k++) {
        report_csv_text(f, r->headcount.organisations[r->organisations[k]]);
        fprintf(f, ",%lld,%s,%s,%s\n", (long long)r->weights[k],
                money_format(a, r->allocation.amount[k], decimals, 0),
                money_format(b, s->plus_one[k], decimals, 0),
                money_format(c, s->plus_one[k] - r->allocation.amount[k],
                             decimals, 0));
    }
}

int simulate_write_reports(const char *dir, const struct simulation *s,
                           struct diag *d)
{
    if (report_write_file(dir, "simulation.csv", write_simulation, s, d) != 0)
        return -2;
    if (report_write_file(dir, "sensitivity.csv", write_sensitivity, s, d) !=
        0)
        return -2;
    return 0;
}

void simulate_print_summary(FILE *out, const struct simulation *s)
{
    const struct jfa_result *r = &s->base;
    const struct model *m = r->model;
    char error[MONEY_FORMAT_MAX], a[MONEY_FORMAT_MAX], b[MONEY_FORMAT_MAX];
    char c[MONEY_FORMAT_MAX], e[MONEY_FORMAT_MAX];

    fprintf(out, "costshare %s: model %s (jfa), period %s, %s\n",
            COSTSHARE_VERSION, m->name, m->period, m->currency);
    fprintf(out,
            "simulation: %zu draws, seed %lu; each headcount row times "
            "(1 + e), e normal with\n            mean 0 and standard "
            "deviation %s %%, rounded to whole persons\n",
            s->options.draws, s->options.seed,
            report_percent_text(error, s->options.error));
    fprintf(out, "\n%-12s %16s %16s %16s %14s\n", "organisation", "amount",
            "5th percentile", "95th percentile", "one more person");
    for (size_t k = 0; k < r->n; k++)
        fprintf(out, "%-12s %16s %16s %16s %14s\n",
                r->headcount.organisations[r->organisations[k]],
                money_format(a, r->allocation.amount[k], m->decimals, 1),
                money_format(b, s->amount[k].p5, m->decimals, 1),
                money_format(c, s->amount[k].p95, m->decimals, 1),
                money_format(e, s->plus_one[k] - r->allocation.amount[k],
                             m->decimals, 1));
}
