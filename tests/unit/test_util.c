/*
 * Unit tests of util: paths relative to a model file, with and without
 * tidying, the UTF-8 space spans that trimming relies on, and the
 * allocating formatter.
 */
#include <CUnit/CUnit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "suites.h"
#include "util.h"

#define COUNT(array) (sizeof(array) / sizeof((array)[0]))

/* A string literal and its length, so bytes after a NUL are kept. */
#define BYTES(literal) (literal), (sizeof(literal) - 1)

/* Model file BASE names NAME: the path to open, and the tidied one shown
 * in messages. */
static const struct {
    const char *base;
    const char *name;
    const char *joined;
    const char *tidied;
} join_cases[] = {
    {"models/jfa.ini", "../inputs/x.csv", "models/../inputs/x.csv",
     "inputs/x.csv"},
    {"models/jfa.ini", "x.csv", "models/x.csv", "models/x.csv"},
    {"jfa.ini", "x.csv", "x.csv", "x.csv"},
    {"models/jfa.ini", "/srv/data/x.csv", "/srv/data/x.csv",
     "/srv/data/x.csv"},
    {"jfa.ini", "/srv/../x.csv", "/srv/../x.csv", "/x.csv"},
    {"jfa.ini", "a/b/../../c", "a/b/../../c", "c"},
    {"models/jfa.ini", "a/b/../../c", "models/a/b/../../c", "models/c"},
    {"jfa.ini", "../../x.csv", "../../x.csv", "../../x.csv"},
    {"models/jfa.ini", "../../x.csv", "models/../../x.csv", "../x.csv"},
    {"../models/jfa.ini", "../x.csv", "../models/../x.csv", "../x.csv"},
    {"models/jfa.ini", "./x", "models/./x", "models/x"},
    {"jfa.ini", "./x", "./x", "x"},
    {"models/jfa.ini", "..", "models/..", "."},
    {"models//jfa.ini", "in//x.csv", "models//in//x.csv", "models/in/x.csv"},
    {"/etc/costshare/jfa.ini", "../x.csv", "/etc/costshare/../x.csv",
     "/etc/x.csv"},
    {"/jfa.ini", "../../x.csv", "/../../x.csv", "/x.csv"},
    {"/jfa.ini", "x.csv", "/x.csv", "/x.csv"},
};

static void test_join_untidied(void)
{
    for (size_t i = 0; i < COUNT(join_cases); i++) {
        char *path =
            path_join_relative(join_cases[i].base, join_cases[i].name, 0);

        CU_ASSERT_STRING_EQUAL(path, join_cases[i].joined);
        free(path);
    }
}

static void test_join_tidied(void)
{
    for (size_t i = 0; i < COUNT(join_cases); i++) {
        char *path =
            path_join_relative(join_cases[i].base, join_cases[i].name, 1);

        CU_ASSERT_STRING_EQUAL(path, join_cases[i].tidied);
        free(path);
    }
}

/* A relative path of 600 folders is valid on Linux (1,205 bytes, well
 * under PATH_MAX), and tidying must not cut it. */
static void test_tidy_many_components(void)
{
    enum { FOLDERS = 600 };
    char *name = malloc(2 * FOLDERS + sizeof "x.csv");
    char *path;

    CU_ASSERT_PTR_NOT_NULL_FATAL(name);
    for (size_t i = 0; i < FOLDERS; i++)
        memcpy(name + 2 * i, "a/", 2);
    strcpy(name + 2 * FOLDERS, "x.csv");
    path = path_join_relative("jfa.ini", name, 1);
    CU_ASSERT_STRING_EQUAL(path, name);
    free(path);
    free(name);
}

