/* The guest's own GDT (null, 64-bit code, flat data, TSS), TSS and the
 * 256-gate IDT: vectors 0-31 report the exception (trap.c) on a stack of
 * their own (IST1, so a fault with a broken stack pointer is still
 * reported); the legacy PIC is remapped to 32-47 and masked, those
 * vectors and the APIC's spurious vector return at once; the local APIC
 * timer's vector wakes plat_yield (lapic.c). Other vectors have no gate:
 * an interrupt there is reported as a #GP. */
#include "virtio.h"

#include "io.h"

#define SEL_TSS        0x18
#define GATE_INTERRUPT 0x8e /* present, DPL 0, 64-bit interrupt gate */
#define TSS_AVAILABLE  0x89 /* present, DPL 0, available 64-bit TSS */
#define TRAP_IST       1
#define TRAP_STACK     16384
#define PIC_BASE       32

struct __attribute__((packed)) tss {
    uint32_t reserved0;
    uint64_t rsp[3];
    uint64_t reserved1;
    uint64_t ist[7];
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
};
_Static_assert(sizeof(struct tss) == 104, "TSS size");

static struct tss tss = {.iomap_base = sizeof(struct tss)};
static uint8_t trap_stack[TRAP_STACK] __attribute__((aligned(16)));

static uint64_t gdt[5] __attribute__((aligned(16))) = {
    0, 0x00af9b000000ffffull, /* BOOT_CODE64 */
    0x00cf93000000ffffull,    /* BOOT_DATA */
};

struct idt_gate {
    uint16_t offset_lo;
    uint16_t selector;
    uint8_t ist;
    uint8_t type;
    uint16_t offset_mid;
    uint32_t offset_hi;
    uint32_t reserved;
};
_Static_assert(sizeof(struct idt_gate) == 16, "IDT gate size");

static struct idt_gate idt[256] __attribute__((aligned(16)));

struct __attribute__((packed)) table_register {
    uint16_t limit;
    uint64_t base;
};

/* trap_entry.S */
extern const uint64_t virtio_trap_stubs[32];
void virtio_irq_ignore(void);
void virtio_irq_timer(void);

static void set_gate(unsigned v, uint64_t a, uint8_t ist)
{
    idt[v] = (struct idt_gate){
        .offset_lo = (uint16_t)a,
        .selector = BOOT_CODE64,
        .ist = ist,
        .type = GATE_INTERRUPT,
        .offset_mid = (uint16_t)(a >> 16),
        .offset_hi = (uint32_t)(a >> 32),
    };
}

/* Remap the two 8259s to PIC_BASE..PIC_BASE+15 (away from the exception
 * vectors the BIOS leaves them on) and mask every line. Writes to a
 * machine without them go nowhere. */
static void pic_mask_all(void)
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
    static struct table_register gdtr, idtr;
    uint64_t t = (uint64_t)(uintptr_t)&tss, limit = sizeof(tss) - 1;
    tss.ist[TRAP_IST - 1] = (uint64_t)(uintptr_t)(trap_stack + TRAP_STACK);
    gdt[SEL_TSS / 8] = (limit & 0xffff) | (t & 0xffffff) << 16 |
                       (uint64_t)TSS_AVAILABLE << 40 |
                       (limit >> 16 & 0xf) << 48 | (t >> 24 & 0xff) << 56;
    gdt[SEL_TSS / 8 + 1] = t >> 32;
    gdtr.limit = sizeof(gdt) - 1;
    gdtr.base = (uint64_t)(uintptr_t)gdt;
    __asm__ volatile("lgdt %0\n\t"
                     "pushq %1\n\t"
                     "leaq 1f(%%rip), %%rax\n\t"
                     "pushq %%rax\n\t"
                     "lretq\n"
                     "1:\n\t"
                     "movl %2, %%eax\n\t"
                     "movl %%eax, %%ds\n\t"
                     "movl %%eax, %%es\n\t"
                     "movl %%eax, %%ss\n\t"
                     "movl %3, %%eax\n\t"
                     "ltr %%ax\n\t"
                     :
                     : "m"(gdtr), "i"(BOOT_CODE64), "i"(BOOT_DATA), "i"(SEL_TSS)
                     : "rax", "memory");
    for (unsigned v = 0; v < 32; v++)
        set_gate(v, virtio_trap_stubs[v], TRAP_IST);
    for (unsigned v = PIC_BASE; v < PIC_BASE + 16; v++)
        set_gate(v, (uint64_t)(uintptr_t)virtio_irq_ignore, 0);
    set_gate(VIRTIO_SPURIOUS_VECTOR, (uint64_t)(uintptr_t)virtio_irq_ignore, 0);
    set_gate(VIRTIO_TIMER_VECTOR, (uint64_t)(uintptr_t)virtio_irq_timer, 0);
    idtr.limit = sizeof(idt) - 1;
    idtr.base = (uint64_t)(uintptr_t)idt;
    __asm__ volatile("lidt %0" ::"m"(idtr) : "memory");
    pic_mask_all();
}
