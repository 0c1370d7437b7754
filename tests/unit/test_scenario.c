/*
 * Unit tests of scenarios: scenario files read by model_load() and
 * model_load_stack() (keys that replace the base's, changes in order,
 * names, bases, paths and errors), then the budget and headcount changes
 * applied by jfa_run().  Each case writes its model, scenarios and CSV
 * files to a mkdtemp folder, so the test shows the lines that its
 * expected line numbers point at.
 *
 * Every expected amount was worked out by hand (largest remainder, ties
 * to the lower index) and checked with Python's fractions module.
 */
#include <CUnit/CUnit.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "jfa.h"
#include "model.h"
#include "report.h"
#include "suites.h"

#define COUNT(array) (sizeof(array) / sizeof((array)[0]))

/* A mkdtemp folder and the files and subfolders a case writes into it,
 * removed again by case_close(). */
struct case_dir {
    char root[40];
    char names[16][32];
    size_t nnames;
    char folders[4][32];
    size_t nfolders;
    int ok; /* 0 once a file could not be written */
};

static void case_open(struct case_dir *c)
{
    memset(c, 0, sizeof *c);
    strcpy(c->root, "/tmp/costshare-scenario-XXXXXX");
    c->ok = mkdtemp(c->root) != NULL;
}

/* Fill BUF with the path of NAME in the case folder. */
static char *case_path(const struct case_dir *c, const char *name, char *buf,
                       size_t size)
{
    snprintf(buf, size, "%s/%s", c->root, name);
    return buf;
}

/* Write TEXT to NAME, creating its subfolder (one level) when needed. */
static void case_write(struct case_dir *c, const char *name, const char *text)
{
    const char *slash = strchr(name, '/');
    char path[128];
    FILE *f;

    if (!c->ok || c->nnames == COUNT(c->names))
        return;
    if (slash != NULL && c->nfolders < COUNT(c->folders)) {
        char folder[32];

        snprintf(folder, sizeof folder, "%.*s", (int)(slash - name), name);
        if (mkdir(case_path(c, folder, path, sizeof path), 0700) == 0)
            strcpy(c->folders[c->nfolders++], folder);
    }
    f = fopen(case_path(c, name, path, sizeof path), "wb");
    if (f == NULL) {
        c->ok = 0;
        return;
    }
    fputs(text, f);
    if (fclose(f) != 0)
        c->ok = 0;
    snprintf(c->names[c->nnames++], sizeof c->names[0], "%s", name);
}

static void case_close(struct case_dir *c)
{
    char path[128];

    for (size_t i = 0; i < c->nnames; i++)
        unlink(case_path(c, c->names[i], path, sizeof path));
    for (size_t i = 0; i < c->nfolders; i++)
        rmdir(case_path(c, c->folders[i], path, sizeof path));
    rmdir(c->root);
}

/* Load NAME of the case folder with model_load(). */
static int load_case(struct model *m, const struct case_dir *c,
                     const char *name, struct diag *d)
{
    char path[128];

    memset(m, 0, sizeof *m);
    if (!c->ok)
        return -3;
    return model_load(m, case_path(c, name, path, sizeof path), d);
}

/* The first entry of D whose message contains TEXT, or a placeholder
 * entry with line -1 when there is none. */
static struct diag_entry entry_with(const struct diag *d, const char *text)
{
    static char no_entry[] = "(no such diagnostic)";
    struct diag_entry none = {DIAG_NOTE, no_entry, -1, -1, no_entry};

    for (size_t i = 0; i < d->count; i++)
        if (strstr(d->entries[i].message, text) != NULL)
            return d->entries[i];
    return none;
}

/* The file an entry names, or "(none)", safe to compare. */
static const char *file_of(const struct diag_entry *e)
{
    return e->file != NULL ? e->file : "(none)";
}

static size_t count_errors(const struct diag *d)
{
    size_t n = 0;

    for (size_t i = 0; i < d->count; i++)
        n += d->entries[i].level == DIAG_ERROR;
    return n;
}

/* ---- loading ---- */

/* A model with every rule a scenario can replace.  Its inputs are never
 * read by model_load(), so they need not exist. */
static const char rules_model[] = "[model]\n"
                                  "name = base-model\n"
                                  "kind = jfa\n"
                                  "period = 2024\n"
                                  "currency = USD\n"
                                  "[headcount]\n"
                                  "file = headcount.csv\n"
                                  "[budget]\n"
                                  "file = budget.csv\n"
                                  "[rules]\n"
                                  "basis = total\n"
                                  "floor = 50.00\n"
                                  "band = 0.5 10.00\n"
                                  "band = 1 20.00\n"
                                  "fixed = A 10\n";

/* Line numbers are those of the change keys below. */
static const char bigger_scenario[] = "[scenario]\n"
                                      "name = bigger\n"
                                      "base = model.ini\n"
                                      "description = More of all\n"
                                      "[rules]\n"
                                      "floor = 75.00\n"
                                      "band = 2 30.00\n"
                                      "fixed = B 5\n"
                                      "[budget]\n"
                                      "add = X1 12.34 New line\n"
                                      "remove = OLD\n"
                                      "scale = * 110\n"
                                      "[headcount]\n"
                                      "set = A/KEN 40\n"
                                      "change = A -10\n"
                                      "change = */KEN 2.5%\n";

/* Write the rules model and the "bigger" scenario and load the
 * scenario.  Returns what model_load() returns. */
static int load_bigger(struct model *m, struct case_dir *c, struct diag *d)
{
    case_open(c);
    case_write(c, "model.ini", rules_model);
    case_write(c, "bigger.ini", bigger_scenario);
    return load_case(m, c, "bigger.ini", d);
}

static void test_rule_key_replaced(void)
{
    struct case_dir c;
    struct model m;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(load_bigger(&m, &c, &d), 0);
    CU_ASSERT_EQUAL(d.count, 0);
    CU_ASSERT_EQUAL(m.floor, 7500);
    CU_ASSERT_EQUAL(m.basis, MODEL_BASIS_TOTAL);
    CU_ASSERT_EQUAL(m.has_budget_amount, 0);
    model_release(&m);
    diag_release(&d);
    case_close(&c);
}

