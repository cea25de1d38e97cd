/* conduit_direct (conduit.h): TCP endpoints straight from the stack's TCP
 * device; TLS endpoints through the table of tls.c when the conduit was
 * made with TLS. */
#include "internal.h"

#include <mirage/error.h>
#include <mirage/log.h>
#include <stdlib.h>

struct mirage_log_src conduit_log = {"conduit", "conduit listeners", -1, 0};

int conduit_create(struct mirage_conduit **out, struct mirage_stack *stack,
                   const struct conduit_tls_ops *tls)
{
    struct mirage_conduit *c = calloc(1, sizeof *c);
    if (!c)
        return MIRAGE_ENOMEM;
    c->stack = stack;
    c->tls = tls;
    *out = c;
    return 0;
}

int mirage_conduit_connect_direct(struct mirage_conduit **out,
                                  struct mirage_stack *stack)
{
    return conduit_create(out, stack, NULL);
}

/* ---- Listening ----------------------------------------------------------- */

/* A listener's state, given to each TCP handler (which copies it first);
 * a conduit's listeners are a list, kept until the conduit is freed. */
struct listener {
    struct listener *next;
    struct mirage_conduit_server at;
    const struct conduit_tls_ops *tls;
    mirage_conduit_handler handler;
    void *arg;
    bool listening;
};

static int on_tcp(void *arg, struct mirage_tcp_flow *tcp)
{
    struct listener l = *(struct listener *)arg;
    if (l.at.kind == MIRAGE_CONDUIT_TCP)
        return l.handler(l.arg, &tcp->flow);
    l.tls->serve(&l.at, tcp, l.handler, l.arg);
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
    *l = (struct listener){c->listeners, *at, c->tls, handler, arg, true};
    int err = mirage_tcp_listen(c->stack->tcp, at->port, NULL, on_tcp, l);
    if (err)
        free(l);
    else
        c->listeners = l;
    return err;
}

int mirage_conduit_unlisten(struct mirage_conduit *c, uint16_t port)
{
    for (struct listener *l = c->listeners; l; l = l->next)
        if (l->listening && l->at.port == port) {
            l->listening = false;
            return mirage_tcp_unlisten(c->stack->tcp, port);
        }
    return MIRAGE_ENOENT;
}

void mirage_conduit_free(struct mirage_conduit *c)
{
    while (c->listeners) {
        struct listener *l = c->listeners;
        if (l->listening)
            mirage_tcp_unlisten(c->stack->tcp, l->at.port);
        c->listeners = l->next;
        free(l);
    }
    free(c);
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
    return c->tls->connect(to, tcp, deadline, out);
}
