/* Ethernet (include/mirage/ethernet.h): header parsing and building, and
 * demultiplexing by ethertype. */
#include <mirage/error.h>
#include <mirage/ethernet.h>
#include <stdlib.h>
#include <string.h>

const uint8_t mirage_mac_broadcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

struct handler {
    uint16_t ethertype;
    mirage_ethernet_input_fn fn;
    void *arg;
};

struct mirage_ethernet {
    struct mirage_net *net;
    struct handler *handlers;
    size_t nhandlers;
    struct mirage_ethernet_stats stats;
};

static void input(void *arg, struct mirage_buf *frame)
{
    struct mirage_ethernet *e = arg;
    if (frame->len < MIRAGE_ETH_HDR_LEN) {
        e->stats.rx_short++;
        return;
    }
    const uint8_t *dst = frame->data, *src = frame->data + 6;
    uint16_t type = mirage_get_be16(frame->data + 12);
    /* Multicast (broadcast included) has the group bit set. */
    if (!(dst[0] & 1) && memcmp(dst, e->net->mac, 6) != 0) {
        e->stats.rx_not_us++;
        return;
    }
    for (size_t i = 0; i < e->nhandlers; i++) {
        if (e->handlers[i].ethertype != type)
            continue;
        uint8_t s[6], d[6];
        memcpy(s, src, 6);
        memcpy(d, dst, 6);
        mirage_buf_pull(frame, MIRAGE_ETH_HDR_LEN);
        e->handlers[i].fn(e->handlers[i].arg, s, d, frame);
        return;
    }
    e->stats.rx_no_proto++;
}

int mirage_ethernet_connect_direct(struct mirage_ethernet **out,
                                   struct mirage_net *net)
{
    struct mirage_ethernet *e = calloc(1, sizeof *e);
    if (!e)
        return MIRAGE_ENOMEM;
    e->net = net;
    mirage_net_listen(net, input, e);
    *out = e;
    return 0;
}

int mirage_ethernet_set_input(struct mirage_ethernet *e, uint16_t ethertype,
                              mirage_ethernet_input_fn fn, void *arg)
{
    for (size_t i = 0; i < e->nhandlers; i++) {
        if (e->handlers[i].ethertype != ethertype)
            continue;
        if (fn) {
            e->handlers[i].fn = fn;
            e->handlers[i].arg = arg;
        } else {
            e->handlers[i] = e->handlers[--e->nhandlers];
        }
        return 0;
    }
    if (!fn)
        return 0;
    struct handler *v =
        realloc(e->handlers, (e->nhandlers + 1) * sizeof *e->handlers);
    if (!v)
        return MIRAGE_ENOMEM;
    e->handlers = v;
    e->handlers[e->nhandlers++] = (struct handler){ethertype, fn, arg};
    return 0;
}

int mirage_ethernet_write(struct mirage_ethernet *e, const uint8_t dst[6],
                          uint16_t ethertype, struct mirage_buf *payload)
{
    size_t max = payload->gso_size ? MIRAGE_NET_GSO_MAX_IP : e->net->mtu;
    if (payload->len > max) {
        e->stats.tx_too_big++;
        mirage_buf_free(payload);
        return MIRAGE_EINVAL;
    }
    uint8_t *h = mirage_buf_push(payload, MIRAGE_ETH_HDR_LEN);
    if (!h) {
        e->stats.tx_no_room++;
        mirage_buf_free(payload);
        return MIRAGE_EINVAL;
    }
    memcpy(h, dst, 6);
    memcpy(h + 6, e->net->mac, 6);
    mirage_put_be16(h + 12, ethertype);
    return mirage_net_write(e->net, payload);
}

const uint8_t *mirage_ethernet_mac(const struct mirage_ethernet *e)
{
    return e->net->mac;
}

size_t mirage_ethernet_mtu(const struct mirage_ethernet *e)
{
    return e->net->mtu;
}

struct mirage_net *mirage_ethernet_net(struct mirage_ethernet *e)
{
    return e->net;
}

const struct mirage_ethernet_stats *
mirage_ethernet_stats(const struct mirage_ethernet *e)
{
    return &e->stats;
}

void mirage_ethernet_disconnect(struct mirage_ethernet *e)
{
    mirage_net_listen(e->net, NULL, NULL);
    free(e->handlers);
    free(e);
}
