/* The virtio-net driver (see net.h). */
#include "net.h"
#include "../solo5/say.h"
#include "../solo5/tsc.h"
#include "virtio.h"

#include <mirage/plat.h>

#define RX_QUEUE   0
#define TX_QUEUE   1
#define TX_WAIT_NS 1000000000ull

#define BARE_FEATURES (VIRTIO_NET_F_MAC | VIRTIO_NET_F_MTU)
#define GSO_NONE      0
#define GSO_TCPV4     1
#define GSO_TCPV6     4
#define GSO_ECN       0x80

/* Copy n bytes, a word at a time where it can (no libc here). */
static void copy(uint8_t *dst, const uint8_t *src, size_t n)
{
    size_t i = 0;
    for (; i + 8 <= n; i += 8)
        __builtin_memcpy(dst + i, src + i, 8);
    for (; i < n; i++)
        dst[i] = src[i];
}

static uint16_t le16(const uint8_t *p)
{
    return (uint16_t)(p[0] | p[1] << 8);
}

/* Report a fault once and disable the device. */
static void broke(struct vnet *n, const char *why)
{
    if (!n->broken)
        solo5_say("virtio: net '", n->name, "' (", n->dev->where, "): ", why,
                  "; device disabled\n", NULL);
    n->broken = true;
}

/* Drop an impossible received frame: counted, the first one said. */
static enum plat_result drop(struct vnet *n, const char *why)
{
    if (n->rx_bad++ == 0)
        solo5_say("virtio: net '", n->name, "' (", n->dev->where,
                  "): dropped a frame: ", why, " (further ones counted)\n",
                  NULL);
    return PLAT_EUNSPEC;
}

static uint8_t *rx_slot(const struct vnet *n, uint16_t head)
{
    return n->rx_slots + (size_t)head * n->rx_slot;
}

/* Post the receive buffer of the next free descriptor. */
static void post_rx(struct vnet *n)
{
    int h = vq_next_head(&n->rx);
    if (h < 0)
        return;
    struct vq_seg s = {(uint64_t)(uintptr_t)rx_slot(n, (uint16_t)h),
                       (uint32_t)n->rx_slot, true};
    uint16_t head;
    vq_add(&n->rx, &s, 1, &head);
}

/* Set up both queues (again, after a reset: `again`), post every receive
 * buffer and start the device: 0, or -1 with *why. */
static int run(struct vnet *n, uint16_t rx_cap, bool again, const char **why)
{
    struct virtio_dev *d = n->dev;
    if (again ? virtio_queue_again(d, RX_QUEUE, rx_cap, &n->rx, why) < 0 ||
                    virtio_queue_again(d, TX_QUEUE, NET_QUEUE_CAP, &n->tx,
                                       why) < 0
              : virtio_queue(d, RX_QUEUE, rx_cap, &n->rx, why) < 0 ||
                    virtio_queue(d, TX_QUEUE, NET_QUEUE_CAP, &n->tx, why) < 0)
        return -1;
    while (vq_next_head(&n->rx) >= 0)
        post_rx(n);
    virtio_driver_ok(d);
    d->t->notify(d, RX_QUEUE);
    return 0;
}

/* Allocate the buffers for frames above NET_BUF that the device's
 * offers may need (at boot: DMA memory cannot be taken later); without
 * them the device is offered without TSO, or receives no GSO frames. */
static void big_buffers(struct vnet *n)
{
    uint64_t f = n->dev->offered;
    bool tx = (f & VIRTIO_NET_F_CSUM) &&
              (f & (VIRTIO_NET_F_HOST_TSO4 | VIRTIO_NET_F_HOST_TSO6));
    bool rx = (f & (VIRTIO_NET_F_GUEST_TSO4 | VIRTIO_NET_F_GUEST_TSO6)) &&
              !(f & VIRTIO_NET_F_MRG_RXBUF);
    if (tx)
        n->tx_big = virtio_dma_alloc((size_t)NET_BIG_TX * NET_BIG, 4096);
    if (rx)
        n->rx_big = virtio_dma_alloc((size_t)NET_BIG_RX * NET_BIG, 4096);
    if ((tx && n->tx_big == NULL) || (rx && n->rx_big == NULL))
        solo5_say("virtio: net '", n->name, "' (", n->dev->where,
                  "): no memory for 64 KiB frames; segmentation offload ",
                  n->tx_big ? "sends only\n" : "off\n", NULL);
}

