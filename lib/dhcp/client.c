/* The DHCP client (include/mirage/dhcp.h): a fiber running the RFC 2131
 * state machine (INIT -> REQUESTING -> BOUND -> RENEWING -> REBINDING)
 * over its own IPv4 layer, fed by that layer's hook for UDP port 68,
 * which checks and parses replies (wire.c) and queues those of the
 * current exchange. */
#include "wire.h"

#include <mirage/error.h>
#include <mirage/fiber.h>
#include <mirage/log.h>
#include <mirage/rt.h>
#include <mirage/udp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

MIRAGE_LOG_SRC(log_dhcp, "dhcp", "DHCP client");

#define INBOX            4
#define REQUEST_TRIES    4
#define BACKOFF_FIRST    MIRAGE_SEC(4)
#define BACKOFF_MAX      MIRAGE_SEC(64)
#define DECLINE_WAIT     MIRAGE_SEC(10)
#define RETRY_FLOOR      MIRAGE_SEC(60)
#define NAK_WAIT         MIRAGE_SEC(1) /* first pause after a DHCPNAK */
#define RELEASE_ARP_WAIT MIRAGE_SEC(1)

struct mirage_dhcp {
    struct mirage_ethernet *eth;
    struct mirage_arp *arp;
    struct mirage_ipv4 *v4; /* ours: made without an address */
    struct mirage_random *random;
    char hostname[64];
    uint64_t probe_ns;

    enum mirage_dhcp_state state;
    struct mirage_dhcp_lease lease;
    bool has_lease;
    mirage_ipv4_addr last_addr; /* asked for again after losing it */
    struct dhcp_in offer;       /* the offer being requested */
    uint32_t xid;
    uint64_t exchange_start;
    uint64_t nak_wait; /* pause before starting over after a NAK */

    struct dhcp_in inbox[INBOX]; /* replies of the current exchange */
    unsigned in_head, in_len;
    struct mirage_waitq wake;    /* the client's fiber */
    struct mirage_waitq waiters; /* wait_bound and wait_event */
    uint64_t events;
    bool stop;
    struct mirage_fiber *fiber;
    uint64_t last_warn;
    struct mirage_dhcp_stats stats;
};

/* A warning about a server's input, at most one a second. */
static void warn(struct mirage_dhcp *d, const char *fmt, ...)
{
    uint64_t now = mirage_now();
    if (d->last_warn && now - d->last_warn < MIRAGE_SEC(1))
        return;
    d->last_warn = now;
    va_list ap;
    va_start(ap, fmt);
    mirage_log_vmsg(&log_dhcp, MIRAGE_LOG_WARNING, fmt, ap);
    va_end(ap);
}

static void event(struct mirage_dhcp *d)
{
    d->events++;
    mirage_waitq_wake_all(&d->waiters);
}

static uint32_t random32(struct mirage_dhcp *d)
{
    return (uint32_t)mirage_random_uniform(d->random, (uint64_t)1 << 32);
}

/* base randomised by +-1 s (RFC 2131 4.1). */
static uint64_t jitter(struct mirage_dhcp *d, uint64_t base)
{
    return base - MIRAGE_SEC(1) +
           mirage_random_uniform(d->random, MIRAGE_SEC(2) + 1);
}

static void new_exchange(struct mirage_dhcp *d)
{
    d->xid = random32(d);
    d->exchange_start = mirage_now();
    d->in_len = 0;
}

/* ---- Receiving ---------------------------------------------------------- */

