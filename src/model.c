/*
 * model: read a model file with libinih and validate it.
 *
 * libinih (as Debian builds it) gives the handler no line number, so the
 * file is fed through a reader that counts lines and checks each line's
 * shape; the handler only records (section, key, value, line).  Values
 * are checked afterwards, once the currency, which sets the decimals of
 * every amount, is known whatever the order of the sections.
 */
#include "model.h"

#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "util.h"

/* Status of reading the entries: a file that is not a model at all, or a
 * chain of base keys that is broken, so the entries are too incomplete
 * to check key by key. */
#define BROKEN_CHAIN (-3)

/* Maximum size of a model or scenario file, in bytes. */
#define MODEL_MAX_FILE_BYTES (1 << 20)

/* Maximum model line, newline excluded: Debian builds libinih with a
 * 200-byte line buffer, which also contains the newline and a NUL. */
#define MODEL_MAX_LINE 198

/* One "key = value" of a model or scenario file. */
struct entry {
    char *section;
    char *key;
    char *value;
    const char *file; /* the file it came from, as shown in messages */
    const char *path; /* the same file, as opened */
    long line;
    int used;
    int dropped; /* replaced by a scenario */
};

/* The entries of a model and of the scenarios stacked on it, in order. */
struct entry_set {
    struct entry *entries;
    size_t count, capacity;
    char **files; /* display paths, owned here */
    char **paths; /* the same files as opened, owned here */
    size_t nfiles;
};

/* State of reading one file through libinih. */
struct reader {
    FILE *file;
    const char *name; /* display path */
    const char *path; /* as opened */
    long line;
    struct entry_set *set;
    struct diag *d;
    int errors;
};

static const char *const sections[] = {
    "model",    "headcount", "headquarters", "budget",
    "agencies", "rules",     "scenario",     "transition",
    "actuals",  "posts",     "roster",       "eligibility",
};

static int known_section(const char *name)
{
    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++)
        if (strcmp(name, sections[i]) == 0)
            return 1;
    return 0;
}

/* Check the shape of one line: blank, comment, [section] or key = value. */
static int check_line(struct reader *r, char *s)
{
    size_t len = strlen(s);
    char *p = s;

    while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r' ||
                       s[len - 1] == ' ' || s[len - 1] == '\t'))
        s[--len] = '\0';
    if (r->line == 1 && strncmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    if (*p == '\0' || *p == ';' || *p == '#')
        return 0;
    if (*p == ' ' || *p == '\t') {
        diag_error(r->d, r->name, r->line, 0,
                   "indented line; continuation lines are not supported");
        return -1;
    }
    if (*p == '[') {
        char *end = strchr(p, ']');
        const char *after = end ? end + 1 + strspn(end + 1, " \t") : NULL;

        if (end == NULL ||
            (*after != '\0' && *after != ';' && *after != '#')) {
            diag_error(r->d, r->name, r->line, 0,
                       "invalid section line; expected \"[name]\"");
            return -1;
        }
        *end = '\0';
        if (!known_section(p + 1)) {
            diag_error(r->d, r->name, r->line, 0,
                       "unknown section \"[%s]\"; expected [model], "
                       "[headcount], [headquarters], [budget], "
                       "[agencies], [rules], [scenario] or [transition]",
                       p + 1);
            r->errors++;
            /* libinih still sees the section, so that its keys are
             * skipped rather than read into the section before it. */
        }
        *end = ']';
        return 0;
    }
    if (strchr(p, '=') == NULL) {
        diag_error(r->d, r->name, r->line, 0,
                   "invalid line; expected \"key = value\" or "
                   "\"[section]\"");
        return -1;
    }
    return 0;
}

/* The libinih reader: one line per call, counted and checked.  A line
 * with an error reaches libinih as an empty line. */
static char *read_line(char *str, int num, void *stream)
{
    struct reader *r = stream;
    size_t len;

    if (fgets(str, num, r->file) == NULL)
        return NULL;
    r->line++;
    len = strlen(str);
    if (len == (size_t)num - 1 && str[len - 1] == '\r') {
        /* A CRLF line of the maximum length: its LF did not fit. */
        int c = fgetc(r->file);

        if (c != '\n' && c != EOF)
            ungetc(c, r->file);
        else
            str[len - 1] = '\n';
    }
    if (len == (size_t)num - 1 && str[len - 1] != '\n' && !feof(r->file)) {
        int c;

        while ((c = fgetc(r->file)) != EOF && c != '\n')
            ;
        diag_error(r->d, r->name, r->line, 0, "line longer than %d bytes",
                   MODEL_MAX_LINE);
        r->errors++;
        str[0] = '\0';
        return str;
    }
    if (check_line(r, str) != 0) {
        r->errors++;
        str[0] = '\0';
    }
    return str;
}

static struct entry *add_entry(struct entry_set *set, const char *section,
                               const char *key, const char *value,
                               const char *file, const char *path, long line)
{
    struct entry *e;

    if (set->count == set->capacity) {
        set->capacity = set->capacity ? 2 * set->capacity : 32;
        set->entries = xreallocarray(set->entries, set->capacity, sizeof *e);
    }
    e = &set->entries[set->count++];
    e->section = xstrdup(section);
    e->key = xstrdup(key);
    e->value = xstrdup(value);
    e->file = file;
    e->path = path;
    e->line = line;
    e->used = 0;
    e->dropped = 0;
    return e;
}

static int on_entry(void *user, const char *section, const char *name,
                    const char *value)
{
    struct reader *r = user;

    if (*section == '\0') {
        diag_error(r->d, r->name, r->line, 0,
                   "key \"%s\" before any [section]", name);
        r->errors++;
        return 1;
    }
    if (!known_section(section))
        return 1; /* the section line was reported */
    add_entry(r->set, section, name, value, r->name, r->path, r->line);
    return 1;
}

static void entry_set_release(struct entry_set *set)
{
    for (size_t i = 0; i < set->count; i++) {
        free(set->entries[i].section);
        free(set->entries[i].key);
        free(set->entries[i].value);
    }
    free(set->entries);
    for (size_t i = 0; i < set->nfiles; i++) {
        free(set->files[i]);
        free(set->paths[i]);
    }
    free(set->files);
    free(set->paths);
    memset(set, 0, sizeof *set);
}

