/*
 * store: the run history in an SQLite file (costshare.db by default).
 *
 * The schema is versioned with PRAGMA user_version and migrated forward
 * only, all steps in one transaction; a file from a newer costshare is
 * rejected.  Version 2 adds the sums per run and organisation (table
 * totals), which history and year-on-year read.  Each run is recorded
 * in one transaction, so a failed run leaves no rows.  The file is in WAL
 * mode with a busy timeout, so two runs at once on one store both
 * succeed.
 */
#ifndef COSTSHARE_STORE_H
#define COSTSHARE_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

/* Schema version this costshare writes. */
#define STORE_VERSION 2

/* Milliseconds to wait for another writer before failing. */
#define STORE_BUSY_TIMEOUT 10000

struct store;

/* An input file of a run. */
struct store_input {
    const char *role; /* "model", "headcount", "budget", ... */
    const char *name; /* path as shown */
    const char *sha256;
};

/* One organisation's result; COUNTRY and LINE are "" for a JFA pool. */
struct store_amount {
    const char *country;
    const char *line;
    const char *organisation;
    int64_t headcount; /* persons */
    int64_t amount;    /* minor units */
    int64_t percent;   /* 10^-4 per cent; 0 for LCSSB cells */
    const char *rule;
};

struct store_run {
    const char *model_name; /* the [model] name */
    const char *kind;
    const char *period;
    const char *scenarios; /* names joined by ", "; "" for none */
    const char *currency;
    unsigned decimals;
    int64_t pool; /* minor units */
    const char *model_text;
    const struct store_input *inputs;
    size_t ninputs;
    const struct store_amount *amounts; /* per organisation, or per
                                           country, line, organisation */
    size_t namounts;
};

/* Amounts per organisation of one stored run. */
struct store_totals {
    long run_id;
    char *period;
    int64_t pool;
    char **codes;     /* byte order */
    int64_t *amounts; /* minor units */
    size_t n;
};

/* One row of the history. */
struct store_row {
    long run_id;
    char *time, *model_name, *kind, *period, *scenarios, *currency;
    unsigned decimals;
    int64_t pool;
    int64_t amount, percent; /* of the organisation asked for, or 0 */
};

/*
 * Open or create the store at PATH and bring its schema to
 * STORE_VERSION.  Returns 0 with *S set, -1 when the file is from a newer
 * costshare, or -2 on a database error (message in D).
 */
int store_open(struct store **s, const char *path, struct diag *d);

/*
 * Open the existing store at PATH for reading only, as history and
 * statement do.  A version-1 store is read as it is, its sums computed
 * from the amounts, and left for the next run to migrate.  Returns 0 with
 * *S set, 1 when there is no store there (*S NULL), -1 when it is from a
 * newer costshare or not a store, or -2.
 */
int store_open_existing(struct store **s, const char *path, struct diag *d);

/* Close S; store_close(NULL) does nothing. */
void store_close(struct store *s);

/*
 * Begin recording RUN: its rows, and its sums per organisation, are
 * written in a transaction that store_commit() or store_rollback() ends.
 * Returns 0 or -2.
 */
int store_begin_run(struct store *s, const struct store_run *run,
                    struct diag *d);
int store_commit(struct store *s, struct diag *d);
void store_rollback(struct store *s);

/*
 * Find the latest run of MODEL_NAME in CURRENCY for the latest period
 * before PERIOD (compared as numbers when both are years, else as text).
 * Returns 1 with T filled, 0 when there is none, or -2.
 */
int store_previous(struct store *s, const char *model_name,
                   const char *currency, const char *period,
                   struct store_totals *t, struct diag *d);

void store_totals_release(struct store_totals *t);

/*
 * List the runs, oldest first, of MODEL_NAME (or every model when NULL);
 * with ORGANISATION, only the runs that charged it, with its amount and
 * share.  Returns the number of rows in *ROWS (release with
 * store_rows_release()), or -2.
 */
long store_history(struct store *s, const char *model_name,
                   const char *organisation, struct store_row **rows,
                   struct diag *d);

void store_rows_release(struct store_row *rows, long n);

#endif
