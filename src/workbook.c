/*
 * workbook: DIR/costshare.xlsx with libxlsxwriter, for finance staff to
 * open as it is.
 *
 * Amounts are stored as numbers with a currency format.  A spreadsheet
 * stores numbers as binary floating point, so each cell is the nearest
 * double to the exact decimal amount; the CSV files stay the exact
 * record.  Totals are SUM formulas whose stored result is the exact total
 * printed elsewhere.  Text goes in as strings, so a code that starts
 * with "=" is never a formula.
 */
#include "workbook.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "outdir.h"
#include "util.h"

struct book {
    lxw_workbook *wb;
    lxw_format *money, *percent, *bold, *bold_money;
    unsigned decimals;
    int fd;          /* the workbook's file in the staging folder, or -1 */
    lxw_error error; /* the error of the first cell not written */
};

/* Return what ERROR, from writing a cell, means for the user. */
static const char *cell_problem(lxw_error error)
{
    switch (error) {
    case LXW_ERROR_MAX_STRING_LENGTH_EXCEEDED:
        return "a text is longer than the 32,767 characters a cell can "
               "contain; shorten it in the input";
    case LXW_ERROR_WORKSHEET_INDEX_OUT_OF_RANGE:
        return "a sheet needs more rows or columns than the 1,048,576 by "
               "16,384 of a worksheet; the CSV files have every row";
    default:
        return lxw_strerror(error);
    }
}

/* Keep ERROR, the result of writing a cell, when it is the first. */
static void keep_error(struct book *b, lxw_error error)
{
    if (error != LXW_NO_ERROR && b->error == LXW_NO_ERROR)
        b->error = error;
}

static double as_number(int64_t value, unsigned decimals)
{
    double scale = 1.0;

    for (unsigned i = 0; i < decimals; i++)
        scale *= 10.0;
    return (double)value / scale;
}

/* Start the workbook B at PATH.  TMPDIR, when not NULL, is the folder of
 * libxlsxwriter's temporary files. */
static void open_book(struct book *b, const char *path, unsigned decimals,
                      const char *tmpdir)
{
    lxw_workbook_options options = {LXW_FALSE, NULL, LXW_FALSE};
    char money_format[32] = "#,##0";

    if (decimals > 0) {
        strcat(money_format, ".");
        for (unsigned i = 0; i < decimals && i < 8; i++)
            strcat(money_format, "0");
    }
    lxw_doc_properties properties;

    b->decimals = decimals;
    b->error = LXW_NO_ERROR;
    /* The field is not const, and workbook_new_opt() keeps a copy. */
    options.tmpdir = tmpdir ? xstrdup(tmpdir) : NULL;
    b->wb = workbook_new_opt(path, &options);
    free(options.tmpdir);
    if (b->wb == NULL)
        return;

    /* A fixed creation time, so the same inputs give the same bytes;
     * the run's time is in the store. */
    memset(&properties, 0, sizeof properties);
    properties.title = "costshare";
    properties.created = 946684800; /* 2000-01-01T00:00:00Z */
    workbook_set_properties(b->wb, &properties);
    b->money = workbook_add_format(b->wb);
    format_set_num_format(b->money, money_format);
    b->percent = workbook_add_format(b->wb);
    format_set_num_format(b->percent, "0.0000");
    b->bold = workbook_add_format(b->wb);
    format_set_bold(b->bold);
    b->bold_money = workbook_add_format(b->wb);
    format_set_bold(b->bold_money);
    format_set_num_format(b->bold_money, money_format);
}

static void header(lxw_worksheet *ws, struct book *b, const char *const *names,
                   size_t n)
{
    for (size_t i = 0; i < n; i++)
        keep_error(
            b, worksheet_write_string(ws, 0, (lxw_col_t)i, names[i], b->bold));
}

static void money_cell(lxw_worksheet *ws, struct book *b, lxw_row_t row,
                       lxw_col_t col, int64_t value)
{
    keep_error(b, worksheet_write_number(
                      ws, row, col, as_number(value, b->decimals), b->money));
}

