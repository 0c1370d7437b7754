/*
 * headcount: persons per organisation from an aggregated headcount table
 * (organisation, country, duty station, count, as CEB publishes it) or
 * from a roster of personnel records, on the model's basis.
 *
 * Organisations and countries get small integer ids in byte order of
 * their codes, so id order is the tie order of money_apportion().
 */
#ifndef COSTSHARE_HEADCOUNT_H
#define COSTSHARE_HEADCOUNT_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "model.h"
#include "roster.h"

/* One row of the headcount table. */
struct headcount_cell {
    size_t organisation; /* id */
    size_t country;      /* id */
    char *duty_station;  /* "" when the file has no such column; one of
                            the headcount's duty_stations */
    int64_t count;       /* persons */
    int headquarters;    /* on the headquarters list */
    long line;
};

struct headcount {
    char **organisations; /* codes, sorted in byte order */
    size_t norganisations;
    char **countries; /* codes, sorted in byte order */
    size_t ncountries;
    struct headcount_cell *cells; /* sorted by organisation, country,
                                     duty station */
    size_t ncells;
    char **duty_stations; /* the distinct duty stations of the cells */
    size_t nduty_stations;

    /* Per organisation id, in persons. */
    int64_t *basis; /* counted on the model's basis */
    int64_t *all;   /* every duty station */
    int *in_basis;  /* has at least one row counted on the basis */

    int64_t basis_total;      /* persons */
    int64_t all_total;        /* persons */
    size_t headquarters_rows; /* rows on the headquarters list */
    char headcount_sha256[65];
    char headquarters_sha256[65]; /* "" when there is no list */
    size_t headquarters_entries;
    struct roster *roster; /* the roster the cells come from, or NULL */
};

/*
 * Read the model's headcount table or roster (and headquarters list for
 * the field basis).  Returns 0 with H filled, -1 on invalid input (errors in
 * D), or -2 on a system error.
 */
int headcount_load(struct headcount *h, const struct model *m, struct diag *d);

/*
 * Apply the headcount changes of the model's scenarios, in order, to the
 * rows counted on the basis, and count the basis again.  A change that
 * names an organisation or country without such rows is an error.
 * Returns 0 or -1 (errors in D).
 */
int headcount_apply_changes(struct headcount *h, const struct model *m,
                            struct diag *d);

void headcount_release(struct headcount *h);

/* Return the id of organisation CODE, or -1 when absent. */
long headcount_find_organisation(const struct headcount *h, const char *code);

#endif
