/* TCP over host sockets (<mirage/socket.h>): flows are non-blocking host
 * sockets whose readiness, reported by the poller, wakes the fibers
 * blocked in read, write or connect; a listener (one host socket per
 * family, or one dual socket for both) accepts in the poller's callback
 * and runs each flow's handler in a fiber of its own. */
#include <mirage/error.h>
#include <mirage/fiber.h>
#include <mirage/log.h>
#include <mirage/socket.h>
#include <stddef.h>
#include <stdlib.h>

#include "poller.h"

MIRAGE_LOG_SRC(log_tcp, "socket-tcp", "TCP over host sockets");

#define BACKLOG 128
/* Connections accepted per event before the others get a turn (the
 * listener is then reported again). */
#define BURST 64
/* How long a listener that could not accept waits before trying again
 * (the host does not report connections already waiting twice). */
#define ACCEPT_RETRY MIRAGE_MSEC(100)
/* Keepalive limits of the host (seconds, probes). */
#define KEEPALIVE_MAX_S      32767
#define KEEPALIVE_MAX_PROBES 127

struct socket_tcp {
    struct mirage_tcp dev; /* first: what the application holds */
    struct sock_bind bind;
    /* Those of one port (one per host socket) follow each other. */
    struct listener *listeners;
    struct mirage_tcp_stats stats;
};

struct flow {
    struct sock_watch watch; /* first: the poller's token */
    struct mirage_tcp_flow pub;
    int fd;
    /* Fibers inside a call on the flow, and the listen handler running
     * it: the memory stays until closed and unused. */
    unsigned users;
    bool closed, rd_shut, wr_shut;
    int err; /* what failed the flow; 0 while it is fine */
    struct mirage_waitq rxq, txq;
    struct hostsock_addr local, remote;
    mirage_tcp_handler handler; /* accepted flows */
    void *handler_arg;
};

struct listener {
    struct sock_watch watch; /* first: the poller's token */
    struct socket_tcp *tcp;  /* NULL once unlistened */
    int fd;                  /* -1 once unlistened */
    /* Accepting failed (no descriptor or memory left): a fiber tries
     * again after ACCEPT_RETRY, and owns l until then. */
    bool starved, retrying;
    uint16_t port;
    bool keepalive;
    struct mirage_tcp_keepalive ka;
    mirage_tcp_handler handler;
    void *arg;
    size_t stack_size; /* of the handlers' fibers; 0: the default */
    struct listener *next;
};

static struct flow *flow_of(struct mirage_flow *pub)
{
    return (struct flow *)((char *)pub - offsetof(struct flow, pub.flow));
}

static void flow_ready(struct sock_watch *w, unsigned what)
{
    struct flow *f = (struct flow *)w;
    if (what & (HOSTSOCK_IN | HOSTSOCK_ERR))
        mirage_waitq_wake_all(&f->rxq);
    if (what & (HOSTSOCK_OUT | HOSTSOCK_ERR))
        mirage_waitq_wake_all(&f->txq);
}

static void flow_destroy(struct sock_watch *w)
{
    free(w);
}

static const struct mirage_flow_ops socket_flow_ops; /* below */

static struct flow *flow_new(struct socket_tcp *t)
{
    struct flow *f = calloc(1, sizeof(*f));
    if (!f)
        return NULL;
    f->watch.ready = flow_ready;
    f->watch.destroy = flow_destroy;
    f->pub.flow.ops = &socket_flow_ops;
    f->pub.tcp = &t->dev;
    f->fd = -1;
    mirage_waitq_init(&f->rxq);
    mirage_waitq_init(&f->txq);
    return f;
}

/* Free f once it is closed and nobody uses it any more. */
static void flow_put(struct flow *f)
{
    if (f->closed && f->users == 0)
        sock_watch_release(&f->watch);
}

static void flow_close(struct flow *f)
{
    f->closed = true;
    if (f->fd >= 0)
        hostsock_close(f->fd);
    f->fd = -1;
    mirage_waitq_wake_all(&f->rxq);
    mirage_waitq_wake_all(&f->txq);
}

