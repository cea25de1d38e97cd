/* The libc allocation calls of <stdlib.h> on one global heap (heap.h),
 * which rt_heap_init sets up at boot over the platform's heap region. */
#include "heap.h"
#include "internal.h"

#include <errno.h>
#include <mirage/plat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct rt_heap heap;

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

/* The result of an allocation, with errno ENOMEM on failure. */
static void *result(void *p)
{
    if (!p)
        errno = ENOMEM;
    return p;
}

void *malloc(size_t size)
{
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
    return result(rt_heap_realloc(&heap, ptr, size));
}

void free(void *ptr)
{
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
    return result(rt_heap_memalign(&heap, alignment, size));
}

int posix_memalign(void **memptr, size_t alignment, size_t size)
{
    if (!alignment || (alignment & (alignment - 1)) ||
        alignment % sizeof(void *))
        return EINVAL;
    void *p = rt_heap_memalign(&heap, alignment, size);
    if (!p)
        return ENOMEM;
    *memptr = p;
    return 0;
}
