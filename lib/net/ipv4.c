/* IPv4 with static configuration (include/mirage/ip.h): header validation,
 * delivery to the protocols, routing via the gateway, fragmentation on
 * send. Reassembly is in reasm.c, ICMP in icmp.c. */
#include "ipv4_internal.h"

#include <mirage/error.h>
#include <mirage/fiber.h>
#include <mirage/log.h>
#include <stdlib.h>
#include <string.h>

MIRAGE_LOG_SRC(log_ipv4, "ipv4", "IPv4");

#define DEFAULT_TTL 64
#define FLAG_DF     0x4000
#define FLAG_MF     0x2000
#define MAX_PAYLOAD (65535 - MIRAGE_IPV4_HDR_LEN)

static struct mirage_ipv4 *of_ip(struct mirage_ip *ip)
{
    return (struct mirage_ipv4 *)ip;
}

static mirage_ipv4_addr subnet_broadcast(const struct mirage_ipv4 *v4)
{
    return v4->cfg.cidr.addr | ~mirage_ipv4_netmask(v4->cfg.cidr.bits);
}

static bool is_broadcast(const struct mirage_ipv4 *v4, mirage_ipv4_addr a)
{
    return a == MIRAGE_IPV4_BROADCAST ||
           (v4->cfg.cidr.bits < 31 && a == subnet_broadcast(v4));
}

static bool is_multicast(mirage_ipv4_addr a)
{
    return (a >> 28) == 0xe;
}

/* Whether a cannot be the source of a datagram from the network (RFC
 * 1122 §3.2.1.3): a broadcast (limited, or our subnet's), multicast or
 * reserved (240/4) address, loopback, or our own address. Such datagrams
 * are never legitimate and could only be answered to everyone. (0.0.0.0
 * is left to the protocols: it is a DHCP client's source.) */
static bool martian_source(const struct mirage_ipv4 *v4, mirage_ipv4_addr a)
{
    return is_broadcast(v4, a) || is_multicast(a) || (a >> 28) == 0xf ||
           (a >> 24) == 127 || a == v4->cfg.cidr.addr;
}

/* Parse and check the header at the start of b: 0 with *h filled and b
 * trimmed to the total length, or the stats counter to bump. */
static uint64_t *parse(struct mirage_ipv4 *v4, struct mirage_buf *b,
                       struct ipv4_hdr *h)
{
    struct mirage_ip_stats *s = &v4->ip.stats;
    const uint8_t *p = b->data;
    if (b->len < MIRAGE_IPV4_HDR_LEN || p[0] >> 4 != 4)
        return &s->rx_malformed;
    size_t hl = (size_t)(p[0] & 15) * 4;
    size_t total = mirage_get_be16(p + 2);
    if (hl < MIRAGE_IPV4_HDR_LEN || hl > b->len || total < hl || total > b->len)
        return &s->rx_malformed;
    if (mirage_csum_fold(mirage_csum_add(0, p, hl)) != 0)
        return &s->rx_bad_csum;
    uint16_t frag = mirage_get_be16(p + 6);
    if (frag & 0x8000) /* the reserved flag */
        return &s->rx_malformed;
    h->hdr_len = hl;
    h->id = mirage_get_be16(p + 4);
    h->more_frags = frag & FLAG_MF;
    h->frag_off = (uint16_t)((frag & 0x1fff) * 8);
    h->ttl = p[8];
    h->proto = p[9];
    h->src = mirage_get_be32(p + 12);
    h->dst = mirage_get_be32(p + 16);
    mirage_buf_trim(b, total);
    return NULL;
}

static void deliver(struct mirage_ipv4 *v4, const struct ipv4_hdr *h,
                    const uint8_t *raw, struct mirage_buf *payload)
{
    struct mirage_ip_rx rx = {
        .src = mirage_ipaddr_of_v4(h->src),
        .dst = mirage_ipaddr_of_v4(h->dst),
        .proto = h->proto,
        .ttl = h->ttl,
        .broadcast = is_broadcast(v4, h->dst),
        .hdr = raw,
        .hdr_len = h->hdr_len,
    };
    if (v4->udp_hook && h->proto == MIRAGE_IP_PROTO_UDP && payload->len >= 4 &&
        mirage_get_be16(payload->data + 2) == v4->udp_hook_port) {
        v4->udp_hook(v4->udp_hook_arg, &rx, payload);
        return;
    }
    const struct mirage_ip_proto *p = &v4->protos[h->proto];
    if (!p->input) {
        v4->ip.stats.rx_no_proto++;
        icmp_report(v4, &rx, payload, MIRAGE_IP_PROTO_UNREACHABLE);
        return;
    }
    p->input(p->arg, &rx, payload);
}

