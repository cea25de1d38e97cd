/* Sleeping with the local APIC's one-shot timer (xAPIC registers): its
 * rate is measured against the TSC clock at boot, and virtio_sleep arms
 * it, enables interrupts for one HLT and disables them again, so the
 * guest idles instead of spinning. Its interrupt handler only
 * acknowledges (trap_entry.S). Without a usable APIC (none, x2APIC mode
 * already on, or a timer that does not count), virtio_sleep spins. */
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
    set(APIC_TIMER_INIT, 0xffffffffu);
    uint64_t end = plat_clock_monotonic() + CALIBRATE_NS;
    while (plat_clock_monotonic() < end)
        cpu_relax();
    uint32_t counted = 0xffffffffu - reg(APIC_TIMER_NOW);
    set(APIC_TIMER_INIT, 0);
    ticks_per_ms = counted * 1000000ull / CALIBRATE_NS;
    if (ticks_per_ms == 0) {
        apic = 0;
        return;
    }
    virtio_lapic_eoi = apic + APIC_EOI;
}

void virtio_sleep(uint64_t ns)
{
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
