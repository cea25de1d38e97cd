/* TCP (lib/tcp, entry in lib/tcp/config.c; <mirage/tcp.h>). Part of
 * <mirage/config.h>; include that. */
#ifndef MIRAGE_CONFIG_TCP_H
#define MIRAGE_CONFIG_TCP_H

/* tcpv4v6_typ, tcpv6_typ: struct mirage_tcp * (over both families, over
 * IPv6). */
#define tcpv4v6_typ                                                            \
    typ_new("tcpv4v6", "struct mirage_tcp *", .header = "mirage/tcp.h")
#define tcpv6_typ                                                              \
    typ_new("tcpv6", "struct mirage_tcp *", .header = "mirage/tcp.h")

/* direct_tcp(ip, ...): TCP over an IP device: a v4v6 one (tcpv4v6_typ),
 * whose listeners take both families, or an IPv6 one (tcpv6_typ);
 * .random as in <mirage/config/net.h>.
 * Example: direct_tcp(create_ipv4v6(create_ipv4(etif(default_network()),
 *     arp(etif(default_network()))),
 *     create_ipv6(default_network(), etif(default_network()))),
 *     .random = default_random())
 * Example: direct_tcp(create_ipv6(default_network(), etif(default_network())))
 */
#define direct_tcp(ip, ...)                                                    \
    MIRAGE_ENTRY_(mirage_direct_tcp_(MIRAGE_NET_OPTS_(__VA_ARGS__), (ip)))

impl *mirage_direct_tcp_(struct mirage_net_opts o, impl *ip);

#endif
