/*
 * html: the report as static pages.  Every text is escaped; every chart
 * is inline SVG; every link is relative within the output folder.
 */
#include "html.h"

#include <stdlib.h>
#include <string.h>

#include "report.h"
#include "statement.h"
#include "util.h"

char *html_page_name(const char *code)
{
    char *name = xmalloc(3 * strlen(code) + sizeof ".html");
    char *p = name;

    for (const unsigned char *c = (const unsigned char *)code; *c; c++) {
        if ((*c >= 'A' && *c <= 'Z') || (*c >= 'a' && *c <= 'z') ||
            (*c >= '0' && *c <= '9') || *c == '-')
            *p++ = (char)*c;
        else
            p += sprintf(p, "_%02X", *c);
    }
    /* A file name is at most 255 bytes: a long code keeps its first
     * part and a digest of the whole, so that names stay distinct. */
    if (p - name > 200) {
        char digest[65];

        sha256_hex(code, strlen(code), digest);
        p = name + 180;
        p += sprintf(p, "_%.16s", digest);
    }
    strcpy(p, ".html");
    return name;
}

static void escape(FILE *f, const char *s)
{
    for (;;) {
        /* Write the run of characters that need no escaping at once. */
        size_t plain = strcspn(s, "&<>\"");

        if (plain > 0)
            fwrite(s, 1, plain, f);
        s += plain;
        switch (*s) {
        case '\0':
            return;
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        default: /* '"' */
            fputs("&quot;", f);
        }
        s++;
    }
}

static void page_start(FILE *f, const char *title)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta "
          "charset=\"utf-8\">\n<title>",
          f);
    escape(f, title);
    fputs("</title>\n<style>\nbody{font-family:sans-serif;margin:2em;"
          "max-width:60em}\ntable{border-collapse:collapse}\n"
          "td,th{padding:2px 8px;border-bottom:1px solid #ccc}\n"
          "td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
          "tr.total td{font-weight:bold}\npre{white-space:pre-wrap}\n"
          "</style>\n</head>\n<body>\n<h1>",
          f);
    escape(f, title);
    fputs("</h1>\n", f);
}

static void page_end(FILE *f)
{
    fprintf(f, "<p><small>costshare %s</small></p>\n</body>\n</html>\n",
            COSTSHARE_VERSION);
}

/* One bar of a chart: a label and a value, its length VALUE / MAX. */
struct bar {
    const char *label;
    int64_t value; /* minor units or per-cent units */
    const char *text;
};

/* Draw horizontal bars as inline SVG, negative values to the left. */
static void bar_chart(FILE *f, const char *title, const struct bar *bars,
                      size_t n)
{
    int64_t max = 1;
    int height = (int)n * 18 + 24;

    for (size_t i = 0; i < n; i++) {
        int64_t v = bars[i].value < 0 ? -bars[i].value : bars[i].value;

        if (v > max)
            max = v;
    }
    fputs("<h2>", f);
    escape(f, title);
    fprintf(f,
            "</h2>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"760\" "
            "height=\"%d\" role=\"img\" aria-label=\"",
            height);
    escape(f, title);
    fputs("\">\n", f);
    for (size_t i = 0; i < n; i++) {
        int64_t v = bars[i].value;
        long length = (long)((v < 0 ? -v : v) * 250 / max);
        int y = (int)i * 18 + 4;

        fprintf(f, "<text x=\"0\" y=\"%d\" font-size=\"12\">", y + 12);
        escape(f, bars[i].label);
        fprintf(f,
                "</text><rect x=\"%ld\" y=\"%d\" width=\"%ld\" "
                "height=\"14\" fill=\"%s\"/><text x=\"%ld\" y=\"%d\" "
                "font-size=\"11\">",
                v < 0 ? 370 - length : 370L, y, length,
                v < 0 ? "#c0504d" : "#4f81bd", 370 + 255L, y + 12);
        escape(f, bars[i].text);
        fputs("</text>\n", f);
    }
    fputs("</svg>\n", f);
}

/* Write the page of organisation CODE: its statement, which PRINT
 * writes from DATA, escaped in a <pre>. */
static void statement_page(FILE *f, const char *code,
                           void (*print)(FILE *, const void *),
                           const void *data)
{
    char *title = xasprintf("%s: statement", code);
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);

    page_start(f, title);
    fputs("<p><a href=\"../index.html\">all organisations</a></p>\n<pre>", f);
    if (mem != NULL) {
        print(mem, data);
        fclose(mem);
        escape(f, text);
    }
    fputs("</pre>\n", f);
    page_end(f);
    free(text);
    free(title);
}

/* ---- JFA ---- */

struct jfa_pages {
    const struct jfa_result *r;
    const struct comparison *yoy;
    const struct expenditure *x;
    size_t organisation; /* for an organisation's page */
};

