/* resolver_dns's catalogue entry (<mirage/config/dns.h>):
 * mirage_resolver_connect_dns of <mirage/resolver.h> in libmirage_dns.a,
 * over a v4v6 stack. */
#include <mirage/config.h>

#include <arpa/inet.h>
#include <stdbool.h>

impl *mirage_resolver_dns_(struct mirage_resolver_opts o, impl *stack)
{
    unsigned char a[16];
    bool v6 = o.ns && inet_pton(AF_INET6, o.ns, a) == 1;
    if (o.ns && !v6 && inet_pton(AF_INET, o.ns, a) != 1)
        return mirage_fail("resolver_dns: bad .ns '%s' (expected an IPv4 or "
                           "IPv6 address)",
                           o.ns);
    if (o.ns_port && !o.ns)
        return mirage_fail("resolver_dns: .ns_port needs .ns");
    if (o.ns_port < 0 || o.ns_port > 65535)
        return mirage_fail("resolver_dns: bad .ns_port %d (expected 1 to "
                           "65535)",
                           o.ns_port);
    const char *def = "";
    if (o.ns && o.ns_port)
        def = mirage_printf(v6 ? "[%s]:%d" : "%s:%d", o.ns, o.ns_port);
    else if (o.ns)
        def = o.ns;
    runtime_arg *servers = runtime_arg_string(
        "resolver", def,
        "The DNS servers to ask, comma-separated: [udp:|tcp:]ADDR, "
        "A.B.C.D:PORT or [IPV6]:PORT (tcp: asks over TCP only). Empty: "
        "the servers of the stack's DHCP lease, if it has one.",
        .docv = "SERVERS", .section = "NETWORK OPTIONS");
    impl *f = impl(
        "resolver_dns", typ_fn(stackv4v6_typ, resolver_typ),
        .connect = "mirage_resolver_connect_dns(&$out, $stackv4v6, $random, "
                   "${resolver}, $stackv4v6->dns_servers, "
                   "$stackv4v6->dns_servers_arg)",
        .headers = strs("mirage/resolver.h"), .libraries = strs("dns"),
        .runtime_args = args(servers),
        .extra_deps = deps(o.random ? o.random : default_random()));
    return apply(f, stack);
}
