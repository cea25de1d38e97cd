/* The scheduler's timer heap: a binary min-heap ordered by (deadline,
 * push order), with each timer remembering its slot so that any timer can
 * be removed in O(log n). */
#include "timer.h"

#include <mirage/error.h>
#include <stdlib.h>

void rt_timer_init(struct rt_timer *t)
{
    t->deadline = 0;
    t->seq = 0;
    t->slot = RT_TIMER_IDLE;
}

void rt_timer_heap_init(struct rt_timer_heap *h)
{
    h->v = NULL;
    h->len = 0;
    h->cap = 0;
    h->seq = 0;
}

void rt_timer_heap_free(struct rt_timer_heap *h)
{
    free(h->v);
    rt_timer_heap_init(h);
}

int rt_timer_reserve(struct rt_timer_heap *h, size_t n)
{
    if (n <= h->cap)
        return 0;
    size_t cap = h->cap ? h->cap : 16;
    while (cap < n)
        cap *= 2;
    struct rt_timer **v = realloc(h->v, cap * sizeof *v);
    if (!v)
        return MIRAGE_ENOMEM;
    h->v = v;
    h->cap = cap;
    return 0;
}

static bool earlier(const struct rt_timer *a, const struct rt_timer *b)
{
    return a->deadline < b->deadline ||
           (a->deadline == b->deadline && a->seq < b->seq);
}

static void place(struct rt_timer_heap *h, size_t i, struct rt_timer *t)
{
    h->v[i] = t;
    t->slot = i;
}

/* Move t up from slot i until its parent is earlier. */
static void sift_up(struct rt_timer_heap *h, size_t i, struct rt_timer *t)
{
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!earlier(t, h->v[parent]))
            break;
        place(h, i, h->v[parent]);
        i = parent;
    }
    place(h, i, t);
}

/* Move t down from slot i until both children are later. */
static void sift_down(struct rt_timer_heap *h, size_t i, struct rt_timer *t)
{
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= h->len)
            break;
        if (child + 1 < h->len && earlier(h->v[child + 1], h->v[child]))
            child++;
        if (!earlier(h->v[child], t))
            break;
        place(h, i, h->v[child]);
        i = child;
    }
    place(h, i, t);
}

void rt_timer_push(struct rt_timer_heap *h, struct rt_timer *t,
                   uint64_t deadline)
{
    t->deadline = deadline;
    t->seq = h->seq++;
    sift_up(h, h->len++, t);
}

struct rt_timer *rt_timer_peek(const struct rt_timer_heap *h)
{
    return h->len ? h->v[0] : NULL;
}

void rt_timer_remove(struct rt_timer_heap *h, struct rt_timer *t)
{
    if (!rt_timer_queued(t))
        return;
    size_t i = t->slot;
    struct rt_timer *last = h->v[--h->len];
    t->slot = RT_TIMER_IDLE;
    if (last == t)
        return;
    /* The last timer fills the hole and moves whichever way it must. */
    if (i > 0 && earlier(last, h->v[(i - 1) / 2]))
        sift_up(h, i, last);
    else
        sift_down(h, i, last);
}
