/* Retransmission timeout estimation (RFC 6298): smoothed round-trip time
 * and variance from samples, exponential backoff. Times in ns. */
#ifndef MIRAGE_TCP_RTO_H
#define MIRAGE_TCP_RTO_H

#include <stdbool.h>
#include <stdint.h>

struct tcp_rto {
    uint64_t srtt, rttvar; /* valid once has_sample */
    uint64_t rto;          /* without backoff */
    uint64_t min, max;     /* bounds of the timeout */
    unsigned backoff;      /* doublings since the last new acknowledgment */
    bool has_sample;
};

/* Start with the initial timeout `initial` (RFC 6298: 1 s) and bounds. */
void tcp_rto_init(struct tcp_rto *r, uint64_t initial, uint64_t min,
                  uint64_t max);
/* Feed one round-trip time measurement (rules 2.2 and 2.3). */
void tcp_rto_sample(struct tcp_rto *r, uint64_t rtt);
/* The timeout to arm now: rto doubled `backoff` times, at most max. */
uint64_t tcp_rto_timeout(const struct tcp_rto *r);

#endif