/* A UDP datagram to port 68 (from IPv4's hook). */
static void on_udp(void *arg, const struct mirage_ip_rx *rx,
                   struct mirage_buf *b)
{
    struct mirage_dhcp *d = arg;
    char from[MIRAGE_IPADDR_STRLEN];
    mirage_ipaddr_to_string(&rx->src, from);
    const uint8_t *u = b->data;
    size_t ulen = b->len >= MIRAGE_UDP_HDR_LEN ? mirage_get_be16(u + 4) : 0;
    /* The checksum is checked unless the interface vouches for it
     * (buf.h: the host's own datagrams may carry only the pseudo-header
     * sum). */
    if (ulen < MIRAGE_UDP_HDR_LEN || ulen > b->len ||
        (mirage_get_be16(u + 6) != 0 && !(b->offl & MIRAGE_BUF_CSUM_OK) &&
         mirage_csum_fold(
             mirage_csum_add(mirage_ip_pseudo_sum(&rx->src, &rx->dst,
                                                  MIRAGE_IP_PROTO_UDP, ulen),
                             u, ulen)) != 0)) {
        d->stats.rx_malformed++;
        warn(d, "dropped a bad UDP datagram from %s", from);
        return;
    }
    if (mirage_get_be16(u) != DHCP_SERVER_PORT ||
        d->state == MIRAGE_DHCP_STOPPED) {
        d->stats.rx_ignored++;
        return;
    }
    const uint8_t *data = u + MIRAGE_UDP_HDR_LEN;
    size_t len = ulen - MIRAGE_UDP_HDR_LEN;
    struct dhcp_in m;
    const char *why;
    if (dhcp_parse(data, len, &m, &why) != 0) {
        d->stats.rx_malformed++;
        warn(d, "dropped a malformed message from %s: %s", from, why);
        return;
    }
    if (m.xid != d->xid ||
        memcmp(m.chaddr, mirage_ethernet_mac(d->eth), 6) != 0) {
        d->stats.rx_ignored++;
        return;
    }
    if (m.bad_options) {
        d->stats.rx_bad_option += m.bad_options;
        warn(d, "ignored %u malformed option%s from %s", m.bad_options,
             m.bad_options > 1 ? "s" : "", from);
    }
    if (d->in_len == INBOX) {
        d->in_head = (d->in_head + 1) % INBOX;
        d->in_len--;
        d->stats.rx_ignored++;
    }
    d->inbox[(d->in_head + d->in_len) % INBOX] = m;
    d->in_len++;
    mirage_waitq_wake_one(&d->wake);
}

/* Wait until `until` for a reply whose type is in the bit set `types`
 * (others are dropped): 0 with *out set, MIRAGE_ETIMEDOUT, or
 * MIRAGE_ECLOSED when the client is stopping. */
static int wait_reply(struct mirage_dhcp *d, unsigned types, uint64_t until,
                      struct dhcp_in *out)
{
    for (;;) {
        if (d->stop)
            return MIRAGE_ECLOSED;
        while (d->in_len > 0) {
            struct dhcp_in *m = &d->inbox[d->in_head];
            d->in_head = (d->in_head + 1) % INBOX;
            d->in_len--;
            if (types & (1u << m->type)) {
                *out = *m;
                return 0;
            }
            d->stats.rx_ignored++;
        }
        if (mirage_waitq_wait(&d->wake, until) == MIRAGE_ETIMEDOUT &&
            d->in_len == 0)
            return d->stop ? MIRAGE_ECLOSED : MIRAGE_ETIMEDOUT;
    }
}

/* Sleep until `until` or until the client stops, dropping replies. */
static void idle_until(struct mirage_dhcp *d, uint64_t until)
{
    struct dhcp_in m;
    while (wait_reply(d, 0, until, &m) == 0)
        ;
}

/* ---- Sending ------------------------------------------------------------ */

/* Send a message of the current exchange from src (0.0.0.0 until we have
 * an address) to dst. */
