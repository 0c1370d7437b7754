/*
 * libFuzzer harness for money: money_parse() under every option set,
 * money_parse_message(), money_format() and money_apportion().
 *
 * Input layout:
 *   byte 0     parse options, taken modulo 12: number format (v % 2),
 *              rounding ((v / 2) % 3) and allow_dash_zero ((v / 6) % 2)
 *   byte 1     decimals, modulo MONEY_MAX_DECIMALS + 1
 *   then       the text to parse, up to the first NUL byte or the end
 *   after NUL  the apportionment: each 8 bytes are one little-endian
 *              int64_t weight (at most FUZZ_MAX_PARTS of them)
 *
 * The total apportioned is the parsed value, or the text's byte sum when
 * parsing fails.  The harness aborts when a documented property fails:
 * a formatted value must parse back to itself, a message must fit its
 * buffer, and apportioned parts must sum to the total, give 0 to a zero
 * weight and stay within one unit of the exact quota.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "money.h"

/* Maximum number of weights read from one input. */
#define FUZZ_MAX_PARTS 64

__extension__ typedef __int128 fuzz_i128;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_messages(const char *text,
                           const struct money_parse_options *options,
                           size_t size_hint)
{
    char large[512];
    char small[64];
    size_t small_size = 1 + size_hint % sizeof small;

    for (int status = MONEY_OK; status <= MONEY_RANGE; status++) {
        money_parse_message(large, sizeof large, (enum money_status)status,
                            text, "amount", options);
        if (strlen(large) >= sizeof large)
            abort();
        money_parse_message(small, small_size, (enum money_status)status,
                            text, "headcount", options);
        if (strlen(small) >= small_size)
            abort();
    }
    /* A zero size must leave the buffer untouched. */
    small[0] = 'x';
    money_parse_message(small, 0, MONEY_SYNTAX, text, "amount", options);
    if (small[0] != 'x')
        abort();
}

/* Format VALUE both ways and check that each text parses back to it. */
static void check_format_round_trip(int64_t value, unsigned decimals)
{
    struct money_parse_options point = {decimals, MONEY_FORMAT_POINT,
                                        MONEY_ROUND_REJECT, 0};
    char text[MONEY_FORMAT_MAX];
    int64_t back = 0;

    for (int grouped = 0; grouped <= 1; grouped++) {
        money_format(text, value, decimals, grouped);
        if (strlen(text) >= MONEY_FORMAT_MAX)
            abort();
        if (money_parse(text, &point, &back) != MONEY_OK || back != value)
            abort();
    }
}

static void check_apportion(int64_t total, const uint8_t *bytes, size_t size)
{
    int64_t weights[FUZZ_MAX_PARTS];
    int64_t parts[FUZZ_MAX_PARTS];
    size_t n = size / 8;
    fuzz_i128 sum = 0;
    fuzz_i128 parts_sum = 0;
    enum money_apportion_status status;

    if (n > FUZZ_MAX_PARTS)
        n = FUZZ_MAX_PARTS;
    for (size_t i = 0; i < n; i++) {
        uint64_t w = 0;

        for (size_t k = 0; k < 8; k++)
            w |= (uint64_t)bytes[8 * i + k] << (8 * k);
        weights[i] = (int64_t)w;
        sum += weights[i];
    }

    status = money_apportion(total, weights, n, parts);
    if (status != MONEY_APPORTION_OK)
        return;
    if (sum <= 0 || sum > INT64_MAX)
        abort(); /* OK was returned for weights it must reject */
    for (size_t i = 0; i < n; i++) {
        /* |part * sum - total * weight| < sum: within one unit of the
         * exact quota, so a zero weight gets exactly 0. */
        fuzz_i128 error = (fuzz_i128)parts[i] * sum -
                          (fuzz_i128)total * weights[i];

        if (error < 0)
            error = -error;
        if (error >= sum)
            abort();
        if (weights[i] == 0 && parts[i] != 0)
            abort();
        parts_sum += parts[i];
    }
    if (parts_sum != total)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct money_parse_options options;
    const uint8_t *text_bytes;
    const uint8_t *nul;
    size_t text_size;
    char *text;
    int64_t value = 0;
    int64_t total = 0;
    enum money_status status;

    if (size < 2)
        return 0;
    options.format = (enum money_number_format)(data[0] % 12 % 2);
    options.rounding = (enum money_rounding)(data[0] % 12 / 2 % 3);
    options.allow_dash_zero = data[0] % 12 / 6;
    options.decimals = data[1] % (MONEY_MAX_DECIMALS + 1);
    text_bytes = data + 2;
    nul = memchr(text_bytes, '\0', size - 2);
    text_size = nul ? (size_t)(nul - text_bytes) : size - 2;

    text = malloc(text_size + 1);
    if (text == NULL)
        return 0;
    memcpy(text, text_bytes, text_size);
    text[text_size] = '\0';

    status = money_parse(text, &options, &value);
    if (status < MONEY_OK || status > MONEY_RANGE)
        abort();
    check_messages(text, &options, size);
    if (status == MONEY_OK) {
        check_format_round_trip(value, options.decimals);
        total = value;
    } else {
        for (size_t i = 0; i < text_size; i++)
            total += (unsigned char)text[i];
    }
    if (nul != NULL)
        check_apportion(total, nul + 1, size - 2 - text_size - 1);

    free(text);
    return 0;
}
