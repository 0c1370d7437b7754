/*
 * roster: personnel records streamed into headcount per organisation,
 * country and duty station.
 *
 * The reader does not use libcsv: it splits each physical line itself,
 * with the same strict rules as the table reader (quotes around a whole
 * field only, a doubled quote inside one), because a roster of millions
 * of lines must be read at the speed of the disk.  The header is still
 * read by the table module, so column names, delimiters, encodings and
 * their messages are those of every other input.
 *
 * The file is cut into parts at line ends, one per thread.  Each part
 * counts its records into its own hash table of groups, keyed by the
 * organisation, country and duty station bytes as written; the tables
 * are merged in part order, and codes are checked and upper-cased once
 * per distinct spelling.  Line numbers inside a part are counted from
 * its start and moved once the lines of the parts before it are known.
 */
#include "roster.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "table.h"
#include "util.h"

/* Bytes read at a time by each thread. */
#define BLOCK_BYTES ((size_t)ROSTER_MAX_LINE_BYTES)

/* Bytes after a buffer's end that a word-wide read may touch. */
#define SLACK 64

/* Smallest part worth a thread of its own. */
#define MIN_PART_BYTES ((unsigned long long)1 << 20)

/* Problems kept per part; the first DIAG_MAX_ERRORS of the file are
 * always among them. */
#define PART_PROBLEMS DIAG_MAX_ERRORS

/* The rule that left a record out, or RULE_ELIGIBLE. */
enum rule {
    RULE_ELIGIBLE,
    RULE_ENTITY,
    RULE_CONTRACT,
    RULE_NOT_APPOINTED,
    RULE_TOO_SHORT,
    NRULES
};

/* The key fields of a group, in key order. */
enum { KEY_ORGANISATION, KEY_COUNTRY, KEY_STATION, NKEYS };

/* A problem found while reading, kept until the parts are merged. */
struct problem {
    long line; /* within the part until merged */
    long field;
    int warning;
    char *message;
};

/* One slot of a table of names: an organisation, or a country with a
 * duty station, as the bytes are written. */
struct slot {
    uint64_t hash;   /* 0: empty */
    size_t key;      /* offset of the bytes in the part's arena */
    uint32_t len[2]; /* of each field of the name */
    uint32_t index;  /* the name's number, in order of first sight */
};

/* A small open-addressing table of names; it stays in the cache, since
 * a roster has some fifty organisations and some thousands of duty
 * stations. */
struct names {
    struct slot *slots;
    size_t capacity, used;
    int nfields; /* 1 or 2 */
};

/* The records of one organisation at one duty station. */
struct cell {
    int64_t n[NRULES];
    long line; /* first record, within the part until merged; 0: none */
};

/* A slot of a table of cells: one organisation's cell at one duty
 * station. */
struct cell_slot {
    uint64_t key; /* the station's number plus 1; 0: empty */
    struct cell cell;
};

/* Duty stations numbered below this have their cells in a plain array,
 * for the organisations numbered below DENSE_ORGANISATIONS. */
#define DENSE_STATIONS 4096
#define DENSE_ORGANISATIONS 64

/* The cells of one organisation: for the first organisations seen, those
 * of the first DENSE_STATIONS duty stations in an array by station, the
 * fast case of any real roster, and the rest in an open-addressing table,
 * so that memory follows the pairs that occur, with at most 64 arrays of
 * 4096 cells, rather than organisations times stations. */
struct row {
    struct cell_slot *dense; /* by station number */
    size_t dense_capacity;
    struct cell_slot *slots;
    size_t capacity, used;
};

/* The state every part shares. */
struct job {
    int fd;
    const char *display;
    enum table_encoding encoding;
    char delimiter;
    size_t header_fields;
    const unsigned char *unnamed; /* per field: no name in the header */
    int has_unnamed;
    long field_of[ROSTER_NCOLUMNS]; /* 1-based; 0 when absent */
    char *header[ROSTER_NCOLUMNS];
    const struct model_eligibility *rules;
    long as_at; /* YYYYMMDD */
};

/* One thread's part of the file: bytes [BEGIN, END). */
struct part {
    const struct job *job;
    unsigned long long begin, end;
    long lines; /* physical lines read */

    struct names organisations, stations;
    struct row *rows; /* per organisation number */
    size_t nrows;
    char *arena;
    size_t arena_len, arena_cap;

    struct problem *problems;
    size_t nproblems, all_problems;

    /* Records that each excluded entity left out, and that passed the
     * rule of contract types under each type; for typos in the model. */
    int64_t *excluded_hits;
    int64_t *type_hits;

    int keep_all;       /* keep every problem: the merge's own */
    size_t unshown;     /* errors on more records of a name already reported */
    char *converted[4]; /* UTF-8 copies of fields of the record read */
    char *block;        /* BLOCK_BYTES + 1 */
    char *scratch;      /* unquoted text of fields with doubled quotes */
    int system_errno;
    atomic_ullong done; /* bytes read, for progress */
    atomic_int finished;
    pthread_t thread;
};

/* One field of the record being read. */
struct field {
    const char *text;
    size_t len;
};

/* ---- problems ---- */

static void add_problem(struct part *p, long line, long field, int warning,
                        const char *format, ...)
    __attribute__((format(printf, 5, 6)));

static void add_problem(struct part *p, long line, long field, int warning,
                        const char *format, ...)
{
    struct problem *x;
    va_list ap;
    int n;

    if (!warning)
        p->all_problems++;
    if (!p->keep_all && p->all_problems > PART_PROBLEMS)
        return;
    p->problems =
        xreallocarray(p->problems, p->nproblems + 1, sizeof *p->problems);
    x = &p->problems[p->nproblems++];
    x->line = line;
    x->field = field;
    x->warning = warning;
    va_start(ap, format);
    n = vsnprintf(NULL, 0, format, ap);
    va_end(ap);
    x->message = xmalloc((size_t)n + 1);
    va_start(ap, format);
    vsnprintf(x->message, (size_t)n + 1, format, ap);
    va_end(ap);
}

/* ---- the hash table of groups ---- */

/* Mix LEN bytes at S into H.  The bytes after S + LEN up to the next
 * word are read and masked off: every buffer a key lives in has SLACK
 * bytes to spare. */
static uint64_t mix(uint64_t h, const char *s, size_t len)
{
    const uint64_t k = UINT64_C(0x9E3779B97F4A7C15);
    size_t i = 0;

    for (; i + 8 <= len; i += 8) {
        uint64_t w;

        memcpy(&w, s + i, 8);
        h = (h ^ w) * k;
    }
    if (i < len) {
        uint64_t w;

        memcpy(&w, s + i, 8);
        w &= ~UINT64_C(0) >> (8 * (8 - (len - i)));
        h = (h ^ w) * k;
    }
    return (h ^ (h >> 29) ^ len) * k;
}

static uint64_t key_hash(const struct field *key, int n)
{
    uint64_t h = UINT64_C(0x243F6A8885A308D3);

    for (int i = 0; i < n; i++)
        h = mix(h, key[i].text, key[i].len);
    h ^= h >> 32;
    return h ? h : 1;
}

/* Compare LEN bytes at A and B a word at a time.  Both buffers have
 * SLACK bytes after them, so the last word may be read whole and masked. */
static inline int same_bytes(const char *a, const char *b, size_t len)
{
    size_t i = 0;

    for (; i + 8 <= len; i += 8) {
        uint64_t x, y;

        memcpy(&x, a + i, 8);
        memcpy(&y, b + i, 8);
        if (x != y)
            return 0;
    }
    if (i < len) {
        uint64_t x, y, mask = ~UINT64_C(0) >> (8 * (8 - (len - i)));

        memcpy(&x, a + i, 8);
        memcpy(&y, b + i, 8);
        return ((x ^ y) & mask) == 0;
    }
    return 1;
}

