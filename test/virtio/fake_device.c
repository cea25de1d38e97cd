/* The fake virtio device and platform doubles (see fake_device.h). */
#include "fake_device.h"
#include "../../plat/solo5/say.h"
#include "../../plat/virtio/virtio.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

char fake_said[512];
uint64_t fake_clock_step = 1000;
static uint64_t now;
static void *allocated[64];
static unsigned nallocated;

static struct fake *F(struct virtio_dev *d)
{
    return (struct fake *)d;
}
static uint8_t get_status(struct virtio_dev *d)
{
    return F(d)->status;
}
static void set_status(struct virtio_dev *d, uint8_t s)
{
    F(d)->status = s;
}
static uint64_t get_features(struct virtio_dev *d)
{
    return F(d)->offered;
}
static void set_features(struct virtio_dev *d, uint64_t f)
{
    F(d)->accepted = f;
}
static uint32_t queue_max(struct virtio_dev *d, uint16_t q)
{
    return q < VIRTIO_MAX_QUEUES ? F(d)->qmax[q] : 0;
}
static int queue_setup(struct virtio_dev *d, uint16_t q, uint16_t size,
                       const struct vq *vq, const char **why)
{
    (void)size;
    if (q >= VIRTIO_MAX_QUEUES) {
        *why = "no such queue";
        return -1;
    }
    F(d)->queue[q] = vq;
    F(d)->taken[q] = 0; /* a queue set up again starts empty */
    return 0;
}
static void notify(struct virtio_dev *d, uint16_t q)
{
    F(d)->notified[q]++;
    if (F(d)->on_notify)
        F(d)->on_notify(F(d), q);
}
static uint8_t config_generation(struct virtio_dev *d)
{
    (void)d;
    return 0;
}

static const struct virtio_transport fake_transport = {
    get_status, set_status,  get_features, set_features,
    queue_max,  queue_setup, notify,       config_generation,
};

void fake_init(struct fake *f, uint32_t type, uint64_t features, uint32_t qmax)
{
    memset(f, 0, sizeof *f);
    f->dev.t = &fake_transport;
    f->dev.type = type;
    f->dev.config = (uintptr_t)f->config;
    strcpy(f->dev.where, "fake");
    f->offered = features | VIRTIO_F_VERSION_1;
    for (int i = 0; i < VIRTIO_MAX_QUEUES; i++)
        f->qmax[i] = qmax;
}

int fake_take(struct fake *f, uint16_t q)
{
    const struct vq *vq = f->queue[q];
    if (vq->avail->idx == f->taken[q])
        return -1;
    return vq->avail->ring[f->taken[q]++ & (vq->size - 1)];
}

void fake_use(struct fake *f, uint16_t q, uint32_t id, uint32_t len,
              uint16_t advance)
{
    const struct vq *vq = f->queue[q];
    volatile struct vq_used_elem *e =
        &vq->used->ring[vq->used->idx & (vq->size - 1)];
    e->id = id;
    e->len = len;
    vq->used->idx = (uint16_t)(vq->used->idx + advance);
}

void fake_reset(void)
{
    while (nallocated)
        free(allocated[--nallocated]);
    fake_said[0] = '\0';
    fake_clock_step = 1000;
}

void *virtio_dma_alloc(size_t size, size_t align)
{
    if (nallocated == sizeof allocated / sizeof allocated[0])
        return NULL;
    size_t rounded = (size + align - 1) / align * align;
    void *p = aligned_alloc(align, rounded ? rounded : align);
    memset(p, 0, rounded ? rounded : align);
    allocated[nallocated++] = p;
    return p;
}

void solo5_say(const char *s, ...)
{
    va_list ap;
    va_start(ap, s);
    fake_said[0] = '\0';
    for (; s != NULL; s = va_arg(ap, const char *))
        strncat(fake_said, s, sizeof fake_said - strlen(fake_said) - 1);
    va_end(ap);
}

uint64_t plat_clock_monotonic(void)
{
    return now += fake_clock_step;
}
