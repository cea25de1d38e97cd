/* The event loop: runs runnable fibers in FIFO order, fires expired
 * timers, runs the ready callbacks that asked to run again, and when
 * nothing is runnable or waiting blocks in plat_yield() until the
 * nearest deadline or a watched device is ready. It runs on the stack of
 * rt_run_main's caller; every fiber switches back to it when it blocks. */
#include "internal.h"
#include "sched.h"

#include <mirage/error.h>
#include <mirage/fiber.h>
#include <mirage/plat.h>
#include <stddef.h>

/* How long plat_yield may block when only devices can wake the loop. */
#define IDLE_WAIT MIRAGE_SEC(60)
/* While fibers stay runnable, watched devices are polled once every this
 * many rounds of the run queue. */
#define POLL_ROUNDS 16

#define fiber_of_timer(t)                                                      \
    ((struct mirage_fiber *)((char *)(t)-offsetof(struct mirage_fiber, timer)))

void rt_sched_ready(struct mirage_fiber *f)
{
    f->state = RT_FIBER_RUNNABLE;
    f->run_next = NULL;
    if (rt_sched.run_tail)
        rt_sched.run_tail->run_next = f;
    else
        rt_sched.run_head = f;
    rt_sched.run_tail = f;
    rt_sched.run_len++;
}

static struct mirage_fiber *pop_runnable(void)
{
    struct mirage_fiber *f = rt_sched.run_head;
    rt_sched.run_head = f->run_next;
    if (!rt_sched.run_head)
        rt_sched.run_tail = NULL;
    rt_sched.run_len--;
    return f;
}

/* Switch to f until it blocks, yields or ends; the canary is checked on
 * the way in and on the way out. */
static void run(struct mirage_fiber *f)
{
    rt_fiber_check_stack(f);
    f->state = RT_FIBER_RUNNING;
    rt_sched.current = f;
    rt_switch(&rt_sched.loop_sp, f->sp);
    rt_sched.current = NULL;
    rt_fiber_check_stack(f);
    if (f->state == RT_FIBER_DONE && f->detached && f != rt_sched.main)
        rt_fiber_free(f);
}

static void fire_timers(void)
{
    if (!rt_sched.timers.len)
        return;
    uint64_t now = plat_clock_monotonic();
    struct mirage_minheap_node *t;
    while ((t = mirage_minheap_peek(&rt_sched.timers)) && t->key <= now) {
        mirage_minheap_remove(&rt_sched.timers, t);
        rt_waitq_expire(fiber_of_timer(t));
    }
}

/* Run the callbacks of the handles in ready, in handle order. */
static void run_ready(plat_handle_set ready)
{
    for (unsigned h = 0; h < PLAT_MAX_DEVICES && ready; h++) {
        if (!(ready & ((plat_handle_set)1 << h)))
            continue;
        ready &= ~((plat_handle_set)1 << h);
        struct rt_watch *w = &rt_sched.watch[h];
        if (w->fn)
            w->fn(w->arg);
    }
}

/* Block until `deadline` or a device is ready, then run the callbacks of
 * the ready handles. With a busy-poll budget and a handle watched, first
 * ask the platform without blocking until something is ready or the
 * budget (or the deadline) runs out. */
static void poll_devices(uint64_t deadline)
{
    plat_handle_set ready = 0;
    if (rt_sched.busy_poll && rt_sched.nwatch && deadline) {
        uint64_t now = plat_clock_monotonic();
        uint64_t until = now + rt_sched.busy_poll;
        if (until > deadline)
            until = deadline;
        while (!ready && now < until) {
            plat_yield(0, &ready);
            now = plat_clock_monotonic();
        }
    }
    if (!ready)
        plat_yield(deadline, &ready);
    run_ready(ready);
}

void mirage_loop_busy_poll(uint64_t ns)
{
    rt_sched.busy_poll = ns;
}

/* Run the callbacks that asked to run again; they may ask again. */
static void run_again(void)
{
    plat_handle_set again = rt_sched.again;
    rt_sched.again = 0;
    run_ready(again);
}

void mirage_loop_again(uint64_t handle)
{
    if (handle >= PLAT_MAX_DEVICES)
        rt_sched_fatal("mirage_loop_again: handle out of range");
    rt_sched.again |= (plat_handle_set)1 << handle;
}

void mirage_loop_watch(uint64_t handle, mirage_ready_fn fn, void *arg)
{
    if (handle >= PLAT_MAX_DEVICES)
        rt_sched_fatal("mirage_loop_watch: handle out of range");
    struct rt_watch *w = &rt_sched.watch[handle];
    if (!fn)
        rt_sched.again &= ~((plat_handle_set)1 << handle);
    if (w->fn && !fn)
        rt_sched.nwatch--;
    else if (!w->fn && fn)
        rt_sched.nwatch++;
    w->fn = fn;
    w->arg = fn ? arg : NULL;
}

/* Forget everything the run left behind: abandoned fibers, timers and
 * watches, so that the scheduler starts afresh. */
static void reset(void)
{
    while (rt_sched.all)
        rt_fiber_free(rt_sched.all);
    rt_stack_cache_drain();
    mirage_minheap_free(&rt_sched.timers);
    rt_sched = (struct rt_sched){0};
}

int rt_run_main(int (*fn)(void *), void *arg)
{
    if (rt_sched.main || rt_sched.current)
        return MIRAGE_EINVAL;
    rt_sched.next_id = 0;
    struct mirage_fiber *main = rt_fiber_create(fn, arg, RT_MAIN_STACK_SIZE);
    if (!main) {
        reset();
        return MIRAGE_ENOMEM;
    }
    mirage_fiber_set_name(main, "main");
    rt_sched.main = main;
    rt_sched_ready(main);
    for (unsigned round = 0;; round++) {
        fire_timers();
        if (rt_sched.run_len) {
            for (size_t n = rt_sched.run_len; n > 0; n--) {
                run(pop_runnable());
                if (main->state == RT_FIBER_DONE) {
                    int result = main->result;
                    reset();
                    return result;
                }
            }
            if (rt_sched.nwatch && round % POLL_ROUNDS == 0)
                poll_devices(0);
            else if (rt_sched.again)
                run_again();
            continue;
        }
        if (rt_sched.again) {
            /* Events are known to be waiting: serve them without asking
             * the platform (it is still asked every POLL_ROUNDS rounds
             * while fibers run, so other devices are not starved). */
            run_again();
            continue;
        }
        struct mirage_minheap_node *next =
            mirage_minheap_peek(&rt_sched.timers);
        if (!next && !rt_sched.nwatch)
            rt_sched_fatal("deadlock: every fiber is blocked");
        poll_devices(next ? next->key : plat_clock_monotonic() + IDLE_WAIT);
    }
}
