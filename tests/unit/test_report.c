/*
 * Unit tests of report: CSV text cells, the atomic file writer (folders,
 * replacement, temporary files, mode, errors), the writer in a staging
 * folder of outdir with its flush and removal (filetree), and the footing
 * check of a hand-built JFA result.  Files are written under mkdtemp
 * folders in /tmp and removed by each test.
 */
#include <CUnit/CUnit.h>
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "diag.h"
#include "filetree.h"
#include "jfa.h"
#include "model.h"
#include "outdir.h"
#include "report.h"
#include "suites.h"

#define COUNT(array) (sizeof(array) / sizeof((array)[0]))

/* Return what report_csv_text() writes for S, as a string the caller
 * frees, or NULL when the memory stream cannot be opened. */
static char *csv_text(const char *s)
{
    char *text = NULL;
    size_t size = 0;
    FILE *stream = open_memstream(&text, &size);

    if (stream == NULL)
        return NULL;
    report_csv_text(stream, s);
    if (fclose(stream) != 0) {
        free(text);
        return NULL;
    }
    return text;
}

/* A cell and the CSV text written for it. */
static const struct {
    const char *cell;
    const char *expected;
} csv_cases[] = {
    {"UNICEF", "UNICEF"},
    {"", ""},
    {"UN-HABITAT", "UN-HABITAT"},
    {"x=1", "x=1"},
    {"=SUM(A1:A9)", "'=SUM(A1:A9)"},
    {"+41 22 917", "'+41 22 917"},
    {"-5", "'-5"},
    {"@HYPERLINK", "'@HYPERLINK"},
    {"\tx", "'\tx"},
    {"\rx", "\"'\rx\""},
    {"a,b", "\"a,b\""},
    {"say \"hi\"", "\"say \"\"hi\"\"\""},
    {"\"", "\"\"\"\""},
    {"two\nlines", "\"two\nlines\""},
    {"two\r\nlines", "\"two\r\nlines\""},
    {"a\rb", "\"a\rb\""},
    {"=1,2", "\"'=1,2\""},
    {"-\"x\"", "\"'-\"\"x\"\"\""},
    {"C\xC3\xB4te d'Ivoire", "C\xC3\xB4te d'Ivoire"},
};

static void test_csv_text_cells(void)
{
    for (size_t i = 0; i < COUNT(csv_cases); i++) {
        char *text = csv_text(csv_cases[i].cell);

        CU_ASSERT_PTR_NOT_NULL_FATAL(text);
        CU_ASSERT_STRING_EQUAL(text, csv_cases[i].expected);
        free(text);
    }
}

/* The state of a report_buffer writing to a memory stream. */
struct buffer_test {
    struct report_buffer *buffer;
    FILE *stream;
    char *text;
    size_t size;
};

static int buffer_start(struct buffer_test *t)
{
    t->text = NULL;
    t->size = 0;
    t->stream = open_memstream(&t->text, &t->size);
    if (t->stream == NULL)
        return -1;
    t->buffer = malloc(sizeof *t->buffer);
    if (t->buffer == NULL) {
        fclose(t->stream);
        free(t->text);
        return -1;
    }
    report_buffer_init(t->buffer, t->stream);
    return 0;
}

/* Flush and close the stream; T->text and T->size then hold the output,
 * which the caller frees.  Returns 0, or -1 when closing fails. */
static int buffer_finish(struct buffer_test *t)
{
    report_buffer_flush(t->buffer);
    free(t->buffer);
    return fclose(t->stream) == 0 ? 0 : -1;
}

static void test_buffer_csv_text_cells(void)
{
    for (size_t i = 0; i < COUNT(csv_cases); i++) {
        struct buffer_test t;

        CU_ASSERT_EQUAL_FATAL(buffer_start(&t), 0);
        report_buffer_csv_text(t.buffer, csv_cases[i].cell);
        CU_ASSERT_EQUAL_FATAL(buffer_finish(&t), 0);
        CU_ASSERT_STRING_EQUAL(t.text, csv_cases[i].expected);
        free(t.text);
    }
}

