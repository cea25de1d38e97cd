/* The direct TCP device (tcp.h) over an IP device: blocking flows on top
 * of the event-driven engine. Fibers blocked on a flow wait in its wait
 * queue and re-check their condition whenever the engine notifies the
 * connection; one fiber per device sleeps until the engine's earliest
 * timer and runs the timers. */
#include "conn.h"

#include <limits.h>
#include <mirage/error.h>
#include <mirage/fiber.h>
#include <mirage/rt.h>
#include <stdlib.h>

struct direct {
    struct mirage_tcp tcp; /* first: the device is a struct direct */
    struct tcp_engine eng;
    struct mirage_waitq timer_wq;
    bool stopping; /* disconnected: the timer fiber frees the device */
};

/* What a listener runs for each connection. */
struct listen_ctx {
    mirage_tcp_handler handler;
    void *arg;
    size_t stack_size; /* of the handlers' fibers; 0: the default */
};

struct flow {
    struct mirage_tcp_flow pub; /* first */
    struct tcp_conn *conn;      /* NULL once closed */
    struct mirage_waitq wq;     /* every fiber blocked on the flow */
    bool in_handler;            /* freed when its handler returns */
    struct listen_ctx run;      /* the handler, for accepted flows */
};

static struct direct *direct_of(struct tcp_engine *e)
{
    return (struct direct *)((char *)e - offsetof(struct direct, eng));
}

static const struct mirage_flow_ops flow_ops; /* below */

static struct flow *flow_new(struct direct *d, struct tcp_conn *c)
{
    struct flow *f = calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->pub.flow.ops = &flow_ops;
    f->pub.tcp = &d->tcp;
    f->conn = c;
    mirage_waitq_init(&f->wq);
    if (c)
        c->user_data = f;
    return f;
}

/* ---- engine hooks ---- */

static void hook_notify(struct tcp_conn *c)
{
    struct flow *f = c->user_data;
    if (f)
        mirage_waitq_wake_all(&f->wq);
}

static void hook_timer_changed(struct tcp_engine *e)
{
    mirage_waitq_wake_one(&direct_of(e)->timer_wq);
}

static void flow_close(struct mirage_flow *pub)
{
    struct flow *f = (struct flow *)pub;
    if (f->conn) {
        f->conn->user_data = NULL;
        tcp_conn_close(f->conn);
        f->conn = NULL;
    }
    if (!f->in_handler)
        free(f);
}

static int handler_main(void *arg)
{
    struct flow *f = arg;
    f->run.handler(f->run.arg, &f->pub);
    f->in_handler = false;
    flow_close(&f->pub.flow);
    return 0;
}

static bool hook_accepted(struct tcp_listener *l, struct tcp_conn *c)
{
    struct flow *f = flow_new(direct_of(l->eng), c);
    if (!f)
        return false;
    f->in_handler = true;
    f->run = *(struct listen_ctx *)l->user;
    struct mirage_fiber *fib =
        mirage_fiber_spawn(handler_main, f, f->run.stack_size);
    if (!fib) {
        c->user_data = NULL;
        free(f);
        return false;
    }
    mirage_fiber_set_name(fib, "tcp port %u", l->port);
    mirage_fiber_detach(fib);
    return true;
}

static int timer_main(void *arg)
{
    struct direct *d = arg;
    while (!d->stopping) {
        mirage_waitq_wait(&d->timer_wq, tcp_engine_deadline(&d->eng));
        if (!d->stopping)
            tcp_engine_run_timers(&d->eng, mirage_now());
    }
    free(d);
    return 0;
}

/* ---- device operations ---- */

static int direct_connect(struct mirage_tcp *t, const struct mirage_ipaddr *dst,
                          uint16_t port, uint64_t deadline,
                          struct mirage_tcp_flow **out)
{
    struct direct *d = (struct direct *)t;
    struct flow *f = flow_new(d, NULL);
    if (!f)
        return MIRAGE_ENOMEM;
    struct tcp_conn *c;
    int err = tcp_conn_connect(&d->eng, 0, dst, port, &c);
    if (err) {
        free(f);
        return err;
    }
    f->conn = c;
    c->user_data = f;
    while (!tcp_conn_connected(c) && !err)
        err = mirage_waitq_wait(&f->wq, deadline);
    if (!err)
        err = c->err;
    if (err) {
        flow_close(&f->pub.flow);
        return err;
    }
    *out = &f->pub;
    return 0;
}

