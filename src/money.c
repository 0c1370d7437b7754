/*
 * money: parsing, formatting, checked arithmetic and largest-remainder
 * apportionment of amounts in minor units (cents for USD).
 *
 * Everything works on integers: the parser reads the decimal digits of
 * the text and rounds on those digits, and apportionment computes exact
 * quotas with 128-bit intermediates.
 */
#include "money.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__extension__ typedef unsigned __int128 money_u128;
__extension__ typedef __int128 money_i128;

/* Bytes of the input shown in a message before it is cut with "...". */
#define SHOWN_TEXT_MAX 60
/* Every shown byte may become a 4-byte \xHH escape, plus "..." and NUL. */
#define SHOWN_TEXT_SIZE (SHOWN_TEXT_MAX * 4 + 4)

/* The text of one number, split at the decimal separator. */
struct number_parts {
    int negative;
    const char *int_begin; /* integer digits, maybe with group separators */
    const char *int_end;
    const char *frac_begin; /* digits after the decimal separator */
    const char *frac_end;
    int grouped; /* the integer part contains group separators */
};

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static int has_bytes(const char *p, const char *end, const char *bytes)
{
    size_t length = strlen(bytes);

    return (size_t)(end - p) >= length && memcmp(p, bytes, length) == 0;
}

/* Length of the blank at P (space, tab, U+00A0, U+202F), or 0. */
static size_t blank_length(const char *p, const char *end)
{
    if (p < end && (*p == ' ' || *p == '\t'))
        return 1;
    if (has_bytes(p, end, "\xC2\xA0"))
        return 2;
    if (has_bytes(p, end, "\xE2\x80\xAF"))
        return 3;
    return 0;
}

/* Length of the blank that ends just before END, or 0. */
static size_t trailing_blank_length(const char *begin, const char *end)
{
    size_t available = (size_t)(end - begin);

    if (available >= 1 && (end[-1] == ' ' || end[-1] == '\t'))
        return 1;
    if (available >= 2 && has_bytes(end - 2, end, "\xC2\xA0"))
        return 2;
    if (available >= 3 && has_bytes(end - 3, end, "\xE2\x80\xAF"))
        return 3;
    return 0;
}

static void trim_blanks(const char *text, const char **begin, const char **end)
{
    const char *p = text;
    const char *q = text + strlen(text);
    size_t length;

    while ((length = blank_length(p, q)) > 0)
        p += length;
    while ((length = trailing_blank_length(p, q)) > 0)
        q -= length;
    *begin = p;
    *end = q;
}

/* Length of the currency sign at P ($, U+20AC, U+00A3, U+00A5), or 0. */
static size_t currency_sign_length(const char *p, const char *end)
{
    if (p < end && *p == '$')
        return 1;
    if (has_bytes(p, end, "\xE2\x82\xAC"))
        return 3;
    if (has_bytes(p, end, "\xC2\xA3") || has_bytes(p, end, "\xC2\xA5"))
        return 2;
    return 0;
}

/*
 * Whether the text is the zero of Excel's accounting format: one "-",
 * at most one currency sign on either side, and blanks.
 */
static int is_dash_zero(const char *begin, const char *end)
{
    int dashes = 0;
    int signs = 0;
    const char *p = begin;

    while (p < end) {
        size_t length = blank_length(p, end);

        if (*p == '-') {
            dashes++;
            length = 1;
        } else if (length == 0) {
            length = currency_sign_length(p, end);
            if (length == 0)
                return 0;
            signs++;
        }
        p += length;
    }
    return dashes == 1 && signs <= 1;
}

/*
 * Whether the unsigned text is a number in exponent notation: a mantissa
 * of digits and separators ending in a digit, then e or E, an optional
 * sign and digits.  Other text with an e, such as "12eur", is a syntax
 * error instead.
 */
static int is_exponent(const char *begin, const char *end)
{
    const char *p = begin;

    if (p == end || !is_digit(*p))
        return 0;
    while (p < end && (is_digit(*p) || *p == '.' || *p == ','))
        p++;
    if (p == end || (*p != 'e' && *p != 'E') || !is_digit(p[-1]))
        return 0;
    p++;
    if (p < end && (*p == '+' || *p == '-'))
        p++;
    if (p == end)
        return 0;
    while (p < end && is_digit(*p))
        p++;
    return p == end;
}

