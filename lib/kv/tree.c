/* The in-memory tree behind kv_rw_mem, crunch and archive, and the kv_ro
 * operations every such store shares. Dictionaries keep their entries
 * sorted by name and are searched by bisection. */
#include <mirage/error.h>
#include <mirage/kv.h>
#include <stdlib.h>
#include <string.h>

#include "kv_internal.h"

void kv_tree_init(struct kv_tree_store *s)
{
    static char root_name[] = "";
    s->rw.ro.ops = &kv_tree_ro_ops;
    s->root = (struct kv_node){.name = root_name, .kind = MIRAGE_KV_DICTIONARY};
}

/* The index of name in d, or of where it would go (*found false). */
static size_t search(const struct kv_node *d, const char *name, size_t len,
                     bool *found)
{
    size_t lo = 0, hi = d->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *m = d->children[mid]->name;
        int c = strncmp(m, name, len);
        if (c == 0 && m[len] != '\0')
            c = 1;
        if (c == 0) {
            *found = true;
            return mid;
        }
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = false;
    return lo;
}

/* The entry of d named by the len bytes at name, or NULL. */
static struct kv_node *child(const struct kv_node *d, const char *name,
                             size_t len)
{
    bool found;
    size_t i = search(d, name, len, &found);
    return found ? d->children[i] : NULL;
}

int kv_tree_link(struct kv_node *parent, struct kv_node *node)
{
    if (parent->count == parent->cap) {
        size_t cap = parent->cap ? parent->cap * 2 : 4;
        struct kv_node **c =
            realloc(parent->children, cap * sizeof *parent->children);
        if (!c)
            return MIRAGE_ENOMEM;
        parent->children = c;
        parent->cap = cap;
    }
    bool found;
    size_t i = search(parent, node->name, strlen(node->name), &found);
    memmove(parent->children + i + 1, parent->children + i,
            (parent->count - i) * sizeof *parent->children);
    parent->children[i] = node;
    parent->count++;
    return 0;
}

void kv_tree_unlink(struct kv_node *parent, struct kv_node *node)
{
    bool found;
    size_t i = search(parent, node->name, strlen(node->name), &found);
    memmove(parent->children + i, parent->children + i + 1,
            (parent->count - i - 1) * sizeof *parent->children);
    parent->count--;
}

struct kv_node *kv_tree_add(struct kv_node *parent, const char *name,
                            enum mirage_kv_kind kind, uint64_t mtime)
{
    struct kv_node *n = calloc(1, sizeof *n);
    if (!n || !(n->name = strdup(name)) || kv_tree_link(parent, n) != 0) {
        if (n)
            free(n->name);
        free(n);
        return NULL;
    }
    n->kind = kind;
    n->mtime = mtime;
    return n;
}

void kv_tree_clear(struct kv_tree_store *s, struct kv_node *d)
{
    for (size_t i = 0; i < d->count; i++)
        kv_tree_free(s, d->children[i]);
    free(d->children);
    d->children = NULL;
    d->count = d->cap = 0;
}

void kv_tree_free(struct kv_tree_store *s, struct kv_node *node)
{
    if (node->kind == MIRAGE_KV_DICTIONARY)
        kv_tree_clear(s, node);
    else if (s->free_value)
        s->free_value(s, node);
    free(node->name);
    free(node);
}

int kv_tree_walk(struct kv_tree_store *s, const char *key, bool create,
                 uint64_t mtime, struct kv_node **parent, struct kv_node **node)
{
    *parent = NULL;
    *node = &s->root;
    if (!*key)
        return 0;
    struct kv_node *d = &s->root;
    for (;;) {
        size_t len = strcspn(key, "/");
        struct kv_node *c = child(d, key, len);
        if (!key[len]) {
            *parent = d;
            *node = c;
            return 0;
        }
        if (!c) {
            if (!create) {
                *node = NULL;
                return MIRAGE_ENOENT;
            }
            char *name = strndup(key, len);
            c = name ? kv_tree_add(d, name, MIRAGE_KV_DICTIONARY, mtime) : NULL;
            free(name);
            if (!c) {
                *node = NULL;
                return MIRAGE_ENOMEM;
            }
            d->mtime = mtime;
        } else if (c->kind != MIRAGE_KV_DICTIONARY) {
            *node = NULL;
            return MIRAGE_ENOTDIR;
        }
        d = c;
        key += len + 1;
    }
}

struct kv_node *kv_tree_find(struct kv_tree_store *s, const char *key)
{
    struct kv_node *parent, *node;
    return kv_tree_walk(s, key, false, 0, &parent, &node) ? NULL : node;
}

