/* The `fat BLOCK` device: mounting a FAT filesystem on a block device and
 * the mirage_fs operations over paths (include/mirage/fs.h). */
#include <mirage/error.h>
#include <stdlib.h>
#include <string.h>

#include "fat.h"

struct mirage_log_src fat_log = {"fat", "FAT filesystem", -1, 0};

static struct fat *to_fat(struct mirage_fs *fs)
{
    return (struct fat *)fs;
}

/* Check one path component. */
static int check_component(const char *p, size_t len)
{
    uint16_t units[FAT_NAME_UNITS];
    size_t n;
    return fat_name_to_utf16(p, len, units, &n);
}

/* Walk `path` from the root. With parent set, stop before the last
 * component: *n is its directory and *last / *last_len name it (the root
 * has no last component: MIRAGE_EINVAL). */
static int walk(struct fat *f, const char *path, bool parent,
                struct fat_node *n, const char **last, size_t *last_len)
{
    if (!path)
        return MIRAGE_EINVAL;
    fat_root_node(f, n);
    const char *p = path[0] == '/' ? path + 1 : path;
    if (*p == 0)
        return parent ? MIRAGE_EINVAL : 0;
    /* A malformed path is an error whatever exists on the disk. */
    for (const char *q = p;;) {
        const char *slash = strchr(q, '/');
        int r = check_component(q, slash ? (size_t)(slash - q) : strlen(q));
        if (r)
            return r;
        if (!slash)
            break;
        q = slash + 1;
    }
    for (;;) {
        const char *slash = strchr(p, '/');
        size_t len = slash ? (size_t)(slash - p) : strlen(p);
        int r;
        if (!fat_entry_is_dir(n->entry))
            return MIRAGE_ENOTDIR;
        if (!slash && parent) {
            *last = p, *last_len = len;
            return 0;
        }
        char name[FAT_NAME_BYTES];
        memcpy(name, p, len);
        name[len] = 0;
        if ((r = fat_dir_lookup(f, fat_node_dir(f, n), name, n)))
            return r;
        if (!slash)
            return 0;
        p = slash + 1;
    }
}

static int resolve(struct fat *f, const char *path, struct fat_node *n)
{
    return walk(f, path, false, n, NULL, NULL);
}

/* The parent directory of path and its last component (NUL-terminated in
 * name): 0 if the last component does not exist yet, else MIRAGE_EEXIST
 * with *existing describing it. */
struct target {
    struct fat_node parent, existing;
    char name[FAT_NAME_BYTES];
};
static int resolve_new(struct fat *f, const char *path, struct target *t)
{
    const char *last;
    size_t len;
    int r = walk(f, path, true, &t->parent, &last, &len);
    if (r)
        return r;
    memcpy(t->name, last, len);
    t->name[len] = 0;
    r = fat_dir_lookup(f, fat_node_dir(f, &t->parent), t->name, &t->existing);
    return r == 0 ? MIRAGE_EEXIST : r == MIRAGE_ENOENT ? 0 : r;
}

/* The node path names in f, which must be writable: 0, MIRAGE_EROFS or
 * resolve's errors. */
static int resolve_writable(struct fat *f, const char *path, struct fat_node *n)
{
    return f->read_only ? MIRAGE_EROFS : resolve(f, path, n);
}

/* resolve_writable for a file: MIRAGE_EISDIR when path is a directory. */
static int writable_file(struct fat *f, const char *path, struct fat_node *n)
{
    int r = resolve_writable(f, path, n);
    return !r && fat_entry_is_dir(n->entry) ? MIRAGE_EISDIR : r;
}

/* resolve_writable for anything but the root (MIRAGE_EINVAL). */
static int writable_entry(struct fat *f, const char *path, struct fat_node *n)
{
    int r = resolve_writable(f, path, n);
    return !r && n->root ? MIRAGE_EINVAL : r;
}

static int fat_read(struct mirage_fs *fs, const char *path, uint64_t offset,
                    void *buf, size_t len, size_t *got)
{
    struct fat *f = to_fat(fs);
    struct fat_node n;
    *got = 0;
    int r = resolve(f, path, &n);
    if (r)
        return r;
    if (fat_entry_is_dir(n.entry))
        return MIRAGE_EISDIR;
    return fat_file_read(f, &n, offset, buf, len, got);
}

static int fat_size(struct mirage_fs *fs, const char *path, uint64_t *size)
{
    struct fat_node n;
    int r = resolve(to_fat(fs), path, &n);
    if (r)
        return r;
    if (fat_entry_is_dir(n.entry))
        return MIRAGE_EISDIR;
    *size = fat_entry_size(n.entry);
    return 0;
}

static int fat_stat(struct mirage_fs *fs, const char *path,
                    struct mirage_fs_stat *st)
{
    struct fat *f = to_fat(fs);
    struct fat_node n;
    int r = resolve(f, path, &n);
    if (r)
        return r;
    st->directory = fat_entry_is_dir(n.entry);
    st->read_only = f->read_only || (n.entry[11] & FAT_ATTR_RO);
    st->size = st->directory ? 0 : fat_entry_size(n.entry);
    st->mtime_ns = n.root ? 0 : fat_entry_mtime(n.entry);
    return 0;
}

