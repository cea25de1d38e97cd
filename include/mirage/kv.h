/* Key-value stores (MirageOS Mirage_kv): kv_ro, read-only, and kv_rw,
 * which adds writes. A store is a tree: a key names a value (a byte
 * string) or a dictionary (a set of keys).
 *
 * Keys are paths, "a/b/c". A leading '/' and repeated or trailing '/' are
 * ignored, so "/a//b/" is "a/b"; "" and "/" name the root dictionary. A
 * key is malformed (MIRAGE_EINVAL) when it is NULL or has a "." or ".."
 * segment, and too long (MIRAGE_ENAMETOOLONG) beyond MIRAGE_KV_KEY_MAX
 * bytes once normalised or with a segment over MIRAGE_KV_SEGMENT_MAX.
 *
 * Errors, as MirageOS's Mirage_kv.error / write_error:
 *   MIRAGE_ENOENT    Not_found: nothing under the key (or a parent)
 *   MIRAGE_ENOTDIR   Dictionary_expected: a value where a dictionary is
 *                    needed (list of a value, a value as a parent)
 *   MIRAGE_EISDIR    Value_expected: a dictionary where a value is needed
 *   MIRAGE_EEXIST    Already_present (allocate, rename over a dictionary)
 *   MIRAGE_EINVAL    Rename_source_prefix (rename into itself), bad key
 *   MIRAGE_ENOSPC    No_space
 *   MIRAGE_ENOMEM, MIRAGE_EIO, MIRAGE_EBADF (corrupt backing data)
 *
 * Every call may yield (stores on block devices do I/O): call them from a
 * fiber. Buffers returned to the caller are malloc'd; the caller frees
 * them (free(), mirage_kv_list_free()). On error nothing is returned and
 * *out pointers are left NULL. */
#ifndef MIRAGE_KV_H
#define MIRAGE_KV_H

#include <stddef.h>
#include <stdint.h>

#define MIRAGE_KV_KEY_MAX     4095 /* bytes of a normalised key */
#define MIRAGE_KV_SEGMENT_MAX 255  /* bytes of one path segment */
#define MIRAGE_KV_DIGEST_SIZE 32   /* SHA-256 */

enum mirage_kv_kind {
    MIRAGE_KV_ABSENT = 0,
    MIRAGE_KV_VALUE = 1,
    MIRAGE_KV_DICTIONARY = 2,
};

/* One entry of a dictionary listing: its full normalised key ("a/b/c",
 * as MirageOS's list) and kind. */
struct mirage_kv_entry {
    char *key;
    enum mirage_kv_kind kind;
};
/* A listing, sorted by key (byte order). Owned by the caller; release it
 * with mirage_kv_list_free(). */
struct mirage_kv_list {
    struct mirage_kv_entry *entries;
    size_t count;
};
/* Free the entries and their keys and reset *l to empty; NULL is fine. */
void mirage_kv_list_free(struct mirage_kv_list *l);

struct mirage_kv_ro;
/* What a read-only store implements. The wrappers below normalise and
 * check the key first, so ops always get a well-formed normalised key
 * ("" for the root) and non-NULL out pointers. Contracts are those of the
 * wrappers. */
struct mirage_kv_ro_ops {
    int (*exists)(struct mirage_kv_ro *kv, const char *key,
                  enum mirage_kv_kind *kind);
    int (*get)(struct mirage_kv_ro *kv, const char *key, void **data,
               size_t *len);
    int (*get_partial)(struct mirage_kv_ro *kv, const char *key,
                       uint64_t offset, size_t length, void **data,
                       size_t *len);
    int (*list)(struct mirage_kv_ro *kv, const char *key,
                struct mirage_kv_list *out);
    int (*last_modified)(struct mirage_kv_ro *kv, const char *key,
                         uint64_t *ns);
    int (*digest)(struct mirage_kv_ro *kv, const char *key,
                  uint8_t out[MIRAGE_KV_DIGEST_SIZE]);
    int (*size)(struct mirage_kv_ro *kv, const char *key, uint64_t *size);
    void (*disconnect)(struct mirage_kv_ro *kv);
};
struct mirage_kv_ro {
    const struct mirage_kv_ro_ops *ops;
};

/* *kind := what is under key (MIRAGE_KV_ABSENT when nothing is, also when
 * a parent is a value); returns 0 unless the key is bad or the store
 * fails. */
int mirage_kv_ro_exists(struct mirage_kv_ro *kv, const char *key,
                        enum mirage_kv_kind *kind);
/* The whole value under key: *data (malloc'd, len + 1 bytes, with a NUL
 * after the value for convenience) and *len. */
int mirage_kv_ro_get(struct mirage_kv_ro *kv, const char *key, void **data,
                     size_t *len);
