/*
 * Unit tests of budget: the pool from one amount or from the lines of a
 * budget file, with control totals, footer rows, duplicate line codes,
 * overflow, a preamble above the header and the exclusion lists.  Each
 * case writes its model and budget file to a mkdtemp folder, so the test
 * shows the lines that its expected line numbers point at.
 */
#include <CUnit/CUnit.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "budget.h"
#include "diag.h"
#include "model.h"
#include "suites.h"

#define COUNT(array) (sizeof(array) / sizeof((array)[0]))

/* Model lines before the [budget] keys a case adds, which start on
 * line 9. */
#define MODEL_HEAD                                                            \
    "[model]\n"                                                               \
    "name = unit-budget\n"                                                    \
    "kind = jfa\n"                                                            \
    "period = 2020\n"                                                         \
    "currency = USD\n"                                                        \
    "[headcount]\n"                                                           \
    "file = headcount.csv\n"                                                  \
    "[budget]\n"
#define MODEL_TAIL                                                            \
    "[rules]\n"                                                               \
    "basis = total\n"

/* A case folder: the model and budget file in it, as messages name
 * them. */
struct budget_case {
    char dir[32];
    char model[64];
    char csv[64];
};

static int write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");

    if (f == NULL)
        return -1;
    fputs(text, f);
    return fclose(f);
}

/*
 * Write the model (MODEL_HEAD, then KEYS, then MODEL_TAIL) and, unless
 * CSV is NULL, budget.csv into a new folder, load the model and its
 * budget, then remove the folder.  Returns what budget_load() returns, or
 * -3 when a file cannot be written or the model does not load.
 */
