/* Sleeping with the local APIC's one-shot timer (xAPIC registers): its
 * rate is measured against the TSC at boot (the median of three 2 ms
 * measurements), and virtio_sleep arms it, enables interrupts for one
 * HLT and disables them again, so the guest idles instead of spinning;
 * at most VIRTIO_SLEEP_MAX_NS at a time, so that a rate measured wrong
 * (the host descheduling the guest) costs little. Its interrupt handler only
 * acknowledges (trap_entry.S). Without a usable APIC (none, x2APIC mode
 * already on, or a timer that does not count), virtio_sleep spins. */
#include "../solo5/tsc.h"
#include "io.h"
#include "virtio.h"

#include <mirage/plat.h>

#define CPUID1_EDX_APIC   (1u << 9)
#define MSR_APIC_BASE     0x1b
#define APIC_BASE_ENABLE  (1ull << 11)
#define APIC_BASE_X2APIC  (1ull << 10)
#define APIC_EOI          0x0b0
#define APIC_SVR          0x0f0
#define APIC_SVR_ENABLE   0x100
#define APIC_LVT_TIMER    0x320
#define APIC_LVT_LINT0    0x350
#define APIC_LVT_ERROR    0x370
#define APIC_LVT_MASKED   (1u << 16)
#define APIC_TIMER_INIT   0x380
#define APIC_TIMER_NOW    0x390
#define APIC_TIMER_DIVIDE 0x3e0
#define APIC_DIVIDE_16    0x3
#define CALIBRATE_NS      2000000ull

/* The EOI register's address, for trap_entry.S. */
uintptr_t virtio_lapic_eoi;
static uintptr_t apic;
static uint64_t ticks_per_ms;

static uint32_t reg(unsigned r)
{
    return mmio_read32(apic + r);
}
static void set(unsigned r, uint32_t v)
{
    mmio_write32(apic + r, v);
}

/* One measurement of the timer's rate, in ticks per millisecond: its
 * count over CALIBRATE_NS of TSC time, each end timestamped halfway
 * through the register access. */
static uint64_t measure(void)
{
    uint64_t t0 = solo5_rdtsc();
    set(APIC_TIMER_INIT, 0xffffffffu);
    uint64_t t1 = solo5_rdtsc(), start = t0 + (t1 - t0) / 2;
    uint64_t end = start + virtio_tsc_hz / (1000000000ull / CALIBRATE_NS);
    while (solo5_rdtsc() < end)
        cpu_relax();
    uint64_t t2 = solo5_rdtsc();
    uint32_t counted = 0xffffffffu - reg(APIC_TIMER_NOW);
    uint64_t t3 = solo5_rdtsc();
    set(APIC_TIMER_INIT, 0);
    uint64_t ticks = t2 + (t3 - t2) / 2 - start;
    return ticks == 0 ? 0
                      : (uint64_t)((unsigned __int128)counted * virtio_tsc_hz /
                                   1000 / ticks);
}

void virtio_lapic_init(void)
{
    uint32_t r[4];
    cpuid(1, 0, r);
    if (!(r[3] & CPUID1_EDX_APIC))
        return;
    uint64_t base = rdmsr(MSR_APIC_BASE);
    if (base & APIC_BASE_X2APIC)
        return;
    wrmsr(MSR_APIC_BASE, base | APIC_BASE_ENABLE);
    uintptr_t a = (uintptr_t)(base & ~0xfffull & ((1ull << 52) - 1));
    if (virtio_map_device(a, 4096) < 0)
        return;
    apic = a;
    set(APIC_SVR, APIC_SVR_ENABLE | VIRTIO_SPURIOUS_VECTOR);
    set(APIC_LVT_LINT0, APIC_LVT_MASKED);
    set(APIC_LVT_ERROR, APIC_LVT_MASKED);
    set(APIC_TIMER_DIVIDE, APIC_DIVIDE_16);
    set(APIC_LVT_TIMER, APIC_LVT_MASKED | VIRTIO_TIMER_VECTOR);
    uint64_t m[3];
    for (int i = 0; i < 3; i++)
        m[i] = measure();
    ticks_per_ms = virtio_median3(m[0], m[1], m[2]);
    if (ticks_per_ms == 0) {
        apic = 0;
        return;
    }
    virtio_lapic_eoi = apic + APIC_EOI;
}

void virtio_sleep(uint64_t ns)
{
    if (ns > VIRTIO_SLEEP_MAX_NS)
        ns = VIRTIO_SLEEP_MAX_NS;
    if (apic == 0) {
        uint64_t end = plat_clock_monotonic() + ns;
        while (plat_clock_monotonic() < end)
            cpu_relax();
        return;
    }
    uint64_t ticks = ns / 1000 * ticks_per_ms / 1000;
    if (ticks == 0)
        ticks = 1;
    if (ticks > 0xffffffffu)
        ticks = 0xffffffffu;
    set(APIC_LVT_TIMER, VIRTIO_TIMER_VECTOR); /* one-shot, unmasked */
    set(APIC_TIMER_INIT, (uint32_t)ticks);
    /* STI's one-instruction shadow: an interrupt already pending wakes
     * the HLT instead of slipping in before it. */
    __asm__ volatile("sti; hlt; cli" ::: "memory");
    set(APIC_TIMER_INIT, 0);
}
