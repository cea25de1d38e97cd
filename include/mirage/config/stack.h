/* The network stacks (lib/stack, entries in lib/stack/config.c;
 * <mirage/stack.h>). Part of <mirage/config.h>; include that. */
#ifndef MIRAGE_CONFIG_STACK_H
#define MIRAGE_CONFIG_STACK_H

/* stackv4_typ, stackv4v6_typ: struct mirage_stack * (MirageOS's
 * stackv4 and stackv4v6; the v4v6 stack carries IPv4 only for now). */
#define stackv4_typ                                                            \
    typ_new("stackv4", "struct mirage_stack *", .header = "mirage/stack.h")
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
 * direct stack over etif, arp and create_ipv4 of net (.group, .network,
 * .gateway, .random).
 * Example: static_ipv4_stack(default_network(), .network = "10.1.0.2/16",
 *     .gateway = "10.1.0.1")
 * Example: static_ipv4v6_stack(netif("lan0"), .group = "lan")
 * generic_stackv4(net, ...), generic_stackv4v6(net, ...): the static
 * stack or the socket stack, chosen by the configure key
 * --net=auto|direct|socket|host: socket and host are the socket stack
 * (unix only); auto (the default) is the socket stack on unix and the
 * direct one elsewhere, as MirageOS does. .group names the key
 * --GROUP-net and the runtime arguments as above.
 * Example: generic_stackv4(default_network())
 * Example: generic_stackv4v6(default_network())
 * Example --net=direct: generic_stackv4v6(default_network())
 * Example --net=socket (unix): generic_stackv4v6(default_network())
 * Example --lan-net=host (unix):
 *     generic_stackv4(netif("lan0"), .group = "lan") */
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
