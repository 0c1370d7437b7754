/*
 * Unit tests of table: encodings, line ends, header search, strict
 * quoting, row shape and typed cells.  Inputs with bytes a text fixture
 * carries badly (CR, BOM, UTF-16, NUL, Windows-1252) are written by the
 * test to a temporary file, so each case shows its exact bytes.
 */
#include <CUnit/CUnit.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "suites.h"
#include "table.h"

#define COUNT(array) (sizeof(array) / sizeof((array)[0]))

/* A string literal and its length, NUL bytes inside included. */
#define BYTES(literal) (literal), (sizeof(literal) - 1)

/* Name the temporary inputs get in messages. */
#define DISPLAY "input.csv"

enum { ORG, COUNTRY, HEADCOUNT };
static const struct table_column headcount_columns[] = {
    {"org", 1},
    {"country", 1},
    {"headcount", 1},
};

enum { LINE, DESCRIPTION, AMOUNT };
static const struct table_column budget_columns[] = {
    {"line", 1},
    {"description", 0},
    {"amount", 1},
};

enum { NAME_ORG, NAME_COUNTRY, NAME };
static const struct table_column name_columns[] = {
    {"org", 1},
    {"country", 1},
    {"name", 0},
};

static struct table_spec spec_for(const struct table_column *columns,
                                  size_t ncolumns)
{
    struct table_spec spec;

    memset(&spec, 0, sizeof spec);
    spec.encoding = TABLE_UTF8;
    spec.columns = columns;
    spec.ncolumns = ncolumns;
    spec.number.decimals = 2;
    spec.number.format = MONEY_FORMAT_POINT;
    spec.number.rounding = MONEY_ROUND_REJECT;
    return spec;
}

static struct table_spec headcount_spec(void)
{
    return spec_for(headcount_columns, COUNT(headcount_columns));
}

static struct table_spec budget_spec(void)
{
    return spec_for(budget_columns, COUNT(budget_columns));
}

/*
 * Write LEN bytes to a temporary file and read it with SPEC, shown as
 * DISPLAY.  Returns what table_read() returns, or -3 when the temporary
 * file cannot be written.
 */
static int read_bytes(struct table *t, const char *bytes, size_t len,
                      struct table_spec spec, struct diag *d)
{
    char path[] = "/tmp/costshare-table-XXXXXX";
    int fd = mkstemp(path);
    int status;

    memset(t, 0, sizeof *t);
    if (fd < 0)
        return -3;
    if (write(fd, bytes, len) != (ssize_t)len) {
        close(fd);
        unlink(path);
        return -3;
    }
    close(fd);
    spec.path = path;
    spec.display = DISPLAY;
    status = table_read(t, &spec, d);
    unlink(path);
    return status;
}

/* Entry I of D, or a placeholder entry with line -1 when D has fewer, so
 * a missing entry fails the checks instead of crashing. */
static struct diag_entry entry_at(const struct diag *d, size_t i)
{
    static char no_entry[] = "(no such diagnostic)";
    static char no_file[] = "(no file named)";
    struct diag_entry none = {DIAG_NOTE, no_entry, -1, -1, no_entry};

    if (i >= d->count)
        return none;
    none = d->entries[i];
    if (none.file == NULL)
        none.file = no_file;
    return none;
}

static size_t count_level(const struct diag *d, enum diag_level level)
{
    size_t n = 0;

    for (size_t i = 0; i < d->count; i++)
        n += d->entries[i].level == level;
    return n;
}

/* Cell text of ROW and COL, or "" when T has no such row. */
static const char *text_at(const struct table *t, size_t row, size_t col)
{
    if (row >= t->nrows)
        return "";
    return table_cell_text(t, row, col);
}

static long row_line(const struct table *t, size_t row)
{
    return row < t->nrows ? t->rows[row].line : -1;
}

static void test_bom_at_start(void)
{
    struct table t;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL(read_bytes(&t,
                               BYTES("\xEF\xBB\xBF\"org\",country,headcount\n"
                                     "UNDP,KEN,30\n"),
                               headcount_spec(), &d),
                    0);
    CU_ASSERT_EQUAL(d.count, 0);
    CU_ASSERT_EQUAL(t.field_of[ORG], 1);
    CU_ASSERT_STRING_EQUAL(t.header[ORG], "org");
    CU_ASSERT_EQUAL(t.nrows, 1);
    CU_ASSERT_STRING_EQUAL(text_at(&t, 0, ORG), "UNDP");
    CU_ASSERT_EQUAL(row_line(&t, 0), 2);
    table_release(&t);
    diag_release(&d);
}

static void test_bom_inside_file(void)
{
    struct table t;
    struct diag d;
    struct diag_entry e;

    diag_init(&d);
    CU_ASSERT_EQUAL(read_bytes(&t,
                               BYTES("org,country,headcount\n"
                                     "UNDP,KEN,30\n"
                                     "\xEF\xBB\xBFWFP,KEN,4\n"),
                               headcount_spec(), &d),
                    -1);
    e = entry_at(&d, 0);
    CU_ASSERT_EQUAL(e.level, DIAG_ERROR);
    CU_ASSERT_STRING_EQUAL(e.file, DISPLAY);
    CU_ASSERT_EQUAL(e.line, 3);
    CU_ASSERT_EQUAL(e.column, 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.message, "unexpected byte-order mark"));
    table_release(&t);
    diag_release(&d);
}

