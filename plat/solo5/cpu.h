/* The x86-64 descriptor tables of the guests that run in a VM (hvt,
 * virtio): a GDT with a 64-bit code segment, a flat data segment and a
 * TSS whose IST1 is a stack kept for exceptions (so that one raised with
 * a broken stack pointer can still be reported), and a 256-gate IDT. A
 * guest loads its own because the loader's tables may lie anywhere (on
 * hvt, in memory the guest cannot see). Everything here runs before the
 * thread pointer is set: no stack-protector canary. */
#ifndef MIRAGE_PLAT_SOLO5_CPU_H
#define MIRAGE_PLAT_SOLO5_CPU_H

#include <stdint.h>

#define SOLO5_SEL_CODE 0x08
#define SOLO5_SEL_DATA 0x10
#define SOLO5_TRAP_IST 1 /* the exception stack's IST slot */

/* Load the GDT and the TSS and reload CS, DS, ES and SS. */
void solo5_cpu_load_gdt(void);

/* Point gate `vector` at handler as a 64-bit interrupt gate running on
 * the exception stack (ist SOLO5_TRAP_IST) or on the current stack (0).
 * Gates not set stay absent. */
void solo5_cpu_set_gate(unsigned vector, uintptr_t handler, unsigned ist);

/* Load the IDT (after its gates are set). */
void solo5_cpu_load_idt(void);

#endif
