/* default_monotonic_clock: time elapsed since the clock was first
 * connected, from the platform's monotonic clock. */
#include <mirage/clock.h>
#include <mirage/plat.h>
#include <stdbool.h>

static uint64_t boot_ns;
static bool started;

static uint64_t elapsed_ns(struct mirage_mclock *c)
{
    (void)c;
    return plat_clock_monotonic() - boot_ns;
}

/* The platform does not report its clock's resolution. */
static uint64_t period_ns(struct mirage_mclock *c)
{
    (void)c;
    return 0;
}

static const struct mirage_mclock_ops mclock_ops = {
    .elapsed_ns = elapsed_ns,
    .period_ns = period_ns,
};
static struct mirage_mclock mclock = {&mclock_ops};

/* Every connection shares one origin: the first connect. */
int mirage_mclock_connect_default(struct mirage_mclock **out)
{
    if (!started) {
        boot_ns = plat_clock_monotonic();
        started = true;
    }
    *out = &mclock;
    return 0;
}
