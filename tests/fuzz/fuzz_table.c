/*
 * libFuzzer harness for table: the input bytes are a CSV file, read with
 * table_read() under two specs, and every kept row's cells are read as
 * typed values.
 *
 * The first spec is the default of a headcount file: UTF-8, delimiter
 * and header row found from the file, point format, whole persons.  The
 * second varies with the input size so that mutations reach the other
 * options: delimiter (given or found), header line (given or searched),
 * Windows-1252, the comma format, half-even rounding, and an optional
 * country column.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "diag.h"
#include "fuzz_files.h"
#include "table.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *null_stream;

static const struct table_column required_columns[] = {
    {"organisation", 1},
    {"country", 1},
    {"headcount", 1},
};

static const struct table_column optional_country_columns[] = {
    {"organisation", 1},
    {"country", 0},
    {"headcount", 1},
};

enum { COLUMN_ORGANISATION, COLUMN_COUNTRY, COLUMN_HEADCOUNT };

static void read_cells(struct table *t, struct diag *d)
{
    for (size_t row = 0; row < t->nrows; row++) {
        const char *code;
        int64_t value;

        table_cell_code(t, row, COLUMN_ORGANISATION, "organisation", &code,
                        d);
        /* Callers read an optional column only when the header has it. */
        if (table_cell_field(t, COLUMN_COUNTRY) != 0)
            table_cell_code(t, row, COLUMN_COUNTRY, "country", &code, d);
        (void)table_cell_text(t, row, COLUMN_COUNTRY);
        table_cell_headcount(t, row, COLUMN_HEADCOUNT, &value, d);
        table_cell_amount(t, row, COLUMN_HEADCOUNT, &value, d);
        for (size_t col = 0; col < t->ncolumns; col++)
            if (table_cell_line(t, row, col) < 1)
                abort(); /* every cell has a physical line from 1 */
    }
}

static void read_table(const struct table_spec *spec)
{
    struct table t;
    struct diag d;
    int status;

    diag_init(&d);
    status = table_read(&t, spec, &d);
    if (status == -2)
        abort(); /* the scratch file is always readable */
    if (status == -1 && d.errors == 0)
        abort(); /* invalid input must come with an error */
    if (status == 0 && d.errors > 0)
        abort(); /* an error must make the read fail */
    read_cells(&t, &d);
    diag_print(&d, null_stream);
    table_release(&t);
    diag_release(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char delimiters[] = {0, ',', ';', '\t'};
    static char path[128];
    struct table_spec spec = {0};

    if (path[0] == '\0') {
        snprintf(path, sizeof path, "%s/input.csv", fuzz_scratch_folder());
        null_stream = fopen("/dev/null", "w");
        if (null_stream == NULL)
            abort();
    }
    fuzz_write_file(path, data, size);

    spec.path = path;
    spec.display = "input.csv";
    spec.named_by = "model.ini:8";
    spec.encoding = TABLE_UTF8;
    spec.columns = required_columns;
    spec.ncolumns = 3;
    spec.number.decimals = 0;
    spec.number.format = MONEY_FORMAT_POINT;
    spec.number.rounding = MONEY_ROUND_REJECT;
    read_table(&spec);

    spec.encoding = size % 2 ? TABLE_WINDOWS_1252 : TABLE_UTF8;
    spec.delimiter = delimiters[size / 2 % 4];
    spec.header_line = (long)(size / 8 % 3);
    spec.columns = optional_country_columns;
    spec.number.decimals = 2;
    spec.number.format = MONEY_FORMAT_COMMA;
    spec.number.rounding = MONEY_ROUND_HALF_EVEN;
    spec.number.allow_dash_zero = 1;
    read_table(&spec);
    return 0;
}
