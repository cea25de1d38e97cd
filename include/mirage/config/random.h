/* The random device (lib/random, entry in lib/random/config.c). Part of
 * <mirage/config.h>; include that. */
#ifndef MIRAGE_CONFIG_RANDOM_H
#define MIRAGE_CONFIG_RANDOM_H

/* random_typ: struct mirage_random * (<mirage/random.h>). */
#define random_typ                                                             \
    typ_new("random", "struct mirage_random *", .header = "mirage/random.h")

/* default_random(): Fortuna seeded from the platform's entropy.
 * Example: default_random() */
#define default_random() MIRAGE_ENTRY_(mirage_default_random_())

/* rng(...): MirageOS's `rng ?time ?mclock ()`, the generator for
 * cryptography (TLS): Fortuna seeded from the platform's entropy, the
 * wall clock and clock jitter, then fed every second by a fiber sleeping
 * on .time, each request adding its time read from .mclock (defaults:
 * default_time() and default_monotonic_clock()).
 * Example: rng()
 * Example: rng(.time = default_time(), .mclock = default_monotonic_clock()) */
struct mirage_rng_opts {
    const char *file_;
    int line_;
    impl *time, *mclock;
};
#define rng(...)                                                               \
    MIRAGE_ENTRY_(mirage_rng_((struct mirage_rng_opts){                        \
        .file_ = __FILE__, .line_ = __LINE__, __VA_ARGS__}))

impl *mirage_default_random_(void);
impl *mirage_rng_(struct mirage_rng_opts o);

#endif
