/* The stacks' catalogue entries (<mirage/config/stack.h>): the direct
 * stack's connect function of <mirage/stack.h> in libmirage_stack.a, and
 * the static and generic stacks built from the network families'
 * entries (the DHCP stack is lib/dhcp's). */
#include <mirage/config.h>

#include <stdio.h>

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
    if (!mirage_net_ipv4_config_(
            &o, v4v6, v4v6 ? "static_ipv4v6_stack" : "static_ipv4_stack"))
        return NULL;
    impl *eth = etif(net);
    impl *a = mirage_net_arp_(&o, eth);
    impl *ip = mirage_create_ipv4_(o, eth, a);
    return mirage_direct_stack_(o, v4v6, net, eth, a, ip);
}

/* The configure action of a stack that DHCP cannot configure:
 * info->args.v[0] says why. */
static int refuse_dhcp(const struct mirage_configure_info *info)
{
    fprintf(stderr, "%s:%d: error: %s\n", info->file, info->line,
            info->args.v[0]);
    return 1;
}

/* The socket stack chosen by --NET=value with DHCP asked for: configure
 * fails, naming both keys (the host's sockets take the host's
 * addresses; MirageOS silently prefers the socket stack). */
static impl *socket_refusing_dhcp(bool v4v6, impl *socket, const char *net,
                                  const char *value)
{
    typ *t = v4v6 ? stackv4v6_typ : stackv4_typ;
    const char *why = mirage_printf(
        "DHCP needs the direct stack: --%s=%s is the socket stack, whose "
        "addresses are the host's (use --%s=direct, or no DHCP)",
        net, value, net);
    impl *f = impl("socket_stack_without_dhcp", typ_fn(t, t),
                   .connect = mirage_printf("($out = $%s, 0)",
                                            v4v6 ? "stackv4v6" : "stackv4"),
                   .configure = refuse_dhcp, .configure_args = strs(why));
    return apply(f, socket);
}

impl *mirage_generic_stack_(struct mirage_net_opts o, bool v4v6, impl *net)
{
    const char *net_name = mirage_group_name(o.group, "net");
    key *k = key_enum(net_name, "auto",
                      "The network stack: direct (our own, over a network "
                      "device), socket or host (the host's sockets, unix "
                      "only), or auto (socket on unix, direct elsewhere; "
                      "direct with DHCP).",
                      "auto", "direct", "socket", "host");
    value *dhcp = o.dhcp_key;
    if (!dhcp)
        dhcp = key_value(
            key_bool(mirage_group_name(o.group, "dhcp"), false,
                     "Configure the direct stack's IPv4 address, gateway "
                     "and DNS servers with DHCP instead of the runtime "
                     "arguments --ipv4 and --ipv4-gateway."));
    impl *direct = mirage_static_stack_(o, v4v6, net);
    impl *socket = mirage_socket_stack_(o, v4v6);
    o.config = o.ipv4_config = (ipv4_config){0};
    impl *leased = mirage_dhcp_stack_(o, v4v6, net);
    impl *automatic =
        match_impl(key_value(target_key), direct, match_case("unix", socket));
    impl *without =
        match_impl(key_value(k), automatic, match_case("direct", direct),
                   match_case("socket", socket), match_case("host", socket));
    impl *with = match_impl(
        key_value(k), leased, match_case("direct", leased),
        match_case("socket",
                   socket_refusing_dhcp(v4v6, socket, net_name, "socket")),
        match_case("host",
                   socket_refusing_dhcp(v4v6, socket, net_name, "host")));
    return if_impl(dhcp, with, without);
}