static char decimal_separator(enum money_number_format format)
{
    return format == MONEY_FORMAT_COMMA ? ',' : '.';
}

static enum money_number_format other_format(enum money_number_format format)
{
    return format == MONEY_FORMAT_COMMA ? MONEY_FORMAT_POINT
                                        : MONEY_FORMAT_COMMA;
}

/* The name users declare as number_format in the model. */
static const char *format_name(enum money_number_format format)
{
    return format == MONEY_FORMAT_COMMA ? "1.234,56" : "1,234.56";
}

/*
 * Length of the group separator at P, or 0.  The decimal-point format
 * groups with "," only.  The decimal-comma format groups with ".", a
 * space, U+00A0 or U+202F.
 */
static size_t group_separator_length(const char *p, const char *end,
                                     enum money_number_format format)
{
    if (p == end)
        return 0;
    if (format == MONEY_FORMAT_POINT)
        return *p == ',' ? 1 : 0;
    if (*p == '.')
        return 1;
    return *p == '\t' ? 0 : blank_length(p, end);
}

/*
 * Scan the integer part at *CURSOR up to the decimal separator or END.
 * Groups are 1 to 3 digits first and exactly 3 after each separator, and
 * one value uses one kind of separator, so "1.234 567" is rejected.
 */
static enum money_status scan_integer_part(const char **cursor,
                                           const char *end,
                                           enum money_number_format format,
                                           struct number_parts *parts)
{
    const char *p = *cursor;
    char separator = '\0'; /* first byte of the separator in use */
    size_t group_digits = 0;

    parts->int_begin = p;
    parts->grouped = 0;
    while (p < end && *p != decimal_separator(format)) {
        size_t length = group_separator_length(p, end, format);

        if (is_digit(*p)) {
            group_digits++;
            p++;
            continue;
        }
        if (length == 0)
            return MONEY_SYNTAX;
        if (group_digits == 0 || group_digits > 3 ||
            (parts->grouped && (group_digits != 3 || *p != separator)))
            return MONEY_GROUPING;
        separator = *p;
        parts->grouped = 1;
        group_digits = 0;
        p += length;
    }
    if (parts->grouped && group_digits != 3)
        return MONEY_GROUPING;
    parts->int_end = p;
    *cursor = p;
    return MONEY_OK;
}

/* Split the unsigned text into integer and fraction digits. */
static enum money_status split_number(const char *begin, const char *end,
                                      enum money_number_format format,
                                      struct number_parts *parts)
{
    const char *p = begin;
    enum money_status status;

    if (p == end || !is_digit(*p))
        return MONEY_SYNTAX;
    status = scan_integer_part(&p, end, format, parts);
    if (status != MONEY_OK)
        return status;
    parts->frac_begin = p;
    parts->frac_end = p;
    if (p == end)
        return MONEY_OK;

    p++; /* the decimal separator */
    parts->frac_begin = p;
    while (p < end && is_digit(*p))
        p++;
    parts->frac_end = p;
    if (p < end) {
        if (*p == decimal_separator(format) ||
            group_separator_length(p, end, format) > 0)
            return MONEY_GROUPING;
        return MONEY_SYNTAX;
    }
    return parts->frac_begin == parts->frac_end ? MONEY_SYNTAX : MONEY_OK;
}

/*
 * Whether the number may be a thousands group written in the other
 * format: no grouping, 1 to 3 integer digits not starting with 0, and
 * exactly 3 decimals, as in "1.000" or "2.675".
 */
static int is_ambiguous(const struct number_parts *parts)
{
    size_t int_digits = (size_t)(parts->int_end - parts->int_begin);
    size_t frac_digits = (size_t)(parts->frac_end - parts->frac_begin);

    return !parts->grouped && int_digits >= 1 && int_digits <= 3 &&
           *parts->int_begin != '0' && frac_digits == 3;
}

