/* The stack DHCP configures (mirage_stack_connect_dhcp, dhcp.h): a
 * direct stack over the client's IPv4 layer, with the lease as the
 * source of its DNS servers. */
#include <mirage/dhcp.h>
#include <mirage/error.h>

int mirage_stack_connect_dhcp(struct mirage_stack **out, struct mirage_stack *s,
                              struct mirage_dhcp *d)
{
    if (s->ipv4 != mirage_dhcp_ipv4(d))
        return MIRAGE_EINVAL;
    s->dns_servers = mirage_dhcp_dns_servers;
    s->dns_servers_arg = d;
    *out = s;
    return 0;
}
