/* Key schedules: TLS 1.3's (RFC 8446 §7.1: early, handshake and master
 * secrets; Finished; ticket PSKs; KeyUpdate) and TLS 1.2's (RFC 5246
 * §6.3, §7.4.9, §8.1; RFC 7627's extended master secret). */
#include "internal.h"

#include <string.h>

void tls13_early_secret(enum tls_hash h, const uint8_t *psk, uint8_t *early)
{
    static const uint8_t zeros[TLS_MAX_HASH];
    tls_hkdf_extract(h, NULL, psk ? psk : zeros, tls_hash_len(h), early);
}

void tls13_next_secret(enum tls_hash h, const uint8_t *prev, const uint8_t *ikm,
                       size_t ikm_len, uint8_t *out)
{
    static const uint8_t zeros[TLS_MAX_HASH];
    uint8_t empty[TLS_MAX_HASH], derived[TLS_MAX_HASH];
    tls_hash(h, "", 0, empty);
    tls_derive_secret(h, prev, "derived", empty, derived);
    if (!ikm) {
        ikm = zeros;
        ikm_len = tls_hash_len(h);
    }
    tls_hkdf_extract(h, derived, ikm, ikm_len, out);
    memset(derived, 0, sizeof derived);
}

void tls13_finished(enum tls_hash h, const uint8_t *base_secret,
                    const uint8_t *transcript_hash, uint8_t *out)
{
    size_t hl = tls_hash_len(h);
    uint8_t key[TLS_MAX_HASH];
    tls_hkdf_expand_label(h, base_secret, "finished", NULL, 0, key, hl);
    tls_hmac(h, key, hl, transcript_hash, hl, NULL, 0, out);
    memset(key, 0, sizeof key);
}

void tls13_ticket_psk(enum tls_hash h, const uint8_t *rms, const uint8_t *nonce,
                      size_t nonce_len, uint8_t *psk)
{
    tls_hkdf_expand_label(h, rms, "resumption", nonce, nonce_len, psk,
                          tls_hash_len(h));
}

void tls13_next_traffic(enum tls_hash h, uint8_t *secret)
{
    uint8_t next[TLS_MAX_HASH];
    size_t hl = tls_hash_len(h);
    tls_hkdf_expand_label(h, secret, "traffic upd", NULL, 0, next, hl);
    memcpy(secret, next, hl);
    memset(next, 0, sizeof next);
}

void tls12_master(struct tls_conn *c, const uint8_t *pms, size_t pms_len)
{
    enum tls_hash h = c->suite->hash;
    if (c->ems) {
        uint8_t session_hash[TLS_MAX_HASH];
        tls_transcript_hash(c, session_hash);
        tls12_prf(h, pms, pms_len, "extended master secret", session_hash,
                  tls_hash_len(h), NULL, 0, c->master12, 48);
    } else {
        tls12_prf(h, pms, pms_len, "master secret", c->hs->client_random, 32,
                  c->hs->server_random, 32, c->master12, 48);
    }
}

void tls12_keys(struct tls_conn *c, bool write)
{
    const struct tls_suite *s = c->suite;
    size_t kl = tls_aead_key_len(s->aead);
    size_t il = s->aead == TLS_CHACHA20_POLY1305 ? 12 : 4;
    uint8_t block[2 * 32 + 2 * 12];
    /* client_write_key, server_write_key, client_write_IV, server_write_IV */
    tls12_prf(s->hash, c->master12, 48, "key expansion", c->hs->server_random,
              32, c->hs->client_random, 32, block, 2 * kl + 2 * il);
    bool client_side = write != c->server;
    const uint8_t *key = block + (client_side ? 0 : kl);
    const uint8_t *iv = block + 2 * kl + (client_side ? 0 : il);
    tls_dir_set12(write ? &c->wr : &c->rd, s, key, iv);
    memset(block, 0, sizeof block);
}

void tls12_finished(struct tls_conn *c, bool from_server, uint8_t out[12])
{
    uint8_t th[TLS_MAX_HASH];
    enum tls_hash h = c->suite->hash;
    tls_transcript_hash(c, th);
    tls12_prf(h, c->master12, 48,
              from_server ? "server finished" : "client finished", th,
              tls_hash_len(h), NULL, 0, out, 12);
}

int tls12_send_finished(struct tls_conn *c)
{
    uint8_t fin[12];
    struct wr w;
    tls_send_ccs(c);
    tls12_keys(c, true);
    tls12_finished(c, c->server, fin);
    tls_hs_begin(c, TLS_HS_FINISHED, &w);
    wr_bytes(&w, fin, 12);
    return tls_hs_end(c, &w);
}
