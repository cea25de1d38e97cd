/* Allocation failure injection for unit tests linked with
 * -Wl,--wrap=malloc,--wrap=calloc,--wrap=realloc (alloc_fail.c defines
 * the wrappers). */
#ifndef TEST_ALLOC_FAIL_H
#define TEST_ALLOC_FAIL_H

#include <stddef.h>

/* After allocs_left more successful allocations, every malloc, calloc and
 * realloc returns NULL; -1 (the start value): never fail. */
extern long allocs_left;

/* Besides: when non-zero, each allocation fails with probability 1 in
 * allocs_fail_one_in, drawn from a generator seeded by
 * allocs_fail_seed (the same sequence in every run); 0 (the start
 * value): off. allocs_failed counts the failures made either way. */
extern unsigned long allocs_fail_one_in;
extern unsigned long long allocs_fail_seed;
extern unsigned long allocs_failed;

/* The real allocators, for test code whose own allocations must not fail. */
void *__real_malloc(size_t n);
void *__real_calloc(size_t n, size_t m);
void *__real_realloc(void *p, size_t n);

#endif
