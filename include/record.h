/*
 * record: what a run puts in the store, and its change from the run of
 * the previous period of the same model.
 */
#ifndef COSTSHARE_RECORD_H
#define COSTSHARE_RECORD_H

#include "compare.h"
#include "diag.h"
#include "jfa.h"
#include "lcssb.h"
#include "store.h"
#include "variance.h"

/* Begin recording a JFA or LCSSB result in S (see store_begin_run()),
 * with the actuals and posts files of X when it is not NULL.  Returns 0,
 * or -2 with the error in D. */
int record_jfa(struct store *s, const struct jfa_result *r,
               const struct expenditure *x, struct diag *d);
int record_lcssb(struct store *s, const struct lcssb_result *r,
                 const struct expenditure *x, struct diag *d);

/* What a JFA or LCSSB result charged each organisation. */
void outcome_of_jfa(struct outcome *o, const struct jfa_result *r);
void outcome_of_lcssb(struct outcome *o, const struct lcssb_result *r);

/*
 * Compare CURRENT (taken over) with the stored run of model M for the
 * period before M's.  Returns 1 with C filled ("previous" against
 * "current"), 0 when no such run is stored (CURRENT released), -1 or -2.
 */
int record_year_on_year(struct store *s, const struct model *m,
                        struct outcome *current, struct comparison *c,
                        struct diag *d);

void outcome_release(struct outcome *o);

#endif
