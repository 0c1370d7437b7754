/*
 * util: allocation that never returns NULL, and path and UTF-8 helpers.
 */
#include "util.h"

#include <errno.h>
#include <fcntl.h>
#include <nettle/sha2.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void out_of_memory(void)
{
    fputs("costshare: out of memory\n", stderr);
    exit(EXIT_SYSTEM);
}

void *xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);

    if (p == NULL)
        out_of_memory();
    return p;
}

void *xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);

    if (p == NULL)
        out_of_memory();
    return p;
}

void *xrealloc(void *ptr, size_t size)
{
    void *p = realloc(ptr, size ? size : 1);

    if (p == NULL)
        out_of_memory();
    return p;
}

void *xreallocarray(void *ptr, size_t count, size_t size)
{
    if (size != 0 && count > SIZE_MAX / size)
        out_of_memory();
    return xrealloc(ptr, count * size);
}

char *xstrdup(const char *s)
{
    return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);

    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *xasprintf(const char *format, ...)
{
    va_list ap;
    int n;
    char *p;

    va_start(ap, format);
    n = vsnprintf(NULL, 0, format, ap);
    va_end(ap);
    if (n < 0)
        out_of_memory();

    p = xmalloc((size_t)n + 1);
    va_start(ap, format);
    vsnprintf(p, (size_t)n + 1, format, ap);
    va_end(ap);
    return p;
}

/*
 * Remove "." components and "dir/.." pairs from PATH in place.  Leading
 * ".." components of a relative path stay.
 */
static void path_tidy(char *path)
{
    /* A path of L bytes has at most L / 2 + 1 components. */
    char **parts = xcalloc(strlen(path) / 2 + 1, sizeof *parts);
    size_t n = 0, kept = 0;
    int absolute = path[0] == '/';
    char *save = NULL, *copy = xstrdup(path), *out = path;

    for (char *p = strtok_r(copy, "/", &save); p;
         p = strtok_r(NULL, "/", &save))
        parts[n++] = p;

    for (size_t i = 0; i < n; i++) {
        if (strcmp(parts[i], ".") == 0)
            continue;
        if (strcmp(parts[i], "..") == 0 && kept > 0 &&
            strcmp(parts[kept - 1], "..") != 0) {
            kept--;
            continue;
        }
        if (strcmp(parts[i], "..") == 0 && absolute)
            continue;
        parts[kept++] = parts[i];
    }

    if (absolute)
        *out++ = '/';
    for (size_t i = 0; i < kept; i++) {
        size_t len = strlen(parts[i]);

        if (i > 0)
            *out++ = '/';
        memmove(out, parts[i], len);
        out += len;
    }
    if (out == path)
        *out++ = '.';
    *out = '\0';
    free(copy);
    free(parts);
}

char *path_join_relative(const char *base_file, const char *name, int tidy)
{
    const char *slash = strrchr(base_file, '/');
    char *joined;

    if (name[0] == '/' || slash == NULL)
        joined = xstrdup(name);
    else
        joined =
            xasprintf("%.*s/%s", (int)(slash - base_file), base_file, name);
    if (tidy)
        path_tidy(joined);
    return joined;
}

/* Return the length of the space character at S (0 if none). */
static size_t space_at(const unsigned char *s, size_t len)
{
    if (len >= 1 && (s[0] == ' ' || s[0] == '\t'))
        return 1;
    if (len >= 2 && s[0] == 0xC2 && s[1] == 0xA0)
        return 2;
    if (len >= 3 && s[0] == 0xE2 && s[1] == 0x80 && s[2] == 0xAF)
        return 3;
    return 0;
}

size_t utf8_space_prefix(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0, n;

    while ((n = space_at(u + i, len - i)) > 0)
        i += n;
    return i;
}

size_t utf8_space_suffix(const char *s, size_t len)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t end = len;

    for (;;) {
        if (end >= 1 && (u[end - 1] == ' ' || u[end - 1] == '\t'))
            end -= 1;
        else if (end >= 2 && u[end - 2] == 0xC2 && u[end - 1] == 0xA0)
            end -= 2;
        else if (end >= 3 && u[end - 3] == 0xE2 && u[end - 2] == 0x80 &&
                 u[end - 1] == 0xAF)
            end -= 3;
        else
            break;
    }
    return len - end;
}

void sha256_hex(const void *data, size_t len, char out[65])
{
    struct sha256_ctx ctx;
    uint8_t digest[SHA256_DIGEST_SIZE];

    sha256_init(&ctx);
    sha256_update(&ctx, len, data);
    sha256_digest(&ctx, SHA256_DIGEST_SIZE, digest);
    for (size_t i = 0; i < SHA256_DIGEST_SIZE; i++)
        snprintf(out + 2 * i, 3, "%02x", digest[i]);
}

