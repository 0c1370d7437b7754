/*
 * budget: the pool, from one amount or the lines of a budget file.
 */
#include "budget.h"

#include <stdlib.h>
#include <string.h>

#include "table.h"
#include "util.h"

/* The budget whose line indices compare_lines() sorts, since qsort
 * passes no context.  One per thread: two threads of a run load a budget
 * at the same time. */
static _Thread_local const struct budget *sort_lines;

/* Order line indices by country, code, then file line. */
static int compare_lines(const void *a, const void *b)
{
    const struct budget_line *x = &sort_lines->lines[*(const size_t *)a];
    const struct budget_line *y = &sort_lines->lines[*(const size_t *)b];
    int c = strcmp(x->country, y->country);

    if (c == 0)
        c = strcmp(x->code, y->code);
    return c != 0 ? c : (x->line > y->line) - (x->line < y->line);
}

/* Report lines whose country and code an earlier line has, in file
 * order; sorting keeps this fast for budgets of many lines. */
static int check_duplicates(const struct budget *b, const struct table *t,
                            struct diag *d)
{
    size_t *order = xcalloc(b->nlines, sizeof *order);
    size_t first_error = d->count;
    int ok = 1;

    for (size_t i = 0; i < b->nlines; i++)
        order[i] = i;
    sort_lines = b;
    qsort(order, b->nlines, sizeof *order, compare_lines);
    for (size_t k = 1, first = 0; k < b->nlines; k++) {
        const struct budget_line *x = &b->lines[order[first]];
        const struct budget_line *y = &b->lines[order[k]];

        if (strcmp(x->country, y->country) != 0 ||
            strcmp(x->code, y->code) != 0) {
            first = k;
            continue;
        }
        diag_error(d, t->display, y->line, table_cell_field(t, BUDGET_LINE),
                   "duplicate budget line \"%s\"%s%s (first seen on line "
                   "%ld)",
                   y->code, *y->country ? " of " : "", y->country, x->line);
        ok = 0;
    }
    diag_sort_lines(d, first_error);
    free(order);
    return ok ? 0 : -1;
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
    if (check_duplicates(b, t, d) != 0)
        ok = 0;
    return ok ? 0 : -1;
}

static int load_file(struct budget *b, const struct model *m, struct diag *d)
{
    struct table t;
    struct table_spec spec;
    int status, read;
    size_t first;

    model_input_spec(&m->budget, &spec);
    first = d->count;
    read = table_read(&t, &spec, d);
    if (read == -2)
        return read;
    memcpy(b->sha256, t.sha256, sizeof t.sha256);
    b->from_file = 1;
    b->country_field = t.field_of[BUDGET_COUNTRY];
    b->excluded_field = t.field_of[BUDGET_EXCLUDED];
    b->included_field = t.field_of[BUDGET_INCLUDED];
    b->skipped = t.skipped;
    status = read_lines(b, m, &t, d);
    if (read == 0 && status == 0 && b->nlines == 0) {
        diag_error(d, t.display, 0, 0, "no budget lines below the header");
        status = -1;
    }
    table_release(&t);
    diag_sort_lines(d, first); /* the file's problems in line order */
    return read != 0 ? -1 : status;
}

