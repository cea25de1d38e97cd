/* FAT directories: a table of 32-byte slots (the fixed root region of
 * FAT12/16, or a cluster chain). An entry is a short (8.3) slot preceded
 * by the long-name (VFAT) slots that spell its name backwards, each with
 * the short name's checksum; long-name slots that do not fit together are
 * ignored, as the specification asks. */
#include <mirage/error.h>
#include <stdlib.h>
#include <string.h>

#include "fat.h"

uint32_t fat_entry_cluster(const struct fat *f, const uint8_t *e)
{
    uint32_t hi = f->g.bits == 32 ? fat_le16(e + 20) : 0;
    return hi << 16 | fat_le16(e + 26);
}

void fat_entry_set_cluster(const struct fat *f, uint8_t *e, uint32_t c)
{
    fat_put16(e + 20, f->g.bits == 32 ? c >> 16 : 0);
    fat_put16(e + 26, c & 0xFFFF);
}

uint32_t fat_entry_size(const uint8_t *e)
{
    return fat_le32(e + 28);
}

bool fat_entry_is_dir(const uint8_t *e)
{
    return e[11] & FAT_ATTR_DIR;
}

uint32_t fat_node_dir(const struct fat *f, const struct fat_node *n)
{
    if (n->root)
        return f->g.root_cluster;
    uint32_t c = fat_entry_cluster(f, n->entry);
    return c < 2 ? 1 : c;
}

void fat_root_node(const struct fat *f, struct fat_node *n)
{
    memset(n, 0, sizeof(*n));
    n->root = true;
    n->dir = f->g.root_cluster;
    n->entry[11] = FAT_ATTR_DIR;
}

/* Where slot `index` of dir lies: 0 with *sector and *off, 1 past the end
 * of the directory, or an error. */
static int slot_locate(struct fat *f, uint32_t dir, uint32_t index,
                       uint64_t *sector, uint32_t *off)
{
    const struct fat_geom *g = &f->g;
    uint32_t per_sector = g->bytes_per_sector / FAT_SLOT;
    *off = index % per_sector * FAT_SLOT;
    if (dir == FAT_ROOT_FIXED) {
        if (index >= g->root_entries)
            return 1;
        *sector = g->root_start + index / per_sector;
        return 0;
    }
    uint32_t per_cluster = g->cluster_size / FAT_SLOT, len, last, c;
    int r = fat_chain_length(f, dir, &len, &last);
    if (r)
        return r;
    if (index >= FAT_DIR_MAX_SLOT || index / per_cluster >= len)
        return 1;
    if ((r = fat_chain_seek(f, &f->dir_cur, dir, index / per_cluster, &c)))
        return r;
    *sector = g->data_start + (uint64_t)(c - 2) * g->sectors_per_cluster +
              index % per_cluster / per_sector;
    return 0;
}

/* Point *e at slot index (in f->sec, valid until the next directory I/O):
 * 0, 1 past the end, or an error. */
static int slot_read(struct fat *f, uint32_t dir, uint32_t index, uint8_t **e)
{
    uint64_t sector;
    uint32_t off;
    int r = slot_locate(f, dir, index, &sector, &off);
    if (r)
        return r;
    if ((r = fat_sec_load(f, sector)))
        return r;
    *e = f->sec + off;
    return 0;
}

static int slot_write(struct fat *f, uint32_t dir, uint32_t index,
                      const uint8_t *e)
{
    uint8_t *p;
    int r = slot_read(f, dir, index, &p);
    if (r)
        return r < 0 ? r : MIRAGE_EIO;
    memcpy(p, e, FAT_SLOT);
    return fat_sec_store(f);
}

static const uint8_t lfn_offsets[FAT_LFN_CHARS] = {1,  3,  5,  7,  9,  14, 16,
                                                   18, 20, 22, 24, 28, 30};

static bool is_dot_entry(const uint8_t *e)
{
    return e[0] == '.' && (e[1] == ' ' || (e[1] == '.' && e[2] == ' '));
}

/* Long-name slots gathered so far: `expect` is the order number the next
 * slot must have (0: none pending). */
struct lfn_state {
    uint16_t units[20 * FAT_LFN_CHARS];
    unsigned count, expect;
    uint8_t sum;
    uint32_t first;
};