int vnet_start(struct vnet *n, struct virtio_dev *d, const char *name,
               const char **why)
{
    *n = (struct vnet){.dev = d, .name = name, .mtu = NET_MTU};
    n->features = virtio_negotiate(d, BARE_FEATURES, why);
    if (n->features == 0)
        return -1;
    n->rx_buf = virtio_dma_alloc((size_t)NET_QUEUE_CAP * NET_BUF, 4096);
    n->tx_buf = virtio_dma_alloc((size_t)NET_QUEUE_CAP * NET_BUF, 4096);
    if (n->rx_buf == NULL || n->tx_buf == NULL) {
        *why = "no memory for its buffers";
        return -1;
    }
    n->rx_slots = n->rx_buf;
    n->rx_slot = NET_BUF;
    big_buffers(n);
    if (n->features & VIRTIO_NET_F_MAC) {
        for (unsigned i = 0; i < 6; i++)
            n->mac[i] = (uint8_t)virtio_config(d, i, 1);
    } else {
        uint64_t r = solo5_rdtsc() * 0x9e3779b97f4a7c15ull;
        for (unsigned i = 0; i < 6; i++)
            n->mac[i] = (uint8_t)(r >> (8 * i));
        n->mac[0] = (uint8_t)((n->mac[0] & 0xfe) | 0x02);
    }
    if (n->features & VIRTIO_NET_F_MTU) {
        uint64_t mtu = virtio_config(d, 10, 2);
        if (mtu >= 68 && mtu < n->mtu)
            n->mtu = (uint16_t)mtu;
    }
    return run(n, NET_QUEUE_CAP, false, why);
}

uint32_t vnet_offers(const struct vnet *n)
{
    uint64_t f = n->dev->offered;
    if (!(f & VIRTIO_NET_F_CSUM))
        return 0;
    if (n->tx_big == NULL) /* frames above NET_BUF cannot be sent */
        return PLAT_NET_OFFLOAD_CSUM;
    return PLAT_NET_OFFLOAD_CSUM |
           (f & VIRTIO_NET_F_HOST_TSO4 ? PLAT_NET_OFFLOAD_TSO4 : 0) |
           (f & VIRTIO_NET_F_HOST_TSO6 ? PLAT_NET_OFFLOAD_TSO6 : 0);
}

/* The features that carry offloads s both ways, as far as the device
 * offers them (`offered`); receiving GSO frames needs GUEST_CSUM, and
 * without MRG_RXBUF big receive buffers (`big_rx`: whether there are). */
static uint64_t offload_features(uint32_t s, uint64_t offered, bool big_rx)
{
    uint64_t f = BARE_FEATURES | VIRTIO_NET_F_CSUM | VIRTIO_NET_F_GUEST_CSUM;
    if (s & PLAT_NET_OFFLOAD_TSO4)
        f |= VIRTIO_NET_F_HOST_TSO4 | VIRTIO_NET_F_GUEST_TSO4;
    if (s & PLAT_NET_OFFLOAD_TSO6)
        f |= VIRTIO_NET_F_HOST_TSO6 | VIRTIO_NET_F_GUEST_TSO6;
    if (s & (PLAT_NET_OFFLOAD_TSO4 | PLAT_NET_OFFLOAD_TSO6))
        f |= VIRTIO_NET_F_MRG_RXBUF;
    f &= offered;
    if (!(f & VIRTIO_NET_F_GUEST_CSUM) ||
        (!(f & VIRTIO_NET_F_MRG_RXBUF) && !big_rx))
        f &= ~(VIRTIO_NET_F_GUEST_TSO4 | VIRTIO_NET_F_GUEST_TSO6);
    return f;
}

