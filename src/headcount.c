/*
 * headcount: the aggregated headcount table and the headquarters list,
 * turned into persons per organisation on the model's basis.
 */
#include "headcount.h"

#include <stdlib.h>
#include <string.h>

#include "table.h"
#include "util.h"

/* One row of the headquarters list. */
struct hq_entry {
    const char *organisation; /* a code, or "*" for every organisation */
    const char *country;
    const char *duty_station;
    long line;
    size_t matches; /* headcount rows it marked */
};

static int compare_strings(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * The distinct strings of a column, each stored once, found by hash with
 * linear probing.  Strings are numbered in the order first seen.
 */
struct string_set {
    const char **strings; /* by number */
    size_t count;
    size_t *slots; /* number + 1 per slot, 0 when free */
    size_t mask;   /* slots - 1, a power of two minus 1 */
};

/* Make SET empty, with room for up to MAX strings. */
static void string_set_init(struct string_set *set, size_t max)
{
    size_t slots = 16;

    /* At most half the slots used keeps the probes short. */
    while (slots / 2 < max)
        slots *= 2;
    set->strings = xcalloc(max, sizeof *set->strings);
    set->count = 0;
    set->slots = xcalloc(slots, sizeof *set->slots);
    set->mask = slots - 1;
}

static void string_set_release(struct string_set *set)
{
    free(set->strings);
    free(set->slots);
}

/* FNV-1a, 64 bits. */
static uint64_t hash_string(const char *s)
{
    uint64_t h = UINT64_C(14695981039346656037);

    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= UINT64_C(1099511628211);
    }
    return h;
}

/* Return the number of S in SET, adding S when it is new.  SET keeps the
 * pointer, so S must outlive it. */
static size_t string_set_add(struct string_set *set, const char *s)
{
    size_t slot = (size_t)hash_string(s) & set->mask;

    while (set->slots[slot] != 0) {
        size_t k = set->slots[slot] - 1;

        if (strcmp(set->strings[k], s) == 0)
            return k;
        slot = (slot + 1) & set->mask;
    }
    set->strings[set->count] = s;
    set->slots[slot] = ++set->count;
    return set->count - 1;
}

/*
 * Copy the strings of SET into a new array in byte order, returned with
 * *RANK set to a new array of each string's place in it, by number.
 */
static char **sorted_copies(const struct string_set *set, size_t **rank)
{
    char **sorted = xcalloc(set->count, sizeof *sorted);
    const char **order = xcalloc(set->count, sizeof *order);

    *rank = xcalloc(set->count, sizeof **rank);
    memcpy(order, set->strings, set->count * sizeof *order);
    qsort(order, set->count, sizeof *order, compare_strings);
    for (size_t i = 0; i < set->count; i++)
        sorted[i] = xstrdup(order[i]);
    /* The strings in SET are distinct, so each has one place. */
    for (size_t k = 0; k < set->count; k++) {
        const char **place = bsearch(&set->strings[k], order, set->count,
                                     sizeof *order, compare_strings);

        (*rank)[k] = (size_t)(place - order);
    }
    free(order);
    return sorted;
}

static size_t find_code(char **codes, size_t n, const char *code)
{
    char **p = bsearch(&code, codes, n, sizeof *codes, compare_strings);

    return p ? (size_t)(p - codes) : (size_t)-1;
}

long headcount_find_organisation(const struct headcount *h, const char *code)
{
    size_t i = find_code(h->organisations, h->norganisations, code);

    return i == (size_t)-1 ? -1 : (long)i;
}

/* Codes of each row, read from the table before ids exist. */
struct row_codes {
    const char *organisation;
    const char *country;
    const char *duty_station;
    int64_t count;
    long line;
};

static int read_rows(struct table *t, struct row_codes *rows, struct diag *d)
{
    int ok = 1;

    for (size_t i = 0; i < t->nrows; i++) {
        struct row_codes *r = &rows[i];

        r->line = t->rows[i].line;
        r->duty_station = table_cell_text(t, i, HEADCOUNT_DUTY_STATION);
        if (table_cell_code(t, i, HEADCOUNT_ORGANISATION, "organisation",
                            &r->organisation, d) != 0)
            ok = 0;
        if (table_cell_code(t, i, HEADCOUNT_COUNTRY, "country", &r->country,
                            d) != 0)
            ok = 0;
        if (table_cell_headcount(t, i, HEADCOUNT_COUNT, &r->count, d) != 0)
            ok = 0;
    }
    return ok ? 0 : -1;
}

