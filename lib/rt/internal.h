/* Contracts between the parts of lib/rt; not a public interface. */
#ifndef MIRAGE_RT_INTERNAL_H
#define MIRAGE_RT_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>

/* The allocator (malloc.c): give it the heap region once, at boot. */
void rt_heap_init(void *base, size_t size);

/* The printf engine (format.c): formats fmt with ap, passing the output in
 * pieces to put(ctx, piece, len). Returns the number of bytes produced. */
typedef void (*rt_put_fn)(void *ctx, const char *s, size_t len);
int rt_vformat(rt_put_fn put, void *ctx, const char *fmt, va_list ap);

/* The scheduler (fiber.c / loop.c): start the main fiber running
 * fn(arg) and run the event loop until it returns; returns its result. */
int rt_run_main(int (*fn)(void *), void *arg);

#endif
