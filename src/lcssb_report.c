/*
 * lcssb_report: the footing checks, CSV files and summary of an lcssb
 * run.  Every total printed is a sum of the line cells.
 */
#include <stdlib.h>
#include <string.h>

#include "lcssb.h"
#include "report.h"
#include "util.h"

/* Sums of the cells of one line, recomputed for the checks. */
struct line_sums {
    int64_t amount;
    int64_t percent;
    size_t parts; /* cells, one per organisation sharing the line */
};

static struct line_sums *sum_lines(const struct lcssb_result *r)
{
    struct line_sums *sums = xcalloc(r->budget.nlines, sizeof *sums);

    for (size_t i = 0; i < r->ncells; i++) {
        sums[r->cells[i].line].amount += r->cells[i].amount;
        sums[r->cells[i].line].percent += r->cells[i].percent;
        sums[r->cells[i].line].parts++;
    }
    return sums;
}

/* Return the number of countries whose organisation amounts do not sum
 * to the amounts of their lines. */
static size_t count_countries_footing(const struct lcssb_result *r)
{
    size_t n = r->headcount.norganisations, failed = 0;

    for (size_t c = 0; c < r->headcount.ncountries; c++) {
        int64_t lines = 0, organisations = 0;

        for (size_t l = 0; l < r->budget.nlines; l++)
            if (r->country[l] == c)
                lines += r->budget.lines[l].amount;
        for (size_t o = 0; o < n; o++)
            organisations += r->country_amount[c * n + o];
        failed += lines != organisations;
    }
    return failed;
}

int lcssb_check(const struct lcssb_result *r, struct diag *d)
{
    struct line_sums *sums = sum_lines(r);
    unsigned decimals = r->model->decimals;
    char a[MONEY_FORMAT_MAX], b[MONEY_FORMAT_MAX];
    int64_t organisations = 0;
    int ok = 1;

    for (size_t l = 0; l < r->budget.nlines; l++) {
        const struct budget_line *line = &r->budget.lines[l];

        if (sums[l].amount != line->amount ||
            sums[l].percent != ALLOCATE_PERCENT_WHOLE) {
            diag_error(d, NULL, 0, 0,
                       "footing check failed: line %s of %s has cells of "
                       "%s for %s",
                       line->code, line->country,
                       money_format(a, sums[l].amount, decimals, 1),
                       money_format(b, line->amount, decimals, 1));
            ok = 0;
        }
    }
    if (count_countries_footing(r) != 0) {
        diag_error(d, NULL, 0, 0,
                   "footing check failed: a country's organisations do not "
                   "sum to its lines");
        ok = 0;
    }
    for (size_t o = 0; o < r->headcount.norganisations; o++)
        organisations += r->organisation_amount[o];
    if (organisations != r->budget.total || r->total != r->budget.total) {
        diag_error(d, NULL, 0, 0,
                   "footing check failed: organisations sum to %s, budget "
                   "is %s",
                   money_format(a, organisations, decimals, 1),
                   money_format(b, r->budget.total, decimals, 1));
        ok = 0;
    }
    free(sums);
    return ok ? 0 : -1;
}

static const char *organisation_code(const struct lcssb_result *r, size_t o)
{
    return r->headcount.organisations[o];
}

static void write_lines(FILE *f, const void *data)
{
    const struct lcssb_result *r = data;
    struct report_buffer *b = xmalloc(sizeof *b);

    report_buffer_init(b, f);
    report_buffer_string(
        b, "country,line,organisation,headcount,share_pct,amount\n");
    for (size_t i = 0; i < r->ncells; i++) {
        const struct lcssb_cell *c = &r->cells[i];
        const struct budget_line *line = &r->budget.lines[c->line];

        report_buffer_csv_text(b, line->country);
        report_buffer_char(b, ',');
        report_buffer_csv_text(b, line->code);
        report_buffer_char(b, ',');
        report_buffer_csv_text(b, organisation_code(r, c->organisation));
        report_buffer_char(b, ',');
        report_buffer_money(b, c->headcount, 0);
        report_buffer_char(b, ',');
        report_buffer_money(b, c->percent, ALLOCATE_PERCENT_DECIMALS);
        report_buffer_char(b, ',');
        report_buffer_money(b, c->amount, r->model->decimals);
        report_buffer_char(b, '\n');
    }
    report_buffer_flush(b);
    free(b);
}