static void test_mixed_line_ends(void)
{
    struct table t;
    struct diag d;
    struct diag_entry e;
    int64_t count = -1;

    diag_init(&d);
    CU_ASSERT_EQUAL(read_bytes(&t,
                               BYTES("org,country,headcount\r\n"
                                     "UNDP,KEN,30\r"
                                     "UNICEF,KEN,10\n"
                                     "WFP,KEN,x5\r\n"),
                               headcount_spec(), &d),
                    0);
    CU_ASSERT_EQUAL(t.nrows, 3);
    CU_ASSERT_EQUAL(row_line(&t, 0), 2);
    CU_ASSERT_EQUAL(row_line(&t, 1), 3);
    CU_ASSERT_EQUAL(row_line(&t, 2), 4);
    CU_ASSERT_STRING_EQUAL(text_at(&t, 1, ORG), "UNICEF");
    if (t.nrows == 3) {
        CU_ASSERT_EQUAL(table_cell_headcount(&t, 1, HEADCOUNT, &count, &d), 0);
        CU_ASSERT_EQUAL(count, 10);
        CU_ASSERT_EQUAL(table_cell_headcount(&t, 2, HEADCOUNT, &count, &d),
                        -1);
    }
    e = entry_at(&d, 0);
    CU_ASSERT_EQUAL(e.level, DIAG_ERROR);
    CU_ASSERT_STRING_EQUAL(e.file, DISPLAY);
    CU_ASSERT_EQUAL(e.line, 4);
    CU_ASSERT_EQUAL(e.column, 3);
    CU_ASSERT_STRING_EQUAL(e.message,
                           "invalid headcount \"x5\" in column \"headcount\"");
    table_release(&t);
    diag_release(&d);
}

static void test_cr_only_line_ends(void)
{
    struct table t;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL(read_bytes(&t,
                               BYTES("org,country,headcount\r"
                                     "UNDP,KEN,30\r"
                                     "\r"
                                     "WFP,UGA,4\r"),
                               headcount_spec(), &d),
                    0);
    CU_ASSERT_EQUAL(t.nrows, 2);
    CU_ASSERT_EQUAL(row_line(&t, 0), 2);
    CU_ASSERT_EQUAL(row_line(&t, 1), 4);
    CU_ASSERT_STRING_EQUAL(text_at(&t, 1, COUNTRY), "UGA");
    table_release(&t);
    diag_release(&d);
}

static void test_crlf_line_ends(void)
{
    struct table t;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL(read_bytes(&t,
                               BYTES("org,country,headcount\r\n"
                                     "\r\n"
                                     "UNDP,KEN,30\r\n"
                                     "WFP,UGA,4\r\n"),
                               headcount_spec(), &d),
                    0);
    CU_ASSERT_EQUAL(t.nrows, 2);
    CU_ASSERT_EQUAL(row_line(&t, 0), 3);
    CU_ASSERT_EQUAL(row_line(&t, 1), 4);
    CU_ASSERT_STRING_EQUAL(text_at(&t, 1, HEADCOUNT), "4");
    table_release(&t);
    diag_release(&d);
}

static void test_quoted_field_spans_lines(void)
{
    struct table t;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL(read_bytes(&t,
                               BYTES("line,description,amount\n"
                                     "L01,\"Travel\nto Nairobi\r\nand back\","
                                     "1200.00\n"
                                     "L02,Supplies,300.00\n"),
                               budget_spec(), &d),
                    0);
    CU_ASSERT_EQUAL(t.nrows, 2);
    CU_ASSERT_EQUAL(row_line(&t, 0), 2);
    CU_ASSERT_STRING_EQUAL(text_at(&t, 0, DESCRIPTION),
                           "Travel\nto Nairobi\r\nand back");
    if (t.nrows == 2) {
        CU_ASSERT_EQUAL(table_cell_line(&t, 0, LINE), 2);
        CU_ASSERT_EQUAL(table_cell_line(&t, 0, DESCRIPTION), 2);
        CU_ASSERT_EQUAL(table_cell_line(&t, 0, AMOUNT), 4);
        CU_ASSERT_EQUAL(table_cell_line(&t, 1, AMOUNT), 5);
    }
    CU_ASSERT_EQUAL(row_line(&t, 1), 5);
    table_release(&t);
    diag_release(&d);
}

static void test_missing_required_column(void)
{
    struct table t;
    struct diag d;
    struct diag_entry e;

    diag_init(&d);
    CU_ASSERT_EQUAL(read_bytes(&t,
                               BYTES("org,country,persons\n"
                                     "UNDP,KEN,30\n"),
                               headcount_spec(), &d),
                    -1);
    CU_ASSERT_EQUAL(count_level(&d, DIAG_ERROR), 1);
    e = entry_at(&d, 0);
    CU_ASSERT_STRING_EQUAL(e.file, DISPLAY);
    CU_ASSERT_EQUAL(e.line, 1);
    CU_ASSERT_PTR_NOT_NULL(
        strstr(e.message, "missing required column \"headcount\""));
    table_release(&t);
    diag_release(&d);
}