/* At most `length` bytes of the value starting at byte `offset`: fewer
 * when the value ends first, none when offset equals the size; an offset
 * beyond the size is MIRAGE_ERANGE. Buffer as for get. */
int mirage_kv_ro_get_partial(struct mirage_kv_ro *kv, const char *key,
                             uint64_t offset, size_t length, void **data,
                             size_t *len);
/* The entries of the dictionary under key (not recursive). */
int mirage_kv_ro_list(struct mirage_kv_ro *kv, const char *key,
                      struct mirage_kv_list *out);
/* When the value was last changed, in ns since the Unix epoch; for a
 * dictionary, the latest of its own time and its entries' (0 when the
 * store keeps no time). */
int mirage_kv_ro_last_modified(struct mirage_kv_ro *kv, const char *key,
                               uint64_t *ns);
/* SHA-256 of the value. For a dictionary, SHA-256 over its entries in
 * order, each as: its last key segment, a NUL, 'v' or 'd', the entry's
 * own digest - so equal trees give equal digests wherever they are. */
int mirage_kv_ro_digest(struct mirage_kv_ro *kv, const char *key,
                        uint8_t out[MIRAGE_KV_DIGEST_SIZE]);
/* The size of the value in bytes (MIRAGE_EISDIR for a dictionary). */
int mirage_kv_ro_size(struct mirage_kv_ro *kv, const char *key, uint64_t *size);
/* Release the store; kv must not be used afterwards. Does not yield. */
void mirage_kv_ro_disconnect(struct mirage_kv_ro *kv);

/* A digest of a dictionary computed from list and digest calls, as
 * described at mirage_kv_ro_digest; implementations use it. */
int mirage_kv_dictionary_digest(struct mirage_kv_ro *kv, const char *key,
                                uint8_t out[MIRAGE_KV_DIGEST_SIZE]);

/* Normalise `key` into out (size bytes, at least MIRAGE_KV_KEY_MAX + 1):
 * 0, MIRAGE_EINVAL or MIRAGE_ENAMETOOLONG, as described above. Does not
 * yield. */
int mirage_kv_key_normalise(const char *key, char *out, size_t size);

/* kv_rw: a kv_ro (the `ro` member: pass &rw->ro where a kv_ro is wanted)
 * plus writes. Writes create the missing parent dictionaries of their key;
 * a parent that is a value is MIRAGE_ENOTDIR. */
struct mirage_kv_rw;
struct mirage_kv_rw_ops {
    int (*set)(struct mirage_kv_rw *kv, const char *key, const void *data,
               size_t len);
    int (*set_partial)(struct mirage_kv_rw *kv, const char *key,
                       uint64_t offset, const void *data, size_t len);
    int (*remove)(struct mirage_kv_rw *kv, const char *key);
    int (*rename)(struct mirage_kv_rw *kv, const char *source,
                  const char *dest);
    int (*allocate)(struct mirage_kv_rw *kv, const char *key, uint64_t size,
                    uint64_t last_modified);
};
struct mirage_kv_rw {
    struct mirage_kv_ro ro;
    const struct mirage_kv_rw_ops *rw_ops;
};

/* Store data (len bytes, copied; data may be NULL when len is 0) as the
 * value of key, replacing any value there. MIRAGE_EISDIR when key is a
 * dictionary (or the root). */
int mirage_kv_rw_set(struct mirage_kv_rw *kv, const char *key, const void *data,
                     size_t len);
/* Write len bytes at byte `offset` of the value under key, growing it as
 * needed; a missing value is created, and a gap between the old end and
 * offset reads as zeros. MIRAGE_EISDIR for a dictionary; MIRAGE_ERANGE
 * when offset + len is beyond 2^64 - 1. */
int mirage_kv_rw_set_partial(struct mirage_kv_rw *kv, const char *key,
                             uint64_t offset, const void *data, size_t len);
/* Remove the value or the whole dictionary under key; removing the root
 * empties the store. MIRAGE_ENOENT when nothing is there. */
int mirage_kv_rw_remove(struct mirage_kv_rw *kv, const char *key);
/* Move what is under source to dest. A value replaces a value at dest;
 * dest being a dictionary is MIRAGE_EISDIR for a value source and
 * MIRAGE_EEXIST for a dictionary source (as is a dictionary source over a
 * value). dest inside source (or source the root) is MIRAGE_EINVAL;
 * source == dest does nothing. MIRAGE_ENOENT: no source. */
int mirage_kv_rw_rename(struct mirage_kv_rw *kv, const char *source,
                        const char *dest);
/* Create a zero-filled value of `size` bytes under key, last modified at
 * last_modified (ns since the epoch; MIRAGE_KV_NOW for the current time).
 * MIRAGE_EEXIST when something is already there. */
#define MIRAGE_KV_NOW 0
int mirage_kv_rw_allocate(struct mirage_kv_rw *kv, const char *key,
                          uint64_t size, uint64_t last_modified);