static void input(void *arg, const uint8_t src[6], const uint8_t dst[6],
                  struct mirage_buf *b)
{
    struct mirage_ipv4 *v4 = arg;
    (void)src;
    (void)dst;
    struct ipv4_hdr h;
    uint64_t *bad = parse(v4, b, &h);
    if (bad) {
        (*bad)++;
        return;
    }
    if (martian_source(v4, h.src)) {
        v4->ip.stats.rx_malformed++;
        return;
    }
    if (!(v4->configured && h.dst == v4->cfg.cidr.addr) &&
        !is_broadcast(v4, h.dst)) {
        v4->ip.stats.rx_not_us++;
        return;
    }
    v4->ip.stats.rx_pkts++;
    uint8_t raw[60];
    memcpy(raw, b->data, h.hdr_len);
    mirage_buf_pull(b, h.hdr_len);
    if (!h.more_frags && h.frag_off == 0) {
        deliver(v4, &h, raw, b);
        return;
    }
    v4->ip.stats.rx_frags++;
    uint8_t first[60];
    size_t first_len;
    struct mirage_buf *whole =
        reasm_add(v4, &h, raw, b->data, b->len, first, &first_len);
    if (!whole)
        return;
    struct ipv4_hdr fh = h;
    fh.hdr_len = first_len;
    fh.frag_off = 0;
    fh.more_frags = false;
    deliver(v4, &fh, first, whole);
    mirage_buf_free(whole);
}

/* Prepend a header to b and hand it to ARP for next_hop. */
static int send_one(struct mirage_ipv4 *v4, mirage_ipv4_addr next_hop,
                    mirage_ipv4_addr dst, uint8_t proto, uint16_t id,
                    uint16_t frag, struct mirage_buf *b)
{
    uint8_t *p = mirage_buf_push(b, MIRAGE_IPV4_HDR_LEN);
    if (!p) {
        mirage_buf_free(b);
        return MIRAGE_EINVAL;
    }
    p[0] = 0x45;
    p[1] = 0;
    mirage_put_be16(p + 2, (uint16_t)b->len);
    mirage_put_be16(p + 4, id);
    mirage_put_be16(p + 6, frag);
    p[8] = DEFAULT_TTL;
    p[9] = proto;
    mirage_put_be16(p + 10, 0);
    mirage_put_be32(p + 12, v4->cfg.cidr.addr);
    mirage_put_be32(p + 16, dst);
    mirage_put_be16(p + 10, mirage_csum_fold(mirage_csum_add(0, p, 20)));
    v4->ip.stats.tx_pkts++;
    return mirage_arp_output(v4->arp, next_hop, MIRAGE_ETHERTYPE_IPV4, b);
}

/* The neighbour to send to for dst, or MIRAGE_IPV4_ANY for none. */
static mirage_ipv4_addr next_hop(const struct mirage_ipv4 *v4,
                                 mirage_ipv4_addr dst)
{
    if (is_broadcast(v4, dst))
        return MIRAGE_IPV4_BROADCAST;
    if (!v4->configured)
        return MIRAGE_IPV4_ANY; /* only broadcasts until we have an address */
    if (dst == v4->cfg.cidr.addr || is_multicast(dst) || dst == MIRAGE_IPV4_ANY)
        return MIRAGE_IPV4_ANY;
    if (mirage_ipv4_prefix_mem(&v4->cfg.cidr, dst))
        return dst;
    return v4->cfg.gateway;
}

