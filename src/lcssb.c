/*
 * lcssb: share each country's budget, line by line, among the
 * organisations present in the country.
 *
 * Lines are apportioned one by one and every total is a sum of line
 * cells.  The other design, apportioning a country's total once, would
 * make the country totals exact shares but the line cells would no longer
 * add up to them; cells that foot both ways were preferred.
 */
#include "lcssb.h"

#include <stdlib.h>
#include <string.h>

#include "table.h"
#include "util.h"

/* Headcount per country and organisation, on the model's basis. */
static int64_t *country_persons(const struct headcount *h,
                                enum model_basis basis)
{
    int64_t *persons =
        xcalloc(h->ncountries * h->norganisations, sizeof *persons);

    for (size_t i = 0; i < h->ncells; i++) {
        const struct headcount_cell *c = &h->cells[i];

        if (basis == MODEL_BASIS_FIELD && c->headquarters)
            continue;
        persons[c->country * h->norganisations + c->organisation] += c->count;
    }
    return persons;
}

static int compare_codes(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Return the id of country CODE, or (size_t)-1.  The codes are sorted in
 * byte order, so a binary search finds it. */
static size_t find_country(const struct headcount *h, const char *code)
{
    char **found = bsearch(&code, h->countries, h->ncountries,
                           sizeof *h->countries, compare_codes);

    return found != NULL ? (size_t)(found - h->countries) : (size_t)-1;
}

/* Read the table of administering agencies into R->agency. */
static int load_agencies(struct lcssb_result *r, struct diag *d)
{
    const struct headcount *h = &r->headcount;
    struct table_spec spec;
    struct table t;
    long *seen;
    int status, ok = 1;

    model_input_spec(&r->model->agencies, &spec);
    status = table_read(&t, &spec, d);
    if (status != 0) {
        table_release(&t);
        return status;
    }
    memcpy(r->agencies_sha256, t.sha256, sizeof t.sha256);
    seen = xcalloc(h->ncountries, sizeof *seen);
    for (size_t i = 0; i < t.nrows; i++) {
        const char *country, *agency;
        size_t id;

        if (table_cell_code(&t, i, AGENCY_COUNTRY, "country", &country, d) !=
                0 ||
            table_cell_code(&t, i, AGENCY_AGENCY, "organisation", &agency,
                            d) != 0) {
            ok = 0;
            continue;
        }
        id = find_country(h, country);
        if (id == (size_t)-1)
            continue; /* a country without staff has no budget to share */
        if (seen[id] != 0) {
            diag_error(d, t.display, t.rows[i].line, 1,
                       "country %s has a second administering agency (first "
                       "on line %ld)",
                       country, seen[id]);
            ok = 0;
            continue;
        }
        seen[id] = t.rows[i].line;
        r->agency[id] = xstrdup(agency);
    }
    free(seen);
    table_release(&t);
    return ok ? 0 : -1;
}

/*
 * Mark in NAMED the organisations that LIST names (codes split by "," or
 * ";").  An unknown code is an error; a known one without staff in the
 * country (PERSONS is the country's row) is a warning, since naming it
 * changes nothing.
 */
static int read_list(const struct lcssb_result *r, const char *list,
                     const int64_t *persons, long line, long field,
                     unsigned char *named, struct diag *d)
{
    const struct headcount *h = &r->headcount;
    const char *file = r->model->budget.display;
    char *copy = xstrdup(list), *save = NULL;
    int ok = 1;

    for (char *p = strtok_r(copy, ",;", &save); p;
         p = strtok_r(NULL, ",;", &save)) {
        size_t len = strlen(p), head = utf8_space_prefix(p, len);
        char *code = p + head, *original;
        long id;

        code[len - head - utf8_space_suffix(code, len - head)] = '\0';
        if (*code == '\0')
            continue;
        original = xstrdup(code);
        if (ascii_upper(code))
            diag_warning(d, file, line, field,
                         "organisation \"%s\" read as \"%s\"", original, code);
        free(original);
        id = headcount_find_organisation(h, code);
        if (id < 0) {
            diag_error(d, file, line, field,
                       "unknown organisation \"%s\": it is not in the "
                       "headcount table %s",
                       code, model_headcount_file(r->model));
            ok = 0;
            continue;
        }
        if (persons[id] == 0)
            diag_warning(d, file, line, field,
                         "organisation \"%s\" has no staff in this country, "
                         "so listing it changes nothing",
                         code);
        named[id] = 1;
    }
    free(copy);
    return ok ? 0 : -1;
}

/*
 * Set WEIGHTS for budget line L: the in-country headcount of every
 * organisation that takes part in it.
 */
static int line_weights(const struct lcssb_result *r, size_t l,
                        const int64_t *persons, int64_t *weights,
                        struct diag *d)
{
    const struct headcount *h = &r->headcount;
    const struct budget_line *line = &r->budget.lines[l];
    size_t country = r->country[l], n = h->norganisations;
    unsigned char *excluded = xcalloc(n, 1), *included = xcalloc(n, 1);
    int status = 0;

    if (*line->excluded && *line->included) {
        diag_error(d, r->model->budget.display, line->line,
                   r->budget.included_field,
                   "line \"%s\" of %s lists both excluded and included "
                   "organisations; give one list",
                   line->code, line->country);
        status = -1;
    }
    if (read_list(r, line->excluded, persons + country * n,
                  line->excluded_line, r->budget.excluded_field, excluded,
                  d) != 0 ||
        read_list(r, line->included, persons + country * n,
                  line->included_line, r->budget.included_field, included,
                  d) != 0)
        status = -1;

    for (size_t o = 0; o < n; o++) {
        int takes_part = !excluded[o] && (!*line->included || included[o]);

        weights[o] = takes_part ? persons[country * n + o] : 0;
    }
    free(excluded);
    free(included);
    return status;
}

/* The budget whose line indices compare_lines() sorts: qsort passes no
 * context, so share_lines() sets this just before sorting.  One per
 * thread, like the sort of budget.c. */
static _Thread_local const struct budget *sort_budget;

/* Order budget line indices by country code, then line code. */
static int compare_lines(const void *a, const void *b)
{
    const struct budget_line *x = &sort_budget->lines[*(const size_t *)a];
    const struct budget_line *y = &sort_budget->lines[*(const size_t *)b];
    int c = strcmp(x->country, y->country);

    return c != 0 ? c : strcmp(x->code, y->code);
}

/* Give every budget line its country id, checking that the country has
 * staff and an administering agency. */
static int resolve_countries(struct lcssb_result *r, const int64_t *persons,
                             struct diag *d)
{
    const struct headcount *h = &r->headcount;
    const char *file = r->model->budget.display;
    int ok = 1;

    for (size_t l = 0; l < r->budget.nlines; l++) {
        const struct budget_line *line = &r->budget.lines[l];
        size_t id = find_country(h, line->country);
        int64_t staff = 0;

        for (size_t o = 0; id != (size_t)-1 && o < h->norganisations; o++)
            staff += persons[id * h->norganisations + o];
        r->country[l] = id;
        if (staff == 0) {
            diag_error(d, file, line->line, r->budget.country_field,
                       "country \"%s\" has no headcount in %s%s",
                       line->country, model_headcount_file(r->model),
                       r->model->basis == MODEL_BASIS_FIELD
                           ? " on the field basis"
                           : "");
            ok = 0;
        } else if (r->agency[id] == NULL) {
            diag_error(d, file, line->line, r->budget.country_field,
                       "country \"%s\" has no administering agency in %s",
                       line->country, r->model->agencies.display);
            ok = 0;
        }
    }
    return ok ? 0 : -1;
}

/* Apportion budget line L and append its cells. */
static int share_line(struct lcssb_result *r, size_t l, const int64_t *persons,
                      struct diag *d)
{
    const struct model *m = r->model;
    const struct budget_line *line = &r->budget.lines[l];
    size_t n = r->headcount.norganisations;
    int64_t *weights = xcalloc(n, sizeof *weights);
    struct allocate_rules rules = {m->floor, m->bands, m->nbands, m->cap,
                                   NULL};
    struct allocation a;
    enum allocate_status status;
    int any = 0;

    if (line_weights(r, l, persons, weights, d) != 0) {
        free(weights);
        return -1;
    }
    status = allocate_pool(&a, line->amount, weights, n, &rules);
    for (size_t o = 0; o < n && status == ALLOCATE_OK; o++)
        any |= weights[o] > 0;
    if (status == ALLOCATE_OK && !any) {
        /* Even a line of 0.00 needs someone to share it. */
        allocation_release(&a);
        status = ALLOCATE_ZERO_WEIGHTS;
    }
    if (status != ALLOCATE_OK) {
        diag_error(d, m->budget.display, line->line,
                   *line->excluded   ? r->budget.excluded_field
                   : *line->included ? r->budget.included_field
                                     : 0,
                   "line \"%s\" of %s cannot be shared: %s", line->code,
                   line->country,
                   status == ALLOCATE_ZERO_WEIGHTS
                       ? "no organisation with staff in the country is left "
                         "after the exclusions"
                       : "the floor, bands or cap do not fit its amount");
        free(weights);
        return -1;
    }
    for (size_t o = 0; o < n; o++) {
        struct lcssb_cell *c;

        if (weights[o] == 0)
            continue;
        c = &r->cells[r->ncells++];
        c->line = l;
        c->organisation = o;
        c->headcount = weights[o];
        c->percent = a.percent[o];
        c->amount = a.amount[o];
        c->rule = a.rule[o];
    }
    allocation_release(&a);
    free(weights);
    return 0;
}

/* Sum the cells per country and organisation, and per organisation,
 * and mark where each organisation takes part.  Returns 0, or -1 when a
 * sum overflows (lines summed in another order than the file's can). */
static int sum_cells(struct lcssb_result *r)
{
    size_t n = r->headcount.norganisations;
    int status = 0;

    r->takes_part = xcalloc(r->headcount.ncountries * n, 1);
    r->country_amount =
        xcalloc(r->headcount.ncountries * n, sizeof *r->country_amount);
    r->organisation_amount = xcalloc(n, sizeof *r->organisation_amount);
    r->organisation_countries = xcalloc(n, sizeof *r->organisation_countries);
    for (size_t i = 0; i < r->ncells && status == 0; i++) {
        const struct lcssb_cell *c = &r->cells[i];
        size_t at = r->country[c->line] * n + c->organisation;

        if (money_add(r->country_amount[at], c->amount,
                      &r->country_amount[at]) != 0 ||
            money_add(r->organisation_amount[c->organisation], c->amount,
                      &r->organisation_amount[c->organisation]) != 0 ||
            money_add(r->total, c->amount, &r->total) != 0)
            status = -1;
        if (!r->takes_part[at])
            r->organisation_countries[c->organisation]++;
        r->takes_part[at] = 1;
    }
    return status;
}

static int share_lines(struct lcssb_result *r, struct diag *d)
{
    const int64_t *persons;
    int ok = 1;

    r->country_headcount = country_persons(&r->headcount, r->model->basis);
    persons = r->country_headcount;

    r->order = xcalloc(r->budget.nlines, sizeof *r->order);
    r->country = xcalloc(r->budget.nlines, sizeof *r->country);
    r->agency = xcalloc(r->headcount.ncountries, sizeof *r->agency);
    r->cells = xcalloc(r->budget.nlines * r->headcount.norganisations,
                       sizeof *r->cells);
    for (size_t l = 0; l < r->budget.nlines; l++)
        r->order[l] = l;
    sort_budget = &r->budget;
    qsort(r->order, r->budget.nlines, sizeof *r->order, compare_lines);

    if (load_agencies(r, d) != 0 || resolve_countries(r, persons, d) != 0)
        return -1;
    for (size_t k = 0; k < r->budget.nlines; k++)
        if (share_line(r, r->order[k], persons, d) != 0)
            ok = 0;
    if (ok && sum_cells(r) != 0) {
        diag_error(d, r->model->budget.display, 0, 0,
                   "the budget's totals overflow when summed by country and "
                   "organisation");
        ok = 0;
    }
    return ok ? 0 : -1;
}

int lcssb_run(struct lcssb_result *r, const struct model *m, struct diag *d)
{
    int rc, brc;

    memset(r, 0, sizeof *r);
    r->model = m;
    rc = headcount_load(&r->headcount, m, d);
    brc = budget_load(&r->budget, m, d);
    if (rc == 0 && headcount_apply_changes(&r->headcount, m, d) != 0)
        rc = -1;
    if (brc == 0 && budget_apply_changes(&r->budget, m, d) != 0)
        brc = -1;
    if (rc == -2 || brc == -2)
        rc = -2;
    else if (rc != 0 || brc != 0)
        rc = -1;
    if (rc == 0)
        rc = share_lines(r, d);
    if (rc != 0)
        lcssb_result_release(r);
    return rc;
}

/* Apportion AMOUNT by WEIGHTS (per organisation id) under the model's
 * rules and add the parts to OUT. */
static int add_shared(const struct lcssb_result *r, int64_t amount,
                      const int64_t *weights, int64_t *out)
{
    const struct model *m = r->model;
    struct allocate_rules rules = {m->floor, m->bands, m->nbands, m->cap,
                                   NULL};
    struct allocation a;
    enum allocate_status status = allocate_pool(
        &a, amount, weights, r->headcount.norganisations, &rules);

    if (status != ALLOCATE_OK)
        return (int)status;
    for (size_t o = 0; o < r->headcount.norganisations; o++)
        out[o] += a.amount[o];
    allocation_release(&a);
    return 0;
}

int lcssb_share_like_line(const struct lcssb_result *r, size_t l,
                          int64_t amount, int64_t *out, struct diag *d)
{
    int64_t *weights = xcalloc(r->headcount.norganisations, sizeof *weights);
    struct diag again;
    int status, shared = 0;

    /* The lists were checked when the line was shared: their warnings
     * are not repeated. */
    diag_init(&again);
    status = line_weights(r, l, r->country_headcount, weights, &again);
    diag_release(&again);

    if (status == 0 && (shared = add_shared(r, amount, weights, out)) != 0) {
        char text[MONEY_FORMAT_MAX];

        diag_error(d, r->model->budget.display, r->budget.lines[l].line, 0,
                   "the actual expenditure of line \"%s\" of %s, %s, "
                   "cannot be shared for the true-up%s",
                   r->budget.lines[l].code, r->budget.lines[l].country,
                   money_format(text, amount, r->model->decimals, 1),
                   shared == ALLOCATE_OVERCOMMITTED
                       ? ": the floor or bands of its organisations need "
                         "more"
                   : shared == ALLOCATE_RULES_NEED_POSITIVE_POOL
                       ? ": a floor, band or cap needs a positive amount"
                       : "");
        status = -1;
    }
    free(weights);
    return status;
}

int lcssb_share_in_country(const struct lcssb_result *r, const char *country,
                           int64_t amount, int64_t *out, struct diag *d)
{
    const struct headcount *h = &r->headcount;
    size_t c = find_country(h, country), n = h->norganisations;
    int status = -1;

    if (c != (size_t)-1)
        status = add_shared(r, amount, r->country_headcount + c * n, out);
    if (status != 0)
        diag_error(d, r->model->actuals.display, 0, 0,
                   "actual expenditure in %s, where no organisation has "
                   "staff, cannot be shared for the true-up",
                   country);
    return status;
}

void lcssb_result_release(struct lcssb_result *r)
{
    for (size_t i = 0; r->agency && i < r->headcount.ncountries; i++)
        free(r->agency[i]);
    free(r->agency);
    headcount_release(&r->headcount);
    budget_release(&r->budget);
    free(r->order);
    free(r->country);
    free(r->cells);
    free(r->country_headcount);
    free(r->takes_part);
    free(r->country_amount);
    free(r->organisation_amount);
    free(r->organisation_countries);
    memset(r, 0, sizeof *r);
}