/* The kv_ro calls on a kv_rw (same contracts). */
static inline int mirage_kv_rw_exists(struct mirage_kv_rw *kv, const char *key,
                                      enum mirage_kv_kind *kind)
{
    return mirage_kv_ro_exists(&kv->ro, key, kind);
}
static inline int mirage_kv_rw_get(struct mirage_kv_rw *kv, const char *key,
                                   void **data, size_t *len)
{
    return mirage_kv_ro_get(&kv->ro, key, data, len);
}
static inline int mirage_kv_rw_get_partial(struct mirage_kv_rw *kv,
                                           const char *key, uint64_t offset,
                                           size_t length, void **data,
                                           size_t *len)
{
    return mirage_kv_ro_get_partial(&kv->ro, key, offset, length, data, len);
}
static inline int mirage_kv_rw_list(struct mirage_kv_rw *kv, const char *key,
                                    struct mirage_kv_list *out)
{
    return mirage_kv_ro_list(&kv->ro, key, out);
}
static inline int mirage_kv_rw_last_modified(struct mirage_kv_rw *kv,
                                             const char *key, uint64_t *ns)
{
    return mirage_kv_ro_last_modified(&kv->ro, key, ns);
}
static inline int mirage_kv_rw_digest(struct mirage_kv_rw *kv, const char *key,
                                      uint8_t out[MIRAGE_KV_DIGEST_SIZE])
{
    return mirage_kv_ro_digest(&kv->ro, key, out);
}
static inline int mirage_kv_rw_size(struct mirage_kv_rw *kv, const char *key,
                                    uint64_t *size)
{
    return mirage_kv_ro_size(&kv->ro, key, size);
}
static inline void mirage_kv_rw_disconnect(struct mirage_kv_rw *kv)
{
    mirage_kv_ro_disconnect(&kv->ro);
}

/* Connect functions used by the generated main.c; the store lives until
 * exit (or until disconnected). 0 or a MIRAGE_E* code. */

/* crunch DIR: a store over the files of a directory embedded in the
 * image at build time. The build generates a table of the files, their
 * bytes being raw data the assembler includes, and registers it under a
 * name with MIRAGE_CRUNCH_TABLE. The table, keys and data are static.
 * Keys in the table are normalised and unique (MIRAGE_EINVAL
 * otherwise). */
struct mirage_crunch_file {
    const char *key;                 /* normalised, e.g. "css/site.css" */
    const unsigned char *data, *end; /* the bytes, [data, end) */
    uint64_t mtime_ns;               /* last modified, ns since the epoch */
};
int mirage_kv_ro_connect_crunch(struct mirage_kv_ro **out,
                                const struct mirage_crunch_file *files,
                                size_t count);

/* A registered table (in the mirage_crunch linker section). Aligned to
 * its padded size, 32 bytes, so that the compiler, which may align a
 * static object of 24 bytes to 16, leaves no gap between the tables of
 * an image with several crunch stores: the section is an array. */
struct mirage_crunch_table {
    const char *name;
    const struct mirage_crunch_file *files;
    size_t count;
} __attribute__((aligned(32)));
#define MIRAGE_CRUNCH_TABLE(name, files)                                       \
    __attribute__((                                                            \
        used, retain,                                                          \
        section("mirage_crunch"))) static const struct mirage_crunch_table     \
        mirage_crunch_table_entry = {(name), (files),                          \
                                     sizeof(files) / sizeof((files)[0])}
/* The crunch store of the table registered under name: MIRAGE_ENOENT
 * when the image has none by that name. */
int mirage_kv_ro_connect_crunch_named(struct mirage_kv_ro **out,
                                      const char *name);

/* archive BLOCK: a tar archive (ustar, GNU long names, pax path and size
 * records) on a block device, read-only. The whole archive is indexed at
 * connect: a truncated archive, a bad header checksum or a malformed
 * record is MIRAGE_EBADF (with a log message naming the offset); two
 * members with the same name: the last wins. The block device must stay
 * connected while the store is. May yield. */
struct mirage_block;
int mirage_kv_ro_connect_archive(struct mirage_kv_ro **out,
                                 struct mirage_block *block);

/* direct_kv_ro DIR / direct_kv_rw DIR (unix only): the host directory dir,
 * read (and written) live. Keys never leave dir: symbolic links are not
 * followed. MIRAGE_ENOENT / MIRAGE_ENOTDIR: dir is missing or not a
 * directory. */
int mirage_kv_ro_connect_direct(struct mirage_kv_ro **out, const char *dir);
int mirage_kv_rw_connect_direct(struct mirage_kv_rw **out, const char *dir);

/* kv_rw_mem: an empty store in memory. */
int mirage_kv_rw_connect_mem(struct mirage_kv_rw **out);

#endif
