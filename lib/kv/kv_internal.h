/* Contracts between the files of lib/kv (and lib/kv_direct); not a public
 * interface. Keys handed around here are normalised (mirage/kv.h). */
#ifndef MIRAGE_LIB_KV_INTERNAL_H
#define MIRAGE_LIB_KV_INTERNAL_H

#include <mirage/kv.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- Keys (normalise.c) ----------------------------------------------- */
/* *out := the normalised key, malloc'd; 0, MIRAGE_EINVAL,
 * MIRAGE_ENAMETOOLONG or MIRAGE_ENOMEM. */
int kv_key_dup(const char *key, char **out);
/* dir + "/" + name ("" dir: name), malloc'd; NULL when out of memory. */
char *kv_key_join(const char *dir, const char *name);
/* The last segment of a normalised key (the key itself at top level). */
const char *kv_key_last(const char *key);

/* ---- Listings (list.c) ---------------------------------------------- */
/* Append dir/name of this kind to l (growing it); 0 or MIRAGE_ENOMEM. */
int kv_list_add(struct mirage_kv_list *l, const char *dir, const char *name,
                enum mirage_kv_kind kind);
/* Sort l by key. */
void kv_list_sort(struct mirage_kv_list *l);

/* ---- Stores built on an in-memory tree (tree.c) ----------------------
 * kv_rw_mem, crunch and archive keep their whole index as a tree of
 * nodes; the tree answers every kv_ro call, reading values through the
 * store's read function. */
struct kv_node {
    char *name; /* segment, malloc'd; "" for the root */
    enum mirage_kv_kind kind;
    uint64_t mtime; /* ns since the epoch */
    /* Values: size bytes, where the store wants them. */
    uint64_t size;
    void *data;
    uint64_t offset;
    /* Dictionaries: entries sorted by name. */
    struct kv_node **children;
    size_t count, cap;
};

struct kv_tree_store {
    struct mirage_kv_rw rw; /* rw.ro.ops is kv_tree_ro_ops */
    struct kv_node root;
    /* Copy len bytes of value n from byte offset (in range) into buf; 0 or
     * a MIRAGE_E* code. */
    int (*read)(struct kv_tree_store *s, const struct kv_node *n,
                uint64_t offset, void *buf, size_t len);
    /* Release what a value node holds (NULL: nothing). */
    void (*free_value)(struct kv_tree_store *s, struct kv_node *n);
    /* Release the store itself, after its tree (NULL: free(s)). */
    void (*release)(struct kv_tree_store *s);
};
extern const struct mirage_kv_ro_ops kv_tree_ro_ops;

/* Set up s (zeroed by the caller) with an empty root dictionary. */
void kv_tree_init(struct kv_tree_store *s);
/* The node under key, or NULL (absent, or a parent is a value). */
struct kv_node *kv_tree_find(struct kv_tree_store *s, const char *key);
/* Walk to key's parent dictionary, making missing dictionaries (with
 * mtime) when create is set. *parent := it (NULL for the root key), *node
 * := the node under key or NULL. 0; MIRAGE_ENOTDIR (a parent is a value);
 * MIRAGE_ENOENT (a parent is missing, create unset); MIRAGE_ENOMEM. */
int kv_tree_walk(struct kv_tree_store *s, const char *key, bool create,
                 uint64_t mtime, struct kv_node **parent,
                 struct kv_node **node);
/* A new empty node `name` (copied) of this kind in dictionary parent,
 * which must not hold that name; NULL when out of memory. */
struct kv_node *kv_tree_add(struct kv_node *parent, const char *name,
                            enum mirage_kv_kind kind, uint64_t mtime);
/* Take node out of parent (it stays allocated). */
void kv_tree_unlink(struct kv_node *parent, struct kv_node *node);
/* Put a node (unlinked, its name not in parent) into parent; 0 or
 * MIRAGE_ENOMEM. */
int kv_tree_link(struct kv_node *parent, struct kv_node *node);
/* Free node and everything under it (free_value for values). */
void kv_tree_free(struct kv_tree_store *s, struct kv_node *node);
/* Free the entries of dictionary d, leaving it empty. */
void kv_tree_clear(struct kv_tree_store *s, struct kv_node *d);

/* ---- Hashing (digest.c) --------------------------------------------- */
/* SHA-256 of a value read through read(ctx, offset, buf, len) in pieces. */
int kv_digest_stream(int (*read)(void *ctx, uint64_t offset, void *buf,
                                 size_t len),
                     void *ctx, uint64_t size,
                     uint8_t out[MIRAGE_KV_DIGEST_SIZE]);

/* The current wall-clock time in ns (the platform's). */
uint64_t kv_now(void);

#endif