/* Return whether country C has a budget line. */
static int has_lines(const struct lcssb_result *r, size_t c)
{
    for (size_t l = 0; l < r->budget.nlines; l++)
        if (r->country[l] == c)
            return 1;
    return 0;
}

/* Return whether organisation O shares a line in country C. */
static int takes_part(const struct lcssb_result *r, size_t c, size_t o)
{
    return r->takes_part[c * r->headcount.norganisations + o];
}

static void write_countries(FILE *f, const void *data)
{
    const struct lcssb_result *r = data;
    size_t n = r->headcount.norganisations;
    struct report_buffer *b = xmalloc(sizeof *b);

    report_buffer_init(b, f);
    report_buffer_string(b, "country,organisation,amount\n");
    for (size_t c = 0; c < r->headcount.ncountries; c++) {
        for (size_t o = 0; o < n; o++) {
            if (!takes_part(r, c, o))
                continue;
            report_buffer_csv_text(b, r->headcount.countries[c]);
            report_buffer_char(b, ',');
            report_buffer_csv_text(b, organisation_code(r, o));
            report_buffer_char(b, ',');
            report_buffer_money(b, r->country_amount[c * n + o],
                                r->model->decimals);
            report_buffer_char(b, '\n');
        }
    }
    report_buffer_flush(b);
    free(b);
}

static void write_organisations(FILE *f, const void *data)
{
    const struct lcssb_result *r = data;
    char amount[MONEY_FORMAT_MAX];

    fputs("organisation,countries,amount\n", f);
    for (size_t o = 0; o < r->headcount.norganisations; o++) {
        if (r->organisation_countries[o] == 0)
            continue;
        report_csv_text(f, organisation_code(r, o));
        fprintf(f, ",%zu,%s\n", r->organisation_countries[o],
                money_format(amount, r->organisation_amount[o],
                             r->model->decimals, 0));
    }
}

/* What each organisation owes the administering agency of each country;
 * the agency's own share is not a debt and is left out. */
static void write_agencies(FILE *f, const void *data)
{
    const struct lcssb_result *r = data;
    size_t n = r->headcount.norganisations;
    struct report_buffer *b = xmalloc(sizeof *b);

    report_buffer_init(b, f);
    report_buffer_string(
        b, "country,administering_agency,organisation,amount_owed\n");
    for (size_t c = 0; c < r->headcount.ncountries; c++) {
        for (size_t o = 0; o < n; o++) {
            if (!takes_part(r, c, o) ||
                strcmp(organisation_code(r, o), r->agency[c]) == 0)
                continue;
            report_buffer_csv_text(b, r->headcount.countries[c]);
            report_buffer_char(b, ',');
            report_buffer_csv_text(b, r->agency[c]);
            report_buffer_char(b, ',');
            report_buffer_csv_text(b, organisation_code(r, o));
            report_buffer_char(b, ',');
            report_buffer_money(b, r->country_amount[c * n + o],
                                r->model->decimals);
            report_buffer_char(b, '\n');
        }
    }
    report_buffer_flush(b);
    free(b);
}

int lcssb_write_reports(const char *dir, const struct lcssb_result *r,
                        struct diag *d)
{
    static const struct {
        const char *name;
        report_writer write;
    } files[] = {
        {"lcssb_lines.csv", write_lines},
        {"lcssb_countries.csv", write_countries},
        {"lcssb_organisations.csv", write_organisations},
        {"lcssb_agencies.csv", write_agencies},
    };

    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        if (report_write_file(dir, files[i].name, files[i].write, r, d) != 0)
            return -2;
    return 0;
}

static void print_inputs(FILE *out, const struct lcssb_result *r)
{
    const struct model *m = r->model;

    fprintf(out, "inputs:\n");
    fprintf(out, "  model         %s\n", m->display);
    fprintf(out, "  headcount     %s\n                sha256 %s\n",
            model_headcount_file(m), r->headcount.headcount_sha256);
    if (m->basis == MODEL_BASIS_FIELD)
        fprintf(out, "  headquarters  %s\n                sha256 %s\n",
                m->headquarters.display, r->headcount.headquarters_sha256);
    fprintf(out, "  budget        %s\n                sha256 %s\n",
            m->budget.display, r->budget.sha256);
    fprintf(out, "  agencies      %s\n                sha256 %s\n",
            m->agencies.display, r->agencies_sha256);
}

