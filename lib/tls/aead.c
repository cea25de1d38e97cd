/* AEAD ciphers for record protection on BearSSL: AES-GCM (br_gcm over
 * the AES-NI counter mode and PCLMULQDQ GHASH where the CPU has them,
 * the constant-time 64-bit code otherwise) and ChaCha20-Poly1305
 * (br_poly1305_run with the SSE2 ChaCha20 and 64-bit Poly1305 where
 * available). */
#include "crypto.h"

#include <string.h>

size_t tls_aead_key_len(enum tls_aead_alg a)
{
    return a == TLS_AES_128_GCM ? 16 : 32;
}

static const br_block_ctr_class *aes_ctr(void)
{
    const br_block_ctr_class *c = br_aes_x86ni_ctr_get_vtable();
    return c ? c : &br_aes_ct64_ctr_vtable;
}

static br_ghash ghash(void)
{
    br_ghash g = br_ghash_pclmul_get();
    return g ? g : br_ghash_ctmul64;
}

void tls_aead_init(struct tls_aead *a, enum tls_aead_alg alg,
                   const uint8_t *key)
{
    memset(a, 0, sizeof *a);
    a->alg = alg;
    if (alg == TLS_CHACHA20_POLY1305) {
        memcpy(a->u.chapo.key, key, 32);
        br_chacha20_run c = br_chacha20_sse2_get();
        br_poly1305_run p = br_poly1305_ctmulq_get();
        a->u.chapo.chacha = c ? c : br_chacha20_ct_run;
        a->u.chapo.poly = p ? p : br_poly1305_ctmul_run;
        return;
    }
    const br_block_ctr_class *vt = aes_ctr();
    vt->init(&a->u.gcm.keys.vtable, key, tls_aead_key_len(alg));
    br_gcm_init(&a->u.gcm.gcm, &a->u.gcm.keys.vtable, ghash());
}

void tls_aead_seal(struct tls_aead *a, const uint8_t *nonce, const void *aad,
                   size_t aad_len, void *data, size_t len, uint8_t *tag)
{
    if (a->alg == TLS_CHACHA20_POLY1305) {
        a->u.chapo.poly(a->u.chapo.key, nonce, data, len, aad, aad_len, tag,
                        a->u.chapo.chacha, 1);
        return;
    }
    br_gcm_context *g = &a->u.gcm.gcm;
    br_gcm_reset(g, nonce, TLS_IV_LEN);
    br_gcm_aad_inject(g, aad, aad_len);
    br_gcm_flip(g);
    br_gcm_run(g, 1, data, len);
    br_gcm_get_tag(g, tag);
}

bool tls_aead_open(struct tls_aead *a, const uint8_t *nonce, const void *aad,
                   size_t aad_len, void *data, size_t len, const uint8_t *tag)
{
    if (a->alg == TLS_CHACHA20_POLY1305) {
        uint8_t want[TLS_AEAD_TAG];
        a->u.chapo.poly(a->u.chapo.key, nonce, data, len, aad, aad_len, want,
                        a->u.chapo.chacha, 0);
        return tls_ct_equal(want, tag, TLS_AEAD_TAG);
    }
    br_gcm_context *g = &a->u.gcm.gcm;
    br_gcm_reset(g, nonce, TLS_IV_LEN);
    br_gcm_aad_inject(g, aad, aad_len);
    br_gcm_flip(g);
    br_gcm_run(g, 0, data, len);
    return br_gcm_check_tag(g, tag) == 1;
}

void tls_aead_wipe(struct tls_aead *a)
{
    volatile uint8_t *p = (volatile uint8_t *)a;
    for (size_t i = 0; i < sizeof *a; i++)
        p[i] = 0;
}
