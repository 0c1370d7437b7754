/*
 * workbook: DIR/costshare.xlsx (libxlsxwriter) with sheets for the
 * shares, budget lines, year-on-year changes, variance, true-up and the
 * method.  An LCSSB workbook has one share row per organisation and a
 * Countries sheet of countries by organisations.  Its amounts per line
 * and organisation are only in lcssb_lines.csv.  Totals are SUM
 * formulas.
 */
#ifndef COSTSHARE_WORKBOOK_H
#define COSTSHARE_WORKBOOK_H

#include "compare.h"
#include "diag.h"
#include "jfa.h"
#include "lcssb.h"
#include "variance.h"

/*
 * Write DIR/costshare.xlsx for a JFA or LCSSB result (YOY and X may be
 * NULL), to a temporary file renamed into place.  Returns 0, or -2 with
 * the error in D.
 */
int workbook_write_jfa(const char *dir, const struct jfa_result *r,
                       const struct comparison *yoy,
                       const struct expenditure *x, struct diag *d);
int workbook_write_lcssb(const char *dir, const struct lcssb_result *r,
                         const struct comparison *yoy,
                         const struct expenditure *x, struct diag *d);

#endif