enum plat_result vnet_offload(struct vnet *n, uint32_t s)
{
    uint32_t offers = vnet_offers(n);
    if (!(s & PLAT_NET_OFFLOAD_CSUM) || (s & ~offers) || n->offloads)
        return PLAT_EINVAL;
    if (n->broken)
        return PLAT_EUNSPEC;
    uint64_t offered = n->dev->offered;
    const char *why;
    uint64_t f = offload_features(s, offered, n->rx_big != NULL);
    uint16_t rx_cap = NET_QUEUE_CAP;
    n->rx_slots = n->rx_buf;
    n->rx_slot = NET_BUF;
    if ((f & (VIRTIO_NET_F_GUEST_TSO4 | VIRTIO_NET_F_GUEST_TSO6)) &&
        !(f & VIRTIO_NET_F_MRG_RXBUF)) {
        n->rx_slots = n->rx_big;
        n->rx_slot = NET_BIG;
        rx_cap = NET_BIG_RX;
    }
    n->tx_big_used = 0;
    for (unsigned i = 0; i < NET_QUEUE_CAP; i++)
        n->tx_big_of[i] = 0;
    n->rx_skip = 0;
    n->features = virtio_negotiate(n->dev, f, &why);
    if (n->features == 0 || run(n, rx_cap, true, &why) < 0) {
        broke(n, why);
        return PLAT_EUNSPEC;
    }
    n->offloads = s;
    return PLAT_OK;
}

/* Take back the transmit buffers the device is done with. */
static int reclaim_tx(struct vnet *n)
{
    uint16_t head;
    uint32_t len;
    int r;
    while ((r = vq_get(&n->tx, &head, &len)) == VQ_OK) {
        if (n->tx_big_of[head]) {
            n->tx_big_used &= (uint8_t) ~(1u << (n->tx_big_of[head] - 1));
            n->tx_big_of[head] = 0;
        }
    }
    if (r < 0)
        broke(n, vq_strerror(r));
    return r < 0 ? -1 : 0;
}

/* Whether the header h of a frame of len bytes (header excluded) asks
 * only for what was switched on. */
static bool header_allowed(const struct vnet *n, const uint8_t *h, size_t len)
{
    uint8_t flags = h[0], type = h[1] & (uint8_t)~GSO_ECN;
    if (flags & ~PLAT_NET_VHDR_NEEDS_CSUM)
        return false;
    if (type == GSO_NONE)
        return len <= (size_t)n->mtu + 14;
    uint32_t tso = type == GSO_TCPV4   ? PLAT_NET_OFFLOAD_TSO4
                   : type == GSO_TCPV6 ? PLAT_NET_OFFLOAD_TSO6
                                       : 0;
    return (n->offloads & tso) && (flags & PLAT_NET_VHDR_NEEDS_CSUM) &&
           len <= PLAT_NET_GSO_MAX;
}

/* A free slot for a transmit of `total` bytes at free head h: its own
 * NET_BUF slot, or a big one (recorded against h); NULL if all big slots
 * are in flight. */
static uint8_t *tx_slot(struct vnet *n, int h, size_t total)
{
    if (total <= NET_BUF)
        return n->tx_buf + (size_t)h * NET_BUF;
    for (unsigned i = 0; i < NET_BIG_TX; i++)
        if (!(n->tx_big_used & 1u << i)) {
            n->tx_big_used |= (uint8_t)(1u << i);
            n->tx_big_of[h] = (uint8_t)(i + 1);
            return n->tx_big + (size_t)i * NET_BIG;
        }
    return NULL;
}

enum plat_result vnet_send(struct vnet *n, const void *frame, size_t len)
{
    const uint8_t *src = frame;
    size_t hdr = n->offloads ? 0 : NET_HDR; /* what the driver adds */
    if (n->offloads ? len < NET_HDR || !header_allowed(n, src, len - NET_HDR)
                    : len > (size_t)n->mtu + 14)
        return PLAT_EINVAL;
    if (n->broken || reclaim_tx(n) < 0)
        return PLAT_EUNSPEC;
    int h = vq_next_head(&n->tx);
    uint8_t *slot = h < 0 ? NULL : tx_slot(n, h, hdr + len);
    uint64_t give_up = 0;
    while (slot == NULL) {
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
        slot = h < 0 ? NULL : tx_slot(n, h, hdr + len);
    }
    for (size_t i = 0; i < hdr; i++)
        slot[i] = 0;
    copy(slot + hdr, src, len);
    if (n->offloads) /* num_buffers: 0 from the driver */
        slot[10] = slot[11] = 0;
    struct vq_seg s = {(uint64_t)(uintptr_t)slot, (uint32_t)(hdr + len), false};
    uint16_t head;
    if (vq_add(&n->tx, &s, 1, &head) != VQ_OK)
        return PLAT_EUNSPEC;
    n->dev->t->notify(n->dev, TX_QUEUE);
    return PLAT_OK;
}