/* The value under key into *n: 0, MIRAGE_ENOENT or MIRAGE_EISDIR. */
static int find_value(struct mirage_kv_ro *kv, const char *key,
                      struct kv_node **n)
{
    *n = kv_tree_find((struct kv_tree_store *)kv, key);
    if (!*n)
        return MIRAGE_ENOENT;
    return (*n)->kind == MIRAGE_KV_VALUE ? 0 : MIRAGE_EISDIR;
}

static int tree_exists(struct mirage_kv_ro *kv, const char *key,
                       enum mirage_kv_kind *kind)
{
    struct kv_node *n = kv_tree_find((struct kv_tree_store *)kv, key);
    *kind = n ? n->kind : MIRAGE_KV_ABSENT;
    return 0;
}

static int tree_get_partial(struct mirage_kv_ro *kv, const char *key,
                            uint64_t offset, size_t length, void **data,
                            size_t *len)
{
    struct kv_tree_store *s = (struct kv_tree_store *)kv;
    struct kv_node *n;
    int err = find_value(kv, key, &n);
    if (err)
        return err;
    if (offset > n->size)
        return MIRAGE_ERANGE;
    uint64_t left = n->size - offset;
    size_t count = left < length ? (size_t)left : length;
    if (count == SIZE_MAX)
        return MIRAGE_ENOMEM;
    unsigned char *buf = malloc(count + 1);
    if (!buf)
        return MIRAGE_ENOMEM;
    err = count ? s->read(s, n, offset, buf, count) : 0;
    if (err) {
        free(buf);
        return err;
    }
    buf[count] = '\0';
    *data = buf;
    *len = count;
    return 0;
}

static int tree_get(struct mirage_kv_ro *kv, const char *key, void **data,
                    size_t *len)
{
    struct kv_node *n;
    int err = find_value(kv, key, &n);
    if (err)
        return err;
    if (n->size >= SIZE_MAX)
        return MIRAGE_ENOMEM;
    return tree_get_partial(kv, key, 0, (size_t)n->size, data, len);
}

static int tree_list(struct mirage_kv_ro *kv, const char *key,
                     struct mirage_kv_list *out)
{
    struct kv_node *n = kv_tree_find((struct kv_tree_store *)kv, key);
    if (!n)
        return MIRAGE_ENOENT;
    if (n->kind != MIRAGE_KV_DICTIONARY)
        return MIRAGE_ENOTDIR;
    for (size_t i = 0; i < n->count; i++) {
        int err =
            kv_list_add(out, key, n->children[i]->name, n->children[i]->kind);
        if (err) {
            mirage_kv_list_free(out);
            return err;
        }
    }
    return 0;
}

/* The latest mtime in the subtree under n. */
static uint64_t latest(const struct kv_node *n)
{
    uint64_t t = n->mtime;
    for (size_t i = 0; i < n->count; i++) {
        uint64_t c = latest(n->children[i]);
        if (c > t)
            t = c;
    }
    return t;
}

static int tree_last_modified(struct mirage_kv_ro *kv, const char *key,
                              uint64_t *ns)
{
    struct kv_node *n = kv_tree_find((struct kv_tree_store *)kv, key);
    if (!n)
        return MIRAGE_ENOENT;
    *ns = latest(n);
    return 0;
}

struct stream {
    struct kv_tree_store *s;
    const struct kv_node *n;
};

static int stream_read(void *ctx, uint64_t offset, void *buf, size_t len)
{
    struct stream *st = ctx;
    return st->s->read(st->s, st->n, offset, buf, len);
}

static int tree_digest(struct mirage_kv_ro *kv, const char *key,
                       uint8_t out[MIRAGE_KV_DIGEST_SIZE])
{
    struct kv_tree_store *s = (struct kv_tree_store *)kv;
    struct kv_node *n = kv_tree_find(s, key);
    if (!n)
        return MIRAGE_ENOENT;
    if (n->kind == MIRAGE_KV_DICTIONARY)
        return mirage_kv_dictionary_digest(kv, key, out);
    struct stream st = {s, n};
    return kv_digest_stream(stream_read, &st, n->size, out);
}

static int tree_size(struct mirage_kv_ro *kv, const char *key, uint64_t *size)
{
    struct kv_node *n;
    int err = find_value(kv, key, &n);
    if (!err)
        *size = n->size;
    return err;
}

static void tree_disconnect(struct mirage_kv_ro *kv)
{
    struct kv_tree_store *s = (struct kv_tree_store *)kv;
    kv_tree_clear(s, &s->root);
    if (s->release)
        s->release(s);
    else
        free(s);
}

const struct mirage_kv_ro_ops kv_tree_ro_ops = {
    .exists = tree_exists,
    .get = tree_get,
    .get_partial = tree_get_partial,
    .list = tree_list,
    .last_modified = tree_last_modified,
    .digest = tree_digest,
    .size = tree_size,
    .disconnect = tree_disconnect,
};
