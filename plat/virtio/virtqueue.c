/* The split virtqueue (see virtqueue.h). */
#include "virtqueue.h"

#define ALIGN_UP(x, a) (((x) + (a)-1) & ~(size_t)((a)-1))

bool vq_size_valid(uint32_t size)
{
    return size >= 1 && size <= VQ_MAX_SIZE && (size & (size - 1)) == 0;
}

/* Offsets in the queue's memory: descriptors, available ring, used ring
 * (4-aligned), then the driver's arrays. */
static size_t avail_off(uint16_t n)
{
    return 16 * (size_t)n;
}
static size_t used_off(uint16_t n)
{
    return ALIGN_UP(avail_off(n) + 6 + 2 * (size_t)n, 4);
}
static size_t arrays_off(uint16_t n)
{
    return ALIGN_UP(used_off(n) + 6 + 8 * (size_t)n, 8);
}

size_t vq_memory(uint16_t size)
{
    return arrays_off(size) + (4 + 2 + 2) * (size_t)size;
}

void vq_init(struct vq *q, uint16_t size, void *mem)
{
    char *m = mem;
    *q = (struct vq){
        .size = size,
        .desc = (volatile struct vq_desc *)m,
        .avail = (volatile struct vq_avail *)(m + avail_off(size)),
        .used = (volatile struct vq_used *)(m + used_off(size)),
        .num_free = size,
        .writable = (uint32_t *)(m + arrays_off(size)),
    };
    q->next = (uint16_t *)(q->writable + size);
    q->chain = q->next + size;
    for (uint16_t i = 0; i < size; i++) {
        q->next[i] = (uint16_t)(i + 1);
        q->chain[i] = 0;
    }
}

int vq_next_head(const struct vq *q)
{
    return q->broken || q->num_free == 0 ? -1 : q->free_head;
}

int vq_add(struct vq *q, const struct vq_seg *segs, unsigned n, uint16_t *head)
{
    if (q->broken)
        return VQ_EBROKEN;
    if (n == 0 || n > q->num_free)
        return VQ_EFULL;
    uint16_t h = q->free_head, d = h;
    uint32_t writable = 0;
    for (unsigned i = 0; i < n; i++) {
        q->desc[d].addr = segs[i].addr;
        q->desc[d].len = segs[i].len;
        q->desc[d].flags =
            (uint16_t)((segs[i].device_writes ? VQ_DESC_F_WRITE : 0) |
                       (i + 1 < n ? VQ_DESC_F_NEXT : 0));
        q->desc[d].next = q->next[d];
        if (segs[i].device_writes)
            writable += segs[i].len;
        if (i + 1 < n)
            d = q->next[d];
    }
    q->free_head = q->next[d];
    q->num_free = (uint16_t)(q->num_free - n);
    q->chain[h] = (uint16_t)n;
    q->writable[h] = writable;
    q->avail->ring[q->avail_idx & (q->size - 1)] = h;
    /* The ring entry and the descriptors before the index (x86 keeps
     * stores in order; the compiler must too). */
    __atomic_thread_fence(__ATOMIC_RELEASE);
    q->avail_idx++;
    q->avail->idx = q->avail_idx;
    q->in_flight++;
    *head = h;
    return VQ_OK;
}

static int fail(struct vq *q, int status)
{
    q->broken = true;
    return status;
}

int vq_get(struct vq *q, uint16_t *head, uint32_t *len)
{
    if (q->broken)
        return VQ_EBROKEN;
    uint16_t used_idx = q->used->idx;
    uint16_t ahead = (uint16_t)(used_idx - q->last_used);
    if (ahead == 0)
        return VQ_EMPTY;
    if (ahead > q->in_flight)
        return fail(q, VQ_ERUNAHEAD);
    __atomic_thread_fence(__ATOMIC_ACQUIRE);
    volatile struct vq_used_elem *e =
        &q->used->ring[q->last_used & (q->size - 1)];
    uint32_t id = e->id, n = e->len;
    if (id >= q->size || q->chain[id] == 0)
        return fail(q, VQ_EBADID);
    if (n > q->writable[id])
        return fail(q, VQ_EBADLEN);
    uint16_t last = (uint16_t)id;
    for (uint16_t i = 1; i < q->chain[id]; i++)
        last = q->next[last];
    q->next[last] = q->free_head;
    q->free_head = (uint16_t)id;
    q->num_free = (uint16_t)(q->num_free + q->chain[id]);
    q->chain[id] = 0;
    q->last_used++;
    q->in_flight--;
    *head = (uint16_t)id;
    *len = n;
    return VQ_OK;
}

bool vq_pending(const struct vq *q)
{
    return !q->broken && q->used->idx != q->last_used;
}

const char *vq_strerror(int status)
{
    switch (status) {
    case VQ_ERUNAHEAD:
        return "the used ring's index ran ahead of the buffers given";
    case VQ_EBADID:
        return "the used ring names a buffer that is not in flight";
    case VQ_EBADLEN:
        return "the device reported more bytes than the buffer holds";
    case VQ_EBROKEN:
        return "the queue is disabled after an earlier error";
    default:
        return "virtqueue error";
    }
}