/* Return whether the fraction digits after the first DECIMALS are 0. */
static int extra_digits_zero(const struct number_parts *parts,
                             unsigned decimals)
{
    for (const char *p = parts->frac_begin + decimals; p < parts->frac_end;
         p++)
        if (*p != '0')
            return 0;
    return 1;
}

/* Append DIGIT to the decimal MAGNITUDE.  Returns -1 on overflow. */
static int append_digit(uint64_t *magnitude, char digit)
{
    uint64_t value = (uint64_t)(digit - '0');

    if (__builtin_mul_overflow(*magnitude, (uint64_t)10, magnitude) ||
        __builtin_add_overflow(*magnitude, value, magnitude))
        return -1;
    return 0;
}

/*
 * Decide from the digits cut off (BEGIN to END) whether the kept
 * magnitude rounds up: 1 to round up, 0 to keep, -1 when ROUNDING is
 * MONEY_ROUND_REJECT and some cut digit is not 0.  KEPT_ODD is non-zero
 * when the last kept digit is odd, for half-to-even.
 */
static int round_cut_digits(const char *begin, const char *end,
                            enum money_rounding rounding, int kept_odd)
{
    int rest_nonzero = 0;

    if (begin == end)
        return 0;
    for (const char *p = begin + 1; p < end; p++)
        rest_nonzero |= *p != '0';

    switch (rounding) {
    case MONEY_ROUND_HALF_UP:
        return *begin >= '5';
    case MONEY_ROUND_HALF_EVEN:
        if (*begin != '5')
            return *begin > '5';
        return rest_nonzero || kept_odd;
    case MONEY_ROUND_REJECT:
        break;
    }
    return *begin != '0' || rest_nonzero ? -1 : 0;
}

/* Accumulate the integer digits and the first DECIMALS fraction digits. */
static enum money_status scale_digits(const struct number_parts *parts,
                                      unsigned decimals, uint64_t *out)
{
    uint64_t magnitude = 0;
    const char *p = parts->frac_begin;

    for (const char *q = parts->int_begin; q < parts->int_end; q++) {
        if (is_digit(*q) && append_digit(&magnitude, *q) != 0)
            return MONEY_RANGE;
    }
    for (unsigned i = 0; i < decimals; i++) {
        char digit = p < parts->frac_end ? *p++ : '0';

        if (append_digit(&magnitude, digit) != 0)
            return MONEY_RANGE;
    }
    *out = magnitude;
    return MONEY_OK;
}

/* Turn the split text into the scaled, rounded and signed value. */
static enum money_status scale_number(const struct number_parts *parts,
                                      const struct money_parse_options *opts,
                                      int64_t *out)
{
    size_t frac_digits = (size_t)(parts->frac_end - parts->frac_begin);
    const char *cut = parts->frac_begin;
    uint64_t magnitude;
    int round_up;
    enum money_status status = scale_digits(parts, opts->decimals, &magnitude);

    if (status != MONEY_OK)
        return status;
    if (frac_digits > opts->decimals)
        cut += opts->decimals;
    else
        cut = parts->frac_end;
    round_up = round_cut_digits(cut, parts->frac_end, opts->rounding,
                                (int)(magnitude % 2));
    if (round_up < 0)
        return MONEY_DECIMALS;
    if (round_up && __builtin_add_overflow(magnitude, 1, &magnitude))
        return MONEY_RANGE;

    if (!parts->negative) {
        if (magnitude > (uint64_t)INT64_MAX)
            return MONEY_RANGE;
        *out = (int64_t)magnitude;
    } else if (magnitude == 0) {
        *out = 0;
    } else {
        if (magnitude - 1 > (uint64_t)INT64_MAX)
            return MONEY_RANGE;
        /* Negate through magnitude - 1 so INT64_MIN does not overflow. */
        *out = -(int64_t)(magnitude - 1) - 1;
    }
    return MONEY_OK;
}