static int send_msg(struct mirage_dhcp *d, enum dhcp_type type,
                    mirage_ipv4_addr src, mirage_ipv4_addr dst,
                    mirage_ipv4_addr requested, mirage_ipv4_addr server)
{
    uint64_t secs = (mirage_now() - d->exchange_start) / MIRAGE_SEC(1);
    size_t mtu = mirage_ethernet_mtu(d->eth);
    struct dhcp_out m = {
        .type = type,
        .xid = d->xid,
        .secs = (uint16_t)(secs > 0xffff ? 0xffff : secs),
        .broadcast = src == MIRAGE_IPV4_ANY,
        .ciaddr = type == DHCP_DECLINE ? MIRAGE_IPV4_ANY : src,
        .requested_ip = requested,
        .server_id = server,
        .hostname = d->hostname,
        .max_size = (uint16_t)(mtu > 0xffff ? 0xffff : mtu),
    };
    memcpy(m.mac, mirage_ethernet_mac(d->eth), 6);
    struct mirage_buf *b = mirage_buf_alloc(MIRAGE_UDP_HDR_LEN + DHCP_SEND_MAX);
    if (!b)
        return MIRAGE_ENOMEM;
    uint8_t *u = b->data;
    size_t len = MIRAGE_UDP_HDR_LEN + dhcp_build(&m, u + MIRAGE_UDP_HDR_LEN);
    mirage_buf_trim(b, len);
    struct mirage_ipaddr from = mirage_ipaddr_of_v4(src);
    struct mirage_ipaddr to = mirage_ipaddr_of_v4(dst);
    mirage_put_be16(u, DHCP_CLIENT_PORT);
    mirage_put_be16(u + 2, DHCP_SERVER_PORT);
    mirage_put_be16(u + 4, (uint16_t)len);
    mirage_put_be16(u + 6, 0);
    uint16_t sum = mirage_csum_fold(mirage_csum_add(
        mirage_ip_pseudo_sum(&from, &to, MIRAGE_IP_PROTO_UDP, len), u, len));
    mirage_put_be16(u + 6, sum ? sum : 0xffff);
    int err = mirage_ip_write(mirage_ipv4_ip(d->v4), &from, &to,
                              MIRAGE_IP_PROTO_UDP, b);
    if (err)
        mirage_log_src_warn(&log_dhcp, "cannot send: %s", mirage_strerror(err));
    return err;
}

/* ---- Leases ------------------------------------------------------------- */

/* An address a server may give us. */
static bool usable_yiaddr(mirage_ipv4_addr a)
{
    return a != MIRAGE_IPV4_ANY && (a >> 24) != 127 && (a >> 28) < 0xe &&
           (a >> 24) != 0;
}

/* Whether an OFFER or ACK can be taken; *why says why not. */
static bool acceptable(const struct dhcp_in *m, const char **why)
{
    if (!usable_yiaddr(m->yiaddr))
        *why = "an unusable address";
    else if (!m->has_server_id)
        *why = "no server identifier";
    else if (m->type == DHCP_ACK && (!m->has_lease || m->lease_s == 0))
        *why = "no lease time";
    else
        return true;
    return false;
}

/* The prefix length of a network without a mask option: its class. */
static unsigned classful_bits(mirage_ipv4_addr a)
{
    if ((a >> 31) == 0)
        return 8;
    return (a >> 30) == 2 ? 16 : 24;
}

static const char *addr_list(const mirage_ipv4_addr *a, size_t n, char *buf,
                             size_t cap)
{
    size_t k = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && k + MIRAGE_IPV4_STRLEN + 1 < cap; i++) {
        char s[MIRAGE_IPV4_STRLEN];
        k += (size_t)snprintf(buf + k, cap - k, "%s%s", i ? " " : "",
                              mirage_ipv4_to_string(a[i], s));
    }
    return n ? buf : "none";
}

static void log_lease(const struct mirage_dhcp_lease *l, bool renewed)
{
    char a[MIRAGE_IPV4_STRLEN], s[MIRAGE_IPV4_STRLEN];
    char gw[(MIRAGE_IPV4_STRLEN + 1) * MIRAGE_DHCP_MAX_ADDRS];
    char dns[(MIRAGE_IPV4_STRLEN + 1) * MIRAGE_DHCP_MAX_ADDRS];
    char time[24];
    if (l->lease_s == MIRAGE_DHCP_INFINITE)
        snprintf(time, sizeof time, "infinite");
    else
        snprintf(time, sizeof time, "%u s", (unsigned)l->lease_s);
    mirage_ipv4_to_string(l->cidr.addr, a);
    mirage_ipv4_to_string(l->server, s);
    if (renewed) {
        mirage_log_src_info(&log_dhcp, "lease %s/%u renewed by %s: %s", a,
                            l->cidr.bits, s, time);
        return;
    }
    mirage_log_src_info(
        &log_dhcp, "lease %s/%u from %s: gateway %s, DNS %s, lease %s%s%s%s%s",
        a, l->cidr.bits, s, addr_list(l->routers, l->nrouters, gw, sizeof gw),
        addr_list(l->dns, l->ndns, dns, sizeof dns), time,
        l->hostname[0] ? ", host name " : "", l->hostname,
        l->domain[0] ? ", domain " : "", l->domain);
}

