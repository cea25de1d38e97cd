/* The kv_ro and kv_rw entry points (include/mirage/kv.h): they check the
 * arguments and normalise keys, then call the store's operations. */
#include <mirage/error.h>
#include <mirage/kv.h>
#include <mirage/plat.h>
#include <stdlib.h>
#include <string.h>

#include "kv_internal.h"

/* Normalise key into *k for a call on kv; 0 or MIRAGE_E*. */
static int prepare(const void *kv, const void *out, const char *key, char **k)
{
    *k = NULL;
    if (!kv || !out)
        return MIRAGE_EINVAL;
    return kv_key_dup(key, k);
}

/* prepare() for the get calls, after clearing *data and *len. */
static int prepare_get(const void *kv, const char *key, void **data,
                       size_t *len, char **k)
{
    if (data)
        *data = NULL;
    if (len)
        *len = 0;
    return prepare(kv, data && len ? data : NULL, key, k);
}

int mirage_kv_ro_exists(struct mirage_kv_ro *kv, const char *key,
                        enum mirage_kv_kind *kind)
{
    char *k;
    if (kind)
        *kind = MIRAGE_KV_ABSENT;
    int err = prepare(kv, kind, key, &k);
    if (!err)
        err = kv->ops->exists(kv, k, kind);
    free(k);
    return err;
}

int mirage_kv_ro_get(struct mirage_kv_ro *kv, const char *key, void **data,
                     size_t *len)
{
    char *k;
    int err = prepare_get(kv, key, data, len, &k);
    if (!err)
        err = kv->ops->get(kv, k, data, len);
    free(k);
    return err;
}

int mirage_kv_ro_get_partial(struct mirage_kv_ro *kv, const char *key,
                             uint64_t offset, size_t length, void **data,
                             size_t *len)
{
    char *k;
    int err = prepare_get(kv, key, data, len, &k);
    if (!err)
        err = kv->ops->get_partial(kv, k, offset, length, data, len);
    free(k);
    return err;
}

int mirage_kv_ro_list(struct mirage_kv_ro *kv, const char *key,
                      struct mirage_kv_list *out)
{
    char *k;
    if (out)
        *out = (struct mirage_kv_list){NULL, 0};
    int err = prepare(kv, out, key, &k);
    if (!err)
        err = kv->ops->list(kv, k, out);
    if (!err)
        kv_list_sort(out);
    free(k);
    return err;
}

int mirage_kv_ro_last_modified(struct mirage_kv_ro *kv, const char *key,
                               uint64_t *ns)
{
    char *k;
    if (ns)
        *ns = 0;
    int err = prepare(kv, ns, key, &k);
    if (!err)
        err = kv->ops->last_modified(kv, k, ns);
    free(k);
    return err;
}

int mirage_kv_ro_digest(struct mirage_kv_ro *kv, const char *key,
                        uint8_t out[MIRAGE_KV_DIGEST_SIZE])
{
    char *k;
    int err = prepare(kv, out, key, &k);
    if (!err)
        err = kv->ops->digest(kv, k, out);
    free(k);
    return err;
}

int mirage_kv_ro_size(struct mirage_kv_ro *kv, const char *key, uint64_t *size)
{
    char *k;
    if (size)
        *size = 0;
    int err = prepare(kv, size, key, &k);
    if (!err)
        err = kv->ops->size(kv, k, size);
    free(k);
    return err;
}

void mirage_kv_ro_disconnect(struct mirage_kv_ro *kv)
{
    if (kv)
        kv->ops->disconnect(kv);
}

int mirage_kv_rw_set(struct mirage_kv_rw *kv, const char *key, const void *data,
                     size_t len)
{
    char *k;
    int err = prepare(kv, data || len == 0 ? "" : NULL, key, &k);
    if (!err)
        err = kv->rw_ops->set(kv, k, data, len);
    free(k);
    return err;
}

int mirage_kv_rw_set_partial(struct mirage_kv_rw *kv, const char *key,
                             uint64_t offset, const void *data, size_t len)
{
    char *k;
    int err = prepare(kv, data || len == 0 ? "" : NULL, key, &k);
    if (!err && len > UINT64_MAX - offset)
        err = MIRAGE_ERANGE;
    if (!err)
        err = kv->rw_ops->set_partial(kv, k, offset, data, len);
    free(k);
    return err;
}

int mirage_kv_rw_remove(struct mirage_kv_rw *kv, const char *key)
{
    char *k;
    int err = prepare(kv, "", key, &k);
    if (!err)
        err = kv->rw_ops->remove(kv, k);
    free(k);
    return err;
}

int mirage_kv_rw_rename(struct mirage_kv_rw *kv, const char *source,
                        const char *dest)
{
    char *s, *d = NULL;
    int err = prepare(kv, "", source, &s);
    if (!err)
        err = kv_key_dup(dest, &d);
    if (!err) {
        size_t n = strlen(s);
        if (n == 0 || (strncmp(d, s, n) == 0 && d[n] == '/'))
            err = MIRAGE_EINVAL; /* dest inside source */
    }
    if (!err)
        err = kv->rw_ops->rename(kv, s, d);
    free(s);
    free(d);
    return err;
}

int mirage_kv_rw_allocate(struct mirage_kv_rw *kv, const char *key,
                          uint64_t size, uint64_t last_modified)
{
    char *k;
    int err = prepare(kv, "", key, &k);
    if (!err)
        err = kv->rw_ops->allocate(
            kv, k, size,
            last_modified == MIRAGE_KV_NOW ? kv_now() : last_modified);
    free(k);
    return err;
}

uint64_t kv_now(void)
{
    return plat_clock_wall();
}
