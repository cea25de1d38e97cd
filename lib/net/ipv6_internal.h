/* What the parts of the IPv6 layer share (ipv6.c, ipv6_nd.c, icmpv6.c,
 * ipv6_reasm.c); not a public interface. */
#ifndef MIRAGE_NET_IPV6_INTERNAL_H
#define MIRAGE_NET_IPV6_INTERNAL_H

#include "ratelimit.h"

#include <mirage/ipv6.h>
#include <mirage/net.h>
#include <mirage/random.h>

/* An address of ours. */
enum addr_state { ADDR_TENTATIVE, ADDR_PREFERRED, ADDR_DEPRECATED };
struct addr6 {
    uint8_t a[16];
    unsigned bits;
    enum addr_state state;
    bool slaac;      /* from a router advertisement's prefix */
    uint64_t dad_at; /* TENTATIVE: when the NS is sent, then when
                        the address becomes PREFERRED */
    bool dad_sent;
    uint64_t preferred_until; /* UINT64_MAX: forever */
    uint64_t valid_until;
};

struct nbr {
    uint8_t ip[16];
    uint8_t mac[6];
    enum mirage_ipv6_nd_state state;
    bool used_slot, router;
    unsigned probes;    /* solicitations sent in INCOMPLETE / PROBE */
    uint64_t deadline;  /* of the state: retransmit, DELAY end, REACHABLE end */
    uint64_t last_used; /* for eviction */
    struct mirage_buf *queue; /* INCOMPLETE: packets waiting (linked by next) */
    unsigned queued;
};

struct router6 {
    uint8_t ip[16];
    uint64_t until;
};

struct prefix6 {
    uint8_t p[16];
    unsigned bits;
    uint64_t until; /* UINT64_MAX: forever (static) */
};

struct pmtu6 {
    uint8_t dst[16];
    size_t mtu;
    uint64_t until;
};

struct reasm6_datagram;

struct mirage_ipv6 {
    struct mirage_ip ip; /* first: the ops find the layer from it */
    struct mirage_ethernet *eth;
    struct mirage_random *random;
    struct mirage_ipv6_config cfg;
    struct mirage_ipv6_stats st;
    struct mirage_ip_proto protos[256];
    uint8_t mac[6];
    uint8_t iid[8]; /* the interface identifier (EUI-64 of the MAC) */
    size_t link_mtu;
    uint8_t hop_limit;
    uint64_t reachable_time, retrans_time;
    struct addr6 addrs[MIRAGE_IPV6_ADDRESSES];
    size_t naddrs;
    struct nbr nbrs[MIRAGE_IPV6_NEIGHBOURS];
    struct router6 routers[MIRAGE_IPV6_ROUTERS];
    size_t nrouters;
    struct prefix6 prefixes[MIRAGE_IPV6_PREFIXES];
    size_t nprefixes;
    struct pmtu6 pmtu[MIRAGE_IPV6_PMTU_ENTRIES];
    unsigned rs_left;  /* router solicitations still to send */
    uint64_t rs_at;    /* when the next is due */
    unsigned mld_left; /* MLD reports still to send */
    uint64_t mld_at;   /* when the next is due */
    uint32_t next_frag_id;
    struct net_rate icmp_rate;
    struct mirage_net_timer timer; /* ND, DAD, RS, lifetimes */
    /* Reassembly (ipv6_reasm.c): datagrams in progress, oldest first. */
    struct reasm6_datagram *reasm_oldest, *reasm_newest;
    size_t reasm_count, reasm_bytes;
};

/* Address helpers. */
bool ip6_is_multicast(const uint8_t a[16]);
bool ip6_is_unspecified(const uint8_t a[16]);
bool ip6_is_link_local(const uint8_t a[16]);
bool ip6_prefix_match(const uint8_t a[16], const uint8_t p[16], unsigned bits);
/* The solicited-node multicast address of a (ff02::1:ffXX:XXXX). */
void ip6_solicited_node(const uint8_t a[16], uint8_t out[16]);
extern const uint8_t ip6_all_nodes[16], ip6_all_routers[16],
    ip6_unspecified[16], ip6_mld_routers[16];

/* ipv6.c: send payload (the upper-layer header onwards) from src to dst
 * with next header `proto` and the given hop limit (0: the default);
 * fragments to the path MTU. Takes payload over; as mirage_ip_write. */
int ipv6_output(struct mirage_ipv6 *v6, const uint8_t src[16],
                const uint8_t dst[16], uint8_t proto, uint8_t hop_limit,
                struct mirage_buf *payload);
/* Handle an upper-layer payload after the extension headers: the
 * delivery step, shared with reassembly. */
void ipv6_deliver(struct mirage_ipv6 *v6, const struct mirage_ip_rx *rx,
                  struct mirage_buf *payload);
