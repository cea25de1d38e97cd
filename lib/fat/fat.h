/* lib/fat internals: the mounted filesystem, its geometry, the in-memory
 * FAT, directories and names. Shared by the files of lib/fat only.
 *
 * Conventions: functions return 0 or a negative MIRAGE_E* code. Sector
 * numbers are in FAT sectors (geometry.bytes_per_sector) unless named
 * "dev"; the I/O helpers scale them to device sectors. A directory is
 * named by its first cluster, FAT_ROOT_FIXED (0) standing for the fixed
 * root directory of FAT12/16. Functions that do I/O may yield. */
#ifndef MIRAGE_LIB_FAT_H
#define MIRAGE_LIB_FAT_H

#include <mirage/block.h>
#include <mirage/fs.h>
#include <mirage/log.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

extern struct mirage_log_src fat_log;

#define FAT_ROOT_FIXED   0u
#define FAT_SLOT         32u    /* bytes of one directory entry */
#define FAT_DIR_MAX_SLOT 65536u /* entries a directory may hold */
#define FAT_NAME_UNITS   255u   /* UTF-16 units of a long name */
#define FAT_NAME_BYTES   (FAT_NAME_UNITS * 3 + 1) /* as UTF-8 plus NUL */
#define FAT_LFN_CHARS    13u /* UTF-16 units per long-name entry */

/* Attributes. */
#define FAT_ATTR_RO     0x01
#define FAT_ATTR_HIDDEN 0x02
#define FAT_ATTR_SYSTEM 0x04
#define FAT_ATTR_VOLUME 0x08
#define FAT_ATTR_DIR    0x10
#define FAT_ATTR_ARCH   0x20
#define FAT_ATTR_LFN    0x0F

/* A position in a chain: cluster `cluster` is number `index` of the chain
 * starting at `first` (first 0: no position). */
struct fat_cursor {
    uint32_t first, index, cluster;
};

/* ---- Geometry (boot_sector.c) -------------------------------------------- */
struct fat_geom {
    unsigned bits;             /* 12, 16 or 32 */
    uint32_t bytes_per_sector; /* 512 .. 4096 */
    uint32_t cluster_size;     /* bytes */
    uint32_t sectors_per_cluster;
    uint32_t fat_start;   /* first sector of the first FAT */
    uint32_t fat_sectors; /* per FAT */
    uint32_t nfats;
    uint32_t active_fat; /* FAT32 with mirroring off: the one in use */
    bool mirrored;       /* write every FAT copy */
    uint32_t root_start; /* FAT12/16: the fixed root directory */
    uint32_t root_sectors;
    uint32_t root_entries;
    uint32_t root_cluster; /* FAT32; FAT_ROOT_FIXED otherwise */
    uint32_t data_start;   /* sector of cluster 2 */
    uint32_t clusters;     /* data clusters: numbers 2 .. clusters + 1 */
    uint32_t fsinfo;       /* FAT32: FSInfo sector, 0 if none */
    uint64_t total_sectors;
};

/* Check the boot sector `bs` (512 bytes) of a device of dev_bytes bytes
 * with dev_sector-byte sectors and fill *g. MIRAGE_EBADF with *why set to
 * a static description, or MIRAGE_ENOTSUP (FAT sector smaller than the
 * device's). Does no I/O. */
int fat_boot_parse(const uint8_t *bs, uint64_t dev_bytes, uint32_t dev_sector,
                   struct fat_geom *g, const char **why);

/* ---- The mounted filesystem (fs.c) ------------------------------------ */
struct fat {
    struct mirage_fs fs;
    struct mirage_block *block;
    struct fat_geom g;
    uint32_t dev_sector; /* device sector size */
    bool read_only;
    /* The FAT in memory (table_bytes of the active copy) and the FAT
     * sectors changed since the last fat_table_flush(). */
    uint8_t *table;
    uint32_t table_bytes;
    uint8_t *dirty;              /* bitmap, one bit per FAT sector */
    uint32_t dirty_lo, dirty_hi; /* dirty sector range [lo, hi) */
    uint32_t free_count, next_free;
    /* Chains validated whole since the last cluster was freed (a small
     * round-robin cache), and positions reached in chains, so that
     * sequential access stays linear. */
    struct fat_checked {
        uint32_t first, len, last;
    } checked[8];
    unsigned checked_next;
    struct fat_cursor file_cur, dir_cur;
    /* One FAT sector of directory data and its number (UINT64_MAX: none). */
    uint8_t *sec;
    uint64_t sec_no;
    /* A device sector, for partial-sector data I/O. */
    uint8_t *bounce;
};

