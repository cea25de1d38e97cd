/* The Fortuna generator (lib/random/fortuna.c) with a fake entropy source:
 * a known answer computed from its definition, rekeying after each
 * request, the limits, and reseeding from the pools on Fortuna's
 * schedule (pool 0 size, 100 ms spacing, pool i every 2^i-th reseed). */
#include "../../lib/random/fortuna.h"

#include <mirage/error.h>

#include "hex.h"
#include "test.h"

#define MS 1000000ull

static void sha256d(const void *a, size_t alen, const void *b, size_t blen,
                    uint8_t out[SHA256_SIZE])
{
    struct sha256 s;
    uint8_t zero[SHA256_BLOCK] = {0}, inner[SHA256_SIZE];
    sha256_init(&s);
    sha256_update(&s, zero, sizeof zero);
    sha256_update(&s, a, alen);
    sha256_update(&s, b, blen);
    sha256_final(&s, inner);
    sha256(inner, sizeof inner, out);
}

static void counter_block(uint8_t n, uint8_t out[AES_BLOCK])
{
    memset(out, 0, AES_BLOCK);
    out[0] = n; /* least significant byte first */
}

static struct fortuna *seeded(const char *seed)
{
    static struct fortuna f[4];
    static int next;
    struct fortuna *p = &f[next++ % 4];
    fortuna_init(p);
    fortuna_reseed(p, seed, strlen(seed));
    return p;
}

TEST(unseeded_generator_refuses)
{
    struct fortuna f;
    uint8_t out[16];
    fortuna_init(&f);
    CHECK_INT(fortuna_generate(&f, 0, out, sizeof out), MIRAGE_EAGAIN);
}

/* Built from the definition: K1 = SHA-256d(0^256 || seed), counter 1;
 * output AES(K1, 1) || AES(K1, 2); then K2 = AES(K1, 3) || AES(K1, 4) and
 * the next request starts at counter 5 under K2. */
TEST(known_answer_and_rekey)
{
    struct fortuna *f = seeded("seed");
    uint8_t zero_key[AES256_KEY] = {0}, k1[AES256_KEY], k2[AES256_KEY];
    sha256d(zero_key, sizeof zero_key, "seed", 4, k1);
    struct aes256 c1, c2;
    aes256_init(&c1, k1);
    uint8_t want[32], ctr[AES_BLOCK];
    for (int i = 0; i < 2; i++) {
        counter_block((uint8_t)(1 + i), ctr);
        aes256_encrypt(&c1, ctr, want + 16 * i);
    }
    for (int i = 0; i < 2; i++) {
        counter_block((uint8_t)(3 + i), ctr);
        aes256_encrypt(&c1, ctr, k2 + 16 * i);
    }
    uint8_t got[32];
    CHECK_INT(fortuna_generate(f, 0, got, sizeof got), 0);
    CHECK(memcmp(got, want, sizeof got) == 0);

    aes256_init(&c2, k2);
    counter_block(5, ctr);
    aes256_encrypt(&c2, ctr, want);
    CHECK_INT(fortuna_generate(f, 0, got, 10), 0);
    CHECK(memcmp(got, want, 10) == 0);
}

TEST(same_seed_same_stream_other_seed_other_stream)
{
    uint8_t a[64], b[64], c[64];
    CHECK_INT(fortuna_generate(seeded("one"), 0, a, sizeof a), 0);
    CHECK_INT(fortuna_generate(seeded("one"), 0, b, sizeof b), 0);
    CHECK_INT(fortuna_generate(seeded("two"), 0, c, sizeof c), 0);
    CHECK(memcmp(a, b, sizeof a) == 0);
    CHECK(memcmp(a, c, sizeof a) != 0);
}

TEST(request_limits)
{
    struct fortuna *f = seeded("limits");
    static uint8_t big[FORTUNA_MAX_REQUEST + 1];
    CHECK_INT(fortuna_generate(f, 0, big, sizeof big), MIRAGE_EINVAL);
    CHECK_INT(fortuna_generate(f, 0, big, FORTUNA_MAX_REQUEST), 0);
    CHECK_INT(fortuna_generate(f, 0, NULL, 1), MIRAGE_EINVAL);
    CHECK_INT(fortuna_generate(f, 0, NULL, 0), 0);
}