/* The flow's error for the host's: a host that gave up on the peer
 * (retransmissions, keepalive) is MIRAGE_EUNREACH, as in the direct stack
 * (MIRAGE_ETIMEDOUT means a caller's deadline). */
static int peer_error(int host_err)
{
    return host_err == MIRAGE_ETIMEDOUT ? MIRAGE_EUNREACH : host_err;
}

/* Record that the host socket failed with err; returns the flow's error. */
static int flow_fail(struct flow *f, int err)
{
    if (!f->err)
        f->err = peer_error(err);
    return f->err;
}

static long tcp_read(struct mirage_flow *pub, void *buf, size_t len,
                     uint64_t deadline)
{
    struct flow *f = flow_of(pub);
    if (!buf || len == 0)
        return MIRAGE_EINVAL;
    long r;
    f->users++;
    for (;;) {
        if (f->closed) {
            r = MIRAGE_ECLOSED;
            break;
        }
        if (f->err) {
            r = f->err;
            break;
        }
        if (f->rd_shut) {
            r = 0;
            break;
        }
        r = hostsock_recv(f->fd, buf, len);
        if (r >= 0)
            break;
        if (r != MIRAGE_EAGAIN) {
            r = flow_fail(f, (int)r);
            break;
        }
        r = mirage_waitq_wait(&f->rxq, deadline);
        if (r)
            break;
    }
    f->users--;
    flow_put(f);
    return r;
}

/* Send all of buf, waiting for room as needed: 0, or an error with *sent
 * the bytes taken before it. */
static int send_all(struct flow *f, const char *buf, size_t len,
                    uint64_t deadline, size_t *sent)
{
    *sent = 0;
    while (*sent < len) {
        if (f->closed)
            return MIRAGE_ECLOSED;
        if (f->err)
            return f->err;
        if (f->wr_shut)
            return MIRAGE_ECLOSED;
        long n = hostsock_send(f->fd, buf + *sent, len - *sent);
        if (n > 0) {
            *sent += (size_t)n;
        } else if (n == MIRAGE_EAGAIN) {
            int err = mirage_waitq_wait(&f->txq, deadline);
            if (err)
                return err;
        } else {
            return flow_fail(f, n == 0 ? MIRAGE_EIO : (int)n);
        }
    }
    return 0;
}

static long tcp_writev(struct mirage_flow *pub, const struct mirage_iovec *iov,
                       size_t n, uint64_t deadline)
{
    struct flow *f = flow_of(pub);
    if (n && !iov)
        return MIRAGE_EINVAL;
    for (size_t i = 0; i < n; i++)
        if (iov[i].len && !iov[i].base)
            return MIRAGE_EINVAL;
    long total = 0;
    int err = 0;
    f->users++;
    for (size_t i = 0; i < n && !err; i++) {
        size_t sent;
        err = send_all(f, iov[i].base, iov[i].len, deadline, &sent);
        total += (long)sent;
    }
    f->users--;
    flow_put(f);
    /* A deadline that passed after some bytes were queued is a short
     * write; any other error is the result. */
    if (err == MIRAGE_ETIMEDOUT && total > 0)
        return total;
    return err ? err : total;
}

static int tcp_shutdown(struct mirage_flow *pub, enum mirage_flow_shutdown how)
{
    struct flow *f = flow_of(pub);
    if (how != MIRAGE_FLOW_SHUT_READ && how != MIRAGE_FLOW_SHUT_WRITE &&
        how != MIRAGE_FLOW_SHUT_RDWR)
        return MIRAGE_EINVAL;
    /* A host socket already reset cannot be shut down; the flow's state
     * then shows in its reads and writes. */
    if (how & MIRAGE_FLOW_SHUT_READ) {
        f->rd_shut = true;
        hostsock_shutdown(f->fd, HOSTSOCK_SHUT_RD);
        mirage_waitq_wake_all(&f->rxq);
    }
    if (how & MIRAGE_FLOW_SHUT_WRITE) {
        f->wr_shut = true;
        hostsock_shutdown(f->fd, HOSTSOCK_SHUT_WR);
        mirage_waitq_wake_all(&f->txq);
    }
    return 0;
}

