/*
 * Unit tests of headcount: sums on the total and field bases, ids in byte
 * order of the codes, the headquarters list, duplicate rows and keys
 * merged after normalisation, and the published CEB file of 2019.
 *
 * headcount.csv (tests/unit/data) contains, in persons:
 *   UN 500 (KEN Nairobi), UN-Habitat 12 (KEN Nairobi),
 *   UNDP 200 (USA New York) + 5 (KEN Kisumu),
 *   UNHCR 90 (CHE Geneva) + 60 (KEN Kakuma),
 *   UNICEF 25 (KEN Nairobi) + 300 (USA New York), WFP 40 (KEN Nairobi),
 *   WHO 150 (CHE Geneva): 1,382 in all.
 * headquarters.csv lists New York and Geneva for every organisation,
 * Nairobi for UN and UN-HABITAT only, and Rome, which matches no row.
 */
#include <CUnit/CUnit.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "headcount.h"
#include "model.h"
#include "suites.h"

#define COUNT(array) (sizeof(array) / sizeof((array)[0]))

/* Organisations of headcount.csv in byte order: "-" sorts before
 * letters, and a code sorts before the longer codes it starts. */
static const char *const organisations[] = {
    "UN", "UN-HABITAT", "UNDP", "UNHCR", "UNICEF", "WFP", "WHO",
};

/*
 * Load the model at MODEL_PATH and its headcount, then release the
 * model.  Returns what headcount_load() returns, or -3 when the model
 * does not load.
 */
static int load(struct model *m, struct headcount *h, const char *model_path,
                struct diag *d)
{
    int status;

    memset(h, 0, sizeof *h);
    if (model_load(m, model_path, d) != 0)
        return -3;
    status = headcount_load(h, m, d);
    model_release(m);
    return status;
}

/* Write TEXT to a new temporary file made from the mkstemp template
 * PATH.  Returns 0, or -1 on failure. */
static int write_temp(char *path, const char *text)
{
    int fd = mkstemp(path);
    size_t len = strlen(text);

    if (fd < 0)
        return -1;
    if (write(fd, text, len) != (ssize_t)len) {
        close(fd);
        unlink(path);
        return -1;
    }
    close(fd);
    return 0;
}

/*
 * Load CSV as the headcount table of a total-basis model, both written to
 * temporary files.  Returns what headcount_load() returns, or -3.
 */
static int load_csv_text(struct headcount *h, const char *csv, struct diag *d)
{
    char csv_path[] = "/tmp/costshare-headcount-XXXXXX";
    char model_path[] = "/tmp/costshare-model-XXXXXX";
    char model[512];
    struct model m;
    int status;

    memset(h, 0, sizeof *h);
    if (write_temp(csv_path, csv) != 0)
        return -3;
    snprintf(model, sizeof model,
             "[model]\nname = unit\nkind = jfa\nperiod = 2020\n"
             "currency = USD\n[headcount]\nfile = %s\n[budget]\n"
             "amount = 1000.00\n[rules]\nbasis = total\n",
             csv_path);
    if (write_temp(model_path, model) != 0) {
        unlink(csv_path);
        return -3;
    }
    status = load(&m, h, model_path, d);
    unlink(model_path);
    unlink(csv_path);
    return status;
}

static int64_t all_of(const struct headcount *h, const char *code)
{
    long id = headcount_find_organisation(h, code);

    return id < 0 ? -1 : h->all[id];
}

static int64_t basis_of(const struct headcount *h, const char *code)
{
    long id = headcount_find_organisation(h, code);

    return id < 0 ? -1 : h->basis[id];
}

static int in_basis_of(const struct headcount *h, const char *code)
{
    long id = headcount_find_organisation(h, code);

    return id < 0 ? -1 : h->in_basis[id];
}

static size_t count_level(const struct diag *d, enum diag_level level)
{
    size_t n = 0;

    for (size_t i = 0; i < d->count; i++)
        n += d->entries[i].level == level;
    return n;
}