static int load_case(struct budget *b, struct budget_case *c, const char *keys,
                     const char *csv, struct diag *d)
{
    char text[1024];
    struct model m;
    int status = -3;

    memset(b, 0, sizeof *b);
    strcpy(c->dir, "/tmp/costshare-budget-XXXXXX");
    if (mkdtemp(c->dir) == NULL)
        return -3;
    snprintf(c->model, sizeof c->model, "%s/model.ini", c->dir);
    snprintf(c->csv, sizeof c->csv, "%s/budget.csv", c->dir);
    snprintf(text, sizeof text, "%s%s%s", MODEL_HEAD, keys, MODEL_TAIL);
    if (write_text(c->model, text) == 0 &&
        (csv == NULL || write_text(c->csv, csv) == 0) &&
        model_load(&m, c->model, d) == 0) {
        status = budget_load(b, &m, d);
        model_release(&m);
    }
    unlink(c->csv);
    unlink(c->model);
    rmdir(c->dir);
    return status;
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

static void test_amount_in_model(void)
{
    struct budget_case c;
    struct budget b;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL(load_case(&b, &c, "amount = 1,234.56\n", NULL, &d), 0);
    CU_ASSERT_EQUAL(d.count, 0);
    CU_ASSERT_EQUAL(b.total, 123456);
    CU_ASSERT_EQUAL(b.from_file, 0);
    CU_ASSERT_EQUAL(b.nlines, 0);
    CU_ASSERT_PTR_NULL(b.lines);
    CU_ASSERT_STRING_EQUAL(b.sha256, "");
    CU_ASSERT_EQUAL(b.has_footer, 0);
    budget_release(&b);
    diag_release(&d);
}

/* 10.54 + 8.44 is 18.979999999999997 in binary floating point. */
static void test_lines_sum_exactly(void)
{
    struct budget_case c;
    struct budget b;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(load_case(&b, &c, "file = budget.csv\n",
                                    "line,description,amount\n"
                                    "A1,Guards,10.54\n"
                                    "A2,Radios,8.44\n",
                                    &d),
                          0);
    CU_ASSERT_EQUAL(d.count, 0);
    CU_ASSERT_EQUAL(b.total, 1898);
    CU_ASSERT_EQUAL(b.from_file, 1);
    CU_ASSERT_EQUAL(b.skipped, 0);
    CU_ASSERT_EQUAL(b.country_field, 0);
    CU_ASSERT_EQUAL_FATAL(b.nlines, 2);
    CU_ASSERT_STRING_EQUAL(b.lines[0].code, "A1");
    CU_ASSERT_STRING_EQUAL(b.lines[0].description, "Guards");
    CU_ASSERT_STRING_EQUAL(b.lines[0].object, "");
    CU_ASSERT_STRING_EQUAL(b.lines[0].country, "");
    CU_ASSERT_EQUAL(b.lines[0].amount, 1054);
    CU_ASSERT_EQUAL(b.lines[0].line, 2);
    CU_ASSERT_STRING_EQUAL(b.lines[1].code, "A2");
    CU_ASSERT_EQUAL(b.lines[1].amount, 844);
    CU_ASSERT_EQUAL(b.lines[1].line, 3);
    budget_release(&b);
    diag_release(&d);
}

/* Ten dimes are 0.9999999999999999 when summed as doubles. */
static void test_ten_dimes(void)
{
    struct budget_case c;
    struct budget b;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(load_case(&b, &c, "file = budget.csv\n",
                                    "line,amount\n"
                                    "L01,0.10\nL02,0.10\nL03,0.10\n"
                                    "L04,0.10\nL05,0.10\nL06,0.10\n"
                                    "L07,0.10\nL08,0.10\nL09,0.10\n"
                                    "L10,0.10\n",
                                    &d),
                          0);
    CU_ASSERT_EQUAL(b.total, 100);
    CU_ASSERT_EQUAL(b.nlines, 10);
    budget_release(&b);
    diag_release(&d);
}

static void test_control_total_matches(void)
{
    struct budget_case c;
    struct budget b;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL(load_case(&b, &c,
                              "file = budget.csv\n"
                              "control_total = 18.98\n",
                              "line,amount\nA1,10.54\nA2,8.44\n", &d),
                    0);
    CU_ASSERT_EQUAL(d.count, 0);
    CU_ASSERT_EQUAL(b.total, 1898);
    budget_release(&b);
    diag_release(&d);
}

static void test_control_total_differs(void)
{
    struct budget_case c;
    struct budget b;
    struct diag d;
    struct diag_entry e;

    diag_init(&d);
    CU_ASSERT_EQUAL(load_case(&b, &c,
                              "file = budget.csv\n"
                              "control_total = 1,018.99\n",
                              "line,amount\nA1,1010.54\nA2,8.44\n", &d),
                    -1);
    CU_ASSERT_EQUAL(d.errors, 1);
    e = entry_with(&d, DIAG_ERROR, "control_total");
    CU_ASSERT_STRING_EQUAL(e.file, c.model);
    CU_ASSERT_EQUAL(e.line, 10);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.message, "1,018.99"));
    CU_ASSERT_PTR_NOT_NULL(strstr(e.message, "1,018.98"));
    CU_ASSERT_EQUAL(b.nlines, 0);
    CU_ASSERT_PTR_NULL(b.lines);
    budget_release(&b);
    diag_release(&d);
}

/* A "Total" row has no line code.  The line column is the second field
 * here, so the error points at field 2. */
static void test_footer_rejected(void)
{
    struct budget_case c;
    struct budget b;
    struct diag d;
    struct diag_entry e;

    diag_init(&d);
    CU_ASSERT_EQUAL(load_case(&b, &c, "file = budget.csv\n",
                              "description,line,amount\n"
                              "Guards,A1,10.54\n"
                              "Radios,A2,8.44\n"
                              "Total,,18.98\n",
                              &d),
                    -1);
    CU_ASSERT_EQUAL(d.errors, 1);
    e = entry_with(&d, DIAG_ERROR, "missing budget line code");
    CU_ASSERT_STRING_EQUAL(e.file, c.csv);
    CU_ASSERT_EQUAL(e.line, 4);
    CU_ASSERT_EQUAL(e.column, 2);
    CU_ASSERT_EQUAL(b.has_footer, 0);
    budget_release(&b);
    diag_release(&d);
}

