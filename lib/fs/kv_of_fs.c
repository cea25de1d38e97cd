/* Key-value stores over a filesystem: kv_ro_of_fs (a kv_ro whose values are
 * the files and whose dictionaries are the directories of a mirage_fs) and
 * its writable form, the kv_rw used over FAT. Keys reach the operations
 * normalised (kv.h), and are used as paths as they are. */
#include <mirage/error.h>
#include <mirage/fs.h>
#include <mirage/kv.h>
#include <stdlib.h>
#include <string.h>

#include "../random/sha256.h"

#define CHUNK 65536u

struct kv_fs {
    struct mirage_kv_rw rw;
    struct mirage_fs *fs;
};

static struct mirage_fs *fs_of(struct mirage_kv_ro *kv)
{
    return ((struct kv_fs *)kv)->fs;
}

static struct mirage_fs *fs_of_rw(struct mirage_kv_rw *kv)
{
    return ((struct kv_fs *)kv)->fs;
}

/* Reading under a value ("v/x" with v a value) finds nothing, where the
 * filesystem says a component is not a directory. */
static int read_err(int r)
{
    return r == MIRAGE_ENOTDIR ? MIRAGE_ENOENT : r;
}

static int kv_exists(struct mirage_kv_ro *kv, const char *key,
                     enum mirage_kv_kind *kind)
{
    struct mirage_fs_stat st;
    int r = mirage_fs_stat(fs_of(kv), key, &st);
    *kind = r              ? MIRAGE_KV_ABSENT
            : st.directory ? MIRAGE_KV_DICTIONARY
                           : MIRAGE_KV_VALUE;
    return r == MIRAGE_ENOENT || r == MIRAGE_ENOTDIR ? 0 : r;
}

static int kv_get_partial(struct mirage_kv_ro *kv, const char *key,
                          uint64_t offset, size_t length, void **data,
                          size_t *len)
{
    struct mirage_fs *fs = fs_of(kv);
    uint64_t size;
    int r = mirage_fs_size(fs, key, &size);
    if (r)
        return read_err(r);
    if (offset > size)
        return MIRAGE_ERANGE;
    if (length > size - offset)
        length = (size_t)(size - offset);
    char *buf = malloc(length + 1);
    if (!buf)
        return MIRAGE_ENOMEM;
    size_t got;
    r = mirage_fs_read(fs, key, offset, buf, length, &got);
    if (r == 0 && got != length)
        r = MIRAGE_EIO; /* the file shrank under us */
    if (r) {
        free(buf);
        return r;
    }
    buf[length] = 0;
    *data = buf, *len = length;
    return 0;
}

static int kv_get(struct mirage_kv_ro *kv, const char *key, void **data,
                  size_t *len)
{
    return kv_get_partial(kv, key, 0, SIZE_MAX - 1, data, len);
}

static int compare_keys(const void *a, const void *b)
{
    return strcmp(((const struct mirage_kv_entry *)a)->key,
                  ((const struct mirage_kv_entry *)b)->key);
}

static int kv_list(struct mirage_kv_ro *kv, const char *key,
                   struct mirage_kv_list *out)
{
    struct mirage_fs_entry *v;
    size_t n;
    struct mirage_fs_stat st;
    int r = mirage_fs_stat(fs_of(kv), key, &st);
    if (r)
        return read_err(r);
    if ((r = mirage_fs_listdir(fs_of(kv), key, &v, &n)))
        return r;
    struct mirage_kv_list l = {calloc(n ? n : 1, sizeof(*l.entries)), 0};
    size_t klen = strlen(key);
    for (size_t i = 0; l.entries && i < n; i++) {
        size_t nlen = strlen(v[i].name);
        char *full = malloc(klen + nlen + 2);
        if (!full)
            break;
        memcpy(full, key, klen);
        full[klen] = '/';
        memcpy(full + (klen ? klen + 1 : 0), v[i].name, nlen + 1);
        l.entries[l.count++] = (struct mirage_kv_entry){
            full, v[i].directory ? MIRAGE_KV_DICTIONARY : MIRAGE_KV_VALUE};
    }
    bool complete = l.entries && l.count == n;
    mirage_fs_entries_free(v, n);
    if (!complete) {
        mirage_kv_list_free(&l);
        return MIRAGE_ENOMEM;
    }
    qsort(l.entries, l.count, sizeof(*l.entries), compare_keys);
    *out = l;
    return 0;
}