enum money_status money_parse(const char *text,
                              const struct money_parse_options *options,
                              int64_t *out)
{
    const char *begin;
    const char *end;
    struct number_parts parts;
    enum money_status status;

    trim_blanks(text, &begin, &end);
    if (begin == end)
        return MONEY_EMPTY;
    if (*begin == '#')
        return MONEY_EXCEL_ERROR;
    if (options->allow_dash_zero && is_dash_zero(begin, end)) {
        *out = 0;
        return MONEY_OK;
    }

    parts.negative = *begin == '-';
    if (parts.negative)
        begin++;
    if (is_exponent(begin, end))
        return MONEY_EXPONENT;
    status = split_number(begin, end, options->format, &parts);
    if (status != MONEY_OK)
        return status;
    /* Three decimals are only in doubt where the value may keep fewer:
     * a percentage or a weight legitimately has them.  Under a rounding
     * policy the file has sub-cent digits to round, but "1.000" still
     * looks like a thousands group, so only zero extra digits stay in
     * doubt there. */
    if (options->decimals < 3 && is_ambiguous(&parts) &&
        (options->rounding == MONEY_ROUND_REJECT ||
         extra_digits_zero(&parts, options->decimals)))
        return MONEY_AMBIGUOUS;
    return scale_number(&parts, options, out);
}

/*
 * Copy TEXT into BUF (SHOWN_TEXT_SIZE bytes) for a message: control
 * bytes become \xHH, and text beyond SHOWN_TEXT_MAX bytes is cut at a
 * UTF-8 character boundary and ends in "...".
 */
static void show_text(char *buf, const char *text)
{
    static const char hex[] = "0123456789abcdef";
    size_t length = strlen(text);
    size_t cut = length;
    size_t used = 0;

    if (length > SHOWN_TEXT_MAX) {
        cut = SHOWN_TEXT_MAX;
        while (cut > 0 && ((unsigned char)text[cut] & 0xC0) == 0x80)
            cut--;
    }
    for (size_t i = 0; i < cut; i++) {
        unsigned char byte = (unsigned char)text[i];

        if (byte < 0x20 || byte == 0x7f) {
            buf[used++] = '\\';
            buf[used++] = 'x';
            buf[used++] = hex[byte >> 4];
            buf[used++] = hex[byte & 0x0f];
        } else {
            buf[used++] = (char)byte;
        }
    }
    if (cut < length) {
        memcpy(buf + used, "...", 3);
        used += 3;
    }
    buf[used] = '\0';
}

static void format_decimals_message(char *buf, size_t size, const char *shown,
                                    const char *what, unsigned decimals)
{
    if (decimals == 2)
        snprintf(buf, size, "%s \"%s\" has digits below one cent", what,
                 shown);
    else if (decimals == 0)
        snprintf(buf, size, "%s \"%s\" must be a whole number", what, shown);
    else if (decimals == 1)
        snprintf(buf, size, "%s \"%s\" has more than 1 decimal", what, shown);
    else
        snprintf(buf, size, "%s \"%s\" has more than %u decimals", what, shown,
                 decimals);
}

/*
 * Write the grouping message, with a hint to declare the other format
 * when TEXT parses in it.
 */
static void format_grouping_message(char *buf, size_t size, const char *text,
                                    const char *shown, const char *what,
                                    const struct money_parse_options *opts)
{
    struct money_parse_options other = *opts;
    int64_t value;

    other.format = other_format(opts->format);
    if (money_parse(text, &other, &value) != MONEY_OK) {
        snprintf(buf, size, "invalid %s \"%s\" for number format %s", what,
                 shown, format_name(opts->format));
        return;
    }
    snprintf(buf, size,
             "invalid %s \"%s\" for number format %s "
             "(decimal %s? declare number_format = %s)",
             what, shown, format_name(opts->format),
             other.format == MONEY_FORMAT_COMMA ? "comma" : "point",
             format_name(other.format));
}

