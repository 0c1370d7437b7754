/*
 * costshare: the command line.  The only module that prints.
 *
 * One table lists the options; it drives getopt_long and --help, and the
 * test suite checks that the man page lists the same options.
 */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <malloc.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "budget.h"
#include "compare.h"
#include "diag.h"
#include "html.h"
#include "jfa.h"
#include "jobs.h"
#include "lcssb.h"
#include "model.h"
#include "outdir.h"
#include "procs.h"
#include "record.h"
#include "report.h"
#include "roster_report.h"
#include "simulate.h"
#include "statement.h"
#include "store.h"
#include "util.h"
#include "variance.h"
#include "workbook.h"

/* Exit status: see EXIT STATUS in docs/costshare.1. */
enum {
    EXIT_OK = 0,
    EXIT_INVALID = 1, /* invalid input or a failed check */
    EXIT_USAGE = 2
    /* EXIT_SYSTEM = 3, in util.h */
};

struct option_spec {
    const char *name;
    int short_name;
    const char *argument; /* NULL: takes none */
    const char *help;
};

static const struct option_spec option_specs[] = {
    {"output", 'o', "DIR",
     "write reports to DIR (default: reports/NAME, or\n"
     "NAME-compare, NAME-simulation); run with several\n"
     "models: to DIR/NAME; headcount: write the\n"
     "table to the file DIR, or - for standard output (the\n"
     "default)"},
    {"scenario", 's', "FILE",
     "lay scenario FILE on the model (repeatable, in order)"},
    {"quiet", 'q', NULL, "print no summary (errors and warnings remain)"},
    {"db", 'd', "PATH",
     "run history store (default: $COSTSHARE_DB, else\n"
     "costshare.db)"},
    {"org", 'g', "CODE", "history, statement: the organisation"},
    {"model", 'm', "NAME", "history: only the runs of model NAME"},
    {"draws", 'n', "N", "simulate: number of draws (default 1000)"},
    {"seed", 'S', "SEED", "simulate: seed of the random numbers (default 1)"},
    {"headcount-error", 'e', "PCT",
     "simulate: headcount error, per cent (default 2)"},
    {"threads", 'j', "N",
     "threads that read a roster, 1 to 16 (default: 2,\n"
     "fewer for a small file or one processor)"},
    {"help", 'h', NULL, "show this help and exit"},
    {"version", 'V', NULL, "show the version and exit"},
};
#define NOPTIONS (sizeof option_specs / sizeof option_specs[0])

/* Most --scenario options on one command line. */
#define MAX_SCENARIOS 32

struct options {
    const char *output;
    int quiet;
    const char *draws, *seed, *error; /* simulate, as given */
    unsigned threads;                 /* 0: the default */
    const char *db;                   /* the store */
    const char *organisation, *model; /* history and statement */
    char *scenarios[MAX_SCENARIOS];
    size_t nscenarios;
};

static void print_usage(FILE *out)
{
    fprintf(out,
            "usage: costshare run MODEL [-s SCENARIO]... [-o DIR] [-q]\n"
            "       costshare run MODEL MODEL... [-o DIR] [-q]\n"
            "       costshare compare MODEL SCENARIO... [-o DIR] [-q]\n"
            "       costshare simulate MODEL [-n N] [-S SEED] [-e PCT] "
            "[-o DIR] [-q]\n"
            "       costshare statement MODEL --org CODE [-s SCENARIO]... "
            "[-d DB]\n"
            "       costshare history [--model NAME] [--org CODE] "
            "[-d DB]\n"
            "       costshare headcount MODEL [-s SCENARIO]... [-o FILE] "
            "[-j N] [-q]\n"
            "       costshare --help | --version\n");
}

static void print_help(void)
{
    printf("costshare %s: share the UN security system's costs among "
           "organisations\n\n",
           COSTSHARE_VERSION);
    print_usage(stdout);
    printf("\ncommands:\n"
           "  run MODEL      share the budget of MODEL (a model or scenario "
           "file),\n"
           "                 write its tables to DIR and a summary to "
           "standard output;\n"
           "                 with several models, run them at once, each "
           "into DIR/NAME\n"
           "  compare MODEL SCENARIO...\n"
           "                 run MODEL with and without each scenario;\n"
           "                 write DIR/compare.csv and DIR/parameters.csv\n"
           "  simulate MODEL draw headcounts around their counts and share "
           "the pool each\n"
           "                 time; write DIR/simulation.csv and "
           "DIR/sensitivity.csv\n"
           "  statement MODEL --org CODE\n"
           "                 explain what organisation CODE pays and why\n"
           "  history        list the runs in the store, or one "
           "organisation's amounts\n"
           "  headcount MODEL\n"
           "                 count the roster of MODEL under its "
           "eligibility rules; write\n"
           "                 the headcount table to FILE and a summary of "
           "the records\n"
           "                 each rule left out\n"
           "\noptions:\n");
    for (size_t i = 0; i < NOPTIONS; i++) {
        char left[40];

        snprintf(left, sizeof left, "-%c, --%s%s%s",
                 option_specs[i].short_name, option_specs[i].name,
                 option_specs[i].argument ? " " : "",
                 option_specs[i].argument ? option_specs[i].argument : "");
        if (strlen(left) > 20)
            printf("  %s\n  %-20s ", left, "");
        else
            printf("  %-20s ", left);
        /* A help text may run on over lines, each indented alike. */
        for (const char *p = option_specs[i].help; *p; p++) {
            putchar(*p);
            if (*p == '\n')
                printf("  %-20s ", "");
        }
        putchar('\n');
    }
    printf("\nexit status: 0 success, 1 invalid input or a failed check, "
           "2 usage error,\n3 system error (I/O)\n"
           "\nSee costshare(1) and docs/METHODOLOGY.md.\n");
}

/*
 * Parse options into O.  With STOP_AT_OPERAND the parse ends at the first
 * operand (the command); otherwise options and operands may mix and the
 * operands are moved to the end.  Returns the index of the first operand,
 * -1 after printing help or the version, or -2 on a usage error.
 */
