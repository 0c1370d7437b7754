/*
 * filetree: a folder and everything in it, flushed to the disk or
 * removed as a whole.
 */
#ifndef COSTSHARE_FILETREE_H
#define COSTSHARE_FILETREE_H

#include <stddef.h>
#include <sys/types.h>

/*
 * Flush every regular file and folder under the folder PATH, and PATH
 * itself, to the disk with fsync, several at a time.  Files whose inode
 * number is one of the NSKIP in SKIP (sorted here) were flushed already
 * and are skipped.  Symbolic links are not followed.  Returns 0, or -1
 * with errno set when a file cannot be opened or flushed (the others are
 * still flushed).
 */
int filetree_flush(const char *path, ino_t *skip, size_t nskip);

/*
 * Flush the N files open on FDS with fsync, several at a time, and close
 * them.  Sets INODES[I] to the inode number of FDS[I] when it was
 * flushed.  Returns 0, or -1 with errno set to the first error.
 */
int filetree_flush_files(const int *fds, size_t n, ino_t *inodes);

/* Remove PATH and, when it is a folder, everything in it; symbolic links
 * are removed, never followed.  Errors are ignored: what cannot be
 * removed stays. */
void filetree_remove(const char *path);

#endif
