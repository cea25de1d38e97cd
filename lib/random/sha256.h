/* SHA-256 (FIPS 180-4), for the Fortuna generator. Freestanding, no
 * floating point or vector registers. */
#ifndef MIRAGE_RANDOM_SHA256_H
#define MIRAGE_RANDOM_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define SHA256_SIZE  32
#define SHA256_BLOCK 64

struct sha256 {
    uint32_t h[8];
    uint64_t length; /* bytes hashed so far */
    uint8_t buf[SHA256_BLOCK];
    size_t used; /* bytes waiting in buf */
};

/* Start a new hash. */
void sha256_init(struct sha256 *s);
/* Hash len more bytes (data may be NULL when len is 0). */
void sha256_update(struct sha256 *s, const void *data, size_t len);
/* Write the digest; s must be re-initialised before further use. */
void sha256_final(struct sha256 *s, uint8_t out[SHA256_SIZE]);
/* The digest of one buffer. */
void sha256(const void *data, size_t len, uint8_t out[SHA256_SIZE]);

#endif
