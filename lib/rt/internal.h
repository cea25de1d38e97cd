/* Contracts between the parts of lib/rt; not a public interface. */
#ifndef MIRAGE_RT_INTERNAL_H
#define MIRAGE_RT_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>

/* The allocator (malloc.c): give it the heap region once, at boot. */
void rt_heap_init(void *base, size_t size);

/* The printf engine (format.c): formats fmt with ap, passing the output in
 * pieces to put(ctx, piece, len). Returns the number of bytes produced, or
 * -1 when that exceeds INT_MAX or a width or precision does (the output up
 * to there has been passed to put). ap is left untouched (copied). */
typedef void (*rt_put_fn)(void *ctx, const char *s, size_t len);
int rt_vformat(rt_put_fn put, void *ctx, const char *fmt, va_list ap);

/* stdio (stdio.c): write out stdout's buffered line. exit() and abort()
 * call it; so should any other path that ends the unikernel. */
void rt_stdio_flush(void);

/* The scheduler (fiber.c / loop.c): start the main fiber running
 * fn(arg) and run the event loop until it returns; returns its result.
 * Fibers still alive then are freed (wait queues they sit in must not be
 * used again) and the scheduler is ready for another call. Returns
 * MIRAGE_ENOMEM without running fn when its fiber cannot be created, and
 * MIRAGE_EINVAL when called from inside a fiber. If every fiber is blocked
 * with no timer and no watched handle, prints "deadlock: every fiber is
 * blocked" and calls plat_abort(). */
int rt_run_main(int (*fn)(void *), void *arg);
/* Run the mirage_at_exit hooks, the last registered first, forgetting
 * each (at_exit.c). */
void rt_run_at_exit(void);

/* Stack guards and holds (fiber.c). Record the boot stack's guard page
 * (NULL: none) for mirage_rt_stack_fault. */
void rt_boot_stack_guard(const void *page);
/* Block the calling fiber until no service holds the unikernel
 * (mirage_hold). May yield. */
void rt_wait_released(void);

#endif