static void test_ids_in_byte_order(void)
{
    struct model m;
    struct headcount h;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(
        load(&m, &h, "tests/unit/data/headcount-total.ini", &d), 0);
    CU_ASSERT_EQUAL_FATAL(h.norganisations, COUNT(organisations));
    for (size_t i = 0; i < COUNT(organisations); i++) {
        CU_ASSERT_STRING_EQUAL(h.organisations[i], organisations[i]);
        CU_ASSERT_EQUAL(headcount_find_organisation(&h, organisations[i]),
                        (long)i);
    }
    CU_ASSERT_EQUAL(headcount_find_organisation(&h, "UNFPA"), -1);
    CU_ASSERT_EQUAL_FATAL(h.ncountries, 3);
    CU_ASSERT_STRING_EQUAL(h.countries[0], "CHE");
    CU_ASSERT_STRING_EQUAL(h.countries[1], "KEN");
    CU_ASSERT_STRING_EQUAL(h.countries[2], "USA");

    /* Cells follow organisation, then country, then duty station. */
    CU_ASSERT_EQUAL_FATAL(h.ncells, 10);
    for (size_t i = 1; i < h.ncells; i++) {
        const struct headcount_cell *a = &h.cells[i - 1], *b = &h.cells[i];

        CU_ASSERT(
            a->organisation < b->organisation ||
            (a->organisation == b->organisation && a->country <= b->country));
    }
    CU_ASSERT_STRING_EQUAL(h.cells[0].duty_station, "Nairobi");
    CU_ASSERT_EQUAL(h.cells[0].count, 500);
    CU_ASSERT_EQUAL(h.cells[0].line, 10);
    headcount_release(&h);
    diag_release(&d);
}

static void test_total_basis_sums(void)
{
    static const int64_t persons[] = {500, 12, 205, 150, 325, 40, 150};
    struct model m;
    struct headcount h;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(
        load(&m, &h, "tests/unit/data/headcount-total.ini", &d), 0);
    for (size_t i = 0; i < COUNT(organisations); i++) {
        CU_ASSERT_EQUAL(all_of(&h, organisations[i]), persons[i]);
        CU_ASSERT_EQUAL(basis_of(&h, organisations[i]), persons[i]);
        CU_ASSERT_EQUAL(in_basis_of(&h, organisations[i]), 1);
    }
    CU_ASSERT_EQUAL(h.all_total, 1382);
    CU_ASSERT_EQUAL(h.basis_total, 1382);
    CU_ASSERT_EQUAL(h.headquarters_rows, 0);
    CU_ASSERT_STRING_EQUAL(h.headquarters_sha256, "");
    CU_ASSERT_EQUAL(strlen(h.headcount_sha256), 64);

    /* "UN-Habitat" on line 11 is read as UN-HABITAT, with a warning. */
    CU_ASSERT_EQUAL(count_level(&d, DIAG_ERROR), 0);
    CU_ASSERT_EQUAL_FATAL(count_level(&d, DIAG_WARNING), 1);
    CU_ASSERT_EQUAL(d.entries[0].line, 11);
    CU_ASSERT_EQUAL(d.entries[0].column, 1);
    headcount_release(&h);
    diag_release(&d);
}

static void test_field_basis_sums(void)
{
    static const int64_t all[] = {500, 12, 205, 150, 325, 40, 150};
    static const int64_t field[] = {0, 0, 5, 60, 25, 40, 0};
    struct model m;
    struct headcount h;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(
        load(&m, &h, "tests/unit/data/headcount-field.ini", &d), 0);
    CU_ASSERT_EQUAL_FATAL(h.norganisations, COUNT(organisations));
    for (size_t i = 0; i < COUNT(organisations); i++) {
        CU_ASSERT_EQUAL(all_of(&h, organisations[i]), all[i]);
        CU_ASSERT_EQUAL(basis_of(&h, organisations[i]), field[i]);
    }
    CU_ASSERT_EQUAL(h.all_total, 1382);
    CU_ASSERT_EQUAL(h.basis_total, 130);
    CU_ASSERT_EQUAL(h.headquarters_rows, 6);
    CU_ASSERT_EQUAL(h.headquarters_entries, 5);
    CU_ASSERT_EQUAL(strlen(h.headquarters_sha256), 64);
    headcount_release(&h);
    diag_release(&d);
}