char *money_parse_message(char *buf, size_t size, enum money_status status,
                          const char *text, const char *what,
                          const struct money_parse_options *options)
{
    char shown[SHOWN_TEXT_SIZE];

    if (size == 0)
        return buf;
    buf[0] = '\0'; /* MONEY_OK has no message */
    show_text(shown, text);

    switch (status) {
    case MONEY_OK:
        break;
    case MONEY_EMPTY:
        snprintf(buf, size, "missing %s", what);
        break;
    case MONEY_EXCEL_ERROR:
        snprintf(buf, size, "Excel error value \"%s\"", shown);
        break;
    case MONEY_EXPONENT:
        snprintf(buf, size,
                 "%s \"%s\" is in exponent notation; "
                 "save the column as a plain number",
                 what, shown);
        break;
    case MONEY_DECIMALS:
        format_decimals_message(buf, size, shown, what, options->decimals);
        break;
    case MONEY_AMBIGUOUS:
        snprintf(buf, size,
                 "\"%s\" has 3 decimal places; if \"%c\" is a thousands "
                 "separator, declare number_format = %s",
                 shown, decimal_separator(options->format),
                 format_name(other_format(options->format)));
        break;
    case MONEY_GROUPING:
        format_grouping_message(buf, size, text, shown, what, options);
        break;
    case MONEY_SYNTAX: {
        struct money_parse_options other = *options;
        int64_t value;

        other.format = other_format(options->format);
        if (money_parse(text, &other, &value) == MONEY_OK)
            format_grouping_message(buf, size, text, shown, what, options);
        else
            snprintf(buf, size, "invalid %s \"%s\"", what, shown);
        break;
    }
    case MONEY_RANGE:
        snprintf(buf, size, "%s \"%s\" is too large", what, shown);
        break;
    }
    return buf;
}

/*
 * NOTE: DECIMALS above MONEY_MAX_DECIMALS are treated as
 * MONEY_MAX_DECIMALS, the documented max, so the text always fits in
 * MONEY_FORMAT_MAX bytes.
 */
char *money_format(char *buf, int64_t value, unsigned decimals, int grouped)
{
    /* Written backwards from the end, digits of the fraction first.  At
     * most a sign, 20 digits, 6 group separators, a point, 15 zeros
     * padding the fraction and the NUL: 44 bytes. */
    char text[MONEY_FORMAT_MAX];
    char *end = text + sizeof text, *p = end;
    uint64_t magnitude = value < 0 ? 0 - (uint64_t)value : (uint64_t)value;
    unsigned digits = 0;

    if (decimals > MONEY_MAX_DECIMALS)
        decimals = MONEY_MAX_DECIMALS;
    *--p = '\0';
    for (unsigned i = 0; i < decimals; i++) {
        *--p = (char)('0' + (int)(magnitude % 10));
        magnitude /= 10;
    }
    if (decimals > 0)
        *--p = '.';
    do {
        if (grouped && digits > 0 && digits % 3 == 0)
            *--p = ',';
        *--p = (char)('0' + (int)(magnitude % 10));
        magnitude /= 10;
        digits++;
    } while (magnitude > 0);
    if (value < 0)
        *--p = '-';
    memcpy(buf, p, (size_t)(end - p));
    return buf;
}

int money_add(int64_t a, int64_t b, int64_t *out)
{
    int64_t result;

    if (__builtin_add_overflow(a, b, &result))
        return -1;
    *out = result;
    return 0;
}

int money_sub(int64_t a, int64_t b, int64_t *out)
{
    int64_t result;

    if (__builtin_sub_overflow(a, b, &result))
        return -1;
    *out = result;
    return 0;
}

int money_mul(int64_t a, int64_t b, int64_t *out)
{
    int64_t result;

    if (__builtin_mul_overflow(a, b, &result))
        return -1;
    *out = result;
    return 0;
}

int money_scale(int64_t value, int64_t numerator, int64_t denominator,
                int64_t *out)
{
    money_i128 product = (money_i128)value * numerator;
    money_i128 quotient = product / denominator;
    money_i128 remainder = product % denominator;

    if (2 * (remainder < 0 ? -remainder : remainder) >= denominator)
        quotient += product < 0 ? -1 : 1;
    if (quotient > INT64_MAX || quotient < INT64_MIN)
        return -1;
    *out = (int64_t)quotient;
    return 0;
}

