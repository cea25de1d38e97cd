/* The socket stack (MirageOS's socket_stackv4, socket_stackv6,
 * socket_stackv4v6, socket_udpv4, socket_udpv6, socket_udpv4v6,
 * socket_tcpv4, socket_tcpv6, socket_tcpv4v6): UDP and TCP devices over
 * the host kernel's IPv4 and IPv6 sockets, for the unix target only.
 * They implement the same interfaces as the direct stack (udp.h, tcp.h:
 * same calls, same blocking, deadlines and error codes), so an
 * application runs on either. The sockets are non-blocking and driven by
 * the event loop: reads and writes block the calling fiber until the host
 * socket is ready or the deadline passes, and listen runs each accepted
 * flow's handler in its own fiber.
 *
 * Families and addresses, as MirageOS's socket stacks (its runtime
 * arguments --ipv4, --ipv6, --ipv4-only and --ipv6-only give them):
 *  - `ipv4` is the IPv4 address the sockets bind to: NULL, "" or
 *    "0.0.0.0" for any address, else "A.B.C.D" or "A.B.C.D/N" (the
 *    prefix length is ignored); `ipv6` the IPv6 one: NULL, "" or "::"
 *    for any, else an IPv6 address, optionally "/N" (N at most 128,
 *    ignored). Either must be one of the host's addresses, or binding
 *    fails with MIRAGE_EINVAL;
 *  - `ipv4_only` serves IPv4 alone (stackv4, udpv4, tcpv4), `ipv6_only`
 *    IPv6 alone (stackv6, udpv6, tcpv6); both set is MIRAGE_EINVAL;
 *  - serving both families on any address, a listen (TCP or UDP) opens
 *    one IPv6 socket with IPV6_V6ONLY cleared, which takes IPv4 peers as
 *    v4-mapped addresses; otherwise it opens one socket per family
 *    served, IPv6 ones with IPV6_V6ONLY set;
 *  - addresses the application sees (a flow's endpoints, a datagram's
 *    peer) are IPv4 for IPv4 peers, never v4-mapped; a v4-mapped address
 *    the application gives is taken as IPv4;
 *  - connect and write reach either family served, through a socket of
 *    the destination's family bound to that family's address; a
 *    destination of a family the device does not serve is
 *    MIRAGE_EUNREACH (as the direct stack without an address of that
 *    version), and an IPv6 peer connecting to a stack that does not
 *    serve IPv6 is refused by the host.
 *
 * Differences from the direct stack, which the host kernel imposes:
 *  - a datagram for a port nobody listens on is answered by the host
 *    kernel, and a received datagram's peer->dst is the bound address of
 *    its family (0.0.0.0 or :: when bound to any);
 *  - a UDP write that the host's send buffer cannot take now fails with
 *    MIRAGE_EAGAIN (the direct stack queues it); one from a source
 *    address or port nobody listens on goes through a socket bound to it
 *    for the datagram, which fails with MIRAGE_EINUSE when the host has
 *    the port in use; a UDP write's src must be of dst's family
 *    (MIRAGE_EINVAL) and, when the device is bound to an address of that
 *    family, be that address;
 *  - UDP writes from port 0 share one source port per family that the
 *    host chooses;
 *  - a listener that cannot accept (no descriptor or memory left) logs a
 *    warning and tries again every 100 ms;
 *  - the TCP statistics count only connections (active_opens,
 *    passive_opens, established): segments are the host kernel's;
 *  - keepalive times are rounded up to whole seconds.
 *
 * The stacks' net, ethernet, arp, ipv4 and ip members are NULL: the host
 * owns those layers. Devices live until exit. Connecting does not yield.
 * Errors of the connect functions: MIRAGE_EINVAL (bad `ipv4` or `ipv6`
 * text, an address of the other family, a v4-mapped `ipv6`, or both
 * ipv4_only and ipv6_only: logged, with the value), MIRAGE_ENOMEM,
 * MIRAGE_EIO (the host's poller could not be set up). Other targets have
 * no host sockets: their configurations cannot select these devices. */
#ifndef MIRAGE_SOCKET_H
#define MIRAGE_SOCKET_H

#include <mirage/stack.h>
#include <mirage/tcp.h>
#include <mirage/udp.h>
#include <stdbool.h>

int mirage_udp_connect_socket(struct mirage_udp **out, const char *ipv4,
                              const char *ipv6, bool ipv4_only, bool ipv6_only);
int mirage_tcp_connect_socket(struct mirage_tcp **out, const char *ipv4,
                              const char *ipv6, bool ipv4_only, bool ipv6_only);
/* A stack (stackv4, stackv6 or stackv4v6) of a socket UDP and a socket
 * TCP device with those arguments. */
int mirage_stack_connect_socket(struct mirage_stack **out, const char *ipv4,
                                const char *ipv6, bool ipv4_only,
                                bool ipv6_only);

#endif