/* Byte strings and the number of space bytes at their start and end. */
static const struct {
    const char *text;
    size_t len;
    size_t prefix;
    size_t suffix;
} space_cases[] = {
    {BYTES(""), 0, 0},
    {BYTES("x"), 0, 0},
    {BYTES("  x "), 2, 1},
    {BYTES("\tx\t\t"), 1, 2},
    {BYTES("\xC2\xA0x\xC2\xA0"), 2, 2},         /* U+00A0 */
    {BYTES("\xE2\x80\xAFx\xE2\x80\xAF"), 3, 3}, /* U+202F */
    {BYTES(" \xC2\xA0\t\xE2\x80\xAFx"), 7, 0},  /* every kind */
    {BYTES("x\xE2\x80\xAF\t\xC2\xA0 "), 0, 7},  /* every kind */
    {BYTES(" \xC2\xA0 "), 4, 4},                /* nothing but spaces */
    {BYTES("\xC2x\xC2"), 0, 0},                 /* lone C2 lead byte */
    {BYTES("\xC2"), 0, 0},                      /* lone C2 lead byte */
    {BYTES("\xA0x\xA0"), 0, 0},                 /* lone continuation */
    {BYTES("\xE2\x80x\xE2\x80"), 0, 0},         /* cut U+202F */
    {BYTES("\xE3\x80\x80x\xE3\x80\x80"), 0, 0}, /* U+3000, not listed */
    {BYTES("\xE2\x80\x8Bx"), 0, 0},             /* U+200B, not listed */
    {BYTES("x\xC3\xA0"), 0, 0},                 /* a-grave, not space */
    {BYTES("\n x\r"), 0, 0},                    /* line ends */
};

static void test_space_prefix(void)
{
    for (size_t i = 0; i < COUNT(space_cases); i++)
        CU_ASSERT_EQUAL(
            utf8_space_prefix(space_cases[i].text, space_cases[i].len),
            space_cases[i].prefix);
}

static void test_space_suffix(void)
{
    for (size_t i = 0; i < COUNT(space_cases); i++)
        CU_ASSERT_EQUAL(
            utf8_space_suffix(space_cases[i].text, space_cases[i].len),
            space_cases[i].suffix);
}

/* Only LEN bytes count: a space cut by LEN is no space. */
static void test_space_within_length(void)
{
    const char *nbsp = "\xC2\xA0y";
    const char *narrow = "x\xE2\x80\xAF";

    CU_ASSERT_EQUAL(utf8_space_prefix(nbsp, 1), 0);
    CU_ASSERT_EQUAL(utf8_space_prefix(nbsp, 2), 2);
    CU_ASSERT_EQUAL(utf8_space_prefix("  x", 1), 1);
    CU_ASSERT_EQUAL(utf8_space_suffix(narrow, 3), 0);
    CU_ASSERT_EQUAL(utf8_space_suffix(narrow, 4), 3);
    CU_ASSERT_EQUAL(utf8_space_suffix("x  ", 2), 1);
}

static void test_asprintf_formats(void)
{
    char *s = xasprintf("%s:%ld:%c %05.1f", "budget.csv", 12L, 'x', 3.14159);

    CU_ASSERT_STRING_EQUAL(s, "budget.csv:12:x 003.1");
    free(s);
    s = xasprintf("%s", "");
    CU_ASSERT_STRING_EQUAL(s, "");
    free(s);
}

static void test_asprintf_long_result(void)
{
    char text[5001];
    char *s;

    memset(text, 'y', sizeof text - 1);
    text[sizeof text - 1] = '\0';
    s = xasprintf("[%s]", text);
    CU_ASSERT_EQUAL(strlen(s), sizeof text + 1);
    CU_ASSERT_EQUAL(s[0], '[');
    CU_ASSERT_EQUAL(s[sizeof text], ']');
    free(s);
}

static void test_strndup_cuts(void)
{
    char *s = xstrndup("abcdef", 3);

    CU_ASSERT_STRING_EQUAL(s, "abc");
    free(s);
    s = xstrndup("abc", 0);
    CU_ASSERT_STRING_EQUAL(s, "");
    free(s);
}

int suite_util(void)
{
    static const struct {
        const char *name;
        CU_TestFunc function;
    } tests[] = {
        {"join untidied", test_join_untidied},
        {"join tidied", test_join_tidied},
        {"tidy many components", test_tidy_many_components},
        {"space prefix", test_space_prefix},
        {"space suffix", test_space_suffix},
        {"space within length", test_space_within_length},
        {"asprintf formats", test_asprintf_formats},
        {"asprintf long result", test_asprintf_long_result},
        {"strndup cuts", test_strndup_cuts},
    };
    CU_pSuite suite = CU_add_suite("util", NULL, NULL);

    if (suite == NULL)
        return -1;
    for (size_t i = 0; i < COUNT(tests); i++) {
        if (CU_add_test(suite, tests[i].name, tests[i].function) == NULL)
            return -1;
    }
    return 0;
}