static void test_band_list_replaced(void)
{
    struct case_dir c;
    struct model m;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(load_bigger(&m, &c, &d), 0);
    CU_ASSERT_EQUAL_FATAL(m.nbands, 1);
    CU_ASSERT_EQUAL(m.bands[0].upper, 2000000);
    CU_ASSERT_EQUAL(m.bands[0].amount, 3000);
    model_release(&m);
    diag_release(&d);
    case_close(&c);
}

static void test_fixed_list_replaced(void)
{
    struct case_dir c;
    struct model m;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(load_bigger(&m, &c, &d), 0);
    CU_ASSERT_EQUAL_FATAL(m.nfixed, 1);
    CU_ASSERT_STRING_EQUAL(m.fixed[0].organisation, "B");
    CU_ASSERT_EQUAL(m.fixed[0].share, 5000000);
    CU_ASSERT_EQUAL(m.fixed[0].line, 8);
    model_release(&m);
    diag_release(&d);
    case_close(&c);
}

static void test_changes_in_order(void)
{
    static const struct {
        enum model_change_kind kind;
        long line;
    } expected[] = {
        {MODEL_ADD_LINE, 10},         {MODEL_REMOVE_LINE, 11},
        {MODEL_SCALE_LINE, 12},       {MODEL_SET_HEADCOUNT, 14},
        {MODEL_CHANGE_HEADCOUNT, 15}, {MODEL_CHANGE_HEADCOUNT, 16},
    };
    struct case_dir c;
    struct model m;
    struct diag d;
    char path[128];

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(load_bigger(&m, &c, &d), 0);
    case_path(&c, "bigger.ini", path, sizeof path);
    CU_ASSERT_EQUAL_FATAL(m.nchanges, COUNT(expected));
    for (size_t i = 0; i < COUNT(expected); i++) {
        CU_ASSERT_EQUAL(m.changes[i].kind, expected[i].kind);
        CU_ASSERT_EQUAL(m.changes[i].line_number, expected[i].line);
        CU_ASSERT_STRING_EQUAL(m.changes[i].file, path);
    }
    model_release(&m);
    diag_release(&d);
    case_close(&c);
}

static void test_budget_change_fields(void)
{
    struct case_dir c;
    struct model m;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(load_bigger(&m, &c, &d), 0);
    CU_ASSERT_EQUAL_FATAL(m.nchanges, 6);
    CU_ASSERT_STRING_EQUAL(m.changes[0].line, "X1");
    CU_ASSERT_STRING_EQUAL(m.changes[0].country, "");
    CU_ASSERT_EQUAL(m.changes[0].amount, 1234);
    CU_ASSERT_STRING_EQUAL(m.changes[0].text, "New line");
    CU_ASSERT_STRING_EQUAL(m.changes[1].line, "OLD");
    CU_ASSERT_STRING_EQUAL(m.changes[1].country, "");
    CU_ASSERT_STRING_EQUAL(m.changes[2].line, "*");
    CU_ASSERT_EQUAL(m.changes[2].percent, 110000000);
    model_release(&m);
    diag_release(&d);
    case_close(&c);
}

static void test_headcount_change_fields(void)
{
    struct case_dir c;
    struct model m;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(load_bigger(&m, &c, &d), 0);
    CU_ASSERT_EQUAL_FATAL(m.nchanges, 6);
    CU_ASSERT_STRING_EQUAL(m.changes[3].organisation, "A");
    CU_ASSERT_STRING_EQUAL(m.changes[3].country, "KEN");
    CU_ASSERT_EQUAL(m.changes[3].amount, 40);
    CU_ASSERT_STRING_EQUAL(m.changes[4].organisation, "A");
    CU_ASSERT_STRING_EQUAL(m.changes[4].country, "");
    CU_ASSERT_EQUAL(m.changes[4].percent, -10000000);
    CU_ASSERT_STRING_EQUAL(m.changes[5].organisation, "*");
    CU_ASSERT_STRING_EQUAL(m.changes[5].country, "KEN");
    CU_ASSERT_EQUAL(m.changes[5].percent, 2500000);
    model_release(&m);
    diag_release(&d);
    case_close(&c);
}

static void test_scenario_and_model_names(void)
{
    struct case_dir c;
    struct model m;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(load_bigger(&m, &c, &d), 0);
    CU_ASSERT_STRING_EQUAL(m.name, "bigger");
    CU_ASSERT_STRING_EQUAL(m.model_name, "base-model");
    CU_ASSERT_EQUAL_FATAL(m.nscenarios, 1);
    CU_ASSERT_STRING_EQUAL(m.scenarios[0], "bigger");
    model_release(&m);
    diag_release(&d);
    case_close(&c);
}

static void test_model_alone_keeps_name(void)
{
    struct case_dir c;
    struct model m;
    struct diag d;

    diag_init(&d);
    case_open(&c);
    case_write(&c, "model.ini", rules_model);
    CU_ASSERT_EQUAL_FATAL(load_case(&m, &c, "model.ini", &d), 0);
    CU_ASSERT_STRING_EQUAL(m.name, "base-model");
    CU_ASSERT_STRING_EQUAL(m.model_name, "base-model");
    CU_ASSERT_EQUAL(m.nscenarios, 0);
    CU_ASSERT_EQUAL(m.nchanges, 0);
    CU_ASSERT_EQUAL(m.nbands, 2);
    model_release(&m);
    diag_release(&d);
    case_close(&c);
}