/* Return whether FILE contains a NUL byte, which would cut a line short.
 * The file is read from its start and rewound. */
static int has_nul(FILE *file)
{
    char buf[4096];
    size_t n;
    int found = 0;

    while (!found && (n = fread(buf, 1, sizeof buf, file)) > 0)
        found = memchr(buf, '\0', n) != NULL;
    rewind(file);
    return found;
}

/* Keep PATH and DISPLAY for the life of SET; return the index. */
static size_t keep_file(struct entry_set *set, const char *path,
                        const char *display)
{
    set->files =
        xreallocarray(set->files, set->nfiles + 1, sizeof *set->files);
    set->paths =
        xreallocarray(set->paths, set->nfiles + 1, sizeof *set->paths);
    set->files[set->nfiles] = xstrdup(display);
    set->paths[set->nfiles] = xstrdup(path);
    return set->nfiles++;
}

/*
 * Read the entries of the file at PATH (shown as DISPLAY) into SET.
 * Returns 0, -1 when a line is invalid (errors in D; the valid entries
 * are still added, so that one run reports every problem), or -2 when
 * the file cannot be read.
 */
static int read_file_entries(struct entry_set *set, const char *path,
                             const char *display, struct diag *d)
{
    struct reader r;
    struct stat st;
    size_t file;
    int status;

    memset(&r, 0, sizeof r);
    file = keep_file(set, path, display);
    r.name = set->files[file];
    r.path = set->paths[file];
    r.set = set;
    r.d = d;
    r.file = fopen(path, "r");
    if (r.file != NULL && fstat(fileno(r.file), &st) == 0 &&
        S_ISDIR(st.st_mode)) {
        fclose(r.file);
        r.file = NULL;
        errno = EISDIR;
    }
    if (r.file == NULL) {
        diag_error(d, display, 0, 0, "cannot read the file: %s",
                   strerror(errno));
        return -2;
    }
    if (!S_ISREG(st.st_mode) || st.st_size > MODEL_MAX_FILE_BYTES) {
        diag_error(d, display, 0, 0,
                   "a model or scenario must be a regular file of at most "
                   "%d bytes",
                   MODEL_MAX_FILE_BYTES);
        fclose(r.file);
        return BROKEN_CHAIN;
    }
    if (has_nul(r.file)) {
        diag_error(d, display, 0, 0,
                   "the file contains a NUL byte; save it as plain text");
        fclose(r.file);
        return BROKEN_CHAIN;
    }
    status = ini_parse_stream(read_line, &r, on_entry, &r);
    fclose(r.file);
    if (status > 0 && r.errors == 0) {
        diag_error(d, display, status, 0, "invalid line");
        r.errors++;
    }
    if (status < 0) {
        diag_error(d, display, 0, 0, "cannot parse the file");
        r.errors++;
    }
    return r.errors > 0 ? -1 : 0;
}

/* ---- scenarios ---- */

/* Keys a scenario adds to rather than replaces: each is one change. */
static int is_change_key(const char *section, const char *key)
{
    if (strcmp(section, "budget") == 0)
        return strcmp(key, "add") == 0 || strcmp(key, "remove") == 0 ||
               strcmp(key, "scale") == 0;
    if (strcmp(section, "headcount") == 0)
        return strcmp(key, "set") == 0 || strcmp(key, "change") == 0;
    return 0;
}

/*
 * Lay the entries of OVER (one scenario file) on SET: a key the scenario
 * gives replaces the same key of the files below it, a band or fixed
 * list replaces the whole list, and budget and headcount changes are
 * added in order.  The [scenario] section stays for load_scenario().
 */
static void overlay(struct entry_set *set, const struct entry_set *over,
                    const char *path, const char *display)
{
    size_t below = set->count, file = keep_file(set, path, display);

    for (size_t i = 0; i < over->count; i++) {
        const struct entry *e = &over->entries[i];

        for (size_t k = 0; k < below && !is_change_key(e->section, e->key);
             k++) {
            struct entry *old = &set->entries[k];

            if (strcmp(old->section, e->section) == 0 &&
                strcmp(old->key, e->key) == 0 &&
                (strcmp(e->section, "scenario") != 0 ||
                 strcmp(e->key, "name") != 0))
                old->dropped = 1;
        }
        add_entry(set, e->section, e->key, e->value, set->files[file],
                  set->paths[file], e->line);
    }
}

static const struct entry *find_entry(const struct entry_set *set,
                                      const char *section, const char *key)
{
    for (size_t i = 0; i < set->count; i++)
        if (!set->entries[i].dropped &&
            strcmp(set->entries[i].section, section) == 0 &&
            strcmp(set->entries[i].key, key) == 0)
            return &set->entries[i];
    return NULL;
}

/* Deepest chain of scenarios on scenarios. */
#define MODEL_MAX_BASES 16

/*
 * Read the file at PATH into SET: a model, or a scenario laid on the
 * model or scenario its base key names.  FOLLOW_BASE is 0 for a scenario
 * stacked on a model given on the command line.
 */
static int collect_entries(struct entry_set *set, const char *path,
                           const char *display, int follow_base, int depth,
                           struct diag *d)
{
    struct entry_set own;
    const struct entry *base;
    int status;

    memset(&own, 0, sizeof own);
    status = read_file_entries(&own, path, display, d);
    if (status == -2 || status == BROKEN_CHAIN) {
        entry_set_release(&own);
        return status;
    }
    base = find_entry(&own, "scenario", "base");
    if (follow_base && find_entry(&own, "scenario", "name") != NULL &&
        base == NULL) {
        diag_error(d, display, 0, 0,
                   "missing key \"base\" in [scenario] (the model or "
                   "scenario it changes)");
        status = BROKEN_CHAIN;
    } else if (follow_base && base != NULL && depth >= MODEL_MAX_BASES) {
        diag_error(d, display, base->line, 0,
                   "more than %d scenarios on top of each other (a loop of "
                   "base keys?)",
                   MODEL_MAX_BASES);
        status = BROKEN_CHAIN;
    } else if (follow_base && base != NULL) {
        char *base_path = path_join_relative(path, base->value, 0);
        char *base_display = path_join_relative(display, base->value, 1);
        int rc =
            collect_entries(set, base_path, base_display, 1, depth + 1, d);

        if (rc != 0)
            status = rc;
        free(base_path);
        free(base_display);
    }
    overlay(set, &own, path, display);
    entry_set_release(&own);
    return status;
}