static int parse_options(int argc, char **argv, int stop_at_operand,
                         struct options *o)
{
    struct option longs[NOPTIONS + 1];
    char shorts[2 * NOPTIONS + 2], *s = shorts;
    int c;

    if (stop_at_operand)
        *s++ = '+';
    for (size_t i = 0; i < NOPTIONS; i++) {
        longs[i].name = option_specs[i].name;
        longs[i].has_arg =
            option_specs[i].argument ? required_argument : no_argument;
        longs[i].flag = NULL;
        longs[i].val = option_specs[i].short_name;
        *s++ = (char)option_specs[i].short_name;
        if (option_specs[i].argument)
            *s++ = ':';
    }
    *s = '\0';
    memset(&longs[NOPTIONS], 0, sizeof longs[NOPTIONS]);

    opterr = 0;
    while ((c = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
        switch (c) {
        case 'o':
            if (*optarg == '\0') {
                fprintf(stderr, "costshare: the output folder name is "
                                "empty\n");
                return -2;
            }
            /* "out/" and "out" are one folder; show "out/shares.csv". */
            for (size_t n = strlen(optarg); n > 1 && optarg[n - 1] == '/'; n--)
                optarg[n - 1] = '\0';
            o->output = optarg;
            break;
        case 'q':
            o->quiet = 1;
            break;
        case 'n':
            o->draws = optarg;
            break;
        case 'd':
            if (*optarg == '\0') {
                fprintf(stderr, "costshare: the store path is empty\n");
                return -2;
            }
            o->db = optarg;
            break;
        case 'g':
            /* Codes are read upper-cased from every input. */
            ascii_upper(optarg);
            o->organisation = optarg;
            break;
        case 'm':
            o->model = optarg;
            break;
        case 'S':
            o->seed = optarg;
            break;
        case 'e':
            o->error = optarg;
            break;
        case 'j': {
            char *end;
            long n = strtol(optarg, &end, 10);

            if (*end != '\0' || n < 1 || n > ROSTER_MAX_THREADS ||
                !isdigit((unsigned char)*optarg)) {
                fprintf(stderr,
                        "costshare: --threads takes a number from 1 to %d, "
                        "not \"%s\"\n",
                        ROSTER_MAX_THREADS, optarg);
                return -2;
            }
            o->threads = (unsigned)n;
            break;
        }
        case 's':
            if (o->nscenarios == MAX_SCENARIOS) {
                fprintf(stderr, "costshare: more than %d scenarios\n",
                        MAX_SCENARIOS);
                return -2;
            }
            o->scenarios[o->nscenarios++] = optarg;
            break;
        case 'h':
            print_help();
            return -1;
        case 'V':
            printf("costshare %s\n", COSTSHARE_VERSION);
            return -1;
        default:
            if (optopt && strchr(shorts, optopt) && optopt != ':')
                fprintf(stderr, "costshare: option %s needs an argument\n",
                        argv[optind - 1]);
            else
                fprintf(stderr, "costshare: unknown option %s\n",
                        argv[optind - 1]);
            return -2;
        }
    }
    return optind;
}

/* A progress bar for a roster read on a terminal. */
struct progress_bar {
    int drawn;
};

/* Files smaller than this are read without a progress bar. */
#define PROGRESS_MIN_BYTES (64ULL << 20)

/* Clear the progress bar's line, if one was drawn. */
static void clear_progress(struct progress_bar *bar)
{
    if (bar->drawn)
        fprintf(stderr, "\r%*s\r", 79, "");
    bar->drawn = 0;
}

static void draw_progress(void *context, unsigned long long done,
                          unsigned long long total)
{
    struct progress_bar *bar = context;
    const int width = 30;
    int filled;

    if (total < PROGRESS_MIN_BYTES)
        return;
    if (done >= total) {
        clear_progress(bar);
        return;
    }
    filled = (int)(done * (unsigned long long)width / total);
    fprintf(stderr, "\rreading the roster [%.*s%*s] %3d%% %llu of %llu MiB",
            filled, "##############################", width - filled, "",
            (int)(done * 100 / total), done >> 20, total >> 20);
    bar->drawn = 1;
}

/* Set how model M reads a roster: the threads of the options, and a
 * progress bar when standard error is a terminal. */
static void set_reading(struct model *m, const struct options *o,
                        struct progress_bar *bar)
{
    m->threads = o->threads;
    bar->drawn = 0;
    if (!o->quiet && isatty(STDERR_FILENO)) {
        m->progress = draw_progress;
        m->progress_context = bar;
    }
}

/* Map a module status (0, -1 invalid, -2 system) to an exit status. */
static int exit_status(int status)
{
    if (status == 0)
        return EXIT_OK;
    return status == -2 ? EXIT_SYSTEM : EXIT_INVALID;
}

/* Return the path of the store of options O. */
static const char *store_path(const struct options *o)
{
    const char *path = o->db ? o->db : getenv("COSTSHARE_DB");

    return path && *path ? path : "costshare.db";
}

static int open_store(const struct options *o, struct store **s,
                      struct diag *d)
{
    return store_open(s, store_path(o), d);
}

static void print_year_on_year(FILE *out, const struct comparison *yoy)
{
    fprintf(out, "\nchange from the previous period in the store:\n");
    compare_print_table(out, yoy, 1);
}

/*
 * The steps that differ between a JFA and an LCSSB run once its result
 * exists: how it is recorded, written and summarised.  RESULT is a struct
 * jfa_result or a struct lcssb_result.
 */
struct run_kind {
    const void *result;
    int (*record)(struct store *s, const void *result,
                  const struct expenditure *x, struct diag *d);
    int (*write)(const char *dir, const void *result,
                 const struct comparison *yoy, const struct expenditure *x,
                 struct diag *d);
    int (*write_html)(const char *dir, const void *result,
                      const struct comparison *yoy,
                      const struct expenditure *x, struct diag *d);
    int (*write_book)(const char *dir, const void *result,
                      const struct comparison *yoy,
                      const struct expenditure *x, struct diag *d);
    void (*print)(FILE *out, const void *result);
    void (*wrote)(FILE *out, const char *dir, int previous, int spent);
};

/*
 * The helper thread of a run, started before the model is read so that
 * it is scheduled by the time the reports are written: a process's
 * first thread was seen to wait up to 4 ms for a core here.  One run
 * per process, so one helper.
 */
static struct jobs helper;

/* The inputs of the steps that record and write a run. */
struct writing {
    struct store *store;
    const char *dir;
    const struct run_kind *kind;
    const struct comparison *yoy;
    const struct expenditure *x;
};

static int record_step(void *arg, struct diag *d)
{
    const struct writing *w = arg;

    return w->kind->record(w->store, w->kind->result, w->x, d);
}

static int tables_step(void *arg, struct diag *d)
{
    const struct writing *w = arg;
    int status = w->kind->write(w->dir, w->kind->result, w->yoy, w->x, d);

    if (status == 0 && w->yoy != NULL)
        status = compare_write_table(w->dir, "year_on_year.csv", w->yoy, d);
    return status;
}

static int html_step(void *arg, struct diag *d)
{
    const struct writing *w = arg;

    return w->kind->write_html(w->dir, w->kind->result, w->yoy, w->x, d);
}

static int book_step(void *arg, struct diag *d)
{
    const struct writing *w = arg;

    return w->kind->write_book(w->dir, w->kind->result, w->yoy, w->x, d);
}

/* Flush the reports written so far, while the workbook is written. */
static int flush_step(void *arg, struct diag *d)
{
    (void)arg;
    (void)d;
    outdir_flush_now();
    return 0;
}

/*
 * Record the run of K in store S and write its reports into the staging
 * folder of OD.  The steps only read the result, so this thread and the
 * helper share them, the workbook, the longest, first.  The thread that
 * is done first then flushes the reports written so far.  The messages
 * come in the order of a run one step after the other: the recording's,
 * the tables', the HTML's, then the workbook's, each only when the steps
 * before it succeeded.
 */
static int record_and_write(struct store *s, const struct outdir *od,
                            const struct run_kind *k,
                            const struct comparison *yoy,
                            const struct expenditure *x, struct diag *d)
{
    struct writing w = {s, od->staging, k, yoy, x};
    enum { BOOK, RECORD, HTML, TABLES, FLUSH, NSTEPS };
    struct job steps[NSTEPS] = {
        [BOOK] = {book_step, &w, {0}, 0},
        [RECORD] = {record_step, &w, {0}, 0},
        [HTML] = {html_step, &w, {0}, 0},
        [TABLES] = {tables_step, &w, {0}, 0},
        [FLUSH] = {flush_step, NULL, {0}, 0},
    };
    static const int order[] = {RECORD, TABLES, HTML, BOOK, FLUSH};
    int status = 0;

    jobs_run(&helper, steps, NSTEPS);
    for (size_t i = 0; i < sizeof order / sizeof order[0]; i++) {
        struct job *step = &steps[order[i]];

        if (status == 0) {
            diag_append(d, &step->diag);
            status = step->status;
        }
        diag_release(&step->diag);
    }
    return status;
}

/* The job that removes the earlier output folder after a commit.  The
 * helper thread runs it while this thread closes the store and releases
 * the run, and command_run() waits for it. */
static struct job keeping;

static int keep_step(void *arg, struct diag *d)
{
    (void)d;
    outdir_keep(arg);
    return 0;
}

/*
 * Finish a run whose result K describes and CURRENT sums up: record it
 * in the store with its change from the previous period while every
 * report is written into the staging folder, swap the folder in, commit
 * the store, then print the summary.  CURRENT is taken over.  X is the
 * expenditure, when SPENT.
 */
static int finish_run(const struct model *m, struct outdir *od,
                      const struct options *o, const struct run_kind *k,
                      struct outcome *current, const struct expenditure *x,
                      int spent, struct diag *d)
{
    struct comparison yoy;
    struct store *s = NULL;
    int previous = 0, status = open_store(o, &s, d);

    if (status == 0) {
        previous = record_year_on_year(s, m, current, &yoy, d);
        status = previous < 0 ? previous : 0;
    } else {
        outcome_release(current);
    }
    if (status == 0)
        status = record_and_write(s, od, k, previous == 1 ? &yoy : NULL,
                                  spent ? x : NULL, d);
    /* The folder is swapped in, then the store committed; when the
     * commit fails the earlier folder goes back, so that the two agree.
     * NOTE: a process killed between the two leaves the new folder in
     * place, the run missing from the store, and the earlier folder
     * under its staging name, which the next run removes. */
    if (status == 0)
        status = outdir_swap(od, d);
    if (status == 0) {
        status = store_commit(s, d);
        if (status == 0) {
            keeping = (struct job){keep_step, od, {0}, 0};
            jobs_hand(&helper, &keeping, 1);
        } else {
            outdir_undo(od);
        }
    } else if (s != NULL) {
        store_rollback(s);
    }
    if (status == 0 && !o->quiet) {
        k->print(stdout, k->result);
        if (previous == 1)
            print_year_on_year(stdout, &yoy);
        if (spent)
            expenditure_print_summary(stdout, x);
        k->wrote(stdout, od->target, previous == 1, spent);
    }
    if (previous == 1)
        comparison_release(&yoy);
    store_close(s);
    return status;
}

static int record_jfa_result(struct store *s, const void *result,
                             const struct expenditure *x, struct diag *d)
{
    return record_jfa(s, result, x, d);
}

static int write_jfa_reports(const char *dir, const void *result,
                             const struct comparison *yoy,
                             const struct expenditure *x, struct diag *d)
{
    const struct jfa_result *r = result;
    int status = report_write_shares(dir, r, d);

    (void)yoy;
    if (status == 0 && x != NULL)
        status = expenditure_write_reports(dir, x, r, d);
    return status;
}

static int write_jfa_html(const char *dir, const void *result,
                          const struct comparison *yoy,
                          const struct expenditure *x, struct diag *d)
{
    return html_write_jfa(dir, result, yoy, x, d);
}

static int write_jfa_book(const char *dir, const void *result,
                          const struct comparison *yoy,
                          const struct expenditure *x, struct diag *d)
{
    return workbook_write_jfa(dir, result, yoy, x, d);
}

static void print_jfa(FILE *out, const void *result)
{
    const struct jfa_result *r = result;

    report_print_summary(out, r);
    roster_print_line(out, &r->headcount);
}

static void wrote_jfa(FILE *out, const char *dir, int previous, int spent)
{
    fprintf(out, "wrote %s/shares.csv%s%s\n", dir,
            previous ? ", year_on_year.csv" : "",
            spent ? " and the expenditure reports" : "");
}

/* Run a JFA model: share the pool, check, record in the store, write,
 * summarise; with actual expenditure, also the variance, projection,
 * vacancy and true-up. */
static int run_jfa(const struct model *m, struct outdir *od,
                   const struct options *o, struct diag *d)
{
    const struct run_kind kind = {
        .record = record_jfa_result,
        .write = write_jfa_reports,
        .write_html = write_jfa_html,
        .write_book = write_jfa_book,
        .print = print_jfa,
        .wrote = wrote_jfa,
    };
    struct run_kind k = kind;
    struct jfa_result r;
    struct expenditure x;
    struct outcome current;
    int status = jfa_run(&r, m, d), spent = 0;

    if (status != 0)
        return status;
    status = report_check(&r, d);
    if (status == 0 && expenditure_wanted(m)) {
        status = expenditure_run(&x, m, &r.budget, &r, d);
        spent = status == 0;
        if (status == 0)
            status = expenditure_check(&x, d);
    }
    if (status == 0) {
        outcome_of_jfa(&current, &r);
        k.result = &r;
        status = finish_run(m, od, o, &k, &current, &x, spent, d);
    }
    if (spent)
        expenditure_release(&x);
    jfa_result_release(&r);
    return status;
}

static int record_lcssb_result(struct store *s, const void *result,
                               const struct expenditure *x, struct diag *d)
{
    return record_lcssb(s, result, x, d);
}

static int write_lcssb_all(const char *dir, const void *result,
                           const struct comparison *yoy,
                           const struct expenditure *x, struct diag *d)
{
    const struct lcssb_result *r = result;
    int status = lcssb_write_reports(dir, r, d);

    (void)yoy;
    if (status == 0 && x != NULL)
        status = expenditure_write_reports(dir, x, NULL, d);
    return status;
}

static int write_lcssb_html(const char *dir, const void *result,
                            const struct comparison *yoy,
                            const struct expenditure *x, struct diag *d)
{
    return html_write_lcssb(dir, result, yoy, x, d);
}

static int write_lcssb_book(const char *dir, const void *result,
                            const struct comparison *yoy,
                            const struct expenditure *x, struct diag *d)
{
    return workbook_write_lcssb(dir, result, yoy, x, d);
}

static void print_lcssb(FILE *out, const void *result)
{
    const struct lcssb_result *r = result;

    lcssb_print_summary(out, r);
    roster_print_line(out, &r->headcount);
}

static void wrote_lcssb(FILE *out, const char *dir, int previous, int spent)
{
    fprintf(out,
            "wrote %s/lcssb_lines.csv, lcssb_countries.csv, "
            "lcssb_organisations.csv%s and lcssb_agencies.csv%s\n",
            dir, previous ? ", year_on_year.csv" : "",
            spent ? ", and the expenditure reports" : "");
}

/* The sharing of an LCSSB run, a step of its own. */
struct sharing {
    struct lcssb_result *result;
    const struct model *model;
};

static int share_step(void *arg, struct diag *d)
{
    struct sharing *s = arg;

    return lcssb_run(s->result, s->model, d);
}

/* The expenditure of an LCSSB run, worked out beside the sharing on a
 * budget of its own, since it needs only the budget lines. */
struct spending {
    const struct model *model;
    struct budget budget;
    int loaded; /* whether BUDGET was loaded */
    struct expenditure x;
    int status; /* of expenditure_run(), -1 when it did not run */
};

static int spend_step(void *arg, struct diag *d)
{
    struct spending *s = arg;
    struct diag repeated;

    /* The sharing loads the same budget and reports its problems, so
     * this copy's messages would repeat them. */
    diag_init(&repeated);
    s->loaded = budget_load(&s->budget, s->model, &repeated) == 0 &&
                budget_apply_changes(&s->budget, s->model, &repeated) == 0;
    diag_release(&repeated);
    s->status = -1;
    if (s->loaded)
        s->status = expenditure_run(&s->x, s->model, &s->budget, NULL, d);
    return s->status;
}

/* Run an LCSSB model: share every line, and with actual expenditure work
 * out the variance, projection and vacancy at the same time.  Then check,
 * record, write and summarise. */
static int run_lcssb(const struct model *m, struct outdir *od,
                     const struct options *o, struct diag *d)
{
    const struct run_kind kind = {
        .record = record_lcssb_result,
        .write = write_lcssb_all,
        .write_html = write_lcssb_html,
        .write_book = write_lcssb_book,
        .print = print_lcssb,
        .wrote = wrote_lcssb,
    };
    struct run_kind k = kind;
    struct lcssb_result r;
    struct sharing sharing = {&r, m};
    struct spending early = {.model = m, .status = -1};
    struct job steps[2] = {{share_step, &sharing, {0}, 0},
                           {spend_step, &early, {0}, 0}};
    struct outcome current;
    int has_actuals = expenditure_wanted(m), status, spent;

    jobs_run(&helper, steps, has_actuals ? 2 : 1);
    diag_append(d, &steps[0].diag);
    status = steps[0].status;
    if (status == 0)
        status = lcssb_check(&r, d);
    if (status == 0 && has_actuals && !early.loaded) {
        /* The copy of the budget failed to load where the sharing's
         * did: work the expenditure out on the sharing's. */
        diag_release(&steps[1].diag);
        early.status =
            expenditure_run(&early.x, m, &r.budget, NULL, &steps[1].diag);
    }
    spent = has_actuals && early.status == 0;
    if (status == 0 && has_actuals) {
        diag_append(d, &steps[1].diag);
        status = early.status;
        /* One actual amount has no country to share it in. */
        if (status == 0 && m->actuals.present)
            status = expenditure_trueup_lcssb(&early.x, &r, &helper, d);
        if (status == 0)
            status = expenditure_check(&early.x, d);
    }
    diag_release(&steps[0].diag);
    diag_release(&steps[1].diag);
    if (status == 0) {
        outcome_of_lcssb(&current, &r);
        k.result = &r;
        status = finish_run(m, od, o, &k, &current, &early.x, spent, d);
    }
    if (spent)
        expenditure_release(&early.x);
    budget_release(&early.budget);
    if (steps[0].status == 0)
        lcssb_result_release(&r);
    return status;
}

/*
 * Print the diagnostics of a command, release D and DIR, and return the
 * exit status for STATUS (0, -1 invalid input, -2 system error).
 */
static int finish(struct diag *d, int status, char *dir)
{
    diag_print(d, stderr);
    if (status != 0 && d->errors > 0)
        fprintf(stderr, "costshare: %zu error%s; nothing written\n", d->errors,
                d->errors == 1 ? "" : "s");
    diag_release(d);
    free(dir);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "costshare: cannot write standard output\n");
        return EXIT_SYSTEM;
    }
    return exit_status(status);
}