static int compare_cells(const void *a, const void *b)
{
    const struct headcount_cell *x = a, *y = b;
    int c;

    if (x->organisation != y->organisation)
        return x->organisation < y->organisation ? -1 : 1;
    if (x->country != y->country)
        return x->country < y->country ? -1 : 1;
    c = strcmp(x->duty_station, y->duty_station);
    if (c != 0)
        return c;
    return x->line < y->line ? -1 : x->line > y->line;
}

struct duplicate {
    long line, first;
    size_t cell;
};

static int compare_duplicates(const void *a, const void *b)
{
    const struct duplicate *x = a, *y = b;

    return x->line < y->line ? -1 : x->line > y->line;
}

/* Report rows with the same organisation, country and duty station, in
 * file order.  CELLS are sorted. */
static int check_duplicates(const struct headcount *h, const char *file,
                            int has_station, struct diag *d)
{
    struct duplicate *dups = xcalloc(h->ncells, sizeof *dups);
    size_t n = 0;

    long first = h->ncells > 0 ? h->cells[0].line : 0;

    for (size_t i = 1; i < h->ncells; i++) {
        const struct headcount_cell *a = &h->cells[i - 1], *b = &h->cells[i];

        if (a->organisation != b->organisation || a->country != b->country ||
            strcmp(a->duty_station, b->duty_station) != 0) {
            first = b->line;
            continue;
        }
        dups[n].line = b->line;
        dups[n].first = first;
        dups[n].cell = i;
        n++;
    }
    qsort(dups, n, sizeof *dups, compare_duplicates);
    for (size_t i = 0; i < n; i++) {
        const struct headcount_cell *c = &h->cells[dups[i].cell];

        if (has_station)
            diag_error(d, file, dups[i].line, 1,
                       "duplicate organisation/country/duty station "
                       "%s/%s/%s (first seen on line %ld)",
                       h->organisations[c->organisation],
                       h->countries[c->country], c->duty_station,
                       dups[i].first);
        else
            diag_error(d, file, dups[i].line, 1,
                       "duplicate organisation/country %s/%s (first seen on "
                       "line %ld)",
                       h->organisations[c->organisation],
                       h->countries[c->country], dups[i].first);
    }
    free(dups);
    return n == 0 ? 0 : -1;
}

static int cells_sorted(const struct headcount_cell *cells, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (compare_cells(&cells[i - 1], &cells[i]) > 0)
            return 0;
    return 1;
}

/*
 * Give ids to the codes of ROWS and fill the cells of H.  The distinct
 * codes are collected by hash and only they are sorted, since a table
 * repeats each code on many rows.
 */
static void build_cells(struct headcount *h, const struct row_codes *rows,
                        size_t n)
{
    struct string_set organisations, countries, stations;
    size_t *organisation_of = xcalloc(n, sizeof *organisation_of);
    size_t *country_of = xcalloc(n, sizeof *country_of);
    size_t *station_of = xcalloc(n, sizeof *station_of);
    size_t *organisation_rank, *country_rank;

    string_set_init(&organisations, n);
    string_set_init(&countries, n);
    string_set_init(&stations, n);
    for (size_t i = 0; i < n; i++) {
        organisation_of[i] =
            string_set_add(&organisations, rows[i].organisation);
        country_of[i] = string_set_add(&countries, rows[i].country);
        station_of[i] = string_set_add(&stations, rows[i].duty_station);
    }
    h->organisations = sorted_copies(&organisations, &organisation_rank);
    h->norganisations = organisations.count;
    h->countries = sorted_copies(&countries, &country_rank);
    h->ncountries = countries.count;
    h->duty_stations = xcalloc(stations.count, sizeof *h->duty_stations);
    h->nduty_stations = stations.count;
    for (size_t k = 0; k < stations.count; k++)
        h->duty_stations[k] = xstrdup(stations.strings[k]);

    h->cells = xcalloc(n, sizeof *h->cells);
    h->ncells = n;
    for (size_t i = 0; i < n; i++) {
        struct headcount_cell *c = &h->cells[i];

        c->organisation = organisation_rank[organisation_of[i]];
        c->country = country_rank[country_of[i]];
        c->duty_station = h->duty_stations[station_of[i]];
        c->count = rows[i].count;
        c->line = rows[i].line;
    }
    /* Tables are usually written in this order already. */
    if (!cells_sorted(h->cells, n))
        qsort(h->cells, n, sizeof *h->cells, compare_cells);

    string_set_release(&organisations);
    string_set_release(&countries);
    string_set_release(&stations);
    free(organisation_of);
    free(country_of);
    free(station_of);
    free(organisation_rank);
    free(country_rank);
}