static void shares_table(FILE *f, const struct jfa_result *r)
{
    const struct allocation *a = &r->allocation;
    unsigned decimals = r->model->decimals;
    char amount[MONEY_FORMAT_MAX], percent[MONEY_FORMAT_MAX];
    char persons[MONEY_FORMAT_MAX];

    fputs("<h2>Shares</h2>\n<table>\n<tr><th>organisation</th>"
          "<th>headcount</th><th>share %</th><th>amount</th>"
          "<th>rule</th></tr>\n",
          f);
    for (size_t k = 0; k < r->n; k++) {
        const char *code = r->headcount.organisations[r->organisations[k]];
        char *page = html_page_name(code);

        fputs("<tr><td><a href=\"org/", f);
        escape(f, page);
        fputs("\">", f);
        escape(f, code);
        fprintf(
            f,
            "</a></td><td class=\"n\">%s</td><td class=\"n\">%s</td>"
            "<td class=\"n\">%s</td><td>%s</td></tr>\n",
            money_format(persons, r->weights[k], 0, 1),
            money_format(percent, a->percent[k], ALLOCATE_PERCENT_DECIMALS, 0),
            money_format(amount, a->amount[k], decimals, 1),
            allocate_rule_name(a->rule[k]));
        free(page);
    }
    fprintf(
        f,
        "<tr class=\"total\"><td>total</td><td></td><td "
        "class=\"n\">%s</td><td class=\"n\" id=\"total\">%s</td>"
        "<td></td></tr>\n</table>\n",
        money_format(percent, a->percent_total, ALLOCATE_PERCENT_DECIMALS, 0),
        money_format(amount, a->total, decimals, 1));
    fprintf(f, "<p>check: amounts sum to %s, pool %s: %s</p>\n",
            money_format(amount, a->total, decimals, 1),
            money_format(percent, a->pool, decimals, 1),
            a->total == a->pool ? "ok" : "FAILED");
}

static void share_chart(FILE *f, const struct jfa_result *r)
{
    struct bar *bars = xcalloc(r->n, sizeof *bars);
    char(*texts)[MONEY_FORMAT_MAX] = xcalloc(r->n, sizeof *texts);

    for (size_t k = 0; k < r->n; k++) {
        bars[k].label = r->headcount.organisations[r->organisations[k]];
        bars[k].value = r->allocation.percent[k];
        money_format(texts[k], r->allocation.percent[k],
                     ALLOCATE_PERCENT_DECIMALS, 0);
        bars[k].text = texts[k];
    }
    bar_chart(f, "Share of the pool, per cent", bars, r->n);
    free(bars);
    free(texts);
}

/* Variance by object of expenditure, when the actuals give one. */
static void variance_chart(FILE *f, const struct expenditure *x)
{
    struct bar *bars = xcalloc(x->nrows, sizeof *bars);
    char(*texts)[MONEY_FORMAT_MAX] = xcalloc(x->nrows, sizeof *texts);
    size_t n = 0;

    for (size_t i = 0; i < x->nrows; i++) {
        const struct variance_row *v = &x->rows[i];

        if (v->level != VARIANCE_OBJECT)
            continue;
        bars[n].label = v->key;
        bars[n].value = v->budget - v->actual;
        money_format(texts[n], v->budget - v->actual, x->model->decimals, 1);
        bars[n].text = texts[n];
        n++;
    }
    if (n > 0)
        bar_chart(f, "Variance by object of expenditure (budget minus actual)",
                  bars, n);
    free(bars);
    free(texts);
}

/* Changes from the previous period, or of a scenario, by organisation. */
static void change_chart(FILE *f, const char *title,
                         const struct comparison *c)
{
    struct bar *bars = xcalloc(c->n, sizeof *bars);
    char(*texts)[MONEY_FORMAT_MAX] = xcalloc(c->n, sizeof *texts);

    for (size_t i = 0; i < c->n; i++) {
        bars[i].label = c->codes[i];
        bars[i].value = c->change[c->n + i];
        money_format(texts[i], c->change[c->n + i], c->baseline->decimals, 1);
        bars[i].text = texts[i];
    }
    bar_chart(f, title, bars, c->n);
    free(bars);
    free(texts);
}

static void write_jfa_index(FILE *f, const void *data)
{
    const struct jfa_pages *p = data;
    const struct model *m = p->r->model;
    char *title =
        xasprintf("%s, period %s, %s", m->name, m->period, m->currency);

    page_start(f, title);
    share_chart(f, p->r);
    shares_table(f, p->r);
    if (p->yoy != NULL)
        change_chart(f, "Change from the previous period", p->yoy);
    if (p->x != NULL)
        variance_chart(f, p->x);
    fputs("<h2>Summary</h2>\n<pre>", f);
    {
        char *summary = NULL;
        size_t len = 0;
        FILE *mem = open_memstream(&summary, &len);

        if (mem != NULL) {
            report_print_summary(mem, p->r);
            fclose(mem);
            escape(f, summary);
        }
        free(summary);
    }
    fputs("</pre>\n", f);
    page_end(f);
    free(title);
}

