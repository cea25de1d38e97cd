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

impl *mirage_default_random_(void);

#endif
