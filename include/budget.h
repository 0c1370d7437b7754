/*
 * budget: the pool to share, from one amount in the model or a budget
 * file of lines.
 */
#ifndef COSTSHARE_BUDGET_H
#define COSTSHARE_BUDGET_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "model.h"

struct budget_line {
    char *code;
    char *description;
    char *object;   /* object of expenditure; "" when not given */
    char *country;  /* "" when the file has no country column */
    char *excluded; /* organisation codes split by , or ;, as written */
    char *included; /* likewise; "" when every organisation takes part */
    int64_t amount; /* minor units */
    long line;
    long excluded_line; /* where the lists are, for messages */
    long included_line;
};

struct budget {
    struct budget_line *lines; /* in file order */
    size_t nlines;
    int64_t total;       /* minor units: the pool */
    int64_t base_amount; /* the amount set in the model, scaled by any
                            scenario; 0 with a budget file */
    int from_file;
    long skipped;       /* lines above the header row */
    int has_footer;     /* a control-total footer was checked */
    char sha256[65];    /* of the budget file; "" when none */
    long country_field; /* field numbers, 0 when absent */
    long excluded_field;
    long included_field;
};

/*
 * Read the budget the model names and sum it into the pool, checking the
 * control total when the model gives one.  Returns 0, -1 on invalid input
 * (errors in D) or -2 on a system error.
 */
int budget_load(struct budget *b, const struct model *m, struct diag *d);

/*
 * Apply the budget changes of the model's scenarios, in order: add,
 * remove or scale lines ("*" scales every line, or the amount set in the
 * model), and sum the pool again.  A change that names a line that does
 * not exist, or adds one that does, is an error.  Returns 0 or -1.
 */
int budget_apply_changes(struct budget *b, const struct model *m,
                         struct diag *d);

void budget_release(struct budget *b);

/* One budget line as a lookup key. */
struct budget_key {
    const char *code;    /* borrowed from the line */
    const char *country; /* likewise */
    size_t line;         /* index into budget.lines */
};

/* The lines of a budget sorted for lookups by code and country: a
 * lookup takes O(log n) comparisons, plus one per line of the code when
 * any country matches, in place of a scan of every line. */
struct budget_index {
    struct budget_key *keys; /* by code, country, then index */
    size_t n;
};

/* Index the lines of B.  The index borrows their strings, so it must be
 * released before B and rebuilt after B changes. */
void budget_index_init(struct budget_index *ix, const struct budget *b);

/*
 * Return the index of the first line in budget order whose code is CODE
 * and whose country is COUNTRY, or whose country is any when ANY_COUNTRY
 * is nonzero.  Returns -1 when there is none.
 */
long budget_index_find(const struct budget_index *ix, const char *code,
                       const char *country, int any_country);

void budget_index_release(struct budget_index *ix);

#endif
