/* Blocking on spt: arm the tender's timerfd at the absolute deadline and
 * wait in epoll_pwait on the tender's epoll descriptor, which has the
 * timer (event data SPT_TIMER_EVENT) and each network device (its
 * handle) registered. Re-arming the timer clears its expirations, so a
 * past deadline never leaves it readable into the next call; a call with
 * the deadline the timer is armed at skips the re-arming (one system
 * call fewer when the loop waits again for the same timer). */
#include "../solo5/manifest.h"
#include "spt.h"

#include <mirage/plat.h>

#define TFD_TIMER_ABSTIME 1
#define MAX_EVENTS        64

struct linux_itimerspec {
    struct linux_timespec interval, value;
};

/* The deadline the timer is armed at (0: not armed yet). */
static uint64_t armed;

void plat_yield(uint64_t deadline, plat_handle_set *ready)
{
    /* An all-zero it_value would disarm the timer and block forever. */
    if (deadline == 0)
        deadline = 1;
    struct linux_itimerspec its = {
        .value = {.tv_sec = (int64_t)(deadline / 1000000000ull),
                  .tv_nsec = (int64_t)(deadline % 1000000000ull)}};
    *ready = 0;
    /* Armed at this deadline already: the timer is readable exactly when
     * the deadline has passed, as re-arming would leave it. */
    if (deadline != armed) {
        if (linux_syscall4(LINUX_SYS_timerfd_settime, spt_timerfd,
                           TFD_TIMER_ABSTIME, &its, 0) < 0)
            return;
        armed = deadline;
    }
    struct linux_epoll_event ev[MAX_EVENTS];
    long n = linux_syscall6(LINUX_SYS_epoll_pwait, spt_epollfd, (long)ev,
                            MAX_EVENTS, -1, 0, 8);
    plat_handle_set set = 0;
    for (long i = 0; i < n; i++)
        if (ev[i].data < PLAT_MAX_DEVICES + 1)
            set |= 1ull << ev[i].data;
    *ready = set & solo5_mft_acquired(SOLO5_MFT_DEV_NET_BASIC);
}
