/*
 * money: amounts in the currency's minor unit (cents for USD) as int64_t.
 *
 * Parsing works on the decimal text, never through floating point.  Every
 * split of an amount goes through money_apportion(), which applies the
 * largest-remainder (Hamilton) method on exact quotas.
 */
#ifndef COSTSHARE_MONEY_H
#define COSTSHARE_MONEY_H

#include <stddef.h>
#include <stdint.h>

/* Most decimals a parsed value may carry (amounts, percentages, weights). */
#define MONEY_MAX_DECIMALS 15

/* Maximum length of the text money_format() writes, NUL included. */
#define MONEY_FORMAT_MAX 48

/* Number format: the decimal and grouping separators of a file. */
enum money_number_format {
    MONEY_FORMAT_POINT, /* 1,234.56: decimal point, comma groups */
    MONEY_FORMAT_COMMA  /* 1.234,56: decimal comma; dot or space groups */
};

/* Rounding policy for digits below the last decimal a value may keep. */
enum money_rounding {
    MONEY_ROUND_REJECT,   /* error, unless the extra digits are all 0 */
    MONEY_ROUND_HALF_UP,  /* half away from zero: 2.675 -> 2.68 */
    MONEY_ROUND_HALF_EVEN /* half to even: 0.605 -> 0.60 */
};

/* Outcome of money_parse(); money_parse_message() turns it into text. */
enum money_status {
    MONEY_OK,
    MONEY_EMPTY,       /* nothing but spaces */
    MONEY_EXCEL_ERROR, /* #N/A, #DIV/0!, #NV and the like */
    MONEY_EXPONENT,    /* 1.2E+06 */
    MONEY_DECIMALS,    /* more decimals than allowed, not all zero */
    MONEY_AMBIGUOUS,   /* 1.000: a decimal or a thousands group */
    MONEY_GROUPING,    /* separators where the format has none */
    MONEY_SYNTAX,      /* letters, symbols or a misplaced sign */
    MONEY_RANGE        /* beyond int64_t */
};

struct money_parse_options {
    unsigned decimals; /* digits kept after the decimal separator */
    enum money_number_format format;
    enum money_rounding rounding;
    int allow_dash_zero; /* read "-" or " $ - " (accounting zero) as 0 */
};

/*
 * Parse decimal TEXT into an integer scaled by 10^decimals, so "12.34"
 * with 2 decimals gives 1234.  Surrounding ASCII spaces, tabs, U+00A0
 * and U+202F are ignored.  Returns MONEY_OK and sets *out, or another
 * status and leaves *out unchanged.
 */
enum money_status money_parse(const char *text,
                              const struct money_parse_options *options,
                              int64_t *out);

/*
 * Write into BUF (SIZE bytes) the message for STATUS about TEXT, such as
 * `Excel error value "#N/A"`.  WHAT names the value ("amount",
 * "headcount"); OPTIONS are those money_parse() was given.  The message
 * is cut to fit.  Returns BUF.
 */
char *money_parse_message(char *buf, size_t size, enum money_status status,
                          const char *text, const char *what,
                          const struct money_parse_options *options);

/*
 * Format VALUE, scaled by 10^decimals, into BUF (size at least
 * MONEY_FORMAT_MAX): "-1234.50", or "-1,234.50" when GROUPED is non-zero.
 * Returns BUF.
 */
char *money_format(char *buf, int64_t value, unsigned decimals, int grouped);

/* Checked arithmetic: return 0 and set *out, or -1 on overflow. */
int money_add(int64_t a, int64_t b, int64_t *out);
int money_sub(int64_t a, int64_t b, int64_t *out);
int money_mul(int64_t a, int64_t b, int64_t *out);

/*
 * Set *OUT to VALUE * NUMERATOR / DENOMINATOR (DENOMINATOR > 0), rounded
 * half away from zero, as when one amount is scaled by a percentage.
 * Returns 0, or -1 when the result is beyond int64_t.
 */
int money_scale(int64_t value, int64_t numerator, int64_t denominator,
                int64_t *out);

/* Failures of money_apportion(). */
enum money_apportion_status {
    MONEY_APPORTION_OK,
    MONEY_APPORTION_NEGATIVE_WEIGHT,
    MONEY_APPORTION_ZERO_WEIGHTS, /* every weight is 0 (or N is 0) */
    MONEY_APPORTION_OVERFLOW      /* the weights sum beyond int64_t */
};

/*
 * Split TOTAL (any sign, minor units) into OUT[0..n-1] in proportion to
 * WEIGHTS[0..n-1] by largest remainder: each part first gets the floor of
 * its exact quota total * w / sum(w), then the cents left over go one each
 * to the largest fractional remainders.  Equal remainders go to the lower
 * index, so callers order the parts by organisation code in byte order.
 * A negative TOTAL is split as the mirror image of -TOTAL.  A zero weight
 * always gets 0.  The parts always sum to TOTAL exactly.
 *
 * Returns MONEY_APPORTION_OK, or an error status with OUT unspecified.
 */
enum money_apportion_status
money_apportion(int64_t total, const int64_t *weights, size_t n, int64_t *out);

#endif