/* Take the ACK m to a request sent at t_req: configure IPv4 and enter
 * BOUND. false (and the client starts over) when IPv4 refuses it. */
static bool bind(struct mirage_dhcp *d, const struct dhcp_in *m, uint64_t t_req)
{
    struct mirage_dhcp_lease l = {
        .cidr = {m->yiaddr,
                 m->has_mask ? m->prefix_bits : classful_bits(m->yiaddr)},
        .server = m->server_id,
        .nrouters = m->nrouters,
        .ndns = m->ndns,
        .mtu = m->mtu,
        .lease_s = m->lease_s,
        .bound_at = t_req,
    };
    memcpy(l.routers, m->routers, sizeof l.routers);
    memcpy(l.dns, m->dns, sizeof l.dns);
    memcpy(l.hostname, m->hostname, sizeof l.hostname);
    memcpy(l.domain, m->domain, sizeof l.domain);
    if (l.lease_s == MIRAGE_DHCP_INFINITE) {
        l.t1_s = l.t2_s = MIRAGE_DHCP_INFINITE;
    } else {
        l.t1_s = m->has_t1 ? m->t1_s : l.lease_s / 2;
        l.t2_s = m->has_t2 ? m->t2_s : (uint32_t)((uint64_t)l.lease_s * 7 / 8);
        if (!(l.t1_s <= l.t2_s && l.t2_s <= l.lease_s)) {
            l.t1_s = l.lease_s / 2;
            l.t2_s = (uint32_t)((uint64_t)l.lease_s * 7 / 8);
        }
    }
    struct mirage_ipv4_config cfg = {.cidr = l.cidr};
    for (size_t i = 0; i < l.nrouters && !cfg.gateway; i++)
        if (l.routers[i] != l.cidr.addr)
            cfg.gateway = l.routers[i];
    const struct mirage_ipv4_config *now = mirage_ipv4_config(d->v4);
    bool same = mirage_ipv4_configured(d->v4) &&
                now->cidr.addr == cfg.cidr.addr &&
                now->cidr.bits == cfg.cidr.bits && now->gateway == cfg.gateway;
    int err = same ? 0 : mirage_ipv4_set_config(d->v4, &cfg);
    if (err == MIRAGE_EINVAL && cfg.gateway) {
        cfg.gateway = MIRAGE_IPV4_ANY;
        err = mirage_ipv4_set_config(d->v4, &cfg);
    }
    if (err) {
        mirage_log_src_err(&log_dhcp, "cannot configure the lease: %s",
                           mirage_strerror(err));
        return false;
    }
    mirage_ipv4_set_mtu(d->v4, l.mtu);
    bool renewed = d->has_lease && d->lease.cidr.addr == l.cidr.addr &&
                   d->lease.server == l.server;
    d->lease = l;
    d->has_lease = true;
    d->nak_wait = 0;
    d->last_addr = l.cidr.addr;
    d->state = MIRAGE_DHCP_BOUND;
    d->stats.leases++;
    log_lease(&l, renewed);
    event(d);
    return true;
}

/* Give the address up (expired, refused or released). */
static void unbind(struct mirage_dhcp *d)
{
    if (!d->has_lease)
        return;
    d->has_lease = false;
    mirage_ipv4_clear_config(d->v4);
    mirage_ipv4_set_mtu(d->v4, 0);
    event(d);
}

/* A server refused us (DHCPNAK): start over after a pause that doubles
 * with each refusal in a row (1 s up to 64 s), so that a server refusing
 * everything does not get a storm of requests. */
static void refused(struct mirage_dhcp *d)
{
    unbind(d);
    d->state = MIRAGE_DHCP_INIT;
    d->nak_wait = d->nak_wait ? d->nak_wait * 2 : NAK_WAIT;
    if (d->nak_wait > BACKOFF_MAX)
        d->nak_wait = BACKOFF_MAX;
    event(d);
    idle_until(d, mirage_now() + d->nak_wait);
}

