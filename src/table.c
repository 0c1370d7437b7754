/*
 * table: CSV files as finance staff export them, read strictly.
 *
 * The file is read whole, its encoding settled (byte-order marks, UTF-16,
 * Windows-1252), then fed to libcsv one physical line at a time, so every
 * field records the line it starts on.  libcsv cannot stop a parse from a
 * callback, so callbacks only collect; every check runs afterwards.
 */
#include "table.h"

#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

/*
 * A block of the memory that holds the fields of a file and the arrays of
 * its rows.  The blocks of one file are released together, so that a
 * field or a row costs no allocation of its own.
 */
struct table_block {
    struct table_block *next;
    size_t used, size;
    max_align_t data[];
};

/* Size of an ordinary block; a larger request gets a block of its own. */
#define TABLE_BLOCK_BYTES ((size_t)64 << 10)

/*
 * Return SIZE bytes aligned for any type when ALIGNED is non-zero, from
 * the blocks in *BLOCKS.  The memory lives until blocks_free().
 */
static void *blocks_alloc(struct table_block **blocks, size_t size,
                          int aligned)
{
    const size_t unit = _Alignof(max_align_t);
    struct table_block *b = *blocks;
    size_t start;

    if (b != NULL && aligned)
        start = (b->used + unit - 1) / unit * unit;
    else
        start = b != NULL ? b->used : 0;
    if (b == NULL || start > b->size || b->size - start < size) {
        /* Requests are at most a field (TABLE_MAX_FIELD_BYTES) or the
         * arrays of one row, so the sum cannot overflow. */
        int own = size > TABLE_BLOCK_BYTES / 4;
        size_t room = own ? size : TABLE_BLOCK_BYTES;

        b = xmalloc(sizeof *b + room);
        b->size = room;
        b->used = 0;
        start = 0;
        /* A large request takes a block of its own behind the current
         * one, whose free space stays in use. */
        if (own && *blocks != NULL) {
            b->next = (*blocks)->next;
            (*blocks)->next = b;
            b->used = size;
            return b->data;
        }
        b->next = *blocks;
        *blocks = b;
    }
    b->used = start + size;
    return (char *)b->data + start;
}

/* Copy LEN bytes at S into the blocks, with a NUL after them. */
static char *blocks_strndup(struct table_block **blocks, const char *s,
                            size_t len)
{
    char *copy = blocks_alloc(blocks, len + 1, 0);

    if (len > 0)
        memcpy(copy, s, len);
    copy[len] = '\0';
    return copy;
}

static void blocks_free(struct table_block *b)
{
    while (b != NULL) {
        struct table_block *next = b->next;

        free(b);
        b = next;
    }
}

/* One record as libcsv delivered it.  The arrays and the text are in the
 * collector's blocks, except those of the record being collected. */
struct raw_row {
    long line; /* line of the record's first byte */
    size_t nfields;
    char **fields; /* NUL-terminated, untrimmed */
    size_t *lengths;
    long *lines; /* line each field starts on */
};

/* State shared with the libcsv callbacks. */
struct collector {
    struct table_block *blocks; /* the text of every field */
    struct raw_row *rows;
    size_t nrows, capacity;
    struct raw_row current; /* arrays reused from record to record */
    size_t current_capacity;
    long line;        /* line being fed */
    long record_line; /* line the current record started on */
    long field_line;  /* line the current field started on */
    char delimiter;
    int too_many_fields; /* a record passed TABLE_MAX_FIELDS */
    long too_many_line;
    int too_long_field; /* a field passed TABLE_MAX_FIELD_BYTES */
    long too_long_line, too_long_column;
};

static void on_field(void *data, size_t len, void *context)
{
    struct collector *c = context;
    struct raw_row *r = &c->current;

    if (r->nfields == TABLE_MAX_FIELDS) {
        if (!c->too_many_fields)
            c->too_many_line = c->record_line;
        c->too_many_fields = 1;
        c->field_line = c->line;
        return;
    }
    if (len > TABLE_MAX_FIELD_BYTES) {
        if (!c->too_long_field) {
            c->too_long_line = c->field_line;
            c->too_long_column = (long)r->nfields + 1;
        }
        c->too_long_field = 1;
        len = 0; /* keep the row's shape, not the text */
    }
    if (r->nfields == c->current_capacity) {
        c->current_capacity =
            c->current_capacity ? 2 * c->current_capacity : 8;
        r->fields =
            xreallocarray(r->fields, c->current_capacity, sizeof *r->fields);
        r->lengths =
            xreallocarray(r->lengths, c->current_capacity, sizeof *r->lengths);
        r->lines =
            xreallocarray(r->lines, c->current_capacity, sizeof *r->lines);
    }
    r->fields[r->nfields] =
        blocks_strndup(&c->blocks, data ? data : "", data ? len : 0);
    r->lengths[r->nfields] = data ? len : 0;
    r->lines[r->nfields] = c->field_line;
    r->nfields++;

    /* The next field starts just after the delimiter, on this line. */
    c->field_line = c->line;
}

static void on_row(int terminator, void *context)
{
    struct collector *c = context;
    const struct raw_row *current = &c->current;
    struct raw_row *r;
    size_t n = current->nfields;

    (void)terminator;
    if (c->nrows == c->capacity) {
        c->capacity = c->capacity ? 2 * c->capacity : 64;
        c->rows = xreallocarray(c->rows, c->capacity, sizeof *c->rows);
    }
    r = &c->rows[c->nrows++];
    r->line = c->record_line;
    r->nfields = n;
    r->fields = blocks_alloc(&c->blocks, n * sizeof *r->fields, 1);
    r->lengths = blocks_alloc(&c->blocks, n * sizeof *r->lengths, 1);
    r->lines = blocks_alloc(&c->blocks, n * sizeof *r->lines, 1);
    if (n > 0) {
        memcpy(r->fields, current->fields, n * sizeof *r->fields);
        memcpy(r->lengths, current->lengths, n * sizeof *r->lengths);
        memcpy(r->lines, current->lines, n * sizeof *r->lines);
    }
    c->current.nfields = 0;
    c->record_line = 0;
}

