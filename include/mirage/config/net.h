/* The network stack below TCP (lib/net, entries in lib/net/config.c):
 * network interfaces, Ethernet, ARP, IPv4, IPv6 and UDP, as MirageOS
 * names them; <mirage/net.h>, <mirage/ethernet.h>, <mirage/arp.h>,
 * <mirage/ip.h>, <mirage/ipv6.h>, <mirage/udp.h>. Part of
 * <mirage/config.h>; include that. */
#ifndef MIRAGE_CONFIG_NET_H
#define MIRAGE_CONFIG_NET_H

/* network_typ: struct mirage_net *; ethernet_typ: struct mirage_ethernet
 * *; arpv4_typ: struct mirage_arp *; ipv4_typ: struct mirage_ipv4 *;
 * ipv6_typ: struct mirage_ipv6 *; ipv4v6_typ: struct mirage_ip * (the
 * generic IP device); udpv4v6_typ: struct mirage_udp * (UDP over either
 * family or both: one C type); udpv6_typ: the same, of direct_udp over
 * an ipv6 device. */
#define network_typ                                                            \
    typ_new("network", "struct mirage_net *", .header = "mirage/net.h")
#define ethernet_typ                                                           \
    typ_new("ethernet", "struct mirage_ethernet *",                            \
            .header = "mirage/ethernet.h")
#define arpv4_typ                                                              \
    typ_new("arpv4", "struct mirage_arp *", .header = "mirage/arp.h")
#define ipv4_typ                                                               \
    typ_new("ipv4", "struct mirage_ipv4 *", .header = "mirage/ip.h")
#define ipv6_typ                                                               \
    typ_new("ipv6", "struct mirage_ipv6 *", .header = "mirage/ipv6.h")
#define ipv4v6_typ                                                             \
    typ_new("ipv4v6", "struct mirage_ip *", .header = "mirage/ip.h")
#define udpv4v6_typ                                                            \
    typ_new("udpv4v6", "struct mirage_udp *", .header = "mirage/udp.h")
#define udpv6_typ                                                              \
    typ_new("udpv6", "struct mirage_udp *", .header = "mirage/udp.h")

/* ipv4_config: MirageOS's record for a static IPv4 configuration, the
 * defaults of the runtime arguments --ipv4 and --ipv4-gateway: .network
 * "A.B.C.D/N" (the address and its network), .gateway "A.B.C.D" (NULL:
 * none). A gateway without a network is an error.
 *   ipv4_config lan = {.network = "10.1.0.2/16", .gateway = "10.1.0.1"};
 *   static_ipv4_stack(default_network(), .config = lan)
 * (A literal with both fields inside another macro's argument, such as
 * match_case's, needs parentheses around it: the preprocessor splits
 * arguments at commas between braces.) */
typedef struct {
    const char *network;
    const char *gateway;
} ipv4_config;

/* ipv6_config: MirageOS's record for a static IPv6 configuration, the
 * defaults of the runtime arguments --ipv6 and --ipv6-gateway: .network
 * "ADDRESS/N" (the address and its on-link prefix; NULL: none, the
 * link-local address and those router advertisements give), .gateway
 * "ADDRESS" (NULL: the routers of router advertisements). A gateway
 * without a network is allowed (SLAAC gives the address).
 *   ipv6_config lan = {.network = "2001:db8::2/64", .gateway = "fe80::1"};
 *   static_ipv6_stack(default_network(), .config = lan) */
typedef struct {
    const char *network;
    const char *gateway;
} ipv6_config;

/* Options of the network devices (here and in <mirage/config/tcp.h>,
 * <mirage/config/stack.h>, <mirage/config/socket.h>,
 * <mirage/config/dhcp.h>), MirageOS's optional arguments:
 *  .group       prefixes their keys and runtime arguments (--GROUP-ipv4
 *               ...);
 *  .config      the ipv4_config of the IPv4-only devices (create_ipv4,
 *               static_ipv4_stack, generic_stackv4); default network
 *               10.0.0.2/24, no gateway;
 *  .ipv4_config the same for the v4v6 stacks (static_ipv4v6_stack,
 *               generic_stackv4v6), as MirageOS names it there; each
 *               device takes the one its MirageOS signature has, and
 *               refuses the other;
 *  .ipv6_config the ipv6_config of the v4v6 stacks (the IPv6-only
 *               devices take theirs as .config: struct
 *               mirage_net6_opts below);
 *  .arp         the ARP device the stacks put over their Ethernet
 *               device (MirageOS's ?arp: a function from the Ethernet
 *               device to the ARP one; default arp(eth));
 *  .dhcp_key    the bool value choosing DHCP in generic_stackv4 and
 *               generic_stackv4v6 (default the configure key --dhcp,
 *               --GROUP-dhcp);
 *  .random      picks ephemeral ports, keys TCP's sequence numbers and
 *               DHCP's transaction IDs (default default_random()). */
struct mirage_net_opts {
    const char *file_;
    int line_;
    const char *group;
    ipv4_config config;
    ipv4_config ipv4_config;
    ipv6_config ipv6_config;
    impl *(*arp)(impl *eth);
    value *dhcp_key;
    impl *random;
};
#define MIRAGE_NET_OPTS_(...)                                                  \
    (struct mirage_net_opts)                                                   \
    {                                                                          \
        .file_ = __FILE__, .line_ = __LINE__, __VA_ARGS__                      \
    }