static void test_footer_control_total(void)
{
    struct budget_case c;
    struct budget b;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(load_case(&b, &c,
                                    "file = budget.csv\n"
                                    "footer = control-total\n",
                                    "description,line,amount\n"
                                    "Guards,A1,10.54\n"
                                    "Radios,A2,8.44\n"
                                    "Total,,18.98\n",
                                    &d),
                          0);
    CU_ASSERT_EQUAL(d.count, 0);
    CU_ASSERT_EQUAL(b.has_footer, 1);
    CU_ASSERT_EQUAL(b.total, 1898);
    CU_ASSERT_EQUAL(b.nlines, 2);
    budget_release(&b);
    diag_release(&d);
}

static void test_footer_total_differs(void)
{
    struct budget_case c;
    struct budget b;
    struct diag d;
    struct diag_entry e;

    diag_init(&d);
    CU_ASSERT_EQUAL(load_case(&b, &c,
                              "file = budget.csv\n"
                              "footer = control-total\n",
                              "description,line,amount\n"
                              "Guards,A1,10.54\n"
                              "Radios,A2,8.44\n"
                              "Total,,19.00\n",
                              &d),
                    -1);
    CU_ASSERT_EQUAL(d.errors, 1);
    e = entry_with(&d, DIAG_ERROR, "control total");
    CU_ASSERT_STRING_EQUAL(e.file, c.csv);
    CU_ASSERT_EQUAL(e.line, 4);
    CU_ASSERT_EQUAL(e.column, 3);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.message, "19.00"));
    CU_ASSERT_PTR_NOT_NULL(strstr(e.message, "18.98"));
    budget_release(&b);
    diag_release(&d);
}

/* Only the last row may be the footer: a subtotal row above it is an
 * error even with footer = control-total. */
static void test_footer_not_last(void)
{
    struct budget_case c;
    struct budget b;
    struct diag d;
    struct diag_entry e;

    diag_init(&d);
    CU_ASSERT_EQUAL(load_case(&b, &c,
                              "file = budget.csv\n"
                              "footer = control-total\n",
                              "line,description,amount\n"
                              "A1,Guards,10.54\n"
                              ",Subtotal,10.54\n"
                              "A2,Radios,8.44\n",
                              &d),
                    -1);
    CU_ASSERT_EQUAL(d.errors, 1);
    e = entry_with(&d, DIAG_ERROR, "missing budget line code");
    CU_ASSERT_EQUAL(e.line, 3);
    CU_ASSERT_EQUAL(e.column, 1);
    budget_release(&b);
    diag_release(&d);
}

static void test_duplicate_line_code(void)
{
    struct budget_case c;
    struct budget b;
    struct diag d;
    struct diag_entry e;

    diag_init(&d);
    CU_ASSERT_EQUAL(load_case(&b, &c, "file = budget.csv\n",
                              "line,amount\n"
                              "A1,1.00\n"
                              "A2,2.00\n"
                              "A1,3.00\n",
                              &d),
                    -1);
    CU_ASSERT_EQUAL(d.errors, 1);
    e = entry_with(&d, DIAG_ERROR, "duplicate budget line \"A1\"");
    CU_ASSERT_STRING_EQUAL(e.file, c.csv);
    CU_ASSERT_EQUAL(e.line, 4);
    CU_ASSERT_EQUAL(e.column, 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.message, "first seen on line 2"));
    budget_release(&b);
    diag_release(&d);
}

