/*
 * store: the run history in SQLite, through prepared statements only.
 */
#include "store.h"

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "money.h"
#include "util.h"

struct store {
    sqlite3 *db;
    char *path;
    int version; /* schema version of the file */
};

/* Forward-only migrations: entry K brings a store from version K to
 * K + 1. */
static const char *const migrations[STORE_VERSION] = {
    "CREATE TABLE runs ("
    " id INTEGER PRIMARY KEY,"
    " time TEXT NOT NULL,"
    " model_name TEXT NOT NULL,"
    " kind TEXT NOT NULL,"
    " period TEXT NOT NULL,"
    " scenarios TEXT NOT NULL,"
    " currency TEXT NOT NULL,"
    " decimals INTEGER NOT NULL,"
    " pool INTEGER NOT NULL,"
    " model_text TEXT NOT NULL);"
    "CREATE TABLE inputs ("
    " run_id INTEGER NOT NULL REFERENCES runs(id),"
    " role TEXT NOT NULL,"
    " name TEXT NOT NULL,"
    " sha256 TEXT NOT NULL);"
    "CREATE TABLE amounts ("
    " run_id INTEGER NOT NULL REFERENCES runs(id),"
    " country TEXT NOT NULL,"
    " line TEXT NOT NULL,"
    " organisation TEXT NOT NULL,"
    " headcount INTEGER NOT NULL,"
    " amount INTEGER NOT NULL,"
    " percent INTEGER NOT NULL,"
    " rule TEXT NOT NULL);"
    "CREATE INDEX runs_by_model ON runs(model_name, period);"
    "CREATE INDEX amounts_by_run ON amounts(run_id, organisation);",

    /* Version 2 keeps each run's sums per organisation in totals, so
     * that history and year-on-year read a few rows, not every amount.
     * Nothing reads amounts by run any more, so amounts drops its index
     * and its foreign key, checked on every row.  Together they took
     * more than half of the instructions to insert 21,630 rows
     * (callgrind, SQLite 3.40).  store_begin_run() takes the run_id of
     * amounts from the run it inserts in the same transaction.  The
     * table is rebuilt to drop the foreign key, with its rowids kept. */
    "CREATE TABLE totals ("
    " run_id INTEGER NOT NULL REFERENCES runs(id),"
    " organisation TEXT NOT NULL,"
    " amount INTEGER NOT NULL,"
    " percent INTEGER NOT NULL,"
    " cells INTEGER NOT NULL,"
    " PRIMARY KEY (run_id, organisation)) WITHOUT ROWID;"
    "INSERT INTO totals (run_id, organisation, amount, percent, cells)"
    " SELECT run_id, organisation, SUM(amount), SUM(percent), COUNT(*)"
    " FROM amounts GROUP BY run_id, organisation;"
    "CREATE TABLE amounts_2 ("
    " run_id INTEGER NOT NULL,"
    " country TEXT NOT NULL,"
    " line TEXT NOT NULL,"
    " organisation TEXT NOT NULL,"
    " headcount INTEGER NOT NULL,"
    " amount INTEGER NOT NULL,"
    " percent INTEGER NOT NULL,"
    " rule TEXT NOT NULL);"
    "INSERT INTO amounts_2 (rowid, run_id, country, line, organisation,"
    " headcount, amount, percent, rule)"
    " SELECT rowid, run_id, country, line, organisation, headcount, amount,"
    " percent, rule FROM amounts ORDER BY rowid;"
    "DROP TABLE amounts;"
    "ALTER TABLE amounts_2 RENAME TO amounts;",
};

/* The oldest schema version that store_open_existing() reads. */
#define STORE_OLDEST_READABLE 1

/* Sums per run and organisation: the totals table from version 2, or
 * the same sums computed from amounts in a version-1 store opened for
 * reading only. */
static const char totals_of_version_1[] =
    "(SELECT run_id, organisation, SUM(amount) AS amount,"
    " SUM(percent) AS percent, COUNT(*) AS cells FROM amounts"
    " GROUP BY run_id, organisation)";

