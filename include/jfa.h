/*
 * jfa: a JFA model run end to end: headcount and budget in, one
 * system-wide pool shared among the organisations on the model's basis.
 */
#ifndef COSTSHARE_JFA_H
#define COSTSHARE_JFA_H

#include <stddef.h>
#include <stdint.h>

#include "allocate.h"
#include "budget.h"
#include "diag.h"
#include "headcount.h"
#include "model.h"

struct jfa_result {
    const struct model *model; /* borrowed */
    struct headcount headcount;
    struct budget budget;

    /* The organisations charged, in byte order of their codes: those
     * with a row counted on the basis, and those with a fixed share. */
    size_t *organisations; /* headcount organisation ids */
    int64_t *weights;      /* persons on the basis */
    size_t n;
    struct allocation allocation;

    /* Organisations in the table but not on the basis (no field
     * headcount), who are not charged. */
    size_t *uncharged;
    size_t nuncharged;
};

/*
 * Run model M.  Returns 0 with R filled, -1 on invalid input (errors in
 * D) or -2 on a system error.
 */
int jfa_run(struct jfa_result *r, const struct model *m, struct diag *d);

void jfa_result_release(struct jfa_result *r);

#endif
