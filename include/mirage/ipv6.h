/* IPv6 (RFC 8200) over Ethernet, the `ipv6` interface of MirageOS: the
 * extension header chain walked with a bound, ICMPv6 (RFC 4443) with
 * echo, errors and a rate limit, Neighbor Discovery (RFC 4861) with a
 * bounded neighbour cache, router discovery and SLAAC (RFC 4862) with
 * duplicate address detection, MLDv2 reports (RFC 3810) for the groups
 * it listens to, fragmentation, bounded reassembly, and Packet Too Big
 * honoured per destination (RFC 8201). Redirects are counted and
 * ignored: the routers of router advertisements or the static gateway
 * are the only next hops off the link.
 *
 * The layer serves the generic IP interface of ip.h (mirage_ipv6_ip):
 * the transports (UDP, TCP) run over it as over IPv4. Addresses become
 * usable once duplicate address detection has passed (about a second
 * after they are configured); before that, mirage_ip_src gives
 * MIRAGE_EUNREACH for destinations needing them. Received packets are
 * handled in the event loop; no call here yields. */
#ifndef MIRAGE_IPV6_H
#define MIRAGE_IPV6_H

#include <mirage/ethernet.h>
#include <mirage/ip.h>
#include <mirage/random.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MIRAGE_IPV6_HDR_LEN    40
#define MIRAGE_IPV6_MIN_MTU    1280
#define MIRAGE_IP_PROTO_ICMPV6 58
/* Bounds: extension headers walked per packet (more: dropped as
 * malformed), neighbour cache entries (the least recently used gives
 * way), default routers and on-link prefixes learnt from router
 * advertisements (more: ignored), addresses (link-local, static and
 * SLAAC; more: ignored), destinations with a path MTU of their own (the
 * oldest gives way), reassembly (datagrams in progress, bytes held; each
 * given up after the timeout). */
#define MIRAGE_IPV6_EXT_MAX       8
#define MIRAGE_IPV6_NEIGHBOURS    64
#define MIRAGE_IPV6_ROUTERS       4
#define MIRAGE_IPV6_PREFIXES      8
#define MIRAGE_IPV6_ADDRESSES     8
#define MIRAGE_IPV6_PMTU_ENTRIES  64
#define MIRAGE_IPV6_REASM_MAX     32
#define MIRAGE_IPV6_REASM_BYTES   (1024 * 1024)
#define MIRAGE_IPV6_REASM_TIMEOUT MIRAGE_SEC(60)

/* A static configuration. Without an address the layer has its
 * link-local address only (and those SLAAC gives it when accept_ra). */
struct mirage_ipv6_config {
    bool has_addr;
    uint8_t addr[16];
    unsigned bits; /* prefix length of addr's on-link network, 1..128 */
    bool has_gateway;
    uint8_t gateway[16]; /* the default router (resolved by ND) */
    bool accept_ra;      /* router advertisements: routers, SLAAC */
    /* No duplicate address detection (RFC 4862's DupAddrDetectTransmits
     * of 0): addresses are usable at once. */
    bool no_dad;
};

/* What the layer counts besides struct mirage_ip_stats. */
struct mirage_ipv6_stats {
    uint64_t rx_echo_requests, tx_echo_replies, rx_echo_replies;
    uint64_t rx_icmp_errors; /* errors delivered to a protocol */
    uint64_t rx_icmp_bad;    /* short, bad checksum, bad quote */
    uint64_t tx_icmp_errors; /* errors sent */
    uint64_t icmp_rate_limited;
    uint64_t rx_too_many_ext; /* chains over MIRAGE_IPV6_EXT_MAX */
    uint64_t rx_nd_bad;       /* ND messages failing validation */
    uint64_t rx_ns, rx_na, rx_ra, tx_ns, tx_na, tx_rs;
    uint64_t rx_redirects; /* ignored */
    uint64_t nd_evicted;   /* cache entries given way */
    uint64_t nd_failed;    /* resolutions that got no answer */
    uint64_t ra_ignored;   /* routers/prefixes/addresses over bound */
    uint64_t dad_failed;   /* addresses found duplicate */
    uint64_t tx_mld_reports;
    uint64_t pmtu_updates; /* Packet Too Big honoured */
};

