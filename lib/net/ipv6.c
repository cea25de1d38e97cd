/* IPv6 (include/mirage/ipv6.h, RFC 8200): header validation, the walk
 * of the extension header chain, delivery to the protocols, output with
 * fragmentation to the path MTU, the generic IP interface, and the
 * layer's start and end. Neighbour discovery is in ipv6_nd.c, ICMPv6 and
 * MLD in icmpv6.c, reassembly in ipv6_reasm.c. */
#include "ipv6_internal.h"

#include <mirage/error.h>
#include <mirage/fiber.h>
#include <mirage/log.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

MIRAGE_LOG_SRC(log_ipv6, "ipv6", "IPv6");

#define HDR              MIRAGE_IPV6_HDR_LEN
#define FRAG_HDR         8
#define NH_HOP_BY_HOP    0
#define NH_ROUTING       43
#define NH_FRAGMENT      44
#define NH_NONE          59
#define NH_DEST_OPTS     60
#define DEFAULT_HOPS     64
#define PMTU_LIFETIME    MIRAGE_SEC(600) /* RFC 8201 5.3: at least 5 min */
#define OPT_PAD1         0
#define OPT_PADN         1
#define OPT_ROUTER_ALERT 5

const uint8_t ip6_all_nodes[16] = {0xff, 2, [15] = 1};
const uint8_t ip6_all_routers[16] = {0xff, 2, [15] = 2};
const uint8_t ip6_mld_routers[16] = {0xff, 2, [15] = 0x16};
const uint8_t ip6_unspecified[16];

bool ip6_is_multicast(const uint8_t a[16])
{
    return a[0] == 0xff;
}

bool ip6_is_unspecified(const uint8_t a[16])
{
    return memcmp(a, ip6_unspecified, 16) == 0;
}

bool ip6_is_link_local(const uint8_t a[16])
{
    return a[0] == 0xfe && (a[1] & 0xc0) == 0x80;
}

bool ip6_prefix_match(const uint8_t a[16], const uint8_t p[16], unsigned bits)
{
    unsigned whole = bits / 8, rest = bits % 8;
    if (memcmp(a, p, whole) != 0)
        return false;
    if (!rest)
        return true;
    uint8_t mask = (uint8_t)(0xff << (8 - rest));
    return (a[whole] & mask) == (p[whole] & mask);
}

void ip6_solicited_node(const uint8_t a[16], uint8_t out[16])
{
    static const uint8_t base[13] = {0xff, 2, [11] = 1, [12] = 0xff};
    memcpy(out, base, 13);
    memcpy(out + 13, a + 13, 3);
}

static struct mirage_ipv6 *of_ip(struct mirage_ip *ip)
{
    return (struct mirage_ipv6 *)ip;
}

/* ---- Receiving --------------------------------------------------------- */

/* An ICMPv6 parameter problem about the received packet b (quoted from
 * its start) pointing at byte ptr. */
static void param_problem(struct mirage_ipv6 *v6, const struct mirage_buf *b,
                          uint8_t code, size_t ptr)
{
    const uint8_t *p = b->data;
    struct mirage_ip_rx rx = {
        .src = mirage_ipaddr_of_v6(p + 8),
        .dst = mirage_ipaddr_of_v6(p + 24),
        .broadcast = ip6_is_multicast(p + 24),
        .hdr = p,
        .hdr_len = b->len,
    };
    icmpv6_send_error(v6, &rx, NULL, 0, ICMPV6_PARAM_PROB, code, (uint32_t)ptr);
}

/* Check the options of a hop-by-hop or destination options header at
 * [off, off + len) of b (RFC 8200 4.2): false when the packet is to be
 * dropped (with a parameter problem where the option type asks one). */
