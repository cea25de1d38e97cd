/* Entry point of spt images, and the ELF notes every image carries (this
 * object is always linked, unlike archive members). The tender jumps to
 * _start with RSP = mem_size - 8 and RDI = the boot info; the FS base is
 * whatever the tender left, so nothing here may touch the stack-protector
 * canary before the thread pointer is set. */
#include "../solo5/notes.h"
#include "spt.h"

SOLO5_IMAGE_NOTES(SOLO5_ABI_TARGET_SPT);

/* The thread control block: self pointer at 0, canary at 0x28 (what
 * -fstack-protector code reads at %fs:0x28). */
static struct {
    void *self;
    uint64_t unused[4];
    uint64_t canary;
} tcb;
_Static_assert(__builtin_offsetof(__typeof__(tcb), canary) == 0x28,
               "canary offset");

static inline uint64_t rdtsc(void)
{
    uint32_t lo, hi;
    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}

_Noreturn void _start(const struct solo5_spt_boot_info *bi);

__attribute__((no_stack_protector)) _Noreturn void
_start(const struct solo5_spt_boot_info *bi)
{
    /* The canary: the TSC mixed by a 64-bit odd multiplier (the filter
     * allows no system call for entropy); its low byte is zero so that
     * string overflows cannot reproduce it. */
    tcb.self = &tcb;
    tcb.canary = (rdtsc() * 0x9e3779b97f4a7c15ull) & ~0xffull;
    if (linux_syscall2(LINUX_SYS_arch_prctl, LINUX_ARCH_SET_FS, &tcb) < 0)
        linux_syscall1(LINUX_SYS_exit_group, 255);
    spt_boot(bi);
}
