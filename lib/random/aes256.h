/* AES-256 block encryption (FIPS 197), for the Fortuna generator's
 * counter mode. Freestanding, no floating point or vector registers.
 * Only encryption is provided: counter mode never decrypts. */
#ifndef MIRAGE_RANDOM_AES256_H
#define MIRAGE_RANDOM_AES256_H

#include <stdint.h>

#define AES256_KEY 32
#define AES_BLOCK  16

/* The expanded key: 15 round keys of 16 bytes. */
struct aes256 {
    uint8_t rk[15 * AES_BLOCK];
};

void aes256_init(struct aes256 *k, const uint8_t key[AES256_KEY]);
/* out = AES-256(k, in); in and out may be the same buffer. */
void aes256_encrypt(const struct aes256 *k, const uint8_t in[AES_BLOCK],
                    uint8_t out[AES_BLOCK]);

#endif
