/*
 * Unit tests of lcssb: a two-country model run line by line, its totals,
 * footing checks and CSV files, and the errors and warnings of invalid
 * budgets.
 *
 * tests/unit/data/lcssb.ini reads, in persons, KEN: UNDP 30, UNHCR 20,
 * UNICEF 10 and UGA: UNDP 15, UNICEF 10, WFP 5, with UNDP administering
 * KEN and UNICEF administering UGA.  Its budget, in file order:
 *   UGA SOC 300.00; KEN SOC 1000.00; UGA ARV -90.00;
 *   KEN LSA 600.00 excluding UNHCR; UGA GRD 50.00 including WFP and UNDP.
 * Every expected amount below was worked out by hand (largest remainder,
 * ties to the lower organisation code) and checked with an exact
 * computation in Python's fractions module.
 *
 * The error cases write a budget and agency table to a mkdtemp folder,
 * beside a copy of the fixture's headcount, so each case shows its rows.
 */
#include <CUnit/CUnit.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "lcssb.h"
#include "model.h"
#include "suites.h"

#define COUNT(array) (sizeof(array) / sizeof((array)[0]))

#define FIXTURE "tests/unit/data/lcssb.ini"
#define FIXTURE_HEADCOUNT "tests/unit/data/lcssb-headcount.csv"

/* Organisation ids are in byte order of the codes, countries likewise. */
enum { UNDP, UNHCR, UNICEF, WFP, NORGANISATIONS };
enum { KEN, UGA, NCOUNTRIES };

/* The cells of the fixture, by country, line code and organisation. */
static const struct {
    const char *country;
    const char *line;
    const char *organisation;
    int64_t headcount;
    int64_t percent; /* 10^-4 per cent */
    int64_t amount;  /* cents */
} fixture_cells[] = {
    {"KEN", "LSA", "UNDP", 30, 750000, 45000},
    {"KEN", "LSA", "UNICEF", 10, 250000, 15000},
    {"KEN", "SOC", "UNDP", 30, 500000, 50000},
    {"KEN", "SOC", "UNHCR", 20, 333330, 33333},
    {"KEN", "SOC", "UNICEF", 10, 166670, 16667},
    {"UGA", "ARV", "UNDP", 15, 500000, -4500},
    {"UGA", "ARV", "UNICEF", 10, 333333, -3000},
    {"UGA", "ARV", "WFP", 5, 166667, -1500},
    {"UGA", "GRD", "UNDP", 15, 750000, 3750},
    {"UGA", "GRD", "WFP", 5, 250000, 1250},
    {"UGA", "SOC", "UNDP", 15, 500000, 15000},
    {"UGA", "SOC", "UNICEF", 10, 333333, 10000},
    {"UGA", "SOC", "WFP", 5, 166667, 5000},
};

/* Per country, then organisation: the sums of the cells, in cents. */
static const int64_t fixture_country_amounts[NCOUNTRIES][NORGANISATIONS] = {
    {95000, 33333, 31667, 0},
    {14250, 0, 7000, 4750},
};

static const int64_t fixture_organisation_amounts[NORGANISATIONS] = {
    109250, 33333, 38667, 4750};
static const size_t fixture_organisation_countries[NORGANISATIONS] = {2, 1, 2,
                                                                      1};

/* Load the fixture model into M and run it into R.  Returns what
 * lcssb_run() returns, or -3 when the model does not load. */
static int run_fixture(struct model *m, struct lcssb_result *r, struct diag *d)
{
    memset(r, 0, sizeof *r);
    if (model_load(m, FIXTURE, d) != 0)
        return -3;
    return lcssb_run(r, m, d);
}

static void release_run(struct model *m, struct lcssb_result *r)
{
    lcssb_result_release(r);
    model_release(m);
}

/* Return the content of PATH as a string the caller frees, or NULL. */
static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *text;
    long size;

    if (f == NULL)
        return NULL;
    if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
        fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return NULL;
    }
    text = malloc((size_t)size + 1);
    if (text != NULL && fread(text, 1, (size_t)size, f) != (size_t)size) {
        free(text);
        text = NULL;
    }
    if (text != NULL)
        text[size] = '\0';
    fclose(f);
    return text;
}