/* Read the headquarters list into ENTRIES (pointing into T). */
static int read_headquarters(struct table *t, struct hq_entry *entries,
                             struct diag *d)
{
    int ok = 1;

    for (size_t i = 0; i < t->nrows; i++) {
        struct hq_entry *e = &entries[i];

        e->line = t->rows[i].line;
        e->duty_station = table_cell_text(t, i, HEADQUARTERS_DUTY_STATION);
        if (table_cell_code(t, i, HEADQUARTERS_ORGANISATION, "organisation",
                            &e->organisation, d) != 0 ||
            table_cell_code(t, i, HEADQUARTERS_COUNTRY, "country", &e->country,
                            d) != 0)
            ok = 0;
        else if (*e->duty_station == '\0') {
            diag_error(d, t->display, table_cell_line(t, i, 2),
                       table_cell_field(t, 2),
                       "missing duty station in column \"%s\"",
                       t->header[HEADQUARTERS_DUTY_STATION]);
            ok = 0;
        }
    }
    return ok ? 0 : -1;
}

/* A headquarters entry in the terms of the cells: ids and the cells'
 * own copy of the duty station. */
struct hq_key {
    int possible;        /* whether any cell can match */
    long organisation;   /* id, or -1 for every organisation */
    size_t country;      /* id */
    const char *station; /* one of the headcount's duty_stations */
};

static struct hq_key hq_key_of(const struct headcount *h,
                               const struct hq_entry *e)
{
    struct hq_key key = {0, -1, 0, NULL};
    char **country = bsearch(&e->country, h->countries, h->ncountries,
                             sizeof *h->countries, compare_strings);

    if (strcmp(e->organisation, "*") != 0) {
        key.organisation = headcount_find_organisation(h, e->organisation);
        if (key.organisation < 0)
            return key;
    }
    if (country == NULL)
        return key;
    key.country = (size_t)(country - h->countries);
    for (size_t k = 0; k < h->nduty_stations; k++)
        if (strcmp(h->duty_stations[k], e->duty_station) == 0)
            key.station = h->duty_stations[k];
    key.possible = key.station != NULL;
    return key;
}

/* Mark the cells at a headquarters duty station, and warn about list
 * entries that match no row, since those are usually misspelt.  Codes
 * and duty stations are compared through the ids and the shared copies
 * of the cells, found once per entry. */
static void mark_headquarters(struct headcount *h, struct hq_entry *entries,
                              size_t n, const char *file, struct diag *d)
{
    struct hq_key *keys = xcalloc(n, sizeof *keys);

    for (size_t j = 0; j < n; j++)
        keys[j] = hq_key_of(h, &entries[j]);
    for (size_t i = 0; i < h->ncells; i++) {
        struct headcount_cell *c = &h->cells[i];

        for (size_t j = 0; j < n; j++) {
            const struct hq_key *key = &keys[j];

            if (key->possible &&
                (key->organisation < 0 ||
                 (size_t)key->organisation == c->organisation) &&
                key->country == c->country &&
                key->station == c->duty_station) {
                c->headquarters = 1;
                entries[j].matches++;
            }
        }
        h->headquarters_rows += (size_t)c->headquarters;
    }
    free(keys);
    /* An entry for an organisation without rows (one a roster does not
     * cover, say) is no sign of a misspelling. */
    for (size_t j = 0; j < n; j++)
        if (entries[j].matches == 0 &&
            (strcmp(entries[j].organisation, "*") == 0 ||
             headcount_find_organisation(h, entries[j].organisation) >= 0))
            diag_warning(d, file, entries[j].line, 0,
                         "headquarters duty station %s/%s for %s matches no "
                         "headcount row",
                         entries[j].country, entries[j].duty_station,
                         entries[j].organisation);
}

/* Read and check the headquarters list; with MARK, also mark the cells
 * of H at a headquarters duty station. */
static int load_headquarters(struct headcount *h, const struct model *m,
                             int mark, struct diag *d)
{
    struct table t;
    struct table_spec spec;
    struct hq_entry *entries;
    int status, read;

    model_input_spec(&m->headquarters, &spec);
    read = table_read(&t, &spec, d);
    if (read == -2)
        return read;
    memcpy(h->headquarters_sha256, t.sha256, sizeof t.sha256);
    entries = xcalloc(t.nrows, sizeof *entries);
    status = read_headquarters(&t, entries, d);
    if (read != 0)
        status = -1;
    if (status == 0 && mark) {
        mark_headquarters(h, entries, t.nrows, t.display, d);
        h->headquarters_entries = t.nrows;
    }
    free(entries);
    table_release(&t);
    return status;
}

