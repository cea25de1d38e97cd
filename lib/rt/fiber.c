/* Fibers: creation with their own malloc'd stacks, join/detach, yield and
 * sleep, and the stack-overflow canary. The run queue and the loop that
 * switches between fibers are in loop.c; wait queues in waitq.c. */
#include "sched.h"

#include <mirage/error.h>
#include <mirage/fiber.h>
#include <mirage/plat.h>
#include <stdlib.h>
#include <string.h>

struct rt_sched rt_sched;

/* The magic word at the lowest address of every fiber stack. */
#define STACK_MAGIC 0x6d69726167654643ull
/* Smaller requests are rounded up: a fiber needs room for its first
 * frames and for the canary. */
#define STACK_MIN 4096

/* Defined in switch.S: where a new fiber starts. */
void rt_fiber_entry(void);
_Noreturn void rt_fiber_start(struct mirage_fiber *f);

static void console_puts(const char *s)
{
    plat_console_write(s, strlen(s));
}

static void console_putu(uint64_t v)
{
    char buf[24];
    size_t i = sizeof buf;
    do {
        buf[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    plat_console_write(buf + i, sizeof buf - i);
}

void rt_sched_fatal(const char *msg)
{
    console_puts(msg);
    console_puts("\n");
    plat_abort();
}

struct mirage_fiber *rt_sched_require_fiber(const char *what)
{
    if (!rt_sched.current) {
        console_puts(what);
        rt_sched_fatal(": called outside a fiber");
    }
    return rt_sched.current;
}

void rt_fiber_check_stack(const struct mirage_fiber *f)
{
    uint64_t magic;
    memcpy(&magic, f->stack, sizeof magic);
    if (magic == STACK_MAGIC)
        return;
    console_puts("fiber stack overflow in fiber ");
    console_putu(f->id);
    console_puts(" (stack size ");
    console_putu(f->stack_size);
    rt_sched_fatal(")");
}

struct mirage_fiber *rt_fiber_create(mirage_fiber_fn fn, void *arg,
                                     size_t stack_size)
{
    if (stack_size == 0)
        stack_size = MIRAGE_FIBER_STACK_DEFAULT;
    if (stack_size < STACK_MIN)
        stack_size = STACK_MIN;
    if (stack_size > SIZE_MAX / 2)
        return NULL;
    stack_size = (stack_size + 15) & ~(size_t)15;
    /* Every fiber has at most one queued timer: keep room for all. */
    if (rt_timer_reserve(&rt_sched.timers, rt_sched.nfibers + 1) != 0)
        return NULL;
    /* The stack first: an overrun runs into older blocks, not into the
     * fiber object that the canary check reads. */
    unsigned char *stack = malloc(stack_size);
    struct mirage_fiber *f = stack ? calloc(1, sizeof *f) : NULL;
    if (!f || !stack) {
        free(f);
        free(stack);
        return NULL;
    }
    uint64_t magic = STACK_MAGIC;
    memcpy(stack, &magic, sizeof magic);

    /* The first switch to the fiber pops r15 r14 r13 r12 rbx rbp and
     * returns to rt_fiber_entry with r12 = f, leaving the stack pointer
     * at the 16-byte aligned top. */
    uint64_t *sp = (uint64_t *)(stack + stack_size) - 7;
    memset(sp, 0, 6 * sizeof *sp);
    sp[3] = (uint64_t)(uintptr_t)f;
    sp[6] = (uint64_t)(uintptr_t)rt_fiber_entry;

    f->sp = sp;
    f->id = rt_sched.next_id++;
    f->stack = stack;
    f->stack_size = stack_size;
    f->fn = fn;
    f->arg = arg;
    f->state = RT_FIBER_BLOCKED;
    rt_timer_init(&f->timer);
    f->all_next = rt_sched.all;
    if (rt_sched.all)
        rt_sched.all->all_prev = f;
    rt_sched.all = f;
    rt_sched.nfibers++;
    return f;
}

void rt_fiber_free(struct mirage_fiber *f)
{
    if (f->all_prev)
        f->all_prev->all_next = f->all_next;
    else
        rt_sched.all = f->all_next;
    if (f->all_next)
        f->all_next->all_prev = f->all_prev;
    rt_sched.nfibers--;
    free(f->stack);
    free(f);
}

void rt_fiber_start(struct mirage_fiber *f)
{
    f->result = f->fn(f->arg);
    f->state = RT_FIBER_DONE;
    if (f->joiner)
        rt_sched_ready(f->joiner);
    rt_sched_switch_out();
    rt_sched_fatal("a finished fiber was resumed");
}

void rt_sched_switch_out(void)
{
    struct mirage_fiber *f = rt_sched.current;
    rt_switch(&f->sp, rt_sched.loop_sp);
}

struct mirage_fiber *mirage_fiber_spawn(mirage_fiber_fn fn, void *arg,
                                        size_t stack_size)
{
    struct mirage_fiber *f = rt_fiber_create(fn, arg, stack_size);
    if (f)
        rt_sched_ready(f);
    return f;
}

int mirage_fiber_join(struct mirage_fiber *f)
{
    struct mirage_fiber *self = rt_sched_require_fiber("mirage_fiber_join");
    if (!f || f == self || f->detached || f->joiner)
        rt_sched_fatal("mirage_fiber_join: the fiber is the caller, "
                       "detached or already being joined");
    if (f->state != RT_FIBER_DONE) {
        f->joiner = self;
        self->state = RT_FIBER_BLOCKED;
        rt_sched_switch_out();
    }
    int result = f->result;
    rt_fiber_free(f);
    return result;
}

void mirage_fiber_detach(struct mirage_fiber *f)
{
    if (!f || f->detached || f->joiner)
        rt_sched_fatal("mirage_fiber_detach: the fiber is already detached "
                       "or being joined");
    f->detached = true;
    /* A finished fiber has left the loop for good: free it now, unless it
     * is the main fiber, whose result rt_run_main still needs. */
    if (f->state == RT_FIBER_DONE && f != rt_sched.main)
        rt_fiber_free(f);
}

struct mirage_fiber *mirage_fiber_self(void)
{
    return rt_sched.current;
}

void mirage_fiber_yield(void)
{
    struct mirage_fiber *self = rt_sched_require_fiber("mirage_fiber_yield");
    rt_sched_ready(self);
    rt_sched_switch_out();
}

uint64_t mirage_now(void)
{
    return plat_clock_monotonic();
}

void mirage_sleep_ns(uint64_t ns)
{
    uint64_t now = mirage_now();
    mirage_sleep_until(ns > MIRAGE_FOREVER - now ? MIRAGE_FOREVER : now + ns);
}

void mirage_sleep_until(uint64_t deadline)
{
    struct mirage_fiber *self = rt_sched_require_fiber("mirage_sleep");
    /* Sleeping forever queues no timer, so that the loop can tell a
     * deadlock from a long wait. */
    if (deadline != MIRAGE_FOREVER)
        rt_timer_push(&rt_sched.timers, &self->timer, deadline);
    self->state = RT_FIBER_BLOCKED;
    rt_sched_switch_out();
}
