/*
 * Unit tests of store: the sums per organisation recorded with a run
 * (rows out of order, one code at several addresses, an overflow), the
 * amount rows inserted many to a statement, and a newer schema rejected.
 * Each case works on a store in its own mkdtemp folder.
 */
#include <CUnit/CUnit.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "store.h"
#include "suites.h"

#define COUNT(array) (sizeof(array) / sizeof((array)[0]))

/* A mkdtemp folder with the store of one case. */
struct store_case {
    char dir[40];
    char path[64];
    int ok;
};

static void case_open(struct store_case *c)
{
    memset(c, 0, sizeof *c);
    strcpy(c->dir, "/tmp/costshare-store-XXXXXX");
    c->ok = mkdtemp(c->dir) != NULL;
    snprintf(c->path, sizeof c->path, "%s/costshare.db", c->dir);
}

static void case_close(struct store_case *c)
{
    static const char *const suffixes[] = {"", "-wal", "-shm"};
    char path[80];

    for (size_t i = 0; i < COUNT(suffixes); i++) {
        snprintf(path, sizeof path, "%s%s", c->path, suffixes[i]);
        unlink(path);
    }
    rmdir(c->dir);
}

/* Record a JFA-like run of PERIOD with the N rows AMOUNTS and commit it.
 * Returns what store_begin_run() or store_commit() returned. */
static int record(const char *path, const char *period,
                  const struct store_amount *amounts, size_t n)
{
    struct store_input input = {"model", "unit.ini", "00"};
    struct store_run run = {"unit-store", "jfa",    period, "", "USD",   2,
                            1000000,      "; unit", &input, 1,  amounts, n};
    struct store *s = NULL;
    struct diag d;
    int status;

    diag_init(&d);
    status = store_open(&s, path, &d);
    if (status == 0) {
        status = store_begin_run(s, &run, &d);
        if (status == 0)
            status = store_commit(s, &d);
    }
    store_close(s);
    diag_release(&d);
    return status;
}

/* Read the history of ORGANISATION into *ROWS.  Returns the number of
 * rows, or a negative number when the store cannot be read. */
static long history_of(const char *path, const char *organisation,
                       struct store_row **rows)
{
    struct store *s = NULL;
    struct diag d;
    long n = -1;

    *rows = NULL;
    diag_init(&d);
    if (store_open_existing(&s, path, &d) == 0)
        n = store_history(s, NULL, organisation, rows, &d);
    store_close(s);
    diag_release(&d);
    return n;
}

/* Return the one integer that SQL selects from the file at PATH, or -1. */
static long long query_number(const char *path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    long long value = -1;

    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        value = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return value;
}

static void test_totals_sum_per_organisation(void)
{
    /* UN at two addresses, the codes out of byte order. */
    static char un_first[] = "UN", un_second[] = "UN";
    const struct store_amount amounts[] = {
        {"KEN", "SEC", "WFP", 3, 100, 10, "pro_rata"},
        {"KEN", "SEC", un_first, 5, 250, 20, "pro_rata"},
        {"UGA", "SOC", "ILO", 1, 1, 0, "pro_rata"},
        {"UGA", "SOC", un_second, 2, 50, 5, "floor"},
        {"UGA", "SEC", "WFP", 1, 7, 1, "pro_rata"},
        {"UGA", "SEC", "AAA", 0, 0, 0, "pro_rata"},
    };
    struct store_case c;
    struct store_row *rows;
    struct store_totals t;
    struct store *s = NULL;
    struct diag d;

    case_open(&c);
    CU_ASSERT_FATAL(c.ok);
    CU_ASSERT_EQUAL_FATAL(record(c.path, "2023", amounts, COUNT(amounts)), 0);

    CU_ASSERT_EQUAL(history_of(c.path, "UN", &rows), 1);
    CU_ASSERT_EQUAL(rows[0].amount, 300);
    CU_ASSERT_EQUAL(rows[0].percent, 25);
    store_rows_release(rows, 1);
    CU_ASSERT_EQUAL(history_of(c.path, "WFP", &rows), 1);
    CU_ASSERT_EQUAL(rows[0].amount, 107);
    CU_ASSERT_EQUAL(rows[0].percent, 11);
    store_rows_release(rows, 1);
    /* A row of 0.00 still charges the organisation. */
    CU_ASSERT_EQUAL(history_of(c.path, "AAA", &rows), 1);
    CU_ASSERT_EQUAL(rows[0].amount, 0);
    store_rows_release(rows, 1);
    CU_ASSERT_EQUAL(history_of(c.path, "ZZZ", &rows), 0);
    store_rows_release(rows, 0);

    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(store_open_existing(&s, c.path, &d), 0);
    CU_ASSERT_EQUAL(store_previous(s, "unit-store", "USD", "2024", &t, &d), 1);
    CU_ASSERT_EQUAL_FATAL(t.n, 4);
    CU_ASSERT_STRING_EQUAL(t.codes[0], "AAA");
    CU_ASSERT_STRING_EQUAL(t.codes[1], "ILO");
    CU_ASSERT_STRING_EQUAL(t.codes[2], "UN");
    CU_ASSERT_STRING_EQUAL(t.codes[3], "WFP");
    CU_ASSERT_EQUAL(t.amounts[0], 0);
    CU_ASSERT_EQUAL(t.amounts[1], 1);
    CU_ASSERT_EQUAL(t.amounts[2], 300);
    CU_ASSERT_EQUAL(t.amounts[3], 107);
    CU_ASSERT_EQUAL(t.pool, 1000000);
    store_totals_release(&t);
    store_close(s);
    diag_release(&d);
    CU_ASSERT_EQUAL(query_number(c.path, "SELECT SUM(cells) FROM totals"), 6);
    case_close(&c);
}

