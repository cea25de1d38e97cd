/* kv_rw_mem: a read-write store in memory, on the shared tree (tree.c).
 * Each value is one malloc'd buffer. A write either completes or, when
 * memory runs out, leaves the store as it was (apart from parent
 * dictionaries it may have created). */
#include <mirage/error.h>
#include <mirage/kv.h>
#include <stdlib.h>
#include <string.h>

#include "kv_internal.h"

static int mem_read(struct kv_tree_store *s, const struct kv_node *n,
                    uint64_t offset, void *buf, size_t len)
{
    (void)s;
    memcpy(buf, (const unsigned char *)n->data + offset, len);
    return 0;
}

static void mem_free_value(struct kv_tree_store *s, struct kv_node *n)
{
    (void)s;
    free(n->data);
}

/* The value node under key for writing: the existing one, or a new empty
 * one (*created set). MIRAGE_EISDIR when key is a dictionary. */
static int value_for_write(struct kv_tree_store *s, const char *key,
                           uint64_t now, struct kv_node **out,
                           struct kv_node **parent, bool *created)
{
    struct kv_node *n;
    int err = kv_tree_walk(s, key, true, now, parent, &n);
    if (err)
        return err;
    *created = false;
    if (n && n->kind != MIRAGE_KV_VALUE)
        return MIRAGE_EISDIR;
    if (!n) {
        n = kv_tree_add(*parent, kv_key_last(key), MIRAGE_KV_VALUE, now);
        if (!n)
            return MIRAGE_ENOMEM;
        (*parent)->mtime = now;
        *created = true;
    }
    *out = n;
    return 0;
}

/* Undo value_for_write's creation after a failure. */
static void drop_created(struct kv_tree_store *s, struct kv_node *parent,
                         struct kv_node *n)
{
    kv_tree_unlink(parent, n);
    kv_tree_free(s, n);
}

static int mem_set(struct mirage_kv_rw *kv, const char *key, const void *data,
                   size_t len)
{
    struct kv_tree_store *s = (struct kv_tree_store *)kv;
    unsigned char *copy = malloc(len ? len : 1);
    if (!copy)
        return MIRAGE_ENOMEM;
    if (len)
        memcpy(copy, data, len);
    uint64_t now = kv_now();
    struct kv_node *n, *parent;
    bool created;
    int err = value_for_write(s, key, now, &n, &parent, &created);
    if (err) {
        free(copy);
        return err;
    }
    free(n->data);
    n->data = copy;
    n->size = len;
    n->mtime = now;
    return 0;
}

static int mem_set_partial(struct mirage_kv_rw *kv, const char *key,
                           uint64_t offset, const void *data, size_t len)
{
    struct kv_tree_store *s = (struct kv_tree_store *)kv;
    if (offset + len >= SIZE_MAX)
        return MIRAGE_ENOMEM;
    uint64_t now = kv_now();
    struct kv_node *n, *parent;
    bool created;
    int err = value_for_write(s, key, now, &n, &parent, &created);
    if (err)
        return err;
    size_t end = (size_t)(offset + len);
    if (end > n->size || !n->data) {
        unsigned char *p = realloc(n->data, end ? end : 1);
        if (!p) {
            if (created)
                drop_created(s, parent, n);
            return MIRAGE_ENOMEM;
        }
        if (end > n->size)
            memset(p + n->size, 0, end - (size_t)n->size);
        n->data = p;
        n->size = end;
    }
    if (len)
        memcpy((unsigned char *)n->data + offset, data, len);
    n->mtime = now;
    return 0;
}

static int mem_remove(struct mirage_kv_rw *kv, const char *key)
{
    struct kv_tree_store *s = (struct kv_tree_store *)kv;
    struct kv_node *parent, *n;
    int err = kv_tree_walk(s, key, false, 0, &parent, &n);
    if (err || !n)
        return MIRAGE_ENOENT;
    uint64_t now = kv_now();
    if (!parent) {
        kv_tree_clear(s, n);
        n->mtime = now;
        return 0;
    }
    kv_tree_unlink(parent, n);
    kv_tree_free(s, n);
    parent->mtime = now;
    return 0;
}

static int mem_rename(struct mirage_kv_rw *kv, const char *source,
                      const char *dest)
{
    struct kv_tree_store *s = (struct kv_tree_store *)kv;
    struct kv_node *sp, *sn, *dp, *dn;
    if (kv_tree_walk(s, source, false, 0, &sp, &sn) || !sn)
        return MIRAGE_ENOENT;
    if (strcmp(source, dest) == 0)
        return 0;
    /* Check dest fully before changing anything. */
    int err = kv_tree_walk(s, dest, false, 0, &dp, &dn);
    if (err == MIRAGE_ENOTDIR)
        return err;
    if (!err && dn) {
        if (dn->kind == MIRAGE_KV_DICTIONARY)
            return sn->kind == MIRAGE_KV_VALUE ? MIRAGE_EISDIR : MIRAGE_EEXIST;
        if (sn->kind == MIRAGE_KV_DICTIONARY)
            return MIRAGE_EEXIST;
    }
    char *name = strdup(kv_key_last(dest));
    if (!name)
        return MIRAGE_ENOMEM;
    uint64_t now = kv_now();
    err = kv_tree_walk(s, dest, true, now, &dp, &dn);
    /* Make room first: linking may need memory, unlinking never does. */
    if (!err && dp->count == dp->cap) {
        struct kv_node **c =
            realloc(dp->children, (dp->cap + 1) * sizeof *dp->children);
        if (c) {
            dp->children = c;
            dp->cap++;
        } else {
            err = MIRAGE_ENOMEM;
        }
    }
    if (err) {
        free(name);
        return err;
    }
    if (dn) {
        kv_tree_unlink(dp, dn);
        kv_tree_free(s, dn);
    }
    kv_tree_unlink(sp, sn);
    free(sn->name);
    sn->name = name;
    kv_tree_link(dp, sn);
    sp->mtime = dp->mtime = now;
    return 0;
}

static int mem_allocate(struct mirage_kv_rw *kv, const char *key, uint64_t size,
                        uint64_t last_modified)
{
    struct kv_tree_store *s = (struct kv_tree_store *)kv;
    if (kv_tree_find(s, key))
        return MIRAGE_EEXIST;
    if (size >= SIZE_MAX)
        return MIRAGE_ENOMEM;
    unsigned char *zeros = calloc(1, size ? (size_t)size : 1);
    if (!zeros)
        return MIRAGE_ENOMEM;
    uint64_t now = kv_now();
    struct kv_node *n, *parent;
    bool created;
    int err = value_for_write(s, key, now, &n, &parent, &created);
    if (err) {
        free(zeros);
        return err;
    }
    n->data = zeros;
    n->size = size;
    n->mtime = last_modified;
    return 0;
}

static const struct mirage_kv_rw_ops mem_rw_ops = {
    .set = mem_set,
    .set_partial = mem_set_partial,
    .remove = mem_remove,
    .rename = mem_rename,
    .allocate = mem_allocate,
};

int mirage_kv_rw_connect_mem(struct mirage_kv_rw **out)
{
    if (!out)
        return MIRAGE_EINVAL;
    struct kv_tree_store *s = calloc(1, sizeof *s);
    *out = NULL;
    if (!s)
        return MIRAGE_ENOMEM;
    kv_tree_init(s);
    s->rw.rw_ops = &mem_rw_ops;
    s->read = mem_read;
    s->free_value = mem_free_value;
    s->root.mtime = kv_now();
    *out = &s->rw;
    return 0;
}
