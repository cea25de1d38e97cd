/* File data: reading and writing byte ranges of a file's cluster chain,
 * coalescing runs of consecutive clusters into one device request, and
 * growing or shrinking the chain. A chain is validated whole before it is
 * used, so a cycle or a chain shorter than its file is MIRAGE_EBADF. */
#include <mirage/error.h>

#include "fat.h"

#define FAT_FILE_MAX 0xFFFFFFFFull

static uint32_t clusters_for(const struct fat *f, uint64_t size)
{
    return (uint32_t)((size + f->g.cluster_size - 1) / f->g.cluster_size);
}

/* The file's chain, checked to cover its size: *first, *len, *last. */
static int file_chain(struct fat *f, const struct fat_node *n, uint32_t *first,
                      uint32_t *len, uint32_t *last)
{
    uint32_t size = fat_entry_size(n->entry);
    *first = fat_entry_cluster(f, n->entry);
    if (*first == 0 && size == 0) {
        *len = *last = 0;
        return 0;
    }
    int r = fat_chain_length(f, *first == 0 ? 1 : *first, len, last);
    if (r)
        return r;
    if (*len < clusters_for(f, size)) {
        mirage_log_src_err(&fat_log,
                           "'%s': %u clusters in the chain for %u bytes",
                           n->name, (unsigned)*len, (unsigned)size);
        return MIRAGE_EBADF;
    }
    return 0;
}

/* Apply I/O to bytes [off, off + len) of the chain starting at first: each
 * run of consecutive clusters is one call. buf NULL writes zeros. */
static int chain_io(struct fat *f, uint32_t first, uint64_t off, uint8_t *rbuf,
                    const uint8_t *wbuf, size_t len)
{
    uint32_t cs = f->g.cluster_size;
    while (len > 0) {
        uint32_t c, index = (uint32_t)(off / cs);
        int r = fat_chain_seek(f, &f->file_cur, first, index, &c);
        if (r)
            return r;
        uint64_t disk = fat_cluster_offset(f, c) + off % cs;
        size_t n = cs - off % cs < len ? cs - off % cs : len;
        /* Extend the extent over the clusters that follow on the disk. */
        for (uint32_t last = c; n < len;) {
            uint32_t next;
            if ((r = fat_next(f, last, &next)))
                return r;
            if (next != last + 1)
                break;
            last = next;
            n += len - n < cs ? len - n : cs;
        }
        if (rbuf) {
            r = fat_io_read_bytes(f, disk, rbuf, n);
            rbuf += n;
        } else {
            r = fat_io_write_bytes(f, disk, wbuf, n);
            if (wbuf)
                wbuf += n;
        }
        if (r)
            return r;
        off += n, len -= n;
    }
    return 0;
}

int fat_file_read(struct fat *f, const struct fat_node *n, uint64_t off,
                  void *buf, size_t len, size_t *got)
{
    uint32_t size = fat_entry_size(n->entry), first, clen, last;
    *got = 0;
    if (off >= size || len == 0)
        return 0;
    if (len > size - off)
        len = (size_t)(size - off);
    int r = file_chain(f, n, &first, &clen, &last);
    if (r || (r = chain_io(f, first, off, buf, NULL, len)))
        return r;
    *got = len;
    return 0;
}

int fat_file_write(struct fat *f, struct fat_node *n, uint64_t off,
                   const void *buf, size_t len)
{
    uint32_t size = fat_entry_size(n->entry), first, clen, last;
    if (off > FAT_FILE_MAX || len > FAT_FILE_MAX - off)
        return MIRAGE_ENOSPC;
    uint64_t end = off + len, new_size = end > size ? end : size;
    int r = file_chain(f, n, &first, &clen, &last);
    if (r)
        return r;
    uint32_t need = clusters_for(f, new_size);
    if (need > clen) {
        uint32_t added;
        if ((r = fat_chain_alloc(f, last, need - clen, false, &added)))
            return r;
        if (first == 0)
            first = added;
    }
    /* The bytes between the old end and off must read as zeros. */
    if (off > size && (r = chain_io(f, first, size, NULL, NULL, off - size)))
        return r;
    if ((r = chain_io(f, first, off, NULL, buf, len)))
        return r;
    if ((r = fat_table_flush(f)))
        return r;
    fat_entry_set_cluster(f, n->entry, first);
    fat_put32(n->entry + 28, (uint32_t)new_size);
    n->entry[11] |= FAT_ATTR_ARCH;
    fat_entry_touch(n->entry, false);
    return fat_dir_update(f, n);
}

int fat_file_truncate(struct fat *f, struct fat_node *n, uint64_t size)
{
    uint32_t old = fat_entry_size(n->entry), first, clen, last;
    if (size > FAT_FILE_MAX)
        return MIRAGE_ENOSPC;
    if (size >= old)
        return fat_file_write(f, n, old, NULL, (size_t)(size - old));
    int r = file_chain(f, n, &first, &clen, &last);
    if (r)
        return r;
    uint32_t keep = clusters_for(f, size);
    if (keep == 0) {
        r = first ? fat_chain_free(f, 0, first) : 0;
        first = 0;
    } else if (keep < clen) {
        uint32_t c, next;
        if ((r = fat_chain_seek(f, &f->file_cur, first, keep - 1, &c)) ||
            (r = fat_next(f, c, &next)))
            return r;
        r = fat_chain_free(f, c, next);
    }
    if (r || (r = fat_table_flush(f)))
        return r;
    fat_entry_set_cluster(f, n->entry, first);
    fat_put32(n->entry + 28, (uint32_t)size);
    n->entry[11] |= FAT_ATTR_ARCH;
    fat_entry_touch(n->entry, false);
    return fat_dir_update(f, n);
}
