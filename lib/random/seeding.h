/* A Fortuna generator with what feeds it (seeding.c): the initial seed
 * from the platform's entropy source, the wall clock and clock jitter;
 * later events spread over the pools in turn; requests that add their
 * time. Shared by default_random and rng (random.c, rng.c). No call
 * yields. */
#ifndef MIRAGE_RANDOM_SEEDING_H
#define MIRAGE_RANDOM_SEEDING_H

#include "fortuna.h"

#include <stddef.h>
#include <stdint.h>

struct seeded {
    struct fortuna fortuna;
    unsigned next_pool; /* pools are fed round-robin */
};

/* Entropy source numbers in Fortuna events. */
enum { SOURCE_JITTER = 0, SOURCE_REQUEST = 1, SOURCE_PLATFORM = 2 };

/* Start the generator and seed it. */
void seeded_init(struct seeded *s);
/* Feed it again: platform entropy (when there is any) and a little clock
 * jitter, into the pools (rng does this every second). */
void seeded_feed(struct seeded *s);
/* len bytes at now (a monotonic time in ns, which is also fed to the
 * pools). 0 or fortuna_generate's error. */
int seeded_generate(struct seeded *s, uint64_t now, void *buf, size_t len);

#endif