static void lfn_slot(struct lfn_state *l, const uint8_t *e, uint32_t index)
{
    unsigned ord = e[0] & 0x1F;
    if (e[0] & 0x40) {
        l->expect = ord >= 1 && ord <= 20 ? ord : 0;
        l->count = ord;
        l->sum = e[13];
        l->first = index;
    }
    if (ord == 0 || ord != l->expect || e[13] != l->sum) {
        l->expect = 0;
        return;
    }
    for (unsigned k = 0; k < FAT_LFN_CHARS; k++)
        l->units[(ord - 1) * FAT_LFN_CHARS + k] = fat_le16(e + lfn_offsets[k]);
    /* After slot 1 the name is complete: expect stays 1 to say so. */
    l->expect = ord == 1 ? 1 : ord - 1;
    if (ord == 1)
        l->count |= 0x100;
}

/* The node for the short slot e at index, named by the long name gathered
 * in l when it is complete and belongs to e. */
static void make_node(struct fat_node *n, uint32_t dir, uint32_t index,
                      const uint8_t *e, const struct lfn_state *l)
{
    n->root = false;
    n->dir = dir;
    n->slot = index;
    n->first = index;
    memcpy(n->entry, e, FAT_SLOT);
    if ((l->count & 0x100) && l->expect == 1 &&
        fat_short_checksum(e) == l->sum) {
        size_t len = 0, max = (l->count & 0xFF) * FAT_LFN_CHARS;
        while (len < max && l->units[len] != 0)
            len++;
        /* 20 slots could spell 260 units: more than a name may have. */
        if (len > 0 && len <= FAT_NAME_UNITS) {
            fat_utf16_to_name(l->units, len, n->name);
            n->first = l->first;
            return;
        }
    }
    fat_short_to_name(e, n->name);
}

int fat_dir_each(struct fat *f, uint32_t dir, fat_dir_fn fn, void *ctx)
{
    struct lfn_state *l = calloc(1, sizeof(*l));
    struct fat_node *n = malloc(sizeof(*n));
    int r = l && n ? 0 : MIRAGE_ENOMEM;
    for (uint32_t i = 0; r == 0; i++) {
        uint8_t *e;
        r = slot_read(f, dir, i, &e);
        if (r == 1 || (r == 0 && e[0] == 0x00)) {
            r = 0;
            break;
        }
        if (r)
            break;
        if (e[0] == 0xE5) {
            l->expect = 0, l->count = 0;
            continue;
        }
        if ((e[11] & 0x3F) == FAT_ATTR_LFN) {
            lfn_slot(l, e, i);
            continue;
        }
        if ((e[11] & FAT_ATTR_VOLUME) || is_dot_entry(e)) {
            l->expect = 0, l->count = 0;
            continue;
        }
        make_node(n, dir, i, e, l);
        l->expect = 0, l->count = 0;
        r = fn(f, n, ctx);
    }
    free(l);
    free(n);
    return r;
}

struct lookup {
    const char *name;
    struct fat_node *out;
};

static int lookup_fn(struct fat *f, const struct fat_node *n, void *ctx)
{
    (void)f;
    struct lookup *lk = ctx;
    char alias[13 * 3];
    if (!fat_name_equal(n->name, lk->name)) {
        if (n->first == n->slot)
            return 0;
        fat_short_to_name(n->entry, alias);
        if (!fat_name_equal(alias, lk->name))
            return 0;
    }
    *lk->out = *n;
    return 1;
}

int fat_dir_lookup(struct fat *f, uint32_t dir, const char *name,
                   struct fat_node *n)
{
    struct lookup lk = {name, n};
    int r = fat_dir_each(f, dir, lookup_fn, &lk);
    return r == 1 ? 0 : r < 0 ? r : MIRAGE_ENOENT;
}

/* The 11-byte short names of a directory, to pick an unused one. */
struct shorts {
    uint8_t (*names)[11];
    size_t count, cap;
};

static int shorts_fn(struct fat *f, const struct fat_node *n, void *ctx)
{
    (void)f;
    struct shorts *s = ctx;
    if (s->count == s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 16;
        void *p = realloc(s->names, cap * 11);
        if (!p)
            return MIRAGE_ENOMEM;
        s->names = p, s->cap = cap;
    }
    memcpy(s->names[s->count++], n->entry, 11);
    return 0;
}