static int kv_last_modified(struct mirage_kv_ro *kv, const char *key,
                            uint64_t *ns)
{
    struct mirage_fs_stat st;
    int r = mirage_fs_stat(fs_of(kv), key, &st);
    if (r)
        return read_err(r);
    *ns = st.mtime_ns;
    if (!st.directory)
        return 0;
    struct mirage_kv_list l;
    if ((r = kv_list(kv, key, &l)))
        return r;
    for (size_t i = 0; i < l.count && r == 0; i++) {
        r = mirage_fs_stat(fs_of(kv), l.entries[i].key, &st);
        if (r == 0 && st.mtime_ns > *ns)
            *ns = st.mtime_ns;
    }
    mirage_kv_list_free(&l);
    return r;
}

static int kv_digest(struct mirage_kv_ro *kv, const char *key,
                     uint8_t out[MIRAGE_KV_DIGEST_SIZE])
{
    struct mirage_fs *fs = fs_of(kv);
    struct mirage_fs_stat st;
    int r = mirage_fs_stat(fs, key, &st);
    if (r)
        return read_err(r);
    if (st.directory)
        return mirage_kv_dictionary_digest(kv, key, out);
    uint8_t *buf = malloc(CHUNK);
    if (!buf)
        return MIRAGE_ENOMEM;
    struct sha256 h;
    sha256_init(&h);
    for (uint64_t off = 0; off < st.size && r == 0;) {
        size_t got;
        r = mirage_fs_read(fs, key, off, buf, CHUNK, &got);
        if (r == 0 && got == 0)
            r = MIRAGE_EIO;
        sha256_update(&h, buf, got);
        off += got;
    }
    free(buf);
    if (r == 0)
        sha256_final(&h, out);
    return r;
}

static int kv_size(struct mirage_kv_ro *kv, const char *key, uint64_t *size)
{
    return read_err(mirage_fs_size(fs_of(kv), key, size));
}

static void kv_disconnect(struct mirage_kv_ro *kv)
{
    free(kv);
}

static const struct mirage_kv_ro_ops ro_ops = {
    .exists = kv_exists,
    .get = kv_get,
    .get_partial = kv_get_partial,
    .list = kv_list,
    .last_modified = kv_last_modified,
    .digest = kv_digest,
    .size = kv_size,
    .disconnect = kv_disconnect,
};

/* ---- Writes ----------------------------------------------------------- */

/* Create the missing parent directories of key. *made is set to the
 * length of the first parent created (0: none), so undo_parents can take
 * them away again when the write fails. */
static int make_parents(struct mirage_fs *fs, const char *key, size_t *made)
{
    char path[MIRAGE_KV_KEY_MAX + 1];
    size_t len = strlen(key);
    memcpy(path, key, len + 1);
    *made = 0;
    for (size_t i = 0; i < len; i++) {
        if (path[i] != '/')
            continue;
        path[i] = 0;
        struct mirage_fs_stat st;
        int r = mirage_fs_stat(fs, path, &st);
        if (r == MIRAGE_ENOENT) {
            r = mirage_fs_mkdir(fs, path);
            if (r == 0 && *made == 0)
                *made = i;
        } else if (r == 0 && !st.directory) {
            r = MIRAGE_ENOTDIR;
        }
        path[i] = '/';
        if (r)
            return r;
    }
    return 0;
}

static int remove_tree(struct mirage_fs *fs, const char *path);

/* Take away the parents make_parents created for key, after a failure. */
static void undo_parents(struct mirage_fs *fs, const char *key, size_t made)
{
    if (made == 0)
        return;
    char path[MIRAGE_KV_KEY_MAX + 1];
    memcpy(path, key, made);
    path[made] = 0;
    remove_tree(fs, path);
}

/* Remove path and, for a directory, everything in it. */
static int remove_tree(struct mirage_fs *fs, const char *path)
{
    struct mirage_fs_stat st;
    int r = mirage_fs_stat(fs, path, &st);
    if (r || !st.directory)
        return r ? r : mirage_fs_destroy(fs, path);
    struct mirage_fs_entry *v;
    size_t n;
    if ((r = mirage_fs_listdir(fs, path, &v, &n)))
        return r;
    size_t plen = strlen(path);
    for (size_t i = 0; i < n && r == 0; i++) {
        size_t nlen = strlen(v[i].name);
        char *child = malloc(plen + nlen + 2);
        if (!child) {
            r = MIRAGE_ENOMEM;
            break;
        }
        memcpy(child, path, plen);
        child[plen] = '/';
        memcpy(child + (plen ? plen + 1 : 0), v[i].name, nlen + 1);
        r = remove_tree(fs, child);
        free(child);
    }
    mirage_fs_entries_free(v, n);
    return r || *path == 0 ? r : mirage_fs_destroy(fs, path);
}

/* Write data at offset into the value under key, creating it (and its
 * parents) when missing; with truncate, the value ends after the data. On
 * failure a value or parent this call created is removed again. */
