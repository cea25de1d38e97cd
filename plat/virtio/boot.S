/* The first instructions of a virtio image: the two 32-bit entry points
 * (PVH, the x86/HVM direct boot ABI that Firecracker, cloud-hypervisor
 * and QEMU's -kernel use, and multiboot for GRUB), then the common path
 * that zeroes .bss, identity-maps the first 4 GiB with 2 MiB pages,
 * enters long mode and calls virtio_start(kind, info) on a boot stack in
 * .bss. Both loaders enter in flat 32-bit protected mode with paging and
 * interrupts off, the boot record's physical address in %ebx.
 *
 * The multiboot header sits at file offset 0x1fe8 (text's 0xfe8; the text
 * segment starts at file offset 0x1000, checked by the virtio tests):
 * inside the first 8192 bytes, where the multiboot specification and GRUB
 * look, and past 8144, the last offset QEMU's -kernel loader scans. QEMU
 * tries multiboot before PVH and, for a 64-bit ELF without the a.out
 * fields, refuses to start; out of its reach the image boots by PVH on
 * every QEMU machine, which is also what gives microvm's virtio-mmio
 * devices on the command line. */
#include "boot.h"

#define MULTIBOOT_MAGIC        0x1badb002
#define MULTIBOOT_FLAGS        0x00000002 /* wants the memory map */
#define MULTIBOOT_LOADER_MAGIC 0x2badb002
#define CR0_PE                 (1 << 0)
#define CR0_WP                 (1 << 16)
#define CR0_PG                 (1 << 31)
#define CR4_PAE                (1 << 5)
#define MSR_EFER               0xc0000080
#define EFER_LME               (1 << 8)
#define PTE_P                  (1 << 0)
#define PTE_RW                 (1 << 1)
#define PTE_PS                 (1 << 7)

    .section .text.boot32, "ax"
    .code32

    .globl virtio_pvh_entry
virtio_pvh_entry:
    movl $BOOT_PVH, %esi
    jmp common32

    .globl virtio_multiboot_entry
virtio_multiboot_entry:
    movl $BOOT_MULTIBOOT, %esi
    cmpl $MULTIBOOT_LOADER_MAGIC, %eax
    je common32
    movl $BOOT_UNKNOWN, %esi

common32:
    cli
    cld
    /* Zero .bss (the page tables and the boot stack are in it): not every
     * loader clears the bytes past a segment's file size. */
    movl $__bss_start, %edi
    movl $_end, %ecx
    subl %edi, %ecx
    xorl %eax, %eax
    rep stosb

    /* PML4[0] -> PDPT; PDPT[0..3] -> the four page directories, each of
     * 512 2 MiB pages: 0 to 4 GiB, identity, writable. */
    movl $virtio_pdpt, %eax
    orl $(PTE_P | PTE_RW), %eax
    movl %eax, virtio_pml4
    movl $virtio_pd, %edi
    movl $virtio_pdpt, %edx
    xorl %ecx, %ecx
1:  movl %edi, %eax
    orl $(PTE_P | PTE_RW), %eax
    movl %eax, (%edx, %ecx, 8)
    addl $4096, %edi
    incl %ecx
    cmpl $4, %ecx
    jne 1b
    movl $virtio_pd, %edi
    xorl %ecx, %ecx
2:  movl %ecx, %eax /* entry i maps i * 2 MiB, below 4 GiB: 32 bits */
    shll $21, %eax
    orl $(PTE_P | PTE_RW | PTE_PS), %eax
    movl %eax, (%edi, %ecx, 8)
    movl $0, 4(%edi, %ecx, 8)
    incl %ecx
    cmpl $2048, %ecx
    jne 2b

    movl $virtio_pml4, %eax
    movl %eax, %cr3
    movl %cr4, %eax
    orl $CR4_PAE, %eax
    movl %eax, %cr4
    movl $MSR_EFER, %ecx
    rdmsr
    orl $EFER_LME, %eax
    wrmsr
    movl %cr0, %eax
    orl $(CR0_PE | CR0_WP | CR0_PG), %eax
    movl %eax, %cr0
    lgdt boot_gdtr
    ljmp $BOOT_CODE64, $long64

    .code64
long64:
    movl $BOOT_DATA, %eax
    movl %eax, %ds
    movl %eax, %es
    movl %eax, %ss
    xorl %eax, %eax
    movl %eax, %fs
    movl %eax, %gs
    leaq virtio_boot_stack_top(%rip), %rsp
    movl %esi, %edi /* kind */
    movl %ebx, %esi /* the boot record's physical address */
    xorl %ebp, %ebp
    call virtio_start
    ud2

    /* The multiboot header: see the top of this file. */
    .org 0xfe8
    .align 4
multiboot_header:
    .long MULTIBOOT_MAGIC
    .long MULTIBOOT_FLAGS
    .long -(MULTIBOOT_MAGIC + MULTIBOOT_FLAGS)

    .section .rodata.boot_gdt, "a"
    .align 16
boot_gdt:
    .quad 0
    .quad 0x00af9b000000ffff /* BOOT_CODE64: long mode, execute/read */
    .quad 0x00cf93000000ffff /* BOOT_DATA: read/write, 4 GiB */
boot_gdtr:
    .word boot_gdtr - boot_gdt - 1
    .long boot_gdt

    /* The PVH entry note: XEN_ELFNOTE_PHYS32_ENTRY (18), name "Xen". */
    .section .note.virtio.pvh, "a", @note
    .align 4
    .long 4
    .long 4
    .long 18
    .asciz "Xen"
    .long virtio_pvh_entry

    .section .bss.boot, "aw", @nobits
    .align 4096
    .globl virtio_pml4, virtio_pdpt, virtio_pd
virtio_pml4:
    .skip 4096
virtio_pdpt:
    .skip 4096
virtio_pd:
    .skip 4 * 4096
    .align 16
    .skip BOOT_STACK_SIZE
    .globl virtio_boot_stack_top
virtio_boot_stack_top:

    .section .note.GNU-stack, "", @progbits