/* Print the lines and organisation totals of country C.  SUMS has the
 * sums of every line, by line index. */
static void print_country(FILE *out, const struct lcssb_result *r,
                          const struct line_sums *sums, size_t c)
{
    size_t n = r->headcount.norganisations;
    unsigned decimals = r->model->decimals;
    char amount[MONEY_FORMAT_MAX], own_text[MONEY_FORMAT_MAX];
    char owed[MONEY_FORMAT_MAX];
    int64_t total = 0, own = 0;

    fprintf(out, "\ncountry %s, administering agency %s\n",
            r->headcount.countries[c], r->agency[c]);
    for (size_t k = 0; k < r->budget.nlines; k++) {
        const struct budget_line *line = &r->budget.lines[r->order[k]];

        if (r->country[r->order[k]] != c)
            continue;
        fprintf(out, "  line %-8s %16s  %zu organisations  %s%s%s\n",
                line->code, money_format(amount, line->amount, decimals, 1),
                sums[r->order[k]].parts, line->description,
                *line->excluded ? "; excluded: " : "", line->excluded);
    }
    for (size_t o = 0; o < n; o++) {
        int64_t a = r->country_amount[c * n + o];

        if (!takes_part(r, c, o))
            continue;
        total += a;
        if (strcmp(organisation_code(r, o), r->agency[c]) == 0)
            own = a;
        fprintf(out, "    %-14s %16s\n", organisation_code(r, o),
                money_format(amount, a, decimals, 1));
    }
    fprintf(out, "    %-14s %16s  (%s's own share %s; the others owe it %s)\n",
            "total", money_format(amount, total, decimals, 1), r->agency[c],
            money_format(own_text, own, decimals, 1),
            money_format(owed, total - own, decimals, 1));
}

static void print_organisations(FILE *out, const struct lcssb_result *r)
{
    char amount[MONEY_FORMAT_MAX];
    int64_t total = 0;

    fprintf(out, "\n%-14s %9s %18s\n", "organisation", "countries", "amount");
    for (size_t o = 0; o < r->headcount.norganisations; o++) {
        if (r->organisation_countries[o] == 0)
            continue;
        total += r->organisation_amount[o];
        fprintf(out, "%-14s %9zu %18s\n", organisation_code(r, o),
                r->organisation_countries[o],
                money_format(amount, r->organisation_amount[o],
                             r->model->decimals, 1));
    }
    fprintf(out, "%-14s %9s %18s\n\n", "total", "",
            money_format(amount, total, r->model->decimals, 1));
}

void lcssb_print_summary(FILE *out, const struct lcssb_result *r)
{
    const struct model *m = r->model;
    struct line_sums *sums = sum_lines(r);
    char total[MONEY_FORMAT_MAX], budget[MONEY_FORMAT_MAX];
    size_t lines_ok = 0;

    fprintf(out, "costshare %s: model %s (lcssb), period %s, %s\n",
            COSTSHARE_VERSION, m->name, m->period, m->currency);
    fprintf(out,
            "method: each line of a country's budget shared by in-country "
            "headcount, %s basis;\n        lines apportioned one by one, "
            "every total a sum of line cells\n",
            model_basis_name(m->basis));
    print_inputs(out, r);
    for (size_t c = 0; c < r->headcount.ncountries; c++)
        if (has_lines(r, c))
            print_country(out, r, sums, c);
    print_organisations(out, r);

    for (size_t l = 0; l < r->budget.nlines; l++)
        lines_ok += sums[l].amount == r->budget.lines[l].amount &&
                    sums[l].percent == ALLOCATE_PERCENT_WHOLE;
    fprintf(out,
            "check: cells sum to their line and share_pct to 100.0000 for "
            "%zu of %zu lines: %s\n",
            lines_ok, r->budget.nlines,
            lines_ok == r->budget.nlines ? "ok" : "FAILED");
    fprintf(out,
            "check: every country's organisations sum to its lines: "
            "%s\n",
            count_countries_footing(r) == 0 ? "ok" : "FAILED");
    fprintf(out, "check: organisations sum to %s, budget %s: %s\n",
            money_format(total, r->total, m->decimals, 1),
            money_format(budget, r->budget.total, m->decimals, 1),
            r->total == r->budget.total ? "ok" : "FAILED");
    free(sums);
}
