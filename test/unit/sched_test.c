/* Tests of the scheduler: the timer heap, fibers, sleeping, wait queues,
 * the event loop, the stack canary, deadlock detection and boot. Built
 * without ASan (which cannot follow the stack switches), with UBSan, and
 * linked with malloc/calloc/realloc wrapped so that allocation failures
 * can be injected. Fatal cases run in forked children. */
#include "../../lib/rt/internal.h"
#include "../../lib/rt/sched.h"
#include "alloc_fail.h"
#include "fake_plat.h"
#include "test.h"

#include "host_plat.h"
#include <mirage/error.h>
#include <mirage/fiber.h>
#include <mirage/rt.h>

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

/* Run fn in a forked child with its stdout in out; returns the wait
 * status. */
static int run_child(void (*fn)(void), char *out, size_t size)
{
    int fd[2];
    if (pipe(fd) != 0)
        return -1;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        close(fd[0]);
        dup2(fd[1], 1);
        fn();
        exit(0);
    }
    close(fd[1]);
    size_t len = 0;
    ssize_t n;
    while (len + 1 < size && (n = read(fd[0], out + len, size - 1 - len)) > 0)
        len += (size_t)n;
    out[len] = '\0';
    close(fd[0]);
    int status;
    waitpid(pid, &status, 0);
    return status;
}

static bool aborted(int status)
{
    return WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT;
}

/* ---- fibers and the loop ---- */

static char order[64];
static size_t order_len;

static int interleave(void *arg)
{
    for (int i = 0; i < 3; i++) {
        order[order_len++] = *(const char *)arg;
        mirage_fiber_yield();
    }
    return 0;
}

static int interleave_main(void *arg)
{
    (void)arg;
    struct mirage_fiber *f[3];
    for (int i = 0; i < 3; i++)
        f[i] = mirage_fiber_spawn(interleave, "ABC" + i, 0);
    for (int i = 0; i < 3; i++)
        mirage_fiber_join(f[i]);
    return 42;
}

TEST(runnable_fibers_run_in_fifo_order)
{
    order_len = 0;
    CHECK_INT(rt_run_main(interleave_main, NULL), 42);
    order[order_len] = '\0';
    CHECK_STR(order, "ABCABCABC");
    CHECK_INT(rt_sched.nfibers, 0);
}

static uint64_t slept_ns;

static int sleep_main(void *arg)
{
    (void)arg;
    uint64_t t0 = mirage_now();
    mirage_sleep_ns(MIRAGE_MSEC(20));
    slept_ns = mirage_now() - t0;
    return 0;
}

TEST(sleep_lasts_at_least_its_duration)
{
    CHECK_INT(rt_run_main(sleep_main, NULL), 0);
    CHECK(slept_ns >= MIRAGE_MSEC(20));
    CHECK(slept_ns < MIRAGE_MSEC(500));
}

enum { SLEEPERS = 300 };
static uint64_t woke_deadline[SLEEPERS];
static size_t woke, woke_early;

static int sleeper(void *arg)
{
    uint64_t deadline = *(uint64_t *)arg;
    mirage_sleep_until(deadline);
    if (mirage_now() < deadline)
        woke_early++;
    woke_deadline[woke++] = deadline;
    return 0;
}

static int sleepers_main(void *arg)
{
    static uint64_t deadline[SLEEPERS];
    struct mirage_fiber *f[SLEEPERS];
    (void)arg;
    uint64_t now = mirage_now();
    for (int i = 0; i < SLEEPERS; i++) {
        deadline[i] = now + MIRAGE_MSEC(rng() % 40);
        f[i] = mirage_fiber_spawn(sleeper, &deadline[i], 8192);
    }
    for (int i = 0; i < SLEEPERS; i++)
        mirage_fiber_join(f[i]);
    return 0;
}

