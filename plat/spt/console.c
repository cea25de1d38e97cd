/* Console output and exit on spt: write to descriptor 1, exit_group. */
#include "spt.h"

#include <mirage/plat.h>

void plat_console_write(const char *buf, size_t len)
{
    while (len > 0) {
        long n = linux_syscall3(LINUX_SYS_write, 1, buf, len);
        if (n == -LINUX_EINTR)
            continue;
        if (n <= 0)
            return; /* the console is gone: output is lost, not fatal */
        buf += n;
        len -= (size_t)n;
    }
}

_Noreturn void plat_exit(int status)
{
    for (;;)
        linux_syscall1(LINUX_SYS_exit_group, status & 0xff);
}

_Noreturn void plat_abort(void)
{
    plat_exit(255);
}
