/* EMSA-PSS encoding and verification (RFC 8017 §9.1) with MGF1 (§B.2.1)
 * and a salt as long as the hash, as TLS's rsa_pss_rsae_* schemes use.
 * BearSSL 0.6 has the RSA operations and the hashes but not this
 * padding, so it is built here from those pieces: only byte shuffling
 * and hash calls, no arithmetic. */
#include "crypto.h"

#include <string.h>

/* dst[len] ^= MGF1(seed[slen]) */
static void mgf1_xor(enum tls_hash h, const uint8_t *seed, size_t slen,
                     uint8_t *dst, size_t len)
{
    size_t hl = tls_hash_len(h);
    uint8_t t[TLS_MAX_HASH];
    for (uint32_t counter = 0; len > 0; counter++) {
        struct tls_hash_ctx c;
        uint8_t cb[4] = {(uint8_t)(counter >> 24), (uint8_t)(counter >> 16),
                         (uint8_t)(counter >> 8), (uint8_t)counter};
        tls_hash_start(&c, h);
        tls_hash_update(&c, seed, slen);
        tls_hash_update(&c, cb, 4);
        tls_hash_peek(&c, t);
        size_t n = len < hl ? len : hl;
        for (size_t i = 0; i < n; i++)
            dst[i] ^= t[i];
        dst += n;
        len -= n;
    }
}

/* H = Hash(0x00 * 8 || mHash || salt) */
static void pss_h(enum tls_hash h, const uint8_t *mhash, const uint8_t *salt,
                  uint8_t *out)
{
    static const uint8_t zeros[8];
    size_t hl = tls_hash_len(h);
    struct tls_hash_ctx c;
    tls_hash_start(&c, h);
    tls_hash_update(&c, zeros, 8);
    tls_hash_update(&c, mhash, hl);
    tls_hash_update(&c, salt, hl);
    tls_hash_peek(&c, out);
}

bool tls_pss_encode(enum tls_hash h, const uint8_t *mhash, const uint8_t *salt,
                    unsigned mod_bits, uint8_t *em, size_t em_len)
{
    size_t hl = tls_hash_len(h);
    unsigned em_bits = mod_bits - 1;
    if (em_len != (em_bits + 7) / 8 || em_len < 2 * hl + 2)
        return false;
    size_t db_len = em_len - hl - 1;
    /* DB = PS (zeros) || 0x01 || salt; EM = maskedDB || H || 0xbc */
    memset(em, 0, db_len - hl - 1);
    em[db_len - hl - 1] = 0x01;
    memcpy(em + db_len - hl, salt, hl);
    pss_h(h, mhash, salt, em + db_len);
    mgf1_xor(h, em + db_len, hl, em, db_len);
    em[0] &= (uint8_t)(0xff >> (8 * em_len - em_bits));
    em[em_len - 1] = 0xbc;
    return true;
}

bool tls_pss_check(enum tls_hash h, const uint8_t *mhash, unsigned mod_bits,
                   const uint8_t *em_in, size_t em_len)
{
    size_t hl = tls_hash_len(h);
    unsigned em_bits = mod_bits - 1;
    uint8_t em[TLS_RSA_MAX_BYTES], want[TLS_MAX_HASH];
    if (em_len != (em_bits + 7) / 8 || em_len < 2 * hl + 2 ||
        em_len > sizeof em || em_in[em_len - 1] != 0xbc)
        return false;
    uint8_t top_mask = (uint8_t)(0xff >> (8 * em_len - em_bits));
    if (em_in[0] & ~top_mask)
        return false;
    size_t db_len = em_len - hl - 1;
    const uint8_t *hh = em_in + db_len;
    memcpy(em, em_in, db_len);
    mgf1_xor(h, hh, hl, em, db_len);
    em[0] &= top_mask;
    /* DB must be zeros, 0x01, then the salt. */
    size_t ps = db_len - hl - 1;
    for (size_t i = 0; i < ps; i++)
        if (em[i])
            return false;
    if (em[ps] != 0x01)
        return false;
    pss_h(h, mhash, em + ps + 1, want);
    return tls_ct_equal(want, hh, hl);
}
