/*
 * report: the outputs of a run.  A file in the staging folder of a run
 * (see outdir.h) is written under its own name, because the whole folder
 * is swapped in only once complete and flushed.  Anywhere else a file is
 * written to a temporary file beside it and renamed into place, so a
 * reader sees the old file or the new one, never a part.
 */
#ifndef COSTSHARE_REPORT_H
#define COSTSHARE_REPORT_H

#include <stdint.h>
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

/* Size of a report_buffer's memory, in bytes; a full buffer is written
 * out. */
#define REPORT_BUFFER_BYTES 65536

/*
 * Output to a FILE gathered in memory, so that a large CSV file costs one
 * stdio call per REPORT_BUFFER_BYTES instead of a few per cell.  Start
 * with report_buffer_init() and end with report_buffer_flush().
 */
struct report_buffer {
    FILE *f;
    size_t length;
    char text[REPORT_BUFFER_BYTES];
};

void report_buffer_init(struct report_buffer *b, FILE *f);

/* Write out the bytes in B and empty it. */
void report_buffer_flush(struct report_buffer *b);

/* Add LEN bytes at S, a NUL-terminated S, or one character. */
void report_buffer_bytes(struct report_buffer *b, const char *s, size_t len);
void report_buffer_string(struct report_buffer *b, const char *s);
void report_buffer_char(struct report_buffer *b, char c);

/* Add text cell S as report_csv_text() writes it. */
void report_buffer_csv_text(struct report_buffer *b, const char *s);

/* Add VALUE, scaled by 10^decimals, as money_format() writes it
 * ungrouped: "-1234.50"; with 0 decimals, a whole number. */
void report_buffer_money(struct report_buffer *b, int64_t value,
                         unsigned decimals);

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
