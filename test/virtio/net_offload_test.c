/* Hosted tests of the virtio-net driver's offloads (plat/virtio/net.c)
 * against the fake device: what is offered and negotiated after the
 * reset that switches them on, frames with their header both ways, GSO
 * frames in merged receive buffers (MRG_RXBUF) and in big ones (without
 * it), and every impossible thing a device can hand over (a frame
 * shorter than its header, num_buffers of 0 or beyond the queue, fewer
 * buffers published than announced, a merged frame too long, a GSO frame
 * the driver did not ask for), each dropped and counted or, where the
 * queue cannot be trusted any more, the device disabled, with one line
 * said. */
#include "../../plat/virtio/net.h"
#include "../../plat/virtio/virtio.h"
#include "../unit/test.h"
#include "fake_device.h"

#define ALL_OFFLOADS                                                           \
    (VIRTIO_NET_F_CSUM | VIRTIO_NET_F_GUEST_CSUM | VIRTIO_NET_F_HOST_TSO4 |    \
     VIRTIO_NET_F_HOST_TSO6 | VIRTIO_NET_F_GUEST_TSO4 |                        \
     VIRTIO_NET_F_GUEST_TSO6)
#define TSO (PLAT_NET_OFFLOAD_TSO4 | PLAT_NET_OFFLOAD_TSO6)
#define ALL (PLAT_NET_OFFLOAD_CSUM | TSO)

static uint8_t buf[NET_HDR + PLAT_NET_GSO_MAX + 64];

/* A device offering `features` (and MAC), started. */
static struct vnet *net_on(struct fake *f, uint64_t features)
{
    static struct vnet n;
    fake_init(f, VIRTIO_ID_NET, features | VIRTIO_NET_F_MAC, 256);
    const char *why = NULL;
    if (vnet_start(&n, &f->dev, "service", &why) < 0) {
        printf("vnet_start: %s\n", why);
        return NULL;
    }
    return &n;
}

/* A device offering every offload (and MRG_RXBUF if `merge`), switched
 * to all of them. */
static struct vnet *offloaded(struct fake *f, bool merge)
{
    struct vnet *n =
        net_on(f, ALL_OFFLOADS | (merge ? VIRTIO_NET_F_MRG_RXBUF : 0));
    return n != NULL && vnet_offload(n, ALL) == PLAT_OK ? n : NULL;
}

static uint8_t *slot(const struct vq *q, int head)
{
    return (uint8_t *)(uintptr_t)q->desc[head].addr;
}

/* The device writes a header (flags, gso_type, num_buffers) and `len`
 * bytes of `fill` after it into the next receive buffer, and reports
 * `len` + the header. */
static void rx_first(struct fake *f, uint8_t flags, uint8_t gso,
                     uint16_t buffers, size_t len, uint8_t fill)
{
    int h = fake_take(f, 0);
    uint8_t *p = slot(f->queue[0], h);
    memset(p, 0, NET_HDR);
    p[0] = flags;
    p[1] = gso;
    p[10] = (uint8_t)buffers;
    p[11] = (uint8_t)(buffers >> 8);
    memset(p + NET_HDR, fill, len);
    fake_use(f, 0, (uint32_t)h, (uint32_t)(NET_HDR + len), 1);
}

/* A further buffer of a merged frame: `len` bytes of `fill`. */
static void rx_more(struct fake *f, size_t len, uint8_t fill)
{
    int h = fake_take(f, 0);
    memset(slot(f->queue[0], h), fill, len);
    fake_use(f, 0, (uint32_t)h, (uint32_t)len, 1);
}

