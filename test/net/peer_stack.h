/* The lower network stack of the real-peer test images (test/net,
 * test/tcp and test/dhcp): netif, Ethernet, ARP and IPv4 from the command
 * line's values, and the random device the protocols above need. */
#ifndef MIRAGE_TEST_PEER_STACK_H
#define MIRAGE_TEST_PEER_STACK_H

#include <mirage/arp.h>
#include <mirage/ethernet.h>
#include <mirage/ip.h>
#include <mirage/ipv6.h>
#include <mirage/net.h>
#include <mirage/random.h>

/* The offloads netif asks for (MIRAGE_NET_OFFLOAD_*; all unless the
 * image's arguments say otherwise), and the device connected last. */
extern uint32_t peer_stack_offloads;
extern struct mirage_net *peer_stack_net;
/* Log the offload counters of peer_stack_net: "offload: tx_gso N rx_gso
 * M csum_ok K bad_vhdr B" (what an offloaded path did). */
void peer_stack_log_offload(void);

/* Connect netif on iface, Ethernet and ARP (no IPv4), and the random
 * device. 0, or the first layer's MIRAGE_E* error. */
int peer_stack_lower(const char *iface, struct mirage_net **net,
                     struct mirage_ethernet **eth, struct mirage_arp **arp,
                     struct mirage_random **random);
/* Connect everything up to IPv4 on iface with address cidr ("A.B.C.D/N")
 * and gateway ("" for none). 0, or the first layer's MIRAGE_E* error. */
int peer_stack_connect(const char *iface, const char *cidr, const char *gateway,
                       struct mirage_ipv4 **v4, struct mirage_random **random);
/* The same, with IPv6 too when cidr6 is not NULL (--ipv6: "ADDR/N", or ""
 * for the link-local address and router advertisements' alone): *ip is
 * the v4v6 device over both (or IPv4's), *v6 the IPv6 layer (NULL
 * without). */
int peer_stack_connect_dual(const char *iface, const char *cidr,
                            const char *gateway, const char *cidr6,
                            struct mirage_ip **ip, struct mirage_ipv4 **v4,
                            struct mirage_ipv6 **v6,
                            struct mirage_random **random);
/* Wait (up to 10 s) until v6 has an address beyond its link-local one
 * (duplicate address detection passed, or SLAAC done), logging "ipv6
 * address A" for each. May yield. 0 or MIRAGE_ETIMEDOUT. */
int peer_wait_ipv6(struct mirage_ipv6 *v6);
/* Parse "A.B.C.D" or "[IPV6]" at the start of s, followed by ':'; *rest
 * is what follows the colon. 0 or MIRAGE_EINVAL. */
int peer_parse_host(const char *s, struct mirage_ipaddr *ip, const char **rest);

#endif
