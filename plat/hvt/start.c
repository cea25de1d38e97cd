/* Entry point of hvt images, and the ELF notes every image carries (this
 * object is always linked, unlike archive members). The tender enters
 * _start in 64-bit mode with RSP = mem_size - 8 and RDI = the boot info;
 * interrupts are off and the FS base is 0, so nothing here may touch the
 * stack-protector canary before the thread pointer is set. */
#include "../solo5/notes.h"
#include "hvt.h"

SOLO5_IMAGE_NOTES(SOLO5_ABI_TARGET_HVT);

/* The thread control block: self pointer at 0, canary at 0x28 (what
 * -fstack-protector code reads at %fs:0x28). */
static struct {
    void *self;
    uint64_t unused[4];
    uint64_t canary;
} tcb;
_Static_assert(__builtin_offsetof(__typeof__(tcb), canary) == 0x28,
               "canary offset");

#define MSR_FS_BASE 0xc0000100u

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
    __asm__ volatile("wrmsr" ::"c"(msr), "a"((uint32_t)v),
                     "d"((uint32_t)(v >> 32)));
}

_Noreturn void _start(const struct solo5_hvt_boot_info *bi);

__attribute__((no_stack_protector)) _Noreturn void
_start(const struct solo5_hvt_boot_info *bi)
{
    hvt_cpu_init();
    /* The canary: the TSC mixed by a 64-bit odd multiplier (no entropy
     * source is promised this early); its low byte is zero so that string
     * overflows cannot reproduce it. */
    tcb.self = &tcb;
    tcb.canary = (rdtsc() * 0x9e3779b97f4a7c15ull) & ~0xffull;
    wrmsr(MSR_FS_BASE, (uint64_t)(uintptr_t)&tcb);
    hvt_boot(bi);
}
