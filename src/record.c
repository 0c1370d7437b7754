/*
 * record: turn results into store rows, and stored runs into the
 * baseline of a year-on-year comparison.
 */
#include "record.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

/* The inputs of model M with their digests, the model file first. */
struct inputs {
    struct store_input list[8];
    size_t n;
    char model_sha256[65];
    char *model_text;
};

static void add_input(struct inputs *in, const char *role,
                      const struct model_input *file, const char *sha256)
{
    if (!file->present || sha256 == NULL || *sha256 == '\0')
        return;
    in->list[in->n].role = role;
    in->list[in->n].name = file->display;
    in->list[in->n].sha256 = sha256;
    in->n++;
}

static int read_model(struct inputs *in, const struct model *m, struct diag *d)
{
    size_t len = 0;

    memset(in, 0, sizeof *in);
    /* A model laid from several files (a scenario and its bases, or -s
     * files) is recorded as all of them, each after a comment naming it,
     * so that the store contains every rule the run used. */
    in->model_text =
        m->nfiles > 1 ? xstrdup("") : read_whole_file(m->path, &len);
    for (size_t i = 0;
         in->model_text != NULL && m->nfiles > 1 && i < m->nfiles; i++) {
        size_t part_len = 0;
        char *part = read_whole_file(m->files[i], &part_len);
        char *joined;

        if (part == NULL) {
            free(in->model_text);
            in->model_text = NULL;
            break;
        }
        joined =
            xasprintf("%s%s; file %s\n%s%s", in->model_text, i ? "\n" : "",
                      m->file_names[i], part,
                      part_len > 0 && part[part_len - 1] != '\n' ? "\n" : "");
        free(part);
        free(in->model_text);
        in->model_text = joined;
        len = strlen(joined);
    }
    if (in->model_text == NULL) {
        diag_error(d, m->display, 0, 0,
                   "cannot read the model again to "
                   "record it");
        return -2;
    }
    sha256_hex(in->model_text, len, in->model_sha256);
    in->list[0].role = "model";
    in->list[0].name = m->display;
    in->list[0].sha256 = in->model_sha256;
    in->n = 1;
    return 0;
}

static char *scenario_names(const struct model *m)
{
    char *text = xstrdup("");

    for (size_t i = 0; i < m->nscenarios; i++) {
        char *next = xasprintf("%s%s%s", text, i ? ", " : "", m->scenarios[i]);

        free(text);
        text = next;
    }
    return text;
}

static void fill_run(struct store_run *run, const struct model *m,
                     const struct inputs *in, const char *scenarios)
{
    memset(run, 0, sizeof *run);
    run->model_name = m->model_name ? m->model_name : m->name;
    run->kind = m->kind == MODEL_LCSSB ? "lcssb" : "jfa";
    run->period = m->period;
    run->scenarios = scenarios;
    run->currency = m->currency;
    run->decimals = m->decimals;
    run->model_text = in->model_text;
    run->inputs = in->list;
    run->ninputs = in->n;
}

int record_jfa(struct store *s, const struct jfa_result *r,
               const struct expenditure *x, struct diag *d)
{
    const struct model *m = r->model;
    struct store_amount *amounts = xcalloc(r->n, sizeof *amounts);
    struct store_run run;
    struct inputs in;
    char *scenarios;
    int status;

    if (read_model(&in, m, d) != 0) {
        free(amounts);
        return -2;
    }
    add_input(&in, "headcount", &m->headcount, r->headcount.headcount_sha256);
    add_input(&in, "roster", &m->roster, r->headcount.headcount_sha256);
    if (m->basis == MODEL_BASIS_FIELD)
        add_input(&in, "headquarters", &m->headquarters,
                  r->headcount.headquarters_sha256);
    add_input(&in, "budget", &m->budget, r->budget.sha256);
    if (x != NULL) {
        add_input(&in, "actuals", &m->actuals, x->actuals_sha256);
        add_input(&in, "posts", &m->posts, x->posts_sha256);
    }
    for (size_t k = 0; k < r->n; k++) {
        amounts[k].country = "";
        amounts[k].line = "";
        amounts[k].organisation =
            r->headcount.organisations[r->organisations[k]];
        amounts[k].headcount = r->weights[k];
        amounts[k].amount = r->allocation.amount[k];
        amounts[k].percent = r->allocation.percent[k];
        amounts[k].rule = allocate_rule_name(r->allocation.rule[k]);
    }
    scenarios = scenario_names(m);
    fill_run(&run, m, &in, scenarios);
    run.pool = r->allocation.pool;
    run.amounts = amounts;
    run.namounts = r->n;
    status = store_begin_run(s, &run, d);
    free(scenarios);
    free(in.model_text);
    free(amounts);
    return status;
}

