/*
 * variance: actual expenditure against the budget, its projection to the
 * end of the period, vacancy rates and the true-up.
 *
 * Every amount is exact: the least-squares projection is computed in
 * 128-bit integers and rounded half away from zero; gsl_fit_linear gives
 * the same line's slope and intercept for the summary.
 */
#include "variance.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_fit.h>
#include <stdlib.h>
#include <string.h>

#include "jobs.h"
#include "table.h"
#include "util.h"

__extension__ typedef __int128 i128;

int expenditure_wanted(const struct model *m)
{
    return m->actuals.present || m->has_actual_amount;
}

/* Return whether the first N bytes of S are ASCII digits. */
static int is_digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* Read "YYYY-MM" as a month of the period, 1-based; 0 when outside. */
static int period_month(const struct model *m, const char *text)
{
    int year, month, used = 0;

    /* Most months are written as exactly four digits, "-" and two
     * digits, read here without sscanf; the same rules apply to them. */
    if (is_digits(text, 4) && text[4] == '-' && is_digits(text + 5, 2) &&
        text[7] == '\0') {
        year = (text[0] - '0') * 1000 + (text[1] - '0') * 100 +
               (text[2] - '0') * 10 + (text[3] - '0');
        month = (text[5] - '0') * 10 + (text[6] - '0');
        if (month < 1 || month > 12 || year < m->first_year ||
            year > m->last_year)
            return 0;
        return (year - m->first_year) * 12 + month;
    }
    if (sscanf(text, "%4d-%2d%n", &year, &month, &used) != 2 ||
        (size_t)used != strlen(text) || strlen(text) != 7 || month < 1 ||
        month > 12 || year < m->first_year || year > m->last_year)
        return 0;
    return (year - m->first_year) * 12 + month;
}

static int read_actual(struct expenditure *x, struct table *t, size_t i,
                       struct diag *d)
{
    const struct model *m = x->model;
    struct actual_row *a = &x->actuals[x->nactuals];
    const char *country = "", *month;

    memset(a, 0, sizeof *a);
    a->line_number = t->rows[i].line;
    if (table_cell_amount(t, i, ACTUAL_AMOUNT, &a->amount, d) != 0)
        return -1;
    if (*table_cell_text(t, i, ACTUAL_COMMITMENTS) != '\0' &&
        table_cell_amount(t, i, ACTUAL_COMMITMENTS, &a->commitments, d) != 0)
        return -1;
    if (t->field_of[ACTUAL_COUNTRY] != 0 &&
        table_cell_code(t, i, ACTUAL_COUNTRY, "country", &country, d) != 0)
        return -1;
    month = table_cell_text(t, i, ACTUAL_MONTH);
    if (t->field_of[ACTUAL_MONTH] != 0) {
        a->month = period_month(m, month);
        if (a->month == 0) {
            diag_error(d, t->display, table_cell_line(t, i, ACTUAL_MONTH),
                       table_cell_field(t, ACTUAL_MONTH),
                       "month \"%s\" is not a month YYYY-MM of the period "
                       "%s",
                       month, m->period);
            return -1;
        }
    }
    if (money_add(x->actual_total, a->amount, &x->actual_total) != 0) {
        diag_error(d, t->display, a->line_number, 0,
                   "actual total overflows at this line");
        return -1;
    }
    a->line = xstrdup(table_cell_text(t, i, ACTUAL_LINE));
    a->object = xstrdup(table_cell_text(t, i, ACTUAL_OBJECT));
    a->country = xstrdup(country);
    x->nactuals++;
    return 0;
}

