/* The time device (MirageOS Mirage_time): sleeping. */
#ifndef MIRAGE_TIME_H
#define MIRAGE_TIME_H

#include <mirage/fiber.h>
#include <stdint.h>

struct mirage_time;
struct mirage_time_ops {
    /* Block the calling fiber for ns nanoseconds. May yield. */
    void (*sleep_ns)(struct mirage_time *t, uint64_t ns);
};
struct mirage_time {
    const struct mirage_time_ops *ops;
};

static inline void mirage_time_sleep_ns(struct mirage_time *t, uint64_t ns)
{
    t->ops->sleep_ns(t, ns);
}

/* The scheduler's timers. */
int mirage_time_connect_default(struct mirage_time **out);

#endif