/* ---- Device I/O (io.c) ------------------------------------------------ */
/* Whole FAT sectors. */
int fat_io_read(struct fat *f, uint64_t sector, void *buf, uint32_t count);
int fat_io_write(struct fat *f, uint64_t sector, const void *buf,
                 uint32_t count);
/* Any byte range of the device; buf NULL writes zeros. */
int fat_io_read_bytes(struct fat *f, uint64_t off, void *buf, size_t len);
int fat_io_write_bytes(struct fat *f, uint64_t off, const void *buf,
                       size_t len);
/* The directory sector cache: load sector into f->sec / write f->sec back. */
int fat_sec_load(struct fat *f, uint64_t sector);
int fat_sec_store(struct fat *f);
/* Byte offset on the device of cluster c (2 .. clusters + 1). */
uint64_t fat_cluster_offset(const struct fat *f, uint32_t c);

/* ---- The FAT (table.c) ------------------------------------------------ */
/* Load the active FAT and count the free clusters. */
int fat_table_load(struct fat *f);
uint32_t fat_get(const struct fat *f, uint32_t c);
void fat_set(struct fat *f, uint32_t c, uint32_t v);
/* The end-of-chain mark to store, and whether an entry ends a chain. */
uint32_t fat_eoc(const struct fat *f);
bool fat_is_eoc(const struct fat *f, uint32_t v);
/* The cluster after c in a chain: 0 with *next set (0 at the end), or
 * MIRAGE_EBADF (free, reserved, bad or out-of-range entry). */
int fat_next(const struct fat *f, uint32_t c, uint32_t *next);
/* Cluster number `index` (0-based) of the chain starting at first, walking
 * from *cur when it is on that chain and not past index (cur is updated);
 * MIRAGE_EBADF if the chain is shorter or broken. */
int fat_chain_seek(struct fat *f, struct fat_cursor *cur, uint32_t first,
                   uint32_t index, uint32_t *cluster);
/* Length and last cluster of the chain starting at first (first 0: empty,
 * length 0), validated whole: MIRAGE_EBADF for a broken chain, an invalid
 * first cluster or a cycle. */
int fat_chain_length(struct fat *f, uint32_t first, uint32_t *len,
                     uint32_t *last);
/* Drop the validated chains and positions (after clusters are freed). */
void fat_chain_forget(struct fat *f);
/* Allocate n > 0 free clusters as a chain, linked after `last` (0: a new
 * chain); *first is its first new cluster. MIRAGE_ENOSPC (nothing
 * changed) when fewer than n are free. The data of the clusters is left as
 * it was unless zero is set. */
int fat_chain_alloc(struct fat *f, uint32_t last, uint32_t n, bool zero,
                    uint32_t *first);
/* Free the chain from cluster `from` on (validated first: MIRAGE_EBADF
 * frees nothing); keep_before, if not 0, becomes the chain's end. */
int fat_chain_free(struct fat *f, uint32_t keep_before, uint32_t from);
/* Write the changed FAT sectors to every FAT copy, and the FSInfo. */
int fat_table_flush(struct fat *f);

/* ---- Names (name.c) --------------------------------------------------- */
/* Check a path component and convert it to UTF-16 (units, *n of them):
 * MIRAGE_EINVAL (bad character, bad UTF-8, ".", "..", trailing dot or
 * space, empty) or MIRAGE_ENAMETOOLONG. */
int fat_name_to_utf16(const char *name, size_t len, uint16_t *units, size_t *n);
/* UTF-16 units to NUL-terminated UTF-8 in out (FAT_NAME_BYTES bytes);
 * unpaired surrogates become U+FFFD. */
void fat_utf16_to_name(const uint16_t *units, size_t n, char *out);
/* The name a short (8.3) entry shows, honouring the lower-case flags. */
void fat_short_to_name(const uint8_t *entry, char *out);
/* Whether two UTF-8 names are equal ignoring ASCII case. */
bool fat_name_equal(const char *a, const char *b);
/* Whether the UTF-16 name is a valid upper-case 8.3 name; if so *shortname
 * gets its 11-byte form. */
bool fat_name_is_short(const uint16_t *units, size_t n, uint8_t *shortname);
/* The basis of a generated short name and the numeric tail "~N" applied to
 * it (n >= 1). */
void fat_short_basis(const uint16_t *units, size_t n, uint8_t *basis);
void fat_short_tail(const uint8_t *basis, unsigned n, uint8_t *out);
/* The checksum of a short name stored in its long-name entries. */
uint8_t fat_short_checksum(const uint8_t *shortname);