int budget_load(struct budget *b, const struct model *m, struct diag *d)
{
    char sum[MONEY_FORMAT_MAX], control[MONEY_FORMAT_MAX];
    int status;

    memset(b, 0, sizeof *b);
    if (m->has_budget_amount) {
        b->total = m->budget_amount;
        b->base_amount = m->budget_amount;
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

/* Return whether budget line L is what change CH names. */
static int change_names(const struct budget_line *l,
                        const struct model_change *ch)
{
    int any_line = strcmp(ch->line, "*") == 0;
    int any_country = *ch->country == '\0' || strcmp(ch->country, "*") == 0;

    return (any_line || strcmp(l->code, ch->line) == 0) &&
           (any_country || strcmp(l->country, ch->country) == 0);
}

static int add_line(struct budget *b, const struct model_change *ch,
                    struct diag *d)
{
    struct budget_line *l;

    for (size_t i = 0; i < b->nlines; i++) {
        if (change_names(&b->lines[i], ch)) {
            diag_error(d, ch->file, ch->line_number, 0,
                       "budget line \"%s\" exists already; remove or scale "
                       "it instead",
                       ch->line);
            return -1;
        }
    }
    b->lines = xreallocarray(b->lines, b->nlines + 1, sizeof *b->lines);
    l = &b->lines[b->nlines++];
    memset(l, 0, sizeof *l);
    l->code = xstrdup(ch->line);
    l->description = xstrdup(ch->text);
    l->object = xstrdup("");
    l->country = xstrdup(strcmp(ch->country, "*") == 0 ? "" : ch->country);
    l->excluded = xstrdup("");
    l->included = xstrdup("");
    l->amount = ch->amount;
    l->line = ch->line_number;
    return 0;
}

/* Remove or scale the lines CH names; with none, an error. */
static int change_lines(struct budget *b, const struct model_change *ch,
                        struct diag *d)
{
    size_t matched = 0, kept = 0;

    for (size_t i = 0; i < b->nlines; i++) {
        struct budget_line *l = &b->lines[i];

        if (!change_names(l, ch)) {
            b->lines[kept++] = *l;
            continue;
        }
        matched++;
        if (ch->kind == MODEL_REMOVE_LINE) {
            free(l->code);
            free(l->description);
            free(l->object);
            free(l->country);
            free(l->excluded);
            free(l->included);
            continue;
        }
        if (money_scale(l->amount, ch->percent, SHARE_SCALE, &l->amount) !=
            0) {
            diag_error(d, ch->file, ch->line_number, 0,
                       "scaling line \"%s\" overflows", l->code);
            return -1;
        }
        b->lines[kept++] = *l;
    }
    b->nlines = kept;
    if (matched == 0) {
        diag_error(d, ch->file, ch->line_number, 0,
                   "no budget line \"%s\"%s%s in the budget", ch->line,
                   *ch->country ? " of " : "", ch->country);
        return -1;
    }
    return 0;
}

/* Scale the pool given as one amount in the model. */
static int scale_amount(struct budget *b, const struct model_change *ch,
                        struct diag *d)
{
    if (ch->kind == MODEL_SCALE_LINE && strcmp(ch->line, "*") == 0 &&
        money_scale(b->base_amount, ch->percent, SHARE_SCALE,
                    &b->base_amount) == 0)
        return 0;
    diag_error(d, ch->file, ch->line_number, 0,
               "the budget is one amount, with no line \"%s\"; use scale = "
               "* PERCENT",
               ch->line);
    return -1;
}

int budget_apply_changes(struct budget *b, const struct model *m,
                         struct diag *d)
{
    int status = 0;
    int64_t lines = 0;
    int one_amount = !b->from_file;

    for (size_t i = 0; i < m->nchanges; i++) {
        const struct model_change *ch = &m->changes[i];
        int rc;

        if (ch->kind == MODEL_ADD_LINE)
            rc = add_line(b, ch, d);
        else if (one_amount && ch->kind == MODEL_SCALE_LINE &&
                 strcmp(ch->line, "*") == 0)
            /* The amount set in the model, and any line added to it. */
            rc = scale_amount(b, ch, d) != 0 ||
                         (b->nlines > 0 && change_lines(b, ch, d) != 0)
                     ? -1
                     : 0;
        else if (ch->kind == MODEL_REMOVE_LINE || ch->kind == MODEL_SCALE_LINE)
            rc = one_amount && b->nlines == 0 ? scale_amount(b, ch, d)
                                              : change_lines(b, ch, d);
        else
            continue;
        if (rc != 0)
            status = -1;
    }
    if (m->nchanges == 0 || status != 0)
        return status;

    /* The pool: the lines, plus the model's amount when there is one. */
    for (size_t i = 0; i < b->nlines; i++) {
        if (money_add(lines, b->lines[i].amount, &lines) != 0) {
            diag_error(d, m->display, 0, 0, "the budget total overflows");
            return -1;
        }
    }
    if (one_amount)
        return money_add(b->base_amount, lines, &b->total) == 0 ? 0 : -1;
    b->total = lines;
    return 0;
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

static int compare_keys(const void *a, const void *b)
{
    const struct budget_key *x = a, *y = b;
    int c = strcmp(x->code, y->code);

    if (c == 0)
        c = strcmp(x->country, y->country);
    return c != 0 ? c : (x->line > y->line) - (x->line < y->line);
}

void budget_index_init(struct budget_index *ix, const struct budget *b)
{
    ix->n = b->nlines;
    ix->keys = xcalloc(b->nlines, sizeof *ix->keys);
    for (size_t i = 0; i < b->nlines; i++) {
        ix->keys[i].code = b->lines[i].code;
        ix->keys[i].country = b->lines[i].country;
        ix->keys[i].line = i;
    }
    qsort(ix->keys, ix->n, sizeof *ix->keys, compare_keys);
}

/* Return the position of the first key not below CODE (and COUNTRY,
 * unless it is NULL) in the order of compare_keys(). */
static size_t lower_bound(const struct budget_index *ix, const char *code,
                          const char *country)
{
    size_t low = 0, high = ix->n;

    while (low < high) {
        size_t mid = low + (high - low) / 2;
        const struct budget_key *k = &ix->keys[mid];
        int c = strcmp(k->code, code);

        if (c == 0 && country != NULL)
            c = strcmp(k->country, country);
        if (c < 0)
            low = mid + 1;
        else
            high = mid;
    }
    return low;
}

long budget_index_find(const struct budget_index *ix, const char *code,
                       const char *country, int any_country)
{
    size_t at = lower_bound(ix, code, any_country ? NULL : country);
    long first = -1;

    /* Keys of one code and country are in budget order, so the first
     * match is the first line.  Across countries, the lowest index is. */
    for (; at < ix->n && strcmp(ix->keys[at].code, code) == 0; at++) {
        if (!any_country) {
            if (strcmp(ix->keys[at].country, country) == 0)
                first = (long)ix->keys[at].line;
            break;
        }
        if (first < 0 || ix->keys[at].line < (size_t)first)
            first = (long)ix->keys[at].line;
    }
    return first;
}

void budget_index_release(struct budget_index *ix)
{
    free(ix->keys);
    memset(ix, 0, sizeof *ix);
}
