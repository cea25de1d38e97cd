/* The Fortuna random generator (Ferguson, Schneier and Kohno,
 * "Cryptography Engineering", chapter 9): a generator (AES-256 in counter
 * mode, rekeyed after every request) and an accumulator (32 entropy pools
 * hashed with SHA-256d that reseed the generator, pool i taking part in
 * every 2^i-th reseed). It is pure computation: the caller brings the
 * entropy and the time, so it runs on every target and is testable with a
 * fake entropy source. No call yields. */
#ifndef MIRAGE_RANDOM_FORTUNA_H
#define MIRAGE_RANDOM_FORTUNA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "aes256.h"
#include "sha256.h"

#define FORTUNA_POOLS       32
#define FORTUNA_MAX_REQUEST (1u << 20)   /* bytes per fortuna_generate */
#define FORTUNA_MAX_EVENT   32           /* bytes per fortuna_add_event */
#define FORTUNA_MIN_POOL    64           /* pool 0 bytes before a reseed */
#define FORTUNA_RESEED_NS   100000000ull /* at most one reseed per 100 ms */

struct fortuna {
    /* The generator. */
    uint8_t key[AES256_KEY];
    struct aes256 cipher;       /* key, expanded */
    uint8_t counter[AES_BLOCK]; /* 128-bit, least significant byte first;
                                   0 until the first reseed */
    /* The accumulator. */
    struct sha256 pools[FORTUNA_POOLS];
    size_t pool0_bytes;
    uint64_t reseeds;
    uint64_t last_reseed_ns;
};

/* An unseeded generator with empty pools. */
void fortuna_init(struct fortuna *f);
/* Mix seed material into the generator's key (K = SHA-256d(K || seed)),
 * seeding it if it was not. Used for the initial seed. */
void fortuna_reseed(struct fortuna *f, const void *seed, size_t len);
/* Add an event of 1..FORTUNA_MAX_EVENT bytes from source (0..255) to pool
 * (0..FORTUNA_POOLS-1). 0, or MIRAGE_EINVAL for a bad length or pool. */
int fortuna_add_event(struct fortuna *f, uint8_t source, unsigned pool,
                      const void *data, size_t len);
/* Fill out with len (<= FORTUNA_MAX_REQUEST) random bytes, reseeding from
 * the pools first when pool 0 holds FORTUNA_MIN_POOL bytes and the last
 * pool reseed is at least FORTUNA_RESEED_NS before now_ns (a monotonic
 * time). 0; MIRAGE_EINVAL for a bad length or buffer; MIRAGE_EAGAIN while
 * the generator has never been seeded. */
int fortuna_generate(struct fortuna *f, uint64_t now_ns, void *out, size_t len);

#endif
