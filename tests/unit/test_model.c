/*
 * Unit tests of model: a full model file read key by key, and the errors
 * of invalid ones with the lines they point at.  Most models are written
 * from the test to a temporary file, so each case shows its lines.
 */
#include <CUnit/CUnit.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "model.h"
#include "suites.h"

#define COUNT(array) (sizeof(array) / sizeof((array)[0]))

/* The smallest valid model has 11 lines, so lines a case appends start
 * at line 12. */
#define MINIMAL_MODEL                                                         \
    "[model]\n"                                                               \
    "name = unit\n"                                                           \
    "kind = jfa\n"                                                            \
    "period = 2020\n"                                                         \
    "currency = USD\n"                                                        \
    "[headcount]\n"                                                           \
    "file = headcount.csv\n"                                                  \
    "[budget]\n"                                                              \
    "amount = 1000.00\n"                                                      \
    "[rules]\n"                                                               \
    "basis = total\n"

/*
 * Write TEXT to a temporary model file and load it.  Returns what
 * model_load() returns, or -3 when the file cannot be written.
 */
static int load_text(struct model *m, const char *text, struct diag *d)
{
    char path[] = "/tmp/costshare-model-XXXXXX";
    int fd = mkstemp(path);
    size_t len = strlen(text);
    int status;

    memset(m, 0, sizeof *m);
    if (fd < 0)
        return -3;
    if (write(fd, text, len) != (ssize_t)len) {
        close(fd);
        unlink(path);
        return -3;
    }
    close(fd);
    status = model_load(m, path, d);
    unlink(path);
    return status;
}

/* The first entry of D whose message contains TEXT, or a placeholder
 * entry with line -1 when there is none. */
static struct diag_entry entry_with(const struct diag *d, const char *text)
{
    static char no_entry[] = "(no such diagnostic)";
    struct diag_entry none = {DIAG_NOTE, no_entry, -1, -1, no_entry};

    for (size_t i = 0; i < d->count; i++)
        if (strstr(d->entries[i].message, text) != NULL)
            return d->entries[i];
    return none;
}

static size_t count_errors(const struct diag *d)
{
    size_t n = 0;

    for (size_t i = 0; i < d->count; i++)
        n += d->entries[i].level == DIAG_ERROR;
    return n;
}

static void test_full_model_section(void)
{
    struct model m;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(model_load(&m, "tests/unit/data/model-full.ini", &d),
                          0);
    CU_ASSERT_EQUAL(d.count, 0);
    CU_ASSERT_STRING_EQUAL(m.path, "tests/unit/data/model-full.ini");
    CU_ASSERT_STRING_EQUAL(m.name, "unit-full");
    CU_ASSERT_EQUAL(m.kind, MODEL_JFA);
    CU_ASSERT_STRING_EQUAL(m.period, "2020");
    CU_ASSERT_STRING_EQUAL(m.currency, "USD");
    CU_ASSERT_EQUAL(m.decimals, 2);
    model_release(&m);
    diag_release(&d);
}

static void test_full_headcount_input(void)
{
    static const char *const names[] = {"ORGCD", "ISO", "DS", "Count"};
    static const int required[] = {1, 1, 0, 1};
    struct model m;
    struct diag d;
    const struct model_input *in = &m.headcount;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(model_load(&m, "tests/unit/data/model-full.ini", &d),
                          0);
    CU_ASSERT_EQUAL(in->present, 1);
    CU_ASSERT_STRING_EQUAL(in->path, "tests/unit/data/full-headcount.csv");
    CU_ASSERT_STRING_EQUAL(in->display, "tests/unit/data/full-headcount.csv");
    CU_ASSERT_EQUAL(in->line, 10);
    CU_ASSERT_EQUAL(in->encoding, TABLE_WINDOWS_1252);
    CU_ASSERT_EQUAL(in->delimiter, ';');
    CU_ASSERT_EQUAL(in->header_line, 2);
    CU_ASSERT_EQUAL(in->number.format, MONEY_FORMAT_COMMA);
    CU_ASSERT_EQUAL(in->number.rounding, MONEY_ROUND_HALF_EVEN);
    CU_ASSERT_EQUAL(in->number.decimals, 0);
    CU_ASSERT_EQUAL_FATAL(in->ncolumns, HEADCOUNT_NCOLUMNS);
    for (size_t i = 0; i < COUNT(names); i++) {
        CU_ASSERT_STRING_EQUAL(in->columns[i].name, names[i]);
        CU_ASSERT_EQUAL(in->columns[i].required, required[i]);
    }
    model_release(&m);
    diag_release(&d);
}