static int slot_matches(const struct part *p, const struct slot *s,
                        const struct field *key, int n)
{
    const char *k = p->arena + s->key;

    for (int i = 0; i < n; i++) {
        if (s->len[i] != key[i].len || !same_bytes(k, key[i].text, key[i].len))
            return 0;
        k += key[i].len;
    }
    return 1;
}

static void grow_names(struct names *t)
{
    size_t capacity = t->capacity ? 2 * t->capacity : 256;
    struct slot *slots = xcalloc(capacity, sizeof *slots);

    for (size_t i = 0; i < t->capacity; i++) {
        size_t j;

        if (t->slots[i].hash == 0)
            continue;
        for (j = t->slots[i].hash & (capacity - 1); slots[j].hash;
             j = (j + 1) & (capacity - 1))
            ;
        slots[j] = t->slots[i];
    }
    free(t->slots);
    t->slots = slots;
    t->capacity = capacity;
}

/* Return the number of the name KEY in T, adding it when new. */
static uint32_t name_number(struct part *p, struct names *t,
                            const struct field *key)
{
    int n = t->nfields;
    uint64_t h = key_hash(key, n);
    size_t j, total = 0;
    struct slot *s;

    if (2 * (t->used + 1) > t->capacity)
        grow_names(t);
    for (j = h & (t->capacity - 1); t->slots[j].hash;
         j = (j + 1) & (t->capacity - 1))
        if (t->slots[j].hash == h && slot_matches(p, &t->slots[j], key, n))
            return t->slots[j].index;

    s = &t->slots[j];
    for (int i = 0; i < n; i++)
        total += key[i].len;
    if (p->arena_len + total > p->arena_cap) {
        p->arena_cap = 2 * (p->arena_len + total) + 4096;
        p->arena = xrealloc(p->arena, p->arena_cap + SLACK);
    }
    s->hash = h;
    s->key = p->arena_len;
    for (int i = 0; i < n; i++) {
        memcpy(p->arena + p->arena_len, key[i].text, key[i].len);
        p->arena_len += key[i].len;
        s->len[i] = (uint32_t)key[i].len;
    }
    s->index = (uint32_t)t->used++;
    return s->index;
}

static struct cell *cell_at(struct part *p, uint32_t o, uint32_t st);

/* Return the cell of KEY (organisation, country, duty station). */
static struct cell *find_cell(struct part *p, const struct field *key)
{
    uint32_t o = name_number(p, &p->organisations, key);

    return cell_at(p, o, name_number(p, &p->stations, key + 1));
}

/* ---- one record ---- */

static inline int is_space(char c)
{
    return c == ' ' || c == '\t';
}

/* Bytes that may start (bit 1) or end (bit 2) a space that trim()
 * removes: ASCII space and tab, and the UTF-8 of U+00A0 (C2 A0) and
 * U+202F (E2 80 AF). */
static const unsigned char space_edge[256] = {
    ['\t'] = 3, [' '] = 3, [0xC2] = 1, [0xE2] = 1, [0xA0] = 2, [0xAF] = 2,
};

/* Trim F of the spaces the table module trims. */
static inline struct field trim(struct field f)
{
    size_t head;

    if (f.len == 0 ||
        ((space_edge[(unsigned char)f.text[0]] & 1) == 0 &&
         (space_edge[(unsigned char)f.text[f.len - 1]] & 2) == 0))
        return f;
    head = utf8_space_prefix(f.text, f.len);
    f.text += head;
    f.len -= head;
    f.len -= utf8_space_suffix(f.text, f.len);
    return f;
}

/* Compare F with the upper-case WORD, ignoring ASCII case. */
static int equal_upper(struct field f, const char *word)
{
    size_t i;

    for (i = 0; i < f.len && word[i]; i++) {
        char c = f.text[i];

        if (c >= 'a' && c <= 'z')
            c = (char)(c - 'a' + 'A');
        if (c != word[i])
            return 0;
    }
    return i == f.len && word[i] == '\0';
}

/*
 * Split the line S (LEN bytes, no line end) at DELIMITER into FIELDS when
 * it contains no quote; return the number of fields, or -1 when it
 * contains a quote and needs split_line().  The bytes after the line are read
 * up to a 16-byte boundary and ignored (the block has SLACK to spare).
 */
static long split_plain(const char *s, size_t len, char delimiter,
                        struct field *fields, size_t max)
{
    size_t n = 0, start = 0;

#if defined(__SSE2__)
    const __m128i d = _mm_set1_epi8(delimiter), q = _mm_set1_epi8('"');

    for (size_t i = 0; i < len; i += 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        unsigned keep = len - i >= 16 ? 0xFFFFu : (1u << (len - i)) - 1;
        unsigned quotes = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, q));
        unsigned ends = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, d));

        if (quotes & keep)
            return -1;
        for (ends &= keep; ends; ends &= ends - 1) {
            size_t at = i + (size_t)__builtin_ctz(ends);

            if (n < max) {
                fields[n].text = s + start;
                fields[n].len = at - start;
            }
            n++;
            start = at + 1;
        }
    }
#else
    if (memchr(s, '"', len) != NULL)
        return -1;
    for (size_t at = 0; at < len; at++) {
        if (s[at] != delimiter)
            continue;
        if (n < max) {
            fields[n].text = s + start;
            fields[n].len = at - start;
        }
        n++;
        start = at + 1;
    }
#endif
    if (n < max) {
        fields[n].text = s + start;
        fields[n].len = len - start;
    }
    return (long)n + 1;
}

/*
 * Split the line S (LEN bytes, no line end) into FIELDS, at most
 * MAX of them; return the number of fields the line has, or -1 after
 * adding a problem.  Text with doubled quotes is copied to the part's
 * scratch space without them.
 */
static long split_line(struct part *p, const char *s, size_t len, long line,
                       struct field *fields, size_t max)
{
    const char delimiter = p->job->delimiter;
    char *scratch = p->scratch;
    size_t i = 0, n = 0;

    for (;;) {
        struct field f;

        if (i < len && s[i] == '"') {
            size_t start = i + 1, j = start;
            int doubled = 0;
            const char *q;

            for (;;) {
                q = memchr(s + j, '"', len - j);
                if (q == NULL) {
                    add_problem(p, line, (long)n + 1, 0,
                                "quoted field is not closed on its line; "
                                "a roster record must fit on one line");
                    return -1;
                }
                j = (size_t)(q - s);
                if (j + 1 < len && s[j + 1] == '"') {
                    doubled = 1;
                    j += 2;
                    continue;
                }
                break;
            }
            f.text = s + start;
            f.len = j - start;
            if (doubled) {
                size_t k = 0;

                for (size_t x = start; x < j; x++) {
                    scratch[k++] = s[x];
                    if (s[x] == '"')
                        x++;
                }
                f.text = scratch;
                f.len = k;
                scratch += k;
            }
            i = j + 1;
            if (i < len && s[i] != delimiter) {
                add_problem(p, line, (long)n + 1, 0,
                            "quoted field is not closed properly (text "
                            "after a closing quote)");
                return -1;
            }
        } else {
            size_t j = i;

            while (j < len && s[j] != delimiter) {
                if (s[j] == '"') {
                    add_problem(p, line, (long)n + 1, 0,
                                "quote character inside an unquoted field; "
                                "quote the whole field and double the "
                                "quote");
                    return -1;
                }
                j++;
            }
            f.text = s + i;
            f.len = j - i;
            i = j;
        }
        if (n < max)
            fields[n] = f;
        n++;
        if (i >= len)
            break;
        i++; /* the delimiter */
    }
    return (long)n;
}

/* Return whether LINE's fields match the header, as after two exports
 * joined into one file. */
