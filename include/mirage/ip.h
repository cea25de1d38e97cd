/* IP (MirageOS Tcpip.Ip.S): the interface the transport layers (UDP, TCP,
 * ICMP) are written against, shared by IPv4 and IPv6 (ipv6.h); its IPv4
 * implementation with static configuration; and the Internet checksum.
 *
 * Received packets are processed in the event loop: protocol handlers run
 * there (not in a fiber) and must not yield. Buffers follow buf.h: write
 * takes the payload over, handlers borrow theirs. No call here yields. */
#ifndef MIRAGE_IP_H
#define MIRAGE_IP_H

#include <mirage/arp.h>
#include <mirage/buf.h>
#include <mirage/ethernet.h>
#include <mirage/ipaddr.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MIRAGE_IP_PROTO_ICMP 1
#define MIRAGE_IP_PROTO_TCP  6
#define MIRAGE_IP_PROTO_UDP  17

#define MIRAGE_IPV4_HDR_LEN 20 /* without options; we send none */

/* What a protocol handler learns about a received packet. hdr points at
 * the IP header (hdr_len bytes, options included) and stays valid for the
 * call; it is what ICMP errors quote (mirage_ip_report). */
struct mirage_ip_rx {
    struct mirage_ipaddr src, dst;
    uint8_t proto;
    uint8_t ttl;
    bool broadcast; /* dst is a broadcast address */
    const uint8_t *hdr;
    size_t hdr_len;
};

/* An ICMP error about a packet we sent, delivered back to the protocol
 * that sent it. src/dst are the original packet's addresses (src is
 * ours); orig is the start of its transport header (orig_len >= 8 bytes:
 * enough for the ports and TCP's sequence number). err is the matching
 * MIRAGE_E* (MIRAGE_ECONNREFUSED for port/protocol unreachable,
 * MIRAGE_EUNREACH for other unreachables, MIRAGE_ETIMEDOUT for time
 * exceeded, MIRAGE_ERANGE for "fragmentation needed", with mtu set). */
struct mirage_ip_error {
    struct mirage_ipaddr src, dst;
    uint8_t proto;
    uint8_t icmp_type, icmp_code;
    int err;
    uint32_t mtu; /* next-hop MTU of "fragmentation needed", else 0 */
    const uint8_t *orig;
    size_t orig_len;
};

/* A transport protocol's handlers. input gets the payload (the transport
 * header onwards, trimmed to the IP total length; reassembled when it
 * came in fragments). error, which may be NULL, gets the ICMP errors
 * about packets of this protocol. */
struct mirage_ip_proto {
    void (*input)(void *arg, const struct mirage_ip_rx *rx,
                  struct mirage_buf *payload);
    void (*error)(void *arg, const struct mirage_ip_error *e);
    void *arg;
};

/* What mirage_ip_report sends back to the source of a received packet. */
enum mirage_ip_report_kind {
    MIRAGE_IP_PORT_UNREACHABLE,
    MIRAGE_IP_PROTO_UNREACHABLE,
};

struct mirage_ip_stats {
    uint64_t rx_pkts, tx_pkts;
    uint64_t rx_malformed;  /* bad version, lengths or flags, or an
                               impossible source: dropped */
    uint64_t rx_bad_csum;   /* header checksum wrong: dropped */
    uint64_t rx_not_us;     /* not addressed to us: dropped */
    uint64_t rx_no_proto;   /* protocol without handler */
    uint64_t rx_frags;      /* fragments received */
    uint64_t reasm_ok;      /* datagrams reassembled */
    uint64_t reasm_dropped; /* fragments or datagrams given up */
    uint64_t tx_frags;      /* fragments sent */
    uint64_t tx_no_route;   /* writes without a route */
};

