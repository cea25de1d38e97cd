/* The DHCP client's catalogue entries (<mirage/config/dhcp.h>): the
 * connect functions of <mirage/dhcp.h> in libmirage_dhcp.a, and the
 * stack that DHCP configures (generic_stackv4[v6] --dhcp=true). */
#include <mirage/config.h>

impl *mirage_dhcp_client_(struct mirage_net_opts o, impl *eth, impl *arp)
{
    impl *f =
        impl("dhcp_client", typ_fn(ethernet_typ, typ_fn(arpv4_typ, dhcp_typ)),
             .connect = "mirage_dhcp_connect_client(&$out, $ethernet, "
                        "$arpv4, $random, NULL)",
             .headers = strs("mirage/dhcp.h"), .libraries = strs("dhcp"),
             .extra_deps = deps(mirage_net_random_(&o)));
    return apply(f, eth, arp);
}

impl *mirage_ipv4_of_dhcp_(struct mirage_net_opts o, impl *net, impl *eth,
                           impl *arp)
{
    (void)net;
    impl *f = impl("ipv4_of_dhcp", typ_fn(dhcp_typ, ipv4_typ),
                   .connect = "mirage_ipv4_connect_dhcp(&$out, $dhcp)",
                   .headers = strs("mirage/dhcp.h"), .libraries = strs("dhcp"));
    return apply(f, mirage_dhcp_client_(o, eth, arp));
}

impl *mirage_dhcp_stack_(struct mirage_net_opts o, bool v4v6, impl *net)
{
    const char *name = v4v6 ? "dhcp_ipv4v6_stack" : "dhcp_ipv4_stack";
    if (o.config.network || o.config.gateway || o.ipv4_config.network ||
        o.ipv4_config.gateway)
        return mirage_fail("%s takes no ipv4_config: DHCP configures it", name);
    impl *eth = etif(net);
    impl *a = mirage_net_arp_(&o, eth);
    impl *direct = mirage_direct_stack_(
        o, v4v6, net, eth, a, mirage_ipv4_of_dhcp_(o, net, eth, a),
        v4v6 ? mirage_net_ipv6_(&o, net, eth) : NULL);
    typ *stack = v4v6 ? stackv4v6_typ : stackv4_typ;
    impl *f = impl(
        name, typ_fn(stack, stack),
        .connect = mirage_printf("mirage_stack_connect_dhcp(&$out, $%s, $dhcp)",
                                 v4v6 ? "stackv4v6" : "stackv4"),
        .headers = strs("mirage/dhcp.h"), .libraries = strs("dhcp"),
        .extra_deps = deps(mirage_dhcp_client_(o, eth, a)));
    return apply(f, direct);
}
