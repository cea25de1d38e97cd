/* What the boot loader tells a virtio image: the command line, the RAM
 * that holds the image (from the loader's memory map) and the ACPI root
 * pointer, read from PVH's struct hvm_start_info or from multiboot's
 * struct multiboot_info. Pure: every address is a pointer the caller can
 * read (guest-physical = virtual in the guest), so it is tested hosted. */
#ifndef MIRAGE_PLAT_VIRTIO_BOOTINFO_H
#define MIRAGE_PLAT_VIRTIO_BOOTINFO_H

#include <stdbool.h>
#include <stdint.h>

#define PVH_START_MAGIC 0x336ec578u
#define MEMMAP_RAM      1   /* the E820 type both protocols use for RAM */
#define MEMMAP_MAX      128 /* entries looked at, at most */
#define RAM_LIMIT       (4ull << 30) /* the identity map boot.S builds */

struct hvm_start_info {
    uint32_t magic, version, flags, nr_modules;
    uint64_t modlist_paddr, cmdline_paddr, rsdp_paddr;
    uint64_t memmap_paddr; /* version >= 1 */
    uint32_t memmap_entries, reserved;
};
struct hvm_memmap_entry {
    uint64_t addr, size;
    uint32_t type, reserved;
};

#define MB_INFO_MEMORY  (1u << 0)
#define MB_INFO_CMDLINE (1u << 2)
#define MB_INFO_MMAP    (1u << 6)
struct multiboot_info {
    uint32_t flags, mem_lower, mem_upper, boot_device, cmdline;
    uint32_t mods_count, mods_addr, syms[4];
    uint32_t mmap_length, mmap_addr;
};
struct __attribute__((packed)) multiboot_mmap_entry {
    uint32_t size; /* of the rest of the entry: 20 or more */
    uint64_t addr, len;
    uint32_t type;
};

struct boot_info {
    const char *cmdline;    /* NUL-terminated, in the loader's memory; "" */
    bool cmdline_has_image; /* multiboot: the first word names the image */
    uint64_t ram_end;       /* end of the RAM the image is in, <= RAM_LIMIT */
    uint64_t rsdp;          /* the ACPI RSDP's address, or 0: search for it */
};

/* Read the boot record at `record` for the protocol `kind` (BOOT_PVH or
 * BOOT_MULTIBOOT, boot.h) into *out. The image occupies [image_start,
 * image_end); the RAM end is that of the run of RAM entries holding it,
 * capped at RAM_LIMIT. Returns 0, or -1 with *why set (no newline) when
 * the record is unusable: bad magic, no memory map, or no RAM under the
 * image. */
int boot_info_read(int kind, uintptr_t record, uint64_t image_start,
                   uint64_t image_end, struct boot_info *out, const char **why);

#endif
