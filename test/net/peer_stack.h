/* The lower network stack of the real-peer test images (test/net,
 * test/tcp and test/dhcp): netif, Ethernet, ARP and IPv4 from the command
 * line's values, and the random device the protocols above need. */
#ifndef MIRAGE_TEST_PEER_STACK_H
#define MIRAGE_TEST_PEER_STACK_H

#include <mirage/arp.h>
#include <mirage/ethernet.h>
#include <mirage/ip.h>
#include <mirage/net.h>
#include <mirage/random.h>

/* Connect netif on iface, Ethernet and ARP (no IPv4), and the random
 * device. 0, or the first layer's MIRAGE_E* error. */
int peer_stack_lower(const char *iface, struct mirage_net **net,
                     struct mirage_ethernet **eth, struct mirage_arp **arp,
                     struct mirage_random **random);
/* Connect everything up to IPv4 on iface with address cidr ("A.B.C.D/N")
 * and gateway ("" for none). 0, or the first layer's MIRAGE_E* error. */
int peer_stack_connect(const char *iface, const char *cidr, const char *gateway,
                       struct mirage_ipv4 **v4, struct mirage_random **random);

#endif
