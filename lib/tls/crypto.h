/* The cryptography TLS uses, as thin wrappers over BearSSL's primitives
 * (DESIGN.md §9: no primitive is written here). What is ours is only the
 * construction on top: HKDF (RFC 5869) and HKDF-Expand-Label (RFC 8446
 * §7.1) on BearSSL's HMAC, the TLS 1.2 PRF (RFC 5246 §5) on the same
 * HMAC, the record nonces, and the EMSA-PSS encoding (RFC 8017 §9.1),
 * which BearSSL 0.6 lacks, on its hashes and raw RSA operations.
 *
 * Implementations are chosen at run time: AES-NI and PCLMULQDQ for
 * AES-GCM where the CPU has them, SSE2 ChaCha20 and 64-bit multiplies
 * for Poly1305, the constant-time portable code otherwise. No call
 * allocates or yields. */
#ifndef MIRAGE_TLS_CRYPTO_H
#define MIRAGE_TLS_CRYPTO_H

#include <bearssl.h>
#include <mirage/random.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- Hashes ---------------------------------------------------------- */
enum tls_hash { TLS_HASH_NONE, TLS_SHA256, TLS_SHA384, TLS_SHA512 };
#define TLS_MAX_HASH 64

const br_hash_class *tls_hash_class(enum tls_hash h);
size_t tls_hash_len(enum tls_hash h);
/* out = H(data) */
void tls_hash(enum tls_hash h, const void *data, size_t len, uint8_t *out);

/* A running hash of either size, for transcripts. */
struct tls_hash_ctx {
    enum tls_hash alg;
    br_hash_compat_context ctx;
};
void tls_hash_start(struct tls_hash_ctx *c, enum tls_hash h);
void tls_hash_update(struct tls_hash_ctx *c, const void *data, size_t len);
/* The digest so far; the context keeps running. */
void tls_hash_peek(const struct tls_hash_ctx *c, uint8_t *out);

/* ---- HMAC, HKDF, the TLS 1.2 PRF -------------------------------------- */
void tls_hmac(enum tls_hash h, const void *key, size_t klen, const void *a,
              size_t alen, const void *b, size_t blen, uint8_t *out);
/* HKDF-Extract(salt, ikm) -> prk (hash length). salt NULL: zeros. */
void tls_hkdf_extract(enum tls_hash h, const uint8_t *salt, const void *ikm,
                      size_t ikm_len, uint8_t *prk);
/* HKDF-Expand(prk, info, len), len <= 255 * hash length. */
void tls_hkdf_expand(enum tls_hash h, const uint8_t *prk, const void *info,
                     size_t info_len, uint8_t *out, size_t len);
/* HKDF-Expand-Label(secret, "tls13 " label, context, len). */
void tls_hkdf_expand_label(enum tls_hash h, const uint8_t *secret,
                           const char *label, const void *ctx, size_t ctx_len,
                           uint8_t *out, size_t len);
/* Derive-Secret(secret, label, messages) given the messages' hash. */
void tls_derive_secret(enum tls_hash h, const uint8_t *secret,
                       const char *label, const uint8_t *transcript_hash,
                       uint8_t *out);
/* TLS 1.2 PRF(secret, label, seed1 + seed2) -> out[len]. */
void tls12_prf(enum tls_hash h, const void *secret, size_t slen,
               const char *label, const void *seed1, size_t s1len,
               const void *seed2, size_t s2len, uint8_t *out, size_t len);

/* Constant-time comparison: true when equal. */
bool tls_ct_equal(const void *a, const void *b, size_t len);

/* ---- AEAD --------------------------------------------------------------
 * One direction of record protection's cipher: AES-128/256-GCM or
 * ChaCha20-Poly1305, keyed once. */
enum tls_aead_alg { TLS_AES_128_GCM, TLS_AES_256_GCM, TLS_CHACHA20_POLY1305 };
#define TLS_AEAD_TAG 16
#define TLS_MAX_KEY  32
#define TLS_IV_LEN   12

struct tls_aead {
    enum tls_aead_alg alg;
    union {
        struct {
            br_aes_gen_ctr_keys keys;
            br_gcm_context gcm;
        } gcm;
        struct {
            uint8_t key[32];
            br_chacha20_run chacha;
            br_poly1305_run poly;
        } chapo;
    } u;
};
size_t tls_aead_key_len(enum tls_aead_alg a);
void tls_aead_init(struct tls_aead *a, enum tls_aead_alg alg,
                   const uint8_t *key);
/* Encrypt data[len] in place under nonce[12] and aad, writing the tag to
 * tag[16]. */
void tls_aead_seal(struct tls_aead *a, const uint8_t *nonce, const void *aad,
                   size_t aad_len, void *data, size_t len, uint8_t *tag);
/* Decrypt data[len] in place; false (data garbage) when tag[16] is wrong. */
bool tls_aead_open(struct tls_aead *a, const uint8_t *nonce, const void *aad,
                   size_t aad_len, void *data, size_t len, const uint8_t *tag);
/* Forget the key. */
void tls_aead_wipe(struct tls_aead *a);

/* ---- Randomness for BearSSL ------------------------------------------- */
/* A br_prng_class reading a mirage_random device. */
struct tls_prng {
    const br_prng_class *vtable;
    struct mirage_random *random;
    int err; /* the first failure of the device, else 0 */
};
void tls_prng_init(struct tls_prng *p, struct mirage_random *r);