TEST(event_limits)
{
    struct fortuna f;
    uint8_t e[FORTUNA_MAX_EVENT + 1] = {0};
    fortuna_init(&f);
    CHECK_INT(fortuna_add_event(&f, 0, FORTUNA_POOLS, e, 1), MIRAGE_EINVAL);
    CHECK_INT(fortuna_add_event(&f, 0, 0, e, 0), MIRAGE_EINVAL);
    CHECK_INT(fortuna_add_event(&f, 0, 0, e, sizeof e), MIRAGE_EINVAL);
    CHECK_INT(fortuna_add_event(&f, 0, 0, NULL, 1), MIRAGE_EINVAL);
    CHECK_INT(fortuna_add_event(&f, 0, FORTUNA_POOLS - 1, e, 32), 0);
    CHECK_INT(f.pool0_bytes, 0);
    CHECK_INT(fortuna_add_event(&f, 7, 0, e, 32), 0);
    CHECK_INT(f.pool0_bytes, 34);
}

/* A fake entropy source: n events of 32 bytes derived from tag. */
static void feed(struct fortuna *f, unsigned pool, int n, uint64_t tag)
{
    for (int i = 0; i < n; i++) {
        uint8_t e[32];
        uint64_t s = tag * 1000 + (uint64_t)i + 1;
        test_rand_fill(&s, e, sizeof e);
        CHECK_INT(fortuna_add_event(f, 3, pool, e, sizeof e), 0);
    }
}

TEST(pools_alone_seed_the_generator)
{
    struct fortuna f;
    uint8_t out[16];
    fortuna_init(&f);
    feed(&f, 0, 1, 1); /* 34 bytes: not enough */
    CHECK_INT(fortuna_generate(&f, 0, out, sizeof out), MIRAGE_EAGAIN);
    feed(&f, 0, 1, 2); /* 68 bytes */
    CHECK_INT(fortuna_generate(&f, 0, out, sizeof out), 0);
    CHECK_INT(f.reseeds, 1);
    CHECK_INT(f.pool0_bytes, 0);
}

TEST(reseeds_at_most_every_100ms)
{
    struct fortuna *a = seeded("r"), *b = seeded("r");
    uint8_t x[16], y[16];
    feed(a, 0, 2, 5);
    CHECK_INT(fortuna_generate(a, 1000 * MS, x, sizeof x), 0);
    CHECK_INT(fortuna_generate(b, 1000 * MS, y, sizeof y), 0);
    CHECK_INT(a->reseeds, 1);
    CHECK(memcmp(x, y, sizeof x) != 0);

    feed(a, 0, 2, 6);
    CHECK_INT(fortuna_generate(a, 1050 * MS, x, sizeof x), 0);
    CHECK_INT(a->reseeds, 1);
    CHECK_INT(fortuna_generate(a, 1100 * MS, x, sizeof x), 0);
    CHECK_INT(a->reseeds, 2);
}

/* Pool 1 takes part in the second reseed, not the first. */
TEST(pool_schedule)
{
    struct fortuna *a = seeded("s"), *b = seeded("s");
    uint8_t x[16], y[16];
    feed(a, 1, 1, 9);
    feed(a, 0, 2, 7);
    feed(b, 0, 2, 7);
    CHECK_INT(fortuna_generate(a, 1000 * MS, x, sizeof x), 0);
    CHECK_INT(fortuna_generate(b, 1000 * MS, y, sizeof y), 0);
    CHECK(memcmp(x, y, sizeof x) == 0);
    feed(a, 0, 2, 8);
    feed(b, 0, 2, 8);
    CHECK_INT(fortuna_generate(a, 2000 * MS, x, sizeof x), 0);
    CHECK_INT(fortuna_generate(b, 2000 * MS, y, sizeof y), 0);
    CHECK_INT(a->reseeds, 2);
    CHECK(memcmp(x, y, sizeof x) != 0);
}

int main(void)
{
    return test_main();
}