static int direct_listen(struct mirage_tcp *t, uint16_t port,
                         const struct mirage_tcp_keepalive *ka,
                         mirage_tcp_handler handler, void *arg)
{
    struct direct *d = (struct direct *)t;
    if (!handler || (ka && (!ka->interval_ns || !ka->probes)))
        return MIRAGE_EINVAL;
    struct listen_ctx *ctx = malloc(sizeof *ctx);
    if (!ctx)
        return MIRAGE_ENOMEM;
    *ctx = (struct listen_ctx){.handler = handler, .arg = arg};
    struct tcp_listener *l;
    int err = tcp_listen(&d->eng, port, ka, ctx, &l);
    if (err)
        free(ctx);
    else
        mirage_hold();
    return err;
}

static struct tcp_listener *listener(struct direct *d, uint16_t port)
{
    struct tcp_listener *l = d->eng.listeners;
    while (l && l->port != port)
        l = l->next;
    return l;
}

static int direct_unlisten(struct mirage_tcp *t, uint16_t port)
{
    struct direct *d = (struct direct *)t;
    struct tcp_listener *l = listener(d, port);
    if (!l)
        return MIRAGE_ENOENT;
    free(l->user);
    mirage_release();
    return tcp_unlisten(&d->eng, port);
}

static int direct_listen_stack(struct mirage_tcp *t, uint16_t port,
                               size_t stack_size)
{
    struct tcp_listener *l = listener((struct direct *)t, port);
    if (!l)
        return MIRAGE_ENOENT;
    ((struct listen_ctx *)l->user)->stack_size = stack_size;
    return 0;
}

/* A read, with data NULL, or a view read (flow.h). */
static long read_common(struct flow *f, const void **data, void *buf,
                        size_t len, uint64_t deadline)
{
    if (len == 0)
        return MIRAGE_EINVAL;
    for (;;) {
        if (!f->conn)
            return MIRAGE_ECLOSED;
        long n = data ? tcp_conn_recv_view(f->conn, data, buf, len)
                      : tcp_conn_recv(f->conn, buf, len);
        if (n != MIRAGE_EAGAIN)
            return n;
        /* While it waits, data arriving in order may land in buf, or be
         * kept in its frame for a view. */
        bool lent = tcp_conn_lend(f->conn, buf, len, data != NULL);
        int err = mirage_waitq_wait(&f->wq, deadline);
        size_t got = lent && f->conn ? tcp_conn_unlend(f->conn) : 0;
        if (got) {
            if (data)
                *data = buf;
            return (long)got;
        }
        if (err)
            return err;
    }
}

static long flow_read(struct mirage_flow *pub, void *buf, size_t len,
                      uint64_t deadline)
{
    return read_common((struct flow *)pub, NULL, buf, len, deadline);
}

static long flow_read_view(struct mirage_flow *pub, const void **data,
                           void *buf, size_t len, uint64_t deadline)
{
    return read_common((struct flow *)pub, data, buf, len, deadline);
}

static long flow_writev(struct mirage_flow *pub, const struct mirage_iovec *iov,
                        size_t n, uint64_t deadline)
{
    struct flow *f = (struct flow *)pub;
    size_t total = 0;
    for (size_t i = 0; i < n; i++) {
        const uint8_t *p = iov[i].base;
        size_t left = iov[i].len;
        while (left) {
            if (!f->conn)
                return MIRAGE_ECLOSED;
            long k = tcp_conn_send(f->conn, p, left);
            if (k < 0)
                return k;
            if (k == 0) {
                int err = mirage_waitq_wait(&f->wq, deadline);
                if (err)
                    return total ? (long)(total > LONG_MAX ? LONG_MAX : total)
                                 : err;
                continue;
            }
            p += k;
            left -= (size_t)k;
            total += (size_t)k;
        }
    }
    return total > LONG_MAX ? LONG_MAX : (long)total;
}

static int flow_shutdown(struct mirage_flow *pub, enum mirage_flow_shutdown how)
{
    struct flow *f = (struct flow *)pub;
    if (how < MIRAGE_FLOW_SHUT_READ || how > MIRAGE_FLOW_SHUT_RDWR)
        return MIRAGE_EINVAL;
    if (f->conn)
        tcp_conn_shutdown(f->conn, how & MIRAGE_FLOW_SHUT_READ,
                          how & MIRAGE_FLOW_SHUT_WRITE);
    mirage_waitq_wake_all(&f->wq);
    return 0;
}