static bool shorts_has(const struct shorts *s, const uint8_t *sn)
{
    for (size_t i = 0; i < s->count; i++)
        if (memcmp(s->names[i], sn, 11) == 0)
            return true;
    return false;
}

/* Choose the short name for `name`: the name itself when it is a valid
 * upper-case 8.3 name (*lfn false), else its basis if that is unused and
 * says the same up to case, else the basis with the first free "~N". */
static int choose_short(struct fat *f, uint32_t dir, const char *name,
                        const uint16_t *units, size_t n, uint8_t *sn, bool *lfn)
{
    *lfn = !fat_name_is_short(units, n, sn);
    if (!*lfn)
        return 0;
    uint8_t basis[11];
    fat_short_basis(units, n, basis);
    struct shorts s = {0};
    int r = fat_dir_each(f, dir, shorts_fn, &s);
    if (r < 0) {
        free(s.names);
        return r;
    }
    char plain[13 * 3];
    uint8_t e[32] = {0};
    memcpy(e, basis, 11);
    fat_short_to_name(e, plain);
    r = MIRAGE_ENOSPC;
    if (fat_name_equal(plain, name) && !shorts_has(&s, basis)) {
        memcpy(sn, basis, 11);
        r = 0;
    }
    for (unsigned k = 1; r && k <= 999999; k++) {
        fat_short_tail(basis, k, sn);
        if (!shorts_has(&s, sn))
            r = 0;
    }
    free(s.names);
    return r;
}

/* Find nslots free consecutive slots in dir: *start, and *grow, the
 * clusters to add to the directory for them. Every slot from the end mark
 * (the first slot starting with 0x00, *end_mark) on is free, so a run
 * never lies wholly past the mark. */
static int find_free(struct fat *f, uint32_t dir, uint32_t nslots,
                     uint32_t *start, uint32_t *grow, uint32_t *end_mark)
{
    uint32_t run = 0, i;
    *end_mark = UINT32_MAX;
    for (i = 0;; i++) {
        uint8_t *e;
        int r = slot_read(f, dir, i, &e);
        if (r < 0)
            return r;
        if (r == 1)
            break;
        if (*end_mark == UINT32_MAX && e[0] == 0x00)
            *end_mark = i;
        if (e[0] == 0x00 || e[0] == 0xE5 || *end_mark != UINT32_MAX) {
            if (++run == nslots) {
                *start = i + 1 - nslots;
                *grow = 0;
                return 0;
            }
        } else {
            run = 0;
        }
    }
    /* i slots in all; the last `run` of them are free. */
    if (dir == FAT_ROOT_FIXED)
        return MIRAGE_ENOSPC;
    uint32_t per_cluster = f->g.cluster_size / FAT_SLOT;
    uint32_t missing = nslots - run;
    *start = i - run;
    *grow = (missing + per_cluster - 1) / per_cluster;
    if ((uint64_t)i + (uint64_t)*grow * per_cluster > FAT_DIR_MAX_SLOT)
        return MIRAGE_ENOSPC;
    return 0;
}

static void lfn_build(uint8_t *e, unsigned ord, bool last, uint8_t sum,
                      const uint16_t *units, size_t n)
{
    memset(e, 0, FAT_SLOT);
    e[0] = (uint8_t)(ord | (last ? 0x40 : 0));
    e[11] = FAT_ATTR_LFN;
    e[13] = sum;
    for (unsigned k = 0; k < FAT_LFN_CHARS; k++) {
        size_t at = (ord - 1) * FAT_LFN_CHARS + k;
        uint16_t u = at < n ? units[at] : at == n ? 0x0000 : 0xFFFF;
        fat_put16(e + lfn_offsets[k], u);
    }
}