static void tcp_close(struct mirage_flow *pub)
{
    struct flow *f = flow_of(pub);
    flow_close(f);
    flow_put(f);
}

/* ns to whole seconds, rounded up, within 1..KEEPALIVE_MAX_S. */
static unsigned keepalive_seconds(uint64_t ns)
{
    uint64_t s = (ns + MIRAGE_SEC(1) - 1) / MIRAGE_SEC(1);
    if (s == 0)
        return 1;
    return s > KEEPALIVE_MAX_S ? KEEPALIVE_MAX_S : (unsigned)s;
}

static int set_keepalive(int fd, const struct mirage_tcp_keepalive *ka)
{
    if (!ka)
        return hostsock_keepalive(fd, 0, 0, 0);
    unsigned probes =
        ka->probes > KEEPALIVE_MAX_PROBES ? KEEPALIVE_MAX_PROBES : ka->probes;
    return hostsock_keepalive(fd, keepalive_seconds(ka->after_ns),
                              keepalive_seconds(ka->interval_ns), probes);
}

static int tcp_keepalive(struct mirage_tcp_flow *pub,
                         const struct mirage_tcp_keepalive *ka)
{
    struct flow *f = flow_of(&pub->flow);
    if (ka && (ka->interval_ns == 0 || ka->probes == 0))
        return MIRAGE_EINVAL;
    /* A failed host socket keeps its error for reads and writes. */
    set_keepalive(f->fd, ka);
    return 0;
}

static int tcp_nodelay(struct mirage_tcp_flow *pub, bool on)
{
    hostsock_nodelay(flow_of(&pub->flow)->fd, on);
    return 0;
}

static void tcp_endpoints(struct mirage_tcp_flow *pub,
                          struct mirage_ipaddr *laddr, uint16_t *lport,
                          struct mirage_ipaddr *faddr, uint16_t *fport)
{
    struct flow *f = flow_of(&pub->flow);
    if (laddr)
        *laddr = f->local.ip;
    if (lport)
        *lport = f->local.port;
    if (faddr)
        *faddr = f->remote.ip;
    if (fport)
        *fport = f->remote.port;
}

static int tcp_connect(struct mirage_tcp *dev, const struct mirage_ipaddr *dst,
                       uint16_t port, uint64_t deadline,
                       struct mirage_tcp_flow **out)
{
    struct socket_tcp *t = (struct socket_tcp *)dev;
    if (!dst || port == 0 || !out)
        return MIRAGE_EINVAL;
    struct mirage_ipaddr ip = *dst;
    int err = sock_bind_check(&t->bind, &ip);
    if (err)
        return err;
    struct flow *f = flow_new(t);
    if (!f)
        return MIRAGE_ENOMEM;
    f->remote = (struct hostsock_addr){ip, port};
    const struct mirage_ipaddr *bound = sock_bind_addr(&t->bind, &ip);
    f->fd = hostsock_open(
        HOSTSOCK_TCP,
        ip.version == MIRAGE_IP_V4 ? HOSTSOCK_INET : HOSTSOCK_INET6, &f->watch);
    err = f->fd < 0 ? f->fd : 0;
    if (!err && !sock_addr_any(bound))
        err = hostsock_bind(f->fd, &(struct hostsock_addr){*bound, 0}, false);
    if (!err) {
        t->stats.active_opens++;
        err = peer_error(hostsock_connect(f->fd, &f->remote));
    }
    while (err == MIRAGE_EAGAIN) {
        int waited = mirage_waitq_wait(&f->txq, deadline);
        err = peer_error(hostsock_connected(f->fd));
        if (err == MIRAGE_EAGAIN && waited)
            err = waited; /* the deadline passed */
    }
    if (err == 0)
        err = hostsock_local(f->fd, &f->local);
    if (err) {
        flow_close(f);
        flow_put(f);
        return err;
    }
    t->stats.established++;
    *out = &f->pub;
    return 0;
}

