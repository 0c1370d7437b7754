/*
 * Unit tests of money: parsing, messages, formatting, checked arithmetic
 * and apportionment.  The expected apportionments were checked against an
 * exact-fraction computation.
 */
#include <CUnit/CUnit.h>
#include <stdint.h>
#include <string.h>

#include "money.h"
#include "suites.h"

__extension__ typedef unsigned __int128 test_u128;

#define COUNT(array) (sizeof(array) / sizeof((array)[0]))

/* Options for cents in the decimal-point format, rejecting rounding. */
static const struct money_parse_options cents = {2, MONEY_FORMAT_POINT,
                                                 MONEY_ROUND_REJECT, 0};

static enum money_status parse(const char *text, unsigned decimals,
                               enum money_number_format format,
                               enum money_rounding rounding, int64_t *out)
{
    struct money_parse_options options = {decimals, format, rounding, 0};

    return money_parse(text, &options, out);
}

/* Parse TEXT as cents in the decimal-point format, or return -1. */
static int64_t cents_of(const char *text)
{
    int64_t value = -1;

    if (money_parse(text, &cents, &value) != MONEY_OK)
        return -1;
    return value;
}

/* Parse TEXT as cents in the decimal-comma format, or return -1. */
static int64_t comma_cents_of(const char *text)
{
    int64_t value = -1;

    if (parse(text, 2, MONEY_FORMAT_COMMA, MONEY_ROUND_REJECT, &value) !=
        MONEY_OK)
        return -1;
    return value;
}

static const char *message_of(const char *text, const char *what,
                              const struct money_parse_options *options)
{
    static char buf[256];
    int64_t value;
    enum money_status status = money_parse(text, options, &value);

    return money_parse_message(buf, sizeof buf, status, text, what, options);
}

static void test_parse_plain(void)
{
    CU_ASSERT_EQUAL(cents_of("12.5"), 1250);
    CU_ASSERT_EQUAL(cents_of("12.34"), 1234);
    CU_ASSERT_EQUAL(cents_of("7"), 700);
    CU_ASSERT_EQUAL(cents_of("0"), 0);
    CU_ASSERT_EQUAL(cents_of("-0.00"), 0);
    CU_ASSERT_EQUAL(cents_of("-12.34"), -1234);
    CU_ASSERT_EQUAL(cents_of("1234.500"), 123450);
    CU_ASSERT_EQUAL(cents_of("007.10"), 710);
    CU_ASSERT_EQUAL(cents_of(" \t42.10\t "), 4210);
    CU_ASSERT_EQUAL(cents_of("\xC2\xA0"
                             "42.10"
                             "\xE2\x80\xAF"),
                    4210);
}

static void test_parse_keeps_out_on_error(void)
{
    int64_t value = 77;

    CU_ASSERT_EQUAL(money_parse("0.605", &cents, &value), MONEY_DECIMALS);
    CU_ASSERT_EQUAL(value, 77);
    CU_ASSERT_EQUAL(money_parse("x5", &cents, &value), MONEY_SYNTAX);
    CU_ASSERT_EQUAL(value, 77);
}

static void test_parse_sums_exactly(void)
{
    int64_t sum = 0;
    int64_t a = cents_of("10.54");
    int64_t b = cents_of("8.44");

    CU_ASSERT_EQUAL(money_add(a, b, &sum), 0);
    CU_ASSERT_EQUAL(sum, 1898);

    sum = 0;
    for (int i = 0; i < 10; i++)
        CU_ASSERT_EQUAL(money_add(sum, cents_of("0.10"), &sum), 0);
    CU_ASSERT_EQUAL(sum, 100);
}

static void test_parse_percent_sum(void)
{
    const char *texts[] = {"20.1", "44.2", "35.7"};
    int64_t sum = 0;

    for (size_t i = 0; i < COUNT(texts); i++) {
        int64_t value = 0;

        CU_ASSERT_EQUAL(
            parse(texts[i], 6, MONEY_FORMAT_POINT, MONEY_ROUND_REJECT, &value),
            MONEY_OK);
        sum += value;
    }
    CU_ASSERT_EQUAL(sum, 100000000);
}

static void test_parse_weight_15_decimals(void)
{
    int64_t value = 0;

    CU_ASSERT_EQUAL(parse("1.1818583143661", 15, MONEY_FORMAT_POINT,
                          MONEY_ROUND_REJECT, &value),
                    MONEY_OK);
    CU_ASSERT_EQUAL(value, INT64_C(1181858314366100));
    CU_ASSERT_EQUAL(parse("1.170126087450276", 15, MONEY_FORMAT_POINT,
                          MONEY_ROUND_REJECT, &value),
                    MONEY_OK);
    CU_ASSERT_EQUAL(value, INT64_C(1170126087450276));
}

static void test_parse_below_cent(void)
{
    int64_t value;

    CU_ASSERT_EQUAL(money_parse("0.605", &cents, &value), MONEY_DECIMALS);
    CU_ASSERT_STRING_EQUAL(message_of("0.605", "amount", &cents),
                           "amount \"0.605\" has digits below one cent");
}

