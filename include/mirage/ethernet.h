/* Ethernet (MirageOS Ethernet.S): frames to and from a network interface,
 * demultiplexed by ethertype. Input handlers run in the event loop (not
 * in a fiber) and must not yield; buffers follow buf.h (write takes the
 * payload over, handlers borrow theirs). No call here yields. */
#ifndef MIRAGE_ETHERNET_H
#define MIRAGE_ETHERNET_H

#include <mirage/buf.h>
#include <mirage/net.h>
#include <stdint.h>

#define MIRAGE_ETHERTYPE_IPV4 0x0800
#define MIRAGE_ETHERTYPE_ARP  0x0806
#define MIRAGE_ETHERTYPE_IPV6 0x86dd

extern const uint8_t mirage_mac_broadcast[6];

struct mirage_ethernet_stats {
    uint64_t rx_short;    /* frames shorter than the header: dropped */
    uint64_t rx_not_us;   /* unicast to another MAC: dropped */
    uint64_t rx_no_proto; /* ethertype nobody handles: dropped */
    uint64_t tx_too_big;  /* payload above the MTU: refused */
    uint64_t tx_no_room;  /* payload without headroom for the header */
};

/* An input handler: src and dst are the frame's MACs; payload is what
 * follows the 14-byte header (Ethernet padding included: upper layers
 * trim to their own lengths). */
typedef void (*mirage_ethernet_input_fn)(void *arg, const uint8_t src[6],
                                         const uint8_t dst[6],
                                         struct mirage_buf *payload);

struct mirage_ethernet;

/* Bind to net (which must not have another receiver): frames addressed
 * to the interface's MAC, to broadcast or to multicast are passed on by
 * ethertype. 0 or MIRAGE_ENOMEM. */
int mirage_ethernet_connect_direct(struct mirage_ethernet **out,
                                   struct mirage_net *net);
/* Set the handler of an ethertype (fn NULL removes it). 0, or
 * MIRAGE_ENOMEM when the table of handlers cannot grow. */
int mirage_ethernet_set_input(struct mirage_ethernet *e, uint16_t ethertype,
                              mirage_ethernet_input_fn fn, void *arg);
/* Prepend the header (source: our MAC) to payload and send it; takes
 * payload over. 0; MIRAGE_EINVAL (payload longer than the MTU, or than
 * MIRAGE_NET_GSO_MAX_IP for a super-segment, or less than 14 bytes of
 * headroom); the interface's errors. */
int mirage_ethernet_write(struct mirage_ethernet *e, const uint8_t dst[6],
                          uint16_t ethertype, struct mirage_buf *payload);
const uint8_t *mirage_ethernet_mac(const struct mirage_ethernet *e);
/* The largest payload (the interface's MTU). */
size_t mirage_ethernet_mtu(const struct mirage_ethernet *e);
struct mirage_net *mirage_ethernet_net(struct mirage_ethernet *e);
const struct mirage_ethernet_stats *
mirage_ethernet_stats(const struct mirage_ethernet *e);
/* Unbind from the interface and free e (invalid afterwards); the layers
 * above must have been disconnected first. */
void mirage_ethernet_disconnect(struct mirage_ethernet *e);

#endif
