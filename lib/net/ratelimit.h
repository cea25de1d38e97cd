/* A token bucket for the messages the stack sends on its own (ICMP
 * errors): bursts of `burst`, refilled one per `every` ns. Not a public
 * interface. */
#ifndef MIRAGE_NET_RATELIMIT_H
#define MIRAGE_NET_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

struct net_rate {
    uint64_t last; /* when the bucket was last refilled (0: never) */
    unsigned tokens;
};

/* Take a token: true when one was left (the message may go). */
bool net_rate_allow(struct net_rate *l, unsigned burst, uint64_t every);

#endif