static int load_actuals(struct expenditure *x, struct diag *d)
{
    const struct model *m = x->model;
    struct table_spec spec;
    struct table t;
    int status, ok = 1;

    if (!m->actuals.present) {
        x->actual_total = m->actual_amount;
        return 0;
    }
    model_input_spec(&m->actuals, &spec);
    status = table_read(&t, &spec, d);
    if (status != 0) {
        table_release(&t);
        return status;
    }
    memcpy(x->actuals_sha256, t.sha256, sizeof t.sha256);
    x->has_commitments = t.field_of[ACTUAL_COMMITMENTS] != 0;
    if (t.field_of[ACTUAL_LINE] == 0 && t.field_of[ACTUAL_OBJECT] == 0) {
        diag_error(d, t.display, t.header_line, 0,
                   "actuals need a line column (\"%s\") or an object column "
                   "(\"%s\")",
                   m->actuals.columns[ACTUAL_LINE].name,
                   m->actuals.columns[ACTUAL_OBJECT].name);
        table_release(&t);
        return -1;
    }
    if (t.field_of[ACTUAL_MONTH] != 0 && m->first_year == 0) {
        diag_error(d, m->display, 0, 0,
                   "actuals have months, so the period must be a year such "
                   "as 2020 or years such as 2020-2021, not \"%s\"",
                   m->period);
        table_release(&t);
        return -1;
    }
    x->actuals = xcalloc(t.nrows, sizeof *x->actuals);
    for (size_t i = 0; i < t.nrows; i++)
        if (read_actual(x, &t, i, d) != 0)
            ok = 0;
    table_release(&t);
    return ok ? 0 : -1;
}

static int load_posts(struct expenditure *x, struct diag *d)
{
    const struct model *m = x->model;
    struct table_spec spec;
    struct table t;
    int status, ok = 1;

    if (!m->posts.present)
        return 0;
    model_input_spec(&m->posts, &spec);
    status = table_read(&t, &spec, d);
    if (status != 0) {
        table_release(&t);
        return status;
    }
    memcpy(x->posts_sha256, t.sha256, sizeof t.sha256);
    x->posts = xcalloc(t.nrows, sizeof *x->posts);
    for (size_t i = 0; i < t.nrows; i++) {
        struct vacancy_row *p = &x->posts[x->nposts];

        if (table_cell_headcount(&t, i, POST_AUTHORISED, &p->authorised, d) !=
                0 ||
            table_cell_headcount(&t, i, POST_ENCUMBERED, &p->encumbered, d) !=
                0) {
            ok = 0;
            continue;
        }
        if (p->encumbered > p->authorised) {
            diag_error(d, t.display, t.rows[i].line,
                       table_cell_field(&t, POST_ENCUMBERED),
                       "%lld posts encumbered but only %lld authorised",
                       (long long)p->encumbered, (long long)p->authorised);
            ok = 0;
            continue;
        }
        p->category = xstrdup(table_cell_text(&t, i, POST_CATEGORY));
        x->nposts++;
    }
    table_release(&t);
    return ok ? 0 : -1;
}

/* ---- the variance table ---- */

/* The rows of the variance table by level and key, in a hash table with
 * linear probing, so that placing an actual does not scan every row. */
struct row_index {
    size_t *slots; /* row index + 1, or 0 for an empty slot */
    size_t size;   /* a power of two, at least twice the rows */
};

/* FNV-1a over the level and the bytes of KEY. */
static uint64_t hash_row(enum variance_level level, const char *key)
{
    uint64_t h = UINT64_C(14695981039346656037) ^ (uint64_t)level;

    for (const unsigned char *p = (const unsigned char *)key; *p; p++) {
        h ^= *p;
        h *= UINT64_C(1099511628211);
    }
    return h;
}

/* Return the slot of the row of LEVEL and KEY, or the empty slot where
 * it would go. */
static size_t probe(const struct row_index *ix, const struct expenditure *x,
                    enum variance_level level, const char *key)
{
    size_t mask = ix->size - 1, at = (size_t)(hash_row(level, key) & mask);

    for (; ix->slots[at] != 0; at = (at + 1) & mask) {
        const struct variance_row *r = &x->rows[ix->slots[at] - 1];

        if (r->level == level && strcmp(r->key, key) == 0)
            break;
    }
    return at;
}

