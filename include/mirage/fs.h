/* Filesystems (MirageOS Mirage_fs): files and directories named by path,
 * read and written at byte offsets; and the `fat BLOCK` device, a FAT12,
 * FAT16 or FAT32 filesystem with long file names on a block device.
 *
 * Paths are "a/b/c": components separated by '/', a leading '/' ignored,
 * "" or "/" naming the root directory. An empty component ("a//b"), "."
 * or "..", or a component the filesystem cannot hold (for FAT: a control
 * character or one of \ : * ? " < > |, or trailing dots or spaces) is
 * MIRAGE_EINVAL; a component longer than the filesystem allows (FAT: 255
 * UTF-16 units of UTF-8 text) is MIRAGE_ENAMETOOLONG. Names are UTF-8; FAT
 * compares them without regard to ASCII case.
 *
 * Errors shared by every call: MIRAGE_ENOENT (a component is missing),
 * MIRAGE_ENOTDIR (a component before the last is a file), MIRAGE_EBADF
 * (the on-disk structures are corrupt: a cluster chain with a cycle, an
 * out-of-range or free cluster, a chain shorter than the file), MIRAGE_EIO
 * (the block device failed), MIRAGE_ENOMEM. Calls that change the
 * filesystem also return MIRAGE_EROFS on a read-only device and
 * MIRAGE_ENOSPC when the disk (or a FAT12/16 root directory) is full or a
 * file would exceed the largest size (FAT: 4 GiB - 1); a call that fails
 * with MIRAGE_ENOSPC has changed nothing (rename over an existing file
 * excepted: that file may be gone). Every change is written through to
 * the device before the call returns. FAT keeps times in UTC.
 *
 * Every call may yield (block I/O); a filesystem must not be used by two
 * fibers at once. */
#ifndef MIRAGE_FS_H
#define MIRAGE_FS_H

#include <mirage/block.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

struct mirage_fs_stat {
    bool directory;
    bool read_only;
    uint64_t size;     /* bytes; 0 for a directory */
    uint64_t mtime_ns; /* last modification, ns since the Unix epoch */
};

/* One entry of a directory listing. */
struct mirage_fs_entry {
    char *name; /* the component's name (UTF-8), allocated with the array */
    bool directory;
};

struct mirage_fs;
struct mirage_fs_ops {
    /* Read up to len bytes of file `path` from byte `offset` into buf;
     * *got is set to the count read, less than len only at the end of the
     * file (0 at or beyond it). MIRAGE_EISDIR for a directory. */
    int (*read)(struct mirage_fs *fs, const char *path, uint64_t offset,
                void *buf, size_t len, size_t *got);
    /* The size in bytes of file `path`; MIRAGE_EISDIR for a directory. */
    int (*size)(struct mirage_fs *fs, const char *path, uint64_t *size);
    /* Create the empty file `path` in an existing directory; MIRAGE_EEXIST
     * if something has that name (in any case), MIRAGE_EINVAL for the
     * root. */
    int (*create)(struct mirage_fs *fs, const char *path);
    /* Create the empty directory `path`; errors as for create. */
    int (*mkdir)(struct mirage_fs *fs, const char *path);
    /* Remove the file or the empty directory `path`; MIRAGE_ENOTEMPTY for
     * a directory with entries, MIRAGE_EINVAL for the root. */
    int (*destroy)(struct mirage_fs *fs, const char *path);
    /* What `path` is. */
    int (*stat)(struct mirage_fs *fs, const char *path,
                struct mirage_fs_stat *st);
    /* The entries of directory `path` ("." and ".." excluded) in directory
     * order: *out is a malloc'd array of *n entries that the caller frees
     * with mirage_fs_entries_free (*out is NULL when *n is 0).
     * MIRAGE_ENOTDIR if `path` is a file. */
    int (*listdir)(struct mirage_fs *fs, const char *path,
                   struct mirage_fs_entry **out, size_t *n);
    /* Write len bytes from buf into the existing file `path` at byte
     * `offset`, growing the file as needed; a gap between the old end and
     * offset reads as zeros. MIRAGE_EISDIR for a directory. */
    int (*write)(struct mirage_fs *fs, const char *path, uint64_t offset,
                 const void *buf, size_t len);
    /* Beyond MirageOS's FS: set the size of file `path`, dropping the bytes
     * past `size` or adding zeros. MIRAGE_EISDIR for a directory. */
    int (*truncate)(struct mirage_fs *fs, const char *path, uint64_t size);
    /* Beyond MirageOS's FS: give the file or directory `from` the name
     * `to`, whose parent must exist. An existing file `to` is replaced
     * when `from` is a file too; MIRAGE_EISDIR when `to` is an existing
     * directory, MIRAGE_ENOTDIR when `from` is a directory and `to` an
     * existing file, MIRAGE_EINVAL when `to` lies inside `from` or either
     * is the root. Renaming a path to itself succeeds and changes
     * nothing. */
    int (*rename)(struct mirage_fs *fs, const char *from, const char *to);
    /* Beyond MirageOS's FS: set the modification time of `path` (not the
     * root: MIRAGE_EINVAL) to mtime_ns, ns since the Unix epoch, as
     * closely as the filesystem keeps it (FAT: two-second steps from 1980
     * to 2107, times outside clamped). */
    int (*set_mtime)(struct mirage_fs *fs, const char *path, uint64_t mtime_ns);
    /* Release the filesystem's memory (not its block device); fs must not
     * be used afterwards. Does not yield. */
    void (*disconnect)(struct mirage_fs *fs);
};
struct mirage_fs {
    const struct mirage_fs_ops *ops;
};

