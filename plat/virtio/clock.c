/* Clocks on the virtio platform. Monotonic: the TSC scaled by its rate,
 * which comes, first that answers, from the hypervisor's CPUID timing
 * leaf 0x40000010, from KVM's paravirtual clock (its TSC-to-nanoseconds
 * scale: Firecracker, cloud-hypervisor, QEMU with KVM), from CPUID leaf
 * 0x15 (crystal clock and ratio), from measurements against PIT channel
 * 0 (the median of three, each 5 ms), or from the nominal rate of CPUID
 * leaf 0x16. Wall: the CMOS RTC read once at boot, or without one (QEMU
 * microvm with KVM, Firecracker) KVM's wall clock, plus monotonic time
 * since. A missing PIT or RTC is seen at the first reads. No floating point:
 * the scale is a 32.32 fixed-point multiplier applied with a 128-bit product.
 */
#include "../solo5/say.h"
#include "../solo5/tsc.h"
#include "io.h"
#include "rtc.h"
#include "virtio.h"

#include <mirage/plat.h>
#include <stdbool.h>

#define CPUID1_ECX_HYPERVISOR (1u << 31)
#define KVM_FEATURE_CLOCK2    (1u << 3)
#define MSR_KVM_WALL_CLOCK    0x4b564d00u
#define MSR_KVM_SYSTEM_TIME   0x4b564d01u
#define PIT_HZ                1193182u
#define PIT_CALIBRATE_MS      5
#define PIT_MODE              0x43
#define PIT_COUNTER0          0x40
#define PIT_STILL             1000        /* reads without a change: no PIT */
#define TSC_MIN_HZ            50000000ull /* slower is no working TSC */
#define CMOS_INDEX            0x70
#define CMOS_DATA             0x71
#define CMOS_UPDATING         0x80

static uint64_t tsc_at_boot;
static uint64_t ns_per_tick_32; /* nanoseconds per tick << 32 */
static uint64_t wall_at_boot;

/* The hypervisor's CPUID leaves' base and signature, 0 if none. */
static uint32_t hypervisor(uint32_t sig[3])
{
    uint32_t r[4];
    cpuid(1, 0, r);
    if (!(r[2] & CPUID1_ECX_HYPERVISOR))
        return 0;
    cpuid(0x40000000, 0, r);
    sig[0] = r[1];
    sig[1] = r[2];
    sig[2] = r[3];
    return r[0];
}

static uint64_t tsc_from_timing_leaf(void)
{
    uint32_t sig[3], r[4];
    if (hypervisor(sig) < 0x40000010)
        return 0;
    cpuid(0x40000010, 0, r);
    return (uint64_t)r[0] * 1000; /* kHz */
}

/* KVM's paravirtual clock, read once: the TSC rate from its
 * TSC-to-nanoseconds multiplier and shift, and the wall-clock time at the
 * TSC value kvm_tsc (KVM's wall clock at the host's boot of the guest,
 * plus its system time). The guest names the pages it writes into, and
 * stops it once it has read them. */
static uint64_t kvm_wall_ns, kvm_tsc;

