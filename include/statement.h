/*
 * statement: one organisation's amount explained: the headcount used and
 * where, the rule that applied, the change from the previous period
 * split into budget and share effects, and the true-up.
 */
#ifndef COSTSHARE_STATEMENT_H
#define COSTSHARE_STATEMENT_H

#include <stdio.h>

#include "compare.h"
#include "jfa.h"
#include "lcssb.h"
#include "variance.h"

/*
 * Write the statement of organisation CODE of R to OUT.  YOY (the
 * year-on-year comparison) and X (the expenditure) may be NULL.  Returns
 * 0, or -1 when R does not charge CODE.
 */
int statement_print_jfa(FILE *out, const struct jfa_result *r,
                        const char *code, const struct comparison *yoy,
                        const struct expenditure *x);
int statement_print_lcssb(FILE *out, const struct lcssb_result *r,
                          const char *code, const struct comparison *yoy,
                          const struct expenditure *x);

#endif