static inline int mirage_fs_read(struct mirage_fs *fs, const char *path,
                                 uint64_t offset, void *buf, size_t len,
                                 size_t *got)
{
    return fs->ops->read(fs, path, offset, buf, len, got);
}
static inline int mirage_fs_size(struct mirage_fs *fs, const char *path,
                                 uint64_t *size)
{
    return fs->ops->size(fs, path, size);
}
static inline int mirage_fs_create(struct mirage_fs *fs, const char *path)
{
    return fs->ops->create(fs, path);
}
static inline int mirage_fs_mkdir(struct mirage_fs *fs, const char *path)
{
    return fs->ops->mkdir(fs, path);
}
static inline int mirage_fs_destroy(struct mirage_fs *fs, const char *path)
{
    return fs->ops->destroy(fs, path);
}
static inline int mirage_fs_stat(struct mirage_fs *fs, const char *path,
                                 struct mirage_fs_stat *st)
{
    return fs->ops->stat(fs, path, st);
}
static inline int mirage_fs_listdir(struct mirage_fs *fs, const char *path,
                                    struct mirage_fs_entry **out, size_t *n)
{
    return fs->ops->listdir(fs, path, out, n);
}
static inline int mirage_fs_write(struct mirage_fs *fs, const char *path,
                                  uint64_t offset, const void *buf, size_t len)
{
    return fs->ops->write(fs, path, offset, buf, len);
}
static inline int mirage_fs_truncate(struct mirage_fs *fs, const char *path,
                                     uint64_t size)
{
    return fs->ops->truncate(fs, path, size);
}
static inline int mirage_fs_rename(struct mirage_fs *fs, const char *from,
                                   const char *to)
{
    return fs->ops->rename(fs, from, to);
}
static inline int mirage_fs_set_mtime(struct mirage_fs *fs, const char *path,
                                      uint64_t mtime_ns)
{
    return fs->ops->set_mtime(fs, path, mtime_ns);
}
static inline void mirage_fs_disconnect(struct mirage_fs *fs)
{
    fs->ops->disconnect(fs);
}

/* Free a listing returned by listdir (NULL with n 0 is fine). Does not
 * yield. */
static inline void mirage_fs_entries_free(struct mirage_fs_entry *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i].name);
    free(v);
}

/* fat BLOCK: mount the FAT filesystem on `block`, which must outlive it.
 * The boot sector is checked (jump, signature, sector size a power of two
 * from 512 to 4096 and a multiple of the device's, cluster size, FAT
 * count and size, the regions inside the device) and the active FAT is
 * read into memory; a bad one is MIRAGE_EBADF with a log message naming
 * the problem. MIRAGE_ENOTSUP: a FAT sector smaller than the device's
 * sector; MIRAGE_EINVAL: out or block is NULL; MIRAGE_EIO, MIRAGE_ENOMEM.
 * The filesystem is read-only when the device is. May yield. */
int mirage_fs_connect_fat(struct mirage_fs **out, struct mirage_block *block);

/* kv_ro_of_fs FS: a kv_ro (include/mirage/kv.h) whose values are the files
 * and whose dictionaries are the directories of fs, which must outlive
 * it. A key the filesystem cannot name (see above) is MIRAGE_EINVAL or
 * MIRAGE_ENAMETOOLONG; last_modified is the file's time (FAT: two-second
 * steps). Connecting does not yield: 0, MIRAGE_EINVAL (a NULL argument)
 * or MIRAGE_ENOMEM. Disconnecting the store leaves fs connected. */
struct mirage_kv_ro;
struct mirage_kv_rw;
int mirage_kv_ro_connect_fs(struct mirage_kv_ro **out, struct mirage_fs *fs);
/* The same store, writable: a kv_rw over fs (the catalogue's FAT-backed
 * kv_rw). Writes follow kv.h; a failed write that created the value or its
 * parent dictionaries removes them again, and a set over an existing value
 * that fails with MIRAGE_ENOSPC leaves the old value in place. */
int mirage_kv_rw_connect_fs(struct mirage_kv_rw **out, struct mirage_fs *fs);

#endif