/* ---- looking up entries ---- */

struct loader {
    struct model *m;
    struct entry_set *set;
    struct diag *d;
    int ok;
};

/* Return the single entry SECTION.KEY (marked used), or NULL.  A second
 * entry with the same key is an error. */
static struct entry *lookup(struct loader *l, const char *section,
                            const char *key)
{
    struct entry *found = NULL;

    for (size_t i = 0; i < l->set->count; i++) {
        struct entry *e = &l->set->entries[i];

        if (e->dropped || strcmp(e->section, section) != 0 ||
            strcmp(e->key, key) != 0)
            continue;
        e->used = 1;
        if (found == NULL) {
            found = e;
            continue;
        }
        diag_error(l->d, e->file, e->line, 0,
                   "key \"%s\" in [%s] is set twice (first on line %ld)", key,
                   section, found->line);
        l->ok = 0;
    }
    return found;
}

static void invalid(struct loader *l, const struct entry *e,
                    const char *expected)
{
    diag_error(l->d, e->file, e->line, 0,
               "invalid value \"%s\" for %s in [%s]; expected %s", e->value,
               e->key, e->section, expected);
    l->ok = 0;
}

static void missing(struct loader *l, const char *section, const char *key,
                    const char *why)
{
    diag_error(l->d, l->m->display, 0, 0, "missing key \"%s\" in [%s]%s", key,
               section, why);
    l->ok = 0;
}

/* Parse E's value as a plain decimal with DECIMALS digits. */
static int entry_decimal(struct loader *l, const struct entry *e,
                         unsigned decimals, int64_t *out)
{
    struct money_parse_options o = {decimals, MONEY_FORMAT_POINT,
                                    MONEY_ROUND_REJECT, 0};
    enum money_status status = money_parse(e->value, &o, out);
    char message[200];

    if (status == MONEY_OK)
        return 0;
    l->ok = 0;
    if (status == MONEY_AMBIGUOUS || status == MONEY_GROUPING ||
        status == MONEY_DECIMALS) {
        diag_error(l->d, e->file, e->line, 0,
                   "invalid value \"%s\" for %s in [%s]; write a plain "
                   "decimal with at most %u decimals, such as 75000.00",
                   e->value, e->key, e->section, decimals);
        return -1;
    }
    money_parse_message(message, sizeof message, status, e->value, e->key, &o);
    diag_error(l->d, e->file, e->line, 0, "%s in [%s]", message, e->section);
    return -1;
}

/* Parse a percentage (0 to 100) into SHARE_SCALE units. */
static int entry_percent(struct loader *l, const struct entry *e,
                         const char *text, int64_t *out)
{
    struct entry copy = *e;

    copy.value = (char *)text;
    if (entry_decimal(l, &copy, SHARE_PERCENT_DECIMALS, out) != 0)
        return -1;
    if (*out < 0 || *out > SHARE_SCALE) {
        diag_error(l->d, e->file, e->line, 0,
                   "percentage \"%s\" for %s is outside 0 to 100", text,
                   e->key);
        l->ok = 0;
        return -1;
    }
    return 0;
}

/* Return the path E's value names, relative to E's file. */
static char *entry_path(const struct entry *e, int tidy)
{
    return path_join_relative(tidy ? e->file : e->path, e->value, tidy);
}

/* ---- sections ---- */

int model_currency_decimals(const char *code)
{
    static const struct {
        const char *code;
        int decimals;
    } currencies[] = {
        {"AUD", 2}, {"BHD", 3}, {"CAD", 2}, {"CHF", 2}, {"CNY", 2},
        {"DKK", 2}, {"EUR", 2}, {"GBP", 2}, {"INR", 2}, {"JOD", 3},
        {"JPY", 0}, {"KES", 2}, {"KRW", 0}, {"KWD", 3}, {"NOK", 2},
        {"OMR", 3}, {"SEK", 2}, {"USD", 2}, {"XOF", 0}, {"ZAR", 2},
    };

    for (size_t i = 0; i < sizeof currencies / sizeof currencies[0]; i++)
        if (strcmp(code, currencies[i].code) == 0)
            return currencies[i].decimals;
    return -1;
}

static void load_model_section(struct loader *l)
{
    struct model *m = l->m;
    struct entry *e;
    int decimals = -1;

    if ((e = lookup(l, "model", "name")) == NULL)
        missing(l, "model", "name", "");
    else if (e->value[0] == '\0' || strchr(e->value, '/') != NULL ||
             strcmp(e->value, ".") == 0 || strcmp(e->value, "..") == 0)
        invalid(l, e, "a name without \"/\", used as a folder name");
    else
        m->name = xstrdup(e->value);

    if ((e = lookup(l, "model", "kind")) == NULL)
        missing(l, "model", "kind", " (jfa or lcssb)");
    else if (strcmp(e->value, "jfa") == 0)
        m->kind = MODEL_JFA;
    else if (strcmp(e->value, "lcssb") == 0)
        m->kind = MODEL_LCSSB;
    else
        invalid(l, e, "jfa or lcssb");

    if ((e = lookup(l, "model", "period")) == NULL)
        missing(l, "model", "period", " (the budget period, such as 2020)");
    else if (e->value[0] == '\0')
        invalid(l, e, "the budget period, such as 2020");
    else
        m->period = xstrdup(e->value);

    if ((e = lookup(l, "model", "currency")) == NULL) {
        missing(l, "model", "currency", " (an ISO 4217 code such as USD)");
    } else if (strlen(e->value) != 3 ||
               strspn(e->value, "ABCDEFGHIJKLMNOPQRSTUVWXYZ") != 3) {
        invalid(l, e, "an ISO 4217 code such as USD");
    } else {
        memcpy(m->currency, e->value, 4);
        decimals = model_currency_decimals(e->value);
    }

    if ((e = lookup(l, "model", "minor_units")) != NULL) {
        if (strlen(e->value) == 1 && e->value[0] >= '0' && e->value[0] <= '4')
            decimals = e->value[0] - '0';
        else
            invalid(l, e, "0 to 4 (digits of the minor unit)");
    } else if (decimals < 0 && m->currency[0] != '\0') {
        diag_error(l->d, m->display, 0, 0,
                   "currency %s is not in the built-in list; set "
                   "minor_units in [model]",
                   m->currency);
        l->ok = 0;
    }
    m->decimals = decimals < 0 ? 2 : (unsigned)decimals;
}