/* Options of the IPv6-only devices (create_ipv6, static_ipv6_stack,
 * generic_stackv6, direct_stackv6), MirageOS's: .group and .random as
 * above, .config their ipv6_config. */
struct mirage_net6_opts {
    const char *file_;
    int line_;
    const char *group;
    ipv6_config config;
    impl *random;
};
#define MIRAGE_NET6_OPTS_(...)                                                 \
    (struct mirage_net6_opts)                                                  \
    {                                                                          \
        .file_ = __FILE__, .line_ = __LINE__, __VA_ARGS__                      \
    }

/* default_network(): the network device; on unix the tap interface given
 * by the runtime argument --interface (default tap0), on hvt and spt the
 * manifest's device "service". The stack uses the checksum and TCP
 * segmentation offloads the device grants, unless the runtime argument
 * --net-offload=false turns them off.
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
 * --ipv4 and --ipv4-gateway (.group, .config).
 * Example: create_ipv4(etif(netif("lan0")), arp(etif(netif("lan0"))),
 *     .config = {.network = "192.168.1.2/24"})
 * Example: create_ipv4(etif(default_network()), arp(etif(default_network())),
 *     .group = "lan", .config = ((ipv4_config){"10.1.0.2/16", "10.1.0.1"}))
 * create_ipv6(net, eth, ...): IPv6 over Ethernet (<mirage/ipv6.h>),
 * configured by the runtime arguments --ipv6=ADDRESS/N (default
 * .config's network, else none), --ipv6-gateway=ADDRESS (default
 * .config's gateway, else none) and --accept-router-advertisements
 * (default true: routers and SLAAC from router advertisements); the
 * link-local address is always there (.group, .config, .random).
 * Example: create_ipv6(default_network(), etif(default_network()))
 * Example: create_ipv6(netif("lan0"), etif(netif("lan0")), .group = "lan",
 *     .config = {.network = "2001:db8::2/64", .gateway = "2001:db8::1"})
 * create_ipv4v6(ipv4, ipv6): the v4v6 IP device over both layers
 * (mirage_ip_connect_v4v6): each packet goes by its destination's
 * family, a transport over it listens on both.
 * Example: create_ipv4v6(create_ipv4(etif(default_network()),
 *     arp(etif(default_network()))),
 *     create_ipv6(default_network(), etif(default_network())))
 * direct_udp(ip, ...): UDP over an IP device: a v4v6 one (udpv4v6_typ)
 * or an IPv6 one (udpv6_typ) (.random).
 * Example: direct_udp(create_ipv4v6(create_ipv4(etif(default_network()),
 *     arp(etif(default_network()))),
 *     create_ipv6(default_network(), etif(default_network()))))
 * Example: direct_udp(create_ipv6(default_network(), etif(default_network())))
 */
#define default_network() MIRAGE_ENTRY_(mirage_default_network_())
#define netif(name)       MIRAGE_ENTRY_(mirage_netif_(name))
#define etif(net)         MIRAGE_ENTRY_(mirage_etif_(net))
#define arp(eth)          MIRAGE_ENTRY_(mirage_arp_(eth))
#define create_ipv4(eth, arp_, ...)                                            \
    MIRAGE_ENTRY_(                                                             \
        mirage_create_ipv4_(MIRAGE_NET_OPTS_(__VA_ARGS__), (eth), (arp_)))
#define create_ipv6(net, eth, ...)                                             \
    MIRAGE_ENTRY_(                                                             \
        mirage_create_ipv6_(MIRAGE_NET6_OPTS_(__VA_ARGS__), (net), (eth)))
#define create_ipv4v6(ipv4, ipv6)                                              \
    MIRAGE_ENTRY_(mirage_create_ipv4v6_((ipv4), (ipv6)))
#define direct_udp(ip, ...)                                                    \
    MIRAGE_ENTRY_(mirage_direct_udp_(MIRAGE_NET_OPTS_(__VA_ARGS__), (ip)))

impl *mirage_default_network_(void);
impl *mirage_netif_(const char *name);
impl *mirage_etif_(impl *net);
impl *mirage_arp_(impl *eth);
impl *mirage_create_ipv4_(struct mirage_net_opts o, impl *eth, impl *arp);
impl *mirage_create_ipv6_(struct mirage_net6_opts o, impl *net, impl *eth);
impl *mirage_create_ipv4v6_(impl *ipv4, impl *ipv6);
impl *mirage_direct_udp_(struct mirage_net_opts o, impl *ip);
/* For the entries of the families built on this one: o's random device;
 * o's ARP device over eth; a transport device `name` over an IP device
 * ip, of type t over a v4v6 one and t6 over an IPv6 one, connected by
 * mirage_KIND_connect_direct(out, ip, random) of <mirage/KIND.h> in the
 * library `library`; the IPv6 layer of o's ipv6_config (create_ipv6). */
impl *mirage_net_random_(const struct mirage_net_opts *o);
impl *mirage_net_arp_(const struct mirage_net_opts *o, impl *eth);
impl *mirage_net_transport_(struct mirage_net_opts o, const char *name, typ *t,
                            typ *t6, const char *kind, const char *library,
                            impl *ip);
impl *mirage_net_ipv6_(const struct mirage_net_opts *o, impl *net, impl *eth);
/* o's ipv4_config as `what` takes it (the v4v6 stacks: .ipv4_config, the
 * others .config), moved to o->config; false after recording an error
 * when the other field is set. */
bool mirage_net_ipv4_config_(struct mirage_net_opts *o, bool v4v6,
                             const char *what);

#endif