/*
 * Run the loaded model M into the folder DIR, with the helper thread
 * started, and release M.  Returns a module status.
 */
static int run_model(struct model *m, const char *dir, const struct options *o,
                     struct diag *d)
{
    struct outdir od = {NULL, NULL, NULL, 0, NULL};
    struct progress_bar bar;
    int status;

    set_reading(m, o, &bar);
    m->store_path = store_path(o);
    status = outdir_begin(&od, dir, d);
    if (status == 0 && m->kind == MODEL_LCSSB)
        status = run_lcssb(m, &od, o, d);
    else if (status == 0)
        status = run_jfa(m, &od, o, d);
    if (status != 0)
        outdir_abort(&od);
    jobs_wait(&helper);
    diag_release(&keeping.diag);
    outdir_release(&od);
    model_release(m);
    return status;
}

static int command_run(const char *model_path, const struct options *o)
{
    struct diag d;
    struct model m;
    char *dir = NULL;
    int status;

    diag_init(&d);
    jobs_start(&helper);
    status = model_load_stack(&m, model_path, o->scenarios, o->nscenarios, &d);
    if (status == 0) {
        dir = o->output ? xstrdup(o->output) : xasprintf("reports/%s", m.name);
        status = run_model(&m, dir, o, &d);
    }
    jobs_stop(&helper);
    return finish(&d, status, dir);
}