/* Print the statement of the page's organisation, for statement_page(). */
static void print_jfa_statement(FILE *out, const void *data)
{
    const struct jfa_pages *p = data;

    statement_print_jfa(out, p->r,
                        p->r->headcount.organisations[p->organisation], p->yoy,
                        p->x);
}

static void write_jfa_organisation(FILE *f, const void *data)
{
    const struct jfa_pages *p = data;

    statement_page(f, p->r->headcount.organisations[p->organisation],
                   print_jfa_statement, data);
}

int html_write_jfa(const char *dir, const struct jfa_result *r,
                   const struct comparison *yoy, const struct expenditure *x,
                   struct diag *d)
{
    struct jfa_pages p = {r, yoy, x, 0};
    char *org_dir = xasprintf("%s/org", dir);
    int status = report_write_file(dir, "index.html", write_jfa_index, &p, d);

    for (size_t k = 0; k < r->n && status == 0; k++) {
        char *page =
            html_page_name(r->headcount.organisations[r->organisations[k]]);

        p.organisation = r->organisations[k];
        status =
            report_write_file(org_dir, page, write_jfa_organisation, &p, d);
        free(page);
    }
    free(org_dir);
    return status == 0 ? 0 : -2;
}

/* ---- LCSSB ---- */

struct lcssb_pages {
    const struct lcssb_result *r;
    const struct comparison *yoy;
    const struct expenditure *x;
    size_t organisation;
};

static void write_lcssb_index(FILE *f, const void *data)
{
    const struct lcssb_pages *p = data;
    const struct lcssb_result *r = p->r;
    const struct model *m = r->model;
    char *title = xasprintf("%s (LCSSB), period %s, %s", m->name, m->period,
                            m->currency);
    struct bar *bars = xcalloc(r->headcount.norganisations, sizeof *bars);
    char(*texts)[MONEY_FORMAT_MAX] =
        xcalloc(r->headcount.norganisations, sizeof *texts);
    char amount[MONEY_FORMAT_MAX];
    size_t n = 0;

    page_start(f, title);
    fputs("<h2>Organisations</h2>\n<table>\n<tr><th>organisation</th>"
          "<th>countries</th><th>amount</th></tr>\n",
          f);
    for (size_t o = 0; o < r->headcount.norganisations; o++) {
        const char *code = r->headcount.organisations[o];
        char *page;

        if (r->organisation_countries[o] == 0)
            continue;
        page = html_page_name(code);
        fputs("<tr><td><a href=\"org/", f);
        escape(f, page);
        fputs("\">", f);
        escape(f, code);
        fprintf(
            f,
            "</a></td><td class=\"n\">%zu</td><td class=\"n\">%s</td>"
            "</tr>\n",
            r->organisation_countries[o],
            money_format(amount, r->organisation_amount[o], m->decimals, 1));
        bars[n].label = code;
        bars[n].value = r->organisation_amount[o];
        money_format(texts[n], r->organisation_amount[o], m->decimals, 1);
        bars[n].text = texts[n];
        n++;
        free(page);
    }
    fprintf(f,
            "<tr class=\"total\"><td>total</td><td></td><td class=\"n\" "
            "id=\"total\">%s</td></tr>\n</table>\n",
            money_format(amount, r->total, m->decimals, 1));
    bar_chart(f, "Amount by organisation", bars, n);
    if (p->yoy != NULL)
        change_chart(f, "Change from the previous period", p->yoy);
    if (p->x != NULL)
        variance_chart(f, p->x);
    page_end(f);
    free(bars);
    free(texts);
    free(title);
}

/* Print the statement of the page's organisation, for statement_page(). */
static void print_lcssb_statement(FILE *out, const void *data)
{
    const struct lcssb_pages *p = data;

    statement_print_lcssb(out, p->r,
                          p->r->headcount.organisations[p->organisation],
                          p->yoy, p->x);
}

static void write_lcssb_organisation(FILE *f, const void *data)
{
    const struct lcssb_pages *p = data;

    statement_page(f, p->r->headcount.organisations[p->organisation],
                   print_lcssb_statement, data);
}

int html_write_lcssb(const char *dir, const struct lcssb_result *r,
                     const struct comparison *yoy, const struct expenditure *x,
                     struct diag *d)
{
    struct lcssb_pages p = {r, yoy, x, 0};
    char *org_dir = xasprintf("%s/org", dir);
    int status =
        report_write_file(dir, "index.html", write_lcssb_index, &p, d);

    for (size_t o = 0; o < r->headcount.norganisations && status == 0; o++) {
        char *page;

        if (r->organisation_countries[o] == 0)
            continue;
        page = html_page_name(r->headcount.organisations[o]);
        p.organisation = o;
        status =
            report_write_file(org_dir, page, write_lcssb_organisation, &p, d);
        free(page);
    }
    free(org_dir);
    return status == 0 ? 0 : -2;
}