static int is_header_again(const struct job *job, const struct field *fields,
                           size_t n)
{
    size_t named = 0;

    for (int c = 0; c < ROSTER_NCOLUMNS; c++) {
        long f = job->field_of[c];
        struct field x;
        size_t skip = 0;

        if (f == 0 || (size_t)f > n)
            continue;
        x = trim(fields[f - 1]);
        if (x.len >= 3 && memcmp(x.text, "\xEF\xBB\xBF", 3) == 0)
            skip = 3;
        x.text += skip;
        x.len -= skip;
        if (x.len != strlen(job->header[c]) ||
            strncasecmp(x.text, job->header[c], x.len) != 0)
            return 0;
        named++;
    }
    return named > 0;
}

static int month_days(long y, long m)
{
    static const unsigned char days[] = {31, 28, 31, 30, 31, 30,
                                         31, 31, 30, 31, 30, 31};

    if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
        return 29;
    return days[m - 1];
}

/* Read F as roster_parse_date() does. */
static inline int parse_ymd(struct field f, long *ymd)
{
    const unsigned char *s = (const unsigned char *)f.text;
    unsigned d[8];
    long y, m, day;

    if (f.len != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    d[0] = s[0] - 48u;
    d[1] = s[1] - 48u;
    d[2] = s[2] - 48u;
    d[3] = s[3] - 48u;
    d[4] = s[5] - 48u;
    d[5] = s[6] - 48u;
    d[6] = s[8] - 48u;
    d[7] = s[9] - 48u;
    if ((d[0] | d[1] | d[2] | d[3] | d[4] | d[5] | d[6] | d[7]) > 9 &&
        (d[0] > 9 || d[1] > 9 || d[2] > 9 || d[3] > 9 || d[4] > 9 ||
         d[5] > 9 || d[6] > 9 || d[7] > 9))
        return -1;
    y = d[0] * 1000L + d[1] * 100L + d[2] * 10L + d[3];
    m = d[4] * 10L + d[5];
    day = d[6] * 10L + d[7];
    if (y < 1000 || m < 1 || m > 12 || day < 1 ||
        (day > 28 && day > month_days(y, m)))
        return -1;
    *ymd = y * 10000 + m * 100 + day;
    return 0;
}

int roster_lasts(long start, long end, long months)
{
    long y = start / 10000, m = start / 100 % 100, d = start % 100;
    long index = y * 12 + (m - 1) + months, last;
    long target;

    y = index / 12;
    m = index % 12 + 1;
    last = month_days(y, m);
    if (d > last)
        d = last;
    /* END + 1 day >= TARGET is END >= the day before TARGET. */
    if (d > 1)
        target = y * 10000 + m * 100 + d - 1;
    else if (m > 1)
        target = y * 10000 + (m - 1) * 100 + month_days(y, m - 1);
    else
        target = (y - 1) * 10000 + 1231;
    return end >= target;
}

int roster_parse_date(const char *s, size_t len, long *ymd)
{
    struct field f = {s, len};

    return parse_ymd(f, ymd);
}

/* Read the date in column COL of the record; return 0 or -1. */
static int read_date(struct part *p, struct field f, int col, long line,
                     const char *what, long *ymd)
{
    const struct job *job = p->job;

    if (parse_ymd(f, ymd) == 0)
        return 0;
    if (f.len > 200)
        f.len = 200;
    add_problem(p, line, job->field_of[col], 0,
                "invalid %s \"%.*s\" in column \"%s\"; write a calendar "
                "date as YYYY-MM-DD",
                what, (int)f.len, f.text, job->header[col]);
    return -1;
}

/* Return whether ORG and ENTITY fall in an excluded entity, counting
 * each entry they match in P. */
static int count_exclusions(struct part *p, struct field org,
                            struct field entity)
{
    const struct model_eligibility *g = p->job->rules;
    int excluded = 0;

    for (size_t i = 0; i < g->nexcluded; i++)
        if (equal_upper(entity, g->excluded[i].entity) &&
            (g->excluded[i].organisation[0] == '\0' ||
             equal_upper(org, g->excluded[i].organisation))) {
            p->excluded_hits[i]++;
            excluded = 1;
        }
    return excluded;
}

/* Return the index of contract type TYPE in the list, 0 when the list
 * is empty (every type counts), or -1. */
static long contract_index(const struct model_eligibility *g,
                           struct field type)
{
    if (g->ncontract_types == 0)
        return 0;
    for (size_t i = 0; i < g->ncontract_types; i++)
        if (equal_upper(type, g->contract_types[i]))
            return (long)i;
    return -1;
}

/* Report BYTE, on LINE in FIELD, as not valid in the file's encoding. */
static void bad_encoding(struct part *p, long line, long field,
                         unsigned char byte)
{
    if (p->job->encoding == TABLE_WINDOWS_1252)
        add_problem(p, line, field, 0,
                    "byte 0x%02X is not a Windows-1252 character; is the "
                    "file in another encoding?",
                    byte);
    else
        add_problem(p, line, field, 0,
                    "invalid UTF-8 (byte 0x%02X); the file may be "
                    "Windows-1252 -- save it as \"CSV UTF-8\" or set "
                    "encoding = windows-1252 for it in the model",
                    byte);
}

/* Return whether F contains a byte-order mark anywhere. */
static int has_bom(struct field f)
{
    for (size_t i = 0; i + 3 <= f.len; i++)
        if (memcmp(f.text + i, "\xEF\xBB\xBF", 3) == 0)
            return 1;
    return 0;
}

/*
 * Check the text F of column COL, which the rules compare but which
 * reaches no output: no control character, no byte-order mark, and valid
 * in the file's encoding.  Returns 0, or -1 after adding a problem.
 */
static int check_text_bytes(struct part *p, struct field f, int col, long line)
{
    const struct job *job = p->job;
    int plain = 1;

    for (size_t i = 0; i < f.len; i++) {
        unsigned char c = (unsigned char)f.text[i];

        if (c < 0x20 || c == 0x7F) {
            add_problem(p, line, job->field_of[col], 0,
                        "control character (byte 0x%02X) in column \"%s\"", c,
                        job->header[col]);
            return -1;
        }
        plain &= c < 0x80;
    }
    if (plain)
        return 0;
    if (has_bom(f)) {
        add_problem(p, line, job->field_of[col], 0,
                    "unexpected byte-order mark inside the file (two "
                    "exports concatenated?)");
        return -1;
    }
    {
        size_t bad;
        char *text = table_text_utf8(f.text, f.len, job->encoding, &bad);

        if (text != NULL) {
            free(text);
            return 0;
        }
        bad_encoding(p, line, job->field_of[col], (unsigned char)f.text[bad]);
    }
    return -1;
}

/* Check F as check_text_bytes() does, at once when every byte is
 * printable ASCII, as nearly always. */
static inline int check_text(struct part *p, struct field f, int col,
                             long line)
{
    unsigned bad = 0;

    for (size_t i = 0; i < f.len; i++) {
        unsigned char c = (unsigned char)f.text[i];

        bad |= (unsigned)(c < 0x20) | (unsigned)(c >= 0x7F);
    }
    return bad ? check_text_bytes(p, f, col, line) : 0;
}

/* Report an empty required cell in column COL. */
static void missing_cell(struct part *p, int col, long line, const char *what)
{
    const struct job *job = p->job;

    add_problem(p, line, job->field_of[col], 0, "missing %s in column \"%s\"",
                what, job->header[col]);
}

/*
 * In a Windows-1252 roster, replace the fields of the columns the rules
 * compare (entity, contract type, dates) that hold bytes past ASCII with
 * their UTF-8, the encoding of the model, so that a no-break space is
 * trimmed and a letter matches the model's.  The copies are kept in P
 * until release_converted().
 */
static void convert_fields(struct part *p, struct field *fields, long n)
{
    static const int columns[] = {ROSTER_ENTITY, ROSTER_CONTRACT_TYPE,
                                  ROSTER_START_DATE, ROSTER_END_DATE};
    const struct job *job = p->job;

    for (size_t k = 0; k < sizeof columns / sizeof columns[0]; k++) {
        long f = job->field_of[columns[k]];
        struct field *x;
        size_t bad;
        char *text;
        int high = 0;

        if (f == 0 || f > n)
            continue;
        x = &fields[f - 1];
        for (size_t i = 0; i < x->len; i++)
            high |= (unsigned char)x->text[i] >= 0x80;
        if (!high || (text = table_text_utf8(
                          x->text, x->len, TABLE_WINDOWS_1252, &bad)) == NULL)
            continue; /* an undefined byte is reported unchanged */
        p->converted[k] = text;
        x->text = text;
        x->len = strlen(text);
    }
}

static void release_converted(struct part *p)
{
    for (size_t k = 0; k < sizeof p->converted / sizeof p->converted[0]; k++) {
        free(p->converted[k]);
        p->converted[k] = NULL;
    }
}

/* Count the record on the physical line S (LEN bytes, no line end). */
static void take_record(struct part *p, const char *s, size_t len, long line)
{
    const struct job *job = p->job;
    const struct model_eligibility *g = job->rules;
    struct field fields[TABLE_MAX_FIELDS], key[NKEYS], c[ROSTER_NCOLUMNS];
    long n, start, end = 0;
    int ok = 1;
    enum rule rule = RULE_ELIGIBLE;
    struct cell *cell;
    long hit;
    size_t blank = 0;

    while (blank < len && is_space(s[blank]))
        blank++;
    if (blank == len)
        return;
    n = split_plain(s, len, job->delimiter, fields, TABLE_MAX_FIELDS);
    if (n < 0)
        n = split_line(p, s, len, line, fields, TABLE_MAX_FIELDS);
    if (n < 0)
        return;
    if (job->encoding == TABLE_WINDOWS_1252)
        convert_fields(p, fields, n);
    for (blank = 0; blank < (size_t)n && blank < TABLE_MAX_FIELDS; blank++)
        if (trim(fields[blank]).len > 0)
            break;
    if (blank == (size_t)n)
        return; /* delimiters only */
    if ((size_t)n > job->header_fields) {
        if (is_header_again(job, fields, (size_t)n))
            add_problem(p, line, 1, 0,
                        "the header row appears again (two exports "
                        "concatenated?)");
        else
            add_problem(p, line, (long)job->header_fields + 1, 0,
                        "row has %ld fields but the header has %zu", n,
                        job->header_fields);
        return;
    }
    for (size_t f = 0; job->has_unnamed && f < (size_t)n; f++) {
        struct field x = trim(fields[f]);

        if (job->unnamed[f] && x.len > 0) {
            add_problem(p, line, (long)f + 1, 0,
                        "value \"%.*s\" in a column that has no header",
                        (int)(x.len > 200 ? 200 : x.len), x.text);
            return;
        }
    }
    for (int col = 0; col < ROSTER_NCOLUMNS; col++) {
        long f = job->field_of[col];

        c[col].text = "";
        c[col].len = 0;
        if (f == 0 || (col == ROSTER_GRADE && f <= n))
            continue; /* the grade is not used */
        if (f > n && (col == ROSTER_ENTITY || col == ROSTER_GRADE))
            continue; /* an optional column at the end of a short row */
        if (f > n) {
            add_problem(p, line, f, 0, "missing required column \"%s\"",
                        job->header[col]);
            return;
        }
        c[col] = trim(fields[f - 1]);
    }
    if ((c[ROSTER_START_DATE].len == 0 || c[ROSTER_START_DATE].text[0] < '0' ||
         c[ROSTER_START_DATE].text[0] > '9') &&
        is_header_again(job, fields, (size_t)n)) {
        add_problem(p, line, 1, 0,
                    "the header row appears again (two exports "
                    "concatenated?)");
        return;
    }

    if (c[ROSTER_ORGANISATION].len == 0) {
        missing_cell(p, ROSTER_ORGANISATION, line, "organisation code");
        ok = 0;
    }
    if (c[ROSTER_DUTY_STATION].len == 0) {
        missing_cell(p, ROSTER_DUTY_STATION, line, "duty station");
        ok = 0;
    }
    if (c[ROSTER_COUNTRY].len == 0) {
        missing_cell(p, ROSTER_COUNTRY, line, "country code");
        ok = 0;
    }
    if (c[ROSTER_CONTRACT_TYPE].len == 0) {
        missing_cell(p, ROSTER_CONTRACT_TYPE, line, "contract type");
        ok = 0;
    } else if (check_text(p, c[ROSTER_CONTRACT_TYPE], ROSTER_CONTRACT_TYPE,
                          line) != 0) {
        ok = 0;
    }
    if (c[ROSTER_ENTITY].len > 0 &&
        check_text(p, c[ROSTER_ENTITY], ROSTER_ENTITY, line) != 0)
        ok = 0;
    if (c[ROSTER_START_DATE].len == 0) {
        missing_cell(p, ROSTER_START_DATE, line, "start date");
        ok = 0;
    } else if (read_date(p, c[ROSTER_START_DATE], ROSTER_START_DATE, line,
                         "start date", &start) != 0) {
        ok = 0;
    }
    if (c[ROSTER_END_DATE].len > 0 &&
        read_date(p, c[ROSTER_END_DATE], ROSTER_END_DATE, line, "end date",
                  &end) != 0)
        ok = 0;
    if (!ok)
        return;
    if (c[ROSTER_END_DATE].len > 0 && end < start) {
        add_problem(p, line, job->field_of[ROSTER_END_DATE], 0,
                    "end date %.10s is before the start date %.10s",
                    c[ROSTER_END_DATE].text, c[ROSTER_START_DATE].text);
        return;
    }

    /* Every entry that matches is counted, whichever rule applies, so
     * that the warnings about entries matching nothing are true. */
    hit = contract_index(g, c[ROSTER_CONTRACT_TYPE]);
    if (hit >= 0)
        p->type_hits[hit]++;
    if (g->nexcluded > 0 &&
        count_exclusions(p, c[ROSTER_ORGANISATION], c[ROSTER_ENTITY]))
        rule = RULE_ENTITY;
    else if (hit < 0)
        rule = RULE_CONTRACT;
    if (rule == RULE_ELIGIBLE &&
        (start > job->as_at ||
         (c[ROSTER_END_DATE].len > 0 && end < job->as_at)))
        rule = RULE_NOT_APPOINTED;
    else if (rule == RULE_ELIGIBLE && g->min_months > 0 &&
             c[ROSTER_END_DATE].len > 0 &&
             !roster_lasts(start, end, g->min_months))
        rule = RULE_TOO_SHORT;

    /* Keys keep their spaces and case here; they are checked once per
     * spelling when the parts are merged. */
    key[KEY_ORGANISATION] = fields[job->field_of[ROSTER_ORGANISATION] - 1];
    key[KEY_COUNTRY] = fields[job->field_of[ROSTER_COUNTRY] - 1];
    key[KEY_STATION] = fields[job->field_of[ROSTER_DUTY_STATION] - 1];
    cell = find_cell(p, key);
    if (cell->line == 0)
        cell->line = line;
    cell->n[rule]++;
}

static void take_line(struct part *p, const char *s, size_t len, long line)
{
    take_record(p, s, len, line);
    if (p->job->encoding == TABLE_WINDOWS_1252)
        release_converted(p);
}

/* ---- reading a part ---- */

/*
 * Return the start of the line after the one that contains byte AT-1,
 * or END when no line ends before it.  A
 * line ends at LF, at CR LF, or at a CR with no LF after it.
 */
static unsigned long long next_line_start(int fd, unsigned long long at,
                                          unsigned long long end)
{
    char buf[4096];

    while (at < end) {
        size_t want = end - at < sizeof buf ? (size_t)(end - at) : sizeof buf;
        long long got = pread_full(fd, buf, want, at);

        if (got <= 0)
            return end;
        for (long long i = 0; i < got; i++) {
            if (buf[i] == '\n')
                return at + (unsigned long long)i + 1;
            if (buf[i] != '\r')
                continue;
            if (i + 1 < got)
                return at + (unsigned long long)i + 1 + (buf[i + 1] == '\n');
            if (at + (unsigned long long)i + 1 >= end)
                return end;
            /* The CR is the last byte read: look at the next one. */
            {
                char next;

                if (pread_full(fd, &next, 1, at + (unsigned long long)i + 1) !=
                    1)
                    return end;
                return at + (unsigned long long)i + 1 + (next == '\n');
            }
        }
        at += (unsigned long long)got;
    }
    return end;
}

/* Return the offset in S[0..LEN) of the first LF or CR, or LEN. */
static size_t line_end(const char *s, size_t len, int has_cr)
{
    const char *lf = memchr(s, '\n', len);
    size_t n = lf ? (size_t)(lf - s) : len;
    const char *cr;

    if (!has_cr)
        return n;
    cr = memchr(s, '\r', n);
    return cr ? (size_t)(cr - s) : n;
}

static void *read_part(void *context)
{
    struct part *p = context;
    const struct job *job = p->job;
    unsigned long long pos = p->begin;
    size_t carry = 0;
    int skipping = 0; /* inside a line too long to keep */
    int cr_last = 0;  /* the last line ended at a CR, the block's last byte */

    while (pos < p->end || carry > 0) {
        size_t want = BLOCK_BYTES - carry, start = 0, avail;
        long long got;
        int at_end, has_cr;

        if (carry == BLOCK_BYTES) {
            /* No line end in a whole block: report the line, then drop
             * its bytes up to its end, so that the lines after it keep
             * their numbers. */
            add_problem(p, p->lines + 1, 0, 0,
                        "line longer than the limit of %d bytes",
                        ROSTER_MAX_LINE_BYTES - 1);
            skipping = 1;
            carry = 0;
            want = BLOCK_BYTES;
        }
        if (p->end - pos < want)
            want = (size_t)(p->end - pos);
        got = pread_full(job->fd, p->block + carry, want, pos);
        if (got < 0) {
            p->system_errno = errno;
            break;
        }
        pos += (unsigned long long)got;
        if ((size_t)got < want)
            p->end = pos; /* the file became shorter */
        at_end = pos >= p->end;
        avail = carry + (size_t)got;
        has_cr = memchr(p->block, '\r', avail) != NULL;
        /* An LF right after a CR that ended the last block belongs to
         * that line end. */
        if (cr_last && avail > 0 && p->block[0] == '\n')
            start = 1;
        cr_last = 0;

        while (start < avail) {
            size_t n = line_end(p->block + start, avail - start, has_cr);
            size_t next;

            if (start + n == avail) {
                if (!at_end)
                    break; /* the rest comes with the next block */
                next = avail;
            } else if (p->block[start + n] == '\r') {
                next = start + n + 1;
                if (next == avail)
                    cr_last = 1;
                else if (p->block[next] == '\n')
                    next++;
            } else {
                next = start + n + 1;
            }
            if (skipping) {
                p->lines++;
                skipping = 0;
            } else if (n >= BLOCK_BYTES) {
                /* A whole block with no line end, at the end of the file */
                add_problem(p, ++p->lines, 0, 0,
                            "line longer than the limit of %d bytes",
                            ROSTER_MAX_LINE_BYTES - 1);
            } else {
                take_line(p, p->block + start, n, ++p->lines);
            }
            start = next;
        }
        if (skipping)
            start = avail; /* still inside the long line */
        carry = avail - start;
        memmove(p->block, p->block + start, carry);
        atomic_store(&p->done, pos - p->begin);
        if (at_end && carry == 0)
            break;
    }
    atomic_store(&p->finished, 1);
    return NULL;
}

static void release_parts(struct part *parts, unsigned nparts);

/* ---- merging ---- */

/* A name of the merged parts: an organisation, or a country with a duty
 * station, as written and once checked. */
struct merged_name {
    char *raw[2];
    char *text[2];   /* checked; NULL until then or when invalid */
    long line;       /* first record with the name */
    int nul;         /* contains a NUL byte */
    int64_t records; /* records with the name */
    size_t final;    /* number among the checked names, in byte order */
};

static size_t cell_hash(uint64_t key, size_t capacity)
{
    return (size_t)((key * UINT64_C(0x9E3779B97F4A7C15)) >> 32) &
           (capacity - 1);
}

static void grow_row(struct row *r)
{
    size_t capacity = r->capacity ? 2 * r->capacity : 64;
    struct cell_slot *slots = xcalloc(capacity, sizeof *slots);

    for (size_t i = 0; i < r->capacity; i++) {
        size_t j;

        if (r->slots[i].key == 0)
            continue;
        for (j = cell_hash(r->slots[i].key, capacity); slots[j].key;
             j = (j + 1) & (capacity - 1))
            ;
        slots[j] = r->slots[i];
    }
    free(r->slots);
    r->slots = slots;
    r->capacity = capacity;
}

/* Return the cell of organisation O at duty station ST of P. */
static struct cell *cell_at(struct part *p, uint32_t o, uint32_t st)
{
    uint64_t key = (uint64_t)st + 1;
    struct row *r;
    size_t j;

    if (o >= p->nrows) {
        size_t n = 2 * (size_t)o + 16;

        p->rows = xreallocarray(p->rows, n, sizeof *p->rows);
        memset(p->rows + p->nrows, 0, (n - p->nrows) * sizeof *p->rows);
        p->nrows = n;
    }
    r = &p->rows[o];
    if (st < DENSE_STATIONS && o < DENSE_ORGANISATIONS) {
        if (st >= r->dense_capacity) {
            size_t n = 2 * (size_t)st + 64;

            n = n < DENSE_STATIONS ? n : DENSE_STATIONS;
            r->dense = xreallocarray(r->dense, n, sizeof *r->dense);
            memset(r->dense + r->dense_capacity, 0,
                   (n - r->dense_capacity) * sizeof *r->dense);
            r->dense_capacity = n;
        }
        r->dense[st].key = key;
        return &r->dense[st].cell;
    }
    if (2 * (r->used + 1) > r->capacity)
        grow_row(r);
    for (j = cell_hash(key, r->capacity); r->slots[j].key;
         j = (j + 1) & (r->capacity - 1))
        if (r->slots[j].key == key)
            return &r->slots[j].cell;
    r->slots[j].key = key;
    r->used++;
    return &r->slots[j].cell;
}

/* Return the number of slots of R, the array's first. */
static size_t row_size(const struct row *r)
{
    return r->dense_capacity + r->capacity;
}

/* Return slot I of R, counting the array's slots first; its key is 0
 * when the slot is empty. */
static struct cell_slot *row_slot(const struct row *r, size_t i)
{
    return i < r->dense_capacity ? &r->dense[i]
                                 : &r->slots[i - r->dense_capacity];
}

/* Add the counts of FROM, first seen on LINE, to TO. */
static void add_cell(struct cell *to, const struct cell *from, long line)
{
    for (int r = 0; r < NRULES; r++)
        to->n[r] += from->n[r];
    if (to->line == 0 || line < to->line)
        to->line = line;
}

/* Return the fields of the name in SLOT of P. */
static void name_fields(const struct part *p, const struct slot *slot, int n,
                        struct field *out)
{
    const char *text = p->arena + slot->key;

    for (int i = 0; i < n; i++) {
        out[i].text = text;
        out[i].len = slot->len[i];
        text += slot->len[i];
    }
}

/* Give every name of T a number in M's table of the same kind, in MAP. */
static void map_names(struct part *m, struct names *to, const struct part *p,
                      const struct names *t, uint32_t *map)
{
    for (size_t j = 0; j < t->capacity; j++) {
        struct field key[2];

        if (t->slots[j].hash == 0)
            continue;
        name_fields(p, &t->slots[j], t->nfields, key);
        map[t->slots[j].index] = name_number(m, to, key);
    }
}

/* Add the cells of every part to M, by M's numbers; lines made
 * absolute. */
static void gather_cells(struct part *m, struct part *parts, unsigned nparts,
                         const long *base)
{
    for (unsigned i = 0; i < nparts; i++) {
        struct part *p = &parts[i];
        uint32_t *orgs = xcalloc(p->organisations.used + 1, sizeof *orgs);
        uint32_t *stations = xcalloc(p->stations.used + 1, sizeof *stations);

        map_names(m, &m->organisations, p, &p->organisations, orgs);
        map_names(m, &m->stations, p, &p->stations, stations);
        for (size_t o = 0; o < p->nrows; o++)
            for (size_t j = 0; j < row_size(&p->rows[o]); j++) {
                const struct cell_slot *slot = row_slot(&p->rows[o], j);

                if (slot->key != 0)
                    add_cell(cell_at(m, orgs[o], stations[slot->key - 1]),
                             &slot->cell, slot->cell.line + base[i]);
            }
        free(orgs);
        free(stations);
    }
}

/* List the names of T in M as NAMES, by number, first lines unset. */
static struct merged_name *list_names(const struct part *m,
                                      const struct names *t)
{
    struct merged_name *names = xcalloc(t->used + 1, sizeof *names);

    for (size_t j = 0; j < t->capacity; j++) {
        struct field key[2];
        struct merged_name *x;

        if (t->slots[j].hash == 0)
            continue;
        x = &names[t->slots[j].index];
        name_fields(m, &t->slots[j], t->nfields, key);
        for (int i = 0; i < t->nfields; i++) {
            x->raw[i] = xstrndup(key[i].text, key[i].len);
            if (memchr(key[i].text, '\0', key[i].len) != NULL)
                x->nul = 1;
        }
    }
    return names;
}

/*
 * Return the text RAW of column COL, first seen on LINE, checked as the
 * table module checks a cell: in the file's encoding, trimmed, and for a
 * code free of control characters and upper case.  A changed code is a
 * warning.  Returns NULL after adding an error.
 */
static char *settle_text(struct part *p, const char *raw, long line, int col,
                         const char *what, int code)
{
    const struct job *job = p->job;
    long field = job->field_of[col];
    size_t bad, len, head, tail;
    char *text = table_text_utf8(raw, strlen(raw), job->encoding, &bad), *s;
    int changed, control;

    if (text == NULL) {
        bad_encoding(p, line, field, (unsigned char)raw[bad]);
        return NULL;
    }
    if (strstr(text, "\xEF\xBB\xBF") != NULL) {
        add_problem(p, line, field, 0,
                    "unexpected byte-order mark inside the file (two "
                    "exports concatenated?)");
        free(text);
        return NULL;
    }
    len = strlen(text);
    head = utf8_space_prefix(text, len);
    tail = utf8_space_suffix(text + head, len - head);
    s = xstrndup(text + head, len - head - tail);
    changed = head + tail > 0;
    if (*s == '\0') {
        add_problem(p, line, field, 0, "missing %s%s in column \"%s\"", what,
                    code ? " code" : "", job->header[col]);
        free(text);
        free(s);
        return NULL;
    }
    control = code ? table_code_control(s) : -1;
    if (control >= 0) {
        add_problem(p, line, field, 0,
                    "%s code in column \"%s\" contains a control "
                    "character (byte 0x%02X)",
                    what, job->header[col], (unsigned)control);
        free(text);
        free(s);
        return NULL;
    }
    if (code) {
        table_code_unquote(s);
        changed |= table_code_fold(s);
    }
    if (code && changed)
        add_problem(p, line, field, 1, "%s \"%s\" read as \"%s\"%s", what,
                    text, s, head + tail > 0 ? " (spaces removed)" : "");
    free(text);
    return s;
}

/* Check every name of NAMES (N of them, with NFIELDS fields). */
static void settle_names(struct part *m, struct merged_name *names, size_t n,
                         int nfields)
{
    static const int org_col[1] = {ROSTER_ORGANISATION};
    static const int station_cols[2] = {ROSTER_COUNTRY, ROSTER_DUTY_STATION};
    static const char *const org_what[1] = {"organisation"};
    static const char *const station_what[2] = {"country", "duty station"};
    const int *cols = nfields == 1 ? org_col : station_cols;
    const char *const *what = nfields == 1 ? org_what : station_what;

    for (size_t i = 0; i < n; i++) {
        struct merged_name *x = &names[i];

        if (x->nul) {
            add_problem(m, x->line, 0, 0,
                        "line contains NUL bytes; the file may be UTF-16 "
                        "without a byte-order mark -- save it as \"CSV "
                        "UTF-8\"");
            continue;
        }
        for (int f = 0; f < nfields; f++) {
            x->text[f] = settle_text(m, x->raw[f], x->line, cols[f], what[f],
                                     cols[f] != ROSTER_DUTY_STATION);
            /* One message for the name, an error for each record. */
            if (x->text[f] == NULL && x->records > 1)
                m->unshown += (size_t)(x->records - 1);
        }
    }
}

static int compare_names(const void *a, const void *b)
{
    const struct merged_name *x = *(const struct merged_name *const *)a;
    const struct merged_name *y = *(const struct merged_name *const *)b;
    int c = strcmp(x->text[0], y->text[0]);

    if (c == 0 && x->text[1] != NULL)
        c = strcmp(x->text[1], y->text[1]);
    return c;
}

/* Number the checked names of NAMES in byte order, equal texts alike;
 * return how many differ. */
static size_t number_names(struct merged_name *names, size_t n)
{
    struct merged_name **order = xcalloc(n + 1, sizeof *order);
    size_t distinct = 0;

    for (size_t i = 0; i < n; i++)
        order[i] = &names[i];
    qsort(order, n, sizeof *order, compare_names);
    for (size_t i = 0; i < n; i++) {
        if (i > 0 && compare_names(&order[i - 1], &order[i]) != 0)
            distinct++;
        order[i]->final = distinct;
    }
    free(order);
    return n ? distinct + 1 : 0;
}

static void free_names(struct merged_name *names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        for (int f = 0; f < 2; f++) {
            free(names[i].raw[f]);
            free(names[i].text[f]);
        }
    free(names);
}

static int compare_problems(const void *a, const void *b)
{
    const struct problem *x = a, *y = b;

    if (x->line != y->line)
        return x->line < y->line ? -1 : 1;
    if (x->field != y->field)
        return x->field < y->field ? -1 : 1;
    if (x->warning != y->warning)
        return x->warning - y->warning;
    return strcmp(x->message, y->message);
}

/* Pass the problems of every part and of the merge M to D, in line
 * order; return the number of errors. */
static size_t report_problems(struct part *parts, unsigned nparts,
                              const long *base, struct part *m,
                              const char *display, struct diag *d)
{
    struct problem *all;
    size_t n = m->nproblems, k = 0, errors = m->all_problems;
    size_t shown = 0;

    for (unsigned i = 0; i < nparts; i++) {
        n += parts[i].nproblems;
        errors += parts[i].all_problems;
    }
    all = xcalloc(n ? n : 1, sizeof *all);
    for (unsigned i = 0; i < nparts; i++)
        for (size_t j = 0; j < parts[i].nproblems; j++) {
            all[k] = parts[i].problems[j];
            all[k++].line += base[i];
        }
    for (size_t j = 0; j < m->nproblems; j++)
        all[k++] = m->problems[j];
    qsort(all, n, sizeof *all, compare_problems);
    for (size_t i = 0; i < n; i++) {
        if (!all[i].warning && shown < DIAG_MAX_ERRORS) {
            diag_error(d, display, all[i].line, all[i].field, "%s",
                       all[i].message);
            shown++;
        } else if (all[i].warning) {
            /* diag keeps the first warnings and counts the rest. */
            diag_warning(d, display, all[i].line, all[i].field, "%s",
                         all[i].message);
        }
    }
    errors += m->unshown;
    if (errors > shown)
        diag_add_unshown(d, errors - shown);
    free(all);
    return errors;
}

static void add_counts(struct roster_counts *to, const int64_t *n)
{
    to->entity += n[RULE_ENTITY];
    to->contract += n[RULE_CONTRACT];
    to->not_appointed += n[RULE_NOT_APPOINTED];
    to->too_short += n[RULE_TOO_SHORT];
    to->eligible += n[RULE_ELIGIBLE];
    for (int r = 0; r < NRULES; r++)
        to->records += n[r];
}

/*
 * Fill R from the cells of M, laid out again by the numbers of the
 * checked names ORGS and STATIONS, so that spellings of one code meet and
 * the groups come out in byte order.
 */
static int compare_slots(const void *a, const void *b)
{
    const struct cell_slot *x = a, *y = b;

    return x->key < y->key ? -1 : x->key > y->key;
}

static void fill_roster(struct roster *r, struct part *m,
                        const struct merged_name *orgs, size_t final_orgs,
                        const struct merged_name *stations,
                        size_t final_stations)
{
    const struct merged_name **by_final =
        xcalloc(final_stations + 1, sizeof *by_final);
    struct part out;
    struct cell_slot **sorted; /* per row, its cells by station */
    size_t *nsorted, ngroups = 0;

    memset(&out, 0, sizeof out);
    for (size_t o = 0; o < m->nrows; o++)
        for (size_t j = 0; j < row_size(&m->rows[o]); j++) {
            const struct cell_slot *slot = row_slot(&m->rows[o], j);

            if (slot->key != 0)
                add_cell(cell_at(&out, (uint32_t)orgs[o].final,
                                 (uint32_t)stations[slot->key - 1].final),
                         &slot->cell, slot->cell.line);
        }
    /* The final numbers are in byte order of the codes and names, so the
     * rows taken in order, each sorted by station, give the groups in
     * the order they must come out. */
    sorted = xcalloc(out.nrows + 1, sizeof *sorted);
    nsorted = xcalloc(out.nrows + 1, sizeof *nsorted);
    for (size_t o = 0; o < out.nrows; o++) {
        const struct row *row = &out.rows[o];

        sorted[o] = xcalloc(row_size(row) + 1, sizeof **sorted);
        for (size_t j = 0; j < row_size(row); j++)
            if (row_slot(row, j)->key != 0)
                sorted[o][nsorted[o]++] = *row_slot(row, j);
        qsort(sorted[o], nsorted[o], sizeof **sorted, compare_slots);
        for (size_t j = 0; j < nsorted[o]; j++)
            ngroups += sorted[o][j].cell.n[RULE_ELIGIBLE] > 0;
    }

    r->organisations = xcalloc(final_orgs + 1, sizeof *r->organisations);
    r->norganisations = final_orgs;
    for (size_t o = 0; o < m->organisations.used; o++)
        r->organisations[orgs[o].final].code = orgs[o].text[0];
    for (size_t o = 0; o < final_orgs; o++)
        r->organisations[o].code = xstrdup(r->organisations[o].code);
    for (size_t st = 0; st < m->stations.used; st++)
        by_final[stations[st].final] = &stations[st];
    r->groups = xcalloc(ngroups + 1, sizeof *r->groups);
    for (size_t o = 0; o < out.nrows && o < final_orgs; o++) {
        for (size_t j = 0; j < nsorted[o]; j++) {
            const struct cell_slot *slot = &sorted[o][j];
            const struct merged_name *station = by_final[slot->key - 1];
            struct roster_group *g;

            add_counts(&r->organisations[o].n, slot->cell.n);
            add_counts(&r->total, slot->cell.n);
            if (slot->cell.n[RULE_ELIGIBLE] == 0)
                continue;
            g = &r->groups[r->ngroups++];
            g->organisation = xstrdup(r->organisations[o].code);
            g->country = xstrdup(station->text[0]);
            g->duty_station = xstrdup(station->text[1]);
            g->eligible = slot->cell.n[RULE_ELIGIBLE];
            g->line = slot->cell.line;
        }
    }
    for (size_t o = 0; o < out.nrows; o++)
        free(sorted[o]);
    free(sorted);
    free(nsorted);
    free(by_final);
    release_parts(&out, 1);
}

/* Set the first line of each name to that of its first record. */
static void first_lines(const struct part *m, struct merged_name *orgs,
                        struct merged_name *stations)
{
    for (size_t o = 0; o < m->nrows; o++)
        for (size_t j = 0; j < row_size(&m->rows[o]); j++) {
            const struct cell_slot *slot = row_slot(&m->rows[o], j);
            long line = slot->cell.line;

            if (slot->key == 0)
                continue;
            for (int r = 0; r < NRULES; r++) {
                orgs[o].records += slot->cell.n[r];
                stations[slot->key - 1].records += slot->cell.n[r];
            }
            if (orgs[o].line == 0 || line < orgs[o].line)
                orgs[o].line = line;
            if (stations[slot->key - 1].line == 0 ||
                line < stations[slot->key - 1].line)
                stations[slot->key - 1].line = line;
        }
}

/*
 * Merge the parts into R: one table of names and cells by absolute lines,
 * every name checked once, then the cells laid out by checked name.
 * Returns 0 or -1.
 */
static int merge_parts(struct roster *r, struct part *parts, unsigned nparts,
                       long first_line, const struct job *job, struct diag *d)
{
    long base[ROSTER_MAX_THREADS];
    struct part m;
    struct merged_name *orgs, *stations;
    size_t errors, norgs, nstations;

    base[0] = first_line - 1;
    for (unsigned i = 1; i < nparts; i++)
        base[i] = base[i - 1] + parts[i - 1].lines;
    memset(&m, 0, sizeof m);
    m.job = job;
    m.keep_all = 1;
    m.organisations.nfields = 1;
    m.stations.nfields = 2;
    gather_cells(&m, parts, nparts, base);
    norgs = m.organisations.used;
    nstations = m.stations.used;
    orgs = list_names(&m, &m.organisations);
    stations = list_names(&m, &m.stations);
    first_lines(&m, orgs, stations);
    settle_names(&m, orgs, norgs, 1);
    settle_names(&m, stations, nstations, 2);

    errors = report_problems(parts, nparts, base, &m, job->display, d);
    if (errors == 0)
        fill_roster(r, &m, orgs, number_names(orgs, norgs), stations,
                    number_names(stations, nstations));
    free_names(orgs, norgs);
    free_names(stations, nstations);
    release_parts(&m, 1);
    return errors == 0 ? 0 : -1;
}

/* ---- the whole file ---- */

static unsigned thread_count(const struct model *m, unsigned long long bytes)
{
    unsigned n = m->threads;
    unsigned long long smallest = m->roster_part_bytes ? m->roster_part_bytes
                                  : n                  ? 4096
                                                       : MIN_PART_BYTES;
    unsigned long long parts = bytes / smallest;

    if (n == 0) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);

        n = cpus >= 2 ? 2 : 1;
    }
    if (n > ROSTER_MAX_THREADS)
        n = ROSTER_MAX_THREADS;
    if (parts < n)
        n = parts > 0 ? (unsigned)parts : 1;
    return n;
}

