/*
 * outdir: the output folder as a unit.  On Linux, renameat2() with
 * RENAME_EXCHANGE swaps the new folder and the old one atomically; where
 * the file system cannot, two renames leave the target missing for a
 * moment but never mixed.
 */
#define _GNU_SOURCE
#include "outdir.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "filetree.h"
#include "util.h"

/* The staging folder of the output folder being written, or NULL: one
 * output folder is written at a time.  It points at the staging field of
 * that struct outdir. */
static const char *current_staging;

/* Files written in the staging folder whose flush waits for
 * outdir_swap(), at most this many at once. */
#define OUTDIR_MAX_PENDING 256

/*
 * The descriptors those files were written with, kept open until the
 * flush.  Linux reports a writeback error to the fsync of a descriptor
 * that was open when it happened.  A descriptor opened later can miss it
 * when the kernel has dropped the file from its cache in between.
 */
static int pending[OUTDIR_MAX_PENDING];
static size_t npending;

/* The inode numbers of the files flushed from PENDING, and the errno of
 * the first fsync that failed, or 0. */
static ino_t *flushed;
static size_t nflushed;
static int flush_error;

/* The lock of PENDING, FLUSHED and FLUSH_ERROR, since both threads of a
 * run write reports. */
static pthread_mutex_t pending_lock = PTHREAD_MUTEX_INITIALIZER;

void outdir_flush_now(void)
{
    int fds[OUTDIR_MAX_PENDING];
    ino_t inodes[OUTDIR_MAX_PENDING];
    size_t n;
    int error = 0;

    pthread_mutex_lock(&pending_lock);
    n = npending;
    memcpy(fds, pending, n * sizeof *fds);
    npending = 0;
    pthread_mutex_unlock(&pending_lock);
    if (n == 0)
        return;
    /* Flushed with the lock released, so that the other thread can hand
     * over its files meanwhile. */
    memset(inodes, 0, n * sizeof *inodes);
    if (filetree_flush_files(fds, n, inodes) != 0)
        error = errno;
    pthread_mutex_lock(&pending_lock);
    flushed = xreallocarray(flushed, nflushed + n, sizeof *flushed);
    memcpy(flushed + nflushed, inodes, n * sizeof *inodes);
    nflushed += n;
    if (flush_error == 0)
        flush_error = error;
    pthread_mutex_unlock(&pending_lock);
}

/* Close the files in PENDING unflushed, and forget what was flushed. */
static void discard_pending(void)
{
    for (size_t i = 0; i < npending; i++)
        close(pending[i]);
    npending = 0;
    free(flushed);
    flushed = NULL;
    nflushed = 0;
    flush_error = 0;
}

int outdir_in_staging(const char *dir)
{
    size_t len;

    if (current_staging == NULL)
        return 0;
    len = strlen(current_staging);
    /* A ".." could lead out of the staging folder, so a path with one
     * takes the slower way that is safe anywhere. */
    return strncmp(dir, current_staging, len) == 0 &&
           (dir[len] == '\0' || dir[len] == '/') &&
           strstr(dir + len, "/..") == NULL;
}

void outdir_flush_later(int fd)
{
    pthread_mutex_lock(&pending_lock);
    while (npending == OUTDIR_MAX_PENDING) {
        pthread_mutex_unlock(&pending_lock);
        outdir_flush_now();
        pthread_mutex_lock(&pending_lock);
    }
    pending[npending++] = fd;
    pthread_mutex_unlock(&pending_lock);
}

void outdir_start_writeback(int fd)
{
#ifdef SYNC_FILE_RANGE_WRITE
    /* Only a hint: outdir_swap() still waits with fsync. */
    (void)sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
#else
    (void)fd;
#endif
}

/* Return whether NAME is a line of the marker text MARKER. */
static int listed(const char *marker, const char *name)
{
    size_t len = strlen(name);

    for (const char *p = marker; *p;) {
        size_t n = strcspn(p, "\n");

        if (n == len && strncmp(p, name, len) == 0)
            return 1;
        p += n + (p[n] == '\n');
    }
    return 0;
}

/* Return whether the folder org/ of an earlier run holds only pages. */
static int only_pages(const char *path)
{
    DIR *dir = opendir(path);
    struct dirent *e;
    int ok = dir != NULL;

    while (ok && (e = readdir(dir)) != NULL) {
        size_t n = strlen(e->d_name);

        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0 &&
            (n < 5 || strcmp(e->d_name + n - 5, ".html") != 0))
            ok = 0;
    }
    if (dir != NULL)
        closedir(dir);
    return ok;
}

/*
 * Return 1 when folder PATH may be replaced: it is empty, or it holds
 * only what an earlier run listed in its marker.  Return 0 and set
 * *FOREIGN (a new string) to a name it did not write, or -1 when the
 * folder cannot be read.
 */
