/* The file allocation table: kept in memory whole, read at mount, changed
 * entries written back to every copy (and the FAT32 FSInfo free count) by
 * fat_table_flush(). Chains are validated as they are walked: a free,
 * reserved, bad or out-of-range entry, or a chain longer than the
 * filesystem has clusters (a cycle), is MIRAGE_EBADF. */
#include <mirage/error.h>
#include <stdlib.h>
#include <string.h>

#include "fat.h"

static uint32_t max_cluster(const struct fat *f)
{
    return f->g.clusters + 1;
}

uint32_t fat_get(const struct fat *f, uint32_t c)
{
    const uint8_t *t = f->table;
    switch (f->g.bits) {
    case 12: {
        uint32_t off = c + c / 2;
        uint32_t v = fat_le16(t + off);
        return c & 1 ? v >> 4 : v & 0x0FFF;
    }
    case 16:
        return fat_le16(t + 2 * c);
    default:
        return fat_le32(t + 4 * c) & 0x0FFFFFFF;
    }
}

static void mark_dirty(struct fat *f, uint32_t byte)
{
    uint32_t s = byte / f->g.bytes_per_sector;
    f->dirty[s / 8] |= (uint8_t)(1u << (s % 8));
    if (s < f->dirty_lo)
        f->dirty_lo = s;
    if (s + 1 > f->dirty_hi)
        f->dirty_hi = s + 1;
}

void fat_set(struct fat *f, uint32_t c, uint32_t v)
{
    uint8_t *t = f->table;
    uint32_t old = fat_get(f, c);
    if ((old == 0) != (v == 0)) {
        if (v == 0)
            f->free_count++;
        else
            f->free_count--;
    }
    uint32_t off;
    switch (f->g.bits) {
    case 12: {
        off = c + c / 2;
        uint32_t w = fat_le16(t + off);
        w = c & 1 ? (w & 0x000F) | (v & 0x0FFF) << 4
                  : (w & 0xF000) | (v & 0x0FFF);
        fat_put16(t + off, w);
        mark_dirty(f, off + 1);
        break;
    }
    case 16:
        off = 2 * c;
        fat_put16(t + off, v);
        break;
    default:
        off = 4 * c;
        /* The top four bits are reserved and kept. */
        fat_put32(t + off, (fat_le32(t + off) & 0xF0000000) | (v & 0x0FFFFFFF));
        break;
    }
    mark_dirty(f, off);
}

uint32_t fat_eoc(const struct fat *f)
{
    return f->g.bits == 12 ? 0x0FFF : f->g.bits == 16 ? 0xFFFF : 0x0FFFFFFF;
}

bool fat_is_eoc(const struct fat *f, uint32_t v)
{
    return v >= (f->g.bits == 12   ? 0x0FF8u
                 : f->g.bits == 16 ? 0xFFF8u
                                   : 0x0FFFFFF8u);
}

int fat_next(const struct fat *f, uint32_t c, uint32_t *next)
{
    uint32_t v = fat_get(f, c);
    if (fat_is_eoc(f, v)) {
        *next = 0;
        return 0;
    }
    if (v < 2 || v > max_cluster(f)) {
        mirage_log_src_err(&fat_log, "cluster %u links to %s cluster 0x%x",
                           (unsigned)c, v == 0 ? "free" : "invalid",
                           (unsigned)v);
        return MIRAGE_EBADF;
    }
    *next = v;
    return 0;
}

static int check_first(const struct fat *f, uint32_t first)
{
    if (first < 2 || first > max_cluster(f)) {
        mirage_log_src_err(&fat_log, "chain starts at invalid cluster 0x%x",
                           (unsigned)first);
        return MIRAGE_EBADF;
    }
    return 0;
}

int fat_chain_seek(struct fat *f, struct fat_cursor *cur, uint32_t first,
                   uint32_t index, uint32_t *cluster)
{
    int r = check_first(f, first);
    if (r)
        return r;
    uint32_t c = first, i = 0;
    if (cur->first == first && cur->index <= index)
        c = cur->cluster, i = cur->index;
    for (; i < index; i++) {
        uint32_t next;
        if ((r = fat_next(f, c, &next)))
            return r;
        if (next == 0 || i >= f->g.clusters) {
            mirage_log_src_err(&fat_log,
                               "chain at cluster %u shorter than its file",
                               (unsigned)first);
            return MIRAGE_EBADF;
        }
        c = next;
    }
    *cur = (struct fat_cursor){first, index, c};
    *cluster = c;
    return 0;
}

int fat_chain_length(struct fat *f, uint32_t first, uint32_t *len,
                     uint32_t *last)
{
    *len = 0, *last = 0;
    if (first == 0)
        return 0;
    for (size_t i = 0; i < sizeof(f->checked) / sizeof(f->checked[0]); i++)
        if (f->checked[i].first == first) {
            *len = f->checked[i].len, *last = f->checked[i].last;
            return 0;
        }
    int r = check_first(f, first);
    if (r)
        return r;
    uint32_t c = first, n = 1;
    for (;;) {
        uint32_t next;
        if ((r = fat_next(f, c, &next)))
            return r;
        if (next == 0)
            break;
        if (n >= f->g.clusters) {
            mirage_log_src_err(&fat_log, "cycle in the chain at cluster %u",
                               (unsigned)first);
            return MIRAGE_EBADF;
        }
        c = next, n++;
    }
    unsigned slot = f->checked_next++ % 8;
    f->checked[slot] = (struct fat_checked){first, n, c};
    *len = n, *last = c;
    return 0;
}