static void test_parse_half_up(void)
{
    const enum money_rounding up = MONEY_ROUND_HALF_UP;
    int64_t value = 0;

    CU_ASSERT_EQUAL(parse("0.605", 2, MONEY_FORMAT_POINT, up, &value),
                    MONEY_OK);
    CU_ASSERT_EQUAL(value, 61);
    CU_ASSERT_EQUAL(parse("2.675", 2, MONEY_FORMAT_POINT, up, &value),
                    MONEY_OK);
    CU_ASSERT_EQUAL(value, 268);
    CU_ASSERT_EQUAL(parse("-2.675", 2, MONEY_FORMAT_POINT, up, &value),
                    MONEY_OK);
    CU_ASSERT_EQUAL(value, -268);
    CU_ASSERT_EQUAL(parse("0.6049", 2, MONEY_FORMAT_POINT, up, &value),
                    MONEY_OK);
    CU_ASSERT_EQUAL(value, 60);
    CU_ASSERT_EQUAL(parse("9.995", 2, MONEY_FORMAT_POINT, up, &value),
                    MONEY_OK);
    CU_ASSERT_EQUAL(value, 1000);
    CU_ASSERT_EQUAL(parse("2.5", 0, MONEY_FORMAT_POINT, up, &value), MONEY_OK);
    CU_ASSERT_EQUAL(value, 3);
}

static void test_parse_half_even(void)
{
    const enum money_rounding even = MONEY_ROUND_HALF_EVEN;
    int64_t value = 0;

    CU_ASSERT_EQUAL(parse("0.605", 2, MONEY_FORMAT_POINT, even, &value),
                    MONEY_OK);
    CU_ASSERT_EQUAL(value, 60);
    CU_ASSERT_EQUAL(parse("2.675", 2, MONEY_FORMAT_POINT, even, &value),
                    MONEY_OK);
    CU_ASSERT_EQUAL(value, 268);
    CU_ASSERT_EQUAL(parse("0.615", 2, MONEY_FORMAT_POINT, even, &value),
                    MONEY_OK);
    CU_ASSERT_EQUAL(value, 62);
    CU_ASSERT_EQUAL(parse("0.6051", 2, MONEY_FORMAT_POINT, even, &value),
                    MONEY_OK);
    CU_ASSERT_EQUAL(value, 61);
    CU_ASSERT_EQUAL(parse("-0.605", 2, MONEY_FORMAT_POINT, even, &value),
                    MONEY_OK);
    CU_ASSERT_EQUAL(value, -60);
    CU_ASSERT_EQUAL(parse("2.5", 0, MONEY_FORMAT_POINT, even, &value),
                    MONEY_OK);
    CU_ASSERT_EQUAL(value, 2);
}

static void test_parse_comma_format(void)
{
    const char *texts[] = {
        "1.355,90",
        "12.500,00",
        "-950,00",
        "1.000",
        "1\xC2\xA0"
        "234\xC2\xA0"
        "567,89",
        "2\xE2\x80\xAF"
        "000,50",
        "3 000,00",
    };
    const int64_t expected[] = {135590,    1250000, -95000, 100000,
                                123456789, 200050,  300000};
    int64_t sum = 0;

    for (size_t i = 0; i < COUNT(texts); i++) {
        int64_t value = 0;

        CU_ASSERT_EQUAL(
            parse(texts[i], 2, MONEY_FORMAT_COMMA, MONEY_ROUND_REJECT, &value),
            MONEY_OK);
        CU_ASSERT_EQUAL(value, expected[i]);
        sum += value;
    }
    CU_ASSERT_EQUAL(sum, 125347429);
}

static void test_parse_comma_rejects(void)
{
    int64_t value;
    const enum money_number_format comma = MONEY_FORMAT_COMMA;
    const enum money_rounding reject = MONEY_ROUND_REJECT;

    CU_ASSERT_EQUAL(parse("1355.90", 2, comma, reject, &value),
                    MONEY_GROUPING);
    CU_ASSERT_EQUAL(parse("12.34", 2, comma, reject, &value), MONEY_GROUPING);
    CU_ASSERT_EQUAL(parse("1,234.56", 2, comma, reject, &value),
                    MONEY_GROUPING);
    CU_ASSERT_EQUAL(parse("1.234 567,00", 2, comma, reject, &value),
                    MONEY_GROUPING);
    CU_ASSERT_EQUAL(parse("1..234,00", 2, comma, reject, &value),
                    MONEY_GROUPING);
    CU_ASSERT_EQUAL(parse("1,000", 2, comma, reject, &value), MONEY_AMBIGUOUS);
    CU_ASSERT_EQUAL(comma_cents_of("1.234.567"), 123456700);
    CU_ASSERT_EQUAL(comma_cents_of("0,5"), 50);
}

