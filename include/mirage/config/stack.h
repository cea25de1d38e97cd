/* The network stacks (lib/stack, entries in lib/stack/config.c;
 * <mirage/stack.h>). Part of <mirage/config.h>; include that. */
#ifndef MIRAGE_CONFIG_STACK_H
#define MIRAGE_CONFIG_STACK_H

/* stackv4_typ, stackv6_typ, stackv4v6_typ: struct mirage_stack *
 * (MirageOS's stackv4, stackv6 and stackv4v6). The options (.group,
 * .config, .ipv4_config, .ipv6_config, .arp, .dhcp_key, .random) are
 * those of <mirage/config/net.h>; the IPv6-only stacks take struct
 * mirage_net6_opts (.group, .config: an ipv6_config, .random). */
#define stackv4_typ                                                            \
    typ_new("stackv4", "struct mirage_stack *", .header = "mirage/stack.h")
#define stackv6_typ                                                            \
    typ_new("stackv6", "struct mirage_stack *", .header = "mirage/stack.h")
#define stackv4v6_typ                                                          \
    typ_new("stackv4v6", "struct mirage_stack *", .header = "mirage/stack.h")

/* direct_stackv4(net, eth, arp, ipv4, ...), direct_stackv6(net, eth,
 * ipv6, ...), direct_stackv4v6(net, eth, arp, ipv4, ipv6, ...): a stack
 * of those layers with direct UDP and TCP over the v4v6 IP device, whose
 * listeners take both families (.random as in <mirage/config/net.h>).
 * direct_stackv4v6 reads the runtime arguments --ipv4-only and
 * --ipv6-only (.group: --GROUP-ipv4-only ...): the stack's UDP and TCP
 * then use one family (the other layer still answers ARP or neighbour
 * discovery, and pings); both is an error at boot.
 * Example: direct_stackv4(netif("lan0"), etif(netif("lan0")),
 *     arp(etif(netif("lan0"))),
 *     create_ipv4(etif(netif("lan0")), arp(etif(netif("lan0")))))
 * Example: direct_stackv6(default_network(), etif(default_network()),
 *     create_ipv6(default_network(), etif(default_network())))
 * Example: direct_stackv4v6(default_network(), etif(default_network()),
 *     arp(etif(default_network())),
 *     create_ipv4(etif(default_network()), arp(etif(default_network()))),
 *     create_ipv6(default_network(), etif(default_network())))
 * static_ipv4_stack(net, ...), static_ipv6_stack(net, ...),
 * static_ipv4v6_stack(net, ...): the direct stack over etif, ARP (.arp)
 * and create_ipv4 and/or create_ipv6 of net, configured by the runtime
 * arguments --ipv4 and --ipv4-gateway, --ipv6, --ipv6-gateway and
 * --accept-router-advertisements, whose defaults are the ipv4_config
 * .config (static_ipv4_stack) or .ipv4_config, and the ipv6_config
 * .config (static_ipv6_stack) or .ipv6_config (static_ipv4v6_stack), as
 * MirageOS names them (.group, .random).
 * Example: static_ipv4_stack(default_network(),
 *     .config = ((ipv4_config){"10.1.0.2/16", "10.1.0.1"}))
 * Example: static_ipv6_stack(default_network(),
 *     .config = {.network = "2001:db8::2/64"})
 * Example: static_ipv4v6_stack(netif("lan0"), .group = "lan",
 *     .ipv4_config = {.network = "192.168.7.2/24"},
 *     .ipv6_config = {.network = "fd00::2/64", .gateway = "fd00::1"})
 * generic_stackv4(net, ...), generic_stackv4v6(net, ...): the static
 * stack, the DHCP stack (dhcp_ipv4_stack, <mirage/config/dhcp.h>; the
 * v4v6 one has create_ipv6 too, its IPv6 from .ipv6_config and router
 * advertisements) or the socket stack, chosen by two configure keys as
 * MirageOS does:
 * --net=auto|direct|socket|host (socket and host are the socket stack,
 * unix only; auto is the socket stack on unix and the direct one
 * elsewhere) and --dhcp=true|false (default false; .dhcp_key replaces
 * it with another bool value). With --dhcp=true the direct stack gets
 * its address from DHCP, on unix too unless --net=socket or host, which
 * configure refuses with DHCP (the socket stack has the host's
 * addresses). .group names the keys --GROUP-net and --GROUP-dhcp and
 * the runtime arguments as above; .config / .ipv4_config and .random
 * as above.
 * Example: generic_stackv4(default_network())
 * Example: generic_stackv4v6(default_network())
 * Example --net=direct: generic_stackv4v6(default_network())
 * Example --net=socket (unix): generic_stackv4v6(default_network())
 * Example --lan-net=host (unix):
 *     generic_stackv4(netif("lan0"), .group = "lan")
 * Example --dhcp=true: generic_stackv4v6(default_network())
 * Example --dhcp=true --net=direct: generic_stackv4(default_network(),
 *     .config = {.network = "10.3.0.2/24"})
 * Example --lan-dhcp=true: generic_stackv4v6(netif("lan0"), .group = "lan",
 *     .ipv4_config = {.network = "10.3.0.2/24"})
 * generic_stackv6(net, ...): static_ipv6_stack or socket_stackv6
 * (<mirage/config/socket.h>) by the configure key --net as above
 * (.group, .config, .random).
 * Example: generic_stackv6(default_network())
 * Example --net=direct: generic_stackv6(default_network(),
 *     .config = {.network = "2001:db8::2/64"})
 * Example --net=socket (unix): generic_stackv6(default_network())
 * Example --lan-net=direct: generic_stackv6(netif("lan0"), .group = "lan")
 */
