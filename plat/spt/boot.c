/* The spt guest's boot after _start: the boot info the tender wrote at
 * 0x11000, the devices, the command line split into arguments and the
 * heap, handed to the runtime. */
#include "../solo5/boot_record.h"
#include "../solo5/manifest.h"
#include "spt.h"

int spt_epollfd = -1, spt_timerfd = -1;

_Noreturn void spt_boot(const struct solo5_spt_boot_info *bi)
{
    spt_epollfd = bi->epollfd;
    spt_timerfd = bi->timerfd;
    solo5_mft_init((const struct solo5_mft *)(uintptr_t)bi->mft);
    struct plat_boot b;
    const char *what, *why;
    int status =
        solo5_boot_record((const char *)(uintptr_t)bi->cmdline, bi->kernel_end,
                          bi->mem_size, "spt", &b, &what, &why);
    if (status != 0) {
        spt_say("spt: ", what, ": ", why, "\n", NULL);
        plat_exit(status);
    }
    mirage_rt_boot(&b);
}