int ipv4_output(struct mirage_ipv4 *v4, mirage_ipv4_addr dst, uint8_t proto,
                struct mirage_buf *payload)
{
    if (payload->len > MAX_PAYLOAD) {
        mirage_buf_free(payload);
        return MIRAGE_EINVAL;
    }
    mirage_ipv4_addr hop = next_hop(v4, dst);
    if (hop == MIRAGE_IPV4_ANY) {
        v4->ip.stats.tx_no_route++;
        mirage_buf_free(payload);
        return MIRAGE_EUNREACH;
    }
    uint16_t id = v4->next_id++;
    size_t mtu = ipv4_link_mtu(v4);
    if (payload->gso_size) {
        /* A super-segment: the interface cuts it (each piece fits). */
        if (!(v4->ip.offloads & MIRAGE_NET_OFFLOAD_TSO4)) {
            mirage_buf_free(payload);
            return MIRAGE_EINVAL;
        }
        return send_one(v4, hop, dst, proto, id, FLAG_DF, payload);
    }
    if (payload->len + MIRAGE_IPV4_HDR_LEN <= mtu)
        return send_one(v4, hop, dst, proto, id, 0, payload);
    mirage_buf_csum_finish(payload); /* the pieces carry it as data */
    /* Fragment: every piece but the last carries a multiple of 8 bytes
     * (the MTU is at least 68: mirage_ipv4_connect_direct_config checks). */
    size_t chunk = (mtu - MIRAGE_IPV4_HDR_LEN) & ~(size_t)7;
    int err = 0;
    for (size_t off = 0; off < payload->len && !err; off += chunk) {
        size_t n = payload->len - off < chunk ? payload->len - off : chunk;
        bool last = off + n == payload->len;
        struct mirage_buf *f =
            mirage_buf_alloc_room(MIRAGE_ETH_HDR_LEN + MIRAGE_IPV4_HDR_LEN, n);
        if (!f) {
            err = MIRAGE_ENOMEM;
            break;
        }
        memcpy(f->data, payload->data + off, n);
        v4->ip.stats.tx_frags++;
        err = send_one(v4, hop, dst, proto, id,
                       (uint16_t)((last ? 0 : FLAG_MF) | off / 8), f);
    }
    mirage_buf_free(payload);
    return err;
}

static int v4_write(struct mirage_ip *ip, const struct mirage_ipaddr *src,
                    const struct mirage_ipaddr *dst, uint8_t proto,
                    struct mirage_buf *payload)
{
    struct mirage_ipv4 *v4 = of_ip(ip);
    if (dst->version != MIRAGE_IP_V4 ||
        (src &&
         (src->version != MIRAGE_IP_V4 ||
          (src->v4 != MIRAGE_IPV4_ANY && src->v4 != v4->cfg.cidr.addr))) ||
        mirage_buf_headroom(payload) < MIRAGE_IP_HEADROOM) {
        mirage_buf_free(payload);
        return MIRAGE_EINVAL;
    }
    return ipv4_output(v4, dst->v4, proto, payload);
}

static int v4_src(struct mirage_ip *ip, const struct mirage_ipaddr *dst,
                  struct mirage_ipaddr *out)
{
    struct mirage_ipv4 *v4 = of_ip(ip);
    /* Without an address, 0.0.0.0 is the source of broadcasts (DHCP). */
    if (dst->version != MIRAGE_IP_V4 ||
        (!v4->configured && !is_broadcast(v4, dst->v4)))
        return MIRAGE_EUNREACH;
    *out = mirage_ipaddr_of_v4(v4->cfg.cidr.addr);
    return 0;
}

static size_t v4_mtu(struct mirage_ip *ip, const struct mirage_ipaddr *dst)
{
    (void)dst;
    return ipv4_link_mtu(of_ip(ip)) - MIRAGE_IPV4_HDR_LEN;
}

static int v4_set_proto(struct mirage_ip *ip, uint8_t proto,
                        const struct mirage_ip_proto *p)
{
    if (proto == 0 || proto == MIRAGE_IP_PROTO_ICMP)
        return MIRAGE_EINVAL;
    of_ip(ip)->protos[proto] = p ? *p : (struct mirage_ip_proto){0};
    return 0;
}

static int v4_report(struct mirage_ip *ip, const struct mirage_ip_rx *rx,
                     const struct mirage_buf *payload,
                     enum mirage_ip_report_kind kind)
{
    return icmp_report(of_ip(ip), rx, payload, kind);
}

