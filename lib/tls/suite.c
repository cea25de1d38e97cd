/* The cipher suites, signature schemes and groups we implement, in our
 * order of preference. */
#include "internal.h"

static const struct tls_suite suites[] = {
    {0x1301, "TLS_AES_128_GCM_SHA256", MIRAGE_TLS_1_3, TLS_AES_128_GCM,
     TLS_SHA256, TLS_KEY_NONE},
    {0x1302, "TLS_AES_256_GCM_SHA384", MIRAGE_TLS_1_3, TLS_AES_256_GCM,
     TLS_SHA384, TLS_KEY_NONE},
    {0x1303, "TLS_CHACHA20_POLY1305_SHA256", MIRAGE_TLS_1_3,
     TLS_CHACHA20_POLY1305, TLS_SHA256, TLS_KEY_NONE},
    {0xc02b, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", MIRAGE_TLS_1_2,
     TLS_AES_128_GCM, TLS_SHA256, TLS_KEY_EC},
    {0xc02f, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", MIRAGE_TLS_1_2,
     TLS_AES_128_GCM, TLS_SHA256, TLS_KEY_RSA},
    {0xc02c, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", MIRAGE_TLS_1_2,
     TLS_AES_256_GCM, TLS_SHA384, TLS_KEY_EC},
    {0xc030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", MIRAGE_TLS_1_2,
     TLS_AES_256_GCM, TLS_SHA384, TLS_KEY_RSA},
    {0xcca9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", MIRAGE_TLS_1_2,
     TLS_CHACHA20_POLY1305, TLS_SHA256, TLS_KEY_EC},
    {0xcca8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256", MIRAGE_TLS_1_2,
     TLS_CHACHA20_POLY1305, TLS_SHA256, TLS_KEY_RSA},
};
#define N_SUITES (sizeof suites / sizeof *suites)

const struct tls_suite *tls_suite_find(uint16_t id)
{
    for (size_t i = 0; i < N_SUITES; i++)
        if (suites[i].id == id)
            return &suites[i];
    return NULL;
}

const struct tls_suite *const *tls_suites_preferred(size_t *n)
{
    /* With AES-NI, AES-GCM is the fastest; without, ChaCha20. */
    static const struct tls_suite *aes_first[N_SUITES], *chacha_first[N_SUITES];
    static bool ready;
    if (!ready) {
        size_t a = 0, b = 0;
        for (size_t i = 0; i < N_SUITES; i++)
            aes_first[a++] = &suites[i];
        for (int pass = 0; pass < 2; pass++)
            for (size_t i = 0; i < N_SUITES; i++)
                if ((suites[i].aead == TLS_CHACHA20_POLY1305) == (pass == 0))
                    chacha_first[b++] = &suites[i];
        ready = true;
    }
    *n = N_SUITES;
    return br_aes_x86ni_ctr_get_vtable() ? aes_first : chacha_first;
}

const uint16_t tls_sig_schemes[] = {
    TLS_SIG_ECDSA_SECP256R1_SHA256, TLS_SIG_ECDSA_SECP384R1_SHA384,
    TLS_SIG_ECDSA_SECP521R1_SHA512, TLS_SIG_RSA_PSS_RSAE_SHA256,
    TLS_SIG_RSA_PSS_RSAE_SHA384,    TLS_SIG_RSA_PSS_RSAE_SHA512,
    TLS_SIG_RSA_PKCS1_SHA256,       TLS_SIG_RSA_PKCS1_SHA384,
    TLS_SIG_RSA_PKCS1_SHA512,
};
const size_t tls_n_sig_schemes =
    sizeof tls_sig_schemes / sizeof *tls_sig_schemes;

const uint16_t tls_groups[] = {TLS_GROUP_X25519, TLS_GROUP_SECP256R1,
                               TLS_GROUP_SECP384R1};
const size_t tls_n_groups = sizeof tls_groups / sizeof *tls_groups;

const uint8_t tls_downgrade_12[8] = {0x44, 0x4f, 0x57, 0x4e,
                                     0x47, 0x52, 0x44, 0x01};
const uint8_t tls_downgrade_11[8] = {0x44, 0x4f, 0x57, 0x4e,
                                     0x47, 0x52, 0x44, 0x00};
const uint8_t tls_hrr_random[32] = {
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c,
    0x02, 0x1e, 0x65, 0xb8, 0x91, 0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb,
    0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c};
