/* The time and clock devices (lib/clock, entries in lib/clock/config.c).
 * Part of <mirage/config.h>; include that. */
#ifndef MIRAGE_CONFIG_CLOCK_H
#define MIRAGE_CONFIG_CLOCK_H

/* time_typ: struct mirage_time * (<mirage/time.h>); pclock_typ and
 * mclock_typ: struct mirage_pclock * and struct mirage_mclock *, the
 * wall and monotonic clocks (<mirage/clock.h>). */
#define time_typ                                                               \
    typ_new("time", "struct mirage_time *", .header = "mirage/time.h")
#define pclock_typ                                                             \
    typ_new("pclock", "struct mirage_pclock *", .header = "mirage/clock.h")
#define mclock_typ                                                             \
    typ_new("mclock", "struct mirage_mclock *", .header = "mirage/clock.h")

/* default_time(): sleeping, over the event loop.
 * Example: default_time()
 * default_posix_clock(): the platform's wall clock.
 * Example: default_posix_clock()
 * default_monotonic_clock(): the platform's monotonic clock.
 * Example: default_monotonic_clock() */
#define default_time()        MIRAGE_ENTRY_(mirage_default_time_())
#define default_posix_clock() MIRAGE_ENTRY_(mirage_default_posix_clock_())
#define default_monotonic_clock()                                              \
    MIRAGE_ENTRY_(mirage_default_monotonic_clock_())

impl *mirage_default_time_(void);
impl *mirage_default_posix_clock_(void);
impl *mirage_default_monotonic_clock_(void);

#endif
