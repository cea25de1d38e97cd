/* Reading the PVH and multiboot boot records (see bootinfo.h). */
#include "bootinfo.h"
#include "boot.h"

#include <stddef.h>

/* The RAM map, whichever protocol gave it. */
struct ram_map {
    uint64_t start[MEMMAP_MAX], end[MEMMAP_MAX];
    unsigned n;
};

static void ram_add(struct ram_map *m, uint64_t addr, uint64_t len,
                    uint32_t type)
{
    if (type != MEMMAP_RAM || len == 0 || m->n == MEMMAP_MAX)
        return;
    uint64_t end = addr + len < addr ? UINT64_MAX : addr + len;
    m->start[m->n] = addr;
    m->end[m->n] = end;
    m->n++;
}

/* The end of the run of RAM entries (adjacent or overlapping) that covers
 * [start, end), or 0 if none does. */
static uint64_t ram_end_of(const struct ram_map *m, uint64_t start,
                           uint64_t end)
{
    uint64_t top = 0;
    for (unsigned i = 0; i < m->n; i++)
        if (m->start[i] <= start && m->end[i] > start)
            top = m->end[i] > top ? m->end[i] : top;
    if (top == 0)
        return 0;
    for (bool grew = true; grew;) {
        grew = false;
        for (unsigned i = 0; i < m->n; i++)
            if (m->start[i] <= top && m->end[i] > top) {
                top = m->end[i];
                grew = true;
            }
    }
    return top >= end ? top : 0;
}

static int read_pvh(uintptr_t record, struct ram_map *m, struct boot_info *o,
                    const char **why)
{
    const struct hvm_start_info *si = (const void *)record;
    if (si->magic != PVH_START_MAGIC) {
        *why = "the PVH start info has a bad magic number";
        return -1;
    }
    if (si->version < 1 || si->memmap_paddr == 0) {
        *why = "the PVH start info has no memory map";
        return -1;
    }
    const struct hvm_memmap_entry *e =
        (const void *)(uintptr_t)si->memmap_paddr;
    for (uint32_t i = 0; i < si->memmap_entries && i < MEMMAP_MAX; i++)
        ram_add(m, e[i].addr, e[i].size, e[i].type);
    if (si->cmdline_paddr)
        o->cmdline = (const char *)(uintptr_t)si->cmdline_paddr;
    o->rsdp = si->rsdp_paddr;
    return 0;
}

static int read_multiboot(uintptr_t record, struct ram_map *m,
                          struct boot_info *o, const char **why)
{
    const struct multiboot_info *mb = (const void *)record;
    if (mb->flags & MB_INFO_MMAP) {
        /* Each entry's size field excludes itself; stop at a size too
         * small to hold an entry rather than loop or read past the end. */
        uintptr_t p = mb->mmap_addr, end = p + mb->mmap_length;
        while (end - p >= sizeof(struct multiboot_mmap_entry)) {
            const struct multiboot_mmap_entry *e = (const void *)p;
            if (e->size < sizeof(*e) - sizeof(e->size))
                break;
            ram_add(m, e->addr, e->len, e->type);
            if (end - p - sizeof(e->size) < e->size)
                break;
            p += sizeof(e->size) + e->size;
        }
    } else if (mb->flags & MB_INFO_MEMORY) {
        ram_add(m, 0x100000, (uint64_t)mb->mem_upper * 1024, MEMMAP_RAM);
    } else {
        *why = "the multiboot info has no memory map";
        return -1;
    }
    if (mb->flags & MB_INFO_CMDLINE) {
        o->cmdline = (const char *)(uintptr_t)mb->cmdline;
        o->cmdline_has_image = true;
    }
    return 0;
}

int boot_info_read(int kind, uintptr_t record, uint64_t image_start,
                   uint64_t image_end, struct boot_info *out, const char **why)
{
    static struct ram_map map;
    map.n = 0;
    *out = (struct boot_info){.cmdline = ""};
    int r;
    if (kind == BOOT_PVH)
        r = read_pvh(record, &map, out, why);
    else if (kind == BOOT_MULTIBOOT)
        r = read_multiboot(record, &map, out, why);
    else {
        *why = "entered by an unknown boot protocol (not PVH, not multiboot)";
        r = -1;
    }
    if (r < 0)
        return r;
    uint64_t top = ram_end_of(&map, image_start, image_end);
    if (top == 0) {
        *why = "the memory map has no RAM under the image";
        return -1;
    }
    out->ram_end = top > RAM_LIMIT ? RAM_LIMIT : top;
    return 0;
}
