/* The common part of the network stack's libFuzzer targets: a stack
 * (Ethernet, ARP, IPv4 with ICMP and reassembly, IPv6 with ICMPv6, ND
 * and reassembly, UDP over both listening on ports 7 and 9) over a sink
 * network device, fed the frames an input describes.
 *
 * An input is a sequence of records, each a 2-byte big-endian length then
 * that many bytes; the target's wrap function turns a record into a whole
 * Ethernet frame (adding the headers below the parser it aims at). The
 * event loop does not run: frames are processed synchronously, as the
 * loop's callbacks would, and timers never fire. A fresh stack serves
 * each input and is torn down after it, so memory must come back. */
#ifndef MIRAGE_FUZZ_NET_STACK_H
#define MIRAGE_FUZZ_NET_STACK_H

#include <mirage/buf.h>
#include <stddef.h>
#include <stdint.h>

#define FUZZ_OUR_IP  0x0a000003u /* 10.0.0.3/24 */
#define FUZZ_PEER_IP 0x0a000063u /* 10.0.0.99 */
extern const uint8_t fuzz_our_mac[6], fuzz_peer_mac[6];
/* Our IPv6 address (2001:db8::3/64, usable at once: no DAD), the peer's
 * (2001:db8::63) and its link-local one (fe80::63). */
extern const uint8_t fuzz_our_ip6[16], fuzz_peer_ip6[16], fuzz_peer_ll6[16];

/* Turn a record into a frame in b (which has room for record + 64 bytes
 * of headers in front: push them). */
typedef void (*fuzz_wrap_fn)(struct mirage_buf *b);

int fuzz_net_run(const uint8_t *data, size_t size, fuzz_wrap_fn wrap);

/* Helpers for wrap functions: push an Ethernet header with ethertype;
 * push an IPv4 header (no options, checksummed) from FUZZ_PEER_IP to us
 * for protocol proto. */
void fuzz_push_eth(struct mirage_buf *b, uint16_t ethertype);
void fuzz_push_ipv4(struct mirage_buf *b, uint8_t proto);
/* Push an IPv6 header (hop limit 255) with next header nh; selector picks
 * the source (bit 2: the peer's link-local address, else its global one)
 * and the destination (bits 0-1: ours, all-nodes, our solicited-node
 * group, ours). */
void fuzz_push_ipv6(struct mirage_buf *b, uint8_t nh, uint8_t selector);
/* The source and destination addresses selector picks. */
void fuzz_ipv6_addrs(uint8_t selector, const uint8_t **src,
                     const uint8_t **dst);

#endif