static void test_full_headquarters_input(void)
{
    static const char *const names[] = {"organization", "iso", "station"};
    struct model m;
    struct diag d;
    const struct model_input *in = &m.headquarters;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(model_load(&m, "tests/unit/data/model-full.ini", &d),
                          0);
    CU_ASSERT_EQUAL(in->present, 1);
    CU_ASSERT_STRING_EQUAL(in->path,
                           "tests/unit/data/sub/../full-headquarters.csv");
    CU_ASSERT_STRING_EQUAL(in->display,
                           "tests/unit/data/full-headquarters.csv");
    CU_ASSERT_EQUAL(in->line, 22);
    CU_ASSERT_EQUAL(in->encoding, TABLE_UTF8);
    CU_ASSERT_EQUAL(in->delimiter, 0);
    CU_ASSERT_EQUAL(in->header_line, 0);
    CU_ASSERT_EQUAL_FATAL(in->ncolumns, HEADQUARTERS_NCOLUMNS);
    for (size_t i = 0; i < COUNT(names); i++) {
        CU_ASSERT_STRING_EQUAL(in->columns[i].name, names[i]);
        CU_ASSERT_EQUAL(in->columns[i].required, 1);
    }
    model_release(&m);
    diag_release(&d);
}

static void test_full_budget_input(void)
{
    static const char *const names[] = {"code", "text", "object_code", "usd"};
    static const int required[] = {1, 0, 0, 1};
    struct model m;
    struct diag d;
    const struct model_input *in = &m.budget;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(model_load(&m, "tests/unit/data/model-full.ini", &d),
                          0);
    CU_ASSERT_EQUAL(in->present, 1);
    CU_ASSERT_STRING_EQUAL(in->path, "tests/unit/data/full-budget.csv");
    CU_ASSERT_EQUAL(in->line, 28);
    CU_ASSERT_EQUAL(in->encoding, TABLE_UTF8);
    CU_ASSERT_EQUAL(in->delimiter, '\t');
    CU_ASSERT_EQUAL(in->number.format, MONEY_FORMAT_POINT);
    CU_ASSERT_EQUAL(in->number.rounding, MONEY_ROUND_HALF_UP);
    CU_ASSERT_EQUAL(in->number.decimals, 2);
    CU_ASSERT_EQUAL_FATAL(in->ncolumns, BUDGET_NCOLUMNS);
    for (size_t i = 0; i < COUNT(names); i++) {
        CU_ASSERT_STRING_EQUAL(in->columns[i].name, names[i]);
        CU_ASSERT_EQUAL(in->columns[i].required, required[i]);
    }
    CU_ASSERT_EQUAL(m.has_budget_amount, 0);
    CU_ASSERT_EQUAL(m.has_control_total, 1);
    CU_ASSERT_EQUAL(m.control_total, INT64_C(123456789));
    CU_ASSERT_EQUAL(m.footer, MODEL_FOOTER_CONTROL_TOTAL);
    model_release(&m);
    diag_release(&d);
}