enum verdict { IGNORED, REFUSED, TAKEN };

/* An ACK or NAK to a request about addr, counted: a NAK is logged
 * ("SERVER refused VERB ADDR") and sends the client back to INIT after a
 * pause; an ACK that cannot be taken is ignored with a warning. */
static enum verdict judge(struct mirage_dhcp *d, const struct dhcp_in *m,
                          const char *verb, mirage_ipv4_addr addr)
{
    char a[MIRAGE_IPV4_STRLEN], s[MIRAGE_IPV4_STRLEN];
    const char *why;
    mirage_ipv4_to_string(m->server_id, s);
    if (m->type == DHCP_NAK) {
        d->stats.rx_nak++;
        mirage_log_src_warn(&log_dhcp, "%s refused %s%s%s%s", s, verb,
                            mirage_ipv4_to_string(addr, a),
                            m->message[0] ? ": " : "", m->message);
        refused(d);
        return REFUSED;
    }
    d->stats.rx_ack++;
    if (!acceptable(m, &why)) {
        warn(d, "ignored an acknowledgment from %s: %s", s, why);
        return IGNORED;
    }
    return TAKEN;
}

static uint64_t lease_time(const struct mirage_dhcp_lease *l, uint32_t s)
{
    return l->bound_at + MIRAGE_SEC((uint64_t)s);
}

/* ---- The states --------------------------------------------------------- */

/* INIT: broadcast DISCOVER until an acceptable OFFER comes. */
static void discover(struct mirage_dhcp *d)
{
    new_exchange(d);
    uint64_t backoff = BACKOFF_FIRST;
    unsigned unanswered = 0;
    while (!d->stop) {
        d->stats.tx_discover++;
        send_msg(d, DHCP_DISCOVER, MIRAGE_IPV4_ANY, MIRAGE_IPV4_BROADCAST,
                 d->last_addr, MIRAGE_IPV4_ANY);
        uint64_t until = mirage_now() + jitter(d, backoff);
        struct dhcp_in m;
        int err;
        while ((err = wait_reply(d, 1u << DHCP_OFFER, until, &m)) == 0) {
            const char *why;
            char s[MIRAGE_IPV4_STRLEN];
            d->stats.rx_offer++;
            if (acceptable(&m, &why)) {
                d->offer = m;
                d->state = MIRAGE_DHCP_REQUESTING;
                return;
            }
            warn(d, "ignored an offer from %s: %s",
                 mirage_ipv4_to_string(m.server_id, s), why);
        }
        if (err == MIRAGE_ECLOSED)
            return;
        if (++unanswered % 3 == 0)
            mirage_log_src_warn(&log_dhcp,
                                "no offer yet (%u discover messages sent)",
                                unanswered);
        backoff = backoff * 2 > BACKOFF_MAX ? BACKOFF_MAX : backoff * 2;
    }
}

/* An ARP answer for the offered address: decline it, and wait ten
 * seconds before starting over (RFC 2131 3.1.5). */
static void decline(struct mirage_dhcp *d, const struct dhcp_in *ack,
                    const uint8_t mac[6])
{
    char a[MIRAGE_IPV4_STRLEN], s[MIRAGE_IPV4_STRLEN], m[MIRAGE_MAC_STRLEN];
    d->stats.conflicts++;
    mirage_log_src_warn(&log_dhcp, "%s is in use by %s: declining it to %s",
                        mirage_ipv4_to_string(ack->yiaddr, a),
                        mirage_mac_to_string(mac, m),
                        mirage_ipv4_to_string(ack->server_id, s));
    d->stats.tx_decline++;
    send_msg(d, DHCP_DECLINE, MIRAGE_IPV4_ANY, MIRAGE_IPV4_BROADCAST,
             ack->yiaddr, ack->server_id);
    d->last_addr = MIRAGE_IPV4_ANY;
    d->state = MIRAGE_DHCP_INIT;
    event(d);
    idle_until(d, mirage_now() + DECLINE_WAIT);
}

