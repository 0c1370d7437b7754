/*
 * report: the outputs of a run.  A file in the staging folder of a run
 * (see outdir.h) is written under its own name, because the whole folder
 * is swapped in only once complete and flushed.  Anywhere else a file is
 * written to a temporary file beside it and renamed into place, so a
 * reader sees the old file or the new one, never a part.
 */
#ifndef COSTSHARE_REPORT_H
#define COSTSHARE_REPORT_H

#include <stdio.h>

#include "diag.h"
#include "jfa.h"

/* Budget lines listed in a summary; the rest are counted. */
#define REPORT_MAX_LINES_SHOWN 50

/* Writes the content of one output file to F from DATA. */
typedef void (*report_writer)(FILE *f, const void *data);

/*
 * Write DIR/NAME (DIR created when missing) with WRITE.  In the staging
 * folder of the run (outdir_in_staging()) the file is created under its
 * name, which must be new, and outdir_swap() flushes it.  On error it is
 * removed.  Elsewhere it goes to a temporary file in DIR, synced, then
 * renamed over NAME, so on error DIR/NAME is untouched.  Returns 0, or
 * -2 with a system error in D.
 */
int report_write_file(const char *dir, const char *name, report_writer write,
                      const void *data, struct diag *d);

/*
 * Write text cell S to F.  A cell that starts with =, +, -, @, tab or CR
 * gets a leading apostrophe so a spreadsheet reads it as text, not as a
 * formula; a cell with a comma, quote or line end is quoted.
 */
void report_csv_text(FILE *f, const char *s);

/*
 * Remove the temporary files of DIR/NAME that report_write_file() left
 * when its process was killed: those named after a process that no
 * longer runs.
 */
void report_remove_stale(const char *dir, const char *name);

/* Format SHARE (SHARE_SCALE units) into BUF (MONEY_FORMAT_MAX bytes) as
 * a percentage without trailing zeros: "2", "0.5", "12.345".  Returns
 * BUF. */
char *report_percent_text(char *buf, int64_t share);

/*
 * Check that the amounts sum to the pool and the percentages to 100.
 * Returns 0 when both foot, -1 otherwise (with errors in D).
 */
int report_check(const struct jfa_result *r, struct diag *d);

/*
 * Write DIR/shares.csv (DIR created when missing): organisation,
 * headcount, share_pct, amount, rule; one row per organisation charged,
 * in byte order of the codes.  Returns 0, or -2 with a system error in D.
 */
int report_write_shares(const char *dir, const struct jfa_result *r,
                        struct diag *d);

/* Write the text summary of R to OUT: method, inputs with their SHA-256
 * digests, the table and the footing checks. */
void report_print_summary(FILE *out, const struct jfa_result *r);

#endif
