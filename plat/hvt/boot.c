/* The hvt guest's boot after _start: the boot info the tender wrote at
 * 0x10000 (read-only to the guest), the clock, the devices, and the
 * runtime's boot record (arguments and heap, plat/solo5/boot_record.h).
 * Only the first 40 bytes of the boot info are used, so the image also
 * runs under tenders that write no extended fields (Solo5 0.9, 0.10). */
#include "../solo5/boot_record.h"
#include "../solo5/manifest.h"
#include "hvt.h"

_Noreturn void hvt_boot(const struct solo5_hvt_boot_info *bi)
{
    if (bi->cpu_cycle_freq == 0) {
        hvt_say("hvt: clock: the tender reports no TSC frequency\n", NULL);
        hvt_halt(255, NULL);
    }
    hvt_clock_init(bi->cpu_cycle_freq);
    solo5_mft_init((const struct solo5_mft *)(uintptr_t)bi->mft);
    struct plat_boot b;
    const char *what, *why;
    int status =
        solo5_boot_record((const char *)(uintptr_t)bi->cmdline, bi->kernel_end,
                          bi->mem_size, "hvt", &b, &what, &why);
    if (status != 0) {
        hvt_say("hvt: ", what, ": ", why, "\n", NULL);
        hvt_halt(status, NULL);
    }
    mirage_rt_boot(&b);
}