/* Write to OUT the reference "A1:B2" of the range from (FIRST_ROW,
 * FIRST_COL) to (LAST_ROW, LAST_COL), zero-based. */
static void range_name(char *out, size_t size, lxw_row_t first_row,
                       lxw_col_t first_col, lxw_row_t last_row,
                       lxw_col_t last_col)
{
    char first[LXW_MAX_CELL_NAME_LENGTH], last[LXW_MAX_CELL_NAME_LENGTH];

    lxw_rowcol_to_cell(first, first_row, first_col);
    lxw_rowcol_to_cell(last, last_row, last_col);
    snprintf(out, size, "%s:%s", first, last);
}

/* Write a bold SUM of RANGE at (ROW, COL), stored with TOTAL (minor
 * units) as its result. */
static void sum_cell(lxw_worksheet *ws, struct book *b, lxw_row_t row,
                     lxw_col_t col, const char *range, int64_t total)
{
    char formula[LXW_MAX_CELL_RANGE_LENGTH + 8];

    snprintf(formula, sizeof formula, "=SUM(%s)", range);
    keep_error(b, worksheet_write_formula_num(ws, row, col, formula,
                                              b->bold_money,
                                              as_number(total, b->decimals)));
}

/* A bold SUM over rows 2 to LAST of column COL, stored with TOTAL. */
static void total_cell(lxw_worksheet *ws, struct book *b, lxw_row_t last,
                       lxw_col_t col, int64_t total)
{
    char range[LXW_MAX_CELL_RANGE_LENGTH];

    range_name(range, sizeof range, 1, col, last, col);
    sum_cell(ws, b, last + 1, col, range, total);
}

static void shares_sheet(struct book *b, const struct jfa_result *r)
{
    static const char *const names[] = {"organisation", "headcount",
                                        "share_pct", "amount", "rule"};
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, "Shares");
    lxw_row_t row = 1;

    header(ws, b, names, 5);
    for (size_t k = 0; k < r->n; k++, row++) {
        keep_error(b,
                   worksheet_write_string(
                       ws, row, 0,
                       r->headcount.organisations[r->organisations[k]], NULL));
        keep_error(b, worksheet_write_number(ws, row, 1, (double)r->weights[k],
                                             NULL));
        keep_error(b,
                   worksheet_write_number(
                       ws, row, 2, (double)r->allocation.percent[k] / 10000.0,
                       b->percent));
        money_cell(ws, b, row, 3, r->allocation.amount[k]);
        keep_error(b, worksheet_write_string(
                          ws, row, 4,
                          allocate_rule_name(r->allocation.rule[k]), NULL));
    }
    keep_error(b, worksheet_write_string(ws, row, 0, "total", b->bold));
    total_cell(ws, b, row - 1, 3, r->allocation.total);
    worksheet_set_column(ws, 0, 4, 16, NULL);
}

static void lines_sheet(struct book *b, const struct budget *budget)
{
    static const char *const names[] = {"country", "line", "description",
                                        "object", "amount"};
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, "Lines");
    lxw_row_t row = 1;

    header(ws, b, names, 5);
    for (size_t i = 0; i < budget->nlines; i++, row++) {
        const struct budget_line *l = &budget->lines[i];

        keep_error(b, worksheet_write_string(ws, row, 0, l->country, NULL));
        keep_error(b, worksheet_write_string(ws, row, 1, l->code, NULL));
        keep_error(b,
                   worksheet_write_string(ws, row, 2, l->description, NULL));
        keep_error(b, worksheet_write_string(ws, row, 3, l->object, NULL));
        money_cell(ws, b, row, 4, l->amount);
    }
    keep_error(b, worksheet_write_string(ws, row, 0, "total", b->bold));
    if (budget->nlines > 0)
        total_cell(ws, b, row - 1, 4, budget->total - budget->base_amount);
    worksheet_set_column(ws, 0, 4, 18, NULL);
}

