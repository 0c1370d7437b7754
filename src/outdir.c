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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

/* Remove PATH and, when it is a folder, everything in it.  Symbolic
 * links are removed, never followed. */
static void remove_tree(const char *path)
{
    struct stat st;
    DIR *dir;
    struct dirent *e;

    if (lstat(path, &st) != 0)
        return;
    if (!S_ISDIR(st.st_mode)) {
        unlink(path);
        return;
    }
    dir = opendir(path);
    while (dir != NULL && (e = readdir(dir)) != NULL) {
        char *child;

        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        child = xasprintf("%s/%s", path, e->d_name);
        remove_tree(child);
        free(child);
    }
    if (dir != NULL)
        closedir(dir);
    rmdir(path);
}

/* Return 1 when folder PATH is empty or holds the marker, 0 when it
 * holds other files, -1 when it cannot be read. */
static int replaceable(const char *path)
{
    DIR *dir = opendir(path);
    struct dirent *e;
    int empty = 1, marked = 0;

    if (dir == NULL)
        return -1;
    while ((e = readdir(dir)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        empty = 0;
        marked |= strcmp(e->d_name, OUTDIR_MARKER) == 0;
    }
    closedir(dir);
    return empty || marked;
}

/* Create the parents of PATH when missing. */
static int make_parents(const char *path)
{
    char *copy = xstrdup(path);
    int status = 0;

    for (char *p = copy + 1; *p && status == 0; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(copy, 0777) != 0 && errno != EEXIST)
            status = -1;
        *p = '/';
    }
    free(copy);
    return status;
}

int outdir_begin(struct outdir *o, const char *target, struct diag *d)
{
    struct stat st;
    int ok;

    memset(o, 0, sizeof *o);
    if (stat(target, &st) == 0) {
        if (!S_ISDIR(st.st_mode)) {
            diag_error(d, target, 0, 0,
                       "the output folder is a file; name a folder");
            return -1;
        }
        ok = replaceable(target);
        if (ok < 0) {
            diag_error(d, target, 0, 0, "cannot read the output folder: %s",
                       strerror(errno));
            return -2;
        }
        if (!ok) {
            diag_error(d, target, 0, 0,
                       "the output folder holds files that costshare did "
                       "not write; name an empty or new folder");
            return -1;
        }
    }
    if (make_parents(target) != 0) {
        diag_error(d, target, 0, 0, "cannot create the output folder: %s",
                   strerror(errno));
        return -2;
    }
    o->target = xstrdup(target);
    o->staging = xasprintf("%s.costshare-new-XXXXXX", target);
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
    return 0;
}

static int write_marker(const struct outdir *o, struct diag *d)
{
    char *path = xasprintf("%s/%s", o->staging, OUTDIR_MARKER);
    FILE *f = fopen(path, "w");
    int status = 0;

    if (f == NULL || fputs("written by costshare\n", f) == EOF ||
        fclose(f) != 0) {
        diag_error(d, path, 0, 0, "cannot write: %s", strerror(errno));
        status = -2;
    }
    free(path);
    return status;
}

int outdir_commit(struct outdir *o, struct diag *d)
{
    struct stat st;

    if (write_marker(o, d) != 0)
        return -2;
    if (stat(o->target, &st) != 0) {
        if (rename(o->staging, o->target) == 0)
            return 0;
    } else if (renameat2(AT_FDCWD, o->staging, AT_FDCWD, o->target,
                         RENAME_EXCHANGE) == 0) {
        remove_tree(o->staging); /* now the earlier run's files */
        return 0;
    } else if (errno == EINVAL || errno == ENOSYS) {
        char *old =
            xasprintf("%s.costshare-old-%ld", o->target, (long)getpid());
        int moved =
            rename(o->target, old) == 0 && rename(o->staging, o->target) == 0;

        remove_tree(old);
        free(old);
        if (moved)
            return 0;
    }
    diag_error(d, o->target, 0, 0, "cannot put the output folder in place: %s",
               strerror(errno));
    return -2;
}

void outdir_abort(struct outdir *o)
{
    if (o->staging != NULL)
        remove_tree(o->staging);
}

void outdir_release(struct outdir *o)
{
    free(o->target);
    free(o->staging);
    memset(o, 0, sizeof *o);
}