TEST(bare_until_switched_and_only_what_is_offered)
{
    struct fake f;
    struct vnet *n = net_on(&f, ALL_OFFLOADS | VIRTIO_NET_F_MRG_RXBUF);
    CHECK(n != NULL);
    /* Booted bare: nothing but the MAC negotiated. */
    CHECK(f.accepted == (VIRTIO_F_VERSION_1 | VIRTIO_NET_F_MAC));
    CHECK_INT(vnet_offers(n), ALL);
    CHECK_INT(n->offloads, 0);
    /* TSO without CSUM, or more than offered, is refused as is. */
    CHECK_INT(vnet_offload(n, PLAT_NET_OFFLOAD_TSO4), PLAT_EINVAL);
    CHECK_INT(vnet_offload(n, ALL | 8), PLAT_EINVAL);
    CHECK(f.accepted == (VIRTIO_F_VERSION_1 | VIRTIO_NET_F_MAC));
    /* Checksums and IPv4 TSO: the device is reset and negotiated again,
     * its queues set up and its receive buffers posted again. */
    CHECK_INT(vnet_offload(n, PLAT_NET_OFFLOAD_CSUM | PLAT_NET_OFFLOAD_TSO4),
              PLAT_OK);
    CHECK(f.accepted ==
          (VIRTIO_F_VERSION_1 | VIRTIO_NET_F_MAC | VIRTIO_NET_F_CSUM |
           VIRTIO_NET_F_GUEST_CSUM | VIRTIO_NET_F_HOST_TSO4 |
           VIRTIO_NET_F_GUEST_TSO4 | VIRTIO_NET_F_MRG_RXBUF));
    CHECK(f.status & VIRTIO_STATUS_DRIVER_OK);
    CHECK_INT(f.queue[0]->avail->idx, NET_QUEUE_CAP);
    CHECK_INT(f.queue[0]->desc[0].len, NET_BUF); /* merged: small buffers */
    CHECK_INT(n->offloads, PLAT_NET_OFFLOAD_CSUM | PLAT_NET_OFFLOAD_TSO4);
    /* Once only. */
    CHECK_INT(vnet_offload(n, PLAT_NET_OFFLOAD_CSUM), PLAT_EINVAL);
    fake_reset();

    /* A device without CSUM offers nothing (HOST_TSO needs it). */
    n = net_on(&f, VIRTIO_NET_F_HOST_TSO4 | VIRTIO_NET_F_GUEST_CSUM);
    CHECK_INT(vnet_offers(n), 0);
    CHECK_INT(vnet_offload(n, PLAT_NET_OFFLOAD_CSUM), PLAT_EINVAL);
    fake_reset();
    /* Checksums only: no 64 KiB buffers taken. */
    n = net_on(&f, VIRTIO_NET_F_CSUM);
    CHECK_INT(vnet_offers(n), PLAT_NET_OFFLOAD_CSUM);
    CHECK(n->tx_big == NULL && n->rx_big == NULL);
    CHECK_INT(vnet_offload(n, PLAT_NET_OFFLOAD_CSUM | PLAT_NET_OFFLOAD_TSO6),
              PLAT_EINVAL);
    CHECK_INT(vnet_offload(n, PLAT_NET_OFFLOAD_CSUM), PLAT_OK);
    CHECK(f.accepted ==
          (VIRTIO_F_VERSION_1 | VIRTIO_NET_F_MAC | VIRTIO_NET_F_CSUM));
    fake_reset();
}

TEST(frames_keep_their_header_both_ways)
{
    struct fake f;
    struct vnet *n = net_on(&f, VIRTIO_NET_F_CSUM | VIRTIO_NET_F_GUEST_CSUM);
    CHECK_INT(vnet_offload(n, PLAT_NET_OFFLOAD_CSUM), PLAT_OK);
    /* Received: the device's header, DATA_VALID for the stack to see. */
    rx_first(&f, PLAT_NET_VHDR_DATA_VALID, 0, 1, 60, 0x42);
    size_t got = 0;
    CHECK_INT(vnet_receive(n, buf, sizeof buf, &got), PLAT_OK);
    CHECK_INT(got, NET_HDR + 60);
    CHECK_INT(buf[0], PLAT_NET_VHDR_DATA_VALID);
    CHECK_INT(buf[10] | buf[11], 0); /* num_buffers is the driver's */
    CHECK_INT(buf[NET_HDR + 59], 0x42);
    /* Sent: the stack's header as it is, num_buffers 0. */
    uint8_t frame[NET_HDR + 80] = {
        PLAT_NET_VHDR_NEEDS_CSUM, 0, 0, 0, 0, 0, 34, 0, 16, 0, 7, 7};
    memset(frame + NET_HDR, 0x5a, 80);
    CHECK_INT(vnet_send(n, frame, sizeof frame), PLAT_OK);
    int h = fake_take(&f, 1);
    CHECK_INT(f.queue[1]->desc[h].len, sizeof frame);
    CHECK(memcmp(slot(f.queue[1], h), frame, 10) == 0);
    CHECK_INT(slot(f.queue[1], h)[10] | slot(f.queue[1], h)[11], 0);
    CHECK_INT(slot(f.queue[1], h)[NET_HDR + 79], 0x5a);
    /* Without TSO a frame may not exceed the MTU, nor be GSO. */
    CHECK_INT(vnet_send(n, buf, NET_HDR + 1515), PLAT_EINVAL);
    frame[1] = PLAT_NET_GSO_TCPV4;
    CHECK_INT(vnet_send(n, frame, sizeof frame), PLAT_EINVAL);
    /* A frame above the MTU from the device is dropped and counted. */
    rx_first(&f, 0, 0, 1, 1515, 1);
    CHECK_INT(vnet_receive(n, buf, sizeof buf, &got), PLAT_EUNSPEC);
    CHECK_INT(n->rx_bad, 1);
    CHECK(strstr(fake_said, "dropped a frame: longer than allowed") != NULL);
    CHECK(!n->broken);
    fake_reset();
}