static void test_headquarters_only_not_in_basis(void)
{
    struct model m;
    struct headcount h;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(
        load(&m, &h, "tests/unit/data/headcount-field.ini", &d), 0);
    CU_ASSERT_EQUAL(in_basis_of(&h, "UN"), 0);
    CU_ASSERT_EQUAL(in_basis_of(&h, "UN-HABITAT"), 0);
    CU_ASSERT_EQUAL(in_basis_of(&h, "WHO"), 0);
    CU_ASSERT_EQUAL(in_basis_of(&h, "UNDP"), 1);
    CU_ASSERT_EQUAL(in_basis_of(&h, "UNHCR"), 1);
    CU_ASSERT_EQUAL(in_basis_of(&h, "UNICEF"), 1);
    CU_ASSERT_EQUAL(in_basis_of(&h, "WFP"), 1);
    headcount_release(&h);
    diag_release(&d);
}

/* Whether headquarters.csv lists duty STATION as a headquarters of ORG. */
static int listed_as_headquarters(const char *org, const char *station)
{
    if (strcmp(station, "New York") == 0 || strcmp(station, "Geneva") == 0)
        return 1;
    if (strcmp(station, "Nairobi") == 0)
        return strcmp(org, "UN") == 0 || strcmp(org, "UN-HABITAT") == 0;
    return 0;
}

/* "*" marks a duty station for every organisation and a code marks it
 * for one, so Nairobi stays field for WFP and UNICEF. */
static void test_headquarters_star_and_code(void)
{
    struct model m;
    struct headcount h;
    struct diag d;
    size_t rome;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(
        load(&m, &h, "tests/unit/data/headcount-field.ini", &d), 0);
    for (size_t i = 0; i < h.ncells; i++) {
        const struct headcount_cell *c = &h.cells[i];
        const char *org = h.organisations[c->organisation];

        CU_ASSERT_EQUAL(c->headquarters,
                        listed_as_headquarters(org, c->duty_station));
    }

    /* Rome, line 6 of the list, matches no row: a warning, not an error. */
    rome = d.count;
    for (size_t i = 0; i < d.count; i++)
        if (d.entries[i].level == DIAG_WARNING && d.entries[i].line == 6 &&
            strstr(d.entries[i].file, "headquarters.csv") != NULL)
            rome = i;
    CU_ASSERT_NOT_EQUAL(rome, d.count);
    CU_ASSERT_EQUAL(count_level(&d, DIAG_ERROR), 0);
    headcount_release(&h);
    diag_release(&d);
}

static void test_duplicate_rows_rejected(void)
{
    struct model m;
    struct headcount h;
    struct diag d;
    size_t error = 0;

    diag_init(&d);
    CU_ASSERT_EQUAL(
        load(&m, &h, "tests/unit/data/headcount-duplicate.ini", &d), -1);
    CU_ASSERT_EQUAL_FATAL(count_level(&d, DIAG_ERROR), 1);
    while (d.entries[error].level != DIAG_ERROR)
        error++;
    CU_ASSERT_STRING_EQUAL(d.entries[error].file,
                           "tests/unit/data/headcount-duplicate.csv");
    CU_ASSERT_EQUAL(d.entries[error].line, 4);
    CU_ASSERT_EQUAL(d.entries[error].column, 1);
    CU_ASSERT_STRING_EQUAL(d.entries[error].message,
                           "duplicate organisation/country UNICEF/KEN (first "
                           "seen on line 2)");
    headcount_release(&h);
    diag_release(&d);
}

