/*
 * Unit tests of roster: dates, appointment lengths against the day
 * arithmetic of util, and the same counts and messages whatever the
 * number of threads.
 */
#include <CUnit/CUnit.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "model.h"
#include "roster.h"
#include "suites.h"
#include "util.h"

static long ymd(const char *text)
{
    long out = -1;

    if (roster_parse_date(text, strlen(text), &out) != 0)
        return -1;
    return out;
}

static void parse_dates(void)
{
    CU_ASSERT_EQUAL(ymd("2019-12-31"), 20191231);
    CU_ASSERT_EQUAL(ymd("2020-02-29"), 20200229);
    CU_ASSERT_EQUAL(ymd("2000-02-29"), 20000229);
    CU_ASSERT_EQUAL(ymd("1000-01-01"), 10000101);
    CU_ASSERT_EQUAL(ymd("2019-02-29"), -1);
    CU_ASSERT_EQUAL(ymd("1900-02-29"), -1);
    CU_ASSERT_EQUAL(ymd("2019-04-31"), -1);
    CU_ASSERT_EQUAL(ymd("2019-13-01"), -1);
    CU_ASSERT_EQUAL(ymd("2019-00-10"), -1);
    CU_ASSERT_EQUAL(ymd("2019-12-00"), -1);
    CU_ASSERT_EQUAL(ymd("2019-12-32"), -1);
    CU_ASSERT_EQUAL(ymd("0999-01-01"), -1);
    CU_ASSERT_EQUAL(ymd("2019-1-01"), -1);
    CU_ASSERT_EQUAL(ymd("2019/01/01"), -1);
    CU_ASSERT_EQUAL(ymd(" 2019-01-01"), -1);
    CU_ASSERT_EQUAL(ymd("2019-01-0a"), -1);
    CU_ASSERT_EQUAL(ymd("31/12/2019"), -1);
    CU_ASSERT_EQUAL(ymd(""), -1);
}

/* Every day of 1999 to 2001, and of 2099 to 2101, reads as util's day
 * count gives for it. */
static void dates_agree_with_util(void)
{
    static const char *const spans[][2] = {{"1999-01-01", "2001-12-31"},
                                           {"2099-01-01", "2101-12-31"}};

    for (size_t k = 0; k < 2; k++) {
        long first, last, bad = 0;

        CU_ASSERT_FATAL(date_parse(spans[k][0], 10, &first) == 0);
        CU_ASSERT_FATAL(date_parse(spans[k][1], 10, &last) == 0);
        for (long day = first; day <= last; day++) {
            char text[11];
            long expected;

            date_format(day, text);
            expected =
                atol(text) * 10000 + atol(text + 5) * 100 + atol(text + 8);
            bad += ymd(text) != expected;
        }
        CU_ASSERT_EQUAL(bad, 0);
    }
}

static void lengths_by_hand(void)
{
    /* One year, both days included. */
    CU_ASSERT_TRUE(roster_lasts(20190101, 20191231, 12));
    CU_ASSERT_FALSE(roster_lasts(20190102, 20191231, 12));
    CU_ASSERT_FALSE(roster_lasts(20190101, 20191230, 12));
    /* 31 January plus one month is 28 February (29 in 2020). */
    CU_ASSERT_TRUE(roster_lasts(20190131, 20190227, 1));
    CU_ASSERT_FALSE(roster_lasts(20190131, 20190226, 1));
    CU_ASSERT_TRUE(roster_lasts(20200131, 20200228, 1));
    CU_ASSERT_FALSE(roster_lasts(20200131, 20200227, 1));
    /* 29 February plus a year is 28 February. */
    CU_ASSERT_TRUE(roster_lasts(20160229, 20170227, 12));
    CU_ASSERT_FALSE(roster_lasts(20160229, 20170226, 12));
    /* Across the year end; from the first of a month. */
    CU_ASSERT_TRUE(roster_lasts(20191215, 20200114, 1));
    CU_ASSERT_FALSE(roster_lasts(20191215, 20200113, 1));
    CU_ASSERT_TRUE(roster_lasts(20190301, 20200229, 12));
    CU_ASSERT_FALSE(roster_lasts(20190301, 20200228, 12));
    CU_ASSERT_TRUE(roster_lasts(20190101, 20190131, 1));
    CU_ASSERT_FALSE(roster_lasts(20190101, 20190130, 1));
    /* No minimum: one day is enough. */
    CU_ASSERT_TRUE(roster_lasts(20190101, 20190101, 0));
    /* Long appointments. */
    CU_ASSERT_TRUE(roster_lasts(19900115, 20900114, 1200));
    CU_ASSERT_FALSE(roster_lasts(19900115, 20900113, 1200));
}