/* The largest frame the device may hand us, header excluded. */
static size_t rx_max(const struct vnet *n)
{
    if (n->features & (VIRTIO_NET_F_GUEST_TSO4 | VIRTIO_NET_F_GUEST_TSO6))
        return PLAT_NET_GSO_MAX;
    return (size_t)n->mtu + 14;
}

/* Copy the rest of a merged frame, `more` buffers, after `got` bytes in
 * out (room for `room`): PLAT_OK with *got grown, or a drop (the
 * frame's remaining buffers are dropped as they come). Each buffer is
 * given back to the device as soon as it is copied. */
static enum plat_result merge(struct vnet *n, uint16_t more, uint8_t *out,
                              size_t room, size_t *got)
{
    bool too_long = false;
    for (; more > 0; more--) {
        uint16_t head;
        uint32_t len;
        int r = vq_get(&n->rx, &head, &len);
        if (r == VQ_EMPTY) {
            n->rx_skip = more;
            return drop(n, "the device published fewer buffers than the "
                           "frame's num_buffers");
        }
        if (r < 0) {
            broke(n, vq_strerror(r));
            return PLAT_EUNSPEC;
        }
        if (!too_long && len <= room - *got)
            copy(out + *got, rx_slot(n, head), len);
        else
            too_long = true;
        *got += too_long ? 0 : len;
        post_rx(n);
    }
    return too_long ? drop(n, "a merged frame longer than allowed") : PLAT_OK;
}

/* Take the next frame (the caller gives its buffers back). */
static enum plat_result take(struct vnet *n, uint8_t *buf, size_t size,
                             size_t *read)
{
    uint16_t head;
    uint32_t len;
    int r;
    while ((r = vq_get(&n->rx, &head, &len)) == VQ_OK && n->rx_skip > 0) {
        n->rx_skip--;
        post_rx(n);
    }
    if (r == VQ_EMPTY)
        return PLAT_AGAIN;
    if (r < 0) {
        broke(n, vq_strerror(r));
        return PLAT_EUNSPEC;
    }
    const uint8_t *slot = rx_slot(n, head);
    uint16_t buffers = 1;
    if (len >= NET_HDR && (n->features & VIRTIO_NET_F_MRG_RXBUF)) {
        buffers = le16(slot + 10);
        if (buffers == 0 || buffers > n->rx.size) {
            post_rx(n);
            broke(n, "a received frame's num_buffers is 0 or beyond the "
                     "queue");
            return PLAT_EUNSPEC;
        }
    }
    /* With offloads the header goes to the caller too. */
    size_t keep = n->offloads ? NET_HDR : 0, max = rx_max(n);
    size_t room = keep + max < size ? keep + max : size;
    if (len < NET_HDR || (len == NET_HDR && buffers == 1) ||
        len - NET_HDR + keep > room) {
        post_rx(n);
        n->rx_skip = (uint16_t)(buffers - 1);
        return drop(n, len < NET_HDR    ? "shorter than its header"
                       : len == NET_HDR ? "an empty frame"
                                        : "longer than allowed");
    }
    size_t got = len - NET_HDR + keep;
    copy(buf, slot + NET_HDR - keep, got);
    post_rx(n);
    if (keep)
        buf[10] = buf[11] = 0; /* num_buffers: ours, not the stack's */
    enum plat_result res = merge(n, (uint16_t)(buffers - 1), buf, room, &got);
    if (res == PLAT_OK && got == keep)
        res = drop(n, "an empty frame");
    *read = got;
    return res;
}

enum plat_result vnet_receive(struct vnet *n, void *buf, size_t size,
                              size_t *read)
{
    if (n->broken)
        return PLAT_EUNSPEC;
    enum plat_result r = take(n, buf, size, read);
    if (r != PLAT_AGAIN && !n->broken)
        n->dev->t->notify(n->dev, RX_QUEUE);
    return r;
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
