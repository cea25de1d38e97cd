/* default_posix_clock: the platform's wall clock, in UTC. */
#include <mirage/clock.h>
#include <mirage/plat.h>

static uint64_t now_ns(struct mirage_pclock *c)
{
    (void)c;
    return plat_clock_wall();
}

/* The platforms know no time zone: UTC. */
static int32_t tz_offset_s(struct mirage_pclock *c)
{
    (void)c;
    return 0;
}

static const struct mirage_pclock_ops pclock_ops = {
    .now_ns = now_ns,
    .tz_offset_s = tz_offset_s,
};
static struct mirage_pclock pclock = {&pclock_ops};

int mirage_pclock_connect_default(struct mirage_pclock **out)
{
    *out = &pclock;
    return 0;
}