/* Sum persons per organisation on the model's basis. */
static void count_basis(struct headcount *h, enum model_basis basis)
{
    free(h->basis);
    free(h->all);
    free(h->in_basis);
    h->basis = xcalloc(h->norganisations, sizeof *h->basis);
    h->all = xcalloc(h->norganisations, sizeof *h->all);
    h->in_basis = xcalloc(h->norganisations, sizeof *h->in_basis);
    h->basis_total = 0;
    h->all_total = 0;
    for (size_t i = 0; i < h->ncells; i++) {
        const struct headcount_cell *c = &h->cells[i];
        int counted = basis == MODEL_BASIS_TOTAL || !c->headquarters;

        h->all[c->organisation] += c->count;
        h->all_total += c->count;
        if (!counted)
            continue;
        h->basis[c->organisation] += c->count;
        h->basis_total += c->count;
        h->in_basis[c->organisation] = 1;
    }
}

/* Read the headcount table into the cells of H. */
static int read_headcount(struct headcount *h, const struct model *m,
                          struct diag *d)
{
    struct table t;
    struct table_spec spec;
    struct row_codes *rows;
    int status, read, has_station;
    size_t first;

    model_input_spec(&m->headcount, &spec);
    first = d->count;
    read = table_read(&t, &spec, d);
    if (read == -2)
        return read;
    memcpy(h->headcount_sha256, t.sha256, sizeof t.sha256);
    has_station = t.field_of[HEADCOUNT_DUTY_STATION] != 0;
    if (read == 0 && t.nrows == 0) {
        diag_error(d, t.display, t.header_line, 0,
                   "no headcount rows below the header");
        read = -1;
    }
    if (read == 0 && m->basis == MODEL_BASIS_FIELD && !has_station) {
        diag_error(d, t.display, t.header_line, 0,
                   "basis = field needs a duty station column (\"%s\") to "
                   "tell headquarters from the field",
                   m->headcount.columns[HEADCOUNT_DUTY_STATION].name);
        table_release(&t);
        return -1;
    }

    rows = xcalloc(t.nrows, sizeof *rows);
    status = read_rows(&t, rows, d);
    if (read != 0)
        status = -1;
    if (status == 0) {
        build_cells(h, rows, t.nrows);
        status = check_duplicates(h, t.display, has_station, d);
    }
    free(rows);
    table_release(&t);
    diag_sort_lines(d, first); /* the file's problems in line order */
    return status;
}

/* Count the model's roster into the cells of H, one cell per group. */
static int read_roster(struct headcount *h, const struct model *m,
                       struct diag *d)
{
    struct roster *r = xcalloc(1, sizeof *r);
    struct row_codes *rows;
    int status = roster_read(r, m, d);

    if (status != 0) {
        free(r);
        return status;
    }
    if (r->ngroups == 0) {
        diag_error(d, r->display, 0, 0,
                   "none of the %lld records in the roster is eligible; "
                   "see the rules in [eligibility]",
                   (long long)r->total.records);
        roster_release(r);
        free(r);
        return -1;
    }
    for (size_t i = 0; i < r->ngroups; i++) {
        if (r->groups[i].eligible <= TABLE_MAX_HEADCOUNT)
            continue;
        /* The limit of one row of a headcount table holds for a group. */
        diag_error(d, r->display, r->groups[i].line, 0,
                   "%lld eligible persons of %s at %s/%s, more than the "
                   "limit of %d for one duty station",
                   (long long)r->groups[i].eligible, r->groups[i].organisation,
                   r->groups[i].country, r->groups[i].duty_station,
                   TABLE_MAX_HEADCOUNT);
        roster_release(r);
        free(r);
        return -1;
    }
    rows = xcalloc(r->ngroups, sizeof *rows);
    for (size_t i = 0; i < r->ngroups; i++) {
        rows[i].organisation = r->groups[i].organisation;
        rows[i].country = r->groups[i].country;
        rows[i].duty_station = r->groups[i].duty_station;
        rows[i].count = r->groups[i].eligible;
        rows[i].line = r->groups[i].line;
    }
    build_cells(h, rows, r->ngroups);
    free(rows);
    memcpy(h->headcount_sha256, r->sha256, sizeof r->sha256);
    h->roster = r;
    return 0;
}