TEST(sleeping_fibers_wake_in_deadline_order)
{
    woke = woke_early = 0;
    CHECK_INT(rt_run_main(sleepers_main, NULL), 0);
    CHECK_INT(woke, SLEEPERS);
    CHECK_INT(woke_early, 0);
    for (size_t i = 1; i < SLEEPERS; i++)
        CHECK(woke_deadline[i - 1] <= woke_deadline[i]);
}

enum { MANY = 5000 };

static int many_body(void *arg)
{
    intptr_t i = (intptr_t)arg;
    mirage_fiber_yield();
    mirage_sleep_ns(MIRAGE_MSEC(1) + (uint64_t)(i % 7) * MIRAGE_USEC(100));
    mirage_fiber_yield();
    return (int)(i * 3);
}

static int many_main(void *arg)
{
    (void)arg;
    static struct mirage_fiber *f[MANY];
    for (intptr_t i = 0; i < MANY; i++)
        if (!(f[i] = mirage_fiber_spawn(many_body, (void *)i, 16384)))
            return -1;
    if (rt_sched.nfibers != MANY + 1)
        return -2;
    for (intptr_t i = 0; i < MANY; i++)
        if (mirage_fiber_join(f[i]) != i * 3)
            return -3;
    return (int)rt_sched.nfibers;
}

TEST(thousands_of_fibers_yield_sleep_and_join)
{
    CHECK_INT(rt_run_main(many_main, NULL), 1);
    CHECK_INT(rt_sched.nfibers, 0);
    CHECK_INT(rt_sched.timers.len, 0);
}

static int self_seen_ok;

static int child_result(void *arg)
{
    self_seen_ok = mirage_fiber_self() == *(struct mirage_fiber **)arg;
    return 7;
}

static int ends_at_once(void *arg)
{
    (void)arg;
    return 0;
}

static int endless(void *arg)
{
    (void)arg;
    mirage_sleep_until(MIRAGE_FOREVER);
    return 0;
}

static int join_main(void *arg)
{
    static struct mirage_fiber *f;
    (void)arg;
    f = mirage_fiber_spawn(child_result, &f, 0);
    mirage_fiber_yield(); /* f runs and ends before the join */
    int a = mirage_fiber_join(f);
    /* A detached fiber is freed when it ends; one detached after it
     * ended is freed at once. */
    struct mirage_fiber *d = mirage_fiber_spawn(ends_at_once, NULL, 0);
    mirage_fiber_detach(d);
    struct mirage_fiber *e = mirage_fiber_spawn(ends_at_once, NULL, 0);
    mirage_fiber_yield();
    size_t before = rt_sched.nfibers; /* main and e */
    mirage_fiber_detach(e);
    /* This one never ends: it is abandoned when main returns. */
    mirage_fiber_spawn(endless, NULL, 0);
    return a == 7 && before == 2 && rt_sched.nfibers == 2 ? 0 : 1;
}

TEST(join_and_detach_free_fibers)
{
    self_seen_ok = 0;
    CHECK(mirage_fiber_self() == NULL);
    CHECK_INT(rt_run_main(join_main, NULL), 0);
    CHECK(self_seen_ok);
    CHECK_INT(rt_sched.nfibers, 0); /* the abandoned fiber is freed */
    CHECK_INT(rt_sched.timers.len, 0);
}

static int nested_main(void *arg)
{
    (void)arg;
    return rt_run_main(nested_main, NULL);
}

TEST(run_main_inside_a_fiber_is_refused)
{
    CHECK_INT(rt_run_main(nested_main, NULL), MIRAGE_EINVAL);
}

static int spawn_fails_main(void *arg)
{
    (void)arg;
    if (mirage_fiber_spawn(ends_at_once, NULL, SIZE_MAX) != NULL)
        return 1;
    allocs_left = 1; /* the stack, not the fiber object */
    struct mirage_fiber *f = mirage_fiber_spawn(ends_at_once, NULL, 0);
    allocs_left = -1;
    return f == NULL && rt_sched.nfibers == 1 ? 0 : 2;
}