static void test_parse_comma_hint(void)
{
    struct money_parse_options comma = cents;

    comma.format = MONEY_FORMAT_COMMA;
    CU_ASSERT_STRING_EQUAL(message_of("1,234.56", "amount", &comma),
                           "invalid amount \"1,234.56\" for number format "
                           "1.234,56 (decimal point? declare "
                           "number_format = 1,234.56)");
    CU_ASSERT_STRING_EQUAL(
        message_of("1,000", "amount", &comma),
        "\"1,000\" has 3 decimal places; if \",\" is a thousands "
        "separator, declare number_format = 1,234.56");
}

static void test_parse_point_grouping(void)
{
    int64_t value;

    CU_ASSERT_EQUAL(cents_of("1,234,567.00"), 123456700);
    CU_ASSERT_EQUAL(cents_of("12,500.50"), 1250050);
    CU_ASSERT_EQUAL(cents_of("1,000"), 100000);
    CU_ASSERT_EQUAL(cents_of("-999,999.99"), -99999999);
    CU_ASSERT_EQUAL(money_parse("1,23.00", &cents, &value), MONEY_GROUPING);
    CU_ASSERT_EQUAL(money_parse("1234,567.00", &cents, &value),
                    MONEY_GROUPING);
    CU_ASSERT_EQUAL(money_parse("1,234,.00", &cents, &value), MONEY_GROUPING);
    CU_ASSERT_EQUAL(money_parse("1,,234.00", &cents, &value), MONEY_GROUPING);
    CU_ASSERT_EQUAL(money_parse("1,234.5,0", &cents, &value), MONEY_GROUPING);
    CU_ASSERT_EQUAL(money_parse("1.234,56", &cents, &value), MONEY_GROUPING);
    CU_ASSERT_EQUAL(money_parse("1.2.3", &cents, &value), MONEY_GROUPING);
}

static void test_parse_point_hint(void)
{
    CU_ASSERT_STRING_EQUAL(message_of("1.355,90", "amount", &cents),
                           "invalid amount \"1.355,90\" for number format "
                           "1,234.56 (decimal comma? declare "
                           "number_format = 1.234,56)");
    CU_ASSERT_STRING_EQUAL(message_of("1,23.00", "amount", &cents),
                           "invalid amount \"1,23.00\" for number format "
                           "1,234.56");
}

static void test_parse_ambiguous(void)
{
    int64_t value = 0;

    CU_ASSERT_EQUAL(money_parse("1.000", &cents, &value), MONEY_AMBIGUOUS);
    CU_ASSERT_EQUAL(money_parse("-3.000", &cents, &value), MONEY_AMBIGUOUS);
    CU_ASSERT_EQUAL(money_parse("2.675", &cents, &value), MONEY_AMBIGUOUS);
    CU_ASSERT_EQUAL(money_parse("0.605", &cents, &value), MONEY_DECIMALS);
    CU_ASSERT_EQUAL(cents_of("1234.500"), 123450);
    /* A rounding policy rounds sub-cent digits, but zero extra digits
     * still look like a thousands group. */
    CU_ASSERT_EQUAL(
        parse("1.000", 2, MONEY_FORMAT_POINT, MONEY_ROUND_HALF_UP, &value),
        MONEY_AMBIGUOUS);
    CU_ASSERT_EQUAL(
        parse("2.675", 2, MONEY_FORMAT_POINT, MONEY_ROUND_HALF_UP, &value),
        MONEY_OK);
    CU_ASSERT_EQUAL(value, 268);
    CU_ASSERT_STRING_EQUAL(
        message_of("1.000", "amount", &cents),
        "\"1.000\" has 3 decimal places; if \".\" is a thousands "
        "separator, declare number_format = 1.234,56");
}

static void test_parse_dash_zero(void)
{
    struct money_parse_options accounting = cents;
    int64_t value = 5;

    accounting.allow_dash_zero = 1;
    CU_ASSERT_EQUAL(money_parse("1,000.00", &accounting, &value), MONEY_OK);
    CU_ASSERT_EQUAL(value, 100000);
    CU_ASSERT_EQUAL(money_parse("-", &accounting, &value), MONEY_OK);
    CU_ASSERT_EQUAL(value, 0);
    value = 5;
    CU_ASSERT_EQUAL(money_parse(" $ -   ", &accounting, &value), MONEY_OK);
    CU_ASSERT_EQUAL(value, 0);
    value = 5;
    CU_ASSERT_EQUAL(money_parse("$-", &accounting, &value), MONEY_OK);
    CU_ASSERT_EQUAL(value, 0);
    value = 5;
    CU_ASSERT_EQUAL(money_parse("- \xE2\x82\xAC", &accounting, &value),
                    MONEY_OK);
    CU_ASSERT_EQUAL(value, 0);
    CU_ASSERT_EQUAL(money_parse("$ - -", &accounting, &value), MONEY_SYNTAX);
    CU_ASSERT_EQUAL(money_parse("$$-", &accounting, &value), MONEY_SYNTAX);
}

static void test_parse_dash_needs_option(void)
{
    int64_t value;

    CU_ASSERT_EQUAL(money_parse("-", &cents, &value), MONEY_SYNTAX);
    CU_ASSERT_EQUAL(money_parse(" $ -   ", &cents, &value), MONEY_SYNTAX);
    CU_ASSERT_EQUAL(money_parse("$-", &cents, &value), MONEY_SYNTAX);
}