static void test_totals_overflow_rejected(void)
{
    const struct store_amount amounts[] = {
        {"", "", "UN", 1, INT64_MAX / 2 + 1, 0, "pro_rata"},
        {"", "", "UN", 1, INT64_MAX / 2 + 1, 0, "pro_rata"},
    };
    struct store_case c;
    struct store_row *rows;

    case_open(&c);
    CU_ASSERT_FATAL(c.ok);
    CU_ASSERT_EQUAL(record(c.path, "2023", amounts, COUNT(amounts)), -2);
    CU_ASSERT_EQUAL(history_of(c.path, NULL, &rows), 0);
    store_rows_release(rows, 0);
    CU_ASSERT_EQUAL(query_number(c.path, "SELECT COUNT(*) FROM amounts"), 0);
    case_close(&c);
}

/* Counts around the 64 rows of one INSERT: every row is stored, in its
 * order. */
static void test_amount_rows_all_stored(void)
{
    static const size_t counts[] = {0, 1, 63, 64, 65, 129, 200};
    struct store_case c;
    long long stored = 0;

    case_open(&c);
    CU_ASSERT_FATAL(c.ok);
    for (size_t k = 0; k < COUNT(counts); k++) {
        struct store_amount *amounts = calloc(counts[k] + 1, sizeof *amounts);
        char sql[160];

        CU_ASSERT_FATAL(amounts != NULL);
        for (size_t i = 0; i < counts[k]; i++) {
            amounts[i].country = "KEN";
            amounts[i].line = "SEC";
            amounts[i].organisation = i % 2 ? "UN" : "WFP";
            amounts[i].headcount = (int64_t)i;
            amounts[i].amount = 1;
            amounts[i].rule = "pro_rata";
        }
        CU_ASSERT_EQUAL(record(c.path, "2023", amounts, counts[k]), 0);
        free(amounts);
        stored += (long long)counts[k];
        CU_ASSERT_EQUAL(query_number(c.path, "SELECT COUNT(*) FROM amounts"),
                        stored);
        /* Row I of the run has headcount I. */
        snprintf(sql, sizeof sql,
                 "SELECT COUNT(*) FROM amounts WHERE run_id = %zu AND "
                 "headcount = rowid - %lld - 1",
                 k + 1, stored - (long long)counts[k]);
        CU_ASSERT_EQUAL(query_number(c.path, sql), (long long)counts[k]);
        snprintf(sql, sizeof sql,
                 "SELECT COALESCE(SUM(cells), 0) FROM totals WHERE "
                 "run_id = %zu",
                 k + 1);
        CU_ASSERT_EQUAL(query_number(c.path, sql), (long long)counts[k]);
    }
    case_close(&c);
}

static void test_newer_schema_rejected(void)
{
    struct store_case c;
    struct store *s = NULL;
    struct diag d;
    sqlite3 *db = NULL;

    case_open(&c);
    CU_ASSERT_FATAL(c.ok);
    CU_ASSERT_EQUAL_FATAL(record(c.path, "2023", NULL, 0), 0);
    CU_ASSERT_EQUAL_FATAL(sqlite3_open(c.path, &db), SQLITE_OK);
    CU_ASSERT_EQUAL(
        sqlite3_exec(db, "PRAGMA user_version = 3", NULL, NULL, NULL),
        SQLITE_OK);
    sqlite3_close(db);

    diag_init(&d);
    CU_ASSERT_EQUAL(store_open(&s, c.path, &d), -1);
    CU_ASSERT_EQUAL(d.errors, 1);
    diag_release(&d);
    diag_init(&d);
    CU_ASSERT_EQUAL(store_open_existing(&s, c.path, &d), -1);
    CU_ASSERT_PTR_NULL(s);
    CU_ASSERT_EQUAL(d.errors, 1);
    diag_release(&d);
    CU_ASSERT_EQUAL(query_number(c.path, "PRAGMA user_version"), 3);
    case_close(&c);
}

int suite_store(void)
{
    static const struct {
        const char *name;
        CU_TestFunc function;
    } tests[] = {
        {"totals sum per organisation", test_totals_sum_per_organisation},
        {"totals overflow rejected", test_totals_overflow_rejected},
        {"amount rows all stored", test_amount_rows_all_stored},
        {"newer schema rejected", test_newer_schema_rejected},
    };
    CU_pSuite suite = CU_add_suite("store", NULL, NULL);

    if (suite == NULL)
        return -1;
    for (size_t i = 0; i < COUNT(tests); i++) {
        if (CU_add_test(suite, tests[i].name, tests[i].function) == NULL)
            return -1;
    }
    return 0;
}