static int fail(struct store *s, struct diag *d, const char *what)
{
    diag_error(d, s->path, 0, 0, "%s: %s", what, sqlite3_errmsg(s->db));
    return -2;
}

static int exec(struct store *s, const char *sql, struct diag *d)
{
    char *message = NULL;

    if (sqlite3_exec(s->db, sql, NULL, NULL, &message) == SQLITE_OK)
        return 0;
    diag_error(d, s->path, 0, 0, "database error: %s",
               message ? message : sqlite3_errmsg(s->db));
    sqlite3_free(message);
    return -2;
}

static int user_version(struct store *s, int *version, struct diag *d)
{
    sqlite3_stmt *st;
    int rc;

    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &st, NULL) !=
        SQLITE_OK)
        return fail(s, d, "cannot read the schema version");
    rc = sqlite3_step(st);
    *version = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
    sqlite3_finalize(st);
    return rc == SQLITE_ROW ? 0 : fail(s, d, "cannot read the schema version");
}

/* Bring the schema to STORE_VERSION, every step in one transaction, so
 * that a failed step leaves the file as it was. */
static int migrate(struct store *s, struct diag *d)
{
    int version;

    if (exec(s, "BEGIN IMMEDIATE", d) != 0)
        return -2;
    if (user_version(s, &version, d) != 0) {
        exec(s, "ROLLBACK", d);
        return -2;
    }
    if (version > STORE_VERSION) {
        exec(s, "ROLLBACK", d);
        diag_error(d, s->path, 0, 0,
                   "the store has schema version %d, newer than the %d "
                   "this costshare knows; use a newer costshare or "
                   "another --db",
                   version, STORE_VERSION);
        return -1;
    }
    for (; version < STORE_VERSION; version++) {
        char pragma[64];

        snprintf(pragma, sizeof pragma, "PRAGMA user_version = %d",
                 version + 1);
        if (exec(s, migrations[version], d) != 0 || exec(s, pragma, d) != 0) {
            exec(s, "ROLLBACK", d);
            return -2;
        }
    }
    s->version = STORE_VERSION;
    return exec(s, "COMMIT", d);
}

/*
 * Put the store in WAL mode, retrying up to the busy timeout.  SQLite
 * skips the busy handler where a wait could deadlock (see the
 * sqlite3_busy_handler() documentation), and two processes that switch
 * one new file to WAL at once meet that case.
 */
static int set_wal(struct store *s, struct diag *d)
{
    int rc;

    for (int waited = 0;; waited++) {
        rc =
            sqlite3_exec(s->db, "PRAGMA journal_mode = WAL", NULL, NULL, NULL);
        if ((rc & 0xff) != SQLITE_BUSY || waited >= STORE_BUSY_TIMEOUT)
            break;
        sqlite3_sleep(1);
    }
    return rc == SQLITE_OK ? 0 : fail(s, d, "database error");
}

