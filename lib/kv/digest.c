/* SHA-256 digests of values (read in pieces) and of dictionaries (over
 * their entries' names, kinds and digests), as include/mirage/kv.h
 * defines them. SHA-256 itself comes from lib/random. */
#include <mirage/error.h>
#include <mirage/kv.h>
#include <stdlib.h>
#include <string.h>

#include "../random/sha256.h"
#include "kv_internal.h"

#define PIECE 65536

int kv_digest_stream(int (*read)(void *ctx, uint64_t offset, void *buf,
                                 size_t len),
                     void *ctx, uint64_t size,
                     uint8_t out[MIRAGE_KV_DIGEST_SIZE])
{
    unsigned char *buf = malloc(PIECE);
    if (!buf)
        return MIRAGE_ENOMEM;
    struct sha256 h;
    sha256_init(&h);
    for (uint64_t off = 0; off < size;) {
        size_t n = size - off < PIECE ? (size_t)(size - off) : PIECE;
        int err = read(ctx, off, buf, n);
        if (err) {
            free(buf);
            return err;
        }
        sha256_update(&h, buf, n);
        off += n;
    }
    free(buf);
    sha256_final(&h, out);
    return 0;
}

int mirage_kv_dictionary_digest(struct mirage_kv_ro *kv, const char *key,
                                uint8_t out[MIRAGE_KV_DIGEST_SIZE])
{
    struct mirage_kv_list l;
    int err = mirage_kv_ro_list(kv, key, &l);
    if (err)
        return err;
    struct sha256 h;
    sha256_init(&h);
    for (size_t i = 0; i < l.count && !err; i++) {
        uint8_t d[MIRAGE_KV_DIGEST_SIZE];
        err = mirage_kv_ro_digest(kv, l.entries[i].key, d);
        const char *name = kv_key_last(l.entries[i].key);
        char tag[2] = {'\0', l.entries[i].kind == MIRAGE_KV_VALUE ? 'v' : 'd'};
        sha256_update(&h, name, strlen(name));
        sha256_update(&h, tag, 2);
        sha256_update(&h, d, sizeof d);
    }
    mirage_kv_list_free(&l);
    if (!err)
        sha256_final(&h, out);
    return err;
}
