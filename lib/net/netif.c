/* The netif device (include/mirage/net.h) over the platform's network
 * devices: frames are read inside the event loop whenever plat_yield
 * reports the handle ready, into one receive buffer that is lent to the
 * receiver frame by frame. */
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

struct netif {
    struct mirage_net net;
    plat_handle handle;
    mirage_net_receiver receiver;
    void *receiver_arg;
    struct mirage_buf *rx; /* mtu + 14 bytes, reused for every frame */
};

static void on_ready(void *arg)
{
    struct netif *n = arg;
    for (int i = 0; i < READ_BATCH; i++) {
        struct mirage_buf *b = n->rx;
        b->data = b->base;
        size_t got = 0;
        enum plat_result r = plat_net_read(n->handle, b->data, b->cap, &got);
        if (r == PLAT_AGAIN)
            return;
        if (r != PLAT_OK) {
            n->net.stats.rx_errors++;
            return;
        }
        b->len = got;
        n->net.stats.rx_pkts++;
        n->net.stats.rx_bytes += got;
        if (n->receiver)
            n->receiver(n->receiver_arg, b);
    }
}

static int netif_write(struct mirage_net *net, struct mirage_buf *frame)
{
    struct netif *n = (struct netif *)net;
    int err = 0;
    if (frame->len < MIRAGE_ETH_HDR_LEN ||
        frame->len > net->mtu + MIRAGE_ETH_HDR_LEN)
        err = MIRAGE_EINVAL;
    else if (plat_net_write(n->handle, frame->data, frame->len) != PLAT_OK)
        err = MIRAGE_EIO;
    if (err) {
        net->stats.tx_errors++;
    } else {
        net->stats.tx_pkts++;
        net->stats.tx_bytes += frame->len;
    }
    mirage_buf_free(frame);
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
    free(n);
}

static const struct mirage_net_ops netif_ops = {
    .write = netif_write,
    .listen = netif_listen,
    .disconnect = netif_disconnect,
};

int mirage_net_connect_netif(struct mirage_net **out, const char *name)
{
    plat_handle h;
    struct plat_net_info info;
    enum plat_result r = plat_net_acquire(name, &h, &info);
    if (r != PLAT_OK) {
        mirage_log_src_err(
            &log_netif, "cannot acquire network device '%s': %s", name,
            r == PLAT_EINVAL ? "no such device, or in use" : "host failure");
        return r == PLAT_EINVAL ? MIRAGE_ENOENT : MIRAGE_EIO;
    }
    struct netif *n = calloc(1, sizeof *n);
    struct mirage_buf *rx =
        n ? mirage_buf_alloc_room(0, info.mtu + MIRAGE_ETH_HDR_LEN) : NULL;
    if (!rx) {
        free(n);
        return MIRAGE_ENOMEM;
    }
    n->net.ops = &netif_ops;
    for (int i = 0; i < 6; i++)
        n->net.mac[i] = info.mac[i];
    n->net.mtu = info.mtu;
    n->handle = h;
    n->rx = rx;
    mirage_loop_watch(h, on_ready, n);
    char mac[MIRAGE_MAC_STRLEN];
    mirage_log_src_info(&log_netif, "%s: MAC %s, MTU %zu", name,
                        mirage_mac_to_string(info.mac, mac), info.mtu);
    *out = &n->net;
    return 0;
}

int mirage_net_connect_default(struct mirage_net **out, const char *name)
{
    if (!name || !*name)
        name = strcmp(mirage_target(), "unix") == 0 ? "tap0" : "service";
    return mirage_net_connect_netif(out, name);
}