/* Double the table and put every row of X in it again. */
static void grow_index(struct row_index *ix, const struct expenditure *x)
{
    free(ix->slots);
    ix->size = ix->size ? 2 * ix->size : 64;
    ix->slots = xcalloc(ix->size, sizeof *ix->slots);
    for (size_t i = 0; i < x->nrows; i++)
        ix->slots[probe(ix, x, x->rows[i].level, x->rows[i].key)] = i + 1;
}

/* Return the row of LEVEL and KEY, appending an empty one when there is
 * none. */
static struct variance_row *find_row(struct expenditure *x,
                                     struct row_index *ix,
                                     enum variance_level level,
                                     const char *key)
{
    struct variance_row *r;
    size_t at;

    if (2 * (x->nrows + 1) > ix->size)
        grow_index(ix, x);
    at = probe(ix, x, level, key);
    if (ix->slots[at] != 0)
        return &x->rows[ix->slots[at] - 1];
    x->rows = xreallocarray(x->rows, x->nrows + 1, sizeof *x->rows);
    r = &x->rows[x->nrows++];
    memset(r, 0, sizeof *r);
    r->level = level;
    r->key = xstrdup(key);
    r->status = VARIANCE_OK;
    ix->slots[at] = x->nrows;
    return r;
}

/* Key of a budget line: "COUNTRY/LINE" when lines have countries. */
static char *line_key(const char *country, const char *line)
{
    size_t country_len = strlen(country), line_len = strlen(line);
    char *key, *p;

    if (country_len == 0)
        return xstrdup(line);
    key = xmalloc(country_len + line_len + 2);
    memcpy(key, country, country_len);
    p = key + country_len;
    *p++ = '/';
    memcpy(p, line, line_len + 1);
    return key;
}

/* Return the budget line of actual A, or NULL: the first line in budget
 * order with its line code, in its country when it has one. */
static const struct budget_line *budget_line_of(const struct budget *b,
                                                const struct budget_index *ix,
                                                const struct actual_row *a)
{
    long l;

    if (*a->line == '\0')
        return NULL;
    l = budget_index_find(ix, a->line, a->country, *a->country == '\0');
    return l < 0 ? NULL : &b->lines[l];
}

/* Add V to *ACC, setting X->overflow when the sum leaves int64_t. */
static void add_to(struct expenditure *x, int64_t *acc, int64_t v)
{
    if (money_add(*acc, v, acc) != 0)
        x->overflow = 1;
}

/* Return the object of expenditure of actual A: its own, else that of
 * its budget line L (NULL when it has none), else "". */
static const char *actual_object(const struct budget_line *l,
                                 const struct actual_row *a)
{
    if (*a->object != '\0')
        return a->object;
    return l != NULL ? l->object : "";
}

/* Add the budget to the line, object, country and total rows. */
static void add_budget(struct expenditure *x, struct row_index *ix,
                       const struct budget *b)
{
    for (size_t i = 0; i < b->nlines; i++) {
        const struct budget_line *l = &b->lines[i];
        char *key = line_key(l->country, l->code);

        add_to(x, &find_row(x, ix, VARIANCE_LINE, key)->budget, l->amount);
        if (*l->object)
            add_to(x, &find_row(x, ix, VARIANCE_OBJECT, l->object)->budget,
                   l->amount);
        if (*l->country)
            add_to(x, &find_row(x, ix, VARIANCE_COUNTRY, l->country)->budget,
                   l->amount);
        free(key);
    }
    find_row(x, ix, VARIANCE_TOTAL, "total")->budget = b->total;
}

/* Add the actuals, whose budget lines are LINES (NULL where none).  Each
 * counts once at each level it can be placed on. */
