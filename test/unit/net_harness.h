/* Helpers for the network stack tests: nodes (a whole stack on one port
 * of a test network), a deterministic random device, checks usable in
 * test bodies that run as fibers, and frame builders for hostile input. */
#ifndef MIRAGE_TEST_NET_HARNESS_H
#define MIRAGE_TEST_NET_HARNESS_H

#include "test.h"
#include "testnet_plat.h"

#include <mirage/arp.h>
#include <mirage/error.h>
#include <mirage/ethernet.h>
#include <mirage/fiber.h>
#include <mirage/ip.h>
#include <mirage/ipv6.h>
#include <mirage/net.h>
#include <mirage/udp.h>

/* Checks for bodies returning int: on failure report and return 1. */
#define NCHECK(cond)                                                           \
    do {                                                                       \
        if (!(cond)) {                                                         \
            test_fail(__FILE__, __LINE__, "%s", #cond);                        \
            return 1;                                                          \
        }                                                                      \
    } while (0)
#define NCHECK_INT(a, b)                                                       \
    do {                                                                       \
        long long a_ = (long long)(a), b_ = (long long)(b);                    \
        if (a_ != b_) {                                                        \
            test_fail(__FILE__, __LINE__, "%s == %lld, expected %lld", #a, a_, \
                      b_);                                                     \
            return 1;                                                          \
        }                                                                      \
    } while (0)

#define MAX_NODES 8

/* One stack: port "nodeN" of the network with MAC 02:00:00:00:00:N+1. */
struct node {
    unsigned port;
    uint8_t mac[6];
    struct mirage_net *net;
    struct mirage_ethernet *eth;
    struct mirage_arp *arp;
    struct mirage_ipv4 *v4;
    struct mirage_ipv6 *v6;
    struct mirage_ip *ip; /* v4's, or the dual device over v4 and v6 */
    struct mirage_udp *udp;
};

/* A node's port on the current network, before net_run. Returns its
 * index (0 ...). */
int node_add(size_t mtu);
/* Connect the stack of node i (inside net_run) with the given --ipv4 and
 * --ipv4-gateway texts: netif to IPv4 (node_connect_ip), or UDP too
 * (node_connect). 0 or the failing layer's error. */
int node_connect_ip(int i, const char *cidr, const char *gateway);
int node_connect(int i, const char *cidr, const char *gateway);
/* The same with IPv6 too (--ipv6 cidr6, no gateway; accept_ra as
 * --accept-router-advertisements; cidr4 NULL: IPv6 only): ip is the dual
 * device (or the IPv6 layer's), UDP goes over it. */
int node_connect_dual(int i, const char *cidr4, const char *cidr6,
                      bool accept_ra);
struct node *node_get(int i);

/* Create a network with `seed`, let the caller add ports (setup may be
 * NULL), run body as the main fiber, then disconnect every node, let the
 * timer fiber end, and check no timer is left. Reports a failure (with
 * the console output) when body returns non-zero. */
void net_run(uint64_t seed, void (*setup)(void), int (*body)(void));

/* Sleep until the virtual clock has moved by ns. May yield. */
void net_wait(uint64_t ns);

/* A random device that repeats the same sequence in every run. */
extern struct mirage_random *net_random;

/* Frame builders for injected input: an Ethernet header to `to`'s MAC
 * from 02:00:00:00:00:99 then an IPv4 header (checksummed, no options)
 * with the given fields; returns the header length written (34). */
size_t build_eth_ipv4(uint8_t *p, const struct node *to, uint32_t src,
                      uint32_t dst, uint8_t proto, uint16_t id, uint16_t frag,
                      size_t payload_len);
/* Recompute the IPv4 header checksum of the frame at p (header at 14). */
void fix_ipv4_csum(uint8_t *p);
/* Send a 64-byte ICMPv4 echo request filled with `fill` from node a to
 * `to` (one allocation): mirage_ip_write's result. */
int send_echo(struct node *a, const struct mirage_ipaddr *to, int fill);

#endif
