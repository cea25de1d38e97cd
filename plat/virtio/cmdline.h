/* The words of the kernel command line that belong to the virtio
 * platform rather than to the unikernel, taken out before the rest is
 * handed on as its arguments:
 *
 *   virtio_mmio.device=SIZE@BASE:IRQ[:ID]   a virtio-mmio device, as
 *       Linux reads it and QEMU's microvm and Firecracker write it (SIZE
 *       with an optional K, M or G; numbers decimal or 0x-hex);
 *   virtio.net:NAME=N, virtio.block:NAME=N  give the manifest's network
 *       (block) device NAME the Nth virtio-net (virtio-blk) device, 0 the
 *       first, in discovery order: the mmio devices in command-line
 *       order, then PCI by bus, slot and function.
 *
 * On multiboot the loader puts the image's path first; a first word that
 * neither starts with '-' nor holds a '=' is dropped then. Pure, tested
 * hosted. */
#ifndef MIRAGE_PLAT_VIRTIO_CMDLINE_H
#define MIRAGE_PLAT_VIRTIO_CMDLINE_H

#include <mirage/solo5.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VIRTIO_MMIO_MAX 32
#define VIRTIO_MAP_MAX  63

struct virtio_mmio_arg {
    uint64_t base, size;
    uint32_t irq;
};
struct virtio_map_arg {
    char name[SOLO5_MFT_NAME_SIZE];
    uint32_t type; /* SOLO5_MFT_DEV_NET_BASIC or _BLOCK_BASIC */
    uint32_t index;
};
struct virtio_args {
    struct virtio_mmio_arg mmio[VIRTIO_MMIO_MAX];
    unsigned nmmio;
    struct virtio_map_arg map[VIRTIO_MAP_MAX];
    unsigned nmap;
};

/* Split `line` (shell-like quoting, plat/solo5/cmdline.h) and take the
 * platform's words into *a; write the others to rest (rest_size bytes,
 * NUL-terminated), each single-quoted so the runtime's split gives them
 * back unchanged. Returns 0; 1 if the line cannot be split (rest is then
 * a copy of line, for the runtime to report); -1 with *word (the bad
 * word, in a static buffer) and *why for a malformed platform word, too
 * many of them, or a rest that does not fit. */
int virtio_cmdline_take(const char *line, bool image_first,
                        struct virtio_args *a, char *rest, size_t rest_size,
                        const char **word, const char **why);

#endif