/* Column roles of each input, with their default header names. */
static const char *const headcount_roles[] = {
    "organisation",
    "country",
    "duty_station",
    "headcount",
};
static const int headcount_required[] = {1, 1, 0, 1};
static const char *const headquarters_roles[] = {
    "organisation",
    "country",
    "duty_station",
};
static const int headquarters_required[] = {1, 1, 1};
static const char *const budget_roles[] = {
    "line",    "description", "object",   "amount",
    "country", "excluded",    "included",
};
static const int budget_required[] = {1, 0, 0, 1, 0, 0, 0};
static const char *const agency_roles[] = {"country", "agency"};
static const char *const actual_roles[] = {"line",  "object", "country",
                                           "month", "amount", "commitments"};
static const int actual_required[] = {0, 0, 0, 0, 1, 0};
static const char *const post_roles[] = {"category", "authorised",
                                         "encumbered"};
static const int post_required[] = {1, 1, 1};
static const char *const roster_roles[] = {
    "organisation",  "entity",     "duty_station", "country",
    "contract_type", "start_date", "end_date",     "grade",
};
static const int roster_required[] = {1, 0, 1, 1, 1, 1, 1, 0};
static const int agency_required[] = {1, 1};

/* Read the reading options of an input file in SECTION. */
static void load_reading(struct loader *l, const char *section,
                         struct model_input *in)
{
    struct entry *e;

    if ((e = lookup(l, section, "encoding")) != NULL) {
        if (strcmp(e->value, "utf-8") == 0)
            in->encoding = TABLE_UTF8;
        else if (strcmp(e->value, "windows-1252") == 0)
            in->encoding = TABLE_WINDOWS_1252;
        else
            invalid(l, e, "utf-8 or windows-1252");
    }
    if ((e = lookup(l, section, "delimiter")) != NULL) {
        if (strcmp(e->value, "comma") == 0)
            in->delimiter = ',';
        else if (strcmp(e->value, "semicolon") == 0)
            in->delimiter = ';';
        else if (strcmp(e->value, "tab") == 0)
            in->delimiter = '\t';
        else
            invalid(l, e, "comma, semicolon or tab");
    }
    if ((e = lookup(l, section, "header_line")) != NULL) {
        char *end;
        long v = strtol(e->value, &end, 10);

        if (*end != '\0' || v < 1 || v > 1000000 || e->value[0] == '+')
            invalid(l, e, "a line number from 1");
        else
            in->header_line = v;
    }
    if ((e = lookup(l, section, "number_format")) != NULL) {
        if (strcmp(e->value, "1,234.56") == 0)
            in->number.format = MONEY_FORMAT_POINT;
        else if (strcmp(e->value, "1.234,56") == 0)
            in->number.format = MONEY_FORMAT_COMMA;
        else
            invalid(l, e, "1,234.56 or 1.234,56");
    }
    if ((e = lookup(l, section, "round")) != NULL) {
        if (strcmp(e->value, "reject") == 0)
            in->number.rounding = MONEY_ROUND_REJECT;
        else if (strcmp(e->value, "half-up") == 0)
            in->number.rounding = MONEY_ROUND_HALF_UP;
        else if (strcmp(e->value, "half-even") == 0)
            in->number.rounding = MONEY_ROUND_HALF_EVEN;
        else
            invalid(l, e, "reject, half-up or half-even");
    }
}

/* Read the file and column mapping of an input in SECTION. */
static void load_input(struct loader *l, const char *section,
                       struct model_input *in, const char *const *roles,
                       const int *required, size_t nroles)
{
    struct entry *e = lookup(l, section, "file");

    in->number.decimals = l->m->decimals;
    in->number.allow_dash_zero = 1;
    if (e == NULL)
        return;
    in->present = 1;
    if (e->value[0] == '\0') {
        invalid(l, e, "a file name");
        return;
    }
    in->path = entry_path(e, 0);
    in->display = entry_path(e, 1);
    in->named_by = xasprintf("%s:%ld", e->file, e->line);
    in->line = e->line;
    load_reading(l, section, in);

    in->ncolumns = nroles;
    for (size_t i = 0; i < nroles; i++) {
        char key[64];

        snprintf(key, sizeof key, "column.%s", roles[i]);
        e = lookup(l, section, key);
        in->columns[i].name = xstrdup(e ? e->value : roles[i]);
        in->columns[i].required = required[i];
        if (e && e->value[0] == '\0')
            invalid(l, e, "a column name");
    }
}

static void load_budget(struct loader *l)
{
    struct model *m = l->m;
    struct entry *amount = lookup(l, "budget", "amount");
    struct entry *e;

    load_input(l, "budget", &m->budget, budget_roles, budget_required,
               BUDGET_NCOLUMNS);
    if (m->kind == MODEL_LCSSB)
        m->budget.columns[BUDGET_COUNTRY].required = 1;
    if (amount && m->budget.present) {
        diag_error(l->d, amount->file, amount->line, 0,
                   "[budget] has both amount and file; give one");
        l->ok = 0;
    } else if (amount) {
        if (entry_decimal(l, amount, m->decimals, &m->budget_amount) == 0)
            m->has_budget_amount = 1;
    } else if (!m->budget.present) {
        missing(l, "budget", "amount", " (or file, a budget file)");
    }

    if ((e = lookup(l, "budget", "control_total")) != NULL) {
        if (!m->budget.present)
            invalid(l, e, "no control_total without a budget file");
        else if (entry_decimal(l, e, m->decimals, &m->control_total) == 0)
            m->has_control_total = 1;
        m->control_total_line = e->line;
    }
    if ((e = lookup(l, "budget", "footer")) != NULL) {
        if (strcmp(e->value, "reject") == 0)
            m->footer = MODEL_FOOTER_REJECT;
        else if (strcmp(e->value, "control-total") == 0)
            m->footer = MODEL_FOOTER_CONTROL_TOTAL;
        else
            invalid(l, e, "reject or control-total");
    }
}

