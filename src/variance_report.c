/*
 * variance_report: variance.csv, projection.csv, vacancy.csv, trueup.csv
 * and the executive summary, each with its footing checks.
 */
#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "util.h"
#include "variance.h"

static int64_t sum_level(const struct expenditure *x,
                         enum variance_level level, int actual)
{
    int64_t total = 0;

    for (size_t i = 0; i < x->nrows; i++)
        if (x->rows[i].level == level)
            total += actual ? x->rows[i].actual : x->rows[i].budget;
    return total;
}

static int has_level(const struct expenditure *x, enum variance_level level)
{
    for (size_t i = 0; i < x->nrows; i++)
        if (x->rows[i].level == level)
            return 1;
    return 0;
}

static const struct variance_row *total_row(const struct expenditure *x)
{
    return &x->rows[x->nrows - 1]; /* sorted: the total comes last */
}

/* Whether the line rows hold every actual: actuals given by line. */
static int lines_hold_actuals(const struct expenditure *x)
{
    for (size_t i = 0; i < x->nactuals; i++)
        if (*x->actuals[i].line == '\0')
            return 0;
    return x->model->actuals.present;
}

static int trueup_foots(const struct expenditure *x)
{
    int64_t billed = 0, final = 0;

    for (size_t k = 0; k < x->ntrueup; k++) {
        billed += x->billed[k];
        final += x->final[k];
    }
    return billed == total_row(x)->budget && final == x->actual_total;
}

/* Return whether every variance and available amount fits int64_t. */
static int differences_fit(const struct expenditure *x)
{
    for (size_t i = 0; i < x->nrows; i++) {
        int64_t variance, available;

        if (money_sub(x->rows[i].budget, x->rows[i].actual, &variance) != 0 ||
            money_sub(variance, x->rows[i].commitments, &available) != 0)
            return 0;
    }
    return 1;
}

int expenditure_check(const struct expenditure *x, struct diag *d)
{
    const struct variance_row *t = total_row(x);
    int ok = 1;

    if (x->overflow || !differences_fit(x)) {
        diag_error(d, x->model->display, 0, 0,
                   "the budget or expenditure totals go beyond the largest "
                   "amount costshare can hold; check the amounts for a "
                   "typing error");
        return -1;
    }

    if (x->budget_lines && sum_level(x, VARIANCE_LINE, 0) != t->budget)
        ok = 0;
    if (lines_hold_actuals(x) && sum_level(x, VARIANCE_LINE, 1) != t->actual)
        ok = 0;
    if (has_level(x, VARIANCE_COUNTRY) &&
        (sum_level(x, VARIANCE_COUNTRY, 0) != t->budget ||
         (lines_hold_actuals(x) &&
          sum_level(x, VARIANCE_COUNTRY, 1) != t->actual)))
        ok = 0;
    if (x->has_trueup && !trueup_foots(x))
        ok = 0;
    if (!ok)
        diag_error(d, NULL, 0, 0,
                   "footing check failed: the variance rows or the true-up "
                   "do not sum to their totals");
    return ok ? 0 : -1;
}

/* Write NUMERATOR / DENOMINATOR in per cent with 2 decimals; nothing
 * when the denominator is 0, so a spreadsheet reads an empty cell. */
static void write_percent(FILE *f, int64_t numerator, int64_t denominator)
{
    char text[MONEY_FORMAT_MAX];
    int64_t hundredths;

    if (denominator < 0) {
        numerator = -numerator;
        denominator = -denominator;
    }
    if (denominator == 0 ||
        money_scale(numerator, 10000, denominator, &hundredths) != 0)
        return;
    fputs(money_format(text, hundredths, 2, 0), f);
}

static void write_variance(FILE *f, const void *data)
{
    const struct expenditure *x = data;
    unsigned decimals = x->model->decimals;
    char a[MONEY_FORMAT_MAX], b[MONEY_FORMAT_MAX], c[MONEY_FORMAT_MAX];

    fputs("level,key,budget,actual,variance_budget_minus_actual,"
          "variance_pct,pct_used,status",
          f);
    fputs(x->has_commitments ? ",commitments,available\n" : "\n", f);
    for (size_t i = 0; i < x->nrows; i++) {
        const struct variance_row *r = &x->rows[i];

        fprintf(f, "%s,", variance_level_name(r->level));
        report_csv_text(f, r->key);
        fprintf(f, ",%s,%s,%s,", money_format(a, r->budget, decimals, 0),
                money_format(b, r->actual, decimals, 0),
                money_format(c, r->budget - r->actual, decimals, 0));
        write_percent(f, r->budget - r->actual, r->budget);
        fputc(',', f);
        write_percent(f, r->actual, r->budget);
        fprintf(f, ",%s", variance_status_name(r->status));
        if (x->has_commitments)
            fprintf(f, ",%s,%s", money_format(a, r->commitments, decimals, 0),
                    money_format(b, r->budget - r->actual - r->commitments,
                                 decimals, 0));
        fputc('\n', f);
    }
}

