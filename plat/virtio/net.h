/* The virtio-net driver: one receive and one transmit queue, receive
 * buffers always posted, frames copied in and out behind the 12-byte
 * virtio-net header (VERSION_1 always has num_buffers). Polled: nothing
 * here blocks except a send that waits, for at most a second, for a free
 * transmit buffer.
 *
 * A device starts bare (MAC and MTU only): frames reach the caller
 * without the header. vnet_offload then switches it, once, to checksum
 * and segmentation offloads (virtio 1.x section 5.1): the device is
 * reset and negotiated again with CSUM and GUEST_CSUM, HOST_TSO4/6 and
 * GUEST_TSO4/6, and frames move with their header, up to
 * PLAT_NET_GSO_MAX bytes with TSO. Receive buffers for such frames: with
 * MRG_RXBUF the device spreads a frame over several NET_BUF buffers
 * (num_buffers says how many), which costs no memory more; without it,
 * NET_BIG_RX buffers of NET_BIG bytes each (about 1 MiB), allocated at
 * the switch. Frames above NET_BUF are sent from NET_BIG_TX slots of
 * NET_BIG bytes (about 256 KiB), also allocated at the switch. */
#ifndef MIRAGE_PLAT_VIRTIO_NET_H
#define MIRAGE_PLAT_VIRTIO_NET_H

#include "transport.h"

#include <mirage/plat.h>

#define NET_HDR       12   /* struct virtio_net_hdr with VERSION_1 */
#define NET_BUF       2048 /* header and frame */
#define NET_QUEUE_CAP 128
#define NET_MTU       1500
/* A buffer for a header and a frame of PLAT_NET_GSO_MAX bytes (the
 * specification's 65562 and more), 64-aligned. */
#define NET_BIG    ((NET_HDR + PLAT_NET_GSO_MAX + 63) / 64 * 64)
#define NET_BIG_RX 16
#define NET_BIG_TX 4

#define VIRTIO_NET_F_CSUM       (1ull << 0)
#define VIRTIO_NET_F_GUEST_CSUM (1ull << 1)
#define VIRTIO_NET_F_MTU        (1ull << 3)
#define VIRTIO_NET_F_MAC        (1ull << 5)
#define VIRTIO_NET_F_GUEST_TSO4 (1ull << 7)
#define VIRTIO_NET_F_GUEST_TSO6 (1ull << 8)
#define VIRTIO_NET_F_HOST_TSO4  (1ull << 11)
#define VIRTIO_NET_F_HOST_TSO6  (1ull << 12)
#define VIRTIO_NET_F_MRG_RXBUF  (1ull << 15)

struct vnet {
    struct virtio_dev *dev;
    struct vq rx, tx;
    uint8_t *rx_buf, *tx_buf; /* a NET_BUF slot per descriptor */
    uint8_t *rx_big, *tx_big; /* NET_BIG_RX, NET_BIG_TX slots of NET_BIG */
    uint8_t *rx_slots;        /* rx_buf, or rx_big without MRG_RXBUF */
    size_t rx_slot;           /* NET_BUF or NET_BIG */
    uint8_t tx_big_of[NET_QUEUE_CAP]; /* per transmit head: its big slot
                                         + 1, 0 for its own NET_BUF slot */
    uint8_t tx_big_used;              /* a bit per big slot in flight */
    uint8_t mac[6];
    uint16_t mtu;
    uint64_t features; /* negotiated */
    uint32_t offloads; /* PLAT_NET_OFFLOAD_* switched on, 0: bare */
    uint16_t rx_skip;  /* buffers still to drop of a frame given up on */
    uint64_t rx_bad;   /* frames dropped for an impossible length */
    const char *name;  /* for messages */
    bool broken;
};

/* Start device d as n (name: the manifest's, for messages): negotiate
 * bare frames, read the MAC (or make up a locally administered one) and
 * MTU (at most NET_MTU), set up the queues, post every receive buffer.
 * 0, or -1 with *why. */
int vnet_start(struct vnet *n, struct virtio_dev *d, const char *name,
               const char **why);

/* The offloads (PLAT_NET_OFFLOAD_*) the device offers to take: CSUM if
 * it computes our checksums, TSO4/TSO6 if it also segments. */
uint32_t vnet_offers(const struct vnet *n);

/* Switch started device n to the offloads s (a subset of vnet_offers
 * with CSUM), once, before any frame moves: PLAT_OK, and from then on
 * every frame moves behind its header; PLAT_EINVAL for an s it does not
 * offer (nothing changed); PLAT_EUNSPEC for a device disabled before,
 * or one that fails to start again (it is then disabled, said on the
 * console). */
enum plat_result vnet_offload(struct vnet *n, uint32_t s);

/* Send one frame: bare, len <= mtu + 14; with offloads, the header and
 * the frame (len <= NET_HDR + PLAT_NET_GSO_MAX with TSO, else NET_HDR +
 * mtu + 14). PLAT_OK; PLAT_EINVAL for a header asking what was not
 * switched on (a checksum without CSUM, a gso_type without its TSO, a
 * GSO frame without NEEDS_CSUM, a frame above the MTU that is not GSO);
 * PLAT_EUNSPEC if the device is broken or keeps every transmit buffer
 * for a second. */
enum plat_result vnet_send(struct vnet *n, const void *frame, size_t len);

/* Receive one frame into buf (size: at least the largest frame, header
 * included with offloads): PLAT_OK with *read, PLAT_AGAIN if none is
 * waiting, PLAT_EUNSPEC for a broken device or a frame the device made
 * impossible (shorter than the header, longer than the MTU or than
 * PLAT_NET_GSO_MAX with TSO, merged from more buffers than it
 * published), which is dropped, counted in rx_bad and, the first time,
 * said on the console. With offloads, buf starts with the device's
 * header (num_buffers set to 0), for the stack to check. */
enum plat_result vnet_receive(struct vnet *n, void *buf, size_t size,
                              size_t *read);

/* Wait, for at most a second, until the device has taken every frame
 * sent (before exiting: QEMU drops what it has not sent yet). */
void vnet_flush(struct vnet *n);

/* Whether a received frame waits. */
bool vnet_pending(const struct vnet *n);

#endif