int store_open(struct store **out, const char *path, struct diag *d)
{
    struct store *s = xcalloc(1, sizeof *s);
    int status;

    s->path = xstrdup(path);
    /* One thread uses each connection, so SQLite's own mutexes only cost
     * time. */
    if (sqlite3_open_v2(path, &s->db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
                            SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        status = fail(s, d, "cannot open the store");
        store_close(s);
        return status;
    }
    sqlite3_busy_timeout(s->db, STORE_BUSY_TIMEOUT);
    status = set_wal(s, d);
    if (status == 0)
        status = exec(s, "PRAGMA foreign_keys = ON", d);
    if (status == 0)
        status = migrate(s, d);
    if (status != 0) {
        store_close(s);
        return status;
    }
    *out = s;
    return 0;
}

int store_open_existing(struct store **out, const char *path, struct diag *d)
{
    struct store *s;
    int version;

    *out = NULL;
    if (access(path, F_OK) != 0)
        return 1;
    s = xcalloc(1, sizeof *s);
    s->path = xstrdup(path);
    /* The busy timeout is set before the first read: two readers that
     * open a WAL file at once may find it busy for a moment. */
    if (sqlite3_open_v2(path, &s->db,
                        SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK ||
        sqlite3_busy_timeout(s->db, STORE_BUSY_TIMEOUT) != SQLITE_OK ||
        user_version(s, &version, d) != 0) {
        if (s->db != NULL && d->errors == 0)
            fail(s, d, "cannot open the store");
        store_close(s);
        return -2;
    }
    if (version > STORE_VERSION) {
        diag_error(d, path, 0, 0,
                   "the store has schema version %d, newer than the %d "
                   "this costshare knows; use a newer costshare",
                   version, STORE_VERSION);
        store_close(s);
        return -1;
    }
    if (version < STORE_OLDEST_READABLE) {
        diag_error(d, path, 0, 0,
                   "not a costshare store (schema version %d, expected "
                   "%d to %d)",
                   version, STORE_OLDEST_READABLE, STORE_VERSION);
        store_close(s);
        return -1;
    }
    /* An older store is read as it is and migrated by the next run. */
    s->version = version;
    *out = s;
    return 0;
}

void store_close(struct store *s)
{
    if (s == NULL)
        return;
    sqlite3_close(s->db);
    free(s->path);
    free(s);
}

static void now_utc(char buf[32])
{
    time_t t = time(NULL);
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int insert_inputs(struct store *s, sqlite3_int64 id,
                         const struct store_run *run, struct diag *d)
{
    sqlite3_stmt *st;
    int rc = SQLITE_DONE;

    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO inputs (run_id, role, name, sha256) "
                           "VALUES (?, ?, ?, ?)",
                           -1, &st, NULL) != SQLITE_OK)
        return fail(s, d, "cannot record the inputs");
    for (size_t i = 0; i < run->ninputs && rc == SQLITE_DONE; i++) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_text(st, 2, run->inputs[i].role, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, run->inputs[i].name, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, run->inputs[i].sha256, -1, SQLITE_STATIC);
        rc = sqlite3_step(st);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 0 : fail(s, d, "cannot record the inputs");
}

/* Amount rows per INSERT statement: one statement per row spends more
 * on running the statement than on the row itself, while compiling a
 * statement of many rows costs as much as running it several times.
 * 64 rows of 8 parameters stay far below the default limit of 32,766
 * parameters of SQLite 3.32 and later. */
#define AMOUNT_ROWS_PER_INSERT 64
#define AMOUNT_COLUMNS 8

/* Build the text of an INSERT of ROWS amount rows; the caller frees it. */
static char *amounts_insert_sql(size_t rows)
{
    static const char head[] =
        "INSERT INTO amounts (run_id, country, line, organisation, "
        "headcount, amount, percent, rule) VALUES ";
    static const char row[] = "(?,?,?,?,?,?,?,?)";
    char *sql = xcalloc(1, sizeof head + rows * sizeof row);
    char *end = sql + sizeof head - 1;

    memcpy(sql, head, sizeof head);
    for (size_t i = 0; i < rows; i++) {
        if (i > 0)
            *end++ = ',';
        memcpy(end, row, sizeof row);
        end += sizeof row - 1;
    }
    return sql;
}

/* Insert the N amount rows from AMOUNTS with the statement ST of ROWS
 * rows: N / ROWS executions, so N must be a multiple of ROWS. */
static int insert_amount_rows(sqlite3_stmt *st, size_t rows, sqlite3_int64 id,
                              const struct store_amount *amounts, size_t n)
{
    int rc = SQLITE_DONE;

    for (size_t done = 0; done < n && rc == SQLITE_DONE; done += rows) {
        for (size_t i = 0; i < rows; i++) {
            const struct store_amount *a = &amounts[done + i];
            int first = (int)(i * AMOUNT_COLUMNS) + 1;

            sqlite3_bind_int64(st, first, id);
            sqlite3_bind_text(st, first + 1, a->country, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, first + 2, a->line, -1, SQLITE_STATIC);
            sqlite3_bind_text(st, first + 3, a->organisation, -1,
                              SQLITE_STATIC);
            sqlite3_bind_int64(st, first + 4, a->headcount);
            sqlite3_bind_int64(st, first + 5, a->amount);
            sqlite3_bind_int64(st, first + 6, a->percent);
            sqlite3_bind_text(st, first + 7, a->rule, -1, SQLITE_STATIC);
        }
        rc = sqlite3_step(st);
        sqlite3_reset(st);
    }
    return rc;
}

/* Insert the amount rows of RUN in their order: AMOUNT_ROWS_PER_INSERT
 * at a time, then the rest one at a time. */
static int insert_amounts(struct store *s, sqlite3_int64 id,
                          const struct store_run *run, struct diag *d)
{
    size_t rest = run->namounts % AMOUNT_ROWS_PER_INSERT;
    size_t batched = run->namounts - rest;
    sqlite3_stmt *st;
    int rc = SQLITE_DONE;

    if (batched > 0) {
        char *sql = amounts_insert_sql(AMOUNT_ROWS_PER_INSERT);

        rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
        free(sql);
        if (rc != SQLITE_OK)
            return fail(s, d, "cannot record the amounts");
        rc = insert_amount_rows(st, AMOUNT_ROWS_PER_INSERT, id, run->amounts,
                                batched);
        sqlite3_finalize(st);
    }
    if (rc == SQLITE_DONE && rest > 0) {
        char *sql = amounts_insert_sql(1);

        rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
        free(sql);
        if (rc != SQLITE_OK)
            return fail(s, d, "cannot record the amounts");
        rc = insert_amount_rows(st, 1, id, run->amounts + batched, rest);
        sqlite3_finalize(st);
    }
    return rc == SQLITE_DONE ? 0 : fail(s, d, "cannot record the amounts");
}

/* The sums of one organisation's amount rows in a run. */
struct total {
    const char *organisation;
    int64_t amount;  /* minor units */
    int64_t percent; /* 10^-4 per cent */
    int64_t cells;   /* amount rows */
};

/* Find CODE in the N totals sorted by code, or where it goes. */
static size_t find_total(const struct total *totals, size_t n,
                         const char *code, int *found)
{
    size_t low = 0, high = n;

    *found = 0;
    while (low < high) {
        size_t middle = low + (high - low) / 2;
        int order = strcmp(totals[middle].organisation, code);

        if (order == 0) {
            *found = 1;
            return middle;
        }
        if (order < 0)
            low = middle + 1;
        else
            high = middle;
    }
    return low;
}

/*
 * Sum the amounts of RUN per organisation into *TOTALS (free it), in
 * byte order of the code, as SUM() and COUNT(*) grouped by organisation
 * would.  Returns the number of organisations, or -1 when a sum
 * overflows 64 bits (*TOTALS NULL).
 */
static long sum_by_organisation(const struct store_run *run,
                                struct total **totals)
{
    struct total *list = NULL;
    size_t n = 0, at = 0;

    for (size_t i = 0; i < run->namounts; i++) {
        const struct store_amount *a = &run->amounts[i];
        int found = 1;

        /* Rows of one organisation often follow each other. */
        if (n == 0 || (list[at].organisation != a->organisation &&
                       strcmp(list[at].organisation, a->organisation) != 0))
            at = find_total(list, n, a->organisation, &found);
        if (!found) {
            list = xreallocarray(list, n + 1, sizeof *list);
            memmove(&list[at + 1], &list[at], (n - at) * sizeof *list);
            memset(&list[at], 0, sizeof *list);
            list[at].organisation = a->organisation;
            n++;
        }
        if (money_add(list[at].amount, a->amount, &list[at].amount) != 0 ||
            money_add(list[at].percent, a->percent, &list[at].percent) != 0) {
            free(list);
            *totals = NULL;
            return -1;
        }
        list[at].cells++;
    }
    *totals = list;
    return (long)n;
}

static int insert_totals(struct store *s, sqlite3_int64 id,
                         const struct store_run *run, struct diag *d)
{
    struct total *totals;
    long n = sum_by_organisation(run, &totals);
    sqlite3_stmt *st;
    int rc = SQLITE_DONE;

    if (n < 0) {
        diag_error(d, s->path, 0, 0,
                   "cannot record the totals: the sum of an "
                   "organisation's amounts overflows 64 bits");
        return -2;
    }
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO totals (run_id, organisation, "
                           "amount, percent, cells) VALUES (?, ?, ?, ?, ?)",
                           -1, &st, NULL) != SQLITE_OK) {
        free(totals);
        return fail(s, d, "cannot record the totals");
    }
    for (long i = 0; i < n && rc == SQLITE_DONE; i++) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_text(st, 2, totals[i].organisation, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 3, totals[i].amount);
        sqlite3_bind_int64(st, 4, totals[i].percent);
        sqlite3_bind_int64(st, 5, totals[i].cells);
        rc = sqlite3_step(st);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
    free(totals);
    return rc == SQLITE_DONE ? 0 : fail(s, d, "cannot record the totals");
}

