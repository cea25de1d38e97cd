/* The feeding of a Fortuna generator (seeding.h). */
#include "seeding.h"

#include <mirage/plat.h>
#include <string.h>

/* Clock samples taken at start (each gives a few bits of jitter), and at
 * each later feeding. */
#define JITTER_SAMPLES 128
#define FEED_SAMPLES   16

static void event(struct seeded *s, uint8_t source, const void *data,
                  size_t len)
{
    fortuna_add_event(&s->fortuna, source, s->next_pool, data, len);
    s->next_pool = (s->next_pool + 1) % FORTUNA_POOLS;
}

/* Time a small, varying amount of work repeatedly: the variation of its
 * duration (caches, interrupts, frequency changes, the host's scheduling)
 * is the jitter. Each sample goes into a pool, and into seed when given.
 * Kept cheap: on hvt under instruction emulation each instruction costs
 * about a microsecond. */
static void jitter(struct seeded *s, int samples, struct sha256 *seed)
{
    uint64_t prev = plat_clock_monotonic();
    volatile uint64_t work = prev;
    for (int i = 0; i < samples; i++) {
        for (uint64_t n = 8 + (prev & 15); n > 0; n--)
            work = work * 6364136223846793005ull + 1442695040888963407ull;
        uint64_t now = plat_clock_monotonic();
        uint64_t delta = now - prev;
        prev = now;
        if (seed)
            sha256_update(seed, &delta, sizeof delta);
        event(s, SOURCE_JITTER, &delta, sizeof delta);
    }
}

void seeded_init(struct seeded *s)
{
    struct sha256 seed;
    uint8_t host[SHA256_SIZE], digest[SHA256_SIZE];
    uint64_t wall = plat_clock_wall();
    fortuna_init(&s->fortuna);
    s->next_pool = 0;
    sha256_init(&seed);
    if (plat_entropy(host, sizeof host) == PLAT_OK)
        sha256_update(&seed, host, sizeof host);
    sha256_update(&seed, &wall, sizeof wall);
    jitter(s, JITTER_SAMPLES, &seed);
    sha256_final(&seed, digest);
    fortuna_reseed(&s->fortuna, digest, sizeof digest);
    memset(host, 0, sizeof host);
    memset(digest, 0, sizeof digest);
}

void seeded_feed(struct seeded *s)
{
    uint8_t host[FORTUNA_MAX_EVENT];
    if (plat_entropy(host, sizeof host) == PLAT_OK)
        event(s, SOURCE_PLATFORM, host, sizeof host);
    jitter(s, FEED_SAMPLES, NULL);
    memset(host, 0, sizeof host);
}

int seeded_generate(struct seeded *s, uint64_t now, void *buf, size_t len)
{
    unsigned char *p = buf;
    while (len > 0) {
        size_t n = len < FORTUNA_MAX_REQUEST ? len : FORTUNA_MAX_REQUEST;
        event(s, SOURCE_REQUEST, &now, sizeof now);
        int err = fortuna_generate(&s->fortuna, now, p, n);
        if (err)
            return err;
        p += n;
        len -= n;
    }
    return 0;
}
