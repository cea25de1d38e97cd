/* The virtio-mmio transport, version 2 (virtio 1.x section 4.2): one
 * register window per device, found on the kernel command line
 * (virtio_mmio.device=SIZE@BASE:IRQ, cmdline.c) as QEMU's microvm and
 * Firecracker write it. A version 1 (legacy) window is refused with the
 * QEMU option that makes it modern. */
#include "io.h"
#include "transport.h"
#include "virtio.h"

#define MMIO_MAGIC           0x000
#define MMIO_VERSION         0x004
#define MMIO_DEVICE_ID       0x008
#define MMIO_DEVICE_FEAT     0x010
#define MMIO_DEVICE_FEAT_SEL 0x014
#define MMIO_DRIVER_FEAT     0x020
#define MMIO_DRIVER_FEAT_SEL 0x024
#define MMIO_QUEUE_SEL       0x030
#define MMIO_QUEUE_NUM_MAX   0x034
#define MMIO_QUEUE_NUM       0x038
#define MMIO_QUEUE_READY     0x044
#define MMIO_QUEUE_NOTIFY    0x050
#define MMIO_STATUS          0x070
#define MMIO_QUEUE_DESC      0x080
#define MMIO_QUEUE_DRIVER    0x090
#define MMIO_QUEUE_DEVICE    0x0a0
#define MMIO_CONFIG_GEN      0x0fc
#define MMIO_CONFIG          0x100
#define MMIO_MAGIC_VALUE     0x74726976 /* "virt" */
#define MMIO_MIN_SIZE        0x200

static uint32_t rd(struct virtio_dev *d, unsigned r)
{
    return mmio_read32(d->regs + r);
}
static void wr(struct virtio_dev *d, unsigned r, uint32_t v)
{
    mmio_write32(d->regs + r, v);
}

static uint8_t get_status(struct virtio_dev *d)
{
    return (uint8_t)rd(d, MMIO_STATUS);
}
static void set_status(struct virtio_dev *d, uint8_t s)
{
    wr(d, MMIO_STATUS, s);
}

static uint64_t get_features(struct virtio_dev *d)
{
    wr(d, MMIO_DEVICE_FEAT_SEL, 1);
    uint64_t hi = rd(d, MMIO_DEVICE_FEAT);
    wr(d, MMIO_DEVICE_FEAT_SEL, 0);
    return hi << 32 | rd(d, MMIO_DEVICE_FEAT);
}
static void set_features(struct virtio_dev *d, uint64_t f)
{
    wr(d, MMIO_DRIVER_FEAT_SEL, 1);
    wr(d, MMIO_DRIVER_FEAT, (uint32_t)(f >> 32));
    wr(d, MMIO_DRIVER_FEAT_SEL, 0);
    wr(d, MMIO_DRIVER_FEAT, (uint32_t)f);
}

static uint32_t queue_max(struct virtio_dev *d, uint16_t q)
{
    wr(d, MMIO_QUEUE_SEL, q);
    return rd(d, MMIO_QUEUE_NUM_MAX);
}

static void wr64(struct virtio_dev *d, unsigned r, uint64_t v)
{
    wr(d, r, (uint32_t)v);
    wr(d, r + 4, (uint32_t)(v >> 32));
}

static int queue_setup(struct virtio_dev *d, uint16_t q, uint16_t size,
                       const struct vq *vq, const char **why)
{
    wr(d, MMIO_QUEUE_SEL, q);
    if (rd(d, MMIO_QUEUE_READY) != 0) {
        *why = "a queue is already in use after the reset";
        return -1;
    }
    wr(d, MMIO_QUEUE_NUM, size);
    wr64(d, MMIO_QUEUE_DESC, (uint64_t)(uintptr_t)vq->desc);
    wr64(d, MMIO_QUEUE_DRIVER, (uint64_t)(uintptr_t)vq->avail);
    wr64(d, MMIO_QUEUE_DEVICE, (uint64_t)(uintptr_t)vq->used);
    wr(d, MMIO_QUEUE_READY, 1);
    return 0;
}

static void notify(struct virtio_dev *d, uint16_t q)
{
    __atomic_thread_fence(__ATOMIC_SEQ_CST);
    wr(d, MMIO_QUEUE_NOTIFY, q);
}

static uint8_t config_generation(struct virtio_dev *d)
{
    return (uint8_t)rd(d, MMIO_CONFIG_GEN);
}

static const struct virtio_transport mmio_transport = {
    .get_status = get_status,
    .set_status = set_status,
    .get_features = get_features,
    .set_features = set_features,
    .queue_max = queue_max,
    .queue_setup = queue_setup,
    .notify = notify,
    .config_generation = config_generation,
};

int virtio_mmio_probe(struct virtio_dev *d, uint64_t base, uint64_t size,
                      const char **why)
{
    *d = (struct virtio_dev){
        .t = &mmio_transport, .regs = base, .config = base + MMIO_CONFIG};
    virtio_format_where(d->where, "mmio@", base);
    if (size < MMIO_MIN_SIZE) {
        *why = "the register window is smaller than 0x200 bytes";
        return -1;
    }
    if (virtio_map_device(base, size) < 0) {
        *why = "the register window cannot be mapped";
        return -1;
    }
    if (rd(d, MMIO_MAGIC) != MMIO_MAGIC_VALUE) {
        *why = "no virtio-mmio registers there";
        return -1;
    }
    uint32_t version = rd(d, MMIO_VERSION);
    if (version == 1) {
        *why = "a legacy (version 1) virtio-mmio device; on QEMU add "
               "-global virtio-mmio.force-legacy=false";
        return -1;
    }
    if (version != 2) {
        *why = "an unknown virtio-mmio version";
        return -1;
    }
    d->type = rd(d, MMIO_DEVICE_ID);
    return 0;
}
