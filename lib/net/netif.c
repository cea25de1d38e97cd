/* The netif device (include/mirage/net.h) over the platform's network
 * devices: frames are read inside the event loop whenever plat_yield
 * reports the handle ready, into one receive buffer that is lent to the
 * receiver frame by frame. A receiver may keep the buffer
 * (mirage_buf_keep) when a spare one is ready to take its place; the
 * spare is made after the first request, so a device whose receivers
 * never ask has none, and a kept buffer written back out (an echo reply
 * built in place) becomes the spare again. With offloads granted, every frame
 * moves behind a virtio-net header (vhdr.c): the receive buffer has room for a
 * super-segment, and a frame to send gets its header pushed in front (in its
 * headroom, or in a copy when it has none). */
#include "vhdr.h"

#include <mirage/error.h>
#include <mirage/fiber.h>
#include <mirage/ipaddr.h>
#include <mirage/log.h>
#include <mirage/net.h>
#include <mirage/plat.h>
#include <mirage/rt.h>
#include <stdlib.h>
#include <string.h>

MIRAGE_LOG_SRC(log_netif, "netif", "network interfaces");

/* Frames read per ready report, so one busy device cannot starve the
 * fibers; the rest are read on the next round of the loop. */
#define READ_BATCH 64
/* Sparse traffic (the last report's batch held at most one frame, as in a
 * ping-pong): a report reads one frame and stops, saving the read that
 * would only say that nothing more is waiting; the loop's next poll finds
 * the next frame. Every SPARSE_PROBE-th report reads on as usual, to
 * notice a burst. */
#define SPARSE_PROBE 8

struct netif {
    struct mirage_net net;
    plat_handle handle;
    bool vhdr; /* frames move behind a virtio-net header */
    mirage_net_receiver receiver;
    void *receiver_arg;
    struct mirage_buf *rx;    /* one transfer (header and largest frame),
                                 reused for every frame */
    struct mirage_buf *spare; /* replaces rx when a receiver keeps it */
    struct mirage_buf *back;  /* a receive buffer written back out while
                                 the spare was there: the next spare */
    size_t room;              /* the size of rx and spare */
    bool sparse;              /* the last full batch held at most one frame */
    unsigned sparse_reports;
};

#define VHDR sizeof(struct plat_net_vhdr)

/* Lend the frame just read into b (got bytes) to the receiver, after
 * checking and stripping its virtio-net header if the device has them. */
static void receive(struct netif *n, struct mirage_buf *b, size_t got)
{
    b->len = got;
    b->offl = 0;
    if (n->vhdr) {
        bool gso;
        if (got < VHDR || vhdr_parse(b->data, got - VHDR, n->net.mtu,
                                     n->net.offloads, &b->offl, &gso) != 0) {
            n->net.stats.rx_bad_vhdr++;
            return;
        }
        mirage_buf_pull(b, VHDR);
        n->net.stats.rx_gso += gso;
        n->net.stats.rx_csum_ok += b->offl != 0;
    }
    n->net.stats.rx_pkts++;
    n->net.stats.rx_bytes += b->len;
    if (!n->receiver)
        return;
    struct mirage_buf_lend lend = {.spare = n->spare != NULL};
    b->lend = &lend;
    n->receiver(n->receiver_arg, b);
    if (lend.kept) {
        n->rx = n->spare;
        n->spare = n->back;
        n->back = NULL;
    } else {
        b->lend = NULL;
    }
    if (lend.asked && !n->spare)
        n->spare = mirage_buf_alloc_room(0, n->room); /* NULL: next time */
}

static void on_ready(void *arg)
{
    struct netif *n = arg;
    bool one = n->sparse && ++n->sparse_reports % SPARSE_PROBE != 0;
    for (int i = 0; i < READ_BATCH; i++) {
        struct mirage_buf *b = n->rx;
        b->data = b->base;
        size_t got = 0;
        enum plat_result r = plat_net_read(n->handle, b->data, b->cap, &got);
        if (r == PLAT_AGAIN) {
            n->sparse = i <= 1;
            return;
        }
        if (r != PLAT_OK) {
            n->net.stats.rx_errors++;
            return;
        }
        receive(n, b, got);
        if (one)
            return;
    }
    /* More may wait: read on after the fibers' turn, without a poll. */
    n->sparse = false;
    mirage_loop_again(n->handle);
}

/* Put the virtio-net header in front of frame (a copy of it when it has
 * no headroom for it): the frame to send, or NULL (frame freed) when the
 * header cannot describe it or memory is exhausted. */
static struct mirage_buf *with_vhdr(struct netif *n, struct mirage_buf *frame)
{
    uint8_t h[VHDR];
    if (vhdr_build(h, frame, n->net.offloads) != 0) {
        mirage_buf_free(frame);
        return NULL;
    }
    if (mirage_buf_headroom(frame) < VHDR) {
        struct mirage_buf *c = mirage_buf_alloc_room(VHDR, frame->len);
        if (c)
            memcpy(c->data, frame->data, frame->len);
        mirage_buf_free(frame);
        if (!c)
            return NULL;
        frame = c;
    }
    memcpy(mirage_buf_push(frame, VHDR), h, VHDR);
    return frame;
}

