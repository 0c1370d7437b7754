/*
 * roster_report: the headcount a roster gives, as a table and as a
 * summary of who each eligibility rule left out, per organisation.
 */
#ifndef COSTSHARE_ROSTER_REPORT_H
#define COSTSHARE_ROSTER_REPORT_H

#include <stdio.h>

#include "diag.h"
#include "headcount.h"
#include "model.h"

/* The headcount of a roster, organisation by organisation: the roster's
 * counts with the persons at headquarters taken out on the field basis. */
struct roster_summary {
    const struct headcount *headcount;
    const struct model *model;
    int64_t *headquarters; /* per roster organisation */
    int64_t total_headquarters;
    int64_t table_total; /* persons in the table's rows */
    size_t table_rows;
};

/* Build S for headcount H read from a roster under model M. */
void roster_summary_init(struct roster_summary *s, const struct headcount *h,
                         const struct model *m);

void roster_summary_release(struct roster_summary *s);

/*
 * Check that every organisation's records are counted or left out by
 * exactly one rule, and that the table's rows sum to the persons
 * counted.  Returns 0, or -1 with an error in D.
 */
int roster_summary_check(const struct roster_summary *s, struct diag *d);

/* Write the table: organisation, country, duty station and headcount of
 * every row counted on the basis, in the cells' order. */
void roster_write_table(FILE *f, const void *summary);

/* Print the summary, its checks and their results. */
void roster_print_summary(FILE *out, const struct roster_summary *s);

/* Print one line on what the roster gave, for a run's summary. */
void roster_print_line(FILE *out, const struct headcount *h);

#endif
