/* IPv6 Neighbor Discovery (RFC 4861) and stateless address
 * autoconfiguration (RFC 4862): our addresses with duplicate address
 * detection, source address selection, the neighbour cache with its
 * states and a bounded size, next-hop choice, router solicitations, and
 * router advertisements (routers, on-link prefixes, SLAAC, MTU), all
 * bounded. Redirects are counted and ignored. One timer per layer serves
 * every deadline (nd_schedule). */
#include "ipv6_internal.h"

#include <mirage/error.h>
#include <mirage/fiber.h>
#include <mirage/log.h>
#include <stdlib.h>
#include <string.h>

MIRAGE_LOG_SRC(log_nd, "ndp", "IPv6 neighbour discovery");

#define ND_RS       133
#define ND_RA       134
#define ND_NS       135
#define ND_NA       136
#define ND_REDIRECT 137
#define OPT_SLLA    1
#define OPT_TLLA    2
#define OPT_PREFIX  3
#define OPT_MTU     5
#define NA_ROUTER   0x80
#define NA_SOLICIT  0x40
#define NA_OVERRIDE 0x20
#define PI_ONLINK   0x80
#define PI_AUTO     0x40
/* RFC 4861 10 */
#define MAX_MULTICAST_SOLICIT 3
#define MAX_UNICAST_SOLICIT   3
#define DELAY_FIRST_PROBE     MIRAGE_SEC(5)
#define RS_INTERVAL           MIRAGE_SEC(4)
#define QUEUE_MAX             3 /* packets waiting for a resolution */
#define TWO_HOURS             MIRAGE_SEC(7200)
#define INFINITE_LIFETIME     0xffffffffu

static char *str6(const uint8_t a[16], char *buf)
{
    struct mirage_ipaddr x = mirage_ipaddr_of_v6(a);
    return mirage_ipaddr_to_string(&x, buf);
}

/* now + secs seconds, UINT64_MAX for the infinite lifetime. */
static uint64_t lifetime_end(uint64_t now, uint32_t secs)
{
    return secs == INFINITE_LIFETIME ? UINT64_MAX : now + MIRAGE_SEC(secs);
}

/* ---- Our addresses ----------------------------------------------------- */

struct addr6 *nd_find_addr(struct mirage_ipv6 *v6, const uint8_t a[16])
{
    for (size_t i = 0; i < v6->naddrs; i++)
        if (memcmp(v6->addrs[i].a, a, 16) == 0)
            return &v6->addrs[i];
    return NULL;
}

bool nd_joined(const struct mirage_ipv6 *v6, const uint8_t dst[16])
{
    if (memcmp(dst, ip6_all_nodes, 16) == 0)
        return true;
    uint8_t sn[16];
    for (size_t i = 0; i < v6->naddrs; i++) {
        ip6_solicited_node(v6->addrs[i].a, sn);
        if (memcmp(sn, dst, 16) == 0)
            return true;
    }
    return false;
}

bool nd_add_addr(struct mirage_ipv6 *v6, const uint8_t a[16], unsigned bits,
                 bool slaac, uint64_t preferred_until, uint64_t valid_until)
{
    if (nd_find_addr(v6, a))
        return true;
    if (v6->naddrs == MIRAGE_IPV6_ADDRESSES)
        return false;
    uint64_t now = mirage_now();
    struct addr6 *x = &v6->addrs[v6->naddrs++];
    *x = (struct addr6){
        .bits = bits,
        .state = ADDR_TENTATIVE,
        .slaac = slaac,
        /* A little jitter before the first solicitation (RFC 4862
         * 5.4.2), after the MLD report joining its group. */
        .dad_at = now + MIRAGE_MSEC(10) +
                  mirage_random_uniform(v6->random, MIRAGE_MSEC(100)),
        .preferred_until = preferred_until,
        .valid_until = valid_until,
    };
    memcpy(x->a, a, 16);
    if (v6->cfg.no_dad)
        x->state = ADDR_PREFERRED;
    v6->mld_left = 2;
    v6->mld_at = now;
    nd_schedule(v6);
    return true;
}