static void change_sheet(struct book *b, const struct comparison *c)
{
    static const char *const names[] = {"organisation",  "previous",
                                        "current",       "change",
                                        "budget_effect", "share_effect"};
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, "Scenarios");
    lxw_row_t row = 1;
    int64_t sums[5] = {0};

    header(ws, b, names, 6);
    for (size_t i = 0; i < c->n; i++, row++) {
        int64_t values[5] = {c->amount[i], c->amount[c->n + i],
                             c->change[c->n + i], c->budget_effect[c->n + i],
                             c->share_effect[c->n + i]};

        keep_error(b, worksheet_write_string(ws, row, 0, c->codes[i], NULL));
        for (int k = 0; k < 5; k++) {
            money_cell(ws, b, row, (lxw_col_t)(k + 1), values[k]);
            sums[k] += values[k];
        }
    }
    keep_error(b, worksheet_write_string(ws, row, 0, "total", b->bold));
    for (int k = 0; k < 5; k++)
        total_cell(ws, b, row - 1, (lxw_col_t)(k + 1), sums[k]);
    worksheet_set_column(ws, 0, 5, 16, NULL);
}

static void variance_sheet(struct book *b, const struct expenditure *x)
{
    static const char *const names[] = {
        "level", "key", "budget", "actual", "variance_budget_minus_actual",
        "status"};
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, "Variance");
    lxw_row_t row = 1;

    header(ws, b, names, 6);
    for (size_t i = 0; i < x->nrows; i++, row++) {
        const struct variance_row *v = &x->rows[i];

        keep_error(b, worksheet_write_string(
                          ws, row, 0, variance_level_name(v->level), NULL));
        keep_error(b, worksheet_write_string(ws, row, 1, v->key, NULL));
        money_cell(ws, b, row, 2, v->budget);
        money_cell(ws, b, row, 3, v->actual);
        money_cell(ws, b, row, 4, v->budget - v->actual);
        keep_error(b, worksheet_write_string(
                          ws, row, 5, variance_status_name(v->status), NULL));
    }
    worksheet_set_column(ws, 0, 5, 18, NULL);
}

static void trueup_sheet(struct book *b, const struct expenditure *x)
{
    static const char *const names[] = {"organisation", "billed", "final",
                                        "difference"};
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, "True-up");
    lxw_row_t row = 1;
    int64_t billed = 0, final = 0;

    header(ws, b, names, 4);
    for (size_t k = 0; k < x->ntrueup; k++, row++) {
        keep_error(
            b, worksheet_write_string(ws, row, 0, x->trueup_codes[k], NULL));
        money_cell(ws, b, row, 1, x->billed[k]);
        money_cell(ws, b, row, 2, x->final[k]);
        money_cell(ws, b, row, 3, x->billed[k] - x->final[k]);
        billed += x->billed[k];
        final += x->final[k];
    }
    keep_error(b, worksheet_write_string(ws, row, 0, "total", b->bold));
    total_cell(ws, b, row - 1, 1, billed);
    total_cell(ws, b, row - 1, 2, final);
    total_cell(ws, b, row - 1, 3, billed - final);
    worksheet_set_column(ws, 0, 3, 16, NULL);
}

/* Organisation ids that share a line in some country, in id order as
 * lcssb_organisations.csv lists them.  Returns the count; the caller
 * frees *IDS. */
static size_t sharing_organisations(const struct lcssb_result *r, size_t **ids)
{
    size_t n = 0;

    *ids = xcalloc(r->headcount.norganisations, sizeof **ids);
    for (size_t o = 0; o < r->headcount.norganisations; o++)
        if (r->organisation_countries[o] != 0)
            (*ids)[n++] = o;
    return n;
}

/* Return whether organisation O shares a line in country C. */
static int takes_part(const struct lcssb_result *r, size_t c, size_t o)
{
    return r->takes_part[c * r->headcount.norganisations + o];
}