static int write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");

    if (f == NULL)
        return -1;
    fputs(text, f);
    return fclose(f);
}

/* The first entry of D at LEVEL whose message contains TEXT, or a
 * placeholder entry with line -1 when there is none. */
static struct diag_entry entry_with(const struct diag *d,
                                    enum diag_level level, const char *text)
{
    static char none_text[] = "(no such diagnostic)";
    struct diag_entry none = {DIAG_NOTE, none_text, -1, -1, none_text};

    for (size_t i = 0; i < d->count; i++)
        if (d->entries[i].level == level &&
            strstr(d->entries[i].message, text) != NULL)
            return d->entries[i];
    return none;
}

static size_t count_level(const struct diag *d, enum diag_level level)
{
    size_t n = 0;

    for (size_t i = 0; i < d->count; i++)
        n += d->entries[i].level == level;
    return n;
}

/* Return the amount of the cell of line CODE in COUNTRY for
 * ORGANISATION, or -1 when R has no such cell. */
static int64_t cell_amount(const struct lcssb_result *r, const char *country,
                           const char *code, const char *organisation)
{
    for (size_t i = 0; i < r->ncells; i++) {
        const struct lcssb_cell *c = &r->cells[i];
        const struct budget_line *line = &r->budget.lines[c->line];

        if (strcmp(line->country, country) == 0 &&
            strcmp(line->code, code) == 0 &&
            strcmp(r->headcount.organisations[c->organisation],
                   organisation) == 0)
            return c->amount;
    }
    return -1;
}

static void test_fixture_cells(void)
{
    struct model m;
    struct lcssb_result r;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(run_fixture(&m, &r, &d), 0);
    CU_ASSERT_EQUAL(d.count, 0);
    CU_ASSERT_EQUAL_FATAL(r.ncells, COUNT(fixture_cells));
    for (size_t i = 0; i < COUNT(fixture_cells); i++) {
        const struct lcssb_cell *c = &r.cells[i];
        const struct budget_line *line = &r.budget.lines[c->line];

        CU_ASSERT_STRING_EQUAL(line->country, fixture_cells[i].country);
        CU_ASSERT_STRING_EQUAL(line->code, fixture_cells[i].line);
        CU_ASSERT_STRING_EQUAL(r.headcount.organisations[c->organisation],
                               fixture_cells[i].organisation);
        CU_ASSERT_EQUAL(c->headcount, fixture_cells[i].headcount);
        CU_ASSERT_EQUAL(c->percent, fixture_cells[i].percent);
        CU_ASSERT_EQUAL(c->amount, fixture_cells[i].amount);
        CU_ASSERT_EQUAL(c->rule, ALLOCATE_PRO_RATA);
    }
    release_run(&m, &r);
    diag_release(&d);
}

/* Budget lines in file order are UGA SOC, KEN SOC, UGA ARV, KEN LSA and
 * UGA GRD. */
static void test_fixture_order(void)
{
    static const size_t order[] = {3, 1, 2, 4, 0};
    static const size_t country[] = {UGA, KEN, UGA, KEN, UGA};
    struct model m;
    struct lcssb_result r;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(run_fixture(&m, &r, &d), 0);
    CU_ASSERT_EQUAL_FATAL(r.budget.nlines, COUNT(order));
    for (size_t k = 0; k < COUNT(order); k++) {
        CU_ASSERT_EQUAL(r.order[k], order[k]);
        CU_ASSERT_EQUAL(r.country[k], country[k]);
    }
    CU_ASSERT_EQUAL_FATAL(r.headcount.ncountries, NCOUNTRIES);
    CU_ASSERT_STRING_EQUAL(r.agency[KEN], "UNDP");
    CU_ASSERT_STRING_EQUAL(r.agency[UGA], "UNICEF");
    CU_ASSERT_EQUAL(strlen(r.agencies_sha256), 64);
    release_run(&m, &r);
    diag_release(&d);
}

