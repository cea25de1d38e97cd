/* libFuzzer target: a hostile virtio device under the platform's
 * virtio-net and virtio-blk drivers (plat/virtio), played by the fake
 * device of the virtio tests. The input gives the device's configuration
 * (MAC, MTU, capacity, block size, features; for the network device the
 * top bits of the queue size byte offer the offloads), then a script of
 * 8-byte steps: what the device puts in a used ring (queue, id, length,
 * how far the index moves), and in the buffer it names a virtio-net
 * header's num_buffers, and what the driver does next (receive, send,
 * switch on offloads, read or write a block, flush). The drivers may report
 * errors; they must never write outside their buffers (ASan) or loop forever.
 */
#include "../plat/virtio/blk.h"
#include "../plat/virtio/net.h"
#include "../test/virtio/fake_device.h"

#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t block[BLK_MAX_BLOCK], frame[NET_HDR + PLAT_NET_GSO_MAX];

/* The offload features the top three bits of b offer. */
static uint64_t offered(uint8_t b)
{
    uint64_t f = 0;
    if (b & 0x20)
        f |= VIRTIO_NET_F_CSUM | VIRTIO_NET_F_GUEST_CSUM;
    if (b & 0x40)
        f |= VIRTIO_NET_F_HOST_TSO4 | VIRTIO_NET_F_HOST_TSO6 |
             VIRTIO_NET_F_GUEST_TSO4 | VIRTIO_NET_F_GUEST_TSO6;
    if (b & 0x80)
        f |= VIRTIO_NET_F_MRG_RXBUF;
    return f;
}

static void play_net(const uint8_t *d, size_t n)
{
    static struct fake f;
    static struct vnet v;
    fake_init(&f, VIRTIO_ID_NET, (uint64_t)d[0] << 3 | offered(d[1]),
              1u << (d[1] % 17));
    memcpy(f.config, d + 2, 12);
    const char *why;
    if (vnet_start(&v, &f.dev, "fuzz", &why) < 0)
        return;
    for (size_t i = 14; i + 8 <= n; i += 8) {
        const uint8_t *s = d + i;
        uint16_t q = s[0] & 1;
        uint32_t id = s[1] | (uint32_t)s[2] << 8;
        uint32_t len = s[3] | (uint32_t)s[4] << 8 | (uint32_t)s[5] << 16;
        fake_use(&f, q, id, len, (uint16_t)(s[6] % 4));
        const struct vq *rq = f.queue[0];
        uint8_t *rx =
            id < rq->size ? (uint8_t *)(uintptr_t)rq->desc[id].addr : NULL;
        if (q == 0 && rx != NULL) /* num_buffers */
            rx[10] = s[2];
        size_t got;
        switch (s[7] % 5) {
        case 0:
            vnet_receive(&v, frame, sizeof frame, &got);
            break;
        case 1:
            frame[0] = s[1] & 3; /* flags */
            frame[1] = s[2] % 5; /* gso_type */
            vnet_send(&v, frame, (size_t)s[7] * len % sizeof frame);
            break;
        case 2:
            vnet_pending(&v);
            break;
        case 3:
            vnet_offload(&v, s[3] & 7);
            break;
        default:
            fake_clock_step = 200000000;
            vnet_flush(&v);
            fake_clock_step = 1000;
        }
    }
}

static void complete(struct fake *f, uint16_t q)
{
    (void)q;
    (void)f;
}

static void play_blk(const uint8_t *d, size_t n)
{
    static struct fake f;
    static struct vblk b;
    fake_init(&f, VIRTIO_ID_BLOCK, (uint64_t)d[0] << 5, 1u << (d[1] % 17));
    memcpy(f.config, d + 2, 24);
    f.on_notify = complete;
    const char *why;
    if (vblk_start(&b, &f.dev, "fuzz", &why) < 0)
        return;
    fake_clock_step = 4000000000ull; /* a request times out quickly */
    for (size_t i = 26; i + 8 <= n && !b.broken; i += 8) {
        const uint8_t *s = d + i;
        /* The device answers the request the driver is about to make:
         * its used entry is in place before the notification. */
        uint32_t id = s[1] | (uint32_t)s[2] << 8;
        uint32_t len = s[3] | (uint32_t)s[4] << 8 | (uint32_t)s[5] << 16;
        fake_use(&f, 0, id, len, (uint16_t)(s[6] % 3));
        vblk_transfer(&b, s[0] & 1, 0, block, b.block_size);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 27)
        return 0;
    if (data[0] & 1)
        play_blk(data + 1, size - 1);
    else
        play_net(data + 1, size - 1);
    fake_reset();
    return 0;
}