static void write_projection(FILE *f, const void *data)
{
    const struct expenditure *x = data;
    const struct projection *p = &x->projection;
    unsigned decimals = x->model->decimals;
    int64_t budget = total_row(x)->budget;
    char a[MONEY_FORMAT_MAX], b[MONEY_FORMAT_MAX];

    fputs("method,projected_actual,projected_variance\n", f);
    fprintf(f, "run_rate,%s,%s\n", money_format(a, p->run_rate, decimals, 0),
            money_format(b, budget - p->run_rate, decimals, 0));
    if (p->has_least_squares)
        fprintf(f, "least_squares,%s,%s\n",
                money_format(a, p->least_squares, decimals, 0),
                money_format(b, budget - p->least_squares, decimals, 0));
}

/* Vacancy rate of AUTHORISED and ENCUMBERED posts in tenths of a per
 * cent, rounded half away from zero. */
static int64_t vacancy_tenths(int64_t authorised, int64_t encumbered)
{
    int64_t tenths = 0;

    if (authorised > 0)
        money_scale(authorised - encumbered, 1000, authorised, &tenths);
    return tenths;
}

static void posts_total(const struct expenditure *x, int64_t *authorised,
                        int64_t *encumbered)
{
    *authorised = 0;
    *encumbered = 0;
    for (size_t i = 0; i < x->nposts; i++) {
        *authorised += x->posts[i].authorised;
        *encumbered += x->posts[i].encumbered;
    }
}

static void write_vacancy(FILE *f, const void *data)
{
    const struct expenditure *x = data;
    char rate[MONEY_FORMAT_MAX];
    int64_t authorised, encumbered;

    fputs("category,authorised,encumbered,vacant,vacancy_rate_pct\n", f);
    for (size_t i = 0; i < x->nposts; i++) {
        const struct vacancy_row *p = &x->posts[i];

        report_csv_text(f, p->category);
        fprintf(f, ",%lld,%lld,%lld,%s\n", (long long)p->authorised,
                (long long)p->encumbered,
                (long long)(p->authorised - p->encumbered),
                money_format(
                    rate, vacancy_tenths(p->authorised, p->encumbered), 1, 0));
    }
    posts_total(x, &authorised, &encumbered);
    fprintf(f, "all,%lld,%lld,%lld,%s\n", (long long)authorised,
            (long long)encumbered, (long long)(authorised - encumbered),
            money_format(rate, vacancy_tenths(authorised, encumbered), 1, 0));
}

/* The true-up needs the organisation codes of the JFA result. */
struct trueup_data {
    const struct expenditure *x;
    const struct jfa_result *r;
};

static void write_trueup(FILE *f, const void *data)
{
    const struct trueup_data *t = data;
    unsigned decimals = t->x->model->decimals;
    char a[MONEY_FORMAT_MAX], b[MONEY_FORMAT_MAX], c[MONEY_FORMAT_MAX];

    fputs("organisation,billed,final,difference\n", f);
    for (size_t k = 0; k < t->x->ntrueup; k++) {
        report_csv_text(f, t->x->trueup_codes[k]);
        fprintf(
            f, ",%s,%s,%s\n", money_format(a, t->x->billed[k], decimals, 0),
            money_format(b, t->x->final[k], decimals, 0),
            money_format(c, t->x->billed[k] - t->x->final[k], decimals, 0));
    }
}

/* Indices of the five line rows with the largest variance, by size. */
static size_t largest_variances(const struct expenditure *x, size_t top[5])
{
    size_t n = 0;

    for (size_t i = 0; i < x->nrows; i++) {
        const struct variance_row *r = &x->rows[i];
        int64_t v = r->budget - r->actual;
        size_t at;

        if (r->level != VARIANCE_LINE || v == 0)
            continue;
        v = v < 0 ? -v : v;
        for (at = n; at > 0; at--) {
            const struct variance_row *o = &x->rows[top[at - 1]];
            int64_t w = o->budget - o->actual;

            if ((w < 0 ? -w : w) >= v)
                break;
            if (at < 5)
                top[at] = top[at - 1];
        }
        if (at < 5)
            top[at] = i;
        if (n < 5)
            n++;
    }
    return n;
}