static void test_duplicate_column_name(void)
{
    struct table t;
    struct diag d;
    struct diag_entry e;

    diag_init(&d);
    CU_ASSERT_EQUAL(read_bytes(&t,
                               BYTES("line,description,amount,\"Amount \"\n"
                                     "L01,Travel,1200.00,1300.00\n"),
                               budget_spec(), &d),
                    -1);
    CU_ASSERT_EQUAL(d.count, 1);
    e = entry_at(&d, 0);
    CU_ASSERT_EQUAL(e.level, DIAG_ERROR);
    CU_ASSERT_STRING_EQUAL(e.file, DISPLAY);
    CU_ASSERT_EQUAL(e.line, 1);
    CU_ASSERT_EQUAL(e.column, 4);
    CU_ASSERT_STRING_EQUAL(e.message,
                           "duplicate column name \"amount\" (also column 3)");
    table_release(&t);
    diag_release(&d);
}

static void test_unnamed_columns_ignored(void)
{
    struct table t;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL(read_bytes(&t,
                               BYTES("org,country,headcount,,\n"
                                     "UNDP,KEN,30,,\n"
                                     "WFP,UGA,4, ,\n"
                                     "WHO,CHE,7\n"),
                               headcount_spec(), &d),
                    0);
    CU_ASSERT_EQUAL(d.count, 0);
    CU_ASSERT_EQUAL(t.nrows, 3);
    CU_ASSERT_STRING_EQUAL(text_at(&t, 2, ORG), "WHO");
    table_release(&t);
    diag_release(&d);
}

static void test_value_in_unnamed_column(void)
{
    struct table t;
    struct diag d;
    struct diag_entry e;

    diag_init(&d);
    CU_ASSERT_EQUAL(read_bytes(&t,
                               BYTES("org,country,headcount,,\n"
                                     "UNDP,KEN,30,,\n"
                                     "WFP,UGA,4,,note\n"),
                               headcount_spec(), &d),
                    -1);
    CU_ASSERT_EQUAL(d.count, 1);
    e = entry_at(&d, 0);
    CU_ASSERT_EQUAL(e.level, DIAG_ERROR);
    CU_ASSERT_EQUAL(e.line, 3);
    CU_ASSERT_EQUAL(e.column, 5);
    CU_ASSERT_STRING_EQUAL(e.message,
                           "value \"note\" in a column that has no header");
    table_release(&t);
    diag_release(&d);
}

static void test_short_row(void)
{
    struct table t;
    struct diag d;
    struct diag_entry e;

    diag_init(&d);
    CU_ASSERT_EQUAL(read_bytes(&t,
                               BYTES("org,country,headcount\n"
                                     "UNDP,KEN,30\n"
                                     "WFP,UGA\n"),
                               headcount_spec(), &d),
                    -1);
    CU_ASSERT_EQUAL(d.count, 1);
    e = entry_at(&d, 0);
    CU_ASSERT_EQUAL(e.level, DIAG_ERROR);
    CU_ASSERT_EQUAL(e.line, 3);
    CU_ASSERT_EQUAL(e.column, 3);
    CU_ASSERT_STRING_EQUAL(e.message, "missing required column \"headcount\"");
    table_release(&t);
    diag_release(&d);
}

static void test_extra_fields_hint(void)
{
    struct table t;
    struct diag d;
    struct diag_entry e;

    diag_init(&d);
    CU_ASSERT_EQUAL(read_bytes(&t,
                               BYTES("line,description,amount\n"
                                     "L01,Travel,1,200.00\n"),
                               budget_spec(), &d),
                    -1);
    CU_ASSERT_EQUAL(d.count, 1);
    e = entry_at(&d, 0);
    CU_ASSERT_EQUAL(e.level, DIAG_ERROR);
    CU_ASSERT_EQUAL(e.line, 2);
    CU_ASSERT_EQUAL(e.column, 4);
    CU_ASSERT_STRING_EQUAL(e.message,
                           "row has 4 fields but the header has 3 "
                           "(unquoted thousands separator in \"amount\"?)");
    table_release(&t);
    diag_release(&d);
}

static void test_quote_not_closed(void)
{
    struct table t;
    struct diag d;
    struct diag_entry e;

    diag_init(&d);
    CU_ASSERT_EQUAL(read_bytes(&t,
                               BYTES("line,description,amount\n"
                                     "L01,\"Travel,1200.00\n"
                                     "L02,Supplies,300.00\n"
                                     "L03,\"Printing\",50.00\n"),
                               budget_spec(), &d),
                    -1);
    CU_ASSERT_EQUAL(d.count, 1);
    e = entry_at(&d, 0);
    CU_ASSERT_EQUAL(e.level, DIAG_ERROR);
    CU_ASSERT_STRING_EQUAL(e.file, DISPLAY);
    CU_ASSERT_EQUAL(e.line, 2);
    CU_ASSERT_EQUAL(e.column, 2);
    CU_ASSERT_STRING_EQUAL(e.message,
                           "quoted field is not closed properly (text after "
                           "a closing quote on line 4)");
    table_release(&t);
    diag_release(&d);
}