static void test_full_rules(void)
{
    struct model m;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(model_load(&m, "tests/unit/data/model-full.ini", &d),
                          0);
    CU_ASSERT_EQUAL(m.basis, MODEL_BASIS_FIELD);
    CU_ASSERT_EQUAL(m.floor, 7500000);
    CU_ASSERT_EQUAL(m.cap, 30000000);

    CU_ASSERT_EQUAL_FATAL(m.nbands, 2);
    CU_ASSERT_EQUAL(m.bands[0].upper, 500000);
    CU_ASSERT_EQUAL(m.bands[0].amount, 2500000);
    CU_ASSERT_EQUAL(m.bands[1].upper, 1000000);
    CU_ASSERT_EQUAL(m.bands[1].amount, 5000000);

    CU_ASSERT_EQUAL_FATAL(m.nfixed, 2);
    CU_ASSERT_STRING_EQUAL(m.fixed[0].organisation, "UNHCR");
    CU_ASSERT_EQUAL(m.fixed[0].share, 12500000);
    CU_ASSERT_EQUAL(m.fixed[0].line, 46);
    CU_ASSERT_STRING_EQUAL(m.fixed[1].organisation, "WFP");
    CU_ASSERT_EQUAL(m.fixed[1].share, 7250000);
    CU_ASSERT_EQUAL(m.fixed[1].line, 47);
    model_release(&m);
    diag_release(&d);
}

static void test_minimal_model_defaults(void)
{
    static const char *const names[] = {"organisation", "country",
                                        "duty_station", "headcount"};
    struct model m;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(load_text(&m, MINIMAL_MODEL, &d), 0);
    CU_ASSERT_EQUAL(d.count, 0);
    CU_ASSERT_EQUAL(m.has_budget_amount, 1);
    CU_ASSERT_EQUAL(m.budget_amount, 100000);
    CU_ASSERT_EQUAL(m.budget.present, 0);
    CU_ASSERT_EQUAL(m.headquarters.present, 0);
    CU_ASSERT_EQUAL(m.basis, MODEL_BASIS_TOTAL);
    CU_ASSERT_EQUAL(m.floor, 0);
    CU_ASSERT_EQUAL(m.cap, 0);
    CU_ASSERT_EQUAL(m.nbands, 0);
    CU_ASSERT_EQUAL(m.nfixed, 0);
    CU_ASSERT_EQUAL(m.headcount.encoding, TABLE_UTF8);
    CU_ASSERT_EQUAL(m.headcount.delimiter, 0);
    CU_ASSERT_EQUAL(m.headcount.header_line, 0);
    CU_ASSERT_EQUAL(m.headcount.number.format, MONEY_FORMAT_POINT);
    CU_ASSERT_EQUAL(m.headcount.number.rounding, MONEY_ROUND_REJECT);
    CU_ASSERT_EQUAL_FATAL(m.headcount.ncolumns, HEADCOUNT_NCOLUMNS);
    for (size_t i = 0; i < COUNT(names); i++)
        CU_ASSERT_STRING_EQUAL(m.headcount.columns[i].name, names[i]);
    model_release(&m);
    diag_release(&d);
}

/* Notepad on Windows saves with a byte-order mark and CRLF line ends. */
static void test_bom_and_crlf_model(void)
{
    struct model m;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL(load_text(&m,
                              "\xEF\xBB\xBF[model]\r\n"
                              "name = unit\r\n"
                              "kind = jfa\r\n"
                              "period = 2020\r\n"
                              "currency = EUR\r\n"
                              "[headcount]\r\n"
                              "file = headcount.csv\r\n"
                              "[budget]\r\n"
                              "amount = 1000.00\r\n"
                              "[rules]\r\n"
                              "basis = total\r\n",
                              &d),
                    0);
    CU_ASSERT_EQUAL(d.count, 0);
    CU_ASSERT_STRING_EQUAL(m.currency, "EUR");
    CU_ASSERT_EQUAL(m.budget_amount, 100000);
    model_release(&m);
    diag_release(&d);
}

static void test_unknown_key(void)
{
    struct model m;
    struct diag d;
    struct diag_entry e;

    diag_init(&d);
    CU_ASSERT_EQUAL(load_text(&m, MINIMAL_MODEL "colour = red\n", &d), -1);
    CU_ASSERT_EQUAL(count_errors(&d), 1);
    e = entry_with(&d, "unknown key \"colour\" in [rules]");
    CU_ASSERT_EQUAL(e.level, DIAG_ERROR);
    CU_ASSERT_EQUAL(e.line, 12);
    model_release(&m);
    diag_release(&d);
}