static size_t v4_addresses(struct mirage_ip *ip, struct mirage_ipaddr *out,
                           size_t max)
{
    if (!of_ip(ip)->configured)
        return 0;
    if (max > 0)
        out[0] = mirage_ipaddr_of_v4(of_ip(ip)->cfg.cidr.addr);
    return 1;
}

static const struct mirage_ip_ops ipv4_ops = {
    .write = v4_write,
    .src = v4_src,
    .mtu = v4_mtu,
    .set_proto = v4_set_proto,
    .report = v4_report,
    .addresses = v4_addresses,
};

/* Whether cfg is a usable configuration (see
 * mirage_ipv4_connect_direct_config). */
static bool config_valid(const struct mirage_ipv4_config *cfg)
{
    mirage_ipv4_addr addr = cfg->cidr.addr;
    return !(addr == MIRAGE_IPV4_ANY || addr == MIRAGE_IPV4_BROADCAST ||
             is_multicast(addr) || cfg->cidr.bits > 32 ||
             (cfg->gateway != MIRAGE_IPV4_ANY &&
              (cfg->gateway == addr || cfg->gateway == MIRAGE_IPV4_BROADCAST ||
               is_multicast(cfg->gateway))));
}

static void log_config(const struct mirage_ipv4_config *cfg)
{
    char ip[MIRAGE_IPV4_STRLEN], gw[MIRAGE_IPV4_STRLEN];
    mirage_log_src_info(
        &log_ipv4, "address %s/%u, gateway %s",
        mirage_ipv4_to_string(cfg->cidr.addr, ip), cfg->cidr.bits,
        cfg->gateway ? mirage_ipv4_to_string(cfg->gateway, gw) : "none");
}

/* The layer over e and a with cfg, or without an address when cfg is
 * NULL. */
static int create(struct mirage_ethernet *e, struct mirage_arp *a,
                  const struct mirage_ipv4_config *cfg,
                  struct mirage_ipv4 **out)
{
    if (mirage_ethernet_mtu(e) < 68)
        return MIRAGE_EINVAL;
    struct mirage_ipv4 *v4 = calloc(1, sizeof *v4);
    if (!v4)
        return MIRAGE_ENOMEM;
    v4->ip.ops = &ipv4_ops;
    v4->ip.offloads = mirage_ethernet_net(e)->offloads &
                      (MIRAGE_NET_OFFLOAD_CSUM | MIRAGE_NET_OFFLOAD_TSO4);
    v4->eth = e;
    v4->arp = a;
    if (cfg) {
        v4->cfg = *cfg;
        v4->configured = true;
    }
    v4->next_id = (uint16_t)(mirage_now() >> 10);
    v4->protos[MIRAGE_IP_PROTO_ICMP] =
        (struct mirage_ip_proto){.input = icmp_input, .arg = v4};
    int err = mirage_ethernet_set_input(e, MIRAGE_ETHERTYPE_IPV4, input, v4);
    if (err) {
        free(v4);
        return err;
    }
    if (cfg) {
        err = mirage_arp_add_ip(a, cfg->cidr.addr);
        if (err && err != MIRAGE_EEXIST) {
            mirage_ethernet_set_input(e, MIRAGE_ETHERTYPE_IPV4, NULL, NULL);
            free(v4);
            return err;
        }
        log_config(cfg);
    }
    *out = v4;
    return 0;
}

int mirage_ipv4_connect_direct_config(struct mirage_ipv4 **out,
                                      struct mirage_ethernet *e,
                                      struct mirage_arp *a,
                                      const struct mirage_ipv4_config *cfg)
{
    if (!config_valid(cfg))
        return MIRAGE_EINVAL;
    return create(e, a, cfg, out);
}

