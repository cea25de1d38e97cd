/* The Fortuna generator and accumulator (see fortuna.h). SHA-256d is the
 * book's SHA_d-256: SHA-256(SHA-256(0^512 || m)). */
#include "fortuna.h"

#include <mirage/error.h>
#include <string.h>

static const uint8_t zero_block[SHA256_BLOCK];

/* Start a SHA-256d computation: the inner hash begins with a zero block. */
static void sha256d_init(struct sha256 *s)
{
    sha256_init(s);
    sha256_update(s, zero_block, sizeof zero_block);
}

static void sha256d_final(struct sha256 *s, uint8_t out[SHA256_SIZE])
{
    uint8_t inner[SHA256_SIZE];
    sha256_final(s, inner);
    sha256(inner, sizeof inner, out);
}

static bool seeded(const struct fortuna *f)
{
    for (int i = 0; i < AES_BLOCK; i++)
        if (f->counter[i])
            return true;
    return false;
}

static void counter_increment(uint8_t c[AES_BLOCK])
{
    for (int i = 0; i < AES_BLOCK && ++c[i] == 0; i++)
        ;
}

void fortuna_init(struct fortuna *f)
{
    memset(f, 0, sizeof *f);
    aes256_init(&f->cipher, f->key);
    for (int i = 0; i < FORTUNA_POOLS; i++)
        sha256d_init(&f->pools[i]);
}

/* Finish a rekey whose SHA-256d input (the old key, then the seed) is in
 * s: install the new key and count the reseed. */
static void rekey(struct fortuna *f, struct sha256 *s)
{
    sha256d_final(s, f->key);
    aes256_init(&f->cipher, f->key);
    counter_increment(f->counter);
}

void fortuna_reseed(struct fortuna *f, const void *seed, size_t len)
{
    struct sha256 s;
    sha256d_init(&s);
    sha256_update(&s, f->key, sizeof f->key);
    sha256_update(&s, seed, len);
    rekey(f, &s);
}

int fortuna_add_event(struct fortuna *f, uint8_t source, unsigned pool,
                      const void *data, size_t len)
{
    if (pool >= FORTUNA_POOLS || !data || len == 0 || len > FORTUNA_MAX_EVENT)
        return MIRAGE_EINVAL;
    uint8_t header[2] = {source, (uint8_t)len};
    sha256_update(&f->pools[pool], header, sizeof header);
    sha256_update(&f->pools[pool], data, len);
    if (pool == 0)
        f->pool0_bytes += sizeof header + len;
    return 0;
}

/* Reseed from the pools: pool i takes part when 2^i divides the number
 * of this reseed; each used pool is emptied. */
static void reseed_from_pools(struct fortuna *f, uint64_t now_ns)
{
    struct sha256 s;
    sha256d_init(&s);
    sha256_update(&s, f->key, sizeof f->key);
    f->reseeds++;
    for (int i = 0; i < FORTUNA_POOLS; i++) {
        if (i > 0 && (f->reseeds & ((1ull << i) - 1)) != 0)
            break;
        uint8_t digest[SHA256_SIZE];
        sha256d_final(&f->pools[i], digest);
        sha256_update(&s, digest, sizeof digest);
        sha256d_init(&f->pools[i]);
    }
    f->pool0_bytes = 0;
    f->last_reseed_ns = now_ns;
    rekey(f, &s);
}

/* The generator's output: AES-256 of successive counter values. */
static void generate_blocks(struct fortuna *f, uint8_t *out, size_t len)
{
    uint8_t block[AES_BLOCK];
    while (len > 0) {
        size_t n = len < AES_BLOCK ? len : AES_BLOCK;
        aes256_encrypt(&f->cipher, f->counter, block);
        counter_increment(f->counter);
        memcpy(out, block, n);
        out += n;
        len -= n;
    }
    memset(block, 0, sizeof block);
}

int fortuna_generate(struct fortuna *f, uint64_t now_ns, void *out, size_t len)
{
    if (len > FORTUNA_MAX_REQUEST || (!out && len > 0))
        return MIRAGE_EINVAL;
    if (f->pool0_bytes >= FORTUNA_MIN_POOL &&
        (f->reseeds == 0 || now_ns - f->last_reseed_ns >= FORTUNA_RESEED_NS))
        reseed_from_pools(f, now_ns);
    if (!seeded(f))
        return MIRAGE_EAGAIN;
    generate_blocks(f, out, len);
    /* A new key after every request: earlier output cannot be recomputed
     * from the state that remains. */
    generate_blocks(f, f->key, sizeof f->key);
    aes256_init(&f->cipher, f->key);
    return 0;
}
