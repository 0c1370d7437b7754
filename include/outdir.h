/*
 * outdir: an output folder replaced as a whole.  A run writes into a new
 * folder beside the target, then swaps it into place in one step, so a
 * reader sees the earlier run's files or this run's, never a mix; a run
 * that fails or is killed leaves the target as it was.
 */
#ifndef COSTSHARE_OUTDIR_H
#define COSTSHARE_OUTDIR_H

#include "diag.h"

/* The file that marks a folder as written by costshare. */
#define OUTDIR_MARKER ".costshare-output"

struct outdir {
    char *target;  /* the folder the user named */
    char *staging; /* the new folder being written; after a swap by
                      exchange, the earlier run's files */
    char *old;     /* after a swap by two renames, the earlier folder */
    int swapped;   /* 0, or how outdir_swap() put the folder in place */
    char *made;    /* the highest folder above the target that
                      outdir_begin() created, or NULL */
};

/*
 * Prepare to replace TARGET: it must not exist, be empty, or contain
 * only what an earlier run listed in its marker, so that files costshare did
 * not write are never replaced.  Creates the staging folder.  Returns 0, -1
 * when TARGET contains other files, or -2 on a system error (errors in D).
 */
int outdir_begin(struct outdir *o, const char *target, struct diag *d);

/* Swap the staging folder into place and remove the earlier run's
 * files.  Returns 0 or -2. */
int outdir_commit(struct outdir *o, struct diag *d);

/*
 * Swap the staging folder into place but keep the earlier run's files,
 * so that outdir_undo() can put them back when a later step (the store's
 * commit) fails; outdir_keep() then removes them.  Returns 0 or -2.
 */
int outdir_swap(struct outdir *o, struct diag *d);
void outdir_keep(struct outdir *o);

/* Put the earlier folder back after outdir_swap(); the new files go back
 * to the staging folder, for outdir_abort(). */
void outdir_undo(struct outdir *o);

/* Remove the staging folder and everything in it. */
void outdir_abort(struct outdir *o);

void outdir_release(struct outdir *o);

/*
 * Return whether DIR is the staging folder of the output folder being
 * written, or a folder in it.  A file there may be written in place, with
 * no temporary name and no fsync of its own.  No reader sees the folder
 * before outdir_swap(), which flushes every file in it first, and a
 * failed or killed run never swaps it in.
 */
int outdir_in_staging(const char *dir);

/*
 * Take over FD, open on a file in the staging folder, and flush the file
 * in outdir_swap(), with the others, several at a time.  A file written
 * there without this call is found and flushed by outdir_swap() too, by
 * a descriptor opened then.
 */
void outdir_flush_later(int fd);

/*
 * Flush the files handed to outdir_flush_later() so far, and close them,
 * so that outdir_swap() has fewer to wait for.  An error is kept for
 * outdir_swap() to report.  Either thread of a run may call it while the
 * other writes.
 */
void outdir_flush_now(void);

/* Start writing the data of the file open on FD to the disk, without
 * waiting, so that outdir_swap() has less left to wait for.  Does nothing
 * where sync_file_range() is missing. */
void outdir_start_writeback(int fd);

#endif