static void test_parse_excel_errors(void)
{
    const char *texts[] = {"#N/A",  "#DIV/0!", "#NV",   "#VALUE!",
                           "#REF!", "#WERT!",  "#NAME?"};
    int64_t value;

    for (size_t i = 0; i < COUNT(texts); i++)
        CU_ASSERT_EQUAL(money_parse(texts[i], &cents, &value),
                        MONEY_EXCEL_ERROR);
    CU_ASSERT_STRING_EQUAL(message_of("#N/A", "amount", &cents),
                           "Excel error value \"#N/A\"");
}

static void test_parse_empty(void)
{
    int64_t value;

    CU_ASSERT_EQUAL(money_parse("", &cents, &value), MONEY_EMPTY);
    CU_ASSERT_EQUAL(money_parse(" \t ", &cents, &value), MONEY_EMPTY);
    CU_ASSERT_EQUAL(money_parse("\xC2\xA0\xE2\x80\xAF", &cents, &value),
                    MONEY_EMPTY);
    CU_ASSERT_STRING_EQUAL(message_of("", "amount", &cents), "missing amount");
}

static void test_parse_exponent(void)
{
    int64_t value;

    CU_ASSERT_EQUAL(money_parse("1.2E+06", &cents, &value), MONEY_EXPONENT);
    CU_ASSERT_EQUAL(money_parse("3e5", &cents, &value), MONEY_EXPONENT);
    CU_ASSERT_EQUAL(money_parse("-4.5e-3", &cents, &value), MONEY_EXPONENT);
    CU_ASSERT_EQUAL(money_parse("12e", &cents, &value), MONEY_SYNTAX);
    CU_ASSERT_STRING_EQUAL(message_of("1.2E+06", "amount", &cents),
                           "amount \"1.2E+06\" is in exponent notation; "
                           "save the column as a plain number");
}

static void test_parse_range(void)
{
    int64_t value = 0;

    CU_ASSERT_EQUAL(money_parse("92233720368547758.08", &cents, &value),
                    MONEY_RANGE);
    CU_ASSERT_EQUAL(money_parse("92233720368547758.07", &cents, &value),
                    MONEY_OK);
    CU_ASSERT_EQUAL(value, INT64_MAX);
    CU_ASSERT_EQUAL(money_parse("-92233720368547758.08", &cents, &value),
                    MONEY_OK);
    CU_ASSERT_EQUAL(value, INT64_MIN);
    CU_ASSERT_EQUAL(money_parse("-92233720368547758.09", &cents, &value),
                    MONEY_RANGE);
    CU_ASSERT_EQUAL(money_parse("99999999999999999999999", &cents, &value),
                    MONEY_RANGE);
    CU_ASSERT_EQUAL(parse("9223.372036854775807", 15, MONEY_FORMAT_POINT,
                          MONEY_ROUND_HALF_UP, &value),
                    MONEY_OK);
    CU_ASSERT_EQUAL(value, INT64_C(9223372036854775807));
    CU_ASSERT_EQUAL(parse("9223.3720368547758075", 15, MONEY_FORMAT_POINT,
                          MONEY_ROUND_HALF_UP, &value),
                    MONEY_RANGE);
    CU_ASSERT_STRING_EQUAL(
        message_of("92233720368547758.08", "amount", &cents),
        "amount \"92233720368547758.08\" is too large");
}

static void test_parse_syntax(void)
{
    const char *texts[] = {"x5",       "12a",   "$5.00", "+5",  "(5.00)",
                           "--5",      ".5",    "12.",   "- 5", "5-",
                           "1 234.00", "12eur", "0x10",  "5 %"};
    int64_t value;

    for (size_t i = 0; i < COUNT(texts); i++)
        CU_ASSERT_EQUAL(money_parse(texts[i], &cents, &value), MONEY_SYNTAX);
    CU_ASSERT_STRING_EQUAL(message_of("x5", "amount", &cents),
                           "invalid amount \"x5\"");
}

static void test_message_decimals(void)
{
    struct money_parse_options percent = cents;

    percent.decimals = 6;
    CU_ASSERT_STRING_EQUAL(message_of("1.2345678", "percentage", &percent),
                           "percentage \"1.2345678\" has more than 6 "
                           "decimals");
    percent.decimals = 1;
    CU_ASSERT_STRING_EQUAL(message_of("2.25", "weight", &percent),
                           "weight \"2.25\" has more than 1 decimal");
}

static void test_message_escapes(void)
{
    CU_ASSERT_STRING_EQUAL(message_of("1\n2\x7f", "amount", &cents),
                           "invalid amount \"1\\x0a2\\x7f\"");
}