/* roster_lasts() agrees with util's day counts for every start day of
 * 2019 and 2020, lengths of 0 to 25 months and ends around the limit. */
static void lengths_agree_with_util(void)
{
    long first, last, bad = 0, checked = 0;

    CU_ASSERT_FATAL(date_parse("2019-01-01", 10, &first) == 0);
    CU_ASSERT_FATAL(date_parse("2020-12-31", 10, &last) == 0);
    for (long start = first; start <= last; start++) {
        for (long months = 0; months <= 25; months++) {
            long limit = date_add_months(start, months);

            for (long end = limit - 3; end <= limit + 1; end++) {
                char a[11], b[11];
                int expected = end + 1 >= limit;

                if (end < start)
                    continue;
                date_format(start, a);
                date_format(end, b);
                bad += roster_lasts(ymd(a), ymd(b), months) != expected;
                checked++;
            }
        }
    }
    CU_ASSERT_EQUAL(bad, 0);
    CU_ASSERT_TRUE(checked > 50000);
}

/* A deterministic roster of N records, with BAD lines that are not valid
 * records every BAD_EVERY lines (none when 0). */
static char *make_roster(long n, long bad_every)
{
    static const char *const orgs[] = {"UN", "UNICEF", "WFP", "unhcr", "UNDP"};
    static const char *const types[] = {"FT", "CT", "TA", "SSA"};
    size_t cap = (size_t)n * 96 + 256, len = 0;
    char *text = xmalloc(cap);
    uint32_t x = 12345;

    len += (size_t)snprintf(text, cap,
                            "organisation,entity,duty_station,country,"
                            "contract_type,start_date,end_date\n");
    for (long i = 0; i < n; i++) {
        int year, month, day;
        char end[16];

        x = x * 1103515245u + 12345u;
        year = 2010 + (int)(x >> 16) % 11;
        month = 1 + (int)(x >> 8) % 12;
        day = 1 + (int)(x >> 4) % 28;
        if (bad_every > 0 && i % bad_every == bad_every - 1) {
            len +=
                (size_t)snprintf(text + len, cap - len,
                                 "UN,X,Bamako,MLI,FT,%d-%02d-31,\n", year, 2);
            continue;
        }
        if ((x >> 19) % 4 == 0)
            end[0] = '\0'; /* an open appointment */
        else
            snprintf(end, sizeof end, "%d-%02d-%02d",
                     year + (int)(x >> 21) % 3, month, day);
        len += (size_t)snprintf(
            text + len, cap - len,
            "%s,%s,\"Station %u\",C%02u,%s,%d-%02d-%02d,%s\n",
            orgs[(x >> 3) % 5], (x >> 7) % 9 == 0 ? "MINUSMA" : "",
            (x >> 11) % 3, (x >> 13) % 40, types[(x >> 17) % 4], year, month,
            day, end);
    }
    return text;
}

/* Write the model and ROSTER to a new folder; return the model path. */
static char *write_model(char *folder, const char *roster)
{
    char *path;
    FILE *f;

    if (mkdtemp(folder) == NULL)
        return NULL;
    path = xasprintf("%s/roster.csv", folder);
    f = fopen(path, "w");
    fputs(roster, f);
    fclose(f);
    free(path);
    path = xasprintf("%s/model.ini", folder);
    f = fopen(path, "w");
    fputs("[model]\nname = t\nkind = jfa\nperiod = 2020\ncurrency = USD\n"
          "[roster]\nfile = roster.csv\n[eligibility]\nas_at = 2019-12-31\n"
          "contract_types = FT, CT, TA\nmin_months = 12\n"
          "excluded_entities = MINUSMA\n[budget]\namount = 100.00\n"
          "[rules]\nbasis = total\n",
          f);
    fclose(f);
    return path;
}

static void remove_model(const char *folder)
{
    char *a = xasprintf("%s/roster.csv", folder);
    char *b = xasprintf("%s/model.ini", folder);

    unlink(a);
    unlink(b);
    rmdir(folder);
    free(a);
    free(b);
}

