/* Leaving the unix platform. plat_abort exits with status 255, as the hvt
 * and spt tenders report an abort, rather than raising SIGABRT: the
 * status is the same on every target and no core file is written. */
#include <mirage/plat.h>

#include "../linux/syscall.h"
#include "unix.h"

_Noreturn void plat_exit(int status)
{
    unix_net_clear_offloads();
    for (;;)
        linux_syscall1(LINUX_SYS_exit_group, status & 0xff);
}

_Noreturn void plat_abort(void)
{
    plat_exit(255);
}
