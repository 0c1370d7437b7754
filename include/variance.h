/*
 * variance: budget against actual expenditure at every level, the
 * projection to the end of the period, vacancy rates from posts, and the
 * true-up of each organisation's share.
 *
 * Variance is budget minus actual: positive means under-spent.
 */
#ifndef COSTSHARE_VARIANCE_H
#define COSTSHARE_VARIANCE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "budget.h"
#include "diag.h"
#include "jfa.h"
#include "lcssb.h"
#include "model.h"

/* One row of actual expenditure. */
struct actual_row {
    char *line;          /* budget line code, "" when the file has none */
    char *object;        /* object of expenditure, "" when not given */
    char *country;       /* "" when not given */
    int month;           /* 1 to 12 * years of the period; 0 when not given */
    int64_t amount;      /* minor units */
    int64_t commitments; /* minor units; 0 when not given */
    long line_number;
};

enum variance_level {
    VARIANCE_LINE,
    VARIANCE_OBJECT,
    VARIANCE_COUNTRY,
    VARIANCE_TOTAL
};

/* Status of a row; see variance_status_name(). */
enum variance_status {
    VARIANCE_OK,
    VARIANCE_OVER,           /* actual above a budget above 0 */
    VARIANCE_OVER_NO_BUDGET, /* actual above a budget of 0 */
    VARIANCE_NOT_IN_BUDGET,  /* actual on a line the budget lacks */
    VARIANCE_UNDER_SPENT     /* used less than the model's threshold */
};

struct variance_row {
    enum variance_level level;
    char *key;
    int64_t budget, actual; /* minor units */
    int64_t commitments;    /* minor units */
    enum variance_status status;
};

/* The year-end projection from the months so far. */
struct projection {
    int months;        /* months with data, from the period's start */
    int period_months; /* 12 per year of the period */
    int64_t run_rate;  /* actual so far / months * period months */
    int has_least_squares;
    int64_t least_squares;   /* the fitted cumulative line at the end */
    double slope, intercept; /* of the fit (gsl_fit_linear), minor units */
};

struct vacancy_row {
    char *category;
    int64_t authorised, encumbered; /* posts */
};

struct expenditure {
    const struct model *model; /* borrowed */
    struct actual_row *actuals;
    size_t nactuals;
    int64_t actual_total; /* minor units */
    char actuals_sha256[65];
    char posts_sha256[65]; /* "" when there is no posts file */

    struct variance_row *rows; /* lines, objects, countries, total */
    size_t nrows;
    int budget_lines;    /* the budget has lines, not one amount */
    int has_commitments; /* the actuals have a commitments column */
    int overflow;        /* a sum, difference or projection left int64_t */

    int has_projection;
    struct projection projection;

    struct vacancy_row *posts; /* by category, in file order */
    size_t nposts;
    int64_t posts_budget; /* budget lines of the posts object */
    int64_t posts_actual;

    /* True-up per organisation: for a JFA pool in the order of the
     * result, for LCSSB by organisation code. */
    int has_trueup;
    char **trueup_codes;
    int64_t *billed, *final; /* minor units */
    size_t ntrueup;
};

/*
 * Read the model's actuals (and posts) and compare them with budget B.
 * With a JFA result R (or NULL), also true up each organisation: its
 * billed amount against the model's rules applied to the actual total.
 * Returns 0 with X filled, -1 on invalid input or -2 on a system error.
 */
int expenditure_run(struct expenditure *x, const struct model *m,
                    const struct budget *b, const struct jfa_result *r,
                    struct diag *d);

struct jobs;

/*
 * True up LCSSB result R: each actual on a budget line is shared as that
 * line is, and one on a line the budget lacks among every organisation
 * with staff in its country.  HELPER, when not NULL, shares half of the
 * lines beside the calling thread.  Returns 0, or -1 (errors in D).
 */
int expenditure_trueup_lcssb(struct expenditure *x,
                             const struct lcssb_result *r, struct jobs *helper,
                             struct diag *d);

void expenditure_release(struct expenditure *x);

/* Return whether model M names actual expenditure. */
int expenditure_wanted(const struct model *m);

const char *variance_status_name(enum variance_status status);
const char *variance_level_name(enum variance_level level);

/* Check that the line, object and country rows each sum to the total and
 * the true-up differences to budget minus actual.  0 or -1. */
int expenditure_check(const struct expenditure *x, struct diag *d);

/*
 * Write variance.csv, and projection.csv, vacancy.csv and trueup.csv when
 * there is something to put in them, and the executive summary
 * summary.md, into DIR.  Returns 0 or -2.
 */
int expenditure_write_reports(const char *dir, const struct expenditure *x,
                              const struct jfa_result *r, struct diag *d);

/* Write the executive summary as text to OUT. */
void expenditure_print_summary(FILE *out, const struct expenditure *x);

#endif