static void test_lcssb_line_splits(void)
{
    struct case_dir c;
    struct model m;
    struct diag d;

    diag_init(&d);
    case_open(&c);
    case_write(&c, "model.ini",
               "[model]\n"
               "name = lcssb-base\n"
               "kind = lcssb\n"
               "period = 2024\n"
               "currency = USD\n"
               "[headcount]\n"
               "file = headcount.csv\n"
               "[budget]\n"
               "file = budget.csv\n"
               "[agencies]\n"
               "file = agencies.csv\n"
               "[rules]\n"
               "basis = total\n");
    case_write(&c, "lines.ini",
               "[scenario]\n"
               "name = lines\n"
               "base = model.ini\n"
               "[budget]\n"
               "add = AFG/L1 100.00 Guards\n"
               "remove = KEN/SOC\n"
               "scale = UGA/* 50\n");
    CU_ASSERT_EQUAL_FATAL(load_case(&m, &c, "lines.ini", &d), 0);
    CU_ASSERT_EQUAL(m.kind, MODEL_LCSSB);
    CU_ASSERT_EQUAL_FATAL(m.nchanges, 3);
    CU_ASSERT_STRING_EQUAL(m.changes[0].country, "AFG");
    CU_ASSERT_STRING_EQUAL(m.changes[0].line, "L1");
    CU_ASSERT_EQUAL(m.changes[0].amount, 10000);
    CU_ASSERT_STRING_EQUAL(m.changes[0].text, "Guards");
    CU_ASSERT_STRING_EQUAL(m.changes[1].country, "KEN");
    CU_ASSERT_STRING_EQUAL(m.changes[1].line, "SOC");
    CU_ASSERT_STRING_EQUAL(m.changes[2].country, "UGA");
    CU_ASSERT_STRING_EQUAL(m.changes[2].line, "*");
    CU_ASSERT_EQUAL(m.changes[2].percent, 50000000);
    model_release(&m);
    diag_release(&d);
    case_close(&c);
}

static void test_scenario_without_base(void)
{
    struct case_dir c;
    struct model m;
    struct diag d;
    struct diag_entry e;
    char path[128];

    diag_init(&d);
    case_open(&c);
    case_write(&c, "alone.ini",
               "[scenario]\n"
               "name = alone\n"
               "[rules]\n"
               "floor = 75.00\n");
    CU_ASSERT_EQUAL(load_case(&m, &c, "alone.ini", &d), -1);
    e = entry_with(&d, "missing key \"base\" in [scenario]");
    CU_ASSERT_EQUAL(e.level, DIAG_ERROR);
    CU_ASSERT_STRING_EQUAL(file_of(&e),
                           case_path(&c, "alone.ini", path, sizeof path));
    model_release(&m);
    diag_release(&d);
    case_close(&c);
}

/* A scenario whose base is itself must end with an error, not recurse
 * for ever. */
static void test_base_loop_rejected(void)
{
    struct case_dir c;
    struct model m;
    struct diag d;
    struct diag_entry e;
    char path[128];

    diag_init(&d);
    case_open(&c);
    case_write(&c, "loop.ini",
               "[scenario]\n"
               "name = loop\n"
               "base = loop.ini\n");
    CU_ASSERT_EQUAL(load_case(&m, &c, "loop.ini", &d), -1);
    e = entry_with(&d, "loop of base keys");
    CU_ASSERT_EQUAL(e.level, DIAG_ERROR);
    CU_ASSERT_EQUAL(e.line, 3);
    CU_ASSERT_STRING_EQUAL(file_of(&e),
                           case_path(&c, "loop.ini", path, sizeof path));
    model_release(&m);
    diag_release(&d);
    case_close(&c);
}

static void test_two_file_loop_rejected(void)
{
    struct case_dir c;
    struct model m;
    struct diag d;

    diag_init(&d);
    case_open(&c);
    case_write(&c, "one.ini",
               "[scenario]\n"
               "name = one\n"
               "base = two.ini\n");
    case_write(&c, "two.ini",
               "[scenario]\n"
               "name = two\n"
               "base = one.ini\n");
    CU_ASSERT_EQUAL(load_case(&m, &c, "one.ini", &d), -1);
    CU_ASSERT_EQUAL(entry_with(&d, "loop of base keys").level, DIAG_ERROR);
    model_release(&m);
    diag_release(&d);
    case_close(&c);
}

/* The model names budget.csv beside itself.  The scenario, in a
 * subfolder, names its own headcount and previous shares beside it. */
static void test_paths_relative_to_scenario(void)
{
    struct case_dir c;
    struct model m;
    struct diag d;
    char path[128];

    diag_init(&d);
    case_open(&c);
    case_write(&c, "model.ini", rules_model);
    case_write(&c, "sub/moved.ini",
               "[scenario]\n"
               "name = moved\n"
               "base = ../model.ini\n"
               "[headcount]\n"
               "file = staff.csv\n"
               "[transition]\n"
               "method = phase_in\n"
               "years = 2\n"
               "year = 1\n"
               "file = previous.csv\n");
    CU_ASSERT_EQUAL_FATAL(load_case(&m, &c, "sub/moved.ini", &d), 0);
    CU_ASSERT_STRING_EQUAL(m.headcount.path,
                           case_path(&c, "sub/staff.csv", path, sizeof path));
    CU_ASSERT_STRING_EQUAL(m.headcount.display, path);
    CU_ASSERT_STRING_EQUAL(
        m.transition.previous.display,
        case_path(&c, "sub/previous.csv", path, sizeof path));
    CU_ASSERT_STRING_EQUAL(m.budget.display,
                           case_path(&c, "budget.csv", path, sizeof path));
    CU_ASSERT_STRING_EQUAL(
        m.budget.path, case_path(&c, "sub/../budget.csv", path, sizeof path));
    CU_ASSERT_EQUAL(m.headcount.line, 5);
    model_release(&m);
    diag_release(&d);
    case_close(&c);
}

static void test_error_names_scenario_line(void)
{
    struct case_dir c;
    struct model m;
    struct diag d;
    struct diag_entry e;
    char path[128];

    diag_init(&d);
    case_open(&c);
    case_write(&c, "model.ini", rules_model);
    case_write(&c, "bad.ini",
               "[scenario]\n"
               "name = bad\n"
               "base = model.ini\n"
               "[rules]\n"
               "floor = lots\n"
               "colour = red\n");
    CU_ASSERT_EQUAL(load_case(&m, &c, "bad.ini", &d), -1);
    case_path(&c, "bad.ini", path, sizeof path);
    CU_ASSERT_EQUAL(count_errors(&d), 2);
    e = entry_with(&d, "\"lots\"");
    CU_ASSERT_EQUAL(e.level, DIAG_ERROR);
    CU_ASSERT_EQUAL(e.line, 5);
    CU_ASSERT_STRING_EQUAL(file_of(&e), path);
    e = entry_with(&d, "unknown key \"colour\" in [rules]");
    CU_ASSERT_EQUAL(e.level, DIAG_ERROR);
    CU_ASSERT_EQUAL(e.line, 6);
    CU_ASSERT_STRING_EQUAL(file_of(&e), path);
    model_release(&m);
    diag_release(&d);
    case_close(&c);
}