static void add_actuals(struct expenditure *x, struct row_index *ix,
                        const struct budget_line *const *lines, struct diag *d)
{
    for (size_t i = 0; i < x->nactuals; i++) {
        const struct actual_row *a = &x->actuals[i];
        const struct budget_line *l = lines[i];
        const char *object = actual_object(l, a), *country = a->country;

        /* An actual given by line takes its line's country. */
        if (*country == '\0' && l != NULL)
            country = l->country;

        if (*a->line) {
            char *key = line_key(country, a->line);
            struct variance_row *r = find_row(x, ix, VARIANCE_LINE, key);

            add_to(x, &r->actual, a->amount);
            add_to(x, &r->commitments, a->commitments);
            if (l == NULL && r->status != VARIANCE_NOT_IN_BUDGET) {
                r->status = VARIANCE_NOT_IN_BUDGET;
                diag_warning(d, x->model->actuals.display, a->line_number, 0,
                             "actual expenditure on line \"%s\", which is "
                             "not in the budget; listed as not in budget",
                             key);
            }
            free(key);
        }
        if (*object) {
            struct variance_row *r = find_row(x, ix, VARIANCE_OBJECT, object);

            add_to(x, &r->actual, a->amount);
            add_to(x, &r->commitments, a->commitments);
        }
        if (*country) {
            struct variance_row *r =
                find_row(x, ix, VARIANCE_COUNTRY, country);

            add_to(x, &r->actual, a->amount);
            add_to(x, &r->commitments, a->commitments);
        }
        add_to(x, &find_row(x, ix, VARIANCE_TOTAL, "total")->commitments,
               a->commitments);
    }
    find_row(x, ix, VARIANCE_TOTAL, "total")->actual = x->actual_total;
}

/* Flag a line over budget or under-spent; rollups carry no status,
 * because their lines show where the variance is. */
static void set_status(struct variance_row *r, int64_t under_spent)
{
    if (r->status == VARIANCE_NOT_IN_BUDGET || r->level != VARIANCE_LINE)
        return;
    if (r->actual > r->budget)
        r->status = r->budget <= 0 ? VARIANCE_OVER_NO_BUDGET : VARIANCE_OVER;
    else if (under_spent > 0 && r->budget > 0 &&
             (i128)r->actual * SHARE_SCALE <
                 (i128)r->budget * (SHARE_SCALE - under_spent))
        r->status = VARIANCE_UNDER_SPENT;
}

static int compare_rows(const void *a, const void *b)
{
    const struct variance_row *x = a, *y = b;

    if (x->level != y->level)
        return x->level < y->level ? -1 : 1;
    return strcmp(x->key, y->key);
}

/* ---- projection ---- */

/* Fit the cumulative actuals by month and project them to the end. */
static void project(struct expenditure *x)
{
    struct projection *p = &x->projection;
    int64_t *cumulative;
    double *xs, *ys, c0, c1, cov00, cov01, cov11, sumsq;
    i128 sx = 0, sxx = 0, sy = 0, sxy = 0, n, slope_num, den, num;

    p->period_months = 12 * (x->model->last_year - x->model->first_year + 1);
    for (size_t i = 0; i < x->nactuals; i++)
        if (x->actuals[i].month > p->months)
            p->months = x->actuals[i].month;
    if (p->months == 0)
        return;
    x->has_projection = 1;
    cumulative = xcalloc((size_t)p->months, sizeof *cumulative);
    for (size_t i = 0; i < x->nactuals; i++)
        if (x->actuals[i].month > 0)
            add_to(x, &cumulative[x->actuals[i].month - 1],
                   x->actuals[i].amount);
    for (int k = 1; k < p->months; k++)
        add_to(x, &cumulative[k], cumulative[k - 1]);

    if (money_scale(cumulative[p->months - 1], p->period_months, p->months,
                    &p->run_rate) != 0)
        x->overflow = 1;

    /* y = a + b x through (k, cumulative[k - 1]); at X the line gives
     * (sy * D + Sxy * (n X - sx)) / (n D), D = n sxx - sx^2 and
     * Sxy = n sxy - sx sy. */
    n = p->months;
    for (int k = 1; k <= p->months; k++) {
        sx += k;
        sxx += (i128)k * k;
        sy += cumulative[k - 1];
        sxy += (i128)k * cumulative[k - 1];
    }
    den = n * sxx - sx * sx;
    if (p->months >= 2 && den > 0) {
        i128 q, r;

        slope_num = n * sxy - sx * sy;
        num = sy * den + slope_num * (n * p->period_months - sx);
        den *= n;
        q = num / den;
        r = num % den;
        if (2 * (r < 0 ? -r : r) >= den)
            q += num < 0 ? -1 : 1;
        if (q > INT64_MAX || q < INT64_MIN)
            x->overflow = 1;
        else
            p->least_squares = (int64_t)q;
        p->has_least_squares = 1;

        xs = xcalloc((size_t)p->months, sizeof *xs);
        ys = xcalloc((size_t)p->months, sizeof *ys);
        for (int k = 0; k < p->months; k++) {
            xs[k] = k + 1;
            ys[k] = (double)cumulative[k];
        }
        gsl_set_error_handler_off();
        if (gsl_fit_linear(xs, 1, ys, 1, (size_t)p->months, &c0, &c1, &cov00,
                           &cov01, &cov11, &sumsq) == GSL_SUCCESS) {
            p->intercept = c0;
            p->slope = c1;
        }
        free(xs);
        free(ys);
    }
    free(cumulative);
}

