/* A split virtqueue (virtio 1.x, section 2.6) as the driver sees it, with
 * every value the device writes checked before it is used: the used
 * index may not run ahead of what was made available, a used element
 * must name a descriptor chain that is in flight, and the length the
 * device reports may not exceed the device-writable bytes of that chain.
 * A violation is reported once, leaves the queue broken (every later
 * call fails) and writes nothing. The free list and the chains' lengths
 * are kept in the driver's own arrays, never read back from the rings.
 * Pure memory operations (the notification is the caller's), so the
 * tests drive it with a fake device. */
#ifndef MIRAGE_PLAT_VIRTIO_VIRTQUEUE_H
#define MIRAGE_PLAT_VIRTIO_VIRTQUEUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define VQ_MAX_SIZE     32768 /* the specification's limit */
#define VQ_DESC_F_NEXT  1
#define VQ_DESC_F_WRITE 2

struct vq_desc {
    uint64_t addr;
    uint32_t len;
    uint16_t flags, next;
};
struct vq_avail {
    uint16_t flags, idx;
    uint16_t ring[];
};
struct vq_used_elem {
    uint32_t id, len;
};
struct vq_used {
    uint16_t flags, idx;
    struct vq_used_elem ring[];
};

struct vq {
    uint16_t size; /* a power of two, 1..VQ_MAX_SIZE */
    volatile struct vq_desc *desc;
    volatile struct vq_avail *avail;
    volatile struct vq_used *used;
    uint16_t avail_idx; /* the next avail->idx to publish */
    uint16_t last_used; /* the next used element to read */
    uint16_t free_head, num_free, in_flight;
    uint16_t *next;     /* free list, and each chain's links */
    uint16_t *chain;    /* per head: descriptors in its chain, 0: free */
    uint32_t *writable; /* per head: device-writable bytes of its chain */
    bool broken;
};

/* One buffer of a chain. */
struct vq_seg {
    uint64_t addr;
    uint32_t len;
    bool device_writes;
};

enum vq_status {
    VQ_OK = 0,
    VQ_EMPTY = 1,      /* nothing used yet */
    VQ_EFULL = 2,      /* not enough free descriptors */
    VQ_EBROKEN = -1,   /* an earlier violation */
    VQ_ERUNAHEAD = -2, /* the used index passed what was made available */
    VQ_EBADID = -3,    /* a used element names no chain in flight */
    VQ_EBADLEN = -4,   /* a used length beyond the chain's writable bytes */
};

/* Whether size is usable for a split queue: a power of two, 1..32768. */
bool vq_size_valid(uint32_t size);

/* Bytes of memory a queue of `size` needs (rings and the driver's
 * arrays), to be given 4096-aligned and zeroed to vq_init. */
size_t vq_memory(uint16_t size);

/* Lay out the queue in mem; afterwards the rings' addresses for the
 * transport are q->desc, q->avail and q->used. */
void vq_init(struct vq *q, uint16_t size, void *mem);

/* The head vq_add will use next (its descriptor index), or -1 if no
 * descriptor is free; lets a caller put a one-buffer chain at a slot
 * chosen by head. */
int vq_next_head(const struct vq *q);

/* Make the chain segs[0..n) available: VQ_OK with *head set, VQ_EFULL,
 * or VQ_EBROKEN. The caller then notifies the device. */
int vq_add(struct vq *q, const struct vq_seg *segs, unsigned n, uint16_t *head);

/* Take the next used chain: VQ_OK with *head and *len (bytes the device
 * wrote, checked), VQ_EMPTY, or a negative enum vq_status (the queue is
 * then broken). */
int vq_get(struct vq *q, uint16_t *head, uint32_t *len);

/* Whether the device has used something not yet taken (unchecked: vq_get
 * checks it). */
bool vq_pending(const struct vq *q);

/* A one-line description of a negative enum vq_status. */
const char *vq_strerror(int status);

#endif