char *read_whole_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    size_t cap = 4096, n = 0, got;
    char *p;

    if (f == NULL)
        return NULL;
    p = xmalloc(cap + 1);
    while ((got = fread(p + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            cap *= 2;
            p = xrealloc(p, cap + 1);
        }
    }
    if (ferror(f)) {
        fclose(f);
        free(p);
        return NULL;
    }
    fclose(f);
    p[n] = '\0';
    if (len != NULL)
        *len = n;
    return p;
}

int ascii_upper(char *s)
{
    int changed = 0;

    for (; *s; s++) {
        if (*s >= 'a' && *s <= 'z') {
            *s = (char)(*s - 'a' + 'A');
            changed = 1;
        }
    }
    return changed;
}

int make_folders(const char *path, int last)
{
    char *copy = xstrdup(path);
    int status = 0;

    if (*copy == '\0') {
        free(copy);
        errno = ENOENT;
        return -1;
    }
    for (char *p = copy + 1; *p && status == 0; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(copy, 0777) != 0 && errno != EEXIST)
            status = -1;
        *p = '/';
    }
    if (status == 0 && last && mkdir(copy, 0777) != 0 && errno != EEXIST)
        status = -1;
    free(copy);
    return status;
}

/* Days from 1970-01-01 to Y-M-D in the proleptic Gregorian calendar, with
 * the year taken to start in March so that the leap day comes last. */
static long days_from_civil(long y, long m, long d)
{
    long era, yoe, doy;

    y -= m <= 2;
    era = y / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

static void civil_from_days(long z, long *y, long *m, long *d)
{
    long era, doe, yoe, doy, mp;

    z += 719468;
    era = z / 146097;
    doe = z - era * 146097;
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y = yoe + era * 400 + (*m <= 2);
}

static long month_days(long y, long m)
{
    static const unsigned char days[] = {31, 28, 31, 30, 31, 30,
                                         31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

    return days[m - 1] + (m == 2 && leap);
}

int date_parse(const char *s, size_t len, long *days)
{
    long y, m, d;

    if (len != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    for (size_t i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return -1;
    y = (s[0] - '0') * 1000L + (s[1] - '0') * 100L + (s[2] - '0') * 10L +
        (s[3] - '0');
    m = (s[5] - '0') * 10L + (s[6] - '0');
    d = (s[8] - '0') * 10L + (s[9] - '0');
    if (y < 1000 || m < 1 || m > 12 || d < 1 || d > month_days(y, m))
        return -1;
    *days = days_from_civil(y, m, d);
    return 0;
}

void date_format(long days, char out[11])
{
    long y, m, d;

    civil_from_days(days, &y, &m, &d);
    y = y < 0 ? 0 : y % 10000;
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = '\0';
}

long date_add_months(long days, long months)
{
    long y, m, d, index, last;

    civil_from_days(days, &y, &m, &d);
    index = y * 12 + (m - 1) + months;
    y = index / 12;
    m = index % 12 + 1;
    last = month_days(y, m);
    return days_from_civil(y, m, d < last ? d : last);
}

int fsync_path(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC), status;

    if (fd < 0)
        return -1;
    status = fsync(fd);
    if (close(fd) != 0)
        status = -1;
    return status;
}

long long pread_full(int fd, void *buf, size_t len, unsigned long long offset)
{
    size_t got = 0;

    while (got < len) {
        ssize_t n =
            pread(fd, (char *)buf + got, len - got, (off_t)(offset + got));

        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (n == 0)
            break;
        got += (size_t)n;
    }
    return (long long)got;
}

int sha256_file_hex(int fd, char out[65])
{
    struct sha256_ctx ctx;
    uint8_t digest[SHA256_DIGEST_SIZE];
    size_t size = (size_t)1 << 20;
    unsigned char *block = xmalloc(size);
    unsigned long long at = 0;

    sha256_init(&ctx);
    for (;;) {
        long long got = pread_full(fd, block, size, at);

        if (got < 0) {
            int saved = errno;

            free(block);
            errno = saved;
            return -1;
        }
        if (got == 0)
            break;
        sha256_update(&ctx, (size_t)got, block);
        at += (unsigned long long)got;
    }
    free(block);
    sha256_digest(&ctx, SHA256_DIGEST_SIZE, digest);
    for (size_t i = 0; i < SHA256_DIGEST_SIZE; i++)
        snprintf(out + 2 * i, 3, "%02x", digest[i]);
    return 0;
}
