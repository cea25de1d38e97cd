/* Reading the x86_64 time-stamp counter, for the Solo5-style guests'
 * stack canary and the hvt clock. */
#ifndef MIRAGE_PLAT_SOLO5_TSC_H
#define MIRAGE_PLAT_SOLO5_TSC_H

#include <stdint.h>

/* The TSC (RDTSC); usable before the thread pointer is set. */
static inline uint64_t solo5_rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

#endif
