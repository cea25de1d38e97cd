/* Timers: a binary min-heap of deadlines (monotonic ns) for the scheduler.
 * Entries are embedded in their owners (each fiber holds one); the heap
 * only stores pointers to them. Equal deadlines fire in the order they were
 * pushed. Nothing here yields or prints. */
#ifndef MIRAGE_RT_TIMER_H
#define MIRAGE_RT_TIMER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rt_timer {
    uint64_t deadline;
    uint64_t seq; /* push order, breaks ties between equal deadlines */
    size_t slot;  /* index in the heap; RT_TIMER_IDLE when not queued */
};
#define RT_TIMER_IDLE SIZE_MAX

struct rt_timer_heap {
    struct rt_timer **v; /* owned array of cap entries (malloc) */
    size_t len, cap;
    uint64_t seq;
};

/* An idle timer / an empty heap. */
void rt_timer_init(struct rt_timer *t);
void rt_timer_heap_init(struct rt_timer_heap *h);
/* Free the heap's array; the queued timers are forgotten, not touched. */
void rt_timer_heap_free(struct rt_timer_heap *h);
/* Make room for n queued timers so that pushes cannot fail: 0, or
 * MIRAGE_ENOMEM leaving the heap as it was. */
int rt_timer_reserve(struct rt_timer_heap *h, size_t n);
/* Queue an idle timer for `deadline`. The caller has reserved room for it
 * (pushing beyond the reserved capacity is a programming error). */
void rt_timer_push(struct rt_timer_heap *h, struct rt_timer *t,
                   uint64_t deadline);
/* The timer with the earliest deadline, or NULL when the heap is empty. */
struct rt_timer *rt_timer_peek(const struct rt_timer_heap *h);
/* Remove a queued timer (the earliest or any other); it becomes idle.
 * Removing an idle timer does nothing. */
void rt_timer_remove(struct rt_timer_heap *h, struct rt_timer *t);

static inline bool rt_timer_queued(const struct rt_timer *t)
{
    return t->slot != RT_TIMER_IDLE;
}

#endif
