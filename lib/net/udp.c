/* UDP (include/mirage/udp.h, RFC 768): listeners in a small hash table by
 * port, checksums with the pseudo-header, port unreachable for datagrams
 * nobody listens to, ICMP errors passed to the sending port's listener. */
#include <mirage/error.h>
#include <mirage/udp.h>
#include <stdlib.h>
#include <string.h>

#define BUCKETS      64
#define MAX_DATAGRAM (65535 - MIRAGE_IPV4_HDR_LEN - MIRAGE_UDP_HDR_LEN)

struct listener {
    struct listener *next;
    uint16_t port;
    mirage_udp_recv_fn recv;
    mirage_udp_error_fn error;
    void *arg;
};

struct udp {
    struct mirage_udp dev; /* first: the public device */
    struct mirage_ip *ip;
    struct mirage_random *random;
    struct listener *buckets[BUCKETS];
    struct mirage_udp_stats stats;
};

static struct listener **find(struct udp *u, uint16_t port)
{
    struct listener **p = &u->buckets[port % BUCKETS];
    while (*p && (*p)->port != port)
        p = &(*p)->next;
    return p;
}

static void input(void *arg, const struct mirage_ip_rx *rx,
                  struct mirage_buf *b)
{
    struct udp *u = arg;
    const uint8_t *p = b->data;
    if (b->len < MIRAGE_UDP_HDR_LEN) {
        u->stats.rx_malformed++;
        return;
    }
    size_t len = mirage_get_be16(p + 4);
    if (len < MIRAGE_UDP_HDR_LEN || len > b->len) {
        u->stats.rx_malformed++;
        return;
    }
    /* A zero checksum means none was computed (IPv4 only); the
     * interface may vouch for it (buf.h). */
    if (!(b->offl & MIRAGE_BUF_CSUM_OK) &&
        (mirage_get_be16(p + 6) != 0 || rx->src.version != MIRAGE_IP_V4)) {
        uint32_t sum =
            mirage_ip_pseudo_sum(&rx->src, &rx->dst, MIRAGE_IP_PROTO_UDP, len);
        if (mirage_csum_fold(mirage_csum_add(sum, p, len)) != 0) {
            u->stats.rx_bad_csum++;
            return;
        }
    }
    struct mirage_udp_peer peer = {
        .src = rx->src,
        .dst = rx->dst,
        .src_port = mirage_get_be16(p),
        .dst_port = mirage_get_be16(p + 2),
    };
    struct listener *l = *find(u, peer.dst_port);
    if (!l) {
        u->stats.rx_no_port++;
        mirage_ip_report(u->ip, rx, b, MIRAGE_IP_PORT_UNREACHABLE);
        return;
    }
    u->stats.rx_pkts++;
    l->recv(l->arg, &peer, p + MIRAGE_UDP_HDR_LEN, len - MIRAGE_UDP_HDR_LEN);
}

static void error(void *arg, const struct mirage_ip_error *e)
{
    struct udp *u = arg;
    struct mirage_udp_peer peer = {
        .src = e->src,
        .dst = e->dst,
        .src_port = mirage_get_be16(e->orig),
        .dst_port = mirage_get_be16(e->orig + 2),
    };
    struct listener *l = *find(u, peer.src_port);
    if (l && l->error)
        l->error(l->arg, &peer, e->err);
}

static const struct mirage_udp_ops direct_ops;

int mirage_udp_connect_direct(struct mirage_udp **out, struct mirage_ip *ip,
                              struct mirage_random *random)
{
    struct udp *u = calloc(1, sizeof *u);
    if (!u)
        return MIRAGE_ENOMEM;
    u->dev.ops = &direct_ops;
    u->ip = ip;
    u->random = random;
    struct mirage_ip_proto proto = {.input = input, .error = error, .arg = u};
    int err = mirage_ip_set_proto(ip, MIRAGE_IP_PROTO_UDP, &proto);
    if (err) {
        free(u);
        return err;
    }
    *out = &u->dev;
    return 0;
}

