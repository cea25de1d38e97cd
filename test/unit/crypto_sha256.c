/* SHA-256 (lib/random/sha256.c): the FIPS 180-4 example vectors, padding
 * boundaries, incremental hashing, and agreement with BearSSL's SHA-256
 * on deterministic pseudo-random inputs. */
#include "../../lib/random/sha256.h"

#include <bearssl.h>
#include <stdlib.h>

#include "hex.h"
#include "test.h"

static int digest_is(const void *msg, size_t len, const char *want_hex)
{
    uint8_t want[SHA256_SIZE], got[SHA256_SIZE];
    if (hex_decode(want_hex, want, sizeof want) != SHA256_SIZE)
        return 0;
    sha256(msg, len, got);
    return memcmp(got, want, SHA256_SIZE) == 0;
}

TEST(fips_180_examples)
{
    CHECK(digest_is("abc", 3,
                    "ba7816bf8f01cfea414140de5dae2223"
                    "b00361a396177a9cb410ff61f20015ad"));
    CHECK(digest_is("", 0,
                    "e3b0c44298fc1c149afbf4c8996fb924"
                    "27ae41e4649b934ca495991b7852b855"));
    const char *two =
        "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
    CHECK(digest_is(two, strlen(two),
                    "248d6a61d20638b8e5c026930c3e6039"
                    "a33ce45964ff2167f6ecedd419db06c1"));
    const char *four =
        "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn"
        "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu";
    CHECK(digest_is(four, strlen(four),
                    "cf5b16a778af8380036ce59e7b049237"
                    "0b249b11e8f07a51afac45037afee9d1"));
}

TEST(one_million_a_in_pieces)
{
    struct sha256 s;
    uint8_t chunk[1000], got[SHA256_SIZE], want[SHA256_SIZE];
    memset(chunk, 'a', sizeof chunk);
    sha256_init(&s);
    for (int i = 0; i < 1000; i++)
        sha256_update(&s, chunk, sizeof chunk);
    sha256_final(&s, got);
    hex_decode("cdc76e5c9914fb9281a1c7e284d73e67"
               "f1809a48a497200e046d39ccc7112cd0",
               want, sizeof want);
    CHECK(memcmp(got, want, SHA256_SIZE) == 0);
}

static void bearssl_sha256(const void *msg, size_t len, uint8_t *out)
{
    br_sha256_context c;
    br_sha256_init(&c);
    br_sha256_update(&c, msg, len);
    br_sha256_out(&c, out);
}

/* Every length around the padding boundaries (55, 56, 63, 64 ...). */
TEST(all_lengths_to_300_match_bearssl)
{
    uint8_t msg[300], got[SHA256_SIZE], want[SHA256_SIZE];
    uint64_t seed = 1;
    test_rand_fill(&seed, msg, sizeof msg);
    for (size_t len = 0; len <= sizeof msg; len++) {
        sha256(msg, len, got);
        bearssl_sha256(msg, len, want);
        CHECK(memcmp(got, want, SHA256_SIZE) == 0);
    }
}

/* Random messages fed in random-sized pieces, including empty ones. */
TEST(random_pieces_match_bearssl)
{
    uint64_t seed = 0x5eed;
    size_t cap = 1 << 16;
    uint8_t *msg = malloc(cap);
    CHECK(msg != NULL);
    for (int round = 0; round < 200; round++) {
        size_t len = (size_t)(test_rand(&seed) % cap);
        test_rand_fill(&seed, msg, len);
        struct sha256 s;
        sha256_init(&s);
        for (size_t off = 0; off < len;) {
            size_t piece = (size_t)(test_rand(&seed) % 200);
            if (piece > len - off)
                piece = len - off;
            sha256_update(&s, msg + off, piece);
            off += piece;
        }
        uint8_t got[SHA256_SIZE], want[SHA256_SIZE];
        sha256_final(&s, got);
        bearssl_sha256(msg, len, want);
        if (memcmp(got, want, SHA256_SIZE) != 0) {
            free(msg);
            CHECK(!"digest differs from BearSSL");
        }
    }
    free(msg);
}

TEST(empty_update_with_null_is_harmless)
{
    struct sha256 s;
    uint8_t got[SHA256_SIZE], want[SHA256_SIZE];
    sha256_init(&s);
    sha256_update(&s, NULL, 0);
    sha256_update(&s, "abc", 3);
    sha256_final(&s, got);
    sha256("abc", 3, want);
    CHECK(memcmp(got, want, SHA256_SIZE) == 0);
}

int main(void)
{
    return test_main();
}
