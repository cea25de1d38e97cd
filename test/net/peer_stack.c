/* The lower network stack of the real-peer test images (peer_stack.h). */
#include "peer_stack.h"

#include <mirage/arp.h>
#include <mirage/error.h>
#include <mirage/ethernet.h>
#include <mirage/fiber.h>
#include <mirage/log.h>
#include <mirage/net.h>
#include <string.h>

uint32_t peer_stack_offloads = MIRAGE_NET_OFFLOAD_ALL;
struct mirage_net *peer_stack_net;

void peer_stack_log_offload(void)
{
    const struct mirage_net_stats *s = &peer_stack_net->stats;
    mirage_log_info(
        "offload: tx_gso %llu rx_gso %llu csum_ok %llu bad_vhdr "
        "%llu",
        (unsigned long long)s->tx_gso, (unsigned long long)s->rx_gso,
        (unsigned long long)s->rx_csum_ok, (unsigned long long)s->rx_bad_vhdr);
}

int peer_stack_lower(const char *iface, struct mirage_net **net,
                     struct mirage_ethernet **eth, struct mirage_arp **arp,
                     struct mirage_random **random)
{
    int err =
        mirage_net_connect_netif_offloads(net, iface, peer_stack_offloads);
    if (!err)
        peer_stack_net = *net;
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
    struct mirage_ip *ip;
    struct mirage_ipv6 *v6;
    return peer_stack_connect_dual(iface, cidr, gateway, NULL, &ip, v4, &v6,
                                   random);
}

int peer_stack_connect_dual(const char *iface, const char *cidr,
                            const char *gateway, const char *cidr6,
                            struct mirage_ip **ip, struct mirage_ipv4 **v4,
                            struct mirage_ipv6 **v6,
                            struct mirage_random **random)
{
    struct mirage_net *net;
    struct mirage_ethernet *eth;
    struct mirage_arp *arp;
    *v6 = NULL;
    int err = peer_stack_lower(iface, &net, &eth, &arp, random);
    if (!err)
        err = mirage_ipv4_connect_direct(v4, eth, arp, cidr, gateway);
    if (!err && cidr6)
        err = mirage_ipv6_connect_direct(v6, eth, *random, cidr6, "", true);
    if (!err)
        err = mirage_ip_connect_v4v6(ip, *v4, *v6);
    return err;
}

int peer_parse_host(const char *s, struct mirage_ipaddr *ip, const char **rest)
{
    char host[MIRAGE_IPADDR_STRLEN];
    const char *start = s, *end;
    if (*s == '[') {
        start = s + 1;
        end = strchr(start, ']');
        if (!end || end[1] != ':')
            return MIRAGE_EINVAL;
        *rest = end + 2;
    } else {
        end = strchr(s, ':');
        if (!end)
            return MIRAGE_EINVAL;
        *rest = end + 1;
    }
    if ((size_t)(end - start) >= sizeof host)
        return MIRAGE_EINVAL;
    memcpy(host, start, (size_t)(end - start));
    host[end - start] = '\0';
    return mirage_ipaddr_parse(host, ip);
}

int peer_wait_ipv6(struct mirage_ipv6 *v6)
{
    uint64_t end = mirage_now() + MIRAGE_SEC(10);
    struct mirage_ipaddr a[8];
    size_t n;
    while ((n = mirage_ip_addresses(mirage_ipv6_ip(v6), a, 8)) < 2) {
        if (mirage_now() >= end)
            return MIRAGE_ETIMEDOUT;
        mirage_sleep_ns(MIRAGE_MSEC(50));
    }
    char text[MIRAGE_IPADDR_STRLEN];
    for (size_t i = 0; i < n && i < 8; i++)
        mirage_log_info("ipv6 address %s",
                        mirage_ipaddr_to_string(&a[i], text));
    return 0;
}
