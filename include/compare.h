/*
 * compare: a model against one or more scenarios, organisation by
 * organisation, with each change split into a budget effect and a share
 * effect.
 */
#ifndef COSTSHARE_COMPARE_H
#define COSTSHARE_COMPARE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "diag.h"
#include "model.h"

/* What one run charged: organisation codes in byte order and amounts. */
struct outcome {
    char *name; /* model or scenario name */
    char **codes;
    int64_t *amounts; /* minor units */
    size_t n;
    int64_t pool; /* minor units */
};

/* One parameter or input that differs between the runs. */
struct compare_parameter {
    char *name;
    char **values; /* one per run, the baseline first; "" when not set */
};

struct comparison {
    struct model *baseline; /* the model without scenarios */
    int has_baseline;       /* BASELINE was loaded and is owned here */
    int borrowed;           /* BASELINE belongs to the caller */
    struct outcome *runs;   /* the baseline, then each scenario */
    size_t nruns;
    char **codes; /* every organisation of any run, byte order */
    size_t n;
    int64_t *amount; /* [run * n + organisation]; 0 when not charged */
    /* Per scenario (run 1 on), per organisation. */
    int64_t *change;        /* amount minus baseline */
    int64_t *budget_effect; /* pool change apportioned by baseline */
    int64_t *share_effect;  /* change minus budget effect */
    struct compare_parameter *parameters;
    size_t nparameters;
};

/*
 * Run the model at PATH and, for each of the NSCENARIOS files, the model
 * with that scenario laid on it; compare each with the model.  Returns 0
 * with C filled, -1 on invalid input (errors in D) or -2 on a system
 * error.
 */
int compare_run(struct comparison *c, const char *path, char *const *scenarios,
                size_t nscenarios, struct diag *d);

/*
 * Compare NRUNS outcomes, the first being the baseline, of model M (for
 * its currency): take over RUNS (their contents are moved into C and
 * RUNS emptied) and split every change into budget and share effects.
 * Returns 0 or -1 (errors in D).
 */
int compare_outcomes(struct comparison *c, struct outcome *runs, size_t nruns,
                     const struct model *m, struct diag *d);

void comparison_release(struct comparison *c);

/* Check that every scenario's changes and budget effects sum to its pool
 * change and its share effects to 0.  Returns 0, or -1 (errors in D). */
int compare_check(const struct comparison *c, struct diag *d);

/* Write DIR/compare.csv and DIR/parameters.csv.  Returns 0 or -2. */
int compare_write_reports(const char *dir, const struct comparison *c,
                          struct diag *d);

/* Write the comparison table alone to DIR/NAME.  Returns 0 or -2. */
int compare_write_table(const char *dir, const char *name,
                        const struct comparison *c, struct diag *d);

/* Print the table of run R against the first run, with its check. */
void compare_print_table(FILE *out, const struct comparison *c, size_t r);

/* Write the text summary with the footing checks. */
void compare_print_summary(FILE *out, const struct comparison *c);

#endif
