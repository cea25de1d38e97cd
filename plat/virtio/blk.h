/* The virtio-blk driver: one request at a time, three descriptors (the
 * request header, the caller's block, the status byte), the device
 * reading from or writing into the caller's buffer directly
 * (guest-physical = virtual). Polled: a request waits for its completion,
 * for at most BLK_TIMEOUT_NS, then the device counts as broken. */
#ifndef MIRAGE_PLAT_VIRTIO_BLK_H
#define MIRAGE_PLAT_VIRTIO_BLK_H

#include "transport.h"

#include <mirage/plat.h>

#define VIRTIO_BLK_F_RO       (1ull << 5)
#define VIRTIO_BLK_F_BLK_SIZE (1ull << 6)
#define BLK_QUEUE_CAP         8
#define BLK_TIMEOUT_NS        (30ull * 1000000000ull)
#define BLK_MAX_BLOCK         65536

struct vblk_req {
    uint32_t type, reserved;
    uint64_t sector; /* in 512-byte units, whatever the block size */
};

struct vblk {
    struct virtio_dev *dev;
    struct vq q;
    struct vblk_req *req; /* DMA */
    uint8_t *status;      /* DMA */
    uint64_t capacity;    /* bytes, a multiple of block_size */
    uint32_t block_size;
    bool read_only;
    const char *name;
    bool broken;
};

/* Start device d as b: negotiate, read and check the capacity and block
 * size (a power of two from 512 to BLK_MAX_BLOCK), set up the queue.
 * 0, or -1 with *why. */
int vblk_start(struct vblk *b, struct virtio_dev *d, const char *name,
               const char **why);

/* Move one block (size == block_size, offset checked by the caller) to
 * the device or from it. PLAT_OK, or PLAT_EUNSPEC (device error status,
 * broken device, time-out). */
enum plat_result vblk_transfer(struct vblk *b, bool write, uint64_t offset,
                               void *buf, size_t size);

#endif
