/* The constructions lib/tls builds on BearSSL's primitives: HKDF and the
 * TLS 1.2 PRF (checked against BearSSL's own br_hkdf and
 * br_tls12_*_prf), the AEADs (published vectors, round trips, tampering),
 * ECDHE (both sides agree; bad points and the X25519 identity refused),
 * signatures of every scheme with keys parsed from PEM (round trips,
 * tampering, the TLS 1.3 restrictions), and PEM decoding's strictness. */
#include "../../lib/tls/internal.h"
#include "../../lib/tls/pem.h"
#include "test.h"
#include "tls_certgen.h"

#include <mirage/error.h>

static void fill(uint8_t *p, size_t n, uint32_t seed)
{
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        p[i] = (uint8_t)(seed >> 16);
    }
}

TEST(hkdf_matches_bearssl)
{
    enum tls_hash hs[] = {TLS_SHA256, TLS_SHA384};
    for (int k = 0; k < 2; k++)
        for (uint32_t i = 0; i < 20; i++) {
            size_t hl = tls_hash_len(hs[k]), ilen = 1 + i * 13 % 100,
                   olen = 1 + i * 37 % 200;
            uint8_t salt[64], ikm[128], info[64], prk[64], ours[256],
                theirs[256];
            fill(salt, hl, i);
            fill(ikm, ilen, i + 100);
            fill(info, i % 50, i + 200);
            tls_hkdf_extract(hs[k], salt, ikm, ilen, prk);
            tls_hkdf_expand(hs[k], prk, info, i % 50, ours, olen);
            br_hkdf_context c;
            br_hkdf_init(&c, tls_hash_class(hs[k]), salt, hl);
            br_hkdf_inject(&c, ikm, ilen);
            br_hkdf_flip(&c);
            br_hkdf_produce(&c, info, i % 50, theirs, olen);
            CHECK(memcmp(ours, theirs, olen) == 0);
        }
}

TEST(tls12_prf_matches_bearssl)
{
    for (uint32_t i = 0; i < 20; i++) {
        uint8_t secret[48], s1[32], s2[32], ours[200], theirs[200];
        size_t len = 1 + i * 29 % 200;
        fill(secret, sizeof secret, i);
        fill(s1, 32, i + 1);
        fill(s2, 32, i + 2);
        br_tls_prf_seed_chunk seed[2] = {{s1, 32}, {s2, 32}};
        tls12_prf(TLS_SHA256, secret, 48, "key expansion", s1, 32, s2, 32, ours,
                  len);
        br_tls12_sha256_prf(theirs, len, secret, 48, "key expansion", 2, seed);
        CHECK(memcmp(ours, theirs, len) == 0);
        tls12_prf(TLS_SHA384, secret, 48, "master secret", s1, 32, NULL, 0,
                  ours, len);
        br_tls12_sha384_prf(theirs, len, secret, 48, "master secret", 1, seed);
        CHECK(memcmp(ours, theirs, len) == 0);
    }
}

/* ---- AEAD --------------------------------------------------------------- */

TEST(aes_gcm_vectors)
{
    cg_reset();
    /* The GCM specification's test cases 2 (AES-128) and 14 (AES-256):
     * a zero key, IV and block. */
    uint8_t key[32] = {0}, nonce[12] = {0}, data[16] = {0}, tag[16];
    struct tls_aead a;
    tls_aead_init(&a, TLS_AES_128_GCM, key);
    tls_aead_seal(&a, nonce, NULL, 0, data, 16, tag);
    CHECK(memcmp(data, cg_hex("0388dace60b6a392f328c2b971b2fe78").p, 16) == 0);
    CHECK(memcmp(tag, cg_hex("ab6e47d42cec13bdf53a67b21257bddf").p, 16) == 0);
    memset(data, 0, 16);
    tls_aead_init(&a, TLS_AES_256_GCM, key);
    tls_aead_seal(&a, nonce, NULL, 0, data, 16, tag);
    CHECK(memcmp(data, cg_hex("cea7403d4d606b6e074ec5d3baf39d18").p, 16) == 0);
    CHECK(memcmp(tag, cg_hex("d0d1c8a799996bf0265b98b5d48ab919").p, 16) == 0);
}