/* Write VALUE scaled by 10^DECIMALS the way the buffer must, but by
 * division and printf, independently of money_format(). */
static void expected_money(char *out, size_t size, int64_t value,
                           unsigned decimals)
{
    unsigned long long magnitude =
        value < 0 ? 0 - (unsigned long long)value : (unsigned long long)value;
    unsigned long long scale = 1;

    for (unsigned i = 0; i < decimals; i++)
        scale *= 10;
    if (decimals == 0)
        snprintf(out, size, "%s%llu", value < 0 ? "-" : "", magnitude);
    else
        snprintf(out, size, "%s%llu.%0*llu", value < 0 ? "-" : "",
                 magnitude / scale, (int)decimals, magnitude % scale);
}

static void test_buffer_money_values(void)
{
    static const int64_t values[] = {
        0,
        1,
        -1,
        9,
        -9,
        10,
        -10,
        999,
        1000,
        -1001,
        123456789,
        -123456789,
        INT64_MAX,
        INT64_MIN,
        INT64_MAX - 1,
        INT64_MIN + 1,
    };

    for (unsigned decimals = 0; decimals <= MONEY_MAX_DECIMALS; decimals++) {
        for (size_t i = 0; i < COUNT(values); i++) {
            struct buffer_test t;
            char expected[64];

            expected_money(expected, sizeof expected, values[i], decimals);
            CU_ASSERT_EQUAL_FATAL(buffer_start(&t), 0);
            report_buffer_money(t.buffer, values[i], decimals);
            CU_ASSERT_EQUAL_FATAL(buffer_finish(&t), 0);
            CU_ASSERT_STRING_EQUAL(t.text, expected);
            free(t.text);
        }
    }
}

/* Many small pieces cross the buffer's size, and a piece larger than the
 * buffer is written whole, all in order. */
static void test_buffer_crosses_its_size(void)
{
    size_t big = 3 * REPORT_BUFFER_BYTES + 5;
    char *long_cell = malloc(big + 1);
    size_t rows = REPORT_BUFFER_BYTES / 4, at = 0;
    struct buffer_test t;

    CU_ASSERT_PTR_NOT_NULL_FATAL(long_cell);
    memset(long_cell, 'x', big);
    long_cell[big] = '\0';
    CU_ASSERT_EQUAL_FATAL(buffer_start(&t), 0);
    for (size_t i = 0; i < rows; i++) {
        report_buffer_money(t.buffer, (int64_t)i, 0);
        report_buffer_char(t.buffer, '\n');
    }
    report_buffer_csv_text(t.buffer, long_cell);
    report_buffer_string(t.buffer, ",end\n");
    CU_ASSERT_EQUAL_FATAL(buffer_finish(&t), 0);

    for (size_t i = 0; i < rows; i++) {
        char line[32];
        int n = snprintf(line, sizeof line, "%zu\n", i);

        CU_ASSERT_FATAL(at + (size_t)n <= t.size);
        CU_ASSERT_EQUAL_FATAL(memcmp(t.text + at, line, (size_t)n), 0);
        at += (size_t)n;
    }
    CU_ASSERT_EQUAL_FATAL(t.size, at + big + 5);
    CU_ASSERT_EQUAL(memcmp(t.text + at, long_cell, big), 0);
    CU_ASSERT_STRING_EQUAL(t.text + at + big, ",end\n");
    free(t.text);
    free(long_cell);
}

/* Writes the string DATA. */
static void write_string(FILE *f, const void *data)
{
    fputs(data, f);
}