static void test_same_code_two_countries(void)
{
    struct budget_case c;
    struct budget b;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(load_case(&b, &c, "file = budget.csv\n",
                                    "country,line,amount\n"
                                    "KEN,SOC,100.00\n"
                                    "UGA,SOC,50.25\n",
                                    &d),
                          0);
    CU_ASSERT_EQUAL(d.count, 0);
    CU_ASSERT_EQUAL(b.total, 15025);
    CU_ASSERT_EQUAL(b.country_field, 1);
    CU_ASSERT_EQUAL_FATAL(b.nlines, 2);
    CU_ASSERT_STRING_EQUAL(b.lines[0].country, "KEN");
    CU_ASSERT_STRING_EQUAL(b.lines[1].country, "UGA");
    budget_release(&b);
    diag_release(&d);
}

/* The country is compared after upper-casing, so "ken" repeats KEN. */
static void test_same_code_one_country(void)
{
    struct budget_case c;
    struct budget b;
    struct diag d;
    struct diag_entry e;

    diag_init(&d);
    CU_ASSERT_EQUAL(load_case(&b, &c, "file = budget.csv\n",
                              "country,line,amount\n"
                              "KEN,SOC,100.00\n"
                              "UGA,SOC,50.25\n"
                              "ken,SOC,1.00\n",
                              &d),
                    -1);
    CU_ASSERT_EQUAL(d.errors, 1);
    e = entry_with(&d, DIAG_ERROR, "duplicate budget line \"SOC\"");
    CU_ASSERT_EQUAL(e.line, 4);
    CU_ASSERT_EQUAL(e.column, 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.message, "KEN"));
    CU_ASSERT_PTR_NOT_NULL(strstr(e.message, "first seen on line 2"));
    budget_release(&b);
    diag_release(&d);
}

/* 92233720368547758.07 is INT64_MAX cents: one more cent overflows. */
static void test_sum_overflows(void)
{
    struct budget_case c;
    struct budget b;
    struct diag d;
    struct diag_entry e;

    diag_init(&d);
    CU_ASSERT_EQUAL(load_case(&b, &c, "file = budget.csv\n",
                              "line,amount\n"
                              "A1,92233720368547758.07\n"
                              "A2,0.01\n",
                              &d),
                    -1);
    CU_ASSERT_EQUAL(d.errors, 1);
    e = entry_with(&d, DIAG_ERROR, "overflows");
    CU_ASSERT_STRING_EQUAL(e.file, c.csv);
    CU_ASSERT_EQUAL(e.line, 3);
    CU_ASSERT_EQUAL(e.column, 2);
    budget_release(&b);
    diag_release(&d);

    /* Down to INT64_MIN the sum fits. */
    diag_init(&d);
    CU_ASSERT_EQUAL(load_case(&b, &c, "file = budget.csv\n",
                              "line,amount\n"
                              "A1,-92233720368547758.07\n"
                              "A2,-0.01\n",
                              &d),
                    0);
    CU_ASSERT_EQUAL(b.total, INT64_MIN);
    budget_release(&b);
    diag_release(&d);
}

/* Large amounts that cancel out never overflow in file order. */
static void test_large_lines_cancel(void)
{
    struct budget_case c;
    struct budget b;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL(load_case(&b, &c, "file = budget.csv\n",
                              "line,amount\n"
                              "A1,92233720368547758.07\n"
                              "A2,-0.01\n"
                              "A3,0.01\n",
                              &d),
                    0);
    CU_ASSERT_EQUAL(b.total, INT64_MAX);
    budget_release(&b);
    diag_release(&d);
}