/* The models of one "run" command with several, and their folders. */
struct several {
    struct model *models;
    char **dirs;
    const struct options *options;
};

/* Run model I of the struct several CONTEXT, in a child process. */
static int run_one_of(size_t i, void *context)
{
    struct several *s = context;
    struct diag d;
    int status;

    diag_init(&d);
    jobs_start(&helper);
    status = run_model(&s->models[i], s->dirs[i], s->options, &d);
    jobs_stop(&helper);
    /* The parent frees the folder name. */
    return finish(&d, status, NULL);
}

/*
 * Run the N models at PATHS, each in a process of its own, as many at
 * once as there are processors.  Every model is loaded first, so that a
 * bad model file stops them all before any runs.  Each is then a run of
 * its own, into reports/NAME or DIR/NAME: one that fails leaves its
 * folder and the store as they were, and the others go on.  The output
 * comes in the order of PATHS.
 * NOTE: when the parent folder is missing, every child counts it as its
 * own.  One that fails early could remove it just as another creates its
 * staging folder there, and that one would fail too.  No test has seen
 * it.
 */
static int command_run_several(char *const *paths, size_t n,
                               const struct options *o)
{
    struct several s = {xcalloc(n, sizeof *s.models),
                        xcalloc(n, sizeof *s.dirs), o};
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    struct diag d;
    size_t loaded = 0;
    int status = 0;

    diag_init(&d);
    for (; loaded < n && status == 0; loaded++)
        status =
            model_load_stack(&s.models[loaded], paths[loaded], NULL, 0, &d);
    if (status != 0)
        loaded--;
    for (size_t i = 0; i < loaded; i++) {
        const char *name = s.models[i].name;

        s.dirs[i] = o->output ? xasprintf("%s/%s", o->output, name)
                              : xasprintf("reports/%s", name);
        for (size_t j = 0; j < i && status == 0; j++) {
            if (strcmp(s.models[j].name, name) == 0) {
                diag_error(&d, paths[i], 0, 0,
                           "the model is named \"%s\" like %s; models "
                           "run together need names of their own",
                           name, paths[j]);
                status = -1;
            }
        }
    }
    if (status == 0) {
        status = procs_run(n, cpus < 1 ? 1 : (unsigned)cpus, run_one_of, &s,
                           paths, stdout, stderr);
        status = finish(&d, 0, NULL) == EXIT_OK ? status : EXIT_SYSTEM;
    } else {
        status = finish(&d, status, NULL);
    }
    for (size_t i = 0; i < loaded; i++)
        model_release(&s.models[i]);
    for (size_t i = 0; i < n; i++)
        free(s.dirs[i]);
    free(s.dirs);
    free(s.models);
    return status;
}