static int flow_keepalive(struct mirage_tcp_flow *pub,
                          const struct mirage_tcp_keepalive *ka)
{
    struct flow *f = (struct flow *)pub;
    if (ka && (!ka->interval_ns || !ka->probes))
        return MIRAGE_EINVAL;
    if (f->conn)
        tcp_conn_set_keepalive(f->conn, ka);
    return 0;
}

static int flow_nodelay(struct mirage_tcp_flow *pub, bool on)
{
    struct flow *f = (struct flow *)pub;
    if (f->conn) {
        f->conn->nodelay = on;
        if (on)
            tcp_output(f->conn, mirage_now());
    }
    return 0;
}

static void flow_endpoints(struct mirage_tcp_flow *pub,
                           struct mirage_ipaddr *laddr, uint16_t *lport,
                           struct mirage_ipaddr *faddr, uint16_t *fport)
{
    struct tcp_conn *c = ((struct flow *)pub)->conn;
    if (laddr)
        *laddr = c->laddr;
    if (lport)
        *lport = c->lport;
    if (faddr)
        *faddr = c->faddr;
    if (fport)
        *fport = c->fport;
}

struct tcp_engine *tcp_direct_engine(struct mirage_tcp *t)
{
    return &((struct direct *)t)->eng;
}

static const struct mirage_tcp_stats *direct_stats(struct mirage_tcp *t)
{
    struct tcp_engine *e = &((struct direct *)t)->eng;
    e->stats.queue_bytes = e->bufs.used;
    e->stats.queue_bytes_peak = e->bufs.peak;
    return &e->stats;
}

static const struct mirage_flow_ops flow_ops = {
    .read = flow_read,
    .read_view = flow_read_view,
    .writev = flow_writev,
    .shutdown = flow_shutdown,
    .close = flow_close,
};

static const struct mirage_tcp_ops direct_ops = {
    .connect = direct_connect,
    .listen = direct_listen,
    .unlisten = direct_unlisten,
    .listen_stack = direct_listen_stack,
    .keepalive = flow_keepalive,
    .nodelay = flow_nodelay,
    .endpoints = flow_endpoints,
    .stats = direct_stats,
};

int mirage_tcp_connect_direct(struct mirage_tcp **out, struct mirage_ip *ip,
                              struct mirage_random *random)
{
    struct direct *d = calloc(1, sizeof *d);
    if (!d)
        return MIRAGE_ENOMEM;
    d->tcp.ops = &direct_ops;
    mirage_waitq_init(&d->timer_wq);
    static const struct tcp_hooks hooks = {
        .accepted = hook_accepted,
        .notify = hook_notify,
        .timer_changed = hook_timer_changed,
    };
    struct tcp_cfg cfg;
    tcp_cfg_default(&cfg);
    /* The queues may use a quarter of the heap beyond their floors. */
    cfg.mem_budget = mirage_heap_size() / 4;
    int err = tcp_engine_init(&d->eng, ip, random, &hooks, &cfg);
    struct mirage_fiber *timer = NULL;
    if (!err) {
        timer = mirage_fiber_spawn(timer_main, d, 0);
        if (!timer)
            err = MIRAGE_ENOMEM;
    }
    if (err) {
        tcp_engine_fini(&d->eng);
        free(d);
        return err;
    }
    mirage_fiber_detach(timer);
    struct mirage_ip_proto proto = {
        .input = tcp_engine_input,
        .error = tcp_engine_error,
        .arg = &d->eng,
    };
    mirage_ip_set_proto(ip, MIRAGE_IP_PROTO_TCP, &proto);
    *out = &d->tcp;
    return 0;
}

void mirage_tcp_disconnect_direct(struct mirage_tcp *t)
{
    struct direct *d = (struct direct *)t;
    mirage_ip_set_proto(d->eng.ip, MIRAGE_IP_PROTO_TCP, NULL);
    for (struct tcp_listener *l = d->eng.listeners; l; l = l->next) {
        free(l->user);
        mirage_release();
    }
    tcp_engine_fini(&d->eng);
    d->stopping = true;
    mirage_waitq_wake_one(&d->timer_wq);
}