TEST(spawn_without_memory_returns_null)
{
    CHECK_INT(rt_run_main(spawn_fails_main, NULL), 0);
    allocs_left = 0;
    int r = rt_run_main(spawn_fails_main, NULL);
    allocs_left = -1;
    CHECK_INT(r, MIRAGE_ENOMEM);
    CHECK_INT(rt_run_main(sleep_main, NULL), 0); /* usable afterwards */
}

/* ---- wait queues ---- */

static struct mirage_waitq q = MIRAGE_WAITQ_INIT;
static int wait_result[16];
static char wake_order[16];
static size_t wake_len;

static int waiter(void *arg)
{
    intptr_t i = (intptr_t)arg;
    wait_result[i] = mirage_waitq_wait(&q, MIRAGE_FOREVER);
    wake_order[wake_len++] = (char)('0' + i);
    return 0;
}

static int wake_one_main(void *arg)
{
    (void)arg;
    struct mirage_fiber *f[5];
    for (intptr_t i = 0; i < 5; i++)
        f[i] = mirage_fiber_spawn(waiter, (void *)i, 0);
    mirage_fiber_yield(); /* all five wait now, in order */
    for (int i = 0; i < 5; i++) {
        if (mirage_waitq_wake_one(&q) != 1)
            return 1;
        mirage_fiber_yield();
    }
    if (mirage_waitq_wake_one(&q) != 0)
        return 2;
    for (int i = 0; i < 5; i++)
        mirage_fiber_join(f[i]);
    return 0;
}

TEST(wake_one_wakes_in_wait_order)
{
    wake_len = 0;
    mirage_waitq_init(&q);
    CHECK_INT(rt_run_main(wake_one_main, NULL), 0);
    wake_order[wake_len] = '\0';
    CHECK_STR(wake_order, "01234");
    for (int i = 0; i < 5; i++)
        CHECK_INT(wait_result[i], 0);
}

static int wake_all_main(void *arg)
{
    (void)arg;
    struct mirage_fiber *f[10];
    for (intptr_t i = 0; i < 10; i++)
        f[i] = mirage_fiber_spawn(waiter, (void *)i, 0);
    mirage_fiber_yield();
    int n = mirage_waitq_wake_all(&q);
    for (int i = 0; i < 10; i++)
        mirage_fiber_join(f[i]);
    return n;
}

TEST(wake_all_wakes_every_waiter)
{
    wake_len = 0;
    mirage_waitq_init(&q);
    CHECK_INT(rt_run_main(wake_all_main, NULL), 10);
    CHECK(q.head == NULL && q.tail == NULL);
    for (int i = 0; i < 10; i++)
        CHECK_INT(wait_result[i], 0);
}

static int timed_waiter(void *arg)
{
    intptr_t i = (intptr_t)arg;
    uint64_t deadline = i == 1 ? MIRAGE_FOREVER : mirage_now() + MIRAGE_MSEC(5);
    uint64_t t0 = mirage_now();
    wait_result[i] = mirage_waitq_wait(&q, deadline);
    if (wait_result[i] == MIRAGE_ETIMEDOUT &&
        mirage_now() - t0 < MIRAGE_MSEC(5))
        wait_result[i] = 99; /* woke early */
    return 0;
}

static int timeout_main(void *arg)
{
    (void)arg;
    struct mirage_fiber *f[3];
    for (intptr_t i = 0; i < 3; i++)
        f[i] = mirage_fiber_spawn(timed_waiter, (void *)i, 0);
    mirage_sleep_ns(MIRAGE_MSEC(30)); /* 0 and 2 time out, 1 waits on */
    if (q.head != f[1] || q.tail != f[1] || rt_sched.timers.len != 0)
        return 1;
    if (mirage_waitq_wait(&q, mirage_now()) != MIRAGE_ETIMEDOUT)
        return 2; /* a passed deadline does not even queue */
    if (q.head != f[1] || q.tail != f[1])
        return 3;
    if (mirage_waitq_wake_one(&q) != 1)
        return 4;
    for (int i = 0; i < 3; i++)
        mirage_fiber_join(f[i]);
    return 0;
}

