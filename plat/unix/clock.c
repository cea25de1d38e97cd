/* The unix clocks: clock_gettime, through the vDSO when the kernel maps
 * one (no system call per reading), else the system call. */
#include <mirage/plat.h>

#include "../linux/syscall.h"
#include "../linux/vdso.h"
#include "unix.h"

typedef long (*gettime_fn)(long clock, struct linux_timespec *ts);
static gettime_fn vdso_gettime;

void unix_clock_init(const void *vdso_ehdr)
{
    vdso_gettime =
        (gettime_fn)linux_vdso_lookup(vdso_ehdr, "__vdso_clock_gettime");
}

/* CLOCK_MONOTONIC and CLOCK_REALTIME cannot fail on Linux. */
static uint64_t clock_read(long clock)
{
    struct linux_timespec ts = {0, 0};
    if (vdso_gettime)
        vdso_gettime(clock, &ts);
    else
        linux_syscall2(LINUX_SYS_clock_gettime, clock, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t plat_clock_monotonic(void)
{
    return clock_read(LINUX_CLOCK_MONOTONIC);
}

uint64_t plat_clock_wall(void)
{
    return clock_read(LINUX_CLOCK_REALTIME);
}
