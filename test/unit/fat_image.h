/* Helpers for the FAT tests: FAT images made with the host's dosfstools
 * and mtools in a scratch directory, mounted on an in-memory disk. */
#ifndef MIRAGE_TEST_FAT_IMAGE_H
#define MIRAGE_TEST_FAT_IMAGE_H

#include <mirage/block.h>
#include <mirage/fs.h>
#include <stdbool.h>
#include <stddef.h>

/* The scratch directory (made on first use, removed at exit). */
const char *scratch_dir(void);
/* Run a shell command built from fmt; its exit status (-1 if it could not
 * run). Its output goes to *out when out is not NULL (malloc'd, NUL
 * terminated; the caller frees it), else to /dev/null. */
int run(char **out, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A new image file scratch/NAME of kib KiB made by mkfs.fat with the extra
 * options (e.g. "-F 12"); its path (static storage, one per name), or NULL
 * when mkfs.fat failed. */
const char *make_image(const char *name, unsigned kib, const char *options);
/* A mounted image: the disk and the filesystem, read-write. */
struct mounted {
    struct mirage_block *disk;
    struct mirage_fs *fs;
};
/* Load path into memory and mount it; 0 or the error of the mount. */
int mount_image(const char *path, struct mounted *m);
/* Unmount, saving the disk back to path first when path is not NULL. */
void unmount_image(struct mounted *m, const char *path);
/* Write a file of len bytes of a pattern derived from seed. */
void fill_pattern(unsigned char *buf, size_t len, unsigned seed);

#endif
