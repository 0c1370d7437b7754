/*
 * roster_report: the headcount table a roster gives and the summary of
 * the records each eligibility rule left out.
 */
#include "roster_report.h"

#include <stdlib.h>
#include <string.h>

#include "money.h"
#include "report.h"
#include "util.h"

/* Return whether cell C is counted on the model's basis. */
static int counted(const struct headcount_cell *c, enum model_basis basis)
{
    return c->count > 0 && (basis == MODEL_BASIS_TOTAL || !c->headquarters);
}

static long find_organisation(const struct roster *r, const char *code)
{
    size_t lo = 0, hi = r->norganisations;

    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(r->organisations[mid].code, code);

        if (c == 0)
            return (long)mid;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

void roster_summary_init(struct roster_summary *s, const struct headcount *h,
                         const struct model *m)
{
    const struct roster *r = h->roster;

    memset(s, 0, sizeof *s);
    s->headcount = h;
    s->model = m;
    s->headquarters = xcalloc(r->norganisations ? r->norganisations : 1,
                              sizeof *s->headquarters);
    for (size_t i = 0; i < h->ncells; i++) {
        const struct headcount_cell *c = &h->cells[i];
        long o;

        if (counted(c, m->basis)) {
            s->table_total += c->count;
            s->table_rows++;
            continue;
        }
        if (!c->headquarters || m->basis != MODEL_BASIS_FIELD)
            continue;
        o = find_organisation(r, h->organisations[c->organisation]);
        if (o >= 0)
            s->headquarters[o] += c->count;
        s->total_headquarters += c->count;
    }
}

void roster_summary_release(struct roster_summary *s)
{
    free(s->headquarters);
    memset(s, 0, sizeof *s);
}

/* Records of N left out by some rule. */
static int64_t left_out(const struct roster_counts *n)
{
    return n->entity + n->contract + n->not_appointed + n->too_short;
}

int roster_summary_check(const struct roster_summary *s, struct diag *d)
{
    const struct roster *r = s->headcount->roster;
    int64_t eligible = 0;

    for (size_t i = 0; i < r->norganisations; i++) {
        const struct roster_counts *n = &r->organisations[i].n;

        eligible += n->eligible;
        if (n->eligible + left_out(n) != n->records) {
            diag_error(d, r->display, 0, 0,
                       "check failed: the %lld records of %s are not "
                       "%lld counted plus %lld left out",
                       (long long)n->records, r->organisations[i].code,
                       (long long)n->eligible, (long long)left_out(n));
            return -1;
        }
    }
    if (eligible - s->total_headquarters != s->table_total) {
        diag_error(d, r->display, 0, 0,
                   "check failed: the table sums to %lld persons, but %lld "
                   "records are counted",
                   (long long)s->table_total,
                   (long long)(eligible - s->total_headquarters));
        return -1;
    }
    return 0;
}

void roster_write_table(FILE *f, const void *summary)
{
    const struct roster_summary *s = summary;
    const struct headcount *h = s->headcount;

    fputs("organisation,country,duty_station,headcount\n", f);
    for (size_t i = 0; i < h->ncells; i++) {
        const struct headcount_cell *c = &h->cells[i];

        if (!counted(c, s->model->basis))
            continue;
        report_csv_text(f, h->organisations[c->organisation]);
        fputc(',', f);
        report_csv_text(f, h->countries[c->country]);
        fputc(',', f);
        report_csv_text(f, c->duty_station);
        fprintf(f, ",%lld\n", (long long)c->count);
    }
}

static const char *count_text(char *buf, int64_t n)
{
    return money_format(buf, n, 0, 1);
}

/* Print one row of the summary table. */
static void print_row(FILE *out, const char *name,
                      const struct roster_counts *n, int64_t headquarters,
                      int field)
{
    char a[MONEY_FORMAT_MAX], b[MONEY_FORMAT_MAX], c[MONEY_FORMAT_MAX],
        e[MONEY_FORMAT_MAX], g[MONEY_FORMAT_MAX], k[MONEY_FORMAT_MAX],
        q[MONEY_FORMAT_MAX];

    fprintf(out, "%-14s %11s %11s %9s %9s %11s %9s", name,
            count_text(a, n->records),
            count_text(b, n->eligible - headquarters),
            count_text(c, n->entity), count_text(e, n->contract),
            count_text(g, n->not_appointed), count_text(k, n->too_short));
    if (field)
        fprintf(out, " %12s", count_text(q, headquarters));
    fputc('\n', out);
}

void roster_print_summary(FILE *out, const struct roster_summary *s)
{
    const struct headcount *h = s->headcount;
    const struct roster *r = h->roster;
    const struct model_eligibility *g = &s->model->eligibility;
    int field = s->model->basis == MODEL_BASIS_FIELD;
    char as_at[11], n1[MONEY_FORMAT_MAX], n2[MONEY_FORMAT_MAX];

    date_format(g->as_at, as_at);
    fprintf(out, "headcount from the roster %s as at %s, basis %s\n",
            r->display, as_at, model_basis_name(s->model->basis));
    fprintf(out, "rules: contract types ");
    if (g->ncontract_types == 0)
        fputs("any", out);
    for (size_t i = 0; i < g->ncontract_types; i++)
        fprintf(out, "%s%s", i ? ", " : "", g->contract_types[i]);
    if (g->min_months == 0)
        fputs("; any length", out);
    else
        fprintf(out, "; at least %ld month%s", g->min_months,
                g->min_months == 1 ? "" : "s");
    fputs("; excluded entities ", out);
    if (g->nexcluded == 0)
        fputs("none", out);
    for (size_t i = 0; i < g->nexcluded; i++)
        fprintf(out, "%s%s%s%s", i ? ", " : "", g->excluded[i].organisation,
                g->excluded[i].organisation[0] ? ":" : "",
                g->excluded[i].entity);
    fputs("\n\n", out);

    fprintf(out, "%-14s %11s %11s %9s %9s %11s %9s%s\n", "organisation",
            "records", "counted", "entity", "contract", "not_on_date",
            "too_short", field ? " headquarters" : "");
    for (size_t i = 0; i < r->norganisations; i++)
        print_row(out, r->organisations[i].code, &r->organisations[i].n,
                  s->headquarters[i], field);
    print_row(out, "total", &r->total, s->total_headquarters, field);

    fprintf(out,
            "\ncheck: each organisation's records are counted or left out "
            "by one rule: ok\n");
    fprintf(out,
            "check: the table's %zu row%s sum%s to %s person%s, the records "
            "counted: ok\n",
            s->table_rows, s->table_rows == 1 ? "" : "s",
            s->table_rows == 1 ? "s" : "", count_text(n1, s->table_total),
            s->table_total == 1 ? "" : "s");
    fprintf(out, "read %s records in %u thread%s\n",
            count_text(n2, r->total.records), r->threads,
            r->threads == 1 ? "" : "s");
}

void roster_print_line(FILE *out, const struct headcount *h)
{
    const struct roster *r = h->roster;
    char a[MONEY_FORMAT_MAX], b[MONEY_FORMAT_MAX];

    if (r == NULL)
        return;
    fprintf(out,
            "headcount from the roster %s: %s records, %s eligible before "
            "the basis; costshare headcount shows who each rule left out\n",
            r->display, count_text(a, r->total.records),
            count_text(b, r->total.eligible));
}
