/* The malloc/calloc/realloc wrappers behind alloc_fail.h: each call
 * either fails (NULL) as allocs_left or the random failure rate says, or
 * goes to the real one. */
#include "alloc_fail.h"

#include <stdbool.h>

long allocs_left = -1;
unsigned long allocs_fail_one_in;
unsigned long long allocs_fail_seed;
unsigned long allocs_failed;

void *__wrap_malloc(size_t n);
void *__wrap_calloc(size_t n, size_t m);
void *__wrap_realloc(void *p, size_t n);

static bool fails_now(void)
{
    if (allocs_fail_one_in) {
        /* A 64-bit linear congruential generator (Knuth's MMIX). */
        allocs_fail_seed =
            allocs_fail_seed * 6364136223846793005ull + 1442695040888963407ull;
        if ((allocs_fail_seed >> 33) % allocs_fail_one_in == 0)
            return true;
    }
    if (allocs_left < 0)
        return false;
    if (allocs_left == 0)
        return true;
    allocs_left--;
    return false;
}

static bool alloc_fails(void)
{
    bool fail = fails_now();
    allocs_failed += fail;
    return fail;
}

void *__wrap_malloc(size_t n)
{
    return alloc_fails() ? NULL : __real_malloc(n);
}

void *__wrap_calloc(size_t n, size_t m)
{
    return alloc_fails() ? NULL : __real_calloc(n, m);
}

void *__wrap_realloc(void *p, size_t n)
{
    return alloc_fails() ? NULL : __real_realloc(p, n);
}