int store_begin_run(struct store *s, const struct store_run *run,
                    struct diag *d)
{
    sqlite3_stmt *st;
    char time_text[32];
    sqlite3_int64 id;
    int rc;

    if (exec(s, "BEGIN IMMEDIATE", d) != 0)
        return -2;
    now_utc(time_text);
    if (sqlite3_prepare_v2(s->db,
                           "INSERT INTO runs (time, model_name, kind, period, "
                           "scenarios, currency, decimals, pool, model_text) "
                           "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                           -1, &st, NULL) != SQLITE_OK) {
        fail(s, d, "cannot record the run");
        store_rollback(s);
        return -2;
    }
    sqlite3_bind_text(st, 1, time_text, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, run->model_name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 3, run->kind, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 4, run->period, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 5, run->scenarios, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 6, run->currency, -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 7, (int)run->decimals);
    sqlite3_bind_int64(st, 8, run->pool);
    sqlite3_bind_text(st, 9, run->model_text, -1, SQLITE_STATIC);
    rc = sqlite3_step(st);
    sqlite3_finalize(st);
    id = sqlite3_last_insert_rowid(s->db);
    if (rc != SQLITE_DONE || insert_inputs(s, id, run, d) != 0 ||
        insert_amounts(s, id, run, d) != 0 ||
        insert_totals(s, id, run, d) != 0) {
        if (rc != SQLITE_DONE)
            fail(s, d, "cannot record the run");
        store_rollback(s);
        return -2;
    }
    return 0;
}

int store_commit(struct store *s, struct diag *d)
{
    if (exec(s, "COMMIT", d) == 0)
        return 0;
    store_rollback(s);
    return -2;
}

void store_rollback(struct store *s)
{
    sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
}

/* Return whether period A comes before period B: as years when both
 * start with four digits, else in byte order. */
static int period_before(const char *a, const char *b)
{
    long x = strtol(a, NULL, 10), y = strtol(b, NULL, 10);

    if (x > 0 && y > 0 && x != y)
        return x < y;
    return strcmp(a, b) < 0;
}

/* Return the table, or the subquery, of sums per run and organisation
 * that the schema of S has. */
static const char *totals_table(const struct store *s)
{
    return s->version >= 2 ? "totals" : totals_of_version_1;
}

static char *column_text(sqlite3_stmt *st, int column)
{
    const unsigned char *text = sqlite3_column_text(st, column);

    return xstrdup(text ? (const char *)text : "");
}

int store_previous(struct store *s, const char *model_name,
                   const char *currency, const char *period,
                   struct store_totals *t, struct diag *d)
{
    sqlite3_stmt *st;
    char *best_period = NULL, *sql;
    long best = 0;
    int rc;