static int replaceable(const char *path, char **foreign)
{
    char *marker_path = xasprintf("%s/%s", path, OUTDIR_MARKER);
    char *marker = read_whole_file(marker_path, NULL);
    DIR *dir = opendir(path);
    struct dirent *e;
    int ok = 1;

    free(marker_path);
    if (dir == NULL) {
        free(marker);
        return -1;
    }
    while (ok && (e = readdir(dir)) != NULL) {
        const char *name = e->d_name;

        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0 ||
            strcmp(name, OUTDIR_MARKER) == 0)
            continue;
        if (marker != NULL && listed(marker, name)) {
            char *child = xasprintf("%s/%s", path, name);
            struct stat st;

            ok = lstat(child, &st) != 0 || !S_ISDIR(st.st_mode) ||
                 only_pages(child);
            free(child);
            if (ok)
                continue;
        }
        ok = 0;
        *foreign = xstrdup(name);
    }
    closedir(dir);
    free(marker);
    return ok;
}

/*
 * Remove the folders that killed runs left beside TARGET while writing
 * it: TARGET.costshare-new-PID-XXXXXX whose process PID is gone.  A
 * folder of a run still going is left alone.
 */
static void remove_stale(const char *target)
{
    const char *slash = strrchr(target, '/');
    char *parent =
        slash ? xstrndup(target, (size_t)(slash - target)) : xstrdup(".");
    char *prefix = xasprintf("%s.costshare-new-", slash ? slash + 1 : target);
    DIR *dir = opendir(*parent ? parent : "/");
    struct dirent *e;

    while (dir != NULL && (e = readdir(dir)) != NULL) {
        char *end;
        long pid;

        if (strncmp(e->d_name, prefix, strlen(prefix)) != 0)
            continue;
        /* Only a name this program makes, PREFIX PID-XXXXXX, whose
         * process has ended.  Any other name is somebody's folder. */
        pid = strtol(e->d_name + strlen(prefix), &end, 10);
        if (*end == '-' && strlen(end + 1) == 6 && pid > 0 &&
            kill((pid_t)pid, 0) != 0 && errno == ESRCH) {
            char *path = xasprintf("%s/%s", *parent ? parent : "", e->d_name);

            filetree_remove(path);
            free(path);
        }
    }
    if (dir != NULL)
        closedir(dir);
    free(parent);
    free(prefix);
}

/* Return the highest folder above PATH that does not exist, or NULL
 * when its parent exists. */
static char *missing_parent(const char *path)
{
    char *p = xstrdup(path), *highest = NULL, *slash;
    struct stat st;

    while ((slash = strrchr(p, '/')) != NULL && slash != p) {
        *slash = '\0';
        if (stat(p, &st) == 0)
            break;
        free(highest);
        highest = xstrdup(p);
    }
    free(p);
    return highest;
}

/* Remove the empty folders above the target up to O->made, which this
 * run created. */
static void remove_made(struct outdir *o)
{
    char *p, *slash;

    if (o->made == NULL || o->target == NULL)
        return;
    p = xstrdup(o->target);
    while ((slash = strrchr(p, '/')) != NULL && slash != p) {
        *slash = '\0';
        if (rmdir(p) != 0 || strcmp(p, o->made) == 0)
            break;
    }
    free(p);
}

