/*
 * Unit tests of diag: what an entry keeps, the error limit, the stable
 * sort by line, and the exact text diag_print() writes for each mix of
 * file, line and column.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "suites.h"

#define COUNT(array) (sizeof(array) / sizeof((array)[0]))

/* Return what diag_print() writes for D, as a string the caller frees,
 * or NULL when the memory stream cannot be opened. */
static char *printed(const struct diag *d)
{
    char *text = NULL;
    size_t size = 0;
    FILE *stream = open_memstream(&text, &size);

    if (stream == NULL)
        return NULL;
    diag_print(d, stream);
    if (fclose(stream) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

static void test_add_keeps_fields(void)
{
    struct diag d;
    char file[] = "budget.csv";

    diag_init(&d);
    diag_add(&d, DIAG_ERROR, file, 12, 3, "invalid amount \"%s\" (%d)", "x",
             7);
    file[0] = 'B'; /* the entry keeps its own copy of the name */
    CU_ASSERT_EQUAL_FATAL(d.count, 1);
    CU_ASSERT_EQUAL(d.entries[0].level, DIAG_ERROR);
    CU_ASSERT_STRING_EQUAL(d.entries[0].file, "budget.csv");
    CU_ASSERT_EQUAL(d.entries[0].line, 12);
    CU_ASSERT_EQUAL(d.entries[0].column, 3);
    CU_ASSERT_STRING_EQUAL(d.entries[0].message, "invalid amount \"x\" (7)");
    CU_ASSERT_EQUAL(d.errors, 1);
    CU_ASSERT_EQUAL(d.dropped, 0);
    diag_release(&d);
}

static void test_add_without_file(void)
{
    struct diag d;

    diag_init(&d);
    diag_error(&d, NULL, 0, 0, "out of %s", "memory");
    CU_ASSERT_EQUAL_FATAL(d.count, 1);
    CU_ASSERT_PTR_NULL(d.entries[0].file);
    CU_ASSERT_EQUAL(d.entries[0].line, 0);
    CU_ASSERT_EQUAL(d.entries[0].column, 0);
    CU_ASSERT_STRING_EQUAL(d.entries[0].message, "out of memory");
    diag_release(&d);
}

/* A 3,000-byte argument, so a message cut at a fixed buffer size shows. */
static void test_add_long_message(void)
{
    char text[3001];
    struct diag d;

    memset(text, 'x', sizeof text - 1);
    text[sizeof text - 1] = '\0';
    diag_init(&d);
    diag_warning(&d, "a.csv", 1, 1, "value %s", text);
    CU_ASSERT_EQUAL_FATAL(d.count, 1);
    CU_ASSERT_EQUAL(strlen(d.entries[0].message), 6 + sizeof text - 1);
    CU_ASSERT_EQUAL(strncmp(d.entries[0].message, "value xxx", 9), 0);
    diag_release(&d);
}

static void test_errors_past_limit_dropped(void)
{
    struct diag d;

    diag_init(&d);
    for (long i = 1; i <= DIAG_MAX_ERRORS + 3; i++)
        diag_error(&d, "a.csv", i, 1, "error %ld", i);
    CU_ASSERT_EQUAL(d.errors, DIAG_MAX_ERRORS + 3);
    CU_ASSERT_EQUAL(d.dropped, 3);
    CU_ASSERT_EQUAL_FATAL(d.count, DIAG_MAX_ERRORS);
    CU_ASSERT_STRING_EQUAL(d.entries[DIAG_MAX_ERRORS - 1].message, "error 50");
    CU_ASSERT_EQUAL(d.entries[DIAG_MAX_ERRORS - 1].line, DIAG_MAX_ERRORS);

    /* A warning after the limit is still kept, and counts as no error. */
    diag_warning(&d, "a.csv", 99, 0, "late warning");
    CU_ASSERT_EQUAL(d.count, DIAG_MAX_ERRORS + 1);
    CU_ASSERT_EQUAL(d.errors, DIAG_MAX_ERRORS + 3);
    CU_ASSERT_EQUAL(d.dropped, 3);
    diag_release(&d);
}

static void test_warnings_not_errors(void)
{
    struct diag d;

    diag_init(&d);
    diag_warning(&d, "a.csv", 2, 1, "code \"un\" read as \"UN\"");
    diag_add(&d, DIAG_NOTE, "a.csv", 1, 0, "lines 1-1 skipped");
    CU_ASSERT_EQUAL(d.count, 2);
    CU_ASSERT_EQUAL(d.errors, 0);
    CU_ASSERT_EQUAL(d.dropped, 0);
    CU_ASSERT_EQUAL(d.entries[0].level, DIAG_WARNING);
    CU_ASSERT_EQUAL(d.entries[1].level, DIAG_NOTE);
    diag_release(&d);
}

static void test_release_resets(void)
{
    struct diag d;

    diag_init(&d);
    for (int i = 0; i < DIAG_MAX_ERRORS + 1; i++)
        diag_error(&d, "a.csv", 1, 1, "error");
    diag_release(&d);
    CU_ASSERT_PTR_NULL(d.entries);
    CU_ASSERT_EQUAL(d.count, 0);
    CU_ASSERT_EQUAL(d.capacity, 0);
    CU_ASSERT_EQUAL(d.errors, 0);
    CU_ASSERT_EQUAL(d.dropped, 0);
}

/* Entries on the same line keep the order they were added in. */
static void test_sort_lines_stable(void)
{
    static const long lines[] = {5, 2, 5, 1, 2, 0};
    static const char *const names[] = {"a", "b", "c", "d", "e", "f"};
    static const char *const sorted[] = {"f", "d", "b", "e", "a", "c"};
    struct diag d;

    diag_init(&d);
    for (size_t i = 0; i < COUNT(lines); i++)
        diag_error(&d, "a.csv", lines[i], 1, "%s", names[i]);
    diag_sort_lines(&d, 0);
    CU_ASSERT_EQUAL_FATAL(d.count, COUNT(sorted));
    for (size_t i = 0; i < COUNT(sorted); i++)
        CU_ASSERT_STRING_EQUAL(d.entries[i].message, sorted[i]);
    diag_release(&d);
}

/* Entries before FIRST stay where they are. */
static void test_sort_lines_from_first(void)
{
    static const long lines[] = {9, 8, 4, 3, 4};
    static const char *const names[] = {"a", "b", "c", "d", "e"};
    static const char *const sorted[] = {"a", "b", "d", "c", "e"};
    struct diag d;

    diag_init(&d);
    for (size_t i = 0; i < COUNT(lines); i++)
        diag_error(&d, "a.csv", lines[i], 1, "%s", names[i]);
    diag_sort_lines(&d, 2);
    CU_ASSERT_EQUAL_FATAL(d.count, COUNT(sorted));
    for (size_t i = 0; i < COUNT(sorted); i++)
        CU_ASSERT_STRING_EQUAL(d.entries[i].message, sorted[i]);
    diag_release(&d);
}

/* Sorting an empty list, or from past its end, changes nothing. */
static void test_sort_lines_empty(void)
{
    struct diag d;

    diag_init(&d);
    diag_sort_lines(&d, 0);
    CU_ASSERT_EQUAL(d.count, 0);
    diag_error(&d, "a.csv", 3, 1, "only");
    diag_sort_lines(&d, 1);
    diag_sort_lines(&d, 5);
    CU_ASSERT_EQUAL_FATAL(d.count, 1);
    CU_ASSERT_STRING_EQUAL(d.entries[0].message, "only");
    diag_release(&d);
}

/* One entry of each shape and the line diag_print() writes for it.  A
 * column without a line, or a line without a file, is left out. */
static const struct {
    enum diag_level level;
    const char *file;
    long line;
    long column;
    const char *expected;
} print_cases[] = {
    {DIAG_ERROR, "in.csv", 4, 2, "costshare: in.csv:4:2: bad value\n"},
    {DIAG_ERROR, "in.csv", 4, 0, "costshare: in.csv:4: bad value\n"},
    {DIAG_ERROR, "in.csv", 0, 0, "costshare: in.csv: bad value\n"},
    {DIAG_ERROR, "in.csv", 0, 2, "costshare: in.csv: bad value\n"},
    {DIAG_ERROR, NULL, 0, 0, "costshare: bad value\n"},
    {DIAG_ERROR, NULL, 4, 2, "costshare: bad value\n"},
    {DIAG_WARNING, "in.csv", 4, 2,
     "costshare: in.csv:4:2: warning: bad value\n"},
    {DIAG_WARNING, NULL, 0, 0, "costshare: warning: bad value\n"},
    {DIAG_NOTE, "in.csv", 1, 0, "costshare: in.csv:1: note: bad value\n"},
    {DIAG_NOTE, NULL, 0, 0, "costshare: note: bad value\n"},
};

static void test_print_each_shape(void)
{
    for (size_t i = 0; i < COUNT(print_cases); i++) {
        struct diag d;
        char *text;

        diag_init(&d);
        diag_add(&d, print_cases[i].level, print_cases[i].file,
                 print_cases[i].line, print_cases[i].column, "bad value");
        text = printed(&d);
        CU_ASSERT_PTR_NOT_NULL_FATAL(text);
        CU_ASSERT_STRING_EQUAL(text, print_cases[i].expected);
        free(text);
        diag_release(&d);
    }
}

static void test_print_in_order(void)
{
    struct diag d;
    char *text;

    diag_init(&d);
    diag_error(&d, "b.csv", 7, 3, "second file");
    diag_warning(&d, "a.csv", 2, 0, "first file");
    text = printed(&d);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    CU_ASSERT_STRING_EQUAL(text, "costshare: b.csv:7:3: second file\n"
                                 "costshare: a.csv:2: warning: first file\n");
    free(text);
    diag_release(&d);
}

static void test_print_dropped_count(void)
{
    struct diag d;
    char *text, *last;

    diag_init(&d);
    for (long i = 1; i <= DIAG_MAX_ERRORS + 2; i++)
        diag_error(&d, "in.csv", i, 1, "error %ld", i);
    text = printed(&d);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    CU_ASSERT_EQUAL(strncmp(text, "costshare: in.csv:1:1: error 1\n", 31), 0);
    last = strstr(text, "costshare: in.csv:50:1: error 50\n");
    CU_ASSERT_PTR_NOT_NULL_FATAL(last);
    CU_ASSERT_STRING_EQUAL(last, "costshare: in.csv:50:1: error 50\n"
                                 "costshare: 2 more errors not shown\n");
    CU_ASSERT_PTR_NULL(strstr(text, "error 51"));
    free(text);
    diag_release(&d);
}

static void test_print_nothing(void)
{
    struct diag d;
    char *text;

    diag_init(&d);
    text = printed(&d);
    CU_ASSERT_PTR_NOT_NULL_FATAL(text);
    CU_ASSERT_STRING_EQUAL(text, "");
    free(text);
    diag_release(&d);
}

static void test_append_keeps_order(void)
{
    struct diag into, from;

    diag_init(&into);
    diag_init(&from);
    diag_error(&into, "a.csv", 1, 0, "first");
    diag_warning(&from, "b.csv", 2, 3, "second");
    diag_error(&from, NULL, 0, 0, "third");
    diag_append(&into, &from);
    CU_ASSERT_EQUAL(into.count, 3);
    CU_ASSERT_EQUAL(into.errors, 2);
    CU_ASSERT_EQUAL(into.warnings, 1);
    CU_ASSERT_STRING_EQUAL(into.entries[0].message, "first");
    CU_ASSERT_STRING_EQUAL(into.entries[1].message, "second");
    CU_ASSERT_STRING_EQUAL(into.entries[1].file, "b.csv");
    CU_ASSERT_EQUAL(into.entries[1].column, 3);
    CU_ASSERT_PTR_NULL(into.entries[2].file);
    CU_ASSERT_EQUAL(from.count, 0);
    CU_ASSERT_EQUAL(from.errors, 0);
    CU_ASSERT_PTR_NULL(from.entries);
    diag_release(&into);
    diag_release(&from);
}

static void test_append_respects_limit(void)
{
    struct diag into, from;

    diag_init(&into);
    diag_init(&from);
    for (long i = 1; i <= DIAG_MAX_ERRORS - 1; i++)
        diag_error(&into, "a.csv", i, 0, "error %ld", i);
    for (long i = 1; i <= DIAG_MAX_ERRORS + 3; i++)
        diag_error(&from, "b.csv", i, 0, "error %ld", i);
    diag_append(&into, &from);
    /* One more fits; the other 49 kept by FROM and its 3 dropped do
     * not, but all are counted. */
    CU_ASSERT_EQUAL(into.count, DIAG_MAX_ERRORS);
    CU_ASSERT_EQUAL(into.errors, 2 * DIAG_MAX_ERRORS + 2);
    CU_ASSERT_EQUAL(into.dropped, DIAG_MAX_ERRORS + 2);
    CU_ASSERT_STRING_EQUAL(into.entries[DIAG_MAX_ERRORS - 1].file, "b.csv");
    CU_ASSERT_STRING_EQUAL(into.entries[DIAG_MAX_ERRORS - 1].message,
                           "error 1");
    diag_release(&into);
    diag_release(&from);
}

int suite_diag(void)
{
    static const struct {
        const char *name;
        CU_TestFunc function;
    } tests[] = {
        {"add keeps fields", test_add_keeps_fields},
        {"add without file", test_add_without_file},
        {"add long message", test_add_long_message},
        {"errors past limit dropped", test_errors_past_limit_dropped},
        {"warnings not errors", test_warnings_not_errors},
        {"release resets", test_release_resets},
        {"sort lines stable", test_sort_lines_stable},
        {"sort lines from first", test_sort_lines_from_first},
        {"sort lines empty", test_sort_lines_empty},
        {"print each shape", test_print_each_shape},
        {"print in order", test_print_in_order},
        {"print dropped count", test_print_dropped_count},
        {"print nothing", test_print_nothing},
        {"append keeps order", test_append_keeps_order},
        {"append respects limit", test_append_respects_limit},
    };
    CU_pSuite suite = CU_add_suite("diag", NULL, NULL);

    if (suite == NULL)
        return -1;
    for (size_t i = 0; i < COUNT(tests); i++) {
        if (CU_add_test(suite, tests[i].name, tests[i].function) == NULL)
            return -1;
    }
    return 0;
}
