/* Console output and exit on spt: write to descriptor 1, exit_group. */
#include "spt.h"

#include <mirage/plat.h>
#include <stdarg.h>

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

void spt_say(const char *s, ...)
{
    va_list ap;
    va_start(ap, s);
    for (; s != NULL; s = va_arg(ap, const char *)) {
        size_t n = 0;
        while (s[n] != '\0')
            n++;
        plat_console_write(s, n);
    }
    va_end(ap);
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
