/* PEM (RFC 7468) and the private keys it carries: base64 blocks between
 * "-----BEGIN LABEL-----" and "-----END LABEL-----" lines; RSA keys in
 * PKCS#1 (RSA PRIVATE KEY) and EC keys in SEC 1 (EC PRIVATE KEY) form,
 * or either in PKCS#8 (PRIVATE KEY). Encrypted keys are refused. Nothing
 * allocates. */
#ifndef MIRAGE_TLS_PEM_H
#define MIRAGE_TLS_PEM_H

#include "crypto.h"

#include <stddef.h>
#include <stdint.h>

#define PEM_LABEL_MAX 32

/* One PEM block: label and decoded bytes (pointing into the decoding
 * buffer). */
struct pem_block {
    char label[PEM_LABEL_MAX];
    const uint8_t *der;
    size_t der_len;
};
/* Decode the next block of text[*pos..len) into buf[cap]: 1 and *blk,
 * 0 when no block is left, or MIRAGE_EBADF (malformed: no END line,
 * label mismatch, bad base64, headers of an encrypted block) or
 * MIRAGE_ENOSPC (buf too small). Text outside blocks is skipped. */
int pem_next(const char *text, size_t len, size_t *pos, uint8_t *buf,
             size_t cap, struct pem_block *blk);

/* Parse a private key from DER of the given PEM label into k (which
 * then owns copies of the numbers). 0, MIRAGE_EBADF (malformed) or
 * MIRAGE_ENOTSUP (another algorithm or curve, a modulus beyond 4096
 * bits). */
int tls_key_parse(const char *label, const uint8_t *der, size_t len,
                  struct tls_privkey *k);
/* The public half of k as a tls_pubkey pointing into k. */
void tls_key_public(const struct tls_privkey *k, struct tls_pubkey *pub);

#endif