/* Return the content of PATH as a string the caller frees, or NULL. */
static char *read_text(const char *path)
{
    FILE *f = fopen(path, "rb");
    char *text;
    long size;

    if (f == NULL)
        return NULL;
    if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 ||
        fseek(f, 0, SEEK_SET) != 0) {
        fclose(f);
        return NULL;
    }
    text = malloc((size_t)size + 1);
    if (text != NULL && fread(text, 1, (size_t)size, f) != (size_t)size) {
        free(text);
        text = NULL;
    }
    if (text != NULL)
        text[size] = '\0';
    fclose(f);
    return text;
}

static int write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");

    if (f == NULL)
        return -1;
    fputs(text, f);
    return fclose(f);
}

/* Return the number of entries of DIR (without "." and ".."), and in
 * *TEMPORARY those whose name starts with PREFIX. */
static size_t count_entries(const char *dir, const char *prefix,
                            size_t *temporary)
{
    DIR *folder = opendir(dir);
    struct dirent *e;
    size_t n = 0;

    *temporary = 0;
    if (folder == NULL)
        return 0;
    while ((e = readdir(folder)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        n++;
        if (strncmp(e->d_name, prefix, strlen(prefix)) == 0)
            (*temporary)++;
    }
    closedir(folder);
    return n;
}

/* A path under a mkdtemp folder. */
static char *path_in(const char *dir, const char *name)
{
    size_t len = strlen(dir) + strlen(name) + 2;
    char *path = malloc(len);

    if (path != NULL)
        snprintf(path, len, "%s/%s", dir, name);
    return path;
}

static void test_write_creates_folders(void)
{
    char base[] = "/tmp/costshare-report-XXXXXX";
    char *dir, *file, *text;
    struct diag d;

    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(base));
    dir = path_in(base, "a/b/c");
    file = path_in(base, "a/b/c/out.csv");
    diag_init(&d);
    CU_ASSERT_EQUAL(
        report_write_file(dir, "out.csv", write_string, "x,y\n1,2\n", &d), 0);
    CU_ASSERT_EQUAL(d.count, 0);
    text = read_text(file);
    CU_ASSERT_PTR_NOT_NULL(text);
    if (text != NULL)
        CU_ASSERT_STRING_EQUAL(text, "x,y\n1,2\n");
    free(text);

    unlink(file);
    rmdir(dir);
    free(dir);
    dir = path_in(base, "a/b");
    rmdir(dir);
    free(dir);
    dir = path_in(base, "a");
    rmdir(dir);
    free(dir);
    free(file);
    CU_ASSERT_EQUAL(rmdir(base), 0);
    diag_release(&d);
}

/* A folder name that ends in a slash works as well. */
static void test_write_trailing_slash(void)
{
    char base[] = "/tmp/costshare-report-XXXXXX";
    char *dir, *file, *text;
    struct diag d;

    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(base));
    dir = path_in(base, "new/");
    file = path_in(base, "new/out.csv");
    diag_init(&d);
    CU_ASSERT_EQUAL(
        report_write_file(dir, "out.csv", write_string, "ok\n", &d), 0);
    text = read_text(file);
    CU_ASSERT_PTR_NOT_NULL(text);
    if (text != NULL)
        CU_ASSERT_STRING_EQUAL(text, "ok\n");
    free(text);
    unlink(file);
    rmdir(dir);
    free(dir);
    free(file);
    CU_ASSERT_EQUAL(rmdir(base), 0);
    diag_release(&d);
}

/* The new file replaces the old one by rename: a reader that opened the
 * old file still reads it whole, and the name gets a new inode. */
