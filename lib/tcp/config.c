/* TCP's catalogue entry (<mirage/config/tcp.h>): the connect function of
 * <mirage/tcp.h> in libmirage_tcp.a. */
#include <mirage/config.h>

typ *mirage_tcpv4v6_typ(void)
{
    return typ_new("tcpv4v6", "struct mirage_tcp *", .header = "mirage/tcp.h");
}

impl *mirage_direct_tcp_(struct mirage_net_opts o, impl *ip)
{
    impl *f = impl("direct_tcp", typ_fn(ipv4v6_typ, tcpv4v6_typ),
                   .connect = "mirage_tcp_connect_direct(&$out, $ipv4v6, "
                              "$random)",
                   .headers = strs("mirage/tcp.h"), .libraries = strs("tcp"),
                   .extra_deps = deps(mirage_net_random_(&o)));
    return apply(f, ip);
}
