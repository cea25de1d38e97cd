/* Exception and interrupt entry for the virtio guest: the exception stubs
 * of plat/solo5/trap_entry.inc calling virtio_trap (trap.c), and two
 * interrupt stubs that only return: virtio_irq_timer after an EOI to the
 * local APIC (the register's address is virtio_lapic_eoi, set by
 * lapic.c), virtio_irq_ignore at once (masked PIC lines, the APIC's
 * spurious vector). */
#include "../solo5/trap_entry.inc"

    .text
    TRAP_ENTRY virtio_trap, virtio_trap_stubs

    .globl virtio_irq_timer
    .align 16
virtio_irq_timer:
    pushq %rax
    movq virtio_lapic_eoi(%rip), %rax
    movl $0, (%rax)
    popq %rax
    iretq

    .globl virtio_irq_ignore
    .align 16
virtio_irq_ignore:
    iretq

    .section .note.GNU-stack, "", @progbits
