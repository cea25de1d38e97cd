/* The DHCP client (lib/dhcp, entries in lib/dhcp/config.c;
 * <mirage/dhcp.h>) and the stacks it configures. Part of
 * <mirage/config.h>; include that. */
#ifndef MIRAGE_CONFIG_DHCP_H
#define MIRAGE_CONFIG_DHCP_H

#include <mirage/config/net.h> /* the options */

/* dhcp_typ: struct mirage_dhcp *, a DHCP client (the application can
 * read its lease and wait for its events: <mirage/dhcp.h>). */
#define dhcp_typ                                                               \
    typ_new("dhcp", "struct mirage_dhcp *", .header = "mirage/dhcp.h")

/* dhcp_client(eth, arp, ...): a DHCP client over eth and arp, with an
 * IPv4 layer of its own that has no address until the first lease. It
 * starts asking at once and keeps its lease (renewing, rebinding) in a
 * fiber of its own; .random picks its transaction IDs and the jitter of
 * its retransmissions (the options of <mirage/config/net.h>).
 * Example: dhcp_client(etif(default_network()), arp(etif(default_network())))
 * ipv4_of_dhcp(net, eth, arp, ...): the IPv4 device the DHCP client over
 * eth and arp configures (MirageOS's ipv4_of_dhcp; net, the device under
 * eth, is MirageOS's argument: the client needs only eth and arp).
 * Connecting it waits for the first lease, without a deadline, as
 * MirageOS does: the devices over it, and the start function, come
 * after it. Equal clients are one: dhcp_client(eth, arp) with the same
 * eth and arp is the client of this device.
 * Example: ipv4_of_dhcp(netif("lan0"), etif(netif("lan0")),
 *     arp(etif(netif("lan0"))))
 * dhcp_ipv4_stack(net, ...): the direct stack over etif(net), its ARP
 * device (.arp) and ipv4_of_dhcp, whose resolvers (resolver_dns,
 * <mirage/config/dns.h>) ask the lease's DNS servers unless told
 * otherwise (.random; MirageOS's dhcp_ipv4_stack). generic_stackv4 and
 * generic_stackv4v6 with --dhcp=true are this stack (in its v4v6 form
 * for the latter).
 * Example: dhcp_ipv4_stack(default_network())
 * Example: dhcp_ipv4_stack(netif("lan0"), .random = default_random()) */
#define dhcp_client(eth, arp_, ...)                                            \
    MIRAGE_ENTRY_(                                                             \
        mirage_dhcp_client_(MIRAGE_NET_OPTS_(__VA_ARGS__), (eth), (arp_)))
#define ipv4_of_dhcp(net, eth, arp_, ...)                                      \
    MIRAGE_ENTRY_(mirage_ipv4_of_dhcp_(MIRAGE_NET_OPTS_(__VA_ARGS__), (net),   \
                                       (eth), (arp_)))
#define dhcp_ipv4_stack(net, ...)                                              \
    MIRAGE_ENTRY_(                                                             \
        mirage_dhcp_stack_(MIRAGE_NET_OPTS_(__VA_ARGS__), false, (net)))

impl *mirage_dhcp_client_(struct mirage_net_opts o, impl *eth, impl *arp);
impl *mirage_ipv4_of_dhcp_(struct mirage_net_opts o, impl *net, impl *eth,
                           impl *arp);
/* v4v6: the stackv4v6 form (generic_stackv4v6's), else stackv4. */
impl *mirage_dhcp_stack_(struct mirage_net_opts o, bool v4v6, impl *net);

#endif
