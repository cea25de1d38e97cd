/* The virtio guest's descriptor tables (plat/solo5/cpu.h): vectors 0-31
 * report the exception (trap.c) on the exception stack; the legacy PIC
 * is remapped to vectors 32-47 and masked, and those vectors and the
 * APIC's spurious vector return at once; the local APIC timer's vector
 * wakes plat_yield (lapic.c). Other vectors have no gate: an interrupt
 * there is reported as a fault. */
#include "../solo5/cpu.h"
#include "io.h"
#include "virtio.h"

#define PIC_BASE 32

/* trap_entry.S */
extern const uint64_t virtio_trap_stubs[32];
void virtio_irq_ignore(void);
void virtio_irq_timer(void);

/* Remap the two 8259s to PIC_BASE..PIC_BASE+15 (away from the exception
 * vectors the BIOS leaves them on) and mask every line. Writes to a
 * machine without them go nowhere. */
__attribute__((no_stack_protector)) static void pic_mask_all(void)
{
    static const uint8_t master[] = {0x11, PIC_BASE, 0x04, 0x01, 0xff};
    static const uint8_t slave[] = {0x11, PIC_BASE + 8, 0x02, 0x01, 0xff};
    outb(0x20, master[0]);
    outb(0xa0, slave[0]);
    for (int i = 1; i < 5; i++) {
        outb(0x21, master[i]);
        outb(0xa1, slave[i]);
    }
}

__attribute__((no_stack_protector)) void virtio_cpu_init(void)
{
    solo5_cpu_load_gdt();
    for (unsigned v = 0; v < 32; v++)
        solo5_cpu_set_gate(v, virtio_trap_stubs[v], SOLO5_TRAP_IST);
    for (unsigned v = PIC_BASE; v < PIC_BASE + 16; v++)
        solo5_cpu_set_gate(v, (uintptr_t)virtio_irq_ignore, 0);
    solo5_cpu_set_gate(VIRTIO_SPURIOUS_VECTOR, (uintptr_t)virtio_irq_ignore, 0);
    solo5_cpu_set_gate(VIRTIO_TIMER_VECTOR, (uintptr_t)virtio_irq_timer, 0);
    solo5_cpu_load_idt();
    pic_mask_all();
}