static bool options_ok(struct mirage_ipv6 *v6, const struct mirage_buf *b,
                       size_t off, size_t len)
{
    const uint8_t *p = b->data;
    size_t pos = off + 2, end = off + len;
    while (pos < end) {
        uint8_t t = p[pos];
        if (t == OPT_PAD1) {
            pos++;
            continue;
        }
        if (pos + 2 > end || pos + 2 + p[pos + 1] > end) {
            v6->ip.stats.rx_malformed++;
            return false;
        }
        if (t != OPT_PADN && t != OPT_ROUTER_ALERT) {
            switch (t >> 6) {
            case 0:
                break; /* skip over it */
            case 1:
                v6->ip.stats.rx_malformed++;
                return false;
            case 3:
                if (ip6_is_multicast(p + 24)) {
                    v6->ip.stats.rx_malformed++;
                    return false;
                }
                /* fall through */
            default:
                v6->ip.stats.rx_malformed++;
                param_problem(v6, b, 2, pos);
                return false;
            }
        }
        pos += 2 + (size_t)p[pos + 1];
    }
    return true;
}

int ipv6_walk(struct mirage_ipv6 *v6, const struct mirage_buf *b, size_t off,
              uint8_t nh, uint8_t *proto, size_t *upper, bool from_reasm)
{
    const uint8_t *p = b->data;
    size_t nh_at = 6; /* where the current next-header value was read */
    for (unsigned count = 0;; count++) {
        if (nh != NH_HOP_BY_HOP && nh != NH_ROUTING && nh != NH_FRAGMENT &&
            nh != NH_DEST_OPTS) {
            if (nh == NH_NONE) {
                v6->ip.stats.rx_no_proto++;
                return -1;
            }
            *proto = nh;
            *upper = off;
            return 0;
        }
        if (count == MIRAGE_IPV6_EXT_MAX) {
            v6->st.rx_too_many_ext++;
            v6->ip.stats.rx_malformed++;
            return -1;
        }
        if (off + 8 > b->len) {
            v6->ip.stats.rx_malformed++;
            return -1;
        }
        if (nh == NH_HOP_BY_HOP && (off != HDR || from_reasm)) {
            /* Only right after the IPv6 header (RFC 8200 4.1). */
            v6->ip.stats.rx_malformed++;
            param_problem(v6, b, 1, nh_at);
            return -1;
        }
        if (nh == NH_FRAGMENT) {
            if (from_reasm) { /* a fragment inside a fragment */
                v6->ip.stats.rx_malformed++;
                return -1;
            }
            *proto = p[off];
            *upper = off;
            return 1;
        }
        size_t len = ((size_t)p[off + 1] + 1) * 8;
        if (off + len > b->len) {
            v6->ip.stats.rx_malformed++;
            return -1;
        }
        if (nh == NH_ROUTING) {
            /* We forward nothing: a route with segments left is refused
             * (RFC 8200 4.4), one without them is skipped. */
            if (p[off + 3] != 0) {
                v6->ip.stats.rx_malformed++;
                param_problem(v6, b, 0, off + 2);
                return -1;
            }
        } else if (!options_ok(v6, b, off, len)) {
            return -1;
        }
        nh_at = off;
        nh = p[off];
        off += len;
    }
}

/* Deliver b (a whole packet) whose upper-layer header is at `upper`. */
static void deliver_at(struct mirage_ipv6 *v6, struct mirage_buf *b,
                       uint8_t proto, size_t upper)
{
    const uint8_t *p = b->data;
    struct mirage_ip_rx rx = {
        .src = mirage_ipaddr_of_v6(p + 8),
        .dst = mirage_ipaddr_of_v6(p + 24),
        .proto = proto,
        .ttl = p[7],
        .broadcast = ip6_is_multicast(p + 24),
        .hdr = p,
        .hdr_len = upper,
    };
    mirage_buf_pull(b, upper);
    ipv6_deliver(v6, &rx, b);
}

