/* The spt guest's boot after _start: the boot info the tender wrote at
 * 0x11000, its epoll and timer descriptors, the fault hook, then the
 * shared boot
 * (plat/solo5/boot_record.h: devices, arguments, heap, runtime). */
#include "../solo5/boot_record.h"
#include "spt.h"

int spt_epollfd = -1, spt_timerfd = -1;

_Noreturn void spt_boot(const struct solo5_spt_boot_info *bi)
{
    spt_epollfd = bi->epollfd;
    spt_timerfd = bi->timerfd;
    spt_fault_init();
    solo5_boot("spt", (const struct solo5_mft *)(uintptr_t)bi->mft,
               (const char *)(uintptr_t)bi->cmdline, bi->kernel_end,
               bi->mem_size);
}
