/* direct_kv_ro and direct_kv_rw (unix only): a host directory as a
 * key-value store, read and written live through <mirage/hostfs.h>. A
 * key is a path under the directory; dictionaries are directories. */
#include <mirage/error.h>
#include <mirage/hostfs.h>
#include <mirage/kv.h>
#include <stdlib.h>
#include <string.h>

#include "../kv/kv_internal.h"

struct direct {
    struct mirage_kv_rw rw;
    int root;
};

static int root_of(struct mirage_kv_ro *kv)
{
    return ((struct direct *)kv)->root;
}

static int direct_exists(struct mirage_kv_ro *kv, const char *key,
                         enum mirage_kv_kind *kind)
{
    struct hostfs_stat st;
    int err = hostfs_stat(root_of(kv), key, &st);
    if (err == MIRAGE_ENOENT || err == MIRAGE_ENOTDIR) {
        *kind = MIRAGE_KV_ABSENT;
        return 0;
    }
    if (!err)
        *kind = st.is_dir ? MIRAGE_KV_DICTIONARY : MIRAGE_KV_VALUE;
    return err;
}

/* The stat of the value under key: MIRAGE_EISDIR for a directory, and
 * MIRAGE_ENOENT when a parent is a file. */
static int value_stat(struct mirage_kv_ro *kv, const char *key,
                      struct hostfs_stat *st)
{
    int err = hostfs_stat(root_of(kv), key, st);
    if (err == MIRAGE_ENOTDIR)
        return MIRAGE_ENOENT;
    if (!err && st->is_dir)
        return MIRAGE_EISDIR;
    return err;
}

static int direct_get_partial(struct mirage_kv_ro *kv, const char *key,
                              uint64_t offset, size_t length, void **data,
                              size_t *len)
{
    struct hostfs_stat st;
    int err = value_stat(kv, key, &st);
    if (err)
        return err;
    if (offset > st.size)
        return MIRAGE_ERANGE;
    uint64_t left = st.size - offset;
    size_t want = left < length ? (size_t)left : length;
    if (want == SIZE_MAX)
        return MIRAGE_ENOMEM;
    char *buf = malloc(want + 1);
    if (!buf)
        return MIRAGE_ENOMEM;
    size_t got = 0;
    err = hostfs_read(root_of(kv), key, offset, buf, want, &got);
    if (err) {
        free(buf);
        return err;
    }
    buf[got] = '\0'; /* the file may have shrunk since the stat */
    *data = buf;
    *len = got;
    return 0;
}

static int direct_get(struct mirage_kv_ro *kv, const char *key, void **data,
                      size_t *len)
{
    struct hostfs_stat st;
    int err = value_stat(kv, key, &st);
    if (err)
        return err;
    if (st.size >= SIZE_MAX)
        return MIRAGE_ENOMEM;
    return direct_get_partial(kv, key, 0, (size_t)st.size, data, len);
}

struct lister {
    struct mirage_kv_list *out;
    const char *key;
};

static int list_entry(void *ctx, const char *name, bool is_dir)
{
    struct lister *l = ctx;
    return kv_list_add(l->out, l->key, name,
                       is_dir ? MIRAGE_KV_DICTIONARY : MIRAGE_KV_VALUE);
}

static int direct_list(struct mirage_kv_ro *kv, const char *key,
                       struct mirage_kv_list *out)
{
    struct lister l = {out, key};
    int err = hostfs_list(root_of(kv), key, list_entry, &l);
    if (err)
        mirage_kv_list_free(out);
    return err;
}

static int direct_last_modified(struct mirage_kv_ro *kv, const char *key,
                                uint64_t *ns)
{
    struct hostfs_stat st;
    int err = hostfs_stat(root_of(kv), key, &st);
    if (err)
        return err == MIRAGE_ENOTDIR ? MIRAGE_ENOENT : err;
    *ns = st.mtime_ns;
    if (!st.is_dir)
        return 0;
    struct mirage_kv_list l = {NULL, 0};
    err = direct_list(kv, key, &l);
    for (size_t i = 0; i < l.count && !err; i++) {
        uint64_t t;
        err = direct_last_modified(kv, l.entries[i].key, &t);
        if (err == MIRAGE_ENOENT)
            err = 0; /* removed meanwhile */
        else if (!err && t > *ns)
            *ns = t;
    }
    mirage_kv_list_free(&l);
    return err;
}

struct reader {
    int root;
    const char *key;
};

static int read_piece(void *ctx, uint64_t offset, void *buf, size_t len)
{
    struct reader *r = ctx;
    size_t got;
    int err = hostfs_read(r->root, r->key, offset, buf, len, &got);
    return err ? err : got == len ? 0 : MIRAGE_EIO; /* shrank meanwhile */
}

static int direct_digest(struct mirage_kv_ro *kv, const char *key,
                         uint8_t out[MIRAGE_KV_DIGEST_SIZE])
{
    struct hostfs_stat st;
    int err = hostfs_stat(root_of(kv), key, &st);
    if (err)
        return err == MIRAGE_ENOTDIR ? MIRAGE_ENOENT : err;
    if (st.is_dir)
        return mirage_kv_dictionary_digest(kv, key, out);
    struct reader r = {root_of(kv), key};
    return kv_digest_stream(read_piece, &r, st.size, out);
}

static int direct_size(struct mirage_kv_ro *kv, const char *key, uint64_t *size)
{
    struct hostfs_stat st;
    int err = value_stat(kv, key, &st);
    if (!err)
        *size = st.size;
    return err;
}

