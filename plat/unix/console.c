/* The unix console: standard output.
 *
 * A write to a closed pipe raises SIGPIPE, which ends the process as it
 * would any Unix program writing to `| head`; the platform installs no
 * signal handlers (there are no sockets yet whose peers could trigger it
 * during normal operation). */
#include <mirage/plat.h>

#include "../linux/syscall.h"

void plat_console_write(const char *buf, size_t len)
{
    while (len > 0) {
        long n = linux_syscall3(LINUX_SYS_write, 1, buf, len);
        if (n > 0) {
            buf += n;
            len -= (size_t)n;
        } else if (n == -LINUX_EAGAIN) {
            /* stdout was made non-blocking by someone else: wait. */
            struct linux_pollfd p = {.fd = 1, .events = LINUX_POLLOUT};
            linux_syscall3(LINUX_SYS_poll, &p, 1, -1);
        } else if (n != -LINUX_EINTR) {
            return; /* closed or failing stdout: the output is lost */
        }
    }
}