int fat_dir_add(struct fat *f, uint32_t dir, const char *name, uint8_t attr,
                uint32_t cluster, uint32_t size, struct fat_node *n)
{
    uint16_t units[FAT_NAME_UNITS];
    size_t nu;
    uint8_t sn[11];
    bool lfn;
    int r = fat_name_to_utf16(name, strlen(name), units, &nu);
    if (r || (r = choose_short(f, dir, name, units, nu, sn, &lfn)))
        return r;
    uint32_t nlfn =
        lfn ? (uint32_t)(nu + FAT_LFN_CHARS - 1) / FAT_LFN_CHARS : 0;
    uint32_t start, grow, end_mark, last, len;
    if ((r = find_free(f, dir, nlfn + 1, &start, &grow, &end_mark)))
        return r;
    if (grow) {
        uint32_t first;
        if ((r = fat_chain_length(f, dir, &len, &last)) ||
            (r = fat_chain_alloc(f, last, grow, true, &first)))
            return r;
    }
    uint8_t e[FAT_SLOT];
    uint8_t sum = fat_short_checksum(sn);
    for (uint32_t k = 0; k < nlfn; k++) {
        lfn_build(e, nlfn - k, k == 0, sum, units, nu);
        if ((r = slot_write(f, dir, start + k, e)))
            return r;
    }
    memset(e, 0, FAT_SLOT);
    memcpy(e, sn, 11);
    e[11] = attr;
    fat_entry_set_cluster(f, e, cluster);
    fat_put32(e + 28, size);
    fat_entry_touch(e, true);
    uint32_t slot = start + nlfn;
    if ((r = slot_write(f, dir, slot, e)))
        return r;
    /* Slots after an end mark are free but may hold anything: when the
     * new entry covered the mark, put one right after it. */
    if (end_mark != UINT32_MAX && slot >= end_mark) {
        uint8_t *next;
        r = slot_read(f, dir, slot + 1, &next);
        if (r < 0)
            return r;
        if (r == 0 && next[0] != 0x00) {
            next[0] = 0x00;
            if ((r = fat_sec_store(f)))
                return r;
        }
    }
    n->root = false;
    n->dir = dir;
    n->slot = slot;
    n->first = start;
    memcpy(n->entry, e, FAT_SLOT);
    memcpy(n->name, name, strlen(name) + 1);
    return 0;
}

int fat_dir_remove(struct fat *f, const struct fat_node *n)
{
    for (uint32_t i = n->first; i <= n->slot; i++) {
        uint8_t *e;
        int r = slot_read(f, n->dir, i, &e);
        if (r)
            return r < 0 ? r : MIRAGE_EIO;
        e[0] = 0xE5;
        if ((r = fat_sec_store(f)))
            return r;
    }
    return 0;
}

int fat_dir_update(struct fat *f, const struct fat_node *n)
{
    return slot_write(f, n->dir, n->slot, n->entry);
}

static int any_fn(struct fat *f, const struct fat_node *n, void *ctx)
{
    (void)f, (void)n, (void)ctx;
    return 1;
}

int fat_dir_is_empty(struct fat *f, uint32_t dir, bool *empty)
{
    int r = fat_dir_each(f, dir, any_fn, NULL);
    *empty = r == 0;
    return r < 0 ? r : 0;
}

static uint64_t cluster_sector(const struct fat *f, uint32_t c)
{
    return f->g.data_start + (uint64_t)(c - 2) * f->g.sectors_per_cluster;
}

int fat_dir_init(struct fat *f, uint32_t c, uint32_t parent)
{
    int r = fat_sec_load(f, cluster_sector(f, c));
    if (r)
        return r;
    uint8_t *e = f->sec;
    for (int k = 0; k < 2; k++, e += FAT_SLOT) {
        memset(e, 0, FAT_SLOT);
        memset(e, ' ', 11);
        memset(e, '.', (size_t)k + 1);
        e[11] = FAT_ATTR_DIR;
        fat_entry_touch(e, true);
        fat_entry_set_cluster(f, e, k == 0 ? c : parent);
    }
    return fat_dir_set_parent(f, c, parent);
}

int fat_dir_parent_entry(struct fat *f, uint32_t c, uint8_t **dotdot)
{
    int r = fat_sec_load(f, cluster_sector(f, c));
    if (r)
        return r;
    uint8_t *e = f->sec + FAT_SLOT;
    if (e[0] != '.' || e[1] != '.' || e[2] != ' ') {
        mirage_log_src_err(&fat_log, "directory at cluster %u has no '..'",
                           (unsigned)c);
        return MIRAGE_EBADF;
    }
    *dotdot = e;
    return 0;
}

int fat_dir_set_parent(struct fat *f, uint32_t c, uint32_t parent)
{
    uint8_t *e;
    int r = fat_dir_parent_entry(f, c, &e);
    if (r)
        return r;
    /* ".." names the root as cluster 0, whatever the root's cluster. */
    fat_entry_set_cluster(f, e, parent == f->g.root_cluster ? 0 : parent);
    return fat_sec_store(f);
}
