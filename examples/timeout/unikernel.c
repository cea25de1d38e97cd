/* timeout: a fiber runs an operation that takes a random 1 to 2 seconds
 * while the start function waits for it with a 500 ms deadline: the
 * timeout wins, and the start function says so. */
#include <mirage/error.h>
#include <mirage/fiber.h>
#include <mirage/log.h>
#include <mirage/random.h>
#include <mirage/time.h>

struct operation {
    struct mirage_time *time;
    uint64_t duration_ms;
    bool done;
    mirage_cond finished;
};

static int slow_operation(void *arg)
{
    struct operation *op = arg;
    mirage_time_sleep_ns(op->time, MIRAGE_MSEC(op->duration_ms));
    op->done = true;
    mirage_cond_broadcast(&op->finished);
    return 0;
}

int timeout_start(struct mirage_time *time, struct mirage_random *random)
{
    static struct operation op = {.finished = MIRAGE_WAITQ_INIT};
    op.time = time;
    op.duration_ms = 1000 + mirage_random_uniform(random, 1000);
    struct mirage_fiber *f = mirage_fiber_spawn(slow_operation, &op, 0);
    if (!f) {
        mirage_log_err("cannot start the operation");
        return 1;
    }
    mirage_fiber_detach(f);
    uint64_t deadline = mirage_now() + MIRAGE_MSEC(500);
    while (!op.done)
        if (mirage_cond_wait(&op.finished, deadline) == MIRAGE_ETIMEDOUT) {
            mirage_log_info("Timeout: the operation (%llu ms) did not finish "
                            "within 500 ms",
                            (unsigned long long)op.duration_ms);
            return 0;
        }
    mirage_log_err("the operation finished before the deadline");
    return 1;
}
