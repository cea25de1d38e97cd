/* Blocking on unix: ppoll() over the acquired network devices' file
 * descriptors and the host sockets' poller, with a time-out computed from
 * the deadline. */
#include <mirage/plat.h>

#include "../linux/syscall.h"
#include "unix.h"

void plat_yield(uint64_t deadline, plat_handle_set *ready)
{
    struct linux_pollfd fds[PLAT_MAX_DEVICES];
    plat_handle handles[PLAT_MAX_DEVICES];
    int n = 0;
    for (plat_handle h = 0; h < PLAT_MAX_DEVICES; h++) {
        if (unix_devs[h].kind == UNIX_DEV_NET ||
            unix_devs[h].kind == UNIX_DEV_SOCKETS) {
            fds[n] = (struct linux_pollfd){.fd = unix_devs[h].fd,
                                           .events = LINUX_POLLIN};
            handles[n++] = h;
        }
    }

    /* With no device and no deadline this sleeps until a signal ends the
     * process: nothing could ever wake the unikernel. */
    *ready = 0;
    for (;;) {
        struct linux_timespec ts, *timeout = NULL;
        if (deadline != UINT64_MAX) {
            uint64_t now = plat_clock_monotonic();
            uint64_t wait = deadline > now ? deadline - now : 0;
            ts.tv_sec = (int64_t)(wait / 1000000000u);
            ts.tv_nsec = (int64_t)(wait % 1000000000u);
            timeout = &ts;
        }
        long r = linux_syscall4(LINUX_SYS_ppoll, fds, n, timeout, NULL);
        if (r == -LINUX_EINTR)
            continue; /* a signal (e.g. SIGSTOP/SIGCONT): wait on */
        if (r <= 0)
            return; /* time-out (ppoll cannot fail with valid arguments) */
        for (int i = 0; i < n; i++) {
            /* Errors count as ready so the driver sees them on read. */
            if (fds[i].revents & (LINUX_POLLIN | LINUX_POLLERR | LINUX_POLLHUP))
                *ready |= (plat_handle_set)1 << handles[i];
        }
        return;
    }
}