/* Split "A B" at its last run of spaces into two words. */
static int split_pair(const char *value, char *first, size_t size,
                      const char **second)
{
    const char *space = strrchr(value, ' ');
    size_t len;

    if (space == NULL)
        return -1;
    *second = space + 1;
    while (space > value && space[-1] == ' ')
        space--;
    len = (size_t)(space - value);
    if (len == 0 || len >= size || **second == '\0')
        return -1;
    memcpy(first, value, len);
    first[len] = '\0';
    return 0;
}

static void load_band(struct loader *l, const struct entry *e)
{
    struct model *m = l->m;
    struct model_band band;
    char upper[64];
    const char *amount;
    struct entry copy = *e;

    if (split_pair(e->value, upper, sizeof upper, &amount) != 0) {
        invalid(l, e, "\"UPPER_PERCENT AMOUNT\", such as \"0.5 25000.00\"");
        return;
    }
    copy.value = (char *)amount;
    if (entry_percent(l, e, upper, &band.upper) != 0 ||
        entry_decimal(l, &copy, m->decimals, &band.amount) != 0)
        return;
    if (band.upper == 0 || band.amount < 0) {
        invalid(l, e, "a percentage above 0 and an amount of 0 or more");
        return;
    }
    if (m->nbands > 0 && m->bands[m->nbands - 1].upper >= band.upper) {
        diag_error(l->d, e->file, e->line, 0,
                   "bands must be listed by increasing upper share");
        l->ok = 0;
        return;
    }
    m->bands = xreallocarray(m->bands, m->nbands + 1, sizeof *m->bands);
    m->bands[m->nbands++] = band;
}

static void load_fixed(struct loader *l, const struct entry *e, int64_t *sum)
{
    struct model *m = l->m;
    char code[64];
    const char *percent;
    int64_t share;

    if (split_pair(e->value, code, sizeof code, &percent) != 0) {
        invalid(l, e, "\"ORGANISATION PERCENT\", such as \"UNHCR 12.5\"");
        return;
    }
    if (entry_percent(l, e, percent, &share) != 0)
        return;
    ascii_upper(code);
    for (size_t i = 0; i < m->nfixed; i++) {
        if (strcmp(m->fixed[i].organisation, code) == 0) {
            diag_error(l->d, e->file, e->line, 0,
                       "fixed share for %s is set twice (first on line %ld)",
                       code, m->fixed[i].line);
            l->ok = 0;
            return;
        }
    }
    *sum += share;
    if (*sum > SHARE_SCALE) {
        diag_error(l->d, e->file, e->line, 0,
                   "fixed shares add up to more than 100 per cent");
        l->ok = 0;
    }
    m->fixed = xreallocarray(m->fixed, m->nfixed + 1, sizeof *m->fixed);
    m->fixed[m->nfixed].organisation = xstrdup(code);
    m->fixed[m->nfixed].share = share;
    m->fixed[m->nfixed].line = e->line;
    m->nfixed++;
}

static void load_rules(struct loader *l)
{
    struct model *m = l->m;
    struct entry *e;
    int64_t fixed_sum = 0;

    if ((e = lookup(l, "rules", "basis")) == NULL)
        missing(l, "rules", "basis", " (total or field)");
    else if (strcmp(e->value, "total") == 0)
        m->basis = MODEL_BASIS_TOTAL;
    else if (strcmp(e->value, "field") == 0)
        m->basis = MODEL_BASIS_FIELD;
    else
        invalid(l, e, "total or field");

    if ((e = lookup(l, "rules", "floor")) != NULL &&
        entry_decimal(l, e, m->decimals, &m->floor) == 0 && m->floor < 0)
        invalid(l, e, "an amount of 0 or more");
    if ((e = lookup(l, "rules", "cap")) != NULL &&
        entry_percent(l, e, e->value, &m->cap) == 0 && m->cap == 0)
        invalid(l, e, "a percentage above 0");

    /* band and fixed may be repeated, one entry each. */
    for (size_t i = 0; i < l->set->count; i++) {
        struct entry *x = &l->set->entries[i];

        if (x->dropped || strcmp(x->section, "rules") != 0)
            continue;
        if (strcmp(x->key, "band") == 0) {
            x->used = 1;
            load_band(l, x);
        } else if (strcmp(x->key, "fixed") == 0) {
            x->used = 1;
            if (m->kind == MODEL_LCSSB) {
                diag_error(l->d, x->file, x->line, 0,
                           "fixed shares apply to the JFA pool, not to lcssb "
                           "lines");
                l->ok = 0;
                continue;
            }
            load_fixed(l, x, &fixed_sum);
        }
    }
}

/* Read the names of the scenarios applied, in order. */
static void load_scenarios(struct loader *l)
{
    struct model *m = l->m;

    for (size_t i = 0; i < l->set->count; i++) {
        struct entry *e = &l->set->entries[i];

        if (e->dropped || strcmp(e->section, "scenario") != 0)
            continue;
        e->used = strcmp(e->key, "name") == 0 || strcmp(e->key, "base") == 0 ||
                  strcmp(e->key, "description") == 0;
        if (strcmp(e->key, "name") != 0)
            continue;
        if (e->value[0] == '\0' || strchr(e->value, '/') != NULL ||
            strcmp(e->value, ".") == 0 || strcmp(e->value, "..") == 0) {
            invalid(l, e, "a name without \"/\", used as a folder name");
            continue;
        }
        m->scenarios = xreallocarray(m->scenarios, m->nscenarios + 1,
                                     sizeof *m->scenarios);
        m->scenarios[m->nscenarios++] = xstrdup(e->value);
    }
    m->model_name = m->name ? xstrdup(m->name) : NULL;
    if (m->nscenarios > 0) {
        free(m->name);
        m->name = xstrdup(m->scenarios[m->nscenarios - 1]);
    }
}

/* Split TEXT into its first word (copied into WORD) and the rest
 * after the spaces that follow; return the rest, or NULL when TEXT has
 * no word. */
static const char *first_word(const char *text, char *word, size_t size)
{
    size_t n = strcspn(text, " \t");

    if (n == 0 || n >= size)
        return NULL;
    memcpy(word, text, n);
    word[n] = '\0';
    text += n;
    return text + strspn(text, " \t");
}

/* Parse a percentage such as "110", "+5", "-10%" into SHARE_SCALE
 * units. */