/* A scenario in the model's own section set twice is still an error. */
static void test_scenario_key_twice(void)
{
    struct case_dir c;
    struct model m;
    struct diag d;
    struct diag_entry e;

    diag_init(&d);
    case_open(&c);
    case_write(&c, "model.ini", rules_model);
    case_write(&c, "twice.ini",
               "[scenario]\n"
               "name = twice\n"
               "base = model.ini\n"
               "[rules]\n"
               "floor = 60.00\n"
               "floor = 70.00\n");
    CU_ASSERT_EQUAL(load_case(&m, &c, "twice.ini", &d), -1);
    e = entry_with(&d, "set twice");
    CU_ASSERT_EQUAL(e.level, DIAG_ERROR);
    CU_ASSERT_EQUAL(e.line, 6);
    model_release(&m);
    diag_release(&d);
    case_close(&c);
}

static void test_stack_ignores_base(void)
{
    struct case_dir c;
    struct model m;
    struct diag d;
    char model[128], scenario[128];
    char *scenarios[1];

    diag_init(&d);
    case_open(&c);
    case_write(&c, "model.ini", rules_model);
    case_write(&c, "elsewhere.ini",
               "[scenario]\n"
               "name = elsewhere\n"
               "base = no-such-model.ini\n"
               "[rules]\n"
               "floor = 80.00\n");
    scenarios[0] = case_path(&c, "elsewhere.ini", scenario, sizeof scenario);
    CU_ASSERT_EQUAL_FATAL(
        model_load_stack(&m, case_path(&c, "model.ini", model, sizeof model),
                         scenarios, 1, &d),
        0);
    CU_ASSERT_EQUAL(d.count, 0);
    CU_ASSERT_EQUAL(m.floor, 8000);
    CU_ASSERT_STRING_EQUAL(m.name, "elsewhere");
    CU_ASSERT_STRING_EQUAL(m.model_name, "base-model");
    model_release(&m);
    diag_release(&d);
    case_close(&c);
}

static void test_stack_in_order(void)
{
    struct case_dir c;
    struct model m;
    struct diag d;
    char model[128], first[128], second[128];
    char *scenarios[2];

    diag_init(&d);
    case_open(&c);
    case_write(&c, "model.ini", rules_model);
    case_write(&c, "first.ini",
               "[scenario]\n"
               "name = first\n"
               "[rules]\n"
               "floor = 60.00\n"
               "[budget]\n"
               "remove = L1\n");
    case_write(&c, "second.ini",
               "[scenario]\n"
               "name = second\n"
               "[rules]\n"
               "floor = 70.00\n"
               "[budget]\n"
               "scale = L2 90\n");
    scenarios[0] = case_path(&c, "first.ini", first, sizeof first);
    scenarios[1] = case_path(&c, "second.ini", second, sizeof second);
    CU_ASSERT_EQUAL_FATAL(
        model_load_stack(&m, case_path(&c, "model.ini", model, sizeof model),
                         scenarios, 2, &d),
        0);
    CU_ASSERT_EQUAL(m.floor, 7000);
    CU_ASSERT_STRING_EQUAL(m.name, "second");
    CU_ASSERT_EQUAL_FATAL(m.nscenarios, 2);
    CU_ASSERT_STRING_EQUAL(m.scenarios[0], "first");
    CU_ASSERT_STRING_EQUAL(m.scenarios[1], "second");
    CU_ASSERT_EQUAL_FATAL(m.nchanges, 2);
    CU_ASSERT_EQUAL(m.changes[0].kind, MODEL_REMOVE_LINE);
    CU_ASSERT_STRING_EQUAL(m.changes[0].file, first);
    CU_ASSERT_EQUAL(m.changes[1].kind, MODEL_SCALE_LINE);
    CU_ASSERT_STRING_EQUAL(m.changes[1].file, second);
    model_release(&m);
    diag_release(&d);
    case_close(&c);
}

/* A scenario on a scenario: the changes of the lower one come first. */
static void test_chain_of_bases(void)
{
    struct case_dir c;
    struct model m;
    struct diag d;

    diag_init(&d);
    case_open(&c);
    case_write(&c, "model.ini", rules_model);
    case_write(&c, "lower.ini",
               "[scenario]\n"
               "name = lower\n"
               "base = model.ini\n"
               "[headcount]\n"
               "set = A 10\n");
    case_write(&c, "upper.ini",
               "[scenario]\n"
               "name = upper\n"
               "base = lower.ini\n"
               "[headcount]\n"
               "change = A 50\n");
    CU_ASSERT_EQUAL_FATAL(load_case(&m, &c, "upper.ini", &d), 0);
    CU_ASSERT_STRING_EQUAL(m.name, "upper");
    CU_ASSERT_STRING_EQUAL(m.model_name, "base-model");
    CU_ASSERT_EQUAL_FATAL(m.nscenarios, 2);
    CU_ASSERT_STRING_EQUAL(m.scenarios[0], "lower");
    CU_ASSERT_STRING_EQUAL(m.scenarios[1], "upper");
    CU_ASSERT_EQUAL_FATAL(m.nchanges, 2);
    CU_ASSERT_EQUAL(m.changes[0].kind, MODEL_SET_HEADCOUNT);
    CU_ASSERT_EQUAL(m.changes[1].kind, MODEL_CHANGE_HEADCOUNT);
    model_release(&m);
    diag_release(&d);
    case_close(&c);
}

/* Write the rules model and a scenario whose line 5 is CHANGE in
 * SECTION, load it and check for one error on line 5 of the
 * scenario. */