static int netif_write(struct mirage_net *net, struct mirage_buf *frame)
{
    struct netif *n = (struct netif *)net;
    size_t max = frame->gso_size ? MIRAGE_ETH_HDR_LEN + MIRAGE_NET_GSO_MAX_IP
                                 : net->mtu + MIRAGE_ETH_HDR_LEN;
    size_t len = frame->len;
    bool gso = frame->gso_size != 0;
    int err = 0;
    if (len < MIRAGE_ETH_HDR_LEN || len > max) {
        err = MIRAGE_EINVAL;
    } else if (n->vhdr) {
        frame = with_vhdr(n, frame);
        if (!frame)
            err = MIRAGE_EINVAL;
    } else if (gso) {
        err = MIRAGE_EINVAL;
    } else {
        mirage_buf_csum_finish(frame);
    }
    if (!err && plat_net_write(n->handle, frame->data, frame->len) != PLAT_OK)
        err = MIRAGE_EIO;
    if (err) {
        net->stats.tx_errors++;
    } else {
        net->stats.tx_pkts++;
        net->stats.tx_bytes += len;
        net->stats.tx_gso += gso;
    }
    /* A receive buffer a receiver kept and sent back (an echo answered in
     * place) becomes the spare again: the ping path allocates nothing. */
    if (frame && frame->cap == n->room && (!n->spare || !n->back)) {
        frame->gso_size = 0;
        *(n->spare ? &n->back : &n->spare) = frame;
    } else {
        mirage_buf_free(frame);
    }
    return err;
}

static void netif_listen(struct mirage_net *net, mirage_net_receiver fn,
                         void *arg)
{
    struct netif *n = (struct netif *)net;
    n->receiver = fn;
    n->receiver_arg = arg;
}

static void netif_disconnect(struct mirage_net *net)
{
    struct netif *n = (struct netif *)net;
    mirage_loop_watch(n->handle, NULL, NULL);
    mirage_buf_free(n->rx);
    mirage_buf_free(n->spare);
    mirage_buf_free(n->back);
    free(n);
}

static const struct mirage_net_ops netif_ops = {
    .write = netif_write,
    .listen = netif_listen,
    .disconnect = netif_disconnect,
};

/* "csum,tso4,tso6" or "none" for offloads o. */
static const char *offload_names(uint32_t o, char out[16])
{
    static const char *const name[] = {"csum", "tso4", "tso6"};
    char *p = out;
    for (unsigned i = 0; i < 3; i++) {
        if (!(o & 1u << i))
            continue;
        if (p != out)
            *p++ = ',';
        for (const char *s = name[i]; *s;)
            *p++ = *s++;
    }
    *p = 0;
    return p == out ? "none" : out;
}

int mirage_net_connect_netif_offloads(struct mirage_net **out, const char *name,
                                      uint32_t wanted)
{
    plat_handle h;
    struct plat_net_info info;
    enum plat_result r = plat_net_acquire_offload(
        name, wanted & MIRAGE_NET_OFFLOAD_ALL, &h, &info);
    if (r != PLAT_OK) {
        mirage_log_src_err(
            &log_netif, "cannot acquire network device '%s': %s", name,
            r == PLAT_EINVAL ? "no such device, or in use" : "host failure");
        return r == PLAT_EINVAL ? MIRAGE_ENOENT : MIRAGE_EIO;
    }
    /* What the platform granted decides the framing and the reads'
     * size; the stack uses the offloads only as a whole (TSO with CSUM,
     * as plat.h requires). */
    uint32_t offloads = info.offloads & MIRAGE_NET_OFFLOAD_ALL;
    if (!(offloads & MIRAGE_NET_OFFLOAD_CSUM))
        offloads = 0;
    size_t room = info.mtu + MIRAGE_ETH_HDR_LEN;
    if (info.offloads & (PLAT_NET_OFFLOAD_TSO4 | PLAT_NET_OFFLOAD_TSO6))
        room = PLAT_NET_GSO_MAX;
    if (info.offloads)
        room += VHDR;
    struct netif *n = calloc(1, sizeof *n);
    struct mirage_buf *rx = n ? mirage_buf_alloc_room(0, room) : NULL;
    if (!rx) {
        free(n);
        return MIRAGE_ENOMEM;
    }
    n->net.ops = &netif_ops;
    for (int i = 0; i < 6; i++)
        n->net.mac[i] = info.mac[i];
    n->net.mtu = info.mtu;
    n->net.offloads = offloads;
    n->vhdr = info.offloads != 0;
    n->handle = h;
    n->rx = rx;
    n->room = room;
    mirage_loop_watch(h, on_ready, n);
    char mac[MIRAGE_MAC_STRLEN], names[16];
    mirage_log_src_info(&log_netif, "%s: MAC %s, MTU %zu, offloads %s", name,
                        mirage_mac_to_string(info.mac, mac), info.mtu,
                        offload_names(offloads, names));
    *out = &n->net;
    return 0;
}

int mirage_net_connect_netif(struct mirage_net **out, const char *name)
{
    return mirage_net_connect_netif_offloads(out, name, MIRAGE_NET_OFFLOAD_ALL);
}

int mirage_net_connect_default(struct mirage_net **out, const char *name,
                               bool offload)
{
    if (!name || !*name)
        name = strcmp(mirage_target(), "unix") == 0 ? "tap0" : "service";
    return mirage_net_connect_netif_offloads(
        out, name, offload ? MIRAGE_NET_OFFLOAD_ALL : 0);
}