struct mirage_ip;
struct mirage_ip_ops {
    /* Send payload (the transport header onwards) from src (NULL: chosen
     * by mirage_ip_src) to dst with protocol proto, fragmenting it when
     * it exceeds the MTU; takes payload over. The payload needs
     * MIRAGE_IP_HEADROOM bytes of headroom. 0 (sent, or queued for
     * address resolution); MIRAGE_EINVAL (bad address version, src not
     * ours, too little headroom, longer than 65515 bytes, a super-segment
     * the interface cannot send), MIRAGE_EUNREACH
     * (no route, or resolution of the next hop failed), MIRAGE_ENOMEM,
     * the lower layers' errors. */
    int (*write)(struct mirage_ip *ip, const struct mirage_ipaddr *src,
                 const struct mirage_ipaddr *dst, uint8_t proto,
                 struct mirage_buf *payload);
    /* The source address to use towards dst: 0 or MIRAGE_EUNREACH (no
     * address of dst's version) / MIRAGE_EINVAL. */
    int (*src)(struct mirage_ip *ip, const struct mirage_ipaddr *dst,
               struct mirage_ipaddr *out);
    /* The largest payload that reaches dst without fragmentation. */
    size_t (*mtu)(struct mirage_ip *ip, const struct mirage_ipaddr *dst);
    /* Set the handlers of protocol proto (NULL removes them); the
     * struct is copied. 0 or MIRAGE_EINVAL (proto 0). */
    int (*set_proto)(struct mirage_ip *ip, uint8_t proto,
                     const struct mirage_ip_proto *p);
    /* Send an ICMP error about the received packet (rx, payload) back to
     * its source; nothing is sent for broadcasts, fragments other than the
     * first, or ICMP errors (RFC 1122 3.2.2). 0 or an error of write. */
    int (*report)(struct mirage_ip *ip, const struct mirage_ip_rx *rx,
                  const struct mirage_buf *payload,
                  enum mirage_ip_report_kind kind);
    /* Copy up to max of our addresses to out; returns how many. */
    size_t (*addresses)(struct mirage_ip *ip, struct mirage_ipaddr *out,
                        size_t max);
};
struct mirage_ip {
    const struct mirage_ip_ops *ops;
    struct mirage_ip_stats stats;
    /* The offloads of the interface below (net.h's MIRAGE_NET_OFFLOAD_*;
     * 0 when none, or for a device that does not say): with CSUM a
     * payload written may leave its transport checksum to the device
     * (MIRAGE_BUF_CSUM_PARTIAL, buf.h); with TSO4 (TSO6) a TCP payload
     * with gso_size set may go to an IPv4 (IPv6) destination beyond
     * mtu(), up to an IP packet of MIRAGE_NET_GSO_MAX_IP bytes, and is
     * sent whole (never fragmented). */
    uint32_t offloads;
};

/* Headroom a payload needs for mirage_ip_write: the IP header of either
 * version (IPv6's 40 bytes) and Ethernet's. */
#define MIRAGE_IP_HEADROOM (40 + MIRAGE_ETH_HDR_LEN)

static inline int mirage_ip_write(struct mirage_ip *ip,
                                  const struct mirage_ipaddr *src,
                                  const struct mirage_ipaddr *dst,
                                  uint8_t proto, struct mirage_buf *payload)
{
    return ip->ops->write(ip, src, dst, proto, payload);
}
static inline int mirage_ip_src(struct mirage_ip *ip,
                                const struct mirage_ipaddr *dst,
                                struct mirage_ipaddr *out)
{
    return ip->ops->src(ip, dst, out);
}
static inline size_t mirage_ip_mtu(struct mirage_ip *ip,
                                   const struct mirage_ipaddr *dst)
{
    return ip->ops->mtu(ip, dst);
}
static inline int mirage_ip_set_proto(struct mirage_ip *ip, uint8_t proto,
                                      const struct mirage_ip_proto *p)
{
    return ip->ops->set_proto(ip, proto, p);
}
static inline int mirage_ip_report(struct mirage_ip *ip,
                                   const struct mirage_ip_rx *rx,
                                   const struct mirage_buf *payload,
                                   enum mirage_ip_report_kind kind)
{
    return ip->ops->report(ip, rx, payload, kind);
}
static inline size_t mirage_ip_addresses(struct mirage_ip *ip,
                                         struct mirage_ipaddr *out, size_t max)
{
    return ip->ops->addresses(ip, out, max);
}

