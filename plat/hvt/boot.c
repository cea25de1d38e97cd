/* The hvt guest's boot after _start: the boot info the tender wrote at
 * 0x10000 (read-only to the guest), the clock, the guest's own page
 * tables (after the image), the batched network devices' areas (after
 * the tables; the heap starts after them), then the shared boot
 * (plat/solo5/boot_record.h: devices, arguments, heap, runtime). Only the
 * first 40 bytes of the boot info are used, so the image also runs under
 * tenders that write no extended fields (Solo5 0.9, 0.10). */
#include "../solo5/boot_record.h"
#include "../solo5/say.h"
#include "hvt.h"

_Noreturn void hvt_boot(const struct solo5_hvt_boot_info *bi)
{
    if (bi->cpu_cycle_freq == 0) {
        solo5_say("hvt: clock: the tender reports no TSC frequency\n", NULL);
        hvt_halt(255, NULL);
    }
    hvt_clock_init(bi->cpu_cycle_freq);
    uint64_t free_start = hvt_paging_init(bi->kernel_end, bi->mem_size);
    free_start =
        hvt_net_init((const struct solo5_mft *)(uintptr_t)bi->mft, free_start);
    solo5_boot("hvt", (const struct solo5_mft *)(uintptr_t)bi->mft,
               (const char *)(uintptr_t)bi->cmdline, free_start, bi->mem_size);
}