static int command_compare(const char *model_path, char *const *scenarios,
                           size_t nscenarios, const struct options *o)
{
    struct outdir od = {NULL, NULL, NULL, 0, NULL};
    struct diag d;
    struct comparison c;
    char *dir = NULL;
    int status;

    diag_init(&d);
    status = compare_run(&c, model_path, scenarios, nscenarios, &d);
    if (status == 0) {
        dir = o->output ? xstrdup(o->output)
                        : xasprintf("reports/%s-compare", c.baseline->name);
        status = compare_check(&c, &d);
        if (status == 0)
            status = outdir_begin(&od, dir, &d);
        if (status == 0) {
            status = compare_write_reports(od.staging, &c, &d);
            if (status == 0)
                status = outdir_commit(&od, &d);
            if (status != 0)
                outdir_abort(&od);
            outdir_release(&od);
        }
        if (status == 0 && !o->quiet) {
            compare_print_summary(stdout, &c);
            printf("wrote %s/compare.csv and parameters.csv\n", dir);
        }
        comparison_release(&c);
    }
    return finish(&d, status, dir);
}

/* Open the store for a statement: without one, there is simply no
 * previous period (S stays NULL). */
static int open_for_statement(const struct options *o, struct store **s,
                              struct diag *d)
{
    int status = store_open_existing(s, store_path(o), d);