/* Whether someone answers ARP for a (an address conflict). */
static bool in_use(struct mirage_dhcp *d, mirage_ipv4_addr a, uint8_t mac[6])
{
    if (!d->probe_ns)
        return false;
    return mirage_arp_query(d->arp, a, mac, mirage_now() + d->probe_ns) == 0;
}

/* REQUESTING: broadcast REQUEST for the offer until ACK or NAK. */
static void request(struct mirage_dhcp *d)
{
    const struct dhcp_in *o = &d->offer;
    char a[MIRAGE_IPV4_STRLEN], s[MIRAGE_IPV4_STRLEN];
    mirage_ipv4_to_string(o->yiaddr, a);
    mirage_ipv4_to_string(o->server_id, s);
    uint64_t backoff = BACKOFF_FIRST;
    for (int tries = 0; tries < REQUEST_TRIES && !d->stop; tries++) {
        uint64_t t_req = mirage_now();
        d->stats.tx_request++;
        send_msg(d, DHCP_REQUEST, MIRAGE_IPV4_ANY, MIRAGE_IPV4_BROADCAST,
                 o->yiaddr, o->server_id);
        uint64_t until = t_req + jitter(d, backoff);
        struct dhcp_in m;
        int err;
        unsigned types = 1u << DHCP_ACK | 1u << DHCP_NAK;
        while ((err = wait_reply(d, types, until, &m)) == 0) {
            if (!m.has_server_id || m.server_id != o->server_id) {
                d->stats.rx_ignored++;
                continue;
            }
            enum verdict v = judge(d, &m, "", o->yiaddr);
            if (v == REFUSED)
                return;
            if (v == IGNORED)
                continue;
            uint8_t mac[6];
            if (in_use(d, m.yiaddr, mac)) {
                if (!d->stop)
                    decline(d, &m, mac);
                return;
            }
            if (d->stop || !bind(d, &m, t_req))
                d->state = MIRAGE_DHCP_INIT;
            return;
        }
        if (err == MIRAGE_ECLOSED)
            return;
        backoff *= 2;
    }
    mirage_log_src_warn(&log_dhcp, "%s did not answer the request for %s", s,
                        a);
    d->state = MIRAGE_DHCP_INIT;
}

/* BOUND: nothing to do until T1. */
static void bound(struct mirage_dhcp *d)
{
    const struct mirage_dhcp_lease *l = &d->lease;
    if (l->lease_s == MIRAGE_DHCP_INFINITE) {
        idle_until(d, MIRAGE_FOREVER);
        return;
    }
    idle_until(d, lease_time(l, l->t1_s));
    if (!d->stop) {
        char a[MIRAGE_IPV4_STRLEN], s[MIRAGE_IPV4_STRLEN];
        mirage_log_src_info(&log_dhcp, "renewing %s with %s",
                            mirage_ipv4_to_string(l->cidr.addr, a),
                            mirage_ipv4_to_string(l->server, s));
        d->state = MIRAGE_DHCP_RENEWING;
        new_exchange(d);
        event(d);
    }
}

static void expire(struct mirage_dhcp *d)
{
    char a[MIRAGE_IPV4_STRLEN], s[MIRAGE_IPV4_STRLEN];
    d->stats.expired++;
    mirage_log_src_warn(&log_dhcp, "lease of %s from %s expired",
                        mirage_ipv4_to_string(d->lease.cidr.addr, a),
                        mirage_ipv4_to_string(d->lease.server, s));
    unbind(d);
    d->state = MIRAGE_DHCP_INIT;
}

/* RENEWING (unicast to our server until T2) and REBINDING (broadcast to
 * any server until the lease expires). */