TEST(gso_frames_sent_from_big_slots_and_checked)
{
    struct fake f;
    struct vnet *n = offloaded(&f, true);
    CHECK(n != NULL);
    memset(buf, 0, NET_HDR);
    buf[0] = PLAT_NET_VHDR_NEEDS_CSUM;
    buf[1] = PLAT_NET_GSO_TCPV4;
    memset(buf + NET_HDR, 0x33, PLAT_NET_GSO_MAX);
    /* NET_BIG_TX super-frames in flight, then a second's wait for one. */
    for (int i = 0; i < NET_BIG_TX; i++)
        CHECK_INT(vnet_send(n, buf, NET_HDR + PLAT_NET_GSO_MAX), PLAT_OK);
    int h = fake_take(&f, 1);
    CHECK_INT(f.queue[1]->desc[h].len, NET_HDR + PLAT_NET_GSO_MAX);
    CHECK_INT(slot(f.queue[1], h)[NET_HDR + PLAT_NET_GSO_MAX - 1], 0x33);
    fake_clock_step = 100000000;
    CHECK_INT(vnet_send(n, buf, NET_HDR + 30000), PLAT_EUNSPEC);
    CHECK(strstr(fake_said, "returns no transmit buffer") != NULL);
    /* A small frame still has its own slot; a returned big slot is free
     * again. */
    fake_clock_step = 1000;
    buf[1] = 0;
    CHECK_INT(vnet_send(n, buf, NET_HDR + 100), PLAT_OK);
    fake_use(&f, 1, (uint32_t)h, 0, 1);
    buf[1] = PLAT_NET_GSO_TCPV6 | 0x80; /* with ECN */
    CHECK_INT(vnet_send(n, buf, NET_HDR + 30000), PLAT_OK);
    /* Headers asking for what is not switched on or impossible. */
    buf[1] = PLAT_NET_GSO_TCPV4;
    buf[0] = 0; /* GSO without NEEDS_CSUM */
    CHECK_INT(vnet_send(n, buf, NET_HDR + 3000), PLAT_EINVAL);
    buf[0] = PLAT_NET_VHDR_DATA_VALID | PLAT_NET_VHDR_NEEDS_CSUM;
    CHECK_INT(vnet_send(n, buf, NET_HDR + 3000), PLAT_EINVAL);
    buf[0] = PLAT_NET_VHDR_NEEDS_CSUM;
    buf[1] = 3; /* UDP fragmentation: never asked for */
    CHECK_INT(vnet_send(n, buf, NET_HDR + 3000), PLAT_EINVAL);
    buf[1] = PLAT_NET_GSO_TCPV4;
    CHECK_INT(vnet_send(n, buf, NET_HDR + PLAT_NET_GSO_MAX + 1), PLAT_EINVAL);
    CHECK_INT(vnet_send(n, buf, NET_HDR - 1), PLAT_EINVAL);
    fake_reset();

    /* Only IPv4 switched on: an IPv6 GSO frame is refused. */
    n = net_on(&f, ALL_OFFLOADS | VIRTIO_NET_F_MRG_RXBUF);
    CHECK_INT(vnet_offload(n, PLAT_NET_OFFLOAD_CSUM | PLAT_NET_OFFLOAD_TSO4),
              PLAT_OK);
    buf[1] = PLAT_NET_GSO_TCPV6;
    CHECK_INT(vnet_send(n, buf, NET_HDR + 3000), PLAT_EINVAL);
    fake_reset();
}