static void remove_addr(struct mirage_ipv6 *v6, struct addr6 *a)
{
    size_t i = (size_t)(a - v6->addrs);
    memmove(&v6->addrs[i], &v6->addrs[i + 1], (v6->naddrs - i - 1) * sizeof *a);
    v6->naddrs--;
}

/* An address of ours found in use by another node (RFC 4862 5.4.5). */
static void dad_failed(struct mirage_ipv6 *v6, struct addr6 *a)
{
    char s[MIRAGE_IPADDR_STRLEN];
    mirage_log_src_err(&log_nd,
                       "duplicate address %s: another node has it, "
                       "not using it",
                       str6(a->a, s));
    v6->st.dad_failed++;
    remove_addr(v6, a);
}

/* The number of leading bits a and b share. */
static unsigned common_bits(const uint8_t a[16], const uint8_t b[16])
{
    unsigned n = 0;
    for (int i = 0; i < 16; i++) {
        uint8_t x = a[i] ^ b[i];
        if (!x) {
            n += 8;
            continue;
        }
        while (!(x & 0x80)) {
            n++;
            x = (uint8_t)(x << 1);
        }
        break;
    }
    return n;
}

bool ipv6_select_src(const struct mirage_ipv6 *v6, const uint8_t dst[16],
                     uint8_t out[16])
{
    /* Link-local and link-scoped multicast destinations get the
     * link-local address; others the preferred address sharing the
     * longest prefix with dst, a deprecated one only when there is no
     * preferred one (RFC 6724 rules 2, 3 and 8). */
    bool link =
        ip6_is_link_local(dst) || (ip6_is_multicast(dst) && (dst[1] & 15) <= 2);
    const struct addr6 *best = NULL;
    for (size_t i = 0; i < v6->naddrs; i++) {
        const struct addr6 *a = &v6->addrs[i];
        if (a->state == ADDR_TENTATIVE || ip6_is_link_local(a->a) != link)
            continue;
        if (!best ||
            (best->state == ADDR_DEPRECATED && a->state == ADDR_PREFERRED) ||
            (best->state == a->state &&
             common_bits(a->a, dst) > common_bits(best->a, dst)))
            best = a;
    }
    if (!best)
        return false;
    memcpy(out, best->a, 16);
    return true;
}

/* ---- Sending ND messages ----------------------------------------------- */

static struct mirage_buf *nd_msg(uint8_t type, size_t len)
{
    struct mirage_buf *b = mirage_buf_alloc(len);
    if (b) {
        memset(b->data, 0, len);
        b->data[0] = type;
    }
    return b;
}

static void put_lla(uint8_t *o, uint8_t type, const uint8_t mac[6])
{
    o[0] = type;
    o[1] = 1;
    memcpy(o + 2, mac, 6);
}

/* A neighbour solicitation for target to dst (NULL: target's
 * solicited-node group); dad: from the unspecified address. */
static void send_ns(struct mirage_ipv6 *v6, const uint8_t target[16],
                    const uint8_t *dst, bool dad)
{
    uint8_t sn[16], src[16];
    if (!dst) {
        ip6_solicited_node(target, sn);
        dst = sn;
    }
    if (dad)
        memset(src, 0, 16);
    else if (!ipv6_select_src(v6, target, src))
        return; /* no usable address yet: the next attempt may have one */
    struct mirage_buf *b = nd_msg(ND_NS, dad ? 24 : 32);
    if (!b)
        return;
    memcpy(b->data + 8, target, 16);
    if (!dad)
        put_lla(b->data + 24, OPT_SLLA, v6->mac);
    v6->st.tx_ns++;
    icmpv6_send(v6, src, dst, 255, b);
}

static void send_na(struct mirage_ipv6 *v6, const uint8_t target[16],
                    const uint8_t dst[16], bool solicited)
{
    struct mirage_buf *b = nd_msg(ND_NA, 32);
    if (!b)
        return;
    b->data[4] = (uint8_t)((solicited ? NA_SOLICIT : 0) | NA_OVERRIDE);
    memcpy(b->data + 8, target, 16);
    put_lla(b->data + 24, OPT_TLLA, v6->mac);
    v6->st.tx_na++;
    icmpv6_send(v6, target, dst, 255, b);
}

