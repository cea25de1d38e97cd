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
#define MIRAGE_USEC(n) ((uint64_t)(n)*1000u)
#define MIRAGE_MSEC(n) ((uint64_t)(n)*1000000u)
#define MIRAGE_SEC(n)  ((uint64_t)(n)*1000000000u)

/* The stack of a fiber spawned with stack_size 0, and so of every TCP
 * listen handler (tcp.h: mirage_tcp_listen_stack chooses another). A
 * handler that keeps large buffers on its stack needs more, or should
 * allocate them. */
#define MIRAGE_FIBER_STACK_DEFAULT (64 * 1024)

struct mirage_fiber;
typedef int (*mirage_fiber_fn)(void *arg);

/* Start fn(arg) in a new fiber with a stack of stack_size bytes (0: the
 * default; sizes below 4096 are rounded up to it, others up to whole
 * pages). Overflowing the stack is always reported, never silent:
 * - where the platform has guard pages (unix; hvt; spt under a tender
 *   that grants MirageC's guard extension), the page below the stack is
 *   inaccessible, and the first access to it stops the unikernel with
 *   "fiber stack overflow in fiber N "NAME" (entry 0x..., stack size S)"
 *   and status 255 (code is built with -fstack-clash-protection, so a
 *   large frame touches every page on its way down and cannot jump over
 *   the guard);
 * - everywhere, a magic word at the low end of the stack is checked on
 *   every switch, and a damaged one aborts with the same message.
 * The new fiber is runnable; the caller keeps running. Returns NULL when
 * memory is exhausted. The fiber object stays alive until it is joined,
 * or until it ends if it was detached; fibers still alive when the main
 * fiber ends are abandoned. Does not yield. */
struct mirage_fiber *mirage_fiber_spawn(mirage_fiber_fn fn, void *arg,
                                        size_t stack_size);
/* Name f for diagnostics (the stack overflow report): the name is
 * formatted as printf does, copied and truncated to MIRAGE_FIBER_NAME_MAX
 * - 1 bytes. Every fiber is also reported by its entry point's address.
 * Does not yield. */
#define MIRAGE_FIBER_NAME_MAX 32
void mirage_fiber_set_name(struct mirage_fiber *f, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Wait for f to end and return its result; frees f. May yield. Joining
 * the caller itself, a detached fiber, or a fiber another fiber is already
 * joining is a programming error: it aborts with a message. */
int mirage_fiber_join(struct mirage_fiber *f);
/* Let f be freed as soon as it ends; it must not be joined. Detaching
 * twice or detaching a fiber being joined aborts with a message. */
void mirage_fiber_detach(struct mirage_fiber *f);
/* The running fiber; NULL outside fibers (in a ready callback). The calls
 * that may yield abort with a message when called outside a fiber. */
struct mirage_fiber *mirage_fiber_self(void);
/* Let the other runnable fibers run. May yield. */
void mirage_fiber_yield(void);

/* Keeping the unikernel running. It ends when its start functions have
 * returned, unless a service still holds it: a TCP listener takes a hold
 * while it listens, so that a start function may return once its
 * listeners are set up and the unikernel goes on serving until the last
 * listener is closed (mirage_tcp_unlisten); then it exits with status 0.
 * A start function that fails (non-zero status) ends the unikernel at
 * once, holds or not. Neither call yields. */
void mirage_hold(void);
void mirage_release(void);

/* Monotonic time in ns, as the scheduler sees it. */
uint64_t mirage_now(void);
/* Sleep for ns nanoseconds / until an absolute deadline (at least until
 * then; MIRAGE_FOREVER sleeps for good). A deadline already passed still
 * lets the other runnable fibers run first. May yield. */
void mirage_sleep_ns(uint64_t ns);
void mirage_sleep_until(uint64_t deadline);

/* A wait queue: fibers block on it until woken or until their deadline.
 * Initialise with MIRAGE_WAITQ_INIT or mirage_waitq_init(). */
struct mirage_waitq {
    struct mirage_fiber *head, *tail;
};
#define MIRAGE_WAITQ_INIT                                                      \
    {                                                                          \
        NULL, NULL                                                             \
    }
void mirage_waitq_init(struct mirage_waitq *q);
/* Block until woken (returns 0) or until the deadline passes (returns
 * MIRAGE_ETIMEDOUT, the fiber having left the queue). A deadline already
 * passed returns MIRAGE_ETIMEDOUT at once without yielding. Waiters are
 * woken in the order they started waiting. May yield. */
int mirage_waitq_wait(struct mirage_waitq *q, uint64_t deadline);
/* Make the first waiter / every waiter runnable. Do not yield; callable
 * from ready callbacks. Return the number of fibers woken. */
int mirage_waitq_wake_one(struct mirage_waitq *q);
int mirage_waitq_wake_all(struct mirage_waitq *q);

/* A condition in the usual sense, for code that waits for a predicate:
 *   while (!ready) if (mirage_cond_wait(&c, deadline)) return timeout;
 * Same semantics as a wait queue (there is no mutex: no preemption). */
typedef struct mirage_waitq mirage_cond;
#define mirage_cond_wait      mirage_waitq_wait
#define mirage_cond_signal    mirage_waitq_wake_one
#define mirage_cond_broadcast mirage_waitq_wake_all

/* Event sources for device drivers: when plat_yield() reports handle h
 * ready, fn(arg) runs inside the loop (not in a fiber: it must not yield);
 * typically it reads frames and wakes waiters. One callback per handle: a
 * new one replaces the old, fn NULL removes it. While fibers stay
 * runnable, watched handles are still polled every few rounds of the run
 * queue. A handle >= PLAT_MAX_DEVICES aborts with a message. */
typedef void (*mirage_ready_fn)(void *arg);
void mirage_loop_watch(uint64_t handle, mirage_ready_fn fn, void *arg);

/* From handle's ready callback (or anywhere in the loop's or a fiber's
 * code): handle still has events waiting, typically because the callback
 * stopped after a batch of frames so that fibers get to run. The loop
 * then calls the callback again once the runnable fibers have had a turn,
 * without calling plat_yield first: no host call while frames are known
 * to be ready. Several requests before that call count as one; removing
 * the callback cancels it. Does not yield. A handle >= PLAT_MAX_DEVICES
 * aborts with a message. */
void mirage_loop_again(uint64_t handle);

/* Busy polling, as Linux's net.core.busy_poll: when the loop would block
 * with a handle watched, it first asks the platform without blocking,
 * again and again, for up to ns nanoseconds (or until the next timer),
 * and blocks only if nothing became ready. It trades a CPU kept busy
 * for the wake-up latency of a blocked process: on unix and spt each
 * poll is one system call; on hvt it is a VM exit (use it there only if
 * exits are cheap). 0 (the default) blocks at once. Set by the
 * built-in runtime argument --busy-poll; lasts until the end of
 * rt_run_main. Does not yield. */
void mirage_loop_busy_poll(uint64_t ns);

#endif