static void check_invalid_change(const char *section, const char *change)
{
    struct case_dir c;
    struct model m;
    struct diag d;
    struct diag_entry e;
    char text[256], path[128];

    snprintf(text, sizeof text,
             "[scenario]\n"
             "name = invalid\n"
             "base = model.ini\n"
             "[%s]\n"
             "%s\n",
             section, change);
    diag_init(&d);
    case_open(&c);
    case_write(&c, "model.ini", rules_model);
    case_write(&c, "invalid.ini", text);
    CU_ASSERT_EQUAL(load_case(&m, &c, "invalid.ini", &d), -1);
    CU_ASSERT_EQUAL(count_errors(&d), 1);
    e = d.count > 0 ? d.entries[0] : entry_with(&d, "");
    CU_ASSERT_EQUAL(e.level, DIAG_ERROR);
    CU_ASSERT_EQUAL(e.line, 5);
    CU_ASSERT_STRING_EQUAL(file_of(&e),
                           case_path(&c, "invalid.ini", path, sizeof path));
    model_release(&m);
    diag_release(&d);
    case_close(&c);
}

static void test_invalid_change_values(void)
{
    static const struct {
        const char *section;
        const char *change;
    } cases[] = {
        {"budget", "add = X notanumber"}, {"budget", "add = X"},
        {"budget", "add = X 1.234"},      {"budget", "scale = X -5"},
        {"budget", "scale = X"},          {"budget", "remove = X extra"},
        {"headcount", "set = A -3"},      {"headcount", "set = A 2.5"},
        {"headcount", "change = A -101"}, {"headcount", "change = A lots"},
    };

    for (size_t i = 0; i < COUNT(cases); i++)
        check_invalid_change(cases[i].section, cases[i].change);
}

/* A word after the percentage is as invalid as one after a removed
 * line's code. */
static void test_trailing_word_rejected(void)
{
    check_invalid_change("budget", "scale = X 110 extra");
    check_invalid_change("headcount", "change = A 10 more");
}

/* One run should list every invalid change, not only the first. */
static void test_every_invalid_change_listed(void)
{
    struct case_dir c;
    struct model m;
    struct diag d;

    diag_init(&d);
    case_open(&c);
    case_write(&c, "model.ini", rules_model);
    case_write(&c, "three.ini",
               "[scenario]\n"
               "name = three\n"
               "base = model.ini\n"
               "[budget]\n"
               "add = X notanumber\n"
               "scale = Y -5\n"
               "remove = Z extra\n");
    CU_ASSERT_EQUAL(load_case(&m, &c, "three.ini", &d), -1);
    CU_ASSERT_EQUAL(count_errors(&d), 3);
    CU_ASSERT_EQUAL(d.count > 0 ? d.entries[0].line : -1, 5);
    CU_ASSERT_EQUAL(d.count > 1 ? d.entries[1].line : -1, 6);
    CU_ASSERT_EQUAL(d.count > 2 ? d.entries[2].line : -1, 7);
    model_release(&m);
    diag_release(&d);
    case_close(&c);
}

/* The message shows the amount as the scenario writes it. */
static void test_invalid_amount_as_written(void)
{
    struct case_dir c;
    struct model m;
    struct diag d;

    diag_init(&d);
    case_open(&c);
    case_write(&c, "model.ini", rules_model);
    case_write(&c, "amount.ini",
               "[scenario]\n"
               "name = amount\n"
               "base = model.ini\n"
               "[budget]\n"
               "add = X notanumber\n");
    CU_ASSERT_EQUAL(load_case(&m, &c, "amount.ini", &d), -1);
    CU_ASSERT_EQUAL(entry_with(&d, "\"notanumber\"").line, 5);
    model_release(&m);
    diag_release(&d);
    case_close(&c);
}

/* ---- changes applied by jfa_run() ---- */

/* A has 3 persons in AFG and 1 in BDI, B has 4 in AFG.  Cells are
 * sorted by organisation and country, so A/AFG comes before A/BDI. */
static const char run_headcount[] = "organisation,country,headcount\n"
                                    "A,AFG,3\n"
                                    "A,BDI,1\n"
                                    "B,AFG,4\n";
static const char run_budget[] = "line,description,amount\n"
                                 "L1,Guards,600.00\n"
                                 "L2,Radios,400.00\n";
static const char run_model[] = "[model]\n"
                                "name = run-model\n"
                                "kind = jfa\n"
                                "period = 2024\n"
                                "currency = USD\n"
                                "[headcount]\n"
                                "file = headcount.csv\n"
                                "[budget]\n"
                                "file = budget.csv\n"
                                "[rules]\n"
                                "basis = total\n";
static const char amount_model[] = "[model]\n"
                                   "name = amount-model\n"
                                   "kind = jfa\n"
                                   "period = 2024\n"
                                   "currency = USD\n"
                                   "[headcount]\n"
                                   "file = headcount.csv\n"
                                   "[budget]\n"
                                   "amount = 1000.00\n"
                                   "[rules]\n"
                                   "basis = total\n";

/* The scenario written by run_changes() has three lines before the
 * section, so its first key is on line 5. */
#define FIRST_CHANGE_LINE 5

/*
 * Write MODEL (with run_headcount and run_budget) and a scenario with
 * [SECTION] and KEYS, load the scenario into M and run it into R.
 * Returns what jfa_run() returns, or -3 when the scenario does not load.
 * The caller closes the case folder with case_close(), so a case can
 * first add files that the keys name.
 */
static int run_changes(struct case_dir *c, const char *model,
                       const char *section, const char *keys, struct model *m,
                       struct jfa_result *r, struct diag *d)
{
    char text[512];

    memset(r, 0, sizeof *r);
    snprintf(text, sizeof text,
             "[scenario]\n"
             "name = changes\n"
             "base = model.ini\n"
             "[%s]\n"
             "%s",
             section, keys);
    case_write(c, "model.ini", model);
    case_write(c, "headcount.csv", run_headcount);
    case_write(c, "budget.csv", run_budget);
    case_write(c, "changes.ini", text);
    if (load_case(m, c, "changes.ini", d) != 0)
        return -3;
    return jfa_run(r, m, d);
}

static void release_run(struct model *m, struct jfa_result *r, struct diag *d,
                        struct case_dir *c)
{
    jfa_result_release(r);
    model_release(m);
    diag_release(d);
    case_close(c);
}

