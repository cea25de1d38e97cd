/* Net timers (include/mirage/net.h): callback timers in a min-heap
 * (<mirage/minheap.h>) served by one fiber, which sleeps until the
 * earliest deadline, runs the callbacks of the expired timers, and ends
 * when no timer is armed. */
#include <mirage/error.h>
#include <mirage/fiber.h>
#include <mirage/net.h>

#define timer_of(n)                                                            \
    ((struct mirage_net_timer *)((char *)(n)-offsetof(struct mirage_net_timer, \
                                                      node)))

static struct {
    struct mirage_minheap heap;
    struct mirage_fiber *fiber; /* the serving fiber, NULL when ended */
    struct mirage_waitq wake;   /* where it sleeps */
} timers;

static int serve(void *arg)
{
    (void)arg;
    struct mirage_minheap_node *n;
    while ((n = mirage_minheap_peek(&timers.heap))) {
        if (n->key > mirage_now()) {
            mirage_waitq_wait(&timers.wake, n->key);
            continue;
        }
        mirage_minheap_remove(&timers.heap, n);
        struct mirage_net_timer *t = timer_of(n);
        t->fn(t);
    }
    timers.fiber = NULL;
    mirage_minheap_free(&timers.heap);
    return 0;
}

void mirage_net_timer_init(struct mirage_net_timer *t, mirage_net_timer_fn fn)
{
    mirage_minheap_node_init(&t->node);
    t->fn = fn;
}

bool mirage_net_timer_armed(const struct mirage_net_timer *t)
{
    return mirage_minheap_queued(&t->node);
}

size_t mirage_net_timer_count(void)
{
    return mirage_minheap_len(&timers.heap);
}

int mirage_net_timer_set(struct mirage_net_timer *t, uint64_t deadline)
{
    if (!timers.fiber) {
        timers.fiber = mirage_fiber_spawn(serve, NULL, 0);
        if (!timers.fiber)
            return MIRAGE_ENOMEM;
        mirage_fiber_detach(timers.fiber);
    }
    int err = mirage_minheap_add(&timers.heap, &t->node, deadline);
    if (err)
        return err;
    if (mirage_minheap_peek(&timers.heap) == &t->node)
        mirage_waitq_wake_all(&timers.wake);
    return 0;
}

void mirage_net_timer_cancel(struct mirage_net_timer *t)
{
    if (!mirage_net_timer_armed(t))
        return;
    mirage_minheap_remove(&timers.heap, &t->node);
    if (!mirage_minheap_len(&timers.heap))
        mirage_waitq_wake_all(&timers.wake);
}