static void send_rs(struct mirage_ipv6 *v6)
{
    uint8_t src[16];
    bool have = ipv6_select_src(v6, ip6_all_routers, src);
    struct mirage_buf *b = nd_msg(ND_RS, have ? 16 : 8);
    if (!b)
        return;
    if (have)
        put_lla(b->data + 8, OPT_SLLA, v6->mac);
    else
        memset(src, 0, 16);
    v6->st.tx_rs++;
    icmpv6_send(v6, src, ip6_all_routers, 255, b);
}

/* ---- The neighbour cache ----------------------------------------------- */

static struct nbr *nbr_find(struct mirage_ipv6 *v6, const uint8_t ip[16])
{
    for (size_t i = 0; i < MIRAGE_IPV6_NEIGHBOURS; i++)
        if (v6->nbrs[i].used_slot && memcmp(v6->nbrs[i].ip, ip, 16) == 0)
            return &v6->nbrs[i];
    return NULL;
}

static void nbr_free(struct nbr *n)
{
    while (n->queue) {
        struct mirage_buf *b = n->queue;
        n->queue = b->next;
        mirage_buf_free(b);
    }
    *n = (struct nbr){0};
}

/* A new entry for ip: a free slot, else the least recently used entry
 * (routers last) gives way. */
static struct nbr *nbr_new(struct mirage_ipv6 *v6, const uint8_t ip[16])
{
    struct nbr *victim = NULL;
    for (size_t i = 0; i < MIRAGE_IPV6_NEIGHBOURS; i++) {
        struct nbr *n = &v6->nbrs[i];
        if (!n->used_slot) {
            victim = n;
            break;
        }
        if (!victim || (victim->router && !n->router) ||
            (victim->router == n->router && n->last_used < victim->last_used))
            victim = n;
    }
    if (victim->used_slot) {
        v6->st.nd_evicted++;
        nbr_free(victim);
    }
    victim->used_slot = true;
    memcpy(victim->ip, ip, 16);
    victim->last_used = mirage_now();
    return victim;
}

static int eth_send(struct mirage_ipv6 *v6, const uint8_t mac[6],
                    struct mirage_buf *pkt)
{
    return mirage_ethernet_write(v6->eth, mac, MIRAGE_ETHERTYPE_IPV6, pkt);
}

static void set_mac(struct mirage_ipv6 *v6, struct nbr *n, const uint8_t mac[6],
                    enum mirage_ipv6_nd_state state)
{
    bool was_incomplete = n->state == MIRAGE_ND_INCOMPLETE;
    memcpy(n->mac, mac, 6);
    n->state = state;
    n->probes = 0;
    if (state == MIRAGE_ND_REACHABLE)
        n->deadline = mirage_now() + v6->reachable_time;
    char a[MIRAGE_IPADDR_STRLEN], m[MIRAGE_MAC_STRLEN];
    mirage_log_src_debug(&log_nd, "neighbour %s is at %s", str6(n->ip, a),
                         mirage_mac_to_string(mac, m));
    if (!was_incomplete)
        return;
    while (n->queue) { /* what waited for the address */
        struct mirage_buf *b = n->queue;
        n->queue = b->next;
        n->queued--;
        eth_send(v6, n->mac, b);
    }
}

/* The link-layer address of ip seen in a solicitation or advertisement
 * other than a solicited NA (RFC 4861 7.2.3, 6.3.4): a new entry is
 * STALE, a changed address makes the entry STALE. */
static void learn(struct mirage_ipv6 *v6, const uint8_t ip[16],
                  const uint8_t mac[6], bool router)
{
    struct nbr *n = nbr_find(v6, ip);
    if (!n) {
        n = nbr_new(v6, ip);
        n->state = MIRAGE_ND_INCOMPLETE;
        n->last_used = 0; /* not used by us yet: first to give way */
    }
    if (router)
        n->router = true;
    if (n->state == MIRAGE_ND_INCOMPLETE || memcmp(n->mac, mac, 6) != 0)
        set_mac(v6, n, mac, MIRAGE_ND_STALE);
    nd_schedule(v6);
}

