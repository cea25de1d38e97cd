/* SYN cookies (cookie.h). The 32 bits: the slot's low five bits (31-27),
 * the MSS class (26-24) and a 24-bit MAC (23-0) of the connection's
 * addresses and ports, the whole slot number, the class and the peer's
 * ISN under the engine's key. */
#include "cookie.h"

#define MAC_BITS  24
#define MAC_MASK  ((1u << MAC_BITS) - 1)
#define SLOT_MASK 31u
/* Timestamp bits: the window shift, or NO_WS; the SACK flag. */
#define TS_BITS  6
#define TS_MASK  ((1u << TS_BITS) - 1)
#define TS_NO_WS 15u
#define TS_SACK  16u

/* The MSS classes: the largest one at most the peer's MSS is used. */
static const uint16_t mss_class[8] = {64,   536,  1200, 1360,
                                      1400, 1440, 1460, 8960};

static uint32_t mac(const struct tcp_isn_key *k, uint64_t slot, unsigned class,
                    const struct mirage_ipaddr *laddr, uint16_t lport,
                    const struct mirage_ipaddr *faddr, uint16_t fport,
                    uint32_t peer_isn)
{
    uint64_t salt = TCP_SALT_COOKIE | (uint64_t) class << 4 |
                    (slot & 0xffffff) << 8 | (uint64_t)peer_isn << 32;
    return (uint32_t)tcp_conn_hash(k, salt, laddr, lport, faddr, fport) &
           MAC_MASK;
}

uint32_t tcp_cookie_make(const struct tcp_isn_key *k, uint64_t now,
                         const struct mirage_ipaddr *laddr, uint16_t lport,
                         const struct mirage_ipaddr *faddr, uint16_t fport,
                         uint32_t peer_isn, uint32_t peer_mss)
{
    uint64_t slot = now / TCP_COOKIE_SLOT_NS;
    if (!peer_mss)
        peer_mss = 536; /* RFC 9293's default */
    unsigned class = 7;
    while (class > 0 && mss_class[class] > peer_mss)
        class --;
    return (uint32_t)(slot & SLOT_MASK) << 27 | class << MAC_BITS |
           mac(k, slot, class, laddr, lport, faddr, fport, peer_isn);
}

bool tcp_cookie_check(const struct tcp_isn_key *k, uint64_t now,
                      const struct mirage_ipaddr *laddr, uint16_t lport,
                      const struct mirage_ipaddr *faddr, uint16_t fport,
                      uint32_t cookie, uint32_t peer_isn, uint32_t *mss)
{
    uint64_t slot_now = now / TCP_COOKIE_SLOT_NS;
    uint64_t age = (slot_now - (cookie >> 27)) & SLOT_MASK;
    if (age > 1 || age > slot_now)
        return false;
    unsigned class = (cookie >> MAC_BITS) & 7;
    if ((cookie & MAC_MASK) !=
        mac(k, slot_now - age, class, laddr, lport, faddr, fport, peer_isn))
        return false;
    *mss = mss_class[class];
    return true;
}

uint32_t tcp_cookie_ts(uint32_t ts, const struct tcp_cookie_opts *o)
{
    uint32_t bits = (o->has_ws ? o->ws : TS_NO_WS) | (o->sack_ok ? TS_SACK : 0);
    uint32_t v = (ts & ~TS_MASK) | bits;
    return (int32_t)(v - ts) > 0 ? v - (TS_MASK + 1) : v;
}

struct tcp_cookie_opts tcp_cookie_ts_opts(uint32_t ts_ecr)
{
    uint8_t ws = ts_ecr & 15;
    return (struct tcp_cookie_opts){
        .has_ws = ws != TS_NO_WS,
        .sack_ok = (ts_ecr & TS_SACK) != 0,
        .ws = ws != TS_NO_WS ? ws : 0,
    };
}
