/*
 * lcssb: locally cost-shared security budgets.  Each country's budget is
 * shared line by line among the organisations present in that country,
 * in proportion to their in-country headcount; a line may leave some
 * organisations out.  Every total is a sum of line cells, so every row
 * and column of every table foots.
 */
#ifndef COSTSHARE_LCSSB_H
#define COSTSHARE_LCSSB_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "allocate.h"
#include "budget.h"
#include "diag.h"
#include "headcount.h"
#include "model.h"

/* One organisation's part of one budget line. */
struct lcssb_cell {
    size_t line;         /* index into budget.lines */
    size_t organisation; /* headcount id */
    int64_t headcount;   /* persons in the line's country, on the basis */
    int64_t percent;     /* 10^-4 per cent; each line totals 1,000,000 */
    int64_t amount;      /* minor units */
    enum allocate_rule rule;
};

struct lcssb_result {
    const struct model *model; /* borrowed */
    struct headcount headcount;
    struct budget budget;
    char agencies_sha256[65];

    size_t *order;   /* budget line indices by country, then line code */
    size_t *country; /* per budget line: headcount country id */
    char **agency;   /* per country id: administering agency, or NULL */

    struct lcssb_cell *cells; /* by country, line code, organisation */
    size_t ncells;

    /* Per country and organisation, at [country * norganisations +
     * organisation]. */
    int64_t *country_headcount; /* persons on the basis */
    unsigned char *takes_part;  /* 1 when the organisation has a cell in
                                   one of the country's lines, else 0 */

    /* Sums of the cells, in minor units. */
    int64_t *country_amount; /* [country * norganisations + organisation] */
    int64_t *organisation_amount;   /* per organisation id */
    size_t *organisation_countries; /* countries it shares a line in */
    int64_t total;
};

/*
 * Run lcssb model M.  Returns 0 with R filled, -1 on invalid input
 * (errors in D) or -2 on a system error.
 */
int lcssb_run(struct lcssb_result *r, const struct model *m, struct diag *d);

void lcssb_result_release(struct lcssb_result *r);

/*
 * Share AMOUNT as budget line L of R is shared (its participants and the
 * model's rules), adding each organisation's part to OUT (indexed by
 * organisation id).  Returns 0 or -1 (errors in D).
 */
int lcssb_share_like_line(const struct lcssb_result *r, size_t l,
                          int64_t amount, int64_t *out, struct diag *d);

/* Share AMOUNT among the organisations with staff in COUNTRY, adding to
 * OUT.  Returns 0, or -1 when the country has none. */
int lcssb_share_in_country(const struct lcssb_result *r, const char *country,
                           int64_t amount, int64_t *out, struct diag *d);

/*
 * Check that every line's cells sum to the line and its percentages to
 * 100, every country's organisations to its lines, and the organisations
 * to the budget.  Returns 0, or -1 with the failures in D.
 */
int lcssb_check(const struct lcssb_result *r, struct diag *d);

/*
 * Write lcssb_lines.csv, lcssb_countries.csv, lcssb_organisations.csv and
 * lcssb_agencies.csv into DIR.  Returns 0, or -2 with a system error in D.
 */
int lcssb_write_reports(const char *dir, const struct lcssb_result *r,
                        struct diag *d);

/* Write the text summary of R to OUT, with the footing checks. */
void lcssb_print_summary(FILE *out, const struct lcssb_result *r);

#endif