static void test_quote_in_unquoted_field(void)
{
    struct table t;
    struct diag d;
    struct diag_entry e;

    diag_init(&d);
    CU_ASSERT_EQUAL(read_bytes(&t,
                               BYTES("line,description,amount\n"
                                     "L01,Travel,1200.00\n"
                                     "L02,12\" pipes,300.00\n"),
                               budget_spec(), &d),
                    -1);
    CU_ASSERT_EQUAL(d.count, 1);
    e = entry_at(&d, 0);
    CU_ASSERT_EQUAL(e.line, 3);
    CU_ASSERT_EQUAL(e.column, 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.message, "quote character inside an "
                                             "unquoted field on line 3"));
    table_release(&t);
    diag_release(&d);
}

static void test_unterminated_quote(void)
{
    struct table t;
    struct diag d;
    struct diag_entry e;

    diag_init(&d);
    CU_ASSERT_EQUAL(read_bytes(&t,
                               BYTES("line,description,amount\n"
                                     "L01,Travel,1200.00\n"
                                     "L02,Supplies,\"300.00\n"),
                               budget_spec(), &d),
                    -1);
    CU_ASSERT_EQUAL(d.count, 1);
    e = entry_at(&d, 0);
    CU_ASSERT_EQUAL(e.level, DIAG_ERROR);
    CU_ASSERT_EQUAL(e.line, 3);
    CU_ASSERT_EQUAL(e.column, 3);
    CU_ASSERT_STRING_EQUAL(e.message,
                           "unterminated quoted field (file truncated?)");
    table_release(&t);
    diag_release(&d);
}

static void test_no_final_newline(void)
{
    struct table t;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL(read_bytes(&t,
                               BYTES("org,country,headcount\n"
                                     "UNDP,KEN,30\n"
                                     "WFP,UGA,4"),
                               headcount_spec(), &d),
                    0);
    CU_ASSERT_EQUAL(t.nrows, 2);
    CU_ASSERT_EQUAL(row_line(&t, 1), 3);
    CU_ASSERT_STRING_EQUAL(text_at(&t, 1, HEADCOUNT), "4");
    table_release(&t);
    diag_release(&d);
}

static void test_delimiter_semicolon_sniffed(void)
{
    struct table t;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL(read_bytes(&t,
                               BYTES("line;description;amount\n"
                                     "L01;Travel, local;1.200,50\n"),
                               budget_spec(), &d),
                    0);
    CU_ASSERT_EQUAL(t.delimiter, ';');
    CU_ASSERT_EQUAL(t.nrows, 1);
    CU_ASSERT_STRING_EQUAL(text_at(&t, 0, DESCRIPTION), "Travel, local");
    CU_ASSERT_STRING_EQUAL(text_at(&t, 0, AMOUNT), "1.200,50");
    table_release(&t);
    diag_release(&d);
}

static void test_delimiter_tab_sniffed(void)
{
    struct table t;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL(read_bytes(&t,
                               BYTES("line\tdescription\tamount\n"
                                     "L01\tTravel, local; return\t12.50\n"),
                               budget_spec(), &d),
                    0);
    CU_ASSERT_EQUAL(t.delimiter, '\t');
    CU_ASSERT_STRING_EQUAL(text_at(&t, 0, DESCRIPTION),
                           "Travel, local; return");
    CU_ASSERT_STRING_EQUAL(text_at(&t, 0, AMOUNT), "12.50");
    table_release(&t);
    diag_release(&d);
}

/* The header contains as many commas as semicolons, so only the
 * delimiter set by the caller reads it right. */
static void test_delimiter_set_explicitly(void)
{
    static const char text[] = "line;description;amount;a,b,c\n"
                               "L01;Travel;12.50;x\n";
    struct table_spec spec = budget_spec();
    struct table t;
    struct diag d;

    diag_init(&d);
    spec.delimiter = ';';
    CU_ASSERT_EQUAL(read_bytes(&t, BYTES(text), spec, &d), 0);
    CU_ASSERT_EQUAL(t.delimiter, ';');
    CU_ASSERT_STRING_EQUAL(text_at(&t, 0, AMOUNT), "12.50");
    table_release(&t);
    diag_release(&d);

    diag_init(&d);
    spec.delimiter = ',';
    CU_ASSERT_EQUAL(read_bytes(&t, BYTES(text), spec, &d), -1);
    table_release(&t);
    diag_release(&d);
}

/* The delimiter comes from the header line, not from a title above it. */
static void test_delimiter_after_preamble(void)
{
    struct table t;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL(read_bytes(&t,
                               BYTES("Security costs 2020\n"
                                     "line;description;amount\n"
                                     "L01;Travel;12,50\n"),
                               budget_spec(), &d),
                    0);
    CU_ASSERT_EQUAL(t.delimiter, ';');
    CU_ASSERT_EQUAL(t.header_line, 2);
    CU_ASSERT_STRING_EQUAL(text_at(&t, 0, AMOUNT), "12,50");
    table_release(&t);
    diag_release(&d);
}

