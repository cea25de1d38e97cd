/* The network stack below TCP (lib/net, entries in lib/net/config.c):
 * network interfaces, Ethernet, ARP, IPv4 and UDP, as MirageOS names
 * them; <mirage/net.h>, <mirage/ethernet.h>, <mirage/arp.h>,
 * <mirage/ip.h>, <mirage/udp.h>. Part of <mirage/config.h>; include
 * that. */
#ifndef MIRAGE_CONFIG_NET_H
#define MIRAGE_CONFIG_NET_H

/* network_typ: struct mirage_net *; ethernet_typ: struct mirage_ethernet
 * *; arpv4_typ: struct mirage_arp *; ipv4_typ: struct mirage_ipv4 *;
 * ipv4v6_typ: struct mirage_ip * (the generic IP device); udpv4v6_typ:
 * struct mirage_udp *. */
#define network_typ                                                            \
    typ_new("network", "struct mirage_net *", .header = "mirage/net.h")
#define ethernet_typ                                                           \
    typ_new("ethernet", "struct mirage_ethernet *",                            \
            .header = "mirage/ethernet.h")
#define arpv4_typ                                                              \
    typ_new("arpv4", "struct mirage_arp *", .header = "mirage/arp.h")
#define ipv4_typ                                                               \
    typ_new("ipv4", "struct mirage_ipv4 *", .header = "mirage/ip.h")
#define ipv4v6_typ                                                             \
    typ_new("ipv4v6", "struct mirage_ip *", .header = "mirage/ip.h")
#define udpv4v6_typ                                                            \
    typ_new("udpv4v6", "struct mirage_udp *", .header = "mirage/udp.h")

/* Options of the network devices (here and in <mirage/config/tcp.h>,
 * <mirage/config/stack.h>, <mirage/config/socket.h>): .group prefixes
 * their key and runtime arguments (--GROUP-ipv4 ...); .network and
 * .gateway are the defaults of --ipv4 ("A.B.C.D/N", default
 * 10.0.0.2/24) and --ipv4-gateway ("A.B.C.D", default none); .random
 * picks ephemeral ports and keys TCP's sequence numbers (default
 * default_random()). */
struct mirage_net_opts {
    const char *file_;
    int line_;
    const char *group;
    const char *network;
    const char *gateway;
    impl *random;
};
#define MIRAGE_NET_OPTS_(...)                                                  \
    (struct mirage_net_opts)                                                   \
    {                                                                          \
        .file_ = __FILE__, .line_ = __LINE__, __VA_ARGS__                      \
    }

/* default_network(): the network device; on unix the tap interface given
 * by the runtime argument --interface (default tap0), on hvt and spt the
 * manifest's device "service".
 * Example: default_network()
 * netif(name): the network device `name`: a tap interface on unix (1 to
 * 15 letters, digits and '_'), a manifest device on hvt and spt (letters
 * and digits only).
 * Example: netif("lan0")
 * etif(net), arp(eth): Ethernet over a network device, ARP over
 * Ethernet.
 * Example: etif(default_network())
 * Example: arp(etif(default_network()))
 * create_ipv4(eth, arp, ...): IPv4 configured by the runtime arguments
 * --ipv4 and --ipv4-gateway (.group, .network, .gateway).
 * Example: create_ipv4(etif(netif("lan0")), arp(etif(netif("lan0"))),
 *     .network = "192.168.1.2/24")
 * create_ipv4v6(ipv4): the v4v6 IP device over an IPv4 one (MirageOS
 * also takes an IPv6 device: IPv6 comes later).
 * Example: create_ipv4v6(create_ipv4(etif(default_network()),
 *     arp(etif(default_network()))))
 * direct_udp(ip, ...): UDP over a v4v6 IP device (.random).
 * Example: direct_udp(create_ipv4v6(create_ipv4(etif(default_network()),
 *     arp(etif(default_network()))))) */
#define default_network() MIRAGE_ENTRY_(mirage_default_network_())
#define netif(name)       MIRAGE_ENTRY_(mirage_netif_(name))
#define etif(net)         MIRAGE_ENTRY_(mirage_etif_(net))
#define arp(eth)          MIRAGE_ENTRY_(mirage_arp_(eth))
#define create_ipv4(eth, arp_, ...)                                            \
    MIRAGE_ENTRY_(                                                             \
        mirage_create_ipv4_(MIRAGE_NET_OPTS_(__VA_ARGS__), (eth), (arp_)))
#define create_ipv4v6(ipv4) MIRAGE_ENTRY_(mirage_create_ipv4v6_(ipv4))
#define direct_udp(ip, ...)                                                    \
    MIRAGE_ENTRY_(mirage_direct_udp_(MIRAGE_NET_OPTS_(__VA_ARGS__), (ip)))

impl *mirage_default_network_(void);
impl *mirage_netif_(const char *name);
impl *mirage_etif_(impl *net);
impl *mirage_arp_(impl *eth);
impl *mirage_create_ipv4_(struct mirage_net_opts o, impl *eth, impl *arp);
impl *mirage_create_ipv4v6_(impl *ipv4);
impl *mirage_direct_udp_(struct mirage_net_opts o, impl *ip);
/* For the entries of the families built on this one: o's random device;
 * a transport device `name` of type t over a v4v6 IP device, connected by
 * mirage_KIND_connect_direct(out, ip, random) of <mirage/KIND.h> in the
 * library `library`. */
impl *mirage_net_random_(const struct mirage_net_opts *o);
impl *mirage_net_transport_(struct mirage_net_opts o, const char *name, typ *t,
                            const char *kind, const char *library, impl *ip);

#endif