static void test_write_replaces_atomically(void)
{
    char base[] = "/tmp/costshare-report-XXXXXX";
    char *file, *text, old[16] = "";
    struct stat before, after;
    struct diag d;
    FILE *reader;

    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(base));
    file = path_in(base, "shares.csv");
    CU_ASSERT_EQUAL_FATAL(write_text(file, "old content\n"), 0);
    CU_ASSERT_EQUAL_FATAL(stat(file, &before), 0);
    reader = fopen(file, "rb");
    CU_ASSERT_PTR_NOT_NULL_FATAL(reader);

    diag_init(&d);
    CU_ASSERT_EQUAL(
        report_write_file(base, "shares.csv", write_string, "new\n", &d), 0);
    CU_ASSERT_EQUAL(d.count, 0);
    text = read_text(file);
    CU_ASSERT_PTR_NOT_NULL(text);
    if (text != NULL)
        CU_ASSERT_STRING_EQUAL(text, "new\n");
    free(text);
    CU_ASSERT_PTR_NOT_NULL(fgets(old, sizeof old, reader));
    CU_ASSERT_STRING_EQUAL(old, "old content\n");
    CU_ASSERT_EQUAL(stat(file, &after), 0);
    CU_ASSERT_NOT_EQUAL(before.st_ino, after.st_ino);
    fclose(reader);

    unlink(file);
    free(file);
    CU_ASSERT_EQUAL(rmdir(base), 0);
    diag_release(&d);
}

static void test_write_leaves_no_temporary(void)
{
    char base[] = "/tmp/costshare-report-XXXXXX";
    char *file;
    size_t temporary;
    struct diag d;

    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(base));
    diag_init(&d);
    CU_ASSERT_EQUAL(
        report_write_file(base, "shares.csv", write_string, "a\n", &d), 0);
    CU_ASSERT_EQUAL(
        report_write_file(base, "shares.csv", write_string, "b\n", &d), 0);
    CU_ASSERT_EQUAL(count_entries(base, ".shares.csv.", &temporary), 1);
    CU_ASSERT_EQUAL(temporary, 0);
    file = path_in(base, "shares.csv");
    unlink(file);
    free(file);
    CU_ASSERT_EQUAL(rmdir(base), 0);
    diag_release(&d);
}

/* The file gets the mode of a new file, 0666 less the umask, not the
 * 0600 of mkstemp. */
static void test_write_mode_follows_umask(void)
{
    static const mode_t masks[] = {022, 027, 077, 0};
    static const mode_t modes[] = {0644, 0640, 0600, 0666};
    char base[] = "/tmp/costshare-report-XXXXXX";
    char *file;
    mode_t saved;
    struct diag d;

    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(base));
    file = path_in(base, "shares.csv");
    diag_init(&d);
    saved = umask(022);
    for (size_t i = 0; i < COUNT(masks); i++) {
        struct stat st;

        umask(masks[i]);
        CU_ASSERT_EQUAL(
            report_write_file(base, "shares.csv", write_string, "a\n", &d), 0);
        CU_ASSERT_EQUAL(stat(file, &st), 0);
        CU_ASSERT_EQUAL(st.st_mode & 0777, modes[i]);
    }
    umask(saved);
    unlink(file);
    free(file);
    CU_ASSERT_EQUAL(rmdir(base), 0);
    diag_release(&d);
}

static void test_write_into_regular_file(void)
{
    char base[] = "/tmp/costshare-report-XXXXXX";
    char *file, *text;
    size_t temporary;
    struct diag d;

    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(base));
    file = path_in(base, "plain");
    CU_ASSERT_EQUAL_FATAL(write_text(file, "keep\n"), 0);
    diag_init(&d);
    CU_ASSERT_EQUAL(
        report_write_file(file, "shares.csv", write_string, "a\n", &d), -2);
    CU_ASSERT_EQUAL(d.errors, 1);
    CU_ASSERT_EQUAL_FATAL(d.count, 1);
    CU_ASSERT_EQUAL(d.entries[0].level, DIAG_ERROR);
    CU_ASSERT_PTR_NOT_NULL(d.entries[0].file);
    text = read_text(file);
    CU_ASSERT_PTR_NOT_NULL(text);
    if (text != NULL)
        CU_ASSERT_STRING_EQUAL(text, "keep\n");
    free(text);
    CU_ASSERT_EQUAL(count_entries(base, ".", &temporary), 1);
    CU_ASSERT_EQUAL(temporary, 0);
    unlink(file);
    free(file);
    CU_ASSERT_EQUAL(rmdir(base), 0);
    diag_release(&d);
}

