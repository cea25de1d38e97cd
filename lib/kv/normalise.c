/* Key normalisation for every store (include/mirage/kv.h): "/a//b/" is
 * "a/b", "" is the root, "." and ".." segments are malformed. */
#include <mirage/error.h>
#include <mirage/kv.h>
#include <stdlib.h>
#include <string.h>

#include "kv_internal.h"

int mirage_kv_key_normalise(const char *key, char *out, size_t size)
{
    if (!key || !out || size == 0)
        return MIRAGE_EINVAL;
    size_t n = 0;
    const char *p = key;
    while (*p) {
        while (*p == '/')
            p++;
        if (!*p)
            break;
        size_t seg = strcspn(p, "/");
        if ((seg == 1 && p[0] == '.') ||
            (seg == 2 && p[0] == '.' && p[1] == '.'))
            return MIRAGE_EINVAL;
        if (seg > MIRAGE_KV_SEGMENT_MAX)
            return MIRAGE_ENAMETOOLONG;
        size_t need = n + (n > 0) + seg;
        if (need > MIRAGE_KV_KEY_MAX)
            return MIRAGE_ENAMETOOLONG;
        if (need + 1 > size)
            return MIRAGE_EINVAL;
        if (n > 0)
            out[n++] = '/';
        memcpy(out + n, p, seg);
        n += seg;
        p += seg;
    }
    out[n] = '\0';
    return 0;
}

int kv_key_dup(const char *key, char **out)
{
    *out = NULL;
    if (!key)
        return MIRAGE_EINVAL;
    size_t size = strlen(key) + 1;
    if (size > MIRAGE_KV_KEY_MAX + 1)
        size = MIRAGE_KV_KEY_MAX + 1;
    char *k = malloc(size);
    if (!k)
        return MIRAGE_ENOMEM;
    /* A normalised key is never longer than the key, nor than the
     * longest key: size is always enough. */
    int err = mirage_kv_key_normalise(key, k, size);
    if (err) {
        free(k);
        return err;
    }
    *out = k;
    return 0;
}

char *kv_key_join(const char *dir, const char *name)
{
    size_t dl = strlen(dir), nl = strlen(name);
    char *k = malloc(dl + 1 + nl + 1);
    if (!k)
        return NULL;
    memcpy(k, dir, dl);
    size_t at = dl;
    if (dl > 0)
        k[at++] = '/';
    memcpy(k + at, name, nl + 1);
    return k;
}

const char *kv_key_last(const char *key)
{
    const char *slash = strrchr(key, '/');
    return slash ? slash + 1 : key;
}
