/* SYN cookies (RFC 4987): when a listener's SYN queue is full, the
 * SYN-ACK's sequence number encodes what the connection needs (a time
 * slot, the peer's MSS class and a keyed MAC of the connection, the slot
 * and the peer's ISN), so that no state is kept until an ACK returns it.
 * The peer's window scale and SACK permission, when it sent timestamps,
 * ride in the low bits of the SYN-ACK's timestamp, which the peer echoes.
 * Nothing here yields. */
#ifndef MIRAGE_TCP_COOKIE_H
#define MIRAGE_TCP_COOKIE_H

#include "isn.h"

#include <stdbool.h>
#include <stdint.h>

/* A cookie stays valid for one to two slots. */
#define TCP_COOKIE_SLOT_NS (64ull * 1000000000ull)

/* Our ISN for the SYN with sequence number peer_isn and MSS option
 * peer_mss (0: none) of the connection laddr:lport <- faddr:fport,
 * received at now (monotonic ns). */
uint32_t tcp_cookie_make(const struct tcp_isn_key *k, uint64_t now,
                         const struct mirage_ipaddr *laddr, uint16_t lport,
                         const struct mirage_ipaddr *faddr, uint16_t fport,
                         uint32_t peer_isn, uint32_t peer_mss);
/* Whether cookie (the ACK's number less one) is one tcp_cookie_make gave
 * for this connection and peer_isn (the ACK's sequence number less one)
 * within the last two slots; if so *mss is the peer's MSS class (at most
 * what it announced). */
bool tcp_cookie_check(const struct tcp_isn_key *k, uint64_t now,
                      const struct mirage_ipaddr *laddr, uint16_t lport,
                      const struct mirage_ipaddr *faddr, uint16_t fport,
                      uint32_t cookie, uint32_t peer_isn, uint32_t *mss);

/* The SYN's options that must survive: window scaling (ws, 0..14, when
 * has_ws) and SACK permission. */
struct tcp_cookie_opts {
    bool has_ws, sack_ok;
    uint8_t ws;
};
/* Our timestamp value ts with o in its low bits, moved back (never
 * forward, so later timestamps never look older) by less than 64. */
uint32_t tcp_cookie_ts(uint32_t ts, const struct tcp_cookie_opts *o);
/* The options in the timestamp echoed by the peer. */
struct tcp_cookie_opts tcp_cookie_ts_opts(uint32_t ts_ecr);

#endif