static void test_unknown_section(void)
{
    struct model m;
    struct diag d;
    struct diag_entry e;

    diag_init(&d);
    CU_ASSERT_EQUAL(load_text(&m, MINIMAL_MODEL "[extras]\nnote = x\n", &d),
                    -1);
    e = entry_with(&d, "unknown section \"[extras]\"");
    CU_ASSERT_EQUAL(e.level, DIAG_ERROR);
    CU_ASSERT_EQUAL(e.line, 12);
    model_release(&m);
    diag_release(&d);
}

static void test_repeated_key(void)
{
    struct model m;
    struct diag d;
    struct diag_entry e;

    diag_init(&d);
    CU_ASSERT_EQUAL(load_text(&m, MINIMAL_MODEL "basis = field\n", &d), -1);
    e = entry_with(&d, "set twice");
    CU_ASSERT_EQUAL(e.level, DIAG_ERROR);
    CU_ASSERT_EQUAL(e.line, 12);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.message, "\"basis\""));
    CU_ASSERT_PTR_NOT_NULL(strstr(e.message, "first on line 11"));
    model_release(&m);
    diag_release(&d);
}

static void test_bad_basis_value(void)
{
    struct model m;
    struct diag d;
    struct diag_entry e;

    diag_init(&d);
    CU_ASSERT_EQUAL(load_text(&m,
                              "[model]\n"
                              "name = unit\n"
                              "kind = jfa\n"
                              "period = 2020\n"
                              "currency = USD\n"
                              "[headcount]\n"
                              "file = headcount.csv\n"
                              "[budget]\n"
                              "amount = 1000.00\n"
                              "[rules]\n"
                              "basis = sideways\n",
                              &d),
                    -1);
    CU_ASSERT_EQUAL(count_errors(&d), 1);
    e = entry_with(&d, "\"sideways\"");
    CU_ASSERT_EQUAL(e.level, DIAG_ERROR);
    CU_ASSERT_EQUAL(e.line, 11);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.message, "basis"));
    model_release(&m);
    diag_release(&d);
}

static void test_missing_required_keys(void)
{
    static const char *const expected[] = {
        "missing key \"kind\" in [model]",
        "missing key \"period\" in [model]",
        "missing key \"currency\" in [model]",
        "missing key \"file\" in [headcount]",
        "missing key \"amount\" in [budget]",
        "missing key \"basis\" in [rules]",
    };
    struct model m;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL(load_text(&m, "[model]\nname = unit\n", &d), -1);
    for (size_t i = 0; i < COUNT(expected); i++)
        CU_ASSERT_EQUAL(entry_with(&d, expected[i]).level, DIAG_ERROR);
    CU_ASSERT_EQUAL(count_errors(&d), COUNT(expected));
    model_release(&m);
    diag_release(&d);
}

static void test_budget_amount_and_file(void)
{
    struct model m;
    struct diag d;
    struct diag_entry e;

    diag_init(&d);
    CU_ASSERT_EQUAL(load_text(&m,
                              "[model]\n"
                              "name = unit\n"
                              "kind = jfa\n"
                              "period = 2020\n"
                              "currency = USD\n"
                              "[headcount]\n"
                              "file = headcount.csv\n"
                              "[budget]\n"
                              "amount = 1000.00\n"
                              "file = budget.csv\n"
                              "[rules]\n"
                              "basis = total\n",
                              &d),
                    -1);
    CU_ASSERT_EQUAL(count_errors(&d), 1);
    e = entry_with(&d, "both amount and file");
    CU_ASSERT_EQUAL(e.level, DIAG_ERROR);
    CU_ASSERT_EQUAL(e.line, 9);
    model_release(&m);
    diag_release(&d);
}

static void test_field_needs_headquarters(void)
{
    struct model m;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL(load_text(&m,
                              "[model]\n"
                              "name = unit\n"
                              "kind = jfa\n"
                              "period = 2020\n"
                              "currency = USD\n"
                              "[headcount]\n"
                              "file = headcount.csv\n"
                              "[budget]\n"
                              "amount = 1000.00\n"
                              "[rules]\n"
                              "basis = field\n",
                              &d),
                    -1);
    CU_ASSERT_EQUAL(count_errors(&d), 1);
    CU_ASSERT_EQUAL(
        entry_with(&d, "missing key \"file\" in [headquarters]").level,
        DIAG_ERROR);
    model_release(&m);
    diag_release(&d);
}