/* When the rename fails (the name is taken by a folder), the error is
 * reported and the temporary file removed. */
static void test_write_over_folder(void)
{
    char base[] = "/tmp/costshare-report-XXXXXX";
    char *folder;
    size_t temporary;
    struct diag d;

    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(base));
    folder = path_in(base, "shares.csv");
    CU_ASSERT_EQUAL_FATAL(mkdir(folder, 0700), 0);
    diag_init(&d);
    CU_ASSERT_EQUAL(
        report_write_file(base, "shares.csv", write_string, "a\n", &d), -2);
    CU_ASSERT_EQUAL(d.errors, 1);
    CU_ASSERT_EQUAL(count_entries(base, ".shares.csv.", &temporary), 1);
    CU_ASSERT_EQUAL(temporary, 0);
    CU_ASSERT_EQUAL(rmdir(folder), 0);
    free(folder);
    CU_ASSERT_EQUAL(rmdir(base), 0);
    diag_release(&d);
}

/* In the staging folder of outdir a file is written under its own name,
 * with no temporary file and the mode of a new file.  Its folder is
 * created by the first write, and the commit puts the files in place. */
static void test_staging_writes_in_place(void)
{
    char base[] = "/tmp/costshare-report-XXXXXX";
    char *target, *org, *file, *text;
    struct outdir o;
    struct stat st;
    size_t hidden;
    mode_t saved;
    struct diag d;

    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(base));
    target = path_in(base, "out");
    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(outdir_begin(&o, target, &d), 0);
    CU_ASSERT_TRUE(outdir_in_staging(o.staging));
    CU_ASSERT_FALSE(outdir_in_staging(base));
    CU_ASSERT_FALSE(outdir_in_staging(target));
    org = path_in(o.staging, "org");
    CU_ASSERT_TRUE(outdir_in_staging(org));

    saved = umask(027);
    CU_ASSERT_EQUAL(
        report_write_file(o.staging, "a.csv", write_string, "a\n", &d), 0);
    CU_ASSERT_EQUAL(
        report_write_file(org, "ORG1.html", write_string, "p\n", &d), 0);
    CU_ASSERT_EQUAL(
        report_write_file(org, "ORG2.html", write_string, "q\n", &d), 0);
    umask(saved);
    CU_ASSERT_EQUAL(d.count, 0);
    CU_ASSERT_EQUAL(count_entries(o.staging, ".", &hidden), 2);
    CU_ASSERT_EQUAL(hidden, 0);
    CU_ASSERT_EQUAL(count_entries(org, ".", &hidden), 2);
    CU_ASSERT_EQUAL(hidden, 0);
    file = path_in(o.staging, "a.csv");
    CU_ASSERT_EQUAL(stat(file, &st), 0);
    CU_ASSERT_EQUAL(st.st_mode & 0777, 0640);
    free(file);

    CU_ASSERT_EQUAL(outdir_commit(&o, &d), 0);
    CU_ASSERT_FALSE(outdir_in_staging(o.staging));
    file = path_in(target, "org/ORG2.html");
    text = read_text(file);
    CU_ASSERT_PTR_NOT_NULL(text);
    if (text != NULL)
        CU_ASSERT_STRING_EQUAL(text, "q\n");
    free(text);
    free(file);
    CU_ASSERT_EQUAL(count_entries(base, ".", &hidden), 1);
    outdir_release(&o);
    free(org);

    filetree_remove(target);
    free(target);
    CU_ASSERT_EQUAL(rmdir(base), 0);
    diag_release(&d);
}

/* More files than the outdir keeps open for the flush are flushed in
 * groups, and every one of them is in place after the commit. */
