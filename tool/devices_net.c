/* The direct network stack's devices in the catalogue (include/mirage/
 * config.h, "The direct network stack"): network interfaces, Ethernet,
 * ARP, IPv4, UDP, TCP and the stacks built from them. Their connect code
 * calls the functions of <mirage/net.h>, <mirage/ethernet.h>,
 * <mirage/arp.h>, <mirage/ip.h>, <mirage/udp.h>, <mirage/tcp.h> and
 * <mirage/stack.h>. */
#include "engine.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

#define NET_SECTION "NETWORK OPTIONS"

static str_list one(const char *s)
{
    const char **v = arena_alloc(sizeof *v);
    v[0] = s;
    return (str_list){1, v};
}

/* A device of type t (a functor type when it takes arguments) applied to
 * the n impls in args (none: not applied). NULL arguments (left by an
 * earlier error) give NULL; the error is recorded once. */
static impl *device(const char *file, int line, const char *name, typ *t,
                    struct eng_device dev, size_t n, impl *const *args)
{
    for (size_t i = 0; i < n; i++)
        if (!args[i]) {
            if (eng_error_count() == 0)
                eng_error(file, line, "%s: argument %zu is NULL", name, i + 1);
            return NULL;
        }
    impl *d = make_device_(file, line, name, t, dev);
    if (!d || n == 0)
        return d;
    return mirage_apply_(file, line, d, (impl_list){n, args});
}

/* The random device of o (default_random() unless .random). */
static impl *random_of(const struct mirage_net_opts *o)
{
    return o->random ? o->random : mirage_default_random_(o->file_, o->line_);
}

/* A name usable on every target: a tap interface name on unix (at most
 * 15 characters), a manifest name on hvt and spt ([A-Za-z0-9_]). */
static bool good_ifname(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    if (n == 0 || n > 15)
        return false;
    return ident_chars(s);
}

impl *mirage_default_network_(const char *file, int line)
{
    runtime_arg *a = mirage_runtime_arg_string_(
        "interface", "",
        "The network interface: on unix a tap interface (empty: tap0); on "
        "hvt and spt the device is the manifest's \"service\".",
        (struct mirage_arg_opts){.file_ = file,
                                 .line_ = line,
                                 .docv = "NAME",
                                 .section = NET_SECTION});
    if (!a)
        return NULL;
    struct eng_device dev = {
        .connect = "mirage_net_connect_default(&$$, ${interface})",
        .headers = one("mirage/net.h"),
        .libraries = one("net"),
        .args = {1, arena_memdup(&a, 1, sizeof a)},
        .solo5_net = "service",
    };
    return device(file, line, "default_network", network_typ, dev, 0, NULL);
}

impl *mirage_netif_(const char *file, int line, const char *name)
{
    if (!good_ifname(name)) {
        eng_error(file, line,
                  "netif: bad interface name '%s' (expected 1 to 15 of "
                  "A-Z a-z 0-9 _)",
                  name ? name : "(null)");
        return NULL;
    }
    struct eng_device dev = {
        .connect = arena_printf("mirage_net_connect_netif(&$$, \"%s\")", name),
        .headers = one("mirage/net.h"),
        .libraries = one("net"),
        .solo5_net = name,
    };
    return device(file, line, "netif", network_typ, dev, 0, NULL);
}

/* A device of type from -> to over arg, made by connect (declared in
 * header hdr). */
static impl *layer(const char *file, int line, const char *name, typ *from,
                   typ *to, const char *connect, const char *hdr, impl *arg)
{
    struct eng_device dev = {
        .connect = connect,
        .headers = one(hdr),
        .libraries = one("net"),
    };
    return device(file, line, name, mirage_typ_fn_(file, line, from, to), dev,
                  1, &arg);
}

impl *mirage_etif_(const char *file, int line, impl *net)
{
    return layer(file, line, "etif", network_typ, ethernet_typ,
                 "mirage_ethernet_connect_direct(&$$, $0)", "mirage/ethernet.h",
                 net);
}

impl *mirage_arp_(const char *file, int line, impl *eth)
{
    return layer(file, line, "arp", ethernet_typ, arpv4_typ,
                 "mirage_arp_connect_direct(&$$, $0)", "mirage/arp.h", eth);
}