/* Fill JOB from the header read into T. */
static void set_up_job(struct job *job, const struct model *m,
                       const struct table *t, int fd)
{
    char bom[3];

    memset(job, 0, sizeof *job);
    job->fd = fd;
    job->display = t->display;
    /* A UTF-8 byte-order mark settles the encoding, as for a table. */
    job->encoding =
        pread_full(fd, bom, 3, 0) == 3 && memcmp(bom, "\xEF\xBB\xBF", 3) == 0
            ? TABLE_UTF8
            : m->roster.encoding;
    job->delimiter = t->delimiter;
    job->header_fields = t->header_fields;
    job->unnamed = t->unnamed;
    for (size_t f = 0; f < t->header_fields; f++)
        job->has_unnamed |= t->unnamed[f];
    job->rules = &m->eligibility;
    {
        char text[11];
        struct field f = {text, 10};

        date_format(m->eligibility.as_at, text);
        if (parse_ymd(f, &job->as_at) != 0)
            job->as_at = 0;
    }
    for (int c = 0; c < ROSTER_NCOLUMNS; c++) {
        job->field_of[c] = t->field_of[c];
        job->header[c] = t->header[c] ? t->header[c] : "";
    }
}

/*
 * Read every part: the parts from the second on in threads of their own,
 * the first on this thread; with a progress callback, every part in a
 * thread while this one reports.  A part whose thread cannot start is
 * read here.
 */