TEST(wait_deadlines_time_out_and_leave_the_queue)
{
    mirage_waitq_init(&q);
    CHECK_INT(rt_run_main(timeout_main, NULL), 0);
    CHECK_INT(wait_result[0], MIRAGE_ETIMEDOUT);
    CHECK_INT(wait_result[1], 0);
    CHECK_INT(wait_result[2], MIRAGE_ETIMEDOUT);
    CHECK(q.head == NULL && q.tail == NULL);
}

static int early_wake_main(void *arg)
{
    (void)arg;
    struct mirage_fiber *f = mirage_fiber_spawn(timed_waiter, (void *)0, 0);
    mirage_fiber_yield();
    if (rt_sched.timers.len != 1 || mirage_waitq_wake_one(&q) != 1)
        return 1;
    if (rt_sched.timers.len != 0) /* the wake-up cancelled the timer */
        return 2;
    mirage_fiber_join(f);
    mirage_sleep_ns(MIRAGE_MSEC(10)); /* no late time-out arrives */
    return 0;
}

TEST(wake_before_deadline_cancels_the_timer)
{
    mirage_waitq_init(&q);
    wait_result[0] = -1;
    CHECK_INT(rt_run_main(early_wake_main, NULL), 0);
    CHECK_INT(wait_result[0], 0);
}

/* ---- watched handles ---- */

static int ready_calls;

static void on_ready(void *arg)
{
    ready_calls++;
    mirage_waitq_wake_all(arg);
}

static int watch_main(void *arg)
{
    (void)arg;
    mirage_loop_watch(5, on_ready, &q);
    fake_ready = (plat_handle_set)1 << 5 | (plat_handle_set)1 << 6;
    /* Blocks with no timer: only the device can wake it. */
    int r = mirage_waitq_wait(&q, MIRAGE_FOREVER);
    /* While a fiber keeps yielding, the device is still polled. */
    fake_ready = (plat_handle_set)1 << 5;
    int calls = ready_calls;
    for (int i = 0; i < 100 && ready_calls == calls; i++)
        mirage_fiber_yield();
    mirage_loop_watch(5, NULL, NULL);
    return r == 0 && ready_calls == 2 && rt_sched.nwatch == 0 ? 0 : 1;
}

TEST(watched_handles_run_their_callbacks)
{
    ready_calls = 0;
    mirage_waitq_init(&q);
    CHECK_INT(rt_run_main(watch_main, NULL), 0);
}

/* A device with `batch_left` events, served 3 per callback: the callback
 * asks to run again while some are left, and wakes q at the end. */
static int batch_left, batch_calls;

static void on_batch(void *arg)
{
    batch_calls++;
    batch_left -= batch_left < 3 ? batch_left : 3;
    if (batch_left > 0)
        mirage_loop_again(7);
    else
        mirage_waitq_wake_all(arg);
}

static int again_main(void *arg)
{
    (void)arg;
    mirage_loop_watch(7, on_batch, &q);
    batch_left = 10;
    fake_ready = (plat_handle_set)1 << 7;
    unsigned long yields = fake_yield_calls;
    int r = mirage_waitq_wait(&q, MIRAGE_FOREVER);
    /* One plat_yield reported the device; the other three batches ran
     * without asking the platform again. */
    bool served = r == 0 && batch_calls == 4 && fake_yield_calls - yields == 1;
    /* While fibers run, a request to run again is served too. */
    batch_left = 2;
    mirage_loop_again(7);
    r = mirage_waitq_wait(&q, MIRAGE_FOREVER);
    served = served && r == 0 && batch_calls == 5;
    /* Removing the callback cancels a pending request. */
    mirage_loop_again(7);
    mirage_loop_watch(7, NULL, NULL);
    return served && rt_sched.again == 0 ? 0 : 1;
}