int nd_output(struct mirage_ipv6 *v6, const uint8_t hop[16],
              struct mirage_buf *pkt)
{
    if (ip6_is_multicast(hop)) {
        uint8_t mac[6] = {0x33, 0x33, hop[12], hop[13], hop[14], hop[15]};
        return eth_send(v6, mac, pkt);
    }
    uint64_t now = mirage_now();
    struct nbr *n = nbr_find(v6, hop);
    if (!n) {
        n = nbr_new(v6, hop);
        n->state = MIRAGE_ND_INCOMPLETE;
        n->probes = 1;
        n->deadline = now + v6->retrans_time;
        send_ns(v6, hop, NULL, false);
    }
    n->last_used = now;
    if (n->state == MIRAGE_ND_INCOMPLETE) {
        if (n->queued == QUEUE_MAX) { /* the oldest gives way */
            struct mirage_buf *old = n->queue;
            n->queue = old->next;
            mirage_buf_free(old);
            n->queued--;
        }
        pkt->next = NULL;
        struct mirage_buf **tail = &n->queue;
        while (*tail)
            tail = &(*tail)->next;
        *tail = pkt;
        n->queued++;
        nd_schedule(v6);
        return 0;
    }
    if (n->state == MIRAGE_ND_REACHABLE && now >= n->deadline)
        n->state = MIRAGE_ND_STALE;
    if (n->state == MIRAGE_ND_STALE) {
        n->state = MIRAGE_ND_DELAY;
        n->deadline = now + DELAY_FIRST_PROBE;
        nd_schedule(v6);
    }
    return eth_send(v6, n->mac, pkt);
}

bool nd_next_hop(struct mirage_ipv6 *v6, const uint8_t dst[16], uint8_t hop[16])
{
    memcpy(hop, dst, 16);
    if (ip6_is_multicast(dst) || ip6_is_link_local(dst))
        return true;
    if (nd_find_addr(v6, dst))
        return false; /* no loopback */
    uint64_t now = mirage_now();
    for (size_t i = 0; i < v6->nprefixes; i++)
        if (v6->prefixes[i].until > now &&
            ip6_prefix_match(dst, v6->prefixes[i].p, v6->prefixes[i].bits))
            return true;
    if (v6->cfg.has_gateway) {
        memcpy(hop, v6->cfg.gateway, 16);
        return true;
    }
    /* A router whose neighbour entry is not failing first (RFC 4861
     * 6.3.6), else any. */
    const struct router6 *pick = NULL;
    for (size_t i = 0; i < v6->nrouters; i++) {
        const struct router6 *r = &v6->routers[i];
        if (r->until <= now)
            continue;
        const struct nbr *n = nbr_find(v6, r->ip);
        if (!pick || (n && n->state != MIRAGE_ND_INCOMPLETE &&
                      n->state != MIRAGE_ND_PROBE))
            pick = r;
    }
    if (!pick)
        return false;
    memcpy(hop, pick->ip, 16);
    return true;
}

/* ---- Receiving ND messages --------------------------------------------- */

/* Check the options at msg[off, len) (each of non-zero length, within the
 * message) and find the link-layer address option of `type`. */
static bool options_ok(const uint8_t *msg, size_t len, size_t off, uint8_t type,
                       const uint8_t **lla)
{
    *lla = NULL;
    while (off < len) {
        if (off + 2 > len || msg[off + 1] == 0 ||
            off + (size_t)msg[off + 1] * 8 > len)
            return false;
        if (msg[off] == type && msg[off + 1] == 1)
            *lla = msg + off + 2;
        off += (size_t)msg[off + 1] * 8;
    }
    return true;
}