/* The SHA-256 was computed over the same bytes with Python's hashlib. */
static void test_header_below_preamble(void)
{
    struct budget_case c;
    struct budget b;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(load_case(&b, &c, "file = budget.csv\n",
                                    "Security budget 2020\n"
                                    "Prepared by DSS, 3 March\n"
                                    "\n"
                                    "line,description,amount\n"
                                    "A1,Guards,1.00\n"
                                    "A2,Radios,2.50\n",
                                    &d),
                          0);
    CU_ASSERT_EQUAL(d.errors, 0);
    CU_ASSERT_EQUAL(b.skipped, 3);
    CU_ASSERT_EQUAL(b.total, 350);
    CU_ASSERT_STRING_EQUAL(b.sha256, "989c0f8c51c67db30e9170ace0e4bc6d"
                                     "209263e13eb1181bd86ea70ccaea56ab");
    CU_ASSERT_EQUAL_FATAL(b.nlines, 2);
    CU_ASSERT_EQUAL(b.lines[0].line, 5);
    CU_ASSERT_EQUAL(b.lines[1].line, 6);
    CU_ASSERT_EQUAL(entry_with(&d, DIAG_WARNING, "skipped").line, 1);
    budget_release(&b);
    diag_release(&d);
}

/* The lists are kept as written (inner spaces, case and separators), and
 * each remembers the physical line its cell starts on: the description of
 * A2 spans lines 3 and 4, so its included list is on line 4. */
static void test_lists_stored_as_written(void)
{
    struct budget_case c;
    struct budget b;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(
        load_case(&b, &c, "file = budget.csv\n",
                  "line,description,amount,excluded,"
                  "included\n"
                  "A1,Guards,5.00,\"unicef; WFP\",\n"
                  "A2,\"Night\nguards\",7.00,,\"UNDP,UNHCR\"\n"
                  "A3,Radios,1.00,,\n",
                  &d),
        0);
    CU_ASSERT_EQUAL(d.errors, 0);
    CU_ASSERT_EQUAL(b.excluded_field, 4);
    CU_ASSERT_EQUAL(b.included_field, 5);
    CU_ASSERT_EQUAL_FATAL(b.nlines, 3);
    CU_ASSERT_STRING_EQUAL(b.lines[0].excluded, "unicef; WFP");
    CU_ASSERT_STRING_EQUAL(b.lines[0].included, "");
    CU_ASSERT_EQUAL(b.lines[0].excluded_line, 2);
    CU_ASSERT_STRING_EQUAL(b.lines[1].description, "Night\nguards");
    CU_ASSERT_STRING_EQUAL(b.lines[1].excluded, "");
    CU_ASSERT_STRING_EQUAL(b.lines[1].included, "UNDP,UNHCR");
    CU_ASSERT_EQUAL(b.lines[1].line, 3);
    CU_ASSERT_EQUAL(b.lines[1].included_line, 4);
    CU_ASSERT_STRING_EQUAL(b.lines[2].excluded, "");
    CU_ASSERT_STRING_EQUAL(b.lines[2].included, "");
    CU_ASSERT_EQUAL(b.lines[2].line, 5);
    CU_ASSERT_EQUAL(b.total, 1300);
    budget_release(&b);
    diag_release(&d);
}

static void test_object_column(void)
{
    struct budget_case c;
    struct budget b;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(load_case(&b, &c, "file = budget.csv\n",
                                    "line,object,amount\n"
                                    "A1,posts,5.00\n",
                                    &d),
                          0);
    CU_ASSERT_EQUAL_FATAL(b.nlines, 1);
    CU_ASSERT_STRING_EQUAL(b.lines[0].object, "posts");
    budget_release(&b);
    diag_release(&d);
}

static void test_no_lines_below_header(void)
{
    struct budget_case c;
    struct budget b;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL(
        load_case(&b, &c, "file = budget.csv\n", "line,amount\n", &d), -1);
    CU_ASSERT_EQUAL(d.errors, 1);
    CU_ASSERT_EQUAL(entry_with(&d, DIAG_ERROR, "no budget lines").line, 0);
    budget_release(&b);
    diag_release(&d);
}

static void test_missing_budget_file(void)
{
    struct budget_case c;
    struct budget b;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL(load_case(&b, &c, "file = budget.csv\n", NULL, &d), -2);
    CU_ASSERT_EQUAL(d.errors, 1);
    CU_ASSERT_EQUAL(b.nlines, 0);
    budget_release(&b);
    diag_release(&d);
}