/* One entry of the neighbour cache (RFC 4861 7.3.2's states). */
enum mirage_ipv6_nd_state {
    MIRAGE_ND_INCOMPLETE,
    MIRAGE_ND_REACHABLE,
    MIRAGE_ND_STALE,
    MIRAGE_ND_DELAY,
    MIRAGE_ND_PROBE,
};
struct mirage_ipv6_neighbour {
    uint8_t ip[16];
    uint8_t mac[6]; /* zero while INCOMPLETE */
    enum mirage_ipv6_nd_state state;
    bool router;
};

struct mirage_ipv6;
/* Start IPv6 over e with cfg: the link-local address (from e's MAC,
 * EUI-64) and cfg's address go through duplicate address detection; with
 * accept_ra, router solicitations are sent. random picks fragment
 * identifications and the timing jitter. 0; MIRAGE_EINVAL (cfg.addr
 * multicast, unspecified or loopback, bits 0 or over 128, a gateway that
 * is multicast or unspecified, an interface MTU below 1280);
 * MIRAGE_ENOMEM. */
int mirage_ipv6_connect_direct_config(struct mirage_ipv6 **out,
                                      struct mirage_ethernet *e,
                                      struct mirage_random *random,
                                      const struct mirage_ipv6_config *cfg);
/* The same from the runtime arguments' text: cidr "ADDR/N" or "" for none
 * (--ipv6), gateway "ADDR" or "" (--ipv6-gateway), accept_ra
 * (--accept-router-advertisements). Bad text is MIRAGE_EINVAL with a
 * logged message naming the value. */
int mirage_ipv6_connect_direct(struct mirage_ipv6 **out,
                               struct mirage_ethernet *e,
                               struct mirage_random *random, const char *cidr,
                               const char *gateway, bool accept_ra);
/* The generic interface of this IPv6 layer. */
struct mirage_ip *mirage_ipv6_ip(struct mirage_ipv6 *v6);
const struct mirage_ipv6_stats *mirage_ipv6_stats(const struct mirage_ipv6 *v6);
/* Copy up to max entries of the neighbour cache to out; returns how many
 * the cache holds. */
size_t mirage_ipv6_neighbours(const struct mirage_ipv6 *v6,
                              struct mirage_ipv6_neighbour *out, size_t max);
/* How many default routers and on-link prefixes the layer knows. */
size_t mirage_ipv6_routers(const struct mirage_ipv6 *v6);
size_t mirage_ipv6_prefixes(const struct mirage_ipv6 *v6);
/* The path MTU towards dst (the link's without Packet Too Big). */
size_t mirage_ipv6_pmtu(const struct mirage_ipv6 *v6, const uint8_t dst[16]);
/* How many bytes the reassembly holds now. */
size_t mirage_ipv6_reasm_bytes(const struct mirage_ipv6 *v6);
/* Stop and free v6 (invalid afterwards): cancel its timers, drop what it
 * holds. The protocols over it must have been disconnected first. */
void mirage_ipv6_disconnect(struct mirage_ipv6 *v6);

/* Fill in the checksum of the ICMPv6 message msg (len bytes, sent from
 * src to dst): over the pseudo-header and the message (RFC 4443 2.3). */
void mirage_icmpv6_checksum(const uint8_t src[16], const uint8_t dst[16],
                            uint8_t *msg, size_t len);

/* The IPv6 address a (16 bytes) as a struct mirage_ipaddr. */
static inline struct mirage_ipaddr mirage_ipaddr_of_v6(const uint8_t a[16])
{
    struct mirage_ipaddr r = {.version = MIRAGE_IP_V6};
    __builtin_memcpy(r.v6, a, 16);
    return r;
}

#endif