static void ns_input(struct mirage_ipv6 *v6, const struct mirage_ip_rx *rx,
                     const uint8_t *msg, size_t len)
{
    const uint8_t *target = msg + 8, *lla;
    bool from_dad = ip6_is_unspecified(rx->src.v6);
    uint8_t sn[16];
    if (len < 24) {
        v6->st.rx_nd_bad++;
        return;
    }
    ip6_solicited_node(target, sn);
    if (ip6_is_multicast(target) || !options_ok(msg, len, 24, OPT_SLLA, &lla) ||
        (from_dad && (lla || memcmp(rx->dst.v6, sn, 16) != 0))) {
        v6->st.rx_nd_bad++;
        return;
    }
    v6->st.rx_ns++;
    struct addr6 *a = nd_find_addr(v6, target);
    if (a && a->state == ADDR_TENTATIVE) {
        if (from_dad) /* someone else is trying the same address */
            dad_failed(v6, a);
        return;
    }
    if (lla && !from_dad)
        learn(v6, rx->src.v6, lla, false);
    if (!a)
        return;
    if (from_dad)
        send_na(v6, target, ip6_all_nodes, false);
    else
        send_na(v6, target, rx->src.v6, true);
}

static void na_input(struct mirage_ipv6 *v6, const struct mirage_ip_rx *rx,
                     const uint8_t *msg, size_t len)
{
    const uint8_t *target = msg + 8, *lla;
    if (len < 24) {
        v6->st.rx_nd_bad++;
        return;
    }
    uint8_t flags = msg[4];
    if (ip6_is_multicast(target) || !options_ok(msg, len, 24, OPT_TLLA, &lla) ||
        (ip6_is_multicast(rx->dst.v6) && (flags & NA_SOLICIT))) {
        v6->st.rx_nd_bad++;
        return;
    }
    v6->st.rx_na++;
    struct addr6 *a = nd_find_addr(v6, target);
    if (a) {
        char s[MIRAGE_IPADDR_STRLEN];
        if (a->state == ADDR_TENTATIVE)
            dad_failed(v6, a);
        else
            mirage_log_src_warn(&log_nd, "another node claims our address %s",
                                str6(target, s));
        return;
    }
    struct nbr *n = nbr_find(v6, target);
    if (!n)
        return; /* unsolicited for an unknown neighbour: nothing to do */
    bool solicited = flags & NA_SOLICIT, override = flags & NA_OVERRIDE;
    n->router = flags & NA_ROUTER;
    if (n->state == MIRAGE_ND_INCOMPLETE) {
        if (lla)
            set_mac(v6, n, lla,
                    solicited ? MIRAGE_ND_REACHABLE : MIRAGE_ND_STALE);
    } else if (!override && lla && memcmp(lla, n->mac, 6) != 0) {
        if (n->state == MIRAGE_ND_REACHABLE)
            n->state = MIRAGE_ND_STALE;
    } else if (lla && memcmp(lla, n->mac, 6) != 0) {
        set_mac(v6, n, lla, solicited ? MIRAGE_ND_REACHABLE : MIRAGE_ND_STALE);
    } else if (solicited) {
        set_mac(v6, n, n->mac, MIRAGE_ND_REACHABLE);
    }
    nd_schedule(v6);
}

/* RFC 4862 5.5.3: a prefix advertised for autoconfiguration. */
static void slaac(struct mirage_ipv6 *v6, const uint8_t prefix[16],
                  uint32_t valid, uint32_t preferred)
{
    uint64_t now = mirage_now();
    uint8_t a[16];
    memcpy(a, prefix, 8);
    memcpy(a + 8, v6->iid, 8);
    struct addr6 *x = nd_find_addr(v6, a);
    char s[MIRAGE_IPADDR_STRLEN];
    if (!x) {
        if (valid == 0)
            return;
        if (!nd_add_addr(v6, a, 64, true, lifetime_end(now, preferred),
                         lifetime_end(now, valid))) {
            v6->st.ra_ignored++;
            return;
        }
        mirage_log_src_info(&log_nd, "autoconfigured address %s/64 (valid %us)",
                            str6(a, s), valid);
        return;
    }
    if (!x->slaac)
        return;
    uint64_t end = lifetime_end(now, valid);
    uint64_t remaining = x->valid_until > now ? x->valid_until - now : 0;
    if (valid == INFINITE_LIFETIME || MIRAGE_SEC(valid) > TWO_HOURS ||
        end > x->valid_until)
        x->valid_until = end;
    else if (remaining > TWO_HOURS)
        x->valid_until = now + TWO_HOURS;
    x->preferred_until = lifetime_end(now, preferred);
    if (x->state == ADDR_DEPRECATED && x->preferred_until > now)
        x->state = ADDR_PREFERRED;
}