TEST(chacha20_poly1305_vector)
{
    cg_reset();
    /* RFC 8439 §2.8.2 */
    static const char text[] = "Ladies and Gentlemen of the class of '99: If I "
                               "could offer you only one tip for the future, "
                               "sunscreen would be it.";
    uint8_t key[32], data[sizeof text], tag[16];
    for (int i = 0; i < 32; i++)
        key[i] = (uint8_t)(0x80 + i);
    struct blob nonce = cg_hex("07000000 4041424344454647");
    struct blob aad = cg_hex("50515253 c0c1c2c3c4c5c6c7");
    memcpy(data, text, sizeof text - 1);
    struct tls_aead a;
    tls_aead_init(&a, TLS_CHACHA20_POLY1305, key);
    tls_aead_seal(&a, nonce.p, aad.p, aad.n, data, sizeof text - 1, tag);
    CHECK(memcmp(data, cg_hex("d31a8d34648e60db7b86afbc53ef7ec2").p, 16) == 0);
    CHECK(memcmp(tag, cg_hex("1ae10b594f09e26a7e902ecbd0600691").p, 16) == 0);
    CHECK(tls_aead_open(&a, nonce.p, aad.p, aad.n, data, sizeof text - 1, tag));
    CHECK(memcmp(data, text, sizeof text - 1) == 0);
}

TEST(aead_round_trips_and_tampering)
{
    enum tls_aead_alg algs[] = {TLS_AES_128_GCM, TLS_AES_256_GCM,
                                TLS_CHACHA20_POLY1305};
    for (int k = 0; k < 3; k++)
        for (size_t len = 0; len < 300; len += 37) {
            uint8_t key[32], nonce[12], aad[13], data[300], orig[300], tag[16];
            fill(key, 32, (uint32_t)len);
            fill(nonce, 12, (uint32_t)len + 1);
            fill(aad, 13, (uint32_t)len + 2);
            fill(orig, len, (uint32_t)len + 3);
            memcpy(data, orig, len);
            struct tls_aead a;
            tls_aead_init(&a, algs[k], key);
            tls_aead_seal(&a, nonce, aad, 13, data, len, tag);
            CHECK(len == 0 || memcmp(data, orig, len) != 0);
            uint8_t copy[300];
            memcpy(copy, data, len);
            CHECK(tls_aead_open(&a, nonce, aad, 13, copy, len, tag));
            CHECK(memcmp(copy, orig, len) == 0);
            /* a bit anywhere: ciphertext, tag, additional data, nonce */
            if (len) {
                memcpy(copy, data, len);
                copy[len / 2] ^= 1;
                CHECK(!tls_aead_open(&a, nonce, aad, 13, copy, len, tag));
            }
            tag[15] ^= 0x80;
            memcpy(copy, data, len);
            CHECK(!tls_aead_open(&a, nonce, aad, 13, copy, len, tag));
            tag[15] ^= 0x80;
            aad[0] ^= 1;
            memcpy(copy, data, len);
            CHECK(!tls_aead_open(&a, nonce, aad, 13, copy, len, tag));
            aad[0] ^= 1;
            nonce[11] ^= 1;
            memcpy(copy, data, len);
            CHECK(!tls_aead_open(&a, nonce, aad, 13, copy, len, tag));
        }
}

/* ---- ECDHE --------------------------------------------------------------- */