static int change_percent(struct loader *l, const struct entry *e,
                          const char *text, int64_t *out)
{
    char number[64];
    size_t len = strcspn(text, " \t");
    struct entry copy = *e;

    if (*text == '+')
        text++, len--;
    if (text[len + strspn(text + len, " \t")] != '\0')
        len = 0; /* words after the percentage */
    if (len == 0 || len >= sizeof number) {
        invalid(l, e, "a percentage such as 110 or -5");
        return -1;
    }
    memcpy(number, text, len);
    number[len] = '\0';
    if (len > 1 && number[len - 1] == '%')
        number[len - 1] = '\0';
    copy.value = number;
    return entry_decimal(l, &copy, SHARE_PERCENT_DECIMALS, out);
}

/*
 * Split TARGET into the fields of C: "ORG" or "ORG/COUNTRY" for a
 * headcount (ORG "*" for every organisation), "LINE" or "COUNTRY/LINE"
 * for a budget line.
 */

/* Organisation and country codes are upper-cased as the input files'
 * codes are; budget line codes stay as written. */
static void split_target(struct model_change *c, const char *target,
                         int budget)
{
    const char *slash = strchr(target, '/');
    char *first =
        slash ? xstrndup(target, (size_t)(slash - target)) : xstrdup(target);
    char *second = xstrdup(slash ? slash + 1 : "");

    if (budget && slash)
        ascii_upper(first);
    else if (!budget) {
        ascii_upper(first);
        ascii_upper(second);
    }
    if (budget && slash) {
        c->country = first;
        c->line = second;
    } else if (budget) {
        c->country = second;
        c->line = first;
    } else {
        c->organisation = first;
        c->country = second;
    }
}

static void load_change(struct loader *l, const struct entry *e)
{
    struct model *m = l->m;
    struct model_change c;
    char target[128];
    const char *rest = first_word(e->value, target, sizeof target);
    int budget = strcmp(e->section, "budget") == 0;
    size_t errors = l->d->errors;
    int ok;

    memset(&c, 0, sizeof c);
    if (rest == NULL) {
        invalid(l, e, "a line code or organisation, then a value");
        return;
    }
    if (strcmp(e->key, "add") == 0) {
        char number[64];
        const char *text = first_word(rest, number, sizeof number);
        struct entry copy = *e;

        c.kind = MODEL_ADD_LINE;
        copy.value = number;
        ok = text != NULL &&
             entry_decimal(l, &copy, m->decimals, &c.amount) == 0;
        c.text = xstrdup(text ? text : "");
    } else if (strcmp(e->key, "remove") == 0) {
        c.kind = MODEL_REMOVE_LINE;
        ok = *rest == '\0';
    } else if (strcmp(e->key, "scale") == 0) {
        c.kind = MODEL_SCALE_LINE;
        ok = change_percent(l, e, rest, &c.percent) == 0 && c.percent >= 0;
    } else if (strcmp(e->key, "set") == 0) {
        struct entry copy = *e;

        c.kind = MODEL_SET_HEADCOUNT;
        copy.value = (char *)rest;
        /* A headcount beyond a billion persons is a typing error, and
         * sums of such counts could overflow. */
        ok = entry_decimal(l, &copy, 0, &c.amount) == 0 && c.amount >= 0 &&
             c.amount <= 1000000000;
    } else {
        c.kind = MODEL_CHANGE_HEADCOUNT;
        ok = change_percent(l, e, rest, &c.percent) == 0 &&
             c.percent >= -SHARE_SCALE;
    }
    if (!ok) {
        free(c.text);
        /* A value that did not parse is reported already. */
        if (l->d->errors == errors)
            invalid(l, e, "the form given in the man page");
        l->ok = 0;
        return;
    }
    split_target(&c, target, budget);
    c.file = xstrdup(e->file);
    c.line_number = e->line;
    m->changes =
        xreallocarray(m->changes, m->nchanges + 1, sizeof *m->changes);
    m->changes[m->nchanges++] = c;
}

/* Read the budget and headcount changes of the scenarios, in order. */
static void load_changes(struct loader *l)
{
    for (size_t i = 0; i < l->set->count; i++) {
        struct entry *e = &l->set->entries[i];

        if (e->dropped || !is_change_key(e->section, e->key))
            continue;
        e->used = 1;
        load_change(l, e);
    }
}

static const char *const previous_roles[] = {"organisation", "amount", "pool"};
static const int previous_required[] = {1, 1, 0};

static void load_transition(struct loader *l)
{
    struct model_transition *t = &l->m->transition;
    struct entry *e = lookup(l, "transition", "method");
    struct entry *years = lookup(l, "transition", "years");
    struct entry *year = lookup(l, "transition", "year");
    struct entry *points = lookup(l, "transition", "points");

    load_input(l, "transition", &t->previous, previous_roles,
               previous_required, 3);
    if (e == NULL) {
        if (t->previous.present || years || year || points)
            missing(l, "transition", "method",
                    " (phase_in, max_change or hold_harmless)");
        return;
    }
    if (strcmp(e->value, "phase_in") == 0)
        t->kind = MODEL_PHASE_IN;
    else if (strcmp(e->value, "max_change") == 0)
        t->kind = MODEL_MAX_CHANGE;
    else if (strcmp(e->value, "hold_harmless") == 0)
        t->kind = MODEL_HOLD_HARMLESS;
    else
        invalid(l, e, "phase_in, max_change or hold_harmless");
    if ((e = lookup(l, "transition", "previous")) != NULL) {
        if (strcmp(e->value, "store") == 0)
            t->from_store = 1;
        else if (strcmp(e->value, "file") != 0)
            invalid(l, e, "store or file");
    }
    if (t->from_store && t->previous.present)
        invalid(l, e,
                "one source of previous shares: previous = store "
                "or a file");
    else if (!t->from_store && !t->previous.present)
        missing(l, "transition", "file",
                " (the previous shares; or previous = store)");

    if (t->kind == MODEL_PHASE_IN) {
        char *end;

        if (years == NULL || year == NULL) {
            missing(l, "transition", years ? "year" : "years",
                    " (phase_in moves YEAR/YEARS of the way)");
            return;
        }
        t->years = strtol(years->value, &end, 10);
        if (*end != '\0' || t->years < 1 || t->years > 100)
            invalid(l, years, "a whole number of years from 1 to 100");
        t->year = strtol(year->value, &end, 10);
        if (*end != '\0' || t->year < 1 || t->year > t->years)
            invalid(l, year, "a year from 1 to years");
    } else if (points == NULL) {
        missing(l, "transition", "points", " (in percentage points)");
    } else if (entry_percent(l, points, points->value, &t->points) == 0 &&
               t->points % 100 != 0) {
        invalid(l, points, "percentage points with at most 4 decimals");
    }
}

