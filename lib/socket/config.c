/* The socket stack's catalogue entries (<mirage/config/socket.h>): the
 * connect functions of <mirage/socket.h> in libmirage_socket.a, which
 * uses the unix-only host sockets: every device supports unix alone. */
#include <mirage/config.h>

#include <arpa/inet.h>
#include <string.h>

#define SECTION "NETWORK OPTIONS"

/* A socket device of type t, connected by mirage_KIND_connect_socket
 * with the C expressions ipv4, ipv6, ipv4_only and ipv6_only, reading
 * the runtime arguments args. */
static impl *socket_device(const char *name, typ *t, const char *kind,
                           const char *ipv4, const char *ipv6,
                           const char *ipv4_only, const char *ipv6_only,
                           arg_list args)
{
    return impl(name, t,
                .connect = mirage_printf(
                    "mirage_%s_connect_socket(&$out, %s, %s, %s, %s)", kind,
                    ipv4, ipv6, ipv4_only, ipv6_only),
                .headers = strs("mirage/socket.h"), .libraries = strs("socket"),
                .targets = strs("unix"), .runtime_args = args);
}

/* The runtime arguments of MirageOS's socket stacks, named for o's
 * group (v6 false: the IPv4 one): --ipv4 (default 0.0.0.0/0: any
 * address) or --ipv6 (default none: any address), and --ipv4-only or
 * --ipv6-only; *v becomes ${NAME}. */
static runtime_arg *arg_address(const struct mirage_net_opts *o, bool v6,
                                const char **v)
{
    const char *name = mirage_group_name(o->group, v6 ? "ipv6" : "ipv4");
    *v = mirage_printf("${%s}", name);
    return runtime_arg_string(
        name, v6 ? "" : "0.0.0.0/0",
        v6 ? "The IPv6 address the socket stack binds its sockets to (the "
             "prefix length is ignored; empty or :: is any address)."
           : "The IPv4 address the socket stack binds its sockets to (the "
             "prefix length is ignored; 0.0.0.0 is any address).",
        .docv = "PREFIX", .section = SECTION);
}

static runtime_arg *arg_only(const struct mirage_net_opts *o, bool v6,
                             const char **v)
{
    const char *name =
        mirage_group_name(o->group, v6 ? "ipv6-only" : "ipv4-only");
    *v = mirage_printf("${%s}", name);
    return runtime_arg_bool(name, false,
                            v6 ? "Only use IPv6 (the socket devices serve no "
                                 "IPv4)."
                               : "Only use IPv4 (the socket devices serve no "
                                 "IPv6).",
                            .section = SECTION);
}

impl *mirage_socket_stack_(struct mirage_net_opts o, bool v4v6)
{
    const char *c4, *c6, *c4only, *c6only;
    runtime_arg *v4 = arg_address(&o, false, &c4);
    if (!v4)
        return NULL;
    if (!v4v6)
        return socket_device("socket_stackv4", stackv4_typ, "stack", c4, "NULL",
                             "true", "false", args(v4));
    runtime_arg *v6 = arg_address(&o, true, &c6),
                *only4 = arg_only(&o, false, &c4only),
                *only6 = arg_only(&o, true, &c6only);
    if (!v6 || !only4 || !only6)
        return NULL;
    return socket_device("socket_stackv4v6", stackv4v6_typ, "stack", c4, c6,
                         c4only, c6only, args(v4, v6, only4, only6));
}

impl *mirage_socket_stackv6_(struct mirage_net_opts o)
{
    const char *c6;
    runtime_arg *v6 = arg_address(&o, true, &c6);
    if (!v6)
        return NULL;
    return socket_device("socket_stackv6", stackv6_typ, "stack", "NULL", c6,
                         "false", "true", args(v6));
}

/* ip (NULL: any) as the C string of a fixed address of family af for
 * device name; NULL after recording an error. */
static const char *fixed(const char *name, int af, const char *ip)
{
    unsigned char a[16];
    if (!ip)
        return "NULL";
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0,    0,
                                             0, 0, 0, 0, 0xff, 0xff};
    if (inet_pton(af, ip, a) == 1 && af == AF_INET6 &&
        memcmp(a, mapped, sizeof(mapped)) == 0) {
        mirage_fail("%s: '%s' is an IPv4-mapped address: give the IPv4 "
                    "address to an IPv4 device",
                    name, ip);
        return NULL;
    }
    if (inet_pton(af, ip, a) == 1)
        return mirage_cstr(ip);
    int other = af == AF_INET ? AF_INET6 : AF_INET;
    if (inet_pton(other, ip, a) == 1)
        mirage_fail("%s: '%s' is an %s address where an %s one is expected",
                    name, ip, af == AF_INET ? "IPv6" : "IPv4",
                    af == AF_INET ? "IPv4" : "IPv6");
    else if (af == AF_INET)
        mirage_fail("%s: bad IPv4 address '%s' (expected A.B.C.D)", name, ip);
    else
        mirage_fail("%s: bad IPv6 address '%s' (expected an address such as "
                    "fd00::2)",
                    name, ip);
    return NULL;
}

/* socket_udpv4 ... socket_tcpv4v6 (socket_KIND plus the families):
 * bound to the fixed addresses ip4 and ip6 (NULL: any), checked now; the
 * v4v6 devices read --ipv4-only and --ipv6-only. */
static impl *socket_transport(typ *t, const char *kind, const char *ip4,
                              const char *ip6, bool v4, bool v6,
                              struct mirage_net_opts o)
{
    const char *name = mirage_printf("socket_%s%s", kind,
                                     v4 && v6 ? "v4v6"
                                     : v4     ? "v4"
                                              : "v6");
    const char *c4 = v4 ? fixed(name, AF_INET, ip4) : "NULL";
    const char *c6 = v6 ? fixed(name, AF_INET6, ip6) : "NULL";
    if (!c4 || !c6)
        return NULL;
    if (!v4 || !v6)
        return socket_device(name, t, kind, c4, c6, v6 ? "false" : "true",
                             v4 ? "false" : "true", (arg_list){0});
    const char *c4only, *c6only;
    runtime_arg *only4 = arg_only(&o, false, &c4only),
                *only6 = arg_only(&o, true, &c6only);
    if (!only4 || !only6)
        return NULL;
    return socket_device(name, t, kind, c4, c6, c4only, c6only,
                         args(only4, only6));
}

impl *mirage_socket_udp_(struct mirage_net_opts o, const char *ip4,
                         const char *ip6, bool v4, bool v6)
{
    return socket_transport(udpv4v6_typ, "udp", ip4, ip6, v4, v6, o);
}

impl *mirage_socket_tcp_(struct mirage_net_opts o, const char *ip4,
                         const char *ip6, bool v4, bool v6)
{
    return socket_transport(tcpv4v6_typ, "tcp", ip4, ip6, v4, v6, o);
}
