/* The stacks' catalogue entries (<mirage/config/stack.h>): the direct
 * stacks' connect function of <mirage/stack.h> in libmirage_stack.a, and
 * the static and generic stacks (v4, v6, v4v6) built from the network
 * families' entries (the DHCP stack is lib/dhcp's). */
#include <mirage/config.h>

#include <stdio.h>

/* The runtime argument --ipv4-only or --ipv6-only (v6) of o's group;
 * *v becomes ${NAME}. */
static runtime_arg *only_arg(const struct mirage_net_opts *o, bool v6,
                             const char **v)
{
    const char *name =
        mirage_group_name(o->group, v6 ? "ipv6-only" : "ipv4-only");
    *v = mirage_printf("${%s}", name);
    return runtime_arg_bool(
        name, false,
        v6 ? "Only use IPv6: the stack's UDP and TCP leave IPv4 alone (the "
             "IPv4 layer still answers ARP and pings)."
           : "Only use IPv4: the stack's UDP and TCP leave IPv6 alone (the "
             "IPv6 layer still answers neighbour discovery and pings).",
        .section = "NETWORK OPTIONS");
}

impl *mirage_direct_stack_(struct mirage_net_opts o, bool v4v6, impl *net,
                           impl *eth, impl *arp, impl *ipv4, impl *ipv6)
{
    impl *random = mirage_net_random_(&o);
    if (!ipv6) /* direct_stackv4 */
        return apply(
            impl("direct_stackv4",
                 typ_fn(
                     network_typ,
                     typ_fn(ethernet_typ,
                            typ_fn(arpv4_typ, typ_fn(ipv4_typ, stackv4_typ)))),
                 .connect = "mirage_stack_connect_direct(&$out, $network, "
                            "$ethernet, $arpv4, $ipv4, NULL, $random)",
                 .headers = strs("mirage/stack.h"), .libraries = strs("stack"),
                 .extra_deps = deps(random)),
            net, eth, arp, ipv4);
    if (!v4v6) /* direct_stackv6 */
        return apply(
            impl("direct_stackv6",
                 typ_fn(network_typ,
                        typ_fn(ethernet_typ, typ_fn(ipv6_typ, stackv6_typ))),
                 .connect = "mirage_stack_connect_direct(&$out, $network, "
                            "$ethernet, NULL, NULL, $ipv6, $random)",
                 .headers = strs("mirage/stack.h"), .libraries = strs("stack"),
                 .extra_deps = deps(random)),
            net, eth, ipv6);
    const char *only4, *only6;
    runtime_arg *a4 = only_arg(&o, false, &only4),
                *a6 = only_arg(&o, true, &only6);
    impl *f = impl(
        "direct_stackv4v6",
        typ_fn(
            network_typ,
            typ_fn(ethernet_typ,
                   typ_fn(arpv4_typ,
                          typ_fn(ipv4_typ, typ_fn(ipv6_typ, stackv4v6_typ))))),
        .connect = mirage_printf(
            "mirage_stack_connect_direct(&$out, $network, $ethernet, $arpv4, "
            "%s ? NULL : $ipv4, %s ? NULL : $ipv6, $random)",
            only6, only4),
        .headers = strs("mirage/stack.h"), .libraries = strs("stack"),
        .runtime_args = args(a4, a6), .extra_deps = deps(random));
    return apply(f, net, eth, arp, ipv4, ipv6);
}

impl *mirage_direct_stackv6_(struct mirage_net6_opts o6, impl *net, impl *eth,
                             impl *ipv6)
{
    struct mirage_net_opts o = {.group = o6.group, .random = o6.random};
    return mirage_direct_stack_(o, false, net, eth, NULL, NULL, ipv6);
}

impl *mirage_static_stack_(struct mirage_net_opts o, bool v4v6, impl *net)
{
    const char *name = v4v6 ? "static_ipv4v6_stack" : "static_ipv4_stack";
    if (!mirage_net_ipv4_config_(&o, v4v6, name))
        return NULL;
    if (!v4v6 && (o.ipv6_config.network || o.ipv6_config.gateway))
        return mirage_fail("%s takes no .ipv6_config (IPv4 only)", name);
    impl *eth = etif(net);
    impl *a = mirage_net_arp_(&o, eth);
    impl *ip = mirage_create_ipv4_(o, eth, a);
    impl *ip6 = v4v6 ? mirage_net_ipv6_(&o, net, eth) : NULL;
    if (v4v6 && !ip6)
        return NULL;
    return mirage_direct_stack_(o, v4v6, net, eth, a, ip, ip6);
}

impl *mirage_static_ipv6_stack_(struct mirage_net6_opts o6, impl *net)
{
    struct mirage_net_opts o = {
        .group = o6.group, .ipv6_config = o6.config, .random = o6.random};
    impl *eth = etif(net);
    impl *ip6 = mirage_net_ipv6_(&o, net, eth);
    return ip6 ? mirage_direct_stack_(o, false, net, eth, NULL, NULL, ip6)
               : NULL;
}

/* The configure key --net (--GROUP-net) of the generic stacks. */
static key *net_key(const char *group)
{
    return key_enum(mirage_group_name(group, "net"), "auto",
                    "The network stack: direct (our own, over a network "
                    "device), socket or host (the host's sockets, unix "
                    "only), or auto (socket on unix, direct elsewhere; "
                    "direct with DHCP).",
                    "auto", "direct", "socket", "host");
}

/* The stack --net chooses between direct and socket. */
static impl *by_net_key(key *k, impl *direct, impl *socket)
{
    impl *automatic =
        match_impl(key_value(target_key), direct, match_case("unix", socket));
    return match_impl(key_value(k), automatic, match_case("direct", direct),
                      match_case("socket", socket), match_case("host", socket));
}

impl *mirage_generic_stackv6_(struct mirage_net6_opts o6, impl *net)
{
    struct mirage_net_opts o = {.group = o6.group, .random = o6.random};
    return by_net_key(net_key(o6.group), mirage_static_ipv6_stack_(o6, net),
                      mirage_socket_stackv6_(o));
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
    key *k = net_key(o.group);
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
    impl *without = by_net_key(k, direct, socket);
    impl *with = match_impl(
        key_value(k), leased, match_case("direct", leased),
        match_case("socket",
                   socket_refusing_dhcp(v4v6, socket, net_name, "socket")),
        match_case("host",
                   socket_refusing_dhcp(v4v6, socket, net_name, "host")));
    return if_impl(dhcp, with, without);
}
