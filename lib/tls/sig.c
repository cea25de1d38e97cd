/* Signature schemes (RFC 8446 §4.2.3) on BearSSL's RSA and ECDSA: what
 * each scheme is, whether it fits a key, and signing and verifying for
 * CertificateVerify, TLS 1.2's ServerKeyExchange and X.509. */
#include "crypto.h"

#include <mirage/error.h>
#include <string.h>

bool tls_sig_scheme(uint16_t scheme, struct tls_sig_alg *out)
{
    struct tls_sig_alg a = {TLS_KEY_NONE, TLS_HASH_NONE, false, 0};
    switch (scheme) {
    case TLS_SIG_RSA_PKCS1_SHA256:
        a = (struct tls_sig_alg){TLS_KEY_RSA, TLS_SHA256, false, 0};
        break;
    case TLS_SIG_RSA_PKCS1_SHA384:
        a = (struct tls_sig_alg){TLS_KEY_RSA, TLS_SHA384, false, 0};
        break;
    case TLS_SIG_RSA_PKCS1_SHA512:
        a = (struct tls_sig_alg){TLS_KEY_RSA, TLS_SHA512, false, 0};
        break;
    case TLS_SIG_RSA_PSS_RSAE_SHA256:
        a = (struct tls_sig_alg){TLS_KEY_RSA, TLS_SHA256, true, 0};
        break;
    case TLS_SIG_RSA_PSS_RSAE_SHA384:
        a = (struct tls_sig_alg){TLS_KEY_RSA, TLS_SHA384, true, 0};
        break;
    case TLS_SIG_RSA_PSS_RSAE_SHA512:
        a = (struct tls_sig_alg){TLS_KEY_RSA, TLS_SHA512, true, 0};
        break;
    case TLS_SIG_ECDSA_SECP256R1_SHA256:
        a = (struct tls_sig_alg){TLS_KEY_EC, TLS_SHA256, false,
                                 BR_EC_secp256r1};
        break;
    case TLS_SIG_ECDSA_SECP384R1_SHA384:
        a = (struct tls_sig_alg){TLS_KEY_EC, TLS_SHA384, false,
                                 BR_EC_secp384r1};
        break;
    case TLS_SIG_ECDSA_SECP521R1_SHA512:
        a = (struct tls_sig_alg){TLS_KEY_EC, TLS_SHA512, false,
                                 BR_EC_secp521r1};
        break;
    default:
        return false;
    }
    if (out)
        *out = a;
    return true;
}

bool tls_sig_fits(uint16_t scheme, enum tls_key_type type, int curve,
                  bool tls13)
{
    struct tls_sig_alg a;
    if (!tls_sig_scheme(scheme, &a) || a.key != type)
        return false;
    if (tls13 && type == TLS_KEY_RSA && !a.pss)
        return false;
    if (tls13 && type == TLS_KEY_EC && a.curve != curve)
        return false;
    return true;
}

unsigned tls_pubkey_bits(const struct tls_pubkey *k)
{
    if (k->type == TLS_KEY_EC)
        return k->curve == BR_EC_secp256r1   ? 256
               : k->curve == BR_EC_secp384r1 ? 384
               : k->curve == BR_EC_secp521r1 ? 521
                                             : 0;
    size_t i = 0;
    while (i < k->n_len && k->n[i] == 0)
        i++;
    if (i == k->n_len)
        return 0;
    unsigned bits = (unsigned)(k->n_len - i - 1) * 8;
    for (uint8_t top = k->n[i]; top; top >>= 1)
        bits++;
    return bits;
}

static const uint8_t *hash_oid(enum tls_hash h)
{
    switch (h) {
    case TLS_SHA256:
        return BR_HASH_OID_SHA256;
    case TLS_SHA384:
        return BR_HASH_OID_SHA384;
    case TLS_SHA512:
        return BR_HASH_OID_SHA512;
    default:
        return NULL;
    }
}

static br_rsa_public_key rsa_pub(const struct tls_pubkey *k)
{
    br_rsa_public_key pk;
    size_t i = 0;
    while (i + 1 < k->n_len && k->n[i] == 0)
        i++;
    pk.n = (unsigned char *)k->n + i;
    pk.nlen = k->n_len - i;
    pk.e = (unsigned char *)k->e;
    pk.elen = k->e_len;
    return pk;
}