/* Walk the headers of a packet from offset off with first next-header
 * value nh (IPv6 header at b->data, raw and whole): sets *proto and
 * *upper (the upper-layer offset) and returns 0, or returns -1 when the
 * packet is dropped (counted, an error sent where the RFC asks one), or
 * 1 when a fragment header was met at *upper (*proto its next header). */
int ipv6_walk(struct mirage_ipv6 *v6, const struct mirage_buf *b, size_t off,
              uint8_t nh, uint8_t *proto, size_t *upper, bool from_reasm);
/* Source address selection (RFC 6724, reduced): a usable address of
 * ours for dst, link-local for link-local and multicast destinations;
 * false when there is none. */
bool ipv6_select_src(const struct mirage_ipv6 *v6, const uint8_t dst[16],
                     uint8_t out[16]);
/* Record a path MTU for dst (Packet Too Big). */
void ipv6_pmtu_update(struct mirage_ipv6 *v6, const uint8_t dst[16],
                      size_t mtu);
size_t ipv6_path_mtu(const struct mirage_ipv6 *v6, const uint8_t dst[16]);

/* ipv6_nd.c: neighbour discovery, addresses, routers. */
/* Send pkt (a whole IPv6 packet) to the neighbour `hop` (resolving it;
 * multicast maps to its MAC). Takes pkt over. */
int nd_output(struct mirage_ipv6 *v6, const uint8_t hop[16],
              struct mirage_buf *pkt);
/* The next hop for dst, or false (no route). */
bool nd_next_hop(struct mirage_ipv6 *v6, const uint8_t dst[16],
                 uint8_t hop[16]);
/* Handle NS (135), NA (136), RS (133), RA (134), redirect (137). */
void nd_input(struct mirage_ipv6 *v6, const struct mirage_ip_rx *rx,
              const uint8_t *msg, size_t len);
/* Our address equal to a (any state), or NULL. */
struct addr6 *nd_find_addr(struct mirage_ipv6 *v6, const uint8_t a[16]);
/* Whether dst is a multicast group we listen to. */
bool nd_joined(const struct mirage_ipv6 *v6, const uint8_t dst[16]);
/* Add an address (tentative: DAD starts); false when the table is full. */
bool nd_add_addr(struct mirage_ipv6 *v6, const uint8_t a[16], unsigned bits,
                 bool slaac, uint64_t preferred_until, uint64_t valid_until);
/* Re-arm the layer's timer for the earliest pending deadline. */
void nd_schedule(struct mirage_ipv6 *v6);
void nd_timer(struct mirage_net_timer *t);
void nd_clear(struct mirage_ipv6 *v6);

/* icmpv6.c */
void icmpv6_input(void *arg, const struct mirage_ip_rx *rx,
                  struct mirage_buf *payload);
/* Send an error of type/code (with the 32-bit parameter) about the
 * received packet rx (its header rx->hdr and payload bytes). Nothing is
 * sent about ICMPv6 errors, to or from multicast (but where RFC 4443
 * 2.4 e.3 allows), or beyond the rate limit. */
int icmpv6_send_error(struct mirage_ipv6 *v6, const struct mirage_ip_rx *rx,
                      const uint8_t *payload, size_t len, uint8_t type,
                      uint8_t code, uint32_t param);
/* Send an ICMPv6 message (msg: its header and body with checksum 0,
 * checksummed here) from src to dst with the hop limit. */
int icmpv6_send(struct mirage_ipv6 *v6, const uint8_t src[16],
                const uint8_t dst[16], uint8_t hop_limit,
                struct mirage_buf *msg);
/* Send an MLDv2 report of the groups we listen to. */
void mld_report(struct mirage_ipv6 *v6);

#define ICMPV6_UNREACH      1
#define ICMPV6_TOO_BIG      2
#define ICMPV6_TIME_EXCEED  3
#define ICMPV6_PARAM_PROB   4
#define ICMPV6_ECHO_REQUEST 128
#define ICMPV6_ECHO_REPLY   129

/* ipv6_reasm.c: add the fragment whose fragment header is at frag_off of
 * b (a whole packet, IPv6 header at b->data); when it completes a
 * datagram, returns it as a new buffer holding the IPv6 header of the
 * first fragment (payload length fixed, the unfragmentable headers and
 * the fragment header removed: its next header in *proto, at *upper),
 * owned by the caller; else NULL. */
struct mirage_buf *reasm6_add(struct mirage_ipv6 *v6, struct mirage_buf *b,
                              size_t frag_off, size_t *upper, uint8_t *proto);
/* Give up the datagrams whose time is up (a time exceeded to the sender
 * when the first fragment came); the earliest deadline left (UINT64_MAX:
 * none). */
void reasm6_expire(struct mirage_ipv6 *v6, uint64_t now);
uint64_t reasm6_next_deadline(const struct mirage_ipv6 *v6);
void reasm6_clear(struct mirage_ipv6 *v6);

#endif