static void test_header_after_preamble(void)
{
    struct table t;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL(read_bytes(&t,
                               BYTES("Headcount at 31 December 2019\n"
                                     "source: CEB\n"
                                     "org,country,headcount\n"
                                     "UNDP,KEN,30\n"),
                               headcount_spec(), &d),
                    0);
    CU_ASSERT_EQUAL(t.header_line, 3);
    CU_ASSERT_EQUAL(t.skipped, 2);
    CU_ASSERT_EQUAL(t.nrows, 1);
    CU_ASSERT_EQUAL(row_line(&t, 0), 4);
    table_release(&t);
    diag_release(&d);
}

/* Write PREAMBLE title lines, then a header and one row, into BUF. */
static size_t text_with_preamble(char *buf, size_t size, int preamble)
{
    size_t len = 0;

    buf[0] = '\0';
    for (int i = 1; i <= preamble; i++)
        len += (size_t)snprintf(buf + len, size - len, "title %d\n", i);
    len += (size_t)snprintf(buf + len, size - len,
                            "org,country,headcount\nUNDP,KEN,30\n");
    return len;
}

static void test_header_search_limit(void)
{
    char text[512];
    struct table t;
    struct diag d;
    size_t len;

    diag_init(&d);
    len = text_with_preamble(text, sizeof text, TABLE_HEADER_SEARCH - 1);
    CU_ASSERT_EQUAL(read_bytes(&t, text, len, headcount_spec(), &d), 0);
    CU_ASSERT_EQUAL(t.header_line, TABLE_HEADER_SEARCH);
    table_release(&t);
    diag_release(&d);

    diag_init(&d);
    len = text_with_preamble(text, sizeof text, TABLE_HEADER_SEARCH);
    CU_ASSERT_EQUAL(read_bytes(&t, text, len, headcount_spec(), &d), -1);
    CU_ASSERT(count_level(&d, DIAG_ERROR) > 0);
    table_release(&t);
    diag_release(&d);
}

static void test_header_line_explicit(void)
{
    char text[512];
    struct table_spec spec = headcount_spec();
    struct table t;
    struct diag d;
    struct diag_entry e;
    size_t len = text_with_preamble(text, sizeof text, 22);

    diag_init(&d);
    spec.header_line = 23;
    CU_ASSERT_EQUAL(read_bytes(&t, text, len, spec, &d), 0);
    CU_ASSERT_EQUAL(t.header_line, 23);
    CU_ASSERT_EQUAL(t.skipped, 22);
    CU_ASSERT_EQUAL(t.nrows, 1);
    CU_ASSERT_STRING_EQUAL(text_at(&t, 0, HEADCOUNT), "30");
    table_release(&t);
    diag_release(&d);

    diag_init(&d);
    spec.header_line = 30;
    CU_ASSERT_EQUAL(read_bytes(&t, text, len, spec, &d), -1);
    e = entry_at(&d, 0);
    CU_ASSERT_EQUAL(e.line, 30);
    CU_ASSERT_STRING_EQUAL(e.message, "no header row starts on line 30");
    table_release(&t);
    diag_release(&d);
}

/* Encode Latin-1 TEXT into OUT as UTF-16 after a byte-order mark, and
 * return the length in bytes. */
static size_t utf16_from_latin1(unsigned char *out, const char *text,
                                int big_endian)
{
    size_t n = 0;

    out[n++] = big_endian ? 0xFE : 0xFF;
    out[n++] = big_endian ? 0xFF : 0xFE;
    for (const char *p = text; *p; p++) {
        unsigned char c = (unsigned char)*p;

        out[n++] = big_endian ? 0 : c;
        out[n++] = big_endian ? c : 0;
    }
    return n;
}

static void check_utf16(int big_endian)
{
    static const struct table_column columns[] = {
        {"org", 1},
        {"country", 1},
        {"duty_station", 0},
        {"headcount", 1},
    };
    unsigned char bytes[256];
    size_t len = utf16_from_latin1(bytes,
                                   "org\tcountry\tduty_station\theadcount\r\n"
                                   "UNDP\tTGO\tLom\xE9\t30\r\n"
                                   "WFP\tKEN\tNairobi\t4\r\n",
                                   big_endian);
    struct table t;
    struct diag d;
    int64_t count = -1;

    diag_init(&d);
    CU_ASSERT_EQUAL(read_bytes(&t, (const char *)bytes, len,
                               spec_for(columns, COUNT(columns)), &d),
                    0);
    CU_ASSERT_EQUAL(t.delimiter, '\t');
    CU_ASSERT_EQUAL(t.nrows, 2);
    CU_ASSERT_STRING_EQUAL(text_at(&t, 0, 2), "Lom\xC3\xA9");
    CU_ASSERT_EQUAL(row_line(&t, 1), 3);
    if (t.nrows == 2) {
        CU_ASSERT_EQUAL(table_cell_headcount(&t, 0, 3, &count, &d), 0);
        CU_ASSERT_EQUAL(count, 30);
    }
    table_release(&t);
    diag_release(&d);
}

