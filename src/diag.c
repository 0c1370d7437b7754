/*
 * diag: collected errors, warnings and notes, and their one format.
 */
#include "diag.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

void diag_init(struct diag *d)
{
    memset(d, 0, sizeof *d);
}

void diag_release(struct diag *d)
{
    for (size_t i = 0; i < d->count; i++) {
        free(d->entries[i].file);
        free(d->entries[i].message);
    }
    free(d->entries);
    diag_init(d);
}

/* Count a diagnostic of LEVEL in D and return the entry to fill, or NULL
 * when LEVEL is past its limit and the diagnostic is only counted. */
static struct diag_entry *new_entry(struct diag *d, enum diag_level level)
{
    if (level == DIAG_ERROR && ++d->errors > DIAG_MAX_ERRORS) {
        d->dropped++;
        return NULL;
    }
    if (level == DIAG_WARNING && ++d->warnings > DIAG_MAX_WARNINGS) {
        d->dropped_warnings++;
        return NULL;
    }
    if (d->count == d->capacity) {
        d->capacity = d->capacity ? 2 * d->capacity : 16;
        d->entries =
            xreallocarray(d->entries, d->capacity, sizeof *d->entries);
    }
    return &d->entries[d->count++];
}

void diag_add(struct diag *d, enum diag_level level, const char *file,
              long line, long column, const char *format, ...)
{
    struct diag_entry *e = new_entry(d, level);
    va_list ap;
    int n;

    if (e == NULL)
        return;
    e->level = level;
    e->file = file ? xstrdup(file) : NULL;
    e->line = line;
    e->column = column;

    va_start(ap, format);
    n = vsnprintf(NULL, 0, format, ap);
    va_end(ap);
    e->message = xmalloc(n > 0 ? (size_t)n + 1 : 1);
    va_start(ap, format);
    vsnprintf(e->message, n > 0 ? (size_t)n + 1 : 1, format, ap);
    va_end(ap);
}

void diag_append(struct diag *into, struct diag *from)
{
    for (size_t i = 0; i < from->count; i++) {
        struct diag_entry *e = &from->entries[i];
        struct diag_entry *slot = new_entry(into, e->level);

        if (slot != NULL) {
            *slot = *e;
        } else {
            free(e->file);
            free(e->message);
        }
    }
    /* What FROM counted past its own limits stays counted. */
    into->errors += from->dropped;
    into->dropped += from->dropped;
    into->warnings += from->dropped_warnings;
    into->dropped_warnings += from->dropped_warnings;
    free(from->entries);
    diag_init(from);
}

void diag_add_unshown(struct diag *d, size_t n)
{
    d->errors += n;
    d->dropped += n;
}

void diag_sort_lines(struct diag *d, size_t first)
{
    /* Insertion sort: stable, and the lists are short. */
    for (size_t i = first + 1; i < d->count; i++) {
        struct diag_entry e = d->entries[i];
        size_t j = i;

        while (j > first && d->entries[j - 1].line > e.line) {
            d->entries[j] = d->entries[j - 1];
            j--;
        }
        d->entries[j] = e;
    }
}

static const char *level_prefix(enum diag_level level)
{
    switch (level) {
    case DIAG_WARNING:
        return "warning: ";
    case DIAG_NOTE:
        return "note: ";
    case DIAG_ERROR:
        break;
    }
    return "";
}

void diag_print(const struct diag *d, FILE *stream)
{
    for (size_t i = 0; i < d->count; i++) {
        const struct diag_entry *e = &d->entries[i];

        fputs("costshare: ", stream);
        if (e->file)
            fprintf(stream, "%s:", e->file);
        if (e->file && e->line > 0)
            fprintf(stream, "%ld:", e->line);
        if (e->file && e->line > 0 && e->column > 0)
            fprintf(stream, "%ld:", e->column);
        if (e->file)
            fputc(' ', stream);
        fprintf(stream, "%s%s\n", level_prefix(e->level), e->message);
    }
    if (d->dropped > 0)
        fprintf(stream, "costshare: %zu more errors not shown\n", d->dropped);
    if (d->dropped_warnings > 0)
        fprintf(stream, "costshare: %zu more warnings not shown\n",
                d->dropped_warnings);
}
