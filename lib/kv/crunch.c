/* crunch: a read-only store over a table of files compiled into the image
 * (the build embeds each file's bytes and generates the table). The table
 * is indexed into the shared tree at connect; values point into it. */
#include <mirage/error.h>
#include <mirage/kv.h>
#include <stdlib.h>
#include <string.h>

#include "kv_internal.h"

static int crunch_read(struct kv_tree_store *s, const struct kv_node *n,
                       uint64_t offset, void *buf, size_t len)
{
    (void)s;
    memcpy(buf, (const unsigned char *)n->data + offset, len);
    return 0;
}

/* Add one file of the table; MIRAGE_EINVAL for a key that is not
 * normalised, is the root, or is already taken, or bad data bounds. */
static int add_file(struct kv_tree_store *s, const struct mirage_crunch_file *f)
{
    char *k;
    int err = kv_key_dup(f->key, &k);
    if (err)
        return err == MIRAGE_ENOMEM ? err : MIRAGE_EINVAL;
    bool normal =
        *k && strcmp(k, f->key) == 0 && f->data && f->end && f->end >= f->data;
    struct kv_node *parent, *n;
    if (normal)
        err = kv_tree_walk(s, k, true, 0, &parent, &n);
    if (!normal || err == MIRAGE_ENOTDIR || (!err && n))
        err = MIRAGE_EINVAL;
    if (!err && !(n = kv_tree_add(parent, kv_key_last(k), MIRAGE_KV_VALUE,
                                  f->mtime_ns)))
        err = MIRAGE_ENOMEM;
    free(k);
    if (err)
        return err;
    n->data = (void *)f->data;
    n->size = (uint64_t)(f->end - f->data);
    return 0;
}

int mirage_kv_ro_connect_crunch(struct mirage_kv_ro **out,
                                const struct mirage_crunch_file *files,
                                size_t count)
{
    if (!out)
        return MIRAGE_EINVAL;
    *out = NULL;
    if (!files && count > 0)
        return MIRAGE_EINVAL;
    struct kv_tree_store *s = calloc(1, sizeof *s);
    if (!s)
        return MIRAGE_ENOMEM;
    kv_tree_init(s);
    s->read = crunch_read;
    for (size_t i = 0; i < count; i++) {
        int err = add_file(s, &files[i]);
        if (err) {
            mirage_kv_ro_disconnect(&s->rw.ro);
            return err;
        }
    }
    *out = &s->rw.ro;
    return 0;
}

/* The tables MIRAGE_CRUNCH_TABLE put in the mirage_crunch section; the
 * linker defines these bounds when the section exists. */
extern const struct mirage_crunch_table __start_mirage_crunch[]
    __attribute__((weak));
extern const struct mirage_crunch_table __stop_mirage_crunch[]
    __attribute__((weak));

int mirage_kv_ro_connect_crunch_named(struct mirage_kv_ro **out,
                                      const char *name)
{
    if (!out || !name)
        return MIRAGE_EINVAL;
    *out = NULL;
    for (const struct mirage_crunch_table *t = __start_mirage_crunch;
         t && t < __stop_mirage_crunch; t++)
        if (strcmp(t->name, name) == 0)
            return mirage_kv_ro_connect_crunch(out, t->files, t->count);
    return MIRAGE_ENOENT;
}