static int direct_listen(struct mirage_udp *dev, uint16_t port,
                         mirage_udp_recv_fn recv, mirage_udp_error_fn error,
                         void *arg)
{
    struct udp *u = (struct udp *)dev;
    if (port == 0 || !recv)
        return MIRAGE_EINVAL;
    struct listener **p = find(u, port);
    if (*p)
        return MIRAGE_EINUSE;
    struct listener *l = malloc(sizeof *l);
    if (!l)
        return MIRAGE_ENOMEM;
    *l = (struct listener){NULL, port, recv, error, arg};
    *p = l;
    return 0;
}

static int direct_unlisten(struct mirage_udp *dev, uint16_t port)
{
    struct udp *u = (struct udp *)dev;
    struct listener **p = find(u, port), *l = *p;
    if (!l)
        return MIRAGE_ENOENT;
    *p = l->next;
    free(l);
    return 0;
}

static int direct_write(struct mirage_udp *dev, const struct mirage_ipaddr *src,
                        uint16_t src_port, const struct mirage_ipaddr *dst,
                        uint16_t dst_port, const void *data, size_t len)
{
    struct udp *u = (struct udp *)dev;
    if (dst_port == 0 || len > MAX_DATAGRAM)
        return MIRAGE_EINVAL;
    struct mirage_ipaddr from;
    static const uint8_t any6[16];
    if (src && !(src->version == MIRAGE_IP_V4 && src->v4 == MIRAGE_IPV4_ANY) &&
        !(src->version == MIRAGE_IP_V6 && memcmp(src->v6, any6, 16) == 0))
        from = *src;
    else if (mirage_ip_src(u->ip, dst, &from) != 0)
        return MIRAGE_EUNREACH;
    if (from.version != dst->version)
        return MIRAGE_EINVAL;
    if (src_port == 0)
        src_port = (uint16_t)(MIRAGE_UDP_EPHEMERAL_MIN +
                              mirage_random_uniform(
                                  u->random, 65536 - MIRAGE_UDP_EPHEMERAL_MIN));
    struct mirage_buf *b = mirage_buf_alloc(MIRAGE_UDP_HDR_LEN + len);
    if (!b)
        return MIRAGE_ENOMEM;
    uint8_t *p = b->data;
    size_t total = MIRAGE_UDP_HDR_LEN + len;
    mirage_put_be16(p, src_port);
    mirage_put_be16(p + 2, dst_port);
    mirage_put_be16(p + 4, (uint16_t)total);
    mirage_put_be16(p + 6, 0);
    if (len)
        memcpy(p + MIRAGE_UDP_HDR_LEN, data, len);
    uint32_t psum =
        mirage_ip_pseudo_sum(&from, dst, MIRAGE_IP_PROTO_UDP, total);
    if (u->ip->offloads & MIRAGE_NET_OFFLOAD_CSUM) {
        mirage_buf_csum_partial(b, 6, psum);
    } else {
        uint16_t sum = mirage_csum_fold(mirage_csum_add(psum, p, total));
        mirage_put_be16(p + 6, sum ? sum : 0xffff);
    }
    u->stats.tx_pkts++;
    return mirage_ip_write(u->ip, &from, dst, MIRAGE_IP_PROTO_UDP, b);
}

static const struct mirage_udp_stats *direct_stats(const struct mirage_udp *dev)
{
    return &((const struct udp *)dev)->stats;
}

static void direct_disconnect(struct mirage_udp *dev)
{
    struct udp *u = (struct udp *)dev;
    mirage_ip_set_proto(u->ip, MIRAGE_IP_PROTO_UDP, NULL);
    for (unsigned i = 0; i < BUCKETS; i++)
        while (u->buckets[i])
            direct_unlisten(dev, u->buckets[i]->port);
    free(u);
}

static const struct mirage_udp_ops direct_ops = {
    .listen = direct_listen,
    .unlisten = direct_unlisten,
    .write = direct_write,
    .stats = direct_stats,
    .disconnect = direct_disconnect,
};
