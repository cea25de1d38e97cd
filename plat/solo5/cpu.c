/* The guests' GDT, TSS and IDT (see cpu.h). */
#include "cpu.h"

#define SEL_TSS        0x18
#define GATE_INTERRUPT 0x8e /* present, DPL 0, 64-bit interrupt gate */
#define TSS_AVAILABLE  0x89 /* present, DPL 0, available 64-bit TSS */
#define TRAP_STACK     16384

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

/* Writable: ltr marks the TSS descriptor busy. The code and data
 * descriptors' accessed bits are preset, so loading them writes nothing.
 * The TSS descriptor (two entries) is filled in at run time. */
static uint64_t gdt[5] __attribute__((aligned(16))) = {
    0,
    0x00af9b000000ffffull, /* code: present, DPL 0, long mode, execute/read */
    0x00cf93000000ffffull, /* data: present, DPL 0, read/write, 4 GiB */
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

static struct table_register gdtr, idtr;

__attribute__((no_stack_protector)) void solo5_cpu_load_gdt(void)
{
    uint64_t t = (uint64_t)(uintptr_t)&tss, limit = sizeof(tss) - 1;
    tss.ist[SOLO5_TRAP_IST - 1] =
        (uint64_t)(uintptr_t)(trap_stack + TRAP_STACK);
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
                     : "m"(gdtr), "i"(SOLO5_SEL_CODE), "i"(SOLO5_SEL_DATA),
                       "i"(SEL_TSS)
                     : "rax", "memory");
}

__attribute__((no_stack_protector)) void
solo5_cpu_set_gate(unsigned vector, uintptr_t handler, unsigned ist)
{
    uint64_t a = handler;
    idt[vector & 255] = (struct idt_gate){
        .offset_lo = (uint16_t)a,
        .selector = SOLO5_SEL_CODE,
        .ist = (uint8_t)ist,
        .type = GATE_INTERRUPT,
        .offset_mid = (uint16_t)(a >> 16),
        .offset_hi = (uint32_t)(a >> 32),
    };
}

__attribute__((no_stack_protector)) void solo5_cpu_load_idt(void)
{
    idtr.limit = sizeof(idt) - 1;
    idtr.base = (uint64_t)(uintptr_t)idt;
    __asm__ volatile("lidt %0" ::"m"(idtr) : "memory");
}
