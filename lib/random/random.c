/* default_random: the platform's entropy source when it has one (the
 * kernel's getrandom() on unix), otherwise a Fortuna generator seeded at
 * connect from whatever platform entropy there is plus clock jitter, and
 * fed the time of every request. The generator is kept ready on every
 * target, so a request still succeeds if the platform source fails. */
#include <mirage/error.h>
#include <mirage/plat.h>
#include <mirage/random.h>
#include <string.h>

#include "seeding.h"

struct random_dev {
    struct mirage_random dev;
    struct seeded seeded;
    bool connected;
};

static int generate(struct mirage_random *r, void *buf, size_t len);
static const struct mirage_random_ops random_ops = {.generate = generate};
static struct random_dev rng = {.dev = {&random_ops}};

int mirage_random_connect_default(struct mirage_random **out)
{
    if (!rng.connected) {
        seeded_init(&rng.seeded);
        rng.connected = true;
    }
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
    return seeded_generate(&d->seeded, plat_clock_monotonic(), buf, len);
}