void fat_chain_forget(struct fat *f)
{
    memset(f->checked, 0, sizeof(f->checked));
    f->file_cur.first = f->dir_cur.first = 0;
}

int fat_chain_alloc(struct fat *f, uint32_t last, uint32_t n, bool zero,
                    uint32_t *first)
{
    if (f->free_count < n)
        return MIRAGE_ENOSPC;
    uint32_t prev = last, c = f->next_free;
    *first = 0;
    for (uint32_t got = 0; got < n; c++) {
        if (c < 2 || c > max_cluster(f))
            c = 2;
        if (fat_get(f, c) != 0)
            continue;
        if (zero) {
            int r = fat_io_write_bytes(f, fat_cluster_offset(f, c), NULL,
                                       f->g.cluster_size);
            if (r)
                return r;
        }
        fat_set(f, c, fat_eoc(f));
        if (prev)
            fat_set(f, prev, c);
        if (!*first)
            *first = c;
        prev = c;
        got++;
    }
    f->next_free = c;
    /* A validated chain that grew stays valid, one cluster longer per
     * cluster added. */
    for (size_t i = 0; last && i < 8; i++)
        if (f->checked[i].first && f->checked[i].last == last) {
            f->checked[i].len += n;
            f->checked[i].last = prev;
        }
    return 0;
}

int fat_chain_free(struct fat *f, uint32_t keep_before, uint32_t from)
{
    uint32_t len, last;
    int r = fat_chain_length(f, from, &len, &last);
    if (r)
        return r;
    fat_chain_forget(f);
    uint32_t c = from;
    for (uint32_t i = 0; i < len; i++) {
        uint32_t next = fat_get(f, c);
        fat_set(f, c, 0);
        c = next;
    }
    if (keep_before)
        fat_set(f, keep_before, fat_eoc(f));
    if (from && from < f->next_free)
        f->next_free = from;
    return 0;
}

static int write_fsinfo(struct fat *f)
{
    if (!f->g.fsinfo)
        return 0;
    int r = fat_sec_load(f, f->g.fsinfo);
    if (r)
        return r;
    uint8_t *s = f->sec;
    /* Only an FSInfo sector with its three signatures is maintained. */
    if (fat_le32(s) != 0x41615252 || fat_le32(s + 484) != 0x61417272 ||
        fat_le32(s + 508) != 0xAA550000)
        return 0;
    if (fat_le32(s + 488) == f->free_count && fat_le32(s + 492) == f->next_free)
        return 0;
    fat_put32(s + 488, f->free_count);
    fat_put32(s + 492, f->next_free);
    return fat_sec_store(f);
}

int fat_table_flush(struct fat *f)
{
    const struct fat_geom *g = &f->g;
    for (uint32_t s = f->dirty_lo; s < f->dirty_hi; s++) {
        if (!(f->dirty[s / 8] & (1u << (s % 8))))
            continue;
        for (uint32_t copy = 0; copy < g->nfats; copy++) {
            if (!g->mirrored && copy != g->active_fat)
                continue;
            uint64_t sector =
                g->fat_start + (uint64_t)copy * g->fat_sectors + s;
            int r = fat_io_write(f, sector,
                                 f->table + (size_t)s * g->bytes_per_sector, 1);
            if (r)
                return r;
        }
        f->dirty[s / 8] &= (uint8_t) ~(1u << (s % 8));
    }
    f->dirty_lo = UINT32_MAX, f->dirty_hi = 0;
    return write_fsinfo(f);
}

int fat_table_load(struct fat *f)
{
    const struct fat_geom *g = &f->g;
    uint64_t need = ((uint64_t)(g->clusters + 2) * g->bits + 7) / 8;
    uint32_t sectors =
        (uint32_t)((need + 1 + g->bytes_per_sector - 1) / g->bytes_per_sector);
    if (sectors > g->fat_sectors)
        sectors = g->fat_sectors;
    f->table_bytes = sectors * g->bytes_per_sector;
    f->table = malloc(f->table_bytes);
    f->dirty = calloc(sectors / 8 + 1, 1);
    if (!f->table || !f->dirty)
        return MIRAGE_ENOMEM;
    f->dirty_lo = UINT32_MAX, f->dirty_hi = 0;
    int r =
        fat_io_read(f, g->fat_start + (uint64_t)g->active_fat * g->fat_sectors,
                    f->table, sectors);
    if (r)
        return r;
    f->free_count = 0;
    for (uint32_t c = 2; c <= max_cluster(f); c++)
        if (fat_get(f, c) == 0)
            f->free_count++;
    f->next_free = 2;
    return 0;
}
