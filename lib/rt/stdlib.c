/* <stdlib.h> apart from the allocator: number parsing, sorting and
 * searching, integer arithmetic, a non-cryptographic rand, exit and
 * abort. */
#include "internal.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <mirage/plat.h>
#include <stdint.h>
#include <stdlib.h>

/* The value of digit character c in bases up to 36; 36 for a non-digit. */
static int digit_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z')
        return c - 'A' + 10;
    return 36;
}

/* The common part of strto*: the magnitude of the number at nptr, at most
 * limit_pos (limit_neg after a '-'); beyond that *over is set (with ERANGE)
 * and the limit returned. *neg tells the sign. */
static uintmax_t parse(const char *nptr, char **endptr, int base,
                       uintmax_t limit_pos, uintmax_t limit_neg, int *neg,
                       int *over)
{
    const char *s = nptr;
    *neg = *over = 0;
    if (endptr)
        *endptr = (char *)nptr;
    if (base < 0 || base == 1 || base > 36) {
        errno = EINVAL;
        return 0;
    }
    while (isspace((unsigned char)*s))
        s++;
    if (*s == '-' || *s == '+')
        *neg = *s++ == '-';
    if ((base == 0 || base == 16) && s[0] == '0' &&
        (s[1] == 'x' || s[1] == 'X') && digit_value(s[2]) < 16) {
        s += 2;
        base = 16;
    } else if (base == 0) {
        base = s[0] == '0' ? 8 : 10;
    }
    uintmax_t limit = *neg ? limit_neg : limit_pos;
    uintmax_t v = 0;
    int any = 0;
    for (int d; (d = digit_value(*s)) < base; s++) {
        any = 1;
        if (v > (limit - (unsigned)d) / (unsigned)base)
            *over = 1;
        else
            v = v * (unsigned)base + (unsigned)d;
    }
    if (any && endptr)
        *endptr = (char *)s;
    if (*over) {
        errno = ERANGE;
        return limit;
    }
    return v;
}

static intmax_t parse_signed(const char *nptr, char **endptr, int base,
                             intmax_t max)
{
    int neg, over;
    uintmax_t v = parse(nptr, endptr, base, (uintmax_t)max, (uintmax_t)max + 1,
                        &neg, &over);
    if (!neg || !v)
        return (intmax_t)v;
    return -(intmax_t)(v - 1) - 1;
}

/* A '-' negates the value in the unsigned type, as C specifies; an
 * overflow gives max whatever the sign. */
static uintmax_t parse_unsigned(const char *nptr, char **endptr, int base,
                                uintmax_t max)
{
    int neg, over;
    uintmax_t v = parse(nptr, endptr, base, max, max, &neg, &over);
    return neg && !over ? (0 - v) & max : v;
}

long strtol(const char *restrict nptr, char **restrict endptr, int base)
{
    return (long)parse_signed(nptr, endptr, base, LONG_MAX);
}

long long strtoll(const char *restrict nptr, char **restrict endptr, int base)
{
    return (long long)parse_signed(nptr, endptr, base, LLONG_MAX);
}

intmax_t strtoimax(const char *restrict nptr, char **restrict endptr, int base)
{
    return parse_signed(nptr, endptr, base, INTMAX_MAX);
}

unsigned long strtoul(const char *restrict nptr, char **restrict endptr,
                      int base)
{
    return (unsigned long)parse_unsigned(nptr, endptr, base, ULONG_MAX);
}

unsigned long long strtoull(const char *restrict nptr, char **restrict endptr,
                            int base)
{
    return (unsigned long long)parse_unsigned(nptr, endptr, base, ULLONG_MAX);
}

uintmax_t strtoumax(const char *restrict nptr, char **restrict endptr, int base)
{
    return parse_unsigned(nptr, endptr, base, UINTMAX_MAX);
}

int atoi(const char *s)
{
    return (int)strtol(s, NULL, 10);
}

long atol(const char *s)
{
    return strtol(s, NULL, 10);
}

long long atoll(const char *s)
{
    return strtoll(s, NULL, 10);
}

static void swap(char *a, char *b, size_t size)
{
    while (size--) {
        char t = *a;
        *a++ = *b;
        *b++ = t;
    }
}

/* Restore the max-heap property of the n elements below root. */
static void sift_down(char *base, size_t root, size_t n, size_t size,
                      int (*compar)(const void *, const void *))
{
    for (;;) {
        size_t child = 2 * root + 1;
        if (child >= n)
            return;
        if (child + 1 < n &&
            compar(base + child * size, base + (child + 1) * size) < 0)
            child++;
        if (compar(base + root * size, base + child * size) >= 0)
            return;
        swap(base + root * size, base + child * size, size);
        root = child;
    }
}

void qsort(void *base, size_t nmemb, size_t size,
           int (*compar)(const void *, const void *))
{
    char *b = base;
    if (nmemb < 2 || !size)
        return;
    for (size_t i = nmemb / 2; i-- > 0;)
        sift_down(b, i, nmemb, size, compar);
    for (size_t end = nmemb - 1; end > 0; end--) {
        swap(b, b + end * size, size);
        sift_down(b, 0, end, size, compar);
    }
}

void *bsearch(const void *key, const void *base, size_t nmemb, size_t size,
              int (*compar)(const void *, const void *))
{
    const char *b = base;
    size_t lo = 0, hi = nmemb;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = compar(key, b + mid * size);
        if (!c)
            return (void *)(b + mid * size);
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}

int abs(int j)
{
    return j < 0 ? -j : j;
}

long labs(long j)
{
    return j < 0 ? -j : j;
}

long long llabs(long long j)
{
    return j < 0 ? -j : j;
}

intmax_t imaxabs(intmax_t j)
{
    return j < 0 ? -j : j;
}

div_t div(int num, int den)
{
    return (div_t){num / den, num % den};
}

ldiv_t ldiv(long num, long den)
{
    return (ldiv_t){num / den, num % den};
}

lldiv_t lldiv(long long num, long long den)
{
    return (lldiv_t){num / den, num % den};
}

imaxdiv_t imaxdiv(intmax_t num, intmax_t den)
{
    return (imaxdiv_t){num / den, num % den};
}

/* A 64-bit linear congruential generator (Knuth's MMIX constants); rand
 * returns the high bits, which are the good ones. */
static uint64_t rand_state = 1;

void srand(unsigned int seed)
{
    rand_state = seed;
}

int rand(void)
{
    rand_state = rand_state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (int)(rand_state >> 33);
}

_Noreturn void exit(int status)
{
    rt_stdio_flush();
    plat_exit(status & 255);
}

_Noreturn void abort(void)
{
    static const char msg[] = "abort()\n";
    rt_stdio_flush();
    plat_console_write(msg, sizeof msg - 1);
    plat_abort();
}
