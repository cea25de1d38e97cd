/* The socket stack (MirageOS's socket_stackv4, socket_stackv4v6,
 * socket_udpv4, socket_tcpv4): UDP and TCP devices over the host
 * kernel's sockets, for the unix target only. They implement the same
 * interfaces as the direct stack (udp.h, tcp.h: same calls, same
 * blocking, deadlines and error codes), so an application runs on either.
 * The sockets are non-blocking and driven by the event loop: reads and
 * writes block the calling fiber until the host socket is ready or the
 * deadline passes, and listen runs each accepted flow's handler in its
 * own fiber.
 *
 * Differences from the direct stack, which the host kernel imposes:
 *  - `ipv4` is the address every socket binds to: NULL, "" or "0.0.0.0"
 *    for any address, else "A.B.C.D" or "A.B.C.D/N" as the --ipv4
 *    runtime argument gives it (the prefix length is ignored; the
 *    address must be one of the host's, or binding fails with
 *    MIRAGE_EINVAL);
 *  - a datagram for a port nobody listens on is answered by the host
 *    kernel, and a received datagram's peer->dst is the bound address
 *    (0.0.0.0 when bound to any);
 *  - a UDP write that the host's send buffer cannot take now fails with
 *    MIRAGE_EAGAIN (the direct stack queues it); one from a source port
 *    nobody listens on goes through a socket bound to that port for the
 *    datagram, which fails with MIRAGE_EINUSE when the host has the port
 *    in use;
 *  - UDP writes from port 0 share one source port the host chooses;
 *  - a listener that cannot accept (no descriptor or memory left) logs a
 *    warning and tries again every 100 ms;
 *  - the TCP statistics count only connections (active_opens,
 *    passive_opens, established): segments are the host kernel's;
 *  - keepalive times are rounded up to whole seconds.
 *
 * The stacks' net, ethernet, arp, ipv4 and ip members are NULL: the host
 * owns those layers. Devices live until exit. Connecting does not yield.
 * Errors of the connect functions: MIRAGE_EINVAL (bad `ipv4` text,
 * logged with the value), MIRAGE_ENOMEM, MIRAGE_EIO (the host's poller
 * could not be set up). Other targets have no host sockets: their
 * configurations cannot select these devices. */
#ifndef MIRAGE_SOCKET_H
#define MIRAGE_SOCKET_H

#include <mirage/stack.h>
#include <mirage/tcp.h>
#include <mirage/udp.h>

int mirage_udp_connect_socket(struct mirage_udp **out, const char *ipv4);
int mirage_tcp_connect_socket(struct mirage_tcp **out, const char *ipv4);
/* A stack (stackv4 or stackv4v6) of a socket UDP and a socket TCP device
 * bound to `ipv4`; IPv4 only for now, as the direct stack. */
int mirage_stack_connect_socket(struct mirage_stack **out, const char *ipv4);

#endif