void ipv6_deliver(struct mirage_ipv6 *v6, const struct mirage_ip_rx *rx,
                  struct mirage_buf *payload)
{
    if (rx->proto == MIRAGE_IP_PROTO_ICMPV6) {
        icmpv6_input(v6, rx, payload);
        return;
    }
    const struct mirage_ip_proto *p = &v6->protos[rx->proto];
    if (!p->input) {
        v6->ip.stats.rx_no_proto++;
        mirage_ip_report(&v6->ip, rx, payload, MIRAGE_IP_PROTO_UNREACHABLE);
        return;
    }
    p->input(p->arg, rx, payload);
}

/* Whether a packet to dst is for us: a usable address of ours or a
 * group we joined. */
static bool for_us(struct mirage_ipv6 *v6, const uint8_t dst[16])
{
    if (ip6_is_multicast(dst))
        return nd_joined(v6, dst);
    struct addr6 *a = nd_find_addr(v6, dst);
    return a && a->state != ADDR_TENTATIVE;
}

static void input(void *arg, const uint8_t src[6], const uint8_t dst[6],
                  struct mirage_buf *b)
{
    struct mirage_ipv6 *v6 = arg;
    (void)src;
    (void)dst;
    struct mirage_ip_stats *s = &v6->ip.stats;
    const uint8_t *p = b->data;
    if (b->len < HDR || p[0] >> 4 != 6) {
        s->rx_malformed++;
        return;
    }
    size_t plen = mirage_get_be16(p + 4);
    /* A zero length is a jumbogram (RFC 2675), which Ethernet cannot
     * carry. */
    if (plen == 0 || HDR + plen > b->len || ip6_is_multicast(p + 8)) {
        s->rx_malformed++;
        return;
    }
    mirage_buf_trim(b, HDR + plen);
    if (!for_us(v6, p + 24)) {
        s->rx_not_us++;
        return;
    }
    s->rx_pkts++;
    uint8_t proto;
    size_t upper;
    int r = ipv6_walk(v6, b, HDR, p[6], &proto, &upper, false);
    if (r < 0)
        return;
    if (r == 0) {
        deliver_at(v6, b, proto, upper);
        return;
    }
    s->rx_frags++;
    struct mirage_buf *whole = reasm6_add(v6, b, upper, &upper, &proto);
    if (!whole)
        return;
    if (ipv6_walk(v6, whole, HDR, proto, &proto, &upper, true) == 0)
        deliver_at(v6, whole, proto, upper);
    mirage_buf_free(whole);
}

/* ---- Sending ----------------------------------------------------------- */

static void put_header(uint8_t *h, size_t plen, uint8_t nh, uint8_t hops,
                       const uint8_t src[16], const uint8_t dst[16])
{
    mirage_put_be32(h, 0x60000000u); /* version 6, class 0, no flow label */
    mirage_put_be16(h + 4, (uint16_t)plen);
    h[6] = nh;
    h[7] = hops;
    memcpy(h + 8, src, 16);
    memcpy(h + 24, dst, 16);
}

