/* Conduit (MirageOS Conduit_mirage): one interface that listens and
 * connects over TCP or TLS and hands out flows (flow.h), so that an
 * application written against flows serves or reaches either by its
 * endpoint alone.
 *
 * A conduit is made over a stack (conduit_direct in the catalogue); with
 * TLS (conduit_direct's `tls` flag: mirage_conduit_connect_direct_tls) it
 * also takes TLS endpoints, each with the TLS configuration of tls.h that
 * applies to it. Without TLS a TLS endpoint is MIRAGE_ENOTSUP, and the
 * image links no TLS code.
 *
 * Yielding: mirage_conduit_connect may yield (the TCP connection and, for
 * TLS, the handshake; until the deadline, an absolute monotonic time as
 * in fiber.h). listen does not yield; its handler runs in a fiber of its
 * own per connection. Errors are those of tcp.h and tls.h. */
#ifndef MIRAGE_CONDUIT_H
#define MIRAGE_CONDUIT_H

#include <mirage/flow.h>
#include <mirage/ipaddr.h>
#include <mirage/stack.h>
#include <mirage/tls.h>
#include <stdbool.h>
#include <stdint.h>

enum mirage_conduit_kind { MIRAGE_CONDUIT_TCP, MIRAGE_CONDUIT_TLS };

/* Where to listen: a TCP port, and for TLS the server configuration
 * (which must outlive the listener). */
struct mirage_conduit_server {
    enum mirage_conduit_kind kind;
    uint16_t port;
    struct mirage_tls_server_config *tls;
};

/* Where to connect: an address and port, and for TLS the client
 * configuration and the server's name (tls.h's host). */
struct mirage_conduit_client {
    enum mirage_conduit_kind kind;
    struct mirage_ipaddr addr;
    uint16_t port;
    struct mirage_tls_client_config *tls;
    const char *host;
};

struct mirage_conduit;

/* A listen handler: runs in its own fiber for each accepted connection
 * (after the TLS handshake, for TLS; a failed handshake is logged and
 * never reaches the handler). The handler owns the flow: it may close
 * it, and a flow still open when the handler returns is closed then. The
 * return value is ignored. */
typedef int (*mirage_conduit_handler)(void *arg, struct mirage_flow *flow);

/* Accept connections at the endpoint, each handed to handler(arg, flow).
 * 0; MIRAGE_ENOTSUP (a TLS endpoint on a conduit without TLS, or no TLS
 * configuration); the errors of mirage_tcp_listen. Does not yield. */
int mirage_conduit_listen(struct mirage_conduit *c,
                          const struct mirage_conduit_server *at,
                          mirage_conduit_handler handler, void *arg);
/* Stop accepting on port (connections already made go on), releasing
 * the listener's hold on the unikernel (fiber.h). 0 or MIRAGE_ENOENT.
 * Does not yield. */
int mirage_conduit_unlisten(struct mirage_conduit *c, uint16_t port);
/* Connect to the endpoint: *out is the flow (close it with
 * mirage_flow_close): the TCP flow's or the TLS session's own (so
 * (struct mirage_tls_flow *)*out gives mirage_tls_get_info). 0; MIRAGE_ENOTSUP
 * as for listen; the errors of mirage_tcp_connect and, for TLS, of
 * mirage_tls_client_of_flow. May yield. */
int mirage_conduit_connect(struct mirage_conduit *c,
                           const struct mirage_conduit_client *to,
                           uint64_t deadline, struct mirage_flow **out);

/* conduit_direct: a conduit over the stack's TCP; the _tls form also
 * takes TLS endpoints. 0 or MIRAGE_ENOMEM. Do not yield. */
int mirage_conduit_connect_direct(struct mirage_conduit **out,
                                  struct mirage_stack *stack);
int mirage_conduit_connect_direct_tls(struct mirage_conduit **out,
                                      struct mirage_stack *stack);
/* Stop every listener of c, then free it (its flows and running
 * handlers go on; the TLS configurations stay the caller's). Does not
 * yield. */
void mirage_conduit_free(struct mirage_conduit *c);

#endif