    memset(t, 0, sizeof *t);
    if (sqlite3_prepare_v2(s->db,
                           "SELECT id, period, pool FROM runs "
                           "WHERE model_name = ? AND currency = ? "
                           "ORDER BY id",
                           -1, &st, NULL) != SQLITE_OK)
        return fail(s, d, "cannot read the history");
    sqlite3_bind_text(st, 1, model_name, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, currency, -1, SQLITE_STATIC);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        const char *p = (const char *)sqlite3_column_text(st, 1);

        if (p == NULL || !period_before(p, period))
            continue;
        if (best_period != NULL && period_before(p, best_period))
            continue;
        free(best_period);
        best_period = xstrdup(p);
        best = (long)sqlite3_column_int64(st, 0);
        t->pool = sqlite3_column_int64(st, 2);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        free(best_period);
        return fail(s, d, "cannot read the history");
    }
    if (best_period == NULL)
        return 0;

    t->run_id = best;
    t->period = best_period;
    sql = xasprintf("SELECT organisation, amount FROM %s t "
                    "WHERE run_id = ? ORDER BY organisation",
                    totals_table(s));
    rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);
    free(sql);
    if (rc != SQLITE_OK)
        return fail(s, d, "cannot read the history");
    sqlite3_bind_int64(st, 1, best);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        t->codes = xreallocarray(t->codes, t->n + 1, sizeof *t->codes);
        t->amounts = xreallocarray(t->amounts, t->n + 1, sizeof *t->amounts);
        t->codes[t->n] = column_text(st, 0);
        t->amounts[t->n] = sqlite3_column_int64(st, 1);
        t->n++;
    }
    sqlite3_finalize(st);
    return rc == SQLITE_DONE ? 1 : fail(s, d, "cannot read the history");
}