TEST(merged_receive_buffers)
{
    struct fake f;
    struct vnet *n = offloaded(&f, true);
    CHECK(n != NULL);
    size_t got = 0;
    /* A 5000-byte GSO frame over three buffers. */
    rx_first(&f, PLAT_NET_VHDR_DATA_VALID, PLAT_NET_GSO_TCPV4, 3,
             NET_BUF - NET_HDR, 1);
    rx_more(&f, NET_BUF, 2);
    rx_more(&f, 5000 - (2 * NET_BUF - NET_HDR), 3);
    CHECK_INT(vnet_receive(n, buf, sizeof buf, &got), PLAT_OK);
    CHECK_INT(got, NET_HDR + 5000);
    CHECK_INT(buf[1], PLAT_NET_GSO_TCPV4);
    CHECK_INT(buf[NET_HDR], 1);
    CHECK_INT(buf[NET_BUF - 1], 1);
    CHECK_INT(buf[NET_BUF], 2);
    CHECK_INT(buf[2 * NET_BUF - 1], 2);
    CHECK_INT(buf[2 * NET_BUF], 3);
    CHECK_INT(buf[NET_HDR + 4999], 3);
    CHECK_INT(buf[10] | buf[11], 0);
    /* Every buffer went back to the device. */
    CHECK_INT(f.queue[0]->avail->idx, NET_QUEUE_CAP + 3);
    CHECK_INT(n->rx_bad, 0);

    /* Three announced, one published: dropped; the other two, when they
     * come, are dropped with it and the next frame is whole. */
    rx_first(&f, 0, 0, 3, 100, 4);
    CHECK_INT(vnet_receive(n, buf, sizeof buf, &got), PLAT_EUNSPEC);
    CHECK(strstr(fake_said, "fewer buffers than the frame's num_buffers") !=
          NULL);
    CHECK_INT(n->rx_bad, 1);
    CHECK_INT(vnet_receive(n, buf, sizeof buf, &got), PLAT_AGAIN);
    rx_more(&f, 100, 5);
    rx_more(&f, 100, 5);
    rx_first(&f, 0, 0, 1, 70, 6);
    CHECK_INT(vnet_receive(n, buf, sizeof buf, &got), PLAT_OK);
    CHECK_INT(got, NET_HDR + 70);
    CHECK_INT(buf[NET_HDR], 6);

    /* Longer than PLAT_NET_GSO_MAX over 34 buffers: dropped whole. */
    rx_first(&f, 0, PLAT_NET_GSO_TCPV4, 34, NET_BUF - NET_HDR, 7);
    for (int i = 1; i < 34; i++)
        rx_more(&f, NET_BUF, 7);
    CHECK_INT(vnet_receive(n, buf, sizeof buf, &got), PLAT_EUNSPEC);
    CHECK_INT(n->rx_bad, 2);
    CHECK_INT(vnet_receive(n, buf, sizeof buf, &got), PLAT_AGAIN);
    /* Shorter than its header, and a header with no frame. */
    rx_first(&f, 0, 0, 1, 0, 0);
    f.queue[0]->used->ring[(f.queue[0]->used->idx - 1) & 127].len = 5;
    CHECK_INT(vnet_receive(n, buf, sizeof buf, &got), PLAT_EUNSPEC);
    rx_first(&f, 0, 0, 1, 0, 0);
    CHECK_INT(vnet_receive(n, buf, sizeof buf, &got), PLAT_EUNSPEC);
    CHECK_INT(n->rx_bad, 4);
    CHECK(!n->broken);
    CHECK_INT(f.queue[0]->avail->idx, NET_QUEUE_CAP + 3 + 4 + 34 + 2);
    fake_reset();
}

TEST(impossible_num_buffers_disable_the_device)
{
    struct fake f;
    struct vnet *n = offloaded(&f, true);
    CHECK(n != NULL);
    size_t got = 0;
    rx_first(&f, 0, 0, 0, 60, 1);
    CHECK_INT(vnet_receive(n, buf, sizeof buf, &got), PLAT_EUNSPEC);
    CHECK(n->broken);
    CHECK(strstr(fake_said, "num_buffers is 0 or beyond the queue; device "
                            "disabled") != NULL);
    CHECK_INT(vnet_receive(n, buf, sizeof buf, &got), PLAT_EUNSPEC);
    fake_reset();
    n = offloaded(&f, true);
    CHECK(n != NULL);
    rx_first(&f, 0, 0, NET_QUEUE_CAP + 1, 60, 1);
    CHECK_INT(vnet_receive(n, buf, sizeof buf, &got), PLAT_EUNSPEC);
    CHECK(n->broken);
    fake_reset();
}

