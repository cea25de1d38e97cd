/* A hosted implementation of include/mirage/plat.h for the unit tests:
 * the console is stdout (or a capture buffer), the clocks are the host's,
 * plat_yield sleeps with nanosleep, there are no devices, and exit/abort
 * are the host's. Linked with host_plat.c (no block devices, and
 * rt_vformat for the tested files of lib/rt). */
#include "fake_plat.h"
#include "host_plat.h"

#include "../../lib/rt/internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

uint64_t fake_wall_ns;
plat_handle_set fake_ready;
unsigned long fake_ready_after;
unsigned long fake_yield_calls, fake_yield_waits;

static bool capturing;
static struct host_text captured;

void fake_console_capture(bool on)
{
    capturing = on;
    if (!on)
        return;
    host_text_clear(&captured);
}

const char *fake_console_text(void)
{
    return host_text_get(&captured);
}

void plat_console_write(const char *buf, size_t len)
{
    if (!capturing) {
        fflush(stdout);
        while (len > 0) {
            ssize_t n = write(1, buf, len);
            if (n <= 0 && errno != EINTR)
                return;
            if (n > 0) {
                buf += n;
                len -= (size_t)n;
            }
        }
        return;
    }
    if (!host_text_append(&captured, buf, len))
        abort();
}

static uint64_t host_clock(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t plat_clock_monotonic(void)
{
    return host_clock(CLOCK_MONOTONIC);
}

uint64_t plat_clock_wall(void)
{
    return fake_wall_ns ? fake_wall_ns : host_clock(CLOCK_REALTIME);
}

void plat_yield(uint64_t deadline, plat_handle_set *ready)
{
    fake_yield_calls++;
    *ready = 0;
    if (fake_ready_after == 0 || --fake_ready_after == 0) {
        *ready = fake_ready;
        fake_ready = 0;
    }
    if (*ready)
        return;
    uint64_t now = plat_clock_monotonic();
    if (deadline <= now)
        return;
    fake_yield_waits++;
    uint64_t ns = deadline - now;
    struct timespec ts = {(time_t)(ns / 1000000000u), (long)(ns % 1000000000u)};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

enum plat_result plat_entropy(void *buf, size_t len)
{
    return getrandom(buf, len, 0) == (ssize_t)len ? PLAT_OK : PLAT_EUNSPEC;
}

enum plat_result plat_net_acquire(const char *name, plat_handle *h,
                                  struct plat_net_info *info)
{
    (void)name, (void)h, (void)info;
    return PLAT_EINVAL;
}

enum plat_result plat_net_write(plat_handle h, const void *buf, size_t len)
{
    (void)h, (void)buf, (void)len;
    return PLAT_EINVAL;
}

enum plat_result plat_net_read(plat_handle h, void *buf, size_t size,
                               size_t *read)
{
    (void)h, (void)buf, (void)size, (void)read;
    return PLAT_EINVAL;
}

void plat_exit(int status)
{
    fflush(stdout);
    exit(status);
}

void plat_abort(void)
{
    fflush(stdout);
    abort();
}
