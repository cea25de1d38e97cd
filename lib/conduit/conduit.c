/* conduit_direct (conduit.h): TCP endpoints straight from the stack's TCP
 * device; TLS endpoints as a TLS session over such a connection. A TLS
 * flow handed to a listen handler is wrapped so that, as with TCP, a
 * flow the handler leaves open is closed when it returns. */
#include <mirage/conduit.h>
#include <mirage/error.h>
#include <mirage/fiber.h>
#include <mirage/log.h>
#include <stdlib.h>

MIRAGE_LOG_SRC(conduit_log, "conduit", "conduit listeners");

struct mirage_conduit {
    struct mirage_stack *stack;
    bool tls;
};

int mirage_conduit_connect_direct(struct mirage_conduit **out,
                                  struct mirage_stack *stack, bool tls)
{
    struct mirage_conduit *c = calloc(1, sizeof *c);
    if (!c)
        return MIRAGE_ENOMEM;
    c->stack = stack;
    c->tls = tls;
    *out = c;
    return 0;
}

/* ---- Listening ----------------------------------------------------------- */

/* A listener's state, given to each TCP handler. */
struct listener {
    struct mirage_conduit_server at;
    mirage_conduit_handler handler;
    void *arg;
};

/* The flow a TLS handler gets: the session, and whether the handler
 * closed it. */
struct handed {
    struct mirage_flow flow; /* first */
    struct mirage_flow *inner;
    bool closed;
};

static long handed_read(struct mirage_flow *f, void *buf, size_t len,
                        uint64_t deadline)
{
    return mirage_flow_read(((struct handed *)f)->inner, buf, len, deadline);
}

static long handed_writev(struct mirage_flow *f, const struct mirage_iovec *iov,
                          size_t n, uint64_t deadline)
{
    return mirage_flow_writev(((struct handed *)f)->inner, iov, n, deadline);
}

static int handed_shutdown(struct mirage_flow *f, enum mirage_flow_shutdown how)
{
    return mirage_flow_shutdown(((struct handed *)f)->inner, how);
}

static void handed_close(struct mirage_flow *f)
{
    struct handed *h = (struct handed *)f;
    if (!h->closed)
        mirage_flow_close(h->inner);
    h->closed = true;
}

static const struct mirage_flow_ops handed_ops = {
    .read = handed_read,
    .writev = handed_writev,
    .shutdown = handed_shutdown,
    .close = handed_close,
};

/* How long an accepted connection has for its TLS handshake. */
#define HANDSHAKE_TIME MIRAGE_SEC(30)

static int on_tcp(void *arg, struct mirage_tcp_flow *tcp)
{
    struct listener *l = arg;
    if (l->at.kind == MIRAGE_CONDUIT_TCP)
        return l->handler(l->arg, &tcp->flow);
    struct mirage_tls_flow *t;
    int err = mirage_tls_server_of_flow(l->at.tls, &tcp->flow,
                                        mirage_now() + HANDSHAKE_TIME, &t);
    if (err) {
        /* (tls.h logged the reason; the TCP flow is closed.) */
        mirage_log_src_info(&conduit_log, "port %u: TLS handshake: %s",
                            l->at.port, mirage_strerror(err));
        return 0;
    }
    struct handed h = {{&handed_ops}, &t->flow, false};
    l->handler(l->arg, &h.flow);
    handed_close(&h.flow);
    return 0;
}

int mirage_conduit_listen(struct mirage_conduit *c,
                          const struct mirage_conduit_server *at,
                          mirage_conduit_handler handler, void *arg)
{
    if (at->kind == MIRAGE_CONDUIT_TLS && (!c->tls || !at->tls))
        return MIRAGE_ENOTSUP;
    struct listener *l = malloc(sizeof *l);
    if (!l)
        return MIRAGE_ENOMEM;
    l->at = *at;
    l->handler = handler;
    l->arg = arg;
    int err = mirage_tcp_listen(c->stack->tcp, at->port, NULL, on_tcp, l);
    if (err)
        free(l);
    return err;
}

/* ---- Connecting --------------------------------------------------------- */

int mirage_conduit_connect(struct mirage_conduit *c,
                           const struct mirage_conduit_client *to,
                           uint64_t deadline, struct mirage_flow **out)
{
    if (to->kind == MIRAGE_CONDUIT_TLS && (!c->tls || !to->tls))
        return MIRAGE_ENOTSUP;
    struct mirage_tcp_flow *tcp;
    int err =
        mirage_tcp_connect(c->stack->tcp, &to->addr, to->port, deadline, &tcp);
    if (err)
        return err;
    if (to->kind == MIRAGE_CONDUIT_TCP) {
        *out = &tcp->flow;
        return 0;
    }
    struct mirage_tls_flow *t;
    err =
        mirage_tls_client_of_flow(to->tls, to->host, &tcp->flow, deadline, &t);
    if (err)
        return err;
    *out = &t->flow;
    return 0;
}