TEST(ecdhe_both_sides_agree)
{
    uint16_t groups[] = {TLS_GROUP_X25519, TLS_GROUP_SECP256R1,
                         TLS_GROUP_SECP384R1};
    for (int g = 0; g < 3; g++) {
        struct tls_kex a, b;
        uint8_t pa[TLS_KEX_MAX_PUB], pb[TLS_KEX_MAX_PUB], sa[48], sb[48];
        size_t la, lb, ka, kb;
        CHECK_INT(tls_kex_keygen(&a, groups[g], cg_random(), pa, &la), 0);
        CHECK_INT(tls_kex_keygen(&b, groups[g], cg_random(), pb, &lb), 0);
        CHECK(tls_kex_derive(&a, pb, lb, sa, &ka));
        CHECK(tls_kex_derive(&b, pa, la, sb, &kb));
        CHECK(ka == kb && memcmp(sa, sb, ka) == 0);
        /* wrong length, compressed form, a point off the curve */
        CHECK(!tls_kex_derive(&a, pb, lb - 1, sa, &ka));
        if (groups[g] != TLS_GROUP_X25519) {
            pb[0] = 2;
            CHECK(!tls_kex_derive(&a, pb, lb, sa, &ka));
            pb[0] = 4;
            pb[lb - 1] ^= 1;
            CHECK(!tls_kex_derive(&a, pb, lb, sa, &ka));
        }
    }
    /* X25519's identity: an all-zero shared secret is refused. */
    struct tls_kex a;
    uint8_t p[TLS_KEX_MAX_PUB], zero[32] = {0}, s[32];
    size_t l, k;
    tls_kex_keygen(&a, TLS_GROUP_X25519, cg_random(), p, &l);
    CHECK(!tls_kex_derive(&a, zero, 32, s, &k));
    CHECK(!tls_group_supported(0x0019) && !tls_group_supported(0x0100));
}

/* ---- Signatures -----------------------------------------------------------
 */

static void key_of(struct cg_key *k, struct tls_privkey *out, bool pkcs8)
{
    const char *pem = cg_key_pem(k, pkcs8);
    uint8_t buf[4096];
    size_t pos = 0;
    struct pem_block b;
    if (pem_next(pem, strlen(pem), &pos, buf, sizeof buf, &b) != 1 ||
        tls_key_parse(b.label, b.der, b.der_len, out))
        memset(out, 0, sizeof *out);
}

TEST(signatures_every_scheme)
{
    cg_reset();
    struct cg_key rsa, p256, p384;
    cg_key_rsa(&rsa, 2048);
    cg_key_ec(&p256, BR_EC_secp256r1);
    cg_key_ec(&p384, BR_EC_secp384r1);
    static struct tls_privkey krsa, k256, k384;
    key_of(&rsa, &krsa, false);
    key_of(&p256, &k256, true);
    key_of(&p384, &k384, false);
    CHECK(krsa.type == TLS_KEY_RSA && k256.type == TLS_KEY_EC &&
          k384.type == TLS_KEY_EC);
    struct {
        uint16_t scheme;
        struct tls_privkey *k;
        bool tls13;
    } cases[] = {
        {TLS_SIG_RSA_PSS_RSAE_SHA256, &krsa, true},
        {TLS_SIG_RSA_PSS_RSAE_SHA384, &krsa, true},
        {TLS_SIG_RSA_PSS_RSAE_SHA512, &krsa, true},
        {TLS_SIG_RSA_PKCS1_SHA256, &krsa, false},
        {TLS_SIG_RSA_PKCS1_SHA384, &krsa, false},
        {TLS_SIG_RSA_PKCS1_SHA512, &krsa, false},
        {TLS_SIG_ECDSA_SECP256R1_SHA256, &k256, true},
        {TLS_SIG_ECDSA_SECP384R1_SHA384, &k384, true},
    };
    uint8_t msg[200], sig[TLS_MAX_SIG];
    fill(msg, sizeof msg, 7);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        struct tls_pubkey pub;
        size_t len;
        tls_key_public(cases[i].k, &pub);
        CHECK(tls_sig_fits(cases[i].scheme, pub.type, pub.curve, true) ==
              cases[i].tls13);
        CHECK(tls_sig_fits(cases[i].scheme, pub.type, pub.curve, false));
        CHECK_INT(tls_sign(cases[i].scheme, cases[i].k, cg_random(), msg,
                           sizeof msg, sig, &len),
                  0);
        CHECK(tls_verify(cases[i].scheme, &pub, msg, sizeof msg, sig, len));
        msg[3] ^= 1;
        CHECK(!tls_verify(cases[i].scheme, &pub, msg, sizeof msg, sig, len));
        msg[3] ^= 1;
        sig[len - 1] ^= 1;
        CHECK(!tls_verify(cases[i].scheme, &pub, msg, sizeof msg, sig, len));
        CHECK(
            !tls_verify(cases[i].scheme, &pub, msg, sizeof msg, sig, len - 1));
    }
    /* PSS and PKCS#1 signatures are not each other's */
    struct tls_pubkey pub;
    size_t len;
    tls_key_public(&krsa, &pub);
    tls_sign(TLS_SIG_RSA_PSS_RSAE_SHA256, &krsa, cg_random(), msg, 10, sig,
             &len);
    CHECK(!tls_verify(TLS_SIG_RSA_PKCS1_SHA256, &pub, msg, 10, sig, len));
    tls_sign(TLS_SIG_RSA_PKCS1_SHA256, &krsa, cg_random(), msg, 10, sig, &len);
    CHECK(!tls_verify(TLS_SIG_RSA_PSS_RSAE_SHA256, &pub, msg, 10, sig, len));
    /* a scheme for another key type */
    CHECK_INT(tls_sign(TLS_SIG_RSA_PSS_RSAE_SHA256, &k256, cg_random(), msg, 10,
                       sig, &len),
              MIRAGE_EINVAL);
    CHECK(!tls_sig_fits(TLS_SIG_ECDSA_SECP384R1_SHA384, TLS_KEY_EC,
                        BR_EC_secp256r1, true));
    CHECK(!tls_sig_scheme(0x0201, NULL)); /* SHA-1 */
}

