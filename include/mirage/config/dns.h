/* Name resolution over a stack (lib/dns, entry in lib/dns/config.c;
 * <mirage/resolver.h>). Part of <mirage/config.h>; include that. */
#ifndef MIRAGE_CONFIG_DNS_H
#define MIRAGE_CONFIG_DNS_H

/* resolver_typ: struct mirage_resolver *, MirageOS's resolver (a DNS
 * stub resolver: <mirage/resolver.h>). */
#define resolver_typ                                                           \
    typ_new("resolver", "struct mirage_resolver *",                            \
            .header = "mirage/resolver.h")

/* Options of resolver_dns, MirageOS's optional arguments: .ns, the
 * server to ask ("A.B.C.D" or an IPv6 address; default none), .ns_port
 * its port (1 to 65535, with .ns; default 53), .random, which picks the
 * queries' source ports and IDs (default default_random()). */
struct mirage_resolver_opts {
    const char *file_;
    int line_;
    const char *ns;
    int ns_port;
    impl *random;
};

/* resolver_dns(stack, ...): a DNS stub resolver over the UDP and TCP of
 * a v4v6 stack, with a cache. It asks the servers of the runtime
 * argument --resolver (MirageOS's: comma-separated [udp:|tcp:]ADDR,
 * A.B.C.D:PORT, [IPV6]:PORT), whose default is .ns (and .ns_port); when
 * that is empty, those of the stack's DHCP lease (generic_stackv4v6 with
 * --dhcp=true), read at each query; else there is no server and lookups
 * fail with MIRAGE_EUNREACH, saying so.
 * Example: resolver_dns(generic_stackv4v6(default_network()))
 * Example --dhcp=true: resolver_dns(generic_stackv4v6(default_network()))
 * Example: resolver_dns(static_ipv4v6_stack(default_network()),
 *     .ns = "10.0.0.1", .ns_port = 5353, .random = default_random())
 * Example --net=socket (unix):
 *     resolver_dns(generic_stackv4v6(default_network()), .ns = "2001:db8::1")
 */
#define resolver_dns(stack, ...)                                               \
    MIRAGE_ENTRY_(mirage_resolver_dns_(                                        \
        (struct mirage_resolver_opts){                                         \
            .file_ = __FILE__, .line_ = __LINE__, __VA_ARGS__},                \
        (stack)))

impl *mirage_resolver_dns_(struct mirage_resolver_opts o, impl *stack);

#endif
