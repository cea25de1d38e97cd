/* rng (random.h; MirageOS's `rng ?time ?mclock ()`, Mirage_crypto_rng): a
 * Fortuna generator on every target, every output drawn from it (where
 * default_random prefers the platform's source). Seeded at connect from
 * the platform's entropy source, the wall clock and clock jitter; fed
 * again every second by a fiber when there is a time device; each request
 * adds its time, from the monotonic clock device when there is one. */
#include <mirage/clock.h>
#include <mirage/error.h>
#include <mirage/fiber.h>
#include <mirage/plat.h>
#include <mirage/random.h>
#include <mirage/time.h>
#include <stdlib.h>

#include "seeding.h"

#define FEED_PERIOD MIRAGE_SEC(1)

struct rng_dev {
    struct mirage_random dev;
    struct seeded seeded;
    struct mirage_time *time;
    struct mirage_mclock *mclock;
};

static int rng_generate(struct mirage_random *r, void *buf, size_t len)
{
    struct rng_dev *d = (struct rng_dev *)r;
    if (len == 0)
        return 0;
    if (!buf)
        return MIRAGE_EINVAL;
    uint64_t now = d->mclock ? mirage_mclock_elapsed_ns(d->mclock)
                             : plat_clock_monotonic();
    return seeded_generate(&d->seeded, now, buf, len);
}

static const struct mirage_random_ops rng_ops = {.generate = rng_generate};

static int feeder(void *arg)
{
    struct rng_dev *d = arg;
    for (;;) {
        mirage_time_sleep_ns(d->time, FEED_PERIOD);
        seeded_feed(&d->seeded);
    }
    return 0;
}

int mirage_random_connect_rng(struct mirage_random **out,
                              struct mirage_time *time,
                              struct mirage_mclock *mclock)
{
    struct rng_dev *d = calloc(1, sizeof *d);
    if (!d)
        return MIRAGE_ENOMEM;
    d->dev.ops = &rng_ops;
    d->time = time;
    d->mclock = mclock;
    seeded_init(&d->seeded);
    if (time) {
        struct mirage_fiber *f = mirage_fiber_spawn(feeder, d, 8192);
        if (!f) {
            free(d);
            return MIRAGE_ENOMEM;
        }
        mirage_fiber_detach(f);
    }
    *out = &d->dev;
    return 0;
}