/* Check the weights and sum them into *SUM. */
static enum money_apportion_status sum_weights(const int64_t *weights,
                                               size_t n, int64_t *sum)
{
    int64_t total = 0;

    for (size_t i = 0; i < n; i++) {
        if (weights[i] < 0)
            return MONEY_APPORTION_NEGATIVE_WEIGHT;
    }
    for (size_t i = 0; i < n; i++) {
        if (__builtin_add_overflow(total, weights[i], &total))
            return MONEY_APPORTION_OVERFLOW;
    }
    if (total == 0)
        return MONEY_APPORTION_ZERO_WEIGHTS;
    *sum = total;
    return MONEY_APPORTION_OK;
}

/* Inputs of the exact quotas magnitude * weights[i] / sum. */
struct quota {
    uint64_t magnitude; /* the amount to split, minor units */
    const int64_t *weights;
    size_t n;
    uint64_t sum; /* of the weights, greater than 0 */
    /* The remainder of each part, kept from the division that gave its
     * floor.  It is NULL when there was no memory for it, and then each
     * remainder is computed again where it is needed. */
    uint64_t *remainders;
    /* N more values of scratch space for selecting the cutoff, or NULL
     * when there was no memory for it. */
    uint64_t *scratch;
};

/* The remainder of part I's quota, in units of 1/sum of a minor unit. */
static uint64_t quota_remainder(const struct quota *quota, size_t i)
{
    money_u128 product;

    if (quota->remainders != NULL)
        return quota->remainders[i];
    product = (money_u128)quota->magnitude * (uint64_t)quota->weights[i];
    return (uint64_t)(product % quota->sum);
}

static size_t count_remainders_at_least(const struct quota *quota,
                                        uint64_t threshold)
{
    size_t count = 0;

    for (size_t i = 0; i < quota->n; i++)
        count += quota_remainder(quota, i) >= threshold;
    return count;
}

/*
 * Find the largest remainder R such that at least LEFTOVER parts have a
 * remainder of R or more, by binary search, so no scratch array is
 * needed.  It exists in [1, sum - 1] because the remainders add up to
 * LEFTOVER * sum and each is below sum, so at least LEFTOVER + 1 parts
 * have a positive remainder.
 */
static uint64_t search_cutoff(const struct quota *quota, size_t leftover)
{
    uint64_t low = 1;
    uint64_t high = quota->sum - 1;

    while (low < high) {
        uint64_t middle = low + (high - low + 1) / 2;

        if (count_remainders_at_least(quota, middle) >= leftover)
            low = middle;
        else
            high = middle - 1;
    }
    return low;
}

static void swap_values(uint64_t *values, size_t i, size_t j)
{
    uint64_t value = values[i];

    values[i] = values[j];
    values[j] = value;
}

static uint64_t median_of_three(uint64_t a, uint64_t b, uint64_t c)
{
    if (a > b) {
        uint64_t t = a;

        a = b;
        b = t;
    }
    /* Now a <= b. */
    if (c <= a)
        return a;
    return c < b ? c : b;
}

/*
 * Store in *VALUE the element that would be at index TARGET if VALUES
 * (N of them) were sorted in ascending order, by quickselect with a
 * three-way partition, which reorders VALUES.  Returns 0, or -1 when the
 * partitions shrink too slowly (pivots chosen badly over and over), so
 * that the caller can use a method with a bounded cost instead.
 */
static int select_value(uint64_t *values, size_t n, size_t target,
                        uint64_t *value)
{
    size_t left = 0, right = n - 1;
    int rounds = 0;

    while (left < right) {
        size_t middle = left + (right - left) / 2;
        uint64_t pivot =
            median_of_three(values[left], values[middle], values[right]);
        /* [left, below) < pivot, [below, i) == pivot, [above, right]
         * > pivot. */
        size_t below = left, i = left, above = right + 1;

        if (++rounds > 100)
            return -1;
        while (i < above) {
            if (values[i] < pivot)
                swap_values(values, below++, i++);
            else if (values[i] > pivot)
                swap_values(values, i, --above);
            else
                i++;
        }
        /* The pivot is one of the values, so [below, above) is never
         * empty and each round shrinks the range. */
        if (target < below) {
            right = below - 1;
        } else if (target >= above) {
            left = above;
        } else {
            *value = pivot;
            return 0;
        }
    }
    *value = values[target];
    return 0;
}