static void onlink_prefix(struct mirage_ipv6 *v6, const uint8_t p[16],
                          unsigned bits, uint32_t valid)
{
    struct prefix6 *x = NULL;
    for (size_t i = 0; i < v6->nprefixes; i++)
        if (v6->prefixes[i].bits == bits &&
            ip6_prefix_match(p, v6->prefixes[i].p, bits))
            x = &v6->prefixes[i];
    if (x && x->until == UINT64_MAX && !valid)
        return; /* static: stays */
    if (!x) {
        if (!valid)
            return;
        if (v6->nprefixes == MIRAGE_IPV6_PREFIXES) {
            v6->st.ra_ignored++;
            return;
        }
        x = &v6->prefixes[v6->nprefixes++];
        memcpy(x->p, p, 16);
        x->bits = bits;
    }
    x->until = valid ? lifetime_end(mirage_now(), valid) : 0;
}

static void router_update(struct mirage_ipv6 *v6, const uint8_t ip[16],
                          uint16_t lifetime)
{
    struct router6 *r = NULL;
    for (size_t i = 0; i < v6->nrouters; i++)
        if (memcmp(v6->routers[i].ip, ip, 16) == 0)
            r = &v6->routers[i];
    char s[MIRAGE_IPADDR_STRLEN];
    if (!r) {
        if (!lifetime)
            return;
        if (v6->nrouters == MIRAGE_IPV6_ROUTERS) {
            v6->st.ra_ignored++;
            return;
        }
        r = &v6->routers[v6->nrouters++];
        memcpy(r->ip, ip, 16);
        mirage_log_src_info(&log_nd, "default router %s", str6(ip, s));
    }
    r->until = lifetime ? mirage_now() + MIRAGE_SEC(lifetime) : 0;
}

static void ra_input(struct mirage_ipv6 *v6, const struct mirage_ip_rx *rx,
                     const uint8_t *msg, size_t len)
{
    const uint8_t *lla;
    if (!v6->cfg.accept_ra)
        return;
    if (len < 16 || !ip6_is_link_local(rx->src.v6) ||
        !options_ok(msg, len, 16, OPT_SLLA, &lla)) {
        v6->st.rx_nd_bad++;
        return;
    }
    v6->st.rx_ra++;
    v6->rs_left = 0; /* a router answered */
    if (msg[4])
        v6->hop_limit = msg[4];
    uint32_t reachable = mirage_get_be32(msg + 8);
    uint32_t retrans = mirage_get_be32(msg + 12);
    if (reachable && reachable <= 3600000)
        v6->reachable_time = MIRAGE_MSEC(reachable);
    if (retrans >= 100 && retrans <= 60000)
        v6->retrans_time = MIRAGE_MSEC(retrans);
    router_update(v6, rx->src.v6, mirage_get_be16(msg + 6));
    if (lla)
        learn(v6, rx->src.v6, lla, true);
    for (size_t off = 16; off < len; off += (size_t)msg[off + 1] * 8) {
        const uint8_t *o = msg + off;
        if (o[0] == OPT_MTU && o[1] == 1) {
            uint32_t mtu = mirage_get_be32(o + 4);
            if (mtu >= MIRAGE_IPV6_MIN_MTU &&
                mtu <= mirage_ethernet_mtu(v6->eth))
                v6->link_mtu = mtu;
        } else if (o[0] == OPT_PREFIX && o[1] == 4) {
            unsigned bits = o[2];
            uint32_t valid = mirage_get_be32(o + 4);
            uint32_t preferred = mirage_get_be32(o + 8);
            const uint8_t *p = o + 16;
            if (bits > 128 || ip6_is_link_local(p) || ip6_is_multicast(p) ||
                preferred > valid)
                continue;
            if (o[3] & PI_ONLINK)
                onlink_prefix(v6, p, bits, valid);
            if ((o[3] & PI_AUTO) && bits == 64)
                slaac(v6, p, valid, preferred);
        }
    }
    nd_schedule(v6);
}