static void test_country_totals(void)
{
    struct model m;
    struct lcssb_result r;
    struct diag d;
    int64_t sums[NCOUNTRIES][NORGANISATIONS] = {{0}};

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(run_fixture(&m, &r, &d), 0);
    CU_ASSERT_EQUAL_FATAL(r.headcount.norganisations, NORGANISATIONS);
    CU_ASSERT_EQUAL_FATAL(r.headcount.ncountries, NCOUNTRIES);
    for (size_t i = 0; i < r.ncells; i++)
        sums[r.country[r.cells[i].line]][r.cells[i].organisation] +=
            r.cells[i].amount;
    for (size_t c = 0; c < NCOUNTRIES; c++) {
        for (size_t o = 0; o < NORGANISATIONS; o++) {
            int64_t amount = r.country_amount[c * NORGANISATIONS + o];

            CU_ASSERT_EQUAL(amount, fixture_country_amounts[c][o]);
            CU_ASSERT_EQUAL(amount, sums[c][o]);
        }
    }
    release_run(&m, &r);
    diag_release(&d);
}

static void test_organisation_totals(void)
{
    struct model m;
    struct lcssb_result r;
    struct diag d;
    int64_t sums[NORGANISATIONS] = {0}, total = 0;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(run_fixture(&m, &r, &d), 0);
    CU_ASSERT_EQUAL_FATAL(r.headcount.norganisations, NORGANISATIONS);
    for (size_t i = 0; i < r.ncells; i++)
        sums[r.cells[i].organisation] += r.cells[i].amount;
    for (size_t o = 0; o < NORGANISATIONS; o++) {
        CU_ASSERT_EQUAL(r.organisation_amount[o],
                        fixture_organisation_amounts[o]);
        CU_ASSERT_EQUAL(r.organisation_amount[o], sums[o]);
        CU_ASSERT_EQUAL(r.organisation_countries[o],
                        fixture_organisation_countries[o]);
        total += sums[o];
    }
    CU_ASSERT_EQUAL(r.total, 186000);
    CU_ASSERT_EQUAL(r.total, total);
    CU_ASSERT_EQUAL(r.budget.total, 186000);
    release_run(&m, &r);
    diag_release(&d);
}

/* UNHCR has no staff in UGA, and WFP none in KEN.  KEN LSA excludes
 * UNHCR, and UGA GRD includes only WFP and UNDP. */
static void test_no_cell_without_part(void)
{
    struct model m;
    struct lcssb_result r;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(run_fixture(&m, &r, &d), 0);
    for (size_t i = 0; i < r.ncells; i++) {
        size_t country = r.country[r.cells[i].line];
        size_t organisation = r.cells[i].organisation;

        CU_ASSERT(!(country == UGA && organisation == UNHCR));
        CU_ASSERT(!(country == KEN && organisation == WFP));
        CU_ASSERT_NOT_EQUAL(r.cells[i].headcount, 0);
    }
    CU_ASSERT_EQUAL(cell_amount(&r, "KEN", "LSA", "UNHCR"), -1);
    CU_ASSERT_EQUAL(cell_amount(&r, "UGA", "GRD", "UNICEF"), -1);
    release_run(&m, &r);
    diag_release(&d);
}

/* -90.00 among 15, 10 and 5 persons is the mirror of 90.00, and its
 * share_pct column is positive. */
static void test_negative_line_mirrors(void)
{
    struct model m;
    struct lcssb_result r;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(run_fixture(&m, &r, &d), 0);
    CU_ASSERT_EQUAL(cell_amount(&r, "UGA", "ARV", "UNDP"), -4500);
    CU_ASSERT_EQUAL(cell_amount(&r, "UGA", "ARV", "UNICEF"), -3000);
    CU_ASSERT_EQUAL(cell_amount(&r, "UGA", "ARV", "WFP"), -1500);
    for (size_t i = 0; i < r.ncells; i++)
        CU_ASSERT(r.cells[i].percent > 0);
    release_run(&m, &r);
    diag_release(&d);
}

static void test_check_passes(void)
{
    struct model m;
    struct lcssb_result r;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(run_fixture(&m, &r, &d), 0);
    CU_ASSERT_EQUAL(lcssb_check(&r, &d), 0);
    CU_ASSERT_EQUAL(d.count, 0);
    release_run(&m, &r);
    diag_release(&d);
}

