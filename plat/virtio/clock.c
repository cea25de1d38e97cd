/* Clocks on the virtio platform. Monotonic: the TSC scaled by its rate,
 * which comes, first that answers, from the hypervisor's CPUID timing
 * leaf 0x40000010, from CPUID leaf 0x15 (crystal clock and ratio), from a
 * 10 ms measurement against PIT channel 0, or from the nominal rate of
 * CPUID leaf 0x16. Wall: the CMOS RTC read once at boot, plus monotonic
 * time since. No floating point: the scale is a 32.32 fixed-point
 * multiplier applied with a 128-bit product. */
#include "../solo5/say.h"
#include "../solo5/tsc.h"
#include "io.h"
#include "rtc.h"
#include "virtio.h"

#include <mirage/plat.h>
#include <stdbool.h>

#define CPUID1_ECX_HYPERVISOR (1u << 31)
#define PIT_HZ                1193182u
#define PIT_CALIBRATE_MS      10
#define PIT_MODE              0x43
#define PIT_COUNTER0          0x40
#define TSC_MIN_HZ            50000000ull /* slower is no working TSC */
#define CMOS_INDEX            0x70
#define CMOS_DATA             0x71
#define CMOS_UPDATING         0x80

static uint64_t tsc_at_boot;
static uint64_t ns_per_tick_32; /* nanoseconds per tick << 32 */
static uint64_t wall_at_boot;

static uint64_t tsc_from_hypervisor(void)
{
    uint32_t r[4];
    cpuid(1, 0, r);
    if (!(r[2] & CPUID1_ECX_HYPERVISOR))
        return 0;
    cpuid(0x40000000, 0, r);
    if (r[0] < 0x40000010)
        return 0;
    cpuid(0x40000010, 0, r);
    return (uint64_t)r[0] * 1000; /* kHz */
}

static uint64_t tsc_from_crystal(uint32_t max_leaf)
{
    if (max_leaf < 0x15)
        return 0;
    uint32_t r[4];
    cpuid(0x15, 0, r); /* eax denominator, ebx numerator, ecx crystal Hz */
    if (r[0] == 0 || r[1] == 0 || r[2] == 0)
        return 0;
    return (uint64_t)r[2] * r[1] / r[0];
}

static uint64_t tsc_from_nominal(uint32_t max_leaf)
{
    if (max_leaf < 0x16)
        return 0;
    uint32_t r[4];
    cpuid(0x16, 0, r);
    return (uint64_t)(r[0] & 0xffff) * 1000000; /* MHz */
}

static uint16_t pit_count(void)
{
    outb(PIT_MODE, 0x00); /* latch channel 0 */
    uint8_t lo = inb(PIT_COUNTER0);
    return (uint16_t)(lo | inb(PIT_COUNTER0) << 8);
}

/* Count TSC ticks while PIT channel 0, counting down from 65535 over and
 * over (mode 2), passes PIT_CALIBRATE_MS worth of its ticks; read by
 * latching, which needs no other port (QEMU microvm has no port 0x61).
 * Its interrupt stays masked at the PIC. 0 if the counter does not move
 * (no PIT). */
static uint64_t tsc_from_pit(void)
{
    const uint32_t want = PIT_HZ / 1000 * PIT_CALIBRATE_MS;
    outb(PIT_MODE, 0x34); /* channel 0, low then high byte, mode 2 */
    outb(PIT_COUNTER0, 0xff);
    outb(PIT_COUNTER0, 0xff);
    uint16_t prev = pit_count();
    uint64_t t0 = solo5_rdtsc();
    uint32_t passed = 0;
    for (uint32_t i = 0; passed < want; i++) {
        if (i == 10000000u)
            return 0;
        uint16_t now = pit_count();
        passed += (uint16_t)(prev - now);
        prev = now;
    }
    uint64_t ticks = solo5_rdtsc() - t0;
    return (uint64_t)((unsigned __int128)ticks * PIT_HZ / passed);
}

static uint8_t cmos(uint8_t reg)
{
    outb(CMOS_INDEX, reg);
    return inb(CMOS_DATA);
}

static void rtc_read(struct rtc_regs *r)
{
    for (int i = 0; i < 100000 && (cmos(0x0a) & CMOS_UPDATING); i++)
        cpu_relax();
    *r = (struct rtc_regs){.sec = cmos(0x00),
                           .min = cmos(0x02),
                           .hour = cmos(0x04),
                           .mday = cmos(0x07),
                           .mon = cmos(0x08),
                           .year = cmos(0x09),
                           .century = cmos(0x32),
                           .status_b = cmos(0x0b)};
}

/* The RTC's time in seconds, read until two reads agree (an update may
 * land between the registers), or -1 if there is no valid RTC. */
static int64_t rtc_now(void)
{
    struct rtc_regs a, b;
    rtc_read(&a);
    for (int i = 0; i < 10; i++) {
        rtc_read(&b);
        if (rtc_unix_time(&a) == rtc_unix_time(&b))
            break;
        a = b;
    }
    return rtc_unix_time(&a);
}

int virtio_clock_init(const char **why)
{
    uint32_t r[4];
    cpuid(0, 0, r);
    uint32_t max_leaf = r[0];
    uint64_t hz = tsc_from_hypervisor();
    if (hz < TSC_MIN_HZ)
        hz = tsc_from_crystal(max_leaf);
    if (hz < TSC_MIN_HZ)
        hz = tsc_from_pit();
    if (hz < TSC_MIN_HZ)
        hz = tsc_from_nominal(max_leaf);
    if (hz < TSC_MIN_HZ) {
        *why = "no TSC rate: no CPUID timing leaf and no PIT to measure it";
        return -1;
    }
    ns_per_tick_32 = (uint64_t)(((unsigned __int128)1000000000u << 32) / hz);
    int64_t secs = rtc_now();
    tsc_at_boot = solo5_rdtsc();
    if (secs < 0)
        solo5_say("virtio: clock: no CMOS RTC; the wall clock starts at "
                  "1970-01-01\n",
                  NULL);
    else
        wall_at_boot = (uint64_t)secs * 1000000000u;
    return 0;
}

uint64_t plat_clock_monotonic(void)
{
    uint64_t ticks = solo5_rdtsc() - tsc_at_boot;
    return (uint64_t)(((unsigned __int128)ticks * ns_per_tick_32) >> 32);
}

uint64_t plat_clock_wall(void)
{
    return wall_at_boot + plat_clock_monotonic();
}
