/* The scheduler's internal state, shared by fiber.c, waitq.c and loop.c;
 * not a public interface. One core, no preemption: every field is touched
 * only by the running fiber or by the loop between two fibers. */
#ifndef MIRAGE_RT_SCHED_H
#define MIRAGE_RT_SCHED_H

#include <mirage/fiber.h>
#include <mirage/minheap.h>
#include <mirage/plat.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum rt_fiber_state {
    RT_FIBER_RUNNABLE, /* in the run queue */
    RT_FIBER_RUNNING,
    RT_FIBER_BLOCKED, /* waiting for a wake-up, a timer or a join */
    RT_FIBER_DONE,    /* fn returned; result is valid */
};

struct mirage_fiber {
    void *sp;             /* saved stack pointer while switched out */
    uint64_t id;          /* 0 is the main fiber of rt_run_main */
    unsigned char *stack; /* lowest address of the stack */
    size_t stack_size;
    void *guard; /* the inaccessible page below the stack (the start of
                    its allocation), or NULL (stack is the allocation) */
    char name[MIRAGE_FIBER_NAME_MAX]; /* "" when unnamed */
    mirage_fiber_fn fn;
    void *arg;
    int result;
    enum rt_fiber_state state;
    bool detached;
    struct mirage_fiber *joiner;   /* the fiber blocked in join, if any */
    struct mirage_fiber *run_next; /* run queue link */
    struct mirage_fiber *all_prev; /* list of every live fiber */
    struct mirage_fiber *all_next;
    struct mirage_waitq *wq;      /* the queue it waits in, or NULL */
    struct mirage_fiber *wq_prev; /* wait queue links */
    struct mirage_fiber *wq_next;
    int wake_status;                  /* 0 or MIRAGE_ETIMEDOUT */
    struct mirage_minheap_node timer; /* queued while sleeping or waiting,
                                         keyed by the deadline */
};

/* What the loop calls when a watched handle is ready. */
struct rt_watch {
    mirage_ready_fn fn; /* NULL: not watched */
    void *arg;
};

struct rt_sched {
    struct mirage_fiber *current; /* NULL while the loop itself runs */
    struct mirage_fiber *main;    /* NULL outside rt_run_main */
    void *loop_sp;                /* the loop's saved stack pointer */
    struct mirage_fiber *run_head, *run_tail;
    size_t run_len;
    struct mirage_fiber *all; /* every fiber not yet freed */
    size_t nfibers;
    uint64_t next_id;
    struct mirage_minheap timers;
    struct rt_watch watch[PLAT_MAX_DEVICES];
    unsigned nwatch; /* handles with a callback */
    /* Handles whose callback asked to run again (mirage_loop_again):
     * served before the loop next asks the platform. */
    plat_handle_set again;
    /* Nanoseconds to poll the platform without blocking before blocking
     * (mirage_loop_busy_poll); 0: block at once. */
    uint64_t busy_poll;
    int guards; /* stack guard pages: 0 untried, 1 work, -1 do not */
    struct cached_stack *stack_cache; /* guarded stacks for reuse */
    unsigned ncached;
    unsigned holds;               /* mirage_hold() minus mirage_release() */
    struct mirage_waitq released; /* woken when holds drops to 0 */
};

extern struct rt_sched rt_sched;

/* At most this many guarded stacks of ended fibers are kept for reuse
 * (fiber.c): a server's usual number of concurrent connections, so that
 * its handlers' stacks cost no system call in the steady state. They hold
 * memory the unikernel was using a moment before: at most 64 x 68 KiB
 * with the default stack. */
#define RT_STACK_CACHE 64

/* The stack size of the main fiber (mirage_app_main connects devices on
 * it, so it is larger than the default). */
#define RT_MAIN_STACK_SIZE (256 * 1024)

/* Save the callee-saved registers and the stack pointer in *save_sp, then
 * resume the context whose stack pointer is `to` (switch.S). */
void rt_switch(void **save_sp, void *to);

/* Append f to the run queue and mark it runnable. */
void rt_sched_ready(struct mirage_fiber *f);
/* Switch from the running fiber back to the loop; returns when the loop
 * resumes it. The caller has set its state and queued it where it will be
 * woken from. */
void rt_sched_switch_out(void);
/* The running fiber; aborts with a message naming `what` when called
 * outside a fiber (from the loop, a ready callback, or before boot). */
struct mirage_fiber *rt_sched_require_fiber(const char *what);
/* Report a fatal misuse of the scheduler on the console and abort. */
_Noreturn void rt_sched_fatal(const char *msg);
/* Abort with "fiber stack overflow in fiber N ..." (as
 * mirage_rt_stack_fault words it) when the magic word at the low end of
 * f's stack is damaged. */
void rt_fiber_check_stack(const struct mirage_fiber *f);
/* Release the guarded stacks kept for reuse (at the end of a run). */
void rt_stack_cache_drain(void);
/* Free f and its stack and forget it; f must not be running. */
void rt_fiber_free(struct mirage_fiber *f);
/* Create a fiber with the next id, not yet runnable. NULL when
 * memory is exhausted. */
struct mirage_fiber *rt_fiber_create(mirage_fiber_fn fn, void *arg,
                                     size_t stack_size);
/* A timer of a sleeping or waiting fiber expired: wake it with
 * MIRAGE_ETIMEDOUT, taking it out of its wait queue (waitq.c). */
void rt_waitq_expire(struct mirage_fiber *f);

#endif
