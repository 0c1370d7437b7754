/*
 * Scratch files for the libFuzzer harnesses: one private folder per
 * process, removed at exit.
 *
 * NOTE: a run that ends in a crash skips the atexit handler, so its
 * folder (/tmp/costshare-fuzz-XXXXXX) is left behind.
 */
#ifndef COSTSHARE_FUZZ_FILES_H
#define COSTSHARE_FUZZ_FILES_H

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char fuzz_folder[64];

static void fuzz_remove_folder(void)
{
    DIR *dir = opendir(fuzz_folder);
    struct dirent *entry;

    if (dir == NULL)
        return;
    while ((entry = readdir(dir)) != NULL) {
        char path[sizeof fuzz_folder + 256];

        if (strcmp(entry->d_name, ".") == 0 ||
            strcmp(entry->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", fuzz_folder, entry->d_name);
        unlink(path);
    }
    closedir(dir);
    rmdir(fuzz_folder);
}

/* Create the scratch folder once; abort when that fails, since no input
 * could be tested. */
static const char *fuzz_scratch_folder(void)
{
    if (fuzz_folder[0] != '\0')
        return fuzz_folder;
    snprintf(fuzz_folder, sizeof fuzz_folder, "%s",
             "/tmp/costshare-fuzz-XXXXXX");
    if (mkdtemp(fuzz_folder) == NULL) {
        perror("mkdtemp");
        abort();
    }
    atexit(fuzz_remove_folder);
    return fuzz_folder;
}

/* Write SIZE bytes of DATA to PATH, replacing it; abort on failure. */
static void fuzz_write_file(const char *path, const uint8_t *data,
                            size_t size)
{
    FILE *f = fopen(path, "wb");

    if (f == NULL || (size > 0 && fwrite(data, 1, size, f) != size) ||
        fclose(f) != 0) {
        perror(path);
        abort();
    }
}

#endif