static void extend(struct mirage_dhcp *d)
{
    const struct mirage_dhcp_lease *l = &d->lease;
    uint64_t t2 = lease_time(l, l->t2_s), end = lease_time(l, l->lease_s);
    uint64_t floor = MIRAGE_SEC((uint64_t)l->lease_s) / 8;
    if (floor > RETRY_FLOOR)
        floor = RETRY_FLOOR;
    uint64_t now = mirage_now();
    if (now >= end) {
        expire(d);
        return;
    }
    bool renewing = d->state == MIRAGE_DHCP_RENEWING;
    if (renewing && now >= t2) {
        char a[MIRAGE_IPV4_STRLEN];
        mirage_log_src_info(&log_dhcp, "rebinding %s with any server",
                            mirage_ipv4_to_string(l->cidr.addr, a));
        d->state = MIRAGE_DHCP_REBINDING;
        event(d);
        return;
    }
    uint64_t phase_end = renewing ? t2 : end;
    mirage_ipv4_addr addr = l->cidr.addr, server = l->server;
    d->stats.tx_request++;
    send_msg(d, DHCP_REQUEST, addr, renewing ? server : MIRAGE_IPV4_BROADCAST,
             MIRAGE_IPV4_ANY, MIRAGE_IPV4_ANY);
    uint64_t wait = (phase_end - now) / 2;
    if (wait < floor)
        wait = phase_end - now;
    struct dhcp_in m;
    int err;
    unsigned types = 1u << DHCP_ACK | 1u << DHCP_NAK;
    while ((err = wait_reply(d, types, now + wait, &m)) == 0) {
        if (renewing && (!m.has_server_id || m.server_id != server)) {
            d->stats.rx_ignored++;
            continue;
        }
        enum verdict v = judge(d, &m, "to extend ", addr);
        if (v == REFUSED)
            return;
        if (v == IGNORED)
            continue;
        if (!bind(d, &m, now)) {
            unbind(d);
            d->state = MIRAGE_DHCP_INIT;
        }
        return;
    }
}

static int client_main(void *arg)
{
    struct mirage_dhcp *d = arg;
    while (!d->stop) {
        switch (d->state) {
        case MIRAGE_DHCP_INIT:
            discover(d);
            break;
        case MIRAGE_DHCP_REQUESTING:
            request(d);
            break;
        case MIRAGE_DHCP_BOUND:
            bound(d);
            break;
        case MIRAGE_DHCP_RENEWING:
        case MIRAGE_DHCP_REBINDING:
            extend(d);
            break;
        case MIRAGE_DHCP_STOPPED:
            return 0;
        }
    }
    return 0;
}

/* ---- The interface ------------------------------------------------------ */

static void release_at_exit(void *d)
{
    mirage_dhcp_release(d);
}

int mirage_dhcp_connect_client(struct mirage_dhcp **out,
                               struct mirage_ethernet *eth,
                               struct mirage_arp *arp,
                               struct mirage_random *random,
                               const struct mirage_dhcp_config *cfg)
{
    struct mirage_dhcp *d = calloc(1, sizeof *d);
    if (!d)
        return MIRAGE_ENOMEM;
    *d = (struct mirage_dhcp){
        .eth = eth,
        .arp = arp,
        .random = random,
        .probe_ns = cfg ? cfg->arp_probe_ns : MIRAGE_DHCP_PROBE_DEFAULT,
        .state = MIRAGE_DHCP_INIT,
    };
    if (cfg && cfg->hostname)
        snprintf(d->hostname, sizeof d->hostname, "%s", cfg->hostname);
    mirage_waitq_init(&d->wake);
    mirage_waitq_init(&d->waiters);
    int err = mirage_ipv4_connect_unconfigured(&d->v4, eth, arp);
    if (err) {
        free(d);
        return err;
    }
    d->fiber = mirage_fiber_spawn(client_main, d, 0);
    if (!d->fiber) {
        mirage_ipv4_disconnect(d->v4);
        free(d);
        return MIRAGE_ENOMEM;
    }
    mirage_ipv4_set_udp_hook(d->v4, DHCP_CLIENT_PORT, on_udp, d);
    if (mirage_at_exit(release_at_exit, d) != 0)
        mirage_log_src_warn(&log_dhcp, "the lease will not be released at "
                                       "exit: too many exit hooks");
    char mac[MIRAGE_MAC_STRLEN];
    mirage_log_src_info(&log_dhcp, "asking for a lease for %s",
                        mirage_mac_to_string(mirage_ethernet_mac(eth), mac));
    *out = d;
    return 0;
}

struct mirage_ipv4 *mirage_dhcp_ipv4(struct mirage_dhcp *d)
{
    return d->v4;
}