static void test_fixed_over_whole(void)
{
    struct model m;
    struct diag d;
    struct diag_entry e;

    diag_init(&d);
    CU_ASSERT_EQUAL(load_text(&m,
                              MINIMAL_MODEL "fixed = UNHCR 60\n"
                                            "fixed = WFP 40.000001\n",
                              &d),
                    -1);
    CU_ASSERT_EQUAL(count_errors(&d), 1);
    e = entry_with(&d, "more than 100 per cent");
    CU_ASSERT_EQUAL(e.level, DIAG_ERROR);
    CU_ASSERT_EQUAL(e.line, 13);
    model_release(&m);
    diag_release(&d);

    diag_init(&d);
    CU_ASSERT_EQUAL(load_text(&m,
                              MINIMAL_MODEL "fixed = UNHCR 60\n"
                                            "fixed = WFP 40\n",
                              &d),
                    0);
    CU_ASSERT_EQUAL(m.nfixed, 2);
    model_release(&m);
    diag_release(&d);
}

static void test_fixed_set_twice(void)
{
    struct model m;
    struct diag d;
    struct diag_entry e;

    diag_init(&d);
    CU_ASSERT_EQUAL(load_text(&m,
                              MINIMAL_MODEL "fixed = UNHCR 10\n"
                                            "fixed = UNHCR 12\n",
                              &d),
                    -1);
    e = entry_with(&d, "first on line 12");
    CU_ASSERT_EQUAL(e.level, DIAG_ERROR);
    CU_ASSERT_EQUAL(e.line, 13);
    model_release(&m);
    diag_release(&d);
}

static void test_bands_not_increasing(void)
{
    struct model m;
    struct diag d;
    struct diag_entry e;

    diag_init(&d);
    CU_ASSERT_EQUAL(load_text(&m,
                              MINIMAL_MODEL "band = 1 50000.00\n"
                                            "band = 0.5 25000.00\n",
                              &d),
                    -1);
    CU_ASSERT_EQUAL(count_errors(&d), 1);
    e = entry_with(&d, "increasing");
    CU_ASSERT_EQUAL(e.level, DIAG_ERROR);
    CU_ASSERT_EQUAL(e.line, 13);
    model_release(&m);
    diag_release(&d);

    diag_init(&d);
    CU_ASSERT_EQUAL(load_text(&m,
                              MINIMAL_MODEL "band = 0.5 25000.00\n"
                                            "band = 0.5 30000.00\n",
                              &d),
                    -1);
    CU_ASSERT_EQUAL(entry_with(&d, "increasing").line, 13);
    model_release(&m);
    diag_release(&d);
}

static void test_cap_above_whole(void)
{
    struct model m;
    struct diag d;
    struct diag_entry e;

    diag_init(&d);
    CU_ASSERT_EQUAL(load_text(&m, MINIMAL_MODEL "cap = 100.5\n", &d), -1);
    e = entry_with(&d, "outside 0 to 100");
    CU_ASSERT_EQUAL(e.level, DIAG_ERROR);
    CU_ASSERT_EQUAL(e.line, 12);
    model_release(&m);
    diag_release(&d);
}

static void test_unknown_currency(void)
{
    struct model m;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL(load_text(&m,
                              "[model]\n"
                              "name = unit\n"
                              "kind = jfa\n"
                              "period = 2020\n"
                              "currency = XYZ\n"
                              "[headcount]\n"
                              "file = headcount.csv\n"
                              "[budget]\n"
                              "amount = 1000\n"
                              "[rules]\n"
                              "basis = total\n",
                              &d),
                    -1);
    CU_ASSERT_EQUAL(count_errors(&d), 1);
    CU_ASSERT_EQUAL(entry_with(&d, "minor_units").level, DIAG_ERROR);
    CU_ASSERT_PTR_NOT_NULL(strstr(entry_with(&d, "XYZ").message, "XYZ"));
    model_release(&m);
    diag_release(&d);

    diag_init(&d);
    CU_ASSERT_EQUAL(load_text(&m,
                              "[model]\n"
                              "name = unit\n"
                              "kind = jfa\n"
                              "period = 2020\n"
                              "currency = XYZ\n"
                              "minor_units = 3\n"
                              "[headcount]\n"
                              "file = headcount.csv\n"
                              "[budget]\n"
                              "amount = 1000\n"
                              "[rules]\n"
                              "basis = total\n",
                              &d),
                    0);
    CU_ASSERT_EQUAL(m.decimals, 3);
    CU_ASSERT_EQUAL(m.budget_amount, 1000000);
    model_release(&m);
    diag_release(&d);
}