/* ---- Key exchange (ECDHE) -------------------------------------------- */
/* The named groups (RFC 8446 §4.2.7), in our order of preference. */
enum {
    TLS_GROUP_SECP256R1 = 0x0017,
    TLS_GROUP_SECP384R1 = 0x0018,
    TLS_GROUP_X25519 = 0x001d,
};
#define TLS_KEX_MAX_PUB    97 /* an uncompressed P-384 point */
#define TLS_KEX_MAX_SECRET 48
struct tls_kex {
    uint16_t group;
    uint8_t priv[48];
    size_t priv_len;
};
bool tls_group_supported(uint16_t group);
/* Make an ephemeral key pair of the group: pub[*pub_len]. 0, or the
 * random device's error. */
int tls_kex_keygen(struct tls_kex *k, uint16_t group, struct mirage_random *r,
                   uint8_t *pub, size_t *pub_len);
/* The shared secret with the peer's public value: false when that value
 * is malformed or gives the identity (all-zero X25519 output). */
bool tls_kex_derive(struct tls_kex *k, const uint8_t *peer, size_t peer_len,
                    uint8_t *secret, size_t *secret_len);
void tls_kex_wipe(struct tls_kex *k);

/* ---- Keys and signatures ---------------------------------------------- */
enum tls_key_type { TLS_KEY_NONE, TLS_KEY_RSA, TLS_KEY_EC };

/* A public key as X.509 gives it; the byte ranges point into storage
 * that outlives it (a certificate, or a copy). */
struct tls_pubkey {
    enum tls_key_type type;
    int curve;            /* BR_EC_* for EC keys */
    const uint8_t *n, *e; /* RSA modulus and exponent */
    size_t n_len, e_len;
    const uint8_t *q; /* EC point */
    size_t q_len;
};
/* Bits of an RSA modulus or the size of an EC group. */
unsigned tls_pubkey_bits(const struct tls_pubkey *k);

/* A private key with its storage (filled by the key parser, key.c). */
#define TLS_RSA_MAX_BYTES 512 /* 4096-bit moduli */
struct tls_privkey {
    enum tls_key_type type;
    br_rsa_private_key rsa;
    br_ec_private_key ec;
    uint8_t buf[5 * (TLS_RSA_MAX_BYTES / 2) + 8]; /* p q dp dq iq / x */
    /* The public half, for matching certificates: RSA n and e, EC Q. */
    uint8_t pub[TLS_RSA_MAX_BYTES + 8];
    size_t n_len, e_len, q_len;
};

/* Signature schemes (RFC 8446 §4.2.3). */
enum {
    TLS_SIG_RSA_PKCS1_SHA256 = 0x0401,
    TLS_SIG_RSA_PKCS1_SHA384 = 0x0501,
    TLS_SIG_RSA_PKCS1_SHA512 = 0x0601,
    TLS_SIG_ECDSA_SECP256R1_SHA256 = 0x0403,
    TLS_SIG_ECDSA_SECP384R1_SHA384 = 0x0503,
    TLS_SIG_ECDSA_SECP521R1_SHA512 = 0x0603,
    TLS_SIG_RSA_PSS_RSAE_SHA256 = 0x0804,
    TLS_SIG_RSA_PSS_RSAE_SHA384 = 0x0805,
    TLS_SIG_RSA_PSS_RSAE_SHA512 = 0x0806,
};
#define TLS_MAX_SIG TLS_RSA_MAX_BYTES

/* What a scheme is: its key type, hash and padding. False when we do not
 * know it. */
struct tls_sig_alg {
    enum tls_key_type key;
    enum tls_hash hash;
    bool pss;
    int curve; /* ECDSA in TLS 1.3: the curve the scheme names; 0 any */
};
bool tls_sig_scheme(uint16_t scheme, struct tls_sig_alg *out);
/* Whether a scheme can be made with / checked against this key. tls13
 * also rules out PKCS#1 v1.5 and ECDSA on another curve. */
bool tls_sig_fits(uint16_t scheme, enum tls_key_type type, int curve,
                  bool tls13);
/* Sign data[len] (hashed here). 0 and *sig_len, or MIRAGE_EINVAL (the
 * scheme does not fit the key), or the random device's error. */
int tls_sign(uint16_t scheme, const struct tls_privkey *k,
             struct mirage_random *r, const void *data, size_t len,
             uint8_t *sig, size_t *sig_len);
/* Verify sig over data[len] (hashed here) with k: true when good. */
bool tls_verify(uint16_t scheme, const struct tls_pubkey *k, const void *data,
                size_t len, const uint8_t *sig, size_t sig_len);
/* Verify a signature over a digest already computed: X.509 uses this.
 * pkcs1 with RSA keys, DER-encoded ECDSA with EC keys. */
bool tls_verify_hashed(const struct tls_pubkey *k, enum tls_hash h,
                       const uint8_t *digest, const uint8_t *sig,
                       size_t sig_len);

/* EMSA-PSS with MGF1 and a salt as long as the hash (pss.c). */
bool tls_pss_encode(enum tls_hash h, const uint8_t *mhash, const uint8_t *salt,
                    unsigned mod_bits, uint8_t *em, size_t em_len);
bool tls_pss_check(enum tls_hash h, const uint8_t *mhash, unsigned mod_bits,
                   const uint8_t *em, size_t em_len);

#endif
