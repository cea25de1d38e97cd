/* Fibers: cooperative threads over one event loop (DESIGN.md §5).
 *
 * Every fiber has its own stack. Switches happen only inside the calls
 * marked "may yield"; between two such calls a fiber runs alone, so no
 * locks are needed. Time is the monotonic clock in nanoseconds, and a
 * deadline is an absolute monotonic time; MIRAGE_FOREVER means none. */
#ifndef MIRAGE_FIBER_H
#define MIRAGE_FIBER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MIRAGE_FOREVER UINT64_MAX
#define MIRAGE_NSEC(n) ((uint64_t)(n))
#define MIRAGE_USEC(n) ((uint64_t)(n) * 1000u)
#define MIRAGE_MSEC(n) ((uint64_t)(n) * 1000000u)
#define MIRAGE_SEC(n) ((uint64_t)(n) * 1000000000u)

#define MIRAGE_FIBER_STACK_DEFAULT (64 * 1024)

struct mirage_fiber;
typedef int (*mirage_fiber_fn)(void *arg);

/* Start fn(arg) in a new fiber with a stack of stack_size bytes (0: the
 * default). The new fiber is runnable; the caller keeps running. Returns
 * NULL when memory is exhausted. The fiber object stays alive until it is
 * joined, or until it ends if it was detached. Does not yield. */
struct mirage_fiber *mirage_fiber_spawn(mirage_fiber_fn fn, void *arg,
                                        size_t stack_size);
/* Wait for f to end and return its result; frees f. May yield. */
int mirage_fiber_join(struct mirage_fiber *f);
/* Let f be freed as soon as it ends; it must not be joined. */
void mirage_fiber_detach(struct mirage_fiber *f);
/* The running fiber. */
struct mirage_fiber *mirage_fiber_self(void);
/* Let the other runnable fibers run. May yield. */
void mirage_fiber_yield(void);

/* Monotonic time in ns, as the scheduler sees it. */
uint64_t mirage_now(void);
/* Sleep for ns nanoseconds / until an absolute deadline. May yield. */
void mirage_sleep_ns(uint64_t ns);
void mirage_sleep_until(uint64_t deadline);

/* A wait queue: fibers block on it until woken or until their deadline.
 * Initialise with MIRAGE_WAITQ_INIT or mirage_waitq_init(). */
struct mirage_waitq {
    struct mirage_fiber *head, *tail;
};
#define MIRAGE_WAITQ_INIT {NULL, NULL}
void mirage_waitq_init(struct mirage_waitq *q);
/* Block until woken (returns 0) or until the deadline passes (returns
 * MIRAGE_ETIMEDOUT). May yield. */
int mirage_waitq_wait(struct mirage_waitq *q, uint64_t deadline);
/* Make the first waiter / every waiter runnable. Do not yield. Return the
 * number of fibers woken. */
int mirage_waitq_wake_one(struct mirage_waitq *q);
int mirage_waitq_wake_all(struct mirage_waitq *q);

/* A condition in the usual sense, for code that waits for a predicate:
 *   while (!ready) if (mirage_cond_wait(&c, deadline)) return timeout;
 * Same semantics as a wait queue (there is no mutex: no preemption). */
typedef struct mirage_waitq mirage_cond;
#define mirage_cond_wait mirage_waitq_wait
#define mirage_cond_signal mirage_waitq_wake_one
#define mirage_cond_broadcast mirage_waitq_wake_all

/* Event sources for device drivers: when plat_yield() reports handle h
 * ready, fn(arg) runs inside the loop (not in a fiber: it must not yield);
 * typically it reads frames and wakes waiters. One callback per handle. */
typedef void (*mirage_ready_fn)(void *arg);
void mirage_loop_watch(uint64_t handle, mirage_ready_fn fn, void *arg);

#endif