    return status == 1 ? 0 : status;
}

/* Print the statement of O->organisation for model M. */
static int statement_of(const struct model *m, const struct options *o,
                        struct diag *d)
{
    struct store *s = NULL;
    struct comparison yoy;
    struct outcome current;
    int status, previous = 0, printed;

    if (m->kind == MODEL_LCSSB) {
        struct lcssb_result r;
        struct expenditure x;
        int spent = 0;

        status = lcssb_run(&r, m, d);
        if (status != 0)
            return status;
        if (expenditure_wanted(m)) {
            status = expenditure_run(&x, m, &r.budget, NULL, d);
            spent = status == 0;
            if (status == 0 && m->actuals.present)
                status = expenditure_trueup_lcssb(&x, &r, NULL, d);
        }
        if (status == 0)
            status = open_for_statement(o, &s, d);
        if (status == 0) {
            outcome_of_lcssb(&current, &r);
            if (s != NULL)
                previous = record_year_on_year(s, m, &current, &yoy, d);
            else
                outcome_release(&current);
        }
        printed = status == 0 && previous >= 0
                      ? statement_print_lcssb(stdout, &r, o->organisation,
                                              previous == 1 ? &yoy : NULL,
                                              spent ? &x : NULL)
                      : 0;
        if (spent)
            expenditure_release(&x);
        lcssb_result_release(&r);
    } else {
        struct jfa_result r;
        struct expenditure x;
        int spent = 0;

        status = jfa_run(&r, m, d);
        if (status != 0)
            return status;
        if (expenditure_wanted(m)) {
            status = expenditure_run(&x, m, &r.budget, &r, d);
            spent = status == 0;
        }
        if (status == 0)
            status = open_for_statement(o, &s, d);
        if (status == 0) {
            outcome_of_jfa(&current, &r);
            if (s != NULL)
                previous = record_year_on_year(s, m, &current, &yoy, d);
            else
                outcome_release(&current);
        }
        printed = status == 0 && previous >= 0
                      ? statement_print_jfa(stdout, &r, o->organisation,
                                            previous == 1 ? &yoy : NULL,
                                            spent ? &x : NULL)
                      : 0;
        if (spent)
            expenditure_release(&x);
        jfa_result_release(&r);
    }
    if (previous == 1)
        comparison_release(&yoy);
    store_close(s);
    if (status == 0 && previous < 0)
        status = previous;
    if (status == 0 && printed != 0) {
        diag_error(d, m->display, 0, 0,
                   "organisation \"%s\" is not charged by this model",
                   o->organisation);
        status = -1;
    }
    return status;
}

static int command_statement(const char *model_path, const struct options *o)
{
    struct diag d;
    struct model m;
    int status;

    if (o->organisation == NULL) {
        fprintf(stderr, "costshare: statement needs --org CODE\n");
        return EXIT_USAGE;
    }
    diag_init(&d);
    status = model_load_stack(&m, model_path, o->scenarios, o->nscenarios, &d);
    if (status == 0) {
        m.store_path = store_path(o);
        m.threads = o->threads;
        status = statement_of(&m, o, &d);
        model_release(&m);
    }
    return finish(&d, status, NULL);
}

static void print_history(const struct store_row *rows, long n,
                          const char *organisation)
{
    char pool[MONEY_FORMAT_MAX], amount[MONEY_FORMAT_MAX];
    char share[MONEY_FORMAT_MAX];

    if (organisation)
        printf("organisation %s\n%-4s %-10s %-20s %-16s %18s %9s\n",
               organisation, "run", "period", "model", "scenarios", "amount",
               "share %");
    else
        printf("%-4s %-20s %-20s %-6s %-10s %-16s %18s\n", "run", "time",
               "model", "kind", "period", "scenarios", "pool");
    for (long i = 0; i < n; i++) {
        const struct store_row *r = &rows[i];
        int64_t tenths = 0;

        money_format(pool, r->pool, r->decimals, 1);
        if (!organisation) {
            printf("%-4ld %-20s %-20s %-6s %-10s %-16s %18s %s\n", r->run_id,
                   r->time, r->model_name, r->kind, r->period, r->scenarios,
                   pool, r->currency);
            continue;
        }
        /* A JFA run stored its apportioned share; an LCSSB total is
         * divided by the budget. */
        if (strcmp(r->kind, "jfa") == 0)
            tenths = r->percent;
        else if (r->pool != 0)
            money_scale(r->amount, ALLOCATE_PERCENT_WHOLE, r->pool, &tenths);
        printf("%-4ld %-10s %-20s %-16s %18s %9s %s\n", r->run_id, r->period,
               r->model_name, r->scenarios,
               money_format(amount, r->amount, r->decimals, 1),
               money_format(share, tenths, ALLOCATE_PERCENT_DECIMALS, 0),
               r->currency);
    }
}