/* ---- true-up ---- */

static int trueup(struct expenditure *x, const struct jfa_result *r,
                  struct diag *d)
{
    const struct model *m = x->model;
    struct allocate_rules rules = {m->floor, m->bands, m->nbands, m->cap,
                                   NULL};
    int64_t *fixed = xcalloc(r->n, sizeof *fixed);
    struct allocation a;
    enum allocate_status status;

    for (size_t k = 0; k < r->n; k++) {
        const char *code = r->headcount.organisations[r->organisations[k]];

        fixed[k] = -1;
        for (size_t i = 0; i < m->nfixed; i++)
            if (strcmp(m->fixed[i].organisation, code) == 0)
                fixed[k] = m->fixed[i].share;
    }
    rules.fixed = fixed;
    status = allocate_pool(&a, x->actual_total, r->weights, r->n, &rules);
    free(fixed);
    if (status != ALLOCATE_OK) {
        diag_error(d, m->display, 0, 0,
                   "the actual expenditure cannot be shared under the "
                   "model's rules for the true-up");
        return -1;
    }
    x->has_trueup = 1;
    x->ntrueup = r->n;
    x->trueup_codes = xcalloc(r->n, sizeof *x->trueup_codes);
    x->billed = xcalloc(r->n, sizeof *x->billed);
    x->final = xcalloc(r->n, sizeof *x->final);
    for (size_t k = 0; k < r->n; k++) {
        x->trueup_codes[k] =
            xstrdup(r->headcount.organisations[r->organisations[k]]);
        x->billed[k] = r->allocation.amount[k];
        x->final[k] = a.amount[k];
    }
    allocation_release(&a);
    return 0;
}

/* Fill the variance rows, the projection and the post costs of X from
 * its actuals and budget B. */
static void compare_with_budget(struct expenditure *x, const struct budget *b,
                                struct diag *d)
{
    const struct model *m = x->model;
    const struct budget_line **lines = xcalloc(x->nactuals, sizeof *lines);
    struct budget_index budget_index;
    struct row_index row_index = {NULL, 0};