/* Return the persons of ORGANISATION in COUNTRY, or -1 without a row. */
static int64_t cell_count(const struct headcount *h, const char *organisation,
                          const char *country)
{
    for (size_t i = 0; i < h->ncells; i++)
        if (strcmp(h->organisations[h->cells[i].organisation], organisation) ==
                0 &&
            strcmp(h->countries[h->cells[i].country], country) == 0)
            return h->cells[i].count;
    return -1;
}

/* Check the error of a change on line LINE of the scenario: its text,
 * file and line. */
static void check_change_error(const struct diag *d, const struct case_dir *c,
                               const char *text, long line)
{
    struct diag_entry e = entry_with(d, text);
    char path[128];

    CU_ASSERT_EQUAL(e.level, DIAG_ERROR);
    CU_ASSERT_EQUAL(e.line, line);
    CU_ASSERT_STRING_EQUAL(file_of(&e),
                           case_path(c, "changes.ini", path, sizeof path));
}

static void test_add_line_grows_pool(void)
{
    struct case_dir c;
    struct model m;
    struct jfa_result r;
    struct diag d;
    char *summary = NULL;
    size_t size = 0;
    FILE *f;

    diag_init(&d);
    case_open(&c);
    CU_ASSERT_EQUAL_FATAL(run_changes(&c, run_model, "budget",
                                      "add = L3 100.00 Fuel and oil\n", &m, &r,
                                      &d),
                          0);
    CU_ASSERT_EQUAL(r.budget.total, 110000);
    CU_ASSERT_EQUAL(r.allocation.pool, 110000);
    CU_ASSERT_EQUAL_FATAL(r.budget.nlines, 3);
    CU_ASSERT_STRING_EQUAL(r.budget.lines[2].code, "L3");
    CU_ASSERT_STRING_EQUAL(r.budget.lines[2].description, "Fuel and oil");
    CU_ASSERT_EQUAL(r.budget.lines[2].amount, 10000);
    CU_ASSERT_EQUAL_FATAL(r.n, 2);
    CU_ASSERT_EQUAL(r.allocation.amount[0], 55000);
    CU_ASSERT_EQUAL(r.allocation.amount[1], 55000);

    f = open_memstream(&summary, &size);
    CU_ASSERT_PTR_NOT_NULL_FATAL(f);
    report_print_summary(f, &r);
    fclose(f);
    CU_ASSERT_PTR_NOT_NULL(strstr(summary, "    line L3 "));
    CU_ASSERT_PTR_NOT_NULL(strstr(summary, "  Fuel and oil\n"));
    free(summary);
    release_run(&m, &r, &d, &c);
}

static void test_remove_line_shrinks_pool(void)
{
    struct case_dir c;
    struct model m;
    struct jfa_result r;
    struct diag d;

    diag_init(&d);
    case_open(&c);
    CU_ASSERT_EQUAL_FATAL(
        run_changes(&c, run_model, "budget", "remove = L2\n", &m, &r, &d), 0);
    CU_ASSERT_EQUAL(r.budget.total, 60000);
    CU_ASSERT_EQUAL(r.allocation.pool, 60000);
    CU_ASSERT_EQUAL_FATAL(r.budget.nlines, 1);
    CU_ASSERT_STRING_EQUAL(r.budget.lines[0].code, "L1");
    release_run(&m, &r, &d, &c);
}

static void test_scale_one_amount(void)
{
    struct case_dir c;
    struct model m;
    struct jfa_result r;
    struct diag d;

    diag_init(&d);
    case_open(&c);
    CU_ASSERT_EQUAL_FATAL(
        run_changes(&c, amount_model, "budget", "scale = * 110\n", &m, &r, &d),
        0);
    CU_ASSERT_EQUAL(r.budget.base_amount, 110000);
    CU_ASSERT_EQUAL(r.budget.total, 110000);
    CU_ASSERT_EQUAL(r.allocation.pool, 110000);
    CU_ASSERT_EQUAL(r.budget.nlines, 0);
    release_run(&m, &r, &d, &c);
}

static void test_scale_one_line(void)
{
    struct case_dir c;
    struct model m;
    struct jfa_result r;
    struct diag d;

    diag_init(&d);
    case_open(&c);
    CU_ASSERT_EQUAL_FATAL(
        run_changes(&c, run_model, "budget", "scale = L1 50\n", &m, &r, &d),
        0);
    CU_ASSERT_EQUAL_FATAL(r.budget.nlines, 2);
    CU_ASSERT_EQUAL(r.budget.lines[0].amount, 30000);
    CU_ASSERT_EQUAL(r.budget.lines[1].amount, 40000);
    CU_ASSERT_EQUAL(r.budget.total, 70000);
    release_run(&m, &r, &d, &c);
}

/* 0.03 and -0.03 at 50 % are 1.5 and -1.5 cents: 2 and -2. */
static void test_scale_rounds_half_away(void)
{
    struct case_dir c;
    struct model m;
    struct jfa_result r;
    struct diag d;

    diag_init(&d);
    case_open(&c);
    case_write(&c, "odd.csv",
               "line,amount\n"
               "P,0.03\n"
               "N,-0.03\n"
               "Q,100.00\n");
    CU_ASSERT_EQUAL_FATAL(run_changes(&c, run_model, "budget",
                                      "file = odd.csv\n"
                                      "scale = * 50\n",
                                      &m, &r, &d),
                          0);
    CU_ASSERT_EQUAL_FATAL(r.budget.nlines, 3);
    CU_ASSERT_EQUAL(r.budget.lines[0].amount, 2);
    CU_ASSERT_EQUAL(r.budget.lines[1].amount, -2);
    CU_ASSERT_EQUAL(r.budget.lines[2].amount, 5000);
    CU_ASSERT_EQUAL(r.budget.total, 5000);
    release_run(&m, &r, &d, &c);
}

static void test_remove_missing_line(void)
{
    struct case_dir c;
    struct model m;
    struct jfa_result r;
    struct diag d;

    diag_init(&d);
    case_open(&c);
    CU_ASSERT_EQUAL(
        run_changes(&c, run_model, "budget", "remove = ZZ\n", &m, &r, &d), -1);
    check_change_error(&d, &c, "no budget line \"ZZ\"", FIRST_CHANGE_LINE);
    release_run(&m, &r, &d, &c);
}

