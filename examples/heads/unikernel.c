/* heads: two fibers that sleep and log in turn. "Heads" wakes at 100, 300
 * and 500 ms, "Tails" at 200, 400 and 600 ms, so their lines interleave;
 * the start function joins both and logs "Finished". */
#include <mirage/fiber.h>
#include <mirage/log.h>
#include <mirage/time.h>

struct coin {
    struct mirage_time *time;
    const char *side;
    uint64_t first_ms; /* first wake-up */
};

static int flip(void *arg)
{
    struct coin *c = arg;
    mirage_time_sleep_ns(c->time, MIRAGE_MSEC(c->first_ms));
    for (int i = 0; i < 3; i++) {
        mirage_log_info("%s", c->side);
        mirage_time_sleep_ns(c->time, MIRAGE_MSEC(200));
    }
    return 0;
}

int heads_start(struct mirage_time *time)
{
    struct coin heads = {time, "Heads", 100}, tails = {time, "Tails", 200};
    struct mirage_fiber *a = mirage_fiber_spawn(flip, &heads, 0);
    struct mirage_fiber *b = mirage_fiber_spawn(flip, &tails, 0);
    if (!a || !b) {
        mirage_log_err("cannot start the fibers");
        return 1;
    }
    int rc = mirage_fiber_join(a) | mirage_fiber_join(b);
    mirage_log_info("Finished");
    return rc;
}