int record_lcssb(struct store *s, const struct lcssb_result *r,
                 const struct expenditure *x, struct diag *d)
{
    const struct model *m = r->model;
    struct store_amount *amounts = xcalloc(r->ncells, sizeof *amounts);
    struct store_run run;
    struct inputs in;
    char *scenarios;
    int status;

    if (read_model(&in, m, d) != 0) {
        free(amounts);
        return -2;
    }
    add_input(&in, "headcount", &m->headcount, r->headcount.headcount_sha256);
    add_input(&in, "roster", &m->roster, r->headcount.headcount_sha256);
    if (m->basis == MODEL_BASIS_FIELD)
        add_input(&in, "headquarters", &m->headquarters,
                  r->headcount.headquarters_sha256);
    add_input(&in, "budget", &m->budget, r->budget.sha256);
    if (x != NULL) {
        add_input(&in, "actuals", &m->actuals, x->actuals_sha256);
        add_input(&in, "posts", &m->posts, x->posts_sha256);
    }
    add_input(&in, "agencies", &m->agencies, r->agencies_sha256);
    for (size_t i = 0; i < r->ncells; i++) {
        const struct lcssb_cell *c = &r->cells[i];

        amounts[i].country = r->budget.lines[c->line].country;
        amounts[i].line = r->budget.lines[c->line].code;
        amounts[i].organisation = r->headcount.organisations[c->organisation];
        amounts[i].headcount = c->headcount;
        amounts[i].amount = c->amount;
        amounts[i].percent = c->percent;
        amounts[i].rule = allocate_rule_name(c->rule);
    }
    scenarios = scenario_names(m);
    fill_run(&run, m, &in, scenarios);
    run.pool = r->budget.total;
    run.amounts = amounts;
    run.namounts = r->ncells;
    status = store_begin_run(s, &run, d);
    free(scenarios);
    free(in.model_text);
    free(amounts);
    return status;
}

void outcome_of_jfa(struct outcome *o, const struct jfa_result *r)
{
    memset(o, 0, sizeof *o);
    o->name = xstrdup("current");
    o->pool = r->allocation.pool;
    o->codes = xcalloc(r->n, sizeof *o->codes);
    o->amounts = xcalloc(r->n, sizeof *o->amounts);
    for (size_t k = 0; k < r->n; k++) {
        o->codes[k] = xstrdup(r->headcount.organisations[r->organisations[k]]);
        o->amounts[k] = r->allocation.amount[k];
    }
    o->n = r->n;
}

void outcome_of_lcssb(struct outcome *o, const struct lcssb_result *r)
{
    size_t n = r->headcount.norganisations;

    memset(o, 0, sizeof *o);
    o->name = xstrdup("current");
    o->pool = r->budget.total;
    o->codes = xcalloc(n, sizeof *o->codes);
    o->amounts = xcalloc(n, sizeof *o->amounts);
    for (size_t i = 0; i < n; i++) {
        if (r->organisation_countries[i] == 0)
            continue;
        o->codes[o->n] = xstrdup(r->headcount.organisations[i]);
        o->amounts[o->n++] = r->organisation_amount[i];
    }
}

void outcome_release(struct outcome *o)
{
    for (size_t k = 0; k < o->n; k++)
        free(o->codes[k]);
    free(o->codes);
    free(o->amounts);
    free(o->name);
    memset(o, 0, sizeof *o);
}

int record_year_on_year(struct store *s, const struct model *m,
                        struct outcome *current, struct comparison *c,
                        struct diag *d)
{
    struct store_totals t;
    struct outcome runs[2];
    char *period;
    int found = store_previous(s, m->model_name ? m->model_name : m->name,
                               m->currency, m->period, &t, d);

    if (found <= 0) {
        outcome_release(current);
        return found;
    }
    memset(&runs[0], 0, sizeof runs[0]);
    runs[0].name = xasprintf("previous");
    runs[0].codes = t.codes;
    runs[0].amounts = t.amounts;
    runs[0].n = t.n;
    runs[0].pool = t.pool;
    runs[1] = *current;
    memset(current, 0, sizeof *current);
    t.codes = NULL;
    t.amounts = NULL;
    t.n = 0;
    period = t.period;
    {
        /* A previous run that cannot be compared (a pool of 0, or an
         * organisation with a negative total) costs the comparison, not
         * the run. */
        struct diag quiet;
        int status;

        diag_init(&quiet);
        status = compare_outcomes(c, runs, 2, m, &quiet);
        diag_release(&quiet);
        if (status == 0) {
            free(period);
            return 1;
        }
        diag_warning(d, NULL, 0, 0,
                     "no year-on-year change: the stored run of period %s "
                     "has a pool of 0 or a negative amount to split the "
                     "change by",
                     period);
        free(period);
        return 0;
    }
}
