/* Ephemeral elliptic-curve Diffie-Hellman for TLS 1.3 key shares and
 * TLS 1.2 ECDHE (RFC 8446 §4.2.8.2, §7.4.2; RFC 8422): X25519, P-256 and
 * P-384 on BearSSL's default EC implementation; and the adapter that
 * lets BearSSL draw randomness from a mirage_random device. */
#include "crypto.h"

#include <mirage/error.h>
#include <string.h>

static void prng_init(const br_prng_class **ctx, const void *params,
                      const void *seed, size_t len)
{
    (void)ctx, (void)params, (void)seed, (void)len;
}

static void prng_generate(const br_prng_class **ctx, void *out, size_t len)
{
    struct tls_prng *p = (struct tls_prng *)ctx;
    int err = mirage_random_generate(p->random, out, len);
    if (err && !p->err)
        p->err = err;
}

static void prng_update(const br_prng_class **ctx, const void *seed, size_t len)
{
    (void)ctx, (void)seed, (void)len;
}

static const br_prng_class prng_class = {sizeof(struct tls_prng), prng_init,
                                         prng_generate, prng_update};

void tls_prng_init(struct tls_prng *p, struct mirage_random *r)
{
    p->vtable = &prng_class;
    p->random = r;
    p->err = 0;
}

static int curve_of(uint16_t group)
{
    switch (group) {
    case TLS_GROUP_X25519:
        return BR_EC_curve25519;
    case TLS_GROUP_SECP256R1:
        return BR_EC_secp256r1;
    case TLS_GROUP_SECP384R1:
        return BR_EC_secp384r1;
    default:
        return 0;
    }
}

bool tls_group_supported(uint16_t group)
{
    return curve_of(group) != 0;
}

int tls_kex_keygen(struct tls_kex *k, uint16_t group, struct mirage_random *r,
                   uint8_t *pub, size_t *pub_len)
{
    const br_ec_impl *ec = br_ec_get_default();
    int curve = curve_of(group);
    if (!curve)
        return MIRAGE_EINVAL;
    memset(k, 0, sizeof *k);
    k->group = group;
    if (group == TLS_GROUP_X25519) {
        /* Any 32 bytes are a private key: the multiplication clamps them
         * (RFC 7748 §5). */
        int err = mirage_random_generate(r, k->priv, 32);
        if (err)
            return err;
        k->priv_len = 32;
        *pub_len = ec->mulgen(pub, k->priv, 32, curve);
        return *pub_len ? 0 : MIRAGE_EINVAL;
    }
    struct tls_prng prng;
    tls_prng_init(&prng, r);
    br_ec_private_key sk;
    size_t len = br_ec_keygen(&prng.vtable, ec, &sk, k->priv, curve);
    if (prng.err)
        return prng.err;
    if (!len)
        return MIRAGE_EINVAL;
    k->priv_len = len;
    *pub_len = br_ec_compute_pub(ec, NULL, pub, &sk);
    return *pub_len ? 0 : MIRAGE_EINVAL;
}

bool tls_kex_derive(struct tls_kex *k, const uint8_t *peer, size_t peer_len,
                    uint8_t *secret, size_t *secret_len)
{
    const br_ec_impl *ec = br_ec_get_default();
    int curve = curve_of(k->group);
    uint8_t point[TLS_KEX_MAX_PUB];
    size_t want = k->group == TLS_GROUP_X25519      ? 32
                  : k->group == TLS_GROUP_SECP256R1 ? 65
                                                    : 97;
    /* NIST curves: only the uncompressed form (RFC 8446 §4.2.8.2). */
    if (!curve || peer_len != want ||
        (k->group != TLS_GROUP_X25519 && peer[0] != 4))
        return false;
    memcpy(point, peer, peer_len);
    if (ec->mul(point, peer_len, k->priv, k->priv_len, curve) != 1)
        return false;
    size_t xlen, xoff = ec->xoff(curve, &xlen);
    uint8_t zero = 0;
    for (size_t i = 0; i < xlen; i++)
        zero |= point[xoff + i];
    if (!zero)
        return false;
    memcpy(secret, point + xoff, xlen);
    *secret_len = xlen;
    memset(point, 0, sizeof point);
    return true;
}

void tls_kex_wipe(struct tls_kex *k)
{
    volatile uint8_t *p = k->priv;
    for (size_t i = 0; i < sizeof k->priv; i++)
        p[i] = 0;
}