/* ---- Directories (dir.c) ---------------------------------------------- */
/* A directory entry found by lookup or iteration. */
struct fat_node {
    bool root;         /* the root directory (no entry) */
    uint32_t dir;      /* the directory holding the entry */
    uint32_t slot;     /* index of its short entry */
    uint32_t first;    /* index of its first slot (long-name entries) */
    uint8_t entry[32]; /* the short entry */
    char name[FAT_NAME_BYTES];
};
/* Fields of a short entry (the high cluster half only on FAT32). */
uint32_t fat_entry_cluster(const struct fat *f, const uint8_t *e);
void fat_entry_set_cluster(const struct fat *f, uint8_t *e, uint32_t c);
uint32_t fat_entry_size(const uint8_t *e);
bool fat_entry_is_dir(const uint8_t *e);
/* The first cluster of the directory a node is (root: the root's; an
 * entry without a valid cluster: 1, which every chain walk rejects). */
uint32_t fat_node_dir(const struct fat *f, const struct fat_node *n);
/* The root directory's node. */
void fat_root_node(const struct fat *f, struct fat_node *n);

/* Visit every entry of directory dir (not ".", "..", volume labels or
 * deleted entries) in order; fn returns 0 to go on, 1 to stop (then
 * fat_dir_each returns 1) or an error. */
typedef int (*fat_dir_fn)(struct fat *f, const struct fat_node *n, void *ctx);
int fat_dir_each(struct fat *f, uint32_t dir, fat_dir_fn fn, void *ctx);
/* Find `name` (any ASCII case) in dir: 0 and *n, or MIRAGE_ENOENT. */
int fat_dir_lookup(struct fat *f, uint32_t dir, const char *name,
                   struct fat_node *n);
/* Add an entry called `name` to dir with the attributes, first cluster
 * and size; *n describes it afterwards. Needs the name's long-name
 * entries and a short name; grows dir when it is full (MIRAGE_ENOSPC,
 * nothing changed, when that is impossible). The name must not exist. */
int fat_dir_add(struct fat *f, uint32_t dir, const char *name, uint8_t attr,
                uint32_t cluster, uint32_t size, struct fat_node *n);
/* Mark the slots of n deleted. */
int fat_dir_remove(struct fat *f, const struct fat_node *n);
/* Write n->entry back to its slot. */
int fat_dir_update(struct fat *f, const struct fat_node *n);
/* Whether directory dir has entries besides "." and "..". */
int fat_dir_is_empty(struct fat *f, uint32_t dir, bool *empty);
/* Make the new directory cluster c (zeroed) hold "." and "..", with
 * parent the parent directory's first cluster. */
int fat_dir_init(struct fat *f, uint32_t c, uint32_t parent);
/* The ".." entry of directory c (in f->sec, valid until the next directory
 * I/O); MIRAGE_EBADF when the directory does not start with one. */
int fat_dir_parent_entry(struct fat *f, uint32_t c, uint8_t **dotdot);
/* Point the ".." entry of directory c at parent. */
int fat_dir_set_parent(struct fat *f, uint32_t c, uint32_t parent);

/* ---- Times (time.c) --------------------------------------------------- */
/* Stamp entry's modification (and, if create, creation) time with now, or
 * with ns since the epoch (clamped to what FAT holds). */
void fat_entry_touch(uint8_t *e, bool create);
void fat_entry_set_time(uint8_t *e, uint64_t ns, bool create);
/* The modification time of an entry in ns since the epoch. */
uint64_t fat_entry_mtime(const uint8_t *e);

/* ---- Files (file.c) --------------------------------------------------- */
int fat_file_read(struct fat *f, const struct fat_node *n, uint64_t off,
                  void *buf, size_t len, size_t *got);
/* Write len bytes of buf (NULL: zeros) at off, growing the file and
 * zero-filling a gap after its old end, and update n's entry (size, first
 * cluster, time). A file may not grow past 4 GiB - 1: MIRAGE_ENOSPC. */
int fat_file_write(struct fat *f, struct fat_node *n, uint64_t off,
                   const void *buf, size_t len);
/* Set the size of the file, freeing or zero-filling clusters. */
int fat_file_truncate(struct fat *f, struct fat_node *n, uint64_t size);

/* Little-endian field access. */
static inline uint16_t fat_le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}
static inline uint32_t fat_le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
           (uint32_t)p[3] << 24;
}
static inline void fat_put16(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
}
static inline void fat_put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

#endif
