/* default_time: sleeping on the scheduler's timers. */
#include <mirage/fiber.h>
#include <mirage/time.h>

static void sleep_ns(struct mirage_time *t, uint64_t ns)
{
    (void)t;
    mirage_sleep_ns(ns);
}

static const struct mirage_time_ops time_ops = {.sleep_ns = sleep_ns};
static struct mirage_time time_dev = {&time_ops};

int mirage_time_connect_default(struct mirage_time **out)
{
    *out = &time_dev;
    return 0;
}