static void test_yen_has_no_decimals(void)
{
    struct model m;
    struct diag d;
    struct diag_entry e;

    diag_init(&d);
    CU_ASSERT_EQUAL(load_text(&m,
                              "[rules]\n"
                              "basis = total\n"
                              "floor = 75000\n"
                              "[model]\n"
                              "name = unit\n"
                              "kind = jfa\n"
                              "period = 2020\n"
                              "currency = JPY\n"
                              "[headcount]\n"
                              "file = headcount.csv\n"
                              "[budget]\n"
                              "amount = 1000000\n",
                              &d),
                    0);
    CU_ASSERT_EQUAL(model_currency_decimals("JPY"), 0);
    CU_ASSERT_EQUAL(m.decimals, 0);
    CU_ASSERT_EQUAL(m.floor, 75000);
    CU_ASSERT_EQUAL(m.budget_amount, 1000000);
    model_release(&m);
    diag_release(&d);

    /* Sen are not a unit of account: 1000.50 yen is invalid. */
    diag_init(&d);
    CU_ASSERT_EQUAL(load_text(&m,
                              "[model]\n"
                              "name = unit\n"
                              "kind = jfa\n"
                              "period = 2020\n"
                              "currency = JPY\n"
                              "[headcount]\n"
                              "file = headcount.csv\n"
                              "[budget]\n"
                              "amount = 1000.50\n"
                              "[rules]\n"
                              "basis = total\n",
                              &d),
                    -1);
    e = entry_with(&d, "1000.50");
    CU_ASSERT_EQUAL(e.level, DIAG_ERROR);
    CU_ASSERT_EQUAL(e.line, 9);
    model_release(&m);
    diag_release(&d);
}

/* An empty file name is as invalid as an empty column name. */
static void test_empty_file_value(void)
{
    struct model m;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL(load_text(&m,
                              "[model]\n"
                              "name = unit\n"
                              "kind = jfa\n"
                              "period = 2020\n"
                              "currency = USD\n"
                              "[headcount]\n"
                              "file =\n"
                              "[budget]\n"
                              "amount = 1000.00\n"
                              "[rules]\n"
                              "basis = total\n",
                              &d),
                    -1);
    CU_ASSERT_EQUAL(count_errors(&d), 1);
    CU_ASSERT_EQUAL(d.count > 0 ? d.entries[0].line : -1, 7);
    model_release(&m);
    diag_release(&d);
}

static void test_indented_line(void)
{
    struct model m;
    struct diag d;
    struct diag_entry e;

    diag_init(&d);
    CU_ASSERT_EQUAL(load_text(&m, MINIMAL_MODEL "  floor = 100.00\n", &d), -1);
    e = entry_with(&d, "indented");
    CU_ASSERT_EQUAL(e.level, DIAG_ERROR);
    CU_ASSERT_EQUAL(e.line, 12);
    model_release(&m);
    diag_release(&d);
}

/* Maximum length of a model line in bytes, its line end excluded. */
#define MAX_LINE 198

/* Return MINIMAL_MODEL followed by a comment line of LENGTH bytes and
 * line end EOL, in BUF. */
static const char *model_with_line(char *buf, size_t size, size_t length,
                                   const char *eol)
{
    size_t len;

    snprintf(buf, size, "%s;", MINIMAL_MODEL);
    len = strlen(buf);
    for (size_t i = 1; i < length && len + 1 < size; i++)
        buf[len++] = 'x';
    buf[len] = '\0';
    strncat(buf, eol, size - len - 1);
    return buf;
}

