/* TCP's catalogue entry (<mirage/config/tcp.h>): the connect function of
 * <mirage/tcp.h> in libmirage_tcp.a. */
#include <mirage/config.h>

impl *mirage_direct_tcp_(struct mirage_net_opts o, impl *ip)
{
    return mirage_net_transport_(o, "direct_tcp", tcpv4v6_typ, tcpv6_typ, "tcp",
                                 "tcp", ip);
}