static void test_utf16le_transcoded(void)
{
    check_utf16(0);
}

static void test_utf16be_transcoded(void)
{
    check_utf16(1);
}

static void test_windows_1252_rejected(void)
{
    struct table t;
    struct diag d;
    struct diag_entry e;

    diag_init(&d);
    CU_ASSERT_EQUAL(read_bytes(&t,
                               BYTES("org,country,name\n"
                                     "UNDP,KEN,Kenya\n"
                                     "UNDP,CIV,C\xF4te d'Ivoire\n"),
                               spec_for(name_columns, COUNT(name_columns)),
                               &d),
                    -1);
    e = entry_at(&d, 0);
    CU_ASSERT_EQUAL(e.level, DIAG_ERROR);
    CU_ASSERT_STRING_EQUAL(e.file, DISPLAY);
    CU_ASSERT_EQUAL(e.line, 3);
    CU_ASSERT_EQUAL(e.column, 3);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.message, "invalid UTF-8 (byte 0xF4)"));
    table_release(&t);
    diag_release(&d);
}

static void test_windows_1252_transcoded(void)
{
    struct table_spec spec = spec_for(name_columns, COUNT(name_columns));
    struct table t;
    struct diag d;

    diag_init(&d);
    spec.encoding = TABLE_WINDOWS_1252;
    CU_ASSERT_EQUAL(read_bytes(&t,
                               BYTES("org,country,name\n"
                                     "UNDP,CIV,C\xF4te d'Ivoire\n"
                                     "UNDP,EUR,\x80 zone\n"),
                               spec, &d),
                    0);
    CU_ASSERT_EQUAL(d.count, 0);
    CU_ASSERT_STRING_EQUAL(text_at(&t, 0, NAME), "C\xC3\xB4te d'Ivoire");
    CU_ASSERT_STRING_EQUAL(text_at(&t, 1, NAME), "\xE2\x82\xAC zone");
    table_release(&t);
    diag_release(&d);
}

static void test_nul_bytes_rejected(void)
{
    struct table t;
    struct diag d;
    struct diag_entry e;

    diag_init(&d);
    CU_ASSERT_EQUAL(read_bytes(&t,
                               BYTES("org,country,headcount\n"
                                     "UNDP,KEN,30\n"
                                     "WFP,KEN,4\0\n"),
                               headcount_spec(), &d),
                    -1);
    CU_ASSERT_EQUAL(d.count, 1);
    e = entry_at(&d, 0);
    CU_ASSERT_EQUAL(e.level, DIAG_ERROR);
    CU_ASSERT_EQUAL(e.line, 3);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.message, "NUL bytes"));
    table_release(&t);
    diag_release(&d);
}

static void test_code_normalised(void)
{
    struct table t;
    struct diag d;
    struct diag_entry e;
    const char *code = NULL;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(read_bytes(&t,
                                     BYTES("org,country,headcount\n"
                                           "\" unicef\xC2\xA0\",KEN,1\n"
                                           "\xE2\x80\xAFWFP,ken,2\n"
                                           "UNDP,NA,3\n"),
                                     headcount_spec(), &d),
                          0);
    CU_ASSERT_EQUAL_FATAL(t.nrows, 3);

    CU_ASSERT_EQUAL(table_cell_code(&t, 0, ORG, "organisation", &code, &d), 0);
    CU_ASSERT_STRING_EQUAL(code, "UNICEF");
    CU_ASSERT_EQUAL(d.count, 1);
    e = entry_at(&d, 0);
    CU_ASSERT_EQUAL(e.level, DIAG_WARNING);
    CU_ASSERT_STRING_EQUAL(e.file, DISPLAY);
    CU_ASSERT_EQUAL(e.line, 2);
    CU_ASSERT_EQUAL(e.column, 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.message, "\"UNICEF\""));

    CU_ASSERT_EQUAL(table_cell_code(&t, 1, ORG, "organisation", &code, &d), 0);
    CU_ASSERT_STRING_EQUAL(code, "WFP");
    CU_ASSERT_EQUAL(table_cell_code(&t, 1, COUNTRY, "country", &code, &d), 0);
    CU_ASSERT_STRING_EQUAL(code, "KEN");
    CU_ASSERT_EQUAL(d.count, 3);
    e = entry_at(&d, 1);
    CU_ASSERT_EQUAL(e.level, DIAG_WARNING);
    CU_ASSERT_EQUAL(e.line, 3);
    CU_ASSERT_EQUAL(e.column, 1);
    e = entry_at(&d, 2);
    CU_ASSERT_EQUAL(e.level, DIAG_WARNING);
    CU_ASSERT_EQUAL(e.line, 3);
    CU_ASSERT_EQUAL(e.column, 2);

    /* Codes already in normal form pass without a warning. */
    CU_ASSERT_EQUAL(table_cell_code(&t, 2, ORG, "organisation", &code, &d), 0);
    CU_ASSERT_STRING_EQUAL(code, "UNDP");
    CU_ASSERT_EQUAL(table_cell_code(&t, 2, COUNTRY, "country", &code, &d), 0);
    CU_ASSERT_STRING_EQUAL(code, "NA");
    CU_ASSERT_EQUAL(d.count, 3);
    table_release(&t);
    diag_release(&d);
}