static void test_long_line_rejected(void)
{
    char text[1024];
    struct model m;
    struct diag d;
    struct diag_entry e;

    diag_init(&d);
    CU_ASSERT_EQUAL(
        load_text(&m, model_with_line(text, sizeof text, MAX_LINE + 1, "\n"),
                  &d),
        -1);
    CU_ASSERT_EQUAL(count_errors(&d), 1);
    e = entry_with(&d, "line longer than 198 bytes");
    CU_ASSERT_EQUAL(e.level, DIAG_ERROR);
    CU_ASSERT_EQUAL(e.line, 12);
    model_release(&m);
    diag_release(&d);
}

static void test_longest_line_accepted(void)
{
    char text[1024];
    struct model m;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL(
        load_text(&m, model_with_line(text, sizeof text, MAX_LINE, "\n"), &d),
        0);
    CU_ASSERT_EQUAL(d.count, 0);
    model_release(&m);
    diag_release(&d);
}

/* The limit excludes the line end, so it is the same with CRLF. */
static void test_longest_crlf_line_accepted(void)
{
    char text[1024];
    struct model m;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL(
        load_text(&m, model_with_line(text, sizeof text, MAX_LINE, "\r\n"),
                  &d),
        0);
    CU_ASSERT_EQUAL(d.count, 0);
    model_release(&m);
    diag_release(&d);
}

static void test_key_before_section(void)
{
    struct model m;
    struct diag d;
    struct diag_entry e;

    diag_init(&d);
    CU_ASSERT_EQUAL(load_text(&m, "name = unit\n" MINIMAL_MODEL, &d), -1);
    e = entry_with(&d, "before any [section]");
    CU_ASSERT_EQUAL(e.level, DIAG_ERROR);
    CU_ASSERT_EQUAL(e.line, 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.message, "\"name\""));
    model_release(&m);
    diag_release(&d);
}

static void test_missing_model_file(void)
{
    struct model m;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL(model_load(&m, "tests/unit/data/no-such-model.ini", &d),
                    -2);
    CU_ASSERT_EQUAL(count_errors(&d), 1);
    CU_ASSERT_STRING_EQUAL(d.count > 0 ? d.entries[0].file : "",
                           "tests/unit/data/no-such-model.ini");
    model_release(&m);
    diag_release(&d);
}

int suite_model(void)
{
    static const struct {
        const char *name;
        CU_TestFunc function;
    } tests[] = {
        {"full model section", test_full_model_section},
        {"full headcount input", test_full_headcount_input},
        {"full headquarters input", test_full_headquarters_input},
        {"full budget input", test_full_budget_input},
        {"full rules", test_full_rules},
        {"minimal model defaults", test_minimal_model_defaults},
        {"BOM and CRLF model", test_bom_and_crlf_model},
        {"unknown key", test_unknown_key},
        {"unknown section", test_unknown_section},
        {"repeated key", test_repeated_key},
        {"bad basis value", test_bad_basis_value},
        {"missing required keys", test_missing_required_keys},
        {"budget amount and file", test_budget_amount_and_file},
        {"field needs headquarters", test_field_needs_headquarters},
        {"fixed over whole", test_fixed_over_whole},
        {"fixed set twice", test_fixed_set_twice},
        {"bands not increasing", test_bands_not_increasing},
        {"cap above whole", test_cap_above_whole},
        {"unknown currency", test_unknown_currency},
        {"yen has no decimals", test_yen_has_no_decimals},
        {"empty file value", test_empty_file_value},
        {"indented line", test_indented_line},
        {"long line rejected", test_long_line_rejected},
        {"longest line accepted", test_longest_line_accepted},
        {"longest CRLF line accepted", test_longest_crlf_line_accepted},
        {"key before section", test_key_before_section},
        {"missing model file", test_missing_model_file},
    };
    CU_pSuite suite = CU_add_suite("model", NULL, NULL);

    if (suite == NULL)
        return -1;
    for (size_t i = 0; i < COUNT(tests); i++) {
        if (CU_add_test(suite, tests[i].name, tests[i].function) == NULL)
            return -1;
    }
    return 0;
}