#define direct_stackv4(net, eth, arp_, ipv4, ...)                              \
    MIRAGE_ENTRY_(mirage_direct_stack_(MIRAGE_NET_OPTS_(__VA_ARGS__), false,   \
                                       (net), (eth), (arp_), (ipv4), NULL))
#define direct_stackv6(net, eth, ipv6, ...)                                    \
    MIRAGE_ENTRY_(mirage_direct_stackv6_(MIRAGE_NET6_OPTS_(__VA_ARGS__),       \
                                         (net), (eth), (ipv6)))
#define direct_stackv4v6(net, eth, arp_, ipv4, ipv6, ...)                      \
    MIRAGE_ENTRY_(mirage_direct_stack_(MIRAGE_NET_OPTS_(__VA_ARGS__), true,    \
                                       (net), (eth), (arp_), (ipv4), (ipv6)))
#define static_ipv4_stack(net, ...)                                            \
    MIRAGE_ENTRY_(                                                             \
        mirage_static_stack_(MIRAGE_NET_OPTS_(__VA_ARGS__), false, (net)))
#define static_ipv6_stack(net, ...)                                            \
    MIRAGE_ENTRY_(                                                             \
        mirage_static_ipv6_stack_(MIRAGE_NET6_OPTS_(__VA_ARGS__), (net)))
#define static_ipv4v6_stack(net, ...)                                          \
    MIRAGE_ENTRY_(                                                             \
        mirage_static_stack_(MIRAGE_NET_OPTS_(__VA_ARGS__), true, (net)))
#define generic_stackv4(net, ...)                                              \
    MIRAGE_ENTRY_(                                                             \
        mirage_generic_stack_(MIRAGE_NET_OPTS_(__VA_ARGS__), false, (net)))
#define generic_stackv6(net, ...)                                              \
    MIRAGE_ENTRY_(                                                             \
        mirage_generic_stackv6_(MIRAGE_NET6_OPTS_(__VA_ARGS__), (net)))
#define generic_stackv4v6(net, ...)                                            \
    MIRAGE_ENTRY_(                                                             \
        mirage_generic_stack_(MIRAGE_NET_OPTS_(__VA_ARGS__), true, (net)))

/* The direct stack over ipv4 (ipv6 NULL: stackv4), ipv6 (v4v6 false,
 * arp and ipv4 NULL: stackv6) or both (v4v6: stackv4v6); the others:
 * v4v6, the stackv4v6 form, else stackv4. */
impl *mirage_direct_stack_(struct mirage_net_opts o, bool v4v6, impl *net,
                           impl *eth, impl *arp, impl *ipv4, impl *ipv6);
impl *mirage_direct_stackv6_(struct mirage_net6_opts o, impl *net, impl *eth,
                             impl *ipv6);
impl *mirage_static_ipv6_stack_(struct mirage_net6_opts o, impl *net);
impl *mirage_generic_stackv6_(struct mirage_net6_opts o, impl *net);
impl *mirage_static_stack_(struct mirage_net_opts o, bool v4v6, impl *net);
impl *mirage_generic_stack_(struct mirage_net_opts o, bool v4v6, impl *net);

#endif