static void direct_disconnect(struct mirage_kv_ro *kv)
{
    hostfs_root_close(root_of(kv));
    free(kv);
}

static const struct mirage_kv_ro_ops direct_ro_ops = {
    .exists = direct_exists,
    .get = direct_get,
    .get_partial = direct_get_partial,
    .list = direct_list,
    .last_modified = direct_last_modified,
    .digest = direct_digest,
    .size = direct_size,
    .disconnect = direct_disconnect,
};

/* Make the directories above key; MIRAGE_ENOTDIR when one is a file. */
static int make_parents(int root, const char *key)
{
    size_t n = strlen(key);
    char *path = malloc(n + 1);
    if (!path)
        return MIRAGE_ENOMEM;
    memcpy(path, key, n + 1);
    int err = 0;
    for (char *slash = strchr(path, '/'); slash && !err;
         slash = strchr(slash + 1, '/')) {
        *slash = '\0';
        err = hostfs_mkdir(root, path);
        if (err == MIRAGE_EEXIST) {
            struct hostfs_stat st;
            err = hostfs_stat(root, path, &st);
            if (err == MIRAGE_ENOENT || (!err && !st.is_dir))
                err = MIRAGE_ENOTDIR; /* a file, or a link */
        }
        *slash = '/';
    }
    free(path);
    return err;
}

static int direct_set_partial(struct mirage_kv_rw *kv, const char *key,
                              uint64_t offset, const void *data, size_t len)
{
    int root = root_of(&kv->ro);
    if (!*key)
        return MIRAGE_EISDIR;
    int err = make_parents(root, key);
    return err ? err : hostfs_write(root, key, offset, data, len, false);
}

static int direct_set(struct mirage_kv_rw *kv, const char *key,
                      const void *data, size_t len)
{
    int root = root_of(&kv->ro);
    if (!*key)
        return MIRAGE_EISDIR;
    int err = make_parents(root, key);
    return err ? err : hostfs_write(root, key, 0, data, len, true);
}

/* Remove what is under key (a directory with all it holds). */
static int remove_tree(int root, const char *key, bool is_dir)
{
    if (!is_dir)
        return hostfs_remove(root, key, false);
    struct mirage_kv_list l = {NULL, 0};
    struct lister lister = {&l, key};
    int err = hostfs_list(root, key, list_entry, &lister);
    for (size_t i = 0; i < l.count && !err; i++)
        err = remove_tree(root, l.entries[i].key,
                          l.entries[i].kind == MIRAGE_KV_DICTIONARY);
    mirage_kv_list_free(&l);
    if (!err && *key)
        err = hostfs_remove(root, key, true);
    return err;
}

static int direct_remove(struct mirage_kv_rw *kv, const char *key)
{
    int root = root_of(&kv->ro);
    struct hostfs_stat st;
    int err = hostfs_stat(root, key, &st);
    if (err)
        return err == MIRAGE_ENOTDIR ? MIRAGE_ENOENT : err;
    return remove_tree(root, key, st.is_dir);
}

static int direct_rename(struct mirage_kv_rw *kv, const char *source,
                         const char *dest)
{
    int root = root_of(&kv->ro);
    struct hostfs_stat s, d;
    int err = hostfs_stat(root, source, &s);
    if (err)
        return err == MIRAGE_ENOTDIR ? MIRAGE_ENOENT : err;
    if (strcmp(source, dest) == 0)
        return 0;
    err = hostfs_stat(root, dest, &d);
    if (!err) {
        if (d.is_dir)
            return s.is_dir ? MIRAGE_EEXIST : MIRAGE_EISDIR;
        if (s.is_dir)
            return MIRAGE_EEXIST;
    } else if (err != MIRAGE_ENOENT) {
        return err;
    }
    err = make_parents(root, dest);
    return err ? err : hostfs_rename(root, source, dest);
}

static int direct_allocate(struct mirage_kv_rw *kv, const char *key,
                           uint64_t size, uint64_t last_modified)
{
    int root = root_of(&kv->ro);
    if (!*key)
        return MIRAGE_EEXIST;
    int err = make_parents(root, key);
    return err ? err : hostfs_create(root, key, size, last_modified);
}

static const struct mirage_kv_rw_ops direct_rw_ops = {
    .set = direct_set,
    .set_partial = direct_set_partial,
    .remove = direct_remove,
    .rename = direct_rename,
    .allocate = direct_allocate,
};

static int connect(struct direct **out, const char *dir)
{
    *out = NULL;
    if (!dir)
        return MIRAGE_EINVAL;
    struct direct *d = calloc(1, sizeof *d);
    if (!d)
        return MIRAGE_ENOMEM;
    int err = hostfs_root_open(dir, &d->root);
    if (err) {
        free(d);
        return err;
    }
    d->rw.ro.ops = &direct_ro_ops;
    d->rw.rw_ops = &direct_rw_ops;
    *out = d;
    return 0;
}

int mirage_kv_ro_connect_direct(struct mirage_kv_ro **out, const char *dir)
{
    if (!out)
        return MIRAGE_EINVAL;
    struct direct *d;
    int err = connect(&d, dir);
    *out = err ? NULL : &d->rw.ro;
    return err;
}

int mirage_kv_rw_connect_direct(struct mirage_kv_rw **out, const char *dir)
{
    if (!out)
        return MIRAGE_EINVAL;
    struct direct *d;
    int err = connect(&d, dir);
    *out = err ? NULL : &d->rw;
    return err;
}