/* Read the period as one year ("2020") or a span ("2020-2021"). */
static void period_years(struct model *m)
{
    int first = 0, last = 0, used = 0;

    if (m->period == NULL)
        return;
    if (sscanf(m->period, "%4d-%4d%n", &first, &last, &used) == 2 &&
        (size_t)used == strlen(m->period) && last >= first) {
        m->first_year = first;
        m->last_year = last;
    } else if (sscanf(m->period, "%4d%n", &first, &used) == 1 &&
               (size_t)used == strlen(m->period)) {
        m->first_year = first;
        m->last_year = first;
    }
}

/*
 * Split the list VALUE at commas and semicolons into upper-case items,
 * trimmed of spaces; return the number of items.  An empty item is an
 * error.
 */
static size_t split_list(struct loader *l, const struct entry *e,
                         char ***items, const char *expected)
{
    size_t n = 0;
    const char *p = e->value;

    *items = NULL;
    if (p[strspn(p, " \t")] == '\0')
        return 0; /* an empty list: a scenario clearing the key */
    for (;;) {
        size_t len = strcspn(p, ",;"), head = strspn(p, " \t"), tail = 0;

        while (len > head + tail &&
               (p[len - tail - 1] == ' ' || p[len - tail - 1] == '\t'))
            tail++;
        if (len <= head + tail) {
            invalid(l, e, expected);
            break;
        }
        *items = xreallocarray(*items, n + 1, sizeof **items);
        (*items)[n] = xstrndup(p + head, len - head - tail);
        ascii_upper((*items)[n]);
        for (size_t k = 0; k < n; k++)
            if (strcmp((*items)[k], (*items)[n]) == 0) {
                diag_error(l->d, e->file, e->line, 0,
                           "\"%s\" is listed twice in %s", (*items)[n],
                           e->key);
                l->ok = 0;
            }
        n++;
        if (p[len] == '\0')
            break;
        p += len + 1;
    }
    return n;
}

/* Read [eligibility]: who in a roster counts. */
static void load_eligibility(struct loader *l)
{
    struct model *m = l->m;
    struct model_eligibility *g = &m->eligibility;
    struct entry *as_at = lookup(l, "eligibility", "as_at");
    struct entry *types = lookup(l, "eligibility", "contract_types");
    struct entry *months = lookup(l, "eligibility", "min_months");
    struct entry *excluded = lookup(l, "eligibility", "excluded_entities");
    struct entry *any = as_at    ? as_at
                        : types  ? types
                        : months ? months
                                 : excluded;

    if (!m->roster.present) {
        if (any != NULL) {
            diag_error(l->d, any->file, any->line, 0,
                       "[eligibility] applies to a [roster], and the model "
                       "reads no roster");
            l->ok = 0;
        }
        return;
    }
    if (as_at == NULL)
        missing(l, "eligibility", "as_at",
                " (the date on which a person must be appointed to count)");
    else if (date_parse(as_at->value, strlen(as_at->value), &g->as_at) != 0)
        invalid(l, as_at, "a date written YYYY-MM-DD");
    if (types != NULL)
        g->ncontract_types =
            split_list(l, types, &g->contract_types,
                       "contract types separated by commas, such as FT, CT");
    if (months != NULL) {
        char *end;

        g->min_months = strtol(months->value, &end, 10);
        if (*end != '\0' || months->value[0] < '0' || months->value[0] > '9' ||
            g->min_months > 1200)
            invalid(l, months, "a whole number of months from 0 to 1200");
    }
    if (excluded != NULL) {
        char **items;
        size_t n = split_list(l, excluded, &items,
                              "entities separated by commas, each ENTITY or "
                              "ORGANISATION:ENTITY");

        g->excluded = xcalloc(n ? n : 1, sizeof *g->excluded);
        for (size_t i = 0; i < n; i++) {
            char *colon = strchr(items[i], ':');
            struct model_exclusion *x = &g->excluded[g->nexcluded++];
            char *org = items[i], *entity = colon ? colon + 1 : items[i];

            if (colon == NULL) {
                org = "";
            } else {
                /* Spaces around the colon belong to neither code. */
                for (*colon = '\0';
                     colon > org && (colon[-1] == ' ' || colon[-1] == '\t');)
                    *--colon = '\0';
                entity += strspn(entity, " \t");
                if (strcmp(org, "*") == 0)
                    org = "";
            }
            x->organisation = xstrdup(org);
            x->entity = xstrdup(entity);
            if ((colon && (*items[i] == '\0' || *entity == '\0')) ||
                strchr(entity, ':') != NULL)
                invalid(l, excluded,
                        "entities separated by commas, each ENTITY or "
                        "ORGANISATION:ENTITY");
            free(items[i]);
        }
        free(items);
    }
}

/* Read [actuals] and [posts]. */
static void load_expenditure(struct loader *l)
{
    struct model *m = l->m;
    struct entry *amount = lookup(l, "actuals", "amount");
    struct entry *e;

    load_input(l, "actuals", &m->actuals, actual_roles, actual_required,
               ACTUAL_NCOLUMNS);
    if (amount && m->actuals.present) {
        diag_error(l->d, amount->file, amount->line, 0,
                   "[actuals] has both amount and file; give one");
        l->ok = 0;
    } else if (amount &&
               entry_decimal(l, amount, m->decimals, &m->actual_amount) == 0) {
        m->has_actual_amount = 1;
    }
    if ((e = lookup(l, "actuals", "under_spent")) != NULL)
        entry_percent(l, e, e->value, &m->under_spent);

    load_input(l, "posts", &m->posts, post_roles, post_required,
               POST_NCOLUMNS);
    m->posts.number.decimals = 0;
    e = lookup(l, "posts", "object");
    m->posts_object = xstrdup(e ? e->value : "posts");
    period_years(m);
}

