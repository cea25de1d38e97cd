/* default_random: the platform's entropy source when it has one (the
 * kernel's getrandom() on unix), otherwise a Fortuna generator seeded at
 * connect from whatever platform entropy there is plus clock jitter, and
 * fed the time of every request. The generator is kept ready on every
 * target, so a request still succeeds if the platform source fails. */
#include <mirage/error.h>
#include <mirage/plat.h>
#include <mirage/random.h>
#include <string.h>

#include "fortuna.h"

/* Entropy source numbers in Fortuna events. */
enum { SOURCE_JITTER = 0, SOURCE_REQUEST = 1 };
/* Clock samples taken at connect; each gives a few bits of jitter. */
#define JITTER_SAMPLES 128

struct random_dev {
    struct mirage_random dev;
    struct fortuna fortuna;
    unsigned next_pool; /* pools are fed round-robin */
    bool connected;
};

static int generate(struct mirage_random *r, void *buf, size_t len);
static const struct mirage_random_ops random_ops = {.generate = generate};
static struct random_dev rng = {.dev = {&random_ops}};

static void add_time_event(struct random_dev *d, uint8_t source, uint64_t ns)
{
    fortuna_add_event(&d->fortuna, source, d->next_pool, &ns, sizeof ns);
    d->next_pool = (d->next_pool + 1) % FORTUNA_POOLS;
}

/* Time a small, varying amount of work repeatedly: the variation of its
 * duration (caches, interrupts, frequency changes, the host's scheduling)
 * is the jitter. All samples go into the initial seed, and each also into
 * a pool. Kept cheap: on hvt under instruction emulation each instruction
 * costs about a microsecond. */
static void seed_from_jitter(struct random_dev *d, struct sha256 *seed)
{
    uint64_t prev = plat_clock_monotonic();
    volatile uint64_t work = prev;
    for (int i = 0; i < JITTER_SAMPLES; i++) {
        for (uint64_t n = 8 + (prev & 15); n > 0; n--)
            work = work * 6364136223846793005ull + 1442695040888963407ull;
        uint64_t now = plat_clock_monotonic();
        uint64_t delta = now - prev;
        prev = now;
        sha256_update(seed, &delta, sizeof delta);
        add_time_event(d, SOURCE_JITTER, delta);
    }
}

static void connect_once(struct random_dev *d)
{
    struct sha256 seed;
    uint8_t host[SHA256_SIZE], digest[SHA256_SIZE];
    uint64_t wall = plat_clock_wall();
    fortuna_init(&d->fortuna);
    sha256_init(&seed);
    if (plat_entropy(host, sizeof host) == PLAT_OK)
        sha256_update(&seed, host, sizeof host);
    sha256_update(&seed, &wall, sizeof wall);
    seed_from_jitter(d, &seed);
    sha256_final(&seed, digest);
    fortuna_reseed(&d->fortuna, digest, sizeof digest);
    memset(host, 0, sizeof host);
    memset(digest, 0, sizeof digest);
    d->connected = true;
}

int mirage_random_connect_default(struct mirage_random **out)
{
    if (!rng.connected)
        connect_once(&rng);
    *out = &rng.dev;
    return 0;
}

static int generate(struct mirage_random *r, void *buf, size_t len)
{
    struct random_dev *d = (struct random_dev *)r;
    if (len == 0)
        return 0;
    if (!buf)
        return MIRAGE_EINVAL;
    if (plat_entropy(buf, len) == PLAT_OK)
        return 0;
    unsigned char *p = buf;
    while (len > 0) {
        size_t n = len < FORTUNA_MAX_REQUEST ? len : FORTUNA_MAX_REQUEST;
        uint64_t now = plat_clock_monotonic();
        add_time_event(d, SOURCE_REQUEST, now);
        int err = fortuna_generate(&d->fortuna, now, p, n);
        if (err)
            return err;
        p += n;
        len -= n;
    }
    return 0;
}