int ipv6_output(struct mirage_ipv6 *v6, const uint8_t src[16],
                const uint8_t dst[16], uint8_t proto, uint8_t hop_limit,
                struct mirage_buf *payload)
{
    if (payload->len > 65535) {
        mirage_buf_free(payload);
        return MIRAGE_EINVAL;
    }
    uint8_t hop[16];
    if (!nd_next_hop(v6, dst, hop)) {
        v6->ip.stats.tx_no_route++;
        mirage_buf_free(payload);
        return MIRAGE_EUNREACH;
    }
    uint8_t hops = hop_limit ? hop_limit : v6->hop_limit;
    size_t mtu = ipv6_path_mtu(v6, dst);
    if (payload->gso_size && (!(v6->ip.offloads & MIRAGE_NET_OFFLOAD_TSO6) ||
                              HDR + payload->len > MIRAGE_NET_GSO_MAX_IP)) {
        mirage_buf_free(payload);
        return MIRAGE_EINVAL;
    }
    /* A super-segment goes whole: the interface cuts it. */
    if (HDR + payload->len <= mtu || payload->gso_size) {
        uint8_t *h = mirage_buf_push(payload, HDR);
        if (!h) {
            mirage_buf_free(payload);
            return MIRAGE_EINVAL;
        }
        put_header(h, payload->len - HDR, proto, hops, src, dst);
        v6->ip.stats.tx_pkts++;
        return nd_output(v6, hop, payload);
    }
    /* Fragment (RFC 8200 4.5): every piece but the last carries a
     * multiple of 8 bytes; the whole payload is fragmentable (we send no
     * extension headers that precede the fragment header). */
    size_t chunk = (mtu - HDR - FRAG_HDR) & ~(size_t)7;
    uint32_t id = v6->next_frag_id++;
    mirage_buf_csum_finish(payload); /* the pieces carry it as data */
    int err = 0;
    for (size_t off = 0; off < payload->len && !err; off += chunk) {
        size_t n = payload->len - off < chunk ? payload->len - off : chunk;
        bool last = off + n == payload->len;
        struct mirage_buf *f =
            mirage_buf_alloc_room(MIRAGE_ETH_HDR_LEN + HDR + FRAG_HDR, n);
        if (!f) {
            err = MIRAGE_ENOMEM;
            break;
        }
        memcpy(f->data, payload->data + off, n);
        uint8_t *fh = mirage_buf_push(f, FRAG_HDR);
        fh[0] = proto;
        fh[1] = 0;
        mirage_put_be16(fh + 2, (uint16_t)(off | (last ? 0 : 1)));
        mirage_put_be32(fh + 4, id);
        put_header(mirage_buf_push(f, HDR), f->len, NH_FRAGMENT, hops, src,
                   dst);
        v6->ip.stats.tx_frags++;
        v6->ip.stats.tx_pkts++;
        err = nd_output(v6, hop, f);
    }
    mirage_buf_free(payload);
    return err;
}

/* ---- Path MTU (RFC 8201) ---------------------------------------------- */

size_t ipv6_path_mtu(const struct mirage_ipv6 *v6, const uint8_t dst[16])
{
    uint64_t now = mirage_now();
    for (size_t i = 0; i < MIRAGE_IPV6_PMTU_ENTRIES; i++) {
        const struct pmtu6 *e = &v6->pmtu[i];
        if (e->until > now && memcmp(e->dst, dst, 16) == 0)
            return e->mtu < v6->link_mtu ? e->mtu : v6->link_mtu;
    }
    return v6->link_mtu;
}

void ipv6_pmtu_update(struct mirage_ipv6 *v6, const uint8_t dst[16], size_t mtu)
{
    /* Never below the minimum link MTU (RFC 8201 4), never above ours. */
    if (mtu < MIRAGE_IPV6_MIN_MTU)
        mtu = MIRAGE_IPV6_MIN_MTU;
    if (mtu >= ipv6_path_mtu(v6, dst))
        return;
    uint64_t now = mirage_now();
    struct pmtu6 *slot = &v6->pmtu[0];
    for (size_t i = 0; i < MIRAGE_IPV6_PMTU_ENTRIES; i++) {
        struct pmtu6 *e = &v6->pmtu[i];
        if (e->until > now && memcmp(e->dst, dst, 16) == 0) {
            slot = e;
            break;
        }
        if (e->until < slot->until)
            slot = e; /* the oldest or an expired one gives way */
    }
    memcpy(slot->dst, dst, 16);
    slot->mtu = mtu;
    slot->until = now + PMTU_LIFETIME;
    v6->st.pmtu_updates++;
    char a[MIRAGE_IPADDR_STRLEN];
    struct mirage_ipaddr d = mirage_ipaddr_of_v6(dst);
    mirage_log_src_info(&log_ipv6, "path MTU to %s is %zu",
                        mirage_ipaddr_to_string(&d, a), mtu);
}

/* ---- The generic interface -------------------------------------------- */