/* Release C, its blocks too unless they were handed over (NULL). */
static void collector_free(struct collector *c)
{
    blocks_free(c->blocks);
    free(c->rows);
    free(c->current.fields);
    free(c->current.lengths);
    free(c->current.lines);
}

/* ---- reading and encodings ---- */

/* Read the whole file at PATH into *BUF; return 0, or -1 with errno. */
static int read_file(const char *path, char **buf, size_t *len)
{
    FILE *f = fopen(path, "rb");
    size_t cap = 65536, n = 0;
    struct stat st;
    char *p;

    if (f == NULL)
        return -1;
    if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
        fclose(f);
        errno = EISDIR;
        return -1;
    }
    if (fstat(fileno(f), &st) == 0 &&
        (uintmax_t)st.st_size > (uintmax_t)TABLE_MAX_FILE_BYTES) {
        fclose(f);
        errno = EFBIG;
        return -1;
    }
    p = xmalloc(cap);
    for (;;) {
        size_t got = fread(p + n, 1, cap - n, f);

        n += got;
        if (got == 0)
            break;
        if (n > TABLE_MAX_FILE_BYTES) {
            errno = EFBIG;
            break;
        }
        if (n == cap) {
            cap *= 2;
            p = xrealloc(p, cap);
        }
    }
    if (ferror(f) || n > TABLE_MAX_FILE_BYTES) {
        int saved = ferror(f) ? errno : EFBIG;

        fclose(f);
        free(p);
        errno = saved;
        return -1;
    }
    fclose(f);
    *buf = p;
    *len = n;
    return 0;
}

