/*
 * simulate: Monte Carlo draws over uncertain headcounts, and the
 * sensitivity of each organisation's amount to one more person.
 */
#ifndef COSTSHARE_SIMULATE_H
#define COSTSHARE_SIMULATE_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "diag.h"
#include "jfa.h"

struct simulate_options {
    size_t draws;
    unsigned long seed;
    int64_t error; /* headcount error, SHARE_SCALE units (1 % = 10^6) */
    int progress;  /* print a progress bar on standard error */
};

/* Statistics of one quantity over the draws. */
struct simulate_stats {
    double mean, sd;      /* statistics, not amounts to pay */
    int64_t p5, p50, p95; /* values of actual draws */
};

struct simulation {
    struct jfa_result base; /* the run without noise */
    struct simulate_options options;
    struct simulate_stats *amount;  /* per organisation, minor units */
    struct simulate_stats *percent; /* per organisation, 10^-4 per cent */
    int64_t *plus_one; /* amount with one more person on its headcount */
};

/*
 * Run JFA model M once as given, then OPTIONS->draws times with every
 * headcount row on the basis drawn from a normal distribution around its
 * count.  Returns 0 with S filled, -1 on invalid input or -2.
 */
int simulate_run(struct simulation *s, const struct model *m,
                 const struct simulate_options *options, struct diag *d);

void simulation_release(struct simulation *s);

/* Write DIR/simulation.csv and DIR/sensitivity.csv; 0 or -2. */
int simulate_write_reports(const char *dir, const struct simulation *s,
                           struct diag *d);

void simulate_print_summary(FILE *out, const struct simulation *s);

#endif