int mirage_ipv4_connect_direct(struct mirage_ipv4 **out,
                               struct mirage_ethernet *e, struct mirage_arp *a,
                               const char *cidr, const char *gateway)
{
    struct mirage_ipv4_config cfg = {.gateway = MIRAGE_IPV4_ANY};
    if (!cidr || mirage_ipv4_prefix_parse(cidr, &cfg.cidr) != 0) {
        mirage_log_src_err(&log_ipv4, "invalid --ipv4 '%s': expected A.B.C.D/N",
                           cidr ? cidr : "");
        return MIRAGE_EINVAL;
    }
    if (gateway && *gateway && mirage_ipv4_parse(gateway, &cfg.gateway) != 0) {
        mirage_log_src_err(&log_ipv4,
                           "invalid --ipv4-gateway '%s': expected A.B.C.D",
                           gateway);
        return MIRAGE_EINVAL;
    }
    int err = mirage_ipv4_connect_direct_config(out, e, a, &cfg);
    if (err == MIRAGE_EINVAL)
        mirage_log_src_err(&log_ipv4,
                           "unusable IPv4 configuration %s (gateway %s)", cidr,
                           gateway && *gateway ? gateway : "none");
    return err;
}

struct mirage_ip *mirage_ipv4_ip(struct mirage_ipv4 *v4)
{
    return &v4->ip;
}

const struct mirage_ipv4_config *
mirage_ipv4_config(const struct mirage_ipv4 *v4)
{
    return &v4->cfg;
}

const struct mirage_icmp_stats *
mirage_ipv4_icmp_stats(const struct mirage_ipv4 *v4)
{
    return &v4->icmp;
}

size_t mirage_ipv4_reasm_bytes(const struct mirage_ipv4 *v4)
{
    return v4->reasm.bytes;
}

void mirage_ipv4_disconnect(struct mirage_ipv4 *v4)
{
    mirage_ethernet_set_input(v4->eth, MIRAGE_ETHERTYPE_IPV4, NULL, NULL);
    reasm_clear(v4);
    free(v4);
}

/* ---- Run-time configuration (for DHCP) -------------------------------- */

int mirage_ipv4_connect_unconfigured(struct mirage_ipv4 **out,
                                     struct mirage_ethernet *e,
                                     struct mirage_arp *a)
{
    int err = create(e, a, NULL, out);
    if (!err)
        mirage_log_src_info(&log_ipv4, "no address yet");
    return err;
}

int mirage_ipv4_set_config(struct mirage_ipv4 *v4,
                           const struct mirage_ipv4_config *cfg)
{
    if (!config_valid(cfg))
        return MIRAGE_EINVAL;
    mirage_ipv4_addr old = v4->cfg.cidr.addr;
    if (!v4->configured || old != cfg->cidr.addr) {
        int err = mirage_arp_add_ip(v4->arp, cfg->cidr.addr);
        if (err && err != MIRAGE_EEXIST)
            return err;
        if (v4->configured)
            mirage_arp_remove_ip(v4->arp, old);
    }
    v4->cfg = *cfg;
    v4->configured = true;
    log_config(cfg);
    return 0;
}

void mirage_ipv4_clear_config(struct mirage_ipv4 *v4)
{
    if (!v4->configured)
        return;
    char ip[MIRAGE_IPV4_STRLEN];
    mirage_log_src_info(&log_ipv4, "address %s/%u removed",
                        mirage_ipv4_to_string(v4->cfg.cidr.addr, ip),
                        v4->cfg.cidr.bits);
    mirage_arp_remove_ip(v4->arp, v4->cfg.cidr.addr);
    v4->cfg = (struct mirage_ipv4_config){0};
    v4->configured = false;
}

bool mirage_ipv4_configured(const struct mirage_ipv4 *v4)
{
    return v4->configured;
}

int mirage_ipv4_set_mtu(struct mirage_ipv4 *v4, size_t mtu)
{
    if (mtu != 0 && mtu < 68)
        return MIRAGE_EINVAL;
    v4->mtu_cap = mtu;
    return 0;
}

void mirage_ipv4_set_udp_hook(struct mirage_ipv4 *v4, uint16_t port,
                              mirage_ipv4_udp_hook fn, void *arg)
{
    v4->udp_hook_port = port;
    v4->udp_hook = fn;
    v4->udp_hook_arg = arg;
}

size_t ipv4_link_mtu(const struct mirage_ipv4 *v4)
{
    size_t mtu = mirage_ethernet_mtu(v4->eth);
    return v4->mtu_cap && v4->mtu_cap < mtu ? v4->mtu_cap : mtu;
}
