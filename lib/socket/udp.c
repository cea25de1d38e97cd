/* UDP over host sockets (<mirage/socket.h>): one host socket per listened
 * port, bound to the stack's address, whose datagrams and ICMP errors
 * the poller hands to the listener's callbacks; writes go out through
 * the listener's socket of their source port, a shared socket for
 * ephemeral ports, or a socket bound for the one datagram. */
#include <mirage/error.h>
#include <mirage/socket.h>
#include <stddef.h>
#include <stdlib.h>

#include "poller.h"

#define MAX_DATAGRAM 65507 /* 65535 - IPv4 and UDP headers */
/* Datagrams taken from one socket per event before the others get a
 * turn (the socket is then reported again). */
#define BURST 256

struct listener {
    struct sock_watch watch; /* first: the poller's token */
    struct socket_udp *udp;  /* NULL once unlistened */
    int fd;
    uint16_t port;
    mirage_udp_recv_fn recv;
    mirage_udp_error_fn error;
    void *arg;
    struct listener *next;
};

struct socket_udp {
    struct mirage_udp dev; /* first: what the application holds */
    mirage_ipv4_addr bind;
    struct listener *listeners;
    /* The shared socket of port 0 writes: no callbacks, so what it
     * receives is dropped (as the direct stack drops datagrams to ports
     * nobody listens on). */
    struct listener *ephemeral;
    uint8_t *rx; /* MAX_DATAGRAM bytes, lent to callbacks */
    struct mirage_udp_stats stats;
    /* Never polled: frees the device once disconnected, after the
     * current round of events (a callback may disconnect while the
     * datagram it was lent sits in rx). */
    struct sock_watch gone;
};

static struct listener **find(struct socket_udp *u, uint16_t port)
{
    struct listener **p = &u->listeners;
    while (*p && (*p)->port != port)
        p = &(*p)->next;
    return p;
}

static void deliver_errors(struct listener *l)
{
    struct hostsock_addr dst;
    int err;
    while (hostsock_recverr(l->fd, &dst, &err) == 0) {
        if (!l->udp || !l->error)
            continue;
        struct mirage_udp_peer peer = {
            .src = mirage_ipaddr_of_v4(l->udp->bind),
            .dst = mirage_ipaddr_of_v4(dst.ip),
            .src_port = l->port,
            .dst_port = dst.port,
        };
        l->error(l->arg, &peer, err);
    }
}

static void listener_ready(struct sock_watch *w, unsigned what)
{
    struct listener *l = (struct listener *)w;
    if (!(what & (HOSTSOCK_IN | HOSTSOCK_ERR)))
        return; /* only writable again */
    for (int n = 0; n < BURST; n++) {
        /* The callbacks may unlisten (l->udp NULL, l released). */
        if (w->released)
            return;
        struct hostsock_addr from;
        long len = hostsock_recvfrom(l->fd, l->udp->rx, MAX_DATAGRAM, &from);
        if (len == MIRAGE_EAGAIN) {
            deliver_errors(l);
            return;
        }
        if (len < 0) {
            /* A pending ICMP error is reported by receiving once. */
            deliver_errors(l);
            continue;
        }
        if (!l->recv) {
            l->udp->stats.rx_no_port++; /* a reply to an ephemeral port */
            continue;
        }
        struct mirage_udp_peer peer = {
            .src = mirage_ipaddr_of_v4(from.ip),
            .dst = mirage_ipaddr_of_v4(l->udp->bind),
            .src_port = from.port,
            .dst_port = l->port,
        };
        l->udp->stats.rx_pkts++;
        l->recv(l->arg, &peer, l->udp->rx, (size_t)len);
    }
    hostsock_rearm(l->fd, w);
}

static void listener_destroy(struct sock_watch *w)
{
    struct listener *l = (struct listener *)w;
    hostsock_close(l->fd);
    free(l);
}

/* A socket bound to the stack's address and port. 0 or an error. */
static int open_bound(struct socket_udp *u, uint16_t port,
                      struct listener **out)
{
    struct listener *l = calloc(1, sizeof(*l));
    if (!l)
        return MIRAGE_ENOMEM;
    l->watch.ready = listener_ready;
    l->watch.destroy = listener_destroy;
    l->udp = u;
    l->port = port;
    l->fd = hostsock_open(HOSTSOCK_UDP, &l->watch);
    if (l->fd < 0) {
        int err = l->fd;
        free(l);
        return err;
    }
    struct hostsock_addr a = {u->bind, port};
    int err = hostsock_bind(l->fd, &a, false);
    if (err) {
        listener_destroy(&l->watch);
        return err;
    }
    *out = l;
    return 0;
}