static void test_message_cuts_long_text(void)
{
    char text[100];
    char expected[128];

    /* 58 letters then a 3-byte character over bytes 58 to 60. */
    memset(text, 'a', 58);
    memcpy(text + 58,
           "\xE2\x82\xAC"
           "bbbbb",
           9);
    memcpy(expected, "invalid amount \"", 16);
    memset(expected + 16, 'a', 58);
    memcpy(expected + 74, "...\"", 5);
    CU_ASSERT_STRING_EQUAL(message_of(text, "amount", &cents), expected);
}

static void test_message_fits_buffer(void)
{
    char buf[8];

    money_parse_message(buf, sizeof buf, MONEY_SYNTAX, "x5", "amount", &cents);
    CU_ASSERT_STRING_EQUAL(buf, "invalid");
}

static void test_format_plain(void)
{
    char buf[MONEY_FORMAT_MAX];

    CU_ASSERT_STRING_EQUAL(money_format(buf, -123450, 2, 0), "-1234.50");
    CU_ASSERT_STRING_EQUAL(money_format(buf, 0, 2, 0), "0.00");
    CU_ASSERT_STRING_EQUAL(money_format(buf, -99, 2, 0), "-0.99");
    CU_ASSERT_STRING_EQUAL(money_format(buf, 5, 2, 0), "0.05");
    CU_ASSERT_STRING_EQUAL(money_format(buf, 42, 0, 0), "42");
    CU_ASSERT_STRING_EQUAL(money_format(buf, 100000000, 6, 0), "100.000000");
}

static void test_format_grouped(void)
{
    char buf[MONEY_FORMAT_MAX];

    CU_ASSERT_STRING_EQUAL(money_format(buf, 2811812882, 2, 1),
                           "28,118,128.82");
    CU_ASSERT_STRING_EQUAL(money_format(buf, -123456, 2, 1), "-1,234.56");
    CU_ASSERT_STRING_EQUAL(money_format(buf, 100000, 2, 1), "1,000.00");
    CU_ASSERT_STRING_EQUAL(money_format(buf, 99999, 2, 1), "999.99");
    CU_ASSERT_STRING_EQUAL(money_format(buf, 1000000, 0, 1), "1,000,000");
    CU_ASSERT_STRING_EQUAL(money_format(buf, 1, 2, 1), "0.01");
}

static void test_format_limits(void)
{
    char buf[MONEY_FORMAT_MAX];

    CU_ASSERT_STRING_EQUAL(money_format(buf, INT64_MIN, 2, 0),
                           "-92233720368547758.08");
    CU_ASSERT_STRING_EQUAL(money_format(buf, INT64_MAX, 2, 1),
                           "92,233,720,368,547,758.07");
    CU_ASSERT_STRING_EQUAL(money_format(buf, INT64_MIN, 0, 1),
                           "-9,223,372,036,854,775,808");
    CU_ASSERT_STRING_EQUAL(money_format(buf, INT64_MIN, 15, 1),
                           "-9,223.372036854775808");
    CU_ASSERT_STRING_EQUAL(money_format(buf, 1, 15, 0), "0.000000000000001");
}

static void test_arithmetic(void)
{
    int64_t out = 0;

    CU_ASSERT_EQUAL(money_add(1050, -75, &out), 0);
    CU_ASSERT_EQUAL(out, 975);
    CU_ASSERT_EQUAL(money_sub(1050, 2000, &out), 0);
    CU_ASSERT_EQUAL(out, -950);
    CU_ASSERT_EQUAL(money_mul(-1234, 100, &out), 0);
    CU_ASSERT_EQUAL(out, -123400);
}

static void test_arithmetic_overflow(void)
{
    int64_t out = 7;

    CU_ASSERT_EQUAL(money_add(INT64_MAX, 1, &out), -1);
    CU_ASSERT_EQUAL(out, 7);
    CU_ASSERT_EQUAL(money_add(INT64_MIN, -1, &out), -1);
    CU_ASSERT_EQUAL(out, 7);
    CU_ASSERT_EQUAL(money_sub(INT64_MIN, 1, &out), -1);
    CU_ASSERT_EQUAL(out, 7);
    CU_ASSERT_EQUAL(money_sub(0, INT64_MIN, &out), -1);
    CU_ASSERT_EQUAL(out, 7);
    CU_ASSERT_EQUAL(money_mul(INT64_MIN, -1, &out), -1);
    CU_ASSERT_EQUAL(out, 7);
    CU_ASSERT_EQUAL(money_mul(INT64_C(4294967296), INT64_C(2147483648), &out),
                    -1);
    CU_ASSERT_EQUAL(out, 7);
    CU_ASSERT_EQUAL(money_add(INT64_MAX, INT64_MIN, &out), 0);
    CU_ASSERT_EQUAL(out, -1);
}

/* Apportion TOTAL by WEIGHTS and compare each part with EXPECTED. */
static void check_apportion(int64_t total, const int64_t *weights,
                            const int64_t *expected, size_t n)
{
    int64_t parts[16];
    int64_t sum = 0;

    CU_ASSERT_FATAL(n <= COUNT(parts));
    CU_ASSERT_EQUAL(money_apportion(total, weights, n, parts),
                    MONEY_APPORTION_OK);
    for (size_t i = 0; i < n; i++) {
        CU_ASSERT_EQUAL(parts[i], expected[i]);
        sum += parts[i];
    }
    CU_ASSERT_EQUAL(sum, total);
}