/* The name of runtime argument `base` in o's group. */
static const char *group_name(const struct mirage_net_opts *o, const char *base)
{
    return o->group && *o->group ? arena_printf("%s-%s", o->group, base) : base;
}

impl *mirage_create_ipv4_(struct mirage_net_opts o, impl *eth, impl *arp)
{
    struct in_addr a;
    const char *network = o.network ? o.network : "10.0.0.2/24";
    const char *slash = strchr(network, '/');
    char *addr =
        arena_printf("%.*s", slash ? (int)(slash - network) : 0, network);
    if (!slash || inet_pton(AF_INET, addr, &a) != 1 || !slash[1] ||
        strspn(slash + 1, "0123456789") != strlen(slash + 1) ||
        strlen(slash + 1) > 2 || atoi(slash + 1) > 32) {
        eng_error(o.file_, o.line_,
                  "create_ipv4: bad network '%s' (expected A.B.C.D/N)",
                  network);
        return NULL;
    }
    if (o.gateway && inet_pton(AF_INET, o.gateway, &a) != 1) {
        eng_error(o.file_, o.line_,
                  "create_ipv4: bad gateway '%s' (expected A.B.C.D)",
                  o.gateway);
        return NULL;
    }
    struct mirage_arg_opts ao = {.file_ = o.file_,
                                 .line_ = o.line_,
                                 .docv = "PREFIX",
                                 .section = NET_SECTION};
    const char *ipv4 = group_name(&o, "ipv4");
    const char *gw = group_name(&o, "ipv4-gateway");
    runtime_arg *args[2];
    args[0] = mirage_runtime_arg_string_(
        ipv4, network, "The IPv4 address and network of the interface.", ao);
    ao.docv = "IP";
    args[1] = mirage_runtime_arg_string_(
        gw, o.gateway ? o.gateway : "",
        "The IPv4 gateway (empty: none; only the local network is reached).",
        ao);
    if (!args[0] || !args[1])
        return NULL;
    struct eng_device dev = {
        .connect =
            arena_printf("mirage_ipv4_connect_direct(&$$, $0, $1, ${%s}, "
                         "${%s})",
                         ipv4, gw),
        .headers = one("mirage/ip.h"),
        .libraries = one("net"),
        .args = {2, arena_memdup(args, 2, sizeof args[0])},
    };
    typ *t =
        mirage_typ_fn_(o.file_, o.line_, ethernet_typ,
                       mirage_typ_fn_(o.file_, o.line_, arpv4_typ, ipv4_typ));
    impl *xs[] = {eth, arp};
    return device(o.file_, o.line_, "create_ipv4", t, dev, 2, xs);
}

impl *mirage_create_ipv4v6_(const char *file, int line, impl *ipv4)
{
    return layer(file, line, "create_ipv4v6", ipv4_typ, ipv4v6_typ,
                 "mirage_ip_connect_v4v6(&$$, $0)", "mirage/ip.h", ipv4);
}

/* A transport over a v4v6 IP device, with a random device as $1. */
static impl *transport(struct mirage_net_opts o, const char *name, typ *t,
                       const char *connect, const char *hdr, const char *lib,
                       impl *ip)
{
    impl *r = random_of(&o);
    if (!r)
        return NULL;
    struct eng_device dev = {
        .connect = connect,
        .headers = one(hdr),
        .libraries = one(lib),
        .extra_deps = {1, arena_memdup(&r, 1, sizeof r)},
    };
    return device(o.file_, o.line_, name,
                  mirage_typ_fn_(o.file_, o.line_, ipv4v6_typ, t), dev, 1, &ip);
}

impl *mirage_direct_udp_(struct mirage_net_opts o, impl *ip)
{
    return transport(o, "direct_udp", udpv4v6_typ,
                     "mirage_udp_connect_direct(&$$, $0, $1)", "mirage/udp.h",
                     "net", ip);
}

impl *mirage_direct_tcp_(struct mirage_net_opts o, impl *ip)
{
    return transport(o, "direct_tcp", tcpv4v6_typ,
                     "mirage_tcp_connect_direct(&$$, $0, $1)", "mirage/tcp.h",
                     "tcp", ip);
}