static uint64_t tsc_from_kvmclock(void)
{
    static struct {
        uint32_t version, pad0;
        uint64_t tsc_timestamp, system_time;
        uint32_t mul;
        int8_t shift;
        uint8_t flags, pad[2];
    } __attribute__((aligned(64))) pv;
    static struct {
        uint32_t version, sec, nsec;
    } __attribute__((aligned(16))) wall;
    uint32_t sig[3], r[4];
    /* "KVMKVMKVM\0\0\0" */
    if (hypervisor(sig) < 0x40000001 || sig[0] != 0x4b4d564b ||
        sig[1] != 0x564b4d56 || sig[2] != 0x4d)
        return 0;
    cpuid(0x40000001, 0, r);
    if (!(r[0] & KVM_FEATURE_CLOCK2))
        return 0;
    wrmsr(MSR_KVM_WALL_CLOCK, (uint64_t)(uintptr_t)&wall);
    wrmsr(MSR_KVM_SYSTEM_TIME, (uint64_t)(uintptr_t)&pv | 1);
    uint32_t mul = 0;
    int shift = 0;
    uint64_t stamp = 0, system = 0, tsc = 0, wall_ns = 0;
    for (int i = 0; i < 1000 && mul == 0; i++) {
        uint32_t v = *(volatile uint32_t *)&pv.version;
        uint32_t w = *(volatile uint32_t *)&wall.version;
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        uint32_t m = *(volatile uint32_t *)&pv.mul;
        int s = *(volatile int8_t *)&pv.shift;
        stamp = *(volatile uint64_t *)&pv.tsc_timestamp;
        system = *(volatile uint64_t *)&pv.system_time;
        wall_ns = (uint64_t) * (volatile uint32_t *)&wall.sec * 1000000000u +
                  *(volatile uint32_t *)&wall.nsec;
        tsc = solo5_rdtsc();
        __atomic_thread_fence(__ATOMIC_ACQUIRE);
        if (!(v & 1) && !(w & 1) && v == *(volatile uint32_t *)&pv.version &&
            w == *(volatile uint32_t *)&wall.version) {
            mul = m;
            shift = s;
        }
    }
    wrmsr(MSR_KVM_SYSTEM_TIME, 0);
    if (mul == 0 || shift < -31 || shift > 31 || tsc < stamp)
        return 0;
    /* ns = (ticks << shift) * mul >> 32 (a negative shift shifts right),
     * so ticks per second is 10^9 << 32 / mul, shifted back. */
    uint64_t d = tsc - stamp;
    d = shift >= 0 ? d << shift : d >> -shift;
    kvm_wall_ns =
        wall_ns + system + (uint64_t)(((unsigned __int128)d * mul) >> 32);
    kvm_tsc = tsc;
    unsigned __int128 hz = ((unsigned __int128)1000000000u << 32) / mul;
    return (uint64_t)(shift >= 0 ? hz >> shift : hz << -shift);
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

/* PIT channel 0's count, and in *tsc the TSC halfway through reading it
 * (in *spread how long that took: a long read was interrupted). */
static uint16_t pit_sample(uint64_t *tsc, uint64_t *spread)
{
    uint64_t t0 = solo5_rdtsc();
    outb(PIT_MODE, 0x00); /* latch channel 0 */
    uint8_t lo = inb(PIT_COUNTER0);
    uint16_t c = (uint16_t)(lo | inb(PIT_COUNTER0) << 8);
    uint64_t t1 = solo5_rdtsc();
    *tsc = t0 + (t1 - t0) / 2;
    *spread = t1 - t0;
    return c;
}

/* One measurement: TSC ticks while PIT channel 0, counting down from
 * 65535 over and over (mode 2), passes PIT_CALIBRATE_MS worth of its
 * ticks; read by latching, which needs no other port (QEMU microvm has
 * no port 0x61). 0 if the counter does not move (no PIT). */
static uint64_t pit_measure(void)
{
    const uint32_t want = PIT_HZ / 1000 * PIT_CALIBRATE_MS;
    uint64_t t0, t, spread;
    uint16_t prev = pit_sample(&t0, &spread);
    uint32_t passed = 0, still = 0;
    while (passed < want) {
        uint16_t now = pit_sample(&t, &spread);
        still = now == prev ? still + 1 : 0;
        if (still == PIT_STILL)
            return 0;
        passed += (uint16_t)(prev - now);
        prev = now;
    }
    return (uint64_t)((unsigned __int128)(t - t0) * PIT_HZ / passed);
}

/* The median of three measurements: one disturbed (the host descheduling
 * the guest between a count and its timestamp, or across a wrap of the
 * counter) does not count. Its interrupt stays masked at the PIC. */
static uint64_t tsc_from_pit(void)
{
    outb(PIT_MODE, 0x34); /* channel 0, low then high byte, mode 2 */
    outb(PIT_COUNTER0, 0xff);
    outb(PIT_COUNTER0, 0xff);
    uint64_t m[3];
    for (int i = 0; i < 3; i++)
        if ((m[i] = pit_measure()) == 0)
            return 0;
    return virtio_median3(m[0], m[1], m[2]);
}

uint64_t virtio_median3(uint64_t a, uint64_t b, uint64_t c)
{
    if (a > b) {
        uint64_t t = a;
        a = b;
        b = t;
    }
    return c <= a ? a : c >= b ? b : c;
}

static uint8_t cmos(uint8_t reg)
{
    outb(CMOS_INDEX, reg);
    return inb(CMOS_DATA);
}

/* Read the RTC's registers once no update is in progress (an update
 * takes under 2 ms: 10 ms of TSC at most). false if there is no RTC
 * (status A reads all ones). */
static bool rtc_read(struct rtc_regs *r, uint64_t hz)
{
    uint8_t a = cmos(0x0a);
    if (a == 0xff)
        return false;
    uint64_t give_up = solo5_rdtsc() + hz / 100;
    while ((a & CMOS_UPDATING) && solo5_rdtsc() < give_up)
        a = cmos(0x0a);
    *r = (struct rtc_regs){.sec = cmos(0x00),
                           .min = cmos(0x02),
                           .hour = cmos(0x04),
                           .mday = cmos(0x07),
                           .mon = cmos(0x08),
                           .year = cmos(0x09),
                           .century = cmos(0x32),
                           .status_b = cmos(0x0b)};
    return true;
}

/* The RTC's time in seconds, read until two reads agree (an update may
 * land between the registers), or -1 if there is no valid RTC. */
static int64_t rtc_now(uint64_t hz)
{
    struct rtc_regs a, b;
    if (!rtc_read(&a, hz))
        return -1;
    for (int i = 0; i < 10 && rtc_read(&b, hz); i++) {
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
    uint64_t hz = tsc_from_timing_leaf();
    if (hz < TSC_MIN_HZ)
        hz = tsc_from_kvmclock();
    if (hz < TSC_MIN_HZ)
        hz = tsc_from_crystal(max_leaf);
    if (hz < TSC_MIN_HZ)
        hz = tsc_from_pit();
    if (hz < TSC_MIN_HZ)
        hz = tsc_from_nominal(max_leaf);
    if (hz < TSC_MIN_HZ) {
        *why = "no TSC rate: no CPUID timing leaf, no KVM clock and no PIT "
               "to measure it";
        return -1;
    }
    virtio_tsc_hz = hz;
    ns_per_tick_32 = (uint64_t)(((unsigned __int128)1000000000u << 32) / hz);
    int64_t secs = rtc_now(hz);
    tsc_at_boot = solo5_rdtsc();
    if (secs >= 0)
        wall_at_boot = (uint64_t)secs * 1000000000u;
    else if (kvm_tsc != 0)
        wall_at_boot = kvm_wall_ns +
                       (uint64_t)(((unsigned __int128)(tsc_at_boot - kvm_tsc) *
                                   ns_per_tick_32) >>
                                  32);
    else
        solo5_say("virtio: clock: no CMOS RTC and no KVM clock; the wall "
                  "clock starts at 1970-01-01\n",
                  NULL);
    return 0;
}

uint64_t virtio_tsc_hz;

uint64_t plat_clock_monotonic(void)
{
    uint64_t ticks = solo5_rdtsc() - tsc_at_boot;
    return (uint64_t)(((unsigned __int128)ticks * ns_per_tick_32) >> 32);
}

uint64_t plat_clock_wall(void)
{
    return wall_at_boot + plat_clock_monotonic();
}