static int command_history(const struct options *o)
{
    struct diag d;
    struct store *s = NULL;
    struct store_row *rows = NULL;
    long n = 0;
    int status;

    diag_init(&d);
    status = store_open_existing(&s, store_path(o), &d);
    if (status == 1) {
        diag_error(&d, store_path(o), 0, 0,
                   "no run history here; run a model first or name the "
                   "store with --db");
        status = -1;
    }
    if (status == 0) {
        n = store_history(s, o->model, o->organisation, &rows, &d);
        if (n < 0)
            status = (int)n;
    }
    if (status == 0 && !o->quiet)
        print_history(rows, n, o->organisation);
    store_rows_release(rows, n > 0 ? n : 0);
    store_close(s);
    return finish(&d, status, NULL);
}

/* Parse the simulate options into SO; print an error and return -1 when
 * one is invalid. */
static int simulate_options(const struct options *o,
                            struct simulate_options *so)
{
    struct money_parse_options percent = {
        SHARE_PERCENT_DECIMALS, MONEY_FORMAT_POINT, MONEY_ROUND_REJECT, 0};
    char *end;

    so->draws = 1000;
    so->seed = 1;
    so->error = 2 * (SHARE_SCALE / 100);
    so->progress = isatty(STDERR_FILENO);
    if (o->draws != NULL) {
        unsigned long v = strtoul(o->draws, &end, 10);

        if (*end != '\0' || *o->draws < '0' || *o->draws > '9' || v < 1 ||
            v > 10000000) {
            fprintf(stderr,
                    "costshare: invalid --draws \"%s\"; expected 1 "
                    "to 10000000\n",
                    o->draws);
            return -1;
        }
        so->draws = v;
    }
    if (o->seed != NULL) {
        /* MT19937 takes 32 bits of seed; a larger one would repeat a
         * smaller one's draws. */
        errno = 0;
        so->seed = strtoul(o->seed, &end, 10);
        if (*end != '\0' || *o->seed < '0' || *o->seed > '9' ||
            errno == ERANGE || so->seed > 4294967295UL) {
            fprintf(stderr,
                    "costshare: invalid --seed \"%s\"; expected a whole "
                    "number from 0 to 4294967295\n",
                    o->seed);
            return -1;
        }
    }
    if (o->error != NULL &&
        (money_parse(o->error, &percent, &so->error) != MONEY_OK ||
         so->error < 0 || so->error > SHARE_SCALE)) {
        fprintf(stderr,
                "costshare: invalid --headcount-error \"%s\"; "
                "expected a percentage from 0 to 100\n",
                o->error);
        return -1;
    }
    return 0;
}

static int command_simulate(const char *model_path, const struct options *o)
{
    struct simulate_options so;
    struct outdir od = {NULL, NULL, NULL, 0, NULL};
    struct diag d;
    struct model m;
    struct simulation s;
    char *dir = NULL;
    int status;

    if (simulate_options(o, &so) != 0)
        return EXIT_USAGE;
    diag_init(&d);
    status = model_load_stack(&m, model_path, o->scenarios, o->nscenarios, &d);
    if (status == 0) {
        m.store_path = store_path(o);
        m.threads = o->threads;
        dir = o->output ? xstrdup(o->output)
                        : xasprintf("reports/%s-simulation", m.name);
        status = simulate_run(&s, &m, &so, &d);
        if (status == 0) {
            status = outdir_begin(&od, dir, &d);
            if (status == 0)
                status = simulate_write_reports(od.staging, &s, &d);
            if (status == 0)
                status = outdir_commit(&od, &d);
            else
                outdir_abort(&od);
            outdir_release(&od);
        }
        if (status == 0 && !o->quiet) {
            simulate_print_summary(stdout, &s);
            printf("wrote %s/simulation.csv and sensitivity.csv\n", dir);
        }
        if (status == 0)
            simulation_release(&s);
        model_release(&m);
    }
    return finish(&d, status, dir);
}

/* The first line of the headcount table that headcount writes. */
#define TABLE_HEADER "organisation,country,duty_station,headcount\n"

/*
 * Check that the table may be written to PATH: a new file, or an empty
 * or writable regular file that already contains a table costshare wrote.
 * Anything else may be an input (a budget, a model, the roster) or a
 * device, a pipe or a link, which the rename would replace.  Returns 0,
 * or -1 with an error in D.
 */
static int check_table_path(const char *path, struct diag *d)
{
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    char head[sizeof TABLE_HEADER];
    struct stat st;
    FILE *f;
    size_t got;

    if (*name == '\0' || (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))) {
        diag_error(d, path, 0, 0, "the output is a folder; name a file");
        return -1;
    }
    if (lstat(path, &st) != 0)
        return 0; /* a new file */
    if (!S_ISREG(st.st_mode)) {
        diag_error(d, path, 0, 0,
                   "not a regular file; the table is written only to a new "
                   "or a regular file");
        return -1;
    }
    if ((st.st_mode & 0222) == 0) {
        diag_error(d, path, 0, 0,
                   "the file is read-only; make it writable or name "
                   "another");
        return -1;
    }
    if (st.st_size == 0)
        return 0;
    f = fopen(path, "rb");
    got = f ? fread(head, 1, sizeof head - 1, f) : 0;
    if (f)
        fclose(f);
    if (got != sizeof head - 1 || memcmp(head, TABLE_HEADER, got) != 0) {
        diag_error(d, path, 0, 0,
                   "the file exists and is not a headcount table that "
                   "costshare wrote (it may be an input); remove it or "
                   "name another");
        return -1;
    }
    return 0;
}

/* Write the headcount table of S to the file PATH, by way of a temporary
 * file beside it. */
static int write_table_file(const char *path, const struct roster_summary *s,
                            struct diag *d)
{
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    char *dir = slash ? xstrndup(path, (size_t)(slash - path)) : xstrdup(".");
    int status;

