/* Clocks on spt: clock_gettime with the two clocks the filter allows. */
#include "spt.h"

#include <mirage/plat.h>

static uint64_t clock_ns(int clock)
{
    struct linux_timespec ts;
    if (linux_syscall2(LINUX_SYS_clock_gettime, clock, &ts) < 0)
        return 0;
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

uint64_t plat_clock_monotonic(void)
{
    return clock_ns(LINUX_CLOCK_MONOTONIC);
}

uint64_t plat_clock_wall(void)
{
    return clock_ns(LINUX_CLOCK_REALTIME);
}
