/* A virtio 1.x device behind one of the two transports the platform
 * speaks, virtio-mmio (version 2) and virtio-pci (modern capabilities),
 * and the device-independent steps every driver takes: reset, feature
 * negotiation, queue setup, DRIVER_OK. Both transports' registers are
 * memory-mapped (virtio_map_device), so the device configuration is read
 * the same way on both. */
#ifndef MIRAGE_PLAT_VIRTIO_TRANSPORT_H
#define MIRAGE_PLAT_VIRTIO_TRANSPORT_H

#include "virtqueue.h"

#include <stdbool.h>
#include <stdint.h>

/* Device types (virtio 1.x section 5). */
#define VIRTIO_ID_NET     1
#define VIRTIO_ID_BLOCK   2
#define VIRTIO_ID_CONSOLE 3

#define VIRTIO_F_VERSION_1 (1ull << 32)

#define VIRTIO_STATUS_ACK         1
#define VIRTIO_STATUS_DRIVER      2
#define VIRTIO_STATUS_DRIVER_OK   4
#define VIRTIO_STATUS_FEATURES_OK 8
#define VIRTIO_STATUS_FAILED      128

#define VIRTIO_MAX_QUEUES 2

struct virtio_dev;
struct virtio_transport {
    uint8_t (*get_status)(struct virtio_dev *d);
    void (*set_status)(struct virtio_dev *d, uint8_t s);
    uint64_t (*get_features)(struct virtio_dev *d);
    void (*set_features)(struct virtio_dev *d, uint64_t f);
    /* The queue's maximum size, 0 if it does not exist. */
    uint32_t (*queue_max)(struct virtio_dev *d, uint16_t q);
    /* Give queue q of `size` at the rings of vq and enable it; -1 with
     * *why if the device will not take it. */
    int (*queue_setup)(struct virtio_dev *d, uint16_t q, uint16_t size,
                       const struct vq *vq, const char **why);
    void (*notify)(struct virtio_dev *d, uint16_t q);
    uint8_t (*config_generation)(struct virtio_dev *d);
};

struct virtio_dev {
    const struct virtio_transport *t;
    uint32_t type;    /* VIRTIO_ID_*, 0 for none */
    char where[24];   /* "mmio@0xfeb00e00", "pci 00:03.0" */
    uintptr_t regs;   /* mmio: the registers; pci: common config */
    uintptr_t config; /* the device-specific configuration */
    uintptr_t notify[VIRTIO_MAX_QUEUES]; /* pci: each queue's doorbell */
    uintptr_t notify_base;               /* pci */
    uint32_t notify_mult;                /* pci */
    uint64_t offered; /* the features the device offered when negotiated */
};

/* Reset d and negotiate: VERSION_1 and whichever of `wanted` it offers
 * (d->offered: all it offers). Returns the accepted features, or 0 with
 * *why set when the device is not a modern (1.0+) device or refuses
 * FEATURES_OK (it is then left FAILED). */
uint64_t virtio_negotiate(struct virtio_dev *d, uint64_t wanted,
                          const char **why);

/* Set up queue q with at most `cap` entries (a power of two) in DMA
 * memory: the device's maximum is checked (0: no such queue; not a power
 * of two or above VQ_MAX_SIZE: refused). Returns 0, or -1 with *why. */
int virtio_queue(struct virtio_dev *d, uint16_t q, uint16_t cap, struct vq *vq,
                 const char **why);

/* Set up queue q again after a new virtio_negotiate (which resets the
 * device), in the memory vq was given by virtio_queue: at most cap
 * entries and no more than before; the queue starts empty. 0, or -1 with
 * *why. */
int virtio_queue_again(struct virtio_dev *d, uint16_t q, uint16_t cap,
                       struct vq *vq, const char **why);

/* Tell the device the driver is ready. */
void virtio_driver_ok(struct virtio_dev *d);

/* Read `len` (1, 2, 4 or 8) bytes of device configuration at off, with
 * the generation counter retried so a multi-byte value is consistent. */
uint64_t virtio_config(struct virtio_dev *d, unsigned off, unsigned len);

/* Transports. Each returns 0 with *d filled in, or -1 with *why. */
int virtio_mmio_probe(struct virtio_dev *d, uint64_t base, uint64_t size,
                      const char **why);
/* Enumerate PCI bus 0 and the buses behind its bridges for virtio
 * devices, storing at most max of them in devs; a device that cannot be
 * used is reported on the console and skipped. Returns the count. */
unsigned virtio_pci_scan(struct virtio_dev *devs, unsigned max);

#endif
