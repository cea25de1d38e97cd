/* Host files: a host service of the unix target, for the direct
 * key-value stores (lib/kv_direct): files and directories under one root
 * directory of the host, on raw system calls.
 *
 * Host services are not part of the platform interface (plat.h): only
 * the unix platform implements them (plat/unix/hostfs.c), so a library
 * that calls them links into unix images only, and every catalogue entry
 * that selects such a library supports the unix target alone
 * (.targets = strs("unix")); configuring it for another target is an
 * error naming config.c. Libraries reach them through this header, never
 * through plat/.
 *
 * Paths are relative to the root: segments separated by single '/', no
 * leading or trailing '/', no "." or ".." segments ("" is the root
 * itself); anything else is MIRAGE_EINVAL. Each path is resolved one
 * segment at a time from the root's descriptor without following
 * symbolic links, so nothing outside the root can be reached: a symbolic
 * link (or a device, a FIFO ...) behaves as if it were absent.
 *
 * None of these calls yields (they block the unikernel for the duration
 * of the host call). Errors are negative MIRAGE_E* codes:
 *   MIRAGE_ENOENT    nothing there (or a symbolic link)
 *   MIRAGE_ENOTDIR   a parent is not a directory
 *   MIRAGE_EISDIR    a directory where a file is needed
 *   MIRAGE_EEXIST    already exists (create exclusive, mkdir)
 *   MIRAGE_ENOTEMPTY removing a directory that is not empty
 *   MIRAGE_ENOSPC    the host file system is full
 *   MIRAGE_EROFS     the host refused the write (permissions, read-only)
 *   MIRAGE_ENAMETOOLONG, MIRAGE_EINVAL, MIRAGE_EIO (anything else) */
#ifndef MIRAGE_HOSTFS_H
#define MIRAGE_HOSTFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hostfs_stat {
    bool is_dir;       /* else a regular file */
    uint64_t size;     /* bytes (files) */
    uint64_t mtime_ns; /* last modification, ns since the epoch */
};

/* Open the host directory dir (a host path, absolute or relative to the
 * working directory; symbolic links in it are followed) as a root. *root
 * := its descriptor, to pass to the calls below. MIRAGE_ENOENT,
 * MIRAGE_ENOTDIR, MIRAGE_EIO. */
int hostfs_root_open(const char *dir, int *root);
void hostfs_root_close(int root);

int hostfs_stat(int root, const char *path, struct hostfs_stat *st);
/* Read up to len bytes of the file at offset; *got := how many (fewer
 * only at the end of the file). */
int hostfs_read(int root, const char *path, uint64_t offset, void *buf,
                size_t len, size_t *got);
/* Write len bytes at offset of the file, creating it (mode 0644) when
 * missing; truncate first empties it. A gap past the old end reads as
 * zeros. */
int hostfs_write(int root, const char *path, uint64_t offset, const void *buf,
                 size_t len, bool truncate);
/* Create a new file of size zero bytes, last modified at mtime_ns;
 * MIRAGE_EEXIST when something is there. */
int hostfs_create(int root, const char *path, uint64_t size, uint64_t mtime_ns);
/* Make a directory (mode 0755); MIRAGE_EEXIST when something is there. */
int hostfs_mkdir(int root, const char *path);
/* Remove a file, or an empty directory when dir is set. */
int hostfs_remove(int root, const char *path, bool dir);
/* Rename from to to (both under the root), replacing a file at to. */
int hostfs_rename(int root, const char *from, const char *to);

/* Call fn(ctx, name, is_dir) for each file and directory in the
 * directory at path (not "." or "..", not symbolic links or other kinds),
 * in the host's order; a non-zero result from fn stops the walk and is
 * returned. */
typedef int (*hostfs_entry_fn)(void *ctx, const char *name, bool is_dir);
int hostfs_list(int root, const char *path, hostfs_entry_fn fn, void *ctx);

/* Read up to len bytes of the host file at path (absolute or relative to
 * the working directory; symbolic links are followed: configuration files
 * such as /etc/resolv.conf are often links), outside any root. *got :=
 * how many (fewer only at the end of the file). */
int hostfs_read_file(const char *path, void *buf, size_t len, size_t *got);

#endif