static void run_parts(struct part *parts, unsigned nparts,
                      unsigned long long total, const struct model *m)
{
    int started[ROSTER_MAX_THREADS] = {0};
    unsigned first = m->progress ? 0 : 1;

    for (unsigned i = first; i < nparts; i++)
        started[i] =
            pthread_create(&parts[i].thread, NULL, read_part, &parts[i]) == 0;
    for (unsigned i = 0; i < nparts; i++)
        if (!started[i])
            read_part(&parts[i]);
    while (m->progress) {
        unsigned long long done = 0;
        unsigned finished = 0;
        struct timespec pause = {0, 100000000};

        for (unsigned i = 0; i < nparts; i++) {
            done += atomic_load(&parts[i].done);
            finished += (unsigned)atomic_load(&parts[i].finished);
        }
        m->progress(m->progress_context, done, total);
        if (finished == nparts)
            break;
        nanosleep(&pause, NULL);
    }
    for (unsigned i = 0; i < nparts; i++)
        if (started[i])
            pthread_join(parts[i].thread, NULL);
}

static void release_parts(struct part *parts, unsigned nparts)
{
    for (unsigned i = 0; i < nparts; i++) {
        for (size_t j = 0; j < parts[i].nproblems; j++)
            free(parts[i].problems[j].message);
        free(parts[i].problems);
        for (size_t o = 0; o < parts[i].nrows; o++) {
            free(parts[i].rows[o].dense);
            free(parts[i].rows[o].slots);
        }
        free(parts[i].rows);
        free(parts[i].organisations.slots);
        free(parts[i].stations.slots);
        free(parts[i].arena);
        free(parts[i].excluded_hits);
        free(parts[i].type_hits);
        free(parts[i].block);
        free(parts[i].scratch);
    }
}