TEST(callbacks_that_ask_again_run_without_yielding)
{
    batch_calls = 0;
    mirage_waitq_init(&q);
    CHECK_INT(rt_run_main(again_main, NULL), 0);
}

/* Busy polling: the loop asks without blocking until the device is ready
 * (here at the 5th call), and blocks only once the budget is spent. */
static int busy_main(void *arg)
{
    (void)arg;
    mirage_loop_watch(5, on_ready, &q);
    mirage_loop_busy_poll(MIRAGE_SEC(10));
    unsigned long calls = fake_yield_calls, waits = fake_yield_waits;
    fake_ready = (plat_handle_set)1 << 5;
    fake_ready_after = 5;
    int r = mirage_waitq_wait(&q, MIRAGE_FOREVER);
    bool spun =
        r == 0 && fake_yield_calls - calls == 5 && fake_yield_waits == waits;
    /* A 2 ms budget with nothing ready: polls, then one sleep until the
     * 20 ms time-out. */
    mirage_loop_busy_poll(MIRAGE_MSEC(2));
    calls = fake_yield_calls;
    uint64_t t0 = plat_clock_monotonic();
    r = mirage_waitq_wait(&q, t0 + MIRAGE_MSEC(20));
    bool slept = r == MIRAGE_ETIMEDOUT && fake_yield_calls - calls > 1 &&
                 fake_yield_waits - waits == 1 &&
                 plat_clock_monotonic() - t0 >= MIRAGE_MSEC(20);
    /* Without a budget: one blocking call. */
    mirage_loop_busy_poll(0);
    calls = fake_yield_calls;
    r = mirage_waitq_wait(&q, plat_clock_monotonic() + MIRAGE_MSEC(5));
    bool plain = r == MIRAGE_ETIMEDOUT && fake_yield_calls - calls == 1 &&
                 fake_yield_waits - waits == 2;
    mirage_loop_watch(5, NULL, NULL);
    return spun && slept && plain ? 0 : 1;
}

TEST(busy_poll_polls_before_blocking)
{
    ready_calls = 0;
    mirage_waitq_init(&q);
    CHECK_INT(rt_run_main(busy_main, NULL), 0);
    CHECK_INT(ready_calls, 1);
}

/* ---- fatal errors, in children ---- */

static int recurse(int depth)
{
    volatile char frame[1024];
    for (size_t i = 0; i < sizeof frame; i++)
        frame[i] = (char)depth;
    return depth == 0 ? frame[7] : recurse(depth - 1) + frame[9];
}

static int overflower(void *arg)
{
    (void)arg;
    int r = recurse(17); /* about 17.5 KiB on a 16 KiB stack */
    mirage_fiber_yield();
    return r;
}

static int overflow_main(void *arg)
{
    (void)arg;
    /* Whatever the overrun spills into below the stack is this block. */
    void *cushion = malloc(8192);
    struct mirage_fiber *f = mirage_fiber_spawn(overflower, NULL, 16384);
    mirage_fiber_join(f);
    free(cushion);
    return 0;
}

static void overflow_child(void)
{
    rt_run_main(overflow_main, NULL);
}

TEST(stack_overflow_is_detected_at_the_next_switch)
{
    char out[512];
    int status = run_child(overflow_child, out, sizeof out);
    CHECK(aborted(status));
    char want[128];
    snprintf(want, sizeof want,
             "fiber stack overflow in fiber 1 (entry 0x%lx, stack size "
             "16384)\n",
             (unsigned long)(uintptr_t)overflower);
    CHECK_STR(out, want);
}

/* ---- guard pages, names, holds ---- */

static bool guarded(const void *page)
{
    for (size_t i = 0; i < HOST_GUARDS_MAX; i++)
        if (host_guarded[i] == page)
            return true;
    return false;
}

