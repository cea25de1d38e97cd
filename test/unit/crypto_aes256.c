/* AES-256 (lib/random/aes256.c): the FIPS 197 and SP 800-38A vectors, the
 * key expansion of FIPS 197 appendix A.3, and agreement with BearSSL's
 * AES on deterministic pseudo-random keys and blocks. */
#include "../../lib/random/aes256.h"

#include <bearssl.h>

#include "hex.h"
#include "test.h"

static int encrypts_to(const char *key_hex, const char *in_hex,
                       const char *out_hex)
{
    uint8_t key[AES256_KEY], in[AES_BLOCK], want[AES_BLOCK], got[AES_BLOCK];
    if (hex_decode(key_hex, key, sizeof key) != AES256_KEY ||
        hex_decode(in_hex, in, sizeof in) != AES_BLOCK ||
        hex_decode(out_hex, want, sizeof want) != AES_BLOCK)
        return 0;
    struct aes256 k;
    aes256_init(&k, key);
    aes256_encrypt(&k, in, got);
    return memcmp(got, want, AES_BLOCK) == 0;
}

TEST(fips_197_appendix_c3)
{
    CHECK(encrypts_to("000102030405060708090a0b0c0d0e0f"
                      "101112131415161718191a1b1c1d1e1f",
                      "00112233445566778899aabbccddeeff",
                      "8ea2b7ca516745bfeafc49904b496089"));
}

TEST(sp800_38a_ecb_aes256)
{
    const char *key = "603deb1015ca71be2b73aef0857d7781"
                      "1f352c073b6108d72d9810a30914dff4";
    CHECK(encrypts_to(key, "6bc1bee22e409f96e93d7e117393172a",
                      "f3eed1bdb5d2a03c064b5a7e3db181f8"));
    CHECK(encrypts_to(key, "ae2d8a571e03ac9c9eb76fac45af8e51",
                      "591ccb10d410ed26dc5ba74a31362870"));
}

/* FIPS 197 A.3: the expansion of 603deb10... ends with w[56..59]. */
TEST(fips_197_key_expansion)
{
    uint8_t key[AES256_KEY], last[AES_BLOCK];
    hex_decode("603deb1015ca71be2b73aef0857d7781"
               "1f352c073b6108d72d9810a30914dff4",
               key, sizeof key);
    hex_decode("fe4890d1e6188d0b046df344706c631e", last, sizeof last);
    struct aes256 k;
    aes256_init(&k, key);
    CHECK(memcmp(k.rk, key, AES256_KEY) == 0);
    CHECK(memcmp(k.rk + 14 * AES_BLOCK, last, AES_BLOCK) == 0);
}

TEST(in_place_encryption)
{
    uint8_t key[AES256_KEY] = {1}, buf[AES_BLOCK] = {2}, out[AES_BLOCK];
    struct aes256 k;
    aes256_init(&k, key);
    aes256_encrypt(&k, buf, out);
    aes256_encrypt(&k, buf, buf);
    CHECK(memcmp(buf, out, AES_BLOCK) == 0);
}

/* One CBC block with a zero IV is the raw block cipher. */
static void bearssl_encrypt(const uint8_t *key, const uint8_t *in, uint8_t *out)
{
    br_aes_ct_cbcenc_keys k;
    uint8_t iv[AES_BLOCK] = {0};
    br_aes_ct_cbcenc_init(&k, key, AES256_KEY);
    memcpy(out, in, AES_BLOCK);
    br_aes_ct_cbcenc_run(&k, iv, out, AES_BLOCK);
}

TEST(random_keys_match_bearssl)
{
    uint64_t seed = 0xae5;
    for (int round = 0; round < 2000; round++) {
        uint8_t key[AES256_KEY], in[AES_BLOCK], got[AES_BLOCK], want[AES_BLOCK];
        test_rand_fill(&seed, key, sizeof key);
        test_rand_fill(&seed, in, sizeof in);
        struct aes256 k;
        aes256_init(&k, key);
        aes256_encrypt(&k, in, got);
        bearssl_encrypt(key, in, want);
        CHECK(memcmp(got, want, AES_BLOCK) == 0);
    }
}

TEST(hex_helper_rejects_malformed_vectors)
{
    uint8_t buf[4];
    CHECK_INT(hex_decode("abc", buf, sizeof buf), -1);
    CHECK_INT(hex_decode("zz", buf, sizeof buf), -1);
    CHECK_INT(hex_decode("0011223344", buf, sizeof buf), -1);
    CHECK_INT(hex_decode("a0ff", buf, sizeof buf), 2);
    CHECK_INT(buf[0], 0xa0);
    CHECK_INT(buf[1], 0xff);
}

int main(void)
{
    return test_main();
}
