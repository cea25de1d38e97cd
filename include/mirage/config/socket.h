/* The socket stack (lib/socket, entries in lib/socket/config.c;
 * <mirage/socket.h>): UDP and TCP over the host kernel's sockets, the
 * unix-only host service of <mirage/hostsock.h>, so the devices support
 * the unix target alone. Part of <mirage/config.h>; include that. */
#ifndef MIRAGE_CONFIG_SOCKET_H
#define MIRAGE_CONFIG_SOCKET_H

/* socket_stackv4(...), socket_stackv4v6(...): stacks whose sockets bind
 * to the runtime argument --ipv4=A.B.C.D/N (default 0.0.0.0/0: any
 * address); .group names it --GROUP-ipv4 instead (the options of
 * <mirage/config/net.h>).
 * Example (unix): socket_stackv4()
 * Example (unix): socket_stackv4v6(.group = "lan")
 * socket_udpv4(ip), socket_tcpv4(ip): a UDP or TCP device bound to the
 * address ip ("A.B.C.D"; NULL: any address), of type udpv4v6_typ /
 * tcpv4v6_typ.
 * Example (unix): socket_udpv4("127.0.0.1")
 * Example (unix): socket_tcpv4(NULL) */
#define socket_stackv4(...)                                                    \
    MIRAGE_ENTRY_(mirage_socket_stack_(MIRAGE_NET_OPTS_(__VA_ARGS__), false))
#define socket_stackv4v6(...)                                                  \
    MIRAGE_ENTRY_(mirage_socket_stack_(MIRAGE_NET_OPTS_(__VA_ARGS__), true))
#define socket_udpv4(ip) MIRAGE_ENTRY_(mirage_socket_udpv4_(ip))
#define socket_tcpv4(ip) MIRAGE_ENTRY_(mirage_socket_tcpv4_(ip))

/* v4v6: the stackv4v6 form, else stackv4. */
impl *mirage_socket_stack_(struct mirage_net_opts o, bool v4v6);
impl *mirage_socket_udpv4_(const char *ip);
impl *mirage_socket_tcpv4_(const char *ip);

#endif
