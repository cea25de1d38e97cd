/* Network stacks (MirageOS Tcpip.Stack.V4 / V6 / V4V6): the devices of
 * one stack bundled for the application, which uses udp and tcp and may
 * look at the layers below (NULL in the socket stacks of socket.h, whose
 * lower layers are the host's, and those of a family the stack does not
 * carry). The V4, V6 and V4V6 stacks are one C type: the configuration
 * types stackv4, stackv6 and stackv4v6 tell them apart. Stacks and their
 * members live until exit. Connecting does not yield. */
#ifndef MIRAGE_STACK_H
#define MIRAGE_STACK_H

#include <mirage/arp.h>
#include <mirage/ethernet.h>
#include <mirage/ip.h>
#include <mirage/ipaddr.h>
#include <mirage/ipv6.h>
#include <mirage/net.h>
#include <mirage/random.h>
#include <mirage/tcp.h>
#include <mirage/udp.h>

struct mirage_stack {
    struct mirage_net *net;
    struct mirage_ethernet *ethernet;
    struct mirage_arp *arp;
    struct mirage_ipv4 *ipv4;
    struct mirage_ipv6 *ipv6;
    struct mirage_ip *ip; /* the v4v6 IP device over ipv4 and ipv6 */
    struct mirage_udp *udp;
    struct mirage_tcp *tcp;
    /* The DNS servers the stack's configuration names (a DHCP lease's:
     * mirage_stack_connect_dhcp, dhcp.h), a resolver's default
     * (resolver.h): fills up to max addresses of out with arg and
     * returns how many, at each call (a lease's servers change with
     * the lease). NULL when the configuration names none. */
    size_t (*dns_servers)(void *arg, struct mirage_ipaddr *out, size_t max);
    void *dns_servers_arg;
};

/* The direct stacks (direct_stackv4, direct_stackv6, direct_stackv4v6,
 * the static stacks): over the given layers, make the v4v6 IP device
 * (mirage_ip_connect_v4v6: v4, v6 or both; a and v4, or v6, may be
 * NULL), a direct UDP device and a direct TCP device (tcp.h) over it,
 * random choosing their ephemeral ports and keying TCP's initial
 * sequence numbers: a listener of the stack takes both families. 0;
 * MIRAGE_EINVAL (neither v4 nor v6: logged, as --ipv4-only and
 * --ipv6-only together give), MIRAGE_ENOMEM or the TCP device's errors,
 * with nothing left behind. */
int mirage_stack_connect_direct(struct mirage_stack **out,
                                struct mirage_net *net,
                                struct mirage_ethernet *e, struct mirage_arp *a,
                                struct mirage_ipv4 *v4, struct mirage_ipv6 *v6,
                                struct mirage_random *random);
/* Free a direct stack with its UDP and TCP devices (the layers below
 * stay: disconnect them afterwards). Every TCP flow must have been
 * closed. Does not yield. */
void mirage_stack_disconnect_direct(struct mirage_stack *s);

#endif