static void test_staging_many_files(void)
{
    char base[] = "/tmp/costshare-report-XXXXXX";
    char *target, *org, *file, *text;
    struct outdir o;
    size_t hidden;
    struct diag d;

    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(base));
    target = path_in(base, "out");
    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(outdir_begin(&o, target, &d), 0);
    org = path_in(o.staging, "org");
    for (int i = 0; i < 600; i++) {
        char name[32];

        snprintf(name, sizeof name, "ORG%03d.html", i);
        CU_ASSERT_EQUAL(report_write_file(org, name, write_string, name, &d),
                        0);
    }
    CU_ASSERT_EQUAL(d.count, 0);
    CU_ASSERT_EQUAL(outdir_commit(&o, &d), 0);
    outdir_release(&o);
    free(org);

    org = path_in(target, "org");
    CU_ASSERT_EQUAL(count_entries(org, ".", &hidden), 600);
    CU_ASSERT_EQUAL(hidden, 0);
    file = path_in(org, "ORG599.html");
    text = read_text(file);
    CU_ASSERT_PTR_NOT_NULL(text);
    if (text != NULL)
        CU_ASSERT_STRING_EQUAL(text, "ORG599.html");
    free(text);
    free(file);
    free(org);
    filetree_remove(target);
    free(target);
    CU_ASSERT_EQUAL(rmdir(base), 0);
    diag_release(&d);
}

/* A name written twice in one staging folder is an error, and the first
 * file stays as it was. */
static void test_staging_rejects_second_write(void)
{
    char base[] = "/tmp/costshare-report-XXXXXX";
    char *target, *file, *text;
    struct outdir o;
    struct diag d;

    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(base));
    target = path_in(base, "out");
    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(outdir_begin(&o, target, &d), 0);
    CU_ASSERT_EQUAL(
        report_write_file(o.staging, "a.csv", write_string, "a\n", &d), 0);
    CU_ASSERT_EQUAL(
        report_write_file(o.staging, "a.csv", write_string, "b\n", &d), -2);
    CU_ASSERT_EQUAL(d.errors, 1);
    file = path_in(o.staging, "a.csv");
    text = read_text(file);
    CU_ASSERT_PTR_NOT_NULL(text);
    if (text != NULL)
        CU_ASSERT_STRING_EQUAL(text, "a\n");
    free(text);
    free(file);

    outdir_abort(&o);
    outdir_release(&o);
    CU_ASSERT_EQUAL(count_entries(base, "", &(size_t){0}), 0);
    free(target);
    CU_ASSERT_EQUAL(rmdir(base), 0);
    diag_release(&d);
}

/* A path that leaves the staging folder by ".." is not taken for it. */
static void test_staging_dot_dot_outside(void)
{
    char base[] = "/tmp/costshare-report-XXXXXX";
    char *target, *outside, *prefix;
    struct outdir o;
    struct diag d;

    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(base));
    target = path_in(base, "out");
    diag_init(&d);
    CU_ASSERT_EQUAL_FATAL(outdir_begin(&o, target, &d), 0);
    outside = path_in(o.staging, "..");
    CU_ASSERT_FALSE(outdir_in_staging(outside));
    free(outside);
    /* A sibling whose name starts with the staging folder's name. */
    prefix = malloc(strlen(o.staging) + 2);
    CU_ASSERT_PTR_NOT_NULL_FATAL(prefix);
    sprintf(prefix, "%sx", o.staging);
    CU_ASSERT_FALSE(outdir_in_staging(prefix));
    free(prefix);
    outdir_abort(&o);
    outdir_release(&o);
    CU_ASSERT_FALSE(outdir_in_staging(base));
    free(target);
    CU_ASSERT_EQUAL(rmdir(base), 0);
    diag_release(&d);
}

/* filetree_remove() removes nested folders and files, and a symbolic
 * link without the file it names. */
