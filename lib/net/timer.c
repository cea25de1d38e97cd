/* Net timers (include/mirage/net.h): a binary min-heap of callback timers
 * served by one fiber, which sleeps until the earliest deadline, runs the
 * callbacks of the expired timers, and ends when no timer is armed. */
#include <mirage/error.h>
#include <mirage/fiber.h>
#include <mirage/net.h>
#include <stdlib.h>

#define IDLE SIZE_MAX

static struct {
    struct mirage_net_timer **v;
    size_t len, cap;
    uint64_t seq;
    struct mirage_fiber *fiber; /* the serving fiber, NULL when ended */
    struct mirage_waitq wake;   /* where it sleeps */
} timers;

static bool before(const struct mirage_net_timer *a,
                   const struct mirage_net_timer *b)
{
    return a->deadline < b->deadline ||
           (a->deadline == b->deadline && a->seq < b->seq);
}

static void place(size_t i, struct mirage_net_timer *t)
{
    timers.v[i] = t;
    t->slot = i;
}

static void sift_up(size_t i)
{
    struct mirage_net_timer *t = timers.v[i];
    while (i > 0 && before(t, timers.v[(i - 1) / 2])) {
        place(i, timers.v[(i - 1) / 2]);
        i = (i - 1) / 2;
    }
    place(i, t);
}

static void sift_down(size_t i)
{
    struct mirage_net_timer *t = timers.v[i];
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= timers.len)
            break;
        if (c + 1 < timers.len && before(timers.v[c + 1], timers.v[c]))
            c++;
        if (!before(timers.v[c], t))
            break;
        place(i, timers.v[c]);
        i = c;
    }
    place(i, t);
}

static void heap_remove(struct mirage_net_timer *t)
{
    size_t i = t->slot;
    t->slot = IDLE;
    struct mirage_net_timer *last = timers.v[--timers.len];
    if (i == timers.len)
        return;
    place(i, last);
    sift_down(i);
    sift_up(last->slot);
}

static int serve(void *arg)
{
    (void)arg;
    while (timers.len) {
        struct mirage_net_timer *t = timers.v[0];
        if (t->deadline > mirage_now()) {
            mirage_waitq_wait(&timers.wake, t->deadline);
            continue;
        }
        heap_remove(t);
        t->fn(t);
    }
    timers.fiber = NULL;
    free(timers.v);
    timers.v = NULL;
    timers.cap = 0;
    return 0;
}

void mirage_net_timer_init(struct mirage_net_timer *t, mirage_net_timer_fn fn)
{
    t->deadline = 0;
    t->fn = fn;
    t->slot = IDLE;
    t->seq = 0;
}

bool mirage_net_timer_armed(const struct mirage_net_timer *t)
{
    return t->slot != IDLE;
}

size_t mirage_net_timer_count(void)
{
    return timers.len;
}

int mirage_net_timer_set(struct mirage_net_timer *t, uint64_t deadline)
{
    if (!mirage_net_timer_armed(t) && timers.len == timers.cap) {
        size_t cap = timers.cap ? timers.cap * 2 : 64;
        struct mirage_net_timer **v = realloc(timers.v, cap * sizeof *v);
        if (!v)
            return MIRAGE_ENOMEM;
        timers.v = v;
        timers.cap = cap;
    }
    if (!timers.fiber) {
        timers.fiber = mirage_fiber_spawn(serve, NULL, 0);
        if (!timers.fiber)
            return MIRAGE_ENOMEM;
        mirage_fiber_detach(timers.fiber);
    }
    if (mirage_net_timer_armed(t))
        heap_remove(t);
    t->deadline = deadline;
    t->seq = timers.seq++;
    place(timers.len++, t);
    sift_up(t->slot);
    if (timers.v[0] == t)
        mirage_waitq_wake_all(&timers.wake);
    return 0;
}

void mirage_net_timer_cancel(struct mirage_net_timer *t)
{
    if (!mirage_net_timer_armed(t))
        return;
    heap_remove(t);
    if (!timers.len)
        mirage_waitq_wake_all(&timers.wake);
}
