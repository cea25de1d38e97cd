/* Random numbers (MirageOS Mirage_crypto_rng): a cryptographically strong
 * generator. On unix it reads the host's getrandom(); on the other targets
 * it is a Fortuna generator seeded from platform entropy and clock jitter. */
#ifndef MIRAGE_RANDOM_H
#define MIRAGE_RANDOM_H

#include <stddef.h>
#include <stdint.h>

struct mirage_random;
struct mirage_random_ops {
    /* Fill buf with len random bytes; 0 or MIRAGE_E*. Does not yield. */
    int (*generate)(struct mirage_random *r, void *buf, size_t len);
};
struct mirage_random {
    const struct mirage_random_ops *ops;
};
static inline int mirage_random_generate(struct mirage_random *r, void *buf,
                                         size_t len)
{
    return r->ops->generate(r, buf, len);
}
/* A uniformly distributed integer in [0, bound) (bound > 0). */
uint64_t mirage_random_uniform(struct mirage_random *r, uint64_t bound);

int mirage_random_connect_default(struct mirage_random **out);

/* rng (MirageOS's `rng ?time ?mclock ()`): a Fortuna generator on every
 * target, every output drawn from it: seeded at connect from the
 * platform's entropy source (getrandom on unix, RDRAND/RDSEED on hvt and
 * spt when the CPU has them), the wall clock and clock jitter; fed again
 * every second by a fiber of its own when time is given (NULL: never);
 * each request adds its time, read from mclock (NULL: the platform's
 * monotonic clock). 0 or MIRAGE_ENOMEM. Does not yield. */
struct mirage_time;
struct mirage_mclock;
int mirage_random_connect_rng(struct mirage_random **out,
                              struct mirage_time *time,
                              struct mirage_mclock *mclock);

#endif