static void test_filetree_remove_nested(void)
{
    char base[] = "/tmp/costshare-report-XXXXXX";
    char *tree, *keep, *path, *text;
    struct stat st;

    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(base));
    tree = path_in(base, "tree");
    keep = path_in(base, "keep.txt");
    CU_ASSERT_EQUAL_FATAL(write_text(keep, "keep\n"), 0);
    CU_ASSERT_EQUAL_FATAL(mkdir(tree, 0755), 0);
    for (int i = 0; i < 40; i++) {
        char name[32];

        snprintf(name, sizeof name, "tree/f%02d.csv", i);
        path = path_in(base, name);
        CU_ASSERT_EQUAL(write_text(path, "x\n"), 0);
        free(path);
    }
    path = path_in(base, "tree/a");
    CU_ASSERT_EQUAL(mkdir(path, 0755), 0);
    free(path);
    path = path_in(base, "tree/a/b");
    CU_ASSERT_EQUAL(mkdir(path, 0755), 0);
    free(path);
    path = path_in(base, "tree/a/b/deep.html");
    CU_ASSERT_EQUAL(write_text(path, "d\n"), 0);
    free(path);
    path = path_in(base, "tree/a/link");
    CU_ASSERT_EQUAL(symlink(keep, path), 0);
    free(path);

    CU_ASSERT_EQUAL(filetree_flush(tree, NULL, 0), 0);
    filetree_remove(tree);
    CU_ASSERT_NOT_EQUAL(lstat(tree, &st), 0);
    text = read_text(keep);
    CU_ASSERT_PTR_NOT_NULL(text);
    if (text != NULL)
        CU_ASSERT_STRING_EQUAL(text, "keep\n");
    free(text);
    unlink(keep);
    free(keep);
    free(tree);
    CU_ASSERT_EQUAL(rmdir(base), 0);
}

/* filetree_flush() fails on a missing folder, with errno set. */
static void test_filetree_flush_missing(void)
{
    errno = 0;
    CU_ASSERT_EQUAL(filetree_flush("/tmp/costshare-report-missing/x", NULL, 0),
                    -1);
    CU_ASSERT_EQUAL(errno, ENOENT);
}

/*
 * A JFA result with only what report_check() reads: the model's decimals
 * and the allocation.  The parties' amounts, per-cent column and their
 * sums are given by the test.
 */
struct hand_result {
    struct model model;
    struct jfa_result result;
    int64_t amount[3];
    int64_t percent[3];
    enum allocate_rule rule[3];
};

static void hand_build(struct hand_result *h, int64_t pool,
                       const int64_t amount[3], const int64_t percent[3])
{
    memset(h, 0, sizeof *h);
    h->model.decimals = 2;
    h->result.model = &h->model;
    h->result.n = 3;
    h->result.allocation.n = 3;
    h->result.allocation.pool = pool;
    h->result.allocation.amount = h->amount;
    h->result.allocation.percent = h->percent;
    h->result.allocation.rule = h->rule;
    for (size_t i = 0; i < 3; i++) {
        h->amount[i] = amount[i];
        h->percent[i] = percent[i];
        h->result.allocation.total += amount[i];
        h->result.allocation.percent_total += percent[i];
    }
}

static int has_message(const struct diag *d, const char *text)
{
    for (size_t i = 0; i < d->count; i++)
        if (strstr(d->entries[i].message, text) != NULL)
            return 1;
    return 0;
}

static void test_check_footing_result(void)
{
    static const int64_t amount[3] = {50000, 33333, 16667};
    static const int64_t percent[3] = {500000, 333330, 166670};
    struct hand_result h;
    struct diag d;

    hand_build(&h, 100000, amount, percent);
    diag_init(&d);
    CU_ASSERT_EQUAL(report_check(&h.result, &d), 0);
    CU_ASSERT_EQUAL(d.count, 0);
    diag_release(&d);
}