struct listing {
    struct mirage_fs_entry *v;
    size_t n, cap;
};

static int list_fn(struct fat *f, const struct fat_node *n, void *ctx)
{
    (void)f;
    struct listing *l = ctx;
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 16;
        void *p = realloc(l->v, cap * sizeof(*l->v));
        if (!p)
            return MIRAGE_ENOMEM;
        l->v = p, l->cap = cap;
    }
    char *name = strdup(n->name);
    if (!name)
        return MIRAGE_ENOMEM;
    l->v[l->n++] = (struct mirage_fs_entry){name, fat_entry_is_dir(n->entry)};
    return 0;
}

static int fat_listdir(struct mirage_fs *fs, const char *path,
                       struct mirage_fs_entry **out, size_t *count)
{
    struct fat *f = to_fat(fs);
    struct fat_node n;
    *out = NULL, *count = 0;
    int r = resolve(f, path, &n);
    if (r)
        return r;
    if (!fat_entry_is_dir(n.entry))
        return MIRAGE_ENOTDIR;
    struct listing l = {0};
    if ((r = fat_dir_each(f, fat_node_dir(f, &n), list_fn, &l))) {
        mirage_fs_entries_free(l.v, l.n);
        return r;
    }
    *out = l.v, *count = l.n;
    return 0;
}

/* Write the FAT after a change, keeping the first error. */
static int finish(struct fat *f, int r)
{
    int w = fat_table_flush(f);
    return r ? r : w;
}

static int make(struct fat *f, const char *path, bool dir)
{
    if (f->read_only)
        return MIRAGE_EROFS;
    struct target t;
    int r = resolve_new(f, path, &t);
    if (r)
        return r;
    uint32_t parent = fat_node_dir(f, &t.parent), c = 0;
    struct fat_node n;
    if (dir) {
        if ((r = fat_chain_alloc(f, 0, 1, true, &c)) ||
            (r = fat_dir_init(f, c, parent)))
            return finish(f, r);
    }
    r = fat_dir_add(f, parent, t.name, dir ? FAT_ATTR_DIR : FAT_ATTR_ARCH, c, 0,
                    &n);
    if (r && c)
        fat_chain_free(f, 0, c);
    return finish(f, r);
}

static int fat_create(struct mirage_fs *fs, const char *path)
{
    return make(to_fat(fs), path, false);
}

static int fat_mkdir(struct mirage_fs *fs, const char *path)
{
    return make(to_fat(fs), path, true);
}

/* Remove the entry n and free its clusters (a directory must be empty). */
static int remove_node(struct fat *f, const struct fat_node *n)
{
    uint32_t first = fat_entry_cluster(f, n->entry), len, last;
    int r;
    if (fat_entry_is_dir(n->entry)) {
        bool empty;
        if ((r = fat_dir_is_empty(f, fat_node_dir(f, n), &empty)))
            return r;
        if (!empty)
            return MIRAGE_ENOTEMPTY;
    }
    if (first && (r = fat_chain_length(f, first, &len, &last)))
        return r;
    if ((r = fat_dir_remove(f, n)))
        return r;
    return finish(f, first ? fat_chain_free(f, 0, first) : 0);
}

static int fat_destroy(struct mirage_fs *fs, const char *path)
{
    struct fat *f = to_fat(fs);
    struct fat_node n;
    int r = writable_entry(f, path, &n);
    if (r)
        return r;
    return remove_node(f, &n);
}

static int fat_write(struct mirage_fs *fs, const char *path, uint64_t offset,
                     const void *buf, size_t len)
{
    struct fat *f = to_fat(fs);
    struct fat_node n;
    int r = writable_file(f, path, &n);
    if (r)
        return r;
    if (!buf && len)
        return MIRAGE_EINVAL;
    return finish(f, fat_file_write(f, &n, offset, buf, len));
}

static int fat_truncate(struct mirage_fs *fs, const char *path, uint64_t size)
{
    struct fat *f = to_fat(fs);
    struct fat_node n;
    int r = writable_file(f, path, &n);
    if (r)
        return r;
    return finish(f, fat_file_truncate(f, &n, size));
}

/* Whether path `inner` names `outer` or something inside it (components
 * compared as FAT does, without regard to ASCII case). */
static bool path_within(const char *outer, const char *inner)
{
    outer += outer[0] == '/';
    inner += inner[0] == '/';
    for (;;) {
        size_t lo = strcspn(outer, "/"), li = strcspn(inner, "/");
        char a[FAT_NAME_BYTES], b[FAT_NAME_BYTES];
        if (lo >= sizeof(a) || li >= sizeof(b))
            return false;
        memcpy(a, outer, lo), a[lo] = 0;
        memcpy(b, inner, li), b[li] = 0;
        if (!fat_name_equal(a, b))
            return false;
        if (!outer[lo])
            return true;
        if (!inner[li])
            return false;
        outer += lo + 1, inner += li + 1;
    }
}