static int v6_write(struct mirage_ip *ip, const struct mirage_ipaddr *src,
                    const struct mirage_ipaddr *dst, uint8_t proto,
                    struct mirage_buf *payload)
{
    struct mirage_ipv6 *v6 = of_ip(ip);
    uint8_t from[16];
    bool ok = dst->version == MIRAGE_IP_V6 &&
              mirage_buf_headroom(payload) >= MIRAGE_IP_HEADROOM;
    if (ok && src && !ip6_is_unspecified(src->v6)) {
        struct addr6 *a = nd_find_addr(v6, src->v6);
        ok = src->version == MIRAGE_IP_V6 && a && a->state != ADDR_TENTATIVE;
        memcpy(from, src->v6, 16);
    } else if (ok && !ipv6_select_src(v6, dst->v6, from)) {
        mirage_buf_free(payload);
        v6->ip.stats.tx_no_route++;
        return MIRAGE_EUNREACH;
    }
    if (!ok) {
        mirage_buf_free(payload);
        return MIRAGE_EINVAL;
    }
    return ipv6_output(v6, from, dst->v6, proto, 0, payload);
}

static int v6_src(struct mirage_ip *ip, const struct mirage_ipaddr *dst,
                  struct mirage_ipaddr *out)
{
    uint8_t a[16];
    if (dst->version != MIRAGE_IP_V6 || !ipv6_select_src(of_ip(ip), dst->v6, a))
        return MIRAGE_EUNREACH;
    *out = mirage_ipaddr_of_v6(a);
    return 0;
}

static size_t v6_mtu(struct mirage_ip *ip, const struct mirage_ipaddr *dst)
{
    struct mirage_ipv6 *v6 = of_ip(ip);
    size_t mtu = dst->version == MIRAGE_IP_V6 ? ipv6_path_mtu(v6, dst->v6)
                                              : v6->link_mtu;
    return mtu - HDR;
}

static int v6_set_proto(struct mirage_ip *ip, uint8_t proto,
                        const struct mirage_ip_proto *p)
{
    if (proto == 0 || proto == MIRAGE_IP_PROTO_ICMPV6)
        return MIRAGE_EINVAL;
    of_ip(ip)->protos[proto] = p ? *p : (struct mirage_ip_proto){0};
    return 0;
}

/* Where the next-header byte naming the upper layer sits in the header
 * chain hdr (hdr_len bytes, walked already). */
static size_t next_header_at(const uint8_t *hdr, size_t hdr_len)
{
    size_t at = 6, off = HDR;
    uint8_t nh = hdr[6];
    while (off + 8 <= hdr_len) {
        at = off;
        size_t len =
            nh == NH_FRAGMENT ? FRAG_HDR : ((size_t)hdr[off + 1] + 1) * 8;
        nh = hdr[off];
        off += len;
    }
    return at;
}

static int v6_report(struct mirage_ip *ip, const struct mirage_ip_rx *rx,
                     const struct mirage_buf *payload,
                     enum mirage_ip_report_kind kind)
{
    struct mirage_ipv6 *v6 = of_ip(ip);
    if (rx->src.version != MIRAGE_IP_V6 || rx->hdr_len < HDR)
        return MIRAGE_EINVAL;
    if (kind == MIRAGE_IP_PORT_UNREACHABLE)
        return icmpv6_send_error(v6, rx, payload->data, payload->len,
                                 ICMPV6_UNREACH, 4, 0);
    return icmpv6_send_error(v6, rx, payload->data, payload->len,
                             ICMPV6_PARAM_PROB, 1,
                             (uint32_t)next_header_at(rx->hdr, rx->hdr_len));
}

static size_t v6_addresses(struct mirage_ip *ip, struct mirage_ipaddr *out,
                           size_t max)
{
    struct mirage_ipv6 *v6 = of_ip(ip);
    size_t n = 0;
    for (size_t i = 0; i < v6->naddrs; i++) {
        if (v6->addrs[i].state == ADDR_TENTATIVE)
            continue;
        if (n < max)
            out[n] = mirage_ipaddr_of_v6(v6->addrs[i].a);
        n++;
    }
    return n;
}