static void test_apportion_15_decimal_weights(void)
{
    const char *texts[] = {
        "1.1818583143661",
        "1.1818583143661",
        "1.1818583143661",
        "1.1818583143661",
        "1.1818583143661",
        "1.1818583143661",
        "1.1818583143661",
        "1.170126087450276",
        "1",
        "1",
        "1",
        "1",
    };
    const int64_t expected[] = {61565, 61565, 61565, 61565, 61565, 61565,
                                61565, 60954, 52091, 52091, 52091, 52091};
    int64_t weights[COUNT(texts)];

    for (size_t i = 0; i < COUNT(texts); i++)
        CU_ASSERT_EQUAL(parse(texts[i], 15, MONEY_FORMAT_POINT,
                              MONEY_ROUND_REJECT, &weights[i]),
                        MONEY_OK);
    check_apportion(700273, weights, expected, COUNT(texts));
}

static void test_apportion_equal_weights(void)
{
    const int64_t weights[] = {1, 1, 1, 1, 1, 1};
    const int64_t expected[] = {167, 167, 167, 167, 166, 166};

    check_apportion(1000, weights, expected, COUNT(weights));
}

static void test_apportion_agency_weights(void)
{
    const int64_t weights[] = {98, 92, 98, 123, 102, 92};
    const int64_t expected[] = {9929, 9322, 9929, 12463, 10335, 9322};
    const int64_t halves[] = {49, 51};
    const int64_t halves_expected[] = {491, 512};
    const int64_t quarters[] = {75, 25};
    const int64_t quarters_expected[] = {7499, 2500};
    const int64_t shares[] = {445455, 9091, 545455};
    const int64_t shares_expected[] = {9800, 200, 12000};
    const int64_t thirds[] = {1, 1, 1};
    const int64_t thirds_expected[] = {3334, 3333, 3333};

    check_apportion(61300, weights, expected, COUNT(weights));
    check_apportion(1003, halves, halves_expected, COUNT(halves));
    check_apportion(9999, quarters, quarters_expected, COUNT(quarters));
    check_apportion(22000, shares, shares_expected, COUNT(shares));
    check_apportion(10000, thirds, thirds_expected, COUNT(thirds));
}

static void test_apportion_zero_weight(void)
{
    const int64_t weights[] = {1, 0, 2};
    const int64_t expected[] = {333, 0, 667};

    check_apportion(1000, weights, expected, COUNT(weights));
}

static void test_apportion_errors(void)
{
    const int64_t zeros[] = {0, 0, 0};
    const int64_t negative[] = {5, -1, 3};
    const int64_t huge[] = {INT64_MAX, 1};
    const int64_t ones[] = {1, 1};
    int64_t parts[3];

    CU_ASSERT_EQUAL(money_apportion(1000, zeros, 3, parts),
                    MONEY_APPORTION_ZERO_WEIGHTS);
    CU_ASSERT_EQUAL(money_apportion(0, zeros, 3, parts),
                    MONEY_APPORTION_ZERO_WEIGHTS);
    CU_ASSERT_EQUAL(money_apportion(1000, ones, 0, parts),
                    MONEY_APPORTION_ZERO_WEIGHTS);
    CU_ASSERT_EQUAL(money_apportion(1000, negative, 3, parts),
                    MONEY_APPORTION_NEGATIVE_WEIGHT);
    CU_ASSERT_EQUAL(money_apportion(1000, huge, 2, parts),
                    MONEY_APPORTION_OVERFLOW);
    CU_ASSERT_EQUAL(money_apportion(INT64_MIN, ones, 2, parts),
                    MONEY_APPORTION_OVERFLOW);
}

static void test_apportion_negative_total(void)
{
    const int64_t two_to_one[] = {2, 1};
    const int64_t positive[] = {667, 333};
    const int64_t negative[] = {-667, -333};
    const int64_t tenths[] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 1};
    const int64_t tenths_expected[] = {-10, -10, -10, -10, -10,
                                       -10, -10, -10, -10, -9};

    check_apportion(1000, two_to_one, positive, COUNT(two_to_one));
    check_apportion(-1000, two_to_one, negative, COUNT(two_to_one));
    check_apportion(-99, tenths, tenths_expected, COUNT(tenths));
}

static void test_apportion_percent_weights(void)
{
    const int64_t thirds[] = {1, 1, 1};
    const int64_t thirds_expected[] = {3334, 3333, 3333};
    const int64_t weights[] = {12, 4, 1};
    const int64_t of_100[] = {71, 23, 6};
    const int64_t of_10000[] = {7059, 2353, 588};

    check_apportion(10000, thirds, thirds_expected, COUNT(thirds));
    check_apportion(100, weights, of_100, COUNT(weights));
    check_apportion(10000, weights, of_10000, COUNT(weights));
}