TEST(big_receive_buffers_without_merging)
{
    struct fake f;
    struct vnet *n = offloaded(&f, false);
    CHECK(n != NULL);
    CHECK(n->rx_big != NULL && n->tx_big != NULL); /* taken at boot */
    CHECK(f.accepted & VIRTIO_NET_F_GUEST_TSO4);
    CHECK(!(f.accepted & VIRTIO_NET_F_MRG_RXBUF));
    /* NET_BIG_RX buffers of at least 65562 bytes, each one descriptor. */
    CHECK_INT(f.queue[0]->size, NET_BIG_RX);
    CHECK_INT(f.queue[0]->avail->idx, NET_BIG_RX);
    CHECK(f.queue[0]->desc[0].len >= 65562);
    CHECK_INT(f.queue[0]->desc[0].flags, VQ_DESC_F_WRITE);
    size_t got = 0;
    /* A whole super-frame in one buffer; num_buffers is not ours to
     * trust without MRG_RXBUF (0 here). */
    rx_first(&f, PLAT_NET_VHDR_DATA_VALID, PLAT_NET_GSO_TCPV6, 0,
             PLAT_NET_GSO_MAX, 9);
    CHECK_INT(vnet_receive(n, buf, sizeof buf, &got), PLAT_OK);
    CHECK_INT(got, NET_HDR + PLAT_NET_GSO_MAX);
    CHECK_INT(buf[NET_HDR + PLAT_NET_GSO_MAX - 1], 9);
    /* More than the buffer holds breaks the queue, as ever. */
    int h = fake_take(&f, 0);
    fake_use(&f, 0, (uint32_t)h, f.queue[0]->desc[h].len + 1, 1);
    CHECK_INT(vnet_receive(n, buf, sizeof buf, &got), PLAT_EUNSPEC);
    CHECK(n->broken);
    fake_reset();
}

TEST(no_gso_received_without_guest_csum)
{
    struct fake f;
    struct vnet *n = net_on(&f, ALL_OFFLOADS & ~VIRTIO_NET_F_GUEST_CSUM);
    CHECK(n->rx_big != NULL); /* offered: taken at boot */
    CHECK_INT(vnet_offload(n, ALL), PLAT_OK);
    CHECK(!(f.accepted & (VIRTIO_NET_F_GUEST_TSO4 | VIRTIO_NET_F_GUEST_TSO6)));
    CHECK(f.accepted & VIRTIO_NET_F_HOST_TSO4);
    CHECK_INT(f.queue[0]->desc[0].len, NET_BUF);
    /* So a frame above the MTU is impossible. */
    rx_first(&f, 0, PLAT_NET_GSO_TCPV4, 1, 1600, 1);
    size_t got;
    CHECK_INT(vnet_receive(n, buf, sizeof buf, &got), PLAT_EUNSPEC);
    CHECK_INT(n->rx_bad, 1);
    fake_reset();
}

TEST(a_device_failing_the_reset_is_disabled)
{
    struct fake f;
    struct vnet *n = net_on(&f, ALL_OFFLOADS | VIRTIO_NET_F_MRG_RXBUF);
    f.qmax[1] = 0; /* its transmit queue is gone after the reset */
    CHECK_INT(vnet_offload(n, ALL), PLAT_EUNSPEC);
    CHECK(n->broken);
    CHECK_STR(fake_said, "virtio: net 'service' (fake): a queue the device "
                         "must have is missing; device disabled\n");
    CHECK_INT(vnet_send(n, buf, NET_HDR + 60), PLAT_EUNSPEC);
    fake_reset();
    /* A device disabled before is not started again by the switch. */
    n = net_on(&f, ALL_OFFLOADS | VIRTIO_NET_F_MRG_RXBUF);
    fake_use(&f, 0, 999, 0, 1); /* names no buffer: the queue breaks */
    size_t got;
    CHECK_INT(vnet_receive(n, buf, sizeof buf, &got), PLAT_EUNSPEC);
    f.status = 0;
    CHECK_INT(vnet_offload(n, ALL), PLAT_EUNSPEC);
    CHECK_INT(f.status, 0); /* not reset, not restarted */
    CHECK_INT(n->offloads, 0);
    fake_reset();
}

int main(void)
{
    return test_main();
}
