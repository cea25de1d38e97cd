/* The conduit's parts (conduit.c, tls.c): TLS endpoints go through a table
 * that only mirage_conduit_connect_direct_tls (tls.c) fills, so a conduit
 * without TLS links no TLS code. */
#ifndef MIRAGE_CONDUIT_INTERNAL_H
#define MIRAGE_CONDUIT_INTERNAL_H

#include <mirage/conduit.h>
#include <mirage/log.h>

/* The "conduit" log source (conduit.c). */
extern struct mirage_log_src conduit_log;

struct conduit_tls_ops {
    /* Serve an accepted TCP connection of the listener at `at` over TLS:
     * the handshake, then handler(arg, session), then closing it. */
    void (*serve)(const struct mirage_conduit_server *at,
                  struct mirage_tcp_flow *tcp, mirage_conduit_handler handler,
                  void *arg);
    /* The client side of a handshake over tcp: mirage_tls_client_of_flow. */
    int (*connect)(const struct mirage_conduit_client *to,
                   struct mirage_tcp_flow *tcp, uint64_t deadline,
                   struct mirage_flow **out);
};

struct listener;
struct mirage_conduit {
    struct mirage_stack *stack;
    const struct conduit_tls_ops *tls; /* NULL: TCP only */
    struct listener *listeners;
};

int conduit_create(struct mirage_conduit **out, struct mirage_stack *stack,
                   const struct conduit_tls_ops *tls);

#endif
