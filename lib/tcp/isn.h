/* Initial sequence numbers (RFC 6528: a keyed hash of the connection's
 * addresses and ports plus a 4 µs clock) and per-connection timestamp
 * offsets, from SipHash-2-4 keyed by the random device at start. */
#ifndef MIRAGE_TCP_ISN_H
#define MIRAGE_TCP_ISN_H

#include <mirage/ipaddr.h>
#include <stdint.h>

struct tcp_isn_key {
    uint64_t k0, k1;
};

/* SipHash-2-4 of len bytes with key k. */
uint64_t tcp_siphash(const struct tcp_isn_key *k, const void *data, size_t len);

/* The hash of a connection's identity; `salt` tells uses apart: its low
 * four bits are one of these, the rest is the use's own input. */
#define TCP_SALT_ISN    0u
#define TCP_SALT_TABLE  1u
#define TCP_SALT_TS     2u
#define TCP_SALT_COOKIE 3u
uint64_t tcp_conn_hash(const struct tcp_isn_key *k, uint64_t salt,
                       const struct mirage_ipaddr *laddr, uint16_t lport,
                       const struct mirage_ipaddr *faddr, uint16_t fport);

/* The ISN for a connection at monotonic time now_ns. */
uint32_t tcp_isn(const struct tcp_isn_key *k, uint64_t now_ns,
                 const struct mirage_ipaddr *laddr, uint16_t lport,
                 const struct mirage_ipaddr *faddr, uint16_t fport);

#endif