static void test_duplicate_duty_station(void)
{
    struct headcount h;
    struct diag d;
    size_t error = 0;

    diag_init(&d);
    CU_ASSERT_EQUAL(load_csv_text(&h,
                                  "organisation,country,duty_station,"
                                  "headcount\n"
                                  "UNICEF,KEN,Nairobi,10\n"
                                  "UNICEF,KEN,Kisumu,4\n"
                                  "WFP,KEN,Nairobi,5\n"
                                  "UNICEF,KEN,Nairobi,3\n",
                                  &d),
                    -1);
    CU_ASSERT_EQUAL_FATAL(count_level(&d, DIAG_ERROR), 1);
    while (d.entries[error].level != DIAG_ERROR)
        error++;
    CU_ASSERT_EQUAL(d.entries[error].line, 5);
    CU_ASSERT_EQUAL(d.entries[error].column, 1);
    CU_ASSERT_PTR_NOT_NULL(strstr(d.entries[error].message,
                                  "UNICEF/KEN/Nairobi (first seen on line "
                                  "2)"));
    headcount_release(&h);
    diag_release(&d);
}

/* Rows out of order are sorted by organisation, country and duty
 * station, and cells at one duty station share its one copy. */
static void test_unsorted_rows_sorted(void)
{
    static const struct {
        const char *organisation, *country, *station;
        int64_t count;
    } expected[] = {
        {"UNDP", "KEN", "Kisumu", 4},   {"UNDP", "KEN", "Nairobi", 2},
        {"UNDP", "USA", "New York", 7}, {"WFP", "KEN", "Nairobi", 5},
        {"WFP", "UGA", "Kampala", 1},
    };
    struct headcount h;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(load_csv_text(&h,
                                        "organisation,country,duty_station,"
                                        "headcount\n"
                                        "WFP,UGA,Kampala,1\n"
                                        "UNDP,USA,New York,7\n"
                                        "WFP,KEN,Nairobi,5\n"
                                        "UNDP,KEN,Nairobi,2\n"
                                        "UNDP,KEN,Kisumu,4\n",
                                        &d),
                          0);
    CU_ASSERT_EQUAL_FATAL(h.ncells, COUNT(expected));
    CU_ASSERT_EQUAL(h.norganisations, 2);
    CU_ASSERT_EQUAL(h.ncountries, 3);
    CU_ASSERT_EQUAL(h.nduty_stations, 4);
    for (size_t i = 0; i < COUNT(expected); i++) {
        const struct headcount_cell *c = &h.cells[i];

        CU_ASSERT_STRING_EQUAL(h.organisations[c->organisation],
                               expected[i].organisation);
        CU_ASSERT_STRING_EQUAL(h.countries[c->country], expected[i].country);
        CU_ASSERT_STRING_EQUAL(c->duty_station, expected[i].station);
        CU_ASSERT_EQUAL(c->count, expected[i].count);
    }
    CU_ASSERT_PTR_EQUAL(h.cells[1].duty_station, h.cells[3].duty_station);
    headcount_release(&h);
    diag_release(&d);
}

/* Four spellings of one code: plain, quoted with a trailing space, lower
 * case, and a trailing no-break space (U+00A0). */
static void test_key_spellings_merged(void)
{
    struct headcount h;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(load_csv_text(&h,
                                        "organisation,country,headcount\n"
                                        "UNICEF,KEN,5\n"
                                        "\"UNICEF \",UGA,5\n"
                                        "unicef,TZA,5\n"
                                        "UNICEF\xC2\xA0,ETH,5\n"
                                        "WFP,KEN,7\n",
                                        &d),
                          0);
    CU_ASSERT_EQUAL(h.norganisations, 2);
    CU_ASSERT_EQUAL(all_of(&h, "UNICEF"), 20);
    CU_ASSERT_EQUAL(basis_of(&h, "UNICEF"), 20);
    CU_ASSERT_EQUAL(all_of(&h, "WFP"), 7);
    CU_ASSERT_EQUAL(h.basis_total, 27);
    CU_ASSERT_EQUAL(count_level(&d, DIAG_ERROR), 0);
    CU_ASSERT_EQUAL_FATAL(count_level(&d, DIAG_WARNING), 3);
    for (size_t i = 0; i < 3; i++) {
        CU_ASSERT_EQUAL(d.entries[i].line, (long)i + 3);
        CU_ASSERT_EQUAL(d.entries[i].column, 1);
    }
    headcount_release(&h);
    diag_release(&d);
}

