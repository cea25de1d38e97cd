/* <stdlib.h> of the freestanding libc subset: the allocator
 * (lib/rt/malloc.c over the engine of lib/rt/heap.c), number parsing,
 * sorting and searching, exit and abort (lib/rt/stdlib.c). There is no
 * environment and no process control. None of these calls yield. */
#ifndef _MIRAGE_STDLIB_H
#define _MIRAGE_STDLIB_H

#include <stddef.h>

#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1
#define RAND_MAX     0x7fffffff

typedef struct {
    int quot;
    int rem;
} div_t;
typedef struct {
    long quot;
    long rem;
} ldiv_t;
typedef struct {
    long long quot;
    long long rem;
} lldiv_t;

/* Memory, 16-byte aligned unless asked for more. The allocation calls
 * return NULL with errno ENOMEM when the heap cannot satisfy them.
 * malloc(0) and realloc(p, 0) return a unique minimum-size block (they do
 * not free). calloc fails (ENOMEM) when nmemb * size overflows. free(NULL)
 * does nothing. Freeing a pointer twice or one the allocator did not
 * return, and a block whose neighbours' headers were overwritten, is
 * detected where cheap and aborts the unikernel with a message. */
void *malloc(size_t size);
void *calloc(size_t nmemb, size_t size);
void *realloc(void *ptr, size_t size);
void free(void *ptr);
/* alignment: a power of two (aligned_alloc: else NULL with EINVAL;
 * posix_memalign: also a multiple of sizeof(void *), else returns EINVAL;
 * ENOMEM when out of memory; errno is not changed). */
void *aligned_alloc(size_t alignment, size_t size);
int posix_memalign(void **memptr, size_t alignment, size_t size);
/* GNU extension: the usable size of the block ptr points to (0 for NULL). */
size_t malloc_usable_size(void *ptr);

/* C's number parsing: leading white space, a sign, then digits of base
 * 2..36 (base 0: decimal, 0x hexadecimal or 0 octal). *endptr gets the
 * first unparsed character (nptr when there are no digits). On overflow the
 * result saturates and errno is ERANGE; an invalid base gives 0 and
 * EINVAL. */
long strtol(const char *restrict nptr, char **restrict endptr, int base);
long long strtoll(const char *restrict nptr, char **restrict endptr, int base);
unsigned long strtoul(const char *restrict nptr, char **restrict endptr,
                      int base);
unsigned long long strtoull(const char *restrict nptr, char **restrict endptr,
                            int base);
/* strtol(s, NULL, 10) converted to the result type. */
int atoi(const char *s);
long atol(const char *s);
long long atoll(const char *s);

/* In-place sort (heapsort: O(n log n), no recursion, not stable) and
 * binary search of a sorted array. */
void qsort(void *base, size_t nmemb, size_t size,
           int (*compar)(const void *, const void *));
void *bsearch(const void *key, const void *base, size_t nmemb, size_t size,
              int (*compar)(const void *, const void *));

int abs(int j);
long labs(long j);
long long llabs(long long j);
div_t div(int num, int den);
ldiv_t ldiv(long num, long den);
lldiv_t lldiv(long long num, long long den);

/* A small seeded generator (an LCG), NOT for cryptography: use
 * <mirage/random.h> for that. The sequence restarts at srand(seed). */
int rand(void);
void srand(unsigned int seed);

/* Flush stdout and leave the unikernel with status & 255. */
_Noreturn void exit(int status);
/* Flush stdout, print "abort()" on the console and stop the unikernel as
 * failed (status 255 where the target has statuses). */
_Noreturn void abort(void);

#endif
