/*
 * compare_report: compare.csv, parameters.csv and the comparison summary,
 * each with its footing checks.
 */
#include <stdlib.h>
#include <string.h>

#include "compare.h"
#include "report.h"
#include "util.h"

/* Sums of one scenario's columns, for the checks. */
struct column_sums {
    int64_t change, budget_effect, share_effect;
};

static struct column_sums sum_columns(const struct comparison *c, size_t r)
{
    struct column_sums s = {0, 0, 0};

    for (size_t i = 0; i < c->n; i++) {
        s.change += c->change[r * c->n + i];
        s.budget_effect += c->budget_effect[r * c->n + i];
        s.share_effect += c->share_effect[r * c->n + i];
    }
    return s;
}

static int foots(const struct comparison *c, size_t r)
{
    struct column_sums s = sum_columns(c, r);
    int64_t delta = c->runs[r].pool - c->runs[0].pool;

    return s.change == delta && s.budget_effect == delta &&
           s.share_effect == 0;
}

int compare_check(const struct comparison *c, struct diag *d)
{
    int ok = 1;

    for (size_t r = 1; r < c->nruns; r++) {
        if (foots(c, r))
            continue;
        diag_error(d, NULL, 0, 0,
                   "footing check failed: the changes of %s do not sum to "
                   "its pool change",
                   c->runs[r].name);
        ok = 0;
    }
    return ok ? 0 : -1;
}

/* Write the change in per cent of the baseline, 2 decimals; empty when
 * the baseline is 0. */
static void write_change_percent(FILE *f, int64_t change, int64_t baseline)
{
    char text[MONEY_FORMAT_MAX];
    int64_t hundredths;

    if (baseline == 0 ||
        money_scale(change, 10000, baseline < 0 ? -baseline : baseline,
                    &hundredths) != 0)
        return;
    fputs(money_format(text, hundredths, 2, 0), f);
}

static void write_header(FILE *f, const struct comparison *c)
{
    static const char *const columns[] = {"change", "change_pct",
                                          "budget_effect", "share_effect"};

    fputs("organisation,", f);
    report_csv_text(f, c->runs[0].name);
    for (size_t r = 1; r < c->nruns; r++) {
        fputc(',', f);
        report_csv_text(f, c->runs[r].name);
        for (size_t k = 0; k < 4; k++) {
            fputc(',', f);
            if (c->nruns > 2) {
                report_csv_text(f, c->runs[r].name);
                fputc('_', f);
            }
            fputs(columns[k], f);
        }
    }
    fputc('\n', f);
}

static void write_compare(FILE *f, const void *data)
{
    const struct comparison *c = data;
    unsigned decimals = c->baseline->decimals;
    char text[MONEY_FORMAT_MAX];
    size_t n = c->n;

    write_header(f, c);
    for (size_t i = 0; i < n; i++) {
        report_csv_text(f, c->codes[i]);
        fprintf(f, ",%s", money_format(text, c->amount[i], decimals, 0));
        for (size_t r = 1; r < c->nruns; r++) {
            fprintf(f, ",%s",
                    money_format(text, c->amount[r * n + i], decimals, 0));
            fprintf(f, ",%s,",
                    money_format(text, c->change[r * n + i], decimals, 0));
            write_change_percent(f, c->change[r * n + i], c->amount[i]);
            fprintf(
                f, ",%s",
                money_format(text, c->budget_effect[r * n + i], decimals, 0));
            fprintf(
                f, ",%s",
                money_format(text, c->share_effect[r * n + i], decimals, 0));
        }
        fputc('\n', f);
    }
}