/* Warn about an excluded entity that matched no record and a contract
 * type that no record has, since both are usually misspelt. */
static void warn_unused_rules(const struct model *m, const struct part *parts,
                              unsigned nparts, struct diag *d)
{
    const struct model_eligibility *g = &m->eligibility;

    for (size_t i = 0; i < g->nexcluded; i++) {
        int64_t hits = 0;

        for (unsigned k = 0; k < nparts; k++)
            hits += parts[k].excluded_hits[i];
        if (hits == 0)
            diag_warning(d, m->display, 0, 0,
                         "excluded entity %s%s%s left out no record of the "
                         "roster; is it misspelt?",
                         g->excluded[i].organisation,
                         g->excluded[i].organisation[0] ? ":" : "",
                         g->excluded[i].entity);
    }
    for (size_t i = 0; i < g->ncontract_types; i++) {
        int64_t hits = 0;

        for (unsigned k = 0; k < nparts; k++)
            hits += parts[k].type_hits[i];
        if (hits == 0)
            diag_warning(d, m->display, 0, 0,
                         "no record of the roster has contract type %s; is "
                         "it misspelt?",
                         g->contract_types[i]);
    }
}

/* Read the data lines of the file from OFFSET on, in NPARTS parts. */
static int read_records(struct roster *r, const struct model *m,
                        const struct job *job, unsigned long long offset,
                        unsigned long long size, long first_line,
                        struct diag *d)
{
    struct part parts[ROSTER_MAX_THREADS];
    unsigned nparts = thread_count(m, size - offset);
    int status = 0;

