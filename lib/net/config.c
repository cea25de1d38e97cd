/* The network stack's catalogue entries below TCP (<mirage/config/net.h>):
 * the connect functions of <mirage/net.h>, <mirage/ethernet.h>,
 * <mirage/arp.h>, <mirage/ip.h> and <mirage/udp.h>, all in
 * libmirage_net.a. */
#include <mirage/config.h>

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#define NET_SECTION "NETWORK OPTIONS"

impl *mirage_net_random_(const struct mirage_net_opts *o)
{
    return o->random ? o->random : default_random();
}

impl *mirage_net_arp_(const struct mirage_net_opts *o, impl *eth)
{
    return o->arp ? (o->arp)(eth) : arp(eth);
}

impl *mirage_default_network_(void)
{
    runtime_arg *a = runtime_arg_string(
        "interface", "",
        "The network interface: on unix a tap interface (empty: tap0); on "
        "hvt and spt the device is the manifest's \"service\".",
        .docv = "NAME", .section = NET_SECTION);
    runtime_arg *o = runtime_arg_bool(
        "net-offload", true,
        "Ask the network device for checksum and TCP segmentation offloads "
        "(granted on unix by the tap; false: bare frames).",
        .section = NET_SECTION);
    return impl("default_network", network_typ,
                .connect = "mirage_net_connect_default(&$out, ${interface}, "
                           "${net-offload})",
                .headers = strs("mirage/net.h"), .libraries = strs("net"),
                .runtime_args = args(a, o), .net_device = "service");
}

/* A name usable on every target: a tap interface name on unix (at most
 * 15 characters); the manifest's rules are checked per target. */
static bool good_ifname(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    return n >= 1 && n <= 15 &&
           strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                     "0123456789_") == n;
}

impl *mirage_netif_(const char *name)
{
    if (!good_ifname(name))
        return mirage_fail("netif: bad interface name '%s' (expected 1 to 15 "
                           "of A-Z a-z 0-9 _)",
                           name ? name : "(null)");
    return impl("netif", network_typ,
                .connect = mirage_printf("mirage_net_connect_netif(&$out, %s)",
                                         mirage_cstr(name)),
                .headers = strs("mirage/net.h"), .libraries = strs("net"),
                .net_device = name);
}

/* A layer of type from -> to over arg, connected by connect (declared in
 * the header hdr). */
static impl *layer(const char *name, typ *from, typ *to, const char *connect,
                   const char *hdr, impl *arg)
{
    return apply(impl(name, typ_fn(from, to), .connect = connect,
                      .headers = strs(hdr), .libraries = strs("net")),
                 arg);
}

impl *mirage_etif_(impl *net)
{
    return layer("etif", network_typ, ethernet_typ,
                 "mirage_ethernet_connect_direct(&$out, $network)",
                 "mirage/ethernet.h", net);
}

impl *mirage_arp_(impl *eth)
{
    return layer("arp", ethernet_typ, arpv4_typ,
                 "mirage_arp_connect_direct(&$out, $ethernet)", "mirage/arp.h",
                 eth);
}

/* Whether text is A.B.C.D/N. */
static bool good_network(const char *text)
{
    struct in_addr a;
    const char *slash = strchr(text, '/');
    if (!slash || !slash[1] || strlen(slash + 1) > 2 ||
        strspn(slash + 1, "0123456789") != strlen(slash + 1) ||
        atoi(slash + 1) > 32)
        return false;
    return inet_pton(AF_INET, mirage_printf("%.*s", (int)(slash - text), text),
                     &a) == 1;
}

bool mirage_net_ipv4_config_(struct mirage_net_opts *o, bool v4v6,
                             const char *what)
{
    const ipv4_config *other = v4v6 ? &o->config : &o->ipv4_config;
    if (other->network || other->gateway) {
        mirage_fail("%s takes .%s, not .%s", what,
                    v4v6 ? "ipv4_config" : "config",
                    v4v6 ? "config" : "ipv4_config");
        return false;
    }
    if (v4v6) {
        o->config = o->ipv4_config;
        o->ipv4_config = (ipv4_config){0};
    }
    return true;
}

impl *mirage_create_ipv4_(struct mirage_net_opts o, impl *eth, impl *arp)
{
    struct in_addr a;
    if (!mirage_net_ipv4_config_(&o, false, "create_ipv4"))
        return NULL;
    const char *network = o.config.network, *gw_text = o.config.gateway;
    if (!network && gw_text)
        return mirage_fail("create_ipv4: an ipv4_config with a gateway needs "
                           "a network");
    if (!network)
        network = "10.0.0.2/24";
    if (!good_network(network))
        return mirage_fail("create_ipv4: bad network '%s' (expected A.B.C.D/N)",
                           network);
    if (gw_text && inet_pton(AF_INET, gw_text, &a) != 1)
        return mirage_fail("create_ipv4: bad gateway '%s' (expected A.B.C.D)",
                           gw_text);
    const char *ipv4 = mirage_group_name(o.group, "ipv4");
    const char *gw = mirage_group_name(o.group, "ipv4-gateway");
    runtime_arg *addr = runtime_arg_string(
        ipv4, network, "The IPv4 address and network of the interface.",
        .docv = "PREFIX", .section = NET_SECTION);
    runtime_arg *gateway = runtime_arg_string(
        gw, gw_text ? gw_text : "",
        "The IPv4 gateway (empty: none; only the local network is reached).",
        .docv = "IP", .section = NET_SECTION);
    impl *f =
        impl("create_ipv4", typ_fn(ethernet_typ, typ_fn(arpv4_typ, ipv4_typ)),
             .connect = mirage_printf(
                 "mirage_ipv4_connect_direct(&$out, $ethernet, $arpv4, "
                 "${%s}, ${%s})",
                 ipv4, gw),
             .headers = strs("mirage/ip.h"), .libraries = strs("net"),
             .runtime_args = args(addr, gateway));
    return apply(f, eth, arp);
}