/* Spaces around an unquoted key change it just as quoted ones do, so the
 * merge must be reported too. */
static void test_code_unquoted_spaces_warned(void)
{
    struct table t;
    struct diag d;
    struct diag_entry e;
    const char *code = NULL;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(read_bytes(&t,
                                     BYTES("org,country,headcount\n"
                                           "UNICEF ,KEN,1\n"),
                                     headcount_spec(), &d),
                          0);
    CU_ASSERT_EQUAL_FATAL(t.nrows, 1);
    CU_ASSERT_EQUAL(table_cell_code(&t, 0, ORG, "organisation", &code, &d), 0);
    CU_ASSERT_STRING_EQUAL(code, "UNICEF");
    CU_ASSERT_EQUAL(d.count, 1);
    e = entry_at(&d, 0);
    CU_ASSERT_EQUAL(e.level, DIAG_WARNING);
    CU_ASSERT_EQUAL(e.line, 2);
    CU_ASSERT_EQUAL(e.column, 1);
    table_release(&t);
    diag_release(&d);
}

static void test_code_empty_rejected(void)
{
    struct table t;
    struct diag d;
    struct diag_entry e;
    const char *code = NULL;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(read_bytes(&t,
                                     BYTES("org,country,headcount\n"
                                           "UNDP,\"\xC2\xA0\",1\n"),
                                     headcount_spec(), &d),
                          0);
    CU_ASSERT_EQUAL_FATAL(t.nrows, 1);
    CU_ASSERT_EQUAL(table_cell_code(&t, 0, COUNTRY, "country", &code, &d), -1);
    e = entry_at(&d, 0);
    CU_ASSERT_EQUAL(e.level, DIAG_ERROR);
    CU_ASSERT_EQUAL(e.line, 2);
    CU_ASSERT_EQUAL(e.column, 2);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.message, "missing country code"));
    table_release(&t);
    diag_release(&d);
}

static void test_amount_cells(void)
{
    struct table t;
    struct diag d;
    struct diag_entry e;
    int64_t amount = -1;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(read_bytes(&t,
                                     BYTES("line,description,amount\n"
                                           "L01,Travel,\"1,234.50\"\n"
                                           "L02,Printing,#N/A\n"),
                                     budget_spec(), &d),
                          0);
    CU_ASSERT_EQUAL_FATAL(t.nrows, 2);
    CU_ASSERT_EQUAL(table_cell_amount(&t, 0, AMOUNT, &amount, &d), 0);
    CU_ASSERT_EQUAL(amount, 123450);
    CU_ASSERT_EQUAL(table_cell_amount(&t, 1, AMOUNT, &amount, &d), -1);
    e = entry_at(&d, 0);
    CU_ASSERT_EQUAL(e.level, DIAG_ERROR);
    CU_ASSERT_STRING_EQUAL(e.file, DISPLAY);
    CU_ASSERT_EQUAL(e.line, 3);
    CU_ASSERT_EQUAL(e.column, 3);
    CU_ASSERT_STRING_EQUAL(e.message,
                           "Excel error value \"#N/A\" in column \"amount\"");
    table_release(&t);
    diag_release(&d);
}

static void test_headcount_cells(void)
{
    struct table t;
    struct diag d;
    struct diag_entry e;
    int64_t count = -1;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(read_bytes(&t,
                                     BYTES("org,country,headcount\n"
                                           "A,KEN,-3\n"
                                           "B,KEN,10000001\n"
                                           "C,KEN,10000000\n"
                                           "D,KEN,0\n"
                                           "E,KEN,2.5\n"),
                                     headcount_spec(), &d),
                          0);
    CU_ASSERT_EQUAL_FATAL(t.nrows, 5);

    CU_ASSERT_EQUAL(table_cell_headcount(&t, 0, HEADCOUNT, &count, &d), -1);
    e = entry_at(&d, 0);
    CU_ASSERT_EQUAL(e.line, 2);
    CU_ASSERT_EQUAL(e.column, 3);
    CU_ASSERT_STRING_EQUAL(e.message,
                           "headcount \"-3\" in column \"headcount\" must be "
                           "zero or positive");

    CU_ASSERT_EQUAL(table_cell_headcount(&t, 1, HEADCOUNT, &count, &d), -1);
    e = entry_at(&d, 1);
    CU_ASSERT_EQUAL(e.line, 3);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.message, "10000001"));

    CU_ASSERT_EQUAL(table_cell_headcount(&t, 2, HEADCOUNT, &count, &d), 0);
    CU_ASSERT_EQUAL(count, TABLE_MAX_HEADCOUNT);
    CU_ASSERT_EQUAL(table_cell_headcount(&t, 3, HEADCOUNT, &count, &d), 0);
    CU_ASSERT_EQUAL(count, 0);

    CU_ASSERT_EQUAL(table_cell_headcount(&t, 4, HEADCOUNT, &count, &d), -1);
    e = entry_at(&d, 2);
    CU_ASSERT_EQUAL(e.line, 6);
    CU_ASSERT_PTR_NOT_NULL(strstr(e.message, "\"2.5\""));
    CU_ASSERT_EQUAL(count_level(&d, DIAG_ERROR), 3);
    table_release(&t);
    diag_release(&d);
}