static int udp_listen(struct mirage_udp *dev, uint16_t port,
                      mirage_udp_recv_fn recv, mirage_udp_error_fn error,
                      void *arg)
{
    struct socket_udp *u = (struct socket_udp *)dev;
    if (port == 0 || !recv)
        return MIRAGE_EINVAL;
    struct listener **p = find(u, port);
    if (*p)
        return MIRAGE_EINUSE;
    struct listener *l;
    int err = open_bound(u, port, &l);
    if (err)
        return err;
    l->recv = recv;
    l->error = error;
    l->arg = arg;
    *p = l;
    return 0;
}

static int udp_unlisten(struct mirage_udp *dev, uint16_t port)
{
    struct socket_udp *u = (struct socket_udp *)dev;
    struct listener **p = find(u, port), *l = *p;
    if (!l)
        return MIRAGE_ENOENT;
    *p = l->next;
    l->udp = NULL;
    sock_watch_release(&l->watch);
    return 0;
}

/* Send through a socket bound to ip:port for this datagram only. */
static int write_once(const struct hostsock_addr *from, const void *data,
                      size_t len, const struct hostsock_addr *to)
{
    static struct sock_watch ignore = {.released = true};
    int fd = hostsock_open(HOSTSOCK_UDP, &ignore);
    if (fd < 0)
        return fd;
    int err = hostsock_bind(fd, from, true);
    if (!err)
        err = hostsock_sendto(fd, data, len, to);
    hostsock_close(fd);
    return err;
}

static int udp_write(struct mirage_udp *dev, const struct mirage_ipaddr *src,
                     uint16_t src_port, const struct mirage_ipaddr *dst,
                     uint16_t dst_port, const void *data, size_t len)
{
    struct socket_udp *u = (struct socket_udp *)dev;
    if (!dst || dst->version != MIRAGE_IP_V4 || dst_port == 0 ||
        len > MAX_DATAGRAM || (len && !data))
        return MIRAGE_EINVAL;
    mirage_ipv4_addr from = u->bind;
    if (src && src->version != MIRAGE_IP_V4)
        return MIRAGE_EINVAL;
    if (src && src->v4 != MIRAGE_IPV4_ANY) {
        if (u->bind != MIRAGE_IPV4_ANY && src->v4 != u->bind)
            return MIRAGE_EINVAL; /* not our address */
        from = src->v4;
    }
    struct hostsock_addr to = {dst->v4, dst_port};
    struct listener *l = NULL;
    int err = 0;
    if (from == u->bind && src_port == 0) {
        if (!u->ephemeral)
            err = open_bound(u, 0, &u->ephemeral);
        l = u->ephemeral;
    } else if (from == u->bind) {
        l = *find(u, src_port);
    }
    if (!err && l)
        err = hostsock_sendto(l->fd, data, len, &to);
    else if (!err)
        err =
            write_once(&(struct hostsock_addr){from, src_port}, data, len, &to);
    if (!err)
        u->stats.tx_pkts++;
    return err;
}

static const struct mirage_udp_stats *udp_stats(const struct mirage_udp *dev)
{
    return &((const struct socket_udp *)dev)->stats;
}

static void udp_destroy(struct sock_watch *w)
{
    struct socket_udp *u =
        (struct socket_udp *)((char *)w - offsetof(struct socket_udp, gone));
    free(u->rx);
    free(u);
}

static void udp_disconnect(struct mirage_udp *dev)
{
    struct socket_udp *u = (struct socket_udp *)dev;
    while (u->listeners)
        udp_unlisten(dev, u->listeners->port);
    if (u->ephemeral) {
        u->ephemeral->udp = NULL;
        sock_watch_release(&u->ephemeral->watch);
    }
    sock_watch_release(&u->gone);
}

static const struct mirage_udp_ops socket_udp_ops = {
    .listen = udp_listen,
    .unlisten = udp_unlisten,
    .write = udp_write,
    .stats = udp_stats,
    .disconnect = udp_disconnect,
};

int mirage_udp_connect_socket(struct mirage_udp **out, const char *ipv4)
{
    mirage_ipv4_addr bind;
    int err = sock_device_start(ipv4, &bind);
    if (err)
        return err;
    struct socket_udp *u = calloc(1, sizeof(*u));
    uint8_t *rx = malloc(MAX_DATAGRAM);
    if (!u || !rx) {
        free(u);
        free(rx);
        return MIRAGE_ENOMEM;
    }
    u->dev.ops = &socket_udp_ops;
    u->bind = bind;
    u->rx = rx;
    u->gone.destroy = udp_destroy;
    *out = &u->dev;
    return 0;
}
