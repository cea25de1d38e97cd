/* The network stacks (lib/stack, entries in lib/stack/config.c;
 * <mirage/stack.h>). Part of <mirage/config.h>; include that. */
#ifndef MIRAGE_CONFIG_STACK_H
#define MIRAGE_CONFIG_STACK_H

/* stackv4_typ, stackv6_typ, stackv4v6_typ: struct mirage_stack *
 * (MirageOS's stackv4, stackv6 and stackv4v6; the direct v4v6 stack
 * carries IPv4 only for now, the socket stacks of
 * <mirage/config/socket.h> serve IPv6 too). The options (.group, .config,
 * .ipv4_config, .arp, .dhcp_key, .random) are those of <mirage/config/net.h>.
 */
#define stackv4_typ                                                            \
    typ_new("stackv4", "struct mirage_stack *", .header = "mirage/stack.h")
#define stackv6_typ                                                            \
    typ_new("stackv6", "struct mirage_stack *", .header = "mirage/stack.h")
#define stackv4v6_typ                                                          \
    typ_new("stackv4v6", "struct mirage_stack *", .header = "mirage/stack.h")

/* direct_stackv4(net, eth, arp, ipv4, ...), direct_stackv4v6(...): a
 * stack of those layers with direct UDP and TCP (.random as in
 * <mirage/config/net.h>).
 * Example: direct_stackv4(netif("lan0"), etif(netif("lan0")),
 *     arp(etif(netif("lan0"))),
 *     create_ipv4(etif(netif("lan0")), arp(etif(netif("lan0")))))
 * Example: direct_stackv4v6(default_network(), etif(default_network()),
 *     arp(etif(default_network())),
 *     create_ipv4(etif(default_network()), arp(etif(default_network()))))
 * static_ipv4_stack(net, ...), static_ipv4v6_stack(net, ...): the
 * direct stack over etif, ARP (.arp) and create_ipv4 of net, configured
 * by the runtime arguments --ipv4 and --ipv4-gateway whose defaults are
 * the ipv4_config .config (static_ipv4_stack) or .ipv4_config
 * (static_ipv4v6_stack), as MirageOS names them (.group, .random).
 * Example: static_ipv4_stack(default_network(),
 *     .config = ((ipv4_config){"10.1.0.2/16", "10.1.0.1"}))
 * Example: static_ipv4v6_stack(netif("lan0"), .group = "lan",
 *     .ipv4_config = {.network = "192.168.7.2/24"})
 * generic_stackv4(net, ...), generic_stackv4v6(net, ...): the static
 * stack, the DHCP stack (dhcp_ipv4_stack, <mirage/config/dhcp.h>) or the
 * socket stack, chosen by two configure keys as MirageOS does:
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
 *     .ipv4_config = {.network = "10.3.0.2/24"}) */
#define direct_stackv4(net, eth, arp_, ipv4, ...)                              \
    MIRAGE_ENTRY_(mirage_direct_stack_(MIRAGE_NET_OPTS_(__VA_ARGS__), false,   \
                                       (net), (eth), (arp_), (ipv4)))
#define direct_stackv4v6(net, eth, arp_, ipv4, ...)                            \
    MIRAGE_ENTRY_(mirage_direct_stack_(MIRAGE_NET_OPTS_(__VA_ARGS__), true,    \
                                       (net), (eth), (arp_), (ipv4)))
#define static_ipv4_stack(net, ...)                                            \
    MIRAGE_ENTRY_(                                                             \
        mirage_static_stack_(MIRAGE_NET_OPTS_(__VA_ARGS__), false, (net)))
#define static_ipv4v6_stack(net, ...)                                          \
    MIRAGE_ENTRY_(                                                             \
        mirage_static_stack_(MIRAGE_NET_OPTS_(__VA_ARGS__), true, (net)))
#define generic_stackv4(net, ...)                                              \
    MIRAGE_ENTRY_(                                                             \
        mirage_generic_stack_(MIRAGE_NET_OPTS_(__VA_ARGS__), false, (net)))
#define generic_stackv4v6(net, ...)                                            \
    MIRAGE_ENTRY_(                                                             \
        mirage_generic_stack_(MIRAGE_NET_OPTS_(__VA_ARGS__), true, (net)))

/* v4v6: the stackv4v6 form, else stackv4. */
impl *mirage_direct_stack_(struct mirage_net_opts o, bool v4v6, impl *net,
                           impl *eth, impl *arp, impl *ipv4);
impl *mirage_static_stack_(struct mirage_net_opts o, bool v4v6, impl *net);
impl *mirage_generic_stack_(struct mirage_net_opts o, bool v4v6, impl *net);

#endif