void nd_input(struct mirage_ipv6 *v6, const struct mirage_ip_rx *rx,
              const uint8_t *msg, size_t len)
{
    /* RFC 4861 6.1, 7.1: only from the link itself. */
    if (rx->ttl != 255 || msg[1] != 0) {
        v6->st.rx_nd_bad++;
        return;
    }
    switch (msg[0]) {
    case ND_NS:
        ns_input(v6, rx, msg, len);
        break;
    case ND_NA:
        na_input(v6, rx, msg, len);
        break;
    case ND_RA:
        ra_input(v6, rx, msg, len);
        break;
    case ND_REDIRECT:
        v6->st.rx_redirects++;
        break;
    default: /* router solicitations: we are no router */
        break;
    }
}

/* ---- Deadlines --------------------------------------------------------- */

static void min_at(uint64_t *m, uint64_t t)
{
    if (t < *m)
        *m = t;
}

void nd_schedule(struct mirage_ipv6 *v6)
{
    uint64_t next = UINT64_MAX;
    for (size_t i = 0; i < v6->naddrs; i++) {
        const struct addr6 *a = &v6->addrs[i];
        if (a->state == ADDR_TENTATIVE)
            min_at(&next, a->dad_at);
        if (a->state == ADDR_PREFERRED)
            min_at(&next, a->preferred_until);
        min_at(&next, a->valid_until);
    }
    for (size_t i = 0; i < v6->nrouters; i++)
        min_at(&next, v6->routers[i].until);
    for (size_t i = 0; i < v6->nprefixes; i++)
        min_at(&next, v6->prefixes[i].until);
    if (v6->rs_left)
        min_at(&next, v6->rs_at);
    if (v6->mld_left)
        min_at(&next, v6->mld_at);
    for (size_t i = 0; i < MIRAGE_IPV6_NEIGHBOURS; i++) {
        const struct nbr *n = &v6->nbrs[i];
        if (n->used_slot &&
            (n->state == MIRAGE_ND_INCOMPLETE || n->state == MIRAGE_ND_DELAY ||
             n->state == MIRAGE_ND_PROBE))
            min_at(&next, n->deadline);
    }
    min_at(&next, reasm6_next_deadline(v6));
    if (next == UINT64_MAX)
        mirage_net_timer_cancel(&v6->timer);
    else if (!mirage_net_timer_armed(&v6->timer) ||
             mirage_net_timer_deadline(&v6->timer) != next)
        mirage_net_timer_set(&v6->timer, next);
}

static void addresses_due(struct mirage_ipv6 *v6, uint64_t now)
{
    char s[MIRAGE_IPADDR_STRLEN];
    for (size_t i = 0; i < v6->naddrs;) {
        struct addr6 *a = &v6->addrs[i];
        if (a->valid_until <= now) {
            mirage_log_src_info(&log_nd, "address %s/%u expired", str6(a->a, s),
                                a->bits);
            remove_addr(v6, a);
            continue;
        }
        if (a->state == ADDR_TENTATIVE && a->dad_at <= now) {
            if (!a->dad_sent) {
                send_ns(v6, a->a, NULL, true);
                a->dad_sent = true;
                a->dad_at = now + v6->retrans_time;
            } else {
                a->state = ADDR_PREFERRED;
                mirage_log_src_info(&log_nd, "address %s/%u assigned",
                                    str6(a->a, s), a->bits);
            }
        }
        if (a->state == ADDR_PREFERRED && a->preferred_until <= now)
            a->state = ADDR_DEPRECATED;
        i++;
    }
}