int mirage_ipv4_connect_dhcp(struct mirage_ipv4 **out, struct mirage_dhcp *d)
{
    int err = mirage_dhcp_wait_bound(d, MIRAGE_FOREVER);
    if (!err)
        *out = d->v4;
    return err;
}

int mirage_dhcp_wait_bound(struct mirage_dhcp *d, uint64_t deadline)
{
    while (!d->has_lease) {
        if (d->state == MIRAGE_DHCP_STOPPED)
            return MIRAGE_ECLOSED;
        int err = mirage_waitq_wait(&d->waiters, deadline);
        if (err)
            return err;
    }
    return 0;
}

int mirage_dhcp_wait_event(struct mirage_dhcp *d, uint64_t *seen,
                           uint64_t deadline)
{
    while (d->events == *seen) {
        if (d->state == MIRAGE_DHCP_STOPPED)
            return MIRAGE_ECLOSED;
        int err = mirage_waitq_wait(&d->waiters, deadline);
        if (err)
            return err;
    }
    *seen = d->events;
    return 0;
}

int mirage_dhcp_lease(const struct mirage_dhcp *d,
                      struct mirage_dhcp_lease *out)
{
    if (!d->has_lease)
        return MIRAGE_ENOENT;
    *out = d->lease;
    return 0;
}

enum mirage_dhcp_state mirage_dhcp_state(const struct mirage_dhcp *d)
{
    return d->state;
}

const char *mirage_dhcp_state_name(enum mirage_dhcp_state s)
{
    static const char *const names[] = {
        "init", "requesting", "bound", "renewing", "rebinding", "stopped",
    };
    return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "unknown";
}

const struct mirage_dhcp_stats *mirage_dhcp_stats(const struct mirage_dhcp *d)
{
    return &d->stats;
}

size_t mirage_dhcp_dns_servers(void *arg, struct mirage_ipaddr *out, size_t max)
{
    const struct mirage_dhcp *d = arg;
    if (!d->has_lease)
        return 0;
    size_t n = d->lease.ndns < max ? d->lease.ndns : max;
    for (size_t i = 0; i < n; i++)
        out[i] = mirage_ipaddr_of_v4(d->lease.dns[i]);
    return n;
}

/* End the client's fiber and enter STOPPED. */
static void stop(struct mirage_dhcp *d)
{
    if (d->state == MIRAGE_DHCP_STOPPED)
        return;
    d->stop = true;
    mirage_waitq_wake_all(&d->wake);
    mirage_fiber_join(d->fiber);
    d->state = MIRAGE_DHCP_STOPPED;
    mirage_waitq_wake_all(&d->waiters);
}

void mirage_dhcp_release(struct mirage_dhcp *d)
{
    if (d->state == MIRAGE_DHCP_STOPPED)
        return;
    if (d->has_lease) {
        char a[MIRAGE_IPV4_STRLEN], s[MIRAGE_IPV4_STRLEN];
        /* Unicast: wait a little for the next hop's link address, so
         * that the message is not left in ARP's queue at exit. */
        mirage_ipv4_addr hop = d->lease.server;
        mirage_ipv4_addr gw = mirage_ipv4_config(d->v4)->gateway;
        if (!mirage_ipv4_prefix_mem(&d->lease.cidr, hop) && gw)
            hop = gw;
        uint8_t mac[6];
        mirage_arp_query(d->arp, hop, mac, mirage_now() + RELEASE_ARP_WAIT);
        new_exchange(d);
        d->stats.tx_release++;
        send_msg(d, DHCP_RELEASE, d->lease.cidr.addr, d->lease.server,
                 MIRAGE_IPV4_ANY, d->lease.server);
        mirage_log_src_info(&log_dhcp, "released %s to %s",
                            mirage_ipv4_to_string(d->lease.cidr.addr, a),
                            mirage_ipv4_to_string(d->lease.server, s));
        unbind(d);
    }
    stop(d);
}

void mirage_dhcp_disconnect_client(struct mirage_dhcp *d)
{
    mirage_at_exit_cancel(release_at_exit, d);
    stop(d);
    mirage_ipv4_set_udp_hook(d->v4, 0, NULL, NULL);
    mirage_ipv4_disconnect(d->v4);
    free(d);
}