static void test_field_needs_duty_station(void)
{
    struct model m;
    struct headcount h;
    struct diag d;

    diag_init(&d);
    CU_ASSERT_EQUAL(
        load(&m, &h, "tests/unit/data/headcount-no-station.ini", &d), -1);
    CU_ASSERT_EQUAL_FATAL(d.count, 1);
    CU_ASSERT_EQUAL(d.entries[0].level, DIAG_ERROR);
    CU_ASSERT_STRING_EQUAL(d.entries[0].file,
                           "tests/unit/data/headcount-no-station.csv");
    CU_ASSERT_EQUAL(d.entries[0].line, 1);
    CU_ASSERT_PTR_NOT_NULL(
        strstr(d.entries[0].message, "duty station column"));
    headcount_release(&h);
    diag_release(&d);
}

/*
 * The CEB file of 31 December 2019, read where it is published beside
 * the project.  The totals were counted independently with Python's csv
 * module: 38 organisations, 192 countries and 114,119 persons, of whom
 * 35,239 are UN.  Without the headquarters duty stations, 77,882 persons
 * remain, in 31 organisations.
 */
static void test_ceb_2019_field_basis(void)
{
    struct model m;
    struct headcount h;
    struct diag d;
    size_t counted = 0;

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(load(&m, &h, "tests/unit/data/ceb-field.ini", &d),
                          0);
    CU_ASSERT_EQUAL(count_level(&d, DIAG_ERROR), 0);
    CU_ASSERT_EQUAL(h.norganisations, 38);
    CU_ASSERT_EQUAL(h.ncountries, 192);
    CU_ASSERT_EQUAL(h.ncells, 3513);
    CU_ASSERT_EQUAL(h.all_total, 114119);
    CU_ASSERT_EQUAL(all_of(&h, "UN"), 35239);
    CU_ASSERT_EQUAL(h.basis_total, 77882);
    for (size_t i = 0; i < h.norganisations; i++)
        counted += (size_t)h.in_basis[i];
    CU_ASSERT_EQUAL(counted, 31);
    CU_ASSERT_EQUAL(h.headquarters_entries, 19);
    headcount_release(&h);
    diag_release(&d);
}

int suite_headcount(void)
{
    static const struct {
        const char *name;
        CU_TestFunc function;
    } tests[] = {
        {"ids in byte order", test_ids_in_byte_order},
        {"total basis sums", test_total_basis_sums},
        {"field basis sums", test_field_basis_sums},
        {"headquarters-only not in basis",
         test_headquarters_only_not_in_basis},
        {"headquarters star and code", test_headquarters_star_and_code},
        {"duplicate rows rejected", test_duplicate_rows_rejected},
        {"duplicate duty station", test_duplicate_duty_station},
        {"unsorted rows sorted", test_unsorted_rows_sorted},
        {"key spellings merged", test_key_spellings_merged},
        {"field needs duty station", test_field_needs_duty_station},
        {"CEB 2019 field basis", test_ceb_2019_field_basis},
    };
    CU_pSuite suite = CU_add_suite("headcount", NULL, NULL);

    if (suite == NULL)
        return -1;
    for (size_t i = 0; i < COUNT(tests); i++) {
        if (CU_add_test(suite, tests[i].name, tests[i].function) == NULL)
            return -1;
    }
    return 0;
}