/* One row per organisation, as lcssb_organisations.csv. */
static void lcssb_shares_sheet(struct book *b, const struct lcssb_result *r)
{
    static const char *const names[] = {"organisation", "countries", "amount"};
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, "Shares");
    lxw_row_t row = 1;

    header(ws, b, names, 3);
    for (size_t o = 0; o < r->headcount.norganisations; o++) {
        if (r->organisation_countries[o] == 0)
            continue;
        keep_error(b, worksheet_write_string(
                          ws, row, 0, r->headcount.organisations[o], NULL));
        keep_error(
            b, worksheet_write_number(
                   ws, row, 1, (double)r->organisation_countries[o], NULL));
        money_cell(ws, b, row, 2, r->organisation_amount[o]);
        row++;
    }
    keep_error(b, worksheet_write_string(ws, row, 0, "total", b->bold));
    if (row > 1)
        total_cell(ws, b, row - 1, 2, r->total);
    worksheet_set_column(ws, 0, 2, 16, NULL);
}

/* Write country C's row of the Countries sheet at ROW: its amount per
 * organisation in IDS (a blank where it shares no line) and their SUM.
 * lcssb_check has already compared that sum with the country's lines. */
static void country_row(lxw_worksheet *ws, struct book *b,
                        const struct lcssb_result *r, size_t c, lxw_row_t row,
                        const size_t *ids, size_t n)
{
    char range[LXW_MAX_CELL_RANGE_LENGTH];
    int64_t total = 0;

    keep_error(b, worksheet_write_string(ws, row, 0, r->headcount.countries[c],
                                         NULL));
    for (size_t k = 0; k < n; k++) {
        int64_t amount;

        if (!takes_part(r, c, ids[k]))
            continue;
        amount = r->country_amount[c * r->headcount.norganisations + ids[k]];
        money_cell(ws, b, row, (lxw_col_t)(k + 1), amount);
        total += amount;
    }
    range_name(range, sizeof range, row, 1, row, (lxw_col_t)n);
    sum_cell(ws, b, row, (lxw_col_t)(n + 1), range, total);
}

/*
 * A matrix of countries (rows, in the order of lcssb_countries.csv) by
 * organisations (columns, in the order of lcssb_organisations.csv), with
 * a cell wherever lcssb_countries.csv has a row.  Row and column totals
 * are SUM formulas whose stored results are the sums of the cells in
 * minor units: an organisation's amount and the run's total for the
 * columns.
 */
static void countries_sheet(struct book *b, const struct lcssb_result *r)
{
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, "Countries");
    char range[LXW_MAX_CELL_RANGE_LENGTH];
    size_t *ids, n = sharing_organisations(r, &ids);
    lxw_row_t row = 1;

    keep_error(b, worksheet_write_string(ws, 0, 0, "country", b->bold));
    for (size_t k = 0; k < n; k++)
        keep_error(b, worksheet_write_string(
                          ws, 0, (lxw_col_t)(k + 1),
                          r->headcount.organisations[ids[k]], b->bold));
    keep_error(b, worksheet_write_string(ws, 0, (lxw_col_t)(n + 1), "total",
                                         b->bold));

    for (size_t c = 0; c < r->headcount.ncountries; c++) {
        int present = 0;

        for (size_t k = 0; k < n && !present; k++)
            present = takes_part(r, c, ids[k]);
        if (present)
            country_row(ws, b, r, c, row++, ids, n);
    }

    keep_error(b, worksheet_write_string(ws, row, 0, "total", b->bold));
    for (size_t k = 0; k <= n && row > 1; k++) {
        range_name(range, sizeof range, 1, (lxw_col_t)(k + 1), row - 1,
                   (lxw_col_t)(k + 1));
        sum_cell(ws, b, row, (lxw_col_t)(k + 1), range,
                 k < n ? r->organisation_amount[ids[k]] : r->total);
    }
    worksheet_freeze_panes(ws, 1, 1);
    worksheet_set_column(ws, 0, 0, 10, NULL);
    worksheet_set_column(ws, 1, (lxw_col_t)(n + 1), 14, NULL);
    free(ids);
}