/* ---- The Internet checksum (RFC 1071) ---------------------------------
 * sum = mirage_csum_add(sum, data, len) accumulates (any len; call it on
 * consecutive pieces only when all but the last have even length);
 * mirage_csum_fold(sum) gives the final 16-bit checksum (one's
 * complement, host order: store it with mirage_put_be16). Verifying a
 * packet that contains its checksum gives 0. */
uint32_t mirage_csum_add(uint32_t sum, const void *data, size_t len);
uint16_t mirage_csum_fold(uint32_t sum);
/* The partial sum of the pseudo-header (RFC 793 / RFC 8200): addresses,
 * protocol and transport length; both addresses of one version. */
uint32_t mirage_ip_pseudo_sum(const struct mirage_ipaddr *src,
                              const struct mirage_ipaddr *dst, uint8_t proto,
                              size_t len);

/* ---- IPv4 with static configuration -----------------------------------
 * Answers for its address (via ARP), routes everything outside its
 * network via the gateway, verifies header checksums, fragments on send,
 * reassembles on receive (at most MIRAGE_IPV4_REASM_MAX datagrams in
 * progress holding MIRAGE_IPV4_REASM_BYTES in all, each given up after
 * MIRAGE_IPV4_REASM_TIMEOUT; overlapping fragments drop the datagram), and
 * does ICMP: echo replies and delivering errors to the protocols. */
#define MIRAGE_IPV4_REASM_MAX     64
#define MIRAGE_IPV4_REASM_BYTES   (1024 * 1024)
#define MIRAGE_IPV4_REASM_TIMEOUT MIRAGE_SEC(30)

struct mirage_ipv4_config {
    struct mirage_ipv4_prefix cidr; /* our address and network */
    /* MIRAGE_IPV4_ANY: none. Reached directly even when outside the
     * network (as Linux's "onlink"), for /32 addresses in clouds. */
    mirage_ipv4_addr gateway;
};

struct mirage_icmp_stats {
    uint64_t rx_echo_requests, tx_echo_replies, rx_echo_replies;
    uint64_t rx_errors;    /* errors delivered to a protocol */
    uint64_t rx_malformed; /* short, bad checksum, bad quote: dropped */
    uint64_t tx_errors;    /* unreachables we sent */
};

struct mirage_ipv4;
/* Start IPv4 over e and a (a learns our address and announces it). 0;
 * MIRAGE_EINVAL (address 0.0.0.0, broadcast or multicast, prefix over
 * 32, gateway our own address, broadcast or multicast, an interface MTU
 * below 68); MIRAGE_ENOMEM. */
int mirage_ipv4_connect_direct_config(struct mirage_ipv4 **out,
                                      struct mirage_ethernet *e,
                                      struct mirage_arp *a,
                                      const struct mirage_ipv4_config *cfg);
/* The same from the runtime arguments' text: cidr "A.B.C.D/N" (--ipv4),
 * gateway "A.B.C.D", or NULL or "" for none (--ipv4-gateway). Bad text is
 * MIRAGE_EINVAL with a logged message naming the value. */
int mirage_ipv4_connect_direct(struct mirage_ipv4 **out,
                               struct mirage_ethernet *e, struct mirage_arp *a,
                               const char *cidr, const char *gateway);