static void test_repeated_header_rejected(void)
{
    struct table t;
    struct diag d;
    struct diag_entry e;

    diag_init(&d);
    CU_ASSERT_EQUAL(read_bytes(&t,
                               BYTES("org,country,headcount\n"
                                     "UNDP,KEN,30\n"
                                     "org,country,headcount\n"
                                     "WFP,KEN,4\n"),
                               headcount_spec(), &d),
                    -1);
    e = entry_at(&d, 0);
    CU_ASSERT_EQUAL(e.level, DIAG_ERROR);
    CU_ASSERT_EQUAL(e.line, 3);
    table_release(&t);
    diag_release(&d);
}

/* The digest was computed with sha256sum on the fixture. */
static void test_sha256_of_file(void)
{
    struct table_spec spec = headcount_spec();
    struct table t;
    struct diag d;

    diag_init(&d);
    spec.path = "tests/unit/data/table-small.csv";
    CU_ASSERT_EQUAL_FATAL(table_read(&t, &spec, &d), 0);
    CU_ASSERT_STRING_EQUAL(t.sha256, "d988a401d1a0fe7067163e7379a4d797"
                                     "29c8f0bbe76cee715ef402f8f0bde3fe");
    CU_ASSERT_STRING_EQUAL(t.display, spec.path);
    CU_ASSERT_EQUAL(t.nrows, 2);
    CU_ASSERT_EQUAL(t.header_line, 1);
    CU_ASSERT_EQUAL(t.skipped, 0);
    CU_ASSERT_STRING_EQUAL(text_at(&t, 1, ORG), "WFP");
    table_release(&t);
    diag_release(&d);
}

static void test_missing_file(void)
{
    struct table_spec spec = headcount_spec();
    struct table t;
    struct diag d;
    struct diag_entry e;

    diag_init(&d);
    spec.path = "tests/unit/data/no-such-file.csv";
    spec.display = "no-such-file.csv";
    CU_ASSERT_EQUAL(table_read(&t, &spec, &d), -2);
    e = entry_at(&d, 0);
    CU_ASSERT_EQUAL(e.level, DIAG_ERROR);
    CU_ASSERT_STRING_EQUAL(e.file, "no-such-file.csv");
    table_release(&t);
    diag_release(&d);
}

int suite_table(void)
{
    static const struct {
        const char *name;
        CU_TestFunc function;
    } tests[] = {
        {"BOM at start dropped", test_bom_at_start},
        {"BOM inside file rejected", test_bom_inside_file},
        {"mixed line ends", test_mixed_line_ends},
        {"CR-only line ends", test_cr_only_line_ends},
        {"CRLF line ends", test_crlf_line_ends},
        {"quoted field spans lines", test_quoted_field_spans_lines},
        {"missing required column", test_missing_required_column},
        {"duplicate column name", test_duplicate_column_name},
        {"unnamed columns ignored", test_unnamed_columns_ignored},
        {"value in unnamed column", test_value_in_unnamed_column},
        {"short row", test_short_row},
        {"extra fields hint", test_extra_fields_hint},
        {"quote not closed", test_quote_not_closed},
        {"quote in unquoted field", test_quote_in_unquoted_field},
        {"unterminated quote", test_unterminated_quote},
        {"no final newline", test_no_final_newline},
        {"delimiter semicolon sniffed", test_delimiter_semicolon_sniffed},
        {"delimiter tab sniffed", test_delimiter_tab_sniffed},
        {"delimiter set explicitly", test_delimiter_set_explicitly},
        {"delimiter after preamble", test_delimiter_after_preamble},
        {"header after preamble", test_header_after_preamble},
        {"header search limit", test_header_search_limit},
        {"header line explicit", test_header_line_explicit},
        {"UTF-16LE transcoded", test_utf16le_transcoded},
        {"UTF-16BE transcoded", test_utf16be_transcoded},
        {"Windows-1252 rejected", test_windows_1252_rejected},
        {"Windows-1252 transcoded", test_windows_1252_transcoded},
        {"NUL bytes rejected", test_nul_bytes_rejected},
        {"code normalised", test_code_normalised},
        {"code unquoted spaces warned", test_code_unquoted_spaces_warned},
        {"code empty rejected", test_code_empty_rejected},
        {"amount cells", test_amount_cells},
        {"headcount cells", test_headcount_cells},
        {"repeated header rejected", test_repeated_header_rejected},
        {"sha256 of file", test_sha256_of_file},
        {"missing file", test_missing_file},
    };
    CU_pSuite suite = CU_add_suite("table", NULL, NULL);

    if (suite == NULL)
        return -1;
    for (size_t i = 0; i < COUNT(tests); i++) {
        if (CU_add_test(suite, tests[i].name, tests[i].function) == NULL)
            return -1;
    }
    return 0;
}
