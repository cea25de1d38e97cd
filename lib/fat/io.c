/* Device I/O for lib/fat: whole FAT sectors, arbitrary byte ranges (with a
 * bounce buffer for partial device sectors), and the one-sector cache the
 * directory code works through. */
#include <mirage/error.h>
#include <string.h>

#include "fat.h"

static uint64_t dev_scale(const struct fat *f)
{
    return f->g.bytes_per_sector / f->dev_sector;
}

int fat_io_read(struct fat *f, uint64_t sector, void *buf, uint32_t count)
{
    return mirage_block_read(f->block, sector * dev_scale(f), buf,
                             (size_t)count * f->g.bytes_per_sector);
}

int fat_io_write(struct fat *f, uint64_t sector, const void *buf,
                 uint32_t count)
{
    return mirage_block_write(f->block, sector * dev_scale(f), buf,
                              (size_t)count * f->g.bytes_per_sector);
}

uint64_t fat_cluster_offset(const struct fat *f, uint32_t c)
{
    return ((uint64_t)f->g.data_start * f->g.bytes_per_sector) +
           (uint64_t)(c - 2) * f->g.cluster_size;
}

/* Whole device sectors in the middle of a range go straight to or from
 * the caller's buffer; the partial ones at either end through f->bounce. */
int fat_io_read_bytes(struct fat *f, uint64_t off, void *buf, size_t len)
{
    uint32_t ss = f->dev_sector;
    uint8_t *p = buf;
    while (len > 0) {
        uint64_t sector = off / ss;
        size_t in = (size_t)(off % ss);
        int r;
        if (in == 0 && len >= ss) {
            size_t whole = len - len % ss;
            r = mirage_block_read(f->block, sector, p, whole);
            if (r)
                return r;
            p += whole, off += whole, len -= whole;
            continue;
        }
        size_t n = ss - in < len ? ss - in : len;
        r = mirage_block_read(f->block, sector, f->bounce, ss);
        if (r)
            return r;
        memcpy(p, f->bounce + in, n);
        p += n, off += n, len -= n;
    }
    return 0;
}

int fat_io_write_bytes(struct fat *f, uint64_t off, const void *buf, size_t len)
{
    uint32_t ss = f->dev_sector;
    const uint8_t *p = buf;
    f->sec_no = UINT64_MAX; /* the range may hold the cached sector */
    while (len > 0) {
        uint64_t sector = off / ss;
        size_t in = (size_t)(off % ss);
        size_t n = ss - in < len ? ss - in : len;
        int r;
        if (in == 0 && len >= ss && p) {
            size_t whole = len - len % ss;
            r = mirage_block_write(f->block, sector, p, whole);
            if (r)
                return r;
            p += whole, off += whole, len -= whole;
            continue;
        }
        if (n < ss) {
            r = mirage_block_read(f->block, sector, f->bounce, ss);
            if (r)
                return r;
        }
        if (p)
            memcpy(f->bounce + in, p, n);
        else
            memset(f->bounce + in, 0, n);
        r = mirage_block_write(f->block, sector, f->bounce, ss);
        if (r)
            return r;
        if (p)
            p += n;
        off += n, len -= n;
    }
    return 0;
}

int fat_sec_load(struct fat *f, uint64_t sector)
{
    if (f->sec_no == sector)
        return 0;
    f->sec_no = UINT64_MAX;
    int r = fat_io_read(f, sector, f->sec, 1);
    if (r == 0)
        f->sec_no = sector;
    return r;
}

int fat_sec_store(struct fat *f)
{
    return fat_io_write(f, f->sec_no, f->sec, 1);
}
