/* The stacks' catalogue entries (<mirage/config/stack.h>): the direct
 * stack's connect function of <mirage/stack.h> in libmirage_stack.a, and
 * the static and generic stacks built from the network families'
 * entries. */
#include <mirage/config.h>

impl *mirage_direct_stack_(struct mirage_net_opts o, bool v4v6, impl *net,
                           impl *eth, impl *arp, impl *ipv4)
{
    typ *stack = v4v6 ? stackv4v6_typ : stackv4_typ;
    impl *f = impl(
        v4v6 ? "direct_stackv4v6" : "direct_stackv4",
        typ_fn(network_typ, typ_fn(ethernet_typ,
                                   typ_fn(arpv4_typ, typ_fn(ipv4_typ, stack)))),
        .connect = "mirage_stack_connect_direct(&$out, $network, $ethernet, "
                   "$arpv4, $ipv4, $random)",
        .headers = strs("mirage/stack.h"), .libraries = strs("stack"),
        .extra_deps = deps(mirage_net_random_(&o)));
    return apply(f, net, eth, arp, ipv4);
}

impl *mirage_static_stack_(struct mirage_net_opts o, bool v4v6, impl *net)
{
    impl *eth = etif(net);
    impl *a = arp(eth);
    impl *ip = mirage_create_ipv4_(o, eth, a);
    return mirage_direct_stack_(o, v4v6, net, eth, a, ip);
}

impl *mirage_generic_stack_(struct mirage_net_opts o, bool v4v6, impl *net)
{
    key *k = key_enum(mirage_group_name(o.group, "net"), "auto",
                      "The network stack: direct (our own, over a network "
                      "device), socket or host (the host's sockets, unix "
                      "only), or auto (socket on unix, direct elsewhere).",
                      "auto", "direct", "socket", "host");
    impl *direct = mirage_static_stack_(o, v4v6, net);
    impl *socket = mirage_socket_stack_(o, v4v6);
    impl *automatic =
        match_impl(key_value(target_key), direct, match_case("unix", socket));
    return match_impl(key_value(k), automatic, match_case("direct", direct),
                      match_case("socket", socket), match_case("host", socket));
}
