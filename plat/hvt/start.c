/* Entry point of hvt images, and the ELF notes every image carries (this
 * object is always linked, unlike archive members). The tender enters
 * _start in 64-bit mode with RSP = mem_size - 8 and RDI = the boot info;
 * interrupts are off and the FS base is 0, so nothing here may touch the
 * stack-protector canary before the thread pointer is set. */
#include "../solo5/notes.h"
#include "../solo5/tcb.h"
#include "hvt.h"

SOLO5_IMAGE_NOTES(SOLO5_ABI_TARGET_HVT, MIRAGE_EXT_FAULTS | MIRAGE_EXT_NET_VEC |
                                            MIRAGE_EXT_NET_VHDR |
                                            MIRAGE_EXT_NETV_WAIT);

static struct solo5_tcb tcb;

#define MSR_FS_BASE 0xc0000100u

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
    solo5_tcb_init(&tcb);
    wrmsr(MSR_FS_BASE, (uint64_t)(uintptr_t)&tcb);
    hvt_boot(bi);
}