static void test_check_catches_one_cent(void)
{
    struct model m;
    struct lcssb_result r;
    struct diag d;
    struct diag_entry e;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(run_fixture(&m, &r, &d), 0);
    CU_ASSERT_EQUAL_FATAL(r.ncells, COUNT(fixture_cells));
    r.cells[3].amount += 1; /* KEN SOC UNHCR */
    CU_ASSERT_EQUAL(lcssb_check(&r, &d), -1);
    e = entry_with(&d, DIAG_ERROR, "footing check failed");
    CU_ASSERT_EQUAL(e.level, DIAG_ERROR);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.message, "SOC of KEN"));
    CU_ASSERT_PTR_NOT_NULL(strstr(e.message, "1,000.01"));
    release_run(&m, &r);
    diag_release(&d);
}

static void test_check_catches_percent(void)
{
    struct model m;
    struct lcssb_result r;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(run_fixture(&m, &r, &d), 0);
    CU_ASSERT_EQUAL_FATAL(r.ncells, COUNT(fixture_cells));
    r.cells[9].percent -= 1; /* UGA GRD WFP */
    CU_ASSERT_EQUAL(lcssb_check(&r, &d), -1);
    CU_ASSERT_EQUAL(d.errors, 1);
    release_run(&m, &r);
    diag_release(&d);
}

static void test_check_catches_totals(void)
{
    struct model m;
    struct lcssb_result r;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(run_fixture(&m, &r, &d), 0);
    r.country_amount[UGA * NORGANISATIONS + WFP] += 1;
    CU_ASSERT_EQUAL(lcssb_check(&r, &d), -1);
    r.country_amount[UGA * NORGANISATIONS + WFP] -= 1;
    r.organisation_amount[UNHCR] -= 1;
    CU_ASSERT_EQUAL(lcssb_check(&r, &d), -1);
    CU_ASSERT_EQUAL(d.errors, 2);
    release_run(&m, &r);
    diag_release(&d);
}

/* The four files, byte for byte.  TZA has an agency but no staff, so it
 * appears nowhere.  Each agency's own share is left out of the last. */
static const struct {
    const char *name;
    const char *expected;
} report_files[] = {
    {"lcssb_lines.csv", "country,line,organisation,headcount,share_pct,"
                        "amount\n"
                        "KEN,LSA,UNDP,30,75.0000,450.00\n"
                        "KEN,LSA,UNICEF,10,25.0000,150.00\n"
                        "KEN,SOC,UNDP,30,50.0000,500.00\n"
                        "KEN,SOC,UNHCR,20,33.3330,333.33\n"
                        "KEN,SOC,UNICEF,10,16.6670,166.67\n"
                        "UGA,ARV,UNDP,15,50.0000,-45.00\n"
                        "UGA,ARV,UNICEF,10,33.3333,-30.00\n"
                        "UGA,ARV,WFP,5,16.6667,-15.00\n"
                        "UGA,GRD,UNDP,15,75.0000,37.50\n"
                        "UGA,GRD,WFP,5,25.0000,12.50\n"
                        "UGA,SOC,UNDP,15,50.0000,150.00\n"
                        "UGA,SOC,UNICEF,10,33.3333,100.00\n"
                        "UGA,SOC,WFP,5,16.6667,50.00\n"},
    {"lcssb_countries.csv", "country,organisation,amount\n"
                            "KEN,UNDP,950.00\n"
                            "KEN,UNHCR,333.33\n"
                            "KEN,UNICEF,316.67\n"
                            "UGA,UNDP,142.50\n"
                            "UGA,UNICEF,70.00\n"
                            "UGA,WFP,47.50\n"},
    {"lcssb_organisations.csv", "organisation,countries,amount\n"
                                "UNDP,2,1092.50\n"
                                "UNHCR,1,333.33\n"
                                "UNICEF,2,386.67\n"
                                "WFP,1,47.50\n"},
    {"lcssb_agencies.csv", "country,administering_agency,organisation,"
                           "amount_owed\n"
                           "KEN,UNDP,UNHCR,333.33\n"
                           "KEN,UNDP,UNICEF,316.67\n"
                           "UGA,UNICEF,UNDP,142.50\n"
                           "UGA,UNICEF,WFP,47.50\n"},
};

