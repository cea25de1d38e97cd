/* Constants shared by boot.S and the C code of the virtio platform: how
 * the image was entered, the boot GDT's selectors, the boot stack. */
#ifndef MIRAGE_PLAT_VIRTIO_BOOT_H
#define MIRAGE_PLAT_VIRTIO_BOOT_H

/* virtio_start's first argument: the protocol that entered the image. */
#define BOOT_UNKNOWN   0 /* the multiboot entry without the loader's magic */
#define BOOT_PVH       1 /* %ebx held a struct hvm_start_info */
#define BOOT_MULTIBOOT 2 /* %ebx held a struct multiboot_info */

#define BOOT_CODE64     0x08
#define BOOT_DATA       0x10
#define BOOT_STACK_SIZE 65536 /* in .bss, until the stack at the top of RAM */

#endif
