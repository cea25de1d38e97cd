/* A fake virtio device for the hosted tests of plat/virtio: a transport
 * whose registers are fields, queues the test reads and writes as the
 * device would (taking available buffers, filling used entries, hostile
 * values included), and the platform services the drivers call
 * (DMA memory, the clock, diagnostics) replaced by test doubles. */
#ifndef MIRAGE_TEST_VIRTIO_FAKE_DEVICE_H
#define MIRAGE_TEST_VIRTIO_FAKE_DEVICE_H

#include "../../plat/virtio/transport.h"

struct fake {
    struct virtio_dev dev; /* first: the transport gets &fake.dev */
    uint8_t status;
    uint64_t offered, accepted;
    uint32_t qmax[VIRTIO_MAX_QUEUES];
    const struct vq *queue[VIRTIO_MAX_QUEUES];
    uint16_t taken[VIRTIO_MAX_QUEUES]; /* available entries consumed */
    int notified[VIRTIO_MAX_QUEUES];
    uint8_t config[64];
    /* Called on each notification, as the device would act on it. */
    void (*on_notify)(struct fake *f, uint16_t q);
};

/* A fake device of `type` offering features (VERSION_1 is added) with
 * queues of qmax entries. */
void fake_init(struct fake *f, uint32_t type, uint64_t features, uint32_t qmax);

/* The next available buffer chain's head on queue q, or -1 if none. */
int fake_take(struct fake *f, uint16_t q);

/* Put (id, len) in queue q's used ring and advance its index by
 * `advance` (1 normally; more to run the index ahead). */
void fake_use(struct fake *f, uint16_t q, uint32_t id, uint32_t len,
              uint16_t advance);

/* The last line the platform said (solo5_say), "" if none. */
extern char fake_said[512];

/* The fake monotonic clock advances by this much at every reading. */
extern uint64_t fake_clock_step;

/* Free the DMA memory handed out and forget what was said. */
void fake_reset(void);

#endif
