/* UDP over host sockets (<mirage/socket.h>): one host socket per listened
 * port and family (one for both on a dual socket), bound to the device's
 * address of its family, whose datagrams and ICMP errors the poller hands
 * to the listener's callbacks; writes go out through the listener's
 * socket of their source port and family, a shared socket per family for
 * ephemeral ports, or a socket bound for the one datagram. */
#include <mirage/error.h>
#include <mirage/socket.h>
#include <stddef.h>
#include <stdlib.h>

#include "poller.h"

#define MAX_DATAGRAM_V4 65507 /* 65535 - IPv4 and UDP headers */
#define MAX_DATAGRAM_V6 65527 /* 65535 - UDP header (no jumbograms) */
/* Datagrams taken from one socket per event before the others get a
 * turn (the socket is then reported again). */
#define BURST 256

struct listener {
    struct sock_watch watch; /* first: the poller's token */
    struct socket_udp *udp;  /* NULL once unlistened */
    int fd;
    enum hostsock_family family;
    struct mirage_ipaddr addr; /* bound to (for a dual socket: ::) */
    uint16_t port;
    mirage_udp_recv_fn recv;
    mirage_udp_error_fn error;
    void *arg;
    struct listener *next;
};

struct socket_udp {
    struct mirage_udp dev; /* first: what the application holds */
    struct sock_bind bind;
    /* Those of one port follow each other. */
    struct listener *listeners;
    /* The shared sockets of port 0 writes, as listeners (NULL until
     * needed): no callbacks, so what they receive is dropped (as the
     * direct stack drops datagrams to ports nobody listens on). */
    struct listener *ephemeral;
    uint8_t *rx; /* MAX_DATAGRAM_V6 bytes, lent to callbacks */
    struct mirage_udp_stats stats;
    /* Never polled: frees the device once disconnected, after the
     * current round of events (a callback may disconnect while the
     * datagram it was lent sits in rx). */
    struct sock_watch gone;
};

static struct listener **find(struct listener **p, uint16_t port)
{
    while (*p && (*p)->port != port)
        p = &(*p)->next;
    return p;
}

/* Whether l's socket carries a's family. */
static bool carries(const struct listener *l, const struct mirage_ipaddr *a)
{
    return l->family == HOSTSOCK_INET6_DUAL ||
           (l->family == HOSTSOCK_INET) == (a->version == MIRAGE_IP_V4);
}

/* The listener of list (listeners or ephemeral) with port whose socket
 * carries a's family, or NULL. */
static struct listener *find_for(struct listener *l, uint16_t port,
                                 const struct mirage_ipaddr *a)
{
    for (; l; l = l->next)
        if (l->port == port && carries(l, a))
            return l;
    return NULL;
}

/* The address l is bound to, in a's family. */
static struct mirage_ipaddr bound_for(const struct listener *l,
                                      const struct mirage_ipaddr *a)
{
    return *sock_bind_addr(&l->udp->bind, a);
}

