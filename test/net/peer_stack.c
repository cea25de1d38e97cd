/* The lower network stack of the real-peer test images (peer_stack.h). */
#include "peer_stack.h"

#include <mirage/arp.h>
#include <mirage/ethernet.h>
#include <mirage/net.h>

int peer_stack_lower(const char *iface, struct mirage_net **net,
                     struct mirage_ethernet **eth, struct mirage_arp **arp,
                     struct mirage_random **random)
{
    int err = mirage_net_connect_netif(net, iface);
    if (!err)
        err = mirage_ethernet_connect_direct(eth, *net);
    if (!err)
        err = mirage_arp_connect_direct(arp, *eth);
    if (!err)
        err = mirage_random_connect_default(random);
    return err;
}

int peer_stack_connect(const char *iface, const char *cidr, const char *gateway,
                       struct mirage_ipv4 **v4, struct mirage_random **random)
{
    struct mirage_net *net;
    struct mirage_ethernet *eth;
    struct mirage_arp *arp;
    int err = peer_stack_lower(iface, &net, &eth, &arp, random);
    if (!err)
        err = mirage_ipv4_connect_direct(v4, eth, arp, cidr, gateway);
    return err;
}