/* Read the model at PATH with THREADS threads; print the groups and
 * counts, or the messages, into a new string. */
static char *read_with(const char *path, unsigned threads)
{
    struct model m;
    struct roster r;
    struct diag d;
    char *out = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&out, &len);

    diag_init(&d);
    CU_ASSERT_FATAL(model_load(&m, path, &d) == 0);
    m.threads = threads;
    if (roster_read(&r, &m, &d) == 0) {
        fprintf(f, "threads %u\n", r.threads);
        for (size_t i = 0; i < r.ngroups; i++)
            fprintf(f, "%s %s %s %lld %ld\n", r.groups[i].organisation,
                    r.groups[i].country, r.groups[i].duty_station,
                    (long long)r.groups[i].eligible, r.groups[i].line);
        for (size_t i = 0; i < r.norganisations; i++) {
            const struct roster_counts *n = &r.organisations[i].n;

            fprintf(f, "%s %lld %lld %lld %lld %lld %lld\n",
                    r.organisations[i].code, (long long)n->records,
                    (long long)n->eligible, (long long)n->entity,
                    (long long)n->contract, (long long)n->not_appointed,
                    (long long)n->too_short);
        }
        roster_release(&r);
    }
    diag_print(&d, f);
    fprintf(f, "errors %zu\n", d.errors);
    fclose(f);
    diag_release(&d);
    model_release(&m);
    return out;
}

/* Skip the first line ("threads N") of TEXT. */
static const char *after_threads(const char *text)
{
    const char *nl = strchr(text, '\n');

    return nl ? nl + 1 : text;
}

static void same_counts_whatever_threads(void)
{
    char folder[] = "/tmp/costshare-roster-XXXXXX";
    char *roster = make_roster(30000, 0);
    char *path = write_model(folder, roster);
    char *one, *three, *nine;

    CU_ASSERT_FATAL(path != NULL);
    one = read_with(path, 1);
    three = read_with(path, 3);
    nine = read_with(path, 9);
    CU_ASSERT_EQUAL(strncmp(one, "threads 1\n", 10), 0);
    CU_ASSERT_EQUAL(strncmp(three, "threads 3\n", 10), 0);
    CU_ASSERT_EQUAL(strncmp(nine, "threads 9\n", 10), 0);
    CU_ASSERT_STRING_EQUAL(after_threads(one), after_threads(three));
    CU_ASSERT_STRING_EQUAL(after_threads(one), after_threads(nine));
    /* The lowercase code is merged into UNHCR, with no error. */
    CU_ASSERT_PTR_NOT_NULL(strstr(one, "\nUNHCR "));
    CU_ASSERT_PTR_NULL(strstr(one, "unhcr C"));
    CU_ASSERT_PTR_NOT_NULL(strstr(one, "errors 0\n"));
    free(one);
    free(three);
    free(nine);
    remove_model(folder);
    free(path);
    free(roster);
}

static void same_messages_whatever_threads(void)
{
    char folder[] = "/tmp/costshare-roster-XXXXXX";
    char *roster = make_roster(30000, 450);
    char *path = write_model(folder, roster);
    char *one, *four;

    CU_ASSERT_FATAL(path != NULL);
    one = read_with(path, 1);
    four = read_with(path, 4);
    CU_ASSERT_STRING_EQUAL(one, four);
    /* 66 bad lines: 50 shown, the rest counted. */
    CU_ASSERT_PTR_NOT_NULL(strstr(one, "errors 66\n"));
    CU_ASSERT_PTR_NOT_NULL(
        strstr(one, "roster.csv:451:6: invalid start date"));
    free(one);
    free(four);
    remove_model(folder);
    free(path);
    free(roster);
}

int suite_roster(void)
{
    CU_pSuite s = CU_add_suite("roster", NULL, NULL);

    if (s == NULL || !CU_add_test(s, "parse dates", parse_dates) ||
        !CU_add_test(s, "dates agree with util", dates_agree_with_util) ||
        !CU_add_test(s, "lengths by hand", lengths_by_hand) ||
        !CU_add_test(s, "lengths agree with util", lengths_agree_with_util) ||
        !CU_add_test(s, "same counts whatever threads",
                     same_counts_whatever_threads) ||
        !CU_add_test(s, "same messages whatever threads",
                     same_messages_whatever_threads))
        return -1;
    return 0;
}