static void test_apportion_extremes(void)
{
    const int64_t ones[] = {1, 1, 1};
    const int64_t max_expected[] = {INT64_C(3074457345618258603),
                                    INT64_C(3074457345618258602),
                                    INT64_C(3074457345618258602)};
    const int64_t big[] = {INT64_MAX - 1, 1};
    const int64_t big_expected[] = {INT64_MAX - 1, 1};
    const int64_t zero_expected[] = {0, 0, 0};

    check_apportion(INT64_MAX, ones, max_expected, COUNT(ones));
    check_apportion(INT64_MAX, big, big_expected, COUNT(big));
    check_apportion(0, ones, zero_expected, COUNT(ones));
}

/* A 64-bit linear congruential generator, for repeatable weights. */
static uint64_t next_random(uint64_t *state)
{
    *state =
        *state * UINT64_C(6364136223846793005) + UINT64_C(1442695040888963407);
    return *state >> 33;
}

/*
 * Check the largest-remainder property of PARTS.  Each part is the floor
 * of its quota or one more.  Every part with the extra unit ranks above
 * every part without it, by larger remainder and then by lower index.
 */
static void check_largest_remainder(uint64_t total, const int64_t *weights,
                                    const int64_t *parts, size_t n)
{
    test_u128 sum = 0;
    test_u128 lowest_given = ~(test_u128)0; /* rank: remainder * n + (n - i) */
    test_u128 highest_kept = 0;

    for (size_t i = 0; i < n; i++)
        sum += (uint64_t)weights[i];
    for (size_t i = 0; i < n; i++) {
        test_u128 product = (test_u128)total * (uint64_t)weights[i];
        test_u128 floor = product / sum;
        test_u128 rank = (product % sum) * n + (n - i);

        CU_ASSERT((test_u128)parts[i] == floor ||
                  (test_u128)parts[i] == floor + 1);
        if ((test_u128)parts[i] == floor + 1 && rank < lowest_given)
            lowest_given = rank;
        if ((test_u128)parts[i] == floor && rank > highest_kept)
            highest_kept = rank;
    }
    CU_ASSERT(highest_kept < lowest_given);
}

static void test_apportion_random_cases(void)
{
    uint64_t state = 12345;
    int64_t weights[300];
    int64_t parts[300];

    for (int round = 0; round < 200; round++) {
        size_t n = (size_t)(next_random(&state) % COUNT(weights)) + 1;
        uint64_t total = next_random(&state) % 100000000;
        int64_t sum = 0;

        for (size_t i = 0; i < n; i++) {
            /* About a quarter of the weights are 0, the others below 10^15. */
            uint64_t draw = next_random(&state);

            weights[i] = draw % 4 == 0 ? 0 : (int64_t)(draw % 1000000000);
            weights[i] *= (int64_t)(next_random(&state) % 1000000) + 1;
        }
        weights[0] += 1;
        CU_ASSERT_EQUAL_FATAL(
            money_apportion((int64_t)total, weights, n, parts),
            MONEY_APPORTION_OK);
        for (size_t i = 0; i < n; i++)
            sum += parts[i];
        CU_ASSERT_EQUAL(sum, (int64_t)total);
        check_largest_remainder(total, weights, parts, n);
    }
}

/*
 * Weights drawn from a few values give many equal remainders, so the
 * cutoff falls among ties.  The sizes lie on both sides of the 64 parts
 * whose remainders are kept on the stack.
 */
static void test_apportion_many_ties(void)
{
    static const int64_t choices[] = {0, 1, 3, 7, 7, 250, 1000003};
    uint64_t state = 777;
    int64_t weights[500];
    int64_t parts[500];
    static const size_t sizes[] = {1, 2, 63, 64, 65, 129, 500};

    for (size_t s = 0; s < COUNT(sizes); s++) {
        for (int round = 0; round < 20; round++) {
            size_t n = sizes[s];
            uint64_t total = next_random(&state) % 1000000;
            int64_t sum = 0;

            for (size_t i = 0; i < n; i++)
                weights[i] = choices[next_random(&state) % COUNT(choices)];
            weights[n - 1] += 1;
            CU_ASSERT_EQUAL_FATAL(
                money_apportion((int64_t)total, weights, n, parts),
                MONEY_APPORTION_OK);
            for (size_t i = 0; i < n; i++)
                sum += parts[i];
            CU_ASSERT_EQUAL(sum, (int64_t)total);
            check_largest_remainder(total, weights, parts, n);
        }
    }
}

/* Equal weights leave equal remainders, and the units left over go to
 * the lowest indexes, also beyond the 64 parts kept on the stack. */
static void test_apportion_equal_weights_many(void)
{
    int64_t weights[200];
    int64_t parts[200];

    for (size_t i = 0; i < COUNT(weights); i++)
        weights[i] = 5;
    CU_ASSERT_EQUAL_FATAL(money_apportion(1150, weights, 200, parts),
                          MONEY_APPORTION_OK);
    for (size_t i = 0; i < COUNT(parts); i++)
        CU_ASSERT_EQUAL(parts[i], i < 150 ? 6 : 5);
    CU_ASSERT_EQUAL_FATAL(money_apportion(-1150, weights, 200, parts),
                          MONEY_APPORTION_OK);
    for (size_t i = 0; i < COUNT(parts); i++)
        CU_ASSERT_EQUAL(parts[i], i < 150 ? -6 : -5);
}

