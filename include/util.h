/*
 * util: the one allocation wrapper and small string helpers.
 */
#ifndef COSTSHARE_UTIL_H
#define COSTSHARE_UTIL_H

#include <stddef.h>

/* Exit status for a system error (I/O, out of memory). */
#define EXIT_SYSTEM 3

/*
 * Allocate like malloc, calloc, realloc and strdup, but on out-of-memory
 * print "costshare: out of memory" and exit with EXIT_SYSTEM, so callers
 * never see NULL.
 */
void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *ptr, size_t size);
void *xreallocarray(void *ptr, size_t count, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* Write the SHA-256 digest of DATA (LEN bytes) as 64 hex digits and a
 * NUL into OUT (nettle). */
void sha256_hex(const void *data, size_t len, char out[65]);

/*
 * Read the whole file at PATH into a new NUL-terminated buffer; set *LEN
 * when LEN is not NULL.  Returns NULL with errno set on failure.
 */
char *read_whole_file(const char *path, size_t *len);

/* Upper-case the ASCII letters of S in place; return whether any
 * changed. */
int ascii_upper(char *s);

/*
 * Create the folders above PATH that are missing and, with LAST, PATH
 * itself.  Returns 0, or -1 with errno set.
 */
int make_folders(const char *path, int last);

/* Return a new string formatted like printf. */
char *xasprintf(const char *format, ...) __attribute__((format(printf, 1, 2)));

/*
 * Return a new path for NAME relative to the folder of BASE_FILE (NAME
 * itself when absolute).  With TIDY, "." and "dir/.." pairs are removed
 * from the text, so messages show short paths such as "../data/x.csv";
 * open the untidied path, since a symbolic link can make the two differ.
 */
char *path_join_relative(const char *base_file, const char *name, int tidy);

/*
 * Return the length of the byte span at the start of S that is ASCII
 * space or tab, U+00A0 or U+202F (each counted in bytes).
 */
size_t utf8_space_prefix(const char *s, size_t len);

/* Return the number of such space bytes at the end of S[0..len). */
size_t utf8_space_suffix(const char *s, size_t len);

/*
 * Dates are whole days counted from 1970-01-01 (day 0), so that comparing
 * two dates compares two integers.
 */

/* Read LEN bytes at S as a calendar date "YYYY-MM-DD" (years 1000 to
 * 9999) into *DAYS; return 0, or -1 when it is not such a date. */
int date_parse(const char *s, size_t len, long *days);

/* Write DAYS as "YYYY-MM-DD" into OUT. */
void date_format(long days, char out[11]);

/* Return DAYS plus MONTHS calendar months; a day of the month that the
 * later month lacks becomes its last day (31 January plus one month is
 * 28 or 29 February). */
long date_add_months(long days, long months);

/* Read up to LEN bytes at OFFSET of the file open on FD into BUF, going
 * on after short reads and interrupts; return the count (short only at
 * the end of the file), or -1 with errno set. */
long long pread_full(int fd, void *buf, size_t len, unsigned long long offset);

/* Flush the file or folder at PATH to the disk; return 0, or -1 with
 * errno set. */
int fsync_path(const char *path);

/* Hex digest of the SHA-256 of the file open on FD, read from its start
 * in blocks; return 0, or -1 with errno set. */
int sha256_file_hex(int fd, char out[65]);

#endif