/* The generic interface of this IPv4 layer. */
struct mirage_ip *mirage_ipv4_ip(struct mirage_ipv4 *v4);
const struct mirage_ipv4_config *
mirage_ipv4_config(const struct mirage_ipv4 *v4);
const struct mirage_icmp_stats *
mirage_ipv4_icmp_stats(const struct mirage_ipv4 *v4);
/* How many bytes the reassembly holds now. */
size_t mirage_ipv4_reasm_bytes(const struct mirage_ipv4 *v4);
/* The v4v6 IP device over an IPv4 layer and an IPv6 one (ipv6.h), either
 * of which may be NULL (not both): with one, that layer's own interface;
 * with both, a device sending each packet by its destination's version,
 * setting the protocols' handlers on both layers (so a transport over it
 * listens on both families), reporting through the layer a packet came
 * from, and listing the IPv4 address then the IPv6 ones. Its stats stay
 * zero: each layer counts its own. 0, MIRAGE_EINVAL (both NULL) or
 * MIRAGE_ENOMEM. */
struct mirage_ipv6;
int mirage_ip_connect_v4v6(struct mirage_ip **out, struct mirage_ipv4 *v4,
                           struct mirage_ipv6 *v6);
/* Free what mirage_ip_connect_v4v6 made (the layers stay); the protocols
 * over it must have been disconnected first. */
void mirage_ip_disconnect_v4v6(struct mirage_ip *ip);
/* Stop and free v4 (invalid afterwards): drop pending reassembly and
 * cancel its timers. The protocols over it must have been disconnected
 * first. */
void mirage_ipv4_disconnect(struct mirage_ipv4 *v4);

/* ---- Run-time configuration (DHCP, lib/dhcp) ---------------------------
 * An IPv4 layer may start without an address and be given one, changed or
 * taken away later. Without an address it accepts only broadcasts and
 * sends only to 255.255.255.255 (from 0.0.0.0); mirage_ip_src gives
 * 0.0.0.0 for broadcasts and MIRAGE_EUNREACH for any other destination,
 * and mirage_ip_addresses lists nothing. Each change is logged ("address
 * A/N, gateway G", "address A/N removed"). Connections using a removed
 * address are not told: their packets stop. None of these yields. */

/* Start IPv4 over e and a without an address. 0, MIRAGE_EINVAL (an
 * interface MTU below 68), MIRAGE_ENOMEM. */
int mirage_ipv4_connect_unconfigured(struct mirage_ipv4 **out,
                                     struct mirage_ethernet *e,
                                     struct mirage_arp *a);
/* Take cfg as the address, network and gateway (replacing any): ARP
 * answers for the new address (announced) and no longer for an old one.
 * 0; MIRAGE_EINVAL (as mirage_ipv4_connect_direct_config), MIRAGE_ENOSPC (ARP
 * holds too many addresses). */
int mirage_ipv4_set_config(struct mirage_ipv4 *v4,
                           const struct mirage_ipv4_config *cfg);
/* Remove the address (no-op without one). */
void mirage_ipv4_clear_config(struct mirage_ipv4 *v4);
bool mirage_ipv4_configured(const struct mirage_ipv4 *v4);
/* Send packets no larger than mtu (68 and up; 0: the interface's MTU) even
 * when the interface takes larger ones. 0 or MIRAGE_EINVAL. */
int mirage_ipv4_set_mtu(struct mirage_ipv4 *v4, size_t mtu);
/* Hand the UDP datagrams to `port` (header included, as received: length
 * and checksum unchecked) to fn instead of the UDP layer, so that a DHCP
 * client works under the stack's UDP device and before it exists. One
 * port at a time; fn NULL removes the hook. fn runs in the event loop and
 * must not yield; the buffer is lent for the call. */
typedef void (*mirage_ipv4_udp_hook)(void *arg, const struct mirage_ip_rx *rx,
                                     struct mirage_buf *datagram);
void mirage_ipv4_set_udp_hook(struct mirage_ipv4 *v4, uint16_t port,
                              mirage_ipv4_udp_hook fn, void *arg);

#endif