/* Append code point CP to OUT as UTF-8; OUT has room for 4 bytes. */
static size_t put_utf8(unsigned char *out, uint32_t cp)
{
    if (cp < 0x80) {
        out[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (unsigned char)(0xC0 | (cp >> 6));
        out[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (unsigned char)(0xE0 | (cp >> 12));
        out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (unsigned char)(0xF0 | (cp >> 18));
    out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

/*
 * Transcode UTF-16 (after its byte-order mark) to UTF-8.  Returns the new
 * buffer, or NULL for an odd length or a broken surrogate pair, with
 * *BAD_LINE set to the line of the problem.
 */
static char *utf16_to_utf8(const unsigned char *in, size_t len, int big_endian,
                           size_t *out_len, long *bad_line)
{
    unsigned char *out = xmalloc(len / 2 * 3 + 4);
    size_t n = 0;
    long line = 1;

    for (size_t i = 0; i + 1 < len; i += 2) {
        uint32_t u = big_endian ? (uint32_t)(in[i] << 8 | in[i + 1])
                                : (uint32_t)(in[i + 1] << 8 | in[i]);

        if (u >= 0xD800 && u <= 0xDBFF && i + 3 < len) {
            uint32_t lo = big_endian ? (uint32_t)(in[i + 2] << 8 | in[i + 3])
                                     : (uint32_t)(in[i + 3] << 8 | in[i + 2]);

            if (lo < 0xDC00 || lo > 0xDFFF)
                goto bad;
            u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
            i += 2;
        } else if (u >= 0xD800 && u <= 0xDFFF) {
            goto bad;
        }
        if (u == '\n')
            line++;
        n += put_utf8(out + n, u);
    }
    if (len % 2 != 0)
        goto bad;
    *out_len = n;
    return (char *)out;
bad:
    free(out);
    *bad_line = line;
    return NULL;
}

/* Code points of Windows-1252 bytes 0x80 to 0x9F; 0 where undefined. */
static const uint16_t cp1252_high[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,      0x017D, 0,
    0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178,
};

/* Transcode Windows-1252 to UTF-8.  Returns NULL, with *BAD the offset,
 * at a byte that Windows-1252 leaves undefined (0x81, 0x8D, 0x8F, 0x90,
 * 0x9D). */
static char *cp1252_to_utf8(const unsigned char *in, size_t len,
                            size_t *out_len, size_t *bad)
{
    unsigned char *out = xmalloc(len * 3 + 1);
    size_t n = 0;

    for (size_t i = 0; i < len; i++) {
        uint32_t cp = in[i];

        if (cp >= 0x80 && cp <= 0x9F && cp1252_high[cp - 0x80] == 0) {
            free(out);
            *bad = i;
            return NULL;
        }
        if (cp >= 0x80 && cp <= 0x9F)
            cp = cp1252_high[cp - 0x80];
        n += put_utf8(out + n, cp);
    }
    *out_len = n;
    return (char *)out;
}

/*
 * Return the length of the valid UTF-8 sequence at S, or 0 when the bytes
 * there are not valid UTF-8 (overlong forms and surrogates included).
 */
static size_t utf8_sequence(const unsigned char *s, size_t len)
{
    size_t need;
    uint32_t cp, min;

    if (s[0] < 0x80)
        return 1;
    if ((s[0] & 0xE0) == 0xC0) {
        need = 2, cp = s[0] & 0x1Fu, min = 0x80;
    } else if ((s[0] & 0xF0) == 0xE0) {
        need = 3, cp = s[0] & 0x0Fu, min = 0x800;
    } else if ((s[0] & 0xF8) == 0xF0) {
        need = 4, cp = s[0] & 0x07u, min = 0x10000;
    } else {
        return 0;
    }
    if (len < need)
        return 0;
    for (size_t i = 1; i < need; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        cp = cp << 6 | (s[i] & 0x3Fu);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return need;
}

/* Return the offset of the first invalid UTF-8 byte, or LEN. */
static size_t utf8_invalid_at(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, n;

    while (i < len && (n = utf8_sequence(u + i, len - i)) > 0)
        i += n;
    return i;
}

/*
 * Settle the encoding of BUF: drop one UTF-8 byte-order mark at offset 0,
 * transcode UTF-16 (by its byte-order mark) or Windows-1252 (when asked),
 * and reject NUL bytes.  Returns 0 with *OUT owning the UTF-8 text (BUF
 * freed or moved into it), or -1 with an error in D.
 */
static int settle_encoding(char *buf, size_t len,
                           const struct table_spec *spec, const char *name,
                           char **out, size_t *out_len, struct diag *d)
{
    const unsigned char *u = (const unsigned char *)buf;
    const char *nul;

    if (len >= 2 &&
        ((u[0] == 0xFF && u[1] == 0xFE) || (u[0] == 0xFE && u[1] == 0xFF))) {
        int big = u[0] == 0xFE;
        long bad_line = 0;

        *out = utf16_to_utf8(u + 2, len - 2, big, out_len, &bad_line);
        free(buf);
        if (*out == NULL) {
            diag_error(d, name, bad_line, 0,
                       "invalid UTF-16%s text; save the file as \"CSV "
                       "UTF-8\"",
                       big ? "BE" : "LE");
            return -1;
        }
        buf = *out;
        len = *out_len;
    } else if (len >= 3 && u[0] == 0xEF && u[1] == 0xBB && u[2] == 0xBF) {
        memmove(buf, buf + 3, len - 3);
        len -= 3;
    } else if (spec->encoding == TABLE_WINDOWS_1252) {
        size_t bad = 0;

        *out = cp1252_to_utf8(u, len, out_len, &bad);
        if (*out == NULL) {
            long line = 1;

            for (size_t i = 0; i < bad; i++)
                line +=
                    buf[i] == '\n' ||
                    (buf[i] == '\r' && (i + 1 >= len || buf[i + 1] != '\n'));
            diag_error(d, name, line, 0,
                       "byte 0x%02X is not a Windows-1252 character; is the "
                       "file in another encoding?",
                       u[bad]);
            free(buf);
            return -1;
        }
        free(buf);
        buf = *out;
        len = *out_len;
    }

    nul = memchr(buf, '\0', len);
    if (nul != NULL) {
        long line = 1;

        for (const char *p = buf; p < nul; p++)
            line += *p == '\n' || (*p == '\r' && p[1] != '\n');
        diag_error(d, name, line, 0,
                   "file contains NUL bytes; it may be UTF-16 without a "
                   "byte-order mark -- save it as \"CSV UTF-8\"");
        free(buf);
        return -1;
    }
    *out = buf;
    *out_len = len;
    return 0;
}

/* ---- parsing ---- */

/* Return the delimiter used most often outside quotes on the line S
 * (LEN bytes), or ',' when none appears. */
static char count_delimiter(const char *s, size_t len)
{
    size_t comma = 0, semicolon = 0, tab = 0;
    int quoted = 0;

    for (size_t i = 0; i < len; i++) {
        if (s[i] == '"')
            quoted = !quoted;
        else if (!quoted && s[i] == ',')
            comma++;
        else if (!quoted && s[i] == ';')
            semicolon++;
        else if (!quoted && s[i] == '\t')
            tab++;
    }
    if (semicolon > comma && semicolon >= tab)
        return ';';
    if (tab > comma && tab > semicolon)
        return '\t';
    return ',';
}

/* Return the length of the physical line at S, its line end included:
 * CR LF is one line end, a lone CR or LF is one each. */
static size_t line_length(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '\n')
            return i + 1;
        if (s[i] == '\r')
            return i + 1 < len && s[i + 1] == '\n' ? i + 2 : i + 1;
    }
    return len;
}

static int is_blank_line(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
            return 0;
    return 1;
}

static int header_equal(const char *a, const char *b);

/* Return whether the line S (LEN bytes, no line end), split at DELIMITER
 * outside quotes, has a field named NAME. */
static int line_has_name(const char *s, size_t len, char delimiter,
                         const char *name)
{
    char field[256];
    size_t n = 0;
    int quoted = 0;

    for (size_t i = 0; i <= len; i++) {
        if (i == len || (!quoted && s[i] == delimiter)) {
            field[n] = '\0';
            if (header_equal(field, name))
                return 1;
            n = 0;
        } else if (s[i] == '"') {
            quoted = !quoted;
        } else if (n + 1 < sizeof field) {
            field[n++] = s[i];
        }
    }
    return 0;
}

static int line_has_header(const char *s, size_t len, char delimiter,
                           const struct table_spec *spec)
{
    for (size_t i = 0; i < spec->ncolumns; i++)
        if (spec->columns[i].required &&
            !line_has_name(s, len, delimiter, spec->columns[i].name))
            return 0;
    return 1;
}

/*
 * Choose the delimiter from the header line: the first delimiter that
 * splits a line (the given header line, or one of the lines searched for
 * it) into every required column.  Without such a line, the delimiter
 * used most on the header line or, failing that, the first line.
 */
static char choose_delimiter(const char *text, size_t len,
                             const struct table_spec *spec)
{
    static const char candidates[] = {',', ';', '\t'};
    size_t pos = 0, first = 0;
    long line = 0;

    while (pos < len &&
           (line < TABLE_HEADER_SEARCH || line < spec->header_line)) {
        size_t n = line_length(text + pos, len - pos), body = n;

        while (body > 0 &&
               (text[pos + body - 1] == '\n' || text[pos + body - 1] == '\r'))
            body--;
        if (++line == 1)
            first = body;
        for (size_t k = 0; k < sizeof candidates; k++)
            if ((spec->header_line == 0 || spec->header_line == line) &&
                line_has_header(text + pos, body, candidates[k], spec))
                return candidates[k];
        if (spec->header_line == line)
            return count_delimiter(text + pos, body);
        pos += n;
    }
    return count_delimiter(text, first);
}

/* Report a strict-mode parse error of libcsv at byte OFFSET of the
 * current line. */
static void report_parse_error(const struct collector *c, const char *text,
                               size_t offset, const char *name, struct diag *d)
{
    long start = c->field_line ? c->field_line : c->line;
    long field = (long)c->current.nfields + 1;
    size_t before = offset;

    while (before > 0 && (text[before - 1] == ' ' || text[before - 1] == '\t'))
        before--;
    if (text[offset] == '"' && before < offset &&
        (before == 0 || text[before - 1] == c->delimiter))
        diag_error(d, name, c->line, field,
                   "space before the opening quote of a field; remove it "
                   "or quote the spaces too");
    else if (text[offset] == '"')
        diag_error(d, name, start, field,
                   "quote character inside an unquoted field on line %ld; "
                   "quote the whole field and double the quote",
                   c->line);
    else
        diag_error(d, name, start, field,
                   "quoted field is not closed properly (text after a "
                   "closing quote on line %ld)",
                   c->line);
}

/* libcsv would drop spaces around unquoted fields; keep them, so that
 * trimming a key is seen and reported here. */
static int no_space(unsigned char c)
{
    (void)c;
    return 0;
}

/*
 * Parse TEXT into raw records in C.  Returns 0, or -1 with the error in D.
 */
static int parse_records(const char *text, size_t len, char delimiter,
                         const char *name, struct collector *c, struct diag *d)
{
    struct csv_parser parser;
    size_t pos = 0;
    int status = 0;

    if (csv_init(&parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
        return -1;
    csv_set_delim(&parser, (unsigned char)delimiter);
    csv_set_space_func(&parser, no_space);
    /* libcsv grows a field by this many bytes at a time; its default of
     * 128 makes one long field quadratic. */
    csv_set_blk_size(&parser, 65536);

    while (pos < len) {
        size_t n = line_length(text + pos, len - pos), done;

        c->line++;
        if (c->record_line == 0 && !is_blank_line(text + pos, n)) {
            c->record_line = c->line;
            c->field_line = c->line;
        }
        done = csv_parse(&parser, text + pos, n, on_field, on_row, c);
        if (done != n) {
            if (csv_error(&parser) == CSV_EPARSE)
                report_parse_error(c, text + pos, done, name, d);
            else
                diag_error(d, name, c->line, 0, "cannot parse: %s",
                           csv_strerror(csv_error(&parser)));
            status = -1;
            break;
        }
        pos += n;
    }

    if (status == 0 && csv_fini(&parser, on_field, on_row, c) != 0) {
        diag_error(d, name, c->field_line, (long)c->current.nfields + 1,
                   "unterminated quoted field (file truncated?)");
        status = -1;
    }
    csv_free(&parser);

    if (status == 0 && c->too_many_fields) {
        diag_error(d, name, c->too_many_line, TABLE_MAX_FIELDS + 1,
                   "row has more than %d fields", TABLE_MAX_FIELDS);
        status = -1;
    }
    if (status == 0 && c->too_long_field) {
        diag_error(d, name, c->too_long_line, c->too_long_column,
                   "field longer than the limit of %d bytes",
                   TABLE_MAX_FIELD_BYTES);
        status = -1;
    }
    return status;
}

/* ---- header and rows ---- */

/* Compare header names after trimming and ASCII case folding. */
static int header_equal(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t pa = utf8_space_prefix(a, la), pb = utf8_space_prefix(b, lb);

    la -= pa + utf8_space_suffix(a + pa, la - pa);
    lb -= pb + utf8_space_suffix(b + pb, lb - pb);
    if (la != lb)
        return 0;
    for (size_t i = 0; i < la; i++) {
        char x = a[pa + i], y = b[pb + i];

        if (x >= 'A' && x <= 'Z')
            x = (char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (char)(y - 'A' + 'a');
        if (x != y)
            return 0;
    }
    return 1;
}

/* Return the 1-based field of ROW whose header is NAME, or 0. */
static long find_field(const struct raw_row *row, const char *name)
{
    for (size_t i = 0; i < row->nfields; i++)
        if (header_equal(row->fields[i], name))
            return (long)i + 1;
    return 0;
}

static int has_required(const struct raw_row *row,
                        const struct table_spec *spec)
{
    for (size_t i = 0; i < spec->ncolumns; i++)
        if (spec->columns[i].required &&
            find_field(row, spec->columns[i].name) == 0)
            return 0;
    return 1;
}

static size_t count_required(const struct raw_row *row,
                             const struct table_spec *spec)
{
    size_t found = 0;

    for (size_t i = 0; i < spec->ncolumns; i++)
        found += spec->columns[i].required &&
                 find_field(row, spec->columns[i].name) != 0;
    return found;
}

/* Return the index of the header record, or -1 with errors in D. */
static long find_header(const struct collector *c,
                        const struct table_spec *spec, const char *name,
                        struct diag *d)
{
    size_t best;

    if (c->nrows == 0) {
        diag_error(d, name, 0, 0, "file is empty; expected a header row");
        return -1;
    }
    for (size_t i = 0; i < c->nrows; i++) {
        const struct raw_row *row = &c->rows[i];

        if (spec->header_line > 0 && row->line == spec->header_line)
            return (long)i;
        if (spec->header_line == 0 && row->line <= TABLE_HEADER_SEARCH &&
            has_required(row, spec))
            return (long)i;
    }
    if (spec->header_line > 0) {
        diag_error(d, name, spec->header_line, 0,
                   "no header row starts on line %ld", spec->header_line);
        return -1;
    }

    if (c->rows[0].line > TABLE_HEADER_SEARCH) {
        diag_error(d, name, c->rows[0].line, 0,
                   "no header row within the first %d lines; set "
                   "header_line for this file in the model",
                   TABLE_HEADER_SEARCH);
        return -1;
    }

    /* No row has every required name: report the missing ones against
     * the row that has the most of them, likely the header with a typo. */
    best = 0;
    for (size_t i = 0; i < c->nrows && c->rows[i].line <= TABLE_HEADER_SEARCH;
         i++)
        if (count_required(&c->rows[i], spec) >
            count_required(&c->rows[best], spec))
            best = i;
    for (size_t i = 0; i < spec->ncolumns; i++)
        if (spec->columns[i].required &&
            find_field(&c->rows[best], spec->columns[i].name) == 0)
            diag_error(d, name, c->rows[best].line, 0,
                       "missing required column \"%s\" in the header row",
                       spec->columns[i].name);
    return -1;
}

static int contains_bom(const char *s, size_t len)
{
    for (size_t i = 0; i + 2 < len; i++)
        if ((unsigned char)s[i] == 0xEF && (unsigned char)s[i + 1] == 0xBB &&
            (unsigned char)s[i + 2] == 0xBF)
            return 1;
    return 0;
}

/*
 * Check every field of ROW for byte-order marks and invalid UTF-8 (the
 * latter reported once per file, through *UTF8_REPORTED).
 */
static int check_fields(const struct raw_row *row, const char *name,
                        int *utf8_reported, struct diag *d)
{
    int ok = 1;

    for (size_t f = 0; f < row->nfields; f++) {
        size_t bad;

        if (contains_bom(row->fields[f], row->lengths[f])) {
            diag_error(d, name, row->lines[f], (long)f + 1,
                       "unexpected byte-order mark inside the file (two "
                       "exports concatenated?)");
            ok = 0;
            continue;
        }
        bad = utf8_invalid_at(row->fields[f], row->lengths[f]);
        if (bad < row->lengths[f] && !*utf8_reported) {
            diag_error(d, name, row->lines[f], (long)f + 1,
                       "invalid UTF-8 (byte 0x%02X); the file may be "
                       "Windows-1252 -- save it as \"CSV UTF-8\" or set "
                       "encoding = windows-1252 for it in the model",
                       (unsigned char)row->fields[f][bad]);
            *utf8_reported = 1;
        }
        if (bad < row->lengths[f])
            ok = 0;
    }
    return ok;
}

/* Map the spec columns onto the fields of the header row. */
static int map_header(struct table *t, const struct raw_row *header,
                      const struct table_spec *spec, struct diag *d)
{
    int ok = 1;

    for (size_t i = 0; i < spec->ncolumns; i++) {
        long field = find_field(header, spec->columns[i].name);

        t->field_of[i] = field;
        if (field == 0 && spec->columns[i].required) {
            diag_error(d, t->display, header->line, 0,
                       "missing required column \"%s\" in the header row",
                       spec->columns[i].name);
            ok = 0;
            continue;
        }
        if (field == 0)
            continue;
        for (size_t j = 0; j < i; j++) {
            if (t->field_of[j] == field) {
                diag_error(d, t->display, header->line, field,
                           "column \"%s\" is mapped to both %s and %s; map "
                           "each to its own column",
                           header->fields[field - 1], spec->columns[j].name,
                           spec->columns[i].name);
                ok = 0;
            }
        }
        t->header[i] = xstrdup(header->fields[field - 1]);
        for (size_t f = (size_t)field; f < header->nfields; f++) {
            if (header_equal(header->fields[f], spec->columns[i].name)) {
                diag_error(d, t->display, header->lines[f], (long)f + 1,
                           "duplicate column name \"%s\" (also column %ld)",
                           spec->columns[i].name, field);
                ok = 0;
            }
        }
    }
    return ok;
}

static int all_digits(const char *s, size_t min, size_t max)
{
    size_t n = strspn(s, "0123456789");

    return n >= min && n <= max && s[n] == '\0';
}

/* Return the header of the column an unquoted "1,234.50" was split in,
 * or NULL when the extra fields do not look like one. */
static const char *split_number_column(const struct raw_row *row,
                                       const struct raw_row *header)
{
    for (size_t f = 0; f + 1 < row->nfields && f < header->nfields; f++) {
        const char *a = row->fields[f], *b = row->fields[f + 1];

        if (*a == '-')
            a++;
        if (all_digits(a, 1, 3) && strspn(b, "0123456789") == 3 &&
            (b[3] == '\0' || b[3] == '.'))
            return header->fields[f];
    }
    return NULL;
}

/* Check the shape of data ROW against HEADER. */
static int check_shape(const struct table *t, const struct raw_row *row,
                       const struct raw_row *header,
                       const struct table_spec *spec, struct diag *d)
{
    int ok = 1;

    if (row->nfields > header->nfields) {
        const char *column = split_number_column(row, header);
        size_t f = header->nfields;

        diag_error(d, t->display, row->lines[f], (long)f + 1,
                   "row has %zu fields but the header has %zu%s%s%s",
                   row->nfields, header->nfields,
                   column ? " (unquoted thousands separator in \"" : "",
                   column ? column : "", column ? "\"?)" : "");
        return 0;
    }
    for (size_t i = 0; i < spec->ncolumns; i++) {
        long field = t->field_of[i];

        if (spec->columns[i].required && (size_t)field > row->nfields) {
            diag_error(d, t->display, row->line, field,
                       "missing required column \"%s\"", t->header[i]);
            ok = 0;
        }
    }
    for (size_t f = 0; f < row->nfields; f++) {
        const char *h = header->fields[f];
        size_t hl = header->lengths[f];

        if (utf8_space_prefix(h, hl) == hl && row->lengths[f] > 0 &&
            utf8_space_prefix(row->fields[f], row->lengths[f]) !=
                row->lengths[f]) {
            diag_error(d, t->display, row->lines[f], (long)f + 1,
                       "value \"%s\" in a column that has no header",
                       row->fields[f]);
            ok = 0;
        }
    }
    return ok;
}

static int is_empty_row(const struct raw_row *row)
{
    for (size_t f = 0; f < row->nfields; f++)
        if (utf8_space_prefix(row->fields[f], row->lengths[f]) !=
            row->lengths[f])
            return 0;
    return 1;
}

static int is_repeated_header(const struct raw_row *row,
                              const struct raw_row *header)
{
    size_t named = 0;

    for (size_t f = 0; f < row->nfields && f < header->nfields; f++) {
        if (header->lengths[f] == 0)
            continue;
        if (!header_equal(row->fields[f], header->fields[f]))
            return 0;
        named++;
    }
    return named > 0;
}

/*
 * Make the spec columns of ROW a table row, trimmed.  A cell that needs
 * no trimming is the field's own text in T's blocks, which the row is
 * the last to use, so table_cell_code() may change it in place.
 */
static void keep_row(struct table *t, const struct raw_row *row)
{
    struct table_row *out = &t->rows[t->nrows++];
    size_t n = t->ncolumns;

    out->line = row->line;
    out->cells = blocks_alloc(&t->blocks, n * sizeof *out->cells, 1);
    out->lines = blocks_alloc(&t->blocks, n * sizeof *out->lines, 1);
    out->untrimmed = blocks_alloc(&t->blocks, n * sizeof *out->untrimmed, 1);
    for (size_t i = 0; i < n; i++) {
        long field = t->field_of[i];
        char *s;
        size_t len, head, tail;

        out->cells[i] = NULL;
        out->lines[i] = 0;
        out->untrimmed[i] = NULL;
        if (field == 0 || (size_t)field > row->nfields)
            continue;
        s = row->fields[field - 1];
        len = row->lengths[field - 1];
        head = utf8_space_prefix(s, len);
        tail = utf8_space_suffix(s + head, len - head);
        out->lines[i] = row->lines[field - 1];
        if (head + tail == 0) {
            out->cells[i] = s;
            continue;
        }
        out->cells[i] =
            blocks_strndup(&t->blocks, s + head, len - head - tail);
        out->untrimmed[i] = s;
    }
}

/* Return whether the LEN bytes at S are all ASCII. */
static int is_ascii(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    unsigned char any = 0;

    for (size_t i = 0; i < len; i++)
        any |= u[i];
    return any < 0x80;
}

/*
 * Build T from the records in C, checking every data row.  ASCII is
 * non-zero when the whole text is ASCII, which has neither byte-order
 * marks nor invalid UTF-8 to look for.
 */
static int build_table(struct table *t, const struct collector *c, int ascii,
                       const struct table_spec *spec, struct diag *d)
{
    const struct raw_row *header;
    long h = find_header(c, spec, t->display, d);
    int ok = 1, utf8_reported = 0;

    if (h < 0)
        return -1;
    header = &c->rows[h];
    t->header_line = header->line;
    t->header_fields = header->nfields;
    t->skipped = header->line - 1;
    if ((!ascii && !check_fields(header, t->display, &utf8_reported, d)) ||
        !map_header(t, header, spec, d))
        return -1;

    t->rows = xcalloc(c->nrows, sizeof *t->rows);
    for (size_t i = (size_t)h + 1; i < c->nrows; i++) {
        const struct raw_row *row = &c->rows[i];

        if (!ascii && !check_fields(row, t->display, &utf8_reported, d)) {
            ok = 0;
            continue;
        }
        if (is_empty_row(row))
            continue;
        if (is_repeated_header(row, header)) {
            diag_error(d, t->display, row->line, 1,
                       "the header row appears again (two exports "
                       "concatenated?)");
            ok = 0;
            continue;
        }
        if (!check_shape(t, row, header, spec, d)) {
            ok = 0;
            continue;
        }
        keep_row(t, row);
    }
    return ok ? 0 : -1;
}

/* Warn about the lines above the header row of T, if any. */
static void warn_skipped(const struct table *t, const char *name,
                         struct diag *d)
{
    if (t->skipped > 0)
        diag_warning(d, name, 1, 0,
                     "line%s 1%s%.0ld above the header row on line %ld "
                     "skipped",
                     t->skipped > 1 ? "s" : "", t->skipped > 1 ? "-" : "",
                     t->skipped > 1 ? t->skipped : 0, t->header_line);
}

int table_read(struct table *t, const struct table_spec *spec, struct diag *d)
{
    const char *name = spec->display ? spec->display : spec->path;
    struct collector c;
    char *raw, *text;
    size_t raw_len, len;
    int status, ascii;

    memset(t, 0, sizeof *t);
    if (read_file(spec->path, &raw, &raw_len) != 0) {
        if (errno == EFBIG)
            diag_error(d, name, 0, 0,
                       "file is larger than the limit of %zu MiB",
                       TABLE_MAX_FILE_BYTES >> 20);
        else
            diag_error(d, name, 0, 0, "cannot read the file%s%s: %s",
                       spec->named_by ? ", named in " : "",
                       spec->named_by ? spec->named_by : "", strerror(errno));
        return -2;
    }

    t->display = xstrdup(name);
    t->ncolumns = spec->ncolumns;
    t->field_of = xcalloc(spec->ncolumns, sizeof *t->field_of);
    t->header = xcalloc(spec->ncolumns, sizeof *t->header);
    t->number = spec->number;
    sha256_hex(raw, raw_len, t->sha256);
    if (settle_encoding(raw, raw_len, spec, name, &text, &len, d) != 0)
        return -1;

    t->delimiter =
        spec->delimiter ? spec->delimiter : choose_delimiter(text, len, spec);
    memset(&c, 0, sizeof c);
    c.delimiter = t->delimiter;
    status = parse_records(text, len, t->delimiter, name, &c, d);
    ascii = is_ascii(text, len);
    free(text);
    /* The rows point into the collector's blocks, so T takes them. */
    t->blocks = c.blocks;
    c.blocks = NULL;
    if (status == 0)
        status = build_table(t, &c, ascii, spec, d);
    collector_free(&c);
    warn_skipped(t, name, d);
    return status;
}

/* Most bytes read to find the header of a streamed file. */
#define TABLE_HEAD_BYTES ((size_t)1 << 20)

/* Read up to TABLE_HEAD_BYTES from the start of FD, cut after line
 * LINES; return the bytes (*LEN of them), or NULL with errno set. */
static char *read_head(int fd, long lines, size_t *len)
{
    char *buf = xmalloc(TABLE_HEAD_BYTES + 1);
    long long got = pread_full(fd, buf, TABLE_HEAD_BYTES, 0);
    size_t n, pos = 0;
    long line = 0;

    if (got < 0) {
        int saved = errno;

        free(buf);
        errno = saved;
        return NULL;
    }
    n = (size_t)got;
    while (pos < n && line < lines) {
        size_t k = line_length(buf + pos, n - pos);

        /* A CR at the end of what was read may be the first half of a
         * CR LF; the line is cut there either way. */
        pos += k;
        line++;
    }
    *len = pos;
    return buf;
}

/*
 * Return the length of TEXT up to the end of the line that contains the
 * header, so that the rows below it are left to the caller; all of LEN
 * when no line has it, so that the header's problems are reported.
 */
static size_t cut_after_header(const char *text, size_t len, char delimiter,
                               const struct table_spec *spec)
{
    size_t pos = 0;
    long line = 0;

    while (pos < len) {
        size_t n = line_length(text + pos, len - pos), body = n;

        while (body > 0 &&
               (text[pos + body - 1] == '\n' || text[pos + body - 1] == '\r'))
            body--;
        line++;
        if (spec->header_line > 0
                ? line == spec->header_line
                : line_has_header(text + pos, body, delimiter, spec))
            return pos + n;
        pos += n;
    }
    return len;
}

int table_read_header(struct table *t, const struct table_spec *spec, int fd,
                      unsigned long long *data_offset, struct diag *d)
{
    const char *name = spec->display ? spec->display : spec->path;
    long lines =
        spec->header_line > 0 ? spec->header_line : TABLE_HEADER_SEARCH;
    struct collector c;
    const struct raw_row *header;
    char *raw, *text;
    size_t raw_len, len, bom = 0, pos;
    long h, end_line, line;
    int status;

    memset(t, 0, sizeof *t);
    t->display = xstrdup(name);
    t->ncolumns = spec->ncolumns;
    t->field_of = xcalloc(spec->ncolumns, sizeof *t->field_of);
    t->header = xcalloc(spec->ncolumns, sizeof *t->header);
    t->number = spec->number;
    raw = read_head(fd, lines, &raw_len);
    if (raw == NULL) {
        diag_error(d, name, 0, 0, "cannot read the file%s%s: %s",
                   spec->named_by ? ", named in " : "",
                   spec->named_by ? spec->named_by : "", strerror(errno));
        return -2;
    }
    if (raw_len >= 2 &&
        ((unsigned char)raw[0] == 0xFF || (unsigned char)raw[0] == 0xFE) &&
        ((unsigned char)raw[1] == 0xFE || (unsigned char)raw[1] == 0xFF) &&
        raw[0] != raw[1]) {
        diag_error(d, name, 1, 0,
                   "file is UTF-16, which a roster cannot be read in; save "
                   "it as \"CSV UTF-8\"");
        free(raw);
        return -1;
    }
    if (raw_len >= 3 && memcmp(raw, "\xEF\xBB\xBF", 3) == 0)
        bom = 3;

    /* settle_encoding() takes the buffer; keep RAW for the offset. */
    text = xmalloc(raw_len + 1);
    memcpy(text, raw, raw_len);
    if (settle_encoding(text, raw_len, spec, name, &text, &len, d) != 0) {
        free(raw);
        return -1;
    }
    t->delimiter =
        spec->delimiter ? spec->delimiter : choose_delimiter(text, len, spec);
    len = cut_after_header(text, len, t->delimiter, spec);
    memset(&c, 0, sizeof c);
    c.delimiter = t->delimiter;
    status = parse_records(text, len, t->delimiter, name, &c, d);
    free(text);
    h = status == 0 ? find_header(&c, spec, name, d) : -1;
    if (h >= 0) {
        int utf8_reported = 0;

        header = &c.rows[h];
        t->header_line = header->line;
        t->header_fields = header->nfields;
        t->skipped = header->line - 1;
        /* The header ends on the line before the next record, or on the
         * last line parsed; a quoted line break can carry it over. */
        end_line = (size_t)h + 1 < c.nrows ? c.rows[h + 1].line - 1 : c.line;
        t->header_end_line = end_line;
        t->unnamed = xcalloc(header->nfields + 1, 1);
        for (size_t f = 0; f < header->nfields; f++)
            t->unnamed[f] =
                utf8_space_prefix(header->fields[f], header->lengths[f]) ==
                header->lengths[f];
        if (!check_fields(header, name, &utf8_reported, d) ||
            !map_header(t, header, spec, d))
            status = -1;
        for (pos = bom, line = 0; pos < raw_len && line < end_line; line++)
            pos += line_length(raw + pos, raw_len - pos);
        /* A CR LF cut in two by the end of what was read. */
        if (pos > 0 && pos == raw_len && raw[pos - 1] == '\r') {
            char next;

            if (pread_full(fd, &next, 1, pos) == 1 && next == '\n')
                pos++;
        }
        *data_offset = pos;
    } else {
        status = -1;
    }
    collector_free(&c);
    free(raw);
    if (status == 0)
        warn_skipped(t, name, d);
    return status;
}

char *table_text_utf8(const char *s, size_t len, enum table_encoding encoding,
                      size_t *bad)
{
    size_t out_len;

    if (encoding == TABLE_WINDOWS_1252) {
        char *out =
            cp1252_to_utf8((const unsigned char *)s, len, &out_len, bad);

        if (out != NULL)
            out[out_len] = '\0';
        return out;
    }
    *bad = utf8_invalid_at(s, len);
    return *bad < len ? NULL : xstrndup(s, len);
}

void table_release(struct table *t)
{
    free(t->unnamed);
    blocks_free(t->blocks);
    for (size_t j = 0; t->header && j < t->ncolumns; j++)
        free(t->header[j]);
    free(t->header);
    free(t->rows);
    free(t->field_of);
    free(t->display);
    memset(t, 0, sizeof *t);
}

/* ---- typed cells ---- */

const char *table_cell_text(const struct table *t, size_t row, size_t col)
{
    const char *s = t->rows[row].cells[col];

    return s ? s : "";
}

long table_cell_line(const struct table *t, size_t row, size_t col)
{
    long line = t->rows[row].lines[col];

    return line ? line : t->rows[row].line;
}

long table_cell_field(const struct table *t, size_t col)
{
    return t->field_of[col];
}

int table_code_control(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return (unsigned char)*s;
    return -1;
}

void table_code_unquote(char *s)
{
    /* costshare writes an apostrophe before a code that starts with =, +,
     * - or @; reading its own CSV back takes it off again. */
    if (s[0] == '\'' && s[1] != '\0' && strchr("=+-@", s[1]) != NULL)
        memmove(s, s + 1, strlen(s));
}

int table_code_fold(char *s)
{
    /* Codes are ASCII; a name with other letters (a country written out
     * in full) keeps its case, since folding only ASCII would mangle it. */
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p >= 0x80)
            return 0;
    return ascii_upper(s);
}

static int has_ascii_lower(const char *s)
{
    for (; *s; s++)
        if (*s >= 'a' && *s <= 'z')
            return 1;
    return 0;
}

int table_cell_code(struct table *t, size_t row, size_t col, const char *what,
                    const char **out, struct diag *d)
{
    char *s = t->rows[row].cells[col];
    const char *untrimmed = t->rows[row].untrimmed[col];
    int changed = untrimmed != NULL, control;
    char *original;

    if (s == NULL || *s == '\0') {
        diag_error(d, t->display, table_cell_line(t, row, col),
                   table_cell_field(t, col),
                   "missing %s code in column \"%s\"", what, t->header[col]);
        return -1;
    }
    control = table_code_control(s);
    if (control >= 0) {
        diag_error(d, t->display, table_cell_line(t, row, col),
                   table_cell_field(t, col),
                   "%s code in column \"%s\" contains a control "
                   "character (byte 0x%02X)",
                   what, t->header[col], (unsigned)control);
        return -1;
    }
    table_code_unquote(s);
    /* The warning shows the code as written, so keep a copy when folding
     * is about to change it in place.  UNTRIMMED is a string of its own. */
    original = untrimmed == NULL && has_ascii_lower(s) ? xstrdup(s) : NULL;
    if (table_code_fold(s))
        changed = 1;
    if (changed)
        diag_warning(d, t->display, table_cell_line(t, row, col),
                     table_cell_field(t, col), "%s \"%s\" read as \"%s\"%s",
                     what, untrimmed ? untrimmed : original, s,
                     untrimmed ? " (spaces removed)" : "");
    free(original);
    *out = s;
    return 0;
}

/*
 * Add error MESSAGE about a cell of column COL, naming the column after
 * the value and before any hint ("; ..." or " (...)").
 */
static void cell_error(const struct table *t, size_t row, size_t col,
                       const char *message, struct diag *d)
{
    const char *semicolon = strstr(message, "; ");
    const char *paren = strstr(message, " (");
    const char *hint = semicolon;

    if (hint == NULL || (paren != NULL && paren < hint))
        hint = paren;
    if (hint == NULL)
        hint = message + strlen(message);
    diag_error(d, t->display, table_cell_line(t, row, col),
               table_cell_field(t, col), "%.*s in column \"%s\"%s",
               (int)(hint - message), message, t->header[col], hint);
}

int table_cell_headcount(const struct table *t, size_t row, size_t col,
                         int64_t *out, struct diag *d)
{
    const char *s = table_cell_text(t, row, col);
    struct money_parse_options whole = t->number;
    enum money_status status;
    int64_t value = 0;

    whole.decimals = 0;
    whole.rounding = MONEY_ROUND_REJECT;
    whole.allow_dash_zero = 0;
    status = money_parse(s, &whole, &value);
    if (status == MONEY_OK && value < 0) {
        diag_error(d, t->display, table_cell_line(t, row, col),
                   table_cell_field(t, col),
                   "headcount \"%s\" in column \"%s\" must be zero or "
                   "positive",
                   s, t->header[col]);
        return -1;
    }
    if (status == MONEY_OK && value > TABLE_MAX_HEADCOUNT) {
        diag_error(d, t->display, table_cell_line(t, row, col),
                   table_cell_field(t, col),
                   "headcount \"%s\" in column \"%s\" is above the limit "
                   "of %d persons in one row",
                   s, t->header[col], TABLE_MAX_HEADCOUNT);
        return -1;
    }
    if (status != MONEY_OK) {
        char message[160];

        if (status == MONEY_DECIMALS)
            snprintf(message, sizeof message,
                     "headcount \"%s\" is not a whole number of persons", s);
        else
            money_parse_message(message, sizeof message, status, s,
                                "headcount", &whole);
        cell_error(t, row, col, message, d);
        return -1;
    }
    *out = value;
    return 0;
}

int table_cell_amount(const struct table *t, size_t row, size_t col,
                      int64_t *out, struct diag *d)
{
    const char *s = table_cell_text(t, row, col);
    enum money_status status = money_parse(s, &t->number, out);
    char message[240];

    if (status == MONEY_OK)
        return 0;
    money_parse_message(message, sizeof message, status, s, "amount",
                        &t->number);
    cell_error(t, row, col, message, d);
    return -1;
}
