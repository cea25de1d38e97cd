/* The thread control block of the Solo5-style guests, which _start fills
 * in before the target sets the FS base to it: a self pointer at 0 and
 * the stack-protector canary at 0x28 (what -fstack-protector code reads
 * at %fs:0x28). */
#ifndef MIRAGE_PLAT_SOLO5_TCB_H
#define MIRAGE_PLAT_SOLO5_TCB_H

#include "tsc.h"

#include <stdint.h>

struct solo5_tcb {
    void *self;
    uint64_t unused[4];
    uint64_t canary;
};
_Static_assert(__builtin_offsetof(struct solo5_tcb, canary) == 0x28,
               "canary offset");

/* Fill in *t. The canary is the TSC mixed by a 64-bit odd multiplier
 * (neither ABI offers an entropy source this early: the hvt tender
 * promises none, the spt filter allows no system call for it); its low
 * byte is zero so that string overflows cannot reproduce it. Touches no
 * canary itself. */
static inline void solo5_tcb_init(struct solo5_tcb *t)
{
    t->self = t;
    t->canary = (solo5_rdtsc() * 0x9e3779b97f4a7c15ull) & ~0xffull;
}

#endif