    memset(parts, 0, sizeof parts);
    for (unsigned i = 0; i < nparts; i++) {
        struct part *p = &parts[i];

        p->job = job;
        p->organisations.nfields = 1;
        p->stations.nfields = 2;
        p->begin = i == 0 ? offset : parts[i - 1].end;
        p->end = i + 1 == nparts
                     ? size
                     : next_line_start(
                           job->fd,
                           offset + (size - offset) / nparts * (i + 1), size);
        if (p->end < p->begin)
            p->end = p->begin;
        p->excluded_hits =
            xcalloc(m->eligibility.nexcluded + 1, sizeof *p->excluded_hits);
        p->type_hits =
            xcalloc(m->eligibility.ncontract_types + 1, sizeof *p->type_hits);
        p->block = xcalloc(1, BLOCK_BYTES + SLACK);
        p->scratch = xcalloc(1, BLOCK_BYTES + SLACK);
        atomic_init(&p->done, 0);
        atomic_init(&p->finished, 0);
    }
    r->threads = nparts;
    run_parts(parts, nparts, size - offset, m);
    for (unsigned i = 0; i < nparts; i++) {
        if (parts[i].system_errno != 0) {
            diag_error(d, job->display, 0, 0, "cannot read the file: %s",
                       strerror(parts[i].system_errno));
            status = -2;
            break;
        }
    }
    if (status == 0)
        status = merge_parts(r, parts, nparts, first_line, job, d);
    if (status == 0)
        warn_unused_rules(m, parts, nparts, d);
    release_parts(parts, nparts);
    return status;
}