/* Write VALUE scaled by 10^DECIMALS with printf and group the whole part
 * by hand, independently of money_format(). */
static void format_by_printf(char *out, size_t size, int64_t value,
                             unsigned decimals, int grouped)
{
    unsigned long long magnitude =
        value < 0 ? 0 - (unsigned long long)value : (unsigned long long)value;
    unsigned long long scale = 1;
    char whole[32], fraction[32] = "";
    size_t len, at = 0;

    for (unsigned i = 0; i < decimals; i++)
        scale *= 10;
    snprintf(whole, sizeof whole, "%llu", magnitude / scale);
    if (decimals > 0)
        snprintf(fraction, sizeof fraction, ".%0*llu", (int)decimals,
                 magnitude % scale);
    len = strlen(whole);
    if (value < 0)
        out[at++] = '-';
    for (size_t i = 0; i < len; i++) {
        if (grouped && i > 0 && (len - i) % 3 == 0)
            out[at++] = ',';
        out[at++] = whole[i];
    }
    snprintf(out + at, size - at, "%s", fraction);
}

static void test_format_every_decimals(void)
{
    static const int64_t values[] = {
        0,
        1,
        -1,
        12,
        -123,
        1234,
        -12345,
        123456,
        -1234567,
        999999999,
        100000000,
        INT64_MAX,
        INT64_MIN,
        INT64_MAX - 1,
        INT64_MIN + 1,
    };

    for (unsigned decimals = 0; decimals <= MONEY_MAX_DECIMALS; decimals++) {
        for (size_t i = 0; i < COUNT(values); i++) {
            for (int grouped = 0; grouped <= 1; grouped++) {
                char expected[64], got[MONEY_FORMAT_MAX];

                format_by_printf(expected, sizeof expected, values[i],
                                 decimals, grouped);
                money_format(got, values[i], decimals, grouped);
                CU_ASSERT_STRING_EQUAL(got, expected);
                CU_ASSERT(strlen(got) < MONEY_FORMAT_MAX);
            }
        }
    }
}

int suite_money(void)
{
    static const struct {
        const char *name;
        CU_TestFunc function;
    } tests[] = {
        {"parse plain", test_parse_plain},
        {"parse keeps out on error", test_parse_keeps_out_on_error},
        {"parse sums exactly", test_parse_sums_exactly},
        {"parse percent sum", test_parse_percent_sum},
        {"parse weight 15 decimals", test_parse_weight_15_decimals},
        {"parse below cent", test_parse_below_cent},
        {"parse half up", test_parse_half_up},
        {"parse half even", test_parse_half_even},
        {"parse comma format", test_parse_comma_format},
        {"parse comma rejects", test_parse_comma_rejects},
        {"parse comma hint", test_parse_comma_hint},
        {"parse point grouping", test_parse_point_grouping},
        {"parse point hint", test_parse_point_hint},
        {"parse ambiguous", test_parse_ambiguous},
        {"parse dash zero", test_parse_dash_zero},
        {"parse dash needs option", test_parse_dash_needs_option},
        {"parse Excel errors", test_parse_excel_errors},
        {"parse empty", test_parse_empty},
        {"parse exponent", test_parse_exponent},
        {"parse range", test_parse_range},
        {"parse syntax", test_parse_syntax},
        {"message decimals", test_message_decimals},
        {"message escapes", test_message_escapes},
        {"message cuts long text", test_message_cuts_long_text},
        {"message fits buffer", test_message_fits_buffer},
        {"format plain", test_format_plain},
        {"format grouped", test_format_grouped},
        {"format limits", test_format_limits},
        {"format every decimals", test_format_every_decimals},
        {"arithmetic", test_arithmetic},
        {"arithmetic overflow", test_arithmetic_overflow},
        {"apportion 15-decimal weights", test_apportion_15_decimal_weights},
        {"apportion equal weights", test_apportion_equal_weights},
        {"apportion agency weights", test_apportion_agency_weights},
        {"apportion zero weight", test_apportion_zero_weight},
        {"apportion errors", test_apportion_errors},
        {"apportion negative total", test_apportion_negative_total},
        {"apportion percent weights", test_apportion_percent_weights},
        {"apportion extremes", test_apportion_extremes},
        {"apportion many ties", test_apportion_many_ties},
        {"apportion equal weights many", test_apportion_equal_weights_many},
        {"apportion random cases", test_apportion_random_cases},
    };
    CU_pSuite suite = CU_add_suite("money", NULL, NULL);

    if (suite == NULL)
        return -1;
    for (size_t i = 0; i < COUNT(tests); i++) {
        if (CU_add_test(suite, tests[i].name, tests[i].function) == NULL)
            return -1;
    }
    return 0;
}
