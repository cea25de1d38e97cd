/* Clocks (MirageOS Mirage_clock): mclock is monotonic, pclock is POSIX
 * wall-clock time. No call yields. */
#ifndef MIRAGE_CLOCK_H
#define MIRAGE_CLOCK_H

#include <stdint.h>

struct mirage_mclock;
struct mirage_mclock_ops {
    uint64_t (*elapsed_ns)(struct mirage_mclock *c); /* since boot */
    uint64_t (*period_ns)(struct mirage_mclock *c);  /* 0: unknown */
};
struct mirage_mclock {
    const struct mirage_mclock_ops *ops;
};
static inline uint64_t mirage_mclock_elapsed_ns(struct mirage_mclock *c)
{
    return c->ops->elapsed_ns(c);
}

struct mirage_pclock;
struct mirage_pclock_ops {
    uint64_t (*now_ns)(struct mirage_pclock *c); /* since the Unix epoch */
    int32_t (*tz_offset_s)(struct mirage_pclock *c);
};
struct mirage_pclock {
    const struct mirage_pclock_ops *ops;
};
static inline uint64_t mirage_pclock_now_ns(struct mirage_pclock *c)
{
    return c->ops->now_ns(c);
}

/* A broken-down UTC time, and conversion from ns since the epoch. */
struct mirage_tm {
    int year, month, day; /* month 1..12, day 1..31 */
    int hour, min, sec;
    uint32_t nsec;
};
void mirage_time_to_tm(uint64_t ns_since_epoch, struct mirage_tm *tm);
/* RFC 3339, "2026-11-24T04:43:39-00:00" (25 bytes + NUL): buf >= 26. */
void mirage_time_rfc3339(uint64_t ns_since_epoch, char *buf);

int mirage_mclock_connect_default(struct mirage_mclock **out);
int mirage_pclock_connect_default(struct mirage_pclock **out);

#endif
