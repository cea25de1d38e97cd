/* Record protection (RFC 8446 §5.2-5.3, RFC 5246 §6.2.3.3, RFC 5288,
 * RFC 7905): keys and nonces per direction, sealing a record in place
 * in the output buffer and opening one in place in the input buffer. */
#include "internal.h"

#include <string.h>

void tls_dir_set13(struct tls_dir *d, const struct tls_suite *s,
                   const uint8_t *secret)
{
    uint8_t key[TLS_MAX_KEY];
    size_t hl = tls_hash_len(s->hash), kl = tls_aead_key_len(s->aead);
    tls_dir_wipe(d);
    d->on = true;
    d->suite = s;
    d->version = MIRAGE_TLS_1_3;
    memcpy(d->secret, secret, hl);
    tls_hkdf_expand_label(s->hash, secret, "key", NULL, 0, key, kl);
    tls_hkdf_expand_label(s->hash, secret, "iv", NULL, 0, d->iv, TLS_IV_LEN);
    tls_aead_init(&d->aead, s->aead, key);
    memset(key, 0, sizeof key);
}

void tls_dir_set12(struct tls_dir *d, const struct tls_suite *s,
                   const uint8_t *key, const uint8_t *iv)
{
    tls_dir_wipe(d);
    d->on = true;
    d->suite = s;
    d->version = MIRAGE_TLS_1_2;
    /* GCM: a 4-byte implicit salt (RFC 5288); ChaCha20: 12 bytes. */
    memcpy(d->iv, iv, s->aead == TLS_CHACHA20_POLY1305 ? 12 : 4);
    tls_aead_init(&d->aead, s->aead, key);
}

void tls_dir_wipe(struct tls_dir *d)
{
    volatile uint8_t *p = (volatile uint8_t *)d;
    for (size_t i = 0; i < sizeof *d; i++)
        p[i] = 0;
}

/* TLS 1.2 GCM carries an explicit 8-byte nonce before the ciphertext. */
static bool explicit_nonce(const struct tls_dir *d)
{
    return d->version == MIRAGE_TLS_1_2 &&
           d->suite->aead != TLS_CHACHA20_POLY1305;
}

size_t tls_dir_prefix(const struct tls_dir *d)
{
    return d->on && explicit_nonce(d) ? 8 : 0;
}

size_t tls_dir_suffix(const struct tls_dir *d)
{
    if (!d->on)
        return 0;
    return TLS_AEAD_TAG + (d->version == MIRAGE_TLS_1_3 ? 1 : 0);
}

/* The per-record nonce: the IV XOR the sequence number (RFC 8446 §5.3,
 * RFC 7905), or for TLS 1.2 GCM the salt and the explicit part. */
static void nonce(const struct tls_dir *d, const uint8_t *explicit,
                  uint8_t *out)
{
    if (explicit) {
        memcpy(out, d->iv, 4);
        memcpy(out + 4, explicit, 8);
        return;
    }
    memcpy(out, d->iv, TLS_IV_LEN);
    for (int i = 0; i < 8; i++)
        out[TLS_IV_LEN - 1 - i] ^= (uint8_t)(d->seq >> (8 * i));
}

/* TLS 1.2's additional data: seq, type, version, plaintext length. */
static void aad12(const struct tls_dir *d, uint8_t type, size_t len,
                  uint8_t *out)
{
    put_u64(out, d->seq);
    out[8] = type;
    put_u16(out + 9, MIRAGE_TLS_1_2);
    put_u16(out + 11, (uint16_t)len);
}

size_t tls_dir_seal(struct tls_dir *d, uint8_t type, uint8_t *rec, size_t len)
{
    rec[1] = 3;
    rec[2] = 3;
    if (!d->on) {
        rec[0] = type;
        put_u16(rec + 3, (uint16_t)len);
        return TLS_HDR + len;
    }
    uint8_t n[TLS_IV_LEN];
    if (d->version == MIRAGE_TLS_1_3) {
        /* TLSInnerPlaintext: content, type, no padding; outer type is
         * application_data and the header is the additional data. */
        uint8_t *body = rec + TLS_HDR;
        body[len] = type;
        size_t clen = len + 1 + TLS_AEAD_TAG;
        rec[0] = TLS_CT_APPDATA;
        put_u16(rec + 3, (uint16_t)clen);
        nonce(d, NULL, n);
        tls_aead_seal(&d->aead, n, rec, TLS_HDR, body, len + 1, body + len + 1);
        d->seq++;
        return TLS_HDR + clen;
    }
    uint8_t aad[13];
    size_t pre = tls_dir_prefix(d);
    uint8_t *body = rec + TLS_HDR + pre;
    aad12(d, type, len, aad);
    if (pre) {
        put_u64(rec + TLS_HDR, d->seq); /* the explicit nonce */
        nonce(d, rec + TLS_HDR, n);
    } else {
        nonce(d, NULL, n);
    }
    tls_aead_seal(&d->aead, n, aad, sizeof aad, body, len, body + len);
    rec[0] = type;
    put_u16(rec + 3, (uint16_t)(pre + len + TLS_AEAD_TAG));
    d->seq++;
    return TLS_HDR + pre + len + TLS_AEAD_TAG;
}

int tls_dir_open(struct tls_dir *d, uint8_t *rec, size_t blen, uint8_t *type,
                 uint8_t **plain, size_t *plen)
{
    uint8_t *body = rec + TLS_HDR;
    if (!d->on) {
        if (blen > TLS_MAX_PLAIN)
            return TLS_ALERT_RECORD_OVERFLOW;
        *type = rec[0];
        *plain = body;
        *plen = blen;
        return 0;
    }
    uint8_t n[TLS_IV_LEN];
    if (d->version == MIRAGE_TLS_1_3) {
        if (rec[0] != TLS_CT_APPDATA)
            return TLS_ALERT_UNEXPECTED_MESSAGE;
        if (blen > TLS_MAX_CIPHER)
            return TLS_ALERT_RECORD_OVERFLOW;
        if (blen < 1 + TLS_AEAD_TAG)
            return TLS_ALERT_BAD_RECORD_MAC;
        size_t clen = blen - TLS_AEAD_TAG;
        nonce(d, NULL, n);
        if (!tls_aead_open(&d->aead, n, rec, TLS_HDR, body, clen, body + clen))
            return TLS_ALERT_BAD_RECORD_MAC;
        d->seq++;
        /* Strip the zero padding; the last non-zero byte is the type. */
        while (clen > 0 && body[clen - 1] == 0)
            clen--;
        if (clen == 0)
            return TLS_ALERT_UNEXPECTED_MESSAGE;
        *type = body[clen - 1];
        if (clen - 1 > TLS_MAX_PLAIN)
            return TLS_ALERT_RECORD_OVERFLOW;
        *plain = body;
        *plen = clen - 1;
        return 0;
    }
    size_t pre = tls_dir_prefix(d);
    if (blen < pre + TLS_AEAD_TAG)
        return TLS_ALERT_BAD_RECORD_MAC;
    size_t len = blen - pre - TLS_AEAD_TAG;
    if (len > TLS_MAX_PLAIN)
        return TLS_ALERT_RECORD_OVERFLOW;
    uint8_t aad[13];
    aad12(d, rec[0], len, aad);
    nonce(d, pre ? body : NULL, n);
    if (!tls_aead_open(&d->aead, n, aad, sizeof aad, body + pre, len,
                       body + pre + len))
        return TLS_ALERT_BAD_RECORD_MAC;
    d->seq++;
    *type = rec[0];
    *plain = body + pre;
    *plen = len;
    return 0;
}