static int write_value(struct mirage_fs *fs, const char *key, uint64_t offset,
                       const void *data, size_t len, bool truncate)
{
    struct mirage_fs_stat st;
    if (*key == 0)
        return MIRAGE_EISDIR;
    int r = mirage_fs_stat(fs, key, &st);
    if (r == 0 && st.directory)
        return MIRAGE_EISDIR;
    if (r && r != MIRAGE_ENOENT)
        return r;
    bool created = r == MIRAGE_ENOENT;
    size_t made = 0;
    if (created && ((r = make_parents(fs, key, &made)) ||
                    (r = mirage_fs_create(fs, key)))) {
        undo_parents(fs, key, made);
        return r;
    }
    r = mirage_fs_write(fs, key, offset, data, len);
    if (r == 0 && truncate)
        r = mirage_fs_truncate(fs, key, offset + len);
    if (r && created) {
        mirage_fs_destroy(fs, key);
        undo_parents(fs, key, made);
    }
    return r;
}

static int kv_set(struct mirage_kv_rw *kv, const char *key, const void *data,
                  size_t len)
{
    return write_value(fs_of_rw(kv), key, 0, data, len, true);
}

static int kv_set_partial(struct mirage_kv_rw *kv, const char *key,
                          uint64_t offset, const void *data, size_t len)
{
    return write_value(fs_of_rw(kv), key, offset, data, len, false);
}

static int kv_remove(struct mirage_kv_rw *kv, const char *key)
{
    return read_err(remove_tree(fs_of_rw(kv), key));
}

static int kv_rename(struct mirage_kv_rw *kv, const char *source,
                     const char *dest)
{
    struct mirage_fs *fs = fs_of_rw(kv);
    size_t slen = strlen(source);
    if (*source == 0 || (strncmp(dest, source, slen) == 0 && dest[slen] == '/'))
        return MIRAGE_EINVAL;
    struct mirage_fs_stat src, dst;
    int r = mirage_fs_stat(fs, source, &src);
    if (r)
        return read_err(r);
    if (strcmp(source, dest) == 0)
        return 0;
    if (*dest == 0)
        return src.directory ? MIRAGE_EEXIST : MIRAGE_EISDIR;
    r = mirage_fs_stat(fs, dest, &dst);
    if (r == 0 && (dst.directory || src.directory))
        return src.directory ? MIRAGE_EEXIST : MIRAGE_EISDIR;
    if (r && r != MIRAGE_ENOENT)
        return r;
    size_t made = 0;
    if ((r = make_parents(fs, dest, &made)) ||
        (r = mirage_fs_rename(fs, source, dest)))
        undo_parents(fs, dest, made);
    return r;
}

static int kv_allocate(struct mirage_kv_rw *kv, const char *key, uint64_t size,
                       uint64_t last_modified)
{
    struct mirage_fs *fs = fs_of_rw(kv);
    struct mirage_fs_stat st;
    int r = mirage_fs_stat(fs, key, &st);
    if (r == 0)
        return MIRAGE_EEXIST;
    if (r != MIRAGE_ENOENT)
        return r;
    size_t made = 0;
    if ((r = make_parents(fs, key, &made)) || (r = mirage_fs_create(fs, key))) {
        undo_parents(fs, key, made);
        return r;
    }
    r = mirage_fs_truncate(fs, key, size);
    if (r == 0 && last_modified != MIRAGE_KV_NOW)
        r = mirage_fs_set_mtime(fs, key, last_modified);
    if (r) {
        mirage_fs_destroy(fs, key);
        undo_parents(fs, key, made);
    }
    return r;
}

static const struct mirage_kv_rw_ops rw_ops = {
    .set = kv_set,
    .set_partial = kv_set_partial,
    .remove = kv_remove,
    .rename = kv_rename,
    .allocate = kv_allocate,
};

static struct kv_fs *make_store(struct mirage_fs *fs)
{
    struct kv_fs *k = calloc(1, sizeof(*k));
    if (k) {
        k->rw.ro.ops = &ro_ops;
        k->rw.rw_ops = &rw_ops;
        k->fs = fs;
    }
    return k;
}

int mirage_kv_ro_connect_fs(struct mirage_kv_ro **out, struct mirage_fs *fs)
{
    if (!out || !fs)
        return MIRAGE_EINVAL;
    struct kv_fs *k = make_store(fs);
    *out = k ? &k->rw.ro : NULL;
    return k ? 0 : MIRAGE_ENOMEM;
}

int mirage_kv_rw_connect_fs(struct mirage_kv_rw **out, struct mirage_fs *fs)
{
    if (!out || !fs)
        return MIRAGE_EINVAL;
    struct kv_fs *k = make_store(fs);
    *out = k ? &k->rw : NULL;
    return k ? 0 : MIRAGE_ENOMEM;
}
