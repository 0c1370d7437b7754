/*
 * budget: the pool, from one amount or the lines of a budget file.
 */
#include "budget.h"

#include <stdlib.h>
#include <string.h>

#include "table.h"
#include "util.h"

/* Return the index of the first line before BEFORE with COUNTRY and
 * CODE, or -1. */
static long find_line(const struct budget *b, size_t before,
                      const char *country, const char *code)
{
    for (size_t i = 0; i < before; i++)
        if (strcmp(b->lines[i].code, code) == 0 &&
            strcmp(b->lines[i].country, country) == 0)
            return (long)i;
    return -1;
}

/*
 * Handle a row without a line code: the control-total footer when the
 * model declares one and this is the last row, otherwise an error.
 */
static int read_footer(struct budget *b, const struct model *m,
                       struct table *t, size_t row, struct diag *d)
{
    char sum[MONEY_FORMAT_MAX], footer[MONEY_FORMAT_MAX];
    int64_t amount;

    if (m->footer != MODEL_FOOTER_CONTROL_TOTAL || row + 1 != t->nrows) {
        diag_error(d, t->display, t->rows[row].line,
                   table_cell_field(t, BUDGET_LINE),
                   "missing budget line code (a \"Total\" footer row? set "
                   "footer = control-total in [budget] to check it)");
        return -1;
    }
    if (table_cell_amount(t, row, BUDGET_AMOUNT, &amount, d) != 0)
        return -1;
    b->has_footer = 1;
    if (amount == b->total)
        return 0;
    diag_error(d, t->display, table_cell_line(t, row, BUDGET_AMOUNT),
               table_cell_field(t, BUDGET_AMOUNT),
               "control total %s differs from the sum of the lines %s",
               money_format(footer, amount, m->decimals, 1),
               money_format(sum, b->total, m->decimals, 1));
    return -1;
}

static int read_lines(struct budget *b, const struct model *m, struct table *t,
                      struct diag *d)
{
    int ok = 1;

    b->lines = xcalloc(t->nrows, sizeof *b->lines);
    for (size_t i = 0; i < t->nrows; i++) {
        const char *code = table_cell_text(t, i, BUDGET_LINE);
        struct budget_line *line = &b->lines[b->nlines];
        const char *country;
        long first;

        if (*code == '\0') {
            if (ok && read_footer(b, m, t, i, d) == 0)
                continue;
            ok = 0;
            continue;
        }
        line->line = t->rows[i].line;
        if (table_cell_amount(t, i, BUDGET_AMOUNT, &line->amount, d) != 0) {
            ok = 0;
            continue;
        }
        if (t->field_of[BUDGET_COUNTRY] == 0)
            country = "";
        else if (table_cell_code(t, i, BUDGET_COUNTRY, "country", &country,
                                 d) != 0) {
            ok = 0;
            continue;
        }
        first = find_line(b, b->nlines, country, code);
        if (first >= 0) {
            diag_error(
                d, t->display, line->line, table_cell_field(t, BUDGET_LINE),
                "duplicate budget line \"%s\"%s%s (first seen on "
                "line %ld)",
                code, *country ? " of " : "", country, b->lines[first].line);
            ok = 0;
            continue;
        }
        if (money_add(b->total, line->amount, &b->total) != 0) {
            diag_error(d, t->display, line->line,
                       table_cell_field(t, BUDGET_AMOUNT),
                       "budget total overflows at this line");
            ok = 0;
            continue;
        }
        line->code = xstrdup(code);
        line->description = xstrdup(table_cell_text(t, i, BUDGET_DESCRIPTION));
        line->object = xstrdup(table_cell_text(t, i, BUDGET_OBJECT));
        line->country = xstrdup(country);
        line->excluded = xstrdup(table_cell_text(t, i, BUDGET_EXCLUDED));
        line->included = xstrdup(table_cell_text(t, i, BUDGET_INCLUDED));
        line->excluded_line = table_cell_line(t, i, BUDGET_EXCLUDED);
        line->included_line = table_cell_line(t, i, BUDGET_INCLUDED);
        b->nlines++;
    }
    return ok ? 0 : -1;
}

static int load_file(struct budget *b, const struct model *m, struct diag *d)
{
    struct table t;
    struct table_spec spec;
    int status;

    model_input_spec(&m->budget, &spec);
    status = table_read(&t, &spec, d);

    if (status != 0)
        return status;
    memcpy(b->sha256, t.sha256, sizeof t.sha256);
    b->from_file = 1;
    b->country_field = t.field_of[BUDGET_COUNTRY];
    b->excluded_field = t.field_of[BUDGET_EXCLUDED];
    b->included_field = t.field_of[BUDGET_INCLUDED];
    b->skipped = t.skipped;
    if (t.skipped > 0)
        diag_add(d, DIAG_NOTE, t.display, 1, 0,
                 "lines 1-%ld above the header row skipped", t.skipped);
    status = read_lines(b, m, &t, d);
    if (status == 0 && b->nlines == 0) {
        diag_error(d, t.display, 0, 0, "no budget lines below the header");
        status = -1;
    }
    table_release(&t);
    return status;
}

int budget_load(struct budget *b, const struct model *m, struct diag *d)
{
    char sum[MONEY_FORMAT_MAX], control[MONEY_FORMAT_MAX];
    int status;

    memset(b, 0, sizeof *b);
    if (m->has_budget_amount) {
        b->total = m->budget_amount;
        return 0;
    }
    status = load_file(b, m, d);
    if (status == 0 && m->has_control_total && m->control_total != b->total) {
        diag_error(d, m->display, m->control_total_line, 0,
                   "control_total %s differs from the sum of the lines of "
                   "%s, %s",
                   money_format(control, m->control_total, m->decimals, 1),
                   m->budget.display,
                   money_format(sum, b->total, m->decimals, 1));
        status = -1;
    }
    if (status != 0)
        budget_release(b);
    return status;
}

void budget_release(struct budget *b)
{
    for (size_t i = 0; i < b->nlines; i++) {
        free(b->lines[i].code);
        free(b->lines[i].description);
        free(b->lines[i].object);
        free(b->lines[i].country);
        free(b->lines[i].excluded);
        free(b->lines[i].included);
    }
    free(b->lines);
    memset(b, 0, sizeof *b);
}