/* Write the executive summary; MARKDOWN selects the Markdown form. */
static void write_summary(FILE *f, const struct expenditure *x, int markdown)
{
    const struct variance_row *t = total_row(x);
    const struct projection *p = &x->projection;
    unsigned decimals = x->model->decimals;
    char a[MONEY_FORMAT_MAX], b[MONEY_FORMAT_MAX], c[MONEY_FORMAT_MAX];
    const char *item = markdown ? "- " : "  ";
    size_t top[5], n = largest_variances(x, top);

    fprintf(f, "%sExpenditure summary: %s, period %s, %s\n\n",
            markdown ? "# " : "", x->model->name, x->model->period,
            x->model->currency);
    fprintf(f,
            "%sbudget %s, actual %s, variance %s (budget minus actual; "
            "positive is under-spent), ",
            item, money_format(a, t->budget, decimals, 1),
            money_format(b, t->actual, decimals, 1),
            money_format(c, t->budget - t->actual, decimals, 1));
    if (t->budget != 0) {
        fputs("used ", f);
        write_percent(f, t->actual, t->budget);
        fputs(" %\n", f);
    } else {
        fputs("no budget\n", f);
    }
    if (n > 0)
        fprintf(f, "\n%sLargest variances%s\n\n", markdown ? "## " : "",
                markdown ? "" : ":");
    for (size_t i = 0; i < n; i++) {
        const struct variance_row *r = &x->rows[top[i]];

        fprintf(f, "%sline %s: budget %s, actual %s, variance %s%s%s\n", item,
                r->key, money_format(a, r->budget, decimals, 1),
                money_format(b, r->actual, decimals, 1),
                money_format(c, r->budget - r->actual, decimals, 1),
                r->status ? ", " : "", variance_status_name(r->status));
    }
    if (x->has_projection) {
        int64_t burn = 0;

        money_scale(p->run_rate, 1, p->period_months, &burn);
        fprintf(f, "\n%sProjection to the end of the period%s\n\n",
                markdown ? "## " : "", markdown ? "" : ":");
        fprintf(f, "%s%d of %d months: monthly burn rate %s\n", item,
                p->months, p->period_months,
                money_format(a, burn, decimals, 1));
        fprintf(f, "%srun rate: %s, projected variance %s\n", item,
                money_format(a, p->run_rate, decimals, 1),
                money_format(b, t->budget - p->run_rate, decimals, 1));
        if (p->has_least_squares)
            fprintf(
                f,
                "%sleast squares on cumulative actuals: %s, projected "
                "variance %s\n",
                item, money_format(a, p->least_squares, decimals, 1),
                money_format(b, t->budget - p->least_squares, decimals, 1));
    }
    if (x->nposts > 0) {
        int64_t authorised, encumbered, explained = 0;

        posts_total(x, &authorised, &encumbered);
        if (authorised > 0)
            money_scale(x->posts_budget, authorised - encumbered, authorised,
                        &explained);
        fprintf(f, "\n%sVacancy%s\n\n", markdown ? "## " : "",
                markdown ? "" : ":");
        fprintf(f, "%s%lld of %lld posts encumbered: vacancy rate %s %%\n",
                item, (long long)encumbered, (long long)authorised,
                money_format(a, vacancy_tenths(authorised, encumbered), 1, 0));
        fprintf(f,
                "%sposts budget %s, actual %s; the vacancy rate explains "
                "%s of under-spending\n",
                item, money_format(a, x->posts_budget, decimals, 1),
                money_format(b, x->posts_actual, decimals, 1),
                money_format(c, explained, decimals, 1));
    }
}

static void write_summary_md(FILE *f, const void *data)
{
    write_summary(f, data, 1);
}

int expenditure_write_reports(const char *dir, const struct expenditure *x,
                              const struct jfa_result *r, struct diag *d)
{
    struct trueup_data t = {x, r};

    if (report_write_file(dir, "variance.csv", write_variance, x, d) != 0)
        return -2;
    if (x->has_projection &&
        report_write_file(dir, "projection.csv", write_projection, x, d) != 0)
        return -2;
    if (x->nposts > 0 &&
        report_write_file(dir, "vacancy.csv", write_vacancy, x, d) != 0)
        return -2;
    if (x->has_trueup &&
        report_write_file(dir, "trueup.csv", write_trueup, &t, d) != 0)
        return -2;
    if (report_write_file(dir, "summary.md", write_summary_md, x, d) != 0)
        return -2;
    return 0;
}

void expenditure_print_summary(FILE *out, const struct expenditure *x)
{
    const struct variance_row *t = total_row(x);
    char a[MONEY_FORMAT_MAX];

    fputc('\n', out);
    write_summary(out, x, 0);
    fputc('\n', out);
    /* The inputs of the expenditure, as the run's summary lists its own. */
    if (x->model->actuals.present)
        fprintf(out, "  actuals       %s\n                sha256 %s\n",
                x->model->actuals.display, x->actuals_sha256);
    if (x->model->posts.present)
        fprintf(out, "  posts         %s\n                sha256 %s\n",
                x->model->posts.display, x->posts_sha256);
    if (x->budget_lines)
        fprintf(out, "check: line budgets sum to the budget %s: %s\n",
                money_format(a, t->budget, x->model->decimals, 1),
                sum_level(x, VARIANCE_LINE, 0) == t->budget ? "ok" : "FAILED");
    if (lines_hold_actuals(x))
        fprintf(out, "check: line actuals sum to the actual %s: %s\n",
                money_format(a, t->actual, x->model->decimals, 1),
                sum_level(x, VARIANCE_LINE, 1) == t->actual ? "ok" : "FAILED");
    if (x->has_trueup)
        fprintf(out,
                "check: true-up differences sum to budget minus actual %s: "
                "%s\n",
                money_format(a, t->budget - t->actual, x->model->decimals, 1),
                trueup_foots(x) ? "ok" : "FAILED");
}