/* network -> ethernet -> arpv4 -> ipv4 -> stack, with random as $4. */
static impl *direct_stack(struct mirage_net_opts o, const char *name,
                          typ *stack, const char *fn, impl *net, impl *eth,
                          impl *arp, impl *ipv4)
{
    impl *r = random_of(&o);
    if (!r)
        return NULL;
    struct eng_device dev = {
        .connect = arena_printf("%s(&$$, $0, $1, $2, $3, $4)", fn),
        .headers = one("mirage/stack.h"),
        .libraries = one("stack"),
        .extra_deps = {1, arena_memdup(&r, 1, sizeof r)},
    };
    const char *f = o.file_;
    int l = o.line_;
    typ *t = mirage_typ_fn_(
        f, l, network_typ,
        mirage_typ_fn_(f, l, ethernet_typ,
                       mirage_typ_fn_(f, l, arpv4_typ,
                                      mirage_typ_fn_(f, l, ipv4_typ, stack))));
    impl *xs[] = {net, eth, arp, ipv4};
    return device(f, l, name, t, dev, 4, xs);
}

impl *mirage_direct_stackv4_(struct mirage_net_opts o, impl *net, impl *eth,
                             impl *arp, impl *ipv4)
{
    return direct_stack(o, "direct_stackv4", stackv4_typ,
                        "mirage_stack_connect_direct", net, eth, arp, ipv4);
}

impl *mirage_direct_stackv4v6_(struct mirage_net_opts o, impl *net, impl *eth,
                               impl *arp, impl *ipv4)
{
    return direct_stack(o, "direct_stackv4v6", stackv4v6_typ,
                        "mirage_stack_connect_direct", net, eth, arp, ipv4);
}

/* The direct stack over etif, arp and create_ipv4 of net. */
static impl *static_stack(struct mirage_net_opts o, bool v4v6, impl *net)
{
    impl *eth = mirage_etif_(o.file_, o.line_, net);
    impl *a = mirage_arp_(o.file_, o.line_, eth);
    impl *ip = mirage_create_ipv4_(o, eth, a);
    return v4v6 ? mirage_direct_stackv4v6_(o, net, eth, a, ip)
                : mirage_direct_stackv4_(o, net, eth, a, ip);
}

impl *mirage_static_ipv4_stack_(struct mirage_net_opts o, impl *net)
{
    return static_stack(o, false, net);
}

impl *mirage_static_ipv4v6_stack_(struct mirage_net_opts o, impl *net)
{
    return static_stack(o, true, net);
}

/* The static stack or the socket stack, by the --net key. */
static impl *generic_stack(struct mirage_net_opts o, bool v4v6, impl *net)
{
    key *k = mirage_key_enum_(
        o.file_, o.line_, group_name(&o, "net"), "auto",
        "The network stack: direct (our own, over a network device), "
        "socket or host (the host's sockets, unix only), or auto (socket "
        "on unix, direct elsewhere).",
        strs("auto", "direct", "socket", "host"));
    struct mirage_socket_opts so = {o.file_, o.line_, o.group};
    impl *direct = static_stack(o, v4v6, net);
    impl *socket =
        v4v6 ? mirage_socket_stackv4v6_(so) : mirage_socket_stackv4_(so);
    if (!k || !direct || !socket)
        return NULL;
    impl *automatic = mirage_match_impl_(
        o.file_, o.line_, key_value(target_key), direct,
        (case_list){1, (struct mirage_case[]){{"unix", socket}}});
    return mirage_match_impl_(o.file_, o.line_, key_value(k), automatic,
                              (case_list){3, (struct mirage_case[]){
                                                 {"direct", direct},
                                                 {"socket", socket},
                                                 {"host", socket},
                                             }});
}

impl *mirage_generic_stackv4_(struct mirage_net_opts o, impl *net)
{
    return generic_stack(o, false, net);
}

impl *mirage_generic_stackv4v6_(struct mirage_net_opts o, impl *net)
{
    return generic_stack(o, true, net);
}