void store_totals_release(struct store_totals *t)
{
    for (size_t i = 0; i < t->n; i++)
        free(t->codes[i]);
    free(t->codes);
    free(t->amounts);
    free(t->period);
    memset(t, 0, sizeof *t);
}

long store_history(struct store *s, const char *model_name,
                   const char *organisation, struct store_row **rows,
                   struct diag *d)
{
    /* A run without rows of the organisation gets NULL sums, read as
     * 0, and a cell count of 0. */
    char *sql = xasprintf(
        "SELECT r.id, r.time, r.model_name, r.kind, r.period, r.scenarios,"
        " r.currency, r.decimals, r.pool, t.amount, t.percent, t.cells"
        " FROM runs r LEFT JOIN %s t"
        " ON t.run_id = r.id AND t.organisation = ?1"
        " WHERE (?2 IS NULL OR r.model_name = ?2)"
        " ORDER BY r.period, r.id",
        totals_table(s));
    sqlite3_stmt *st;
    long n = 0;
    int rc = sqlite3_prepare_v2(s->db, sql, -1, &st, NULL);

    free(sql);
    *rows = NULL;
    if (rc != SQLITE_OK)
        return fail(s, d, "cannot read the history");
    sqlite3_bind_text(st, 1, organisation ? organisation : "", -1,
                      SQLITE_STATIC);
    if (model_name)
        sqlite3_bind_text(st, 2, model_name, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 2);
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        struct store_row *r;

        if (organisation && sqlite3_column_int64(st, 11) == 0)
            continue;
        *rows = xreallocarray(*rows, (size_t)n + 1, sizeof **rows);
        r = &(*rows)[n++];
        r->run_id = (long)sqlite3_column_int64(st, 0);
        r->time = column_text(st, 1);
        r->model_name = column_text(st, 2);
        r->kind = column_text(st, 3);
        r->period = column_text(st, 4);
        r->scenarios = column_text(st, 5);
        r->currency = column_text(st, 6);
        r->decimals = (unsigned)sqlite3_column_int(st, 7);
        r->pool = sqlite3_column_int64(st, 8);
        r->amount = sqlite3_column_int64(st, 9);
        r->percent = sqlite3_column_int64(st, 10);
    }
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) {
        store_rows_release(*rows, n);
        *rows = NULL;
        return fail(s, d, "cannot read the history");
    }
    return n;
}

void store_rows_release(struct store_row *rows, long n)
{
    for (long i = 0; i < n; i++) {
        free(rows[i].time);
        free(rows[i].model_name);
        free(rows[i].kind);
        free(rows[i].period);
        free(rows[i].scenarios);
        free(rows[i].currency);
    }
    free(rows);
}