static void test_reports_exact_bytes(void)
{
    char dir[] = "/tmp/costshare-lcssb-XXXXXX";
    char path[64];
    struct model m;
    struct lcssb_result r;
    struct diag d;

    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(run_fixture(&m, &r, &d), 0);
    CU_ASSERT_EQUAL(lcssb_write_reports(dir, &r, &d), 0);
    CU_ASSERT_EQUAL(d.count, 0);
    for (size_t i = 0; i < COUNT(report_files); i++) {
        char *text;

        snprintf(path, sizeof path, "%s/%s", dir, report_files[i].name);
        text = read_text(path);
        CU_ASSERT_PTR_NOT_NULL(text);
        if (text != NULL)
            CU_ASSERT_STRING_EQUAL(text, report_files[i].expected);
        free(text);
        unlink(path);
    }
    CU_ASSERT_EQUAL(rmdir(dir), 0);
    release_run(&m, &r);
    diag_release(&d);
}

/* A case folder: the budget file as messages name it. */
struct lcssb_case {
    char dir[32];
    char budget[64];
};

/* The agencies of the fixture, for cases that do not change them. */
#define AGENCIES "country,agency\nKEN,UNDP\nUGA,UNICEF\n"

/* The header of every case's budget.  Its rows start on line 2, and the
 * excluded and included lists are fields 5 and 6. */
#define BUDGET_HEADER "country,line,description,amount,excluded,included\n"

/*
 * Write a model, a copy of the fixture's headcount, BUDGET and AGENCIES
 * to a new folder, load the model into M and run it into R, then remove
 * the folder.  Returns what lcssb_run() returns, or -3 when a file cannot
 * be written or the model does not load.
 */
static int run_case(struct model *m, struct lcssb_result *r,
                    struct lcssb_case *c, const char *budget,
                    const char *agencies, struct diag *d)
{
    static const char *const names[] = {"model.ini", "headcount.csv",
                                        "budget.csv", "agencies.csv"};
    char *headcount = read_text(FIXTURE_HEADCOUNT);
    const char *texts[COUNT(names)];
    char paths[COUNT(names)][64];
    int status = -3, written = headcount != NULL;

    memset(r, 0, sizeof *r);
    texts[0] = "[model]\nname = unit-lcssb-case\nkind = lcssb\n"
               "period = 2020\ncurrency = USD\n"
               "[headcount]\nfile = headcount.csv\n"
               "[budget]\nfile = budget.csv\n"
               "[agencies]\nfile = agencies.csv\n"
               "[rules]\nbasis = total\n";
    texts[1] = headcount;
    texts[2] = budget;
    texts[3] = agencies;
    strcpy(c->dir, "/tmp/costshare-lcssb-XXXXXX");
    if (mkdtemp(c->dir) == NULL) {
        free(headcount);
        return -3;
    }
    for (size_t i = 0; i < COUNT(names); i++) {
        snprintf(paths[i], sizeof paths[i], "%s/%s", c->dir, names[i]);
        if (written && write_text(paths[i], texts[i]) != 0)
            written = 0;
    }
    snprintf(c->budget, sizeof c->budget, "%s", paths[2]);
    if (written && model_load(m, paths[0], d) == 0)
        status = lcssb_run(r, m, d);
    for (size_t i = 0; i < COUNT(names); i++)
        unlink(paths[i]);
    rmdir(c->dir);
    free(headcount);
    return status;
}

static void test_unknown_excluded_organisation(void)
{
    struct lcssb_case c;
    struct model m;
    struct lcssb_result r;
    struct diag d;
    struct diag_entry e;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(run_case(&m, &r, &c,
                                   BUDGET_HEADER
                                   "KEN,SOC,Centre,100.00,,\n"
                                   "KEN,LSA,Assistants,60.00,UNHCR;UNOPS,\n",
                                   AGENCIES, &d),
                          -1);
    CU_ASSERT_EQUAL(d.errors, 1);
    e = entry_with(&d, DIAG_ERROR, "unknown organisation \"UNOPS\"");
    CU_ASSERT_STRING_EQUAL(e.file, c.budget);
    CU_ASSERT_EQUAL(e.line, 3);
    CU_ASSERT_EQUAL(e.column, 5);
    release_run(&m, &r);
    diag_release(&d);
}