static void method_sheet(struct book *b, const struct model *m)
{
    lxw_worksheet *ws = workbook_add_worksheet(b->wb, "Method");
    char amount[MONEY_FORMAT_MAX];
    lxw_row_t row = 0;
    const char *rows[][2] = {
        {"model", m->name},
        {"kind", m->kind == MODEL_LCSSB ? "lcssb" : "jfa"},
        {"period", m->period},
        {"currency", m->currency},
        {"basis", model_basis_name(m->basis)},
        {"floor",
         m->floor ? money_format(amount, m->floor, m->decimals, 1) : "none"},
        {"rounding", "largest remainder; ties to the organisation code "
                     "first in byte order"},
        {"source", "the CSV files beside this workbook are the exact "
                   "record"},
    };

    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++, row++) {
        keep_error(b, worksheet_write_string(ws, row, 0, rows[i][0], b->bold));
        keep_error(b, worksheet_write_string(ws, row, 1, rows[i][1], NULL));
    }
    if (m->kind == MODEL_LCSSB) {
        keep_error(b,
                   worksheet_write_string(ws, row, 0, "line detail", b->bold));
        keep_error(b, worksheet_write_string(
                          ws, row, 1,
                          "each organisation's amount in each budget "
                          "line is in lcssb_lines.csv",
                          NULL));
    }
    worksheet_set_column(ws, 0, 0, 12, NULL);
    worksheet_set_column(ws, 1, 1, 60, NULL);
}

/*
 * Close the workbook at TEMP and put it in place as DIR/costshare.xlsx.
 * In the staging folder of the run TEMP is that name already, and the
 * file is only started on its way to the disk: outdir_swap() waits for
 * it with the rest of the folder.  Elsewhere TEMP is synced and renamed over
 * the name.
 */
static int finish_book(struct book *b, const char *dir, char *temp,
                       struct diag *d)
{
    char *target = xasprintf("%s/costshare.xlsx", dir);
    int in_place = b->fd >= 0;
    lxw_error error = workbook_close(b->wb);
    int status = 0;

    if (b->error != LXW_NO_ERROR) {
        /* A cell left out would make the workbook disagree with the CSV
         * files, so the run fails. */
        diag_error(d, target, 0, 0, "cannot write the workbook: %s",
                   cell_problem(b->error));
        status = -1;
    } else if (error != LXW_NO_ERROR) {
        diag_error(d, target, 0, 0, "cannot write the workbook: %s",
                   lxw_strerror(error));
        status = -2;
    } else if (in_place) {
        /* Written now, so outdir_swap() flushes it with the rest. */
        outdir_start_writeback(b->fd);
        outdir_flush_later(b->fd);
        b->fd = -1;
    } else if (fsync_path(temp) != 0) {
        diag_error(d, target, 0, 0, "cannot write the workbook: %s",
                   strerror(errno));
        status = -2;
    } else if (rename(temp, target) != 0) {
        diag_error(d, target, 0, 0, "cannot rename %s into place: %s", temp,
                   strerror(errno));
        status = -2;
    }
    if (b->fd >= 0)
        close(b->fd);
    if (status != 0)
        unlink(temp);
    free(target);
    free(temp);
    return status;
}

/*
 * Open a workbook for DIR/costshare.xlsx and set *TEMP to the file it is
 * written to.  In the staging folder of the run that is the name itself,
 * created with mode 0666 less the umask, and no reader sees it before
 * the folder is flushed and swapped in.  Elsewhere it is a temporary
 * file beside the name.
 */