    budget_index_init(&budget_index, b);
    for (size_t i = 0; i < x->nactuals; i++)
        lines[i] = budget_line_of(b, &budget_index, &x->actuals[i]);
    x->budget_lines = b->nlines > 0;
    add_budget(x, &row_index, b);
    add_actuals(x, &row_index, lines, d);
    for (size_t i = 0; i < x->nrows; i++)
        set_status(&x->rows[i], m->under_spent);
    qsort(x->rows, x->nrows, sizeof *x->rows, compare_rows);
    project(x);
    for (size_t i = 0; i < b->nlines; i++)
        if (strcmp(b->lines[i].object, m->posts_object) == 0)
            add_to(x, &x->posts_budget, b->lines[i].amount);
    for (size_t i = 0; i < x->nactuals; i++) {
        const char *object = actual_object(lines[i], &x->actuals[i]);

        if (strcmp(object, m->posts_object) == 0)
            add_to(x, &x->posts_actual, x->actuals[i].amount);
    }
    free(row_index.slots);
    budget_index_release(&budget_index);
    free(lines);
}

int expenditure_run(struct expenditure *x, const struct model *m,
                    const struct budget *b, const struct jfa_result *r,
                    struct diag *d)
{
    int status, posts;

    memset(x, 0, sizeof *x);
    x->model = m;
    status = load_actuals(x, d);
    posts = load_posts(x, d);
    if (status == 0 || (status == -1 && posts == -2))
        status = posts;
    if (status == 0)
        compare_with_budget(x, b, d);
    if (status == 0 && r != NULL)
        status = trueup(x, r, d);
    if (status != 0)
        expenditure_release(x);
    return status;
}

/* Add the amount of actual row A to *SUM, or report the overflow. */
static int add_actual(int64_t *sum, const struct actual_row *a,
                      const struct expenditure *x, struct diag *d)
{
    if (money_add(*sum, a->amount, sum) == 0)
        return 0;
    diag_error(d, x->model->actuals.display, a->line_number, 0,
               "actual expenditure sums past the largest amount for the "
               "true-up");
    return -1;
}

/* The lines FROM to TO of a true-up, shared into FINAL. */
struct trueup_part {
    const struct lcssb_result *r;
    const int64_t *line_sum;
    const char *line_used;
    size_t from, to;
    int64_t *final;
};

static int share_lines(void *arg, struct diag *d)
{
    const struct trueup_part *p = arg;
    int status = 0;

    for (size_t l = p->from; l < p->to && status == 0; l++)
        if (p->line_used[l] && p->line_sum[l] != 0)
            status =
                lcssb_share_like_line(p->r, l, p->line_sum[l], p->final, d);
    return status;
}

/* Share every line of R with actuals into FINAL, half of them on HELPER
 * when it is not NULL.  The messages are those of a run line after line,
 * which stops at the first error. */
static int share_trueup_lines(const struct lcssb_result *r,
                              const int64_t *line_sum, const char *line_used,
                              struct jobs *helper, int64_t *final,
                              struct diag *d)
{
    size_t n = r->headcount.norganisations, half = r->budget.nlines / 2;
    int64_t *second = xcalloc(n + 1, sizeof *second);
    struct trueup_part parts[2] = {
        {r, line_sum, line_used, 0, half, final},
        {r, line_sum, line_used, half, r->budget.nlines, second},
    };
    struct job halves[2] = {{share_lines, &parts[0], {0}, 0},
                            {share_lines, &parts[1], {0}, 0}};
    int status;

    jobs_run(helper, halves, 2);
    diag_append(d, &halves[0].diag);
    status = halves[0].status;
    if (status == 0) {
        diag_append(d, &halves[1].diag);
        status = halves[1].status;
    }
    diag_release(&halves[0].diag);
    diag_release(&halves[1].diag);
    for (size_t o = 0; o < n; o++)
        final[o] += second[o];
    free(second);
    return status;
}

int expenditure_trueup_lcssb(struct expenditure *x,
                             const struct lcssb_result *r, struct jobs *helper,
                             struct diag *d)
{
    size_t n = r->headcount.norganisations, ncountries = 0;
    int64_t *final = xcalloc(n, sizeof *final);
    int64_t *line_sum = xcalloc(r->budget.nlines + 1, sizeof *line_sum);
    char *line_used = xcalloc(r->budget.nlines + 1, 1);
    const char **countries = xcalloc(x->nactuals + 1, sizeof *countries);
    int64_t *country_sum = xcalloc(x->nactuals + 1, sizeof *country_sum);
    struct budget_index lines;
    int status = 0;