/* Whether text is an IPv6 address, followed by /N (1..128) when
 * with_prefix. */
static bool good_ipv6(const char *text, bool with_prefix)
{
    struct in6_addr a;
    const char *slash = strchr(text, '/');
    if (!with_prefix)
        return !slash && inet_pton(AF_INET6, text, &a) == 1;
    if (!slash || !slash[1] || strlen(slash + 1) > 3 ||
        strspn(slash + 1, "0123456789") != strlen(slash + 1) ||
        atoi(slash + 1) < 1 || atoi(slash + 1) > 128)
        return false;
    return inet_pton(AF_INET6, mirage_printf("%.*s", (int)(slash - text), text),
                     &a) == 1;
}

impl *mirage_net_ipv6_(const struct mirage_net_opts *o, impl *net, impl *eth)
{
    const char *network = o->ipv6_config.network;
    const char *gw_text = o->ipv6_config.gateway;
    if (network && !good_ipv6(network, true))
        return mirage_fail("bad IPv6 network '%s' (expected ADDRESS/N, N from "
                           "1 to 128)",
                           network);
    if (gw_text && !good_ipv6(gw_text, false))
        return mirage_fail("bad IPv6 gateway '%s' (expected an IPv6 address)",
                           gw_text);
    const char *ipv6 = mirage_group_name(o->group, "ipv6");
    const char *gw = mirage_group_name(o->group, "ipv6-gateway");
    const char *ra =
        mirage_group_name(o->group, "accept-router-advertisements");
    runtime_arg *addr = runtime_arg_string(
        ipv6, network ? network : "",
        "The IPv6 address and on-link prefix of the interface (empty: none "
        "but the link-local address and those router advertisements give).",
        .docv = "PREFIX", .section = NET_SECTION);
    runtime_arg *gateway = runtime_arg_string(
        gw, gw_text ? gw_text : "",
        "The IPv6 default router (empty: the routers of router "
        "advertisements).",
        .docv = "IP", .section = NET_SECTION);
    runtime_arg *accept = runtime_arg_bool(
        ra, true,
        "Accept router advertisements: default routers, on-link prefixes "
        "and addresses (SLAAC).",
        .section = NET_SECTION);
    impl *f = impl(
        "create_ipv6", typ_fn(network_typ, typ_fn(ethernet_typ, ipv6_typ)),
        .connect = mirage_printf("mirage_ipv6_connect_direct(&$out, $ethernet, "
                                 "$random, ${%s}, ${%s}, ${%s})",
                                 ipv6, gw, ra),
        .headers = strs("mirage/ipv6.h"), .libraries = strs("net"),
        .runtime_args = args(addr, gateway, accept),
        .extra_deps = deps(mirage_net_random_(o)));
    return apply(f, net, eth);
}

impl *mirage_create_ipv6_(struct mirage_net6_opts o6, impl *net, impl *eth)
{
    struct mirage_net_opts o = {
        .group = o6.group, .ipv6_config = o6.config, .random = o6.random};
    return mirage_net_ipv6_(&o, net, eth);
}

impl *mirage_create_ipv4v6_(impl *ipv4, impl *ipv6)
{
    impl *f =
        impl("create_ipv4v6", typ_fn(ipv4_typ, typ_fn(ipv6_typ, ipv4v6_typ)),
             .connect = "mirage_ip_connect_v4v6(&$out, $ipv4, $ipv6)",
             .headers = strs("mirage/ip.h", "mirage/ipv6.h"),
             .libraries = strs("net"));
    return apply(f, ipv4, ipv6);
}

impl *mirage_net_transport_(struct mirage_net_opts o, const char *name, typ *t,
                            typ *t6, const char *kind, const char *library,
                            impl *ip)
{
    bool v6 = mirage_impl_has_typ(ip, ipv6_typ);
    impl *f = impl(
        name, v6 ? typ_fn(ipv6_typ, t6) : typ_fn(ipv4v6_typ, t),
        .connect = mirage_printf(
            v6 ? "mirage_%s_connect_direct(&$out, mirage_ipv6_ip($ipv6), "
                 "$random)"
               : "mirage_%s_connect_direct(&$out, $ipv4v6, $random)",
            kind),
        .headers = strs(mirage_printf("mirage/%s.h", kind), "mirage/ipv6.h"),
        .libraries = strs(library), .extra_deps = deps(mirage_net_random_(&o)));
    return apply(f, ip);
}

impl *mirage_direct_udp_(struct mirage_net_opts o, impl *ip)
{
    return mirage_net_transport_(o, "direct_udp", udpv4v6_typ, udpv6_typ, "udp",
                                 "net", ip);
}
