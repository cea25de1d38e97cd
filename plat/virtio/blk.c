/* The virtio-blk driver (see blk.h). */
#include "blk.h"
#include "../solo5/say.h"
#include "io.h"
#include "virtio.h"

#define VIRTIO_BLK_T_IN  0
#define VIRTIO_BLK_T_OUT 1
#define VIRTIO_BLK_S_OK  0
#define SECTOR           512u

static void broke(struct vblk *b, const char *why)
{
    if (!b->broken)
        solo5_say("virtio: block '", b->name, "' (", b->dev->where, "): ", why,
                  "; device disabled\n", NULL);
    b->broken = true;
}

int vblk_start(struct vblk *b, struct virtio_dev *d, const char *name,
               const char **why)
{
    *b = (struct vblk){.dev = d, .name = name, .block_size = SECTOR};
    uint64_t f =
        virtio_negotiate(d, VIRTIO_BLK_F_RO | VIRTIO_BLK_F_BLK_SIZE, why);
    if (f == 0)
        return -1;
    if (f & VIRTIO_BLK_F_BLK_SIZE) {
        uint64_t bs = virtio_config(d, 20, 4);
        if (bs < SECTOR || bs > BLK_MAX_BLOCK || (bs & (bs - 1)) != 0) {
            *why = "the device reports an impossible block size";
            return -1;
        }
        b->block_size = (uint32_t)bs;
    }
    uint64_t sectors = virtio_config(d, 0, 8);
    if (sectors > UINT64_MAX / SECTOR) {
        *why = "the device reports an impossible capacity";
        return -1;
    }
    b->capacity = sectors * SECTOR / b->block_size * b->block_size;
    b->read_only = f & VIRTIO_BLK_F_RO;
    if (virtio_queue(d, 0, BLK_QUEUE_CAP, &b->q, why) < 0)
        return -1;
    b->req = virtio_dma_alloc(sizeof *b->req, 16);
    b->status = virtio_dma_alloc(1, 1);
    if (b->req == NULL || b->status == NULL) {
        *why = "no memory for its requests";
        return -1;
    }
    virtio_driver_ok(d);
    return 0;
}

enum plat_result vblk_transfer(struct vblk *b, bool write, uint64_t offset,
                               void *buf, size_t size)
{
    if (b->broken)
        return PLAT_EUNSPEC;
    *b->req =
        (struct vblk_req){.type = write ? VIRTIO_BLK_T_OUT : VIRTIO_BLK_T_IN,
                          .sector = offset / SECTOR};
    *b->status = 0xff;
    struct vq_seg segs[3] = {
        {(uint64_t)(uintptr_t)b->req, sizeof *b->req, false},
        {(uint64_t)(uintptr_t)buf, (uint32_t)size, !write},
        {(uint64_t)(uintptr_t)b->status, 1, true},
    };
    uint16_t head, got;
    uint32_t len;
    if (vq_add(&b->q, segs, 3, &head) != VQ_OK) {
        broke(b, "no free descriptors for a request");
        return PLAT_EUNSPEC;
    }
    b->dev->t->notify(b->dev, 0);
    uint64_t give_up = plat_clock_monotonic() + BLK_TIMEOUT_NS;
    int r;
    while ((r = vq_get(&b->q, &got, &len)) == VQ_EMPTY) {
        if (plat_clock_monotonic() >= give_up) {
            broke(b, "a request did not complete in 30 s");
            return PLAT_EUNSPEC;
        }
        cpu_relax();
    }
    if (r < 0) {
        broke(b, vq_strerror(r));
        return PLAT_EUNSPEC;
    }
    /* One request in flight: vq_get checked that `got` is its head. */
    (void)got;
    return *(volatile uint8_t *)b->status == VIRTIO_BLK_S_OK ? PLAT_OK
                                                             : PLAT_EUNSPEC;
}