static const struct mirage_ip_ops ipv6_ops = {
    .write = v6_write,
    .src = v6_src,
    .mtu = v6_mtu,
    .set_proto = v6_set_proto,
    .report = v6_report,
    .addresses = v6_addresses,
};

/* ---- Start and end ----------------------------------------------------- */

static bool config_valid(const struct mirage_ipv6_config *cfg)
{
    static const uint8_t loopback[16] = {[15] = 1};
    if (cfg->has_addr &&
        (ip6_is_multicast(cfg->addr) || ip6_is_unspecified(cfg->addr) ||
         memcmp(cfg->addr, loopback, 16) == 0 || cfg->bits == 0 ||
         cfg->bits > 128))
        return false;
    return !(cfg->has_gateway &&
             (ip6_is_multicast(cfg->gateway) ||
              ip6_is_unspecified(cfg->gateway) ||
              (cfg->has_addr && memcmp(cfg->gateway, cfg->addr, 16) == 0)));
}

int mirage_ipv6_connect_direct_config(struct mirage_ipv6 **out,
                                      struct mirage_ethernet *e,
                                      struct mirage_random *random,
                                      const struct mirage_ipv6_config *cfg)
{
    if (!config_valid(cfg) || mirage_ethernet_mtu(e) < MIRAGE_IPV6_MIN_MTU)
        return MIRAGE_EINVAL;
    struct mirage_ipv6 *v6 = calloc(1, sizeof *v6);
    if (!v6)
        return MIRAGE_ENOMEM;
    v6->ip.ops = &ipv6_ops;
    v6->ip.offloads = mirage_ethernet_net(e)->offloads &
                      (MIRAGE_NET_OFFLOAD_CSUM | MIRAGE_NET_OFFLOAD_TSO6);
    v6->eth = e;
    v6->random = random;
    v6->cfg = *cfg;
    v6->link_mtu = mirage_ethernet_mtu(e);
    v6->hop_limit = DEFAULT_HOPS;
    v6->reachable_time = MIRAGE_SEC(30);
    v6->retrans_time = MIRAGE_SEC(1);
    memcpy(v6->mac, mirage_ethernet_mac(e), 6);
    /* The modified EUI-64 interface identifier (RFC 4291 2.5.1). */
    const uint8_t *m = v6->mac;
    uint8_t iid[8] = {m[0] ^ 2, m[1], m[2], 0xff, 0xfe, m[3], m[4], m[5]};
    memcpy(v6->iid, iid, 8);
    mirage_random_generate(random, &v6->next_frag_id, sizeof v6->next_frag_id);
    mirage_net_timer_init(&v6->timer, nd_timer);
    int err = mirage_ethernet_set_input(e, MIRAGE_ETHERTYPE_IPV6, input, v6);
    if (err) {
        free(v6);
        return err;
    }
    uint8_t ll[16] = {0xfe, 0x80};
    memcpy(ll + 8, iid, 8);
    nd_add_addr(v6, ll, 64, false, UINT64_MAX, UINT64_MAX);
    if (cfg->has_addr) {
        nd_add_addr(v6, cfg->addr, cfg->bits, false, UINT64_MAX, UINT64_MAX);
        struct prefix6 *p = &v6->prefixes[v6->nprefixes++];
        memcpy(p->p, cfg->addr, 16);
        p->bits = cfg->bits;
        p->until = UINT64_MAX;
    }
    char l[MIRAGE_IPADDR_STRLEN], a[MIRAGE_IPADDR_STRLEN + 4],
        g[MIRAGE_IPADDR_STRLEN];
    struct mirage_ipaddr la = mirage_ipaddr_of_v6(ll);
    struct mirage_ipaddr sa = mirage_ipaddr_of_v6(cfg->addr);
    struct mirage_ipaddr ga = mirage_ipaddr_of_v6(cfg->gateway);
    if (cfg->has_addr) {
        mirage_ipaddr_to_string(&sa, a);
        snprintf(a + strlen(a), 5, "/%u", cfg->bits);
    }
    mirage_log_src_info(
        &log_ipv6, "link-local %s, address %s, gateway %s%s",
        mirage_ipaddr_to_string(&la, l), cfg->has_addr ? a : "none",
        cfg->has_gateway ? mirage_ipaddr_to_string(&ga, g) : "none",
        cfg->accept_ra ? ", router advertisements accepted" : "");
    if (cfg->accept_ra) {
        v6->rs_left = 3;
        v6->rs_at = mirage_now();
    }
    v6->mld_at = mirage_now();
    nd_schedule(v6);
    *out = v6;
    return 0;
}