/* A listen handler's fiber: runs the handler, then closes the flow if
 * the handler left it open. */
static int handler_main(void *arg)
{
    struct flow *f = arg;
    f->handler(f->handler_arg, &f->pub);
    if (!f->closed)
        flow_close(f);
    f->users--;
    flow_put(f);
    return 0;
}

/* Take one pending connection: 0, MIRAGE_EAGAIN when none is left, or
 * an error that stops accepting for now. */
static int accept_one(struct listener *l)
{
    struct socket_tcp *t = l->tcp;
    struct flow *f = flow_new(t);
    if (!f)
        return MIRAGE_ENOMEM;
    f->fd = hostsock_accept(l->fd, &f->watch, &f->remote);
    if (f->fd < 0) {
        int err = f->fd;
        free(f);
        return err;
    }
    t->stats.passive_opens++;
    t->stats.established++;
    hostsock_local(f->fd, &f->local);
    if (l->keepalive)
        set_keepalive(f->fd, &l->ka);
    f->handler = l->handler;
    f->handler_arg = l->arg;
    f->users = 1; /* the handler's */
    struct mirage_fiber *fiber =
        mirage_fiber_spawn(handler_main, f, l->stack_size);
    if (!fiber) {
        flow_close(f);
        f->users = 0;
        flow_put(f);
        return MIRAGE_ENOMEM;
    }
    mirage_fiber_set_name(fiber, "tcp port %u", l->port);
    mirage_fiber_detach(fiber);
    return 0;
}

static void listener_ready(struct sock_watch *w, unsigned what);

static int retry_main(void *arg)
{
    struct listener *l = arg;
    mirage_sleep_ns(ACCEPT_RETRY);
    l->retrying = false;
    if (l->tcp)
        listener_ready(&l->watch, HOSTSOCK_IN);
    else
        sock_watch_release(&l->watch);
    return 0;
}

/* Accepting failed with err: say so once, and try again later. */
static void accept_failed(struct listener *l, int err)
{
    if (!l->starved)
        mirage_log_src_warn(&log_tcp,
                            "port %u: cannot accept: %s (no descriptor or "
                            "memory left); trying again",
                            l->port, mirage_strerror(err));
    l->starved = true;
    if (l->retrying)
        return;
    struct mirage_fiber *f = mirage_fiber_spawn(retry_main, l, 8192);
    if (f) {
        l->retrying = true;
        mirage_fiber_detach(f);
    }
}

static void listener_ready(struct sock_watch *w, unsigned what)
{
    struct listener *l = (struct listener *)w;
    (void)what;
    if (!l->tcp)
        return;
    for (int n = 0; n < BURST; n++) {
        int err = accept_one(l);
        if (err == MIRAGE_EAGAIN)
            return;
        if (err == MIRAGE_ECONNRESET)
            continue; /* reset while it waited in the backlog */
        if (err) {
            accept_failed(l, err);
            return;
        }
        l->starved = false;
    }
    hostsock_rearm(l->fd, w);
}

static void listener_destroy(struct sock_watch *w)
{
    struct listener *l = (struct listener *)w;
    if (l->fd >= 0)
        hostsock_close(l->fd);
    free(l);
}

static struct listener **find(struct listener **p, uint16_t port)
{
    while (*p && (*p)->port != port)
        p = &(*p)->next;
    return p;
}

/* Stop the listener *p: it leaves the list. */
static void listener_stop(struct listener **p)
{
    struct listener *l = *p;
    *p = l->next;
    hostsock_close(l->fd);
    l->fd = -1;
    l->tcp = NULL;
    if (!l->retrying)
        sock_watch_release(&l->watch);
    mirage_release();
}

/* A listener of port on a socket of family bound to addr, with what
 * proto says (device, port, keepalive, handler); placed at *p. 0 or an
 * error. */