/*
 * Return the largest remainder R such that at least LEFTOVER parts have
 * a remainder of R or more: the LEFTOVER-th largest remainder.
 */
static uint64_t find_cutoff(const struct quota *quota, size_t leftover)
{
    uint64_t cutoff;

    if (quota->remainders == NULL || quota->scratch == NULL)
        return search_cutoff(quota, leftover);
    memcpy(quota->scratch, quota->remainders,
           quota->n * sizeof *quota->scratch);
    if (select_value(quota->scratch, quota->n, quota->n - leftover, &cutoff) !=
        0)
        return search_cutoff(quota, leftover);
    return cutoff;
}

/*
 * Give LEFTOVER (at least 1) units one each to the largest remainders:
 * every part above the cutoff, then the lowest indexes at the cutoff.
 */
static void give_leftover(const struct quota *quota, size_t leftover,
                          int64_t *out)
{
    uint64_t cutoff = find_cutoff(quota, leftover);

    for (size_t i = 0; i < quota->n; i++) {
        if (quota_remainder(quota, i) > cutoff) {
            out[i]++;
            leftover--;
        }
    }
    for (size_t i = 0; i < quota->n && leftover > 0; i++) {
        if (quota_remainder(quota, i) == cutoff) {
            out[i]++;
            leftover--;
        }
    }
}

/* Parts up to this many keep their remainders on the stack. */
#define APPORTION_STACK_PARTS 64

/*
 * NOTE: a TOTAL of INT64_MIN returns MONEY_APPORTION_OVERFLOW, because
 * its magnitude has no int64_t value, although the header documents that
 * status only for a weight sum beyond int64_t.
 */
enum money_apportion_status
money_apportion(int64_t total, const int64_t *weights, size_t n, int64_t *out)
{
    int64_t sum = 0;
    uint64_t floors = 0;
    enum money_apportion_status status = sum_weights(weights, n, &sum);
    struct quota quota;
    uint64_t stack[2 * APPORTION_STACK_PARTS];
    uint64_t *space = stack;

    if (status != MONEY_APPORTION_OK)
        return status;
    if (total == INT64_MIN)
        return MONEY_APPORTION_OVERFLOW;

    quota.magnitude = (uint64_t)(total < 0 ? -total : total);
    quota.weights = weights;
    quota.n = n;
    quota.sum = (uint64_t)sum;
    /* The cutoff is selected in a copy of the kept remainders, and the
     * fallback search reads them without a 128-bit division each. */
    if (n > APPORTION_STACK_PARTS)
        space = n <= SIZE_MAX / (2 * sizeof(uint64_t))
                    ? malloc(2 * n * sizeof(uint64_t))
                    : NULL;
    quota.remainders = space;
    quota.scratch = space != NULL ? space + n : NULL;
    for (size_t i = 0; i < n; i++) {
        money_u128 product =
            (money_u128)quota.magnitude * (uint64_t)weights[i];
        uint64_t quotient, remainder;

        if ((uint64_t)(product >> 64) == 0) {
            /* The common case: one 64-bit division. */
            quotient = (uint64_t)product / quota.sum;
            remainder = (uint64_t)product % quota.sum;
        } else {
            money_u128 wide = product / quota.sum;

            quotient = (uint64_t)wide;
            remainder = (uint64_t)(product - wide * quota.sum);
        }
        /* The floor is at most the magnitude, so it fits int64_t. */
        out[i] = (int64_t)quotient;
        floors += quotient;
        if (quota.remainders != NULL)
            quota.remainders[i] = remainder;
    }
    /* Each remainder is below one unit, so fewer than n units are left. */
    if (quota.magnitude > floors)
        give_leftover(&quota, (size_t)(quota.magnitude - floors), out);
    if (space != stack)
        free(space);

    if (total < 0) {
        for (size_t i = 0; i < n; i++)
            out[i] = -out[i];
    }
    return MONEY_APPORTION_OK;
}
