/* Hashes, HMAC, HKDF (RFC 5869) with TLS 1.3's Expand-Label and
 * Derive-Secret (RFC 8446 §7.1), and TLS 1.2's PRF (RFC 5246 §5), all on
 * BearSSL's SHA-2 and HMAC. */
#include "crypto.h"

#include <string.h>

const br_hash_class *tls_hash_class(enum tls_hash h)
{
    switch (h) {
    case TLS_SHA256:
        return &br_sha256_vtable;
    case TLS_SHA384:
        return &br_sha384_vtable;
    case TLS_SHA512:
        return &br_sha512_vtable;
    default:
        return NULL;
    }
}

size_t tls_hash_len(enum tls_hash h)
{
    return h == TLS_SHA256   ? 32
           : h == TLS_SHA384 ? 48
           : h == TLS_SHA512 ? 64
                             : 0;
}

void tls_hash_start(struct tls_hash_ctx *c, enum tls_hash h)
{
    c->alg = h;
    tls_hash_class(h)->init(&c->ctx.vtable);
}

void tls_hash_update(struct tls_hash_ctx *c, const void *data, size_t len)
{
    c->ctx.vtable->update(&c->ctx.vtable, data, len);
}

void tls_hash_peek(const struct tls_hash_ctx *c, uint8_t *out)
{
    /* BearSSL's out() leaves the running state as it is. */
    c->ctx.vtable->out(&c->ctx.vtable, out);
}

void tls_hash(enum tls_hash h, const void *data, size_t len, uint8_t *out)
{
    struct tls_hash_ctx c;
    tls_hash_start(&c, h);
    tls_hash_update(&c, data, len);
    tls_hash_peek(&c, out);
}

void tls_hmac(enum tls_hash h, const void *key, size_t klen, const void *a,
              size_t alen, const void *b, size_t blen, uint8_t *out)
{
    br_hmac_key_context kc;
    br_hmac_context hc;
    br_hmac_key_init(&kc, tls_hash_class(h), key, klen);
    br_hmac_init(&hc, &kc, 0);
    br_hmac_update(&hc, a, alen);
    if (blen)
        br_hmac_update(&hc, b, blen);
    br_hmac_out(&hc, out);
}

void tls_hkdf_extract(enum tls_hash h, const uint8_t *salt, const void *ikm,
                      size_t ikm_len, uint8_t *prk)
{
    static const uint8_t zeros[TLS_MAX_HASH];
    size_t hl = tls_hash_len(h);
    tls_hmac(h, salt ? salt : zeros, hl, ikm, ikm_len, NULL, 0, prk);
}

void tls_hkdf_expand(enum tls_hash h, const uint8_t *prk, const void *info,
                     size_t info_len, uint8_t *out, size_t len)
{
    size_t hl = tls_hash_len(h);
    br_hmac_key_context kc;
    br_hmac_context hc;
    uint8_t t[TLS_MAX_HASH];
    size_t tlen = 0;
    br_hmac_key_init(&kc, tls_hash_class(h), prk, hl);
    for (uint8_t i = 1; len > 0; i++) {
        /* T(i) = HMAC(PRK, T(i-1) | info | i) */
        br_hmac_init(&hc, &kc, 0);
        br_hmac_update(&hc, t, tlen);
        br_hmac_update(&hc, info, info_len);
        br_hmac_update(&hc, &i, 1);
        br_hmac_out(&hc, t);
        tlen = hl;
        size_t n = len < hl ? len : hl;
        memcpy(out, t, n);
        out += n;
        len -= n;
    }
    memset(t, 0, sizeof t);
}

void tls_hkdf_expand_label(enum tls_hash h, const uint8_t *secret,
                           const char *label, const void *ctx, size_t ctx_len,
                           uint8_t *out, size_t len)
{
    /* struct { uint16 length; opaque label<7..255> = "tls13 " + Label;
     *          opaque context<0..255>; } HkdfLabel; */
    uint8_t info[2 + 1 + 255 + 1 + 255];
    size_t llen = strlen(label), n = 0;
    info[n++] = (uint8_t)(len >> 8);
    info[n++] = (uint8_t)len;
    info[n++] = (uint8_t)(6 + llen);
    memcpy(info + n, "tls13 ", 6);
    memcpy(info + n + 6, label, llen);
    n += 6 + llen;
    info[n++] = (uint8_t)ctx_len;
    if (ctx_len)
        memcpy(info + n, ctx, ctx_len);
    n += ctx_len;
    tls_hkdf_expand(h, secret, info, n, out, len);
}

void tls_derive_secret(enum tls_hash h, const uint8_t *secret,
                       const char *label, const uint8_t *transcript_hash,
                       uint8_t *out)
{
    size_t hl = tls_hash_len(h);
    tls_hkdf_expand_label(h, secret, label, transcript_hash, hl, out, hl);
}

void tls12_prf(enum tls_hash h, const void *secret, size_t slen,
               const char *label, const void *seed1, size_t s1len,
               const void *seed2, size_t s2len, uint8_t *out, size_t len)
{
    /* P_hash(secret, seed) = HMAC(secret, A(1) + seed) + ...,
     * A(0) = seed, A(i) = HMAC(secret, A(i-1)); seed = label + seeds. */
    size_t hl = tls_hash_len(h);
    br_hmac_key_context kc;
    br_hmac_context hc;
    uint8_t a[TLS_MAX_HASH], t[TLS_MAX_HASH];
    size_t llen = strlen(label);
    br_hmac_key_init(&kc, tls_hash_class(h), secret, slen);
    br_hmac_init(&hc, &kc, 0);
    br_hmac_update(&hc, label, llen);
    br_hmac_update(&hc, seed1, s1len);
    if (s2len)
        br_hmac_update(&hc, seed2, s2len);
    br_hmac_out(&hc, a);
    while (len > 0) {
        br_hmac_init(&hc, &kc, 0);
        br_hmac_update(&hc, a, hl);
        br_hmac_update(&hc, label, llen);
        br_hmac_update(&hc, seed1, s1len);
        if (s2len)
            br_hmac_update(&hc, seed2, s2len);
        br_hmac_out(&hc, t);
        size_t n = len < hl ? len : hl;
        memcpy(out, t, n);
        out += n;
        len -= n;
        br_hmac_init(&hc, &kc, 0);
        br_hmac_update(&hc, a, hl);
        br_hmac_out(&hc, a);
    }
    memset(t, 0, sizeof t);
    memset(a, 0, sizeof a);
}

bool tls_ct_equal(const void *a, const void *b, size_t len)
{
    const volatile uint8_t *x = a, *y = b;
    uint8_t d = 0;
    for (size_t i = 0; i < len; i++)
        d |= x[i] ^ y[i];
    return d == 0;
}
