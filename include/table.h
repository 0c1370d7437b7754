/*
 * table: a CSV file read whole into memory, with the columns a caller
 * asked for found by header name.
 *
 * The reader uses libcsv in strict mode.  It accepts UTF-8 with or without
 * a byte-order mark, UTF-16 with a byte-order mark (transcoded), and
 * Windows-1252 when asked; CRLF, LF and CR line ends; a delimiter given by
 * the caller or taken from the header line.  Every row keeps the physical
 * line it starts on, so messages point into the file as an editor shows it.
 */
#ifndef COSTSHARE_TABLE_H
#define COSTSHARE_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "money.h"

/* Lines searched for the header row when the caller names none. */
#define TABLE_HEADER_SEARCH 20

/* Maximum size of an input file, in bytes (documented in the man page). */
#define TABLE_MAX_FILE_BYTES ((size_t)1 << 30)

/* Maximum number of fields in one row. */
#define TABLE_MAX_FIELDS 1000

/* Maximum length of one field, in bytes. */
#define TABLE_MAX_FIELD_BYTES (1 << 20)

/* Maximum headcount in one cell, in persons. */
#define TABLE_MAX_HEADCOUNT 10000000

enum table_encoding {
    TABLE_UTF8,        /* with or without byte-order mark; UTF-16 by BOM */
    TABLE_WINDOWS_1252 /* transcoded to UTF-8 */
};

/* One column a caller wants: NAME is the header text to look for. */
struct table_column {
    const char *name;
    int required;
};

/* How to read one file.  The strings belong to the caller. */
struct table_spec {
    const char *path;     /* path to open */
    const char *display;  /* name in messages; PATH when NULL */
    const char *named_by; /* "model.ini:8", where the file is named; or
                             NULL */
    enum table_encoding encoding;
    char delimiter;   /* ',', ';' or '\t'; 0 takes it from the header */
    long header_line; /* physical line of the header; 0 searches */
    const struct table_column *columns;
    size_t ncolumns;
    struct money_parse_options number; /* for table_cell_amount() */
};

/* A row; its arrays and cells are in the table's blocks, released with
 * the table. */
struct table_row {
    long line;        /* physical line the row starts on */
    char **cells;     /* one per spec column, trimmed; NULL if the
                         row stops before that column */
    long *lines;      /* physical line each cell starts on */
    char **untrimmed; /* per cell: the text before trimming, or NULL
                         when trimming changed nothing */
};

struct table_block;

struct table {
    char *display;   /* name in messages */
    size_t ncolumns; /* spec columns */
    long *field_of;  /* per spec column: 1-based field number, 0 if absent */
    char **header;   /* per spec column: the header text as in the file */
    struct table_row *rows;
    size_t nrows;
    long header_line;
    size_t header_fields;   /* fields of the header row */
    long header_end_line;   /* last physical line of the header row
                               (table_read_header only) */
    unsigned char *unnamed; /* per header field: 1 when its name is
                               empty (table_read_header only) */
    long skipped;           /* lines before the header */
    struct money_parse_options number;
    char delimiter;
    char sha256[65];            /* hex digest of the file's bytes as read */
    struct table_block *blocks; /* memory of the rows and their cells */
};

/*
 * Read the file that SPEC names.  Every problem found is added to D as an
 * error with file, line and column (up to the diag limit).  Returns 0 with
 * T filled, or -1 on invalid input, with T holding the rows that were
 * well formed so that the caller can check their cells too; release T in
 * both cases.  Returns -2 when the file cannot be read (a system error,
 * also in D), with T empty.
 */
int table_read(struct table *t, const struct table_spec *spec, struct diag *d);

void table_release(struct table *t);

/*
 * Read only the header of the file open on FD, for a reader that streams
 * the rows itself: the lines up to the header are read and checked as
 * table_read() does, and T is filled without rows.  *DATA_OFFSET is set
 * to the byte offset of the line after the header.  A file in UTF-16 is
 * refused, since its rows could not be split by bytes.  Returns 0, -1 on
 * invalid input or -2 on a system error (errors in D); release T in every
 * case.  T's digest is left empty.
 */
int table_read_header(struct table *t, const struct table_spec *spec, int fd,
                      unsigned long long *data_offset, struct diag *d);

/*
 * Return LEN bytes of text at S in ENCODING as a new UTF-8 string, or NULL
 * when they are not valid in it (*BAD is then the offset of the first
 * bad byte).
 */
char *table_text_utf8(const char *s, size_t len, enum table_encoding encoding,
                      size_t *bad);

/*
 * Typed cells.  Each reads column COL (index into the spec) of row ROW,
 * adds an error naming the file, line, field and value to D when the cell
 * is invalid, and returns 0 on success or -1.
 */

/* A key such as an organisation or country code (WHAT names it): not
 * empty, then upper-cased in place.  *OUT points into the table.  A key
 * changed by trimming or upper-casing is reported as a warning, so two
 * spellings of one code are merged but never silently. */
int table_cell_code(struct table *t, size_t row, size_t col, const char *what,
                    const char **out, struct diag *d);

/*
 * The steps of table_cell_code() on a code S, for readers of their own:
 * return the first control character of S, or -1 when it has none; take
 * off the apostrophe costshare writes before =, +, - or @; upper-case S
 * when it is ASCII, returning whether that changed it.
 */
int table_code_control(const char *s);
void table_code_unquote(char *s);
int table_code_fold(char *s);

/* A text cell, possibly empty; *OUT points into the table ("" if absent). */
const char *table_cell_text(const struct table *t, size_t row, size_t col);

/* A headcount: a whole number of persons, 0 to TABLE_MAX_HEADCOUNT. */
int table_cell_headcount(const struct table *t, size_t row, size_t col,
                         int64_t *out, struct diag *d);

/* An amount in the table's number format, scaled by 10^decimals. */
int table_cell_amount(const struct table *t, size_t row, size_t col,
                      int64_t *out, struct diag *d);

/* Line and field number of a cell, for callers' own messages. */
long table_cell_line(const struct table *t, size_t row, size_t col);
long table_cell_field(const struct table *t, size_t col);

#endif
