/* The socket stack (lib/socket, entries in lib/socket/config.c;
 * <mirage/socket.h>): UDP and TCP over the host kernel's IPv4 and IPv6
 * sockets, the unix-only host service of <mirage/hostsock.h>, so the
 * devices support the unix target alone. Part of <mirage/config.h>;
 * include that. */
#ifndef MIRAGE_CONFIG_SOCKET_H
#define MIRAGE_CONFIG_SOCKET_H

/* The stacks take MirageOS's runtime arguments (.group names them
 * --GROUP-ipv4 ...; the options of <mirage/config/net.h>):
 *  --ipv4=A.B.C.D/N  the IPv4 address the sockets bind to (default
 *                    0.0.0.0/0: any address);
 *  --ipv6=ADDR/N     the IPv6 one (default none: any address);
 *  --ipv4-only, --ipv6-only  serve one family alone (both: an error at
 *                    boot).
 * socket_stackv4(...): IPv4 alone (--ipv4).
 * Example (unix): socket_stackv4()
 * socket_stackv6(...): IPv6 alone (--ipv6); its sockets are IPv6-only.
 * Example (unix): socket_stackv6()
 * Example (unix): socket_stackv6(.group = "lan")
 * socket_stackv4v6(...): both families (--ipv4, --ipv6, --ipv4-only,
 * --ipv6-only): on any address of both, one dual socket per listened
 * port takes IPv4 peers as v4-mapped addresses, which the application
 * sees as IPv4; else one socket per family (see <mirage/socket.h>).
 * Example (unix): socket_stackv4v6(.group = "lan")
 * socket_udpv4(ip), socket_tcpv4(ip): a UDP or TCP device of IPv4
 * alone bound to the address ip ("A.B.C.D"; NULL: any), of type
 * udpv4v6_typ / tcpv4v6_typ (one type for UDP, one for TCP, whatever
 * the families).
 * Example (unix): socket_udpv4("127.0.0.1")
 * Example (unix): socket_tcpv4(NULL)
 * socket_udpv6(ip), socket_tcpv6(ip): the same for IPv6 alone, bound to
 * ip (an IPv6 address such as "::1"; NULL: any).
 * Example (unix): socket_udpv6("::1")
 * Example (unix): socket_tcpv6(NULL)
 * socket_udpv4v6(ip4, ip6, ...), socket_tcpv4v6(ip4, ip6, ...): both
 * families, bound to ip4 and ip6 (NULL: any), reading --ipv4-only and
 * --ipv6-only (.group: --GROUP-ipv4-only ...). The addresses are fixed
 * at configure time (MirageOS lets --ipv4 and --ipv6 override them),
 * as those of socket_udpv4 and socket_tcpv4, and are checked then: an
 * address of the other family is an error.
 * Example (unix): socket_udpv4v6("127.0.0.1", "::1")
 * Example (unix): socket_tcpv4v6(NULL, NULL, .group = "lan") */
#define socket_stackv4(...)                                                    \
    MIRAGE_ENTRY_(mirage_socket_stack_(MIRAGE_NET_OPTS_(__VA_ARGS__), false))
#define socket_stackv6(...)                                                    \
    MIRAGE_ENTRY_(mirage_socket_stackv6_(MIRAGE_NET_OPTS_(__VA_ARGS__)))
#define socket_stackv4v6(...)                                                  \
    MIRAGE_ENTRY_(mirage_socket_stack_(MIRAGE_NET_OPTS_(__VA_ARGS__), true))
#define socket_udpv4(ip)                                                       \
    MIRAGE_ENTRY_(                                                             \
        mirage_socket_udp_(MIRAGE_NET_OPTS_(), (ip), NULL, true, false))
#define socket_tcpv4(ip)                                                       \
    MIRAGE_ENTRY_(                                                             \
        mirage_socket_tcp_(MIRAGE_NET_OPTS_(), (ip), NULL, true, false))
#define socket_udpv6(ip)                                                       \
    MIRAGE_ENTRY_(                                                             \
        mirage_socket_udp_(MIRAGE_NET_OPTS_(), NULL, (ip), false, true))
#define socket_tcpv6(ip)                                                       \
    MIRAGE_ENTRY_(                                                             \
        mirage_socket_tcp_(MIRAGE_NET_OPTS_(), NULL, (ip), false, true))
#define socket_udpv4v6(ip4, ip6, ...)                                          \
    MIRAGE_ENTRY_(mirage_socket_udp_(MIRAGE_NET_OPTS_(__VA_ARGS__), (ip4),     \
                                     (ip6), true, true))
#define socket_tcpv4v6(ip4, ip6, ...)                                          \
    MIRAGE_ENTRY_(mirage_socket_tcp_(MIRAGE_NET_OPTS_(__VA_ARGS__), (ip4),     \
                                     (ip6), true, true))

/* v4v6: the stackv4v6 form, else stackv4. */
impl *mirage_socket_stack_(struct mirage_net_opts o, bool v4v6);
impl *mirage_socket_stackv6_(struct mirage_net_opts o);
/* A UDP / TCP device of IPv4 (v4), IPv6 (v6) or both, bound to the
 * fixed addresses ip4 and ip6 (NULL: any). */
impl *mirage_socket_udp_(struct mirage_net_opts o, const char *ip4,
                         const char *ip6, bool v4, bool v6);
impl *mirage_socket_tcp_(struct mirage_net_opts o, const char *ip4,
                         const char *ip6, bool v4, bool v6);

#endif
