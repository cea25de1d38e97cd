/* The virtio-net driver (see net.h). */
#include "net.h"
#include "../solo5/say.h"
#include "../solo5/tsc.h"
#include "virtio.h"

#include <mirage/plat.h>

#define RX_QUEUE   0
#define TX_QUEUE   1
#define TX_WAIT_NS 1000000000ull

/* Report a queue violation once and disable the device. */
static void broke(struct vnet *n, int status)
{
    if (!n->broken)
        solo5_say("virtio: net '", n->name, "' (", n->dev->where,
                  "): ", vq_strerror(status), "; device disabled\n", NULL);
    n->broken = true;
}

/* Post the receive buffer of the next free descriptor. */
static void post_rx(struct vnet *n)
{
    int h = vq_next_head(&n->rx);
    if (h < 0)
        return;
    struct vq_seg s = {(uint64_t)(uintptr_t)(n->rx_buf + (size_t)h * NET_BUF),
                       NET_BUF, true};
    uint16_t head;
    vq_add(&n->rx, &s, 1, &head);
}

int vnet_start(struct vnet *n, struct virtio_dev *d, const char *name,
               const char **why)
{
    *n = (struct vnet){.dev = d, .name = name, .mtu = NET_MTU};
    uint64_t f = virtio_negotiate(d, VIRTIO_NET_F_MAC | VIRTIO_NET_F_MTU, why);
    if (f == 0)
        return -1;
    if (virtio_queue(d, RX_QUEUE, NET_QUEUE_CAP, &n->rx, why) < 0 ||
        virtio_queue(d, TX_QUEUE, NET_QUEUE_CAP, &n->tx, why) < 0)
        return -1;
    n->rx_buf = virtio_dma_alloc((size_t)n->rx.size * NET_BUF, 4096);
    n->tx_buf = virtio_dma_alloc((size_t)n->tx.size * NET_BUF, 4096);
    if (n->rx_buf == NULL || n->tx_buf == NULL) {
        *why = "no memory for its buffers";
        return -1;
    }
    if (f & VIRTIO_NET_F_MAC) {
        for (unsigned i = 0; i < 6; i++)
            n->mac[i] = (uint8_t)virtio_config(d, i, 1);
    } else {
        uint64_t r = solo5_rdtsc() * 0x9e3779b97f4a7c15ull;
        for (unsigned i = 0; i < 6; i++)
            n->mac[i] = (uint8_t)(r >> (8 * i));
        n->mac[0] = (uint8_t)((n->mac[0] & 0xfe) | 0x02);
    }
    if (f & VIRTIO_NET_F_MTU) {
        uint64_t mtu = virtio_config(d, 10, 2);
        if (mtu >= 68 && mtu < n->mtu)
            n->mtu = (uint16_t)mtu;
    }
    while (vq_next_head(&n->rx) >= 0)
        post_rx(n);
    virtio_driver_ok(d);
    d->t->notify(d, RX_QUEUE);
    return 0;
}

/* Take back the transmit buffers the device is done with. */
static int reclaim_tx(struct vnet *n)
{
    uint16_t head;
    uint32_t len;
    int r;
    while ((r = vq_get(&n->tx, &head, &len)) == VQ_OK)
        ;
    if (r < 0)
        broke(n, r);
    return r < 0 ? -1 : 0;
}

enum plat_result vnet_send(struct vnet *n, const void *frame, size_t len)
{
    if (n->broken || reclaim_tx(n) < 0)
        return PLAT_EUNSPEC;
    int h = vq_next_head(&n->tx);
    uint64_t give_up = 0;
    while (h < 0) {
        uint64_t now = plat_clock_monotonic();
        if (give_up == 0)
            give_up = now + TX_WAIT_NS;
        if (now >= give_up) {
            solo5_say("virtio: net '", n->name, "' (", n->dev->where,
                      "): the device returns no transmit buffer\n", NULL);
            return PLAT_EUNSPEC;
        }
        if (reclaim_tx(n) < 0)
            return PLAT_EUNSPEC;
        h = vq_next_head(&n->tx);
    }
    uint8_t *slot = n->tx_buf + (size_t)h * NET_BUF;
    for (unsigned i = 0; i < NET_HDR; i++)
        slot[i] = 0;
    const uint8_t *src = frame;
    for (size_t i = 0; i < len; i++)
        slot[NET_HDR + i] = src[i];
    struct vq_seg s = {(uint64_t)(uintptr_t)slot, (uint32_t)(NET_HDR + len),
                       false};
    uint16_t head;
    if (vq_add(&n->tx, &s, 1, &head) != VQ_OK)
        return PLAT_EUNSPEC;
    n->dev->t->notify(n->dev, TX_QUEUE);
    return PLAT_OK;
}

enum plat_result vnet_receive(struct vnet *n, void *buf, size_t size,
                              size_t *read)
{
    if (n->broken)
        return PLAT_EUNSPEC;
    uint16_t head;
    uint32_t len;
    int r = vq_get(&n->rx, &head, &len);
    if (r == VQ_EMPTY)
        return PLAT_AGAIN;
    if (r < 0) {
        broke(n, r);
        return PLAT_EUNSPEC;
    }
    enum plat_result result = PLAT_EUNSPEC;
    size_t frame = len >= NET_HDR ? len - NET_HDR : 0;
    if (frame > 0 && frame <= (size_t)n->mtu + 14 && frame <= size) {
        const uint8_t *src = n->rx_buf + (size_t)head * NET_BUF + NET_HDR;
        uint8_t *dst = buf;
        for (size_t i = 0; i < frame; i++)
            dst[i] = src[i];
        *read = frame;
        result = PLAT_OK;
    }
    post_rx(n);
    n->dev->t->notify(n->dev, RX_QUEUE);
    return result;
}

void vnet_flush(struct vnet *n)
{
    uint64_t give_up = plat_clock_monotonic() + TX_WAIT_NS;
    while (!n->broken && n->tx.in_flight > 0 &&
           plat_clock_monotonic() < give_up && reclaim_tx(n) == 0)
        ;
}

bool vnet_pending(const struct vnet *n)
{
    return !n->broken && vq_pending(&n->rx);
}