/* The included list "WFP; xyz" is read as WFP and XYZ, with a warning
 * for the case change. */
static void test_unknown_included_organisation(void)
{
    struct lcssb_case c;
    struct model m;
    struct lcssb_result r;
    struct diag d;
    struct diag_entry e;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(run_case(&m, &r, &c,
                                   BUDGET_HEADER
                                   "UGA,SOC,Centre,100.00,,\"WFP; xyz\"\n",
                                   AGENCIES, &d),
                          -1);
    CU_ASSERT_EQUAL(d.errors, 1);
    e = entry_with(&d, DIAG_ERROR, "unknown organisation \"XYZ\"");
    CU_ASSERT_STRING_EQUAL(e.file, c.budget);
    CU_ASSERT_EQUAL(e.line, 2);
    CU_ASSERT_EQUAL(e.column, 6);
    e = entry_with(&d, DIAG_WARNING, "read as \"XYZ\"");
    CU_ASSERT_EQUAL(e.line, 2);
    CU_ASSERT_EQUAL(e.column, 6);
    release_run(&m, &r);
    diag_release(&d);
}

static void test_country_without_headcount(void)
{
    struct lcssb_case c;
    struct model m;
    struct lcssb_result r;
    struct diag d;
    struct diag_entry e;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(run_case(&m, &r, &c,
                                   BUDGET_HEADER "KEN,SOC,Centre,100.00,,\n"
                                                 "TZA,SOC,Centre,100.00,,\n",
                                   AGENCIES "TZA,WFP\n", &d),
                          -1);
    CU_ASSERT_EQUAL(d.errors, 1);
    e = entry_with(&d, DIAG_ERROR, "country \"TZA\" has no headcount");
    CU_ASSERT_STRING_EQUAL(e.file, c.budget);
    CU_ASSERT_EQUAL(e.line, 3);
    CU_ASSERT_EQUAL(e.column, 1);
    release_run(&m, &r);
    diag_release(&d);
}

static void test_country_without_agency(void)
{
    struct lcssb_case c;
    struct model m;
    struct lcssb_result r;
    struct diag d;
    struct diag_entry e;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(run_case(&m, &r, &c,
                                   BUDGET_HEADER "KEN,SOC,Centre,100.00,,\n"
                                                 "UGA,SOC,Centre,100.00,,\n",
                                   "country,agency\nKEN,UNDP\n", &d),
                          -1);
    CU_ASSERT_EQUAL(d.errors, 1);
    e = entry_with(&d, DIAG_ERROR,
                   "country \"UGA\" has no administering agency");
    CU_ASSERT_STRING_EQUAL(e.file, c.budget);
    CU_ASSERT_EQUAL(e.line, 3);
    CU_ASSERT_EQUAL(e.column, 1);
    release_run(&m, &r);
    diag_release(&d);
}

static void test_second_agency_rejected(void)
{
    struct lcssb_case c;
    struct model m;
    struct lcssb_result r;
    struct diag d;
    struct diag_entry e;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(run_case(&m, &r, &c,
                                   BUDGET_HEADER "KEN,SOC,Centre,100.00,,\n",
                                   AGENCIES "KEN,UNICEF\n", &d),
                          -1);
    e = entry_with(&d, DIAG_ERROR, "second administering agency");
    CU_ASSERT_EQUAL(e.line, 4);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.message, "first on line 2"));
    release_run(&m, &r);
    diag_release(&d);
}

static void test_line_with_nobody_left(void)
{
    struct lcssb_case c;
    struct model m;
    struct lcssb_result r;
    struct diag d;
    struct diag_entry e;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(
        run_case(&m, &r, &c,
                 BUDGET_HEADER
                 "KEN,SOC,Centre,100.00,\"UNDP,UNHCR,UNICEF\",\n",
                 AGENCIES, &d),
        -1);
    CU_ASSERT_EQUAL(d.errors, 1);
    e = entry_with(&d, DIAG_ERROR, "cannot be shared");
    CU_ASSERT_STRING_EQUAL(e.file, c.budget);
    CU_ASSERT_EQUAL(e.line, 2);
    CU_ASSERT_EQUAL(e.column, 5);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.message, "\"SOC\" of KEN"));
    CU_ASSERT_PTR_NOT_NULL(strstr(e.message, "no organisation with staff"));
    release_run(&m, &r);
    diag_release(&d);
}