int outdir_begin(struct outdir *o, const char *target, struct diag *d)
{
    struct stat st;
    char *foreign = NULL, *resolved = NULL;
    int ok, status;

    /* A link to a folder: the folder it names is replaced, not the link,
     * so that the link goes on naming the new reports. */
    if (lstat(target, &st) == 0 && S_ISLNK(st.st_mode) &&
        stat(target, &st) == 0 && S_ISDIR(st.st_mode) &&
        (resolved = realpath(target, NULL)) != NULL) {
        status = outdir_begin(o, resolved, d);
        free(resolved);
        return status;
    }
    memset(o, 0, sizeof *o);
    if (stat(target, &st) == 0) {
        if (!S_ISDIR(st.st_mode)) {
            diag_error(d, target, 0, 0,
                       "the output folder is a file; name a folder");
            return -1;
        }
        ok = replaceable(target, &foreign);
        if (ok < 0) {
            diag_error(d, target, 0, 0, "cannot read the output folder: %s",
                       strerror(errno));
            return -2;
        }
        if (!ok) {
            diag_error(d, target, 0, 0,
                       "the output folder holds \"%s\", which costshare "
                       "did not write; move it or name another folder",
                       foreign);
            free(foreign);
            return -1;
        }
    }
    o->made = missing_parent(target);
    if (make_folders(target, 0) != 0) {
        diag_error(d, target, 0, 0, "cannot create the output folder: %s",
                   strerror(errno));
        free(o->made);
        o->made = NULL;
        return -2;
    }
    o->target = xstrdup(target);
    remove_stale(target);
    /* The process id in the name lets a later run check whether the
     * folder is still being written. */
    o->staging =
        xasprintf("%s.costshare-new-%ld-XXXXXX", target, (long)getpid());
    if (mkdtemp(o->staging) == NULL) {
        diag_error(d, target, 0, 0, "cannot create a folder beside it: %s",
                   strerror(errno));
        outdir_release(o);
        return -2;
    }
    /* mkdtemp makes the folder 0700; give it the mode a new folder
     * gets. */
    {
        mode_t mask = umask(0);

        umask(mask);
        chmod(o->staging, 0777 & ~mask);
    }
    current_staging = o->staging;
    return 0;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Write the marker, listing every name this run put in the folder. */
static int write_marker(const struct outdir *o, struct diag *d)
{
    char *path = xasprintf("%s/%s", o->staging, OUTDIR_MARKER);
    DIR *dir = opendir(o->staging);
    FILE *f = fopen(path, "w");
    struct dirent *e;
    int status = 0;

    char **names = NULL;
    size_t n = 0;

    /* Sorted, so that the same run gives the same bytes. */
    while (dir != NULL && (e = readdir(dir)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        names = xreallocarray(names, n + 1, sizeof *names);
        names[n++] = xstrdup(e->d_name);
    }
    if (dir != NULL)
        closedir(dir);
    qsort(names, n, sizeof *names, compare_names);
    for (size_t i = 0; i < n; i++) {
        if (f != NULL)
            fprintf(f, "%s\n", names[i]);
        free(names[i]);
    }
    free(names);
    if (f == NULL || ferror(f) || fclose(f) != 0) {
        diag_error(d, path, 0, 0, "cannot write: %s", strerror(errno));
        status = -2;
    }
    free(path);
    return status;
}

/* Flush the folder that contains PATH, so that a rename into it is on the
 * disk.  The folder is in place already, so a failure is not an error of
 * the run; return 0. */
static int sync_parent(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *parent = slash == path   ? xstrdup("/")
                   : slash != NULL ? xstrndup(path, (size_t)(slash - path))
                                   : xstrdup(".");

    (void)fsync_path(parent);
    free(parent);
    return 0;
}

enum { SWAP_NONE, SWAP_NEW, SWAP_EXCHANGED, SWAP_MOVED };

int outdir_swap(struct outdir *o, struct diag *d)
{
    struct stat st;
    int status;

    if (write_marker(o, d) != 0)
        return -2;
    current_staging = NULL;
    /* The files were written without an fsync of their own (see
     * report_write_file()): flush them all, and the folders that name
     * them, before the folder can be seen under the target's name.  The
     * walk of the folder flushes the marker and any file that was not
     * handed to outdir_flush_later(). */
    outdir_flush_now();
    status = flush_error;
    if (filetree_flush(o->staging, flushed, nflushed) != 0 && status == 0)
        status = errno;
    discard_pending();
    if (status != 0) {
        diag_error(d, o->staging, 0, 0, "cannot write: %s", strerror(status));
        return -2;
    }
    if (stat(o->target, &st) != 0) {
        if (rename(o->staging, o->target) == 0) {
            o->swapped = SWAP_NEW;
            return sync_parent(o->target);
        }
    } else if (renameat2(AT_FDCWD, o->staging, AT_FDCWD, o->target,
                         RENAME_EXCHANGE) == 0) {
        o->swapped = SWAP_EXCHANGED; /* the staging folder: earlier files */
        return sync_parent(o->target);
    } else if (errno == EINVAL || errno == ENOSYS) {
        o->old = xasprintf("%s.costshare-old-%ld", o->target, (long)getpid());
        if (rename(o->target, o->old) == 0) {
            if (rename(o->staging, o->target) == 0) {
                o->swapped = SWAP_MOVED;
                return sync_parent(o->target);
            }
            rename(o->old, o->target);
        }
        free(o->old);
        o->old = NULL;
    }
    diag_error(d, o->target, 0, 0, "cannot put the output folder in place: %s",
               strerror(errno));
    return -2;
}

void outdir_keep(struct outdir *o)
{
    if (o->swapped == SWAP_EXCHANGED)
        filetree_remove(o->staging);
    else if (o->swapped == SWAP_MOVED)
        filetree_remove(o->old);
    o->swapped = SWAP_NONE;
}

void outdir_undo(struct outdir *o)
{
    if (o->swapped == SWAP_NEW) {
        rename(o->target, o->staging);
    } else if (o->swapped == SWAP_EXCHANGED) {
        renameat2(AT_FDCWD, o->staging, AT_FDCWD, o->target, RENAME_EXCHANGE);
    } else if (o->swapped == SWAP_MOVED) {
        rename(o->target, o->staging);
        rename(o->old, o->target);
    }
    if (o->swapped != SWAP_NONE)
        sync_parent(o->target);
    o->swapped = SWAP_NONE;
}

int outdir_commit(struct outdir *o, struct diag *d)
{
    int status = outdir_swap(o, d);

    if (status == 0)
        outdir_keep(o);
    return status;
}

void outdir_abort(struct outdir *o)
{
    current_staging = NULL;
    discard_pending();
    if (o->staging != NULL)
        filetree_remove(o->staging);
    remove_made(o);
}

void outdir_release(struct outdir *o)
{
    if (current_staging == o->staging) {
        current_staging = NULL;
        discard_pending();
    }
    free(o->target);
    free(o->staging);
    free(o->old);
    free(o->made);
    memset(o, 0, sizeof *o);
}
