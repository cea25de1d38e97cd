/* Fibers: creation with their own stacks (guard page below where the
 * platform has them), join/detach, names, yield and sleep, holds, and the
 * stack overflow reports (the canary and guard-page faults). The run queue
 * and the loop that switches between fibers are in loop.c; wait queues in
 * waitq.c. */
#include "internal.h"
#include "sched.h"

#include <mirage/error.h>
#include <mirage/fiber.h>
#include <mirage/plat.h>
#include <stdarg.h>
#include <stdio.h>
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

/* v in base 10 or 16 (with 0x), without allocating: fault reports run
 * on whatever state the unikernel is in. */
static void console_putnum(uint64_t v, unsigned base)
{
    char buf[24];
    size_t i = sizeof buf;
    do {
        buf[--i] = "0123456789abcdef"[v % base];
        v /= base;
    } while (v);
    if (base == 16)
        console_puts("0x");
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

/* "fiber stack overflow in fiber N "NAME" (entry 0x..., stack size S)",
 * without a newline. */
static void report_overflow(const struct mirage_fiber *f)
{
    console_puts("fiber stack overflow in fiber ");
    console_putnum(f->id, 10);
    if (f->name[0]) {
        console_puts(" \"");
        console_puts(f->name);
        console_puts("\"");
    }
    console_puts(" (entry ");
    console_putnum((uint64_t)(uintptr_t)f->fn, 16);
    console_puts(", stack size ");
    console_putnum(f->stack_size, 10);
    console_puts(")");
}

void rt_fiber_check_stack(const struct mirage_fiber *f)
{
    uint64_t magic;
    memcpy(&magic, f->stack, sizeof magic);
    if (magic == STACK_MAGIC)
        return;
    report_overflow(f);
    rt_sched_fatal("");
}

static const void *boot_stack_guard;

void rt_boot_stack_guard(const void *page)
{
    boot_stack_guard = page;
}

static bool in_page(uint64_t addr, const void *page)
{
    return page && addr - (uint64_t)(uintptr_t)page < PLAT_PAGE_SIZE;
}

bool mirage_rt_stack_fault(uint64_t addr)
{
    /* At most nfibers steps, in case the list itself is damaged. */
    const struct mirage_fiber *f = rt_sched.all;
    for (size_t n = 0; f && n < rt_sched.nfibers; n++, f = f->all_next) {
        if (in_page(addr, f->guard)) {
            report_overflow(f);
            console_puts("\n");
            return true;
        }
    }
    if (in_page(addr, boot_stack_guard)) {
        console_puts("stack overflow on the boot stack (the event loop's)\n");
        return true;
    }
    return false;
}

/* A guarded stack kept for reuse: its guard page stays in place, so that
 * a fiber started after another one ended costs no system call (two
 * mprotect calls, about 7 us on spt, against 0.4 us for the rest). The
 * record lives at the bottom of the stack itself. */
struct cached_stack {
    struct cached_stack *next;
    size_t size;
};

/* A stack of size bytes (a multiple of PLAT_PAGE_SIZE) with a guard page
 * below it when the platform can: sets *guard to the allocation's start
 * (the guard page) or NULL, and returns the stack's lowest address, or
 * NULL when memory is exhausted. A cached stack of that size comes first;
 * the first attempt tells whether the platform has guard pages at all. */
static unsigned char *stack_alloc(size_t size, void **guard)
{
    for (struct cached_stack **p = &rt_sched.stack_cache; *p; p = &(*p)->next) {
        if ((*p)->size != size)
            continue;
        unsigned char *stack = (unsigned char *)*p;
        *p = (*p)->next;
        rt_sched.ncached--;
        *guard = stack - PLAT_PAGE_SIZE;
        return stack;
    }
    *guard = NULL;
    if (rt_sched.guards >= 0 && size <= SIZE_MAX - PLAT_PAGE_SIZE) {
        unsigned char *block =
            aligned_alloc(PLAT_PAGE_SIZE, size + PLAT_PAGE_SIZE);
        if (!block)
            return NULL;
        if (plat_stack_guard(block, true) == PLAT_OK) {
            rt_sched.guards = 1;
            *guard = block;
            return block + PLAT_PAGE_SIZE;
        }
        free(block);
        /* A refusal once guards worked (the host ran out of mappings) is
         * for this stack only. */
        if (rt_sched.guards == 0)
            rt_sched.guards = -1;
    }
    return malloc(size);
}

/* Give a guarded stack's memory back: unguard, then free. */
static void stack_release(void *guard)
{
    if (plat_stack_guard(guard, false) != PLAT_OK)
        rt_sched_fatal("fiber stack: cannot release a guard page");
    free(guard);
}

static void stack_free(unsigned char *stack, size_t size, void *guard)
{
    if (!guard) {
        free(stack);
    } else if (rt_sched.ncached < RT_STACK_CACHE) {
        struct cached_stack *c = (struct cached_stack *)stack;
        *c = (struct cached_stack){rt_sched.stack_cache, size};
        rt_sched.stack_cache = c;
        rt_sched.ncached++;
    } else {
        stack_release(guard);
    }
}

void rt_stack_cache_drain(void)
{
    while (rt_sched.stack_cache) {
        unsigned char *stack = (unsigned char *)rt_sched.stack_cache;
        rt_sched.stack_cache = rt_sched.stack_cache->next;
        stack_release(stack - PLAT_PAGE_SIZE);
    }
    rt_sched.ncached = 0;
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
    stack_size =
        (stack_size + PLAT_PAGE_SIZE - 1) & ~(size_t)(PLAT_PAGE_SIZE - 1);
    /* Every fiber has at most one queued timer: keep room for all. */
    if (mirage_minheap_reserve(&rt_sched.timers, rt_sched.nfibers + 1) != 0)
        return NULL;
    /* The stack first: an overrun runs into older blocks, not into the
     * fiber object that the canary check reads. */
    void *guard;
    unsigned char *stack = stack_alloc(stack_size, &guard);
    struct mirage_fiber *f = stack ? calloc(1, sizeof *f) : NULL;
    if (!f) {
        if (stack)
            stack_free(stack, stack_size, guard);
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
    f->guard = guard;
    f->fn = fn;
    f->arg = arg;
    f->state = RT_FIBER_BLOCKED;
    mirage_minheap_node_init(&f->timer);
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
    stack_free(f->stack, f->stack_size, f->guard);
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

void mirage_fiber_set_name(struct mirage_fiber *f, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (vsnprintf(f->name, sizeof f->name, fmt, ap) < 0)
        f->name[0] = '\0';
    va_end(ap);
}

void mirage_hold(void)
{
    rt_sched.holds++;
}

void mirage_release(void)
{
    if (rt_sched.holds == 0)
        rt_sched_fatal("mirage_release: nothing is held");
    if (--rt_sched.holds == 0)
        mirage_waitq_wake_all(&rt_sched.released);
}

void rt_wait_released(void)
{
    while (rt_sched.holds > 0)
        mirage_waitq_wait(&rt_sched.released, MIRAGE_FOREVER);
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
        mirage_minheap_push(&rt_sched.timers, &self->timer, deadline);
    self->state = RT_FIBER_BLOCKED;
    rt_sched_switch_out();
}