/* UNHCR has no staff in UGA, so a line that includes only UNHCR has
 * nobody to share it: a warning for the name, an error for the line. */
static void test_included_nobody_with_staff(void)
{
    struct lcssb_case c;
    struct model m;
    struct lcssb_result r;
    struct diag d;
    struct diag_entry e;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(
        run_case(&m, &r, &c, BUDGET_HEADER "UGA,SOC,Centre,100.00,,UNHCR\n",
                 AGENCIES, &d),
        -1);
    CU_ASSERT_EQUAL(d.errors, 1);
    CU_ASSERT_EQUAL(entry_with(&d, DIAG_WARNING, "no staff").line, 2);
    e = entry_with(&d, DIAG_ERROR, "cannot be shared");
    CU_ASSERT_EQUAL(e.line, 2);
    CU_ASSERT_EQUAL(e.column, 6);
    release_run(&m, &r);
    diag_release(&d);
}

/* A line of 0.00 that nobody is left to share is the same error as any
 * other such line. */
static void test_zero_line_nobody_left(void)
{
    struct lcssb_case c;
    struct model m;
    struct lcssb_result r;
    struct diag d;
    int status;

    diag_init(&d);
    status = run_case(&m, &r, &c,
                      BUDGET_HEADER
                      "KEN,SOC,Centre,100.00,,\n"
                      "KEN,NIL,Placeholder,0.00,\"UNDP,UNHCR,UNICEF\",\n",
                      AGENCIES, &d);
    CU_ASSERT_NOT_EQUAL_FATAL(status, -3);
    CU_ASSERT_EQUAL(status, -1);
    CU_ASSERT_EQUAL(entry_with(&d, DIAG_ERROR, "cannot be shared").line, 3);

    /* Whatever the run returns, it must not hand over a result that fails
     * its own footing check. */
    if (status == 0)
        CU_ASSERT_EQUAL(lcssb_check(&r, &d), 0);
    release_run(&m, &r);
    diag_release(&d);
}

/* A line of 0.00 with staff to share it: every cell is 0 and share_pct
 * follows the headcount 30:20:10. */
static void test_zero_line_by_headcount(void)
{
    static const int64_t percents[] = {500000, 333333, 166667};
    struct lcssb_case c;
    struct model m;
    struct lcssb_result r;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(
        run_case(&m, &r, &c, BUDGET_HEADER "KEN,NIL,Placeholder,0.00,,\n",
                 AGENCIES, &d),
        0);
    CU_ASSERT_EQUAL_FATAL(r.ncells, COUNT(percents));
    for (size_t i = 0; i < COUNT(percents); i++) {
        CU_ASSERT_EQUAL(r.cells[i].amount, 0);
        CU_ASSERT_EQUAL(r.cells[i].percent, percents[i]);
    }
    CU_ASSERT_EQUAL(lcssb_check(&r, &d), 0);
    release_run(&m, &r);
    diag_release(&d);
}

static void test_both_lists_rejected(void)
{
    struct lcssb_case c;
    struct model m;
    struct lcssb_result r;
    struct diag d;
    struct diag_entry e;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(run_case(&m, &r, &c,
                                   BUDGET_HEADER
                                   "KEN,SOC,Centre,100.00,,\n"
                                   "KEN,LSA,Assistants,60.00,UNHCR,UNDP\n",
                                   AGENCIES, &d),
                          -1);
    CU_ASSERT_EQUAL(d.errors, 1);
    e = entry_with(&d, DIAG_ERROR, "lists both excluded and included");
    CU_ASSERT_STRING_EQUAL(e.file, c.budget);
    CU_ASSERT_EQUAL(e.line, 3);
    CU_ASSERT_EQUAL(e.column, 6);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.message, "\"LSA\" of KEN"));
    release_run(&m, &r);
    diag_release(&d);
}