static void test_scale_missing_line(void)
{
    struct case_dir c;
    struct model m;
    struct jfa_result r;
    struct diag d;

    diag_init(&d);
    case_open(&c);
    CU_ASSERT_EQUAL(run_changes(&c, run_model, "budget",
                                "scale = L1 90\n"
                                "scale = ZZ 90\n",
                                &m, &r, &d),
                    -1);
    CU_ASSERT_EQUAL(count_errors(&d), 1);
    check_change_error(&d, &c, "no budget line \"ZZ\"", FIRST_CHANGE_LINE + 1);
    release_run(&m, &r, &d, &c);
}

static void test_scale_line_of_amount(void)
{
    struct case_dir c;
    struct model m;
    struct jfa_result r;
    struct diag d;

    diag_init(&d);
    case_open(&c);
    CU_ASSERT_EQUAL(
        run_changes(&c, amount_model, "budget", "scale = L1 90\n", &m, &r, &d),
        -1);
    check_change_error(&d, &c, "the budget is one amount", FIRST_CHANGE_LINE);
    release_run(&m, &r, &d, &c);
}

static void test_add_existing_line(void)
{
    struct case_dir c;
    struct model m;
    struct jfa_result r;
    struct diag d;

    diag_init(&d);
    case_open(&c);
    CU_ASSERT_EQUAL(
        run_changes(&c, run_model, "budget", "add = L1 5.00\n", &m, &r, &d),
        -1);
    check_change_error(&d, &c, "budget line \"L1\" exists already",
                       FIRST_CHANGE_LINE);
    release_run(&m, &r, &d, &c);
}

/* A budget line code written in lower case, in the file and in the
 * scenario alike, names the same line. */
static void test_remove_lower_case_line(void)
{
    struct case_dir c;
    struct model m;
    struct jfa_result r;
    struct diag d;

    diag_init(&d);
    case_open(&c);
    case_write(&c, "lower.csv",
               "line,amount\n"
               "a1,600.00\n"
               "a2,400.00\n");
    CU_ASSERT_EQUAL(run_changes(&c, run_model, "budget",
                                "file = lower.csv\n"
                                "remove = a2\n",
                                &m, &r, &d),
                    0);
    CU_ASSERT_EQUAL(r.budget.total, 60000);
    release_run(&m, &r, &d, &c);
}

/* With the budget set as one amount, scale = * scales that amount, also
 * after a line was added: 1000.00 and 100.00 doubled are 2200.00. */
static void test_scale_amount_after_add(void)
{
    struct case_dir c;
    struct model m;
    struct jfa_result r;
    struct diag d;

    diag_init(&d);
    case_open(&c);
    CU_ASSERT_EQUAL(run_changes(&c, amount_model, "budget",
                                "add = X 100.00 Extra\n"
                                "scale = * 200\n",
                                &m, &r, &d),
                    0);
    CU_ASSERT_EQUAL(r.budget.base_amount, 200000);
    CU_ASSERT_EQUAL(r.budget.total, 220000);
    release_run(&m, &r, &d, &c);
}

/* A's 10 persons on rows of 3 and 1 are 7.5 and 2.5.  The leftover
 * person goes to the tie's lower index, A/AFG.  The pool of 1000.00 at
 * 10:4 is 714.2857 and 285.7143, so A takes the leftover cent. */
static void test_set_splits_rows(void)
{
    struct case_dir c;
    struct model m;
    struct jfa_result r;
    struct diag d;

    diag_init(&d);
    case_open(&c);
    CU_ASSERT_EQUAL_FATAL(
        run_changes(&c, run_model, "headcount", "set = A 10\n", &m, &r, &d),
        0);
    CU_ASSERT_EQUAL(cell_count(&r.headcount, "A", "AFG"), 8);
    CU_ASSERT_EQUAL(cell_count(&r.headcount, "A", "BDI"), 2);
    CU_ASSERT_EQUAL(cell_count(&r.headcount, "B", "AFG"), 4);
    CU_ASSERT_EQUAL_FATAL(r.n, 2);
    CU_ASSERT_EQUAL(r.weights[0], 10);
    CU_ASSERT_EQUAL(r.weights[1], 4);
    CU_ASSERT_EQUAL(r.headcount.basis_total, 14);
    CU_ASSERT_EQUAL(r.allocation.amount[0], 71429);
    CU_ASSERT_EQUAL(r.allocation.amount[1], 28571);
    release_run(&m, &r, &d, &c);
}

/* 4 persons less 37.5 % are 2.5, rounded half away from zero to 3,
 * where half to even would give 2.  3 at 3:1 is 2.25 and 0.75, so the
 * leftover person goes to A/BDI. */
static void test_change_rounds_half_away(void)
{
    struct case_dir c;
    struct model m;
    struct jfa_result r;
    struct diag d;

    diag_init(&d);
    case_open(&c);
    CU_ASSERT_EQUAL_FATAL(run_changes(&c, run_model, "headcount",
                                      "change = A -37.5\n", &m, &r, &d),
                          0);
    CU_ASSERT_EQUAL(cell_count(&r.headcount, "A", "AFG"), 2);
    CU_ASSERT_EQUAL(cell_count(&r.headcount, "A", "BDI"), 1);
    CU_ASSERT_EQUAL(cell_count(&r.headcount, "B", "AFG"), 4);
    release_run(&m, &r, &d, &c);
}

/* 4 persons plus 12.5 % are 4.5, so 5.  5 at 3:1 is 3.75 and 1.25. */
static void test_change_rounds_half_up(void)
{
    struct case_dir c;
    struct model m;
    struct jfa_result r;
    struct diag d;

    diag_init(&d);
    case_open(&c);
    CU_ASSERT_EQUAL_FATAL(run_changes(&c, run_model, "headcount",
                                      "change = A +12.5%\n", &m, &r, &d),
                          0);
    CU_ASSERT_EQUAL(cell_count(&r.headcount, "A", "AFG"), 4);
    CU_ASSERT_EQUAL(cell_count(&r.headcount, "A", "BDI"), 1);
    release_run(&m, &r, &d, &c);
}

