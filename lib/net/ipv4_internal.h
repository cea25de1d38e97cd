/* What the parts of the IPv4 layer share (ipv4.c, icmp.c, reasm.c); not
 * a public interface. */
#ifndef MIRAGE_NET_IPV4_INTERNAL_H
#define MIRAGE_NET_IPV4_INTERNAL_H

#include "ratelimit.h"

#include <mirage/ip.h>
#include <mirage/net.h>

/* Reassembly (reasm.c): datagrams in progress, oldest first. */
struct reasm_datagram;
struct reasm {
    struct reasm_datagram *oldest, *newest;
    size_t count;
    size_t bytes; /* data and bookkeeping held */
};

struct mirage_ipv4 {
    struct mirage_ip ip; /* first: the ops find the layer from it */
    struct mirage_ethernet *eth;
    struct mirage_arp *arp;
    struct mirage_ipv4_config cfg;
    /* Run-time configuration (mirage_ipv4_set_config): false while the
     * layer has no address (cfg.cidr is then 0.0.0.0/0); mtu_cap, when
     * not 0, lowers the interface's MTU (a DHCP lease's option 26). */
    bool configured;
    size_t mtu_cap;
    /* UDP datagrams to udp_hook_port go to udp_hook, not to the UDP
     * layer (mirage_ipv4_set_udp_hook). */
    uint16_t udp_hook_port;
    mirage_ipv4_udp_hook udp_hook;
    void *udp_hook_arg;
    struct mirage_ip_proto protos[256];
    uint16_t next_id;
    struct reasm reasm;
    struct mirage_icmp_stats icmp;
    struct net_rate icmp_limit; /* ICMP errors sent (icmp.c) */
};

/* A received packet's header fields, parsed and validated. */
struct ipv4_hdr {
    mirage_ipv4_addr src, dst;
    uint16_t id;
    uint16_t frag_off; /* in bytes */
    bool more_frags;
    uint8_t proto, ttl;
    size_t hdr_len;
};

/* Add a fragment (payload: the bytes after the header h, whose raw form
 * is raw). When it completes a datagram, returns that datagram's payload
 * in a new buffer (owned by the caller) and copies its first fragment's
 * header to hdr_out (60 bytes) with *hdr_len set; else NULL. Counts in
 * v4->ip.stats. */
struct mirage_buf *reasm_add(struct mirage_ipv4 *v4, const struct ipv4_hdr *h,
                             const uint8_t *raw, const uint8_t *payload,
                             size_t len, uint8_t hdr_out[60], size_t *hdr_len);
/* Drop every datagram in progress. */
void reasm_clear(struct mirage_ipv4 *v4);

#define ICMP_TIME_EXCEEDED   11
#define ICMP_CODE_REASSEMBLY 1 /* of time exceeded */

/* ICMP (icmp.c): handle a received ICMP message; send an error of the
 * given type and code about a received packet (rx, and len bytes of its
 * payload), or one of mirage_ip_report's kinds. 0 also when the rules
 * (RFC 1122 3.2.2, the rate limit) say to send nothing. */
void icmp_input(void *arg, const struct mirage_ip_rx *rx,
                struct mirage_buf *payload);
int icmp_send_error(struct mirage_ipv4 *v4, const struct mirage_ip_rx *rx,
                    const uint8_t *payload, size_t len, uint8_t type,
                    uint8_t code);
int icmp_report(struct mirage_ipv4 *v4, const struct mirage_ip_rx *rx,
                const struct mirage_buf *payload,
                enum mirage_ip_report_kind kind);

/* The MTU packets are cut to: the interface's, or mtu_cap when lower. */
size_t ipv4_link_mtu(const struct mirage_ipv4 *v4);

/* Send payload from our address to dst (ipv4.c); as mirage_ip_write. */
int ipv4_output(struct mirage_ipv4 *v4, mirage_ipv4_addr dst, uint8_t proto,
                struct mirage_buf *payload);

#endif