static void test_check_amounts_short(void)
{
    static const int64_t amount[3] = {50000, 33333, 16666};
    static const int64_t percent[3] = {500000, 333330, 166670};
    struct hand_result h;
    struct diag d;

    hand_build(&h, 100000, amount, percent);
    diag_init(&d);
    CU_ASSERT_EQUAL(report_check(&h.result, &d), -1);
    CU_ASSERT_EQUAL(d.errors, 1);
    CU_ASSERT(has_message(&d, "amounts sum to 999.99, pool is 1,000.00"));
    diag_release(&d);
}

static void test_check_percent_short(void)
{
    static const int64_t amount[3] = {50000, 33333, 16667};
    static const int64_t percent[3] = {500000, 333330, 166669};
    struct hand_result h;
    struct diag d;

    hand_build(&h, 100000, amount, percent);
    diag_init(&d);
    CU_ASSERT_EQUAL(report_check(&h.result, &d), -1);
    CU_ASSERT_EQUAL(d.errors, 1);
    CU_ASSERT(has_message(&d, "share_pct sums to 99.9999, not 100"));
    diag_release(&d);
}

/* A zero pool among parties of zero headcount has no per cent to total. */
static void test_check_zero_pool(void)
{
    static const int64_t zero[3] = {0, 0, 0};
    struct hand_result h;
    struct diag d;

    hand_build(&h, 0, zero, zero);
    diag_init(&d);
    CU_ASSERT_EQUAL(report_check(&h.result, &d), 0);
    CU_ASSERT_EQUAL(d.count, 0);
    diag_release(&d);
}

/* The check must add the amounts and percentages themselves: a result
 * whose stored totals still show the pool after a part changed does not
 * foot. */
static void test_check_readds_parts(void)
{
    static const int64_t amount[3] = {50000, 33333, 16667};
    static const int64_t percent[3] = {500000, 333330, 166670};
    struct hand_result h;
    struct diag d;

    hand_build(&h, 100000, amount, percent);
    h.amount[2] -= 1;
    diag_init(&d);
    CU_ASSERT_EQUAL(report_check(&h.result, &d), -1);
    diag_release(&d);

    hand_build(&h, 100000, amount, percent);
    h.percent[2] -= 1;
    diag_init(&d);
    CU_ASSERT_EQUAL(report_check(&h.result, &d), -1);
    diag_release(&d);
}

int suite_report(void)
{
    static const struct {
        const char *name;
        CU_TestFunc function;
    } tests[] = {
        {"CSV text cells", test_csv_text_cells},
        {"buffer CSV text cells", test_buffer_csv_text_cells},
        {"buffer money values", test_buffer_money_values},
        {"buffer crosses its size", test_buffer_crosses_its_size},
        {"write creates folders", test_write_creates_folders},
        {"write trailing slash", test_write_trailing_slash},
        {"write replaces atomically", test_write_replaces_atomically},
        {"write leaves no temporary", test_write_leaves_no_temporary},
        {"write mode follows umask", test_write_mode_follows_umask},
        {"write into regular file", test_write_into_regular_file},
        {"write over folder", test_write_over_folder},
        {"staging writes in place", test_staging_writes_in_place},
        {"staging many files", test_staging_many_files},
        {"staging rejects second write", test_staging_rejects_second_write},
        {"staging dot-dot outside", test_staging_dot_dot_outside},
        {"filetree remove nested", test_filetree_remove_nested},
        {"filetree flush missing", test_filetree_flush_missing},
        {"check footing result", test_check_footing_result},
        {"check amounts short", test_check_amounts_short},
        {"check percent short", test_check_percent_short},
        {"check zero pool", test_check_zero_pool},
        {"check re-adds parts", test_check_readds_parts},
    };
    CU_pSuite suite = CU_add_suite("report", NULL, NULL);

    if (suite == NULL)
        return -1;
    for (size_t i = 0; i < COUNT(tests); i++) {
        if (CU_add_test(suite, tests[i].name, tests[i].function) == NULL)
            return -1;
    }
    return 0;
}
