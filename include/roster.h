/*
 * roster: headcount derived from personnel records, one person a line,
 * under the model's eligibility rules.
 *
 * The file is streamed: each thread reads its own part of it in blocks
 * and counts the records into a table keyed by organisation, country and
 * duty station, so memory grows with the number of such groups, never
 * with the number of records.  A record must sit on one physical line;
 * that is what lets a part start at any line end, and why the result and
 * every message are the same whatever the number of threads.
 */
#ifndef COSTSHARE_ROSTER_H
#define COSTSHARE_ROSTER_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"
#include "model.h"

/* Maximum length of a physical line of a roster, in bytes. */
#define ROSTER_MAX_LINE_BYTES (1 << 20)

/* Most threads a roster is read with. */
#define ROSTER_MAX_THREADS 16

/* Records of one organisation (or all), by the first rule that left each
 * one out; a record that passes every rule is eligible. */
struct roster_counts {
    int64_t records;       /* data records read */
    int64_t entity;        /* in an excluded entity */
    int64_t contract;      /* on a contract type that does not count */
    int64_t not_appointed; /* not appointed on the as-at date */
    int64_t too_short;     /* appointed for less than the minimum */
    int64_t eligible;      /* passed every rule */
};

/* The eligible persons of one organisation at one duty station. */
struct roster_group {
    char *organisation; /* upper case */
    char *country;      /* upper case */
    char *duty_station;
    int64_t eligible;
    long line; /* first record of the group */
};

struct roster_organisation {
    char *code;
    struct roster_counts n;
};

struct roster {
    char *display;
    struct roster_group *groups; /* sorted by organisation, country and
                                    duty station, in byte order; only
                                    groups with eligible persons */
    size_t ngroups;
    struct roster_organisation *organisations; /* sorted by code */
    size_t norganisations;
    struct roster_counts total;
    unsigned threads; /* threads the file was read with */
    char sha256[65];  /* "" when roster_no_digest is set */
};

/*
 * Read the model's roster and count it under the model's eligibility.
 * Returns 0 with R filled, -1 on invalid input or -2 on a system error,
 * with the problems in D; R is empty after a failure.
 */
int roster_read(struct roster *r, const struct model *m, struct diag *d);

void roster_release(struct roster *r);

/*
 * Read LEN bytes at S as a date YYYY-MM-DD into *YMD as the number
 * YYYYMMDD, which orders as the dates do; return 0, or -1 when they are
 * not such a date.  It accepts the dates date_parse() accepts.
 */
int roster_parse_date(const char *s, size_t len, long *ymd);

/*
 * Return whether an appointment from START to END (YYYYMMDD numbers, both
 * days included) lasts at least MONTHS months: whether the day after END
 * is on or after START plus MONTHS months, where a day of the month that
 * the later month lacks becomes its last day.
 */
int roster_lasts(long start, long end, long months);

#endif
