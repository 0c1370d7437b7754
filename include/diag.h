/*
 * diag: the diagnostics of one command, collected in the order found.
 *
 * Modules add errors and warnings here and return a status; only the
 * command-line layer prints them, as "costshare: FILE:LINE:COLUMN: text".
 */
#ifndef COSTSHARE_DIAG_H
#define COSTSHARE_DIAG_H

#include <stddef.h>
#include <stdio.h>

/* Errors, and warnings, kept before the rest are only counted. */
#define DIAG_MAX_ERRORS 50
#define DIAG_MAX_WARNINGS 50

enum diag_level { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE };

struct diag_entry {
    enum diag_level level;
    char *file;    /* NULL when no file is involved */
    long line;     /* physical line, 1-based; 0 when unknown */
    long column;   /* field number, 1-based; 0 when unknown */
    char *message; /* lower case, no final period */
};

struct diag {
    struct diag_entry *entries;
    size_t count;
    size_t capacity;
    size_t errors;           /* every error, kept or not */
    size_t dropped;          /* errors past DIAG_MAX_ERRORS, not kept */
    size_t warnings;         /* every warning, kept or not */
    size_t dropped_warnings; /* past DIAG_MAX_WARNINGS, not kept */
};

void diag_init(struct diag *d);
void diag_release(struct diag *d);

/*
 * Add a diagnostic.  FILE may be NULL; LINE and COLUMN 0 leave them out.
 * The message is formatted like printf.  Errors past DIAG_MAX_ERRORS are
 * counted but not kept.
 */
void diag_add(struct diag *d, enum diag_level level, const char *file,
              long line, long column, const char *format, ...)
    __attribute__((format(printf, 6, 7)));

#define diag_error(d, file, line, column, ...)                                \
    diag_add((d), DIAG_ERROR, (file), (line), (column), __VA_ARGS__)
#define diag_warning(d, file, line, column, ...)                              \
    diag_add((d), DIAG_WARNING, (file), (line), (column), __VA_ARGS__)

/* Move the entries and counts of FROM to the end of INTO, within the
 * limits of INTO, and leave FROM empty. */
void diag_append(struct diag *into, struct diag *from);

/* Count N more errors that are past the limit and not shown. */
void diag_add_unshown(struct diag *d, size_t n);

/* Sort the entries from index FIRST on by line, keeping the order of
 * entries on the same line. */
void diag_sort_lines(struct diag *d, size_t first);

/* Write every kept entry to STREAM with the "costshare: " prefix. */
void diag_print(const struct diag *d, FILE *stream);

#endif