/* ---- PEM --------------------------------------------------------------------
 */

static int pem1(const char *text)
{
    uint8_t buf[256];
    size_t pos = 0;
    struct pem_block b;
    return pem_next(text, strlen(text), &pos, buf, sizeof buf, &b);
}

TEST(pem_strictness)
{
    CHECK_INT(pem1("-----BEGIN X-----\nAAEC\n-----END X-----\n"), 1);
    CHECK_INT(pem1("junk before\n-----BEGIN X-----\r\nAAE=\r\n-----END X-----"),
              1);
    CHECK_INT(pem1("-----BEGIN X-----\nAA==\n-----END X-----\n"), 1);
    CHECK_INT(pem1("no block here"), 0);
    CHECK_INT(pem1("-----BEGIN X-----\nAAEC\n"), MIRAGE_EBADF);
    CHECK_INT(pem1("-----BEGIN X-----\nAAEC\n-----END Y-----\n"), MIRAGE_EBADF);
    CHECK_INT(pem1("-----BEGIN X-----\nAA=C\n-----END X-----\n"), MIRAGE_EBADF);
    CHECK_INT(pem1("-----BEGIN X-----\nAAE\n-----END X-----\n"), MIRAGE_EBADF);
    CHECK_INT(pem1("-----BEGIN X-----\nAB==\n-----END X-----\n"), MIRAGE_EBADF);
    CHECK_INT(pem1("-----BEGIN X-----\nAA*C\n-----END X-----\n"), MIRAGE_EBADF);
    CHECK_INT(pem1("-----BEGIN X-----\n\n-----END X-----\n"), MIRAGE_EBADF);
    CHECK_INT(pem1("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"
                   "AAEC\n-----END RSA PRIVATE KEY-----\n"),
              MIRAGE_EBADF);
    uint8_t small[2];
    size_t pos = 0;
    struct pem_block b;
    static const char t[] = "-----BEGIN X-----\nAAECAwQF\n-----END X-----\n";
    CHECK_INT(pem_next(t, strlen(t), &pos, small, sizeof small, &b),
              MIRAGE_ENOSPC);
}

TEST(keys_of_every_form)
{
    cg_reset();
    struct cg_key rsa, ec;
    cg_key_rsa(&rsa, 1024);
    cg_key_ec(&ec, BR_EC_secp256r1);
    static struct tls_privkey k;
    for (int f = 0; f < 2; f++) {
        key_of(&rsa, &k, f);
        CHECK_INT(k.type, TLS_KEY_RSA);
        CHECK_INT(k.rsa.n_bitlen, 1024);
        key_of(&ec, &k, f);
        CHECK_INT(k.type, TLS_KEY_EC);
        CHECK(k.q_len == 65 && memcmp(k.pub, ec.epk.q, 65) == 0);
    }
    CHECK_INT(
        tls_key_parse("DSA PRIVATE KEY", (const uint8_t *)"\x30\x00", 2, &k),
        MIRAGE_ENOTSUP);
    CHECK_INT(tls_key_parse("PRIVATE KEY", (const uint8_t *)"\x30\x00", 2, &k),
              MIRAGE_EBADF);
}

int main(void)
{
    return test_main();
}