static void deliver_errors(struct listener *l)
{
    struct hostsock_addr dst;
    int err;
    while (hostsock_recverr(l->fd, &dst, &err) == 0) {
        if (!l->udp || !l->error)
            continue;
        struct mirage_udp_peer peer = {
            .src = bound_for(l, &dst.ip),
            .dst = dst.ip,
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
        long len = hostsock_recvfrom(l->fd, l->udp->rx, MAX_DATAGRAM_V6, &from);
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
            .src = from.ip,
            .dst = bound_for(l, &from.ip),
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

/* A socket of family bound to addr and port. 0 or an error. */
static int open_bound(struct socket_udp *u, enum hostsock_family family,
                      const struct mirage_ipaddr *addr, uint16_t port,
                      struct listener **out)
{
    struct listener *l = calloc(1, sizeof(*l));
    if (!l)
        return MIRAGE_ENOMEM;
    l->watch.ready = listener_ready;
    l->watch.destroy = listener_destroy;
    l->udp = u;
    l->family = family;
    l->addr = *addr;
    l->port = port;
    l->fd = hostsock_open(HOSTSOCK_UDP, family, &l->watch);
    if (l->fd < 0) {
        int err = l->fd;
        free(l);
        return err;
    }
    struct hostsock_addr a = {*addr, port};
    int err = hostsock_bind(l->fd, &a, false);
    if (err) {
        listener_destroy(&l->watch);
        return err;
    }
    *out = l;
    return 0;
}

/* Give the listeners of list from *p on with port up (all of them when
 * port is 0). */
static void release_port(struct listener **p, uint16_t port)
{
    while (*(p = port ? find(p, port) : p)) {
        struct listener *l = *p;
        *p = l->next;
        l->udp = NULL;
        sock_watch_release(&l->watch);
    }
}

static int udp_listen(struct mirage_udp *dev, uint16_t port,
                      mirage_udp_recv_fn recv, mirage_udp_error_fn error,
                      void *arg)
{
    struct socket_udp *u = (struct socket_udp *)dev;
    if (port == 0 || !recv)
        return MIRAGE_EINVAL;
    struct listener **p = find(&u->listeners, port);
    if (*p)
        return MIRAGE_EINUSE;
    enum hostsock_family family[2];
    struct mirage_ipaddr addr[2];
    size_t n = sock_bind_listeners(&u->bind, family, addr);
    for (size_t i = 0; i < n; i++) {
        struct listener *l;
        int err = open_bound(u, family[i], &addr[i], port, &l);
        if (err) {
            release_port(p, port);
            return err;
        }
        l->recv = recv;
        l->error = error;
        l->arg = arg;
        l->next = *p;
        *p = l;
    }
    return 0;
}

static int udp_unlisten(struct mirage_udp *dev, uint16_t port)
{
    struct socket_udp *u = (struct socket_udp *)dev;
    struct listener **p = find(&u->listeners, port);
    if (!*p || port == 0)
        return MIRAGE_ENOENT;
    release_port(p, port);
    return 0;
}

/* Send through a socket bound to from for this datagram only. */
static int write_once(const struct hostsock_addr *from, const void *data,
                      size_t len, const struct hostsock_addr *to)
{
    static struct sock_watch ignore = {.released = true};
    int fd = hostsock_open(HOSTSOCK_UDP,
                           to->ip.version == MIRAGE_IP_V4 ? HOSTSOCK_INET
                                                          : HOSTSOCK_INET6,
                           &ignore);
    if (fd < 0)
        return fd;
    int err = hostsock_bind(fd, from, true);
    if (!err)
        err = hostsock_sendto(fd, data, len, to);
    hostsock_close(fd);
    return err;
}

/* The shared socket of port 0 writes to dst's family. 0 or an error. */
static int ephemeral_for(struct socket_udp *u, const struct mirage_ipaddr *dst,
                         struct listener **out)
{
    if ((*out = find_for(u->ephemeral, 0, dst)))
        return 0;
    enum hostsock_family family[2];
    struct mirage_ipaddr addr[2];
    size_t n = sock_bind_listeners(&u->bind, family, addr);
    for (size_t i = 0; i < n; i++) {
        bool v4 = addr[i].version == MIRAGE_IP_V4;
        if (family[i] != HOSTSOCK_INET6_DUAL &&
            v4 != (dst->version == MIRAGE_IP_V4))
            continue;
        int err = open_bound(u, family[i], &addr[i], 0, out);
        if (err)
            return err;
        (*out)->next = u->ephemeral;
        u->ephemeral = *out;
        return 0;
    }
    return MIRAGE_EUNREACH; /* not reached: dst's family is served */
}

static int udp_write(struct mirage_udp *dev, const struct mirage_ipaddr *src,
                     uint16_t src_port, const struct mirage_ipaddr *dst,
                     uint16_t dst_port, const void *data, size_t len)
{
    struct socket_udp *u = (struct socket_udp *)dev;
    if (!dst || dst_port == 0 || (len && !data))
        return MIRAGE_EINVAL;
    struct mirage_ipaddr to_ip = *dst;
    int err = sock_bind_check(&u->bind, &to_ip);
    if (err)
        return err;
    if (len >
        (to_ip.version == MIRAGE_IP_V4 ? MAX_DATAGRAM_V4 : MAX_DATAGRAM_V6))
        return MIRAGE_EINVAL;
    const struct mirage_ipaddr *bound = sock_bind_addr(&u->bind, &to_ip);
    struct mirage_ipaddr from = *bound;
    if (src) {
        struct mirage_ipaddr s = *src;
        if (sock_bind_check(&u->bind, &s) || s.version != to_ip.version)
            return MIRAGE_EINVAL; /* not of dst's family */
        if (!sock_addr_any(&s)) {
            if (!sock_addr_any(bound) && !mirage_ipaddr_equal(&s, bound))
                return MIRAGE_EINVAL; /* not our address */
            from = s;
        }
    }
    bool ours = mirage_ipaddr_equal(&from, bound);
    struct listener *l = NULL;
    if (ours && src_port == 0)
        err = ephemeral_for(u, &to_ip, &l);
    else if (ours)
        l = find_for(u->listeners, src_port, &to_ip);
    if (!err && l) {
        struct hostsock_addr to = sock_addr_for(l->family, &to_ip, dst_port);
        err = hostsock_sendto(l->fd, data, len, &to);
    } else if (!err) {
        struct hostsock_addr to = {to_ip, dst_port};
        err =
            write_once(&(struct hostsock_addr){from, src_port}, data, len, &to);
    }
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
    release_port(&u->listeners, 0);
    release_port(&u->ephemeral, 0);
    sock_watch_release(&u->gone);
}

static const struct mirage_udp_ops socket_udp_ops = {
    .listen = udp_listen,
    .unlisten = udp_unlisten,
    .write = udp_write,
    .stats = udp_stats,
    .disconnect = udp_disconnect,
};

int mirage_udp_connect_socket(struct mirage_udp **out, const char *ipv4,
                              const char *ipv6, bool ipv4_only, bool ipv6_only)
{
    struct sock_bind bind;
    int err = sock_device_start(ipv4, ipv6, ipv4_only, ipv6_only, &bind);
    if (err)
        return err;
    struct socket_udp *u = calloc(1, sizeof(*u));
    uint8_t *rx = malloc(MAX_DATAGRAM_V6);
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
