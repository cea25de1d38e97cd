/* Block devices (MirageOS Mirage_block): a fixed number of equal sectors,
 * read and written whole, one or more at a time, into caller buffers.
 *
 * Every request is checked before any byte moves: a buffer length that is
 * zero or not a multiple of the sector size, or a range that does not lie
 * inside the device, is MIRAGE_ERANGE; a NULL buffer is MIRAGE_EINVAL; a
 * write to a read-only device is MIRAGE_EROFS. A failed request never
 * transfers part of its data, except for MIRAGE_EIO (the device failed
 * part-way; the sectors concerned are then unspecified). A ramdisk that
 * cannot get memory for a write returns MIRAGE_ENOMEM and changes nothing.
 *
 * Block I/O goes through the platform and does not yield today, but
 * callers must assume that mirage_block_read and mirage_block_write may
 * yield (they must be called from a fiber). */
#ifndef MIRAGE_BLOCK_H
#define MIRAGE_BLOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct mirage_block_info {
    uint32_t sector_size; /* bytes; a power of two >= 512 */
    uint64_t sectors;     /* number of sectors */
    bool read_write;      /* false: writes fail with MIRAGE_EROFS */
};

struct mirage_block;
/* What an implementation provides. mirage_block_read/write check the
 * request against info first, so read and write only ever see a non-NULL
 * buffer, len a non-zero multiple of sector_size and a range inside the
 * device (and write only on a read-write device). They return 0,
 * MIRAGE_EIO or MIRAGE_ENOMEM. disconnect releases the device and what it
 * holds. */
struct mirage_block_ops {
    int (*read)(struct mirage_block *b, uint64_t sector, void *buf, size_t len);
    int (*write)(struct mirage_block *b, uint64_t sector, const void *buf,
                 size_t len);
    void (*disconnect)(struct mirage_block *b);
};
struct mirage_block {
    const struct mirage_block_ops *ops;
    const char *name; /* for messages; owned by the device */
    struct mirage_block_info info;
};

/* The device's geometry; never fails, does not yield. */
static inline struct mirage_block_info
mirage_block_get_info(const struct mirage_block *b)
{
    return b->info;
}

/* Read len bytes (a non-zero multiple of the sector size) starting at
 * sector `sector` into buf. 0, MIRAGE_EINVAL, MIRAGE_ERANGE or MIRAGE_EIO
 * (see above). May yield. */
int mirage_block_read(struct mirage_block *b, uint64_t sector, void *buf,
                      size_t len);
/* Write len bytes (a non-zero multiple of the sector size) from buf to the
 * sectors starting at `sector`. 0, MIRAGE_EINVAL, MIRAGE_ERANGE,
 * MIRAGE_EROFS, MIRAGE_EIO or MIRAGE_ENOMEM (see above). May yield. */
int mirage_block_write(struct mirage_block *b, uint64_t sector, const void *buf,
                       size_t len);
/* Release the device; b must not be used afterwards. Devices made by the
 * connect functions below are normally kept until exit. Does not yield. */
void mirage_block_disconnect(struct mirage_block *b);

/* block_of_file NAME: the platform block device `name` (on unix a host
 * file path, opened read-write, or read-only when the file is not
 * writable; on hvt/spt the device of that name in the manifest, attached
 * by the tender with --block:NAME=FILE). The sector size is the
 * platform's block size. MIRAGE_ENOENT: no such device or file (or it is
 * already acquired); MIRAGE_EIO: the host failed; MIRAGE_ENOMEM. Does not
 * yield. */
int mirage_block_connect_file(struct mirage_block **out, const char *name);

/* ramdisk NAME: a block device in memory of `sectors` sectors of 512
 * bytes, zero-filled at first; memory is taken as sectors are first
 * written. Connecting the same name again returns the same device (its
 * size is then the first one's). MIRAGE_EINVAL: empty name, zero sectors
 * or more than 1 TiB; MIRAGE_ENOMEM. Does not yield. */
int mirage_block_connect_ramdisk(struct mirage_block **out, const char *name,
                                 uint64_t sectors);
/* The size of the catalogue's `ramdisk NAME` device: 32 MiB. */
#define MIRAGE_RAMDISK_DEFAULT_SECTORS (32u * 2048u)

/* A private ramdisk (not shared by name) of `sectors` sectors of
 * sector_size bytes (a power of two from 512 to 65536), at most 1 TiB.
 * read_write false makes a read-only disk, all zeros, for tests. Free it with
 * mirage_block_disconnect. MIRAGE_EINVAL or MIRAGE_ENOMEM. Does not
 * yield. */
int mirage_block_ramdisk_create(struct mirage_block **out, const char *name,
                                uint64_t sectors, uint32_t sector_size,
                                bool read_write);

#endif
