/* Test helpers for the TLS tests: keys made with BearSSL, X.509
 * certificates built field by field (so a test can make any certificate
 * it needs: expired, with wrong names, name constraints, bad
 * signatures ...), PEM text of both, a deterministic random device, and
 * a settable monotonic clock (mirage_now). Everything is allocated from
 * an arena that cg_reset() empties. */
#ifndef TEST_TLS_CERTGEN_H
#define TEST_TLS_CERTGEN_H

#include <bearssl.h>
#include <mirage/clock.h>
#include <mirage/random.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct blob {
    const uint8_t *p;
    size_t n;
};

void cg_reset(void);
void *cg_alloc(size_t n);
/* Bytes from hex text (spaces and newlines ignored). */
struct blob cg_hex(const char *hex);

struct cg_key {
    bool rsa;
    br_rsa_private_key sk;
    br_rsa_public_key pk;
    uint8_t d[512];
    size_t dlen;
    br_ec_private_key ek;
    br_ec_public_key epk;
    uint8_t kbuf[2048], pbuf[1024];
};
/* A fresh key: RSA of bits, or EC on curve (BR_EC_secp256r1 ...). The
 * keys come from a fixed seed and a counter: repeatable per run. */
void cg_key_rsa(struct cg_key *k, unsigned bits);
void cg_key_ec(struct cg_key *k, int curve);
/* PEM of the private key: PKCS#8 ("PRIVATE KEY") or the traditional
 * form ("RSA PRIVATE KEY" / "EC PRIVATE KEY"). */
const char *cg_key_pem(const struct cg_key *k, bool pkcs8);

struct cg_cert_opts {
    const char *cn;        /* subject common name */
    const char *issuer_cn; /* NULL: self-issued */
    int64_t not_before, not_after;
    const char *const *dns; /* subjectAltName dNSNames, NULL-terminated */
    const char *ip;         /* a subjectAltName iPAddress (4 bytes) */
    bool ca;                /* basicConstraints cA */
    int path_len;           /* -1: none */
    int ku;                 /* keyUsage bits (x509.h), -1: none */
    int eku;                /* 0 none, 1 serverAuth, 2 clientAuth only */
    const char *const *permitted, *const *excluded; /* dNSName subtrees */
    bool unknown_critical; /* an unknown critical extension */
    bool bad_signature;    /* flip a bit of the signature */
    int serial;
};
/* Default options: valid from a day ago for a year, no extensions. */
struct cg_cert_opts cg_opts(const char *cn);
/* A certificate for subject's key, signed by issuer (SHA-256). */
struct blob cg_cert(const struct cg_cert_opts *o, const struct cg_key *subject,
                    const struct cg_key *issuer);
/* PEM text of DER under a label, concatenated for several. */
const char *cg_pem(const char *label, const struct blob *der, size_t n);
/* SHA-256 of a certificate's SubjectPublicKeyInfo. */
void cg_spki_sha256(const struct cg_key *k, uint8_t out[32]);

/* A deterministic random device: the bytes of a script first, then a
 * counter through SHA-256 (with a tag that tells devices apart). */
struct cg_random {
    struct mirage_random dev;
    uint8_t tag;
    uint64_t counter;
    const uint8_t *script;
    size_t script_len;
};
void cg_random_init(struct cg_random *r, uint8_t tag);
/* The tests' device (tag 0). */
struct mirage_random *cg_random(void);
void cg_random_script(const uint8_t *bytes, size_t n);
/* Start the counter again (and forget a script). */
void cg_random_reset(void);
/* A wall clock at cg_wall_ns. */
extern uint64_t cg_wall_ns;
struct mirage_pclock *cg_pclock(void);
/* The monotonic time mirage_now() returns to the engine. */
extern uint64_t cg_now_ns;

#endif