/* Parse "ADDR/N" (N 1..128). */
static int parse_cidr(const char *s, uint8_t addr[16], unsigned *bits)
{
    const char *slash = strchr(s, '/');
    char buf[MIRAGE_IPADDR_STRLEN];
    if (!slash || (size_t)(slash - s) >= sizeof buf || !slash[1] ||
        strlen(slash + 1) > 3 ||
        strspn(slash + 1, "0123456789") != strlen(slash + 1))
        return MIRAGE_EINVAL;
    memcpy(buf, s, (size_t)(slash - s));
    buf[slash - s] = '\0';
    unsigned n = (unsigned)atoi(slash + 1);
    if (n == 0 || n > 128 || mirage_ipv6_parse(buf, addr) != 0)
        return MIRAGE_EINVAL;
    *bits = n;
    return 0;
}

int mirage_ipv6_connect_direct(struct mirage_ipv6 **out,
                               struct mirage_ethernet *e,
                               struct mirage_random *random, const char *cidr,
                               const char *gateway, bool accept_ra)
{
    struct mirage_ipv6_config cfg = {.accept_ra = accept_ra};
    if (cidr && *cidr) {
        if (parse_cidr(cidr, cfg.addr, &cfg.bits) != 0) {
            mirage_log_src_err(&log_ipv6,
                               "invalid --ipv6 '%s': expected ADDRESS/N", cidr);
            return MIRAGE_EINVAL;
        }
        cfg.has_addr = true;
    }
    if (gateway && *gateway) {
        if (mirage_ipv6_parse(gateway, cfg.gateway) != 0) {
            mirage_log_src_err(&log_ipv6,
                               "invalid --ipv6-gateway '%s': expected an IPv6 "
                               "address",
                               gateway);
            return MIRAGE_EINVAL;
        }
        cfg.has_gateway = true;
    }
    int err = mirage_ipv6_connect_direct_config(out, e, random, &cfg);
    if (err == MIRAGE_EINVAL)
        mirage_log_src_err(&log_ipv6,
                           "unusable IPv6 configuration %s (gateway %s) or an "
                           "interface MTU below 1280",
                           cidr && *cidr ? cidr : "none",
                           gateway && *gateway ? gateway : "none");
    return err;
}

struct mirage_ip *mirage_ipv6_ip(struct mirage_ipv6 *v6)
{
    return &v6->ip;
}

const struct mirage_ipv6_stats *mirage_ipv6_stats(const struct mirage_ipv6 *v6)
{
    return &v6->st;
}

size_t mirage_ipv6_pmtu(const struct mirage_ipv6 *v6, const uint8_t dst[16])
{
    return ipv6_path_mtu(v6, dst);
}

size_t mirage_ipv6_reasm_bytes(const struct mirage_ipv6 *v6)
{
    return v6->reasm_bytes;
}

void mirage_ipv6_disconnect(struct mirage_ipv6 *v6)
{
    mirage_ethernet_set_input(v6->eth, MIRAGE_ETHERTYPE_IPV6, NULL, NULL);
    mirage_net_timer_cancel(&v6->timer);
    reasm6_clear(v6);
    nd_clear(v6);
    free(v6);
}