int headcount_load(struct headcount *h, const struct model *m, struct diag *d)
{
    int status;

    memset(h, 0, sizeof *h);
    status =
        m->roster.present ? read_roster(h, m, d) : read_headcount(h, m, d);

    /* The headquarters list is checked even when the headcount table
     * failed, so that one run reports the problems of both. */
    if (m->basis == MODEL_BASIS_FIELD) {
        int hq = load_headquarters(h, m, status == 0, d);

        if (status == 0 || hq == -2)
            status = hq;
    }
    if (status == 0)
        count_basis(h, m->basis);
    if (status != 0)
        headcount_release(h);
    return status;
}

/* Return whether cell C is what change CH targets, on the basis. */
static int change_targets(const struct headcount *h,
                          const struct headcount_cell *c,
                          const struct model_change *ch,
                          enum model_basis basis)
{
    if (basis == MODEL_BASIS_FIELD && c->headquarters)
        return 0;
    if (strcmp(ch->organisation, "*") != 0 &&
        strcmp(ch->organisation, h->organisations[c->organisation]) != 0)
        return 0;
    return *ch->country == '\0' || strcmp(ch->country, "*") == 0 ||
           strcmp(ch->country, h->countries[c->country]) == 0;
}

/*
 * Apply headcount change CH: the persons of the cells it targets become
 * the new total, split across those cells in proportion to their counts
 * by largest remainder, so that each cell stays a whole number.
 */
static int apply_change(struct headcount *h, const struct model_change *ch,
                        enum model_basis basis, struct diag *d)
{
    int64_t total = 0, target, *weights = xcalloc(h->ncells, sizeof *weights);
    size_t matched = 0;
    int status = 0;

    for (size_t i = 0; i < h->ncells; i++) {
        if (!change_targets(h, &h->cells[i], ch, basis))
            continue;
        weights[i] = h->cells[i].count;
        total += h->cells[i].count;
        matched++;
    }
    target = ch->amount;
    if (ch->kind == MODEL_CHANGE_HEADCOUNT &&
        money_scale(total, SHARE_SCALE + ch->percent, SHARE_SCALE, &target) !=
            0)
        target = 0; /* a headcount total always scales within range */
    if (matched == 0) {
        diag_error(d, ch->file, ch->line_number, 0,
                   "no headcount rows for %s%s%s%s", ch->organisation,
                   *ch->country ? " in " : "", ch->country,
                   basis == MODEL_BASIS_FIELD ? " on the field basis" : "");
        status = -1;
    } else if (total == 0 && target > 0) {
        diag_error(d, ch->file, ch->line_number, 0,
                   "the headcount of %s%s%s is 0, so there is nothing to "
                   "scale to %lld; give a row with staff",
                   ch->organisation, *ch->country ? " in " : "", ch->country,
                   (long long)target);
        status = -1;
    } else if (total > 0) {
        int64_t *parts = xcalloc(h->ncells, sizeof *parts);

        money_apportion(target, weights, h->ncells, parts);
        for (size_t i = 0; i < h->ncells; i++)
            if (weights[i] > 0)
                h->cells[i].count = parts[i];
        free(parts);
    }
    free(weights);
    return status;
}

int headcount_apply_changes(struct headcount *h, const struct model *m,
                            struct diag *d)
{
    int status = 0;

    for (size_t i = 0; i < m->nchanges; i++) {
        const struct model_change *ch = &m->changes[i];

        if (ch->kind != MODEL_SET_HEADCOUNT &&
            ch->kind != MODEL_CHANGE_HEADCOUNT)
            continue;
        if (strcmp(ch->organisation, "*") != 0 &&
            headcount_find_organisation(h, ch->organisation) < 0) {
            diag_error(d, ch->file, ch->line_number, 0,
                       "organisation \"%s\" is not in the headcount table",
                       ch->organisation);
            status = -1;
            continue;
        }
        if (apply_change(h, ch, m->basis, d) != 0)
            status = -1;
    }
    count_basis(h, m->basis);
    return status;
}

void headcount_release(struct headcount *h)
{
    for (size_t i = 0; i < h->norganisations; i++)
        free(h->organisations[i]);
    for (size_t i = 0; i < h->ncountries; i++)
        free(h->countries[i]);
    for (size_t i = 0; i < h->nduty_stations; i++)
        free(h->duty_stations[i]);
    free(h->duty_stations);
    free(h->organisations);
    free(h->countries);
    free(h->cells);
    free(h->basis);
    free(h->all);
    free(h->in_basis);
    if (h->roster != NULL) {
        roster_release(h->roster);
        free(h->roster);
    }
    memset(h, 0, sizeof *h);
}
