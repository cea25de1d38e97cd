/* The libc allocation calls of <stdlib.h> on one global heap (heap.h),
 * which rt_heap_init sets up at boot over the platform's heap region, and
 * the heap-integrity check mode (<mirage/rt.h>, MIRAGE_HEAP_CHECK_ON):
 * the whole heap validated before every call. */
#include "heap.h"
#include "internal.h"

#include <errno.h>
#include <mirage/plat.h>
#include <mirage/rt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct rt_heap heap;

/* Defined (true) by an image built with MIRAGE_HEAP_CHECK_ON; absent
 * otherwise. */
extern bool mirage_heap_check __attribute__((weak));

void rt_heap_init(void *base, size_t size)
{
    rt_heap_setup(&heap, base, size);
}

_Noreturn void rt_heap_corrupt(struct rt_heap *h, const char *what,
                               const void *ptr)
{
    char msg[128];
    int n = snprintf(msg, sizeof msg, "malloc: %s (%p)\n", what, ptr);
    (void)h;
    rt_stdio_flush();
    plat_console_write(msg, n < (int)sizeof msg ? (size_t)n : sizeof msg - 1);
    plat_abort();
}

/* In check mode, validate the whole heap before `call` changes it; the
 * first inconsistency stops the unikernel with one line. */
static void check(const char *call)
{
    struct rt_heap_fault f;
    if (!&mirage_heap_check || !mirage_heap_check ||
        rt_heap_check(&heap, &f) == 0)
        return;
    char what[96];
    snprintf(what, sizeof what, "heap check before %s: %s", call, f.what);
    rt_heap_corrupt(&heap, what, f.where);
}

/* The result of an allocation, with errno ENOMEM on failure. */
static void *result(void *p)
{
    if (!p)
        errno = ENOMEM;
    return p;
}

size_t mirage_heap_size(void)
{
    return heap.end - heap.base;
}

void *malloc(size_t size)
{
    check("malloc");
    return result(rt_heap_alloc(&heap, size));
}

void *calloc(size_t nmemb, size_t size)
{
    size_t total;
    if (__builtin_mul_overflow(nmemb, size, &total)) {
        errno = ENOMEM;
        return NULL;
    }
    void *p = malloc(total);
    if (p)
        memset(p, 0, total);
    return p;
}

void *realloc(void *ptr, size_t size)
{
    check("realloc");
    return result(rt_heap_realloc(&heap, ptr, size));
}

void free(void *ptr)
{
    check("free");
    rt_heap_free(&heap, ptr);
}

size_t malloc_usable_size(void *ptr)
{
    return ptr ? rt_heap_usable_size(&heap, ptr) : 0;
}

void *aligned_alloc(size_t alignment, size_t size)
{
    if (!alignment || (alignment & (alignment - 1))) {
        errno = EINVAL;
        return NULL;
    }
    check("aligned_alloc");
    return result(rt_heap_memalign(&heap, alignment, size));
}

int posix_memalign(void **memptr, size_t alignment, size_t size)
{
    if (!alignment || (alignment & (alignment - 1)) ||
        alignment % sizeof(void *))
        return EINVAL;
    check("posix_memalign");
    void *p = rt_heap_memalign(&heap, alignment, size);
    if (!p)
        return ENOMEM;
    *memptr = p;
    return 0;
}