static void neighbours_due(struct mirage_ipv6 *v6, uint64_t now)
{
    for (size_t i = 0; i < MIRAGE_IPV6_NEIGHBOURS; i++) {
        struct nbr *n = &v6->nbrs[i];
        if (!n->used_slot || n->deadline > now)
            continue;
        switch (n->state) {
        case MIRAGE_ND_INCOMPLETE:
        case MIRAGE_ND_PROBE: {
            unsigned max = n->state == MIRAGE_ND_INCOMPLETE
                               ? MAX_MULTICAST_SOLICIT
                               : MAX_UNICAST_SOLICIT;
            if (n->probes >= max) {
                char s[MIRAGE_IPADDR_STRLEN];
                mirage_log_src_debug(&log_nd, "neighbour %s does not answer",
                                     str6(n->ip, s));
                v6->st.nd_failed++;
                nbr_free(n);
                break;
            }
            n->probes++;
            n->deadline = now + v6->retrans_time;
            send_ns(v6, n->ip, n->state == MIRAGE_ND_PROBE ? n->ip : NULL,
                    false);
            break;
        }
        case MIRAGE_ND_DELAY:
            n->state = MIRAGE_ND_PROBE;
            n->probes = 1;
            n->deadline = now + v6->retrans_time;
            send_ns(v6, n->ip, n->ip, false);
            break;
        default:
            break;
        }
    }
}

void nd_timer(struct mirage_net_timer *t)
{
    struct mirage_ipv6 *v6 =
        (struct mirage_ipv6 *)((char *)t - offsetof(struct mirage_ipv6, timer));
    uint64_t now = mirage_now();
    addresses_due(v6, now);
    for (size_t i = 0; i < v6->nrouters;)
        if (v6->routers[i].until <= now)
            v6->routers[i] = v6->routers[--v6->nrouters];
        else
            i++;
    for (size_t i = 0; i < v6->nprefixes;)
        if (v6->prefixes[i].until <= now)
            v6->prefixes[i] = v6->prefixes[--v6->nprefixes];
        else
            i++;
    if (v6->mld_left && v6->mld_at <= now) {
        mld_report(v6);
        v6->mld_left--;
        v6->mld_at = now + MIRAGE_SEC(1);
    }
    if (v6->rs_left && v6->rs_at <= now) {
        send_rs(v6);
        v6->rs_left--;
        v6->rs_at = now + RS_INTERVAL;
    }
    neighbours_due(v6, now);
    reasm6_expire(v6, now);
    nd_schedule(v6);
}

void nd_clear(struct mirage_ipv6 *v6)
{
    for (size_t i = 0; i < MIRAGE_IPV6_NEIGHBOURS; i++)
        if (v6->nbrs[i].used_slot)
            nbr_free(&v6->nbrs[i]);
}

/* ---- Introspection ----------------------------------------------------- */

size_t mirage_ipv6_neighbours(const struct mirage_ipv6 *v6,
                              struct mirage_ipv6_neighbour *out, size_t max)
{
    size_t n = 0;
    uint64_t now = mirage_now();
    for (size_t i = 0; i < MIRAGE_IPV6_NEIGHBOURS; i++) {
        const struct nbr *e = &v6->nbrs[i];
        if (!e->used_slot)
            continue;
        if (n < max) {
            struct mirage_ipv6_neighbour *o = &out[n];
            memcpy(o->ip, e->ip, 16);
            memcpy(o->mac, e->mac, 6);
            o->state = e->state == MIRAGE_ND_REACHABLE && now >= e->deadline
                           ? MIRAGE_ND_STALE
                           : e->state;
            o->router = e->router;
        }
        n++;
    }
    return n;
}

size_t mirage_ipv6_routers(const struct mirage_ipv6 *v6)
{
    return v6->nrouters;
}

size_t mirage_ipv6_prefixes(const struct mirage_ipv6 *v6)
{
    return v6->nprefixes;
}