int tls_sign(uint16_t scheme, const struct tls_privkey *k,
             struct mirage_random *r, const void *data, size_t len,
             uint8_t *sig, size_t *sig_len)
{
    struct tls_sig_alg a;
    uint8_t digest[TLS_MAX_HASH];
    if (!tls_sig_scheme(scheme, &a) || a.key != k->type)
        return MIRAGE_EINVAL;
    tls_hash(a.hash, data, len, digest);
    size_t hl = tls_hash_len(a.hash);
    if (k->type == TLS_KEY_EC) {
        size_t n = br_ecdsa_sign_asn1_get_default()(
            br_ec_get_default(), tls_hash_class(a.hash), digest, &k->ec, sig);
        if (!n)
            return MIRAGE_EINVAL;
        *sig_len = n;
        return 0;
    }
    size_t klen = (k->rsa.n_bitlen + 7) / 8;
    if (a.pss) {
        uint8_t salt[TLS_MAX_HASH];
        int err = mirage_random_generate(r, salt, hl);
        if (err)
            return err;
        size_t em_len = (k->rsa.n_bitlen - 1 + 7) / 8;
        memset(sig, 0, klen);
        if (!tls_pss_encode(a.hash, digest, salt, k->rsa.n_bitlen,
                            sig + (klen - em_len), em_len) ||
            !br_rsa_private_get_default()(sig, &k->rsa))
            return MIRAGE_EINVAL;
    } else if (!br_rsa_pkcs1_sign_get_default()(hash_oid(a.hash), digest, hl,
                                                &k->rsa, sig)) {
        return MIRAGE_EINVAL;
    }
    *sig_len = klen;
    return 0;
}

static bool verify_pss(const struct tls_pubkey *k, enum tls_hash h,
                       const uint8_t *digest, const uint8_t *sig,
                       size_t sig_len)
{
    br_rsa_public_key pk = rsa_pub(k);
    unsigned bits = tls_pubkey_bits(k);
    uint8_t x[TLS_RSA_MAX_BYTES];
    if (sig_len != pk.nlen || sig_len > sizeof x || bits < 1024)
        return false;
    memcpy(x, sig, sig_len);
    if (!br_rsa_public_get_default()(x, sig_len, &pk))
        return false;
    size_t em_len = (bits - 1 + 7) / 8;
    if (em_len < sig_len && x[0] != 0)
        return false;
    return tls_pss_check(h, digest, bits, x + (sig_len - em_len), em_len);
}

static bool verify_digest(const struct tls_pubkey *k, enum tls_hash h, bool pss,
                          const uint8_t *digest, const uint8_t *sig,
                          size_t sig_len)
{
    size_t hl = tls_hash_len(h);
    if (k->type == TLS_KEY_EC) {
        br_ec_public_key pk = {k->curve, (unsigned char *)k->q, k->q_len};
        return br_ecdsa_vrfy_asn1_get_default()(br_ec_get_default(), digest, hl,
                                                &pk, sig, sig_len) == 1;
    }
    if (k->type != TLS_KEY_RSA)
        return false;
    if (pss)
        return verify_pss(k, h, digest, sig, sig_len);
    br_rsa_public_key pk = rsa_pub(k);
    uint8_t out[TLS_MAX_HASH];
    if (sig_len != pk.nlen || tls_pubkey_bits(k) < 1024)
        return false;
    if (!br_rsa_pkcs1_vrfy_get_default()(sig, sig_len, hash_oid(h), hl, &pk,
                                         out))
        return false;
    return tls_ct_equal(out, digest, hl);
}

bool tls_verify(uint16_t scheme, const struct tls_pubkey *k, const void *data,
                size_t len, const uint8_t *sig, size_t sig_len)
{
    struct tls_sig_alg a;
    uint8_t digest[TLS_MAX_HASH];
    if (!tls_sig_scheme(scheme, &a) || a.key != k->type)
        return false;
    tls_hash(a.hash, data, len, digest);
    return verify_digest(k, a.hash, a.pss, digest, sig, sig_len);
}

bool tls_verify_hashed(const struct tls_pubkey *k, enum tls_hash h,
                       const uint8_t *digest, const uint8_t *sig,
                       size_t sig_len)
{
    return verify_digest(k, h, false, digest, sig, sig_len);
}
