/* The device-independent driver steps (see transport.h). */
#include "io.h"
#include "transport.h"
#include "virtio.h"

#define RESET_TRIES 1000000

uint64_t virtio_negotiate(struct virtio_dev *d, uint64_t wanted,
                          const char **why)
{
    d->t->set_status(d, 0);
    for (int i = 0; i < RESET_TRIES && d->t->get_status(d) != 0; i++)
        cpu_relax();
    if (d->t->get_status(d) != 0) {
        *why = "the device does not reset";
        return 0;
    }
    d->t->set_status(d, VIRTIO_STATUS_ACK);
    d->t->set_status(d, VIRTIO_STATUS_ACK | VIRTIO_STATUS_DRIVER);
    uint64_t offered = d->offered = d->t->get_features(d);
    if (!(offered & VIRTIO_F_VERSION_1)) {
        d->t->set_status(d, VIRTIO_STATUS_FAILED);
        *why = "not a virtio 1.0 (modern) device";
        return 0;
    }
    uint64_t accepted = offered & (wanted | VIRTIO_F_VERSION_1);
    d->t->set_features(d, accepted);
    d->t->set_status(d, VIRTIO_STATUS_ACK | VIRTIO_STATUS_DRIVER |
                            VIRTIO_STATUS_FEATURES_OK);
    if (!(d->t->get_status(d) & VIRTIO_STATUS_FEATURES_OK)) {
        d->t->set_status(d, VIRTIO_STATUS_FAILED);
        *why = "the device refuses the features offered to it";
        return 0;
    }
    return accepted;
}

/* The largest queue q may have, at most cap: 0 with *why if the device's
 * maximum is impossible. */
static uint16_t queue_size(struct virtio_dev *d, uint16_t q, uint16_t cap,
                           const char **why)
{
    uint32_t max = d->t->queue_max(d, q);
    if (max == 0) {
        *why = "a queue the device must have is missing";
        return 0;
    }
    if (!vq_size_valid(max)) {
        *why = "the device reports an impossible queue size (not a power "
               "of two in 1..32768)";
        return 0;
    }
    return (uint16_t)(max < cap ? max : cap);
}

int virtio_queue(struct virtio_dev *d, uint16_t q, uint16_t cap, struct vq *vq,
                 const char **why)
{
    uint16_t size = queue_size(d, q, cap, why);
    if (size == 0)
        return -1;
    void *mem = virtio_dma_alloc(vq_memory(size), 4096);
    if (mem == NULL) {
        *why = "no memory for its queues";
        return -1;
    }
    vq_init(vq, size, mem);
    return d->t->queue_setup(d, q, size, vq, why);
}

int virtio_queue_again(struct virtio_dev *d, uint16_t q, uint16_t cap,
                       struct vq *vq, const char **why)
{
    uint16_t size = queue_size(d, q, cap < vq->size ? cap : vq->size, why);
    if (size == 0)
        return -1;
    volatile uint8_t *mem = (volatile uint8_t *)vq->desc;
    for (size_t i = 0; i < vq_memory(size); i++)
        mem[i] = 0;
    vq_init(vq, size, (void *)(uintptr_t)mem);
    return d->t->queue_setup(d, q, size, vq, why);
}

void virtio_driver_ok(struct virtio_dev *d)
{
    d->t->set_status(d, VIRTIO_STATUS_ACK | VIRTIO_STATUS_DRIVER |
                            VIRTIO_STATUS_FEATURES_OK |
                            VIRTIO_STATUS_DRIVER_OK);
}

static uint64_t config_read(struct virtio_dev *d, unsigned off, unsigned len)
{
    uintptr_t a = d->config + off;
    switch (len) {
    case 1:
        return mmio_read8(a);
    case 2:
        return mmio_read16(a);
    case 4:
        return mmio_read32(a);
    default:
        return mmio_read32(a) | (uint64_t)mmio_read32(a + 4) << 32;
    }
}

uint64_t virtio_config(struct virtio_dev *d, unsigned off, unsigned len)
{
    uint64_t v;
    uint8_t gen;
    int tries = 0;
    do {
        gen = d->t->config_generation(d);
        v = config_read(d, off, len);
    } while (gen != d->t->config_generation(d) && ++tries < 100);
    return v;
}
