/* Wait queues: FIFO lists of blocked fibers, each optionally also holding
 * a timer in the scheduler's heap. Whichever comes first, a wake-up or the
 * deadline, takes the fiber out of both. */
#include "sched.h"

#include <mirage/error.h>
#include <mirage/fiber.h>

void mirage_waitq_init(struct mirage_waitq *q)
{
    q->head = NULL;
    q->tail = NULL;
}

static void unlink_waiter(struct mirage_fiber *f)
{
    struct mirage_waitq *q = f->wq;
    if (f->wq_prev)
        f->wq_prev->wq_next = f->wq_next;
    else
        q->head = f->wq_next;
    if (f->wq_next)
        f->wq_next->wq_prev = f->wq_prev;
    else
        q->tail = f->wq_prev;
    f->wq = NULL;
    f->wq_prev = NULL;
    f->wq_next = NULL;
}

/* Make a blocked fiber runnable with the given wait result. */
static void wake(struct mirage_fiber *f, int status)
{
    if (f->wq)
        unlink_waiter(f);
    mirage_minheap_remove(&rt_sched.timers, &f->timer);
    f->wake_status = status;
    rt_sched_ready(f);
}

void rt_waitq_expire(struct mirage_fiber *f)
{
    wake(f, MIRAGE_ETIMEDOUT);
}

int mirage_waitq_wait(struct mirage_waitq *q, uint64_t deadline)
{
    struct mirage_fiber *self = rt_sched_require_fiber("mirage_waitq_wait");
    if (deadline != MIRAGE_FOREVER && deadline <= mirage_now())
        return MIRAGE_ETIMEDOUT;
    self->wq = q;
    self->wq_prev = q->tail;
    self->wq_next = NULL;
    if (q->tail)
        q->tail->wq_next = self;
    else
        q->head = self;
    q->tail = self;
    if (deadline != MIRAGE_FOREVER)
        mirage_minheap_push(&rt_sched.timers, &self->timer, deadline);
    self->state = RT_FIBER_BLOCKED;
    rt_sched_switch_out();
    return self->wake_status;
}

int mirage_waitq_wake_one(struct mirage_waitq *q)
{
    if (!q->head)
        return 0;
    wake(q->head, 0);
    return 1;
}

int mirage_waitq_wake_all(struct mirage_waitq *q)
{
    int n = 0;
    while (q->head) {
        wake(q->head, 0);
        n++;
    }
    return n;
}