/* Lines for the index tests, in budget order: code A in three
 * countries, the first of them sorting last, and two lines B without a
 * country, as a JFA budget has them. */
static struct budget_line index_lines[] = {
    {.code = "A", .country = "UGA"}, {.code = "A", .country = "KEN"},
    {.code = "B", .country = ""},    {.code = "A", .country = "COL"},
    {.code = "B", .country = ""},
};

static void test_index_exact_country(void)
{
    struct budget b = {.lines = index_lines, .nlines = COUNT(index_lines)};
    struct budget_index ix;

    budget_index_init(&ix, &b);
    CU_ASSERT_EQUAL(budget_index_find(&ix, "A", "UGA", 0), 0);
    CU_ASSERT_EQUAL(budget_index_find(&ix, "A", "KEN", 0), 1);
    CU_ASSERT_EQUAL(budget_index_find(&ix, "A", "COL", 0), 3);
    CU_ASSERT_EQUAL(budget_index_find(&ix, "A", "TZA", 0), -1);
    CU_ASSERT_EQUAL(budget_index_find(&ix, "A", "", 0), -1);
    CU_ASSERT_EQUAL(budget_index_find(&ix, "B", "KEN", 0), -1);
    budget_index_release(&ix);
}

static void test_index_first_in_budget_order(void)
{
    struct budget b = {.lines = index_lines, .nlines = COUNT(index_lines)};
    struct budget_index ix;

    budget_index_init(&ix, &b);
    CU_ASSERT_EQUAL(budget_index_find(&ix, "A", "", 1), 0);
    CU_ASSERT_EQUAL(budget_index_find(&ix, "B", "", 0), 2);
    CU_ASSERT_EQUAL(budget_index_find(&ix, "B", "", 1), 2);
    CU_ASSERT_EQUAL(budget_index_find(&ix, "C", "", 1), -1);
    CU_ASSERT_EQUAL(budget_index_find(&ix, "", "", 1), -1);
    budget_index_release(&ix);
}

static void test_index_no_lines(void)
{
    struct budget b = {.lines = NULL, .nlines = 0};
    struct budget_index ix;

    budget_index_init(&ix, &b);
    CU_ASSERT_EQUAL(budget_index_find(&ix, "A", "KEN", 0), -1);
    CU_ASSERT_EQUAL(budget_index_find(&ix, "A", "", 1), -1);
    budget_index_release(&ix);
}

int suite_budget(void)
{
    static const struct {
        const char *name;
        CU_TestFunc function;
    } tests[] = {
        {"amount in model", test_amount_in_model},
        {"lines sum exactly", test_lines_sum_exactly},
        {"ten dimes", test_ten_dimes},
        {"control total matches", test_control_total_matches},
        {"control total differs", test_control_total_differs},
        {"footer rejected", test_footer_rejected},
        {"footer control total", test_footer_control_total},
        {"footer total differs", test_footer_total_differs},
        {"footer not last", test_footer_not_last},
        {"duplicate line code", test_duplicate_line_code},
        {"same code two countries", test_same_code_two_countries},
        {"same code one country", test_same_code_one_country},
        {"sum overflows", test_sum_overflows},
        {"large lines cancel", test_large_lines_cancel},
        {"header below preamble", test_header_below_preamble},
        {"lists stored as written", test_lists_stored_as_written},
        {"object column", test_object_column},
        {"no lines below header", test_no_lines_below_header},
        {"missing budget file", test_missing_budget_file},
        {"index exact country", test_index_exact_country},
        {"index first in budget order", test_index_first_in_budget_order},
        {"index no lines", test_index_no_lines},
    };
    CU_pSuite suite = CU_add_suite("budget", NULL, NULL);

    if (suite == NULL)
        return -1;
    for (size_t i = 0; i < COUNT(tests); i++) {
        if (CU_add_test(suite, tests[i].name, tests[i].function) == NULL)
            return -1;
    }
    return 0;
}
