/*
 * html: a self-contained HTML report in the output folder: index.html
 * with the tables and SVG charts, and one page per organisation with its
 * statement.  No script, no style sheet or font from elsewhere, no
 * network fetch.
 */
#ifndef COSTSHARE_HTML_H
#define COSTSHARE_HTML_H

#include "compare.h"
#include "diag.h"
#include "jfa.h"
#include "lcssb.h"
#include "variance.h"

/*
 * Write DIR/index.html and DIR/org/CODE.html for a JFA result.  YOY and
 * X may be NULL.  Returns 0, or -2 with a system error in D.
 */
int html_write_jfa(const char *dir, const struct jfa_result *r,
                   const struct comparison *yoy, const struct expenditure *x,
                   struct diag *d);

/* The same for an LCSSB result. */
int html_write_lcssb(const char *dir, const struct lcssb_result *r,
                     const struct comparison *yoy, const struct expenditure *x,
                     struct diag *d);

/*
 * Return a new file name for organisation CODE that cannot leave its
 * folder: letters, digits, "-" and "_" kept, every other byte written as
 * "_XX" in hex, and ".html" added.
 */
char *html_page_name(const char *code);

#endif