static void load_entries(struct loader *l)
{
    struct model *m = l->m;

    load_model_section(l);
    load_scenarios(l);
    load_changes(l);
    load_transition(l);
    load_input(l, "headcount", &m->headcount, headcount_roles,
               headcount_required, HEADCOUNT_NCOLUMNS);
    m->headcount.number.decimals = 0;
    load_input(l, "roster", &m->roster, roster_roles, roster_required,
               ROSTER_NCOLUMNS);
    if (m->headcount.present && m->roster.present) {
        diag_error(l->d, m->display, m->roster.line, 0,
                   "the model reads both a headcount table and a roster; "
                   "give one");
        l->ok = 0;
    } else if (!m->headcount.present && !m->roster.present) {
        missing(l, "headcount", "file",
                " (the headcount table; or a [roster] file)");
    }
    load_eligibility(l);
    load_input(l, "headquarters", &m->headquarters, headquarters_roles,
               headquarters_required, HEADQUARTERS_NCOLUMNS);
    load_budget(l);
    load_expenditure(l);
    load_input(l, "agencies", &m->agencies, agency_roles, agency_required,
               AGENCY_NCOLUMNS);
    load_rules(l);

    if (m->kind == MODEL_LCSSB && !m->budget.present)
        missing(l, "budget", "file",
                " (an lcssb budget has lines per country)");
    if (m->kind == MODEL_LCSSB &&
        m->transition.kind != MODEL_TRANSITION_NONE) {
        diag_error(l->d, m->display, 0, 0,
                   "a [transition] applies to a jfa pool, not to lcssb "
                   "lines");
        l->ok = 0;
    }
    if (m->kind == MODEL_LCSSB && !m->agencies.present)
        missing(l, "agencies", "file",
                " (the administering agency of each country)");

    if (m->basis == MODEL_BASIS_FIELD && !m->headquarters.present)
        missing(l, "headquarters", "file",
                " (the headquarters list, needed for basis = field)");

    for (size_t i = 0; i < l->set->count; i++) {
        const struct entry *e = &l->set->entries[i];

        if (!e->used && !e->dropped) {
            diag_error(l->d, e->file, e->line, 0, "unknown key \"%s\" in [%s]",
                       e->key, e->section);
            l->ok = 0;
        }
    }
}

int model_load_stack(struct model *m, const char *path, char *const *scenarios,
                     size_t nscenarios, struct diag *d)
{
    struct entry_set set;
    struct loader l = {m, &set, d, 1};
    size_t first_entry = d->count;
    int status;

    memset(m, 0, sizeof *m);
    memset(&set, 0, sizeof set);
    m->path = xstrdup(path);
    m->display = xstrdup(path);
    status = collect_entries(&set, path, path, 1, 0, d);
    for (size_t i = 0; i < nscenarios && status != -2; i++) {
        int rc = collect_entries(&set, scenarios[i], scenarios[i], 0, 0, d);

        if (rc != 0 && status != BROKEN_CHAIN)
            status = rc;
    }

    /* Check the entries even after a bad line, so that one run lists
     * every problem; then show the errors in line order. */
    if (status == BROKEN_CHAIN)
        status = -1;
    else if (status != -2)
        load_entries(&l);
    diag_sort_lines(d, first_entry);
    m->files = xcalloc(set.nfiles + 1, sizeof *m->files);
    m->file_names = xcalloc(set.nfiles + 1, sizeof *m->file_names);
    for (size_t i = 0; i < set.nfiles; i++) {
        m->files[i] = xstrdup(set.paths[i]);
        m->file_names[i] = xstrdup(set.files[i]);
    }
    m->nfiles = set.nfiles;
    entry_set_release(&set);
    if (status == 0 && !l.ok)
        status = -1;
    if (status != 0)
        model_release(m);
    return status;
}

int model_load(struct model *m, const char *path, struct diag *d)
{
    return model_load_stack(m, path, NULL, 0, d);
}

static void input_release(struct model_input *in)
{
    for (size_t i = 0; i < in->ncolumns; i++)
        free((char *)in->columns[i].name);
    free(in->path);
    free(in->display);
    free(in->named_by);
}

void model_release(struct model *m)
{
    free(m->path);
    free(m->display);
    free(m->name);
    free(m->model_name);
    free(m->period);
    for (size_t i = 0; i < m->nscenarios; i++)
        free(m->scenarios[i]);
    free(m->scenarios);
    for (size_t i = 0; i < m->nchanges; i++) {
        free(m->changes[i].organisation);
        free(m->changes[i].country);
        free(m->changes[i].line);
        free(m->changes[i].text);
        free(m->changes[i].file);
    }
    free(m->changes);
    input_release(&m->transition.previous);
    for (size_t i = 0; i < m->nfiles; i++) {
        free(m->files[i]);
        free(m->file_names[i]);
    }
    free(m->files);
    free(m->file_names);
    input_release(&m->headcount);
    input_release(&m->roster);
    for (size_t i = 0; i < m->eligibility.ncontract_types; i++)
        free(m->eligibility.contract_types[i]);
    free(m->eligibility.contract_types);
    for (size_t i = 0; i < m->eligibility.nexcluded; i++) {
        free(m->eligibility.excluded[i].organisation);
        free(m->eligibility.excluded[i].entity);
    }
    free(m->eligibility.excluded);
    input_release(&m->headquarters);
    input_release(&m->budget);
    input_release(&m->agencies);
    input_release(&m->actuals);
    input_release(&m->posts);
    free(m->posts_object);
    free(m->bands);
    for (size_t i = 0; i < m->nfixed; i++)
        free(m->fixed[i].organisation);
    free(m->fixed);
    memset(m, 0, sizeof *m);
}

void model_input_spec(const struct model_input *in, struct table_spec *spec)
{
    memset(spec, 0, sizeof *spec);
    spec->path = in->path;
    spec->display = in->display;
    spec->named_by = in->named_by;
    spec->encoding = in->encoding;
    spec->delimiter = in->delimiter;
    spec->header_line = in->header_line;
    spec->columns = in->columns;
    spec->ncolumns = in->ncolumns;
    spec->number = in->number;
}

const char *model_headcount_file(const struct model *m)
{
    return m->roster.present ? m->roster.display : m->headcount.display;
}

const char *model_basis_name(enum model_basis basis)
{
    return basis == MODEL_BASIS_FIELD ? "field" : "total";
}