static int start_book(struct book *b, const char *dir, unsigned decimals,
                      char **temp, struct diag *d)
{
    int fd;

    if (outdir_in_staging(dir)) {
        *temp = xasprintf("%s/costshare.xlsx", dir);
        /* Created here, so that outdir_swap() flushes it by a descriptor
         * opened before libxlsxwriter writes it.  finish_book() hands
         * the descriptor over once the workbook is written. */
        fd = open(*temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0) {
            diag_error(d, *temp, 0, 0, "cannot create the workbook: %s",
                       strerror(errno));
            free(*temp);
            return -2;
        }
        /* libxlsxwriter names each temporary file, then unlinks it at
         * once.  In the staging folder, a file left by a run killed in
         * between goes with the folder, not into /tmp. */
        open_book(b, *temp, decimals, dir);
        if (b->wb == NULL) {
            diag_error(d, *temp, 0, 0, "cannot create the workbook");
            close(fd);
            unlink(*temp);
            free(*temp);
            return -2;
        }
        b->fd = fd;
        return 0;
    }
    /* mkstemp reserves a unique name, which libxlsxwriter then writes. */
    *temp = xasprintf("%s/.costshare.xlsx.XXXXXX", dir);
    fd = mkstemp(*temp);
    if (fd < 0) {
        diag_error(d, dir, 0, 0, "cannot create the workbook: %s",
                   strerror(errno));
        free(*temp);
        return -2;
    }
    {
        mode_t mask = umask(0);

        umask(mask);
        fchmod(fd, 0666 & ~mask); /* the mode a new file gets */
    }
    close(fd);
    open_book(b, *temp, decimals, NULL);
    b->fd = -1;
    if (b->wb == NULL) {
        diag_error(d, *temp, 0, 0, "cannot create the workbook");
        unlink(*temp);
        free(*temp);
        return -2;
    }
    return 0;
}

int workbook_write_jfa(const char *dir, const struct jfa_result *r,
                       const struct comparison *yoy,
                       const struct expenditure *x, struct diag *d)
{
    struct book b;
    char *temp;

    if (start_book(&b, dir, r->model->decimals, &temp, d) != 0)
        return -2;
    shares_sheet(&b, r);
    lines_sheet(&b, &r->budget);
    if (yoy != NULL)
        change_sheet(&b, yoy);
    if (x != NULL)
        variance_sheet(&b, x);
    if (x != NULL && x->has_trueup)
        trueup_sheet(&b, x);
    method_sheet(&b, r->model);
    return finish_book(&b, dir, temp, d);
}

/* Return whether the Countries sheet of R fits in a worksheet: a row per
 * country and a column per organisation, plus headers and totals. */
static int countries_fit(const struct lcssb_result *r, struct diag *d)
{
    size_t columns = r->headcount.norganisations + 2;
    size_t rows = r->headcount.ncountries + 2;

    if (columns > LXW_COL_MAX) {
        diag_error(d, NULL, 0, 0,
                   "cannot write the workbook: the Countries sheet needs "
                   "%zu columns for %zu organisations, and a worksheet has "
                   "at most %d",
                   columns, r->headcount.norganisations, LXW_COL_MAX);
        return 0;
    }
    if (rows > LXW_ROW_MAX) {
        diag_error(d, NULL, 0, 0,
                   "cannot write the workbook: the Countries sheet needs "
                   "%zu rows for %zu countries, and a worksheet has at "
                   "most %d",
                   rows, r->headcount.ncountries, LXW_ROW_MAX);
        return 0;
    }
    return 1;
}

int workbook_write_lcssb(const char *dir, const struct lcssb_result *r,
                         const struct comparison *yoy,
                         const struct expenditure *x, struct diag *d)
{
    struct book b;
    char *temp;

    if (!countries_fit(r, d))
        return -2;
    if (start_book(&b, dir, r->model->decimals, &temp, d) != 0)
        return -2;
    lcssb_shares_sheet(&b, r);
    countries_sheet(&b, r);
    lines_sheet(&b, &r->budget);
    if (yoy != NULL)
        change_sheet(&b, yoy);
    if (x != NULL)
        variance_sheet(&b, x);
    if (x != NULL && x->has_trueup)
        trueup_sheet(&b, x);
    method_sheet(&b, r->model);
    return finish_book(&b, dir, temp, d);
}
