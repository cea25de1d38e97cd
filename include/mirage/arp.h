/* ARP for IPv4 over Ethernet (MirageOS Arp.S, RFC 826): a cache of
 * neighbours with time-outs, resolution with retries, a bounded queue of
 * packets awaiting resolution, answers for every configured address, and
 * gratuitous announcements. Frames are processed in the event loop;
 * retries and expiry run on net timers (net.h). Only mirage_arp_query
 * yields. */
#ifndef MIRAGE_ARP_H
#define MIRAGE_ARP_H

#include <mirage/buf.h>
#include <mirage/ethernet.h>
#include <mirage/fiber.h>
#include <mirage/ipaddr.h>
#include <stddef.h>
#include <stdint.h>

/* Behaviour (fixed): a resolved entry lives MIRAGE_ARP_TIMEOUT after it
 * was last confirmed; if packets were sent to it meanwhile, it is then
 * confirmed again by requests (still in use while they are asked) and
 * dropped only when they go unanswered. An unanswered request is
 * repeated every
 * MIRAGE_ARP_RETRY_INTERVAL, MIRAGE_ARP_RETRIES times in all, after which
 * the entry fails and its queued packets are dropped. At most
 * MIRAGE_ARP_QUEUE packets wait per address (further ones replace the
 * oldest) and the cache holds at most MIRAGE_ARP_MAX_ENTRIES entries
 * (a new one replaces the entry closest to expiry). */
#define MIRAGE_ARP_TIMEOUT        MIRAGE_SEC(60)
#define MIRAGE_ARP_RETRY_INTERVAL MIRAGE_SEC(1)
#define MIRAGE_ARP_RETRIES        3
#define MIRAGE_ARP_QUEUE          16
#define MIRAGE_ARP_MAX_ENTRIES    512
#define MIRAGE_ARP_MAX_IPS        16

struct mirage_arp_stats {
    uint64_t rx_requests, rx_replies, tx_requests, tx_replies;
    uint64_t rx_malformed;   /* short, or not Ethernet/IPv4: dropped */
    uint64_t queue_dropped;  /* packets dropped from a full queue */
    uint64_t resolve_failed; /* packets dropped after the retries */
    uint64_t conflicts;      /* someone else claimed one of our IPs */
};

struct mirage_arp;

/* Bind to e (handling its ARP ethertype), with no address yet. 0 or
 * MIRAGE_ENOMEM. */
int mirage_arp_connect_direct(struct mirage_arp **out,
                              struct mirage_ethernet *e);
/* Answer for ip too, and announce it (a gratuitous ARP request). 0;
 * MIRAGE_EEXIST (already ours), MIRAGE_ENOSPC (MIRAGE_ARP_MAX_IPS
 * already), MIRAGE_EINVAL (0.0.0.0 or broadcast). */
int mirage_arp_add_ip(struct mirage_arp *a, mirage_ipv4_addr ip);
/* Stop answering for ip. 0 or MIRAGE_ENOENT. */
int mirage_arp_remove_ip(struct mirage_arp *a, mirage_ipv4_addr ip);
/* Copy up to max of our addresses to out; returns how many we have. */
size_t mirage_arp_get_ips(const struct mirage_arp *a, mirage_ipv4_addr *out,
                          size_t max);
/* Send a gratuitous ARP for each of our addresses again. */
void mirage_arp_announce(struct mirage_arp *a);

/* Send payload to the neighbour ip (with the given ethertype) once its
 * MAC is known: at once when cached, else after resolution (queued).
 * Takes payload over. 0 (sent or queued); MIRAGE_EUNREACH when the last
 * resolution of ip failed less than MIRAGE_ARP_RETRY_INTERVAL ago;
 * MIRAGE_ENOMEM; the Ethernet layer's errors. 255.255.255.255 goes to
 * the broadcast MAC. Does not yield. */
int mirage_arp_output(struct mirage_arp *a, mirage_ipv4_addr ip,
                      uint16_t ethertype, struct mirage_buf *payload);
/* Resolve ip, waiting until deadline: 0 with mac set; MIRAGE_ETIMEDOUT
 * (deadline), MIRAGE_EUNREACH (no answer after the retries),
 * MIRAGE_ENOMEM. May yield. */
int mirage_arp_query(struct mirage_arp *a, mirage_ipv4_addr ip, uint8_t mac[6],
                     uint64_t deadline);
/* The cached MAC of ip without resolving: 0 or MIRAGE_ENOENT. */
int mirage_arp_lookup(const struct mirage_arp *a, mirage_ipv4_addr ip,
                      uint8_t mac[6]);
const struct mirage_arp_stats *mirage_arp_stats(const struct mirage_arp *a);
/* Stop and free a (invalid afterwards): cancel the timers, drop the cache
 * and queued packets. No query may be waiting (they would use a freed
 * device); the layers above must have been disconnected first. */
void mirage_arp_disconnect(struct mirage_arp *a);

#endif
