/*
 * filetree: a folder and everything in it, flushed to the disk or
 * removed as a whole.
 */
#ifndef COSTSHARE_FILETREE_H
#define COSTSHARE_FILETREE_H

/*
 * Flush every regular file and folder under the folder PATH, and PATH
 * itself, to the disk with fsync, several at a time.  Symbolic links are
 * not followed.  Returns 0, or -1 with errno set when a file cannot be
 * opened or flushed (the others are still flushed).
 */
int filetree_flush(const char *path);

/* Remove PATH and, when it is a folder, everything in it; symbolic links
 * are removed, never followed.  Errors are ignored: what cannot be
 * removed stays. */
void filetree_remove(const char *path);

#endif