static int fat_rename(struct mirage_fs *fs, const char *from, const char *to)
{
    struct fat *f = to_fat(fs);
    struct fat_node src;
    struct target t;
    int r = writable_entry(f, from, &src);
    if (r)
        return r;
    r = resolve_new(f, to, &t);
    if (r && r != MIRAGE_EEXIST)
        return r;
    bool is_dir = fat_entry_is_dir(src.entry), exists = r == MIRAGE_EEXIST;
    /* `to` may name the source itself, in another case. */
    bool same =
        exists && t.existing.dir == src.dir && t.existing.slot == src.slot;
    if (same && strcmp(t.existing.name, t.name) == 0)
        return 0;
    if (!same && is_dir && path_within(from, to))
        return MIRAGE_EINVAL;
    uint32_t parent = fat_node_dir(f, &t.parent);
    uint8_t *dotdot;
    /* A directory that moves needs a ".." to update: check it first. */
    if (is_dir && parent != src.dir &&
        (r = fat_dir_parent_entry(f, fat_node_dir(f, &src), &dotdot)))
        return r;
    if (exists && !same) {
        if (fat_entry_is_dir(t.existing.entry))
            return MIRAGE_EISDIR;
        if (is_dir)
            return MIRAGE_ENOTDIR;
        if ((r = remove_node(f, &t.existing)))
            return r;
    }
    struct fat_node n;
    r = fat_dir_add(f, parent, t.name, src.entry[11],
                    fat_entry_cluster(f, src.entry), fat_entry_size(src.entry),
                    &n);
    if (r)
        return finish(f, r);
    /* Keep the times of the source. */
    memcpy(n.entry + 13, src.entry + 13, 7);
    memcpy(n.entry + 22, src.entry + 22, 4);
    if ((r = fat_dir_update(f, &n)) || (r = fat_dir_remove(f, &src)))
        return finish(f, r);
    if (is_dir && parent != src.dir)
        r = fat_dir_set_parent(f, fat_node_dir(f, &src), parent);
    return finish(f, r);
}

static int fat_set_mtime(struct mirage_fs *fs, const char *path,
                         uint64_t mtime_ns)
{
    struct fat *f = to_fat(fs);
    struct fat_node n;
    int r = writable_entry(f, path, &n);
    if (r)
        return r;
    fat_entry_set_time(n.entry, mtime_ns, false);
    return fat_dir_update(f, &n);
}

static void fat_disconnect(struct mirage_fs *fs)
{
    struct fat *f = to_fat(fs);
    free(f->table);
    free(f->dirty);
    free(f->sec);
    free(f->bounce);
    free(f);
}

static const struct mirage_fs_ops fat_ops = {
    .read = fat_read,
    .size = fat_size,
    .create = fat_create,
    .mkdir = fat_mkdir,
    .destroy = fat_destroy,
    .stat = fat_stat,
    .listdir = fat_listdir,
    .write = fat_write,
    .truncate = fat_truncate,
    .rename = fat_rename,
    .set_mtime = fat_set_mtime,
    .disconnect = fat_disconnect,
};

int mirage_fs_connect_fat(struct mirage_fs **out, struct mirage_block *block)
{
    if (!out || !block)
        return MIRAGE_EINVAL;
    *out = NULL;
    struct mirage_block_info info = mirage_block_get_info(block);
    const char *why = NULL;
    struct fat *f = calloc(1, sizeof(*f));
    if (!f)
        return MIRAGE_ENOMEM;
    f->fs.ops = &fat_ops;
    f->block = block;
    f->dev_sector = info.sector_size;
    f->read_only = !info.read_write;
    f->sec_no = UINT64_MAX;
    f->bounce = malloc(info.sector_size);
    int r = f->bounce ? 0 : MIRAGE_ENOMEM;
    if (!r && info.sectors == 0) {
        why = "empty device";
        r = MIRAGE_EBADF;
    }
    if (!r && !(r = mirage_block_read(block, 0, f->bounce, info.sector_size)))
        r = fat_boot_parse(f->bounce, info.sectors * info.sector_size,
                           info.sector_size, &f->g, &why);
    if (!r && !(f->sec = malloc(f->g.bytes_per_sector)))
        r = MIRAGE_ENOMEM;
    if (!r)
        r = fat_table_load(f);
    if (r) {
        mirage_log_src_err(&fat_log, "%s: cannot mount: %s",
                           block->name ? block->name : "block device",
                           why ? why : mirage_strerror(r));
        fat_disconnect(&f->fs);
        return r;
    }
    mirage_log_src_debug(&fat_log, "%s: FAT%u, %u clusters of %u bytes",
                         block->name ? block->name : "block device", f->g.bits,
                         (unsigned)f->g.clusters, (unsigned)f->g.cluster_size);
    *out = &f->fs;
    return 0;
}