static int guard_main(void *arg)
{
    (void)arg;
    struct mirage_fiber *f = mirage_fiber_spawn(ends_at_once, NULL, 5000);
    if (!f)
        return 1;
    mirage_fiber_set_name(f, "worker %d of a name longer than it may be", 7);
    char want[160];
    snprintf(want, sizeof want,
             "fiber stack overflow in fiber 1 \"worker 7 of a name longer "
             "than \" (entry 0x%lx, stack size 8192)\n",
             (unsigned long)(uintptr_t)ends_at_once);
    uintptr_t page = (uintptr_t)f->guard;
    int bad = 0;
    /* The stack is whole pages (5000 rounded up) right above its guard. */
    bad |= (page % PLAT_PAGE_SIZE != 0 ||
            f->stack != (unsigned char *)page + PLAT_PAGE_SIZE ||
            f->stack_size != 8192 || !guarded(f->guard))
           << 0;
    fake_console_capture(true);
    bad |= (!mirage_rt_stack_fault(page + 100) ||
            strcmp(fake_console_text(), want) != 0)
           << 1;
    fake_console_capture(true);
    bad |= (mirage_rt_stack_fault(page - 1) ||
            mirage_rt_stack_fault((uintptr_t)f->stack) ||
            strcmp(fake_console_text(), "") != 0)
           << 2;
    static char boot_guard[PLAT_PAGE_SIZE];
    rt_boot_stack_guard(boot_guard);
    bad |=
        (!mirage_rt_stack_fault((uintptr_t)boot_guard + 4095) ||
         strcmp(fake_console_text(),
                "stack overflow on the boot stack (the event loop's)\n") != 0)
        << 3;
    rt_boot_stack_guard(NULL);
    fake_console_capture(false);
    void *g = f->guard;
    mirage_fiber_join(f);
    /* Kept for reuse, guard in place: the next stack of the size. */
    bad |= !guarded(g) << 4;
    f = mirage_fiber_spawn(ends_at_once, NULL, 8192);
    bad |= (!f || f->guard != g) << 5;
    mirage_fiber_join(f);
    return bad;
}

TEST(stacks_get_guard_pages_and_faults_in_them_name_the_fiber)
{
    host_guards = true;
    CHECK_INT(rt_run_main(guard_main, NULL), 0);
    /* Every guard released (before its memory was freed) by the end. */
    for (size_t i = 0; i < HOST_GUARDS_MAX; i++)
        CHECK(host_guarded[i] == NULL);
    host_guards = false;
}

static int no_guard_main(void *arg)
{
    (void)arg;
    struct mirage_fiber *f = mirage_fiber_spawn(ends_at_once, NULL, 0);
    int bad = !f || f->guard != NULL || rt_sched.guards != -1 ||
              mirage_rt_stack_fault((uintptr_t)f->stack - 1);
    mirage_fiber_join(f);
    return bad;
}

TEST(without_guard_pages_stacks_are_plain_blocks)
{
    CHECK_INT(rt_run_main(no_guard_main, NULL), 0);
}

static bool released;

static int releaser(void *arg)
{
    (void)arg;
    mirage_sleep_ns(MIRAGE_MSEC(5));
    released = true;
    mirage_release();
    return 0;
}

static int hold_main(void *arg)
{
    (void)arg;
    released = false;
    mirage_hold();
    mirage_fiber_detach(mirage_fiber_spawn(releaser, NULL, 0));
    rt_wait_released();
    return released ? 7 : 1;
}

TEST(a_hold_keeps_the_main_fiber_waiting_until_released)
{
    CHECK_INT(rt_run_main(hold_main, NULL), 7);
}

static void release_unheld_child(void)
{
    rt_run_main(releaser, NULL);
}

TEST(releasing_what_is_not_held_aborts)
{
    char out[512];
    int status = run_child(release_unheld_child, out, sizeof out);
    CHECK(aborted(status));
    CHECK_STR(out, "mirage_release: nothing is held\n");
}

static int deadlock_main(void *arg)
{
    (void)arg;
    static struct mirage_waitq never = MIRAGE_WAITQ_INIT;
    mirage_fiber_spawn(waiter, (void *)0, 0); /* blocked on q */
    return mirage_waitq_wait(&never, MIRAGE_FOREVER);
}

