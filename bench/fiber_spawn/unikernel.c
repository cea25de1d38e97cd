/* Spawns and joins --n fibers with the default stack, --burst of them
 * alive at once, and prints the mean time of one spawn + run + join in
 * nanoseconds. */
#include <mirage/fiber.h>
#include <mirage/time.h>
#include <stdio.h>

static int touch(void *arg)
{
    volatile char page[1024];
    page[0] = (char)(long)arg;
    return page[0];
}

int fiber_spawn_start(struct mirage_time *time)
{
    (void)time;
    int64_t n = mirage_arg_n(), burst = mirage_arg_burst();
    static struct mirage_fiber *f[256];
    if (burst < 1 || burst > 256 || n < burst)
        return 2;
    uint64_t t0 = mirage_now();
    for (int64_t i = 0; i + burst <= n; i += burst) {
        for (int64_t k = 0; k < burst; k++)
            if (!(f[k] = mirage_fiber_spawn(touch, (void *)(i + k), 0)))
                return 1;
        for (int64_t k = 0; k < burst; k++)
            if (mirage_fiber_join(f[k]) != (char)(i + k))
                return 1;
    }
    uint64_t ns = (mirage_now() - t0) / (uint64_t)n;
    printf("fiber spawn+join: %llu ns\n", (unsigned long long)ns);
    return 0;
}
