/* conduit_direct with TLS: TLS endpoints are a TLS session (tls.h) over a
 * TCP connection of the stack. A session handed to a listen handler is
 * wrapped so that, as with TCP, a flow the handler leaves open is closed
 * when it returns. */
#include "internal.h"

#include <mirage/error.h>
#include <mirage/fiber.h>
#include <mirage/log.h>

/* How long an accepted connection has for its TLS handshake. */
#define HANDSHAKE_TIME MIRAGE_SEC(30)

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

static void serve(const struct mirage_conduit_server *at,
                  struct mirage_tcp_flow *tcp, mirage_conduit_handler handler,
                  void *arg)
{
    struct mirage_tls_flow *t;
    int err = mirage_tls_server_of_flow(at->tls, &tcp->flow,
                                        mirage_now() + HANDSHAKE_TIME, &t);
    if (err) {
        /* (tls.h logged the reason; the TCP flow is closed.) */
        mirage_log_src_info(&conduit_log, "port %u: TLS handshake: %s",
                            at->port, mirage_strerror(err));
        return;
    }
    struct handed h = {{&handed_ops}, &t->flow, false};
    handler(arg, &h.flow);
    handed_close(&h.flow);
}

static int tls_connect(const struct mirage_conduit_client *to,
                       struct mirage_tcp_flow *tcp, uint64_t deadline,
                       struct mirage_flow **out)
{
    struct mirage_tls_flow *t;
    int err =
        mirage_tls_client_of_flow(to->tls, to->host, &tcp->flow, deadline, &t);
    if (!err)
        *out = &t->flow;
    return err;
}

static const struct conduit_tls_ops tls_ops = {serve, tls_connect};

int mirage_conduit_connect_direct_tls(struct mirage_conduit **out,
                                      struct mirage_stack *stack)
{
    return conduit_create(out, stack, &tls_ops);
}