    if (*dir == '\0') {
        free(dir);
        dir = xstrdup("/");
    }
    report_remove_stale(dir, name);
    status = report_write_file(dir, name, roster_write_table, s, d);
    free(dir);
    return status;
}

/* Count the roster of a model and write its headcount table. */
static int command_headcount(const char *model_path, const struct options *o)
{
    struct progress_bar bar;
    struct roster_summary summary;
    struct headcount h;
    struct diag d;
    struct model m;
    int to_file = o->output && strcmp(o->output, "-") != 0;
    FILE *out = to_file ? stdout : stderr;
    int status;

    diag_init(&d);
    status = model_load_stack(&m, model_path, o->scenarios, o->nscenarios, &d);
    if (status != 0)
        return finish(&d, status, NULL);
    if (!m.roster.present) {
        diag_error(&d, m.display, 0, 0,
                   "the model reads a headcount table, not a [roster]; the "
                   "headcount command counts a roster");
        model_release(&m);
        return finish(&d, -1, NULL);
    }
    for (size_t i = 0; i < m.nchanges; i++)
        if (m.changes[i].kind == MODEL_SET_HEADCOUNT ||
            m.changes[i].kind == MODEL_CHANGE_HEADCOUNT) {
            diag_add(&d, DIAG_NOTE, m.changes[i].file,
                     m.changes[i].line_number, 0,
                     "headcount changes of scenarios apply in run, not to "
                     "the counted table");
            break;
        }
    set_reading(&m, o, &bar);
    m.roster_no_digest = 1;
    /* The output is checked first, so that a large roster is not read
     * for nothing. */
    status = to_file ? check_table_path(o->output, &d) : 0;
    if (status != 0) {
        model_release(&m);
        return finish(&d, status, NULL);
    }
    status = headcount_load(&h, &m, &d);
    clear_progress(&bar);
    if (status == 0) {
        roster_summary_init(&summary, &h, &m);
        status = roster_summary_check(&summary, &d);
        if (status == 0 && to_file)
            status = write_table_file(o->output, &summary, &d);
        else if (status == 0)
            roster_write_table(stdout, &summary);
        if (status == 0 && !o->quiet) {
            roster_print_summary(out, &summary);
            if (to_file)
                fprintf(out, "wrote %s\n", o->output);
        }
        roster_summary_release(&summary);
        headcount_release(&h);
    }
    model_release(&m);
    return finish(&d, status, NULL);
}

int main(int argc, char **argv)
{
    struct options o = {0};
    int first;
    const char *command;

#ifdef M_TOP_PAD
    /* The helper thread of a run gets a heap of its own, which glibc
     * grows 128 KiB at a time by default, one mprotect() call each.  An
     * LCSSB run made about 470 such calls, and 16 MiB steps take 19. */
    mallopt(M_TOP_PAD, 16 * 1024 * 1024);
#endif
    first = parse_options(argc, argv, 1, &o);

    if (first == -1)
        return fflush(stdout) == 0 ? EXIT_OK : EXIT_SYSTEM;
    if (first < 0) {
        print_usage(stderr);
        return EXIT_USAGE;
    }
    if (first >= argc) {
        fprintf(stderr, "costshare: missing command\n");
        print_usage(stderr);
        return EXIT_USAGE;
    }

    command = argv[first];
    if (strcmp(command, "run") != 0 && strcmp(command, "compare") != 0 &&
        strcmp(command, "simulate") != 0 &&
        strcmp(command, "statement") != 0 && strcmp(command, "history") != 0 &&
        strcmp(command, "headcount") != 0) {
        fprintf(stderr, "costshare: unknown command \"%s\"\n", command);
        print_usage(stderr);
        return EXIT_USAGE;
    }

    /* Parse again from the command on; optind 0 makes glibc's getopt
     * start afresh. */
    argc -= first;
    argv += first;
    optind = 0;
    first = parse_options(argc, argv, 0, &o);
    if (first == -1)
        return fflush(stdout) == 0 ? EXIT_OK : EXIT_SYSTEM;
    if (first >= 0 && strcmp(command, "run") == 0 && argc - first == 1)
        return command_run(argv[first], &o);
    if (first >= 0 && strcmp(command, "run") == 0 && argc - first > 1 &&
        o.nscenarios == 0)
        return command_run_several(argv + first, (size_t)(argc - first), &o);
    if (first >= 0 && strcmp(command, "run") == 0 && argc - first > 1) {
        fprintf(stderr, "costshare: --scenario takes one MODEL; to run "
                        "scenarios together, give each scenario file as a "
                        "MODEL\n");
        print_usage(stderr);
        return EXIT_USAGE;
    }
    if (first >= 0 && strcmp(command, "compare") == 0 && argc - first >= 2 &&
        o.nscenarios == 0)
        return command_compare(argv[first], argv + first + 1,
                               (size_t)(argc - first - 1), &o);
    if (first >= 0 && strcmp(command, "simulate") == 0 && argc - first == 1)
        return command_simulate(argv[first], &o);
    if (first >= 0 && strcmp(command, "statement") == 0 && argc - first == 1)
        return command_statement(argv[first], &o);
    if (first >= 0 && strcmp(command, "headcount") == 0 && argc - first == 1)
        return command_headcount(argv[first], &o);
    if (first >= 0 && strcmp(command, "history") == 0 && argc == first)
        return command_history(&o);
    if (first >= 0 && strcmp(command, "history") == 0)
        fprintf(stderr, "costshare: history takes no operand\n");
    else if (first >= 0 && strcmp(command, "run") == 0)
        fprintf(stderr, "costshare: run needs at least one MODEL\n");
    else if (first >= 0 && strcmp(command, "compare") != 0)
        fprintf(stderr, "costshare: %s needs exactly one MODEL\n", command);
    else if (first >= 0)
        fprintf(stderr, "costshare: compare needs a MODEL and at least one "
                        "SCENARIO, given as operands\n");
    print_usage(stderr);
    return EXIT_USAGE;
}