static void write_parameters(FILE *f, const void *data)
{
    const struct comparison *c = data;

    fputs("parameter,baseline", f);
    for (size_t r = 1; r < c->nruns; r++) {
        fputc(',', f);
        report_csv_text(f, c->runs[r].name);
    }
    fputc('\n', f);
    for (size_t k = 0; k < c->nparameters; k++) {
        report_csv_text(f, c->parameters[k].name);
        for (size_t r = 0; r < c->nruns; r++) {
            const char *v = c->parameters[k].values[r];
            const char *digits = v + (*v == '-');

            fputc(',', f);
            /* An amount is written as a number, a negative one too. */
            if (*digits >= '0' && *digits <= '9' &&
                strspn(digits, "0123456789.") == strlen(digits))
                fputs(v, f);
            else
                report_csv_text(f, v);
        }
        fputc('\n', f);
    }
}

int compare_write_table(const char *dir, const char *name,
                        const struct comparison *c, struct diag *d)
{
    return report_write_file(dir, name, write_compare, c, d) == 0 ? 0 : -2;
}

int compare_write_reports(const char *dir, const struct comparison *c,
                          struct diag *d)
{
    if (report_write_file(dir, "compare.csv", write_compare, c, d) != 0)
        return -2;
    if (report_write_file(dir, "parameters.csv", write_parameters, c, d) != 0)
        return -2;
    return 0;
}

void compare_print_table(FILE *out, const struct comparison *c, size_t r)
{
    unsigned decimals = c->baseline->decimals;
    char a[MONEY_FORMAT_MAX], b[MONEY_FORMAT_MAX], e[MONEY_FORMAT_MAX];
    char g[MONEY_FORMAT_MAX], h[MONEY_FORMAT_MAX];
    struct column_sums s = sum_columns(c, r);
    int64_t delta = c->runs[r].pool - c->runs[0].pool;
    size_t n = c->n;

    fprintf(out, "%-12s %16s %16s %14s %14s %14s\n", "organisation",
            c->runs[0].name, c->runs[r].name, "change", "budget effect",
            "share effect");
    for (size_t i = 0; i < n; i++)
        fprintf(out, "%-12s %16s %16s %14s %14s %14s\n", c->codes[i],
                money_format(a, c->amount[i], decimals, 1),
                money_format(b, c->amount[r * n + i], decimals, 1),
                money_format(e, c->change[r * n + i], decimals, 1),
                money_format(g, c->budget_effect[r * n + i], decimals, 1),
                money_format(h, c->share_effect[r * n + i], decimals, 1));
    fprintf(out, "%-12s %16s %16s %14s %14s %14s\n", "total",
            money_format(a, c->runs[0].pool, decimals, 1),
            money_format(b, c->runs[r].pool, decimals, 1),
            money_format(e, s.change, decimals, 1),
            money_format(g, s.budget_effect, decimals, 1),
            money_format(h, s.share_effect, decimals, 1));
    fprintf(out,
            "check: changes and budget effects sum to the pool change %s, "
            "share effects to 0: %s\n",
            money_format(a, delta, decimals, 1),
            foots(c, r) ? "ok" : "FAILED");
}

void compare_print_summary(FILE *out, const struct comparison *c)
{
    const struct model *m = c->baseline;

    fprintf(out,
            "costshare %s: model %s compared with %zu scenario%s, "
            "period %s, %s\n",
            COSTSHARE_VERSION, m->name, c->nruns - 1, c->nruns == 2 ? "" : "s",
            m->period, m->currency);
    fprintf(out, "budget effect: the pool change apportioned by baseline "
                 "amounts; share effect: the rest\n");
    for (size_t k = 0; k < c->nparameters; k++) {
        fprintf(out, "%s %s:", k == 0 ? "differs:" : "        ",
                c->parameters[k].name);
        for (size_t r = 0; r < c->nruns; r++)
            fprintf(out, " %s%s", r ? "-> " : "",
                    *c->parameters[k].values[r] ? c->parameters[k].values[r]
                                                : "(none)");
        fputc('\n', out);
    }
    for (size_t r = 1; r < c->nruns; r++) {
        fprintf(out, "\nscenario %s\n", c->runs[r].name);
        compare_print_table(out, c, r);
    }
}
