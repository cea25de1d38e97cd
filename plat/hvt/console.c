/* Console output and exit on hvt: the PUTS and HALT hypercalls. */
#include "hvt.h"

#include <mirage/plat.h>
#include <stddef.h>

void plat_console_write(const char *buf, size_t len)
{
    struct solo5_hvt_puts p = {.data = (uint64_t)(uintptr_t)buf, .len = len};
    hvt_hypercall(SOLO5_HVT_HC_PUTS, &p);
}

_Noreturn void hvt_halt(int status, void *cookie)
{
    struct solo5_hvt_halt h = {.cookie = (uint64_t)(uintptr_t)cookie,
                               .exit_status = status};
    hvt_hypercall(SOLO5_HVT_HC_HALT, &h);
    /* A tender never resumes a halted guest; stop here if one does. */
    for (;;)
        __asm__ volatile("cli; hlt");
}

_Noreturn void plat_exit(int status)
{
    hvt_net_exit(); /* frames still queued leave before the guest */
    hvt_halt(status & 0xff, NULL);
}

_Noreturn void plat_abort(void)
{
    hvt_halt(255, NULL);
}