    budget_index_init(&lines, &r->budget);
    /* Each line's actuals are summed first and shared once, like the
     * line itself: sharing month by month would apply a floor or a band
     * to every month. */
    for (size_t i = 0; i < x->nactuals && status == 0; i++) {
        const struct actual_row *a = &x->actuals[i];
        long l = budget_index_find(&lines, a->line, a->country, 0);
        size_t c;

        if (l >= 0) {
            status = add_actual(&line_sum[l], a, x, d);
            line_used[l] = 1;
            continue;
        }
        if (*a->country == '\0') {
            diag_error(d, x->model->actuals.display, a->line_number, 0,
                       "actual expenditure without a country cannot be "
                       "shared for the true-up");
            status = -1;
            continue;
        }
        for (c = 0; c < ncountries; c++)
            if (strcmp(countries[c], a->country) == 0)
                break;
        if (c == ncountries) {
            countries[ncountries] = a->country;
            country_sum[ncountries++] = 0;
        }
        status = add_actual(&country_sum[c], a, x, d);
    }
    /* A sum of zero charges no organisation, as a line without actuals
     * does. */
    if (status == 0)
        status = share_trueup_lines(r, line_sum, line_used, helper, final, d);
    for (size_t c = 0; c < ncountries && status == 0; c++)
        if (country_sum[c] != 0)
            status = lcssb_share_in_country(r, countries[c], country_sum[c],
                                            final, d);
    free(line_sum);
    free(line_used);
    free(countries);
    free(country_sum);
    if (status == 0) {
        x->has_trueup = 1;
        x->trueup_codes = xcalloc(n, sizeof *x->trueup_codes);
        x->billed = xcalloc(n, sizeof *x->billed);
        x->final = xcalloc(n, sizeof *x->final);
        for (size_t o = 0; o < n; o++) {
            if (r->organisation_amount[o] == 0 && final[o] == 0 &&
                r->organisation_countries[o] == 0)
                continue;
            x->trueup_codes[x->ntrueup] =
                xstrdup(r->headcount.organisations[o]);
            x->billed[x->ntrueup] = r->organisation_amount[o];
            x->final[x->ntrueup] = final[o];
            x->ntrueup++;
        }
    }
    budget_index_release(&lines);
    free(final);
    return status;
}

void expenditure_release(struct expenditure *x)
{
    for (size_t i = 0; i < x->nactuals; i++) {
        free(x->actuals[i].line);
        free(x->actuals[i].object);
        free(x->actuals[i].country);
    }
    free(x->actuals);
    for (size_t i = 0; i < x->nrows; i++)
        free(x->rows[i].key);
    free(x->rows);
    for (size_t i = 0; i < x->nposts; i++)
        free(x->posts[i].category);
    free(x->posts);
    for (size_t k = 0; k < x->ntrueup; k++)
        free(x->trueup_codes[k]);
    free(x->trueup_codes);
    free(x->billed);
    free(x->final);
    memset(x, 0, sizeof *x);
}

const char *variance_status_name(enum variance_status status)
{
    switch (status) {
    case VARIANCE_OVER:
        return "over-expenditure";
    case VARIANCE_OVER_NO_BUDGET:
        return "over-expenditure (no budget)";
    case VARIANCE_NOT_IN_BUDGET:
        return "not in budget";
    case VARIANCE_UNDER_SPENT:
        return "under-spent";
    case VARIANCE_OK:
        break;
    }
    return "";
}

const char *variance_level_name(enum variance_level level)
{
    switch (level) {
    case VARIANCE_LINE:
        return "line";
    case VARIANCE_OBJECT:
        return "object";
    case VARIANCE_COUNTRY:
        return "country";
    case VARIANCE_TOTAL:
        break;
    }
    return "total";
}