int roster_read(struct roster *r, const struct model *m, struct diag *d)
{
    struct table t;
    struct table_spec spec;
    struct job job;
    struct stat st;
    unsigned long long offset = 0;
    int fd, status;
    size_t first = d->count;

    memset(r, 0, sizeof *r);
    model_input_spec(&m->roster, &spec);
    r->display = xstrdup(m->roster.display);
    fd = open(m->roster.path, O_RDONLY | O_CLOEXEC);
    if (fd < 0 || fstat(fd, &st) != 0 || S_ISDIR(st.st_mode)) {
        int saved = fd < 0 ? errno : S_ISDIR(st.st_mode) ? EISDIR : errno;

        diag_error(d, m->roster.display, 0, 0,
                   "cannot read the file, named in %s: %s", m->roster.named_by,
                   strerror(saved));
        if (fd >= 0)
            close(fd);
        roster_release(r);
        return -2;
    }
    status = table_read_header(&t, &spec, fd, &offset, d);
    if (status == 0 && m->eligibility.nexcluded > 0 &&
        t.field_of[ROSTER_ENTITY] == 0) {
        diag_error(d, t.display, t.header_line, 0,
                   "excluded_entities needs an entity column (\"%s\") in "
                   "the roster",
                   m->roster.columns[ROSTER_ENTITY].name);
        status = -1;
    }
    if (status == 0) {
        set_up_job(&job, m, &t, fd);
        status =
            read_records(r, m, &job, offset, (unsigned long long)st.st_size,
                         t.header_end_line + 1, d);
    }
    if (status == 0 && r->total.records == 0) {
        diag_error(d, t.display, t.header_line, 0,
                   "no records below the header");
        status = -1;
    }
    if (status == 0 && !m->roster_no_digest &&
        sha256_file_hex(fd, r->sha256) != 0) {
        diag_error(d, t.display, 0, 0, "cannot read the file: %s",
                   strerror(errno));
        status = -2;
    }
    table_release(&t);
    close(fd);
    diag_sort_lines(d, first);
    if (status != 0)
        roster_release(r);
    return status;
}

void roster_release(struct roster *r)
{
    for (size_t i = 0; i < r->ngroups; i++) {
        free(r->groups[i].organisation);
        free(r->groups[i].country);
        free(r->groups[i].duty_station);
    }
    for (size_t i = 0; i < r->norganisations; i++)
        free(r->organisations[i].code);
    free(r->groups);
    free(r->organisations);
    free(r->display);
    memset(r, 0, sizeof *r);
}
