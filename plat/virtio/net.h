/* The virtio-net driver: one receive and one transmit queue, each buffer
 * one descriptor of NET_BUF bytes (the 12-byte virtio-net header and the
 * frame; no mergeable buffers, no offloads), receive buffers always
 * posted, frames copied in and out. Polled: nothing here blocks except a
 * send that waits, for at most a second, for a free transmit buffer. */
#ifndef MIRAGE_PLAT_VIRTIO_NET_H
#define MIRAGE_PLAT_VIRTIO_NET_H

#include "transport.h"

#include <mirage/plat.h>

#define NET_HDR       12   /* struct virtio_net_hdr with VERSION_1 */
#define NET_BUF       2048 /* header and frame */
#define NET_QUEUE_CAP 128
#define NET_MTU       1500

#define VIRTIO_NET_F_MTU (1ull << 3)
#define VIRTIO_NET_F_MAC (1ull << 5)

struct vnet {
    struct virtio_dev *dev;
    struct vq rx, tx;
    uint8_t *rx_buf, *tx_buf; /* a NET_BUF slot per descriptor */
    uint8_t mac[6];
    uint16_t mtu;
    const char *name; /* for messages */
    bool broken;
};

/* Start device d as n (name: the manifest's, for messages): negotiate,
 * read the MAC (or make up a locally administered one) and MTU (at most
 * NET_MTU), set up the queues, post every receive buffer. 0, or -1 with
 * *why. */
int vnet_start(struct vnet *n, struct virtio_dev *d, const char *name,
               const char **why);

/* Send one frame (len <= mtu + 14): PLAT_OK, or PLAT_EUNSPEC if the
 * device is broken or keeps every transmit buffer for a second. */
enum plat_result vnet_send(struct vnet *n, const void *frame, size_t len);

/* Receive one frame into buf (size >= mtu + 14): PLAT_OK with *read,
 * PLAT_AGAIN if none is waiting, PLAT_EUNSPEC for a frame the device
 * made too short or too long (dropped) or a broken device. */
enum plat_result vnet_receive(struct vnet *n, void *buf, size_t size,
                              size_t *read);

/* Wait, for at most a second, until the device has taken every frame
 * sent (before exiting: QEMU drops what it has not sent yet). */
void vnet_flush(struct vnet *n);

/* Whether a received frame waits. */
bool vnet_pending(const struct vnet *n);

#endif