/* AFG has A 3 and B 4: 10 persons are 4.29 and 5.71, so 4 and 6. */
static void test_set_every_organisation(void)
{
    struct case_dir c;
    struct model m;
    struct jfa_result r;
    struct diag d;

    diag_init(&d);
    case_open(&c);
    CU_ASSERT_EQUAL_FATAL(run_changes(&c, run_model, "headcount",
                                      "set = */AFG 10\n", &m, &r, &d),
                          0);
    CU_ASSERT_EQUAL(cell_count(&r.headcount, "A", "AFG"), 4);
    CU_ASSERT_EQUAL(cell_count(&r.headcount, "B", "AFG"), 6);
    CU_ASSERT_EQUAL(cell_count(&r.headcount, "A", "BDI"), 1);
    release_run(&m, &r, &d, &c);
}

static void test_set_one_row(void)
{
    struct case_dir c;
    struct model m;
    struct jfa_result r;
    struct diag d;

    diag_init(&d);
    case_open(&c);
    CU_ASSERT_EQUAL_FATAL(
        run_changes(&c, run_model, "headcount", "set = A/BDI 5\n", &m, &r, &d),
        0);
    CU_ASSERT_EQUAL(cell_count(&r.headcount, "A", "AFG"), 3);
    CU_ASSERT_EQUAL(cell_count(&r.headcount, "A", "BDI"), 5);
    CU_ASSERT_EQUAL_FATAL(r.n, 2);
    CU_ASSERT_EQUAL(r.weights[0], 8);
    release_run(&m, &r, &d, &c);
}

/* Set to 10 (8 and 2), then 50 % more: 15, exactly 12 and 3.  The other
 * order would give 8 and 2. */
static void test_headcount_changes_in_order(void)
{
    struct case_dir c;
    struct model m;
    struct jfa_result r;
    struct diag d;

    diag_init(&d);
    case_open(&c);
    CU_ASSERT_EQUAL_FATAL(run_changes(&c, run_model, "headcount",
                                      "set = A 10\n"
                                      "change = A 50\n",
                                      &m, &r, &d),
                          0);
    CU_ASSERT_EQUAL(cell_count(&r.headcount, "A", "AFG"), 12);
    CU_ASSERT_EQUAL(cell_count(&r.headcount, "A", "BDI"), 3);
    release_run(&m, &r, &d, &c);
}

static void test_set_unknown_organisation(void)
{
    struct case_dir c;
    struct model m;
    struct jfa_result r;
    struct diag d;

    diag_init(&d);
    case_open(&c);
    CU_ASSERT_EQUAL(
        run_changes(&c, run_model, "headcount", "set = ZZZ 10\n", &m, &r, &d),
        -1);
    check_change_error(&d, &c,
                       "organisation \"ZZZ\" is not in the headcount table",
                       FIRST_CHANGE_LINE);
    release_run(&m, &r, &d, &c);
}

static void test_country_without_rows(void)
{
    struct case_dir c;
    struct model m;
    struct jfa_result r;
    struct diag d;

    diag_init(&d);
    case_open(&c);
    CU_ASSERT_EQUAL(run_changes(&c, run_model, "headcount",
                                "set = A/KEN 5\n"
                                "change = */KEN 10\n",
                                &m, &r, &d),
                    -1);
    CU_ASSERT_EQUAL(count_errors(&d), 2);
    check_change_error(&d, &c, "no headcount rows for A in KEN",
                       FIRST_CHANGE_LINE);
    check_change_error(&d, &c, "no headcount rows for * in KEN",
                       FIRST_CHANGE_LINE + 1);
    release_run(&m, &r, &d, &c);
}

int suite_scenario(void)
{
    static const struct {
        const char *name;
        CU_TestFunc function;
    } tests[] = {
        {"rule key replaced", test_rule_key_replaced},
        {"band list replaced", test_band_list_replaced},
        {"fixed list replaced", test_fixed_list_replaced},
        {"changes in order", test_changes_in_order},
        {"budget change fields", test_budget_change_fields},
        {"headcount change fields", test_headcount_change_fields},
        {"scenario and model names", test_scenario_and_model_names},
        {"model alone keeps name", test_model_alone_keeps_name},
        {"lcssb line splits", test_lcssb_line_splits},
        {"scenario without base", test_scenario_without_base},
        {"base loop rejected", test_base_loop_rejected},
        {"two-file loop rejected", test_two_file_loop_rejected},
        {"paths relative to scenario", test_paths_relative_to_scenario},
        {"error names scenario line", test_error_names_scenario_line},
        {"scenario key twice", test_scenario_key_twice},
        {"stack ignores base", test_stack_ignores_base},
        {"stack in order", test_stack_in_order},
        {"chain of bases", test_chain_of_bases},
        {"invalid change values", test_invalid_change_values},
        {"trailing word rejected", test_trailing_word_rejected},
        {"every invalid change listed", test_every_invalid_change_listed},
        {"invalid amount as written", test_invalid_amount_as_written},
        {"add line grows pool", test_add_line_grows_pool},
        {"remove line shrinks pool", test_remove_line_shrinks_pool},
        {"scale one amount", test_scale_one_amount},
        {"scale one line", test_scale_one_line},
        {"scale rounds half away", test_scale_rounds_half_away},
        {"remove missing line", test_remove_missing_line},
        {"scale missing line", test_scale_missing_line},
        {"scale line of amount", test_scale_line_of_amount},
        {"add existing line", test_add_existing_line},
        {"remove lower-case line", test_remove_lower_case_line},
        {"scale amount after add", test_scale_amount_after_add},
        {"set splits rows", test_set_splits_rows},
        {"change rounds half away", test_change_rounds_half_away},
        {"change rounds half up", test_change_rounds_half_up},
        {"set every organisation", test_set_every_organisation},
        {"set one row", test_set_one_row},
        {"headcount changes in order", test_headcount_changes_in_order},
        {"set unknown organisation", test_set_unknown_organisation},
        {"country without rows", test_country_without_rows},
    };
    CU_pSuite suite = CU_add_suite("scenario", NULL, NULL);

    if (suite == NULL)
        return -1;
    for (size_t i = 0; i < COUNT(tests); i++) {
        if (CU_add_test(suite, tests[i].name, tests[i].function) == NULL)
            return -1;
    }
    return 0;
}