static int listener_start(struct listener **p, enum hostsock_family family,
                          const struct mirage_ipaddr *addr,
                          const struct listener *proto)
{
    struct listener *l = calloc(1, sizeof(*l));
    if (!l)
        return MIRAGE_ENOMEM;
    *l = *proto;
    l->fd = hostsock_open(HOSTSOCK_TCP, family, &l->watch);
    if (l->fd < 0) {
        int err = l->fd;
        free(l);
        return err;
    }
    int err =
        hostsock_bind(l->fd, &(struct hostsock_addr){*addr, proto->port}, true);
    if (!err)
        err = hostsock_listen(l->fd, BACKLOG);
    if (err) {
        listener_destroy(&l->watch);
        return err;
    }
    l->next = *p;
    *p = l;
    mirage_hold();
    return 0;
}

static int tcp_listen(struct mirage_tcp *dev, uint16_t port,
                      const struct mirage_tcp_keepalive *ka,
                      mirage_tcp_handler handler, void *arg)
{
    struct socket_tcp *t = (struct socket_tcp *)dev;
    if (port == 0 || !handler)
        return MIRAGE_EINVAL;
    if (ka && (ka->interval_ns == 0 || ka->probes == 0))
        return MIRAGE_EINVAL;
    struct listener **p = find(&t->listeners, port);
    if (*p)
        return MIRAGE_EINUSE;
    struct listener proto = {
        .watch = {.ready = listener_ready, .destroy = listener_destroy},
        .tcp = t,
        .port = port,
        .keepalive = ka != NULL,
        .ka = ka ? *ka : (struct mirage_tcp_keepalive){0},
        .handler = handler,
        .arg = arg,
    };
    enum hostsock_family family[2];
    struct mirage_ipaddr addr[2];
    size_t n = sock_bind_listeners(&t->bind, family, addr);
    for (size_t i = 0; i < n; i++) {
        int err = listener_start(p, family[i], &addr[i], &proto);
        if (err) {
            while (*(p = find(p, port)))
                listener_stop(p);
            return err;
        }
    }
    return 0;
}

static int tcp_unlisten(struct mirage_tcp *dev, uint16_t port)
{
    struct socket_tcp *t = (struct socket_tcp *)dev;
    struct listener **p = find(&t->listeners, port);
    if (!*p)
        return MIRAGE_ENOENT;
    while (*(p = find(p, port)))
        listener_stop(p);
    return 0;
}

static int tcp_listen_stack(struct mirage_tcp *dev, uint16_t port,
                            size_t stack_size)
{
    struct listener **p = find(&((struct socket_tcp *)dev)->listeners, port);
    if (!*p)
        return MIRAGE_ENOENT;
    for (; *p; p = &(*p)->next)
        if ((*p)->port == port)
            (*p)->stack_size = stack_size;
    return 0;
}

static const struct mirage_tcp_stats *tcp_stats(struct mirage_tcp *dev)
{
    return &((struct socket_tcp *)dev)->stats;
}

static const struct mirage_flow_ops socket_flow_ops = {
    .read = tcp_read,
    .writev = tcp_writev,
    .shutdown = tcp_shutdown,
    .close = tcp_close,
};

static const struct mirage_tcp_ops socket_tcp_ops = {
    .connect = tcp_connect,
    .listen = tcp_listen,
    .unlisten = tcp_unlisten,
    .listen_stack = tcp_listen_stack,
    .keepalive = tcp_keepalive,
    .nodelay = tcp_nodelay,
    .endpoints = tcp_endpoints,
    .stats = tcp_stats,
};

int mirage_tcp_connect_socket(struct mirage_tcp **out, const char *ipv4,
                              const char *ipv6, bool ipv4_only, bool ipv6_only)
{
    struct sock_bind bind;
    int err = sock_device_start(ipv4, ipv6, ipv4_only, ipv6_only, &bind);
    if (err)
        return err;
    struct socket_tcp *t = calloc(1, sizeof(*t));
    if (!t)
        return MIRAGE_ENOMEM;
    t->dev.ops = &socket_tcp_ops;
    t->bind = bind;
    *out = &t->dev;
    return 0;
}