static void deadlock_child(void)
{
    mirage_waitq_init(&q);
    rt_run_main(deadlock_main, NULL);
}

TEST(deadlock_is_reported)
{
    char out[512];
    int status = run_child(deadlock_child, out, sizeof out);
    CHECK(aborted(status));
    CHECK_STR(out, "deadlock: every fiber is blocked\n");
}

static void yield_outside_child(void)
{
    mirage_fiber_yield();
}

static int join_self_main(void *arg)
{
    (void)arg;
    return mirage_fiber_join(mirage_fiber_self());
}

static void join_self_child(void)
{
    rt_run_main(join_self_main, NULL);
}

static int detach_twice_main(void *arg)
{
    (void)arg;
    struct mirage_fiber *f = mirage_fiber_spawn(endless, NULL, 0);
    mirage_fiber_detach(f);
    mirage_fiber_detach(f);
    return 0;
}

static void detach_twice_child(void)
{
    rt_run_main(detach_twice_main, NULL);
}

static void bad_watch_child(void)
{
    mirage_loop_watch(PLAT_MAX_DEVICES, on_ready, NULL);
}

static void bad_again_child(void)
{
    mirage_loop_again(PLAT_MAX_DEVICES);
}

TEST(misuse_aborts_with_a_message)
{
    char out[512];
    CHECK(aborted(run_child(yield_outside_child, out, sizeof out)));
    CHECK_STR(out, "mirage_fiber_yield: called outside a fiber\n");
    CHECK(aborted(run_child(join_self_child, out, sizeof out)));
    CHECK_STR(out, "mirage_fiber_join: the fiber is the caller, detached or "
                   "already being joined\n");
    CHECK(aborted(run_child(detach_twice_child, out, sizeof out)));
    CHECK_STR(out, "mirage_fiber_detach: the fiber is already detached or "
                   "being joined\n");
    CHECK(aborted(run_child(bad_watch_child, out, sizeof out)));
    CHECK_STR(out, "mirage_loop_watch: handle out of range\n");
    CHECK(aborted(run_child(bad_again_child, out, sizeof out)));
    CHECK_STR(out, "mirage_loop_again: handle out of range\n");
}

/* ---- boot ---- */

static size_t heap_size_seen;

void rt_heap_init(void *base, size_t size)
{
    (void)base;
    heap_size_seen = size;
}

void rt_stdio_flush(void)
{
    printf("flushed\n");
}

int mirage_app_main(int argc, char **argv)
{
    printf("main %s %s heap %zu in a fiber %d\n", argv[argc - 1],
           mirage_target(), heap_size_seen, mirage_fiber_self() != NULL);
    return argc == 2 ? 3 : -1;
}

static void boot_child(void)
{
    static char heap[64];
    static char *argv[] = {"app", "--x", NULL};
    struct plat_boot boot = {2, argv, heap, sizeof heap, "unix"};
    mirage_rt_boot(&boot);
}

static void boot_negative_child(void)
{
    static char *argv[] = {"app", NULL};
    struct plat_boot boot = {1, argv, NULL, 0, NULL};
    mirage_rt_boot(&boot);
}

TEST(boot_runs_the_app_in_a_fiber_and_exits_with_its_status)
{
    char out[512];
    int status = run_child(boot_child, out, sizeof out);
    CHECK(WIFEXITED(status));
    CHECK_INT(WEXITSTATUS(status), 3);
    CHECK_STR(out, "main --x unix heap 64 in a fiber 1\nflushed\n");
    status = run_child(boot_negative_child, out, sizeof out);
    CHECK(WIFEXITED(status));
    CHECK_INT(WEXITSTATUS(status), 255);
    CHECK_STR(out, "main app unknown heap 0 in a fiber 1\nflushed\n");
}

int main(void)
{
    return test_main();
}
