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

#endif