/* Excluding WFP, which has no staff in KEN, changes nothing: the line is
 * shared 30:20:10 as without the list. */
static void test_excluded_without_staff_warns(void)
{
    struct lcssb_case c;
    struct model m;
    struct lcssb_result r;
    struct diag d;
    struct diag_entry e;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(
        run_case(&m, &r, &c, BUDGET_HEADER "KEN,SOC,Centre,100.00,WFP,\n",
                 AGENCIES, &d),
        0);
    CU_ASSERT_EQUAL(d.errors, 0);
    CU_ASSERT_EQUAL(count_level(&d, DIAG_WARNING), 1);
    e = entry_with(&d, DIAG_WARNING, "\"WFP\" has no staff");
    CU_ASSERT_STRING_EQUAL(e.file, c.budget);
    CU_ASSERT_EQUAL(e.line, 2);
    CU_ASSERT_EQUAL(e.column, 5);
    CU_ASSERT_EQUAL(cell_amount(&r, "KEN", "SOC", "UNDP"), 5000);
    CU_ASSERT_EQUAL(cell_amount(&r, "KEN", "SOC", "UNHCR"), 3333);
    CU_ASSERT_EQUAL(cell_amount(&r, "KEN", "SOC", "UNICEF"), 1667);
    release_run(&m, &r);
    diag_release(&d);
}

/* " unhcr ;; " names UNHCR once: spaces trimmed, empty names skipped,
 * the case change reported. */
static void test_exclusion_list_spelling(void)
{
    struct lcssb_case c;
    struct model m;
    struct lcssb_result r;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(run_case(&m, &r, &c,
                                   BUDGET_HEADER
                                   "KEN,SOC,Centre,100.00,\" unhcr ;; \",\n",
                                   AGENCIES, &d),
                          0);
    CU_ASSERT_EQUAL(d.errors, 0);
    CU_ASSERT_EQUAL(entry_with(&d, DIAG_WARNING, "read as \"UNHCR\"").line, 2);
    CU_ASSERT_EQUAL(cell_amount(&r, "KEN", "SOC", "UNDP"), 7500);
    CU_ASSERT_EQUAL(cell_amount(&r, "KEN", "SOC", "UNHCR"), -1);
    CU_ASSERT_EQUAL(cell_amount(&r, "KEN", "SOC", "UNICEF"), 2500);
    release_run(&m, &r);
    diag_release(&d);
}

int suite_lcssb(void)
{
    static const struct {
        const char *name;
        CU_TestFunc function;
    } tests[] = {
        {"fixture cells", test_fixture_cells},
        {"fixture order", test_fixture_order},
        {"country totals", test_country_totals},
        {"organisation totals", test_organisation_totals},
        {"no cell without part", test_no_cell_without_part},
        {"negative line mirrors", test_negative_line_mirrors},
        {"check passes", test_check_passes},
        {"check catches one cent", test_check_catches_one_cent},
        {"check catches percent", test_check_catches_percent},
        {"check catches totals", test_check_catches_totals},
        {"reports exact bytes", test_reports_exact_bytes},
        {"unknown excluded organisation", test_unknown_excluded_organisation},
        {"unknown included organisation", test_unknown_included_organisation},
        {"country without headcount", test_country_without_headcount},
        {"country without agency", test_country_without_agency},
        {"second agency rejected", test_second_agency_rejected},
        {"line with nobody left", test_line_with_nobody_left},
        {"included nobody with staff", test_included_nobody_with_staff},
        {"zero line nobody left", test_zero_line_nobody_left},
        {"zero line by headcount", test_zero_line_by_headcount},
        {"both lists rejected", test_both_lists_rejected},
        {"excluded without staff warns", test_excluded_without_staff_warns},
        {"exclusion list spelling", test_exclusion_list_spelling},
    };
    CU_pSuite suite = CU_add_suite("lcssb", NULL, NULL);

    if (suite == NULL)
        return -1;
    for (size_t i = 0; i < COUNT(tests); i++) {
        if (CU_add_test(suite, tests[i].name, tests[i].function) == NULL)
            return -1;
    }
    return 0;
}
